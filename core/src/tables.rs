//! One month's record as flat tables: what an analyst's script or a regional PHP
//! system's SQL would read, for the reference implementations in
//! `benches/reference/` (pandas and SQLite), which recompute every employee's
//! allowance from these rows and must agree with [`crate::payroll::pay_city`] to the
//! rupiah.
//!
//! The tables are the **record**, not results: raw clock events (not judged days),
//! activity entries with their quantities, standard minutes, times and status (not
//! credited minutes), absences as recorded, roll-call lists, ceremonies, the office
//! calendar and the roster's shifts, employees, positions, assignments, salaries and
//! sanctions, and the policy values in force as numbers ([`ParamsRow`] and the small
//! lookup tables). A reference has to do the engine's work itself: attribute scans
//! to shifts, judge every day (lateness bands, missing scans, absences), sum each
//! day's approved minutes under the caps, count roll calls missed, count the target
//! and the proration's days, and compute the slip with its roundings and tax.
//!
//! Percentages are given in hundredths of a percent (`*_bp`: 0.5 % is 50), so that
//! a reference computes in integers; money in whole rupiah. [`flat_tables`] refuses
//! (a typed [`TablesError`] naming the policy key) a month whose policy uses what the
//! references do not implement: rules changing inside the month, a cut-off day,
//! TPP components or other parts than the 60/40 pair, count-based discipline rules,
//! the attendance gate, deductions from the whole allowance, the BPK-index ceiling,
//! the TER tax method, acting shares by relation, sanctions cutting the acting
//! add-ons or counting from the next month, and any rounding other than whole rupiah
//! with halves up. The national baseline uses none of them.
//!
//! No I/O: the CLI's `kinerja export-tables` writes the rows as CSV files.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use crate::activity::PendingAtDeadline;
use crate::allowance::{AllowanceParams, CeilingMethod, DeductionBase, SanctionWindow, TaxMethod};
use crate::attendance::{AbsenceKind, ClockDirection, MinuteRounding, MissingScanRule};
use crate::dataset::City;
use crate::ledger::{Ledger, MonthContext};
use crate::money::{Money, RoundingRule};
use crate::org::{AssignmentKind, EmploymentType};
use crate::policy::{Policy, PolicyError};
use crate::rollcall::RollCallKind;
use crate::roster::Rostered;

/// Why a month cannot be exported as flat tables.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TablesError {
    /// The allowance policy of the month does not bind.
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// The month's policy uses something the reference implementations do not
    /// implement (the key says what).
    #[error("policy key `{key}`: {reason}; the reference implementations do not implement it")]
    Unsupported {
        /// The policy key.
        key: &'static str,
        /// What is used.
        reason: String,
    },
    /// An amount or a percentage does not fit the tables' integer units (whole rupiah,
    /// hundredths of a percent).
    #[error("{record}, field `{field}`: {value} is not a whole number of {unit}")]
    NotWhole {
        /// The record (`ceiling`, `salary`, `params`, ...).
        record: &'static str,
        /// The field.
        field: String,
        /// The value.
        value: String,
        /// The unit expected.
        unit: &'static str,
    },
}

impl TablesError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            TablesError::Policy(e) => e.code(),
            TablesError::Unsupported { .. } => "unsupported_by_reference",
            TablesError::NotWhole { .. } => "not_whole",
        }
    }
}

