//! The rest of Banda Aceh's system over HTTP (kinerja::insights): budgets and their
//! monthly realisation, strategic and work plans, each unit's roll-out (shadow month
//! and go-live date), award nominations and the panel's scores, and the reports that
//! read them (budget realisation, readiness, the shadow month, the awards).
//!
//! Every record is stored ([`crate::store::Store`]) and every report reads what is
//! stored (`records: "stored"`); a city that stored nothing gets empty reports (the
//! demo city is seeded with generated records when it is built, see
//! [`crate::demo::seed_insights`]). Who may record what is the core's
//! (`kinerja::access::may_record_budget`, `may_record_rollout`, `may_nominate`,
//! `may_score_nomination`); whether the figures are acceptable is the core's too
//! (`UnitBudget::validate`, `Nomination::validate`, `InsightsRecords::validate`),
//! asked before anything is written, so a refused record (422 with the core's code,
//! the record and the field) leaves what was stored as it was.

use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use kinerja::YearMonth;
use kinerja::error::Problem;
use kinerja::insights::readiness::{PlanKind, UnitPlan, UnitRollout};
use kinerja::insights::{
    InsightParams, InsightsError, InsightsRecords, Nomination, NominationCategory, UnitBudget, awards, budget,
    readiness,
};
use kinerja::money::Money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use super::{Body, Client, Path, Query, month_of, nip_of};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, clip};
use crate::months::MonthEnv;
use crate::state::AppState;

impl From<InsightsError> for ApiError {
    fn from(e: InsightsError) -> ApiError {
        let (record, id, field): (&str, String, &str) = match &e {
            InsightsError::CeilingExceeded { sub_activity, .. } => {
                ("sub_activity", sub_activity.clone(), "realisation")
            }
            InsightsError::PlanExceedsCeiling { sub_activity, .. } => ("sub_activity", sub_activity.clone(), "plan"),
            InsightsError::ProgressOutOfRange { sub_activity, .. } => {
                ("sub_activity", sub_activity.clone(), "progress")
            }
            InsightsError::NegativeAmount { record, id, field, .. }
            | InsightsError::TooManyMonths { record, id, field, .. } => (record, id.clone(), field),
            InsightsError::DuplicateCode { record, id } => (record, id.clone(), "code"),
            InsightsError::UnknownUnit { record, id, .. } => (record, id.clone(), "unit"),
            InsightsError::ScoreOutOfRange { id, .. } => ("nomination", id.clone(), "panel_scores"),
            InsightsError::InvertedPlan { id, .. } => ("plan", id.clone(), "until_year"),
            _ => ("", String::new(), ""),
        };
        let problems = if record.is_empty() {
            Vec::new()
        } else {
            vec![Problem::new(record, &id, field, e.code(), e.to_string())]
        };
        let mut out = ApiError::invalid(e.code(), e.to_string(), problems).said(&e);
        if !field.is_empty() {
            out = out.with_field(field);
        }
        out
    }
}

/// Writes of budgets are read, changed, checked by the core and written back: one at
/// a time, so two recordings of the same budget never lose each other's months.
static WRITE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Where the records came from.
const SOURCE: &str = "stored";

fn read_city(state: &AppState, env: &MonthEnv, caller: &Caller, month: YearMonth) -> ApiResult<()> {
    let access = env.version().city.access();
    kinerja::grants::may_read_city(&access, &caller.actor, super::judged_on(state, month))?;
    Ok(())
}

/// The records stored for a year: its budgets and nominations, every plan and the
/// roll-out.
pub async fn stored(state: &AppState, year: i32) -> ApiResult<InsightsRecords> {
    Ok(InsightsRecords {
        budgets: state.store.budgets(Some(year)).await?,
        plans: state.store.plans().await?,
        rollout: state.store.rollout().await?,
        nominations: state.store.nominations(Some(year)).await?,
    })
}

