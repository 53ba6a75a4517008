//! Sign-in, activation, passwords, sessions and tokens.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum_extra::extract::cookie::CookieJar;
use chrono::Duration;
use kinerja::YearMonth;
use kinerja::access::{ActorId, OfficerRole};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Body, Client, Path};
use crate::auth::{self, Caller, Via};
use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, TIME};
use crate::store::{AccountRow, SessionRow};

/// How a sign-in is kept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LoginMode {
    /// A browser session cookie (and a CSRF token in the answer).
    #[default]
    Cookie,
    /// A bearer token in the answer, for scripts and apps.
    Token,
}

/// Sign-in.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// NIP, `official:ID`.
    pub actor: String,
    /// The password.
    pub password: String,
    /// Cookie (default) or token.
    #[serde(default)]
    pub mode: LoginMode,
    /// A name for the session (the app, the script).
    #[serde(default)]
    pub label: Option<String>,
}

/// A signed-in session.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginAnswer {
    /// Who.
    pub actor: String,
    /// The session's public id.
    pub session: String,
    /// The CSRF token (cookie sessions): send it as `X-CSRF-Token` with every change.
    pub csrf: Option<String>,
    /// The bearer token (token mode), shown once.
    pub token: Option<String>,
    /// When it expires (local time).
    pub expires_at: String,
}

fn client_text(c: &Client) -> String {
    c.0.to_string()
}

/// A session's label is plain text: no control character (it is kept as typed,
/// at most 80 characters, and shown in the list of sessions).
fn label_ok(label: &str) -> ApiResult<()> {
    if label.chars().any(char::is_control) {
        return Err(
            ApiError::bad_request("invalid_text", "a label may not hold control characters").with_field("label")
        );
    }
    Ok(())
}

/// Creates a session for an actor; returns (row, secret).
pub async fn open_session(
    state: &AppState,
    actor: &str,
    kind: &str,
    label: &str,
    lifetime: Duration,
) -> Result<(SessionRow, String), ApiError> {
    let secret = auth::random_token(32)?;
    let now = state.local_now();
    let row = SessionRow {
        id: auth::random_token(9)?,
        token_hash: auth::sha256_hex(&secret),
        actor: actor.to_string(),
        kind: kind.to_string(),
        label: label.chars().take(80).collect(),
        csrf: auth::random_token(24)?,
        created_at: now.format(TIME).to_string(),
        expires_at: (now + lifetime).format(TIME).to_string(),
        revoked: false,
    };
    state.store.add_session(&row).await?;
    Ok((row, secret))
}

