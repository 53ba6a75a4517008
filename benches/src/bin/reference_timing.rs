//! Times Kinerja's recap + payroll of one month from the loaded record, for
//! `benches/compare-references.sh`, which times the pandas and SQLite references on the
//! same month's flat tables and prints the ratios.
//!
//! `reference-timing DATASET JOURNAL MONTH [RUNS]`: loads the city and replays the
//! journal once (not timed: the references' loading of their tables is not timed
//! either), then runs the recap and the payroll RUNS times (default 5) and prints
//! `kinerja_ms=<best> median_ms=<median> pay_ms=<best> pay_median_ms=<median> recap_ms=<best>
//! recap_first_ms=<first> plan_ms=<ms> oneshot_pay_ms=<best> slips=<n> runs=<RUNS>` on stdout:
//! `kinerja_ms` is the recap and the pay together, `pay_ms` the pay step alone (from the
//! recap to every slip's amounts, `PayPlan::pay_amounts` with the month's plan made once
//! before the runs, as a service holding the month keeps it) and `recap_ms` the recap
//! alone, timed in the same runs; `plan_ms` is the making of the plan (binding the policy,
//! indexing the records: once a month) and `oneshot_pay_ms` the best of RUNS calls of
//! `payroll::pay_amounts`, which makes the plan every call, timed after the runs.
//! The ledger keeps the lines a recap judged and the next recap copies those of
//! employees no event touched since (`recap::monthly_recap`): the timed runs recap a
//! month already recapped once, and `recap_first_ms` is that first recap after the
//! replay, which judges every employee's days (timed apart, before the runs);
//! `recap_cold_ms` (best) and `recap_cold_median_ms` time that cold recap RUNS more
//! times, the kept lines forgotten before each (`recap::reference::forget_lines`).
//! With `KINERJA_PROFILE_RECAP=N` the cold recap runs N more times, untimed, for a
//! profiler or for its CPU time (`benches/recap-cpu.sh`). With `KINERJA_PROFILE_PAY=N` the pay step runs N more times,
//! untimed, for a profiler.

use std::time::Instant;

use kinerja::YearMonth;
use kinerja::dataset::Dataset;
use kinerja::ledger::{JournalReader, Ledger, MonthContext};
use kinerja::policy::Policy;