fn params(env: &MonthEnv, month: YearMonth) -> ApiResult<InsightParams> {
    Ok(InsightParams::from_policy(&env.version().policy, month.first_day())?.params)
}

/// Whether a unit's data pays `month`: a unit with no roll-out recorded pays as
/// before (see `kinerja::payroll::hold_before_go_live`).
fn pays(rollout: Option<&UnitRollout>, month: YearMonth) -> bool {
    rollout.is_none_or(|r| r.pays(month))
}

/// The budget realisation of the month's year through the month, with the verified
/// minutes of the month's entries on each sub-activity's tasks.
#[utoipa::path(get, path = "/api/months/{month}/budget", tag = "insights", params(("month" = String, Path)),
    responses((status = 200, description = "Budget realisation (Resume APBD) through the month", body = Object)))]
pub async fn budget(
    State(state): State<AppState>,
    caller: Caller,
    Path(month): Path<String>,
) -> ApiResult<Json<Value>> {
    let month = month_of(&month)?;
    let m = state.month_to_read(month).await?;
    m.read(|_, env| read_city(&state, env, &caller, month)).await?;
    let budgets = state.store.budgets(Some(month.year())).await?;
    m.read(|l, env| -> ApiResult<Json<Value>> {
        let p = params(env, month)?;
        let report = budget::realisation(&budgets, month.year(), month.month(), p.behind_plan_percent, &[l.state()])?;
        Ok(Json(json!({ "records": SOURCE, "report": report })))
    })
    .await
}

/// The six readiness requirements of every unit in the month, with each unit's go-live
/// date and whether its data pays the month (`reason: "before_go_live"` when not).
#[utoipa::path(get, path = "/api/months/{month}/readiness", tag = "insights", params(("month" = String, Path)),
    responses((status = 200, description = "Readiness verdicts per unit", body = Object)))]
pub async fn readiness(
    State(state): State<AppState>,
    caller: Caller,
    Path(month): Path<String>,
) -> ApiResult<Json<Value>> {
    let month = month_of(&month)?;
    let m = state.month_to_read(month).await?;
    m.read(|_, env| read_city(&state, env, &caller, month)).await?;
    let plans = state.store.plans().await?;
    let budgets = state.store.budgets(Some(month.year())).await?;
    let rollout = state.store.rollout().await?;
    m.read(|l, env| -> ApiResult<Json<Value>> {
        let p = params(env, month)?;
        let v = env.version();
        // The work plan's coverage counts the Renja's tasks and the budget's
        // sub-activities naming a task or its position (requirement 4).
        let data = readiness::PlanData { plans: &plans, budgets: &budgets };
        let verdicts = readiness::check_city_with(
            &v.city,
            env.ctx(),
            l.state(),
            data,
            p.electronic_attendance_percent,
            &v.policy,
        )?;
        let units: Vec<Value> = verdicts
            .iter()
            .map(|verdict| {
                let ro = rollout.iter().find(|x| x.unit == verdict.unit);
                let paying = pays(ro, month);
                json!({
                    "verdict": verdict,
                    "rollout": ro,
                    "pays": paying,
                    "reason": if paying { Value::Null } else { json!(kinerja::payroll::NotPaid::BEFORE_GO_LIVE) },
                })
            })
            .collect();
        Ok(Json(json!({ "records": SOURCE, "units": units })))
    })
    .await
}

/// The unit whose shadow month is asked for.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ShadowQuery {
    /// The work unit.
    pub unit: String,
}

/// A unit's month run through the whole chain without paying (the shadow month,
/// `kinerja::insights::readiness::shadow_month`): its readiness verdict and the slips
/// the month would pay its employees, with whether the unit's data pays the month
/// under its roll-out.
#[utoipa::path(get, path = "/api/months/{month}/shadow", tag = "insights", params(("month" = String, Path), ShadowQuery),
    responses((status = 200, description = "The shadow month of a unit (nothing paid)", body = Object)))]
