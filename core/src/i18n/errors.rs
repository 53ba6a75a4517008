//! The engine's errors and refusals as [`Message`]s ([`Localized`]).
//!
//! Each error gives the message `error-<code>` (its stable code with `_` written
//! `-`, see [`message_id`]) with the values of the record and field at fault as
//! arguments, and always `detail`: the engine's own English sentence (its `Display`),
//! which the English catalogue shows as it is. A refusal of authorisation gives
//! `not-authorised-<reason>` ([`NotAuthorised::reason`]), a problem in input data
//! `problem-<code>` (rendered by [`super::Renderer::problem`] with the record, id and
//! field), a reason not to pay `not-paid-<code>`.

use chrono::NaiveDate;

use super::{Message, message_id};
use crate::abk::AbkError;
use crate::activity::{ActivityError, VerificationError};
use crate::allowance::AllowanceError;
use crate::attendance::AttendanceError;
use crate::error::{Error, Problem, ValidationErrors};
use crate::ledger::{JournalError, LedgerError};
use crate::nip::NipError;
use crate::org::NotAuthorised;
use crate::payroll::{NotPaid, PayrollError};
use crate::policy::PolicyError;
use crate::targets::TargetError;

/// An error or refusal that can be said to people in any language: its [`Message`].
pub trait Localized {
    /// The message: id and arguments (always `detail`, the English sentence).
    fn message(&self) -> Message;
}

fn error(code: &str, detail: String) -> Message {
    Message::new(message_id("error", code)).text("detail", detail)
}

fn opt_date(m: Message, name: &str, d: Option<NaiveDate>) -> Message {
    match d {
        Some(d) => m.date(name, d),
        None => m,
    }
}

impl Localized for ActivityError {
    fn message(&self) -> Message {
        let m = error(self.code(), self.to_string()).text("field", self.field());
        match self {
            ActivityError::NonPositiveQuantity { quantity } => m.int("quantity", *quantity),
            ActivityError::EndNotAfterStart { start, end } => m.time("start", *start).time("end", *end),
            ActivityError::FutureDate { date, today } => m.date("date", *date).date("today", *today),
            ActivityError::MonthClosed { month } => m.month("month", *month),
            ActivityError::OutsideEntryWindow { date, earliest, window } => {
                opt_date(m.date("date", *date).int("window", i64::from(*window)), "earliest", *earliest)
            }
            ActivityError::NonWorkingDay { date } => m.date("date", *date),
            ActivityError::BeforeWorkingHours { start, earliest } => {
                m.time("start", *start).time("earliest", *earliest)
            }
            ActivityError::AfterWorkingHours { end, latest } => m.time("end", *end).time("latest", *latest),
            ActivityError::Overlap { start, end, other, other_start, other_end } => m
                .time("start", *start)
                .time("end", *end)
                .text("other", other.to_string())
                .time("other_start", *other_start)
                .time("other_end", *other_end),
            ActivityError::TaskNotAssigned { task, date } => m.text("task", task.to_string()).date("date", *date),
            ActivityError::Overflow { quantity, standard_minutes } => {
                m.int("quantity", *quantity).int("standard_minutes", standard_minutes.get())
            }
        }
    }
}

impl Localized for VerificationError {
    fn message(&self) -> Message {
        let m = error(self.code(), self.to_string());
        match self {
            VerificationError::InvalidTransition { entry, from, action } => m
                .text("entry", entry.to_string())
                .code("status", format!("status.{}", from.as_str()))
                .code("action", format!("action.{}", action.as_str())),
            VerificationError::EmptyReason { entry, action } => {
                m.text("entry", entry.to_string()).code("action", format!("action.{}", action.as_str()))
            }
            VerificationError::QuantityOutOfRange { entry, quantity, claimed } => {
                m.text("entry", entry.to_string()).int("quantity", *quantity).int("claimed", *claimed)
            }
            VerificationError::DeadlinePassed { entry, deadline, at } => {
                m.text("entry", entry.to_string()).date("deadline", *deadline).datetime("at", *at)
            }
            VerificationError::MonthClosed { entry, month } => {
                m.text("entry", entry.to_string()).month("month", *month)
            }
            VerificationError::NotOwner { entry, by } => m.text("entry", entry.to_string()).text("by", by.to_string()),
            VerificationError::BeforeSubmission { entry, submitted_at, at } => {
                m.text("entry", entry.to_string()).datetime("submitted_at", *submitted_at).datetime("at", *at)
            }
            VerificationError::SelfVerification { entry } => m.text("entry", entry.to_string()),
        }
    }
}

