//! Fuzzing the Kinerja engine on stable Rust.
//!
//! cargo-fuzz and libFuzzer need a nightly compiler for their coverage
//! instrumentation, which the project's machines do not have. This crate is a small
//! mutation fuzzer that runs on stable: each [`Target`] takes bytes, feeds them to
//! the engine and checks the engine's documented promises (no panic on any input,
//! typed errors, a refused command changes nothing, what loads writes back the
//! same). Instead of coverage it is guided by **outcomes**: a target reports the
//! features of each run (the error code it hit, the command and how it ended), and
//! an input that shows a feature not seen before joins the corpus, so later
//! mutations start from inputs that reached further.
//!
//! Inputs are mutated at the byte level (bit flips, interesting bytes and numbers,
//! deleted, duplicated, inserted and spliced ranges, lines swapped or repeated,
//! tokens of the target's dictionary) and, when they parse as JSON (a dataset, a
//! journal line, a request), at the value level (a node replaced, removed,
//! duplicated or nudged).
//!
//! `cargo test -p kinerja-fuzz` runs every target for a few seconds from a fixed
//! seed (`FUZZ_SECONDS`, `FUZZ_SEED` change that); `cargo run --release -p
//! kinerja-fuzz -- all --seconds 60` is the longer run and prints iterations per
//! second. A failure prints the input (shrunk) and writes it to
//! `target/fuzz-artifacts/`; `kinerja-fuzz replay TARGET FILE` runs it again.

pub mod targets;

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;
use std::time::{Duration, Instant};

use kinerja::generator::SplitMix64;

/// One fuzz target.
pub struct Target {
    /// Its name, e.g. `journal`.
    pub name: &'static str,
    /// What it feeds and what it checks.
    pub about: &'static str,
    /// Valid inputs to start from.
    pub seeds: fn() -> Vec<Vec<u8>>,
    /// Tokens worth inserting (keys, values, magic bytes).
    pub dictionary: &'static [&'static str],
    /// Runs one input; panics when a promise is broken. Pushes the features of the
    /// run (outcomes reached) into the vector.
    pub run: fn(&[u8], &mut Vec<String>),
}

/// How long to fuzz a target.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    /// Wall-clock time.
    pub time: Duration,
    /// Stop after this many executions, if sooner.
    pub max_iterations: Option<u64>,
}

/// What a run found.
#[derive(Debug)]
pub struct Report {
    /// The target.
    pub target: &'static str,
    /// Inputs executed (seeds included).
    pub iterations: u64,
    /// Time spent.
    pub elapsed: Duration,
    /// Inputs in the corpus at the end.
    pub corpus: usize,
    /// Distinct features seen.
    pub features: usize,
    /// The slowest single input, and how long it took.
    pub slowest: Duration,
    /// That input.
    pub slowest_input: Vec<u8>,
    /// The first broken promise, if any.
    pub failure: Option<Failure>,
}

impl Report {
    /// Executions per second.
    pub fn per_second(&self) -> f64 {
        self.iterations as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:<20} {:>9} executions in {:>6.1} s ({:>8.0}/s), corpus {:>4}, features {:>4}, slowest {:>5} ms{}",
            self.target,
            self.iterations,
            self.elapsed.as_secs_f64(),
            self.per_second(),
            self.corpus,
            self.features,
            self.slowest.as_millis(),
            if self.failure.is_some() { ", FAILED" } else { "" }
        )
    }
}

/// A broken promise and the input that broke it.
#[derive(Debug)]
pub struct Failure {
    /// The panic message and where it was raised.
    pub message: String,
    /// The input, shrunk as far as it still fails the same way.
    pub input: Vec<u8>,
    /// The input as first found.
    pub original: Vec<u8>,
    /// Where the input was written, if it could be.
    pub artifact: Option<std::path::PathBuf>,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{}", self.message)?;
        writeln!(f, "input ({} bytes, shrunk from {}):", self.input.len(), self.original.len())?;
        writeln!(f, "{}", show(&self.input))?;
        if let Some(p) = &self.artifact {
            writeln!(f, "written to {}", p.display())?;
        }
        Ok(())
    }
}

/// Bytes for people: the text when it is UTF-8, else hex.
pub fn show(bytes: &[u8]) -> String {
    let shown = &bytes[..bytes.len().min(8192)];
    match std::str::from_utf8(shown) {
        Ok(t) => format!("{t:?}"),
        Err(_) => shown.iter().map(|b| format!("{b:02x}")).collect(),
    }
}

