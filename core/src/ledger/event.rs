//! Journal events: what an accepted command did, chained by SHA-256.
//!
//! Every [`Event`] carries its sequence number, the hash of the event before it
//! (`prev`; for the first event, the month's genesis hash) and its own hash:
//!
//! ```text
//! hash = SHA-256(prev || canonical bytes of the event)
//! ```
//!
//! The canonical bytes are a fixed, documented binary encoding of everything the
//! event says (sequence number, actor, times, idempotency key, kind and data; see
//! `docs/journal.md` and [`codec`](super::codec)), independent of the file form it
//! is stored in, so the line-delimited text form and the compact binary form of one
//! journal carry the same hashes. They depend on the event alone and on the
//! journal's version: version 3 (written now) is short, so that an activity log
//! with its previous hash is two SHA-256 blocks; version 2 journals are still
//! verified by version 2's form ([`Event::compute_hash_in`]). Changing, removing, inserting or reordering any event breaks the
//! chain at that point; rewriting the chain after it changes the journal's head,
//! which a city keeps apart (the server's database, the payroll record).

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime};
use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

use crate::access::ActorId;
use crate::activity::{ActivityId, ActivityInput, VerificationStatus};
use crate::attendance::{Absence, ClockEvent};
use crate::ids::TaskId;
use crate::minutes::Minutes;
use crate::month::YearMonth;
use crate::org::{Nip, VerifierRole};
use crate::rollcall::{Ceremony, RollCallKind};

use super::codec::{self, CanonSink, V2, V3};

/// A SHA-256 hash, written as 64 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Hash(pub [u8; 32]);

impl Hash {
    /// The hash every month's chain starts from:
    /// `SHA-256("kinerja-journal-v2:" || "YYYY-MM")`.
    pub fn genesis(month: YearMonth) -> Hash {
        let mut h = Sha256::new();
        h.update(b"kinerja-journal-v2:");
        h.update(month.to_string().as_bytes());
        Hash(h.finalize().into())
    }

    /// `SHA-256(prev || bytes)`.
    pub fn chain(prev: &Hash, bytes: &[u8]) -> Hash {
        let mut h = Sha256::new();
        h.update(prev.0);
        h.update(bytes);
        Hash(h.finalize().into())
    }

    /// The hash as 64 hex digits.
    pub fn to_hex(&self) -> String {
        let mut s = String::with_capacity(64);
        for b in self.0 {
            s.push(char::from(HEX[usize::from(b >> 4)]));
            s.push(char::from(HEX[usize::from(b & 15)]));
        }
        s
    }

    /// The first four bytes (what the compact journal form stores per event; its
    /// checkpoints hold full hashes).
    pub fn prefix(&self) -> [u8; 4] {
        let mut p = [0u8; 4];
        p.copy_from_slice(&self.0[..4]);
        p
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// SHA-256's initial state.
const SHA256_INIT: [u32; 8] =
    [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/// SHA-256 of `buf[..len]`, padded in place: `buf` must hold at least 72 bytes
/// past `len`, which are overwritten. The blocks go to the compression function
/// in one call, without the streaming hasher's block buffer (an event's hash is a
/// few blocks, and there are a million events in a month).
pub(crate) fn sha256_padded(buf: &mut [u8], len: usize) -> Hash {
    let padded = (len + 9).div_ceil(64) * 64;
    let buf = &mut buf[..padded];
    buf[len] = 0x80;
    buf[len + 1..padded - 8].fill(0);
    buf[padded - 8..].copy_from_slice(&(len as u64 * 8).to_be_bytes());
    let mut state = SHA256_INIT;
    let (blocks, _) = buf.as_chunks::<64>();
    sha2::block_api::compress256(&mut state, blocks);
    let mut out = [0u8; 32];
    for (o, w) in out.chunks_exact_mut(4).zip(state) {
        o.copy_from_slice(&w.to_be_bytes());
    }
    Hash(out)
}

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({})", &self.to_hex()[..16])
    }
}

impl std::str::FromStr for Hash {
    type Err = String;
    fn from_str(s: &str) -> Result<Hash, String> {
        let b = s.as_bytes();
        if b.len() != 64 {
            return Err(format!("`{s}` is not a SHA-256 hash (64 hex digits)"));
        }
        let digit = |c: u8| match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        };
        let mut out = [0u8; 32];
        for (i, o) in out.iter_mut().enumerate() {
            match (digit(b[2 * i]), digit(b[2 * i + 1])) {
                (Some(h), Some(l)) => *o = h << 4 | l,
                _ => return Err(format!("`{s}` is not a SHA-256 hash (64 hex digits)")),
            }
        }
        Ok(Hash(out))
    }
}

