//! The month's ledger: the stateful object an app embeds.
//!
//! A [`Ledger`] holds one month of a city's daily work: activity entries and their
//! verification, extra tasks, clock events, absences, roll-call marks and
//! ceremonies. It changes **only** through [`Command`]s. A command is checked
//! against the rules in force on its date (the [`MonthContext`] resolves the
//! policy for every day of the month); when it passes, it becomes an [`Event`]
//! appended to the journal, and the event is applied to the state. When it
//! fails, nothing changes: neither the state nor the journal.
//!
//! The state is, by construction, the replay of the journal: [`Ledger::replay`]
//! rebuilds exactly the same state from a saved [`Journal`], and
//! [`Ledger::snapshot`] serialises the state itself for quick loading.
//!
//! Every command carries its actor (a NIP) and its time; the core never reads a
//! clock. Verification transitions record who, when, from, to and why.
//!
//! ```text
//! LogActivity ─▶ submitted ──approve──▶ approved
//!                    │  ▲  └──reject───▶ rejected
//!                 return │
//!                    ▼  │resubmit
//!                 returned (the employee may edit it)
//! ```

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::activity::{
    self, ActivityEntry, ActivityError, ActivityId, ActivityInput, ActivityParams, Decision, EntryContext, Transition,
    VerificationError, VerificationStatus,
};
use crate::attendance::{self, Absence, AttendanceError, AttendanceParams, ClockEvent};
use crate::calendar::CompiledCalendar;
use crate::dataset::City;
use crate::ids::TaskId;
use crate::minutes::Minutes;
use crate::month::{DateRange, YearMonth};
use crate::org::{Nip, NotAuthorised};
use crate::policy::{Policy, PolicyError, Provenance};
use crate::rollcall::{Ceremony, RollCallKind, RollCallMark, RollCallParams};
use crate::targets::TargetParams;

/// The journal format version this library reads and writes.
pub const JOURNAL_VERSION: u32 = 1;

/// An extra task (tugas tambahan) registered for one employee by their
/// supervisor, which the employee may then log activities against.
#[doc(alias = "tugas tambahan")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtraTask {
    /// Task id, unique in the city (it must not clash with a position task).
    pub id: TaskId,
    /// The employee it is registered for.
    pub employee: Nip,
    /// What the task is.
    pub name: String,
    /// The unit its output is counted in.
    pub output_unit: String,
    /// Standard minutes per output unit.
    pub standard_minutes: Minutes,
    /// First day it may be logged.
    pub from: NaiveDate,
    /// Last day it may be logged (inclusive); `None` = to the end of the month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
}

/// The attendance list of one roll call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollCallList {
    /// The day.
    pub date: NaiveDate,
    /// Which roll call.
    pub kind: RollCallKind,
    /// Who attended.
    pub attended: Vec<Nip>,
    /// Who was marked absent explicitly (optional; unmarked employees are not
    /// attending either).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub absent: Vec<Nip>,
}

/// A verification transition as the journal stores it: the actor and time are
/// the event's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransitionItem {
    /// The entry.
    pub entry: ActivityId,
    /// The verifier's entitlement (absent for the employee's own resubmission).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<crate::org::VerifierRole>,
    /// Status before.
    pub from: VerificationStatus,
    /// Status after.
    pub to: VerificationStatus,
    /// Why (reject and return).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Approved quantity when lower than claimed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
}

impl TransitionItem {
    fn of(t: &Transition) -> Self {
        TransitionItem {
            entry: t.entry,
            role: t.role,
            from: t.from,
            to: t.to,
            reason: t.reason.clone(),
            quantity: t.quantity,
        }
    }

    fn transition(&self, by: &Nip, at: NaiveDateTime) -> Transition {
        Transition {
            entry: self.entry,
            by: by.clone(),
            role: self.role,
            at,
            from: self.from,
            to: self.to,
            reason: self.reason.clone(),
            quantity: self.quantity,
        }
    }
}

/// A request to change the ledger. Every command names its actor and time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    /// An employee logs an activity.
    LogActivity {
        /// The entry.
        input: ActivityInput,
    },
    /// The employee edits a submitted or returned entry (a returned entry stays
    /// returned until resubmitted).
    EditActivity {
        /// The entry edited.
        id: ActivityId,
        /// Its new content (same employee).
        input: ActivityInput,
    },
    /// The employee resubmits a returned entry.
    Resubmit {
        /// The entry.
        id: ActivityId,
    },
    /// A verifier decides on a submitted entry.
    Verify {
        /// The entry.
        id: ActivityId,
        /// Approve (possibly a lower quantity), reject or return.
        decision: Decision,
    },
    /// A verifier decides on several entries at once ("approve selected"). All or
    /// nothing: if any decision is refused, none is applied.
    VerifyMany {
        /// The entries and their decisions.
        decisions: Vec<(ActivityId, Decision)>,
    },
    /// A supervisor registers an extra task for a subordinate.
    RegisterExtraTask {
        /// The task.
        task: ExtraTask,
    },
    /// A clock event from a fingerprint or face reader or a phone.
    RecordClock {
        /// The event.
        event: ClockEvent,
    },
    /// An absence (leave, permit, sick, travel, unexcused, off-site half day).
    RecordAbsence {
        /// The absence; a range reaching outside the month is clipped to it.
        absence: Absence,
    },
    /// An employee's attendance at a roll call or ceremony.
    MarkRollCall {
        /// The mark.
        mark: RollCallMark,
    },
    /// A roll call's attendance list, as the unit's officer submits it: everyone
    /// listed attended. (Employees not listed are not marked.)
    RecordRollCall {
        /// The roll call.
        list: RollCallList,
    },
    /// A ceremony (upacara) is held on a date.
    DeclareCeremony {
        /// The ceremony.
        ceremony: Ceremony,
    },
    /// The month is closed: no change is accepted afterwards.
    CloseMonth,
}