// ---------------------------------------------------------------------------
// Panics: caught, and kept quiet while fuzzing
// ---------------------------------------------------------------------------

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn install_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) {
                let location = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
                let payload = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "panic".to_string());
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{payload}{location}")));
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs one input; `Err` carries the panic message and location.
pub fn execute(target: &Target, input: &[u8], features: &mut Vec<String>) -> Result<(), String> {
    install_hook();
    QUIET.with(|q| q.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(|| (target.run)(input, features)));
    QUIET.with(|q| q.set(false));
    result.map_err(|_| LAST_PANIC.with(|p| p.borrow_mut().take()).unwrap_or_else(|| "panic".into()))
}

/// The location part of a panic message (what "fails the same way" compares).
fn site(message: &str) -> &str {
    message.rsplit_once(" at ").map_or(message, |(_, at)| at)
}

// ---------------------------------------------------------------------------
// The loop
// ---------------------------------------------------------------------------

/// The longest input the mutators make.
pub const MAX_INPUT: usize = 64 * 1024;
const MAX_CORPUS: usize = 4096;

/// Fuzzes `target` from `seed` within `budget`.
pub fn fuzz(target: &Target, seed: u64, budget: Budget) -> Report {
    let started = Instant::now();
    let mut rng = SplitMix64::new(seed ^ 0x6b69_6e65_726a_6100);
    let mut corpus: Vec<Vec<u8>> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut iterations = 0u64;
    let mut slowest = Duration::ZERO;
    let mut slowest_input = Vec::new();
    let mut features = Vec::new();
    let mut failure = None;
    let seeds = (target.seeds)();
    let mut pending = seeds.into_iter();
    loop {
        let from_seed = pending.next();
        let is_seed = from_seed.is_some();
        if !is_seed {
            let over_time = started.elapsed() >= budget.time;
            let over_count = budget.max_iterations.is_some_and(|m| iterations >= m);
            if over_time || over_count || corpus.is_empty() {
                break;
            }
        }
        let input = match from_seed {
            Some(s) => s,
            None => {
                let mut x = corpus[rng.range(0, corpus.len() as i64 - 1) as usize].clone();
                let rounds = 1 + rng.range(0, 3);
                for _ in 0..rounds {
                    mutate(&mut x, &mut rng, &corpus, target.dictionary);
                }
                x
            }
        };
        features.clear();
        let t = Instant::now();
        let outcome = execute(target, &input, &mut features);
        if t.elapsed() > slowest {
            slowest = t.elapsed();
            slowest_input = input.clone();
        }
        iterations += 1;
        if let Err(message) = outcome {
            failure = Some(fail(target, message, input));
            break;
        }
        let mut new = is_seed;
        for f in features.drain(..) {
            if !seen.contains(&f) {
                seen.insert(f);
                new = true;
            }
        }
        if new {
            if corpus.len() < MAX_CORPUS {
                corpus.push(input);
            } else {
                let i = rng.range(0, corpus.len() as i64 - 1) as usize;
                corpus[i] = input;
            }
        }
    }
    Report {
        target: target.name,
        iterations,
        elapsed: started.elapsed(),
        corpus: corpus.len(),
        features: seen.len(),
        slowest,
        slowest_input,
        failure,
    }
}

/// Shrinks a failing input and writes it out.
fn fail(target: &Target, message: String, original: Vec<u8>) -> Failure {
    let input = shrink(target, &original, site(&message));
    let artifact = write_artifact(target.name, &input);
    Failure { message, input, original, artifact }
}

/// Removes ever smaller chunks while the input fails at the same place.
pub fn shrink(target: &Target, input: &[u8], at: &str) -> Vec<u8> {
    let mut best = input.to_vec();
    let mut runs = 0;
    let mut chunk = best.len() / 2;
    let fails = |x: &[u8]| execute(target, x, &mut Vec::new()).err().is_some_and(|m| site(&m) == at);
    while chunk >= 1 && runs < 4000 {
        let mut i = 0;
        let mut shrunk = false;
        while i < best.len() && runs < 4000 {
            let end = (i + chunk).min(best.len());
            let mut candidate = best[..i].to_vec();
            candidate.extend_from_slice(&best[end..]);
            runs += 1;
            if fails(&candidate) {
                best = candidate;
                shrunk = true;
            } else {
                i += chunk;
            }
        }
        if !shrunk {
            chunk /= 2;
        }
    }
    best
}

fn write_artifact(target: &str, input: &[u8]) -> Option<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/fuzz-artifacts");
    std::fs::create_dir_all(&dir).ok()?;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in input {
        h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
    }
    let path = dir.join(format!("{target}-{h:016x}.bin"));
    std::fs::write(&path, input).ok()?;
    Some(path)
}

