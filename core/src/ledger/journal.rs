//! The journal: a month's events as a tamper-evident stream, in two forms.
//!
//! * **Text** (`.jsonl`, the legal, human-readable record): a header line, then
//!   one JSON object per event, each with its `seq`, `prev` and `hash`
//!   ([`Event`]). A person can read it, `grep` it and diff it.
//! * **Compact binary** (`.kjb`, for batch work): the same events in the compact
//!   encoding of [`codec`](super::codec), each followed by the first four bytes
//!   of its hash, with the full hash every [`CHECKPOINT_EVERY`] events and at the
//!   end. About 35 bytes an event instead of 400.
//!
//! Both forms carry the same chain: converting one into the other keeps every
//! hash. The header's version (3, or 2 for a journal written before version 3)
//! says which canonical form the chain hashes; a compact record starts with it. Both are read as a **stream** ([`JournalReader`]): one record at a time,
//! never the whole file as one string, each record parsed once.
//!
//! [`verify`] checks a journal's chain without any dataset and names the first
//! event that was edited, removed, inserted, duplicated or reordered; a journal
//! whose last record was cut off by a crash is reported as **torn** and everything
//! before it is kept. Version 1 journals (one JSON document, no hashes) still load:
//! they are migrated ([`JournalHeader::migrated_from`]) and, having no chain of
//! their own, are marked unverifiable.

use std::collections::HashMap;
use std::fmt;
use std::io::{BufRead, Read, Write};

use serde::{Deserialize, Serialize};

use crate::month::YearMonth;

use super::codec::{CanonBuf, CompactSink, CompactSource, CompactState, Interned, put_event};
use super::event::{Event, Hash, Head};
use super::record::{Decoded, Record};

/// The journal format version written by this library. Version 3 differs from
/// version 2 only in the canonical bytes that are hashed (shorter: see
/// `docs/journal.md`); versions 2 and 3 are both read and verified, each
/// by its own canonical form.
pub const JOURNAL_VERSION: u32 = 3;

/// The oldest chained journal version still read and verified as it is.
pub const JOURNAL_V2: u32 = 2;

/// The canonical version byte of a journal version (2 or 3).
pub(crate) fn canonical_version(version: u32) -> u8 {
    if version == JOURNAL_V2 { super::codec::CANONICAL_V2 } else { super::codec::CANONICAL_VERSION }
}

/// How often the compact form stores a full hash (in events).
pub const CHECKPOINT_EVERY: u64 = 4096;

/// The first bytes of a compact journal.
pub const BINARY_MAGIC: &[u8; 16] = b"KINERJA-JOURNAL\0";

const RECORD_EVENT: u8 = b'E';
/// Bytes of each event's hash stored in the compact form.
const HASH_PREFIX: usize = 4;
const RECORD_CHECKPOINT: u8 = b'C';

/// The two forms of a journal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JournalFormat {
    /// Line-delimited JSON (`.jsonl`): the legal, readable record.
    Text,
    /// Compact binary (`.kjb`).
    Binary,
}

impl JournalFormat {
    /// The form a file name suggests: `.kjb` is binary, anything else text.
    pub fn for_path(path: &str) -> JournalFormat {
        if path.ends_with(".kjb") { JournalFormat::Binary } else { JournalFormat::Text }
    }
}

/// What a journal says about itself before its events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalHeader {
    /// Always `"kinerja"` in text.
    #[serde(default = "kinerja")]
    pub journal: String,
    /// Format version; see [`JOURNAL_VERSION`].
    pub version: u32,
    /// The month.
    pub month: YearMonth,
    /// Where the chain starts: the month's genesis, or the head of the snapshot
    /// this journal continues.
    pub start: Head,
    /// Set when the journal was migrated from an older version; such a journal's
    /// events carry hashes computed at migration, not when they were recorded, so
    /// nothing vouches for them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migrated_from: Option<u32>,
}

fn kinerja() -> String {
    "kinerja".to_string()
}

impl JournalHeader {
    /// The header of a new month's journal.
    pub fn new(month: YearMonth) -> JournalHeader {
        JournalHeader {
            journal: kinerja(),
            version: JOURNAL_VERSION,
            month,
            start: Head::genesis(month),
            migrated_from: None,
        }
    }

    /// True when nothing vouches for the events (a migrated v1 journal).
    pub fn is_verifiable(&self) -> bool {
        self.migrated_from.is_none()
    }
}

/// Where in a journal file something is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    /// A line of the text form (the header is line 1).
    Line(u64),
    /// A record of the compact form (the first event is record 1), and its byte offset.
    Record {
        /// The record's number.
        number: u64,
        /// Its byte offset in the file.
        offset: u64,
    },
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Line(n) => write!(f, "line {n}"),
            Position::Record { number, offset } => write!(f, "record {number} (byte {offset})"),
        }
    }
}

/// What is wrong with a journal's chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChainFault {
    /// The event's content no longer matches its hash.
    Edited,
    /// One or more events are missing before this one.
    Removed,
    /// An event claims a place another event also claims.
    Inserted,
    /// The same event appears again.
    Duplicated,
    /// An event comes after one with a higher number.
    Reordered,
    /// The event does not follow the one before it (its `prev` hash differs).
    Broken,
    /// The chain is whole but ends at another head than the one recorded apart
    /// (the events were rewritten).
    HeadMismatch,
}

