//! `kinerja-load`: a small load generator for `kinerja-server`, on loopback.
//!
//! It reads the bearer tokens a demo server wrote (`kinerja-server --demo
//! --demo-tokens tokens.csv`), rebuilds the same generated city with the core
//! (seed 1, the demo's units and employees) to know who works where and who
//! supervises whom, and runs scenarios against a base URL with a bounded number
//! of requests in flight:
//!
//! * `burst`: the 07:30 burst, one clock-in per employee sent by the
//!   fingerprint or face reader of the employee's unit (`POST /api/clock` with
//!   the device's token; one scan a request as machines push them, or
//!   `--scan-batch N` scans a request);
//! * `day`: a working day of activity: every employee reads their day
//!   (`GET /api/me/day`: tasks and schedule), then logs `--entries` pieces of
//!   work (default 20, about 120,000 for the city) spread over the day's hours
//!   without overlap (`POST /api/me/activities`), interleaved across employees;
//! * `verify`: every supervisor reads their queue (`GET /api/me/queue`) and
//!   approves it in one decision list (`POST /api/months/{m}/verifications`).
//!
//! For each phase it counts the commands accepted and refused (by code), and
//! measures throughput and latency (p50, p90, p99, max); it prints a table and
//! writes the figures as JSON (`--out`). Every loop is bounded: by its count,
//! and by `--time-limit` seconds per phase. It refuses any base URL that is not
//! on loopback.
//!
//! ```text
//! kinerja-load --base http://127.0.0.1:8080 --tokens tokens.csv --date 2026-11-30 \
//!     --clock 07:25 [--scenario all|burst|day|verify] [--concurrency 64] [--out target/load/x.json]
//! ```
//!
//! `--acks FILE` writes every acknowledged command (one line each: kind, actor,
//! event or entry number, what it was), for a crash check after a `kill -9`:
//! `--scenario check --acks FILE` then exports the month's journal as an HR
//! officer (`GET /api/months/{m}/journal`), reads every line, verifies the chain
//! against the head the server names, replays it through the core, and checks
//! that every acknowledged command is in it. Exit 1 when anything is missing.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use kinerja::dataset::{City, Dataset};
use kinerja::generator::{GeneratorConfig, generate};
use serde_json::{Value, json};

struct Args {
    base: String,
    tokens: String,
    date: NaiveDate,
    clock: NaiveTime,
    scenario: String,
    concurrency: usize,
    entries: usize,
    scan_batch: usize,
    units: usize,
    employees: usize,
    time_limit: Duration,
    out: Option<String>,
    label: String,
    acks: Option<String>,
}

fn usage(msg: &str) -> ! {
    eprintln!("kinerja-load: {msg}");
    eprintln!(
        "usage: kinerja-load --base http://127.0.0.1:PORT --tokens tokens.csv --date YYYY-MM-DD --clock HH:MM\n\
         \x20      [--scenario all|burst|day|verify] [--concurrency 64] [--entries 20] [--scan-batch 1]\n\
         \x20      [--units 39] [--employees 5925] [--time-limit 300] [--out FILE.json] [--label NAME] [--acks FILE]"
    );
    std::process::exit(2)
}

