//! The engine on a phone: a month's bundle, offline work and synchronisation.
//!
//! Employees log their day on their phones, often where there is no signal;
//! supervisors verify on theirs. The phone runs **this same engine**, so an entry
//! the phone accepts is one the server accepts (the same rules, the same error
//! codes), and the minutes and percentages it shows are the server's.
//!
//! # The bundle: what the server sends a phone
//!
//! A [`DeviceBundle`] is everything one person's phone needs for one month
//! ([`DeviceBundle::for_employee`] builds it from the whole city on the server):
//!
//! * a small **dataset** in the ordinary dataset format (see [`crate::dataset`]):
//!   the government and its work calendar; the person's own assignments and
//!   positions (with their tasks); every position up their supervision chain with
//!   whoever holds or acts in it during the month (that is what deciding *who
//!   verifies* needs, escalation over vacant positions included); the delegations
//!   of those positions; and the person's salary and sanction records;
//! * for a **supervisor** (anyone who may verify someone's work during the month,
//!   as holder, Plt, Plh or delegate), also those subordinates, their assignments
//!   and positions ([`DeviceBundle::subordinates`]);
//! * the **policy** in force, as the TOML texts of the layers applied over the
//!   national baseline ([`PolicyText`]);
//! * the **entries so far**: the month's ledger state restricted to the people of
//!   the bundle (the owner and their subordinates), entries keeping their server
//!   ids.
//!
//! On the phone, the dataset is validated like any dataset (every problem is
//! listed), the policy is layered and resolved for every day of the month, and a
//! local [`Ledger`] is loaded from the state.
//!
//! # Working offline: the outbox
//!
//! A [`DeviceSession`] executes the person's commands on the local ledger with the
//! core's own rules: logging, editing and resubmitting entries, reporting one's
//! own absence (permit, sickness, leave, official travel: the attendance rules
//! check evidence, overlaps and the permit cap), and for a supervisor approving
//! (possibly a lower quantity), rejecting and returning. A
//! refused command is refused offline, with the same typed error the server would
//! give, and changes nothing. An accepted one changes the local state at once and
//! is appended to the **outbox** ([`DeviceSession::pending_changes`]) as a
//! [`PendingChange`]: a number (1, 2, 3, ... on this phone), the actor, the time
//! the person did it, and the change. Entries are named by an [`EntryRef`]: the
//! server's id, or, for an entry logged offline, the number of the change that
//! logged it.
//!
//! # Synchronising
//!
//! ```text
//!  phone                                   server
//!  ─────                                   ──────
//!  pending_changes() ──── upload ────────▶ apply_uploads(ledger, ctx, changes)
//!                                            each change in order: accepted
//!                                            (with the entry's server id) or
//!                                            rejected (code, message)
//!  apply_server_answer() ◀── ServerAnswer ── + optionally a fresh bundle
//!    base  = the fresh bundle, or the old base + the accepted changes
//!    drop  = the rejected changes (kept in rejected_changes() with their codes)
//!    state = base + replay of the changes not yet answered
//! ```
//!
//! The phone never merges states: the server's answer is authoritative, and the
//! phone **rebases** on it. Changes made while the upload was in flight are
//! replayed on top; a change that no longer passes on the new base (say the
//! supervisor approved the entry the employee was editing) is dropped and
//! reported like a server rejection ([`RejectedBy::Rebase`]).
//!
//! The core reads no clock: every command carries the time the person did it
//! (local time of the region), and the server executes each change at that time,
//! so both sides compute the same entry windows and deadlines.
//!
//! **Exactly once, under the server's authority.** Every change carries an
//! idempotency key, `<session>:<number>`, where the session id is issued by the
//! server with the bundle ([`DeviceBundle::session`]). [`apply_uploads`] takes
//! what the *server* knows about the upload ([`UploadSource`]: the session, its
//! owner as the server authenticated them, and the server's own receive time),
//! never what the phone says:
//!
//! * a change whose actor is not the session's owner is refused
//!   (`not_session_owner`), and so is a key of another session (`foreign_session`);
//! * a key already answered gets the stored answer again ([`Receipts`], kept by
//!   the server; for an accepted change the ledger itself also remembers the key),
//!   so a retried upload changes nothing;
//! * each command is executed at the phone's time **and** received at the
//!   server's: the journal keeps both, and how far back the phone may claim to
//!   have acted is policy (`record.claim_window_working_days`).
//!
//! A phone ignores results for changes it no longer has, so applying the same
//! answer twice is harmless.
//!
//! A session can be saved and restored ([`DeviceSession::to_json`],
//! [`DeviceSession::restore`]) so that an outbox survives the app being closed.
//! The saved form carries a seal (SHA-256 of its content): a saved session that
//! was altered is refused. The seal is not a secret: the server re-checks every
//! change anyway. The saved form holds the person's salary and sanctions; store it
//! with the platform's protected storage.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::access::ActorId;
use crate::activity::{self, ActivityEntry, ActivityId, ActivityInput, Decision, VerificationStatus};
use crate::allowance::{AllowanceError, AllowanceInput, Slip};
use crate::attendance::{Absence, AbsenceKind, ClockDirection, ClockEvent, ClockSource, MonthAttendance};
use crate::dataset::{City, Dataset, DatasetError, SCHEMA_VERSION};
use crate::error::{Problem, ValidationErrors};
use crate::ids::{PositionId, TaskId, UnitId};
use crate::ledger::{Command, Entries, EventKind, Ledger, LedgerError, LedgerState, MonthContext, MonthRules, Request};
use crate::minutes::Minutes;
use crate::month::{DateRange, YearMonth};
use crate::org::{Assignment, Nip};
use crate::policy::{Policy, PolicyError, PolicyLayer};
use crate::recap::EmployeeRecap;
use crate::rollcall::MonthRollCall;

/// The bundle format version this library reads and writes.
pub const BUNDLE_VERSION: u32 = 2;

/// The session file format version this library reads and writes.
pub const SESSION_VERSION: u32 = 2;

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// The area an error belongs to, for apps that show errors by kind (the mobile
/// bindings turn each area into one case of their error type).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorArea {
    /// A dataset (the bundle's) has problems; every one is listed.
    Validation,
    /// The policy is malformed or lacks a value.
    Policy,
    /// The actor may not verify this work.
    NotAuthorised,
    /// An activity entry breaks a logging rule.
    ActivityRejected,
    /// A verification step is not allowed.
    Verification,
    /// An attendance record breaks a rule.
    Attendance,
    /// The ledger refused the command for another reason (closed month, conflict, ...).
    Ledger,
    /// A record named does not exist.
    NotFound,
    /// A value typed by a person, or a JSON document, could not be read.
    Parse,
    /// A failure that is not the user's: a broken invariant, an overflow.
    Internal,
}

impl ErrorArea {
    /// The area as snake_case text.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorArea::Validation => "validation",
            ErrorArea::Policy => "policy",
            ErrorArea::NotAuthorised => "not_authorised",
            ErrorArea::ActivityRejected => "activity_rejected",
            ErrorArea::Verification => "verification",
            ErrorArea::Attendance => "attendance",
            ErrorArea::Ledger => "ledger",
            ErrorArea::NotFound => "not_found",
            ErrorArea::Parse => "parse",
            ErrorArea::Internal => "internal",
        }
    }
}

/// Why a bundle, an answer or a command on the phone was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DeviceError {
    /// A JSON document (bundle, answer, saved session) cannot be read.
    #[error("{what}: {message}")]
    Format {
        /// Which document.
        what: &'static str,
        /// What is wrong.
        message: String,
    },
    /// Values typed by a person cannot be read; every field at fault is listed
    /// (record `"input"`, the field's name, code `invalid_date`, `invalid_time`,
    /// `invalid_date_time`, `invalid_number`, `invalid_nip` or `empty`).
    #[error(transparent)]
    Input(ValidationErrors),
    /// The bundle's dataset has problems.
    #[error(transparent)]
    Dataset(#[from] DatasetError),
    /// The bundle's policy cannot be loaded or lacks a value for the month.
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// The ledger refused the command (the same error the server gives).
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The entry named is not in this session.
    #[error("entry {entry} not found on this device")]
    UnknownEntry {
        /// The reference given.
        entry: EntryRef,
    },
    /// The person is not in the bundle (or not in the city, on the server).
    #[error("employee `{nip}` is not in the {place}")]
    UnknownEmployee {
        /// The NIP.
        nip: Nip,
        /// Where it was looked for.
        place: &'static str,
    },
    /// The allowance could not be computed.
    #[error(transparent)]
    Allowance(#[from] AllowanceError),
    /// The employee holds no definitive position in the month: no allowance.
    #[error("employee `{nip}` holds no definitive position in {month}: no allowance is computed")]
    NoPosition {
        /// The employee.
        nip: Nip,
        /// The month.
        month: YearMonth,
    },
    /// A document is for another person or month than this session's.
    #[error("{what} is for {found}, this session for {expected}")]
    Mismatch {
        /// Which document.
        what: &'static str,
        /// What the session expects.
        expected: String,
        /// What the document says.
        found: String,
    },
}

impl DeviceError {
    /// A stable, machine-readable code (the core's own code for ledger errors).
    pub fn code(&self) -> &'static str {
        match self {
            DeviceError::Format { .. } => "format",
            DeviceError::Input(_) => "invalid_input",
            DeviceError::Dataset(DatasetError::Syntax { .. }) => "format",
            DeviceError::Dataset(DatasetError::Invalid(_)) => "invalid_dataset",
            DeviceError::Policy(e) => e.code(),
            DeviceError::Ledger(e) => e.code(),
            DeviceError::UnknownEntry { .. } => "unknown_entry",
            DeviceError::UnknownEmployee { .. } => "unknown_employee",
            DeviceError::Allowance(e) => e.code(),
            DeviceError::NoPosition { .. } => "no_position",
            DeviceError::Mismatch { .. } => "mismatch",
        }
    }

    /// The area of the error.
    pub fn area(&self) -> ErrorArea {
        match self {
            DeviceError::Format { .. } | DeviceError::Input(_) | DeviceError::Dataset(DatasetError::Syntax { .. }) => {
                ErrorArea::Parse
            }
            DeviceError::Dataset(DatasetError::Invalid(_)) => ErrorArea::Validation,
            DeviceError::Policy(_) => ErrorArea::Policy,
            DeviceError::Ledger(e) => ledger_area(e),
            DeviceError::UnknownEntry { .. } | DeviceError::UnknownEmployee { .. } => ErrorArea::NotFound,
            DeviceError::Allowance(e) => match e {
                AllowanceError::InvalidInput(_)
                | AllowanceError::UnknownSanctionLevel { .. }
                | AllowanceError::SanctionMonthsNotAllowed { .. } => ErrorArea::Validation,
                AllowanceError::Policy(_) => ErrorArea::Policy,
                AllowanceError::Arithmetic { .. } | AllowanceError::Invariant { .. } => ErrorArea::Internal,
                _ => ErrorArea::Ledger,
            },
            DeviceError::NoPosition { .. } => ErrorArea::NotFound,
            DeviceError::Mismatch { .. } => ErrorArea::Ledger,
        }
    }

    /// The problems behind the error: every field of an input or dataset error,
    /// and one problem naming the record and field for the other errors where
    /// the core knows them; empty otherwise.
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            DeviceError::Input(v) | DeviceError::Dataset(DatasetError::Invalid(v)) => v.problems.clone(),
            DeviceError::Policy(e) => e.problems().to_vec(),
            DeviceError::Ledger(LedgerError::Activity(e)) => vec![e.to_problem(None)],
            DeviceError::Ledger(LedgerError::Verification(e)) => vec![e.to_problem()],
            DeviceError::Ledger(LedgerError::Attendance(e)) => vec![e.to_problem()],
            DeviceError::Ledger(LedgerError::Geofence(e)) => vec![e.to_problem()],
            DeviceError::Allowance(AllowanceError::InvalidInput(v)) => v.problems.clone(),
            DeviceError::Allowance(AllowanceError::Policy(e)) => e.problems().to_vec(),
            _ => Vec::new(),
        }
    }
}