/// A command with its actor and time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// Who issues the command.
    pub actor: Nip,
    /// When (local time of the region).
    pub at: NaiveDateTime,
    /// What is asked.
    #[serde(flatten)]
    pub command: Command,
}

/// A fact appended to the journal: what an accepted command did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// An activity entry was logged (status submitted).
    ActivityLogged {
        /// The id given to it.
        id: ActivityId,
        /// Its content.
        input: ActivityInput,
        /// The task's standard minutes at logging time.
        standard_minutes: Minutes,
    },
    /// An entry was edited by its employee.
    ActivityEdited {
        /// The entry.
        id: ActivityId,
        /// Its new content.
        input: ActivityInput,
        /// The task's standard minutes at editing time.
        standard_minutes: Minutes,
    },
    /// Verification transitions (approve, reject, return, resubmit) made by the
    /// event's actor at the event's time, in order.
    Transitions {
        /// One item per entry.
        items: Vec<TransitionItem>,
    },
    /// An extra task was registered.
    ExtraTaskRegistered {
        /// The task.
        task: ExtraTask,
    },
    /// A clock event was recorded.
    ClockRecorded {
        /// The event.
        event: ClockEvent,
    },
    /// An absence was recorded (already clipped to the month).
    AbsenceRecorded {
        /// The absence.
        absence: Absence,
    },
    /// Roll-call attendance was recorded.
    RollCallRecorded {
        /// Who attended which roll call (a single mark is a list of one).
        list: RollCallList,
    },
    /// A ceremony was declared.
    CeremonyDeclared {
        /// The ceremony.
        ceremony: Ceremony,
    },
    /// The month was closed.
    MonthClosed,
}

/// One journal line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Position in the journal, from 1.
    pub seq: u64,
    /// Who caused it.
    pub actor: Nip,
    /// When.
    pub at: NaiveDateTime,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
}

/// A month's journal as saved: the events in order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Journal {
    /// Format version; see [`JOURNAL_VERSION`].
    pub version: u32,
    /// The month.
    pub month: YearMonth,
    /// Every event, in order.
    pub events: Vec<Event>,
}

impl Journal {
    /// Reads a journal from JSON.
    pub fn from_json(json: &str) -> Result<Journal, LedgerError> {
        let j: Journal =
            serde_json::from_str(json).map_err(|e| LedgerError::Format { what: "journal", message: e.to_string() })?;
        if j.version != JOURNAL_VERSION {
            return Err(LedgerError::Format {
                what: "journal",
                message: format!("version {} is not supported (expected {JOURNAL_VERSION})", j.version),
            });
        }
        Ok(j)
    }

    /// Writes the journal as JSON (one event per line, for diffs and streaming).
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(64 + self.events.len() * 256);
        out.push_str(&format!("{{\"version\":{},\"month\":\"{}\",\"events\":[", self.version, self.month));
        for (i, e) in self.events.iter().enumerate() {
            out.push_str(if i == 0 { "\n" } else { ",\n" });
            // Plain data with string keys: serialisation cannot fail.
            out.push_str(&serde_json::to_string(e).unwrap_or_default());
        }
        out.push_str("\n]}\n");
        out
    }
}

