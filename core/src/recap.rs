//! The monthly recap: each employee's performance and discipline facts for a
//! month, and the totals per work unit. It is plain data: the allowance (TPP)
//! is computed from it.
//!
//! Performance: the monthly minute target (working days in the month that the
//! employee was assigned, less days of leave that reduce the target, times the
//! daily minutes), the verified credited minutes (approved entries; each day's
//! total capped by the daily cap), and the achievement = verified / target,
//! capped at 100 %.
//!
//! Entries still awaiting a decision (`submitted`) after the verification
//! deadline are handled as the policy says (`activity.pending_at_deadline`):
//! not counted, or counted as approved at the claimed quantity. Before the
//! deadline they are simply pending. Returned entries wait for their employee
//! and are not counted.
//!
//! Discipline: each working day of the employee's assignment up to the recap's
//! `as_of` date is evaluated from the clock events, absences and the day's
//! schedule (lateness and early-leave bands, missing scans, absences by kind,
//! unexcused days), and each held roll call is attended, excused or missed.
//!
//! How it is computed: the ledger keeps a compact month sheet as it applies
//! events (per employee and day: the credited minutes of entries by status, the
//! day's earliest check-in and latest check-out, the roll calls attended), and
//! [`monthly_recap`] reads it employee after employee with the month's rules
//! looked up once (each day's hours in seconds from midnight, the roll calls held,
//! the rules in force). An office day is judged on integers: the seconds from the
//! start to the chosen check-in and from the chosen check-out to the end go to
//! `attendance::verdict`, the function through which [`crate::attendance::evaluate_day`]
//! and every other judgement of a day pass, so both paths apply one set of rules.
//! In a city recap the month's ordinary office day is counted in bulk: for each
//! office day, the latest check-in and earliest check-out that `verdict` judges as
//! it judges a day on time both ways are found once, by bisection on `verdict`
//! itself, and the roll-call outcomes of such a day by `outcome_for_verdict`
//! (a test holds the window to `verdict` at every second of every day); an
//! employee's days without an absence whose scans fall inside the window are then
//! counted at once (their roll calls by bit masks), and only the other days are
//! judged one by one. One employee's recap ([`employee_recap`]) judges every day
//! one by one; tests hold both equal.
//! Employees on a roster are judged from their listed scans (shift attribution),
//! their roster's plan looked up once for the month.
//!
//! The lines judged are kept with the sheet, each with the sheet's count of the
//! events that touched the employee (an entry logged, edited or decided, a scan,
//! an absence, a roll-call list naming them) when it was judged, under the
//! context and the as-of date's effect (the last day judged, whether pending
//! entries are approved at the deadline, the ceremonies). The first recap under
//! these keeps only them (a recap made once, as `kinerja tpp` makes it after a
//! load, does not pay for copying every line); the second judges every line again
//! and keeps the lines; every later one copies the lines of the employees no event
//! touched since and judges the others again. Judging every day of every employee
//! of a city's month takes about 2.7-2.9 ms of CPU at 6,000 employees (5,925 x 31 days);
//! copying 6,000 kept lines about 1 ms; one employee's ([`employee_recap`]) a few
//! microseconds.

use chrono::{Datelike, NaiveDate, Timelike};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::activity::{self, PendingAtDeadline, VerificationStatus};
use crate::attendance::{self, AbsenceKind, ClockEvent, DayAttendance, MonthAttendance};
use crate::ids::{PositionId, UnitId};
use crate::ledger::sheet::{EmployeeScans, Sheet, roll_call_bit};
use crate::ledger::{Ledger, LedgerError, MonthContext};
use crate::minutes::Minutes;
use crate::month::YearMonth;
use crate::org::Nip;
use crate::policy::Provenance;
use crate::rollcall::{self, MonthRollCall, RollCallKind, RollCallOutcome};
use crate::roster::Rostered;
use crate::targets::{self, MonthTarget};

/// Counts of an employee's entries by verification status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryCounts {
    /// Awaiting a decision.
    pub pending: u32,
    /// Approved (including those auto-approved at the deadline, when policy says so).
    pub approved: u32,
    /// Rejected.
    pub rejected: u32,
    /// Returned for revision and not yet resubmitted.
    pub returned: u32,
}

impl EntryCounts {
    fn add(&mut self, o: &EntryCounts) {
        self.pending += o.pending;
        self.approved += o.approved;
        self.rejected += o.rejected;
        self.returned += o.returned;
    }
}

/// One employee's month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmployeeRecap {
    /// The employee.
    pub employee: Nip,
    /// The work unit of the employee's position (the last one held in the month).
    pub unit: Option<UnitId>,
    /// The position (the last definitive one held in the month).
    pub position: Option<PositionId>,
    /// The monthly minute target and how it was counted.
    pub target: MonthTarget,
    /// Minutes claimed in entries not rejected (before verification).
    pub claimed_minutes: Minutes,
    /// Verified credited minutes (approved; each day capped).
    pub verified_minutes: Minutes,
    /// Verified / target x 100, capped at 100; `None` when the target is zero.
    pub achievement_percent: Option<Decimal>,
    /// Entries by status.
    pub entries: EntryCounts,
    /// Attendance facts.
    pub attendance: MonthAttendance,
    /// Roll-call facts.
    pub roll_call: MonthRollCall,
}

/// A work unit's totals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitRecap {
    /// The unit.
    pub unit: UnitId,
    /// Employees counted.
    pub employees: u32,
    /// Sum of minute targets.
    pub target_minutes: Minutes,
    /// Sum of verified minutes.
    pub verified_minutes: Minutes,
    /// Mean achievement of its employees with a target (exact), if any.
    pub mean_achievement_percent: Option<Decimal>,
    /// Entries by status.
    pub entries: EntryCounts,
    /// Late arrivals, all bands.
    pub late_count: u32,
    /// Early departures, all bands.
    pub early_count: u32,
    /// Unexcused days.
    pub unexcused_days: u32,
    /// Roll calls missed (morning, afternoon and ceremonies).
    pub roll_calls_missed: u32,
}

/// The recap of a month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthlyRecap {
    /// The month.
    pub month: YearMonth,
    /// Days after this date are not evaluated (they have not happened yet).
    pub as_of: NaiveDate,
    /// The verification deadline.
    pub deadline: NaiveDate,
    /// Whether the deadline has passed at `as_of` (pending entries then follow the policy).
    pub deadline_passed: bool,
    /// Every employee, in dataset order.
    pub employees: Vec<EmployeeRecap>,
    /// Every work unit, in dataset order.
    pub units: Vec<UnitRecap>,
    /// Where every rule came from.
    pub provenance: Vec<Provenance>,
    /// Who closed the month and when, if it was closed when the recap was made. The
    /// recap that pays is the closed one; a recap of an open month is a projection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<crate::ledger::Closure>,
    /// The journal head the recap was computed from (what the payment rests on).
    pub head: crate::ledger::Head,
}

impl MonthlyRecap {
    /// True when the month was closed: this recap pays; otherwise it projects.
    pub fn is_final(&self) -> bool {
        self.closed.is_some()
    }
}

/// Computes the recap of the ledger's month as of a date.
///
/// Reads the ledger's month sheet (kept by the ledger as it applies events: per
/// employee and day, the credited minutes of entries by status, the day's chosen
/// scans and the roll calls attended), employee after employee, with the rules of
/// each day looked up once for the month. A sheet made for another context (other
/// rules or cut-off) is made again from the state first. An office day is judged
/// on integers by the rules every judgement of a day goes through. From the second
/// recap under the same context, with the same effect of `as_of`, the lines judged
/// are kept with the ledger's sheet, and a later recap copies the lines of
/// employees no event touched since (see the [module docs](self)). Employees on a roster are
/// judged from their listed scans (shift attribution). Every figure is the one the
/// whole-state scan gives ([`reference::monthly_recap`], held equal by tests).
pub fn monthly_recap(ledger: &Ledger, ctx: &MonthContext<'_>, as_of: NaiveDate) -> Result<MonthlyRecap, LedgerError> {
    from_sheet(ledger, ctx, as_of, true)
}