/// Signs in with a password. Too many attempts from one address are refused
/// (429); five failures in a row lock the account for 15 minutes.
#[utoipa::path(post, path = "/api/auth/login", tag = "session", request_body = LoginRequest,
    responses((status = 200, body = LoginAnswer), (status = 401, body = crate::error::ErrorBody),
              (status = 423, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    client: Client,
    jar: CookieJar,
    Body(req): Body<LoginRequest>,
) -> ApiResult<impl IntoResponse> {
    let limits = state.config.limits.clone();
    if let Some(label) = &req.label {
        label_ok(label)?;
    }
    if !state.throttle.allow(client.0, &limits) {
        state.audit(&req.actor, "sign_in", &req.actor, "throttled", &client_text(&client), "").await;
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            "too many sign-in attempts from this address; wait a few minutes",
        ));
    }
    let actor = req.actor.trim().to_string();
    if actor.parse::<ActorId>().is_err() || actor.starts_with("device:") {
        // Devices sign in with tokens only.
        auth::verify_password(None, req.password).await;
        return Err(ApiError::unauthenticated("wrong NIP or password").with_code("invalid_credentials"));
    }
    let now = state.local_now();
    let now_text = now.format(TIME).to_string();
    let account = state.store.account(&actor).await?;
    if let Some(a) = &account
        && let Some(until) = &a.locked_until
        && until.as_str() > now_text.as_str()
    {
        state.audit(&actor, "sign_in", &actor, "locked", &client_text(&client), "").await;
        return Err(ApiError::new(
            StatusCode::LOCKED,
            "account_locked",
            format!("too many wrong passwords: the account is locked until {until}"),
        ));
    }
    let ok = auth::verify_password(account.as_ref().and_then(|a| a.password_hash.clone()), req.password).await;
    let Some(mut account) = account.filter(|a| !a.disabled) else {
        state.audit(&actor, "sign_in", &actor, "unknown_or_disabled", &client_text(&client), "").await;
        return Err(ApiError::unauthenticated("wrong NIP or password").with_code("invalid_credentials"));
    };
    if !ok {
        account.failed_count += 1;
        let mut outcome = "wrong_password";
        if account.failed_count >= limits.failures_before_lock {
            account.locked_until = Some((now + Duration::minutes(limits.lock_minutes)).format(TIME).to_string());
            account.failed_count = 0;
            outcome = "locked_now";
        }
        state.store.put_account(&account).await?;
        state.audit(&actor, "sign_in", &actor, outcome, &client_text(&client), "").await;
        return Err(ApiError::unauthenticated("wrong NIP or password").with_code("invalid_credentials"));
    }
    account.failed_count = 0;
    account.locked_until = None;
    state.store.put_account(&account).await?;
    let (kind, lifetime) = match req.mode {
        LoginMode::Cookie => ("browser", Duration::hours(limits.browser_hours)),
        LoginMode::Token => ("bearer", Duration::days(limits.token_days)),
    };
    let label = req.label.unwrap_or_else(|| kind.to_string());
    if req.mode == LoginMode::Cookie
        && let Some(old) = jar.get(auth::COOKIE)
        && let Some(row) = state.store.session_by_token(&auth::sha256_hex(old.value())).await?
    {
        // No fixation: whatever session the browser carried ends here, so
        // only the new secret set below is accepted from now on.
        state.store.revoke_session(&row.actor, &row.id).await?;
    }
    let (row, secret) = open_session(&state, &actor, kind, &label, lifetime).await?;
    state.audit(&actor, "sign_in", &actor, "ok", &client_text(&client), kind).await;
    let answer = LoginAnswer {
        actor: actor.clone(),
        session: row.id.clone(),
        csrf: (req.mode == LoginMode::Cookie).then(|| row.csrf.clone()),
        token: (req.mode == LoginMode::Token).then(|| secret.clone()),
        expires_at: row.expires_at.clone(),
    };
    let jar = match req.mode {
        LoginMode::Cookie => jar.add(auth::session_cookie(secret, state.config.secure_cookies(), limits.browser_hours)),
        LoginMode::Token => jar,
    };
    Ok((jar, Json(answer)))
}

/// Ends the caller's session (the cookie's, or the bearer token's).
#[utoipa::path(post, path = "/api/auth/logout", tag = "session", responses((status = 204)))]
pub async fn logout(State(state): State<AppState>, caller: Caller, jar: CookieJar) -> ApiResult<impl IntoResponse> {
    state.store.revoke_session(&caller.session.actor, &caller.session.id).await?;
    state.audit(&caller.session.actor, "sign_out", &caller.session.id, "ok", "", "").await;
    Ok((jar.add(auth::cleared_cookie(state.config.secure_cookies())), StatusCode::NO_CONTENT))
}

/// Activation with a one-time code.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivateRequest {
    /// NIP or `official:ID`.
    pub actor: String,
    /// The code HR handed out (`K7QM-3XPA-9DTW`; case and dashes do not matter).
    pub code: String,
    /// The new password (10 to 200 characters).
    pub password: String,
}

