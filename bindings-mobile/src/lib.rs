//! Kotlin and Swift bindings of the Kinerja engine for phones (uniffi, proc-macros).
//!
//! This crate only **converts types**. Every rule (what may be logged, who may
//! verify, how minutes and percentages are counted, how an offline outbox is
//! rebased on the server's answer) lives in the core, in `kinerja::device`; the
//! functions here parse nothing themselves and decide nothing.
//!
//! * [`DeviceSession`]: one person's month on their phone (employee and, when they
//!   supervise someone, supervisor), opened from the bundle the server sends.
//! * [`DemoServer`]: the server side of synchronisation over a dataset held in
//!   memory, for tests, demos and training without a server.
//! * [`compute_allowance`]: the allowance (TPP) engine on an allowance input; a
//!   session's [`DeviceSession::projected_allowance`] gives the owner's projected
//!   slip, every line explained, computed exactly as the server's payroll does.
//! * [`SocialSession`]: the social space (ads and chat) on the phone: read from a
//!   synced bundle, messages queued offline and delivered on sync exactly once
//!   (by key); [`SocialDemoServer`] is its server side in memory, for tests.
//! * [`KinerjaError`]: one error type, by area, carrying the core's stable `code`.
//!
//! Values a person types (dates, times, quantities, amounts) are taken as text and
//! read by the core, so a bad value is a typed [`KinerjaError::Parse`] naming the
//! field. Values the engine returns use custom types: [`Amount`] and [`Percent`]
//! (exact decimals: `java.math.BigDecimal` in Kotlin, `Foundation.Decimal` in
//! Swift), [`IsoDate`], [`IsoTime`] and [`IsoDateTime`] (`java.time` types in
//! Kotlin, ISO text in Swift).
//!
//! No function panics across the boundary: every entry point runs inside a guard
//! that turns a panic into [`KinerjaError::Internal`] with code `panic`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use kinerja::device::{self as core, ErrorArea};
use kinerja::i18n::{Lang, Renderer};
use kinerja::org::Nip;
use rust_decimal::Decimal;

mod social;
pub use social::{SocialAd, SocialConversation, SocialDemoServer, SocialMessage, SocialSession};

uniffi::setup_scaffolding!("kinerja");

// ---------------------------------------------------------------------------
// Custom types
// ---------------------------------------------------------------------------

/// An exact amount of rupiah, carried as decimal text (`"1250000.50"`).
pub type Amount = Decimal;

uniffi::custom_type!(Amount, String, {
    remote,
    lower: |d| d.to_string(),
    try_lift: |s| Ok(kinerja::Money::parse(&s)?.amount()),
});

/// An exact percentage (`"45.4545"` = 45.4545 %), carried as decimal text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Percent(pub Decimal);

uniffi::custom_type!(Percent, String, {
    lower: |p| p.0.to_string(),
    try_lift: |s| Ok(Percent(kinerja::Money::parse(&s)?.amount())),
});

/// A calendar date, carried as `YYYY-MM-DD`.
pub type IsoDate = NaiveDate;

uniffi::custom_type!(IsoDate, String, {
    remote,
    lower: |d| d.format("%Y-%m-%d").to_string(),
    try_lift: |s| core::parse_date(&s).ok_or_else(|| uniffi::deps::anyhow::anyhow!("`{s}` is not a date")),
});

/// A clock time, carried as `HH:MM:SS`.
pub type IsoTime = NaiveTime;

uniffi::custom_type!(IsoTime, String, {
    remote,
    lower: |t| t.format("%H:%M:%S").to_string(),
    try_lift: |s| core::parse_time(&s).ok_or_else(|| uniffi::deps::anyhow::anyhow!("`{s}` is not a time")),
});

/// A local date and time, carried as `YYYY-MM-DDTHH:MM:SS`.
pub type IsoDateTime = NaiveDateTime;

uniffi::custom_type!(IsoDateTime, String, {
    remote,
    lower: |t| t.format("%Y-%m-%dT%H:%M:%S").to_string(),
    try_lift: |s| core::parse_date_time(&s).ok_or_else(|| uniffi::deps::anyhow::anyhow!("`{s}` is not a date-time")),
});

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// One problem with one field of an input or a record.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct FieldProblem {
    /// Kind of record (`input`, `employee`, `activity`, ...).
    pub record: String,
    /// The record's id, or empty.
    pub id: String,
    /// The field at fault.
    pub field: String,
    /// A stable machine-readable code.
    pub code: String,
    /// A sentence for people.
    pub detail: String,
}

impl From<kinerja::Problem> for FieldProblem {
    fn from(p: kinerja::Problem) -> Self {
        FieldProblem { record: p.record, id: p.id, field: p.field, code: p.code, detail: p.message }
    }
}

/// Every error of the engine, by area. `code` is the core's stable code (e.g.
/// `overlapping_entry`), `detail` its sentence for people; `problems` lists the
/// fields at fault where the core knows them.
#[derive(Clone, Debug, PartialEq, uniffi::Error)]
pub enum KinerjaError {
    /// A dataset (the bundle's) has problems; every one is listed.
    Validation {
        /// The core's code.
        code: String,
        /// For people.
        detail: String,
        /// Every problem.
        problems: Vec<FieldProblem>,
    },
    /// The policy is malformed or lacks a value.
    Policy {
        /// The core's code.
        code: String,
        /// For people.
        detail: String,
    },
    /// The person may not verify this work.
    NotAuthorised {
        /// The core's code.
        code: String,
        /// For people.
        detail: String,
    },
    /// The activity breaks a logging rule (the field is in `problems`).
    ActivityRejected {
        /// The core's code.
        code: String,
        /// For people.
        detail: String,
        /// The field at fault.
        problems: Vec<FieldProblem>,
    },
    /// The verification step is not allowed.
    Verification {
        /// The core's code.
        code: String,
        /// For people.
        detail: String,
        /// The field at fault.
        problems: Vec<FieldProblem>,
    },
    /// An attendance record breaks a rule.
    Attendance {
        /// The core's code.
        code: String,
        /// For people.
        detail: String,
    },
    /// The ledger refused the command (closed month, conflict, ...).
    Ledger {
        /// The core's code.
        code: String,
        /// For people.
        detail: String,
    },
    /// A record named does not exist.
    NotFound {
        /// The core's code.
        code: String,
        /// For people.
        detail: String,
    },
    /// A typed value or a JSON document could not be read; the fields are listed.
    Parse {
        /// The core's code.
        code: String,
        /// For people.
        detail: String,
        /// Every field at fault.
        problems: Vec<FieldProblem>,
    },
    /// Not the user's fault: a broken invariant, an overflow, a panic.
    Internal {
        /// The core's code (`panic` for a caught panic).
        code: String,
        /// For people.
        detail: String,
    },
}

