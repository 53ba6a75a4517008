//! TPP criteria (`allowance.components`, `allowance.parts`) and count-based discipline
//! (`allowance.discipline_counts`), issue 12 items 6 and 7: hand-computed boundary
//! cases (N-1, N, N+1) for free events, conversion into days and forfeit; the policy
//! checks; the slip's explanations in both languages.
//!
//! Reference employee unless said otherwise: class 9 (ceiling Rp 2,500,000), III/c, PNS,
//! salary Rp 4,500,000, 22 of 22 working days, 6,600 of 6,600 minutes verified (so the
//! performance part is earned in full and the gross is the ceiling less the
//! discipline lines). National split 60/40: P = 1,500,000, D = 1,000,000.

use kinerja::allowance::{AllowanceInput, AllowanceParams, Slip, compute_slip, verify};
use kinerja::i18n::Lang;
use kinerja::policy::{Policy, PolicyError, PolicyLayer};

fn input(discipline: &str) -> AllowanceInput {
    serde_json::from_str(&format!(
        r#"{{
          "employee": "198503152010011001", "month": "2026-10", "job_class": 9, "rank": "III/c",
          "employment": "PNS", "salary": "4500000",
          "calendar_working_days": 22, "assigned_working_days": 22,
          "performance": {{ "target_minutes": 6600, "verified_minutes": 6600 }},
          "discipline": {discipline}
        }}"#
    ))
    .expect("test input")
}

/// Present every day, late `late` (TL1..TL4), missed `morning` + `afternoon` roll calls.
fn discipline(late: [i64; 4], morning: i64, afternoon: i64, unexcused: i64) -> String {
    format!(
        r#"{{ "days_present": {}, "late": [{}, {}, {}, {}], "early": [0, 0, 0, 0], "unexcused_days": {unexcused},
             "roll_calls_missed": {{ "morning": {morning}, "afternoon": {afternoon}, "ceremony": 0 }} }}"#,
        22 - unexcused,
        late[0],
        late[1],
        late[2],
        late[3]
    )
}

fn layer(body: &str) -> Policy {
    let text = format!("[layer]\nname = \"test: criteria\"\n\n{body}");
    Policy::national().with_layer(PolicyLayer::from_toml("test", &text).expect("layer loads"))
}

fn counts(rules: &str) -> Policy {
    layer(&format!(
        "[[allowance.discipline_counts]]\nfrom = 2020-01-01\nvalue = {rules}\nref = \"Perwal Contoh 12/2026 Pasal 9 (test)\"\n"
    ))
}

const PARTS_50_30_20: &str = r#"[[allowance.parts]]
from = 2020-01-01
value = [
  { id = "performance", weight = "50", measure = "activity" },
  { id = "discipline", weight = "30", measure = "full", deductions = ["late", "early", "unexcused", "absence"] },
  { id = "apel", weight = "20", measure = "full", deductions = ["roll_call", "ceremony"] },
]
ref = "Perwal Contoh 12/2026 Pasal 7 (test)"
"#;

/// The lines before tax, as (rule, amount in whole rupiah).
fn lines(slip: &Slip) -> Vec<(String, String)> {
    slip.lines
        .iter()
        .filter(|l| l.rule != "tax.pph21" && l.rule != "contribution.bpjs")
        .map(|l| (l.rule.clone(), l.amount.amount().to_string()))
        .collect()
}

fn slip(policy: &Policy, discipline: &str) -> Slip {
    let i = input(discipline);
    let s = compute_slip(&i, policy).expect("computes");
    assert!(verify(&s, &i, policy).expect("verifies").holds);
    s
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items.iter().map(|(r, a)| (r.to_string(), a.to_string())).collect()
}

// --- free events: "the first two late arrivals in a month are free" -------------------