/// Sets a password with a one-time activation code. The code works once and
/// expires after 14 days.
#[utoipa::path(post, path = "/api/auth/activate", tag = "session", request_body = ActivateRequest,
    responses((status = 204), (status = 401, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn activate(
    State(state): State<AppState>,
    client: Client,
    Body(req): Body<ActivateRequest>,
) -> ApiResult<StatusCode> {
    if !state.throttle.allow(client.0, &state.config.limits) {
        return Err(ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", "too many attempts; wait"));
    }
    let actor = req.actor.trim().to_string();
    let refused = || ApiError::unauthenticated("the activation code is wrong or has expired").with_code("invalid_code");
    if !matches!(actor.parse::<ActorId>(), Ok(ActorId::Employee(_) | ActorId::Official(_))) {
        // Not a person's id: no account to look for (devices have no password).
        state.audit(&actor, "activate", &actor, "invalid_code", &client_text(&client), "").await;
        return Err(refused());
    }
    let mut account = state.store.account(&actor).await?.filter(|a| !a.disabled).ok_or_else(refused)?;
    let now_text = state.now_text();
    let valid = match (&account.activation_hash, &account.activation_expires) {
        (Some(h), Some(exp)) => {
            auth::same(h, &auth::sha256_hex(&auth::normalise_code(&req.code))) && exp.as_str() > now_text.as_str()
        }
        _ => false,
    };
    if !valid {
        state.audit(&actor, "activate", &actor, "invalid_code", &client_text(&client), "").await;
        return Err(refused());
    }
    auth::check_new_password(&actor, &req.password)?;
    account.password_hash = Some(auth::hash_password(req.password).await?);
    account.activation_hash = None;
    account.activation_expires = None;
    account.failed_count = 0;
    account.locked_until = None;
    state.store.put_account(&account).await?;
    state.store.revoke_sessions_of(&actor).await?;
    state.audit(&actor, "activate", &actor, "ok", &client_text(&client), "").await;
    Ok(StatusCode::NO_CONTENT)
}

/// A password change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    /// The current password.
    pub current: String,
    /// The new one.
    pub new: String,
}

/// Changes the caller's password; every other session and token of theirs ends.
#[utoipa::path(post, path = "/api/auth/password", tag = "session", request_body = PasswordChange,
    responses((status = 204), (status = 401, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    Body(req): Body<PasswordChange>,
) -> ApiResult<StatusCode> {
    caller.person()?;
    let actor = caller.session.actor.clone();
    let mut account = state.store.account(&actor).await?.ok_or_else(|| ApiError::unauthenticated("no account"))?;
    if !auth::verify_password(account.password_hash.clone(), req.current).await {
        state.audit(&actor, "change_password", &actor, "wrong_password", "", "").await;
        return Err(ApiError::unauthenticated("the current password is wrong").with_code("invalid_credentials"));
    }
    auth::check_new_password(&actor, &req.new)?;
    account.password_hash = Some(auth::hash_password(req.new).await?);
    state.store.put_account(&account).await?;
    state.store.revoke_sessions_of(&actor).await?;
    // The session in use stays: re-create it under the same secret is not
    // possible (only its hash is kept), so the caller signs in again.
    state.audit(&actor, "change_password", &actor, "ok", "", "").await;
    Ok(StatusCode::NO_CONTENT)
}

/// Who the caller is and what they may do.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// The actor.
    pub actor: String,
    /// `employee`, `official` or `device`.
    pub kind: String,
    /// The name in the dataset.
    pub name: String,
    /// The unit of their position today.
    pub unit: Option<String>,
    /// The position today.
    pub position: Option<String>,
    /// An HR officer today.
    pub hr_officer: bool,
    /// The units they are attendance officer of today.
    pub attendance_units: Vec<String>,
    /// Every officer role they hold today (`hr`, `attendance`, `finance`, `award_panel`).
    pub officer_roles: Vec<String>,
    /// The CSRF token of this cookie session.
    pub csrf: Option<String>,
}

/// The caller.
#[utoipa::path(get, path = "/api/me", tag = "session", responses((status = 200, body = Me), (status = 401, body = crate::error::ErrorBody)))]
pub async fn me(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Me>> {
    let today = state.today();
    let month = state.month_to_read(YearMonth::of(today)).await?;
    let env = month.env().await;
    let city = &env.version().city;
    let access = city.access();
    let mut roles: Vec<String> = Vec::new();
    let (name, unit, position, hr, units) = match &caller.actor {
        ActorId::Employee(n) => {
            let name = city.organisation.employee(n).map(|e| e.name.clone()).unwrap_or_default();
            let pos = city.organisation.definitive_position(n, today);
            let officer = access.authorities.appointments(n).filter(|o| o.covers(today)).collect::<Vec<_>>();
            for o in &officer {
                if !roles.iter().any(|r| r == o.role.as_str()) {
                    roles.push(o.role.as_str().to_string());
                }
            }
            (
                name,
                pos.map(|p| p.unit.to_string()),
                pos.map(|p| p.id.to_string()),
                officer.iter().any(|o| o.role == OfficerRole::Hr),
                officer
                    .iter()
                    .filter(|o| o.role == OfficerRole::Attendance)
                    .filter_map(|o| o.unit.as_ref().map(|u| u.to_string()))
                    .collect(),
            )
        }
        ActorId::Official(id) => {
            let name = access.authorities.official(id).map(|o| o.name.clone()).unwrap_or_default();
            (name, None, None, false, Vec::new())
        }
        ActorId::Device(id) => (id.to_string(), None, None, false, Vec::new()),
    };
    Ok(Json(Me {
        actor: caller.actor.to_string(),
        kind: caller.actor.kind().to_string(),
        name,
        unit,
        position,
        hr_officer: hr,
        attendance_units: units,
        officer_roles: roles,
        csrf: (caller.via == Via::Cookie).then(|| caller.session.csrf.clone()),
    }))
}

/// A session or token, as its owner sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    /// Public id.
    pub id: String,
    /// `browser` or `bearer`.
    pub kind: String,
    /// Its name.
    pub label: String,
    /// Created.
    pub created_at: String,
    /// Expires.
    pub expires_at: String,
    /// Ended.
    pub revoked: bool,
    /// The one this request came with.
    pub current: bool,
}

/// The caller's sessions and tokens.
#[utoipa::path(get, path = "/api/me/sessions", tag = "session", responses((status = 200, body = Vec<SessionView>)))]
pub async fn my_sessions(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<SessionView>>> {
    let rows = state.store.sessions_of(&caller.session.actor).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| SessionView {
                current: r.id == caller.session.id,
                id: r.id,
                kind: r.kind,
                label: r.label,
                created_at: r.created_at,
                expires_at: r.expires_at,
                revoked: r.revoked,
            })
            .collect(),
    ))
}

