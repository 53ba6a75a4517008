//! HR: datasets and policies as versions, months (close, reopen), the recap,
//! the payroll and its downloads, slips, what-if, accounts, devices and the
//! audit log. Every handler asks `kinerja::grants` first.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, NaiveDate};
use kinerja::YearMonth;
use kinerja::access::ActorId;
use kinerja::dataset::Dataset;
use kinerja::ledger::{Command, Request};
use kinerja::payroll::CityPayroll;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};

use super::session::blank_account;
use super::{Body, Client, Language, Path, Query, month_of, nip_of};
use crate::auth::{self, Caller};
use crate::error::{ApiError, ApiResult};
use crate::months::{CityVersion, MonthEnv, load_ledger};
use crate::state::{AppState, StoredLayer, TIME, policy_of};
use crate::store::{DatasetRow, MonthRow, PayrollRunRow, PolicyRow};

/// The city version in force today, for deciding who may administer.
pub(crate) async fn today_env(state: &AppState) -> ApiResult<Arc<MonthEnv>> {
    let m = state.month_to_read(YearMonth::of(state.today())).await?;
    Ok(m.env().await)
}

/// Checks that the caller is an HR officer today.
pub async fn administer(state: &AppState, caller: &Caller) -> ApiResult<()> {
    let env = today_env(state).await?;
    let access = env.version().city.access();
    kinerja::grants::may_administer(&access, &caller.actor, state.today())?;
    Ok(())
}

/// Checks that the caller may read the whole city's records of `month`.
fn read_city(state: &AppState, env: &MonthEnv, caller: &Caller, month: YearMonth) -> ApiResult<()> {
    let access = env.version().city.access();
    kinerja::grants::may_read_city(&access, &caller.actor, super::judged_on(state, month))?;
    Ok(())
}

/// A dataset to import.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DatasetImport {
    /// The first day it applies to; today when left out.
    #[serde(default)]
    pub effective_from: Option<NaiveDate>,
    /// The dataset, in the format of `schema/dataset.schema.json`.
    #[schema(value_type = Object)]
    pub dataset: serde_json::Value,
}

/// A version stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct Imported {
    /// Its number.
    pub version: i64,
    /// SHA-256 of what was stored.
    pub sha256: String,
    /// The open months now judged under it (their record replayed under it).
    pub months: Vec<String>,
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Re-pins every month still open whose days reach `from` to the version
/// `(dataset, policy)` built by `make`, after replaying its whole record under
/// it; refuses (changing nothing) when any month's record does not replay.
async fn repin_open_months(
    state: &AppState,
    from: NaiveDate,
    version: Arc<CityVersion>,
) -> ApiResult<Vec<(YearMonth, kinerja::ledger::Ledger, Arc<MonthEnv>)>> {
    let mut out = Vec::new();
    // The months kept, and those started in memory but not stored yet.
    let mut months = std::collections::BTreeSet::new();
    for row in state.store.months().await? {
        months.insert(month_of(&row.month)?);
    }
    for m in state.hub.open_months().await {
        if m.unstored_row().is_some() {
            months.insert(m.month);
        }
    }
    for month in months {
        if month.last_day() < from {
            continue;
        }
        let m = state.month(month).await?;
        if m.read(|l, _| l.is_closed()).await {
            continue;
        }
        let env = Arc::new(MonthEnv::build(version.clone(), month)?);
        let ledger = load_ledger(state.store.as_ref(), &env, month).await.map_err(|e| {
            ApiError::invalid(
                "record_does_not_replay",
                format!("the record of {month} does not hold under the new version: {}", e.message),
                e.problems,
            )
        })?;
        out.push((month, ledger, env));
    }
    Ok(out)
}

/// Imports a dataset as a new version: validated by the core (every problem
/// returned), then every open month it reaches is replayed under it; only if
/// all hold is it stored and the months re-pinned.
#[utoipa::path(post, path = "/api/admin/datasets", tag = "hr", request_body = DatasetImport,
    responses((status = 200, body = Imported), (status = 422, body = crate::error::ErrorBody)))]
pub async fn import_dataset(
    State(state): State<AppState>,
    caller: Caller,
    client: Client,
    Body(req): Body<DatasetImport>,
) -> ApiResult<Json<Imported>> {
    administer(&state, &caller).await?;
    let body = req.dataset.to_string();
    let by = caller.actor.to_string();
    let r = import_dataset_text(&state, &body, req.effective_from.unwrap_or(state.today()), &by).await;
    let (target, outcome) = match &r {
        Ok((version, _)) => (version.to_string(), "ok".to_string()),
        Err(e) => ("-".to_string(), e.code.clone()),
    };
    // Written before answering, so that the log holds the line once the caller has the answer.
    state.audit(&by, "import_dataset", &target, &outcome, &client.0.to_string(), "").await;
    let (version, months) = r?;
    Ok(Json(Imported { version, sha256: sha256_hex(body.as_bytes()), months }))
}

