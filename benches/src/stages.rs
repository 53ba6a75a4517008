//! The stages of a city's month, timed at several city sizes, so that the growth
//! of each stage's cost with the size of the city is visible.
//!
//! ```text
//! cargo bench -p kinerja-benches --bench stages                      # 1k, 5,925, 25k
//! KINERJA_BENCH_SIZES=all cargo bench -p kinerja-benches --bench stages   # + 100k, 1M
//! KINERJA_BENCH_SIZES=1000,100000 cargo bench -p kinerja-benches --bench stages
//! ```
//!
//! For each size the harness generates a city (timed: the generator must be
//! linear), writes its dataset JSON, simulates a month of daily work once (every
//! command checked) into a compact journal held in memory, then times each stage
//! of [`STAGES`] several times (`KINERJA_BENCH_RUNS`, default: fewer runs for
//! larger cities) and prints, stage by stage, a table with one row per size:
//! median and fastest time, time per record and records per second. The records
//! of a stage are employees, journal events or slips (the table says which).
//! Then the phone-sized operations ([`phone`]): one activity checked and logged,
//! one entry verified, one employee's month recomputed, each timed one by one.
//!
//! With `-- --test` (or run by `cargo test`, without `--bench`) the harness runs
//! its smallest size once with one run of each stage and checks that every stage
//! did its work (a stage that produces nothing, or a phone operation that is
//! refused, fails the run): `scripts/test-all.sh` runs
//! `cargo bench -p kinerja-benches --no-default-features --bench stages -- --test`,
//! so the benchmarks cannot rot. Times are printed, never asserted.
//!
//! Why not divan or criterion: both order benchmarks stage by stage, so every
//! stage would need every city (and its simulated month) at hand or built again;
//! a 1M-employee month takes minutes to simulate and gigabytes to hold. This
//! harness builds each size once, runs every stage on it, frees it, and moves to
//! the next size.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use kinerja::YearMonth;
use kinerja::dataset::{City, Dataset};
use kinerja::generator::{GeneratorConfig, generate};
use kinerja::ledger::{JournalFormat, JournalHeader, JournalReader, JournalWriter, Ledger, MonthContext};
use kinerja::policy::Policy;
use kinerja::recap::{MonthlyRecap, monthly_recap};

mod phone;

/// Everything a stage may read: the city's dataset JSON, the loaded city, its
/// month (context, compact journal, the replayed ledger, the recap, the payroll).
pub struct Month<'a> {
    /// The dataset as JSON, as a city's export writes it.
    pub json: &'a str,
    /// The loaded city.
    pub city: &'a City,
    /// The policy in force (the national baseline).
    pub policy: &'a Policy,
    /// The month's context.
    pub ctx: &'a MonthContext<'a>,
    /// The month's compact journal (`.kjb`), as the record-keeper stores it.
    pub journal: &'a [u8],
    /// The month's events.
    pub events: u64,
    /// The ledger replayed from the journal.
    pub ledger: &'a Ledger,
    /// The month's recap as of the end of the following month.
    pub recap: &'a MonthlyRecap,
    /// The month's payroll (slips with their explanations).
    pub payroll: &'a kinerja::payroll::CityPayroll,
}

/// What a stage's records are.
#[derive(Clone, Copy)]
enum Per {
    Employee,
    Event,
    Slip,
}

impl Per {
    fn count(self, m: &Month<'_>) -> u64 {
        match self {
            Per::Employee => m.city.organisation.employees().len() as u64,
            Per::Event => m.events,
            Per::Slip => m.payroll.slips.len() as u64,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Per::Employee => "employees",
            Per::Event => "events",
            Per::Slip => "slips",
        }
    }
}

/// One stage: a name, what its records are, and the work (returning how many
/// things it produced, which must not be zero).
struct Stage {
    name: &'static str,
    per: Per,
    run: fn(&Month<'_>) -> usize,
}

const fn stage(name: &'static str, per: Per, run: fn(&Month<'_>) -> usize) -> Stage {
    Stage { name, per, run }
}

