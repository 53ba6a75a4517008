//! The stages of a city's month, benchmarked with criterion at several city sizes,
//! so that the growth of each stage's cost with the size of the city is visible.
//!
//! ```text
//! bash benches/stages.sh                    # 1k, 5,925, 25k
//! bash benches/stages.sh all                # + 100k, 1M
//! bash benches/stages.sh 1000,100000        # chosen sizes
//! bash benches/stages.sh 1000 recap         # + a criterion filter (stages whose id contains "recap")
//! ```
//!
//! The harness has its own `main` over criterion (`Criterion::default().configure_from_args()`,
//! so criterion's options work: `--save-baseline`, `--baseline`, filters, `--test`). The
//! loop is **size outer, stage inner**: for each size the city is generated, its month
//! simulated once (every command checked) into a compact journal, and every stage
//! benchmarked on it as a criterion group of its own (one [`BenchmarkId`] per size,
//! [`Throughput::Elements`] = the stage's records), after which the month is freed and
//! the next size built. Within a size the month is held only as long as a stage still
//! needs it: the dataset JSON is freed after the stages that read it (load, end to end),
//! the journal after the replay, the ledger after the recap.
//!
//! After the last size the harness prints one table per stage (one row per size: the
//! median and fastest time per run, per record, records per second) read from
//! criterion's own estimates (`target/criterion/<stage>/<size>/new/estimates.json` and
//! `sample.json`), the month's size and peak memory (RSS) per size, and the phone-sized
//! operations ([`phone`], each call timed alone on a fresh state).
//!
//! Criterion takes at least 10 samples of a stage. Up to 25k employees each sample
//! may repeat the stage; from 100k on each sample is one run (a warm-up run, then 10
//! runs), and a stage whose first run takes longer than [`LONG_RUN`] is timed by a
//! plain timer instead (3 runs, 1 above 20 s; the table says so): criterion's 11 runs
//! of replay or end to end at 100k employees would take over half an hour each on the
//! shared 2-core machine.
//!
//! Every size also runs `national_chunks`: the month the way the national run makes
//! it ([`kinerja::national`]: chunks of at most 4,000 employees generated directly,
//! recapped, paid, freed).
//!
//! A size above [`whole_max`] (`KINERJA_BENCH_WHOLE_MAX`, default 100,000: 1M) is too
//! large a month to hold as one city (about 100 KB an employee: ~100 GiB at 1M on a
//! 24 GiB machine). Its whole city is generated once (the generator's time at that
//! size), then every stage runs **over the city in chunks** ([`chunked`]): 250 chunks
//! of 4,000 employees at 1M (`KINERJA_BENCH_CHUNK`, 1,000..=4,000), each chunk a full
//! city of its own generated with its own seed, its month simulated with every
//! command checked, and processed by exactly the same stage functions as a whole
//! city, one timed run a chunk, the times summed per stage. The tables label those
//! rows "1,000,000 (in chunks of 4,000)"; only one chunk's month is in memory at a
//! time, so the peak memory is a chunk's (and the whole city's generation).
//! [`simulate_max`] (`KINERJA_BENCH_SIMULATE_MAX`) lowers the largest whole city
//! whose month is simulated.
//!
//! With `--test` (`cargo test -p kinerja-benches --bench stages`, or `cargo bench ...
//! -- --test`, what `scripts/test-all.sh` runs) criterion runs every benchmark once:
//! the harness does so at its smallest size and fails when a stage produces nothing
//! or a phone operation is refused. Times are printed, never asserted.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use kinerja::YearMonth;
use kinerja::allowance::AllowanceParams;
use kinerja::dataset::{City, Dataset};
use kinerja::generator::{GeneratorConfig, generate};
use kinerja::ledger::{JournalFormat, JournalHeader, JournalReader, JournalWriter, Ledger, MonthContext};
use kinerja::policy::Policy;
use kinerja::recap::{MonthlyRecap, monthly_recap};

mod phone;

/// One stage of the tables: criterion's group name, the table's title, and what its
/// records are.
struct StageInfo {
    key: &'static str,
    title: &'static str,
    per: &'static str,
}

const fn info(key: &'static str, title: &'static str, per: &'static str) -> StageInfo {
    StageInfo { key, title, per }
}

/// Every stage, in the order of the tables (the order of a month's processing).
const STAGES: &[StageInfo] = &[
    info("generate", "generate the city (linear: the time per employee stays flat)", "employee"),
    info("load", "load: dataset JSON -> City (parse + validate)", "employee"),
    info("context", "month context (calendar, policy per day, the organisation's tables)", "employee"),
    info("journal_verify", "journal: decode + verify the hash chain", "event"),
    info("journal_replay", "journal: decode + verify + replay (every check)", "event"),
    info(
        "recap",
        "recap (entries, attendance, roll calls) from the month sheet, lines kept since the first recap",
        "employee",
    ),
    info("recap_judged", "recap judging every employee's days again (the first recap after a replay)", "employee"),
    info("recap_reference", "recap before the month sheet (whole-state scan, recap::reference)", "employee"),
    info("discipline", "attendance to discipline: allowance inputs", "employee"),
    info("allowance_amounts", "allowance: every slip's amounts and the totals (pay_amounts)", "employee"),
    info("allowance_explained", "allowance: every slip with its explanations (pay_city)", "employee"),
    info("explanation", "explanation on demand: one slip computed with its explanations and rendered (id)", "slip"),
    info("end_to_end", "end to end: JSON + journal -> every slip's amounts", "employee"),
    info(
        "national_chunks",
        "the month the national run's way: chunks of <= 4,000 employees generated directly, recapped, paid (amounts), freed",
        "employee",
    ),
];

