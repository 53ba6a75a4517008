//! Performance targets (*Target Kinerja*): what each employee is expected to
//! produce in a year, and how many minutes of verified work they owe in a month.
//!
//! # Where targets come from
//!
//! Targets are derived from the workload analysis ([`crate::abk`]), never typed in
//! by hand. A position's job analysis lists its tasks (*uraian tugas*), each with an
//! output (*hasil kerja*), a volume and a standard time (*norma waktu*). The
//! **yearly target** of an employee ([`yearly_targets`]) is, for every task of the
//! employee's own (definitive) position, their share of the task's annual volume
//! ([`AbkParams::annual_volume`]):
//!
//! | quantity | formula |
//! |---|---|
//! | annual quantity | annual volume x share |
//! | share (default) | 1 / number of definitive holders of the position on the reference date |
//! | share (explicit) | a [`TargetShare`] fraction, when the unit head divides a task unevenly |
//! | annual minutes of a task | annual quantity x standard minutes |
//! | annual minutes | sum over the tasks |
//!
//! When **any** explicit share names a task, the task is divided by the explicit
//! shares alone: holders without an explicit share get nothing of that task, and
//! a remainder (shares summing to less than 1) stays unassigned, e.g. for a post
//! about to be filled. Shares of one task may not sum to more than 1.
//!
//! # From a year to a month
//!
//! A yearly quantity is spread over the months in proportion to the calendar's
//! working days ([`monthly_quantity`]): `annual x month working days / year working
//! days`. The quotient is exact whenever it terminates and otherwise correct to the
//! full precision of a [`Decimal`] (28 or 29 significant digits): 250 reports x 22 / 240 days is
//! 22.91666... reports.
//!
//! # The monthly minute target
//!
//! The allowance (TPP) compares the minutes an employee's verified work earned in
//! a month with a **minute target** ([`month_target`]). The usual base, seen in
//! regional e-Kinerja rules, is "working days in the month x daily minutes, less
//! the employee's leave days":
//!
//! | quantity | rule |
//! |---|---|
//! | calendar working days | working days of the month in the [`CompiledCalendar`] |
//! | assigned working days | calendar working days covered by **any** of the employee's definitive assignments |
//! | reduced days | assigned working days with an absence whose kind reduces the target |
//! | target days | assigned working days - reduced days |
//! | target minutes | target days x daily minutes |
//!
//! Both the daily minutes (`targets.daily_minutes`) and the absence kinds that reduce
//! the target (`targets.reducing_absences`) are **policy data** ([`TargetParams`]):
//!
//! - Daily minutes: 300 nationally (5 effective hours: PermenPAN-RB 1/2020 counts
//!   1,250 h a year = 250 days x 300 min). Cities differ: 6,000 a month (20 days x
//!   300), 6,750 a month, and 510 a day in Kalimantan Barat in 2026.
//! - Reducing absences: by default every kind of leave (*cuti*) and sick days. Official
//!   travel (*dinas luar*) does **not** reduce the target: people on duty travel still
//!   work and log their activities. Permits and unexcused absences do not reduce it
//!   either: they are the employee's own shortfall.
//!
//! Consequences worth knowing:
//!
//! - Someone who joins on the 15th, retires on the 9th or is transferred mid-month
//!   owes only the working days they were in post. A transfer between two positions
//!   keeps the whole month: both definitive assignments count.
//! - Acting assignments (Plt, Plh) add nothing: the employee already owes the days
//!   through their own position.
//! - Only working days count: leave over a weekend or a holiday reduces nothing, and
//!   a day with two overlapping absences is reduced once.
//!
//! # Speed
//!
//! A city of 5,925 employees needs every employee's target for a month at once.
//! [`month_targets`] reads the compiled calendar once and keeps each employee's days
//! as a 31-bit set, so an employee costs one index lookup, a walk over their
//! assignments and a few bit operations: no allocation beyond the result.
//!
//! ```
//! use chrono::NaiveDate;
//! use kinerja::calendar::WorkCalendar;
//! use kinerja::org::*;
//! use kinerja::anjab::JobAnalysis;
//! use kinerja::targets::{month_target, TargetParams};
//! use kinerja::{Minutes, YearMonth};
//!
//! let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
//! let nip: Nip = "199001012020012001".parse().unwrap();
//! let org = Organisation::new(
//!     vec![WorkUnit { id: "DINAS".into(), name: "Dinas".into(), parent: None }],
//!     vec![Position {
//!         id: "STAFF".into(), name: "Staff".into(), kind: PositionKind::Executor,
//!         job_class: JobClass::new(5).unwrap(), unit: "DINAS".into(), supervisor: None,
//!         analysis: JobAnalysis::default(),
//!     }],
//!     vec![Employee {
//!         nip: nip.clone(), name: "A".into(), rank: "III/a".parse().unwrap(),
//!         employment: EmploymentType::Pns, rank_since: None,
//!     }],
//!     vec![Assignment {
//!         employee: nip.clone(), position: "STAFF".into(), kind: AssignmentKind::Definitive,
//!         from: d(2020, 1, 1), until: None,
//!     }],
//! )
//! .unwrap();
//! let october: YearMonth = "2026-10".parse().unwrap();
//! let compiled = WorkCalendar::indonesia_2026().compile(october.range());
//! let params = TargetParams { daily_minutes: Minutes(300), reducing_absences: vec!["leave.annual".into()] };
//! // Annual leave Mon 5 - Fri 9 October: 22 - 5 = 17 days x 300 = 5,100 minutes.
//! let leave: Vec<NaiveDate> = (5..=9).map(|day| d(2026, 10, day)).collect();
//! let t = month_target(&org, &compiled, &nip, october, &leave, &params).unwrap();
//! assert_eq!((t.calendar_working_days, t.reduced_days, t.target_days), (22, 5, 17));
//! assert_eq!(t.target_minutes, Minutes(5_100));
//! ```

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::abk::AbkParams;
use crate::calendar::CompiledCalendar;
use crate::error::{ArithmeticError, Problem, ValidationErrors};
use crate::ids::{PositionId, TaskId};
use crate::minutes::Minutes;
use crate::month::YearMonth;
use crate::org::{AssignmentKind, Nip, Organisation};
use crate::policy::{Binder, Bound, Policy, PolicyError, Value, variant_name};

