//! Sign-in: accounts, passwords, sessions, tokens and CSRF.
//!
//! * **Accounts** exist for every employee and official of the dataset (and for
//!   each clock device, token only). HR issues one-time **activation codes**
//!   (a CSV to hand out); the person sets their own password with it. No
//!   account has a default password outside demo mode.
//! * **Passwords** are hashed with argon2id (the `argon2` crate's defaults:
//!   19 MiB, 2 passes), checked on a blocking thread.
//! * **Browser sessions** are a random 256-bit secret in an `HttpOnly`,
//!   `SameSite=Lax` cookie (`Secure` when the service's public URL is https);
//!   the database keeps only its SHA-256. A new session is issued at every
//!   sign-in (no fixation). Every state-changing request made with the cookie
//!   must carry the session's CSRF token (`X-CSRF-Token` header, or the
//!   `_csrf` field of a form). A session cookie the browser already carried
//!   when signing in (one an attacker planted, or the person's earlier one)
//!   is revoked by the sign-in.
//! * **Bearer tokens** (`Authorization: Bearer ...`) serve scripts and clock
//!   devices; they need no CSRF token (a browser never sends them by itself).
//! * **Throttling**: at most [`Limits::attempts_per_client`] sign-in attempts
//!   per client address in [`Limits::window`]; after
//!   [`Limits::failures_before_lock`] failures in a row an account is locked for
//!   [`Limits::lock_minutes`] (kept in the database, so a restart does not
//!   unlock it).

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method};
use axum_extra::extract::cookie::{Cookie, SameSite};
use base64::Engine;
use kinerja::access::ActorId;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::state::AppState;
use crate::store::SessionRow;

/// The session cookie's name.
pub const COOKIE: &str = "kinerja_session";

/// The CSRF header's name.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Sign-in throttling and lockout.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Attempts a client address may make in `window`.
    pub attempts_per_client: usize,
    /// The window.
    pub window: Duration,
    /// Failures in a row that lock an account.
    pub failures_before_lock: i64,
    /// How long a lock lasts.
    pub lock_minutes: i64,
    /// How long a browser session lasts.
    pub browser_hours: i64,
    /// How long a bearer token lasts.
    pub token_days: i64,
    /// How long an activation code is valid.
    pub activation_days: i64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            attempts_per_client: 30,
            window: Duration::from_secs(300),
            failures_before_lock: 5,
            lock_minutes: 15,
            browser_hours: 12,
            token_days: 180,
            activation_days: 14,
        }
    }
}

/// Counts sign-in attempts per client address in a sliding window.
#[derive(Debug, Default)]
pub struct Throttle {
    seen: std::sync::Mutex<HashMap<IpAddr, Vec<Instant>>>,
}

impl Throttle {
    /// Records an attempt; false when the client has used up its window.
    pub fn allow(&self, client: IpAddr, limits: &Limits) -> bool {
        let now = Instant::now();
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() > 100_000 {
            // Bounded memory under a flood of addresses: forget the idle ones.
            seen.retain(|_, v| v.last().is_some_and(|t| now.duration_since(*t) < limits.window));
        }
        let list = seen.entry(client).or_default();
        list.retain(|t| now.duration_since(*t) < limits.window);
        if list.len() >= limits.attempts_per_client {
            return false;
        }
        list.push(now);
        true
    }
}

/// `n` random bytes from the operating system, as unpadded base64url.
pub fn random_token(n: usize) -> Result<String, ApiError> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf).map_err(|e| ApiError::internal(format!("no randomness: {e}")))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf))
}

/// A one-time activation code: 12 letters and digits without look-alikes, in
/// groups of four (`K7QM-3XPA-9DTW`).
pub fn activation_code() -> Result<String, ApiError> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut buf = [0u8; 12];
    getrandom::fill(&mut buf).map_err(|e| ApiError::internal(format!("no randomness: {e}")))?;
    let chars: Vec<char> = buf.iter().map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char).collect();
    Ok(chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-"))
}

/// The form an activation code is compared in: upper case, no separators.
pub fn normalise_code(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

/// SHA-256 of a secret, hex.
pub fn sha256_hex(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Equal in constant time (for tokens).
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Hashes a password with argon2id, on a blocking thread.
pub async fn hash_password(password: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|e| ApiError::internal(format!("no randomness: {e}")))?;
        let salt = SaltString::encode_b64(&salt).map_err(|e| ApiError::internal(e.to_string()))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| ApiError::internal(e.to_string()))
    })
    .await
    .map_err(|e| ApiError::internal(e.to_string()))?
}

/// Checks a password against a stored argon2 hash, on a blocking thread. With
/// no stored hash (no such account, no password yet) the password is hashed
/// anyway, so that the answer takes as long and says nothing about the account.
pub async fn verify_password(hash: Option<String>, password: String) -> bool {
    tokio::task::spawn_blocking(move || match hash {
        Some(stored) => PasswordHash::new(&stored)
            .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
            .unwrap_or(false),
        None => {
            let salt = SaltString::encode_b64(b"kinerja-no-account").ok();
            if let Some(salt) = salt {
                let _ = Argon2::default().hash_password(password.as_bytes(), &salt);
            }
            false
        }
    })
    .await
    .unwrap_or(false)
}