impl KinerjaError {
    /// The core's code.
    pub fn code(&self) -> &str {
        match self {
            KinerjaError::Validation { code, .. }
            | KinerjaError::Policy { code, .. }
            | KinerjaError::NotAuthorised { code, .. }
            | KinerjaError::ActivityRejected { code, .. }
            | KinerjaError::Verification { code, .. }
            | KinerjaError::Attendance { code, .. }
            | KinerjaError::Ledger { code, .. }
            | KinerjaError::NotFound { code, .. }
            | KinerjaError::Parse { code, .. }
            | KinerjaError::Internal { code, .. } => code,
        }
    }

    fn of(area: ErrorArea, code: String, detail: String, problems: Vec<FieldProblem>) -> Self {
        match area {
            ErrorArea::Validation => KinerjaError::Validation { code, detail, problems },
            ErrorArea::Policy => KinerjaError::Policy { code, detail },
            ErrorArea::NotAuthorised => KinerjaError::NotAuthorised { code, detail },
            ErrorArea::ActivityRejected => KinerjaError::ActivityRejected { code, detail, problems },
            ErrorArea::Verification => KinerjaError::Verification { code, detail, problems },
            ErrorArea::Attendance => KinerjaError::Attendance { code, detail },
            ErrorArea::Ledger => KinerjaError::Ledger { code, detail },
            ErrorArea::NotFound => KinerjaError::NotFound { code, detail },
            ErrorArea::Parse => KinerjaError::Parse { code, detail, problems },
            ErrorArea::Internal => KinerjaError::Internal { code, detail },
        }
    }
}

impl std::fmt::Display for KinerjaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let detail = match self {
            KinerjaError::Validation { detail, .. }
            | KinerjaError::Policy { detail, .. }
            | KinerjaError::NotAuthorised { detail, .. }
            | KinerjaError::ActivityRejected { detail, .. }
            | KinerjaError::Verification { detail, .. }
            | KinerjaError::Attendance { detail, .. }
            | KinerjaError::Ledger { detail, .. }
            | KinerjaError::NotFound { detail, .. }
            | KinerjaError::Parse { detail, .. }
            | KinerjaError::Internal { detail, .. } => detail,
        };
        write!(f, "{detail} [{}]", self.code())
    }
}

impl std::error::Error for KinerjaError {}

impl From<core::DeviceError> for KinerjaError {
    fn from(e: core::DeviceError) -> Self {
        let problems = e.problems().into_iter().map(FieldProblem::from).collect();
        KinerjaError::of(e.area(), e.code().to_string(), e.to_string(), problems)
    }
}

impl From<kinerja::ledger::LedgerError> for KinerjaError {
    fn from(e: kinerja::ledger::LedgerError) -> Self {
        core::DeviceError::from(e).into()
    }
}

/// Runs an entry point, turning a panic into [`KinerjaError::Internal`].
fn guard<T>(f: impl FnOnce() -> Result<T, KinerjaError>) -> Result<T, KinerjaError> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(KinerjaError::Internal { code: "panic".into(), detail: format!("internal error: {what}") })
        }
    }
}

fn nip(field: &str, text: &str) -> Result<Nip, KinerjaError> {
    Ok(core::parse_nip(field, text)?)
}

/// For the test programs only: panics inside a guarded entry point, which must
/// come back as [`KinerjaError::Internal`] with code `panic`, never crash the app.
///
/// Compiled only with the `test-panic` feature, which
/// `bindings-mobile/scripts/test-mobile.sh` turns on for the Kotlin and Swift
/// tests; the libraries built for apps (Android, iOS) never export it.
#[cfg(feature = "test-panic")]
#[uniffi::export]
pub fn debug_trigger_panic(message: String) -> Result<(), KinerjaError> {
    guard(|| panic!("{message}"))
}

/// The engine's version (the `kinerja` crate's).
#[uniffi::export]
pub fn engine_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Reads an amount of rupiah typed by a person (`"1250000.50"`): exponents,
/// thousands separators and blanks are refused with [`KinerjaError::Parse`].
#[uniffi::export]
pub fn parse_amount(text: String) -> Result<Amount, KinerjaError> {
    guard(|| {
        kinerja::Money::parse(&text).map(|m| m.amount()).map_err(|e| KinerjaError::Parse {
            code: "invalid_amount".into(),
            detail: e.to_string(),
            problems: vec![FieldProblem {
                record: "input".into(),
                id: String::new(),
                field: "amount".into(),
                code: "invalid_amount".into(),
                detail: e.to_string(),
            }],
        })
    })
}

// ---------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------

/// An activity as typed on the phone; every value is text, read by the core.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct ActivityDraft {
    /// The day, `YYYY-MM-DD`.
    pub date: String,
    /// Start, `HH:MM`.
    pub start: String,
    /// End, `HH:MM`.
    pub end: String,
    /// The task id.
    pub task: String,
    /// Units of output, a whole number.
    pub quantity: String,
    /// What was done.
    pub description: String,
    /// A reference to evidence, if any.
    pub evidence: Option<String>,
}

impl From<ActivityDraft> for core::ActivityDraft {
    fn from(d: ActivityDraft) -> Self {
        core::ActivityDraft {
            date: d.date,
            start: d.start,
            end: d.end,
            task: d.task,
            quantity: d.quantity,
            description: d.description,
            evidence: d.evidence,
        }
    }
}

/// Names an entry: the server's id, or the number of the offline change that
/// logged it (until the server acknowledges it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum EntryRef {
    /// Known to the server.
    Server {
        /// The server's id.
        id: u64,
    },
    /// Logged offline by this change.
    Pending {
        /// The change's number on this phone.
        change: u64,
    },
}