impl ChainFault {
    /// The fault as snake_case text.
    pub fn as_str(self) -> &'static str {
        match self {
            ChainFault::Edited => "edited",
            ChainFault::Removed => "removed",
            ChainFault::Inserted => "inserted",
            ChainFault::Duplicated => "duplicated",
            ChainFault::Reordered => "reordered",
            ChainFault::Broken => "broken",
            ChainFault::HeadMismatch => "head_mismatch",
        }
    }
}

/// The first fault found in a chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainProblem {
    /// What is wrong.
    pub fault: ChainFault,
    /// The sequence number the event carries (for a head mismatch, the last one).
    pub seq: u64,
    /// Where it is in the file, when read from one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// For people.
    pub message: String,
}

impl fmt::Display for ChainProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some(p) => write!(f, "event {} ({p}): {} [{}]", self.seq, self.message, self.fault.as_str()),
            None => write!(f, "event {}: {} [{}]", self.seq, self.message, self.fault.as_str()),
        }
    }
}

/// A last record cut off by a crash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Torn {
    /// Where it starts.
    pub position: Position,
    /// How many bytes of it are there.
    pub bytes: u64,
    /// Why it cannot be read.
    pub message: String,
}

/// Why a journal cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum JournalError {
    /// Reading the underlying file failed.
    #[error("journal: cannot read: {message}")]
    Io {
        /// What the system said.
        message: String,
    },
    /// The data is not a Kinerja journal.
    #[error("journal: not a Kinerja journal: {message}")]
    NotAJournal {
        /// Why.
        message: String,
    },
    /// A version this library does not read.
    #[error("journal: version {found} is not supported (this library reads 1, 2 and {JOURNAL_VERSION})")]
    Version {
        /// The version found.
        found: u32,
    },
    /// A record cannot be read (and is not the torn last one).
    #[error("journal {position}: {message}")]
    Format {
        /// Where.
        position: Position,
        /// What is wrong.
        message: String,
    },
    /// The chain is broken.
    #[error("journal chain: {0}")]
    Chain(ChainProblem),
}

impl JournalError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            JournalError::Io { .. } => "io",
            JournalError::NotAJournal { .. } => "not_a_journal",
            JournalError::Version { .. } => "unsupported_version",
            JournalError::Format { .. } => "format",
            JournalError::Chain(_) => "chain",
        }
    }
}

fn io(e: std::io::Error) -> JournalError {
    JournalError::Io { message: e.to_string() }
}

// ---------------------------------------------------------------------------
// Checking a chain
// ---------------------------------------------------------------------------

/// Follows a chain event by event and names the first fault. Used by the
/// readers, by [`verify`] and by the ledger's replay.
#[derive(Clone, Debug)]
pub struct ChainCheck {
    /// The canonical version hashed (2 or 3).
    version: u8,
    start: u64,
    head: Head,
    before: Option<Head>,
    /// The first four bytes of each accepted event's hash, by number.
    seen: Vec<u32>,
    buf: Vec<u8>,
}

impl ChainCheck {
    /// A check starting at `start` (the genesis or a snapshot's head), of a
    /// journal of the current version ([`JOURNAL_VERSION`]).
    pub fn new(start: Head) -> ChainCheck {
        ChainCheck::for_version(start, JOURNAL_VERSION)
    }

    /// A check of a journal of `version` (2 or 3: the canonical form hashed).
    pub fn for_version(start: Head, version: u32) -> ChainCheck {
        ChainCheck {
            version: canonical_version(version),
            start: start.seq,
            head: start,
            before: None,
            seen: Vec::new(),
            buf: Vec::with_capacity(256),
        }
    }

    /// The head after the last event accepted.
    pub fn head(&self) -> Head {
        self.head
    }

    /// Reserves room for about `events` more events (the prefix of each event's
    /// hash is kept to recognise a duplicate): a month is not grown step by step.
    pub(crate) fn reserve(&mut self, events: usize) {
        self.seen.reserve(events);
    }

    /// Checks that `e` (with its `prev` and `hash`, as the text form stores them)
    /// continues the chain; on success it becomes the head.
    pub fn accept(&mut self, e: &Event) -> Result<(), ChainProblem> {
        let computed = e.compute_hash_in(self.version, &mut self.buf);
        self.judge(e.seq, Some(e.prev), e.hash.prefix(), computed == e.hash, computed)
    }

    /// Checks a record of the compact form, which stores only the first four
    /// bytes of each hash: `prev` is the head's hash, the hash is computed from it
    /// and the record's canonical bytes (`canon`, written while it was decoded,
    /// after the head's hash) and compared with `stored`. Sets the record's `prev`
    /// and `hash`.
    pub(crate) fn accept_compact(
        &mut self,
        e: &mut Record,
        canon: &mut CanonBuf,
        stored: [u8; 4],
    ) -> Result<(), ChainProblem> {
        e.prev = self.head.hash;
        let computed = canon.hash();
        e.hash = computed;
        // A second event with the head's number: when it hashes, after the
        // event before the head, to what it stores, the two claim one place
        // after the same event: one was inserted (the text form states `prev`; the
        // compact form leaves it implicit, so it is tried).
        let mut prev = None;
        if e.seq == self.head.seq
            && let Some(before) = self.before
        {
            canon.restart(&before.hash);
            if canon.hash().prefix() == stored {
                prev = Some(before.hash);
            }
        }
        self.judge(e.seq, prev, stored, computed.prefix() == stored, computed)
    }

