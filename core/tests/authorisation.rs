//! The authorisation matrix of `docs/authorisation.md`, run cell by cell against
//! the engine, and the rules around it: officials for top positions, closing and
//! reopening a month.
//!
//! The matrix city is the shared test city (see `common/mod.rs`) plus, all in the
//! personnel agency BKD unless said otherwise: a Plh of the section head's position
//! from 5 to 9 October (PLH), a Plt of it from 12 to 16 October (PLT), a delegate of
//! its verification from 1 to 9 October (DELEG), the attendance officer of BKD (OFF),
//! and a former staff member of DINAS whose service ended on 2 October (FORMER).
//! The work concerned is the staff member's, done on Monday 5 October 2026.

use chrono::NaiveDate;
use kinerja::activity::{ActivityId, ActivityInput, Decision};
use kinerja::attendance::{Absence, AbsenceKind, ClockDirection, ClockEvent, ClockSource, LeaveKind};
use kinerja::dataset::{City, Dataset};
use kinerja::ledger::{Command, EventKind, ExtraTask, Ledger, LedgerError, MonthContext, RollCallList};
use kinerja::policy::Policy;
use kinerja::rollcall::{Ceremony, RollCallKind, RollCallMark};
use kinerja::{DateRange, Minutes, YearMonth};

mod common;
use common::*;

const PLH: &str = "199301012018011009";
const PLT: &str = "198812122014121010";
const DELEG: &str = "199005052016052011";
const OFF: &str = "199407072019071013";
const FORMER: &str = "196010102000101012";
const UNKNOWN: &str = "199912312022121001";

fn matrix_city() -> City {
    let mut v = city_json();
    // HR2 is only an HR officer here; OFF is the attendance officer of BKD.
    v["officers"].as_array_mut().unwrap().retain(|o| !(o["employee"] == HR2 && o["role"] == "attendance"));
    v["officers"].as_array_mut().unwrap().push(serde_json::json!(
        { "employee": OFF, "role": "attendance", "unit": "BKD", "from": "2020-01-01", "reference": "SK 800/5 (uji)" }
    ));
    let employees = v["employees"].as_array_mut().unwrap();
    for (n, name) in [(PLH, "Plh"), (PLT, "Plt"), (DELEG, "Delegasi"), (OFF, "Petugas Apel BKD"), (FORMER, "Pensiun")] {
        employees.push(serde_json::json!({ "nip": n, "name": name, "rank": "III/a", "employment": "PNS" }));
    }
    let a = v["assignments"].as_array_mut().unwrap();
    for n in [PLH, PLT, DELEG, OFF] {
        a.push(
            serde_json::json!({ "employee": n, "position": "BKD-STAF", "kind": "definitive", "from": "2020-01-01" }),
        );
    }
    a.push(serde_json::json!(
        { "employee": PLH, "position": "KASI", "kind": "plh", "from": "2026-10-05", "until": "2026-10-09" }
    ));
    a.push(serde_json::json!(
        { "employee": PLT, "position": "KASI", "kind": "plt", "from": "2026-10-12", "until": "2026-10-16" }
    ));
    a.push(serde_json::json!(
        { "employee": FORMER, "position": "STAF", "kind": "definitive", "from": "2020-01-01", "until": "2026-10-02" }
    ));
    v["delegations"] = serde_json::json!([
        { "position": "KASI", "delegate": DELEG, "from": "2026-10-01", "until": "2026-10-09",
          "reference": "Nota Dinas 800/9/2026" }
    ]);
    Dataset::load_city(&v.to_string()).expect("matrix city")
}

fn oct() -> YearMonth {
    YearMonth::new(2026, 10).unwrap()
}

fn day(n: u32) -> NaiveDate {
    d(2026, 10, n)
}

/// A matrix column: its header in the document, the actor and the day it acts.
struct Column {
    header: &'static str,
    actor: &'static str,
    day: u32,
}

