//! Phone sync: the month bundle, issued with a session id, and uploads of the
//! changes made offline, each with its idempotency key (`<session>:<n>`).
//!
//! The core does the work (`kinerja::device::apply_uploads`): a change whose
//! actor is not the session's owner is refused; a key already answered gets the
//! stored answer and nothing runs twice; a key reused for another change is
//! refused; each change runs at the phone's time with the server's receive time
//! beside it, and the ledger judges how far back it may claim. The answers are
//! stored with the events, in the same transaction.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use kinerja::YearMonth;
use kinerja::device::{DeviceBundle, PendingChange, PolicyText, Receipt, Receipts, ServerAnswer, UploadSource};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{Body, Query, month_of};
use crate::auth::{self, Caller};
use crate::error::{ApiError, ApiResult};
use crate::store::{ReceiptRow, SyncSessionRow};

use crate::state::AppState;

/// The bundle asked for.
#[derive(Debug, Deserialize, IntoParams)]
pub struct BundleQuery {
    /// `YYYY-MM`; the current month when left out.
    pub month: Option<String>,
}

fn bundle_of(
    state: &AppState,
    ledger: &kinerja::ledger::Ledger,
    env: &crate::months::MonthEnv,
    owner: &kinerja::nip::Nip,
    month: YearMonth,
) -> ApiResult<DeviceBundle> {
    let v = env.version();
    if !v.national {
        return Err(ApiError::conflict(
            "bundle_needs_national_baseline",
            "phones apply the policy over the national baseline; this policy set leaves it out",
        ));
    }
    let texts: Vec<PolicyText> =
        v.layers.iter().map(|l| PolicyText { source: l.source.clone(), toml: l.toml.clone() }).collect();
    let _ = state;
    Ok(DeviceBundle::for_employee_with_sources(&v.city, &texts, ledger, owner, month)?)
}

/// The caller's month bundle for their phone, issued with a new sync session.
#[utoipa::path(get, path = "/api/sync/bundle", tag = "sync", params(BundleQuery),
    responses((status = 200, description = "The bundle (device bundle JSON, with `session`)", body = Object)))]
pub async fn bundle(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<BundleQuery>,
) -> ApiResult<Response> {
    let owner = caller.nip()?.clone();
    let month = match &q.month {
        Some(t) => month_of(t)?,
        None => YearMonth::of(state.today()),
    };
    let m = state.month_to_read(month).await?;
    let b = m.read(|ledger, env| bundle_of(&state, ledger, env, &owner, month)).await?;
    let session = auth::random_token(16)?;
    state
        .store
        .add_sync_session(&SyncSessionRow {
            session: session.clone(),
            owner: owner.to_string(),
            month: month.to_string(),
            issued_at: state.now_text(),
        })
        .await?;
    let b = b.issued(session);
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], b.to_json()).into_response())
}

/// An upload.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Upload {
    /// The sync session the bundle was issued with.
    pub session: String,
    /// The changes, in the order they were made.
    #[schema(value_type = Vec<Object>)]
    pub changes: Vec<PendingChange>,
    /// Answer with a fresh bundle made after the changes.
    #[serde(default)]
    pub bundle: bool,
}

/// Applies a phone's changes; one answer per change (accepted with its entry and
/// event, or refused with the core's code). A retried upload gets the stored
/// answers.
#[utoipa::path(post, path = "/api/sync/upload", tag = "sync", request_body = Upload,
    responses((status = 200, description = "The server's answer (device answer JSON)", body = Object),
              (status = 403, body = crate::error::ErrorBody)))]
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    Body(req): Body<Upload>,
) -> ApiResult<Json<ServerAnswer>> {
    let owner = caller.nip()?.clone();
    if req.changes.len() > 5_000 {
        return Err(ApiError::bad_request("invalid_input", "at most 5,000 changes an upload").with_field("changes"));
    }
    let session = state
        .store
        .sync_session(&req.session)
        .await?
        .ok_or_else(|| ApiError::not_found("sync session", &req.session))?;
    if session.owner != owner.as_str() {
        return Err(ApiError::forbidden("not_session_owner", "this sync session belongs to someone else"));
    }
    let month = month_of(&session.month)?;
    let mut receipts = Receipts::default();
    for r in state.store.receipts(&session.session).await? {
        let outcome = serde_json::from_str(&r.outcome).map_err(|e| {
            ApiError::from(crate::store::StoreError::Damaged { what: "receipt", message: e.to_string() })
        })?;
        receipts.answers.insert(r.key, Receipt { outcome, digest: r.digest });
    }
    let m = state.month(month).await?;
    let st = state.clone();
    let changes = req.changes;
    let session_id = session.session.clone();
    let owner2 = owner.clone();
    let answer = m
        .write(move |ledger, ctx, out| {
            let before = receipts.answers.clone();
            // Received now, as the writer records it (see `AppState::record_now`).
            let received_at = st.record_now(ledger);
            let source = UploadSource { session: &session_id, owner: &owner2, received_at };
            let answer = kinerja::device::apply_uploads(ledger, ctx, &source, &mut receipts, &changes);
            for (key, r) in receipts.answers {
                if before.contains_key(&key) {
                    continue;
                }
                out.push(ReceiptRow {
                    key,
                    session: session_id.clone(),
                    digest: r.digest,
                    outcome: serde_json::to_string(&r.outcome).unwrap_or_default(),
                });
            }
            answer
        })
        .await?;
    let mut answer = answer;
    if req.bundle {
        let b = m.read(|ledger, env| bundle_of(&state, ledger, env, &owner, month)).await?;
        answer.bundle = Some(b.issued(session.session));
    }
    Ok(Json(answer))
}