pub async fn shadow(
    State(state): State<AppState>,
    caller: Caller,
    Path(month): Path<String>,
    Query(q): Query<ShadowQuery>,
) -> ApiResult<Json<Value>> {
    let month = month_of(&month)?;
    let m = state.month_to_read(month).await?;
    m.read(|_, env| read_city(&state, env, &caller, month)).await?;
    let plans = state.store.plans().await?;
    let budgets = state.store.budgets(Some(month.year())).await?;
    let rollout = state.store.rollout().await?;
    let unit = kinerja::UnitId::from(q.unit.as_str());
    m.read(|l, env| -> ApiResult<Json<Value>> {
        let p = params(env, month)?;
        let v = env.version();
        let ctx = env.ctx();
        let as_of = if l.is_closed() { ctx.settled_on() } else { state.today().min(month.last_day()) };
        let recap = kinerja::recap::monthly_recap(l, ctx, as_of)?;
        let run = readiness::shadow_month_with(
            &v.city,
            ctx,
            l.state(),
            &recap,
            readiness::PlanData { plans: &plans, budgets: &budgets },
            &unit,
            p.electronic_attendance_percent,
            &v.policy,
        )?;
        let ro = rollout.iter().find(|x| x.unit == unit);
        Ok(Json(json!({
            "records": SOURCE,
            "rollout": ro,
            "pays": pays(ro, month),
            "shadow": run,
        })))
    })
    .await
}

/// The awards of the month's year from the stored months of that year up to the month
/// and the stored nominations with their panel scores.
#[utoipa::path(get, path = "/api/months/{month}/awards", tag = "insights", params(("month" = String, Path)),
    responses((status = 200, description = "Best Performance, Best Service, Best Innovative", body = Object)))]
pub async fn awards_of(
    State(state): State<AppState>,
    caller: Caller,
    Path(month): Path<String>,
) -> ApiResult<Json<Value>> {
    let month = month_of(&month)?;
    let m = state.month_to_read(month).await?;
    let p = m
        .read(|_, env| -> ApiResult<_> {
            read_city(&state, env, &caller, month)?;
            params(env, month)
        })
        .await?;
    let nominations = state.store.nominations(Some(month.year())).await?;
    let mut recaps = Vec::new();
    let mut months = Vec::new();
    for n in 1..=month.month() {
        let Some(ym) = YearMonth::new(month.year(), n) else { continue };
        if state.store.month(&ym.to_string()).await?.is_none() {
            continue;
        }
        let mm = state.month_to_read(ym).await?;
        let recap = mm
            .read(|l, env| -> ApiResult<_> {
                let as_of = if l.is_closed() { env.ctx().settled_on() } else { state.today().min(ym.last_day()) };
                Ok(kinerja::recap::monthly_recap(l, env.ctx(), as_of)?)
            })
            .await?;
        months.push(ym.to_string());
        recaps.push(recap);
    }
    let a = awards::awards(&recaps, &nominations, p.award_weights, month.year())?;
    Ok(Json(json!({ "records": SOURCE, "months": months, "nominations": nominations, "awards": a })))
}

// ---------------------------------------------------------------------------
// Recording
// ---------------------------------------------------------------------------

/// What a recording answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct Recorded {
    /// What was recorded (`budget`, `realisation`, `plan`, `rollout`, `nomination`, `score`).
    pub record: String,
    /// Its id (`UNIT/YEAR` for a budget).
    pub id: String,
    /// The record as stored, read back.
    #[schema(value_type = Object)]
    pub stored: Value,
}

/// Runs a recording, then writes its outcome to the audit log (refusals too).
async fn audited<T>(
    state: &AppState,
    caller: &Caller,
    client: &Client,
    action: &str,
    target: &str,
    r: ApiResult<T>,
) -> ApiResult<T> {
    let outcome = r.as_ref().map(|_| "ok".to_string()).unwrap_or_else(|e| e.reason.clone().unwrap_or(e.code.clone()));
    state.audit(&caller.actor.to_string(), action, target, &outcome, &client.0.to_string(), "").await;
    r
}

