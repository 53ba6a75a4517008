//! The JSON API, under `/api`, described as OpenAPI 3 at `/api/openapi.json`.
//!
//! Handlers are thin: they read the request, ask the core (authorisation in
//! `kinerja::grants` and the ledger, rules in the ledger and payroll), and
//! answer. The actor is always the signed-in caller and the time is always
//! the server's clock; a client names neither (a phone's or clock machine's
//! own time is kept beside the server's receive time, and the core judges how
//! far back it may claim).

use std::net::{IpAddr, SocketAddr};

use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use kinerja::YearMonth;
use kinerja::nip::Nip;
use serde::de::DeserializeOwned;
use utoipa::OpenApi;

use crate::error::{ApiError, clip};
use crate::state::AppState;

pub mod hr;
pub mod imports;
pub mod insights;
pub mod records;
pub mod session;
pub mod social;
pub mod sync;
pub mod work;

/// The OpenAPI description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kinerja server API",
        description = "e-Kinerja for a city: daily activity, verification, attendance, \
                       allowance (TPP), phone sync. Errors are JSON with the core's stable code.",
        license(name = "Apache-2.0")
    ),
    paths(
        health,
        session::login,
        session::logout,
        session::activate,
        session::change_password,
        session::me,
        session::my_sessions,
        session::end_session,
        session::new_token,
        work::my_day,
        work::log_activity,
        work::edit_activity,
        work::resubmit,
        work::employee_month,
        work::employee_allowance,
        work::targets,
        work::my_queue,
        work::verify,
        records::clock,
        records::absence,
        records::unit_roll,
        records::roll_call,
        records::ceremony,
        hr::import_dataset,
        hr::list_datasets,
        hr::import_policy,
        hr::months,
        hr::close_month,
        hr::reopen_month,
        hr::recap,
        hr::journal,
        hr::payroll,
        hr::pay,
        hr::payroll_csv,
        hr::payroll_xlsx,
        hr::slip,
        hr::what_if,
        hr::activation_codes,
        hr::device_token,
        hr::audit_log,
        insights::budget,
        insights::readiness,
        insights::awards_of,
        insights::shadow,
        insights::import_budget,
        insights::record_realisation,
        insights::record_plan,
        insights::record_rollout,
        insights::nominate,
        insights::nominations,
        insights::score,
        imports::attendance,
        imports::employees,
        sync::bundle,
        sync::upload,
        social::search_ads,
        social::post_ad,
        social::get_ad,
        social::edit_ad,
        social::ad_status,
        social::remove_ad,
        social::upload_photo,
        social::get_photo,
        social::conversations,
        social::open,
        social::conversation,
        social::send,
        social::mark_read,
        social::access,
        social::stream,
        social::edit_message,
        social::delete_message,
        social::block,
        social::report,
        social::reports,
        social::resolve,
        social::moderator,
        social::bundle,
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail)),
    tags(
        (name = "session", description = "Sign-in, accounts, sessions and tokens"),
        (name = "work", description = "The employee's day and the supervisor's queue"),
        (name = "records", description = "Attendance: clock machines, absences, roll calls"),
        (name = "hr", description = "Datasets, policies, months, payroll, accounts, audit"),
        (name = "insights", description = "Budgets, plans, roll-out, readiness, shadow months and awards"),
        (name = "sync", description = "Phone sync: bundles and uploads"),
        (name = "social", description = "The internal social space: classified ads and chat"),
    )
)]
pub struct ApiDoc;