impl From<core::EntryRef> for EntryRef {
    fn from(r: core::EntryRef) -> Self {
        match r {
            core::EntryRef::Server(id) => EntryRef::Server { id: id.0 },
            core::EntryRef::Pending(change) => EntryRef::Pending { change },
        }
    }
}

impl From<EntryRef> for core::EntryRef {
    fn from(r: EntryRef) -> Self {
        match r {
            EntryRef::Server { id } => core::EntryRef::Server(kinerja::activity::ActivityId(id)),
            EntryRef::Pending { change } => core::EntryRef::Pending(change),
        }
    }
}

/// Where an entry stands in verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum EntryStatus {
    /// Awaiting the supervisor.
    Submitted,
    /// Approved (final).
    Approved,
    /// Rejected (final).
    Rejected,
    /// Returned for revision.
    Returned,
}

impl From<kinerja::activity::VerificationStatus> for EntryStatus {
    fn from(s: kinerja::activity::VerificationStatus) -> Self {
        use kinerja::activity::VerificationStatus as V;
        match s {
            V::Submitted => EntryStatus::Submitted,
            V::Approved => EntryStatus::Approved,
            V::Rejected => EntryStatus::Rejected,
            V::Returned => EntryStatus::Returned,
        }
    }
}

/// An activity entry as the phone shows it.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct Entry {
    /// How to name it in later calls.
    pub entry: EntryRef,
    /// Whose work (NIP).
    pub employee: String,
    /// Their name.
    pub employee_name: String,
    /// The day.
    pub date: IsoDate,
    /// Start.
    pub start: IsoTime,
    /// End.
    pub end: IsoTime,
    /// Task id.
    pub task: String,
    /// Task name, when known.
    pub task_name: Option<String>,
    /// Output unit, when known.
    pub output_unit: Option<String>,
    /// Units claimed.
    pub quantity: i64,
    /// Units approved (once approved).
    pub approved_quantity: Option<i64>,
    /// Standard minutes per unit (snapshot at logging).
    pub standard_minutes: i64,
    /// What the entry is worth before the daily cap.
    pub credited_minutes: i64,
    /// What was done.
    pub description: String,
    /// Evidence reference.
    pub evidence: Option<String>,
    /// Verification status.
    pub status: EntryStatus,
    /// When it was (last) submitted.
    pub submitted_at: IsoDateTime,
    /// How many times it was revised.
    pub revision: u32,
    /// Reason of the last rejection or return.
    pub reason: Option<String>,
    /// True while a change to it waits for upload.
    pub pending_sync: bool,
}

impl From<core::EntryView> for Entry {
    fn from(v: core::EntryView) -> Self {
        let e = v.data;
        Entry {
            entry: v.entry.into(),
            employee: e.employee.to_string(),
            employee_name: v.employee_name,
            date: e.date,
            start: e.start,
            end: e.end,
            task: e.task.to_string(),
            task_name: v.task_name,
            output_unit: v.output_unit,
            quantity: e.quantity,
            approved_quantity: e.approved_quantity,
            standard_minutes: e.standard_minutes.get(),
            credited_minutes: v.credited_minutes.get(),
            description: e.description.to_string(),
            evidence: e.evidence.as_deref().map(str::to_string),
            status: e.status.into(),
            submitted_at: e.submitted_at,
            revision: e.revision,
            reason: v.reason,
            pending_sync: v.pending_sync,
        }
    }
}

/// A task the owner may log.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct TaskInfo {
    /// Task id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Output unit.
    pub output_unit: String,
    /// Standard minutes per unit.
    pub standard_minutes: i64,
    /// An extra task (tugas tambahan).
    pub extra: bool,
}

/// An employee of the bundle.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct Person {
    /// NIP.
    pub nip: String,
    /// Name.
    pub name: String,
}

/// The month's performance of one employee, from the core's monthly recap.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct Progress {
    /// NIP.
    pub employee: String,
    /// The month, `YYYY-MM`.
    pub month: String,
    /// Computed as of this day.
    pub as_of: IsoDate,
    /// Working days in the month's calendar.
    pub calendar_working_days: u32,
    /// Working days the employee held their position.
    pub assigned_working_days: u32,
    /// Days that count for the target.
    pub target_days: u32,
    /// Minutes owed per target day.
    pub daily_minutes: i64,
    /// The month's minute target.
    pub target_minutes: i64,
    /// Verified minutes (approved work, each day capped).
    pub verified_minutes: i64,
    /// Minutes claimed in entries not rejected.
    pub claimed_minutes: i64,
    /// Verified / target x 100, capped at 100; none when the target is zero.
    pub achievement_percent: Option<Percent>,
    /// Entries awaiting a decision.
    pub pending: u32,
    /// Entries approved.
    pub approved: u32,
    /// Entries rejected.
    pub rejected: u32,
    /// Entries returned.
    pub returned: u32,
    /// The verification deadline.
    pub deadline: IsoDate,
    /// Whether it has passed at `as_of`.
    pub deadline_passed: bool,
}

impl From<&core::DeviceRecap> for Progress {
    fn from(r: &core::DeviceRecap) -> Self {
        let e = &r.recap;
        Progress {
            employee: e.employee.to_string(),
            month: e.target.month.to_string(),
            as_of: r.as_of,
            calendar_working_days: e.target.calendar_working_days,
            assigned_working_days: e.target.assigned_working_days,
            target_days: e.target.target_days,
            daily_minutes: e.target.daily_minutes.get(),
            target_minutes: e.target.target_minutes.get(),
            verified_minutes: e.verified_minutes.get(),
            claimed_minutes: e.claimed_minutes.get(),
            achievement_percent: e.achievement_percent.map(Percent),
            pending: e.entries.pending,
            approved: e.entries.approved,
            rejected: e.entries.rejected,
            returned: e.entries.returned,
            deadline: r.deadline,
            deadline_passed: r.deadline_passed,
        }
    }
}

/// Days and minutes in one lateness or early-leave band.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct BandCount {
    /// Band 1 to 4 (TL1-TL4, PSW1-PSW4).
    pub band: u8,
    /// Days in the band.
    pub days: u32,
    /// Minutes of those days.
    pub minutes: i64,
}