fn args() -> Args {
    let mut a = Args {
        base: String::new(),
        tokens: String::new(),
        date: NaiveDate::MIN,
        clock: NaiveTime::MIN,
        scenario: "all".into(),
        concurrency: 64,
        entries: 20,
        scan_batch: 1,
        units: 39,
        employees: 5_925,
        time_limit: Duration::from_secs(300),
        out: None,
        label: "run".into(),
        acks: None,
    };
    let mut it = std::env::args().skip(1);
    let mut date = None;
    let mut clock = None;
    while let Some(k) = it.next() {
        let mut v = || it.next().unwrap_or_else(|| usage(&format!("{k} needs a value")));
        let num = |s: String| s.parse::<usize>().unwrap_or_else(|_| usage(&format!("{k}: `{s}` is not a number")));
        match k.as_str() {
            "--base" => a.base = v().trim_end_matches('/').to_string(),
            "--tokens" => a.tokens = v(),
            "--date" => {
                date = Some(v().parse::<NaiveDate>().unwrap_or_else(|_| usage("--date: not a date YYYY-MM-DD")))
            }
            "--clock" => {
                clock = Some(
                    NaiveTime::parse_from_str(&v(), "%H:%M").unwrap_or_else(|_| usage("--clock: not a time HH:MM")),
                )
            }
            "--scenario" => a.scenario = v(),
            "--concurrency" => a.concurrency = num(v()).clamp(1, 1024),
            "--entries" => a.entries = num(v()).clamp(1, 40),
            "--scan-batch" => a.scan_batch = num(v()).clamp(1, 10_000),
            "--units" => a.units = num(v()),
            "--employees" => a.employees = num(v()),
            "--time-limit" => a.time_limit = Duration::from_secs(num(v()).clamp(1, 3_600) as u64),
            "--out" => a.out = Some(v()),
            "--label" => a.label = v(),
            "--acks" => a.acks = Some(v()),
            other => usage(&format!("unknown option {other}")),
        }
    }
    if a.base.is_empty() || a.tokens.is_empty() {
        usage("--base and --tokens are needed");
    }
    // Loopback only: this tool sends load, and load goes nowhere else.
    let host = a.base.strip_prefix("http://").and_then(|r| r.split(['/', ':']).next()).unwrap_or("");
    let loopback = host == "localhost"
        || host.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
        || a.base.starts_with("http://[::1]");
    if !loopback {
        usage(&format!("{} is not a loopback address (127.0.0.0/8, localhost, [::1])", a.base));
    }
    a.date = date.unwrap_or_else(|| usage("--date is needed (the server's day)"));
    a.clock = clock.unwrap_or_else(|| usage("--clock is needed (the server's --clock-start time of day)"));
    if !["all", "burst", "day", "verify", "check"].contains(&a.scenario.as_str()) {
        usage("--scenario is all, burst, day, verify or check");
    }
    if a.scenario == "check" && a.acks.is_none() {
        usage("--scenario check reads --acks FILE");
    }
    a
}

/// What one request came to.
enum Outcome {
    /// Accepted: this many commands (a batch of scans or decisions counts each).
    Accepted(usize),
    /// Refused, by code (the core's reason or code, `http_NNN`, or `transport`).
    Refused(String, usize),
}

/// The figures of one phase.
#[derive(Default)]
struct Phase {
    name: String,
    requests: usize,
    accepted: usize,
    refused: BTreeMap<String, usize>,
    wall: Duration,
    latencies_us: Vec<u64>,
    stopped_by_time: bool,
}

impl Phase {
    fn pct(&self, p: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return 0.0;
        }
        let i = ((self.latencies_us.len() as f64 - 1.0) * p).round() as usize;
        self.latencies_us[i.min(self.latencies_us.len() - 1)] as f64 / 1e3
    }

    fn per_second(&self, n: usize) -> f64 {
        n as f64 / self.wall.as_secs_f64().max(1e-9)
    }

    fn json(&self) -> Value {
        json!({
            "phase": self.name,
            "requests": self.requests,
            "accepted": self.accepted,
            "refused": self.refused,
            "wall_seconds": self.wall.as_secs_f64(),
            "requests_per_second": self.per_second(self.requests),
            "accepted_per_second": self.per_second(self.accepted),
            "latency_ms": {"p50": self.pct(0.50), "p90": self.pct(0.90), "p99": self.pct(0.99), "max": self.pct(1.0)},
            "stopped_by_time_limit": self.stopped_by_time,
        })
    }
}

