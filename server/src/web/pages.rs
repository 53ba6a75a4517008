//! The pages. Each handler asks the API's handler for the data (or the change),
//! then lays the answer out for people; a refusal is shown, never decided here.

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use axum_extra::extract::cookie::CookieJar;
use kinerja::YearMonth;
use kinerja::activity::VerificationStatus;
use kinerja::allowance::Slip;
use kinerja::attendance::{DayAttendance, DayStatus};
use kinerja::dataset::City;
use kinerja::nip::Nip;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Deserialize;

use super::i18n::Tr;
use super::svg::{self, Bar};
use super::{Layout, PageLang, Who, error_page, html, see_other};
use crate::api::work::{ActivityForm, DayQuery, DecisionForm, Decisions, EntryOut, QueueQuery};
use crate::api::{self, Body, Client, Path, Query, hr, session, work};
use crate::error::ApiError;
use crate::state::AppState;

type PageResult = Result<Response, Response>;

/// Turns an API refusal into the error page.
fn fail(tr: Tr) -> impl Fn(ApiError) -> Response {
    move |e| error_page(tr, &e)
}

const HTMX: &[u8] = include_bytes!("../../static/htmx.min.js");
const CSS: &[u8] = include_bytes!("../../static/app.css");

fn asset(content_type: &'static str, body: &'static [u8]) -> Response {
    let mut h = HeaderMap::new();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    (h, body).into_response()
}

/// The vendored htmx.
pub async fn htmx() -> Response {
    asset("text/javascript; charset=utf-8", HTMX)
}

/// The style sheet.
pub async fn css() -> Response {
    asset("text/css; charset=utf-8", CSS)
}

/// `/`: the sign-in page, or the person's first page.
pub async fn root(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let signed_in = match crate::auth::secret_of(&headers) {
        Some((secret, via)) => crate::auth::session_of(&state, &secret, via).await.is_ok(),
        None => false,
    };
    Redirect::to(if signed_in { "/start" } else { "/login" }).into_response()
}

/// The first page of a signed-in person: their home, or HR's months for an official.
pub async fn start(who: Who) -> Response {
    if who.me.kind == "employee" {
        Redirect::to("/home").into_response()
    } else if who.me.hr_officer {
        Redirect::to("/hr").into_response()
    } else {
        Redirect::to("/account").into_response()
    }
}

// ---------------------------------------------------------------- sign-in

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    l: Layout,
    actor: String,
}

/// The sign-in form.
pub async fn login_page(PageLang(tr): PageLang) -> Response {
    html(&LoginPage { l: Layout::anonymous(tr, tr.t("login-title"), "/login"), actor: String::new() }, StatusCode::OK)
}

/// The sign-in form's fields.
#[derive(Debug, Deserialize)]
pub struct LoginFields {
    actor: String,
    password: String,
}

/// Signs in through the API's sign-in (throttling, lockout and the session
/// cookie are its), then goes to the person's first page.
pub async fn login_post(
    State(state): State<AppState>,
    PageLang(tr): PageLang,
    client: Client,
    jar: CookieJar,
    Form(f): Form<LoginFields>,
) -> Response {
    let req = session::LoginRequest {
        actor: f.actor.clone(),
        password: f.password,
        mode: session::LoginMode::Cookie,
        label: Some("web".into()),
    };
    match session::login(State(state), client, jar, Body(req)).await {
        Ok(answer) => {
            let answer = answer.into_response();
            let mut resp = Redirect::to("/start").into_response();
            for v in answer.headers().get_all(header::SET_COOKIE) {
                resp.headers_mut().append(header::SET_COOKIE, v.clone());
            }
            resp
        }
        Err(e) => {
            let mut l = Layout::anonymous(tr, tr.t("login-title"), "/login");
            l.err = Some(tr.error(&e));
            html(&LoginPage { l, actor: f.actor }, e.status)
        }
    }
}

/// Signs out (the API's sign-out ends the session and clears the cookie).
pub async fn logout_post(State(state): State<AppState>, who: Who, jar: CookieJar) -> Response {
    match session::logout(State(state), who.caller, jar).await {
        Ok(r) => {
            let r = r.into_response();
            let mut resp = Redirect::to("/login").into_response();
            for v in r.headers().get_all(header::SET_COOKIE) {
                resp.headers_mut().append(header::SET_COOKIE, v.clone());
            }
            resp
        }
        Err(e) => error_page(who.tr, &e),
    }
}

#[derive(Template)]
#[template(path = "activate.html")]
struct ActivatePage {
    l: Layout,
    actor: String,
}

/// The activation form (a one-time code from HR and a new password).
pub async fn activate_page(PageLang(tr): PageLang) -> Response {
    html(
        &ActivatePage { l: Layout::anonymous(tr, tr.t("activate-title"), "/activate"), actor: String::new() },
        StatusCode::OK,
    )
}

/// The activation form's fields.
#[derive(Debug, Deserialize)]
pub struct ActivateFields {
    actor: String,
    code: String,
    password: String,
}

/// Activates an account through the API.
pub async fn activate_post(
    State(state): State<AppState>,
    PageLang(tr): PageLang,
    client: Client,
    Form(f): Form<ActivateFields>,
) -> Response {
    let req = session::ActivateRequest { actor: f.actor.clone(), code: f.code, password: f.password };
    match session::activate(State(state), client, Body(req)).await {
        Ok(_) => see_other("/login", "activated"),
        Err(e) => {
            let mut l = Layout::anonymous(tr, tr.t("activate-title"), "/activate");
            l.err = Some(tr.error(&e));
            html(&ActivatePage { l, actor: f.actor }, e.status)
        }
    }
}

// ---------------------------------------------------------------- account

struct SessionLine {
    id: String,
    kind: String,
    label: String,
    created: String,
    expires: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    l: Layout,
    position: String,
    sessions: Vec<SessionLine>,
}

/// Password change, and the person's sessions and devices (tokens).
pub async fn account_page(State(state): State<AppState>, who: Who) -> PageResult {
    account_view(&state, &who, None, StatusCode::OK).await
}

async fn account_view(state: &AppState, who: &Who, err: Option<String>, status: StatusCode) -> PageResult {
    let tr = who.tr;
    let Json(list) = session::my_sessions(State(state.clone()), who.caller.clone()).await.map_err(fail(tr))?;
    let sessions = list
        .into_iter()
        .filter(|s| !s.revoked)
        .map(|s| SessionLine {
            kind: tr.code("session-kind", &s.kind),
            id: s.id,
            label: s.label,
            created: s.created_at,
            expires: s.expires_at,
            current: s.current,
        })
        .collect();
    let mut l = Layout::of(who, tr.t("account-title"), "/account");
    l.err = err;
    let position = match (&who.me.position, &who.me.unit) {
        (Some(p), Some(u)) => format!("{p} · {u}"),
        _ => String::new(),
    };
    Ok(html(&AccountPage { l, position, sessions }, status))
}

