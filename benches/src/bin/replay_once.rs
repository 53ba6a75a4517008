//! Replays Banda Aceh's month once from its compact journal (load + verify the
//! chain + replay every event with its checks, `Ledger::from_reader`), and nothing
//! else worth counting: what `benches/callgrind-replay.sh` runs under callgrind's
//! cache model, where it counts instructions and cache misses inside
//! `Ledger::from_reader` only.
//!
//! ```text
//! cargo build --profile profiling -p kinerja-benches --no-default-features --bin replay-once
//! target/profiling/replay-once target/compare/month.kjb
//! ```
//!
//! The journal is read from the path given, or simulated (the national policy, seed
//! 1, the month closed, as `kinerja-benches --journal` does) and written there first.
//! It uses only the engine's public API, so an older revision can be built with it.

use kinerja::YearMonth;
use kinerja::dataset::Dataset;
use kinerja::generator::{GeneratorConfig, generate};
use kinerja::ledger::{JournalReader, Ledger, MonthContext};
use kinerja::policy::Policy;
use kinerja::simulate::simulate_month;

fn fail(msg: String) -> ! {
    eprintln!("replay-once: {msg}");
    std::process::exit(1)
}

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| fail("usage: replay-once JOURNAL.kjb".into()));
    let config = GeneratorConfig::default();
    let json = generate(&config).unwrap_or_else(|e| fail(format!("generator: {e}"))).to_json();
    let city = Dataset::load_city(&json).unwrap_or_else(|e| fail(format!("the generated city: {e}")));
    // Freed before the replay, as the command line frees the dataset's text: glibc
    // then serves later blocks of up to that size from its heap, where a vector
    // that grows is copied (not moved by mremap), as in any process that has
    // freed large blocks before.
    drop(json);
    let policy = Policy::national();
    let month = YearMonth::new(2026, 10).unwrap_or_else(|| fail("October 2026".into()));
    let ctx = MonthContext::new(&city, &policy, month).unwrap_or_else(|e| fail(format!("context: {e}")));
    let bin = match std::fs::read(&path) {
        Ok(bin) => bin,
        Err(_) => {
            let (ledger, _) = simulate_month(&ctx, 1, true).unwrap_or_else(|e| fail(format!("simulate: {e}")));
            let bin = ledger.journal().to_binary();
            std::fs::write(&path, &bin).unwrap_or_else(|e| fail(format!("{path}: {e}")));
            bin
        }
    };
    let reader = JournalReader::new(bin.as_slice()).unwrap_or_else(|e| fail(format!("{path}: {e}")));
    let (ledger, _) = Ledger::from_reader(&ctx, reader.with_len_hint(bin.len() as u64), false)
        .unwrap_or_else(|e| fail(format!("{path}: {e}")));
    println!("{path}: replayed to event {}", ledger.head().seq);
    // The month is not freed: freeing it is not what is counted.
    std::mem::forget(ledger);
}