// ---------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------

const INTERESTING_BYTES: &[u8] = b"\x00\x01\x7f\x80\xff\"\\{}[],:\n 0123456789-.eE+tfnKCE\x0c\x1f\xc3\xa9\xe2\x80\xa8";

const INTERESTING_NUMBERS: &[&str] = &[
    "0",
    "-0",
    "1",
    "-1",
    "255",
    "256",
    "65536",
    "2147483647",
    "2147483648",
    "-2147483649",
    "4294967296",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",
    "1e309",
    "0.5",
    "1.0",
    "99999999999999999999999999999",
    "0.0000000000000000000000000001",
];

fn pick_index(rng: &mut SplitMix64, len: usize) -> usize {
    if len == 0 { 0 } else { rng.range(0, len as i64 - 1) as usize }
}

/// Applies one random mutation to `x`.
pub fn mutate(x: &mut Vec<u8>, rng: &mut SplitMix64, corpus: &[Vec<u8>], dictionary: &[&str]) {
    let len = x.len();
    match rng.range(0, 15) {
        0 if len > 0 => {
            let i = pick_index(rng, len);
            x[i] ^= 1 << rng.range(0, 7);
        }
        1 if len > 0 => {
            let i = pick_index(rng, len);
            x[i] = *rng.pick(INTERESTING_BYTES);
        }
        2 if len > 0 => {
            // Delete a range.
            let i = pick_index(rng, len);
            let most = if rng.chance(80) { 16 } else { len };
            let n = 1 + pick_index(rng, (len - i).min(most));
            x.drain(i..i + n.min(len - i));
        }
        3 if len > 0 => {
            // Duplicate a range in place.
            let i = pick_index(rng, len);
            let n = 1 + pick_index(rng, (len - i).min(64));
            let copy = x[i..i + n].to_vec();
            let at = pick_index(rng, len + 1);
            x.splice(at..at, copy);
        }
        4 => {
            let at = pick_index(rng, len + 1);
            let n = 1 + pick_index(rng, 8);
            let bytes: Vec<u8> = (0..n).map(|_| rng.next_u64() as u8).collect();
            x.splice(at..at, bytes);
        }
        5 | 6 if !dictionary.is_empty() => {
            let token = rng.pick(dictionary).as_bytes().to_vec();
            let at = pick_index(rng, len + 1);
            if rng.chance(50) && len > 0 {
                let n = 1 + pick_index(rng, (len - at.min(len - 1)).min(token.len() + 4));
                let start = at.min(len - 1);
                x.splice(start..(start + n).min(len), token);
            } else {
                x.splice(at..at, token);
            }
        }
        7 if !corpus.is_empty() => {
            // Splice in a range of another input.
            let other = &corpus[pick_index(rng, corpus.len())];
            if !other.is_empty() {
                let i = pick_index(rng, other.len());
                let n = 1 + pick_index(rng, (other.len() - i).min(256));
                let at = pick_index(rng, len + 1);
                let end = (at + pick_index(rng, 32)).min(len);
                x.splice(at..end, other[i..i + n].iter().copied());
            }
        }
        8 if len > 0 => x.truncate(pick_index(rng, len)),
        9 => replace_number(x, rng),
        10 | 11 => lines(x, rng),
        _ => {
            if !json_mutation(x, rng, dictionary) {
                replace_number(x, rng);
            }
        }
    }
    x.truncate(MAX_INPUT);
}

/// Replaces a run of digits by an interesting number.
fn replace_number(x: &mut Vec<u8>, rng: &mut SplitMix64) {
    let starts: Vec<usize> =
        (0..x.len()).filter(|&i| x[i].is_ascii_digit() && (i == 0 || !x[i - 1].is_ascii_digit())).collect();
    if starts.is_empty() {
        return;
    }
    let i = *rng.pick(&starts);
    let mut end = i;
    while end < x.len() && x[end].is_ascii_digit() {
        end += 1;
    }
    let n = rng.pick(INTERESTING_NUMBERS).as_bytes().to_vec();
    x.splice(i..end, n);
}

/// Swaps, repeats or removes a line.
fn lines(x: &mut Vec<u8>, rng: &mut SplitMix64) {
    let mut ls: Vec<Vec<u8>> = x.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    if ls.len() < 2 {
        return;
    }
    let a = pick_index(rng, ls.len());
    let b = pick_index(rng, ls.len());
    match rng.range(0, 2) {
        0 => ls.swap(a, b),
        1 => {
            let l = ls[a].clone();
            ls.insert(b, l);
        }
        _ => {
            ls.remove(a);
        }
    }
    *x = ls.join(&b'\n');
}