/// Imports dataset JSON text as a new version (see [`import_dataset`]); used by
/// the API, the first start and the demo.
pub async fn import_dataset_text(
    state: &AppState,
    body: &str,
    effective_from: NaiveDate,
    by: &str,
) -> ApiResult<(i64, Vec<String>)> {
    let city = Dataset::load_city(body)?;
    let policy_version = state
        .store
        .latest_policy()
        .await?
        .ok_or_else(|| ApiError::conflict("no_policy", "import a policy set first"))?;
    let p = state.store.policy(policy_version).await?.ok_or_else(|| ApiError::not_found("policy", policy_version))?;
    let policy = policy_of(p.national, &p.layers).map_err(ApiError::internal)?;
    // Validate against the open months with a provisional version number.
    let layers: Vec<StoredLayer> = serde_json::from_str(&p.layers).map_err(|e| ApiError::internal(e.to_string()))?;
    let provisional =
        Arc::new(CityVersion { dataset_version: 0, policy_version, city, policy, national: p.national, layers });
    let replayed = repin_open_months(state, effective_from, provisional).await?;
    let version = state
        .store
        .add_dataset(DatasetRow {
            version: 0,
            effective_from: effective_from.format("%Y-%m-%d").to_string(),
            imported_at: state.now_text(),
            imported_by: by.to_string(),
            sha256: sha256_hex(body.as_bytes()),
            body: body.to_string(),
        })
        .await?;
    let mut months = Vec::new();
    for (month, _, _) in replayed {
        let v = state.version(version, policy_version).await?;
        repin(state, month, v).await?;
        months.push(month.to_string());
    }
    Ok((version, months))
}

/// Points a month at a version (its row stored, or kept for its first commit),
/// replaying its record under it.
async fn repin(state: &AppState, month: YearMonth, v: Arc<CityVersion>) -> ApiResult<()> {
    let env = Arc::new(MonthEnv::build(v.clone(), month)?);
    let m = state.month(month).await?;
    let opened = match m.unstored_row() {
        Some(r) => r.opened_at,
        None => state.store.month(&month.to_string()).await?.map(|r| r.opened_at).unwrap_or_else(|| state.now_text()),
    };
    let row = MonthRow {
        month: month.to_string(),
        dataset_version: v.dataset_version,
        policy_version: v.policy_version,
        opened_at: opened,
    };
    m.repin(state.store.as_ref(), env, row).await?;
    Ok(())
}

/// A dataset version, without its body.
#[derive(Debug, Serialize, ToSchema)]
pub struct DatasetVersion {
    /// Number.
    pub version: i64,
    /// First day in force.
    pub effective_from: String,
    /// When imported.
    pub imported_at: String,
    /// By whom.
    pub imported_by: String,
    /// SHA-256 of the body.
    pub sha256: String,
}

/// Every dataset version, newest first.
#[utoipa::path(get, path = "/api/admin/datasets", tag = "hr", responses((status = 200, body = Vec<DatasetVersion>)))]
pub async fn list_datasets(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<DatasetVersion>>> {
    administer(&state, &caller).await?;
    Ok(Json(
        state
            .store
            .datasets()
            .await?
            .into_iter()
            .map(|d| DatasetVersion {
                version: d.version,
                effective_from: d.effective_from,
                imported_at: d.imported_at,
                imported_by: d.imported_by,
                sha256: d.sha256,
            })
            .collect(),
    ))
}

/// A policy set: TOML layers over the national baseline.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyImport {
    /// Whether the built-in national baseline comes first (true unless the layers hold every value).
    #[serde(default = "yes")]
    pub national: bool,
    /// The layers, in order: `{"source": "perwal-2026.toml", "toml": "..."}`.
    #[schema(value_type = Vec<Object>)]
    pub layers: Vec<StoredLayer>,
}

fn yes() -> bool {
    true
}

/// Imports a policy set as a new version; like a dataset, the open months are
/// replayed under it first.
#[utoipa::path(post, path = "/api/admin/policies", tag = "hr", request_body = PolicyImport,
    responses((status = 200, body = Imported), (status = 422, body = crate::error::ErrorBody)))]
pub async fn import_policy(
    State(state): State<AppState>,
    caller: Caller,
    client: Client,
    Body(req): Body<PolicyImport>,
) -> ApiResult<Json<Imported>> {
    administer(&state, &caller).await?;
    let (version, sha, months) =
        import_policy_layers(&state, req.national, &req.layers, &caller.actor.to_string()).await?;
    state
        .audit(&caller.actor.to_string(), "import_policy", &version.to_string(), "ok", &client.0.to_string(), "")
        .await;
    Ok(Json(Imported { version, sha256: sha, months }))
}

