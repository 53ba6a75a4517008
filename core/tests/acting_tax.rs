//! Acting (Plt/Plh), sanction and income-tax variants as policy, each with a
//! hand-computed case (issue 12, items 5 and 10).
//!
//! National values used below (policy/national.toml): ceilings class 7 = 2,000,000,
//! 9 = 2,500,000, 10 = 2,850,000, 11 = 3,250,000, 13 = 4,400,000, 17 = 10,000,000;
//! acting 20 % of the acted ceiling from 12 working days, at most one add-on, Plh
//! unpaid; sanction medium 25 % for 6/9/12 months from the effective month, sparing
//! the add-ons; BPJS 1 % capped at 12,000,000; whole rupiah half up.
//!
//! The base employee (`simple()`): class 9, rank II/c (no flat tax), salary at the
//! BPJS cap (no contribution), full performance, no deductions: G = C = 2,500,000.

use kinerja::YearMonth;
use kinerja::allowance::*;
use kinerja::i18n::Lang;
use kinerja::money::Money;
use kinerja::policy::Policy;

fn national() -> Policy {
    Policy::try_national().expect("national baseline loads")
}

fn layered(body: &str) -> Policy {
    let text = format!("[layer]\nname = \"test city\"\n\n{body}");
    national().with_toml("test.toml", &text).expect("test layer loads")
}

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

fn acting(position: &str, job_class: i64, working_days: i64) -> ActingInput {
    ActingInput { position: position.into(), job_class, working_days, kind: ActingKind::Plt, relation: None }
}

/// The amounts of the `acting` lines, in slip order.
fn acting_lines(slip: &Slip) -> Vec<Money> {
    slip.lines.iter().filter(|l| l.rule == "acting").map(|l| l.amount).collect()
}

// --- relative rank: higher, equal, lower ----------------------------------------------

/// A city in the manner of Perbup Balangan 57/2020 art. 35 and Pergub NTB: a higher
/// post pays its ceiling instead of one's own, an equal post 20 %, a lower post 10 %.
const BY_RELATION: &str = "[[allowance.acting.by_relation]]\nfrom = 2020-01-01\n\
    value = { higher = \"difference\", equal = \"20\", lower = \"10\" }\nref = \"Perbup test 1/2026\"\n";

#[test]
fn acting_in_a_higher_post_pays_the_difference_of_the_ceilings() {
    let policy = layered(BY_RELATION);
    let mut i = simple();
    i.acting.push(acting("KABID", 11, 12));
    let slip = pay(&i, &policy);
    // Class 11 above class 9: higher. 3,250,000 - 2,500,000 = 750,000.
    assert_eq!(acting_lines(&slip), [m(750_000)]);
    // G = 2,500,000 + 750,000 = 3,250,000: the acted post's ceiling instead of one's own.
    assert_eq!(slip.gross, m(3_250_000));
    let line = slip.line("acting").expect("acting line");
    assert!(
        line.parameters.iter().any(|p| p.key == "allowance.acting.by_relation" && p.value == "higher = difference")
    );
    assert_eq!(
        line.explanation.render(Lang::Id),
        "Tambahan Plt pada KABID (jabatan lebih tinggi) selama 12 hari kerja (paling sedikit 12): pagu jabatan yang dirangkap Rp 3.250.000 menggantikan pagu sendiri Rp 2.500.000, selisih = Rp 750.000"
    );
}

#[test]
fn acting_in_an_equal_post_pays_its_share() {
    let policy = layered(BY_RELATION);
    let mut i = simple();
    i.acting.push(acting("KASI-2", 9, 12));
    let slip = pay(&i, &policy);
    // Class 9 = class 9: equal. 20 % x 2,500,000 = 500,000; G = 3,000,000.
    assert_eq!(acting_lines(&slip), [m(500_000)]);
    assert_eq!(slip.gross, m(3_000_000));
    assert!(slip.line("acting").expect("line").explanation.render(Lang::En).contains("(equal post)"));
}

