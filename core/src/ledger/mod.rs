//! The month's ledger: the stateful object an app embeds, and its journal.
//!
//! A [`Ledger`] holds one month of a city's daily work: activity entries and their
//! verification, extra tasks, clock events, absences, roll-call marks and
//! ceremonies, and whether the month is closed. It changes **only** through
//! [`Command`]s. A command is checked against the rules in force on its date (the
//! [`MonthContext`] resolves the policy for every day of the month) and against
//! the **authorisation matrix** (`docs/authorisation.md`: who may issue it, from
//! the data; see [`crate::access`]); when it passes, it becomes an [`Event`]
//! appended to the journal and applied to the state. When it fails, nothing
//! changes: neither the state nor the journal.
//!
//! # The journal
//!
//! Each event carries its sequence number, the hash of the event before it and
//! its own SHA-256 hash ([`event`](Event)), so the journal is **tamper-evident**:
//! [`verify`] names the first event edited, removed, inserted, duplicated or
//! reordered. It is written and read as a **stream** ([`JournalWriter`],
//! [`JournalReader`]), as line-delimited JSON (the legal, readable record) or in a
//! compact binary form for batch work ([`JournalFormat`]).
//!
//! **Replay re-executes every event** through exactly the checks of a live
//! command ([`Ledger::replay`]): the event is turned back into the request that
//! made it ([`Request::of_event`]), checked against the ledger as it stood, and
//! the event it gives must be the one stored. A forged event (an approval by
//! someone not entitled, a rejection rewritten as an approval, work on a
//! Saturday, a back-dated decision, negative minutes) is refused with its number.
//!
//! **Record times never go backwards**: a command's record time is when the
//! record-keeper received it ([`Request::received_at`], or its `at`). A command
//! made earlier (offline on a phone, on an attendance machine) keeps both times,
//! and how far back it may claim to be is policy (`record.*`, [`RecordParams`]).
//!
//! ```text
//! LogActivity ─▶ submitted ──approve──▶ approved
//!                    │  ▲  └──reject───▶ rejected
//!                 return │
//!                    ▼  │resubmit
//!                 returned (the employee may edit it)
//!
//! open ──CloseMonth (HR officer)──▶ closed ──ReopenMonth (another HR officer, reason)──▶ open
//! ```

/// The standard traits of a compact row list ([`Clocks`], [`Transitions`]) that
/// stores `$item`s in its own layout and gives each back by value: built from and
/// extended by items, equal when the same items stand in the same order, and
/// (de)serialised as the plain list of items, so snapshots and seals do not see
/// the layout.
macro_rules! row_list_traits {
    ($list:ident, $item:ty) => {
        impl FromIterator<$item> for $list {
            fn from_iter<I: IntoIterator<Item = $item>>(iter: I) -> Self {
                let mut list = $list::new();
                list.extend(iter);
                list
            }
        }

        impl Extend<$item> for $list {
            fn extend<I: IntoIterator<Item = $item>>(&mut self, iter: I) {
                for item in iter {
                    self.push(item);
                }
            }
        }

        impl From<Vec<$item>> for $list {
            fn from(v: Vec<$item>) -> Self {
                v.into_iter().collect()
            }
        }

        impl PartialEq for $list {
            /// The same items in the same order (however they are stored).
            fn eq(&self, other: &Self) -> bool {
                self.len() == other.len() && self.iter().eq(other.iter())
            }
        }

        impl std::fmt::Debug for $list {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_list().entries(self.iter()).finish()
            }
        }

        impl serde::Serialize for $list {
            /// As the plain list of items.
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.iter())
            }
        }

        impl<'de> serde::Deserialize<'de> for $list {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Ok(<Vec<$item> as serde::Deserialize>::deserialize(d)?.into())
            }
        }
    };
}

mod clocks;
mod codec;
mod command;
mod entries;
mod event;
mod journal;
mod legacy;
mod record;
pub(crate) mod sheet;
mod tables;
mod transitions;

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::access::{ActorId, DeviceKind};
use crate::activity::{
    self, ActivityEntry, ActivityError, ActivityId, ActivityInput, ActivityParams, EntryContext, Transition,
    VerificationError, VerificationStatus,
};
use crate::attendance::{self, Absence, AttendanceError, AttendanceParams, ClockSource};
use crate::calendar::CompiledCalendar;
use crate::dataset::City;
use crate::ids::TaskId;
use crate::minutes::Minutes;
use crate::month::{DateRange, YearMonth};
use crate::org::{Nip, NotAuthorised};
use crate::policy::{Binder, Bound, Policy, PolicyError, Provenance};
use crate::rollcall::{RollCallKind, RollCallParams};
use crate::targets::TargetParams;

pub use clocks::Clocks;
pub use codec::{CANONICAL_V2, CANONICAL_VERSION};
pub use command::{Command, Request};
pub use entries::Entries;
pub use event::{
    EVENT_TYPES, EntryContent, Event, EventKind, ExtraTask, Hash, Head, Reopening, RollCallList, TransitionBatch,
    TransitionItem,
};
pub use journal::{
    BINARY_MAGIC, CHECKPOINT_EVERY, ChainCheck, ChainFault, ChainProblem, JOURNAL_V2, JOURNAL_VERSION, Journal,
    JournalError, JournalFormat, JournalHeader, JournalReader, JournalWriter, Position, Torn, Verification, verify,
};
pub use legacy::to_v1_json;
pub use transitions::Transitions;

/// The snapshot format version this library reads and writes.
pub const SNAPSHOT_VERSION: u32 = 2;

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
    /// The actor may not issue this command (see `docs/authorisation.md`).
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
    /// A journal cannot be read or its chain is broken.
    #[error(transparent)]
    Journal(#[from] JournalError),
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
    /// The month is closed: nothing may change until an HR officer reopens it.
    #[error("{month} is closed; no change is accepted")]
    MonthClosed {
        /// The month.
        month: YearMonth,
    },
    /// Only a closed month can be reopened.
    #[error("{month} is not closed; there is nothing to reopen")]
    NotClosed {
        /// The month.
        month: YearMonth,
    },
    /// A required reason is missing or blank.
    #[error("{record}, field `reason`: a reason is required")]
    MissingReason {
        /// Kind of record.
        record: &'static str,
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
    /// The command's record time is before the last recorded event's: record
    /// times never go backwards.
    #[error("field `at`: recorded at {at}, before the last event ({last})")]
    OutOfOrder {
        /// The command's record time.
        at: NaiveDateTime,
        /// The last event's record time.
        last: NaiveDateTime,
    },
    /// A command received later claims a time further back than the policy
    /// allows (`record.claim_window_working_days`).
    #[error("field `at`: {at} is too far before its receipt at {received_at} (earliest {})",
        .earliest.map_or_else(|| "none".to_string(), |d| d.to_string()))]
    ClaimTooOld {
        /// The claimed time.
        at: NaiveDateTime,
        /// When it was received.
        received_at: NaiveDateTime,
        /// The earliest date that may be claimed.
        earliest: Option<NaiveDate>,
    },
    /// A claimed time lies after its receipt (beyond `record.clock_skew_minutes`).
    #[error("field `at`: {at} is after its receipt at {received_at}")]
    ClaimInFuture {
        /// The claimed time.
        at: NaiveDateTime,
        /// When it was received.
        received_at: NaiveDateTime,
    },
    /// The idempotency key was already applied (by the event `seq`).
    #[error("key `{key}` was already applied by event {seq}")]
    DuplicateKey {
        /// The key.
        key: String,
        /// The event that applied it.
        seq: u64,
    },
    /// A phone clock-in refused by the geofence rules (record `clock`, field `source`).
    #[error(transparent)]
    Geofence(#[from] crate::geo::GeofenceError),
    /// A journal event is not what its command gives when checked again.
    #[error("{message}")]
    Forged {
        /// What differs.
        message: String,
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
    #[error("journal event {seq}{}: {source}", .position.map(|p| format!(" ({p})")).unwrap_or_default())]
    Replay {
        /// The event's sequence number.
        seq: u64,
        /// Where it is in the file, when read from one.
        position: Option<Position>,
        /// Why it was refused.
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
            LedgerError::Journal(e) => e.code(),
            LedgerError::UnknownEmployee { .. } => "unknown_employee",
            LedgerError::UnknownEntry { .. } => "unknown_entry",
            LedgerError::WrongMonth { .. } => "wrong_month",
            LedgerError::MonthClosed { .. } => "month_closed",
            LedgerError::NotClosed { .. } => "not_closed",
            LedgerError::MissingReason { .. } => "missing_reason",
            LedgerError::Conflict { .. } => "conflict",
            LedgerError::NotTheEmployee { .. } => "not_the_employee",
            LedgerError::OutOfOrder { .. } => "out_of_order",
            LedgerError::ClaimTooOld { .. } => "claim_too_old",
            LedgerError::ClaimInFuture { .. } => "claim_in_future",
            LedgerError::DuplicateKey { .. } => "duplicate_key",
            LedgerError::Geofence(e) => e.code(),
            LedgerError::Forged { .. } => "forged",
            LedgerError::Format { .. } => "format",
            LedgerError::Replay { .. } => "replay",
        }
    }

    /// The error behind a [`LedgerError::Replay`] (itself otherwise).
    pub fn root(&self) -> &LedgerError {
        match self {
            LedgerError::Replay { source, .. } => source.root(),
            other => other,
        }
    }
}

// ---------------------------------------------------------------------------
// The rules of a month
// ---------------------------------------------------------------------------

/// How the record treats commands received after they were made, and who may
/// record what for themselves: keys `record.*`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordParams {
    /// How many working days before its receipt a command may claim to have been
    /// made (`record.claim_window_working_days`): an offline phone or an
    /// attendance machine's log may arrive late, but not weeks late.
    pub claim_window_working_days: u32,
    /// How many minutes after its receipt a claimed time may lie, for clocks that
    /// run fast (`record.clock_skew_minutes`).
    pub clock_skew_minutes: u32,
    /// Absence kinds an employee may record for themselves
    /// (`record.self_reported_absences`); every other kind is recorded by an HR
    /// officer on evidence.
    pub self_reported_absences: Vec<String>,
}

impl RecordParams {
    /// Reads the parameters in force on `date`.
    pub fn from_policy(policy: &Policy, date: NaiveDate) -> Result<Bound<RecordParams>, PolicyError> {
        let mut b = Binder::new(policy, date);
        let count = |key: &str, v: i64| {
            u32::try_from(v)
                .map_err(|_| PolicyError::BadValue { key: key.to_string(), message: format!("{v} is not a count") })
        };
        let k = "record.claim_window_working_days";
        let claim_window_working_days = count(k, b.int(k)?)?;
        let k = "record.clock_skew_minutes";
        let clock_skew_minutes = count(k, b.int(k)?)?;
        let self_reported_absences = b.custom("record.self_reported_absences", attendance::evidence_codes)?;
        Ok(b.finish(RecordParams { claim_window_working_days, clock_skew_minutes, self_reported_absences }))
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
    /// The record itself: late receipts, self-reported absences.
    pub record: RecordParams,
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
    /// The calendar's answers around the month, looked up in O(1) by the checks.
    table: DayTable,
    /// The organisation's answers for the month, looked up without searching.
    tables: tables::MonthTables,
    /// Which context this is: unique to each [`MonthContext::new`] (kept through
    /// [`MonthContext::into_rules`]), so that what was judged under one context is
    /// known not to be reused under another (the recap's cached lines).
    id: u64,
}

/// The id of the next [`MonthContext`] made.
static NEXT_CONTEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// A [`MonthContext`] without its borrow of the city: see [`MonthContext::into_rules`].
#[derive(Debug)]
pub(crate) struct MonthRules {
    month: YearMonth,
    calendar: CompiledCalendar,
    days: Vec<DayRules>,
    deadline: NaiveDate,
    provenance: Vec<Provenance>,
    cutoff: Option<NaiveDate>,
    table: DayTable,
    tables: tables::MonthTables,
    id: u64,
}

/// The work calendar around a month, compiled for the ledger's hot checks:
/// each day's schedule and, for each day, how many working days come before it.
#[derive(Debug)]
struct DayTable {
    /// The first day's year, 0-based day of that year and the year's length: a
    /// date's index from its year and day of year, without chrono's day
    /// arithmetic (the table spans at most two calendar years).
    start_year: i32,
    start_ord0: u32,
    start_year_days: u32,
    schedule: Vec<Option<crate::calendar::DaySchedule>>,
    /// Working days strictly before each day, counted from `start`.
    before: Vec<u32>,
    /// The working days, in order.
    dates: Vec<NaiveDate>,
}

impl DayTable {
    /// Two months either side of `month`.
    fn new(calendar: &crate::calendar::WorkCalendar, month: YearMonth) -> DayTable {
        let start = month.first_day() - chrono::Duration::days(62);
        let end = month.last_day() + chrono::Duration::days(62);
        let compiled = calendar.compile(DateRange { start, end });
        let mut schedule = Vec::with_capacity(compiled.len());
        let mut before = Vec::with_capacity(compiled.len());
        let mut dates = Vec::new();
        for (date, day) in compiled.iter() {
            before.push(dates.len() as u32);
            schedule.push(day.schedule);
            if day.is_working() {
                dates.push(date);
            }
        }
        let start_year_days = if start.leap_year() { 366 } else { 365 };
        DayTable { start_year: start.year(), start_ord0: start.ordinal0(), start_year_days, schedule, before, dates }
    }