/// [`monthly_recap`], copying and keeping the lines judged when `keep` is set.
fn from_sheet(
    ledger: &Ledger,
    ctx: &MonthContext<'_>,
    as_of: NaiveDate,
    keep: bool,
) -> Result<MonthlyRecap, LedgerError> {
    let built;
    let (sheet, kept) = match ledger.sheet(ctx) {
        Some(s) => (s, true),
        None => {
            built = Sheet::build(ctx, ledger.state(), ledger.entry_employees(), ledger.clock_employees());
            if !built.fits(ctx) {
                // A sum out of range: the scan reports it where it happens.
                return reference::monthly_recap(ledger, ctx, as_of);
            }
            (&built, false)
        }
    };
    let org = &ctx.city.organisation;
    let n = org.employees().len();
    let mut shared = Shared::new(ledger, ctx, as_of);
    // The month's ordinary office day as tables, made once for the city's lines.
    shared.ordinary = Some(shared.ordinary_days());
    let mut scratch = Scratch::default();
    let mut employees = Vec::with_capacity(n);
    let mut units = Vec::with_capacity(n);
    // The lines judged by the last recap, kept with the ledger's own sheet (not with
    // one made just now), when no other recap is reading them at this moment.
    let mut cache = if kept && keep { sheet.lines.0.try_lock().ok() } else { None };
    let Some(guard) = cache.as_mut() else {
        for (ei, emp) in org.employees().iter().enumerate() {
            units.push(shared.line_from_sheet(sheet, ei, emp, &mut scratch, &mut employees)?);
        }
        return shared.finish(employees, &units);
    };
    // Lines judged under another context or as of a day that changes them are judged
    // again. The first recap under a key keeps no line, only the key: a recap made
    // once (`kinerja tpp`, a fresh load) does not pay for copying every line into
    // memory of its own; the second under the same key keeps them for the next.
    let key = shared.key();
    let lines = match guard.take() {
        Some(l) if l.key == key && l.lines.len() == n => guard.insert(l),
        Some(l) if l.key == key => guard.insert(Lines { key, lines: (0..n).map(|_| None).collect() }),
        _ => {
            **guard = Some(Lines { key, lines: Vec::new() });
            for (ei, emp) in org.employees().iter().enumerate() {
                units.push(shared.line_from_sheet(sheet, ei, emp, &mut scratch, &mut employees)?);
            }
            return shared.finish(employees, &units);
        }
    };
    for ((ei, emp), slot) in org.employees().iter().enumerate().zip(lines.lines.iter_mut()) {
        let touched = sheet.touched(ei);
        match slot {
            Some(j) if j.touched == touched => {
                employees.push(j.line.clone());
                units.push(j.unit);
            }
            _ => {
                let unit = shared.line_from_sheet(sheet, ei, emp, &mut scratch, &mut employees)?;
                if let Some(line) = employees.last() {
                    *slot = Some(Judged { touched, line: line.clone(), unit });
                }
                units.push(unit);
            }
        }
    }
    shared.finish(employees, &units)
}

/// The recap's lines judged from a month sheet, kept with it: each employee's line
/// with the sheet's touch count of the employee when it was judged
/// ([`Sheet::touched`]), under one context and one as-of (their [`Key`]). The first
/// recap under a key keeps the key only (no line); the second keeps every line; the
/// next ones copy the lines of employees no event touched since, and judge the
/// others again. A clone of the sheet starts without lines.
#[derive(Debug, Default)]
pub(crate) struct LineCache(std::sync::Mutex<Option<Lines>>);

impl Clone for LineCache {
    fn clone(&self) -> Self {
        LineCache::default()
    }
}

/// What a cached line was judged under: the context (its id, its city, and the
/// fields a caller could change), and what of the as-of date changes a line (the
/// last day judged, whether pending entries were approved at the deadline), and
/// the days with a ceremony.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Key {
    context: u64,
    city: usize,
    month: YearMonth,
    cutoff: Option<NaiveDate>,
    deadline: NaiveDate,
    last_day: NaiveDate,
    auto_approve: bool,
    ceremonies: u32,
}

/// The lines judged under one key, by employee index.
#[derive(Debug)]
pub(crate) struct Lines {
    key: Key,
    lines: Vec<Option<Judged>>,
}

/// One employee's line as judged, at the sheet's touch count of them.
#[derive(Debug)]
struct Judged {
    touched: u32,
    line: EmployeeRecap,
    unit: Option<usize>,
}

/// One employee's recap of the ledger's month as of a date: the same figures as
/// their line of [`monthly_recap`] (computed by the same code, from the same month
/// sheet), without computing everyone else's. For a service answering one person
/// at a time. A line the last city recap kept for the same context and as-of
/// effect is copied when no event touched the employee since, or judged and
/// kept again; otherwise nothing is kept.
pub fn employee_recap(
    ledger: &Ledger,
    ctx: &MonthContext<'_>,
    employee: &Nip,
    as_of: NaiveDate,
) -> Result<EmployeeRecap, LedgerError> {
    let Some(sheet) = ledger.sheet(ctx) else {
        return reference::employee_recap(ledger, ctx, employee, as_of);
    };
    let (ei, emp) = known(ctx, employee)?;
    let shared = Shared::new(ledger, ctx, as_of);
    // The line the last city recap judged, if nothing touched it since: it is only
    // read here (one person's recap does not make the city's lines).
    if let Ok(mut guard) = sheet.lines.0.try_lock()
        && let Some(lines) = guard.as_mut()
        && lines.key == shared.key()
        && let Some(slot) = lines.lines.get_mut(ei)
    {
        let touched = sheet.touched(ei);
        if let Some(j) = slot.as_ref().filter(|j| j.touched == touched) {
            return Ok(j.line.clone());
        }
        let (line, unit) = shared.line_alone(sheet, ei, emp)?;
        *slot = Some(Judged { touched, line: line.clone(), unit });
        return Ok(line);
    }
    Ok(shared.line_alone(sheet, ei, emp)?.0)
}

/// The employee's index and record, or the error naming them.
fn known<'c>(ctx: &MonthContext<'c>, employee: &Nip) -> Result<(usize, &'c crate::org::Employee), LedgerError> {
    let org = &ctx.city.organisation;
    let unknown = || LedgerError::UnknownEmployee { record: "recap", field: "employee", nip: employee.clone() };
    let ei = org.employee_index(employee).ok_or_else(unknown)?;
    let emp = org.employees().get(ei).ok_or_else(unknown)?;
    Ok((ei, emp))
}

#[doc(hidden)]
pub mod reference {
    //! The recap by a scan of the whole ledger state (the algorithm before the month
    //! sheet), kept as the plumbing check of the sheet: tests hold
    //! [`super::monthly_recap`] equal to it, the stage bench times both. It judges
    //! with the same code; only the gathering of each employee's records differs.
    //! Not part of the API.

    use super::*;

