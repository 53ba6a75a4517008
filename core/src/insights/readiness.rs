//! The six cumulative requirements a work unit meets before it joins e-Kinerja, the
//! shadow month and each unit's go-live date.
//!
//! Banda Aceh started in 2012 with the 5 units whose job and workload analyses were the
//! best, and grew to all 39: "Keenam syarat ini bersifat akumulatif" (one unmet
//! requirement disqualifies the unit). [`check_unit`] checks the six from the data for a
//! month and lists each unmet requirement with its evidence:
//!
//! | requirement | met when |
//! |---|---|
//! | `job_analysis` | the unit has positions and every position has at least one task |
//! | `workload_analysis` | every task has standard minutes and a volume above zero |
//! | `plans` | a strategic plan (Renstra) covers the year and a work plan (Renja) is for it |
//! | `targets` | every employee of the unit has a yearly target ([`crate::targets::yearly_targets`]: a task of their position with a share of its workload), no explicit target share names a task outside their position, and every task of their target is covered by the unit's work plan (Renja) of the year: listed in the plan's `tasks`, or named by a sub-activity of the unit's budget for the year (its `tasks`, or every task of a position in its `positions`) |
//! | `electronic_attendance` | scans cover at least `readiness.electronic_attendance_percent` of the employees' working days not covered by an absence |
//! | `roll_call` | a morning and an afternoon roll call (as the policy holds them) is recorded on every working day |
//!
//! A **shadow month** ([`shadow_month`]) runs a unit's month through the whole chain
//! without paying; a unit's data pays from its go-live date ([`UnitRollout`]): a month
//! pays when the go-live date is on or before its first day
//! ([`crate::payroll::hold_before_go_live`]).

use std::collections::{BTreeSet, HashSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::budget::UnitBudget;
use super::{InsightsError, percent};
use crate::allowance::{Slip, Totals};
use crate::dataset::City;
use crate::ids::{TaskId, UnitId};
use crate::ledger::{LedgerState, MonthContext};
use crate::month::YearMonth;
use crate::org::Nip;
use crate::policy::Policy;
use crate::recap::MonthlyRecap;
use crate::rollcall::{RollCallKind, RollCallParams};

/// Which plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanKind {
    /// Rencana Strategis (Renstra), five years.
    Strategic,
    /// Rencana Kerja (Renja), one year.
    Work,
}

/// A unit's strategic plan or work plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitPlan {
    /// The plan's id.
    pub id: String,
    /// The unit.
    pub unit: UnitId,
    /// Strategic or work plan.
    pub kind: PlanKind,
    /// First year covered.
    pub from_year: i32,
    /// Last year covered (inclusive).
    pub until_year: i32,
    /// The document's reference (decree number).
    #[serde(default)]
    pub reference: String,
    /// The tasks the plan covers (a work plan); empty means it does not list tasks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<TaskId>,
}

/// A unit's roll-out: its shadow month and the date from which its data pays.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRollout {
    /// The unit.
    pub unit: UnitId,
    /// The month run through the chain without paying.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shadow_month: Option<YearMonth>,
    /// From this date the unit's data pays; none: not live yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub go_live: Option<NaiveDate>,
}

impl UnitRollout {
    /// Whether the unit's data pays `month`: its go-live date is on or before the first day.
    pub fn pays(&self, month: YearMonth) -> bool {
        self.go_live.is_some_and(|d| d <= month.first_day())
    }
}

/// The six requirements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    /// 1. Analisis Jabatan.
    JobAnalysis,
    /// 2. Analisis Beban Kerja.
    WorkloadAnalysis,
    /// 3. Rencana Strategis and Rencana Kerja.
    Plans,
    /// 4. Target Kinerja aligned with duties and the work plan.
    Targets,
    /// 5. Electronic attendance.
    ElectronicAttendance,
    /// 6. Morning and afternoon roll call every day.
    RollCall,
}

