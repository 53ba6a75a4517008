//! Plumbing, not a rule: the recap read from the ledger's month sheet
//! ([`kinerja::recap::monthly_recap`], [`kinerja::recap::employee_recap`]) equals
//! the recap made by scanning the whole ledger state (the algorithm before the
//! sheet, kept as `kinerja::recap::reference`) on simulated months of generated
//! cities (entries of every status, scans, a hospital's rostered shifts, absences,
//! roll calls and ceremonies), at several as-of dates, for a ledger built by
//! commands, one replayed from its journal and one loaded from a snapshot. The
//! rules' own figures are hand-checked in `tests/ledger.rs` and in the small case
//! at the end (a returned entry, a resubmitted one approved lower, a late scan,
//! the cut-off), on both paths.

use chrono::NaiveDate;
use kinerja::ledger::{Ledger, MonthContext};
use kinerja::policy::Policy;
use kinerja::recap::{employee_recap, monthly_recap, reference};

mod common;
use common::*;

fn check(ledger: &Ledger, ctx: &MonthContext<'_>, as_of: NaiveDate, every: usize) -> usize {
    let sheet = monthly_recap(ledger, ctx, as_of).expect("recap");
    let scan = reference::monthly_recap(ledger, ctx, as_of).expect("reference recap");
    assert_eq!(sheet.employees.len(), scan.employees.len());
    for (a, b) in sheet.employees.iter().zip(&scan.employees) {
        assert_eq!(a, b, "employee {} as of {as_of}", a.employee);
    }
    assert_eq!(sheet, scan, "as of {as_of}");
    let mut checked = 0;
    for line in sheet.employees.iter().step_by(every) {
        let alone = employee_recap(ledger, ctx, &line.employee, as_of).expect("employee recap");
        assert_eq!(&alone, line, "{} alone as of {as_of}", line.employee);
        checked += 1;
    }
    checked
}

#[test]
fn plumbing_sheet_recap_equals_the_whole_state_scan() {
    let policy = Policy::national();
    let oct = kinerja::YearMonth::new(2026, 10).expect("month");
    for (seed, employees) in [(3u64, 400usize), (11, 900)] {
        let config = kinerja::generator::GeneratorConfig { seed, units: 12, employees, year: 2026 };
        let city = kinerja::generator::generate(&config).expect("generates").into_city().expect("city");
        let ctx = MonthContext::new(&city, &policy, oct).expect("context");
        let (ledger, report) = kinerja::simulate::simulate_month(&ctx, seed + 1, false).expect("simulates");
        assert!(report.accepted > 10_000, "the simulation made a month: {}", report.accepted);
        // The month has what the sheet keeps, so the comparison compares something.
        let state = ledger.state();
        assert!(state.clocks.len() > 1_000 && !state.roll_calls.is_empty() && !state.absences.is_empty());
        let rostered = city.organisation.employees().iter().filter(|e| city.rosters.has(&e.nip)).count();
        assert!(rostered > 0, "the generated hospital rosters a ward team");
        // Mid-month (entries pending), the deadline day, after the deadline.
        for as_of in [d(2026, 10, 14), ctx.deadline, d(2026, 11, 30)] {
            let checked = check(&ledger, &ctx, as_of, 20);
            assert!(checked * 20 >= employees);
        }
        let late = monthly_recap(&ledger, &ctx, d(2026, 11, 30)).expect("recap");
        let lates: u32 = late.units.iter().map(|u| u.late_count).sum();
        let returned: u32 = late.employees.iter().map(|e| e.entries.returned + e.entries.rejected).sum();
        assert!(lates > 0 && returned > 0, "late arrivals {lates}, returned or rejected entries {returned}");

        // Replayed from its journal, and loaded from a snapshot: the sheet is rebuilt.
        let replayed = Ledger::replay(&ctx, &ledger.journal()).expect("replays");
        check(&replayed, &ctx, d(2026, 11, 30), 50);
        let snapshot = ledger.snapshot();
        let loaded = Ledger::from_snapshot(&ctx, snapshot, &ledger.head()).expect("loads");
        check(&loaded, &ctx, d(2026, 11, 30), 50);
    }
}

