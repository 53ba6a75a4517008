//! Properties of the allowance slip (proptest), over random inputs and random
//! policies: the national one, and layers over it that draw every allowance value
//! (ceilings and the BPK index, weights, every deduction rate and its base, the
//! gate, CPNS share, sanctions, acting, proration, tax, BPJS, rounding mode and
//! scale) anywhere in its catalogued range.
//!
//! `allowance_props.rs` checks the same invariants over six fixed policies with
//! the crate's own generator; this file adds random policies, inputs at the edges
//! (every count up to the month's length, salaries past the BPJS cap, acting and
//! sanctions of every kind), shrinking to a minimal failing input, and inputs that
//! are not valid at all.
//!
//! For every slip: the lines add up to gross (lines before tax) and net (all lines)
//! exactly; `net = gross + tax + contribution`; `0 <= net <= gross <= ceiling +
//! acting add-on`; tax and contribution are not positive; every amount lies on the
//! rounding grid; the lines follow `rule_ids()` order; the same input gives the same
//! slip and hash, alone and in `pay_all`. An input that fails validation, or a
//! policy whose values do not fit together, gives a typed error, never a panic and
//! never a broken invariant.
//!
//! Case counts are small by default (seconds in debug) and the seed is fixed; a
//! longer run:
//!
//! ```sh
//! PROPTEST_CASES=20000 PROPTEST_RNG_SEED=$RANDOM cargo test --release -p kinerja --test props_allowance
//! ```

use std::collections::BTreeMap;

use chrono::NaiveDate;
use kinerja::allowance::*;
use kinerja::money::Money;
use kinerja::org::{EmploymentType, Nip};
use kinerja::policy::Policy;
use kinerja::targets::ABSENCE_CODES;
use kinerja::{Minutes, YearMonth};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use rust_decimal::Decimal;

#[path = "support/allowance_inputs.rs"]
mod allowance_inputs;
use allowance_inputs::{fit_month, pppk_equivalent};

fn runner(default: u32) -> TestRunner {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let mut config = Config { cases, failure_persistence: None, ..Config::default() };
    if std::env::var("PROPTEST_RNG_SEED").is_err() {
        config.rng_seed = RngSeed::Fixed(0x0054_5050_3230_3236);
    }
    TestRunner::new(config)
}

fn month() -> YearMonth {
    YearMonth::new(2026, 3).expect("month")
}

// ---------------------------------------------------------------------------
// Random policy layers
// ---------------------------------------------------------------------------

/// A percent with up to two decimals, as policy text.
fn percent(max: i64) -> impl Strategy<Value = String> {
    prop_oneof![
        2 => (0..=max).prop_map(|p| p.to_string()),
        1 => (0..=max * 100).prop_map(|p| Decimal::new(p, 2).normalize().to_string()),
    ]
}

fn money_text(max: i64) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (0..=max).prop_map(|r| r.to_string()),
        1 => (0..=max * 100).prop_map(|r| Decimal::new(r, 2).normalize().to_string()),
    ]
}

fn entry(key: &str, value: &str) -> String {
    format!("[[allowance.{key}]]\nfrom = 2020-01-01\nvalue = {value}\nref = \"props\"\n\n")
}

fn quoted(v: &str) -> String {
    format!("\"{v}\"")
}

fn class_table(values: &[String]) -> String {
    let cells: Vec<String> = values.iter().enumerate().map(|(i, v)| format!("\"{}\" = \"{v}\"", i + 1)).collect();
    format!("{{ {} }}", cells.join(", "))
}

