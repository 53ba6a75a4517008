//! Benchmarks at Banda Aceh's scale (39 units, 5,925 employees).
//!
//! `cargo run --release -p kinerja-benches [-- --quick]` prints, for each step, the
//! median and the fastest of several runs. Compare figures from one run only: the
//! machines are shared and noisy, so ratios measured side by side mean more than
//! absolute times.
//!
//! `-- --journal` measures only the month's compact journal (read + verify the
//! chain + replay with every check, the chain alone, freeing the replayed month,
//! and `Hash::chain` alone), more times: the figures
//! `bash benches/compare-journal.sh [OLD_REV]` compares side by side. With
//! `KINERJA_BENCH_JOURNAL=PATH` the journal is read from PATH (written there the
//! first time), so that a profiler sees the journal's steps, not the simulation.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use kinerja::abk::{AbkParams, analyse};
use kinerja::dataset::Dataset;
use kinerja::generator::{GeneratorConfig, generate};
use kinerja::ledger::{Journal, JournalReader, Ledger, MonthContext};
use kinerja::policy::Policy;
use kinerja::recap::monthly_recap;
use kinerja::simulate::simulate_month;

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

/// Times freeing what `make` returns (made afresh before each run, not timed).
fn free_time<T>(name: &str, runs: usize, mut make: impl FnMut() -> T) -> Duration {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let value = black_box(make());
        let t0 = Instant::now();
        drop(value);
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
    let journal_only = std::env::args().any(|a| a == "--journal");
    let runs = if quick { 3 } else { 15 };
    let config = GeneratorConfig::default();
    println!("Kinerja benchmarks: {} units, {} employees\n", config.units, config.employees);
    if journal_only {
        compact_journal(&config, if quick { 5 } else { 11 });
        return;
    }

    let dataset = match generate(&config) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("the generator refuses the configuration: {e}");
            std::process::exit(1);
        }
    };
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

    // A month of daily work.
    let month = kinerja::YearMonth::new(2026, 10).unwrap_or_else(|| std::process::exit(1));
    let ctx = match MonthContext::new(&city, &policy, month) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("context: {e}");
            std::process::exit(1);
        }
    };
    let t0 = Instant::now();
    let (ledger, report) = match simulate_month(&ctx, 1, true) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("simulate: {e}");
            std::process::exit(1);
        }
    };
    println!(
        "\n{:<44} {:>10.3} ms   (once: {} events, {} activity entries, {} refused)",
        "simulate month (every command checked)",
        ms(t0.elapsed()),
        ledger.events().len(),
        ledger.state().entries.len(),
        report.refused.values().sum::<u64>()
    );
    let month_runs = if quick { 1 } else { 5 };
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
    let recap = measure("monthly recap, whole city", month_runs.max(3), || monthly_recap(&ledger, &ctx, as_of));
    let final_recap = match monthly_recap(&ledger, &ctx, as_of) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("recap: {e}");
            std::process::exit(1);
        }
    };
    let pay = measure("pay the month (5,925 slips, totals)", month_runs.max(3), || {
        kinerja::payroll::pay_city(&city, &ctx, &final_recap, &policy)
    });
    // The amounts-only path: from the loaded record (replayed ledger + month context)
    // to every slip's amounts, without explanations or hashes (issue #15).
    let fast = measure("recap + pay amounts (from loaded record)", month_runs.max(5), || {
        monthly_recap(&ledger, &ctx, as_of)
            .map(|r| kinerja::payroll::pay_amounts(&city, &ctx, &r, &policy).map(|p| p.city.net))
    });
    measure("  of which: pay amounts (5,925 slips, totals)", month_runs.max(5), || {
        kinerja::payroll::pay_amounts(&city, &ctx, &final_recap, &policy)
    });
    free_time("  free the recap + amounts", month_runs.max(5), || {
        let r = monthly_recap(&ledger, &ctx, as_of).ok();
        let p = r.as_ref().and_then(|r| kinerja::payroll::pay_amounts(&city, &ctx, r, &policy).ok());
        (r, p)
    });
    free_time("free the full payroll (pay_city's slips)", month_runs.max(3), || {
        kinerja::payroll::pay_city(&city, &ctx, &final_recap, &policy)
    });
    let inputs = kinerja::payroll::allowance_inputs(&city, &ctx, &final_recap);
    measure("  of which: recap -> allowance inputs", month_runs.max(3), || {
        kinerja::payroll::allowance_inputs(&city, &ctx, &final_recap)
    });
    if let Ok(params) = kinerja::allowance::AllowanceParams::from_policy(&policy, month) {
        measure("  of which: compute the slips", month_runs.max(3), || kinerja::allowance::pay_all(&inputs, &params));
        measure("explanations + hashes for all slips (separate step)", month_runs.max(3), || {
            kinerja::allowance::pay_all(&inputs, &params)
        });
        measure("  (the same slips' amounts only)", month_runs.max(5), || {
            kinerja::allowance::pay_all_amounts(&inputs, &params)
        });
        let slips: Vec<_> = kinerja::allowance::pay_all(&inputs, &params).into_iter().flatten().collect();
        measure("  of which: totals of the slips", month_runs.max(3), || kinerja::allowance::Totals::of(&slips));
        // What people read: every line of every slip rendered (the one renderer).
        let renderer = kinerja::i18n::Renderer::new();
        for lang in kinerja::i18n::Lang::ALL {
            measure(&format!("render every slip's explanations ({lang})"), month_runs.max(3), || {
                slips.iter().map(|s| renderer.rendered_slip(lang, s).lines.len()).sum::<usize>()
            });
        }
    }
    println!(
        "recap + pay, before (recap + pay_city + freeing it) {:.1} ms, after (amounts only) {:.1} ms: {:.1}x",
        ms(recap + pay),
        ms(fast),
        (recap + pay).as_secs_f64() / fast.as_secs_f64().max(1e-12)
    );
    let journal = ledger.journal();
    let events = journal.events.len();
    let replay =
        measure("replay journal in memory (chain + every check)", month_runs, || Ledger::replay(&ctx, &journal));

    // The journal on disk: version 1 (before: one JSON document, no hashes) against
    // version 2 (line-delimited text with hashes, and the compact binary form).
    let v1 = kinerja::ledger::to_v1_json(&journal);
    let text = journal.to_json();
    let bin = journal.to_binary();
    println!(
        "\n{:<44} {:>12} bytes ({:.0} bytes an event)",
        "v1 JSON journal (before)",
        v1.len(),
        v1.len() as f64 / events as f64
    );
    println!(
        "{:<44} {:>12} bytes ({:.0} bytes an event)",
        "text journal (.jsonl)",
        text.len(),
        text.len() as f64 / events as f64
    );
    println!(
        "{:<44} {:>12} bytes ({:.1} bytes an event)",
        "compact journal (.kjb)",
        bin.len(),
        bin.len() as f64 / events as f64
    );
    // Reading an old journal today: parsed whole, migrated (hashed), replayed as v1 was.
    let before = measure("v1: parse whole, migrate, replay (legacy)", month_runs, || {
        Journal::read(v1.as_bytes()).map(|(j, _)| Ledger::from_journal(&ctx, j).map(|l| l.head()))
    });
    let text_load = measure("text: stream + verify + replay", month_runs, || {
        JournalReader::new(text.as_bytes())
            .map(|r| Ledger::from_reader(&ctx, r.with_len_hint(text.len() as u64), false).map(|(l, _)| l.head()))
    });
    let bin_load = measure("compact: stream + verify + replay", month_runs, || {
        JournalReader::new(bin.as_slice())
            .map(|r| Ledger::from_reader(&ctx, r.with_len_hint(bin.len() as u64), false).map(|(l, _)| l.head()))
    });
    measure("  of which: stream + verify the chain only", month_runs, || kinerja::ledger::verify(bin.as_slice(), None));
    measure("compact: write", month_runs, || journal.to_binary().len());
    measure("text: write", month_runs, || journal.to_json().len());
    println!(
        "\nratios: pay/recap {:.2}x, replay in memory/recap {:.1}x; journal v1 -> compact: size {:.1}x smaller, load+verify+replay {:.1}x faster than reading a v1 journal today (text {:.1}x)\n(the previous revision's own figures, side by side: bash benches/compare-revisions.sh)",
        pay.as_secs_f64() / recap.as_secs_f64().max(1e-12),
        replay.as_secs_f64() / recap.as_secs_f64().max(1e-12),
        v1.len() as f64 / bin.len().max(1) as f64,
        before.as_secs_f64() / bin_load.as_secs_f64().max(1e-12),
        before.as_secs_f64() / text_load.as_secs_f64().max(1e-12),
    );
}

