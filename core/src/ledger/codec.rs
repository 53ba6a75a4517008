//! Binary encodings of journal events: the **canonical** bytes that are hashed,
//! and the **compact** form stored in `.kjb` journals.
//!
//! Both are written by the same walk over an event ([`put_event`]) into a
//! [`Sink`]; they differ only in how each primitive is written:
//!
//! | primitive | canonical ([`CanonSink`]) | compact ([`CompactSink`]) |
//! |---|---|---|
//! | unsigned / signed integer | LEB128 varint / zigzag varint | the same |
//! | text | varint byte length + UTF-8 | interned: varint index, first use followed by length + bytes |
//! | date | zigzag varint days from 0001-01-01 (day 1) | zigzag varint days from the month's first day |
//! | time of day | varint seconds + varint nanoseconds | varint `seconds * 2 + has_nanos` [+ varint nanos] |
//! | date and time | date + time | zigzag varint delta from the previous date-time in the stream (x2 + has_nanos) [+ nanos] |
//! | decimal | 16 bytes (`rust_decimal` serialisation: flags, scale, mantissa) | zigzag varint mantissa + scale byte |
//! | sequence number | varint | varint |
//!
//! The layout of each event is in `docs/journal.md`.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use rust_decimal::Decimal;

use crate::access::{ActorId, DeviceId, OfficialId};
use crate::activity::{ActivityId, ActivityInput, VerificationStatus};
use crate::attendance::{Absence, AbsenceKind, ClockDirection, ClockEvent, ClockSource};
use crate::ids::TaskId;
use crate::minutes::Minutes;
use crate::month::{DateRange, YearMonth};
use crate::org::{Nip, VerifierRole};
use crate::rollcall::{Ceremony, RollCallKind};

use super::event::{
    EntryContent, Event, EventKind, ExtraTask, Hash, Reopening, RollCallList, TransitionBatch, TransitionItem,
};

/// The version byte that starts an event's canonical bytes.
pub const CANONICAL_VERSION: u8 = 2;

/// Where an event's primitives are written.
pub(crate) trait Sink {
    fn u8(&mut self, v: u8);
    fn uint(&mut self, v: u64);
    fn int(&mut self, v: i64);
    fn str(&mut self, s: &str);
    fn date(&mut self, d: NaiveDate);
    fn time(&mut self, t: NaiveTime);
    fn datetime(&mut self, t: NaiveDateTime);
    fn decimal(&mut self, d: Decimal);
    fn seq(&mut self, seq: u64);
    fn count(&mut self, n: usize);
    fn nip(&mut self, n: &Nip) {
        self.str(n.as_str());
    }
    /// An entry's employee: the canonical form writes the NIP; the compact form
    /// writes only a flag when it is the event's actor (an employee logs their own
    /// work).
    fn entry_employee(&mut self, _actor: &ActorId, n: &Nip) {
        self.nip(n);
    }
    fn opt<T>(&mut self, v: Option<&T>, f: impl FnOnce(&mut Self, &T)) {
        match v {
            None => self.u8(0),
            Some(x) => {
                self.u8(1);
                f(self, x);
            }
        }
    }
}

/// The canonical encoding (what is hashed).
pub(crate) struct CanonSink<'a> {
    pub out: &'a mut Vec<u8>,
}

impl Sink for CanonSink<'_> {
    fn u8(&mut self, v: u8) {
        self.out.push(v);
    }
    fn uint(&mut self, v: u64) {
        put_varint(self.out, u128::from(v));
    }
    fn int(&mut self, v: i64) {
        put_varint(self.out, zigzag(i128::from(v)));
    }
    fn str(&mut self, s: &str) {
        put_varint(self.out, s.len() as u128);
        self.out.extend_from_slice(s.as_bytes());
    }
    fn date(&mut self, d: NaiveDate) {
        put_varint(self.out, zigzag(i128::from(d.num_days_from_ce())));
    }
    fn time(&mut self, t: NaiveTime) {
        put_varint(self.out, u128::from(t.num_seconds_from_midnight()));
        put_varint(self.out, u128::from(t.nanosecond()));
    }
    fn datetime(&mut self, t: NaiveDateTime) {
        self.date(t.date());
        self.time(t.time());
    }
    fn decimal(&mut self, d: Decimal) {
        self.out.extend_from_slice(&d.serialize());
    }
    fn seq(&mut self, seq: u64) {
        self.uint(seq);
    }
    fn count(&mut self, n: usize) {
        put_varint(self.out, n as u128);
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u128) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn zigzag(v: i128) -> u128 {
    ((v << 1) ^ (v >> 127)) as u128
}