    fn index(&self, date: NaiveDate) -> Option<usize> {
        let ord0 = date.ordinal0();
        let i = match date.year() - self.start_year {
            0 => ord0.checked_sub(self.start_ord0)?,
            1 => self.start_year_days - self.start_ord0 + ord0,
            _ => return None,
        } as usize;
        (i < self.schedule.len()).then_some(i)
    }

    /// [`crate::calendar::WorkCalendar::nth_working_day_before`], from the table when it can.
    fn nth_before(&self, calendar: &crate::calendar::WorkCalendar, date: NaiveDate, n: u32) -> Option<NaiveDate> {
        if n == 0 {
            return Some(date);
        }
        if let Some(i) = self.index(date) {
            let c = self.before[i];
            if c >= n {
                return self.dates.get((c - n) as usize).copied();
            }
        }
        calendar.nth_working_day_before(date, n)
    }

    /// [`crate::calendar::WorkCalendar::schedule`], from the table when it can.
    fn schedule(
        &self,
        calendar: &crate::calendar::WorkCalendar,
        date: NaiveDate,
    ) -> Option<crate::calendar::DaySchedule> {
        match self.index(date) {
            Some(i) => self.schedule[i],
            None => calendar.schedule(date).copied(),
        }
    }
}

impl<'a> MonthContext<'a> {
    /// The `n`-th working day before `date` (the calendar's answer, from a table).
    pub fn nth_working_day_before(&self, date: NaiveDate, n: u32) -> Option<NaiveDate> {
        self.table.nth_before(&self.city.calendar, date, n)
    }

    /// Resolves the policy for every day of `month`.
    ///
    /// First checks that the policy covers the whole month ([`Policy::check_covered`]):
    /// a month outside the covered range fails once, naming the first key without a
    /// value ([`crate::policy::PolicyError::NotCovered`]).
    pub fn new(city: &'a City, policy: &Policy, month: YearMonth) -> Result<Self, LedgerError> {
        policy.check_covered(month.first_day(), month.last_day())?;
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
            let c = RecordParams::from_policy(policy, date)?;
            keep(a.provenance);
            keep(t.provenance);
            keep(r.provenance);
            keep(g.provenance);
            keep(c.provenance);
            days.push(DayRules {
                activity: a.params,
                attendance: t.params,
                rollcall: r.params,
                targets: g.params,
                record: c.params,
            });
        }
        let last = days.last().ok_or_else(|| LedgerError::Format { what: "month", message: "empty month".into() })?;
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
        let table = DayTable::new(&city.calendar, month);
        let tables = tables::MonthTables::new(city, month);
        let id = NEXT_CONTEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(MonthContext { city, month, calendar, days, deadline, provenance, cutoff: cutoff.params, table, tables, id })
    }

    /// Parts the context from its city: what [`MonthContext::new`] computed, kept
    /// by one who checks many commands of the same month against the same city
    /// (a phone's session) and lent back with [`MonthContext::with_rules`].
    pub(crate) fn into_rules(self) -> MonthRules {
        let MonthContext { city: _, month, calendar, days, deadline, provenance, cutoff, table, tables, id } = self;
        MonthRules { month, calendar, days, deadline, provenance, cutoff, table, tables, id }
    }

    /// The context again, from rules [`MonthContext::new`] computed for this same
    /// `city` and policy (no work done). Rules of another city would answer for
    /// that city: the caller keeps them with the city they were made from.
    pub(crate) fn with_rules(city: &'a City, rules: MonthRules) -> MonthContext<'a> {
        let MonthRules { month, calendar, days, deadline, provenance, cutoff, table, tables, id } = rules;
        MonthContext { city, month, calendar, days, deadline, provenance, cutoff, table, tables, id }
    }

    /// The first day on which the month is final for paying: the day after the
    /// verification deadline (pending entries then follow the policy), or the
    /// month's last day if that is later. The default `as_of` of a recap that
    /// feeds the allowance.
    pub fn settled_on(&self) -> NaiveDate {
        let after_deadline = self.deadline.succ_opt().unwrap_or(self.deadline);
        self.month.last_day().max(after_deadline)
    }

    /// Which context this is (unique to each [`MonthContext::new`]).
    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    /// The dense index of the unit of the position with dense index `p`.
    pub(crate) fn position_unit(&self, p: usize) -> Option<usize> {
        self.tables.position_unit(p)
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

    /// The rules in force on `date` if it is in the month, else the month's last
    /// day's (a date after the month, e.g. a verification in the next month).
    pub fn rules_or_last(&self, date: NaiveDate) -> &DayRules {
        self.rules(date).unwrap_or_else(|| self.month_end_rules())
    }
}

// ---------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------

/// Who closed a month, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Closure {
    /// When.
    pub at: NaiveDateTime,
    /// The HR officer.
    pub by: ActorId,
}

/// A closed month reopened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reopened {
    /// The closure undone.
    pub closed: Closure,
    /// When it was reopened.
    pub at: NaiveDateTime,
    /// The HR officer who reopened it (never the one who closed it).
    pub by: ActorId,
    /// Why.
    pub reason: String,
}

/// An idempotency key and what applied it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppliedKey {
    /// The event that applied it.
    pub seq: u64,
    /// The entry it concerned, if any (for a log: the new entry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<ActivityId>,
}

/// The state of a month (what a snapshot holds).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerState {
    /// Activity entries; entry `id` is at index `id - 1` (stored compactly:
    /// see [`Entries`]; serialised as the list of [`ActivityEntry`]s).
    pub entries: Entries,
    /// Every verification transition, in order (stored compactly: see
    /// [`Transitions`]; serialised as the list of [`Transition`]s).
    pub transitions: Transitions,
    /// Extra tasks registered.
    pub extra_tasks: Vec<ExtraTask>,
    /// Clock events, in recorded order (stored compactly: see [`Clocks`];
    /// serialised as the list of [`attendance::ClockEvent`]s).
    pub clocks: Clocks,
    /// Absences (clipped to the month).
    pub absences: Vec<Absence>,
    /// Roll-call attendance lists.
    pub roll_calls: Vec<RollCallList>,
    /// Ceremonies declared.
    pub ceremonies: Vec<crate::rollcall::Ceremony>,
    /// The closure in force, if the month is closed.
    #[serde(default)]
    pub closed: Option<Closure>,
    /// Closures undone, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reopened: Vec<Reopened>,
    /// Idempotency keys applied.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub keys: BTreeMap<String, AppliedKey>,
    /// The record time of the last event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_until: Option<NaiveDateTime>,
}

/// A serialised ledger: the month, the journal head it summarises, the state and
/// a seal over both.
///
/// The seal is `SHA-256("kinerja-snapshot-v2" || head hash || state as JSON)`. A
/// snapshot loads only against the journal head it claims
/// ([`Ledger::from_snapshot`]) and only with its seal intact. The seal detects
/// edits and corruption; it is not a signature (anyone can compute SHA-256), so
/// the journal stays the record: keep snapshots beside it, and replay when in doubt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// Format version; see [`SNAPSHOT_VERSION`].
    pub version: u32,
    /// The month.
    pub month: YearMonth,
    /// The journal head the state summarises.
    pub head: Head,
    /// The state.
    pub state: LedgerState,
    /// The seal.
    pub seal: Hash,
}

impl Snapshot {
    /// The seal of a head and a state.
    pub fn seal_of(head: &Head, state: &LedgerState) -> Hash {
        let mut h = Sha256::new();
        h.update(b"kinerja-snapshot-v2");
        h.update(head.hash.0);
        h.update(head.seq.to_le_bytes());
        h.update(serde_json::to_vec(state).unwrap_or_default());
        Hash(h.finalize().into())
    }
}

/// Indexes over the state, rebuilt on load; never serialised.
#[derive(Clone, Debug, Default)]
struct Indexes {
    /// Employee index of each entry (parallel to `entries`).
    entry_employee: Vec<u32>,
    /// Employee index of each clock event (parallel to `clocks`; `u32::MAX` for a
    /// scan of someone the dataset does not have).
    clock_employee: Vec<u32>,
    /// Entries of (employee, day of month) that are not rejected.
    by_day: DayLists,
    /// Absences of each employee, by employee index (up to the last one with an
    /// absence): the recap asks for every employee's in turn.
    absences: Vec<Vec<u32>>,
    /// Extra tasks of each employee.
    extra: FxHashMap<u32, Vec<u32>>,
    /// What the recap reads, kept as events are applied.
    sheet: sheet::Sheet,
}

/// No entry (the end of a [`DayLists`] list).
const NO_ENTRY: u32 = u32::MAX;

/// Lists of entries by (employee, day of month), in the order they were added:
/// each list threaded through its entries (`next`, parallel to the entries), with
/// its first and last entry side by side in a table per day of the month, by
/// employee index (one cache line read for both). Day by day, not employee by
/// employee: a journal's logs come a day at a time, so the lists a day touches
/// (8 bytes an employee) stay in the cache instead of being 31 days apart. No
/// hashing and no allocation per list; a month has a few entries per employee
/// and day.
#[derive(Clone, Debug, Default)]
struct DayLists {
    /// By day of the month (0-based), the first and last entry of each employee's list.
    ends: Vec<Vec<[u32; 2]>>,
    next: Vec<u32>,
}

impl DayLists {
    /// The first and last entry of the list of (`emp`, `day0`), if it was ever made.
    fn ends(&self, emp: u32, day0: u32) -> Option<&[u32; 2]> {
        self.ends.get(day0 as usize)?.get(emp as usize)
    }

    /// Appends entry `i` (which is in no list) to the list of (`emp`, `day0`).
    fn push(&mut self, emp: u32, day0: u32, i: u32) {
        let (day0, emp) = (day0 as usize, emp as usize);
        if day0 >= self.ends.len() {
            self.ends.resize_with(day0 + 1, Vec::new);
        }
        let Some(day) = self.ends.get_mut(day0) else { return };
        if emp >= day.len() {
            day.resize(emp + 1, [NO_ENTRY; 2]);
        }
        let at = i as usize;
        if at == self.next.len() {
            // The usual case: entries are added in order.
            self.next.push(NO_ENTRY);
        } else if at > self.next.len() {
            self.next.resize(at + 1, NO_ENTRY);
        } else {
            self.next[at] = NO_ENTRY;
        }
        let Some([first, last]) = day.get_mut(emp) else { return };
        match *last {
            NO_ENTRY => *first = i,
            l => self.next[l as usize] = i,
        }
        *last = i;
    }

    /// Takes entry `i` out of the list of (`emp`, `day0`), if it is there.
    fn remove(&mut self, emp: u32, day0: u32, i: u32) {
        let Some(ends) = self.ends.get_mut(day0 as usize).and_then(|d| d.get_mut(emp as usize)) else { return };
        let (mut prev, mut cur) = (NO_ENTRY, ends[0]);
        while cur != NO_ENTRY {
            let after = self.next[cur as usize];
            if cur == i {
                if prev == NO_ENTRY {
                    ends[0] = after;
                } else {
                    self.next[prev as usize] = after;
                }
                if ends[1] == cur {
                    ends[1] = prev;
                }
                self.next[cur as usize] = NO_ENTRY;
                return;
            }
            (prev, cur) = (cur, after);
        }
    }

    /// The entries of (`emp`, `day0`), in order.
    fn iter(&self, emp: u32, day0: u32) -> impl Iterator<Item = u32> + '_ {
        let mut cur = self.ends(emp, day0).map_or(NO_ENTRY, |e| e[0]);
        std::iter::from_fn(move || {
            let i = cur;
            if i == NO_ENTRY {
                return None;
            }
            cur = self.next.get(i as usize).copied().unwrap_or(NO_ENTRY);
            Some(i)
        })
    }

    fn reserve(&mut self, entries: usize) {
        self.next.reserve(entries);
    }
}