#[test]
fn two_free_late_arrivals_boundaries() {
    let p = counts("{ late = { free = 2 } }");
    // N-1 = 1 and N = 2 late days in TL1: all free, the slip is the ceiling alone; G = 2,500,000.
    for n in [1, 2] {
        let s = slip(&p, &discipline([n, 0, 0, 0], 0, 0, 0));
        assert_eq!(lines(&s), pairs(&[("ceiling", "2500000")]), "{n} late");
        assert_eq!(s.gross.amount().to_string(), "2500000");
    }
    // N+1 = 3: one charged, -R(1,000,000 x 0.5 x 1 / 100) = -5,000; G = 2,495,000.
    let s = slip(&p, &discipline([3, 0, 0, 0], 0, 0, 0));
    assert_eq!(lines(&s), pairs(&[("ceiling", "2500000"), ("deduction.late.1", "-5000")]));
    assert_eq!(s.gross.amount().to_string(), "2495000");
    let line = s.line("deduction.late.1").expect("line");
    assert_eq!(
        line.explanation.render(Lang::Id),
        "Terlambat TL1: (3 - 2 bebas) = 1 hari x 0,5% dari bagian disiplin Rp 1.000.000 = -Rp 5.000"
    );
    assert_eq!(
        line.explanation.render(Lang::En),
        "Late arrival TL1 (terlambat): (3 - 2 free) = 1 day x 0.5% of discipline part Rp 1,000,000 = -Rp 5,000"
    );
    assert!(line.parameters.iter().any(|u| u.key == "allowance.discipline_counts" && u.value == "late = {free = 2}"));
    assert_eq!(line.inputs.get("discipline.late[0]").map(String::as_str), Some("3"));
}

/// Free events come from the lowest band first: TL1 1 and TL2 2 with 2 free leave one
/// TL2 day: -R(1,000,000 x 1 x 1 / 100) = -10,000.
#[test]
fn free_events_are_taken_from_the_lowest_band() {
    let s = slip(&counts("{ late = { free = 2 } }"), &discipline([1, 2, 0, 0], 0, 0, 0));
    assert_eq!(lines(&s), pairs(&[("ceiling", "2500000"), ("deduction.late.2", "-10000")]));
}

// --- conversion: "three late arrivals count as half a day" / "as one day" -------------

#[test]
fn three_late_arrivals_count_as_half_a_day_boundaries() {
    let p = counts("{ late = { every = 3, days = \"0.5\" } }");
    // N-1 = 2: no whole group; the 2 left over deduct nothing: G = 2,500,000.
    let s = slip(&p, &discipline([2, 0, 0, 0], 0, 0, 0));
    assert_eq!(lines(&s), pairs(&[("ceiling", "2500000")]));
    // N = 3 (in any bands: 2 TL1 + 1 TL3): 1 group = 0.5 day at the unexcused rate 3 %:
    // -R(1,000,000 x 3 x 0.5 / 100) = -15,000, instead of the band rates; G = 2,485,000.
    let s = slip(&p, &discipline([2, 0, 1, 0], 0, 0, 0));
    assert_eq!(lines(&s), pairs(&[("ceiling", "2500000"), ("deduction.converted", "-15000")]));
    assert_eq!(s.gross.amount().to_string(), "2485000");
    // N+1 = 4: still 1 group (-15,000), 1 left over.
    let s = slip(&p, &discipline([4, 0, 0, 0], 0, 0, 0));
    assert_eq!(lines(&s), pairs(&[("ceiling", "2500000"), ("deduction.converted", "-15000")]));
    let line = s.line("deduction.converted").expect("line");
    assert_eq!(
        line.explanation.render(Lang::Id),
        "Terlambat: 4 kali, 0 bebas; 1 x 3 kali dihitung 0,5 hari x 3% (potongan TK per hari) dari bagian disiplin Rp 1.000.000 = -Rp 15.000; sisa 1 kali tidak dipotong"
    );
    assert_eq!(
        line.explanation.render(Lang::En),
        "Late arrivals (terlambat): 4 recorded, 0 free; 1 x 3 count as 0.5 days x 3% (the unexcused rate per day) of discipline part Rp 1,000,000 = -Rp 15,000; 1 left over deduct nothing"
    );
    assert_eq!(line.inputs.get("discipline.late").map(String::as_str), Some("[4, 0, 0, 0]"));
}

