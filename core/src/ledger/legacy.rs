//! Version 1 journals: one JSON document, events without hashes. They are read
//! whole (they predate streaming) and migrated: each event gets a sequence number,
//! its `prev` and its hash as if it had been written in version 2, and the
//! journal's header says `migrated_from: 1`. Nothing vouches for such events, so a
//! migrated journal never [holds](super::journal::Verification::holds).

use chrono::NaiveDateTime;
use serde::Deserialize;

use crate::access::ActorId;
use crate::activity::{ActivityId, ActivityInput};
use crate::attendance::{Absence, ClockEvent};
use crate::minutes::Minutes;
use crate::month::YearMonth;
use crate::rollcall::Ceremony;

use super::event::{EntryContent, Event, EventKind, ExtraTask, Hash, RollCallList, TransitionBatch, TransitionItem};
use super::journal::{JournalError, JournalHeader, Position};

#[derive(Deserialize)]
struct V1 {
    version: u32,
    month: YearMonth,
    events: Vec<V1Event>,
}

#[derive(Deserialize)]
struct V1Event {
    seq: u64,
    actor: ActorId,
    at: NaiveDateTime,
    #[serde(flatten)]
    kind: V1Kind,
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum V1Kind {
    ActivityLogged { id: ActivityId, input: ActivityInput, standard_minutes: Minutes },
    ActivityEdited { id: ActivityId, input: ActivityInput, standard_minutes: Minutes },
    Transitions { items: Vec<TransitionItem> },
    ExtraTaskRegistered { task: ExtraTask },
    ClockRecorded { event: ClockEvent },
    AbsenceRecorded { absence: Absence },
    RollCallRecorded { list: RollCallList },
    CeremonyDeclared { ceremony: Ceremony },
    MonthClosed,
}

/// Reads a v1 document and gives the migrated header and events (chained from
/// the month's genesis).
pub(crate) fn migrate(text: &str) -> Result<(JournalHeader, Vec<Event>), JournalError> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| JournalError::NotAJournal { message: e.to_string() })?;
    match v.get("version").and_then(serde_json::Value::as_u64) {
        Some(1) => {}
        Some(n) => return Err(JournalError::Version { found: u32::try_from(n).unwrap_or(u32::MAX) }),
        None => return Err(JournalError::NotAJournal { message: "no header line and no `version`".into() }),
    }
    let doc: V1 = serde_json::from_value(v).map_err(|e| JournalError::Format {
        position: Position::Line(1),
        message: format!("version 1 journal: {e}"),
    })?;
    debug_assert_eq!(doc.version, 1);
    let mut header = JournalHeader::new(doc.month);
    header.migrated_from = Some(1);
    let mut prev: Hash = header.start.hash;
    let mut buf = Vec::with_capacity(256);
    let mut events = Vec::with_capacity(doc.events.len());
    for (i, e) in doc.events.into_iter().enumerate() {
        if e.seq != i as u64 + 1 {
            return Err(JournalError::Format {
                position: Position::Line(0),
                message: format!("version 1 event {} has sequence number {}", i + 1, e.seq),
            });
        }
        let kind = match e.kind {
            V1Kind::ActivityLogged { id, input, standard_minutes } => {
                EventKind::ActivityLogged(EntryContent { id, input, standard_minutes })
            }
            V1Kind::ActivityEdited { id, input, standard_minutes } => {
                EventKind::ActivityEdited(EntryContent { id, input, standard_minutes })
            }
            V1Kind::Transitions { items } => EventKind::Transitions(TransitionBatch { items }),
            V1Kind::ExtraTaskRegistered { task } => EventKind::ExtraTaskRegistered(task),
            V1Kind::ClockRecorded { event } => EventKind::ClockRecorded(event),
            V1Kind::AbsenceRecorded { absence } => EventKind::AbsenceRecorded(absence),
            V1Kind::RollCallRecorded { list } => EventKind::RollCallRecorded(list),
            V1Kind::CeremonyDeclared { ceremony } => EventKind::CeremonyDeclared(ceremony),
            V1Kind::MonthClosed => EventKind::MonthClosed,
        };
        let mut ev = Event {
            seq: e.seq,
            prev,
            hash: Hash::default(),
            actor: e.actor,
            at: e.at,
            received_at: None,
            key: None,
            kind,
        };
        ev.hash = ev.compute_hash_with(&mut buf);
        prev = ev.hash;
        events.push(ev);
    }
    Ok((header, events))
}

/// Writes a journal in the version 1 form (one JSON document, no hashes), as
/// this library wrote it before version 2: for migration tests and for
/// benchmarks that compare the two. Officials' and devices' acts have no
/// version 1 form and are written with their actor text.
pub fn to_v1_json(journal: &super::journal::Journal) -> String {
    use serde_json::json;
    let mut out = String::with_capacity(64 + journal.events.len() * 256);
    out.push_str(&format!("{{\"version\":1,\"month\":\"{}\",\"events\":[", journal.header.month));
    for (i, e) in journal.events.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        let mut v = json!({ "seq": e.seq, "actor": e.actor.to_string(), "at": e.at });
        let extra = match &e.kind {
            EventKind::ActivityLogged(c) => {
                json!({"type": "activity_logged", "id": c.id, "input": c.input, "standard_minutes": c.standard_minutes})
            }
            EventKind::ActivityEdited(c) => {
                json!({"type": "activity_edited", "id": c.id, "input": c.input, "standard_minutes": c.standard_minutes})
            }
            EventKind::Transitions(b) => json!({"type": "transitions", "items": b.items}),
            EventKind::ExtraTaskRegistered(t) => json!({"type": "extra_task_registered", "task": t}),
            EventKind::ClockRecorded(c) => json!({"type": "clock_recorded", "event": c}),
            EventKind::AbsenceRecorded(a) => json!({"type": "absence_recorded", "absence": a}),
            EventKind::RollCallRecorded(l) => json!({"type": "roll_call_recorded", "list": l}),
            EventKind::CeremonyDeclared(c) => json!({"type": "ceremony_declared", "ceremony": c}),
            EventKind::MonthClosed | EventKind::MonthReopened(_) => json!({"type": "month_closed"}),
        };
        if let (Some(o), Some(x)) = (v.as_object_mut(), extra.as_object()) {
            for (k, val) in x {
                o.insert(k.clone(), val.clone());
            }
        }
        out.push_str(&v.to_string());
    }
    out.push_str("\n]}\n");
    out
}