/// Checks a new password: 10 to 200 characters, not the account's own id.
pub fn check_new_password(actor: &str, password: &str) -> Result<(), ApiError> {
    let n = password.chars().count();
    if !(10..=200).contains(&n) {
        return Err(ApiError::invalid(
            "weak_password",
            "a password has 10 to 200 characters",
            vec![kinerja::Problem::new("account", actor, "password", "weak_password", "10 to 200 characters")],
        ));
    }
    if password.contains(actor) || actor.contains(password) {
        return Err(ApiError::invalid(
            "weak_password",
            "a password may not contain the account's NIP or id",
            vec![kinerja::Problem::new("account", actor, "password", "weak_password", "contains the account id")],
        ));
    }
    Ok(())
}

/// How a caller proved who they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// A browser session cookie.
    Cookie,
    /// A bearer token.
    Bearer,
}

/// The authenticated caller of a request.
#[derive(Clone, Debug)]
pub struct Caller {
    /// Who.
    pub actor: ActorId,
    /// The session or token row.
    pub session: SessionRow,
    /// How.
    pub via: Via,
}

impl Caller {
    /// The caller when a person (an employee or an official), or a 403
    /// `not_an_employee` for a clock device: a device has no password and holds
    /// only the token HR issued it, so it neither changes a password nor issues
    /// itself tokens.
    pub fn person(&self) -> Result<&ActorId, ApiError> {
        match &self.actor {
            ActorId::Device(_) => Err(ApiError::forbidden(
                "not_an_employee",
                format!("`{}` is a clock device: its token is issued by HR, and it has no password", self.actor),
            )),
            other => Ok(other),
        }
    }

    /// The caller's NIP, or a 403 when the caller is not an employee.
    pub fn nip(&self) -> Result<&kinerja::nip::Nip, ApiError> {
        self.actor
            .nip()
            .ok_or_else(|| ApiError::forbidden("not_an_employee", format!("`{}` is not an employee", self.actor)))
    }
}

/// The session secret a request carries, and how.
pub fn secret_of(headers: &HeaderMap) -> Option<(String, Via)> {
    if let Some(v) = headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok())
        && let Some(t) = v.strip_prefix("Bearer ")
    {
        return Some((t.trim().to_string(), Via::Bearer));
    }
    let jar = axum_extra::extract::cookie::CookieJar::from_headers(headers);
    jar.get(COOKIE).map(|c| (c.value().to_string(), Via::Cookie))
}

/// Finds the live session of a secret: not revoked, not expired, of the right
/// kind for how it came, its account enabled.
pub async fn session_of(state: &AppState, secret: &str, via: Via) -> Result<SessionRow, ApiError> {
    let (row, account_enabled) = state
        .store
        .session_for_request(&sha256_hex(secret))
        .await?
        .ok_or_else(|| ApiError::unauthenticated("sign in first: the session or token is not known"))?;
    let kind_ok = match via {
        Via::Cookie => row.kind == "browser",
        Via::Bearer => row.kind == "bearer",
    };
    if !kind_ok || row.revoked {
        return Err(ApiError::unauthenticated("the session has ended; sign in again"));
    }
    if row.expires_at <= state.local_now().format(crate::state::TIME).to_string() {
        return Err(ApiError::unauthenticated("the session has expired; sign in again"));
    }
    if account_enabled { Ok(row) } else { Err(ApiError::unauthenticated("the account is disabled")) }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, ApiError> {
        let (secret, via) = secret_of(&parts.headers).ok_or_else(|| ApiError::unauthenticated("sign in first"))?;
        let session = session_of(state, &secret, via).await?;
        let unsafe_method = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if via == Via::Cookie && unsafe_method {
            // Forms carry the token in their body; the page layer checks it there
            // and marks the request (see `CsrfChecked`).
            let header_ok =
                parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).is_some_and(|t| same(t, &session.csrf));
            let form_ok = parts.extensions.get::<CsrfChecked>().is_some_and(|c| same(&c.0, &session.csrf));
            if !header_ok && !form_ok {
                return Err(ApiError::forbidden(
                    "csrf",
                    "this request needs the session's CSRF token (X-CSRF-Token header or the form's _csrf field)",
                ));
            }
        }
        let actor = session
            .actor
            .parse::<ActorId>()
            .map_err(|e| ApiError::internal(format!("a stored session names no actor: {e}")))?;
        Ok(Caller { actor, session, via })
    }
}

/// Set on a request by the page layer when a form's `_csrf` field was read.
#[derive(Clone, Debug)]
pub struct CsrfChecked(pub String);

/// The session cookie for a new secret.
pub fn session_cookie(secret: String, secure: bool, hours: i64) -> Cookie<'static> {
    Cookie::build((COOKIE, secret))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .path("/")
        .max_age(time_of_hours(hours))
        .build()
}

/// A cookie that ends the session in the browser.
pub fn cleared_cookie(secure: bool) -> Cookie<'static> {
    Cookie::build((COOKIE, ""))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .path("/")
        .max_age(time_of_hours(0))
        .build()
}

fn time_of_hours(h: i64) -> cookie::time::Duration {
    cookie::time::Duration::hours(h)
}