impl Requirement {
    /// All six, in the article's order.
    pub const ALL: [Requirement; 6] = [
        Requirement::JobAnalysis,
        Requirement::WorkloadAnalysis,
        Requirement::Plans,
        Requirement::Targets,
        Requirement::ElectronicAttendance,
        Requirement::RollCall,
    ];

    /// A stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            Requirement::JobAnalysis => "job_analysis",
            Requirement::WorkloadAnalysis => "workload_analysis",
            Requirement::Plans => "plans",
            Requirement::Targets => "targets",
            Requirement::ElectronicAttendance => "electronic_attendance",
            Requirement::RollCall => "roll_call",
        }
    }
}

/// An unmet requirement and the evidence: the records at fault.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Unmet {
    /// Which requirement.
    pub requirement: Requirement,
    /// What is missing, one line per record (position, task, employee, day).
    pub evidence: Vec<String>,
}

/// A unit's verdict for a month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// The unit.
    pub unit: UnitId,
    /// The month checked.
    pub month: YearMonth,
    /// All six met.
    pub ready: bool,
    /// Each unmet requirement with its evidence, in the article's order.
    pub unmet: Vec<Unmet>,
    /// Share of working days with an electronic scan (2 decimals), when any day counts.
    pub electronic_attendance_percent: Option<Decimal>,
    /// Working days of the month.
    pub working_days: u32,
}

impl Verdict {
    /// The evidence of one requirement, if it is unmet.
    pub fn unmet(&self, r: Requirement) -> Option<&Unmet> {
        self.unmet.iter().find(|u| u.requirement == r)
    }
}

/// What the readiness check reads beside the city and the month's ledger: the units'
/// plans (Renstra, Renja) and budgets (whose sub-activities name the positions and
/// tasks the work plan covers).
#[derive(Clone, Copy, Debug, Default)]
pub struct PlanData<'a> {
    /// Strategic and work plans.
    pub plans: &'a [UnitPlan],
    /// Budgets per unit and year.
    pub budgets: &'a [UnitBudget],
}

impl<'a> PlanData<'a> {
    /// The plans and budgets of insight records.
    pub fn of(records: &'a super::InsightsRecords) -> PlanData<'a> {
        PlanData { plans: &records.plans, budgets: &records.budgets }
    }
}

/// Checks the six requirements for `unit` in the month of `ctx`, from the city, the
/// month's ledger state and the plans (no budget: the work plan's coverage is its own
/// task list; see [`check_unit_with`]). `min_electronic_percent` is
/// `readiness.electronic_attendance_percent`.
pub fn check_unit(
    city: &City,
    ctx: &MonthContext<'_>,
    state: &LedgerState,
    plans: &[UnitPlan],
    unit: &UnitId,
    min_electronic_percent: Decimal,
    policy: &Policy,
) -> Result<Verdict, InsightsError> {
    check_unit_with(city, ctx, state, PlanData { plans, budgets: &[] }, unit, min_electronic_percent, policy)
}

/// The tasks a unit's work plan of `year` covers: the plan's own task list, and the
/// tasks named by the sub-activities of the unit's budgets for the year, directly or
/// through a position (every task of it).
fn covered_tasks<'a>(
    city: &'a City,
    work: Option<&'a UnitPlan>,
    budgets: &'a [UnitBudget],
    unit: &UnitId,
    year: i32,
) -> HashSet<&'a TaskId> {
    let mut out: HashSet<&TaskId> = work.map(|w| w.tasks.iter().collect()).unwrap_or_default();
    for b in budgets.iter().filter(|b| &b.unit == unit && b.year == year) {
        for p in &b.programmes {
            for a in &p.activities {
                for s in &a.sub_activities {
                    out.extend(s.tasks.iter());
                    for pos in s.positions.iter().filter_map(|id| city.organisation.position(id)) {
                        out.extend(pos.analysis.tasks.iter().map(|t| &t.id));
                    }
                }
            }
        }
    }
    out
}