#[test]
fn acting_in_a_lower_post_pays_its_share_or_nothing() {
    let mut i = simple();
    i.acting.push(acting("STAF", 7, 12));
    // Class 7 below class 9: lower. 10 % x 2,000,000 = 200,000; G = 2,700,000.
    let slip = pay(&i, &layered(BY_RELATION));
    assert_eq!(acting_lines(&slip), [m(200_000)]);
    assert_eq!(slip.gross, m(2_700_000));
    // A region that pays nothing for a lower post: 0 % -> no line, G = 2,500,000.
    let none = layered(
        "[[allowance.acting.by_relation]]\nfrom = 2020-01-01\nvalue = { lower = \"0\" }\nref = \"Perbup test 2/2026\"\n",
    );
    let slip = pay(&i, &none);
    assert!(acting_lines(&slip).is_empty());
    assert_eq!(slip.gross, m(2_500_000));
    // Nationally (no by_relation entry) every relation adds 20 %: 20 % x 2,000,000 = 400,000.
    assert_eq!(acting_lines(&pay(&i, &national())), [m(400_000)]);
}

#[test]
fn a_relation_given_on_the_input_overrides_the_job_classes() {
    // Class 11 would be higher (difference 750,000); the caller knows both posts are of
    // the same eselon: equal, 20 % x 3,250,000 = 650,000.
    let mut i = simple();
    let mut a = acting("KABID", 11, 12);
    a.relation = Some(ActingRelation::Equal);
    i.acting.push(a);
    let slip = pay(&i, &layered(BY_RELATION));
    assert_eq!(acting_lines(&slip), [m(650_000)]);
    assert_eq!(slip.line("acting").expect("line").inputs.get("acting[0].relation").map(String::as_str), Some("equal"));
}

// --- at most one add-on -----------------------------------------------------------------

fn three_actings() -> AllowanceInput {
    let mut i = simple();
    // 20 % x 3,250,000 = 650,000; 20 % x 4,400,000 = 880,000; 20 % x 2,850,000 = 570,000.
    i.acting = vec![acting("A-11", 11, 12), acting("A-13", 13, 15), acting("A-10", 10, 20)];
    i
}

#[test]
fn only_the_highest_add_on_is_paid_nationally() {
    let slip = pay(&three_actings(), &national());
    // max_addons = 1: the highest, 880,000 (class 13); G = 2,500,000 + 880,000 = 3,380,000.
    assert_eq!(acting_lines(&slip), [m(880_000)]);
    assert_eq!(slip.gross, m(3_380_000));
    let line = slip.line("acting").expect("line");
    assert!(line.inputs.contains_key("acting[1].position"), "{:?}", line.inputs);
    assert!(line.parameters.iter().any(|p| p.key == "allowance.acting.max_addons" && p.value == "1"));
    assert!(line.explanation.render(Lang::En).ends_with("(only the highest 1 of 3 acting add-ons is paid)"));
}

#[test]
fn a_policy_may_pay_more_add_ons() {
    let limit = |n: i64| {
        layered(&format!(
            "[[allowance.acting.max_addons]]\nfrom = 2020-01-01\nvalue = {n}\nref = \"Perwal test 3/2026\"\n"
        ))
    };
    // No limit (0): 650,000 + 880,000 + 570,000 = 2,100,000; G = 4,600,000.
    let all = pay(&three_actings(), &limit(0));
    assert_eq!(acting_lines(&all), [m(650_000), m(880_000), m(570_000)]);
    assert_eq!(all.gross, m(4_600_000));
    // Two: the two highest (880,000 and 650,000), listed in input order; G = 4,030,000.
    let two = pay(&three_actings(), &limit(2));
    assert_eq!(acting_lines(&two), [m(650_000), m(880_000)]);
    assert_eq!(two.gross, m(4_030_000));
}

#[test]
fn on_equal_add_ons_the_earlier_record_is_paid() {
    let mut i = simple();
    i.acting = vec![acting("FIRST", 11, 12), acting("SECOND", 11, 20)];
    let slip = pay(&i, &national());
    // Both 650,000: the first in input order is kept.
    assert_eq!(acting_lines(&slip), [m(650_000)]);
    assert_eq!(slip.line("acting").expect("line").inputs.get("acting[0].position").map(String::as_str), Some("FIRST"));
}