/// The area of a ledger error.
pub fn ledger_area(e: &LedgerError) -> ErrorArea {
    match e {
        LedgerError::Activity(_) => ErrorArea::ActivityRejected,
        LedgerError::Verification(_) => ErrorArea::Verification,
        LedgerError::NotAuthorised(_) => ErrorArea::NotAuthorised,
        LedgerError::Attendance(_) | LedgerError::Geofence(_) => ErrorArea::Attendance,
        LedgerError::Policy(_) => ErrorArea::Policy,
        LedgerError::UnknownEntry { .. } | LedgerError::UnknownEmployee { .. } => ErrorArea::NotFound,
        LedgerError::Arithmetic(_) => ErrorArea::Internal,
        _ => ErrorArea::Ledger,
    }
}

// ---------------------------------------------------------------------------
// Values typed by people
// ---------------------------------------------------------------------------

/// Collects the problems of the fields of one input.
#[derive(Default)]
struct InputReader {
    problems: Vec<Problem>,
}

impl InputReader {
    fn problem(&mut self, field: &str, code: &str, message: String) {
        self.problems.push(Problem::new("input", "", field, code, message));
    }

    fn date(&mut self, field: &str, text: &str) -> Option<NaiveDate> {
        match parse_date(text) {
            Some(d) => Some(d),
            None => {
                self.problem(field, "invalid_date", format!("`{text}` is not a date in the form YYYY-MM-DD"));
                None
            }
        }
    }

    fn time(&mut self, field: &str, text: &str) -> Option<NaiveTime> {
        match parse_time(text) {
            Some(t) => Some(t),
            None => {
                self.problem(field, "invalid_time", format!("`{text}` is not a time in the form HH:MM or HH:MM:SS"));
                None
            }
        }
    }

    fn date_time(&mut self, field: &str, text: &str) -> Option<NaiveDateTime> {
        match parse_date_time(text) {
            Some(t) => Some(t),
            None => {
                self.problem(
                    field,
                    "invalid_date_time",
                    format!("`{text}` is not a local date and time in the form YYYY-MM-DDTHH:MM[:SS]"),
                );
                None
            }
        }
    }

    fn whole(&mut self, field: &str, text: &str) -> Option<i64> {
        let t = text.trim();
        let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            self.problem(field, "invalid_number", format!("`{text}` is not a whole number"));
            return None;
        }
        match t.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.problem(field, "invalid_number", format!("`{text}` is too large"));
                None
            }
        }
    }

    fn required<'t>(&mut self, field: &str, text: &'t str) -> Option<&'t str> {
        let t = text.trim();
        if t.is_empty() {
            self.problem(field, "empty", format!("`{field}` is required"));
            None
        } else {
            Some(t)
        }
    }

    fn finish(self) -> Result<(), DeviceError> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(DeviceError::Input(ValidationErrors { problems: self.problems }))
        }
    }
}

/// The value of two ASCII digits.
fn two_digits(b: &[u8]) -> Option<u32> {
    match b {
        [a @ b'0'..=b'9', c @ b'0'..=b'9'] => Some(u32::from(a - b'0') * 10 + u32::from(c - b'0')),
        _ => None,
    }
}

/// Parses a date `YYYY-MM-DD` (surrounding spaces ignored).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    if t.len() != 10 {
        return None;
    }
    // The form a phone sends, read digit by digit (chrono's format parser costs
    // about ten times more); anything else, and an impossible date, is left to
    // chrono, so the dates accepted and refused are exactly chrono's.
    let b = t.as_bytes();
    if let (Some(y1), Some(y2), b'-', Some(m), b'-', Some(d)) =
        (two_digits(&b[0..2]), two_digits(&b[2..4]), b[4], two_digits(&b[5..7]), b[7], two_digits(&b[8..10]))
        && let Some(date) = i32::try_from(y1 * 100 + y2).ok().and_then(|y| NaiveDate::from_ymd_opt(y, m, d))
    {
        return Some(date);
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()
}

/// Parses a clock time `HH:MM` or `HH:MM:SS` (24-hour, surrounding spaces ignored).
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let t = text.trim();
    let b = t.as_bytes();
    // `HH:MM[:SS]` read digit by digit; anything else (and a leap second) is left
    // to chrono, which decides what is accepted.
    let fast = match b.len() {
        5 if b[2] == b':' => two_digits(&b[0..2]).zip(two_digits(&b[3..5])).map(|(h, m)| (h, m, 0)),
        8 if b[2] == b':' && b[5] == b':' => match (two_digits(&b[0..2]), two_digits(&b[3..5]), two_digits(&b[6..8])) {
            (Some(h), Some(m), Some(s)) => Some((h, m, s)),
            _ => None,
        },
        _ => None,
    };
    if let Some(time) = fast.and_then(|(h, m, s)| NaiveTime::from_hms_opt(h, m, s)) {
        return Some(time);
    }
    match t.len() {
        5 => NaiveTime::parse_from_str(t, "%H:%M").ok(),
        8 => NaiveTime::parse_from_str(t, "%H:%M:%S").ok(),
        _ => None,
    }
}

/// Parses a local date and time `YYYY-MM-DDTHH:MM[:SS]` (a space may replace the `T`).
pub fn parse_date_time(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim();
    let (d, tm) = t.split_once(['T', ' '])?;
    Some(parse_date(d)?.and_time(parse_time(tm)?))
}

/// Parses the local time a person did something (`"2026-10-05T16:30"`): field `at`.
pub fn parse_at(text: &str) -> Result<NaiveDateTime, DeviceError> {
    let mut r = InputReader::default();
    let at = r.date_time("at", text);
    r.finish()?;
    at.ok_or_else(|| DeviceError::Format { what: "input", message: "unreadable time".into() })
}

/// An activity as a person types it on the phone: every value is text and is
/// read by [`ActivityDraft::parse`], which names every field it cannot read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityDraft {
    /// The day, `YYYY-MM-DD`.
    pub date: String,
    /// Start time, `HH:MM`.
    pub start: String,
    /// End time, `HH:MM`.
    pub end: String,
    /// The task id (uraian tugas).
    pub task: String,
    /// Units of output, a whole number.
    pub quantity: String,
    /// What was done.
    pub description: String,
    /// A reference to evidence, if any (blank = none).
    #[serde(default)]
    pub evidence: Option<String>,
}

impl ActivityDraft {
    /// Reads the draft as `employee`'s activity. Every unreadable field is reported
    /// ([`DeviceError::Input`]); the rules themselves (quantity at least 1, working
    /// hours, ...) are checked by the ledger afterwards.
    pub fn parse(&self, employee: &Nip) -> Result<ActivityInput, DeviceError> {
        let mut r = InputReader::default();
        let date = r.date("date", &self.date);
        let start = r.time("start", &self.start);
        let end = r.time("end", &self.end);
        let task = r.required("task", &self.task);
        let quantity = r.whole("quantity", &self.quantity);
        r.finish()?;
        match (date, start, end, task, quantity) {
            (Some(date), Some(start), Some(end), Some(task), Some(quantity)) => Ok(ActivityInput {
                employee: employee.clone(),
                date,
                start,
                end,
                task: TaskId::from(task),
                quantity,
                description: self.description.trim().into(),
                evidence: self.evidence.as_deref().map(str::trim).filter(|e| !e.is_empty()).map(Into::into),
            }),
            _ => Err(DeviceError::Format { what: "input", message: "unreadable activity".into() }),
        }
    }
}

/// Reads an approved quantity typed by a supervisor: blank = as claimed.
pub fn parse_approved_quantity(text: Option<&str>) -> Result<Option<i64>, DeviceError> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => {
            let mut r = InputReader::default();
            let q = r.whole("quantity", t);
            r.finish()?;
            Ok(q)
        }
    }
}

/// Reads a NIP typed by a person (field `field`).
pub fn parse_nip(field: &str, text: &str) -> Result<Nip, DeviceError> {
    Nip::parse(text.trim()).map_err(|e| {
        DeviceError::Input(ValidationErrors {
            problems: vec![Problem::new("input", "", field, "invalid_nip", e.to_string())],
        })
    })
}

// ---------------------------------------------------------------------------
// The bundle
// ---------------------------------------------------------------------------

/// The TOML text of one policy layer, with the name it is reported under.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyText {
    /// The source name (shown in provenance), e.g. `"policy/city.toml"`.
    pub source: String,
    /// The layer's TOML text.
    pub toml: String,
}

/// Everything one person's phone needs for one month. See the [module docs](self).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceBundle {
    /// Format version; see [`BUNDLE_VERSION`].
    pub bundle_version: u32,
    /// The month.
    pub month: YearMonth,
    /// Whose phone.
    pub owner: Nip,
    /// Employees whose work the owner may verify on some day of the month
    /// (empty for an employee who supervises nobody).
    #[serde(default)]
    pub subordinates: Vec<Nip>,
    /// The records of the people involved, in the dataset format.
    pub dataset: Dataset,
    /// Policy layers applied, in order, over the national baseline.
    #[serde(default)]
    pub policy: Vec<PolicyText>,
    /// The month's ledger state restricted to the owner and the subordinates.
    /// Entries keep their **server** ids (so `entries[i].id` is not `i + 1`), and
    /// transitions name entries by server id.
    pub state: LedgerState,
    /// How many journal events the server's ledger held when the bundle was made.
    #[serde(default)]
    pub server_events: u64,
    /// The session id the server issued with this bundle: the prefix of every
    /// change's idempotency key. Unique per phone session; set with
    /// [`DeviceBundle::issued`].
    #[serde(default)]
    pub session: String,
}

fn overlaps_month(a: &Assignment, month: YearMonth) -> bool {
    a.from <= month.last_day() && a.until.is_none_or(|u| u >= month.first_day())
}

/// The policy: the national baseline and the layers, in order.
pub fn policy_from_texts(layers: &[PolicyText]) -> Result<Policy, PolicyError> {
    let mut policy = Policy::try_national()?;
    for l in layers {
        policy = policy.with_layer(PolicyLayer::from_toml(&l.source, &l.toml)?);
    }
    Ok(policy)
}

impl DeviceBundle {
    /// Builds `nip`'s bundle for `month` from the whole city, the policy layers in
    /// force (TOML texts, applied over the national baseline, named `layer-1`,
    /// `layer-2`, ...) and the server's ledger of that month.
    pub fn for_employee(
        city: &City,
        policy_layers: &[String],
        ledger: &Ledger,
        nip: &Nip,
        month: YearMonth,
    ) -> Result<DeviceBundle, DeviceError> {
        let texts: Vec<PolicyText> = policy_layers
            .iter()
            .enumerate()
            .map(|(i, t)| PolicyText { source: format!("layer-{}", i + 1), toml: t.clone() })
            .collect();
        DeviceBundle::for_employee_with_sources(city, &texts, ledger, nip, month)
    }