/// One month of a city's daily work. See the [module docs](self).
#[derive(Clone, Debug)]
pub struct Ledger {
    month: YearMonth,
    header: JournalHeader,
    head: Head,
    retain: bool,
    journal: Vec<Event>,
    last: Option<Event>,
    /// Events executed since the caller last took them ([`Ledger::collect_new_events`]).
    outbox: Option<Vec<Event>>,
    state: LedgerState,
    idx: Indexes,
    scratch: Vec<u8>,
    /// The transitions of the decisions being replayed (kept for its room).
    decided: Vec<Transition>,
    /// What the checks of a batch of decisions keep (kept for its room).
    entitled: Entitled,
}

impl Ledger {
    /// An empty ledger for a month that keeps its journal in memory
    /// ([`Ledger::events`], [`Ledger::journal`]).
    pub fn new(month: YearMonth) -> Self {
        Ledger::start(JournalHeader::new(month), true)
    }

    /// An empty ledger that keeps no journal in memory: the caller stores each
    /// event [`Ledger::execute`] returns (a database row, a [`JournalWriter`]).
    /// The head and the state are kept.
    pub fn streaming(month: YearMonth) -> Self {
        Ledger::start(JournalHeader::new(month), false)
    }

    fn start(header: JournalHeader, retain: bool) -> Self {
        Ledger {
            month: header.month,
            head: header.start,
            header,
            retain,
            journal: Vec::new(),
            last: None,
            outbox: None,
            state: LedgerState::default(),
            idx: Indexes::default(),
            scratch: Vec::with_capacity(256),
            decided: Vec::new(),
            entitled: Entitled::default(),
        }
    }

    /// The month.
    pub fn month(&self) -> YearMonth {
        self.month
    }

    /// Reserves room for about `events` more events (their entries, transitions and
    /// clock events), so that a large month is not grown step by step.
    pub fn reserve(&mut self, events: usize) {
        // A month's events are about 70 % logs, 70 % transitions (batches hold
        // several) and 25 % clock events (Banda Aceh: 68.6 %, 70.4 % and 24.1 %).
        // Reserved with room to spare: room never written is never touched, so it
        // costs address space, not memory, while a vector grown by one element
        // past its room is copied whole (the transitions did that at Banda Aceh
        // with 70 %).
        self.state.entries.reserve(events * 3 / 4);
        self.idx.sheet.reserve_entries(events * 3 / 4);
        self.idx.entry_employee.reserve(events * 3 / 4);
        self.idx.by_day.reserve(events * 3 / 4);
        self.state.transitions.reserve(events * 3 / 4);
        self.state.clocks.reserve(events * 3 / 10);
        self.idx.clock_employee.reserve(events * 3 / 10);
        if self.retain {
            self.journal.reserve(events);
        }
    }

    /// From now on, keeps every event executed (by [`Ledger::execute`] or by
    /// anything that executes through it, such as `device::apply_uploads`) until
    /// [`Ledger::take_new_events`] takes them: a service stores them as rows after
    /// a group of commands, whether or not the ledger keeps its journal. Call it
    /// once the ledger is loaded: events replayed after it would be collected too.
    pub fn collect_new_events(&mut self) {
        self.outbox.get_or_insert_with(Vec::new);
    }

