//! Budget realisation, unit readiness, the seven uses of the data, verification quality
//! and the awards (kinerja::insights) as `kinerja.Table`s. The NIP column is `nip`.
//!
//! The insight records (budgets, plans, roll-out, nominations) are given as their JSON
//! text (`InsightsRecords`); months of history as `kinerja.Ledger`s, whose month contexts
//! give the city and the policy.

use std::sync::Arc;

use kinerja::abk;
use kinerja::dataset::City;
use kinerja::insights::{InsightParams, InsightsRecords, awards as k_awards, budget, readiness, uses};
use kinerja::policy::Policy;
use kinerja::recap::MonthlyRecap;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::columns::TableBuilder;
use crate::errors::{err, guard};
use crate::ledger::PyLedger;
use crate::policy::PyPolicy;

fn records(json: &str) -> PyResult<InsightsRecords> {
    let r = InsightsRecords::from_json(json).map_err(|e| PyValueError::new_err(format!("insight records: {e}")))?;
    guard(|| r.validate().map_err(|e| err(kinerja::Error::from(e))))?;
    Ok(r)
}

fn params(policy: &Policy, date: chrono::NaiveDate) -> PyResult<InsightParams> {
    guard(|| InsightParams::from_policy(policy, date).map(|b| b.params).map_err(err))
}

fn insight_err(e: kinerja::insights::InsightsError) -> PyErr {
    err(kinerja::Error::from(e))
}

/// Every ledger's final recap, oldest month first, with the city and policy of the last.
fn history<'a>(
    py: Python<'_>,
    ledgers: &'a [PyRef<'a, PyLedger>],
) -> PyResult<Vec<(Arc<MonthlyRecap>, &'a PyRef<'a, PyLedger>)>> {
    let mut out = Vec::new();
    for l in ledgers {
        out.push((l.native_recap(py, None)?, l));
    }
    out.sort_by_key(|(r, _)| r.month);
    Ok(out)
}

/// The budget realisation of `year` through month `through` as one table of lines:
/// columns level (`unit`, `programme`, `activity`, `sub_activity`, `city`), unit, code,
/// name, ceiling, planned, realised, absorption_percent, deviation, deviation_percent,
/// progress_percent, behind, verified_minutes (sub-activities, from `ledgers`).
#[pyfunction]
#[pyo3(signature = (records_json, year, through, policy, ledgers=Vec::new()))]
pub fn budget_realisation<'py>(
    py: Python<'py>,
    records_json: &str,
    year: i32,
    through: u32,
    policy: PyRef<'_, PyPolicy>,
    ledgers: Vec<PyRef<'_, PyLedger>>,
) -> PyResult<Bound<'py, PyAny>> {
    let r = records(records_json)?;
    let first = chrono::NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| PyValueError::new_err("year"))?;
    let p = params(&policy.inner, first)?;
    let states: Vec<_> = ledgers.iter().map(|l| l.inner.state()).collect();
    let report =
        guard(|| budget::realisation(&r.budgets, year, through, p.behind_plan_percent, &states).map_err(insight_err))?;
    type Line<'a> = (&'static str, String, String, String, &'a budget::Figures, Option<i64>);
    let mut lines: Vec<Line<'_>> = Vec::new();
    for u in &report.units {
        lines.push(("unit", u.unit.to_string(), u.unit.to_string(), String::new(), &u.figures, None));
        for pr in &u.programmes {
            lines.push(("programme", u.unit.to_string(), pr.code.clone(), pr.name.clone(), &pr.figures, None));
            for a in &pr.activities {
                lines.push(("activity", u.unit.to_string(), a.code.clone(), a.name.clone(), &a.figures, None));
                for s in &a.sub_activities {
                    lines.push((
                        "sub_activity",
                        u.unit.to_string(),
                        s.code.clone(),
                        s.name.clone(),
                        &s.figures,
                        Some(s.verified_minutes.get()),
                    ));
                }
            }
        }
    }
    lines.push(("city", String::new(), String::new(), String::new(), &report.city, None));
    let mut t = TableBuilder::new(py);
    t.col("level", lines.iter().map(|l| l.0))?;
    t.col("unit", lines.iter().map(|l| l.1.clone()))?;
    t.col("code", lines.iter().map(|l| l.2.clone()))?;
    t.col("name", lines.iter().map(|l| l.3.clone()))?;
    t.col("ceiling", lines.iter().map(|l| l.4.ceiling))?;
    t.col("planned", lines.iter().map(|l| l.4.planned))?;
    t.col("realised", lines.iter().map(|l| l.4.realised))?;
    t.col("absorption_percent", lines.iter().map(|l| l.4.absorption_percent))?;
    t.col("deviation", lines.iter().map(|l| l.4.deviation))?;
    t.col("deviation_percent", lines.iter().map(|l| l.4.deviation_percent))?;
    t.col("progress_percent", lines.iter().map(|l| l.4.progress_percent))?;
    t.col("behind", lines.iter().map(|l| l.4.behind))?;
    t.col("verified_minutes", lines.iter().map(|l| l.5))?;
    t.finish()
}