#[test]
fn three_late_arrivals_count_as_one_day_after_two_free() {
    let p = counts("{ late = { free = 2, every = 3, days = \"1\" } }");
    // 4 late: 2 free, 2 left (no whole group): nothing.
    assert_eq!(lines(&slip(&p, &discipline([4, 0, 0, 0], 0, 0, 0))), pairs(&[("ceiling", "2500000")]));
    // 5 late: 2 free, 3 = 1 group = 1 day: -R(1,000,000 x 3 x 1 / 100) = -30,000.
    let s = slip(&p, &discipline([5, 0, 0, 0], 0, 0, 0));
    assert_eq!(lines(&s), pairs(&[("ceiling", "2500000"), ("deduction.converted", "-30000")]));
    // 8 late: 2 free, 6 = 2 groups = 2 days: -60,000.
    let s = slip(&p, &discipline([8, 0, 0, 0], 0, 0, 0));
    assert_eq!(lines(&s), pairs(&[("ceiling", "2500000"), ("deduction.converted", "-60000")]));
}

// --- forfeit: "six missed roll calls forfeit the roll-call part" ----------------------

#[test]
fn six_missed_roll_calls_forfeit_the_part_boundaries() {
    // National 60/40: roll calls are charged to the discipline part D = 1,000,000.
    let p = counts("{ roll_call = { forfeit_at = 6 } }");
    // N-1 = 5 (3 morning + 2 afternoon): per miss, -R(1,000,000 x 0.5 x 5 / 100) = -25,000.
    let s = slip(&p, &discipline([0; 4], 3, 2, 0));
    assert_eq!(lines(&s), pairs(&[("ceiling", "2500000"), ("deduction.roll_call", "-25000")]));
    // N = 6 and N+1 = 7: the discipline part is forfeited: -1,000,000; G = 1,500,000.
    for (m, a) in [(3, 3), (4, 3)] {
        let s = slip(&p, &discipline([0; 4], m, a, 0));
        assert_eq!(lines(&s), pairs(&[("ceiling", "2500000"), ("deduction.forfeit", "-1000000")]), "{m}+{a}");
        assert_eq!(s.gross.amount().to_string(), "1500000");
    }
    let s = slip(&p, &discipline([0; 4], 3, 3, 0));
    let line = s.line("deduction.forfeit").expect("line");
    assert_eq!(
        line.explanation.render(Lang::Id),
        "Tidak ikut apel pagi/sore: 6 kali, mencapai batas 6: bagian discipline sebesar Rp 1.000.000 hangus = -Rp 1.000.000"
    );
    assert_eq!(
        line.explanation.render(Lang::En),
        "Missed roll calls (apel pagi/sore): 6 reaches the limit of 6: the discipline part of Rp 1,000,000 is forfeited = -Rp 1,000,000"
    );
}

/// With a roll-call part (50/30/20), the forfeit takes that part only: apel = 500,000.
/// 6 misses and 1 TL1 day: forfeit -500,000; TL1 -R(750,000 x 0.5 x 1 / 100) = -3,750;
/// G = 2,500,000 - 500,000 - 3,750 = 1,996,250. 5 misses instead: -R(500,000 x 0.5 x 5 /
/// 100) = -12,500 on the apel part.
#[test]
fn forfeit_takes_the_part_the_kind_is_charged_to() {
    let p = layer(&format!(
        "{PARTS_50_30_20}\n[[allowance.discipline_counts]]\nfrom = 2020-01-01\nvalue = {{ roll_call = {{ forfeit_at = 6 }} }}\nref = \"t\"\n"
    ));
    let s = slip(&p, &discipline([1, 0, 0, 0], 6, 0, 0));
    assert_eq!(
        lines(&s),
        pairs(&[
            ("ceiling", "2500000"),
            ("part", "0"),
            ("part", "0"),
            ("part", "0"),
            ("deduction.late.1", "-3750"),
            ("deduction.forfeit", "-500000"),
        ])
    );
    assert_eq!(s.gross.amount().to_string(), "1996250");
    let s = slip(&p, &discipline([0; 4], 5, 0, 0));
    assert_eq!(s.amount("deduction.roll_call").amount().to_string(), "-12500");
}

