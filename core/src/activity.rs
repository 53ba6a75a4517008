//! The daily activity log (*log harian*, *aktivitas harian*) and its verification.
//!
//! # What an employee logs
//!
//! Every working day an employee records what they did: the date, a start and end time,
//! the task (*uraian tugas*) from their own position's job analysis (or an extra task
//! assigned to them), the quantity of output, a description and optional evidence
//! ([`ActivityInput`]). The work is worth
//!
//! ```text
//! credited minutes = quantity x standard minutes of the task
//! ```
//!
//! capped, when the policy says so, by the entry's own time span (`end - start`): three
//! letters at 45 minutes each are 135 minutes of work, but an entry from 08:00 to 10:00
//! can hold at most 120 of them ("write what you do, do what you write", Banda Aceh's
//! motto). A day's credited minutes are then capped at a daily maximum
//! ([`cap_daily`], e.g. 450 minutes = one day's effective time under Perpres 21/2023).
//! Both caps are switches in the policy ([`ActivityParams`]).
//!
//! The standard minutes are a **snapshot** taken when the entry is logged
//! ([`ActivityEntry::standard_minutes`]): a later revision of the job analysis does not
//! change work already done.
//!
//! # The guards on an entry ([`check_entry`])
//!
//! Public systems declare limits and never enforce them; here each limit the policy
//! sets is checked, in this order, and the **first** failure is returned (the ledger
//! reports one reason per refused command):
//!
//! | # | check | error ([`ActivityError`]) | field |
//! |---|-------|---------------------------|-------|
//! | 1 | quantity at least 1 | `NonPositiveQuantity` | `quantity` |
//! | 2 | end after start (no entry crosses midnight) | `EndNotAfterStart` | `end` |
//! | 3 | date not after today (`date <= now.date()`) | `FutureDate` | `date` |
//! | 4 | the date's month not closed | `MonthClosed` | `date` |
//! | 5 | date inside the entry window | `OutsideEntryWindow` | `date` |
//! | 6 | a working day, unless non-working days are allowed | `NonWorkingDay` | `date` |
//! | 7 | start not before `schedule.start - overtime_before` | `BeforeWorkingHours` | `start` |
//! | 8 | end not after `schedule.end + overtime_after` | `AfterWorkingHours` | `end` |
//! | 9 | no overlap with the employee's other live entries that day | `Overlap` | `start` |
//! | 10 | the task is one of the employee's tasks on that date | `TaskNotAssigned` | `task` |
//! | 11 | quantity x standard minutes fits in 64 bits | `Overflow` | `quantity` |
//!
//! **The entry window.** With a window of *n* working days, the earliest date that may
//! still be logged is `calendar.nth_working_day_before(today, n)`: today counts as day
//! 0, and each working day before it counts one. With *n* = 3 on Monday 2026-01-12 the
//! days counted are Friday 9 (1), Thursday 8 (2) and Wednesday 7 (3), so Wednesday
//! 2026-01-07 is the earliest date and Tuesday 6 is refused. The weekend in between does
//! not count, and neither do holidays: on Monday 2026-01-19, with Friday 16 a holiday
//! (Isra Mikraj), the earliest date is Tuesday 13. *n* = 0 means today only. Any day
//! between the earliest date and today may be logged (subject to check 6). A month
//! that the city has closed for the allowance is never open for entries, whatever the
//! window says.
//!
//! **Working hours.** Times are checked against that date's schedule from the
//! [`WorkCalendar`], so Ramadan hours apply in Ramadan (08:00-15:00 in 2026, not
//! 07:30-16:00): a Ramadan entry starting 07:45 is before hours when no early overtime
//! is allowed. On a non-working day that the policy allows, there is no schedule and no
//! hours check. Times are compared to the second; spans are counted in whole minutes.
//!
//! **Overlap.** Intervals are half-open, `[start, end)`: 08:00-09:00 and 09:00-10:00
//! touch but do not overlap. Rejected entries are not "live" and do not block.
//!
//! # Verification: a small state machine
//!
//! The employee's direct supervisor (*atasan langsung*) on the activity's date, or
//! whoever acts for that position (Plt, Plh), or a delegate of that position
//! ([`Delegation`]), decides each entry ([`authorise_verifier`], [`decide`]):
//!
//! ```text
//!               approve (1 <= quantity <= claimed)
//!   Submitted ------------------------------------> Approved   (final)
//!    |   ^   \
//!    |   |    `-- reject (reason) ----------------> Rejected   (final)
//!    |   |
//!    |   `------- resubmit (by the employee) ---.
//!    |                                          |
//!    `----------- return (reason) ----------> Returned
//! ```
//!
//! - Only a `Submitted` entry can be decided; `Approved` and `Rejected` are final.
//! - Rejecting and returning need a reason (non-empty after trimming).
//! - The supervisor may approve a lower quantity than claimed (at least 1); the entry's
//!   minutes are then recomputed from the approved quantity ([`credited_minutes`]).
//! - The employee may edit their entry while it is `Submitted` or `Returned`
//!   ([`may_edit`]); editing a returned entry does not resubmit it, [`resubmit`] does.
//! - Nobody verifies their own work, whatever the organisation data says.
//! - Decisions are refused after the verification deadline (the *n*-th working day
//!   after the month's last day, [`verification_deadline`]) and once the month is
//!   closed.
//!
//! Entries are never created already approved: "verification" that can only reject is
//! a mistake seen in a public system. What happens to an entry still `Submitted` at the
//! deadline is policy ([`PendingAtDeadline`]): by default it does not count; a city may
//! choose to count it as claimed ([`counted_minutes`]).
//!
//! Everything here is **pure**: the functions look only at their arguments. The ledger
//! that stores entries and their transitions calls them and applies the results
//! ([`apply`]).
//!
//! ```
//! use chrono::{NaiveDate, NaiveTime};
//! use kinerja::activity::*;
//! use kinerja::calendar::WorkCalendar;
//! use kinerja::policy::Policy;
//! use kinerja::Minutes;
//!
//! let day = NaiveDate::from_ymd_opt(2026, 1, 12).unwrap(); // a Monday
//! let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
//! let params = ActivityParams::from_policy(&Policy::national(), day).unwrap().params;
//! let calendar = WorkCalendar::indonesia_2026();
//! let input = ActivityInput {
//!     employee: "199001012020012001".parse().unwrap(),
//!     date: day,
//!     start: t(8, 0),
//!     end: t(10, 0),
//!     task: "SURAT".into(),
//!     quantity: 3,
//!     description: "Drafted three letters".into(),
//!     evidence: None,
//! };
//! let ctx = EntryContext {
//!     now: day.and_time(t(16, 0)),
//!     calendar: &calendar,
//!     standard_minutes: Some(Minutes(45)),
//!     same_day: &[],
//!     month_closed: false,
//!     params: &params,
//! };
//! // 3 x 45 = 135 minutes of work, but 08:00-10:00 holds only 120.
//! assert_eq!(check_entry(&input, &ctx), Ok(Minutes(120)));
//! ```

