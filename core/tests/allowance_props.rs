//! Property tests of the allowance engine over 5,000 random inputs drawn with the
//! crate's own deterministic generator (no extra crates): the slip invariants, exact
//! sums, whole rupiah, and the content hash's stability and sensitivity.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use kinerja::allowance::*;
use kinerja::generator::SplitMix64;
use kinerja::money::Money;
use kinerja::org::{EmploymentType, Nip};
use kinerja::policy::{Bound, Policy};
use kinerja::targets::ABSENCE_CODES;
use kinerja::{Minutes, YearMonth};
use rust_decimal::Decimal;

#[path = "support/allowance_inputs.rs"]
mod allowance_inputs;
use allowance_inputs::{fit_month, pppk_equivalent};

const CASES: usize = 5_000;

const GATE_ON: &str = "[[allowance.gate.enabled]]\nfrom = 2020-01-01\nvalue = true\nref = \"test\"\n";
const WHOLE: &str = "[[allowance.deductions_from]]\nfrom = 2020-01-01\nvalue = \"whole\"\nref = \"test\"\n";
const BPK: &str = "[[allowance.ceiling_method]]\nfrom = 2020-01-01\nvalue = \"bpk_index\"\nref = \"test\"\n\
                   [[allowance.ikfd]]\nfrom = 2020-01-01\nvalue = \"0.85\"\nref = \"test\"\n\
                   [[allowance.ikk]]\nfrom = 2020-01-01\nvalue = \"1.07\"\nref = \"test\"\n";
/// A harsher city: light sanctions, heavier deductions, a wide gate, CPNS at 75 %.
const HARSH: &str = r#"
[[allowance.sanctions]]
from = 2020-01-01
value = { light = { cut = "10", months = [3] }, medium = { cut = "25", months = [6, 9, 12] } }
ref = "test"
[[allowance.deduction.unexcused_per_day]]
from = 2020-01-01
value = "7.5"
ref = "test"
[[allowance.gate.bands]]
from = 2020-01-01
value = [{ below = "40", pay = "0" }, { below = "80", pay = "62.5" }, { below = "100", pay = "90" }]
ref = "test"
[[allowance.cpns_percent]]
from = 2020-01-01
value = "75"
ref = "test"
[[allowance.weight_performance]]
from = 2020-01-01
value = "65"
ref = "test"
[[allowance.weight_discipline]]
from = 2020-01-01
value = "35"
ref = "test"
"#;

fn policies() -> Vec<(String, Policy)> {
    let national = Policy::try_national().expect("national loads");
    let layer = |name: &str, bodies: &[&str]| {
        let text = format!("[layer]\nname = \"{name}\"\n\n{}", bodies.join("\n"));
        national.clone().with_toml("props.toml", &text).expect("layer loads")
    };
    vec![
        ("national".into(), national.clone()),
        ("gate".into(), layer("gate", &[GATE_ON])),
        ("whole".into(), layer("whole", &[WHOLE])),
        ("gate+whole".into(), layer("gate+whole", &[GATE_ON, WHOLE])),
        ("bpk+gate".into(), layer("bpk+gate", &[BPK, GATE_ON])),
        ("harsh+gate+whole".into(), layer("harsh", &[HARSH, GATE_ON, WHOLE])),
    ]
}

fn count(rng: &mut SplitMix64, max: i64) -> i64 {
    // Mostly zero, as in real months.
    if rng.chance(60) { 0 } else { rng.range(1, max) }
}