fn fail(message: String) -> ! {
    eprintln!("reference-timing: {message}");
    std::process::exit(1)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dataset, journal, month, rest @ ..] = args.as_slice() else {
        fail("usage: reference-timing DATASET JOURNAL MONTH [RUNS]".into())
    };
    let runs: usize = rest.first().map_or(Ok(5), |r| r.parse()).unwrap_or_else(|e| fail(format!("RUNS: {e}")));
    let month: YearMonth = month.parse().unwrap_or_else(|e| fail(format!("MONTH: {e}")));
    let text = std::fs::read_to_string(dataset).unwrap_or_else(|e| fail(format!("{dataset}: {e}")));
    let city = Dataset::load_city(&text).unwrap_or_else(|e| fail(format!("{dataset}: {e}")));
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, month).unwrap_or_else(|e| fail(format!("context: {e}")));
    let file = std::fs::File::open(journal).unwrap_or_else(|e| fail(format!("{journal}: {e}")));
    let reader = JournalReader::new(std::io::BufReader::new(file)).unwrap_or_else(|e| fail(format!("{journal}: {e}")));
    let (ledger, _) = Ledger::from_reader(&ctx, reader, false).unwrap_or_else(|e| fail(format!("{journal}: {e}")));
    let as_of = ctx.settled_on();
    let t = Instant::now();
    let first = kinerja::recap::monthly_recap(&ledger, &ctx, as_of).unwrap_or_else(|e| fail(format!("recap: {e}")));
    let first_ms = t.elapsed().as_secs_f64() * 1000.0;
    drop(std::hint::black_box(first));
    // The cold recap again RUNS times (the kept lines forgotten before each): what
    // `kinerja tpp` and any fresh load pay, timed on the clock;
    // benches/recap-cpu.sh measures its CPU time with KINERJA_PROFILE_RECAP.
    let mut cold_times = Vec::with_capacity(runs.max(1));
    for _ in 0..runs.max(1) {
        kinerja::recap::reference::forget_lines(&ledger, &ctx);
        let t = Instant::now();
        let recap = kinerja::recap::monthly_recap(&ledger, &ctx, as_of).unwrap_or_else(|e| fail(format!("recap: {e}")));
        cold_times.push(t.elapsed().as_secs_f64() * 1000.0);
        drop(std::hint::black_box(recap));
    }
    // KINERJA_PROFILE_RECAP=N: N more cold recaps, untimed, for a profiler.
    if let Some(n) = std::env::var("KINERJA_PROFILE_RECAP").ok().and_then(|v| v.parse::<usize>().ok()) {
        for _ in 0..n {
            kinerja::recap::reference::forget_lines(&ledger, &ctx);
            std::hint::black_box(kinerja::recap::monthly_recap(&ledger, &ctx, as_of).ok());
        }
    }

    let t = Instant::now();
    let plan = kinerja::payroll::PayPlan::new(&city, month, &policy).unwrap_or_else(|e| fail(format!("plan: {e}")));
    let plan_ms = t.elapsed().as_secs_f64() * 1000.0;

    let mut times = Vec::with_capacity(runs.max(1));
    let mut pay_times = Vec::with_capacity(runs.max(1));
    let mut recap_times = Vec::with_capacity(runs.max(1));
    let mut slips = 0;
    for _ in 0..runs.max(1) {
        let t0 = Instant::now();
        // ---- THE ONE PLACE where Kinerja's recap + pay is called. ----------------------
        // The recap and every slip's amounts (`pay_amounts`: the numbers of `pay_city`
        // without explanations or hashes, held equal by core/tests/plumbing_pay_amounts.rs);
        // the references compute amounts only, so this is the like-for-like comparison.
        let recap = kinerja::recap::monthly_recap(&ledger, &ctx, as_of).unwrap_or_else(|e| fail(format!("recap: {e}")));
        let t1 = Instant::now();
        let payroll = plan.pay_amounts(&ctx, &recap).unwrap_or_else(|e| fail(format!("pay: {e}")));
        // -----------------------------------------------------------------------------
        times.push(t0.elapsed().as_secs_f64() * 1000.0);
        pay_times.push(t1.elapsed().as_secs_f64() * 1000.0);
        recap_times.push((t1 - t0).as_secs_f64() * 1000.0);
        if payroll.failed > 0 {
            fail(format!("{} slips could not be computed", payroll.failed));
        }
        slips = std::hint::black_box(payroll).amounts.slips.len();
    }
    // The one-shot call (the plan made every call), timed apart.
    let recap = kinerja::recap::monthly_recap(&ledger, &ctx, as_of).unwrap_or_else(|e| fail(format!("recap: {e}")));
    let mut oneshot = f64::INFINITY;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        std::hint::black_box(kinerja::payroll::pay_amounts(&city, &ctx, &recap, &policy).ok());
        oneshot = oneshot.min(t.elapsed().as_secs_f64() * 1000.0);
    }
    // KINERJA_PROFILE_PAY=N: N more pay steps on the last recap, untimed, for a
    // profiler (`perf record`) to see the pay step apart from loading the journal
    // (`payroll::pay_amounts`, the plan made each time); KINERJA_PROFILE_PAY_PLAN=N the
    // same with the plan made once (`PayPlan::pay_amounts`).
    if let Some(n) = std::env::var("KINERJA_PROFILE_PAY").ok().and_then(|v| v.parse::<usize>().ok()) {
        for _ in 0..n {
            std::hint::black_box(kinerja::payroll::pay_amounts(&city, &ctx, &recap, &policy).ok());
        }
    }
    if let Some(n) = std::env::var("KINERJA_PROFILE_PAY_PLAN").ok().and_then(|v| v.parse::<usize>().ok()) {
        for _ in 0..n {
            std::hint::black_box(plan.pay_amounts(&ctx, &recap).ok());
        }
    }
    let best_median = |t: &mut Vec<f64>| {
        t.sort_by(f64::total_cmp);
        (t.first().copied().unwrap_or(0.0), t.get(t.len() / 2).copied().unwrap_or(0.0))
    };
    let (best, median) = best_median(&mut times);
    let (pay_best, pay_median) = best_median(&mut pay_times);
    let (recap_best, _) = best_median(&mut recap_times);
    let (cold_best, cold_median) = best_median(&mut cold_times);
    println!(
        "kinerja_ms={best:.1} median_ms={median:.1} pay_ms={pay_best:.2} pay_median_ms={pay_median:.2} \
         recap_ms={recap_best:.2} recap_first_ms={first_ms:.2} recap_cold_ms={cold_best:.2} \
         recap_cold_median_ms={cold_median:.2} plan_ms={plan_ms:.2} oneshot_pay_ms={oneshot:.2} \
         slips={slips} runs={}",
        times.len()
    );
}