impl Localized for AttendanceError {
    fn message(&self) -> Message {
        let m = error(self.code(), self.to_string()).text("employee", self.employee().to_string());
        match self {
            AttendanceError::InvertedRange { start, end, .. } => m.date("start", *start).date("end", *end),
            AttendanceError::NoWorkingDay { range, .. } => m.date("start", range.start).date("end", range.end),
            AttendanceError::EvidenceRequired { kind, .. } => m.code("kind", format!("absence.{kind}")),
            AttendanceError::Overlap { range, existing_kind, existing_range, .. } => m
                .date("start", range.start)
                .date("end", range.end)
                .code("existing_kind", format!("absence.{existing_kind}"))
                .date("existing_start", existing_range.start)
                .date("existing_end", existing_range.end),
            AttendanceError::PermitCapExceeded { month, cap, would_be, .. } => {
                m.month("month", *month).int("cap", i64::from(*cap)).int("would_be", i64::from(*would_be))
            }
        }
    }
}

impl Localized for NotAuthorised {
    fn message(&self) -> Message {
        let m = Message::new(message_id("not-authorised", self.reason())).text("detail", self.to_string());
        match self {
            NotAuthorised::SelfVerification => m,
            NotAuthorised::NoSupervisor { employee } => m.text("employee", employee.to_string()),
            NotAuthorised::NotTheSupervisor { verifier, employee, date, expected_position } => m
                .text("verifier", verifier.to_string())
                .text("employee", employee.to_string())
                .date("date", *date)
                .text("position", expected_position.to_string()),
            NotAuthorised::UnknownEmployee { nip } => m.text("employee", nip.to_string()),
            NotAuthorised::UnknownActor { actor }
            | NotAuthorised::NotAnEmployee { actor }
            | NotAuthorised::NotADevice { actor }
            | NotAuthorised::SameOfficer { actor } => m.text("actor", actor.clone()),
            NotAuthorised::NotInService { actor, date } => m.text("actor", actor.clone()).date("date", *date),
            NotAuthorised::NotTheEmployee { actor, employee } | NotAuthorised::WrongDevice { actor, employee } => {
                m.text("actor", actor.clone()).text("employee", employee.to_string())
            }
            NotAuthorised::NotAnOfficer { actor, role, date } => {
                m.text("actor", actor.clone()).code("role", format!("role.{role}")).date("date", *date)
            }
            NotAuthorised::OutsideUnit { actor, employee, date } => {
                m.text("actor", actor.clone()).text("employee", employee.to_string()).date("date", *date)
            }
            NotAuthorised::NotTheVerifier { actor, position } => {
                m.text("actor", actor.clone()).text("position", position.to_string())
            }
            NotAuthorised::NotSelfReportable { actor, kind } => {
                m.text("actor", actor.clone()).code("kind", format!("absence.{kind}"))
            }
        }
    }
}

