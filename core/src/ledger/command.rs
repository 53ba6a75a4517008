//! Commands: what an actor asks of the month's ledger.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::access::ActorId;
use crate::activity::{ActivityId, ActivityInput, Decision, VerificationStatus};
use crate::attendance::{Absence, ClockEvent};
use crate::rollcall::{Ceremony, RollCallMark};

use super::event::{Event, EventKind, ExtraTask, RollCallList};

/// A request to change the ledger. Who may issue each command is the
/// authorisation matrix of `docs/authorisation.md`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    /// An employee logs an activity. Only the employee.
    LogActivity {
        /// The entry.
        input: ActivityInput,
    },
    /// The employee edits a submitted or returned entry (a returned entry stays
    /// returned until resubmitted). Only the entry's employee.
    EditActivity {
        /// The entry edited.
        id: ActivityId,
        /// Its new content (same employee).
        input: ActivityInput,
    },
    /// The employee resubmits a returned entry. Only the entry's employee.
    Resubmit {
        /// The entry.
        id: ActivityId,
    },
    /// A verifier decides on a submitted entry: the supervisor in charge on the
    /// work date (holder, Plt or Plh on the decision date), a delegate on the
    /// decision date, or for a top position the official named for it.
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
    /// A verifier of the employee registers an extra task for them.
    RegisterExtraTask {
        /// The task.
        task: ExtraTask,
    },
    /// A clock event: from a fingerprint or face reader at the employee's site, or
    /// from the employee's own phone.
    RecordClock {
        /// The event.
        event: ClockEvent,
    },
    /// An absence (leave, permit, sick, travel, unexcused, off-site half day),
    /// recorded by an HR officer on evidence, or by the employee for the kinds the
    /// policy lets them report themselves (`record.self_reported_absences`).
    RecordAbsence {
        /// The absence; a range reaching outside the month is clipped to it.
        absence: Absence,
    },
    /// An employee's attendance at a roll call or ceremony, by an attendance
    /// officer of their unit.
    MarkRollCall {
        /// The mark.
        mark: RollCallMark,
    },
    /// A roll call's attendance list, as the unit's attendance officer submits it:
    /// everyone listed attended (or was marked absent). Employees not listed are
    /// not marked.
    RecordRollCall {
        /// The roll call.
        list: RollCallList,
    },
    /// An HR officer declares a ceremony (upacara) on a date.
    DeclareCeremony {
        /// The ceremony.
        ceremony: Ceremony,
    },
    /// An HR officer closes the month: no change is accepted afterwards, and the
    /// recap that pays is the closed one.
    CloseMonth,
    /// Another HR officer (not the one who closed it) reopens a closed month, with
    /// a reason.
    ReopenMonth {
        /// Why (required).
        reason: String,
    },
}

impl Command {
    /// The command's name as snake_case text, e.g. `log_activity`.
    pub fn name(&self) -> &'static str {
        match self {
            Command::LogActivity { .. } => "log_activity",
            Command::EditActivity { .. } => "edit_activity",
            Command::Resubmit { .. } => "resubmit",
            Command::Verify { .. } => "verify",
            Command::VerifyMany { .. } => "verify_many",
            Command::RegisterExtraTask { .. } => "register_extra_task",
            Command::RecordClock { .. } => "record_clock",
            Command::RecordAbsence { .. } => "record_absence",
            Command::MarkRollCall { .. } => "mark_roll_call",
            Command::RecordRollCall { .. } => "record_roll_call",
            Command::DeclareCeremony { .. } => "declare_ceremony",
            Command::CloseMonth => "close_month",
            Command::ReopenMonth { .. } => "reopen_month",
        }
    }
}

/// A command with its actor and times.
///
/// `at` is when the actor did it (local time of the region). When the
/// record-keeper receives it later (a phone that was offline, a machine's log
/// imported the next morning) it sets `received_at` to its own clock: the
/// journal keeps both, record times never go backwards, and how far back `at`
/// may lie is policy (`record.claim_window_working_days`). `key` is the
/// idempotency key of an uploaded change: a key is applied at most once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// Who issues the command: a NIP, `official:ID` or `device:ID`.
    pub actor: ActorId,
    /// When the actor did it.
    pub at: NaiveDateTime,
    /// When the record-keeper received it, when that is later than `at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_at: Option<NaiveDateTime>,
    /// The idempotency key of an uploaded change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// What is asked.
    #[serde(flatten)]
    pub command: Command,
}

impl Request {
    /// A request made and received at the same time, without a key.
    pub fn new(actor: impl Into<ActorId>, at: NaiveDateTime, command: Command) -> Request {
        Request { actor: actor.into(), at, received_at: None, key: None, command }
    }

    /// The same request, received at `received_at`.
    pub fn received(mut self, received_at: NaiveDateTime) -> Request {
        self.received_at = Some(received_at);
        self
    }

    /// The same request, with an idempotency key.
    pub fn with_key(mut self, key: impl Into<String>) -> Request {
        self.key = Some(key.into());
        self
    }

    /// When the request is recorded: `received_at`, or `at`.
    pub fn record_time(&self) -> NaiveDateTime {
        self.received_at.unwrap_or(self.at)
    }

    /// The request a journal event records: the command that, checked again
    /// against the same ledger, must give the same event. A transition batch
    /// whose only item is a resubmission becomes [`Command::Resubmit`]; other
    /// batches become [`Command::Verify`] (one item) or [`Command::VerifyMany`].
    pub fn of_event(e: &Event) -> Request {
        let command = match &e.kind {
            EventKind::ActivityLogged(c) => Command::LogActivity { input: c.input.clone() },
            EventKind::ActivityEdited(c) => Command::EditActivity { id: c.id, input: c.input.clone() },
            EventKind::Transitions(b) => {
                let resubmit = b.items.len() == 1
                    && b.items.iter().all(|t| t.role.is_none() && t.to == VerificationStatus::Submitted);
                if resubmit {
                    Command::Resubmit { id: b.items[0].entry }
                } else {
                    let decisions: Vec<(ActivityId, Decision)> = b
                        .items
                        .iter()
                        .map(|t| {
                            let reason = t.reason.clone().unwrap_or_default();
                            let d = match t.to {
                                VerificationStatus::Approved => Decision::Approve { quantity: t.quantity },
                                VerificationStatus::Rejected => Decision::Reject { reason },
                                // Returned, and anything a forger wrote (refused on check).
                                _ => Decision::Return { reason },
                            };
                            (t.entry, d)
                        })
                        .collect();
                    match decisions.len() {
                        1 => {
                            let (id, decision) = decisions
                                .into_iter()
                                .next()
                                .unwrap_or((ActivityId(0), Decision::Approve { quantity: None }));
                            Command::Verify { id, decision }
                        }
                        _ => Command::VerifyMany { decisions },
                    }
                }
            }
            EventKind::ExtraTaskRegistered(t) => Command::RegisterExtraTask { task: t.clone() },
            EventKind::ClockRecorded(c) => Command::RecordClock { event: c.clone() },
            EventKind::AbsenceRecorded(a) => Command::RecordAbsence { absence: a.clone() },
            EventKind::RollCallRecorded(l) => Command::RecordRollCall { list: l.clone() },
            EventKind::CeremonyDeclared(c) => Command::DeclareCeremony { ceremony: c.clone() },
            EventKind::MonthClosed => Command::CloseMonth,
            EventKind::MonthReopened(r) => Command::ReopenMonth { reason: r.reason.clone() },
        };
        Request { actor: e.actor.clone(), at: e.at, received_at: e.received_at, key: e.key.clone(), command }
    }
}