    /// Classifies an event: its number, the `prev` it states (text form), the
    /// hash prefix it stores, whether its content matches its stored hash, and its
    /// hash as computed.
    fn judge(
        &mut self,
        seq: u64,
        prev: Option<Hash>,
        stored: [u8; 4],
        content_ok: bool,
        computed: Hash,
    ) -> Result<(), ChainProblem> {
        let expected = self.head.seq.saturating_add(1);
        let fault = |fault, message: String| Err(ChainProblem { fault, seq, position: None, message });
        if seq == expected {
            if !content_ok {
                return fault(ChainFault::Edited, "the event's content does not match its hash".into());
            }
            if prev.is_some_and(|p| p != self.head.hash) {
                return fault(
                    ChainFault::Broken,
                    format!("event {seq} does not follow event {}: its `prev` hash differs", self.head.seq),
                );
            }
            self.seen.push(u32::from_le_bytes(computed.prefix()));
            self.before = Some(self.head);
            self.head = Head { seq, hash: computed };
            return Ok(());
        }
        if seq <= self.head.seq {
            let earlier =
                seq.checked_sub(self.start + 1).and_then(|i| self.seen.get(usize::try_from(i).ok()?)).copied();
            if earlier == Some(u32::from_le_bytes(stored)) {
                return fault(ChainFault::Duplicated, format!("event {seq} appears again"));
            }
            if seq == self.head.seq && prev.is_some_and(|p| self.before.is_some_and(|b| b.hash == p)) {
                return fault(
                    ChainFault::Inserted,
                    format!("two different events claim number {seq} after the same event: one was inserted"),
                );
            }
            return fault(ChainFault::Reordered, format!("event {seq} comes after event {}", self.head.seq));
        }
        let missing = if seq - expected == 1 {
            format!("event {expected} is missing")
        } else {
            format!("events {expected} to {} are missing", seq - 1)
        };
        fault(ChainFault::Removed, missing)
    }
}

// ---------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------

/// Writes a journal as a stream of records, in either form.
pub struct JournalWriter<W: Write> {
    out: W,
    format: JournalFormat,
    buf: Vec<u8>,
    strings: HashMap<String, u64>,
    state: CompactState,
    /// The canonical version byte of the journal's version.
    version: u8,
    written: u64,
    last: Option<Head>,
}

impl<W: Write> JournalWriter<W> {
    /// Starts a journal: writes its header.
    /// The header's version must be 2 or 3 (a version 2 journal stays version
    /// 2: its hashes are version 2's).
    pub fn new(mut out: W, format: JournalFormat, header: &JournalHeader) -> Result<Self, JournalError> {
        if header.version != JOURNAL_VERSION && header.version != JOURNAL_V2 {
            return Err(JournalError::Version { found: header.version });
        }
        let mut buf = Vec::with_capacity(256);
        match format {
            JournalFormat::Text => {
                serde_json::to_writer(&mut buf, header).map_err(|e| JournalError::Io { message: e.to_string() })?;
                buf.push(b'\n');
            }
            JournalFormat::Binary => {
                buf.extend_from_slice(BINARY_MAGIC);
                buf.push(header.version as u8);
                let mut state = CompactState::new(header.month);
                let mut strings = HashMap::new();
                let mut s = CompactSink { out: &mut buf, strings: &mut strings, state: &mut state };
                use super::codec::Sink;
                s.int(i64::from(header.month.year()));
                s.u8(header.month.month() as u8);
                s.uint(header.start.seq);
                buf.extend_from_slice(&header.start.hash.0);
                buf.push(header.migrated_from.map_or(0, |v| v as u8));
            }
        }
        out.write_all(&buf).map_err(io)?;
        Ok(JournalWriter {
            out,
            format,
            buf,
            strings: HashMap::new(),
            state: CompactState::new(header.month),
            version: canonical_version(header.version),
            written: 0,
            last: None,
        })
    }

    /// Appends one event.
    pub fn write(&mut self, e: &Event) -> Result<(), JournalError> {
        self.buf.clear();
        match self.format {
            JournalFormat::Text => {
                serde_json::to_writer(&mut self.buf, e).map_err(|x| JournalError::Io { message: x.to_string() })?;
                self.buf.push(b'\n');
                self.out.write_all(&self.buf).map_err(io)?;
            }
            JournalFormat::Binary => {
                let mut body = Vec::with_capacity(64);
                body.push(RECORD_EVENT);
                let mut s = CompactSink { out: &mut body, strings: &mut self.strings, state: &mut self.state };
                put_event(&mut s, e, self.version);
                body.extend_from_slice(&e.hash.prefix());
                write_record(&mut self.buf, &body);
                self.written += 1;
                if self.written.is_multiple_of(CHECKPOINT_EVERY) {
                    checkpoint(&mut self.buf, e.head());
                }
                self.out.write_all(&self.buf).map_err(io)?;
            }
        }
        self.last = Some(e.head());
        Ok(())
    }

    /// Ends the journal (the compact form stores the final full hash) and gives
    /// the writer back.
    pub fn finish(mut self) -> Result<W, JournalError> {
        if self.format == JournalFormat::Binary
            && let Some(h) = self.last
            && !self.written.is_multiple_of(CHECKPOINT_EVERY)
        {
            self.buf.clear();
            checkpoint(&mut self.buf, h);
            self.out.write_all(&self.buf).map_err(io)?;
        }
        self.out.flush().map_err(io)?;
        Ok(self.out)
    }
}