/// The stages that read the simulated month (journal, ledger or recap).
const MONTH_KEYS: [&str; 10] = [
    "journal_verify",
    "journal_replay",
    "recap",
    "recap_judged",
    "recap_reference",
    "discipline",
    "allowance_amounts",
    "allowance_explained",
    "explanation",
    "end_to_end",
];

/// The month of `n` employees the way the national run makes and pays it
/// (`kinerja::national`): whole work units in chunks of at most 4,000 employees, each
/// chunk's organisation and month generated directly (no command simulated), recapped
/// and paid (amounts) by the ordinary engine, then freed. Returns the employees paid.
fn national_path(n: usize, policy: &Policy) -> usize {
    use kinerja::national::{RegionKind, RegionSpec, chunks, pay_chunk};
    let spec = RegionSpec { index: 0, kind: RegionKind::City, employees: n };
    let mut paid = 0u64;
    for chunk in chunks(1, spec) {
        match pay_chunk(0, chunk, policy) {
            Ok(c) => paid += c.paid,
            Err(e) => fail(format!("national path at {n} employees: {e}")),
        }
    }
    paid as usize
}

/// From 100k employees on, a stage whose first run takes longer than this is timed
/// by a plain timer (3 runs, or 1 when a run takes over 20 s) instead of criterion's
/// warm-up and 10 samples.
const LONG_RUN: Duration = Duration::from_secs(5);

/// How many slips the explanation stage computes and renders per size (evenly
/// spread over the city): a person opens their own slip, nobody opens them all.
const EXPLAIN_SAMPLE: usize = 1_000;

/// The recap's as-of date: the end of the month after (every deadline passed).
fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default()
}

/// The sizes: `KINERJA_BENCH_SIZES` (`all`, or a comma-separated list), by
/// default those that take a few minutes in all.
const DEFAULT_SIZES: &[usize] = &[1_000, 5_925, 25_000];
const ALL_SIZES: &[usize] = &[1_000, 5_925, 25_000, 100_000, 1_000_000];

fn sizes(test: bool) -> Result<Vec<usize>, String> {
    if test {
        return Ok(vec![1_000]);
    }
    match std::env::var("KINERJA_BENCH_SIZES") {
        Err(_) => Ok(DEFAULT_SIZES.to_vec()),
        Ok(s) if s.trim() == "all" => Ok(ALL_SIZES.to_vec()),
        Ok(s) => s
            .split(',')
            .map(|x| x.trim().replace('_', ""))
            .map(|x| x.parse::<usize>().map_err(|_| format!("KINERJA_BENCH_SIZES: {x:?} is not a number")))
            .collect(),
    }
}

/// The largest size whose month is simulated: `KINERJA_BENCH_SIMULATE_MAX`, default
/// 100,000 (1M employees would take ~30 minutes to simulate and does not fit as one
/// city's month in 24 GiB: see benches/README.md).
fn simulate_max() -> usize {
    std::env::var("KINERJA_BENCH_SIMULATE_MAX").ok().and_then(|s| s.replace('_', "").parse().ok()).unwrap_or(100_000)
}

/// The units of a city of `n` employees: Banda Aceh's 39 up to its size, then
/// as many as keep its ~152 employees a unit, so that a larger city has more
/// units of the same shape rather than giant ones.
fn units(n: usize) -> usize {
    (n * 39 / 5_925).max(39)
}

fn fail(msg: String) -> ! {
    eprintln!("stages: {msg}");
    std::process::exit(1)
}

/// The process's peak resident memory since the last reset, in MiB (Linux).
fn peak_rss_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Resets the peak (Linux: writing 5 to clear_refs), so each size has its own.
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// What became of one stage at one size.
enum Outcome {
    /// Benchmarked by criterion (the figures are read from its estimates).
    Measured,
    /// Timed once by a plain timer (the one-off preparation: the simulation).
    Once(Duration),
    /// Timed by a plain timer: a stage longer than [`LONG_RUN`] at 100k employees or more.
    Plain {
        /// The median run.
        median: Duration,
        /// The fastest run.
        fastest: Duration,
        /// How many runs.
        runs: usize,
    },
    /// Not run, and why.
    NotRun(String),
}

/// One row of a stage's table.
struct Row {
    key: &'static str,
    size: usize,
    records: u64,
    outcome: Outcome,
    /// Run over the city in chunks: (employees a chunk, chunks).
    chunks: Option<(usize, usize)>,
}

/// The harness: criterion, the mode, and the rows measured so far.
struct Harness {
    c: Criterion,
    test: bool,
    out_dir: PathBuf,
    rows: Vec<Row>,
}

