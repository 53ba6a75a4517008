//! The seven uses of the data (the seed article's "7 manfaat e-Kinerja") and one the
//! article does not have, verification quality. Each is a report over a period with the
//! numbers behind every line.
//!
//! | use | report |
//! |---|---|
//! | 1. restructuring (penataan kelembagaan) | [`restructuring`]: positions and units by efficiency grade, units to merge or slim |
//! | 2. staffing (kepegawaian) | [`staffing`]: need against headcount, recruit or transfer, retirements year by year |
//! | 3. procedures (ketatalaksanaan) | [`procedures`]: tasks without a standard, tasks nobody logs, tasks whose time drifts |
//! | 4. training (diklat) | [`training_by_group`]: employees whose verified output on a task group stays under target for N months, or whose entries on it are often returned ([`training`]: the same over all tasks, from the recaps) |
//! | 5. performance (peningkatan kinerja) | [`performance`]: unit and employee rankings and their trend |
//! | 6. transfer and promotion (mutasi dan promosi) | [`promotion`]: sustained achievement and discipline over N months, with rank, class and years-in-rank eligibility |
//! | 7. reward and sanction (penghargaan dan sanksi) | [`sanctions_with_days`]: the cumulative unexcused-days ladder of PP 94/2021 and its 10-consecutive-working-days rule; rewards are [`super::awards`] |
//! | verification quality | [`verification_quality`]: per supervisor, share approved unchanged, share decided at the last minute, median time to decide |

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{InsightParams, InsightsError, LadderRung, percent};
use crate::abk::{EfficiencyGrade, WorkloadAnalysis};
use crate::activity::VerificationStatus;
use crate::dataset::City;
use crate::ids::{PositionId, TaskId, UnitId};
use crate::ledger::LedgerState;
use crate::month::YearMonth;
use crate::org::{EmploymentType, Nip, PositionKind};
use crate::recap::MonthlyRecap;

// --- 1. restructuring -----------------------------------------------------------------

/// What the data says about a unit's shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitAction {
    /// Efficiency below `insights.restructuring.merge_below`: merge with another unit.
    Merge,
    /// Efficiency below `insights.restructuring.slim_below`: slim (fewer positions or staff).
    Slim,
    /// Keep as it is.
    Keep,
}

/// A unit's line of the restructuring report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitShape {
    /// The unit.
    pub unit: UnitId,
    /// Positions.
    pub positions: u32,
    /// Staff needed (ABK).
    pub required_staff: Decimal,
    /// Headcount.
    pub headcount: u32,
    /// Unit efficiency EU (none without staff).
    pub efficiency: Option<Decimal>,
    /// Its grade.
    pub grade: Option<EfficiencyGrade>,
    /// The recommendation.
    pub action: UnitAction,
}

/// Use 1: restructuring.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Restructuring {
    /// Positions per grade (`A`..`E`, `none` for vacant ones).
    pub positions_by_grade: BTreeMap<String, Vec<PositionId>>,
    /// Every unit.
    pub units: Vec<UnitShape>,
}

/// Use 1: positions and units by efficiency grade, units to merge or slim. A unit
/// without staff (no efficiency) is kept.
pub fn restructuring(analysis: &WorkloadAnalysis, params: &InsightParams) -> Restructuring {
    let mut by_grade: BTreeMap<String, Vec<PositionId>> = BTreeMap::new();
    for p in &analysis.positions {
        let g = p.grade.map_or("none", |g| g.as_str()).to_string();
        by_grade.entry(g).or_default().push(p.position.clone());
    }
    let units = analysis
        .units
        .iter()
        .map(|u| UnitShape {
            unit: u.unit.clone(),
            positions: u.positions,
            required_staff: u.required_staff.round_dp(2),
            headcount: u.headcount,
            efficiency: u.efficiency.map(|e| e.round_dp(4)),
            grade: u.grade,
            action: match u.efficiency {
                Some(e) if e < params.merge_below => UnitAction::Merge,
                Some(e) if e < params.slim_below => UnitAction::Slim,
                _ => UnitAction::Keep,
            },
        })
        .collect();
    Restructuring { positions_by_grade: by_grade, units }
}

// --- 2. staffing -------------------------------------------------------------------------

/// What to do about a position's staffing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffAction {
    /// Fewer holders than needed.
    Recruit,
    /// More holders than needed: transfer some out.
    Transfer,
    /// As many as needed.
    Balanced,
}

/// A position's staffing line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffLine {
    /// The position.
    pub position: PositionId,
    /// Its unit.
    pub unit: UnitId,
    /// Staff needed, rounded half up to whole people.
    pub needed: Decimal,
    /// Holders.
    pub headcount: u32,
    /// needed - headcount.
    pub gap: Decimal,
    /// The recommendation.
    pub action: StaffAction,
}

/// An employee's retirement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Retirement {
    /// The employee.
    pub employee: Nip,
    /// Birth date (from the NIP).
    pub birth_date: NaiveDate,
    /// The kind of their position.
    pub kind: PositionKind,
    /// The retirement age of that kind.
    pub age: u32,
    /// First day of retirement: the first day of the month after the birthday at `age`.
    pub retires_on: NaiveDate,
}