/// The password form's fields.
#[derive(Debug, Deserialize)]
pub struct PasswordFields {
    current: String,
    new: String,
}

/// Changes the password through the API (every session ends: sign in again).
pub async fn password_post(State(state): State<AppState>, who: Who, Form(f): Form<PasswordFields>) -> PageResult {
    let req = session::PasswordChange { current: f.current, new: f.new };
    match session::change_password(State(state.clone()), who.caller.clone(), Body(req)).await {
        Ok(_) => Ok(see_other("/login", "password-changed")),
        Err(e) => account_view(&state, &who, Some(who.tr.error(&e)), e.status).await,
    }
}

/// Ends one of the person's sessions or tokens.
pub async fn end_session_post(State(state): State<AppState>, who: Who, Path(id): Path<String>) -> PageResult {
    session::end_session(State(state), who.caller.clone(), Path(id)).await.map_err(fail(who.tr))?;
    Ok(see_other("/account", "session-ended"))
}

// ---------------------------------------------------------------- employee

struct ClockLine {
    time: String,
    direction: String,
    source: String,
}

struct EntryLine {
    id: u64,
    month: String,
    time: String,
    task: String,
    quantity: String,
    status: &'static str,
    status_text: String,
    minutes: String,
    reason: Option<String>,
    editable: bool,
    resubmit: bool,
    // The values for the edit form.
    f_date: String,
    f_start: String,
    f_end: String,
    f_task: String,
    f_quantity: i64,
    f_description: String,
}

fn entry_line(tr: Tr, e: &EntryOut) -> EntryLine {
    let en = &e.entry;
    let d = &e.details;
    let status = en.status.as_str();
    let quantity = match en.approved_quantity {
        Some(q) if q != en.quantity => format!("{} → {}", en.quantity, q),
        _ => en.quantity.to_string(),
    };
    EntryLine {
        id: en.id.0,
        month: YearMonth::of(en.date).to_string(),
        time: format!("{}–{}", tr.time(&en.start), tr.time(&en.end)),
        task: d.task_name.clone().unwrap_or_else(|| en.task.to_string()),
        quantity: format!("{quantity} {}", d.output_unit.clone().unwrap_or_default()),
        status,
        status_text: tr.code("status", status),
        minutes: tr.minutes(&d.credited_minutes),
        reason: d.reason.clone(),
        editable: matches!(en.status, VerificationStatus::Submitted | VerificationStatus::Returned),
        resubmit: en.status == VerificationStatus::Returned,
        f_date: en.date.format("%Y-%m-%d").to_string(),
        f_start: tr.time(&en.start),
        f_end: tr.time(&en.end),
        f_task: en.task.to_string(),
        f_quantity: en.quantity,
        f_description: en.description.to_string(),
    }
}

struct TaskOption {
    id: String,
    label: String,
    selected: bool,
}

struct DayLine {
    date: String,
    weekend: bool,
    status: String,
    class: &'static str,
    check_in: String,
    check_out: String,
    late: String,
    early: String,
}

fn day_line(tr: Tr, d: &DayAttendance) -> DayLine {
    let (status, class) = match &d.status {
        DayStatus::NonWorking => (tr.t("day-non-working"), "off"),
        DayStatus::Present => (tr.t("day-present"), "ok"),
        DayStatus::Excused(k) => (tr.code("absence", k.code()), "excused"),
        DayStatus::Unexcused => (tr.t("day-unexcused"), "bad"),
    };
    // A rostered day says so: the shift judged, or the rostered day off.
    let status = match (&d.shift, d.rostered_off) {
        (Some(s), _) => format!(
            "{status} · {}",
            tr.f("day-shift", &[("start", &tr.time(&s.start.time())), ("end", &tr.time(&s.end.time()))])
        ),
        (None, true) => tr.t("day-rostered-off"),
        (None, false) => status,
    };
    // Where a phone scan was (the verdict the ledger stored), and a flag for review.
    let geo = |v: Option<kinerja::geo::GeoVerdict>| match v {
        None => String::new(),
        Some(kinerja::geo::GeoVerdict::Inside { distance_m }) => {
            format!(" · {}", tr.f1("geofence-inside", "m", &distance_m.to_string()))
        }
        Some(kinerja::geo::GeoVerdict::Outside { beyond_m, .. }) => {
            format!(" · {}", tr.f1("geofence-outside", "m", &beyond_m.to_string()))
        }
        Some(kinerja::geo::GeoVerdict::NoPosition) => format!(" · {}", tr.t("geofence-no-position")),
    };
    let flag = if d.geofence_flagged { format!(" · {}", tr.t("geofence-flagged")) } else { String::new() };
    let next_day = if d.check_out_next_day { format!(" {}", tr.t("day-next-day")) } else { String::new() };
    let band = |m: &kinerja::minutes::Minutes, b: Option<kinerja::attendance::Band>, prefix: &str| {
        if m.get() == 0 && b.is_none() {
            String::new()
        } else {
            let band = b.map(|b| format!(" ({prefix}{})", b.number())).unwrap_or_default();
            format!("{}{band}", tr.minutes(m))
        }
    };
    DayLine {
        date: tr.day(&d.date),
        weekend: super::i18n::is_weekend(d.date),
        status,
        class,
        check_in: d
            .check_in
            .map(|t| format!("{}{}{flag}", tr.time(&t), geo(d.check_in_geofence)))
            .unwrap_or_else(|| if d.missing_check_in { "—".into() } else { String::new() }),
        check_out: d
            .check_out
            .map(|t| format!("{}{next_day}{}", tr.time(&t), geo(d.check_out_geofence)))
            .unwrap_or_else(|| if d.missing_check_out { "—".into() } else { String::new() }),
        late: band(&d.late_minutes, d.late_band, "TL"),
        early: band(&d.early_minutes, d.early_band, "PSW"),
    }
}

struct SlipLineView {
    rule: String,
    amount: String,
    negative: bool,
    explanation: String,
}

struct SlipView {
    lines: Vec<SlipLineView>,
    gross: String,
    tax: String,
    contribution: String,
    net: String,
    verified_minutes: Option<String>,
    target_minutes: Option<String>,
}