/// Checks a record's id: 1 to 64 letters, digits, `-`, `_`, `.`.
fn record_id(field: &str, text: &str) -> ApiResult<()> {
    let ok = !text.is_empty()
        && text.len() <= 64
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "invalid_id",
            format!("`{}` is not a valid id (1-64 letters, digits, `-`, `_`, `.`)", clip(text)),
        )
        .with_field(field))
    }
}

/// The city in force today and the check of `decide` against the caller.
async fn decide(
    state: &AppState,
    check: impl FnOnce(&kinerja::access::Access<'_>, NaiveDate) -> Result<(), kinerja::org::NotAuthorised>,
) -> ApiResult<std::sync::Arc<MonthEnv>> {
    let env = super::hr::today_env(state).await?;
    let access = env.version().city.access();
    check(&access, state.today())?;
    Ok(env)
}

fn known_unit(env: &MonthEnv, record: &'static str, id: &str, unit: &kinerja::UnitId) -> ApiResult<()> {
    if env.version().city.organisation.unit(unit).is_none() {
        return Err(InsightsError::UnknownUnit { record, id: id.to_string(), unit: unit.to_string() }.into());
    }
    Ok(())
}

/// A unit's budget (DPA) for a fiscal year to store, replacing the one stored for
/// that unit and year.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetImport {
    /// The budget: `unit`, `year`, `revenue` lines and `programmes` > `activities` >
    /// `sub_activities` (`code`, `name`, `ceiling`, monthly `plan`, `realisation`,
    /// `progress`, the `positions` and `tasks` that carry it), amounts as decimal text.
    #[schema(value_type = Object)]
    pub budget: UnitBudget,
}

/// Stores a unit's budget for a year (a budget and planning officer): the core checks
/// it first (codes, amounts, the plan and the realisation within each ceiling,
/// progress within 0..100 %).
#[utoipa::path(post, path = "/api/budgets", tag = "insights", request_body = BudgetImport,
    responses((status = 200, body = Recorded), (status = 403, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn import_budget(
    State(state): State<AppState>,
    caller: Caller,
    client: Client,
    Body(req): Body<BudgetImport>,
) -> ApiResult<Json<Recorded>> {
    let b = req.budget;
    let id = format!("{}/{}", b.unit, b.year);
    let r = async {
        let env = decide(&state, |a, d| kinerja::access::may_record_budget(a, &caller.actor, d)).await?;
        known_unit(&env, "budget", &id, &b.unit)?;
        b.validate()?;
        let _one = WRITE.lock().await;
        state.store.put_budget(&b, &state.now_text(), &caller.actor.to_string()).await?;
        Ok(Json(Recorded { record: "budget".into(), id: id.clone(), stored: json!(b) }))
    }
    .await;
    audited(&state, &caller, &client, "record_budget", &id, r).await
}

/// One sub-activity's month.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RealisationLine {
    /// The sub-activity's code.
    pub sub_activity: String,
    /// Money spent in the month (realisasi keuangan), decimal text: `"12500000"`.
    pub realised: String,
    /// Cumulative physical progress at the month's end (realisasi fisik), percent as
    /// decimal text; left out, the progress stays as stored.
    #[serde(default)]
    pub progress: Option<String>,
}

/// A month's realisation of a unit's budget.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RealisationRequest {
    /// The month of the fiscal year, 1-12.
    pub month: u32,
    /// One line per sub-activity realised.
    pub lines: Vec<RealisationLine>,
}

fn amount(field: &str, text: &str) -> ApiResult<Decimal> {
    Money::parse(text).map(Money::amount).map_err(|_| {
        ApiError::bad_request("invalid_amount", format!("`{}` is not a decimal amount", clip(text))).with_field(field)
    })
}

