//! Demo mode: a database holding a generated city the size of Banda Aceh
//! (39 units, 5,925 employees) with last month simulated, closed and paid, and
//! accounts with one known password, so that a person can sign in as an
//! employee, a supervisor or an HR officer and look around.
//!
//! A database remembers whether demo mode made it (`meta.mode`); demo mode is
//! refused on any other database, and a production database never gets demo
//! passwords.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use kinerja::YearMonth;
use kinerja::access::OfficerRole;
use kinerja::generator::{GeneratorConfig, generate};
use kinerja::ledger::MonthContext;

use crate::api::hr::{import_dataset_text, import_policy_layers, slips_digest};
use crate::error::ApiError;
use crate::months::event_row;
use crate::state::AppState;
use crate::store::{MonthRow, PayrollRunRow};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "demo-kinerja-2026";

/// What the demo made, to print.
#[derive(Debug, Clone)]
pub struct DemoCity {
    /// The month simulated, closed and paid (none in January).
    pub history: Option<YearMonth>,
    /// Events stored for it.
    pub events: u64,
    /// Sign-ins to try: (role, actor, name).
    pub sign_ins: Vec<(String, String, String)>,
    /// A clock machine's id and bearer token.
    pub device_token: Option<(String, String)>,
    /// Bearer tokens minted for load tests: (actor, token), when asked for.
    pub tokens: Vec<(String, String)>,
}

/// The database's mode: `demo`, `production`, or `None` when new.
pub async fn mode(state: &AppState) -> Result<Option<String>, ApiError> {
    Ok(state.store.meta("mode").await?)
}