fn slip_view(tr: Tr, s: &Slip) -> SlipView {
    let input = |key: &str| {
        s.lines
            .iter()
            .find_map(|l| l.inputs.get(key))
            .and_then(|v| v.parse::<i64>().ok())
            .map(|n| tr.f1("unit-minutes", "n", &tr.num(&n)))
    };
    SlipView {
        lines: s
            .lines
            .iter()
            .map(|l| SlipLineView {
                rule: tr.rule(&l.rule),
                amount: tr.rp(&l.amount),
                negative: l.amount.amount().is_sign_negative() && !l.amount.amount().is_zero(),
                explanation: tr.explanation(l),
            })
            .collect(),
        gross: tr.rp(&s.gross),
        tax: tr.rp(&s.tax),
        contribution: tr.rp(&s.contribution),
        net: tr.rp(&s.net),
        verified_minutes: input("performance.verified_minutes"),
        target_minutes: input("performance.target_minutes"),
    }
}

/// The month of one employee: minutes against the target, attendance day by
/// day, and the allowance as it stands.
struct MonthView {
    month: String,
    name: String,
    nip: String,
    target: String,
    verified: String,
    pending: String,
    returned: String,
    achievement: String,
    counts: String,
    deadline: String,
    days: Vec<DayLine>,
    entries: Vec<EntryLine>,
    allowance_final: bool,
    allowance: Option<SlipView>,
    allowance_note: Option<String>,
    chart: String,
}

async fn month_view(state: &AppState, who: &Who, month: YearMonth, nip: &Nip) -> Result<MonthView, ApiError> {
    let tr = who.tr;
    let Json(m) =
        work::employee_month(State(state.clone()), who.caller.clone(), Path((month.to_string(), nip.to_string())))
            .await?;
    let as_of = state.today().min(month.last_day());
    let mo = state.month(month).await?;
    let (days, name) = mo
        .read(|l, env| {
            let name = env.version().city.organisation.employee(nip).map(|e| e.name.clone()).unwrap_or_default();
            (kinerja::recap::employee_days(l, env.ctx(), nip, as_of), name)
        })
        .await;
    let days = days?;
    let sum = |st: VerificationStatus| {
        let n: i64 = m.entries.iter().filter(|e| e.entry.status == st).map(|e| e.details.credited_minutes.get()).sum();
        kinerja::minutes::Minutes(n)
    };
    let r = &m.recap;
    let (allowance, allowance_final, allowance_note) = match work::employee_allowance(
        State(state.clone()),
        who.caller.clone(),
        api::Language(tr.lang),
        Path((month.to_string(), nip.to_string())),
    )
    .await
    {
        Ok(Json(a)) => (Some(slip_view(tr, &a.slip)), a.final_, None),
        Err(e) => (None, false, Some(tr.error(&e))),
    };
    let target = r.target.target_minutes.get();
    let bar = |label: &str, v: i64| Bar {
        label: tr.t(label),
        value: v as f64,
        text: tr.minutes(&kinerja::minutes::Minutes(v)),
    };
    let chart = svg::bars(
        &tr.t("month-chart"),
        &[
            bar("month-target", target),
            bar("month-verified", r.verified_minutes.get()),
            bar("month-pending", sum(VerificationStatus::Submitted).get()),
            bar("month-returned", sum(VerificationStatus::Returned).get()),
        ],
    );
    let mut entries: Vec<EntryLine> = m.entries.iter().map(|e| entry_line(tr, e)).collect();
    entries.reverse();
    Ok(MonthView {
        month: tr.month(&month),
        name,
        nip: nip.to_string(),
        target: tr.minutes(&r.target.target_minutes),
        verified: tr.minutes(&r.verified_minutes),
        pending: tr.minutes(&sum(VerificationStatus::Submitted)),
        returned: tr.minutes(&sum(VerificationStatus::Returned)),
        achievement: r.achievement_percent.map(|p| tr.pct(&p)).unwrap_or_else(|| "—".into()),
        counts: tr.f(
            "month-counts",
            &[
                ("approved", &r.entries.approved.to_string()),
                ("pending", &r.entries.pending.to_string()),
                ("returned", &r.entries.returned.to_string()),
                ("rejected", &r.entries.rejected.to_string()),
            ],
        ),
        deadline: tr.date(&m.deadline),
        days: days.iter().map(|d| day_line(tr, d)).collect(),
        entries,
        allowance_final,
        allowance,
        allowance_note,
        chart,
    })
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    l: Layout,
    date: String,
    date_value: String,
    today: bool,
    clock: Vec<ClockLine>,
    entries: Vec<EntryLine>,
    tasks: Vec<TaskOption>,
    extra_tasks: Vec<TaskOption>,
    rules: Vec<String>,
    logged: String,
    form: LogFields,
    form_error: Option<String>,
    m: MonthView,
}

/// The log form's fields (the API's [`ActivityForm`] with text for the quantity).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct LogFields {
    #[serde(default)]
    date: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    task: String,
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    description: String,
}

impl LogFields {
    fn activity(&self, tr: Tr) -> Result<ActivityForm, ApiError> {
        let quantity = self.quantity.trim().parse::<i64>().map_err(|_| {
            ApiError::bad_request("invalid_quantity", tr.t("err-invalid-quantity")).with_field("quantity")
        })?;
        Ok(ActivityForm {
            date: Some(self.date.clone()).filter(|d| !d.is_empty()),
            start: self.start.clone(),
            end: self.end.clone(),
            task: self.task.clone(),
            quantity,
            description: self.description.clone(),
            evidence: None,
        })
    }
}

/// The date asked for on the home page.
#[derive(Debug, Deserialize)]
pub struct HomeQuery {
    date: Option<String>,
}

/// The employee's home: today's clock-in and entries, the log form with the
/// rules shown before submitting, and the month.
pub async fn home(State(state): State<AppState>, who: Who, Query(q): Query<HomeQuery>) -> PageResult {
    home_view(&state, &who, q.date, None, None, StatusCode::OK).await
}