/// Why a command was refused, or a journal could not be replayed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum LedgerError {
    /// The activity entry breaks a logging rule.
    #[error(transparent)]
    Activity(#[from] ActivityError),
    /// The verification step is not allowed.
    #[error(transparent)]
    Verification(#[from] VerificationError),
    /// The actor may not verify this employee's work.
    #[error(transparent)]
    NotAuthorised(#[from] NotAuthorised),
    /// The attendance record breaks a rule.
    #[error(transparent)]
    Attendance(#[from] AttendanceError),
    /// A policy value needed is missing or malformed.
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// A sum overflowed.
    #[error(transparent)]
    Arithmetic(#[from] crate::ArithmeticError),
    /// The employee is not in the city's dataset.
    #[error("{record} `{nip}`: employee not found (field `{field}`)")]
    UnknownEmployee {
        /// Kind of record the NIP came in.
        record: &'static str,
        /// Field of that record.
        field: &'static str,
        /// The NIP.
        nip: Nip,
    },
    /// The activity entry does not exist.
    #[error("activity `{id}` not found")]
    UnknownEntry {
        /// The id asked for.
        id: ActivityId,
    },
    /// The record's date is not in the ledger's month.
    #[error("{record}: date {date} is not in {month} (field `{field}`)")]
    WrongMonth {
        /// Kind of record.
        record: &'static str,
        /// Field holding the date.
        field: &'static str,
        /// The date given.
        date: NaiveDate,
        /// The ledger's month.
        month: YearMonth,
    },
    /// The month is closed: nothing may change.
    #[error("{month} is closed; no change is accepted")]
    MonthClosed {
        /// The month.
        month: YearMonth,
    },
    /// A record conflicts with one already stored.
    #[error("{record} `{id}`, field `{field}`: {message}")]
    Conflict {
        /// Kind of record.
        record: &'static str,
        /// Its id.
        id: String,
        /// The field at fault.
        field: &'static str,
        /// What conflicts.
        message: String,
    },
    /// Only the entry's own employee may do this.
    #[error("activity `{id}`: only its employee may {action}")]
    NotTheEmployee {
        /// The entry.
        id: ActivityId,
        /// What was attempted.
        action: &'static str,
    },
    /// A journal or snapshot cannot be read or does not belong to this month.
    #[error("{what}: {message}")]
    Format {
        /// Journal or snapshot.
        what: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A journal event cannot be replayed.
    #[error("journal event {seq}: {source}")]
    Replay {
        /// The event's position.
        seq: u64,
        /// Why it failed.
        #[source]
        source: Box<LedgerError>,
    },
}

impl LedgerError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            LedgerError::Activity(e) => e.code(),
            LedgerError::Verification(e) => e.code(),
            LedgerError::NotAuthorised(_) => "not_authorised",
            LedgerError::Attendance(e) => e.code(),
            LedgerError::Policy(e) => e.code(),
            LedgerError::Arithmetic(_) => "arithmetic",
            LedgerError::UnknownEmployee { .. } => "unknown_employee",
            LedgerError::UnknownEntry { .. } => "unknown_entry",
            LedgerError::WrongMonth { .. } => "wrong_month",
            LedgerError::MonthClosed { .. } => "month_closed",
            LedgerError::Conflict { .. } => "conflict",
            LedgerError::NotTheEmployee { .. } => "not_the_employee",
            LedgerError::Format { .. } => "format",
            LedgerError::Replay { .. } => "replay",
        }
    }
}

/// The rules in force for each day of a month, resolved once from the policy.
#[derive(Clone, Debug)]
pub struct DayRules {
    /// Activity logging and verification.
    pub activity: ActivityParams,
    /// Attendance.
    pub attendance: AttendanceParams,
    /// Roll call.
    pub rollcall: RollCallParams,
    /// Targets.
    pub targets: TargetParams,
}

/// Everything a month's commands are checked against: the city, the policy in
/// force on each day, the compiled calendar and the verification deadline.
#[derive(Debug)]
pub struct MonthContext<'a> {
    /// The city.
    pub city: &'a City,
    /// The month.
    pub month: YearMonth,
    /// The calendar compiled over the month and the weeks after it (deadlines).
    pub calendar: CompiledCalendar,
    /// Rules per day of the month (index 0 = the 1st).
    days: Vec<DayRules>,
    /// The verification deadline: the last day a decision is accepted.
    pub deadline: NaiveDate,
    /// Where every rule came from (each policy entry once).
    pub provenance: Vec<Provenance>,
    /// The month's cut-off (`allowance.cutoff_days`): days after it are not
    /// counted in the recap (neither work nor discipline nor target).
    pub cutoff: Option<NaiveDate>,
}

impl<'a> MonthContext<'a> {
    /// Resolves the policy for every day of `month`.
    pub fn new(city: &'a City, policy: &Policy, month: YearMonth) -> Result<Self, LedgerError> {
        let mut days = Vec::with_capacity(31);
        let mut provenance: Vec<Provenance> = Vec::new();
        let mut keep = |p: Vec<Provenance>| {
            for x in p {
                if !provenance.iter().any(|q| q.key == x.key && q.from == x.from && q.layer == x.layer) {
                    provenance.push(x);
                }
            }
        };
        for date in month.range().days() {
            let a = ActivityParams::from_policy(policy, date)?;
            let t = AttendanceParams::from_policy(policy, date)?;
            let r = RollCallParams::from_policy(policy, date)?;
            let g = TargetParams::from_policy(policy, date)?;
            keep(a.provenance);
            keep(t.provenance);
            keep(r.provenance);
            keep(g.provenance);
            days.push(DayRules { activity: a.params, attendance: t.params, rollcall: r.params, targets: g.params });
        }
        let last = days.last().ok_or(LedgerError::Format { what: "month", message: "empty month".into() })?;
        // Compile from the month's first day far enough to reach any deadline.
        let horizon = month.last_day() + chrono::Duration::days(60);
        let range = DateRange { start: month.first_day(), end: horizon };
        let calendar = city.calendar.compile(range);
        let deadline = activity::verification_deadline(&city.calendar, month, &last.activity).ok_or_else(|| {
            LedgerError::Format {
                what: "calendar",
                message: "no working day found for the verification deadline".into(),
            }
        })?;
        let cutoff = crate::allowance::AllowanceParams::cutoff_date(policy, month)?;
        keep(cutoff.provenance);
        Ok(MonthContext { city, month, calendar, days, deadline, provenance, cutoff: cutoff.params })
    }

    /// The first day on which the month is final for paying: the day after the
    /// verification deadline (pending entries then follow the policy), or the
    /// month's last day if that is later. The default `as_of` of a recap that
    /// feeds the allowance.
    pub fn settled_on(&self) -> NaiveDate {
        let after_deadline = self.deadline.succ_opt().unwrap_or(self.deadline);
        self.month.last_day().max(after_deadline)
    }

    /// The rules in force on `date` (a date of the month).
    pub fn rules(&self, date: NaiveDate) -> Option<&DayRules> {
        if YearMonth::of(date) != self.month {
            return None;
        }
        self.days.get(date.day0() as usize)
    }

    /// The rules in force on the month's last day (used for month-level settings
    /// such as the verification deadline and what happens to pending entries).
    pub fn month_end_rules(&self) -> &DayRules {
        // `new` refuses an empty month, so the vector has 28 to 31 elements.
        &self.days[self.days.len() - 1]
    }
}

/// The state of a month (what a snapshot holds).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LedgerState {
    /// Activity entries; entry `id` is at index `id - 1`.
    pub entries: Vec<ActivityEntry>,
    /// Every verification transition, in order.
    pub transitions: Vec<Transition>,
    /// Extra tasks registered.
    pub extra_tasks: Vec<ExtraTask>,
    /// Clock events.
    pub clocks: Vec<ClockEvent>,
    /// Absences (clipped to the month).
    pub absences: Vec<Absence>,
    /// Roll-call attendance lists.
    pub roll_calls: Vec<RollCallList>,
    /// Ceremonies declared.
    pub ceremonies: Vec<Ceremony>,
    /// When the month was closed, if it was.
    pub closed: Option<NaiveDateTime>,
}

