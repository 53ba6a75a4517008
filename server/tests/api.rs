//! The service end to end over HTTP, each case on SQLite and on PostgreSQL.

mod common;

use chrono::NaiveDate;
use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The first task of the caller on a day: (id, standard minutes).
async fn first_task(c: &Client, date: &str) -> (String, i64) {
    let (s, body) = c.get(&format!("/api/me/day?date={date}")).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let t = &body["tasks"][0];
    (t["id"].as_str().expect("a task").to_string(), t["standard_minutes"].as_i64().expect("minutes"))
}

async fn daily_flow(db: Db) {
    let srv = TestServer::start(db).await;
    let p = srv.people.clone();
    let staff = srv.sign_in(p.staff.as_str()).await;
    let (s, me) = staff.get("/api/me").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(me["actor"], p.staff.as_str());
    assert!(!me["name"].as_str().unwrap().is_empty());

    // Monday 5 October 2026, 09:00: the staff logs 08:00-09:00, quantity 2.
    let (task, sm) = first_task(&staff, "2026-10-05").await;
    let form = json!({"date": "2026-10-05", "start": "08:00", "end": "09:00", "task": task, "quantity": 2,
                      "description": "Mengagendakan surat masuk"});
    let (s, logged) = staff.post("/api/me/activities", form.clone()).await;
    assert_eq!(s, StatusCode::OK, "{logged}");
    let id = logged["entry"]["id"].as_u64().unwrap();
    assert_eq!(logged["entry"]["status"], "submitted");
    // Worth 2 x standard minutes, capped by the 60-minute span.
    assert_eq!(logged["details"]["credited_minutes"].as_i64().unwrap(), (2 * sm).min(60));

    // Without the CSRF token the same post is refused, and nothing is stored.
    let (s, refused) = staff.without_csrf().post("/api/me/activities", form.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(reason(&refused), "csrf");

    // A peer may not read the staff's month nor decide on the entry.
    let peer = srv.sign_in(p.peer.as_str()).await;
    let (s, body) = peer.get(&format!("/api/months/2026-10/employees/{}", p.staff)).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(reason(&body), "not_the_supervisor");
    let (s, body) = peer
        .post("/api/months/2026-10/verifications", json!({"decisions": [{"entry": id, "decision": "approve"}]}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");

    // The supervisor sees it in the queue and returns it with a reason.
    srv.at(day(2026, 10, 6).and_hms_opt(10, 0, 0).unwrap());
    let boss = srv.sign_in(p.boss.as_str()).await;
    let (s, q) = boss.get("/api/me/queue?month=2026-10").await;
    assert_eq!(s, StatusCode::OK, "{q}");
    let ids: Vec<u64> = q["entries"].as_array().unwrap().iter().map(|e| e["entry"]["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, vec![id], "the queue holds the staff's one entry");
    let (s, body) = boss
        .post(
            "/api/months/2026-10/verifications",
            json!({"decisions": [{"entry": id, "decision": "return", "reason": "lengkapi nomor agenda"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["entries"][0]["entry"]["status"], "returned");

    // The staff (signed in again: yesterday's session has expired) sees why,
    // edits to quantity 1 and resubmits.
    let staff = srv.sign_in(p.staff.as_str()).await;
    let (_, d) = staff.get("/api/me/day?date=2026-10-05").await;
    assert_eq!(d["entries"][0]["details"]["reason"], "lengkapi nomor agenda", "{d}");
    let mut edit = form.clone();
    edit["quantity"] = json!(1);
    let (s, body) = staff.put(&format!("/api/months/2026-10/entries/{id}"), edit).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (s, body) = staff.post(&format!("/api/months/2026-10/entries/{id}/resubmit"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["entry"]["status"], "submitted");

    // Approved; the month counts 1 x standard minutes (at most the span).
    let (s, body) = boss
        .post("/api/months/2026-10/verifications", json!({"decisions": [{"entry": id, "decision": "approve"}]}))
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (s, month) = staff.get(&format!("/api/months/2026-10/employees/{}", p.staff)).await;
    assert_eq!(s, StatusCode::OK, "{month}");
    assert_eq!(month["read_as"], "own");
    assert_eq!(month["recap"]["verified_minutes"].as_i64().unwrap(), sm.min(60));
    let (s, month) = boss.get(&format!("/api/months/2026-10/employees/{}", p.staff)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(month["read_as"], "verifier");

    // Work older than the entry window is refused with the core's code and field.
    srv.at(day(2026, 10, 20).and_hms_opt(9, 0, 0).unwrap());
    let staff = srv.sign_in(p.staff.as_str()).await;
    let mut old = form.clone();
    old["start"] = json!("10:00");
    old["end"] = json!("11:00");
    let (s, body) = staff.post("/api/me/activities", old).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "date", "{body}");
    assert!(!code(&body).is_empty());
    let (_, d) = staff.get("/api/me/day?date=2026-10-05").await;
    assert_eq!(d["entries"].as_array().unwrap().len(), 1, "the refused entry was not stored");
}
both!(daily_flow);

async fn close_and_pay(db: Db) {
    let srv = TestServer::start(db).await;
    let p = srv.people.clone();
    let hr1 = srv.sign_in(p.hr1.as_str()).await;
    let (s, body) = hr1.get("/api/months/2026-10/payroll").await;
    assert_eq!(s, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "month_not_closed");
    let (s, body) = hr1.get("/api/months/2026-10/payroll?projection=true").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["final_"], false);

    // Someone who is not HR may not close, nor read the payroll.
    let staff = srv.sign_in(p.staff.as_str()).await;
    let (s, body) = staff.post("/api/months/2026-10/close", json!({})).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    let (s, body) = staff.get("/api/months/2026-10/payroll?projection=true").await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(reason(&body), "not_an_officer");

    // 10 November: HR1 closes; HR1 may not reopen what they closed; HR2 may.
    srv.at(day(2026, 11, 10).and_hms_opt(9, 0, 0).unwrap());
    let hr1 = srv.sign_in(p.hr1.as_str()).await;
    let hr2 = srv.sign_in(p.hr2.as_str()).await;
    let (s, body) = hr1.post("/api/months/2026-10/close", json!({})).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (s, body) = hr1.post("/api/months/2026-10/reopen", json!({"reason": "koreksi"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(reason(&body), "same_officer");
    let (s, body) = hr2.post("/api/months/2026-10/reopen", json!({"reason": "koreksi absen"})).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (s, _) = hr2.post("/api/months/2026-10/close", json!({})).await;
    assert_eq!(s, StatusCode::OK);

    // Paid once; recomputed, it equals the stored run.
    let (s, body) = hr1.get("/api/months/2026-10/payroll").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body["final_"], true);
    assert_eq!(body["matches_paid"], Value::Null);
    let employees = body["payroll"]["summary"]["employees"].as_u64().unwrap();
    assert_eq!(employees, 120, "everyone is accounted for");
    // The national baseline's allowance values are not verified: the run needs the permission.
    let (s, refused) = hr1.post("/api/months/2026-10/payroll", json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{refused}");
    assert_eq!(refused["error"]["code"], "unverified_policy");
    let (s, run) = hr1.post("/api/months/2026-10/payroll", json!({"allow_unverified": true})).await;
    assert_eq!(s, StatusCode::OK, "{run}");
    assert_eq!(run["run"], 1);
    let (_, body) = hr1.get("/api/months/2026-10/payroll").await;
    assert_eq!(body["matches_paid"], true);
    assert_eq!(body["paid_run"], 1);
    assert_eq!(body["slips_sha256"], run["slips_sha256"]);

    // Downloads: CSV with a row per employee, a header and four summary rows; XLSX is a zip.
    let (s, csv, ct) = hr1.get_bytes("/api/months/2026-10/payroll.csv").await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.starts_with("text/csv"), "{ct}");
    let text = String::from_utf8(csv).unwrap();
    assert_eq!(text.lines().count(), 1 + 120 + 4);
    let (s, xlsx, _) = hr1.get_bytes("/api/months/2026-10/payroll.xlsx").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(&xlsx[..2], b"PK");

    // The employee's own slip of the closed month.
    let staff = srv.sign_in(p.staff.as_str()).await;
    let (s, body) = staff.get(&format!("/api/months/2026-10/employees/{}/allowance", p.staff)).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["final_"], true);
    assert!(body["slip"]["lines"].as_array().is_some_and(|l| !l.is_empty()), "{body}");
    // Each line explained as data (message id, typed arguments) and as text in the
    // caller's language: Indonesian by default, English by Accept-Language or ?lang=.
    assert_eq!(body["slip"]["lines"][0]["explanation"]["id"], "slip-ceiling-table", "{body}");
    let ceiling = kinerja::Money::parse(body["slip"]["lines"][0]["amount"].as_str().unwrap()).unwrap();
    let ex = &body["explained"];
    assert_eq!(ex["lang"], "id", "{ex}");
    assert_eq!(ex["month"], "Oktober 2026");
    assert_eq!(ex["lines"][0]["name"], "Pagu TPP");
    assert_eq!(ex["lines"][0]["amount"], kinerja::i18n::rupiah(ceiling, kinerja::i18n::Lang::Id));
    assert!(ex["lines"][0]["amount"].as_str().unwrap().starts_with("Rp "), "{ex}");
    assert!(ex["lines"][0]["explanation"].as_str().unwrap().starts_with("Pagu TPP untuk kelas jabatan "), "{ex}");
    let url = format!("/api/months/2026-10/employees/{}/allowance", p.staff);
    let (s, en) = staff.get_in(&url, "en-GB,en;q=0.9,id;q=0.5").await;
    assert_eq!(s, StatusCode::OK, "{en}");
    assert_eq!(en["explained"]["lang"], "en");
    assert_eq!(en["explained"]["month"], "October 2026");
    assert!(en["explained"]["lines"][0]["explanation"].as_str().unwrap().starts_with("Ceiling (pagu TPP)"), "{en}");
    let (_, q) = staff.get_in(&format!("{url}?lang=id"), "en").await;
    assert_eq!(q["explained"]["lang"], "id", "?lang= wins over the header");
    // HR reads the same slip with its text, the slip itself verifiable as saved.
    let (s, hr) = hr1.get(&format!("/api/months/2026-10/slips/{}?lang=en", p.staff)).await;
    assert_eq!(s, StatusCode::OK, "{hr}");
    assert_eq!(hr["slip"]["net"], body["slip"]["net"]);
    assert_eq!(hr["explained"]["lang"], "en");
    let saved: kinerja::allowance::Slip = serde_json::from_value(hr["slip"].clone()).expect("a slip");
    assert!(saved.is_sealed());

    // Nothing more is recorded in a closed month.
    let (s, body) = staff
        .post(
            "/api/me/activities",
            json!({"date": "2026-10-30", "start": "08:00", "end": "09:00", "task": "x", "quantity": 1, "description": "x"}),
        )
        .await;
    assert!(s.is_client_error(), "{s} {body}");
    // The refusal is said in the caller's language: Indonesian by default, English
    // with ?lang=en (the engine's own sentence); the code stays the same.
    assert_eq!(code(&body), "month_closed", "{body}");
    assert_eq!(
        body["error"]["message"], "Bulan Oktober 2026 sudah ditutup; tidak ada perubahan yang diterima.",
        "{body}"
    );
    let (_, en) = staff
        .post(
            "/api/me/activities?lang=en",
            json!({"date": "2026-10-30", "start": "08:00", "end": "09:00", "task": "x", "quantity": 1, "description": "x"}),
        )
        .await;
    assert_eq!(code(&en), "month_closed", "{en}");
    let text = en["error"]["message"].as_str().unwrap();
    assert!(text.contains("closed") && !text.contains("ditutup"), "{en}");
}
both!(close_and_pay);

async fn restart_keeps_the_record_and_rows_are_append_only(db: Db) {
    let srv = TestServer::start(db).await;
    let p = srv.people.clone();
    let staff = srv.sign_in(p.staff.as_str()).await;
    let (task, _) = first_task(&staff, "2026-10-05").await;
    for (start, end) in [("07:30", "08:00"), ("08:00", "08:45")] {
        let (s, body) = staff
            .post(
                "/api/me/activities",
                json!({"date": "2026-10-05", "start": start, "end": end, "task": task, "quantity": 1, "description": "kerja"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
    }
    let hr = srv.sign_in(p.hr1.as_str()).await;
    let (_, before) = hr.get("/api/months").await;
    let db_kind = srv.db;
    let (url, dir) = srv.stop().await;

    // Started again on the same database: the month is rebuilt from its rows.
    let srv = TestServer::start_on(db_kind, url.clone(), dir, false).await;
    let hr = srv.sign_in(p.hr1.as_str()).await;
    let (_, after) = hr.get("/api/months").await;
    assert_eq!(before, after, "the months and their heads after a restart");
    assert_eq!(after[0]["events"], 2);
    let staff = srv.sign_in(p.staff.as_str()).await;
    let (_, d) = staff.get("/api/me/day?date=2026-10-05").await;
    assert_eq!(d["entries"].as_array().unwrap().len(), 2);

    // The database itself refuses to change or remove an event row.
    let store = kinerja_server::store::SqlStore::open(&url).await.unwrap();
    let upd = sqlx::query("UPDATE events SET actor = 'x'").execute(store.pool()).await;
    assert!(upd.is_err(), "an event row was updated");
    let del = sqlx::query("DELETE FROM events").execute(store.pool()).await;
    assert!(del.is_err(), "an event row was deleted");
    let n: i64 =
        sqlx::Row::get(&sqlx::query("SELECT COUNT(*) AS n FROM events").fetch_one(store.pool()).await.unwrap(), "n");
    assert_eq!(n, 2);
}
both!(restart_keeps_the_record_and_rows_are_append_only);

async fn phone_sync(db: Db) {
    let srv = TestServer::start(db).await;
    let p = srv.people.clone();
    let staff = srv.token(p.staff.as_str()).await;
    let (s, bundle) = staff.get("/api/sync/bundle?month=2026-10").await;
    assert_eq!(s, StatusCode::OK, "{bundle}");
    let session_id = bundle["session"].as_str().unwrap().to_string();
    let mut phone = kinerja::device::DeviceSession::open(&bundle.to_string()).expect("the phone opens the bundle");
    let task = phone.tasks_on("2026-10-05").unwrap()[0].id.to_string();
    let draft = kinerja::device::ActivityDraft {
        date: "2026-10-05".into(),
        start: "08:00".into(),
        end: "08:30".into(),
        task,
        quantity: "1".into(),
        description: "offline".into(),
        evidence: None,
    };
    phone.log_activity(&draft, "2026-10-05T08:31").unwrap();
    let changes: Value = serde_json::from_str(&phone.pending_changes_json()).unwrap();
    let upload = json!({"session": session_id, "changes": changes});
    let (s, first) = staff.post("/api/sync/upload", upload.clone()).await;
    assert_eq!(s, StatusCode::OK, "{first}");
    assert_eq!(first["results"][0]["outcome"], "accepted", "{first}");
    // Retried (the answer was lost): the same answer, nothing counted twice.
    let (s, again) = staff.post("/api/sync/upload", upload.clone()).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(again["results"], first["results"]);
    let web = srv.sign_in(p.staff.as_str()).await;
    let (_, d) = web.get("/api/me/day?date=2026-10-05").await;
    assert_eq!(d["entries"].as_array().unwrap().len(), 1);
    // Another employee may not upload through this session.
    let peer = srv.token(p.peer.as_str()).await;
    let (s, body) = peer.post("/api/sync/upload", upload).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(reason(&body), "not_session_owner");
}
both!(phone_sync);

/// A clock-in from the phone travels in the sync upload like any change; the server
/// records it with its own geofence verdict, never the one the phone sends (the test
/// city has no work site, so there is none), and the day shows it.
async fn phone_clock_in(db: Db) {
    let srv = TestServer::start(db).await;
    let p = srv.people.clone();
    let staff = srv.token(p.staff.as_str()).await;
    let (s, bundle) = staff.get("/api/sync/bundle?month=2026-10").await;
    assert_eq!(s, StatusCode::OK, "{bundle}");
    let session_id = bundle["session"].as_str().unwrap().to_string();
    let mut phone = kinerja::device::DeviceSession::open(&bundle.to_string()).expect("the phone opens the bundle");
    phone
        .clock(kinerja::attendance::ClockDirection::In, Some(("5.5215", "95.3055", Some(8))), "2026-10-05T07:25")
        .expect("clocked in offline");
    let mut changes: Value = serde_json::from_str(&phone.pending_changes_json()).unwrap();
    assert_eq!(changes[0]["change"], "clock", "{changes}");
    // A tampered phone claims it was inside a site.
    changes[0]["event"]["geofence"] = json!({"site": "SITE-X", "verdict": "inside", "distance_m": 0, "flagged": false});
    let upload = json!({"session": session_id, "changes": changes});
    let (s, answer) = staff.post("/api/sync/upload", upload).await;
    assert_eq!(s, StatusCode::OK, "{answer}");
    assert_eq!(answer["results"][0]["outcome"], "accepted", "{answer}");
    let web = srv.sign_in(p.staff.as_str()).await;
    let (_, d) = web.get("/api/me/day?date=2026-10-05").await;
    let clock = d["clock"].as_array().unwrap();
    assert_eq!(clock.len(), 1, "{d}");
    assert_eq!(clock[0]["source"]["kind"], "mobile");
    assert!(clock[0].get("geofence").is_none(), "the phone's verdict was kept: {d}");
}
both!(phone_clock_in);

async fn clock_machine(db: Db) {
    let srv = TestServer::start(db).await;
    let p = srv.people.clone();
    let device = p.device.clone().expect("a fingerprint reader at the staff's unit");
    let hr = srv.sign_in(p.hr1.as_str()).await;
    let (s, t) = hr.post(&format!("/api/admin/devices/{device}/token"), json!({})).await;
    assert_eq!(s, StatusCode::OK, "{t}");
    let mut machine = srv.anonymous();
    machine.bearer = t["token"].as_str().map(String::from);
    let scans = json!({"scans": [
        {"employee": p.staff.as_str(), "at": "2026-10-05T07:25:00", "direction": "in", "key": "log-1"},
        {"employee": p.stranger.as_str(), "at": "2026-10-05T07:26:00", "direction": "in", "key": "log-2"}
    ]});
    let (s, body) = machine.post("/api/clock", scans.clone()).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["results"][0]["outcome"], "accepted", "{body}");
    assert_eq!(body["results"][1]["outcome"], "refused");
    assert_eq!(body["results"][1]["code"], "outside_unit", "{body}");
    // Sent again: a duplicate, counted once.
    let (_, body) = machine.post("/api/clock", scans).await;
    assert_eq!(body["results"][0]["outcome"], "duplicate", "{body}");
    let staff = srv.sign_in(p.staff.as_str()).await;
    let (_, d) = staff.get("/api/me/day?date=2026-10-05").await;
    assert_eq!(d["clock"].as_array().unwrap().len(), 1);
    // A person's session may not send scans.
    let (s, _) = staff.post("/api/clock", json!({"scans": []})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}
both!(clock_machine);

async fn activation_and_lockout(db: Db) {
    let srv = TestServer::start(db).await;
    let p = srv.people.clone();
    let hr = srv.sign_in(p.hr1.as_str()).await;
    let (s, csv, _) = {
        let (s, body) = hr.post("/api/admin/activation-codes", json!({"actors": [p.staff.as_str()]})).await;
        (s, body.as_str().unwrap_or_default().to_string(), ())
    };
    assert_eq!(s, StatusCode::OK, "{csv}");
    let line = csv.lines().nth(1).expect("one code");
    let code_text = line.split(',').nth(3).unwrap().to_string();
    let anon = srv.anonymous();
    let (s, body) = anon
        .post("/api/auth/activate", json!({"actor": p.staff.as_str(), "code": code_text, "password": "pendek"}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(code(&body), "weak_password");
    let (s, body) = anon
        .post(
            "/api/auth/activate",
            json!({"actor": p.staff.as_str(), "code": code_text.to_lowercase(), "password": "sandi-baru-panjang"}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{body}");
    let (s, _) = anon
        .post(
            "/api/auth/activate",
            json!({"actor": p.staff.as_str(), "code": code_text, "password": "sandi-lain-panjang"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "a code works once");
    let (s, _) =
        anon.post("/api/auth/login", json!({"actor": p.staff.as_str(), "password": "sandi-baru-panjang"})).await;
    assert_eq!(s, StatusCode::OK);

    // Five wrong passwords lock the account for 15 minutes, even against the right one.
    for _ in 0..5 {
        let (s, body) =
            anon.post("/api/auth/login", json!({"actor": p.peer.as_str(), "password": "salah-salah"})).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(code(&body), "invalid_credentials");
    }
    let (s, body) = anon.post("/api/auth/login", json!({"actor": p.peer.as_str(), "password": PASSWORD})).await;
    assert_eq!(s, StatusCode::LOCKED, "{body}");
    srv.at(day(2026, 10, 5).and_hms_opt(9, 16, 0).unwrap());
    let (s, _) = anon.post("/api/auth/login", json!({"actor": p.peer.as_str(), "password": PASSWORD})).await;
    assert_eq!(s, StatusCode::OK, "unlocked after 15 minutes");
    let (_, log) = hr.get(&format!("/api/admin/audit?actor={}", p.peer)).await;
    let outcomes: Vec<&str> = log.as_array().unwrap().iter().map(|l| l["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes.iter().filter(|o| **o == "wrong_password").count(), 4, "{outcomes:?}");
    assert!(outcomes.contains(&"locked_now") && outcomes.contains(&"locked") && outcomes.contains(&"ok"));
}
both!(activation_and_lockout);

async fn errors_are_json(db: Db) {
    let srv = TestServer::start(db).await;
    let p = srv.people.clone();
    let staff = srv.sign_in(p.staff.as_str()).await;
    let (s, body) = staff.get("/api/no/such/path").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(code(&body), "not_found");
    let raw = staff
        .http
        .post(format!("{}/api/me/activities", staff.base))
        .header("x-csrf-token", staff.csrf.clone().unwrap())
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), StatusCode::BAD_REQUEST);
    let body: Value = raw.json().await.unwrap();
    assert_eq!(code(&body), "invalid_json");
    let (s, body) = srv.anonymous().get("/api/me").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(code(&body), "unauthenticated");
    let (s, body) = staff.get("/api/months/2026-13/employees/x").await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
    let (s, doc) = srv.anonymous().get("/api/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["paths"].as_object().unwrap().len() >= 30, "{}", doc["paths"].as_object().unwrap().len());
}
both!(errors_are_json);

/// A month re-pinned by an import (a new dataset or policy version) goes on
/// storing its events: what is accepted after the import is in the database,
/// and is there after a restart.
async fn events_after_an_import_are_stored(db: Db) {
    let srv = TestServer::start(db).await;
    let p = srv.people.clone();
    let staff = srv.sign_in(p.staff.as_str()).await;
    let (task, _) = first_task(&staff, "2026-10-05").await;
    let log = |start: &str, end: &str| json!({"date": "2026-10-05", "start": start, "end": end, "task": task, "quantity": 1, "description": "kerja"});
    let (s, body) = staff.post("/api/me/activities", log("07:30", "08:00")).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let hr = srv.sign_in(p.hr1.as_str()).await;
    let (s, body) = hr.post("/api/admin/policies", json!({"layers": []})).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["months"], json!(["2026-10"]), "October re-pinned");
    let dataset: Value = serde_json::from_str(&city_json()).unwrap();
    let (s, body) = hr.post("/api/admin/datasets", json!({"effective_from": "2026-10-01", "dataset": dataset})).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (s, body) = staff.post("/api/me/activities", log("08:00", "08:30")).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let n = srv.state.store.event_count("2026-10").await.unwrap();
    assert_eq!(n, 2, "the event accepted after the imports is stored");
    let (_, months) = hr.get("/api/months").await;
    assert_eq!(months[0]["events"], 2);
    assert_eq!(months[0]["dataset_version"], 2);
    assert_eq!(months[0]["policy_version"], 2);
    let db_kind = srv.db;
    let (url, dir) = srv.stop().await;
    let srv = TestServer::start_on(db_kind, url, dir, false).await;
    let staff = srv.sign_in(p.staff.as_str()).await;
    let (_, d) = staff.get("/api/me/day?date=2026-10-05").await;
    assert_eq!(d["entries"].as_array().unwrap().len(), 2, "both entries after a restart");
}
both!(events_after_an_import_are_stored);

/// Reading a month, or a command the core refuses, stores no month: a month is
/// kept from its first event. A month whose context cannot be built is refused
/// without a trace.
async fn a_month_is_kept_from_its_first_event(db: Db) {
    let srv = TestServer::start(db).await;
    let p = srv.people.clone();
    let staff = srv.sign_in(p.staff.as_str()).await;
    let hr = srv.sign_in(p.hr1.as_str()).await;
    for path in ["/api/me/queue?month=2026-03", "/api/me/day?date=2026-02-02", "/api/months/2026-04/recap"] {
        let c = if path.contains("recap") { &hr } else { &staff };
        let (s, body) = c.get(path).await;
        assert!(s.is_success() || s.is_client_error(), "{path}: {s} {body}");
    }
    for month in ["1990-01", "0001-01"] {
        let (s, body) = staff.get(&format!("/api/me/queue?month={month}")).await;
        assert!(s.is_client_error() || s.is_success(), "{month}: {s} {body}");
    }
    // A refused command in a month never kept: an entry far outside the window.
    let (task, _) = first_task(&staff, "2026-10-05").await;
    let (s, body) = staff
        .post(
            "/api/me/activities",
            json!({"date": "2026-06-01", "start": "08:00", "end": "09:00", "task": task, "quantity": 1, "description": "x"}),
        )
        .await;
    assert!(s.is_client_error(), "{s} {body}");
    let peer = srv.sign_in(p.peer.as_str()).await;
    let (s, body) = peer
        .post(
            "/api/months/2026-05/absences",
            json!({"employee": p.staff.as_str(), "range": {"start": "2026-05-04", "end": "2026-05-04"}, "kind": "permit"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    let (_, months) = hr.get("/api/months").await;
    assert_eq!(months, json!([]), "no month kept");
    // The first accepted command keeps it.
    let (s, body) = staff
        .post(
            "/api/me/activities",
            json!({"date": "2026-10-05", "start": "07:30", "end": "08:00", "task": task, "quantity": 1, "description": "x"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (_, months) = hr.get("/api/months").await;
    assert_eq!(months.as_array().unwrap().len(), 1, "{months}");
    assert_eq!(months[0]["month"], "2026-10");
}
both!(a_month_is_kept_from_its_first_event);

async fn journal_export(db: Db) {
    let srv = TestServer::start(db).await;
    let p = srv.people.clone();
    let staff = srv.sign_in(p.staff.as_str()).await;
    let (task, _) = first_task(&staff, "2026-10-05").await;
    let mut ids = Vec::new();
    for (start, end) in [("07:30", "08:00"), ("08:00", "08:45"), ("08:45", "09:00")] {
        let (s, body) = staff
            .post(
                "/api/me/activities",
                json!({"date": "2026-10-05", "start": start, "end": end, "task": task, "quantity": 1, "description": "kerja"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        ids.push(body["entry"]["id"].as_u64().unwrap());
    }
    let boss = srv.sign_in(p.boss.as_str()).await;
    let decisions: Vec<Value> = ids.iter().map(|id| json!({"entry": id, "decision": "approve"})).collect();
    let (s, body) = boss.post("/api/months/2026-10/verifications", json!({ "decisions": decisions })).await;
    assert_eq!(s, StatusCode::OK, "{body}");

    // Only whoever may read the whole city's record exports it.
    let (s, body) = staff.get("/api/months/2026-10/journal").await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    let hr = srv.sign_in(p.hr1.as_str()).await;
    let resp = hr.http.get(format!("{}/api/months/2026-10/journal", hr.base)).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "application/x-ndjson");
    let head = resp.headers()["x-kinerja-head"].to_str().unwrap().to_string();
    let text = resp.text().await.unwrap();

    // The text journal: a header line and one line per event, as the core reads it.
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1 + 4, "header, three entries, one decision:\n{text}");
    let header: kinerja::ledger::JournalHeader = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(header, kinerja::ledger::JournalHeader::new("2026-10".parse().unwrap()));
    let (seq, hash) = head.split_once(':').unwrap();
    let anchor = kinerja::ledger::Head { seq: seq.parse().unwrap(), hash: hash.parse().unwrap() };
    assert_eq!(anchor.seq, 4);
    let v = kinerja::ledger::verify(text.as_bytes(), Some(anchor)).unwrap();
    assert!(v.holds(), "{v:?}");
    assert_eq!(v.events, 4);
    let (_, months) = hr.get("/api/months").await;
    assert_eq!(months[0]["head"], hash, "the head the export names is the month's");

    // It replays through the core to the same entries.
    let policy = kinerja::policy::Policy::national();
    let ctx = kinerja::ledger::MonthContext::new(&srv.city, &policy, "2026-10".parse().unwrap()).unwrap();
    let reader = kinerja::ledger::JournalReader::new(text.as_bytes()).unwrap();
    let (ledger, torn) = kinerja::ledger::Ledger::from_reader(&ctx, reader, false).unwrap();
    assert!(torn.is_none());
    assert_eq!(ledger.head(), anchor);
    assert_eq!(ledger.state().entries.len(), 3);
    assert!(ledger.state().entries.iter().all(|e| e.status == kinerja::activity::VerificationStatus::Approved));

    // A month with no event yet: the header alone, anchored at the genesis.
    let (s, body, _) = hr.get_bytes("/api/months/2026-09/journal").await;
    assert_eq!(s, StatusCode::OK);
    let v = kinerja::ledger::verify(&body[..], None).unwrap();
    assert!(v.holds() && v.events == 0, "{v:?}");
    let (_, log) = hr.get(&format!("/api/admin/audit?actor={}", p.hr1)).await;
    assert!(log.as_array().unwrap().iter().any(|l| l["action"] == "export_journal"), "{log}");
}
both!(journal_export);

async fn imports(db: Db) {
    let srv = TestServer::start(db).await;
    let p = srv.people.clone();
    let device = p.device.clone().expect("a fingerprint reader at the staff's unit");
    // The staff's PIN on that reader, from the dataset's enrolments.
    let access = srv.city.access();
    let reader = access.authorities.devices().iter().find(|d| d.id.to_string() == device).unwrap();
    let pin = reader.enrolments.iter().find(|e| e.employee == p.staff).expect("the staff is enrolled").pin.clone();
    // A ZKTeco-style export: the staff's check-in, an unknown PIN, and a malformed time.
    let log = format!(
        "AC-No.,Name,Time,State\n{pin},Staf,05/10/2026 07:25:10,C/In\n99999,Tamu,05/10/2026 07:40:00,C/In\n{pin},Staf,kemarin,C/In\n"
    );
    let hr = srv.sign_in(p.hr1.as_str()).await;
    let staff = srv.sign_in(p.staff.as_str()).await;
    let post = |c: &Client, path: String, body: String| {
        let r = c.http.post(format!("{}{path}", c.base)).header("content-type", "text/csv").body(body);
        let r = match &c.csrf {
            Some(t) => r.header("x-csrf-token", t),
            None => r,
        };
        async move {
            let resp = r.send().await.unwrap();
            let s = resp.status();
            (s, resp.json::<Value>().await.unwrap())
        }
    };
    // Only HR imports.
    let (s, body) = post(&staff, format!("/api/admin/imports/attendance?device={device}"), log.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    let (s, body) =
        post(&hr, format!("/api/admin/imports/attendance?device={device}&month=2026-10"), log.clone()).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["import"]["rows"], 3);
    assert_eq!(body["import"]["events"].as_array().unwrap().len(), 1);
    assert_eq!(body["unmatched_by_code"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum::<u64>(), 2);
    assert_eq!(body["recorded"][0]["outcome"], "accepted", "{body}");
    // The same log again: recorded once.
    let (_, again) = post(&hr, format!("/api/admin/imports/attendance?device={device}&month=2026-10"), log).await;
    assert_eq!(again["recorded"][0]["outcome"], "duplicate", "{again}");
    let (_, d) = staff.get("/api/me/day?date=2026-10-05").await;
    assert_eq!(d["clock"].as_array().unwrap().len(), 1);

    // An employee export naming one new person: reported, and stored as a new
    // dataset version only with `apply`.
    let csv =
        "NIP BARU,NAMA,GOL AKHIR NAMA,JENIS PEGAWAI NAMA\n199505052020121001,PEGAWAI BARU,III/a,PNS Daerah Kab/Kota\n";
    let (s, body) = post(&hr, "/api/admin/imports/employees?as_of=2026-10-05".into(), csv.into()).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["report"]["added"].as_array().unwrap().len(), 1, "{body}");
    assert_eq!(body["version"], Value::Null);
    let (_, before) = hr.get("/api/admin/datasets").await;
    assert_eq!(before.as_array().unwrap().len(), 1);
    let (s, body) = post(&hr, "/api/admin/imports/employees?as_of=2026-10-05&apply=true".into(), csv.into()).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["version"], 2);
    let (_, after) = hr.get("/api/admin/datasets").await;
    assert_eq!(after.as_array().unwrap().len(), 2);
}
both!(imports);

/// Commands are stamped by the month's writer, in the order it records them:
/// concurrent requests under a running clock are all accepted (a time read
/// before queueing could be overtaken and refused `out_of_order`), and a clock
/// stepped back keeps the last recorded time.
async fn record_times_in_order(db: Db) {
    let srv = TestServer::start(db).await;
    let p = srv.people.clone();
    srv.clock.set(wib(2026, 10, 5, 12, 0));
    let staff = srv.token(p.staff.as_str()).await;
    let (task, _) = first_task(&staff, "2026-10-05").await;
    let entry = |start: &str, end: &str| json!({"date": "2026-10-05", "start": start, "end": end, "task": task, "quantity": 1, "description": "kerja"});
    let (s, body) = staff.post("/api/me/activities", entry("07:30", "08:00")).await;
    assert_eq!(s, StatusCode::OK, "{body}");

    // The system clock steps back a minute: the next command is still taken, at 12:00.
    srv.clock.set(wib(2026, 10, 5, 11, 59));
    let (s, body) = staff.post("/api/me/activities", entry("08:00", "08:30")).await;
    assert_eq!(s, StatusCode::OK, "{body}");

    // Twelve entries at once (08:30-11:30 in quarters) while the clock runs a
    // second every half millisecond, from 11:59.
    let running = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let ticker = {
        let (clock, running) = (srv.clock.clone(), running.clone());
        tokio::spawn(async move {
            let mut t = wib(2026, 10, 5, 11, 59);
            while running.load(std::sync::atomic::Ordering::Relaxed) {
                t += chrono::Duration::seconds(1);
                clock.set(t);
                tokio::time::sleep(std::time::Duration::from_micros(500)).await;
            }
        })
    };
    let posts = (0..12).map(|k| {
        let from = chrono::NaiveTime::from_hms_opt(8, 30, 0).unwrap() + chrono::Duration::minutes(15 * k);
        let to = from + chrono::Duration::minutes(15);
        staff.post("/api/me/activities", entry(&from.format("%H:%M").to_string(), &to.format("%H:%M").to_string()))
    });
    let answers = futures_util::future::join_all(posts).await;
    running.store(false, std::sync::atomic::Ordering::Relaxed);
    ticker.await.unwrap();
    for (s, body) in &answers {
        assert_eq!(*s, StatusCode::OK, "{body}");
    }

    // The journal's record times: 12:00, 12:00 (the step back), then never backwards.
    let hr = srv.token(p.hr1.as_str()).await;
    let (s, text, _) = hr.get_bytes("/api/months/2026-10/journal").await;
    assert_eq!(s, StatusCode::OK);
    let times: Vec<chrono::NaiveDateTime> = text
        .split(|b| *b == b'\n')
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice::<kinerja::ledger::Event>(l).unwrap().record_time())
        .collect();
    assert_eq!(times.len(), 14, "two entries, then twelve");
    let noon = day(2026, 10, 5).and_hms_opt(12, 0, 0).unwrap();
    assert_eq!(times[..2], [noon, noon]);
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
}
both!(record_times_in_order);

/// Requests authenticate through a lookup cache; every change made through the
/// server is seen by the very next request: a session ended (sign-out, ended
/// from another session, every session after a password change) and an
/// account disabled (and enabled again).
async fn session_changes_seen_at_once(db: Db) {
    let srv = TestServer::start(db).await;
    let p = srv.people.clone();
    let staff = p.staff.as_str();
    let login = |actor: String| {
        let c = srv.anonymous();
        async move {
            let (s, body) =
                c.post("/api/auth/login", json!({"actor": actor, "password": PASSWORD, "mode": "token"})).await;
            assert_eq!(s, StatusCode::OK, "{body}");
            let mut c = c;
            c.bearer = body["token"].as_str().map(String::from);
            c.http = reqwest::Client::new();
            (c, body["session"].as_str().unwrap().to_string())
        }
    };
    let (a, _) = login(staff.to_string()).await;
    let (b, b_id) = login(staff.to_string()).await;
    let c = srv.sign_in(staff).await;
    // Each is looked up (and kept) twice over.
    for client in [&a, &b, &c, &a, &b, &c] {
        assert_eq!(client.get("/api/me").await.0, StatusCode::OK);
    }

    // Signing out ends that token at once, and only that one.
    assert_eq!(a.post("/api/auth/logout", json!({})).await.0, StatusCode::NO_CONTENT);
    assert_eq!(a.get("/api/me").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(b.get("/api/me").await.0, StatusCode::OK);

    // A session ended from another.
    assert_eq!(c.delete(&format!("/api/me/sessions/{b_id}")).await.0, StatusCode::NO_CONTENT);
    assert_eq!(b.get("/api/me").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(c.get("/api/me").await.0, StatusCode::OK);

    // The account disabled through the server's store: refused at once; enabled: back.
    let (d, _) = login(staff.to_string()).await;
    assert_eq!(d.get("/api/me").await.0, StatusCode::OK);
    let mut account = srv.state.store.account(staff).await.unwrap().unwrap();
    account.disabled = true;
    srv.state.store.put_account(&account).await.unwrap();
    let (s, body) = c.get("/api/me").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(d.get("/api/me").await.0, StatusCode::UNAUTHORIZED);
    account.disabled = false;
    srv.state.store.put_account(&account).await.unwrap();
    assert_eq!(c.get("/api/me").await.0, StatusCode::OK);
    assert_eq!(d.get("/api/me").await.0, StatusCode::OK);

    // A password change ends every session of the account, the one used too.
    let (e1, _) = login(p.peer.to_string()).await;
    let (e2, _) = login(p.peer.to_string()).await;
    assert_eq!(e1.get("/api/me").await.0, StatusCode::OK);
    assert_eq!(e2.get("/api/me").await.0, StatusCode::OK);
    let (s, body) = e1.post("/api/auth/password", json!({"current": PASSWORD, "new": "kata-sandi-baru-456"})).await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(e2.get("/api/me").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(e1.get("/api/me").await.0, StatusCode::UNAUTHORIZED);
    // Someone else's sessions are untouched.
    assert_eq!(d.get("/api/me").await.0, StatusCode::OK);
}
both!(session_changes_seen_at_once);