const COLUMNS: &[Column] = &[
    Column { header: "self", actor: STAFF, day: 6 },
    Column { header: "supervisor", actor: KASI, day: 6 },
    Column { header: "sup. of sup.", actor: HEAD, day: 6 },
    Column { header: "Plh in", actor: PLH, day: 7 },
    Column { header: "Plh out", actor: PLH, day: 14 },
    Column { header: "Plt in", actor: PLT, day: 14 },
    Column { header: "Plt out", actor: PLT, day: 7 },
    Column { header: "delegate in", actor: DELEG, day: 7 },
    Column { header: "delegate after", actor: DELEG, day: 14 },
    Column { header: "peer", actor: PEER, day: 6 },
    Column { header: "other officer", actor: OFF, day: 6 },
    Column { header: "unit officer", actor: ATT, day: 6 },
    Column { header: "HR", actor: HR1, day: 6 },
    Column { header: "other HR", actor: HR2, day: 6 },
    Column { header: "device", actor: FP_DINAS, day: 6 },
    Column { header: "other device", actor: FACE_BKD, day: 6 },
    Column { header: "official", actor: WALIKOTA, day: 6 },
    Column { header: "unknown", actor: UNKNOWN, day: 6 },
    Column { header: "former", actor: FORMER, day: 6 },
];

fn work(date: NaiveDate, from: u32, to: u32, quantity: i64) -> ActivityInput {
    ActivityInput {
        employee: nip(STAFF),
        date,
        start: t(from, 0),
        end: t(to, 0),
        task: "STAF-T1".into(),
        quantity,
        description: "Agenda surat".into(),
        evidence: None,
    }
}

/// The month before every cell: a ceremony declared on the 1st; on Monday the 5th
/// the staff member logs entry 1 (08:00-09:00, submitted) and entry 2 (09:00-10:00,
/// returned by the section head at 16:30); for the reopen row, HR1 closes the month
/// at 17:00.
fn setup(ctx: &MonthContext<'_>, closed: bool) -> Ledger {
    let mut l = Ledger::new(oct());
    let ceremony = Ceremony { date: day(19), name: "Upacara HKN".into() };
    l.execute(ctx, req(HR1, at(day(1), 8, 0), Command::DeclareCeremony { ceremony })).unwrap();
    l.execute(ctx, req(STAFF, at(day(5), 16, 0), Command::LogActivity { input: work(day(5), 8, 9, 3) })).unwrap();
    l.execute(ctx, req(STAFF, at(day(5), 16, 1), Command::LogActivity { input: work(day(5), 9, 10, 2) })).unwrap();
    let back = Decision::Return { reason: "lengkapi bukti".into() };
    l.execute(ctx, req(KASI, at(day(5), 16, 30), Command::Verify { id: ActivityId(2), decision: back })).unwrap();
    if closed {
        l.execute(ctx, req(HR1, at(day(5), 17, 0), Command::CloseMonth)).unwrap();
    }
    l
}

/// The command of a matrix row, made on `on`.
fn command(row: &str, on: NaiveDate) -> Command {
    let approve = || Decision::Approve { quantity: None };
    match row {
        "log_activity" => Command::LogActivity { input: work(on, 13, 14, 2) },
        "edit_activity" => Command::EditActivity { id: ActivityId(1), input: work(day(5), 8, 9, 2) },
        "resubmit" => Command::Resubmit { id: ActivityId(2) },
        "verify" => Command::Verify { id: ActivityId(1), decision: approve() },
        "verify_many" => Command::VerifyMany { decisions: vec![(ActivityId(1), approve())] },
        "register_extra_task" => Command::RegisterExtraTask {
            task: ExtraTask {
                id: "EXTRA-1".into(),
                employee: nip(STAFF),
                name: "Panitia HUT Kota".into(),
                output_unit: "kegiatan".into(),
                standard_minutes: Minutes(60),
                from: on,
                until: None,
            },
        },
        "record_clock (reader)" | "record_clock (phone)" => Command::RecordClock {
            event: ClockEvent {
                employee: nip(STAFF),
                at: at(on, 16, 0),
                direction: ClockDirection::Out,
                source: if row.ends_with("(reader)") {
                    ClockSource::Fingerprint
                } else {
                    ClockSource::Mobile {
                        latitude: "5.5483".parse().unwrap(),
                        longitude: "95.3238".parse().unwrap(),
                        accuracy_m: Some(10),
                    }
                },
                geofence: None,
            },
        },
        "record_absence (permit)" | "record_absence (annual leave)" => Command::RecordAbsence {
            absence: Absence {
                employee: nip(STAFF),
                range: DateRange::new(day(8), day(8)).unwrap(),
                kind: if row.ends_with("(permit)") {
                    AbsenceKind::Permit
                } else {
                    AbsenceKind::Leave(LeaveKind::Annual)
                },
                evidence: Some("surat 1/2026".into()),
                note: None,
            },
        },
        "mark_roll_call" => Command::MarkRollCall {
            mark: RollCallMark { employee: nip(STAFF), date: on, kind: RollCallKind::Morning, attended: true },
        },
        "record_roll_call" => Command::RecordRollCall {
            list: RollCallList {
                date: on,
                kind: RollCallKind::Morning,
                attended: vec![nip(STAFF), nip(PEER)],
                absent: vec![],
            },
        },
        "declare_ceremony" => {
            Command::DeclareCeremony { ceremony: Ceremony { date: day(20), name: "Upacara Sumpah Pemuda".into() } }
        }
        "close_month" => Command::CloseMonth,
        "reopen_month" => Command::ReopenMonth { reason: "koreksi presensi 5 Oktober".into() },
        other => panic!("the document names a command the test does not know: `{other}`"),
    }
}