/// Working days of one absence kind.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct AbsenceDays {
    /// The absence code (`leave.annual`, `sick`, ...).
    pub code: String,
    /// Working days.
    pub days: u32,
}

/// Roll calls of one kind.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct RollCallCount {
    /// `morning`, `afternoon` or `ceremony`.
    pub kind: String,
    /// Held.
    pub held: u32,
    /// Attended.
    pub attended: u32,
    /// Excused.
    pub excused: u32,
    /// Missed.
    pub missed: u32,
}

/// The month's attendance and discipline of one employee, from the recap.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct AttendanceSummary {
    /// NIP.
    pub employee: String,
    /// Computed as of this day.
    pub as_of: IsoDate,
    /// Working days judged.
    pub working_days: u32,
    /// Days present.
    pub days_present: u32,
    /// Late arrivals by band (TL1 first).
    pub late: Vec<BandCount>,
    /// Early leaves by band (PSW1 first).
    pub early: Vec<BandCount>,
    /// Days with a missing check-in.
    pub missing_check_in: u32,
    /// Days with a missing check-out.
    pub missing_check_out: u32,
    /// Unexcused days (TK).
    pub unexcused_days: u32,
    /// Excused working days by absence code.
    pub absences: Vec<AbsenceDays>,
    /// Roll calls by kind.
    pub roll_calls: Vec<RollCallCount>,
}

impl From<&core::DeviceRecap> for AttendanceSummary {
    fn from(r: &core::DeviceRecap) -> Self {
        let a = r.attendance();
        let bands = |t: &[kinerja::attendance::BandTally; 4]| -> Vec<BandCount> {
            (1u8..).zip(t.iter()).map(|(band, t)| BandCount { band, days: t.count, minutes: t.minutes.get() }).collect()
        };
        let rc = r.roll_call();
        let tally = |kind: &str, t: &kinerja::rollcall::RollCallTally| RollCallCount {
            kind: kind.into(),
            held: t.held,
            attended: t.attended,
            excused: t.excused,
            missed: t.missed,
        };
        AttendanceSummary {
            employee: r.recap.employee.to_string(),
            as_of: r.as_of,
            working_days: a.working_days,
            days_present: a.days_present,
            late: bands(&a.late),
            early: bands(&a.early),
            missing_check_in: a.missing_check_in,
            missing_check_out: a.missing_check_out,
            unexcused_days: a.unexcused_days,
            absences: a.absences.iter().map(|(code, &days)| AbsenceDays { code: code.clone(), days }).collect(),
            roll_calls: vec![
                tally("morning", &rc.morning),
                tally("afternoon", &rc.afternoon),
                tally("ceremony", &rc.ceremony),
            ],
        }
    }
}

/// A change dropped from the outbox.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct RejectedChange {
    /// The change's number on this phone.
    pub change: u64,
    /// `log_activity`, `edit_activity`, `resubmit`, `verify` or `report_absence`.
    pub kind: String,
    /// The entry it concerned, if any.
    pub entry: Option<EntryRef>,
    /// `server` (the server refused it) or `rebase` (it no longer passed on the
    /// server's state).
    pub by: String,
    /// The error, as it would have been raised.
    pub error: KinerjaError,
}

impl From<&core::RejectedChange> for RejectedChange {
    fn from(r: &core::RejectedChange) -> Self {
        let (kind, entry) = match &r.change.change {
            core::Change::LogActivity { .. } => ("log_activity", None),
            core::Change::EditActivity { entry, .. } => ("edit_activity", Some(*entry)),
            core::Change::Resubmit { entry } => ("resubmit", Some(*entry)),
            core::Change::Verify { entry, .. } => ("verify", Some(*entry)),
            core::Change::ReportAbsence { .. } => ("report_absence", None),
            core::Change::Clock { .. } => ("clock", None),
        };
        RejectedChange {
            change: r.change.id,
            kind: kind.into(),
            entry: entry.map(Into::into),
            by: match r.by {
                core::RejectedBy::Server => "server".into(),
                core::RejectedBy::Rebase => "rebase".into(),
            },
            error: KinerjaError::of(r.area, r.code.clone(), r.message.clone(), Vec::new()),
        }
    }
}

/// A policy value a slip line used, with its provenance.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct SlipParameter {
    /// The policy key.
    pub key: String,
    /// The value used, as text.
    pub value: String,
    /// First day of the dated entry.
    pub from: IsoDate,
    /// The layer that supplied it.
    pub layer: String,
    /// Its legal reference.
    pub reference: String,
}

/// An input field a slip line read.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct SlipInput {
    /// The field's JSON path (`discipline.late[0]`).
    pub path: String,
    /// Its value, as text.
    pub value: String,
}

/// One line of an allowance slip: a rule, its signed amount and why.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct SlipLine {
    /// The rule id (`ceiling`, `performance.shortfall`, `deduction.late.1`, ...).
    pub rule: String,
    /// The signed amount in rupiah.
    pub amount: Amount,
    /// The arithmetic in words with the actual numbers, in the language asked for
    /// (Indonesian by default), rendered by the engine's one renderer.
    pub explanation: String,
    /// The explanation as structured data (JSON: `{"id": "slip-deduction", "args":
    /// {...}}`, a message id and typed arguments); render it in another language with
    /// [`render_message`]. Empty for a slip stored with prose.
    pub explanation_json: String,
    /// The policy values used.
    pub parameters: Vec<SlipParameter>,
    /// The input fields read.
    pub inputs: Vec<SlipInput>,
}

/// A monthly allowance (TPP) slip whose lines add up exactly to its totals.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct AllowanceSlip {
    /// NIP.
    pub employee: String,
    /// The month, `YYYY-MM`.
    pub month: String,
    /// The lines, in the order of the computation.
    pub lines: Vec<SlipLine>,
    /// Gross allowance.
    pub gross: Amount,
    /// Income tax withheld (negative or zero).
    pub tax: Amount,
    /// Health contribution withheld (negative or zero).
    pub contribution: Amount,
    /// Net allowance paid.
    pub net: Amount,
    /// The seal: SHA-256 over the amounts and the hashes of the input and the policy
    /// values (re-verification, docs/allowance.md section 4.1).
    pub content_hash: String,
}