impl Harness {
    /// Benchmarks `f` as stage `key` at size `n` (`records` records a run). Returns the
    /// output of its last run (`None` when criterion's filter left the stage out);
    /// fails the harness when that output counts zero things by `produced`.
    ///
    /// Each run's output is kept until the next run starts and freed outside the timed
    /// region (like criterion's `iter_with_large_drop`, without holding two at once).
    fn stage<T>(
        &mut self,
        key: &'static str,
        n: usize,
        records: u64,
        mut f: impl FnMut() -> T,
        produced: impl Fn(&T) -> usize,
    ) -> Option<T> {
        let mut last: Option<T> = None;
        // From 100k on, a first run tells how long the stage is: a stage that takes
        // longer than LONG_RUN is timed by a plain timer (criterion's 10 samples and
        // warm-up would be 11 runs: over half an hour for some stages at 100k).
        if n >= 100_000 && !self.test && self.selected(key, n) {
            let t0 = Instant::now();
            let out = black_box(f());
            let probe = t0.elapsed();
            if probe >= LONG_RUN {
                let mut times = vec![probe];
                let mut out = out;
                let runs = if probe < Duration::from_secs(20) { 3 } else { 1 };
                while times.len() < runs {
                    // The previous output is freed before the next run, untimed.
                    drop(out);
                    let t0 = Instant::now();
                    out = black_box(f());
                    times.push(t0.elapsed());
                }
                times.sort();
                let made = produced(&out);
                if made == 0 {
                    fail(format!("stage {key:?} produced nothing at {n} employees"));
                }
                eprintln!(
                    "   {key} at {n}: {made} produced, {} plain run(s), median {:?}",
                    times.len(),
                    times[times.len() / 2]
                );
                let outcome = Outcome::Plain { median: times[times.len() / 2], fastest: times[0], runs: times.len() };
                self.rows.push(Row { key, size: n, records, outcome, chunks: None });
                return Some(out);
            }
            drop(out);
        }
        {
            let mut g = self.c.benchmark_group(key);
            g.throughput(Throughput::Elements(records.max(1)));
            g.sampling_mode(SamplingMode::Flat);
            g.sample_size(10);
            if n <= 25_000 {
                g.warm_up_time(Duration::from_secs(1));
                g.measurement_time(Duration::from_secs(3));
            } else {
                // One warm-up run, then one run per sample (criterion warns that the
                // samples take longer than asked: they do, by design).
                g.warm_up_time(Duration::from_millis(1));
                g.measurement_time(Duration::from_millis(10));
            }
            g.bench_function(BenchmarkId::from_parameter(n), |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        last = None;
                        let t0 = Instant::now();
                        let out = black_box(f());
                        total += t0.elapsed();
                        last = Some(out);
                    }
                    total
                })
            });
            g.finish();
        }
        let out = last?;
        let made = produced(&out);
        if made == 0 {
            fail(format!("stage {key:?} produced nothing at {n} employees"));
        }
        eprintln!("   {key} at {n}: {made} produced");
        self.rows.push(Row { key, size: n, records, outcome: Outcome::Measured, chunks: None });
        Some(out)
    }

    /// Whether criterion's filter (the first argument that is not an option or an
    /// option's value) selects benchmark `key/n` (a substring, as criterion's default).
    fn selected(&self, key: &str, n: usize) -> bool {
        const WITH_VALUE: &[&str] = &[
            "--save-baseline",
            "--baseline",
            "--baseline-lenient",
            "--load-baseline",
            "--sample-size",
            "--warm-up-time",
            "--measurement-time",
            "--nresamples",
            "--noise-threshold",
            "--confidence-level",
            "--significance-level",
            "--profile-time",
            "--plotting-backend",
            "--output-format",
            "--color",
            "--format",
        ];
        let args: Vec<String> = std::env::args().skip(1).collect();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if WITH_VALUE.contains(&a.as_str()) {
                i += 2;
                continue;
            }
            if !a.starts_with('-') {
                return format!("{key}/{n}").contains(a.as_str());
            }
            i += 1;
        }
        true
    }

    /// Writes the tables so far to `<criterion dir>/stages.md` after each size (a long
    /// run stopped at a large size keeps the figures of the sizes before).
    fn save_progress(&self, memory: &[MonthSize], phone: Option<&[(&'static str, phone::OpFigure)]>) {
        if self.test {
            return;
        }
        let mut text = tables(self, memory);
        if let Some(p) = phone {
            text.push_str(&phone_table_text(p));
        }
        let _ = std::fs::create_dir_all(&self.out_dir);
        let _ = std::fs::write(self.out_dir.join("stages.md"), text);
    }

    fn not_run(&mut self, key: &'static str, n: usize, why: &str) {
        self.rows.push(Row { key, size: n, records: 0, outcome: Outcome::NotRun(why.to_string()), chunks: None });
    }

    /// Criterion's estimates of one benchmark: median and fastest time per run (ns).
    fn estimates(&self, key: &str, n: usize) -> Option<(f64, f64, u64)> {
        let dir = self.out_dir.join(key).join(n.to_string()).join("new");
        let est: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("estimates.json")).ok()?).ok()?;
        let median = est.get("median")?.get("point_estimate")?.as_f64()?;
        let sample: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("sample.json")).ok()?).ok()?;
        let iters = sample.get("iters")?.as_array()?;
        let times = sample.get("times")?.as_array()?;
        let fastest = iters
            .iter()
            .zip(times)
            .filter_map(|(i, t)| Some(t.as_f64()? / i.as_f64()?.max(1.0)))
            .fold(f64::INFINITY, f64::min);
        let runs = iters.iter().filter_map(|i| i.as_f64()).sum::<f64>() as u64;
        Some((median, fastest, runs))
    }
}

/// Where criterion writes its estimates: `$CRITERION_HOME`, else the target directory
/// of this executable (`target/release/deps/stages-*` -> `target/criterion`).
fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    let exe = std::env::current_exe().unwrap_or_default();
    match exe.ancestors().nth(3) {
        Some(target) => target.join("criterion"),
        None => PathBuf::from("target/criterion"),
    }
}

/// The sizes and memory of one size's month.
struct MonthSize {
    size: usize,
    events: Option<u64>,
    journal_bytes: Option<u64>,
    peak_rss: Option<f64>,
    /// Run in chunks of this many employees (one chunk's month in memory at a time).
    chunk: Option<usize>,
}

impl MonthSize {
    /// A size whose month was not simulated: only the peak memory so far.
    fn without_month(size: usize) -> MonthSize {
        MonthSize { size, events: None, journal_bytes: None, peak_rss: peak_rss_mib(), chunk: None }
    }
}

