//! The journal (version 3, and version 2 still read): its chain names the first edited, removed, reordered,
//! inserted or duplicated event in both forms; a torn last record is reported and
//! everything before it loads; replay re-executes every event, so a forged event
//! whose hashes were recomputed is still refused; snapshots are bound to the head
//! they summarise; version 1 journals load, migrated and unverifiable.
//!
//! The month: the shared test city (see `common/mod.rs`) in October 2026.

use kinerja::activity::{ActivityId, ActivityInput, Decision, VerificationStatus};
use kinerja::attendance::{ClockDirection, ClockEvent, ClockSource};
use kinerja::ledger::{
    ChainFault, Command, Event, EventKind, Hash, Journal, JournalFormat, JournalReader, Ledger, LedgerError,
    MonthContext, Position, Reopening, Snapshot, TransitionItem, verify,
};
use kinerja::policy::Policy;
use kinerja::recap::monthly_recap;
use kinerja::{Minutes, YearMonth};

mod common;
use common::*;

fn oct() -> YearMonth {
    YearMonth::new(2026, 10).unwrap()
}

fn work(day: u32, from: u32, to: u32, quantity: i64) -> ActivityInput {
    ActivityInput {
        employee: nip(STAFF),
        date: d(2026, 10, day),
        start: t(from, 0),
        end: t(to, 0),
        task: "STAF-T1".into(),
        quantity,
        description: "Agenda surat".into(),
        evidence: None,
    }
}

/// Seven events: scans in and out on Monday 5 October (1, 2), two entries logged
/// that evening (3, 4), the first approved, the second rejected the next morning
/// (5, 6), and a third entry logged on Tuesday (7).
fn month(ctx: &MonthContext<'_>) -> Ledger {
    let mut l = Ledger::new(oct());
    let scan = |h, m, direction| Command::RecordClock {
        event: ClockEvent {
            employee: nip(STAFF),
            at: at(d(2026, 10, 5), h, m),
            direction,
            source: ClockSource::Fingerprint,
            geofence: None,
        },
    };
    l.execute(ctx, req(FP_DINAS, at(d(2026, 10, 5), 7, 25), scan(7, 25, ClockDirection::In))).unwrap();
    l.execute(ctx, req(FP_DINAS, at(d(2026, 10, 5), 16, 2), scan(16, 2, ClockDirection::Out))).unwrap();
    l.execute(ctx, req(STAFF, at(d(2026, 10, 5), 16, 10), Command::LogActivity { input: work(5, 8, 9, 3) })).unwrap();
    l.execute(ctx, req(STAFF, at(d(2026, 10, 5), 16, 11), Command::LogActivity { input: work(5, 9, 10, 2) })).unwrap();
    let approve = Decision::Approve { quantity: None };
    l.execute(ctx, req(KASI, at(d(2026, 10, 6), 8, 0), Command::Verify { id: ActivityId(1), decision: approve }))
        .unwrap();
    let reject = Decision::Reject { reason: "bukan tugas hari ini".into() };
    l.execute(ctx, req(KASI, at(d(2026, 10, 6), 8, 1), Command::Verify { id: ActivityId(2), decision: reject }))
        .unwrap();
    l.execute(ctx, req(STAFF, at(d(2026, 10, 6), 16, 0), Command::LogActivity { input: work(6, 8, 10, 4) })).unwrap();
    l
}

/// Recomputes every `prev` and `hash` from the journal's start: what a forger who
/// knows the format does after changing an event.
fn rechain(mut j: Journal) -> Journal {
    let mut prev = j.header.start.hash;
    for e in &mut j.events {
        e.prev = prev;
        e.hash = e.compute_hash();
        prev = e.hash;
    }
    j
}

fn text_lines(j: &Journal) -> Vec<String> {
    j.to_json().lines().map(str::to_string).collect()
}

fn join(lines: &[String]) -> String {
    let mut s = lines.join("\n");
    s.push('\n');
    s
}

fn problem(text: &[u8]) -> (ChainFault, u64, Option<Position>) {
    let v = verify(text, None).expect("readable");
    let p = v.problem.expect("a fault is found");
    (p.fault, p.seq, p.position)
}