/// The month's compact journal only: read, chain-verified and replayed with
/// every check, and the chain alone, `runs` times each, interleaved.
fn compact_journal(config: &GeneratorConfig, runs: usize) {
    let city = match generate(config).map(|d| d.to_json()).map(|j| Dataset::load_city(&j)) {
        Ok(Ok(c)) => c,
        _ => {
            eprintln!("the generated city does not load");
            std::process::exit(1);
        }
    };
    let policy = Policy::national();
    let month = kinerja::YearMonth::new(2026, 10).unwrap_or_else(|| std::process::exit(1));
    let Ok(ctx) = MonthContext::new(&city, &policy, month) else {
        eprintln!("context refused");
        std::process::exit(1);
    };
    measure("month context (calendar, tables)", runs, || MonthContext::new(&city, &policy, month).is_ok());
    // `KINERJA_BENCH_JOURNAL=PATH`: the month's journal is read from PATH when it
    // is there (written there after simulating otherwise), so that a profiler
    // (`perf record`) sees the journal's steps and not the simulation.
    let cached = std::env::var_os("KINERJA_BENCH_JOURNAL").map(std::path::PathBuf::from);
    let bin = match cached.as_ref().and_then(|p| std::fs::read(p).ok()) {
        Some(bin) => bin,
        None => {
            let Ok((ledger, _)) = simulate_month(&ctx, 1, true) else {
                eprintln!("simulate refused");
                std::process::exit(1);
            };
            let bin = ledger.journal().to_binary();
            drop(ledger);
            if let Some(p) = &cached
                && let Err(e) = std::fs::write(p, &bin)
            {
                eprintln!("{}: {e}", p.display());
            }
            bin
        }
    };
    chain_alone(runs);
    println!(
        "{:<44} {} events, {} bytes, version {}",
        "compact journal (.kjb)",
        ledger_events(&bin),
        bin.len(),
        JournalReader::new(bin.as_slice()).map(|r| r.header().version).unwrap_or(0)
    );
    let (mut load, mut chain, mut free) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let (t0, c0) = (Instant::now(), cpu_time());
        let ledger = JournalReader::new(bin.as_slice())
            .map(|r| Ledger::from_reader(&ctx, r.with_len_hint(bin.len() as u64), false).map(|(l, _)| l));
        load.push((t0.elapsed(), cpu_time().zip(c0).map(|(c1, c0)| c1 - c0)));
        let Ok(Ok(ledger)) = ledger else {
            eprintln!("the journal does not replay");
            std::process::exit(1);
        };
        // Freeing the month is timed apart: a command frees it when it ends.
        let (t0, c0) = (Instant::now(), cpu_time());
        drop(black_box(ledger));
        free.push((t0.elapsed(), cpu_time().zip(c0).map(|(c1, c0)| c1 - c0)));
        let (t0, c0) = (Instant::now(), cpu_time());
        black_box(kinerja::ledger::verify(bin.as_slice(), None).is_ok());
        chain.push((t0.elapsed(), cpu_time().zip(c0).map(|(c1, c0)| c1 - c0)));
    }
    for (name, times) in [
        ("compact: stream + verify + replay", load),
        ("  of which: stream + verify the chain only", chain),
        ("  then: free the replayed month", free),
    ] {
        let mut wall: Vec<Duration> = times.iter().map(|t| t.0).collect();
        wall.sort();
        print!("{name:<44} median {:>10.3} ms   fastest {:>10.3} ms", ms(wall[runs / 2]), ms(wall[0]));
        let mut cpu: Vec<Duration> = times.iter().filter_map(|t| t.1).collect();
        cpu.sort();
        match cpu.first() {
            Some(fastest) => {
                println!("   on the CPU: median {:>8.3} ms, fastest {:>8.3} ms", ms(cpu[cpu.len() / 2]), ms(*fastest))
            }
            None => println!(),
        }
    }
}