fn main() {
    let out_dir = criterion_dir();
    let c = Criterion::default().output_directory(&out_dir).configure_from_args();
    // Criterion's rule: `cargo bench` passes `--bench` (benchmarks); without it
    // (`cargo test`), or with `--test`, every benchmark runs once as a test.
    let args: Vec<String> = std::env::args().collect();
    let test = !args.iter().any(|a| a == "--bench") || args.iter().any(|a| a == "--test");
    let sizes = sizes(test).unwrap_or_else(|e| fail(e));
    let mut h = Harness { c, test, out_dir, rows: Vec::new() };
    let policy = Policy::national();
    let month = YearMonth::new(2026, 10).unwrap_or_else(|| fail("month".into()));
    let params = AllowanceParams::from_policy(&policy, month).unwrap_or_else(|e| fail(format!("policy: {e}")));
    let sim_max = simulate_max();
    println!(
        "Kinerja stages, {month} (sizes {sizes:?}; {})",
        if test { "test mode: every stage once" } else { "criterion, release build" }
    );
    let mut memory: Vec<MonthSize> = Vec::new();
    let mut phone_table: Option<Vec<(&'static str, phone::OpFigure)>> = None;
    for (si, &n) in sizes.iter().enumerate() {
        reset_peak_rss();
        let config = GeneratorConfig { employees: n, units: units(n), ..GeneratorConfig::default() };
        eprintln!("== {n} employees, {} units", config.units);
        let n64 = n as u64;
        // The month as the national run makes it: whole units in chunks of at most
        // 4,000 employees, each generated directly and paid, then freed (first, so
        // the city below is not in memory meanwhile).
        h.stage("national_chunks", n, n64, || national_path(n, &policy), |k| *k);
        // A filter that leaves out every stage of the city and its month spares them.
        if !["generate", "load", "context"].iter().chain(MONTH_KEYS.iter()).any(|k| h.selected(k, n)) {
            memory.push(MonthSize::without_month(n));
            h.save_progress(&memory, phone_table.as_deref());
            continue;
        }
        if n > whole_max() {
            // Too large a month to hold as one city: the generator still makes the whole
            // city once (its time and memory at this size), then every stage runs over
            // the city in chunks of whole cities, times summed (see `chunked`).
            let made =
                h.stage("generate", n, n64, || generate(&config), |d| d.as_ref().map_or(0, |d| d.employees.len()));
            if let Some(Err(e)) = made {
                fail(format!("the generator refuses {n} employees: {e}"));
            }
            drop(made);
            let chunk = chunk_size();
            eprintln!("== {n} employees: every stage over the city in chunks of {chunk}");
            let (events, bytes) = chunked(&mut h, n, chunk, &policy, month, &params);
            memory.push(MonthSize {
                size: n,
                events: Some(events),
                journal_bytes: Some(bytes),
                peak_rss: peak_rss_mib(),
                chunk: Some(chunk),
            });
            h.save_progress(&memory, phone_table.as_deref());
            continue;
        }
        let dataset = match h
            .stage("generate", n, n64, || generate(&config), |d| d.as_ref().map_or(0, |d| d.employees.len()))
            .unwrap_or_else(|| generate(&config))
        {
            Ok(d) => d,
            Err(e) if !h.test => {
                // A larger size the generator cannot make: say so, keep the other sizes.
                eprintln!("stages: the generator refuses {n} employees: {e}");
                h.not_run("load", n, &format!("the generator refuses {n} employees: {e}"));
                continue;
            }
            Err(e) => fail(format!("the generator refuses {n} employees: {e}")),
        };
        let json = dataset.to_json();
        drop(dataset);
        let city = Dataset::load_city(&json).unwrap_or_else(|e| fail(format!("the generated city does not load: {e}")));
        let ctx = MonthContext::new(&city, &policy, month).unwrap_or_else(|e| fail(format!("context: {e}")));

        // The month: simulated once, every command checked, into a compact journal.
        // A filter that leaves out every stage of the simulated month spares its simulation.
        let wanted = MONTH_KEYS.iter().any(|k| h.selected(k, n));
        let simulated = if n <= sim_max && wanted {
            eprintln!("== {n} employees: simulating the month (once)");
            let t0 = Instant::now();
            let (journal, events) = simulate_journal(&ctx, month);
            let elapsed = t0.elapsed();
            eprintln!("   {events} events in {:.1} s, journal {} bytes", elapsed.as_secs_f64(), journal.len());
            h.rows.push(Row {
                key: "simulate",
                size: n,
                records: events,
                outcome: Outcome::Once(elapsed),
                chunks: None,
            });
            Some((journal, events))
        } else {
            None
        };

        // Stages reading the dataset JSON (and the journal).
        h.stage(
            "load",
            n,
            n64,
            || Dataset::load_city(&json),
            |c| c.as_ref().map_or(0, |c| c.organisation.employees().len()),
        );
        if let Some((journal, events)) = &simulated {
            h.stage(
                "journal_verify",
                n,
                *events,
                || kinerja::ledger::verify(journal.as_slice(), None),
                |v| v.as_ref().map_or(0, |v| v.events as usize),
            );
            h.stage("end_to_end", n, n64, || end_to_end(&json, journal, &policy, month), |slips| *slips);
        }
        drop(json);

        h.stage(
            "context",
            n,
            n64,
            || MonthContext::new(&city, &policy, month),
            |c| c.as_ref().map_or(0, |c| c.city.organisation.employees().len()),
        );

        let Some((journal, events)) = simulated else {
            if wanted {
                let why = not_simulated_reason(n, sim_max, &memory);
                for key in MONTH_KEYS {
                    h.not_run(key, n, &why);
                }
            }
            memory.push(MonthSize::without_month(n));
            h.save_progress(&memory, phone_table.as_deref());
            continue;
        };
        let journal_bytes = journal.len() as u64;
        let replay = || replay(&ctx, &journal);
        let ledger = h
            .stage("journal_replay", n, events, replay, |l| l.as_ref().map_or(0, |l| l.head().seq as usize))
            .unwrap_or_else(replay)
            .unwrap_or_else(|e| fail(format!("the journal does not replay: {e}")));

        let recap = h
            .stage(
                "recap",
                n,
                n64,
                || monthly_recap(&ledger, &ctx, as_of()),
                |r| r.as_ref().map_or(0, |r| r.employees.len()),
            )
            .unwrap_or_else(|| monthly_recap(&ledger, &ctx, as_of()))
            .unwrap_or_else(|e| fail(format!("recap: {e}")));
        // The same recap judging every line again, as the first recap after a replay.
        h.stage(
            "recap_judged",
            n,
            n64,
            || kinerja::recap::reference::judged(&ledger, &ctx, as_of()),
            |r| r.as_ref().map_or(0, |r| r.employees.len()),
        );
        // The same recap by the whole-state scan the sheet replaced, side by side.
        h.stage(
            "recap_reference",
            n,
            n64,
            || kinerja::recap::reference::monthly_recap(&ledger, &ctx, as_of()),
            |r| r.as_ref().map_or(0, |r| r.employees.len()),
        );
        if si == 0 {
            eprintln!("== phone-sized operations (on the {n}-employee city)");
            let p =
                phone::measure(&city, &journal, &ledger, month, test).unwrap_or_else(|e| fail(format!("phone: {e}")));
            phone_table = Some(p);
        }
        drop(journal);
        drop(ledger);

        h.stage("discipline", n, n64, || kinerja::payroll::allowance_inputs(&city, &ctx, &recap), Vec::len);
        h.stage(
            "allowance_amounts",
            n,
            n64,
            || kinerja::payroll::pay_amounts(&city, &ctx, &recap, &policy),
            |p| p.as_ref().map_or(0, |p| p.amounts.slips.len()),
        );
        h.stage(
            "allowance_explained",
            n,
            n64,
            || kinerja::payroll::pay_city(&city, &ctx, &recap, &policy),
            |p| p.as_ref().map_or(0, |p| p.slips.len()),
        );
        let sample = explain_sample(&recap);
        h.stage("explanation", n, sample.len() as u64, || explain(&city, &ctx, &recap, &params, &sample), |k| *k);
        drop(recap);
        memory.push(MonthSize {
            size: n,
            events: Some(events),
            journal_bytes: Some(journal_bytes),
            peak_rss: peak_rss_mib(),
            chunk: None,
        });
        h.save_progress(&memory, phone_table.as_deref());
    }
    if h.test {
        // The path of the sizes run in chunks (1,000,000), once on one chunk of the
        // smallest size, so that it cannot rot either: every stage must produce.
        let (events, _) = chunked(&mut h, sizes[0], sizes[0].clamp(1_000, 4_000), &policy, month, &params);
        println!("test mode: {} employees run in chunks: {events} events, every stage produced", sizes[0]);
    }
    h.c.final_summary();
    if h.test {
        let ran = h.rows.iter().filter(|r| matches!(r.outcome, Outcome::Measured | Outcome::Plain { .. })).count();
        println!("\ntest mode: {ran} stages ran once at {} employees and each produced records", sizes[0]);
        if ran == 0 {
            fail("no stage ran (a filter that matches nothing?)".into());
        }
    } else {
        print!("{}", tables(&h, &memory));
    }
    if let Some(p) = &phone_table {
        print!("{}", phone_table_text(p));
    }
}

/// Why a size's month is not run: not simulated, with the memory it would need at
/// the largest simulated size's peak per employee.
fn not_simulated_reason(n: usize, sim_max: usize, memory: &[MonthSize]) -> String {
    let per_employee = memory
        .iter()
        .filter(|m| m.events.is_some())
        .max_by_key(|m| m.size)
        .and_then(|m| m.peak_rss.map(|r| (r * 1024.0 * 1024.0 / m.size as f64, m.size)));
    let need = match per_employee {
        Some((b, at)) => format!(
            "; held as one city at the {} KB an employee of the {}-employee month, it would need about {:.0} GiB",
            (b / 1000.0).round(),
            group(at),
            b * n as f64 / (1u64 << 30) as f64
        ),
        None => String::new(),
    };
    format!(
        "above KINERJA_BENCH_SIMULATE_MAX={}: simulating every command would take ~11 us an event (~180 events an employee){need}",
        group(sim_max)
    )
}

/// The month simulated once, every command checked, into a compact journal held in
/// memory: the journal's bytes and its events.
fn simulate_journal(ctx: &MonthContext<'_>, month: YearMonth) -> (Vec<u8>, u64) {
    let header = JournalHeader::new(month);
    let mut writer = JournalWriter::new(Vec::new(), JournalFormat::Binary, &header)
        .unwrap_or_else(|e| fail(format!("journal: {e}")));
    let events = match kinerja::simulate::simulate_month_streaming(ctx, 1, true, |e| writer.write(e)) {
        Ok(Ok((ledger, _))) => ledger.head().seq,
        Ok(Err(e)) => fail(format!("journal: {e}")),
        Err(e) => fail(format!("simulate: {e}")),
    };
    (writer.finish().unwrap_or_else(|e| fail(format!("journal: {e}"))), events)
}

/// The journal decoded, verified and replayed with every check (`Ledger::from_reader`).
fn replay(ctx: &MonthContext<'_>, journal: &[u8]) -> Result<Ledger, String> {
    JournalReader::new(journal)
        .map_err(|e| e.to_string())
        .and_then(|r| Ledger::from_reader(ctx, r.with_len_hint(journal.len() as u64), false).map_err(|e| e.to_string()))
        .map(|(l, _)| l)
}

/// The largest size held as one city's month (`KINERJA_BENCH_WHOLE_MAX`, default
/// 100,000): a larger size runs every stage over the city in chunks ([`chunked`]).
fn whole_max() -> usize {
    std::env::var("KINERJA_BENCH_WHOLE_MAX").ok().and_then(|s| s.replace('_', "").parse().ok()).unwrap_or(100_000)
}

/// The employees of one chunk of a size run in chunks (`KINERJA_BENCH_CHUNK`, default
/// 4,000, kept within 1,000..=4,000).
fn chunk_size() -> usize {
    std::env::var("KINERJA_BENCH_CHUNK")
        .ok()
        .and_then(|s| s.replace('_', "").parse().ok())
        .unwrap_or(4_000usize)
        .clamp(1_000, 4_000)
}

/// How many chunks run at once (`KINERJA_BENCH_CHUNK_THREADS`, default 1): each chunk
/// is still timed alone, stage by stage, and the times summed (CPU time, not the wall
/// time of the size); two at once on a 2-core machine halve the wait and double the
/// peak memory of a chunk.
fn chunk_threads() -> usize {
    std::env::var("KINERJA_BENCH_CHUNK_THREADS").ok().and_then(|s| s.parse().ok()).unwrap_or(1usize).clamp(1, 8)
}

/// The sizes of the chunks of a city of `n` employees in chunks of `chunk`: as many
/// full chunks as fit, the rest spread over them so that no chunk is smaller than
/// `chunk` (e.g. 1,000,000 in chunks of 4,000: 250 chunks of 4,000).
fn chunk_sizes(n: usize, chunk: usize) -> Vec<usize> {
    let count = (n / chunk).max(1);
    (0..count).map(|i| n / count + usize::from(i < n % count)).collect()
}

/// What the stages of one size run in chunks add up to: per stage, the summed time,
/// the summed records and the chunks it ran on.
#[derive(Default)]
struct ChunkTotals {
    stages: Vec<(&'static str, Duration, u64)>,
}

impl ChunkTotals {
    /// Runs `f` once, timed, adds its time and `records` to stage `key`, and fails the
    /// harness when its output counts nothing by `produced`.
    fn run<T>(
        &mut self,
        key: &'static str,
        what: &str,
        records: u64,
        f: impl FnOnce() -> T,
        produced: impl Fn(&T) -> usize,
    ) -> T {
        let t0 = Instant::now();
        let out = black_box(f());
        let took = t0.elapsed();
        if produced(&out) == 0 {
            fail(format!("stage {key:?} produced nothing on {what}"));
        }
        self.add(key, took, records);
        out
    }

    /// Adds a run of `took` over `records` records to stage `key`.
    fn add(&mut self, key: &'static str, took: Duration, records: u64) {
        match self.stages.iter_mut().find(|s| s.0 == key) {
            Some(s) => {
                s.1 += took;
                s.2 += records;
            }
            None => self.stages.push((key, took, records)),
        }
    }
}

/// Every stage of a city of `n` employees over the city in chunks (each chunk a full
/// city of its own: units, positions, supervisors, devices, generated with its own
/// seed, its month simulated with every command checked), each chunk processed by the
/// same stage functions as a whole city, one timed run a chunk, times summed per stage.
/// Only one chunk's month is in memory at a time. The explanation stage opens about
/// [`EXPLAIN_SAMPLE`] slips in all, spread over the chunks.
/// Returns the month's events and compact journal bytes.
fn chunked(
    h: &mut Harness,
    n: usize,
    chunk: usize,
    policy: &Policy,
    month: YearMonth,
    params: &kinerja::policy::Bound<AllowanceParams>,
) -> (u64, u64) {
    let sizes = chunk_sizes(n, chunk);
    let count = sizes.len();
    let threads = chunk_threads().min(count);
    let started = Instant::now();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let per_thread: Vec<(ChunkTotals, Duration, u64, u64)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (sizes, done) = (&sizes, &done);
                scope.spawn(move || {
                    let mut totals = ChunkTotals::default();
                    let (mut sim, mut events, mut bytes) = (Duration::ZERO, 0u64, 0u64);
                    for i in (t..count).step_by(threads) {
                        let what = format!("chunk {} of {count} ({} employees) of {n}", i + 1, sizes[i]);
                        let (d, e, b) = one_chunk(&mut totals, &what, (i, count), sizes[i], policy, month, params);
                        sim += d;
                        events += e;
                        bytes += b;
                        let k = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                        if k % 10 == 0 || k == count {
                            eprintln!(
                                "   {n} in chunks of {chunk}: {k} of {count} chunks done ({:.0} s so far, peak RSS {:.0} MiB)",
                                started.elapsed().as_secs_f64(),
                                peak_rss_mib().unwrap_or(0.0)
                            );
                        }
                    }
                    (totals, sim, events, bytes)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| fail("a chunk's thread panicked".into()))).collect()
    });
    let mut t = ChunkTotals::default();
    let (mut events_total, mut bytes_total, mut simulate_total) = (0u64, 0u64, Duration::ZERO);
    for (totals, sim, events, bytes) in per_thread {
        for (key, took, records) in totals.stages {
            t.add(key, took, records);
        }
        simulate_total += sim;
        events_total += events;
        bytes_total += bytes;
    }
    h.rows.push(Row {
        key: "simulate",
        size: n,
        records: events_total,
        outcome: Outcome::Once(simulate_total),
        chunks: Some((chunk, count)),
    });
    for (key, total, records) in t.stages {
        let outcome = Outcome::Plain { median: total, fastest: total, runs: 1 };
        h.rows.push(Row { key, size: n, records, outcome, chunks: Some((chunk, count)) });
    }
    (events_total, bytes_total)
}