    /// The recap of the month from a scan of every entry, scan, absence and roll-call list.
    pub fn monthly_recap(
        ledger: &Ledger,
        ctx: &MonthContext<'_>,
        as_of: NaiveDate,
    ) -> Result<MonthlyRecap, LedgerError> {
        let org = &ctx.city.organisation;
        let n = org.employees().len();
        let state = ledger.state();
        let shared = Shared::new(ledger, ctx, as_of);
        // Every employee's entry counts and minutes by day, from one pass over the
        // entries in the order they are held.
        let mut perf = vec![Perf::default(); n];
        for (e, &emp) in state.entries.iter().zip(ledger.entry_employees()) {
            if let Some(p) = perf.get_mut(emp as usize) {
                shared.count_entry(&e, p)?;
            }
        }
        // Group clocks, absences and marks by employee with counting sorts.
        let clock_order = group(n, ledger.clock_employees().iter().map(|&e| e as usize));
        let grouped_clocks: Vec<ClockEvent> = clock_order.items.iter().filter_map(|&i| state.clocks.get(i)).collect();
        let absence_order =
            group(n, state.absences.iter().map(|a| org.employee_index(&a.employee).unwrap_or(usize::MAX)));
        // Roll-call attendance as one bit per (employee, day, kind).
        let mut attended_bits = vec![0u8; n * 31];
        for list in &state.roll_calls {
            let bit = 1u8 << roll_call_bit(list.kind);
            let day = list.date.day0() as usize;
            for nip in &list.attended {
                if let Some(e) = org.employee_index(nip)
                    && let Some(b) = attended_bits.get_mut(e * 31 + day)
                {
                    *b |= bit;
                }
            }
            for nip in &list.absent {
                if let Some(e) = org.employee_index(nip)
                    && let Some(b) = attended_bits.get_mut(e * 31 + day)
                {
                    *b &= !bit;
                }
            }
        }
        let mut scratch = Scratch::default();
        let mut employees = Vec::with_capacity(n);
        let mut units = Vec::with_capacity(n);
        for ((ei, emp), p) in org.employees().iter().enumerate().zip(&perf) {
            let bits = attended_bits.get(ei * 31..ei * 31 + 31).unwrap_or(&[]);
            let clocks = clock_order.range(ei).and_then(|r| grouped_clocks.get(r)).unwrap_or(&[]);
            let absences: Vec<&attendance::Absence> =
                absence_order.get(ei).iter().filter_map(|&i| state.absences.get(i)).collect();
            let rostered = ctx.city.rosters.has(&emp.nip);
            let scans = Scans::Listed(clocks);
            units.push(shared.employee(ei, emp, rostered, p, scans, &absences, bits, &mut scratch, &mut employees)?);
        }
        shared.finish(employees, &units)
    }

    /// The recap from the month sheet judging every employee's days, as the first
    /// recap after a replay does: no line kept is copied, none is kept. The stage
    /// bench times it beside [`super::monthly_recap`].
    pub fn judged(ledger: &Ledger, ctx: &MonthContext<'_>, as_of: NaiveDate) -> Result<MonthlyRecap, LedgerError> {
        super::from_sheet(ledger, ctx, as_of, false)
    }

    /// Forgets the recap lines kept with the ledger's month sheet for `ctx`, so that
    /// the next [`super::monthly_recap`] judges every employee's days as the first
    /// recap after a load does: for the benches, which time that cold recap again
    /// and again on one replayed ledger. Nothing else changes.
    pub fn forget_lines(ledger: &Ledger, ctx: &MonthContext<'_>) {
        if let Some(sheet) = ledger.sheet(ctx)
            && let Ok(mut lines) = sheet.lines.0.lock()
        {
            *lines = None;
        }
    }

    /// One employee's recap from a scan of the whole state.
    pub fn employee_recap(
        ledger: &Ledger,
        ctx: &MonthContext<'_>,
        employee: &Nip,
        as_of: NaiveDate,
    ) -> Result<EmployeeRecap, LedgerError> {
        let (ei, emp) = known(ctx, employee)?;
        let state = ledger.state();
        let shared = Shared::new(ledger, ctx, as_of);
        let mut perf = Perf::default();
        // Only the employee's entries are built.
        for (i, &emp) in ledger.entry_employees().iter().enumerate() {
            if emp as usize == ei
                && let Some(e) = state.entries.get(i)
            {
                shared.count_entry(&e, &mut perf)?;
            }
        }
        let clocks: Vec<ClockEvent> = state.clocks.iter_of(employee).collect();
        let absences: Vec<&attendance::Absence> = state.absences.iter().filter(|a| &a.employee == employee).collect();
        let mut bits = [0u8; 31];
        for list in &state.roll_calls {
            let bit = 1u8 << roll_call_bit(list.kind);
            let day = list.date.day0() as usize;
            if list.attended.contains(employee) {
                bits[day] |= bit;
            }
            if list.absent.contains(employee) {
                bits[day] &= !bit;
            }
        }
        let rostered = ctx.city.rosters.has(employee);
        let scans = Scans::Listed(&clocks);
        let mut line = Vec::with_capacity(1);
        shared.employee(ei, emp, rostered, &perf, scans, &absences, &bits, &mut Scratch::default(), &mut line)?;
        line.pop().ok_or_else(|| LedgerError::UnknownEmployee {
            record: "recap",
            field: "employee",
            nip: employee.clone(),
        })
    }
}

/// The days whose roster plan a rostered employee's judgement looks up once: the
/// month's (at most 31) and the day before and after it.
const DAYS_AROUND: usize = 33;

/// What the roster says of a rostered employee on each day from the one before the
/// month to the one after ([`DAYS_AROUND`]), looked up once; other days are asked
/// of the roster.
struct Plan<'c> {
    rosters: &'c crate::roster::Rosters,
    employee: Nip,
    /// The last day of the month before (index 0 of `days`).
    before: NaiveDate,
    days: [Option<Rostered<'c>>; DAYS_AROUND],
}

impl<'c> Plan<'c> {
    fn new(ctx: &MonthContext<'c>, employee: &Nip) -> Plan<'c> {
        let rosters = &ctx.city.rosters;
        let first = ctx.month.first_day();
        let before = first.pred_opt().unwrap_or(first);
        let mut days = [None; DAYS_AROUND];
        for (slot, day) in days.iter_mut().zip(before.iter_days()) {
            *slot = rosters.on(employee, day);
        }
        Plan { rosters, employee: employee.clone(), before, days }
    }

    /// What the roster says of the employee on `day`.
    fn on(&self, day: NaiveDate) -> Option<Rostered<'c>> {
        let ix = (day - self.before).num_days();
        match usize::try_from(ix).ok().and_then(|ix| self.days.get(ix)) {
            Some(plan) => *plan,
            None => self.rosters.on(&self.employee, day),
        }
    }
}

/// What every employee's recap reads.
struct Shared<'l, 'c> {
    ledger: &'l Ledger,
    ctx: &'l MonthContext<'c>,
    as_of: NaiveDate,
    deadline_passed: bool,
    auto_approve: bool,
    counted_until: NaiveDate,
    last_day: NaiveDate,
    /// The office schedule of each day of the month (looked up once, not per employee).
    schedules: Vec<Option<crate::calendar::DaySchedule>>,
    /// The rules of each day of the month.
    rules: Vec<&'l crate::ledger::DayRules>,
    /// The days of the month with a ceremony declared (bit `d` = day `d + 1`).
    ceremonies: u32,
    /// Each day of the month that is an office day: its hours (seconds from
    /// midnight of the start and the end) and the roll calls held on it for those
    /// at work (bit 0 morning, 1 afternoon, 2 ceremony); `None` on a weekend or holiday.
    office: Vec<Option<(u32, u32, u8)>>,
    /// Each day of the month.
    dates: Vec<NaiveDate>,
    /// How many days of the month are judged (up to `last_day`).
    judged_days: usize,
    /// The office days judged (up to `last_day`), bit `d` = day `d + 1`.
    office_days: u32,
    /// The month's ordinary office day as tables ([`Shared::ordinary_days`]), for a
    /// city recap (one employee's recap judges each day).
    ordinary: Option<Ordinary>,
    /// The month's first day.
    first: NaiveDate,
    /// The month's last day.
    last: NaiveDate,
    /// The month's working days for the targets, or why they cannot be counted.
    frame: Result<targets::MonthFrame, String>,
}

