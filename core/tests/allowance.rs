//! The allowance (TPP) engine: hand-computed slips, errors, hash, arrears and comparison.
//!
//! National values used below (policy/national.toml): ceiling class 7 = 2,000,000,
//! class 9 = 2,500,000, class 11 = 3,250,000; weights 60/40; TL/PSW 0.5/1/1.25/1.5 %;
//! TK 3 %; roll call 0.5 %; ceremony 1 %; permit 1 %, sick 1 %, leave.unpaid 5 %;
//! CPNS 80 %; sanction medium 25 % for 6/9/12 months; acting 20 % from 12 days;
//! tax I/II 0 %, III 5 %, IV 15 %; BPJS 1 % capped at 12,000,000; whole rupiah half up.

use kinerja::Error;
use kinerja::allowance::*;
use kinerja::i18n::Lang;
use kinerja::money::Money;
use kinerja::org::{EmploymentType, Nip};
use kinerja::policy::{Policy, PolicyError, PolicyLayer};
use kinerja::{Minutes, YearMonth};

fn national() -> Policy {
    Policy::try_national().expect("national baseline loads")
}

fn layered(body: &str) -> Policy {
    let text = format!("[layer]\nname = \"test city\"\n\n{body}");
    national().with_toml("test.toml", &text).expect("test layer loads")
}

fn month(s: &str) -> YearMonth {
    s.parse().expect("test month")
}

/// The specification's example with full performance and no deductions, rank II/c
/// (no tax) and a salary at the BPJS cap (no contribution): the slip is the ceiling
/// alone unless a test changes something.
fn simple() -> AllowanceInput {
    serde_json::from_str(
        r#"{
          "employee": "198503152010011001", "month": "2026-10", "job_class": 9, "rank": "II/c",
          "employment": "PNS", "salary": "12000000",
          "calendar_working_days": 22, "assigned_working_days": 22,
          "performance": { "target_minutes": 6600, "verified_minutes": 6600 },
          "discipline": { "days_present": 22, "late": [0, 0, 0, 0], "early": [0, 0, 0, 0],
                          "unexcused_days": 0,
                          "roll_calls_missed": { "morning": 0, "afternoon": 0, "ceremony": 0 } }
        }"#,
    )
    .expect("test input parses")
}

fn pay(input: &AllowanceInput, policy: &Policy) -> Slip {
    match compute_slip(input, policy) {
        Ok(s) => s,
        Err(e) => panic!("slip computes: {e}"),
    }
}

fn m(rupiah: i64) -> Money {
    Money::from_rupiah(rupiah)
}

/// (rule, amount) of every line.
fn lines(slip: &Slip) -> Vec<(String, Money)> {
    slip.lines.iter().map(|l| (l.rule.clone(), l.amount)).collect()
}

fn expect(items: &[(&str, i64)]) -> Vec<(String, Money)> {
    items.iter().map(|(r, a)| (r.to_string(), m(*a))).collect()
}

fn totals(slip: &Slip) -> [Money; 4] {
    [slip.gross, slip.tax, slip.contribution, slip.net]
}

// --- plain cases -------------------------------------------------------------

#[test]
fn plain_pns_class_9_with_90_909_percent_achievement() {
    // C = 2,500,000 (class 9). P = 2,500,000 x 60 % = 1,500,000; D = 1,000,000.
    // E = R(1,500,000 x 6000 / 6600) = R(1,363,636.36...) = 1,363,636; shortfall -136,364.
    // G = 2,500,000 - 136,364 = 2,363,636.
    // Tax III 5 %: R(118,181.8) = 118,182.
    // BPJS: min(4,500,000 + 2,363,636, 12,000,000) - 4,500,000 = 2,363,636 x 1 % = R(23,636.36) = 23,636.
    // N = 2,363,636 - 118,182 - 23,636 = 2,221,818.
    let mut input = simple();
    input.rank = "III/c".parse().expect("rank");
    input.salary = m(4_500_000);
    input.performance.verified_minutes = Minutes(6000);
    let slip = pay(&input, &national());
    assert_eq!(
        lines(&slip),
        expect(&[
            ("ceiling", 2_500_000),
            ("performance.shortfall", -136_364),
            ("tax.pph21", -118_182),
            ("contribution.bpjs", -23_636),
        ])
    );
    assert_eq!(totals(&slip), [m(2_363_636), m(-118_182), m(-23_636), m(2_221_818)]);
    assert_eq!(slip.schema_version, 2);
    assert_eq!(slip.month, month("2026-10"));

    let perf = slip.line("performance.shortfall").expect("line");
    assert!(perf.explanation.render(Lang::En).contains("Rp 1,500,000"), "{}", perf.explanation.render(Lang::En));
    assert!(perf.explanation.render(Lang::En).contains("6,000 / 6,600"), "{}", perf.explanation.render(Lang::En));
    assert!(perf.explanation.render(Lang::En).contains("Rp 1,363,636 earned"), "{}", perf.explanation.render(Lang::En));
    assert_eq!(perf.inputs.get("performance.verified_minutes").map(String::as_str), Some("6000"));
    let keys: Vec<&str> = perf.parameters.iter().map(|p| p.key.as_str()).collect();
    // Rounding changed E (1,363,636.36 -> 1,363,636), so the rounding rule is quoted.
    assert_eq!(keys, ["allowance.weight_performance", "allowance.rounding", "allowance.rounding_scale"]);
    let w = &perf.parameters[0];
    assert_eq!((w.value.as_str(), w.layer.as_str(), w.from.to_string().as_str()), ("60", "national", "2020-01-01"));
    assert!(!w.reference.is_empty());

    let ceiling = slip.line("ceiling").expect("ceiling");
    assert_eq!(ceiling.parameters[1].key, "allowance.ceilings");
    assert_eq!(ceiling.parameters[1].value, "9 = 2500000");
    assert_eq!(ceiling.inputs.get("job_class").map(String::as_str), Some("9"));
}

#[test]
fn full_month_without_deductions_is_the_ceiling() {
    let slip = pay(&simple(), &national());
    assert_eq!(lines(&slip), expect(&[("ceiling", 2_500_000)]));
    assert_eq!(totals(&slip), [m(2_500_000), m(0), m(0), m(2_500_000)]);
}

#[test]
fn zero_target_earns_no_performance_part() {
    // target 0: E = 0, shortfall = -P = -1,500,000; G = 1,000,000.
    let mut input = simple();
    input.performance.target_minutes = Minutes(0);
    input.performance.verified_minutes = Minutes(500);
    let slip = pay(&input, &national());
    assert_eq!(lines(&slip), expect(&[("ceiling", 2_500_000), ("performance.shortfall", -1_500_000)]));
    // Verified above the target is capped at 100 %.
    let mut input = simple();
    input.performance.verified_minutes = Minutes(9000);
    assert_eq!(pay(&input, &national()).gross, m(2_500_000));
}

// --- deductions ----------------------------------------------------------------

