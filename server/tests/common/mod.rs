//! The server under test, on a real database: a SQLite file in a temporary
//! folder, or a fresh database in a real PostgreSQL (the cluster named by
//! `KINERJA_TEST_PG`, else a throwaway cluster started once for this test
//! binary with `scripts/pg-throwaway.sh` and stopped when it exits). No mock
//! stands in for either.
//!
//! The city is a small generated one (seed 1, 4 units, 120 employees, 2026);
//! the clock stands at Monday 5 October 2026, 09:00 WIB, until a test moves it.
#![allow(dead_code)]

use std::sync::{Arc, OnceLock};

use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
use kinerja::access::OfficerRole;
use kinerja::dataset::City;
use kinerja::generator::{GeneratorConfig, generate};
use kinerja::nip::Nip;
use kinerja_server::state::{AppState, Config, FixedClock};
use kinerja_server::store::{SqlStore, Store};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Which database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// Writes each test twice, once per database.
#[macro_export]
macro_rules! both {
    ($case:ident) => {
        mod $case {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$case(super::common::Db::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$case(super::common::Db::Postgres).await
            }
        }
    };
}

/// The password every test account gets.
pub const PASSWORD: &str = "rahasia-uji-123";

/// The superuser URL of the PostgreSQL cluster for this test binary.
fn pg_admin() -> String {
    static URL: OnceLock<Result<String, String>> = OnceLock::new();
    URL.get_or_init(|| {
        if let Ok(url) = std::env::var("KINERJA_TEST_PG") {
            return Ok(url);
        }
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/pg-throwaway.sh");
        let out = std::process::Command::new("bash")
            .arg(script)
            .arg("start")
            .output()
            .map_err(|e| format!("cannot run {script}: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "no PostgreSQL for the tests: set KINERJA_TEST_PG or install postgresql ({})",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let (url, dir) = text.split_once(' ').ok_or_else(|| format!("unexpected answer: {text}"))?;
        // Stop the cluster when this test process ends.
        let watchdog = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; bash {script} stop {dir}",
            pid = std::process::id()
        );
        std::process::Command::new("setsid")
            .args(["sh", "-c", &watchdog])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start the cluster's watchdog: {e}"))?;
        Ok(url.to_string())
    })
    .clone()
    .unwrap_or_else(|e| panic!("{e}"))
}

/// A new, empty PostgreSQL database; its URL.
pub async fn pg_database() -> String {
    use sqlx::Connection;
    let admin = pg_admin();
    let mut conn = sqlx::PgConnection::connect(&admin).await.expect("connect to the test cluster");
    let name = format!("kt_{}", kinerja_server::auth::random_token(9).unwrap().to_lowercase().replace(['-', '_'], "x"));
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create database");
    let base = admin.rsplit_once('/').map(|(b, _)| b).expect("url");
    format!("{base}/{name}")
}

/// People of the test city, found by role.
#[derive(Clone, Debug)]
pub struct People {
    /// An employee with no office, whose supervising position is held.
    pub staff: Nip,
    /// Another employee under the same supervisor.
    pub peer: Nip,
    /// Their supervisor.
    pub boss: Nip,
    /// Someone in another unit with no role over them.
    pub stranger: Nip,
    /// Two HR officers.
    pub hr1: Nip,
    pub hr2: Nip,
    /// An attendance officer and the unit they serve.
    pub att: Nip,
    pub att_unit: String,
    /// A fingerprint device of the staff's unit (or a unit above it).
    pub device: Option<String>,
    /// The budget and planning officer (BPKD/Bappeda).
    pub finance: Nip,
    /// Two members of the awards panel.
    pub panel1: Nip,
    pub panel2: Nip,
}

/// The server running on a loopback port.
pub struct TestServer {
    pub base: String,
    pub state: AppState,
    pub clock: Arc<FixedClock>,
    pub db: Db,
    pub url: String,
    pub city: City,
    pub people: People,
    _dir: tempfile::TempDir,
    task: tokio::task::JoinHandle<()>,
}

pub fn wib(y: i32, m: u32, d: u32, h: u32, min: u32) -> chrono::DateTime<Utc> {
    // WIB is UTC+7.
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap() - chrono::Duration::hours(7)
}

/// The test city as JSON: the generated city with a budget and planning officer
/// (BPKD/Bappeda, `finance`) and two members of the awards panel (`award_panel`),
/// appointed from 1 January 2026 to the last employees in the dataset who hold a
/// position on 5 October 2026 and no other appointment.
pub fn city_json() -> String {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        let mut ds = generate(&GeneratorConfig { seed: 1, units: 4, employees: 120, year: 2026 }).expect("city");
        let city = kinerja::dataset::Dataset::load_city(&ds.to_json()).expect("city");
        let org = &city.organisation;
        let access = city.access();
        let on = NaiveDate::from_ymd_opt(2026, 10, 5).unwrap();
        let picks: Vec<Nip> = org
            .employees()
            .iter()
            .rev()
            .filter(|e| access.authorities.appointments(&e.nip).next().is_none())
            .filter(|e| org.definitive_position(&e.nip, on).is_some())
            .take(3)
            .map(|e| e.nip.clone())
            .collect();
        assert_eq!(picks.len(), 3, "three employees to appoint");
        for (nip, role, what) in [
            (&picks[0], OfficerRole::Finance, "Petugas Anggaran dan Perencanaan"),
            (&picks[1], OfficerRole::AwardPanel, "Tim Penilai Penghargaan"),
            (&picks[2], OfficerRole::AwardPanel, "Tim Penilai Penghargaan"),
        ] {
            ds.officers.push(kinerja::access::Officer {
                employee: nip.clone(),
                role,
                unit: None,
                from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                until: None,
                reference: format!("SK Wali Kota tentang {what} (test)"),
            });
        }
        ds.to_json()
    })
    .clone()
}

