//! Benchmarks at Banda Aceh's scale (39 units, 5,925 employees).
//!
//! `cargo run --release -p kinerja-benches [-- --quick]` prints, for each step, the
//! median and the fastest of several runs. Compare figures from one run only: the
//! machines are shared and noisy, so ratios measured side by side mean more than
//! absolute times.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use kinerja::abk::{AbkParams, analyse};
use kinerja::dataset::Dataset;
use kinerja::generator::{GeneratorConfig, generate};
use kinerja::policy::Policy;

fn measure<T>(name: &str, runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t0 = Instant::now();
        black_box(f());
        times.push(t0.elapsed());
    }
    times.sort();
    let median = times[times.len() / 2];
    println!("{name:<44} median {:>10.3} ms   fastest {:>10.3} ms   ({runs} runs)", ms(median), ms(times[0]));
    median
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let runs = if quick { 3 } else { 15 };
    let config = GeneratorConfig::default();
    println!("Kinerja benchmarks: {} units, {} employees\n", config.units, config.employees);

    let dataset = generate(&config);
    measure("generate synthetic city", runs, || generate(&config));
    let json = dataset.to_json();
    println!("{:<44} {} bytes", "dataset JSON size", json.len());
    measure("serialise dataset to JSON", runs, || dataset.to_json());
    let parse = measure("load + validate dataset (JSON -> City)", runs, || Dataset::load_city(&json));
    let city = match Dataset::load_city(&json) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("generated dataset does not load: {e}");
            std::process::exit(1);
        }
    };
    let policy = Policy::national();
    let date = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap_or_default();
    let params = match AbkParams::from_policy(&policy, date) {
        Ok(p) => p.params,
        Err(e) => {
            eprintln!("policy: {e}");
            std::process::exit(1);
        }
    };
    let org = &city.organisation;
    let abk = measure("workload analysis (ABK), whole city", runs, || {
        analyse(org.units(), org.positions(), |p| org.headcount(p, date), &params)
    });
    println!("\nratio load/ABK: {:.1}x", parse.as_secs_f64() / abk.as_secs_f64().max(1e-12));
}