/// Every absence-kind code the engine knows, as written in policy files.
///
/// `targets.reducing_absences` may list only these: the codes of
/// [`AbsenceKind`](crate::attendance::AbsenceKind).
pub const ABSENCE_CODES: &[&str] = crate::attendance::AbsenceKind::ALL_CODES;

/// The largest daily minute target a policy may set: a whole day, 24 x 60.
pub const MAX_DAILY_MINUTES: i64 = 1440;

/// The record name of problems with explicit shares.
const SHARE_RECORD: &str = "target_share";

// ---------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------

/// The target parameters, filled from the city's policy ([`TargetParams::from_policy`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetParams {
    /// Minutes of verified work owed per target day (`targets.daily_minutes`),
    /// 1 to 1,440; 300 nationally.
    #[doc(alias = "menit kerja efektif")]
    pub daily_minutes: Minutes,
    /// Absence-kind codes ([`ABSENCE_CODES`]) whose days reduce the monthly target
    /// (`targets.reducing_absences`).
    pub reducing_absences: Vec<String>,
}

impl TargetParams {
    /// Reads the parameters in force on `date`: keys `targets.daily_minutes` and
    /// `targets.reducing_absences`, each with its provenance.
    ///
    /// A value that passed loading is in range; a layer built by hand and never
    /// validated is checked again here ([`PolicyError::BadValue`]).
    pub fn from_policy(policy: &Policy, date: NaiveDate) -> Result<Bound<TargetParams>, PolicyError> {
        let mut b = Binder::new(policy, date);
        let daily = b.int("targets.daily_minutes")?;
        if !(1..=MAX_DAILY_MINUTES).contains(&daily) {
            return Err(PolicyError::BadValue {
                key: "targets.daily_minutes".to_string(),
                message: format!("{daily} is outside the allowed range 1..={MAX_DAILY_MINUTES}"),
            });
        }
        let reducing_absences = b.custom("targets.reducing_absences", reducing_absences_from_policy_value)?;
        Ok(b.finish(TargetParams { daily_minutes: Minutes(daily), reducing_absences }))
    }

    /// Whether days of an absence of kind `code` reduce the monthly minute target.
    ///
    /// ```
    /// use kinerja::targets::TargetParams;
    /// use kinerja::Minutes;
    /// let p = TargetParams { daily_minutes: Minutes(300), reducing_absences: vec!["leave.annual".into()] };
    /// assert!(p.reduces_target("leave.annual"));
    /// assert!(!p.reduces_target("official_travel"));
    /// ```
    pub fn reduces_target(&self, code: &str) -> bool {
        self.reducing_absences.iter().any(|c| c == code)
    }