    /// The events executed since the last call, in order (none unless
    /// [`Ledger::collect_new_events`] was called).
    pub fn take_new_events(&mut self) -> Vec<Event> {
        self.outbox.as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// The state.
    pub fn state(&self) -> &LedgerState {
        &self.state
    }

    /// The journal's events held in memory (none for a [streaming](Ledger::streaming)
    /// ledger).
    pub fn events(&self) -> &[Event] {
        &self.journal
    }

    /// The number and hash of the last event.
    pub fn head(&self) -> Head {
        self.head
    }

    /// The journal's header.
    pub fn header(&self) -> &JournalHeader {
        &self.header
    }

    /// False when the ledger was built from a migrated version 1 journal, which
    /// nothing vouches for.
    pub fn is_verifiable(&self) -> bool {
        self.header.is_verifiable()
    }

    /// The journal held in memory, for saving.
    pub fn journal(&self) -> Journal {
        Journal { header: self.header.clone(), events: self.journal.clone() }
    }

    /// Consumes the ledger, returning its journal without copying the events.
    pub fn into_journal(self) -> Journal {
        Journal { header: self.header, events: self.journal }
    }

    /// A sealed snapshot of the state at the current head.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            version: SNAPSHOT_VERSION,
            month: self.month,
            head: self.head,
            seal: Snapshot::seal_of(&self.head, &self.state),
            state: self.state.clone(),
        }
    }

    /// An entry by id.
    pub fn entry(&self, id: ActivityId) -> Option<ActivityEntry> {
        let i = usize::try_from(id.0).ok()?.checked_sub(1)?;
        self.state.entries.get(i)
    }

    /// An entry's figures by id (nothing built).
    fn figures(&self, id: ActivityId) -> Option<activity::EntryFigures<'_>> {
        let i = usize::try_from(id.0).ok()?.checked_sub(1)?;
        self.state.entries.figures(i)
    }

    /// Whether the month is closed.
    pub fn is_closed(&self) -> bool {
        self.state.closed.is_some()
    }

    /// What applied an idempotency key, if it was applied.
    pub fn applied(&self, key: &str) -> Option<&AppliedKey> {
        self.state.keys.get(key)
    }

    /// Rebuilds a ledger from a journal in memory: checks the chain and
    /// re-executes every event through the checks of a live command (see the
    /// [module docs](self)). The result keeps the journal.
    pub fn replay(ctx: &MonthContext<'_>, journal: &Journal) -> Result<Ledger, LedgerError> {
        Ledger::from_journal(ctx, journal.clone())
    }

    /// [`Ledger::replay`] taking the journal by value (no copy of the events).
    pub fn from_journal(ctx: &MonthContext<'_>, journal: Journal) -> Result<Ledger, LedgerError> {
        let mut ledger = Ledger::for_journal(ctx, journal.header, true)?;
        ledger.journal.reserve(journal.events.len());
        let mut chain = ChainCheck::for_version(ledger.head, ledger.header.version);
        for e in journal.events {
            if ledger.header.is_verifiable() {
                chain.accept(&e).map_err(|p| LedgerError::Replay {
                    seq: e.seq,
                    position: None,
                    source: Box::new(LedgerError::Journal(JournalError::Chain(p))),
                })?;
            }
            let seq = e.seq;
            ledger.replay_event(ctx, e).map_err(|source| LedgerError::Replay {
                seq,
                position: None,
                source: Box::new(source),
            })?;
        }
        Ok(ledger)
    }

    /// Rebuilds a ledger from a journal stream (either form), checking the chain
    /// and re-executing every event, without holding the journal: the memory used
    /// is the state's. A torn last record is left out and returned.
    pub fn from_reader<R: std::io::BufRead>(
        ctx: &MonthContext<'_>,
        mut reader: JournalReader<R>,
        retain: bool,
    ) -> Result<(Ledger, Option<Torn>), LedgerError> {
        let mut ledger = Ledger::for_journal(ctx, reader.header().clone(), retain)?;
        if let Some(n) = reader.events_hint() {
            ledger.reserve(n);
        }
        if reader.is_compact() {
            // The compact form: each record handed over as the reader decoded it.
            let mut memo = Memo::default();
            while let Some(r) = reader.next_record() {
                let (record, slot) = r?;
                let seq = record.record.seq;
                ledger.apply_record(ctx, &record, slot, &mut memo).map_err(|source| LedgerError::Replay {
                    seq,
                    position: None,
                    source: Box::new(source),
                })?;
            }
            return Ok((ledger, reader.torn().cloned()));
        }
        while let Some(e) = reader.next_ref() {
            let e = e?;
            let seq = e.seq;
            ledger.replay_ref(ctx, e).map_err(|source| LedgerError::Replay {
                seq,
                position: None,
                source: Box::new(source),
            })?;
        }
        Ok((ledger, reader.torn().cloned()))
    }

    fn for_journal(ctx: &MonthContext<'_>, header: JournalHeader, retain: bool) -> Result<Ledger, LedgerError> {
        if header.month != ctx.month {
            return Err(LedgerError::Format {
                what: "journal",
                message: format!("journal is for {}, the context for {}", header.month, ctx.month),
            });
        }
        if header.start != Head::genesis(header.month) {
            return Err(LedgerError::Format {
                what: "journal",
                message: format!(
                    "the journal continues a snapshot at event {}; load that snapshot and use Ledger::continue_from",
                    header.start.seq
                ),
            });
        }
        Ok(Ledger::start(header, retain))
    }

    /// Applies the events of a journal segment that continues this ledger (e.g.
    /// after [`Ledger::from_snapshot`]), checking the chain and re-executing each.
    pub fn continue_from<R: std::io::BufRead>(
        &mut self,
        ctx: &MonthContext<'_>,
        mut reader: JournalReader<R>,
    ) -> Result<Option<Torn>, LedgerError> {
        if reader.header().start != self.head || reader.header().month != self.month {
            return Err(LedgerError::Format {
                what: "journal",
                message: format!(
                    "the segment starts at event {} ({}), the ledger is at event {} ({})",
                    reader.header().start.seq,
                    reader.header().start.hash,
                    self.head.seq,
                    self.head.hash
                ),
            });
        }
        if self.journal.is_empty() {
            // The segment's version (2 or 3) is the form the ledger's next events are
            // hashed in, so that they continue its chain in one form (a ledger that
            // holds events of its own keeps theirs).
            self.header.version = reader.header().version;
        }
        for e in &mut reader {
            let e = e?;
            let seq = e.seq;
            self.replay_event(ctx, e).map_err(|source| LedgerError::Replay {
                seq,
                position: None,
                source: Box::new(source),
            })?;
        }
        Ok(reader.torn().cloned())
    }

    /// Replays one record of a compact journal, as the reader decoded it (its
    /// chain checked): the one entry point from the reader to the apply path.
    /// The frequent kinds (logs, clock events, decisions) are checked and applied
    /// from the record itself when the ledger keeps no events, through the same
    /// checks as [`Ledger::replay_ref`]; the others (and every kind of a ledger
    /// that keeps its events) are built as the public event in `slot`, the
    /// reader's, and replayed from it. `memo` is what the replay of this stream
    /// has learnt by text (see [`Memo`]).
    pub(crate) fn apply_record(
        &mut self,
        ctx: &MonthContext<'_>,
        record: &record::Decoded<'_>,
        slot: &mut Event,
        memo: &mut Memo,
    ) -> Result<(), LedgerError> {
        let direct = self.header.is_verifiable() && !self.retain && self.outbox.is_none();
        let hot = direct
            && match record.record.body {
                record::Body::Logged(_) | record::Body::Clock(_) => true,
                record::Body::Transitions => {
                    record.fill_items(&mut memo.items);
                    is_decisions(&memo.items)
                }
                _ => false,
            };
        if hot {
            return self.replay_decoded(ctx, record, memo);
        }
        record.fill_event(slot).map_err(decode_error)?;
        self.replay_ref(ctx, slot)
    }

    /// Replays a log, a clock event or a decisions record (its items in
    /// `memo.items`) from the record, as [`Ledger::replay_ref`] replays its event:
    /// the same checks in the same order, the state left as that would leave it.
    fn replay_decoded(
        &mut self,
        ctx: &MonthContext<'_>,
        record: &record::Decoded<'_>,
        memo: &mut Memo,
    ) -> Result<(), LedgerError> {
        let r = record.record;
        self.follows(r.seq, r.prev)?;
        record.fill_actor(&mut memo.actor).map_err(decode_error)?;
        let at = record.datetime(r.at).map_err(decode_error)?;
        let received_at = r.received_at.map(|s| record.datetime(s)).transpose().map_err(decode_error)?;
        let key = r.key.map(|i| record.text(i));
        self.gate(ctx, &memo.actor, at, received_at, key)?;
        let entry = match &r.body {
            record::Body::Logged(c) => {
                let nip = match (c.employee, r.actor) {
                    (Some(i), _) | (None, record::Actor::Employee(i)) => Some(i),
                    (None, _) => None,
                };
                let known = nip.and_then(|i| memo.employee(ctx, record, i));
                let content = record.entry(c, &memo.actor).map_err(decode_error)?;
                let emp = self.check_logged(ctx, &memo.actor, at, &content, known)?;
                Some(self.apply_logged(ctx, emp, content, at))
            }
            record::Body::Clock(c) => {
                let known = memo.employee(ctx, record, c.employee);
                let event = record.clock(c).map_err(decode_error)?;
                let emp = self.check_clocked(ctx, &memo.actor, at, &event, known)?;
                self.apply_clock(ctx, emp, event);
                None
            }
            _ => self.replay_decisions(ctx, &memo.actor, at, &memo.items)?,
        };
        let head = Head { seq: r.seq, hash: r.hash };
        self.push_meta(head, received_at.unwrap_or(at), key.map(str::to_string), entry);
        Ok(())
    }

    /// Replays one event whose chain has been checked.
    fn replay_event(&mut self, ctx: &MonthContext<'_>, mut e: Event) -> Result<(), LedgerError> {
        self.replay_ref(ctx, &mut e)
    }

    /// Refuses an event that does not follow the head: number `seq`, after `prev`.
    fn follows(&self, seq: u64, prev: Hash) -> Result<(), LedgerError> {
        if seq != self.head.seq + 1 || prev != self.head.hash {
            return Err(LedgerError::Journal(JournalError::Chain(ChainProblem {
                fault: ChainFault::Broken,
                seq,
                position: None,
                message: format!("does not follow event {}", self.head.seq),
            })));
        }
        Ok(())
    }

    /// Checks a journal's log made by `actor` at `at` as the `LogActivity` command
    /// it gives would be checked, and that the entry is the one that command would
    /// make (its number and worth). Gives the employee's index; `known`, when the
    /// caller knows it already.
    fn check_logged(
        &self,
        ctx: &MonthContext<'_>,
        actor: &ActorId,
        at: NaiveDateTime,
        c: &EntryContent,
        known: Option<u32>,
    ) -> Result<u32, LedgerError> {
        let (id, std, emp) = self.check_log(ctx, actor, at, &c.input, known)?;
        if id != c.id || std != c.standard_minutes {
            return Err(LedgerError::Forged {
                message: format!(
                    "the entry would be #{id} worth {std} a unit, the journal says #{} worth {}",
                    c.id, c.standard_minutes
                ),
            });
        }
        Ok(emp)
    }

    /// Checks a journal's clock event as the `RecordClock` command it gives would
    /// be checked, and that its geofence verdict is the one computed again. Gives
    /// the employee's index; `known`, when the caller knows it already.
    fn check_clocked(
        &self,
        ctx: &MonthContext<'_>,
        actor: &ActorId,
        at: NaiveDateTime,
        c: &attendance::ClockEvent,
        known: Option<u32>,
    ) -> Result<u32, LedgerError> {
        if self.is_closed() {
            return Err(LedgerError::MonthClosed { month: self.month });
        }
        let (judged, emp) = self.check_clock(ctx, actor, at, c, known)?;
        // The verdict stored must be the one computed again; an event without one
        // was recorded before geofencing and loads as it is.
        if c.geofence.is_some() && c.geofence != judged {
            return Err(LedgerError::Forged {
                message: format!(
                    "the clock event of {} at {} carries a geofence verdict that differs from the one computed",
                    c.employee, c.at
                ),
            });
        }
        Ok(emp)
    }

    /// Checks a journal's decisions made by `actor` at `at` as `check` checks the
    /// `Verify` or `VerifyMany` request they give, each transition compared with
    /// the journal's item in place, and applies them as made. Gives the first
    /// item's entry.
    fn replay_decisions(
        &mut self,
        ctx: &MonthContext<'_>,
        actor: &ActorId,
        at: NaiveDateTime,
        items: &[TransitionItem],
    ) -> Result<Option<ActivityId>, LedgerError> {
        if self.is_closed() {
            return Err(LedgerError::MonthClosed { month: self.month });
        }
        let mut made = std::mem::take(&mut self.decided);
        made.clear();
        let mut scratch = std::mem::take(&mut self.entitled);
        let same = self.check_decisions(ctx, actor, at, items, &mut made, &mut scratch);
        self.entitled = scratch;
        let same = match same {
            Ok(same) => same,
            Err(x) => {
                self.decided = made;
                return Err(x);
            }
        };
        if !same {
            self.decided = made;
            return Err(LedgerError::Forged {
                message: "the transitions event differs from what its command gives when checked".into(),
            });
        }
        for t in made.drain(..) {
            self.apply_transition(ctx, t);
        }
        self.decided = made;
        Ok(items.first().map(|t| t.entry))
    }

    /// Replays the event in `e` (a reader's slot), taking from it what the state
    /// keeps instead of copying it; the slot is left emptied.
    fn replay_ref(&mut self, ctx: &MonthContext<'_>, e: &mut Event) -> Result<(), LedgerError> {
        self.follows(e.seq, e.prev)?;
        if !self.header.is_verifiable() {
            self.apply_legacy(ctx, e)?;
            return self.push(e.take(), None);
        }
        // Re-execute: the event's request, checked like a live command, must give
        // the very same event.
        self.gate(ctx, &e.actor, e.at, e.received_at, e.key.as_deref())?;
        if let EventKind::ActivityLogged(c) = &e.kind {
            // The hot path: checked without a copy of the input, applied by moving it.
            let emp = self.check_logged(ctx, &e.actor, e.at, c, None)?;
            if self.retain || self.outbox.is_some() {
                let entry = self.apply_owned(ctx, &e.actor, e.at, e.kind.clone())?;
                return self.push(e.take(), entry);
            }
            let (head, record_time) = (e.head(), e.record_time());
            let EventKind::ActivityLogged(c) = std::mem::replace(&mut e.kind, EventKind::MonthClosed) else {
                return Err(LedgerError::Format { what: "ledger", message: "internal: a log changed kind".into() });
            };
            let entry = self.apply_logged(ctx, emp, c, e.at);
            self.push_meta(head, record_time, e.key.take(), Some(entry));
            return Ok(());
        }
        if let EventKind::ClockRecorded(c) = &e.kind {
            // The second most frequent event: checked in place, applied by moving it.
            let emp = self.check_clocked(ctx, &e.actor, e.at, c, None)?;
            if self.retain || self.outbox.is_some() {
                let entry = self.apply_owned(ctx, &e.actor, e.at, e.kind.clone())?;
                return self.push(e.take(), entry);
            }
            let (head, record_time) = (e.head(), e.record_time());
            let EventKind::ClockRecorded(c) = std::mem::replace(&mut e.kind, EventKind::MonthClosed) else {
                return Err(LedgerError::Format {
                    what: "ledger",
                    message: "internal: a clock event changed kind".into(),
                });
            };
            // The employee found by the check (no second look-up).
            self.apply_clock(ctx, emp, c);
            self.push_meta(head, record_time, e.key.take(), None);
            return Ok(());
        }
        if let EventKind::RollCallRecorded(l) = &e.kind {
            // Checked in place (the command would give the very same list), applied
            // by moving it.
            if self.is_closed() {
                return Err(LedgerError::MonthClosed { month: self.month });
            }
            self.check_roll_call(ctx, &e.actor, e.at, l)?;
            if self.retain || self.outbox.is_some() {
                let entry = self.apply_owned(ctx, &e.actor, e.at, e.kind.clone())?;
                return self.push(e.take(), entry);
            }
            let (head, record_time) = (e.head(), e.record_time());
            let kind = std::mem::replace(&mut e.kind, EventKind::MonthClosed);
            self.apply_owned(ctx, &e.actor, e.at, kind)?;
            self.push_meta(head, record_time, e.key.take(), None);
            return Ok(());
        }
        if let EventKind::Transitions(b) = &e.kind
            && is_decisions(&b.items)
        {
            // Decisions (the third most frequent event, often in batches).
            let first = self.replay_decisions(ctx, &e.actor, e.at, &b.items)?;
            return self.push(e.take(), first);
        }
        let request = Request::of_event(e);
        let kind = self.check(ctx, &request)?;
        if kind != e.kind {
            return Err(LedgerError::Forged {
                message: format!("the {} event differs from what its command gives when checked", e.kind.name()),
            });
        }
        let entry = self.apply_owned(ctx, &e.actor, e.at, kind)?;
        self.push(e.take(), entry)
    }

    /// Records what an applied event leaves besides the state: head, record time, key.
    fn push_meta(&mut self, head: Head, record_time: NaiveDateTime, key: Option<String>, entry: Option<ActivityId>) {
        self.head = head;
        self.state.recorded_until = Some(record_time);
        if let Some(k) = key {
            self.state.keys.insert(k, AppliedKey { seq: head.seq, entry });
        }
    }

    /// Records an applied event: head, record time, key, journal.
    fn push(&mut self, e: Event, entry: Option<ActivityId>) -> Result<(), LedgerError> {
        self.push_meta(e.head(), e.record_time(), e.key.clone(), entry);
        if let Some(outbox) = &mut self.outbox {
            outbox.push(e.clone());
        }
        if self.retain {
            self.journal.push(e);
        } else {
            self.last = Some(e);
        }
        Ok(())
    }

    /// Loads a snapshot taken at `journal_head` (the head of the journal it
    /// summarises, from where the journal is kept). Refused when the snapshot
    /// names another head, when its seal does not match its content, or when its
    /// records name people the city does not have. New events continue the
    /// numbering and the chain from that head.
    pub fn from_snapshot(
        ctx: &MonthContext<'_>,
        snapshot: Snapshot,
        journal_head: &Head,
    ) -> Result<Ledger, LedgerError> {
        if snapshot.version != SNAPSHOT_VERSION {
            return Err(LedgerError::Format {
                what: "snapshot",
                message: format!("version {} is not supported (expected {SNAPSHOT_VERSION})", snapshot.version),
            });
        }
        if snapshot.month != ctx.month {
            return Err(LedgerError::Format {
                what: "snapshot",
                message: format!("snapshot is for {}, the context for {}", snapshot.month, ctx.month),
            });
        }
        if snapshot.head != *journal_head {
            return Err(LedgerError::Format {
                what: "snapshot",
                message: format!(
                    "the snapshot summarises event {} ({}), the journal's head is event {} ({})",
                    snapshot.head.seq, snapshot.head.hash, journal_head.seq, journal_head.hash
                ),
            });
        }
        if Snapshot::seal_of(&snapshot.head, &snapshot.state) != snapshot.seal {
            return Err(LedgerError::Format {
                what: "snapshot",
                message: "the seal does not match the content: the snapshot was altered".into(),
            });
        }
        let mut header = JournalHeader::new(snapshot.month);
        header.start = snapshot.head;
        let mut ledger = Ledger::start(header, true);
        ledger.state = snapshot.state;
        ledger.rebuild_indexes(ctx)?;
        Ok(ledger)
    }

    /// A working copy of a state that is not a journal's (e.g. a phone's view of
    /// the server's month): commands are checked against it, but nothing vouches
    /// for the state itself. Crate-internal: the device module's projections.
    pub(crate) fn from_view(ctx: &MonthContext<'_>, state: LedgerState) -> Result<Ledger, LedgerError> {
        let mut ledger = Ledger::new(ctx.month);
        ledger.state = state;
        ledger.rebuild_indexes(ctx)?;
        Ok(ledger)
    }

    fn rebuild_indexes(&mut self, ctx: &MonthContext<'_>) -> Result<(), LedgerError> {
        let org = &ctx.city.organisation;
        let mut idx = Indexes::default();
        for i in 0..self.state.entries.len() {
            let Some(e) = self.state.entries.figures(i) else { continue };
            let emp = employee_index(org, e.employee, "activity", "employee")?;
            idx.entry_employee.push(emp);
            if e.status != VerificationStatus::Rejected {
                idx.by_day.push(emp, e.date.day0(), i as u32);
            }
        }
        for (i, a) in self.state.absences.iter().enumerate() {
            let emp = employee_index(org, &a.employee, "absence", "employee")?;
            idx.add_absence(emp, i as u32);
        }
        idx.clock_employee =
            self.state.clocks.scans().map(|(n, _, _)| org.employee_index(n).map_or(u32::MAX, |e| e as u32)).collect();
        for (i, t) in self.state.extra_tasks.iter().enumerate() {
            let emp = employee_index(org, &t.employee, "extra_task", "employee")?;
            idx.extra.entry(emp).or_default().push(i as u32);
        }
        idx.sheet = sheet::Sheet::build(ctx, &self.state, &idx.entry_employee, &idx.clock_employee);
        self.idx = idx;
        Ok(())
    }

    /// Checks a command and, when it passes, appends its event and applies it.
    /// On error nothing changes. Returns the event appended (also for a
    /// [streaming](Ledger::streaming) ledger, which keeps only the last one).
    pub fn execute(&mut self, ctx: &MonthContext<'_>, request: Request) -> Result<&Event, LedgerError> {
        if ctx.month != self.month {
            return Err(LedgerError::Format {
                what: "context",
                message: format!("the context is for {}, the ledger for {}", ctx.month, self.month),
            });
        }
        self.gate(ctx, &request.actor, request.at, request.received_at, request.key.as_deref())?;
        let kind = self.check(ctx, &request)?;
        let mut event = Event {
            seq: self.head.seq + 1,
            prev: self.head.hash,
            hash: Hash::default(),
            actor: request.actor,
            at: request.at,
            received_at: request.received_at,
            key: request.key,
            kind,
        };
        // Hashed in the canonical form of the ledger's journal (version 3, or 2 for
        // a month whose journal was written in version 2: its chain stays one form).
        event.hash = event.compute_hash_in(journal::canonical_version(self.header.version), &mut self.scratch);
        // `check` has verified everything `apply` relies on; `apply` validates
        // before it mutates, so an error here also leaves the state untouched.
        let entry = self.apply(ctx, &event)?;
        self.push(event, entry)?;
        let last = if self.retain { self.journal.last() } else { self.last.as_ref() };
        last.ok_or_else(|| LedgerError::Format { what: "ledger", message: "no event recorded".into() })
    }

    /// The checks every command passes before its own: the record time does not
    /// go backwards, a late receipt's claim is within the policy, the key is new.
    fn gate(
        &self,
        ctx: &MonthContext<'_>,
        _actor: &ActorId,
        at: NaiveDateTime,
        received_at: Option<NaiveDateTime>,
        key: Option<&str>,
    ) -> Result<(), LedgerError> {
        // The key first: a retry of a request already recorded is answered as such,
        // however late it arrives (its times would now be out of order).
        if let Some(k) = key {
            // A key is kept beside the event by every store (a database column,
            // the journal): no control character, which some cannot hold (NUL).
            if k.is_empty() || k.len() > 200 || k.chars().any(char::is_control) {
                return Err(LedgerError::Conflict {
                    record: "request",
                    id: String::new(),
                    field: "key",
                    message: "an idempotency key has 1 to 200 bytes and no control character".into(),
                });
            }
            if let Some(a) = self.state.keys.get(k) {
                return Err(LedgerError::DuplicateKey { key: k.to_string(), seq: a.seq });
            }
        }
        let record_time = received_at.unwrap_or(at);
        if let Some(last) = self.state.recorded_until
            && record_time < last
        {
            return Err(LedgerError::OutOfOrder { at: record_time, last });
        }
        if let Some(rt) = received_at {
            let rules = &ctx.rules_or_last(rt.date()).record;
            let skew = chrono::Duration::minutes(i64::from(rules.clock_skew_minutes));
            if at > rt + skew {
                return Err(LedgerError::ClaimInFuture { at, received_at: rt });
            }
            let earliest = ctx.nth_working_day_before(rt.date(), rules.claim_window_working_days);
            if earliest.is_none_or(|e| at.date() < e) {
                return Err(LedgerError::ClaimTooOld { at, received_at: rt, earliest });
            }
        }
        Ok(())
    }

    fn in_month(&self, record: &'static str, field: &'static str, date: NaiveDate) -> Result<(), LedgerError> {
        if YearMonth::of(date) == self.month {
            Ok(())
        } else {
            Err(LedgerError::WrongMonth { record, field, date, month: self.month })
        }
    }

    /// The standard minutes of `task` if it is one of the employee's tasks on `date`.
    fn task_minutes(&self, ctx: &MonthContext<'_>, emp: u32, task: &TaskId, date: NaiveDate) -> Option<Minutes> {
        let org = &ctx.city.organisation;
        if let Some(p) = ctx.tables.own_position_at(org, emp as usize, date)
            && let Some(m) = ctx.tables.task_minutes(org, p, task)
        {
            return Some(m);
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
        emp: Option<u32>,
    ) -> Result<Minutes, LedgerError> {
        self.in_month("activity", "date", input.date)?;
        let emp = match emp {
            Some(e) => e,
            None => employee_index(&ctx.city.organisation, &input.employee, "activity", "employee")?,
        };
        // `let else`, not `ok_or`: an error built eagerly is dropped on every
        // success, an out-of-line call (LedgerError owns text) once per log.
        let Some(rules) = ctx.rules(input.date) else {
            return Err(LedgerError::WrongMonth {
                record: "activity",
                field: "date",
                date: input.date,
                month: self.month,
            });
        };
        // The day's other live entries: on the stack for a usual day (Banda Aceh:
        // 5 or 6 an employee-day), on the heap beyond 8.
        const STACK: usize = 8;
        let mut on_stack = [(ActivityId(0), NaiveTime::MIN, NaiveTime::MIN); STACK];
        let mut on_heap = Vec::new();
        let mut n = 0;
        for i in self.idx.by_day.iter(emp, input.date.day0()) {
            let Some((id, start, end, status)) = self.state.entries.span(i as usize) else { continue };
            if Some(id) != editing && status != VerificationStatus::Rejected {
                let x = (id, start, end);
                if n < STACK {
                    on_stack[n] = x;
                } else {
                    if on_heap.is_empty() {
                        on_heap.extend_from_slice(&on_stack);
                    }
                    on_heap.push(x);
                }
                n += 1;
            }
        }
        let same_day = if n > STACK { &on_heap[..] } else { &on_stack[..n] };
        let standard_minutes = self.task_minutes(ctx, emp, &input.task, input.date);
        let ec = EntryContext {
            now: at,
            calendar: &ctx.city.calendar,
            standard_minutes,
            same_day,
            month_closed: self.is_closed(),
            params: &rules.activity,
        };
        let cal = &ctx.city.calendar;
        let rosters = &ctx.city.rosters;
        // A rostered employee's hours are the shifts of that calendar day.
        activity::check_entry_with(input, &ec, &|date, n| ctx.table.nth_before(cal, date, n), &|date| match ctx
            .tables
            .roster_day_span(rosters, emp as usize, &input.employee, date)
        {
            Some(span) => span.map(|(start, end)| crate::calendar::DaySchedule::new(start, end, Minutes::ZERO)),
            None => ctx.table.schedule(cal, date),
        })?;
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

    /// Checks a log: the actor is the employee, in service; the entry passes every
    /// rule. Gives the new entry's id, its task's standard minutes and the
    /// employee's index (`known`: given by the caller, who has looked it up).
    fn check_log(
        &self,
        ctx: &MonthContext<'_>,
        actor: &ActorId,
        at: NaiveDateTime,
        input: &ActivityInput,
        known: Option<u32>,
    ) -> Result<(ActivityId, Minutes, u32), LedgerError> {
        if self.is_closed() {
            return Err(LedgerError::MonthClosed { month: self.month });
        }
        // The employee themself, in service (one lookup on the usual path).
        let org = &ctx.city.organisation;
        let emp = match known {
            Some(e) => Some(e as usize),
            None => ctx.tables.employee_index(org, &input.employee),
        };
        let own = actor.is(&input.employee) && emp.is_some_and(|e| ctx.tables.in_service_at(org, e, at.date()));
        if !own {
            ctx.city.access().own(actor, &input.employee, at.date())?;
        }
        let emp = match emp {
            Some(e) => e as u32,
            None => employee_index(org, &input.employee, "activity", "employee")?,
        };
        let standard_minutes = self.check_input(ctx, input, at, None, Some(emp))?;
        Ok((ActivityId(self.state.entries.len() as u64 + 1), standard_minutes, emp))
    }

    fn check(&self, ctx: &MonthContext<'_>, r: &Request) -> Result<EventKind, LedgerError> {
        let access = ctx.city.access();
        let day = r.at.date();
        let closed = self.is_closed();
        if closed && !matches!(r.command, Command::ReopenMonth { .. }) {
            return Err(LedgerError::MonthClosed { month: self.month });
        }
        let org = &ctx.city.organisation;
        Ok(match &r.command {
            Command::LogActivity { input } => {
                let (id, standard_minutes, _) = self.check_log(ctx, &r.actor, r.at, input, None)?;
                EventKind::ActivityLogged(EntryContent { id, input: input.clone(), standard_minutes })
            }
            Command::EditActivity { id, input } => {
                let entry = self.figures(*id).ok_or(LedgerError::UnknownEntry { id: *id })?;
                access.own(&r.actor, entry.employee, day)?;
                activity::may_edit(entry, &r.actor)?;
                if input.employee != *entry.employee {
                    return Err(LedgerError::NotTheEmployee { id: *id, action: "move an entry to another employee" });
                }
                // The revision counts edits in 32 bits: one more than it can hold
                // is refused, not wrapped to 0 (only a state loaded from elsewhere,
                // e.g. a snapshot, can be that far).
                let i = self.entry_index(*id)?;
                if self.state.entries.revision(i) == Some(u32::MAX) {
                    return Err(LedgerError::Conflict {
                        record: "activity",
                        id: id.to_string(),
                        field: "revision",
                        message: format!("the entry has been edited {} times, the most a revision counts", u32::MAX),
                    });
                }
                let standard_minutes = self.check_input(ctx, input, r.at, Some(*id), None)?;
                EventKind::ActivityEdited(EntryContent { id: *id, input: input.clone(), standard_minutes })
            }
            Command::Resubmit { id } => {
                let entry = self.figures(*id).ok_or(LedgerError::UnknownEntry { id: *id })?;
                access.own(&r.actor, entry.employee, day)?;
                let transition = activity::resubmit(entry, &r.actor, r.at)?;
                EventKind::Transitions(TransitionBatch { items: vec![item_of(&transition)] })
            }
            Command::Verify { id, decision } => {
                let entry = self.figures(*id).ok_or(LedgerError::UnknownEntry { id: *id })?;
                let role = activity::authorise_verifier(&access, &r.actor, entry.employee, entry.date, day)?;
                let transition = activity::decide(entry, decision, &r.actor, role, r.at, ctx.deadline, closed)?;
                EventKind::Transitions(TransitionBatch { items: vec![item_of(&transition)] })
            }
            Command::VerifyMany { decisions } => {
                let mut items = Vec::with_capacity(decisions.len());
                let mut seen = std::collections::HashSet::with_capacity(decisions.len());
                if decisions.is_empty() {
                    return Err(LedgerError::Conflict {
                        record: "activity",
                        id: String::new(),
                        field: "decisions",
                        message: "a batch needs at least one decision".into(),
                    });
                }
                // One verifier, one decision day: the entitlement depends only on the
                // employee and the work date, so it is established once for each.
                let mut entitled: FxHashMap<(u32, NaiveDate), crate::org::VerifierRole> = FxHashMap::default();
                for (id, decision) in decisions {
                    if !seen.insert(*id) {
                        return Err(LedgerError::Conflict {
                            record: "activity",
                            id: id.to_string(),
                            field: "id",
                            message: "the same entry appears twice in one batch".into(),
                        });
                    }
                    let entry = self.figures(*id).ok_or(LedgerError::UnknownEntry { id: *id })?;
                    let key = (self.idx.entry_employee[(id.0 - 1) as usize], entry.date);
                    let role = match entitled.get(&key) {
                        Some(role) => *role,
                        None => {
                            let role =
                                activity::authorise_verifier(&access, &r.actor, entry.employee, entry.date, day)?;
                            entitled.insert(key, role);
                            role
                        }
                    };
                    let t = activity::decide(entry, decision, &r.actor, role, r.at, ctx.deadline, closed)?;
                    items.push(item_of(&t));
                }
                EventKind::Transitions(TransitionBatch { items })
            }
            Command::RegisterExtraTask { task } => {
                employee_index(org, &task.employee, "extra_task", "employee")?;
                activity::authorise_verifier(&access, &r.actor, &task.employee, task.from, day)?;
                self.in_month("extra_task", "from", task.from)?;
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
                EventKind::ExtraTaskRegistered(task.clone())
            }
            Command::RecordClock { event } => {
                // The verdict is the ledger's own, whatever the client sent.
                let (geofence, _) = self.check_clock(ctx, &r.actor, r.at, event, None)?;
                EventKind::ClockRecorded(attendance::ClockEvent { geofence, ..event.clone() })
            }
            Command::RecordAbsence { absence } => {
                let emp = employee_index(org, &absence.employee, "absence", "employee")?;
                // An HR officer records anyone's absence but their own: their own, like
                // every employee's, is limited to the kinds one may report oneself.
                if r.actor.is(&absence.employee) || access.hr_officer(&r.actor, day).is_err() {
                    access.own(&r.actor, &absence.employee, day)?;
                    let code = absence.kind.code();
                    let rules = &ctx.rules_or_last(day).record;
                    if !rules.self_reported_absences.iter().any(|c| c == code) {
                        return Err(NotAuthorised::NotSelfReportable {
                            actor: r.actor.to_string(),
                            kind: code.to_string(),
                        }
                        .into());
                    }
                }
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
                    .get(emp as usize)
                    .map(|l| l.iter().filter_map(|&i| self.state.absences.get(i as usize).cloned()).collect())
                    .unwrap_or_default();
                let rules = ctx.rules(clipped.start).unwrap_or_else(|| ctx.month_end_rules());
                attendance::check_absence_rostered(
                    &absence,
                    &existing,
                    &ctx.city.calendar,
                    &ctx.city.rosters,
                    &rules.attendance,
                )?;
                EventKind::AbsenceRecorded(absence)
            }
            Command::MarkRollCall { mark } => {
                employee_index(org, &mark.employee, "roll_call", "employee")?;
                let list = RollCallList {
                    date: mark.date,
                    kind: mark.kind,
                    attended: if mark.attended { vec![mark.employee.clone()] } else { Vec::new() },
                    absent: if mark.attended { Vec::new() } else { vec![mark.employee.clone()] },
                };
                self.check_roll_call(ctx, &r.actor, r.at, &list)?;
                EventKind::RollCallRecorded(list)
            }
            Command::RecordRollCall { list } => {
                self.check_roll_call(ctx, &r.actor, r.at, list)?;
                EventKind::RollCallRecorded(list.clone())
            }
            Command::DeclareCeremony { ceremony } => {
                access.hr_officer(&r.actor, day)?;
                self.in_month("ceremony", "date", ceremony.date)?;
                if ceremony.name.trim().is_empty() {
                    return Err(LedgerError::Conflict {
                        record: "ceremony",
                        id: ceremony.date.to_string(),
                        field: "name",
                        message: "a ceremony needs a name".into(),
                    });
                }
                if self.state.ceremonies.iter().any(|c| c.date == ceremony.date) {
                    return Err(LedgerError::Conflict {
                        record: "ceremony",
                        id: ceremony.date.to_string(),
                        field: "date",
                        message: "a ceremony is already declared on this date".into(),
                    });
                }
                EventKind::CeremonyDeclared(ceremony.clone())
            }
            Command::CloseMonth => {
                access.hr_officer(&r.actor, day)?;
                if day < self.month.first_day() {
                    return Err(LedgerError::WrongMonth { record: "month", field: "at", date: day, month: self.month });
                }
                EventKind::MonthClosed
            }
            Command::ReopenMonth { reason } => {
                access.hr_officer(&r.actor, day)?;
                let Some(closure) = &self.state.closed else {
                    return Err(LedgerError::NotClosed { month: self.month });
                };
                if closure.by == r.actor {
                    return Err(NotAuthorised::SameOfficer { actor: r.actor.to_string() }.into());
                }
                if reason.trim().is_empty() || reason != reason.trim() {
                    return Err(LedgerError::MissingReason { record: "month" });
                }
                EventKind::MonthReopened(Reopening { reason: reason.clone() })
            }
        })
    }

    /// Checks a scan (who may record it, when) and judges its position against the
    /// employee's work sites under the geofence rules of the scan's date
    /// ([`crate::geo::judge`]): the verdict to store and the employee's index, or
    /// the refusal. `known`: the employee's index, when the caller has looked it up.
    fn check_clock(
        &self,
        ctx: &MonthContext<'_>,
        actor: &ActorId,
        at: NaiveDateTime,
        event: &attendance::ClockEvent,
        known: Option<u32>,
    ) -> Result<(Option<crate::geo::GeoCheck>, u32), LedgerError> {
        let access = ctx.city.access();
        let emp = match known {
            Some(e) => e,
            None => employee_ix(ctx, &event.employee, "clock", "employee")?,
        };
        if !self.month.range().contains(event.at.date()) && clock_month(ctx, event) != self.month {
            self.in_month("clock", "at", event.at.date())?;
        }
        let scan_day = event.at.date();
        match &event.source {
            ClockSource::Fingerprint => {
                clock_device(ctx, actor, &event.employee, emp as usize, DeviceKind::Fingerprint, scan_day)?
            }
            ClockSource::Face => clock_device(ctx, actor, &event.employee, emp as usize, DeviceKind::Face, scan_day)?,
            ClockSource::Mobile { .. } | ClockSource::MobileWithoutPosition => {
                // The employee themself, in service (one look-up on the usual path;
                // anything else is asked of the access rules, for their refusal).
                let own = actor.is(&event.employee)
                    && ctx.tables.in_service_at(&ctx.city.organisation, emp as usize, scan_day);
                if !own {
                    access.own(actor, &event.employee, scan_day)?;
                }
            }
        }
        let skew = chrono::Duration::minutes(i64::from(ctx.rules_or_last(at.date()).record.clock_skew_minutes));
        if event.at > at + skew {
            return Err(LedgerError::ClaimInFuture { at: event.at, received_at: at });
        }
        if ctx.city.work_sites.is_empty() || matches!(event.source, ClockSource::Fingerprint | ClockSource::Face) {
            return Ok((None, emp));
        }
        let params = &ctx.rules_or_last(scan_day).attendance.geofence;
        let org = &ctx.city.organisation;
        let judged = match ctx.tables.sites_of(org, emp as usize, scan_day) {
            Some(list) => {
                let sites = list.iter().filter_map(|&i| ctx.city.work_sites.get(i as usize));
                crate::geo::judge(&event.employee, event.at, &event.source, sites, params)?
            }
            None => {
                let sites = ctx.city.sites_for(&event.employee, scan_day);
                crate::geo::judge(&event.employee, event.at, &event.source, sites, params)?
            }
        };
        Ok((judged, emp))
    }

    fn check_roll_call(
        &self,
        ctx: &MonthContext<'_>,
        actor: &ActorId,
        at: NaiveDateTime,
        list: &RollCallList,
    ) -> Result<(), LedgerError> {
        self.in_month("roll_call", "date", list.date)?;
        if list.attended.is_empty() && list.absent.is_empty() {
            return Err(LedgerError::Conflict {
                record: "roll_call",
                id: list.date.to_string(),
                field: "attended",
                message: "the list names nobody".into(),
            });
        }
        let mut seen = rustc_hash::FxHashSet::with_capacity_and_hasher(
            list.attended.len() + list.absent.len(),
            Default::default(),
        );
        for nip in list.attended.iter().chain(&list.absent) {
            employee_ix(ctx, nip, "roll_call", "attended")?;
            if !seen.insert(nip) {
                return Err(LedgerError::Conflict {
                    record: "roll_call",
                    id: nip.to_string(),
                    field: "attended",
                    message: "named twice in one list".into(),
                });
            }
        }
        if list.date > at.date() {
            return Err(LedgerError::Conflict {
                record: "roll_call",
                id: list.date.to_string(),
                field: "date",
                message: format!("a roll call cannot be recorded before it is held (now {})", at.date()),
            });
        }
        attendance_officer(ctx, actor, list.attended.iter().chain(&list.absent), list.date)?;
        if list.kind == RollCallKind::Ceremony && !self.state.ceremonies.iter().any(|c| c.date == list.date) {
            return Err(LedgerError::Conflict {
                record: "roll_call",
                id: list.date.to_string(),
                field: "kind",
                message: format!("no ceremony is declared on {}", list.date),
            });
        }
        Ok(())
    }

    /// The structural checks and decision entitlement of version 1, for migrated
    /// journals, then the event is applied.
    fn apply_legacy(&mut self, ctx: &MonthContext<'_>, e: &Event) -> Result<(), LedgerError> {
        let org = &ctx.city.organisation;
        if self.is_closed() {
            return Err(LedgerError::MonthClosed { month: self.month });
        }
        match &e.kind {
            EventKind::ActivityLogged(c) => {
                self.in_month("activity", "date", c.input.date)?;
                employee_index(org, &c.input.employee, "activity", "employee")?;
                if !e.actor.is(&c.input.employee) {
                    return Err(LedgerError::Forged {
                        message: format!("{} logged an activity for {}", e.actor, c.input.employee),
                    });
                }
                if c.id.0 != self.state.entries.len() as u64 + 1 {
                    return Err(LedgerError::Forged { message: format!("activity id {} out of sequence", c.id) });
                }
            }
            EventKind::ActivityEdited(c) => {
                self.in_month("activity", "date", c.input.date)?;
                let entry = self.figures(c.id).ok_or(LedgerError::UnknownEntry { id: c.id })?;
                if *entry.employee != c.input.employee || !e.actor.is(entry.employee) {
                    return Err(LedgerError::NotTheEmployee { id: c.id, action: "edit it" });
                }
            }
            EventKind::Transitions(b) => {
                let access = ctx.city.access();
                let mut batch: HashMap<ActivityId, VerificationStatus> = HashMap::new();
                for item in &b.items {
                    let entry = self.figures(item.entry).ok_or(LedgerError::UnknownEntry { id: item.entry })?;
                    let status = batch.get(&item.entry).copied().unwrap_or(entry.status);
                    batch.insert(item.entry, item.to);
                    let entitled = match item.role {
                        None => e.actor.is(entry.employee),
                        Some(_) => {
                            activity::authorise_verifier(&access, &e.actor, entry.employee, entry.date, entry.date)
                                .is_ok()
                        }
                    };
                    if !entitled {
                        return Err(LedgerError::Forged {
                            message: format!("{} was not entitled to change activity {}", e.actor, item.entry),
                        });
                    }
                    if status != item.from {
                        return Err(LedgerError::Forged {
                            message: format!(
                                "transition of activity {} from {}, but it is {status}",
                                item.entry, item.from
                            ),
                        });
                    }
                }
            }
            EventKind::ExtraTaskRegistered(t) => {
                employee_index(org, &t.employee, "extra_task", "employee")?;
            }
            EventKind::ClockRecorded(c) => {
                employee_index(org, &c.employee, "clock", "employee")?;
                self.in_month("clock", "at", c.at.date())?;
            }
            EventKind::AbsenceRecorded(a) => {
                employee_index(org, &a.employee, "absence", "employee")?;
                self.in_month("absence", "range", a.range.start)?;
                self.in_month("absence", "range", a.range.end)?;
            }
            EventKind::RollCallRecorded(l) => {
                self.in_month("roll_call", "date", l.date)?;
                for nip in l.attended.iter().chain(&l.absent) {
                    employee_index(org, nip, "roll_call", "attended")?;
                }
            }
            EventKind::CeremonyDeclared(c) => self.in_month("ceremony", "date", c.date)?,
            EventKind::MonthClosed | EventKind::MonthReopened(_) => {}
        }
        self.apply(ctx, e).map(|_| ())
    }

    /// Applies a checked event to the state. Returns the entry it concerns.
    fn apply(&mut self, ctx: &MonthContext<'_>, e: &Event) -> Result<Option<ActivityId>, LedgerError> {
        self.apply_owned(ctx, &e.actor, e.at, e.kind.clone())
    }

    /// Applies a checked event's kind, made by `actor` at `at`, moving its data into
    /// the state. Returns the entry it concerns.
    fn apply_owned(
        &mut self,
        ctx: &MonthContext<'_>,
        actor: &ActorId,
        at: NaiveDateTime,
        kind: EventKind,
    ) -> Result<Option<ActivityId>, LedgerError> {
        let org = &ctx.city.organisation;
        Ok(match kind {
            EventKind::ActivityLogged(c) => {
                let emp = employee_index(org, &c.input.employee, "activity", "employee")?;
                Some(self.apply_logged(ctx, emp, c, at))
            }
            EventKind::ActivityEdited(c) => {
                let input = c.input;
                let i = self.entry_index(c.id)?;
                let emp = self.idx.entry_employee[i];
                if self.state.entries.employee(i) != Some(&input.employee) {
                    return Err(LedgerError::NotTheEmployee { id: c.id, action: "move an entry to another employee" });
                }
                let new_day = input.date.day0();
                let old_day = self.state.entries.update(i, |entry| {
                    let old_day = entry.date.day0();
                    entry.date = input.date;
                    entry.start = input.start;
                    entry.end = input.end;
                    entry.task = input.task;
                    entry.quantity = input.quantity;
                    entry.standard_minutes = c.standard_minutes;
                    entry.description = input.description;
                    entry.evidence = input.evidence;
                    entry.revision += 1;
                    if entry.status == VerificationStatus::Submitted {
                        entry.submitted_at = at;
                    }
                    old_day
                });
                if let Some(old_day) = old_day
                    && old_day != new_day
                {
                    self.idx.by_day.remove(emp, old_day, i as u32);
                    self.idx.by_day.push(emp, new_day, i as u32);
                }
                if let Some(e) = self.state.entries.figures(i) {
                    self.idx.sheet.entry(ctx, i, emp, e);
                }
                Some(c.id)
            }
            EventKind::Transitions(b) => {
                let mut idx = Vec::with_capacity(b.items.len());
                for item in &b.items {
                    idx.push(self.entry_index(item.entry)?);
                }
                let first = b.items.first().map(|t| t.entry);
                for (item, i) in b.items.into_iter().zip(idx) {
                    let transition = Transition {
                        entry: item.entry,
                        by: actor.clone(),
                        role: item.role,
                        at,
                        from: item.from,
                        to: item.to,
                        reason: item.reason,
                        quantity: item.quantity,
                    };
                    self.apply_transition_at(ctx, i, transition);
                }
                first
            }
            EventKind::ExtraTaskRegistered(task) => {
                let emp = employee_index(org, &task.employee, "extra_task", "employee")?;
                self.idx.extra.entry(emp).or_default().push(self.state.extra_tasks.len() as u32);
                self.state.extra_tasks.push(task);
                None
            }
            EventKind::ClockRecorded(c) => {
                self.apply_clock(ctx, org.employee_index(&c.employee).map_or(u32::MAX, |e| e as u32), c);
                None
            }
            EventKind::AbsenceRecorded(a) => {
                let emp = employee_index(org, &a.employee, "absence", "employee")?;
                self.idx.sheet.touch(emp);
                self.idx.add_absence(emp, self.state.absences.len() as u32);
                self.state.absences.push(a);
                None
            }
            EventKind::RollCallRecorded(l) => {
                self.idx.sheet.roll_call(ctx, &l);
                self.state.roll_calls.push(l);
                None
            }
            EventKind::CeremonyDeclared(c) => {
                self.state.ceremonies.push(c);
                None
            }
            EventKind::MonthClosed => {
                self.state.closed = Some(Closure { at, by: actor.clone() });
                None
            }
            EventKind::MonthReopened(r) => {
                let closed = self.state.closed.take().ok_or(LedgerError::NotClosed { month: self.month })?;
                self.state.reopened.push(Reopened { closed, at, by: actor.clone(), reason: r.reason });
                None
            }
        })
    }

    /// Applies a checked transition of an existing entry.
    fn apply_transition(&mut self, ctx: &MonthContext<'_>, t: Transition) {
        if let Ok(i) = self.entry_index(t.entry) {
            self.apply_transition_at(ctx, i, t);
        }
    }

    /// Applies a checked transition of the entry at index `i`.
    fn apply_transition_at(&mut self, ctx: &MonthContext<'_>, i: usize, transition: Transition) {
        let (status, approved) = activity::outcome(&transition);
        // A resubmission: the entry waits again from now.
        let resubmitted = (transition.to == VerificationStatus::Submitted).then_some(transition.at);
        self.state.entries.decided(i, status, approved, resubmitted);
        if let Some(entry) = self.state.entries.figures(i) {
            self.idx.sheet.decided(ctx, i, self.idx.entry_employee[i], entry);
            if entry.status == VerificationStatus::Rejected {
                self.idx.by_day.remove(self.idx.entry_employee[i], entry.date.day0(), i as u32);
            }
        }
        self.state.transitions.push(transition);
    }

    /// The checks of a `Verify` (one item) or `VerifyMany` request for the items
    /// of a journal's transitions event, in the order [`Ledger::check`] makes
    /// them; the transitions made are appended to `made`. Gives whether each is
    /// the journal's item.
    fn check_decisions(
        &self,
        ctx: &MonthContext<'_>,
        actor: &ActorId,
        at: NaiveDateTime,
        items: &[TransitionItem],
        made: &mut Vec<Transition>,
        scratch: &mut Entitled,
    ) -> Result<bool, LedgerError> {
        let access = ctx.city.access();
        let day = at.date();
        let closed = self.is_closed();
        let many = items.len() > 1;
        // One verifier, one decision day: the entitlement depends only on the
        // employee and the work date (and on the city, fixed by the context), so
        // it is established once for each, and kept for the verifier's next batch
        // of the same day under the same context.
        scratch.begin(ctx.id(), actor, day);
        // Each item's entry, employee and work date are read first, in a loop of
        // their own: a batch's entries lie far apart in the month's list, and
        // these reads, independent of one another, then overlap instead of each
        // waiting its turn inside the checks (which find the entries cached). No
        // refusal here: an unknown entry is refused below, in the item's turn.
        // The transition `decide` gives is of the entry, from its status (as its
        // doc says): the item's entry and status before are compared here, from
        // the entry itself (its other lines thus read early too).
        let mut same = true;
        scratch.found.clear();
        scratch.found.extend(items.iter().map(|item| {
            let i = self.entry_index(item.entry).ok()?;
            let entries = &self.state.entries;
            same &= entries.id(i) == Some(item.entry) && entries.status(i) == Some(item.from);
            Some((i, (*self.idx.entry_employee.get(i)?, entries.date(i)?)))
        }));
        for (k, item) in items.iter().enumerate() {
            let id = item.entry;
            if many {
                let twice =
                    if items.len() <= 32 { items[..k].iter().any(|x| x.entry == id) } else { !scratch.seen.insert(id) };
                if twice {
                    return Err(LedgerError::Conflict {
                        record: "activity",
                        id: id.to_string(),
                        field: "id",
                        message: "the same entry appears twice in one batch".into(),
                    });
                }
            }
            let found = scratch.found.get(k).copied().flatten();
            let Some((entry, key)) = found.and_then(|(i, key)| Some((self.state.entries.figures(i)?, key))) else {
                return Err(LedgerError::UnknownEntry { id });
            };
            let role = match scratch.get(key) {
                Some(role) => role,
                None => {
                    let role = activity::authorise_verifier(&access, actor, entry.employee, entry.date, day)?;
                    scratch.insert(key, role);
                    role
                }
            };
            let t = activity::decide(entry, &decision_of(item), actor, role, at, ctx.deadline, closed)?;
            same &= t.role == item.role && t.to == item.to && t.reason == item.reason && t.quantity == item.quantity;
            made.push(t);
        }
        Ok(same)
    }

    /// Adds a checked clock event of the employee with index `emp` (`u32::MAX`:
    /// someone the dataset does not have).
    fn apply_clock(&mut self, ctx: &MonthContext<'_>, emp: u32, c: attendance::ClockEvent) {
        self.idx.clock_employee.push(emp);
        self.idx.sheet.clock(ctx, &self.state.clocks, self.state.clocks.len() as u32, emp, &c);
        self.state.clocks.push(c);
    }

    /// Adds a checked, logged entry of the employee with index `emp`.
    fn apply_logged(&mut self, ctx: &MonthContext<'_>, emp: u32, c: EntryContent, at: NaiveDateTime) -> ActivityId {
        let (id, input) = (c.id, c.input);
        self.idx.by_day.push(emp, input.date.day0(), self.state.entries.len() as u32);
        self.idx.entry_employee.push(emp);
        self.state.entries.push(ActivityEntry::submitted(id, input, c.standard_minutes, at));
        let i = self.state.entries.len().saturating_sub(1);
        if let Some(e) = self.state.entries.figures(i) {
            self.idx.sheet.entry(ctx, i, emp, e);
        }
        id
    }

    fn entry_index(&self, id: ActivityId) -> Result<usize, LedgerError> {
        let i = usize::try_from(id.0).ok().and_then(|i| i.checked_sub(1)).filter(|&i| i < self.state.entries.len());
        // A `match`, not `ok_or`: see `check_input` (twice per decided entry).
        match i {
            Some(i) => Ok(i),
            None => Err(LedgerError::UnknownEntry { id }),
        }
    }

    /// Entries still awaiting a decision that `verifier` may decide on
    /// `decision_date` (the supervisor's queue); with `None`, each entry as it
    /// could be decided on its own date.
    pub fn verification_queue(
        &self,
        ctx: &MonthContext<'_>,
        verifier: &ActorId,
        decision_date: Option<NaiveDate>,
    ) -> Vec<ActivityEntry> {
        let access = ctx.city.access();
        let may = |e: &activity::EntryFigures<'_>| {
            let on = decision_date.unwrap_or(e.date);
            activity::authorise_verifier(&access, verifier, e.employee, e.date, on).is_ok()
        };
        // Whether the verifier may decide depends on the employee and the work
        // date only (the verifier and the decision date are fixed, or the decision
        // date is the work date), and a month holds about twenty entries per
        // employee and working day: the last answer for each employee (by their
        // index, kept beside the entries) is reused while the date is the same.
        let mut last: Vec<Option<(NaiveDate, bool)>> = vec![None; ctx.city.organisation.employees().len()];
        let entries = &self.state.entries;
        (0..entries.len())
            .filter_map(|i| Some((i, entries.figures(i)?, *self.idx.entry_employee.get(i)?)))
            .filter(|(_, e, _)| e.status == VerificationStatus::Submitted)
            .filter(|(_, e, emp)| match last.get_mut(*emp as usize) {
                Some(Some((date, ok))) if *date == e.date => *ok,
                Some(slot) => {
                    let ok = may(e);
                    *slot = Some((e.date, ok));
                    ok
                }
                None => may(e),
            })
            .filter_map(|(i, _, _)| entries.get(i))
            .collect()
    }

    /// The employee index of each entry, parallel to `state().entries`.
    pub(crate) fn entry_employees(&self) -> &[u32] {
        &self.idx.entry_employee
    }

    /// The employee index of each clock event, parallel to `state().clocks`
    /// (`u32::MAX` for someone the dataset does not have).
    pub(crate) fn clock_employees(&self) -> &[u32] {
        &self.idx.clock_employee
    }

    /// The indices in `state().absences` of the absences of the employee with index `emp`.
    pub(crate) fn absences_of(&self, emp: usize) -> &[u32] {
        self.idx.absences.get(emp).map_or(&[], |v| v.as_slice())
    }

    /// The month sheet the recap reads (see [`sheet`]), if it was made for `ctx`.
    pub(crate) fn sheet(&self, ctx: &MonthContext<'_>) -> Option<&sheet::Sheet> {
        self.idx.sheet.fits(ctx).then_some(&self.idx.sheet)
    }
}