/// Records a month's realisation (money spent and physical progress) of sub-activities
/// of a stored budget (a budget and planning officer). The budget with the month set
/// is checked by the core as a whole: realisation adding up beyond a ceiling or
/// progress beyond 100 % is refused (422 `budget_ceiling_exceeded`,
/// `budget_progress_out_of_range`, naming the sub-activity and the field) and the
/// stored budget stays as it was.
#[utoipa::path(post, path = "/api/budgets/{year}/{unit}/realisation", tag = "insights",
    params(("year" = i32, Path), ("unit" = String, Path)), request_body = RealisationRequest,
    responses((status = 200, body = Recorded), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn record_realisation(
    State(state): State<AppState>,
    caller: Caller,
    client: Client,
    Path((year, unit)): Path<(i32, String)>,
    Body(req): Body<RealisationRequest>,
) -> ApiResult<Json<Recorded>> {
    let id = format!("{}/{year}", clip(&unit));
    let r = async {
        decide(&state, |a, d| kinerja::access::may_record_budget(a, &caller.actor, d)).await?;
        if !(1..=12).contains(&req.month) {
            return Err(
                ApiError::bad_request("invalid_month", format!("month {} is not 1-12", req.month)).with_field("month")
            );
        }
        let i = (req.month - 1) as usize;
        let _one = WRITE.lock().await;
        let mut b = state
            .store
            .budgets(Some(year))
            .await?
            .into_iter()
            .find(|b| b.unit.as_str() == unit)
            .ok_or_else(|| ApiError::not_found("budget", &id))?;
        for line in &req.lines {
            let realised = Money::new(amount("realised", &line.realised)?);
            let progress = line.progress.as_deref().map(|p| amount("progress", p)).transpose()?;
            let s = b
                .programmes
                .iter_mut()
                .flat_map(|p| p.activities.iter_mut())
                .flat_map(|a| a.sub_activities.iter_mut())
                .find(|s| s.code == line.sub_activity)
                .ok_or_else(|| ApiError::not_found("sub_activity", &line.sub_activity).with_field("sub_activity"))?;
            while s.realisation.len() <= i {
                s.realisation.push(Money::ZERO);
            }
            s.realisation[i] = realised;
            if let Some(p) = progress {
                let before = s.progress.last().copied().unwrap_or(Decimal::ZERO);
                while s.progress.len() <= i {
                    s.progress.push(before);
                }
                s.progress[i] = p;
            }
        }
        // The core checks the whole budget with the month set; nothing is written
        // unless it passes.
        b.validate()?;
        state.store.put_budget(&b, &state.now_text(), &caller.actor.to_string()).await?;
        Ok(Json(Recorded { record: "realisation".into(), id: id.clone(), stored: json!(b) }))
    }
    .await;
    audited(&state, &caller, &client, "record_realisation", &id, r).await
}

/// A strategic plan (Renstra) or work plan (Renja) to store.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanRecord {
    /// The plan: `id`, `unit`, `kind` (`strategic` or `work`), `from_year`,
    /// `until_year`, `reference`, and for a work plan the `tasks` it covers.
    #[schema(value_type = Object)]
    pub plan: UnitPlan,
}

