//! Paying a city's month: from the monthly recap to every employee's allowance
//! slip, with totals per work unit and for the city.
//!
//! [`allowance_inputs`] turns each employee's recap (target and verified
//! minutes, attendance, roll calls) and the city's records (position and job
//! class, rank, employment type, salary from the payroll system, acting (Plt)
//! assignments, disciplinary sanctions) into the plain
//! [`AllowanceInput`] the allowance engine
//! reads. [`pay_city`] computes every slip with the policy bound once for the
//! month. [`what_if`] pays the same month under two policies and compares them.
//!
//! # Everyone is accounted for
//!
//! Every employee of the dataset (and of the recap) ends up in exactly one of three
//! lists of the [`CityPayroll`]: a **slip**, a **failure** (the slip could not be
//! computed: the error's code and message, which name the field), or **not paid**
//! ([`NotPaid`]: not an error, e.g. no definitive position in the month because the
//! last assignment ended before it, with the record and field that decide it).
//! [`CityPayroll::summary`] counts the three and adds up the slips by rule, so that
//! a treasury can reconcile a payroll file's rows against its totals.
//!
//! An employee without a salary record is paid with a salary of zero for the
//! contribution's base (the allowance itself does not depend on the salary).
//!
//! [`check_month`] runs, without a journal, every per-employee check that paying
//! the month runs (it computes each employee's slip from neutral performance and
//! discipline figures): what `kinerja check` reports before a month is paid.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::allowance::{
    self, ActingInput, ActingKind, ActingRelation, AllowanceError, AllowanceInput, AllowanceParams, Comparison, Delta,
    DisciplineInput, PerformanceInput, RollCallsMissed, SanctionInput, Slip, Totals,
};
use crate::dataset::City;
use crate::error::Problem;
use crate::ids::{PositionId, UnitId};
use crate::ledger::MonthContext;
use crate::minutes::Minutes;
use crate::money::Money;
use crate::month::{DateRange, YearMonth};
use crate::org::{Assignment, AssignmentKind, Nip, Organisation, PositionKind};
use crate::policy::{Policy, PolicyError};
use crate::recap::{EmployeeRecap, MonthlyRecap};

/// Why a month could not be paid at all (per-employee failures are listed in
/// [`CityPayroll::failures`] instead).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PayrollError {
    /// The policy has no usable allowance parameters for the month.
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// A total overflowed.
    #[error(transparent)]
    Arithmetic(#[from] crate::ArithmeticError),
    /// The recap is for another month than the context.
    #[error("the recap is for {recap}, the context for {context}")]
    MonthMismatch {
        /// The recap's month.
        recap: YearMonth,
        /// The context's month.
        context: YearMonth,
    },
    /// Policy values in force for the month are not verified and the payment was not
    /// explicitly allowed to use them ([`PayOptions::allow_unverified`]).
    #[error(
        "{} allowance policy value(s) in force for {month} are not verified ({}); paying with them needs an explicit permission (kinerja tpp --allow-unverified), which every slip records",
        .values.len(),
        .values.iter().take(3).map(|(k, s)| format!("{k}: {}", s.as_str())).collect::<Vec<_>>().join(", ") + if .values.len() > 3 { ", ..." } else { "" }
    )]
    Unverified {
        /// The month.
        month: YearMonth,
        /// Every value not verified, `(key, status)`, in key order.
        values: Vec<(String, crate::policy::ValueStatus)>,
    },
    /// The month is open: the recap that pays is the closed one (see [`payable`]).
    #[error("{month} is not closed: the recap that pays is the closed one (an HR officer closes the month)")]
    NotClosed {
        /// The month.
        month: YearMonth,
    },
}

impl PayrollError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            PayrollError::Policy(e) => e.code(),
            PayrollError::Arithmetic(_) => "arithmetic",
            PayrollError::MonthMismatch { .. } => "month_mismatch",
            PayrollError::NotClosed { .. } => "month_not_closed",
            PayrollError::Unverified { .. } => "unverified_policy",
        }
    }
}

/// Salaries, sanctions and PTKP statuses by employee (dense index of the dataset),
/// looked up once per batch. Records of an employee the dataset does not have are
/// left out (no slip reads them).
struct Records<'c> {
    /// When built for one employee ([`Records::of_one`]): their dense index, and
    /// `salary` and `ptkp` hold their slot only.
    only: Option<usize>,
    salary: Vec<Option<(chrono::NaiveDate, Money)>>,
    sanctions: rustc_hash::FxHashMap<usize, Vec<&'c crate::dataset::SanctionRecord>>,
    /// The PTKP status in force on the month's last day (the latest record from then).
    ptkp: Vec<Option<(chrono::NaiveDate, crate::allowance::Ptkp)>>,
}

impl<'c> Records<'c> {
    /// Every employee's records.
    fn new(city: &'c City, month: YearMonth) -> Self {
        Records::build(city, month, None)
    }

    /// One employee's records (`nip`), for a slip opened on its own: the city's
    /// records are read once, without indexing everyone else's (a city of 100,000
    /// employees would otherwise pay for all of them on every slip opened).
    fn of_one(city: &'c City, month: YearMonth, nip: &Nip) -> Self {
        match city.organisation.employee_index(nip) {
            Some(i) => Records::build(city, month, Some((i, nip))),
            None => {
                Records { only: Some(usize::MAX), salary: vec![None], sanctions: Default::default(), ptkp: vec![None] }
            }
        }
    }

    fn build(city: &'c City, month: YearMonth, only: Option<(usize, &Nip)>) -> Self {
        let org = &city.organisation;
        let n = if only.is_some() { 1 } else { org.employees().len() };
        // The latest record from on or before the month's last day (the last of equals).
        fn latest<T: Copy>(slots: &mut [Option<(chrono::NaiveDate, T)>], i: usize, from: chrono::NaiveDate, v: T) {
            if let Some(slot) = slots.get_mut(i)
                && slot.is_none_or(|(f, _)| from >= f)
            {
                *slot = Some((from, v));
            }
        }
        // Where a record's employee is kept: for one employee, slot 0 when it is
        // theirs; otherwise the dense index (records listed in dataset order, one per
        // employee, need no lookup).
        let index = |k: usize, nip: &Nip| match only {
            Some((_, one)) => (nip == one).then_some(0),
            None => match org.employees().get(k) {
                Some(e) if &e.nip == nip => Some(k),
                _ => org.employee_index(nip),
            },
        };
        let mut salary = vec![None; n];
        for (k, s) in city.salaries.iter().enumerate().filter(|(_, s)| s.from <= month.last_day()) {
            if let Some(i) = index(k, &s.employee) {
                latest(&mut salary, i, s.from, s.salary);
            }
        }
        let mut sanctions: rustc_hash::FxHashMap<usize, Vec<_>> = Default::default();
        for s in &city.sanctions {
            let i = match only {
                Some((ix, one)) => (&s.employee == one).then_some(ix),
                None => org.employee_index(&s.employee),
            };
            if let Some(i) = i {
                sanctions.entry(i).or_default().push(s);
            }
        }
        let mut ptkp = vec![None; n];
        for (k, t) in city.tax_statuses.iter().enumerate().filter(|(_, t)| t.from <= month.last_day()) {
            if let Some(i) = index(k, &t.employee) {
                latest(&mut ptkp, i, t.from, t.ptkp);
            }
        }
        Records { only: only.map(|(i, _)| i), salary, sanctions, ptkp }
    }

    /// Where employee `ix`'s slot is in `salary` and `ptkp`.
    fn slot(&self, ix: usize) -> Option<usize> {
        match self.only {
            Some(one) => (one == ix).then_some(0),
            None => Some(ix),
        }
    }

    /// Employee `ix`'s salary record in force.
    fn salary(&self, ix: usize) -> Option<(chrono::NaiveDate, Money)> {
        self.slot(ix).and_then(|k| self.salary.get(k).copied().flatten())
    }

    /// Employee `ix`'s PTKP status in force.
    fn ptkp(&self, ix: usize) -> Option<(chrono::NaiveDate, crate::allowance::Ptkp)> {
        self.slot(ix).and_then(|k| self.ptkp.get(k).copied().flatten())
    }
}