/// The six readiness requirements of every unit in the ledger's month: columns unit,
/// ready, unmet (requirement codes joined by `,`), evidence (one text per unmet
/// requirement, joined by ` | `), electronic_attendance_percent, go_live, pays.
#[pyfunction]
pub fn unit_readiness<'py>(
    py: Python<'py>,
    ledger: PyRef<'_, PyLedger>,
    records_json: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let r = records(records_json)?;
    let c = ledger.ctx.get();
    let ctx = c.ctx();
    let policy = &c.policy.bind(py).get().inner;
    let p = params(policy, ctx.month.first_day())?;
    let verdicts = guard(|| {
        readiness::check_city_with(
            ctx.city,
            ctx,
            ledger.inner.state(),
            readiness::PlanData::of(&r),
            p.electronic_attendance_percent,
            policy,
        )
        .map_err(insight_err)
    })?;
    let rollout = |u: &kinerja::UnitId| r.rollout.iter().find(|x| &x.unit == u);
    let mut t = TableBuilder::new(py);
    t.col("unit", verdicts.iter().map(|v| v.unit.to_string()))?;
    t.col("ready", verdicts.iter().map(|v| v.ready))?;
    t.col(
        "unmet",
        verdicts.iter().map(|v| v.unmet.iter().map(|u| u.requirement.as_str()).collect::<Vec<_>>().join(",")),
    )?;
    t.col(
        "evidence",
        verdicts.iter().map(|v| {
            v.unmet
                .iter()
                .map(|u| format!("{}: {}", u.requirement.as_str(), u.evidence.join("; ")))
                .collect::<Vec<_>>()
                .join(" | ")
        }),
    )?;
    t.col("electronic_attendance_percent", verdicts.iter().map(|v| v.electronic_attendance_percent))?;
    t.col("go_live", verdicts.iter().map(|v| rollout(&v.unit).and_then(|x| x.go_live)))?;
    t.col("pays", verdicts.iter().map(|v| rollout(&v.unit).is_some_and(|x| x.pays(ctx.month))))?;
    t.finish()
}

fn workload(city: &City, policy: &Policy, date: chrono::NaiveDate) -> PyResult<abk::WorkloadAnalysis> {
    guard(|| {
        let params = abk::AbkParams::from_policy(policy, date).map_err(err)?;
        let org = &city.organisation;
        abk::analyse(org.units(), org.positions(), |p| org.headcount(p, date), &params.params).map_err(err)
    })
}