/// A forfeited part that also carries other deductions is floored at zero: 1 unexcused
/// day -R(1,000,000 x 3 / 100) = -30,000 and the forfeit -1,000,000 take 1,030,000 from
/// D = 1,000,000, so the floor gives back +30,000; G = 2,500,000 - 1,000,000 = 1,500,000.
#[test]
fn a_forfeited_part_is_floored_with_its_other_deductions() {
    let s = slip(&counts("{ roll_call = { forfeit_at = 6 } }"), &discipline([0; 4], 3, 3, 1));
    assert_eq!(
        lines(&s),
        pairs(&[
            ("ceiling", "2500000"),
            ("deduction.unexcused", "-30000"),
            ("deduction.forfeit", "-1000000"),
            ("deduction.floor", "30000"),
        ])
    );
    assert_eq!(s.gross.amount().to_string(), "1500000");
}

/// Free events count toward the forfeit: with 2 free and forfeit at 6, 5 misses charge
/// 3 (-R(1,000,000 x 0.5 x 3 / 100) = -15,000) and 6 misses forfeit D.
#[test]
fn free_events_count_toward_the_forfeit() {
    let p = counts("{ roll_call = { free = 2, forfeit_at = 6 } }");
    let s = slip(&p, &discipline([0; 4], 5, 0, 0));
    assert_eq!(lines(&s), pairs(&[("ceiling", "2500000"), ("deduction.roll_call", "-15000")]));
    assert_eq!(
        s.line("deduction.roll_call").expect("line").explanation.render(Lang::Id),
        "Tidak ikut apel pagi/sore: (5 - 2 bebas) = 3 kali x 0,5% dari bagian disiplin Rp 1.000.000 = -Rp 15.000"
    );
    let s = slip(&p, &discipline([0; 4], 6, 0, 0));
    assert_eq!(lines(&s), pairs(&[("ceiling", "2500000"), ("deduction.forfeit", "-1000000")]));
}

// --- the national default and the hashes -----------------------------------------------

/// The national baseline is the neutral configuration: the standard pair of parts, no
/// component, no count rule, so its slips hash the same policy values as before these
/// keys existed; a city that sets any of them is hashed with them.
#[test]
fn the_national_default_is_neutral_and_a_change_is_hashed() {
    let month = "2026-10".parse().expect("month");
    let national = AllowanceParams::from_policy(&Policy::national(), month).expect("binds");
    assert!(!national.params.criteria_in_use());
    assert_eq!(national.params.parts, kinerja::allowance::standard_parts());
    let city = counts("{ late = { free = 2 } }");
    assert!(AllowanceParams::from_policy(&city, month).expect("binds").params.criteria_in_use());
    // The same input with no late day: same amounts, but the policy hash differs.
    let d = discipline([0; 4], 0, 0, 0);
    let (a, b) = (slip(&Policy::national(), &d), slip(&city, &d));
    assert_eq!(lines(&a), lines(&b));
    assert_ne!(a.policy_hash, b.policy_hash);
    // The standard pair restated by a city with explicit weights 70/30 is a change too:
    // two `part` lines appear (amount 0) and the split follows the parts.
    let p = layer(
        "[[allowance.parts]]\nfrom = 2020-01-01\nvalue = [\n  { id = \"performance\", weight = \"70\", measure = \"activity\" },\n  { id = \"discipline\", weight = \"30\", measure = \"full\", deductions = [\"late\", \"early\", \"unexcused\", \"roll_call\", \"ceremony\", \"absence\"] },\n]\nref = \"t\"\n",
    );
    // TL1 2 days: -R(750,000 x 0.5 x 2 / 100) = -7,500 (D = 2,500,000 - 1,750,000).
    let s = slip(&p, &discipline([2, 0, 0, 0], 0, 0, 0));
    assert_eq!(
        lines(&s),
        pairs(&[("ceiling", "2500000"), ("part", "0"), ("part", "0"), ("deduction.late.1", "-7500")])
    );
}

// --- policy checks ------------------------------------------------------------------

fn bind_error(body: &str) -> PolicyError {
    AllowanceParams::from_policy(&layer(body), "2026-10".parse().expect("month")).expect_err("refused")
}

fn load_error(body: &str) -> String {
    let text = format!("[layer]\nname = \"test\"\n\n{body}");
    let e = PolicyLayer::from_toml("test", &text).expect_err("refused when loading");
    let problems: Vec<String> = e.problems().iter().map(ToString::to_string).collect();
    format!("{e} {}", problems.join(" | "))
}

