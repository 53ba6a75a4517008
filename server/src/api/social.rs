//! The internal social space: classified ads and chat between employees.
//!
//! Every rule and permission is the core's (`kinerja::social`); these handlers
//! read the request, build the caller's context (NIP, in service, HR officer,
//! the policy in force) and hand the command to the [`crate::social`] hub. A
//! GET stores nothing: marking a conversation read and an administrator's
//! recorded access are POSTs.

use std::convert::Infallible;
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::Stream;
use kinerja::Money;
use kinerja::nip::Nip;
use kinerja::social::{
    Ad, AdDraft, AdQuery, AdStatus, Command, ConversationSummary, ConversationView, Report, ReportTarget, Social,
    SocialEvent,
};
use serde::{Deserialize, Serialize};
use sha2::Digest;
use utoipa::{IntoParams, ToSchema};

use super::{Body, Path, Query, RawBody, nip_of};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::social::ctx;
use crate::state::{AppState, TIME};
use crate::store::PhotoRow;

fn id_of(what: &str, text: &str) -> ApiResult<u64> {
    text.parse::<u64>().ok().filter(|n| *n > 0).ok_or_else(|| {
        ApiError::bad_request("invalid_id", format!("`{}` is not a {what} number", crate::error::clip(text)))
    })
}

/// An ad as the API shows it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AdOut {
    /// Its id.
    pub id: u64,
    /// The seller's NIP.
    pub seller: String,
    /// The seller's name.
    pub seller_name: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Category code.
    pub category: String,
    /// Price, exact rupiah as a decimal string.
    pub price: String,
    /// Condition code.
    pub condition: String,
    /// Photo ids (`/api/social/photos/{id}`).
    pub photos: Vec<String>,
    /// Status shown now (`active`, `reserved`, `sold`, `withdrawn`, `removed`, `expired`).
    pub status: String,
    /// When posted.
    pub posted_at: String,
    /// When it expires.
    pub expires: String,
    /// Why a moderator removed it.
    pub removed_reason: Option<String>,
}

fn ad_out(state: &AppState, ad: &Ad, status: AdStatus, names: &dyn Fn(&Nip) -> String) -> AdOut {
    let _ = state;
    AdOut {
        id: ad.id,
        seller: ad.seller.to_string(),
        seller_name: names(&ad.seller),
        title: ad.draft.title.clone(),
        description: ad.draft.description.clone(),
        category: ad.draft.category.clone(),
        price: ad.draft.price.amount().to_string(),
        condition: ad.draft.condition.clone(),
        photos: ad.draft.photos.clone(),
        status: status.as_str().to_string(),
        posted_at: ad.posted_at.format(TIME).to_string(),
        expires: ad.expires.format(TIME).to_string(),
        removed_reason: ad.removed_reason.clone(),
    }
}

/// Employees' names from the city in force today.
pub async fn namer(state: &AppState) -> ApiResult<impl Fn(&Nip) -> String + use<>> {
    let m = state.month_to_read(kinerja::YearMonth::of(state.today())).await?;
    let env = m.env().await;
    let version = env.version().clone();
    Ok(move |n: &Nip| version.city.organisation.employee(n).map(|e| e.name.clone()).unwrap_or_else(|| n.to_string()))
}

/// A search of the ad board.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdSearch {
    /// Words to find in title or description.
    pub q: Option<String>,
    /// Category code.
    pub category: Option<String>,
    /// Lowest price (rupiah).
    pub min: Option<String>,
    /// Highest price (rupiah).
    pub max: Option<String>,
    /// Status (default: active and reserved).
    pub status: Option<String>,
    /// `me`: the caller's own ads (every status).
    pub mine: Option<String>,
    /// Page, from 1.
    pub page: Option<u32>,
    /// Ads per page (1..=100).
    pub per_page: Option<u32>,
    /// Language.
    pub lang: Option<String>,
}

/// One page of ads.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdsOut {
    /// The ads, newest first.
    pub ads: Vec<AdOut>,
    /// Matching ads in all pages.
    pub total: usize,
    /// This page.
    pub page: u32,
    /// Ads per page.
    pub per_page: u32,
}