/// Imports policy layers as a new version (see [`import_policy`]).
pub async fn import_policy_layers(
    state: &AppState,
    national: bool,
    layers: &[StoredLayer],
    by: &str,
) -> ApiResult<(i64, String, Vec<String>)> {
    let text = serde_json::to_string(layers).map_err(|e| ApiError::internal(e.to_string()))?;
    let policy = policy_of(national, &text).map_err(|e| ApiError::invalid("invalid_policy", e, Vec::new()))?;
    let sha = sha256_hex(text.as_bytes());
    let mut replayed = Vec::new();
    let datasets = state.store.datasets().await?;
    if let Some(latest) = datasets.first() {
        let d =
            state.store.dataset(latest.version).await?.ok_or_else(|| ApiError::not_found("dataset", latest.version))?;
        let city = Dataset::load_city(&d.body).map_err(|e| ApiError::internal(e.to_string()))?;
        let provisional = Arc::new(CityVersion {
            dataset_version: latest.version,
            policy_version: 0,
            city,
            policy,
            national,
            layers: layers.to_vec(),
        });
        replayed = repin_open_months(state, YearMonth::of(state.today()).first_day(), provisional).await?;
    }
    let version = state
        .store
        .add_policy(PolicyRow {
            version: 0,
            imported_at: state.now_text(),
            imported_by: by.to_string(),
            sha256: sha.clone(),
            national,
            layers: text,
        })
        .await?;
    let mut months = Vec::new();
    if let Some(latest) = datasets.first() {
        for (month, _, _) in replayed {
            let v = state.version(latest.version, version).await?;
            repin(state, month, v).await?;
            months.push(month.to_string());
        }
    }
    Ok((version, sha, months))
}

/// A month the service keeps.
#[derive(Debug, Serialize, ToSchema)]
pub struct MonthStatus {
    /// `YYYY-MM`.
    pub month: String,
    /// Closed by HR.
    pub closed: bool,
    /// Who closed it, and when.
    pub closed_by: Option<String>,
    /// Events in its journal.
    pub events: u64,
    /// The journal head's hash.
    pub head: String,
    /// The dataset and policy versions it is judged under.
    pub dataset_version: i64,
    /// The policy version.
    pub policy_version: i64,
    /// Payroll runs stored.
    pub payroll_runs: usize,
}

/// Every month kept, with its status.
#[utoipa::path(get, path = "/api/months", tag = "hr", responses((status = 200, body = Vec<MonthStatus>)))]
pub async fn months(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<MonthStatus>>> {
    administer(&state, &caller).await?;
    let mut out = Vec::new();
    for row in state.store.months().await? {
        let month = month_of(&row.month)?;
        let m = state.month(month).await?;
        let (closed, closed_by, head) = m
            .read(|l, _| {
                let c = l.state().closed.clone();
                (c.is_some(), c.map(|c| format!("{} {}", c.by, c.at)), l.head())
            })
            .await;
        let runs = state.store.payroll_runs(&row.month).await?.len();
        out.push(MonthStatus {
            month: row.month,
            closed,
            closed_by,
            events: head.seq,
            head: head.hash.to_hex(),
            dataset_version: row.dataset_version,
            policy_version: row.policy_version,
            payroll_runs: runs,
        });
    }
    Ok(Json(out))
}

/// The event recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct MonthEvent {
    /// Its number.
    pub event: u64,
    /// Its hash.
    pub hash: String,
}

async fn month_command(state: &AppState, caller: &Caller, month: YearMonth, command: Command) -> ApiResult<MonthEvent> {
    let m = state.month(month).await?;
    let (actor, st) = (caller.actor.clone(), state.clone());
    let (event, hash) = m
        .write(move |l, ctx, _| {
            let request = Request::new(actor, st.record_now(l), command);
            l.execute(ctx, request).map(|e| (e.seq, e.hash.to_hex())).map_err(ApiError::from)
        })
        .await??;
    Ok(MonthEvent { event, hash })
}

/// Closes the month (an HR officer): the recap that pays is the closed one.
#[utoipa::path(post, path = "/api/months/{month}/close", tag = "hr", params(("month" = String, Path)),
    responses((status = 200, body = MonthEvent), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn close_month(
    State(state): State<AppState>,
    caller: Caller,
    client: Client,
    Path(month): Path<String>,
) -> ApiResult<Json<MonthEvent>> {
    let month = month_of(&month)?;
    let r = month_command(&state, &caller, month, Command::CloseMonth).await;
    let outcome = r.as_ref().map(|_| "ok".to_string()).unwrap_or_else(|e| e.reason.clone().unwrap_or(e.code.clone()));
    state
        .audit(&caller.actor.to_string(), "close_month", &month.to_string(), &outcome, &client.0.to_string(), "")
        .await;
    Ok(Json(r?))
}

/// Why a month is reopened.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReopenRequest {
    /// The reason, kept in the journal.
    pub reason: String,
}

/// Reopens a closed month (an HR officer other than the one who closed it).
#[utoipa::path(post, path = "/api/months/{month}/reopen", tag = "hr", params(("month" = String, Path)), request_body = ReopenRequest,
    responses((status = 200, body = MonthEvent), (status = 403, body = crate::error::ErrorBody)))]