impl Localized for LedgerError {
    fn message(&self) -> Message {
        let m = error(self.code(), self.to_string());
        match self {
            LedgerError::Activity(e) => e.message(),
            LedgerError::Verification(e) => e.message(),
            LedgerError::NotAuthorised(e) => e.message(),
            LedgerError::Attendance(e) => e.message(),
            LedgerError::Policy(e) => e.message(),
            LedgerError::Journal(e) => e.message(),
            LedgerError::Arithmetic(_) => m,
            LedgerError::UnknownEmployee { record, field, nip } => {
                m.code("record", format!("record.{record}")).text("field", *field).text("employee", nip.to_string())
            }
            LedgerError::UnknownEntry { id } => m.text("entry", id.to_string()),
            LedgerError::WrongMonth { record, field, date, month } => m
                .code("record", format!("record.{record}"))
                .text("field", *field)
                .date("date", *date)
                .month("month", *month),
            LedgerError::MonthClosed { month } | LedgerError::NotClosed { month } => m.month("month", *month),
            LedgerError::MissingReason { record } => m.code("record", format!("record.{record}")),
            LedgerError::Conflict { record, id, field, .. } => {
                m.code("record", format!("record.{record}")).text("id", id.clone()).text("field", *field)
            }
            LedgerError::NotTheEmployee { id, action } => m.text("entry", id.to_string()).text("action", *action),
            LedgerError::OutOfOrder { at, last } => m.datetime("at", *at).datetime("last", *last),
            LedgerError::ClaimTooOld { at, received_at, earliest } => {
                opt_date(m.datetime("at", *at).datetime("received_at", *received_at), "earliest", *earliest)
            }
            LedgerError::ClaimInFuture { at, received_at } => {
                m.datetime("at", *at).datetime("received_at", *received_at)
            }
            LedgerError::DuplicateKey { key, seq } => m.text("key", key.clone()).int("seq", seq_int(*seq)),
            LedgerError::Geofence(e) => e.message(),
            LedgerError::Forged { .. } | LedgerError::Format { .. } => m,
            LedgerError::Replay { seq, source, .. } => m.int("seq", seq_int(*seq)).message("reason", source.message()),
        }
    }
}

impl Localized for crate::geo::GeofenceError {
    fn message(&self) -> Message {
        use crate::geo::GeofenceError as G;
        let m = error(self.code(), self.to_string())
            .code("record", "record.clock")
            .text("field", self.field())
            .text("employee", self.employee().to_string());
        match self {
            G::Outside { at, site, distance_m, beyond_m, .. } => m
                .datetime("at", *at)
                .text("site", site.clone())
                .int("distance_m", i64::from(*distance_m))
                .int("beyond_m", i64::from(*beyond_m)),
            G::NoPosition { at, .. } => m.datetime("at", *at),
            G::BadPosition { at, latitude, longitude, .. } => {
                m.datetime("at", *at).text("latitude", latitude.to_string()).text("longitude", longitude.to_string())
            }
        }
    }
}

fn seq_int(seq: u64) -> i64 {
    i64::try_from(seq).unwrap_or(i64::MAX)
}

impl Localized for JournalError {
    fn message(&self) -> Message {
        let m = error(self.code(), self.to_string());
        match self {
            JournalError::Version { found } => m.int("found", i64::from(*found)),
            JournalError::Chain(p) => m.int("seq", seq_int(p.seq)).code("fault", format!("chain.{}", p.fault.as_str())),
            _ => m,
        }
    }
}

impl Localized for PolicyError {
    fn message(&self) -> Message {
        let m = error(self.code(), self.to_string());
        match self {
            PolicyError::Invalid { file, problems } => {
                m.text("file", file.clone()).int("count", len_int(problems.len()))
            }
            PolicyError::UnknownKey { key }
            | PolicyError::WrongType { key, .. }
            | PolicyError::BadValue { key, .. } => m.text("key", key.clone()),
            PolicyError::NoValue { key, date } => m.text("key", key.clone()).date("date", *date),
            PolicyError::NotCovered { key, date, .. } => m.text("key", key.clone()).date("date", *date),
        }
    }
}