#[test]
fn plumbing_sheet_recap_under_other_rules_equals_the_scan() {
    // A ledger built under one policy, recapped under a context with a cut-off and
    // auto-approval: the sheet does not fit that context and is made again.
    let oct = kinerja::YearMonth::new(2026, 10).expect("month");
    let config = kinerja::generator::GeneratorConfig { seed: 5, units: 4, employees: 200, year: 2026 };
    let city = kinerja::generator::generate(&config).expect("generates").into_city().expect("city");
    let national = Policy::national();
    let ctx = MonthContext::new(&city, &national, oct).expect("context");
    let (ledger, _) = kinerja::simulate::simulate_month(&ctx, 9, false).expect("simulates");
    let other = Policy::national()
        .with_toml(
            "other.toml",
            "[layer]\nname = \"other\"\n\n[[activity.pending_at_deadline]]\nfrom = 2026-01-01\nvalue = \"auto_approve\"\nref = \"Perwal Uji 1/2026\"\n\n[[allowance.cutoff_days]]\nfrom = 2026-01-01\nvalue = { \"2026-10\" = 20 }\nref = \"Perwal Uji 1/2026\"\n",
        )
        .expect("policy");
    let other_ctx = MonthContext::new(&city, &other, oct).expect("context");
    assert!(other_ctx.cutoff.is_some());
    check(&ledger, &other_ctx, d(2026, 11, 30), 10);
    check(&ledger, &other_ctx, d(2026, 10, 25), 10);
}

#[test]
fn a_small_month_by_hand_on_both_paths() {
    use kinerja::Minutes;
    use kinerja::activity::{ActivityId, ActivityInput, Decision};
    use kinerja::attendance::{ClockDirection, ClockEvent, ClockSource};
    use kinerja::ledger::Command;

    let city = city();
    let oct = kinerja::YearMonth::new(2026, 10).expect("month");
    let cutoff = cutoff_policy("2026-10", 20);
    let ctx = MonthContext::new(&city, &cutoff, oct).expect("context");
    assert_eq!(ctx.cutoff, Some(d(2026, 10, 20)));
    let mut l = Ledger::new(oct);
    let entry = |date, quantity| ActivityInput {
        employee: nip(STAFF),
        date,
        start: t(8, 0),
        end: t(9, 0),
        task: "STAF-T1".into(),
        quantity,
        description: "Agenda surat masuk".into(),
        evidence: None,
    };
    let mut run = |who: &str, when, command| {
        l.execute(&ctx, req(who, when, command)).expect("accepted");
    };
    // Scans on Mon 5 Oct (07:30-16:00): in at 07:47:30 and again at 07:50, out at 16:00.
    for (h, m, s, direction) in
        [(7, 47, 30, ClockDirection::In), (7, 50, 0, ClockDirection::In), (16, 0, 0, ClockDirection::Out)]
    {
        let when = d(2026, 10, 5).and_hms_opt(h, m, s).expect("time");
        let event =
            ClockEvent { employee: nip(STAFF), at: when, direction, source: ClockSource::Fingerprint, geofence: None };
        run(FP_DINAS, when, Command::RecordClock { event });
    }
    // A: Mon 5 Oct, 3 letters x 15 = 45 min; returned, resubmitted, approved at 2 (30 min).
    run(STAFF, at(d(2026, 10, 5), 16, 5), Command::LogActivity { input: entry(d(2026, 10, 5), 3) });
    let a = ActivityId(1);
    let ret = Decision::Return { reason: "Lampirkan agenda".into() };
    run(KASI, at(d(2026, 10, 6), 9, 0), Command::Verify { id: a, decision: ret.clone() });
    run(STAFF, at(d(2026, 10, 6), 10, 0), Command::Resubmit { id: a });
    // B: Tue 6 Oct, 2 letters = 30 min; returned and left with the employee.
    run(STAFF, at(d(2026, 10, 6), 16, 0), Command::LogActivity { input: entry(d(2026, 10, 6), 2) });
    let two = Decision::Approve { quantity: Some(2) };
    run(KASI, at(d(2026, 10, 7), 9, 0), Command::Verify { id: a, decision: two.clone() });
    run(KASI, at(d(2026, 10, 7), 9, 1), Command::Verify { id: ActivityId(2), decision: ret });
    // D: Thu 8 Oct, 2 letters = 30 min; approved at the quantity claimed, named (2):
    // credited as claimed, 30 min.
    run(STAFF, at(d(2026, 10, 8), 16, 0), Command::LogActivity { input: entry(d(2026, 10, 8), 2) });
    run(KASI, at(d(2026, 10, 9), 9, 0), Command::Verify { id: ActivityId(3), decision: two });
    // C: Wed 21 Oct, after the cut-off (20 Oct): approved, but counts nothing.
    run(STAFF, at(d(2026, 10, 21), 16, 0), Command::LogActivity { input: entry(d(2026, 10, 21), 1) });
    let claimed = Decision::Approve { quantity: None };
    run(KASI, at(d(2026, 10, 22), 9, 0), Command::Verify { id: ActivityId(4), decision: claimed });

    let as_of = d(2026, 11, 30);
    let recap = monthly_recap(&l, &ctx, as_of).expect("recap");
    assert_eq!(recap, reference::monthly_recap(&l, &ctx, as_of).expect("reference"));
    let s = recap.employees.iter().find(|e| e.employee == nip(STAFF)).expect("staff");
    assert_eq!(s, &employee_recap(&l, &ctx, &nip(STAFF), as_of).expect("alone"));
    // Entries up to the cut-off: A and D approved, B returned; C (21 Oct) is not counted.
    assert_eq!((s.entries.approved, s.entries.returned, s.entries.pending), (2, 1, 0));
    // Claimed: A at its approved 2 letters (30) + B (30) + D (30) = 90; verified:
    // A's 30 + D's 30 = 60.
    assert_eq!((s.claimed_minutes, s.verified_minutes), (Minutes(90), Minutes(60)));
    // Target: the working days up to 20 Oct (1-2, 5-9, 12-16, 19-20 = 14) x 300 = 4,200.
    assert_eq!(s.target.target_minutes, Minutes(4_200));
    // Late: the earliest check-in counts, 07:47:30 - 07:30:00 = 1,050 s, a started
    // minute counts: 18 minutes, once; leaving at 16:00 is on time.
    let late: u32 = s.attendance.late.iter().map(|b| b.count).sum();
    let early: u32 = s.attendance.early.iter().map(|b| b.count).sum();
    assert_eq!((late, early), (1, 0));
    let days = kinerja::recap::employee_days(&l, &ctx, &nip(STAFF), as_of).expect("days");
    let mon = days.iter().find(|x| x.date == d(2026, 10, 5)).expect("5 Oct");
    assert_eq!((mon.late_minutes, mon.check_in), (Minutes(18), Some(t(7, 47) + chrono::Duration::seconds(30))));
}