/// Fills a new database with the demo city. `employees` and `units` scale it
/// (the defaults are Banda Aceh's); `tokens_for_all` also mints a bearer token for
/// every employee and device (for load tests; printed to a file by the caller).
pub async fn build(
    state: &AppState,
    units: usize,
    employees: usize,
    tokens_for_all: bool,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<DemoCity, ApiError> {
    if mode(state).await?.is_some() {
        return Err(ApiError::conflict("not_a_new_database", "the demo city is built in a new database only"));
    }
    state.store.set_meta("mode", "demo").await?;
    let today = state.today();
    progress(&format!("generating a city of {employees} employees in {units} units"));
    let config = GeneratorConfig { seed: 1, units, employees, year: today.year() };
    let dataset = generate(&config)?;
    let json = dataset.to_json();
    import_policy_layers(state, true, &[], "demo").await?;
    let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    import_dataset_text(state, &json, year_start, "demo").await?;

    // Accounts: one password for everyone (hashed once).
    progress("creating the accounts");
    let hash = crate::auth::hash_password(DEMO_PASSWORD.to_string()).await?;
    let version = state.version(1, 1).await?;
    let city = &version.city;
    let now = state.now_text();
    let mut actors: Vec<String> = city.organisation.employees().iter().map(|e| e.nip.to_string()).collect();
    actors.extend(city.access().authorities.officials().iter().map(|o| format!("official:{}", o.id)));
    for a in &actors {
        let mut row = crate::api::session::blank_account(a, &now);
        row.password_hash = Some(hash.clone());
        state.store.put_account(&row).await?;
    }

    // Last month: simulated through the core (every command checked), closed by
    // an HR officer, stored as rows, and paid.
    let this = YearMonth::of(today);
    let history = this.prev().ok().filter(|m| m.year() == today.year());

    // Budgets, plans, the roll-out and nominations, generated to the month before.
    progress("storing generated budgets, plans, roll-out and nominations");
    seed_insights(state, &dataset, history.unwrap_or(this)).await?;
    let mut events = 0u64;
    if let Some(month) = history {
        progress(&format!("simulating {month} (every command checked by the core)"));
        state
            .store
            .put_month(&MonthRow {
                month: month.to_string(),
                dataset_version: 1,
                policy_version: 1,
                opened_at: now.clone(),
            })
            .await?;
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<kinerja::ledger::Event>>(4);
        let store = state.store.clone();
        let key = month.to_string();
        let writer = tokio::spawn(async move {
            let mut n = 0u64;
            while let Some(batch) = rx.recv().await {
                let rows = batch.iter().map(event_row).collect::<Result<Vec<_>, _>>()?;
                store.append(&key, &rows, &[]).await?;
                n += rows.len() as u64;
            }
            Ok::<u64, ApiError>(n)
        });
        let v = version.clone();
        let report = tokio::task::spawn_blocking(move || -> Result<kinerja::simulate::SimulationReport, ApiError> {
            let ctx = MonthContext::new(&v.city, &v.policy, month)?;
            let mut batch = Vec::with_capacity(10_000);
            let simulated = kinerja::simulate::simulate_month_streaming(&ctx, 1, true, |e| {
                batch.push(e.clone());
                if batch.len() >= 10_000 {
                    tx.blocking_send(std::mem::take(&mut batch)).map_err(|_| "the store writer stopped")?;
                }
                Ok::<(), &str>(())
            })?;
            let (_ledger, report) = simulated.map_err(ApiError::unavailable)?;
            if !batch.is_empty() {
                tx.blocking_send(batch).map_err(|_| ApiError::unavailable("the store writer stopped"))?;
            }
            Ok(report)
        })
        .await
        .map_err(|e| ApiError::internal(e.to_string()))??;
        events = writer.await.map_err(|e| ApiError::internal(e.to_string()))??;
        progress(&format!(
            "stored {events} events ({} commands refused by the rules, as in life)",
            report.refused.values().sum::<u64>()
        ));

        // Pay it, as HR would (units not live yet are held, as the API's payroll does).
        progress(&format!("paying {month}"));
        let rollout = state.store.rollout().await?;
        let m = state.month(month).await?;
        let run = m
            .read(|l, env| -> Result<PayrollRunRow, ApiError> {
                let ctx = env.ctx();
                let recap = kinerja::recap::monthly_recap(l, ctx, ctx.settled_on())?;
                kinerja::payroll::payable(&recap)?;
                // The national baseline's values are recalled or illustrative, not
                // verified: the demo's HR officer pays with that permission given,
                // as `POST .../payroll {"allow_unverified": true}` would, and every
                // slip records the values (slip version 3).
                let allowed = kinerja::payroll::PayOptions { allow_unverified: true };
                let mut p =
                    kinerja::payroll::pay_city_with(&env.version().city, ctx, &recap, &env.version().policy, &allowed)?;
                kinerja::payroll::hold_before_go_live(&mut p, &rollout)?;
                let head = l.head();
                Ok(PayrollRunRow {
                    month: month.to_string(),
                    run: 1,
                    head_seq: i64::try_from(head.seq).unwrap_or(i64::MAX),
                    head_hash: head.hash.to_hex(),
                    dataset_version: 1,
                    policy_version: 1,
                    computed_at: now.clone(),
                    computed_by: l.state().closed.as_ref().map(|c| c.by.to_string()).unwrap_or_default(),
                    slips_sha256: slips_digest(&p),
                    summary: serde_json::to_string(&p.summary).unwrap_or_default(),
                })
            })
            .await?;
        state.store.add_payroll_run(&run).await?;
    }

    let sign_ins = pick_sign_ins(&version, today);
    let access = city.access();
    let device = access.authorities.devices().first().map(|d| d.id.to_string());
    let mut device_token = None;
    if let Some(id) = device {
        let actor = format!("device:{id}");
        state.store.put_account(&crate::api::session::blank_account(&actor, &now)).await?;
        let (_, secret) = crate::api::session::open_session(
            state,
            &actor,
            "bearer",
            "demo clock machine",
            chrono::Duration::days(365),
        )
        .await?;
        device_token = Some((actor, secret));
    }
    let mut tokens = Vec::new();
    if tokens_for_all {
        progress("minting load-test tokens");
        let mut all: Vec<String> = city.organisation.employees().iter().map(|e| e.nip.to_string()).collect();
        for d in access.authorities.devices() {
            let actor = format!("device:{}", d.id);
            state.store.put_account(&crate::api::session::blank_account(&actor, &now)).await?;
            all.push(actor);
        }
        for a in all {
            let (_, secret) =
                crate::api::session::open_session(state, &a, "bearer", "load test", chrono::Duration::days(30)).await?;
            tokens.push((a, secret));
        }
    }
    state.audit("demo", "build_demo", &format!("{employees} employees"), "ok", "-", "").await;
    Ok(DemoCity { history, events, sign_ins, device_token, tokens })
}

/// Stores the records the insights reports read (budgets with their realisation
/// through `through`, plans, the roll-out, nominations with panel scores), generated
/// from the dataset (`kinerja::generator::generate_insights`, seed 1) and checked by
/// the core, when the database holds none: the demo city's pages then have real-sized
/// input. A database that already holds any of them is left as it is.
pub async fn seed_insights(
    state: &AppState,
    dataset: &kinerja::dataset::Dataset,
    through: YearMonth,
) -> Result<bool, ApiError> {
    if !state.store.insights_empty().await? {
        return Ok(false);
    }
    let records = kinerja::generator::generate_insights(dataset, 1, through.year(), through.month());
    records.validate()?;
    let at = state.now_text();
    let by = "demo";
    for b in &records.budgets {
        state.store.put_budget(b, &at, by).await?;
    }
    for p in &records.plans {
        state.store.put_plan(p, &at, by).await?;
    }
    for r in &records.rollout {
        state.store.put_rollout(r, &at, by).await?;
    }
    for n in &records.nominations {
        state.store.put_nomination(n, &at, by).await?;
        for (i, s) in n.panel_scores.iter().enumerate() {
            state.store.put_score(&n.id, &format!("demo-panel-{}", i + 1), *s, &at).await?;
        }
    }
    Ok(true)
}

/// A demo database built before the insights records were stored: stores them now
/// (see [`seed_insights`]), from the newest dataset, through last month.
pub async fn seed_insights_of_earlier(state: &AppState) -> Result<bool, ApiError> {
    if !state.store.insights_empty().await? {
        return Ok(false);
    }
    let Some(row) = state.store.datasets().await?.first().cloned() else { return Ok(false) };
    let Some(row) = state.store.dataset(row.version).await? else { return Ok(false) };
    let dataset = kinerja::dataset::Dataset::from_json(&row.body)?;
    let this = YearMonth::of(state.today());
    let through = this.prev().ok().filter(|m| m.year() == this.year()).unwrap_or(this);
    seed_insights(state, &dataset, through).await
}

/// A few people worth signing in as: an employee with a supervisor, that
/// supervisor, an HR officer, an attendance officer, the regional head.
fn pick_sign_ins(version: &Arc<crate::months::CityVersion>, today: NaiveDate) -> Vec<(String, String, String)> {
    let city = &version.city;
    let org = &city.organisation;
    let access = city.access();
    let mut out = Vec::new();
    let name = |n: &kinerja::nip::Nip| org.employee(n).map(|e| e.name.clone()).unwrap_or_default();
    // An executor whose supervising position is held: the first such.
    let mut staff = None;
    for e in org.employees() {
        if let Some(Ok(sup)) = org.supervising_position(&e.nip, today)
            && let Some((boss, _)) = org.holders(&sup.id, today).into_iter().next()
            && access.authorities.appointments(&e.nip).next().is_none()
        {
            staff = Some((e.nip.clone(), boss.nip.clone()));
            break;
        }
    }
    if let Some((s, b)) = staff {
        out.push(("pegawai (employee)".into(), s.to_string(), name(&s)));
        out.push(("atasan (supervisor)".into(), b.to_string(), name(&b)));
    }
    for (role, label) in [
        (OfficerRole::Hr, "petugas BKPSDM (HR officer)"),
        (OfficerRole::Attendance, "petugas apel (attendance officer)"),
    ] {
        if let Some(o) = access.authorities.officers().iter().find(|o| o.role == role && o.covers(today)) {
            out.push((label.into(), o.employee.to_string(), name(&o.employee)));
        }
    }
    if let Some(o) = access.authorities.officials().first() {
        out.push(("wali kota (regional head)".into(), format!("official:{}", o.id), o.name.clone()));
    }
    out
}
