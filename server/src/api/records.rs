//! Attendance: clock machines (bearer tokens of `device:ID`), absences, roll
//! calls and ceremonies.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use chrono::{NaiveDate, NaiveDateTime};
use kinerja::UnitId;
use kinerja::YearMonth;
use kinerja::attendance::{Absence, ClockDirection, ClockEvent, ClockSource};
use kinerja::ledger::{Command, Request, RollCallList};
use kinerja::rollcall::{Ceremony, RollCallKind};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{Body, Path, Query, date_of, month_of, nip_of};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// One scan as the machine read it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Scan {
    /// The employee's NIP.
    pub employee: String,
    /// The machine's time of the scan (local).
    #[schema(value_type = String)]
    pub at: NaiveDateTime,
    /// `in` or `out`.
    #[schema(value_type = String)]
    pub direction: ClockDirection,
    /// An idempotency key for the scan (e.g. the machine's log number): a scan
    /// sent again with its key is answered `duplicate` and counted once.
    #[serde(default)]
    pub key: Option<String>,
}

/// Scans from a clock machine.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Scans {
    /// The scans, oldest first (at most 10,000).
    pub scans: Vec<Scan>,
}

/// What happened to one scan.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScanResult {
    /// `accepted`, `duplicate` or `refused`.
    pub outcome: String,
    /// The event number, when accepted or duplicate.
    pub event: Option<u64>,
    /// The core's code, when refused.
    pub code: Option<String>,
    /// The refusal, for people.
    pub message: Option<String>,
}

/// The answer for each scan, in order.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScanAnswer {
    /// One result per scan.
    pub results: Vec<ScanResult>,
}

/// Records scans from the calling clock machine. The machine's time is kept as
/// the event's time and the server's as its receive time; how late a scan may
/// arrive, and which employees a machine may speak for, are the core's rules.
#[utoipa::path(post, path = "/api/clock", tag = "records", request_body = Scans,
    responses((status = 200, body = ScanAnswer), (status = 403, body = crate::error::ErrorBody)))]
pub async fn clock(
    State(state): State<AppState>,
    caller: Caller,
    Body(req): Body<Scans>,
) -> ApiResult<Json<ScanAnswer>> {
    let kinerja::access::ActorId::Device(device) = &caller.actor else {
        return Err(ApiError::forbidden("not_a_device", "only a clock machine's token sends scans"));
    };
    if req.scans.len() > 10_000 {
        return Err(ApiError::bad_request("invalid_input", "at most 10,000 scans a request").with_field("scans"));
    }
    let received = state.local_now();
    // The device's kind says which source the scans claim.
    let m = state.month_to_read(YearMonth::of(received.date())).await?;
    let kind = m
        .env()
        .await
        .version()
        .city
        .access()
        .authorities
        .device(device)
        .map(|d| d.kind)
        .ok_or_else(|| ApiError::forbidden("unknown_actor", format!("device `{device}` is not in the dataset")))?;
    // A night shift's check-out on a month's first day belongs to the previous
    // month's record, where its shift is judged (`kinerja::ledger::clock_month`).
    let env = m.env().await;
    let source = match kind {
        kinerja::access::DeviceKind::Fingerprint => ClockSource::Fingerprint,
        kinerja::access::DeviceKind::Face => ClockSource::Face,
    };
    // Group by month in order; each month's scans go to its writer as one job.
    let mut by_month: BTreeMap<YearMonth, Vec<(usize, Request)>> = BTreeMap::new();
    let mut results: Vec<Option<ScanResult>> = Vec::with_capacity(req.scans.len());
    for (i, s) in req.scans.into_iter().enumerate() {
        let employee = match nip_of(&s.employee) {
            Ok(n) => n,
            Err(e) => {
                results.push(Some(ScanResult {
                    outcome: "refused".into(),
                    event: None,
                    code: Some(e.code),
                    message: Some(e.message),
                }));
                continue;
            }
        };
        results.push(None);
        let event = ClockEvent { employee, at: s.at, direction: s.direction, source: source.clone(), geofence: None };
        let mut request = Request::new(caller.actor.clone(), s.at, Command::RecordClock { event }).received(received);
        if let Some(k) = s.key {
            request = request.with_key(format!("{}:{k}", caller.actor));
        }
        let month = match &request.command {
            Command::RecordClock { event } => kinerja::ledger::clock_month(env.ctx(), event),
            _ => YearMonth::of(s.at.date()),
        };
        by_month.entry(month).or_default().push((i, request));
    }
    drop(env);
    for (month, requests) in by_month {
        let m = match state.month(month).await {
            Ok(m) => m,
            Err(e) => {
                for (i, _) in requests {
                    results[i] = Some(ScanResult {
                        outcome: "refused".into(),
                        event: None,
                        code: Some(e.code.clone()),
                        message: Some(e.message.clone()),
                    });
                }
                continue;
            }
        };
        let st = state.clone();
        let answers = m
            .write(move |ledger, ctx, _| {
                requests
                    .into_iter()
                    .map(|(i, mut r)| {
                        // Received now, as the writer records it (see `AppState::record_now`).
                        r.received_at = Some(st.record_now(ledger));
                        let res = match ledger.execute(ctx, r) {
                            Ok(e) => {
                                ScanResult { outcome: "accepted".into(), event: Some(e.seq), code: None, message: None }
                            }
                            Err(kinerja::ledger::LedgerError::DuplicateKey { seq, .. }) => {
                                ScanResult { outcome: "duplicate".into(), event: Some(seq), code: None, message: None }
                            }
                            Err(e) => {
                                let e = ApiError::from(e);
                                ScanResult {
                                    outcome: "refused".into(),
                                    event: None,
                                    code: Some(e.reason.unwrap_or(e.code)),
                                    message: Some(e.message),
                                }
                            }
                        };
                        (i, res)
                    })
                    .collect::<Vec<_>>()
            })
            .await?;
        for (i, r) in answers {
            results[i] = Some(r);
        }
    }
    Ok(Json(ScanAnswer { results: results.into_iter().flatten().collect() }))
}