/// The recap and the whole-state scan of `l` as of `as_of` are equal, and so is
/// the staff member's line recapped alone; gives the staff member's line.
fn same(l: &Ledger, ctx: &MonthContext<'_>, as_of: NaiveDate) -> kinerja::recap::EmployeeRecap {
    let recap = monthly_recap(l, ctx, as_of).expect("recap");
    assert_eq!(recap, reference::monthly_recap(l, ctx, as_of).expect("reference"), "as of {as_of}");
    let line = recap.employees.iter().find(|e| e.employee == nip(STAFF)).expect("staff").clone();
    assert_eq!(line, employee_recap(l, ctx, &nip(STAFF), as_of).expect("alone"));
    line
}

#[test]
fn the_lines_kept_from_one_recap_to_the_next_follow_every_event() {
    use kinerja::DateRange;
    use kinerja::Minutes;
    use kinerja::activity::{ActivityId, ActivityInput, Decision};
    use kinerja::attendance::{Absence, AbsenceKind, ClockDirection, ClockEvent, ClockSource, LeaveKind};
    use kinerja::ledger::Command;
    use kinerja::ledger::RollCallList;
    use kinerja::rollcall::{Ceremony, RollCallKind};

    let city = city();
    let policy = Policy::national();
    let oct = kinerja::YearMonth::new(2026, 10).expect("month");
    let ctx = MonthContext::new(&city, &policy, oct).expect("context");
    let mut l = Ledger::new(oct);
    let run = |l: &mut Ledger, who: &str, when, command| {
        l.execute(&ctx, req(who, when, command)).expect("accepted");
    };
    let mon = d(2026, 10, 5);
    let scan = |h, m, s, direction| {
        let when = mon.and_hms_opt(h, m, s).expect("time");
        (
            when,
            Command::RecordClock {
                event: ClockEvent {
                    employee: nip(STAFF),
                    at: when,
                    direction,
                    source: ClockSource::Fingerprint,
                    geofence: None,
                },
            },
        )
    };
    let late = |e: &kinerja::recap::EmployeeRecap| e.attendance.late.iter().map(|b| b.count).sum::<u32>();

    // Mon 5 Oct, recapped as of that day (Thu 1, Fri 2 and Mon 5 judged), after each
    // event of the day: every recap after the first copies the lines no event touched.
    let (when, c) = scan(7, 47, 30, ClockDirection::In);
    run(&mut l, FP_DINAS, when, c);
    let r1 = same(&l, &ctx, mon);
    // 1 and 2 Oct without a scan are unexcused; 5 Oct present, in at 07:47:30:
    // 17.5 minutes after 07:30, a started minute counts, 18 minutes (band 1); no
    // check-out yet.
    assert_eq!((r1.attendance.working_days, r1.attendance.days_present, r1.attendance.unexcused_days), (3, 1, 2));
    assert_eq!((late(&r1), r1.attendance.late[0].minutes, r1.attendance.missing_check_out), (1, Minutes(18), 1));
    // Out at 16:00, the day's end: the check-out is no longer missing, nothing is early.
    let (when, c) = scan(16, 0, 0, ClockDirection::Out);
    run(&mut l, FP_DINAS, when, c);
    let r2 = same(&l, &ctx, mon);
    assert_eq!((late(&r2), r2.attendance.missing_check_out), (1, 0));
    assert_eq!(r2.attendance.early.iter().map(|b| b.count).sum::<u32>(), 0);
    // An entry of 3 letters x 15 minutes = 45 minutes: claimed, pending, not verified.
    let input = ActivityInput {
        employee: nip(STAFF),
        date: mon,
        start: t(8, 0),
        end: t(9, 0),
        task: "STAF-T1".into(),
        quantity: 3,
        description: "Agenda surat masuk".into(),
        evidence: None,
    };
    run(&mut l, STAFF, at(mon, 16, 5), Command::LogActivity { input });
    let r3 = same(&l, &ctx, mon);
    assert_eq!((r3.claimed_minutes, r3.verified_minutes, r3.entries.pending), (Minutes(45), Minutes::ZERO, 1));
    // Approved the same day: the 45 minutes are verified.
    let approve = Command::Verify { id: ActivityId(1), decision: Decision::Approve { quantity: None } };
    run(&mut l, KASI, at(mon, 16, 20), approve);
    let r4 = same(&l, &ctx, mon);
    assert_eq!((r4.verified_minutes, r4.entries.approved, r4.entries.pending), (Minutes(45), 1, 0));
    // The morning roll call of 5 Oct lists the staff member: one more attended, one
    // fewer missed (held on the three days judged either way).
    let list = RollCallList { date: mon, kind: RollCallKind::Morning, attended: vec![nip(STAFF)], absent: vec![] };
    run(&mut l, ATT, at(mon, 16, 30), Command::RecordRollCall { list });
    let r5 = same(&l, &ctx, mon);
    assert_eq!(r5.roll_call.morning.held, r4.roll_call.morning.held);
    assert_eq!(r5.roll_call.morning.attended, r4.roll_call.morning.attended + 1);
    assert_eq!(
        r5.roll_call.morning.attended + r5.roll_call.morning.missed + r5.roll_call.morning.absent,
        r4.roll_call.morning.missed + r4.roll_call.morning.absent + r4.roll_call.morning.attended
    );
    // Annual leave on Fri 2 Oct: one unexcused day fewer, one day of leave, and one
    // target day fewer: 300 minutes less.
    let absence = Absence {
        employee: nip(STAFF),
        range: DateRange::new(d(2026, 10, 2), d(2026, 10, 2)).expect("range"),
        kind: AbsenceKind::Leave(LeaveKind::Annual),
        evidence: None,
        note: None,
    };
    run(&mut l, HR1, at(mon, 16, 40), Command::RecordAbsence { absence });
    let r6 = same(&l, &ctx, mon);
    assert_eq!((r6.attendance.unexcused_days, r6.attendance.absences.get("leave.annual")), (1, Some(&1)));
    assert_eq!(r6.target.target_minutes.get(), r5.target.target_minutes.get() - 300);
    assert_eq!(r6.target.reduced_days, 1);

    // Another as-of: Tue 6 Oct is judged too: working days 1, 2, 5, 6 = 4, unexcused
    // 1 and 6 Oct (no scan; 2 Oct is leave) = 2; back to 5 Oct gives the lines of 5
    // Oct again.
    let tue = d(2026, 10, 6);
    let r7 = same(&l, &ctx, tue);
    assert_eq!((r7.attendance.working_days, r7.attendance.unexcused_days), (4, 2));
    assert_eq!(same(&l, &ctx, mon), r6);
    // A ceremony declared on 6 Oct: held on that day for everyone judged on it.
    let ceremony = Ceremony { date: tue, name: "Upacara".into() };
    run(&mut l, HR1, at(mon, 17, 0), Command::DeclareCeremony { ceremony });
    let r8 = same(&l, &ctx, tue);
    assert_eq!(r8.roll_call.ceremony.held, r7.roll_call.ceremony.held + 1);
    assert_eq!(same(&l, &ctx, mon), r6, "no ceremony up to 5 Oct");
    // A context made again from the same rules, and one with other rules (a cut-off
    // on 5 Oct, pending entries approved at the deadline).
    let again = MonthContext::new(&city, &policy, oct).expect("context");
    assert_eq!(same(&l, &again, mon), r6);
    let other = Policy::national()
        .with_toml(
            "other.toml",
            "[layer]\nname = \"other\"\n\n[[activity.pending_at_deadline]]\nfrom = 2026-01-01\nvalue = \"auto_approve\"\nref = \"Perwal Uji 1/2026\"\n\n[[allowance.cutoff_days]]\nfrom = 2026-01-01\nvalue = { \"2026-10\" = 5 }\nref = \"Perwal Uji 1/2026\"\n",
        )
        .expect("policy");
    let other_ctx = MonthContext::new(&city, &other, oct).expect("context");
    let cut = same(&l, &other_ctx, d(2026, 11, 30));
    // After the cut-off nothing is owed: the target counts 1, 2 (on leave) and 5 Oct:
    // 3 working days - 1 of leave = 2 days x 300 = 600 minutes.
    assert_eq!(cut.target.target_minutes, Minutes(600));
    assert_eq!(same(&l, &ctx, tue), r8);
}

