//! A compact journal record as the reader decodes it, before (and instead of)
//! building the public [`Event`].
//!
//! The reader of the compact form ([`JournalReader`](super::JournalReader))
//! decodes each record into one reused [`Record`]: texts and NIPs as indexes into
//! the texts the stream interned ([`Interned`]), dates as day numbers, times as
//! seconds, a decision batch's items in a vector kept from one record to the next.
//! Nothing is allocated per record, and the record's canonical bytes are written
//! as it is decoded, so checking the chain needs nothing more ([`verify`](super::verify)
//! builds no event at all).
//!
//! The ledger's replay takes the record through one entry point
//! (`Ledger::apply_record`); the public APIs that return events build them from
//! it ([`Decoded::fill_event`]).

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::access::{ActorId, DeviceId, OfficialId};
use crate::activity::{ActivityId, ActivityInput, VerificationStatus};
use crate::attendance::{ClockDirection, ClockEvent, ClockSource};
use crate::geo::{GeoCheck, GeoVerdict};
use crate::ids::TaskId;
use crate::minutes::Minutes;
use crate::org::{Nip, VerifierRole};

use super::codec::{CompactState, DecodeError, Interned};
use super::event::{EntryContent, Event, EventKind, Hash, TransitionBatch, TransitionItem};

/// Who issued a record's command: the kind, and the interned text naming them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Actor {
    /// An employee: the text is their NIP (checked as one when first read).
    Employee(u32),
    /// An official: the text is an [`OfficialId`] (checked when first read).
    Official(u32),
    /// A device: the text is a [`DeviceId`] (checked when first read).
    Device(u32),
}

/// A date and time as the record holds it: the day number from 0001-01-01
/// (day 1), the seconds of the day and the nanoseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Stamp {
    /// Days from 0001-01-01 (day 1): chrono's `num_days_from_ce`.
    pub day: i64,
    /// Seconds since midnight (below 86,400).
    pub secs: u32,
    /// Nanoseconds (a leap second's may exceed 10^9, as chrono allows).
    pub nanos: u32,
}

/// A time of day: seconds since midnight and nanoseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tod {
    /// Seconds since midnight (below 86,400).
    pub secs: u32,
    /// Nanoseconds.
    pub nanos: u32,
}

/// A logged or edited entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The entry's number.
    pub id: u64,
    /// The employee's NIP (an interned text), or `None` when it is the actor's.
    pub employee: Option<u32>,
    /// The day of the work (days from 0001-01-01, day 1).
    pub day: i64,
    /// When it started.
    pub start: Tod,
    /// When it ended.
    pub end: Tod,
    /// The task id (an interned text).
    pub task: u32,
    /// Units claimed.
    pub quantity: i64,
    /// The description (an interned text).
    pub description: u32,
    /// The evidence (an interned text), if any.
    pub evidence: Option<u32>,
    /// The task's standard minutes.
    pub standard_minutes: i64,
}

/// One item of a batch of verification transitions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Item {
    /// The entry's number.
    pub entry: u64,
    /// The verifier's entitlement, if stated.
    pub role: Option<VerifierRole>,
    /// Status before.
    pub from: VerificationStatus,
    /// Status after.
    pub to: VerificationStatus,
    /// Why (an interned text), if stated.
    pub reason: Option<u32>,
    /// The approved quantity, if stated.
    pub quantity: Option<i64>,
}

/// A clock event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Clock {
    /// Who scanned (an interned NIP).
    pub employee: u32,
    /// When.
    pub at: Stamp,
    /// In or out.
    pub direction: ClockDirection,
    /// The device.
    pub source: ClockSource,
    /// The geofence verdict, if recorded: the site (an interned text), the
    /// verdict and the flag.
    pub geofence: Option<(Option<u32>, GeoVerdict, bool)>,
}

/// What a record says, by kind: the frequent kinds in decoded form, the rare ones
/// (extra tasks, absences, roll calls, ceremonies, closing, reopening) as the
/// public [`EventKind`].
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Body {
    /// `activity_logged`.
    Logged(Entry),
    /// `activity_edited`.
    Edited(Entry),
    /// `transitions`: the items are [`Record::items`].
    Transitions,
    /// `clock_recorded`.
    Clock(Clock),
    /// Any other kind (boxed: rare, and larger than the others).
    Other(Box<EventKind>),
}

impl Body {
    /// A rare kind's body.
    pub(crate) fn other(kind: EventKind) -> Body {
        Body::Other(Box::new(kind))
    }
}

/// One decoded record of a compact journal (see the [module docs](self)).
#[derive(Clone, Debug)]
pub(crate) struct Record {
    /// The event's number.
    pub seq: u64,
    /// The hash of the event before it (set when the chain accepts it).
    pub prev: Hash,
    /// Its own hash (set when the chain accepts it).
    pub hash: Hash,
    /// Who issued it.
    pub actor: Actor,
    /// When.
    pub at: Stamp,
    /// When it was received, if later.
    pub received_at: Option<Stamp>,
    /// The idempotency key (an interned text), if any.
    pub key: Option<u32>,
    /// What it says.
    pub body: Body,
    /// A transitions record's items (kept for its room between records).
    pub items: Vec<Item>,
}

impl Record {
    /// An empty record (what the reader holds before the first).
    pub(crate) fn new() -> Record {
        Record {
            seq: 0,
            prev: Hash::default(),
            hash: Hash::default(),
            actor: Actor::Device(0),
            at: Stamp::default(),
            received_at: None,
            key: None,
            body: Body::Transitions,
            items: Vec::new(),
        }
    }
}