async fn home_view(
    state: &AppState,
    who: &Who,
    date: Option<String>,
    form: Option<LogFields>,
    form_error: Option<String>,
    status: StatusCode,
) -> PageResult {
    let tr = who.tr;
    let nip = who.caller.nip().map_err(fail(tr))?.clone();
    let Json(day) =
        work::my_day(State(state.clone()), who.caller.clone(), Query(DayQuery { date })).await.map_err(fail(tr))?;
    let m = month_view(state, who, YearMonth::of(day.date), &nip).await.map_err(fail(tr))?;
    let form = form.unwrap_or_else(|| LogFields {
        date: day.date.format("%Y-%m-%d").to_string(),
        quantity: "1".into(),
        ..LogFields::default()
    });
    let option = |t: &kinerja::device::TaskChoice| TaskOption {
        id: t.id.to_string(),
        label: tr.f(
            "log-task-option",
            &[("name", &t.name), ("unit", &t.output_unit), ("minutes", &t.standard_minutes.get().to_string())],
        ),
        selected: form.task == t.id.to_string(),
    };
    let r = &day.rules;
    let mut rules = Vec::new();
    if let Some(e) = r.earliest_date {
        rules.push(tr.f("rule-window", &[("window", &r.window_working_days.to_string()), ("earliest", &tr.date(&e))]));
    }
    if r.cap_daily {
        rules.push(tr.f1("rule-cap", "cap", &tr.minutes(&kinerja::minutes::Minutes(r.daily_cap_minutes))));
    }
    match r.schedule {
        Some((s, e)) => rules.push(tr.f("rule-schedule", &[("start", &tr.time(&s)), ("end", &tr.time(&e))])),
        None => rules.push(tr.t("rule-no-schedule")),
    }
    rules.push(tr.f1("rule-deadline", "deadline", &tr.date(&r.verification_deadline)));
    let clock = day
        .clock
        .iter()
        .map(|c| ClockLine {
            time: tr.time(&c.at.time()),
            direction: tr.t(match c.direction {
                kinerja::attendance::ClockDirection::In => "clock-in",
                kinerja::attendance::ClockDirection::Out => "clock-out",
            }),
            source: {
                let source = tr.t(match c.source {
                    kinerja::attendance::ClockSource::Fingerprint => "source-fingerprint",
                    kinerja::attendance::ClockSource::Face => "source-face",
                    kinerja::attendance::ClockSource::Mobile { .. }
                    | kinerja::attendance::ClockSource::MobileWithoutPosition => "source-mobile",
                });
                // The geofence verdict the ledger stored with a phone scan.
                match &c.geofence {
                    None => source,
                    Some(g) => {
                        let verdict = match g.verdict {
                            kinerja::geo::GeoVerdict::Inside { distance_m } => {
                                tr.f1("geofence-inside", "m", &distance_m.to_string())
                            }
                            kinerja::geo::GeoVerdict::Outside { beyond_m, .. } => {
                                tr.f1("geofence-outside", "m", &beyond_m.to_string())
                            }
                            kinerja::geo::GeoVerdict::NoPosition => tr.t("geofence-no-position"),
                        };
                        let flag = if g.flagged { format!(" · {}", tr.t("geofence-flagged")) } else { String::new() };
                        format!("{source} · {verdict}{flag}")
                    }
                }
            },
        })
        .collect();
    let mut l = Layout::of(who, tr.t("home-title"), "/home");
    // A refusal is said at the top too, where a phone shows it without scrolling.
    l.err = form_error.clone();
    let page = HomePage {
        l,
        date: tr.day(&day.date),
        date_value: day.date.format("%Y-%m-%d").to_string(),
        today: day.date == state.today(),
        clock,
        entries: day.entries.iter().map(|e| entry_line(tr, e)).collect(),
        tasks: day.tasks.iter().filter(|t| !t.extra).map(option).collect(),
        extra_tasks: day.tasks.iter().filter(|t| t.extra).map(option).collect(),
        rules,
        logged: tr.minutes(&kinerja::minutes::Minutes(day.logged_minutes)),
        form,
        form_error,
        m,
    };
    Ok(html(&page, status))
}

/// Logs a piece of work through the API; a refusal is shown above the form, with
/// what was typed kept.
pub async fn log_post(State(state): State<AppState>, who: Who, Form(f): Form<LogFields>) -> PageResult {
    let tr = who.tr;
    let result = match f.activity(tr) {
        Ok(form) => work::log_activity(State(state.clone()), who.caller.clone(), Body(form)).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/home?date={}", f.date), "logged")),
        Err(e) => {
            let date = Some(f.date.clone()).filter(|d| kinerja::device::parse_date(d).is_some());
            home_view(&state, &who, date, Some(f), Some(tr.error(&e)), e.status).await
        }
    }
}

/// Edits an entry (submitted or returned) through the API.
pub async fn edit_post(
    State(state): State<AppState>,
    who: Who,
    Path((month, id)): Path<(String, String)>,
    Form(f): Form<LogFields>,
) -> PageResult {
    let tr = who.tr;
    let result = match f.activity(tr) {
        Ok(form) => work::edit_activity(State(state.clone()), who.caller.clone(), Path((month, id)), Body(form))
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/home?date={}", f.date), "edited")),
        Err(e) => {
            let date = Some(f.date.clone()).filter(|d| kinerja::device::parse_date(d).is_some());
            home_view(&state, &who, date, None, Some(tr.error(&e)), e.status).await
        }
    }
}

/// Sends a returned entry back for verification.
pub async fn resubmit_post(
    State(state): State<AppState>,
    who: Who,
    Path((month, id)): Path<(String, String)>,
) -> PageResult {
    let Json(out) =
        work::resubmit(State(state.clone()), who.caller.clone(), Path((month, id))).await.map_err(fail(who.tr))?;
    Ok(see_other(&format!("/home?date={}", out.entry.date.format("%Y-%m-%d")), "resubmitted"))
}

// ---------------------------------------------------------------- supervisor

struct QueueDay {
    date: String,
    entries: Vec<EntryLine>,
}

struct QueueGroup {
    name: String,
    nip: String,
    days: Vec<QueueDay>,
    count: usize,
}

#[derive(Template)]
#[template(path = "queue.html")]
struct QueuePage {
    l: Layout,
    month_value: String,
    deadline_text: String,
    warn: bool,
    total_text: String,
    groups: Vec<QueueGroup>,
    team: Vec<(String, String)>,
}

/// The month of the queue.
#[derive(Debug, Deserialize)]
pub struct MonthQuery {
    month: Option<String>,
}

/// The supervisor's queue, grouped by employee and day, with the deadline.
pub async fn queue(State(state): State<AppState>, who: Who, Query(q): Query<MonthQuery>) -> PageResult {
    queue_view(&state, &who, q.month, None, StatusCode::OK).await
}