/// A serialised ledger: the month, the state and how many journal events built it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Format version; see [`JOURNAL_VERSION`].
    pub version: u32,
    /// The month.
    pub month: YearMonth,
    /// Number of journal events applied.
    pub events: u64,
    /// The state.
    pub state: LedgerState,
}

/// Whether an event being applied was just checked by [`Ledger::execute`], or
/// comes from a saved journal and must be checked for entitlement again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Trust {
    Checked,
    Verify,
}

/// Indexes over the state, rebuilt on load; never serialised.
#[derive(Clone, Debug, Default)]
struct Indexes {
    /// Employee index of each entry (parallel to `entries`).
    entry_employee: Vec<u32>,
    /// Entries of (employee, day of month).
    by_day: HashMap<(u32, u32), Vec<u32>>,
    /// Absences of each employee.
    absences: HashMap<u32, Vec<u32>>,
    /// Extra tasks of each employee.
    extra: HashMap<u32, Vec<u32>>,
}

/// One month of a city's daily work. See the [module docs](self).
#[derive(Clone, Debug)]
pub struct Ledger {
    month: YearMonth,
    journal: Vec<Event>,
    state: LedgerState,
    idx: Indexes,
}

impl Ledger {
    /// An empty ledger for a month.
    pub fn new(month: YearMonth) -> Self {
        Ledger { month, journal: Vec::new(), state: LedgerState::default(), idx: Indexes::default() }
    }

    /// The month.
    pub fn month(&self) -> YearMonth {
        self.month
    }

    /// The state.
    pub fn state(&self) -> &LedgerState {
        &self.state
    }

    /// The journal's events, in order.
    pub fn events(&self) -> &[Event] {
        &self.journal
    }

    /// The journal, for saving.
    pub fn journal(&self) -> Journal {
        Journal { version: JOURNAL_VERSION, month: self.month, events: self.journal.clone() }
    }

    /// Consumes the ledger, returning its journal without copying the events.
    pub fn into_journal(self) -> Journal {
        Journal { version: JOURNAL_VERSION, month: self.month, events: self.journal }
    }