fn money_of(field: &str, text: &Option<String>) -> ApiResult<Option<Money>> {
    match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => Money::parse(t).map(Some).map_err(|_| {
            ApiError::bad_request("invalid_price", format!("`{}` is not an amount of rupiah", crate::error::clip(t)))
                .with_field(field)
        }),
    }
}

impl AdSearch {
    /// The core's query for `me`.
    pub fn query(&self, me: &Nip) -> ApiResult<AdQuery> {
        let status = match self.status.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(AdStatus::parse(s).ok_or_else(|| {
                ApiError::bad_request("invalid_status", format!("`{}` is not an ad status", crate::error::clip(s)))
            })?),
        };
        Ok(AdQuery {
            text: self.q.clone(),
            category: self.category.clone().filter(|c| !c.is_empty()),
            min_price: money_of("min", &self.min)?,
            max_price: money_of("max", &self.max)?,
            status,
            seller: (self.mine.as_deref() == Some("me")).then(|| me.clone()),
            page: self.page,
            per_page: self.per_page,
        })
    }
}

/// Searches the ad board: text, category, price range, status; newest first; paginated.
#[utoipa::path(get, path = "/api/social/ads", tag = "social", params(AdSearch),
    responses((status = 200, body = AdsOut), (status = 400, body = crate::error::ErrorBody)))]
pub async fn search_ads(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<AdSearch>,
) -> ApiResult<Json<AdsOut>> {
    let me = caller.nip()?.clone();
    let query = q.query(&me)?;
    let now = state.local_now();
    let names = namer(&state).await?;
    let page = state.social.read(&state, |s| s.search(&query, now)).await?;
    Ok(Json(AdsOut {
        ads: page.ads.iter().map(|(a, st)| ad_out(&state, a, *st, &names)).collect(),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

/// An ad to post or the new content of one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdForm {
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Category code.
    pub category: String,
    /// Price in rupiah, as a decimal string (`"6500000"`).
    pub price: String,
    /// Condition code.
    pub condition: String,
    /// Photo ids from `POST /api/social/photos`.
    #[serde(default)]
    pub photos: Vec<String>,
}

impl AdForm {
    /// The core's draft.
    pub fn draft(self) -> ApiResult<AdDraft> {
        let price = money_of("price", &Some(self.price))?
            .ok_or_else(|| ApiError::bad_request("invalid_price", "the price is missing").with_field("price"))?;
        Ok(AdDraft {
            title: self.title,
            description: self.description,
            category: self.category,
            price,
            condition: self.condition,
            photos: self.photos,
        })
    }
}

async fn run_on_ad(state: &AppState, caller: &Caller, cmd: Command) -> ApiResult<Json<AdOut>> {
    let ctx = ctx(state, caller).await?;
    let (social, id) = state
        .social
        .execute(state, &ctx, cmd, |s, r| {
            let id = match &r.event {
                SocialEvent::AdPosted { ad, .. }
                | SocialEvent::AdEdited { ad, .. }
                | SocialEvent::AdStatusChanged { ad, .. }
                | SocialEvent::AdRenewed { ad, .. }
                | SocialEvent::AdRemoved { ad, .. } => *ad,
                _ => 0,
            };
            (s.ads.get(&id).cloned(), id)
        })
        .await?;
    let names = namer(state).await?;
    let ad = social.ok_or_else(|| ApiError::not_found("ad", id))?;
    Ok(Json(ad_out(state, &ad, ad.status_at(state.local_now()), &names)))
}

/// Posts an ad.
#[utoipa::path(post, path = "/api/social/ads", tag = "social", request_body = AdForm,
    responses((status = 200, body = AdOut), (status = 422, body = crate::error::ErrorBody),
              (status = 429, body = crate::error::ErrorBody)))]
pub async fn post_ad(State(state): State<AppState>, caller: Caller, Body(f): Body<AdForm>) -> ApiResult<Json<AdOut>> {
    caller.nip()?;
    let draft = f.draft()?;
    run_on_ad(&state, &caller, Command::PostAd { draft }).await
}

/// One ad.
#[utoipa::path(get, path = "/api/social/ads/{id}", tag = "social", params(("id" = u64, Path)),
    responses((status = 200, body = AdOut), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_ad(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> ApiResult<Json<AdOut>> {
    let me = caller.nip()?.clone();
    let id = id_of("ad", &id)?;
    let ad = state.social.read(&state, |s| s.ad(&me, id).cloned()).await??;
    let names = namer(&state).await?;
    Ok(Json(ad_out(&state, &ad, ad.status_at(state.local_now()), &names)))
}

/// Edits one's ad.
#[utoipa::path(put, path = "/api/social/ads/{id}", tag = "social", request_body = AdForm, params(("id" = u64, Path)),
    responses((status = 200, body = AdOut), (status = 403, body = crate::error::ErrorBody)))]
pub async fn edit_ad(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(f): Body<AdForm>,
) -> ApiResult<Json<AdOut>> {
    caller.nip()?;
    let ad = id_of("ad", &id)?;
    let draft = f.draft()?;
    run_on_ad(&state, &caller, Command::EditAd { ad, draft }).await
}

/// A status change of one's ad.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusForm {
    /// `reserve`, `unreserve`, `sold`, `withdraw` or `renew`.
    pub action: String,
}

