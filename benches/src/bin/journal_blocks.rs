//! How many SHA-256 blocks the chain of a journal hashes, in each canonical
//! version (2 and 3), and how many events take one, two, three and more:
//! `cargo run --release -p kinerja-benches --no-default-features --bin journal-blocks -- JOURNAL`
//! (e.g. the month `KINERJA_BENCH_JOURNAL` names). An event hashes
//! `32 (prev) + canonical bytes + 9 (padding)` rounded up to 64 bytes.

use kinerja::ledger::JournalReader;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: journal-blocks JOURNAL");
        std::process::exit(2);
    };
    let file = match std::fs::File::open(&path) {
        Ok(f) => std::io::BufReader::new(f),
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let reader = match JournalReader::new(file) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let mut blocks = [0u64; 2];
    let mut bytes = [0u64; 2];
    let mut by_count = [[0u64; 4]; 2];
    let mut events = 0u64;
    for e in reader {
        let Ok(e) = e else {
            eprintln!("{path}: a record does not read");
            std::process::exit(1);
        };
        events += 1;
        for (i, version) in [2u8, 3].into_iter().enumerate() {
            let len = e.canonical_bytes_in(version).len();
            let n = (32 + len + 9).div_ceil(64);
            blocks[i] += n as u64;
            bytes[i] += len as u64;
            by_count[i][(n - 1).min(3)] += 1;
        }
    }
    println!("{events} events");
    for (i, version) in [2, 3].into_iter().enumerate() {
        let [one, two, three, more] = by_count[i];
        println!(
            "version {version}: {} SHA-256 blocks, {} canonical bytes; events of 1 block: {one}, 2: {two}, 3: {three}, more: {more}",
            blocks[i], bytes[i]
        );
    }
}