/// One request to make: method, path, token, body, and what to remember when
/// it is acknowledged.
struct Job {
    post: bool,
    path: String,
    token: Arc<str>,
    body: Option<Value>,
    /// (kind, actor, what) for the acknowledgement log.
    ack: Option<(&'static str, String, String)>,
}

/// Where acknowledged commands are written, one a line.
type Acks = Arc<std::sync::Mutex<std::io::BufWriter<std::fs::File>>>;

type Judge = fn(u16, &Value, &Job) -> (Outcome, Vec<u64>);

/// How phases are run: against one server, with at most `concurrency`
/// requests in flight, each phase stopped at `limit`, acknowledgements logged
/// to `acks`.
struct Runner {
    http: reqwest::Client,
    base: String,
    concurrency: usize,
    limit: Duration,
    acks: Option<Acks>,
}

impl Runner {
    /// Runs the jobs until done or the time limit; with `keep`, the answers'
    /// bodies are kept too (by job index).
    async fn run(&self, name: &str, jobs: Vec<Job>, judge: Judge, keep: bool) -> (Phase, Vec<(usize, Value)>) {
        run_phase(self, name, jobs, judge, keep).await
    }
}

async fn run_phase(
    runner: &Runner,
    name: &str,
    jobs: Vec<Job>,
    judge: Judge,
    keep: bool,
) -> (Phase, Vec<(usize, Value)>) {
    let (http, base, concurrency, limit, acks) =
        (&runner.http, runner.base.as_str(), runner.concurrency, runner.limit, runner.acks.clone());
    let jobs = Arc::new(jobs);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + limit;
    let mut tasks = Vec::new();
    for _ in 0..concurrency.min(jobs.len().max(1)) {
        let (jobs, next, http, base, acks) = (jobs.clone(), next.clone(), http.clone(), base.to_string(), acks.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut outcomes = Vec::new();
            let mut kept = Vec::new();
            let mut timed_out = false;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(job) = jobs.get(i) else { break };
                if Instant::now() >= deadline {
                    timed_out = true;
                    break;
                }
                let url = format!("{base}{}", job.path);
                let mut r = if job.post { http.post(url) } else { http.get(url) };
                r = r.bearer_auth(&*job.token);
                if let Some(b) = &job.body {
                    r = r.json(b);
                }
                let t0 = Instant::now();
                let res = match r.send().await {
                    Ok(resp) => {
                        let status = resp.status().as_u16();
                        match resp.bytes().await {
                            Ok(b) => Ok((status, b)),
                            Err(e) => Err(e),
                        }
                    }
                    Err(e) => Err(e),
                };
                let took = t0.elapsed();
                lat.push(took.as_micros() as u64);
                let (outcome, numbers) = match res {
                    Ok((status, bytes)) => {
                        let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
                        let judged = judge(status, &body, job);
                        if keep {
                            kept.push((i, body));
                        }
                        judged
                    }
                    Err(_) => (Outcome::Refused("transport".into(), 1), Vec::new()),
                };
                if let (Some(f), Some((kind, actor, what)), Outcome::Accepted(_)) = (&acks, &job.ack, &outcome)
                    && let Ok(mut f) = f.lock()
                {
                    for n in &numbers {
                        let _ = writeln!(f, "{kind},{actor},{n},{what}");
                    }
                }
                outcomes.push(outcome);
            }
            (lat, outcomes, kept, timed_out)
        }));
    }
    let mut phase = Phase { name: name.to_string(), ..Phase::default() };
    let mut kept = Vec::new();
    for t in tasks {
        if let Ok((lat, outcomes, k, timed_out)) = t.await {
            phase.latencies_us.extend(lat);
            phase.stopped_by_time |= timed_out;
            kept.extend(k);
            for o in outcomes {
                phase.requests += 1;
                match o {
                    Outcome::Accepted(n) => phase.accepted += n,
                    Outcome::Refused(code, n) => *phase.refused.entry(code).or_default() += n,
                }
            }
        }
    }
    phase.wall = started.elapsed();
    phase.latencies_us.sort_unstable();
    kept.sort_by_key(|(i, _)| *i);
    (phase, kept)
}

fn error_code(status: u16, body: &Value) -> String {
    let e = &body["error"];
    e["reason"].as_str().or(e["code"].as_str()).map(String::from).unwrap_or_else(|| format!("http_{status}"))
}

fn judge_scans(status: u16, body: &Value, _job: &Job) -> (Outcome, Vec<u64>) {
    if status != 200 {
        return (Outcome::Refused(error_code(status, body), 1), Vec::new());
    }
    let results = body["results"].as_array().cloned().unwrap_or_default();
    let mut accepted = 0;
    let mut refused: Option<String> = None;
    let mut events = Vec::new();
    for r in &results {
        if r["outcome"] == "accepted" {
            accepted += 1;
            events.extend(r["event"].as_u64());
        } else {
            refused.get_or_insert_with(|| r["code"].as_str().unwrap_or("duplicate").to_string());
        }
    }
    match refused {
        // A batch partly refused: the accepted ones count, the refusal is named once per scan.
        Some(code) if accepted == 0 => (Outcome::Refused(code, results.len().max(1)), events),
        Some(_) | None => (Outcome::Accepted(accepted), events),
    }
}

