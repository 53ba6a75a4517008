//! The social space through the API, on SQLite and PostgreSQL: an exchange with
//! unread counts, photos (types and limits, how they are served), deletion that
//! erases from storage, replay after a restart, an administrator's recorded
//! access, exactly-once delivery by key, the send rate limit, and the stream.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::Row;

fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn count(srv: &TestServer, sql: &str) -> i64 {
    let store = kinerja_server::store::SqlStore::open(&srv.url).await.expect("open");
    let row = sqlx::query(sql).fetch_one(store.pool()).await.expect("query");
    let n: i64 = row.try_get(0).expect("a count");
    store.close().await;
    n
}

async fn ad(c: &Client, title: &str, price: &str) -> u64 {
    let (s, b) = c
        .post(
            "/api/social/ads",
            json!({"title": title, "description": "Kondisi baik", "category": "electronics",
                   "price": price, "condition": "used"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    b["id"].as_u64().expect("ad id")
}

async fn social_exchange(db: Db) {
    let srv = TestServer::start(db).await;
    srv.at(day(2026, 10, 5).and_hms_opt(9, 0, 0).unwrap());
    let p = srv.people.clone();
    let seller = srv.token(p.staff.as_str()).await;
    let buyer = srv.token(p.peer.as_str()).await;
    let stranger = srv.token(p.stranger.as_str()).await;
    let hr = srv.token(p.hr1.as_str()).await;

    let a = ad(&seller, "Laptop bekas", "6500000").await;
    let (_, b) = buyer.get(&format!("/api/social/ads/{a}")).await;
    assert_eq!(b["price"], "6500000");
    assert_eq!(b["status"], "active");
    // Search: the text, category and price range find it; a price range below it does not.
    let (_, b) = buyer.get("/api/social/ads?q=LAPTOP&category=electronics&min=6500000&max=7000000").await;
    assert_eq!(b["total"], 1, "{b}");
    let (_, b) = buyer.get("/api/social/ads?max=6499999").await;
    assert_eq!(b["total"], 0, "{b}");
    let (s, b) = buyer.get("/api/social/ads?min=banyak").await;
    assert_eq!((s, code(&b)), (StatusCode::BAD_REQUEST, "invalid_price"));

    // A realistic exchange: buyer 2, seller reads and answers 1, buyer 1 more.
    let (s, b) = buyer.post("/api/social/conversations", json!({"ad": a})).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let c = b["conversation"].as_u64().unwrap();
    assert_eq!(b["new"], true);
    // Asking again answers the same conversation.
    let (_, b) = buyer.post("/api/social/conversations", json!({"ad": a})).await;
    assert_eq!((b["conversation"].as_u64(), &b["new"]), (Some(c), &json!(false)));
    let send = format!("/api/social/conversations/{c}/messages");
    for text in ["Masih ada?", "Bisa nego?"] {
        let (s, b) = buyer.post(&send, json!({"body": text})).await;
        assert_eq!(s, StatusCode::OK, "{b}");
    }
    let unread = |v: &Value| v["conversations"][0]["unread"].as_u64();
    let (_, b) = seller.get("/api/social/conversations").await;
    assert_eq!((unread(&b), b["unread"].as_u64()), (Some(2), Some(2)));
    // Reading through GET marks nothing: still 2.
    let (_, v) = seller.get(&format!("/api/social/conversations/{c}")).await;
    assert_eq!(v["messages"].as_array().unwrap().len(), 2);
    let (_, b) = seller.get("/api/social/conversations").await;
    assert_eq!(unread(&b), Some(2));
    let (s, _) = seller.post(&format!("/api/social/conversations/{c}/read"), json!({})).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, b) = seller.get("/api/social/conversations").await;
    assert_eq!(unread(&b), Some(0));
    let (_, b) = seller.post(&send, json!({"body": "Harga pas"})).await;
    let reply = b["message"].as_u64().unwrap();
    let (_, b) = buyer.post(&send, json!({"body": "Oke, saya ambil"})).await;
    assert!(b["message"].as_u64().is_some());
    // Buyer: 0 unread (answering marks the conversation read up to one's own
    // message, the seller's reply included); seller: 1 unread (the buyer's last).
    let (_, b) = buyer.get("/api/social/conversations").await;
    assert_eq!(unread(&b), Some(0));
    let (_, b) = seller.get("/api/social/conversations").await;
    assert_eq!(unread(&b), Some(1));

    // A stranger reads nothing of it, even knowing its number.
    let (s, b) = stranger.get(&format!("/api/social/conversations/{c}")).await;
    assert_eq!((s, reason(&b)), (StatusCode::FORBIDDEN, "not_a_member"));
    let (s, b) = stranger.get(&format!("/api/social/conversations/{c}/stream")).await;
    assert_eq!((s, reason(&b)), (StatusCode::FORBIDDEN, "not_a_member"));
    // An HR officer neither, until a reason is recorded, which is itself an event.
    let (s, _) = hr.get(&format!("/api/social/conversations/{c}")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let before = count(&srv, "SELECT COUNT(*) FROM social_events").await;
    let (s, b) = hr.post(&format!("/api/social/conversations/{c}/access"), json!({"reason": ""})).await;
    assert_eq!((s, code(&b)), (StatusCode::UNPROCESSABLE_ENTITY, "text_length"));
    assert_eq!(count(&srv, "SELECT COUNT(*) FROM social_events").await, before, "a refusal stores nothing");
    let (s, b) = hr.post(&format!("/api/social/conversations/{c}/access"), json!({"reason": "Laporan no. 7"})).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["messages"].as_array().unwrap().len(), 4);
    let recorded = count(
        &srv,
        "SELECT COUNT(*) FROM social_events WHERE kind = 'conversation_accessed' AND line LIKE '%Laporan no. 7%'",
    )
    .await;
    assert_eq!(recorded, 1);
    let (s, _) = hr.get(&format!("/api/social/conversations/{c}")).await;
    assert_eq!(s, StatusCode::OK, "within the access window the administrator reads");

    // Deleting erases the text from storage, not only from view.
    assert_eq!(count(&srv, &format!("SELECT COUNT(*) FROM social_bodies WHERE message = {reply}")).await, 1);
    let (s, _) = seller.delete(&format!("/api/social/messages/{reply}")).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(count(&srv, &format!("SELECT COUNT(*) FROM social_bodies WHERE message = {reply}")).await, 0);
    assert_eq!(
        count(&srv, "SELECT COUNT(*) FROM social_events WHERE line LIKE '%Harga pas%'").await,
        0,
        "no event ever held the text"
    );
    // The chain is append-only in the database.
    let store = kinerja_server::store::SqlStore::open(&srv.url).await.unwrap();
    assert!(sqlx::query("DELETE FROM social_events").execute(store.pool()).await.is_err());
    assert!(sqlx::query("UPDATE social_events SET actor = 'x'").execute(store.pool()).await.is_err());
    store.close().await;

    // A restart replays the chain and the kept bodies: the same answers.
    let (_, before_view) = buyer.get(&format!("/api/social/conversations/{c}")).await;
    let (_, before_ads) = buyer.get("/api/social/ads").await;
    let (url, dir) = srv.stop().await;
    let srv = TestServer::start_on(db, url, dir, false).await;
    srv.at(day(2026, 10, 5).and_hms_opt(9, 0, 0).unwrap());
    let buyer = srv.token(p.peer.as_str()).await;
    let (_, after_view) = buyer.get(&format!("/api/social/conversations/{c}")).await;
    let (_, after_ads) = buyer.get("/api/social/ads").await;
    assert_eq!(after_view, before_view);
    assert_eq!(after_ads, before_ads);
    assert_eq!(after_view["messages"][2]["deleted"], true);
    assert_eq!(after_view["messages"][2]["body"], Value::Null);
}
both!(social_exchange);

async fn photos_and_limits(db: Db) {
    let srv = TestServer::start(db).await;
    srv.at(day(2026, 10, 5).and_hms_opt(9, 0, 0).unwrap());
    let p = srv.people.clone();
    let seller = srv.token(p.staff.as_str()).await;
    let buyer = srv.token(p.peer.as_str()).await;
    let upload = |bytes: Vec<u8>, ct: &'static str| {
        let c = seller.clone();
        async move {
            let r = c
                .http
                .post(format!("{}/api/social/photos", c.base))
                .bearer_auth(c.bearer.clone().unwrap())
                .header("content-type", ct)
                .body(bytes)
                .send()
                .await
                .unwrap();
            let s = r.status();
            (s, r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    // HTML declared as an image is refused by its bytes.
    let (s, b) = upload(b"<html><script>alert(1)</script></html>".to_vec(), "image/png").await;
    assert_eq!((s, code(&b)), (StatusCode::UNSUPPORTED_MEDIA_TYPE, "not_an_image"));
    // An SVG (script-capable) is not accepted either.
    let (s, _) = upload(b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec(), "image/svg+xml").await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // Over the national limit of 2,000,000 bytes: 2,000,001 is refused.
    let mut big = vec![0u8; 2_000_001];
    big[..3].copy_from_slice(&[0xFF, 0xD8, 0xFF]);
    let (s, b) = upload(big, "image/jpeg").await;
    assert_eq!((s, code(&b)), (StatusCode::PAYLOAD_TOO_LARGE, "photo_too_large"));
    // A PNG declared as HTML is stored as the PNG it is.
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(b"<html><script>alert(1)</script></html>");
    let (s, b) = upload(png.clone(), "text/html").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let id = b["id"].as_str().unwrap().to_string();
    assert_eq!(b["content_type"], "image/png");
    let r = buyer
        .http
        .get(format!("{}/api/social/photos/{id}", buyer.base))
        .bearer_auth(buyer.bearer.clone().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let h = r.headers().clone();
    assert_eq!(h["content-type"], "image/png");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(h["content-disposition"].to_str().unwrap().starts_with("inline; filename=\"foto-"));
    assert!(h["content-security-policy"].to_str().unwrap().contains("sandbox"));
    assert_eq!(r.bytes().await.unwrap().to_vec(), png);
    // An ad refers to it.
    let (s, b) = seller
        .post(
            "/api/social/ads",
            json!({"title": "Kamera", "description": "Lengkap", "category": "electronics",
                   "price": "2500000", "condition": "like_new", "photos": [id]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, b) = buyer.get("/api/social/photos/not-a-photo").await;
    assert_eq!((s, code(&b)), (StatusCode::NOT_FOUND, "not_found"));

    // Exactly once by key: the same key twice is one message.
    let (_, b) = buyer.post("/api/social/conversations", json!({"with": p.staff.as_str()})).await;
    let c = b["conversation"].as_u64().unwrap();
    let send = format!("/api/social/conversations/{c}/messages");
    let (_, first) = buyer.post(&send, json!({"body": "dari HP", "key": "hp-1:1"})).await;
    let (_, again) = buyer.post(&send, json!({"body": "dari HP", "key": "hp-1:1"})).await;
    assert_eq!(first["message"], again["message"]);
    assert_eq!((first["new"].as_bool(), again["new"].as_bool()), (Some(true), Some(false)));
    // The send rate limit: 20 a minute (the keyed one above is the first), the 21st is refused.
    for i in 2..=20 {
        let (s, b) = buyer.post(&send, json!({"body": format!("pesan {i}")})).await;
        assert_eq!(s, StatusCode::OK, "{i}: {b}");
    }
    let (s, b) = buyer.post(&send, json!({"body": "pesan 21"})).await;
    assert_eq!((s, code(&b)), (StatusCode::TOO_MANY_REQUESTS, "rate_limited"));
    // A minute later it goes.
    srv.at(day(2026, 10, 5).and_hms_opt(9, 1, 0).unwrap());
    let (s, _) = buyer.post(&send, json!({"body": "pesan 21"})).await;
    assert_eq!(s, StatusCode::OK);
    // The seller blocks the buyer: the buyer's message is refused.
    let (s, _) = seller.post("/api/social/blocks", json!({"nip": p.peer.as_str(), "blocked": true})).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, b) = buyer.post(&send, json!({"body": "halo?"})).await;
    assert_eq!((s, reason(&b)), (StatusCode::FORBIDDEN, "blocked"));
    // The refusal is said in Indonesian by default.
    assert!(b["error"]["message"].as_str().unwrap().contains("telah memblokir"), "{b}");
}
both!(photos_and_limits);

/// A `multipart/form-data` body, as a browser sends the ad form: text fields,
/// then files of the `photos` field (name, type, bytes).
fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----kinerja-uji-7d1f";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
        );
    }
    for (name, ct, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"{name}\"\r\nContent-Type: {ct}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Posts to a page as the browser does (the session cookie, no CSRF header:
/// the token travels in the form) and follows the redirect: status, final path
/// and query, the page's HTML.
async fn page_post(c: &Client, path: &str, content_type: &str, body: Vec<u8>) -> (StatusCode, String, String) {
    let r = c
        .http
        .post(format!("{}{path}", c.base))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("page post");
    let s = r.status();
    let url = r.url().clone();
    let at = format!("{}{}", url.path(), url.query().map(|q| format!("?{q}")).unwrap_or_default());
    (s, at, r.text().await.unwrap())
}

async fn page_form(c: &Client, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String, String) {
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        q.append_pair(k, v);
    }
    page_post(c, path, "application/x-www-form-urlencoded", q.finish().into_bytes()).await
}

async fn page(c: &Client, path: &str) -> (StatusCode, String, String) {
    let r = c.http.get(format!("{}{path}", c.base)).send().await.expect("page");
    let s = r.status();
    let url = r.url().clone();
    let at = format!("{}{}", url.path(), url.query().map(|q| format!("?{q}")).unwrap_or_default());
    (s, at, r.text().await.unwrap())
}

async fn web_photos_edit_and_access(db: Db) {
    let srv = TestServer::start(db).await;
    srv.at(day(2026, 10, 5).and_hms_opt(9, 0, 0).unwrap());
    let p = srv.people.clone();
    let seller = srv.sign_in(p.staff.as_str()).await;
    let buyer = srv.sign_in(p.peer.as_str()).await;
    let stranger = srv.sign_in(p.stranger.as_str()).await;
    let hr = srv.sign_in(p.hr1.as_str()).await;
    let csrf = seller.csrf.clone().unwrap();
    let photos = || count(&srv, "SELECT COUNT(*) FROM social_photos");
    let events = || count(&srv, "SELECT COUNT(*) FROM social_events");
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(b"sepeda-1");
    let html_file: &[u8] = b"<html><script>alert(1)</script></html>";

    // An HTML file (declared as a PNG) is refused by its bytes: the board says
    // why in Indonesian, and neither the photo nor the ad is stored.
    let (p0, e0) = (photos().await, events().await);
    let fr: Vec<(&str, &str)> = vec![
        ("_csrf", &csrf),
        ("title", "Sepeda lipat"),
        ("description", "Jarang dipakai"),
        ("category", "vehicle"),
        ("price", "1.250.000"),
        ("condition", "used"),
    ];
    let (ct, body) = multipart(&fr, &[("iklan.html", "image/png", html_file)]);
    let (s, _, text) = page_post(&seller, "/social/ads", &ct, body).await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{text}");
    assert!(text.contains("iklan.html: Berkas ini bukan foto"), "{text}");
    assert_eq!((photos().await, events().await), (p0, e0), "a refused file stores nothing");
    // Without the form's CSRF token the upload is refused and nothing is stored.
    let nocsrf: Vec<(&str, &str)> = fr.iter().filter(|(k, _)| *k != "_csrf").copied().collect();
    let (ct, body) = multipart(&nocsrf, &[("sepeda.png", "image/png", &png)]);
    let (s, _, _) = page_post(&seller, "/social/ads", &ct, body).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!((photos().await, events().await), (p0, e0));

    // A PNG is accepted: the ad is posted with it, the page and the board show it.
    let (ct, body) = multipart(&fr, &[("sepeda.png", "image/png", &png)]);
    let (s, at, text) = page_post(&seller, "/social/ads", &ct, body).await;
    assert_eq!(s, StatusCode::OK, "{text}");
    assert!(at.starts_with("/social/ads/") && at.ends_with("?ok=ad-posted"), "{at}");
    let ad: u64 = at.trim_start_matches("/social/ads/").split('?').next().unwrap().parse().unwrap();
    let id = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&png));
    let img = format!("<img src=\"/api/social/photos/{id}\"");
    assert!(text.contains(&img), "{text}");
    // "1.250.000" typed with thousands dots is Rp 1.250.000.
    assert!(text.contains("Rp 1.250.000"), "{text}");
    assert_eq!(photos().await, p0 + 1);
    let (_, _, board) = page(&buyer, "/social").await;
    assert!(board.contains(&img), "the board shows the photo");
    let (s, bytes, ct) = buyer.get_bytes(&format!("/api/social/photos/{id}")).await;
    assert_eq!((s, bytes, ct.as_str()), (StatusCode::OK, png.clone(), "image/png"));
    // The owner adds a second photo from the ad page; another employee may not.
    let mut png2 = png.clone();
    png2.extend_from_slice(b"-2");
    let (ct, body) = multipart(&[("_csrf", buyer.csrf.as_deref().unwrap())], &[("b.png", "image/png", &png2)]);
    let (s, _, _) = page_post(&buyer, &format!("/social/ads/{ad}/photos"), &ct, body).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "only the owner edits");
    assert_eq!(photos().await, p0 + 1, "a refused edit stores no photo");
    let (ct, body) = multipart(&[("_csrf", &csrf)], &[("b.png", "image/png", &png2)]);
    let (s, at, text) = page_post(&seller, &format!("/social/ads/{ad}/photos"), &ct, body).await;
    assert_eq!((s, at.ends_with("?ok=photos-added")), (StatusCode::OK, true), "{text}");
    assert_eq!(text.matches("<img src=\"/api/social/photos/").count(), 2, "{text}");
    assert_eq!(photos().await, p0 + 2);

    // Editing one's message from the conversation page, within the window.
    let (_, b) = buyer.post("/api/social/conversations", json!({"ad": ad})).await;
    let c = b["conversation"].as_u64().unwrap();
    let (_, b) = buyer.post(&format!("/api/social/conversations/{c}/messages"), json!({"body": "Masih ada?"})).await;
    let m = b["message"].as_u64().unwrap();
    let edit_form = format!("id=\"edit-{m}\"");
    let (_, _, text) = page(&buyer, &format!("/social/chats/{c}")).await;
    assert!(text.contains(&edit_form), "the sender sees the edit form: {text}");
    let (_, _, text) = page(&seller, &format!("/social/chats/{c}")).await;
    assert!(!text.contains(&edit_form), "the other member does not");
    srv.at(day(2026, 10, 5).and_hms_opt(9, 15, 0).unwrap());
    let edit = format!("/social/chats/{c}/messages/{m}/edit");
    let bcsrf = buyer.csrf.clone().unwrap();
    // Without the form's token, or with another session's, nothing changes.
    let before = events().await;
    for token in ["", csrf.as_str()] {
        let (s, _, _) = page_form(&buyer, &edit, &[("_csrf", token), ("body", "Diubah orang lain")]).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "token `{token}`");
    }
    assert_eq!(events().await, before);
    let (s, at, text) = page_form(&buyer, &edit, &[("_csrf", &bcsrf), ("body", "Masih tersedia?")]).await;
    assert_eq!(s, StatusCode::OK, "{text}");
    assert!(at.ends_with("?ok=message-edited"), "{at}");
    assert!(text.contains("Masih tersedia?") && text.contains("diubah"), "{text}");
    let (_, v) = buyer.get(&format!("/api/social/conversations/{c}")).await;
    assert_eq!(v["messages"][0]["body"], "Masih tersedia?");
    // The national window is 15 minutes: at 9:15:01 the form is gone and a late post is refused.
    srv.at(day(2026, 10, 5).and_hms_opt(9, 15, 1).unwrap());
    let (_, _, text) = page(&buyer, &format!("/social/chats/{c}")).await;
    assert!(!text.contains(&edit_form), "closed window, no form: {text}");
    let before = events().await;
    let (s, _, _) = page_form(&buyer, &edit, &[("_csrf", &bcsrf), ("body", "Terlambat")]).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(events().await, before);

    // An HR officer who is not a member is first asked why; nothing is shown before.
    let (s, at, text) = page(&hr, &format!("/social/chats/{c}")).await;
    assert_eq!((s, at.as_str()), (StatusCode::OK, format!("/social/access?conversation={c}").as_str()));
    assert!(text.contains("id=\"access-form\"") && !text.contains("Masih tersedia?"), "{text}");
    let hcsrf = hr.csrf.clone().unwrap();
    let cs = c.to_string();
    let before = events().await;
    let (s, _, text) =
        page_form(&hr, "/social/access", &[("_csrf", &hcsrf), ("conversation", &cs), ("reason", " ")]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!text.contains("Masih tersedia?"), "no reason, no reading");
    assert_eq!(events().await, before);
    let (s, _, _) = page_form(&hr, "/social/access", &[("conversation", &cs), ("reason", "tanpa token")]).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "the access form needs the session's token");
    // A wrong token in a multipart body is refused like a missing one.
    let (ct, body) = multipart(&[("_csrf", "tebakan")], &[("b.png", "image/png", &png2)]);
    let (s, _, _) = page_post(&seller, &format!("/social/ads/{ad}/photos"), &ct, body).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(events().await, before);
    // A plain employee is refused (the core's rule), and is not offered the page.
    let scsrf = stranger.csrf.clone().unwrap();
    let (s, _, text) =
        page_form(&stranger, "/social/access", &[("_csrf", &scsrf), ("conversation", &cs), ("reason", "ingin tahu")])
            .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(!text.contains("Masih tersedia?"));
    let (s, at, _) = page(&stranger, &format!("/social/chats/{c}")).await;
    assert_eq!((s, at), (StatusCode::FORBIDDEN, format!("/social/chats/{c}")));
    assert_eq!(events().await, before);
    // With a reason: recorded as the core's access event, then the conversation, read-only.
    let (s, _, text) =
        page_form(&hr, "/social/access", &[("_csrf", &hcsrf), ("conversation", &cs), ("reason", "Laporan no. 9")])
            .await;
    assert_eq!(s, StatusCode::OK, "{text}");
    assert!(text.contains("Masih tersedia?") && text.contains("Alasan dicatat: Laporan no. 9"), "{text}");
    assert!(text.contains("id=\"read-only\"") && !text.contains("id=\"send-form\""), "{text}");
    assert_eq!(events().await, before + 1);
    let recorded = count(
        &srv,
        "SELECT COUNT(*) FROM social_events WHERE kind = 'conversation_accessed' AND line LIKE '%Laporan no. 9%'",
    )
    .await;
    assert_eq!(recorded, 1);
}
both!(web_photos_edit_and_access);