/// One of the seven uses (`restructuring`, `staffing`, `procedures`, `training`,
/// `performance`, `promotion`, `sanctions`) or `verification` over the months of
/// `ledgers` (at least one; the city and policy are those of the last month), as a table.
/// `staffing` gives the retirement projection year by year over `years` years.
#[pyfunction]
#[pyo3(signature = (report, ledgers, years=5))]
pub fn insights_report<'py>(
    py: Python<'py>,
    report: &str,
    ledgers: Vec<PyRef<'_, PyLedger>>,
    years: u32,
) -> PyResult<Bound<'py, PyAny>> {
    let hist = history(py, &ledgers)?;
    let Some((last_recap, last)) = hist.last() else {
        return Err(err(kinerja::Error::from(kinerja::insights::InsightsError::NoHistory {
            report: "insights_report",
        })));
    };
    let c = last.ctx.get();
    let ctx = c.ctx();
    let city = ctx.city;
    let policy = &c.policy.bind(py).get().inner;
    let month = last_recap.month;
    let p = params(policy, month.first_day())?;
    let recaps: Vec<MonthlyRecap> = hist.iter().map(|(r, _)| (**r).clone()).collect();
    let mut t = TableBuilder::new(py);
    match report {
        "restructuring" => {
            let r = uses::restructuring(&workload(city, policy, month.last_day())?, &p);
            t.col("unit", r.units.iter().map(|u| u.unit.to_string()))?;
            t.col("positions", r.units.iter().map(|u| u.positions))?;
            t.col("required_staff", r.units.iter().map(|u| u.required_staff))?;
            t.col("headcount", r.units.iter().map(|u| u.headcount))?;
            t.col("efficiency", r.units.iter().map(|u| u.efficiency))?;
            t.col("grade", r.units.iter().map(|u| u.grade.map(|g| g.as_str())))?;
            t.col("action", r.units.iter().map(|u| format!("{:?}", u.action).to_lowercase()))?;
        }
        "staffing" => {
            let as_of = month.last_day();
            let s = uses::staffing(city, &workload(city, policy, as_of)?, &p, as_of, years);
            t.col("year", s.projection.iter().map(|y| y.year))?;
            t.col("retiring", s.projection.iter().map(|y| y.retiring))?;
            t.col("headcount_end", s.projection.iter().map(|y| y.headcount_end))?;
            t.col("needed", s.projection.iter().map(|y| y.needed))?;
            t.col("gap", s.projection.iter().map(|y| y.gap))?;
        }
        "procedures" => {
            let states: Vec<_> = hist.iter().map(|(_, l)| l.inner.state()).collect();
            let r = guard(|| uses::procedures(city, &states, &p).map_err(insight_err))?;
            let drift = |task: &kinerja::TaskId| r.drifting.iter().find(|d| &d.task == task);
            let mut rows: Vec<(String, String, String)> =
                r.flags.iter().map(|f| (f.position.to_string(), f.task.to_string(), f.reason.clone())).collect();
            rows.extend(r.drifting.iter().map(|d| (String::new(), d.task.to_string(), "drift".to_string())));
            t.col("position", rows.iter().map(|x| x.0.clone()))?;
            t.col("task", rows.iter().map(|x| x.1.clone()))?;
            t.col("reason", rows.iter().map(|x| x.2.clone()))?;
            t.col(
                "drift_percent",
                rows.iter()
                    .map(|x| if x.2 == "drift" { drift(&x.1.as_str().into()).map(|d| d.drift_percent) } else { None }),
            )?;
        }
        "training" => {
            let abk = guard(|| abk::AbkParams::from_policy(policy, month.last_day()).map_err(err))?.params;
            let months: Vec<uses::LedgerMonth<'_>> =
                hist.iter().map(|(r, l)| uses::LedgerMonth { month: r.month, state: l.inner.state() }).collect();
            let n = guard(|| uses::training_by_group(city, &months, &abk, &p).map_err(insight_err))?;
            t.col("nip", n.iter().map(|x| x.employee.to_string()))?;
            t.col("unit", n.iter().map(|x| x.unit.as_ref().map(|u| u.to_string())))?;
            t.col("group", n.iter().map(|x| x.group.clone()))?;
            t.col("tasks", n.iter().map(|x| x.tasks.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(",")))?;
            t.col("last_achievement_percent", n.iter().map(|x| x.months.last().and_then(|m| m.achievement_percent)))?;
            t.col("under_target", n.iter().map(|x| x.under_target))?;
            t.col("entries", n.iter().map(|x| x.entries))?;
            t.col("returned", n.iter().map(|x| x.returned))?;
            t.col("returned_percent", n.iter().map(|x| x.returned_percent))?;
            t.col("often_returned", n.iter().map(|x| x.often_returned))?;
        }
        "performance" => {
            let r = guard(|| uses::performance(&recaps).map_err(insight_err))?;
            let rows: Vec<(&str, &uses::Ranked)> =
                r.units.iter().map(|u| ("unit", u)).chain(r.employees.iter().map(|e| ("employee", e))).collect();
            t.col("level", rows.iter().map(|x| x.0))?;
            t.col("id", rows.iter().map(|x| x.1.id.clone()))?;
            t.col("rank", rows.iter().map(|x| x.1.rank))?;
            t.col("last_month", rows.iter().map(|x| x.1.by_month.last().and_then(|m| m.1)))?;
            t.col("trend", rows.iter().map(|x| x.1.trend))?;
        }
        "promotion" => {
            let c = guard(|| uses::promotion(city, &recaps, &p).map_err(insight_err))?;
            t.col("nip", c.iter().map(|x| x.employee.to_string()))?;
            t.col("rank", c.iter().map(|x| x.rank.clone()))?;
            t.col("job_class", c.iter().map(|x| x.job_class))?;
            t.col("rank_since", c.iter().map(|x| x.rank_since))?;
            t.col("years_in_rank", c.iter().map(|x| x.years_in_rank))?;
            t.col("promotion_eligible", c.iter().map(|x| x.promotion_eligible))?;
            t.col("not_eligible_because", c.iter().map(|x| x.not_eligible_because.clone()))?;
        }
        "sanctions" => {
            let s = guard(|| {
                let ctxs: Vec<_> = hist.iter().map(|(_, l)| l.ctx.get()).collect();
                let months: Vec<_> = hist.iter().zip(&ctxs).map(|((r, l), c)| (&l.inner, c.ctx(), &**r)).collect();
                let days = uses::unexcused_days(&months).map_err(insight_err)?;
                uses::sanctions_with_days(&recaps, &days, &p, month.year()).map_err(insight_err)
            })?;
            t.col("nip", s.iter().map(|x| x.employee.to_string()))?;
            t.col("unexcused_days", s.iter().map(|x| x.cumulative))?;
            t.col("longest_run", s.iter().map(|x| x.longest_run))?;
            t.col("consecutive", s.iter().map(|x| x.consecutive))?;
            t.col("level", s.iter().map(|x| x.rung.level.clone()))?;
            t.col("sanction", s.iter().map(|x| x.rung.sanction.clone()))?;
        }
        "verification" => {
            let months: Vec<uses::DecidedMonth<'_>> =
                hist.iter().map(|(r, l)| uses::DecidedMonth { state: l.inner.state(), deadline: r.deadline }).collect();
            let q = uses::verification_quality(&months, &p);
            t.col("verifier", q.iter().map(|x| x.verifier.clone()))?;
            t.col("decisions", q.iter().map(|x| x.decisions))?;
            t.col("approved_unchanged_percent", q.iter().map(|x| x.approved_unchanged_percent))?;
            t.col("last_minute_percent", q.iter().map(|x| x.last_minute_percent))?;
            t.col("median_minutes_to_decide", q.iter().map(|x| x.median_minutes_to_decide))?;
        }
        other => {
            return Err(PyValueError::new_err(format!(
                "unknown report `{other}`: restructuring, staffing, procedures, training, performance, promotion, sanctions or verification"
            )));
        }
    }
    t.finish()
}