/// Reserves, un-reserves, marks sold, withdraws or renews one's ad.
#[utoipa::path(post, path = "/api/social/ads/{id}/status", tag = "social", request_body = StatusForm,
    params(("id" = u64, Path)),
    responses((status = 200, body = AdOut), (status = 409, body = crate::error::ErrorBody)))]
pub async fn ad_status(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(f): Body<StatusForm>,
) -> ApiResult<Json<AdOut>> {
    caller.nip()?;
    let ad = id_of("ad", &id)?;
    let cmd = match f.action.as_str() {
        "reserve" => Command::Reserve { ad },
        "unreserve" => Command::Unreserve { ad },
        "sold" => Command::MarkSold { ad },
        "withdraw" => Command::Withdraw { ad },
        "renew" => Command::Renew { ad },
        other => {
            return Err(ApiError::bad_request(
                "invalid_action",
                format!("`{}` is not reserve, unreserve, sold, withdraw or renew", crate::error::clip(other)),
            )
            .with_field("action"));
        }
    };
    run_on_ad(&state, &caller, cmd).await
}

/// A reason (moderation, access, report) or a note.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonForm {
    /// The reason.
    pub reason: String,
}

/// A moderator removes an ad, with a reason.
#[utoipa::path(post, path = "/api/social/ads/{id}/removal", tag = "social", request_body = ReasonForm,
    params(("id" = u64, Path)),
    responses((status = 200, body = AdOut), (status = 403, body = crate::error::ErrorBody)))]
pub async fn remove_ad(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(f): Body<ReasonForm>,
) -> ApiResult<Json<AdOut>> {
    caller.nip()?;
    let ad = id_of("ad", &id)?;
    run_on_ad(&state, &caller, Command::RemoveAd { ad, reason: f.reason }).await
}

/// A photo stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct PhotoOut {
    /// Its id (SHA-256 of the bytes).
    pub id: String,
    /// Its type.
    pub content_type: String,
    /// Bytes.
    pub size: usize,
}

/// The type of an image by its first bytes: JPEG, PNG or WebP; nothing else.
pub fn sniff_image(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// Uploads an ad photo (the body is the image: JPEG, PNG or WebP, recognised by
/// its first bytes whatever the declared type; at most `social.photo_max_bytes`).
#[utoipa::path(post, path = "/api/social/photos", tag = "social", request_body(content = Vec<u8>, content_type = "image/jpeg"),
    responses((status = 200, body = PhotoOut), (status = 413, body = crate::error::ErrorBody),
              (status = 415, body = crate::error::ErrorBody)))]
pub async fn upload_photo(
    State(state): State<AppState>,
    caller: Caller,
    RawBody(bytes): RawBody,
) -> ApiResult<Json<PhotoOut>> {
    let ctx = ctx(&state, &caller).await?;
    let content_type = check_photo(&ctx, &bytes)?;
    Ok(Json(store_photo(&state, &ctx, content_type, bytes.to_vec()).await?))
}