async fn queue_view(
    state: &AppState,
    who: &Who,
    month: Option<String>,
    err: Option<String>,
    status: StatusCode,
) -> PageResult {
    let tr = who.tr;
    let Json(q) = work::my_queue(State(state.clone()), who.caller.clone(), Query(QueueQuery { month }))
        .await
        .map_err(fail(tr))?;
    let mut groups: Vec<QueueGroup> = Vec::new();
    for e in &q.entries {
        let nip = e.entry.employee.to_string();
        if groups.last().is_none_or(|g| g.nip != nip) {
            groups.push(QueueGroup { name: e.details.employee_name.clone(), nip, days: Vec::new(), count: 0 });
        }
        let Some(g) = groups.last_mut() else { continue };
        let date = tr.day(&e.entry.date);
        if g.days.last().is_none_or(|d| d.date != date) {
            g.days.push(QueueDay { date, entries: Vec::new() });
        }
        g.count += 1;
        if let Some(d) = g.days.last_mut() {
            d.entries.push(entry_line(tr, e));
        }
    }
    // The people they verify this month (for "each subordinate's month"): the
    // queue's employees and those the core lists as theirs to verify.
    let team = team_of(state, who, q.month).await;
    let mut l = Layout::of(who, tr.t("queue-title"), "/queue");
    l.err = err;
    let page = QueuePage {
        l,
        month_value: q.month.to_string(),
        deadline_text: tr.f(
            "queue-deadline",
            &[("month", &tr.month(&q.month)), ("deadline", &tr.date(&q.deadline)), ("days", &q.days_left.to_string())],
        ),
        warn: q.days_left <= 3,
        total_text: tr.count("queue-total", i64::try_from(q.entries.len()).unwrap_or(i64::MAX)),
        groups,
        team,
    };
    Ok(html(&page, status))
}

/// The people whose entries the caller verifies in a month (name, NIP), by the
/// core's verifier rule on the month's last judged day.
async fn team_of(state: &AppState, who: &Who, month: YearMonth) -> Vec<(String, String)> {
    let Some(me) = who.caller.actor.nip().cloned() else { return Vec::new() };
    let on = api::judged_on(state, month);
    let Ok(m) = state.month(month).await else { return Vec::new() };
    m.read(|_, env| {
        let org = &env.version().city.organisation;
        let mut out: Vec<(String, String)> = org
            .employees()
            .iter()
            .filter(|e| e.nip != me)
            .filter(|e| {
                org.direct_supervisor(&e.nip, on)
                    .is_some_and(|s| s.definitive.contains(&me) || s.acting.iter().any(|(n, _)| n == &me))
            })
            .map(|e| (e.name.clone(), e.nip.to_string()))
            .collect();
        out.sort();
        out
    })
    .await
}

/// The decision form's fields: one entry's buttons, or the bulk form's ticks.
#[derive(Debug, Deserialize)]
pub struct DecideFields {
    /// The entries ticked (bulk) or the one entry.
    #[serde(default)]
    entry: Vec<u64>,
    /// `approve`, `return` or `reject`.
    decision: String,
    /// A lower quantity (one entry).
    #[serde(default)]
    quantity: Option<String>,
    /// Why (return, reject).
    #[serde(default)]
    reason: Option<String>,
}

/// Takes decisions through the API (several at once are one command).
pub async fn decide_post(
    State(state): State<AppState>,
    who: Who,
    Path(month): Path<String>,
    Form(f): Form<DecideFields>,
) -> PageResult {
    let tr = who.tr;
    let quantity = match f.quantity.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        None => None,
        Some(q) => match q.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                let e = ApiError::bad_request("invalid_quantity", tr.t("err-invalid-quantity"));
                return queue_view(&state, &who, Some(month), Some(tr.error(&e)), e.status).await;
            }
        },
    };
    let reason = f.reason.clone().filter(|r| !r.trim().is_empty());
    let decisions = f
        .entry
        .iter()
        .map(|id| DecisionForm {
            entry: *id,
            decision: f.decision.clone(),
            quantity: if f.decision == "approve" && f.entry.len() == 1 { quantity } else { None },
            reason: reason.clone(),
        })
        .collect();
    match work::verify(State(state.clone()), who.caller.clone(), Path(month.clone()), Body(Decisions { decisions }))
        .await
    {
        Ok(Json(d)) => {
            let ok = match (f.decision.as_str(), d.entries.len()) {
                ("approve", n) if n > 1 => "approved-many",
                ("approve", _) => "approved",
                ("return", _) => "returned",
                _ => "rejected",
            };
            Ok(see_other(&format!("/queue?month={month}"), ok))
        }
        Err(e) => queue_view(&state, &who, Some(month), Some(tr.error(&e)), e.status).await,
    }
}

#[derive(Template)]
#[template(path = "team.html")]
struct TeamPage {
    l: Layout,
    m: MonthView,
}

/// One subordinate's month (the API decides who may read it).
pub async fn team_month(
    State(state): State<AppState>,
    who: Who,
    Path((month, nip)): Path<(String, String)>,
) -> PageResult {
    let tr = who.tr;
    let month = api::month_of(&month).map_err(fail(tr))?;
    let nip = api::nip_of(&nip).map_err(fail(tr))?;
    let m = month_view(&state, &who, month, &nip).await.map_err(fail(tr))?;
    let l = Layout::of(&who, format!("{} · {}", m.name, m.month), "/queue");
    Ok(html(&TeamPage { l, m }, StatusCode::OK))
}

// ---------------------------------------------------------------- attendance officer

struct RollLineView {
    nip: String,
    name: String,
    position: String,
    attended: String,
}

#[derive(Template)]
#[template(path = "roll.html")]
struct RollPage {
    l: Layout,
    date: String,
    people: Vec<RollLineView>,
}

/// A unit's roll-call list for a day (its attendance officers and HR).
pub async fn roll(
    State(state): State<AppState>,
    who: Who,
    Path(unit): Path<String>,
    Query(q): Query<crate::api::records::RollQuery>,
) -> PageResult {
    let tr = who.tr;
    let Json(r) =
        crate::api::records::unit_roll(State(state.clone()), who.caller.clone(), Path(unit.clone()), Query(q))
            .await
            .map_err(fail(tr))?;
    let unit_name = unit_name(&state, &unit).await;
    let people = r
        .people
        .into_iter()
        .map(|p| RollLineView {
            attended: p.attended.iter().map(|k| tr.code("rollcall", k)).collect::<Vec<_>>().join(", "),
            nip: p.nip,
            name: p.name,
            position: p.position,
        })
        .collect();
    let l = Layout::of(&who, tr.f1("roll-title", "unit", &unit_name), &format!("/roll/{unit}"));
    Ok(html(&RollPage { l, date: tr.day(&r.date), people }, StatusCode::OK))
}

async fn unit_name(state: &AppState, unit: &str) -> String {
    let Ok(m) = state.month(YearMonth::of(state.today())).await else { return unit.to_string() };
    m.read(|_, env| {
        env.version()
            .city
            .organisation
            .units()
            .iter()
            .find(|u| u.id.as_str() == unit)
            .map(|u| u.name.clone())
            .unwrap_or_else(|| unit.to_string())
    })
    .await
}