/// The matrix as the document writes it: (command, cells in column order).
fn documented_matrix() -> Vec<(String, Vec<String>)> {
    let doc = include_str!("../../docs/authorisation.md");
    let start = doc.find("<!-- matrix:start -->").expect("matrix start marker");
    let end = doc.find("<!-- matrix:end -->").expect("matrix end marker");
    let cells = |line: &str| -> Vec<String> {
        line.trim().trim_matches('|').split('|').map(|c| c.trim().to_string()).collect()
    };
    let mut lines = doc[start..end].lines().filter(|l| l.trim_start().starts_with('|'));
    let header = cells(lines.next().expect("header row"));
    let names: Vec<&str> = COLUMNS.iter().map(|c| c.header).collect();
    assert_eq!(header[1..], names[..], "the document's columns are the test's columns");
    lines
        .filter(|l| !l.contains("---"))
        .map(|l| {
            let mut c = cells(l);
            let row = c.remove(0);
            assert_eq!(c.len(), COLUMNS.len(), "row `{row}` has a cell per column");
            (row, c)
        })
        .collect()
}

/// What a refusal is called in the matrix: the reason of `not_authorised`, else the code.
fn outcome(r: Result<(), LedgerError>) -> String {
    match r {
        Ok(()) => "✓".to_string(),
        Err(LedgerError::NotAuthorised(n)) => n.reason().to_string(),
        Err(e) => e.code().to_string(),
    }
}

#[test]
fn every_cell_of_the_documented_matrix_holds() {
    let city = matrix_city();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, oct()).unwrap();
    let matrix = documented_matrix();
    assert_eq!(matrix.len(), 15, "every command of the matrix has its row");
    let (mut allowed, mut refused) = (0, 0);
    for (row, cells) in &matrix {
        for (col, expected) in COLUMNS.iter().zip(cells) {
            let mut l = setup(&ctx, row == "reopen_month");
            let (before, head, events) = (l.snapshot(), l.head(), l.events().len());
            let on = day(col.day);
            let got = outcome(l.execute(&ctx, req(col.actor, at(on, 16, 0), command(row, on))).map(|_| ()));
            assert_eq!(&got, expected, "{row} by {} ({}) on {on}", col.header, col.actor);
            if got == "✓" {
                allowed += 1;
                assert_eq!(l.events().len(), events + 1);
            } else {
                refused += 1;
                // A refusal changes neither the state nor the journal.
                assert_eq!(l.snapshot(), before, "{row} by {}: state changed", col.header);
                assert_eq!((l.head(), l.events().len()), (head, events), "{row} by {}: journal changed", col.header);
            }
        }
    }
    // 15 rows x 19 columns.
    assert_eq!(allowed + refused, 285);
    // 1 + 1 + 1 (own entries) + 3 x 4 (verifiers) + 1 + 1 (clocks) + 3 + 2 (absences)
    // + 1 + 1 (roll calls) + 2 + 2 + 1 (HR) = 29.
    assert_eq!(allowed, 29, "the allowed cells of the document");
}

