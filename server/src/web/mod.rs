//! The web application: server-rendered pages for people, in Indonesian first
//! (English by `?lang=en`, remembered in a cookie).
//!
//! Every page and form calls the JSON API's own handler functions
//! ([`crate::api`]) with the signed-in caller, so a page decides no rule and
//! checks no permission of its own: what the API refuses, the page shows,
//! written for people by [`i18n::Tr`]. Pages work without JavaScript; the
//! vendored htmx (`/static/htmx.min.js`, 0BSD) only makes links and forms swap
//! the page body instead of reloading it (`hx-boost`).
//!
//! Forms carry the session's CSRF token as the `_csrf` field; [`layer`] reads
//! it from the body before the handlers run and hands it to the session check
//! of [`crate::auth::Caller`], which refuses a change without it.

pub mod i18n;
mod insights;
mod pages;
pub mod social;

pub use pages::PAGE_SIZE;
pub mod svg;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::cookie::CookieJar;

use crate::api::session::Me;
use crate::auth::{Caller, CsrfChecked};
use crate::error::ApiError;
use crate::state::AppState;
use i18n::{Lang, Tr};

/// The cookie that remembers the language chosen.
pub const LANG_COOKIE: &str = "kinerja_lang";

/// The largest form body read (a bulk decision form of a big team stays far below).
const MAX_FORM: usize = 1 << 20;

/// The largest `multipart/form-data` body read (an ad's photos: each photo's own
/// limit is the policy's `social.photo_max_bytes`, checked per file by the API's
/// code; this only bounds what one request may make the server hold).
pub const MAX_UPLOAD: usize = 32 << 20;

/// The pages' routes (merged beside the API's).
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::root))
        .route("/static/htmx.min.js", get(pages::htmx))
        .route("/static/app.css", get(pages::css))
        .route("/start", get(pages::start))
        .route("/login", get(pages::login_page).post(pages::login_post))
        .route("/logout", post(pages::logout_post))
        .route("/activate", get(pages::activate_page).post(pages::activate_post))
        .route("/account", get(pages::account_page))
        .route("/account/password", post(pages::password_post))
        .route("/account/sessions/{id}/end", post(pages::end_session_post))
        .route("/home", get(pages::home))
        .route("/home/log", post(pages::log_post))
        .route("/home/entries/{month}/{id}", post(pages::edit_post))
        .route("/home/entries/{month}/{id}/resubmit", post(pages::resubmit_post))
        .route("/queue", get(pages::queue))
        .route("/queue/{month}/decide", post(pages::decide_post))
        .route("/team/{month}/{nip}", get(pages::team_month))
        .route("/roll/{unit}", get(pages::roll))
        .route("/hr", get(pages::hr_months))
        .route("/hr/{month}/close", post(pages::close_post))
        .route("/hr/{month}/reopen", post(pages::reopen_post))
        .route("/hr/{month}/units", get(pages::hr_units))
        .route("/hr/{month}/payroll", get(pages::payroll))
        .route("/hr/{month}/pay", post(pages::pay_post))
        .route("/hr/{month}/slips/{nip}", get(pages::slip))
        .route("/hr/{month}/what-if", get(pages::what_if_page).post(pages::what_if_post))
        .route("/static/chat.js", get(social::chat_js))
        .route("/social", get(social::board))
        .route("/social/ads", post(social::post_ad))
        .route("/social/ads/{id}", get(social::ad_page))
        .route("/social/ads/{id}/chat", post(social::chat_with_seller))
        .route("/social/ads/{id}/status", post(social::ad_status_post))
        .route("/social/ads/{id}/report", post(social::report_ad_post))
        .route("/social/ads/{id}/remove", post(social::remove_ad_post))
        .route("/social/ads/{id}/photos", post(social::add_photos_post))
        .route("/social/chats", get(social::chats))
        .route("/social/chats/{id}", get(social::chat))
        .route("/social/chats/{id}/messages", get(social::chat_messages))
        .route("/social/chats/{id}/send", post(social::send_post))
        .route("/social/chats/{id}/messages/{message}/delete", post(social::delete_message_post))
        .route("/social/chats/{id}/messages/{message}/report", post(social::report_message_post))
        .route("/social/chats/{id}/messages/{message}/edit", post(social::edit_message_post))
        .route("/social/access", get(social::access_page).post(social::access_post))
        .route("/social/moderation", get(social::moderation))
        .route("/social/moderation/{id}/resolve", post(social::resolve_post))
        .route("/social/moderation/moderators", post(social::moderator_post))
        .route("/hr/{month}/budget", get(insights::budget))
        .route("/hr/{month}/readiness", get(insights::readiness))
        .route("/hr/{month}/awards", get(insights::awards))
        .route("/hr/{month}/rollout", post(insights::rollout_post))
        .route("/hr/{month}/shadow", get(insights::shadow))
        .route("/hr/{month}/nominations", post(insights::nominate_post))
        .route("/panel", get(insights::panel))
        .route("/panel/nominations/{id}/score", post(insights::score_post))
        .layer(middleware::from_fn(layer))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_UPLOAD))
        .with_state(state)
}

