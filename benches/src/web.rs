//! Speed of the busiest web pages on the demo city: the supervisor's queue of
//! the largest team, and HR's payroll page of every employee (paginated).
//!
//! `cargo run --release -p kinerja-benches --bin web-pages` builds the demo city
//! (Banda Aceh's size: 39 units, 5,925 employees, last month simulated, closed
//! and paid) in a temporary SQLite file, serves it on 127.0.0.1, has the largest
//! team log two days of work, then asks each page over HTTP as a signed-in
//! browser would, one request at a time, and prints p50/p95/max per page.
//! `KINERJA_BENCH_EMPLOYEES` / `KINERJA_BENCH_UNITS` / `KINERJA_BENCH_REQUESTS`
//! scale it.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use kinerja::YearMonth;
use kinerja_server::demo::{self, DEMO_PASSWORD};
use kinerja_server::state::{AppState, Config, FixedClock};
use kinerja_server::store::SqlStore;
use serde_json::json;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

async fn signed_in(base: &str, actor: &str) -> reqwest::Client {
    let c = reqwest::Client::builder().cookie_store(true).build().expect("client");
    let r = c
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"actor": actor, "password": DEMO_PASSWORD}))
        .send()
        .await
        .expect("sign in");
    assert!(r.status().is_success(), "sign in as {actor}: {}", r.status());
    c
}

fn csrf_of(body: &serde_json::Value) -> String {
    body["csrf"].as_str().unwrap_or_default().to_string()
}

/// Asks `path` `n` times (after two warm-up requests); the durations sorted, the
/// body size, and the first warm-up request's time (a payroll not yet computed).
async fn measure(c: &reqwest::Client, base: &str, path: &str, n: usize) -> (Vec<Duration>, usize, Duration) {
    let mut size = 0;
    let mut first = Duration::ZERO;
    for i in 0..2 {
        let t = Instant::now();
        let r = c.get(format!("{base}{path}")).send().await.expect("get");
        assert!(r.status().is_success(), "{path}: {}", r.status());
        size = r.bytes().await.expect("body").len();
        if i == 0 {
            first = t.elapsed();
        }
    }
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        let r = c.get(format!("{base}{path}")).send().await.expect("get");
        assert!(r.status().is_success(), "{path}: {}", r.status());
        let _ = r.bytes().await.expect("body");
        times.push(t.elapsed());
    }
    times.sort();
    (times, size, first)
}

fn pct(times: &[Duration], p: f64) -> f64 {
    let i = ((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1;
    times[i].as_secs_f64() * 1000.0
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let employees = env_or("KINERJA_BENCH_EMPLOYEES", 5925);
    let units = env_or("KINERJA_BENCH_UNITS", 39);
    let n = env_or("KINERJA_BENCH_REQUESTS", 60);
    let dir = std::env::temp_dir().join(format!("kinerja-web-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let db = dir.join("demo.db").display().to_string();

    // Wednesday 25 November 2026, 14:00 WIB: October is the demo's closed and paid month.
    let clock = Arc::new(FixedClock::new(Utc.with_ymd_and_hms(2026, 11, 25, 7, 0, 0).unwrap()));
    let store = Arc::new(SqlStore::open(&db).await.expect("database"));
    let mut config = Config::new(db.clone());
    // Every member of the team signs in from 127.0.0.1: no sign-in throttling here.
    config.limits.attempts_per_client = 1_000_000;
    let state = AppState::new(store, clock, config);
    let t = Instant::now();
    let made = demo::build(&state, units, employees, false, &|m: &str| eprintln!("  {m}")).await.expect("demo city");
    println!("demo city: {employees} employees in {units} units, built in {:.1} s", t.elapsed().as_secs_f64());
    let history = made.history.expect("a closed month");

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("port");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let server = tokio::spawn(kinerja_server::serve(state.clone(), listener));

    // The supervisor with the largest team today (by the core's supervisor rule).
    let today = state.today();
    let env = state.month(YearMonth::of(today)).await.expect("month").env().await;
    let org = &env.version().city.organisation;
    let mut teams: HashMap<String, Vec<String>> = HashMap::new();
    for e in org.employees() {
        if let Some(s) = org.direct_supervisor(&e.nip, today)
            && let Some(boss) = s.definitive.first()
            && boss != &e.nip
        {
            teams.entry(boss.to_string()).or_default().push(e.nip.to_string());
        }
    }
    let (boss, team) = teams.into_iter().max_by_key(|(b, t)| (t.len(), b.clone())).expect("a supervisor");
    let hr = made.sign_ins.iter().find(|(role, _, _)| role.contains("HR")).map(|s| s.1.clone()).expect("an HR officer");

    // The team logs two hours on each of two days (Tuesday and Wednesday).
    let t = Instant::now();
    let mut logged = 0;
    for nip in &team {
        let c = signed_in(&base, nip).await;
        let me: serde_json::Value =
            c.get(format!("{base}/api/me")).send().await.expect("me").json().await.expect("json");
        let csrf = csrf_of(&me);
        for date in ["2026-11-24", "2026-11-25"] {
            let day: serde_json::Value =
                c.get(format!("{base}/api/me/day?date={date}")).send().await.expect("day").json().await.expect("json");
            let Some(task) = day["tasks"][0]["id"].as_str() else { continue };
            for (start, end) in [("08:00", "09:00"), ("09:00", "10:00")] {
                let r = c
                    .post(format!("{base}/api/me/activities"))
                    .header("x-csrf-token", &csrf)
                    .json(&json!({"date": date, "start": start, "end": end, "task": task, "quantity": 1,
                                  "description": "Kegiatan uji kecepatan"}))
                    .send()
                    .await
                    .expect("log");
                if r.status().is_success() {
                    logged += 1;
                }
            }
        }
    }
    println!(
        "largest team: {} people under {boss}; {logged} entries logged in {:.1} s",
        team.len(),
        t.elapsed().as_secs_f64()
    );

    let boss_c = signed_in(&base, &boss).await;
    let hr_c = signed_in(&base, &hr).await;
    let last_page = employees.div_ceil(kinerja_server::web::PAGE_SIZE);
    let pages = [
        ("supervisor queue (largest team)", &boss_c, "/queue".to_string()),
        ("employee home", &boss_c, "/home".to_string()),
        ("HR payroll, page 1", &hr_c, format!("/hr/{history}/payroll")),
        ("HR payroll, last page", &hr_c, format!("/hr/{history}/payroll?page={last_page}")),
        ("HR payroll, search by name", &hr_c, format!("/hr/{history}/payroll?q=a")),
        ("HR slip", &hr_c, format!("/hr/{history}/slips/{}", team[0])),
    ];
    println!("{n} requests per page after 2 warm-up, one at a time, on 127.0.0.1 (ms):");
    println!("{:<34} {:>8} {:>8} {:>8} {:>8} {:>9}", "page", "first", "p50", "p95", "max", "bytes");
    for (name, client, path) in pages {
        let (times, size, first) = measure(client, &base, &path, n).await;
        println!(
            "{name:<34} {:>8.1} {:>8.1} {:>8.1} {:>8.1} {size:>9}",
            first.as_secs_f64() * 1000.0,
            pct(&times, 0.50),
            pct(&times, 0.95),
            times.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        );
    }
    server.abort();
    let _ = std::fs::remove_dir_all(&dir);
}