pub async fn reopen_month(
    State(state): State<AppState>,
    caller: Caller,
    client: Client,
    Path(month): Path<String>,
    Body(req): Body<ReopenRequest>,
) -> ApiResult<Json<MonthEvent>> {
    let month = month_of(&month)?;
    let r = month_command(&state, &caller, month, Command::ReopenMonth { reason: req.reason.clone() }).await;
    let outcome = r.as_ref().map(|_| "ok".to_string()).unwrap_or_else(|e| e.reason.clone().unwrap_or(e.code.clone()));
    state
        .audit(
            &caller.actor.to_string(),
            "reopen_month",
            &month.to_string(),
            &outcome,
            &client.0.to_string(),
            &req.reason,
        )
        .await;
    Ok(Json(r?))
}

/// Events read from the store per chunk of a journal export.
const JOURNAL_PAGE: i64 = 5_000;

/// The month's journal as the text form (`.jsonl`): the header line, then one
/// line per event, exactly as stored, up to the head at the time of the request
/// (events committed meanwhile are left for the next export). What
/// `kinerja verify-journal` and `kinerja::ledger::verify` read; the head is
/// also sent apart, as `X-Kinerja-Head: SEQ:HASH`, to anchor the check
/// (`verify-journal --head`). Streamed a page of rows at a time.
#[utoipa::path(get, path = "/api/months/{month}/journal", tag = "hr", params(("month" = String, Path)),
    responses((status = 200, content_type = "application/x-ndjson", description = "The text journal: a header line, then one event a line", body = String),
              (status = 403, body = crate::error::ErrorBody)))]
pub async fn journal(
    State(state): State<AppState>,
    caller: Caller,
    client: Client,
    Path(month): Path<String>,
) -> ApiResult<Response> {
    use futures_util::StreamExt;
    let month = month_of(&month)?;
    let m = state.month(month).await?;
    let (header, head) = m
        .read(|l, env| -> ApiResult<_> {
            read_city(&state, env, &caller, month)?;
            Ok((l.header().clone(), l.head()))
        })
        .await?;
    state.audit(&caller.actor.to_string(), "export_journal", &month.to_string(), "ok", &client.0.to_string(), "").await;
    let mut first = serde_json::to_string(&header).map_err(|e| ApiError::internal(e.to_string()))?;
    first.push('\n');
    let last = i64::try_from(head.seq).map_err(|_| ApiError::internal("event number out of range"))?;
    let start = i64::try_from(header.start.seq).map_err(|_| ApiError::internal("event number out of range"))?;
    let store = state.store.clone();
    let key = month.to_string();
    let rows = futures_util::stream::try_unfold(start, move |after| {
        let store = store.clone();
        let key = key.clone();
        async move {
            if after >= last {
                return Ok(None);
            }
            let rows =
                store.events(&key, after, JOURNAL_PAGE.min(last - after)).await.map_err(std::io::Error::other)?;
            let Some(next) = rows.last().map(|r| r.seq) else {
                return Err(std::io::Error::other(format!(
                    "the stored journal of {key} ends at event {after}, before its head {last}"
                )));
            };
            let mut text = String::with_capacity(rows.iter().map(|r| r.line.len() + 1).sum());
            for r in &rows {
                text.push_str(&r.line);
                text.push('\n');
            }
            Ok(Some((axum::body::Bytes::from(text), next)))
        }
    });
    let body = futures_util::stream::once(async move { Ok(axum::body::Bytes::from(first)) }).chain(rows);
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/x-ndjson"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"journal-{month}.jsonl\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("{}:{}", head.seq, head.hash.to_hex())) {
        headers.insert("x-kinerja-head", v);
    }
    Ok((headers, axum::body::Body::from_stream(body)).into_response())
}

/// The city's recap of the month: as settled for a closed month, as of today otherwise.
#[utoipa::path(get, path = "/api/months/{month}/recap", tag = "hr", params(("month" = String, Path)),
    responses((status = 200, description = "The monthly recap (every employee, every unit)", body = Object)))]
pub async fn recap(State(state): State<AppState>, caller: Caller, Path(month): Path<String>) -> ApiResult<Response> {
    let month = month_of(&month)?;
    let m = state.month_to_read(month).await?;
    let body = m
        .read(|l, env| -> ApiResult<Vec<u8>> {
            read_city(&state, env, &caller, month)?;
            let as_of = if l.is_closed() { env.ctx().settled_on() } else { state.today().min(month.last_day()) };
            let recap = kinerja::recap::monthly_recap(l, env.ctx(), as_of)?;
            serde_json::to_vec(&recap).map_err(|e| ApiError::internal(e.to_string()))
        })
        .await?;
    Ok(json_bytes(body))
}

fn json_bytes(body: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response()
}