/// Checks an uploaded photo before anything is stored, for the API and the web
/// form alike: the uploader may still post (in service), the size is at most the
/// policy's `social.photo_max_bytes`, and the first bytes are those of a JPEG,
/// PNG or WebP image (the declared type and file name are ignored). Answers the
/// sniffed type.
pub fn check_photo(ctx: &kinerja::social::Ctx, bytes: &[u8]) -> ApiResult<&'static str> {
    if !ctx.in_service {
        return Err(kinerja::social::SocialError::LeftService { actor: ctx.actor.clone() }.into());
    }
    let max = ctx.policy.photo_max_bytes.max(0) as usize;
    if bytes.len() > max {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "photo_too_large",
            format!("the photo has {} bytes; at most {max}", bytes.len()),
        ));
    }
    sniff_image(bytes).ok_or_else(|| {
        ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "not_an_image", "only JPEG, PNG and WebP photos are accepted")
    })
}

/// A photo's id: the SHA-256 of its bytes, in hex.
pub fn photo_id(bytes: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(bytes))
}

/// Stores a photo [`check_photo`] accepted (its id is the SHA-256 of the bytes).
pub async fn store_photo(
    state: &AppState,
    ctx: &kinerja::social::Ctx,
    content_type: &'static str,
    bytes: Vec<u8>,
) -> ApiResult<PhotoOut> {
    let id = photo_id(&bytes);
    let size = bytes.len();
    state
        .store
        .put_photo(&PhotoRow {
            id: id.clone(),
            owner: ctx.actor.to_string(),
            content_type: content_type.into(),
            uploaded_at: state.now_text(),
            data: bytes,
        })
        .await?;
    Ok(PhotoOut { id, content_type: content_type.into(), size })
}

/// A photo, served as the image it is: its sniffed type, `nosniff`, as an
/// attachment-safe inline file with a sandboxing policy; never as HTML.
#[utoipa::path(get, path = "/api/social/photos/{id}", tag = "social", params(("id" = String, Path)),
    responses((status = 200, description = "The image", content_type = "image/jpeg"),
              (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_photo(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> ApiResult<Response> {
    caller.nip()?;
    if id.len() != 64 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ApiError::not_found("photo", id));
    }
    let p = state.store.photo(&id.to_ascii_lowercase()).await?.ok_or_else(|| ApiError::not_found("photo", &id))?;
    // The type is the sniffed one stored at upload; check again in case of a foreign row.
    let ct = sniff_image(&p.data).ok_or_else(|| ApiError::not_found("photo", &id))?;
    let ext = match ct {
        "image/png" => "png",
        "image/webp" => "webp",
        _ => "jpg",
    };
    let mut h = HeaderMap::new();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"foto-{}.{ext}\"", &p.id[..16])) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=86400"));
    Ok((h, p.data).into_response())
}

/// A conversation in the caller's list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConversationLine {
    /// Its id.
    pub id: u64,
    /// The other member's NIP.
    pub with: String,
    /// Their name.
    pub with_name: String,
    /// The ad it is about.
    pub ad: Option<u64>,
    /// The ad's title.
    pub ad_title: Option<String>,
    /// Unread messages.
    pub unread: u64,
    /// Last activity.
    pub last_at: String,
}

/// The caller's conversations.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConversationsOut {
    /// Most recent first.
    pub conversations: Vec<ConversationLine>,
    /// Unread messages in all.
    pub unread: u64,
}

/// The caller's conversations, with unread counts.
#[utoipa::path(get, path = "/api/social/conversations", tag = "social",
    responses((status = 200, body = ConversationsOut)))]
pub async fn conversations(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<ConversationsOut>> {
    let me = caller.nip()?.clone();
    let names = namer(&state).await?;
    let (list, titles): (Vec<ConversationSummary>, Vec<Option<String>>) = state
        .social
        .read(&state, |s| {
            let list = s.conversations_of(&me);
            let titles = list.iter().map(|c| c.ad.and_then(|a| s.ads.get(&a)).map(|a| a.draft.title.clone())).collect();
            (list, titles)
        })
        .await?;
    let unread = list.iter().map(|c| c.unread).sum();
    let conversations = list
        .into_iter()
        .zip(titles)
        .map(|(c, ad_title)| ConversationLine {
            id: c.id,
            with_name: names(&c.with),
            with: c.with.to_string(),
            ad: c.ad,
            ad_title,
            unread: c.unread,
            last_at: c.last_at.format(TIME).to_string(),
        })
        .collect();
    Ok(Json(ConversationsOut { conversations, unread }))
}

/// A conversation to open: with an employee, or with an ad's seller.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenForm {
    /// The employee (direct).
    #[serde(default)]
    pub with: Option<String>,
    /// The ad (with its seller).
    #[serde(default)]
    pub ad: Option<u64>,
}

