//! The social space's pages: the ad board (search, post), my ads, an ad's page
//! ("chat with the seller", report), the conversation list with unread counts,
//! a conversation (new messages arrive without reloading: the page listens to
//! the API's server-sent event stream and fetches the messages fragment), and
//! moderation. Every page and form calls the API's handlers.

use askama::Template;
use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Form;
use kinerja::Money;
use kinerja::social::{CATEGORIES, CONDITIONS, edit_window_open};
use serde::Deserialize;

use super::i18n::Tr;
use super::{Layout, Who, error_page, html, see_other};
use crate::api::social::{self as api, AdForm, AdOut, AdSearch};
use crate::api::{Body, Path, Query};
use crate::error::ApiError;
use crate::state::{AppState, TIME};

type PageResult = Result<Response, Response>;

fn fail(tr: Tr) -> impl Fn(ApiError) -> Response {
    move |e| error_page(tr, &e)
}

/// An ad laid out for a page.
pub struct AdLine {
    id: u64,
    title: String,
    description: String,
    price: String,
    category: String,
    condition: String,
    status: String,
    status_code: String,
    seller: String,
    seller_nip: String,
    posted: String,
    expires: String,
    photos: Vec<String>,
    removed_reason: String,
}

fn ad_line(tr: Tr, a: &AdOut) -> AdLine {
    let price = Money::parse(&a.price).map(|m| tr.rp(&m)).unwrap_or_else(|_| a.price.clone());
    AdLine {
        id: a.id,
        title: a.title.clone(),
        description: a.description.clone(),
        price,
        category: tr.t(&format!("social-cat-{}", a.category.replace('_', "-"))),
        condition: tr.t(&format!("social-cond-{}", a.condition.replace('_', "-"))),
        status: tr.t(&format!("social-status-{}", a.status)),
        status_code: a.status.clone(),
        seller: a.seller_name.clone(),
        seller_nip: a.seller.clone(),
        posted: a.posted_at.replace('T', " "),
        expires: a.expires.replace('T', " "),
        photos: a.photos.clone(),
        removed_reason: a.removed_reason.clone().unwrap_or_default(),
    }
}

/// A choice of a select.
pub struct Choice {
    value: String,
    label: String,
    selected: bool,
}

fn choices(tr: Tr, prefix: &str, codes: &[&str], current: &str) -> Vec<Choice> {
    codes
        .iter()
        .map(|c| Choice {
            value: (*c).to_string(),
            label: tr.t(&format!("{prefix}-{}", c.replace('_', "-"))),
            selected: *c == current,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "social_board.html")]
struct BoardPage {
    l: Layout,
    ads: Vec<AdLine>,
    total: String,
    q: String,
    min: String,
    max: String,
    categories: Vec<Choice>,
    statuses: Vec<Choice>,
    conditions: Vec<Choice>,
    mine: bool,
    prev: Option<String>,
    next: Option<String>,
}

fn nav_social(l: &mut Layout, tr: Tr, active: &str) {
    for n in l.nav.iter_mut() {
        n.current = n.href == active;
    }
    l.nav.push(super::NavItem {
        href: "/social/chats".into(),
        label: tr.t("nav-chats"),
        current: active == "/social/chats",
    });
}

fn page_link(base: &str, s: &AdSearch, page: u32) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("q", &s.q),
        ("category", &s.category),
        ("min", &s.min),
        ("max", &s.max),
        ("status", &s.status),
        ("mine", &s.mine),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            q.append_pair(k, v);
        }
    }
    q.append_pair("page", &page.to_string());
    format!("{base}?{}", q.finish())
}

/// `/social`: the ad board with its search, and the form to post an ad.
pub async fn board(State(state): State<AppState>, who: Who, Query(s): Query<AdSearch>) -> PageResult {
    board_view(&state, &who, s, None, StatusCode::OK).await
}