/// Computes the month's payroll: a closed month's settled recap paid under the
/// month's policy, or (when `projection`) an open month's as of today. Slips list the
/// allowance policy values in force that are not verified (version 3, see
/// `kinerja::payroll::pay_city_with`), so that what is shown, downloaded and stored is
/// the same slip; the payment itself ([`pay`]) needs the explicit permission. A
/// payroll already computed from the same head, versions and day is reused
/// ([`crate::state::PayrollMemo`]); the caller's right to read it is checked first
/// every time.
async fn compute_payroll(
    state: &AppState,
    caller: &Caller,
    month: YearMonth,
    projection: bool,
) -> ApiResult<(Arc<CityPayroll>, Arc<CityVersion>)> {
    let m = state.month_to_read(month).await?;
    // Units before their go-live date are not paid (`before_go_live`); a city that
    // recorded no roll-out pays every unit. Recording a roll-out forgets the memo.
    let rollout = state.store.rollout().await?;
    m.read(|l, env| -> ApiResult<(Arc<CityPayroll>, Arc<CityVersion>)> {
        read_city(state, env, caller, month)?;
        let ctx = env.ctx();
        let closed = l.is_closed();
        let as_of = if closed { ctx.settled_on() } else { state.today().min(month.last_day()) };
        let v = env.version();
        let head = l.head();
        let key = (head.seq, head.hash.to_hex(), v.dataset_version, v.policy_version, as_of);
        let memo =
            |s: &AppState| s.payrolls.lock().unwrap_or_else(|p| p.into_inner()).get(&(month, projection)).cloned();
        if let Some(hit) = memo(state).filter(|m| m.key == key) {
            return Ok((hit.payroll, v.clone()));
        }
        let recap = kinerja::recap::monthly_recap(l, ctx, as_of)?;
        if !projection {
            kinerja::payroll::payable(&recap)?;
        }
        let shown = kinerja::payroll::PayOptions { allow_unverified: true };
        let mut p = kinerja::payroll::pay_city_with(&v.city, ctx, &recap, &v.policy, &shown)?;
        kinerja::payroll::hold_before_go_live(&mut p, &rollout)?;
        let p = Arc::new(p);
        state
            .payrolls
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert((month, projection), crate::state::PayrollMemo { key, payroll: p.clone() });
        Ok((p, v.clone()))
    })
    .await
}

/// SHA-256 over the slips' content hashes in NIP order: what a stored payroll
/// run is compared by.
pub fn slips_digest(p: &CityPayroll) -> String {
    let mut hashes: Vec<(&str, &str)> =
        p.slips.iter().map(|s| (s.employee.as_str(), s.content_hash.as_str())).collect();
    hashes.sort();
    let mut h = Sha256::new();
    for (nip, c) in hashes {
        h.update(nip.as_bytes());
        h.update(b":");
        h.update(c.as_bytes());
        h.update(b"\n");
    }
    hex::encode(h.finalize())
}

/// The payroll asked for.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PayrollQuery {
    /// Compute an open month as of today (a projection, not a payment).
    #[serde(default)]
    pub projection: bool,
}

/// A payroll, compared with what was stored when it was paid.
#[derive(Debug, Serialize, ToSchema)]
pub struct PayrollView {
    /// True for a closed month (the figures pay).
    pub final_: bool,
    /// SHA-256 over the slips' hashes (see `slips_sha256` of the runs).
    pub slips_sha256: String,
    /// The last stored run of the month, if it was paid.
    pub paid_run: Option<i64>,
    /// Whether the recomputation equals the last stored run (`None` before any run).
    pub matches_paid: Option<bool>,
    /// The payroll: every slip, failure and not-paid reason, totals.
    #[schema(value_type = Object)]
    pub payroll: Arc<CityPayroll>,
}

/// The month's payroll, recomputed from the stored events under the month's
/// versions and compared with the last payment stored.
#[utoipa::path(get, path = "/api/months/{month}/payroll", tag = "hr", params(("month" = String, Path), PayrollQuery),
    responses((status = 200, body = PayrollView), (status = 409, body = crate::error::ErrorBody)))]
pub async fn payroll(
    State(state): State<AppState>,
    caller: Caller,
    Path(month): Path<String>,
    Query(q): Query<PayrollQuery>,
) -> ApiResult<Json<PayrollView>> {
    let month = month_of(&month)?;
    let (p, _) = compute_payroll(&state, &caller, month, q.projection).await?;
    let digest = slips_digest(&p);
    let last = state.store.payroll_runs(&month.to_string()).await?.pop();
    Ok(Json(PayrollView {
        final_: p.is_final(),
        matches_paid: last.as_ref().map(|r| r.slips_sha256 == digest),
        paid_run: last.map(|r| r.run),
        slips_sha256: digest,
        payroll: p,
    }))
}

/// A payment stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaidRun {
    /// The run number.
    pub run: i64,
    /// The journal head it rests on.
    pub head_seq: i64,
    /// SHA-256 over the slips' hashes.
    pub slips_sha256: String,
    /// The summary (counts, totals by rule).
    #[schema(value_type = Object)]
    pub summary: kinerja::payroll::PayrollSummary,
}

/// What a payroll run asks for.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PayRequest {
    /// Pay although allowance policy values in force are not verified (recalled,
    /// illustrative or unstated); every slip records them. Without it such a month is
    /// refused with 409 `unverified_policy`.
    #[serde(default)]
    pub allow_unverified: bool,
}