    /// [`DeviceBundle::for_employee`] with named policy layers.
    pub fn for_employee_with_sources(
        city: &City,
        policy: &[PolicyText],
        ledger: &Ledger,
        nip: &Nip,
        month: YearMonth,
    ) -> Result<DeviceBundle, DeviceError> {
        if ledger.month() != month {
            return Err(DeviceError::Mismatch {
                what: "ledger",
                expected: month.to_string(),
                found: ledger.month().to_string(),
            });
        }
        // The layers must load: a phone must never receive a policy it cannot read.
        policy_from_texts(policy)?;
        let org = &city.organisation;
        if org.employee(nip).is_none() {
            return Err(DeviceError::UnknownEmployee { nip: nip.clone(), place: "city" });
        }
        let subordinates = subordinates_of(city, nip, month);
        let mut people: Vec<Nip> = Vec::with_capacity(subordinates.len() + 1);
        people.push(nip.clone());
        people.extend(subordinates.iter().cloned());
        let people_set: HashSet<&Nip> = people.iter().collect();

        // Leaf positions: those the people hold or act in during the month, and
        // those whose verification is delegated to the owner.
        let mut leaf: BTreeSet<usize> = BTreeSet::new();
        let mut own: BTreeSet<usize> = BTreeSet::new();
        for p in &people {
            for a in org.assignments_of(p).filter(|a| overlaps_month(a, month)) {
                if let Some(i) = org.position_index(&a.position) {
                    leaf.insert(i);
                    own.insert(i);
                }
            }
        }
        let delegations: Vec<&activity::Delegation> = city
            .delegations
            .iter()
            .filter(|d| d.from <= month.last_day() && d.until.is_none_or(|u| u >= month.first_day()))
            .collect();
        for d in &delegations {
            if &d.delegate == nip
                && let Some(i) = org.position_index(&d.position)
            {
                leaf.insert(i);
            }
        }
        // Their supervision chains, up to the top.
        let mut chain: BTreeSet<usize> = BTreeSet::new();
        for &i in &leaf {
            let mut cur = org.positions().get(i).and_then(|p| p.supervisor.clone());
            while let Some(s) = cur {
                let Some(si) = org.position_index(&s) else { break };
                if !chain.insert(si) {
                    break;
                }
                cur = org.positions().get(si).and_then(|p| p.supervisor.clone());
            }
        }
        let included: BTreeSet<usize> = leaf.union(&chain).copied().collect();
        let positions: Vec<crate::org::Position> = included
            .iter()
            .filter_map(|&i| org.positions().get(i))
            .map(|p| {
                let mut p = p.clone();
                if !own.contains(&org.position_index(&p.id).unwrap_or(usize::MAX)) {
                    // Positions up the chain: who sits there matters, their tasks do not.
                    p.analysis = Default::default();
                }
                p
            })
            .collect();
        let position_ids: HashSet<&PositionId> = positions.iter().map(|p| &p.id).collect();

        // Units of those positions and their parents.
        let mut unit_set: HashSet<UnitId> = HashSet::new();
        for p in &positions {
            let mut cur = Some(p.unit.clone());
            while let Some(u) = cur {
                if !unit_set.insert(u.clone()) {
                    break;
                }
                cur = org.unit(&u).and_then(|x| x.parent.clone());
            }
        }
        let units: Vec<crate::org::WorkUnit> =
            org.units().iter().filter(|u| unit_set.contains(&u.id)).cloned().collect();

        // Assignments: all of the people's in the month, and everyone's to the
        // positions up the chains.
        let chain_ids: HashSet<&PositionId> =
            chain.iter().filter_map(|&i| org.positions().get(i)).map(|p| &p.id).collect();
        let assignments: Vec<Assignment> = org
            .assignments()
            .iter()
            .filter(|a| overlaps_month(a, month))
            .filter(|a| people_set.contains(&a.employee) || chain_ids.contains(&a.position))
            .cloned()
            .collect();
        let delegations: Vec<activity::Delegation> =
            delegations.into_iter().filter(|d| position_ids.contains(&d.position)).cloned().collect();
        let mut employee_set: HashSet<&Nip> = people_set.clone();
        employee_set.extend(assignments.iter().map(|a| &a.employee));
        employee_set.extend(delegations.iter().map(|d| &d.delegate));
        let employees: Vec<crate::org::Employee> =
            org.employees().iter().filter(|e| employee_set.contains(&e.nip)).cloned().collect();

        let officials: Vec<crate::access::Official> = city
            .authorities
            .officials()
            .iter()
            .filter_map(|o| {
                let verifies: Vec<PositionId> =
                    o.verifies.iter().filter(|p| position_ids.contains(p)).cloned().collect();
                (!verifies.is_empty()).then(|| crate::access::Official { verifies, ..o.clone() })
            })
            .collect();
        let dataset = Dataset {
            schema_version: SCHEMA_VERSION,
            government: city.government.clone(),
            calendar: city.calendar.clone(),
            units,
            positions,
            employees,
            assignments,
            delegations,
            target_shares: city.target_shares.iter().filter(|t| people_set.contains(&t.employee)).cloned().collect(),
            salaries: city.salaries.iter().filter(|s| &s.employee == nip).cloned().collect(),
            sanctions: city.sanctions.iter().filter(|s| &s.employee == nip).cloned().collect(),
            // The phone needs no tax data.
            tax_statuses: Vec::new(),
            officials,
            officers: city
                .authorities
                .officers()
                .iter()
                .filter(|o| &o.employee == nip)
                .filter(|o| o.unit.as_ref().is_none_or(|u| unit_set.contains(u)))
                .cloned()
                .collect(),
            clock_devices: Vec::new(),
            // The sites of the bundle's units, so that the phone judges a clock-in
            // as the server will; the rosters of the bundle's people in the month.
            work_sites: city
                .work_sites
                .iter()
                .filter(|s| s.units.iter().any(|u| unit_set.contains(u)))
                .map(|s| crate::geo::WorkSite {
                    units: s.units.iter().filter(|u| unit_set.contains(u)).cloned().collect(),
                    ..s.clone()
                })
                .collect(),
            shift_patterns: city.rosters.patterns().to_vec(),
            rosters: city
                .rosters
                .entries()
                .iter()
                .filter(|r| people_set.contains(&r.employee) && month.range().contains(r.date))
                .cloned()
                .collect(),
            // A phone pays nobody: bank accounts never leave the server.
            bank_accounts: Vec::new(),
        };
        let state = restrict_state(ledger.state(), &people_set);
        Ok(DeviceBundle {
            bundle_version: BUNDLE_VERSION,
            month,
            owner: nip.clone(),
            subordinates,
            dataset,
            policy: policy.to_vec(),
            state,
            server_events: ledger.head().seq,
            session: String::new(),
        })
    }

    /// The bundle with the session id the server issues for it (1 to 100 letters,
    /// digits, `-` or `_`; unique per phone session: a random token or a counter).
    pub fn issued(mut self, session: impl Into<String>) -> DeviceBundle {
        self.session = session.into();
        self
    }

    /// Reads a bundle. The dataset part is read like a dataset file, so every
    /// problem in it is reported, not just the first.
    pub fn from_json(json: &str) -> Result<DeviceBundle, DeviceError> {
        let mut root: Value =
            serde_json::from_str(json).map_err(|e| DeviceError::Format { what: "bundle", message: e.to_string() })?;
        let obj = root
            .as_object_mut()
            .ok_or_else(|| DeviceError::Format { what: "bundle", message: "expected a JSON object".into() })?;
        match obj.get("bundle_version").and_then(Value::as_u64) {
            Some(v) if v == u64::from(BUNDLE_VERSION) => {}
            Some(v) => {
                return Err(DeviceError::Format {
                    what: "bundle",
                    message: format!("bundle version {v} is not supported (expected {BUNDLE_VERSION})"),
                });
            }
            None => {
                return Err(DeviceError::Format { what: "bundle", message: "`bundle_version` is missing".into() });
            }
        }
        let dataset_value = obj
            .remove("dataset")
            .ok_or_else(|| DeviceError::Format { what: "bundle", message: "`dataset` is missing".into() })?;
        let dataset = Dataset::from_json(&dataset_value.to_string())?;
        obj.insert("dataset".into(), Value::Null);
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Frame {
            #[allow(dead_code)]
            bundle_version: u32,
            month: YearMonth,
            owner: Nip,
            #[serde(default)]
            subordinates: Vec<Nip>,
            #[allow(dead_code)]
            dataset: Option<()>,
            #[serde(default)]
            policy: Vec<PolicyText>,
            state: LedgerState,
            #[serde(default)]
            server_events: u64,
            #[serde(default)]
            session: String,
        }
        let f: Frame =
            serde_json::from_value(root).map_err(|e| DeviceError::Format { what: "bundle", message: e.to_string() })?;
        Ok(DeviceBundle {
            bundle_version: BUNDLE_VERSION,
            month: f.month,
            owner: f.owner,
            subordinates: f.subordinates,
            dataset,
            policy: f.policy,
            state: f.state,
            server_events: f.server_events,
            session: f.session,
        })
    }