/// A layer over the national policy setting every allowance value at random. The
/// weights sum to 100 unless `odd_weights`.
fn layer() -> impl Strategy<Value = String> {
    let ceilings = (
        prop::bool::weighted(0.7),
        prop::collection::vec(money_text(30_000_000), 17),
        prop::collection::vec(money_text(40_000_000), 17),
        prop::collection::vec(percent(3), 3),
        1..=100_000i64,
    )
        .prop_map(|(table, ceilings, bpk, idx, unit)| {
            let mut s = entry("ceiling_method", &quoted(if table { "table" } else { "bpk_index" }));
            s += &entry("ceilings", &class_table(&ceilings));
            s += &entry("bpk_table", &class_table(&bpk));
            for (k, v) in ["ikfd", "ikk", "ippd"].iter().zip(&idx) {
                s += &entry(k, &quoted(v));
            }
            s + &entry("bpk_rounding_unit", &unit.to_string())
        });
    let deductions = (
        prop::collection::vec(percent(20), 4),
        prop::collection::vec(percent(20), 4),
        prop::collection::vec(percent(100), 3),
        prop::collection::btree_map(prop::sample::select(ABSENCE_CODES), percent(10), 0..4),
        prop::bool::ANY,
    )
        .prop_map(|(late, early, rates, absence, whole)| {
            let list = |v: &[String]| format!("[{}]", v.iter().map(|x| quoted(x)).collect::<Vec<_>>().join(", "));
            let mut s = entry("deduction.late", &list(&late));
            s += &entry("deduction.early", &list(&early));
            s += &entry("deduction.unexcused_per_day", &quoted(&rates[0]));
            s += &entry("deduction.roll_call_per_miss", &quoted(&rates[1]));
            s += &entry("deduction.ceremony_per_miss", &quoted(&rates[2]));
            let cells: Vec<String> = absence.iter().map(|(k, v)| format!("\"{k}\" = \"{v}\"")).collect();
            s += &entry("deduction.absence_per_day", &format!("{{ {} }}", cells.join(", ")));
            s + &entry("deductions_from", &quoted(if whole { "whole" } else { "discipline_part" }))
        });
    let gate =
        (prop::bool::ANY, prop::collection::btree_map(1..=100i64, percent(100), 0..4)).prop_map(|(enabled, bands)| {
            let bands: Vec<String> =
                bands.iter().map(|(below, pay)| format!("{{ below = \"{below}\", pay = \"{pay}\" }}")).collect();
            entry("gate.enabled", &enabled.to_string()) + &entry("gate.bands", &format!("[{}]", bands.join(", ")))
        });
    let rest = (
        (0..=1000i64, prop::bool::weighted(0.05)),
        percent(100),
        (percent(100), percent(100)),
        (percent(100), 0..=31i64, prop::bool::ANY),
        (prop::collection::vec(percent(50), 4), percent(10), money_text(20_000_000)),
        (prop::sample::select(vec!["half_up", "half_even", "down", "up"]), 0..=2i64),
    )
        .prop_map(|((w, odd), cpns, (light, medium), (acting, min_days, prorate), (tax, bpjs, cap), (mode, scale))| {
            let wp = Decimal::new(w, 1);
            let wd = match (odd, Decimal::ONE_HUNDRED - wp) {
                (false, rest) => rest,
                // Weights that do not sum to 100, each within range.
                (true, rest) if rest >= Decimal::ONE => rest - Decimal::ONE,
                (true, rest) => rest + Decimal::ONE,
            };
            let mut s = entry("weight_performance", &quoted(&wp.normalize().to_string()));
            s += &entry("weight_discipline", &quoted(&wd.normalize().to_string()));
            s += &entry("cpns_percent", &quoted(&cpns));
            s += &entry(
                "sanctions",
                &format!(
                    "{{ light = {{ cut = \"{light}\", months = [3] }}, medium = {{ cut = \"{medium}\", months = [6, 9, 12] }} }}"
                ),
            );
            s += &entry("acting_percent", &quoted(&acting));
            s += &entry("acting_min_days", &min_days.to_string());
            s += &entry("proration", &prorate.to_string());
            let groups = ["I", "II", "III", "IV"];
            let cells: Vec<String> = groups.iter().zip(&tax).map(|(g, r)| format!("\"{g}\" = \"{r}\"")).collect();
            s += &entry("tax.flat", &format!("{{ {} }}", cells.join(", ")));
            s += &entry("bpjs.percent", &quoted(&bpjs));
            s += &entry("bpjs.cap", &quoted(&cap));
            s += &entry("rounding", &quoted(mode));
            s + &entry("rounding_scale", &scale.to_string())
        });
    (ceilings, deductions, gate, rest).prop_map(|(a, b, c, d)| format!("[layer]\nname = \"props\"\n\n{a}{b}{c}{d}"))
}

