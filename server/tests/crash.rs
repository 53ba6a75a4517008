//! Crash test: the real `kinerja-server` binary, killed with SIGKILL under load.
//!
//! The server runs as a child process in demo mode on a small generated city
//! (4 units, 120 employees, its clock from Monday 5 October 2026, 07:25), on a
//! SQLite file or a fresh PostgreSQL database of the harness's cluster. Several
//! tasks log activities as employees and a clock machine sends scans; every
//! acknowledged command is remembered (entry number, event number). The child
//! is killed mid-load (`Child::kill`: SIGKILL, no chance to clean up), started
//! again on the same database, and then:
//!
//! * every acknowledged command is in the record;
//! * the exported journal (`GET /api/months/{m}/journal`) verifies against the
//!   head the server names, and replays through the core;
//! * the number of stored rows equals the head: nothing half-written, nothing
//!   extra; every stored row's line reads and agrees with its columns;
//! * the restarted service takes new commands after the last event.
//!
//! Bounded: the load stops at the kill (at most a few seconds in), each worker
//! stops at its first failed request, and every wait has a deadline.

mod common;

use std::collections::HashMap;
use std::io::BufRead;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveTime};
use common::{Db, city_json, pg_database};
use kinerja::access::{DeviceKind, OfficerRole};
use kinerja::activity::ActivityId;
use kinerja::dataset::City;
use kinerja::ledger::{Event, EventKind, Head, JournalReader, Ledger, MonthContext};
use serde_json::{Value, json};

const CITY_UNITS: &str = "4";
const CITY_EMPLOYEES: &str = "120";

/// The server as a child process.
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the binary with `args` and waits (at most 120 s) until it says where it listens.
fn start(db: &str, clock: &str, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kinerja-server"))
        .args(["--db", db, "--listen", "127.0.0.1:0", "--clock-start", clock])
        .args(extra)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start kinerja-server");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // Reads to the end, so the child never blocks on a full pipe.
        for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("listening on ").nth(1) {
                let _ = tx.send(Ok(rest.split_whitespace().next().unwrap_or("").to_string()));
            } else if line.starts_with("kinerja-server: ") && !line.contains("--clock-start") {
                let _ = tx.send(Err(line));
            }
        }
    });
    match rx.recv_timeout(Duration::from_secs(120)) {
        Ok(Ok(base)) => Server { child, base },
        Ok(Err(e)) => {
            let _ = child.kill();
            panic!("the server refused to start: {e}");
        }
        Err(_) => {
            let _ = child.kill();
            panic!("the server did not start within 120 s");
        }
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap()
}

/// One acknowledged command: what was asked, and the number the server gave.
#[derive(Clone, Debug)]
enum Ack {
    /// An entry logged: (employee, entry number, start).
    Entry(String, u64, NaiveTime),
    /// A scan recorded: (employee, event number).
    Clock(String, u64),
}

