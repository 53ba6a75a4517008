//! HR pages of the rest of Banda Aceh's system: budget absorption by unit, the
//! readiness verdicts, the awards; each with a chart drawn on the server (SVG) beside
//! its table. They read the API's answers (`/api/months/{month}/budget`, `readiness`,
//! `awards`), which check the caller's right to read the city.

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum_extra::extract::Form;
use kinerja::insights::NominationCategory;
use kinerja::insights::awards::Awards;
use kinerja::insights::budget::BudgetReport;
use kinerja::insights::readiness::{UnitRollout, Verdict};
use kinerja::money::Money;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::i18n::Tr;
use super::svg::{self, Bar};
use super::{Layout, Who, error_page, html, see_other};
use crate::api::{self, Body, Client, Path, Query, insights};
use crate::error::ApiError;
use crate::state::AppState;

type PageResult = Result<Response, Response>;

fn fail(tr: Tr) -> impl Fn(ApiError) -> Response {
    move |e| error_page(tr, &e)
}

fn parse<T: DeserializeOwned>(tr: Tr, v: serde_json::Value) -> Result<T, Response> {
    serde_json::from_value(v).map_err(|e| error_page(tr, &ApiError::internal(e.to_string())))
}

fn f64_of(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

fn unit_name(city: Option<&kinerja::dataset::City>, id: &kinerja::UnitId) -> String {
    city.and_then(|c| c.organisation.unit(id)).map_or_else(|| id.to_string(), |u| u.name.clone())
}

async fn city_of(state: &AppState, month: &str) -> Option<std::sync::Arc<crate::months::CityVersion>> {
    let ym = api::month_of(month).ok()?;
    let m = state.month_to_read(ym).await.ok()?;
    Some(m.env().await.version().clone())
}

struct BudgetLine {
    unit: String,
    ceiling: String,
    realised: String,
    absorption: String,
    deviation: String,
    progress: String,
    behind: bool,
}

#[derive(Template)]
#[template(path = "insights_budget.html")]
struct BudgetPage {
    l: Layout,
    lines: Vec<BudgetLine>,
    city: BudgetLine,
    chart: String,
    note: String,
}

#[derive(Deserialize)]
struct BudgetAnswer {
    report: BudgetReport,
}

/// Budget absorption by unit through the month (Resume APBD).
pub async fn budget(State(state): State<AppState>, who: Who, Path(month): Path<String>) -> PageResult {
    let tr = who.tr;
    let Json(v) =
        insights::budget(State(state.clone()), who.caller.clone(), Path(month.clone())).await.map_err(fail(tr))?;
    let answer: BudgetAnswer = parse(tr, v)?;
    let r = answer.report;
    let version = city_of(&state, &month).await;
    let city = version.as_ref().map(|v| &v.city);
    let line = |name: String, f: &kinerja::insights::budget::Figures| BudgetLine {
        unit: name,
        ceiling: tr.rp(&f.ceiling),
        realised: tr.rp(&f.realised),
        absorption: f.absorption_percent.map_or_else(|| "—".into(), |p| tr.pct(&p)),
        deviation: f.deviation_percent.map_or_else(|| "—".into(), |p| tr.pct(&p)),
        progress: f.progress_percent.map_or_else(|| "—".into(), |p| tr.pct(&p)),
        behind: f.behind,
    };
    let lines: Vec<BudgetLine> = r.units.iter().map(|u| line(unit_name(city, &u.unit), &u.figures)).collect();
    let chart = svg::bars_to(
        &tr.t("budget-chart"),
        &r.units
            .iter()
            .zip(&lines)
            .map(|(u, l)| Bar {
                label: l.unit.clone(),
                value: u.figures.absorption_percent.map(f64_of).unwrap_or(0.0),
                text: l.absorption.clone(),
            })
            .collect::<Vec<_>>(),
        100.0,
    );
    let city_line = line(tr.t("budget-city"), &r.city);
    let note = tr.f1("budget-note", "threshold", &tr.pct(&r.behind_plan_percent));
    let ym = api::month_of(&month).map_err(fail(tr))?;
    let l = Layout::of(&who, tr.f1("budget-title", "month", &tr.month(&ym)), "/hr");
    Ok(html(&BudgetPage { l, lines, city: city_line, chart, note }, StatusCode::OK))
}

struct ReadinessLine {
    unit: String,
    unit_id: String,
    shadow_month: String,
    go_live_value: String,
    ready: bool,
    unmet: String,
    evidence: String,
    electronic: String,
    go_live: String,
    pays: bool,
}

#[derive(Template)]
#[template(path = "insights_readiness.html")]
struct ReadinessPage {
    l: Layout,
    month: String,
    lines: Vec<ReadinessLine>,
    chart: String,
    summary: String,
}

#[derive(Deserialize)]
struct ReadinessUnit {
    verdict: Verdict,
    rollout: Option<UnitRollout>,
    pays: bool,
}

#[derive(Deserialize)]
struct ReadinessAnswer {
    units: Vec<ReadinessUnit>,
}

/// The six readiness requirements per unit, the go-live dates and who pays this month.
pub async fn readiness(State(state): State<AppState>, who: Who, Path(month): Path<String>) -> PageResult {
    let month_value = month.clone();
    let tr = who.tr;
    let Json(v) =
        insights::readiness(State(state.clone()), who.caller.clone(), Path(month.clone())).await.map_err(fail(tr))?;
    let answer: ReadinessAnswer = parse(tr, v)?;
    let version = city_of(&state, &month).await;
    let city = version.as_ref().map(|v| &v.city);
    let lines: Vec<ReadinessLine> = answer
        .units
        .iter()
        .map(|u| ReadinessLine {
            unit: unit_name(city, &u.verdict.unit),
            unit_id: u.verdict.unit.to_string(),
            shadow_month: u.rollout.as_ref().and_then(|r| r.shadow_month).map_or_else(String::new, |m| m.to_string()),
            go_live_value: u.rollout.as_ref().and_then(|r| r.go_live).map_or_else(String::new, |d| d.to_string()),
            ready: u.verdict.ready,
            unmet: u
                .verdict
                .unmet
                .iter()
                .map(|x| tr.t(&format!("readiness-req-{}", x.requirement.as_str().replace('_', "-"))))
                .collect::<Vec<_>>()
                .join(", "),
            evidence: u
                .verdict
                .unmet
                .iter()
                .map(|x| {
                    let more = x.evidence.len().saturating_sub(3);
                    let shown = x.evidence.iter().take(3).cloned().collect::<Vec<_>>().join("; ");
                    if more > 0 { format!("{shown} (+{more})") } else { shown }
                })
                .collect::<Vec<_>>()
                .join(" | "),
            electronic: u.verdict.electronic_attendance_percent.map_or_else(|| "—".into(), |p| tr.pct(&p)),
            go_live: u.rollout.as_ref().and_then(|r| r.go_live).map_or_else(|| "—".into(), |d| tr.date(&d)),
            pays: u.pays,
        })
        .collect();
    // The chart: requirements met (0-6) per unit.
    let chart = svg::bars_to(
        &tr.t("readiness-chart"),
        &answer
            .units
            .iter()
            .zip(&lines)
            .map(|(u, l)| {
                let met = 6 - u.verdict.unmet.len() as i64;
                Bar { label: l.unit.clone(), value: met as f64, text: format!("{met}/6") }
            })
            .collect::<Vec<_>>(),
        6.0,
    );
    let ready = lines.iter().filter(|l| l.ready).count() as i64;
    let summary = tr.f("readiness-summary", &[("ready", &tr.num(&ready)), ("units", &tr.num(&(lines.len() as i64)))]);
    let ym = api::month_of(&month).map_err(fail(tr))?;
    let l = Layout::of(&who, tr.f1("readiness-title", "month", &tr.month(&ym)), "/hr");
    Ok(html(&ReadinessPage { l, month: month_value, lines, chart, summary }, StatusCode::OK))
}

struct AwardLine {
    rank: usize,
    who: String,
    detail: String,
    score: String,
}

struct AwardGroup {
    title: String,
    lines: Vec<AwardLine>,
}

struct NominationLine {
    id: String,
    category: String,
    who: String,
    title: String,
    scores: String,
}

#[derive(Template)]
#[template(path = "insights_awards.html")]
struct AwardsPage {
    l: Layout,
    month: String,
    year: i32,
    groups: Vec<AwardGroup>,
    nominations: Vec<NominationLine>,
    chart: String,
    note: String,
}

#[derive(Deserialize)]
struct AwardsAnswer {
    months: Vec<String>,
    nominations: Vec<kinerja::insights::Nomination>,
    awards: Awards,
}

/// The awards of the month's year: three winners per category, Best Performance
/// scored line by line.
pub async fn awards(State(state): State<AppState>, who: Who, Path(month): Path<String>) -> PageResult {
    let month_value = month.clone();
    let tr = who.tr;
    let Json(v) =
        insights::awards_of(State(state.clone()), who.caller.clone(), Path(month.clone())).await.map_err(fail(tr))?;
    let answer: AwardsAnswer = parse(tr, v)?;
    let a = &answer.awards;
    let version = city_of(&state, &month).await;
    let name = |nip: &kinerja::nip::Nip| {
        version
            .as_ref()
            .and_then(|v| v.city.organisation.employee(nip))
            .map_or_else(|| nip.to_string(), |e| format!("{} ({})", e.name, nip))
    };
    let perf = AwardGroup {
        title: tr.t("awards-performance"),
        lines: a
            .performance_winners()
            .iter()
            .enumerate()
            .map(|(i, s)| AwardLine {
                rank: i + 1,
                who: name(&s.employee),
                detail: tr.f(
                    "awards-performance-line",
                    &[
                        ("achievement", &tr.pct(&s.achievement)),
                        ("apoints", &tr.dec(&s.achievement_points, 2)),
                        ("presence", &tr.pct(&s.presence)),
                        ("ppoints", &tr.dec(&s.presence_points, 2)),
                    ],
                ),
                score: tr.dec(&s.score, 2),
            })
            .collect(),
    };
    let nominated = |title: String, list: &[kinerja::insights::awards::NominationScore]| AwardGroup {
        title,
        lines: list
            .iter()
            .enumerate()
            .map(|(i, n)| AwardLine {
                rank: i + 1,
                who: name(&n.employee),
                detail: n.title.clone(),
                score: tr.dec(&n.score, 2),
            })
            .collect(),
    };
    let groups = vec![
        perf,
        nominated(tr.t("awards-service"), a.service_winners()),
        nominated(tr.t("awards-innovative"), a.innovative_winners()),
    ];
    let chart = svg::bars(
        &tr.t("awards-chart"),
        &a.performance
            .iter()
            .take(10)
            .map(|s| Bar { label: name(&s.employee), value: f64_of(s.score), text: tr.dec(&s.score, 2) })
            .collect::<Vec<_>>(),
    );
    let note = tr.f(
        "awards-note",
        &[
            ("achievement", &tr.dec(&a.weights.achievement, 0)),
            ("discipline", &tr.dec(&a.weights.discipline, 0)),
            ("months", &tr.num(&(answer.months.len() as i64))),
        ],
    );
    let nominations = nomination_lines(tr, version.as_ref().map(|v| &v.city), &answer.nominations);
    let ym = api::month_of(&month).map_err(fail(tr))?;
    let l = Layout::of(&who, tr.f1("awards-title", "year", &ym.year().to_string()), "/hr");
    Ok(html(&AwardsPage { l, month: month_value, year: ym.year(), groups, nominations, chart, note }, StatusCode::OK))
}

/// The go-live form of a unit (on the readiness page).
#[derive(Debug, Deserialize)]
pub struct RolloutForm {
    /// The unit.
    pub unit: String,
    /// Its shadow month (`YYYY-MM`), may be empty.
    #[serde(default)]
    pub shadow_month: String,
    /// Its go-live date (`YYYY-MM-DD`), empty: not live yet.
    #[serde(default)]
    pub go_live: String,
}

/// Records a unit's shadow month and go-live date through the API (an HR officer).
pub async fn rollout_post(
    State(state): State<AppState>,
    who: Who,
    client: Client,
    Path(month): Path<String>,
    Form(form): Form<RolloutForm>,
) -> PageResult {
    let req = insights::RolloutRecord {
        unit: form.unit,
        shadow_month: Some(form.shadow_month.trim().to_string()).filter(|s| !s.is_empty()),
        go_live: Some(form.go_live.trim().to_string()).filter(|s| !s.is_empty()),
    };
    let _stored =
        insights::record_rollout(State(state), who.caller.clone(), client, Body(req)).await.map_err(fail(who.tr))?;
    Ok(see_other(&format!("/hr/{month}/readiness"), "rollout"))
}

/// The nomination form (on the awards page).
#[derive(Debug, Deserialize)]
pub struct NominationForm {
    /// Its id.
    pub id: String,
    /// `service` or `innovative`.
    pub category: String,
    /// The nominee's NIP.
    pub employee: String,
    /// What for.
    pub title: String,
}

/// Records a nomination through the API (an HR officer), for the page's year.
pub async fn nominate_post(
    State(state): State<AppState>,
    who: Who,
    client: Client,
    Path(month): Path<String>,
    Form(form): Form<NominationForm>,
) -> PageResult {
    let tr = who.tr;
    let ym = api::month_of(&month).map_err(fail(tr))?;
    let category = match form.category.as_str() {
        "innovative" => NominationCategory::Innovative,
        _ => NominationCategory::Service,
    };
    let req = insights::NominationRecord {
        id: form.id.trim().to_string(),
        year: ym.year(),
        category,
        employee: form.employee.trim().to_string(),
        title: form.title,
    };
    let _stored = insights::nominate(State(state), who.caller.clone(), client, Body(req)).await.map_err(fail(tr))?;
    Ok(see_other(&format!("/hr/{month}/awards"), "nominated"))
}

/// A panel member's score form.
#[derive(Debug, Deserialize)]
pub struct ScoreForm {
    /// The score, 0..100.
    pub score: String,
}

/// Records the signed-in panel member's score through the API.
pub async fn score_post(
    State(state): State<AppState>,
    who: Who,
    client: Client,
    Path(id): Path<String>,
    Form(form): Form<ScoreForm>,
) -> PageResult {
    let req = insights::ScoreRecord { score: form.score.trim().replace(',', ".") };
    let _stored =
        insights::score(State(state), who.caller.clone(), client, Path(id), Body(req)).await.map_err(fail(who.tr))?;
    Ok(see_other("/panel", "scored"))
}

#[derive(Template)]
#[template(path = "insights_panel.html")]
struct PanelPage {
    l: Layout,
    nominations: Vec<NominationLine>,
}

#[derive(Deserialize)]
struct NominationsAnswer {
    nominations: Vec<kinerja::insights::Nomination>,
}

/// The awards panel's page: this year's nominations, each with a score form.
pub async fn panel(State(state): State<AppState>, who: Who) -> PageResult {
    let tr = who.tr;
    let q = insights::NominationsQuery { year: None };
    let Json(v) = insights::nominations(State(state.clone()), who.caller.clone(), Query(q)).await.map_err(fail(tr))?;
    let a: NominationsAnswer = parse(tr, v)?;
    let month = kinerja::YearMonth::of(state.today()).to_string();
    let version = city_of(&state, &month).await;
    let nominations = nomination_lines(tr, version.as_ref().map(|v| &v.city), &a.nominations);
    let l =
        Layout::of(&who, tr.f1("panel-title", "year", &chrono::Datelike::year(&state.today()).to_string()), "/panel");
    Ok(html(&PanelPage { l, nominations }, StatusCode::OK))
}

fn nomination_lines(
    tr: Tr,
    city: Option<&kinerja::dataset::City>,
    list: &[kinerja::insights::Nomination],
) -> Vec<NominationLine> {
    list.iter()
        .map(|n| NominationLine {
            id: n.id.clone(),
            category: tr.t(match n.category {
                NominationCategory::Service => "awards-service",
                NominationCategory::Innovative => "awards-innovative",
            }),
            who: city
                .and_then(|c| c.organisation.employee(&n.employee))
                .map_or_else(|| n.employee.to_string(), |e| format!("{} ({})", e.name, n.employee)),
            title: n.title.clone(),
            scores: if n.panel_scores.is_empty() {
                "—".into()
            } else {
                n.panel_scores.iter().map(|s| tr.dec(s, 2)).collect::<Vec<_>>().join(" · ")
            },
        })
        .collect()
}

#[derive(Deserialize)]
struct ShadowTotals {
    count: usize,
    gross: Money,
    net: Money,
}

#[derive(Deserialize)]
struct ShadowRunAnswer {
    verdict: Verdict,
    totals: ShadowTotals,
    failures: Vec<(kinerja::nip::Nip, String)>,
}

#[derive(Deserialize)]
struct ShadowAnswer {
    rollout: Option<UnitRollout>,
    pays: bool,
    shadow: ShadowRunAnswer,
}

#[derive(Template)]
#[template(path = "insights_shadow.html")]
struct ShadowPage {
    l: Layout,
    month: String,
    ready: bool,
    unmet: String,
    slips: String,
    gross: String,
    net: String,
    failures: String,
    go_live: String,
    pays: bool,
}

/// A unit's shadow month: what the month would pay its employees, paid nothing.
pub async fn shadow(
    State(state): State<AppState>,
    who: Who,
    Path(month): Path<String>,
    Query(q): Query<insights::ShadowQuery>,
) -> PageResult {
    let tr = who.tr;
    let unit = q.unit.clone();
    let Json(v) = insights::shadow(State(state.clone()), who.caller.clone(), Path(month.clone()), Query(q))
        .await
        .map_err(fail(tr))?;
    let a: ShadowAnswer = parse(tr, v)?;
    let version = city_of(&state, &month).await;
    let name = unit_name(version.as_ref().map(|v| &v.city), &kinerja::UnitId::from(unit.as_str()));
    let ym = api::month_of(&month).map_err(fail(tr))?;
    let title = tr.f("shadow-title", &[("unit", &name), ("month", &tr.month(&ym))]);
    let l = Layout::of(&who, title, "/hr");
    let page = ShadowPage {
        l,
        month,
        ready: a.shadow.verdict.ready,
        unmet: a
            .shadow
            .verdict
            .unmet
            .iter()
            .map(|x| tr.t(&format!("readiness-req-{}", x.requirement.as_str().replace('_', "-"))))
            .collect::<Vec<_>>()
            .join(", "),
        slips: tr.count_of(&a.shadow.totals.count),
        gross: tr.rp(&a.shadow.totals.gross),
        net: tr.rp(&a.shadow.totals.net),
        failures: tr.count_of(&a.shadow.failures.len()),
        go_live: a.rollout.and_then(|r| r.go_live).map_or_else(|| "—".into(), |d| tr.date(&d)),
        pays: a.pays,
    };
    Ok(html(&page, StatusCode::OK))
}