/// One year of the retirement projection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectionYear {
    /// The year.
    pub year: i32,
    /// Employees whose retirement starts in the year.
    pub retiring: u32,
    /// Headcount at the year's end (today's less every retirement so far).
    pub headcount_end: u32,
    /// Staff needed (ABK, today's workload).
    pub needed: Decimal,
    /// needed - headcount_end.
    pub gap: Decimal,
}

/// Use 2: staffing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Staffing {
    /// The date the headcount is taken.
    pub as_of: NaiveDate,
    /// Every position.
    pub positions: Vec<StaffLine>,
    /// Employees retiring within the horizon, earliest first.
    pub retirements: Vec<Retirement>,
    /// Year by year from the year of `as_of`.
    pub projection: Vec<ProjectionYear>,
}

/// The first day of retirement of someone born on `birth` with retirement age `age`:
/// the first day of the month after the birthday at that age (pension from the first
/// day of the following month). `None` when out of the calendar's range.
pub fn retirement_date(birth: NaiveDate, age: u32) -> Option<NaiveDate> {
    let birthday = birth.checked_add_months(chrono::Months::new(age.checked_mul(12)?))?;
    let m = YearMonth::of(birthday).next().ok()?;
    Some(m.first_day())
}

/// Use 2: needed against headcount per position, and a projection of retirements over
/// `years` years from each employee's birth date in the NIP and the retirement age of
/// their definitive position's kind on `as_of`.
pub fn staffing(
    city: &City,
    analysis: &WorkloadAnalysis,
    params: &InsightParams,
    as_of: NaiveDate,
    years: u32,
) -> Staffing {
    let positions = analysis
        .positions
        .iter()
        .map(|p| {
            let needed = p.required_staff_rounded();
            let gap = needed - Decimal::from(p.headcount);
            StaffLine {
                position: p.position.clone(),
                unit: p.unit.clone(),
                needed,
                headcount: p.headcount,
                gap,
                action: if gap > Decimal::ZERO {
                    StaffAction::Recruit
                } else if gap < Decimal::ZERO {
                    StaffAction::Transfer
                } else {
                    StaffAction::Balanced
                },
            }
        })
        .collect();
    let org = &city.organisation;
    let last_year = as_of.year() + years.max(1) as i32 - 1;
    let mut retirements = Vec::new();
    let mut headcount = 0u32;
    for e in org.employees() {
        let Some(p) = org.definitive_position(&e.nip, as_of) else { continue };
        headcount += 1;
        let age = params.retirement_age.get(&p.kind).copied().unwrap_or(58);
        let birth = e.nip.birth_date();
        if let Some(retires_on) = retirement_date(birth, age)
            && retires_on > as_of
            && retires_on.year() <= last_year
        {
            retirements.push(Retirement { employee: e.nip.clone(), birth_date: birth, kind: p.kind, age, retires_on });
        }
    }
    retirements.sort_by(|a, b| a.retires_on.cmp(&b.retires_on).then_with(|| a.employee.cmp(&b.employee)));
    let needed: Decimal = analysis.positions.iter().map(|p| p.required_staff_rounded()).sum();
    let mut projection = Vec::new();
    let mut remaining = headcount;
    for year in as_of.year()..=last_year {
        let retiring = retirements.iter().filter(|r| r.retires_on.year() == year).count() as u32;
        remaining = remaining.saturating_sub(retiring);
        projection.push(ProjectionYear {
            year,
            retiring,
            headcount_end: remaining,
            needed,
            gap: needed - Decimal::from(remaining),
        });
    }
    Staffing { as_of, positions, retirements, projection }
}

// --- 3. procedures --------------------------------------------------------------------

/// A task flagged by the procedures report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskFlag {
    /// The position.
    pub position: PositionId,
    /// The task.
    pub task: TaskId,
    /// Why: `no_standard_time`, `no_output_unit` or `not_logged`.
    pub reason: String,
}

/// A task whose time spent per output unit drifts from its standard time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Drift {
    /// The task.
    pub task: TaskId,
    /// Standard minutes per output unit.
    pub standard_minutes: i64,
    /// Approved entries counted.
    pub entries: u32,
    /// Approved output quantity.
    pub quantity: i64,
    /// Minutes between start and end of those entries.
    pub spent_minutes: i64,
    /// spent / quantity (2 decimals).
    pub minutes_per_unit: Decimal,
    /// (minutes_per_unit - standard) / standard x 100 (2 decimals).
    pub drift_percent: Decimal,
}

/// Use 3: procedures, as input to the next job analysis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Procedures {
    /// Tasks without a standard time or output unit, and tasks nobody logged.
    pub flags: Vec<TaskFlag>,
    /// Tasks whose time drifts beyond `insights.procedures.drift_percent`.
    pub drifting: Vec<Drift>,
}