    /// A snapshot of the state.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            version: JOURNAL_VERSION,
            month: self.month,
            events: self.journal.len() as u64,
            state: self.state.clone(),
        }
    }

    /// An entry by id.
    pub fn entry(&self, id: ActivityId) -> Option<&ActivityEntry> {
        let i = usize::try_from(id.0).ok()?.checked_sub(1)?;
        self.state.entries.get(i)
    }

    /// Whether the month is closed.
    pub fn is_closed(&self) -> bool {
        self.state.closed.is_some()
    }

    /// Rebuilds a ledger by applying every event of a journal in order. The
    /// result's state equals the state of the ledger that wrote the journal.
    pub fn replay(ctx: &MonthContext<'_>, journal: &Journal) -> Result<Ledger, LedgerError> {
        Ledger::from_journal(ctx, journal.clone())
    }

    /// [`Ledger::replay`] taking the journal by value (no copy of the events).
    pub fn from_journal(ctx: &MonthContext<'_>, journal: Journal) -> Result<Ledger, LedgerError> {
        if journal.month != ctx.month {
            return Err(LedgerError::Format {
                what: "journal",
                message: format!("journal is for {}, the context for {}", journal.month, ctx.month),
            });
        }
        let mut ledger = Ledger::new(journal.month);
        ledger.journal.reserve(journal.events.len());
        for (i, e) in journal.events.into_iter().enumerate() {
            if e.seq != i as u64 + 1 {
                return Err(LedgerError::Format {
                    what: "journal",
                    message: format!("event {} has sequence number {}", i + 1, e.seq),
                });
            }
            ledger
                .apply(ctx, &e, Trust::Verify)
                .map_err(|source| LedgerError::Replay { seq: e.seq, source: Box::new(source) })?;
            ledger.journal.push(e);
        }
        Ok(ledger)
    }

    /// Loads a snapshot (indexes are rebuilt). The journal is not part of a
    /// snapshot: a ledger loaded this way starts a new journal segment whose
    /// sequence numbers continue from the snapshot's event count.
    pub fn from_snapshot(ctx: &MonthContext<'_>, snapshot: Snapshot) -> Result<Ledger, LedgerError> {
        if snapshot.month != ctx.month {
            return Err(LedgerError::Format {
                what: "snapshot",
                message: format!("snapshot is for {}, the context for {}", snapshot.month, ctx.month),
            });
        }
        let mut ledger = Ledger::new(snapshot.month);
        ledger.state = snapshot.state;
        ledger.rebuild_indexes(ctx)?;
        Ok(ledger)
    }

    fn rebuild_indexes(&mut self, ctx: &MonthContext<'_>) -> Result<(), LedgerError> {
        let org = &ctx.city.organisation;
        let mut idx = Indexes::default();
        for (i, e) in self.state.entries.iter().enumerate() {
            let emp = employee_index(org, &e.employee, "activity", "employee")?;
            idx.entry_employee.push(emp);
            if e.status != VerificationStatus::Rejected {
                idx.by_day.entry((emp, e.date.day0())).or_default().push(i as u32);
            }
        }
        for (i, a) in self.state.absences.iter().enumerate() {
            let emp = employee_index(org, &a.employee, "absence", "employee")?;
            idx.absences.entry(emp).or_default().push(i as u32);
        }
        for (i, t) in self.state.extra_tasks.iter().enumerate() {
            let emp = employee_index(org, &t.employee, "extra_task", "employee")?;
            idx.extra.entry(emp).or_default().push(i as u32);
        }
        self.idx = idx;
        Ok(())
    }

    /// Checks a command and, when it passes, appends its event and applies it.
    /// On error nothing changes. Returns the event appended.
    pub fn execute(&mut self, ctx: &MonthContext<'_>, request: Request) -> Result<&Event, LedgerError> {
        if ctx.month != self.month {
            return Err(LedgerError::Format {
                what: "context",
                message: format!("the context is for {}, the ledger for {}", ctx.month, self.month),
            });
        }
        let kind = self.check(ctx, &request)?;
        let event = Event { seq: self.journal.len() as u64 + 1, actor: request.actor, at: request.at, kind };
        // `check` has verified everything `apply` relies on; `apply` validates
        // before it mutates, so an error here also leaves the state untouched.
        self.apply(ctx, &event, Trust::Checked)?;
        self.journal.push(event);
        Ok(&self.journal[self.journal.len() - 1])
    }

    fn in_month(&self, record: &'static str, field: &'static str, date: NaiveDate) -> Result<(), LedgerError> {
        if YearMonth::of(date) == self.month {
            Ok(())
        } else {
            Err(LedgerError::WrongMonth { record, field, date, month: self.month })
        }
    }

    /// The standard minutes of `task` if it is one of the employee's tasks on `date`.
    fn task_minutes(
        &self,
        ctx: &MonthContext<'_>,
        emp: u32,
        nip: &Nip,
        task: &TaskId,
        date: NaiveDate,
    ) -> Option<Minutes> {
        let org = &ctx.city.organisation;
        if let Some(p) = org.definitive_position(nip, date)
            && let Some(t) = p.analysis.tasks.iter().find(|t| &t.id == task)
        {
            return Some(t.standard_minutes);
        }
        let extra = self.idx.extra.get(&emp)?;
        extra
            .iter()
            .filter_map(|&i| self.state.extra_tasks.get(i as usize))
            .find(|t| &t.id == task && t.from <= date && t.until.is_none_or(|u| date <= u))
            .map(|t| t.standard_minutes)
    }

    fn check_input(
        &self,
        ctx: &MonthContext<'_>,
        input: &ActivityInput,
        at: NaiveDateTime,
        editing: Option<ActivityId>,
    ) -> Result<Minutes, LedgerError> {
        self.in_month("activity", "date", input.date)?;
        let emp = employee_index(&ctx.city.organisation, &input.employee, "activity", "employee")?;
        let rules = ctx.rules(input.date).ok_or(LedgerError::WrongMonth {
            record: "activity",
            field: "date",
            date: input.date,
            month: self.month,
        })?;
        let mut same_day = Vec::new();
        if let Some(list) = self.idx.by_day.get(&(emp, input.date.day0())) {
            for &i in list {
                let Some(e) = self.state.entries.get(i as usize) else { continue };
                if Some(e.id) != editing && e.status != VerificationStatus::Rejected {
                    same_day.push((e.id, e.start, e.end));
                }
            }
        }
        let standard_minutes = self.task_minutes(ctx, emp, &input.employee, &input.task, input.date);
        let ec = EntryContext {
            now: at,
            calendar: &ctx.city.calendar,
            standard_minutes,
            same_day: &same_day,
            month_closed: self.is_closed(),
            params: &rules.activity,
        };
        activity::check_entry(input, &ec)?;
        standard_minutes.ok_or_else(|| {
            // check_entry refuses a task that is not the employee's; this is a guard only.
            LedgerError::Conflict {
                record: "activity",
                id: input.task.to_string(),
                field: "task",
                message: "task is not the employee's".into(),
            }
        })
    }

    fn check(&self, ctx: &MonthContext<'_>, r: &Request) -> Result<EventKind, LedgerError> {
        if self.is_closed() {
            return Err(LedgerError::MonthClosed { month: self.month });
        }
        let org = &ctx.city.organisation;
        Ok(match &r.command {
            Command::LogActivity { input } => {
                if input.employee != r.actor {
                    return Err(LedgerError::Conflict {
                        record: "activity",
                        id: input.employee.to_string(),
                        field: "employee",
                        message: format!("{} may not log activities for another employee", r.actor),
                    });
                }
                let standard_minutes = self.check_input(ctx, input, r.at, None)?;
                let id = ActivityId(self.state.entries.len() as u64 + 1);
                EventKind::ActivityLogged { id, input: input.clone(), standard_minutes }
            }
            Command::EditActivity { id, input } => {
                let entry = self.entry(*id).ok_or(LedgerError::UnknownEntry { id: *id })?;
                activity::may_edit(entry, &r.actor)?;
                if input.employee != entry.employee {
                    return Err(LedgerError::NotTheEmployee { id: *id, action: "move an entry to another employee" });
                }
                let standard_minutes = self.check_input(ctx, input, r.at, Some(*id))?;
                EventKind::ActivityEdited { id: *id, input: input.clone(), standard_minutes }
            }
            Command::Resubmit { id } => {
                let entry = self.entry(*id).ok_or(LedgerError::UnknownEntry { id: *id })?;
                let transition = activity::resubmit(entry, &r.actor, r.at)?;
                EventKind::Transitions { items: vec![TransitionItem::of(&transition)] }
            }
            Command::Verify { id, decision } => {
                let entry = self.entry(*id).ok_or(LedgerError::UnknownEntry { id: *id })?;
                let role =
                    activity::authorise_verifier(org, &ctx.city.delegations, &r.actor, &entry.employee, entry.date)?;
                let transition =
                    activity::decide(entry, decision, &r.actor, role, r.at, ctx.deadline, self.is_closed())?;
                EventKind::Transitions { items: vec![TransitionItem::of(&transition)] }
            }
            Command::VerifyMany { decisions } => {
                let mut items = Vec::with_capacity(decisions.len());
                let mut seen = std::collections::HashSet::with_capacity(decisions.len());
                for (id, decision) in decisions {
                    if !seen.insert(*id) {
                        return Err(LedgerError::Conflict {
                            record: "activity",
                            id: id.to_string(),
                            field: "id",
                            message: "the same entry appears twice in one batch".into(),
                        });
                    }
                    let entry = self.entry(*id).ok_or(LedgerError::UnknownEntry { id: *id })?;
                    let role = activity::authorise_verifier(
                        org,
                        &ctx.city.delegations,
                        &r.actor,
                        &entry.employee,
                        entry.date,
                    )?;
                    let t = activity::decide(entry, decision, &r.actor, role, r.at, ctx.deadline, self.is_closed())?;
                    items.push(TransitionItem::of(&t));
                }
                EventKind::Transitions { items }
            }
            Command::RegisterExtraTask { task } => {
                employee_index(org, &task.employee, "extra_task", "employee")?;
                activity::authorise_verifier(org, &ctx.city.delegations, &r.actor, &task.employee, task.from)?;
                if task.standard_minutes.get() <= 0 {
                    return Err(LedgerError::Conflict {
                        record: "extra_task",
                        id: task.id.to_string(),
                        field: "standard_minutes",
                        message: "standard minutes must be positive".into(),
                    });
                }
                if task.until.is_some_and(|u| u < task.from) {
                    return Err(LedgerError::Conflict {
                        record: "extra_task",
                        id: task.id.to_string(),
                        field: "until",
                        message: "ends before it starts".into(),
                    });
                }
                let clash = org.positions().iter().any(|p| p.analysis.tasks.iter().any(|t| t.id == task.id))
                    || self.state.extra_tasks.iter().any(|t| t.id == task.id);
                if clash {
                    return Err(LedgerError::Conflict {
                        record: "extra_task",
                        id: task.id.to_string(),
                        field: "id",
                        message: "a task with this id already exists".into(),
                    });
                }
                EventKind::ExtraTaskRegistered { task: task.clone() }
            }
            Command::RecordClock { event } => {
                employee_index(org, &event.employee, "clock", "employee")?;
                self.in_month("clock", "at", event.at.date())?;
                EventKind::ClockRecorded { event: event.clone() }
            }
            Command::RecordAbsence { absence } => {
                let emp = employee_index(org, &absence.employee, "absence", "employee")?;
                let clipped = absence.range.intersect(&self.month.range()).ok_or(LedgerError::WrongMonth {
                    record: "absence",
                    field: "range",
                    date: absence.range.start,
                    month: self.month,
                })?;
                let absence = Absence { range: clipped, ..absence.clone() };
                let existing: Vec<Absence> = self
                    .idx
                    .absences
                    .get(&emp)
                    .map(|l| l.iter().filter_map(|&i| self.state.absences.get(i as usize).cloned()).collect())
                    .unwrap_or_default();
                let rules = ctx.rules(clipped.start).unwrap_or_else(|| ctx.month_end_rules());
                attendance::check_absence(&absence, &existing, &ctx.city.calendar, &rules.attendance)?;
                EventKind::AbsenceRecorded { absence }
            }
            Command::MarkRollCall { mark } => {
                employee_index(org, &mark.employee, "roll_call", "employee")?;
                self.in_month("roll_call", "date", mark.date)?;
                if mark.kind == RollCallKind::Ceremony && !self.state.ceremonies.iter().any(|c| c.date == mark.date) {
                    return Err(LedgerError::Conflict {
                        record: "roll_call",
                        id: mark.employee.to_string(),
                        field: "kind",
                        message: format!("no ceremony is declared on {}", mark.date),
                    });
                }
                let list = RollCallList {
                    date: mark.date,
                    kind: mark.kind,
                    attended: if mark.attended { vec![mark.employee.clone()] } else { Vec::new() },
                    absent: if mark.attended { Vec::new() } else { vec![mark.employee.clone()] },
                };
                EventKind::RollCallRecorded { list }
            }
            Command::RecordRollCall { list } => {
                self.in_month("roll_call", "date", list.date)?;
                for nip in list.attended.iter().chain(&list.absent) {
                    employee_index(org, nip, "roll_call", "attended")?;
                }
                if list.kind == RollCallKind::Ceremony && !self.state.ceremonies.iter().any(|c| c.date == list.date) {
                    return Err(LedgerError::Conflict {
                        record: "roll_call",
                        id: list.date.to_string(),
                        field: "kind",
                        message: format!("no ceremony is declared on {}", list.date),
                    });
                }
                EventKind::RollCallRecorded { list: list.clone() }
            }
            Command::DeclareCeremony { ceremony } => {
                self.in_month("ceremony", "date", ceremony.date)?;
                if self.state.ceremonies.iter().any(|c| c.date == ceremony.date) {
                    return Err(LedgerError::Conflict {
                        record: "ceremony",
                        id: ceremony.date.to_string(),
                        field: "date",
                        message: "a ceremony is already declared on this date".into(),
                    });
                }
                EventKind::CeremonyDeclared { ceremony: ceremony.clone() }
            }
            Command::CloseMonth => EventKind::MonthClosed,
        })
    }

    /// Applies an event to the state. Structural checks come first, so an error
    /// leaves the state as it was.
    fn apply(&mut self, ctx: &MonthContext<'_>, e: &Event, trust: Trust) -> Result<(), LedgerError> {
        if self.is_closed() {
            return Err(LedgerError::MonthClosed { month: self.month });
        }
        let org = &ctx.city.organisation;
        match &e.kind {
            EventKind::ActivityLogged { id, input, standard_minutes } => {
                self.in_month("activity", "date", input.date)?;
                let emp = employee_index(org, &input.employee, "activity", "employee")?;
                if trust == Trust::Verify && e.actor != input.employee {
                    return Err(LedgerError::Format {
                        what: "journal",
                        message: format!("{} logged an activity for {}", e.actor, input.employee),
                    });
                }
                if id.0 != self.state.entries.len() as u64 + 1 {
                    return Err(LedgerError::Format {
                        what: "journal",
                        message: format!("activity id {id} out of sequence"),
                    });
                }
                let entry = ActivityEntry {
                    id: *id,
                    employee: input.employee.clone(),
                    date: input.date,
                    start: input.start,
                    end: input.end,
                    task: input.task.clone(),
                    quantity: input.quantity,
                    approved_quantity: None,
                    standard_minutes: *standard_minutes,
                    description: input.description.clone(),
                    evidence: input.evidence.clone(),
                    status: VerificationStatus::Submitted,
                    submitted_at: e.at,
                    revision: 0,
                };
                self.idx.by_day.entry((emp, input.date.day0())).or_default().push(self.state.entries.len() as u32);
                self.idx.entry_employee.push(emp);
                self.state.entries.push(entry);
            }
            EventKind::ActivityEdited { id, input, standard_minutes } => {
                self.in_month("activity", "date", input.date)?;
                let i = self.entry_index(*id)?;
                let emp = self.idx.entry_employee[i];
                let entry = &mut self.state.entries[i];
                if entry.employee != input.employee {
                    return Err(LedgerError::NotTheEmployee { id: *id, action: "move an entry to another employee" });
                }
                let old_day = entry.date.day0();
                entry.date = input.date;
                entry.start = input.start;
                entry.end = input.end;
                entry.task = input.task.clone();
                entry.quantity = input.quantity;
                entry.standard_minutes = *standard_minutes;
                entry.description = input.description.clone();
                entry.evidence = input.evidence.clone();
                entry.revision += 1;
                if old_day != input.date.day0() {
                    if let Some(list) = self.idx.by_day.get_mut(&(emp, old_day)) {
                        list.retain(|&x| x as usize != i);
                    }
                    self.idx.by_day.entry((emp, input.date.day0())).or_default().push(i as u32);
                }
            }
            EventKind::Transitions { items } => {
                // Check every item first (against the statuses as they will be when
                // the earlier items of the batch are applied), then apply.
                let mut idx = Vec::with_capacity(items.len());
                let mut batch_status: HashMap<ActivityId, VerificationStatus> = HashMap::new();
                for item in items {
                    let i = self.entry_index(item.entry)?;
                    let status = batch_status.get(&item.entry).copied().unwrap_or(self.state.entries[i].status);
                    batch_status.insert(item.entry, item.to);
                    if trust == Trust::Verify {
                        // A journal is evidence: who decided must have been entitled to.
                        let entry = &self.state.entries[i];
                        let entitled = match item.role {
                            None => e.actor == entry.employee,
                            Some(_) => {
                                e.actor != entry.employee
                                    && activity::authorise_verifier(
                                        org,
                                        &ctx.city.delegations,
                                        &e.actor,
                                        &entry.employee,
                                        entry.date,
                                    )
                                    .is_ok()
                            }
                        };
                        if !entitled {
                            return Err(LedgerError::Format {
                                what: "journal",
                                message: format!("{} was not entitled to change activity {}", e.actor, item.entry),
                            });
                        }
                    }
                    if status != item.from {
                        return Err(LedgerError::Format {
                            what: "journal",
                            message: format!(
                                "transition of activity {} from {:?}, but it is {:?}",
                                item.entry, item.from, status
                            ),
                        });
                    }
                    idx.push(i);
                }
                for (item, i) in items.iter().zip(idx) {
                    let transition = item.transition(&e.actor, e.at);
                    let entry = &mut self.state.entries[i];
                    activity::apply(entry, &transition);
                    if entry.status == VerificationStatus::Rejected {
                        let key = (self.idx.entry_employee[i], entry.date.day0());
                        if let Some(list) = self.idx.by_day.get_mut(&key) {
                            list.retain(|&x| x as usize != i);
                        }
                    }
                    self.state.transitions.push(transition);
                }
            }
            EventKind::ExtraTaskRegistered { task } => {
                let emp = employee_index(org, &task.employee, "extra_task", "employee")?;
                self.idx.extra.entry(emp).or_default().push(self.state.extra_tasks.len() as u32);
                self.state.extra_tasks.push(task.clone());
            }
            EventKind::ClockRecorded { event } => {
                employee_index(org, &event.employee, "clock", "employee")?;
                self.in_month("clock", "at", event.at.date())?;
                self.state.clocks.push(event.clone());
            }
            EventKind::AbsenceRecorded { absence } => {
                let emp = employee_index(org, &absence.employee, "absence", "employee")?;
                self.in_month("absence", "range", absence.range.start)?;
                self.in_month("absence", "range", absence.range.end)?;
                self.idx.absences.entry(emp).or_default().push(self.state.absences.len() as u32);
                self.state.absences.push(absence.clone());
            }
            EventKind::RollCallRecorded { list } => {
                self.in_month("roll_call", "date", list.date)?;
                for nip in list.attended.iter().chain(&list.absent) {
                    employee_index(org, nip, "roll_call", "attended")?;
                }
                self.state.roll_calls.push(list.clone());
            }
            EventKind::CeremonyDeclared { ceremony } => {
                self.in_month("ceremony", "date", ceremony.date)?;
                self.state.ceremonies.push(ceremony.clone());
            }
            EventKind::MonthClosed => {
                self.state.closed = Some(e.at);
            }
        }
        Ok(())
    }

    fn entry_index(&self, id: ActivityId) -> Result<usize, LedgerError> {
        usize::try_from(id.0)
            .ok()
            .and_then(|i| i.checked_sub(1))
            .filter(|&i| i < self.state.entries.len())
            .ok_or(LedgerError::UnknownEntry { id })
    }

    /// Entries still awaiting a decision whose verifier is `verifier` on their
    /// date: the supervisor's queue.
    pub fn verification_queue(&self, ctx: &MonthContext<'_>, verifier: &Nip) -> Vec<&ActivityEntry> {
        self.state
            .entries
            .iter()
            .filter(|e| e.status == VerificationStatus::Submitted)
            .filter(|e| {
                activity::authorise_verifier(
                    &ctx.city.organisation,
                    &ctx.city.delegations,
                    verifier,
                    &e.employee,
                    e.date,
                )
                .is_ok()
            })
            .collect()
    }

    /// The employee index of each entry, parallel to `state().entries`.
    pub(crate) fn entry_employees(&self) -> &[u32] {
        &self.idx.entry_employee
    }
}

fn employee_index(
    org: &crate::org::Organisation,
    nip: &Nip,
    record: &'static str,
    field: &'static str,
) -> Result<u32, LedgerError> {
    org.employee_index(nip).map(|i| i as u32).ok_or_else(|| LedgerError::UnknownEmployee {
        record,
        field,
        nip: nip.clone(),
    })
}