#[test]
fn the_mayor_verifies_the_top_positions_in_office_only() {
    let city = matrix_city();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, oct()).unwrap();
    let mut l = Ledger::new(oct());
    // The head of the unit (KADIS, a top position) has no supervising position: only
    // the official named for it decides on their work. KADIS has no task of its own in
    // the test city, so the mayor first registers an extra task for the head.
    let mut input = work(day(5), 8, 9, 2);
    input.employee = nip(HEAD);
    let task = ExtraTask {
        id: "KADIS-X1".into(),
        employee: nip(HEAD),
        name: "Memimpin rapat koordinasi".into(),
        output_unit: "rapat".into(),
        standard_minutes: Minutes(60),
        from: day(1),
        until: None,
    };
    // The deputy is named for no position.
    let e =
        l.execute(&ctx, req(WAKIL, at(day(1), 9, 0), Command::RegisterExtraTask { task: task.clone() })).unwrap_err();
    assert_eq!(outcome(Err(e)), "not_the_verifier");
    l.execute(&ctx, req(WALIKOTA, at(day(1), 9, 0), Command::RegisterExtraTask { task })).unwrap();
    input.task = "KADIS-X1".into();
    l.execute(&ctx, req(HEAD, at(day(5), 16, 0), Command::LogActivity { input })).unwrap();
    let approve = Command::Verify { id: ActivityId(1), decision: Decision::Approve { quantity: None } };
    // The section head is below, not above, the head.
    assert_eq!(outcome(l.execute(&ctx, req(KASI, at(day(6), 9, 0), approve.clone())).map(|_| ())), "no_supervisor");
    let ev = l.execute(&ctx, req(WALIKOTA, at(day(6), 9, 0), approve)).unwrap();
    match &ev.kind {
        EventKind::Transitions(b) => assert_eq!(b.items[0].role, Some(kinerja::org::VerifierRole::Official)),
        other => panic!("{other:?}"),
    }
    // Out of office, the mayor decides nothing: a city whose mayor left on 4 October.
    let mut v = city_json();
    v["officials"][0]["until"] = "2026-10-04".into();
    let city2 = Dataset::load_city(&v.to_string()).unwrap();
    let ctx2 = MonthContext::new(&city2, &policy, oct()).unwrap();
    let mut l2 = Ledger::new(oct());
    let mut input = work(day(5), 8, 9, 2);
    input.employee = nip(KABAN);
    input.task = "STAF-T1".into();
    let task = ExtraTask {
        id: "KABAN-X1".into(),
        employee: nip(KABAN),
        name: "Rapat".into(),
        output_unit: "rapat".into(),
        standard_minutes: Minutes(60),
        from: day(1),
        until: None,
    };
    l2.execute(&ctx2, req(WALIKOTA, at(day(1), 9, 0), Command::RegisterExtraTask { task })).unwrap();
    input.task = "KABAN-X1".into();
    l2.execute(&ctx2, req(KABAN, at(day(5), 16, 0), Command::LogActivity { input })).unwrap();
    let approve = Command::Verify { id: ActivityId(1), decision: Decision::Approve { quantity: None } };
    assert_eq!(outcome(l2.execute(&ctx2, req(WALIKOTA, at(day(6), 9, 0), approve)).map(|_| ())), "not_in_service");
}

