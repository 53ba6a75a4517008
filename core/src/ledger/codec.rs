//! Binary encodings of journal events: the **canonical** bytes that are hashed,
//! and the **compact** form stored in `.kjb` journals.
//!
//! Both are written by the same walk over an event ([`put_event`]) into a
//! [`Sink`]; they differ only in how each primitive is written:
//!
//! | primitive | canonical ([`CanonSink`] with [`V2`]) | compact ([`CompactSink`]) |
//! |---|---|---|
//! | unsigned / signed integer | LEB128 varint / zigzag varint | the same |
//! | text | varint byte length + UTF-8 | interned: varint index, first use followed by length + bytes |
//! | date | zigzag varint days from 0001-01-01 (day 1) | zigzag varint days from the month's first day |
//! | time of day | varint seconds + varint nanoseconds | varint `seconds * 2 + has_nanos` [+ varint nanos] |
//! | date and time | date + time | zigzag varint delta from the previous date-time in the stream (x2 + has_nanos) [+ nanos] |
//! | decimal | 16 bytes (`rust_decimal` serialisation: flags, scale, mantissa) | zigzag varint mantissa + scale byte |
//! | sequence number | varint | varint |
//!
//! That table is version 2's canonical form. Version 3 ([`V3`]) hashes a
//! short form instead, so that an activity log with its previous hash fits in two
//! SHA-256 blocks (at most 119 bytes):
//!
//! | primitive | canonical, version 3 |
//! |---|---|
//! | NIP | its 18 digits as a number, 8 bytes little-endian |
//! | text of at most 16 bytes | one byte length + UTF-8 |
//! | longer text | byte `0x11`, then the first 16 bytes of the text's SHA-256 |
//! | date | zigzag varint days from 2020-01-01 |
//! | time of day | varint `seconds * 2 + has_nanos` [+ varint nanos] |
//! | date and time | zigzag varint seconds from 2020-01-01T00:00:00, `* 2 + has_nanos` [+ varint nanos] |
//! | decimal | zigzag varint mantissa + scale byte |
//! | an entry's employee | `00` when it is the event's actor, else `01` + NIP |
//!
//! Every version 3 event's canonical bytes depend on that event alone (no state
//! carried from one event to the next), so any event's hash can be recomputed
//! on its own, from either file form.
//!
//! The layout of each event is in `docs/journal.md`.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use rust_decimal::Decimal;

use crate::access::{ActorId, DeviceId, OfficialId};
use crate::activity::{ActivityInput, VerificationStatus};
use crate::attendance::{Absence, AbsenceKind, ClockDirection, ClockSource};
use crate::geo::GeoVerdict;
use crate::ids::TaskId;
use crate::minutes::Minutes;
use crate::month::{DateRange, YearMonth};
use crate::org::{Nip, VerifierRole};
use crate::rollcall::{Ceremony, RollCallKind};

use super::event::{EntryContent, Event, EventKind, ExtraTask, Hash, Reopening, RollCallList};
use super::record::{Actor, Body, Clock, Entry, Item, Record, Stamp, Tod};

/// The version byte that starts an event's canonical bytes, as this library
/// writes them (the journal version: see [`JOURNAL_VERSION`](super::JOURNAL_VERSION)).
pub const CANONICAL_VERSION: u8 = 3;

/// The canonical version of version 2 journals (still read and verified).
pub const CANONICAL_V2: u8 = 2;