/// Use 3 over the ledgers' entries (any entry counts as logged; drift reads approved ones).
pub fn procedures(city: &City, ledgers: &[&LedgerState], params: &InsightParams) -> Result<Procedures, InsightsError> {
    let mut logged: HashSet<&TaskId> = HashSet::new();
    // task -> (entries, quantity, spent minutes, standard)
    let mut spent: BTreeMap<&TaskId, (u32, i64, i64, i64)> = BTreeMap::new();
    for l in ledgers {
        for i in 0..l.entries.len() {
            let Some(task) = l.entries.task(i) else { continue };
            logged.insert(task);
            if l.entries.status(i) == Some(VerificationStatus::Approved)
                && let Some(e) = l.entries.get(i)
            {
                let q = e.approved_quantity.unwrap_or(e.quantity);
                let minutes = (e.end - e.start).num_minutes();
                let s = spent.entry(task).or_insert((0, 0, 0, e.standard_minutes.get()));
                s.0 += 1;
                s.1 = s.1.checked_add(q).ok_or(crate::ArithmeticError::Overflow { operation: "procedures" })?;
                s.2 = s.2.checked_add(minutes).ok_or(crate::ArithmeticError::Overflow { operation: "procedures" })?;
            }
        }
    }
    let mut flags = Vec::new();
    for p in city.organisation.positions() {
        for t in &p.analysis.tasks {
            let mut flag = |reason: &str| {
                flags.push(TaskFlag { position: p.id.clone(), task: t.id.clone(), reason: reason.to_string() })
            };
            if t.standard_minutes.get() <= 0 {
                flag("no_standard_time");
            }
            if t.output_unit.trim().is_empty() {
                flag("no_output_unit");
            }
            if !logged.contains(&t.id) {
                flag("not_logged");
            }
        }
    }
    let mut drifting = Vec::new();
    for (task, (entries, quantity, minutes, standard)) in spent {
        if quantity <= 0 || standard <= 0 {
            continue;
        }
        let per_unit = (Decimal::from(minutes) / Decimal::from(quantity)).round_dp(2);
        let drift = percent(per_unit - Decimal::from(standard), Decimal::from(standard))?.unwrap_or_default();
        if drift.abs() > params.drift_percent {
            drifting.push(Drift {
                task: task.clone(),
                standard_minutes: standard,
                entries,
                quantity,
                spent_minutes: minutes,
                minutes_per_unit: per_unit,
                drift_percent: drift,
            });
        }
    }
    Ok(Procedures { flags, drifting })
}

// --- monthly history helpers ------------------------------------------------------------

/// An employee's months in the history: achievement (none without a target), unexcused
/// days, entries returned and entries decided.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EmployeeMonths {
    /// The employee.
    pub employee: Option<Nip>,
    /// The unit in the last month.
    pub unit: Option<UnitId>,
    /// `(month, achievement percent)` oldest first.
    pub achievement: Vec<(YearMonth, Option<Decimal>)>,
    /// Unexcused days per month, oldest first.
    pub unexcused_days: Vec<u32>,
    /// Entries returned for revision over the history.
    pub returned: u32,
    /// Entries in the history (every status).
    pub entries: u32,
}

fn by_employee(history: &[MonthlyRecap]) -> BTreeMap<Nip, EmployeeMonths> {
    let mut out: BTreeMap<Nip, EmployeeMonths> = BTreeMap::new();
    let mut months: Vec<&MonthlyRecap> = history.iter().collect();
    months.sort_by_key(|r| r.month);
    for r in months {
        for e in &r.employees {
            let m = out.entry(e.employee.clone()).or_default();
            m.employee = Some(e.employee.clone());
            m.unit = e.unit.clone().or(m.unit.take());
            m.achievement.push((r.month, e.achievement_percent));
            m.unexcused_days.push(e.attendance.unexcused_days);
            m.returned += e.entries.returned;
            m.entries += e.entries.pending + e.entries.approved + e.entries.rejected + e.entries.returned;
        }
    }
    out
}

fn need_history(history: &[MonthlyRecap], report: &'static str) -> Result<(), InsightsError> {
    if history.is_empty() { Err(InsightsError::NoHistory { report }) } else { Ok(()) }
}

// --- 4. training -----------------------------------------------------------------------

/// An employee who needs training, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainingNeed {
    /// The employee.
    pub employee: Nip,
    /// The unit in the last month.
    pub unit: Option<UnitId>,
    /// Achievement in the last N months (oldest first).
    pub last_months: Vec<(YearMonth, Option<Decimal>)>,
    /// Under target in every one of the last N months.
    pub under_target: bool,
    /// Share of entries returned over the history (2 decimals).
    pub returned_percent: Option<Decimal>,
    /// The share is at or above `insights.training.returned_percent`.
    pub often_returned: bool,
}