/// Pays a closed month: computes the payroll and stores the run (the head it
/// rests on, the versions, a digest of the slips), so that any later
/// recomputation can be compared with it. A month whose allowance policy values in
/// force are not all verified is paid only with `allow_unverified: true` in the body.
#[utoipa::path(post, path = "/api/months/{month}/payroll", tag = "hr", params(("month" = String, Path)),
    request_body = PayRequest,
    responses((status = 200, body = PaidRun), (status = 409, body = crate::error::ErrorBody)))]
pub async fn pay(
    State(state): State<AppState>,
    caller: Caller,
    client: Client,
    Path(month): Path<String>,
    body: Option<Json<PayRequest>>,
) -> ApiResult<Json<PaidRun>> {
    let month = month_of(&month)?;
    let request = body.map(|Json(b)| b).unwrap_or_default();
    let (p, version) = compute_payroll(&state, &caller, month, false).await?;
    let values = kinerja::payroll::unverified_values(&version.policy, month);
    if !values.is_empty() && !request.allow_unverified {
        return Err(kinerja::payroll::PayrollError::Unverified { month, values }.into());
    }
    let head = p.head.ok_or_else(|| ApiError::internal("a final payroll without its head"))?;
    let runs = state.store.payroll_runs(&month.to_string()).await?;
    let run = PayrollRunRow {
        month: month.to_string(),
        run: runs.last().map_or(1, |r| r.run + 1),
        head_seq: i64::try_from(head.seq).unwrap_or(i64::MAX),
        head_hash: head.hash.to_hex(),
        dataset_version: version.dataset_version,
        policy_version: version.policy_version,
        computed_at: state.now_text(),
        computed_by: caller.actor.to_string(),
        slips_sha256: slips_digest(&p),
        summary: serde_json::to_string(&p.summary).map_err(|e| ApiError::internal(e.to_string()))?,
    };
    state.store.add_payroll_run(&run).await?;
    state
        .audit(
            &caller.actor.to_string(),
            "pay_month",
            &month.to_string(),
            "ok",
            &client.0.to_string(),
            &run.slips_sha256,
        )
        .await;
    Ok(Json(PaidRun {
        run: run.run,
        head_seq: run.head_seq,
        slips_sha256: run.slips_sha256,
        summary: p.summary.clone(),
    }))
}

/// A file to save: its name keeps only ASCII letters, digits, `-`, `_` and
/// `.` (anything else becomes `_`, a leading dot too), so that no name a
/// download is given can climb out of a folder or end the header.
fn download(content_type: &'static str, name: String, body: Vec<u8>) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let name: String = name
        .chars()
        .enumerate()
        .map(|(i, c)| match c {
            '.' if i == 0 => '_',
            c if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') => c,
            _ => '_',
        })
        .collect();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    (headers, body).into_response()
}

/// The payroll as CSV for the treasury (the CLI's `tpp --csv` file).
#[utoipa::path(get, path = "/api/months/{month}/payroll.csv", tag = "hr", params(("month" = String, Path), PayrollQuery),
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn payroll_csv(
    State(state): State<AppState>,
    caller: Caller,
    Path(month): Path<String>,
    Query(q): Query<PayrollQuery>,
) -> ApiResult<Response> {
    let month = month_of(&month)?;
    let (p, version) = compute_payroll(&state, &caller, month, q.projection).await?;
    let csv = kinerja::export::payroll_csv(&version.city, &p).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(download("text/csv; charset=utf-8", format!("tpp-{month}.csv"), csv.into_bytes()))
}

/// The payroll as a spreadsheet (the CSV's rows and columns; NIPs as text,
/// amounts as numbers).
#[utoipa::path(get, path = "/api/months/{month}/payroll.xlsx", tag = "hr", params(("month" = String, Path), PayrollQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
pub async fn payroll_xlsx(
    State(state): State<AppState>,
    caller: Caller,
    Path(month): Path<String>,
    Query(q): Query<PayrollQuery>,
) -> ApiResult<Response> {
    let month = month_of(&month)?;
    let (p, version) = compute_payroll(&state, &caller, month, q.projection).await?;
    let rows = kinerja::export::payroll_rows(&version.city, &p);
    let bytes = tokio::task::spawn_blocking(move || xlsx_of(&rows, month))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))??;
    Ok(download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("tpp-{month}.xlsx"),
        bytes,
    ))
}

fn xlsx_of(rows: &[Vec<kinerja::export::Cell>], month: YearMonth) -> ApiResult<Vec<u8>> {
    use kinerja::export::Cell;
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| ApiError::internal(format!("spreadsheet: {e}"));
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name(format!("TPP {month}")).map_err(err)?;
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r).map_err(|_| ApiError::internal("too many rows"))?;
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).map_err(|_| ApiError::internal("too many columns"))?;
            match cell {
                Cell::Text(t) if r == 0 => sheet.write_string_with_format(r, c, t, &bold).map(|_| ()),
                Cell::Text(t) => sheet.write_string(r, c, t).map(|_| ()),
                Cell::Number(n) => match n.parse::<f64>() {
                    // A spreadsheet holds numbers as doubles; the exact decimal is in the CSV.
                    Ok(v) => sheet.write_number_with_format(r, c, v, &money).map(|_| ()),
                    Err(_) => sheet.write_string(r, c, n).map(|_| ()),
                },
                Cell::Empty => Ok(()),
            }
            .map_err(err)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(err)?;
    wb.save_to_buffer().map_err(err)
}