    /// Writes the bundle as JSON.
    pub fn to_json(&self) -> String {
        // Plain data with string keys: serialisation cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Employees whose work `nip` may verify on some day of `month`: below the
/// positions `nip` holds or acts in, or whose verification is delegated to them.
fn subordinates_of(city: &City, nip: &Nip, month: YearMonth) -> Vec<Nip> {
    let org = &city.organisation;
    let mut roots: Vec<PositionId> =
        org.assignments_of(nip).filter(|a| overlaps_month(a, month)).map(|a| a.position.clone()).collect();
    roots.extend(
        city.delegations
            .iter()
            .filter(|d| {
                &d.delegate == nip && d.from <= month.last_day() && d.until.is_none_or(|u| u >= month.first_day())
            })
            .map(|d| d.position.clone()),
    );
    // Every position below the roots (escalation passes only over vacant
    // positions, so whoever the owner verifies sits somewhere below).
    let mut seen: HashSet<PositionId> = HashSet::new();
    let mut stack = roots;
    let mut below: Vec<PositionId> = Vec::new();
    while let Some(p) = stack.pop() {
        for s in org.subordinate_positions(&p) {
            if seen.insert(s.id.clone()) {
                below.push(s.id.clone());
                stack.push(s.id.clone());
            }
        }
    }
    let mut candidates: BTreeSet<&Nip> = BTreeSet::new();
    for p in &below {
        for a in org.assignments_to(p) {
            if a.kind == crate::org::AssignmentKind::Definitive && overlaps_month(a, month) && &a.employee != nip {
                candidates.insert(&a.employee);
            }
        }
    }
    let mut out: Vec<Nip> = candidates
        .into_iter()
        .filter(|e| {
            let me = ActorId::Employee(nip.clone());
            let access = city.access();
            month.range().days().any(|d| activity::authorise_verifier(&access, &me, e, d, d).is_ok())
        })
        .cloned()
        .collect();
    // Dataset order, for stable bundles.
    out.sort_by_key(|e| org.employee_index(e).unwrap_or(usize::MAX));
    out
}

/// The ledger state restricted to `people` (entries keep their ids).
fn restrict_state(state: &LedgerState, people: &HashSet<&Nip>) -> LedgerState {
    let entries: Entries = (0..state.entries.len())
        .filter(|&i| state.entries.employee(i).is_some_and(|n| people.contains(n)))
        .filter_map(|i| state.entries.get(i))
        .collect();
    let ids: HashSet<ActivityId> = (0..entries.len()).filter_map(|i| entries.id(i)).collect();
    let roll_calls = state
        .roll_calls
        .iter()
        .filter_map(|l| {
            let attended: Vec<Nip> = l.attended.iter().filter(|n| people.contains(n)).cloned().collect();
            let absent: Vec<Nip> = l.absent.iter().filter(|n| people.contains(n)).cloned().collect();
            (!attended.is_empty() || !absent.is_empty()).then_some(crate::ledger::RollCallList {
                date: l.date,
                kind: l.kind,
                attended,
                absent,
            })
        })
        .collect();
    LedgerState {
        entries,
        transitions: state.transitions.iter().filter(|t| ids.contains(&t.entry)).collect(),
        extra_tasks: state.extra_tasks.iter().filter(|t| people.contains(&t.employee)).cloned().collect(),
        clocks: state.clocks.iter().filter(|c| people.contains(&c.employee)).collect(),
        absences: state.absences.iter().filter(|a| people.contains(&a.employee)).cloned().collect(),
        roll_calls,
        ceremonies: state.ceremonies.clone(),
        closed: state.closed.clone(),
        reopened: state.reopened.clone(),
        // Keys and record times are the server's business, not the phone's.
        keys: Default::default(),
        recorded_until: None,
    }
}

// ---------------------------------------------------------------------------
// Changes, uploads and answers
// ---------------------------------------------------------------------------

/// Names an activity entry across phone and server: the server's id, or, for an
/// entry logged on the phone and not yet acknowledged, the number of the change
/// that logged it. JSON: `{"server": 12}` or `{"pending": 3}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryRef {
    /// An entry the server knows, by its id.
    Server(ActivityId),
    /// An entry logged offline by the change with this number.
    Pending(u64),
}

impl fmt::Display for EntryRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EntryRef::Server(id) => write!(f, "#{id}"),
            EntryRef::Pending(n) => write!(f, "(offline change {n})"),
        }
    }
}

/// What a phone may ask of the ledger.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// Log an activity.
    LogActivity {
        /// The entry.
        input: ActivityInput,
    },
    /// Edit a submitted or returned entry.
    EditActivity {
        /// The entry.
        entry: EntryRef,
        /// Its new content.
        input: ActivityInput,
    },
    /// Resubmit a returned entry.
    Resubmit {
        /// The entry.
        entry: EntryRef,
    },
    /// Decide on a subordinate's entry.
    Verify {
        /// The entry.
        entry: EntryRef,
        /// Approve (possibly a lower quantity), reject or return.
        decision: Decision,
    },
    /// Report one's own absence (permit, sickness, leave, official travel),
    /// checked by the attendance rules (evidence, overlap, permit cap).
    ReportAbsence {
        /// The absence; its employee must be the actor.
        absence: Absence,
    },
    /// Clock in or out from the phone (a [`ClockSource::Mobile`] scan with the
    /// device's position, or [`ClockSource::MobileWithoutPosition`]). Judged by the
    /// geofence rules ([`crate::geo`]) on the phone and again on the server; a
    /// verdict sent by the phone is ignored.
    Clock {
        /// The scan; its employee must be the actor.
        event: ClockEvent,
    },
}

impl Change {
    fn entry(&self) -> Option<EntryRef> {
        match self {
            Change::LogActivity { .. } | Change::ReportAbsence { .. } | Change::Clock { .. } => None,
            Change::EditActivity { entry, .. } | Change::Resubmit { entry } | Change::Verify { entry, .. } => {
                Some(*entry)
            }
        }
    }

    fn with_entry(&self, r: EntryRef) -> Change {
        let mut c = self.clone();
        match &mut c {
            Change::LogActivity { .. } | Change::ReportAbsence { .. } | Change::Clock { .. } => {}
            Change::EditActivity { entry, .. } | Change::Resubmit { entry } | Change::Verify { entry, .. } => {
                *entry = r
            }
        }
        c
    }

    /// The ledger command, with the entry resolved to `id`. A phone reports only
    /// its actor's own absences.
    fn command(&self, actor: &Nip, id: Option<ActivityId>) -> Result<Command, DeviceError> {
        let id = || id.ok_or(DeviceError::Format { what: "change", message: "the change names no entry".into() });
        Ok(match self {
            Change::LogActivity { input } => Command::LogActivity { input: input.clone() },
            Change::EditActivity { input, .. } => Command::EditActivity { id: id()?, input: input.clone() },
            Change::Resubmit { .. } => Command::Resubmit { id: id()? },
            Change::Verify { decision, .. } => Command::Verify { id: id()?, decision: decision.clone() },
            Change::ReportAbsence { absence } => {
                if &absence.employee != actor {
                    return Err(LedgerError::Conflict {
                        record: "absence",
                        id: absence.employee.to_string(),
                        field: "employee",
                        message: format!("{actor} may not report another employee's absence"),
                    }
                    .into());
                }
                Command::RecordAbsence { absence: absence.clone() }
            }
            Change::Clock { event } => {
                if &event.employee != actor {
                    return Err(LedgerError::Conflict {
                        record: "clock",
                        id: event.employee.to_string(),
                        field: "employee",
                        message: format!("{actor} may not clock in for another employee"),
                    }
                    .into());
                }
                if !matches!(event.source, ClockSource::Mobile { .. } | ClockSource::MobileWithoutPosition) {
                    return Err(LedgerError::Conflict {
                        record: "clock",
                        id: event.employee.to_string(),
                        field: "source",
                        message: "a phone records phone scans only (source `mobile`)".into(),
                    }
                    .into());
                }
                // The ledger computes the verdict; the phone's is dropped.
                Command::RecordClock { event: ClockEvent { geofence: None, ..event.clone() } }
            }
        })
    }
}

/// A change made on the phone, waiting to be uploaded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingChange {
    /// The change's number on this phone (1, 2, 3, ...; never reused in a session).
    pub id: u64,
    /// Its idempotency key, `<session>:<id>`: the server applies a key once.
    pub key: String,
    /// Who made it (the session's owner).
    pub actor: Nip,
    /// When the person made it (local time of the region, the phone's clock).
    pub at: NaiveDateTime,
    /// What was asked.
    #[serde(flatten)]
    pub change: Change,
}

/// What the server did with one uploaded change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ChangeOutcome {
    /// Executed; the entry concerned (new for a log) and the journal event.
    Accepted {
        /// The entry's server id.
        entry: ActivityId,
        /// The journal event's sequence number.
        event: u64,
    },
    /// Refused: nothing changed on the server.
    Rejected {
        /// The core's error code (e.g. `overlapping_entry`).
        code: String,
        /// The area of the error.
        area: ErrorArea,
        /// The error, for people.
        message: String,
    },
}

/// The outcome of one change, by the change's number.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeResult {
    /// The change's number on the phone.
    pub change: u64,
    /// What happened.
    #[serde(flatten)]
    pub outcome: ChangeOutcome,
}

/// The server's answer to an upload: one result per change, in order, and
/// optionally a fresh bundle made **after** the changes were applied.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServerAnswer {
    /// The month.
    pub month: YearMonth,
    /// One result per change uploaded, in upload order.
    pub results: Vec<ChangeResult>,
    /// The authoritative state, when the server sends it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bundle: Option<DeviceBundle>,
}

impl ServerAnswer {
    /// Writes the answer as JSON.
    pub fn to_json(&self) -> String {
        // Plain data with string keys: serialisation cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads an answer (a bundle inside is read like [`DeviceBundle::from_json`]).
    pub fn from_json(json: &str) -> Result<ServerAnswer, DeviceError> {
        let mut root: Value =
            serde_json::from_str(json).map_err(|e| DeviceError::Format { what: "answer", message: e.to_string() })?;
        let bundle = match root.as_object_mut().and_then(|o| o.remove("bundle")) {
            None | Some(Value::Null) => None,
            Some(b) => Some(DeviceBundle::from_json(&b.to_string())?),
        };
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Frame {
            month: YearMonth,
            results: Vec<ChangeResult>,
        }
        let f: Frame =
            serde_json::from_value(root).map_err(|e| DeviceError::Format { what: "answer", message: e.to_string() })?;
        Ok(ServerAnswer { month: f.month, results: f.results, bundle })
    }
}

/// Reads an upload (the JSON of [`DeviceSession::pending_changes_json`]).
pub fn changes_from_json(json: &str) -> Result<Vec<PendingChange>, DeviceError> {
    serde_json::from_str(json).map_err(|e| DeviceError::Format { what: "upload", message: e.to_string() })
}

/// What the receiving side knows about an upload, from its own records: never
/// taken from the phone.
#[derive(Clone, Copy, Debug)]
pub struct UploadSource<'a> {
    /// The session id the server issued with the bundle the phone works from.
    pub session: &'a str,
    /// The employee the server authenticated as the session's owner.
    pub owner: &'a Nip,
    /// The server's clock when the upload arrived.
    pub received_at: NaiveDateTime,
}

/// The answers a server has given, by idempotency key, so that a retried
/// upload gets the same answer without anything being executed twice. The
/// server keeps it with the month (it serialises as JSON).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Receipts {
    /// The answer to each key.
    pub answers: std::collections::BTreeMap<String, Receipt>,
}

/// One answer kept: the outcome and a digest of the change it answered, so that
/// a key used again for another change (a phone restored from an old backup
/// numbers its changes again) is refused instead of answered with another
/// change's outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    /// What the server did.
    pub outcome: ChangeOutcome,
    /// SHA-256 (hex) of the change's actor, time and content as JSON.
    pub digest: String,
}

impl Receipts {
    /// The stored outcome of a key, if it was answered.
    pub fn outcome(&self, key: &str) -> Option<&ChangeOutcome> {
        self.answers.get(key).map(|r| &r.outcome)
    }
}

/// The digest a receipt keeps of a change.
fn change_digest(c: &PendingChange) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(serde_json::to_vec(&(&c.actor, &c.at, &c.change)).unwrap_or_default());
    crate::ledger::Hash(h.finalize().into()).to_hex()
}

fn refused(code: &str, area: ErrorArea, message: String) -> ChangeOutcome {
    ChangeOutcome::Rejected { code: code.to_string(), area, message }
}