// ---------------------------------------------------------------- HR

struct MonthLine {
    month: String,
    value: String,
    closed: bool,
    closed_by: String,
    events: String,
    runs: usize,
}

#[derive(Template)]
#[template(path = "hr.html")]
struct HrPage {
    l: Layout,
    months: Vec<MonthLine>,
}

/// The months kept, their status, close and reopen (the API's four-eyes rule applies).
pub async fn hr_months(State(state): State<AppState>, who: Who) -> PageResult {
    hr_view(&state, &who, None, StatusCode::OK).await
}

async fn hr_view(state: &AppState, who: &Who, err: Option<String>, status: StatusCode) -> PageResult {
    let tr = who.tr;
    let Json(list) = hr::months(State(state.clone()), who.caller.clone()).await.map_err(fail(tr))?;
    let months = list
        .into_iter()
        .rev()
        .map(|m| {
            let ym = m.month.parse::<YearMonth>().ok();
            MonthLine {
                month: ym.map(|y| tr.month(&y)).unwrap_or_else(|| m.month.clone()),
                value: m.month,
                closed: m.closed,
                closed_by: m.closed_by.unwrap_or_default(),
                events: tr.num(&i64::try_from(m.events).unwrap_or(i64::MAX)),
                runs: m.payroll_runs,
            }
        })
        .collect();
    let mut l = Layout::of(who, tr.t("hr-title"), "/hr");
    l.err = err;
    Ok(html(&HrPage { l, months }, status))
}

/// Closes a month through the API.
pub async fn close_post(
    State(state): State<AppState>,
    who: Who,
    client: Client,
    Path(month): Path<String>,
) -> PageResult {
    match hr::close_month(State(state.clone()), who.caller.clone(), client, Path(month)).await {
        Ok(_) => Ok(see_other("/hr", "closed")),
        Err(e) => hr_view(&state, &who, Some(who.tr.error(&e)), e.status).await,
    }
}

/// The payment form's field: the checkbox allowing unverified policy values.
#[derive(Debug, Deserialize)]
pub struct PayForm {
    /// `on` when ticked.
    #[serde(default)]
    pub allow_unverified: Option<String>,
}

/// Stores the month's payment run through the API (a closed month only).
pub async fn pay_post(
    State(state): State<AppState>,
    who: Who,
    client: Client,
    Path(month): Path<String>,
    Form(form): Form<PayForm>,
) -> PageResult {
    // The box is ticked only when the officer accepts paying with policy values that
    // are not verified; the core refuses otherwise (409 `unverified_policy`).
    let request = hr::PayRequest { allow_unverified: form.allow_unverified.as_deref() == Some("on") };
    let _paid = hr::pay(State(state), who.caller.clone(), client, Path(month.clone()), Some(Json(request)))
        .await
        .map_err(fail(who.tr))?;
    Ok(see_other(&format!("/hr/{month}/payroll"), "paid"))
}

/// The reopen form's field.
#[derive(Debug, Deserialize)]
pub struct ReopenFields {
    #[serde(default)]
    reason: String,
}

/// Reopens a month through the API (another HR officer than the one who closed it).
pub async fn reopen_post(
    State(state): State<AppState>,
    who: Who,
    client: Client,
    Path(month): Path<String>,
    Form(f): Form<ReopenFields>,
) -> PageResult {
    let req = hr::ReopenRequest { reason: f.reason };
    match hr::reopen_month(State(state.clone()), who.caller.clone(), client, Path(month), Body(req)).await {
        Ok(_) => Ok(see_other("/hr", "reopened")),
        Err(e) => hr_view(&state, &who, Some(who.tr.error(&e)), e.status).await,
    }
}

fn unit_label(city: &City, unit: Option<&kinerja::UnitId>) -> String {
    unit.and_then(|u| city.organisation.unit(u)).map(|u| u.name.clone()).unwrap_or_else(|| "—".into())
}