/// A slip with its text in the caller's language.
#[derive(Serialize)]
struct SlipView<'a> {
    /// The slip: structured lines (rule, amount, explanation message, policy values).
    slip: &'a kinerja::allowance::Slip,
    /// Its text in the caller's language.
    explained: kinerja::i18n::RenderedSlip,
}

/// One employee's slip with its explanation (HR; employees read their own
/// through `/employees/{nip}/allowance`).
#[utoipa::path(get, path = "/api/months/{month}/slips/{nip}", tag = "hr", params(("month" = String, Path), ("nip" = String, Path), PayrollQuery),
    responses((status = 200, description = "`{slip, explained}`: the slip, every line explained as data, and its text in the caller's language (`?lang=id|en` or `Accept-Language`)", body = Object)))]
pub async fn slip(
    State(state): State<AppState>,
    caller: Caller,
    Language(lang): Language,
    Path((month, nip)): Path<(String, String)>,
    Query(q): Query<PayrollQuery>,
) -> ApiResult<Response> {
    let month = month_of(&month)?;
    let nip = nip_of(&nip)?;
    let (p, _) = compute_payroll(&state, &caller, month, q.projection).await?;
    if let Some(s) = p.slip(&nip) {
        // The slip as the engine keeps it (verifiable as saved) and its text in the
        // caller's language.
        let body = SlipView { slip: s, explained: kinerja::i18n::Renderer::builtin().rendered_slip(lang, s) };
        return Ok(json_bytes(serde_json::to_vec(&body).map_err(|e| ApiError::internal(e.to_string()))?));
    }
    if let Some(n) = p.not_paid.iter().find(|n| n.employee == nip) {
        return Err(ApiError::conflict(&n.code, n.reason.clone()));
    }
    if let Some(f) = p.failures.iter().find(|f| f.employee == nip) {
        return Err(ApiError::invalid(&f.code, f.message.clone(), Vec::new()));
    }
    Err(ApiError::not_found("employee", nip))
}

/// A draft policy to compare.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WhatIfRequest {
    /// Layers added over the month's policy.
    #[schema(value_type = Vec<Object>)]
    pub layers: Vec<StoredLayer>,
}

/// The month paid under its policy and under the draft, compared per employee,
/// unit and city.
#[utoipa::path(post, path = "/api/months/{month}/what-if", tag = "hr", params(("month" = String, Path)), request_body = WhatIfRequest,
    responses((status = 200, description = "current, proposed, comparison, units", body = Object)))]
pub async fn what_if(
    State(state): State<AppState>,
    caller: Caller,
    Path(month): Path<String>,
    Body(req): Body<WhatIfRequest>,
) -> ApiResult<Response> {
    let month = month_of(&month)?;
    let m = state.month_to_read(month).await?;
    let body = m
        .read(|l, env| -> ApiResult<Vec<u8>> {
            read_city(&state, env, &caller, month)?;
            let v = env.version();
            let mut proposed = v.policy.clone();
            for layer in &req.layers {
                proposed = proposed.with_toml(&layer.source, &layer.toml)?;
            }
            let ctx = env.ctx();
            let as_of = if l.is_closed() { ctx.settled_on() } else { state.today().min(month.last_day()) };
            let recap = kinerja::recap::monthly_recap(l, ctx, as_of)?;
            let w = kinerja::payroll::what_if(&v.city, ctx, &recap, &v.policy, &proposed)?;
            serde_json::to_vec(&w).map_err(|e| ApiError::internal(e.to_string()))
        })
        .await?;
    Ok(json_bytes(body))
}

/// Whom to issue activation codes to.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodesRequest {
    /// These actors; every employee and official without a password when left out.
    #[serde(default)]
    pub actors: Option<Vec<String>>,
}

/// Issues one-time activation codes and answers a CSV for HR to hand out
/// (`actor,name,unit,code,expires`). An account that already has a password
/// gets a code only when named (a reset).
#[utoipa::path(post, path = "/api/admin/activation-codes", tag = "hr", request_body = CodesRequest,
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn activation_codes(
    State(state): State<AppState>,
    caller: Caller,
    client: Client,
    Body(req): Body<CodesRequest>,
) -> ApiResult<Response> {
    administer(&state, &caller).await?;
    let (bytes, issued) = issue_codes(&state, req.actors).await?;
    state
        .audit(
            &caller.actor.to_string(),
            "issue_activation_codes",
            &issued.to_string(),
            "ok",
            &client.0.to_string(),
            "",
        )
        .await;
    Ok(download("text/csv; charset=utf-8", "activation-codes.csv".into(), bytes))
}