/// The policy values in force for the month, one row (the column names are the
/// references' names; `*_bp` are hundredths of a percent, flags 0 or 1).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ParamsRow {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// Its first day.
    pub first_day: NaiveDate,
    /// Its last day (also the last day evaluated: the month is settled).
    pub last_day: NaiveDate,
    /// `targets.daily_minutes`.
    pub daily_minutes: i64,
    /// `activity.daily_cap_minutes`.
    pub daily_cap_minutes: i64,
    /// `activity.cap_daily`.
    pub cap_daily: u8,
    /// `activity.cap_by_time_span`.
    pub cap_by_time_span: u8,
    /// 1 when entries still submitted after the verification deadline count as
    /// approved (`activity.pending_at_deadline = auto_approve`; the month is settled).
    pub pending_counts: u8,
    /// `attendance.late_grace_seconds`.
    pub late_grace_seconds: i64,
    /// `attendance.early_grace_seconds`.
    pub early_grace_seconds: i64,
    /// `attendance.minute_rounding`: 1 counts every started minute (ceil), 0 whole minutes.
    pub minutes_started: u8,
    /// `attendance.band_limits_minutes`, the upper bound of band 1.
    pub band1_max: i64,
    /// The upper bound of band 2.
    pub band2_max: i64,
    /// The upper bound of band 3 (above is band 4).
    pub band3_max: i64,
    /// `attendance.missing_check_in`: 1 when a missing check-in makes the day unexcused
    /// (`absent`), 0 when it counts as band 4.
    pub missing_in_absent: u8,
    /// `attendance.missing_check_out`, as `missing_in_absent`.
    pub missing_out_absent: u8,
    /// `attendance.shift_scan_margin_minutes`.
    pub shift_margin_minutes: i64,
    /// `rollcall.morning`.
    pub rollcall_morning: u8,
    /// `rollcall.afternoon`.
    pub rollcall_afternoon: u8,
    /// `allowance.weight_performance`.
    pub weight_performance_bp: i64,
    /// `allowance.deduction.late`, TL1.
    pub late1_bp: i64,
    /// TL2.
    pub late2_bp: i64,
    /// TL3.
    pub late3_bp: i64,
    /// TL4.
    pub late4_bp: i64,
    /// `allowance.deduction.early`, PSW1.
    pub early1_bp: i64,
    /// PSW2.
    pub early2_bp: i64,
    /// PSW3.
    pub early3_bp: i64,
    /// PSW4.
    pub early4_bp: i64,
    /// `allowance.deduction.unexcused_per_day`.
    pub unexcused_bp: i64,
    /// `allowance.deduction.roll_call_per_miss`.
    pub roll_call_bp: i64,
    /// `allowance.deduction.ceremony_per_miss`.
    pub ceremony_bp: i64,
    /// `allowance.cpns_percent`.
    pub cpns_percent_bp: i64,
    /// `allowance.proration`.
    pub proration: u8,
    /// `allowance.acting_percent`.
    pub acting_percent_bp: i64,
    /// `allowance.acting_min_days`.
    pub acting_min_days: i64,
    /// `allowance.acting.max_addons` (0 = no limit).
    pub acting_max_addons: i64,
    /// `allowance.acting.plh`.
    pub acting_plh: u8,
    /// `allowance.acting_pppk`.
    pub acting_pppk: u8,
    /// `allowance.bpjs.percent`.
    pub bpjs_bp: i64,
    /// `allowance.bpjs.cap`, rupiah.
    pub bpjs_cap: i64,
}

/// `allowance.ceilings`: the ceiling of a job class.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CeilingRow {
    /// The job class, 1..=17.
    pub job_class: i64,
    /// Rupiah.
    pub ceiling: i64,
}

/// `allowance.tax.flat` (scheme `pns`, by rank group) and `allowance.tax.flat_pppk`
/// (scheme `pppk`, by grade).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TaxRateRow {
    /// `pns` (PNS and CPNS, by rank group) or `pppk` (by PPPK grade).
    pub scheme: &'static str,
    /// The group or grade as written in the rank (`III`, `IX`).
    pub golongan: &'static str,
    /// The rate.
    pub rate_bp: i64,
}

/// An absence kind: its deduction per working day (`allowance.deduction.absence_per_day`)
/// and whether its days reduce the target (`targets.reducing_absences`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AbsenceKindRow {
    /// The code (`permit`, `leave.annual`, ...), in the engine's order.
    pub code: &'static str,
    /// Percent deducted per working day (0 for none).
    pub deduct_bp: i64,
    /// 1 when its days reduce the month's minute target.
    pub reduces_target: u8,
}

/// `allowance.sanctions`: a sanction level's cut.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SanctionLevelRow {
    /// The level (`medium`).
    pub level: String,
    /// The cut while in force.
    pub cut_bp: i64,
}