fn people(city: &City) -> People {
    let org = &city.organisation;
    let access = city.access();
    let on = NaiveDate::from_ymd_opt(2026, 10, 5).unwrap();
    let plain = |n: &Nip| access.authorities.appointments(n).next().is_none();
    // The supervisor with the most plain subordinates, and two of them.
    let mut best: Option<(Nip, Vec<Nip>)> = None;
    for e in org.employees() {
        let Some(Ok(sup)) = org.supervising_position(&e.nip, on) else { continue };
        let Some((boss, _)) = org.holders(&sup.id, on).into_iter().next() else { continue };
        if !plain(&e.nip) || !plain(&boss.nip) {
            continue;
        }
        let team: Vec<Nip> = org
            .employees()
            .iter()
            .filter(|x| plain(&x.nip))
            .filter(|x| matches!(org.supervising_position(&x.nip, on), Some(Ok(s)) if s.id == sup.id))
            .map(|x| x.nip.clone())
            .collect();
        if team.len() >= 2 && best.as_ref().is_none_or(|b| b.1.len() < team.len()) {
            best = Some((boss.nip.clone(), team));
        }
    }
    let (boss, team) = best.expect("a supervisor with two plain subordinates");
    let staff = team[0].clone();
    let peer = team[1].clone();
    let unit_of = |n: &Nip| org.definitive_position(n, on).map(|p| p.unit.clone());
    let staff_unit = unit_of(&staff);
    let stranger = org
        .employees()
        .iter()
        .find(|x| plain(&x.nip) && unit_of(&x.nip) != staff_unit && x.nip != boss)
        .map(|x| x.nip.clone())
        .expect("someone in another unit");
    let hr: Vec<Nip> = access
        .authorities
        .officers()
        .iter()
        .filter(|o| o.role == OfficerRole::Hr && o.covers(on))
        .map(|o| o.employee.clone())
        .collect();
    let att = access
        .authorities
        .officers()
        .iter()
        .find(|o| o.role == OfficerRole::Attendance && o.covers(on) && o.unit.is_some())
        .expect("an attendance officer");
    let of_role = |role: OfficerRole| -> Vec<Nip> {
        access
            .authorities
            .officers()
            .iter()
            .filter(|o| o.role == role && o.covers(on))
            .map(|o| o.employee.clone())
            .collect()
    };
    let finance = of_role(OfficerRole::Finance);
    let panel = of_role(OfficerRole::AwardPanel);
    let device = access
        .authorities
        .devices()
        .iter()
        .find(|d| {
            d.kind == kinerja::access::DeviceKind::Fingerprint
                && staff_unit.as_ref().is_some_and(|u| access.within(u, &d.unit))
        })
        .map(|d| d.id.to_string());
    People {
        staff,
        peer,
        boss,
        stranger,
        hr1: hr[0].clone(),
        hr2: hr[1].clone(),
        att: att.employee.clone(),
        att_unit: att.unit.as_ref().unwrap().to_string(),
        device,
        finance: finance[0].clone(),
        panel1: panel[0].clone(),
        panel2: panel[1].clone(),
    }
}

impl TestServer {
    /// A server with the test city imported (dataset version 1 from 2026-01-01,
    /// the national policy) and a password for every employee and official.
    pub async fn start(db: Db) -> TestServer {
        Self::start_with(db, |_| {}).await
    }

