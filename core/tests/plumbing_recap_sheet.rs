//! Plumbing, not a rule: the recap read from the ledger's month sheet
//! ([`kinerja::recap::monthly_recap`], [`kinerja::recap::employee_recap`]) equals
//! the recap made by scanning the whole ledger state (the algorithm before the
//! sheet, kept as `kinerja::recap::reference`) on simulated months of generated
//! cities (entries of every status, scans, a hospital's rostered shifts, absences,
//! roll calls and ceremonies), at several as-of dates, for a ledger built by
//! commands, one replayed from its journal and one loaded from a snapshot. The
//! rules' own figures are hand-checked in `tests/ledger.rs` and below.

use chrono::NaiveDate;
use kinerja::ledger::{Ledger, MonthContext};
use kinerja::policy::Policy;
use kinerja::recap::{employee_recap, monthly_recap, reference};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

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