// --- Plh on or off ------------------------------------------------------------------------

#[test]
fn a_plh_earns_the_add_on_only_when_the_policy_says_so() {
    let mut i = simple();
    let mut a = acting("KABID", 11, 12);
    a.kind = ActingKind::Plh;
    i.acting.push(a);
    // Nationally off: no line, G = 2,500,000.
    let off = pay(&i, &national());
    assert!(acting_lines(&off).is_empty());
    assert_eq!(off.gross, m(2_500_000));
    // On: like a Plt, 20 % x 3,250,000 = 650,000; G = 3,150,000.
    let on = pay(&i, &layered("[[allowance.acting.plh]]\nfrom = 2020-01-01\nvalue = true\nref = \"Pergub test\"\n"));
    assert_eq!(acting_lines(&on), [m(650_000)]);
    assert_eq!(on.gross, m(3_150_000));
    let line = on.line("acting").expect("line");
    assert!(line.parameters.iter().any(|p| p.key == "allowance.acting.plh" && p.value == "true"));
    assert!(line.explanation.render(Lang::Id).starts_with("Tambahan Plh pada KABID (jabatan lebih tinggi)"));
}

// --- a sanction cutting or sparing the add-on ---------------------------------------------

fn sanctioned_acting() -> AllowanceInput {
    let mut i = simple();
    i.acting.push(acting("KABID", 11, 12));
    i.sanctions.push(SanctionInput {
        level: "medium".into(),
        effective_from: chrono::NaiveDate::from_ymd_opt(2026, 10, 1).expect("date"),
        months: 6,
        reference: String::new(),
    });
    i
}

#[test]
fn a_sanction_spares_the_add_on_nationally() {
    let slip = pay(&sanctioned_acting(), &national());
    // Cut 25 % x 2,500,000 = 625,000; acting 20 % x 3,250,000 = 650,000;
    // G = 2,500,000 - 625,000 + 650,000 = 2,525,000.
    assert_eq!(slip.amount("sanction"), m(-625_000));
    assert_eq!(acting_lines(&slip), [m(650_000)]);
    assert_eq!(slip.gross, m(2_525_000));
}

#[test]
fn a_sanction_may_cut_the_add_on_too() {
    let policy =
        layered("[[allowance.sanction.cuts_acting]]\nfrom = 2020-01-01\nvalue = true\nref = \"Perwal test 4/2026\"\n");
    let slip = pay(&sanctioned_acting(), &policy);
    // Cut 25 % x (2,500,000 + 650,000) = 25 % x 3,150,000 = 787,500;
    // G = 2,500,000 - 787,500 + 650,000 = 2,362,500.
    assert_eq!(slip.amount("sanction"), m(-787_500));
    assert_eq!(acting_lines(&slip), [m(650_000)]);
    assert_eq!(slip.gross, m(2_362_500));
    // The sanction line comes before the acting line, as on every slip.
    let rules: Vec<&str> = slip.lines.iter().map(|l| l.rule.as_str()).collect();
    assert_eq!(rules, ["ceiling", "sanction", "acting"]);
    let line = slip.line("sanction").expect("line");
    assert!(line.parameters.iter().any(|p| p.key == "allowance.sanction.cuts_acting"));
    assert_eq!(
        line.explanation.render(Lang::Id),
        "Hukuman disiplin `medium` mulai Oktober 2026 selama 6 bulan: -(Rp 3.150.000 x 25%) = -Rp 787.500 (dasar termasuk tambahan Plt/Plh Rp 650.000)"
    );
}

// --- the sanction window ------------------------------------------------------------------