/// `Hash::chain` alone, a million times over an input of `N` bytes after the
/// previous hash (20: one SHA-256 block each; 50, event-sized: two), as the
/// journal's chain needs it: what the hash costs apart from decoding the records.
fn chain_alone(runs: usize) {
    chain_of::<20>(runs);
    chain_of::<50>(runs);
}

fn chain_of<const N: usize>(runs: usize) {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let (t0, c0) = (Instant::now(), cpu_time());
        let mut head = kinerja::ledger::Hash::default();
        let mut bytes = [7u8; N];
        for i in 0..1_000_000u32 {
            bytes[..4].copy_from_slice(&i.to_le_bytes());
            head = kinerja::ledger::Hash::chain(&head, black_box(&bytes));
        }
        black_box(head);
        times.push((t0.elapsed(), cpu_time().zip(c0).map(|(c1, c0)| c1 - c0)));
    }
    times.sort();
    let cpu = times.iter().filter_map(|t| t.1).min().map(ms).unwrap_or(f64::NAN);
    println!(
        "{:<44} median {:>10.3} ms   fastest {:>10.3} ms   on the CPU: fastest {cpu:>8.3} ms",
        format!("Hash::chain alone, 1 M x (32 + {N}) bytes"),
        ms(times[runs / 2].0),
        ms(times[0].0)
    );
}

/// The time this thread has run on a CPU (Linux: `/proc/thread-self/schedstat`),
/// which waiting for a shared machine's other work does not count.
fn cpu_time() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok().map(Duration::from_nanos)
}

fn ledger_events(bin: &[u8]) -> u64 {
    kinerja::ledger::verify(bin, None).map(|v| v.events).unwrap_or(0)
}