/// Days from 0001-01-01 (day 1) to 2020-01-01: where version 3's dates count from.
const V3_EPOCH_DAY: i64 = 737_425;
/// Seconds from 1970-01-01 to 2020-01-01: where version 3's date-times count from.
const V3_EPOCH_SECS: i64 = 1_577_836_800;
/// The longest text version 3 writes in full; a longer one is written as its digest.
const V3_INLINE_TEXT: usize = 16;
/// The byte that marks a text written as its digest in version 3.
const V3_DIGEST_MARK: u8 = 17;

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
    /// A logged entry's id: the canonical form writes it; the compact form writes
    /// only a flag when it is the next number (as the ledger gives them).
    fn logged_id(&mut self, id: u64) {
        self.uint(id);
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

/// A NIP's 18 digits as a number (below 10^18, so it fits in 60 bits).
pub(crate) fn nip_value(digits: &[u8]) -> u64 {
    digits.iter().fold(0u64, |acc, d| acc.wrapping_mul(10).wrapping_add(u64::from(d.wrapping_sub(b'0'))))
}

/// Where canonical bytes are written: a vector (an event encoded whole, by
/// [`CanonSink`]) or the compact reader's [`CanonBuf`] (written as it decodes).
pub(crate) trait CanonOut {
    fn push(&mut self, b: u8);
    fn slice(&mut self, s: &[u8]);
    fn varint(&mut self, v: u64);
    fn varint128(&mut self, v: u128);
}

impl CanonOut for Vec<u8> {
    fn push(&mut self, b: u8) {
        Vec::push(self, b);
    }
    fn slice(&mut self, s: &[u8]) {
        self.extend_from_slice(s);
    }
    fn varint(&mut self, v: u64) {
        put_varint(self, u128::from(v));
    }
    fn varint128(&mut self, v: u128) {
        put_varint(self, v);
    }
}

/// What differs between the canonical forms of version 2 ([`V2`]) and version 3
/// ([`V3`]): how texts, NIPs, dates, times and decimals are written, and whether an
/// entry's employee who is the actor is written as a flag. Everything else
/// (integers, tags, options, lists) is common ([`CanonSink`]); the compact reader
/// writes the same forms from the values it decodes.
pub(crate) trait CanonForm {
    /// Whether an entry's employee is `00` when it is the actor, else `01` + NIP
    /// (version 3), rather than the NIP always (version 2).
    const EMPLOYEE_FLAG: bool;
    /// A text.
    fn text<O: CanonOut>(out: &mut O, s: &str);
    /// A NIP, from its 18 digits.
    fn nip<O: CanonOut>(out: &mut O, digits: &[u8]);
    /// A date, by its day number from 0001-01-01 (day 1).
    fn day<O: CanonOut>(out: &mut O, day: i64);
    /// A time of day: seconds since midnight and nanoseconds.
    fn tod<O: CanonOut>(out: &mut O, secs: u32, nanos: u32);
    /// A date and time: its day number, seconds since midnight and nanoseconds.
    fn stamp<O: CanonOut>(out: &mut O, day: i64, secs: u32, nanos: u32);
    /// An exact decimal.
    fn decimal<O: CanonOut>(out: &mut O, d: Decimal);
}

/// Version 2's canonical form: texts and NIPs as length + UTF-8, dates as day
/// numbers from 0001-01-01, times as seconds and nanoseconds, decimals as their
/// 16-byte serialisation.
pub(crate) struct V2;

impl CanonForm for V2 {
    const EMPLOYEE_FLAG: bool = false;
    fn text<O: CanonOut>(out: &mut O, s: &str) {
        out.varint(s.len() as u64);
        out.slice(s.as_bytes());
    }
    fn nip<O: CanonOut>(out: &mut O, digits: &[u8]) {
        out.varint(digits.len() as u64);
        out.slice(digits);
    }
    fn day<O: CanonOut>(out: &mut O, day: i64) {
        out.varint128(zigzag(i128::from(day)));
    }
    fn tod<O: CanonOut>(out: &mut O, secs: u32, nanos: u32) {
        out.varint(u64::from(secs));
        out.varint(u64::from(nanos));
    }
    fn stamp<O: CanonOut>(out: &mut O, day: i64, secs: u32, nanos: u32) {
        V2::day(out, day);
        V2::tod(out, secs, nanos);
    }
    fn decimal<O: CanonOut>(out: &mut O, d: Decimal) {
        out.slice(&d.serialize());
    }
}

/// Version 3's canonical form (what a version 3 journal hashes): short and
/// stateless (see the [module docs](self)).
pub(crate) struct V3;

impl CanonForm for V3 {
    const EMPLOYEE_FLAG: bool = true;
    /// One byte length and the bytes for a text of at most [`V3_INLINE_TEXT`]
    /// bytes, else [`V3_DIGEST_MARK`] and the first 16 bytes of its SHA-256.
    fn text<O: CanonOut>(out: &mut O, s: &str) {
        if s.len() <= V3_INLINE_TEXT {
            out.push(s.len() as u8);
            out.slice(s.as_bytes());
        } else {
            use sha2::{Digest, Sha256};
            let d: [u8; 32] = Sha256::digest(s.as_bytes()).into();
            out.push(V3_DIGEST_MARK);
            out.slice(&d[..16]);
        }
    }
    fn nip<O: CanonOut>(out: &mut O, digits: &[u8]) {
        out.slice(&nip_value(digits).to_le_bytes());
    }
    fn day<O: CanonOut>(out: &mut O, day: i64) {
        out.varint128(zigzag(i128::from(day) - i128::from(V3_EPOCH_DAY)));
    }
    fn tod<O: CanonOut>(out: &mut O, secs: u32, nanos: u32) {
        out.varint(u64::from(secs) * 2 + u64::from(nanos != 0));
        if nanos != 0 {
            out.varint(u64::from(nanos));
        }
    }
    fn stamp<O: CanonOut>(out: &mut O, day: i64, secs: u32, nanos: u32) {
        let s = (i128::from(day) - i128::from(UNIX_EPOCH_DAY)) * 86_400 + i128::from(secs) - i128::from(V3_EPOCH_SECS);
        out.varint128(zigzag(s) * 2 + u128::from(nanos != 0));
        if nanos != 0 {
            out.varint(u64::from(nanos));
        }
    }
    fn decimal<O: CanonOut>(out: &mut O, d: Decimal) {
        out.varint128(zigzag(d.mantissa()));
        out.push(d.scale() as u8);
    }
}

/// The canonical encoding (what is hashed) in form `F` ([`V2`] or [`V3`]).
pub(crate) struct CanonSink<'a, F> {
    pub out: &'a mut Vec<u8>,
    form: std::marker::PhantomData<F>,
}

impl<'a, F: CanonForm> CanonSink<'a, F> {
    /// A sink appending to `out`.
    pub(crate) fn new(out: &'a mut Vec<u8>) -> Self {
        CanonSink { out, form: std::marker::PhantomData }
    }
}

impl<F: CanonForm> Sink for CanonSink<'_, F> {
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
        F::text(self.out, s);
    }
    fn date(&mut self, d: NaiveDate) {
        F::day(self.out, i64::from(d.num_days_from_ce()));
    }
    fn time(&mut self, t: NaiveTime) {
        F::tod(self.out, t.num_seconds_from_midnight(), t.nanosecond());
    }
    fn datetime(&mut self, t: NaiveDateTime) {
        F::stamp(self.out, i64::from(t.date().num_days_from_ce()), t.num_seconds_from_midnight(), t.nanosecond());
    }
    fn decimal(&mut self, d: Decimal) {
        F::decimal(self.out, d);
    }
    fn seq(&mut self, seq: u64) {
        self.uint(seq);
    }
    fn count(&mut self, n: usize) {
        put_varint(self.out, n as u128);
    }
    fn nip(&mut self, n: &Nip) {
        F::nip(self.out, n.digits());
    }
    fn entry_employee(&mut self, actor: &ActorId, n: &Nip) {
        if F::EMPLOYEE_FLAG {
            if actor.is(n) {
                self.out.push(0);
                return;
            }
            self.out.push(1);
        }
        self.nip(n);
    }
}