// ---------------------------------------------------------------------------
// Random inputs
// ---------------------------------------------------------------------------

fn rank() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "I/a", "I/d", "II/a", "II/b", "II/d", "III/a", "III/b", "III/c", "III/d", "IV/a", "IV/c", "IV/e",
    ])
    .prop_map(str::to_string)
}

/// A count: mostly zero, sometimes anything up to `max`.
fn count(max: i64) -> impl Strategy<Value = i64> {
    prop_oneof![3 => Just(0i64), 2 => 0..=max]
}

/// A valid input (it passes `validate`); sanctions name the levels of [`layer`]
/// and the national policy with their allowed durations.
fn input() -> impl Strategy<Value = AllowanceInput> {
    let days = month().days() as i64;
    let head = (
        1..=17i64,
        rank(),
        prop::sample::select(vec![EmploymentType::Pns, EmploymentType::Cpns, EmploymentType::Pppk]),
        prop_oneof![4 => 0..=9_000_000i64, 1 => 9_000_000..=50_000_000i64, 1 => Just(0i64)],
        0..=days,
    );
    head.prop_flat_map(move |(job_class, rank, employment, salary, calendar)| {
        (
            Just((job_class, rank, employment, salary, calendar)),
            0..=calendar,
            (prop_oneof![1 => Just(0i64), 6 => 0..=20_000i64], 0..=25_000i64),
            prop::collection::vec(count(days), 4),
            prop::collection::vec(count(days), 4),
            (count(days), count(2 * days), count(2 * days), count(days)),
            prop::collection::btree_map(prop::sample::select(ABSENCE_CODES), 0..=days, 0..4),
            prop::collection::vec((1..=17i64, 0..=calendar), 0..3),
            prop::collection::vec((prop::bool::ANY, 0..3usize, 2024..=2026i32, 1..=12u32), 0..3),
        )
    })
    .prop_flat_map(|(head, assigned, perf, late, early, counts, absences, acting, sanctions)| {
        (Just((head, assigned, perf, late, early, counts, absences, acting, sanctions)), 0..=assigned)
    })
    .prop_map(
        |((head, assigned, (target, verified), late, early, counts, absences, acting, sanctions), present)| {
            let (job_class, rank, employment, salary, calendar) = head;
            let (unexcused, morning, afternoon, ceremony) = counts;
            fit_month(AllowanceInput {
                employee: Nip::parse("198503152010011001").expect("nip"),
                month: month(),
                job_class,
                position: None,
                // A PPPK employee holds a grade I-XVII; the drawn rank's equivalent.
                rank: {
                    let r: kinerja::org::Rank = rank.parse().expect("rank");
                    if employment == EmploymentType::Pppk { pppk_equivalent(r) } else { r }
                },
                employment,
                salary: Money::from_rupiah(salary),
                calendar_working_days: calendar,
                assigned_working_days: assigned,
                performance: PerformanceInput { target_minutes: Minutes(target), verified_minutes: Minutes(verified) },
                discipline: DisciplineInput {
                    days_present: present,
                    late: [late[0], late[1], late[2], late[3]],
                    early: [early[0], early[1], early[2], early[3]],
                    unexcused_days: unexcused,
                    absences: absences.into_iter().map(|(k, v)| (k.to_string(), v)).collect::<BTreeMap<_, _>>(),
                    roll_calls_missed: RollCallsMissed { morning, afternoon, ceremony },
                },
                acting: acting
                    .into_iter()
                    .map(|(job_class, working_days)| ActingInput { position: "P-ACT".into(), job_class, working_days })
                    .collect(),
                sanctions: sanctions
                    .into_iter()
                    .map(|(light, m, year, mon)| {
                        let (level, months) = if light { ("light", 3) } else { ("medium", [6, 9, 12][m]) };
                        SanctionInput {
                            level: level.into(),
                            effective_from: NaiveDate::from_ymd_opt(year, mon, 1).expect("date"),
                            months,
                            reference: "SK".into(),
                        }
                    })
                    .collect(),
            })
        },
    )
}