#[test]
fn every_deduction_kind_once_in_order() {
    // D = 1,000,000 (40 % of 2,500,000); each line = D x rate x count / 100.
    // TL1 2 x 0.5 % = 10,000   TL2 1 x 1 % = 10,000   TL3 1 x 1.25 % = 12,500   TL4 1 x 1.5 % = 15,000
    // PSW1 1 x 0.5 % = 5,000   PSW2 1 x 1 % = 10,000  PSW3 1 x 1.25 % = 12,500  PSW4 1 x 1.5 % = 15,000
    // TK 1 x 3 % = 30,000; roll calls (1 morning + 2 afternoon) 3 x 0.5 % = 15,000; ceremony 1 x 1 % = 10,000
    // permit 1 x 1 % = 10,000; sick 2 x 1 % = 20,000; leave.unpaid 1 x 5 % = 50,000; leave.annual: rate 0, no line.
    // Total 225,000 <= D: no floor. G = 2,500,000 - 225,000 = 2,275,000.
    // Days: 14 present + 1 TK + 1 permit + 2 sick + 1 unpaid + 3 annual = 22 working days.
    let mut input = simple();
    input.discipline.days_present = 14;
    input.discipline.late = [2, 1, 1, 1];
    input.discipline.early = [1, 1, 1, 1];
    input.discipline.unexcused_days = 1;
    input.discipline.roll_calls_missed = RollCallsMissed { morning: 1, afternoon: 2, ceremony: 1 };
    for (code, days) in [("permit", 1), ("sick", 2), ("leave.unpaid", 1), ("leave.annual", 3)] {
        input.discipline.absences.insert(code.to_string(), days);
    }
    let slip = pay(&input, &national());
    assert_eq!(
        lines(&slip),
        expect(&[
            ("ceiling", 2_500_000),
            ("deduction.late.1", -10_000),
            ("deduction.late.2", -10_000),
            ("deduction.late.3", -12_500),
            ("deduction.late.4", -15_000),
            ("deduction.early.1", -5_000),
            ("deduction.early.2", -10_000),
            ("deduction.early.3", -12_500),
            ("deduction.early.4", -15_000),
            ("deduction.unexcused", -30_000),
            ("deduction.roll_call", -15_000),
            ("deduction.ceremony", -10_000),
            ("deduction.absence.permit", -10_000),
            ("deduction.absence.sick", -20_000),
            ("deduction.absence.leave.unpaid", -50_000),
        ])
    );
    assert_eq!(slip.gross, m(2_275_000));
    assert_eq!(slip.net, m(2_275_000));
    let tl1 = slip.line("deduction.late.1").expect("TL1");
    assert_eq!(
        tl1.explanation.render(Lang::En),
        "Late arrival TL1 (terlambat): 2 days x 0.5% of discipline part Rp 1,000,000 = -Rp 10,000"
    );
    // The same line in Indonesian: 2 x 0,5 % x Rp 1.000.000 = Rp 10.000 deducted.
    assert_eq!(
        tl1.explanation.render(Lang::Id),
        "Terlambat TL1: 2 hari x 0,5% dari bagian disiplin Rp 1.000.000 = -Rp 10.000"
    );
    assert_eq!(tl1.inputs.get("discipline.late[0]").map(String::as_str), Some("2"));
    assert_eq!(tl1.parameters[0].key, "allowance.deductions_from");
    assert_eq!(
        (tl1.parameters[1].key.as_str(), tl1.parameters[1].value.as_str()),
        ("allowance.deduction.late", "TL1 = 0.5")
    );
    let rc = slip.line("deduction.roll_call").expect("roll call");
    assert_eq!(rc.inputs.len(), 2);
    let unpaid = slip.line("deduction.absence.leave.unpaid").expect("unpaid");
    assert_eq!(unpaid.parameters[1].value, "leave.unpaid = 5");
}

#[test]
fn deductions_from_the_whole_allowance() {
    // base = B' = 2,500,000: TL1 2 x 0.5 % = 25,000 (10,000 from the discipline part).
    let policy = layered("[[allowance.deductions_from]]\nfrom = 2020-01-01\nvalue = \"whole\"\nref = \"test\"\n");
    let mut input = simple();
    input.discipline.late = [2, 0, 0, 0];
    let slip = pay(&input, &policy);
    assert_eq!(lines(&slip), expect(&[("ceiling", 2_500_000), ("deduction.late.1", -25_000)]));
    assert!(slip.lines[1].explanation.render(Lang::En).contains("of whole allowance Rp 2,500,000"));
}

#[test]
fn discipline_floor_reached() {
    // D = 1,000,000. TK 2 x 3 % = 60,000; leave.unpaid 20 x 5 % = 1,000,000; total 1,060,000
    // (0 present + 2 TK + 20 unpaid = the 22 working days).
    // Cap = D = 1,000,000, so floor = 1,060,000 - 1,000,000 = +60,000.
    // S1 = E + D - 1,060,000 + 60,000 = 1,500,000 + 0 = 1,500,000 (the performance part survives).
    let mut input = simple();
    input.discipline.days_present = 0;
    input.discipline.unexcused_days = 2;
    input.discipline.absences.insert("leave.unpaid".into(), 20);
    let slip = pay(&input, &national());
    assert_eq!(
        lines(&slip),
        expect(&[
            ("ceiling", 2_500_000),
            ("deduction.unexcused", -60_000),
            ("deduction.absence.leave.unpaid", -1_000_000),
            ("deduction.floor", 60_000),
        ])
    );
    assert_eq!(slip.gross, m(1_500_000));

    // Exactly at the cap: no TK, leave.unpaid 20 x 5 % = 1,000,000 = D: no floor line
    // (2 present + 20 unpaid = 22).
    input.discipline.days_present = 2;
    input.discipline.unexcused_days = 0;
    let slip = pay(&input, &national());
    assert!(slip.line("deduction.floor").is_none());
    assert_eq!(slip.gross, m(1_500_000));
}

#[test]
fn floor_with_whole_base_caps_at_earned_plus_discipline() {
    // base = B' = 2,500,000; TK 2 x 3 % = 150,000; leave.unpaid 20 x 5 % = 2,500,000; total 2,650,000.
    // Cap = E + D = 1,500,000 + 1,000,000 = 2,500,000; floor = +150,000; G = 0, tax 0, BPJS 0, N = 0.
    let policy = layered("[[allowance.deductions_from]]\nfrom = 2020-01-01\nvalue = \"whole\"\nref = \"test\"\n");
    let mut input = simple();
    input.rank = "IV/a".parse().expect("rank");
    input.salary = m(1_000_000);
    input.discipline.days_present = 0;
    input.discipline.unexcused_days = 2;
    input.discipline.absences.insert("leave.unpaid".into(), 20);
    let slip = pay(&input, &policy);
    assert_eq!(
        lines(&slip),
        expect(&[
            ("ceiling", 2_500_000),
            ("deduction.unexcused", -150_000),
            ("deduction.absence.leave.unpaid", -2_500_000),
            ("deduction.floor", 150_000),
        ])
    );
    assert_eq!(totals(&slip), [m(0), m(0), m(0), m(0)]);
}

// --- gate, CPNS, sanction, acting, proration ------------------------------------

const GATE_ON: &str = "[[allowance.gate.enabled]]\nfrom = 2020-01-01\nvalue = true\nref = \"test\"\n";

#[test]
fn attendance_gate_bands() {
    let policy = layered(GATE_ON);
    let with_present = |present: i64| {
        let mut input = simple();
        input.discipline.days_present = present;
        pay(&input, &policy)
    };
    // 10 / 22 = 45.45 % < 50 (not < 25): pay 50 %: gate = -R(2,500,000 x 50 %) = -1,250,000.
    let slip = with_present(10);
    assert_eq!(lines(&slip), expect(&[("ceiling", 2_500_000), ("gate", -1_250_000)]));
    assert!(
        slip.lines[1].explanation.render(Lang::En).contains("10 of 22 assigned days present = 45.45%"),
        "{}",
        slip.lines[1].explanation.render(Lang::En)
    );
    // 11 / 22 = 50 % exactly: not below 50, no band: no line.
    assert_eq!(lines(&with_present(11)), expect(&[("ceiling", 2_500_000)]));
    // 5 / 22 = 22.7 % < 25: pay 0 %: the whole subtotal goes.
    let slip = with_present(5);
    assert_eq!(lines(&slip), expect(&[("ceiling", 2_500_000), ("gate", -2_500_000)]));
    assert_eq!(slip.net, m(0));
    // 6 / 24 = 25 % exactly is not below 25: the 50 % band.
    let mut input = simple();
    input.calendar_working_days = 24;
    input.assigned_working_days = 24;
    input.discipline.days_present = 6;
    assert_eq!(pay(&input, &policy).amount("gate"), m(-1_250_000));
    // Gate off (national): 5 days present cost nothing here.
    let mut input = simple();
    input.discipline.days_present = 5;
    assert_eq!(lines(&pay(&input, &national())), expect(&[("ceiling", 2_500_000)]));
}

#[test]
fn gate_applies_after_deductions() {
    // TL1 2 days: -10,000; S1 = 2,490,000; 10/22 present -> pay 50 %: gate = -1,245,000; G = 1,245,000.
    let policy = layered(GATE_ON);
    let mut input = simple();
    input.discipline.days_present = 10;
    input.discipline.late = [2, 0, 0, 0];
    let slip = pay(&input, &policy);
    assert_eq!(lines(&slip), expect(&[("ceiling", 2_500_000), ("deduction.late.1", -10_000), ("gate", -1_245_000)]));
}