/// One chunk of a size run in chunks: chunk `i` (of `count`) of `m` employees generated with its own
/// seed, its month simulated, every stage run once on it and timed into `t`. Returns
/// the simulation's time, the events and the compact journal's bytes.
fn one_chunk(
    t: &mut ChunkTotals,
    what: &str,
    (i, count): (usize, usize),
    m: usize,
    policy: &Policy,
    month: YearMonth,
    params: &kinerja::policy::Bound<AllowanceParams>,
) -> (Duration, u64, u64) {
    let m64 = m as u64;
    let config = GeneratorConfig { employees: m, units: units(m), seed: 1 + i as u64, ..GeneratorConfig::default() };
    let dataset = t.run("generate", what, m64, || generate(&config), |d| d.as_ref().map_or(0, |d| d.employees.len()));
    let dataset = dataset.unwrap_or_else(|e| fail(format!("the generator refuses {what}: {e}")));
    let json = dataset.to_json();
    drop(dataset);
    let city = t.run(
        "load",
        what,
        m64,
        || Dataset::load_city(&json),
        |c| c.as_ref().map_or(0, |c| c.organisation.employees().len()),
    );
    let city = city.unwrap_or_else(|e| fail(format!("{what} does not load: {e}")));
    let ctx = t.run(
        "context",
        what,
        m64,
        || MonthContext::new(&city, policy, month),
        |c| c.as_ref().map_or(0, |c| c.city.organisation.employees().len()),
    );
    let ctx = ctx.unwrap_or_else(|e| fail(format!("context of {what}: {e}")));
    let t0 = Instant::now();
    let (journal, events) = simulate_journal(&ctx, month);
    let simulated = t0.elapsed();
    let bytes = journal.len() as u64;
    drop(t.run(
        "journal_verify",
        what,
        events,
        || kinerja::ledger::verify(journal.as_slice(), None),
        |v| v.as_ref().map_or(0, |v| v.events as usize),
    ));
    t.run("end_to_end", what, m64, || end_to_end(&json, &journal, policy, month), |s| *s);
    drop(json);
    let ledger = t.run(
        "journal_replay",
        what,
        events,
        || replay(&ctx, &journal),
        |l| l.as_ref().map_or(0, |l| l.head().seq as usize),
    );
    let ledger = ledger.unwrap_or_else(|e| fail(format!("the journal of {what} does not replay: {e}")));
    drop(journal);
    let recap = t.run(
        "recap",
        what,
        m64,
        || monthly_recap(&ledger, &ctx, as_of()),
        |r| r.as_ref().map_or(0, |r| r.employees.len()),
    );
    let recap = recap.unwrap_or_else(|e| fail(format!("recap of {what}: {e}")));
    drop(t.run(
        "recap_reference",
        what,
        m64,
        || kinerja::recap::reference::monthly_recap(&ledger, &ctx, as_of()),
        |r| r.as_ref().map_or(0, |r| r.employees.len()),
    ));
    drop(ledger);
    drop(t.run("discipline", what, m64, || kinerja::payroll::allowance_inputs(&city, &ctx, &recap), Vec::len));
    drop(t.run(
        "allowance_amounts",
        what,
        m64,
        || kinerja::payroll::pay_amounts(&city, &ctx, &recap, policy),
        |p| p.as_ref().map_or(0, |p| p.amounts.slips.len()),
    ));
    drop(t.run(
        "allowance_explained",
        what,
        m64,
        || kinerja::payroll::pay_city(&city, &ctx, &recap, policy),
        |p| p.as_ref().map_or(0, |p| p.slips.len()),
    ));
    // About EXPLAIN_SAMPLE slips over the whole city: this chunk's share.
    let share = (EXPLAIN_SAMPLE * (i + 1) / count - EXPLAIN_SAMPLE * i / count).max(1);
    let sample = explain_sample_of(&recap, share);
    t.run("explanation", what, sample.len() as u64, || explain(&city, &ctx, &recap, params, &sample), |k| *k);
    (simulated, events, bytes)
}