fn write_record(out: &mut Vec<u8>, body: &[u8]) {
    let mut n = body.len();
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
    out.extend_from_slice(body);
}

fn checkpoint(out: &mut Vec<u8>, h: Head) {
    let mut body = Vec::with_capacity(44);
    body.push(RECORD_CHECKPOINT);
    let mut n = h.seq;
    while n >= 0x80 {
        body.push((n as u8) | 0x80);
        n >>= 7;
    }
    body.push(n as u8);
    body.extend_from_slice(&h.hash.0);
    write_record(out, &body);
}

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

/// Reads a journal record by record, in either form (told apart by their first
/// bytes), checking the chain as it goes.
///
/// The reader yields events until the end or the first problem. A last record cut
/// off by a crash ends the stream without an error; [`JournalReader::torn`] then
/// describes it. Version 1 journals are read whole and migrated.
pub struct JournalReader<R: BufRead> {
    input: R,
    header: JournalHeader,
    format: JournalFormat,
    chain: ChainCheck,
    line: u64,
    record: u64,
    offset: u64,
    texts: Interned,
    state: CompactState,
    buf: Vec<u8>,
    /// The previous hash and canonical bytes of the compact record being read.
    canon: CanonBuf,
    /// The event just read, lent by [`JournalReader::next_ref`].
    slot: Event,
    /// The compact record just read (the event is built from it when asked).
    rec: Record,
    migrated: Option<std::vec::IntoIter<Event>>,
    torn: Option<Torn>,
    done: bool,
    unchecked: bool,
    len_hint: Option<u64>,
}

impl<R: BufRead> JournalReader<R> {
    /// Reads the header and prepares to stream the events.
    pub fn new(mut input: R) -> Result<Self, JournalError> {
        let first = input.fill_buf().map_err(io)?;
        if first.is_empty() {
            return Err(JournalError::NotAJournal { message: "the file is empty".into() });
        }
        if first.starts_with(&BINARY_MAGIC[..first.len().min(BINARY_MAGIC.len())]) && first[0] == b'K' {
            return Self::binary(input);
        }
        // Text: the first line is the header (v2), or a v1 JSON document.
        let mut line = Vec::new();
        read_line(&mut input, &mut line, 1 << 20)?;
        let text = std::str::from_utf8(&line)
            .map_err(|_| JournalError::NotAJournal { message: "the first line is not UTF-8 text".into() })?;
        let value: serde_json::Value = match serde_json::from_str(text.trim_end()) {
            Ok(v) => v,
            Err(_) if text.trim_start().starts_with('{') && !text.contains("\"journal\"") => {
                // Possibly a pretty-printed v1 document: read all of it.
                return Self::legacy(line, input);
            }
            Err(e) => return Err(JournalError::NotAJournal { message: format!("line 1: {e}") }),
        };
        if value.get("journal").is_none() {
            return Self::legacy(line, input);
        }
        let header: JournalHeader = serde_json::from_value(value)
            .map_err(|e| JournalError::NotAJournal { message: format!("header (line 1): {e}") })?;
        if header.journal != "kinerja" {
            return Err(JournalError::NotAJournal { message: format!("header names `{}`", header.journal) });
        }
        if header.version != JOURNAL_VERSION && header.version != JOURNAL_V2 {
            return Err(JournalError::Version { found: header.version });
        }
        let state = CompactState::for_reading(header.month);
        Ok(JournalReader {
            input,
            chain: ChainCheck::for_version(header.start, header.version),
            texts: Interned::new(canonical_version(header.version)),
            header,
            format: JournalFormat::Text,
            line: 1,
            record: 0,
            offset: 0,
            state,
            buf: Vec::new(),
            canon: CanonBuf::new(),
            slot: Event::placeholder(),
            rec: Record::new(),
            migrated: None,
            torn: None,
            done: false,
            unchecked: false,
            len_hint: None,
        })
    }

