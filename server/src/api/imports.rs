//! The imports a city has: attendance-machine logs (CSV) turned into clock
//! events recorded as the machines, and employee exports of the national
//! civil-service information system (SIASN) merged into a new dataset version.
//! Reading the files is the core's (`kinerja::import`); so is every rule the
//! events then meet.

use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use kinerja::YearMonth;
use kinerja::import::ImportError;
use kinerja::import::clock::{ClockImport, ClockLogOptions, read_clock_log};
use kinerja::import::siasn::{MergeReport, SiasnOptions, merge_employees};
use kinerja::ledger::LedgerError;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{Client, Query, RawBody, month_of};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

fn import_error(e: ImportError) -> ApiError {
    let mut out = ApiError::invalid(e.code(), e.to_string(), Vec::new());
    out.field = e.column().map(|c| format!("column {c}"));
    out
}

/// How to read an attendance log.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ClockLogQuery {
    /// The machine of every row (a one-machine log); otherwise the file's device column.
    pub device: Option<String>,
    /// Only this month's scans (`YYYY-MM`); the others are reported.
    pub month: Option<String>,
    /// Read and report only; record nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// What happened to one event the ledger was asked to record.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordedScan {
    /// The file's row.
    pub row: usize,
    /// `accepted`, `duplicate` (already recorded) or `refused`.
    pub outcome: String,
    /// The core's code, when refused.
    pub code: Option<String>,
    /// The refusal, for people.
    pub message: Option<String>,
}

/// The report of an attendance log.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClockLogReport {
    /// What was read: layout, events, the rows left out with reason codes.
    #[schema(value_type = Object)]
    pub import: ClockImport,
    /// Rows left out, by reason code.
    #[schema(value_type = Object)]
    pub unmatched_by_code: std::collections::BTreeMap<String, usize>,
    /// Each event's outcome in the ledger (empty on a dry run).
    pub recorded: Vec<RecordedScan>,
}

/// Imports an attendance-machine log (CSV in the common export layouts, see
/// docs/imports.md): every row becomes a clock event or is reported with a
/// reason; the events are recorded as their machines, received now (how far
/// back a log may reach is the policy's claim window).
#[utoipa::path(post, path = "/api/admin/imports/attendance", tag = "hr", params(ClockLogQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ClockLogReport), (status = 422, body = crate::error::ErrorBody)))]
pub async fn attendance(
    State(state): State<AppState>,
    caller: Caller,
    client: Client,
    Query(q): Query<ClockLogQuery>,
    RawBody(body): RawBody,
) -> ApiResult<Json<ClockLogReport>> {
    super::hr::administer(&state, &caller).await?;
    let month = q.month.as_deref().map(month_of).transpose()?;
    let device = match &q.device {
        Some(d) => Some(
            kinerja::access::DeviceId::new(d)
                .map_err(|e| ApiError::bad_request("invalid_device", e).with_field("device"))?,
        ),
        None => None,
    };
    let options = ClockLogOptions { device, month, ..ClockLogOptions::default() };
    let today = state.today();
    let env = state.month_to_read(month.unwrap_or(YearMonth::of(today))).await?.env().await;
    let import = read_clock_log(&env.version().city, body.as_ref(), &options).map_err(import_error)?;
    let mut recorded = Vec::new();
    if !q.dry_run {
        let received = state.local_now();
        let mut by_month: std::collections::BTreeMap<YearMonth, Vec<(usize, kinerja::ledger::Request)>> =
            Default::default();
        for (row, r) in import.requests(Some(received)) {
            by_month.entry(YearMonth::of(r.at.date())).or_default().push((row, r));
        }
        for (m, requests) in by_month {
            let month = state.month(m).await?;
            let st = state.clone();
            let mut answers = month
                .write(move |ledger, ctx, _| {
                    requests
                        .into_iter()
                        .map(|(row, mut r)| {
                            // Received now, as the writer records it (see `AppState::record_now`).
                            r.received_at = Some(st.record_now(ledger));
                            match ledger.execute(ctx, r) {
                                Ok(_) => RecordedScan { row, outcome: "accepted".into(), code: None, message: None },
                                Err(LedgerError::DuplicateKey { .. }) => {
                                    RecordedScan { row, outcome: "duplicate".into(), code: None, message: None }
                                }
                                Err(e) => {
                                    let e = ApiError::from(e);
                                    RecordedScan {
                                        row,
                                        outcome: "refused".into(),
                                        code: Some(e.reason.unwrap_or(e.code)),
                                        message: Some(e.message),
                                    }
                                }
                            }
                        })
                        .collect::<Vec<_>>()
                })
                .await?;
            recorded.append(&mut answers);
        }
        recorded.sort_by_key(|r| r.row);
    }
    let unmatched_by_code = import.counts().into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    let accepted = recorded.iter().filter(|r| r.outcome == "accepted").count();
    state
        .audit(
            &caller.actor.to_string(),
            "import_attendance",
            &format!("{} rows", import.rows),
            "ok",
            &client.0.to_string(),
            &format!("{} events, {accepted} recorded, {} left out", import.events.len(), import.unmatched.len()),
        )
        .await;
    Ok(Json(ClockLogReport { import, unmatched_by_code, recorded }))
}