#[test]
fn the_text_form_names_each_kind_of_fault() {
    let city = city();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, oct()).unwrap();
    let j = month(&ctx).journal();
    let lines = text_lines(&j);
    assert_eq!(lines.len(), 8, "a header line and seven events");
    let v = verify(join(&lines).as_bytes(), None).unwrap();
    assert!(v.holds(), "{v:?}");
    assert_eq!((v.events, v.head), (7, j.head()));

    // Edited: event 3 (line 4) now claims 30 letters, its hash unchanged.
    let mut edited = lines.clone();
    assert!(edited[3].contains("\"quantity\":3"));
    edited[3] = edited[3].replace("\"quantity\":3", "\"quantity\":30");
    assert_eq!(problem(join(&edited).as_bytes()), (ChainFault::Edited, 3, Some(Position::Line(4))));

    // Removed: event 3 is gone; event 4 is the first to notice.
    let mut removed = lines.clone();
    removed.remove(3);
    assert_eq!(problem(join(&removed).as_bytes()), (ChainFault::Removed, 4, Some(Position::Line(4))));

    // Reordered: events 3 and 4 swapped.
    let mut reordered = lines.clone();
    reordered.swap(3, 4);
    assert_eq!(problem(join(&reordered).as_bytes()).0, ChainFault::Reordered);

    // Duplicated: event 2 appears again after event 4.
    let mut duplicated = lines.clone();
    duplicated.insert(5, lines[2].clone());
    assert_eq!(problem(join(&duplicated).as_bytes()), (ChainFault::Duplicated, 2, Some(Position::Line(6))));

    // Inserted: a well-formed, correctly hashed event 3 slipped in before the real
    // event 3 (an approval of entry 1 before it was logged would fail replay; the
    // chain alone already shows two events 3 after the same event 2).
    let mut fake = j.events[2].clone();
    if let EventKind::ActivityLogged(c) = &mut fake.kind {
        c.input.quantity = 8;
    }
    fake.hash = fake.compute_hash();
    let mut inserted = lines.clone();
    inserted.insert(3, serde_json::to_string(&fake).unwrap());
    assert_eq!(problem(join(&inserted).as_bytes()), (ChainFault::Inserted, 3, Some(Position::Line(5))));

    // Rewritten from event 3 on with every hash recomputed: the chain holds, but not
    // against the head recorded apart.
    let mut forged = j.clone();
    if let EventKind::ActivityLogged(c) = &mut forged.events[2].kind {
        c.input.quantity = 4;
    }
    let forged = rechain(forged);
    let text = forged.to_json();
    assert!(verify(text.as_bytes(), None).unwrap().holds());
    let v = verify(text.as_bytes(), Some(j.head())).unwrap();
    assert_eq!(v.problem.map(|p| p.fault), Some(ChainFault::HeadMismatch));
}

#[test]
fn the_compact_form_carries_the_same_chain_and_names_faults() {
    let city = city();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, oct()).unwrap();
    let j = month(&ctx).journal();
    let bin = j.to_binary();
    // Same hashes in both forms: text -> compact -> text gives the same text.
    let (back, torn) = Journal::read(bin.as_slice()).unwrap();
    assert!(torn.is_none());
    assert_eq!(back, j);
    assert_eq!(back.to_json(), j.to_json());
    let v = verify(bin.as_slice(), Some(j.head())).unwrap();
    assert!(v.holds(), "{v:?}");
    assert_eq!(v.format, JournalFormat::Binary);

    // Edited in memory, the stored hash left as it was.
    let mut edited = j.clone();
    if let EventKind::ActivityLogged(c) = &mut edited.events[2].kind {
        c.input.quantity = 30;
    }
    let at = |bytes: Vec<u8>| {
        let (fault, seq, _) = problem(&bytes);
        (fault, seq)
    };
    assert_eq!(at(edited.to_binary()), (ChainFault::Edited, 3));
    // Removed.
    let mut removed = j.clone();
    removed.events.remove(2);
    assert_eq!(at(removed.to_binary()), (ChainFault::Removed, 4));
    // Reordered: event 4 comes before event 3.
    let mut reordered = j.clone();
    reordered.events.swap(2, 3);
    assert_eq!(at(reordered.to_binary()), (ChainFault::Reordered, 4));
    // Duplicated.
    let mut duplicated = j.clone();
    duplicated.events.insert(4, j.events[1].clone());
    assert_eq!(at(duplicated.to_binary()), (ChainFault::Duplicated, 2));
}

#[test]
fn a_torn_last_record_is_reported_and_everything_before_it_loads() {
    let city = city();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, oct()).unwrap();
    let live = month(&ctx);
    let j = live.journal();
    // Text: the last line cut in the middle (a crash during the write).
    let text = j.to_json();
    let cut = &text.as_bytes()[..text.len() - 40];
    let v = verify(cut, None).unwrap();
    assert_eq!(v.events, 6);
    assert!(v.problem.is_none());
    assert_eq!(v.torn.as_ref().map(|t| t.position), Some(Position::Line(8)));
    assert!(!v.holds());
    let (ledger, torn) = Ledger::from_reader(&ctx, JournalReader::new(cut).unwrap(), true).unwrap();
    assert!(torn.is_some());
    assert_eq!(ledger.head(), j.events[5].head());
    assert_eq!(ledger.state().entries.len(), 2, "the third entry was in the torn record");
    // Compact: the last record cut.
    let bin = j.to_binary();
    let (read, torn) = Journal::read(&bin[..bin.len() - 50]).unwrap();
    assert!(torn.is_some());
    assert_eq!(read.events.len(), 6);
    // A record cut in the middle of the file is not "torn": it is unreadable.
    let mut lines = text_lines(&j);
    lines[3].truncate(20);
    let v = verify(join(&lines).as_bytes(), None).unwrap();
    assert!(v.unreadable.is_some() && v.torn.is_none());
}