    /// Every problem with hand-built parameters (record `"target_params"`): a daily
    /// target outside 1..=1,440, unknown or repeated absence codes.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut problems = Vec::new();
        let daily = self.daily_minutes.get();
        if !(1..=MAX_DAILY_MINUTES).contains(&daily) {
            problems.push(Problem::new(
                "target_params",
                "",
                "daily_minutes",
                "out_of_range",
                format!("{daily} is outside the allowed range 1..={MAX_DAILY_MINUTES}"),
            ));
        }
        for (i, code) in self.reducing_absences.iter().enumerate() {
            if let Some(message) = absence_code_problem(code, self.reducing_absences.get(..i).unwrap_or(&[])) {
                problems.push(Problem::new(
                    "target_params",
                    "",
                    format!("reducing_absences[{i}]"),
                    "invalid_value",
                    message,
                ));
            }
        }
        if problems.is_empty() { Ok(()) } else { Err(ValidationErrors { problems }) }
    }
}

/// Why `code` may not appear in a reducing-absence list whose earlier items are
/// `before`, if it may not.
fn absence_code_problem(code: &str, before: &[impl AsRef<str>]) -> Option<String> {
    if !ABSENCE_CODES.contains(&code) {
        Some(format!("`{code}` is not an absence kind; expected one of {}", ABSENCE_CODES.join(", ")))
    } else if before.iter().any(|b| b.as_ref() == code) {
        Some(format!("`{code}` is listed twice"))
    } else {
        None
    }
}

/// Reads `targets.reducing_absences`: a list of absence-kind codes from
/// [`ABSENCE_CODES`], each at most once. An empty list is allowed (no absence
/// reduces the target). The error lists every problem, separated by `"; "`.
///
/// ```
/// use kinerja::policy::Value;
/// use kinerja::targets::reducing_absences_from_policy_value;
/// let v = Value::List(vec![Value::Text("leave.annual".into()), Value::Text("holiday".into())]);
/// assert!(reducing_absences_from_policy_value(&v).unwrap_err().contains("[1]: `holiday` is not an absence kind"));
/// ```
pub fn reducing_absences_from_policy_value(value: &Value) -> Result<Vec<String>, String> {
    let Some(items) = value.as_list() else {
        return Err(format!("expected a list of absence-kind codes, found {}", variant_name(value)));
    };
    let mut problems = Vec::new();
    let mut codes: Vec<String> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let Some(code) = item.as_text() else {
            problems.push(format!("[{i}]: expected an absence-kind code (text), found {}", variant_name(item)));
            continue;
        };
        match absence_code_problem(code, &codes) {
            Some(message) => problems.push(format!("[{i}]: {message}")),
            None => codes.push(code.to_string()),
        }
    }
    if problems.is_empty() { Ok(codes) } else { Err(problems.join("; ")) }
}

// ---------------------------------------------------------------------------
// Yearly targets
// ---------------------------------------------------------------------------

/// An explicit division of a task among the holders of its position: `employee`
/// takes `share` (a fraction 0..=1) of the task's annual volume.
///
/// Explicit shares for a task replace the even split for that task (see the
/// [module docs](self)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetShare {
    /// Who.
    pub employee: Nip,
    /// Which task (of the employee's own position).
    pub task: TaskId,
    /// The fraction of the task's annual volume, 0 to 1 (a string in JSON, `"0.4"`).
    pub share: Decimal,
}

/// One task of a yearly target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskTarget {
    /// The task (*uraian tugas*).
    pub task: TaskId,
    /// The employee's fraction of the task's annual volume: 1 / holders for an even
    /// split (rounded to a Decimal's precision when not a finite decimal, for display; the
    /// quantities are computed without it), or the explicit share.
    pub share: Decimal,
    /// Output units per year owed by the employee (*target kuantitas*).
    #[doc(alias = "target kuantitas")]
    pub annual_quantity: Decimal,
    /// Standard minutes per output unit (*norma waktu*).
    #[doc(alias = "norma waktu")]
    pub standard_minutes: Minutes,
    /// Annual quantity x standard minutes.
    pub annual_minutes: Decimal,
}

/// An employee's yearly performance target (*Sasaran Kinerja Pegawai*, target part).
#[doc(alias = "target kinerja")]
#[doc(alias = "SKP")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearlyTarget {
    /// The employee.
    pub employee: Nip,
    /// Their definitive position on the reference date.
    pub position: PositionId,
    /// The year the target is for.
    pub year: i32,
    /// One entry per task of the position, in the job analysis's order (also tasks
    /// the employee gets no share of, with zero quantities).
    pub tasks: Vec<TaskTarget>,
    /// Sum of the tasks' annual minutes.
    pub annual_minutes: Decimal,
}