/// The allowance input of one employee's recap, or `None` when the employee is not
/// paid this month (see [`input_or_reason`] for why).
pub fn allowance_input(city: &City, ctx: &MonthContext<'_>, r: &EmployeeRecap) -> Option<AllowanceInput> {
    input_with(city, ctx, r, None, &Records::of_one(city, ctx.month, &r.employee)).ok()
}

/// The allowance input of one employee's recap, or why the employee is not paid this
/// month: a [`NotPaid`] naming the record and field that decide it.
pub fn input_or_reason(city: &City, ctx: &MonthContext<'_>, r: &EmployeeRecap) -> Result<AllowanceInput, Box<NotPaid>> {
    input_with(city, ctx, r, None, &Records::of_one(city, ctx.month, &r.employee))
}

/// The part of the month whose days count: up to the cut-off when the month has one.
fn counted_range(ctx: &MonthContext<'_>) -> DateRange {
    let month = ctx.month;
    match ctx.cutoff {
        Some(c) if c < month.last_day() => DateRange { start: month.first_day(), end: c.max(month.first_day()) },
        _ => month.range(),
    }
}

/// The input's fields that come from the city's records (job class, rank, salary,
/// acting, sanctions), with neutral performance and discipline: the target met,
/// every assigned working day present, nothing missed. `hint` is the employee's
/// dense index in the dataset when the caller knows it (checked, else looked up).
fn record_input(
    city: &City,
    ctx: &MonthContext<'_>,
    (nip, hint): (&Nip, Option<usize>),
    position: &PositionId,
    records: &Records<'_>,
    count_days: bool,
) -> Result<AllowanceInput, Box<NotPaid>> {
    let mut input = blank_input(nip, ctx.month);
    record_input_into(&mut input, city, ctx, (nip, hint), position, records, count_days.then(|| counted_range(ctx)))?;
    Ok(input)
}

/// An input of `nip` for `month` with nothing in it yet, to be filled in place
/// ([`record_input_into`], [`input_into`]).
fn blank_input(nip: &Nip, month: YearMonth) -> AllowanceInput {
    AllowanceInput {
        employee: nip.clone(),
        month,
        job_class: 0,
        position: None,
        rank: crate::org::Rank::LOWEST,
        employment: crate::org::EmploymentType::Pns,
        salary: Money::ZERO,
        calendar_working_days: 0,
        assigned_working_days: 0,
        performance: PerformanceInput { target_minutes: Minutes::ZERO, verified_minutes: Minutes::ZERO },
        discipline: DisciplineInput {
            days_present: 0,
            late: [0; 4],
            early: [0; 4],
            unexcused_days: 0,
            absences: BTreeMap::new(),
            roll_calls_missed: RollCallsMissed::default(),
        },
        acting: Vec::new(),
        sanctions: Vec::new(),
        ptkp: None,
    }
}

/// [`record_input`] written into `input` (every field set but the absences, which
/// the caller sets: none for [`record_input`]'s blank input, the recap's in
/// [`input_into`]; its lists keep their room, so that a batch fills one input after
/// another without allocating). `count_days` is the part of the month whose working
/// days are counted, or `None` when the caller has them already (from the recap).
fn record_input_into(
    input: &mut AllowanceInput,
    city: &City,
    ctx: &MonthContext<'_>,
    (nip, hint): (&Nip, Option<usize>),
    position: &PositionId,
    records: &Records<'_>,
    count_days: Option<DateRange>,
) -> Result<(), Box<NotPaid>> {
    let org = &city.organisation;
    let month = ctx.month;
    let index = match hint {
        Some(i) if org.employees().get(i).is_some_and(|e| &e.nip == nip) => Some(i),
        _ => org.employee_index(nip),
    };
    let (ix, employee) = index.and_then(|i| Some((i, org.employees().get(i)?))).ok_or_else(|| {
        Box::new(NotPaid {
            employee: nip.clone(),
            unit: None,
            code: NotPaid::UNKNOWN_EMPLOYEE.into(),
            record: "recap".into(),
            field: "employee".into(),
            reason: format!("employee {nip} is in the recap but not in the dataset"),
        })
    })?;
    let position_record = org.position(position).ok_or_else(|| {
        Box::new(NotPaid {
            employee: nip.clone(),
            unit: None,
            code: NotPaid::UNKNOWN_POSITION.into(),
            record: "recap".into(),
            field: "position".into(),
            reason: format!("the recap names position `{position}`, which is not in the dataset"),
        })
    })?;
    let salary = records.salary(ix).map_or(Money::ZERO, |s| s.1);
    // Acting (Plt, Plh) days count only up to the cut-off, like every other day. The
    // policy decides whether a Plh earns anything (`allowance.acting.plh`).
    input.acting.clear();
    let mut counted = None;
    for x in org.assignments_at(ix).filter(|x| matches!(x.kind, AssignmentKind::Plt | AssignmentKind::Plh)) {
        let counted = *counted.get_or_insert_with(|| counted_range(ctx));
        let Some(covered) = DateRange::clip_open(x.from, x.until, counted) else { continue };
        let Some(acted) = org.position(&x.position) else { continue };
        input.acting.push(ActingInput {
            position: x.position.clone(),
            job_class: i64::from(acted.job_class.get()),
            working_days: i64::from(ctx.city.calendar.working_days(covered)),
            kind: if x.kind == AssignmentKind::Plh { ActingKind::Plh } else { ActingKind::Plt },
            relation: structural_relation(position_record.kind, acted.kind),
        });
    }
    input.sanctions.clear();
    input.sanctions.extend(records.sanctions.get(&ix).into_iter().flatten().map(|s| SanctionInput {
        level: s.level.clone(),
        effective_from: s.effective_from,
        months: i64::from(s.months),
        reference: s.reference.clone(),
    }));
    // Working days counted and those with a definitive position (skipped when the
    // caller has them already, from the recap).
    let (mut calendar_days, mut assigned_days) = (0i64, 0i64);
    if let Some(range) = count_days {
        // A rostered date is a working day when it has a shift, whatever the office
        // calendar says (as in the recap's target and attendance).
        for d in range.days().filter(|d| ctx.city.rosters.is_working_day(nip, *d, &ctx.city.calendar)) {
            calendar_days += 1;
            if org.definitive_assignment_at(ix, d) {
                assigned_days += 1;
            }
        }
    }
    input.employee = nip.clone();
    input.month = month;
    input.job_class = i64::from(position_record.job_class.get());
    input.position = None;
    input.rank = employee.rank;
    input.employment = employee.employment;
    input.salary = salary;
    input.calendar_working_days = calendar_days;
    input.assigned_working_days = assigned_days;
    input.performance = PerformanceInput { target_minutes: Minutes::ZERO, verified_minutes: Minutes::ZERO };
    let d = &mut input.discipline;
    d.days_present = assigned_days;
    d.late = [0; 4];
    d.early = [0; 4];
    d.unexcused_days = 0;
    d.roll_calls_missed = RollCallsMissed::default();
    input.ptkp = records.ptkp(ix).map(|p| p.1);
    Ok(())
}

/// The relation of an acted post to the employee's own by structural level (eselon:
/// JPT above administrator above pengawas) when both posts are structural; `None`
/// otherwise, and the engine compares job classes.
fn structural_relation(own: PositionKind, acted: PositionKind) -> Option<ActingRelation> {
    let level = |k: PositionKind| match k {
        PositionKind::Leadership => Some(3u8),
        PositionKind::Administrator => Some(2),
        PositionKind::Supervisor => Some(1),
        PositionKind::Functional | PositionKind::Executor => None,
    };
    let (own, acted) = (level(own)?, level(acted)?);
    Some(match acted.cmp(&own) {
        std::cmp::Ordering::Greater => ActingRelation::Higher,
        std::cmp::Ordering::Equal => ActingRelation::Equal,
        std::cmp::Ordering::Less => ActingRelation::Lower,
    })
}