fn sanctioned_in(month: &str, effective: (i32, u32, u32)) -> AllowanceInput {
    let mut i = simple();
    i.month = month.parse::<YearMonth>().expect("month");
    i.calendar_working_days = 20;
    i.assigned_working_days = 20;
    i.discipline.days_present = 20;
    i.sanctions.push(SanctionInput {
        level: "medium".into(),
        effective_from: chrono::NaiveDate::from_ymd_opt(effective.0, effective.1, effective.2).expect("date"),
        months: 6,
        reference: "SK 800/15/2026".into(),
    });
    i
}

#[test]
fn the_sanction_window_starts_at_the_effective_or_the_next_full_month() {
    let next_full = layered(
        "[[allowance.sanction.window_start]]\nfrom = 2020-01-01\nvalue = \"next_full_month\"\nref = \"Perwal test 5/2026\"\n",
    );
    // Effective 15 September 2026 for 6 months. From the effective month: September to
    // February; from the next full month: October to March. In force: cut 25 % x
    // 2,500,000 = 625,000.
    let cut = |month: &str, policy: &Policy| pay(&sanctioned_in(month, (2026, 9, 15)), policy).amount("sanction");
    for (month, national_cut, next_full_cut) in [
        ("2026-09", -625_000, 0), // first month nationally; not full, so not yet under next_full_month
        ("2026-10", -625_000, -625_000),
        ("2027-02", -625_000, -625_000), // last month nationally
        ("2027-03", 0, -625_000),        // last month under next_full_month
        ("2027-04", 0, 0),
    ] {
        assert_eq!(cut(month, &national()), m(national_cut), "{month} national");
        assert_eq!(cut(month, &next_full), m(next_full_cut), "{month} next_full_month");
    }
    // Effective on the 1st (1 October): October is a full month under both rules.
    let first = |policy: &Policy| pay(&sanctioned_in("2026-10", (2026, 10, 1)), policy).amount("sanction");
    assert_eq!(first(&national()), m(-625_000));
    assert_eq!(first(&next_full), m(-625_000));
    // The line says from which month the sanction counts.
    let slip = pay(&sanctioned_in("2026-10", (2026, 9, 15)), &next_full);
    let line = slip.line("sanction").expect("line");
    assert!(
        line.explanation.render(Lang::En).contains("from October 2026 for 6 months"),
        "{}",
        line.explanation.render(Lang::En)
    );
    assert!(line.parameters.iter().any(|p| p.key == "allowance.sanction.window_start" && p.value == "next_full_month"));
}

// --- income tax by TER ----------------------------------------------------------------------

/// TER from 2024, the bracket found from salary + gross allowance (the national base).
const TER: &str =
    "[[allowance.tax.method]]\nfrom = 2024-01-01\nvalue = \"ter_monthly\"\nref = \"Perwal test 6/2026\"\n";

fn with_ptkp(ptkp: &str, salary: i64) -> AllowanceInput {
    let mut i = simple();
    i.ptkp = Some(ptkp.parse().expect("ptkp"));
    i.salary = m(salary);
    i
}

#[test]
fn ter_category_boundaries_on_slips() {
    let policy = layered(TER);
    // G = 2,500,000; income = salary + G; the rate applies to G; BPJS 1 % of
    // min(salary + G, 12,000,000) - salary = 1 % x 2,500,000 = 25,000 (salary + G < cap).
    // (status, salary, income, expected tax)
    for (ptkp, salary, tax) in [
        // A (TK/0): 0 % up to 5,400,000 inclusive, then 0.25 %: 0.25 % x 2,500,000 = 6,250.
        ("TK/0", 2_899_999, 0),     // income 5,399,999
        ("TK/0", 2_900_000, 0),     // income 5,400,000
        ("TK/0", 2_900_001, 6_250), // income 5,400,001
        // B (K/1): 0 % up to 6,200,000 inclusive.
        ("K/1", 3_699_999, 0),     // 6,199,999
        ("K/1", 3_700_000, 0),     // 6,200,000
        ("K/1", 3_700_001, 6_250), // 6,200,001
        // C (K/3): 0 % up to 6,600,000 inclusive.
        ("K/3", 4_099_999, 0),     // 6,599,999
        ("K/3", 4_100_000, 0),     // 6,600,000
        ("K/3", 4_100_001, 6_250), // 6,600,001
        // The same income in each category: 6,600,001 is A 1 % (6,300,000 < x <= 6,750,000)
        // = 25,000; B 0.5 % (6,500,000 < x <= 6,850,000) = 12,500; C 0.25 % = 6,250.
        ("TK/1", 4_100_001, 25_000),
        ("TK/2", 4_100_001, 12_500),
    ] {
        let slip = pay(&with_ptkp(ptkp, salary), &policy);
        assert_eq!(slip.tax, m(-tax), "{ptkp} salary {salary}");
        assert_eq!(slip.contribution, m(-25_000), "{ptkp} salary {salary}");
        assert_eq!(slip.net, m(2_500_000 - tax - 25_000), "{ptkp} salary {salary}");
    }
}

