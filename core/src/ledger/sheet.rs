//! The month sheet: what the recap reads of a ledger's state, kept compact and
//! up to date as the ledger applies events (live commands, replay and snapshots
//! all go through the same hooks), so that the recap of a city's month reads a
//! few megabytes in employee order instead of walking every entry, scan and
//! roll-call list.
//!
//! Per employee and day of the month (31 slots per employee):
//! * the credited minutes of the day's approved entries and of its entries still
//!   submitted (each entry's credited minutes are computed once, under the rules
//!   of its date, and moved between buckets as it is decided, edited or returned);
//! * the day's chosen scans: the earliest check-in and the latest check-out dated
//!   on it (the first recorded among equal times), which is all that
//!   [`crate::attendance::evaluate_day`] reads of an office day's scans;
//! * the roll calls attended (one bit per kind).
//!
//! Per employee: entry counts by status and the minutes claimed, over the
//! entries up to the month's cut-off. Employees on a roster keep the list of
//! their scans instead (a night shift's check-out belongs to the day before:
//! the recap attributes them exactly, the slower way).
//!
//! Per employee, a count of the events that touched what their recap line reads
//! (bumped by the hooks above and by an absence recorded), and the recap's lines
//! as last judged with the count each was judged at ([`crate::recap`]): a line is
//! reused while its count is unchanged.
//!
//! The sheet is built for one month context (its cut-off and the activity rules
//! of each day); [`Sheet::fits`] tells the recap whether it may be used with the
//! context it is given.

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};
use rustc_hash::FxHashMap;

use super::{Clocks, LedgerState, MonthContext, RollCallList};
use crate::activity::{self, ActivityParams, EntryFigures, VerificationStatus};
use crate::attendance::{ClockDirection, ClockEvent, Picked};
use crate::month::YearMonth;
use crate::rollcall::RollCallKind;

/// Days kept per employee.
pub(crate) const DAYS: usize = 31;

/// No scan.
const NO_SCAN: u32 = u32::MAX;
/// Set on a scan's seconds when the scan carries more than its second of the day
/// (a geofence verdict or a fraction of a second): it is read from the state.
const EXACT: u32 = 1 << 31;

/// The credited minutes of one employee's entries on one day, before the daily cap.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct DayMinutes {
    /// Approved entries. In 32 bits like every count of the sheet (8 bytes an
    /// employee-day, not 16); a sum past `i32` marks the sheet unusable.
    pub approved: i32,
    /// Entries awaiting a decision.
    pub submitted: i32,
}

/// One employee's chosen scans of one day: the second of the day of the earliest
/// check-in and of the latest check-out (8 bytes: what the recap's count of the
/// ordinary office days reads, [`DayScans::within`]); their indices in the state's
/// clocks are kept apart ([`ScanIx`]), read only for a scan carrying more than its
/// second.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DayScans {
    in_secs: u32,
    out_secs: u32,
}

impl Default for DayScans {
    fn default() -> Self {
        DayScans { in_secs: NO_SCAN, out_secs: NO_SCAN }
    }
}

/// The indices in the state's clocks of one employee's chosen scans of one day
/// (beside their [`DayScans`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ScanIx {
    in_ix: u32,
    out_ix: u32,
}

impl Default for ScanIx {
    fn default() -> Self {
        ScanIx { in_ix: NO_SCAN, out_ix: NO_SCAN }
    }
}