impl Indexes {
    /// Notes absence `i` (its index in the state) of the employee with index `emp`.
    fn add_absence(&mut self, emp: u32, i: u32) {
        let e = emp as usize;
        if self.absences.len() <= e {
            self.absences.resize_with(e + 1, Vec::new);
        }
        if let Some(list) = self.absences.get_mut(e) {
            list.push(i);
        }
    }
}

/// The entitlements established for one verifier's decisions on one decision
/// day under one context, by (employee, work date): a short list, or a map once
/// it is long; the entries seen in a long batch, and those its items name. Kept
/// by the ledger: a verifier's batches of the same day reuse the entitlements
/// the first established (the answer of [`activity::authorise_verifier`]
/// depends on nothing else: the city's data are fixed by the context); another
/// verifier, day or context starts afresh.
#[derive(Clone, Debug, Default)]
struct Entitled {
    /// The context id, verifier and decision day the entitlements are for.
    of: Option<(u64, ActorId, NaiveDate)>,
    few: Vec<((u32, NaiveDate), crate::org::VerifierRole)>,
    many: FxHashMap<(u32, NaiveDate), crate::org::VerifierRole>,
    seen: rustc_hash::FxHashSet<ActivityId>,
    /// By item of the batch being checked: its entry's index, employee and
    /// work date; `None` for an unknown entry.
    found: Vec<Option<(usize, (u32, NaiveDate))>>,
}