fn unzigzag(v: u128) -> i128 {
    ((v >> 1) as i128) ^ -((v & 1) as i128)
}

/// The compact encoding's running state, shared by writer and reader.
#[derive(Clone, Debug)]
pub(crate) struct CompactState {
    base_days: i64,
    last_time: NaiveDateTime,
}

impl CompactState {
    pub(crate) fn new(month: YearMonth) -> CompactState {
        let first = month.first_day();
        CompactState { base_days: i64::from(first.num_days_from_ce()), last_time: first.and_time(NaiveTime::MIN) }
    }
}

/// The compact encoding (what `.kjb` files store).
pub(crate) struct CompactSink<'a> {
    pub out: &'a mut Vec<u8>,
    pub strings: &'a mut HashMap<String, u64>,
    pub state: &'a mut CompactState,
}

impl Sink for CompactSink<'_> {
    fn u8(&mut self, v: u8) {
        self.out.push(v);
    }
    fn uint(&mut self, v: u64) {
        put_varint(self.out, u128::from(v));
    }
    fn int(&mut self, v: i64) {
        put_varint(self.out, zigzag(i128::from(v)));
    }
    fn str(&mut self, s: &str) {
        if let Some(&i) = self.strings.get(s) {
            put_varint(self.out, u128::from(i));
        } else {
            let i = self.strings.len() as u64;
            put_varint(self.out, u128::from(i));
            put_varint(self.out, s.len() as u128);
            self.out.extend_from_slice(s.as_bytes());
            self.strings.insert(s.to_string(), i);
        }
    }
    fn date(&mut self, d: NaiveDate) {
        put_varint(self.out, zigzag(i128::from(d.num_days_from_ce()) - i128::from(self.state.base_days)));
    }
    fn time(&mut self, t: NaiveTime) {
        let nanos = t.nanosecond();
        put_varint(self.out, u128::from(t.num_seconds_from_midnight()) * 2 + u128::from(nanos != 0));
        if nanos != 0 {
            put_varint(self.out, u128::from(nanos));
        }
    }
    fn datetime(&mut self, t: NaiveDateTime) {
        // Whole seconds between the two; the sub-second part is stored apart.
        let secs = t.and_utc().timestamp() - self.state.last_time.and_utc().timestamp();
        let nanos = t.nanosecond();
        put_varint(self.out, zigzag(i128::from(secs)) * 2 + u128::from(nanos != 0));
        if nanos != 0 {
            put_varint(self.out, u128::from(nanos));
        }
        self.state.last_time = t;
    }
    fn decimal(&mut self, d: Decimal) {
        put_varint(self.out, zigzag(d.mantissa()));
        self.out.push(d.scale() as u8);
    }
    fn seq(&mut self, seq: u64) {
        // Absolute (not a delta): a record moved or copied keeps its number, so a
        // reader can tell a reordered or duplicated event from an edited one.
        put_varint(self.out, u128::from(seq));
    }
    fn count(&mut self, n: usize) {
        put_varint(self.out, n as u128);
    }
    fn entry_employee(&mut self, actor: &ActorId, n: &Nip) {
        if actor.is(n) {
            self.out.push(0);
        } else {
            self.out.push(1);
            self.nip(n);
        }
    }
}