/// How an employee's scans are read.
#[derive(Clone, Copy)]
enum Scans<'a> {
    /// Their clock events, in recorded order.
    Listed(&'a [ClockEvent]),
    /// Their chosen scans by day of the month, from the month sheet.
    Sheet(EmployeeScans<'a>),
}

/// The roll-call kinds, in the order of a day's `held` bits in [`Shared::office`].
const ROLL_CALLS: [RollCallKind; 3] = [RollCallKind::Morning, RollCallKind::Afternoon, RollCallKind::Ceremony];

/// The last second of a day, from midnight.
const LAST_SECOND: u32 = 86_399;

/// A month's ordinary office day as tables (per context, month and as-of: one city
/// recap makes them once, [`Shared::ordinary_days`]). An office day without an
/// absence whose chosen scans are both kept to the second, the check-in at or
/// before the day's `window.0` and the check-out at or after its `window.1`, gets
/// the day's ordinary verdict (present, on time both ways under the city's rules):
/// such days are counted at once, by class of verdict and by roll-call mask, not
/// judged one by one. Every entry is computed by calling the rules
/// ([`attendance::verdict`], [`rollcall::outcome_for_verdict`]), never restated.
#[derive(Debug)]
struct Ordinary {
    /// Per day of the month (index `d`: day `d + 1`): the latest check-in and the
    /// earliest check-out (seconds from midnight) judged as the day's ordinary
    /// verdict; `(0, 0)` on a day that is not an office day (never read).
    window: [(u32, u32); 31],
    /// The office days on which each kind of roll call ([`ROLL_CALLS`]) is held for
    /// those at work, bit `d` = day `d + 1`.
    held: [u32; 3],
    /// The distinct ordinary verdicts (one, unless the rules change in the month).
    classes: Vec<OrdinaryClass>,
}

/// The office days whose ordinary verdict is one and the same.
#[derive(Debug)]
struct OrdinaryClass {
    /// The verdict.
    verdict: attendance::Verdict,
    /// Its days, bit `d` = day `d + 1`.
    days: u32,
    /// The roll-call outcome on such a day, by kind ([`ROLL_CALLS`]), held (1) or
    /// not, attended (1) or not.
    outcome: [[[RollCallOutcome; 2]; 2]; 3],
}

impl Ordinary {
    /// Adds an employee's ordinary days (`days`, bit `d` = day `d + 1`; `attended`:
    /// the roll calls of each kind they attended on those days) to `att` and `rc`:
    /// what judging each of them by the rules adds, counted by class.
    fn add(&self, days: u32, attended: &[u32; 3], att: &mut MonthAttendance, rc: &mut MonthRollCall) {
        if days == 0 {
            return;
        }
        for c in &self.classes {
            let days = days & c.days;
            if days == 0 {
                continue;
            }
            att.add_verdicts(&c.verdict, days.count_ones());
            for (((kind, by_held), &held), &attended) in
                ROLL_CALLS.into_iter().zip(&c.outcome).zip(&self.held).zip(attended)
            {
                for (held_mask, by_attended) in [!held, held].into_iter().zip(by_held) {
                    for (attended_mask, &outcome) in [!attended, attended].into_iter().zip(by_attended) {
                        let n = (days & held_mask & attended_mask).count_ones();
                        if n > 0 {
                            rc.add_times(kind, outcome, n);
                        }
                    }
                }
            }
        }
    }
}

/// The office schedule of each day of the context's month.
fn schedules(ctx: &MonthContext<'_>) -> Vec<Option<crate::calendar::DaySchedule>> {
    ctx.month.range().days().map(|d| ctx.city.calendar.schedule(d).copied()).collect()
}

/// Buffers reused from one employee to the next.
#[derive(Default)]
struct Scratch {
    day_clocks: Vec<ClockEvent>,
    /// The day (0-based in the month) each of the employee's clock events belongs
    /// to, and its index in the ledger's state, sorted by day (the events of a day in
    /// their recorded order); `day_clocks` holds the events in that order.
    by_day: Vec<(i64, usize)>,
    /// A rostered employee's clock events, gathered from the sheet's list.
    listed: Vec<ClockEvent>,
}

/// One employee's entries counted: by status, minutes claimed, and the minutes of
/// approved entries by day of the month (before the daily cap).
#[derive(Clone, Copy)]
struct Perf {
    counts: EntryCounts,
    claimed: Minutes,
    daily: [i64; 31],
}

impl Default for Perf {
    fn default() -> Self {
        Perf { counts: EntryCounts::default(), claimed: Minutes::ZERO, daily: [0; 31] }
    }
}

impl<'l, 'c> Shared<'l, 'c> {
    fn new(ledger: &'l Ledger, ctx: &'l MonthContext<'c>, as_of: NaiveDate) -> Shared<'l, 'c> {
        let month = ctx.month;
        let end_rules = ctx.month_end_rules();
        let deadline_passed = as_of > ctx.deadline;
        let auto_approve = deadline_passed && end_rules.activity.pending_at_deadline == PendingAtDeadline::AutoApprove;
        // Days after the month's cut-off do not count at all; days after `as_of` have
        // not happened yet.
        let counted_until = ctx.cutoff.map_or(month.last_day(), |c| c.min(month.last_day()));
        let last_day = counted_until.min(as_of);
        let ceremonies = ledger
            .state()
            .ceremonies
            .iter()
            .filter(|c| YearMonth::of(c.date) == month)
            .fold(0u32, |acc, c| acc | 1u32.checked_shl(c.date.day0()).unwrap_or(0));
        let frame = targets::MonthFrame::of(&ctx.calendar, month, &end_rules.targets).map_err(|e| e.to_string());
        let schedules = schedules(ctx);
        let rules: Vec<&crate::ledger::DayRules> = month.range().days().map(|d| ctx.rules_or_last(d)).collect();
        let office: Vec<Option<(u32, u32, u8)>> = schedules
            .iter()
            .zip(&rules)
            .enumerate()
            .map(|(day0, (s, r))| {
                let ceremony = ceremonies >> day0 & 1 == 1;
                let held = u8::from(r.rollcall.morning) | u8::from(r.rollcall.afternoon) << 1 | u8::from(ceremony) << 2;
                s.as_ref().map(|s| (s.start.num_seconds_from_midnight(), s.end.num_seconds_from_midnight(), held))
            })
            .collect();
        let judged_days = if last_day < month.first_day() { 0 } else { last_day.day() as usize };
        let office_days = office
            .iter()
            .enumerate()
            .take(judged_days)
            .filter(|(_, o)| o.is_some())
            .fold(0u32, |acc, (day0, _)| acc | 1u32.checked_shl(day0 as u32).unwrap_or(0));
        Shared {
            ledger,
            ctx,
            as_of,
            deadline_passed,
            auto_approve,
            counted_until,
            last_day,
            schedules,
            rules,
            ceremonies,
            office,
            dates: month.range().days().collect(),
            judged_days,
            office_days,
            ordinary: None,
            first: month.first_day(),
            last: month.last_day(),
            frame,
        }
    }

    /// What a line judged by this recap is judged under (see [`LineCache`]).
    fn key(&self) -> Key {
        let ctx = self.ctx;
        Key {
            context: ctx.id(),
            city: std::ptr::from_ref(ctx.city) as usize,
            month: ctx.month,
            cutoff: ctx.cutoff,
            deadline: ctx.deadline,
            last_day: self.last_day,
            auto_approve: self.auto_approve,
            ceremonies: self.ceremonies,
        }
    }

    /// The recap from its employees' lines (and the dense index of each one's unit).
    fn finish(&self, employees: Vec<EmployeeRecap>, unit_ix: &[Option<usize>]) -> Result<MonthlyRecap, LedgerError> {
        let ctx = self.ctx;
        let units = unit_totals(&ctx.city.organisation, &employees, unit_ix)?;
        let state = self.ledger.state();
        Ok(MonthlyRecap {
            month: ctx.month,
            as_of: self.as_of,
            deadline: ctx.deadline,
            deadline_passed: self.deadline_passed,
            employees,
            units,
            provenance: ctx.provenance.clone(),
            closed: state.closed.clone(),
            head: self.ledger.head(),
        })
    }

    /// One employee's recap from the month sheet, pushed onto `out`; returns the
    /// index of their unit.
    fn line_from_sheet(
        &self,
        sheet: &Sheet,
        ei: usize,
        emp: &crate::org::Employee,
        scratch: &mut Scratch,
        out: &mut Vec<EmployeeRecap>,
    ) -> Result<Option<usize>, LedgerError> {
        let state = self.ledger.state();
        let t = sheet.totals(ei);
        let auto = self.auto_approve;
        let mut perf = Perf {
            counts: EntryCounts {
                pending: if auto { 0 } else { t.submitted },
                approved: if auto { t.approved + t.submitted } else { t.approved },
                rejected: t.rejected,
                returned: t.returned,
            },
            claimed: Minutes(t.claimed),
            daily: [0; 31],
        };
        for (d, m) in perf.daily.iter_mut().zip(sheet.minutes(ei)) {
            *d = if auto {
                i64::from(m.approved)
                    .checked_add(i64::from(m.submitted))
                    .ok_or(crate::ArithmeticError::Overflow { operation: "daily minutes" })?
            } else {
                i64::from(m.approved)
            };
        }
        let absences: Vec<&attendance::Absence> =
            self.ledger.absences_of(ei).iter().filter_map(|&i| state.absences.get(i as usize)).collect();
        let roll = sheet.roll(ei);
        if sheet.is_rostered(ei) {
            let mut listed = std::mem::take(&mut scratch.listed);
            listed.clear();
            listed.extend(sheet.rostered_clocks(ei).iter().filter_map(|&i| state.clocks.get(i as usize)));
            let r = self.employee(ei, emp, true, &perf, Scans::Listed(&listed), &absences, roll, scratch, out);
            scratch.listed = listed;
            r
        } else {
            self.employee(ei, emp, false, &perf, Scans::Sheet(sheet.scans(ei)), &absences, roll, scratch, out)
        }
    }

    /// One employee's line from the month sheet, alone (and the index of their unit).
    fn line_alone(
        &self,
        sheet: &Sheet,
        ei: usize,
        emp: &crate::org::Employee,
    ) -> Result<(EmployeeRecap, Option<usize>), LedgerError> {
        let mut line = Vec::with_capacity(1);
        let unit = self.line_from_sheet(sheet, ei, emp, &mut Scratch::default(), &mut line)?;
        let unknown = || LedgerError::UnknownEmployee { record: "recap", field: "employee", nip: emp.nip.clone() };
        Ok((line.pop().ok_or_else(unknown)?, unit))
    }

    /// Counts one entry of an employee into `p`.
    fn count_entry(&self, e: &activity::ActivityEntry, p: &mut Perf) -> Result<(), LedgerError> {
        let ctx = self.ctx;
        if e.date > self.counted_until {
            return Ok(());
        }
        let rules = ctx.rules(e.date).unwrap_or(ctx.month_end_rules());
        let counts = &mut p.counts;
        let approved = match e.status {
            VerificationStatus::Approved => {
                counts.approved += 1;
                true
            }
            VerificationStatus::Submitted if self.auto_approve => {
                counts.approved += 1;
                true
            }
            VerificationStatus::Submitted => {
                counts.pending += 1;
                false
            }
            VerificationStatus::Rejected => {
                counts.rejected += 1;
                return Ok(());
            }
            VerificationStatus::Returned => {
                counts.returned += 1;
                false
            }
        };
        let minutes = activity::credited_minutes(e, &rules.activity);
        p.claimed = p.claimed.checked_add(minutes)?;
        if approved && let Some(d) = p.daily.get_mut(e.date.day0() as usize) {
            *d = d.checked_add(minutes.get()).ok_or(crate::ArithmeticError::Overflow { operation: "daily minutes" })?;
        }
        Ok(())
    }

    /// One employee's recap (index `ei` in the organisation; `rostered`: whether the
    /// roster holds them) from their entries counted, scans, absences and roll-call
    /// attendance (one byte a day of the month, one bit a kind), pushed onto `out`
    /// (made in place, not moved from call to call); returns the index of their unit.
    #[allow(clippy::too_many_arguments)]
    fn employee(
        &self,
        ei: usize,
        emp: &crate::org::Employee,
        rostered: bool,
        perf: &Perf,
        scans: Scans<'_>,
        absences: &[&attendance::Absence],
        attended_bits: &[u8],
        scratch: &mut Scratch,
        out: &mut Vec<EmployeeRecap>,
    ) -> Result<Option<usize>, LedgerError> {
        let ctx = self.ctx;
        let org = &ctx.city.organisation;
        let end_rules = ctx.month_end_rules();
        let counted_until = self.counted_until;
        // --- performance ---
        let (daily, counts, claimed) = (&perf.daily, perf.counts, perf.claimed);
        let mut verified = Minutes::ZERO;
        for (&m, rules) in daily.iter().zip(&self.rules) {
            if m == 0 {
                continue;
            }
            verified = verified.checked_add(activity::cap_daily(Minutes(m), &rules.activity))?;
        }

        // --- absences, target ---
        // The days of the month whose absence reduces the target under that day's
        // rules, and after the cut-off every day (the target is not owed either).
        let mut reduced = 0u32;
        for a in absences {
            let mut days = self.mask_of(&a.range);
            while days != 0 {
                let day0 = days.trailing_zeros() as usize;
                days &= days - 1;
                let rules = self.rules.get(day0).copied().unwrap_or(end_rules);
                if rules.targets.reduces_target(a.kind.code()) {
                    reduced |= 1 << day0;
                }
            }
        }
        let (first, last) = (self.first, self.last);
        if let Some(next) = counted_until.succ_opt().filter(|_| counted_until < last) {
            reduced |= self.mask_of(&crate::DateRange { start: next, end: last });
        }
        let assigned = targets::definitive_days_in(org, ei, first, last);
        // What the roster says of a rostered employee from the day before the month
        // to the day after, looked up once for the target and the days.
        let plan = rostered.then(|| Plan::new(ctx, &emp.nip));
        let target = match &self.frame {
            Ok(frame) => frame
                .target_rostered(&emp.nip, plan.as_ref().map(|p| |d| p.on(d)), assigned, reduced, &end_rules.targets)
                .map_err(|e| e.to_string()),
            Err(e) => Err(e.clone()),
        }
        .map_err(|message| LedgerError::Format { what: "targets", message })?;
        let achievement = if target.target_minutes.get() > 0 {
            if verified > target.target_minutes {
                // Past the target the quotient is above 100 (by at least 100 / target):
                // capped, it is 100 itself, without dividing.
                Some(Decimal::ONE_HUNDRED)
            } else {
                let pct =
                    Decimal::from(verified.get()) * Decimal::ONE_HUNDRED / Decimal::from(target.target_minutes.get());
                Some(pct.min(Decimal::ONE_HUNDRED))
            }
        } else {
            None
        };

        // --- attendance and roll call ---
        let mut att = MonthAttendance::default();
        let mut rc = MonthRollCall::default();
        let ceremonies = self.ceremonies;
        if let Scans::Sheet(days) = scans {
            // Off the roster, from the month sheet: the days judged on integers.
            self.sheet_days(assigned, days, absences, attended_bits, &mut att, &mut rc);
        } else {
            self.each_day(
                plan.as_ref(),
                assigned,
                scans,
                absences,
                &mut scratch.day_clocks,
                &mut scratch.by_day,
                |day, rules, working| {
                    att.add(day);
                    let day0 = day.date.day0();
                    let bits = attended_bits.get(day0 as usize).copied().unwrap_or(0);
                    for kind in [RollCallKind::Morning, RollCallKind::Afternoon, RollCallKind::Ceremony] {
                        let enabled = match kind {
                            RollCallKind::Morning => rules.rollcall.morning,
                            RollCallKind::Afternoon => rules.rollcall.afternoon,
                            RollCallKind::Ceremony => ceremonies >> day0 & 1 == 1,
                        };
                        let attended = bits & (1 << roll_call_bit(kind)) != 0;
                        let outcome = rollcall::roll_call_outcome_for_day(kind, enabled && working, attended, day);
                        rc.add(kind, outcome);
                    }
                },
            );
        }

        let held = org.last_definitive_in(ei, first, last);
        let position = held.map(|(a, _)| a.position.clone());
        let position_ix = held.and_then(|(_, p)| p);
        let unit_ix = position_ix.and_then(|p| ctx.position_unit(p));
        // The unit's id from the city's few units (at hand in the cache), not from the
        // position's record (one of thousands); the same id.
        let unit = unit_ix
            .and_then(|u| org.units().get(u))
            .map(|u| u.id.clone())
            .or_else(|| position_ix.and_then(|p| org.positions().get(p)).map(|p| p.unit.clone()));
        out.push(EmployeeRecap {
            employee: emp.nip.clone(),
            unit,
            position,
            target,
            claimed_minutes: claimed,
            verified_minutes: verified,
            achievement_percent: achievement,
            entries: counts,
            attendance: att,
            roll_call: rc,
        });
        Ok(unit_ix)
    }

    /// The attendance and roll calls of an employee off the roster (`assigned`: their
    /// definitive days, bit `d` = day `d + 1`) from their month-sheet row (`days`: the
    /// chosen scans of each day and their indices), added to `att` and `rc`: what [`Shared::each_day`]
    /// gives for them, on integers. A day that is not one of their office days (not
    /// assigned, a weekend or holiday) counts nothing and holds no roll call; an
    /// office day's scans become seconds late and early against the day's hours
    /// (looked up once for the month, [`Shared::office`]) and are judged by
    /// [`attendance::verdict`], the rules every judgement of a day goes through; the
    /// roll calls held that day by [`rollcall::outcome_for_verdict`], as
    /// [`rollcall::roll_call_outcome_for_day`] does. In a city recap the ordinary
    /// office days (no absence, both scans inside the day's window of
    /// [`Ordinary`]) are counted at once from the tables ([`Ordinary::add`]), the
    /// others judged one by one.
    fn sheet_days(
        &self,
        assigned: u32,
        days: EmployeeScans<'_>,
        absences: &[&attendance::Absence],
        attended_bits: &[u8],
        att: &mut MonthAttendance,
        rc: &mut MonthRollCall,
    ) {
        let judged = assigned & self.office_days;
        let mut ordinary_days = 0u32;
        if let Some(o) = &self.ordinary {
            let absent = absences.iter().fold(0u32, |acc, a| acc | self.mask_of(&a.range));
            // Attended roll calls on the ordinary days, one mask a kind.
            let mut attended = [0u32; 3];
            let mut m = judged & !absent;
            while m != 0 {
                let day0 = m.trailing_zeros() as usize;
                m &= m - 1;
                let Some(&(in_by, out_from)) = o.window.get(day0) else { continue };
                if days.day(day0).is_some_and(|s| s.within(in_by, out_from)) {
                    ordinary_days |= 1 << day0;
                    let bits = attended_bits.get(day0).copied().unwrap_or(0);
                    for (mask, kind) in attended.iter_mut().zip(ROLL_CALLS) {
                        *mask |= u32::from(bits >> roll_call_bit(kind) & 1) << day0;
                    }
                }
            }
            o.add(ordinary_days, &attended, att, rc);
        }
        let clocks = &self.ledger.state().clocks;
        let end_rules = self.ctx.month_end_rules();
        let mut rest = judged & !ordinary_days;
        while rest != 0 {
            let day0 = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            let Some(Some((start, end, held))) = self.office.get(day0).copied() else { continue };
            let Some(date) = self.dates.get(day0).copied() else { continue };
            let absence = if absences.is_empty() {
                None
            } else {
                absences.iter().find(|a| a.range.contains(date)).map(|a| &a.kind)
            };
            let scans = days.day(day0).map_or((None, None), |d| d.seconds(|| days.ix(day0), date, start, end, clocks));
            let rules = self.rules.get(day0).copied().unwrap_or(end_rules);
            let v = attendance::verdict(Some(scans), absence, &rules.attendance);
            att.add_verdict(&v);
            let bits = attended_bits.get(day0).copied().unwrap_or(0);
            for (i, kind) in ROLL_CALLS.into_iter().enumerate() {
                let attended = bits & (1 << roll_call_bit(kind)) != 0;
                let outcome = rollcall::outcome_for_verdict(kind, held >> i & 1 == 1, attended, v.status, v.off_site);
                rc.add(kind, outcome);
            }
        }
    }

    /// The days of the month within `range`, bit `d` = day `d + 1`.
    fn mask_of(&self, range: &crate::DateRange) -> u32 {
        let (from, to) = (range.start.max(self.first), range.end.min(self.last));
        if from > to {
            return 0;
        }
        let (a, b) = (from.day0(), to.day0());
        // Bits a..=b (b <= 30).
        (u32::MAX >> (31 - b)) & !((1u32 << a) - 1)
    }

    /// The month's ordinary office day as tables, each derived from the rules by
    /// calling them (see [`Ordinary`]): for every office day judged, the latest
    /// check-in and the earliest check-out that [`attendance::verdict`] judges as it
    /// judges a day scanned in at midnight and out at the last second (on time both
    /// ways: the day's ordinary verdict), found by bisection on `verdict` itself
    /// (its minutes late grow with the seconds, its minutes early shrink: a test
    /// holds the window to `verdict` at every second of the day); and for each
    /// distinct ordinary verdict, the roll-call outcome of each kind, held or not,
    /// attended or not, from [`rollcall::outcome_for_verdict`].
    fn ordinary_days(&self) -> Ordinary {
        let end_rules = self.ctx.month_end_rules();
        let mut o = Ordinary { window: [(0, 0); 31], held: [0; 3], classes: Vec::new() };
        for (day0, office) in self.office.iter().enumerate().take(self.judged_days) {
            let Some((start, end, held)) = *office else { continue };
            let params = &self.rules.get(day0).copied().unwrap_or(end_rules).attendance;
            let judge = |check_in: u32, check_out: u32| {
                let late = i64::from(check_in) - i64::from(start);
                let early = i64::from(end) - i64::from(check_out);
                attendance::verdict(Some((Some(late), Some(early))), None, params)
            };
            let ordinary = judge(0, LAST_SECOND);
            // The latest check-in judged as the ordinary day: `lo` is, `hi` is not (or
            // is past the day).
            let (mut lo, mut hi) = (0u32, LAST_SECOND + 1);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if judge(mid, LAST_SECOND) == ordinary { lo = mid } else { hi = mid }
            }
            let in_by = lo;
            // The earliest check-out judged so: `hi` is, `lo` is not (or is before the day).
            let out_from = if judge(0, 0) == ordinary {
                0
            } else {
                let (mut lo, mut hi) = (0u32, LAST_SECOND);
                while hi - lo > 1 {
                    let mid = lo + (hi - lo) / 2;
                    if judge(0, mid) == ordinary { hi = mid } else { lo = mid }
                }
                hi
            };
            if let Some(w) = o.window.get_mut(day0) {
                *w = (in_by, out_from);
            }
            for (i, mask) in o.held.iter_mut().enumerate() {
                *mask |= u32::from(held >> i & 1) << day0;
            }
            let class = match o.classes.iter().position(|c| c.verdict == ordinary) {
                Some(i) => i,
                None => {
                    let mut outcome = [[[RollCallOutcome::NotHeld; 2]; 2]; 3];
                    for (by_held, kind) in outcome.iter_mut().zip(ROLL_CALLS) {
                        for (h, by_attended) in by_held.iter_mut().enumerate() {
                            for (a, slot) in by_attended.iter_mut().enumerate() {
                                *slot = rollcall::outcome_for_verdict(
                                    kind,
                                    h == 1,
                                    a == 1,
                                    ordinary.status,
                                    ordinary.off_site,
                                );
                            }
                        }
                    }
                    o.classes.push(OrdinaryClass { verdict: ordinary, days: 0, outcome });
                    o.classes.len() - 1
                }
            };
            if let Some(c) = o.classes.get_mut(class) {
                c.days |= 1 << day0;
            }
        }
        o
    }

    /// Judges each day of the month up to `last_day` for one employee (`assigned`:
    /// their definitive days, bit `d` = day `d + 1`), calling `f` with the day, the
    /// rules in force and whether it was a working day for them. The recap's
    /// attendance and the day-by-day list are both made here.
    #[allow(clippy::too_many_arguments)]
    fn each_day(
        &self,
        plan: Option<&Plan<'c>>,
        assigned: u32,
        scans: Scans<'_>,
        absences: &[&attendance::Absence],
        day_clocks: &mut Vec<ClockEvent>,
        by_day: &mut Vec<(i64, usize)>,
        mut f: impl FnMut(&DayAttendance, &crate::ledger::DayRules, bool),
    ) {
        let ctx = self.ctx;
        let end_rules = ctx.month_end_rules();
        let mut date = ctx.month.first_day();
        let first = ctx.month.first_day();
        by_day.clear();
        day_clocks.clear();
        let rostered = plan.is_some();
        let plan_on = |day: NaiveDate| plan.and_then(|p| p.on(day));
        if let Scans::Listed(clocks) = scans {
            // Each scan's day: its date, or for a rostered employee the date of the shift
            // it is attributed to (a night shift's check-out on the next day is the
            // shift's). Only for an employee on a roster are scans attributed to shifts.
            for (ci, c) in clocks.iter().enumerate() {
                let d = c.at.date();
                let day = if rostered {
                    let shift = |day: Option<NaiveDate>| {
                        day.and_then(|day| match plan_on(day)? {
                            Rostered::Shift(p) => Some(p.on(day)),
                            Rostered::Off => None,
                        })
                    };
                    let (prev, same, next) = (shift(d.pred_opt()), shift(Some(d)), shift(d.succ_opt()));
                    let margin = ctx.rules(d).unwrap_or(end_rules).attendance.shift_scan_margin_minutes;
                    attendance::attribute_scan(c.at, c.direction, prev.as_ref(), same.as_ref(), next.as_ref(), margin)
                } else {
                    d
                };
                by_day.push(((day - first).num_days(), ci));
            }
            // Stable: a day's scans keep their recorded order.
            by_day.sort_by_key(|(day, _)| *day);
            day_clocks.extend(by_day.iter().filter_map(|&(_, ci)| clocks.get(ci)).cloned());
        }
        let state_clocks = &self.ledger.state().clocks;
        let mut cursor = 0usize;
        while date <= self.last_day {
            let day0 = date.day0();
            let is_assigned = assigned >> day0 & 1 == 1;
            let rules = self.rules.get(day0 as usize).copied().unwrap_or(end_rules);
            let plan = if is_assigned && rostered { plan_on(date) } else { None };
            // The loop runs over the month's days: the day's offset from the 1st.
            let key = i64::from(day0);
            let schedule = if is_assigned && plan.is_none() {
                match self.schedules.get(key as usize) {
                    Some(s) => s.as_ref(),
                    None => ctx.city.calendar.schedule(date),
                }
            } else {
                None
            };
            while by_day.get(cursor).is_some_and(|(d, _)| *d < key) {
                cursor += 1;
            }
            let start = cursor;
            while by_day.get(cursor).is_some_and(|(d, _)| *d == key) {
                cursor += 1;
            }
            // The scans that belong to this date (for an office day, those dated on it:
            // `evaluate_day` reads only those).
            let today = day_clocks.get(start..cursor).unwrap_or(&[]);
            let absence: Option<&AbsenceKind> = absences.iter().find(|a| a.range.contains(date)).map(|a| &a.kind);
            let day: DayAttendance = match (plan, scans) {
                (Some(Rostered::Shift(p)), _) => {
                    attendance::evaluate_shift_day(date, &p.on(date), today, absence, &rules.attendance)
                }
                (Some(Rostered::Off), _) => attendance::rostered_day_off(date, today),
                // Scans attributed to this date but dated the next (none without rosters)
                // are not the office day's: `evaluate_day` reads only those dated on it.
                (None, Scans::Listed(_)) => attendance::evaluate_day(date, schedule, today, absence, &rules.attendance),
                // The sheet keeps the day's earliest check-in and latest check-out, all
                // that `evaluate_day` reads of them.
                (None, Scans::Sheet(days)) => {
                    let (check_in, check_out) = days
                        .day(day0 as usize)
                        .zip(days.ix(day0 as usize))
                        .map_or((None, None), |(d, ix)| d.picked(&ix, date, state_clocks));
                    attendance::evaluate_picked(date, schedule, check_in, check_out, absence, &rules.attendance)
                }
            };
            // Roll calls (apel) are held on office days: a rostered shift is judged by
            // its scans only.
            f(&day, rules, schedule.is_some());
            date = match date.succ_opt() {
                Some(d) => d,
                None => break,
            };
        }
    }
}

