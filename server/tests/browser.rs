//! The web pages in a real browser: Debian's headless Chromium driven over
//! WebDriver (chromedriver) by thirtyfour, against the server on loopback with
//! the test city (SQLite). Each step saves a PNG under `target/browser/` for a
//! person to look at.
//!
//! These tests need `chromium` and `chromium-driver` (scripts/setup.sh installs
//! them); without them they fail, they do not skip.

mod common;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::NaiveDate;
use common::*;
use serde_json::{Value, json};
use thirtyfour::prelude::*;

/// One browser at a time: the machine's cores are shared.
static BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn shots() -> PathBuf {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/browser"));
    std::fs::create_dir_all(&dir).expect("target/browser");
    dir
}

/// chromedriver on a free loopback port, stopped (by its own process id) when dropped.
struct Driver {
    child: Child,
    url: String,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn chromedriver() -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let child = Command::new(&bin)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot start `{bin}` ({e}): install chromium and chromium-driver (scripts/setup.sh)")
        });
    let d = Driver { child, url: format!("http://127.0.0.1:{port}"), _profile: tempfile::tempdir().unwrap() };
    let http = reqwest::Client::new();
    for _ in 0..100 {
        if http.get(format!("{}/status", d.url)).send().await.is_ok_and(|r| r.status().is_success()) {
            return d;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not answer on {}", d.url);
}

async fn browser(d: &Driver) -> WebDriver {
    let mut caps = DesiredCapabilities::chrome();
    let binary = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(std::path::Path::new(&binary).exists(), "no Chromium at {binary}: install chromium (scripts/setup.sh)");
    caps.set_binary(&binary).unwrap();
    for arg in [
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--disable-extensions",
        "--window-size=412,915",
        &format!("--user-data-dir={}", d._profile.path().display()),
    ] {
        caps.add_arg(arg).unwrap();
    }
    WebDriver::new(&d.url, caps).await.expect("a Chromium session")
}

/// Runs `body` with a browser, quits the browser whatever happens, then
/// passes on a failure.
async fn with_browser<F, Fut>(srv: TestServer, body: F)
where
    F: FnOnce(WebDriver, TestServer) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let _one = BROWSER.lock().await;
    let d = chromedriver().await;
    let driver = browser(&d).await;
    let run = tokio::spawn(body(driver.clone(), srv)).await;
    let _ = driver.quit().await;
    drop(d);
    if let Err(e) = run {
        std::panic::resume_unwind(e.into_panic());
    }
}

async fn shot(driver: &WebDriver, name: &str) {
    driver.screenshot(&shots().join(format!("{name}.png"))).await.expect("screenshot");
}

/// Clicks `el` and waits until the page has been replaced (a full load or an
/// htmx swap of the body): the current `<main>` is marked first, and the wait
/// ends when a `<main>` without the mark is there and no request is in flight.
async fn click_and_wait(driver: &WebDriver, el: WebElement) {
    driver.execute("document.querySelector('main').dataset.stale = '1';", vec![]).await.unwrap();
    el.click().await.expect("click");
    wait_fresh(driver).await;
}