/// A unit's month run through the whole chain without paying (a shadow month): a dict
/// with `unit`, `month` (`"YYYY-MM"`), `ready`, `unmet` (requirement codes), `evidence`
/// (requirement code -> list of lines), `slips` (tuple of `kinerja.Slip` the month would
/// pay the unit's employees), `totals` (`kinerja.AllowanceTotals`), `failures` (list of
/// `(nip, code)` whose slip could not be computed) and `paid` (always False). The
/// readiness verdict reads the plans and budgets of `records_json`.
#[pyfunction]
pub fn shadow_month<'py>(
    py: Python<'py>,
    ledger: PyRef<'_, PyLedger>,
    records_json: &str,
    unit: &str,
) -> PyResult<Bound<'py, PyAny>> {
    use pyo3::types::{PyDict, PyTuple};
    let r = records(records_json)?;
    let recap = ledger.native_recap(py, None)?;
    let c = ledger.ctx.get();
    let ctx = c.ctx();
    let policy = &c.policy.bind(py).get().inner;
    let p = params(policy, ctx.month.first_day())?;
    let unit = kinerja::UnitId::from(unit);
    let run = guard(|| {
        readiness::shadow_month_with(
            ctx.city,
            ctx,
            ledger.inner.state(),
            &recap,
            readiness::PlanData::of(&r),
            &unit,
            p.electronic_attendance_percent,
            policy,
        )
        .map_err(insight_err)
    })?;
    let out = PyDict::new(py);
    out.set_item("unit", run.unit.to_string())?;
    out.set_item("month", run.month.to_string())?;
    out.set_item("ready", run.verdict.ready)?;
    out.set_item("unmet", run.verdict.unmet.iter().map(|u| u.requirement.as_str()).collect::<Vec<_>>())?;
    let evidence = PyDict::new(py);
    for u in &run.verdict.unmet {
        evidence.set_item(u.requirement.as_str(), u.evidence.clone())?;
    }
    out.set_item("evidence", evidence)?;
    let slips = run.slips.iter().map(|s| crate::allowance::slip_record(py, s)).collect::<PyResult<Vec<_>>>()?;
    out.set_item("slips", PyTuple::new(py, slips)?)?;
    out.set_item("totals", crate::allowance::totals_record(py, &run.totals)?)?;
    out.set_item("failures", run.failures.iter().map(|(n, code)| (n.to_string(), code.clone())).collect::<Vec<_>>())?;
    out.set_item("paid", run.paid)?;
    Ok(out.into_any())
}