impl Entitled {
    /// Starts a batch of `actor`'s decisions on `day` under the context `context`:
    /// the entitlements are kept if they are for the same, forgotten otherwise.
    fn begin(&mut self, context: u64, actor: &ActorId, day: NaiveDate) {
        self.seen.clear();
        if self.of.as_ref().is_some_and(|(c, a, d)| *c == context && a == actor && *d == day) {
            return;
        }
        self.few.clear();
        self.many.clear();
        self.of = Some((context, actor.clone(), day));
    }

    fn get(&self, key: (u32, NaiveDate)) -> Option<crate::org::VerifierRole> {
        if self.many.is_empty() {
            self.few.iter().find(|(k, _)| *k == key).map(|(_, r)| *r)
        } else {
            self.many.get(&key).copied()
        }
    }

    fn insert(&mut self, key: (u32, NaiveDate), role: crate::org::VerifierRole) {
        if self.many.is_empty() && self.few.len() < 16 {
            self.few.push((key, role));
        } else {
            self.many.extend(self.few.drain(..));
            self.many.insert(key, role);
        }
    }
}

/// What the replay of one compact stream learns once and keeps while it reads
/// the stream ([`Ledger::apply_record`]): the reader's texts keep their indexes
/// for the whole stream, and the context is the same for all of it.
#[derive(Debug)]
pub(crate) struct Memo {
    /// By text index: the index of the employee whose NIP the text is,
    /// [`NOT_SEEN`] until it was looked up, [`NOT_FOUND`] for no employee.
    employees: Vec<u32>,
    /// The actor of the record being replayed (built in place).
    actor: ActorId,
    /// The items of the transitions record being replayed (kept for its room).
    items: Vec<TransitionItem>,
}