/// One employee's attendance day by day, from the first of the ledger's month to
/// `as_of` (and the month's cut-off): each day judged by the same code as the
/// recap's attendance (status, scans, lateness and early-leave minutes and
/// bands), so that the days add up to [`EmployeeRecap::attendance`]
/// ([`attendance::summarise`] of them equals it). For a page or an app showing
/// the month as a calendar.
pub fn employee_days(
    ledger: &Ledger,
    ctx: &MonthContext<'_>,
    employee: &Nip,
    as_of: NaiveDate,
) -> Result<Vec<DayAttendance>, LedgerError> {
    let (ei, _) = known(ctx, employee)?;
    let state = ledger.state();
    let clocks: Vec<ClockEvent> = state.clocks.iter_of(employee).collect();
    let absences: Vec<&attendance::Absence> = state.absences.iter().filter(|a| &a.employee == employee).collect();
    let shared = Shared::new(ledger, ctx, as_of);
    let assigned = targets::definitive_days(&ctx.city.organisation, ei, ctx.month);
    let plan = ctx.city.rosters.has(employee).then(|| Plan::new(ctx, employee));
    let mut days = Vec::with_capacity(31);
    shared.each_day(
        plan.as_ref(),
        assigned,
        Scans::Listed(&clocks),
        &absences,
        &mut Vec::new(),
        &mut Vec::new(),
        |day, _, _| days.push(*day),
    );
    Ok(days)
}