/// The event recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct Recorded {
    /// Its number in the month's journal.
    pub event: u64,
    /// Its hash.
    pub hash: String,
}

async fn record(state: &AppState, caller: &Caller, month: YearMonth, command: Command) -> ApiResult<Json<Recorded>> {
    let m = state.month(month).await?;
    let (actor, st) = (caller.actor.clone(), state.clone());
    let (event, hash) = m
        .write(move |ledger, ctx, _| {
            let request = Request::new(actor, st.record_now(ledger), command);
            ledger.execute(ctx, request).map(|e| (e.seq, e.hash.to_hex())).map_err(ApiError::from)
        })
        .await??;
    Ok(Json(Recorded { event, hash }))
}

/// Records an absence: by an HR officer on evidence, or by the employee for the
/// kinds the policy lets them report themselves (permit, sickness by default).
#[utoipa::path(post, path = "/api/months/{month}/absences", tag = "records",
    request_body(content = Object, description = "An absence in the dataset's form: employee, range, kind, evidence, note"),
    params(("month" = String, Path)),
    responses((status = 200, body = Recorded), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn absence(
    State(state): State<AppState>,
    caller: Caller,
    Path(month): Path<String>,
    Body(absence): Body<Absence>,
) -> ApiResult<Json<Recorded>> {
    let month = month_of(&month)?;
    record(&state, &caller, month, Command::RecordAbsence { absence }).await
}

/// The roll call asked for.
#[derive(Debug, Deserialize, IntoParams)]
pub struct RollQuery {
    /// `YYYY-MM-DD`; today when left out.
    pub date: Option<String>,
}

/// A person on a unit's roll.
#[derive(Debug, Serialize, ToSchema)]
pub struct RollLine {
    /// NIP.
    pub nip: String,
    /// Name.
    pub name: String,
    /// Position.
    pub position: String,
    /// Marked present at the morning, afternoon and ceremony roll calls so far.
    pub attended: Vec<String>,
}

/// A unit's roll for a day.
#[derive(Debug, Serialize, ToSchema)]
pub struct Roll {
    /// The unit.
    pub unit: String,
    /// The day.
    pub date: NaiveDate,
    /// Everyone whose position is in the unit or under it that day.
    pub people: Vec<RollLine>,
}

/// A unit's roll-call list for a day: its attendance officers and HR.
#[utoipa::path(get, path = "/api/units/{unit}/roll-call", tag = "records", params(("unit" = String, Path), RollQuery),
    responses((status = 200, body = Roll), (status = 403, body = crate::error::ErrorBody)))]