#[test]
fn ter_on_the_allowance_alone() {
    let policy = layered(&format!(
        "{TER}[[allowance.tax.ter_base]]\nfrom = 2024-01-01\nvalue = \"allowance\"\nref = \"Perwal test 6/2026\"\n"
    ));
    let mut i = with_ptkp("K/0", 12_000_000);
    // G = 2,500,000 alone is below every category's first bound: no tax.
    assert_eq!(pay(&i, &policy).tax, Money::ZERO);
    // Class 17: G = 10,000,000. A (K/0): 9,650,000 < x <= 10,050,000 -> 2 % = 200,000;
    // B (K/2): 9,200,000 < x <= 10,750,000 -> 1.5 % = 150,000;
    // C (K/3): 9,800,000 < x <= 10,950,000 -> 1.5 % = 150,000.
    i.job_class = 17;
    for (ptkp, tax) in [("K/0", 200_000), ("K/2", 150_000), ("K/3", 150_000)] {
        i.ptkp = Some(ptkp.parse().expect("ptkp"));
        let slip = pay(&i, &policy);
        assert_eq!(slip.gross, m(10_000_000));
        assert_eq!(slip.tax, m(-tax), "{ptkp}");
    }
    // The line quotes the bracket used and renders in both languages.
    i.ptkp = Some("K/0".parse().expect("ptkp"));
    let slip = pay(&i, &policy);
    let line = slip.line("tax.pph21").expect("tax line");
    assert!(
        line.parameters.iter().any(|p| p.key == "allowance.tax.ter" && p.value == "A = {up_to = 10050000, rate = 2}")
    );
    assert_eq!(
        line.explanation.render(Lang::Id),
        "PPh 21 tarif efektif rata-rata (TER) kategori A untuk status PTKP K/0: penghasilan bruto Rp 10.000.000 dikenai 2%: -(Rp 10.000.000 x 2%) = -Rp 200.000"
    );
    assert!(
        line.explanation
            .render(Lang::En)
            .starts_with("Income tax (PPh 21) by the average effective rate (TER) of category A")
    );
}

#[test]
fn ter_refuses_an_employee_without_ptkp_status() {
    let e = compute_slip(&simple(), &layered(TER)).expect_err("refused");
    assert_eq!(e.code(), "invalid_allowance_input");
    let AllowanceError::InvalidInput(v) = e else { panic!("input error") };
    let p = &v.problems[0];
    assert_eq!(
        (p.record.as_str(), p.id.as_str(), p.field.as_str(), p.code.as_str()),
        ("allowance_input", "198503152010011001", "ptkp", "missing_ptkp")
    );
    // The flat method does not read it.
    assert!(compute_slip(&simple(), &national()).is_ok());
}

#[test]
fn ter_is_not_in_force_before_2024() {
    // A layer choosing TER from 2023 finds no table for 2023.
    let policy =
        layered("[[allowance.tax.method]]\nfrom = 2023-01-01\nvalue = \"ter_monthly\"\nref = \"Perwal test 7/2023\"\n");
    let e = AllowanceParams::from_policy(&policy, "2023-06".parse().expect("month")).expect_err("no table in 2023");
    assert!(e.to_string().contains("allowance.tax.ter"), "{e}");
    assert!(AllowanceParams::from_policy(&policy, "2024-01".parse().expect("month")).is_ok());
}