/// Use 4: employees whose verified output stays under
/// `insights.training.achievement_below` % of target in each of the last
/// `insights.months` months (all of them in the history), or whose entries are returned
/// at or above `insights.training.returned_percent` %. The achievement is over all the
/// employee's tasks (a task-group split is not computed).
pub fn training(history: &[MonthlyRecap], params: &InsightParams) -> Result<Vec<TrainingNeed>, InsightsError> {
    need_history(history, "training")?;
    let n = params.months as usize;
    let mut out = Vec::new();
    for (nip, m) in by_employee(history) {
        let last: Vec<_> = m.achievement.iter().rev().take(n).rev().cloned().collect();
        let under_target =
            last.len() == n && last.iter().all(|(_, a)| a.is_some_and(|a| a < params.training_achievement_below));
        let returned_percent = percent(Decimal::from(m.returned), Decimal::from(m.entries))?;
        let often_returned = returned_percent.is_some_and(|r| r >= params.training_returned_percent);
        if under_target || often_returned {
            out.push(TrainingNeed {
                employee: nip,
                unit: m.unit,
                last_months: last,
                under_target,
                returned_percent,
                often_returned,
            });
        }
    }
    Ok(out)
}

/// One month of an employee's task group: the target from their yearly target
/// ([`crate::targets::yearly_targets`]) and the verified output.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupMonth {
    /// The month.
    pub month: YearMonth,
    /// The month's part of the yearly quantities of the group's tasks
    /// ([`crate::targets::monthly_quantity`]: annual x month working days / year working
    /// days), summed (2 decimals).
    pub target_quantity: Decimal,
    /// The same in standard minutes: each task's quantity x its standard minutes (2 decimals).
    pub target_minutes: Decimal,
    /// Approved quantity of the employee's entries on the group's tasks.
    pub verified_quantity: i64,
    /// The same in standard minutes (quantity x the entry's standard minutes).
    pub verified_minutes: i64,
    /// verified_minutes / target_minutes x 100 (2 decimals); none without a target.
    pub achievement_percent: Option<Decimal>,
}

/// An employee's need of training on one task group, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupTrainingNeed {
    /// The employee.
    pub employee: Nip,
    /// The unit of their definitive position at the end of the last month.
    pub unit: Option<UnitId>,
    /// The task group ([`crate::anjab::Task::group_name`]).
    pub group: String,
    /// The tasks of the group in the employee's target.
    pub tasks: Vec<TaskId>,
    /// The last N months, oldest first.
    pub months: Vec<GroupMonth>,
    /// Under `insights.training.achievement_below` % of target in each of the last N months.
    pub under_target: bool,
    /// Entries on the group's tasks in the months given.
    pub entries: u32,
    /// Of them, entries returned for revision at least once.
    pub returned: u32,
    /// returned / entries x 100 (2 decimals).
    pub returned_percent: Option<Decimal>,
    /// The share is at or above `insights.training.returned_percent`.
    pub often_returned: bool,
}

/// A month of ledger for [`training_by_group`].
#[derive(Clone, Copy, Debug)]
pub struct LedgerMonth<'a> {
    /// The month.
    pub month: YearMonth,
    /// Its ledger state (entries and transitions).
    pub state: &'a LedgerState,
}