/// Issues activation codes (see [`activation_codes`]); answers the CSV and how
/// many codes it holds.
pub async fn issue_codes(state: &AppState, actors: Option<Vec<String>>) -> ApiResult<(Vec<u8>, usize)> {
    let env = today_env(state).await?;
    let city = &env.version().city;
    let today = state.today();
    let mut people: Vec<(String, String, String)> = city
        .organisation
        .employees()
        .iter()
        .map(|e| {
            let unit =
                city.organisation.definitive_position(&e.nip, today).map(|p| p.unit.to_string()).unwrap_or_default();
            (e.nip.to_string(), e.name.clone(), unit)
        })
        .chain(
            city.access()
                .authorities
                .officials()
                .iter()
                .map(|o| (format!("official:{}", o.id), o.name.clone(), String::new())),
        )
        .collect();
    let named = actors.is_some();
    if let Some(list) = &actors {
        for a in list {
            if !people.iter().any(|p| &p.0 == a) {
                return Err(ApiError::not_found("actor", a));
            }
        }
        people.retain(|p| list.contains(&p.0));
    }
    let expires = (state.local_now() + Duration::days(state.config.limits.activation_days)).format(TIME).to_string();
    let mut w = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| ApiError::internal(e.to_string());
    w.write_record(["actor", "name", "unit", "code", "expires"]).map_err(csv_err)?;
    let now = state.now_text();
    let mut issued = 0usize;
    for (actor, name, unit) in people {
        let mut account = state.store.account(&actor).await?.unwrap_or_else(|| blank_account(&actor, &now));
        if account.password_hash.is_some() && !named {
            continue;
        }
        let code = auth::activation_code()?;
        account.activation_hash = Some(auth::sha256_hex(&auth::normalise_code(&code)));
        account.activation_expires = Some(expires.clone());
        state.store.put_account(&account).await?;
        // Names come from the dataset: one a spreadsheet would run as a formula is neutralised.
        let (name, unit) = (kinerja::export::neutralise(&name), kinerja::export::neutralise(&unit));
        w.write_record([actor.as_str(), &name, &unit, code.as_str(), expires.as_str()]).map_err(csv_err)?;
        issued += 1;
    }
    let bytes = w.into_inner().map_err(|e| ApiError::internal(e.to_string()))?;
    Ok((bytes, issued))
}

/// A device's token, shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeviceToken {
    /// The device actor.
    pub actor: String,
    /// `Authorization: Bearer <token>`.
    pub token: String,
    /// Expires.
    pub expires_at: String,
}

/// Issues a bearer token for a clock machine of the dataset.
#[utoipa::path(post, path = "/api/admin/devices/{id}/token", tag = "hr", params(("id" = String, Path)),
    responses((status = 200, body = DeviceToken), (status = 404, body = crate::error::ErrorBody)))]
pub async fn device_token(
    State(state): State<AppState>,
    caller: Caller,
    client: Client,
    Path(id): Path<String>,
) -> ApiResult<Json<DeviceToken>> {
    administer(&state, &caller).await?;
    let env = today_env(&state).await?;
    let actor: ActorId =
        format!("device:{id}").parse().map_err(|e: String| ApiError::bad_request("invalid_device", e))?;
    let ActorId::Device(device) = &actor else { return Err(ApiError::bad_request("invalid_device", "not a device")) };
    if env.version().city.access().authorities.device(device).is_none() {
        return Err(ApiError::not_found("device", &id));
    }
    let actor = actor.to_string();
    if state.store.account(&actor).await?.is_none() {
        state.store.put_account(&blank_account(&actor, &state.now_text())).await?;
    }
    let (row, secret) =
        super::session::open_session(&state, &actor, "bearer", "clock machine", Duration::days(365)).await?;
    state.audit(&caller.actor.to_string(), "device_token", &actor, "ok", &client.0.to_string(), &row.id).await;
    Ok(Json(DeviceToken { actor, token: secret, expires_at: row.expires_at }))
}

/// The audit log asked for.
#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditQuery {
    /// Only this actor's lines.
    pub actor: Option<String>,
    /// At most this many (default 200, at most 5,000).
    pub limit: Option<i64>,
}

/// A line of the audit log.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditLine {
    /// When (UTC).
    pub at_utc: String,
    /// Who.
    pub actor: String,
    /// What.
    pub action: String,
    /// On what.
    pub target: String,
    /// `ok` or why not.
    pub outcome: String,
    /// From where.
    pub client: String,
    /// More.
    pub detail: String,
}

/// The newest lines of the audit log (sign-ins and administrative acts).
#[utoipa::path(get, path = "/api/admin/audit", tag = "hr", params(AuditQuery), responses((status = 200, body = Vec<AuditLine>)))]
pub async fn audit_log(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<Vec<AuditLine>>> {
    administer(&state, &caller).await?;
    let limit = q.limit.unwrap_or(200).clamp(1, 5_000);
    let rows = state.store.audit_log(q.actor.as_deref(), limit).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| AuditLine {
                at_utc: r.at_utc,
                actor: r.actor,
                action: r.action,
                target: r.target,
                outcome: r.outcome,
                client: r.client,
                detail: r.detail,
            })
            .collect(),
    ))
}