fn dec_f64(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

struct UnitTotalLine {
    unit: String,
    count: String,
    gross: String,
    tax: String,
    net: String,
}

struct PayLine {
    nip: String,
    name: String,
    unit: String,
    gross: String,
    net: String,
}

#[derive(Template)]
#[template(path = "payroll.html")]
struct PayrollPage {
    l: Layout,
    month_value: String,
    final_: bool,
    projection: bool,
    paid_text: Option<String>,
    total: UnitTotalLine,
    units: Vec<UnitTotalLine>,
    lines: Vec<PayLine>,
    not_paid: Vec<(String, String, String)>,
    page: usize,
    pages: usize,
    showing: String,
    pager: String,
    unit_chart: String,
    distribution: String,
    q: String,
}

/// The payroll page asked for.
#[derive(Debug, Deserialize)]
pub struct PayrollPageQuery {
    #[serde(default)]
    projection: bool,
    #[serde(default)]
    page: Option<usize>,
    #[serde(default)]
    q: Option<String>,
}

/// Rows a payroll page shows.
pub const PAGE_SIZE: usize = 50;

/// The month's payroll: totals by unit (with a chart), the distribution of
/// allowances, the slips a page at a time, and the downloads.
pub async fn payroll(
    State(state): State<AppState>,
    who: Who,
    Path(month): Path<String>,
    Query(pq): Query<PayrollPageQuery>,
) -> PageResult {
    let tr = who.tr;
    let Json(v) = hr::payroll(
        State(state.clone()),
        who.caller.clone(),
        Path(month.clone()),
        Query(hr::PayrollQuery { projection: pq.projection }),
    )
    .await
    .map_err(fail(tr))?;
    let ym = api::month_of(&month).map_err(fail(tr))?;
    let env = state.month(ym).await.map_err(fail(tr))?.env().await;
    let city = &env.version().city;
    let p = &v.payroll;
    let totals = |unit: String, t: &kinerja::allowance::Totals| UnitTotalLine {
        unit,
        count: tr.count_of(&t.count),
        gross: tr.rp(&t.gross),
        tax: tr.rp(&t.tax),
        net: tr.rp(&t.net),
    };
    let units: Vec<UnitTotalLine> =
        p.units.iter().map(|u| totals(unit_label(city, u.unit.as_ref()), &u.totals)).collect();
    let unit_chart = svg::bars(
        &tr.t("payroll-chart-units"),
        &p.units
            .iter()
            .map(|u| Bar {
                label: unit_label(city, u.unit.as_ref()),
                value: dec_f64(u.totals.net.amount()),
                text: tr.rp(&u.totals.net),
            })
            .collect::<Vec<_>>(),
    );
    // The distribution of net allowances in ten equal bins from 0 to the largest.
    let max = p.slips.iter().map(|s| s.net.amount()).max().unwrap_or(Decimal::ZERO);
    let mut bins = [0usize; 10];
    if max > Decimal::ZERO {
        for s in &p.slips {
            let i = ((s.net.amount() / max) * Decimal::from(10)).floor().to_usize().unwrap_or(0).min(9);
            bins[i] += 1;
        }
    }
    let distribution = svg::columns(
        &tr.t("payroll-chart-distribution"),
        &bins
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let upper = max * Decimal::from(i + 1) / Decimal::from(10);
                Bar {
                    label: tr.f1("payroll-bin", "upper", &tr.dec(&(upper / Decimal::from(1_000_000)), 1)),
                    value: *n as f64,
                    text: tr.count_of(n),
                }
            })
            .collect::<Vec<_>>(),
    );
    // The slips, searched by NIP or name, a page at a time.
    let needle = pq.q.clone().unwrap_or_default().trim().to_lowercase();
    let org = &city.organisation;
    let matching: Vec<(usize, &Slip)> = p
        .slips
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            needle.is_empty()
                || s.employee.as_str().contains(&needle)
                || org.employee(&s.employee).is_some_and(|e| e.name.to_lowercase().contains(&needle))
        })
        .collect();
    let count = matching.len();
    let pages = count.div_ceil(PAGE_SIZE).max(1);
    let page = pq.page.unwrap_or(1).clamp(1, pages);
    let lines = matching
        .iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .map(|(i, s)| PayLine {
            nip: s.employee.to_string(),
            name: org.employee(&s.employee).map(|e| e.name.clone()).unwrap_or_default(),
            unit: unit_label(city, p.slip_units.get(*i).and_then(|u| u.as_ref())),
            gross: tr.rp(&s.gross),
            net: tr.rp(&s.net),
        })
        .collect();
    let not_paid = p
        .not_paid
        .iter()
        .map(|n| {
            (
                n.employee.to_string(),
                org.employee(&n.employee).map(|e| e.name.clone()).unwrap_or_default(),
                tr.code("notpaid", &n.code),
            )
        })
        .chain(p.failures.iter().map(|f| {
            (
                f.employee.to_string(),
                org.employee(&f.employee).map(|e| e.name.clone()).unwrap_or_default(),
                f.message.clone(),
            )
        }))
        .collect();
    let ym_text = tr.month(&ym);
    let page = PayrollPage {
        l: Layout::of(&who, tr.f1("payroll-title", "month", &ym_text), "/hr"),
        month_value: month,
        final_: v.final_,
        projection: pq.projection,
        paid_text: v.paid_run.map(|r| {
            let run = tr.f1("payroll-paid-run", "run", &r.to_string());
            match v.matches_paid {
                Some(true) => format!("{run} ✓ {}", tr.t("payroll-matches")),
                Some(false) => format!("{run} ✗ {}", tr.t("payroll-differs")),
                None => run,
            }
        }),
        total: totals(tr.t("payroll-city"), &p.city),
        units,
        lines,
        not_paid,
        page,
        pages,
        showing: tr.f(
            "payroll-showing",
            &[
                ("first", &tr.count_of(&if count == 0 { 0 } else { (page - 1) * PAGE_SIZE + 1 })),
                ("last", &tr.count_of(&(page * PAGE_SIZE).min(count))),
                ("count", &tr.count_of(&count)),
            ],
        ),
        pager: tr.f("pager-of", &[("page", &page.to_string()), ("pages", &pages.to_string())]),
        unit_chart,
        distribution,
        q: pq.q.unwrap_or_default(),
    };
    Ok(html(&page, StatusCode::OK))
}

#[derive(Template)]
#[template(path = "slip.html")]
struct SlipPage {
    l: Layout,
    month: String,
    name: String,
    nip: String,
    unit: String,
    final_: bool,
    s: SlipView,
    hash: String,
}

/// One employee's slip, every line explained; printable.
pub async fn slip(
    State(state): State<AppState>,
    who: Who,
    Path((month, nip)): Path<(String, String)>,
    Query(pq): Query<PayrollPageQuery>,
) -> PageResult {
    let tr = who.tr;
    let Json(v) = hr::payroll(
        State(state.clone()),
        who.caller.clone(),
        Path(month.clone()),
        Query(hr::PayrollQuery { projection: pq.projection }),
    )
    .await
    .map_err(fail(tr))?;
    let ym = api::month_of(&month).map_err(fail(tr))?;
    let nip = api::nip_of(&nip).map_err(fail(tr))?;
    let p = &v.payroll;
    let Some(i) = p.slips.iter().position(|s| s.employee == nip) else {
        let e = p
            .not_paid
            .iter()
            .find(|n| n.employee == nip)
            .map(|n| ApiError::conflict(&n.code, n.reason.clone()))
            .unwrap_or_else(|| ApiError::not_found("employee", &nip));
        return Err(error_page(tr, &e));
    };
    let s = &p.slips[i];
    let env = state.month(ym).await.map_err(fail(tr))?.env().await;
    let city = &env.version().city;
    let page = SlipPage {
        l: Layout::of(&who, tr.f1("slip-title", "month", &tr.month(&ym)), "/hr"),
        month: tr.month(&ym),
        name: city.organisation.employee(&nip).map(|e| e.name.clone()).unwrap_or_default(),
        nip: nip.to_string(),
        unit: unit_label(city, p.slip_units.get(i).and_then(|u| u.as_ref())),
        final_: v.final_,
        s: slip_view(tr, s),
        hash: s.content_hash.clone(),
    };
    Ok(html(&page, StatusCode::OK))
}

struct UnitLine {
    unit: String,
    employees: String,
    achievement: String,
    positions: String,
    required: String,
    headcount: String,
    gap: String,
    understaffed: bool,
    grade: String,
}

#[derive(Template)]
#[template(path = "units.html")]
struct UnitsPage {
    l: Layout,
    month_value: String,
    units: Vec<UnitLine>,
    chart: String,
}