use std::fmt;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

use crate::access::{Access, ActorId};
use crate::calendar::WorkCalendar;
use crate::error::Problem;
use crate::ids::{PositionId, TaskId};
use crate::minutes::Minutes;
use crate::month::YearMonth;
use crate::org::{Nip, NotAuthorised, VerifierRole};
use crate::policy::{Binder, Bound, Policy, PolicyError};

/// The record name every activity error reports.
pub const RECORD: &str = "activity";

// ---------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------

/// What happens to an entry still awaiting verification at the deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PendingAtDeadline {
    /// It does not count (only approved work counts). Policy text `"not_counted"`.
    NotCounted,
    /// It counts as if approved as claimed. Policy text `"auto_approve"`.
    AutoApprove,
}

impl PendingAtDeadline {
    /// The policy text: `"not_counted"` or `"auto_approve"`.
    pub fn as_str(self) -> &'static str {
        match self {
            PendingAtDeadline::NotCounted => "not_counted",
            PendingAtDeadline::AutoApprove => "auto_approve",
        }
    }

    /// Reads the policy text; `None` for anything else.
    pub fn from_text(text: &str) -> Option<Self> {
        match text {
            "not_counted" => Some(PendingAtDeadline::NotCounted),
            "auto_approve" => Some(PendingAtDeadline::AutoApprove),
            _ => None,
        }
    }
}

impl fmt::Display for PendingAtDeadline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The activity-log rules in force on a date, read from policy keys `activity.*`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityParams {
    /// Most minutes credited for one day (`activity.daily_cap_minutes`).
    pub daily_cap_minutes: Minutes,
    /// Whether the daily cap applies (`activity.cap_daily`).
    pub cap_daily: bool,
    /// Whether an entry's minutes are capped by its time span (`activity.cap_by_time_span`).
    pub cap_by_time_span: bool,
    /// Working days after its date an entry may still be logged; today is day 0
    /// (`activity.entry_window_working_days`).
    pub entry_window_working_days: u32,
    /// Whether entries may be dated on weekends and holidays (`activity.allow_non_working_days`).
    pub allow_non_working_days: bool,
    /// Minutes before the scheduled start an entry may begin (`activity.overtime_before_minutes`).
    pub overtime_before: Minutes,
    /// Minutes after the scheduled end an entry may finish (`activity.overtime_after_minutes`).
    pub overtime_after: Minutes,
    /// Working days after the month's last day by which entries must be verified
    /// (`activity.verification_deadline_working_days`).
    pub verification_deadline_working_days: u32,
    /// What happens to entries still pending at the deadline (`activity.pending_at_deadline`).
    pub pending_at_deadline: PendingAtDeadline,
}

impl ActivityParams {
    /// Reads the activity parameters in force on `date` from a policy, each with its
    /// provenance (layer, dated entry, legal reference).
    pub fn from_policy(policy: &Policy, date: NaiveDate) -> Result<Bound<ActivityParams>, PolicyError> {
        let mut b = Binder::new(policy, date);
        let count = |key: &str, v: i64| {
            u32::try_from(v).map_err(|_| PolicyError::BadValue {
                key: key.to_string(),
                message: format!("{v} is not a count of working days"),
            })
        };
        let daily_cap_minutes = Minutes(b.int("activity.daily_cap_minutes")?);
        let cap_daily = b.bool("activity.cap_daily")?;
        let cap_by_time_span = b.bool("activity.cap_by_time_span")?;
        let window_key = "activity.entry_window_working_days";
        let entry_window_working_days = count(window_key, b.int(window_key)?)?;
        let allow_non_working_days = b.bool("activity.allow_non_working_days")?;
        let overtime_before = Minutes(b.int("activity.overtime_before_minutes")?);
        let overtime_after = Minutes(b.int("activity.overtime_after_minutes")?);
        let deadline_key = "activity.verification_deadline_working_days";
        let verification_deadline_working_days = count(deadline_key, b.int(deadline_key)?)?;
        let pending_key = "activity.pending_at_deadline";
        let text = b.text(pending_key)?;
        let pending_at_deadline = PendingAtDeadline::from_text(&text).ok_or_else(|| PolicyError::BadValue {
            key: pending_key.to_string(),
            message: format!("`{text}` is not one of not_counted, auto_approve"),
        })?;
        Ok(b.finish(ActivityParams {
            daily_cap_minutes,
            cap_daily,
            cap_by_time_span,
            entry_window_working_days,
            allow_non_working_days,
            overtime_before,
            overtime_after,
            verification_deadline_working_days,
            pending_at_deadline,
        }))
    }
}

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