impl DayScans {
    /// The chosen check-in and check-out of `date` (the day these scans are of;
    /// `ix`: their indices).
    pub(crate) fn picked(&self, ix: &ScanIx, date: NaiveDate, clocks: &Clocks) -> (Option<Picked>, Option<Picked>) {
        let one = |secs: u32, ix: u32| -> Option<Picked> {
            if secs == NO_SCAN {
                return None;
            }
            if secs & EXACT != 0 {
                return clocks.picked(ix as usize);
            }
            let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, 0)?;
            Some(Picked { at: date.and_time(time), verdict: None, flagged: false })
        };
        (one(self.in_secs, ix.in_ix), one(self.out_secs, ix.out_ix))
    }

    /// Whether both chosen scans are there, the check-in at or before `in_by` and
    /// the check-out at or after `out_from` (seconds from midnight of the day the
    /// scans are of): a day the recap may count in bulk as its ordinary office day
    /// (see [`crate::recap`]). A scan kept with more than its second (a geofence
    /// verdict, a fraction of a second) is judged from its exact time, which lies
    /// in its second `s`: late by at most `s + 1 - start` seconds, early by at most
    /// `end - s`; so its check-in counts as within only when `s < in_by` (a second
    /// to spare), its check-out when `s >= out_from`, without reading the state.
    #[inline]
    pub(crate) fn within(&self, in_by: u32, out_from: u32) -> bool {
        let check_in = if self.in_secs & EXACT == 0 {
            self.in_secs <= in_by
        } else {
            // `NO_SCAN` has every bit set: never within.
            self.in_secs != NO_SCAN && (self.in_secs & !EXACT) < in_by
        };
        check_in && self.out_secs != NO_SCAN && (self.out_secs & !EXACT) >= out_from
    }

    /// What the day's judgement reads of these scans on an office day of `date`
    /// running from `start` to `end` (seconds from midnight): the seconds from the
    /// start to the chosen check-in and from the chosen check-out to the end
    /// (`None` for a missing scan), as `judge` computes them from the picked scans
    /// ([`DayScans::picked`]). A scan kept to the second is read without making its
    /// time; one carrying more (a fraction of a second, a geofence verdict) from the
    /// state, exactly as `judge` does, found by its index (`ix`, asked only then:
    /// the indices lie apart from the seconds).
    #[inline]
    pub(crate) fn seconds(
        &self,
        ix: impl Fn() -> Option<ScanIx>,
        date: NaiveDate,
        start: u32,
        end: u32,
        clocks: &Clocks,
    ) -> (Option<i64>, Option<i64>) {
        // A scan's time from the state, for one kept with more than its second.
        let exact = |pick: fn(ScanIx) -> u32| ix().and_then(|x| clocks.at(pick(x) as usize));
        let day_time = |secs: u32| NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).map(|t| date.and_time(t));
        let late = match self.in_secs {
            NO_SCAN => None,
            s if s & EXACT == 0 => Some(i64::from(s) - i64::from(start)),
            _ => exact(|x| x.in_ix).zip(day_time(start)).map(|(at, s)| (at - s).num_seconds()),
        };
        let early = match self.out_secs {
            NO_SCAN => None,
            s if s & EXACT == 0 => Some(i64::from(end) - i64::from(s)),
            _ => exact(|x| x.out_ix).zip(day_time(end)).map(|(at, e)| (e - at).num_seconds()),
        };
        (late, early)
    }
}

/// One employee's chosen scans in the month sheet, by day of the month
/// ([`Sheet::scans`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct EmployeeScans<'a> {
    sheet: &'a Sheet,
    emp: usize,
}

impl<'a> EmployeeScans<'a> {
    /// The chosen scans of day `day0` (of the month, 0-based).
    pub(crate) fn day(&self, day0: usize) -> Option<&'a DayScans> {
        self.sheet.day_slot(self.emp, day0).and_then(|k| self.sheet.scans.get(k))
    }

    /// The indices in the state's clocks of the chosen scans of day `day0`.
    pub(crate) fn ix(&self, day0: usize) -> Option<ScanIx> {
        self.sheet.day_slot(self.emp, day0).and_then(|k| self.sheet.scan_ix.get(k)).copied()
    }
}