/// Use 4 per task group: for every employee and every task group of their definitive
/// position's tasks (the group of [`crate::anjab::Task::group_name`]: the task's `group`
/// in the job analysis, by default its output unit), the verified output against the
/// target month by month. An employee x group is listed when it stays under
/// `insights.training.achievement_below` % of target in each of the last
/// `insights.months` months given (all N must be given and have a target), or when the
/// share of its entries returned for revision at least once, over the months given, is
/// at or above `insights.training.returned_percent` %.
///
/// | figure | rule |
/// |---|---|
/// | target of a task in a month | yearly target quantity x month working days / year working days (calendar of the city) |
/// | target minutes | sum over the group's tasks of target quantity x standard minutes |
/// | verified minutes | sum over the employee's approved entries on the group's tasks of approved quantity x the entry's standard minutes |
/// | achievement | verified minutes / target minutes x 100 |
///
/// Minutes weigh tasks of one group with different standard times fairly; the
/// quantities are shown too (they add up meaningfully within an output unit, the
/// default grouping). Yearly targets are computed per month on its last day with the
/// city's target shares and `abk` (the workload parameters of the policy).
pub fn training_by_group(
    city: &City,
    months: &[LedgerMonth<'_>],
    abk: &crate::abk::AbkParams,
    params: &InsightParams,
) -> Result<Vec<GroupTrainingNeed>, InsightsError> {
    if months.is_empty() {
        return Err(InsightsError::NoHistory { report: "training" });
    }
    let overflow = || InsightsError::Arithmetic(crate::ArithmeticError::Overflow { operation: "training" });
    let org = &city.organisation;
    let mut sorted: Vec<LedgerMonth<'_>> = months.to_vec();
    sorted.sort_by_key(|m| m.month);
    let n = params.months as usize;
    let last_month = sorted[sorted.len() - 1].month;
    // Task id -> (group, standard minutes).
    let mut task_group: HashMap<&TaskId, &str> = HashMap::new();
    for p in org.positions() {
        for t in &p.analysis.tasks {
            task_group.insert(&t.id, t.group_name());
        }
    }
    let year_working_days = |year: i32| -> u32 {
        (1..=12)
            .filter_map(|m| YearMonth::new(year, m))
            .map(|m| city.calendar.working_dates(m.range()).count() as u32)
            .sum()
    };
    type Key = (Nip, String);
    let mut figures: BTreeMap<Key, (BTreeSet<TaskId>, Vec<GroupMonth>, u32, u32)> = BTreeMap::new();
    for m in &sorted {
        let year = m.month.year();
        let targets = crate::targets::yearly_targets(org, abk, year, m.month.last_day(), &city.target_shares)
            .map_err(|e| InsightsError::Targets(Box::new(e)))?;
        let month_wd = city.calendar.working_dates(m.month.range()).count() as u32;
        let year_wd = year_working_days(year);
        // (employee, group) -> month figures.
        let mut month: BTreeMap<Key, GroupMonth> = BTreeMap::new();
        let mut tasks_of: HashMap<(&Nip, &TaskId), String> = HashMap::new();
        for y in &targets {
            for t in &y.tasks {
                let group = task_group.get(&t.task).copied().unwrap_or(t.task.as_str()).to_string();
                tasks_of.insert((&y.employee, &t.task), group.clone());
                let q = crate::targets::monthly_quantity(t.annual_quantity, month_wd, year_wd)?;
                let minutes = q.checked_mul(Decimal::from(t.standard_minutes.get())).ok_or_else(overflow)?;
                let key = (y.employee.clone(), group);
                let f = month.entry(key.clone()).or_insert_with(|| GroupMonth {
                    month: m.month,
                    target_quantity: Decimal::ZERO,
                    target_minutes: Decimal::ZERO,
                    verified_quantity: 0,
                    verified_minutes: 0,
                    achievement_percent: None,
                });
                f.target_quantity = f.target_quantity.checked_add(q).ok_or_else(overflow)?;
                f.target_minutes = f.target_minutes.checked_add(minutes).ok_or_else(overflow)?;
                figures.entry(key).or_default().0.insert(t.task.clone());
            }
        }
        let returned: HashSet<crate::activity::ActivityId> =
            m.state.transitions.iter().filter(|t| t.to == VerificationStatus::Returned).map(|t| t.entry).collect();
        for e in m.state.entries.iter() {
            let Some(group) = tasks_of.get(&(&e.employee, &e.task)) else { continue };
            let key = (e.employee.clone(), group.clone());
            let f = figures.entry(key.clone()).or_default();
            f.2 += 1;
            if e.status == VerificationStatus::Returned || returned.contains(&e.id) {
                f.3 += 1;
            }
            if e.status == VerificationStatus::Approved
                && let Some(g) = month.get_mut(&key)
            {
                let q = e.approved_quantity.unwrap_or(e.quantity);
                g.verified_quantity = g.verified_quantity.checked_add(q).ok_or_else(overflow)?;
                let minutes = q.checked_mul(e.standard_minutes.get()).ok_or_else(overflow)?;
                g.verified_minutes = g.verified_minutes.checked_add(minutes).ok_or_else(overflow)?;
            }
        }
        for (key, mut g) in month {
            g.achievement_percent = if g.target_minutes > Decimal::ZERO {
                percent(Decimal::from(g.verified_minutes), g.target_minutes)?
            } else {
                None
            };
            g.target_quantity = g.target_quantity.round_dp(2);
            g.target_minutes = g.target_minutes.round_dp(2);
            figures.entry(key).or_default().1.push(g);
        }
    }
    let mut out = Vec::new();
    for ((nip, group), (tasks, by_month, entries, returned)) in figures {
        let last: Vec<GroupMonth> = by_month.iter().rev().take(n).rev().cloned().collect();
        let under_target = last.len() == n
            && last.iter().all(|g| g.achievement_percent.is_some_and(|a| a < params.training_achievement_below));
        let returned_percent = percent(Decimal::from(returned), Decimal::from(entries))?;
        let often_returned = returned_percent.is_some_and(|r| r >= params.training_returned_percent);
        if under_target || often_returned {
            let unit = org.definitive_position(&nip, last_month.last_day()).map(|p| p.unit.clone());
            out.push(GroupTrainingNeed {
                employee: nip,
                unit,
                group,
                tasks: tasks.into_iter().collect(),
                months: last,
                under_target,
                entries,
                returned,
                returned_percent,
                often_returned,
            });
        }
    }
    Ok(out)
}

// --- 5. performance --------------------------------------------------------------------

/// A ranked line (unit or employee).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ranked {
    /// Unit id or NIP.
    pub id: String,
    /// Achievement per month, oldest first (unit: mean achievement).
    pub by_month: Vec<(YearMonth, Option<Decimal>)>,
    /// Rank in the last month (1 = best; equal figures share no rank: ties by id).
    pub rank: u32,
    /// Last month's figure less the first month's (none when either is missing).
    pub trend: Option<Decimal>,
}

/// Use 5: performance improvement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Performance {
    /// Units, best first.
    pub units: Vec<Ranked>,
    /// Employees, best first.
    pub employees: Vec<Ranked>,
}