/// A day of the month in the office calendar.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CalendarRow {
    /// The date.
    pub date: NaiveDate,
    /// 1 on a working day.
    pub working: u8,
    /// Office hours' start (empty on a non-working day).
    pub start: Option<NaiveTime>,
    /// Office hours' end.
    pub end: Option<NaiveTime>,
}

/// An employee.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EmployeeRow {
    /// NIP (or NI PPPK).
    pub nip: String,
    /// `PNS`, `CPNS` or `PPPK`.
    pub employment: &'static str,
    /// The rank as written (`III/c`, or a PPPK grade `IX`).
    pub rank: String,
    /// The tax scheme of [`TaxRateRow`]: `pns` or `pppk`.
    pub tax_scheme: &'static str,
    /// The rank group (`III`) or PPPK grade (`IX`): the key of the tax rate.
    pub golongan: &'static str,
    /// 1 when the employee has roster entries (shifts replace the office calendar on
    /// the dates the roster speaks of).
    pub rostered: u8,
}

/// A salary record (the latest one from on or before the month's last day applies).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SalaryRow {
    /// The employee.
    pub nip: String,
    /// In force from.
    pub from: NaiveDate,
    /// Monthly salary, rupiah.
    pub salary: i64,
}

/// A position.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PositionRow {
    /// The position's id.
    pub position: String,
    /// Its work unit.
    pub unit: String,
    /// Its job class.
    pub job_class: i64,
}

/// An assignment to a position, in the order the organisation keeps an employee's
/// assignments (`seq`: by first day; ties broken by this order).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AssignmentRow {
    /// Order among all rows.
    pub seq: i64,
    /// The employee.
    pub nip: String,
    /// The position.
    pub position: String,
    /// `definitive`, `plt` or `plh`.
    pub kind: &'static str,
    /// First day.
    pub from: NaiveDate,
    /// Last day, inclusive; empty when open.
    pub until: Option<NaiveDate>,
}

/// A disciplinary sanction on record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SanctionRow {
    /// Order among all rows (the first of equal cuts is the one quoted).
    pub seq: i64,
    /// The employee.
    pub nip: String,
    /// The level.
    pub level: String,
    /// First day in force (its month is the first month).
    pub effective_from: NaiveDate,
    /// Duration in months.
    pub months: i64,
}

/// What the roster says of an employee on a date, from the day before the month to
/// the day after it (a night shift crosses the month's edges).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RosterRow {
    /// The employee.
    pub nip: String,
    /// The date the shift starts (or the day off).
    pub date: NaiveDate,
    /// The shift's code, or `off` for a rostered day off.
    pub shift: String,
    /// The shift's start (empty on a day off).
    pub start: Option<NaiveDateTime>,
    /// The shift's end, the next day for a night shift.
    pub end: Option<NaiveDateTime>,
}

/// A clock event (scan).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ClockRow {
    /// Who scanned.
    pub nip: String,
    /// When.
    pub at: NaiveDateTime,
    /// `in` or `out`.
    pub direction: &'static str,
}

/// An absence as recorded (`seq`: record order; where two cover a day, the first judges it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AbsenceRow {
    /// Record order.
    pub seq: i64,
    /// Who.
    pub nip: String,
    /// The kind's code.
    pub kind: &'static str,
    /// For `off_site_half_day`: the scan it replaces (`in` or `out`); empty otherwise.
    pub replaces: Option<&'static str>,
    /// First day.
    pub start: NaiveDate,
    /// Last day, inclusive.
    pub end: NaiveDate,
}

/// An activity entry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ActivityRow {
    /// Whose work.
    pub nip: String,
    /// The day.
    pub date: NaiveDate,
    /// Start time.
    pub start: NaiveTime,
    /// End time.
    pub end: NaiveTime,
    /// Units claimed.
    pub quantity: i64,
    /// Units approved (empty unless approved).
    pub approved_quantity: Option<i64>,
    /// Standard minutes per unit.
    pub standard_minutes: i64,
    /// `submitted`, `approved`, `rejected` or `returned`.
    pub status: &'static str,
}