/// One employee's entry counts (by status) and claimed minutes, over the entries
/// dated up to the cut-off.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Totals {
    /// Approved.
    pub approved: u32,
    /// Awaiting a decision.
    pub submitted: u32,
    /// Rejected.
    pub rejected: u32,
    /// Returned to the employee.
    pub returned: u32,
    /// Credited minutes of the entries not rejected.
    pub claimed: i64,
}

/// What an entry adds to the sheet: its credited minutes, its day and its status
/// ([`VerificationStatus::code`]), as last counted.
#[derive(Clone, Copy, Debug, Default)]
struct Counted {
    /// In 32 bits (8 bytes a counted entry, not 16: ~6 MB less at Banda Aceh);
    /// an entry crediting more than `i32::MAX` minutes marks the sheet unusable
    /// and the recap reports it the slow way.
    credited: i32,
    /// Day of the month (0-based) in the low 5 bits, status above; `u8::MAX`: not counted.
    day_status: u8,
}

const NOT_COUNTED: u8 = u8::MAX;

/// The roll-call bit of a kind in a day's byte.
pub(crate) fn roll_call_bit(kind: RollCallKind) -> u8 {
    match kind {
        RollCallKind::Morning => 0,
        RollCallKind::Afternoon => 1,
        RollCallKind::Ceremony => 2,
    }
}

/// Bumps the touch count of employee `e`.
fn bump(touched: &mut [u32], e: usize) {
    if let Some(t) = touched.get_mut(e) {
        *t = t.wrapping_add(1);
    }
}

/// The month sheet (see the [module docs](self)).
#[derive(Clone, Debug, Default)]
pub(crate) struct Sheet {
    /// Sized and bound to a context.
    built: bool,
    month: Option<YearMonth>,
    employees: usize,
    /// Entries dated after this day count nothing (the month's cut-off).
    counted_until: Option<NaiveDate>,
    /// The activity rules each day's credited minutes were computed with.
    activity: Vec<ActivityParams>,
    /// A sum left the range of `i64`: the sheet cannot be used (the recap then
    /// reports the overflow the slow way).
    overflow: bool,
    /// Per entry, what it added.
    counted: Vec<Counted>,
    /// Per day of the month and employee, day by day: a journal's logs (and
    /// most decisions) come a day at a time, so the minutes a day touches lie
    /// together, 8 bytes an employee, instead of 31 days apart.
    minutes: Vec<DayMinutes>,
    totals: Vec<Totals>,
    /// Per day of the month and employee, day by day (as `minutes`).
    scans: Vec<DayScans>,
    /// The indices of the chosen scans, beside `scans`.
    scan_ix: Vec<ScanIx>,
    roll: Vec<u8>,
    rostered: Vec<bool>,
    /// The scans of each rostered employee, by index in the state's clocks.
    rostered_clocks: FxHashMap<u32, Vec<u32>>,
    /// Per employee, a count bumped (wrapping) by every event that touches what
    /// their recap line reads (an entry logged, edited or decided, a scan, an
    /// absence, a roll-call list naming them): a line judged at one count is
    /// still right while the count is the same.
    touched: Vec<u32>,
    /// The recap's lines judged from this sheet, each with the count it was
    /// judged at (see [`crate::recap`]); a clone of the sheet starts without.
    pub(crate) lines: crate::recap::LineCache,
}

impl Sheet {
    /// A sheet of `state` for `ctx` (a snapshot's, or a context other than the
    /// one the ledger was built with): what applying its events would have made.
    pub(crate) fn build(
        ctx: &MonthContext<'_>,
        state: &LedgerState,
        entry_employee: &[u32],
        clock_employee: &[u32],
    ) -> Sheet {
        let mut sheet = Sheet::default();
        sheet.ready(ctx);
        sheet.counted.reserve(state.entries.len());
        for (i, &emp) in entry_employee.iter().enumerate() {
            if let Some(e) = state.entries.figures(i) {
                sheet.entry(ctx, i, emp, e);
            }
        }
        for (i, (c, &emp)) in state.clocks.iter().zip(clock_employee).enumerate() {
            sheet.clock(ctx, &state.clocks, i as u32, emp, &c);
        }
        for l in &state.roll_calls {
            sheet.roll_call(ctx, l);
        }
        sheet
    }