/// The compact encoding's running state, shared by writer and reader.
#[derive(Clone, Debug)]
pub(crate) struct CompactState {
    base_days: i64,
    /// The previous date-time in the stream, as seconds since 1970 (what
    /// `and_utc().timestamp()` gives).
    last_secs: i64,
    next_entry: u64,
    /// The dates around the month, from [`DATES_BEFORE`] days before its first day
    /// (a reader's; empty for a writer).
    dates: Vec<NaiveDate>,
}

/// Days from 0001-01-01 (day 1) to 1970-01-01.
const UNIX_EPOCH_DAY: i64 = 719_163;

/// How far before the month's first day a reader's table of dates starts...
const DATES_BEFORE: i64 = 62;
/// ... and how many days it holds.
const DATES: usize = 186;

impl CompactState {
    /// The date of a day number from 0001-01-01 (day 1), when there is one.
    #[inline]
    pub(crate) fn date_of_day(&self, day: i64) -> Option<NaiveDate> {
        self.date(day.checked_sub(self.base_days)?).map(|(d, _)| d)
    }

    pub(crate) fn new(month: YearMonth) -> CompactState {
        let base_days = i64::from(month.first_day().num_days_from_ce());
        CompactState { base_days, last_secs: (base_days - UNIX_EPOCH_DAY) * 86_400, next_entry: 1, dates: Vec::new() }
    }

    /// A reader's state: with a table of the dates around the month.
    pub(crate) fn for_reading(month: YearMonth) -> CompactState {
        let mut state = CompactState::new(month);
        let first = month.first_day() - chrono::Duration::days(DATES_BEFORE);
        state.dates = first.iter_days().take(DATES).collect();
        state
    }