#[test]
fn closing_and_reopening_are_controlled_and_recorded() {
    let city = matrix_city();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, oct()).unwrap();
    let mut l = setup(&ctx, false);
    // Reopening an open month: nothing to reopen.
    let reopen = |reason: &str| Command::ReopenMonth { reason: reason.into() };
    assert_eq!(outcome(l.execute(&ctx, req(HR2, at(day(6), 8, 0), reopen("x"))).map(|_| ())), "not_closed");
    l.execute(&ctx, req(HR1, at(day(6), 9, 0), Command::CloseMonth)).unwrap();
    // Closed: no change is accepted, not even by HR.
    let absence = Absence {
        employee: nip(STAFF),
        range: DateRange::new(day(8), day(8)).unwrap(),
        kind: AbsenceKind::Permit,
        evidence: None,
        note: None,
    };
    let e = l.execute(&ctx, req(HR2, at(day(6), 10, 0), Command::RecordAbsence { absence: absence.clone() }));
    assert_eq!(outcome(e.map(|_| ())), "month_closed");
    // The officer who closed it may not reopen it; another needs a reason.
    assert_eq!(outcome(l.execute(&ctx, req(HR1, at(day(6), 10, 0), reopen("koreksi"))).map(|_| ())), "same_officer");
    assert_eq!(outcome(l.execute(&ctx, req(HR2, at(day(6), 10, 0), reopen("  "))).map(|_| ())), "missing_reason");
    l.execute(&ctx, req(HR2, at(day(6), 10, 5), reopen("izin 8 Oktober belum tercatat"))).unwrap();
    assert!(!l.is_closed());
    l.execute(&ctx, req(HR2, at(day(6), 10, 10), Command::RecordAbsence { absence })).unwrap();
    // Closed again, by the officer who reopened it this time.
    l.execute(&ctx, req(HR2, at(day(6), 11, 0), Command::CloseMonth)).unwrap();
    let s = l.state();
    assert_eq!(s.closed.as_ref().map(|c| c.by.clone()), Some(actor(HR2)));
    assert_eq!(s.reopened.len(), 1);
    assert_eq!(s.reopened[0].closed.by, actor(HR1));
    assert_eq!(s.reopened[0].by, actor(HR2));
    assert_eq!(s.reopened[0].reason, "izin 8 Oktober belum tercatat");
    // Both acts are events of the journal, and replay gives the same state.
    let kinds: Vec<&str> = l.events().iter().map(|e| e.kind.name()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "month_closed").count(), 2);
    assert_eq!(kinds.iter().filter(|k| **k == "month_reopened").count(), 1);
    let replayed = Ledger::replay(&ctx, &l.journal()).unwrap();
    assert_eq!(replayed.snapshot(), l.snapshot());
}

#[test]
fn a_peer_cannot_book_unexcused_days_for_a_colleague_nor_a_stranger_close_the_month() {
    // The two defects that opened issue #9.
    let city = matrix_city();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, oct()).unwrap();
    let mut l = Ledger::new(oct());
    for n in [5, 6, 7, 8] {
        let absence = Absence {
            employee: nip(STAFF),
            range: DateRange::new(day(n), day(n)).unwrap(),
            kind: AbsenceKind::Unexcused,
            evidence: None,
            note: None,
        };
        let e = l.execute(&ctx, req(PEER, at(day(9), 8, 0), Command::RecordAbsence { absence })).unwrap_err();
        assert_eq!(outcome(Err(e)), "not_the_employee");
        // Not even for themselves: unexcused absence is never self-reported.
        let absence = Absence {
            employee: nip(PEER),
            range: DateRange::new(day(n), day(n)).unwrap(),
            kind: AbsenceKind::Unexcused,
            evidence: None,
            note: None,
        };
        let e = l.execute(&ctx, req(PEER, at(day(9), 8, 0), Command::RecordAbsence { absence })).unwrap_err();
        assert_eq!(outcome(Err(e)), "not_self_reportable");
    }
    let e = l.execute(&ctx, req(UNKNOWN, at(day(5), 8, 0), Command::CloseMonth)).unwrap_err();
    assert_eq!(outcome(Err(e)), "unknown_actor");
    assert!(!l.is_closed());
    assert_eq!(l.head().seq, 0);
}

#[test]
fn an_hr_officer_records_their_own_absences_like_everyone_else() {
    let city = matrix_city();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, oct()).unwrap();
    let mut l = Ledger::new(oct());
    let own = |kind| Absence {
        employee: nip(HR1),
        range: DateRange::new(day(8), day(9)).unwrap(),
        kind,
        evidence: Some("surat tugas 090/1".into()),
        note: None,
    };
    // Official travel would lower HR1's own target: not by HR1's own hand.
    let e = l
        .execute(&ctx, req(HR1, at(day(6), 9, 0), Command::RecordAbsence { absence: own(AbsenceKind::OfficialTravel) }))
        .unwrap_err();
    assert_eq!(outcome(Err(e)), "not_self_reportable");
    // Another HR officer records it; HR1 may still report a permit for themself.
    l.execute(&ctx, req(HR2, at(day(6), 9, 5), Command::RecordAbsence { absence: own(AbsenceKind::OfficialTravel) }))
        .unwrap();
    let mut permit = own(AbsenceKind::Permit);
    permit.range = DateRange::new(day(12), day(12)).unwrap();
    l.execute(&ctx, req(HR1, at(day(6), 9, 10), Command::RecordAbsence { absence: permit })).unwrap();
}