impl From<kinerja::allowance::Slip> for AllowanceSlip {
    /// The slip with explanations in Indonesian (the default language).
    fn from(s: kinerja::allowance::Slip) -> Self {
        AllowanceSlip::new(s, Lang::Id)
    }
}

impl AllowanceSlip {
    /// The slip with explanations in `lang`.
    fn new(s: kinerja::allowance::Slip, lang: Lang) -> Self {
        let r = Renderer::builtin();
        AllowanceSlip {
            employee: s.employee.to_string(),
            month: s.month.to_string(),
            lines: s
                .lines
                .into_iter()
                .map(|l| SlipLine {
                    rule: l.rule,
                    amount: l.amount.amount(),
                    explanation: r.explanation(lang, &l.explanation),
                    explanation_json: l
                        .explanation
                        .message()
                        .and_then(|m| serde_json::to_string(m).ok())
                        .unwrap_or_default(),
                    parameters: l
                        .parameters
                        .into_iter()
                        .map(|p| SlipParameter {
                            key: p.key,
                            value: p.value,
                            from: p.from,
                            layer: p.layer,
                            reference: p.reference,
                        })
                        .collect(),
                    inputs: l.inputs.into_iter().map(|(path, value)| SlipInput { path, value }).collect(),
                })
                .collect(),
            gross: s.gross.amount(),
            tax: s.tax.amount(),
            contribution: s.contribution.amount(),
            net: s.net.amount(),
            content_hash: s.content_hash,
        }
    }
}

/// The owner's allowance if the month ended with the state shown now.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct ProjectedAllowance {
    /// Computed as of this day.
    pub as_of: IsoDate,
    /// Whether the verification deadline has passed (before it, pending entries may still count).
    pub deadline_passed: bool,
    /// The allowance input derived from the recap, as JSON (what the slip's input hash covers).
    pub input_json: String,
    /// The slip, every line explained.
    pub slip: AllowanceSlip,
}

/// `id` or `en` (or a tag such as `id-ID`); anything else is a `Parse` error.
fn lang_of(lang: &str) -> Result<Lang, KinerjaError> {
    lang.parse::<Lang>().map_err(|e| KinerjaError::Parse {
        code: "invalid_lang".into(),
        detail: e.to_string(),
        problems: Vec::new(),
    })
}

/// A structured message of the engine (`SlipLine.explanationJson`: `{"id": ...,
/// "args": {...}}`) in `lang` (`id`, the default, or `en`), rendered by the engine's
/// one renderer.
#[uniffi::export(default(lang = "id"))]
pub fn render_message(message_json: String, lang: String) -> Result<String, KinerjaError> {
    guard(|| {
        let lang = lang_of(&lang)?;
        let m: kinerja::i18n::Message = serde_json::from_str(&message_json).map_err(|e| KinerjaError::Parse {
            code: "invalid_message".into(),
            detail: format!("not a message ({{\"id\": ..., \"args\": {{...}}}}): {e}"),
            problems: Vec::new(),
        })?;
        Ok(Renderer::builtin().message(lang, &m))
    })
}

/// Rupiah for reading, the engine's one formatter: `Rp 6.500.000` (`id`, the default)
/// or `Rp 6,500,000` (`en`); `-Rp 150.000`; cents only when there are any.
#[uniffi::export(default(lang = "id"))]
pub fn format_rupiah(amount: Amount, lang: String) -> Result<String, KinerjaError> {
    Ok(kinerja::i18n::rupiah(kinerja::Money::new(amount), lang_of(&lang)?))
}

/// A date for reading: `5 Oktober 2026` (`id`, the default) or `5 October 2026` (`en`).
#[uniffi::export(default(lang = "id"))]
pub fn format_date(date: IsoDate, lang: String) -> Result<String, KinerjaError> {
    Ok(kinerja::i18n::date(date, lang_of(&lang)?))
}

/// Computes an allowance slip from an allowance input (JSON) and policy layers
/// (TOML texts over the national baseline), as the server's engine does, with each
/// line explained in `lang` (`id`, the default, or `en`).
#[uniffi::export(default(lang = "id"))]
pub fn compute_allowance(
    input_json: String,
    policy_layers: Vec<String>,
    lang: String,
) -> Result<AllowanceSlip, KinerjaError> {
    guard(|| {
        let lang = lang_of(&lang)?;
        let texts = layer_texts(&policy_layers);
        Ok(AllowanceSlip::new(core::slip_from_json(&input_json, &texts)?, lang))
    })
}

fn layer_texts(layers: &[String]) -> Vec<core::PolicyText> {
    layers
        .iter()
        .enumerate()
        .map(|(i, t)| core::PolicyText { source: format!("layer-{}", i + 1), toml: t.clone() })
        .collect()
}

// ---------------------------------------------------------------------------
// The session on the phone
// ---------------------------------------------------------------------------

/// One person's month on their phone: log and fix entries offline, verify
/// subordinates' entries, see progress and attendance, and synchronise.
#[derive(uniffi::Object)]
pub struct DeviceSession {
    inner: Mutex<core::DeviceSession>,
}

impl DeviceSession {
    fn lock(&self) -> MutexGuard<'_, core::DeviceSession> {
        // A panic inside a guarded call may have poisoned the lock; the core's
        // commands change nothing on error, so the state is still usable.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn with<T>(&self, f: impl FnOnce(&mut core::DeviceSession) -> Result<T, KinerjaError>) -> Result<T, KinerjaError> {
        guard(|| f(&mut self.lock()))
    }
}

#[uniffi::export]
impl DeviceSession {
    /// Opens the month from the bundle the server sent (JSON). The bundle's
    /// dataset is validated like any dataset; every problem is listed.
    #[uniffi::constructor]
    pub fn open(bundle_json: String) -> Result<Arc<Self>, KinerjaError> {
        guard(|| Ok(Arc::new(DeviceSession { inner: Mutex::new(core::DeviceSession::open(&bundle_json)?) })))
    }

    /// Restores a session saved with [`DeviceSession::save_json`].
    #[uniffi::constructor]
    pub fn restore(saved_json: String) -> Result<Arc<Self>, KinerjaError> {
        guard(|| Ok(Arc::new(DeviceSession { inner: Mutex::new(core::DeviceSession::restore(&saved_json)?) })))
    }

