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