    /// Sizes the sheet for the context's city and binds it to the context's rules.
    fn ready(&mut self, ctx: &MonthContext<'_>) {
        if self.built {
            return;
        }
        let org = &ctx.city.organisation;
        let n = org.employees().len();
        let month = ctx.month;
        self.built = true;
        self.month = Some(month);
        self.employees = n;
        self.counted_until = Some(ctx.cutoff.map_or(month.last_day(), |c| c.min(month.last_day())));
        self.activity = month.range().days().map(|d| ctx.rules_or_last(d).activity.clone()).collect();
        self.minutes = vec![DayMinutes::default(); n * DAYS];
        self.totals = vec![Totals::default(); n];
        self.scans = vec![DayScans::default(); n * DAYS];
        self.scan_ix = vec![ScanIx::default(); n * DAYS];
        self.roll = vec![0; n * DAYS];
        self.touched = vec![0; n];
        self.rostered = org.employees().iter().map(|e| ctx.city.rosters.has(&e.nip)).collect();
    }

    /// Whether the sheet was made for `ctx`'s month, city size, cut-off and
    /// activity rules, without an overflow: then the recap may read it.
    pub(crate) fn fits(&self, ctx: &MonthContext<'_>) -> bool {
        let month = ctx.month;
        self.built
            && !self.overflow
            && self.month == Some(month)
            && self.employees == ctx.city.organisation.employees().len()
            && self.counted_until == Some(ctx.cutoff.map_or(month.last_day(), |c| c.min(month.last_day())))
            && self.activity.len() == month.days() as usize
            && month.range().days().zip(&self.activity).all(|(d, a)| ctx.rules_or_last(d).activity == *a)
    }

    /// Reserves room for about `n` more entries' counts.
    pub(crate) fn reserve_entries(&mut self, n: usize) {
        self.counted.reserve(n);
    }

    /// Counts entry `i` (of the employee with index `emp`) as it now is, in place
    /// of what it counted before (when it was logged, edited or decided).
    pub(crate) fn entry(&mut self, ctx: &MonthContext<'_>, i: usize, emp: u32, e: EntryFigures<'_>) {
        self.ready(ctx);
        self.touch(emp);
        if let Some(old) = self.counted.get(i).copied() {
            self.add(emp, old, -1);
        }
        let counted = match self.counted_until {
            Some(until) if e.date <= until => {
                // The rules of the entry's date: the sheet's own copy for a date of
                // the month (`ready` took them from `ctx`), the context's otherwise.
                let rules = match self.activity.get(e.date.day0() as usize) {
                    Some(rules) if self.month == Some(YearMonth::of(e.date)) => rules,
                    _ => &ctx.rules_or_last(e.date).activity,
                };
                let credited = activity::credited_minutes(e, rules).get();
                match i32::try_from(credited) {
                    Ok(credited) => Counted { credited, day_status: e.date.day0() as u8 | (e.status.code() << 5) },
                    Err(_) => {
                        self.overflow = true;
                        Counted { credited: 0, day_status: NOT_COUNTED }
                    }
                }
            }
            _ => Counted { credited: 0, day_status: NOT_COUNTED },
        };
        self.add(emp, counted, 1);
        let len = self.counted.len();
        match self.counted.get_mut(i) {
            Some(slot) => *slot = counted,
            None if i == len => self.counted.push(counted),
            None => self.overflow = true,
        }
    }