fn judge_entry(status: u16, body: &Value, _job: &Job) -> (Outcome, Vec<u64>) {
    match (status, body["entry"]["id"].as_u64()) {
        (200, Some(id)) => (Outcome::Accepted(1), vec![id]),
        _ => (Outcome::Refused(error_code(status, body), 1), Vec::new()),
    }
}

fn judge_read(status: u16, body: &Value, _job: &Job) -> (Outcome, Vec<u64>) {
    if status == 200 {
        (Outcome::Accepted(1), Vec::new())
    } else {
        (Outcome::Refused(error_code(status, body), 1), Vec::new())
    }
}

fn judge_decisions(status: u16, body: &Value, job: &Job) -> (Outcome, Vec<u64>) {
    let n = job.body.as_ref().and_then(|b| b["decisions"].as_array()).map_or(1, Vec::len);
    if status == 200 {
        let ids = body["entries"].as_array().map(|a| a.iter().filter_map(|e| e["entry"]["id"].as_u64()).collect());
        (Outcome::Accepted(n), ids.unwrap_or_default())
    } else {
        (Outcome::Refused(error_code(status, body), n), Vec::new())
    }
}

fn print_table(label: &str, phases: &[Phase]) {
    println!("\nkinerja-load: {label}");
    println!(
        "{:<26} {:>9} {:>9} {:>9} {:>8} {:>10} {:>8} {:>8} {:>8} {:>8}",
        "phase", "requests", "accepted", "refused", "wall s", "accepted/s", "p50 ms", "p90 ms", "p99 ms", "max ms"
    );
    for p in phases {
        println!(
            "{:<26} {:>9} {:>9} {:>9} {:>8.2} {:>10.0} {:>8.2} {:>8.2} {:>8.2} {:>8.1}",
            p.name,
            p.requests,
            p.accepted,
            p.refused.values().sum::<usize>(),
            p.wall.as_secs_f64(),
            p.per_second(p.accepted),
            p.pct(0.5),
            p.pct(0.9),
            p.pct(0.99),
            p.pct(1.0)
        );
        for (code, n) in &p.refused {
            println!("{:<26}   refused {n} x {code}", "");
        }
        if p.stopped_by_time {
            println!("{:<26}   (stopped by the time limit)", "");
        }
    }
}

fn city(args: &Args) -> City {
    use chrono::Datelike;
    let config = GeneratorConfig { seed: 1, units: args.units, employees: args.employees, year: args.date.year() };
    let dataset = generate(&config).unwrap_or_else(|e| usage(&format!("the generator refuses: {e}")));
    Dataset::load_city(&dataset.to_json()).unwrap_or_else(|e| usage(&format!("the generated city does not load: {e}")))
}