// ---------------------------------------------------------------------------
// The invariants
// ---------------------------------------------------------------------------

fn check_slip(slip: &Slip, input: &AllowanceInput, scale: u32) -> Result<(), TestCaseError> {
    let sum = |it: &mut dyn Iterator<Item = Money>| Money::checked_sum(it).expect("no overflow");
    let tax_at = slip.lines.iter().position(|l| l.rule == "tax.pph21" || l.rule == "contribution.bpjs");
    let gross = sum(&mut slip.lines.iter().take(tax_at.unwrap_or(slip.lines.len())).map(|l| l.amount));
    let net = sum(&mut slip.lines.iter().map(|l| l.amount));
    prop_assert_eq!(slip.lines.first().map(|l| l.rule.as_str()), Some("ceiling"));
    prop_assert_eq!(gross, slip.gross, "the lines before tax add up to gross");
    prop_assert_eq!(net, slip.net, "all lines add up to net");
    prop_assert_eq!(slip.net, slip.gross.checked_add(slip.tax).and_then(|g| g.checked_add(slip.contribution)).unwrap());
    prop_assert_eq!(slip.tax, slip.amount("tax.pph21"));
    prop_assert_eq!(slip.contribution, slip.amount("contribution.bpjs"));
    prop_assert!(!slip.tax.amount().is_sign_positive() || slip.tax.is_zero(), "tax {} <= 0", slip.tax);
    prop_assert!(!slip.contribution.amount().is_sign_positive() || slip.contribution.is_zero());
    prop_assert!(!slip.net.is_negative(), "net {} >= 0", slip.net);
    prop_assert!(slip.net <= slip.gross, "net {} <= gross {}", slip.net, slip.gross);
    let cap = slip.ceiling().checked_add(slip.amount("acting")).unwrap();
    prop_assert!(slip.gross <= cap, "gross {} <= ceiling + acting {}", slip.gross, cap);
    let order = rule_ids();
    let mut last = None;
    for line in &slip.lines {
        let rank = order.iter().position(|r| *r == line.rule);
        prop_assert!(rank.is_some(), "unknown rule {}", line.rule);
        // One line per rule, but one `acting` line per acting record.
        prop_assert!(last < rank || (last == rank && line.rule == "acting"), "{} out of order", line.rule);
        last = rank;
        let grid = line.amount.amount() * Decimal::from(10i64.pow(scale));
        prop_assert!(grid.fract().is_zero(), "{} {} is not on the grid of scale {}", line.rule, line.amount, scale);
        prop_assert!(line.rule == "ceiling" || !line.amount.is_zero(), "zero line {}", line.rule);
        prop_assert!(!line.explanation.render(kinerja::i18n::Lang::Id).is_empty());
    }
    prop_assert_eq!(&slip.employee, &input.employee);
    prop_assert_eq!(slip.month, input.month);
    prop_assert_eq!(slip.content_hash.len(), 64);
    Ok(())
}

/// Valid inputs under the national policy give a slip, and every invariant holds.
#[test]
fn national_slips_add_up_and_stay_within_the_ceiling() {
    let policy = Policy::try_national().expect("national");
    let params = AllowanceParams::from_policy(&policy, month()).expect("binds");
    runner(512)
        .run(&input(), |input| {
            // Only `medium` is a national level.
            let national_levels = input.sanctions.iter().all(|s| s.level == "medium");
            match compute_slip_with(&input, &params) {
                Ok(slip) => {
                    check_slip(&slip, &input, 0)?;
                    prop_assert_eq!(&compute_slip(&input, &policy).expect("same"), &slip);
                }
                Err(AllowanceError::UnknownSanctionLevel { .. }) if !national_levels => {}
                Err(e) => prop_assert!(false, "{}: {}", e.code(), e),
            }
            Ok(())
        })
        .unwrap();
}

