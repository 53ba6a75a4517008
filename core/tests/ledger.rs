//! The month ledger end to end: commands, the journal, replay and the recap.
//!
//! The test city: one unit with a head (KADIS), a section head (KASI) under the
//! head, and two staff (STAF) under the section head. Staff task STAF-T1 takes
//! 15 standard minutes per letter.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use kinerja::activity::{ActivityId, ActivityInput, Decision, VerificationStatus};
use kinerja::attendance::{Absence, AbsenceKind, ClockDirection, ClockEvent, ClockSource, LeaveKind};
use kinerja::ledger::{Command, Journal, Ledger, LedgerError, MonthContext, RollCallList};
use kinerja::policy::Policy;
use kinerja::recap::monthly_recap;
use kinerja::rollcall::{Ceremony, RollCallKind};
use kinerja::{DateRange, Minutes, YearMonth};

mod common;
use common::*;

fn entry(date: NaiveDate, start: NaiveTime, end: NaiveTime, quantity: i64) -> ActivityInput {
    ActivityInput {
        employee: nip(STAFF),
        date,
        start,
        end,
        task: "STAF-T1".into(),
        quantity,
        description: "Agenda surat masuk".into(),
        evidence: None,
    }
}

fn log(ledger: &mut Ledger, ctx: &MonthContext<'_>, input: ActivityInput, when: NaiveDateTime) -> ActivityId {
    ledger.execute(ctx, req(STAFF, when, Command::LogActivity { input })).expect("logged");
    ActivityId(ledger.state().entries.len() as u64)
}

fn clock(ledger: &mut Ledger, ctx: &MonthContext<'_>, who: &str, when: NaiveDateTime, dir: ClockDirection) {
    let event =
        ClockEvent { employee: nip(who), at: when, direction: dir, source: ClockSource::Fingerprint, geofence: None };
    ledger.execute(ctx, req(FP_DINAS, when, Command::RecordClock { event })).expect("clock");
}

#[test]
fn verified_minutes_and_achievement_by_hand() {
    let city = city();
    let policy = Policy::national();
    let oct = YearMonth::new(2026, 10).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    let mut l = Ledger::new(oct);
    // Mon 5 Oct: 08:00-09:00, 3 letters x 15 min = 45 min (inside the 60-minute span).
    let a = log(&mut l, &ctx, entry(d(2026, 10, 5), t(8, 0), t(9, 0), 3), at(d(2026, 10, 5), 16, 0));
    // Mon 5 Oct: 09:00-09:30, 4 letters x 15 = 60 min, capped by the 30-minute span -> 30.
    let b = log(&mut l, &ctx, entry(d(2026, 10, 5), t(9, 0), t(9, 30), 4), at(d(2026, 10, 5), 16, 1));
    // The section head approves a at 2 letters (2 x 15 = 30) and b as claimed (30).
    l.execute(
        &ctx,
        req(
            KASI,
            at(d(2026, 10, 9), 15, 0),
            Command::Verify { id: a, decision: Decision::Approve { quantity: Some(2) } },
        ),
    )
    .unwrap();
    l.execute(
        &ctx,
        req(KASI, at(d(2026, 10, 9), 15, 1), Command::Verify { id: b, decision: Decision::Approve { quantity: None } }),
    )
    .unwrap();
    let recap = monthly_recap(&l, &ctx, d(2026, 11, 30)).unwrap();
    let staff = recap.employees.iter().find(|e| e.employee == nip(STAFF)).unwrap();
    // Target: October 2026 has 22 working days and no holidays: 22 x 300 = 6,600 min.
    assert_eq!(staff.target.target_minutes, Minutes(6_600));
    // Verified: 30 + 30 = 60 min; achievement 60 / 6,600 x 100 = 0.909090...%
    assert_eq!(staff.verified_minutes, Minutes(60));
    let pct = staff.achievement_percent.unwrap();
    assert_eq!(pct.round_dp(6).to_string(), "0.909091");
    assert_eq!(staff.entries.approved, 2);
    // The unit's totals add the four employees' targets: 4 x 6,600 = 26,400.
    assert_eq!(recap.units[0].target_minutes, Minutes(26_400));
    assert_eq!(recap.units[0].verified_minutes, Minutes(60));
    // One employee's recap alone gives the same hand-computed figures.
    let alone = kinerja::recap::employee_recap(&l, &ctx, &nip(STAFF), d(2026, 11, 30)).unwrap();
    assert_eq!(alone.verified_minutes, Minutes(60));
    assert_eq!(alone.target.target_minutes, Minutes(6_600));
    assert_eq!(&alone, staff);
    let stranger = kinerja::recap::employee_recap(&l, &ctx, &nip("199912122020121009"), d(2026, 11, 30));
    assert_eq!(stranger.unwrap_err().code(), "unknown_employee");
}