/// The id of an activity entry, given by the ledger.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ActivityId(pub u64);

impl fmt::Display for ActivityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What an employee submits for one activity.
#[doc(alias = "aktivitas harian")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityInput {
    /// Whose work.
    pub employee: Nip,
    /// The day the work was done.
    pub date: NaiveDate,
    /// When it started.
    pub start: NaiveTime,
    /// When it ended (after `start`, same day).
    pub end: NaiveTime,
    /// The task (uraian tugas) done.
    pub task: TaskId,
    /// Units of output claimed (volume).
    pub quantity: i64,
    /// What was done, in the employee's words (shared text: the same words logged
    /// day after day are held once).
    pub description: Arc<str>,
    /// A reference to evidence (file, link), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Arc<str>>,
}

/// Where an entry stands in verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerificationStatus {
    /// Awaiting the supervisor's decision.
    #[doc(alias = "menunggu verifikasi")]
    Submitted,
    /// Approved (final); only approved work counts.
    #[doc(alias = "disetujui")]
    Approved,
    /// Rejected with a reason (final).
    #[doc(alias = "ditolak")]
    Rejected,
    /// Returned to the employee for revision, with a reason.
    #[doc(alias = "dikembalikan")]
    Returned,
}

impl VerificationStatus {
    /// The status as snake_case text.
    pub fn as_str(self) -> &'static str {
        match self {
            VerificationStatus::Submitted => "submitted",
            VerificationStatus::Approved => "approved",
            VerificationStatus::Rejected => "rejected",
            VerificationStatus::Returned => "returned",
        }
    }

    /// The status in two bits, as the ledger's compact tables keep it (the month
    /// sheet's counted entries, the stored transitions): 0 submitted, 1 approved,
    /// 2 rejected, 3 returned. [`VerificationStatus::from_code`] reads it back.
    pub(crate) const fn code(self) -> u8 {
        match self {
            VerificationStatus::Submitted => 0,
            VerificationStatus::Approved => 1,
            VerificationStatus::Rejected => 2,
            VerificationStatus::Returned => 3,
        }
    }

    /// The status of a [`VerificationStatus::code`] (its low two bits; higher bits
    /// are ignored, so a code may share its byte with other fields).
    pub(crate) const fn from_code(code: u8) -> VerificationStatus {
        match code & 3 {
            0 => VerificationStatus::Submitted,
            1 => VerificationStatus::Approved,
            2 => VerificationStatus::Rejected,
            _ => VerificationStatus::Returned,
        }
    }
}

impl fmt::Display for VerificationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A logged activity as the ledger keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityEntry {
    /// The entry's id.
    pub id: ActivityId,
    /// Whose work.
    pub employee: Nip,
    /// The day the work was done.
    pub date: NaiveDate,
    /// When it started.
    pub start: NaiveTime,
    /// When it ended.
    pub end: NaiveTime,
    /// The task done.
    pub task: TaskId,
    /// Units of output claimed by the employee.
    pub quantity: i64,
    /// Units approved by the verifier (`Some` once approved; may be below `quantity`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_quantity: Option<i64>,
    /// The task's standard minutes per unit, as they were when the entry was logged.
    pub standard_minutes: Minutes,
    /// What was done.
    pub description: Arc<str>,
    /// A reference to evidence, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Arc<str>>,
    /// Where the entry stands in verification.
    pub status: VerificationStatus,
    /// When it was (last) submitted.
    pub submitted_at: NaiveDateTime,
    /// How many times the employee revised it (kept by the ledger; 0 when new).
    pub revision: u32,
}

impl ActivityEntry {
    /// A new, submitted entry (revision 0) from checked input and the task's standard
    /// minutes on the entry's date. Never approved on creation.
    pub fn submitted(
        id: ActivityId,
        input: ActivityInput,
        standard_minutes: Minutes,
        submitted_at: NaiveDateTime,
    ) -> ActivityEntry {
        ActivityEntry {
            id,
            employee: input.employee,
            date: input.date,
            start: input.start,
            end: input.end,
            task: input.task,
            quantity: input.quantity,
            approved_quantity: None,
            standard_minutes,
            description: input.description,
            evidence: input.evidence,
            status: VerificationStatus::Submitted,
            submitted_at,
            revision: 0,
        }
    }
}

/// What the verification and counting rules read of an entry: every figure of an
/// [`ActivityEntry`] but its task, description and evidence, borrowed or copied.
///
/// The rules ([`decide`], [`resubmit`], [`may_edit`], [`effective_quantity`],
/// [`credited_minutes`], [`counted_minutes`]) take anything that gives one, an
/// `&ActivityEntry` among them; the ledger gives them its stored rows this way
/// without building whole entries (no text is copied or shared).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntryFigures<'a> {
    /// The entry's id.
    pub id: ActivityId,
    /// Whose work.
    pub employee: &'a Nip,
    /// The day the work was done.
    pub date: NaiveDate,
    /// When it started.
    pub start: NaiveTime,
    /// When it ended.
    pub end: NaiveTime,
    /// Units of output claimed.
    pub quantity: i64,
    /// Units approved (`Some` once approved).
    pub approved_quantity: Option<i64>,
    /// The task's standard minutes per unit, as they were when the entry was logged.
    pub standard_minutes: Minutes,
    /// Where the entry stands in verification.
    pub status: VerificationStatus,
    /// When it was (last) submitted.
    pub submitted_at: NaiveDateTime,
}

impl<'a> From<&'a ActivityEntry> for EntryFigures<'a> {
    fn from(e: &'a ActivityEntry) -> Self {
        EntryFigures {
            id: e.id,
            employee: &e.employee,
            date: e.date,
            start: e.start,
            end: e.end,
            quantity: e.quantity,
            approved_quantity: e.approved_quantity,
            standard_minutes: e.standard_minutes,
            status: e.status,
            submitted_at: e.submitted_at,
        }
    }
}