fn input_with(
    city: &City,
    ctx: &MonthContext<'_>,
    r: &EmployeeRecap,
    hint: Option<usize>,
    records: &Records<'_>,
) -> Result<AllowanceInput, Box<NotPaid>> {
    let mut input = blank_input(&r.employee, ctx.month);
    input_into(&mut input, city, ctx, r, hint, records, &MonthDays::of(ctx))?;
    Ok(input)
}

/// The part of a month whose days count ([`counted_range`]) and whether a cut-off
/// shortens it, worked out once for a batch of inputs.
struct MonthDays {
    /// The counted part when a cut-off shortens the month (its working days are then
    /// counted for each input); `None` when the recap's own counts are those days.
    cut: Option<DateRange>,
}

impl MonthDays {
    fn of(ctx: &MonthContext<'_>) -> MonthDays {
        let counted = counted_range(ctx);
        MonthDays { cut: (counted != ctx.month.range()).then_some(counted) }
    }
}

/// The allowance input of one employee's recap written into `input` (see
/// [`record_input_into`]), or why the employee is not paid this month.
fn input_into(
    input: &mut AllowanceInput,
    city: &City,
    ctx: &MonthContext<'_>,
    r: &EmployeeRecap,
    hint: Option<usize>,
    records: &Records<'_>,
    days: &MonthDays,
) -> Result<(), Box<NotPaid>> {
    let Some(position) = r.position.as_ref() else {
        return Err(Box::new(NotPaid::without_position(&city.organisation, &r.employee, ctx.month)));
    };
    // Without a cut-off the recap's own counts are used (they are the same days).
    record_input_into(input, city, ctx, (&r.employee, hint), position, records, days.cut)?;
    let a = &r.attendance;
    let count = |n: u32| i64::from(n);
    let d = &mut input.discipline;
    d.days_present = count(a.days_present);
    d.late = [count(a.late[0].count), count(a.late[1].count), count(a.late[2].count), count(a.late[3].count)];
    d.early = [count(a.early[0].count), count(a.early[1].count), count(a.early[2].count), count(a.early[3].count)];
    d.unexcused_days = count(a.unexcused_days);
    // The recap's absences (those of a count), replacing the previous employee's in
    // place: a code both have keeps its key (no text copied per employee).
    d.absences.retain(|k, _| a.absences.get(k).is_some_and(|n| *n > 0));
    for (k, n) in a.absences.iter().filter(|(_, n)| **n > 0) {
        match d.absences.get_mut(k) {
            Some(slot) => *slot = count(*n),
            None => {
                d.absences.insert(k.clone(), count(*n));
            }
        }
    }
    d.roll_calls_missed = RollCallsMissed {
        morning: count(r.roll_call.morning.missed),
        afternoon: count(r.roll_call.afternoon.missed),
        ceremony: count(r.roll_call.ceremony.missed),
    };
    input.performance =
        PerformanceInput { target_minutes: r.target.target_minutes, verified_minutes: r.verified_minutes };
    if days.cut.is_none() {
        input.calendar_working_days = i64::from(r.target.calendar_working_days);
        input.assigned_working_days = i64::from(r.target.assigned_working_days);
    }
    Ok(())
}

/// Every paid employee's allowance input, in recap order (employees not paid are
/// left out; [`pay_city`] lists them with their reason).
pub fn allowance_inputs(city: &City, ctx: &MonthContext<'_>, recap: &MonthlyRecap) -> Vec<AllowanceInput> {
    let records = Records::new(city, ctx.month);
    recap.employees.iter().enumerate().filter_map(|(i, r)| input_with(city, ctx, r, Some(i), &records).ok()).collect()
}

/// One employee whose slip could not be computed, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PayrollFailure {
    /// The employee.
    pub employee: Nip,
    /// The work unit of the employee's position in the month, if any.
    #[serde(default)]
    pub unit: Option<UnitId>,
    /// The error's code.
    pub code: String,
    /// The error's message (it names the field at fault).
    pub message: String,
}

/// An employee of the dataset who is not paid this month, and why. Not an error: an
/// employee who left service or has not started yet is simply not paid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotPaid {
    /// The employee.
    pub employee: Nip,
    /// The work unit of the nearest definitive position (the last one before the
    /// month, else the first after it), if any.
    pub unit: Option<UnitId>,
    /// A stable code: one of the `NotPaid::*` constants.
    pub code: String,
    /// The kind of record that decides it (`assignment`, `employee`, `recap`).
    pub record: String,
    /// The field of that record (`until`, `from`, `kind`, `assignments`, ...).
    pub field: String,
    /// A sentence for people, with the dates and ids involved.
    pub reason: String,
}

impl NotPaid {
    /// The employee has no assignment at all in the dataset.
    pub const NO_ASSIGNMENT: &'static str = "no_assignment";
    /// The last definitive assignment ended before the month (left service, moved
    /// out, retired): field `until` of that assignment.
    pub const LEFT_SERVICE: &'static str = "left_service";
    /// The first definitive assignment starts after the month: field `from`.
    pub const NOT_YET_ASSIGNED: &'static str = "not_yet_assigned";
    /// Definitive assignments before and after the month, none in it.
    pub const NO_DEFINITIVE_POSITION: &'static str = "no_definitive_position";
    /// Only acting (Plt/Plh) assignments in the month: field `kind`.
    pub const ACTING_ONLY: &'static str = "acting_only";
    /// The employee is in the dataset but the recap has no row for them.
    pub const NOT_IN_RECAP: &'static str = "not_in_recap";
    /// The recap names an employee the dataset does not have.
    pub const UNKNOWN_EMPLOYEE: &'static str = "unknown_employee";
    /// The recap names a position the dataset does not have.
    pub const UNKNOWN_POSITION: &'static str = "unknown_position";
    /// The employee's unit has not gone live: its go-live date is after the month's
    /// first day, or it has none yet (field `go_live` of the unit's roll-out,
    /// [`crate::insights::UnitRollout`]). Set by [`hold_before_go_live`].
    pub const BEFORE_GO_LIVE: &'static str = "before_go_live";

    /// Why an employee without a definitive position in `month` is not paid.
    pub fn without_position(org: &Organisation, nip: &Nip, month: YearMonth) -> NotPaid {
        let unit_of = |a: &Assignment| org.position(&a.position).map(|p| p.unit.clone());
        let all: Vec<&Assignment> = org.assignments_of(nip).collect();
        let definitive: Vec<&Assignment> =
            all.iter().copied().filter(|a| a.kind == AssignmentKind::Definitive).collect();
        let range = month.range();
        let before =
            definitive.iter().copied().filter(|a| a.until.is_some_and(|u| u < range.start)).max_by_key(|a| a.until);
        let after = definitive.iter().copied().filter(|a| a.from > range.end).min_by_key(|a| a.from);
        let acting_in_month: Vec<&Assignment> = all
            .iter()
            .copied()
            .filter(|a| a.kind != AssignmentKind::Definitive && DateRange::clip_open(a.from, a.until, range).is_some())
            .collect();
        let unit = before.or(after).and_then(unit_of).or_else(|| acting_in_month.first().copied().and_then(unit_of));
        let make = |code: &str, record: &str, field: &str, reason: String| NotPaid {
            employee: nip.clone(),
            unit: unit.clone(),
            code: code.to_string(),
            record: record.to_string(),
            field: field.to_string(),
            reason,
        };
        if all.is_empty() {
            return make(
                Self::NO_ASSIGNMENT,
                "employee",
                "assignments",
                format!("employee {nip} has no assignment in the dataset"),
            );
        }
        if let Some(a) = acting_in_month.first() {
            return make(
                Self::ACTING_ONLY,
                "assignment",
                "kind",
                format!(
                    "no definitive position in {month}: only acting ({}) in {} (the allowance is paid for a definitive position)",
                    if a.kind == AssignmentKind::Plh { "Plh" } else { "Plt" },
                    a.position
                ),
            );
        }
        match (before, after) {
            (Some(b), Some(a)) => make(
                Self::NO_DEFINITIVE_POSITION,
                "assignment",
                "until",
                format!(
                    "no definitive position in {month}: the assignment to {} ended on {} and the one to {} starts on {}",
                    b.position,
                    b.until.map(|d| d.to_string()).unwrap_or_default(),
                    a.position,
                    a.from
                ),
            ),
            (Some(b), None) => make(
                Self::LEFT_SERVICE,
                "assignment",
                "until",
                format!(
                    "left service: the last definitive assignment (to {}) ended on {}, before {month}",
                    b.position,
                    b.until.map(|d| d.to_string()).unwrap_or_default()
                ),
            ),
            (None, Some(a)) => make(
                Self::NOT_YET_ASSIGNED,
                "assignment",
                "from",
                format!(
                    "not yet assigned: the first definitive assignment (to {}) starts on {}, after {month}",
                    a.position, a.from
                ),
            ),
            (None, None) => {
                make(Self::NO_DEFINITIVE_POSITION, "assignment", "kind", format!("no definitive position in {month}"))
            }
        }
    }
}

