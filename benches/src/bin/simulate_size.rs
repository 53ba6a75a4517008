//! One city's month at a chosen size: the time to generate the city and simulate its
//! month, and what the month's memory is made of (the resident memory each step adds
//! while everything before it is still held). What `perf record` profiles when the
//! simulation is slow.
//!
//! ```text
//! cargo build --profile profiling -p kinerja-benches --no-default-features --bin simulate-size
//! target/profiling/simulate-size 25000            # time and memory, step by step
//! perf record -g target/profiling/simulate-size 25000
//! ```

use std::time::Instant;

use kinerja::YearMonth;
use kinerja::dataset::Dataset;
use kinerja::generator::{GeneratorConfig, generate};
use kinerja::ledger::{JournalFormat, JournalHeader, JournalReader, JournalWriter, Ledger, MonthContext};
use kinerja::policy::Policy;

/// A line of /proc/self/status, in MiB.
fn status_mib(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with(field)).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .unwrap_or(0.0)
        / 1024.0
}

fn fail(msg: String) -> ! {
    eprintln!("simulate-size: {msg}");
    std::process::exit(1)
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.replace('_', "").parse().ok()).unwrap_or(5_925);
    let units = (n * 39 / 5_925).max(39);
    let mut last = status_mib("VmRSS:");
    let mut step = |what: &str, extra: String| {
        let now = status_mib("VmRSS:");
        println!(
            "  {what:<44} RSS {now:>8.0} MiB  (+{:>7.0} MiB, {:>6.1} KB an employee){extra}",
            now - last,
            (now - last) * 1024.0 * 1024.0 / 1000.0 / n as f64
        );
        last = now;
    };
    println!("{n} employees, {units} units");
    let t0 = Instant::now();
    let config = GeneratorConfig { employees: n, units, ..GeneratorConfig::default() };
    let dataset = generate(&config).unwrap_or_else(|e| fail(e.to_string()));
    step("generated dataset", format!("  {:.2} s", t0.elapsed().as_secs_f64()));
    let json = dataset.to_json();
    drop(dataset);
    step("dataset JSON (the dataset freed)", format!("  {:.1} MB", json.len() as f64 / 1e6));
    let city = Dataset::load_city(&json).unwrap_or_else(|e| fail(e.to_string()));
    drop(json);
    step("city loaded (the JSON freed)", String::new());
    let policy = Policy::national();
    let month = YearMonth::new(2026, 10).unwrap_or_else(|| fail("month".into()));
    let ctx = MonthContext::new(&city, &policy, month).unwrap_or_else(|e| fail(e.to_string()));
    step("month context", String::new());
    let t1 = Instant::now();
    let header = JournalHeader::new(month);
    let mut writer =
        JournalWriter::new(Vec::new(), JournalFormat::Binary, &header).unwrap_or_else(|e| fail(e.to_string()));
    let (streaming, _) = match kinerja::simulate::simulate_month_streaming(&ctx, 1, true, |e| writer.write(e)) {
        Ok(Ok(x)) => x,
        Ok(Err(e)) => fail(e.to_string()),
        Err(e) => fail(e.to_string()),
    };
    let events = streaming.head().seq;
    let simulated = t1.elapsed();
    let journal = writer.finish().unwrap_or_else(|e| fail(e.to_string()));
    step(
        "simulated: streaming ledger + compact journal",
        format!(
            "  {events} events in {:.2} s ({:.3} us an event); journal {:.1} MB ({:.1} bytes an event)",
            simulated.as_secs_f64(),
            simulated.as_secs_f64() * 1e6 / events.max(1) as f64,
            journal.len() as f64 / 1e6,
            journal.len() as f64 / events.max(1) as f64
        ),
    );
    drop(streaming);
    step("streaming ledger freed", String::new());
    let t2 = Instant::now();
    let ledger = JournalReader::new(journal.as_slice())
        .map_err(|e| e.to_string())
        .and_then(|r| {
            Ledger::from_reader(&ctx, r.with_len_hint(journal.len() as u64), false).map_err(|e| e.to_string())
        })
        .map(|(l, _)| l)
        .unwrap_or_else(|e| fail(e));
    step("ledger replayed from the journal", format!("  {:.2} s", t2.elapsed().as_secs_f64()));
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
    let recap = kinerja::recap::monthly_recap(&ledger, &ctx, as_of).unwrap_or_else(|e| fail(e.to_string()));
    step("recap", String::new());
    drop(journal);
    step("journal freed", String::new());
    drop(ledger);
    step("ledger freed", String::new());
    let pay = kinerja::payroll::pay_amounts(&city, &ctx, &recap, &policy).unwrap_or_else(|e| fail(e.to_string()));
    step("pay_amounts", format!("  {} slips", pay.amounts.slips.len()));
    println!(
        "  peak RSS {:.0} MiB ({:.1} KB an employee)",
        status_mib("VmHWM:"),
        status_mib("VmHWM:") * 1048.576 / n as f64
    );
}