    fn binary(mut input: R) -> Result<Self, JournalError> {
        let mut head = [0u8; 17];
        input.read_exact(&mut head).map_err(|_| JournalError::NotAJournal { message: "header cut short".into() })?;
        if &head[..16] != BINARY_MAGIC {
            return Err(JournalError::NotAJournal { message: "unknown binary format".into() });
        }
        let version = u32::from(head[16]);
        if version != JOURNAL_VERSION && version != JOURNAL_V2 {
            return Err(JournalError::Version { found: version });
        }
        let mut offset = 17u64;
        let mut varint = |input: &mut R| -> Result<u128, JournalError> {
            let mut v: u128 = 0;
            for shift in (0..128).step_by(7) {
                let mut b = [0u8; 1];
                input
                    .read_exact(&mut b)
                    .map_err(|_| JournalError::NotAJournal { message: "header cut short".into() })?;
                offset += 1;
                v |= u128::from(b[0] & 0x7f) << shift;
                if b[0] & 0x80 == 0 {
                    return Ok(v);
                }
            }
            Err(JournalError::NotAJournal { message: "bad header".into() })
        };
        let z = varint(&mut input)?;
        let year = ((z >> 1) as i128) ^ -((z & 1) as i128);
        let mut m = [0u8; 1];
        input.read_exact(&mut m).map_err(|_| JournalError::NotAJournal { message: "header cut short".into() })?;
        let month = i32::try_from(year)
            .ok()
            .and_then(|y| YearMonth::new(y, u32::from(m[0])))
            .ok_or_else(|| JournalError::NotAJournal { message: "bad month in header".into() })?;
        let seq = u64::try_from(varint(&mut input)?)
            .map_err(|_| JournalError::NotAJournal { message: "bad header".into() })?;
        let mut hash = [0u8; 32];
        let mut mig = [0u8; 1];
        input.read_exact(&mut hash).map_err(|_| JournalError::NotAJournal { message: "header cut short".into() })?;
        input.read_exact(&mut mig).map_err(|_| JournalError::NotAJournal { message: "header cut short".into() })?;
        offset += 1 + 32 + 1;
        let header = JournalHeader {
            journal: kinerja(),
            version,
            month,
            start: Head { seq, hash: Hash(hash) },
            migrated_from: (mig[0] != 0).then_some(u32::from(mig[0])),
        };
        let state = CompactState::for_reading(month);
        Ok(JournalReader {
            input,
            chain: ChainCheck::for_version(header.start, header.version),
            texts: Interned::new(canonical_version(header.version)),
            header,
            format: JournalFormat::Binary,
            line: 0,
            record: 0,
            offset,
            state,
            buf: Vec::new(),
            canon: CanonBuf::new(),
            slot: Event::placeholder(),
            rec: Record::new(),
            migrated: None,
            torn: None,
            done: false,
            unchecked: false,
            len_hint: None,
        })
    }

    fn legacy(first: Vec<u8>, mut input: R) -> Result<Self, JournalError> {
        let mut all = first;
        input.read_to_end(&mut all).map_err(io)?;
        let text = std::str::from_utf8(&all).map_err(|_| JournalError::NotAJournal { message: "not UTF-8".into() })?;
        let (header, events) = super::legacy::migrate(text)?;
        let state = CompactState::for_reading(header.month);
        Ok(JournalReader {
            input,
            chain: ChainCheck::for_version(header.start, header.version),
            texts: Interned::new(canonical_version(header.version)),
            header,
            format: JournalFormat::Text,
            line: 0,
            record: 0,
            offset: 0,
            state,
            buf: Vec::new(),
            canon: CanonBuf::new(),
            slot: Event::placeholder(),
            rec: Record::new(),
            migrated: Some(events.into_iter()),
            torn: None,
            done: false,
            unchecked: false,
            len_hint: None,
        })
    }

    /// Reads the next event into the reader's own slot and lends it: what
    /// [`Iterator::next`] does without moving the event out (the replay takes what
    /// it keeps from the slot).
    pub fn next_ref(&mut self) -> Option<Result<&mut Event, JournalError>> {
        if self.done {
            return None;
        }
        let item = if self.is_compact() {
            self.advance_binary().map(|r| r.and_then(|()| self.fill_slot()))
        } else {
            self.next_inner().map(|r| r.map(|e| self.slot = e))
        };
        match self.settle(item)? {
            Ok(()) => Some(Ok(&mut self.slot)),
            Err(e) => Some(Err(e)),
        }
    }

    /// Marks the reader done after an error or the end, and passes `item` on.
    fn settle(&mut self, item: Option<Result<(), JournalError>>) -> Option<Result<(), JournalError>> {
        if !matches!(item, Some(Ok(()))) {
            self.done = true;
        }
        item
    }

    /// Whether the events come from compact records (not text, not a migrated
    /// version 1 journal).
    pub(crate) fn is_compact(&self) -> bool {
        self.migrated.is_none() && self.format == JournalFormat::Binary
    }

    /// Builds the public event of the record just read into the slot.
    fn fill_slot(&mut self) -> Result<(), JournalError> {
        let decoded = Decoded { record: &self.rec, texts: &self.texts, state: &self.state };
        decoded.fill_event(&mut self.slot).map_err(|x| JournalError::Format {
            position: Position::Record { number: self.record, offset: self.offset },
            message: x.0,
        })
    }

    /// Reads the next compact record, checking the chain, without building its
    /// event: what the ledger's replay takes ([`Decoded`]), and the slot it may
    /// build the event in. `None` at the end (or the torn last record); only for
    /// a compact reader ([`JournalReader::is_compact`]).
    pub(crate) fn next_record(&mut self) -> Option<Result<(Decoded<'_>, &mut Event), JournalError>> {
        if self.done {
            return None;
        }
        let item = self.advance_binary();
        match self.settle(item)? {
            Ok(()) => Some(Ok((Decoded { record: &self.rec, texts: &self.texts, state: &self.state }, &mut self.slot))),
            Err(e) => Some(Err(e)),
        }
    }

    /// Reads the next record without checking the chain (its `prev` and `hash`
    /// are as stored in text, unset in the compact form), also after the stream
    /// stopped on a chain fault: to look one record past a fault.
    pub fn next_unchecked(&mut self) -> Option<Result<Event, JournalError>> {
        let (done, unchecked) = (self.done, self.unchecked);
        self.done = false;
        self.unchecked = true;
        let item = self.next();
        self.unchecked = unchecked;
        self.done = done || !matches!(item, Some(Ok(_)));
        item
    }

    /// Tells the reader how many bytes the journal has (a file's length), so that
    /// what it feeds can reserve room once instead of growing step by step.
    pub fn with_len_hint(mut self, bytes: u64) -> Self {
        self.len_hint = Some(bytes);
        if let Some(n) = self.events_hint() {
            self.chain.reserve(n);
        }
        self
    }