#[test]
fn unknown_fields_in_a_journal_are_refused() {
    let city = city();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, oct()).unwrap();
    let lines = text_lines(&month(&ctx).journal());
    for (from, to) in
        [("\"seq\":3,", "\"seq\":3,\"approved\":true,"), ("\"task\":\"STAF-T1\"", "\"task\":\"STAF-T1\",\"qty\":3")]
    {
        let mut bad = lines.clone();
        assert!(bad[3].contains(from), "{from}");
        bad[3] = bad[3].replacen(from, to, 1);
        let v = verify(join(&bad).as_bytes(), None).unwrap();
        let u = v.unreadable.expect("refused");
        assert!(u.contains("line 4") && u.contains("unknown field"), "{u}");
    }
}

/// Replays `j` after `forge` changed it and every hash was recomputed: the chain
/// holds, so only the re-execution can refuse it. Returns the refusal.
fn forged(ctx: &MonthContext<'_>, j: &Journal, forge: impl FnOnce(&mut Journal)) -> (u64, LedgerError) {
    let mut f = j.clone();
    forge(&mut f);
    let f = rechain(f);
    assert!(verify(f.to_json().as_bytes(), None).unwrap().holds(), "the forger's chain holds");
    let refusal = match Ledger::replay(ctx, &f) {
        Err(LedgerError::Replay { seq, source, .. }) => (seq, *source),
        other => panic!("a forged journal replayed: {:?}", other.map(|l| l.head())),
    };
    // The compact form read by a ledger that keeps no events replays the frequent
    // kinds from the reader's records, not from public events: the same refusal.
    let bin = f.to_binary();
    match Ledger::from_reader(ctx, JournalReader::new(bin.as_slice()).unwrap(), false) {
        Err(LedgerError::Replay { seq, source, .. }) => assert_eq!((seq, *source), refusal, "compact"),
        other => panic!("a forged compact journal replayed: {:?}", other.map(|(l, _)| l.head())),
    }
    refusal
}

#[test]
fn forged_events_are_refused_by_replay_even_when_rehashed() {
    let city = city();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, oct()).unwrap();
    let j = month(&ctx).journal();
    assert!(Ledger::replay(&ctx, &j).is_ok());
    let code = |(seq, e): (u64, LedgerError)| -> (u64, String) {
        let c = match &e {
            LedgerError::NotAuthorised(n) => n.reason().to_string(),
            other => other.code().to_string(),
        };
        (seq, c)
    };

    // An edit after approval by a NIP that is not in the city.
    let edit = |who: &str| {
        let who = who.to_string();
        move |f: &mut Journal| {
            let mut e = f.events[6].clone();
            e.seq = 8;
            e.actor = actor(&who);
            e.at = at(d(2026, 10, 6), 17, 0);
            e.kind = EventKind::ActivityEdited(kinerja::ledger::EntryContent {
                id: ActivityId(1),
                input: work(5, 8, 9, 3),
                standard_minutes: Minutes(15),
            });
            f.events.push(e);
        }
    };
    assert_eq!(code(forged(&ctx, &j, edit("199912312022121001"))), (8, "unknown_actor".into()));
    // ... and by the employee themself: an approved entry is final.
    assert_eq!(code(forged(&ctx, &j, edit(STAFF))), (8, "invalid_transition".into()));
    // A log by, and for, a NIP that is not in the city (the compact replay looks
    // each NIP up once per stream and must refuse it as the command would).
    let stranger = |f: &mut Journal| {
        let mut e = f.events[6].clone();
        e.seq = 8;
        e.actor = actor("199912312022121001");
        e.at = at(d(2026, 10, 6), 17, 0);
        if let EventKind::ActivityLogged(c) = &mut e.kind {
            c.id = ActivityId(4);
            c.input.employee = nip("199912312022121001");
        }
        f.events.push(e);
    };
    assert_eq!(code(forged(&ctx, &j, stranger)), (8, "unknown_actor".into()));

    // The rejection (event 6) rewritten as an approval: the same supervisor could
    // have approved, so replay accepts it; the chain shows it against the head kept
    // apart (see the_text_form_names_each_kind_of_fault). With the reason left in
    // place it is not even a possible approval.
    let approve_with_reason = |f: &mut Journal| {
        if let EventKind::Transitions(b) = &mut f.events[5].kind {
            b.items[0].to = VerificationStatus::Approved;
            b.items[0].quantity = Some(2);
        }
    };
    assert_eq!(code(forged(&ctx, &j, approve_with_reason)), (6, "forged".into()));

    // A decision with no role, by the employee, on their own entry.
    let self_approval = |f: &mut Journal| {
        f.events[4].actor = actor(STAFF);
        if let EventKind::Transitions(b) = &mut f.events[4].kind {
            b.items[0] = TransitionItem {
                entry: ActivityId(1),
                role: None,
                from: VerificationStatus::Submitted,
                to: VerificationStatus::Approved,
                reason: None,
                quantity: Some(3),
            };
        }
    };
    assert_eq!(code(forged(&ctx, &j, self_approval)), (5, "self_verification".into()));

    // Negative minutes: a negative quantity, or standard minutes the task does not have.
    let negative = |f: &mut Journal| {
        if let EventKind::ActivityLogged(c) = &mut f.events[2].kind {
            c.input.quantity = -3;
        }
    };
    assert_eq!(code(forged(&ctx, &j, negative)), (3, "non_positive_quantity".into()));
    let worth = |f: &mut Journal| {
        if let EventKind::ActivityLogged(c) = &mut f.events[2].kind {
            c.standard_minutes = Minutes(-15);
        }
    };
    assert_eq!(code(forged(&ctx, &j, worth)), (3, "forged".into()));

    // Saturday work: the third entry moved to Saturday 10 October, logged that evening.
    let saturday = |f: &mut Journal| {
        if let EventKind::ActivityLogged(c) = &mut f.events[6].kind {
            c.input.date = d(2026, 10, 10);
        }
        f.events[6].at = at(d(2026, 10, 10), 16, 0);
    };
    assert_eq!(code(forged(&ctx, &j, saturday)), (7, "non_working_day".into()));

    // Back-dated decisions: the approval claimed (received the next morning, as from
    // an offline phone) to be made before the entry was logged, or recorded before the
    // event ahead of it.
    let before_submission = |f: &mut Journal| {
        f.events[4].received_at = Some(f.events[4].at);
        f.events[4].at = at(d(2026, 10, 5), 16, 5);
    };
    assert_eq!(code(forged(&ctx, &j, before_submission)), (5, "decided_before_submission".into()));
    let backwards = |f: &mut Journal| f.events[5].at = at(d(2026, 10, 5), 9, 0);
    assert_eq!(code(forged(&ctx, &j, backwards)), (6, "out_of_order".into()));

    // A month reopened by nobody who may.
    let reopen = |f: &mut Journal| {
        let mut e = f.events[6].clone();
        e.seq = 8;
        e.actor = actor(HR1);
        e.at = at(d(2026, 10, 7), 9, 0);
        e.kind = EventKind::MonthReopened(Reopening { reason: "x".into() });
        f.events.push(e);
    };
    assert_eq!(code(forged(&ctx, &j, reopen)), (8, "not_closed".into()));
}