    /// The session as JSON (bundle, outbox, ...), to keep across app restarts.
    pub fn save_json(&self) -> Result<String, KinerjaError> {
        self.with(|s| Ok(s.to_json()))
    }

    /// Whose phone (NIP).
    pub fn owner(&self) -> Result<Person, KinerjaError> {
        self.with(|s| {
            let nip = s.owner().clone();
            Ok(Person { name: s.employee_name(&nip).unwrap_or_default().to_string(), nip: nip.to_string() })
        })
    }

    /// The month, `YYYY-MM`.
    pub fn month(&self) -> Result<String, KinerjaError> {
        self.with(|s| Ok(s.month().to_string()))
    }

    /// True when the owner verifies someone's work this month.
    pub fn is_supervisor(&self) -> Result<bool, KinerjaError> {
        self.with(|s| Ok(s.is_supervisor()))
    }

    /// Those whose work the owner verifies.
    pub fn subordinates(&self) -> Result<Vec<Person>, KinerjaError> {
        self.with(|s| {
            Ok(s.subordinates()
                .iter()
                .map(|n| Person { nip: n.to_string(), name: s.employee_name(n).unwrap_or_default().to_string() })
                .collect())
        })
    }

    /// The tasks the owner may log on `date` (`YYYY-MM-DD`).
    pub fn tasks(&self, date: String) -> Result<Vec<TaskInfo>, KinerjaError> {
        self.with(|s| {
            Ok(s.tasks_on(&date)?
                .into_iter()
                .map(|t| TaskInfo {
                    id: t.id.to_string(),
                    name: t.name,
                    output_unit: t.output_unit,
                    standard_minutes: t.standard_minutes.get(),
                    extra: t.extra,
                })
                .collect())
        })
    }

    /// Logs an activity at `now` (`YYYY-MM-DDTHH:MM`, local time), checked offline.
    pub fn log_activity(&self, draft: ActivityDraft, now: String) -> Result<EntryRef, KinerjaError> {
        self.with(|s| Ok(s.log_activity(&draft.into(), &now)?.into()))
    }

    /// Edits one of the owner's submitted or returned entries.
    pub fn edit_activity(&self, entry: EntryRef, draft: ActivityDraft, now: String) -> Result<(), KinerjaError> {
        self.with(|s| Ok(s.edit_activity(entry.into(), &draft.into(), &now)?))
    }

    /// Resubmits one of the owner's returned entries.
    pub fn resubmit(&self, entry: EntryRef, now: String) -> Result<(), KinerjaError> {
        self.with(|s| Ok(s.resubmit(entry.into(), &now)?))
    }

    /// Reports the owner's absence: `kind` is an absence code (`permit`, `sick`,
    /// `sick_with_note`, `leave.annual`, `official_travel`, ...), `start` and `end`
    /// dates (`YYYY-MM-DD`, inclusive), with the evidence the policy may require.
    pub fn report_absence(
        &self,
        kind: String,
        start: String,
        end: String,
        evidence: Option<String>,
        note: Option<String>,
        now: String,
    ) -> Result<(), KinerjaError> {
        self.with(|s| Ok(s.report_absence(&kind, &start, &end, evidence.as_deref(), note.as_deref(), &now)?))
    }

    /// Clocks the owner in (`check_in` true) or out from the phone at `now`
    /// (`YYYY-MM-DDTHH:MM[:SS]`), with the device's position (`latitude` and
    /// `longitude` as decimal degrees, e.g. `"5.5215"`, and the reported accuracy in
    /// metres) or without one (both `None`: location off). Judged by the city's
    /// geofence rules offline, with the server's error codes (`clock_outside_site`,
    /// `clock_without_position`), and judged again by the server on upload.
    pub fn clock(
        &self,
        check_in: bool,
        latitude: Option<String>,
        longitude: Option<String>,
        accuracy_m: Option<u32>,
        now: String,
    ) -> Result<(), KinerjaError> {
        let direction =
            if check_in { kinerja::attendance::ClockDirection::In } else { kinerja::attendance::ClockDirection::Out };
        self.with(|s| {
            // One coordinate without the other is refused by the core as unreadable.
            let position = match (&latitude, &longitude) {
                (None, None) => None,
                (lat, lon) => Some((lat.as_deref().unwrap_or(""), lon.as_deref().unwrap_or(""), accuracy_m)),
            };
            Ok(s.clock(direction, position, &now)?)
        })
    }

    /// The owner's entries of the month.
    pub fn entries(&self) -> Result<Vec<Entry>, KinerjaError> {
        self.with(|s| Ok(s.entries(None)?.into_iter().map(Entry::from).collect()))
    }

    /// A subordinate's entries of the month.
    pub fn entries_of(&self, employee: String) -> Result<Vec<Entry>, KinerjaError> {
        self.with(|s| {
            let who = nip("employee", &employee)?;
            Ok(s.entries(Some(&who))?.into_iter().map(Entry::from).collect())
        })
    }

    /// The owner's entries returned for revision.
    pub fn returned_entries(&self) -> Result<Vec<Entry>, KinerjaError> {
        self.with(|s| Ok(s.returned_entries()?.into_iter().map(Entry::from).collect()))
    }

    /// One entry.
    pub fn entry(&self, entry: EntryRef) -> Result<Entry, KinerjaError> {
        self.with(|s| Ok(s.entry(entry.into())?.into()))
    }

    /// The changes waiting for upload, as the JSON the server reads.
    pub fn pending_changes_json(&self) -> Result<String, KinerjaError> {
        self.with(|s| Ok(s.pending_changes_json()))
    }

    /// How many changes wait for upload.
    pub fn pending_change_count(&self) -> Result<u32, KinerjaError> {
        self.with(|s| Ok(u32::try_from(s.pending_changes().len()).unwrap_or(u32::MAX)))
    }

    /// Rebases on the server's answer (JSON): acknowledged changes leave the
    /// outbox, rejected ones go to [`DeviceSession::rejected_changes`].
    pub fn apply_server_answer(&self, answer_json: String) -> Result<(), KinerjaError> {
        self.with(|s| Ok(s.apply_server_answer(&answer_json)?))
    }

    /// Changes dropped from the outbox, with the error that dropped them.
    pub fn rejected_changes(&self) -> Result<Vec<RejectedChange>, KinerjaError> {
        self.with(|s| Ok(s.rejected_changes().iter().map(RejectedChange::from).collect()))
    }