/// Plumbing, not a rule: `employee_recap` selects one employee's records and runs
/// the same computation as `monthly_recap`; on a simulated month of a generated
/// city (clocks, absences, roll calls, every status) each employee's line agrees.
/// The rule's own figures are checked by hand above.
#[test]
fn one_employees_recap_agrees_with_their_line_of_the_city_recap() {
    let config = kinerja::generator::GeneratorConfig { seed: 3, units: 3, employees: 120, year: 2026 };
    let city = kinerja::generator::generate(&config).unwrap().into_city().unwrap();
    let policy = Policy::national();
    let oct = YearMonth::new(2026, 10).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    let (l, report) = kinerja::simulate::simulate_month(&ctx, 5, false).unwrap();
    assert!(report.accepted > 1_000, "the simulation made a month: {}", report.accepted);
    for as_of in [d(2026, 10, 14), d(2026, 11, 30)] {
        let all = monthly_recap(&l, &ctx, as_of).unwrap();
        assert_eq!(all.employees.len(), 120);
        for line in &all.employees {
            let alone = kinerja::recap::employee_recap(&l, &ctx, &line.employee, as_of).unwrap();
            assert_eq!(&alone, line, "{} as of {as_of}", line.employee);
        }
    }
}

#[test]
fn a_failed_command_changes_nothing() {
    let city = city();
    let policy = Policy::national();
    let oct = YearMonth::new(2026, 10).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    let mut l = Ledger::new(oct);
    let a = log(&mut l, &ctx, entry(d(2026, 10, 5), t(8, 0), t(9, 0), 3), at(d(2026, 10, 5), 16, 0));
    let before = l.snapshot();
    let journal_before = l.events().len();
    let attempts = [
        // A peer may not verify.
        (PEER, Command::Verify { id: a, decision: Decision::Approve { quantity: None } }, "not_authorised"),
        // The employee may not verify their own work.
        (STAFF, Command::Verify { id: a, decision: Decision::Approve { quantity: None } }, "not_authorised"),
        // The supervisor's supervisor may not either while the section head is in post.
        (HEAD, Command::Verify { id: a, decision: Decision::Approve { quantity: None } }, "not_authorised"),
        // An overlapping entry.
        (STAFF, Command::LogActivity { input: entry(d(2026, 10, 5), t(8, 30), t(9, 30), 1) }, "overlapping_entry"),
        // A batch with one bad decision refuses every decision in it.
        (
            KASI,
            Command::VerifyMany {
                decisions: vec![
                    (a, Decision::Approve { quantity: None }),
                    (ActivityId(99), Decision::Approve { quantity: None }),
                ],
            },
            "unknown_entry",
        ),
        // A date outside the ledger's month.
        (STAFF, Command::LogActivity { input: entry(d(2026, 9, 30), t(8, 0), t(9, 0), 1) }, "wrong_month"),
    ];
    for (actor, command, code) in attempts {
        let err = l.execute(&ctx, req(actor, at(d(2026, 10, 5), 17, 0), command)).expect_err("refused");
        assert_eq!(err.code(), code, "{err}");
        assert_eq!(l.snapshot(), before, "state unchanged after {code}");
        assert_eq!(l.events().len(), journal_before, "journal unchanged after {code}");
    }
}