fn role_byte(r: VerifierRole) -> u8 {
    match r {
        VerifierRole::Definitive => 0,
        VerifierRole::Plt => 1,
        VerifierRole::Plh => 2,
        VerifierRole::Delegate => 3,
        VerifierRole::Official => 4,
    }
}

fn status_byte(s: VerificationStatus) -> u8 {
    match s {
        VerificationStatus::Submitted => 0,
        VerificationStatus::Approved => 1,
        VerificationStatus::Rejected => 2,
        VerificationStatus::Returned => 3,
    }
}

fn direction_byte(d: ClockDirection) -> u8 {
    match d {
        ClockDirection::In => 0,
        ClockDirection::Out => 1,
    }
}

fn rollcall_byte(k: RollCallKind) -> u8 {
    match k {
        RollCallKind::Morning => 0,
        RollCallKind::Afternoon => 1,
        RollCallKind::Ceremony => 2,
    }
}

fn absence_byte(k: &AbsenceKind) -> u8 {
    let code = k.code();
    AbsenceKind::ALL_CODES.iter().position(|c| *c == code).unwrap_or(0) as u8
}

fn put_actor<S: Sink>(s: &mut S, a: &ActorId) {
    match a {
        ActorId::Employee(n) => {
            s.u8(0);
            s.nip(n);
        }
        ActorId::Official(id) => {
            s.u8(1);
            s.str(id.as_str());
        }
        ActorId::Device(id) => {
            s.u8(2);
            s.str(id.as_str());
        }
    }
}

fn put_input<S: Sink>(s: &mut S, actor: &ActorId, i: &ActivityInput) {
    s.entry_employee(actor, &i.employee);
    s.date(i.date);
    s.time(i.start);
    s.time(i.end);
    s.str(i.task.as_str());
    s.int(i.quantity);
    s.str(&i.description);
    s.opt(i.evidence.as_ref(), |s, e| s.str(e));
}

fn put_entry<S: Sink>(s: &mut S, actor: &ActorId, e: &EntryContent) {
    s.uint(e.id.0);
    put_input(s, actor, &e.input);
    s.int(e.standard_minutes.get());
}

/// Writes an event (without `prev` and `hash`) into a sink.
pub(crate) fn put_event<S: Sink>(s: &mut S, e: &Event) {
    s.u8(CANONICAL_VERSION);
    s.seq(e.seq);
    put_actor(s, &e.actor);
    s.datetime(e.at);
    s.opt(e.received_at.as_ref(), |s, t| s.datetime(*t));
    s.opt(e.key.as_ref(), |s, k| s.str(k));
    s.u8(e.kind.tag());
    match &e.kind {
        EventKind::ActivityLogged(c) | EventKind::ActivityEdited(c) => put_entry(s, &e.actor, c),
        EventKind::Transitions(b) => {
            s.count(b.items.len());
            for t in &b.items {
                s.uint(t.entry.0);
                s.opt(t.role.as_ref(), |s, r| s.u8(role_byte(*r)));
                s.u8(status_byte(t.from));
                s.u8(status_byte(t.to));
                s.opt(t.reason.as_ref(), |s, r| s.str(r));
                s.opt(t.quantity.as_ref(), |s, q| s.int(*q));
            }
        }
        EventKind::ExtraTaskRegistered(t) => {
            s.str(t.id.as_str());
            s.nip(&t.employee);
            s.str(&t.name);
            s.str(&t.output_unit);
            s.int(t.standard_minutes.get());
            s.date(t.from);
            s.opt(t.until.as_ref(), |s, d| s.date(*d));
        }
        EventKind::ClockRecorded(c) => {
            s.nip(&c.employee);
            s.datetime(c.at);
            s.u8(direction_byte(c.direction));
            match &c.source {
                ClockSource::Fingerprint => s.u8(0),
                ClockSource::Face => s.u8(1),
                ClockSource::Mobile { latitude, longitude, accuracy_m } => {
                    s.u8(2);
                    s.decimal(*latitude);
                    s.decimal(*longitude);
                    s.opt(accuracy_m.as_ref(), |s, a| s.uint(u64::from(*a)));
                }
            }
        }
        EventKind::AbsenceRecorded(a) => {
            s.nip(&a.employee);
            s.date(a.range.start);
            s.date(a.range.end);
            s.u8(absence_byte(&a.kind));
            if let AbsenceKind::OffSiteHalfDay { replaces } = a.kind {
                s.u8(direction_byte(replaces));
            }
            s.opt(a.evidence.as_ref(), |s, e| s.str(e));
            s.opt(a.note.as_ref(), |s, n| s.str(n));
        }
        EventKind::RollCallRecorded(l) => {
            s.date(l.date);
            s.u8(rollcall_byte(l.kind));
            s.count(l.attended.len());
            for n in &l.attended {
                s.nip(n);
            }
            s.count(l.absent.len());
            for n in &l.absent {
                s.nip(n);
            }
        }
        EventKind::CeremonyDeclared(c) => {
            s.date(c.date);
            s.str(&c.name);
        }
        EventKind::MonthClosed => {}
        EventKind::MonthReopened(r) => s.str(&r.reason),
    }
}