/// Under any policy a city may write, valid inputs give a slip whose invariants
/// hold; a policy whose weights do not sum to 100 is refused when bound.
#[test]
fn slips_add_up_under_random_policies() {
    let national = Policy::try_national().expect("national");
    runner(96)
        .run(&(layer(), prop::collection::vec(input(), 1..8)), |(layer, inputs)| {
            let policy = national
                .clone()
                .with_toml("props.toml", &layer)
                .map_err(|e| TestCaseError::fail(format!("the generated layer does not load: {e}\n{layer}")))?;
            let params = match AllowanceParams::from_policy(&policy, month()) {
                Ok(p) => p,
                Err(e) => {
                    prop_assert!(e.to_string().contains("weight"), "{}", e);
                    return Ok(());
                }
            };
            let scale = params.params.rounding.scale;
            let batch = pay_all(&inputs, &params);
            for (input, paid) in inputs.iter().zip(batch) {
                let slip = compute_slip_with(input, &params);
                prop_assert_eq!(&paid, &slip, "pay_all and compute_slip_with agree");
                let slip = slip.map_err(|e| TestCaseError::fail(format!("{}: {e}\n{layer}", e.code())))?;
                check_slip(&slip, input, scale)?;
            }
            Ok(())
        })
        .unwrap();
}

/// Any input, valid or not, gives a slip that keeps the invariants or a typed
/// error; an input that fails validation is refused with the same problems.
#[test]
fn any_input_gives_a_slip_or_a_typed_error() {
    let policy = Policy::try_national().expect("national");
    let params = AllowanceParams::from_policy(&policy, month()).expect("binds");
    let small = || prop_oneof![Just(0i64), -3..40i64, any::<i64>()];
    let anything = (
        input(),
        (small(), small(), small(), small()),
        (small(), small(), small()),
        (small(), small(), prop::option::of("[a-z_.]{1,12}")),
        any::<u8>(),
    )
        .prop_map(
            |(mut i, (job, cal, assigned, present), (target, verified, late), (acting, months, code), which)| {
                // Break one to four fields.
                if which & 1 != 0 {
                    i.job_class = job;
                    i.calendar_working_days = cal;
                }
                if which & 2 != 0 {
                    i.assigned_working_days = assigned;
                    i.discipline.days_present = present;
                }
                if which & 4 != 0 {
                    i.performance =
                        PerformanceInput { target_minutes: Minutes(target), verified_minutes: Minutes(verified) };
                    i.discipline.late[usize::from(which >> 6)] = late;
                }
                if which & 8 != 0 {
                    i.acting.push(ActingInput { position: "P-X".into(), job_class: acting, working_days: acting });
                    if let Some(s) = i.sanctions.first_mut() {
                        s.months = months;
                    }
                }
                if let (Some(code), true) = (code, which & 16 != 0) {
                    i.discipline.absences.insert(code, late);
                }
                if which & 32 != 0 {
                    i.salary = Money::from_rupiah(if late < 0 { late } else { -late - 1 });
                }
                i
            },
        );
    runner(1024)
        .run(&anything, |input| {
            let valid = input.validate();
            match compute_slip(&input, &policy) {
                Ok(slip) => {
                    prop_assert!(valid.is_ok());
                    check_slip(&slip, &input, 0)?;
                }
                Err(AllowanceError::InvalidInput(problems)) => {
                    prop_assert_eq!(Err(problems), valid.clone());
                }
                Err(AllowanceError::Invariant { message, .. }) => prop_assert!(false, "invariant broken: {}", message),
                Err(e) => prop_assert!(valid.is_ok(), "{}: {}", e.code(), e),
            }
            // The bound path refuses what the simple one refuses.
            if let Err(problems) = &valid {
                let e = compute_slip_with(&input, &params).err();
                prop_assert!(
                    e.is_some(),
                    "compute_slip_with accepted an input with {} problems",
                    problems.problems.len()
                );
            }
            Ok(())
        })
        .unwrap();
}
