//! `kinerja budget`, `kinerja readiness`, `kinerja insights <report>` and `kinerja awards`:
//! the rest of Banda Aceh's system (kinerja::insights) from the command line.
//!
//! The insight records (budgets, plans, roll-out, nominations) are read from `--records`
//! (JSON, `InsightsRecords`); without it they are generated from the dataset
//! (`generate_insights`, said on stderr), so a generated city can be explored at once.
//! Months of history come from `--journal` files (one per month, any order) or, without
//! them, are simulated (said on stderr).

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use kinerja::YearMonth;
use kinerja::abk::{AbkParams, WorkloadAnalysis};
use kinerja::dataset::City;
use kinerja::i18n::{self, Renderer};
use kinerja::insights::{InsightParams, InsightsError, InsightsRecords};
use kinerja::ledger::{Ledger, MonthContext};
use kinerja::policy::Policy;
use kinerja::recap::{MonthlyRecap, monthly_recap};
use kinerja::{Money, UnitId};
use rust_decimal::Decimal;

use crate::output::emitln;
use crate::{Failure, Input, lang, load, load_ledger, open_journal};

/// The longest records file read (64 MiB).
const MAX_RECORDS_BYTES: usize = 64 * 1024 * 1024;

impl From<InsightsError> for Failure {
    fn from(e: InsightsError) -> Self {
        Failure::one(format!("{} [{}]", Renderer::builtin().error(lang(), &e), e.code()))
    }
}

/// What every insight command reads.
#[derive(Args, Debug)]
pub struct Sources {
    #[command(flatten)]
    input: Input,
    /// The insight records (JSON: budgets, plans, rollout, nominations); default: generated
    /// from the dataset with `--seed`.
    #[arg(long)]
    records: Option<PathBuf>,
    /// A month's ledger journal; repeat for several months. Default: simulated months.
    #[arg(long = "journal")]
    journals: Vec<PathBuf>,
    /// Seed of generated records and simulated months.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Print JSON for machines instead of a table.
    #[arg(long)]
    json: bool,
}

/// `kinerja budget`.
#[derive(Args, Debug)]
pub struct BudgetArgs {
    #[command(flatten)]
    sources: Sources,
    /// The fiscal year.
    #[arg(long)]
    year: i32,
    /// The last month counted, 1-12.
    #[arg(long, default_value_t = 12)]
    through: u32,
    /// Also list every programme.
    #[arg(long)]
    programmes: bool,
}

/// `kinerja readiness`.
#[derive(Args, Debug)]
pub struct ReadinessArgs {
    #[command(flatten)]
    sources: Sources,
    /// The month checked, e.g. 2026-02.
    #[arg(long)]
    month: YearMonth,
    /// Only this unit.
    #[arg(long)]
    unit: Option<String>,
    /// Run this unit's month through the chain without paying (a shadow month).
    #[arg(long)]
    shadow: Option<String>,
}

/// The reports of `kinerja insights`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Report {
    /// Use 1: units and positions by efficiency grade, units to merge or slim.
    Restructuring,
    /// Use 2: need against headcount and the retirement projection.
    Staffing,
    /// Use 3: tasks without standards, not logged, or drifting.
    Procedures,
    /// Use 4: training needs per employee and task group.
    Training,
    /// Use 5: unit and employee rankings and trends.
    Performance,
    /// Use 6: transfer and promotion candidates.
    Promotion,
    /// Use 7: the cumulative unexcused-days sanction ladder and the consecutive-days rule.
    Sanctions,
    /// Verification quality per supervisor.
    Verification,
}

/// `kinerja insights <report>`.
#[derive(Args, Debug)]
pub struct InsightsArgs {
    /// Which report.
    #[arg(value_enum)]
    report: Report,
    #[command(flatten)]
    sources: Sources,
    /// The last month of the period, e.g. 2026-03.
    #[arg(long)]
    month: YearMonth,
    /// Months of history (ending with --month) when simulated; default: insights.months.
    #[arg(long)]
    months: Option<u32>,
    /// Years of the retirement projection (staffing).
    #[arg(long, default_value_t = 5)]
    years: u32,
}