/// The yearly targets of every employee with a definitive position on
/// `reference_date`, in [`Organisation::employees`] order (employees without one
/// are left out).
///
/// Each task's annual volume ([`AbkParams::annual_volume`]) is split evenly among
/// the position's definitive holders on `reference_date`, unless `shares` name the
/// task (see the [module docs](self)). Even splits divide once, at the end: 1,000
/// reports among 3 holders is 333.33... each (to a Decimal's 28-29 significant digits), and its
/// minutes are `1,000 x standard minutes / 3`, not the rounded quantity times the
/// standard minutes.
///
/// # Errors
///
/// Every problem at once ([`ValidationErrors`]):
///
/// - record `"target_share"`, id `"<nip>/<task>"`: `unknown_reference` (field
///   `employee` or `task`), `out_of_range` (field `share`, outside 0..=1),
///   `not_a_holder` (field `employee`: the employee's definitive position on the
///   reference date is not the task's position), `duplicate_share` (field `task`);
/// - record `"target_share"`, id = the task: `shares_exceed_one` (field `share`);
/// - record `"abk_params"`: the ABK parameters are invalid;
/// - record `"yearly_target"`, id = the NIP: `overflow` while computing a field.
#[doc(alias = "target kinerja tahunan")]
pub fn yearly_targets(
    org: &Organisation,
    abk: &AbkParams,
    year: i32,
    reference_date: NaiveDate,
    shares: &[TargetShare],
) -> Result<Vec<YearlyTarget>, ValidationErrors> {
    let mut problems = Vec::new();
    if let Err(e) = abk.validate() {
        problems.push(Problem::new("abk_params", "", "", e.code(), e.to_string()));
    }

    // Task id -> dense index of its position (task ids are unique: validated by the organisation).
    let mut task_position: HashMap<&TaskId, usize> = HashMap::new();
    for (p, position) in org.positions().iter().enumerate() {
        for t in &position.analysis.tasks {
            task_position.insert(&t.id, p);
        }
    }

    // Explicit shares: check each, then their sums per task.
    let mut explicit: HashMap<(&Nip, &TaskId), Decimal> = HashMap::with_capacity(shares.len());
    let mut sums: Vec<(&TaskId, Decimal, bool)> = Vec::new(); // (task, sum, overflowed)
    let mut sum_ix: HashMap<&TaskId, usize> = HashMap::new();
    for s in shares {
        let id = format!("{}/{}", s.employee, s.task);
        let mut ok = true;
        if s.share < Decimal::ZERO || s.share > Decimal::ONE {
            problems.push(Problem::new(
                SHARE_RECORD,
                id.as_str(),
                "share",
                "out_of_range",
                format!("share {} of task `{}` is not a fraction between 0 and 1", s.share, s.task),
            ));
            ok = false;
        }
        let known_employee = org.employee_index(&s.employee).is_some();
        if !known_employee {
            problems.push(Problem::new(
                SHARE_RECORD,
                id.as_str(),
                "employee",
                "unknown_reference",
                format!("employee {} is not in the organisation", s.employee),
            ));
            ok = false;
        }
        let task_pos = task_position.get(&s.task).copied();
        match task_pos {
            None => {
                problems.push(Problem::new(
                    SHARE_RECORD,
                    id.as_str(),
                    "task",
                    "unknown_reference",
                    format!("task `{}` is not a task of any position", s.task),
                ));
                ok = false;
            }
            Some(p) if known_employee => {
                let own = org.definitive_position(&s.employee, reference_date);
                let task_owner = org.positions().get(p).map(|pos| &pos.id);
                if own.map(|pos| &pos.id) != task_owner {
                    problems.push(Problem::new(
                        SHARE_RECORD,
                        id.as_str(),
                        "employee",
                        "not_a_holder",
                        format!(
                            "employee {} does not hold position `{}` (the position of task `{}`) definitively on {reference_date}{}",
                            s.employee,
                            task_owner.map(PositionId::as_str).unwrap_or_default(),
                            s.task,
                            own.map(|pos| format!("; their position is `{}`", pos.id)).unwrap_or_default()
                        ),
                    ));
                    ok = false;
                }
            }
            Some(_) => {}
        }
        if explicit.insert((&s.employee, &s.task), s.share).is_some() {
            problems.push(Problem::new(
                SHARE_RECORD,
                id.as_str(),
                "task",
                "duplicate_share",
                format!("employee {} is given a share of task `{}` more than once", s.employee, s.task),
            ));
        }
        if ok && task_pos.is_some() {
            let slot = *sum_ix.entry(&s.task).or_insert_with(|| {
                sums.push((&s.task, Decimal::ZERO, false));
                sums.len() - 1
            });
            if let Some((_, sum, overflowed)) = sums.get_mut(slot) {
                match sum.checked_add(s.share) {
                    Some(n) => *sum = n,
                    None => *overflowed = true,
                }
            }
        }
    }
    for (task, sum, overflowed) in &sums {
        if *overflowed || *sum > Decimal::ONE {
            problems.push(Problem::new(
                SHARE_RECORD,
                task.as_str(),
                "share",
                "shares_exceed_one",
                format!("the explicit shares of task `{task}` add up to {sum}, more than the whole task (1)"),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(ValidationErrors { problems });
    }

    let mut headcounts: Vec<Option<u32>> = vec![None; org.positions().len()];
    let mut out = Vec::new();
    for employee in org.employees() {
        let nip = &employee.nip;
        let Some(position) = org.definitive_position(nip, reference_date) else { continue };
        let holders = match org.position_index(&position.id).and_then(|p| headcounts.get_mut(p)) {
            Some(Some(n)) => *n,
            Some(slot) => *slot.insert(org.headcount(&position.id, reference_date)),
            None => org.headcount(&position.id, reference_date),
        };
        // The employee holds the position, so there is at least one holder.
        let holders = Decimal::from(holders.max(1));
        let overflow = |field: String, task: &TaskId| {
            Problem::new(
                "yearly_target",
                nip.to_string(),
                field,
                "overflow",
                format!("arithmetic overflow computing the target of task `{task}`"),
            )
        };
        let mut tasks = Vec::with_capacity(position.analysis.tasks.len());
        let mut total = Decimal::ZERO;
        for task in &position.analysis.tasks {
            let field = |name: &str| format!("tasks.{}.{name}", task.id);
            let Ok(annual) = abk.annual_volume(&task.volume) else {
                problems.push(overflow(field("annual_quantity"), &task.id));
                continue;
            };
            let standard = Decimal::from(task.standard_minutes.get());
            let Some(task_minutes) = annual.checked_mul(standard) else {
                problems.push(overflow(field("annual_minutes"), &task.id));
                continue;
            };
            let split = if sum_ix.contains_key(&task.id) {
                let share = explicit.get(&(nip, &task.id)).copied().unwrap_or(Decimal::ZERO);
                annual.checked_mul(share).zip(task_minutes.checked_mul(share)).map(|(q, m)| (share, q, m))
            } else {
                Decimal::ONE.checked_div(holders).and_then(|share| {
                    annual.checked_div(holders).zip(task_minutes.checked_div(holders)).map(|(q, m)| (share, q, m))
                })
            };
            let Some((share, annual_quantity, annual_minutes)) = split else {
                problems.push(overflow(field("annual_quantity"), &task.id));
                continue;
            };
            match total.checked_add(annual_minutes) {
                Some(t) => total = t,
                None => problems.push(overflow("annual_minutes".to_string(), &task.id)),
            }
            tasks.push(TaskTarget {
                task: task.id.clone(),
                share,
                annual_quantity,
                standard_minutes: task.standard_minutes,
                annual_minutes,
            });
        }
        out.push(YearlyTarget {
            employee: nip.clone(),
            position: position.id.clone(),
            year,
            tasks,
            annual_minutes: total,
        });
    }
    if problems.is_empty() { Ok(out) } else { Err(ValidationErrors { problems }) }
}

/// The part of an annual quantity that falls in a month: `annual x month_wd /
/// year_wd`, the working days of the month over those of the year. Multiplies
/// before dividing, so the result is exact whenever the quotient terminates and
/// otherwise correct to a Decimal's full precision (28-29 significant digits). A year without working days
/// (`year_wd = 0`) gives zero.
///
/// ```
/// use kinerja::targets::monthly_quantity;
/// use rust_decimal::Decimal;
/// // 240 reports a year, October 2026 has 22 of 240 working days: 240 x 22 / 240 = 22.
/// assert_eq!(monthly_quantity(Decimal::from(240), 22, 240), Ok(Decimal::from(22)));
/// assert_eq!(monthly_quantity(Decimal::from(240), 22, 0), Ok(Decimal::ZERO));
/// ```
///
/// # Errors
///
/// [`ArithmeticError::Overflow`] when the product does not fit a [`Decimal`].
pub fn monthly_quantity(annual: Decimal, month_wd: u32, year_wd: u32) -> Result<Decimal, ArithmeticError> {
    if year_wd == 0 {
        return Ok(Decimal::ZERO);
    }
    annual
        .checked_mul(Decimal::from(month_wd))
        .and_then(|p| p.checked_div(Decimal::from(year_wd)))
        .ok_or(ArithmeticError::Overflow { operation: "monthly quantity" })
}

// ---------------------------------------------------------------------------
// Monthly minute targets
// ---------------------------------------------------------------------------

/// An employee's minute target for one month, with the day counts behind it.
#[doc(alias = "target menit bulanan")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthTarget {
    /// The employee.
    pub employee: Nip,
    /// The month.
    pub month: YearMonth,
    /// Working days of the month in the calendar.
    pub calendar_working_days: u32,
    /// Calendar working days covered by any of the employee's definitive assignments.
    pub assigned_working_days: u32,
    /// Assigned working days with an absence whose kind reduces the target (each day once).
    pub reduced_days: u32,
    /// Assigned working days - reduced days.
    pub target_days: u32,
    /// Minutes owed per target day.
    pub daily_minutes: Minutes,
    /// Target days x daily minutes.
    pub target_minutes: Minutes,
}

/// Why a monthly target could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    /// The employee is not in the organisation.
    #[error("employee `{nip}` is not in the organisation")]
    UnknownEmployee {
        /// The NIP not found.
        nip: Nip,
    },
    /// The compiled calendar does not cover every day of the month.
    #[error("the compiled calendar ({start}, {days} days) does not cover every day of {month}")]
    CalendarRange {
        /// The month asked for.
        month: YearMonth,
        /// The calendar's first day.
        start: NaiveDate,
        /// The number of days it covers.
        days: usize,
    },
    /// `daily_minutes` is outside 1..=1,440.
    #[error("target params, field `daily_minutes`: {value} is outside the allowed range 1..=1440")]
    DailyMinutes {
        /// The value refused.
        value: i64,
    },
    /// Checked arithmetic failed.
    #[error("month target of employee `{employee}` for {month}, field `{field}`: {source}")]
    Arithmetic {
        /// The employee.
        employee: Nip,
        /// The month.
        month: YearMonth,
        /// The field being computed.
        field: &'static str,
        /// The arithmetic failure.
        source: ArithmeticError,
    },
}

impl TargetError {
    /// A stable, machine-readable code: `"unknown_employee"`, `"calendar_range"`,
    /// `"invalid_params"` or `"arithmetic"`.
    pub fn code(&self) -> &'static str {
        match self {
            TargetError::UnknownEmployee { .. } => "unknown_employee",
            TargetError::CalendarRange { .. } => "calendar_range",
            TargetError::DailyMinutes { .. } => "invalid_params",
            TargetError::Arithmetic { .. } => "arithmetic",
        }
    }
}