impl Serialize for Hash {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Hash {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Hash, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(de::Error::custom)
    }
}

/// Where a journal stands: the number and hash of its last event (`seq` 0 and the
/// genesis hash for an empty month).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Head {
    /// The last event's sequence number; 0 before the first event.
    pub seq: u64,
    /// The last event's hash; the genesis hash before the first event.
    pub hash: Hash,
}

impl Head {
    /// The head of an empty month.
    pub fn genesis(month: YearMonth) -> Head {
        Head { seq: 0, hash: Hash::genesis(month) }
    }
}

/// An extra task (tugas tambahan) registered for one employee by their
/// supervisor, which the employee may then log activities against.
#[doc(alias = "tugas tambahan")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
#[serde(deny_unknown_fields)]
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
#[serde(deny_unknown_fields)]
pub struct TransitionItem {
    /// The entry.
    pub entry: ActivityId,
    /// The verifier's entitlement (absent for the employee's own resubmission).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<VerifierRole>,
    /// Status before.
    pub from: VerificationStatus,
    /// Status after.
    pub to: VerificationStatus,
    /// Why (reject and return).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Approved quantity (on approval).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
}

/// A logged or edited entry's content, as the journal stores it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryContent {
    /// The entry's id (given by the ledger when logged).
    pub id: ActivityId,
    /// Its content.
    pub input: ActivityInput,
    /// The task's standard minutes when it was logged or edited.
    pub standard_minutes: Minutes,
}

/// Verification transitions made by one actor at one time, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionBatch {
    /// One item per entry.
    pub items: Vec<TransitionItem>,
}

/// Why a closed month was reopened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reopening {
    /// The reason given (required).
    pub reason: String,
}

/// A fact appended to the journal: what an accepted command did.
#[derive(Clone, Debug, PartialEq)]
pub enum EventKind {
    /// An activity entry was logged (status submitted). Type `activity_logged`.
    ActivityLogged(EntryContent),
    /// An entry was edited by its employee. Type `activity_edited`.
    ActivityEdited(EntryContent),
    /// Verification transitions (approve, reject, return, resubmit) made by the
    /// event's actor at the event's time, in order. Type `transitions`.
    Transitions(TransitionBatch),
    /// An extra task was registered. Type `extra_task_registered`.
    ExtraTaskRegistered(ExtraTask),
    /// A clock event was recorded. Type `clock_recorded`.
    ClockRecorded(ClockEvent),
    /// An absence was recorded (already clipped to the month). Type `absence_recorded`.
    AbsenceRecorded(Absence),
    /// Roll-call attendance was recorded (a single mark is a list of one). Type
    /// `roll_call_recorded`.
    RollCallRecorded(RollCallList),
    /// A ceremony was declared. Type `ceremony_declared`.
    CeremonyDeclared(Ceremony),
    /// The month was closed by an HR officer. Type `month_closed`.
    MonthClosed,
    /// The month was reopened by another HR officer, with a reason. Type
    /// `month_reopened`.
    MonthReopened(Reopening),
}

/// The type names of [`EventKind`], in the order of their canonical tags.
pub const EVENT_TYPES: [&str; 10] = [
    "activity_logged",
    "activity_edited",
    "transitions",
    "extra_task_registered",
    "clock_recorded",
    "absence_recorded",
    "roll_call_recorded",
    "ceremony_declared",
    "month_closed",
    "month_reopened",
];

impl EventKind {
    /// The type's name, e.g. `activity_logged`.
    pub fn name(&self) -> &'static str {
        EVENT_TYPES[usize::from(self.tag())]
    }

    /// The canonical tag (index in [`EVENT_TYPES`]).
    pub(crate) fn tag(&self) -> u8 {
        match self {
            EventKind::ActivityLogged(_) => 0,
            EventKind::ActivityEdited(_) => 1,
            EventKind::Transitions(_) => 2,
            EventKind::ExtraTaskRegistered(_) => 3,
            EventKind::ClockRecorded(_) => 4,
            EventKind::AbsenceRecorded(_) => 5,
            EventKind::RollCallRecorded(_) => 6,
            EventKind::CeremonyDeclared(_) => 7,
            EventKind::MonthClosed => 8,
            EventKind::MonthReopened(_) => 9,
        }
    }
}