/// A verifier's decision on a submitted entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// Approve, as claimed (`None`) or for a lower quantity `Some(q)`, `1 <= q <= claimed`.
    #[doc(alias = "setujui")]
    Approve {
        /// The quantity approved; `None` = as claimed.
        #[serde(default)]
        quantity: Option<i64>,
    },
    /// Reject for good; the work does not count.
    #[doc(alias = "tolak")]
    Reject {
        /// Why (required, non-empty).
        reason: String,
    },
    /// Send back to the employee for revision.
    #[doc(alias = "kembalikan")]
    Return {
        /// What to fix (required, non-empty).
        reason: String,
    },
}

impl Decision {
    /// The action this decision performs.
    pub fn action(&self) -> Action {
        match self {
            Decision::Approve { .. } => Action::Approve,
            Decision::Reject { .. } => Action::Reject,
            Decision::Return { .. } => Action::Return,
        }
    }
}

/// Something done to an entry, for error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The verifier approves.
    Approve,
    /// The verifier rejects.
    Reject,
    /// The verifier returns it for revision.
    Return,
    /// The employee resubmits a returned entry.
    Resubmit,
    /// The employee edits it.
    Edit,
}

impl Action {
    /// The action as snake_case text.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Return => "return",
            Action::Resubmit => "resubmit",
            Action::Edit => "edit",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One change of an entry's verification status, as recorded in the ledger's journal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    /// The entry changed.
    pub entry: ActivityId,
    /// Who changed it.
    pub by: ActorId,
    /// In what capacity the verifier acted; `None` for the employee's own resubmission
    /// or the system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<VerifierRole>,
    /// When.
    pub at: NaiveDateTime,
    /// Status before.
    pub from: VerificationStatus,
    /// Status after.
    pub to: VerificationStatus,
    /// The reason of a rejection or return (trimmed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The quantity approved (set on approval, as claimed or lower).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
}

/// A supervising position's verification delegated to someone for a date range
/// (both ends inclusive; `until = None` = open).
#[doc(alias = "delegasi")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delegation {
    /// The supervising position whose verification is delegated.
    pub position: PositionId,
    /// Who may verify for it.
    pub delegate: Nip,
    /// First day.
    pub from: NaiveDate,
    /// Last day, inclusive; `None` = open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    /// The decision or letter that delegates (e.g. a Nota Dinas number).
    pub reference: String,
}

impl Delegation {
    /// True when the delegation is in force on `date`.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.from <= date && self.until.is_none_or(|u| date <= u)
    }
}

/// What [`check_entry`] needs besides the input. Plain borrowed data: the ledger
/// assembles it from its indexes.
#[derive(Clone, Copy, Debug)]
pub struct EntryContext<'a> {
    /// The moment of logging (or editing).
    pub now: NaiveDateTime,
    /// The work calendar (working days, schedules, Ramadan hours).
    pub calendar: &'a WorkCalendar,
    /// The task's standard minutes per unit; `None` = the task is not one of the
    /// employee's tasks on that date.
    pub standard_minutes: Option<Minutes>,
    /// The employee's other live (not rejected) entries that day, excluding the one
    /// being edited: `(id, start, end)`.
    pub same_day: &'a [(ActivityId, NaiveTime, NaiveTime)],
    /// Whether the month of the entry's date is closed.
    pub month_closed: bool,
    /// The rules in force.
    pub params: &'a ActivityParams,
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// Why an activity entry is refused ([`check_entry`]). Each names the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActivityError {
    /// The quantity is zero or negative.
    #[error("activity field `quantity`: {quantity} is not a positive quantity")]
    NonPositiveQuantity {
        /// The quantity given.
        quantity: i64,
    },
    /// The end is not after the start (entries cannot cross midnight).
    #[error("activity field `end`: {end} is not after the start {start}")]
    EndNotAfterStart {
        /// The start given.
        start: NaiveTime,
        /// The end given.
        end: NaiveTime,
    },
    /// The date is after today.
    #[error("activity field `date`: {date} is in the future (today is {today})")]
    FutureDate {
        /// The date given.
        date: NaiveDate,
        /// Today.
        today: NaiveDate,
    },
    /// The month of the date is closed.
    #[error("activity field `date`: month {month} is closed")]
    MonthClosed {
        /// The closed month.
        month: YearMonth,
    },
    /// The date is before the earliest date the entry window allows.
    #[error(
        "activity field `date`: {date} is outside the entry window of {window} working day(s); the earliest date is {}",
        .earliest.map_or_else(|| "none".to_string(), |d| d.to_string())
    )]
    OutsideEntryWindow {
        /// The date given.
        date: NaiveDate,
        /// The earliest date allowed; `None` when the calendar has too few working days.
        earliest: Option<NaiveDate>,
        /// The window, in working days.
        window: u32,
    },
    /// The date is a weekend or holiday and the policy does not allow those.
    #[error("activity field `date`: {date} is not a working day")]
    NonWorkingDay {
        /// The date given.
        date: NaiveDate,
    },
    /// The start is before the day's scheduled start less the allowed early overtime.
    #[error("activity field `start`: {start} is before the earliest allowed start {earliest}")]
    BeforeWorkingHours {
        /// The start given.
        start: NaiveTime,
        /// The earliest allowed start that day.
        earliest: NaiveTime,
    },
    /// The end is after the day's scheduled end plus the allowed overtime.
    #[error("activity field `end`: {end} is after the latest allowed end {latest}")]
    AfterWorkingHours {
        /// The end given.
        end: NaiveTime,
        /// The latest allowed end that day.
        latest: NaiveTime,
    },
    /// The time span overlaps another live entry of the same employee that day.
    #[error("activity field `start`: {start}-{end} overlaps entry {other} ({other_start}-{other_end})")]
    Overlap {
        /// The start given.
        start: NaiveTime,
        /// The end given.
        end: NaiveTime,
        /// The entry overlapped.
        other: ActivityId,
        /// Its start.
        other_start: NaiveTime,
        /// Its end.
        other_end: NaiveTime,
    },
    /// The task is not one of the employee's tasks on the date.
    #[error("activity field `task`: task `{task}` is not one of the employee's tasks on {date}")]
    TaskNotAssigned {
        /// The task given.
        task: TaskId,
        /// The date given.
        date: NaiveDate,
    },
    /// Quantity x standard minutes does not fit in 64 bits.
    #[error("activity field `quantity`: {quantity} x {standard_minutes} overflows")]
    Overflow {
        /// The quantity given.
        quantity: i64,
        /// The task's standard minutes.
        standard_minutes: Minutes,
    },
}