    /// Forgets the dropped changes once the app has shown them.
    pub fn clear_rejected_changes(&self) -> Result<(), KinerjaError> {
        self.with(|s| {
            s.clear_rejected_changes();
            Ok(())
        })
    }

    /// True when the phone should fetch a fresh bundle.
    pub fn needs_fresh_bundle(&self) -> Result<bool, KinerjaError> {
        self.with(|s| Ok(s.needs_fresh_bundle()))
    }

    /// The state in server ids as JSON, when no offline entry waits for an id
    /// (for checks that the phone and the server agree); none otherwise.
    pub fn server_state_json(&self) -> Result<Option<String>, KinerjaError> {
        self.with(|s| Ok(s.state_in_server_ids().map(|st| serde_json::to_string(&st).unwrap_or_default())))
    }

    /// The owner's progress as of `as_of` (`YYYY-MM-DD`, normally today).
    pub fn progress(&self, as_of: String) -> Result<Progress, KinerjaError> {
        self.with(|s| Ok(Progress::from(&s.recap(None, &as_of)?)))
    }

    /// A subordinate's progress as of `as_of`.
    pub fn progress_of(&self, employee: String, as_of: String) -> Result<Progress, KinerjaError> {
        self.with(|s| {
            let who = nip("employee", &employee)?;
            Ok(Progress::from(&s.recap(Some(&who), &as_of)?))
        })
    }

    /// The owner's attendance and roll calls as of `as_of`.
    pub fn attendance(&self, as_of: String) -> Result<AttendanceSummary, KinerjaError> {
        self.with(|s| Ok(AttendanceSummary::from(&s.recap(None, &as_of)?)))
    }

    /// The owner's projected allowance (TPP) for the month as of `as_of`, computed
    /// from the state shown exactly as the server's payroll would.
    pub fn projected_allowance(&self, as_of: String) -> Result<ProjectedAllowance, KinerjaError> {
        self.with(|s| {
            // The app shows the explained slip: the figures, then every line's why.
            let p = s.projected_allowance(&as_of)?;
            let slip = s.explain_projection(&p)?;
            Ok(ProjectedAllowance {
                as_of: p.as_of,
                deadline_passed: p.deadline_passed,
                input_json: serde_json::to_string(&p.input).unwrap_or_default(),
                slip: slip.into(),
            })
        })
    }

    /// Subordinates' entries awaiting the owner's decision, each as the owner could
    /// decide it on the entry's own date (a decision is checked at its own time when
    /// made).
    pub fn verification_queue(&self) -> Result<Vec<Entry>, KinerjaError> {
        self.with(|s| Ok(s.verification_queue()?.into_iter().map(Entry::from).collect()))
    }

    /// The queue as the owner may decide it on `date` (`YYYY-MM-DD`, normally
    /// today): an acting period or a delegation that has ended by then no longer
    /// counts.
    pub fn verification_queue_on(&self, date: String) -> Result<Vec<Entry>, KinerjaError> {
        self.with(|s| Ok(s.verification_queue_on(&date)?.into_iter().map(Entry::from).collect()))
    }

    /// Approves an entry as claimed (`quantity` none or blank) or for a lower
    /// quantity typed by the supervisor.
    pub fn approve(&self, entry: EntryRef, quantity: Option<String>, now: String) -> Result<(), KinerjaError> {
        self.with(|s| Ok(s.approve(entry.into(), quantity.as_deref(), &now)?))
    }

    /// Rejects an entry for good, with a reason.
    pub fn reject(&self, entry: EntryRef, reason: String, now: String) -> Result<(), KinerjaError> {
        self.with(|s| Ok(s.reject(entry.into(), &reason, &now)?))
    }

    /// Returns an entry for revision, with a reason.
    pub fn return_entry(&self, entry: EntryRef, reason: String, now: String) -> Result<(), KinerjaError> {
        self.with(|s| Ok(s.return_entry(entry.into(), &reason, &now)?))
    }
}

// ---------------------------------------------------------------------------
// A server in a box
// ---------------------------------------------------------------------------

struct ServerState {
    city: kinerja::dataset::City,
    layers: Vec<String>,
    policy: kinerja::policy::Policy,
    ledger: kinerja::ledger::Ledger,
    /// Sessions issued with bundles, and their owners.
    sessions: std::collections::HashMap<String, Nip>,
    /// Answers given, by idempotency key.
    receipts: core::Receipts,
}

impl ServerState {
    fn issue(&mut self, who: &Nip) -> String {
        let id = format!("demo-{}", self.sessions.len() + 1);
        self.sessions.insert(id.clone(), who.clone());
        id
    }
}

/// The server side of synchronisation over a dataset held in memory: makes
/// bundles and applies uploads with the core's `apply_uploads`. For tests,
/// demos and training; a real server does the same with its own storage.
#[derive(uniffi::Object)]
pub struct DemoServer {
    inner: Mutex<ServerState>,
}

impl DemoServer {
    fn with<T>(&self, f: impl FnOnce(&mut ServerState) -> Result<T, KinerjaError>) -> Result<T, KinerjaError> {
        guard(|| f(&mut self.inner.lock().unwrap_or_else(|p| p.into_inner())))
    }
}

fn month(text: &str) -> Result<kinerja::YearMonth, KinerjaError> {
    text.parse().map_err(|e: kinerja::month::MonthParseError| KinerjaError::Parse {
        code: "invalid_month".into(),
        detail: e.to_string(),
        problems: Vec::new(),
    })
}

#[uniffi::export]
impl DemoServer {
    /// A server for `month` (`YYYY-MM`) over a city's dataset (JSON) and policy
    /// layers (TOML texts over the national baseline), with an empty ledger.
    #[uniffi::constructor]
    pub fn new(dataset_json: String, policy_layers: Vec<String>, month: String) -> Result<Arc<Self>, KinerjaError> {
        guard(|| {
            let m = self::month(&month)?;
            let city = kinerja::dataset::Dataset::load_city(&dataset_json).map_err(core::DeviceError::from)?;
            let texts = layer_texts(&policy_layers);
            let policy = core::policy_from_texts(&texts).map_err(core::DeviceError::from)?;
            // The month must resolve before any upload.
            kinerja::ledger::MonthContext::new(&city, &policy, m)?;
            Ok(Arc::new(DemoServer {
                inner: Mutex::new(ServerState {
                    city,
                    layers: policy_layers,
                    policy,
                    ledger: kinerja::ledger::Ledger::new(m),
                    sessions: Default::default(),
                    receipts: Default::default(),
                }),
            }))
        })
    }