#[test]
fn plumbing_recaps_between_the_events_of_a_simulated_month_equal_the_scan() {
    // The month's events executed one by one into a new ledger, recapped every few
    // thousand events at two as-of dates (and once under a second context): each
    // recap copies the lines of employees no event touched since the one before.
    use kinerja::ledger::Request;
    let policy = Policy::national();
    let oct = kinerja::YearMonth::new(2026, 10).expect("month");
    let config = kinerja::generator::GeneratorConfig { seed: 7, units: 6, employees: 150, year: 2026 };
    let city = kinerja::generator::generate(&config).expect("generates").into_city().expect("city");
    let ctx = MonthContext::new(&city, &policy, oct).expect("context");
    let (month, _) = kinerja::simulate::simulate_month(&ctx, 8, false).expect("simulates");
    let events = month.events();
    assert!(events.len() > 10_000, "a month of events: {}", events.len());
    let mut l = Ledger::new(oct);
    let step = events.len() / 9 + 1;
    let mut recaps = 0;
    for (k, chunk) in events.chunks(step).enumerate() {
        for e in chunk {
            l.execute(&ctx, Request::of_event(e)).expect("accepted again");
        }
        let last = chunk.last().map(|e| e.at.date()).expect("events");
        for as_of in [last, d(2026, 11, 30), last] {
            check(&l, &ctx, as_of, 10);
            recaps += 1;
        }
        if k == 4 {
            let again = MonthContext::new(&city, &policy, oct).expect("context");
            check(&l, &again, last, 10);
            check(&l, &ctx, last, 10);
        }
    }
    assert!(recaps >= 27, "{recaps} recaps");
    assert_eq!(monthly_recap(&l, &ctx, d(2026, 11, 30)), monthly_recap(&month, &ctx, d(2026, 11, 30)));
}

