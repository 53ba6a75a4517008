//! Budget realisation, unit readiness and the awards of a month (kinerja::insights), for
//! HR: whoever may read the city's recap may read these.
//!
//! The server keeps no budget, plan, roll-out or nomination records yet: the records
//! read are generated from the city's dataset (`kinerja::generator::generate_insights`,
//! seed 1) and every answer says so (`records: "generated"`).

use axum::Json;
use axum::extract::State;
use kinerja::YearMonth;
use kinerja::insights::{InsightParams, InsightsError, InsightsRecords, awards, budget, readiness};
use serde_json::{Value, json};

use super::{Path, month_of};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::months::MonthEnv;
use crate::state::AppState;

impl From<InsightsError> for ApiError {
    fn from(e: InsightsError) -> ApiError {
        ApiError::invalid(e.code(), e.to_string(), Vec::new()).said(&e)
    }
}

fn read_city(state: &AppState, env: &MonthEnv, caller: &Caller, month: YearMonth) -> ApiResult<()> {
    let access = env.version().city.access();
    kinerja::grants::may_read_city(&access, &caller.actor, super::judged_on(state, month))?;
    Ok(())
}

/// Where the records came from.
const SOURCE: &str = "generated";

fn records(env: &MonthEnv, month: YearMonth) -> InsightsRecords {
    kinerja::generator::generate_insights(&env.version().city.to_dataset(), 1, month.year(), month.month())
}

fn params(env: &MonthEnv, month: YearMonth) -> ApiResult<InsightParams> {
    Ok(InsightParams::from_policy(&env.version().policy, month.first_day())?.params)
}

/// The budget realisation of the month's year through the month, with the verified
/// minutes of the month's entries on each sub-activity's tasks.
#[utoipa::path(get, path = "/api/months/{month}/budget", tag = "hr", params(("month" = String, Path)),
    responses((status = 200, description = "Budget realisation (Resume APBD) through the month", body = Object)))]
pub async fn budget(
    State(state): State<AppState>,
    caller: Caller,
    Path(month): Path<String>,
) -> ApiResult<Json<Value>> {
    let month = month_of(&month)?;
    let m = state.month_to_read(month).await?;
    m.read(|l, env| -> ApiResult<Json<Value>> {
        read_city(&state, env, &caller, month)?;
        let p = params(env, month)?;
        let r = records(env, month);
        let report = budget::realisation(&r.budgets, month.year(), month.month(), p.behind_plan_percent, &[l.state()])?;
        Ok(Json(json!({ "records": SOURCE, "report": report })))
    })
    .await
}

/// The six readiness requirements of every unit in the month, with each unit's go-live
/// date and whether its data pays the month.
#[utoipa::path(get, path = "/api/months/{month}/readiness", tag = "hr", params(("month" = String, Path)),
    responses((status = 200, description = "Readiness verdicts per unit", body = Object)))]
pub async fn readiness(
    State(state): State<AppState>,
    caller: Caller,
    Path(month): Path<String>,
) -> ApiResult<Json<Value>> {
    let month = month_of(&month)?;
    let m = state.month_to_read(month).await?;
    m.read(|l, env| -> ApiResult<Json<Value>> {
        read_city(&state, env, &caller, month)?;
        let p = params(env, month)?;
        let r = records(env, month);
        let v = env.version();
        let verdicts =
            readiness::check_city(&v.city, env.ctx(), l.state(), &r.plans, p.electronic_attendance_percent, &v.policy)?;
        let units: Vec<Value> = verdicts
            .iter()
            .map(|verdict| {
                let ro = r.rollout.iter().find(|x| x.unit == verdict.unit);
                json!({ "verdict": verdict, "rollout": ro, "pays": ro.is_some_and(|x| x.pays(month)) })
            })
            .collect();
        Ok(Json(json!({ "records": SOURCE, "units": units })))
    })
    .await
}

/// The awards of the month's year from the stored months of that year up to the month.
#[utoipa::path(get, path = "/api/months/{month}/awards", tag = "hr", params(("month" = String, Path)),
    responses((status = 200, description = "Best Performance, Best Service, Best Innovative", body = Object)))]
pub async fn awards_of(
    State(state): State<AppState>,
    caller: Caller,
    Path(month): Path<String>,
) -> ApiResult<Json<Value>> {
    let month = month_of(&month)?;
    let m = state.month_to_read(month).await?;
    let (r, p) = m
        .read(|_, env| -> ApiResult<_> {
            read_city(&state, env, &caller, month)?;
            Ok((records(env, month), params(env, month)?))
        })
        .await?;
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
    let a = awards::awards(&recaps, &r.nominations, p.award_weights, month.year())?;
    Ok(Json(json!({ "records": SOURCE, "months": months, "awards": a })))
}