/// A work unit's slips added up.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UnitPayroll {
    /// The unit.
    pub unit: Option<UnitId>,
    /// Its totals.
    pub totals: Totals,
}

/// The sum of one rule's lines over every slip of a payroll.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleTotal {
    /// The rule id ([`allowance::rule_ids`]).
    pub rule: String,
    /// How many slip lines carry it.
    pub lines: usize,
    /// Their sum, with its sign.
    pub amount: Money,
}

/// What a payroll file's rows must add up to: how many employees it lists and in
/// which status, and the slips' sums by rule and in total.
///
/// `employees = paid + failed + not_paid`; the `by_rule` amounts of every rule
/// before `tax.pph21` add up to `gross`; `tax` and `contribution` are the
/// `tax.pph21` and `contribution.bpjs` sums; `net = gross + tax + contribution`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayrollSummary {
    /// Employees listed: every employee of the dataset and of the recap, once.
    pub employees: usize,
    /// Employees with a slip.
    pub paid: usize,
    /// Employees whose slip could not be computed.
    pub failed: usize,
    /// Employees not paid this month, with their reason.
    pub not_paid: usize,
    /// Every rule id in slip order ([`allowance::rule_ids`]), with its line count and sum
    /// (zero when no slip has it).
    pub by_rule: Vec<RuleTotal>,
    /// Sum of the ceilings.
    pub ceiling: Money,
    /// Sum of the gross amounts.
    pub gross: Money,
    /// Sum of the tax withheld (negative or zero).
    pub tax: Money,
    /// Sum of the contributions withheld (negative or zero).
    pub contribution: Money,
    /// Sum of the net amounts.
    pub net: Money,
}

impl PayrollSummary {
    /// The summary of a payroll's three lists.
    pub fn of(slips: &[Slip], failed: usize, not_paid: usize) -> Result<PayrollSummary, crate::ArithmeticError> {
        PayrollSummary::with_totals(slips, &Totals::of(slips)?, failed, not_paid)
    }

    /// The summary of a payroll whose slips' totals are already added up.
    fn with_totals(
        slips: &[Slip],
        totals: &Totals,
        failed: usize,
        not_paid: usize,
    ) -> Result<PayrollSummary, crate::ArithmeticError> {
        let rules = allowance::rule_ids();
        let index: HashMap<&str, usize> = rules.iter().enumerate().map(|(i, r)| (r.as_str(), i)).collect();
        let mut by_rule: Vec<RuleTotal> =
            rules.iter().map(|r| RuleTotal { rule: r.clone(), lines: 0, amount: Money::ZERO }).collect();
        for line in slips.iter().flat_map(|s| &s.lines) {
            // Every rule a slip carries is listed by rule_ids(); an unknown one gets a row of its own.
            let slot = match index.get(line.rule.as_str()) {
                Some(i) => by_rule.get_mut(*i),
                None => {
                    by_rule.push(RuleTotal { rule: line.rule.clone(), lines: 0, amount: Money::ZERO });
                    by_rule.last_mut()
                }
            };
            if let Some(t) = slot {
                t.lines += 1;
                t.amount = t.amount.checked_add(line.amount)?;
            }
        }
        let paid = slips.len();
        Ok(PayrollSummary {
            employees: paid + failed + not_paid,
            paid,
            failed,
            not_paid,
            by_rule,
            ceiling: totals.ceiling,
            gross: totals.gross,
            tax: totals.tax,
            contribution: totals.contribution,
            net: totals.net,
        })
    }
}

/// A city's month paid: every employee of the dataset is in exactly one of `slips`,
/// `failures` and `not_paid` (see the [module docs](self)).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CityPayroll {
    /// The month.
    pub month: YearMonth,
    /// Every slip, in recap order.
    pub slips: Vec<Slip>,
    /// The unit of each slip's employee (parallel to `slips`).
    pub slip_units: Vec<Option<UnitId>>,
    /// Employees whose slip could not be computed, with the error.
    pub failures: Vec<PayrollFailure>,
    /// Employees not paid this month, with the reason.
    #[serde(default)]
    pub not_paid: Vec<NotPaid>,
    /// Totals per work unit, in dataset order.
    pub units: Vec<UnitPayroll>,
    /// The city's totals.
    pub city: Totals,
    /// Who closed the month and when (from the recap). The recap that pays is the
    /// closed one: a payroll without a closure is a projection, not a payment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<crate::ledger::Closure>,
    /// The journal head the month's recap was computed from: the record this
    /// payment rests on (keep it with the payment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<crate::ledger::Head>,
    /// Counts and sums to reconcile the three lists against (last, so that the JSON
    /// form ends with it).
    #[serde(default)]
    pub summary: PayrollSummary,
}

impl CityPayroll {
    /// The slip of one employee.
    pub fn slip(&self, nip: &Nip) -> Option<&Slip> {
        self.slips.iter().find(|s| &s.employee == nip)
    }

    /// True when the month was closed: this payroll pays; otherwise it projects.
    pub fn is_final(&self) -> bool {
        self.closed.is_some()
    }