/// A text not looked up yet (a [`Memo`]'s employees).
const NOT_SEEN: u32 = u32::MAX;
/// A text that is no employee's NIP (a [`Memo`]'s employees).
const NOT_FOUND: u32 = u32::MAX - 1;

impl Default for Memo {
    fn default() -> Memo {
        // No actor yet: the first record's is built in place of this one.
        Memo { employees: Vec::new(), actor: ActorId::Device(crate::access::DeviceId::trusted("")), items: Vec::new() }
    }
}

impl Memo {
    /// The index of the employee whose NIP is text `text` of `record`'s stream,
    /// looked up in the month's tables the first time; `None` when there is
    /// none (the checks look it up again, for their refusal).
    fn employee(&mut self, ctx: &MonthContext<'_>, record: &record::Decoded<'_>, text: u32) -> Option<u32> {
        let i = text as usize;
        if i >= self.employees.len() {
            self.employees.resize(i + 1, NOT_SEEN);
        }
        let slot = self.employees.get_mut(i)?;
        if *slot == NOT_SEEN {
            let found = record.nip(text).ok().and_then(|n| ctx.tables.employee_index(&ctx.city.organisation, &n));
            *slot = found.and_then(|e| u32::try_from(e).ok()).filter(|&e| e < NOT_FOUND).unwrap_or(NOT_FOUND);
        }
        Some(*slot).filter(|&e| e != NOT_FOUND)
    }
}

