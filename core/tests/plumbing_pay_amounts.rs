//! Plumbing: the amounts-only pay path ([`kinerja::payroll::pay_amounts`]) gives, for
//! every employee of a generated city's simulated month, exactly the amounts of the
//! full slips ([`kinerja::payroll::pay_city`]): each line's rule and amount, the
//! ceiling, gross, tax, contribution and net, the unit and city totals and the counts
//! of failures and employees not paid; and the slip it explains on demand is the full
//! slip itself. The amounts themselves are hand-checked in the golden cases
//! (`cases/allowance`, whose runner checks the amounts path too).

use chrono::NaiveDate;
use kinerja::dataset::Dataset;
use kinerja::generator::{GeneratorConfig, generate};
use kinerja::ledger::MonthContext;
use kinerja::payroll::{PayPlan, pay_amounts, pay_city};
use kinerja::policy::Policy;
use kinerja::recap::monthly_recap;
use kinerja::simulate::simulate_month;

/// A generated city's simulated month (600 employees, October 2026) and its recap.
fn city_month() -> (kinerja::dataset::City, kinerja::YearMonth) {
    let config = GeneratorConfig { seed: 11, units: 8, employees: 600, year: 2026 };
    let city = Dataset::load_city(&generate(&config).expect("generates").to_json()).expect("loads");
    (city, kinerja::YearMonth::new(2026, 10).expect("month"))
}

/// Pays the month both ways under `policy` and checks every amount, total and count
/// equal; returns how many computed slips have an amount that is not whole rupiah.
fn assert_amounts_equal_full_slips(city: &kinerja::dataset::City, month: kinerja::YearMonth, policy: &Policy) -> usize {
    let ctx = MonthContext::new(city, policy, month).expect("context");
    let (ledger, _) = simulate_month(&ctx, 3, true).expect("simulates");
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
    let recap = monthly_recap(&ledger, &ctx, as_of).expect("recap");

    let full = pay_city(city, &ctx, &recap, policy).expect("pays");
    let fast = pay_amounts(city, &ctx, &recap, policy).expect("pays amounts");
    // The month's plan kept and paid twice gives the very same amounts, totals and counts.
    let plan = PayPlan::new(city, month, policy).expect("plan");
    for _ in 0..2 {
        assert_eq!(plan.pay_amounts(&ctx, &recap).expect("pays with the plan"), fast);
    }
    // A plan of another month is refused, not paid with the wrong month's values.
    let other = PayPlan::new(city, kinerja::YearMonth::new(2026, 9).expect("month"), policy).expect("plan");
    assert!(matches!(other.pay_amounts(&ctx, &recap), Err(kinerja::payroll::PayrollError::MonthMismatch { .. })));
    // A city of 600 pays hundreds of slips; an empty payroll would prove nothing.
    assert!(full.slips.len() > 500, "{} slips", full.slips.len());

    let computed: Vec<_> = fast.amounts.slips.iter().enumerate().filter(|(_, s)| s.is_ok()).collect();
    assert_eq!(computed.len(), full.slips.len());
    let mut with_cents = 0;
    for ((i, amounts), slip) in computed.into_iter().zip(&full.slips) {
        let a = amounts.as_ref().expect("computed");
        let row = &recap.employees[fast.rows[i] as usize];
        assert_eq!(row.employee, slip.employee);
        assert_eq!(
            (a.ceiling, a.gross, a.tax, a.contribution, a.net),
            (slip.ceiling(), slip.gross, slip.tax, slip.contribution, slip.net),
            "employee {}",
            slip.employee
        );
        let lines: Vec<(&str, _)> = fast.amounts.lines_of(i).iter().map(|l| (l.rule.name(), l.amount)).collect();
        let want: Vec<(&str, _)> = slip.lines.iter().map(|l| (l.rule.as_str(), l.amount)).collect();
        assert_eq!(lines, want, "employee {}", slip.employee);
        if slip.lines.iter().any(|l| l.amount.amount().fract() != rust_decimal::Decimal::ZERO) {
            with_cents += 1;
        }
    }
    // The totals are the same numbers written the same way (a sum of whole rupiah has
    // no decimals; a sum with cents keeps them).
    assert_eq!(fast.city.to_totals(), full.city);
    assert_eq!(fast.city.net.to_string(), full.city.net.to_string());
    let units: Vec<_> = fast.units.iter().map(|u| u.to_totals()).collect();
    let full_units: Vec<_> = full.units.iter().map(|u| u.totals.clone()).collect();
    assert_eq!(units, full_units);
    assert_eq!(fast.failed, full.failures.len());
    assert_eq!(fast.not_paid, full.not_paid.len());
    // The summary's rule rows are the column sums.
    for r in &full.summary.by_rule {
        let rule = kinerja::allowance::Rule::of(&r.rule).expect("a known rule");
        assert_eq!((fast.city.lines[rule.index()] as usize, fast.city.by_rule[rule.index()]), (r.lines, r.amount));
    }

    // A slip opened on demand is the full slip, hashes and explanations included.
    for i in [0, fast.rows.len() / 2, fast.rows.len() - 1] {
        let opened = fast.explain(city, &ctx, &recap, policy, i).expect("a slip").expect("computes");
        let same = full.slips.iter().find(|s| s.employee == opened.employee).expect("paid in full");
        assert_eq!(&opened, same);
    }
    with_cents
}

