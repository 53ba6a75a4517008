//! A bounded run of every fuzz target under `cargo test` (so CI runs it): a few
//! seconds each from a fixed seed. `FUZZ_SECONDS` and `FUZZ_SEED` change the
//! budget and the seed; `cargo test -p kinerja-fuzz -- --nocapture` prints the
//! executions per target. The long run is `cargo run --release -p kinerja-fuzz --
//! all --seconds 60`.

use std::time::Duration;

use kinerja_fuzz::{Budget, fuzz, targets};

fn run(name: &str) {
    let target = targets::by_name(name).expect("target");
    let seconds = std::env::var("FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(2.0);
    let seed = std::env::var("FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let report = fuzz(&target, seed, Budget { time: Duration::from_secs_f64(seconds), max_iterations: None });
    println!("{report}");
    if report.slowest > Duration::from_millis(500) {
        println!(
            "{name}: slowest input ({} ms): {}",
            report.slowest.as_millis(),
            kinerja_fuzz::show(&report.slowest_input)
        );
    }
    if let Some(f) = &report.failure {
        panic!("{name} (seed {seed}): {f}");
    }
    // The seeds alone are not a run: the mutations went on past them.
    let seeds = (target.seeds)().len() as u64;
    assert!(report.iterations > seeds, "{name}: only {} executions", report.iterations);
    assert!(report.features > 1, "{name}: one outcome only");
}

#[test]
fn dataset() {
    run("dataset");
}

#[test]
fn policy() {
    run("policy");
}

#[test]
fn journal() {
    run("journal");
}

#[test]
fn journal_rehashed() {
    run("journal_rehashed");
}

#[test]
fn requests_json() {
    run("requests_json");
}

#[test]
fn requests_built() {
    run("requests_built");
}

/// Every target is run above.
#[test]
fn every_target_has_a_test() {
    let names: Vec<&str> = targets::all().iter().map(|t| t.name).collect();
    assert_eq!(names, ["dataset", "policy", "journal", "journal_rehashed", "requests_json", "requests_built"]);
}

#[path = "../../core/tests/common/mod.rs"]
mod common;

/// The seed month is what it says: every command accepted but the four meant to
/// be refused, so the request and journal targets start from a full month.
#[test]
fn the_seed_month_is_valid_but_for_its_four_refusals() {
    use kinerja::ledger::{JournalFormat, Ledger, MonthContext, verify};
    let city = common::city();
    let policy = kinerja::policy::Policy::national();
    let month = kinerja::YearMonth::new(2026, 10).expect("month");
    let ctx = MonthContext::new(&city, &policy, month).expect("context");
    let mut l = Ledger::new(month);
    let mut refused = Vec::new();
    let requests = targets::scenario();
    for (i, r) in requests.iter().enumerate() {
        if let Err(e) = l.execute(&ctx, r.clone()) {
            refused.push((i, r.command.name(), e.code()));
        }
    }
    assert_eq!(
        refused,
        [
            (7, "verify", "not_authorised"),
            (27, "log_activity", "duplicate_key"),
            (29, "log_activity", "month_closed"),
            (30, "reopen_month", "not_authorised"),
        ]
    );
    assert_eq!(l.events().len(), requests.len() - 4);
    assert!(l.is_closed());
    for form in [JournalFormat::Text, JournalFormat::Binary] {
        let bytes = l.journal().write(Vec::new(), form).expect("written");
        assert!(verify(bytes.as_slice(), Some(l.head())).expect("header").holds());
    }
}