/// Checks the six requirements for `unit` in the month of `ctx`, from the city, the
/// month's ledger state, and the plans and budgets (see the module's table).
pub fn check_unit_with(
    city: &City,
    ctx: &MonthContext<'_>,
    state: &LedgerState,
    data: PlanData<'_>,
    unit: &UnitId,
    min_electronic_percent: Decimal,
    policy: &Policy,
) -> Result<Verdict, InsightsError> {
    let plans = data.plans;
    let org = &city.organisation;
    if org.unit(unit).is_none() {
        return Err(InsightsError::UnknownUnit { record: "readiness", id: unit.to_string(), unit: unit.to_string() });
    }
    let month = ctx.month;
    let year = month.year();
    let mut unmet = Vec::new();
    let positions: Vec<_> = org.unit_positions(unit).collect();

    // 1. Job analysis.
    let mut ev: Vec<String> = positions
        .iter()
        .filter(|p| p.analysis.tasks.is_empty())
        .map(|p| format!("{} ({}): no task", p.id, p.name))
        .collect();
    if positions.is_empty() {
        ev.push("the unit has no position".to_string());
    }
    if !ev.is_empty() {
        unmet.push(Unmet { requirement: Requirement::JobAnalysis, evidence: ev });
    }

    // 2. Workload analysis.
    let ev: Vec<String> = positions
        .iter()
        .flat_map(|p| p.analysis.tasks.iter().map(move |t| (p, t)))
        .filter(|(_, t)| t.standard_minutes.get() <= 0 || t.volume.quantity <= Decimal::ZERO)
        .map(|(p, t)| {
            format!(
                "{} / {}: standard minutes {} and volume {}",
                p.id,
                t.id,
                t.standard_minutes.get(),
                t.volume.quantity
            )
        })
        .collect();
    if !ev.is_empty() {
        unmet.push(Unmet { requirement: Requirement::WorkloadAnalysis, evidence: ev });
    }

    // 3. Plans.
    let of_unit = |k: PlanKind| plans.iter().filter(move |p| &p.unit == unit && p.kind == k);
    let strategic = of_unit(PlanKind::Strategic).find(|p| p.from_year <= year && year <= p.until_year);
    let work = of_unit(PlanKind::Work).find(|p| p.from_year <= year && year <= p.until_year);
    let mut ev = Vec::new();
    if strategic.is_none() {
        ev.push(format!("no strategic plan (Renstra) covers {year}"));
    }
    if work.is_none() {
        ev.push(format!("no work plan (Renja) for {year}"));
    }
    if !ev.is_empty() {
        unmet.push(Unmet { requirement: Requirement::Plans, evidence: ev });
    }

    // 4. Targets: the unit's employees on the month's last day, their yearly targets
    // (explicit shares naming a task outside the holder's position are left out of the
    // computation and reported), and the work plan's coverage of every target task.
    let last = month.last_day();
    let covered = covered_tasks(city, work, data.budgets, unit, year);
    let own_task = |nip: &Nip, task: &TaskId| {
        org.definitive_position(nip, last).is_some_and(|p| p.analysis.tasks.iter().any(|t| &t.id == task))
    };
    let shares: Vec<crate::targets::TargetShare> =
        city.target_shares.iter().filter(|s| own_task(&s.employee, &s.task)).cloned().collect();
    let abk = crate::abk::AbkParams::from_policy(policy, last)?.params;
    let targets = crate::targets::yearly_targets(org, &abk, year, last, &shares)
        .map_err(|e| InsightsError::Targets(Box::new(e)))?;
    let mut ev = Vec::new();
    let mut members: Vec<(&Nip, NaiveDate, Option<NaiveDate>)> = Vec::new();
    for e in org.employees() {
        let Some(a) = org.assignments_of(&e.nip).find(|a| {
            a.kind == crate::org::AssignmentKind::Definitive
                && a.from <= last
                && a.until.is_none_or(|u| u >= month.first_day())
                && org.position(&a.position).is_some_and(|p| &p.unit == unit)
        }) else {
            continue;
        };
        members.push((&e.nip, a.from, a.until));
        let Some(p) = org.position(&a.position) else { continue };
        for s in city.target_shares.iter().filter(|s| s.employee == e.nip && !own_task(&e.nip, &s.task)) {
            ev.push(format!(
                "{}: the target names task {}, which is not a task of their position {}",
                e.nip, s.task, p.id
            ));
        }
        let tasks: Vec<&TaskId> = targets
            .iter()
            .find(|t| t.employee == e.nip)
            .map(|t| t.tasks.iter().filter(|x| x.annual_quantity > Decimal::ZERO).map(|x| &x.task).collect())
            .unwrap_or_default();
        if tasks.is_empty() {
            ev.push(format!("{}: no target for {year} (no task of position {} with a share of workload)", e.nip, p.id));
        } else if work.is_some() && !covered.is_empty() {
            for t in tasks.into_iter().filter(|t| !covered.contains(t)) {
                ev.push(format!("{}: task {t} of the target is not in the work plan (Renja {year})", e.nip));
            }
        }
    }
    if let Some(w) = work
        && covered.is_empty()
        && !members.is_empty()
    {
        ev.push(format!(
            "the work plan {} names no task, and no sub-activity of the unit's {year} budget names a task or position",
            w.id
        ));
    }
    if members.is_empty() {
        ev.push("the unit has no employee".to_string());
    }
    if !ev.is_empty() {
        unmet.push(Unmet { requirement: Requirement::Targets, evidence: ev });
    }

    // 5. Electronic attendance.
    let working: Vec<NaiveDate> = city.calendar.working_dates(month.range()).collect();
    let scanned: HashSet<(&Nip, NaiveDate)> = state.clocks.scans().map(|(nip, at, _)| (nip, at.date())).collect();
    let (mut due, mut covered) = (0u32, 0u32);
    for (nip, from, until) in &members {
        for d in working.iter().filter(|d| **d >= *from && until.is_none_or(|u| **d <= u)) {
            if state.absences.iter().any(|a| &a.employee == *nip && a.range.contains(*d)) {
                continue;
            }
            due += 1;
            if scanned.contains(&(*nip, *d)) {
                covered += 1;
            }
        }
    }
    let share = percent(Decimal::from(covered), Decimal::from(due))?;
    if due > 0 && share.is_none_or(|s| s < min_electronic_percent) {
        unmet.push(Unmet {
            requirement: Requirement::ElectronicAttendance,
            evidence: vec![format!(
                "{covered} of {due} working days scanned ({} %), below {min_electronic_percent} %",
                share.unwrap_or_default()
            )],
        });
    }

    // 6. Roll call on every working day.
    let member_set: HashSet<&Nip> = members.iter().map(|m| m.0).collect();
    let mut held: HashSet<(NaiveDate, RollCallKind)> = HashSet::new();
    for l in &state.roll_calls {
        if l.attended.iter().chain(l.absent.iter()).any(|n| member_set.contains(n)) {
            held.insert((l.date, l.kind));
        }
    }
    let mut ev = Vec::new();
    for d in &working {
        let params = RollCallParams::from_policy(policy, *d)?.params;
        for (kind, wanted, name) in [
            (RollCallKind::Morning, params.morning, "morning"),
            (RollCallKind::Afternoon, params.afternoon, "afternoon"),
        ] {
            if wanted && !held.contains(&(*d, kind)) {
                ev.push(format!("{d}: no {name} roll call"));
            }
        }
    }
    if !ev.is_empty() {
        unmet.push(Unmet { requirement: Requirement::RollCall, evidence: ev });
    }

    Ok(Verdict {
        unit: unit.clone(),
        month,
        ready: unmet.is_empty(),
        unmet,
        electronic_attendance_percent: share,
        working_days: working.len() as u32,
    })
}