impl ActivityError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ActivityError::NonPositiveQuantity { .. } => "non_positive_quantity",
            ActivityError::EndNotAfterStart { .. } => "end_not_after_start",
            ActivityError::FutureDate { .. } => "future_date",
            ActivityError::MonthClosed { .. } => "month_closed",
            ActivityError::OutsideEntryWindow { .. } => "outside_entry_window",
            ActivityError::NonWorkingDay { .. } => "non_working_day",
            ActivityError::BeforeWorkingHours { .. } => "before_working_hours",
            ActivityError::AfterWorkingHours { .. } => "after_working_hours",
            ActivityError::Overlap { .. } => "overlapping_entry",
            ActivityError::TaskNotAssigned { .. } => "task_not_assigned",
            ActivityError::Overflow { .. } => "arithmetic_overflow",
        }
    }

    /// The field of [`ActivityInput`] at fault.
    pub fn field(&self) -> &'static str {
        match self {
            ActivityError::NonPositiveQuantity { .. } | ActivityError::Overflow { .. } => "quantity",
            ActivityError::EndNotAfterStart { .. } | ActivityError::AfterWorkingHours { .. } => "end",
            ActivityError::FutureDate { .. }
            | ActivityError::MonthClosed { .. }
            | ActivityError::OutsideEntryWindow { .. }
            | ActivityError::NonWorkingDay { .. } => "date",
            ActivityError::BeforeWorkingHours { .. } | ActivityError::Overlap { .. } => "start",
            ActivityError::TaskNotAssigned { .. } => "task",
        }
    }

    /// The record kind: always `"activity"`.
    pub fn record(&self) -> &'static str {
        RECORD
    }

    /// The error as a [`Problem`] for the entry `id` (`None` for a new entry).
    pub fn to_problem(&self, id: Option<ActivityId>) -> Problem {
        Problem::new(RECORD, id.map(|i| i.to_string()).unwrap_or_default(), self.field(), self.code(), self.to_string())
    }
}

/// Why a verification step is refused ([`decide`], [`resubmit`], [`may_edit`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerificationError {
    /// The entry's status does not allow the action.
    #[error("activity {entry}, field `status`: cannot {action} an entry that is {from}")]
    InvalidTransition {
        /// The entry.
        entry: ActivityId,
        /// Its current status.
        from: VerificationStatus,
        /// What was attempted.
        action: Action,
    },
    /// A rejection or return without a reason.
    #[error("activity {entry}, field `reason`: a reason is required to {action}")]
    EmptyReason {
        /// The entry.
        entry: ActivityId,
        /// Reject or return.
        action: Action,
    },
    /// The approved quantity is not within `1..=claimed`.
    #[error("activity {entry}, field `approved_quantity`: {quantity} is not within 1..={claimed}")]
    QuantityOutOfRange {
        /// The entry.
        entry: ActivityId,
        /// The quantity to approve.
        quantity: i64,
        /// The quantity claimed.
        claimed: i64,
    },
    /// The decision comes after the verification deadline.
    #[error("activity {entry}, field `decided_at`: {at} is after the verification deadline {deadline}")]
    DeadlinePassed {
        /// The entry.
        entry: ActivityId,
        /// The last day decisions were allowed.
        deadline: NaiveDate,
        /// When the decision was attempted.
        at: NaiveDateTime,
    },
    /// The entry's month is closed.
    #[error("activity {entry}, field `date`: month {month} is closed")]
    MonthClosed {
        /// The entry.
        entry: ActivityId,
        /// The closed month.
        month: YearMonth,
    },
    /// Someone other than the entry's employee tried to edit or resubmit it.
    #[error("activity {entry}, field `employee`: `{by}` is not the employee who logged it")]
    NotOwner {
        /// The entry.
        entry: ActivityId,
        /// Who tried.
        by: ActorId,
    },
    /// The decision is dated before the entry was (last) submitted.
    #[error("activity {entry}, field `decided_at`: {at} is before the entry was submitted ({submitted_at})")]
    BeforeSubmission {
        /// The entry.
        entry: ActivityId,
        /// When it was submitted.
        submitted_at: NaiveDateTime,
        /// When the decision claims to be made.
        at: NaiveDateTime,
    },
    /// The verifier is the entry's employee.
    #[error("activity {entry}, field `verifier`: an employee may not verify their own work")]
    SelfVerification {
        /// The entry.
        entry: ActivityId,
    },
}