/// From the dataset JSON and the compact journal to every slip's amounts: load the
/// city, build the month's context, replay the journal with every check, recap, pay.
fn end_to_end(json: &str, journal: &[u8], policy: &Policy, month: YearMonth) -> usize {
    let Ok(city) = Dataset::load_city(json) else { return 0 };
    let Ok(ctx) = MonthContext::new(&city, policy, month) else { return 0 };
    let Ok(Ok((ledger, _))) =
        JournalReader::new(journal).map(|r| Ledger::from_reader(&ctx, r.with_len_hint(journal.len() as u64), false))
    else {
        return 0;
    };
    let Ok(recap) = monthly_recap(&ledger, &ctx, as_of()) else { return 0 };
    drop(ledger);
    kinerja::payroll::pay_amounts(&city, &ctx, &recap, policy).map_or(0, |p| p.amounts.slips.len())
}

/// The recap rows whose slips the explanation stage opens: [`EXPLAIN_SAMPLE`] spread
/// evenly over the city.
fn explain_sample(recap: &MonthlyRecap) -> Vec<usize> {
    explain_sample_of(recap, EXPLAIN_SAMPLE)
}

/// About `k` recap rows spread evenly over the recap.
fn explain_sample_of(recap: &MonthlyRecap, k: usize) -> Vec<usize> {
    let len = recap.employees.len();
    let step = len.div_ceil(k.max(1)).max(1);
    (0..len).step_by(step).collect()
}