#[test]
fn cpns_paid_80_percent() {
    // cpns = -R(2,500,000 x 20 %) = -500,000; B' = 2,000,000; P = 1,200,000; D = 800,000.
    // TL1 1 day: 800,000 x 0.5 % = 4,000. G = 1,996,000.
    let mut input = simple();
    input.employment = EmploymentType::Cpns;
    input.discipline.late = [1, 0, 0, 0];
    let slip = pay(&input, &national());
    assert_eq!(lines(&slip), expect(&[("ceiling", 2_500_000), ("cpns", -500_000), ("deduction.late.1", -4_000)]));
    assert_eq!(slip.gross, m(1_996_000));
    assert_eq!(slip.line("cpns").map(|l| l.parameters[0].key.as_str()), Some("allowance.cpns_percent"));
}

fn sanctioned(month_text: &str) -> AllowanceInput {
    let mut input = simple();
    input.month = month(month_text);
    input.sanctions.push(SanctionInput {
        level: "medium".into(),
        effective_from: chrono::NaiveDate::from_ymd_opt(2026, 5, 15).expect("date"),
        months: 6,
        reference: "SK Wali Kota 800/123/2026".into(),
    });
    input
}

#[test]
fn sanction_in_force_for_its_window() {
    // Effective 2026-05-15 for 6 months: in force May..October 2026 (from the effective month).
    // In force: sanction = -R(2,500,000 x 25 %) = -625,000.
    for (m_text, in_force) in
        [("2026-04", false), ("2026-05", true), ("2026-07", true), ("2026-10", true), ("2026-11", false)]
    {
        let slip = pay(&sanctioned(m_text), &national());
        let expected = if in_force { m(-625_000) } else { m(0) };
        assert_eq!(slip.amount("sanction"), expected, "{m_text}");
    }
    let slip = pay(&sanctioned("2026-10"), &national());
    let line = slip.line("sanction").expect("sanction");
    assert!(
        line.explanation.render(Lang::En).contains("SK Wali Kota 800/123/2026"),
        "{}",
        line.explanation.render(Lang::En)
    );
    assert_eq!(line.parameters[0].value, "medium = {cut = 25, months = [6, 9, 12]}");
    assert_eq!(line.parameters[0].from.to_string(), "2021-08-31");
    assert_eq!(line.inputs.get("sanctions[0].months").map(String::as_str), Some("6"));
}

#[test]
fn largest_cut_of_several_sanctions_applies_once() {
    // light 10 % and medium 25 % both in force: one line, -R(2,500,000 x 25 %) = -625,000.
    let policy = layered(
        "[[allowance.sanctions]]\nfrom = 2020-01-01\nvalue = { light = { cut = \"10\", months = [3] }, medium = { cut = \"25\", months = [6, 9, 12] } }\nref = \"test\"\n",
    );
    let mut input = sanctioned("2026-06");
    input.sanctions.insert(
        0,
        SanctionInput {
            level: "light".into(),
            effective_from: chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date"),
            months: 3,
            reference: String::new(),
        },
    );
    let slip = pay(&input, &policy);
    assert_eq!(lines(&slip), expect(&[("ceiling", 2_500_000), ("sanction", -625_000)]));
    assert!(slip.lines[1].inputs.contains_key("sanctions[1].level"));
}

#[test]
fn sanction_levels_and_months_are_checked_against_policy() {
    let mut input = sanctioned("2026-10");
    input.sanctions[0].months = 7;
    let err = compute_slip(&input, &national()).expect_err("7 months not allowed");
    assert_eq!(err.code(), "sanction_months_not_allowed");
    assert!(err.to_string().contains("sanctions[0].months"), "{err}");

    let mut input = sanctioned("2026-10");
    input.sanctions[0].level = "heavy".into();
    // Not in force this month, still refused: the decision itself is wrong.
    input.month = month("2027-06");
    let err = compute_slip(&input, &national()).expect_err("unknown level");
    assert!(matches!(&err, AllowanceError::UnknownSanctionLevel { index: 0, level, .. } if level == "heavy"));
    assert!(err.to_string().contains("sanctions[0].level"), "{err}");
}

#[test]
fn acting_from_twelve_days() {
    // Acting class 11: ceiling 3,250,000 x 20 % = 650,000, from 12 working days on.
    let with_days = |days: i64| {
        let mut input = simple();
        input.acting.push(ActingInput { position: "DINKES-P002".into(), job_class: 11, working_days: days });
        pay(&input, &national())
    };
    assert_eq!(lines(&with_days(11)), expect(&[("ceiling", 2_500_000)]));
    let slip = with_days(12);
    assert_eq!(lines(&slip), expect(&[("ceiling", 2_500_000), ("acting", 650_000)]));
    assert_eq!(slip.gross, m(3_150_000));
    let line = slip.line("acting").expect("acting");
    assert!(line.explanation.render(Lang::En).contains("DINKES-P002"), "{}", line.explanation.render(Lang::En));
    assert!(
        line.explanation.render(Lang::En).contains("Rp 3,250,000 x 20% = Rp 650,000"),
        "{}",
        line.explanation.render(Lang::En)
    );
    assert!(line.parameters.iter().any(|p| p.key == "allowance.ceilings" && p.value == "11 = 3250000"));
}

#[test]
fn acting_is_neither_prorated_nor_cut() {
    // Joined mid-month (11 of 22 days) with a sanction in force and 12 days acting:
    // B = R(2,500,000 x 11 / 22) = 1,250,000 (proration -1,250,000); sanction -R(1,250,000 x 25 %) = -312,500;
    // acting +650,000 in full. G = 1,250,000 - 312,500 + 650,000 = 1,587,500 <= C + acting = 3,150,000.
    let mut input = sanctioned("2026-10");
    input.assigned_working_days = 11;
    input.discipline.days_present = 11;
    input.performance = PerformanceInput { target_minutes: Minutes(3300), verified_minutes: Minutes(3300) };
    input.acting.push(ActingInput { position: "DINKES-P002".into(), job_class: 11, working_days: 12 });
    let slip = pay(&input, &national());
    assert_eq!(
        lines(&slip),
        expect(&[("ceiling", 2_500_000), ("proration", -1_250_000), ("sanction", -312_500), ("acting", 650_000)])
    );
    assert_eq!(slip.gross, m(1_587_500));
}

#[test]
fn proration_of_a_joiner() {
    // 7 of 22 days: B = R(2,500,000 x 7 / 22) = R(795,454.5454...) = 795,455; line = -1,704,545.
    // P = R(795,455 x 60 %) = R(477,273) = 477,273; D = 318,182; full performance: G = 795,455.
    let mut input = simple();
    input.assigned_working_days = 7;
    input.discipline.days_present = 7;
    input.performance = PerformanceInput { target_minutes: Minutes(2100), verified_minutes: Minutes(2100) };
    let slip = pay(&input, &national());
    assert_eq!(lines(&slip), expect(&[("ceiling", 2_500_000), ("proration", -1_704_545)]));
    assert_eq!(slip.gross, m(795_455));
    let line = slip.line("proration").expect("proration");
    assert!(
        line.explanation.render(Lang::En).contains("Rp 2,500,000 x 7 assigned / 22 calendar working days = Rp 795,455")
    );

    // Proration off: the whole ceiling.
    let policy = layered("[[allowance.proration]]\nfrom = 2020-01-01\nvalue = false\nref = \"test\"\n");
    assert_eq!(pay(&input, &policy).gross, m(2_500_000));

    // A month with no working days: B = 0 (documented choice).
    let mut input = simple();
    input.calendar_working_days = 0;
    input.assigned_working_days = 0;
    input.discipline.days_present = 0;
    input.performance = PerformanceInput { target_minutes: Minutes(0), verified_minutes: Minutes(0) };
    let slip = pay(&input, &national());
    assert_eq!(lines(&slip), expect(&[("ceiling", 2_500_000), ("proration", -2_500_000)]));
    assert_eq!(slip.net, m(0));
}

// --- tax, BPJS, rounding ---------------------------------------------------------