fn random_input(rng: &mut SplitMix64, i: usize, month: YearMonth, levels: &[&str]) -> AllowanceInput {
    let seq = (i % 999) + 1;
    let nip: Nip = format!("19850315201001{}{seq:03}", if i.is_multiple_of(2) { 1 } else { 2 }).parse().expect("nip");
    let ranks = ["I/a", "II/b", "II/d", "III/a", "III/c", "III/d", "IV/a", "IV/c", "IV/e"];
    let employment = *rng.pick(&[EmploymentType::Pns, EmploymentType::Pns, EmploymentType::Cpns, EmploymentType::Pppk]);
    let calendar = if rng.chance(3) { 0 } else { rng.range(15, 23) };
    let assigned = if rng.chance(70) { calendar } else { rng.range(0, calendar) };
    let present = if rng.chance(50) { assigned } else { rng.range(0, assigned) };
    let target = if rng.chance(5) { 0 } else { assigned * 300 };
    let verified = rng.range(0, target + target / 5 + 10);
    let mut absences = BTreeMap::new();
    for _ in 0..rng.range(0, 3) {
        absences.insert(rng.pick(ABSENCE_CODES).to_string(), rng.range(0, 10));
    }
    let mut acting = Vec::new();
    for _ in 0..rng.range(0, 2) {
        acting.push(ActingInput {
            position: "P-ACT".into(),
            job_class: rng.range(1, 17),
            working_days: rng.range(0, calendar),
        });
    }
    let mut sanctions = Vec::new();
    if rng.chance(20) {
        let level = rng.pick(levels).to_string();
        let months = if level == "light" { 3 } else { *rng.pick(&[6, 9, 12]) };
        let from =
            NaiveDate::from_ymd_opt(rng.range(2025, 2026) as i32, rng.range(1, 12) as u32, rng.range(1, 28) as u32)
                .expect("date");
        sanctions.push(SanctionInput { level, effective_from: from, months, reference: "SK".into() });
    }
    let salary = if rng.chance(10) { rng.range(11_000_000, 14_000_000) } else { rng.range(0, 9_000_000) };
    fit_month(AllowanceInput {
        employee: nip,
        month,
        job_class: rng.range(1, 17),
        position: None,
        rank: {
            // A PPPK employee holds the grade equivalent to the drawn rank (III/a ~ IX).
            let rank: kinerja::org::Rank = rng.pick(&ranks).parse().expect("rank");
            if employment == EmploymentType::Pppk { pppk_equivalent(rank) } else { rank }
        },
        employment,
        salary: Money::from_rupiah(salary),
        calendar_working_days: calendar,
        assigned_working_days: assigned,
        performance: PerformanceInput { target_minutes: Minutes(target), verified_minutes: Minutes(verified) },
        discipline: DisciplineInput {
            days_present: present,
            late: [count(rng, 8), count(rng, 5), count(rng, 4), count(rng, 6)],
            early: [count(rng, 5), count(rng, 4), count(rng, 3), count(rng, 6)],
            unexcused_days: if rng.chance(85) { 0 } else { rng.range(1, 22) },
            absences,
            roll_calls_missed: RollCallsMissed {
                morning: count(rng, 10),
                afternoon: count(rng, 10),
                ceremony: count(rng, 2),
            },
        },
        acting,
        sanctions,
    })
}

fn is_whole(m: Money) -> bool {
    m.amount().fract().is_zero()
}

fn check_slip(slip: &Slip, input: &AllowanceInput, ctx: &str) {
    let sum = |it: &mut dyn Iterator<Item = Money>| Money::checked_sum(it).expect("no overflow");
    let tax_at = slip.lines.iter().position(|l| l.rule == "tax.pph21" || l.rule == "contribution.bpjs");
    let gross_lines = tax_at.unwrap_or(slip.lines.len());
    let gross = sum(&mut slip.lines.iter().take(gross_lines).map(|l| l.amount));
    let net = sum(&mut slip.lines.iter().map(|l| l.amount));
    let acting = slip.amount("acting");
    let ceiling = slip.ceiling();
    assert_eq!(slip.lines.first().map(|l| l.rule.as_str()), Some("ceiling"), "{ctx}");
    assert_eq!(gross, slip.gross, "{ctx}: lines 1-10 sum to gross");
    assert_eq!(net, slip.net, "{ctx}: all lines sum to net");
    assert_eq!(
        slip.net,
        slip.gross.checked_add(slip.tax).and_then(|g| g.checked_add(slip.contribution)).expect("sum"),
        "{ctx}"
    );
    assert!(!slip.net.is_negative(), "{ctx}: net {} >= 0", slip.net);
    assert!(slip.net <= slip.gross, "{ctx}: net <= gross");
    assert!(slip.gross <= ceiling.checked_add(acting).expect("sum"), "{ctx}: gross <= ceiling + acting");
    assert_eq!(slip.tax, slip.amount("tax.pph21"), "{ctx}");
    assert_eq!(slip.contribution, slip.amount("contribution.bpjs"), "{ctx}");
    for line in &slip.lines {
        assert!(is_whole(line.amount), "{ctx}: {} {} is whole rupiah", line.rule, line.amount);
        assert!(line.rule == "ceiling" || !line.amount.is_zero(), "{ctx}: zero line {}", line.rule);
        assert!(!line.explanation.render(kinerja::i18n::Lang::Id).is_empty(), "{ctx}");
        let positive = matches!(line.rule.as_str(), "ceiling" | "acting" | "deduction.floor");
        assert!(positive != line.amount.is_negative() || line.amount.is_zero(), "{ctx}: sign of {}", line.rule);
    }
    assert_eq!(&slip.employee, &input.employee, "{ctx}");
    assert_eq!(slip.content_hash.len(), 64, "{ctx}");
}

