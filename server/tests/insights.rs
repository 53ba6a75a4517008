//! Budgets, plans, the roll-out, nominations and panel scores stored on the server and
//! read back by the reports (budget realisation, readiness, the shadow month, the
//! awards), on SQLite and PostgreSQL: hand-computed absorption, refusals that keep what
//! was stored, the core's authorisation, a unit before its go-live left out of the
//! paying payroll, and the HR pages with their forms in both languages.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A decimal of a JSON answer as text without trailing zeros (`"69.44"`, `"72.5"`),
/// whether it came as text or number.
fn dec(v: &Value) -> String {
    let text = v.as_str().map_or_else(|| v.to_string(), str::to_string);
    text.parse::<rust_decimal::Decimal>().map_or(text, |d| d.normalize().to_string())
}

/// The budget the tests store: one programme, one activity, two sub-activities.
/// S1: ceiling Rp 1.200.000, plan Rp 100.000 a month. S2: ceiling Rp 600.000, plan
/// Rp 50.000 a month. No realisation yet.
fn budget(unit: &str) -> Value {
    let plan = |m: &'static str| vec![m; 12];
    json!({"budget": {"unit": unit, "year": 2026,
        "revenue": [{"code": "4.1.01", "name": "Retribusi", "target": "500000", "realised": ["40000", "60000"]}],
        "programmes": [{"code": "P1", "name": "Program pelayanan", "activities": [
            {"code": "A1", "name": "Kegiatan pelayanan", "sub_activities": [
                {"code": "S1", "name": "Sub kegiatan satu", "ceiling": "1200000", "plan": plan("100000")},
                {"code": "S2", "name": "Sub kegiatan dua", "ceiling": "600000", "plan": plan("50000"),
                 "tasks": ["T-UJI"]}]}]}]}})
}