#[test]
fn snapshots_are_bound_to_the_head_they_summarise() {
    let city = city();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, oct()).unwrap();
    let live = month(&ctx);
    let snap = live.snapshot();
    let head = live.head();
    let loaded = Ledger::from_snapshot(&ctx, snap.clone(), &head).unwrap();
    assert_eq!(loaded.state(), live.state());

    // Another head: refused.
    let e = Ledger::from_snapshot(&ctx, snap.clone(), &live.events()[3].head()).unwrap_err();
    assert_eq!(e.code(), "format");
    // Every entry approved, the seal left as it was: refused.
    let mut all_approved = snap.clone();
    for i in 0..all_approved.state.entries.len() {
        all_approved.state.entries.update(i, |e| {
            e.status = VerificationStatus::Approved;
            e.approved_quantity = Some(e.quantity);
        });
    }
    let e = Ledger::from_snapshot(&ctx, all_approved, &head).unwrap_err();
    assert!(e.to_string().contains("altered"), "{e}");

    // Numbering and the chain continue after a snapshot.
    let mut next = Ledger::from_snapshot(&ctx, snap, &head).unwrap();
    let ev = next
        .execute(&ctx, req(STAFF, at(d(2026, 10, 6), 16, 30), Command::LogActivity { input: work(6, 13, 14, 1) }))
        .unwrap()
        .clone();
    assert_eq!((ev.seq, ev.prev), (8, head.hash));
    // The segment written after the snapshot continues the live journal.
    let segment = next.journal();
    assert_eq!(segment.header.start, head);
    let mut cont = Ledger::from_snapshot(&ctx, live.snapshot(), &head).unwrap();
    cont.continue_from(&ctx, JournalReader::new(segment.to_json().as_bytes()).unwrap()).unwrap();
    assert_eq!(cont.state(), next.state());
    assert_eq!(cont.head(), ev.head());
    // A segment is not a whole journal.
    let e = Ledger::from_reader(&ctx, JournalReader::new(segment.to_json().as_bytes()).unwrap(), false).unwrap_err();
    assert_eq!(e.code(), "format");
    // The seal is the documented hash.
    let s = next.snapshot();
    assert_eq!(s.seal, Snapshot::seal_of(&s.head, &s.state));
}

#[test]
fn version_1_journals_load_migrated_and_unverifiable() {
    let city = city();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, oct()).unwrap();
    let live = month(&ctx);
    let v1 = kinerja::ledger::to_v1_json(&live.journal());
    assert!(v1.starts_with("{\"version\":1,"));
    let v = verify(v1.as_bytes(), None).unwrap();
    assert_eq!(v.header.migrated_from, Some(1));
    assert_eq!(v.events, 7);
    assert_eq!(v.head.seq, 7);
    assert!(!v.holds(), "nothing vouches for a migrated journal");
    let (ledger, _) = Ledger::from_reader(&ctx, JournalReader::new(v1.as_bytes()).unwrap(), false).unwrap();
    assert!(!ledger.is_verifiable());
    assert_eq!(ledger.state().entries, live.state().entries);
    assert_eq!(
        monthly_recap(&ledger, &ctx, d(2026, 11, 30)).unwrap(),
        monthly_recap(&live, &ctx, d(2026, 11, 30)).unwrap()
    );
    // Written again, it is a v2 journal whose header says where it came from.
    let (j, _) = Journal::read(v1.as_bytes()).unwrap();
    assert!(j.to_json().lines().next().unwrap().contains("\"migrated_from\":1"));
}