/// One slip opened by its employee, for each row of `sample`: the allowance input from
/// the recap, the slip with every line's explanation, rendered in Indonesian. Returns
/// how many rendered slips had lines.
fn explain(
    city: &City,
    ctx: &MonthContext<'_>,
    recap: &MonthlyRecap,
    params: &kinerja::policy::Bound<AllowanceParams>,
    sample: &[usize],
) -> usize {
    let r = kinerja::i18n::Renderer::new();
    sample
        .iter()
        .filter_map(|&i| recap.employees.get(i))
        .filter_map(|row| kinerja::payroll::allowance_input(city, ctx, row))
        .filter_map(|input| kinerja::allowance::compute_slip_with(&input, params).ok())
        .map(|slip| usize::from(!r.rendered_slip(kinerja::i18n::Lang::Id, &slip).lines.is_empty()))
        .sum()
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A time in nanoseconds, in the unit that suits it.
fn human(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.2} us", ns / 1e3)
    }
}

fn tables(h: &Harness, memory: &[MonthSize]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if h.rows.iter().any(|r| r.key == "simulate") {
        let _ = writeln!(out, "\nSimulate the month once (preparation, every command checked; plain timer)\n");
        let _ = writeln!(out, "| employees | time | per event | events/s |");
        let _ = writeln!(out, "|---:|---:|---:|---:|");
    }
    for r in h.rows.iter().filter(|r| r.key == "simulate") {
        if let Outcome::Once(d) = r.outcome {
            let ns = d.as_secs_f64() * 1e9;
            let per = ns / r.records.max(1) as f64;
            let _ = writeln!(
                out,
                "| {} | {} | {:.3} us | {} |",
                city_label(r),
                human(ns),
                per / 1e3,
                group((1e9 / per) as usize)
            );
        }
    }
    for s in STAGES {
        let rows: Vec<&Row> = h.rows.iter().filter(|r| r.key == s.key).collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{} (criterion group `{}`)\n", s.title, s.key);
        let _ = writeln!(
            out,
            "| city (employees) | {}s | median | fastest | per {} (median) | {}s/s | runs |",
            s.per, s.per, s.per
        );
        let _ = writeln!(out, "|---:|---:|---:|---:|---:|---:|---:|");
        for r in rows {
            match &r.outcome {
                Outcome::Measured => match h.estimates(s.key, r.size) {
                    Some((median, fastest, runs)) => figure_row(&mut out, r, median, fastest, &runs.to_string()),
                    None => {
                        let _ = writeln!(
                            out,
                            "| {} | {} | no estimate in {} | | | | |",
                            group(r.size),
                            group(r.records as usize),
                            h.out_dir.display()
                        );
                    }
                },
                Outcome::Plain { median, fastest, runs } => figure_row(
                    &mut out,
                    r,
                    median.as_secs_f64() * 1e9,
                    fastest.as_secs_f64() * 1e9,
                    &match r.chunks {
                        Some((_, count)) => format!("1 a chunk, {count} chunks summed (plain timer)"),
                        None => format!("{runs} (plain timer)"),
                    },
                ),
                Outcome::NotRun(_) => {
                    let _ = writeln!(out, "| {} | | not run (why: below the tables) | | | | |", group(r.size));
                }
                Outcome::Once(_) => {}
            }
        }
    }
    // Why stages did not run, once per size and reason.
    let mut said: Vec<(usize, &str)> = Vec::new();
    for r in &h.rows {
        if let Outcome::NotRun(why) = &r.outcome
            && !said.contains(&(r.size, why.as_str()))
        {
            said.push((r.size, why.as_str()));
            let _ = writeln!(out, "\nNot run at {} employees: {why}.", group(r.size));
        }
    }
    let _ = writeln!(out, "\nThe month's size and memory (peak RSS of the process while the size ran)\n");
    let _ = writeln!(out, "| employees | events | compact journal | peak RSS | per employee |");
    let _ = writeln!(out, "|---:|---:|---:|---:|---:|");
    for m in memory {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            match m.chunk {
                Some(c) => format!("{} (in chunks of {})", group(m.size), group(c)),
                None => group(m.size),
            },
            m.events.map_or("not simulated".into(), |e| group(e as usize)),
            m.journal_bytes.map_or("-".into(), |b| format!("{:.1} MB", b as f64 / 1e6)),
            m.peak_rss.map_or("?".into(), |r| format!("{r:.0} MiB")),
            m.peak_rss.map_or("?".into(), |r| format!("{:.1} KB", r * 1024.0 * 1024.0 / 1000.0 / m.size as f64)),
        );
    }
    out
}

