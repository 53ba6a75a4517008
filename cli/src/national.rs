//! `kinerja national`: the national month generated and paid region by region,
//! with a progress bar on stderr, the totals, records per second and the peak
//! resident memory of the process.

use std::time::Instant;

use kinerja::national::{self, NationalTotals, RegionSummary};
use kinerja::policy::Policy;

use crate::Failure;
use crate::output::emitln;
use crate::pay::rp;

/// The peak resident set size of this process in bytes (`VmHWM` of
/// `/proc/self/status`, Linux), if known.
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Runs the national month and prints its totals (a table, or JSON).
pub fn run(seed: u64, regions: usize, scale: f64, threads: usize, json: bool) -> Result<(), Failure> {
    let plan = national::plan(seed, regions, scale).map_err(|e| Failure::one(e.to_string()))?;
    let planned: u64 = plan.iter().map(|r| r.employees as u64).sum();
    let policy = Policy::national();
    let bar = crate::progress::items(planned, format!("national month, {} regions, employees", plan.len()));
    let t0 = Instant::now();
    let totals = national::run(seed, &plan, threads, &policy, &|s: &RegionSummary| {
        bar.inc(s.counts.employees);
    })
    .map_err(|e| Failure::one(e.to_string()))?;
    let wall = t0.elapsed().as_secs_f64();
    bar.finish_and_clear();
    let peak = peak_rss_bytes();
    let per_sec = totals.totals.records as f64 / wall.max(1e-9);
    if json {
        let out = serde_json::json!({
            "threads": threads,
            "scale": scale,
            "wall_seconds": wall,
            "records_per_second": per_sec,
            "peak_rss_bytes": peak,
            "national": totals,
        });
        emitln(&serde_json::to_string_pretty(&out).unwrap_or_default())
    } else {
        emitln(&report(&totals, threads, wall, per_sec, peak))
    }
}

fn report(t: &NationalTotals, threads: usize, wall: f64, per_sec: f64, peak: Option<u64>) -> String {
    let c = &t.totals;
    let mut out = String::new();
    let mut line = |k: &str, v: String| out.push_str(&format!("{k:<34} {v}\n"));
    line("month", t.month.to_string());
    line("regions", format!("{} (seed {})", t.regions, t.seed));
    line("employees", c.employees.to_string());
    line("activity entries", c.entries.to_string());
    line("clock events", c.clock_events.to_string());
    line("absences", c.absences.to_string());
    line("roll-call marks", c.roll_call_marks.to_string());
    line("records read by the recap", c.records.to_string());
    line("slips paid / not paid", format!("{} / {}", c.paid, c.not_paid));
    line("gross", rp(c.gross));
    line("tax", rp(c.tax));
    line("contribution", rp(c.contribution));
    line("net", rp(c.net));
    for (name, g) in ["PNS", "CPNS", "PPPK"].iter().zip(&c.by_employment) {
        line(&format!("  {name}"), format!("{} employees, {} paid, net {}", g.employees, g.paid, rp(g.net)));
    }
    for (i, g) in c.by_class.iter().enumerate().filter(|(_, g)| g.employees > 0) {
        line(&format!("  class {}", i + 1), format!("{} employees, {} paid, net {}", g.employees, g.paid, rp(g.net)));
    }
    line("threads", threads.to_string());
    line("wall time", format!("{wall:.2} s"));
    line("records per second", format!("{per_sec:.0}"));
    line(
        "peak resident memory (VmHWM)",
        peak.map_or("unknown".into(), |b| format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0))),
    );
    out
}