/// A month resolved once: its bounds and its working days as a bit set
/// (bit `d` = day `d + 1`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct MonthFrame {
    month: YearMonth,
    first: NaiveDate,
    last: NaiveDate,
    working: u32,
}

impl MonthFrame {
    fn new(calendar: &CompiledCalendar, month: YearMonth, params: &TargetParams) -> Result<MonthFrame, TargetError> {
        let daily = params.daily_minutes.get();
        if !(1..=MAX_DAILY_MINUTES).contains(&daily) {
            return Err(TargetError::DailyMinutes { value: daily });
        }
        let (first, last) = (month.first_day(), month.last_day());
        let mut working = 0u32;
        for date in first.iter_days().take_while(|d| *d <= last) {
            let day = calendar.get(date).ok_or_else(|| TargetError::CalendarRange {
                month,
                start: calendar.start(),
                days: calendar.len(),
            })?;
            if day.is_working() {
                working |= day_bit(date);
            }
        }
        Ok(MonthFrame { month, first, last, working })
    }

    /// The employee's definitive days of the month as a bit set.
    fn assigned(&self, org: &Organisation, nip: &Nip) -> u32 {
        assigned_days(org.assignments_of(nip), self.first, self.last)
    }

    /// The dates of `reduced` inside the month as a bit set (others are ignored).
    fn reduced(&self, reduced: &[NaiveDate]) -> u32 {
        reduced.iter().filter(|d| self.first <= **d && **d <= self.last).fold(0u32, |acc, d| acc | day_bit(*d))
    }