#[test]
fn the_chain_and_the_canonical_bytes_are_as_documented() {
    // Genesis: SHA-256("kinerja-journal-v2:2026-10"), computed apart with
    // `printf %s kinerja-journal-v2:2026-10 | sha256sum`.
    let genesis = Hash::genesis(oct());
    assert_eq!(genesis.to_hex(), "4e0025626b8ff20967dfbaf63fa3587c78e874a31ce1ef8fd01b1db95fae7d50");
    // The first event of a month: HR1 closes it on 9 November 2026 at 09:00.
    // Canonical bytes, by the layout of docs/journal.md (varints are LEB128, signed
    // ones zigzag: 2n for n >= 0):
    //   02                 encoding version
    //   01                 seq 1
    //   00                 actor: an employee
    //   12 + 18 digits     the NIP as text (length 18 = 0x12)
    //   b2 a9 5a           date: day 739,929 from 0001-01-01, zigzag 1,479,858
    //   90 fd 01           time: 32,400 seconds
    //   00                 0 nanoseconds
    //   00 00              no received_at, no key
    //   08                 type 8: month_closed (no data)
    let e = Event {
        seq: 1,
        prev: genesis,
        hash: Hash::default(),
        actor: actor(HR1),
        at: at(d(2026, 11, 9), 9, 0),
        received_at: None,
        key: None,
        kind: EventKind::MonthClosed,
    };
    let hex: String = e.canonical_bytes_in(2).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, "02010012313938353036303632303130303631303036b2a95a90fd0100000008");
    // hash = SHA-256(genesis || canonical bytes), computed apart with Python's hashlib.
    let mut buf = Vec::new();
    assert_eq!(
        e.compute_hash_in(2, &mut buf).to_hex(),
        "f076e0a9fc419f0c50293c3afdcb10f067400272ffe31997ed66cef9c7061350"
    );

    // The same event in version 3 (what this library writes):
    //   03                       encoding version
    //   01                       seq 1
    //   00                       actor: an employee
    //   ce 10 df 2f 36 3c c1 02  the NIP 198506062010061006 as a number, 8 bytes little-endian
    //   c0 d4 da 9c 03           at: 2,504 days and 32,400 s after 2020-01-01T00:00:00 =
    //                            216,378,000 s; zigzag 432,756,000; x 2 + no nanos = 865,512,000
    //   00 00                    no received_at, no key
    //   08                       type 8: month_closed
    let hex: String = e.canonical_bytes().iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, "030100ce10df2f363cc102c0d4da9c03000008");
    assert_eq!(e.canonical_bytes_in(3), e.canonical_bytes());
    // SHA-256(genesis || those 19 bytes), computed apart with Python's hashlib.
    assert_eq!(e.compute_hash().to_hex(), "2f875ac51089c856eb961bfca56d56276adcb5fd8da18b68b20614e8f90685f4");
}

/// Version 3's texts: one of at most 16 bytes is written whole, a longer one as
/// its digest; an entry's employee who is the actor is a flag. An activity log
/// with its previous hash fits in two SHA-256 blocks (at most 119 bytes).
#[test]
fn version_3_writes_texts_short_and_a_log_in_two_blocks() {
    let description = "Menyusun laporan kegiatan bulanan"; // 33 bytes: written as its digest
    let mut input = work(5, 8, 10, 2);
    input.description = description.into();
    let e = Event {
        seq: 700_000,
        prev: Hash::default(),
        hash: Hash::default(),
        actor: actor(&input.employee.to_string()),
        at: at(d(2026, 10, 5), 16, 15),
        received_at: None,
        key: None,
        kind: EventKind::ActivityLogged(kinerja::ledger::EntryContent {
            id: ActivityId(500_000),
            input: input.clone(),
            standard_minutes: Minutes(45),
        }),
    };
    let bytes = e.canonical_bytes();
    // The description's digest: 0x11 then the first 16 bytes of SHA-256 of its
    // UTF-8 (`printf %s 'Menyusun laporan kegiatan bulanan' | sha256sum`).
    let digest = "11310b5d66eedbe4f80cb73539983a9815";
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    assert!(hex.contains(digest), "{hex}");
    // The task id (at most 16 bytes) is whole: its length byte, then its text.
    let task = input.task.as_str();
    assert!(task.len() <= 16);
    let mut whole = vec![task.len() as u8];
    whole.extend_from_slice(task.as_bytes());
    assert!(bytes.windows(whole.len()).any(|w| w == whole.as_slice()));
    // The NIP appears once (as the actor, 8 bytes); the entry's employee is the flag 00.
    let nip = input.employee.as_str().parse::<u64>().unwrap().to_le_bytes();
    assert_eq!(bytes.windows(8).filter(|w| *w == nip).count(), 1);
    // Version 2 wrote the NIP twice as text (19 bytes each) and the description whole.
    let v2 = e.canonical_bytes_in(2);
    assert!(32 + v2.len() > 119, "version 2: {} bytes", v2.len());
    // 32 (prev) + the canonical bytes + 9 (SHA-256 padding) <= 128: two blocks.
    assert!(32 + bytes.len() <= 119, "version 3: {} bytes", bytes.len());
}