    /// Counts entry `i` after a verification transition: as [`Sheet::entry`], but
    /// its credited minutes are kept unless it is now approved at another quantity
    /// than claimed or was approved before (a decision changes the status, not the
    /// content; an approval at the claimed quantity credits what the claim did, as
    /// [`activity::effective_quantity`] gives the claim then).
    pub(crate) fn decided(&mut self, ctx: &MonthContext<'_>, i: usize, emp: u32, e: EntryFigures<'_>) {
        self.touch(emp);
        let as_claimed = e.approved_quantity.is_none_or(|q| q == e.quantity);
        let old = match self.counted.get(i) {
            Some(old) if as_claimed && old.day_status != NOT_COUNTED => *old,
            Some(old) if as_claimed && old.day_status == NOT_COUNTED && self.built => return,
            _ => return self.entry(ctx, i, emp, e),
        };
        if old.day_status >> 5 == VerificationStatus::Approved.code() {
            return self.entry(ctx, i, emp, e);
        }
        self.add(emp, old, -1);
        let new = Counted { credited: old.credited, day_status: (old.day_status & 31) | (e.status.code() << 5) };
        self.add(emp, new, 1);
        if let Some(slot) = self.counted.get_mut(i) {
            *slot = new;
        }
    }

    /// Adds (`sign` 1) or takes away (`sign` -1) what an entry counts.
    fn add(&mut self, emp: u32, c: Counted, sign: i64) {
        if c.day_status == NOT_COUNTED {
            return;
        }
        let day = usize::from(c.day_status & 31);
        let status = c.day_status >> 5;
        let Some(minutes) = i64::from(c.credited).checked_mul(sign) else {
            self.overflow = true;
            return;
        };
        let slot = self.day_slot(emp as usize, day);
        let (Some(t), Some(m)) = (self.totals.get_mut(emp as usize), slot.and_then(|k| self.minutes.get_mut(k))) else {
            self.overflow = true;
            return;
        };
        let n = |x: &mut u32| *x = if sign > 0 { x.wrapping_add(1) } else { x.wrapping_sub(1) };
        let sum = |x: &mut i64| x.checked_add(minutes).map(|v| *x = v).is_some();
        let day = |x: &mut i32| i32::try_from(minutes).ok().and_then(|m| x.checked_add(m)).map(|v| *x = v).is_some();
        let ok = match VerificationStatus::from_code(status) {
            VerificationStatus::Submitted => {
                n(&mut t.submitted);
                sum(&mut t.claimed) & day(&mut m.submitted)
            }
            VerificationStatus::Approved => {
                n(&mut t.approved);
                sum(&mut t.claimed) & day(&mut m.approved)
            }
            VerificationStatus::Rejected => {
                n(&mut t.rejected);
                true
            }
            VerificationStatus::Returned => {
                n(&mut t.returned);
                sum(&mut t.claimed)
            }
        };
        if !ok {
            self.overflow = true;
        }
    }