async fn wait_fresh(driver: &WebDriver) {
    for _ in 0..200 {
        let done = driver
            .execute(
                "const m = document.querySelector('main'); \
                 return document.readyState === 'complete' && !!m && !m.dataset.stale \
                        && !document.querySelector('.htmx-request');",
                vec![],
            )
            .await
            .map(|r| r.json().as_bool() == Some(true))
            .unwrap_or(false);
        if done {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let src = driver.source().await.unwrap_or_default();
    panic!("the page did not change: {}", &src[..src.len().min(2000)]);
}

async fn goto(driver: &WebDriver, srv: &TestServer, path: &str) {
    driver.goto(format!("{}{path}", srv.base)).await.expect("goto");
    wait_fresh(driver).await;
}

async fn text_of(driver: &WebDriver, css: &str) -> String {
    driver.find(By::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).text().await.unwrap()
}

async fn main_text(driver: &WebDriver) -> String {
    text_of(driver, "main").await
}

async fn fill(driver: &WebDriver, css: &str, value: &str) {
    let el = driver.find(By::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
    el.clear().await.unwrap();
    el.send_keys(value).await.unwrap();
}

/// Sets an input's value directly (date and time inputs take typed text
/// differently from one locale to another).
async fn set_value(driver: &WebDriver, css: &str, value: &str) {
    driver
        .execute(
            "const e = document.querySelector(arguments[0]); e.value = arguments[1];",
            vec![json!(css), json!(value)],
        )
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
}

async fn sign_in(driver: &WebDriver, srv: &TestServer, actor: &str) {
    driver.delete_all_cookies().await.unwrap();
    goto(driver, srv, "/login").await;
    fill(driver, "#actor", actor).await;
    fill(driver, "#password", PASSWORD).await;
    let button = driver.find(By::Css("#login button[type=submit]")).await.unwrap();
    click_and_wait(driver, button).await;
    let here = driver.current_url().await.unwrap();
    assert!(!here.path().starts_with("/login"), "signed in as {actor}: {}", main_text(driver).await);
}

/// Fills and submits the log form on the home page.
async fn log_work(driver: &WebDriver, date: &str, start: &str, end: &str, task: &str, what: &str) {
    set_value(driver, "#date", date).await;
    set_value(driver, "#start", start).await;
    set_value(driver, "#end", end).await;
    set_value(driver, "#task", task).await;
    fill(driver, "#quantity", "1").await;
    fill(driver, "#description", what).await;
    let submit = driver.find(By::Id("log-submit")).await.unwrap();
    click_and_wait(driver, submit).await;
}

/// The ids of the entries of the day shown on the home page, in order.
async fn day_entry_ids(driver: &WebDriver) -> Vec<u64> {
    let rows = driver.find_all(By::Css("#day-entries tbody tr")).await.unwrap();
    let mut ids = Vec::new();
    for r in rows {
        let id = r.attr("id").await.unwrap().unwrap_or_default();
        ids.push(id.trim_start_matches("entry-").parse::<u64>().expect("entry-N"));
    }
    ids.sort();
    ids
}

/// The staff's first task and its standard minutes, from the API.
async fn first_task(srv: &TestServer, staff: &str, date: &str) -> (String, i64, u32) {
    let c = srv.sign_in(staff).await;
    let (_, body) = c.get(&format!("/api/me/day?date={date}")).await;
    let t = &body["tasks"][0];
    (
        t["id"].as_str().expect("a task").to_string(),
        t["standard_minutes"].as_i64().expect("minutes"),
        body["rules"]["window_working_days"].as_u64().expect("window") as u32,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_month_in_the_browser() {
    let srv = TestServer::start(Db::Sqlite).await;
    with_browser(srv, |driver, srv| async move {
        let p = srv.people.clone();
        let staff = p.staff.to_string();
        // Monday 5 October 2026, 16:00.
        srv.at(day(2026, 10, 5).and_hms_opt(16, 0, 0).unwrap());
        let (task, sm, _) = first_task(&srv, &staff, "2026-10-05").await;

        // The employee logs two hours of the day.
        sign_in(&driver, &srv, &staff).await;
        assert_eq!(driver.current_url().await.unwrap().path(), "/home");
        let rules = text_of(&driver, "#rules").await;
        assert!(rules.contains("hari kerja") && rules.contains("menit"), "the window and cap are shown: {rules}");
        log_work(&driver, "2026-10-05", "08:00", "09:00", &task, "Mengagendakan surat masuk").await;
        assert!(main_text(&driver).await.contains("Kegiatan disimpan"), "{}", main_text(&driver).await);
        log_work(&driver, "2026-10-05", "09:00", "10:00", &task, "Mendistribusikan surat").await;
        let ids = day_entry_ids(&driver).await;
        assert_eq!(ids.len(), 2, "two entries on the day");
        let (a, b) = (ids[0], ids[1]);
        assert!(text_of(&driver, &format!("#entry-{b}")).await.contains("Menunggu verifikasi"));
        shot(&driver, "01-employee-logged").await;

        // Tuesday: the supervisor returns the first entry and approves the rest.
        srv.at(day(2026, 10, 6).and_hms_opt(10, 0, 0).unwrap());
        sign_in(&driver, &srv, p.boss.as_str()).await;
        goto(&driver, &srv, "/queue").await;
        assert!(driver.find(By::Id(format!("q-{a}"))).await.is_ok(), "{}", main_text(&driver).await);
        assert!(text_of(&driver, "#deadline").await.contains("batas verifikasi"));
        shot(&driver, "02-supervisor-queue").await;
        fill(&driver, &format!("#why-{a}"), "lengkapi nomor agenda").await;
        let ret = driver.find(By::Id(format!("return-{a}"))).await.unwrap();
        click_and_wait(&driver, ret).await;
        assert!(main_text(&driver).await.contains("dikembalikan"), "{}", main_text(&driver).await);
        assert!(driver.find(By::Id(format!("q-{a}"))).await.is_err(), "the returned entry left the queue");
        let many = driver.find(By::Id("approve-many")).await.unwrap();
        click_and_wait(&driver, many).await;
        assert!(driver.find(By::Id("queue-empty")).await.is_ok(), "{}", main_text(&driver).await);

        // The employee sees why, edits and resubmits.
        sign_in(&driver, &srv, &staff).await;
        goto(&driver, &srv, "/home?date=2026-10-05").await;
        let row = text_of(&driver, &format!("#entry-{a}")).await;
        assert!(row.contains("lengkapi nomor agenda") && row.contains("Dikembalikan"), "{row}");
        shot(&driver, "03-employee-returned").await;
        fill(&driver, &format!("#d-{a}"), "Mengagendakan surat masuk, nomor agenda 12-15").await;
        let save = driver.find(By::Css(format!("#edit-{a} form button[type=submit]"))).await.unwrap();
        click_and_wait(&driver, save).await;
        assert!(main_text(&driver).await.contains("Perubahan disimpan"), "{}", main_text(&driver).await);
        let again = driver.find(By::Css(format!("#edit-{a} form[action$='/resubmit'] button"))).await.unwrap();
        click_and_wait(&driver, again).await;
        assert!(text_of(&driver, &format!("#entry-{a}")).await.contains("Menunggu verifikasi"));

        // The supervisor approves it.
        sign_in(&driver, &srv, p.boss.as_str()).await;
        goto(&driver, &srv, "/queue").await;
        let approve = driver.find(By::Id(format!("approve-{a}"))).await.unwrap();
        click_and_wait(&driver, approve).await;
        assert!(driver.find(By::Id("queue-empty")).await.is_ok(), "{}", main_text(&driver).await);
        goto(&driver, &srv, &format!("/team/2026-10/{staff}")).await;
        // Both hours approved: each worth 1 x standard minutes, at most its 60-minute span.
        let verified = 2 * sm.min(60);
        assert_eq!(text_of(&driver, "#m-verified").await, format!("{verified} menit"));
        shot(&driver, "04-supervisor-team-month").await;

        // 10 November: HR closes October and takes the payroll.
        srv.at(day(2026, 11, 10).and_hms_opt(9, 0, 0).unwrap());
        driver.set_window_rect(0, 0, 1280, 1000).await.unwrap();
        sign_in(&driver, &srv, p.hr1.as_str()).await;
        goto(&driver, &srv, "/hr").await;
        let close = driver.find(By::Id("close-2026-10")).await.unwrap();
        click_and_wait(&driver, close).await;
        assert!(main_text(&driver).await.contains("Bulan ditutup"), "{}", main_text(&driver).await);
        shot(&driver, "05-hr-months").await;
        let payroll = driver.find(By::Id("payroll-2026-10")).await.unwrap();
        click_and_wait(&driver, payroll).await;
        assert!(main_text(&driver).await.contains("sudah ditutup"));
        assert!(text_of(&driver, "#city-net").await.starts_with("Rp "));
        shot(&driver, "06-hr-payroll").await;
        let href = driver.find(By::Id("download-csv")).await.unwrap().attr("href").await.unwrap().unwrap();
        let got = driver
            .execute_async(
                "const done = arguments[arguments.length - 1]; \
                 fetch(arguments[0]).then(r => r.text().then(t => done([r.status, r.headers.get('content-type'), t]))) \
                 .catch(e => done([0, '', String(e)]));",
                vec![json!(href)],
            )
            .await
            .unwrap();
        let got: Value = got.json().clone();
        assert_eq!(got[0], 200, "{got}");
        assert!(got[1].as_str().unwrap().starts_with("text/csv"), "{got}");
        let csv = got[2].as_str().unwrap();
        assert!(csv.lines().any(|l| l.contains(&staff)), "the staff's row is in the CSV");

        // The slip shows the verified minutes and every line explained.
        goto(&driver, &srv, &format!("/hr/2026-10/slips/{staff}")).await;
        assert_eq!(text_of(&driver, "#slip-verified").await, format!("{verified} menit"));
        assert!(text_of(&driver, "#slip-net").await.starts_with("Rp "));
        shot(&driver, "07-hr-slip").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_in_the_browser() {
    let srv = TestServer::start(Db::Sqlite).await;
    with_browser(srv, |driver, srv| async move {
        let p = srv.people.clone();
        let staff = p.staff.to_string();
        srv.at(day(2026, 10, 5).and_hms_opt(16, 0, 0).unwrap());
        let (task, _, window) = first_task(&srv, &staff, "2026-10-05").await;
        sign_in(&driver, &srv, &staff).await;
        log_work(&driver, "2026-10-05", "08:00", "09:00", &task, "Mengagendakan surat masuk").await;

        // A peer cannot open the staff's month, and their queue holds nothing of the staff's.
        sign_in(&driver, &srv, p.peer.as_str()).await;
        goto(&driver, &srv, &format!("/team/2026-10/{staff}")).await;
        let refused = text_of(&driver, "#error").await;
        assert!(refused.contains("bukan atasan"), "{refused}");
        shot(&driver, "11-peer-refused").await;
        goto(&driver, &srv, "/queue").await;
        assert!(driver.find(By::Id("queue-empty")).await.is_ok(), "{}", main_text(&driver).await);

        // A post without the CSRF token is refused, and nothing is stored.
        sign_in(&driver, &srv, &staff).await;
        driver.execute("document.querySelector('#log-form input[name=_csrf]').remove();", vec![]).await.unwrap();
        log_work(&driver, "2026-10-05", "10:00", "11:00", &task, "Tanpa token").await;
        let refused = text_of(&driver, "#error").await;
        assert!(refused.contains("token keamanan"), "{refused}");
        shot(&driver, "12-csrf-refused").await;
        goto(&driver, &srv, "/home?date=2026-10-05").await;
        assert_eq!(day_entry_ids(&driver).await.len(), 1, "the refused post stored nothing");

        // 20 October: work of 5 October is outside the entry window; the
        // policy's window and earliest date are shown, in Indonesian, and what
        // was typed is kept.
        srv.at(day(2026, 10, 20).and_hms_opt(9, 0, 0).unwrap());
        sign_in(&driver, &srv, &staff).await;
        log_work(&driver, "2026-10-05", "10:00", "11:00", &task, "Terlambat dicatat").await;
        let refused = text_of(&driver, "#log-error").await;
        assert!(refused.contains("di luar batas waktu pengisian"), "{refused}");
        assert!(refused.contains(&format!("{window} hari kerja")), "{refused}");
        assert!(refused.contains("5 Oktober 2026"), "{refused}");
        let kept = driver.find(By::Id("description")).await.unwrap().prop("value").await.unwrap();
        assert_eq!(kept.as_deref(), Some("Terlambat dicatat"));
        shot(&driver, "13-outside-window").await;

        // The same page in English.
        goto(&driver, &srv, "/home?date=2026-10-05&lang=en").await;
        assert!(main_text(&driver).await.contains("Daily work"), "{}", main_text(&driver).await);
        shot(&driver, "14-home-english").await;
    })
    .await;
}

/// Issue 14: one employee posts an ad, another opens it, chats with the seller,
/// and sees the seller's reply arrive without reloading the page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ad_and_a_chat_in_the_browser() {
    let srv = TestServer::start(Db::Sqlite).await;
    with_browser(srv, |driver, srv| async move {
        let p = srv.people.clone();
        let seller = p.staff.to_string();
        let buyer = p.peer.to_string();
        srv.at(day(2026, 10, 5).and_hms_opt(10, 0, 0).unwrap());

        // The seller posts an ad on the board.
        sign_in(&driver, &srv, &seller).await;
        goto(&driver, &srv, "/social").await;
        driver.execute("document.querySelector('#new-ad').open = true;", vec![]).await.unwrap();
        fill(&driver, "#ad-title", "Laptop bekas 8 GB").await;
        fill(&driver, "#ad-description", "Jarang dipakai, lengkap dengan pengisi daya.").await;
        set_value(&driver, "#ad-category", "electronics").await;
        fill(&driver, "#ad-price", "6500000").await;
        // With a photo chosen in the file field (a real 1 x 1 PNG).
        let png = hex::decode(
            "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489\
             0000000d4944415478da636460f85f0f0002870180eb47ba920000000049454e44ae426082",
        )
        .unwrap();
        let file = srv.dir().join("laptop.png");
        std::fs::write(&file, &png).unwrap();
        let input = driver.find(By::Id("ad-photos")).await.unwrap();
        input.send_keys(file.to_str().unwrap()).await.unwrap();
        let post = driver.find(By::Id("ad-submit")).await.unwrap();
        click_and_wait(&driver, post).await;
        assert!(main_text(&driver).await.contains("Iklan dipasang"), "{}", main_text(&driver).await);
        assert_eq!(text_of(&driver, "#ad-price").await, "Rp 6.500.000");
        // The photo is shown: the browser decoded the served image (1 pixel wide).
        let mut width = 0;
        for _ in 0..50 {
            let r = driver
                .execute("var i = document.querySelector('#ad img.photo'); return i ? i.naturalWidth : -1;", vec![])
                .await
                .unwrap();
            width = r.json().as_i64().unwrap_or(-1);
            if width == 1 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(width, 1, "the ad page shows the uploaded photo");
        let ad_path = driver.current_url().await.unwrap().path().to_string();
        shot(&driver, "21-seller-posted-ad").await;

        // The buyer finds it by searching, opens it and chats with the seller.
        sign_in(&driver, &srv, &buyer).await;
        goto(&driver, &srv, "/social?q=laptop").await;
        assert!(text_of(&driver, "#ads").await.contains("Laptop bekas 8 GB"));
        let link = driver.find(By::Css("#ads a")).await.unwrap();
        click_and_wait(&driver, link).await;
        assert_eq!(driver.current_url().await.unwrap().path(), ad_path);
        let chat = driver.find(By::Id("chat-seller")).await.unwrap();
        click_and_wait(&driver, chat).await;
        let chat_path = driver.current_url().await.unwrap().path().to_string();
        assert!(chat_path.starts_with("/social/chats/"), "{chat_path}");
        let conversation: u64 = chat_path.trim_start_matches("/social/chats/").parse().unwrap();

        // Wait until the page listens to the live stream, then send.
        for _ in 0..100 {
            let open = driver.execute("return document.getElementById('chat').dataset.stream;", vec![]).await;
            if open.map(|r| r.json().as_str() == Some("open")).unwrap_or(false) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        fill(&driver, "#send-body", "Masih ada, Pak? Bisa lihat besok?").await;
        driver.find(By::Id("send")).await.unwrap().click().await.unwrap();
        // The buyer's own message appears through the stream too.
        let mut seen = String::new();
        for _ in 0..100 {
            seen = text_of(&driver, "#messages").await;
            if seen.contains("Masih ada, Pak?") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(seen.contains("Masih ada, Pak?"), "{seen}");

        // Mark the page: a reload would lose the mark.
        driver.execute("window.__notReloaded = true;", vec![]).await.unwrap();

        // The seller replies (through the API, as the phone or another browser would).
        let api = srv.sign_in(&seller).await;
        let (s, body) = api.get("/api/social/conversations").await;
        assert_eq!(s, 200, "{body}");
        assert_eq!(body["conversations"][0]["unread"], 1, "{body}");
        let (s, body) = api
            .post(
                &format!("/api/social/conversations/{conversation}/messages"),
                json!({"body": "Masih. Besok jam 10 di kantor."}),
            )
            .await;
        assert_eq!(s, 200, "{body}");

        // The reply arrives on the buyer's open page without a reload.
        let mut seen = String::new();
        for _ in 0..200 {
            seen = text_of(&driver, "#messages").await;
            if seen.contains("Besok jam 10 di kantor") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(seen.contains("Besok jam 10 di kantor"), "the reply did not arrive: {seen}");
        let same_page = driver.execute("return window.__notReloaded === true;", vec![]).await.unwrap();
        assert_eq!(same_page.json().as_bool(), Some(true), "the page was reloaded");
        shot(&driver, "22-buyer-sees-reply").await;

        // The buyer's page marked the reply read: the seller's receipt shows it.
        let mut read = false;
        for _ in 0..100 {
            let (_, c) = api.get(&format!("/api/social/conversations/{conversation}")).await;
            if c["messages"][1]["read_by_other"] == true {
                read = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(read, "the reply was not marked read by the buyer's open page");
    })
    .await;
}