/// One name on a roll-call list (`seq`: list order; within a list the `attended`
/// names are marked before the `absent` ones; the last mark of a day and kind holds).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RollCallRow {
    /// List order.
    pub seq: i64,
    /// The day.
    pub date: NaiveDate,
    /// `morning`, `afternoon` or `ceremony`.
    pub kind: &'static str,
    /// Who.
    pub nip: String,
    /// `attended` or `absent`.
    pub mark: &'static str,
}

/// A ceremony (*upacara*) held.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CeremonyRow {
    /// The day.
    pub date: NaiveDate,
}

/// Every table of one month (see the [module docs](self)).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct FlatTables {
    /// One row of policy values.
    pub params: Vec<ParamsRow>,
    /// Ceilings per job class.
    pub ceilings: Vec<CeilingRow>,
    /// Flat tax rates.
    pub tax_rates: Vec<TaxRateRow>,
    /// Absence kinds.
    pub absence_kinds: Vec<AbsenceKindRow>,
    /// Sanction levels.
    pub sanction_levels: Vec<SanctionLevelRow>,
    /// The month's days in the office calendar.
    pub calendar: Vec<CalendarRow>,
    /// Employees.
    pub employees: Vec<EmployeeRow>,
    /// Salary records.
    pub salaries: Vec<SalaryRow>,
    /// Positions.
    pub positions: Vec<PositionRow>,
    /// Assignments.
    pub assignments: Vec<AssignmentRow>,
    /// Sanctions.
    pub sanctions: Vec<SanctionRow>,
    /// Roster rows around the month.
    pub roster: Vec<RosterRow>,
    /// Clock events.
    pub clock_events: Vec<ClockRow>,
    /// Absences.
    pub absences: Vec<AbsenceRow>,
    /// Activity entries.
    pub activities: Vec<ActivityRow>,
    /// Roll-call marks.
    pub roll_calls: Vec<RollCallRow>,
    /// Ceremonies.
    pub ceremonies: Vec<CeremonyRow>,
}

/// The names of the tables, in [`FlatTables`] order (the CSV files are `<name>.csv`).
pub const TABLE_NAMES: [&str; 17] = [
    "params",
    "ceilings",
    "tax_rates",
    "absence_kinds",
    "sanction_levels",
    "calendar",
    "employees",
    "salaries",
    "positions",
    "assignments",
    "sanctions",
    "roster",
    "clock_events",
    "absences",
    "activities",
    "roll_calls",
    "ceremonies",
];

fn unsupported(key: &'static str, reason: impl Into<String>) -> TablesError {
    TablesError::Unsupported { key, reason: reason.into() }
}

/// A percentage in hundredths of a percent.
fn bp(field: &str, pct: Decimal) -> Result<i64, TablesError> {
    let x = pct * Decimal::ONE_HUNDRED;
    match x.fract().is_zero().then(|| x.to_i64()).flatten() {
        Some(v) => Ok(v),
        None => Err(TablesError::NotWhole {
            record: "params",
            field: field.to_string(),
            value: pct.normalize().to_string(),
            unit: "hundredths of a percent",
        }),
    }
}

/// An amount in whole rupiah.
fn rupiah(record: &'static str, field: impl Into<String>, m: Money) -> Result<i64, TablesError> {
    let a = m.amount();
    match a.fract().is_zero().then(|| a.to_i64()).flatten() {
        Some(v) => Ok(v),
        None => {
            Err(TablesError::NotWhole { record, field: field.into(), value: a.normalize().to_string(), unit: "rupiah" })
        }
    }
}

fn flag(b: bool) -> u8 {
    u8::from(b)
}

/// The day rules' values the references read, to check that they hold all month.
#[derive(PartialEq)]
struct DayValues {
    activity: (i64, bool, bool, PendingAtDeadline),
    attendance: (u32, u32, MinuteRounding, [i64; 3], MissingScanRule, MissingScanRule, u32),
    rollcall: (bool, bool),
    targets: (i64, Vec<String>),
}