fn hhmm(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let args = args();
    let text = std::fs::read_to_string(&args.tokens).unwrap_or_else(|e| usage(&format!("{}: {e}", args.tokens)));
    let tokens: HashMap<String, Arc<str>> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(','))
        .map(|(a, t)| (a.to_string(), Arc::from(t.trim())))
        .collect();
    let city = city(&args);
    let org = &city.organisation;
    let access = city.access();
    let date = args.date;
    let month = date.format("%Y-%m").to_string();
    let now = NaiveDateTime::new(date, args.clock);
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap_or_else(|e| usage(&format!("http client: {e}")));
    if args.scenario == "check" {
        let ok = check(&args, &city, &tokens, &http).await;
        std::process::exit(if ok { 0 } else { 1 });
    }
    let acks: Option<Acks> = args.acks.as_ref().map(|p| {
        let f = std::fs::File::create(p).unwrap_or_else(|e| usage(&format!("{p}: {e}")));
        Arc::new(std::sync::Mutex::new(std::io::BufWriter::new(f)))
    });
    let runner = Runner {
        http: http.clone(),
        base: args.base.clone(),
        concurrency: args.concurrency,
        limit: args.time_limit,
        acks: acks.clone(),
    };
    let employees: Vec<(String, Arc<str>)> = org
        .employees()
        .iter()
        .filter_map(|e| tokens.get(e.nip.as_str()).map(|t| (e.nip.to_string(), t.clone())))
        .collect();
    println!(
        "kinerja-load: {} at {} {} ({} employees with tokens, {} devices; {} in flight)",
        args.base,
        date,
        args.clock,
        employees.len(),
        tokens.keys().filter(|a| a.starts_with("device:")).count(),
        args.concurrency
    );
    let mut phases = Vec::new();
    let all = args.scenario == "all";
    // The month's first request opens it (its record replayed, its rules
    // compiled); a server that has been up since the month began has done so
    // long before 07:30. Done once here and timed apart.
    if let Some((_, t)) = employees.first() {
        let t0 = Instant::now();
        let r = http.get(format!("{}/api/me/day?date={date}", args.base)).bearer_auth(&**t).send().await;
        let status = r.as_ref().map(|r| r.status().as_u16()).unwrap_or(0);
        println!("month opened by a first request in {:.0} ms (status {status})", t0.elapsed().as_secs_f64() * 1e3);
    }

    if all || args.scenario == "burst" {
        // Each employee's scan, by the reader of their unit (or a unit above it),
        // timed over the ten minutes before the server's clock start.
        let mut per_device: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        let n = employees.len().max(1);
        for (i, (nip, _)) in employees.iter().enumerate() {
            let Some(unit) = org
                .definitive_position(&nip.parse().unwrap_or_else(|_| usage("bad NIP")), date)
                .map(|p| p.unit.clone())
            else {
                continue;
            };
            let Some(d) = access.authorities.devices().iter().find(|d| access.within(&unit, &d.unit)) else { continue };
            let at = now - chrono::Duration::seconds(600) + chrono::Duration::milliseconds((600_000 * i / n) as i64);
            per_device.entry(format!("device:{}", d.id)).or_default().push(json!({
                "employee": nip, "at": at.format("%Y-%m-%dT%H:%M:%S").to_string(), "direction": "in",
                "key": format!("{date}-{nip}-in"),
            }));
        }
        let mut jobs = Vec::new();
        // Interleave the devices, as they push at once.
        let mut queues: Vec<(String, std::collections::VecDeque<Value>)> =
            per_device.into_iter().map(|(d, v)| (d, v.into())).collect();
        while queues.iter().any(|(_, q)| !q.is_empty()) {
            for (device, q) in &mut queues {
                let scans: Vec<Value> = (0..args.scan_batch).map_while(|_| q.pop_front()).collect();
                if scans.is_empty() {
                    continue;
                }
                let Some(token) = tokens.get(device) else { continue };
                let what = scans.iter().map(|s| s["employee"].as_str().unwrap_or("")).collect::<Vec<_>>().join(" ");
                jobs.push(Job {
                    post: true,
                    path: "/api/clock".into(),
                    token: token.clone(),
                    body: Some(json!({"scans": scans})),
                    ack: Some(("clock", device.clone(), what)),
                });
            }
        }
        let name = if args.scan_batch == 1 {
            "burst: clock-ins".to_string()
        } else {
            format!("burst: clock-ins x{}", args.scan_batch)
        };
        let (p, _) = runner.run(&name, jobs, judge_scans, false).await;
        phases.push(p);
    }

    if all || args.scenario == "day" {
        let jobs = employees
            .iter()
            .map(|(_, t)| Job {
                post: false,
                path: format!("/api/me/day?date={date}"),
                token: t.clone(),
                body: None,
                ack: None,
            })
            .collect();
        let (p, days) = runner.run("day: read my day", jobs, judge_read, true).await;
        phases.push(p);
        // Each employee's pieces of work: the day's schedule cut into equal slots.
        let mut per_employee: Vec<Vec<Job>> = Vec::new();
        for (i, day) in days {
            let (nip, token) = &employees[i];
            let tasks: Vec<String> = day["tasks"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|t| t["id"].as_str().map(String::from))
                .collect();
            let schedule = &day["rules"]["schedule"];
            let (Some(s), Some(e)) = (schedule[0].as_str(), schedule[1].as_str()) else { continue };
            let (Ok(start), Ok(end)) =
                (NaiveTime::parse_from_str(s, "%H:%M:%S"), NaiveTime::parse_from_str(e, "%H:%M:%S"))
            else {
                continue;
            };
            if tasks.is_empty() {
                continue;
            }
            let span = (end - start).num_minutes() / args.entries as i64;
            if span < 2 {
                continue;
            }
            let mut mine = Vec::new();
            for k in 0..args.entries {
                let from = start + chrono::Duration::minutes(span * k as i64);
                let to = from + chrono::Duration::minutes(span - 1);
                let task = &tasks[k % tasks.len()];
                mine.push(Job {
                    post: true,
                    path: "/api/me/activities".into(),
                    token: token.clone(),
                    body: Some(json!({
                        "date": date.to_string(), "start": hhmm(from), "end": hhmm(to), "task": task, "quantity": 1,
                        "description": format!("Pekerjaan ke-{} hari ini", k + 1),
                    })),
                    ack: Some(("entry", nip.clone(), format!("{date} {}-{}", hhmm(from), hhmm(to)))),
                });
            }
            per_employee.push(mine);
        }
        // Interleaved: every employee's first piece, then every second, ...
        let mut jobs = Vec::new();
        let mut iters: Vec<_> = per_employee.into_iter().map(Vec::into_iter).collect();
        loop {
            let before = jobs.len();
            for it in &mut iters {
                jobs.extend(it.next());
            }
            if jobs.len() == before {
                break;
            }
        }
        let (p, _) = runner.run("day: log activities", jobs, judge_entry, false).await;
        phases.push(p);
    }

    if all || args.scenario == "verify" {
        // The supervisors: whoever holds the position that supervises an employee today.
        let mut bosses = BTreeSet::new();
        for e in org.employees() {
            if let Some(Ok(sup)) = org.supervising_position(&e.nip, date) {
                for (b, _) in org.holders(&sup.id, date) {
                    bosses.insert(b.nip.to_string());
                }
            }
        }
        let bosses: Vec<(String, Arc<str>)> =
            bosses.into_iter().filter_map(|b| tokens.get(&b).map(|t| (b, t.clone()))).collect();
        let jobs = bosses
            .iter()
            .map(|(_, t)| Job {
                post: false,
                path: format!("/api/me/queue?month={month}"),
                token: t.clone(),
                body: None,
                ack: None,
            })
            .collect();
        let (p, queues) = runner.run("verify: read my queue", jobs, judge_read, true).await;
        phases.push(p);
        let mut jobs = Vec::new();
        for (i, q) in queues {
            let ids: Vec<u64> =
                q["entries"].as_array().into_iter().flatten().filter_map(|e| e["entry"]["id"].as_u64()).collect();
            for chunk in ids.chunks(5_000) {
                let decisions: Vec<Value> =
                    chunk.iter().map(|id| json!({"entry": id, "decision": "approve"})).collect();
                jobs.push(Job {
                    post: true,
                    path: format!("/api/months/{month}/verifications"),
                    token: bosses[i].1.clone(),
                    body: Some(json!({"decisions": decisions})),
                    ack: Some(("approve", bosses[i].0.clone(), String::new())),
                });
            }
        }
        let (p, _) = runner.run("verify: approve (decisions)", jobs, judge_decisions, false).await;
        phases.push(p);
    }

    if let Some(a) = &acks
        && let Ok(mut f) = a.lock()
    {
        let _ = f.flush();
    }
    print_table(&args.label, &phases);
    if let Some(path) = &args.out {
        let doc = json!({
            "label": args.label,
            "base": args.base,
            "date": date.to_string(),
            "clock_start": args.clock.format("%H:%M").to_string(),
            "concurrency": args.concurrency,
            "phases": phases.iter().map(Phase::json).collect::<Vec<_>>(),
        });
        if let Some(dir) = std::path::Path::new(path).parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        match std::fs::write(path, serde_json::to_string_pretty(&doc).unwrap_or_default()) {
            Ok(()) => println!("figures written to {path}"),
            Err(e) => eprintln!("kinerja-load: {path}: {e}"),
        }
    }
}