#[test]
fn plumbing_amounts_path_equals_full_slips_for_a_generated_city() {
    let (city, month) = city_month();
    let with_cents = assert_amounts_equal_full_slips(&city, month, &Policy::national());
    // The national policy pays whole rupiah: the totals are summed in integers.
    assert_eq!(with_cents, 0);
}

/// A policy keeping two decimals (`allowance.rounding_scale = 2`): slips with cents
/// are summed in decimals beside the whole-rupiah ones, to the same totals.
#[test]
fn plumbing_amounts_path_equals_full_slips_with_cents() {
    let (city, month) = city_month();
    let text =
        "[layer]\nname = \"cents\"\n\n[[allowance.rounding_scale]]\nfrom = 2020-01-01\nvalue = 2\nref = \"test\"\n";
    let policy = Policy::national().with_toml("cents.toml", text).expect("layer loads");
    let with_cents = assert_amounts_equal_full_slips(&city, month, &policy);
    // Most slips have a line with cents (a 1 % contribution, a 5 % tax of an odd
    // gross): the decimal way was taken, not only the integer one.
    assert!(with_cents > 100, "{with_cents} slips with cents");
}

#[test]
fn plumbing_rule_table_matches_rule_ids() {
    let ids = kinerja::allowance::rule_ids();
    assert_eq!(ids.len(), kinerja::allowance::N_RULES);
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(kinerja::allowance::RULE_NAMES[i], id.as_str());
        assert_eq!(kinerja::allowance::Rule::of(id).map(|r| r.index()), Some(i));
    }
}

/// The whole city's recap (entries counted in one pass, scans grouped by the ledger's
/// employee index and bucketed by day) gives every employee the line that the
/// one-employee recap (records found by NIP) gives.
#[test]
fn plumbing_city_recap_equals_each_employees_recap() {
    let config = GeneratorConfig { seed: 5, units: 4, employees: 250, year: 2026 };
    let city = Dataset::load_city(&generate(&config).expect("generates").to_json()).expect("loads");
    let policy = Policy::national();
    let month = kinerja::YearMonth::new(2026, 10).expect("month");
    let ctx = MonthContext::new(&city, &policy, month).expect("context");
    let (ledger, _) = simulate_month(&ctx, 2, true).expect("simulates");
    for as_of in
        [NaiveDate::from_ymd_opt(2026, 10, 17).expect("date"), NaiveDate::from_ymd_opt(2026, 11, 30).expect("date")]
    {
        let recap = monthly_recap(&ledger, &ctx, as_of).expect("recap");
        assert_eq!(recap.employees.len(), 250);
        let mut late = 0;
        for row in &recap.employees {
            let one = kinerja::recap::employee_recap(&ledger, &ctx, &row.employee, as_of).expect("one employee");
            assert_eq!(&one, row);
            late += row.attendance.late.iter().map(|b| b.count).sum::<u32>();
        }
        // The month has scans judged late: the comparison covered real attendance.
        assert!(late > 0);
    }
}