impl VerificationError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            VerificationError::InvalidTransition { .. } => "invalid_transition",
            VerificationError::EmptyReason { .. } => "empty_reason",
            VerificationError::QuantityOutOfRange { .. } => "quantity_out_of_range",
            VerificationError::DeadlinePassed { .. } => "deadline_passed",
            VerificationError::MonthClosed { .. } => "month_closed",
            VerificationError::NotOwner { .. } => "not_owner",
            VerificationError::SelfVerification { .. } => "self_verification",
            VerificationError::BeforeSubmission { .. } => "decided_before_submission",
        }
    }

    /// The field at fault.
    pub fn field(&self) -> &'static str {
        match self {
            VerificationError::InvalidTransition { .. } => "status",
            VerificationError::EmptyReason { .. } => "reason",
            VerificationError::QuantityOutOfRange { .. } => "approved_quantity",
            VerificationError::DeadlinePassed { .. } => "decided_at",
            VerificationError::MonthClosed { .. } => "date",
            VerificationError::NotOwner { .. } => "employee",
            VerificationError::SelfVerification { .. } => "verifier",
            VerificationError::BeforeSubmission { .. } => "decided_at",
        }
    }

    /// The entry concerned.
    pub fn entry(&self) -> ActivityId {
        match self {
            VerificationError::InvalidTransition { entry, .. }
            | VerificationError::EmptyReason { entry, .. }
            | VerificationError::QuantityOutOfRange { entry, .. }
            | VerificationError::DeadlinePassed { entry, .. }
            | VerificationError::MonthClosed { entry, .. }
            | VerificationError::NotOwner { entry, .. }
            | VerificationError::BeforeSubmission { entry, .. }
            | VerificationError::SelfVerification { entry } => *entry,
        }
    }

    /// The record kind: always `"activity"`.
    pub fn record(&self) -> &'static str {
        RECORD
    }

    /// The error as a [`Problem`].
    pub fn to_problem(&self) -> Problem {
        Problem::new(RECORD, self.entry().to_string(), self.field(), self.code(), self.to_string())
    }
}

// ---------------------------------------------------------------------------
// Entry rules
// ---------------------------------------------------------------------------

/// Seconds since midnight, as a wide integer (no wrapping arithmetic on clock times).
fn secs(t: NaiveTime) -> i64 {
    i64::from(t.num_seconds_from_midnight())
}

/// A clock time from seconds since midnight, clamped to the day.
fn time_of(secs: i64) -> NaiveTime {
    let clamped = secs.clamp(0, 86_399);
    u32::try_from(clamped)
        .ok()
        .and_then(|s| NaiveTime::from_num_seconds_from_midnight_opt(s, 0))
        .unwrap_or(NaiveTime::MIN)
}

/// Whole minutes from `start` to `end`; zero when `end` is not after `start`.
pub fn span_minutes(start: NaiveTime, end: NaiveTime) -> Minutes {
    Minutes(((secs(end) - secs(start)) / 60).max(0))
}

/// Minutes credited for `quantity` units of `standard` minutes over `start..end`
/// before the daily cap: the product, capped by the span when the policy says so.
/// `None` when the product overflows and no span cap bounds it.
fn credit(
    quantity: i64,
    standard: Minutes,
    start: NaiveTime,
    end: NaiveTime,
    params: &ActivityParams,
) -> Option<Minutes> {
    let product = standard.checked_mul(quantity).ok();
    if params.cap_by_time_span {
        let span = span_minutes(start, end);
        Some(product.map_or(span, |p| p.min(span)))
    } else {
        product
    }
}

/// Checks a new or edited entry against every rule in force and returns its credited
/// minutes before the daily cap (quantity x standard minutes, capped by the time span
/// when `cap_by_time_span`). The checks run in the order listed in the
/// [module docs](self); the first failure is returned.
///
/// Does not allocate unless it refuses.
pub fn check_entry(input: &ActivityInput, ctx: &EntryContext<'_>) -> Result<Minutes, ActivityError> {
    check_entry_with(input, ctx, &|today, n| ctx.calendar.nth_working_day_before(today, n), &|date| {
        ctx.calendar.schedule(date).copied()
    })
}

/// [`check_entry`] with the calendar's two answers supplied by the caller: the
/// `n`-th working day before a date (the entry window's earliest date) and a date's
/// schedule. The ledger answers them from a table compiled once per month; the
/// answers must be the calendar's ([`WorkCalendar::nth_working_day_before`],
/// [`WorkCalendar::schedule`]).
pub fn check_entry_with(
    input: &ActivityInput,
    ctx: &EntryContext<'_>,
    nth_working_day_before: &dyn Fn(NaiveDate, u32) -> Option<NaiveDate>,
    schedule_of: &dyn Fn(NaiveDate) -> Option<crate::calendar::DaySchedule>,
) -> Result<Minutes, ActivityError> {
    let p = ctx.params;
    // 1-2: the entry's own figures.
    if input.quantity <= 0 {
        return Err(ActivityError::NonPositiveQuantity { quantity: input.quantity });
    }
    if input.end <= input.start {
        return Err(ActivityError::EndNotAfterStart { start: input.start, end: input.end });
    }
    // 3-5: when it may be logged.
    let today = ctx.now.date();
    if input.date > today {
        return Err(ActivityError::FutureDate { date: input.date, today });
    }
    if ctx.month_closed {
        return Err(ActivityError::MonthClosed { month: YearMonth::of(input.date) });
    }
    let earliest = nth_working_day_before(today, p.entry_window_working_days);
    if earliest.is_none_or(|e| input.date < e) {
        return Err(ActivityError::OutsideEntryWindow {
            date: input.date,
            earliest,
            window: p.entry_window_working_days,
        });
    }
    // 6-8: the day and its hours.
    let schedule = schedule_of(input.date);
    match schedule {
        None if !p.allow_non_working_days => return Err(ActivityError::NonWorkingDay { date: input.date }),
        None => {}
        Some(s) => {
            let earliest = secs(s.start).saturating_sub(p.overtime_before.get().saturating_mul(60));
            if secs(input.start) < earliest {
                return Err(ActivityError::BeforeWorkingHours { start: input.start, earliest: time_of(earliest) });
            }
            let latest = secs(s.end).saturating_add(p.overtime_after.get().saturating_mul(60));
            if secs(input.end) > latest {
                return Err(ActivityError::AfterWorkingHours { end: input.end, latest: time_of(latest) });
            }
        }
    }
    // 9: half-open intervals [start, end) must not meet.
    if let Some(&(other, other_start, other_end)) =
        ctx.same_day.iter().find(|&&(_, s, e)| input.start < e && s < input.end)
    {
        return Err(ActivityError::Overlap { start: input.start, end: input.end, other, other_start, other_end });
    }
    // 10-11: the task and its worth.
    let Some(standard) = ctx.standard_minutes else {
        return Err(ActivityError::TaskNotAssigned { task: input.task.clone(), date: input.date });
    };
    credit(input.quantity, standard, input.start, input.end, p)
        .ok_or(ActivityError::Overflow { quantity: input.quantity, standard_minutes: standard })
}