/// An idempotency key is 1 to 200 bytes without control characters (a NUL
/// cannot be kept in every database): anything else is refused before the
/// command runs, and nothing is recorded.
#[test]
fn an_idempotency_key_is_short_printable_text() {
    let city = city();
    let policy = Policy::national();
    let oct = YearMonth::new(2026, 10).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    let mut l = Ledger::new(oct);
    let when = at(d(2026, 10, 5), 7, 25);
    let scan = || ClockEvent {
        employee: nip(STAFF),
        at: when,
        direction: ClockDirection::In,
        source: ClockSource::Fingerprint,
        geofence: None,
    };
    let long = "k".repeat(201);
    for key in ["", "fp\u{0}1", "fp\n1", "fp\u{7f}", long.as_str()] {
        let r = req(FP_DINAS, when, Command::RecordClock { event: scan() }).with_key(key);
        let err = l.execute(&ctx, r).expect_err("refused");
        assert_eq!(err.code(), "conflict", "{key:?}: {err}");
        assert!(matches!(err, LedgerError::Conflict { field: "key", .. }), "{key:?}: {err}");
        assert!(l.events().is_empty(), "{key:?} recorded");
    }
    for (i, key) in ["fp-1", "device:FP-DINAS:log 7/ü", &"k".repeat(200)].into_iter().enumerate() {
        let when = at(d(2026, 10, 5), 7, 26 + i as u32);
        let event = ClockEvent { at: when, ..scan() };
        let r = req(FP_DINAS, when, Command::RecordClock { event }).with_key(key);
        let seq = l.execute(&ctx, r).expect("a printable key").seq;
        assert_eq!(l.events().last().map(|e| e.seq), Some(seq));
    }
}

