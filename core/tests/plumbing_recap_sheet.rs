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
    let cutoff = Policy::national()
        .with_toml(
            "cutoff.toml",
            "[layer]\nname = \"cutoff\"\n\n[[allowance.cutoff_days]]\nfrom = 2026-01-01\nvalue = { \"2026-10\" = 20 }\nref = \"Perwal Uji 1/2026\"\n",
        )
        .expect("policy");
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
    run(KASI, at(d(2026, 10, 7), 9, 0), Command::Verify { id: a, decision: two });
    run(KASI, at(d(2026, 10, 7), 9, 1), Command::Verify { id: ActivityId(2), decision: ret });
    // C: Wed 21 Oct, after the cut-off (20 Oct): approved, but counts nothing.
    run(STAFF, at(d(2026, 10, 21), 16, 0), Command::LogActivity { input: entry(d(2026, 10, 21), 1) });
    let claimed = Decision::Approve { quantity: None };
    run(KASI, at(d(2026, 10, 22), 9, 0), Command::Verify { id: ActivityId(3), decision: claimed });

    let as_of = d(2026, 11, 30);
    let recap = monthly_recap(&l, &ctx, as_of).expect("recap");
    assert_eq!(recap, reference::monthly_recap(&l, &ctx, as_of).expect("reference"));
    let s = recap.employees.iter().find(|e| e.employee == nip(STAFF)).expect("staff");
    assert_eq!(s, &employee_recap(&l, &ctx, &nip(STAFF), as_of).expect("alone"));
    // Entries up to the cut-off: A approved, B returned; C (21 Oct) is not counted.
    assert_eq!((s.entries.approved, s.entries.returned, s.entries.pending), (1, 1, 0));
    // Claimed: A at its approved 2 letters (30) + B (30) = 60; verified: A's 30.
    assert_eq!((s.claimed_minutes, s.verified_minutes), (Minutes(60), Minutes(30)));
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