#[test]
fn invariants_hold_for_random_months() {
    let month: YearMonth = "2026-03".parse().expect("month");
    let mut rng = SplitMix64::new(0x7779_2026);
    let policies = policies();
    let bound: Vec<(String, Bound<AllowanceParams>)> = policies
        .iter()
        .map(|(name, p)| (name.clone(), AllowanceParams::from_policy(p, month).expect("binds")))
        .collect();
    let mut lines_seen = BTreeMap::<String, usize>::new();
    for i in 0..CASES {
        let (name, params) = &bound[i % bound.len()];
        let levels: &[&str] = if name.starts_with("harsh") { &["light", "medium"] } else { &["medium"] };
        let input = random_input(&mut rng, i, month, levels);
        let ctx = format!("case {i} under {name}: {}", serde_json::to_string(&input).unwrap_or_default());
        let slip = match compute_slip_with(&input, params) {
            Ok(s) => s,
            Err(e) => panic!("{ctx}: {e}"),
        };
        check_slip(&slip, &input, &ctx);
        for l in &slip.lines {
            *lines_seen.entry(l.rule.clone()).or_default() += 1;
        }

        // Same input, same parameters: same slip and hash.
        let again = compute_slip_with(&input.clone(), params).expect("computes again");
        assert_eq!(again, slip, "{ctx}: deterministic");

        // A different input: a different hash (whatever the amounts).
        let mut other = input.clone();
        match i % 4 {
            0 => other.performance.verified_minutes = Minutes(other.performance.verified_minutes.get() + 1),
            1 => other.salary = other.salary.checked_add(Money::from_rupiah(1)).expect("sum"),
            // One ceremony more, or one less when the month has no room for another.
            2 if other.discipline.roll_calls_missed.ceremony < other.assigned_working_days => {
                other.discipline.roll_calls_missed.ceremony += 1
            }
            2 if other.discipline.roll_calls_missed.ceremony > 0 => other.discipline.roll_calls_missed.ceremony -= 1,
            2 => other.salary = other.salary.checked_add(Money::from_rupiah(2)).expect("sum"),
            _ => other.acting.push(ActingInput { position: "X".into(), job_class: 1, working_days: 0 }),
        }
        let other_slip = compute_slip_with(&other, params).expect("other computes");
        assert_ne!(other_slip.content_hash, slip.content_hash, "{ctx}: hash sensitive to input");
    }
    // The draw reached every kind of line the generator can produce.
    for rule in [
        "proration",
        "cpns",
        "performance.shortfall",
        "deduction.late.4",
        "deduction.early.1",
        "deduction.unexcused",
        "deduction.roll_call",
        "deduction.ceremony",
        "deduction.absence.leave.unpaid",
        "deduction.floor",
        "gate",
        "sanction",
        "acting",
        "tax.pph21",
        "contribution.bpjs",
    ] {
        assert!(lines_seen.get(rule).copied().unwrap_or(0) > 0, "no `{rule}` line in {CASES} cases: {lines_seen:?}");
    }
}

#[test]
fn same_input_under_different_policies_hashes_differently() {
    let month: YearMonth = "2026-03".parse().expect("month");
    let mut rng = SplitMix64::new(42);
    let bound: Vec<Bound<AllowanceParams>> =
        policies().iter().map(|(_, p)| AllowanceParams::from_policy(p, month).expect("binds")).collect();
    for i in 0..200 {
        let input = random_input(&mut rng, i, month, &["medium"]);
        let mut hashes: Vec<String> =
            bound.iter().map(|b| compute_slip_with(&input, b).expect("computes").content_hash).collect();
        hashes.sort();
        hashes.dedup();
        assert_eq!(hashes.len(), bound.len(), "case {i}");
    }
}

#[test]
fn pay_all_matches_single_slips() {
    let month: YearMonth = "2026-03".parse().expect("month");
    let mut rng = SplitMix64::new(7);
    let policy = policies().swap_remove(3).1;
    let bound = AllowanceParams::from_policy(&policy, month).expect("binds");
    let inputs: Vec<AllowanceInput> = (0..300).map(|i| random_input(&mut rng, i, month, &["medium"])).collect();
    let batch = pay_all(&inputs, &bound);
    let mut totals = Totals::default();
    let mut net = Decimal::ZERO;
    for (input, result) in inputs.iter().zip(&batch) {
        let single = compute_slip_with(input, &bound);
        assert_eq!(result, &single);
        let slip = single.expect("computes");
        totals.add(&slip).expect("no overflow");
        net += slip.net.amount();
    }
    assert_eq!(totals.count, inputs.len());
    assert_eq!(totals.net.amount(), net);
    // Every deduction by rule plus the ceilings gives the net.
    let by_rule = Money::checked_sum(totals.deductions_by_rule.values().copied()).expect("sum");
    assert_eq!(totals.ceiling.checked_add(by_rule).expect("sum"), totals.net);
}

/// Release-mode timing of a city's month (5,925 slips): run with
/// `cargo test --release -p kinerja --test allowance_props -- --ignored --nocapture`.
#[test]
#[ignore = "timing note, not a test"]
fn time_5925_slips() {
    let month: YearMonth = "2026-03".parse().expect("month");
    let mut rng = SplitMix64::new(5925);
    let policy = Policy::try_national().expect("national");
    let t0 = std::time::Instant::now();
    let bound = AllowanceParams::from_policy(&policy, month).expect("binds");
    let bind = t0.elapsed();
    let inputs: Vec<AllowanceInput> = (0..5925).map(|i| random_input(&mut rng, i, month, &["medium"])).collect();
    let mut best = std::time::Duration::MAX;
    for _ in 0..5 {
        let t = std::time::Instant::now();
        let slips = pay_all(&inputs, &bound);
        best = best.min(t.elapsed());
        assert!(slips.iter().all(Result::is_ok));
    }
    println!("bind {bind:?}; pay_all of 5,925 slips: best of 5 = {best:?}");
}