/// `kinerja awards`.
#[derive(Args, Debug)]
pub struct AwardsArgs {
    #[command(flatten)]
    sources: Sources,
    /// The award year's last month counted (the year's months from January), e.g. 2026-03.
    #[arg(long)]
    month: YearMonth,
}

fn records(s: &Sources, city: &City, year: i32, through: u32) -> Result<InsightsRecords, Failure> {
    match &s.records {
        Some(path) => {
            let text = crate::read_limited(path, MAX_RECORDS_BYTES)?;
            let r = InsightsRecords::from_json(&text)
                .map_err(|e| Failure::one(format!("{}: {e} [invalid_records]", path.display())))?;
            r.validate()?;
            Ok(r)
        }
        None => {
            eprintln!("note: no --records: budgets, plans, roll-out and nominations generated (seed {})", s.seed);
            Ok(kinerja::generator::generate_insights(&city.to_dataset(), s.seed, year, through))
        }
    }
}

/// The months of history: from the journals given, else `n` simulated months ending with
/// `last` (each closed after its deadline).
fn history(
    s: &Sources,
    city: &City,
    policy: &Policy,
    last: YearMonth,
    n: u32,
) -> Result<Vec<(Ledger, MonthlyRecap)>, Failure> {
    let mut out = Vec::new();
    if !s.journals.is_empty() {
        for path in &s.journals {
            let month = open_journal(path, "reading")?.header().month;
            let ctx = MonthContext::new(city, policy, month)?;
            let ledger = load_ledger(&ctx, path)?;
            let recap = monthly_recap(&ledger, &ctx, ctx.settled_on())?;
            out.push((ledger, recap));
        }
        out.sort_by_key(|(_, r)| r.month);
        return Ok(out);
    }
    let mut months = vec![last];
    while months.len() < n.max(1) as usize {
        let prev = months[months.len() - 1].prev().map_err(|e| Failure::one(e.to_string()))?;
        months.push(prev);
    }
    months.reverse();
    eprintln!("note: no --journal: {} month(s) simulated ({}..{}, seed {})", months.len(), months[0], last, s.seed);
    for (i, m) in months.into_iter().enumerate() {
        let ctx = MonthContext::new(city, policy, m)?;
        let (ledger, _) = kinerja::simulate::simulate_month(&ctx, s.seed.wrapping_add(i as u64), true)?;
        let recap = monthly_recap(&ledger, &ctx, ctx.settled_on())?;
        out.push((ledger, recap));
    }
    Ok(out)
}

fn params(policy: &Policy, date: chrono::NaiveDate) -> Result<InsightParams, Failure> {
    Ok(InsightParams::from_policy(policy, date)?.params)
}

fn money(m: Money) -> String {
    i18n::rupiah(m, lang())
}

fn pct(p: Option<Decimal>) -> String {
    p.map_or_else(|| "-".to_string(), |p| i18n::percent(p.round_dp(2), lang()))
}

