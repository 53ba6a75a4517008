//! Security, end to end over HTTP, each case on SQLite and on PostgreSQL: every
//! endpoint against every kind of caller, session fixation, CSRF, injection
//! text in every text field, oversized bodies, path tricks, and the sign-in
//! throttle.
//!
//! A refusal is checked the same way everywhere: a JSON error with its stable
//! code (and for a 403 the core's reason), with no SQL, file path or panic text
//! in it, and **nothing stored**: every table of the database is read before and
//! after and compared row by row, the audit log growing only by the refusal's
//! own line where the endpoint audits refusals.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use common::*;
use kinerja::access::OfficerRole;
use kinerja::nip::Nip;
use kinerja_server::store::SqlStore;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sqlx::Row;

// ---------------------------------------------------------------------------
// The database, table by table
// ---------------------------------------------------------------------------

/// Every table's rows as text, sorted (the schema's migration table by count).
type Tables = BTreeMap<String, Vec<String>>;

async fn table_names(store: &SqlStore, db: Db) -> Vec<String> {
    let sql = match db {
        Db::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        Db::Postgres => "SELECT tablename::text AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    };
    let rows = sqlx::query(sql).fetch_all(store.pool()).await.expect("list tables");
    rows.iter().map(|r| r.get::<String, _>("name")).collect()
}

fn cell_text(row: &sqlx::any::AnyRow, i: usize) -> String {
    if let Ok(v) = row.try_get::<Option<String>, _>(i) {
        return format!("{v:?}");
    }
    if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
        return format!("{v:?}");
    }
    if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
        return format!("{v:?}");
    }
    if let Ok(v) = row.try_get::<Option<bool>, _>(i) {
        return format!("{v:?}");
    }
    if let Ok(v) = row.try_get::<Option<Vec<u8>>, _>(i) {
        return format!("{v:?}");
    }
    "?".into()
}

async fn snapshot(store: &SqlStore, db: Db) -> Tables {
    let mut out = Tables::new();
    for t in table_names(store, db).await {
        let sql = match t.as_str() {
            // Migrations hold types the generic reader does not decode: counted.
            m if m.starts_with("_sqlx") => format!("SELECT COUNT(*) AS n FROM {m}"),
            // A dataset's body is covered by its SHA-256 (and is large).
            "datasets" => "SELECT version, effective_from, imported_at, imported_by, sha256 FROM datasets".into(),
            other => format!("SELECT * FROM {other}"),
        };
        let rows = sqlx::query(&sql).fetch_all(store.pool()).await.unwrap_or_else(|e| panic!("read {t}: {e}"));
        let mut lines: Vec<String> = rows
            .iter()
            .map(|r| {
                use sqlx::Row as _;
                (0..r.columns().len()).map(|i| cell_text(r, i)).collect::<Vec<_>>().join(" | ")
            })
            .collect();
        lines.sort();
        out.insert(t, lines);
    }
    assert!(out.len() >= 11, "the schema's tables: {:?}", out.keys());
    out
}

/// What changed between two snapshots, table by table (rows gone, rows new).
fn changes(before: &Tables, after: &Tables) -> BTreeMap<String, (Vec<String>, Vec<String>)> {
    let mut out = BTreeMap::new();
    let names: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for t in names {
        let empty = Vec::new();
        let (b, a) = (before.get(t).unwrap_or(&empty), after.get(t).unwrap_or(&empty));
        if b == a && before.contains_key(t) == after.contains_key(t) {
            continue;
        }
        let gone: Vec<String> = b.iter().filter(|r| !a.contains(r)).cloned().collect();
        let new: Vec<String> = a.iter().filter(|r| !b.contains(r)).cloned().collect();
        out.insert(t.clone(), (gone, new));
    }
    out
}

/// Asserts that nothing was stored, except, when `audit` names an outcome, one
/// audit line with that outcome.
fn assert_nothing_stored(before: &Tables, after: &Tables, audit: Option<&str>, what: &str) {
    let mut diff = changes(before, after);
    if let Some(outcome) = audit {
        let (gone, new) = diff.remove("audit").unwrap_or_default();
        assert!(gone.is_empty(), "{what}: audit lines changed: {gone:?}");
        assert_eq!(new.len(), 1, "{what}: one audit line for the refusal, found {new:?}");
        assert!(new[0].contains(&format!("\"{outcome}\"")), "{what}: audit line {:?} names {outcome}", new[0]);
    }
    assert!(diff.is_empty(), "{what}: stored {diff:#?}");
}

// ---------------------------------------------------------------------------
// Requests and answers
// ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct Req {
    method: Method,
    path: String,
    body: Option<Value>,
    /// A CSV file as the body (`text/csv`), for the imports.
    csv: Option<String>,
}

fn get(path: impl Into<String>) -> Req {
    Req { method: Method::GET, path: path.into(), body: None, csv: None }
}

fn post(path: impl Into<String>, body: Value) -> Req {
    Req { method: Method::POST, path: path.into(), body: Some(body), csv: None }
}

/// A POST of a CSV file.
fn post_csv(path: impl Into<String>, csv: impl Into<String>) -> Req {
    Req { method: Method::POST, path: path.into(), body: None, csv: Some(csv.into()) }
}

fn post_empty(path: impl Into<String>) -> Req {
    Req { method: Method::POST, path: path.into(), body: None, csv: None }
}

struct Resp {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    text: String,
    json: Value,
    took: Duration,
}

async fn send(c: &Client, r: &Req) -> Resp {
    let mut b = c.http.request(r.method.clone(), format!("{}{}", c.base, r.path));
    if let Some(t) = &c.csrf {
        b = b.header("x-csrf-token", t);
    }
    if let Some(t) = &c.bearer {
        b = b.bearer_auth(t);
    }
    if let Some(body) = &r.body {
        b = b.json(body);
    }
    if let Some(csv) = &r.csv {
        b = b.header("content-type", "text/csv").body(csv.clone());
    }
    finish(b).await
}

async fn finish(b: reqwest::RequestBuilder) -> Resp {
    let started = Instant::now();
    let resp = b.send().await.expect("request");
    let status = resp.status();
    let headers = resp.headers().clone();
    // A live event stream never ends: its status and headers are the answer.
    let streaming =
        headers.get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/event-stream"));
    let bytes = if streaming { Default::default() } else { resp.bytes().await.unwrap_or_default() };
    let text = String::from_utf8_lossy(&bytes).to_string();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Resp { status, headers, text, json, took: started.elapsed() }
}

/// Text no error may carry: the database's words, files and folders of the
/// machine, a panic.
const LEAKS: &[&str] = &[
    "SELECT ",
    "INSERT ",
    "UPDATE ",
    "sqlx",
    "SQLite",
    "sqlite",
    "postgres",
    "Postgres",
    "/tmp/",
    "/work/",
    "/home/",
    "/root",
    ".rs:",
    "panicked",
    "backtrace",
    "root:x:0",
];

fn assert_no_leak(text: &str, what: &str) {
    for l in LEAKS {
        assert!(!text.contains(l), "{what}: the answer leaks `{l}`: {}", &text[..text.len().min(600)]);
    }
}

/// Asserts a JSON error: its status, a stable snake_case code, for a 403
/// `not_authorised` with `reason`, a message, and no leak.
fn assert_error(r: &Resp, status: u16, code_or_reason: &str, what: &str) {
    assert_eq!(r.status.as_u16(), status, "{what}: {}", r.text);
    assert_json_error(r, what);
    let e = &r.json["error"];
    if status == 403 {
        assert_eq!(e["code"], "not_authorised", "{what}: {}", r.text);
        assert_eq!(e["reason"], code_or_reason, "{what}: {}", r.text);
    } else {
        assert_eq!(e["code"], code_or_reason, "{what}: {}", r.text);
    }
}

/// Any 4xx/5xx: a JSON error body with its status, a stable code and a message.
fn assert_json_error(r: &Resp, what: &str) {
    let e = &r.json["error"];
    assert_eq!(e["status"].as_u64(), Some(u64::from(r.status.as_u16())), "{what}: not a JSON error: {}", r.text);
    let code = e["code"].as_str().unwrap_or("");
    assert!(
        !code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
        "{what}: code `{code}`"
    );
    assert!(e["message"].is_string(), "{what}: {}", r.text);
    let ct = r.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(ct.starts_with("application/json"), "{what}: content type {ct}");
    assert_no_leak(&r.text, what);
}

/// Every byte but the unreserved ones, percent-encoded (one path segment).
fn enc(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A request written by hand on a new connection, exactly as given (no URL
/// normalisation): status, headers (lower case), body.
async fn raw(base: &str, head: &str, body: &[u8]) -> (u16, HashMap<String, String>, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let mut msg = head.replace('\n', "\r\n").into_bytes();
    if !head.ends_with("\n\n") {
        msg.extend_from_slice(b"\r\n");
    }
    // The server may answer and close before reading all of a refused body.
    let _ = s.write_all(&msg).await;
    let _ = s.write_all(body).await;
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(60), s.read_to_end(&mut buf)).await;
    let text = String::from_utf8_lossy(&buf).to_string();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|c| c.parse().ok()).unwrap_or(0);
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let body = if headers.get("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        let mut out = String::new();
        let mut rest = rest;
        while let Some((size, after)) = rest.split_once("\r\n") {
            let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            if n == 0 || after.len() < n {
                break;
            }
            out.push_str(&after[..n]);
            rest = after[n..].trim_start_matches("\r\n");
        }
        out
    } else {
        rest.to_string()
    };
    (status, headers, body)
}

fn raw_resp(status: u16, headers: HashMap<String, String>, body: String) -> Resp {
    let mut map = reqwest::header::HeaderMap::new();
    for (k, v) in headers {
        if let (Ok(k), Ok(v)) =
            (reqwest::header::HeaderName::from_bytes(k.as_bytes()), reqwest::header::HeaderValue::from_str(&v))
        {
            map.insert(k, v);
        }
    }
    Resp {
        status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        headers: map,
        json: serde_json::from_str(&body).unwrap_or(Value::Null),
        text: body,
        took: Duration::ZERO,
    }
}

// ---------------------------------------------------------------------------
// The cast and their records
// ---------------------------------------------------------------------------

/// Who calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Who {
    /// No session.
    None,
    /// A plain employee, asking about someone else (the staff member) or for
    /// what only HR may do.
    Peer,
    /// The attendance officer of another unit than the staff member's.
    Officer,
    /// The staff member's unit's clock machine (a device token).
    Device,
    /// The regional head (an official: no NIP).
    Official,
    /// The allowed callers.
    Staff,
    Boss,
    Hr1,
    Hr2,
    UnitAtt,
    /// The budget and planning officer (BPKD/Bappeda).
    Finance,
    /// A member of the awards panel.
    Panel,
}

/// The matrix's columns, in order.
const COLUMNS: [Who; 5] = [Who::None, Who::Peer, Who::Officer, Who::Device, Who::Official];

const DAY: &str = "2026-10-05";
const NEW_PASSWORD: &str = "sandi-baru-yang-panjang";

struct Fx {
    srv: TestServer,
    store: SqlStore,
    p: People,
    actors: HashMap<Who, String>,
    clients: HashMap<Who, Client>,
    unit: String,
    device: String,
    tasks: HashMap<Who, String>,
    e_edit: u64,
    e_resubmit: u64,
    e_verify: u64,
    staff_extra_session: String,
    upload: Value,
    codes: HashMap<Who, (String, String)>,
    spare: Vec<Nip>,
    /// The social space's records: the staff's ad, the staff's ad a moderator
    /// removes, the staff's conversation with the boss about it, the staff's
    /// message in it, the boss's report, a photo.
    social: Social,
}

#[derive(Default)]
struct Social {
    ad: u64,
    ad_to_remove: u64,
    conversation: u64,
    message: u64,
    report: u64,
    photo: String,
}

/// The first bytes of a WebP image (RIFF, size, WEBP, a VP8 chunk head): what
/// the photo upload recognises; ASCII and NUL only, so it travels as text.
const WEBP: &str = "RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 \u{0}\u{0}\u{0}\u{0}";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