/// The server side of synchronisation: executes uploaded changes in order on
/// the month's ledger and answers each.
///
/// For each change, in order:
/// 1. a key already answered for the same change (in `receipts`, or applied by an
///    event of the ledger) gets its stored answer, and nothing is executed; a key
///    answered for another change is refused (`key_reused`);
/// 2. a change whose actor is not the session's owner is refused
///    (`not_session_owner`), and so is a key outside the session
///    (`foreign_session`) or a number used twice in the upload (`duplicate_change`);
/// 3. otherwise the command is executed by its actor at the phone's time,
///    received at `source.received_at`, with the change's key (the ledger checks
///    how far back the claim may lie). An entry named by [`EntryRef::Pending`] is
///    the one logged by that change of the same session; if that change was
///    refused, so is this one (`unknown_entry`).
///
/// Every answer is stored in `receipts`. A refused change leaves the ledger as it
/// was, and the next is tried.
pub fn apply_uploads(
    ledger: &mut Ledger,
    ctx: &MonthContext<'_>,
    source: &UploadSource<'_>,
    receipts: &mut Receipts,
    changes: &[PendingChange],
) -> ServerAnswer {
    let mut seen: HashSet<u64> = HashSet::new();
    let mut results = Vec::with_capacity(changes.len());
    let prefix = format!("{}:", source.session);
    // The entry each change of this session logged, from earlier answers too.
    let logged_by = |receipts: &Receipts, n: u64| -> Option<ActivityId> {
        match receipts.outcome(&format!("{prefix}{n}")) {
            Some(ChangeOutcome::Accepted { entry, .. }) => Some(*entry),
            _ => None,
        }
    };
    for c in changes {
        // Who and which session come first: nothing is stored for a change that
        // does not belong to the authenticated session.
        if &c.actor != source.owner {
            let o = refused(
                "not_session_owner",
                ErrorArea::NotAuthorised,
                format!("change {} names {} as its actor, but the session belongs to {}", c.id, c.actor, source.owner),
            );
            results.push(ChangeResult { change: c.id, outcome: o });
            continue;
        }
        if c.key != format!("{prefix}{}", c.id) {
            let o = refused(
                "foreign_session",
                ErrorArea::NotAuthorised,
                format!("change {} has key `{}`, not `{prefix}{}` of this session", c.id, c.key, c.id),
            );
            results.push(ChangeResult { change: c.id, outcome: o });
            continue;
        }
        let digest = change_digest(c);
        let stored = match receipts.answers.get(&c.key) {
            Some(r) if r.digest == digest => Some(r.outcome.clone()),
            Some(_) => {
                let o = refused(
                    "key_reused",
                    ErrorArea::Ledger,
                    format!(
                        "key `{}` was already used for another change: the phone numbered its changes again (restored from an old copy?)",
                        c.key
                    ),
                );
                results.push(ChangeResult { change: c.id, outcome: o });
                continue;
            }
            // Receipts lost: the ledger still knows the keys it applied.
            None => ledger
                .applied(&c.key)
                .map(|a| ChangeOutcome::Accepted { entry: a.entry.unwrap_or(ActivityId(0)), event: a.seq }),
        };
        let outcome = if let Some(o) = stored {
            o
        } else if !seen.insert(c.id) {
            refused("duplicate_change", ErrorArea::Ledger, format!("change {} appears twice in the upload", c.id))
        } else {
            let id = match c.change.entry() {
                None => Ok(None),
                Some(EntryRef::Server(id)) => Ok(Some(id)),
                Some(r @ EntryRef::Pending(n)) => logged_by(receipts, n).map(Some).ok_or(r),
            };
            let outcome = match id {
                Err(r) => {
                    refused("unknown_entry", ErrorArea::NotFound, format!("entry {r} was not logged on the server"))
                }
                Ok(id) => match c.change.command(&c.actor, id) {
                    Err(e) => refused(e.code(), e.area(), e.to_string()),
                    Ok(command) => {
                        let request = Request::new(c.actor.clone(), c.at, command)
                            .received(source.received_at)
                            .with_key(c.key.clone());
                        match ledger.execute(ctx, request) {
                            Ok(event) => {
                                let seq = event.seq;
                                // An absence concerns no entry: id 0.
                                let entry = match (&event.kind, id) {
                                    (EventKind::ActivityLogged(e), _) => e.id,
                                    (_, Some(id)) => id,
                                    (_, None) => ActivityId(0),
                                };
                                ChangeOutcome::Accepted { entry, event: seq }
                            }
                            Err(e) => refused(e.code(), ledger_area(&e), e.to_string()),
                        }
                    }
                },
            };
            receipts.answers.insert(c.key.clone(), Receipt { outcome: outcome.clone(), digest });
            outcome
        };
        results.push(ChangeResult { change: c.id, outcome });
    }
    ServerAnswer { month: ledger.month(), results, bundle: None }
}

// ---------------------------------------------------------------------------
// The session on the phone
// ---------------------------------------------------------------------------

/// Who dropped a change from the outbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectedBy {
    /// The server refused it.
    Server,
    /// It no longer passed on the phone after rebasing on the server's state.
    Rebase,
}

/// A change dropped from the outbox, with why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RejectedChange {
    /// The change.
    pub change: PendingChange,
    /// Who refused it.
    pub by: RejectedBy,
    /// The core's error code.
    pub code: String,
    /// The area of the error.
    pub area: ErrorArea,
    /// The error, for people.
    pub message: String,
}

/// A change the server accepted, kept until a fresh bundle includes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Acknowledged {
    change: PendingChange,
    entry: ActivityId,
}

/// An entry as the phone shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EntryView {
    /// How to name the entry in later commands.
    pub entry: EntryRef,
    /// The entry as the ledger keeps it (its `id` is the phone's local id).
    pub data: ActivityEntry,
    /// The task's name, when the bundle knows it.
    pub task_name: Option<String>,
    /// The task's output unit, when the bundle knows it.
    pub output_unit: Option<String>,
    /// The employee's name.
    pub employee_name: String,
    /// What the entry is worth before the daily cap ([`activity::credited_minutes`]).
    pub credited_minutes: Minutes,
    /// The reason of the last rejection or return, if any.
    pub reason: Option<String>,
    /// True while a change to this entry waits in the outbox.
    pub pending_sync: bool,
}

/// What a person is shown beside an entry: its task's name and output unit,
/// the employee's name, what it is worth before the daily cap, and the reason
/// of its last return or rejection. The phone and the server show the same.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntryDetails {
    /// The task's name, when known (a position task or an extra task).
    pub task_name: Option<String>,
    /// The task's output unit, when known.
    pub output_unit: Option<String>,
    /// The employee's name.
    pub employee_name: String,
    /// What the entry is worth before the daily cap ([`activity::credited_minutes`]).
    pub credited_minutes: Minutes,
    /// The reason of the last rejection or return, while the entry is rejected or returned.
    pub reason: Option<String>,
}

/// The details shown beside an entry of `state` (see [`EntryDetails`]).
pub fn entry_details(city: &City, state: &LedgerState, ctx: &MonthContext<'_>, e: &ActivityEntry) -> EntryDetails {
    let org = &city.organisation;
    let task = org
        .definitive_position(&e.employee, e.date)
        .and_then(|p| p.analysis.tasks.iter().find(|t| t.id == e.task))
        .map(|t| (t.name.clone(), t.output_unit.clone()))
        .or_else(|| {
            state
                .extra_tasks
                .iter()
                .find(|t| t.id == e.task && t.employee == e.employee)
                .map(|t| (t.name.clone(), t.output_unit.clone()))
        });
    let rules = ctx.rules(e.date).unwrap_or_else(|| ctx.month_end_rules());
    let reason = if matches!(e.status, VerificationStatus::Returned | VerificationStatus::Rejected) {
        state.transitions.iter().rev().find(|t| t.entry == e.id && t.reason.is_some()).and_then(|t| t.reason.clone())
    } else {
        None
    };
    EntryDetails {
        task_name: task.as_ref().map(|t| t.0.clone()),
        output_unit: task.map(|t| t.1),
        employee_name: org.employee(&e.employee).map(|x| x.name.clone()).unwrap_or_default(),
        credited_minutes: activity::credited_minutes(e, &rules.activity),
        reason,
    }
}

/// The tasks `owner` may log on `day`: those of their own position that day, then
/// the extra tasks registered for them covering it.
pub fn task_choices(city: &City, state: &LedgerState, owner: &Nip, day: NaiveDate) -> Vec<TaskChoice> {
    let mut out: Vec<TaskChoice> = city
        .organisation
        .definitive_position(owner, day)
        .map(|p| {
            p.analysis
                .tasks
                .iter()
                .map(|t| TaskChoice {
                    id: t.id.clone(),
                    name: t.name.clone(),
                    output_unit: t.output_unit.clone(),
                    standard_minutes: t.standard_minutes,
                    extra: false,
                })
                .collect()
        })
        .unwrap_or_default();
    out.extend(
        state
            .extra_tasks
            .iter()
            .filter(|t| &t.employee == owner && t.from <= day && t.until.is_none_or(|u| day <= u))
            .map(|t| TaskChoice {
                id: t.id.clone(),
                name: t.name.clone(),
                output_unit: t.output_unit.clone(),
                standard_minutes: t.standard_minutes,
                extra: true,
            }),
    );
    out
}

/// A task the owner may log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TaskChoice {
    /// The task id.
    pub id: TaskId,
    /// Its name.
    pub name: String,
    /// The unit its output is counted in.
    pub output_unit: String,
    /// Standard minutes per unit.
    pub standard_minutes: Minutes,
    /// True for an extra task (tugas tambahan) registered by the supervisor.
    pub extra: bool,
}

/// The person's month: performance and discipline, from the core's recap.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DeviceRecap {
    /// The recap of the employee.
    pub recap: EmployeeRecap,
    /// The day the recap is computed for.
    pub as_of: NaiveDate,
    /// The verification deadline of the month.
    pub deadline: NaiveDate,
    /// Whether the deadline has passed at `as_of`.
    pub deadline_passed: bool,
}

impl DeviceRecap {
    /// Attendance facts.
    pub fn attendance(&self) -> &MonthAttendance {
        &self.recap.attendance
    }

    /// Roll-call facts.
    pub fn roll_call(&self) -> &MonthRollCall {
        &self.recap.roll_call
    }
}

/// The allowance the owner would be paid for the month if it ended with the
/// state shown now: the core's recap converted by [`crate::payroll::allowance_input`]
/// and computed by the allowance engine's amounts path
/// ([`crate::allowance::slip_amounts`]): the slip's totals and every line's rule and
/// amount, the numbers of the full slip. The explained slip, when the owner opens
/// it, is [`DeviceSession::explain_projection`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProjectedAllowance {
    /// The day the projection is computed for.
    pub as_of: NaiveDate,
    /// Whether the verification deadline has passed at `as_of` (before it, entries
    /// still awaiting a decision may yet count).
    pub deadline_passed: bool,
    /// The allowance input derived from the recap and the bundle's records.
    pub input: AllowanceInput,
    /// The slip's totals: ceiling, gross, tax, contribution and net.
    pub amounts: crate::allowance::SlipAmounts,
    /// Each line's rule and amount, in slip order.
    pub lines: Vec<crate::allowance::LineAmount>,
}

/// Computes an allowance slip from an allowance input's JSON and policy layers
/// (TOML texts over the national baseline): the engine behind the allowance
/// golden cases, for apps that show a slip the server sent or simulate one.
pub fn slip_from_json(input_json: &str, policy_layers: &[PolicyText]) -> Result<Slip, DeviceError> {
    let input: AllowanceInput = serde_json::from_str(input_json)
        .map_err(|e| DeviceError::Format { what: "allowance input", message: e.to_string() })?;
    let policy = policy_from_texts(policy_layers)?;
    Ok(crate::allowance::compute_slip(&input, &policy)?)
}

/// The saved form of a session.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedSession {
    session_version: u32,
    session: String,
    bundle: Value,
    #[serde(default)]
    acknowledged: Vec<Acknowledged>,
    #[serde(default)]
    outbox: Vec<PendingChange>,
    next_change: u64,
    #[serde(default)]
    rejected: Vec<RejectedChange>,
    /// SHA-256 of the saved session without its seal, as JSON (hex).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    seal: Option<String>,
}