/// Stores a unit's strategic or work plan (a budget and planning officer, Bappeda),
/// replacing the plan of the same id.
#[utoipa::path(post, path = "/api/plans", tag = "insights", request_body = PlanRecord,
    responses((status = 200, body = Recorded), (status = 403, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn record_plan(
    State(state): State<AppState>,
    caller: Caller,
    client: Client,
    Body(req): Body<PlanRecord>,
) -> ApiResult<Json<Recorded>> {
    let p = req.plan;
    let id = clip(&p.id);
    let r = async {
        let env = decide(&state, |a, d| kinerja::access::may_record_budget(a, &caller.actor, d)).await?;
        record_id("id", &p.id)?;
        known_unit(&env, "plan", &p.id, &p.unit)?;
        if p.kind == PlanKind::Strategic && !p.tasks.is_empty() {
            return Err(ApiError::invalid(
                "not_allowed",
                "a strategic plan lists no tasks (a work plan does)",
                vec![Problem::new("plan", &p.id, "tasks", "not_allowed", "a strategic plan lists no tasks")],
            )
            .with_field("tasks"));
        }
        InsightsRecords { plans: vec![p.clone()], ..InsightsRecords::default() }.validate()?;
        state.store.put_plan(&p, &state.now_text(), &caller.actor.to_string()).await?;
        Ok(Json(Recorded { record: "plan".into(), id: id.clone(), stored: json!(p) }))
    }
    .await;
    audited(&state, &caller, &client, "record_plan", &id, r).await
}

/// A unit's roll-out.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RolloutRecord {
    /// The work unit.
    pub unit: String,
    /// Its shadow month (`YYYY-MM`), run through the chain without paying.
    #[serde(default)]
    pub shadow_month: Option<String>,
    /// The date from which its data pays (`YYYY-MM-DD`); left out: not live yet.
    #[serde(default)]
    pub go_live: Option<String>,
}

/// Records a unit's roll-out (an HR officer): its shadow month and go-live date. From
/// the first month starting on or after the go-live date the unit's data pays; before
/// it, its employees are listed as not paid (`before_go_live`).
#[utoipa::path(post, path = "/api/rollout", tag = "insights", request_body = RolloutRecord,
    responses((status = 200, body = Recorded), (status = 403, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn record_rollout(
    State(state): State<AppState>,
    caller: Caller,
    client: Client,
    Body(req): Body<RolloutRecord>,
) -> ApiResult<Json<Recorded>> {
    let id = clip(&req.unit);
    let r = async {
        let env = decide(&state, |a, d| kinerja::access::may_record_rollout(a, &caller.actor, d)).await?;
        let unit = kinerja::UnitId::from(req.unit.as_str());
        known_unit(&env, "rollout", &req.unit, &unit)?;
        let shadow_month = req.shadow_month.as_deref().filter(|s| !s.is_empty()).map(month_of).transpose()?;
        let go_live =
            req.go_live.as_deref().filter(|s| !s.is_empty()).map(|d| super::date_of("go_live", d)).transpose()?;
        let ro = UnitRollout { unit, shadow_month, go_live };
        state.store.put_rollout(&ro, &state.now_text(), &caller.actor.to_string()).await?;
        // A computed payroll depends on who is live: forget the ones kept.
        state.payrolls.lock().unwrap_or_else(|p| p.into_inner()).clear();
        Ok(Json(Recorded { record: "rollout".into(), id: id.clone(), stored: json!(ro) }))
    }
    .await;
    audited(&state, &caller, &client, "record_rollout", &id, r).await
}

/// A nomination for Best Service or Best Innovative.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NominationRecord {
    /// Its id, e.g. `SVC-2026-01`.
    pub id: String,
    /// The award year.
    pub year: i32,
    /// `service` or `innovative`.
    #[schema(value_type = String)]
    pub category: NominationCategory,
    /// The nominee's NIP.
    pub employee: String,
    /// What the nomination is for.
    pub title: String,
}

/// Records a nomination (an HR officer), replacing the one of the same id (its panel
/// scores are kept).
#[utoipa::path(post, path = "/api/awards/nominations", tag = "insights", request_body = NominationRecord,
    responses((status = 200, body = Recorded), (status = 403, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn nominate(
    State(state): State<AppState>,
    caller: Caller,
    client: Client,
    Body(req): Body<NominationRecord>,
) -> ApiResult<Json<Recorded>> {
    let id = clip(&req.id);
    let r = async {
        let env = decide(&state, |a, d| kinerja::access::may_nominate(a, &caller.actor, d)).await?;
        record_id("id", &req.id)?;
        let employee = nip_of(&req.employee)?;
        if env.version().city.organisation.employee(&employee).is_none() {
            return Err(ApiError::invalid(
                "unknown_employee",
                format!("employee `{employee}` is not in the dataset"),
                vec![Problem::new("nomination", &req.id, "employee", "unknown_employee", "not in the dataset")],
            )
            .with_field("employee"));
        }
        if req.title.trim().is_empty() {
            return Err(ApiError::invalid(
                "missing_field",
                "the nomination needs a title",
                vec![Problem::new("nomination", &req.id, "title", "missing_field", "empty")],
            )
            .with_field("title"));
        }
        let kept = state.store.nominations(None).await?.into_iter().find(|n| n.id == req.id);
        let n = Nomination {
            id: req.id.clone(),
            year: req.year,
            category: req.category,
            employee,
            title: req.title.trim().to_string(),
            panel_scores: kept.map(|k| k.panel_scores).unwrap_or_default(),
        };
        n.validate()?;
        state.store.put_nomination(&n, &state.now_text(), &caller.actor.to_string()).await?;
        Ok(Json(Recorded { record: "nomination".into(), id: id.clone(), stored: json!(n) }))
    }
    .await;
    audited(&state, &caller, &client, "nominate", &id, r).await
}

/// A panel member's score.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreRecord {
    /// The score, 0..100, as decimal text.
    pub score: String,
}

/// Records the calling panel member's score of a nomination (a member of the awards
/// panel who is not the nominee); scoring again replaces the member's score. The core
/// checks the nomination with the score (0..100).
#[utoipa::path(post, path = "/api/awards/nominations/{id}/scores", tag = "insights", params(("id" = String, Path)),
    request_body = ScoreRecord,
    responses((status = 200, body = Recorded), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn score(
    State(state): State<AppState>,
    caller: Caller,
    client: Client,
    Path(id): Path<String>,
    Body(req): Body<ScoreRecord>,
) -> ApiResult<Json<Recorded>> {
    let target = clip(&id);
    let r = async {
        let env = super::hr::today_env(&state).await?;
        let access = env.version().city.access();
        // Only a panel member learns whether a nomination exists.
        access.officer(&caller.actor, kinerja::access::OfficerRole::AwardPanel, state.today())?;
        let score = amount("score", &req.score)?;
        let n = state
            .store
            .nominations(None)
            .await?
            .into_iter()
            .find(|n| n.id == id)
            .ok_or_else(|| ApiError::not_found("nomination", &id))?;
        kinerja::access::may_score_nomination(&access, &caller.actor, &n.employee, state.today())?;
        let checked = Nomination { panel_scores: vec![score], ..n.clone() };
        checked.validate()?;
        state.store.put_score(&n.id, &caller.actor.to_string(), score, &state.now_text()).await?;
        let stored = state.store.nominations(None).await?.into_iter().find(|x| x.id == n.id);
        Ok(Json(Recorded { record: "score".into(), id: target.clone(), stored: json!(stored) }))
    }
    .await;
    audited(&state, &caller, &client, "score_nomination", &target, r).await
}

/// The year whose nominations are asked for.
#[derive(Debug, Deserialize, IntoParams)]
pub struct NominationsQuery {
    /// The award year; this year when left out.
    #[serde(default)]
    pub year: Option<i32>,
}

/// The nominations of a year with their panel scores (an HR officer or a member of
/// the awards panel).
#[utoipa::path(get, path = "/api/awards/nominations", tag = "insights", params(NominationsQuery),
    responses((status = 200, description = "Nominations with their panel scores", body = Object),
        (status = 403, body = crate::error::ErrorBody)))]
pub async fn nominations(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<NominationsQuery>,
) -> ApiResult<Json<Value>> {
    decide(&state, |a, d| kinerja::access::may_read_nominations(a, &caller.actor, d)).await?;
    let year = q.year.unwrap_or_else(|| chrono::Datelike::year(&state.today()));
    let list = state.store.nominations(Some(year)).await?;
    Ok(Json(json!({ "year": year, "nominations": list })))
}