    /// True when every employee could be computed (no failure; employees not paid
    /// with a reason are not failures).
    pub fn is_complete(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Checks that a recap may be paid: its month was closed by an HR officer. An
/// open month's figures are a projection; every front end asks this before it
/// calls a payroll a payment (`month_not_closed` otherwise).
pub fn payable(recap: &MonthlyRecap) -> Result<(), PayrollError> {
    match recap.closed {
        Some(_) => Ok(()),
        None => Err(PayrollError::NotClosed { month: recap.month }),
    }
}

/// How a month is paid ([`pay_city_with`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayOptions {
    /// Pay although allowance policy values in force are not verified (recalled,
    /// illustrative or unstated; [`unverified_values`]). Each slip then records them
    /// ([`Slip::unverified`], slip version 3). Without it such a month is refused
    /// ([`PayrollError::Unverified`]).
    pub allow_unverified: bool,
}

/// The allowance policy keys the slips of `month` depend on: every key of
/// [`allowance::ALLOWANCE_KEYS`], [`allowance::PPPK_ALLOWANCE_KEYS`] and
/// [`allowance::VARIANT_ALLOWANCE_KEYS`] (their national values decide amounts too: at
/// most one acting add-on, no Plh add-on), and of [`allowance::CRITERIA_ALLOWANCE_KEYS`]
/// when the TPP criteria are in use ([`AllowanceParams::criteria_in_use`]; at their
/// neutral values they change nothing).
pub fn allowance_keys(policy: &Policy, month: YearMonth) -> Vec<&'static str> {
    let criteria = AllowanceParams::from_policy(policy, month).is_ok_and(|b| b.params.criteria_in_use());
    let extra: &[&'static str] = if criteria { &allowance::CRITERIA_ALLOWANCE_KEYS } else { &[] };
    allowance::ALLOWANCE_KEYS
        .iter()
        .chain(allowance::PPPK_ALLOWANCE_KEYS.iter())
        .chain(allowance::VARIANT_ALLOWANCE_KEYS.iter())
        .chain(extra.iter())
        .copied()
        .collect()
}

/// The allowance policy values in force for `month` (on its first day, as the slips
/// read them) that are not verified, `(key, status)`, among [`allowance_keys`].
pub fn unverified_values(policy: &Policy, month: YearMonth) -> Vec<(String, crate::policy::ValueStatus)> {
    let keys = allowance_keys(policy, month);
    policy.unverified(&keys, month.first_day())
}

/// [`pay_city`] with the provenance gate: refuses a month whose allowance values in
/// force are not all verified unless `options.allow_unverified`, and then records on
/// every slip the values paid with (`key (status)`).
pub fn pay_city_with(
    city: &City,
    ctx: &MonthContext<'_>,
    recap: &MonthlyRecap,
    policy: &Policy,
    options: &PayOptions,
) -> Result<CityPayroll, PayrollError> {
    let values = unverified_values(policy, ctx.month);
    if !values.is_empty() && !options.allow_unverified {
        return Err(PayrollError::Unverified { month: ctx.month, values });
    }
    let mut payroll = pay_city(city, ctx, recap, policy)?;
    let record: Vec<String> = values.iter().map(|(k, s)| format!("{k} ({})", s.as_str())).collect();
    for slip in &mut payroll.slips {
        slip.record_unverified(record.clone());
    }
    Ok(payroll)
}

/// Pays the recap's month under `policy`. Every employee of the recap and of the
/// dataset gets a slip, a failure or a not-paid reason.
///
/// This does **not** look at the provenance status of the policy values: a payment
/// goes through [`pay_city_with`], which refuses unverified values unless allowed and
/// records them on the slips.
pub fn pay_city(
    city: &City,
    ctx: &MonthContext<'_>,
    recap: &MonthlyRecap,
    policy: &Policy,
) -> Result<CityPayroll, PayrollError> {
    if recap.month != ctx.month {
        return Err(PayrollError::MonthMismatch { recap: recap.month, context: ctx.month });
    }
    let params = AllowanceParams::from_policy(policy, ctx.month)?;
    // A component paid per position (`allowance.components`) reads the input's position.
    let per_position =
        params.params.components.iter().any(|c| matches!(c.amounts, allowance::ComponentAmounts::Position(_)));
    let org = &city.organisation;
    let mut slips = Vec::with_capacity(recap.employees.len());
    let mut slip_units = Vec::with_capacity(recap.employees.len());
    let mut failures = Vec::new();
    let mut not_paid = Vec::new();
    let mut units: Vec<UnitPayroll> =
        org.units().iter().map(|u| UnitPayroll { unit: Some(u.id.clone()), totals: Totals::default() }).collect();
    let mut city_totals = Totals::default();
    let records = Records::new(city, ctx.month);
    let mut paid = Vec::with_capacity(recap.employees.len());
    let mut inputs = Vec::with_capacity(recap.employees.len());
    let mut seen: HashSet<&Nip> = HashSet::with_capacity(recap.employees.len());
    for (ri, r) in recap.employees.iter().enumerate() {
        if !seen.insert(&r.employee) {
            failures.push(PayrollFailure {
                employee: r.employee.clone(),
                unit: r.unit.clone(),
                code: "duplicate_recap_row".into(),
                message: format!("the recap lists employee {} more than once; only the first row is paid", r.employee),
            });
            continue;
        }
        match input_with(city, ctx, r, Some(ri), &records) {
            Ok(mut input) => {
                if per_position {
                    // Only then: an input without `position` keeps the hash it had before.
                    input.position = r.position.clone();
                }
                paid.push(r);
                inputs.push(input);
            }
            Err(reason) if reason.code == NotPaid::UNKNOWN_EMPLOYEE || reason.code == NotPaid::UNKNOWN_POSITION => {
                // The recap does not match the dataset: an error, not a reason not to pay.
                failures.push(PayrollFailure {
                    employee: r.employee.clone(),
                    unit: r.unit.clone(),
                    code: reason.code,
                    message: reason.reason,
                });
            }
            Err(reason) => not_paid.push(*reason),
        }
    }
    // Employees of the dataset the recap leaves out are listed too.
    for e in org.employees() {
        if !seen.contains(&e.nip) {
            let mut reason = NotPaid::without_position(org, &e.nip, ctx.month);
            reason.code = NotPaid::NOT_IN_RECAP.into();
            reason.record = "recap".into();
            reason.field = "employees".into();
            reason.reason = format!("employee {} is in the dataset but not in the recap of {}", e.nip, ctx.month);
            not_paid.push(reason);
        }
    }
    // The policy's share of every slip (values, references, hash prefix) is prepared once.
    for (r, result) in paid.into_iter().zip(allowance::pay_all(&inputs, &params)) {
        match result {
            Ok(slip) => {
                city_totals.add(&slip)?;
                if let Some(ui) = r.unit.as_ref().and_then(|u| org.unit_index(u))
                    && let Some(u) = units.get_mut(ui)
                {
                    u.totals.add(&slip)?;
                }
                slip_units.push(r.unit.clone());
                slips.push(slip);
            }
            Err(e) => failures.push(failure(&r.employee, r.unit.clone(), &e)),
        }
    }
    let summary = PayrollSummary::with_totals(&slips, &city_totals, failures.len(), not_paid.len())?;
    Ok(CityPayroll {
        month: ctx.month,
        slips,
        slip_units,
        failures,
        not_paid,
        units,
        city: city_totals,
        closed: recap.closed.clone(),
        head: Some(recap.head),
        summary,
    })
}

/// Sums of many slips' amounts without text keys: [`Totals`] with the rules as
/// columns ([`allowance::Rule`] indexes `by_rule` and `lines`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AmountTotals {
    /// Number of slips added.
    pub count: usize,
    /// Sum of the ceilings (`ceiling` lines).
    pub ceiling: Money,
    /// Sum of the gross amounts.
    pub gross: Money,
    /// Sum of the tax withheld (negative or zero).
    pub tax: Money,
    /// Sum of the contributions withheld (negative or zero).
    pub contribution: Money,
    /// Sum of the net amounts.
    pub net: Money,
    /// Sum of the lines of each rule, with its sign, by [`allowance::Rule::index`].
    pub by_rule: [Money; allowance::N_RULES],
    /// How many lines carry each rule, by [`allowance::Rule::index`].
    pub lines: [u32; allowance::N_RULES],
}

impl Default for AmountTotals {
    fn default() -> Self {
        AmountTotals {
            count: 0,
            ceiling: Money::ZERO,
            gross: Money::ZERO,
            tax: Money::ZERO,
            contribution: Money::ZERO,
            net: Money::ZERO,
            by_rule: [Money::ZERO; allowance::N_RULES],
            lines: [0; allowance::N_RULES],
        }
    }
}

impl AmountTotals {
    /// Adds one slip's amounts and lines (checked).
    pub fn add(
        &mut self,
        slip: &allowance::SlipAmounts,
        lines: &[allowance::LineAmount],
    ) -> Result<(), crate::ArithmeticError> {
        self.count += 1;
        self.gross = self.gross.checked_add(slip.gross)?;
        self.tax = self.tax.checked_add(slip.tax)?;
        self.contribution = self.contribution.checked_add(slip.contribution)?;
        self.net = self.net.checked_add(slip.net)?;
        for l in lines {
            let i = l.rule.index();
            if let (Some(sum), Some(n)) = (self.by_rule.get_mut(i), self.lines.get_mut(i)) {
                *sum = sum.checked_add(l.amount)?;
                *n += 1;
            }
            if l.rule == allowance::Rule::CEILING {
                self.ceiling = self.ceiling.checked_add(l.amount)?;
            }
        }
        Ok(())
    }

    /// Adds another batch's sums (checked): the totals of both together.
    pub fn absorb(&mut self, other: &AmountTotals) -> Result<(), crate::ArithmeticError> {
        self.count += other.count;
        self.ceiling = self.ceiling.checked_add(other.ceiling)?;
        self.gross = self.gross.checked_add(other.gross)?;
        self.tax = self.tax.checked_add(other.tax)?;
        self.contribution = self.contribution.checked_add(other.contribution)?;
        self.net = self.net.checked_add(other.net)?;
        for (i, (sum, n)) in self.by_rule.iter_mut().zip(self.lines.iter_mut()).enumerate() {
            let (m, k) =
                (other.by_rule.get(i).copied().unwrap_or(Money::ZERO), other.lines.get(i).copied().unwrap_or(0));
            if k > 0 {
                *sum = sum.checked_add(m)?;
                *n += k;
            }
        }
        Ok(())
    }