    /// The date `delta` days from the month's first day, and its day number
    /// from 0001-01-01 (day 1); `None` when there is no such date.
    #[inline]
    fn date(&self, delta: i64) -> Option<(NaiveDate, i64)> {
        let days = self.base_days.checked_add(delta)?;
        if let Some(&d) =
            delta.checked_add(DATES_BEFORE).and_then(|i| usize::try_from(i).ok()).and_then(|i| self.dates.get(i))
        {
            return Some((d, days));
        }
        let d = i32::try_from(days).ok().and_then(NaiveDate::from_num_days_from_ce_opt)?;
        Some((d, days))
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
        let now = t.and_utc().timestamp();
        let secs = now - self.state.last_secs;
        let nanos = t.nanosecond();
        put_varint(self.out, zigzag(i128::from(secs)) * 2 + u128::from(nanos != 0));
        if nanos != 0 {
            put_varint(self.out, u128::from(nanos));
        }
        self.state.last_secs = now;
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
    fn logged_id(&mut self, id: u64) {
        if id == self.state.next_entry {
            self.out.push(0);
        } else {
            self.out.push(1);
            self.uint(id);
        }
        self.state.next_entry = id.saturating_add(1);
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

fn put_entry<S: Sink>(s: &mut S, actor: &ActorId, e: &EntryContent, logged: bool) {
    if logged {
        s.logged_id(e.id.0);
    } else {
        s.uint(e.id.0);
    }
    put_input(s, actor, &e.input);
    s.int(e.standard_minutes.get());
}

/// Writes an event (without `prev` and `hash`) into a sink, starting with the
/// canonical `version` byte of its journal.
pub(crate) fn put_event<S: Sink>(s: &mut S, e: &Event, version: u8) {
    s.u8(version);
    s.seq(e.seq);
    put_actor(s, &e.actor);
    s.datetime(e.at);
    s.opt(e.received_at.as_ref(), |s, t| s.datetime(*t));
    s.opt(e.key.as_ref(), |s, k| s.str(k));
    s.u8(e.kind.tag());
    match &e.kind {
        EventKind::ActivityLogged(c) => put_entry(s, &e.actor, c, true),
        EventKind::ActivityEdited(c) => put_entry(s, &e.actor, c, false),
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
                ClockSource::MobileWithoutPosition => s.u8(3),
            }
            // Written only when present, last in the event: an event without a
            // verdict (every event recorded before geofencing) keeps its bytes and
            // so its hash.
            if let Some(g) = &c.geofence {
                s.u8(1);
                s.opt(g.site.as_ref(), |s, site| s.str(site));
                match g.verdict {
                    GeoVerdict::Inside { distance_m } => {
                        s.u8(0);
                        s.uint(u64::from(distance_m));
                    }
                    GeoVerdict::Outside { distance_m, beyond_m } => {
                        s.u8(1);
                        s.uint(u64::from(distance_m));
                        s.uint(u64::from(beyond_m));
                    }
                    GeoVerdict::NoPosition => s.u8(2),
                }
                s.u8(u8::from(g.flagged));
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

/// What the compact reader's steps return: the error boxed, so that a step's
/// result (a byte, a number, an index) comes back in registers rather than
/// through memory (a `String` would make every result 24 bytes or more).
type R<T> = Result<T, Box<DecodeError>>;

fn bad<T>(what: &str) -> R<T> {
    Err(Box::new(DecodeError(what.to_string())))
}

/// Bytes kept writable past what a [`CanonBuf`] holds, and readable past the
/// texts of an [`Interned`] table: short copies then move whole [`CHUNK`]s, and
/// SHA-256's padding (at most 72 bytes) fits without growing.
const SLACK: usize = 80;
/// What a short copy moves at a time.
const CHUNK: usize = 32;

/// The bytes an event's hash is computed over: the previous hash, then the
/// event's canonical bytes (the layout of [`CanonSink`]), written by the compact
/// reader as it decodes. A cursor into a buffer kept [`SLACK`] bytes longer than
/// what is written.
#[derive(Debug)]
pub(crate) struct CanonBuf {
    buf: Vec<u8>,
    len: usize,
}

impl CanonBuf {
    pub(crate) fn new() -> CanonBuf {
        CanonBuf { buf: vec![0; 512], len: 0 }
    }

    /// Starts an event that follows the event with hash `prev`.
    pub(crate) fn start(&mut self, prev: &Hash) {
        self.len = 0;
        self.room(32);
        self.buf[..32].copy_from_slice(&prev.0);
        self.len = 32;
    }

    /// Replaces the previous hash of the event written (to hash its canonical
    /// bytes after another event).
    pub(crate) fn restart(&mut self, prev: &Hash) {
        self.buf[..32].copy_from_slice(&prev.0);
    }

    #[inline(always)]
    fn room(&mut self, n: usize) {
        if self.len + n + SLACK > self.buf.len() {
            self.grow(n);
        }
    }

    #[cold]
    fn grow(&mut self, n: usize) {
        let want = (self.len + n + SLACK).next_power_of_two();
        self.buf.resize(want, 0);
    }

    #[inline(always)]
    fn push(&mut self, b: u8) {
        self.room(1);
        self.buf[self.len] = b;
        self.len += 1;
    }

    #[inline(always)]
    fn varint(&mut self, mut v: u64) {
        self.room(10);
        while v >= 0x80 {
            self.buf[self.len] = (v as u8) | 0x80;
            self.len += 1;
            v >>= 7;
        }
        self.buf[self.len] = v as u8;
        self.len += 1;
    }

    /// A varint of up to 128 bits; one that fits in 64 (every date and time a
    /// month has) is written in 64-bit steps.
    #[inline]
    fn varint128(&mut self, mut v: u128) {
        if let Ok(v) = u64::try_from(v) {
            self.varint(v);
            return;
        }
        self.room(19);
        while v >= 0x80 {
            self.buf[self.len] = (v as u8) | 0x80;
            self.len += 1;
            v >>= 7;
        }
        self.buf[self.len] = v as u8;
        self.len += 1;
    }

    fn slice(&mut self, s: &[u8]) {
        self.room(s.len());
        self.buf[self.len..self.len + s.len()].copy_from_slice(s);
        self.len += s.len();
    }

    /// Copies the first `n` bytes of `src` (all `N` are moved: one fixed copy).
    #[inline]
    fn copy_fixed<const N: usize>(&mut self, src: &[u8; N], n: usize) {
        self.room(N);
        self.buf[self.len..self.len + N].copy_from_slice(src);
        self.len += n.min(N);
    }

    /// Copies `src[at..at + n]`; `src` must have [`CHUNK`] readable bytes past
    /// `at + n` (an [`Interned`] table's texts do).
    #[inline]
    fn copy_padded(&mut self, src: &[u8], at: usize, n: usize) {
        self.room(n);
        let mut i = 0;
        while i < n {
            let (d, s) = (self.len + i, at + i);
            self.buf[d..d + CHUNK].copy_from_slice(&src[s..s + CHUNK]);
            i += CHUNK;
        }
        self.len += n;
    }

    /// SHA-256 of what was written since [`CanonBuf::start`] (previous hash and
    /// canonical bytes): the event's hash.
    pub(crate) fn hash(&mut self) -> Hash {
        self.room(SLACK);
        super::event::sha256_padded(&mut self.buf, self.len)
    }
}

impl CanonOut for CanonBuf {
    #[inline]
    fn push(&mut self, b: u8) {
        CanonBuf::push(self, b);
    }
    #[inline]
    fn slice(&mut self, s: &[u8]) {
        CanonBuf::slice(self, s);
    }
    #[inline]
    fn varint(&mut self, v: u64) {
        CanonBuf::varint(self, v);
    }
    #[inline]
    fn varint128(&mut self, v: u128) {
        CanonBuf::varint128(self, v);
    }
}

/// The texts a compact stream interned, as the reader keeps them. What every
/// use of a text reads (where its canonical form is) is kept apart, dense, from
/// what only some uses need.
#[derive(Debug)]
pub(crate) struct Interned {
    /// Each text's canonical form (varint length, then the bytes), one after
    /// another, followed by [`SLACK`] zero bytes.
    canon: Vec<u8>,
    /// Where each text's canonical form is in `canon`, and its length.
    spans: Vec<(usize, usize)>,
    texts: Vec<std::sync::Arc<str>>,
    /// The NIP each text was read as, once it was.
    nips: Vec<Option<Nip>>,
    /// Version 3 only: each text's canonical forms in one fixed slot (see [`V3Slot`]),
    /// copied whole and advanced by their length.
    slots: Vec<V3Slot>,
    /// Whether the canonical forms are version 3's (else version 2's).
    v3: bool,
    /// Which kinds of actor id each text was found valid as ([`OFFICIAL`], [`DEVICE`]).
    valid: Vec<u8>,
}

/// What every use of a text reads, in version 3, in one cache line: its canonical
/// form as a text (at most 17 bytes: a length byte and up to 16 bytes, or the
/// digest mark and 16 bytes), the value of the NIP it was read as (its canonical
/// form, little-endian; 0 until it was) and that NIP, and the shared text. A text
/// used again costs one cache miss, when the chain reads it and when the replay
/// builds from it. (Measured against 32-byte slots holding only what the chain
/// reads, with the shared text and NIP apart: the chain alone gained ~5 %, the
/// replay lost more, a second miss per text.)
#[derive(Clone, Debug)]
#[repr(C, align(64))]
struct V3Slot {
    shared: std::sync::Arc<str>,
    nip: u64,
    text: [u8; 17],
    nip_parsed: Option<Nip>,
}

impl V3Slot {
    /// The length of the canonical form: a length byte and the text, or the
    /// digest mark and 16 bytes.
    #[inline]
    fn text_len(&self) -> usize {
        let b = usize::from(self.text[0]);
        if b <= V3_INLINE_TEXT { b + 1 } else { 1 + 16 }
    }
}

const OFFICIAL: u8 = 1;
const DEVICE: u8 = 2;

impl Interned {
    /// An empty table whose texts' canonical forms are those of `version` (2 or 3).
    pub(crate) fn new(version: u8) -> Interned {
        Interned {
            canon: vec![0; SLACK],
            spans: Vec::new(),
            texts: Vec::new(),
            nips: Vec::new(),
            slots: Vec::new(),
            v3: version >= 3,
            valid: Vec::new(),
        }
    }

    /// Whether the canonical forms are version 3's.
    pub(crate) fn is_v3(&self) -> bool {
        self.v3
    }

    /// Text `i` (an index the reader gave).
    pub(crate) fn text(&self, i: usize) -> &str {
        self.texts.get(i).map_or("", |t| t)
    }

    /// Text `i`, shared (no copy).
    pub(crate) fn shared(&self, i: usize) -> std::sync::Arc<str> {
        match self.slots.get(i) {
            Some(slot) => slot.shared.clone(),
            None => self.texts.get(i).cloned().unwrap_or_else(|| "".into()),
        }
    }

    /// The NIP text `i` was read as, once it was.
    pub(crate) fn nip_of(&self, i: usize) -> Option<Nip> {
        match self.slots.get(i) {
            Some(slot) => slot.nip_parsed.clone(),
            None => self.nips.get(i).cloned().flatten(),
        }
    }

    fn push(&mut self, text: &str) {
        let at = self.canon.len() - SLACK;
        self.canon.truncate(at);
        if self.v3 {
            V3::text(&mut self.canon, text);
            let mut slot = V3Slot { shared: text.into(), nip: 0, text: [0; 17], nip_parsed: None };
            let form = &self.canon[at..];
            slot.text[..form.len()].copy_from_slice(form);
            self.slots.push(slot);
        } else {
            put_varint(&mut self.canon, text.len() as u128);
            self.canon.extend_from_slice(text.as_bytes());
        }
        let len = self.canon.len() - at;
        self.canon.resize(self.canon.len() + SLACK, 0);
        self.spans.push((at, len));
        match self.slots.last() {
            Some(slot) if self.v3 => self.texts.push(slot.shared.clone()),
            _ => self.texts.push(text.into()),
        }
        self.nips.push(None);
        self.valid.push(0);
    }
}

/// Reads compact records into a [`Record`]. Interned texts (and the NIPs and
/// actors parsed from them) are kept for the whole stream. As it reads an event it
/// writes the event's canonical bytes into `canon` (the same layout as
/// [`CanonSink`]), so the hash is computed without encoding the event a second
/// time, and without building the public event.
pub(crate) struct CompactSource<'b> {
    pub buf: &'b [u8],
    pub pos: usize,
    /// Whether the canonical bytes written are version 3's (else version 2's).
    pub v3: bool,
    pub texts: &'b mut Interned,
    pub state: &'b mut CompactState,
    pub canon: &'b mut CanonBuf,
}

/// `zigzag` of a value that fits in 64 bits.
fn zigzag64(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

// The small steps (a byte, a tag, a varint, an option) are `#[inline(always)]`:
// with `#[inline]` the compiler kept several out of line, a call for each field of
// a million events (measured: the chain alone ~3 % faster inlined).
impl CompactSource<'_> {
    /// A byte of the compact form only (a flag the canonical form does not have).
    #[inline(always)]
    fn byte(&mut self) -> R<u8> {
        match self.buf.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => bad("record ends early"),
        }
    }

    /// A byte both forms have (a tag, an option flag, an enumeration).
    #[inline(always)]
    fn tag(&mut self) -> R<u8> {
        let b = self.byte()?;
        self.canon.push(b);
        Ok(b)
    }

    /// A varint of up to 128 bits; the usual short ones are read in 64 bits.
    #[inline(always)]
    fn varint(&mut self) -> R<u128> {
        // Most varints are one byte, many two (a text's index, a time's delta) or
        // three (a time of day, an event's number).
        let p = self.pos;
        if let Some(&b) = self.buf.get(p) {
            if b < 0x80 {
                self.pos = p + 1;
                return Ok(u128::from(b));
            }
            if let Some(&c) = self.buf.get(p + 1)
                && c < 0x80
            {
                self.pos = p + 2;
                return Ok(u128::from(b & 0x7f) | u128::from(c) << 7);
            }
            if let Some(&[c, d]) = self.buf.get(p + 1..p + 3)
                && d < 0x80
            {
                self.pos = p + 3;
                return Ok(u128::from(b & 0x7f) | u128::from(c & 0x7f) << 7 | u128::from(d) << 14);
            }
        }
        self.varint_multi()
    }

    fn varint_multi(&mut self) -> R<u128> {
        let start = self.pos;
        // Nine bytes at hand (63 bits): read without a check per byte.
        if let Some(w) = self.buf.get(start..start + 9) {
            let mut v: u64 = 0;
            for (k, &b) in w.iter().enumerate() {
                v |= u64::from(b & 0x7f) << (7 * k);
                if b & 0x80 == 0 {
                    self.pos = start + k + 1;
                    return Ok(u128::from(v));
                }
            }
            return self.long_varint();
        }
        let mut v: u64 = 0;
        for shift in (0..63).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(u128::from(v));
            }
        }
        self.pos = start;
        self.long_varint()
    }

    #[cold]
    fn long_varint(&mut self) -> R<u128> {
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

    #[inline(always)]
    fn raw_uint(&mut self) -> R<u64> {
        u64::try_from(self.varint()?).or_else(|_| bad("number too large"))
    }

    #[inline(always)]
    fn uint(&mut self) -> R<u64> {
        let v = self.raw_uint()?;
        self.canon.varint(v);
        Ok(v)
    }

    #[inline(always)]
    fn int(&mut self) -> R<i64> {
        let v = i64::try_from(unzigzag(self.varint()?)).map_err(|_| DecodeError("number too large".into()))?;
        self.canon.varint(zigzag64(v));
        Ok(v)
    }

    fn count(&mut self) -> R<usize> {
        let n = self.uint()?;
        // Every item takes at least one byte: a count beyond the record is corrupt.
        if n > (self.buf.len() - self.pos) as u64 {
            return bad("count beyond the record");
        }
        Ok(n as usize)
    }

    /// Reads a text's index (and its definition, at its first use) without
    /// writing its canonical form.
    fn text_index(&mut self) -> R<usize> {
        let i = self.raw_uint()?;
        let n = self.texts.spans.len() as u64;
        let i = if i < n {
            i as usize
        } else {
            if i != n {
                return bad("text index out of order");
            }
            if i >= u64::from(u32::MAX) {
                return bad("too many texts");
            }
            let len = self.raw_uint()? as usize;
            let end = self.pos.checked_add(len).filter(|&e| e <= self.buf.len());
            let Some(end) = end else { return bad("text runs past the record") };
            let text =
                std::str::from_utf8(&self.buf[self.pos..end]).map_err(|_| DecodeError("text is not UTF-8".into()))?;
            self.texts.push(text);
            self.pos = end;
            i as usize
        };
        Ok(i)
    }

    /// Reads a text's index and writes its canonical form.
    fn string_index(&mut self) -> R<usize> {
        let i = self.text_index()?;
        if self.v3 {
            let slot = &self.texts.slots[i];
            self.canon.copy_fixed(&slot.text, slot.text_len());
        } else {
            let (at, len) = self.texts.spans[i];
            self.canon.copy_padded(&self.texts.canon, at, len);
        }
        Ok(i)
    }

    fn string(&mut self) -> R<String> {
        let i = self.string_index()?;
        Ok(self.texts.texts[i].to_string())
    }

    /// Reads a NIP's text index (parsing the text as a NIP at its first use as
    /// one) and writes the NIP's canonical form.
    fn nip_index(&mut self) -> R<u32> {
        if !self.v3 {
            let i = self.string_index()?;
            self.nip_at(i)?;
            return Ok(i as u32);
        }
        let i = self.text_index()?;
        // A NIP's value is never 0 (its birth date has a month and a day).
        let mut v = self.texts.slots.get(i).map_or(0, |s| s.nip);
        if v == 0 {
            let n = self.nip_at(i)?;
            v = nip_value(n.digits());
            if let Some(slot) = self.texts.slots.get_mut(i) {
                slot.nip = v;
                slot.nip_parsed = Some(n);
            }
        }
        self.canon.copy_fixed(&v.to_le_bytes(), 8);
        Ok(i as u32)
    }

    fn nip(&mut self) -> R<Nip> {
        let i = self.nip_index()?;
        self.texts.nip_of(i as usize).map_or_else(|| bad("a NIP that was not read as one"), Ok)
    }

    /// The NIP text `i` names (parsed at its first use as one).
    #[inline]
    fn nip_at(&mut self, i: usize) -> R<Nip> {
        if let Some(n) = &self.texts.nips[i] {
            return Ok(n.clone());
        }
        let n = Nip::parse(&self.texts.texts[i]).map_err(|e| DecodeError(e.to_string()))?;
        self.texts.nips[i] = Some(n.clone());
        Ok(n)
    }

    /// A date as its day number from 0001-01-01 (day 1), checked to be a date.
    #[inline]
    fn day(&mut self) -> R<i64> {
        let (_, days) = match i64::try_from(unzigzag(self.varint()?)) {
            Ok(delta) => self.state.date(delta),
            Err(_) => None,
        }
        .ok_or_else(|| DecodeError("date out of range".into()))?;
        if self.v3 {
            V3::day(self.canon, days);
        } else {
            V2::day(self.canon, days);
        }
        Ok(days)
    }

    fn date(&mut self) -> R<NaiveDate> {
        let days = self.day()?;
        self.state.date_of_day(days).map_or_else(|| bad("date out of range"), Ok)
    }

    /// A time of day, checked to be one.
    #[inline]
    fn tod(&mut self) -> R<Tod> {
        let v = self.varint()?;
        let nanos = if v & 1 == 1 { self.raw_uint()? as u32 } else { 0 };
        let secs = u32::try_from(v >> 1).map_err(|_| DecodeError("time out of range".into()))?;
        if (nanos != 0 || secs >= 86_400) && NaiveTime::from_num_seconds_from_midnight_opt(secs, nanos).is_none() {
            return bad("time out of range");
        }
        if self.v3 {
            V3::tod(self.canon, secs, nanos);
        } else {
            V2::tod(self.canon, secs, nanos);
        }
        Ok(Tod { secs, nanos })
    }

    /// A date and time (a delta from the previous one in the stream), checked.
    #[inline]
    fn stamp(&mut self) -> R<Stamp> {
        let v = self.varint()?;
        let delta = i64::try_from(unzigzag(v >> 1)).map_err(|_| DecodeError("time out of range".into()))?;
        let nanos = if v & 1 == 1 { self.raw_uint()? as u32 } else { 0 };
        // What `DateTime::from_timestamp` does, with the month's days from a table.
        let out = self.state.last_secs.checked_add(delta).and_then(|s| {
            let day = s.div_euclid(86_400) + UNIX_EPOCH_DAY;
            let secs = s.rem_euclid(86_400) as u32;
            self.state.date(day - self.state.base_days)?;
            if nanos != 0 {
                NaiveTime::from_num_seconds_from_midnight_opt(secs, nanos)?;
            }
            Some((s, Stamp { day, secs, nanos }))
        });
        let Some((s, stamp)) = out else { return bad("time out of range") };
        self.state.last_secs = s;
        if self.v3 {
            V3::stamp(self.canon, stamp.day, stamp.secs, nanos);
        } else {
            V2::stamp(self.canon, stamp.day, stamp.secs, nanos);
        }
        Ok(stamp)
    }

    fn decimal(&mut self) -> R<Decimal> {
        let m = unzigzag(self.varint()?);
        let scale = u32::from(self.byte()?);
        let d = Decimal::try_from_i128_with_scale(m, scale).map_err(|_| DecodeError("decimal out of range".into()))?;
        if self.v3 {
            V3::decimal(self.canon, d);
        } else {
            V2::decimal(self.canon, d);
        }
        Ok(d)
    }

    #[inline(always)]
    fn opt<T>(&mut self, f: impl FnOnce(&mut Self) -> R<T>) -> R<Option<T>> {
        match self.tag()? {
            0 => Ok(None),
            1 => f(self).map(Some),
            _ => bad("option flag is neither 0 nor 1"),
        }
    }

    /// A text's index as a record holds it.
    #[inline(always)]
    fn text_handle(&mut self) -> R<u32> {
        self.string_index().map(|i| i as u32)
    }

    /// Reads the actor: its kind and the text naming them, checked once for each
    /// text as the kind of id it names.
    fn actor(&mut self) -> R<Actor> {
        let kind = self.tag()?;
        if kind == 0 {
            return Ok(Actor::Employee(self.nip_index()?));
        }
        if kind > 2 {
            return bad("unknown actor kind");
        }
        let i = self.string_index()?;
        let flag = if kind == 1 { OFFICIAL } else { DEVICE };
        if self.texts.valid[i] & flag == 0 {
            let text = &self.texts.texts[i];
            if kind == 1 {
                OfficialId::new(text).map_err(DecodeError)?;
            } else {
                DeviceId::new(text).map_err(DecodeError)?;
            }
            self.texts.valid[i] |= flag;
        }
        Ok(if kind == 1 { Actor::Official(i as u32) } else { Actor::Device(i as u32) })
    }

    fn role(&mut self) -> R<VerifierRole> {
        Ok(match self.tag()? {
            0 => VerifierRole::Definitive,
            1 => VerifierRole::Plt,
            2 => VerifierRole::Plh,
            3 => VerifierRole::Delegate,
            4 => VerifierRole::Official,
            _ => return bad("unknown verifier role"),
        })
    }

    #[inline(always)]
    fn status(&mut self) -> R<VerificationStatus> {
        Ok(match self.tag()? {
            0 => VerificationStatus::Submitted,
            1 => VerificationStatus::Approved,
            2 => VerificationStatus::Rejected,
            3 => VerificationStatus::Returned,
            _ => return bad("unknown verification status"),
        })
    }

    fn direction(&mut self) -> R<ClockDirection> {
        Ok(match self.tag()? {
            0 => ClockDirection::In,
            1 => ClockDirection::Out,
            _ => return bad("unknown clock direction"),
        })
    }

    /// A logged (`logged`) or edited entry of an event by `actor`.
    fn entry(&mut self, actor: Actor, logged: bool) -> R<Entry> {
        let id = if !logged {
            self.uint()?
        } else {
            let id = match self.byte()? {
                0 => self.state.next_entry,
                1 => self.raw_uint()?,
                _ => return bad("bad entry number flag"),
            };
            self.canon.varint(id);
            self.state.next_entry = id.saturating_add(1);
            id
        };
        let flag = self.byte()?;
        if self.v3 {
            // Version 3 hashes the flag itself (`00`: the actor; `01`: a NIP follows).
            self.canon.push(flag);
        }
        let employee = match (flag, actor) {
            (0, Actor::Employee(a)) => {
                if !self.v3 {
                    // Version 2 writes the actor's NIP again.
                    let n = self.nip_at(a as usize)?;
                    V2::nip(self.canon, n.digits());
                }
                None
            }
            (0, _) => return bad("an entry's employee named as the actor, who is not an employee"),
            (1, _) => Some(self.nip_index()?),
            _ => return bad("bad entry employee flag"),
        };
        Ok(Entry {
            id,
            employee,
            day: self.day()?,
            start: self.tod()?,
            end: self.tod()?,
            task: self.text_handle()?,
            quantity: self.int()?,
            description: self.text_handle()?,
            evidence: self.opt(|s| s.text_handle())?,
            standard_minutes: self.int()?,
        })
    }

    /// Reads one event body into `rec`, in place, writing its canonical bytes (its
    /// `prev` and `hash` are reset, for the chain to set). On an error `rec` is
    /// left partly overwritten.
    pub(crate) fn record_into(&mut self, rec: &mut Record) -> R<()> {
        let version = if self.v3 { CANONICAL_VERSION } else { CANONICAL_V2 };
        if self.tag()? != version {
            return bad("the event's encoding version is not the journal's");
        }
        rec.seq = self.uint()?;
        rec.prev = Hash::default();
        rec.hash = Hash::default();
        rec.actor = self.actor()?;
        rec.at = self.stamp()?;
        rec.received_at = self.opt(|s| s.stamp())?;
        rec.key = self.opt(|s| s.text_handle())?;
        rec.body = match self.tag()? {
            0 => Body::Logged(self.entry(rec.actor, true)?),
            1 => Body::Edited(self.entry(rec.actor, false)?),
            2 => {
                let n = self.count()?;
                rec.items.clear();
                rec.items.reserve(n);
                for _ in 0..n {
                    rec.items.push(Item {
                        entry: self.uint()?,
                        role: self.opt(|s| s.role())?,
                        from: self.status()?,
                        to: self.status()?,
                        reason: self.opt(|s| s.text_handle())?,
                        quantity: self.opt(|s| s.int())?,
                    });
                }
                Body::Transitions
            }
            3 => Body::other(EventKind::ExtraTaskRegistered(ExtraTask {
                id: TaskId({
                    let i = self.string_index()?;
                    self.texts.shared(i)
                }),
                employee: self.nip()?,
                name: self.string()?,
                output_unit: self.string()?,
                standard_minutes: Minutes(self.int()?),
                from: self.date()?,
                until: self.opt(|s| s.date())?,
            })),
            4 => {
                let employee = self.nip_index()?;
                let at = self.stamp()?;
                let direction = self.direction()?;
                let source = match self.tag()? {
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
                    3 => ClockSource::MobileWithoutPosition,
                    _ => return bad("unknown clock source"),
                };
                // The verdict is the optional tail of the record (absent in old journals).
                let geofence = if self.pos < self.buf.len() {
                    if self.tag()? != 1 {
                        return bad("unknown clock verdict marker");
                    }
                    let site = self.opt(|s| s.text_handle())?;
                    let metres = |s: &mut Self| u32::try_from(s.uint()?).or_else(|_| bad("distance out of range"));
                    let verdict = match self.tag()? {
                        0 => GeoVerdict::Inside { distance_m: metres(self)? },
                        1 => GeoVerdict::Outside { distance_m: metres(self)?, beyond_m: metres(self)? },
                        2 => GeoVerdict::NoPosition,
                        _ => return bad("unknown clock verdict"),
                    };
                    let flagged = match self.tag()? {
                        0 => false,
                        1 => true,
                        _ => return bad("flag is neither 0 nor 1"),
                    };
                    Some((site, verdict, flagged))
                } else {
                    None
                };
                Body::Clock(Clock { employee, at, direction, source, geofence })
            }
            5 => {
                let employee = self.nip()?;
                let range = DateRange { start: self.date()?, end: self.date()? };
                let code = self.tag()?;
                let code = AbsenceKind::ALL_CODES.get(usize::from(code)).copied().unwrap_or("");
                let kind = if code == "off_site_half_day" {
                    AbsenceKind::OffSiteHalfDay { replaces: self.direction()? }
                } else {
                    AbsenceKind::from_code(code).ok_or_else(|| DecodeError("unknown absence kind".into()))?
                };
                Body::other(EventKind::AbsenceRecorded(Absence {
                    employee,
                    range,
                    kind,
                    evidence: self.opt(|s| s.string())?,
                    note: self.opt(|s| s.string())?,
                }))
            }
            6 => {
                let date = self.date()?;
                let kind = match self.tag()? {
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
                Body::other(EventKind::RollCallRecorded(RollCallList { date, kind, attended, absent }))
            }
            7 => Body::other(EventKind::CeremonyDeclared(Ceremony { date: self.date()?, name: self.string()? })),
            8 => Body::other(EventKind::MonthClosed),
            9 => Body::other(EventKind::MonthReopened(Reopening { reason: self.string()? })),
            _ => return bad("unknown event type"),
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{CanonBuf, CompactSource, CompactState, Interned};
    use crate::month::YearMonth;

    /// The unsigned integers `bytes` holds, read by the compact reader (`uint`), and
    /// the canonical bytes it wrote for them; the first error ends the list.
    fn uints(bytes: &[u8]) -> (Vec<Result<u64, String>>, Vec<u8>) {
        let mut texts = Interned::new(3);
        let Some(month) = YearMonth::new(2026, 10) else { return (Vec::new(), Vec::new()) };
        let mut state = CompactState::for_reading(month);
        let mut canon = CanonBuf::new();
        let mut src =
            CompactSource { buf: bytes, pos: 0, v3: true, texts: &mut texts, state: &mut state, canon: &mut canon };
        let mut out = Vec::new();
        while src.pos < bytes.len() {
            let v = src.uint().map_err(|e| e.0);
            let stop = v.is_err();
            out.push(v);
            if stop {
                break;
            }
        }
        (out, canon.buf[..canon.len].to_vec())
    }

    #[test]
    fn varints_of_one_two_and_three_bytes_read_as_written() {
        // 5 = 0x05; 300 = 0x2c + 2 * 128: 0xac 0x02; 16,384 = 128 * 128: 0x80 0x80 0x01;
        // 86,399 * 2 = 172,798 = 126 + 69 * 128 + 10 * 16,384: 0xfe 0xc5 0x0a (a time of day).
        let (read, canon) = uints(&[0x05, 0xac, 0x02, 0x80, 0x80, 0x01, 0xfe, 0xc5, 0x0a]);
        assert_eq!(read, vec![Ok(5), Ok(300), Ok(16_384), Ok(172_798)]);
        assert_eq!(canon, vec![0x05, 0xac, 0x02, 0x80, 0x80, 0x01, 0xfe, 0xc5, 0x0a]);
    }

    #[test]
    fn a_two_byte_varint_not_in_its_shortest_form_reads_as_its_value_and_hashes_in_it() {
        // 0x80 0x00 is 0 + 0 * 128 = 0, written again in its shortest form (0x00), as
        // before the two-byte path: such a record hashes as the writer wrote it.
        let (read, canon) = uints(&[0x80, 0x00, 0x81, 0x00]);
        assert_eq!(read, vec![Ok(0), Ok(1)]);
        assert_eq!(canon, vec![0x00, 0x01]);
    }

    #[test]
    fn a_varint_cut_at_the_record_end_is_an_error() {
        let (read, _) = uints(&[0x05, 0xac]);
        assert_eq!(read, vec![Ok(5), Err("record ends early".to_string())]);
    }
}