/// Checks every unit of the city (dataset order).
pub fn check_city(
    city: &City,
    ctx: &MonthContext<'_>,
    state: &LedgerState,
    plans: &[UnitPlan],
    min_electronic_percent: Decimal,
    policy: &Policy,
) -> Result<Vec<Verdict>, InsightsError> {
    check_city_with(city, ctx, state, PlanData { plans, budgets: &[] }, min_electronic_percent, policy)
}

/// Checks every unit of the city (dataset order) with plans and budgets.
pub fn check_city_with(
    city: &City,
    ctx: &MonthContext<'_>,
    state: &LedgerState,
    data: PlanData<'_>,
    min_electronic_percent: Decimal,
    policy: &Policy,
) -> Result<Vec<Verdict>, InsightsError> {
    city.organisation
        .units()
        .iter()
        .map(|u| check_unit_with(city, ctx, state, data, &u.id, min_electronic_percent, policy))
        .collect()
}

/// A unit's month run through the chain without paying.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShadowRun {
    /// The unit.
    pub unit: UnitId,
    /// The month.
    pub month: YearMonth,
    /// The readiness verdict of the month.
    pub verdict: Verdict,
    /// The slips the month would pay the unit's employees (not paid).
    pub slips: Vec<Slip>,
    /// Their totals.
    pub totals: Totals,
    /// Employees of the unit whose slip could not be computed, with the error's code.
    pub failures: Vec<(Nip, String)>,
    /// Always false: a shadow month pays nothing.
    pub paid: bool,
}