    fn target(
        &self,
        nip: &Nip,
        assigned: u32,
        reduced: u32,
        params: &TargetParams,
    ) -> Result<MonthTarget, TargetError> {
        let assigned = assigned & self.working;
        let reduced = assigned & reduced;
        let target_days = (assigned & !reduced).count_ones();
        let target_minutes = params.daily_minutes.checked_mul(i64::from(target_days)).map_err(|source| {
            TargetError::Arithmetic { employee: nip.clone(), month: self.month, field: "target_minutes", source }
        })?;
        Ok(MonthTarget {
            employee: nip.clone(),
            month: self.month,
            calendar_working_days: self.working.count_ones(),
            assigned_working_days: assigned.count_ones(),
            reduced_days: reduced.count_ones(),
            target_days,
            daily_minutes: params.daily_minutes,
            target_minutes,
        })
    }
}

/// The definitive days in `month` of the employee with dense index `employee`
/// as a bit set (bit `d` = day `d + 1`): the days [`month_target`] counts as
/// assigned, and those on which
/// [`Organisation::definitive_assignment_at`] holds.
pub(crate) fn definitive_days(org: &Organisation, employee: usize, month: YearMonth) -> u32 {
    definitive_days_in(org, employee, month.first_day(), month.last_day())
}

/// [`definitive_days`] of the month from `first` to `last` (its first and last day,
/// computed once by a caller asking for every employee).
pub(crate) fn definitive_days_in(org: &Organisation, employee: usize, first: NaiveDate, last: NaiveDate) -> u32 {
    assigned_days(org.assignments_of_index(employee), first, last)
}