    /// The expected number of events, from the length hint and the form's usual
    /// bytes per event (generous: room reserved but not used costs no memory).
    pub fn events_hint(&self) -> Option<usize> {
        let per_event = match self.format {
            JournalFormat::Binary => 30,
            JournalFormat::Text => 300,
        };
        self.len_hint.map(|b| usize::try_from(b / per_event).unwrap_or(usize::MAX).min(1 << 28))
    }

    /// The journal's header.
    pub fn header(&self) -> &JournalHeader {
        &self.header
    }

    /// The form being read.
    pub fn format(&self) -> JournalFormat {
        self.format
    }

    /// The head after the last event read.
    pub fn head(&self) -> Head {
        self.chain.head()
    }

    /// The torn last record, once the stream has ended on one.
    pub fn torn(&self) -> Option<&Torn> {
        self.torn.as_ref()
    }

    fn here(&self) -> Position {
        match self.format {
            JournalFormat::Text => Position::Line(self.line),
            JournalFormat::Binary => Position::Record { number: self.record, offset: self.offset },
        }
    }

    fn next_text(&mut self) -> Option<Result<Event, JournalError>> {
        loop {
            self.buf.clear();
            let complete = match read_line(&mut self.input, &mut self.buf, 64 << 20) {
                Ok(c) => c,
                Err(e) => return Some(Err(e)),
            };
            if self.buf.is_empty() {
                return None;
            }
            self.line += 1;
            let text = match std::str::from_utf8(&self.buf) {
                Ok(t) => t.trim_end(),
                Err(_) if !complete => return self.tear("the line is not UTF-8"),
                Err(_) => return Some(Err(self.format_error("the line is not UTF-8".into()))),
            };
            if text.is_empty() {
                if complete {
                    continue;
                }
                return None;
            }
            match serde_json::from_str::<Event>(text) {
                Ok(e) => return Some(self.check(e)),
                Err(_) if !complete => return self.tear("the last line is cut off"),
                Err(e) => return Some(Err(self.format_error(e.to_string()))),
            }
        }
    }

    fn tear(&mut self, message: &str) -> Option<Result<Event, JournalError>> {
        self.torn = Some(Torn { position: self.here(), bytes: self.buf.len() as u64, message: message.into() });
        None
    }

    fn format_error(&self, message: String) -> JournalError {
        JournalError::Format { position: self.here(), message }
    }

    fn check(&mut self, e: Event) -> Result<Event, JournalError> {
        if self.unchecked {
            return Ok(e);
        }
        let position = self.here();
        self.chain.accept(&e).map_err(|mut p| {
            p.position = Some(position);
            JournalError::Chain(p)
        })?;
        Ok(e)
    }

    /// Reads the next compact record's event into `self.slot`.
    fn advance_binary(&mut self) -> Option<Result<(), JournalError>> {
        loop {
            let start = self.offset;
            // The usual case: the whole record is in the reader's buffer; decode it
            // in place.
            let avail = match self.input.fill_buf() {
                Ok(b) => b,
                Err(e) => return Some(Err(io(e))),
            };
            if avail.is_empty() {
                return None;
            }
            let in_place = match record_length(avail) {
                Some((len, n)) if len <= MAX_RECORD && n + len as usize <= avail.len() => Some((len as usize, n)),
                _ => None,
            };
            let outcome = if let Some((len, n)) = in_place {
                let body = &avail[n..n + len];
                let mut rec = Records {
                    texts: &mut self.texts,
                    state: &mut self.state,
                    chain: &mut self.chain,
                    canon: &mut self.canon,
                };
                let r = rec.record(body, self.record + 1, start, &mut self.rec);
                self.input.consume(n + len);
                self.offset = start + (n + len) as u64;
                r
            } else {
                // A record across the buffer's end, or the torn last one: copy it.
                match self.copy_record(start) {
                    None => return None,
                    Some(Err(e)) => return Some(Err(e)),
                    Some(Ok(())) => {
                        let buf = std::mem::take(&mut self.buf);
                        let mut rec = Records {
                            texts: &mut self.texts,
                            state: &mut self.state,
                            chain: &mut self.chain,
                            canon: &mut self.canon,
                        };
                        let r = rec.record(&buf, self.record + 1, start, &mut self.rec);
                        self.buf = buf;
                        r
                    }
                }
            };
            match outcome {
                Ok(None) => continue,
                Ok(Some(stored)) => {
                    self.record += 1;
                    if self.unchecked {
                        return Some(Ok(()));
                    }
                    let position = Position::Record { number: self.record, offset: start };
                    return Some(self.chain.accept_compact(&mut self.rec, &mut self.canon, stored).map_err(|mut p| {
                        p.position = Some(position);
                        JournalError::Chain(p)
                    }));
                }
                Err(e) => return Some(Err(e)),
            }
        }
    }