/// The units: the month's achievement (from the recap) and the workload
/// analysis (efficiency grade, staffing gap), with a chart of achievement.
pub async fn hr_units(State(state): State<AppState>, who: Who, Path(month): Path<String>) -> PageResult {
    let tr = who.tr;
    let resp = hr::recap(State(state.clone()), who.caller.clone(), Path(month.clone())).await.map_err(fail(tr))?;
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .map_err(|e| error_page(tr, &ApiError::internal(e.to_string())))?;
    let recap: RecapUnits =
        serde_json::from_slice(&bytes).map_err(|e| error_page(tr, &ApiError::internal(e.to_string())))?;
    let ym = api::month_of(&month).map_err(fail(tr))?;
    let env = state.month(ym).await.map_err(fail(tr))?.env().await;
    let v = env.version();
    let org = &v.city.organisation;
    let on = api::judged_on(&state, ym);
    let analysis = kinerja::abk::AbkParams::from_policy(&v.policy, on)
        .ok()
        .and_then(|p| kinerja::abk::analyse(org.units(), org.positions(), |id| org.headcount(id, on), &p.params).ok());
    let units: Vec<UnitLine> = recap
        .units
        .iter()
        .map(|u| {
            let w = analysis.as_ref().and_then(|a| a.units.iter().find(|w| w.unit.as_str() == u.unit));
            UnitLine {
                unit: org
                    .units()
                    .iter()
                    .find(|x| x.id.as_str() == u.unit)
                    .map(|x| x.name.clone())
                    .unwrap_or_else(|| u.unit.clone()),
                employees: tr.num(&i64::from(u.employees)),
                achievement: u.mean_achievement_percent.map(|p| tr.pct(&p)).unwrap_or_else(|| "—".into()),
                positions: w.map(|w| tr.num(&i64::from(w.positions))).unwrap_or_default(),
                required: w.map(|w| tr.dec(&w.required_staff, 1)).unwrap_or_default(),
                headcount: w.map(|w| tr.num(&i64::from(w.headcount))).unwrap_or_default(),
                gap: w.map(|w| tr.dec(&w.gap, 1)).unwrap_or_default(),
                understaffed: w.is_some_and(|w| w.gap > Decimal::ZERO),
                grade: w.and_then(|w| w.grade).map(|g| format!("{g:?}")).unwrap_or_else(|| "—".into()),
            }
        })
        .collect();
    let chart = svg::bars(
        &tr.t("units-chart"),
        &recap
            .units
            .iter()
            .zip(&units)
            .map(|(u, l)| Bar {
                label: l.unit.clone(),
                value: u.mean_achievement_percent.map(dec_f64).unwrap_or(0.0),
                text: l.achievement.clone(),
            })
            .collect::<Vec<_>>(),
    );
    let l = Layout::of(&who, tr.f1("units-title", "month", &tr.month(&ym)), "/hr");
    Ok(html(&UnitsPage { l, month_value: month, units, chart }, StatusCode::OK))
}

/// The part of the recap's JSON the units page reads.
#[derive(Debug, Deserialize)]
struct RecapUnits {
    units: Vec<RecapUnit>,
}

#[derive(Debug, Deserialize)]
struct RecapUnit {
    unit: String,
    employees: u32,
    mean_achievement_percent: Option<Decimal>,
}

struct DeltaLine {
    unit: String,
    before: String,
    after: String,
    change: String,
    up: bool,
}

#[derive(Template)]
#[template(path = "whatif.html")]
struct WhatIfPage {
    l: Layout,
    month_value: String,
    draft: String,
    lines: Vec<DeltaLine>,
    total: Option<DeltaLine>,
    chart: String,
}

/// The what-if form: a draft policy layer (TOML) to compare with the month's policy.
pub async fn what_if_page(who: Who, Path(month): Path<String>) -> PageResult {
    let tr = who.tr;
    let ym = api::month_of(&month).map_err(fail(tr))?;
    let page = WhatIfPage {
        l: Layout::of(&who, tr.f1("whatif-title", "month", &tr.month(&ym)), "/hr"),
        month_value: month,
        draft: String::new(),
        lines: Vec::new(),
        total: None,
        chart: String::new(),
    };
    Ok(html(&page, StatusCode::OK))
}

/// The what-if form's field.
#[derive(Debug, Deserialize)]
pub struct WhatIfFields {
    #[serde(default)]
    draft: String,
}

#[derive(Debug, Deserialize)]
struct WhatIfAnswer {
    units: std::collections::BTreeMap<String, kinerja::allowance::Delta>,
    comparison: WhatIfTotals,
}

#[derive(Debug, Deserialize)]
struct WhatIfTotals {
    total: kinerja::allowance::Delta,
}

/// Compares the month paid under its policy and under the draft, by unit, through the API.
pub async fn what_if_post(
    State(state): State<AppState>,
    who: Who,
    Path(month): Path<String>,
    Form(f): Form<WhatIfFields>,
) -> PageResult {
    let tr = who.tr;
    let ym = api::month_of(&month).map_err(fail(tr))?;
    let layer = crate::state::StoredLayer { source: "draft".into(), toml: f.draft.clone() };
    let req = hr::WhatIfRequest { layers: vec![layer] };
    let mut page = WhatIfPage {
        l: Layout::of(&who, tr.f1("whatif-title", "month", &tr.month(&ym)), "/hr"),
        month_value: month.clone(),
        draft: f.draft,
        lines: Vec::new(),
        total: None,
        chart: String::new(),
    };
    let resp = match hr::what_if(State(state.clone()), who.caller.clone(), Path(month), Body(req)).await {
        Ok(r) => r,
        Err(e) => {
            page.l.err = Some(tr.error(&e));
            return Ok(html(&page, e.status));
        }
    };
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .map_err(|e| error_page(tr, &ApiError::internal(e.to_string())))?;
    let w: WhatIfAnswer =
        serde_json::from_slice(&bytes).map_err(|e| error_page(tr, &ApiError::internal(e.to_string())))?;
    let env = state.month(ym).await.map_err(fail(tr))?.env().await;
    let org = &env.version().city.organisation;
    let line = |unit: String, d: &kinerja::allowance::Delta| DeltaLine {
        unit,
        before: tr.rp(&d.net.before),
        after: tr.rp(&d.net.after),
        change: tr.rp(&d.net.delta),
        up: d.net.delta.amount() >= Decimal::ZERO,
    };
    page.lines = w
        .units
        .iter()
        .map(|(u, d)| {
            let name =
                org.units().iter().find(|x| x.id.as_str() == u).map(|x| x.name.clone()).unwrap_or_else(|| u.clone());
            line(name, d)
        })
        .collect();
    page.chart = svg::bars(
        &tr.t("whatif-chart"),
        &w.units
            .values()
            .zip(&page.lines)
            .map(|(d, l)| Bar { label: l.unit.clone(), value: dec_f64(d.net.delta.amount()), text: l.change.clone() })
            .collect::<Vec<_>>(),
    );
    page.total = Some(line(tr.t("payroll-city"), &w.comparison.total));
    Ok(html(&page, StatusCode::OK))
}