    /// The same sums as [`Totals`] (what [`CityPayroll::city`] holds for the same
    /// month): every rule other than `ceiling` that some line carries, by its id.
    pub fn to_totals(&self) -> Totals {
        let deductions_by_rule = allowance::RULE_NAMES
            .iter()
            .zip(self.by_rule.iter().zip(&self.lines))
            .filter(|(r, (_, n))| **r != "ceiling" && **n > 0)
            .map(|(r, (m, _))| ((*r).to_string(), *m))
            .collect();
        Totals {
            count: self.count,
            ceiling: self.ceiling,
            gross: self.gross,
            tax: self.tax,
            contribution: self.contribution,
            net: self.net,
            deductions_by_rule,
        }
    }
}

/// [`AmountTotals`] being added up in whole rupiah (128-bit integers: no decimal
/// addition per line), for [`pay_amounts`]. A slip with an amount that is not whole
/// rupiah (a policy rounding to cents) is added to `rest` in decimals instead; the
/// sums are the same exact numbers either way.
struct WholeSums {
    count: usize,
    ceiling: i128,
    gross: i128,
    tax: i128,
    contribution: i128,
    net: i128,
    by_rule: [i128; allowance::N_RULES],
    lines: [u32; allowance::N_RULES],
    /// Slips with an amount that is not whole rupiah.
    rest: Option<Box<AmountTotals>>,
}

impl Default for WholeSums {
    fn default() -> Self {
        WholeSums {
            count: 0,
            ceiling: 0,
            gross: 0,
            tax: 0,
            contribution: 0,
            net: 0,
            by_rule: [0; allowance::N_RULES],
            lines: [0; allowance::N_RULES],
            rest: None,
        }
    }
}

impl WholeSums {
    /// The whole-rupiah value of `m` (its mantissa at scale 0), if it is whole.
    fn whole(m: Money) -> Option<i128> {
        let d = m.amount();
        (d.scale() == 0).then(|| d.mantissa())
    }

    /// Adds one slip's amounts and lines (as [`AmountTotals::add`] does).
    fn add(
        &mut self,
        slip: &allowance::SlipAmounts,
        lines: &[allowance::LineAmount],
    ) -> Result<(), crate::ArithmeticError> {
        let w = Self::whole;
        let (Some(gross), Some(tax), Some(contribution), Some(net)) =
            (w(slip.gross), w(slip.tax), w(slip.contribution), w(slip.net))
        else {
            return self.rest.get_or_insert_with(Default::default).add(slip, lines);
        };
        if lines.iter().any(|l| l.amount.amount().scale() != 0) {
            return self.rest.get_or_insert_with(Default::default).add(slip, lines);
        }
        // 2^96 bounds every decimal mantissa: 2^31 slips of such sums stay far inside
        // i128, and `finish` reports a sum a decimal cannot hold as the overflow the
        // decimal additions would have reported.
        self.count += 1;
        self.gross += gross;
        self.tax += tax;
        self.contribution += contribution;
        self.net += net;
        for l in lines {
            let i = l.rule.index();
            let amount = l.amount.amount().mantissa();
            if let (Some(sum), Some(n)) = (self.by_rule.get_mut(i), self.lines.get_mut(i)) {
                *sum += amount;
                *n += 1;
            }
            if l.rule == allowance::Rule::CEILING {
                self.ceiling += amount;
            }
        }
        Ok(())
    }

    /// Adds another batch's sums.
    fn absorb(&mut self, other: &WholeSums) -> Result<(), crate::ArithmeticError> {
        self.count += other.count;
        self.ceiling += other.ceiling;
        self.gross += other.gross;
        self.tax += other.tax;
        self.contribution += other.contribution;
        self.net += other.net;
        for ((sum, n), (o, k)) in
            self.by_rule.iter_mut().zip(self.lines.iter_mut()).zip(other.by_rule.iter().zip(&other.lines))
        {
            *sum += o;
            *n += k;
        }
        if let Some(r) = &other.rest {
            self.rest.get_or_insert_with(Default::default).absorb(r)?;
        }
        Ok(())
    }

    /// The sums as money.
    fn finish(&self) -> Result<AmountTotals, crate::ArithmeticError> {
        let money = |v: i128| {
            rust_decimal::Decimal::try_from_i128_with_scale(v, 0)
                .map(Money::new)
                .map_err(|_| crate::ArithmeticError::Overflow { operation: "money addition" })
        };
        let mut by_rule = [Money::ZERO; allowance::N_RULES];
        for ((slot, v), n) in by_rule.iter_mut().zip(&self.by_rule).zip(&self.lines) {
            if *n > 0 {
                *slot = money(*v)?;
            }
        }
        let mut t = AmountTotals {
            count: self.count,
            ceiling: money(self.ceiling)?,
            gross: money(self.gross)?,
            tax: money(self.tax)?,
            contribution: money(self.contribution)?,
            net: money(self.net)?,
            by_rule,
            lines: self.lines,
        };
        if let Some(r) = &self.rest {
            t.absorb(r)?;
        }
        Ok(t)
    }
}

/// A city's month paid as amounts only ([`pay_amounts`]): every paid employee's
/// ceiling, gross, each line's rule and amount, tax, contribution and net, in
/// columns, with the unit and city totals. The same numbers as [`pay_city`]'s slips,
/// without their explanations and hashes; [`PayrollAmounts::explain`] computes the
/// full slip of one of them when someone opens it.
#[derive(Clone, Debug, PartialEq)]
pub struct PayrollAmounts {
    /// The month.
    pub month: YearMonth,
    /// The recap row (index in [`MonthlyRecap::employees`]) of each slip computed,
    /// parallel to `amounts.slips`: employees not paid are left out.
    pub rows: Vec<u32>,
    /// Each computed slip's amounts or error ([`allowance::pay_all_amounts`]).
    pub amounts: allowance::Amounts,
    /// The dataset unit index of each computed slip's employee (parallel to `rows`;
    /// `u32::MAX` without a unit).
    pub units_of: Vec<u32>,
    /// Totals per work unit, in dataset order (slips computed only).
    pub units: Vec<AmountTotals>,
    /// The city's totals.
    pub city: AmountTotals,
    /// Employees whose slip could not be computed (the allowance engine refused, or
    /// the recap row does not match the dataset or repeats an employee), as
    /// [`CityPayroll::failures`] counts them.
    pub failed: usize,
    /// Employees not paid this month, as [`CityPayroll::not_paid`] counts them.
    pub not_paid: usize,
}

impl PayrollAmounts {
    /// The full slip (explanations, quoted parameters, hashes) of computed slip `i`
    /// (an index of `rows`), exactly as [`pay_city`] gives it.
    pub fn explain(
        &self,
        city: &City,
        ctx: &MonthContext<'_>,
        recap: &MonthlyRecap,
        policy: &Policy,
        i: usize,
    ) -> Option<Result<Slip, AllowanceError>> {
        let row = recap.employees.get(*self.rows.get(i)? as usize)?;
        let params = match AllowanceParams::from_policy(policy, ctx.month) {
            Ok(p) => p,
            Err(e) => return Some(Err(e.into())),
        };
        let mut input = input_with(city, ctx, row, None, &Records::of_one(city, ctx.month, &row.employee)).ok()?;
        if per_position(&params) {
            input.position = row.position.clone();
        }
        Some(allowance::compute_slip_with(&input, &params))
    }
}

/// Whether a component is paid per position (`allowance.components`): the input then
/// carries the position.
fn per_position(params: &crate::policy::Bound<AllowanceParams>) -> bool {
    params.params.components.iter().any(|c| matches!(c.amounts, allowance::ComponentAmounts::Position(_)))
}