/// An opened (or already open) conversation.
#[derive(Debug, Serialize, ToSchema)]
pub struct Opened {
    /// Its id.
    pub conversation: u64,
    /// False when it was already open.
    pub new: bool,
}

/// Opens a conversation (or answers the one already open between the two about the same ad).
#[utoipa::path(post, path = "/api/social/conversations", tag = "social", request_body = OpenForm,
    responses((status = 200, body = Opened), (status = 403, body = crate::error::ErrorBody)))]
pub async fn open(State(state): State<AppState>, caller: Caller, Body(f): Body<OpenForm>) -> ApiResult<Json<Opened>> {
    let cmd = match (&f.with, f.ad) {
        (Some(w), None) => Command::OpenDirect { with: nip_of(w)?.clone() },
        (None, Some(ad)) => Command::OpenAboutAd { ad },
        _ => {
            return Err(ApiError::bad_request("invalid_input", "give either `with` (a NIP) or `ad` (an ad number)"));
        }
    };
    let ctx = ctx(&state, &caller).await?;
    let result = state
        .social
        .execute(&state, &ctx, cmd, |_, r| match &r.event {
            SocialEvent::ConversationOpened { conversation, .. } => *conversation,
            _ => 0,
        })
        .await;
    match result {
        Ok(conversation) => Ok(Json(Opened { conversation, new: true })),
        Err(e) if e.code == "conversation_exists" => {
            let me = ctx.actor.clone();
            let existing = state
                .social
                .read(&state, |s| match &f {
                    OpenForm { ad: Some(ad), .. } => {
                        s.ads.get(ad).and_then(|a| s.find_conversation(&me, &a.seller, Some(*ad)))
                    }
                    OpenForm { with: Some(w), .. } => {
                        Nip::parse(w).ok().and_then(|w| s.find_conversation(&me, &w, None))
                    }
                    _ => None,
                })
                .await?;
            existing.map(|conversation| Json(Opened { conversation, new: false })).ok_or(e)
        }
        Err(e) => Err(e),
    }
}

/// A message as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageOut {
    /// Its id.
    pub id: u64,
    /// The sender's NIP.
    pub sender: String,
    /// When.
    pub sent_at: String,
    /// When last edited.
    pub edited_at: Option<String>,
    /// The text (none once deleted or expired).
    pub body: Option<String>,
    /// Deleted or expired.
    pub deleted: bool,
    /// Read by the other member.
    pub read_by_other: bool,
}

/// A conversation as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConversationOut {
    /// Its id.
    pub id: u64,
    /// The two members' NIPs.
    pub members: Vec<String>,
    /// Their names.
    pub names: Vec<String>,
    /// The ad it is about.
    pub ad: Option<u64>,
    /// Messages, oldest first.
    pub messages: Vec<MessageOut>,
}

/// The API's view of a core view.
pub fn conversation_out(v: ConversationView, names: &dyn Fn(&Nip) -> String) -> ConversationOut {
    ConversationOut {
        id: v.id,
        names: v.members.iter().map(names).collect(),
        members: v.members.iter().map(|n| n.to_string()).collect(),
        ad: v.ad,
        messages: v
            .messages
            .into_iter()
            .map(|m| MessageOut {
                id: m.id,
                sender: m.sender.to_string(),
                sent_at: m.sent_at.format(TIME).to_string(),
                edited_at: m.edited_at.map(|t| t.format(TIME).to_string()),
                body: m.body,
                deleted: m.deleted,
                read_by_other: m.read_by_other,
            })
            .collect(),
    }
}

/// One conversation (members only; an administrator after `POST .../access`).
/// Reading stores nothing: mark it read with `POST .../read`.
#[utoipa::path(get, path = "/api/social/conversations/{id}", tag = "social", params(("id" = u64, Path)),
    responses((status = 200, body = ConversationOut), (status = 403, body = crate::error::ErrorBody)))]