    /// A server like [`TestServer::start`] whose configuration `configure` changes
    /// first (a smaller body limit, the default sign-in limits, `trust_proxy`).
    pub async fn start_with(db: Db, configure: impl FnOnce(&mut Config)) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = match db {
            Db::Sqlite => dir.path().join("kinerja.db").display().to_string(),
            Db::Postgres => pg_database().await,
        };
        Self::start_on_with(db, url, dir, true, configure).await
    }

    /// A server over an existing database (a restart); `seed` imports the city first.
    pub async fn start_on(db: Db, url: String, dir: tempfile::TempDir, seed: bool) -> TestServer {
        Self::start_on_with(db, url, dir, seed, |_| {}).await
    }

    /// [`TestServer::start_on`] with a configuration `configure` changes. The
    /// harness raises the sign-in attempts a client may make (tests sign in
    /// often, from one address); a test of the throttle puts them back.
    pub async fn start_on_with(
        db: Db,
        url: String,
        dir: tempfile::TempDir,
        seed: bool,
        configure: impl FnOnce(&mut Config),
    ) -> TestServer {
        let clock = Arc::new(FixedClock::new(wib(2026, 10, 5, 9, 0)));
        let store: Arc<dyn Store> = Arc::new(SqlStore::open(&url).await.expect("open the database"));
        let mut config = Config::new(url.clone());
        config.limits.attempts_per_client = 10_000;
        configure(&mut config);
        let state = AppState::new(store, clock.clone(), config);
        let json = city_json();
        let city = kinerja::dataset::Dataset::load_city(&json).expect("city");
        if seed {
            state.store.set_meta("mode", "production").await.unwrap();
            kinerja_server::api::hr::import_policy_layers(&state, true, &[], "test").await.expect("policy");
            kinerja_server::api::hr::import_dataset_text(
                &state,
                &json,
                NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                "test",
            )
            .await
            .expect("dataset");
            let hash = kinerja_server::auth::hash_password(PASSWORD.to_string()).await.unwrap();
            let now = state.now_text();
            let mut actors: Vec<String> = city.organisation.employees().iter().map(|e| e.nip.to_string()).collect();
            actors.extend(city.access().authorities.officials().iter().map(|o| format!("official:{}", o.id)));
            for a in actors {
                let mut row = kinerja_server::api::session::blank_account(&a, &now);
                row.password_hash = Some(hash.clone());
                state.store.put_account(&row).await.unwrap();
            }
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = kinerja_server::app(state.clone()).into_make_service_with_connect_info::<std::net::SocketAddr>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        let people = people(&city);
        TestServer { base: format!("http://{addr}"), state, clock, db, url, city, people, _dir: dir, task }
    }

    /// The folder the database lives in (SQLite) and nothing else should.
    pub fn dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    /// Stops serving and gives back the database folder (for a restart).
    pub async fn stop(self) -> (String, tempfile::TempDir) {
        self.task.abort();
        let _ = self.task.await;
        (self.url, self._dir)
    }

    /// Moves the clock to a local (WIB) time.
    pub fn at(&self, t: NaiveDateTime) {
        self.clock.set(Utc.from_utc_datetime(&t) - chrono::Duration::hours(7));
    }

    /// A client with no session.
    pub fn anonymous(&self) -> Client {
        Client {
            http: reqwest::Client::builder().cookie_store(true).build().unwrap(),
            base: self.base.clone(),
            csrf: None,
            bearer: None,
        }
    }

    /// A browser-like client signed in as `actor`.
    pub async fn sign_in(&self, actor: &str) -> Client {
        let mut c = self.anonymous();
        let (status, body) = c.post("/api/auth/login", json!({"actor": actor, "password": PASSWORD})).await;
        assert_eq!(status, StatusCode::OK, "sign in as {actor}: {body}");
        c.csrf = body["csrf"].as_str().map(String::from);
        c
    }

    /// A script-like client with a bearer token for `actor`.
    pub async fn token(&self, actor: &str) -> Client {
        let mut c = self.anonymous();
        let (status, body) =
            c.post("/api/auth/login", json!({"actor": actor, "password": PASSWORD, "mode": "token"})).await;
        assert_eq!(status, StatusCode::OK, "token for {actor}: {body}");
        c.bearer = body["token"].as_str().map(String::from);
        c.http = reqwest::Client::new();
        c
    }
}

/// An HTTP client for the API.
#[derive(Clone)]
pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub csrf: Option<String>,
    pub bearer: Option<String>,
}

impl Client {
    fn req(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let mut r = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = &self.csrf {
            r = r.header("x-csrf-token", t);
        }
        if let Some(b) = &self.bearer {
            r = r.bearer_auth(b);
        }
        r
    }

    async fn send(r: reqwest::RequestBuilder) -> (StatusCode, Value) {
        let resp = r.send().await.expect("request");
        let status = resp.status();
        let text = resp.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, body)
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        Self::send(self.req(reqwest::Method::GET, path)).await
    }

    /// A GET with an `Accept-Language` header.
    pub async fn get_in(&self, path: &str, accept_language: &str) -> (StatusCode, Value) {
        Self::send(self.req(reqwest::Method::GET, path).header("accept-language", accept_language)).await
    }

    pub async fn get_bytes(&self, path: &str) -> (StatusCode, Vec<u8>, String) {
        let resp = self.req(reqwest::Method::GET, path).send().await.expect("request");
        let status = resp.status();
        let ct = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        (status, resp.bytes().await.unwrap().to_vec(), ct)
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        Self::send(self.req(reqwest::Method::POST, path).json(&body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> (StatusCode, Value) {
        Self::send(self.req(reqwest::Method::PUT, path).json(&body)).await
    }

    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        Self::send(self.req(reqwest::Method::DELETE, path)).await
    }

    /// The same client without its CSRF token.
    pub fn without_csrf(&self) -> Client {
        Client { csrf: None, ..self.clone() }
    }
}

/// The error code of an error body.
pub fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("")
}

/// The refusal reason of an error body.
pub fn reason(body: &Value) -> &str {
    body["error"]["reason"].as_str().unwrap_or("")
}