impl SavedSession {
    fn seal(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(b"kinerja-device-session-v2");
        h.update(serde_json::to_vec(self).unwrap_or_default());
        crate::ledger::Hash(h.finalize().into()).to_hex()
    }
}

/// One person's month on their phone. See the [module docs](self).
#[derive(Debug)]
pub struct DeviceSession {
    bundle: DeviceBundle,
    city: City,
    policy: Policy,
    /// Server-accepted changes not yet covered by a bundle.
    acknowledged: Vec<Acknowledged>,
    /// The authoritative state: the bundle's, plus the acknowledged changes.
    base: Ledger,
    /// Server id of each base entry (local id `i + 1`).
    base_ids: Vec<ActivityId>,
    /// True when an acknowledged change could not be applied to the base: the
    /// phone needs a fresh bundle.
    stale: bool,
    /// The state shown: base + outbox.
    working: Ledger,
    /// Reference of each working entry (local id `i + 1`).
    refs: Refs,
    outbox: Vec<PendingChange>,
    next_change: u64,
    rejected: Vec<RejectedChange>,
    /// The session id (from the first bundle; kept across fresh bundles).
    session: String,
    /// The month's rules computed for `city` and `policy` (the calendar, the
    /// policy of each day, the organisation's tables), kept between commands so
    /// that a command costs the command, not the month's context again. Set
    /// whenever the city or the policy is (at opening and on every rebuild).
    rules: std::sync::Mutex<Option<MonthRules>>,
    /// The allowance parameters of the month under `policy` (`None` when the
    /// policy cannot give them: the slip then reports why).
    allowance: Option<crate::policy::Bound<crate::allowance::AllowanceParams>>,
}

fn month_ctx<'a>(city: &'a City, policy: &Policy, month: YearMonth) -> Result<MonthContext<'a>, DeviceError> {
    Ok(MonthContext::new(city, policy, month)?)
}

/// Loads the bundle's state into a ledger with local ids; returns it and the
/// server id of each entry.
fn load_base(ctx: &MonthContext<'_>, bundle: &DeviceBundle) -> Result<(Ledger, Vec<ActivityId>), DeviceError> {
    let mut state = bundle.state.clone();
    let mut ids = Vec::with_capacity(state.entries.len());
    let mut local: HashMap<ActivityId, ActivityId> = HashMap::with_capacity(state.entries.len());
    for i in 0..state.entries.len() {
        let Some(server) = state.entries.id(i) else { continue };
        let l = ActivityId(i as u64 + 1);
        if local.insert(server, l).is_some() {
            return Err(DeviceError::Format { what: "bundle", message: format!("entry {server} appears twice") });
        }
        ids.push(server);
    }
    state.entries.rename_ids(|server| local.get(&server).copied().unwrap_or(server));
    state.transitions.try_rename_entries(|entry| {
        local.get(&entry).copied().ok_or_else(|| DeviceError::Format {
            what: "bundle",
            message: format!("a transition names entry {entry}, which is not in the bundle"),
        })
    })?;
    Ok((Ledger::from_view(ctx, state)?, ids))
}

/// Room kept in a session's working state for the commands to come, so that
/// the first commands after opening do not copy the month's entries to larger
/// vectors (a bundle's state is loaded, and cloned, to its exact size).
const COMMAND_ROOM: usize = 32;

/// The reference of each entry of a ledger (local id `i + 1`), with the position
/// of each reference: a command finds the entry it names without a scan of the
/// month's entries (a supervisor's bundle holds the whole team's).
#[derive(Clone, Debug, Default)]
struct Refs {
    list: Vec<EntryRef>,
    /// The first position of each reference in `list`.
    at: rustc_hash::FxHashMap<EntryRef, usize>,
}

impl Refs {
    /// The references of entries with these server ids, with room for `room` more.
    fn of_server(ids: &[ActivityId], room: usize) -> Refs {
        let mut refs = Refs {
            list: Vec::with_capacity(ids.len() + room),
            at: rustc_hash::FxHashMap::with_capacity_and_hasher(ids.len() + room, Default::default()),
        };
        for &id in ids {
            refs.push(EntryRef::Server(id));
        }
        refs
    }

    fn push(&mut self, r: EntryRef) {
        self.at.entry(r).or_insert(self.list.len());
        self.list.push(r);
    }

    /// The position of the first entry named `r`.
    fn position(&self, r: EntryRef) -> Option<usize> {
        self.at.get(&r).copied()
    }

    fn get(&self, i: usize) -> Option<EntryRef> {
        self.list.get(i).copied()
    }
}

/// Executes a change on a ledger whose entries are named by `refs` (local id
/// `i + 1`); returns the new entry's local id for a log.
fn execute_local(
    ledger: &mut Ledger,
    ctx: &MonthContext<'_>,
    refs: &Refs,
    c: &PendingChange,
) -> Result<Option<ActivityId>, DeviceError> {
    let id = match c.change.entry() {
        None => None,
        Some(r) => {
            let i = refs.position(r).ok_or(DeviceError::UnknownEntry { entry: r })?;
            Some(ActivityId(i as u64 + 1))
        }
    };
    let command = c.change.command(&c.actor, id)?;
    let event = ledger.execute(ctx, Request::new(c.actor.clone(), c.at, command))?;
    Ok(match &event.kind {
        EventKind::ActivityLogged(e) => Some(e.id),
        _ => None,
    })
}

impl DeviceSession {
    /// Opens a session from a bundle's JSON.
    pub fn open(bundle_json: &str) -> Result<DeviceSession, DeviceError> {
        DeviceSession::from_bundle(DeviceBundle::from_json(bundle_json)?)
    }

    /// Opens a session from a bundle.
    pub fn from_bundle(bundle: DeviceBundle) -> Result<DeviceSession, DeviceError> {
        let session = bundle.session.clone();
        let ok = !session.is_empty()
            && session.len() <= 100
            && session.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !ok {
            return Err(DeviceError::Format {
                what: "bundle",
                message: format!(
                    "the bundle's session id `{session}` is missing or not 1-100 letters, digits, `-` or `_`: the server issues one with each bundle"
                ),
            });
        }
        let (city, policy) = DeviceSession::check_bundle(&bundle)?;
        let ctx = month_ctx(&city, &policy, bundle.month)?;
        let (base, base_ids) = load_base(&ctx, &bundle)?;
        let rules = ctx.into_rules();
        let allowance = crate::allowance::AllowanceParams::from_policy(&policy, bundle.month).ok();
        let mut working = base.clone();
        working.reserve(COMMAND_ROOM);
        let refs = Refs::of_server(&base_ids, COMMAND_ROOM);
        Ok(DeviceSession {
            bundle,
            city,
            policy,
            acknowledged: Vec::new(),
            base,
            base_ids,
            stale: false,
            working,
            refs,
            outbox: Vec::with_capacity(COMMAND_ROOM),
            next_change: 1,
            rejected: Vec::new(),
            session,
            rules: std::sync::Mutex::new(Some(rules)),
            allowance,
        })
    }

    fn check_bundle(bundle: &DeviceBundle) -> Result<(City, Policy), DeviceError> {
        if bundle.dataset.schema_version != SCHEMA_VERSION {
            return Err(DeviceError::Format {
                what: "bundle",
                message: format!("dataset schema version {} is not supported", bundle.dataset.schema_version),
            });
        }
        let city = bundle.dataset.clone().into_city()?;
        for n in std::iter::once(&bundle.owner).chain(&bundle.subordinates) {
            if city.organisation.employee(n).is_none() {
                return Err(DeviceError::UnknownEmployee { nip: n.clone(), place: "bundle" });
            }
        }
        let policy = policy_from_texts(&bundle.policy)?;
        Ok((city, policy))
    }

    /// Saves the session (bundle, acknowledged changes, outbox, rejections) as JSON.
    pub fn to_json(&self) -> String {
        let mut saved = SavedSession {
            session_version: SESSION_VERSION,
            session: self.session.clone(),
            bundle: serde_json::to_value(&self.bundle).unwrap_or(Value::Null),
            acknowledged: self.acknowledged.clone(),
            outbox: self.outbox.clone(),
            next_change: self.next_change,
            rejected: self.rejected.clone(),
            seal: None,
        };
        saved.seal = Some(saved.seal());
        // Plain data with string keys: serialisation cannot fail.
        serde_json::to_string(&saved).unwrap_or_default()
    }

    /// Restores a saved session: the seal is checked (an altered session is
    /// refused), the bundle is opened again, the acknowledged changes applied to it
    /// and the outbox replayed (a change that no longer passes is dropped and
    /// reported in [`DeviceSession::rejected_changes`]).
    pub fn restore(json: &str) -> Result<DeviceSession, DeviceError> {
        let mut saved: SavedSession =
            serde_json::from_str(json).map_err(|e| DeviceError::Format { what: "session", message: e.to_string() })?;
        if saved.session_version != SESSION_VERSION {
            return Err(DeviceError::Format {
                what: "session",
                message: format!("session version {} is not supported", saved.session_version),
            });
        }
        let seal = saved.seal.take();
        if seal.as_deref() != Some(saved.seal().as_str()) {
            return Err(DeviceError::Format {
                what: "session",
                message: "the saved session was altered (its seal does not match its content)".into(),
            });
        }
        let bundle = DeviceBundle::from_json(&saved.bundle.to_string())?;
        let mut s = DeviceSession::from_bundle(bundle.issued(saved.session.clone()))?;
        s.acknowledged = saved.acknowledged;
        s.outbox = saved.outbox;
        s.next_change = saved.next_change.max(s.outbox.iter().map(|c| c.id + 1).max().unwrap_or(1));
        s.rejected = saved.rejected;
        s.rebuild()?;
        Ok(s)
    }

    /// Whose phone.
    pub fn owner(&self) -> &Nip {
        &self.bundle.owner
    }

    /// The month.
    pub fn month(&self) -> YearMonth {
        self.bundle.month
    }

    /// The bundle the session stands on.
    pub fn bundle(&self) -> &DeviceBundle {
        &self.bundle
    }

    /// The subordinates whose work the owner may verify (empty for an employee).
    pub fn subordinates(&self) -> &[Nip] {
        &self.bundle.subordinates
    }

    /// True when the owner may verify someone's work this month.
    pub fn is_supervisor(&self) -> bool {
        !self.bundle.subordinates.is_empty()
    }

    /// True when an acknowledged change could not be applied on the phone: the
    /// phone's state may differ from the server's until a fresh bundle arrives.
    pub fn needs_fresh_bundle(&self) -> bool {
        self.stale
    }

    /// The validated mini-city of the bundle.
    pub fn city(&self) -> &City {
        &self.city
    }