/// Reads the language (query `lang`, else the cookie, else Indonesian) into the
/// request, remembers a language given in the query, and for a form post reads
/// its `_csrf` field for the session check.
async fn layer(mut req: Request, next: Next) -> Response {
    let query_lang = req.uri().query().and_then(|q| {
        form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "lang").and_then(|(_, v)| i18n::parse_lang(&v))
    });
    let cookie_lang = CookieJar::from_headers(req.headers()).get(LANG_COOKIE).and_then(|c| i18n::parse_lang(c.value()));
    let lang = query_lang.or(cookie_lang).unwrap_or_default();
    req.extensions_mut().insert(lang);
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if req.method() == Method::POST && is_multipart {
        let (parts, body) = req.into_parts();
        let bytes = match to_bytes(body, MAX_UPLOAD).await {
            Ok(b) => b,
            Err(_) => {
                let e = ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", "the upload is too large");
                return error_page(Tr::new(lang), &e);
            }
        };
        let csrf = multipart_csrf(&parts, bytes.clone()).await;
        req = Request::from_parts(parts, Body::from(bytes));
        if let Some(t) = csrf {
            req.extensions_mut().insert(CsrfChecked(t));
        }
    } else if req.method() == Method::POST && is_form {
        let (parts, body) = req.into_parts();
        let bytes = match to_bytes(body, MAX_FORM).await {
            Ok(b) => b,
            Err(_) => {
                let e = ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", "the form is too large");
                return error_page(Tr::new(lang), &e);
            }
        };
        let csrf = form_urlencoded::parse(&bytes).find(|(k, _)| k == "_csrf").map(|(_, v)| v.into_owned());
        req = Request::from_parts(parts, Body::from(bytes));
        if let Some(t) = csrf {
            req.extensions_mut().insert(CsrfChecked(t));
        }
    }
    let mut resp = next.run(req).await;
    if let Some(l) = query_lang {
        let cookie = format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", l.as_str());
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    resp
}

/// The `_csrf` field of a `multipart/form-data` body (read from a copy; the
/// handler reads the body again with axum's `Multipart`).
async fn multipart_csrf(parts: &Parts, bytes: axum::body::Bytes) -> Option<String> {
    use axum::extract::{FromRequest, Multipart};
    let ct = parts.headers.get(header::CONTENT_TYPE)?.clone();
    let mut copy =
        Request::builder().method(Method::POST).header(header::CONTENT_TYPE, ct).body(Body::from(bytes)).ok()?;
    // The body limit set for the pages travels in the extensions.
    *copy.extensions_mut() = parts.extensions.clone();
    let mut m = Multipart::from_request(copy, &()).await.ok()?;
    while let Ok(Some(field)) = m.next_field().await {
        if field.name() == Some("_csrf") {
            return field.text().await.ok();
        }
    }
    None
}

/// The language of a request (set by [`layer`]).
#[derive(Clone, Copy, Debug)]
pub struct PageLang(pub Tr);

impl<S: Send + Sync> FromRequestParts<S> for PageLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<PageLang, Self::Rejection> {
        Ok(PageLang(Tr::new(parts.extensions.get::<Lang>().copied().unwrap_or_default())))
    }
}

/// A signed-in person on a page: the caller (session checked, and the CSRF
/// token for a change), who they are ([`Me`], from the API), and their language.
/// Without a session the page answers with a redirect to the sign-in page.
#[derive(Debug)]
pub struct Who {
    /// The caller, as the API's handlers take it.
    pub caller: Caller,
    /// Who they are and their roles today.
    pub me: Me,
    /// Their language.
    pub tr: Tr,
    /// The path and query asked for (for the language switch).
    pub here: String,
}

impl FromRequestParts<AppState> for Who {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Who, Response> {
        let PageLang(tr) = PageLang::from_request_parts(parts, state).await.unwrap_or(PageLang(Tr::new(Lang::Id)));
        let here = parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
        let caller = match Caller::from_request_parts(parts, state).await {
            Ok(c) => c,
            Err(e) if e.status == StatusCode::UNAUTHORIZED => {
                return Err(Redirect::to("/login").into_response());
            }
            Err(e) => return Err(error_page(tr, &e)),
        };
        let me = crate::api::session::me(State(state.clone()), caller.clone()).await.map_err(|e| error_page(tr, &e))?.0;
        Ok(Who { caller, me, tr, here })
    }
}