    /// Takes in a clock event of the employee with index `emp` (`u32::MAX`: not
    /// in the dataset), the state's clock event number `ix` (`earlier` holds at
    /// least the state's clocks before it).
    pub(crate) fn clock(&mut self, ctx: &MonthContext<'_>, earlier: &Clocks, ix: u32, emp: u32, c: &ClockEvent) {
        self.ready(ctx);
        self.touch(emp);
        if self.rostered.get(emp as usize).copied().unwrap_or(false) {
            self.rostered_clocks.entry(emp).or_default().push(ix);
            return;
        }
        let date = c.at.date();
        if YearMonth::of(date) != ctx.month {
            return;
        }
        let Some(slot) = self.day_slot(emp as usize, date.day0() as usize) else { return };
        let (Some(s), Some(x)) = (self.scans.get_mut(slot), self.scan_ix.get_mut(slot)) else { return };
        let exact = if c.at.nanosecond() != 0 || c.geofence.is_some() { EXACT } else { 0 };
        let secs = c.at.time().num_seconds_from_midnight() | exact;
        // The chosen scan's time: its second of the day, or the state's record.
        let at = |secs: u32, ix: u32| -> Option<chrono::NaiveDateTime> {
            if secs & EXACT != 0 {
                earlier.at(ix as usize)
            } else {
                NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).map(|t| date.and_time(t))
            }
        };
        match c.direction {
            ClockDirection::In => {
                if s.in_secs == NO_SCAN || at(s.in_secs, x.in_ix).is_some_and(|t| c.at < t) {
                    s.in_secs = secs;
                    x.in_ix = ix;
                }
            }
            ClockDirection::Out => {
                if s.out_secs == NO_SCAN || at(s.out_secs, x.out_ix).is_some_and(|t| c.at > t) {
                    s.out_secs = secs;
                    x.out_ix = ix;
                }
            }
        }
    }

    /// Takes in a roll-call list (after those recorded before it).
    pub(crate) fn roll_call(&mut self, ctx: &MonthContext<'_>, l: &RollCallList) {
        self.ready(ctx);
        let org = &ctx.city.organisation;
        let bit = 1u8 << roll_call_bit(l.kind);
        let day = l.date.day0() as usize;
        for nip in &l.attended {
            if let Some(e) = ctx.tables.employee_index(org, nip)
                && let Some(b) = self.roll.get_mut(e * DAYS + day)
            {
                *b |= bit;
                bump(&mut self.touched, e);
            }
        }
        for nip in &l.absent {
            if let Some(e) = ctx.tables.employee_index(org, nip)
                && let Some(b) = self.roll.get_mut(e * DAYS + day)
            {
                *b &= !bit;
                bump(&mut self.touched, e);
            }
        }
    }

    /// Notes that an event touched what the recap line of the employee with index
    /// `emp` reads (an absence recorded; the other events note it themselves).
    pub(crate) fn touch(&mut self, emp: u32) {
        bump(&mut self.touched, emp as usize);
    }

    /// How many times events touched the employee's line (wrapping): see [`Sheet::touch`].
    pub(crate) fn touched(&self, emp: usize) -> u32 {
        self.touched.get(emp).copied().unwrap_or(0)
    }

    /// Where the day `day0` (of the month, 0-based) of the employee with index
    /// `emp` is kept in the tables by day (minutes, scans), if the sheet has that
    /// employee and day.
    fn day_slot(&self, emp: usize, day0: usize) -> Option<usize> {
        (emp < self.employees && day0 < DAYS).then_some(day0 * self.employees + emp)
    }

    /// The employee's entry minutes by day of the month (none for an employee
    /// the sheet does not have).
    pub(crate) fn minutes(&self, emp: usize) -> impl Iterator<Item = DayMinutes> + '_ {
        let from = if emp < self.employees { self.minutes.get(emp..).unwrap_or(&[]) } else { &[] };
        from.iter().step_by(self.employees.max(1)).copied()
    }

    /// The employee's entry counts and claimed minutes.
    pub(crate) fn totals(&self, emp: usize) -> Totals {
        self.totals.get(emp).copied().unwrap_or_default()
    }

    /// The employee's chosen scans by day of the month.
    pub(crate) fn scans(&self, emp: usize) -> EmployeeScans<'_> {
        EmployeeScans { sheet: self, emp }
    }

    /// The employee's roll calls attended by day of the month (one bit a kind).
    pub(crate) fn roll(&self, emp: usize) -> &[u8] {
        self.roll.get(emp * DAYS..emp * DAYS + DAYS).unwrap_or(&[])
    }

    /// Whether the employee is on a roster (their scans are listed, not sheeted).
    pub(crate) fn is_rostered(&self, emp: usize) -> bool {
        self.rostered.get(emp).copied().unwrap_or(false)
    }

    /// A rostered employee's scans, by index in the state's clocks, in recorded order.
    pub(crate) fn rostered_clocks(&self, emp: usize) -> &[u32] {
        u32::try_from(emp).ok().and_then(|e| self.rostered_clocks.get(&e)).map_or(&[], |v| v.as_slice())
    }
}