fn len_int(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Localized for ValidationErrors {
    fn message(&self) -> Message {
        error("validation", self.to_string()).int("count", len_int(self.problems.len()))
    }
}

impl Localized for NipError {
    fn message(&self) -> Message {
        let m = error(self.code(), self.to_string()).text("nip", self.text());
        match self {
            NipError::WrongLength { length, .. } => m.int("length", len_int(*length)),
            NipError::NonDigit { position, character, .. } => {
                m.int("position", len_int(*position)).text("character", character.to_string())
            }
            _ => m,
        }
    }
}

impl Localized for AbkError {
    fn message(&self) -> Message {
        match self {
            AbkError::Invalid(v) => v.message(),
            _ => error(self.code(), self.to_string()),
        }
    }
}

impl Localized for TargetError {
    fn message(&self) -> Message {
        let m = error(self.code(), self.to_string());
        match self {
            TargetError::UnknownEmployee { nip } => m.text("employee", nip.to_string()),
            TargetError::CalendarRange { month, .. } => m.month("month", *month),
            TargetError::DailyMinutes { value } => m.int("value", *value),
            TargetError::Arithmetic { month, .. } => m.month("month", *month),
        }
    }
}

impl Localized for PayrollError {
    fn message(&self) -> Message {
        let m = error(self.code(), self.to_string());
        match self {
            PayrollError::Policy(e) => e.message(),
            PayrollError::Arithmetic(_) => m,
            PayrollError::MonthMismatch { recap, context } => m.month("input", *recap).month("params", *context),
            PayrollError::NotClosed { month } => m.month("month", *month),
            PayrollError::Unverified { month, values } => m.month("month", *month).int("count", len_int(values.len())),
        }
    }
}

impl Localized for AllowanceError {
    fn message(&self) -> Message {
        let m = error(self.code(), self.to_string());
        match self {
            AllowanceError::InvalidInput(v) => v.message(),
            AllowanceError::Policy(e) => e.message(),
            AllowanceError::Arithmetic { employee, .. } | AllowanceError::Invariant { employee, .. } => {
                m.text("employee", employee.clone())
            }
            AllowanceError::UnknownSanctionLevel { employee, index, level, known } => m
                .text("employee", employee.clone())
                .int("index", len_int(*index))
                .text("level", level.clone())
                .text("known", known.clone()),
            AllowanceError::SanctionMonthsNotAllowed { employee, index, level, months, allowed } => m
                .text("employee", employee.clone())
                .int("index", len_int(*index))
                .text("level", level.clone())
                .int("months", *months)
                .text("allowed", allowed.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")),
            AllowanceError::MonthMismatch { employee, input, params } => {
                m.text("employee", employee.clone()).month("input", *input).month("params", *params)
            }
            AllowanceError::UnsupportedSlipVersion { version } => m.int("version", i64::from(*version)),
            AllowanceError::SlipMismatch { field, paid, recomputed } => {
                m.text("field", *field).text("paid", paid.clone()).text("recomputed", recomputed.clone())
            }
        }
    }
}

impl Localized for crate::import::ImportError {
    fn message(&self) -> Message {
        match self {
            crate::import::ImportError::InvalidResult(v) => v.message(),
            _ => error(self.code(), self.to_string()),
        }
    }
}

impl Localized for crate::device::DeviceError {
    fn message(&self) -> Message {
        use crate::dataset::DatasetError;
        use crate::device::DeviceError;
        match self {
            DeviceError::Input(v) => v.message(),
            DeviceError::Dataset(DatasetError::Invalid(v)) => {
                error("invalid_dataset", self.to_string()).int("count", len_int(v.problems.len()))
            }
            DeviceError::Policy(e) => e.message(),
            DeviceError::Ledger(e) => e.message(),
            DeviceError::Allowance(e) => e.message(),
            DeviceError::UnknownEntry { entry } => {
                error(self.code(), self.to_string()).text("entry", entry.to_string())
            }
            DeviceError::UnknownEmployee { nip, .. } => {
                error(self.code(), self.to_string()).text("employee", nip.to_string())
            }
            DeviceError::NoPosition { nip, month } => {
                error(self.code(), self.to_string()).text("employee", nip.to_string()).month("month", *month)
            }
            _ => error(self.code(), self.to_string()),
        }
    }
}

impl Localized for crate::dataset::DatasetError {
    fn message(&self) -> Message {
        match self {
            crate::dataset::DatasetError::Invalid(v) => {
                error("invalid_dataset", self.to_string()).int("count", len_int(v.problems.len()))
            }
            _ => error("invalid_dataset", self.to_string()),
        }
    }
}

impl Localized for Error {
    fn message(&self) -> Message {
        match self {
            Error::Arithmetic(_) => error(self.code(), self.to_string()),
            Error::Validation(v) => v.message(),
            Error::Nip(e) => e.message(),
            Error::Policy(e) => e.message(),
            Error::Abk(e) => e.message(),
            Error::NotAuthorised(e) => e.message(),
            Error::Activity(e) => e.message(),
            Error::Verification(e) => e.message(),
            Error::Allowance(e) => e.message(),
            Error::Dataset(e) => e.message(),
            Error::Import(e) => e.message(),
            Error::Social(e) => e.message(),
            Error::Insights(e) => e.message(),
            Error::NotFound { record, id } => {
                error(self.code(), self.to_string()).code("record", format!("record.{record}")).text("id", id.clone())
            }
        }
    }
}

impl Localized for crate::social::SocialError {
    fn message(&self) -> Message {
        use crate::social::SocialError as S;
        let m = error(self.code(), self.to_string());
        match self {
            S::SocialNotFound { record, id } => m.code("record", format!("record.{record}")).int("id", *id as i64),
            S::NotTheOwner { record, id, owner, actor } => m
                .code("record", format!("record.{record}"))
                .int("id", *id as i64)
                .text("owner", owner.to_string())
                .text("actor", actor.to_string()),
            S::NotAMember { conversation, actor } => {
                m.int("conversation", *conversation as i64).text("actor", actor.to_string())
            }
            S::NotAModerator { actor } | S::NotAnAdministrator { actor } | S::LeftService { actor } => {
                m.text("actor", actor.to_string())
            }
            S::SelfConversation { actor } => m.text("actor", actor.to_string()),
            S::TextLength { field, chars, max } => m.text("field", *field).int("chars", *chars).int("max", *max),
            S::InvalidChoice { field, value } => m.text("field", *field).text("value", value.clone()),
            S::NegativePrice { price } => m.money("price", *price),
            S::TooManyPhotos { count, max } => m.int("count", *count).int("max", *max),
            S::TooManyActiveAds { actor, active, max } => {
                m.text("actor", actor.to_string()).int("active", *active).int("max", *max)
            }
            S::RateLimited { actor, action, count, max, window_minutes } => m
                .text("actor", actor.to_string())
                .text("action", *action)
                .int("count", *count)
                .int("max", *max)
                .int("window", *window_minutes),
            S::AdTransition { ad, status, action } => {
                m.int("ad", *ad as i64).code("status", format!("ad.{}", status.as_str())).text("action", *action)
            }
            S::AdExpired { ad, expired_at } => m.int("ad", *ad as i64).datetime("at", *expired_at),
            S::OwnAd { ad, actor } => m.int("ad", *ad as i64).text("actor", actor.to_string()),
            S::Blocked { blocker, blocked } => {
                m.text("blocker", blocker.to_string()).text("blocked", blocked.to_string())
            }
            S::ConversationExists { conversation } => m.int("conversation", *conversation as i64),
            S::MessageDeleted { message } => m.int("message", *message as i64),
            S::EditWindowPassed { message, minutes, .. } => m.int("message", *message as i64).int("minutes", *minutes),
            S::DuplicateKey { key, message } => m.text("key", key.clone()).int("message", *message as i64),
            S::ReportResolved { report } => m.int("report", *report as i64),
            S::ChainBroken { seq, reason } => m.int("seq", *seq as i64).text("reason", reason.clone()),
        }
    }
}

impl Localized for crate::insights::InsightsError {
    fn message(&self) -> Message {
        use crate::Money;
        use crate::insights::InsightsError as E;
        let m = error(self.code(), self.to_string());
        match self {
            E::Policy(e) => e.message(),
            E::Payroll(e) => e.message(),
            E::Ledger(e) => e.message(),
            E::CeilingExceeded { sub_activity, month, realised, ceiling } => m
                .text("record", "sub_activity")
                .text("id", sub_activity.clone())
                .text("field", "realisation")
                .int("month", i64::from(*month))
                .money("realised", Money::new(*realised))
                .money("ceiling", Money::new(*ceiling)),
            E::PlanExceedsCeiling { sub_activity, planned, ceiling } => m
                .text("record", "sub_activity")
                .text("id", sub_activity.clone())
                .text("field", "plan")
                .money("planned", Money::new(*planned))
                .money("ceiling", Money::new(*ceiling)),
            E::ProgressOutOfRange { sub_activity, month, progress } => m
                .text("record", "sub_activity")
                .text("id", sub_activity.clone())
                .text("field", "progress")
                .int("month", i64::from(*month))
                .number("progress", *progress),
            E::NegativeAmount { record, id, field, amount } => {
                m.text("record", *record).text("id", id.clone()).text("field", *field).number("amount", *amount)
            }
            E::TooManyMonths { record, id, field, len } => m
                .text("record", *record)
                .text("id", id.clone())
                .text("field", *field)
                .int("count", i64::try_from(*len).unwrap_or(i64::MAX)),
            E::DuplicateCode { record, id } => m.text("record", *record).text("id", id.clone()).text("field", "code"),
            E::UnknownUnit { record, id, unit } => {
                m.text("record", *record).text("id", id.clone()).text("field", "unit").text("unit", unit.clone())
            }
            E::ScoreOutOfRange { id, score } => m
                .text("record", "nomination")
                .text("id", id.clone())
                .text("field", "panel_scores")
                .number("score", *score),
            E::NoHistory { report } => m.text("record", *report).text("field", "months"),
            E::InvertedPlan { id, from, until } => m
                .text("record", "plan")
                .text("id", id.clone())
                .text("field", "until_year")
                .text("from", from.to_string())
                .text("until", until.to_string()),
            E::Targets(e) => {
                let first = e.problems.first();
                m.text("record", first.map(|p| p.record.clone()).unwrap_or_default())
                    .text("id", first.map(|p| p.id.clone()).unwrap_or_default())
                    .text("field", first.map(|p| p.field.clone()).unwrap_or_default())
                    .int("count", i64::try_from(e.problems.len()).unwrap_or(i64::MAX))
            }
            E::Arithmetic(_) => m,
        }
    }
}

impl Localized for NotPaid {
    fn message(&self) -> Message {
        Message::new(message_id("not-paid", &self.code))
            .text("detail", self.reason.clone())
            .text("employee", self.employee.to_string())
            .code("record", format!("record.{}", self.record))
            .text("field", self.field.clone())
    }
}

impl Localized for Problem {
    /// `problem-<code>` with `record` (a code, `record.<kind>`), `id`, `field` and
    /// `detail`; [`super::Renderer::problem`] adds where it is.
    fn message(&self) -> Message {
        Message::new(message_id("problem", &self.code))
            .text("detail", self.message.clone())
            .code("record", format!("record.{}", self.record))
            .text("id", self.id.clone())
            .text("field", self.field.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Lang, Renderer, message_id};

    /// The string literals returned by the match arms of `fn <name>(&self)` in `source`.
    fn codes_of(source: &str, signature: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (start, _) in source.match_indices(signature) {
            let body = &source[start..];
            let end = body.find("\n    }\n").unwrap_or(body.len());
            for arm in body[..end].split("=>").skip(1) {
                let arm = arm.trim_start();
                if let Some(rest) = arm.strip_prefix('"')
                    && let Some(close) = rest.find('"')
                {
                    out.push(rest[..close].to_string());
                }
            }
        }
        out
    }

    const CODE_FN: &str = "pub fn code(&self) -> &'static str {";

    /// Every stable code of the engine's typed errors, read from their `code()` methods
    /// (so a code added later without catalogue messages fails this test).
    fn error_codes() -> Vec<String> {
        let sources = [
            include_str!("../error.rs"),
            include_str!("../policy/mod.rs"),
            include_str!("../ledger/mod.rs"),
            include_str!("../ledger/journal.rs"),
            include_str!("../nip.rs"),
            include_str!("../activity.rs"),
            include_str!("../import/mod.rs"),
            include_str!("../payroll.rs"),
            include_str!("../targets.rs"),
            include_str!("../abk.rs"),
            include_str!("../device.rs"),
            include_str!("../geo.rs"),
            include_str!("../allowance/mod.rs"),
            include_str!("../social/mod.rs"),
            include_str!("../insights/mod.rs"),
        ];
        let mut codes: Vec<String> = sources.iter().flat_map(|s| codes_of(s, CODE_FN)).collect();
        // `attendance.rs` has two `code()`: the absence kinds' (named by `code-absence-*`)
        // and AttendanceError's, whose codes all start `absence_` or `permit_`.
        codes.extend(
            codes_of(include_str!("../attendance.rs"), CODE_FN)
                .into_iter()
                .filter(|c| c.starts_with("absence_") || c.starts_with("permit_")),
        );
        codes.sort();
        codes.dedup();
        codes
    }

    #[test]
    fn every_error_code_has_a_message_in_both_languages() {
        let codes = error_codes();
        // The engine had 86 distinct error codes when this test was written; finding far
        // fewer means the extraction broke, not that the catalogue is complete.
        assert!(codes.len() >= 80, "only {} codes found: {codes:?}", codes.len());
        for must in ["outside_entry_window", "month_closed", "permit_cap_exceeded", "nip_wrong_length", "slip_mismatch"]
        {
            assert!(codes.iter().any(|c| c == must), "{must} not extracted");
        }
        let r = Renderer::new();
        let mut missing = Vec::new();
        for code in &codes {
            let id = message_id("error", code);
            for lang in Lang::ALL {
                if !r.has_message(lang, &id) {
                    missing.push(format!("{lang}: {id}"));
                }
            }
        }
        assert!(missing.is_empty(), "error codes without a message: {missing:?}");
    }

    #[test]
    fn every_refusal_reason_and_absence_kind_is_named_in_both_languages() {
        let reasons = codes_of(include_str!("../org.rs"), "pub fn reason(&self) -> &'static str {");
        assert_eq!(reasons.len(), 15, "{reasons:?}");
        let kinds: Vec<String> = codes_of(include_str!("../attendance.rs"), CODE_FN)
            .into_iter()
            .filter(|c| !c.starts_with("absence_") && !c.starts_with("permit_"))
            .collect();
        assert_eq!(kinds.len(), 13, "{kinds:?}");
        let paid = [
            "no_assignment",
            "left_service",
            "not_yet_assigned",
            "no_definitive_position",
            "acting_only",
            "not_in_recap",
            "unknown_employee",
            "unknown_position",
            "duplicate_recap_row",
            "before_go_live",
        ];
        let r = Renderer::new();
        let ids = reasons
            .iter()
            .map(|c| message_id("not-authorised", c))
            .chain(kinds.iter().map(|c| message_id("code-absence", c)))
            .chain(paid.iter().map(|c| message_id("not-paid", c)));
        for id in ids {
            for lang in Lang::ALL {
                assert!(r.has_message(lang, &id), "{lang}: {id}");
            }
        }
    }
}