#[test]
fn tax_by_rank_group() {
    // G = 2,500,000; salary at the cap: no contribution.
    for (rank, tax) in [("I/a", 0), ("II/d", 0), ("III/a", -125_000), ("IV/a", -375_000), ("IV/e", -375_000)] {
        let mut input = simple();
        input.rank = rank.parse().expect("rank");
        let slip = pay(&input, &national());
        assert_eq!(slip.tax, m(tax), "{rank}");
        assert_eq!(slip.net, m(2_500_000 + tax), "{rank}");
        assert_eq!(slip.line("tax.pph21").is_some(), tax != 0, "{rank}");
    }
    let mut input = simple();
    input.rank = "IV/b".parse().expect("rank");
    let slip = pay(&input, &national());
    let line = slip.line("tax.pph21").expect("tax");
    assert_eq!(
        line.explanation.render(Lang::En),
        "Income tax (PPh 21) flat 15% for rank group (golongan) IV: -(Rp 2,500,000 x 15%) = -Rp 375,000"
    );
    // 15 % of Rp 2.500.000 = Rp 375.000, Indonesian digit grouping.
    assert_eq!(
        line.explanation.render(Lang::Id),
        "PPh 21 tarif tetap 15% untuk golongan IV: -(Rp 2.500.000 x 15%) = -Rp 375.000"
    );
    assert_eq!(line.parameters[1].value, "IV = 15");
    assert_eq!(line.inputs.get("rank").map(String::as_str), Some("IV/b"));
}

#[test]
fn bpjs_base_is_capped() {
    // Class 7: G = 2,000,000. Salary 11,500,000: base = min(13,500,000, 12,000,000) - 11,500,000
    // = 500,000; 1 % = 5,000. N = 1,995,000.
    let mut input = simple();
    input.job_class = 7;
    input.salary = m(11_500_000);
    let slip = pay(&input, &national());
    assert_eq!(lines(&slip), expect(&[("ceiling", 2_000_000), ("contribution.bpjs", -5_000)]));
    assert_eq!(totals(&slip), [m(2_000_000), m(0), m(-5_000), m(1_995_000)]);
    // Salary 4,500,000: the whole allowance is within the cap: 2,000,000 x 1 % = 20,000.
    input.salary = m(4_500_000);
    assert_eq!(pay(&input, &national()).contribution, m(-20_000));
    // Salary above the cap: nothing more is due.
    input.salary = m(13_000_000);
    assert!(pay(&input, &national()).line("contribution.bpjs").is_none());
}

#[test]
fn rounding_half_up_versus_half_even_at_half_rupiah() {
    // Class 7, G = 2,000,000; salary 11,999,750: base = 12,000,000 - 11,999,750 = 250;
    // 1 % = 2.5 rupiah: half_up -> 3, half_even -> 2.
    let mut input = simple();
    input.job_class = 7;
    input.salary = m(11_999_750);
    let up = pay(&input, &national());
    assert_eq!(up.contribution, m(-3));
    let line = up.line("contribution.bpjs").expect("bpjs");
    assert!(line.parameters.iter().any(|p| p.key == "allowance.rounding" && p.value == "half_up"));
    let even =
        pay(&input, &layered("[[allowance.rounding]]\nfrom = 2020-01-01\nvalue = \"half_even\"\nref = \"test\"\n"));
    assert_eq!(even.contribution, m(-2));
    // 0.5 rupiah (salary 11,999,950, base 50): half_up 1, half_even 0 (no line).
    input.salary = m(11_999_950);
    assert_eq!(pay(&input, &national()).contribution, m(-1));
    let even =
        pay(&input, &layered("[[allowance.rounding]]\nfrom = 2020-01-01\nvalue = \"half_even\"\nref = \"test\"\n"));
    assert!(even.line("contribution.bpjs").is_none());
    // Two decimals kept: 2.50 exactly.
    let cents = pay(&input, &layered("[[allowance.rounding_scale]]\nfrom = 2020-01-01\nvalue = 2\nref = \"test\"\n"));
    assert_eq!(cents.contribution, Money::parse("-0.50").expect("literal"));
}

#[test]
fn bpk_index_ceiling_rounded_up() {
    // 3,781,000 (class 9) x 0.85 x 1.1 x 0.9 = 3,781,000 x 0.8415 = 3,181,711.5 -> up to 1,000: 3,182,000.
    // Acting class 11: 5,361,000 x 0.8415 = 4,511,281.5 -> 4,512,000; x 20 % = 902,400.
    let policy = layered(
        r#"
[[allowance.ceiling_method]]
from = 2020-01-01
value = "bpk_index"
ref = "test"
[[allowance.ikfd]]
from = 2020-01-01
value = "0.85"
ref = "test"
[[allowance.ikk]]
from = 2020-01-01
value = "1.1"
ref = "test"
[[allowance.ippd]]
from = 2020-01-01
value = "0.9"
ref = "test"
"#,
    );
    let mut input = simple();
    input.acting.push(ActingInput { position: "P".into(), job_class: 11, working_days: 20 });
    let slip = pay(&input, &policy);
    assert_eq!(lines(&slip), expect(&[("ceiling", 3_182_000), ("acting", 902_400)]));
    let line = slip.line("ceiling").expect("ceiling");
    assert!(
        line.explanation.render(Lang::En).contains("Rp 3,781,000 x IKFD 0.85 x IKK 1.1 x IPPD 0.9 = Rp 3,181,711.50"),
        "{}",
        line.explanation.render(Lang::En)
    );
    let keys: Vec<&str> = line.parameters.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "allowance.ceiling_method",
            "allowance.bpk_table",
            "allowance.ikfd",
            "allowance.ikk",
            "allowance.ippd",
            "allowance.bpk_rounding_unit"
        ]
    );
    assert_eq!(line.parameters[2].layer, "test city");
}

// --- policy binding and loading ---------------------------------------------------

#[test]
fn params_are_read_on_the_first_day_of_the_month() {
    // A city raises the performance weight to 70 % from 2026-07-01.
    let policy = layered(
        "[[allowance.weight_performance]]\nfrom = 2026-07-01\nvalue = \"70\"\nref = \"Perwal 9/2026\"\n\
         [[allowance.weight_discipline]]\nfrom = 2026-07-01\nvalue = \"30\"\nref = \"Perwal 9/2026\"\n",
    );
    let june = AllowanceParams::from_policy(&policy, month("2026-06")).expect("binds");
    let july = AllowanceParams::from_policy(&policy, month("2026-07")).expect("binds");
    assert_eq!(june.params.weight_performance.to_string(), "60");
    assert_eq!(july.params.weight_performance.to_string(), "70");
    // The 30 keys every slip depends on, then the 2 read for PPPK employees, then the
    // 3 of the TPP criteria.
    assert_eq!(july.provenance.len(), ALLOWANCE_KEYS.len() + PPPK_ALLOWANCE_KEYS.len() + CRITERIA_ALLOWANCE_KEYS.len());
    let keys: Vec<&str> = july.provenance.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys[..30], ALLOWANCE_KEYS);
    assert_eq!(keys[30..32], PPPK_ALLOWANCE_KEYS);
    assert_eq!(keys[32..], CRITERIA_ALLOWANCE_KEYS);
    assert_eq!(july.provenance[7].reference, "Perwal 9/2026");
}

fn bind_error(body: &str) -> PolicyError {
    AllowanceParams::from_policy(&layered(body), month("2026-10")).expect_err("refused when binding")
}

#[test]
fn consistency_checks_name_the_key() {
    let e = bind_error("[[allowance.weight_performance]]\nfrom = 2020-01-01\nvalue = \"70\"\nref = \"test\"\n");
    assert!(matches!(&e, PolicyError::BadValue { key, .. } if key == "allowance.weight_discipline"), "{e}");

    let e = bind_error("[[allowance.ceilings]]\nfrom = 2020-01-01\nvalue = { \"1\" = \"1000000\" }\nref = \"test\"\n");
    assert!(
        matches!(&e, PolicyError::BadValue { key, message } if key == "allowance.ceilings" && message.contains("17")),
        "{e}"
    );

    let e = bind_error(
        "[[allowance.ceiling_method]]\nfrom = 2020-01-01\nvalue = \"bpk_index\"\nref = \"test\"\n\
         [[allowance.bpk_table]]\nfrom = 2020-01-01\nvalue = { \"9\" = \"1000000\" }\nref = \"test\"\n",
    );
    assert!(matches!(&e, PolicyError::BadValue { key, .. } if key == "allowance.bpk_table"), "{e}");
    // bpk_index does not need a complete plain table.
    let ok = layered(
        "[[allowance.ceiling_method]]\nfrom = 2020-01-01\nvalue = \"bpk_index\"\nref = \"test\"\n\
         [[allowance.ceilings]]\nfrom = 2020-01-01\nvalue = { \"9\" = \"1000000\" }\nref = \"test\"\n",
    );
    assert!(AllowanceParams::from_policy(&ok, month("2026-10")).is_ok());

    let e = bind_error(
        "[[allowance.tax.flat]]\nfrom = 2020-01-01\nvalue = { I = \"0\", II = \"0\", III = \"5\", IV = \"100\" }\nref = \"test\"\n",
    );
    assert!(matches!(&e, PolicyError::BadValue { key, .. } if key == "allowance.tax.flat"), "{e}");
}