#[test]
fn a_week_judged_on_integers_by_hand() {
    // The staff member's first nine days of October 2026 (national policy: no grace,
    // started minutes, bands 30/60/90, a missing scan is band 4; Mon-Thu 07:30-16:00,
    // Fri 07:30-16:30), recapped as of Fri 9 Oct. Off the roster, their days are
    // judged on integers from the month sheet; the whole-state scan (`same`) and the
    // day-by-day list judge them from the listed scans: all three must agree with the
    // figures computed here.
    use kinerja::DateRange;
    use kinerja::Minutes;
    use kinerja::attendance::{Absence, AbsenceKind, ClockDirection, ClockEvent, ClockSource, DayStatus, LeaveKind};
    use kinerja::ledger::{Command, RollCallList};
    use kinerja::rollcall::RollCallKind;

    let city = city();
    let policy = Policy::national();
    let oct = kinerja::YearMonth::new(2026, 10).expect("month");
    let ctx = MonthContext::new(&city, &policy, oct).expect("context");
    let mut l = Ledger::new(oct);
    // The events, executed in time order at the end.
    let mut events: Vec<(chrono::NaiveDateTime, &str, Command)> = Vec::new();
    let scan = |day: u32, h, m, s, direction| {
        let when = d(2026, 10, day).and_hms_opt(h, m, s).expect("time");
        let event =
            ClockEvent { employee: nip(STAFF), at: when, direction, source: ClockSource::Fingerprint, geofence: None };
        (when, Command::RecordClock { event })
    };
    use ClockDirection::{In, Out};
    let scans = [
        (1, 7, 41, 10, In),   // Thu 1: late 670 s
        (1, 16, 0, 0, Out),   // on time
        (2, 7, 30, 0, In),    // Fri 2: on time
        (2, 15, 20, 30, Out), // early 4,170 s before 16:30
        (3, 9, 0, 0, In),     // Sat 3: a weekend day, nothing counts
        (3, 10, 0, 0, Out),
        (6, 7, 0, 0, In),  // Tue 6: no check-out
        (8, 7, 25, 0, In), // Thu 8: on time both ways
        (8, 16, 5, 0, Out),
        (9, 8, 45, 0, In), // Fri 9: late 4,500 s
        (9, 16, 30, 0, Out),
    ];
    for (day, h, m, s, direction) in scans {
        let (when, c) = scan(day, h, m, s, direction);
        events.push((when, FP_DINAS, c));
    }
    // Mon 5 Oct: annual leave, recorded the Friday before.
    let absence = Absence {
        employee: nip(STAFF),
        range: DateRange::new(d(2026, 10, 5), d(2026, 10, 5)).expect("range"),
        kind: AbsenceKind::Leave(LeaveKind::Annual),
        evidence: None,
        note: None,
    };
    events.push((at(d(2026, 10, 2), 10, 0), HR1, Command::RecordAbsence { absence }));
    // Thu 1 Oct: the morning roll call lists them present, the afternoon one absent.
    let list = |kind, attended: Vec<_>, absent: Vec<_>| RollCallList { date: d(2026, 10, 1), kind, attended, absent };
    let morning = list(RollCallKind::Morning, vec![nip(STAFF)], vec![]);
    events.push((at(d(2026, 10, 1), 8, 0), ATT, Command::RecordRollCall { list: morning }));
    let afternoon = list(RollCallKind::Afternoon, vec![], vec![nip(STAFF)]);
    events.push((at(d(2026, 10, 1), 16, 30), ATT, Command::RecordRollCall { list: afternoon }));
    events.sort_by_key(|(when, _, _)| *when);
    for (when, who, command) in events {
        l.execute(&ctx, req(who, when, command)).expect("accepted");
    }
    // Wed 7 Oct: no scan at all.

    let fri = d(2026, 10, 9);
    let s = same(&l, &ctx, fri);
    let a = &s.attendance;
    // Working days judged: Thu 1, Fri 2, Mon 5, Tue 6, Wed 7, Thu 8, Fri 9 = 7 (Sat 3
    // and Sun 4 are not, scans or not). Present: 1, 2, 6, 8, 9 = 5; unexcused: Wed 7
    // (no scan); leave: Mon 5.
    assert_eq!((a.working_days, a.days_present, a.unexcused_days), (7, 5, 1));
    assert_eq!(a.absences.get("leave.annual"), Some(&1));
    // Late: Thu 1, 670 s = 11 min 10 s, started minutes: 12 min, TL1 (<= 30);
    // Fri 9, 4,500 s = exactly 75 min, TL3 (61-90).
    assert_eq!((a.late[0].count, a.late[0].minutes), (1, Minutes(12)));
    assert_eq!((a.late[1].count, a.late[2].count, a.late[2].minutes, a.late[3].count), (0, 1, Minutes(75), 0));
    // Early: Fri 2, 16:30:00 - 15:20:30 = 4,170 s = 69 min 30 s, started: 70 min, PSW3;
    // Tue 6 without a check-out: PSW4, a day without minutes.
    assert_eq!((a.early[2].count, a.early[2].minutes), (1, Minutes(70)));
    assert_eq!((a.early[3].count, a.early[3].minutes, a.missing_check_out, a.missing_check_in), (1, Minutes(0), 1, 0));
    assert_eq!((a.early[0].count, a.early[1].count), (0, 0));
    // Morning roll calls, held on the 7 working days: attended Thu 1 (listed); excused
    // Mon 5 (leave); absent Wed 7 (TK); missed Fri 2, Tue 6, Thu 8, Fri 9 = 4.
    let m = s.roll_call.morning;
    assert_eq!((m.held, m.attended, m.excused, m.absent, m.missed), (7, 1, 1, 1, 4));
    // Afternoon: listed absent on Thu 1, so missed 1, 2, 6, 8, 9 = 5; excused 5, absent 7.
    let p = s.roll_call.afternoon;
    assert_eq!((p.held, p.attended, p.excused, p.absent, p.missed), (7, 0, 1, 1, 5));
    assert_eq!(s.roll_call.ceremony.held, 0, "no ceremony declared");
    // The day-by-day list judges the same days the same way.
    let days = kinerja::recap::employee_days(&l, &ctx, &nip(STAFF), fri).expect("days");
    assert_eq!(kinerja::attendance::summarise(&days), s.attendance);
    let status = |day: u32| days.iter().find(|x| x.date == d(2026, 10, day)).map(|x| x.status);
    assert_eq!(status(3), Some(DayStatus::NonWorking));
    assert_eq!(status(5), Some(DayStatus::Excused(AbsenceKind::Leave(LeaveKind::Annual))));
    assert_eq!(status(7), Some(DayStatus::Unexcused));
}