/// Columns aligned with two spaces; numbers (and amounts) to the right.
fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(widths.len()) {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: Vec<&str>| {
        let mut l = String::new();
        for (i, c) in cells.iter().enumerate().take(widths.len()) {
            let pad = " ".repeat(widths[i] - c.chars().count());
            let right = i > 0 && c.chars().next().is_some_and(|ch| ch.is_ascii_digit() || ch == '-' || ch == 'R');
            if i > 0 {
                l.push_str("  ");
            }
            if right {
                l.push_str(&pad);
                l.push_str(c);
            } else {
                l.push_str(c);
                l.push_str(&pad);
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(header.to_vec());
    for r in rows {
        line(r.iter().map(String::as_str).collect());
    }
    out
}

fn print_json<T: serde::Serialize>(v: &T) -> Result<(), Failure> {
    emitln(&serde_json::to_string_pretty(v).unwrap_or_default())
}

fn unit_name(city: &City, id: &UnitId) -> String {
    city.organisation.unit(id).map_or_else(|| id.to_string(), |u| u.name.clone())
}

/// `kinerja budget`.
pub fn budget(a: BudgetArgs) -> Result<(), Failure> {
    let (city, policy) = load(&a.sources.input)?;
    let year = a.year;
    let records = records(&a.sources, &city, year, a.through)?;
    let first = chrono::NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| Failure::usage(format!("year {year}")))?;
    let p = params(&policy, first)?;
    let mut ledgers = Vec::new();
    for path in &a.sources.journals {
        let month = open_journal(path, "reading")?.header().month;
        let ctx = MonthContext::new(&city, &policy, month)?;
        ledgers.push(load_ledger(&ctx, path)?);
    }
    let states: Vec<_> = ledgers.iter().map(|l| l.state()).collect();
    let report =
        kinerja::insights::budget::realisation(&records.budgets, year, a.through, p.behind_plan_percent, &states)?;
    if a.sources.json {
        return print_json(&report);
    }
    let header = ["unit", "pagu", "rencana", "realisasi", "serapan", "deviasi", "deviasi %", "fisik", "status"];
    let line = |name: String, f: &kinerja::insights::budget::Figures| {
        vec![
            name,
            money(f.ceiling),
            money(f.planned),
            money(f.realised),
            pct(f.absorption_percent),
            money(f.deviation),
            pct(f.deviation_percent),
            pct(f.progress_percent),
            if f.behind { "TERLAMBAT".to_string() } else { "sesuai".to_string() },
        ]
    };
    let mut rows = Vec::new();
    for u in &report.units {
        rows.push(line(unit_name(&city, &u.unit), &u.figures));
        if a.programmes {
            for p in &u.programmes {
                rows.push(line(format!("  {} {}", p.code, p.name), &p.figures));
            }
        }
    }
    rows.push(line("KOTA".to_string(), &report.city));
    let mut out = format!(
        "Realisasi anggaran {year} s.d. bulan {} (terlambat: realisasi di bawah rencana lebih dari {} %)\n",
        report.through, report.behind_plan_percent
    );
    out.push_str(&render(&header, &rows));
    out.push_str(&format!(
        "Pendapatan: target {}, realisasi {}; unit terlambat: {}, program terlambat: {}",
        money(report.revenue_target),
        money(report.revenue_realised),
        report.behind_units.len(),
        report.behind_programmes.len()
    ));
    emitln(&out)
}

/// `kinerja readiness`.
pub fn readiness(a: ReadinessArgs) -> Result<(), Failure> {
    let (city, policy) = load(&a.sources.input)?;
    let month = a.month;
    let records = records(&a.sources, &city, month.year(), month.month())?;
    let p = params(&policy, month.first_day())?;
    let hist = history(&a.sources, &city, &policy, month, 1)?;
    let (ledger, recap) = hist
        .iter()
        .find(|(_, r)| r.month == month)
        .ok_or_else(|| Failure::one(format!("no journal for {month} among those given")))?;
    let ctx = MonthContext::new(&city, &policy, month)?;
    use kinerja::insights::readiness;
    if let Some(unit) = &a.shadow {
        let unit = UnitId::from(unit.as_str());
        let run = readiness::shadow_month_with(
            &city,
            &ctx,
            ledger.state(),
            recap,
            readiness::PlanData::of(&records),
            &unit,
            p.electronic_attendance_percent,
            &policy,
        )?;
        if a.sources.json {
            return print_json(&run);
        }
        return emitln(&format!(
            "Bulan bayangan {} {month}: {} slip dihitung, tidak dibayar; bersih {} (siap: {}; gagal dihitung: {})",
            unit_name(&city, &unit),
            run.slips.len(),
            money(run.totals.net),
            if run.verdict.ready { "ya" } else { "tidak" },
            run.failures.len()
        ));
    }
    let mut verdicts = readiness::check_city_with(
        &city,
        &ctx,
        ledger.state(),
        readiness::PlanData::of(&records),
        p.electronic_attendance_percent,
        &policy,
    )?;
    if let Some(u) = &a.unit {
        verdicts.retain(|v| v.unit.as_str() == u);
        if verdicts.is_empty() {
            return Err(Failure::one(format!("unit `{u}` is not in the dataset [unknown_unit]")));
        }
    }
    let rollout = |u: &UnitId| records.rollout.iter().find(|r| &r.unit == u);
    if a.sources.json {
        let out: Vec<_> = verdicts
            .iter()
            .map(|v| serde_json::json!({ "verdict": v, "rollout": rollout(&v.unit), "pays": rollout(&v.unit).is_some_and(|r| r.pays(month)) }))
            .collect();
        return print_json(&out);
    }
    let mut rows = Vec::new();
    for v in &verdicts {
        let r = rollout(&v.unit);
        rows.push(vec![
            unit_name(&city, &v.unit),
            if v.ready { "SIAP".to_string() } else { "BELUM".to_string() },
            v.unmet.iter().map(|u| u.requirement.as_str()).collect::<Vec<_>>().join(", "),
            pct(v.electronic_attendance_percent),
            r.and_then(|r| r.go_live).map_or_else(|| "-".to_string(), |d| i18n::date(d, lang())),
            if r.is_some_and(|r| r.pays(month)) { "dibayar".to_string() } else { "tidak dibayar".to_string() },
        ]);
    }
    let mut out = format!("Kesiapan unit kerja {month} (enam syarat kumulatif)\n");
    out.push_str(&render(
        &["unit", "status", "syarat belum terpenuhi", "absensi elektronik", "go-live", "bulan ini"],
        &rows,
    ));
    for v in verdicts.iter().filter(|v| !v.ready) {
        for u in &v.unmet {
            let shown: Vec<&String> = u.evidence.iter().take(5).collect();
            let more = u.evidence.len().saturating_sub(5);
            out.push_str(&format!(
                "{} / {}: {}{}\n",
                v.unit,
                u.requirement.as_str(),
                shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("; "),
                if more > 0 { format!(" (+{more})") } else { String::new() }
            ));
        }
    }
    out.push_str(&format!("{} dari {} unit siap", verdicts.iter().filter(|v| v.ready).count(), verdicts.len()));
    emitln(&out)
}

fn workload(city: &City, policy: &Policy, date: chrono::NaiveDate) -> Result<WorkloadAnalysis, Failure> {
    let params = AbkParams::from_policy(policy, date)?;
    let org = &city.organisation;
    kinerja::abk::analyse(org.units(), org.positions(), |p| org.headcount(p, date), &params.params)
        .map_err(|e| Failure::one(e.to_string()))
}

/// `kinerja insights <report>`.
pub fn insights(a: InsightsArgs) -> Result<(), Failure> {
    use kinerja::insights::uses;
    let (city, policy) = load(&a.sources.input)?;
    let month = a.month;
    let p = params(&policy, month.first_day())?;
    let as_of = month.last_day();
    let needs_history = !matches!(a.report, Report::Restructuring | Report::Staffing);
    let hist = if needs_history {
        history(&a.sources, &city, &policy, month, a.months.unwrap_or(p.months))?
    } else {
        Vec::new()
    };
    let recaps: Vec<MonthlyRecap> = hist.iter().map(|(_, r)| r.clone()).collect();
    let json = a.sources.json;
    match a.report {
        Report::Restructuring => {
            let r = uses::restructuring(&workload(&city, &policy, as_of)?, &p);
            if json {
                return print_json(&r);
            }
            let rows: Vec<Vec<String>> = r
                .units
                .iter()
                .map(|u| {
                    vec![
                        unit_name(&city, &u.unit),
                        u.positions.to_string(),
                        u.required_staff.to_string(),
                        u.headcount.to_string(),
                        u.efficiency.map_or("-".into(), |e| e.to_string()),
                        u.grade.map_or("-".into(), |g| g.to_string()),
                        format!("{:?}", u.action).to_lowercase(),
                    ]
                })
                .collect();
            let grades: Vec<String> = r.positions_by_grade.iter().map(|(g, p)| format!("{g}: {}", p.len())).collect();
            emitln(&format!(
                "{}Jabatan per kelas efisiensi: {}",
                render(&["unit", "jabatan", "kebutuhan", "pegawai", "EU", "PJ", "saran"], &rows),
                grades.join(", ")
            ))
        }
        Report::Staffing => {
            let s = uses::staffing(&city, &workload(&city, &policy, as_of)?, &p, as_of, a.years);
            if json {
                return print_json(&s);
            }
            let rows: Vec<Vec<String>> = s
                .projection
                .iter()
                .map(|y| {
                    vec![
                        y.year.to_string(),
                        y.retiring.to_string(),
                        y.headcount_end.to_string(),
                        y.needed.to_string(),
                        y.gap.to_string(),
                    ]
                })
                .collect();
            let recruit = s.positions.iter().filter(|l| l.action == uses::StaffAction::Recruit).count();
            let transfer = s.positions.iter().filter(|l| l.action == uses::StaffAction::Transfer).count();
            emitln(&format!(
                "Proyeksi pensiun dan kebutuhan pegawai (per {}):\n{}Jabatan kurang pegawai: {recruit}; lebih pegawai: {transfer}",
                i18n::date(as_of, lang()),
                render(&["tahun", "pensiun", "pegawai akhir tahun", "kebutuhan", "selisih"], &rows)
            ))
        }
        Report::Procedures => {
            let states: Vec<_> = hist.iter().map(|(l, _)| l.state()).collect();
            let r = uses::procedures(&city, &states, &p)?;
            if json {
                return print_json(&r);
            }
            let mut count = std::collections::BTreeMap::new();
            for f in &r.flags {
                *count.entry(f.reason.as_str()).or_insert(0u32) += 1;
            }
            let rows: Vec<Vec<String>> = r
                .drifting
                .iter()
                .take(30)
                .map(|d| {
                    vec![
                        d.task.to_string(),
                        d.standard_minutes.to_string(),
                        d.minutes_per_unit.to_string(),
                        d.drift_percent.to_string(),
                        d.entries.to_string(),
                    ]
                })
                .collect();
            emitln(&format!(
                "Tugas bermasalah: {}\nTugas yang waktunya menyimpang ({} total, 30 pertama):\n{}",
                count.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", "),
                r.drifting.len(),
                render(&["tugas", "norma", "menit/satuan", "selisih %", "entri"], &rows)
            ))
        }
        Report::Training => {
            let abk = AbkParams::from_policy(&policy, as_of)?.params;
            let months: Vec<uses::LedgerMonth<'_>> =
                hist.iter().map(|(l, r)| uses::LedgerMonth { month: r.month, state: l.state() }).collect();
            let t = uses::training_by_group(&city, &months, &abk, &p)?;
            if json {
                return print_json(&t);
            }
            let rows: Vec<Vec<String>> = t
                .iter()
                .map(|n| {
                    vec![
                        n.employee.to_string(),
                        n.unit.as_ref().map_or("-".into(), |u| u.to_string()),
                        n.group.clone(),
                        n.months.iter().map(|m| pct(m.achievement_percent)).collect::<Vec<_>>().join(" "),
                        pct(n.returned_percent),
                        [(n.under_target, "di bawah target"), (n.often_returned, "sering dikembalikan")]
                            .iter()
                            .filter(|x| x.0)
                            .map(|x| x.1)
                            .collect::<Vec<_>>()
                            .join(", "),
                    ]
                })
                .collect();
            emitln(&format!(
                "{}{} pegawai x kelompok tugas perlu diklat",
                render(&["nip", "unit", "kelompok tugas", "capaian", "dikembalikan", "alasan"], &rows),
                t.len()
            ))
        }
        Report::Performance => {
            let r = uses::performance(&recaps)?;
            if json {
                return print_json(&r);
            }
            let rows: Vec<Vec<String>> = r
                .units
                .iter()
                .map(|u| {
                    vec![
                        u.rank.to_string(),
                        unit_name(&city, &UnitId::from(u.id.as_str())),
                        u.by_month.iter().map(|(_, a)| pct(*a)).collect::<Vec<_>>().join(" "),
                        pct(u.trend),
                    ]
                })
                .collect();
            emitln(&render(&["peringkat", "unit", "capaian per bulan", "tren"], &rows))
        }
        Report::Promotion => {
            let c = uses::promotion(&city, &recaps, &p)?;
            if json {
                return print_json(&c);
            }
            let rows: Vec<Vec<String>> = c
                .iter()
                .map(|c| {
                    vec![
                        c.employee.to_string(),
                        c.rank.clone(),
                        c.job_class.map_or("-".into(), |k| k.to_string()),
                        c.years_in_rank.map_or("-".into(), |y| y.to_string()),
                        if c.promotion_eligible {
                            "ya".into()
                        } else {
                            c.not_eligible_because.clone().unwrap_or_default()
                        },
                    ]
                })
                .collect();
            emitln(&format!(
                "{}{} calon mutasi/promosi",
                render(&["nip", "pangkat", "kelas", "tahun dalam pangkat", "layak promosi"], &rows),
                c.len()
            ))
        }
        Report::Sanctions => {
            let ctxs: Vec<MonthContext<'_>> =
                hist.iter().map(|(_, r)| MonthContext::new(&city, &policy, r.month)).collect::<Result<_, _>>()?;
            let months: Vec<_> = hist.iter().zip(&ctxs).map(|((l, r), c)| (l, c, r)).collect();
            let days = uses::unexcused_days(&months)?;
            let s = uses::sanctions_with_days(&recaps, &days, &p, month.year())?;
            if json {
                return print_json(&s);
            }
            let rows: Vec<Vec<String>> = s
                .iter()
                .map(|l| {
                    vec![
                        l.employee.to_string(),
                        l.cumulative.to_string(),
                        format!("{}{}", l.longest_run, if l.consecutive { " (berturut-turut)" } else { "" }),
                        l.rung.level.clone(),
                        l.rung.sanction.clone(),
                    ]
                })
                .collect();
            emitln(&render(
                &["nip", "hari TK kumulatif", "hari TK berturut-turut terpanjang", "tingkat", "hukuman disiplin"],
                &rows,
            ))
        }
        Report::Verification => {
            let months: Vec<uses::DecidedMonth<'_>> =
                hist.iter().map(|(l, r)| uses::DecidedMonth { state: l.state(), deadline: r.deadline }).collect();
            let q = uses::verification_quality(&months, &p);
            if json {
                return print_json(&q);
            }
            let rows: Vec<Vec<String>> = q
                .iter()
                .map(|v| {
                    vec![
                        v.verifier.clone(),
                        v.decisions.to_string(),
                        pct(v.approved_unchanged_percent),
                        pct(v.last_minute_percent),
                        v.median_minutes_to_decide.map_or("-".into(), |m| m.to_string()),
                    ]
                })
                .collect();
            emitln(&render(&["verifikator", "keputusan", "setuju tanpa ubah", "menit terakhir", "median menit"], &rows))
        }
    }
}

/// `kinerja awards`.
pub fn awards(a: AwardsArgs) -> Result<(), Failure> {
    let (city, policy) = load(&a.sources.input)?;
    let month = a.month;
    let year = month.year();
    let records = records(&a.sources, &city, year, month.month())?;
    let p = params(&policy, month.first_day())?;
    let hist = history(&a.sources, &city, &policy, month, month.month())?;
    let recaps: Vec<MonthlyRecap> = hist.into_iter().map(|(_, r)| r).collect();
    let w = kinerja::insights::awards::awards(&recaps, &records.nominations, p.award_weights, year)?;
    if a.sources.json {
        return print_json(&w);
    }
    let mut out = format!(
        "Penghargaan {year} (Best Performance: {} % capaian + {} % kehadiran)\nBest Performance:\n",
        w.weights.achievement, w.weights.discipline
    );
    let rows: Vec<Vec<String>> = w
        .performance_winners()
        .iter()
        .map(|s| {
            vec![
                s.employee.to_string(),
                s.achievement.to_string(),
                s.achievement_points.to_string(),
                s.presence.to_string(),
                s.presence_points.to_string(),
                s.score.to_string(),
            ]
        })
        .collect();
    out.push_str(&render(&["nip", "capaian", "poin", "kehadiran", "poin", "skor"], &rows));
    for (title, list) in [("Best Service", w.service_winners()), ("Best Innovative", w.innovative_winners())] {
        out.push_str(&format!("{title}:\n"));
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|n| vec![n.nomination.clone(), n.employee.to_string(), n.title.clone(), n.score.to_string()])
            .collect();
        out.push_str(&render(&["nominasi", "nip", "judul", "skor"], &rows));
    }
    emitln(out.trim_end())
}