fn day_values(r: &crate::ledger::DayRules) -> DayValues {
    let a = &r.activity;
    let t = &r.attendance;
    DayValues {
        activity: (a.daily_cap_minutes.get(), a.cap_daily, a.cap_by_time_span, a.pending_at_deadline),
        attendance: (
            t.late_grace_seconds,
            t.early_grace_seconds,
            t.minute_rounding,
            t.band_limits.limits().map(|m| m.get()),
            t.missing_check_in,
            t.missing_check_out,
            t.shift_scan_margin_minutes,
        ),
        rollcall: (r.rollcall.morning, r.rollcall.afternoon),
        targets: (r.targets.daily_minutes.get(), r.targets.reducing_absences.clone()),
    }
}

/// The references' limits: every policy choice they do not implement is refused.
fn check_supported(p: &AllowanceParams, ctx: &MonthContext<'_>) -> Result<(), TablesError> {
    let end = day_values(ctx.month_end_rules());
    for d in ctx.month.range().days() {
        if ctx.rules(d).is_some_and(|r| day_values(r) != end) {
            return Err(unsupported("activity/attendance/rollcall/targets", format!("a rule changes on {d}")));
        }
    }
    if ctx.cutoff.is_some_and(|c| c < ctx.month.last_day()) {
        return Err(unsupported("allowance.cutoff_days", format!("{} is cut off early", ctx.month)));
    }
    if !p.components.is_empty() {
        return Err(unsupported("allowance.components", "TPP components"));
    }
    if p.parts != crate::allowance::standard_parts() {
        return Err(unsupported("allowance.parts", "parts other than performance/discipline"));
    }
    if !p.discipline_counts.is_empty() {
        return Err(unsupported("allowance.discipline_counts", "count-based discipline rules"));
    }
    if p.gate_enabled {
        return Err(unsupported("allowance.gate.enabled", "the attendance gate"));
    }
    if p.deductions_from != DeductionBase::DisciplinePart {
        return Err(unsupported("allowance.deductions_from", "deductions from the whole allowance"));
    }
    if p.ceiling_method != CeilingMethod::Table {
        return Err(unsupported("allowance.ceiling_method", "the BPK-index ceiling"));
    }
    if p.tax_method != TaxMethod::FlatByGroup {
        return Err(unsupported("allowance.tax.method", "the TER tax method"));
    }
    if !p.acting_by_relation.is_empty() {
        return Err(unsupported("allowance.acting.by_relation", "acting shares by relation"));
    }
    if p.sanction_cuts_acting {
        return Err(unsupported("allowance.sanction.cuts_acting", "sanctions cutting the acting add-ons"));
    }
    if p.sanction_window != SanctionWindow::EffectiveMonth {
        return Err(unsupported("allowance.sanction.window_start", "sanctions counting from the next month"));
    }
    if p.rounding != RoundingRule::WHOLE_RUPIAH_HALF_UP {
        return Err(unsupported("allowance.rounding", "rounding other than whole rupiah, halves up"));
    }
    if p.weight_performance + p.weight_discipline != Decimal::ONE_HUNDRED {
        return Err(unsupported("allowance.weight_performance", "weights that do not sum to 100"));
    }
    Ok(())
}

fn employment_text(e: EmploymentType) -> &'static str {
    match e {
        EmploymentType::Pns => "PNS",
        EmploymentType::Cpns => "CPNS",
        EmploymentType::Pppk => "PPPK",
    }
}

fn group_text(g: crate::org::RankGroup) -> &'static str {
    match g {
        crate::org::RankGroup::I => "I",
        crate::org::RankGroup::II => "II",
        crate::org::RankGroup::III => "III",
        crate::org::RankGroup::IV => "IV",
    }
}

fn pppk_text(g: u8) -> &'static str {
    crate::org::PPPK_GRADES.get(usize::from(g).wrapping_sub(1)).copied().unwrap_or("?")
}

fn direction_text(d: ClockDirection) -> &'static str {
    match d {
        ClockDirection::In => "in",
        ClockDirection::Out => "out",
    }
}