fn load_codes(body: &str) -> Vec<(String, String)> {
    let text = format!("[layer]\nname = \"test\"\n\n{body}");
    match PolicyLayer::from_toml("test.toml", &text) {
        Ok(_) => Vec::new(),
        Err(e) => e.problems().iter().map(|p| (p.id.clone(), p.code.clone())).collect(),
    }
}

#[test]
fn policy_loader_refuses_bad_allowance_timelines_keys_and_shapes() {
    let gap = "[[allowance.weight_performance]]\nfrom = 2020-01-01\nuntil = 2020-12-31\nvalue = \"60\"\nref = \"a\"\n\
               [[allowance.weight_performance]]\nfrom = 2021-02-01\nvalue = \"60\"\nref = \"b\"\n";
    assert_eq!(load_codes(gap), [("allowance.weight_performance".to_string(), "gap".to_string())]);
    let overlap = "[[allowance.cpns_percent]]\nfrom = 2020-01-01\nuntil = 2021-03-01\nvalue = \"80\"\nref = \"a\"\n\
                   [[allowance.cpns_percent]]\nfrom = 2021-01-01\nvalue = \"75\"\nref = \"b\"\n";
    assert_eq!(load_codes(overlap), [("allowance.cpns_percent".to_string(), "overlap".to_string())]);
    let unknown = "[[allowance.deduction.lateness]]\nfrom = 2020-01-01\nvalue = \"1\"\nref = \"a\"\n";
    assert_eq!(load_codes(unknown), [("allowance.deduction.lateness".to_string(), "unknown_key".to_string())]);
    let float = "[[allowance.acting_percent]]\nfrom = 2020-01-01\nvalue = 20.0\nref = \"a\"\n";
    assert_eq!(load_codes(float), [("allowance.acting_percent".to_string(), "float_refused".to_string())]);
    for body in [
        "[[allowance.ceilings]]\nfrom = 2020-01-01\nvalue = { \"18\" = \"1\" }\nref = \"a\"\n",
        "[[allowance.deduction.late]]\nfrom = 2020-01-01\nvalue = [\"0.5\", \"1\", \"1.25\"]\nref = \"a\"\n",
        "[[allowance.deduction.absence_per_day]]\nfrom = 2020-01-01\nvalue = { holiday = \"1\" }\nref = \"a\"\n",
        "[[allowance.gate.bands]]\nfrom = 2020-01-01\nvalue = [{ below = \"50\", pay = \"50\" }, { below = \"25\", pay = \"0\" }]\nref = \"a\"\n",
        "[[allowance.sanctions]]\nfrom = 2020-01-01\nvalue = { medium = { cut = \"25\", months = [] } }\nref = \"a\"\n",
        "[[allowance.tax.flat]]\nfrom = 2020-01-01\nvalue = { III = \"5\" }\nref = \"a\"\n",
        "[[allowance.cutoff_days]]\nfrom = 2020-01-01\nvalue = { \"2026-02\" = 30 }\nref = \"a\"\n",
    ] {
        let codes = load_codes(body);
        assert_eq!(codes.len(), 1, "{body}: {codes:?}");
        assert_eq!(codes[0].1, "invalid_value", "{body}");
    }
    assert_eq!(
        load_codes("[[allowance.rounding]]\nfrom = 2020-01-01\nvalue = \"nearest\"\nref = \"a\"\n")[0].1,
        "invalid_choice"
    );
}

#[test]
fn cutoff_days_are_bound_for_the_caller() {
    let policy =
        layered("[[allowance.cutoff_days]]\nfrom = 2020-01-01\nvalue = { \"2026-12\" = 20 }\nref = \"Perwal\"\n");
    let p = AllowanceParams::from_policy(&policy, month("2026-12")).expect("binds").params;
    assert_eq!(p.cutoff_day(month("2026-12")), Some(20));
    assert_eq!(p.cutoff_day(month("2026-11")), None);
}

// --- input validation and serde ---------------------------------------------------

#[test]
fn validation_reports_every_problem_with_its_field() {
    let mut input = simple();
    input.job_class = 18;
    input.assigned_working_days = 23;
    input.salary = m(-1);
    input.discipline.late = [0, -1, 0, 0];
    input.discipline.absences.insert("holiday".into(), 1);
    input.acting.push(ActingInput { position: "P".into(), job_class: 0, working_days: 30 });
    let err = input.validate().expect_err("invalid");
    let fields: Vec<(&str, &str)> = err.problems.iter().map(|p| (p.field.as_str(), p.code.as_str())).collect();
    assert_eq!(
        fields,
        [
            ("job_class", "out_of_range"),
            ("assigned_working_days", "out_of_range"),
            ("salary", "negative"),
            ("discipline.late[1]", "negative"),
            ("discipline.absences.holiday", "unknown_absence_code"),
            ("acting[0].job_class", "out_of_range"),
            ("acting[0].working_days", "out_of_range"),
        ]
    );
    assert!(err.problems.iter().all(|p| p.record == "allowance_input" && p.id == "198503152010011001"));
    let e = compute_slip(&input, &national()).expect_err("refused");
    assert_eq!(e.code(), "invalid_allowance_input");
    assert_eq!(Error::from(e).code(), "invalid_allowance_input");

    let mut input = simple();
    input.discipline.days_present = 23;
    let err = input.validate().expect_err("more present than assigned");
    assert_eq!(err.problems[0].field, "discipline.days_present");
    // Boundaries accepted: present = assigned = calendar, acting days = calendar.
    let mut input = simple();
    input.acting.push(ActingInput { position: "P".into(), job_class: 17, working_days: 22 });
    assert_eq!(input.validate(), Ok(()));
}

