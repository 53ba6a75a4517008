//! HR pages of the rest of Banda Aceh's system: budget absorption by unit, the
//! readiness verdicts, the awards; each with a chart drawn on the server (SVG) beside
//! its table. They read the API's answers (`/api/months/{month}/budget`, `readiness`,
//! `awards`), which check the caller's right to read the city.

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kinerja::insights::awards::Awards;
use kinerja::insights::budget::BudgetReport;
use kinerja::insights::readiness::{UnitRollout, Verdict};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::i18n::Tr;
use super::svg::{self, Bar};
use super::{Layout, Who, error_page, html};
use crate::api::{self, Path, insights};
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
    Ok(html(&ReadinessPage { l, lines, chart, summary }, StatusCode::OK))
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

#[derive(Template)]
#[template(path = "insights_awards.html")]
struct AwardsPage {
    l: Layout,
    groups: Vec<AwardGroup>,
    chart: String,
    note: String,
}

#[derive(Deserialize)]
struct AwardsAnswer {
    months: Vec<String>,
    awards: Awards,
}

/// The awards of the month's year: three winners per category, Best Performance
/// scored line by line.
pub async fn awards(State(state): State<AppState>, who: Who, Path(month): Path<String>) -> PageResult {
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
    let ym = api::month_of(&month).map_err(fail(tr))?;
    let l = Layout::of(&who, tr.f1("awards-title", "year", &ym.year().to_string()), "/hr");
    Ok(html(&AwardsPage { l, groups, chart, note }, StatusCode::OK))
}