/// Long batches of decisions (more than 32 items) are checked item by item on
/// replay like short ones: a batch naming one entry twice is refused, and an
/// entry named by an earlier batch is judged afresh in a later one (refused as
/// already decided, not as named twice).
#[test]
fn long_decision_batches_are_checked_item_by_item_on_replay() {
    let city = city();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, oct()).unwrap();
    let mut l = Ledger::new(oct());
    // 70 entries: 7 half-hour entries on each working day of 5-9 and 12-16 October
    // (2 letters each, 2 x 15 = 30 minutes), logged that evening.
    for day in [5, 6, 7, 8, 9, 12, 13, 14, 15, 16] {
        for slot in 0..7u32 {
            let (h, m) = (8 + slot / 2, (slot % 2) * 30);
            let mut input = work(day, 0, 0, 2);
            input.start = t(h, m);
            input.end = if m == 0 { t(h, 30) } else { t(h + 1, 0) };
            let r = req(STAFF, at(d(2026, 10, day), 16, 10 + slot), Command::LogActivity { input });
            l.execute(&ctx, r).unwrap();
        }
    }
    let approve_all = |ids: std::ops::RangeInclusive<u64>| Command::VerifyMany {
        decisions: ids.map(|i| (ActivityId(i), Decision::Approve { quantity: None })).collect(),
    };
    // Events 71 and 72: two batches of 35 approvals by the section head.
    l.execute(&ctx, req(KASI, at(d(2026, 10, 19), 9, 0), approve_all(1..=35))).unwrap();
    l.execute(&ctx, req(KASI, at(d(2026, 10, 19), 9, 1), approve_all(36..=70))).unwrap();
    let j = l.journal();
    assert_eq!(j.events.len(), 72);
    let replayed = Ledger::replay(&ctx, &j).expect("the month replays");
    assert_eq!(replayed.state().transitions.len(), 70);
    // The compact form, streamed, gives the same state.
    let bin = j.to_binary();
    let (streamed, torn) = Ledger::from_reader(&ctx, JournalReader::new(bin.as_slice()).unwrap(), false).unwrap();
    assert!(torn.is_none());
    assert_eq!(streamed.state(), replayed.state());

    let code = |(seq, e): (u64, LedgerError)| (seq, e.code().to_string());
    // The second batch's last item names entry 36 again (its first item).
    let twice = |f: &mut Journal| {
        if let EventKind::Transitions(b) = &mut f.events[71].kind {
            b.items[34].entry = ActivityId(36);
        }
    };
    assert_eq!(code(forged(&ctx, &j, twice)), (72, "conflict".into()));
    // The second batch approves entries 1 to 35 again: each is judged afresh, and
    // the first is already approved.
    let again = |f: &mut Journal| {
        if let EventKind::Transitions(b) = &mut f.events[71].kind {
            for (k, item) in b.items.iter_mut().enumerate() {
                item.entry = ActivityId(k as u64 + 1);
            }
        }
    };
    assert_eq!(code(forged(&ctx, &j, again)), (72, "invalid_transition".into()));
    // The second batch's last item names entry 99 (there are 70): unknown, refused
    // in its turn; with its first item naming entry 1 as well (approved by event
    // 71), that earlier item's refusal is the one given.
    let unknown = |first: Option<u64>| {
        move |f: &mut Journal| {
            if let EventKind::Transitions(b) = &mut f.events[71].kind {
                b.items[34].entry = ActivityId(99);
                if let Some(id) = first {
                    b.items[0].entry = ActivityId(id);
                }
            }
        }
    };
    assert_eq!(code(forged(&ctx, &j, unknown(None))), (72, "unknown_entry".into()));
    assert_eq!(code(forged(&ctx, &j, unknown(Some(1)))), (72, "invalid_transition".into()));
    // The second batch's last item says entry 70 was returned before: it was
    // submitted, so that is not the transition its approval gives.
    let from_returned = |f: &mut Journal| {
        if let EventKind::Transitions(b) = &mut f.events[71].kind {
            b.items[34].from = VerificationStatus::Returned;
        }
    };
    assert_eq!(code(forged(&ctx, &j, from_returned)), (72, "forged".into()));
}

/// Where each record of a compact journal starts (byte offsets), read from its
/// framing: the header (magic, version, zigzag year, month, start number, start
/// hash, migration byte), then records, each a varint length and its body.
fn record_offsets(bin: &[u8]) -> Vec<u64> {
    fn varint(bin: &[u8], at: &mut usize) -> u64 {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let b = bin[*at];
            *at += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return v;
            }
            shift += 7;
        }
    }
    let mut at = 17;
    varint(bin, &mut at); // year
    at += 1; // month
    varint(bin, &mut at); // start number
    at += 32 + 1; // start hash, migration byte
    let mut out = Vec::new();
    while at < bin.len() {
        out.push(at as u64);
        let len = varint(bin, &mut at) as usize;
        at += len;
    }
    out
}