/// The definitive days between `first` and `last` (one month) of `assignments`
/// (one employee's, sorted by first day) as a bit set.
fn assigned_days<'a>(
    assignments: impl Iterator<Item = &'a crate::org::Assignment>,
    first: NaiveDate,
    last: NaiveDate,
) -> u32 {
    let mut days = 0u32;
    // Sorted by first day: nothing after one starting past the month can cover it.
    for a in assignments.take_while(|a| a.from <= last) {
        if a.kind != AssignmentKind::Definitive {
            continue;
        }
        let start = a.from.max(first);
        let end = a.until.map_or(last, |u| u.min(last));
        if start <= end {
            days |= day_span(start.day0(), end.day0());
        }
    }
    days
}

/// The bit of a date's day in its month (day 1 = bit 0).
fn day_bit(date: NaiveDate) -> u32 {
    // day0() is 0..=30, always a valid shift for u32.
    1u32.checked_shl(date.day0()).unwrap_or(0)
}

/// The bits of days `lo..=hi` (0-based, both at most 30).
fn day_span(lo: u32, hi: u32) -> u32 {
    let up_to_hi = 1u32.checked_shl(hi.saturating_add(1)).map_or(u32::MAX, |b| b.wrapping_sub(1));
    let below_lo = 1u32.checked_shl(lo).map_or(u32::MAX, |b| b.wrapping_sub(1));
    up_to_hi & !below_lo
}

/// An employee's minute target for `month` (see the [module docs](self) for the rule).
///
/// `calendar` must cover the whole month (e.g. `calendar.compile(month.range())`,
/// or a compiled year). `reduced` lists the dates with an absence whose kind
/// reduces the target ([`TargetParams::reduces_target`]), in any order, possibly
/// repeated; dates outside the month, outside the employee's definitive
/// assignments or on non-working days reduce nothing.
///
/// Does not allocate. For every employee of a city use [`month_targets`], which
/// reads the calendar once.
///
/// # Errors
///
/// [`TargetError::UnknownEmployee`], [`TargetError::CalendarRange`] when the
/// calendar misses a day of the month, [`TargetError::DailyMinutes`] for daily
/// minutes outside 1..=1,440, [`TargetError::Arithmetic`] on overflow.
pub fn month_target(
    org: &Organisation,
    calendar: &CompiledCalendar,
    employee: &Nip,
    month: YearMonth,
    reduced: &[NaiveDate],
    params: &TargetParams,
) -> Result<MonthTarget, TargetError> {
    if org.employee_index(employee).is_none() {
        return Err(TargetError::UnknownEmployee { nip: employee.clone() });
    }
    let frame = MonthFrame::new(calendar, month, params)?;
    frame.target(employee, frame.assigned(org, employee), frame.reduced(reduced), params)
}