/// The API's routes.
pub fn router(state: AppState) -> Router {
    let max_body = state.config.max_body;
    Router::new()
        .route("/api/health", get(health))
        .route("/api/openapi.json", get(openapi))
        .route("/api/auth/login", post(session::login))
        .route("/api/auth/logout", post(session::logout))
        .route("/api/auth/activate", post(session::activate))
        .route("/api/auth/password", post(session::change_password))
        .route("/api/me", get(session::me))
        .route("/api/me/sessions", get(session::my_sessions))
        .route("/api/me/sessions/{id}", delete(session::end_session))
        .route("/api/me/tokens", post(session::new_token))
        .route("/api/me/day", get(work::my_day))
        .route("/api/me/activities", post(work::log_activity))
        .route("/api/me/queue", get(work::my_queue))
        .route("/api/employees/{nip}/targets", get(work::targets))
        .route("/api/months/{month}/entries/{id}", put(work::edit_activity))
        .route("/api/months/{month}/entries/{id}/resubmit", post(work::resubmit))
        .route("/api/months/{month}/verifications", post(work::verify))
        .route("/api/months/{month}/employees/{nip}", get(work::employee_month))
        .route("/api/months/{month}/employees/{nip}/allowance", get(work::employee_allowance))
        .route("/api/clock", post(records::clock))
        .route("/api/months/{month}/absences", post(records::absence))
        .route("/api/units/{unit}/roll-call", get(records::unit_roll))
        .route("/api/months/{month}/roll-calls", post(records::roll_call))
        .route("/api/months/{month}/ceremonies", post(records::ceremony))
        .route("/api/admin/datasets", post(hr::import_dataset).get(hr::list_datasets))
        .route("/api/admin/policies", post(hr::import_policy))
        .route("/api/admin/activation-codes", post(hr::activation_codes))
        .route("/api/admin/devices/{id}/token", post(hr::device_token))
        .route("/api/admin/audit", get(hr::audit_log))
        .route("/api/admin/imports/attendance", post(imports::attendance))
        .route("/api/admin/imports/employees", post(imports::employees))
        .route("/api/months", get(hr::months))
        .route("/api/months/{month}/close", post(hr::close_month))
        .route("/api/months/{month}/reopen", post(hr::reopen_month))
        .route("/api/months/{month}/recap", get(hr::recap))
        .route("/api/months/{month}/budget", get(insights::budget))
        .route("/api/months/{month}/readiness", get(insights::readiness))
        .route("/api/months/{month}/awards", get(insights::awards_of))
        .route("/api/months/{month}/shadow", get(insights::shadow))
        .route("/api/budgets", post(insights::import_budget))
        .route("/api/budgets/{year}/{unit}/realisation", post(insights::record_realisation))
        .route("/api/plans", post(insights::record_plan))
        .route("/api/rollout", post(insights::record_rollout))
        .route("/api/awards/nominations", get(insights::nominations).post(insights::nominate))
        .route("/api/awards/nominations/{id}/scores", post(insights::score))
        .route("/api/months/{month}/journal", get(hr::journal))
        .route("/api/months/{month}/payroll", get(hr::payroll).post(hr::pay))
        .route("/api/months/{month}/payroll.csv", get(hr::payroll_csv))
        .route("/api/months/{month}/payroll.xlsx", get(hr::payroll_xlsx))
        .route("/api/months/{month}/slips/{nip}", get(hr::slip))
        .route("/api/months/{month}/what-if", post(hr::what_if))
        .route("/api/sync/bundle", get(sync::bundle))
        .route("/api/sync/upload", post(sync::upload))
        .route("/api/social/ads", get(social::search_ads).post(social::post_ad))
        .route("/api/social/ads/{id}", get(social::get_ad).put(social::edit_ad))
        .route("/api/social/ads/{id}/status", post(social::ad_status))
        .route("/api/social/ads/{id}/removal", post(social::remove_ad))
        .route("/api/social/photos", post(social::upload_photo))
        .route("/api/social/photos/{id}", get(social::get_photo))
        .route("/api/social/conversations", get(social::conversations).post(social::open))
        .route("/api/social/conversations/{id}", get(social::conversation))
        .route("/api/social/conversations/{id}/messages", post(social::send))
        .route("/api/social/conversations/{id}/read", post(social::mark_read))
        .route("/api/social/conversations/{id}/access", post(social::access))
        .route("/api/social/conversations/{id}/stream", get(social::stream))
        .route("/api/social/messages/{id}", put(social::edit_message).delete(social::delete_message))
        .route("/api/social/blocks", post(social::block))
        .route("/api/social/reports", get(social::reports).post(social::report))
        .route("/api/social/reports/{id}/resolve", post(social::resolve))
        .route("/api/social/moderators", post(social::moderator))
        .route("/api/social/bundle", get(social::bundle))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn_with_state(state.clone(), body_limit))
        .layer(middleware::from_fn(crate::error::localize_errors))
        .with_state(state)
}

/// Refuses a request whose declared body is over the limit before any handler
/// runs (413 `body_too_large`), also for endpoints that read no body; a body
/// sent without its length is cut at the limit by the JSON reader ([`Body`]).
async fn body_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let max = state.config.max_body;
    if declared.is_some_and(|n| n > max as u64) {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("the request body is larger than the service accepts ({max} bytes)"),
        )
        .into_response();
    }
    next.run(req).await
}