/// The awards of the year of the ledgers' months: columns category (`performance`,
/// `service`, `innovative`), rank, nip, nomination, score, achievement, presence, winner.
#[pyfunction]
pub fn awards<'py>(
    py: Python<'py>,
    ledgers: Vec<PyRef<'_, PyLedger>>,
    records_json: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let r = records(records_json)?;
    let hist = history(py, &ledgers)?;
    let Some((last_recap, last)) = hist.last() else {
        return Err(err(kinerja::Error::from(kinerja::insights::InsightsError::NoHistory { report: "awards" })));
    };
    let policy = &last.ctx.get().policy.bind(py).get().inner;
    let month = last_recap.month;
    let p = params(policy, month.first_day())?;
    let recaps: Vec<MonthlyRecap> = hist.iter().map(|(r, _)| (**r).clone()).collect();
    let a = guard(|| k_awards::awards(&recaps, &r.nominations, p.award_weights, month.year()).map_err(insight_err))?;
    type Row = (
        &'static str,
        usize,
        String,
        Option<String>,
        rust_decimal::Decimal,
        Option<rust_decimal::Decimal>,
        Option<rust_decimal::Decimal>,
    );
    let mut rows: Vec<Row> = Vec::new();
    for (i, s) in a.performance.iter().enumerate() {
        rows.push(("performance", i + 1, s.employee.to_string(), None, s.score, Some(s.achievement), Some(s.presence)));
    }
    for (cat, list) in [("service", &a.service), ("innovative", &a.innovative)] {
        for (i, n) in list.iter().enumerate() {
            rows.push((cat, i + 1, n.employee.to_string(), Some(n.nomination.clone()), n.score, None, None));
        }
    }
    let mut t = TableBuilder::new(py);
    t.col("category", rows.iter().map(|x| x.0))?;
    t.col("rank", rows.iter().map(|x| x.1))?;
    t.col("nip", rows.iter().map(|x| x.2.clone()))?;
    t.col("nomination", rows.iter().map(|x| x.3.clone()))?;
    t.col("score", rows.iter().map(|x| x.4))?;
    t.col("achievement", rows.iter().map(|x| x.5))?;
    t.col("presence", rows.iter().map(|x| x.6))?;
    t.col("winner", rows.iter().map(|x| x.1 <= k_awards::WINNERS))?;
    t.finish()
}

/// Generated insight records (budgets, plans, roll-out, nominations) for a city, as JSON.
#[pyfunction]
pub fn generate_insight_records(city: PyRef<'_, crate::city::PyCity>, seed: u64, year: i32, through: u32) -> String {
    kinerja::generator::generate_insights(&city.inner.to_dataset(), seed, year, through).to_json()
}