/// The city column of a row: the size, and "(in chunks of N)" when the size ran over
/// the city in chunks, "(one city)" for the whole city generated at such a size.
fn city_label(r: &Row) -> String {
    match r.chunks {
        Some((chunk, _)) => format!("{} (in chunks of {})", group(r.size), group(chunk)),
        None if r.size > whole_max() && r.key == "generate" => format!("{} (one city)", group(r.size)),
        None => group(r.size),
    }
}

/// One measured row of a stage's table: the size, the records, the median and fastest
/// run (nanoseconds), the time per record and records per second, and the runs.
fn figure_row(out: &mut String, r: &Row, median: f64, fastest: f64, runs: &str) {
    use std::fmt::Write as _;
    let per = median / r.records.max(1) as f64;
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {:.3} us | {} | {} |",
        city_label(r),
        group(r.records as usize),
        human(median),
        human(fastest),
        per / 1e3,
        group((1e9 / per.max(1e-3)) as usize),
        runs
    );
}

fn phone_table_text(p: &[(&str, phone::OpFigure)]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ =
        writeln!(out, "\nPhone-sized operations (each call timed alone on a fresh state; the target is under 5 us)\n");
    let _ = writeln!(out, "| operation | median | p90 | fastest | runs |");
    let _ = writeln!(out, "|---|---:|---:|---:|---:|");
    for (name, f) in p {
        let _ = writeln!(
            out,
            "| {name} | {:.2} us | {:.2} us | {:.2} us | {} |",
            us(f.median),
            us(f.p90),
            us(f.fastest),
            f.runs
        );
    }
    out
}