#[test]
fn ordinary_days_counted_in_bulk_by_hand() {
    // The staff member's first half of August 2026, recapped as of Mon 17 Aug (national
    // policy: no grace, started minutes, bands 30/60/90; Mon-Thu 07:30-16:00, Fri
    // 07:30-16:30; 17 August is Independence Day). A city recap counts the ordinary
    // days (no absence, check-in at or before 07:30:00, check-out at or after the end)
    // in bulk from the month's tables and judges the others one by one; the
    // whole-state scan and one employee's recap (`same`) judge every day one by one:
    // all must agree with the figures computed here, including at the window's edge.
    use ClockDirection::{In, Out};
    use kinerja::DateRange;
    use kinerja::Minutes;
    use kinerja::attendance::{Absence, AbsenceKind, ClockDirection, ClockEvent, ClockSource, LeaveKind};
    use kinerja::ledger::{Command, RollCallList};
    use kinerja::rollcall::RollCallKind;

    let city = city();
    let policy = Policy::national();
    let aug = kinerja::YearMonth::new(2026, 8).expect("month");
    let ctx = MonthContext::new(&city, &policy, aug).expect("context");
    let mut l = Ledger::new(aug);
    let mut events: Vec<(chrono::NaiveDateTime, &str, Command)> = Vec::new();
    let scans = [
        (3, 7, 30, 0, In), // Mon 3: ordinary, both at the window's edge
        (3, 16, 0, 0, Out),
        (4, 7, 30, 1, In), // Tue 4: one second late: 1 started minute, TL1
        (4, 16, 0, 0, Out),
        (5, 7, 0, 0, In), // Wed 5: one second early: 1 started minute, PSW1
        (5, 15, 59, 59, Out),
        (6, 7, 10, 0, In), // Thu 6: ordinary
        (6, 16, 30, 0, Out),
        (7, 7, 29, 59, In), // Fri 7: ordinary (Friday ends 16:30)
        (7, 16, 30, 0, Out),
        (10, 7, 0, 0, In), // Mon 10: on annual leave, scans or not
        (10, 16, 0, 0, Out),
        // Tue 11: no scan at all (TK).
        (12, 7, 20, 0, In), // Wed 12: ordinary
        (12, 16, 5, 0, Out),
        (13, 7, 15, 0, In), // Thu 13: ordinary
        (13, 16, 0, 0, Out),
        (14, 7, 15, 0, In), // Fri 14: in on time, out 16:00, 30 min before 16:30: PSW1
        (14, 16, 0, 0, Out),
        (17, 8, 0, 0, In), // Mon 17: Independence Day, nothing counts
        (17, 12, 0, 0, Out),
    ];
    for (day, h, m, s, direction) in scans {
        let when = d(2026, 8, day).and_hms_opt(h, m, s).expect("time");
        let event =
            ClockEvent { employee: nip(STAFF), at: when, direction, source: ClockSource::Fingerprint, geofence: None };
        events.push((when, FP_DINAS, Command::RecordClock { event }));
    }
    let absence = Absence {
        employee: nip(STAFF),
        range: DateRange::new(d(2026, 8, 10), d(2026, 8, 10)).expect("range"),
        kind: AbsenceKind::Leave(LeaveKind::Annual),
        evidence: None,
        note: None,
    };
    events.push((at(d(2026, 8, 7), 10, 0), HR1, Command::RecordAbsence { absence }));
    // Morning roll calls listing them present on Mon 3 and Thu 6 (both ordinary days).
    for day in [3, 6] {
        let list = RollCallList {
            date: d(2026, 8, day),
            kind: RollCallKind::Morning,
            attended: vec![nip(STAFF)],
            absent: vec![],
        };
        events.push((at(d(2026, 8, day), 8, 0), ATT, Command::RecordRollCall { list }));
    }
    events.sort_by_key(|(when, _, _)| *when);
    for (when, who, command) in events {
        l.execute(&ctx, req(who, when, command)).expect("accepted");
    }

    let s = same(&l, &ctx, d(2026, 8, 17));
    let a = &s.attendance;
    // Working days judged: 3-7 (5), 10-14 (5) = 10; the weekends and 17 August are not.
    // Present: 3, 4, 5, 6, 7, 12, 13, 14 = 8; leave: 10; unexcused: 11.
    assert_eq!((a.working_days, a.days_present, a.unexcused_days), (10, 8, 1));
    assert_eq!(a.absences.get("leave.annual"), Some(&1));
    assert_eq!(a.absences.len(), 1);
    // Late: Tue 4 only, 1 s -> 1 started minute, TL1.
    assert_eq!((a.late[0].count, a.late[0].minutes), (1, Minutes(1)));
    assert_eq!(a.late_days(), 1);
    // Early: Wed 5, 1 s -> 1 minute; Fri 14, 16:30 - 16:00 = 1,800 s = 30 min (<= 30: PSW1).
    assert_eq!((a.early[0].count, a.early[0].minutes), (2, Minutes(31)));
    assert_eq!(a.early_days(), 2);
    assert_eq!((a.missing_check_in, a.missing_check_out), (0, 0));
    // Morning roll calls held on the 10 working days: attended 3 and 6 (2); excused 10
    // (leave); absent 11 (TK); missed 4, 5, 7, 12, 13, 14 = 6.
    let m = s.roll_call.morning;
    assert_eq!((m.held, m.attended, m.excused, m.absent, m.missed), (10, 2, 1, 1, 6));
    // Afternoon: never listed: missed on the 8 days present, excused 10, absent 11.
    let p = s.roll_call.afternoon;
    assert_eq!((p.held, p.attended, p.excused, p.absent, p.missed), (10, 0, 1, 1, 8));
    assert_eq!(s.roll_call.ceremony.held, 0, "no ceremony declared");
}