fn rank(mut lines: Vec<Ranked>) -> Vec<Ranked> {
    let last = |r: &Ranked| r.by_month.last().and_then(|(_, a)| *a);
    lines.sort_by(|a, b| last(b).cmp(&last(a)).then_with(|| a.id.cmp(&b.id)));
    for (i, l) in lines.iter_mut().enumerate() {
        l.rank = i as u32 + 1;
        l.trend = match (l.by_month.first().and_then(|x| x.1), l.by_month.last().and_then(|x| x.1)) {
            (Some(f), Some(t)) if l.by_month.len() > 1 => Some(t - f),
            _ => None,
        };
    }
    lines
}

/// Use 5: unit and employee rankings by achievement in the last month, with every
/// month's figure and the trend from the first month to the last.
pub fn performance(history: &[MonthlyRecap]) -> Result<Performance, InsightsError> {
    need_history(history, "performance")?;
    let mut months: Vec<&MonthlyRecap> = history.iter().collect();
    months.sort_by_key(|r| r.month);
    let mut units: BTreeMap<String, Vec<(YearMonth, Option<Decimal>)>> = BTreeMap::new();
    for r in &months {
        for u in &r.units {
            units.entry(u.unit.to_string()).or_default().push((r.month, u.mean_achievement_percent));
        }
    }
    let units = rank(units.into_iter().map(|(id, by_month)| Ranked { id, by_month, rank: 0, trend: None }).collect());
    let employees = rank(
        by_employee(history)
            .into_iter()
            .map(|(nip, m)| Ranked { id: nip.to_string(), by_month: m.achievement, rank: 0, trend: None })
            .collect(),
    );
    Ok(Performance { units, employees })
}

// --- 6. transfer and promotion ---------------------------------------------------------

/// A candidate for transfer or promotion.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// The employee.
    pub employee: Nip,
    /// Rank or PPPK grade.
    pub rank: String,
    /// Job class of the definitive position at the end of the last month.
    pub job_class: Option<u8>,
    /// The date the employee holds their rank from (TMT pangkat), when recorded.
    pub rank_since: Option<NaiveDate>,
    /// Whole years in the rank at the end of the last month (from `rank_since`).
    pub years_in_rank: Option<u32>,
    /// Achievement in the last N months.
    pub last_months: Vec<(YearMonth, Option<Decimal>)>,
    /// Eligible for promotion: a PNS below rank IV/e, in a class below 17, who has held
    /// their rank at least `insights.promotion.min_years_in_rank` whole years.
    pub promotion_eligible: bool,
    /// Why not, when not eligible.
    pub not_eligible_because: Option<String>,
}

/// Use 6: employees with achievement at least `insights.promotion.achievement_at_least`
/// % and no unexcused day in each of the last `insights.months` months, with their rank
/// and class eligibility for promotion (transfer needs no rank condition): a PNS, below
/// rank IV/e, in a class below 17, with at least `insights.promotion.min_years_in_rank`
/// whole years in the rank at the end of the last month, counted from the employee's
/// `rank_since` (an employee whose rank date is not recorded is not eligible, with that
/// reason).
pub fn promotion(
    city: &City,
    history: &[MonthlyRecap],
    params: &InsightParams,
) -> Result<Vec<Candidate>, InsightsError> {
    need_history(history, "promotion")?;
    let n = params.months as usize;
    let last_month = history.iter().map(|r| r.month).max().unwrap_or_else(|| history[0].month);
    let org = &city.organisation;
    let mut out = Vec::new();
    for (nip, m) in by_employee(history) {
        let last: Vec<_> = m.achievement.iter().rev().take(n).rev().cloned().collect();
        let unexcused: u32 = m.unexcused_days.iter().rev().take(n).sum();
        let sustained = last.len() == n
            && unexcused == 0
            && last.iter().all(|(_, a)| a.is_some_and(|a| a >= params.promotion_achievement_at_least));
        if !sustained {
            continue;
        }
        let Some(e) = org.employee(&nip) else { continue };
        let end = last_month.last_day();
        let class = org.definitive_position(&nip, end).map(|p| p.job_class.get());
        let years_in_rank = e.rank_since.and_then(|s| end.years_since(s));
        let why = if e.employment != EmploymentType::Pns {
            Some("not a PNS (CPNS or PPPK)".to_string())
        } else if e.rank.to_string() == "IV/e" {
            Some("already at the highest rank IV/e".to_string())
        } else if class.is_some_and(|c| c >= 17) {
            Some("already in the highest job class".to_string())
        } else if e.rank_since.is_none() {
            Some("the date of the current rank (rank_since) is not recorded".to_string())
        } else if years_in_rank.is_none_or(|y| y < params.min_years_in_rank) {
            Some(format!(
                "{} whole year(s) in rank {} since {}, fewer than the {} required",
                years_in_rank.unwrap_or(0),
                e.rank,
                e.rank_since.map(|d| d.to_string()).unwrap_or_default(),
                params.min_years_in_rank
            ))
        } else {
            None
        };
        out.push(Candidate {
            employee: nip,
            rank: e.rank.to_string(),
            job_class: class,
            rank_since: e.rank_since,
            years_in_rank,
            last_months: last,
            promotion_eligible: why.is_none(),
            not_eligible_because: why,
        });
    }
    Ok(out)
}

// --- 7. reward and sanction ----------------------------------------------------------------