/// A menu entry.
#[derive(Clone, Debug)]
pub struct NavItem {
    /// Where it goes.
    pub href: String,
    /// What it says.
    pub label: String,
    /// The page shown is this one.
    pub current: bool,
}

/// What every page of a signed-in person shows around its content.
#[derive(Clone, Debug)]
pub struct Layout {
    /// The language.
    pub tr: Tr,
    /// The page title.
    pub title: String,
    /// The person's name and NIP, when signed in.
    pub user: Option<String>,
    /// The session's CSRF token, for forms.
    pub csrf: String,
    /// The menu.
    pub nav: Vec<NavItem>,
    /// The link to the page in the other language.
    pub switch_href: String,
    /// Its text.
    pub switch_label: String,
    /// A message after a change that worked.
    pub ok: Option<String>,
    /// A refusal to show at the top.
    pub err: Option<String>,
}

/// `here` with `lang=` set to `lang` (other query values kept).
fn with_lang(here: &str, lang: Lang) -> String {
    let (path, query) = here.split_once('?').unwrap_or((here, ""));
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| k != "lang" && k != "ok")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.push(("lang".into(), lang.as_str().into()));
    let q = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    format!("{path}?{q}")
}

impl Layout {
    /// The frame of a page for a signed-in person; `active` is the menu entry's href.
    pub fn of(who: &Who, title: String, active: &str) -> Layout {
        let tr = who.tr;
        let me = &who.me;
        let mut nav = Vec::new();
        let mut item = |href: String, id: &str| {
            let current = href == active;
            nav.push(NavItem { label: tr.t(id), href, current });
        };
        if me.kind == "employee" {
            item("/home".into(), "nav-home");
            item("/queue".into(), "nav-queue");
            item("/social".into(), "nav-social");
        }
        for unit in &me.attendance_units {
            item(format!("/roll/{unit}"), "nav-roll");
        }
        if me.hr_officer {
            item("/hr".into(), "nav-hr");
        }
        if me.officer_roles.iter().any(|r| r == "award_panel") {
            item("/panel".into(), "nav-panel");
        }
        item("/account".into(), "nav-account");
        let other = i18n::other(tr.lang);
        Layout {
            tr,
            title,
            user: Some(format!("{} · {}", me.name, me.actor)),
            csrf: me.csrf.clone().unwrap_or_default(),
            nav,
            switch_href: with_lang(&who.here, other),
            switch_label: Tr::new(other).t("lang-name"),
            ok: ok_message(tr, &who.here),
            err: None,
        }
    }

    /// The frame of a page for someone not signed in.
    pub fn anonymous(tr: Tr, title: String, here: &str) -> Layout {
        let other = i18n::other(tr.lang);
        Layout {
            tr,
            title,
            user: None,
            csrf: String::new(),
            nav: Vec::new(),
            switch_href: with_lang(here, other),
            switch_label: Tr::new(other).t("lang-name"),
            ok: ok_message(tr, here),
            err: None,
        }
    }
}

/// The confirmation named by `?ok=ID` after a redirect (only catalogue ids
/// starting with `ok-` are shown, so a link cannot put words on the page).
fn ok_message(tr: Tr, here: &str) -> Option<String> {
    let query = here.split_once('?').map(|(_, q)| q)?;
    let id = form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "ok").map(|(_, v)| v.into_owned())?;
    let id = format!("ok-{}", i18n::fluent_id(&id));
    tr.has(&id).then(|| tr.t(&id))
}

/// A page rendered from an askama template.
pub fn html(t: &impl askama::Template, status: StatusCode) -> Response {
    match t.render() {
        Ok(body) => (
            status,
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            body,
        )
            .into_response(),
        Err(e) => {
            tracing::error!("template: {e}");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

#[derive(askama::Template)]
#[template(path = "error.html")]
struct ErrorPage {
    l: Layout,
    status: u16,
    message: String,
    signed_out: bool,
}

/// A refusal or failure as a page, with the API's status code.
pub fn error_page(tr: Tr, e: &ApiError) -> Response {
    let mut l = Layout::anonymous(tr, tr.t("error-title"), "/");
    l.switch_href = format!("/?lang={}", tr.other_tag());
    let page = ErrorPage {
        l,
        status: e.status.as_u16(),
        message: tr.error(e),
        signed_out: e.status == StatusCode::UNAUTHORIZED,
    };
    html(&page, e.status)
}

/// A redirect after a change that worked (`ok` names the confirmation).
pub fn see_other(path: &str, ok: &str) -> Response {
    let sep = if path.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{path}{sep}ok={ok}")).into_response()
}