/// Ends one of the caller's sessions or tokens.
#[utoipa::path(delete, path = "/api/me/sessions/{id}", tag = "session", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
pub async fn end_session(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    if state.store.revoke_session(&caller.session.actor, &id).await? {
        state.audit(&caller.session.actor, "end_session", &id, "ok", "", "").await;
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("session", id))
    }
}

/// A new token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// What it is for.
    pub label: String,
}

/// A bearer token, shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenAnswer {
    /// The session id (to end it).
    pub session: String,
    /// The token: `Authorization: Bearer <token>`.
    pub token: String,
    /// Expires.
    pub expires_at: String,
}

/// Issues a bearer token for the caller (a script, an app).
#[utoipa::path(post, path = "/api/me/tokens", tag = "session", request_body = TokenRequest, responses((status = 200, body = TokenAnswer)))]
pub async fn new_token(
    State(state): State<AppState>,
    caller: Caller,
    Body(req): Body<TokenRequest>,
) -> ApiResult<Json<TokenAnswer>> {
    caller.person()?;
    label_ok(&req.label)?;
    let days = state.config.limits.token_days;
    let (row, secret) = open_session(&state, &caller.session.actor, "bearer", &req.label, Duration::days(days)).await?;
    state.audit(&caller.session.actor, "new_token", &row.id, "ok", "", &req.label).await;
    Ok(Json(TokenAnswer { session: row.id, token: secret, expires_at: row.expires_at }))
}

/// A new account row with no password.
pub fn blank_account(actor: &str, now: &str) -> AccountRow {
    AccountRow { actor: actor.to_string(), created_at: now.to_string(), ..AccountRow::default() }
}