fn unit_totals(
    org: &crate::org::Organisation,
    employees: &[EmployeeRecap],
    unit_ix: &[Option<usize>],
) -> Result<Vec<UnitRecap>, LedgerError> {
    let mut units: Vec<UnitRecap> = org
        .units()
        .iter()
        .map(|u| UnitRecap {
            unit: u.id.clone(),
            employees: 0,
            target_minutes: Minutes::ZERO,
            verified_minutes: Minutes::ZERO,
            mean_achievement_percent: None,
            entries: EntryCounts::default(),
            late_count: 0,
            early_count: 0,
            unexcused_days: 0,
            roll_calls_missed: 0,
        })
        .collect();
    // Each unit's sum and count of achievements, by unit index.
    let mut sums: Vec<(Decimal, u32)> = vec![(Decimal::ZERO, 0); units.len()];
    for (e, ui) in employees.iter().zip(unit_ix) {
        let Some(ui) = *ui else { continue };
        let Some(u) = units.get_mut(ui) else { continue };
        u.employees += 1;
        u.target_minutes = u.target_minutes.checked_add(e.target.target_minutes)?;
        u.verified_minutes = u.verified_minutes.checked_add(e.verified_minutes)?;
        u.entries.add(&e.entries);
        u.late_count += e.attendance.late.iter().map(|b| b.count).sum::<u32>();
        u.early_count += e.attendance.early.iter().map(|b| b.count).sum::<u32>();
        u.unexcused_days += e.attendance.unexcused_days;
        u.roll_calls_missed += e.roll_call.morning.missed + e.roll_call.afternoon.missed + e.roll_call.ceremony.missed;
        if let Some(a) = e.achievement_percent
            && let Some(s) = sums.get_mut(ui)
        {
            s.0 += a;
            s.1 += 1;
        }
    }
    for (u, (sum, count)) in units.iter_mut().zip(sums) {
        if count > 0 {
            u.mean_achievement_percent = Some(sum / Decimal::from(count));
        }
    }
    Ok(units)
}