/// The rung of the ladder that `days` cumulative unexcused days reach: the highest rung
/// whose `from_days` is at most `days`; none below the first rung.
pub fn ladder_rung(ladder: &[LadderRung], days: u32) -> Option<&LadderRung> {
    ladder.iter().rev().find(|r| r.from_days <= days)
}

/// An employee's cumulative unexcused days in a year and the sanction they reach.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SanctionLine {
    /// The employee.
    pub employee: Nip,
    /// Unexcused days per month of the year in the history.
    pub by_month: Vec<(YearMonth, u32)>,
    /// Their sum.
    pub cumulative: u32,
    /// The longest run of consecutive unexcused working days in the year (0 when the
    /// days were not given, see [`sanctions_with_days`]).
    #[serde(default)]
    pub longest_run: u32,
    /// The run reaches `insights.consecutive_unexcused_days`: the rung is the ladder's
    /// last (dismissal under PP 94/2021) whatever the cumulative count.
    #[serde(default)]
    pub consecutive: bool,
    /// The rung reached: the heavier of the cumulative rung and the consecutive rule's.
    pub rung: LadderRung,
}

/// Use 7: every employee whose unexcused days in `year` (over the months of the history
/// in that year) reach a rung of `insights.sanction_ladder`, highest first. Without the
/// employees' days the consecutive rule is not applied; [`sanctions_with_days`] applies it.
pub fn sanctions(
    history: &[MonthlyRecap],
    params: &InsightParams,
    year: i32,
) -> Result<Vec<SanctionLine>, InsightsError> {
    sanctions_with_days(history, &BTreeMap::new(), params, year)
}

/// Use 7 with both rules of PP 94/2021: the cumulative ladder over the unexcused days of
/// the history's months in `year`, and the consecutive rule over `days` (each employee's
/// days in date order, e.g. from [`unexcused_days`]): a run of at least
/// `insights.consecutive_unexcused_days` consecutive unexcused working days in `year`
/// ([`longest_unexcused_run`]: weekends and holidays neither count nor break a run)
/// reaches the ladder's last rung whatever the cumulative count. Lines are ordered by
/// the rung (heaviest first), then cumulative days (most first), then NIP.
pub fn sanctions_with_days(
    history: &[MonthlyRecap],
    days: &BTreeMap<Nip, Vec<crate::attendance::DayAttendance>>,
    params: &InsightParams,
    year: i32,
) -> Result<Vec<SanctionLine>, InsightsError> {
    need_history(history, "sanctions")?;
    let mut by_employee: BTreeMap<Nip, Vec<(YearMonth, u32)>> = BTreeMap::new();
    for r in history.iter().filter(|r| r.month.year() == year) {
        for e in &r.employees {
            by_employee.entry(e.employee.clone()).or_default().push((r.month, e.attendance.unexcused_days));
        }
    }
    for nip in days.keys() {
        by_employee.entry(nip.clone()).or_default();
    }
    let ladder = &params.sanction_ladder;
    let mut out = Vec::new();
    for (nip, mut by_month) in by_employee {
        by_month.sort();
        let cumulative = by_month.iter().map(|x| x.1).sum();
        let longest_run = days.get(&nip).map_or(0, |d| {
            let mut of_year: Vec<&crate::attendance::DayAttendance> =
                d.iter().filter(|x| x.date.year() == year).collect();
            of_year.sort_by_key(|x| x.date);
            let owned: Vec<crate::attendance::DayAttendance> = of_year.into_iter().cloned().collect();
            longest_unexcused_run(&owned)
        });
        let by_count = ladder_rung(ladder, cumulative);
        let by_run = consecutive_rung(params, longest_run);
        let rung = match (by_count, by_run) {
            (_, Some(r)) => Some(r),
            (Some(r), None) => Some(r),
            (None, None) => None,
        };
        if let Some(r) = rung {
            out.push(SanctionLine {
                employee: nip,
                by_month,
                cumulative,
                longest_run,
                consecutive: by_run.is_some(),
                rung: r.clone(),
            });
        }
    }
    let step = |r: &LadderRung| ladder.iter().position(|x| x == r).unwrap_or(0);
    out.sort_by(|a, b| {
        step(&b.rung)
            .cmp(&step(&a.rung))
            .then_with(|| b.cumulative.cmp(&a.cumulative))
            .then_with(|| a.employee.cmp(&b.employee))
    });
    Ok(out)
}