// ---------------------------------------------------------------------------
// Reading the compact form
// ---------------------------------------------------------------------------

/// Why compact bytes could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DecodeError(pub String);

type R<T> = Result<T, DecodeError>;

fn bad<T>(what: &str) -> R<T> {
    Err(DecodeError(what.to_string()))
}

/// Reads compact records. Interned texts (and the NIPs and actors parsed from
/// them) are kept for the whole stream.
pub(crate) struct CompactSource<'b> {
    pub buf: &'b [u8],
    pub pos: usize,
    pub strings: &'b mut Vec<String>,
    pub nips: &'b mut Vec<Option<Nip>>,
    pub state: &'b mut CompactState,
}

impl CompactSource<'_> {
    fn byte(&mut self) -> R<u8> {
        let b = *self.buf.get(self.pos).ok_or_else(|| DecodeError("record ends early".into()))?;
        self.pos += 1;
        Ok(b)
    }

    fn varint(&mut self) -> R<u128> {
        let mut v: u128 = 0;
        for shift in (0..128).step_by(7) {
            let b = self.byte()?;
            v |= u128::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        bad("varint too long")
    }

    fn uint(&mut self) -> R<u64> {
        u64::try_from(self.varint()?).map_err(|_| DecodeError("number too large".into()))
    }

    fn int(&mut self) -> R<i64> {
        i64::try_from(unzigzag(self.varint()?)).map_err(|_| DecodeError("number too large".into()))
    }

    fn count(&mut self) -> R<usize> {
        let n = self.uint()?;
        // Every item takes at least one byte: a count beyond the record is corrupt.
        if n > (self.buf.len() - self.pos) as u64 {
            return bad("count beyond the record");
        }
        Ok(n as usize)
    }

    fn string_index(&mut self) -> R<usize> {
        let i = self.uint()?;
        let n = self.strings.len() as u64;
        if i < n {
            return Ok(i as usize);
        }
        if i != n {
            return bad("text index out of order");
        }
        let len = self.uint()? as usize;
        let end = self.pos.checked_add(len).filter(|&e| e <= self.buf.len());
        let Some(end) = end else { return bad("text runs past the record") };
        let text =
            std::str::from_utf8(&self.buf[self.pos..end]).map_err(|_| DecodeError("text is not UTF-8".into()))?;
        self.strings.push(text.to_string());
        self.nips.push(None);
        self.pos = end;
        Ok(i as usize)
    }

    fn string(&mut self) -> R<String> {
        let i = self.string_index()?;
        Ok(self.strings[i].clone())
    }

    fn nip(&mut self) -> R<Nip> {
        let i = self.string_index()?;
        if let Some(n) = &self.nips[i] {
            return Ok(n.clone());
        }
        let n = Nip::parse(&self.strings[i]).map_err(|e| DecodeError(e.to_string()))?;
        self.nips[i] = Some(n.clone());
        Ok(n)
    }

    fn date(&mut self) -> R<NaiveDate> {
        let days = unzigzag(self.varint()?) + i128::from(self.state.base_days);
        i32::try_from(days)
            .ok()
            .and_then(NaiveDate::from_num_days_from_ce_opt)
            .ok_or_else(|| DecodeError("date out of range".into()))
    }

    fn time(&mut self) -> R<NaiveTime> {
        let v = self.varint()?;
        let nanos = if v & 1 == 1 { self.uint()? } else { 0 };
        let secs = u32::try_from(v >> 1).map_err(|_| DecodeError("time out of range".into()))?;
        NaiveTime::from_num_seconds_from_midnight_opt(secs, nanos as u32)
            .ok_or_else(|| DecodeError("time out of range".into()))
    }

    fn datetime(&mut self) -> R<NaiveDateTime> {
        let v = self.varint()?;
        let secs = i64::try_from(unzigzag(v >> 1)).map_err(|_| DecodeError("time out of range".into()))?;
        let nanos = if v & 1 == 1 { self.uint()? } else { 0 };
        let base = self.state.last_time.and_utc().timestamp();
        let t = base
            .checked_add(secs)
            .and_then(|s| chrono::DateTime::from_timestamp(s, nanos as u32))
            .map(|d| d.naive_utc())
            .ok_or_else(|| DecodeError("time out of range".into()))?;
        self.state.last_time = t;
        Ok(t)
    }

    fn decimal(&mut self) -> R<Decimal> {
        let m = unzigzag(self.varint()?);
        let scale = u32::from(self.byte()?);
        Decimal::try_from_i128_with_scale(m, scale).map_err(|_| DecodeError("decimal out of range".into()))
    }

    fn opt<T>(&mut self, f: impl FnOnce(&mut Self) -> R<T>) -> R<Option<T>> {
        match self.byte()? {
            0 => Ok(None),
            1 => f(self).map(Some),
            _ => bad("option flag is neither 0 nor 1"),
        }
    }

    fn actor(&mut self) -> R<ActorId> {
        match self.byte()? {
            0 => Ok(ActorId::Employee(self.nip()?)),
            1 => OfficialId::new(&self.string()?).map(ActorId::Official).map_err(DecodeError),
            2 => DeviceId::new(&self.string()?).map(ActorId::Device).map_err(DecodeError),
            _ => bad("unknown actor kind"),
        }
    }

    fn role(&mut self) -> R<VerifierRole> {
        Ok(match self.byte()? {
            0 => VerifierRole::Definitive,
            1 => VerifierRole::Plt,
            2 => VerifierRole::Plh,
            3 => VerifierRole::Delegate,
            4 => VerifierRole::Official,
            _ => return bad("unknown verifier role"),
        })
    }

    fn status(&mut self) -> R<VerificationStatus> {
        Ok(match self.byte()? {
            0 => VerificationStatus::Submitted,
            1 => VerificationStatus::Approved,
            2 => VerificationStatus::Rejected,
            3 => VerificationStatus::Returned,
            _ => return bad("unknown verification status"),
        })
    }

    fn direction(&mut self) -> R<ClockDirection> {
        Ok(match self.byte()? {
            0 => ClockDirection::In,
            1 => ClockDirection::Out,
            _ => return bad("unknown clock direction"),
        })
    }

    fn input(&mut self, actor: &ActorId) -> R<ActivityInput> {
        let employee = match (self.byte()?, actor) {
            (0, ActorId::Employee(n)) => n.clone(),
            (0, _) => return bad("an entry's employee named as the actor, who is not an employee"),
            (1, _) => self.nip()?,
            _ => return bad("bad entry employee flag"),
        };
        Ok(ActivityInput {
            employee,
            date: self.date()?,
            start: self.time()?,
            end: self.time()?,
            task: TaskId(self.string()?),
            quantity: self.int()?,
            description: self.string()?,
            evidence: self.opt(|s| s.string())?,
        })
    }

    fn entry(&mut self, actor: &ActorId) -> R<EntryContent> {
        let id = ActivityId(self.uint()?);
        Ok(EntryContent { id, input: self.input(actor)?, standard_minutes: Minutes(self.int()?) })
    }

    /// Reads one event body (without `prev` and `hash`, which the caller sets).
    pub(crate) fn event(&mut self) -> R<Event> {
        if self.byte()? != CANONICAL_VERSION {
            return bad("unknown event encoding version");
        }
        let seq = self.uint()?;
        let actor = self.actor()?;
        let at = self.datetime()?;
        let received_at = self.opt(|s| s.datetime())?;
        let key = self.opt(|s| s.string())?;
        let kind = match self.byte()? {
            0 => EventKind::ActivityLogged(self.entry(&actor)?),
            1 => EventKind::ActivityEdited(self.entry(&actor)?),
            2 => {
                let n = self.count()?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(TransitionItem {
                        entry: ActivityId(self.uint()?),
                        role: self.opt(|s| s.role())?,
                        from: self.status()?,
                        to: self.status()?,
                        reason: self.opt(|s| s.string())?,
                        quantity: self.opt(|s| s.int())?,
                    });
                }
                EventKind::Transitions(TransitionBatch { items })
            }
            3 => EventKind::ExtraTaskRegistered(ExtraTask {
                id: TaskId(self.string()?),
                employee: self.nip()?,
                name: self.string()?,
                output_unit: self.string()?,
                standard_minutes: Minutes(self.int()?),
                from: self.date()?,
                until: self.opt(|s| s.date())?,
            }),
            4 => {
                let employee = self.nip()?;
                let at = self.datetime()?;
                let direction = self.direction()?;
                let source = match self.byte()? {
                    0 => ClockSource::Fingerprint,
                    1 => ClockSource::Face,
                    2 => ClockSource::Mobile {
                        latitude: self.decimal()?,
                        longitude: self.decimal()?,
                        accuracy_m: self
                            .opt(|s| s.uint())?
                            .map(|a| u32::try_from(a).map_err(|_| DecodeError("accuracy out of range".into())))
                            .transpose()?,
                    },
                    _ => return bad("unknown clock source"),
                };
                EventKind::ClockRecorded(ClockEvent { employee, at, direction, source })
            }
            5 => {
                let employee = self.nip()?;
                let range = DateRange { start: self.date()?, end: self.date()? };
                let code = self.byte()?;
                let code = AbsenceKind::ALL_CODES.get(usize::from(code)).copied().unwrap_or("");
                let kind = if code == "off_site_half_day" {
                    AbsenceKind::OffSiteHalfDay { replaces: self.direction()? }
                } else {
                    AbsenceKind::from_code(code).ok_or_else(|| DecodeError("unknown absence kind".into()))?
                };
                EventKind::AbsenceRecorded(Absence {
                    employee,
                    range,
                    kind,
                    evidence: self.opt(|s| s.string())?,
                    note: self.opt(|s| s.string())?,
                })
            }
            6 => {
                let date = self.date()?;
                let kind = match self.byte()? {
                    0 => RollCallKind::Morning,
                    1 => RollCallKind::Afternoon,
                    2 => RollCallKind::Ceremony,
                    _ => return bad("unknown roll-call kind"),
                };
                let n = self.count()?;
                let mut attended = Vec::with_capacity(n);
                for _ in 0..n {
                    attended.push(self.nip()?);
                }
                let n = self.count()?;
                let mut absent = Vec::with_capacity(n);
                for _ in 0..n {
                    absent.push(self.nip()?);
                }
                EventKind::RollCallRecorded(RollCallList { date, kind, attended, absent })
            }
            7 => EventKind::CeremonyDeclared(Ceremony { date: self.date()?, name: self.string()? }),
            8 => EventKind::MonthClosed,
            9 => EventKind::MonthReopened(Reopening { reason: self.string()? }),
            _ => return bad("unknown event type"),
        };
        Ok(Event { seq, prev: Hash::default(), hash: Hash::default(), actor, at, received_at, key, kind })
    }
}