async fn board_view(state: &AppState, who: &Who, s: AdSearch, err: Option<String>, status: StatusCode) -> PageResult {
    let tr = who.tr;
    let mine = s.mine.as_deref() == Some("me");
    let title = tr.t(if mine { "social-mine-title" } else { "social-board-title" });
    let mut l = Layout::of(who, title, "");
    nav_social(&mut l, tr, "/social");
    l.err = err;
    let Json(out) =
        api::search_ads(State(state.clone()), who.caller.clone(), Query(AdSearch { lang: None, ..clone_search(&s) }))
            .await
            .map_err(fail(tr))?;
    let last = out.total.div_ceil(out.per_page as usize).max(1) as u32;
    let base = "/social";
    let page = BoardPage {
        ads: out.ads.iter().map(|a| ad_line(tr, a)).collect(),
        total: tr.f1("social-found", "n", &tr.count_of(&out.total)),
        q: s.q.clone().unwrap_or_default(),
        min: s.min.clone().unwrap_or_default(),
        max: s.max.clone().unwrap_or_default(),
        categories: choices(tr, "social-cat", CATEGORIES, s.category.as_deref().unwrap_or("")),
        statuses: choices(
            tr,
            "social-status",
            &["active", "reserved", "sold", "withdrawn", "expired"],
            s.status.as_deref().unwrap_or(""),
        ),
        conditions: choices(tr, "social-cond", CONDITIONS, "used"),
        mine,
        prev: (out.page > 1).then(|| page_link(base, &s, out.page - 1)),
        next: (out.page < last).then(|| page_link(base, &s, out.page + 1)),
        l,
    };
    Ok(html(&page, status))
}

fn clone_search(s: &AdSearch) -> AdSearch {
    AdSearch {
        q: s.q.clone(),
        category: s.category.clone(),
        min: s.min.clone(),
        max: s.max.clone(),
        status: s.status.clone(),
        mine: s.mine.clone(),
        page: s.page,
        per_page: s.per_page,
        lang: s.lang.clone(),
    }
}

/// A `multipart/form-data` form as read: its text fields and its chosen files.
#[derive(Debug, Default)]
pub struct Upload {
    fields: std::collections::BTreeMap<String, String>,
    /// (file name, bytes) of each file of the `photos` field (an empty file
    /// part, what a browser sends when none was chosen, is left out).
    files: Vec<(String, Vec<u8>)>,
}

impl Upload {
    fn field(&self, name: &str) -> String {
        self.fields.get(name).cloned().unwrap_or_default()
    }
}

async fn read_upload(mut m: Multipart) -> Result<Upload, ApiError> {
    let bad = |e: axum::extract::multipart::MultipartError| ApiError::new(e.status(), "invalid_body", e.body_text());
    let mut up = Upload::default();
    while let Some(field) = m.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "photos" {
            let file = field.file_name().unwrap_or_default().to_string();
            let bytes = field.bytes().await.map_err(bad)?;
            if !(bytes.is_empty() && file.is_empty()) {
                up.files.push((file, bytes.to_vec()));
            }
        } else {
            let text = field.text().await.map_err(bad)?;
            up.fields.insert(name, text);
        }
    }
    Ok(up)
}

/// Checks every chosen file with the API's own check (type by its first bytes,
/// size by the policy) before anything is stored; the first refusal, in the
/// reader's language and naming the file, stops the whole form.
fn check_files(
    tr: Tr,
    ctx: &kinerja::social::Ctx,
    files: &[(String, Vec<u8>)],
) -> Result<Vec<(&'static str, String)>, (String, StatusCode)> {
    let mut out = Vec::new();
    for (name, bytes) in files {
        match api::check_photo(ctx, bytes) {
            Ok(ct) => out.push((ct, api::photo_id(bytes))),
            Err(e) => {
                let why = if e.code == "photo_too_large" {
                    tr.f1("err-photo-too-large", "max", &tr.num(&ctx.policy.photo_max_bytes))
                } else {
                    tr.error(&e)
                };
                let what = if name.is_empty() { why } else { format!("{name}: {why}") };
                return Err((what, e.status));
            }
        }
    }
    Ok(out)
}