/// One journal record.
///
/// Text form (one line of a `.jsonl` journal):
///
/// ```text
/// {"seq":12,"prev":"<64 hex>","hash":"<64 hex>","actor":"199001012020012001",
///  "at":"2026-10-05T16:15:00","type":"activity_logged","data":{...}}
/// ```
///
/// `received_at` (when the record-keeper received a command made earlier, e.g.
/// offline on a phone) and `key` (the idempotency key of an uploaded change)
/// appear when set.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Position in the month's journal, from 1.
    pub seq: u64,
    /// The previous event's hash (the month's genesis hash for the first).
    pub prev: Hash,
    /// This event's hash: `SHA-256(prev || canonical bytes)`.
    pub hash: Hash,
    /// Who caused it.
    pub actor: ActorId,
    /// When the actor did it (local time of the region).
    pub at: NaiveDateTime,
    /// When the record-keeper received it, when later than `at`.
    pub received_at: Option<NaiveDateTime>,
    /// The idempotency key of an uploaded change.
    pub key: Option<String>,
    /// What happened.
    pub kind: EventKind,
}

impl Event {
    /// The time the event was recorded: `received_at`, or `at`. Record times never
    /// go backwards in a journal.
    pub fn record_time(&self) -> NaiveDateTime {
        self.received_at.unwrap_or(self.at)
    }

    /// The event's canonical bytes (everything but `prev` and `hash`) in the
    /// current version ([`CANONICAL_VERSION`](super::CANONICAL_VERSION), 3).
    pub fn canonical_bytes(&self) -> Vec<u8> {
        self.canonical_bytes_in(codec::CANONICAL_VERSION)
    }

    /// The event's canonical bytes as a journal of canonical `version` 2 or 3
    /// hashes them (any other version is written as 3's).
    pub fn canonical_bytes_in(&self, version: u8) -> Vec<u8> {
        let mut buf = Vec::with_capacity(128);
        self.write_canonical(&mut buf, version);
        buf
    }

    /// Appends the canonical bytes of `version` (2, or 3 for anything else) to `buf`.
    pub(crate) fn write_canonical(&self, buf: &mut Vec<u8>, version: u8) {
        if version == codec::CANONICAL_V2 {
            codec::put_event(&mut CanonSink::<V2>::new(buf), self, version);
        } else {
            codec::put_event(&mut CanonSink::<V3>::new(buf), self, codec::CANONICAL_VERSION);
        }
    }

    /// Recomputes the hash (current version) from `prev` and the content, using
    /// `buf` as scratch.
    pub fn compute_hash_with(&self, buf: &mut Vec<u8>) -> Hash {
        self.compute_hash_in(codec::CANONICAL_VERSION, buf)
    }

    /// Recomputes the hash a journal of canonical `version` (2 or 3) gives the
    /// event, from `prev` and the content, using `buf` as scratch.
    pub fn compute_hash_in(&self, version: u8, buf: &mut Vec<u8>) -> Hash {
        buf.clear();
        buf.extend_from_slice(&self.prev.0);
        self.write_canonical(buf, version);
        let len = buf.len();
        buf.resize(len + 72, 0);
        sha256_padded(buf, len)
    }

    /// Recomputes the hash (current version) from `prev` and the content.
    pub fn compute_hash(&self) -> Hash {
        self.compute_hash_with(&mut Vec::with_capacity(128))
    }

    /// The head after this event.
    pub fn head(&self) -> Head {
        Head { seq: self.seq, hash: self.hash }
    }

    /// An empty event (number 0, a closing by nobody): what a reader's slot holds
    /// before it is filled, or after its content was taken.
    pub(crate) fn placeholder() -> Event {
        Event {
            seq: 0,
            prev: Hash::default(),
            hash: Hash::default(),
            actor: ActorId::Device(crate::access::DeviceId::trusted("")),
            at: NaiveDateTime::MIN,
            received_at: None,
            key: None,
            kind: EventKind::MonthClosed,
        }
    }

    /// Takes the event out, leaving a placeholder.
    pub(crate) fn take(&mut self) -> Event {
        std::mem::replace(self, Event::placeholder())
    }
}

fn serialize_kind_data<M: SerializeMap>(map: &mut M, kind: &EventKind) -> Result<(), M::Error> {
    match kind {
        EventKind::ActivityLogged(d) | EventKind::ActivityEdited(d) => map.serialize_entry("data", d),
        EventKind::Transitions(d) => map.serialize_entry("data", d),
        EventKind::ExtraTaskRegistered(d) => map.serialize_entry("data", d),
        EventKind::ClockRecorded(d) => map.serialize_entry("data", d),
        EventKind::AbsenceRecorded(d) => map.serialize_entry("data", d),
        EventKind::RollCallRecorded(d) => map.serialize_entry("data", d),
        EventKind::CeremonyDeclared(d) => map.serialize_entry("data", d),
        EventKind::MonthClosed => Ok(()),
        EventKind::MonthReopened(d) => map.serialize_entry("data", d),
    }
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("seq", &self.seq)?;
        map.serialize_entry("prev", &self.prev)?;
        map.serialize_entry("hash", &self.hash)?;
        map.serialize_entry("actor", &self.actor)?;
        map.serialize_entry("at", &self.at)?;
        if let Some(r) = &self.received_at {
            map.serialize_entry("received_at", r)?;
        }
        if let Some(k) = &self.key {
            map.serialize_entry("key", k)?;
        }
        map.serialize_entry("type", self.kind.name())?;
        serialize_kind_data(&mut map, &self.kind)?;
        map.end()
    }
}