/// The quantity that counts for an entry: the approved quantity once approved, else
/// the claimed one.
pub fn effective_quantity<'a>(entry: impl Into<EntryFigures<'a>>) -> i64 {
    let entry = entry.into();
    match (entry.status, entry.approved_quantity) {
        (VerificationStatus::Approved, Some(q)) => q,
        _ => entry.quantity,
    }
}

/// An entry's credited minutes before the daily cap: [`effective_quantity`] x the
/// snapshot standard minutes, capped by the time span when `cap_by_time_span`.
///
/// This is what the entry is *worth*, whatever its status; whether it *counts* is
/// [`counted_minutes`]. A product beyond 64 bits (impossible for an entry that passed
/// [`check_entry`]) saturates.
pub fn credited_minutes<'a>(entry: impl Into<EntryFigures<'a>>, params: &ActivityParams) -> Minutes {
    let entry = entry.into();
    let q = effective_quantity(entry);
    credit(q, entry.standard_minutes, entry.start, entry.end, params)
        .unwrap_or(Minutes(entry.standard_minutes.get().saturating_mul(q)))
}

/// What an entry contributes to its day before the daily cap: its credited minutes if
/// approved, or if still submitted after the deadline (`deadline_passed`) under
/// [`PendingAtDeadline::AutoApprove`]; otherwise zero. Returned entries are with the
/// employee, not pending verification, and never count.
pub fn counted_minutes<'a>(
    entry: impl Into<EntryFigures<'a>>,
    params: &ActivityParams,
    deadline_passed: bool,
) -> Minutes {
    let entry = entry.into();
    let counts = match entry.status {
        VerificationStatus::Approved => true,
        VerificationStatus::Submitted => deadline_passed && pending_outcome(params).is_some(),
        VerificationStatus::Rejected | VerificationStatus::Returned => false,
    };
    if counts { credited_minutes(entry, params) } else { Minutes::ZERO }
}

/// A day's total after the daily cap: `min(sum, daily_cap_minutes)` when `cap_daily`,
/// else `sum`.
pub fn cap_daily(sum: Minutes, params: &ActivityParams) -> Minutes {
    if params.cap_daily { sum.min(params.daily_cap_minutes) } else { sum }
}

// ---------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------

/// The last day on which a month's entries may be verified: the
/// `verification_deadline_working_days`-th working day after the month's last day
/// (0 = the last day itself). `None` when the calendar runs out of working days.
///
/// E.g. January 2026 with 5 days: after Saturday 31 January come Monday 2 (1),
/// Tuesday 3 (2), Wednesday 4 (3), Thursday 5 (4), Friday 6 February (5).
pub fn verification_deadline(calendar: &WorkCalendar, month: YearMonth, params: &ActivityParams) -> Option<NaiveDate> {
    calendar.nth_working_day_after(month.last_day(), params.verification_deadline_working_days)
}

/// What a submitted entry becomes at the verification deadline under the policy:
/// `Some(Approved)` for [`PendingAtDeadline::AutoApprove`] (counted as claimed), `None`
/// for [`PendingAtDeadline::NotCounted`] (it stays pending and does not count).
pub fn pending_outcome(params: &ActivityParams) -> Option<VerificationStatus> {
    match params.pending_at_deadline {
        PendingAtDeadline::AutoApprove => Some(VerificationStatus::Approved),
        PendingAtDeadline::NotCounted => None,
    }
}

/// Decides a submitted entry. `role` is the verifier's capacity as established by
/// [`authorise_verifier`]; `deadline` is the entry month's [`verification_deadline`].
///
/// Checks, in order: the verifier is not the employee; the entry is `Submitted`
/// (else [`VerificationError::InvalidTransition`]); the month is not closed; `at` is
/// not before the entry was submitted; `at` is on or before the deadline day; a
/// reject or return has a non-empty reason (stored trimmed); an approved quantity
/// lies in `1..=claimed`. The transition is of the entry (its id), from its
/// status.
pub fn decide<'a>(
    entry: impl Into<EntryFigures<'a>>,
    decision: &Decision,
    by: &ActorId,
    role: VerifierRole,
    at: NaiveDateTime,
    deadline: NaiveDate,
    month_closed: bool,
) -> Result<Transition, VerificationError> {
    let entry = entry.into();
    let id = entry.id;
    let action = decision.action();
    if by.is(entry.employee) {
        return Err(VerificationError::SelfVerification { entry: id });
    }
    if entry.status != VerificationStatus::Submitted {
        return Err(VerificationError::InvalidTransition { entry: id, from: entry.status, action });
    }
    if month_closed {
        return Err(VerificationError::MonthClosed { entry: id, month: YearMonth::of(entry.date) });
    }
    if at < entry.submitted_at {
        return Err(VerificationError::BeforeSubmission { entry: id, submitted_at: entry.submitted_at, at });
    }
    if at.date() > deadline {
        return Err(VerificationError::DeadlinePassed { entry: id, deadline, at });
    }
    let (to, reason, quantity) = match decision {
        Decision::Approve { quantity } => {
            let q = quantity.unwrap_or(entry.quantity);
            if q < 1 || q > entry.quantity {
                return Err(VerificationError::QuantityOutOfRange { entry: id, quantity: q, claimed: entry.quantity });
            }
            (VerificationStatus::Approved, None, Some(q))
        }
        Decision::Reject { reason } | Decision::Return { reason } => {
            let reason = reason.trim();
            if reason.is_empty() {
                return Err(VerificationError::EmptyReason { entry: id, action });
            }
            let to = if action == Action::Reject { VerificationStatus::Rejected } else { VerificationStatus::Returned };
            (to, Some(reason.to_string()), None)
        }
    };
    Ok(Transition { entry: id, by: by.clone(), role: Some(role), at, from: entry.status, to, reason, quantity })
}