    /// The policy (national baseline + the bundle's layers).
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The month's context (rules per day, calendar, deadline).
    pub fn context(&self) -> Result<MonthContext<'_>, DeviceError> {
        month_ctx(&self.city, &self.policy, self.bundle.month)
    }

    /// Runs `f` with the month's context, lent from the session's kept rules
    /// (computed again only when they are not there).
    fn with_context<T>(&self, f: impl FnOnce(&MonthContext<'_>) -> Result<T, DeviceError>) -> Result<T, DeviceError> {
        let cached = self.rules.lock().ok().and_then(|mut g| g.take());
        let ctx = match cached {
            Some(rules) => MonthContext::with_rules(&self.city, rules),
            None => self.context()?,
        };
        let out = f(&ctx);
        self.set_rules(ctx.into_rules());
        out
    }

    fn set_rules(&self, rules: MonthRules) {
        if let Ok(mut g) = self.rules.lock() {
            *g = Some(rules);
        }
    }

    /// The state shown on the phone (authoritative base + outbox), local ids.
    pub fn ledger(&self) -> &Ledger {
        &self.working
    }

    /// The changes waiting to be uploaded, in order.
    pub fn pending_changes(&self) -> &[PendingChange] {
        &self.outbox
    }

    /// The outbox as JSON, for upload (read by [`changes_from_json`]).
    pub fn pending_changes_json(&self) -> String {
        // Plain data with string keys: serialisation cannot fail.
        serde_json::to_string(&self.outbox).unwrap_or_default()
    }

    /// Changes dropped from the outbox (by the server or on rebase), oldest first.
    pub fn rejected_changes(&self) -> &[RejectedChange] {
        &self.rejected
    }

    /// Forgets the dropped changes (after the app has shown them).
    pub fn clear_rejected_changes(&mut self) {
        self.rejected.clear();
    }

    /// The authoritative state in server ids: the bundle's plus the changes the
    /// server accepted since (equal to what a fresh bundle would hold, when no one
    /// else changed the people's records meanwhile).
    pub fn authoritative_state(&self) -> LedgerState {
        to_server_ids(self.base.state(), &self.base_ids)
    }

    /// The state shown in server ids, when every entry has one (`None` while an
    /// entry logged offline waits for the server).
    pub fn state_in_server_ids(&self) -> Option<LedgerState> {
        let ids: Option<Vec<ActivityId>> = self
            .refs
            .list
            .iter()
            .map(|r| match r {
                EntryRef::Server(id) => Some(*id),
                EntryRef::Pending(_) => None,
            })
            .collect();
        Some(to_server_ids(self.working.state(), &ids?))
    }

    // --- commands ----------------------------------------------------------

    /// Executes a change by the owner on the phone; on success it joins the outbox.
    fn submit(&mut self, at: NaiveDateTime, change: Change) -> Result<EntryRef, DeviceError> {
        let c = PendingChange {
            id: self.next_change,
            key: format!("{}:{}", self.session, self.next_change),
            actor: self.bundle.owner.clone(),
            at,
            change,
        };
        let cached = self.rules.get_mut().ok().and_then(Option::take);
        let ctx = match cached {
            Some(rules) => MonthContext::with_rules(&self.city, rules),
            None => month_ctx(&self.city, &self.policy, self.bundle.month)?,
        };
        let logged = execute_local(&mut self.working, &ctx, &self.refs, &c);
        if let Ok(slot) = self.rules.get_mut() {
            *slot = Some(ctx.into_rules());
        }
        let logged = logged?;
        let r = match (logged, c.change.entry()) {
            (Some(_), _) => {
                let r = EntryRef::Pending(c.id);
                self.refs.push(r);
                r
            }
            (None, Some(r)) => r,
            (None, None) => EntryRef::Pending(c.id),
        };
        self.next_change = self.next_change.saturating_add(1);
        self.outbox.push(c);
        Ok(r)
    }

    /// Logs an activity typed by the owner at `now` (`YYYY-MM-DDTHH:MM`), checked
    /// offline with the core's rules. Returns how to name the new entry.
    pub fn log_activity(&mut self, draft: &ActivityDraft, now: &str) -> Result<EntryRef, DeviceError> {
        let (input, at) = self.read_draft(draft, now)?;
        self.submit(at, Change::LogActivity { input })
    }

    /// Edits one of the owner's submitted or returned entries.
    pub fn edit_activity(&mut self, entry: EntryRef, draft: &ActivityDraft, now: &str) -> Result<(), DeviceError> {
        let (input, at) = self.read_draft(draft, now)?;
        self.submit(at, Change::EditActivity { entry, input }).map(|_| ())
    }

    /// Resubmits one of the owner's returned entries.
    pub fn resubmit(&mut self, entry: EntryRef, now: &str) -> Result<(), DeviceError> {
        let at = parse_at(now)?;
        self.submit(at, Change::Resubmit { entry }).map(|_| ())
    }

    /// Approves a subordinate's entry, as claimed (`quantity` blank or `None`) or
    /// for a lower quantity.
    pub fn approve(&mut self, entry: EntryRef, quantity: Option<&str>, now: &str) -> Result<(), DeviceError> {
        let (quantity, at) = (parse_approved_quantity(quantity), parse_at(now));
        let (quantity, at) = merge_input(quantity, at)?;
        self.submit(at, Change::Verify { entry, decision: Decision::Approve { quantity } }).map(|_| ())
    }

    /// Rejects a subordinate's entry for good, with a reason.
    pub fn reject(&mut self, entry: EntryRef, reason: &str, now: &str) -> Result<(), DeviceError> {
        let at = parse_at(now)?;
        self.submit(at, Change::Verify { entry, decision: Decision::Reject { reason: reason.to_string() } }).map(|_| ())
    }

    /// Returns a subordinate's entry for revision, with a reason.
    pub fn return_entry(&mut self, entry: EntryRef, reason: &str, now: &str) -> Result<(), DeviceError> {
        let at = parse_at(now)?;
        self.submit(at, Change::Verify { entry, decision: Decision::Return { reason: reason.to_string() } }).map(|_| ())
    }

    /// Reports the owner's absence: `kind` is an absence code (`permit`, `sick`,
    /// `sick_with_note`, `leave.annual`, `official_travel`, ... see
    /// [`AbsenceKind::ALL_CODES`]), `start` and `end` dates (`YYYY-MM-DD`, both
    /// inclusive), with the evidence reference the policy may require.
    pub fn report_absence(
        &mut self,
        kind: &str,
        start: &str,
        end: &str,
        evidence: Option<&str>,
        note: Option<&str>,
        now: &str,
    ) -> Result<(), DeviceError> {
        let mut r = InputReader::default();
        let code = kind.trim();
        let kind = AbsenceKind::from_code(code);
        if kind.is_none() {
            r.problem("kind", "invalid_absence_kind", format!("`{code}` is not an absence code a phone may report"));
        }
        let (start, end) = (r.date("start", start), r.date("end", end));
        let at = r.date_time("at", now);
        r.finish()?;
        let (Some(kind), Some(start), Some(end), Some(at)) = (kind, start, end, at) else {
            return Err(DeviceError::Format { what: "input", message: "unreadable absence".into() });
        };
        let text = |t: Option<&str>| t.map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
        let absence = Absence {
            employee: self.bundle.owner.clone(),
            range: DateRange { start, end },
            kind,
            evidence: text(evidence),
            note: text(note),
        };
        self.submit(at, Change::ReportAbsence { absence }).map(|_| ())
    }

    /// Clocks the owner in or out from the phone at `now` (`YYYY-MM-DDTHH:MM[:SS]`),
    /// with the device's position (`latitude`, `longitude` as decimal degrees, e.g.
    /// `"5.5163"`, and the reported accuracy in metres) or without one (`None`).
    /// Checked offline with the core's rules, the geofence included: under a
    /// `refuse` rule an outside clock-in fails here with `clock_outside_site`, as it
    /// would on the server.
    pub fn clock(
        &mut self,
        direction: ClockDirection,
        position: Option<(&str, &str, Option<u32>)>,
        now: &str,
    ) -> Result<(), DeviceError> {
        let mut r = InputReader::default();
        let at = r.date_time("at", now);
        let source = match position {
            None => Some(ClockSource::MobileWithoutPosition),
            Some((lat, lon, accuracy_m)) => {
                let mut coordinate =
                    |field: &'static str, text: &str| match text.trim().parse::<rust_decimal::Decimal>() {
                        Ok(d) => Some(d),
                        Err(_) => {
                            r.problem(field, "invalid_value", format!("`{text}` is not a decimal coordinate"));
                            None
                        }
                    };
                let (latitude, longitude) = (coordinate("latitude", lat), coordinate("longitude", lon));
                match (latitude, longitude) {
                    (Some(latitude), Some(longitude)) => Some(ClockSource::Mobile { latitude, longitude, accuracy_m }),
                    _ => None,
                }
            }
        };
        r.finish()?;
        let (Some(at), Some(source)) = (at, source) else {
            return Err(DeviceError::Format { what: "input", message: "unreadable clock-in".into() });
        };
        let event = ClockEvent { employee: self.bundle.owner.clone(), at, direction, source, geofence: None };
        self.submit(at, Change::Clock { event }).map(|_| ())
    }

    fn read_draft(&self, draft: &ActivityDraft, now: &str) -> Result<(ActivityInput, NaiveDateTime), DeviceError> {
        merge_input(draft.parse(&self.bundle.owner), parse_at(now))
    }

    // --- synchronisation ---------------------------------------------------

    /// Applies the server's answer (JSON of [`ServerAnswer`]); see
    /// [`DeviceSession::apply_answer`].
    pub fn apply_server_answer(&mut self, answer_json: &str) -> Result<(), DeviceError> {
        let answer = ServerAnswer::from_json(answer_json)?;
        self.apply_answer(answer)
    }

    /// Rebases on the server's answer: a fresh bundle replaces the base (else the
    /// accepted changes are applied to it), rejected changes leave the outbox for
    /// [`DeviceSession::rejected_changes`], and the changes not answered are
    /// replayed on the new base. Results for changes no longer in the outbox are
    /// ignored, so an answer applied twice changes nothing the second time.
    ///
    /// On error (a malformed answer, a bundle for someone else) nothing changes.
    pub fn apply_answer(&mut self, answer: ServerAnswer) -> Result<(), DeviceError> {
        if answer.month != self.bundle.month {
            return Err(DeviceError::Mismatch {
                what: "answer",
                expected: self.bundle.month.to_string(),
                found: answer.month.to_string(),
            });
        }
        let fresh = match answer.bundle {
            Some(b) => {
                if b.owner != self.bundle.owner || b.month != self.bundle.month {
                    return Err(DeviceError::Mismatch {
                        what: "bundle",
                        expected: format!("{} {}", self.bundle.owner, self.bundle.month),
                        found: format!("{} {}", b.owner, b.month),
                    });
                }
                let (city, policy) = DeviceSession::check_bundle(&b)?;
                let ctx = month_ctx(&city, &policy, b.month)?;
                let (base, ids) = load_base(&ctx, &b)?;
                drop(ctx);
                Some((b, city, policy, base, ids))
            }
            None => None,
        };
        // Sort the results into acknowledged and rejected changes.
        let mut accepted: HashMap<u64, ActivityId> = HashMap::new();
        let mut outbox = std::mem::take(&mut self.outbox);
        for r in &answer.results {
            let Some(pos) = outbox.iter().position(|c| c.id == r.change) else { continue };
            let change = outbox.remove(pos);
            match &r.outcome {
                ChangeOutcome::Accepted { entry, .. } => {
                    accepted.insert(change.id, *entry);
                    self.acknowledged.push(Acknowledged { change, entry: *entry });
                }
                ChangeOutcome::Rejected { code, area, message } => self.rejected.push(RejectedChange {
                    change,
                    by: RejectedBy::Server,
                    code: code.clone(),
                    area: *area,
                    message: message.clone(),
                }),
            }
        }
        // Entries logged offline and now accepted are named by their server id.
        let resolve = |c: &mut PendingChange| {
            if let Some(EntryRef::Pending(n)) = c.change.entry()
                && let Some(id) = accepted.get(&n)
            {
                c.change = c.change.with_entry(EntryRef::Server(*id));
            }
        };
        outbox.iter_mut().for_each(resolve);
        self.acknowledged.iter_mut().for_each(|a| resolve(&mut a.change));
        self.outbox = outbox;
        if let Some((b, city, policy, base, ids)) = fresh {
            self.bundle = b;
            self.city = city;
            self.policy = policy;
            self.base = base;
            self.base_ids = ids;
            // The fresh bundle includes every change the server accepted.
            self.acknowledged.clear();
            self.stale = false;
        }
        self.rebuild()
    }

    /// Rebuilds the base (bundle + acknowledged) and the working state (base +
    /// outbox replayed; changes that no longer pass are dropped as rejected).
    fn rebuild(&mut self) -> Result<(), DeviceError> {
        // The city or the policy may have changed: the kept rules go first, so that
        // an error below leaves none of the old ones (they are computed again).
        if let Ok(slot) = self.rules.get_mut() {
            *slot = None;
        }
        self.allowance = crate::allowance::AllowanceParams::from_policy(&self.policy, self.bundle.month).ok();
        let ctx = month_ctx(&self.city, &self.policy, self.bundle.month)?;
        let (mut base, mut ids) = load_base(&ctx, &self.bundle)?;
        let mut stale = false;
        let mut refs = Refs::of_server(&ids, self.acknowledged.len() + self.outbox.len() + COMMAND_ROOM);
        for a in &self.acknowledged {
            match execute_local(&mut base, &ctx, &refs, &a.change) {
                Ok(Some(_)) => {
                    ids.push(a.entry);
                    refs.push(EntryRef::Server(a.entry));
                }
                Ok(None) => {}
                Err(_) => stale = true,
            }
        }
        let mut working = base.clone();
        working.reserve(self.outbox.len() + COMMAND_ROOM);
        let mut kept = Vec::with_capacity(self.outbox.len() + COMMAND_ROOM);
        for c in std::mem::take(&mut self.outbox) {
            match execute_local(&mut working, &ctx, &refs, &c) {
                Ok(Some(_)) => {
                    refs.push(EntryRef::Pending(c.id));
                    kept.push(c);
                }
                Ok(None) => kept.push(c),
                Err(e) => self.rejected.push(RejectedChange {
                    by: RejectedBy::Rebase,
                    code: e.code().to_string(),
                    area: e.area(),
                    message: e.to_string(),
                    change: c,
                }),
            }
        }
        let rules = ctx.into_rules();
        self.set_rules(rules);
        self.outbox = kept;
        self.base = base;
        self.base_ids = ids;
        self.stale = self.stale || stale;
        self.working = working;
        self.refs = refs;
        Ok(())
    }

    // --- queries -----------------------------------------------------------

    fn view(&self, ctx: &MonthContext<'_>, local: usize, e: ActivityEntry) -> EntryView {
        let entry = self.refs.get(local).unwrap_or(EntryRef::Pending(0));
        let d = entry_details(&self.city, self.working.state(), ctx, &e);
        let pending_sync =
            self.outbox.iter().any(|c| c.change.entry() == Some(entry) || EntryRef::Pending(c.id) == entry);
        EntryView {
            entry,
            data: e,
            task_name: d.task_name,
            output_unit: d.output_unit,
            employee_name: d.employee_name,
            credited_minutes: d.credited_minutes,
            reason: d.reason,
            pending_sync,
        }
    }

    /// `employee`'s entries of the month (the owner's when `None`), in the order
    /// they were logged, rejected ones included.
    pub fn entries(&self, employee: Option<&Nip>) -> Result<Vec<EntryView>, DeviceError> {
        let who = employee.unwrap_or(&self.bundle.owner);
        self.known(who)?;
        self.with_context(|ctx| {
            let entries = &self.working.state().entries;
            Ok((0..entries.len())
                .filter(|&i| entries.employee(i) == Some(who))
                .filter_map(|i| entries.get(i).map(|e| self.view(ctx, i, e)))
                .collect())
        })
    }

    /// The owner's entries returned for revision.
    pub fn returned_entries(&self) -> Result<Vec<EntryView>, DeviceError> {
        Ok(self.entries(None)?.into_iter().filter(|v| v.data.status == VerificationStatus::Returned).collect())
    }

    /// One entry.
    pub fn entry(&self, entry: EntryRef) -> Result<EntryView, DeviceError> {
        let i = self.refs.position(entry).ok_or(DeviceError::UnknownEntry { entry })?;
        let e = self.working.state().entries.get(i).ok_or(DeviceError::UnknownEntry { entry })?;
        self.with_context(|ctx| Ok(self.view(ctx, i, e)))
    }

    /// The supervisor's queue: subordinates' entries awaiting the owner's decision,
    /// each as the owner could decide it on the entry's own date. A decision is
    /// checked at its own time when made ([`DeviceSession::verification_queue_on`]
    /// judges every entry on one decision date instead).
    pub fn verification_queue(&self) -> Result<Vec<EntryView>, DeviceError> {
        self.queue(None)
    }

    fn queue(&self, on: Option<NaiveDate>) -> Result<Vec<EntryView>, DeviceError> {
        let me = ActorId::Employee(self.bundle.owner.clone());
        self.with_context(|ctx| {
            let queue = self.working.verification_queue(ctx, &me, on);
            Ok(queue
                .into_iter()
                .map(|e| {
                    let i = usize::try_from(e.id.0).unwrap_or(0).saturating_sub(1);
                    self.view(ctx, i, e)
                })
                .collect())
        })
    }

    /// The supervisor's queue as the owner may decide it on `date` (`YYYY-MM-DD`):
    /// an acting period or a delegation that has ended by then no longer counts
    /// ([`Ledger::verification_queue`]).
    pub fn verification_queue_on(&self, date: &str) -> Result<Vec<EntryView>, DeviceError> {
        let mut r = InputReader::default();
        let day = r.date("date", date);
        r.finish()?;
        let day = day.ok_or_else(|| DeviceError::Format { what: "input", message: "unreadable date".into() })?;
        self.queue(Some(day))
    }

    /// `employee`'s month (the owner's when `None`) as of `as_of` (`YYYY-MM-DD`,
    /// normally today): target, verified minutes, achievement, entry counts,
    /// attendance and roll calls, computed by the core's monthly recap.
    pub fn recap(&self, employee: Option<&Nip>, as_of: &str) -> Result<DeviceRecap, DeviceError> {
        let mut r = InputReader::default();
        let as_of = r.date("as_of", as_of);
        r.finish()?;
        let as_of = as_of.ok_or_else(|| DeviceError::Format { what: "input", message: "unreadable date".into() })?;
        let who = employee.unwrap_or(&self.bundle.owner);
        self.known(who)?;
        // The person's line of the monthly recap, computed by the same code
        // without the bundle's other people.
        self.with_context(|ctx| {
            let me = crate::recap::employee_recap(&self.working, ctx, who, as_of).map_err(|e| match e {
                LedgerError::UnknownEmployee { .. } => {
                    DeviceError::UnknownEmployee { nip: who.clone(), place: "bundle" }
                }
                e => e.into(),
            })?;
            Ok(DeviceRecap { recap: me, as_of, deadline: ctx.deadline, deadline_passed: as_of > ctx.deadline })
        })
    }

    /// The owner's projected allowance for the month as of `as_of` (`YYYY-MM-DD`):
    /// the monthly recap of the state shown (verified minutes so far, attendance,
    /// roll calls), turned into the allowance input exactly as the server's payroll
    /// does ([`crate::payroll::allowance_input`]) and computed by the allowance
    /// engine's amounts path with the bundle's policy: the figures, no explanation
    /// ([`DeviceSession::explain_projection`] gives the slip with every line's why).
    pub fn projected_allowance(&self, as_of: &str) -> Result<ProjectedAllowance, DeviceError> {
        let recap = self.recap(None, as_of)?;
        let input = self
            .with_context(|ctx| Ok(crate::payroll::allowance_input(&self.city, ctx, &recap.recap)))?
            .ok_or_else(|| DeviceError::NoPosition { nip: self.bundle.owner.clone(), month: self.bundle.month })?;
        // The month's parameters were read from the policy when the session opened.
        let (amounts, lines) = match &self.allowance {
            Some(params) => crate::allowance::slip_amounts(&input, params)?,
            None => {
                input.validate().map_err(AllowanceError::from)?;
                let params = crate::allowance::AllowanceParams::from_policy(&self.policy, input.month)
                    .map_err(AllowanceError::from)?;
                crate::allowance::slip_amounts(&input, &params)?
            }
        };
        Ok(ProjectedAllowance { as_of: recap.as_of, deadline_passed: recap.deadline_passed, input, amounts, lines })
    }

    /// The explained slip of a projection ([`DeviceSession::projected_allowance`]):
    /// every line with its explanation, quoted policy values and hashes, computed
    /// from the projection's input with the bundle's policy, exactly as the server's
    /// payroll would (its amounts are the projection's).
    pub fn explain_projection(&self, projected: &ProjectedAllowance) -> Result<Slip, DeviceError> {
        Ok(match &self.allowance {
            Some(params) => crate::allowance::compute_slip_with(&projected.input, params)?,
            None => crate::allowance::compute_slip(&projected.input, &self.policy)?,
        })
    }

    /// The tasks the owner may log on `date` (`YYYY-MM-DD`): those of their own
    /// position that day, then the extra tasks registered for them covering it.
    pub fn tasks_on(&self, date: &str) -> Result<Vec<TaskChoice>, DeviceError> {
        let mut r = InputReader::default();
        let day = r.date("date", date);
        r.finish()?;
        let day = day.ok_or_else(|| DeviceError::Format { what: "input", message: "unreadable date".into() })?;
        Ok(task_choices(&self.city, self.working.state(), &self.bundle.owner, day))
    }

    /// The name of an employee in the bundle.
    pub fn employee_name(&self, nip: &Nip) -> Option<&str> {
        self.city.organisation.employee(nip).map(|e| e.name.as_str())
    }

    fn known(&self, who: &Nip) -> Result<(), DeviceError> {
        if who == &self.bundle.owner || self.bundle.subordinates.contains(who) {
            Ok(())
        } else {
            Err(DeviceError::UnknownEmployee { nip: who.clone(), place: "bundle" })
        }
    }
}

/// Both results, or every input problem of both.
fn merge_input<A, B>(a: Result<A, DeviceError>, b: Result<B, DeviceError>) -> Result<(A, B), DeviceError> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(DeviceError::Input(mut x)), Err(DeviceError::Input(y))) => {
            x.problems.extend(y.problems);
            Err(DeviceError::Input(x))
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

/// The state with local ids replaced by server ids (`ids[i]` for local `i + 1`).
fn to_server_ids(state: &LedgerState, ids: &[ActivityId]) -> LedgerState {
    let map = |id: ActivityId| {
        usize::try_from(id.0).ok().and_then(|i| i.checked_sub(1)).and_then(|i| ids.get(i)).copied().unwrap_or(id)
    };
    let mut s = state.clone();
    // The phone's own bookkeeping is not part of the server's view.
    s.keys.clear();
    s.recorded_until = None;
    s.entries.rename_ids(map);
    s.transitions.rename_entries(map);
    s
}
