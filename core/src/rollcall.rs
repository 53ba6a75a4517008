//! Roll call (*apel*) and ceremonies (*upacara*), as pure rules.
//!
//! Many regions hold a short **morning roll call** (*apel pagi*) at the start of the
//! working day and an **afternoon roll call** (*apel sore*) at its end, and declare
//! **ceremonies** (*upacara*: the monthly *Hari Kesadaran Nasional* on the 17th,
//! national days). Attendance at them is part of the discipline record: one public
//! system rates the roll-call part of the allowance 100 % below 6 missed roll calls a
//! month and 0 % from 6 on (a cliff); per-miss rates are the smoother alternative.
//! Those rates belong to the allowance rules; this module only decides, for each roll
//! call, whether it was **held** and whether the employee **attended**, was
//! **excused** or **missed** it ([`roll_call_outcome`]), and counts the outcomes over a
//! month ([`MonthRollCall`]).
//!
//! # When a roll call is held ([`RollCallParams::is_held`])
//!
//! * Morning and afternoon roll calls: on every **working day** when the policy
//!   switch is on (`rollcall.morning`, `rollcall.afternoon`).
//! * A ceremony: on a **working day** for which a [`Ceremony`] is declared.
//!
//! A ceremony on a holiday (17 August) is therefore *not held* by this rule: the day
//! status of a non-working day ([`DayStatus::NonWorking`]) cannot tell whether the
//! employee was on leave, so such a ceremony cannot be judged fairly. A caller that
//! wants to count it can still pass `held = true`; the outcome then follows the
//! attendance mark.
//!
//! # The outcome ([`roll_call_outcome`])
//!
//! 1. Not held: [`RollCallOutcome::NotHeld`]; nothing is counted.
//! 2. The day is excused for the whole day (leave, permit, sickness, official travel,
//!    [`DayStatus::Excused`]): [`RollCallOutcome::Excused`], whatever the mark says.
//! 3. The day is unexcused (TK, [`DayStatus::Unexcused`]): [`RollCallOutcome::Absent`],
//!    even if a mark says attended: a TK day cannot have attended anything. It is
//!    not a *miss*: the whole day is already counted as an unexcused absence, and
//!    counting its roll calls as misses too would punish one absence twice.
//! 4. Otherwise the mark decides: [`RollCallOutcome::Attended`] or
//!    [`RollCallOutcome::Missed`].
//!
//! [`roll_call_outcome_for_day`] adds one rule from the day's attendance: an off-site
//! half day that replaces the check-in excuses the morning roll call, one that replaces
//! the check-out excuses the afternoon roll call.
//!
//! ```
//! use kinerja::attendance::{AbsenceKind, DayStatus, LeaveKind};
//! use kinerja::rollcall::{roll_call_outcome, RollCallKind, RollCallOutcome};
//!
//! let leave = DayStatus::Excused(AbsenceKind::Leave(LeaveKind::Annual));
//! assert_eq!(roll_call_outcome(RollCallKind::Morning, true, false, &leave), RollCallOutcome::Excused);
//! assert_eq!(roll_call_outcome(RollCallKind::Morning, true, false, &DayStatus::Present), RollCallOutcome::Missed);
//! assert_eq!(roll_call_outcome(RollCallKind::Morning, false, false, &DayStatus::NonWorking), RollCallOutcome::NotHeld);
//! ```

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::attendance::{ClockDirection, DayAttendance, DayStatus};
use crate::nip::Nip;
use crate::policy::{Binder, Bound, Policy, PolicyError};

/// Which gathering.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RollCallKind {
    /// Morning roll call (*apel pagi*).
    #[doc(alias = "apel pagi")]
    Morning,
    /// Afternoon roll call (*apel sore*).
    #[doc(alias = "apel sore")]
    Afternoon,
    /// A declared ceremony (*upacara*).
    #[doc(alias = "upacara")]
    Ceremony,
}

/// Whether one employee attended one roll call, as recorded by the unit's officer.
#[doc(alias = "absensi apel")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RollCallMark {
    /// Who.
    pub employee: Nip,
    /// The day.
    pub date: NaiveDate,
    /// Which roll call.
    pub kind: RollCallKind,
    /// True when present.
    pub attended: bool,
}

/// A declared ceremony (*upacara*), e.g. *Hari Kesadaran Nasional* on the 17th.
#[doc(alias = "upacara")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ceremony {
    /// The day.
    pub date: NaiveDate,
    /// Its name.
    pub name: String,
}

/// Which daily roll calls the policy in force holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollCallParams {
    /// Morning roll call held on working days (`rollcall.morning`).
    pub morning: bool,
    /// Afternoon roll call held on working days (`rollcall.afternoon`).
    pub afternoon: bool,
}

impl RollCallParams {
    /// Reads `rollcall.morning` and `rollcall.afternoon` in force on `date`, with
    /// their provenance.
    pub fn from_policy(policy: &Policy, date: NaiveDate) -> Result<Bound<RollCallParams>, PolicyError> {
        let mut b = Binder::new(policy, date);
        let params = RollCallParams { morning: b.bool("rollcall.morning")?, afternoon: b.bool("rollcall.afternoon")? };
        Ok(b.finish(params))
    }

    /// Whether roll call `kind` is held on `date` (see the [module docs](self)):
    /// only on a working day, when switched on (morning, afternoon) or declared in
    /// `ceremonies` (ceremony).
    pub fn is_held(&self, kind: RollCallKind, date: NaiveDate, working_day: bool, ceremonies: &[Ceremony]) -> bool {
        working_day
            && match kind {
                RollCallKind::Morning => self.morning,
                RollCallKind::Afternoon => self.afternoon,
                RollCallKind::Ceremony => ceremonies.iter().any(|c| c.date == date),
            }
    }
}