/// The position `verify` names in a compact journal.
fn compact_problem(bin: &[u8]) -> (ChainFault, u64, Option<Position>) {
    problem(bin)
}

#[test]
fn version_3_compact_names_each_fault_at_its_record_and_a_changed_text_definition() {
    let city = city();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, oct()).unwrap();
    let j = month(&ctx).journal();
    assert_eq!(j.header.version, 3);
    let bin = j.to_binary();
    assert_eq!(bin[16], 3, "the compact header's version byte");
    assert!(verify(bin.as_slice(), Some(j.head())).unwrap().holds());
    // Seven events and the final checkpoint: eight records.
    let offsets = record_offsets(&bin);
    assert_eq!(offsets.len(), 8);
    let record = |n: u64| Some(Position::Record { number: n, offset: offsets[n as usize - 1] });

    // Edited in memory, the stored hash left as it was: event 3 is record 3.
    let mut edited = j.clone();
    if let EventKind::ActivityLogged(c) = &mut edited.events[2].kind {
        c.input.quantity = 30;
    }
    assert_eq!(compact_problem(&edited.to_binary()), (ChainFault::Edited, 3, record(3)));
    // Removed: event 3 gone, event 4 (now record 3, at event 3's offset) notices.
    let mut removed = j.clone();
    removed.events.remove(2);
    let at3 = record_offsets(&removed.to_binary())[2];
    assert_eq!(at3, offsets[2]);
    assert_eq!(
        compact_problem(&removed.to_binary()),
        (ChainFault::Removed, 4, Some(Position::Record { number: 3, offset: at3 }))
    );
    // Reordered: event 4 before event 3 (record 3).
    let mut reordered = j.clone();
    reordered.events.swap(2, 3);
    let (fault, seq, pos) = compact_problem(&reordered.to_binary());
    assert_eq!((fault, seq), (ChainFault::Reordered, 4));
    assert!(matches!(pos, Some(Position::Record { number: 3, .. })));
    // Duplicated: event 2 again after event 4 (record 5).
    let mut duplicated = j.clone();
    duplicated.events.insert(4, j.events[1].clone());
    let (fault, seq, pos) = compact_problem(&duplicated.to_binary());
    assert_eq!((fault, seq), (ChainFault::Duplicated, 2));
    assert!(matches!(pos, Some(Position::Record { number: 5, .. })));
    // Inserted: a correctly hashed event 3 before the real one; the real event 3
    // (record 4) is the second to claim number 3 after event 2.
    let mut fake = j.events[2].clone();
    if let EventKind::ActivityLogged(c) = &mut fake.kind {
        c.input.quantity = 8;
    }
    fake.hash = fake.compute_hash();
    let mut inserted = j.clone();
    inserted.events.insert(2, fake);
    let (fault, seq, pos) = compact_problem(&inserted.to_binary());
    assert_eq!((fault, seq), (ChainFault::Inserted, 3));
    assert!(matches!(pos, Some(Position::Record { number: 4, .. })));

    // A changed text definition: the compact form defines each text once, at its
    // first use. "Agenda surat" (12 bytes: hashed whole) is defined in event 3's
    // record; changed there, event 3 no longer matches its hash.
    let mut changed = bin.clone();
    let i = changed.windows(12).position(|w| w == b"Agenda surat").expect("defined once");
    assert_eq!(changed.windows(12).filter(|w| *w == b"Agenda surat").count(), 1);
    assert!((offsets[2]..offsets[3]).contains(&(i as u64)), "defined in record 3");
    changed[i + 11] = b'T';
    assert_eq!(compact_problem(&changed), (ChainFault::Edited, 3, record(3)));
    // The rejection's reason "bukan tugas hari ini" (20 bytes: hashed as its
    // digest) is defined in event 6's record.
    let mut changed = bin.clone();
    let i = changed.windows(20).position(|w| w == b"bukan tugas hari ini").expect("defined");
    assert!((offsets[5]..offsets[6]).contains(&(i as u64)), "defined in record 6");
    changed[i] = b'B';
    assert_eq!(compact_problem(&changed), (ChainFault::Edited, 6, record(6)));

    // A torn last record: the final checkpoint and half of event 7 cut off.
    let cut = &bin[..(offsets[6] as usize + 10)];
    let v = verify(cut, None).unwrap();
    assert_eq!(v.events, 6);
    assert!(v.problem.is_none() && v.unreadable.is_none());
    assert_eq!(v.torn.as_ref().map(|t| t.position), record(7));
    let (ledger, torn) = Ledger::from_reader(&ctx, JournalReader::new(cut).unwrap(), true).unwrap();
    assert!(torn.is_some());
    assert_eq!(ledger.head(), j.events[5].head());
}

/// The journal of `month` as version 2 wrote it: the same events, each hashed in
/// version 2's canonical form.
fn as_version_2(j: &Journal) -> Journal {
    let mut v2 = j.clone();
    v2.header.version = 2;
    let mut prev = v2.header.start.hash;
    let mut buf = Vec::new();
    for e in &mut v2.events {
        e.prev = prev;
        e.hash = e.compute_hash_in(2, &mut buf);
        prev = e.hash;
    }
    v2
}