/// One slip by hand through the amounts path ([`kinerja::allowance::slip_amounts`], what
/// the phone's projection and `pay_amounts` use) and the full slip: the same lines.
/// National policy, class 9, III/c, 20 of 22 working days assigned, 6,000 of 6,600
/// minutes verified, three days late in band TL1, salary 4,500,000.
#[test]
fn plumbing_amounts_of_a_hand_computed_slip() {
    let input: kinerja::allowance::AllowanceInput = serde_json::from_str(
        r#"{
          "employee": "198503152010011001", "month": "2026-10", "job_class": 9, "rank": "III/c",
          "employment": "PNS", "salary": "4500000",
          "calendar_working_days": 22, "assigned_working_days": 20,
          "performance": { "target_minutes": 6600, "verified_minutes": 6000 },
          "discipline": { "days_present": 20, "late": [3, 0, 0, 0], "early": [0, 0, 0, 0],
                          "unexcused_days": 0,
                          "roll_calls_missed": { "morning": 0, "afternoon": 0, "ceremony": 0 } }
        }"#,
    )
    .expect("input");
    let month = kinerja::YearMonth::new(2026, 10).expect("month");
    let params = kinerja::allowance::AllowanceParams::from_policy(&Policy::national(), month).expect("binds");
    let (totals, lines) = kinerja::allowance::slip_amounts(&input, &params).expect("computes");
    let rp = kinerja::Money::from_rupiah;
    // C = 2,500,000 (class 9). B = R(2,500,000 x 20 / 22) = R(2,272,727.27) = 2,272,727:
    // proration -227,273. P = R(2,272,727 x 60 / 100) = R(1,363,636.2) = 1,363,636;
    // D = 2,272,727 - 1,363,636 = 909,091. E = R(1,363,636 x 6,000 / 6,600) =
    // R(1,239,669.09) = 1,239,669: shortfall -123,967. TL1: R(909,091 x 0.5 % x 3) =
    // R(13,636.365) = 13,636. G = 2,500,000 - 227,273 - 123,967 - 13,636 = 2,135,124.
    // Tax III 5 %: R(106,756.2) = 106,756. BPJS 1 % of min(4,500,000 + G, cap) -
    // min(4,500,000, cap) = 2,135,124: R(21,351.24) = 21,351.
    // N = 2,135,124 - 106,756 - 21,351 = 2,007,017.
    let got: Vec<(&str, kinerja::Money)> = lines.iter().map(|l| (l.rule.name(), l.amount)).collect();
    assert_eq!(
        got,
        [
            ("ceiling", rp(2_500_000)),
            ("proration", rp(-227_273)),
            ("performance.shortfall", rp(-123_967)),
            ("deduction.late.1", rp(-13_636)),
            ("tax.pph21", rp(-106_756)),
            ("contribution.bpjs", rp(-21_351)),
        ]
    );
    assert_eq!(
        (totals.ceiling, totals.gross, totals.tax, totals.contribution, totals.net),
        (rp(2_500_000), rp(2_135_124), rp(-106_756), rp(-21_351), rp(2_007_017))
    );
    // The full slip has exactly these lines and totals.
    let slip = kinerja::allowance::compute_slip_with(&input, &params).expect("computes");
    let full: Vec<(&str, kinerja::Money)> = slip.lines.iter().map(|l| (l.rule.as_str(), l.amount)).collect();
    assert_eq!(full, got);
    assert_eq!(
        (slip.gross, slip.tax, slip.contribution, slip.net),
        (totals.gross, totals.tax, totals.contribution, totals.net)
    );
}

