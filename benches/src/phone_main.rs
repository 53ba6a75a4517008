//! The phone-sized operations alone ([`phone`]), on the 1,000-employee city and
//! its simulated month: `cargo bench -p kinerja-benches --no-default-features
//! --bench phone`. The stage harness (`benches/stages.sh`) prints the same table
//! after its stages; this one skips the stages, and `benches/compare-phone.sh`
//! builds it against two revisions of the engine to print them side by side.
//!
//! With `KINERJA_PHONE_CACHE=DIR` the city's dataset and its simulated month are
//! read from `DIR/city.json` and `DIR/month.kjb` (written there the first time),
//! so that several runs, and several revisions, measure the same month. The
//! output is the table, and with `--tsv` one line per operation: name, median,
//! p90 and fastest in microseconds, runs.

use std::time::Instant;

use kinerja::YearMonth;
use kinerja::dataset::{City, Dataset};
use kinerja::generator::{GeneratorConfig, generate};
use kinerja::ledger::{JournalFormat, JournalHeader, JournalReader, JournalWriter, Ledger, MonthContext};
use kinerja::policy::Policy;

mod phone;

fn fail(msg: String) -> ! {
    eprintln!("phone: {msg}");
    std::process::exit(1)
}

/// The city's dataset JSON and the compact journal of its simulated month.
fn city_and_month(month: YearMonth, policy: &Policy) -> Result<(String, Vec<u8>), String> {
    let cache = std::env::var_os("KINERJA_PHONE_CACHE").map(std::path::PathBuf::from);
    if let Some(dir) = &cache
        && let (Ok(json), Ok(journal)) =
            (std::fs::read_to_string(dir.join("city.json")), std::fs::read(dir.join("month.kjb")))
    {
        return Ok((json, journal));
    }
    // The stage harness's 1,000-employee city (39 units).
    let config = GeneratorConfig { employees: 1_000, units: 39, ..GeneratorConfig::default() };
    let json = generate(&config).map_err(|e| e.to_string())?.to_json();
    let city = Dataset::load_city(&json).map_err(|e| e.to_string())?;
    let ctx = MonthContext::new(&city, policy, month).map_err(|e| e.to_string())?;
    eprintln!("== simulating the month (once)");
    let t0 = Instant::now();
    let mut writer =
        JournalWriter::new(Vec::new(), JournalFormat::Binary, &JournalHeader::new(month)).map_err(|e| e.to_string())?;
    match kinerja::simulate::simulate_month_streaming(&ctx, 1, true, |e| writer.write(e)) {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => return Err(e.to_string()),
        Err(e) => return Err(e.to_string()),
    }
    let journal = writer.finish().map_err(|e| e.to_string())?;
    eprintln!("   {:.1} s", t0.elapsed().as_secs_f64());
    if let Some(dir) = &cache {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        std::fs::write(dir.join("city.json"), &json).map_err(|e| e.to_string())?;
        std::fs::write(dir.join("month.kjb"), &journal).map_err(|e| e.to_string())?;
    }
    Ok((json, journal))
}

fn main() {
    let test = !std::env::args().any(|a| a == "--bench") || std::env::args().any(|a| a == "--test");
    let tsv = std::env::args().any(|a| a == "--tsv");
    let month = YearMonth::new(2026, 10).unwrap_or_else(|| fail("month".into()));
    let policy = Policy::national();
    let (json, journal) = city_and_month(month, &policy).unwrap_or_else(|e| fail(e));
    let city: City = Dataset::load_city(&json).unwrap_or_else(|e| fail(e.to_string()));
    let ctx = MonthContext::new(&city, &policy, month).unwrap_or_else(|e| fail(e.to_string()));
    let (ledger, _) = JournalReader::new(journal.as_slice())
        .map_err(|e| e.to_string())
        .and_then(|r| Ledger::from_reader(&ctx, r, false).map_err(|e| e.to_string()))
        .unwrap_or_else(|e| fail(format!("the journal does not replay: {e}")));
    let figures = phone::measure(&city, &journal, &ledger, month, test).unwrap_or_else(|e| fail(e));
    let us = |d: std::time::Duration| d.as_secs_f64() * 1e6;
    if tsv {
        for (name, f) in &figures {
            println!("{name}\t{:.3}\t{:.3}\t{:.3}\t{}", us(f.median), us(f.p90), us(f.fastest), f.runs);
        }
        return;
    }
    println!("\nPhone-sized operations (each timed alone; the target is under 5 us)\n");
    println!("| operation | median | p90 | fastest | runs |");
    println!("|---|---:|---:|---:|---:|");
    for (name, f) in &figures {
        println!("| {name} | {:.2} us | {:.2} us | {:.2} us | {} |", us(f.median), us(f.p90), us(f.fastest), f.runs);
    }
}