/// Runs `unit`'s month through the chain without paying: the readiness verdict and the
/// slips the month would pay (no provenance gate, nothing recorded as paid). The plans
/// alone are read for the verdict; [`shadow_month_with`] also reads the budgets.
#[allow(clippy::too_many_arguments)]
pub fn shadow_month(
    city: &City,
    ctx: &MonthContext<'_>,
    state: &LedgerState,
    recap: &MonthlyRecap,
    plans: &[UnitPlan],
    unit: &UnitId,
    min_electronic_percent: Decimal,
    policy: &Policy,
) -> Result<ShadowRun, InsightsError> {
    shadow_month_with(city, ctx, state, recap, PlanData { plans, budgets: &[] }, unit, min_electronic_percent, policy)
}

/// [`shadow_month`] with plans and budgets ([`PlanData`]), as the server and the
/// bindings call it with a city's insight records.
#[allow(clippy::too_many_arguments)]
pub fn shadow_month_with(
    city: &City,
    ctx: &MonthContext<'_>,
    state: &LedgerState,
    recap: &MonthlyRecap,
    data: PlanData<'_>,
    unit: &UnitId,
    min_electronic_percent: Decimal,
    policy: &Policy,
) -> Result<ShadowRun, InsightsError> {
    let verdict = check_unit_with(city, ctx, state, data, unit, min_electronic_percent, policy)?;
    let payroll = crate::payroll::pay_city(city, ctx, recap, policy)?;
    let mut slips = Vec::new();
    let mut totals = Totals::default();
    for (slip, u) in payroll.slips.into_iter().zip(payroll.slip_units) {
        if u.as_ref() == Some(unit) {
            totals.add(&slip)?;
            slips.push(slip);
        }
    }
    let failures =
        payroll.failures.into_iter().filter(|f| f.unit.as_ref() == Some(unit)).map(|f| (f.employee, f.code)).collect();
    Ok(ShadowRun { unit: unit.clone(), month: ctx.month, verdict, slips, totals, failures, paid: false })
}

/// Units that pay `month` under the roll-out, and those that do not (sorted).
pub fn live_units(rollout: &[UnitRollout], month: YearMonth) -> (BTreeSet<UnitId>, BTreeSet<UnitId>) {
    let mut live = BTreeSet::new();
    let mut not = BTreeSet::new();
    for r in rollout {
        if r.pays(month) {
            live.insert(r.unit.clone());
        } else {
            not.insert(r.unit.clone());
        }
    }
    (live, not)
}