/// Each recap row is paid by the position and unit it names, not by what the dataset
/// says the employee held (an index of the plan that guessed the row's position from
/// the dataset must check it): rows naming another position or unit than the
/// employee's own (two employees' posts swapped, a row moved to another unit, a
/// position the dataset does not have) are paid exactly as the full slips pay them.
#[test]
fn plumbing_rows_naming_other_positions_pay_as_the_full_slips() {
    let (city, month) = city_month();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, month).expect("context");
    let (ledger, _) = simulate_month(&ctx, 3, true).expect("simulates");
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
    let mut recap = monthly_recap(&ledger, &ctx, as_of).expect("recap");
    let before = pay_amounts(&city, &ctx, &recap, &policy).expect("pays amounts");
    // Two employees of different units and job classes swap posts (and units).
    let org = &city.organisation;
    let class = |r: &kinerja::recap::EmployeeRecap| {
        r.position.as_ref().and_then(|p| org.position(p)).map(|p| p.job_class.get()).unwrap_or(0)
    };
    let a = recap.employees.iter().position(|r| r.position.is_some()).expect("a paid row");
    let b = recap
        .employees
        .iter()
        .position(|r| {
            r.position.is_some() && r.unit != recap.employees[a].unit && class(r) != class(&recap.employees[a])
        })
        .expect("a row of another unit and class");
    let (pa, ua) = (recap.employees[a].position.clone(), recap.employees[a].unit.clone());
    let (pb, ub) = (recap.employees[b].position.clone(), recap.employees[b].unit.clone());
    (recap.employees[a].position, recap.employees[a].unit) = (pb, ub.clone());
    (recap.employees[b].position, recap.employees[b].unit) = (pa, ua);
    // A row keeps its post but is counted in another unit; a row names no such position.
    let c = (0..recap.employees.len())
        .find(|&i| i != a && i != b && recap.employees[i].position.is_some())
        .expect("a third paid row");
    recap.employees[c].unit = ub;
    let d = (0..recap.employees.len())
        .find(|&i| ![a, b, c].contains(&i) && recap.employees[i].position.is_some())
        .expect("a fourth paid row");
    recap.employees[d].position = Some(kinerja::ids::PositionId::from("NO-SUCH-POSITION"));

    let full = pay_city(&city, &ctx, &recap, &policy).expect("pays");
    let fast = pay_amounts(&city, &ctx, &recap, &policy).expect("pays amounts");
    assert_eq!(PayPlan::new(&city, month, &policy).expect("plan").pay_amounts(&ctx, &recap).expect("pays"), fast);
    // The unknown position fails (one more failure than the untouched month), the
    // swapped posts pay other amounts than before.
    assert_eq!(fast.failed, full.failures.len());
    assert_eq!(fast.failed, before.failed + 1);
    assert_eq!(fast.not_paid, full.not_paid.len());
    let net_of = |p: &kinerja::payroll::PayrollAmounts, row: usize| {
        let i = p.rows.iter().position(|&r| r as usize == row).expect("paid");
        p.amounts.slips[i].as_ref().expect("computed").net
    };
    assert_ne!(net_of(&fast, a), net_of(&before, a), "employee a's net follows the swapped post");
    let computed: Vec<_> = fast.amounts.slips.iter().filter_map(|s| s.as_ref().ok()).collect();
    assert_eq!(computed.len(), full.slips.len());
    for (a, slip) in computed.iter().zip(&full.slips) {
        assert_eq!((a.gross, a.net), (slip.gross, slip.net), "employee {}", slip.employee);
    }
    // The unit totals follow the units the rows name.
    let units: Vec<_> = fast.units.iter().map(|u| u.to_totals()).collect();
    let full_units: Vec<_> = full.units.iter().map(|u| u.totals.clone()).collect();
    assert_eq!(units, full_units);
    assert_eq!(fast.city.to_totals(), full.city);
}