    /// Reads one length-prefixed record into `self.buf` (the slow path). `None` at
    /// the end of the stream, or when the last record is torn (then `self.torn`).
    fn copy_record(&mut self, start: u64) -> Option<Result<(), JournalError>> {
        let mut len: u64 = 0;
        let mut shift = 0;
        let mut read = 0u64;
        loop {
            let mut b = [0u8; 1];
            match self.input.read(&mut b) {
                Ok(0) if read == 0 => return None,
                Ok(0) => {
                    self.torn = Some(Torn {
                        position: Position::Record { number: self.record + 1, offset: start },
                        bytes: read,
                        message: "the last record's length is cut off".into(),
                    });
                    return None;
                }
                Ok(_) => {}
                Err(e) => return Some(Err(io(e))),
            }
            read += 1;
            len |= u64::from(b[0] & 0x7f) << shift;
            if b[0] & 0x80 == 0 {
                break;
            }
            shift += 7;
            if shift > 56 {
                return Some(Err(self.format_error("bad record length".into())));
            }
        }
        if len > MAX_RECORD {
            return Some(Err(self.format_error(format!("record of {len} bytes is too large"))));
        }
        // Read through `take` so the buffer grows with the bytes that arrive, not
        // with the length the record claims (a torn or forged prefix cannot make
        // the reader allocate 64 MiB up front).
        self.buf.clear();
        let got = match self.input.by_ref().take(len).read_to_end(&mut self.buf) {
            Ok(n) => n,
            Err(e) => return Some(Err(io(e))),
        };
        self.offset = start + read + got as u64;
        if (got as u64) < len {
            self.torn = Some(Torn {
                position: Position::Record { number: self.record + 1, offset: start },
                bytes: read + got as u64,
                message: format!("the last record is cut off ({got} of {len} bytes)"),
            });
            return None;
        }
        Some(Ok(()))
    }
}

/// The largest record the compact form allows.
const MAX_RECORD: u64 = 64 << 20;

/// A record's length prefix at the start of `bytes`: (length, prefix bytes).
fn record_length(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut len: u64 = 0;
    for (i, &b) in bytes.iter().enumerate().take(9) {
        len |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((len, i + 1));
        }
    }
    None
}

/// The compact reader's running state, borrowed apart from its input.
struct Records<'a> {
    texts: &'a mut Interned,
    state: &'a mut CompactState,
    chain: &'a mut ChainCheck,
    canon: &'a mut CanonBuf,
}

impl Records<'_> {
    /// Decodes one record into `slot`: `Some(stored hash prefix)`, or `None` for
    /// a checkpoint that holds. The record's `prev` and `hash` are left for the chain.
    fn record(
        &mut self,
        body: &[u8],
        number: u64,
        offset: u64,
        slot: &mut Record,
    ) -> Result<Option<[u8; 4]>, JournalError> {
        let position = Position::Record { number, offset };
        match body.first() {
            Some(&RECORD_CHECKPOINT) => {
                let rest = &body[1..];
                let (seq, k) = record_length(rest).unwrap_or((u64::MAX, 0));
                let head = self.chain.head();
                let ok = rest.len() == k + 32 && seq == head.seq && rest[k..] == head.hash.0;
                if !ok {
                    return Err(JournalError::Chain(ChainProblem {
                        fault: ChainFault::Edited,
                        seq: head.seq,
                        position: Some(position),
                        message: "the full hash stored after this event does not match the chain".into(),
                    }));
                }
                return Ok(None);
            }
            Some(&RECORD_EVENT) => {}
            _ => return Err(JournalError::Format { position, message: "unknown record type".into() }),
        }
        if body.len() < 1 + HASH_PREFIX {
            return Err(JournalError::Format { position, message: "record too short".into() });
        }
        let body_end = body.len() - HASH_PREFIX;
        self.canon.start(&self.chain.head().hash);
        let v3 = self.texts.is_v3();
        let mut src = CompactSource {
            buf: &body[1..body_end],
            pos: 0,
            v3,
            texts: self.texts,
            state: self.state,
            canon: self.canon,
        };
        match src.record_into(slot) {
            Ok(()) if src.pos == src.buf.len() => {}
            Ok(()) => return Err(JournalError::Format { position, message: "trailing bytes in record".into() }),
            Err(x) => return Err(JournalError::Format { position, message: x.0 }),
        }
        let mut stored = [0u8; HASH_PREFIX];
        stored.copy_from_slice(&body[body_end..]);
        Ok(Some(stored))
    }
}

impl<R: BufRead> Iterator for JournalReader<R> {
    type Item = Result<Event, JournalError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let item = self.next_inner();
        if !matches!(item, Some(Ok(_))) {
            self.done = true;
        }
        item
    }
}

impl<R: BufRead> JournalReader<R> {
    fn next_inner(&mut self) -> Option<Result<Event, JournalError>> {
        if let Some(m) = &mut self.migrated {
            // Hashed at migration: the chain holds by construction; follow it for the head.
            m.next().map(|e| self.chain.accept(&e).map(|()| e).map_err(JournalError::Chain))
        } else {
            match self.format {
                JournalFormat::Text => self.next_text(),
                JournalFormat::Binary => {
                    self.advance_binary().map(|r| r.and_then(|()| self.fill_slot()).map(|()| self.slot.take()))
                }
            }
        }
    }
}

/// Reads one line (up to `max` bytes) into `buf`, without its end. Returns
/// whether the line ended with a newline.
fn read_line<R: BufRead>(input: &mut R, buf: &mut Vec<u8>, max: usize) -> Result<bool, JournalError> {
    loop {
        let avail = input.fill_buf().map_err(io)?;
        if avail.is_empty() {
            return Ok(false);
        }
        if let Some(i) = avail.iter().position(|&b| b == b'\n') {
            buf.extend_from_slice(&avail[..i]);
            input.consume(i + 1);
            return Ok(true);
        }
        let n = avail.len();
        buf.extend_from_slice(avail);
        input.consume(n);
        if buf.len() > max {
            return Err(JournalError::Format {
                position: Position::Line(0),
                message: format!("a line longer than {max} bytes"),
            });
        }
    }
}