pub async fn conversation(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ConversationOut>> {
    let me = caller.nip()?.clone();
    let id = id_of("conversation", &id)?;
    let ctx = ctx(&state, &caller).await?;
    let v = state.social.read(&state, |s| s.conversation(&me, id, ctx.at, ctx.policy.admin_access_minutes)).await??;
    let names = namer(&state).await?;
    Ok(Json(conversation_out(v, &names)))
}

/// A message to send.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendForm {
    /// The text.
    pub body: String,
    /// An idempotency key: the same key from the same sender delivers once
    /// (the second answer names the first message).
    #[serde(default)]
    pub key: Option<String>,
}

/// A message sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct Sent {
    /// The message's id.
    pub message: u64,
    /// False when the key had already delivered it.
    pub new: bool,
}

/// Sends a message.
#[utoipa::path(post, path = "/api/social/conversations/{id}/messages", tag = "social", request_body = SendForm,
    params(("id" = u64, Path)),
    responses((status = 200, body = Sent), (status = 403, body = crate::error::ErrorBody),
              (status = 429, body = crate::error::ErrorBody)))]
pub async fn send(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(f): Body<SendForm>,
) -> ApiResult<Json<Sent>> {
    caller.nip()?;
    let conversation = id_of("conversation", &id)?;
    let ctx = ctx(&state, &caller).await?;
    if let Some(k) = &f.key {
        let me = ctx.actor.clone();
        if let Some(message) = state.social.read(&state, |s| s.sent_with_key(&me, k)).await? {
            return Ok(Json(Sent { message, new: false }));
        }
    }
    let cmd = Command::Send { conversation, body: f.body, key: f.key };
    let message = state
        .social
        .execute(&state, &ctx, cmd, |_, r| match &r.event {
            SocialEvent::MessageSent { message, .. } => *message,
            _ => 0,
        })
        .await?;
    Ok(Json(Sent { message, new: true }))
}

/// Marks a conversation read up to its last message (the read receipt).
#[utoipa::path(post, path = "/api/social/conversations/{id}/read", tag = "social", params(("id" = u64, Path)),
    responses((status = 204, description = "Marked read"), (status = 403, body = crate::error::ErrorBody)))]
pub async fn mark_read(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> ApiResult<StatusCode> {
    caller.nip()?;
    let conversation = id_of("conversation", &id)?;
    let ctx = ctx(&state, &caller).await?;
    state.social.execute(&state, &ctx, Command::MarkRead { conversation }, |_, _| ()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An administrator reads a conversation they are not in, recording why (an
/// event of the record); the answer is the conversation.
#[utoipa::path(post, path = "/api/social/conversations/{id}/access", tag = "social", request_body = ReasonForm,
    params(("id" = u64, Path)),
    responses((status = 200, body = ConversationOut), (status = 403, body = crate::error::ErrorBody)))]
pub async fn access(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(f): Body<ReasonForm>,
) -> ApiResult<Json<ConversationOut>> {
    caller.nip()?;
    let conversation = id_of("conversation", &id)?;
    let ctx = ctx(&state, &caller).await?;
    let me = ctx.actor.clone();
    let v = state
        .social
        .execute(&state, &ctx, Command::AccessConversation { conversation, reason: f.reason }, |s, _| {
            s.conversation(&me, conversation, ctx.at, ctx.policy.admin_access_minutes)
        })
        .await??;
    let names = namer(&state).await?;
    Ok(Json(conversation_out(v, &names)))
}

/// The conversation's live events (server-sent events): `message`, `edited`,
/// `deleted`, `read`, each with the message id as data. Members only.
#[utoipa::path(get, path = "/api/social/conversations/{id}/stream", tag = "social", params(("id" = u64, Path)),
    responses((status = 200, description = "text/event-stream", content_type = "text/event-stream"),
              (status = 403, body = crate::error::ErrorBody)))]