/// The recap's as-of date: the end of the month after (every deadline passed).
fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default()
}

/// The stages, in the order of a month's processing. Adding a stage is one line.
const STAGES: &[Stage] = &[
    stage("load: dataset JSON -> City (parse + validate)", Per::Employee, |m| {
        Dataset::load_city(m.json).map_or(0, |c| c.organisation.employees().len())
    }),
    stage("month context (calendar, policy per day)", Per::Employee, |m| {
        MonthContext::new(m.city, m.policy, m.ctx.month).map_or(0, |c| c.city.organisation.employees().len())
    }),
    stage("journal: decode + verify the chain", Per::Event, |m| {
        kinerja::ledger::verify(m.journal, None).map_or(0, |v| v.events as usize)
    }),
    stage("journal: decode + verify + replay (every check)", Per::Event, |m| {
        JournalReader::new(m.journal)
            .ok()
            .and_then(|r| Ledger::from_reader(m.ctx, r.with_len_hint(m.journal.len() as u64), false).ok())
            .map_or(0, |(l, _)| l.head().seq as usize)
    }),
    stage("recap (entries, attendance, roll calls)", Per::Employee, |m| {
        monthly_recap(m.ledger, m.ctx, as_of()).map_or(0, |r| r.employees.len())
    }),
    stage("recap before the month sheet (whole-state scan)", Per::Employee, |m| {
        kinerja::recap::reference::monthly_recap(m.ledger, m.ctx, as_of()).map_or(0, |r| r.employees.len())
    }),
    stage("attendance to discipline: allowance inputs", Per::Employee, |m| {
        kinerja::payroll::allowance_inputs(m.city, m.ctx, m.recap).len()
    }),
    stage("allowance: pay the city (slips + totals)", Per::Employee, |m| {
        kinerja::payroll::pay_city(m.city, m.ctx, m.recap, m.policy).map_or(0, |p| p.slips.len())
    }),
    stage("allowance: every slip's amounts (pay_amounts)", Per::Employee, |m| {
        kinerja::payroll::pay_amounts(m.city, m.ctx, m.recap, m.policy).map_or(0, |p| p.amounts.slips.len())
    }),
    stage("explanation on demand: render every slip (id)", Per::Slip, |m| {
        let r = kinerja::i18n::Renderer::new();
        m.payroll.slips.iter().map(|s| r.rendered_slip(kinerja::i18n::Lang::Id, s).lines.len().min(1)).sum()
    }),
    stage("end to end: JSON + journal -> every slip", Per::Employee, end_to_end),
];