/// Mutates one JSON value: the whole input, or one of its lines (a journal or a
/// list of requests). False when nothing parses.
fn json_mutation(x: &mut Vec<u8>, rng: &mut SplitMix64, dictionary: &[&str]) -> bool {
    let Ok(text) = std::str::from_utf8(x) else { return false };
    if let Ok(mut v) = serde_json::from_str::<serde_json::Value>(text) {
        mutate_value(&mut v, rng, dictionary);
        *x = if text.contains("\n  ") {
            serde_json::to_vec_pretty(&v).unwrap_or_default()
        } else {
            serde_json::to_vec(&v).unwrap_or_default()
        };
        return true;
    }
    let mut ls: Vec<String> = text.split('\n').map(str::to_string).collect();
    let parsed: Vec<usize> =
        (0..ls.len()).filter(|&i| serde_json::from_str::<serde_json::Value>(&ls[i]).is_ok()).collect();
    if parsed.is_empty() {
        return false;
    }
    let i = *rng.pick(&parsed);
    if let Ok(mut v) = serde_json::from_str::<serde_json::Value>(&ls[i]) {
        mutate_value(&mut v, rng, dictionary);
        ls[i] = serde_json::to_string(&v).unwrap_or_default();
    }
    *x = ls.join("\n").into_bytes();
    true
}

fn count_nodes(v: &serde_json::Value) -> usize {
    1 + match v {
        serde_json::Value::Array(a) => a.iter().map(count_nodes).sum(),
        serde_json::Value::Object(o) => o.values().map(count_nodes).sum(),
        _ => 0,
    }
}

fn nth_node<'a>(v: &'a mut serde_json::Value, n: &mut usize) -> Option<&'a mut serde_json::Value> {
    if *n == 0 {
        return Some(v);
    }
    *n -= 1;
    match v {
        serde_json::Value::Array(a) => {
            for c in a.iter_mut() {
                if let Some(x) = nth_node(c, n) {
                    return Some(x);
                }
            }
            None
        }
        serde_json::Value::Object(o) => {
            for c in o.values_mut() {
                if let Some(x) = nth_node(c, n) {
                    return Some(x);
                }
            }
            None
        }
        _ => None,
    }
}

fn mutate_value(root: &mut serde_json::Value, rng: &mut SplitMix64, dictionary: &[&str]) {
    use serde_json::Value;
    let total = count_nodes(root);
    let mut n = pick_index(rng, total);
    let Some(node) = nth_node(root, &mut n) else { return };
    let word = if dictionary.is_empty() { "" } else { *rng.pick(dictionary) };
    match rng.range(0, 7) {
        0 => *node = Value::Null,
        1 => *node = Value::from(rng.range(-3, 40)),
        2 => *node = Value::String(word.to_string()),
        3 => match node {
            Value::Array(a) if !a.is_empty() => {
                let i = pick_index(rng, a.len());
                if rng.chance(50) {
                    let c = a[i].clone();
                    a.insert(i, c);
                } else {
                    a.remove(i);
                }
            }
            Value::Object(o) if !o.is_empty() => {
                let keys: Vec<String> = o.keys().cloned().collect();
                let k = rng.pick(&keys).clone();
                if rng.chance(70) {
                    o.remove(&k);
                } else if let Some(v) = o.get(&k).cloned() {
                    o.insert(format!("{k}_"), v);
                }
            }
            _ => *node = Value::Bool(rng.chance(50)),
        },
        4 => match node {
            Value::Number(num) => {
                let v = num.as_i64().unwrap_or(0);
                *node = Value::from(v.saturating_add(rng.range(-2, 2)));
            }
            Value::String(s) => {
                // Nudge a digit of a date, time, NIP or amount.
                let mut b = s.clone().into_bytes();
                let digits: Vec<usize> = (0..b.len()).filter(|&i| b[i].is_ascii_digit()).collect();
                if !digits.is_empty() {
                    let i = *rng.pick(&digits);
                    b[i] = b'0' + (b[i] - b'0' + 1 + rng.range(0, 8) as u8) % 10;
                }
                *s = String::from_utf8(b).unwrap_or_default();
            }
            Value::Bool(b) => *b = !*b,
            _ => *node = Value::String(String::new()),
        },
        5 => {
            let copy = node.clone();
            *node = Value::Array(vec![copy.clone(), copy]);
        }
        _ => {
            *node = Value::String(rng.pick(INTERESTING_NUMBERS).to_string());
        }
    }
}