#[test]
fn parts_must_sum_to_100() {
    let e = bind_error(
        "[[allowance.parts]]\nfrom = 2020-01-01\nvalue = [\n  { id = \"performance\", weight = \"50\", measure = \"activity\" },\n  { id = \"discipline\", weight = \"30\", measure = \"full\", deductions = [\"late\", \"early\", \"unexcused\", \"absence\"] },\n  { id = \"apel\", weight = \"10\", measure = \"full\", deductions = [\"roll_call\", \"ceremony\"] },\n]\nref = \"t\"\n",
    );
    match e {
        PolicyError::BadValue { key, message } => {
            assert_eq!(key, "allowance.parts");
            assert!(message.contains("performance 50 + discipline 30 + apel 10 = 90"), "{message}");
        }
        other => panic!("expected a bad allowance.parts, got {other}"),
    }
    // An omitted weight is read from its key: the national 60/40 with a 70 % performance
    // weight but the discipline weight left at 40 sums to 110, named on the weight key.
    let e = bind_error("[[allowance.weight_performance]]\nfrom = 2020-01-01\nvalue = \"70\"\nref = \"t\"\n");
    assert!(matches!(&e, PolicyError::BadValue { key, .. } if key == "allowance.weight_discipline"), "{e}");
}

#[test]
fn unknown_fields_and_keys_are_refused_by_name() {
    let e = load_error(
        "[[allowance.parts]]\nfrom = 2020-01-01\nvalue = [{ id = \"performance\", measure = \"activity\", wieght = \"60\" }]\nref = \"t\"\n",
    );
    assert!(e.contains("allowance.parts") && e.contains("unknown field `wieght`"), "{e}");
    let e =
        load_error("[[allowance.discipline_counts]]\nfrom = 2020-01-01\nvalue = { late = { fre = 2 } }\nref = \"t\"\n");
    assert!(e.contains("allowance.discipline_counts") && e.contains("unknown field `fre`"), "{e}");
    let e = load_error("[[allowance.part]]\nfrom = 2020-01-01\nvalue = []\nref = \"t\"\n");
    assert!(e.contains("allowance.part"), "{e}");
}

#[test]
fn components_are_not_negative_and_cover_every_class() {
    let e = load_error(
        "[[allowance.components]]\nfrom = 2020-01-01\nvalue = [{ id = \"lp\", criterion = \"kelangkaan_profesi\", by = \"position\", amounts = { \"RS-1\" = \"-5\" } }]\nref = \"t\"\n",
    );
    assert!(e.contains("allowance.components") && e.contains("[0].amounts.RS-1"), "{e}");
    let e = load_error(
        "[[allowance.components]]\nfrom = 2020-01-01\nvalue = [{ id = \"kk\", criterion = \"kondisi_kerja\", by = \"class\", amounts = { \"1\" = \"5\" } }]\nref = \"t\"\n",
    );
    assert!(e.contains("no amount for job class(es) 2, 3"), "{e}");
}

// --- the slip explains every part ----------------------------------------------------

/// Golden case 045's parts, rendered: every part on its own line, and deductions
/// quoting the part they are taken from.
#[test]
fn parts_are_explained_in_both_languages() {
    let s = slip(&layer(PARTS_50_30_20), &discipline([0; 4], 3, 0, 0));
    let parts: Vec<String> =
        s.lines.iter().filter(|l| l.rule == "part").map(|l| l.explanation.render(Lang::Id)).collect();
    assert_eq!(
        parts,
        [
            "Bagian performance: 50% dari Rp 2.500.000 = Rp 1.250.000; diperoleh menurut menit aktivitas terverifikasi; potongan: -",
            "Bagian discipline: 30% dari Rp 2.500.000 = Rp 750.000; dibayar penuh dikurangi potongannya; potongan: late, early, unexcused, absence",
            "Bagian apel (20%): Rp 2.500.000 dikurangi bagian sebelumnya = Rp 500.000; dibayar penuh dikurangi potongannya; potongan: roll_call, ceremony",
        ]
    );
    let roll = s.line("deduction.roll_call").expect("line");
    // 3 x 0.5 % x 500,000 = 7,500.
    assert_eq!(
        roll.explanation.render(Lang::Id),
        "Tidak ikut apel pagi/sore: 3 kali x 0,5% dari bagian apel Rp 500.000 = -Rp 7.500"
    );
    assert_eq!(
        roll.explanation.render(Lang::En),
        "Missed roll calls (apel pagi/sore): 3 x 0.5% of part apel Rp 500,000 = -Rp 7,500"
    );
    let en = s.lines.iter().find(|l| l.rule == "part").expect("part").explanation.render(Lang::En);
    assert_eq!(
        en,
        "Part performance: 50% of Rp 2,500,000 = Rp 1,250,000; earned by verified activity minutes; deductions: -"
    );
}