/// Stores the photos of a form once the ad that names them was accepted.
async fn store_files(
    state: &AppState,
    ctx: &kinerja::social::Ctx,
    checked: &[(&'static str, String)],
    files: Vec<(String, Vec<u8>)>,
) -> Result<(), ApiError> {
    for ((ct, _), (_, bytes)) in checked.iter().zip(files) {
        api::store_photo(state, ctx, ct, bytes).await?;
    }
    Ok(())
}

/// Posts an ad through the API with its photos (a `multipart/form-data` form;
/// the `_csrf` field is checked like every form's), then shows it. Every photo
/// is checked first; a refused one stores nothing and the board says why.
pub async fn post_ad(State(state): State<AppState>, who: Who, m: Multipart) -> PageResult {
    let tr = who.tr;
    let up = match read_upload(m).await {
        Ok(u) => u,
        Err(e) => return board_view(&state, &who, AdSearch::default(), Some(tr.error(&e)), e.status).await,
    };
    let ctx = crate::social::ctx(&state, &who.caller).await.map_err(fail(tr))?;
    let checked = match check_files(tr, &ctx, &up.files) {
        Ok(c) => c,
        Err((msg, status)) => return board_view(&state, &who, AdSearch::default(), Some(msg), status).await,
    };
    let form = AdForm {
        title: up.field("title"),
        description: up.field("description"),
        category: up.field("category"),
        price: up.field("price").replace(['.', ' '], ""),
        condition: up.field("condition"),
        photos: checked.iter().map(|(_, id)| id.clone()).collect(),
    };
    match api::post_ad(State(state.clone()), who.caller.clone(), Body(form)).await {
        Ok(Json(ad)) => {
            store_files(&state, &ctx, &checked, up.files).await.map_err(fail(tr))?;
            Ok(see_other(&format!("/social/ads/{}", ad.id), "ad-posted"))
        }
        Err(e) => board_view(&state, &who, AdSearch::default(), Some(tr.error(&e)), e.status).await,
    }
}

/// Adds photos to one's ad (the ad page's upload form): each file checked as
/// the API checks it, then the ad edited through the API with the new photos
/// after its own (the core decides who may edit and how many photos fit).
pub async fn add_photos_post(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    m: Multipart,
) -> PageResult {
    let tr = who.tr;
    let up = match read_upload(m).await {
        Ok(u) => u,
        Err(e) => return ad_view(&state, &who, id, Some(tr.error(&e)), e.status).await,
    };
    let ctx = crate::social::ctx(&state, &who.caller).await.map_err(fail(tr))?;
    let checked = match check_files(tr, &ctx, &up.files) {
        Ok(c) => c,
        Err((msg, status)) => return ad_view(&state, &who, id, Some(msg), status).await,
    };
    let Json(ad) = api::get_ad(State(state.clone()), who.caller.clone(), Path(id.clone())).await.map_err(fail(tr))?;
    let mut photos = ad.photos.clone();
    photos.extend(checked.iter().map(|(_, p)| p.clone()));
    let form = AdForm {
        title: ad.title,
        description: ad.description,
        category: ad.category,
        price: ad.price,
        condition: ad.condition,
        photos,
    };
    match api::edit_ad(State(state.clone()), who.caller.clone(), Path(id.clone()), Body(form)).await {
        Ok(_) => {
            store_files(&state, &ctx, &checked, up.files).await.map_err(fail(tr))?;
            Ok(see_other(&format!("/social/ads/{id}"), "photos-added"))
        }
        Err(e) => ad_view(&state, &who, id, Some(tr.error(&e)), e.status).await,
    }
}

#[derive(Template)]
#[template(path = "social_ad.html")]
struct AdPage {
    l: Layout,
    ad: AdLine,
    own: bool,
    moderator: bool,
}

/// `/social/ads/{id}`: one ad, with "chat with the seller" and "report"; its
/// owner adds photos here.
pub async fn ad_page(State(state): State<AppState>, who: Who, Path(id): Path<String>) -> PageResult {
    ad_view(&state, &who, id, None, StatusCode::OK).await
}

async fn ad_view(state: &AppState, who: &Who, id: String, err: Option<String>, status: StatusCode) -> PageResult {
    let tr = who.tr;
    let Json(ad) = api::get_ad(State(state.clone()), who.caller.clone(), Path(id)).await.map_err(fail(tr))?;
    let mut l = Layout::of(who, ad.title.clone(), "");
    nav_social(&mut l, tr, "/social");
    l.err = err;
    let own = ad.seller == who.me.actor;
    let me = who.caller.nip().map_err(fail(tr))?.clone();
    let moderator = state.social.read(state, |s| s.is_moderator(&me)).await.map_err(fail(tr))?;
    Ok(html(&AdPage { ad: ad_line(tr, &ad), own, moderator, l }, status))
}

/// Opens (or finds) the conversation with an ad's seller, then shows it.
pub async fn chat_with_seller(State(state): State<AppState>, who: Who, Path(id): Path<String>) -> PageResult {
    let tr = who.tr;
    let ad: u64 = id.parse().map_err(|_| error_page(tr, &ApiError::not_found("ad", &id)))?;
    let Json(o) = api::open(State(state), who.caller.clone(), Body(api::OpenForm { with: None, ad: Some(ad) }))
        .await
        .map_err(fail(tr))?;
    Ok(see_other(&format!("/social/chats/{}", o.conversation), "chat-opened"))
}

/// A status button of one's ad.
#[derive(Debug, Deserialize)]
pub struct StatusFields {
    action: String,
}

/// Reserves, marks sold, withdraws or renews an ad through the API.
pub async fn ad_status_post(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<StatusFields>,
) -> PageResult {
    let tr = who.tr;
    let _ =
        api::ad_status(State(state), who.caller.clone(), Path(id.clone()), Body(api::StatusForm { action: f.action }))
            .await
            .map_err(fail(tr))?;
    Ok(see_other(&format!("/social/ads/{id}"), "ad-changed"))
}

/// A reason typed in a form.
#[derive(Debug, Deserialize)]
pub struct ReasonFields {
    reason: String,
}

/// Reports an ad.
pub async fn report_ad_post(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<ReasonFields>,
) -> PageResult {
    let tr = who.tr;
    let ad: u64 = id.parse().map_err(|_| error_page(tr, &ApiError::not_found("ad", &id)))?;
    let _ = api::report(
        State(state),
        who.caller.clone(),
        Body(api::ReportForm { ad: Some(ad), message: None, reason: f.reason }),
    )
    .await
    .map_err(fail(tr))?;
    Ok(see_other(&format!("/social/ads/{id}"), "reported"))
}

/// A moderator removes an ad.
pub async fn remove_ad_post(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<ReasonFields>,
) -> PageResult {
    let tr = who.tr;
    let _ =
        api::remove_ad(State(state), who.caller.clone(), Path(id.clone()), Body(api::ReasonForm { reason: f.reason }))
            .await
            .map_err(fail(tr))?;
    Ok(see_other(&format!("/social/ads/{id}"), "ad-removed"))
}

/// A line of the conversation list.
pub struct ChatLine {
    id: u64,
    with: String,
    about: String,
    unread: u64,
    last: String,
}

#[derive(Template)]
#[template(path = "social_chats.html")]
struct ChatsPage {
    l: Layout,
    chats: Vec<ChatLine>,
    unread: String,
}

/// `/social/chats`: the caller's conversations with unread counts.
pub async fn chats(State(state): State<AppState>, who: Who) -> PageResult {
    let tr = who.tr;
    let Json(out) = api::conversations(State(state), who.caller.clone()).await.map_err(fail(tr))?;
    let mut l = Layout::of(&who, tr.t("social-chats-title"), "");
    nav_social(&mut l, tr, "/social/chats");
    let chats = out
        .conversations
        .iter()
        .map(|c| ChatLine {
            id: c.id,
            with: c.with_name.clone(),
            about: c.ad_title.clone().unwrap_or_default(),
            unread: c.unread,
            last: c.last_at.replace('T', " "),
        })
        .collect();
    let unread = tr.f1("social-unread-total", "n", &tr.num(&(out.unread as i64)));
    Ok(html(&ChatsPage { l, chats, unread }, StatusCode::OK))
}

/// A message laid out.
pub struct MsgLine {
    id: u64,
    mine: bool,
    sender: String,
    at: String,
    body: String,
    deleted: bool,
    edited: bool,
    read: bool,
    /// Its sender may still edit it (the core's edit window is open).
    editable: bool,
}

#[derive(Template)]
#[template(path = "social_messages.html")]
struct MessagesFragment {
    tr: Tr,
    conversation: u64,
    csrf: String,
    member: bool,
    messages: Vec<MsgLine>,
}

#[derive(Template)]
#[template(path = "social_chat.html")]
struct ChatPage {
    l: Layout,
    tr: Tr,
    id: u64,
    conversation: u64,
    csrf: String,
    /// The reader is one of the two members (else an administrator reading
    /// after recording a reason: no sending, no live stream).
    member: bool,
    ad: Option<u64>,
    messages: Vec<MsgLine>,
}

async fn chat_data(state: &AppState, who: &Who, id: String) -> Result<(api::ConversationOut, Vec<MsgLine>), ApiError> {
    let Json(c) = api::conversation(State(state.clone()), who.caller.clone(), Path(id)).await?;
    let lines = msg_lines(state, who, &c).await?;
    Ok((c, lines))
}

async fn msg_lines(state: &AppState, who: &Who, c: &api::ConversationOut) -> Result<Vec<MsgLine>, ApiError> {
    let ctx = crate::social::ctx(state, &who.caller).await?;
    let me = who.me.actor.clone();
    let lines = c
        .messages
        .iter()
        .map(|m| {
            let mine = m.sender == me;
            let sent = chrono::NaiveDateTime::parse_from_str(&m.sent_at, TIME).ok();
            MsgLine {
                id: m.id,
                mine,
                sender: c.members.iter().position(|n| *n == m.sender).map(|i| c.names[i].clone()).unwrap_or_default(),
                at: m.sent_at.replace('T', " "),
                body: m.body.clone().unwrap_or_default(),
                deleted: m.deleted,
                edited: m.edited_at.is_some(),
                read: m.read_by_other,
                editable: mine
                    && !m.deleted
                    && sent.is_some_and(|t| edit_window_open(t, ctx.at, ctx.policy.message_edit_minutes)),
            }
        })
        .collect();
    Ok(lines)
}

/// `/social/chats/{id}`: one conversation; new messages arrive without reloading.
/// An HR officer who is not a member is sent to the page that first asks why.
pub async fn chat(State(state): State<AppState>, who: Who, Path(id): Path<String>) -> PageResult {
    let tr = who.tr;
    let (c, messages) = match chat_data(&state, &who, id.clone()).await {
        Ok(x) => x,
        Err(e) if who.me.hr_officer && e.reason.as_deref() == Some("not_a_member") => {
            let mut q = form_urlencoded::Serializer::new(String::new());
            q.append_pair("conversation", &id);
            return Ok(axum::response::Redirect::to(&format!("/social/access?{}", q.finish())).into_response());
        }
        Err(e) => return Err(error_page(tr, &e)),
    };
    Ok(chat_view(&who, c, messages, None))
}

fn chat_view(who: &Who, c: api::ConversationOut, messages: Vec<MsgLine>, notice: Option<String>) -> Response {
    let tr = who.tr;
    let me = who.me.actor.clone();
    let member = c.members.contains(&me);
    let title = if member {
        let with = c.members.iter().position(|n| *n != me).map(|i| c.names[i].clone()).unwrap_or_default();
        tr.f1("social-chat-title", "name", &with)
    } else {
        tr.f("social-chat-between", &[("a", c.names[0].as_str()), ("b", c.names[1].as_str())])
    };
    let mut l = Layout::of(who, title, "");
    nav_social(&mut l, tr, "/social/chats");
    if notice.is_some() {
        l.ok = notice;
    }
    let csrf = l.csrf.clone();
    html(&ChatPage { l, tr, id: c.id, conversation: c.id, csrf, member, ad: c.ad, messages }, StatusCode::OK)
}

/// `/social/chats/{id}/messages`: the messages alone (fetched by the page on each live event).
pub async fn chat_messages(State(state): State<AppState>, who: Who, Path(id): Path<String>) -> PageResult {
    let tr = who.tr;
    let (c, messages) = chat_data(&state, &who, id).await.map_err(fail(tr))?;
    let csrf = who.me.csrf.clone().unwrap_or_default();
    let member = c.members.contains(&who.me.actor);
    Ok(html(&MessagesFragment { tr, conversation: c.id, csrf, member, messages }, StatusCode::OK))
}

/// A message's new text.
#[derive(Debug, Deserialize)]
pub struct EditFields {
    body: String,
}

/// Edits one's message through the API (the core refuses once its window has passed).
pub async fn edit_message_post(
    State(state): State<AppState>,
    who: Who,
    Path((conversation, message)): Path<(String, String)>,
    Form(f): Form<EditFields>,
) -> PageResult {
    let tr = who.tr;
    api::edit_message(State(state), who.caller.clone(), Path(message), Body(api::EditForm { body: f.body }))
        .await
        .map_err(fail(tr))?;
    Ok(see_other(&format!("/social/chats/{conversation}"), "message-edited"))
}

#[derive(Template)]
#[template(path = "social_access.html")]
struct AccessPage {
    l: Layout,
    conversation: String,
    reason: String,
}

/// Which conversation the access page asks about.
#[derive(Debug, Default, Deserialize)]
pub struct AccessQuery {
    #[serde(default)]
    conversation: Option<String>,
}

/// `/social/access`: an administrator (HR officer) opens a conversation they
/// are not a member of; the page first asks for the reason, which the core
/// records as an event, and only then shows the conversation.
pub async fn access_page(who: Who, Query(q): Query<AccessQuery>) -> PageResult {
    Ok(access_view(&who, q.conversation.unwrap_or_default(), String::new(), None, StatusCode::OK))
}

fn access_view(who: &Who, conversation: String, reason: String, err: Option<String>, status: StatusCode) -> Response {
    let tr = who.tr;
    let mut l = Layout::of(who, tr.t("social-access-title"), "");
    nav_social(&mut l, tr, "");
    l.err = err;
    html(&AccessPage { l, conversation, reason }, status)
}

/// The access form.
#[derive(Debug, Deserialize)]
pub struct AccessFields {
    conversation: String,
    reason: String,
}

/// Records the reason through the API (`POST /api/social/conversations/{id}/access`)
/// and shows the conversation it answers, read-only; a refusal (not an
/// administrator, no reason) shows the form again with why, and nothing is read.
pub async fn access_post(State(state): State<AppState>, who: Who, Form(f): Form<AccessFields>) -> PageResult {
    let tr = who.tr;
    let id = f.conversation.trim().to_string();
    let form = api::ReasonForm { reason: f.reason.clone() };
    let c = match api::access(State(state.clone()), who.caller.clone(), Path(id.clone()), Body(form)).await {
        Ok(Json(c)) => c,
        Err(e) => return Ok(access_view(&who, id, f.reason, Some(tr.error(&e)), e.status)),
    };
    let messages = msg_lines(&state, &who, &c).await.map_err(fail(tr))?;
    let notice = tr.f1("social-access-recorded", "reason", f.reason.trim());
    Ok(chat_view(&who, c, messages, Some(notice)))
}

/// The send form.
#[derive(Debug, Deserialize)]
pub struct SendFields {
    body: String,
}

/// Sends a message through the API (without JavaScript; the page's script posts to the API itself).
pub async fn send_post(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<SendFields>,
) -> PageResult {
    let tr = who.tr;
    let _ =
        api::send(State(state), who.caller.clone(), Path(id.clone()), Body(api::SendForm { body: f.body, key: None }))
            .await
            .map_err(fail(tr))?;
    Ok(see_other(&format!("/social/chats/{id}"), "sent"))
}

/// Deletes one's message (its text is erased from storage).
pub async fn delete_message_post(
    State(state): State<AppState>,
    who: Who,
    Path((conversation, message)): Path<(String, String)>,
) -> PageResult {
    let tr = who.tr;
    api::delete_message(State(state), who.caller.clone(), Path(message)).await.map_err(fail(tr))?;
    Ok(see_other(&format!("/social/chats/{conversation}"), "message-deleted"))
}

/// Reports a message of one's conversation to the moderators.
pub async fn report_message_post(
    State(state): State<AppState>,
    who: Who,
    Path((conversation, message)): Path<(String, String)>,
    Form(f): Form<ReasonFields>,
) -> PageResult {
    let tr = who.tr;
    let id: u64 = message.parse().map_err(|_| error_page(tr, &ApiError::not_found("message", &message)))?;
    let form = api::ReportForm { ad: None, message: Some(id), reason: f.reason };
    let _ = api::report(State(state), who.caller.clone(), Body(form)).await.map_err(fail(tr))?;
    Ok(see_other(&format!("/social/chats/{conversation}"), "reported"))
}

/// A report line for moderators.
pub struct ReportLine {
    id: u64,
    what: String,
    link: Option<String>,
    reason: String,
    excerpt: String,
    at: String,
}

#[derive(Template)]
#[template(path = "social_moderation.html")]
struct ModerationPage {
    l: Layout,
    reports: Vec<ReportLine>,
    hr: bool,
}

/// `/social/moderation`: open reports (moderators), naming moderators (HR).
pub async fn moderation(State(state): State<AppState>, who: Who) -> PageResult {
    let tr = who.tr;
    let hr = who.me.hr_officer;
    let reports = match api::reports(State(state), who.caller.clone()).await {
        Ok(Json(r)) => r,
        Err(e) if hr && e.status == StatusCode::FORBIDDEN => Vec::new(),
        Err(e) => return Err(error_page(tr, &e)),
    };
    let mut l = Layout::of(&who, tr.t("social-moderation-title"), "");
    nav_social(&mut l, tr, "");
    let reports = reports
        .iter()
        .map(|r| ReportLine {
            id: r.id,
            what: tr.f1(&format!("social-report-{}", r.kind), "id", &r.target.to_string()),
            link: (r.kind == "ad").then(|| format!("/social/ads/{}", r.target)),
            reason: r.reason.clone(),
            excerpt: r.excerpt.clone().unwrap_or_default(),
            at: r.at.replace('T', " "),
        })
        .collect();
    Ok(html(&ModerationPage { l, reports, hr }, StatusCode::OK))
}

/// A moderator's note.
#[derive(Debug, Deserialize)]
pub struct NoteFields {
    note: String,
}

/// Resolves a report.
pub async fn resolve_post(
    State(state): State<AppState>,
    who: Who,
    Path(id): Path<String>,
    Form(f): Form<NoteFields>,
) -> PageResult {
    let tr = who.tr;
    api::resolve(State(state), who.caller.clone(), Path(id), Body(api::NoteForm { note: f.note }))
        .await
        .map_err(fail(tr))?;
    Ok(see_other("/social/moderation", "resolved"))
}

/// Naming a moderator.
#[derive(Debug, Deserialize)]
pub struct ModeratorFields {
    nip: String,
    named: String,
}

/// HR names or withdraws a moderator.
pub async fn moderator_post(State(state): State<AppState>, who: Who, Form(f): Form<ModeratorFields>) -> PageResult {
    let tr = who.tr;
    let form = api::ModeratorForm { nip: f.nip, named: f.named == "true" };
    api::moderator(State(state), who.caller.clone(), Body(form)).await.map_err(fail(tr))?;
    Ok(see_other("/social/moderation", "moderator-changed"))
}

const CHAT_JS: &[u8] = include_bytes!("../../static/chat.js");

/// The conversation page's script (live messages over server-sent events).
pub async fn chat_js() -> Response {
    use axum::http::{HeaderValue, header};
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        CHAT_JS,
    )
        .into_response()
}