/// Reads an event's `data` once its `type` is known.
struct KindSeed<'a>(&'a str);

impl<'de> DeserializeSeed<'de> for KindSeed<'_> {
    type Value = EventKind;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<EventKind, D::Error> {
        Ok(match self.0 {
            "activity_logged" => EventKind::ActivityLogged(EntryContent::deserialize(d)?),
            "activity_edited" => EventKind::ActivityEdited(EntryContent::deserialize(d)?),
            "transitions" => EventKind::Transitions(TransitionBatch::deserialize(d)?),
            "extra_task_registered" => EventKind::ExtraTaskRegistered(ExtraTask::deserialize(d)?),
            "clock_recorded" => EventKind::ClockRecorded(ClockEvent::deserialize(d)?),
            "absence_recorded" => EventKind::AbsenceRecorded(Absence::deserialize(d)?),
            "roll_call_recorded" => EventKind::RollCallRecorded(RollCallList::deserialize(d)?),
            "ceremony_declared" => EventKind::CeremonyDeclared(Ceremony::deserialize(d)?),
            "month_closed" => {
                <Option<serde::de::IgnoredAny>>::deserialize(d)?;
                EventKind::MonthClosed
            }
            "month_reopened" => EventKind::MonthReopened(Reopening::deserialize(d)?),
            other => return Err(de::Error::unknown_variant(other, &EVENT_TYPES)),
        })
    }
}

const EVENT_FIELDS: &[&str] = &["seq", "prev", "hash", "actor", "at", "received_at", "key", "type", "data"];

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Event, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Event;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a journal event object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Event, A::Error> {
                let mut seq = None;
                let mut prev = None;
                let mut hash = None;
                let mut actor = None;
                let mut at = None;
                let mut received_at = None;
                let mut key = None;
                let mut ty: Option<String> = None;
                let mut kind: Option<EventKind> = None;
                let mut stashed: Option<serde_json::Value> = None;
                while let Some(k) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    let dup = |f: &'static str| de::Error::duplicate_field(f);
                    match k.as_ref() {
                        "seq" if seq.is_none() => seq = Some(map.next_value()?),
                        "prev" if prev.is_none() => prev = Some(map.next_value()?),
                        "hash" if hash.is_none() => hash = Some(map.next_value()?),
                        "actor" if actor.is_none() => actor = Some(map.next_value()?),
                        "at" if at.is_none() => at = Some(map.next_value()?),
                        "received_at" if received_at.is_none() => received_at = Some(map.next_value()?),
                        "key" if key.is_none() => key = Some(map.next_value()?),
                        "type" if ty.is_none() => ty = Some(map.next_value()?),
                        "data" if kind.is_none() && stashed.is_none() => match &ty {
                            Some(t) => kind = Some(map.next_value_seed(KindSeed(t))?),
                            None => stashed = Some(map.next_value()?),
                        },
                        f @ ("seq" | "prev" | "hash" | "actor" | "at" | "received_at" | "key" | "type" | "data") => {
                            return Err(dup(EVENT_FIELDS.iter().find(|x| **x == f).copied().unwrap_or("data")));
                        }
                        other => return Err(de::Error::unknown_field(other, EVENT_FIELDS)),
                    }
                }
                let ty = ty.ok_or_else(|| de::Error::missing_field("type"))?;
                let kind = match (kind, stashed) {
                    (Some(k), _) => k,
                    (None, Some(v)) => KindSeed(&ty).deserialize(v).map_err(de::Error::custom)?,
                    (None, None) => KindSeed(&ty)
                        .deserialize(serde_json::Value::Null)
                        .map_err(|e| de::Error::custom(format!("event of type `{ty}` without `data`: {e}")))?,
                };
                Ok(Event {
                    seq: seq.ok_or_else(|| de::Error::missing_field("seq"))?,
                    prev: prev.ok_or_else(|| de::Error::missing_field("prev"))?,
                    hash: hash.ok_or_else(|| de::Error::missing_field("hash"))?,
                    actor: actor.ok_or_else(|| de::Error::missing_field("actor"))?,
                    at: at.ok_or_else(|| de::Error::missing_field("at"))?,
                    received_at: received_at.flatten(),
                    key: key.flatten(),
                    kind,
                })
            }
        }
        d.deserialize_map(V)
    }
}