// ---------------------------------------------------------------------------
// In memory, and verification
// ---------------------------------------------------------------------------

/// A month's journal held in memory: its header and events.
#[derive(Clone, Debug, PartialEq)]
pub struct Journal {
    /// The header.
    pub header: JournalHeader,
    /// Every event, in order.
    pub events: Vec<Event>,
}

impl Journal {
    /// An empty journal for a month.
    pub fn new(month: YearMonth) -> Journal {
        Journal { header: JournalHeader::new(month), events: Vec::new() }
    }

    /// The month.
    pub fn month(&self) -> YearMonth {
        self.header.month
    }

    /// The head after the last event.
    pub fn head(&self) -> Head {
        self.events.last().map_or(self.header.start, Event::head)
    }

    /// Reads a whole journal (any form and version) from a stream. A torn last
    /// record is left out and described in the second value.
    pub fn read<R: BufRead>(input: R) -> Result<(Journal, Option<Torn>), JournalError> {
        let mut r = JournalReader::new(input)?;
        let mut events = Vec::new();
        for e in &mut r {
            events.push(e?);
        }
        let torn = r.torn().cloned();
        Ok((Journal { header: r.header().clone(), events }, torn))
    }

    /// Reads a journal from text (text form v2, or a v1 JSON document). A torn
    /// last line is an error here; use [`Journal::read`] to recover what precedes it.
    pub fn from_json(text: &str) -> Result<Journal, JournalError> {
        let (j, torn) = Journal::read(text.as_bytes())?;
        match torn {
            None => Ok(j),
            Some(t) => Err(JournalError::Format { position: t.position, message: t.message }),
        }
    }

    /// Writes the journal in a form.
    pub fn write<W: Write>(&self, out: W, format: JournalFormat) -> Result<W, JournalError> {
        let mut w = JournalWriter::new(out, format, &self.header)?;
        for e in &self.events {
            w.write(e)?;
        }
        w.finish()
    }

    /// The text form as a string.
    pub fn to_json(&self) -> String {
        let bytes = self.write(Vec::new(), JournalFormat::Text).unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// The compact form as bytes.
    pub fn to_binary(&self) -> Vec<u8> {
        self.write(Vec::new(), JournalFormat::Binary).unwrap_or_default()
    }
}

/// What [`verify`] found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    /// The journal's header.
    pub header: JournalHeader,
    /// Its form.
    pub format: JournalFormat,
    /// Events that passed, in order.
    pub events: u64,
    /// The head after the last event that passed.
    pub head: Head,
    /// The first fault, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<ChainProblem>,
    /// A record that could not be read (not torn), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<String>,
    /// A torn last record, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub torn: Option<Torn>,
}

impl Verification {
    /// True when the whole chain holds, nothing is torn or unreadable, and the
    /// journal is not a migrated one.
    pub fn holds(&self) -> bool {
        self.problem.is_none() && self.unreadable.is_none() && self.torn.is_none() && self.header.is_verifiable()
    }
}

/// Checks a journal's chain, record by record, without a dataset, and names the
/// first event edited, removed, inserted, duplicated or reordered. With `anchor`
/// (the head recorded apart, e.g. in the server's database or with the payroll),
/// a chain rewritten from some point on is caught too ([`ChainFault::HeadMismatch`]).
pub fn verify<R: BufRead>(input: R, anchor: Option<Head>) -> Result<Verification, JournalError> {
    let mut r = JournalReader::new(input)?;
    let mut events = 0u64;
    let mut problem = None;
    let mut unreadable = None;
    // Only the chain is wanted: a compact record is decoded (every value read and
    // checked, its canonical bytes hashed) and no event is built; a text line is
    // read into the reader's slot (not moved out). Each is only counted.
    let compact = r.is_compact();
    loop {
        let e = if compact { r.advance_binary() } else { r.next_ref().map(|e| e.map(|_| ())) };
        let Some(e) = e else { break };
        match e {
            Ok(_) => events += 1,
            Err(JournalError::Chain(mut p)) => {
                // A gap may be a reordering: look at the next record.
                if p.fault == ChainFault::Removed
                    && let Some(Ok(next)) = r.next_unchecked()
                {
                    let expected = r.head().seq + 1;
                    if (expected..p.seq).contains(&next.seq) {
                        p.fault = ChainFault::Reordered;
                        p.message = format!("event {} comes before event {}", p.seq, next.seq);
                    }
                }
                problem = Some(p);
                break;
            }
            Err(other) => {
                unreadable = Some(other.to_string());
                break;
            }
        }
    }
    let head = r.head();
    if problem.is_none()
        && unreadable.is_none()
        && let Some(a) = anchor
        && a != head
    {
        problem = Some(ChainProblem {
            fault: ChainFault::HeadMismatch,
            seq: head.seq,
            position: None,
            message: format!(
                "the journal ends at event {} with hash {}, but the recorded head is event {} with hash {}",
                head.seq, head.hash, a.seq, a.hash
            ),
        });
    }
    Ok(Verification {
        header: r.header().clone(),
        format: r.format(),
        events,
        head,
        problem,
        unreadable,
        torn: r.torn().cloned(),
    })
}