#[test]
fn journal_replay_and_snapshot_rebuild_the_same_state() {
    let city = city();
    let policy = Policy::national();
    let oct = YearMonth::new(2026, 10).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    let mut l = Ledger::new(oct);
    let mon = d(2026, 10, 5);
    // Thursday 1 October: HR records a leave and declares a ceremony.
    l.execute(
        &ctx,
        req(
            HR1,
            at(d(2026, 10, 1), 8, 0),
            Command::RecordAbsence {
                absence: Absence {
                    employee: nip(PEER),
                    range: DateRange::new(d(2026, 10, 12), d(2026, 10, 13)).unwrap(),
                    kind: AbsenceKind::Leave(LeaveKind::Annual),
                    evidence: None,
                    note: Some("cuti tahunan".into()),
                },
            },
        ),
    )
    .unwrap();
    l.execute(
        &ctx,
        req(
            HR1,
            at(d(2026, 10, 1), 8, 0),
            Command::DeclareCeremony { ceremony: Ceremony { date: d(2026, 10, 19), name: "Upacara".into() } },
        ),
    )
    .unwrap();
    // Monday 5 October: the day's scans, three entries, the roll call.
    clock(&mut l, &ctx, STAFF, at(mon, 7, 41), ClockDirection::In);
    let a = log(&mut l, &ctx, entry(mon, t(8, 0), t(9, 0), 3), at(mon, 16, 0));
    let b = log(&mut l, &ctx, entry(mon, t(9, 0), t(10, 0), 2), at(mon, 16, 5));
    let c = log(&mut l, &ctx, entry(mon, t(10, 0), t(11, 0), 2), at(mon, 16, 6));
    clock(&mut l, &ctx, STAFF, at(mon, 16, 10), ClockDirection::Out);
    l.execute(
        &ctx,
        req(
            ATT,
            at(mon, 16, 30),
            Command::RecordRollCall {
                list: RollCallList {
                    date: mon,
                    kind: RollCallKind::Morning,
                    attended: vec![nip(STAFF), nip(PEER)],
                    absent: vec![],
                },
            },
        ),
    )
    .unwrap();
    let k = |when, command| req(KASI, when, command);
    l.execute(
        &ctx,
        k(
            at(d(2026, 10, 6), 9, 0),
            Command::Verify { id: a, decision: Decision::Return { reason: "lengkapi".into() } },
        ),
    )
    .unwrap();
    // The employee edits the returned entry, then resubmits it; it is approved at a lower quantity.
    let mut edited = entry(mon, t(8, 0), t(9, 0), 4);
    edited.description = "Agenda surat masuk dan keluar".into();
    l.execute(&ctx, req(STAFF, at(d(2026, 10, 6), 10, 0), Command::EditActivity { id: a, input: edited })).unwrap();
    l.execute(&ctx, req(STAFF, at(d(2026, 10, 6), 10, 1), Command::Resubmit { id: a })).unwrap();
    l.execute(
        &ctx,
        k(
            at(d(2026, 10, 7), 9, 0),
            Command::VerifyMany {
                decisions: vec![
                    (a, Decision::Approve { quantity: Some(3) }),
                    (b, Decision::Reject { reason: "bukan tugas hari ini".into() }),
                ],
            },
        ),
    )
    .unwrap();
    assert_eq!(l.entry(c).unwrap().status, VerificationStatus::Submitted);

    let journal = Journal::from_json(&l.journal().to_json()).expect("journal JSON reads back");
    let replayed = Ledger::replay(&ctx, &journal).expect("replays");
    assert_eq!(replayed.snapshot(), l.snapshot());
    assert_eq!(replayed.events(), l.events());
    // Transitions record who, when, from, to and why.
    let tr: Vec<_> = replayed.state().transitions.iter().collect();
    assert_eq!(tr.len(), 4);
    assert_eq!(tr[0].by, actor(KASI));
    assert_eq!(tr[0].reason.as_deref(), Some("lengkapi"));
    assert_eq!(tr[1].by, actor(STAFF));
    assert_eq!(tr[2].quantity, Some(3));
    assert_eq!(tr[3].to, VerificationStatus::Rejected);

    let snap_json = serde_json::to_string(&l.snapshot()).unwrap();
    let from_snap = Ledger::from_snapshot(&ctx, serde_json::from_str(&snap_json).unwrap(), &l.head()).unwrap();
    assert_eq!(from_snap.state(), l.state());
    // The recap is the same from any of the three.
    let r1 = monthly_recap(&l, &ctx, d(2026, 10, 31)).unwrap();
    assert_eq!(monthly_recap(&replayed, &ctx, d(2026, 10, 31)).unwrap(), r1);
    assert_eq!(monthly_recap(&from_snap, &ctx, d(2026, 10, 31)).unwrap(), r1);
    // A tampered journal (two events swapped) is refused with the position of the fault.
    let mut bad = journal.clone();
    bad.events.swap(3, 4);
    match Ledger::replay(&ctx, &bad) {
        Err(LedgerError::Replay { seq: 5, .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn pending_entries_at_the_deadline_follow_the_policy() {
    let city = city();
    let oct = YearMonth::new(2026, 10).unwrap();
    let run = |policy: &Policy| {
        let ctx = MonthContext::new(&city, policy, oct).unwrap();
        // Deadline: 5 working days after Sat 31 Oct = Mon 2 .. Fri 6 Nov -> 6 Nov 2026.
        assert_eq!(ctx.deadline, d(2026, 11, 6));
        let mut l = Ledger::new(oct);
        log(&mut l, &ctx, entry(d(2026, 10, 30), t(8, 0), t(9, 0), 3), at(d(2026, 10, 30), 16, 0));
        // Verifying after the deadline is refused.
        let late = l.execute(
            &ctx,
            req(
                KASI,
                at(d(2026, 11, 9), 8, 0),
                Command::Verify { id: ActivityId(1), decision: Decision::Approve { quantity: None } },
            ),
        );
        assert_eq!(late.expect_err("after the deadline").code(), "deadline_passed");
        let before = monthly_recap(&l, &ctx, d(2026, 11, 6)).unwrap();
        let after = monthly_recap(&l, &ctx, d(2026, 11, 7)).unwrap();
        let s =
            |r: &kinerja::recap::MonthlyRecap| r.employees.iter().find(|e| e.employee == nip(STAFF)).unwrap().clone();
        (s(&before), s(&after))
    };
    // Default (not_counted): pending on the deadline day and after it; never counted.
    let (before, after) = run(&Policy::national());
    assert_eq!((before.entries.pending, before.verified_minutes), (1, Minutes(0)));
    assert_eq!((after.entries.pending, after.verified_minutes), (1, Minutes(0)));
    // auto_approve: still pending on the deadline day; counted as claimed after it (3 x 15 = 45).
    let auto = Policy::national()
        .with_toml(
            "auto.toml",
            "[layer]\nname = \"auto\"\n\n[[activity.pending_at_deadline]]\nfrom = 2026-01-01\nvalue = \"auto_approve\"\nref = \"Perwal Uji 1/2026\"\n",
        )
        .unwrap();
    let (before, after) = run(&auto);
    assert_eq!((before.entries.pending, before.verified_minutes), (1, Minutes(0)));
    assert_eq!((after.entries.approved, after.verified_minutes), (1, Minutes(45)));
}

#[test]
fn a_closed_month_accepts_nothing() {
    let city = city();
    let policy = Policy::national();
    let oct = YearMonth::new(2026, 10).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    let mut l = Ledger::new(oct);
    let a = log(&mut l, &ctx, entry(d(2026, 10, 5), t(8, 0), t(9, 0), 3), at(d(2026, 10, 5), 16, 0));
    l.execute(&ctx, req(HR1, at(d(2026, 11, 9), 9, 0), Command::CloseMonth)).unwrap();
    assert!(l.is_closed());
    let err = l
        .execute(
            &ctx,
            req(
                KASI,
                at(d(2026, 11, 9), 10, 0),
                Command::Verify { id: a, decision: Decision::Approve { quantity: None } },
            ),
        )
        .expect_err("closed");
    assert_eq!(err.code(), "month_closed");
    let err = l
        .execute(
            &ctx,
            req(
                STAFF,
                at(d(2026, 11, 9), 10, 0),
                Command::LogActivity { input: entry(d(2026, 10, 30), t(8, 0), t(9, 0), 1) },
            ),
        )
        .expect_err("closed");
    assert_eq!(err.code(), "month_closed");
}

#[test]
fn ramadan_lateness_missing_checkout_and_holidays_in_the_recap() {
    let city = city();
    let policy = Policy::national();
    let mar = YearMonth::new(2026, 3).unwrap();
    let ctx = MonthContext::new(&city, &policy, mar).unwrap();
    let mut l = Ledger::new(mar);
    // Mon 2 Mar 2026 is in Ramadan (08:00-15:00): in at 08:10 -> 10 minutes late, TL1;
    // out at 15:05 -> on time. At 08:10 on a normal day it would be 40 minutes (TL2).
    clock(&mut l, &ctx, STAFF, at(d(2026, 3, 2), 8, 10), ClockDirection::In);
    clock(&mut l, &ctx, STAFF, at(d(2026, 3, 2), 15, 5), ClockDirection::Out);
    // Tue 3 Mar: in on time, no check-out -> missing check-out, PSW4 by default.
    clock(&mut l, &ctx, STAFF, at(d(2026, 3, 3), 7, 55), ClockDirection::In);
    // Mon 2 Feb is not Ramadan: the month's other days are simply unscanned.
    let recap = monthly_recap(&l, &ctx, d(2026, 3, 31)).unwrap();
    let s = recap.employees.iter().find(|e| e.employee == nip(STAFF)).unwrap();
    let a = &s.attendance;
    assert_eq!(a.late[0].count, 1, "TL1");
    assert_eq!(a.late[0].minutes, Minutes(10));
    assert_eq!(a.late[1].count, 0, "not TL2");
    assert_eq!(a.missing_check_out, 1);
    assert_eq!(a.early[3].count, 1, "PSW4 for the missing check-out");
    // March 2026 working days: 22 weekdays less Nyepi (19), Idul Fitri (20), cuti bersama
    // (18, 23, 24) = 17. Two days had scans; the other 15 are unexcused (TK), and no
    // weekend or holiday is counted as TK.
    assert_eq!(a.working_days, 17);
    assert_eq!(a.unexcused_days, 15);
    // The peer scanned nothing at all: TK on all 17 working days, not on the 31 calendar days.
    let p = recap.employees.iter().find(|e| e.employee == nip(PEER)).unwrap();
    assert_eq!(p.attendance.unexcused_days, 17);
}

#[test]
fn a_journal_with_a_forged_decision_is_refused() {
    let city = city();
    let policy = Policy::national();
    let oct = YearMonth::new(2026, 10).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    let mut l = Ledger::new(oct);
    let a = log(&mut l, &ctx, entry(d(2026, 10, 5), t(8, 0), t(9, 0), 3), at(d(2026, 10, 5), 16, 0));
    l.execute(
        &ctx,
        req(KASI, at(d(2026, 10, 6), 9, 0), Command::Verify { id: a, decision: Decision::Approve { quantity: None } }),
    )
    .unwrap();
    let honest = l.journal();
    assert!(Ledger::replay(&ctx, &honest).is_ok());
    // The same approval, but the journal says a peer made it.
    let mut forged = honest.clone();
    forged.events[1].actor = actor(PEER);
    match Ledger::replay(&ctx, &forged) {
        Err(LedgerError::Replay { seq: 2, .. }) => {}
        other => panic!("{other:?}"),
    }
    // An activity logged in someone else's name.
    let mut forged = honest;
    forged.events[0].actor = actor(PEER);
    match Ledger::replay(&ctx, &forged) {
        Err(LedgerError::Replay { seq: 1, .. }) => {}
        other => panic!("{other:?}"),
    }
}