/// After a crash: is every acknowledged command in the record, and does the
/// record hold? Prints what it finds; true when all is well.
async fn check(args: &Args, city: &City, tokens: &HashMap<String, Arc<str>>, http: &reqwest::Client) -> bool {
    use kinerja::access::OfficerRole;
    use kinerja::activity::{ActivityId, VerificationStatus};
    use kinerja::ledger::{Event, EventKind, Head, JournalHeader, JournalReader, Ledger, MonthContext};
    let date = args.date;
    let month = kinerja::YearMonth::of(date);
    let access = city.access();
    let Some(hr) = access
        .authorities
        .officers()
        .iter()
        .filter(|o| o.role == OfficerRole::Hr && o.covers(date))
        .find_map(|o| tokens.get(o.employee.as_str()))
    else {
        eprintln!("check: no HR officer has a token");
        return false;
    };
    let resp = match http.get(format!("{}/api/months/{month}/journal", args.base)).bearer_auth(&**hr).send().await {
        Ok(r) if r.status().is_success() => r,
        Ok(r) => {
            eprintln!("check: the journal export answered {}", r.status());
            return false;
        }
        Err(e) => {
            eprintln!("check: the journal export failed: {e}");
            return false;
        }
    };
    let head_text = resp.headers().get("x-kinerja-head").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let text = match resp.bytes().await {
        Ok(b) => b,
        Err(e) => {
            eprintln!("check: reading the journal: {e}");
            return false;
        }
    };
    let mut ok = true;
    let mut say = |good: bool, what: String| {
        println!("  [{}] {what}", if good { "ok" } else { "FAILED" });
        ok &= good;
    };
    // Every stored line reads: the header, then one event a line.
    let mut lines = text.split(|b| *b == b'\n').filter(|l| !l.is_empty());
    let header_ok = lines.next().is_some_and(|l| serde_json::from_slice::<JournalHeader>(l).is_ok());
    let mut events: HashMap<u64, Event> = HashMap::new();
    let mut unreadable = 0usize;
    for l in lines {
        match serde_json::from_slice::<Event>(l) {
            Ok(e) => {
                events.insert(e.seq, e);
            }
            Err(_) => unreadable += 1,
        }
    }
    say(header_ok && unreadable == 0, format!("every line reads ({} events, {unreadable} unreadable)", events.len()));
    let anchor = head_text.split_once(':').and_then(|(seq, hash)| {
        let seq = seq.parse::<u64>().ok()?;
        let hash = hash.parse::<kinerja::ledger::Hash>().ok()?;
        Some(Head { seq, hash })
    });
    say(anchor.is_some(), format!("the server names its head ({head_text})"));
    match kinerja::ledger::verify(&text[..], anchor) {
        Ok(v) => {
            say(v.holds(), format!("the chain verifies against the head ({} events; {:?})", v.events, v.problem));
            say(
                anchor.is_some_and(|a| a.seq == v.events && v.events == events.len() as u64),
                format!("the event count equals the head ({} = {})", v.events, anchor.map_or(0, |a| a.seq)),
            );
        }
        Err(e) => say(false, format!("the journal does not read: {e}")),
    }
    let policy = kinerja::policy::Policy::national();
    let ledger = match MonthContext::new(city, &policy, month) {
        Ok(ctx) => match JournalReader::new(&text[..])
            .map_err(|e| e.to_string())
            .and_then(|r| Ledger::from_reader(&ctx, r, false).map_err(|e| e.to_string()))
        {
            Ok((l, torn)) => {
                say(torn.is_none(), "it replays through the core, nothing torn".into());
                Some(l)
            }
            Err(e) => {
                say(false, format!("replay refuses it: {e}"));
                None
            }
        },
        Err(e) => {
            say(false, format!("month context: {e}"));
            None
        }
    };
    // Every acknowledged command is there.
    let acks = std::fs::read_to_string(args.acks.as_deref().unwrap_or_default()).unwrap_or_default();
    let (mut seen, mut missing) = (BTreeMap::<&str, usize>::new(), Vec::new());
    for line in acks.lines() {
        let f: Vec<&str> = line.splitn(4, ',').collect();
        let [kind, actor, n, what] = f[..] else { continue };
        let n: u64 = n.parse().unwrap_or(0);
        let found = match kind {
            "clock" => events.get(&n).is_some_and(|e| {
                e.actor.to_string() == actor
                    && matches!(&e.kind, EventKind::ClockRecorded(c) if what.split(' ').any(|w| w == c.employee.as_str()))
            }),
            "entry" => ledger.as_ref().and_then(|l| l.entry(ActivityId(n))).is_some_and(|e| {
                e.employee.as_str() == actor
                    && what == format!("{} {}-{}", e.date, e.start.format("%H:%M"), e.end.format("%H:%M"))
            }),
            "approve" => ledger
                .as_ref()
                .and_then(|l| l.entry(ActivityId(n)))
                .is_some_and(|e| e.status == VerificationStatus::Approved),
            _ => false,
        };
        *seen.entry(kind).or_default() += 1;
        if !found {
            missing.push(line.to_string());
        }
    }
    say(
        missing.is_empty(),
        format!("every acknowledged command is in the record ({seen:?}; {} missing)", missing.len()),
    );
    for m in missing.iter().take(10) {
        println!("      missing: {m}");
    }
    ok
}