/// From the dataset JSON and the compact journal to every slip: load the city,
/// build the month's context, replay the journal with every check, recap, pay.
fn end_to_end(m: &Month<'_>) -> usize {
    let Ok(city) = Dataset::load_city(m.json) else { return 0 };
    let Ok(ctx) = MonthContext::new(&city, m.policy, m.ctx.month) else { return 0 };
    let Ok(Ok((ledger, _))) = JournalReader::new(m.journal)
        .map(|r| Ledger::from_reader(&ctx, r.with_len_hint(m.journal.len() as u64), false))
    else {
        return 0;
    };
    let Ok(recap) = monthly_recap(&ledger, &ctx, as_of()) else { return 0 };
    kinerja::payroll::pay_city(&city, &ctx, &recap, m.policy).map_or(0, |p| p.slips.len())
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

/// Runs of each stage at `n` employees: `KINERJA_BENCH_RUNS`, or 7 up to 25k,
/// 3 at 100k, 1 above.
fn runs(n: usize, test: bool) -> usize {
    if test {
        return 1;
    }
    if let Some(r) = std::env::var("KINERJA_BENCH_RUNS").ok().and_then(|r| r.parse().ok()) {
        return r;
    }
    match n {
        0..=25_000 => 7,
        25_001..=100_000 => 3,
        _ => 1,
    }
}

/// The units of a city of `n` employees: Banda Aceh's 39 up to its size, then
/// as many as keep its ~152 employees a unit, so that a larger city has more
/// units of the same shape rather than giant ones.
fn units(n: usize) -> usize {
    (n * 39 / 5_925).max(39)
}

/// One measured figure.
struct Figure {
    size: usize,
    median: Duration,
    fastest: Duration,
    records: u64,
    runs: usize,
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs.max(1) {
        let t0 = Instant::now();
        let out = black_box(f());
        times.push(t0.elapsed());
        last = Some(out);
    }
    times.sort();
    match last {
        Some(out) => (times[times.len() / 2], times[0], out),
        None => unreachable!("at least one run"),
    }
}

fn fail(msg: String) -> ! {
    eprintln!("stages: {msg}");
    std::process::exit(1)
}

/// The CPU time this thread has run, in nanoseconds (Linux: /proc/thread-self/schedstat).
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
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

#[derive(Default)]
struct Tables {
    generate: Vec<Figure>,
    simulate: Vec<Figure>,
    stages: Vec<Vec<Figure>>,
    memory: Vec<(usize, u64, u64, Option<f64>)>,
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test` runs the harness as a test, and
    // so does `cargo bench ... -- --test` (a release build: what scripts/test-all.sh runs).
    let test = !std::env::args().any(|a| a == "--bench") || std::env::args().any(|a| a == "--test");
    let sizes = sizes(test).unwrap_or_else(|e| fail(e));
    let mut tables = Tables { stages: STAGES.iter().map(|_| Vec::new()).collect(), ..Tables::default() };
    let policy = Policy::national();
    let month = YearMonth::new(2026, 10).unwrap_or_else(|| fail("month".into()));
    println!(
        "Kinerja stages, {} (sizes {:?}; {})",
        month,
        sizes,
        if test { "test mode: one run each" } else { "release build" }
    );
    for (si, &n) in sizes.iter().enumerate() {
        reset_peak_rss();
        let runs = runs(n, test);
        let config = GeneratorConfig { employees: n, units: units(n), ..GeneratorConfig::default() };
        eprintln!("== {n} employees, {} units: generating", config.units);
        let (median, fastest, dataset) = time(runs.min(3), || generate(&config));
        let dataset = dataset.unwrap_or_else(|e| fail(format!("the generator refuses {n} employees: {e}")));
        tables.generate.push(Figure { size: n, median, fastest, records: n as u64, runs: runs.min(3) });
        let json = dataset.to_json();
        drop(dataset);
        let city = Dataset::load_city(&json).unwrap_or_else(|e| fail(format!("the generated city does not load: {e}")));
        let ctx = MonthContext::new(&city, &policy, month).unwrap_or_else(|e| fail(format!("context: {e}")));

        eprintln!("== {n} employees: simulating the month (once)");
        let t0 = Instant::now();
        let header = JournalHeader::new(month);
        let mut writer = JournalWriter::new(Vec::new(), JournalFormat::Binary, &header)
            .unwrap_or_else(|e| fail(format!("journal: {e}")));
        let simulated = kinerja::simulate::simulate_month_streaming(&ctx, 1, true, |e| writer.write(e));
        let (sim_ledger, _) = match simulated {
            Ok(Ok(x)) => x,
            Ok(Err(e)) => fail(format!("journal: {e}")),
            Err(e) => fail(format!("simulate: {e}")),
        };
        let events = sim_ledger.head().seq;
        drop(sim_ledger);
        let journal = writer.finish().unwrap_or_else(|e| fail(format!("journal: {e}")));
        let elapsed = t0.elapsed();
        tables.simulate.push(Figure { size: n, median: elapsed, fastest: elapsed, records: events, runs: 1 });

        let (ledger, _) = JournalReader::new(journal.as_slice())
            .map_err(|e| e.to_string())
            .and_then(|r| Ledger::from_reader(&ctx, r, false).map_err(|e| e.to_string()))
            .unwrap_or_else(|e| fail(format!("the journal does not replay: {e}")));
        let recap = monthly_recap(&ledger, &ctx, as_of()).unwrap_or_else(|e| fail(format!("recap: {e}")));
        let payroll =
            kinerja::payroll::pay_city(&city, &ctx, &recap, &policy).unwrap_or_else(|e| fail(format!("payroll: {e}")));
        let m = Month {
            json: &json,
            city: &city,
            policy: &policy,
            ctx: &ctx,
            journal: &journal,
            events,
            ledger: &ledger,
            recap: &recap,
            payroll: &payroll,
        };
        // KINERJA_BENCH_STAGES=text times only the stages whose name holds it (e.g. `recap`).
        let only = std::env::var("KINERJA_BENCH_STAGES").unwrap_or_default();
        for (k, s) in STAGES.iter().enumerate() {
            if !s.name.contains(only.as_str()) {
                continue;
            }
            eprintln!("== {n} employees: {}", s.name);
            let cpu0 = thread_cpu_ns();
            let (median, fastest, out) = time(runs, || (s.run)(&m));
            // On a shared machine the wall clock counts the waits for a core; the
            // thread's own CPU time (Linux scheduler statistics) does not.
            let cpu = cpu0.zip(thread_cpu_ns()).map(|(a, b)| b.saturating_sub(a) as f64 / 1e6 / runs.max(1) as f64);
            if out == 0 {
                fail(format!("stage {:?} did nothing at {n} employees", s.name));
            }
            let records = s.per.count(&m);
            eprintln!(
                "   median {:.2} ms, fastest {:.2} ms, CPU {} ms a run, {records} {}",
                ms(median),
                ms(fastest),
                cpu.map_or("?".into(), |c| format!("{c:.2}")),
                s.per.name()
            );
            tables.stages[k].push(Figure { size: n, median, fastest, records, runs });
        }
        if si == 0 {
            eprintln!("== phone-sized operations (on the {n}-employee city)");
            let p = phone::measure(&city, &ledger, month, test).unwrap_or_else(|e| fail(format!("phone: {e}")));
            println!("\nPhone-sized operations (each timed alone; the target is under 5 us)\n");
            println!("| operation | median | p90 | fastest | runs |");
            println!("|---|---:|---:|---:|---:|");
            for (name, f) in &p {
                println!(
                    "| {name} | {:.2} us | {:.2} us | {:.2} us | {} |",
                    us(f.median),
                    us(f.p90),
                    us(f.fastest),
                    f.runs
                );
            }
        }
        tables.memory.push((n, events, journal.len() as u64, peak_rss_mib()));
    }
    print_tables(&tables);
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
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

fn table(title: &str, per: &str, rows: &[Figure]) {
    println!("\n{title}\n");
    println!("| employees | median | fastest | per {per} (median) | {per}/s | runs |");
    println!("|---:|---:|---:|---:|---:|---:|");
    for f in rows {
        let secs = f.median.as_secs_f64().max(1e-12);
        let rate = f.records as f64 / secs;
        println!(
            "| {} | {:.2} ms | {:.2} ms | {:.3} us | {} | {} |",
            group(f.size),
            ms(f.median),
            ms(f.fastest),
            us(f.median) / f.records.max(1) as f64,
            group(rate as usize),
            f.runs
        );
    }
}

fn print_tables(t: &Tables) {
    table("Generate the city (linear: the time per employee stays flat)", "employee", &t.generate);
    table("Simulate the month once (every command checked; records are events)", "event", &t.simulate);
    for (s, rows) in STAGES.iter().zip(&t.stages).filter(|(_, rows)| !rows.is_empty()) {
        let per = s.per.name();
        table(&format!("{} ({per})", s.name), per.trim_end_matches('s'), rows);
    }
    println!("\nThe month's size and memory\n");
    println!("| employees | events | compact journal | peak RSS |");
    println!("|---:|---:|---:|---:|");
    for (n, events, bytes, rss) in &t.memory {
        println!(
            "| {} | {} | {:.1} MB | {} |",
            group(*n),
            group(*events as usize),
            *bytes as f64 / 1e6,
            rss.map_or("?".into(), |r| format!("{r:.0} MiB"))
        );
    }
}