/// A decoded record with what its indexes refer to: the stream's interned texts
/// and the month's dates. What the ledger's replay is handed.
pub(crate) struct Decoded<'a> {
    /// The record.
    pub record: &'a Record,
    /// The texts its indexes name.
    pub texts: &'a Interned,
    /// The month's dates.
    pub(crate) state: &'a CompactState,
}

fn internal(what: &str) -> DecodeError {
    DecodeError(format!("internal: {what} of a decoded record is missing"))
}

impl Decoded<'_> {
    /// The NIP interned text `i` was read as.
    pub(crate) fn nip(&self, i: u32) -> Result<Nip, DecodeError> {
        self.texts.nip_of(i as usize).ok_or_else(|| internal("a NIP"))
    }

    /// Interned text `i`, shared.
    pub(crate) fn shared(&self, i: u32) -> Arc<str> {
        self.texts.shared(i as usize)
    }

    /// Interned text `i`.
    pub(crate) fn text(&self, i: u32) -> &str {
        self.texts.text(i as usize)
    }

    /// The date of a day number.
    pub(crate) fn date(&self, day: i64) -> Result<NaiveDate, DecodeError> {
        self.state.date_of_day(day).ok_or_else(|| internal("a date"))
    }

    /// A time of day.
    pub(crate) fn time(&self, t: Tod) -> Result<NaiveTime, DecodeError> {
        NaiveTime::from_num_seconds_from_midnight_opt(t.secs, t.nanos).ok_or_else(|| internal("a time"))
    }

    /// A date and time.
    pub(crate) fn datetime(&self, s: Stamp) -> Result<NaiveDateTime, DecodeError> {
        Ok(self.date(s.day)?.and_time(self.time(Tod { secs: s.secs, nanos: s.nanos })?))
    }

    /// The public content of a logged or edited entry made by `actor`.
    pub(crate) fn entry(&self, c: &Entry, actor: &ActorId) -> Result<EntryContent, DecodeError> {
        let employee = match (c.employee, actor) {
            (Some(i), _) => self.nip(i)?,
            (None, ActorId::Employee(n)) => n.clone(),
            (None, _) => return Err(internal("an entry's employee")),
        };
        Ok(EntryContent {
            id: ActivityId(c.id),
            input: ActivityInput {
                employee,
                date: self.date(c.day)?,
                start: self.time(c.start)?,
                end: self.time(c.end)?,
                task: TaskId(self.shared(c.task)),
                quantity: c.quantity,
                description: self.shared(c.description),
                evidence: c.evidence.map(|i| self.shared(i)),
            },
            standard_minutes: Minutes(c.standard_minutes),
        })
    }

    /// Builds the record's actor into `a`, in place: the text `a` holds is kept
    /// when it is the same official or device (one sends many events in a row).
    pub(crate) fn fill_actor(&self, a: &mut ActorId) -> Result<(), DecodeError> {
        match (self.record.actor, &*a) {
            (Actor::Employee(i), _) => *a = ActorId::Employee(self.nip(i)?),
            (Actor::Official(i), ActorId::Official(o)) if o.as_str() == self.text(i) => {}
            (Actor::Device(i), ActorId::Device(d)) if d.as_str() == self.text(i) => {}
            (Actor::Official(i), _) => *a = ActorId::Official(OfficialId::trusted(self.text(i))),
            (Actor::Device(i), _) => *a = ActorId::Device(DeviceId::trusted(self.text(i))),
        }
        Ok(())
    }

    /// The public clock event of a clock record.
    pub(crate) fn clock(&self, c: &Clock) -> Result<ClockEvent, DecodeError> {
        Ok(ClockEvent {
            employee: self.nip(c.employee)?,
            at: self.datetime(c.at)?,
            direction: c.direction,
            source: c.source.clone(),
            geofence: c.geofence.map(|(site, verdict, flagged)| GeoCheck {
                site: site.map(|i| self.text(i).to_string()),
                verdict,
                flagged,
            }),
        })
    }

    /// Replaces `out` with the public items of a transitions record (its room kept).
    pub(crate) fn fill_items(&self, out: &mut Vec<TransitionItem>) {
        out.clear();
        out.extend(self.record.items.iter().map(|t| TransitionItem {
            entry: ActivityId(t.entry),
            role: t.role,
            from: t.from,
            to: t.to,
            reason: t.reason.map(|i| self.text(i).to_string()),
            quantity: t.quantity,
        }));
    }

    /// Builds the public event the record is into `e`, in place (its actor as
    /// [`Decoded::fill_actor`] builds it).
    pub(crate) fn fill_event(&self, e: &mut Event) -> Result<(), DecodeError> {
        let r = self.record;
        e.seq = r.seq;
        e.prev = r.prev;
        e.hash = r.hash;
        self.fill_actor(&mut e.actor)?;
        e.at = self.datetime(r.at)?;
        e.received_at = r.received_at.map(|s| self.datetime(s)).transpose()?;
        e.key = r.key.map(|i| self.text(i).to_string());
        e.kind = match &r.body {
            Body::Logged(c) => EventKind::ActivityLogged(self.entry(c, &e.actor)?),
            Body::Edited(c) => EventKind::ActivityEdited(self.entry(c, &e.actor)?),
            Body::Transitions => {
                let mut items = Vec::with_capacity(r.items.len());
                self.fill_items(&mut items);
                EventKind::Transitions(TransitionBatch { items })
            }
            Body::Clock(c) => EventKind::ClockRecorded(self.clock(c)?),
            Body::Other(k) => (**k).clone(),
        };
        Ok(())
    }
}