/// The employee resubmits a returned entry (after editing it, or not).
pub fn resubmit<'a>(
    entry: impl Into<EntryFigures<'a>>,
    by: &ActorId,
    at: NaiveDateTime,
) -> Result<Transition, VerificationError> {
    let entry = entry.into();
    if !by.is(entry.employee) {
        return Err(VerificationError::NotOwner { entry: entry.id, by: by.clone() });
    }
    if entry.status != VerificationStatus::Returned {
        return Err(VerificationError::InvalidTransition {
            entry: entry.id,
            from: entry.status,
            action: Action::Resubmit,
        });
    }
    Ok(Transition {
        entry: entry.id,
        by: by.clone(),
        role: None,
        at,
        from: VerificationStatus::Returned,
        to: VerificationStatus::Submitted,
        reason: None,
        quantity: None,
    })
}

/// Whether `by` may edit the entry: only its employee, only while `Submitted` or
/// `Returned`. Editing does not change the status (a returned entry stays returned
/// until [`resubmit`]); the edited content is checked again with [`check_entry`].
pub fn may_edit<'a>(entry: impl Into<EntryFigures<'a>>, by: &ActorId) -> Result<(), VerificationError> {
    let entry = entry.into();
    if !by.is(entry.employee) {
        return Err(VerificationError::NotOwner { entry: entry.id, by: by.clone() });
    }
    match entry.status {
        VerificationStatus::Submitted | VerificationStatus::Returned => Ok(()),
        from @ (VerificationStatus::Approved | VerificationStatus::Rejected) => {
            Err(VerificationError::InvalidTransition { entry: entry.id, from, action: Action::Edit })
        }
    }
}

/// Applies a transition made by [`decide`] or [`resubmit`] for this entry: sets the
/// status, and the approved quantity (set on approval, cleared otherwise). The
/// revision counter and `submitted_at` are the ledger's to keep.
pub fn apply(entry: &mut ActivityEntry, t: &Transition) {
    (entry.status, entry.approved_quantity) = outcome(t);
}

/// What a transition leaves its entry with: the new status, and the approved
/// quantity (the transition's on approval, none otherwise). [`apply`] sets them.
pub fn outcome(t: &Transition) -> (VerificationStatus, Option<i64>) {
    (t.to, if t.to == VerificationStatus::Approved { t.quantity } else { None })
}

/// Who may decide on `decision_date` about `employee`'s work done on `work_date`,
/// and as what.
///
/// 1. Nobody verifies their own work ([`NotAuthorised::SelfVerification`]); an
///    employee verifier must be known and in service on the decision date.
/// 2. An employee whom [`Organisation::verifier_role_at`](crate::org::Organisation::verifier_role_at)
///    accepts: the holder of, or Plt/Plh in, the supervising position in charge on
///    the work date, holding or acting in it on the decision date.
/// 3. Otherwise, an employee named in a [`Delegation`] of that same supervising
///    position covering the **decision date**, in service then, as
///    [`VerifierRole::Delegate`].
/// 4. For an employee at the top of the chain with nobody above them (the
///    regional secretary), an official in office on the decision date and named to
///    verify that top position, as [`VerifierRole::Official`].
///
/// When none applies, the refusal says why. Devices are never verifiers.
pub fn authorise_verifier(
    access: &Access<'_>,
    verifier: &ActorId,
    employee: &Nip,
    work_date: NaiveDate,
    decision_date: NaiveDate,
) -> Result<VerifierRole, NotAuthorised> {
    let org = access.org;
    match verifier {
        ActorId::Employee(v) => {
            if v == employee {
                return Err(NotAuthorised::SelfVerification);
            }
            // Known, and in service on the day of the decision.
            access.employee(verifier, decision_date)?;
            match org.verifier_role_at(v, employee, work_date, decision_date) {
                Ok(role) => Ok(role),
                Err(refusal) => {
                    let delegated = !access.delegations.is_empty()
                        && matches!(org.supervising_position(employee, work_date), Some(Ok(s))
                            if access.delegations.iter().any(|d| d.position == s.id && d.delegate == *v && d.covers(decision_date)))
                        && access.in_service(v, decision_date);
                    if delegated { Ok(VerifierRole::Delegate) } else { Err(refusal) }
                }
            }
        }
        ActorId::Official(id) if access.authorities.official(id).is_none() => {
            Err(NotAuthorised::UnknownActor { actor: verifier.to_string() })
        }
        ActorId::Official(_) => match org.supervising_position(employee, work_date) {
            Some(Err(top)) => access.official_for(verifier, &top.id, decision_date).map(|()| VerifierRole::Official),
            Some(Ok(s)) => Err(NotAuthorised::NotTheVerifier { actor: verifier.to_string(), position: s.id.clone() }),
            None if org.employee(employee).is_none() => Err(NotAuthorised::UnknownEmployee { nip: employee.clone() }),
            None => Err(NotAuthorised::NoSupervisor { employee: employee.clone() }),
        },
        ActorId::Device(_) => Err(NotAuthorised::NotAnEmployee { actor: verifier.to_string() }),
    }
}