/// The month's record as flat tables, with the policy values in force for `ctx.month`
/// (the references' input; see the [module docs](self)).
///
/// # Errors
///
/// [`TablesError::Policy`] when the month's allowance policy does not bind,
/// [`TablesError::Unsupported`] when it uses what the references do not implement,
/// [`TablesError::NotWhole`] for an amount or a rate outside the integer units.
pub fn flat_tables(
    city: &City,
    ledger: &Ledger,
    ctx: &MonthContext<'_>,
    policy: &Policy,
) -> Result<FlatTables, TablesError> {
    let month = ctx.month;
    let p = AllowanceParams::from_policy(policy, month)?.params;
    check_supported(&p, ctx)?;
    let rules = ctx.month_end_rules();
    let (act, att, rc, tg) = (&rules.activity, &rules.attendance, &rules.rollcall, &rules.targets);
    let [b1, b2, b3] = att.band_limits.limits().map(|m| m.get());
    let mut t = FlatTables::default();
    t.params.push(ParamsRow {
        month: month.to_string(),
        first_day: month.first_day(),
        last_day: month.last_day(),
        daily_minutes: tg.daily_minutes.get(),
        daily_cap_minutes: act.daily_cap_minutes.get(),
        cap_daily: flag(act.cap_daily),
        cap_by_time_span: flag(act.cap_by_time_span),
        pending_counts: flag(
            ctx.settled_on() > ctx.deadline && act.pending_at_deadline == PendingAtDeadline::AutoApprove,
        ),
        late_grace_seconds: i64::from(att.late_grace_seconds),
        early_grace_seconds: i64::from(att.early_grace_seconds),
        minutes_started: flag(att.minute_rounding == MinuteRounding::Started),
        band1_max: b1,
        band2_max: b2,
        band3_max: b3,
        missing_in_absent: flag(att.missing_check_in == MissingScanRule::Absent),
        missing_out_absent: flag(att.missing_check_out == MissingScanRule::Absent),
        shift_margin_minutes: i64::from(att.shift_scan_margin_minutes),
        rollcall_morning: flag(rc.morning),
        rollcall_afternoon: flag(rc.afternoon),
        weight_performance_bp: bp("weight_performance", p.weight_performance)?,
        late1_bp: bp("late[0]", p.late[0])?,
        late2_bp: bp("late[1]", p.late[1])?,
        late3_bp: bp("late[2]", p.late[2])?,
        late4_bp: bp("late[3]", p.late[3])?,
        early1_bp: bp("early[0]", p.early[0])?,
        early2_bp: bp("early[1]", p.early[1])?,
        early3_bp: bp("early[2]", p.early[2])?,
        early4_bp: bp("early[3]", p.early[3])?,
        unexcused_bp: bp("unexcused_per_day", p.unexcused_per_day)?,
        roll_call_bp: bp("roll_call_per_miss", p.roll_call_per_miss)?,
        ceremony_bp: bp("ceremony_per_miss", p.ceremony_per_miss)?,
        cpns_percent_bp: bp("cpns_percent", p.cpns_percent)?,
        proration: flag(p.proration),
        acting_percent_bp: bp("acting_percent", p.acting_percent)?,
        acting_min_days: p.acting_min_days,
        acting_max_addons: p.acting_max_addons,
        acting_plh: flag(p.acting_plh),
        acting_pppk: flag(p.acting_pppk),
        bpjs_bp: bp("bpjs_percent", p.bpjs_percent)?,
        bpjs_cap: rupiah("params", "bpjs_cap", p.bpjs_cap)?,
    });
    for (class, amount) in &p.ceilings {
        t.ceilings.push(CeilingRow {
            job_class: i64::from(class.get()),
            ceiling: rupiah("ceiling", class.to_string(), *amount)?,
        });
    }
    for (g, rate) in &p.tax_flat {
        t.tax_rates.push(TaxRateRow { scheme: "pns", golongan: group_text(*g), rate_bp: bp("tax.flat", *rate)? });
    }
    for (g, rate) in &p.tax_flat_pppk {
        t.tax_rates.push(TaxRateRow { scheme: "pppk", golongan: pppk_text(*g), rate_bp: bp("tax.flat_pppk", *rate)? });
    }
    for code in AbsenceKind::ALL_CODES {
        let rate = p.absence_per_day.get(*code).copied().unwrap_or(Decimal::ZERO);
        t.absence_kinds.push(AbsenceKindRow {
            code,
            deduct_bp: bp("absence_per_day", rate)?,
            reduces_target: flag(tg.reduces_target(code)),
        });
    }
    for (level, l) in &p.sanctions {
        t.sanction_levels.push(SanctionLevelRow { level: level.clone(), cut_bp: bp("sanctions", l.cut)? });
    }
    for date in month.range().days() {
        let s = city.calendar.schedule(date);
        t.calendar.push(CalendarRow {
            date,
            working: flag(s.is_some()),
            start: s.map(|s| s.start),
            end: s.map(|s| s.end),
        });
    }
    let org = &city.organisation;
    let rosters = &city.rosters;
    for e in org.employees() {
        let (scheme, golongan) = match (e.rank.group(), e.rank.pppk_grade()) {
            (Some(g), _) => ("pns", group_text(g)),
            (None, g) => ("pppk", pppk_text(g.unwrap_or(0))),
        };
        t.employees.push(EmployeeRow {
            nip: e.nip.to_string(),
            employment: employment_text(e.employment),
            rank: e.rank.to_string(),
            tax_scheme: scheme,
            golongan,
            rostered: flag(rosters.has(&e.nip)),
        });
        for a in org.assignments_of(&e.nip) {
            t.assignments.push(AssignmentRow {
                seq: t.assignments.len() as i64,
                nip: e.nip.to_string(),
                position: a.position.to_string(),
                kind: match a.kind {
                    AssignmentKind::Definitive => "definitive",
                    AssignmentKind::Plt => "plt",
                    AssignmentKind::Plh => "plh",
                },
                from: a.from,
                until: a.until,
            });
        }
    }
    for s in &city.salaries {
        t.salaries.push(SalaryRow {
            nip: s.employee.to_string(),
            from: s.from,
            salary: rupiah("salary", s.employee.to_string(), s.salary)?,
        });
    }
    for pos in org.positions() {
        t.positions.push(PositionRow {
            position: pos.id.to_string(),
            unit: pos.unit.to_string(),
            job_class: i64::from(pos.job_class.get()),
        });
    }
    for (i, s) in city.sanctions.iter().enumerate() {
        t.sanctions.push(SanctionRow {
            seq: i as i64,
            nip: s.employee.to_string(),
            level: s.level.clone(),
            effective_from: s.effective_from,
            months: i64::from(s.months),
        });
    }
    let (before, after) = (month.first_day().pred_opt(), month.last_day().succ_opt());
    let (lo, hi) = (before.unwrap_or(month.first_day()), after.unwrap_or(month.last_day()));
    for r in rosters.entries().iter().filter(|r| lo <= r.date && r.date <= hi) {
        let (shift, times) = match rosters.on(&r.employee, r.date) {
            Some(Rostered::Shift(pattern)) => (pattern.code.clone(), Some(pattern.on(r.date))),
            Some(Rostered::Off) => ("off".to_string(), None),
            None => continue,
        };
        t.roster.push(RosterRow {
            nip: r.employee.to_string(),
            date: r.date,
            shift,
            start: times.map(|s| s.start),
            end: times.map(|s| s.end),
        });
    }
    let state = ledger.state();
    for (nip, at, direction) in state.clocks.scans() {
        t.clock_events.push(ClockRow { nip: nip.to_string(), at, direction: direction_text(direction) });
    }
    for (i, a) in state.absences.iter().enumerate() {
        t.absences.push(AbsenceRow {
            seq: i as i64,
            nip: a.employee.to_string(),
            kind: a.kind.code(),
            replaces: match a.kind {
                AbsenceKind::OffSiteHalfDay { replaces } => Some(direction_text(replaces)),
                _ => None,
            },
            start: a.range.start,
            end: a.range.end,
        });
    }
    t.activities.reserve(state.entries.len());
    for e in state.entries.iter() {
        t.activities.push(ActivityRow {
            nip: e.employee.to_string(),
            date: e.date,
            start: e.start,
            end: e.end,
            quantity: e.quantity,
            approved_quantity: e.approved_quantity,
            standard_minutes: e.standard_minutes.get(),
            status: e.status.as_str(),
        });
    }
    for (i, list) in state.roll_calls.iter().enumerate() {
        let kind = match list.kind {
            RollCallKind::Morning => "morning",
            RollCallKind::Afternoon => "afternoon",
            RollCallKind::Ceremony => "ceremony",
        };
        let marks = list.attended.iter().map(|n| (n, "attended")).chain(list.absent.iter().map(|n| (n, "absent")));
        for (nip, mark) in marks {
            t.roll_calls.push(RollCallRow { seq: i as i64, date: list.date, kind, nip: nip.to_string(), mark });
        }
    }
    for c in &state.ceremonies {
        t.ceremonies.push(CeremonyRow { date: c.date });
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_become_hundredths_and_fractions_of_them_are_refused() {
        // 0.5 % = 50 hundredths; 1.25 % = 125; 0.125 % is not whole.
        assert_eq!(bp("x", Decimal::new(5, 1)), Ok(50));
        assert_eq!(bp("x", Decimal::new(125, 2)), Ok(125));
        assert_eq!(bp("x", Decimal::new(125, 3)).map_err(|e| e.code()), Err("not_whole"));
    }

    fn small_city() -> City {
        let config = crate::generator::GeneratorConfig { seed: 1, units: 2, employees: 20, year: 2026 };
        let json = crate::generator::generate(&config).expect("generated").to_json();
        crate::dataset::Dataset::load_city(&json).expect("loads")
    }

    #[test]
    fn the_tables_hold_the_record_and_the_policy_numbers() {
        let city = small_city();
        let policy = Policy::national();
        let month = crate::YearMonth::new(2026, 10).expect("month");
        let ctx = MonthContext::new(&city, &policy, month).expect("context");
        let ledger = Ledger::new(month);
        let t = flat_tables(&city, &ledger, &ctx, &policy).expect("national policy is supported");
        // Every employee, one row each; October 2026 has 31 calendar rows.
        assert_eq!(t.employees.len(), 20);
        assert_eq!(t.calendar.len(), 31);
        // An empty record has no scans or entries.
        assert!(t.clock_events.is_empty() && t.activities.is_empty());
        let p = &t.params[0];
        // National values: TL1 0.5 % = 50, TL4 1.5 % = 150, 60 % performance = 6,000,
        // CPNS paid 80 % = 8,000, BPJS 1 % = 100 on at most Rp 12,000,000, 300 min a day.
        assert_eq!((p.late1_bp, p.late4_bp, p.weight_performance_bp), (50, 150, 6_000));
        assert_eq!((p.cpns_percent_bp, p.bpjs_bp, p.bpjs_cap, p.daily_minutes), (8_000, 100, 12_000_000, 300));
        // Class 9 ceiling Rp 2,500,000; PNS group III taxed 5 % = 500.
        assert!(t.ceilings.iter().any(|c| c.job_class == 9 && c.ceiling == 2_500_000));
        assert!(t.tax_rates.iter().any(|r| r.scheme == "pns" && r.golongan == "III" && r.rate_bp == 500));
    }

    #[test]
    fn a_policy_the_references_do_not_implement_is_refused_by_key() {
        let city = small_city();
        let text =
            "[layer]\nname = \"gate\"\n\n[[allowance.gate.enabled]]\nfrom = 2020-01-01\nvalue = true\nref = \"test\"\n";
        let policy = Policy::national().with_toml("gate.toml", text).expect("layer loads");
        let month = crate::YearMonth::new(2026, 10).expect("month");
        let ctx = MonthContext::new(&city, &policy, month).expect("context");
        let err = flat_tables(&city, &Ledger::new(month), &ctx, &policy).expect_err("the gate is not implemented");
        assert_eq!(err.code(), "unsupported_by_reference");
        assert!(err.to_string().contains("allowance.gate.enabled"), "{err}");
    }

    #[test]
    fn amounts_must_be_whole_rupiah() {
        assert_eq!(rupiah("ceiling", "9", Money::from_rupiah(2_500_000)), Ok(2_500_000));
        let half = Money::new(Decimal::new(25, 1));
        assert_eq!(rupiah("ceiling", "9", half).map_err(|e| e.code()), Err("not_whole"));
    }
}