/// Pays the recap's month under `policy` as amounts only: every employee's
/// ceiling, lines, gross, tax, contribution and net, and the unit and city totals,
/// the same numbers as [`pay_city`] (the same code computes them, and a test holds
/// them equal for a whole generated city) without building any explanation,
/// quoted parameter or hash. For totals, budgets and figures; a slip someone
/// opens comes from [`PayrollAmounts::explain`] or [`pay_city`].
///
/// How it is kept fast (Banda Aceh, 5,925 employees: a few milliseconds on one
/// core; `benches/README.md`): one [`AllowanceInput`] is filled in place for every
/// employee (its lists keep their room; nothing is allocated per employee unless
/// the employee has absences, acting assignments or sanctions), the month's counted
/// days are worked out once, an employee without a position is counted as not paid
/// without wording the reason, and the unit and city totals are summed in whole
/// rupiah as 128-bit integers and made decimals once at the end (a slip with cents,
/// under a policy that keeps them, is summed in decimals beside them). Under a policy
/// rounding to whole rupiah each slip's rules run on 64-bit whole rupiah (the same
/// rules, generic over the amount; a slip with an amount in cents, or any failure,
/// is computed again in decimals), with the explanations compiled out.
///
/// Each call binds the policy for the month and indexes the city's salary, sanction
/// and PTKP records ([`PayPlan::new`]); paying the same month again, keep a
/// [`PayPlan`] and call [`PayPlan::pay_amounts`], which gives the same numbers.
pub fn pay_amounts(
    city: &City,
    ctx: &MonthContext<'_>,
    recap: &MonthlyRecap,
    policy: &Policy,
) -> Result<PayrollAmounts, PayrollError> {
    if recap.month != ctx.month {
        return Err(PayrollError::MonthMismatch { recap: recap.month, context: ctx.month });
    }
    PayPlan::new(city, ctx.month, policy)?.pay_amounts(ctx, recap)
}

/// A month's pay plan: the allowance parameters bound for the month and the city's
/// salary, sanction and PTKP records indexed by employee, worked out once
/// ([`PayPlan::new`]) and read by every pay of the month ([`PayPlan::pay_amounts`]).
/// [`pay_amounts`] makes one for each call; a service that pays the same month again
/// (after each recap) keeps one, which saves the binding of the policy and the
/// indexing of the records each time. It borrows the city, which cannot change
/// while the plan lives.
pub struct PayPlan<'c> {
    city: &'c City,
    month: YearMonth,
    params: crate::policy::Bound<AllowanceParams>,
    records: Records<'c>,
}

impl std::fmt::Debug for PayPlan<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PayPlan").field("month", &self.month).finish_non_exhaustive()
    }
}

impl<'c> PayPlan<'c> {
    /// The plan of `month` for `city` under `policy` (the policy's allowance values
    /// in force for the month, refused as [`pay_amounts`] refuses them).
    pub fn new(city: &'c City, month: YearMonth, policy: &Policy) -> Result<PayPlan<'c>, PayrollError> {
        let params = AllowanceParams::from_policy(policy, month)?;
        Ok(PayPlan { city, month, params, records: Records::new(city, month) })
    }

    /// The month the plan pays.
    pub fn month(&self) -> YearMonth {
        self.month
    }

    /// [`pay_amounts`] with this plan: the same numbers. `ctx` must be a context of
    /// the plan's city and month (another month is [`PayrollError::MonthMismatch`];
    /// another city is refused as a policy error naming `payroll.plan`).
    pub fn pay_amounts(&self, ctx: &MonthContext<'_>, recap: &MonthlyRecap) -> Result<PayrollAmounts, PayrollError> {
        if recap.month != ctx.month {
            return Err(PayrollError::MonthMismatch { recap: recap.month, context: ctx.month });
        }
        if ctx.month != self.month {
            return Err(PayrollError::MonthMismatch { recap: self.month, context: ctx.month });
        }
        if !std::ptr::eq(ctx.city, self.city) {
            return Err(PayrollError::Policy(PolicyError::BadValue {
                key: "payroll.plan".into(),
                message: "the pay plan was made for another city than the month context's".into(),
            }));
        }
        let city = self.city;
        let params = &self.params;
        let records = &self.records;
        let per_position = per_position(params);
        let prep = match allowance::Prepared::new_for_amounts(params) {
            Ok(p) => p,
            Err(e) => {
                return Err(PayrollError::Policy(PolicyError::BadValue {
                    key: "allowance".into(),
                    message: e.to_string(),
                }));
            }
        };
        let org = &city.organisation;
        let n = recap.employees.len();
        let mut out = PayrollAmounts {
            month: ctx.month,
            rows: Vec::with_capacity(n),
            amounts: allowance::Amounts {
                slips: Vec::with_capacity(n),
                line_ranges: Vec::with_capacity(n),
                lines: Vec::with_capacity(n * 6),
            },
            units_of: Vec::with_capacity(n),
            units: vec![AmountTotals::default(); org.units().len()],
            city: AmountTotals::default(),
            failed: 0,
            not_paid: 0,
        };
        // Who the recap lists, by dataset index (a recap in dataset order needs no lookup).
        let employees = org.employees();
        let mut seen = vec![false; employees.len()];
        let mut unknown_seen: HashSet<&Nip> = HashSet::new();
        // One input filled in place for every employee (its lists keep their room).
        let days = MonthDays::of(ctx);
        let mut slot: Option<AllowanceInput> = None;
        for (ri, r) in recap.employees.iter().enumerate() {
            let index = match employees.get(ri) {
                Some(e) if e.nip == r.employee => Some(ri),
                _ => org.employee_index(&r.employee),
            };
            let first = match index.and_then(|i| seen.get_mut(i)) {
                Some(s) => !std::mem::replace(s, true),
                None => unknown_seen.insert(&r.employee),
            };
            if !first {
                out.failed += 1;
                continue;
            }
            if r.position.is_none() {
                // Not paid: no definitive position in the month (the reason, which
                // `pay_city` words, is not needed for a count).
                out.not_paid += 1;
                continue;
            }
            let input = slot.get_or_insert_with(|| blank_input(&r.employee, ctx.month));
            match input_into(input, city, ctx, r, index, records, &days) {
                Ok(()) => {
                    if per_position {
                        input.position = r.position.clone();
                    }
                    out.amounts.push(&prep, input);
                    out.rows.push(ri as u32);
                    let unit = r.unit.as_ref().and_then(|u| org.unit_index(u));
                    out.units_of.push(unit.map_or(u32::MAX, |u| u as u32));
                }
                Err(reason) if reason.code == NotPaid::UNKNOWN_EMPLOYEE || reason.code == NotPaid::UNKNOWN_POSITION => {
                    out.failed += 1;
                }
                Err(_) => out.not_paid += 1,
            }
        }
        out.not_paid += seen.iter().filter(|s| !**s).count();
        // Each slip is added to its unit (or to the rest, without a unit), in whole rupiah;
        // the city is the sum of those (exact sums: the same as adding every slip to the
        // city in decimals).
        let mut sums: Vec<WholeSums> = Vec::with_capacity(out.units.len());
        sums.resize_with(out.units.len(), WholeSums::default);
        let mut rest = WholeSums::default();
        for (i, (slip, &unit)) in out.amounts.slips.iter().zip(&out.units_of).enumerate() {
            match slip {
                Ok(slip) => {
                    let lines = out.amounts.lines_of(i);
                    match sums.get_mut(unit as usize) {
                        Some(u) => u.add(slip, lines)?,
                        None => rest.add(slip, lines)?,
                    }
                }
                Err(_) => out.failed += 1,
            }
        }
        let mut city = WholeSums::default();
        for (u, total) in sums.iter().zip(out.units.iter_mut()) {
            *total = u.finish()?;
            city.absorb(u)?;
        }
        city.absorb(&rest)?;
        out.city = city.finish()?;
        Ok(out)
    }
}

/// Holds the slips of units that have not gone live: every slip whose unit is in
/// `rollout` and does not pay the month ([`crate::insights::UnitRollout::pays`]) moves
/// to `not_paid` with [`NotPaid::BEFORE_GO_LIVE`], and the unit, city and summary totals
/// are added up again. Units not in `rollout` are untouched, so a city without a
/// roll-out pays as before.
pub fn hold_before_go_live(
    payroll: &mut CityPayroll,
    rollout: &[crate::insights::UnitRollout],
) -> Result<(), PayrollError> {
    let month = payroll.month;
    let held =
        |u: &Option<UnitId>| u.as_ref().and_then(|u| rollout.iter().find(|r| &r.unit == u)).filter(|r| !r.pays(month));
    if !payroll.slip_units.iter().any(|u| held(u).is_some()) {
        return Ok(());
    }
    let slips = std::mem::take(&mut payroll.slips);
    let units = std::mem::take(&mut payroll.slip_units);
    let mut city = Totals::default();
    for u in &mut payroll.units {
        u.totals = Totals::default();
    }
    for (slip, unit) in slips.into_iter().zip(units) {
        if let Some(r) = held(&unit) {
            let when = r.go_live.map_or_else(|| "no go-live date yet".to_string(), |d| format!("goes live on {d}"));
            payroll.not_paid.push(NotPaid {
                employee: slip.employee.clone(),
                unit: unit.clone(),
                code: NotPaid::BEFORE_GO_LIVE.into(),
                record: "rollout".into(),
                field: "go_live".into(),
                reason: format!("unit `{}` {when}: its data does not pay {month} (a shadow month at most)", r.unit),
            });
            continue;
        }
        city.add(&slip)?;
        if let Some(t) = payroll.units.iter_mut().find(|t| t.unit == unit) {
            t.totals.add(&slip)?;
        }
        payroll.slips.push(slip);
        payroll.slip_units.push(unit);
    }
    payroll.city = city;
    payroll.summary =
        PayrollSummary::with_totals(&payroll.slips, &payroll.city, payroll.failures.len(), payroll.not_paid.len())?;
    Ok(())
}

fn failure(nip: &Nip, unit: Option<UnitId>, e: &AllowanceError) -> PayrollFailure {
    PayrollFailure { employee: nip.clone(), unit, code: e.code().to_string(), message: e.to_string() }
}

/// What [`check_month`] found: who paying the month would fail, who would not be paid
/// and why, and how many employees were checked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthCheck {
    /// The month checked.
    pub month: YearMonth,
    /// Employees whose slip the records alone let the engine compute.
    pub payable: usize,
    /// Employees whose slip could not be computed whatever the journal holds.
    pub failures: Vec<PayrollFailure>,
    /// Employees who will not be paid, with the reason.
    pub not_paid: Vec<NotPaid>,
    /// Problems of records that payroll reads but no month's slip checks in full
    /// (e.g. a sanction level the policy did not know when the sanction took effect).
    pub problems: Vec<Problem>,
}