pub async fn unit_roll(
    State(state): State<AppState>,
    caller: Caller,
    Path(unit): Path<String>,
    Query(q): Query<RollQuery>,
) -> ApiResult<Json<Roll>> {
    let date = match &q.date {
        Some(t) => date_of("date", t)?,
        None => state.today(),
    };
    let unit = UnitId::from(unit.as_str());
    let m = state.month_to_read(YearMonth::of(date)).await?;
    let roll = m
        .read(|ledger, env| -> ApiResult<Roll> {
            let city = &env.version().city;
            let org = &city.organisation;
            let access = city.access();
            // Who may ask comes first: someone who may read no roll learns nothing of which units exist.
            kinerja::grants::may_read_unit(&access, &caller.actor, &unit, state.today().min(date))?;
            if org.unit(&unit).is_none() {
                return Err(ApiError::not_found("unit", &unit));
            }
            let st = ledger.state();
            let mut people = Vec::new();
            for e in org.employees() {
                let Some(p) = org.definitive_position(&e.nip, date) else { continue };
                if !access.within(&p.unit, &unit) {
                    continue;
                }
                let attended = st
                    .roll_calls
                    .iter()
                    .filter(|l| l.date == date && l.attended.contains(&e.nip))
                    .map(|l| format!("{:?}", l.kind).to_lowercase())
                    .collect();
                people.push(RollLine {
                    nip: e.nip.to_string(),
                    name: e.name.clone(),
                    position: p.name.clone(),
                    attended,
                });
            }
            Ok(Roll { unit: unit.to_string(), date, people })
        })
        .await?;
    Ok(Json(roll))
}

/// A roll-call list as the officer records it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RollForm {
    /// The day.
    pub date: NaiveDate,
    /// `morning`, `afternoon` or `ceremony`.
    #[schema(value_type = String)]
    pub kind: RollCallKind,
    /// NIPs present.
    pub attended: Vec<String>,
    /// NIPs marked absent.
    #[serde(default)]
    pub absent: Vec<String>,
}

/// Records a roll-call list (the unit's attendance officer).
#[utoipa::path(post, path = "/api/months/{month}/roll-calls", tag = "records", request_body = RollForm,
    params(("month" = String, Path)),
    responses((status = 200, body = Recorded), (status = 403, body = crate::error::ErrorBody)))]
pub async fn roll_call(
    State(state): State<AppState>,
    caller: Caller,
    Path(month): Path<String>,
    Body(form): Body<RollForm>,
) -> ApiResult<Json<Recorded>> {
    let month = month_of(&month)?;
    let list = RollCallList {
        date: form.date,
        kind: form.kind,
        attended: form.attended.iter().map(|n| nip_of(n)).collect::<Result<_, _>>()?,
        absent: form.absent.iter().map(|n| nip_of(n)).collect::<Result<_, _>>()?,
    };
    record(&state, &caller, month, Command::RecordRollCall { list }).await
}

/// Declares a ceremony (an HR officer).
#[utoipa::path(post, path = "/api/months/{month}/ceremonies", tag = "records",
    request_body(content = Object, description = "{\"date\": \"2026-10-17\", \"name\": \"Hari Kesadaran Nasional\"}"),
    params(("month" = String, Path)),
    responses((status = 200, body = Recorded), (status = 403, body = crate::error::ErrorBody)))]
pub async fn ceremony(
    State(state): State<AppState>,
    caller: Caller,
    Path(month): Path<String>,
    Body(ceremony): Body<Ceremony>,
) -> ApiResult<Json<Recorded>> {
    let month = month_of(&month)?;
    record(&state, &caller, month, Command::DeclareCeremony { ceremony }).await
}