/// [`month_target`] for an employee who may work shifts: on every date of the month
/// that `rosters` speaks of for `employee`, a rostered shift is a working day and a
/// rostered day off is not, whatever the office calendar says (the roster replaces
/// the calendar for that date, as it does for attendance); other dates follow the
/// calendar. Both the month's working days (the proration's denominator) and the
/// assigned ones are the employee's own. Without roster entries it is [`month_target`].
///
/// # Errors
///
/// As [`month_target`].
pub fn month_target_rostered(
    org: &Organisation,
    calendar: &CompiledCalendar,
    rosters: &crate::roster::Rosters,
    employee: &Nip,
    month: YearMonth,
    reduced: &[NaiveDate],
    params: &TargetParams,
) -> Result<MonthTarget, TargetError> {
    if org.employee_index(employee).is_none() {
        return Err(TargetError::UnknownEmployee { nip: employee.clone() });
    }
    let frame = MonthFrame::new(calendar, month, params)?;
    let assigned = frame.assigned(org, employee);
    let plan = |date| rosters.on(employee, date);
    frame.target_rostered(employee, rosters.has(employee).then_some(plan), assigned, frame.reduced(reduced), params)
}

impl MonthFrame {
    /// The frame of `month` (its working days), for many employees' targets
    /// ([`MonthFrame::target_rostered`]).
    pub(crate) fn of(
        calendar: &CompiledCalendar,
        month: YearMonth,
        params: &TargetParams,
    ) -> Result<MonthFrame, TargetError> {
        MonthFrame::new(calendar, month, params)
    }

    /// [`month_target_rostered`] of the employee `nip` (`plan`: what the roster says
    /// of them on a date, `None` when the roster does not hold them; `assigned`: their
    /// definitive days, [`MonthFrame::assigned_index`]; `reduced`: the days of the
    /// month whose absence reduces the target, bit `d` = day `d + 1`).
    pub(crate) fn target_rostered<'r>(
        &self,
        nip: &Nip,
        plan: Option<impl Fn(NaiveDate) -> Option<crate::roster::Rostered<'r>>>,
        assigned: u32,
        reduced: u32,
        params: &TargetParams,
    ) -> Result<MonthTarget, TargetError> {
        let mut working = self.working;
        if let Some(plan) = plan {
            for date in self.first.iter_days().take_while(|d| *d <= self.last) {
                match plan(date) {
                    Some(crate::roster::Rostered::Shift(_)) => working |= day_bit(date),
                    Some(crate::roster::Rostered::Off) => working &= !day_bit(date),
                    None => {}
                }
            }
        }
        let frame = MonthFrame { working, ..*self };
        frame.target(nip, assigned, reduced, params)
    }
}

/// The minute targets of every employee for `month`, in [`Organisation::employees`]
/// order. `reduced_by_employee(i)` gives the reducing-absence dates of the `i`-th
/// employee (as for [`month_target`]).
///
/// Employees without a definitive assignment in the month get a zero target.
///
/// # Errors
///
/// As [`month_target`] (never `UnknownEmployee`).
pub fn month_targets<'a>(
    org: &Organisation,
    calendar: &CompiledCalendar,
    month: YearMonth,
    reduced_by_employee: impl Fn(usize) -> &'a [NaiveDate],
    params: &TargetParams,
) -> Result<Vec<MonthTarget>, TargetError> {
    let frame = MonthFrame::new(calendar, month, params)?;
    let mut out = Vec::with_capacity(org.employees().len());
    for (i, e) in org.employees().iter().enumerate() {
        let assigned = frame.assigned(org, &e.nip);
        let reduced = frame.reduced(reduced_by_employee(i));
        out.push(frame.target(&e.nip, assigned, reduced, params)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_spans_cover_exactly_the_days() {
        assert_eq!(day_span(0, 0), 0b1);
        assert_eq!(day_span(0, 30), 0x7FFF_FFFF); // 31 days
        assert_eq!(day_span(2, 4), 0b11100);
        assert_eq!(day_span(30, 30), 1 << 30);
        assert_eq!(day_span(0, 30).count_ones(), 31);
    }

    #[test]
    fn absence_codes_are_unique() {
        for (i, c) in ABSENCE_CODES.iter().enumerate() {
            assert!(!ABSENCE_CODES[..i].contains(c), "{c}");
        }
        assert_eq!(ABSENCE_CODES.len(), 13);
    }
}