/// Runs, without a journal, every per-employee check that paying `ctx.month` under
/// `policy` runs: each employee with a definitive position gets a slip computed from
/// the city's records (job class, rank, salary, acting, sanctions) with neutral
/// performance and discipline figures, through the same engine as [`pay_city`]; any
/// error there would fail that employee's slip whatever the journal holds. Also checks
/// every sanction record's level and duration against the policy in force in the month
/// it took effect.
///
/// Fails only when the month cannot be paid at all (the policy does not bind).
pub fn check_month(city: &City, ctx: &MonthContext<'_>, policy: &Policy) -> Result<MonthCheck, PayrollError> {
    let month = ctx.month;
    let params = AllowanceParams::from_policy(policy, month)?;
    let org = &city.organisation;
    let records = Records::new(city, month);
    let mut not_paid = Vec::new();
    let mut failures = Vec::new();
    let mut inputs = Vec::new();
    let mut units = Vec::new();
    for (ei, e) in org.employees().iter().enumerate() {
        let position = org
            .assignments_of(&e.nip)
            .filter(|a| a.kind == AssignmentKind::Definitive)
            .filter(|a| a.from <= month.last_day() && a.until.is_none_or(|u| u >= month.first_day()))
            .max_by_key(|a| a.from);
        let Some(a) = position else {
            not_paid.push(NotPaid::without_position(org, &e.nip, month));
            continue;
        };
        let unit = org.position(&a.position).map(|p| p.unit.clone());
        match record_input(city, ctx, (&e.nip, Some(ei)), &a.position, &records, true) {
            Ok(input) => {
                inputs.push(input);
                units.push(unit);
            }
            Err(reason) => failures.push(PayrollFailure {
                employee: e.nip.clone(),
                unit,
                code: reason.code,
                message: reason.reason,
            }),
        }
    }
    let mut payable = 0;
    for ((input, unit), result) in inputs.iter().zip(units).zip(allowance::pay_all(&inputs, &params)) {
        match result {
            Ok(_) => payable += 1,
            Err(e) => failures.push(failure(&input.employee, unit, &e)),
        }
    }
    let problems = check_sanction_records(city, policy);
    Ok(MonthCheck { month, payable, failures, not_paid, problems })
}

/// Every sanction record against the policy in force in the month it took effect:
/// its level must be one `allowance.sanctions` defines and its duration one the level
/// allows (record `sanction`, id `#index`, as the dataset reports sanctions).
pub fn check_sanction_records(city: &City, policy: &Policy) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut bound: BTreeMap<YearMonth, Result<crate::policy::Bound<AllowanceParams>, PolicyError>> = BTreeMap::new();
    for (i, s) in city.sanctions.iter().enumerate() {
        let month = YearMonth::of(s.effective_from);
        let params = bound.entry(month).or_insert_with(|| AllowanceParams::from_policy(policy, month));
        let id = format!("#{i}");
        match params {
            Err(e) => problems.push(Problem::new(
                "sanction",
                &id,
                "effective_from",
                e.code(),
                format!("the allowance policy of {month} cannot be bound: {e}"),
            )),
            Ok(p) => match p.params.sanctions.get(&s.level) {
                None => problems.push(Problem::new(
                    "sanction",
                    &id,
                    "level",
                    "unknown_sanction_level",
                    format!(
                        "`{}` is not a sanction level of the policy in force in {month} (known: {})",
                        s.level,
                        p.params.sanctions.keys().cloned().collect::<Vec<_>>().join(", ")
                    ),
                )),
                Some(level) if !level.months.contains(&s.months) => problems.push(Problem::new(
                    "sanction",
                    &id,
                    "months",
                    "sanction_months_not_allowed",
                    format!(
                        "{} months is not a duration level `{}` allows (allowed: {:?})",
                        s.months, s.level, level.months
                    ),
                )),
                Some(_) => {}
            },
        }
    }
    problems
}

/// The same month paid under a current and a proposed policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WhatIf {
    /// The month paid under the current policy.
    pub current: CityPayroll,
    /// The month paid under the proposed policy.
    pub proposed: CityPayroll,
    /// Per-employee and city comparison.
    pub comparison: Comparison,
    /// Deltas per work unit (`""` for employees without a unit).
    pub units: BTreeMap<String, Delta>,
}

/// Pays the recap's month under two policies and compares them: the budget
/// impact of a proposed regulation change, per employee, unit and city.
pub fn what_if(
    city: &City,
    ctx: &MonthContext<'_>,
    recap: &MonthlyRecap,
    current: &Policy,
    proposed: &Policy,
) -> Result<WhatIf, PayrollError> {
    let a = pay_city(city, ctx, recap, current)?;
    let b = pay_city(city, ctx, recap, proposed)?;
    let comparison = allowance::compare(&a.slips, &b.slips);
    let unit_of: BTreeMap<&Nip, String> = a
        .slips
        .iter()
        .zip(&a.slip_units)
        .chain(b.slips.iter().zip(&b.slip_units))
        .map(|(s, u)| (&s.employee, u.as_ref().map(|u| u.to_string()).unwrap_or_default()))
        .collect();
    let units = comparison.group_by(|nip| unit_of.get(nip).cloned());
    Ok(WhatIf { current: a, proposed: b, comparison, units })
}