/// How to read an employee export.
#[derive(Debug, Deserialize, IntoParams)]
pub struct EmployeesQuery {
    /// The date the export describes (`YYYY-MM-DD`); today when left out.
    pub as_of: Option<String>,
    /// Store the merged dataset as a new version in force from `as_of`
    /// (otherwise only the report is answered). A merge that adds or changes
    /// no employee stores nothing.
    #[serde(default)]
    pub apply: bool,
}

/// The report of an employee export.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmployeesReport {
    /// Added, changed, refused, missing.
    #[schema(value_type = Object)]
    pub report: MergeReport,
    /// The dataset version stored, when applied.
    pub version: Option<i64>,
}

/// Merges an employee export of the national civil-service information system
/// (SIASN CSV, columns mapped as docs/imports.md says) into the current dataset:
/// the report always; with `apply`, the merged dataset as a new version (the
/// open months' records must still hold under it).
#[utoipa::path(post, path = "/api/admin/imports/employees", tag = "hr", params(EmployeesQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = EmployeesReport), (status = 422, body = crate::error::ErrorBody)))]
pub async fn employees(
    State(state): State<AppState>,
    caller: Caller,
    client: Client,
    Query(q): Query<EmployeesQuery>,
    RawBody(body): RawBody,
) -> ApiResult<Json<EmployeesReport>> {
    super::hr::administer(&state, &caller).await?;
    let as_of: NaiveDate = match &q.as_of {
        Some(t) => super::date_of("as_of", t)?,
        None => state.today(),
    };
    let env = state.month_to_read(YearMonth::of(state.today())).await?.env().await;
    let merge = merge_employees(&env.version().city, body.as_ref(), &SiasnOptions::new(as_of)).map_err(import_error)?;
    let mut version = None;
    if q.apply && merge.report.changes_anything() {
        let json = merge.dataset.to_json();
        let (v, _) = super::hr::import_dataset_text(&state, &json, as_of, &caller.actor.to_string()).await?;
        version = Some(v);
    }
    state
        .audit(
            &caller.actor.to_string(),
            "import_employees",
            &format!("{} rows", merge.report.rows),
            "ok",
            &client.0.to_string(),
            &format!(
                "{} added, {} updated, {} refused{}",
                merge.report.added.len(),
                merge.report.updated,
                merge.report.refused.len(),
                version.map(|v| format!(", dataset version {v}")).unwrap_or_default()
            ),
        )
        .await;
    Ok(Json(EmployeesReport { report: merge.report, version }))
}