async fn crash_under_load(db: Db) {
    let dir = tempfile::tempdir().unwrap();
    let url = match db {
        Db::Sqlite => dir.path().join("crash.db").display().to_string(),
        Db::Postgres => pg_database().await,
    };
    let tokens_path = dir.path().join("tokens.csv");
    let t0 = Instant::now();
    let server = start(
        &url,
        "2026-10-05T07:25",
        &[
            "--demo",
            "--demo-units",
            CITY_UNITS,
            "--demo-employees",
            CITY_EMPLOYEES,
            "--demo-tokens",
            tokens_path.to_str().unwrap(),
        ],
    );
    let tokens: HashMap<String, String> = std::fs::read_to_string(&tokens_path)
        .unwrap()
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(',').map(|(a, t)| (a.to_string(), t.to_string())))
        .collect();
    // The demo's city is the harness's (seed 1, 4 units, 120 employees, 2026).
    let city: City = kinerja::dataset::Dataset::load_city(&city_json()).unwrap();
    let date = NaiveDate::from_ymd_opt(2026, 10, 5).unwrap();
    let org = &city.organisation;
    let access = city.access();
    let schedule = city.calendar.schedule(date).expect("a working Monday");
    let (day_start, day_end) = (schedule.start, schedule.end);

    // Employees with a task that day, split among six workers.
    let staff: Vec<(String, String, String)> = org
        .employees()
        .iter()
        .filter_map(|e| {
            let task = org.definitive_position(&e.nip, date)?.analysis.tasks.first()?.id.to_string();
            Some((e.nip.to_string(), tokens.get(e.nip.as_str())?.clone(), task))
        })
        .collect();
    assert!(staff.len() >= 60, "{} employees with a task", staff.len());
    let acks: Arc<Mutex<Vec<Ack>>> = Arc::default();
    let http = client();
    let mut workers = Vec::new();
    for w in 0..6 {
        let mine: Vec<_> = staff.iter().skip(w).step_by(6).cloned().collect();
        let (http, base, acks) = (http.clone(), server.base.clone(), acks.clone());
        workers.push(tokio::spawn(async move {
            // Each employee's day in 15-minute pieces, employees in turn.
            let slots = (day_end - day_start).num_minutes() / 15;
            for k in 0..slots {
                for (nip, token, task) in &mine {
                    let from = day_start + chrono::Duration::minutes(15 * k);
                    let body = json!({"date": "2026-10-05", "start": from.format("%H:%M").to_string(),
                        "end": (from + chrono::Duration::minutes(15)).format("%H:%M").to_string(),
                        "task": task, "quantity": 1, "description": "beban uji"});
                    let Ok(resp) =
                        http.post(format!("{base}/api/me/activities")).bearer_auth(token).json(&body).send().await
                    else {
                        return; // the server is gone
                    };
                    let ok = resp.status().is_success();
                    let Ok(v) = resp.json::<Value>().await else { return };
                    assert!(ok, "refused under load: {v}");
                    let id = v["entry"]["id"].as_u64().expect("an entry number");
                    acks.lock().unwrap().push(Ack::Entry(nip.clone(), id, from));
                }
            }
        }));
    }
    // A clock machine sends each employee's clock-in, one scan a request.
    let scans: Vec<(String, String, String)> = staff
        .iter()
        .filter_map(|(nip, _, _)| {
            let unit = org.definitive_position(&nip.parse().ok()?, date)?.unit.clone();
            let d = access
                .authorities
                .devices()
                .iter()
                .find(|d| d.kind == DeviceKind::Fingerprint && access.within(&unit, &d.unit))?;
            let actor = format!("device:{}", d.id);
            Some((nip.clone(), actor.clone(), tokens.get(&actor)?.clone()))
        })
        .collect();
    {
        let (http, base, acks) = (http.clone(), server.base.clone(), acks.clone());
        workers.push(tokio::spawn(async move {
            for (i, (nip, _, token)) in scans.iter().enumerate() {
                let body = json!({"scans": [{"employee": nip, "at": format!("2026-10-05T07:{:02}:00", 10 + i % 15),
                    "direction": "in", "key": format!("log-{i}")}]});
                let Ok(resp) = http.post(format!("{base}/api/clock")).bearer_auth(token).json(&body).send().await
                else {
                    return;
                };
                let Ok(v) = resp.json::<Value>().await else { return };
                assert_eq!(v["results"][0]["outcome"], "accepted", "{v}");
                acks.lock().unwrap().push(Ack::Clock(nip.clone(), v["results"][0]["event"].as_u64().unwrap()));
            }
        }));
    }

    // Kill it mid-load: once a few hundred commands are acknowledged (or 8 s passed).
    let load_start = Instant::now();
    while acks.lock().unwrap().len() < 400 && load_start.elapsed() < Duration::from_secs(8) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut server = server;
    server.child.kill().expect("SIGKILL");
    server.child.wait().unwrap();
    let killed_at = acks.lock().unwrap().len();
    for w in workers {
        tokio::time::timeout(Duration::from_secs(30), w).await.expect("workers stop").expect("no worker panicked");
    }
    let acks = acks.lock().unwrap().clone();
    assert!(killed_at >= 50, "only {killed_at} commands before the kill");
    let planned = staff.len() as i64 * ((day_end - day_start).num_minutes() / 15) + staff.len() as i64;
    assert!((acks.len() as i64) < planned, "the kill came after the load had finished");
    drop(server);

    // Started again on the same database, its clock later in the morning.
    let server = start(&url, "2026-10-05T09:30", &[]);
    let hr = access
        .authorities
        .officers()
        .iter()
        .find(|o| o.role == OfficerRole::Hr && o.covers(date))
        .and_then(|o| tokens.get(o.employee.as_str()))
        .expect("an HR officer's token");
    let resp = http.get(format!("{}/api/months/2026-10/journal", server.base)).bearer_auth(hr).send().await.unwrap();
    assert!(resp.status().is_success(), "{}", resp.status());
    let (seq, hash) = resp.headers()["x-kinerja-head"]
        .to_str()
        .unwrap()
        .split_once(':')
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .unwrap();
    let head = Head { seq: seq.parse().unwrap(), hash: hash.parse().unwrap() };
    let text = resp.bytes().await.unwrap();

    // The chain verifies against the head, and the count of events is the head's.
    let v = kinerja::ledger::verify(&text[..], Some(head)).unwrap();
    assert!(v.holds(), "{v:?}");
    assert_eq!(v.events, head.seq);
    // Every line reads.
    let events: HashMap<u64, Event> = text
        .split(|b| *b == b'\n')
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice::<Event>(l).expect("every event line reads"))
        .map(|e| (e.seq, e))
        .collect();
    assert_eq!(events.len() as u64, head.seq);
    // It replays through the core.
    let policy = kinerja::policy::Policy::national();
    let ctx = MonthContext::new(&city, &policy, "2026-10".parse().unwrap()).unwrap();
    let (ledger, torn) = Ledger::from_reader(&ctx, JournalReader::new(&text[..]).unwrap(), false).unwrap();
    assert!(torn.is_none());
    assert_eq!(ledger.head(), head);

    // Every acknowledged command is there, as it was acknowledged.
    for a in &acks {
        match a {
            Ack::Entry(nip, id, start) => {
                let e = ledger.entry(ActivityId(*id)).unwrap_or_else(|| panic!("acknowledged entry {id} is missing"));
                assert_eq!((e.employee.as_str(), e.start), (nip.as_str(), *start), "entry {id}");
            }
            Ack::Clock(nip, seq) => {
                let e = events.get(seq).unwrap_or_else(|| panic!("acknowledged scan event {seq} is missing"));
                assert!(matches!(&e.kind, EventKind::ClockRecorded(c) if c.employee.as_str() == nip), "event {seq}");
            }
        }
    }

    // The rows themselves: as many as the head, each line reading back to its columns.
    let store = kinerja_server::store::SqlStore::open(&url).await.unwrap();
    use kinerja_server::store::Store;
    assert_eq!(store.event_count("2026-10").await.unwrap(), head.seq as i64, "rows beyond or short of the head");
    let rows = store.events("2026-10", 0, i64::MAX).await.unwrap();
    for r in &rows {
        let e: Event = serde_json::from_str(&r.line).expect("a stored line reads");
        assert_eq!(
            (r.seq as u64, r.hash.as_str(), r.prev.as_str(), r.actor.as_str(), r.kind.as_str()),
            (e.seq, e.hash.to_hex().as_str(), e.prev.to_hex().as_str(), e.actor.to_string().as_str(), e.kind.name()),
        );
    }
    store.close().await;

    // The service goes on after the last event.
    let (nip, token, task) = &staff[0];
    let resp = http
        .post(format!("{}/api/me/activities", server.base))
        .bearer_auth(token)
        .json(&json!({"date": "2026-10-05", "start": "16:30", "end": "16:45", "task": task, "quantity": 1,
                      "description": "setelah restart"}))
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let v: Value = resp.json().await.unwrap();
    assert!(status.is_success(), "{nip}: {v}");
    let (_, months) = {
        let r = http.get(format!("{}/api/months", server.base)).bearer_auth(hr).send().await.unwrap();
        ((), r.json::<Value>().await.unwrap())
    };
    let october = months.as_array().unwrap().iter().find(|m| m["month"] == "2026-10").unwrap();
    assert_eq!(october["events"].as_u64().unwrap(), head.seq + 1);
    eprintln!(
        "crash test ({db:?}): {} acknowledged ({killed_at} at the kill), {} events after restart, {:.1} s",
        acks.len(),
        head.seq,
        t0.elapsed().as_secs_f64()
    );
}

mod crash_under_load {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::crash_under_load(super::common::Db::Sqlite).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::crash_under_load(super::common::Db::Postgres).await
    }
}