/// The TER tables of PP 58/2023 Lampiran A, B and C as published (upper bound
/// inclusive -> percent), typed here independently of policy/national.toml.
const TER_A: [(i64, &str); 43] = [
    (5_400_000, "0"),
    (5_650_000, "0.25"),
    (5_950_000, "0.5"),
    (6_300_000, "0.75"),
    (6_750_000, "1"),
    (7_500_000, "1.25"),
    (8_550_000, "1.5"),
    (9_650_000, "1.75"),
    (10_050_000, "2"),
    (10_350_000, "2.25"),
    (10_700_000, "2.5"),
    (11_050_000, "3"),
    (11_600_000, "3.5"),
    (12_500_000, "4"),
    (13_750_000, "5"),
    (15_100_000, "6"),
    (16_950_000, "7"),
    (19_750_000, "8"),
    (24_150_000, "9"),
    (26_450_000, "10"),
    (28_000_000, "11"),
    (30_050_000, "12"),
    (32_400_000, "13"),
    (35_400_000, "14"),
    (39_100_000, "15"),
    (43_850_000, "16"),
    (47_800_000, "17"),
    (51_400_000, "18"),
    (56_300_000, "19"),
    (62_200_000, "20"),
    (68_600_000, "21"),
    (77_500_000, "22"),
    (89_000_000, "23"),
    (103_000_000, "24"),
    (125_000_000, "25"),
    (157_000_000, "26"),
    (206_000_000, "27"),
    (337_000_000, "28"),
    (454_000_000, "29"),
    (550_000_000, "30"),
    (695_000_000, "31"),
    (910_000_000, "32"),
    (1_400_000_000, "33"),
];
const TER_B: [(i64, &str); 39] = [
    (6_200_000, "0"),
    (6_500_000, "0.25"),
    (6_850_000, "0.5"),
    (7_300_000, "0.75"),
    (9_200_000, "1"),
    (10_750_000, "1.5"),
    (11_250_000, "2"),
    (11_600_000, "2.5"),
    (12_600_000, "3"),
    (13_600_000, "4"),
    (14_950_000, "5"),
    (16_400_000, "6"),
    (18_450_000, "7"),
    (21_850_000, "8"),
    (26_000_000, "9"),
    (27_700_000, "10"),
    (29_350_000, "11"),
    (31_450_000, "12"),
    (33_950_000, "13"),
    (37_100_000, "14"),
    (41_100_000, "15"),
    (45_800_000, "16"),
    (49_500_000, "17"),
    (53_800_000, "18"),
    (58_500_000, "19"),
    (64_000_000, "20"),
    (71_000_000, "21"),
    (80_000_000, "22"),
    (93_000_000, "23"),
    (109_000_000, "24"),
    (129_000_000, "25"),
    (163_000_000, "26"),
    (211_000_000, "27"),
    (374_000_000, "28"),
    (459_000_000, "29"),
    (555_000_000, "30"),
    (704_000_000, "31"),
    (957_000_000, "32"),
    (1_405_000_000, "33"),
];
const TER_C: [(i64, &str); 40] = [
    (6_600_000, "0"),
    (6_950_000, "0.25"),
    (7_350_000, "0.5"),
    (7_800_000, "0.75"),
    (8_850_000, "1"),
    (9_800_000, "1.25"),
    (10_950_000, "1.5"),
    (11_200_000, "1.75"),
    (12_050_000, "2"),
    (12_950_000, "3"),
    (14_150_000, "4"),
    (15_550_000, "5"),
    (17_050_000, "6"),
    (19_500_000, "7"),
    (22_700_000, "8"),
    (26_600_000, "9"),
    (28_100_000, "10"),
    (30_100_000, "11"),
    (32_600_000, "12"),
    (35_400_000, "13"),
    (38_900_000, "14"),
    (43_000_000, "15"),
    (47_400_000, "16"),
    (51_200_000, "17"),
    (55_800_000, "18"),
    (60_400_000, "19"),
    (66_700_000, "20"),
    (74_500_000, "21"),
    (83_200_000, "22"),
    (95_600_000, "23"),
    (110_000_000, "24"),
    (134_000_000, "25"),
    (169_000_000, "26"),
    (221_000_000, "27"),
    (390_000_000, "28"),
    (463_000_000, "29"),
    (561_000_000, "30"),
    (709_000_000, "31"),
    (965_000_000, "32"),
    (1_419_000_000, "33"),
];