    /// The bundle (JSON) for an employee's phone, with a new session id.
    pub fn bundle_for(&self, employee: String) -> Result<String, KinerjaError> {
        self.with(|st| {
            let who = nip("employee", &employee)?;
            let m = st.ledger.month();
            let bundle = core::DeviceBundle::for_employee(&st.city, &st.layers, &st.ledger, &who, m)?;
            let session = st.issue(&who);
            Ok(bundle.issued(session).to_json())
        })
    }

    /// Applies an upload (the JSON of `pending_changes_json`) received at
    /// `received_at` (`YYYY-MM-DDTHH:MM`, the server's clock) and returns the answer
    /// (JSON), with a fresh bundle for `bundle_for` when given. The session is the
    /// one the changes' keys name (`<session>:<n>`; a session this server did not
    /// issue is refused with `unknown_session`); its owner is the employee this
    /// server issued it to, and a change by anyone else is refused
    /// (`not_session_owner`). A retried upload gets the stored answers and changes
    /// nothing; a change claiming a time further back than the policy's window
    /// before `received_at` is refused (`claim_too_old`).
    pub fn apply_uploads(
        &self,
        changes_json: String,
        received_at: String,
        bundle_for: Option<String>,
    ) -> Result<String, KinerjaError> {
        self.with(|st| {
            let changes = core::changes_from_json(&changes_json)?;
            let received_at = core::parse_at(&received_at)?;
            let m = st.ledger.month();
            // The upload's session, and its owner as this server issued it.
            let session = match changes.first() {
                None => None,
                Some(c) => {
                    let id = c.key.split_once(':').map_or("", |(s, _)| s).to_string();
                    let owner = st.sessions.get(&id).cloned().ok_or_else(|| KinerjaError::NotAuthorised {
                        code: "unknown_session".into(),
                        detail: format!("session `{id}` was not issued by this server"),
                    })?;
                    Some((id, owner))
                }
            };
            let mut answer = match &session {
                // Nothing to apply (a phone asking for a fresh bundle).
                None => core::ServerAnswer { month: m, results: Vec::new(), bundle: None },
                Some((id, owner)) => {
                    let ctx = kinerja::ledger::MonthContext::new(&st.city, &st.policy, m)?;
                    let source = core::UploadSource { session: id, owner, received_at };
                    core::apply_uploads(&mut st.ledger, &ctx, &source, &mut st.receipts, &changes)
                }
            };
            if let Some(who) = bundle_for {
                let who = nip("bundle_for", &who)?;
                let b = core::DeviceBundle::for_employee(&st.city, &st.layers, &st.ledger, &who, m)?;
                // The uploader's session for their own bundle; anyone else gets one of their own.
                let id = match session {
                    Some((id, owner)) if owner == who => id,
                    _ => st.issue(&who),
                };
                answer.bundle = Some(b.issued(id));
            }
            Ok(answer.to_json())
        })
    }

    /// The state an employee's bundle would hold now (JSON, server ids).
    pub fn state_json_for(&self, employee: String) -> Result<String, KinerjaError> {
        self.with(|st| {
            let who = nip("employee", &employee)?;
            let m = st.ledger.month();
            let b = core::DeviceBundle::for_employee(&st.city, &st.layers, &st.ledger, &who, m)?;
            Ok(serde_json::to_string(&b.state).unwrap_or_default())
        })
    }

    /// An employee's allowance slip computed on the server from the whole city's
    /// recap as of `as_of` (what payroll would pay if the month ended then).
    pub fn allowance_of(&self, employee: String, as_of: String) -> Result<AllowanceSlip, KinerjaError> {
        self.with(|st| {
            let who = nip("employee", &employee)?;
            let day = core::parse_date(&as_of).ok_or_else(|| KinerjaError::Parse {
                code: "invalid_date".into(),
                detail: format!("`{as_of}` is not a date in the form YYYY-MM-DD"),
                problems: Vec::new(),
            })?;
            let ctx = kinerja::ledger::MonthContext::new(&st.city, &st.policy, st.ledger.month())?;
            let recap = kinerja::recap::monthly_recap(&st.ledger, &ctx, day)?;
            let me = recap.employees.iter().find(|e| e.employee == who).ok_or_else(|| KinerjaError::NotFound {
                code: "unknown_employee".into(),
                detail: format!("`{who}` is not in the city"),
            })?;
            let input = kinerja::payroll::allowance_input(&st.city, &ctx, me)
                .ok_or_else(|| core::DeviceError::NoPosition { nip: who.clone(), month: st.ledger.month() })?;
            let slip = kinerja::allowance::compute_slip(&input, &st.policy).map_err(core::DeviceError::from)?;
            Ok(slip.into())
        })
    }

    /// An employee's progress computed on the server, over the whole city.
    pub fn progress_of(&self, employee: String, as_of: String) -> Result<Progress, KinerjaError> {
        self.with(|st| {
            let who = nip("employee", &employee)?;
            let day = core::parse_date(&as_of).ok_or_else(|| KinerjaError::Parse {
                code: "invalid_date".into(),
                detail: format!("`{as_of}` is not a date in the form YYYY-MM-DD"),
                problems: Vec::new(),
            })?;
            let ctx = kinerja::ledger::MonthContext::new(&st.city, &st.policy, st.ledger.month())?;
            let recap = kinerja::recap::monthly_recap(&st.ledger, &ctx, day)?;
            let (deadline, deadline_passed) = (recap.deadline, recap.deadline_passed);
            let me = recap.employees.into_iter().find(|e| e.employee == who).ok_or_else(|| KinerjaError::NotFound {
                code: "unknown_employee".into(),
                detail: format!("`{who}` is not in the city"),
            })?;
            Ok(Progress::from(&core::DeviceRecap { recap: me, as_of: day, deadline, deadline_passed }))
        })
    }
}