async fn budget_stored_and_read_back(db: Db) {
    let srv = TestServer::start(db).await;
    let p = srv.people.clone();
    let hr = srv.token(p.hr1.as_str()).await;
    let finance = srv.token(p.finance.as_str()).await;
    let unit = srv.city.organisation.units()[0].id.to_string();

    // Nothing stored: the report says so and lists no unit.
    let (s, b) = hr.get("/api/months/2026-10/budget").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["records"], "stored");
    assert_eq!(b["report"]["units"].as_array().unwrap().len(), 0, "{b}");

    // An HR officer is not the budget officer: refused by the core, nothing stored.
    let (s, e) = hr.post("/api/budgets", budget(&unit)).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    assert_eq!(reason(&e), "not_an_officer");
    assert!(srv.state.store.budgets(None).await.unwrap().is_empty());

    let (s, r) = finance.post("/api/budgets", budget(&unit)).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    // Months 1-10: S1 Rp 100.000 a month but Rp 50.000 in October (Rp 950.000),
    // S2 Rp 30.000 a month (Rp 300.000); progress at October's end S1 60 %, S2 30 %.
    for m in 1..=10u32 {
        let s1 = if m == 10 { "50000" } else { "100000" };
        let mut s1_line = json!({"sub_activity": "S1", "realised": s1});
        let mut s2_line = json!({"sub_activity": "S2", "realised": "30000"});
        if m == 10 {
            s1_line["progress"] = json!("60");
            s2_line["progress"] = json!("30");
        }
        let (s, r) = finance
            .post(&format!("/api/budgets/2026/{unit}/realisation"), json!({"month": m, "lines": [s1_line, s2_line]}))
            .await;
        assert_eq!(s, StatusCode::OK, "month {m}: {r}");
    }

    let check = |b: &Value| {
        let u = &b["report"]["units"][0];
        assert_eq!(u["unit"], unit.as_str(), "{b}");
        let f = &u["figures"];
        // ceiling 1.200.000 + 600.000 = 1.800.000; realised 950.000 + 300.000 = 1.250.000
        assert_eq!(dec(&f["ceiling"]), "1800000", "{f}");
        assert_eq!(dec(&f["realised"]), "1250000", "{f}");
        // planned through October: 10 x 100.000 + 10 x 50.000 = 1.500.000
        assert_eq!(dec(&f["planned"]), "1500000", "{f}");
        // absorption 1.250.000 / 1.800.000 x 100 = 69.444.. -> 69.44
        assert_eq!(dec(&f["absorption_percent"]), "69.44", "{f}");
        // deviation 1.250.000 - 1.500.000 = -250.000, -250.000 / 1.500.000 x 100 = -16.67
        assert_eq!(dec(&f["deviation"]), "-250000", "{f}");
        assert_eq!(dec(&f["deviation_percent"]), "-16.67", "{f}");
        // progress weighted by ceiling: (1.200.000 x 60 + 600.000 x 30) / 1.800.000 = 50
        assert_eq!(dec(&f["progress_percent"]), "50", "{f}");
        // -16.67 % is more than the policy's 10 % below plan: behind.
        assert_eq!(f["behind"], true, "{f}");
        assert_eq!(b["report"]["behind_units"][0], unit.as_str());
        // Revenue: target 500.000, realised 40.000 + 60.000 = 100.000.
        assert_eq!(dec(&u["revenue_realised"]), "100000", "{u}");
        // S1 alone: 950.000 / 1.200.000 x 100 = 79.166.. -> 79.17
        let s1 = &u["programmes"][0]["activities"][0]["sub_activities"][0];
        assert_eq!(dec(&s1["figures"]["absorption_percent"]), "79.17", "{s1}");
    };
    let (s, b) = hr.get("/api/months/2026-10/budget").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    check(&b);

    // November: S1 Rp 300.000 would bring it to 1.250.000, beyond its ceiling of
    // 1.200.000: refused with the record and the field, and nothing changes.
    let (s, e) = finance
        .post(
            &format!("/api/budgets/2026/{unit}/realisation"),
            json!({"month": 11, "lines": [{"sub_activity": "S2", "realised": "30000"},
                                          {"sub_activity": "S1", "realised": "300000"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(code(&e), "budget_ceiling_exceeded");
    assert_eq!(e["error"]["field"], "realisation");
    assert_eq!(e["error"]["problems"][0]["id"], "S1");
    assert_eq!(e["error"]["problems"][0]["record"], "sub_activity");
    // Said in Indonesian by default, in English when asked.
    assert!(e["error"]["message"].as_str().unwrap().contains("pagu"), "{e}");
    // Progress beyond 100 %: refused too.
    let (s, e) = finance
        .post(
            &format!("/api/budgets/2026/{unit}/realisation?lang=en"),
            json!({"month": 11, "lines": [{"sub_activity": "S2", "realised": "0", "progress": "100.5"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(code(&e), "budget_progress_out_of_range");
    assert_eq!(e["error"]["field"], "progress");
    assert_eq!(e["error"]["problems"][0]["id"], "S2");
    // A whole budget with realisation beyond a ceiling is refused as well.
    let mut over = budget(&unit);
    over["budget"]["programmes"][0]["activities"][0]["sub_activities"][1]["realisation"] = json!(["700000"]);
    let (s, e) = finance.post("/api/budgets", over).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(code(&e), "budget_ceiling_exceeded");
    // What was stored is as it was: ten months, the same report.
    let stored = srv.state.store.budgets(Some(2026)).await.unwrap();
    assert_eq!(stored.len(), 1);
    let subs: Vec<_> = stored[0].sub_activities().collect();
    assert_eq!(subs[0].realisation.len(), 10);
    assert_eq!(subs[1].realisation.len(), 10);
    assert_eq!(subs[1].tasks.len(), 1, "the carrying task kept");
    let (_, b) = hr.get("/api/months/2026-10/budget").await;
    check(&b);
    // An unknown sub-activity is not found; a budget of no unit of the city is refused.
    let (s, e) = finance
        .post(
            &format!("/api/budgets/2026/{unit}/realisation"),
            json!({"month": 11, "lines": [{"sub_activity": "S9", "realised": "1"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{e}");
    let (s, e) = finance.post("/api/budgets", budget("NO-SUCH-UNIT")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(code(&e), "unknown_unit");

    // Plans: a work plan for 2026 is stored and read by the readiness check (the
    // `plans` requirement then names no missing work plan for that unit).
    let (s, r) = finance
        .post(
            "/api/plans",
            json!({"plan": {"id": "RENJA-1", "unit": unit, "kind": "work", "from_year": 2026, "until_year": 2026,
                             "reference": "Renja 2026"}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let (s, e) = finance
        .post(
            "/api/plans",
            json!({"plan": {"id": "RENSTRA-1", "unit": unit, "kind": "strategic", "from_year": 2027,
                             "until_year": 2026, "reference": "Renstra"}}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(code(&e), "inverted_plan");
    let (_, r) = hr.get("/api/months/2026-10/readiness").await;
    let mine = r["units"].as_array().unwrap().iter().find(|u| u["verdict"]["unit"] == unit.as_str()).unwrap();
    let plans = mine["verdict"]["unmet"].as_array().unwrap().iter().find(|x| x["requirement"] == "plans").unwrap();
    let evidence: Vec<&str> = plans["evidence"].as_array().unwrap().iter().map(|x| x.as_str().unwrap()).collect();
    assert_eq!(evidence, vec!["no strategic plan (Renstra) covers 2026"], "{plans}");
}
both!(budget_stored_and_read_back);

async fn go_live_and_shadow_month(db: Db) {
    let srv = TestServer::start(db).await;
    let p = srv.people.clone();
    let hr = srv.token(p.hr1.as_str()).await;
    let units: Vec<String> = srv.city.organisation.units().iter().map(|u| u.id.to_string()).collect();

    let slips_of = |b: &Value, unit: &str| -> usize {
        b["payroll"]["slip_units"].as_array().unwrap().iter().filter(|u| u.as_str() == Some(unit)).count()
    };
    let (s, before) = hr.get("/api/months/2026-10/payroll?projection=true").await;
    assert_eq!(s, StatusCode::OK, "{before}");
    let total = before["payroll"]["slips"].as_array().unwrap().len();
    // The unit with the most slips goes live in November; another went live in January.
    let late = units.iter().max_by_key(|u| slips_of(&before, u)).unwrap().clone();
    let early = units.iter().find(|u| **u != late).unwrap().clone();
    let held = slips_of(&before, &late);
    assert!(held > 0);

    // Only an HR officer records the roll-out.
    let finance = srv.token(p.finance.as_str()).await;
    let (s, e) = finance.post("/api/rollout", json!({"unit": late, "go_live": "2026-11-01"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    assert_eq!(reason(&e), "not_an_officer");
    let (s, r) =
        hr.post("/api/rollout", json!({"unit": late, "shadow_month": "2026-10", "go_live": "2026-11-01"})).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let (s, r) = hr.post("/api/rollout", json!({"unit": early, "go_live": "2026-01-01"})).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let (s, e) = hr.post("/api/rollout", json!({"unit": "NO-SUCH-UNIT", "go_live": "2026-01-01"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(code(&e), "unknown_unit");

    // October's payroll leaves the late unit out, each of its employees not paid
    // "before_go_live"; the other units are paid as before.
    let (s, after) = hr.get("/api/months/2026-10/payroll?projection=true").await;
    assert_eq!(s, StatusCode::OK, "{after}");
    assert_eq!(after["payroll"]["slips"].as_array().unwrap().len(), total - held);
    assert_eq!(slips_of(&after, &late), 0);
    assert_eq!(slips_of(&after, &early), slips_of(&before, &early));
    let not_live: Vec<&Value> =
        after["payroll"]["not_paid"].as_array().unwrap().iter().filter(|n| n["code"] == "before_go_live").collect();
    assert_eq!(not_live.len(), held);
    assert!(not_live.iter().all(|n| n["unit"] == late.as_str() && n["field"] == "go_live"));

    // The readiness answer says who pays and why not.
    let (_, r) = hr.get("/api/months/2026-10/readiness").await;
    let of = |u: &str| r["units"].as_array().unwrap().iter().find(|x| x["verdict"]["unit"] == u).unwrap().clone();
    assert_eq!(of(&late)["pays"], false);
    assert_eq!(of(&late)["reason"], "before_go_live");
    assert_eq!(of(&late)["rollout"]["shadow_month"], "2026-10");
    assert_eq!(of(&early)["pays"], true);

    // The shadow month runs the late unit through the chain: the slips October would
    // pay its employees, none paid.
    let (s, sh) = hr.get(&format!("/api/months/2026-10/shadow?unit={late}")).await;
    assert_eq!(s, StatusCode::OK, "{sh}");
    assert_eq!(sh["shadow"]["paid"], false);
    assert_eq!(sh["pays"], false);
    assert_eq!(sh["shadow"]["slips"].as_array().unwrap().len(), held);
    let staff = srv.token(p.staff.as_str()).await;
    let (s, e) = staff.get(&format!("/api/months/2026-10/shadow?unit={late}")).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");

    // The pages: the readiness page names the reason in Indonesian and English, links
    // the shadow month, and its go-live form records through the API.
    let browser = srv.sign_in(p.hr1.as_str()).await;
    let (s, body, _) = browser.get_bytes("/hr/2026-10/readiness?lang=id").await;
    let page = String::from_utf8_lossy(&body);
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("belum go-live"), "{page}");
    assert!(page.contains(&format!("/hr/2026-10/shadow?unit={late}")));
    let (_, body, _) = browser.get_bytes("/hr/2026-10/readiness?lang=en").await;
    assert!(String::from_utf8_lossy(&body).contains("not live yet"));
    let (s, body, _) = browser.get_bytes(&format!("/hr/2026-10/shadow?unit={late}&lang=id")).await;
    let page = String::from_utf8_lossy(&body);
    assert_eq!(s, StatusCode::OK, "{page}");
    assert!(page.contains("Bulan bayangan") && page.contains("Belum dibayar: belum go-live"), "{page}");
    let resp = browser
        .http
        .post(format!("{}/hr/2026-10/rollout", browser.base))
        .form(&[
            ("_csrf", browser.csrf.clone().unwrap().as_str()),
            ("unit", late.as_str()),
            ("shadow_month", "2026-09"),
            ("go_live", "2026-10-01"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.text().await.unwrap().contains("Jadwal uji coba dan mulai berlaku disimpan."));
    let ro = srv.state.store.rollout().await.unwrap();
    let stored = ro.iter().find(|r| r.unit.as_str() == late).unwrap();
    assert_eq!(stored.go_live.unwrap().to_string(), "2026-10-01");
    // Live from 1 October: October pays the unit again.
    let (_, again) = hr.get("/api/months/2026-10/payroll?projection=true").await;
    assert_eq!(again["payroll"]["slips"].as_array().unwrap().len(), total);
}
both!(go_live_and_shadow_month);

async fn nominations_scores_and_awards(db: Db) {
    let srv = TestServer::start(db).await;
    let p = srv.people.clone();
    let hr = srv.token(p.hr1.as_str()).await;
    let panel1 = srv.token(p.panel1.as_str()).await;
    let panel2 = srv.token(p.panel2.as_str()).await;
    let nominate = |id: &str, category: &str, who: &kinerja::nip::Nip| json!({"id": id, "year": 2026, "category": category, "employee": who.as_str(), "title": format!("Karya {id}")});
    // A panel member may not nominate; an HR officer may.
    let (s, e) = panel1.post("/api/awards/nominations", nominate("SVC-1", "service", &p.staff)).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    for (id, cat, who) in [
        ("SVC-1", "service", &p.staff),
        ("SVC-2", "service", &p.peer),
        ("SVC-3", "service", &p.boss),
        ("SVC-4", "service", &p.stranger),
        ("INO-1", "innovative", &p.staff),
        ("INO-2", "innovative", &p.panel1),
    ] {
        let (s, r) = hr.post("/api/awards/nominations", nominate(id, cat, who)).await;
        assert_eq!(s, StatusCode::OK, "{id}: {r}");
    }
    let (s, e) =
        hr.post("/api/awards/nominations", nominate("SVC-9", "service", &"199001012099011999".parse().unwrap())).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(code(&e), "unknown_employee");

    // Scores: SVC-1 80 and 90 (mean 85), SVC-2 90 and 80 (85), SVC-3 70 and 75 (72.5),
    // SVC-4 90 from one member only (90).
    for (c, id, score) in [
        (&panel1, "SVC-1", "80"),
        (&panel1, "SVC-2", "90"),
        (&panel1, "SVC-3", "70"),
        (&panel1, "SVC-4", "90"),
        (&panel2, "SVC-1", "90"),
        (&panel2, "SVC-2", "80"),
        (&panel2, "SVC-3", "75"),
        (&panel2, "INO-1", "88"),
        (&panel2, "INO-2", "95"),
    ] {
        let (s, r) = c.post(&format!("/api/awards/nominations/{id}/scores"), json!({"score": score})).await;
        assert_eq!(s, StatusCode::OK, "{id}: {r}");
    }
    // Nobody scores their own nomination; a score beyond 100 is refused by the core;
    // someone outside the panel is refused; a second score replaces the first.
    let (s, e) = panel1.post("/api/awards/nominations/INO-2/scores", json!({"score": "100"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    assert_eq!(reason(&e), "self_verification");
    let (s, e) = panel1.post("/api/awards/nominations/INO-1/scores", json!({"score": "101"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(code(&e), "score_out_of_range");
    assert_eq!(e["error"]["field"], "panel_scores");
    let (s, e) = hr.post("/api/awards/nominations/INO-1/scores", json!({"score": "50"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    assert_eq!(reason(&e), "not_an_officer");
    let (s, _) = panel2.post("/api/awards/nominations/INO-1/scores", json!({"score": "78"})).await;
    assert_eq!(s, StatusCode::OK);
    let (s, e) = panel2.post("/api/awards/nominations/NOPE/scores", json!({"score": "50"})).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{e}");

    let (s, a) = hr.get("/api/months/2026-10/awards").await;
    assert_eq!(s, StatusCode::OK, "{a}");
    let ids = |list: &Value| -> Vec<String> {
        list.as_array().unwrap().iter().map(|n| n["nomination"].as_str().unwrap().to_string()).collect()
    };
    // 90 first; SVC-1 and SVC-2 tie at 85 with two scores each: the lower id first.
    assert_eq!(ids(&a["awards"]["service"]), vec!["SVC-4", "SVC-1", "SVC-2", "SVC-3"]);
    let scores: Vec<String> = a["awards"]["service"].as_array().unwrap().iter().map(|n| dec(&n["score"])).collect();
    assert_eq!(scores, vec!["90", "85", "85", "72.5"]);
    // INO-2 95 (one score), INO-1 78 (replaced 88).
    assert_eq!(ids(&a["awards"]["innovative"]), vec!["INO-2", "INO-1"]);
    assert_eq!(dec(&a["awards"]["innovative"][1]["score"]), "78");

    // The panel reads the nominations; a plain employee does not.
    let (s, n) = panel1.get("/api/awards/nominations?year=2026").await;
    assert_eq!(s, StatusCode::OK, "{n}");
    assert_eq!(n["nominations"].as_array().unwrap().len(), 6);
    let staff = srv.token(p.staff.as_str()).await;
    let (s, _) = staff.get("/api/awards/nominations").await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // The pages: HR sees the nominations and their scores on the awards page and
    // nominates through its form; a panel member scores through the panel page.
    let browser = srv.sign_in(p.hr1.as_str()).await;
    let (s, body, _) = browser.get_bytes("/hr/2026-10/awards?lang=id").await;
    let page = String::from_utf8_lossy(&body);
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Nominasi") && page.contains("nomination-SVC-4") && page.contains("80 · 90"), "{page}");
    let resp = browser
        .http
        .post(format!("{}/hr/2026-10/nominations", browser.base))
        .form(&[
            ("_csrf", browser.csrf.clone().unwrap().as_str()),
            ("id", "SVC-5"),
            ("category", "service"),
            ("employee", p.peer.as_str()),
            ("title", "Pelayanan malam"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.text().await.unwrap().contains("Nominasi disimpan."));
    let member = srv.sign_in(p.panel2.as_str()).await;
    let (s, body, _) = member.get_bytes("/panel?lang=en").await;
    let page = String::from_utf8_lossy(&body);
    assert_eq!(s, StatusCode::OK, "{page}");
    assert!(page.contains("Scoring the award nominations of 2026") && page.contains("SVC-5"), "{page}");
    let resp = member
        .http
        .post(format!("{}/panel/nominations/SVC-5/score", member.base))
        .form(&[("_csrf", member.csrf.clone().unwrap().as_str()), ("score", "66,5")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let stored = srv.state.store.nominations(Some(2026)).await.unwrap();
    let svc5 = stored.iter().find(|n| n.id == "SVC-5").unwrap();
    assert_eq!(svc5.panel_scores.iter().map(|s| s.to_string()).collect::<Vec<_>>(), vec!["66.5"]);
}
both!(nominations_scores_and_awards);

async fn insights_pages_for_hr(db: Db) {
    let srv = TestServer::start(db).await;
    let p = srv.people.clone();
    let hr = srv.sign_in(p.hr1.as_str()).await;

    // A month with no roll call recorded: no unit meets requirement 6, so none is ready.
    let (s, r) = hr.get("/api/months/2026-10/readiness").await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let list = r["units"].as_array().unwrap();
    assert_eq!(list.len(), srv.city.organisation.units().len());
    for u in list {
        assert_eq!(u["verdict"]["ready"], false, "{u}");
        assert!(u["verdict"]["unmet"].as_array().unwrap().iter().any(|x| x["requirement"] == "roll_call"), "{u}");
        // No roll-out recorded: every unit pays as before.
        assert_eq!(u["pays"], true, "{u}");
    }

    // Someone who may not read the city is refused with the core's reason.
    let staff = srv.sign_in(p.staff.as_str()).await;
    let (s, e) = staff.get("/api/months/2026-10/budget").await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    assert_eq!(reason(&e), "not_an_officer");

    // The HR pages: a chart (SVG) and the table, in Indonesian and English.
    for (path, id_text, en_text) in [
        ("/hr/2026-10/budget", "Serapan anggaran per unit kerja", "Budget absorption by unit"),
        ("/hr/2026-10/readiness", "Syarat terpenuhi per unit kerja", "Requirements met per unit"),
        ("/hr/2026-10/awards", "Skor Best Performance", "Best Performance score"),
    ] {
        let (s, body, ct) = hr.get_bytes(&format!("{path}?lang=id")).await;
        let page = String::from_utf8_lossy(&body);
        assert_eq!(s, StatusCode::OK, "{path}: {page}");
        assert!(ct.starts_with("text/html"), "{path}: {ct}");
        assert!(
            page.contains("<svg") && page.contains(id_text),
            "{path}: {}",
            &page[page.len().saturating_sub(3000)..]
        );
        assert!(page.contains("catatan yang tersimpan di server"), "{path}");
        if path.ends_with("readiness") {
            // The bars are drawn against 6 requirements: no unit is ready, so no bar is
            // full (330 units wide).
            assert!(!page.contains(r#"width="330.0""#), "{path}: a full bar");
        }
        let (s, body, _) = hr.get_bytes(&format!("{path}?lang=en")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(String::from_utf8_lossy(&body).contains(en_text), "{path} in English");
    }
    let (s, _, _) = staff.get_bytes("/hr/2026-10/budget").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = staff.get_bytes("/panel").await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // The demo city's seeding stores generated records when nothing is stored (every
    // unit then has a budget, a roll-out and the year's nominations), and only then.
    let (_, b) = hr.get("/api/months/2026-10/budget").await;
    assert_eq!(b["report"]["units"].as_array().unwrap().len(), 0);
    let dataset = kinerja::dataset::Dataset::from_json(&city_json()).unwrap();
    let month = kinerja::YearMonth::new(2026, 9).unwrap();
    assert!(kinerja_server::demo::seed_insights(&srv.state, &dataset, month).await.unwrap());
    assert!(!kinerja_server::demo::seed_insights(&srv.state, &dataset, month).await.unwrap());
    let units = srv.city.organisation.units().len();
    let (_, b) = hr.get("/api/months/2026-10/budget").await;
    assert_eq!(b["report"]["units"].as_array().unwrap().len(), units, "{b}");
    assert_eq!(srv.state.store.rollout().await.unwrap().len(), units);
    let (_, a) = hr.get("/api/months/2026-10/awards").await;
    // The generator nominates six per category, each scored by 3 to 5 members.
    assert_eq!(a["awards"]["service"].as_array().unwrap().len(), 6, "{a}");
    assert!(a["awards"]["service"][0]["panel_scores"].as_array().unwrap().len() >= 3);
}
both!(insights_pages_for_hr);