/// The provenance gate covers the criteria keys when they are in use: the national
/// baseline's 30 + 2 PPPK keys, none verified (32); a city with a count rule adds the
/// three criteria keys (35), its own entry among them.
#[test]
fn unverified_values_list_the_criteria_keys_in_use() {
    let month = "2026-10".parse().expect("month");
    assert_eq!(kinerja::payroll::allowance_keys(&Policy::national(), month).len(), 32);
    assert_eq!(kinerja::payroll::unverified_values(&Policy::national(), month).len(), 32);
    let city = counts("{ late = { free = 2 } }");
    let keys = kinerja::payroll::allowance_keys(&city, month);
    assert_eq!(keys.len(), 35);
    assert_eq!(keys[32..], kinerja::allowance::CRITERIA_ALLOWANCE_KEYS);
    let values = kinerja::payroll::unverified_values(&city, month);
    assert_eq!(values.len(), 35);
    assert!(values.iter().any(|(k, _)| k == "allowance.discipline_counts"));
}

/// Every combination of a grid of discipline counts under a three-part split with every
/// count rule, in both deduction modes and under the national baseline, computes (the
/// engine checks its invariants: lines add up to gross and net, 0 <= net <= gross <=
/// ceiling + acting) and seals; no part's deductions net below zero.
#[test]
fn a_grid_of_counts_keeps_the_invariants_under_every_configuration() {
    let rules = "[[allowance.discipline_counts]]\nfrom = 2020-01-01\nvalue = { late = { free = 1, every = 2, days = \"1\" }, early = { free = 2 }, roll_call = { free = 1, forfeit_at = 4 }, ceremony = { forfeit_at = 2 } }\nref = \"t\"\n";
    let whole = "[[allowance.deductions_from]]\nfrom = 2020-01-01\nvalue = \"whole\"\nref = \"t\"\n";
    let policies = [
        Policy::national(),
        layer(&format!("{PARTS_50_30_20}\n{rules}")),
        layer(&format!("{PARTS_50_30_20}\n{rules}\n{whole}")),
        counts("{ roll_call = { forfeit_at = 3 }, late = { every = 3, days = \"0.5\" } }"),
    ];
    let mut computed = 0;
    for policy in &policies {
        let params = AllowanceParams::from_policy(policy, "2026-10".parse().expect("month")).expect("binds");
        for late in 0..=3 {
            for early in 0..=2 {
                for missed in [0, 1, 3, 4, 5] {
                    for ceremony in 0..=2 {
                        for unexcused in [0, 2] {
                            let present = 22 - unexcused;
                            if late + 1 + early > present {
                                continue;
                            }
                            let d = format!(
                                r#"{{ "days_present": {present}, "late": [{late}, 0, 0, 1], "early": [0, {early}, 0, 0],
                                     "unexcused_days": {unexcused},
                                     "roll_calls_missed": {{ "morning": {missed}, "afternoon": 0, "ceremony": {ceremony} }} }}"#
                            );
                            let s = kinerja::allowance::compute_slip_with(&input(&d), &params).expect("computes");
                            assert!(s.is_sealed());
                            assert!(!s.net.is_negative() && s.net <= s.gross && s.gross <= s.ceiling(), "{d}");
                            computed += 1;
                        }
                    }
                }
            }
        }
    }
    assert!(computed > 1000, "only {computed} slips computed");
}
