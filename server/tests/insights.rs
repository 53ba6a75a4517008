//! Budget realisation, unit readiness and the awards over HTTP: the API's answers for
//! HR, the refusal for others, and the HR pages with their charts, in both languages.

mod common;

use common::*;
use reqwest::StatusCode;

async fn insights_for_hr(db: Db) {
    let srv = TestServer::start(db).await;
    let p = srv.people.clone();
    let hr = srv.sign_in(p.hr1.as_str()).await;
    let units = srv.city.organisation.units().len();

    let (s, b) = hr.get("/api/months/2026-10/budget").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["records"], "generated");
    assert_eq!(b["report"]["units"].as_array().unwrap().len(), units);
    assert_eq!(b["report"]["through"], 10);

    let (s, r) = hr.get("/api/months/2026-10/readiness").await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let list = r["units"].as_array().unwrap();
    assert_eq!(list.len(), units);
    // A month with no roll call recorded: no unit meets requirement 6, so none is ready.
    for u in list {
        assert_eq!(u["verdict"]["ready"], false, "{u}");
        assert!(u["verdict"]["unmet"].as_array().unwrap().iter().any(|x| x["requirement"] == "roll_call"), "{u}");
    }

    let (s, a) = hr.get("/api/months/2026-10/awards").await;
    assert_eq!(s, StatusCode::OK, "{a}");
    assert!(a["awards"]["service"].as_array().unwrap().len() <= 6);

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
}
both!(insights_for_hr);