/// Whether a transitions event's items are decisions (what a `Verify` or
/// `VerifyMany` request gives), not a resubmission (one item, by no role, back to
/// submitted) nor empty.
fn is_decisions(items: &[TransitionItem]) -> bool {
    items
        .first()
        .is_some_and(|first| !(items.len() == 1 && first.role.is_none() && first.to == VerificationStatus::Submitted))
}

/// A compact record whose decoded form lacks what the reader vouched for.
fn decode_error(x: codec::DecodeError) -> LedgerError {
    LedgerError::Format { what: "journal", message: x.0 }
}

/// The decision a journal's transition item stands for (as [`Request::of_event`]
/// reads it).
fn decision_of(t: &TransitionItem) -> activity::Decision {
    match t.to {
        VerificationStatus::Approved => activity::Decision::Approve { quantity: t.quantity },
        VerificationStatus::Rejected => activity::Decision::Reject { reason: t.reason.clone().unwrap_or_default() },
        // Returned, and anything a forger wrote (refused on check).
        _ => activity::Decision::Return { reason: t.reason.clone().unwrap_or_default() },
    }
}

fn item_of(t: &Transition) -> TransitionItem {
    TransitionItem {
        entry: t.entry,
        role: t.role,
        from: t.from,
        to: t.to,
        reason: t.reason.clone(),
        quantity: t.quantity,
    }
}

/// [`crate::access::Access::clock_device`] for the employee with index `emp`,
/// answered from the month's tables.
fn clock_device(
    ctx: &MonthContext<'_>,
    actor: &ActorId,
    employee: &Nip,
    emp: usize,
    kind: DeviceKind,
    date: NaiveDate,
) -> Result<(), NotAuthorised> {
    let ActorId::Device(id) = actor else {
        return Err(NotAuthorised::NotADevice { actor: actor.to_string() });
    };
    let Some((d, device)) = ctx.city.authorities.device_entry(id) else {
        return Err(NotAuthorised::UnknownActor { actor: actor.to_string() });
    };
    if !device.in_service(date) {
        return Err(NotAuthorised::NotInService { actor: actor.to_string(), date });
    }
    if device.kind != kind {
        return Err(NotAuthorised::WrongDevice { actor: actor.to_string(), employee: employee.clone() });
    }
    // The unit of the employee's own position is the device's, or lies under it.
    let org = &ctx.city.organisation;
    let at_site = ctx.tables.own_position_at(org, emp, date).is_some_and(|p| {
        match (ctx.tables.position_unit(p), ctx.tables.device_unit(d)) {
            (Some(u), Some(site)) => unit_within(org, u, site),
            _ => org.positions().get(p).is_some_and(|p| ctx.city.access().within(&p.unit, &device.unit)),
        }
    });
    if !at_site {
        return Err(NotAuthorised::OutsideUnit { actor: actor.to_string(), employee: employee.clone(), date });
    }
    Ok(())
}

/// [`crate::access::Access::within`] for units by index: `unit` is `ancestor`
/// or lies under it.
fn unit_within(org: &crate::org::Organisation, unit: usize, ancestor: usize) -> bool {
    let parents = org.unit_parents();
    let mut cur = Some(unit);
    for _ in 0..=org.units().len() {
        match cur {
            Some(x) if x == ancestor => return true,
            Some(x) => cur = parents.get(x).copied().flatten(),
            None => return false,
        }
    }
    false
}

/// [`crate::access::Access::attendance_officer`], the employees' units answered
/// from the month's tables.
fn attendance_officer<'n>(
    ctx: &MonthContext<'_>,
    actor: &ActorId,
    employees: impl IntoIterator<Item = &'n Nip>,
    date: NaiveDate,
) -> Result<(), NotAuthorised> {
    let access = ctx.city.access();
    let org = &ctx.city.organisation;
    let nip = access.employee(actor, date)?;
    let units: Vec<(&crate::ids::UnitId, Option<usize>)> = ctx
        .city
        .authorities
        .appointments(nip)
        .filter(|o| o.role == crate::access::OfficerRole::Attendance && o.covers(date))
        .filter_map(|o| o.unit.as_ref())
        .map(|u| (u, org.unit_index(u)))
        .collect();
    if units.is_empty() {
        return Err(NotAuthorised::NotAnOfficer {
            actor: actor.to_string(),
            role: crate::access::OfficerRole::Attendance.as_str(),
            date,
        });
    }
    for e in employees {
        let position = ctx.tables.employee_index(org, e).and_then(|i| ctx.tables.own_position_at(org, i, date));
        let served = position.is_some_and(|p| {
            units.iter().any(|&(a, ai)| match (ctx.tables.position_unit(p), ai) {
                (Some(u), Some(ai)) => unit_within(org, u, ai),
                _ => org.positions().get(p).is_some_and(|p| access.within(&p.unit, a)),
            })
        });
        if !served {
            return Err(NotAuthorised::OutsideUnit { actor: actor.to_string(), employee: e.clone(), date });
        }
    }
    Ok(())
}

/// The month whose record a scan belongs to: its own date's month, except a scan on
/// a month's first day that belongs to a shift its employee started on the previous
/// month's last day (a night shift's check-out, see [`attendance::attribute_scan`]),
/// which belongs to that previous month, where the shift is judged. Anyone routing
/// scans to a month's ledger (the server's clock endpoint, an import) asks this.
///
/// The shift-scan margin is read from `ctx`'s rules (its month's, at the shift's date
/// or the month's end).
pub fn clock_month(ctx: &MonthContext<'_>, event: &attendance::ClockEvent) -> YearMonth {
    let city = ctx.city;
    let own = YearMonth::of(event.at.date());
    let date = event.at.date();
    if date.day() != 1 || !city.rosters.has(&event.employee) {
        return own;
    }
    let Some(last) = date.pred_opt() else { return own };
    let Some(night) = city.rosters.shift_on(&event.employee, last) else { return own };
    let same = city.rosters.shift_on(&event.employee, date);
    let next = date.succ_opt().and_then(|n| city.rosters.shift_on(&event.employee, n));
    let margin = ctx.rules_or_last(last).attendance.shift_scan_margin_minutes;
    if attendance::attribute_scan(event.at, event.direction, Some(&night), same.as_ref(), next.as_ref(), margin) == last
    {
        YearMonth::of(last)
    } else {
        own
    }
}

/// [`employee_index`], answered from the month's tables.
fn employee_ix(
    ctx: &MonthContext<'_>,
    nip: &Nip,
    record: &'static str,
    field: &'static str,
) -> Result<u32, LedgerError> {
    let org = &ctx.city.organisation;
    ctx.tables.employee_index(org, nip).map(|i| i as u32).ok_or_else(|| LedgerError::UnknownEmployee {
        record,
        field,
        nip: nip.clone(),
    })
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

#[cfg(test)]
mod tests {
    use super::DayTable;
    use chrono::NaiveDate;

    /// A table of `days` days from `start` (schedules empty: only indexes matter).
    fn table(start: NaiveDate, days: usize) -> DayTable {
        DayTable {
            start_year: chrono::Datelike::year(&start),
            start_ord0: chrono::Datelike::ordinal0(&start),
            start_year_days: if start.leap_year() { 366 } else { 365 },
            schedule: vec![None; days],
            before: vec![0; days],
            dates: Vec::new(),
        }
    }

    #[test]
    fn a_day_index_is_the_days_since_the_start_across_a_year_end() {
        // The table of December 2027 (2028 is a leap year): 62 days either side.
        // 2027-12-01 - 62 days = 2027-09-30; 186 days reach 2028-04-03.
        let start = NaiveDate::from_ymd_opt(2027, 9, 30).expect("date");
        let t = table(start, 186);
        for n in -3i64..190 {
            let date = start + chrono::Duration::days(n);
            let want = usize::try_from(n).ok().filter(|&i| i < 186);
            assert_eq!(t.index(date), want, "{date}");
        }
        // 2028-02-29: Sep 30 is index 0, Dec 31 index 92 (31 + 30 + 31 days on),
        // Jan 31 index 123, Feb 29 index 123 + 29 = 152.
        assert_eq!(t.index(NaiveDate::from_ymd_opt(2028, 2, 29).expect("date")), Some(152));
        // Two years on: not in the table.
        assert_eq!(t.index(NaiveDate::from_ymd_opt(2029, 1, 1).expect("date")), None);
    }

    #[test]
    fn day_lists_keep_each_employee_day_apart_in_order_of_adding() {
        // Entries 0..6 added as (employee, day0): 0 (3, 0), 1 (0, 30), 2 (3, 0),
        // 3 (4, 0), 4 (3, 1), 5 (3, 0). A later day and a larger employee index
        // each grow the table; neighbours by employee or by day never share a list.
        let mut lists = super::DayLists::default();
        for (i, (emp, day0)) in [(3, 0), (0, 30), (3, 0), (4, 0), (3, 1), (3, 0)].into_iter().enumerate() {
            lists.push(emp, day0, i as u32);
        }
        let list = |lists: &super::DayLists, emp, day0| lists.iter(emp, day0).collect::<Vec<u32>>();
        assert_eq!(list(&lists, 3, 0), [0, 2, 5]);
        assert_eq!(list(&lists, 0, 30), [1]);
        assert_eq!(list(&lists, 4, 0), [3]);
        assert_eq!(list(&lists, 3, 1), [4]);
        // Never made: empty, whether the day or the employee is past the table.
        assert_eq!(list(&lists, 2, 0), Vec::<u32>::new());
        assert_eq!(list(&lists, 9, 0), Vec::<u32>::new());
        assert_eq!(list(&lists, 3, 29), Vec::<u32>::new());
        // Taking out the middle, then the last: the first and last are mended.
        lists.remove(3, 0, 2);
        assert_eq!(list(&lists, 3, 0), [0, 5]);
        lists.remove(3, 0, 5);
        assert_eq!(list(&lists, 3, 0), [0]);
        // Added again after being taken out (an edit moving it back to this day): last.
        lists.push(3, 0, 5);
        assert_eq!(list(&lists, 3, 0), [0, 5]);
        // Taking out of a list never made changes nothing.
        lists.remove(8, 12, 0);
        assert_eq!(list(&lists, 3, 0), [0, 5]);
    }
}
