//! Runs the fuzz targets for longer than `cargo test` does.
//!
//! ```sh
//! cargo run --release -p kinerja-fuzz -- all --seconds 60        # every target, 60 s each
//! cargo run --release -p kinerja-fuzz -- journal --seconds 600 --seed 7
//! cargo run --release -p kinerja-fuzz -- replay journal target/fuzz-artifacts/journal-....bin
//! cargo run --release -p kinerja-fuzz -- list
//! ```
//!
//! Prints, per target, the executions, executions per second, corpus size and
//! features reached; exits 1 when a target breaks a promise (the input is printed
//! and written to `target/fuzz-artifacts/`).

use std::process::ExitCode;
use std::time::Duration;

use kinerja_fuzz::{Budget, fuzz, targets};

fn usage() -> ExitCode {
    eprintln!(
        "usage: kinerja-fuzz (all | TARGET...) [--seconds N] [--iterations N] [--seed N]\n       kinerja-fuzz replay TARGET FILE\n       kinerja-fuzz list"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut names = Vec::new();
    let mut seconds = 10.0f64;
    let mut iterations = None;
    let mut seed = 1u64;
    let mut i = 0;
    while i < args.len() {
        let value = |i: usize| args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--seconds" => match value(i).parse() {
                Ok(v) => seconds = v,
                Err(_) => return usage(),
            },
            "--iterations" => match value(i).parse() {
                Ok(v) => iterations = Some(v),
                Err(_) => return usage(),
            },
            "--seed" => match value(i).parse() {
                Ok(v) => seed = v,
                Err(_) => return usage(),
            },
            "list" => {
                for t in targets::all() {
                    println!("{:<16} {}", t.name, t.about);
                }
                return ExitCode::SUCCESS;
            }
            "replay" => {
                let (Some(t), Some(file)) = (args.get(i + 1).and_then(|n| targets::by_name(n)), args.get(i + 2)) else {
                    return usage();
                };
                let Ok(input) = std::fs::read(file) else {
                    eprintln!("cannot read {file}");
                    return ExitCode::from(2);
                };
                let mut features = Vec::new();
                return match kinerja_fuzz::execute(&t, &input, &mut features) {
                    Ok(()) => {
                        println!("{}: passes; features {features:?}", t.name);
                        ExitCode::SUCCESS
                    }
                    Err(m) => {
                        println!("{}: FAILS: {m}", t.name);
                        ExitCode::from(1)
                    }
                };
            }
            name => {
                names.push(name.to_string());
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    let chosen: Vec<_> = if names.iter().any(|n| n == "all") || names.is_empty() {
        targets::all()
    } else {
        let mut v = Vec::new();
        for n in &names {
            match targets::by_name(n) {
                Some(t) => v.push(t),
                None => {
                    eprintln!("unknown target `{n}` (kinerja-fuzz list)");
                    return ExitCode::from(2);
                }
            }
        }
        v
    };
    let budget = Budget { time: Duration::from_secs_f64(seconds), max_iterations: iterations };
    let mut failed = false;
    let mut total = 0u64;
    for t in &chosen {
        let report = fuzz(t, seed, budget);
        println!("{report}");
        total += report.iterations;
        if let Some(f) = &report.failure {
            failed = true;
            println!("{}: {f}", t.name);
        }
    }
    println!("total: {total} executions, seed {seed}");
    if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
}