async fn method_not_allowed(method: Method, uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{method} is not allowed on {}", clip(uri.path())),
    )
}

/// Is the service up (and its database reachable)?
#[utoipa::path(get, path = "/api/health", tag = "session", responses((status = 200, description = "Up")))]
pub async fn health(axum::extract::State(state): axum::extract::State<AppState>) -> Result<&'static str, ApiError> {
    state.store.meta("schema").await?;
    Ok("ok")
}

async fn openapi() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}

async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found("path", clip(uri.path()))
}

/// A path's parameters, whose rejections are the API's JSON errors (400
/// `invalid_path`, e.g. for a percent-encoding that is not UTF-8).
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(r) => Err(ApiError::new(r.status(), "invalid_path", r.body_text())),
        }
    }
}

/// A query string, whose rejections are the API's JSON errors (400 `invalid_query`).
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Query(v)),
            Err(r) => Err(ApiError::new(r.status(), "invalid_query", r.body_text())),
        }
    }
}

/// A JSON body whose rejections are the API's JSON errors (400 for unreadable
/// JSON, 413 for a body over the limit, 415 without the JSON content type).
pub struct Body<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Body(v)),
            Err(r) => Err(json_rejection(r)),
        }
    }
}

/// A body read as bytes (a CSV file), whose rejections are the API's JSON
/// errors (413 `body_too_large` over the limit, 400 `invalid_body` when it
/// cannot be read).
pub struct RawBody(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match axum::body::Bytes::from_request(req, state).await {
            Ok(b) => Ok(RawBody(b)),
            Err(r) => {
                let status = r.status();
                let code = if status == StatusCode::PAYLOAD_TOO_LARGE { "body_too_large" } else { "invalid_body" };
                Err(ApiError::new(status, code, r.body_text()))
            }
        }
    }
}

fn json_rejection(r: JsonRejection) -> ApiError {
    let status = r.status();
    let code = match status.as_u16() {
        413 => "body_too_large",
        415 => "not_json",
        _ => "invalid_json",
    };
    ApiError::new(status, code, r.body_text())
}

/// The client's address: the connection's, or with `trust_proxy` the first of
/// `X-Forwarded-For`.
#[derive(Clone, Copy, Debug)]
pub struct Client(pub IpAddr);

/// The language the caller reads: `?lang=id|en`, else their `Accept-Language`, else
/// Indonesian ([`kinerja::i18n::Lang::negotiate`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Language(pub kinerja::i18n::Lang);

impl<S: Send + Sync> FromRequestParts<S> for Language {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Language, Self::Rejection> {
        let query =
            parts.uri.query().and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("lang="))).map(str::to_string);
        let accept = parts.headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
        Ok(Language(kinerja::i18n::Lang::negotiate(query.as_deref(), accept)))
    }
}

impl FromRequestParts<AppState> for Client {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Client, ApiError> {
        if state.config.trust_proxy
            && let Some(ip) = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .and_then(|v| v.trim().parse::<IpAddr>().ok())
        {
            return Ok(Client(ip));
        }
        let ip =
            parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()).unwrap_or(IpAddr::from([127, 0, 0, 1]));
        Ok(Client(ip))
    }
}

/// Reads a month from a path (`2026-10`).
pub fn month_of(text: &str) -> Result<YearMonth, ApiError> {
    text.parse::<YearMonth>()
        .map_err(|_| {
            ApiError::bad_request("invalid_month", format!("`{}` is not a month in the form YYYY-MM", clip(text)))
        })
        .map_err(|e| e.with_field("month"))
}

/// Reads a NIP from a path or body.
pub fn nip_of(text: &str) -> Result<Nip, ApiError> {
    Nip::parse(text).map_err(|e| {
        ApiError::bad_request("invalid_nip", format!("`{}` is not a NIP: {}", clip(text), clip(&e.to_string())))
            .with_field("nip")
    })
}

/// Reads a date (`YYYY-MM-DD`).
pub fn date_of(field: &str, text: &str) -> Result<chrono::NaiveDate, ApiError> {
    kinerja::device::parse_date(text).ok_or_else(|| {
        ApiError::bad_request("invalid_date", format!("`{}` is not a date in the form YYYY-MM-DD", clip(text)))
            .with_field(field)
    })
}

/// The date a past or current month's records are judged on: today, or the
/// month's last day for a month already over (who supervised whom then).
pub fn judged_on(state: &AppState, month: YearMonth) -> chrono::NaiveDate {
    state.today().min(month.last_day())
}