#[test]
fn version_2_journals_still_verify_by_their_own_chain_and_replay() {
    let city = city();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, oct()).unwrap();
    let live = month(&ctx);
    let j = live.journal();
    let v2 = as_version_2(&j);
    assert_ne!(v2.head(), j.head(), "another canonical form, other hashes");
    for format in [JournalFormat::Text, JournalFormat::Binary] {
        let bytes = v2.write(Vec::new(), format).unwrap();
        let v = verify(bytes.as_slice(), Some(v2.head())).unwrap();
        assert!(v.holds(), "{format:?}: {v:?}");
        assert_eq!((v.header.version, v.events), (2, 7));
        // Read back: the same events and hashes, written again as version 2.
        let (back, torn) = Journal::read(bytes.as_slice()).unwrap();
        assert!(torn.is_none());
        assert_eq!(back, v2);
        assert_eq!(back.write(Vec::new(), format).unwrap(), bytes);
        // Replayed: the live month's state, at the version 2 head; a command
        // executed after it is hashed in version 2 too, so the chain stays whole.
        let (mut ledger, _) = Ledger::from_reader(&ctx, JournalReader::new(bytes.as_slice()).unwrap(), true).unwrap();
        assert_eq!(ledger.state(), live.state());
        assert_eq!(ledger.head(), v2.head());
        let close = req(HR1, at(d(2026, 11, 9), 9, 0), Command::CloseMonth);
        ledger.execute(&ctx, close).unwrap();
        let after = ledger.journal();
        assert_eq!(after.header.version, 2);
        assert!(verify(after.write(Vec::new(), format).unwrap().as_slice(), Some(ledger.head())).unwrap().holds());
        // Tampering is still named: event 3 edited.
        let mut edited = v2.clone();
        if let EventKind::ActivityLogged(c) = &mut edited.events[2].kind {
            c.input.quantity = 30;
        }
        let (fault, seq, _) = problem(&edited.write(Vec::new(), format).unwrap());
        assert_eq!((fault, seq), (ChainFault::Edited, 3));
    }
    // Checked against version 3's canonical form, a version 2 journal fails at its
    // first event: the header's version decides the form.
    let mut relabelled = v2.clone();
    relabelled.header.version = 3;
    assert_eq!(problem(relabelled.to_json().as_bytes()).0, ChainFault::Edited);
}

/// Files written by version 2 of this library (commit 11ddaf9, before version 3),
/// kept in `tests/data/`: the seven events of `month`, text and compact.
#[test]
fn version_2_files_written_before_version_3_still_verify() {
    let city = city();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, oct()).unwrap();
    let live = month(&ctx);
    let expected = as_version_2(&live.journal());
    for (name, bytes) in [
        ("journal-v2.jsonl", &include_bytes!("data/journal-v2.jsonl")[..]),
        ("journal-v2.kjb", &include_bytes!("data/journal-v2.kjb")[..]),
    ] {
        let v = verify(bytes, None).unwrap();
        assert!(v.holds(), "{name}: {v:?}");
        assert_eq!(v.head, expected.head(), "{name}");
        let (ledger, torn) = Ledger::from_reader(&ctx, JournalReader::new(bytes).unwrap(), false).unwrap();
        assert!(torn.is_none());
        assert_eq!(ledger.state(), live.state(), "{name}");
    }
}

/// An entry's revision counts its edits in 32 bits: the edit that would take it past
/// `u32::MAX` is refused with a conflict on `revision` and changes nothing (it does not
/// wrap to 0, nor panic). Only a state from elsewhere can be that far: here a
/// snapshot whose third entry claims 4,294,967,294 edits, sealed again.
#[test]
fn an_edit_past_the_largest_revision_is_refused_not_wrapped() {
    let city = city();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, oct()).unwrap();
    let live = month(&ctx);
    let head = live.head();
    let mut snap = live.snapshot();
    // Entry 3 (index 2): logged on Tuesday 6 October, still submitted.
    snap.state.entries.update(2, |e| e.revision = u32::MAX - 1);
    snap.seal = Snapshot::seal_of(&snap.head, &snap.state);
    let mut l = Ledger::from_snapshot(&ctx, snap, &head).unwrap();
    assert_eq!(l.state().entries.revision(2), Some(u32::MAX - 1));
    let edit = |from| Command::EditActivity { id: ActivityId(3), input: work(6, from, from + 2, 4) };
    l.execute(&ctx, req(STAFF, at(d(2026, 10, 6), 17, 0), edit(13))).unwrap();
    assert_eq!(l.state().entries.revision(2), Some(u32::MAX));
    let (state, head) = (l.state().clone(), l.head());
    let e = l.execute(&ctx, req(STAFF, at(d(2026, 10, 6), 17, 5), edit(14))).unwrap_err();
    assert_eq!(e.code(), "conflict");
    assert!(matches!(&e, LedgerError::Conflict { field: "revision", .. }), "{e:?}");
    assert_eq!((l.state(), l.head()), (&state, head), "nothing changed");
}