/// Records grouped by employee index (a counting sort): `get(e)` lists the
/// record indices of employee `e` in their original order.
struct Grouped {
    offsets: Vec<usize>,
    items: Vec<usize>,
}

impl Grouped {
    /// Where the records of employee `e` are in `items`.
    fn range(&self, e: usize) -> Option<std::ops::Range<usize>> {
        match (self.offsets.get(e), self.offsets.get(e + 1)) {
            (Some(&a), Some(&b)) => Some(a..b),
            _ => None,
        }
    }

    fn get(&self, e: usize) -> &[usize] {
        match (self.offsets.get(e), self.offsets.get(e + 1)) {
            (Some(&a), Some(&b)) => self.items.get(a..b).unwrap_or(&[]),
            _ => &[],
        }
    }
}

fn group(n: usize, keys: impl Iterator<Item = usize> + Clone) -> Grouped {
    let mut offsets = vec![0usize; n + 2];
    for k in keys.clone() {
        if k < n {
            offsets[k + 2] += 1;
        }
    }
    for i in 2..offsets.len() {
        offsets[i] += offsets[i - 1];
    }
    let total = offsets[n + 1];
    let mut items = vec![0usize; total];
    for (i, k) in keys.enumerate() {
        if k < n {
            let slot = &mut offsets[k + 1];
            items[*slot] = i;
            *slot += 1;
        }
    }
    offsets.truncate(n + 1);
    Grouped { offsets, items }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ordinary office day's tables of a month equal the rules they are derived
    /// from: at every second of every office day of October 2026 (national policy),
    /// a check-in is inside the day's window exactly when `verdict` judges it as the
    /// ordinary day, and so is a check-out; each roll-call outcome of the table is
    /// `outcome_for_verdict`'s.
    #[test]
    fn the_ordinary_day_tables_are_the_rules_at_every_second() {
        let config = crate::generator::GeneratorConfig { seed: 1, units: 2, employees: 20, year: 2026 };
        let city = crate::generator::generate(&config).expect("generates").into_city().expect("city");
        let policy = crate::policy::Policy::national();
        let month = YearMonth::new(2026, 10).expect("month");
        let ctx = MonthContext::new(&city, &policy, month).expect("context");
        let ledger = Ledger::new(month);
        let shared = Shared::new(&ledger, &ctx, month.last_day());
        let o = shared.ordinary_days();
        let mut office_days = 0;
        for (day0, office) in shared.office.iter().enumerate() {
            let Some((start, end, _)) = *office else { continue };
            office_days += 1;
            let params = &shared.rules[day0].attendance;
            let judge = |check_in: u32, check_out: u32| {
                let scans = (Some(i64::from(check_in) - i64::from(start)), Some(i64::from(end) - i64::from(check_out)));
                attendance::verdict(Some(scans), None, params)
            };
            let class = o.classes.iter().find(|c| c.days >> day0 & 1 == 1).expect("every office day has a class");
            assert_eq!(o.classes.iter().filter(|c| c.days >> day0 & 1 == 1).count(), 1);
            let (in_by, out_from) = o.window[day0];
            for second in 0..=LAST_SECOND {
                assert_eq!(judge(second, LAST_SECOND) == class.verdict, second <= in_by, "day {day0}, in {second}");
                assert_eq!(judge(0, second) == class.verdict, second >= out_from, "day {day0}, out {second}");
            }
            // Both at the window's edge at once.
            assert_eq!(judge(in_by, out_from), class.verdict);
            for (k, kind) in ROLL_CALLS.into_iter().enumerate() {
                for h in 0..2 {
                    for a in 0..2 {
                        let v = class.verdict;
                        let expected = rollcall::outcome_for_verdict(kind, h == 1, a == 1, v.status, v.off_site);
                        assert_eq!(class.outcome[k][h][a], expected);
                    }
                }
            }
        }
        // October 2026 has 22 weekdays and no holiday.
        assert_eq!(office_days, 22);
        assert_eq!(o.window.iter().filter(|w| **w != (0, 0)).count(), 22);
        // National policy: no grace, started minutes. Thu 1 Oct, 07:30-16:00: on time
        // from a check-in at 07:30:00 (7 x 3,600 + 30 x 60 = 27,000 s; 27,001 s is one
        // started minute late) and a check-out at 16:00:00 (57,600 s). Fri 2 Oct,
        // 07:30-16:30: the check-out from 16:30:00 (59,400 s).
        assert_eq!(o.window[0], (27_000, 57_600));
        assert_eq!(o.window[1], (27_000, 59_400));
        // One ordinary verdict in the month: present, nothing late or early.
        assert_eq!(o.classes.len(), 1);
        assert_eq!(o.classes[0].verdict.status, attendance::DayStatus::Present);
        assert_eq!(o.classes[0].verdict.late_band, None);
        // Morning and afternoon roll calls are held on every office day, no ceremony.
        assert_eq!(o.held[0].count_ones(), 22);
        assert_eq!(o.held[2], 0);
    }

    #[test]
    fn grouping_keeps_order_and_skips_unknown() {
        let g = group(3, [2usize, 0, 2, usize::MAX, 1, 0].into_iter());
        assert_eq!(g.get(0), &[1, 5]);
        assert_eq!(g.get(1), &[4]);
        assert_eq!(g.get(2), &[0, 2]);
        assert_eq!(g.get(3), &[] as &[usize]);
    }
}