#[test]
fn every_ter_boundary_of_the_national_table() {
    let bound = AllowanceParams::from_policy(&national(), "2024-01".parse().expect("month")).expect("binds");
    let table = &bound.params.tax_ter;
    // 44, 40 and 41 rows (PP 58/2023 Lampiran A, B, C), the last open at 34 %.
    for (category, published) in
        [(TerCategory::A, &TER_A[..]), (TerCategory::B, &TER_B[..]), (TerCategory::C, &TER_C[..])]
    {
        let brackets = table.get(&category).expect("category");
        assert_eq!(brackets.len(), published.len() + 1, "{category:?}");
        let rate = |income: i64| tax::ter_rate(brackets, m(income)).expect("a bracket").rate.normalize().to_string();
        for (k, (bound, r)) in published.iter().enumerate() {
            // Just below and at the bound: this bracket's rate; just above: the next one's.
            let next = published.get(k + 1).map_or("34", |n| n.1);
            assert_eq!(rate(bound - 1), *r, "{category:?} {}", bound - 1);
            assert_eq!(rate(*bound), *r, "{category:?} {bound}");
            assert_eq!(rate(bound + 1), next, "{category:?} {}", bound + 1);
        }
        let (top, _) = published.last().expect("rows");
        assert_eq!(rate(top + 1), "34", "{category:?} above the top bound");
    }
    // The worked examples of PMK 168/2023 (as quoted with the annex):
    // C 30,000,000 -> 11 % = 3,300,000; B 6,800,000 -> 0.5 % = 34,000;
    // B 55,500,000 -> 19 % = 10,545,000; A 60,000,000 -> 20 % = 12,000,000.
    for (category, gross, tax) in [
        (TerCategory::C, 30_000_000, 3_300_000),
        (TerCategory::B, 6_800_000, 34_000),
        (TerCategory::B, 55_500_000, 10_545_000),
        (TerCategory::A, 60_000_000, 12_000_000),
    ] {
        let b = tax::ter_rate(table.get(&category).expect("category"), m(gross)).expect("bracket");
        let withheld = m(gross).checked_mul(b.rate).and_then(|x| x.checked_div(rust_decimal::Decimal::ONE_HUNDRED));
        assert_eq!(withheld.expect("arithmetic"), m(tax), "{category:?} {gross}");
    }
    // Before 2024 the national table is empty (no TER in force).
    let old = AllowanceParams::from_policy(&national(), "2023-12".parse().expect("month")).expect("binds");
    assert!(old.params.tax_ter.is_empty());
}

// --- the input's JSON keeps its old form -----------------------------------------------------

#[test]
fn new_input_fields_are_left_out_when_unused() {
    let mut i = simple();
    i.acting.push(acting("KABID", 11, 12));
    let json = serde_json::to_string(&i).expect("serialises");
    // A Plt without a given relation and an input without PTKP serialise as before
    // these fields existed, so stored inputs keep their hash.
    assert!(json.contains(r#""acting":[{"position":"KABID","job_class":11,"working_days":12}]"#), "{json}");
    assert!(!json.contains("ptkp") && !json.contains("kind") && !json.contains("relation"), "{json}");
    i.ptkp = Some("K/2".parse().expect("ptkp"));
    i.acting[0].kind = ActingKind::Plh;
    let json = serde_json::to_string(&i).expect("serialises");
    assert!(json.contains(r#""kind":"plh""#) && json.contains(r#""ptkp":"K/2""#), "{json}");
    let back: AllowanceInput = serde_json::from_str(&json).expect("reads back");
    assert_eq!(back, i);
}