#[test]
fn the_specification_example_parses_and_unknown_fields_are_refused() {
    let json = r#"{
      "employee": "198503152010011001", "month": "2026-10", "job_class": 9, "rank": "III/c",
      "employment": "PNS", "salary": "4500000",
      "calendar_working_days": 22, "assigned_working_days": 22,
      "performance": { "target_minutes": 6600, "verified_minutes": 6000 },
      "discipline": { "days_present": 21, "late": [0, 0, 0, 0], "early": [0, 0, 0, 0],
        "unexcused_days": 0, "absences": { "permit": 1 },
        "roll_calls_missed": { "morning": 0, "afternoon": 0, "ceremony": 0 } },
      "acting": [ { "position": "DINKES-P002", "job_class": 11, "working_days": 12 } ],
      "sanctions": [ { "level": "medium", "effective_from": "2026-05-01", "months": 6, "reference": "SK Wali Kota 800/123/2026" } ]
    }"#;
    let input: AllowanceInput = serde_json::from_str(json).expect("spec example parses");
    // C 2,500,000; E = 1,363,636 (shortfall -136,364); permit 1 % x 1,000,000 = -10,000;
    // S2 = 2,353,636; sanction -R(588,409) = -588,409; S3 = 1,765,227; acting +650,000;
    // G = 2,415,227; tax R(120,761.35) = 120,761; BPJS R(24,152.27) = 24,152; N = 2,270,314.
    let slip = pay(&input, &national());
    assert_eq!(
        lines(&slip),
        expect(&[
            ("ceiling", 2_500_000),
            ("performance.shortfall", -136_364),
            ("deduction.absence.permit", -10_000),
            ("sanction", -588_409),
            ("acting", 650_000),
            ("tax.pph21", -120_761),
            ("contribution.bpjs", -24_152),
        ])
    );
    assert_eq!(totals(&slip), [m(2_415_227), m(-120_761), m(-24_152), m(2_270_314)]);

    // Slips serialise amounts as decimal strings and read back equal.
    let text = serde_json::to_string(&slip).expect("serialises");
    assert!(text.contains(r#""gross":"2415227""#), "{text}");
    assert!(text.contains(r#""rule":"deduction.absence.permit","amount":"-10000""#), "{text}");
    let back: Slip = serde_json::from_str(&text).expect("reads back");
    assert_eq!(back, slip);

    let extra = json.replacen("\"job_class\": 9,", "\"job_class\": 9, \"grade\": 3,", 1);
    assert!(serde_json::from_str::<AllowanceInput>(&extra).is_err());
    let nested = json.replacen("\"unexcused_days\": 0,", "\"unexcused_days\": 0, \"alpa\": 0,", 1);
    assert!(serde_json::from_str::<AllowanceInput>(&nested).is_err());
    let float_money = json.replacen("\"4500000\"", "4500000.5", 1);
    assert!(serde_json::from_str::<AllowanceInput>(&float_money).is_err());
}

// --- errors and invariants -------------------------------------------------------

#[test]
fn params_of_another_month_are_refused() {
    let bound = AllowanceParams::from_policy(&national(), month("2026-09")).expect("binds");
    let err = compute_slip_with(&simple(), &bound).expect_err("month mismatch");
    assert_eq!(err.code(), "month_mismatch");
}

#[test]
fn invariants_are_checked_before_a_slip_is_returned() {
    // Hand-built parameters that skip AllowanceParams::check: tax 100 % for group II and
    // BPJS 50 %. G = 2,500,000; tax = -2,500,000; salary 0: BPJS base 2,500,000 x 50 % =
    // -1,250,000; N = -1,250,000 < 0.
    let mut bound = AllowanceParams::from_policy(&national(), month("2026-10")).expect("binds");
    bound.params.tax_flat.insert(kinerja::org::RankGroup::II, rust_decimal::Decimal::ONE_HUNDRED);
    bound.params.bpjs_percent = rust_decimal::Decimal::from(50);
    assert!(matches!(bound.params.check(), Err(PolicyError::BadValue { key, .. }) if key == "allowance.tax.flat"));
    let mut input = simple();
    input.salary = m(0);
    let err = compute_slip_with(&input, &bound).expect_err("invariant");
    assert!(matches!(&err, AllowanceError::Invariant { message, .. } if message.contains("negative")), "{err}");
    assert_eq!(err.code(), "allowance_invariant");

    // A negative CPNS share would pay more than the ceiling: G > C.
    let mut bound = AllowanceParams::from_policy(&national(), month("2026-10")).expect("binds");
    bound.params.cpns_percent = rust_decimal::Decimal::from(150);
    let mut input = simple();
    input.employment = EmploymentType::Cpns;
    let err = compute_slip_with(&input, &bound).expect_err("invariant");
    assert!(matches!(&err, AllowanceError::Invariant { message, .. } if message.contains("exceeds ceiling")), "{err}");
}

// --- content hash ------------------------------------------------------------------

#[test]
fn content_hash_is_stable_and_sensitive() {
    let a = pay(&simple(), &national());
    let b = pay(&simple(), &Policy::national());
    assert_eq!(a.content_hash, b.content_hash);
    assert_eq!(a.content_hash.len(), 64);
    assert!(a.content_hash.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)));

    // Any input change.
    let mut input = simple();
    input.performance.verified_minutes = Minutes(6599);
    assert_ne!(pay(&input, &national()).content_hash, a.content_hash);
    let mut input = simple();
    input.salary = m(12_000_001);
    let changed = pay(&input, &national());
    assert_eq!(changed.net, a.net, "same amounts");
    assert_ne!(changed.content_hash, a.content_hash, "different input");
    assert_ne!(changed.input_hash, a.input_hash);
    assert_eq!(changed.policy_hash, a.policy_hash, "same policy");

    // Same value, another legal reference: different hash.
    let policy = layered("[[allowance.cpns_percent]]\nfrom = 2020-01-01\nvalue = \"80\"\nref = \"Perwal 1/2026\"\n");
    let c = pay(&simple(), &policy);
    assert_eq!(lines(&c), lines(&a));
    assert_ne!(c.content_hash, a.content_hash);
    assert_ne!(c.policy_hash, a.policy_hash);
    assert_eq!(c.input_hash, a.input_hash, "same input");
    // A value that did not change any amount (gate bands while the gate is off): different hash.
    let policy = layered("[[allowance.gate.bands]]\nfrom = 2020-01-01\nvalue = []\nref = \"test\"\n");
    assert_ne!(pay(&simple(), &policy).content_hash, a.content_hash);
    // Batches hash the same as single slips.
    let bound = AllowanceParams::from_policy(&national(), month("2026-10")).expect("binds");
    let batch = pay_all(&[simple()], &bound);
    assert_eq!(batch[0].as_ref().map(|s| s.content_hash.clone()), Ok(a.content_hash.clone()));
}

// --- sealed slips: verify ------------------------------------------------------------

/// A slip stored as JSON and read back, as an archive would keep it.
fn stored(slip: &Slip) -> Slip {
    serde_json::from_str(&serde_json::to_string(slip).expect("serialises")).expect("reads back")
}

#[test]
fn a_stored_slip_holds_when_nothing_changed() {
    // Class 9, full performance, rank II (no tax), salary at the BPJS cap (no contribution):
    // one line, the ceiling Rp 2,500,000.
    let slip = stored(&pay(&simple(), &national()));
    assert_eq!(lines(&slip), [("ceiling".to_string(), m(2_500_000))]);
    assert!(slip.is_sealed());
    let v = verify(&slip, &simple(), &national()).expect("verifies");
    assert!(v.holds && v.sealed && v.input_matches && v.policy_matches, "{:?}", v.describe());
    assert!(v.differences.is_empty() && v.wording.is_empty());
    assert_eq!(v.recomputed, slip);
    assert_eq!(v.describe(), ["the slip holds: sealed, same input, same policy, same amounts"]);
}

#[test]
fn an_amount_edited_after_the_fact_breaks_the_seal_and_is_named() {
    let mut slip = stored(&pay(&simple(), &national()));
    // Someone raises the ceiling line, the gross and the net by Rp 100,000.
    slip.lines[0].amount = m(2_600_000);
    slip.gross = m(2_600_000);
    slip.net = m(2_600_000);
    assert!(!slip.is_sealed(), "the seal covers the amounts");
    let v = verify(&slip, &simple(), &national()).expect("verifies");
    assert!(!v.holds && !v.sealed);
    assert!(v.input_matches && v.policy_matches, "the input and policy are still the slip's");
    let d: Vec<(&str, &str, &str)> =
        v.differences.iter().map(|d| (d.field.as_str(), d.stored.as_str(), d.recomputed.as_str())).collect();
    assert_eq!(
        d,
        [("lines[0].amount", "2600000", "2500000"), ("gross", "2600000", "2500000"), ("net", "2600000", "2500000")]
    );
    // Resealing the edited slip does not help: the recomputation still disagrees.
    slip.content_hash = slip.seal();
    let v = verify(&slip, &simple(), &national()).expect("verifies");
    assert!(v.sealed && !v.holds && v.differences.len() == 3);
}

#[test]
fn a_changed_input_or_policy_is_reported_as_such() {
    let slip = stored(&pay(&simple(), &national()));
    // The verified minutes were corrected to 6,000 of 6,600: P = 1,500,000,
    // E = R(1,500,000 x 6,000 / 6,600) = 1,363,636, shortfall -136,364.
    let mut corrected = simple();
    corrected.performance.verified_minutes = Minutes(6_000);
    let v = verify(&slip, &corrected, &national()).expect("verifies");
    assert!(!v.holds && v.sealed && !v.input_matches && v.policy_matches);
    let d: Vec<(&str, &str, &str)> =
        v.differences.iter().map(|d| (d.field.as_str(), d.stored.as_str(), d.recomputed.as_str())).collect();
    assert_eq!(
        d,
        [
            ("lines[1]", "", "performance.shortfall -136364"),
            ("gross", "2500000", "2363636"),
            ("net", "2500000", "2363636")
        ]
    );
    assert!(v.describe().iter().any(|l| l.contains("input differs")), "{:?}", v.describe());

    // The same value under another legal reference: the amounts hold, the policy does not.
    let policy = layered("[[allowance.cpns_percent]]\nfrom = 2020-01-01\nvalue = \"80\"\nref = \"Perwal 1/2026\"\n");
    let v = verify(&slip, &simple(), &policy).expect("verifies");
    assert!(!v.holds && v.sealed && v.input_matches && !v.policy_matches && v.differences.is_empty());
}

#[test]
fn edited_wording_is_listed_but_does_not_unseal() {
    let mut slip = stored(&pay(&simple(), &national()));
    slip.lines[0].explanation = "Ceiling agreed with the head of unit".into();
    let v = verify(&slip, &simple(), &national()).expect("verifies");
    assert!(v.holds, "explanations are derived text, not sealed");
    assert_eq!(v.wording.len(), 1);
    assert_eq!(v.wording[0].field, "lines[0].explanation");
    assert_eq!(v.wording[0].stored, "Ceiling agreed with the head of unit");
}

#[test]
fn a_slip_of_another_employee_month_or_version_is_refused() {
    let slip = stored(&pay(&simple(), &national()));
    let mut other = simple();
    other.employee = "199003032015031003".parse().expect("nip");
    let err = verify(&slip, &other, &national()).expect_err("another employee");
    assert_eq!(err.code(), "slip_mismatch");
    assert!(err.to_string().contains("`employee`"), "{err}");
    // A version-1 slip (no input or policy hash) still reads, and is refused by its version.
    let mut v1 = serde_json::to_value(&slip).expect("serialises");
    v1["schema_version"] = 1.into();
    let map = v1.as_object_mut().expect("object");
    map.remove("input_hash");
    map.remove("policy_hash");
    let old: Slip = serde_json::from_value(v1).expect("a version-1 slip reads");
    let err = verify(&old, &simple(), &national()).expect_err("version 1");
    assert_eq!(err.code(), "unsupported_slip_version");
    assert_eq!(err.to_string(), "the slip has schema version 1; this engine verifies version 2");
}

// --- batches, totals, comparison, arrears ----------------------------------------------

fn employee(nip: &str, verified: i64) -> AllowanceInput {
    let mut input = simple();
    input.employee = nip.parse::<Nip>().expect("nip");
    input.performance.verified_minutes = Minutes(verified);
    input
}

const A: &str = "198503152010011001";
const B: &str = "199001012015032002";
const C: &str = "199202022019021003";

#[test]
fn pay_all_and_totals() {
    // A: 6000/6600 -> G 2,363,636 (shortfall -136,364). B: TL1 2 days -> G 2,490,000.
    let mut b = employee(B, 6600);
    b.discipline.late = [2, 0, 0, 0];
    let mut bad = employee(C, 6600);
    bad.job_class = 0;
    let bound = AllowanceParams::from_policy(&national(), month("2026-10")).expect("binds");
    let results = pay_all(&[employee(A, 6000), b, bad], &bound);
    assert_eq!(results.len(), 3);
    assert!(matches!(&results[2], Err(AllowanceError::InvalidInput(_))));
    let slips: Vec<Slip> = results.into_iter().filter_map(Result::ok).collect();
    let t = Totals::of(&slips).expect("no overflow");
    assert_eq!(t.count, 2);
    assert_eq!(t.ceiling, m(5_000_000));
    assert_eq!(t.gross, m(2_363_636 + 2_490_000));
    assert_eq!(t.net, t.gross);
    assert_eq!(t.deductions_by_rule.get("performance.shortfall"), Some(&m(-136_364)));
    assert_eq!(t.deductions_by_rule.get("deduction.late.1"), Some(&m(-10_000)));
    assert!(!t.deductions_by_rule.contains_key("ceiling"));
}

#[test]
fn what_if_comparison_per_employee_and_group() {
    // After: weights 70/30. A (6000/6600): P = 1,750,000; E = R(1,590,909.09) = 1,590,909;
    // shortfall -159,091; G = 2,340,909 (before 2,363,636): delta -22,727.
    // B (full performance): 2,500,000 both sides. C: after only, 2,500,000.
    let after_policy = layered(
        "[[allowance.weight_performance]]\nfrom = 2020-01-01\nvalue = \"70\"\nref = \"draft\"\n\
         [[allowance.weight_discipline]]\nfrom = 2020-01-01\nvalue = \"30\"\nref = \"draft\"\n",
    );
    let before = vec![pay(&employee(A, 6000), &national()), pay(&employee(B, 6600), &national())];
    let after = vec![
        pay(&employee(A, 6000), &after_policy),
        pay(&employee(B, 6600), &after_policy),
        pay(&employee(C, 6600), &after_policy),
    ];
    let cmp = compare(&before, &after);
    assert_eq!(cmp.employees.len(), 3);
    let a = &cmp.employees[0];
    assert_eq!(a.employee.as_str(), A);
    assert_eq!(a.presence, Presence::Both);
    assert_eq!((a.gross.before, a.gross.after, a.gross.delta), (m(2_363_636), m(2_340_909), m(-22_727)));
    assert_eq!(a.by_rule.len(), 1);
    assert_eq!(a.by_rule.get("performance.shortfall").map(|c| c.delta), Some(m(-22_727)));
    assert!(cmp.employees[1].by_rule.is_empty());
    assert_eq!(cmp.only_after().map(Nip::as_str).collect::<Vec<_>>(), [C]);
    assert_eq!(cmp.only_before().count(), 0);
    assert_eq!(cmp.total.gross.delta, m(-22_727 + 2_500_000));
    assert_eq!(cmp.before.gross, m(2_363_636 + 2_500_000));
    assert_eq!(cmp.after.count, 3);
    // Groups: A and B in unit X, C in Y.
    let groups = cmp.group_by(|nip| Some(if nip.as_str() == C { "Y".to_string() } else { "X".to_string() }));
    assert_eq!(groups.get("X").map(|d| (d.employees, d.net.delta)), Some((2, m(-22_727))));
    assert_eq!(groups.get("Y").map(|d| (d.employees, d.net.after)), Some((1, m(2_500_000))));
    assert!(cmp.group_by(|_| None).is_empty());
}

#[test]
fn arrears_pay_or_recover_the_difference() {
    // Paid with 6000 verified minutes (G 2,363,636); recomputed after a late verification
    // with 6600 (G 2,500,000): to pay 136,364.
    let paid = pay(&employee(A, 6000), &national());
    let recomputed = pay(&employee(A, 6600), &national());
    let r = arrears(&paid, &recomputed).expect("same employee and month");
    assert_eq!((r.gross, r.net, r.tax, r.contribution), (m(136_364), m(136_364), m(0), m(0)));
    assert_eq!((r.to_pay, r.to_recover), (m(136_364), m(0)));
    let rules: Vec<(&str, Money, Money, Money)> =
        r.by_rule.iter().map(|d| (d.rule.as_str(), d.paid, d.recomputed, d.difference)).collect();
    assert_eq!(
        rules,
        [("ceiling", m(2_500_000), m(2_500_000), m(0)), ("performance.shortfall", m(-136_364), m(0), m(136_364)),]
    );
    // The other way round: recover.
    let back = arrears(&recomputed, &paid).expect("same employee and month");
    assert_eq!((back.to_pay, back.to_recover, back.net), (m(0), m(136_364), m(-136_364)));

    let other = pay(&employee(B, 6600), &national());
    let e = arrears(&paid, &other).expect_err("other employee");
    assert!(matches!(&e, AllowanceError::SlipMismatch { field: "employee", .. }));
    assert_eq!(e.code(), "slip_mismatch");
    let mut next_month = employee(A, 6000);
    next_month.month = month("2026-11");
    let e = arrears(&paid, &pay(&next_month, &national())).expect_err("other month");
    assert!(matches!(&e, AllowanceError::SlipMismatch { field: "month", .. }));
}

#[test]
fn value_text_is_canonical() {
    let p = AllowanceParams::from_policy(&national(), month("2026-10")).expect("binds").params;
    assert_eq!(p.value_text("allowance.deduction.late").as_deref(), Some("[0.5, 1, 1.25, 1.5]"));
    assert_eq!(p.value_text("allowance.tax.flat").as_deref(), Some("{I = 0, II = 0, III = 5, IV = 15}"));
    assert_eq!(
        p.value_text("allowance.gate.bands").as_deref(),
        Some("[{below = 25, pay = 0}, {below = 50, pay = 50}]")
    );
    assert_eq!(p.value_text("allowance.cutoff_days").as_deref(), Some("{}"));
    assert_eq!(p.value_text("abk.days_per_year"), None);
}

// --- PPPK employees ----------------------------------------------------------

/// A PPPK nurse with a real-format NI PPPK (19931228 2025 21 2 001) and grade `grade`,
/// otherwise [`simple`]: class 9, full performance, salary at the BPJS cap.
fn pppk(grade: &str) -> AllowanceInput {
    let mut i = simple();
    i.employee = "199312282025212001".parse().expect("NI PPPK");
    i.employment = EmploymentType::Pppk;
    i.rank = grade.parse().expect("PPPK grade");
    i
}

#[test]
fn pppk_grade_ix_is_taxed_by_its_own_rate() {
    // C = 2,500,000 (class 9), full performance, no deduction: G = 2,500,000.
    // Tax: allowance.tax.flat_pppk IX = 5 %: R(2,500,000 x 5 / 100) = 125,000.
    // BPJS: salary 12,000,000 is at the cap: min(12,000,000 + 2,500,000, cap) - 12,000,000 = 0.
    // N = 2,500,000 - 125,000 = 2,375,000.
    let slip = pay(&pppk("IX"), &national());
    assert_eq!(lines(&slip), expect(&[("ceiling", 2_500_000), ("tax.pph21", -125_000)]));
    assert_eq!(totals(&slip), [m(2_500_000), m(-125_000), m(0), m(2_375_000)]);
    let tax = slip.line("tax.pph21").unwrap();
    assert_eq!(tax.parameters[1].key, "allowance.tax.flat_pppk");
    assert_eq!(tax.parameters[1].value, "IX = 5");
    let en = tax.explanation.render(kinerja::i18n::Lang::En);
    assert_eq!(en, "Income tax (PPh 21) flat 5% for PPPK grade (golongan) IX: -(Rp 2,500,000 x 5%) = -Rp 125,000");
    let id = tax.explanation.render(kinerja::i18n::Lang::Id);
    assert_eq!(id, "PPh 21 tarif tetap 5% untuk PPPK golongan IX: -(Rp 2.500.000 x 5%) = -Rp 125.000");
    assert_eq!(tax.inputs.get("rank").map(String::as_str), Some("IX"));
}

#[test]
fn pppk_grade_vii_pays_no_tax_and_a_city_sets_its_own_rates() {
    // Grade VII: 0 % nationally, so no tax line: N = G = 2,500,000.
    let slip = pay(&pppk("VII"), &national());
    assert_eq!(lines(&slip), expect(&[("ceiling", 2_500_000)]));
    // A city taxing VII at 2.5 %: R(2,500,000 x 2.5 / 100) = 62,500; N = 2,437,500.
    let rates = (1..=17)
        .map(|g| {
            let name = kinerja::org::PPPK_GRADES[g - 1];
            format!("\"{name}\" = \"{}\"", if name == "VII" { "2.5" } else { "0" })
        })
        .collect::<Vec<_>>()
        .join(", ");
    let city = layered(&format!(
        "[[allowance.tax.flat_pppk]]\nfrom = 2026-01-01\nvalue = {{ {rates} }}\nref = \"Perwal 3/2026\"\n"
    ));
    let slip = pay(&pppk("VII"), &city);
    assert_eq!(totals(&slip), [m(2_500_000), m(-62_500), m(0), m(2_437_500)]);
    // A PNS slip does not depend on the PPPK rates: same policy hash under both policies.
    assert_eq!(pay(&simple(), &city).policy_hash, pay(&simple(), &national()).policy_hash);
    // A PPPK slip does.
    assert_ne!(pay(&pppk("IX"), &city).policy_hash, pay(&pppk("IX"), &national()).policy_hash);
}

#[test]
fn pppk_acting_add_on_follows_policy() {
    // Acting in class 11 for 15 days (>= 12): 20 % of 3,250,000 = 650,000.
    // G = 2,500,000 + 650,000 = 3,150,000; tax IX 5 %: 157,500; N = 2,992,500.
    let mut input = pppk("IX");
    input.acting = vec![ActingInput { position: "KABID".into(), job_class: 11, working_days: 15 }];
    let slip = pay(&input, &national());
    assert_eq!(totals(&slip), [m(3_150_000), m(-157_500), m(0), m(2_992_500)]);
    // A city paying no PPPK acting add-on: G = 2,500,000, tax 125,000, N = 2,375,000.
    let city = layered("[[allowance.acting_pppk]]\nfrom = 2026-01-01\nvalue = false\nref = \"Perwal 3/2026\"\n");
    let slip = pay(&input, &city);
    assert_eq!(lines(&slip), expect(&[("ceiling", 2_500_000), ("tax.pph21", -125_000)]));
    // ...while a PNS acting in the same post still earns it: 650,000 (II/c: no tax).
    let mut pns = simple();
    pns.acting = input.acting.clone();
    assert_eq!(pay(&pns, &city).amount("acting"), m(650_000));
}

#[test]
fn rank_id_and_employment_must_fit() {
    let codes = |input: &AllowanceInput| match compute_slip(input, &national()) {
        Err(AllowanceError::InvalidInput(v)) => {
            v.problems.iter().map(|p| (p.field.clone(), p.code.clone())).collect::<Vec<_>>()
        }
        other => panic!("refused expected: {other:?}"),
    };
    // A PPPK employee with a PNS rank.
    let mut a = pppk("IX");
    a.rank = "III/a".parse().unwrap();
    assert_eq!(codes(&a), vec![("rank".to_string(), "rank_not_pppk_grade".to_string())]);
    // A PNS with a PPPK grade and a NI PPPK: both named.
    let mut b = pppk("IX");
    b.employment = EmploymentType::Pns;
    assert_eq!(
        codes(&b),
        vec![
            ("rank".to_string(), "pppk_grade_not_rank".to_string()),
            ("employee".to_string(), "nip_is_ni_pppk".to_string())
        ]
    );
}

// --- counts that cannot fit the month ----------------------------------------------

#[test]
fn counts_that_cannot_fit_the_month_are_refused_with_the_field() {
    let refused = |input: &AllowanceInput| match input.validate() {
        Err(v) => v.problems.iter().map(|p| (p.field.clone(), p.code.clone())).collect::<Vec<_>>(),
        Ok(()) => vec![],
    };
    let pair = |f: &str, c: &str| (f.to_string(), c.to_string());
    // 22 assigned working days. 23 unexcused days: more than the month has.
    let mut a = simple();
    a.discipline.days_present = 0;
    a.discipline.unexcused_days = 23;
    assert_eq!(
        refused(&a),
        vec![pair("discipline.unexcused_days", "out_of_range"), pair("discipline", "days_exceed_month")]
    );
    // Boundary: 22 unexcused and 0 present fit exactly.
    a.discipline.unexcused_days = 22;
    assert_eq!(refused(&a), vec![]);
    // 20 present + 2 sick + 1 permit = 23 > 22: the sum is refused, each part fits.
    let mut b = simple();
    b.discipline.days_present = 20;
    b.discipline.absences.insert("sick".into(), 2);
    b.discipline.absences.insert("permit".into(), 1);
    assert_eq!(refused(&b), vec![pair("discipline", "days_exceed_month")]);
    // An off-site half day is a present day: 20 present + 2 sick + 2 off-site half days = 22 fits.
    b.discipline.absences.remove("permit");
    b.discipline.absences.insert("off_site_half_day".into(), 2);
    assert_eq!(refused(&b), vec![]);
    // ...but not more half days than days present: 21 > 20.
    b.discipline.absences.insert("off_site_half_day".into(), 21);
    assert_eq!(refused(&b), vec![pair("discipline.absences.off_site_half_day", "out_of_range")]);
    // Late bands are judged on present days: 10 present, TL 4 + 3 + 2 + 2 = 11 > 10.
    let mut c = simple();
    c.discipline.days_present = 10;
    c.discipline.late = [4, 3, 2, 2];
    c.discipline.early = [10, 0, 0, 0]; // boundary: 10 = 10 fits
    assert_eq!(refused(&c), vec![pair("discipline.late", "out_of_range")]);
    // Roll calls: one of each kind a working day; 23 missed morning roll calls > 22.
    let mut r = simple();
    r.discipline.roll_calls_missed.morning = 23;
    r.discipline.roll_calls_missed.afternoon = 22;
    assert_eq!(refused(&r), vec![pair("discipline.roll_calls_missed.morning", "out_of_range")]);
    // And the slip is refused, not computed.
    assert!(matches!(compute_slip(&r, &national()), Err(AllowanceError::InvalidInput(_))));
}