pub async fn stream(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let me = caller.nip()?.clone();
    let conversation = id_of("conversation", &id)?;
    // Members only (an administrator's access does not extend to the live stream).
    let member = state
        .social
        .read(&state, |s| s.conversations.get(&conversation).map(|c| c.has(&me)))
        .await?
        .ok_or_else(|| {
            ApiError::from(kinerja::social::SocialError::SocialNotFound { record: "conversation", id: conversation })
        })?;
    if !member {
        return Err(kinerja::social::SocialError::NotAMember { conversation, actor: me }.into());
    }
    let rx = state.social.notices.subscribe();
    let s = futures_util::stream::unfold((rx, me), move |(mut rx, me)| async move {
        loop {
            match rx.recv().await {
                Ok(n) if n.conversation == conversation && n.members.contains(&me) => {
                    let ev = Event::default().event(n.what).data(n.message.to_string());
                    return Some((Ok(ev), (rx, me)));
                }
                Ok(_) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    // Some were missed: tell the page to reload the messages.
                    return Some((Ok(Event::default().event("message").data("0")), (rx, me)));
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Ok(Sse::new(s).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// A message's new text.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditForm {
    /// The text.
    pub body: String,
}

/// Edits one's message within the policy's window.
#[utoipa::path(put, path = "/api/social/messages/{id}", tag = "social", request_body = EditForm,
    params(("id" = u64, Path)),
    responses((status = 204, description = "Edited"), (status = 409, body = crate::error::ErrorBody)))]
pub async fn edit_message(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(f): Body<EditForm>,
) -> ApiResult<StatusCode> {
    caller.nip()?;
    let message = id_of("message", &id)?;
    let ctx = ctx(&state, &caller).await?;
    state.social.execute(&state, &ctx, Command::EditMessage { message, body: f.body }, |_, _| ()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes one's message (its text is erased from storage).
#[utoipa::path(delete, path = "/api/social/messages/{id}", tag = "social", params(("id" = u64, Path)),
    responses((status = 204, description = "Deleted"), (status = 403, body = crate::error::ErrorBody)))]
pub async fn delete_message(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    caller.nip()?;
    let message = id_of("message", &id)?;
    let ctx = ctx(&state, &caller).await?;
    state.social.execute(&state, &ctx, Command::DeleteMessage { message }, |_, _| ()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Blocks or unblocks an employee.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockForm {
    /// Who.
    pub nip: String,
    /// True to block, false to unblock.
    pub blocked: bool,
}

/// Blocks (or unblocks) an employee: neither can then message the other.
#[utoipa::path(post, path = "/api/social/blocks", tag = "social", request_body = BlockForm,
    responses((status = 204, description = "Done"), (status = 400, body = crate::error::ErrorBody)))]
pub async fn block(State(state): State<AppState>, caller: Caller, Body(f): Body<BlockForm>) -> ApiResult<StatusCode> {
    caller.nip()?;
    let nip = nip_of(&f.nip)?;
    let ctx = ctx(&state, &caller).await?;
    let cmd = if f.blocked { Command::Block { nip } } else { Command::Unblock { nip } };
    state.social.execute(&state, &ctx, cmd, |_, _| ()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A report to moderation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportForm {
    /// The ad reported.
    #[serde(default)]
    pub ad: Option<u64>,
    /// The message reported (one of the caller's conversations).
    #[serde(default)]
    pub message: Option<u64>,
    /// Why.
    pub reason: String,
}

/// A report as moderators see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportOut {
    /// Its id.
    pub id: u64,
    /// Who reported.
    pub by: String,
    /// `ad` or `message`.
    pub kind: String,
    /// The ad's or message's id.
    pub target: u64,
    /// Why.
    pub reason: String,
    /// When.
    pub at: String,
    /// The ad's title or the message's text (what is reported is shown to moderators).
    pub excerpt: Option<String>,
}

/// Reports an ad or a message to the moderators.
#[utoipa::path(post, path = "/api/social/reports", tag = "social", request_body = ReportForm,
    responses((status = 200, description = "The report's id"), (status = 403, body = crate::error::ErrorBody)))]
pub async fn report(State(state): State<AppState>, caller: Caller, Body(f): Body<ReportForm>) -> ApiResult<Json<u64>> {
    caller.nip()?;
    let target = match (f.ad, f.message) {
        (Some(a), None) => ReportTarget::Ad(a),
        (None, Some(m)) => ReportTarget::Message(m),
        _ => return Err(ApiError::bad_request("invalid_input", "give either `ad` or `message`")),
    };
    let ctx = ctx(&state, &caller).await?;
    let id = state
        .social
        .execute(&state, &ctx, Command::Report { target, reason: f.reason }, |_, r| match &r.event {
            SocialEvent::Reported { report, .. } => *report,
            _ => 0,
        })
        .await?;
    Ok(Json(id))
}

fn report_out(s: &Social, r: &Report) -> ReportOut {
    let (kind, target, excerpt) = match r.target {
        ReportTarget::Ad(a) => ("ad", a, s.ads.get(&a).map(|x| x.draft.title.clone())),
        ReportTarget::Message(m) => ("message", m, s.messages.get(&m).and_then(|x| x.body.clone())),
    };
    ReportOut {
        id: r.id,
        by: r.by.to_string(),
        kind: kind.into(),
        target,
        reason: r.reason.clone(),
        at: r.at.format(TIME).to_string(),
        excerpt,
    }
}

/// Open reports (moderators only).
#[utoipa::path(get, path = "/api/social/reports", tag = "social",
    responses((status = 200, body = Vec<ReportOut>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn reports(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<ReportOut>>> {
    let me = caller.nip()?.clone();
    let out = state
        .social
        .read(&state, |s| s.open_reports(&me).map(|rs| rs.into_iter().map(|r| report_out(s, r)).collect::<Vec<_>>()))
        .await??;
    Ok(Json(out))
}

/// A moderator's note on a resolved report.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteForm {
    /// What was done.
    pub note: String,
}

/// A moderator resolves a report.
#[utoipa::path(post, path = "/api/social/reports/{id}/resolve", tag = "social", request_body = NoteForm,
    params(("id" = u64, Path)),
    responses((status = 204, description = "Resolved"), (status = 403, body = crate::error::ErrorBody)))]
pub async fn resolve(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Body(f): Body<NoteForm>,
) -> ApiResult<StatusCode> {
    caller.nip()?;
    let report = id_of("report", &id)?;
    let ctx = ctx(&state, &caller).await?;
    state.social.execute(&state, &ctx, Command::Resolve { report, note: f.note }, |_, _| ()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Names or withdraws a moderator.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModeratorForm {
    /// Who.
    pub nip: String,
    /// True to name, false to withdraw.
    pub named: bool,
}

/// An HR officer names (or withdraws) a moderator of the social space.
#[utoipa::path(post, path = "/api/social/moderators", tag = "social", request_body = ModeratorForm,
    responses((status = 204, description = "Done"), (status = 403, body = crate::error::ErrorBody)))]
pub async fn moderator(
    State(state): State<AppState>,
    caller: Caller,
    Body(f): Body<ModeratorForm>,
) -> ApiResult<StatusCode> {
    caller.nip()?;
    let nip = nip_of(&f.nip)?;
    let ctx = ctx(&state, &caller).await?;
    let cmd = if f.named { Command::NameModerator { nip } } else { Command::WithdrawModerator { nip } };
    state.social.execute(&state, &ctx, cmd, |_, _| ()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What a phone keeps to read the social space offline: the board's active ads,
/// the caller's own ads and conversations (`kinerja::social::SocialBundle`), with a
/// fresh session id that starts the phone's message keys. Issuing it stores
/// nothing; the phone delivers its queued messages with
/// `POST /api/social/conversations/{id}/messages` and their keys (exactly once).
#[utoipa::path(get, path = "/api/social/bundle", tag = "social",
    responses((status = 200, description = "The bundle (kinerja::social::SocialBundle as JSON)"),
              (status = 403, body = crate::error::ErrorBody)))]
pub async fn bundle(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<kinerja::social::SocialBundle>> {
    caller.nip()?;
    let ctx = ctx(&state, &caller).await?;
    let mut raw = [0u8; 12];
    getrandom::fill(&mut raw).map_err(|e| ApiError::internal(format!("no randomness: {e}")))?;
    let session = hex::encode(raw);
    let b = state.social.read(&state, |s| s.bundle(&ctx.actor, &session, ctx.at, &ctx.policy)).await?;
    Ok(Json(b))
}