/// The days of every employee with at least one unexcused day in a month, read from the
/// months' ledgers ([`crate::recap::employee_days`] as of each month's settlement day),
/// month after month in date order: the input of [`sanctions_with_days`]. An employee's
/// month is read when its recap counts an unexcused day, or the previous month's does
/// (its present or excused days then end a run that crossed the month's end); other
/// months cannot hold a run and are not read, which keeps a city of thousands cheap.
/// The months should follow each other: a run is not followed across a missing month.
pub fn unexcused_days(
    months: &[(&crate::ledger::Ledger, &crate::ledger::MonthContext<'_>, &MonthlyRecap)],
) -> Result<BTreeMap<Nip, Vec<crate::attendance::DayAttendance>>, InsightsError> {
    let mut sorted: Vec<_> = months.iter().collect();
    sorted.sort_by_key(|(_, ctx, _)| ctx.month);
    let mut out: BTreeMap<Nip, Vec<crate::attendance::DayAttendance>> = BTreeMap::new();
    let mut previous: HashSet<Nip> = HashSet::new();
    for (ledger, ctx, recap) in sorted {
        let mut this = HashSet::new();
        for e in &recap.employees {
            let unexcused = e.attendance.unexcused_days > 0;
            if unexcused {
                this.insert(e.employee.clone());
            }
            if unexcused || previous.contains(&e.employee) {
                let days = crate::recap::employee_days(ledger, ctx, &e.employee, ctx.settled_on())?;
                out.entry(e.employee.clone()).or_default().extend(days);
            }
        }
        previous = this;
    }
    Ok(out)
}

/// The longest run of consecutive unexcused working days in `days` (one employee's days
/// in date order, e.g. [`crate::recap::employee_days`] month after month): weekends and
/// holidays neither count nor break a run; a day present or excused ends it.
pub fn longest_unexcused_run(days: &[crate::attendance::DayAttendance]) -> u32 {
    use crate::attendance::DayStatus;
    let (mut run, mut best) = (0u32, 0u32);
    for d in days {
        match d.status {
            DayStatus::NonWorking => {}
            DayStatus::Unexcused => {
                run += 1;
                best = best.max(run);
            }
            DayStatus::Present | DayStatus::Excused(_) => run = 0,
        }
    }
    best
}

/// The sanction `days` of a longest unexcused run reaches: the ladder's last rung when the
/// run is at least `insights.consecutive_unexcused_days`, else none.
pub fn consecutive_rung(params: &InsightParams, run: u32) -> Option<&LadderRung> {
    if run >= params.consecutive_unexcused_days { params.sanction_ladder.last() } else { None }
}

// --- verification quality --------------------------------------------------------------

/// A verifier's decisions in the period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VerifierQuality {
    /// The verifier (NIP, official or device id).
    pub verifier: String,
    /// Decisions (approve, reject, return).
    pub decisions: u32,
    /// Approvals at the quantity claimed.
    pub approved_unchanged: u32,
    /// approved_unchanged / decisions x 100 (2 decimals).
    pub approved_unchanged_percent: Option<Decimal>,
    /// Decisions within `insights.verification.late_hours` hours before the deadline.
    pub last_minute: u32,
    /// last_minute / decisions x 100.
    pub last_minute_percent: Option<Decimal>,
    /// Median minutes from submission to decision (the lower middle for an even count).
    pub median_minutes_to_decide: Option<i64>,
}

/// A month's ledger with its verification deadline (the last day decisions count).
#[derive(Clone, Copy, Debug)]
pub struct DecidedMonth<'a> {
    /// The month's ledger state.
    pub state: &'a LedgerState,
    /// The verification deadline day (decisions up to its end count).
    pub deadline: NaiveDate,
}

/// Verification quality per verifier, most decisions first: a verifier who approves
/// everything unchanged at the last minute defeats the system.
pub fn verification_quality(months: &[DecidedMonth<'_>], params: &InsightParams) -> Vec<VerifierQuality> {
    let mut per: HashMap<String, (u32, u32, u32, Vec<i64>)> = HashMap::new();
    for m in months {
        let end: NaiveDateTime = (m.deadline + Duration::days(1)).and_hms_opt(0, 0, 0).unwrap_or_default();
        let window_start = end - Duration::hours(params.late_hours);
        for t in m.state.transitions.iter() {
            if t.role.is_none()
                || !matches!(
                    t.to,
                    VerificationStatus::Approved | VerificationStatus::Rejected | VerificationStatus::Returned
                )
            {
                continue;
            }
            let Some(entry) = m.state.entries.get((t.entry.0 as usize).wrapping_sub(1)) else { continue };
            let s = per.entry(t.by.to_string()).or_default();
            s.0 += 1;
            if t.to == VerificationStatus::Approved && t.quantity.is_none_or(|q| q == entry.quantity) {
                s.1 += 1;
            }
            if t.at >= window_start && t.at < end {
                s.2 += 1;
            }
            s.3.push((t.at - entry.submitted_at).num_minutes().max(0));
        }
    }
    let mut out: Vec<VerifierQuality> = per
        .into_iter()
        .map(|(verifier, (n, unchanged, late, mut times))| {
            times.sort_unstable();
            let median = if times.is_empty() { None } else { Some(times[(times.len() - 1) / 2]) };
            VerifierQuality {
                verifier,
                decisions: n,
                approved_unchanged: unchanged,
                approved_unchanged_percent: percent(Decimal::from(unchanged), Decimal::from(n)).ok().flatten(),
                last_minute: late,
                last_minute_percent: percent(Decimal::from(late), Decimal::from(n)).ok().flatten(),
                median_minutes_to_decide: median,
            }
        })
        .collect();
    out.sort_by(|a, b| b.decisions.cmp(&a.decisions).then_with(|| a.verifier.cmp(&b.verifier)));
    out
}