/// What a roll call means for one employee.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RollCallOutcome {
    /// Held and attended.
    Attended,
    /// Held, but the employee was excused for the day.
    Excused,
    /// Held and not attended without excuse.
    Missed,
    /// Held on a day of unexcused absence (TK): counted with the TK day, not as a miss.
    Absent,
    /// Not held: counts for nothing.
    NotHeld,
}

/// The outcome of one roll call for one employee (rules in the [module docs](self)).
///
/// `held` is the caller's answer to "was it held?", normally
/// [`RollCallParams::is_held`]; `attended` is the mark (false when there is none);
/// `day_status` is the employee's [`DayAttendance::status`] that day. `kind` does not
/// change the rule here; it is taken for symmetry with [`roll_call_outcome_for_day`].
pub fn roll_call_outcome(kind: RollCallKind, held: bool, attended: bool, day_status: &DayStatus) -> RollCallOutcome {
    let _ = kind;
    if !held {
        return RollCallOutcome::NotHeld;
    }
    match day_status {
        DayStatus::Excused(_) => RollCallOutcome::Excused,
        DayStatus::Unexcused => RollCallOutcome::Absent,
        DayStatus::Present | DayStatus::NonWorking => {
            if attended {
                RollCallOutcome::Attended
            } else {
                RollCallOutcome::Missed
            }
        }
    }
}

/// [`roll_call_outcome`] with the day's attendance: an off-site half day replacing the
/// check-in excuses the morning roll call, one replacing the check-out the afternoon
/// roll call (unless attended anyway, which counts as attended).
pub fn roll_call_outcome_for_day(
    kind: RollCallKind,
    held: bool,
    attended: bool,
    day: &DayAttendance,
) -> RollCallOutcome {
    outcome_for_verdict(kind, held, attended, day.status, day.off_site)
}

/// [`roll_call_outcome_for_day`] from what it reads of the day: its status and the
/// scan an off-site half day replaced (the recap's integer path calls it with a
/// day's [`crate::attendance::Verdict`]).
pub(crate) fn outcome_for_verdict(
    kind: RollCallKind,
    held: bool,
    attended: bool,
    status: DayStatus,
    off_site: Option<ClockDirection>,
) -> RollCallOutcome {
    let outcome = roll_call_outcome(kind, held, attended, &status);
    let off_site_excuses = matches!(
        (kind, off_site),
        (RollCallKind::Morning, Some(ClockDirection::In)) | (RollCallKind::Afternoon, Some(ClockDirection::Out))
    );
    if outcome == RollCallOutcome::Missed && off_site_excuses && status == DayStatus::Present {
        RollCallOutcome::Excused
    } else {
        outcome
    }
}

/// Outcomes of one kind of roll call over a period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollCallTally {
    /// Roll calls held (= attended + excused + missed).
    pub held: u32,
    /// Attended.
    pub attended: u32,
    /// Excused.
    pub excused: u32,
    /// Missed (on a day the employee was at work).
    pub missed: u32,
    /// Held on a day of unexcused absence (TK), counted with that day.
    #[serde(default)]
    pub absent: u32,
}

impl RollCallTally {
    /// Counts one outcome (a [`RollCallOutcome::NotHeld`] counts nothing).
    pub fn add(&mut self, outcome: RollCallOutcome) {
        self.add_times(outcome, 1);
    }

    /// Counts `n` roll calls of the same outcome: [`RollCallTally::add`] `n` times, at
    /// once (the recap counts a month's ordinary office days in bulk).
    pub(crate) fn add_times(&mut self, outcome: RollCallOutcome, n: u32) {
        // Counters of days in a period: saturating, never reached in practice.
        let counter = match outcome {
            RollCallOutcome::NotHeld => return,
            RollCallOutcome::Attended => &mut self.attended,
            RollCallOutcome::Excused => &mut self.excused,
            RollCallOutcome::Missed => &mut self.missed,
            RollCallOutcome::Absent => &mut self.absent,
        };
        *counter = counter.saturating_add(n);
        self.held = self.held.saturating_add(n);
    }
}

/// One employee's roll calls over a month, per kind.
#[doc(alias = "rekap apel")]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthRollCall {
    /// Morning roll calls.
    pub morning: RollCallTally,
    /// Afternoon roll calls.
    pub afternoon: RollCallTally,
    /// Ceremonies.
    pub ceremony: RollCallTally,
}

impl MonthRollCall {
    /// Counts one outcome under its kind.
    pub fn add(&mut self, kind: RollCallKind, outcome: RollCallOutcome) {
        self.tally_mut(kind).add(outcome);
    }

    /// Counts `n` outcomes alike under their kind ([`RollCallTally::add_times`]).
    pub(crate) fn add_times(&mut self, kind: RollCallKind, outcome: RollCallOutcome, n: u32) {
        self.tally_mut(kind).add_times(outcome, n);
    }

    /// The tally of one kind.
    pub fn tally(&self, kind: RollCallKind) -> &RollCallTally {
        match kind {
            RollCallKind::Morning => &self.morning,
            RollCallKind::Afternoon => &self.afternoon,
            RollCallKind::Ceremony => &self.ceremony,
        }
    }

    fn tally_mut(&mut self, kind: RollCallKind) -> &mut RollCallTally {
        match kind {
            RollCallKind::Morning => &mut self.morning,
            RollCallKind::Afternoon => &mut self.afternoon,
            RollCallKind::Ceremony => &mut self.ceremony,
        }
    }

    /// Morning and afternoon roll calls missed (the figure the "6 missed" cliff reads).
    pub fn daily_missed(&self) -> u32 {
        self.morning.missed.saturating_add(self.afternoon.missed)
    }
}