impl Fx {
    /// The test city with its people signed in (bearer tokens), the clock at
    /// Monday 5 October 2026, 16:00, and the records the matrix acts on: three
    /// entries of the staff member (one to edit, one returned to resubmit, one to
    /// verify), a phone upload waiting, a spare session, activation codes.
    async fn new(db: Db, configure: impl FnOnce(&mut kinerja_server::Config)) -> Fx {
        let srv = TestServer::start_with(db, configure).await;
        srv.at(day(2026, 10, 5).and_hms_opt(16, 0, 0).unwrap());
        let p = srv.people.clone();
        let store = SqlStore::open(&srv.url).await.expect("open the database");
        let on = day(2026, 10, 5);
        let city = &srv.city;
        let org = &city.organisation;
        let access = city.access();
        let unit = org.definitive_position(&p.staff, on).expect("staff's position").unit.clone();
        let officers: Vec<_> = access
            .authorities
            .officers()
            .iter()
            .filter(|o| o.role == OfficerRole::Attendance && o.covers(on))
            .collect();
        let is_hr = |n: &Nip| access.authorities.appointments(n).any(|o| o.role == OfficerRole::Hr);
        let unit_att = officers
            .iter()
            .find(|o| o.unit.as_ref().is_some_and(|u| access.within(&unit, u)))
            .expect("an attendance officer of the staff member's unit")
            .employee
            .clone();
        let other_att = officers
            .iter()
            .find(|o| {
                o.unit.as_ref().is_some_and(|u| !access.within(&unit, u))
                    && !is_hr(&o.employee)
                    && org.definitive_position(&o.employee, on).is_some_and(|p| p.unit != unit)
            })
            .expect("an attendance officer of another unit")
            .employee
            .clone();
        let official = access.authorities.officials().first().expect("an official").id.to_string();
        let device = p.device.clone().expect("a clock machine at the staff member's unit");
        let taken: BTreeSet<&Nip> = [&p.staff, &p.peer, &p.boss, &p.hr1, &p.hr2, &unit_att, &other_att].into();
        let spare: Vec<Nip> = org
            .employees()
            .iter()
            .map(|e| e.nip.clone())
            .filter(|n| !taken.contains(n) && access.authorities.appointments(n).next().is_none())
            .filter(|n| org.definitive_position(n, on).is_some())
            .take(8)
            .collect();
        assert_eq!(spare.len(), 8, "spare employees");
        let mut actors = HashMap::new();
        actors.insert(Who::Peer, p.peer.to_string());
        actors.insert(Who::Officer, other_att.to_string());
        actors.insert(Who::Official, format!("official:{official}"));
        actors.insert(Who::Staff, p.staff.to_string());
        actors.insert(Who::Boss, p.boss.to_string());
        actors.insert(Who::Hr1, p.hr1.to_string());
        actors.insert(Who::Hr2, p.hr2.to_string());
        actors.insert(Who::UnitAtt, unit_att.to_string());
        actors.insert(Who::Device, format!("device:{device}"));
        actors.insert(Who::Finance, p.finance.to_string());
        actors.insert(Who::Panel, p.panel1.to_string());
        let mut clients = HashMap::new();
        clients.insert(Who::None, anonymous(&srv));
        for who in [
            Who::Peer,
            Who::Officer,
            Who::Official,
            Who::Staff,
            Who::Boss,
            Who::Hr1,
            Who::Hr2,
            Who::UnitAtt,
            Who::Finance,
            Who::Panel,
        ] {
            clients.insert(who, srv.token(&actors[&who]).await);
        }
        let mut fx = Fx {
            store,
            p,
            actors,
            unit: unit.to_string(),
            device,
            tasks: HashMap::new(),
            e_edit: 0,
            e_resubmit: 0,
            e_verify: 0,
            staff_extra_session: String::new(),
            upload: Value::Null,
            codes: HashMap::new(),
            spare,
            clients,
            srv,
            social: Social::default(),
        };
        let machine = fx.device_client().await;
        fx.clients.insert(Who::Device, machine);
        for who in [Who::Staff, Who::Peer, Who::Officer] {
            let (s, d) = fx.c(who).get(&format!("/api/me/day?date={DAY}")).await;
            assert_eq!(s, StatusCode::OK, "{d}");
            let task = d["tasks"][0]["id"].as_str().expect("a task").to_string();
            fx.tasks.insert(who, task);
        }
        let mut ids = Vec::new();
        for (start, end) in [("07:30", "08:00"), ("08:00", "08:30"), ("08:30", "09:00")] {
            let (s, b) = fx.c(Who::Staff).post("/api/me/activities", fx.form(Who::Staff, start, end, "kerja")).await;
            assert_eq!(s, StatusCode::OK, "{b}");
            ids.push(b["entry"]["id"].as_u64().expect("entry id"));
        }
        (fx.e_edit, fx.e_resubmit, fx.e_verify) = (ids[0], ids[1], ids[2]);
        let (s, b) = fx
            .c(Who::Boss)
            .post(
                "/api/months/2026-10/verifications",
                json!({"decisions": [{"entry": fx.e_resubmit, "decision": "return", "reason": "lengkapi bukti"}]}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let (s, b) = anonymous(&fx.srv)
            .post(
                "/api/auth/login",
                json!({"actor": fx.p.staff.as_str(), "password": PASSWORD, "mode": "token", "label": "to end"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        fx.staff_extra_session = b["session"].as_str().unwrap().to_string();
        // A phone's upload, waiting to be sent.
        let (s, bundle) = fx.c(Who::Staff).get("/api/sync/bundle?month=2026-10").await;
        assert_eq!(s, StatusCode::OK, "{bundle}");
        let mut phone = kinerja::device::DeviceSession::open(&bundle.to_string()).expect("bundle");
        let draft = kinerja::device::ActivityDraft {
            date: DAY.into(),
            start: "10:00".into(),
            end: "10:30".into(),
            task: fx.tasks[&Who::Staff].clone(),
            quantity: "1".into(),
            description: "dari telepon".into(),
            evidence: None,
        };
        phone.log_activity(&draft, "2026-10-05T15:55").expect("the phone logs");
        let changes: Value = serde_json::from_str(&phone.pending_changes_json()).unwrap();
        fx.upload = json!({"session": bundle["session"], "changes": changes});
        // Activation codes: one person for each column of the activation row.
        let actors: Vec<&str> = fx.spare[..5].iter().map(Nip::as_str).collect();
        let (s, csv) = fx.c(Who::Hr1).post("/api/admin/activation-codes", json!({"actors": actors})).await;
        assert_eq!(s, StatusCode::OK, "{csv}");
        let csv = csv.as_str().unwrap_or_default().to_string();
        let codes: HashMap<String, String> = csv::Reader::from_reader(csv.as_bytes())
            .records()
            .map(|r| r.expect("a CSV line"))
            .map(|r| (r[0].to_string(), r[3].to_string()))
            .collect();
        for (who, nip) in COLUMNS.iter().zip(&fx.spare[..5]) {
            fx.codes.insert(*who, (nip.to_string(), codes[nip.as_str()].clone()));
        }
        // The social space: two ads of the staff, the boss asks about the first
        // and reports it, the staff answers; HR1 is named moderator; a photo.
        let mut ads = Vec::new();
        for title in ["Sepeda lipat", "Barang untuk dihapus"] {
            let ad = json!({"title": title, "description": "Kondisi baik", "category": "vehicle",
                            "price": "1500000", "condition": "used"});
            let (s, b) = fx.c(Who::Staff).post("/api/social/ads", ad).await;
            assert_eq!(s, StatusCode::OK, "{b}");
            ads.push(b["id"].as_u64().expect("ad id"));
        }
        (fx.social.ad, fx.social.ad_to_remove) = (ads[0], ads[1]);
        let (s, b) = fx.c(Who::Boss).post("/api/social/conversations", json!({"ad": fx.social.ad})).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        fx.social.conversation = b["conversation"].as_u64().expect("conversation");
        let path = format!("/api/social/conversations/{}/messages", fx.social.conversation);
        let (s, b) = fx.c(Who::Boss).post(&path, json!({"body": "Masih ada?"})).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let (s, b) = fx.c(Who::Staff).post(&path, json!({"body": "Masih, Pak"})).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        fx.social.message = b["message"].as_u64().expect("message");
        let (s, b) = fx.c(Who::Boss).post("/api/social/reports", json!({"ad": fx.social.ad, "reason": "uji"})).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        fx.social.report = b.as_u64().expect("report");
        let hr1 = fx.actor(Who::Hr1).to_string();
        let (s, b) = fx.c(Who::Hr1).post("/api/social/moderators", json!({"nip": hr1, "named": true})).await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{b}");
        let r = send(fx.c(Who::Staff), &post_csv("/api/social/photos", WEBP)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        fx.social.photo = r.json["id"].as_str().expect("photo id").to_string();
        fx
    }

    fn c(&self, who: Who) -> &Client {
        &self.clients[&who]
    }

    fn actor(&self, who: Who) -> &str {
        &self.actors[&who]
    }

    /// The staff member's PIN on their unit's clock machine (its enrolment).
    fn pin(&self) -> String {
        let access = self.srv.city.access();
        let reader =
            access.authorities.devices().iter().find(|d| d.id.to_string() == self.device).expect("the machine");
        reader.enrolments.iter().find(|e| e.employee == self.p.staff).expect("the staff is enrolled").pin.clone()
    }

    /// A bearer token for the clock machine, issued by HR.
    async fn device_client(&self) -> Client {
        let (s, t) = self.c(Who::Hr1).post(&format!("/api/admin/devices/{}/token", self.device), json!({})).await;
        assert_eq!(s, StatusCode::OK, "{t}");
        let mut machine = anonymous(&self.srv);
        machine.bearer = t["token"].as_str().map(String::from);
        machine
    }

    /// A new session of the same caller (for the rows that end it).
    async fn fresh(&self, who: Who) -> Client {
        match who {
            Who::None => anonymous(&self.srv),
            Who::Device => self.device_client().await,
            other => self.srv.token(self.actor(other)).await,
        }
    }

    /// An activity form of `who` (their own first task) on the test day.
    fn form(&self, who: Who, start: &str, end: &str, description: &str) -> Value {
        let task = self.tasks.get(&who).unwrap_or(&self.tasks[&Who::Staff]);
        json!({"date": DAY, "start": start, "end": end, "task": task, "quantity": 1, "description": description})
    }

    async fn snapshot(&self) -> Tables {
        snapshot(&self.store, self.srv.db).await
    }
}

/// A client with no session and no cookie jar.
fn anonymous(srv: &TestServer) -> Client {
    Client { http: reqwest::Client::new(), base: srv.base.clone(), csrf: None, bearer: None }
}

// ---------------------------------------------------------------------------
// 1. Every endpoint against every caller
// ---------------------------------------------------------------------------

/// The matrix. Rows: every operation of the API, as the OpenAPI document names
/// it (`METHOD path`), the caller allowed, what each column's caller gets, and
/// whether the endpoint writes a refusal to the audit log. Columns: no session;
/// a plain employee (asking about the staff member's records, or for HR's
/// work); the attendance officer of another unit; the staff member's unit's
/// clock machine; the regional head. A cell is `✓` (allowed: a public endpoint,
/// or the column is the allowed caller), `own` (allowed, about the caller's own
/// record: their day, their sessions), or the refusal: status and the error's
/// `reason` (403) or `code`. Rows run top to bottom on one server, each after
/// the allowed call of the row before (September is closed by HR1, paid, then
/// reopened by HR2; the last rows end sessions and change passwords).
const MATRIX: &[(&str, &str, [&str; 5], bool)] = &[
    // operation                                          allowed        none   peer                        officer (other unit)        device                  official                 audits
    ("GET /api/health", "anyone", ["✓", "✓", "✓", "✓", "✓"], false),
    ("GET /api/openapi.json", "anyone", ["✓", "✓", "✓", "✓", "✓"], false),
    ("POST /api/auth/login", "anyone", ["✓", "✓", "✓", "✓", "✓"], false),
    ("POST /api/auth/activate", "anyone", ["✓", "✓", "✓", "✓", "✓"], false),
    ("GET /api/me", "staff", ["401 unauthenticated", "own", "own", "own", "own"], false),
    ("GET /api/me/sessions", "staff", ["401 unauthenticated", "own", "own", "own", "own"], false),
    (
        "DELETE /api/me/sessions/{id}",
        "staff",
        ["401 unauthenticated", "404 not_found", "404 not_found", "404 not_found", "404 not_found"],
        false,
    ),
    ("POST /api/me/tokens", "staff", ["401 unauthenticated", "own", "own", "403 not_an_employee", "own"], false),
    (
        "GET /api/me/day",
        "staff",
        ["401 unauthenticated", "own", "own", "403 not_an_employee", "403 not_an_employee"],
        false,
    ),
    (
        "POST /api/me/activities",
        "staff",
        ["401 unauthenticated", "own", "own", "403 not_an_employee", "403 not_an_employee"],
        false,
    ),
    (
        "PUT /api/months/{month}/entries/{id}",
        "staff",
        [
            "401 unauthenticated",
            "403 not_the_employee",
            "403 not_the_employee",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "POST /api/months/{month}/entries/{id}/resubmit",
        "staff",
        [
            "401 unauthenticated",
            "403 not_the_employee",
            "403 not_the_employee",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    ("GET /api/me/queue", "boss", ["401 unauthenticated", "own", "own", "403 not_an_employee", "own"], false),
    (
        "POST /api/months/{month}/verifications",
        "boss",
        [
            "401 unauthenticated",
            "403 not_the_supervisor",
            "403 not_the_supervisor",
            "403 not_an_employee",
            "403 not_the_verifier",
        ],
        false,
    ),
    (
        "GET /api/months/{month}/employees/{nip}",
        "boss",
        [
            "401 unauthenticated",
            "403 not_the_supervisor",
            "403 not_the_supervisor",
            "403 not_an_employee",
            "403 not_the_verifier",
        ],
        false,
    ),
    (
        "GET /api/months/{month}/employees/{nip}/allowance",
        "boss",
        [
            "401 unauthenticated",
            "403 not_the_supervisor",
            "403 not_the_supervisor",
            "403 not_an_employee",
            "403 not_the_verifier",
        ],
        false,
    ),
    (
        "GET /api/employees/{nip}/targets",
        "staff",
        [
            "401 unauthenticated",
            "403 not_the_supervisor",
            "403 not_the_supervisor",
            "403 not_an_employee",
            "403 not_the_verifier",
        ],
        false,
    ),
    (
        "POST /api/clock",
        "device",
        ["401 unauthenticated", "403 not_a_device", "403 not_a_device", "✓", "403 not_a_device"],
        false,
    ),
    (
        "POST /api/months/{month}/absences",
        "staff",
        [
            "401 unauthenticated",
            "403 not_the_employee",
            "403 not_the_employee",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "GET /api/units/{unit}/roll-call",
        "unit officer",
        ["401 unauthenticated", "403 not_an_officer", "403 outside_unit", "403 not_an_employee", "403 not_an_employee"],
        false,
    ),
    (
        "POST /api/months/{month}/roll-calls",
        "unit officer",
        ["401 unauthenticated", "403 not_an_officer", "403 outside_unit", "403 not_an_employee", "403 not_an_employee"],
        false,
    ),
    (
        "POST /api/months/{month}/ceremonies",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "POST /api/admin/datasets",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "GET /api/admin/datasets",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "POST /api/admin/policies",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "GET /api/months",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "POST /api/months/{month}/close",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        true,
    ),
    (
        "GET /api/months/{month}/recap",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "GET /api/months/{month}/budget",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "GET /api/months/{month}/readiness",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "GET /api/months/{month}/awards",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "GET /api/months/{month}/shadow",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "POST /api/budgets",
        "finance",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        true,
    ),
    (
        "POST /api/budgets/{year}/{unit}/realisation",
        "finance",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        true,
    ),
    (
        "POST /api/plans",
        "finance",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        true,
    ),
    (
        "POST /api/rollout",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        true,
    ),
    (
        "POST /api/awards/nominations",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        true,
    ),
    (
        "GET /api/awards/nominations",
        "panel",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "POST /api/awards/nominations/{id}/scores",
        "panel",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        true,
    ),
    (
        "GET /api/months/{month}/journal",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "GET /api/months/{month}/payroll",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "POST /api/months/{month}/payroll",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "GET /api/months/{month}/payroll.csv",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "GET /api/months/{month}/payroll.xlsx",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "GET /api/months/{month}/slips/{nip}",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "POST /api/months/{month}/what-if",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "POST /api/admin/activation-codes",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "POST /api/admin/devices/{id}/token",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "GET /api/admin/audit",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "POST /api/admin/imports/attendance",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "POST /api/admin/imports/employees",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "POST /api/months/{month}/reopen",
        "hr2",
        [
            "401 unauthenticated",
            "403 not_an_officer",
            "403 not_an_officer",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        true,
    ),
    (
        "GET /api/sync/bundle",
        "staff",
        ["401 unauthenticated", "own", "own", "403 not_an_employee", "403 not_an_employee"],
        false,
    ),
    (
        "POST /api/sync/upload",
        "staff",
        [
            "401 unauthenticated",
            "403 not_session_owner",
            "403 not_session_owner",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "GET /api/social/ads",
        "staff",
        ["401 unauthenticated", "own", "own", "403 not_an_employee", "403 not_an_employee"],
        false,
    ),
    (
        "POST /api/social/ads",
        "staff",
        ["401 unauthenticated", "own", "own", "403 not_an_employee", "403 not_an_employee"],
        false,
    ),
    (
        "GET /api/social/ads/{id}",
        "staff",
        ["401 unauthenticated", "own", "own", "403 not_an_employee", "403 not_an_employee"],
        false,
    ),
    (
        "PUT /api/social/ads/{id}",
        "staff",
        ["401 unauthenticated", "403 not_the_owner", "403 not_the_owner", "403 not_an_employee", "403 not_an_employee"],
        false,
    ),
    (
        "POST /api/social/ads/{id}/status",
        "staff",
        ["401 unauthenticated", "403 not_the_owner", "403 not_the_owner", "403 not_an_employee", "403 not_an_employee"],
        false,
    ),
    (
        "POST /api/social/ads/{id}/removal",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_a_moderator",
            "403 not_a_moderator",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "POST /api/social/photos",
        "staff",
        ["401 unauthenticated", "own", "own", "403 not_an_employee", "403 not_an_employee"],
        false,
    ),
    (
        "GET /api/social/photos/{id}",
        "staff",
        ["401 unauthenticated", "own", "own", "403 not_an_employee", "403 not_an_employee"],
        false,
    ),
    (
        "GET /api/social/conversations",
        "staff",
        ["401 unauthenticated", "own", "own", "403 not_an_employee", "403 not_an_employee"],
        false,
    ),
    (
        "POST /api/social/conversations",
        "staff",
        ["401 unauthenticated", "own", "own", "403 not_an_employee", "403 not_an_employee"],
        false,
    ),
    (
        "GET /api/social/conversations/{id}",
        "staff",
        ["401 unauthenticated", "403 not_a_member", "403 not_a_member", "403 not_an_employee", "403 not_an_employee"],
        false,
    ),
    (
        "GET /api/social/conversations/{id}/stream",
        "staff",
        ["401 unauthenticated", "403 not_a_member", "403 not_a_member", "403 not_an_employee", "403 not_an_employee"],
        false,
    ),
    (
        "POST /api/social/conversations/{id}/messages",
        "staff",
        ["401 unauthenticated", "403 not_a_member", "403 not_a_member", "403 not_an_employee", "403 not_an_employee"],
        false,
    ),
    (
        "POST /api/social/conversations/{id}/read",
        "staff",
        ["401 unauthenticated", "403 not_a_member", "403 not_a_member", "403 not_an_employee", "403 not_an_employee"],
        false,
    ),
    (
        "POST /api/social/conversations/{id}/access",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_an_administrator",
            "403 not_an_administrator",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "PUT /api/social/messages/{id}",
        "staff",
        ["401 unauthenticated", "403 not_a_member", "403 not_a_member", "403 not_an_employee", "403 not_an_employee"],
        false,
    ),
    (
        "DELETE /api/social/messages/{id}",
        "staff",
        ["401 unauthenticated", "403 not_a_member", "403 not_a_member", "403 not_an_employee", "403 not_an_employee"],
        false,
    ),
    (
        "POST /api/social/blocks",
        "staff",
        ["401 unauthenticated", "own", "own", "403 not_an_employee", "403 not_an_employee"],
        false,
    ),
    (
        "POST /api/social/reports",
        "staff",
        ["401 unauthenticated", "own", "own", "403 not_an_employee", "403 not_an_employee"],
        false,
    ),
    (
        "GET /api/social/reports",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_a_moderator",
            "403 not_a_moderator",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "POST /api/social/reports/{id}/resolve",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_a_moderator",
            "403 not_a_moderator",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "POST /api/social/moderators",
        "hr1",
        [
            "401 unauthenticated",
            "403 not_an_administrator",
            "403 not_an_administrator",
            "403 not_an_employee",
            "403 not_an_employee",
        ],
        false,
    ),
    (
        "GET /api/social/bundle",
        "staff",
        ["401 unauthenticated", "own", "own", "403 not_an_employee", "403 not_an_employee"],
        false,
    ),
    ("POST /api/auth/logout", "staff", ["401 unauthenticated", "own", "own", "own", "own"], false),
    ("POST /api/auth/password", "staff", ["401 unauthenticated", "own", "own", "403 not_an_employee", "own"], false),
];

/// What a cell expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cell {
    /// Allowed (public, or the allowed caller).
    Yes,
    /// Allowed on the caller's own record.
    Own,
    /// Refused: status and code (or reason, for 403).
    No(u16, &'static str),
}

fn cell(text: &'static str) -> Cell {
    match text {
        "✓" => Cell::Yes,
        "own" => Cell::Own,
        other => {
            let (status, what) = other.split_once(' ').unwrap_or_else(|| panic!("cell `{other}`"));
            Cell::No(status.parse().unwrap_or_else(|_| panic!("cell `{other}`")), what)
        }
    }
}

fn allowed_of(text: &str) -> Who {
    match text {
        "anyone" => Who::None,
        "staff" => Who::Staff,
        "boss" => Who::Boss,
        "hr1" => Who::Hr1,
        "hr2" => Who::Hr2,
        "unit officer" => Who::UnitAtt,
        "device" => Who::Device,
        "finance" => Who::Finance,
        "panel" => Who::Panel,
        other => panic!("allowed caller `{other}`"),
    }
}

/// Rows whose call ends the caller's session: each caller uses a new one.
fn ends_session(op: &str) -> bool {
    op == "POST /api/auth/logout"
}

/// A small budget of the staff member's unit for 2026: one sub-activity with a
/// ceiling of Rp 1.200.000 planned at Rp 100.000 a month.
fn matrix_budget(unit: &str) -> Value {
    json!({"unit": unit, "year": 2026, "programmes": [{"code": "1.01", "name": "Program uji", "activities": [
        {"code": "1.01.01", "name": "Kegiatan uji", "sub_activities": [
            {"code": "1.01.01.001", "name": "Sub kegiatan uji", "ceiling": "1200000",
             "plan": ["100000", "100000", "100000", "100000", "100000", "100000",
                      "100000", "100000", "100000", "100000", "100000", "100000"]}]}]}]})
}

/// The request of `op` as `who` makes it.
fn request(fx: &Fx, op: &str, who: Who) -> Req {
    let staff = fx.p.staff.as_str();
    match op {
        "GET /api/health" => get("/api/health"),
        "GET /api/openapi.json" => get("/api/openapi.json"),
        "POST /api/auth/login" => {
            post("/api/auth/login", json!({"actor": staff, "password": PASSWORD, "mode": "token", "label": "matrix"}))
        }
        "POST /api/auth/activate" => {
            let (actor, code) = &fx.codes[&who];
            post("/api/auth/activate", json!({"actor": actor, "code": code, "password": "sandi-aktivasi-baru"}))
        }
        "POST /api/auth/logout" => post_empty("/api/auth/logout"),
        "POST /api/auth/password" => post("/api/auth/password", json!({"current": PASSWORD, "new": NEW_PASSWORD})),
        "GET /api/me" => get("/api/me"),
        "GET /api/me/sessions" => get("/api/me/sessions"),
        "DELETE /api/me/sessions/{id}" => Req {
            csv: None,
            method: Method::DELETE,
            path: format!("/api/me/sessions/{}", fx.staff_extra_session),
            body: None,
        },
        "POST /api/me/tokens" => post("/api/me/tokens", json!({"label": "skrip"})),
        "GET /api/me/day" => get(format!("/api/me/day?date={DAY}")),
        "POST /api/me/activities" => post("/api/me/activities", fx.form(who, "09:00", "09:30", "rapat koordinasi")),
        "PUT /api/months/{month}/entries/{id}" => Req {
            method: Method::PUT,
            path: format!("/api/months/2026-10/entries/{}", fx.e_edit),
            body: Some(fx.form(Who::Staff, "07:30", "08:00", "surat masuk diagendakan")),
            csv: None,
        },
        "POST /api/months/{month}/entries/{id}/resubmit" => {
            post_empty(format!("/api/months/2026-10/entries/{}/resubmit", fx.e_resubmit))
        }
        "GET /api/me/queue" => get("/api/me/queue?month=2026-10"),
        "POST /api/months/{month}/verifications" => post(
            "/api/months/2026-10/verifications",
            json!({"decisions": [{"entry": fx.e_verify, "decision": "approve"}]}),
        ),
        "GET /api/months/{month}/employees/{nip}" => get(format!("/api/months/2026-10/employees/{staff}")),
        "GET /api/months/{month}/employees/{nip}/allowance" => {
            get(format!("/api/months/2026-10/employees/{staff}/allowance"))
        }
        "POST /api/clock" => post(
            "/api/clock",
            json!({"scans": [{"employee": staff, "at": "2026-10-05T07:25:00", "direction": "in", "key": "matrix-1"}]}),
        ),
        "POST /api/months/{month}/absences" => post(
            "/api/months/2026-10/absences",
            json!({"employee": staff, "range": {"start": "2026-10-06", "end": "2026-10-06"}, "kind": "permit",
                   "note": "urusan keluarga"}),
        ),
        "GET /api/units/{unit}/roll-call" => get(format!("/api/units/{}/roll-call?date={DAY}", fx.unit)),
        "POST /api/months/{month}/roll-calls" => {
            post("/api/months/2026-10/roll-calls", json!({"date": DAY, "kind": "morning", "attended": [staff]}))
        }
        "POST /api/months/{month}/ceremonies" => {
            post("/api/months/2026-10/ceremonies", json!({"date": "2026-10-07", "name": "Upacara uji"}))
        }
        "POST /api/admin/datasets" => {
            let dataset: Value = serde_json::from_str(&city_json()).unwrap();
            post("/api/admin/datasets", json!({"effective_from": "2026-10-01", "dataset": dataset}))
        }
        "GET /api/admin/datasets" => get("/api/admin/datasets"),
        "POST /api/admin/policies" => post("/api/admin/policies", json!({"layers": []})),
        "GET /api/months" => get("/api/months"),
        "POST /api/months/{month}/close" => post_empty("/api/months/2026-09/close"),
        "GET /api/months/{month}/recap" => get("/api/months/2026-09/recap"),
        "GET /api/months/{month}/budget" => get("/api/months/2026-09/budget"),
        "GET /api/months/{month}/readiness" => get("/api/months/2026-09/readiness"),
        "GET /api/months/{month}/awards" => get("/api/months/2026-09/awards"),
        "GET /api/months/{month}/shadow" => get(format!("/api/months/2026-09/shadow?unit={}", fx.unit)),
        "POST /api/budgets" => post("/api/budgets", json!({"budget": matrix_budget(&fx.unit)})),
        "POST /api/budgets/{year}/{unit}/realisation" => post(
            format!("/api/budgets/2026/{}/realisation", fx.unit),
            json!({"month": 9, "lines": [{"sub_activity": "1.01.01.001", "realised": "100000", "progress": "40"}]}),
        ),
        "POST /api/plans" => post(
            "/api/plans",
            json!({"plan": {"id": "RENJA-MATRIX-2026", "unit": fx.unit, "kind": "work", "from_year": 2026,
                            "until_year": 2026, "reference": "Renja uji 2026"}}),
        ),
        "POST /api/rollout" => {
            post("/api/rollout", json!({"unit": fx.unit, "shadow_month": "2025-12", "go_live": "2026-01-01"}))
        }
        "POST /api/awards/nominations" => post(
            "/api/awards/nominations",
            json!({"id": "SVC-2026-MATRIX", "year": 2026, "category": "service", "employee": staff,
                   "title": "Layanan cepat"}),
        ),
        "GET /api/awards/nominations" => get("/api/awards/nominations?year=2026"),
        "POST /api/awards/nominations/{id}/scores" => {
            post("/api/awards/nominations/SVC-2026-MATRIX/scores", json!({"score": "85"}))
        }
        "GET /api/months/{month}/journal" => get("/api/months/2026-09/journal"),
        "GET /api/months/{month}/payroll" => get("/api/months/2026-09/payroll"),
        "POST /api/months/{month}/payroll" => post("/api/months/2026-09/payroll", json!({"allow_unverified": true})),
        "GET /api/months/{month}/payroll.csv" => get("/api/months/2026-09/payroll.csv"),
        "GET /api/months/{month}/payroll.xlsx" => get("/api/months/2026-09/payroll.xlsx"),
        "GET /api/months/{month}/slips/{nip}" => get(format!("/api/months/2026-09/slips/{staff}")),
        "POST /api/months/{month}/what-if" => post("/api/months/2026-09/what-if", json!({"layers": []})),
        "POST /api/admin/activation-codes" => {
            post("/api/admin/activation-codes", json!({"actors": [fx.spare[5].as_str()]}))
        }
        "POST /api/admin/devices/{id}/token" => post_empty(format!("/api/admin/devices/{}/token", fx.device)),
        "GET /api/admin/audit" => get("/api/admin/audit?limit=5"),
        "POST /api/admin/imports/attendance" => post_csv(
            format!("/api/admin/imports/attendance?device={}&month=2026-10", fx.device),
            format!("AC-No.,Name,Time,State\n{},Staf,05/10/2026 07:26:10,C/In\n", fx.pin()),
        ),
        "POST /api/admin/imports/employees" => post_csv(
            "/api/admin/imports/employees?as_of=2026-10-05",
            "NIP BARU,NAMA,GOL AKHIR NAMA,JENIS PEGAWAI NAMA\n199505052020121001,PEGAWAI BARU,III/a,PNS Daerah Kab/Kota\n",
        ),
        "GET /api/employees/{nip}/targets" => get(format!("/api/employees/{staff}/targets")),

        "POST /api/months/{month}/reopen" => {
            post("/api/months/2026-09/reopen", json!({"reason": "koreksi data absen"}))
        }
        "GET /api/sync/bundle" => get("/api/sync/bundle?month=2026-10"),
        "POST /api/sync/upload" => post("/api/sync/upload", fx.upload.clone()),
        "GET /api/social/ads" => get("/api/social/ads?q=sepeda&category=vehicle&min=1000&max=2000000&page=1"),
        "POST /api/social/ads" => post(
            "/api/social/ads",
            json!({"title": "Kursi kantor", "description": "Masih kokoh", "category": "household",
                   "price": "250000", "condition": "used"}),
        ),
        "GET /api/social/ads/{id}" => get(format!("/api/social/ads/{}", fx.social.ad)),
        "PUT /api/social/ads/{id}" => Req {
            method: Method::PUT,
            path: format!("/api/social/ads/{}", fx.social.ad),
            body: Some(json!({"title": "Sepeda lipat 20 inci", "description": "Kondisi baik", "category": "vehicle",
                              "price": "1400000", "condition": "used"})),
            csv: None,
        },
        "POST /api/social/ads/{id}/status" => {
            post(format!("/api/social/ads/{}/status", fx.social.ad), json!({"action": "renew"}))
        }
        "POST /api/social/ads/{id}/removal" => {
            post(format!("/api/social/ads/{}/removal", fx.social.ad_to_remove), json!({"reason": "duplikat"}))
        }
        "POST /api/social/photos" => post_csv("/api/social/photos", WEBP),
        "GET /api/social/photos/{id}" => get(format!("/api/social/photos/{}", fx.social.photo)),
        "GET /api/social/conversations" => get("/api/social/conversations"),
        "POST /api/social/conversations" => post("/api/social/conversations", json!({"with": fx.actor(Who::Boss)})),
        "GET /api/social/conversations/{id}" => get(format!("/api/social/conversations/{}", fx.social.conversation)),
        "GET /api/social/conversations/{id}/stream" => {
            get(format!("/api/social/conversations/{}/stream", fx.social.conversation))
        }
        "POST /api/social/conversations/{id}/messages" => post(
            format!("/api/social/conversations/{}/messages", fx.social.conversation),
            json!({"body": "Boleh ditawar?"}),
        ),
        "POST /api/social/conversations/{id}/read" => {
            post_empty(format!("/api/social/conversations/{}/read", fx.social.conversation))
        }
        "POST /api/social/conversations/{id}/access" => post(
            format!("/api/social/conversations/{}/access", fx.social.conversation),
            json!({"reason": "laporan penipuan no. 3"}),
        ),
        "PUT /api/social/messages/{id}" => Req {
            method: Method::PUT,
            path: format!("/api/social/messages/{}", fx.social.message),
            body: Some(json!({"body": "Masih ada, Pak"})),
            csv: None,
        },
        "DELETE /api/social/messages/{id}" => Req {
            method: Method::DELETE,
            path: format!("/api/social/messages/{}", fx.social.message),
            body: None,
            csv: None,
        },
        "POST /api/social/blocks" => post("/api/social/blocks", json!({"nip": fx.spare[6].as_str(), "blocked": true})),
        "POST /api/social/reports" => post("/api/social/reports", json!({"ad": fx.social.ad, "reason": "harga aneh"})),
        "GET /api/social/reports" => get("/api/social/reports"),
        "POST /api/social/reports/{id}/resolve" => {
            post(format!("/api/social/reports/{}/resolve", fx.social.report), json!({"note": "tidak melanggar"}))
        }
        "POST /api/social/moderators" => {
            post("/api/social/moderators", json!({"nip": fx.actor(Who::Hr2), "named": true}))
        }
        "GET /api/social/bundle" => get("/api/social/bundle"),
        other => panic!("no request for `{other}`: add one (and a row to the matrix)"),
    }
}

/// The routes as `server/src/api/mod.rs` declares them (`METHOD path`).
fn router_operations() -> BTreeSet<String> {
    let source = include_str!("../src/api/mod.rs");
    let mut ops = BTreeSet::new();
    for line in source.lines() {
        let Some(rest) = line.trim().strip_prefix(".route(\"") else { continue };
        let Some((path, handlers)) = rest.split_once('"') else { continue };
        for m in ["get", "post", "put", "delete", "patch"] {
            let found = [format!("({m}("), format!(".{m}("), format!(" {m}(")].iter().any(|p| handlers.contains(p));
            if found {
                ops.insert(format!("{} {path}", m.to_uppercase()));
            }
        }
    }
    ops
}

/// The operations of the OpenAPI document the server serves.
async fn documented_operations(c: &Client) -> BTreeSet<String> {
    let (s, doc) = c.get("/api/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    let mut ops = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for m in ["get", "post", "put", "delete", "patch"] {
            if item.get(m).is_some() {
                ops.insert(format!("{} {path}", m.to_uppercase()));
            }
        }
    }
    ops
}

async fn every_endpoint_against_every_caller(db: Db) {
    let fx = Fx::new(db, |_| {}).await;

    // The table covers the API exactly: every documented operation, every route.
    let documented = documented_operations(fx.c(Who::None)).await;
    let routed = router_operations();
    let table: Vec<&str> = MATRIX.iter().map(|r| r.0).collect();
    let tabled: BTreeSet<String> = table.iter().map(|s| s.to_string()).collect();
    assert_eq!(tabled.len(), table.len(), "an operation appears twice in the matrix");
    assert!(documented.len() >= 40, "the OpenAPI document lists {} operations", documented.len());
    let mut expected = documented.clone();
    expected.insert("GET /api/openapi.json".into());
    assert_eq!(routed, expected, "routes of api/mod.rs against the OpenAPI document (and the document itself)");
    let missing: Vec<&String> = expected.iter().filter(|o| !tabled.contains(*o)).collect();
    let extra: Vec<&String> = tabled.iter().filter(|o| !expected.contains(*o)).collect();
    assert!(missing.is_empty() && extra.is_empty(), "matrix rows missing: {missing:?}; rows of no route: {extra:?}");

    let (mut allowed, mut refused, mut cells) = (0usize, 0usize, 0usize);
    for &(op, allowed_text, row, audits) in MATRIX {
        let allowed_who = allowed_of(allowed_text);
        for (&who, &text) in COLUMNS.iter().zip(row.iter()) {
            cells += 1;
            let expect = cell(text);
            if who == allowed_who {
                assert_eq!(expect, Cell::Yes, "{op}: the allowed caller's column");
            }
            let client = if ends_session(op) { fx.fresh(who).await } else { fx.c(who).clone() };
            let req = request(&fx, op, who);
            let what = format!("{op} as {who:?}");
            let before = fx.snapshot().await;
            let r = send(&client, &req).await;
            match expect {
                Cell::Yes | Cell::Own => {
                    assert!(r.status.is_success(), "{what}: {} {}", r.status, r.text);
                    allowed += 1;
                }
                Cell::No(status, code) => {
                    assert_error(&r, status, code, &what);
                    let after = fx.snapshot().await;
                    let audit_line = (audits && status == 403).then_some(code);
                    assert_nothing_stored(&before, &after, audit_line, &what);
                    refused += 1;
                }
            }
        }
        if !COLUMNS.contains(&allowed_who) {
            cells += 1;
            let client = if ends_session(op) { fx.fresh(allowed_who).await } else { fx.c(allowed_who).clone() };
            let r = send(&client, &request(&fx, op, allowed_who)).await;
            assert!(r.status.is_success(), "{op} as the allowed {allowed_who:?}: {} {}", r.status, r.text);
            if op.ends_with("payroll.csv") || op.ends_with("payroll.xlsx") || op.ends_with("activation-codes") {
                assert_safe_file_name(&r, op);
            }
            allowed += 1;
        }
    }
    assert_eq!(allowed + refused, cells);
    assert!(refused >= 150, "{refused} refusals");
    eprintln!(
        "matrix ({db:?}): {} operations x {} callers (none, peer, officer of another unit, device, official) \
         and the allowed caller where it is none of them: {cells} cells, {allowed} allowed, {refused} refused",
        MATRIX.len(),
        COLUMNS.len(),
    );

    // The password change ended every session of the staff member, and the new
    // password is the one that works.
    let (s, _) = fx.c(Who::Staff).get("/api/me").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let anon = anonymous(&fx.srv);
    let (s, _) = anon.post("/api/auth/login", json!({"actor": fx.p.staff.as_str(), "password": PASSWORD})).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = anon.post("/api/auth/login", json!({"actor": fx.p.staff.as_str(), "password": NEW_PASSWORD})).await;
    assert_eq!(s, StatusCode::OK);
}
both!(every_endpoint_against_every_caller);

/// A download's file name: `attachment; filename="..."` of letters, digits,
/// `-`, `_`, `.`, not starting with a dot.
fn assert_safe_file_name(r: &Resp, what: &str) {
    let cd = r.headers.get("content-disposition").and_then(|v| v.to_str().ok()).unwrap_or("");
    let name = cd
        .strip_prefix("attachment; filename=\"")
        .and_then(|n| n.strip_suffix('"'))
        .unwrap_or_else(|| panic!("{what}: content disposition `{cd}`"));
    assert!(
        !name.is_empty()
            && !name.starts_with('.')
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')),
        "{what}: file name `{name}`"
    );
}

// ---------------------------------------------------------------------------
// 2. Session fixation, logout, password change, expiry
// ---------------------------------------------------------------------------

/// The session secret a `Set-Cookie` header sets.
fn set_cookie(r: &Resp) -> Option<(String, String)> {
    r.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).find_map(|v| {
        let value = v.strip_prefix(&format!("{}=", kinerja_server::auth::COOKIE))?;
        Some((value.split(';').next().unwrap_or("").to_string(), v.to_string()))
    })
}

/// A request carrying `cookie` as the session cookie (and `csrf` when given).
async fn with_cookie(srv: &TestServer, req: &Req, cookie: &str, csrf: Option<&str>) -> Resp {
    let mut b = reqwest::Client::new()
        .request(req.method.clone(), format!("{}{}", srv.base, req.path))
        .header("cookie", format!("{}={cookie}", kinerja_server::auth::COOKIE));
    if let Some(t) = csrf {
        b = b.header("x-csrf-token", t);
    }
    if let Some(body) = &req.body {
        b = b.json(body);
    }
    finish(b).await
}

async fn login_cookie(srv: &TestServer, actor: &str, carried: Option<&str>) -> (String, String, Resp) {
    let req = post("/api/auth/login", json!({"actor": actor, "password": PASSWORD}));
    let r = match carried {
        Some(c) => with_cookie(srv, &req, c, None).await,
        None => send(&anonymous(srv), &req).await,
    };
    assert_eq!(r.status, StatusCode::OK, "sign in as {actor}: {}", r.text);
    let (secret, _) = set_cookie(&r).expect("a session cookie");
    let csrf = r.json["csrf"].as_str().expect("a CSRF token").to_string();
    (secret, csrf, r)
}

async fn me_as(srv: &TestServer, cookie: &str) -> Resp {
    with_cookie(srv, &get("/api/me"), cookie, None).await
}

async fn session_fixation_logout_password_expiry(db: Db) {
    let srv = TestServer::start(db).await;
    let p = srv.people.clone();
    let (staff, peer) = (p.staff.as_str(), p.peer.as_str());

    // A value an attacker set before sign-in is not the session after it.
    let planted = "attacker-chosen-value";
    let (v1, _, r) = login_cookie(&srv, staff, Some(planted)).await;
    assert_ne!(v1, planted);
    let (_, attrs) = set_cookie(&r).unwrap();
    for a in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(attrs.contains(a), "cookie attributes {attrs}: {a}");
    }
    assert!(!attrs.contains("Secure"), "not Secure on plain http: {attrs}");
    assert_error(&me_as(&srv, planted).await, 401, "unauthenticated", "the planted value");
    let r = me_as(&srv, &v1).await;
    assert_eq!(r.json["actor"], staff, "{}", r.text);

    // The attacker's own valid session, planted in the victim's browser, ends
    // when the victim signs in: only the new secret is accepted.
    let (a1, _, _) = login_cookie(&srv, peer, None).await;
    assert_eq!(me_as(&srv, &a1).await.json["actor"], peer);
    let (v2, v2_csrf, _) = login_cookie(&srv, staff, Some(&a1)).await;
    assert_ne!(v2, a1);
    assert_error(&me_as(&srv, &a1).await, 401, "unauthenticated", "the planted session after sign-in");
    assert_eq!(me_as(&srv, &v2).await.json["actor"], staff);

    // A new secret (and CSRF token) at every sign-in.
    let (v3, v3_csrf, _) = login_cookie(&srv, staff, None).await;
    assert_ne!(v3, v2);
    assert_ne!(v3_csrf, v2_csrf);

    // A cookie secret is not a bearer token, nor a token a cookie.
    let mut as_bearer = anonymous(&srv);
    as_bearer.bearer = Some(v3.clone());
    assert_error(&send(&as_bearer, &get("/api/me")).await, 401, "unauthenticated", "cookie as bearer");
    let token = srv.token(staff).await;
    let t = token.bearer.clone().unwrap();
    assert_error(&me_as(&srv, &t).await, 401, "unauthenticated", "bearer as cookie");

    // Logout revokes (and clears the cookie); so does a token's logout.
    let r = with_cookie(&srv, &post_empty("/api/auth/logout"), &v3, Some(&v3_csrf)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let (cleared, attrs) = set_cookie(&r).expect("the cookie is cleared");
    assert!(cleared.is_empty() && attrs.contains("Max-Age=0"), "{attrs}");
    assert_error(&me_as(&srv, &v3).await, 401, "unauthenticated", "after logout");
    let other = srv.token(staff).await;
    assert_eq!(send(&other, &post_empty("/api/auth/logout")).await.status, StatusCode::NO_CONTENT);
    assert_error(&send(&other, &get("/api/me")).await, 401, "unauthenticated", "token after logout");
    assert_eq!(send(&token, &get("/api/me")).await.status, StatusCode::OK, "another token lives on");

    // A password change ends every session and token of the person, the one
    // used included; the old password no longer signs in.
    let r = send(&token, &post("/api/auth/password", json!({"current": PASSWORD, "new": NEW_PASSWORD}))).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_error(&me_as(&srv, &v2).await, 401, "unauthenticated", "cookie after password change");
    assert_error(&send(&token, &get("/api/me")).await, 401, "unauthenticated", "token after password change");
    let r = send(&anonymous(&srv), &post("/api/auth/login", json!({"actor": staff, "password": PASSWORD}))).await;
    assert_error(&r, 401, "invalid_credentials", "the old password");

    // Expired sessions are refused: a browser session after its 12 hours, a
    // token after its 180 days.
    let (c, _, _) = login_cookie(&srv, peer, None).await;
    let t = srv.token(peer).await;
    srv.at(day(2026, 10, 5).and_hms_opt(20, 59, 59).unwrap());
    assert_eq!(me_as(&srv, &c).await.status, StatusCode::OK);
    srv.at(day(2026, 10, 5).and_hms_opt(21, 0, 0).unwrap());
    let r = me_as(&srv, &c).await;
    assert_error(&r, 401, "unauthenticated", "an expired browser session");
    assert!(r.json["error"]["message"].as_str().unwrap().contains("expired"), "{}", r.text);
    assert_eq!(send(&t, &get("/api/me/sessions")).await.status, StatusCode::OK);
    srv.at(day(2027, 4, 3).and_hms_opt(9, 0, 0).unwrap());
    assert_error(&send(&t, &get("/api/me/sessions")).await, 401, "unauthenticated", "an expired token");

    // Behind https the cookie is Secure.
    let srv = TestServer::start_with(db, |c| c.public_url = "https://kinerja.example.go.id".into()).await;
    let (_, _, r) = login_cookie(&srv, staff, None).await;
    let (_, attrs) = set_cookie(&r).unwrap();
    assert!(attrs.contains("Secure"), "{attrs}");
}
both!(session_fixation_logout_password_expiry);

// ---------------------------------------------------------------------------
// 3. CSRF
// ---------------------------------------------------------------------------

async fn csrf(db: Db) {
    let fx = Fx::new(db, |_| {}).await;
    let srv = &fx.srv;
    // Browser sessions of the allowed callers (a clock machine has a token only).
    let mut browsers: HashMap<Who, Client> = HashMap::new();
    for who in [Who::Staff, Who::Boss, Who::Hr1, Who::Hr2, Who::UnitAtt, Who::Finance, Who::Panel] {
        browsers.insert(who, srv.sign_in(fx.actor(who)).await);
    }
    let someone_else = srv.sign_in(fx.actor(Who::Peer)).await;
    let mut checked = 0;
    for &(op, allowed_text, _, _) in MATRIX {
        let (method, _) = op.split_once(' ').unwrap();
        if method == "GET" {
            continue;
        }
        let who = allowed_of(allowed_text);
        let req = request(&fx, op, who);
        if who == Who::None {
            // Public (sign-in, activation): a cross-site form cannot post JSON.
            let before = fx.snapshot().await;
            let r = finish(
                reqwest::Client::new()
                    .post(format!("{}{}", srv.base, req.path))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("origin", "https://evil.example")
                    .body("actor=x&password=y&code=z"),
            )
            .await;
            assert_error(&r, 415, "not_json", &format!("{op} as a form"));
            assert_nothing_stored(&before, &fx.snapshot().await, None, op);
            checked += 1;
            continue;
        }
        let Some(browser) = browsers.get(&who) else {
            assert_eq!(who, Who::Device, "{op}");
            continue;
        };
        let variants: [(&str, Client); 3] = [
            ("no token", browser.without_csrf()),
            ("a wrong token", Client { csrf: Some("not-the-token".into()), ..browser.clone() }),
            ("another session's token", Client { csrf: someone_else.csrf.clone(), ..browser.clone() }),
        ];
        for (how, c) in variants {
            let before = fx.snapshot().await;
            let r = send(&c, &req).await;
            assert_error(&r, 403, "csrf", &format!("{op} with {how}"));
            assert_nothing_stored(&before, &fx.snapshot().await, None, &format!("{op} with {how}"));
            checked += 1;
        }
        // A cross-site form post: the cookie goes along, a header cannot.
        let before = fx.snapshot().await;
        let r = finish(
            browser
                .http
                .request(req.method.clone(), format!("{}{}", srv.base, req.path))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("origin", "https://evil.example")
                .body("_csrf=guess&description=x"),
        )
        .await;
        assert_error(&r, 403, "csrf", &format!("{op} as a cross-site form"));
        assert_nothing_stored(&before, &fx.snapshot().await, None, &format!("{op} as a form"));
        checked += 1;
    }
    assert!(checked >= 80, "{checked} CSRF cases");

    // With its token the same browser session works; a bearer token needs none.
    let staff = &browsers[&Who::Staff];
    let (s, b) = staff.post("/api/me/activities", fx.form(Who::Staff, "11:00", "11:30", "dengan token")).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let bearer = fx.c(Who::Staff);
    assert!(bearer.csrf.is_none());
    let (s, b) = bearer.post("/api/me/activities", fx.form(Who::Staff, "11:30", "12:00", "token saja")).await;
    assert_eq!(s, StatusCode::OK, "{b}");

    // GET endpoints change nothing. The exceptions: the phone bundle, which
    // issues a sync session (exactly one row of `sync_sessions`), and the journal
    // export, which is audited (exactly one audit line).
    for &(op, allowed_text, _, _) in MATRIX {
        if !op.starts_with("GET ") {
            continue;
        }
        let who = allowed_of(allowed_text);
        let c = browsers.get(&who).cloned().unwrap_or_else(|| fx.c(who).clone());
        let before = fx.snapshot().await;
        let r = send(&c, &request(&fx, op, who)).await;
        assert!(r.status.as_u16() < 500, "{op}: {}", r.text);
        let after = fx.snapshot().await;
        let mut diff = changes(&before, &after);
        if op == "GET /api/sync/bundle" {
            let (gone, new) = diff.remove("sync_sessions").expect("a sync session issued");
            assert!(gone.is_empty() && new.len() == 1, "{gone:?} {new:?}");
        }
        if op == "GET /api/months/{month}/journal" {
            // Exporting the legal record is audited: exactly one audit line.
            let (gone, new) = diff.remove("audit").expect("the export audited");
            assert!(gone.is_empty() && new.len() == 1, "{gone:?} {new:?}");
        }
        assert!(diff.is_empty(), "{op} stored {diff:#?}");
    }

    // No cross-origin reads: no CORS header is ever granted.
    let r = finish(
        reqwest::Client::new()
            .request(Method::OPTIONS, format!("{}/api/me/activities", srv.base))
            .header("origin", "https://evil.example")
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "x-csrf-token, content-type"),
    )
    .await;
    assert!(r.headers.get("access-control-allow-origin").is_none(), "{:?}", r.headers);
    let r = finish(staff.http.get(format!("{}/api/me", srv.base)).header("origin", "https://evil.example")).await;
    assert!(r.headers.get("access-control-allow-origin").is_none(), "{:?}", r.headers);
}
both!(csrf);

// ---------------------------------------------------------------------------
// 4. Injection text in every text field
// ---------------------------------------------------------------------------

/// The classic payloads, and a very long unicode text.
fn payloads() -> Vec<String> {
    let mut p: Vec<String> = [
        "' OR '1'='1",
        "'; DROP TABLE events; --",
        "\0",
        "%00",
        "../../etc/passwd",
        "Robert\"); DROP TABLE accounts;--\\",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    p.push("Ünïcødé ✓ 漢字 🙂 \u{202e}".repeat(2_000));
    p
}

/// True when `v` holds the string `s` somewhere.
fn holds(v: &Value, s: &str) -> bool {
    match v {
        Value::String(x) => x == s,
        Value::Array(a) => a.iter().any(|x| holds(x, s)),
        Value::Object(o) => o.values().any(|x| holds(x, s)),
        _ => false,
    }
}

/// Sends `req`: never a 5xx; a refusal is a clean JSON error that stored
/// nothing (an audit line aside); answers with the events the call stored.
async fn probe(fx: &Fx, c: &Client, req: Req, what: &str) -> (Resp, usize) {
    let before = fx.snapshot().await;
    let r = send(c, &req).await;
    assert!(r.status.as_u16() < 500, "{what}: {} {}", r.status, &r.text[..r.text.len().min(400)]);
    let after = fx.snapshot().await;
    assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>(), "{what}: the tables");
    if !r.status.is_success() {
        assert_json_error(&r, what);
        let mut diff = changes(&before, &after);
        if let Some((gone, new)) = diff.remove("audit") {
            assert!(gone.is_empty() && new.len() <= 1, "{what}: audit {gone:?} {new:?}");
        }
        assert!(diff.is_empty(), "{what}: a refusal stored {diff:#?}");
    } else {
        assert_no_leak(&r.text, what);
    }
    let events = after["events"].len() - before["events"].len();
    (r, events)
}

async fn event_line(fx: &Fx, month: &str) -> Value {
    let row = sqlx::query("SELECT line FROM events WHERE month = $1 ORDER BY seq DESC LIMIT 1")
        .bind(month)
        .fetch_one(fx.store.pool())
        .await
        .expect("an event");
    serde_json::from_str(&row.get::<String, _>("line")).expect("the event's JSON")
}

/// The smallest policy layer: its name, nothing changed.
const LAYER: &str = "[layer]\nname = \"uji\"\n";

async fn injection_text_in_every_field(db: Db) {
    let fx = Fx::new(db, |_| {}).await;
    let tables = fx.snapshot().await.keys().cloned().collect::<Vec<_>>();
    let payloads = payloads();
    let (staff, boss, hr1, hr2, att, machine) =
        (fx.c(Who::Staff), fx.c(Who::Boss), fx.c(Who::Hr1), fx.c(Who::Hr2), fx.c(Who::UnitAtt), fx.c(Who::Device));
    let anon = anonymous(&fx.srv);
    let unknown = "199912122020121009";
    let october = [6, 7, 8, 9, 12, 13, 14, 15, 16, 19, 20, 21, 22, 23, 26, 27, 28, 29, 30];
    let mut slot = 0u32;
    let mut next_slot = || {
        let m = 11 * 60 + slot * 10;
        slot += 1;
        (format!("{:02}:{:02}", m / 60, m % 60), format!("{:02}:{:02}", (m + 10) / 60, (m + 10) % 60))
    };
    let mut accepted_entries = Vec::new();
    let mut kept: BTreeMap<&str, usize> = BTreeMap::new();
    let mut refused = 0;
    let mut count = |r: &Resp| {
        if !r.status.is_success() {
            refused += 1;
        }
    };

    for (i, x) in payloads.iter().enumerate() {
        // In a URL, the long text is cut (a URL holds at most 64 KiB).
        let xe = enc(&x.chars().take(1_000).collect::<String>());
        let cut: String = x.chars().take(80).collect();

        // Sign-in: the actor, the password, the mode are refused; a label is kept as typed.
        let (r, _) =
            probe(&fx, &anon, post("/api/auth/login", json!({"actor": x, "password": PASSWORD})), "login actor").await;
        assert_error(&r, 401, "invalid_credentials", "login actor");
        count(&r);
        let (r, _) =
            probe(&fx, &anon, post("/api/auth/login", json!({"actor": unknown, "password": x})), "login password")
                .await;
        assert_error(&r, 401, "invalid_credentials", "login password");
        count(&r);
        let body = json!({"actor": fx.p.staff.as_str(), "password": PASSWORD, "mode": x});
        let (r, _) = probe(&fx, &anon, post("/api/auth/login", body), "login mode").await;
        count(&r);
        let body = json!({"actor": fx.p.staff.as_str(), "password": PASSWORD, "mode": "token", "label": x});
        let (r, _) = probe(&fx, &anon, post("/api/auth/login", body), "login label").await;
        count(&r);
        if x.contains('\0') {
            assert_error(&r, 400, "invalid_text", "a label with NUL");
        } else {
            assert_eq!(r.status, StatusCode::OK, "login label {x:?}: {}", r.text);
            let mut c = anonymous(&fx.srv);
            c.bearer = r.json["token"].as_str().map(String::from);
            let (_, list) = c.get("/api/me/sessions").await;
            let mine = list.as_array().unwrap().iter().find(|s| s["current"] == true).expect("the session");
            assert_eq!(mine["label"], cut.as_str(), "the label as typed (80 characters)");
            *kept.entry("login label").or_default() += 1;
        }
        let (r, _) = probe(&fx, staff, post("/api/me/tokens", json!({"label": x})), "token label").await;
        count(&r);
        if !x.contains('\0') {
            assert_eq!(r.status, StatusCode::OK, "token label: {}", r.text);
        }
        // Activation: actor, code, password.
        for body in [
            json!({"actor": x, "code": "ABCD-EFGH-JKLM", "password": "sandi-yang-panjang"}),
            json!({"actor": fx.spare[6].as_str(), "code": x, "password": "sandi-yang-panjang"}),
            json!({"actor": fx.spare[6].as_str(), "code": "ABCD-EFGH-JKLM", "password": x}),
        ] {
            let (r, _) = probe(&fx, &anon, post("/api/auth/activate", body), "activation").await;
            assert_error(&r, 401, "invalid_code", "activation");
            count(&r);
        }

        // An activity: description and evidence are free text, kept as typed
        // (trimmed); task, date and times are refused.
        for field in ["description", "evidence"] {
            let (start, end) = next_slot();
            let mut form = fx.form(Who::Staff, &start, &end, "kerja");
            form[field] = json!(x);
            let (r, events) = probe(&fx, staff, post("/api/me/activities", form), field).await;
            count(&r);
            if r.status.is_success() {
                assert_eq!(events, 1, "{field}");
                assert_eq!(r.json["entry"][field], x.trim(), "{field} as typed");
                let id = r.json["entry"]["id"].as_u64().unwrap();
                let (_, d) = staff.get(&format!("/api/me/day?date={DAY}")).await;
                let e = d["entries"].as_array().unwrap().iter().find(|e| e["entry"]["id"] == id).cloned().unwrap();
                assert_eq!(e["entry"][field], x.trim(), "{field} read back");
                accepted_entries.push(id);
                *kept.entry("activity field").or_default() += 1;
            }
        }
        for field in ["task", "date", "start", "end"] {
            let mut form = fx.form(Who::Staff, "15:00", "15:10", "kerja");
            form[field] = json!(x);
            let (r, _) = probe(&fx, staff, post("/api/me/activities", form), field).await;
            assert!(r.status.is_client_error(), "{field} {x:?}: {}", r.text);
            count(&r);
        }
        let form = fx.form(Who::Staff, "07:30", "08:00", x);
        let (r, events) = probe(
            &fx,
            staff,
            Req {
                csv: None,
                method: Method::PUT,
                path: format!("/api/months/2026-10/entries/{}", fx.e_edit),
                body: Some(form),
            },
            "edit",
        )
        .await;
        count(&r);
        if r.status.is_success() {
            assert_eq!(events, 1);
            assert_eq!(r.json["entry"]["description"], x.trim());
        }

        // Decisions: the decision word is refused, a reason is kept as typed.
        let body = json!({"decisions": [{"entry": fx.e_verify, "decision": x}]});
        let (r, _) = probe(&fx, boss, post("/api/months/2026-10/verifications", body), "decision").await;
        assert_error(&r, 400, "invalid_decision", "decision");
        count(&r);
        if let Some(&id) = accepted_entries.get(i) {
            let body = json!({"decisions": [{"entry": id, "decision": "return", "reason": x}]});
            let (r, events) = probe(&fx, boss, post("/api/months/2026-10/verifications", body), "reason").await;
            count(&r);
            if r.status.is_success() {
                assert_eq!(events, 1);
                assert!(holds(&r.json, x), "the reason as typed: {}", &r.text[..r.text.len().min(300)]);
                *kept.entry("return reason").or_default() += 1;
            }
        }

        // An absence: the note and evidence are free text; employee, kind and dates are refused.
        let date = format!("2026-10-{:02}", october[i]);
        let absence = json!({"employee": fx.p.staff.as_str(), "range": {"start": date, "end": date},
                             "kind": "leave.annual", "note": x, "evidence": x});
        let (r, events) = probe(&fx, hr1, post("/api/months/2026-10/absences", absence), "absence note").await;
        count(&r);
        if r.status.is_success() {
            assert_eq!(events, 1);
            let line = event_line(&fx, "2026-10").await;
            assert!(holds(&line, x), "the note kept as typed: {line}");
            *kept.entry("absence note").or_default() += 1;
        }
        for (field, value) in [("employee", json!(x)), ("kind", json!(x)), ("range", json!({"start": x, "end": x}))] {
            let mut absence = json!({"employee": fx.p.staff.as_str(), "range": {"start": "2026-10-30", "end": "2026-10-30"}, "kind": "permit"});
            absence[field] = value;
            let (r, _) = probe(&fx, hr1, post("/api/months/2026-10/absences", absence), field).await;
            assert!(r.status.is_client_error(), "absence {field}: {}", r.text);
            count(&r);
        }

        // Roll calls: NIPs, dates and kinds are refused.
        for body in [
            json!({"date": DAY, "kind": "morning", "attended": [x]}),
            json!({"date": DAY, "kind": "morning", "attended": [fx.p.staff.as_str()], "absent": [x]}),
            json!({"date": x, "kind": "morning", "attended": [fx.p.staff.as_str()]}),
            json!({"date": DAY, "kind": x, "attended": [fx.p.staff.as_str()]}),
        ] {
            let (r, _) = probe(&fx, att, post("/api/months/2026-10/roll-calls", body), "roll call").await;
            assert!(r.status.is_client_error(), "roll call: {}", r.text);
            count(&r);
        }

        // A ceremony's name is free text; its date is refused.
        let date = format!("2026-10-{:02}", october[october.len() - 1 - i]);
        let (r, events) =
            probe(&fx, hr1, post("/api/months/2026-10/ceremonies", json!({"date": date, "name": x})), "ceremony").await;
        count(&r);
        if r.status.is_success() {
            assert_eq!(events, 1);
            assert!(holds(&event_line(&fx, "2026-10").await, x), "the ceremony's name as typed");
            *kept.entry("ceremony name").or_default() += 1;
        }
        let (r, _) =
            probe(&fx, hr1, post("/api/months/2026-10/ceremonies", json!({"date": x, "name": "x"})), "ceremony date")
                .await;
        assert!(r.status.is_client_error());
        count(&r);

        // A reopening's reason is kept in the journal as typed.
        let (r, events) = probe(&fx, hr1, post_empty("/api/months/2026-09/close"), "close").await;
        assert_eq!((r.status, events), (StatusCode::OK, 1), "{}", r.text);
        let (r, events) =
            probe(&fx, hr2, post("/api/months/2026-09/reopen", json!({"reason": x})), "reopen reason").await;
        count(&r);
        if r.status.is_success() {
            assert_eq!(events, 1);
            assert!(holds(&event_line(&fx, "2026-09").await, x), "the reason as typed");
            *kept.entry("reopen reason").or_default() += 1;
        } else {
            // Refused (a reason must be trimmed text): reopen it for the next round.
            let (r, _) =
                probe(&fx, hr2, post("/api/months/2026-09/reopen", json!({"reason": "koreksi"})), "reopen").await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }

        // Policy layers: a source name is kept as typed; TOML text that is not TOML is refused.
        let (r, _) = probe(
            &fx,
            hr1,
            post("/api/months/2026-10/what-if", json!({"layers": [{"source": x, "toml": LAYER}]})),
            "what-if source",
        )
        .await;
        count(&r);
        let (r, _) = probe(
            &fx,
            hr1,
            post("/api/months/2026-10/what-if", json!({"layers": [{"source": "x", "toml": x}]})),
            "what-if toml",
        )
        .await;
        assert!(r.status.is_client_error(), "{}", r.text);
        count(&r);
        let (r, _) = probe(
            &fx,
            hr1,
            post("/api/admin/policies", json!({"layers": [{"source": x, "toml": LAYER}]})),
            "policy source",
        )
        .await;
        count(&r);
        if r.status.is_success() {
            let row = sqlx::query("SELECT layers FROM policy_sets ORDER BY version DESC LIMIT 1")
                .fetch_one(fx.store.pool())
                .await
                .unwrap();
            let layers: Value = serde_json::from_str(&row.get::<String, _>("layers")).unwrap();
            assert_eq!(layers[0]["source"], x.as_str(), "the source name as typed");
            *kept.entry("policy source").or_default() += 1;
        }
        let (r, _) = probe(
            &fx,
            hr1,
            post("/api/admin/policies", json!({"layers": [{"source": "x", "toml": x}]})),
            "policy toml",
        )
        .await;
        assert!(r.status.is_client_error(), "{}", r.text);
        count(&r);

        // The dataset's text: a name is kept as typed, an id is refused.
        let mut dataset: Value = serde_json::from_str(&city_json()).unwrap();
        for e in dataset["employees"].as_array_mut().unwrap() {
            if e["nip"] == fx.p.staff.as_str() {
                e["name"] = json!(x);
            }
        }
        let (r, _) = probe(
            &fx,
            hr1,
            post("/api/admin/datasets", json!({"effective_from": "2026-10-01", "dataset": dataset})),
            "dataset name",
        )
        .await;
        count(&r);
        if r.status.is_success() {
            let (_, me) = staff.get("/api/me").await;
            assert_eq!(me["name"], x.as_str(), "the name as typed");
            *kept.entry("dataset name").or_default() += 1;
        }
        let mut dataset: Value = serde_json::from_str(&city_json()).unwrap();
        dataset["units"][0]["id"] = json!(x);
        let (r, _) = probe(&fx, hr1, post("/api/admin/datasets", json!({"dataset": dataset})), "dataset unit id").await;
        assert!(r.status.is_client_error(), "{}", r.text);
        count(&r);

        // Clock scans: an employee that is not a NIP is refused scan by scan; a key
        // is kept as the machine sent it, unless it holds a control character or is too long.
        let at = format!("2026-10-05T06:{:02}:00", 10 + i);
        let scans = json!({"scans": [{"employee": x, "at": at, "direction": "in"},
                                     {"employee": fx.p.staff.as_str(), "at": at, "direction": "in", "key": x}]});
        let (r, events) = probe(&fx, machine, post("/api/clock", scans), "clock").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json["results"][0]["outcome"], "refused");
        assert_eq!(r.json["results"][0]["code"], "invalid_nip");
        let key_ok = !x.chars().any(char::is_control) && x.len() + fx.actor(Who::Device).len() < 200;
        if key_ok {
            assert_eq!(r.json["results"][1]["outcome"], "accepted", "key {x:?}: {}", r.text);
            assert_eq!(events, 1);
            let row = sqlx::query("SELECT key FROM events WHERE month = '2026-10' ORDER BY seq DESC LIMIT 1")
                .fetch_one(fx.store.pool())
                .await
                .unwrap();
            assert_eq!(row.get::<Option<String>, _>("key"), Some(format!("{}:{x}", fx.actor(Who::Device))));
            *kept.entry("clock key").or_default() += 1;
        } else {
            assert_eq!(r.json["results"][1]["outcome"], "refused", "key {x:?}: {}", r.text);
            assert_eq!(events, 0);
        }

        // Phone sync: a session id that is not one is not found; a change's key
        // outside the session is refused change by change.
        let (r, _) =
            probe(&fx, staff, post("/api/sync/upload", json!({"session": x, "changes": []})), "sync session").await;
        assert_error(&r, 404, "not_found", "sync session");
        count(&r);
        let mut upload = fx.upload.clone();
        upload["changes"][0]["key"] = json!(x);
        let (r, events) = probe(&fx, staff, post("/api/sync/upload", upload), "change key").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json["results"][0]["outcome"], "rejected", "{}", r.text);
        assert_eq!(r.json["results"][0]["code"], "foreign_session", "{}", r.text);
        assert_eq!(events, 0);

        // Query strings.
        for (c, path) in [
            (staff, format!("/api/me/day?date={xe}")),
            (staff, format!("/api/me/queue?month={xe}")),
            (staff, format!("/api/sync/bundle?month={xe}")),
            (hr1, format!("/api/admin/audit?limit={xe}")),
            (hr1, format!("/api/months/2026-10/payroll?projection={xe}")),
            (hr1, format!("/api/months/2026-10/slips/{}?projection={xe}", fx.p.staff)),
            (att, format!("/api/units/{}/roll-call?date={xe}", fx.unit)),
        ] {
            let (r, _) = probe(&fx, c, get(path.clone()), &path).await;
            assert_eq!(r.status.as_u16(), 400, "{path}: {}", r.text);
            count(&r);
        }
        let (r, _) = probe(&fx, hr1, get(format!("/api/admin/audit?actor={xe}")), "audit actor").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);

        // Path parameters (one segment each, every byte encoded).
        for (c, req, codes) in [
            (hr1, get(format!("/api/months/{xe}/recap")), &["invalid_month"][..]),
            (staff, get(format!("/api/months/2026-10/employees/{xe}")), &["invalid_nip"]),
            (hr1, get(format!("/api/months/2026-10/slips/{xe}")), &["invalid_nip"]),
            (hr1, get(format!("/api/units/{xe}/roll-call")), &["not_found"]),
            (staff, post_empty(format!("/api/months/2026-10/entries/{xe}/resubmit")), &["invalid_entry"]),
            (
                staff,
                Req { csv: None, method: Method::DELETE, path: format!("/api/me/sessions/{xe}"), body: None },
                &["not_found"],
            ),
            (hr1, post_empty(format!("/api/admin/devices/{xe}/token")), &["invalid_device", "not_found"]),
        ] {
            let what = format!("{} {}", req.method, req.path);
            let (r, _) = probe(&fx, c, req, &what).await;
            assert!(r.status.is_client_error(), "{what}: {}", r.text);
            let code = r.json["error"]["code"].as_str().unwrap_or("");
            assert!(codes.contains(&code), "{what}: {}", r.text);
            count(&r);
        }
    }

    // Every table is still there, and each holds what was accepted, no more.
    let after = fx.snapshot().await;
    assert_eq!(after.keys().cloned().collect::<Vec<_>>(), tables, "the tables");
    let free_text_kept: usize = kept.values().sum();
    eprintln!("free texts kept as typed: {kept:?}");
    assert!(free_text_kept >= 60, "{free_text_kept} free texts kept as typed");
    assert!(refused >= 250, "{refused} refusals");
    eprintln!(
        "injection ({db:?}): {} payloads; {refused} refused cleanly, {free_text_kept} free texts kept as typed",
        payloads.len()
    );
}
both!(injection_text_in_every_field);

/// A CSV file of `rows` (each cell quoted as the csv crate writes it).
fn csv_of(rows: &[Vec<String>]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(r).expect("a CSV row");
    }
    String::from_utf8(w.into_inner().expect("the CSV")).expect("UTF-8")
}

/// The imports (an attendance-machine log, a SIASN employee export) and an
/// employee's targets, with the payloads in every cell and parameter: a cell
/// that is not a PIN, a time, a NIP is reported row by row and recorded
/// nowhere; a name is reported as written; a parameter is refused; a log
/// row that names a real PIN is recorded once, whatever its name cell says.
async fn injection_text_in_imports_and_targets(db: Db) {
    let fx = Fx::new(db, |_| {}).await;
    let hr1 = fx.c(Who::Hr1);
    let staff = fx.c(Who::Staff);
    let pin = fx.pin();
    let attendance = format!("/api/admin/imports/attendance?device={}&month=2026-10", fx.device);
    let header: Vec<String> = ["AC-No.", "Name", "Time", "State"].iter().map(|s| s.to_string()).collect();
    let siasn: Vec<String> =
        ["NIP BARU", "NAMA", "GOL AKHIR NAMA", "JENIS PEGAWAI NAMA"].iter().map(|s| s.to_string()).collect();
    let new_nip = "199505052020121001";
    let (mut refused, mut reported, mut recorded) = (0usize, 0usize, 0usize);
    for (i, x) in payloads().iter().enumerate() {
        let xe = enc(&x.chars().take(1_000).collect::<String>());
        let events_before = fx.snapshot().await["events"].len();

        // The log: the payload as PIN, as time, as state; then as the name of a real PIN's row.
        for (col, what) in [(0, "log PIN"), (2, "log time"), (3, "log state")] {
            let mut row: Vec<String> =
                vec![pin.clone(), "Staf".into(), format!("05/10/2026 12:{:02}:00", 10 + i), "C/In".into()];
            row[col] = x.clone();
            let (r, events) = probe(&fx, hr1, post_csv(&attendance, csv_of(&[header.clone(), row])), what).await;
            if r.status.is_success() {
                // Read, and the row left out with its reason: nothing recorded.
                assert_eq!(events, 0, "{what} {x:?}: {}", r.text);
                if col != 3 {
                    assert_eq!(r.json["import"]["events"], json!([]), "{what} {x:?}: {}", r.text);
                    assert_eq!(r.json["import"]["unmatched"].as_array().map(Vec::len), Some(1), "{what}: {}", r.text);
                }
                reported += 1;
            } else {
                assert!(r.status.is_client_error(), "{what}: {}", r.text);
                refused += 1;
            }
        }
        let at = format!("05/10/2026 06:{:02}:00", 10 + i);
        let log = csv_of(&[header.clone(), vec![pin.clone(), x.clone(), at, "C/In".into()]]);
        let (r, events) = probe(&fx, hr1, post_csv(&attendance, log.clone()), "log name").await;
        assert_eq!(r.status, StatusCode::OK, "log name {x:?}: {}", r.text);
        assert_eq!((events, r.json["recorded"][0]["outcome"].as_str()), (1, Some("accepted")), "{}", r.text);
        recorded += 1;
        let (r, events) = probe(&fx, hr1, post_csv(&attendance, log), "the log again").await;
        assert_eq!((events, r.json["recorded"][0]["outcome"].as_str()), (0, Some("duplicate")), "{}", r.text);
        assert_eq!(fx.snapshot().await["events"].len(), events_before + 1, "one event for {x:?}");

        // Its parameters.
        for path in [
            format!("/api/admin/imports/attendance?device={xe}"),
            format!("/api/admin/imports/attendance?device={}&month={xe}", fx.device),
            format!("/api/admin/imports/attendance?device={}&dry_run={xe}", fx.device),
            format!("/api/admin/imports/employees?as_of={xe}"),
            format!("/api/admin/imports/employees?apply={xe}"),
        ] {
            let body = csv_of(&[
                header.clone(),
                vec![pin.clone(), "Staf".into(), "05/10/2026 07:00:00".into(), "C/In".into()],
            ]);
            let (r, _) = probe(&fx, hr1, post_csv(&path, body), &path).await;
            assert!(r.status.is_client_error(), "{path}: {}", r.text);
            let code = r.json["error"]["code"].as_str().unwrap_or("");
            assert!(
                ["invalid_device", "unknown_device", "invalid_month", "invalid_query", "invalid_date"].contains(&code),
                "{path}: {}",
                r.text
            );
            refused += 1;
        }

        // The employee export: the payload as a name is reported as written, as a NIP refused row by row.
        let export =
            csv_of(&[siasn.clone(), vec![new_nip.into(), x.clone(), "III/a".into(), "PNS Daerah Kab/Kota".into()]]);
        let (r, _) = probe(&fx, hr1, post_csv("/api/admin/imports/employees?as_of=2026-10-05", export), "name").await;
        if r.status.is_success() {
            let report = &r.json["report"];
            let added = report["added"].as_array().unwrap();
            let refused_rows = report["refused"].as_array().unwrap();
            assert_eq!(added.len() + refused_rows.len(), 1, "{}", &r.text[..r.text.len().min(600)]);
            if let Some(a) = added.first() {
                assert_eq!(a["name"], x.trim(), "the name as written");
            }
            assert_eq!(r.json["version"], Value::Null, "no dataset without apply");
            reported += 1;
        } else {
            refused += 1;
        }
        let export = csv_of(&[
            siasn.clone(),
            vec![x.clone(), "PEGAWAI BARU".into(), "III/a".into(), "PNS Daerah Kab/Kota".into()],
        ]);
        let (r, _) =
            probe(&fx, hr1, post_csv("/api/admin/imports/employees?as_of=2026-10-05&apply=true", export), "nip").await;
        if r.status.is_success() {
            assert_eq!(r.json["report"]["added"], json!([]), "{}", &r.text[..r.text.len().min(600)]);
            assert_eq!(r.json["report"]["refused"].as_array().map(Vec::len), Some(1), "{}", r.text);
            reported += 1;
        } else {
            refused += 1;
        }

        // The targets: the NIP in the path, the year.
        for path in [format!("/api/employees/{xe}/targets"), format!("/api/employees/{}/targets?year={xe}", fx.p.staff)]
        {
            let (r, _) = probe(&fx, staff, get(path.clone()), &path).await;
            assert_eq!(r.status.as_u16(), 400, "{path}: {}", r.text);
            refused += 1;
        }
    }
    // Years no calendar holds are refused, not a panic.
    for year in ["0", "-1", "262143", "2147483647", "-2147483648", "99999999999"] {
        let path = format!("/api/employees/{}/targets?year={year}", fx.p.staff);
        let (r, _) = probe(&fx, staff, get(path.clone()), &path).await;
        assert!(r.status.is_success() || r.status.is_client_error(), "{path}: {}", r.text);
    }
    // Still one dataset: nothing was applied from an export whose row was refused.
    let (_, datasets) = hr1.get("/api/admin/datasets").await;
    assert_eq!(datasets.as_array().map(Vec::len), Some(1), "{datasets}");
    assert_eq!(recorded, payloads().len());
    // Per payload: three log cells and two export cells, reported or refused;
    // five import parameters and two of the targets, refused: 7 × 7 = 49 at least.
    assert_eq!(refused + reported, payloads().len() * 12, "{refused} refused, {reported} reported");
    assert!(refused >= 49, "{refused} refusals");
    eprintln!(
        "imports and targets ({db:?}): {refused} refused cleanly, {reported} reported row by row, {recorded} log rows recorded once"
    );
}
both!(injection_text_in_imports_and_targets);

// ---------------------------------------------------------------------------
// 5. Oversized bodies, huge arrays, deep nesting
// ---------------------------------------------------------------------------

async fn oversized_bodies(db: Db) {
    const LIMIT: usize = 64 << 10;
    let fx = Fx::new(db, |c| c.max_body = LIMIT).await;
    let big = "x".repeat(LIMIT + 4_096);
    let mut form = fx.form(Who::Staff, "11:00", "11:30", "kerja");
    form["description"] = json!(big);
    let cases: Vec<(Who, Req)> = vec![
        (Who::None, post("/api/auth/login", json!({"actor": fx.p.staff.as_str(), "password": big}))),
        (Who::Staff, post("/api/me/activities", form)),
        (Who::Hr1, post("/api/admin/datasets", json!({"dataset": {"padding": big}}))),
        (Who::Hr1, post("/api/months/2026-10/what-if", json!({"layers": [{"source": "x", "toml": big}]}))),
        (Who::Staff, post("/api/sync/upload", json!({"session": big, "changes": []}))),
        // The imports read a CSV file, not JSON: refused the same.
        (Who::Hr1, post_csv(format!("/api/admin/imports/attendance?device={}", fx.device), big.clone())),
        (Who::Hr1, post_csv("/api/admin/imports/employees?apply=true", big.clone())),
        // Endpoints that read no body refuse one over the limit too.
        (
            Who::Hr1,
            Req { method: Method::POST, path: "/api/months/2026-09/close".into(), body: Some(json!(big)), csv: None },
        ),
        (
            Who::Staff,
            Req {
                csv: None,
                method: Method::POST,
                path: format!("/api/months/2026-10/entries/{}/resubmit", fx.e_resubmit),
                body: Some(json!(big)),
            },
        ),
        (Who::Staff, Req { method: Method::POST, path: "/api/auth/logout".into(), body: Some(json!(big)), csv: None }),
    ];
    for (who, req) in cases {
        let what = format!("{} {} ({} bytes)", req.method, req.path, LIMIT + 4_096);
        let before = fx.snapshot().await;
        let r = send(fx.c(who), &req).await;
        assert_error(&r, 413, "body_too_large", &what);
        assert_nothing_stored(&before, &fx.snapshot().await, None, &what);
    }
    // The session whose logout was refused lives on; September is still open.
    assert_eq!(fx.c(Who::Staff).get("/api/me").await.0, StatusCode::OK);
    let (_, months) = fx.c(Who::Hr1).get("/api/months").await;
    assert!(months.as_array().unwrap().iter().all(|m| m["closed"] == false), "{months}");

    // A body sent in chunks, without its length, is cut at the limit by the reader.
    let token = fx.c(Who::Staff).bearer.clone().unwrap();
    let mut chunked = Vec::new();
    let mut json_body = serde_json::to_vec(&fx.form(Who::Staff, "11:00", "11:30", &big)).unwrap();
    for part in json_body.chunks_mut(8_192) {
        chunked.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
        chunked.extend_from_slice(part);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let before = fx.snapshot().await;
    let (status, headers, body) = raw(
        &fx.srv.base,
        &format!(
            "POST /api/me/activities HTTP/1.1\nHost: kinerja\nAuthorization: Bearer {token}\n\
             Content-Type: application/json\nTransfer-Encoding: chunked\nConnection: close\n\n"
        ),
        &chunked,
    )
    .await;
    assert_error(&raw_resp(status, headers, body), 413, "body_too_large", "a chunked body over the limit");
    assert_nothing_stored(&before, &fx.snapshot().await, None, "a chunked body");
    // The same for a CSV file sent in chunks to an import.
    let mut chunked = Vec::new();
    let hr = fx.c(Who::Hr1).bearer.clone().unwrap();
    let mut file = format!("NIP BARU,NAMA\n{}", "199505052020121001,X\n".repeat(LIMIT / 20 + 100)).into_bytes();
    for part in file.chunks_mut(8_192) {
        chunked.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
        chunked.extend_from_slice(part);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let before = fx.snapshot().await;
    let (status, headers, body) = raw(
        &fx.srv.base,
        &format!(
            "POST /api/admin/imports/employees?apply=true HTTP/1.1\nHost: kinerja\nAuthorization: Bearer {hr}\n\
             Content-Type: text/csv\nTransfer-Encoding: chunked\nConnection: close\n\n"
        ),
        &chunked,
    )
    .await;
    assert_error(&raw_resp(status, headers, body), 413, "body_too_large", "a chunked CSV over the limit");
    assert_nothing_stored(&before, &fx.snapshot().await, None, "a chunked CSV");

    // Just under the limit is read (and judged on its content).
    let mut form = fx.form(Who::Staff, "11:00", "11:30", "kerja");
    form["description"] = json!("y".repeat(LIMIT - 1_024));
    let r = send(fx.c(Who::Staff), &post("/api/me/activities", form)).await;
    assert!(r.status != StatusCode::PAYLOAD_TOO_LARGE && r.status.as_u16() < 500, "{} {}", r.status, r.text);
}
both!(oversized_bodies);

async fn huge_arrays_and_deep_nesting(db: Db) {
    let fx = Fx::new(db, |c| c.max_body = 48 << 20).await;
    let limit = Duration::from_secs(120);
    let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let mut cases: Vec<(Who, &str, String)> = Vec::new();
    // A million decisions (about 33 MB): refused as a whole, nothing decided.
    let mut d = String::from("{\"decisions\":[");
    for i in 0..1_000_000u64 {
        if i > 0 {
            d.push(',');
        }
        d.push_str(&format!("{{\"entry\":{},\"decision\":\"approve\"}}", fx.e_verify));
    }
    d.push_str("]}");
    cases.push((Who::Boss, "/api/months/2026-10/verifications", d));
    // A million NIPs on a roll call, a million actors for activation codes.
    let many = |n: usize, item: &str| vec![format!("\"{item}\""); n].join(",");
    cases.push((
        Who::UnitAtt,
        "/api/months/2026-10/roll-calls",
        format!("{{\"date\":\"{DAY}\",\"kind\":\"morning\",\"attended\":[{}]}}", many(1_000_000, "x")),
    ));
    cases.push((Who::Hr1, "/api/admin/activation-codes", format!("{{\"actors\":[{}]}}", many(1_000_000, "x"))));
    // A hundred thousand scans (over the 10,000 a request may carry).
    let scan = format!("{{\"employee\":\"{}\",\"at\":\"2026-10-05T07:00:00\",\"direction\":\"in\"}}", fx.p.staff);
    cases.push((Who::Device, "/api/clock", format!("{{\"scans\":[{}]}}", vec![scan; 100_000].join(","))));
    // Deep nesting where a value is free JSON (a dataset) and where it is typed.
    cases.push((Who::Hr1, "/api/admin/datasets", format!("{{\"dataset\":{}}}", nested(100_000))));
    cases.push((Who::Boss, "/api/months/2026-10/verifications", format!("{{\"decisions\":{}}}", nested(100_000))));
    cases.push((Who::Staff, "/api/sync/upload", format!("{{\"session\":\"x\",\"changes\":{}}}", nested(100_000))));
    cases.push((Who::None, "/api/auth/login", nested(1_000_000)));
    for (who, path, body) in cases {
        let what = format!("POST {path} ({} bytes)", body.len());
        let c = fx.c(who);
        let mut b = c.http.post(format!("{}{path}", c.base)).header("content-type", "application/json").body(body);
        if let Some(t) = &c.bearer {
            b = b.bearer_auth(t);
        }
        let before = fx.snapshot().await;
        let r = finish(b).await;
        assert!(r.status.is_client_error(), "{what}: {} {}", r.status, &r.text[..r.text.len().min(300)]);
        assert_json_error(&r, &what);
        assert!(r.took < limit, "{what}: {:?}", r.took);
        assert_nothing_stored(&before, &fx.snapshot().await, None, &what);
        eprintln!("{what}: {} {} in {:?}", r.status.as_u16(), r.json["error"]["code"], r.took);
    }
    // Still serving.
    let (s, _) = fx.c(Who::None).get("/api/health").await;
    assert_eq!(s, StatusCode::OK);
}
both!(huge_arrays_and_deep_nesting);

// ---------------------------------------------------------------------------
// 6. Path tricks
// ---------------------------------------------------------------------------

fn files_in(dir: &std::path::Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().to_string()).collect())
        .unwrap_or_default()
}

async fn path_tricks(db: Db) {
    let fx = Fx::new(db, |_| {}).await;
    let cwd = std::env::current_dir().unwrap();
    let (db_files, cwd_files) = (files_in(fx.srv.dir()), files_in(&cwd));
    let long = "A".repeat(5_000);
    let tricks: Vec<String> = vec![
        "..".into(),
        "../../etc/passwd".into(),
        "..%2F..%2Fetc%2Fpasswd".into(),
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd".into(),
        "..%5C..%5Cwindows%5Cwin.ini".into(),
        "a\\b".into(),
        "%00".into(),
        "x%00.csv".into(),
        "%2F".into(),
        "%FF%FE".into(),
        "%E2%80%AE%F0%9F%99%82".into(),
        "%252e%252e%252f".into(),
        long.clone(),
        "2026-10%2F..".into(),
    ];
    // (who, path with TRICK where the parameter goes)
    let routes: Vec<(Who, &str, &str)> = vec![
        (Who::Hr1, "GET", "/api/units/TRICK/roll-call"),
        (Who::UnitAtt, "GET", "/api/units/TRICK/roll-call"),
        (Who::Hr1, "POST", "/api/admin/devices/TRICK/token"),
        (Who::Hr1, "GET", "/api/months/TRICK/recap"),
        (Who::Hr1, "GET", "/api/months/TRICK/payroll.csv"),
        (Who::Hr1, "POST", "/api/months/TRICK/close"),
        (Who::Staff, "GET", "/api/months/2026-10/employees/TRICK"),
        (Who::Hr1, "GET", "/api/months/2026-10/slips/TRICK"),
        (Who::Staff, "PUT", "/api/months/2026-10/entries/TRICK"),
        (Who::Staff, "POST", "/api/months/TRICK/entries/1/resubmit"),
        (Who::Staff, "DELETE", "/api/me/sessions/TRICK"),
        (Who::Staff, "GET", "/api/employees/TRICK/targets"),
        // A machine's id and a month in the query of an import (a file name of sorts).
        (Who::Hr1, "POST", "/api/admin/imports/attendance?device=TRICK"),
        (Who::Hr1, "POST", "/api/admin/imports/attendance?device=DEVICE&month=TRICK"),
        (Who::Hr1, "POST", "/api/admin/imports/employees?as_of=TRICK&apply=true"),
    ];
    let mut n = 0;
    for (who, method, route) in &routes {
        for t in &tricks {
            let path = route.replace("TRICK", t).replace("DEVICE", &fx.device);
            let token = fx.c(*who).bearer.clone().unwrap();
            // A body the call would take with a good parameter: a form, a machine's
            // log of the staff member's scan, an export adding one person.
            let (body, kind) = if *method == "PUT" {
                (fx.form(Who::Staff, "07:30", "08:00", "x").to_string(), "application/json")
            } else if path.starts_with("/api/admin/imports/attendance") {
                (format!("AC-No.,Name,Time,State\n{},Staf,05/10/2026 07:27:00,C/In\n", fx.pin()), "text/csv")
            } else if path.starts_with("/api/admin/imports/employees") {
                ("NIP BARU,NAMA,GOL AKHIR NAMA,JENIS PEGAWAI NAMA\n199505052020121001,PEGAWAI BARU,III/a,PNS Daerah Kab/Kota\n".to_string(), "text/csv")
            } else {
                (String::new(), "application/json")
            };
            let head = format!(
                "{method} {path} HTTP/1.1\nHost: kinerja\nAuthorization: Bearer {token}\nContent-Type: {kind}\n\
                 Content-Length: {}\nConnection: close\n\n",
                body.len()
            );
            let what = format!("{method} {}", &path[..path.len().min(120)]);
            let before = fx.snapshot().await;
            let (status, headers, text) = raw(&fx.srv.base, &head, body.as_bytes()).await;
            let r = raw_resp(status, headers, text);
            assert!(r.status.is_client_error(), "{what}: {} {}", r.status, &r.text[..r.text.len().min(300)]);
            assert_json_error(&r, &what);
            assert!(!r.text.contains("root:"), "{what}");
            assert_nothing_stored(&before, &fx.snapshot().await, None, &what);
            n += 1;
        }
    }
    // Paths that climb out of the API.
    for path in
        ["/api/../../../../etc/passwd", "//etc/passwd", "/api/%2e%2e/%2e%2e/etc/passwd", "/api/me/../../etc/passwd"]
    {
        let (status, headers, text) =
            raw(&fx.srv.base, &format!("GET {path} HTTP/1.1\nHost: kinerja\nConnection: close\n\n"), b"").await;
        let r = raw_resp(status, headers, text);
        assert!(r.status.is_client_error(), "{path}: {}", r.status);
        assert_json_error(&r, path);
        n += 1;
    }
    // A method a route does not have: a JSON 405.
    let r =
        send(fx.c(Who::Hr1), &Req { method: Method::DELETE, path: "/api/months".into(), body: None, csv: None }).await;
    assert_error(&r, 405, "method_not_allowed", "DELETE /api/months");

    // Downloads are named with safe characters only.
    let hr1 = fx.c(Who::Hr1);
    assert_eq!(hr1.post("/api/months/2026-09/close", json!({})).await.0, StatusCode::OK);
    for path in ["/api/months/2026-09/payroll.csv", "/api/months/2026-09/payroll.xlsx"] {
        let r = send(hr1, &get(path)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_safe_file_name(&r, path);
    }
    let r = send(hr1, &post("/api/admin/activation-codes", json!({"actors": [fx.spare[7].as_str()]}))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_safe_file_name(&r, "activation codes");

    // Nothing was read or written outside the database.
    assert_eq!(files_in(fx.srv.dir()), db_files, "the database's folder");
    assert_eq!(files_in(&cwd), cwd_files, "the working directory");
    eprintln!("path tricks ({db:?}): {n} requests refused cleanly");
}
both!(path_tricks);

// ---------------------------------------------------------------------------
// 7. The sign-in throttle, and X-Forwarded-For
// ---------------------------------------------------------------------------

async fn sign_in_throttle(db: Db) {
    // The default limits: 30 attempts from one address in 5 minutes.
    let srv = TestServer::start_with(db, |c| c.limits = kinerja_server::auth::Limits::default()).await;
    let store = SqlStore::open(&srv.url).await.unwrap();
    assert_eq!(srv.state.config.limits.attempts_per_client, 30);
    assert!(!srv.state.config.trust_proxy);
    let http = reqwest::Client::new();
    let attempt = |forwarded: String, actor: &str, password: &str| {
        finish(
            http.post(format!("{}/api/auth/login", srv.base))
                .header("x-forwarded-for", forwarded)
                .json(&json!({"actor": actor, "password": password})),
        )
    };
    let unknown = "199912122020121009";
    for i in 0..30 {
        // Each from another forwarded address: ignored, the connection's counts.
        let r = attempt(format!("10.0.0.{i}"), unknown, "salah-salah").await;
        assert_error(&r, 401, "invalid_credentials", &format!("attempt {}", i + 1));
    }
    let before = snapshot(&store, db).await;
    let r = attempt("10.9.9.9".into(), srv.people.staff.as_str(), PASSWORD).await;
    assert_error(&r, 429, "too_many_attempts", "the 31st attempt, with the right password");
    let after = snapshot(&store, db).await;
    assert_nothing_stored(&before, &after, Some("throttled"), "the 31st attempt");
    let line = &changes(&before, &after)["audit"].1[0];
    assert!(line.contains("\"127.0.0.1\"") && !line.contains("10.9.9.9"), "the connection's address: {line}");
    let r = finish(http.post(format!("{}/api/auth/activate", srv.base)).json(&json!({
        "actor": srv.people.peer.as_str(), "code": "ABCD-EFGH-JKLM", "password": "sandi-yang-panjang"})))
    .await;
    assert_error(&r, 429, "too_many_attempts", "activation from the same address");

    // Behind a proxy the service runs (trust_proxy), each forwarded address counts for itself.
    let srv = TestServer::start_with(db, |c| {
        c.limits.attempts_per_client = 3;
        c.trust_proxy = true;
    })
    .await;
    let http = reqwest::Client::new();
    let attempt = |forwarded: &str| {
        finish(
            http.post(format!("{}/api/auth/login", srv.base))
                .header("x-forwarded-for", forwarded)
                .json(&json!({"actor": unknown, "password": "salah-salah"})),
        )
    };
    for _ in 0..3 {
        assert_error(&attempt("10.0.0.1").await, 401, "invalid_credentials", "forwarded 10.0.0.1");
    }
    assert_error(&attempt("10.0.0.1, 192.168.1.1").await, 429, "too_many_attempts", "the 4th from 10.0.0.1");
    assert_error(&attempt("10.0.0.2").await, 401, "invalid_credentials", "another forwarded address");
}
both!(sign_in_throttle);

// ---------------------------------------------------------------------------
// 8. Passwords and secrets at rest, and the lockout
// ---------------------------------------------------------------------------

/// True when some cell of some table holds `secret`.
fn stored_anywhere(t: &Tables, secret: &str) -> bool {
    t.values().flatten().any(|row| row.contains(secret))
}

/// The account row's columns (`password_hash`, `activation_hash`, `failed_count`, `locked_until`).
async fn account_row(store: &SqlStore, actor: &str) -> (Option<String>, Option<String>, i64, Option<String>) {
    let r =
        sqlx::query("SELECT password_hash, activation_hash, failed_count, locked_until FROM accounts WHERE actor = $1")
            .bind(actor)
            .fetch_one(store.pool())
            .await
            .expect("the account");
    (r.get(0), r.get(1), r.get(2), r.get(3))
}

/// The rules of sign-in as the database keeps them: passwords hashed with
/// argon2id (the argon2 crate's defaults, m=19456 KiB, t=2, p=1, a salt of its
/// own for each), activation codes and session secrets kept only as SHA-256,
/// none of them anywhere in the database as given; and the lockout: five wrong
/// passwords lock an account for 15 minutes, even against the right one, a
/// locked attempt stores nothing but its audit line, another account signs in
/// meanwhile, and attempts on an unknown NIP create no account.
async fn passwords_and_secrets_at_rest_and_lockout(db: Db) {
    let srv = TestServer::start(db).await;
    let store = SqlStore::open(&srv.url).await.expect("open the database");
    let p = srv.people.clone();
    let (a, b) = (p.stranger.as_str(), p.boss.as_str());
    let hr = srv.token(p.hr1.as_str()).await;
    let anon = anonymous(&srv);

    // Activation codes for two people, both activated with the same password.
    let r = send(&hr, &post("/api/admin/activation-codes", json!({"actors": [a, b]}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let csv = r.text.clone();
    let codes: HashMap<String, String> = csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|r| r.expect("a CSV line"))
        .map(|r| (r[0].to_string(), r[3].to_string()))
        .collect();
    assert_eq!(codes.len(), 2, "{csv}");
    for who in [a, b] {
        let code = &codes[who];
        let (_, hash, _, _) = account_row(&store, who).await;
        assert_eq!(hash, Some(kinerja_server::auth::sha256_hex(&kinerja_server::auth::normalise_code(code))));
        let t = snapshot(&store, db).await;
        assert!(!stored_anywhere(&t, code), "the code as handed out is stored");
        assert!(!stored_anywhere(&t, &kinerja_server::auth::normalise_code(code)), "the code is stored");
    }
    let same = "sandi-yang-sama-12";
    for who in [a, b] {
        let r =
            send(&anon, &post("/api/auth/activate", json!({"actor": who, "code": codes[who], "password": same}))).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    }
    let (ha, code_a, _, _) = account_row(&store, a).await;
    let (hb, _, _, _) = account_row(&store, b).await;
    let (ha, hb) = (ha.expect("a's hash"), hb.expect("b's hash"));
    for h in [&ha, &hb] {
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "an argon2id hash: {h}");
        assert!(kinerja_server::auth::verify_password(Some(h.clone()), same.into()).await);
        assert!(!kinerja_server::auth::verify_password(Some(h.clone()), "sandi-yang-lain-12".into()).await);
    }
    assert_ne!(ha, hb, "one salt per hash: the same password hashes apart");
    assert_eq!(code_a, None, "a used code is forgotten");

    // Sessions: a browser cookie and a bearer token, each kept as its SHA-256 only.
    let r = send(&anon, &post("/api/auth/login", json!({"actor": a, "password": same}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let (cookie, attrs) = set_cookie(&r).expect("a session cookie");
    assert!(attrs.contains("HttpOnly") && attrs.contains("SameSite=Lax"), "{attrs}");
    assert!(r.json["token"].is_null(), "a browser session shows no bearer token: {}", r.text);
    let r = send(&anon, &post("/api/auth/login", json!({"actor": a, "password": same, "mode": "token"}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let token = r.json["token"].as_str().expect("a token").to_string();
    assert!(set_cookie(&r).is_none(), "a token sign-in sets no cookie");
    let t = snapshot(&store, db).await;
    for secret in [&cookie, &token] {
        assert!(secret.len() >= 32, "a long secret: {secret}");
        assert!(!stored_anywhere(&t, secret), "a session secret is stored as given");
        assert!(stored_anywhere(&t, &kinerja_server::auth::sha256_hex(secret)), "its SHA-256 is");
    }
    assert!(!stored_anywhere(&t, same), "the password is stored as given");

    // A password change hashes the new one afresh.
    let mut c = anonymous(&srv);
    c.bearer = Some(token.clone());
    let new = "sandi-baru-sekali-34";
    let r = send(&c, &post("/api/auth/password", json!({"current": same, "new": new}))).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let (h, _, _, _) = account_row(&store, a).await;
    let h = h.unwrap();
    assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$") && h != ha, "{h}");
    assert!(kinerja_server::auth::verify_password(Some(h), new.into()).await);
    assert!(!stored_anywhere(&snapshot(&store, db).await, new));

    // The lockout: four wrong passwords counted, the fifth locks for 15 minutes.
    let wrong = |who: &str| post("/api/auth/login", json!({"actor": who, "password": "salah-salah-salah"}));
    for i in 1..=4 {
        assert_error(&send(&anon, &wrong(b)).await, 401, "invalid_credentials", &format!("wrong {i}"));
        assert_eq!(account_row(&store, b).await.2, i, "failed count after {i}");
    }
    assert_error(&send(&anon, &wrong(b)).await, 401, "invalid_credentials", "wrong 5");
    let (_, _, failed, until) = account_row(&store, b).await;
    assert_eq!((failed, until.as_deref()), (0, Some("2026-10-05T09:15:00")), "locked 09:00 + 15 minutes");
    let right = post("/api/auth/login", json!({"actor": b, "password": same}));
    for (req, what) in [(&right, "the right password"), (&wrong(b), "a wrong one")] {
        let before = snapshot(&store, db).await;
        let r = send(&anon, req).await;
        assert_error(&r, 423, "account_locked", &format!("locked, {what}"));
        assert_nothing_stored(&before, &snapshot(&store, db).await, Some("locked"), what);
    }
    // Another account from the same address signs in meanwhile.
    let r = send(&anon, &post("/api/auth/login", json!({"actor": a, "password": new}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // Unknown NIPs: refused alike, and no account is made for them.
    let unknown = "199912122020121009";
    let before = snapshot(&store, db).await;
    for _ in 0..6 {
        assert_error(&send(&anon, &wrong(unknown)).await, 401, "invalid_credentials", "an unknown NIP");
    }
    let after = snapshot(&store, db).await;
    let mut diff = changes(&before, &after);
    let (gone, new_lines) = diff.remove("audit").expect("audit lines");
    assert!(gone.is_empty() && new_lines.len() == 6, "{new_lines:?}");
    assert!(new_lines.iter().all(|l| l.contains("\"unknown_or_disabled\"")), "{new_lines:?}");
    assert!(diff.is_empty(), "{diff:#?}");
    // At 09:14:59 still locked; at 09:15 the right password signs in and the count starts over.
    srv.at(day(2026, 10, 5).and_hms_opt(9, 14, 59).unwrap());
    assert_error(&send(&anon, &right).await, 423, "account_locked", "a second before the end");
    srv.at(day(2026, 10, 5).and_hms_opt(9, 15, 0).unwrap());
    let r = send(&anon, &right).await;
    assert_eq!(r.status, StatusCode::OK, "unlocked: {}", r.text);
    assert_eq!(account_row(&store, b).await, (Some(hb), None, 0, None));
}
both!(passwords_and_secrets_at_rest_and_lockout);