#[test]
fn scans_with_a_fraction_of_a_second_by_hand() {
    // The staff member's Monday 3 to Wednesday 5 August 2026 (national policy: no
    // grace, started minutes; Mon-Thu 07:30-16:00), scans carrying a fraction of a
    // second: the month sheet keeps their second and their index, and a day judged one
    // by one reads such a scan's exact time from the state. Lateness and early leave
    // count whole seconds of the exact difference (`TimeDelta::num_seconds`, towards 0).
    use ClockDirection::{In, Out};
    use kinerja::Minutes;
    use kinerja::attendance::{ClockDirection, ClockEvent, ClockSource};
    use kinerja::ledger::Command;

    let city = city();
    let policy = Policy::national();
    let aug = kinerja::YearMonth::new(2026, 8).expect("month");
    let ctx = MonthContext::new(&city, &policy, aug).expect("context");
    let mut l = Ledger::new(aug);
    let scans = [
        // Mon 3: in at 07:30:01.500: 1.5 s late, 1 whole second: 1 started minute, TL1.
        (3, 7, 30, 1, 500, In),
        (3, 16, 0, 0, 0, Out),
        // Tue 4: in at 07:29:59.250, inside the window with a second to spare
        // (counted in bulk): 0.75 s early, on time.
        (4, 7, 29, 59, 250, In),
        (4, 16, 0, 0, 0, Out),
        // Wed 5: out at 15:59:59.750: 0.25 s before 16:00, 0 whole seconds: on time.
        // Its second alone (15:59:59) would be 1 s early, PSW1: the exact time is read.
        (5, 7, 30, 0, 0, In),
        (5, 15, 59, 59, 750, Out),
    ];
    for (day, h, m, s, milli, direction) in scans {
        let when = d(2026, 8, day).and_hms_milli_opt(h, m, s, milli).expect("time");
        let event =
            ClockEvent { employee: nip(STAFF), at: when, direction, source: ClockSource::Fingerprint, geofence: None };
        l.execute(&ctx, req(FP_DINAS, when, Command::RecordClock { event })).expect("accepted");
    }
    let s = same(&l, &ctx, d(2026, 8, 5));
    let a = &s.attendance;
    // Working days 3, 4, 5, all present; one late arrival (Mon 3, 1 min, TL1), no early leave.
    assert_eq!((a.working_days, a.days_present, a.unexcused_days), (3, 3, 0));
    assert_eq!((a.late[0].count, a.late[0].minutes), (1, Minutes(1)));
    assert_eq!(a.late_days(), 1);
    assert_eq!(a.early_days(), 0);
}
