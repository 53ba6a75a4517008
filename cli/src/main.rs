//! `kinerja`: batch runs of the Kinerja engine from the command line.
//!
//! Exit codes: 0 success, 1 invalid input (every problem listed on stderr),
//! 2 usage error.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use kinerja::YearMonth;
use kinerja::abk::{AbkParams, WorkloadAnalysis};
use kinerja::dataset::{City, Dataset, DatasetError};
use kinerja::generator::{GeneratorConfig, generate};
use kinerja::ledger::{Journal, Ledger, LedgerError, MonthContext};
use kinerja::policy::{Policy, PolicyError, PolicyLayer};
use kinerja::recap::{MonthlyRecap, monthly_recap};

mod pay;
mod table;

/// Kinerja: civil-servant performance management (e-Kinerja) from the command line.
#[derive(Parser, Debug)]
#[command(name = "kinerja", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Write a synthetic city dataset (Banda Aceh's scale by default).
    Generate {
        /// Seed of the random stream; the same seed gives the same city.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Number of work units.
        #[arg(long, default_value_t = 39)]
        units: usize,
        /// Number of employees.
        #[arg(long, default_value_t = 5_925)]
        employees: usize,
        /// Year of the calendar and dates.
        #[arg(long, default_value_t = 2026)]
        year: i32,
        /// Where to write the dataset (JSON).
        #[arg(long)]
        out: PathBuf,
    },
    /// Validate a dataset and policy layers, listing every problem.
    Check {
        #[command(flatten)]
        input: Input,
    },
    /// Print the workload analysis (ABK): staff needed, efficiency and grade per unit.
    Abk {
        #[command(flatten)]
        input: Input,
        /// Date of the analysis (headcount and policy in force); default: today.
        #[arg(long)]
        date: Option<NaiveDate>,
        /// Also list every position.
        #[arg(long)]
        positions: bool,
        /// Print JSON for machines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Simulate a realistic month of daily work and write it as a ledger journal.
    Simulate {
        #[command(flatten)]
        input: Input,
        /// The month, e.g. 2026-10.
        #[arg(long)]
        month: YearMonth,
        /// Seed of the random stream.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Leave the month open (by default it is closed after the verification deadline).
        #[arg(long)]
        open: bool,
        /// Where to write the journal (JSON).
        #[arg(long)]
        out: PathBuf,
    },
    /// Print the monthly recap: targets, verified minutes, achievement and discipline.
    Recap {
        #[command(flatten)]
        month: MonthInput,
        /// Evaluate days up to this date (default: the day after the verification
        /// deadline, when the month is settled).
        #[arg(long)]
        as_of: Option<NaiveDate>,
        /// Also list every employee.
        #[arg(long)]
        employees: bool,
        /// Print JSON for machines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Pay the month: every employee's allowance (TPP) slip, per unit and city totals.
    Tpp {
        #[command(flatten)]
        month: MonthInput,
        /// Print JSON (every slip with its lines) instead of a table.
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// Print CSV for the payroll (one row per employee).
        #[arg(long)]
        csv: bool,
    },
    /// Explain one employee's slip: every line with its reason, values and legal reference.
    Explain {
        #[command(flatten)]
        month: MonthInput,
        /// The employee's NIP.
        #[arg(long)]
        nip: String,
        /// Print the slip as JSON.
        #[arg(long)]
        json: bool,
    },
    /// The month under the `--policy` layers vs under those plus a proposed file: per-unit and city deltas.
    Whatif {
        #[command(flatten)]
        month: MonthInput,
        /// The proposed policy layer (TOML), applied over the current layers.
        #[arg(long)]
        proposed_policy: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Print the policy values in force on a date, with their layer and legal reference.
    Policy {
        /// Policy layers over the built-in national baseline, in order.
        #[arg(long = "policy")]
        policies: Vec<PathBuf>,
        /// Leave out the built-in national baseline.
        #[arg(long)]
        no_national: bool,
        /// The date; default: today.
        #[arg(long)]
        date: Option<NaiveDate>,
    },
}

#[derive(Args, Debug)]
struct Input {
    /// The city dataset (JSON; see schema/dataset.schema.json).
    #[arg(long)]
    dataset: PathBuf,
    /// A policy layer (TOML) over the built-in national baseline; repeat for more
    /// layers, applied in the order given (the last wins).
    #[arg(long = "policy")]
    policies: Vec<PathBuf>,
    /// Leave out the built-in national baseline (the files then hold every value).
    #[arg(long)]
    no_national: bool,
}

#[derive(Args, Debug)]
struct MonthInput {
    #[command(flatten)]
    input: Input,
    /// The ledger journal of the month.
    #[arg(long)]
    journal: PathBuf,
    /// The month, e.g. 2026-10.
    #[arg(long)]
    month: YearMonth,
}

/// A month loaded: the city, the policy and the journal (checked to be the month's).
fn load_month(m: &MonthInput) -> Result<(City, Policy, Journal), Failure> {
    let (city, policy) = load(&m.input)?;
    let journal = Journal::from_json(&read(&m.journal)?)?;
    if journal.month != m.month {
        return Err(Failure::one(format!("the journal is for {}, not {}", journal.month, m.month)));
    }
    Ok((city, policy, journal))
}

/// The recap of a closed month as the allowance reads it: every day evaluated,
/// the verification deadline passed.
fn final_recap(ctx: &MonthContext<'_>, journal: Journal) -> Result<MonthlyRecap, Failure> {
    let ledger = Ledger::from_journal(ctx, journal)?;
    let as_of = ctx.settled_on();
    Ok(monthly_recap(&ledger, ctx, as_of)?)
}

/// A failure to report: every line goes to stderr, then exit code 1.
struct Failure(Vec<String>);

impl Failure {
    fn one(msg: impl Into<String>) -> Self {
        Failure(vec![msg.into()])
    }
}

impl From<DatasetError> for Failure {
    fn from(e: DatasetError) -> Self {
        match e {
            DatasetError::Invalid(v) => Failure(v.problems.iter().map(|p| p.to_string()).collect()),
            other => Failure::one(other.to_string()),
        }
    }
}

impl From<LedgerError> for Failure {
    fn from(e: LedgerError) -> Self {
        Failure::one(format!("{e} [{}]", e.code()))
    }
}

impl From<kinerja::payroll::PayrollError> for Failure {
    fn from(e: kinerja::payroll::PayrollError) -> Self {
        Failure::one(format!("{e} [{}]", e.code()))
    }
}

impl From<PolicyError> for Failure {
    fn from(e: PolicyError) -> Self {
        match e {
            PolicyError::Invalid { file, problems } => {
                Failure(problems.iter().map(|p| format!("{file}: {p}")).collect())
            }
            other => Failure::one(other.to_string()),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(lines)) => {
            let n = lines.len();
            for l in lines {
                eprintln!("error: {l}");
            }
            if n > 1 {
                eprintln!("{n} problems found");
            }
            ExitCode::from(1)
        }
    }
}

fn read(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| Failure::one(format!("cannot read {}: {e}", path.display())))
}

fn load_policy(files: &[PathBuf], no_national: bool) -> Result<Policy, Failure> {
    let mut layers = Vec::new();
    let mut problems = Vec::new();
    for f in files {
        match PolicyLayer::from_toml(&f.display().to_string(), &read(f)?) {
            Ok(l) => layers.push(l),
            Err(e) => problems.extend(Failure::from(e).0),
        }
    }
    if !problems.is_empty() {
        return Err(Failure(problems));
    }
    let base = if no_national { Policy::from_layers(Vec::new()) } else { Policy::try_national()? };
    Ok(layers.into_iter().fold(base, Policy::with_layer))
}

fn load(input: &Input) -> Result<(City, Policy), Failure> {
    let text = read(&input.dataset)?;
    // Report dataset and policy problems together.
    let city = Dataset::load_city(&text).map_err(Failure::from);
    let policy = load_policy(&input.policies, input.no_national);
    match (city, policy) {
        (Ok(c), Ok(p)) => Ok((c, p)),
        (Err(a), Err(b)) => Err(Failure(a.0.into_iter().chain(b.0).collect())),
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Generate { seed, units, employees, year, out } => {
            let ds = generate(&GeneratorConfig { seed, units, employees, year })
                .map_err(|e| Failure(e.problems.iter().map(|p| p.to_string()).collect()))?;
            std::fs::write(&out, ds.to_json())
                .map_err(|e| Failure::one(format!("cannot write {}: {e}", out.display())))?;
            println!(
                "wrote {}: {} units, {} positions, {} employees, {} assignments (seed {seed})",
                out.display(),
                ds.units.len(),
                ds.positions.len(),
                ds.employees.len(),
                ds.assignments.len()
            );
            Ok(())
        }
        Command::Check { input } => {
            let (city, policy) = load(&input)?;
            let org = &city.organisation;
            println!(
                "ok: {} — {} units, {} positions, {} employees, {} assignments; policy layers: {}",
                city.government.name,
                org.units().len(),
                org.positions().len(),
                org.employees().len(),
                org.assignments().len(),
                policy.layers().iter().map(|l| l.name.as_str()).collect::<Vec<_>>().join(" > ")
            );
            Ok(())
        }
        Command::Abk { input, date, positions, json } => {
            let (city, policy) = load(&input)?;
            let date = date.unwrap_or_else(today);
            let params = AbkParams::from_policy(&policy, date)?;
            let org = &city.organisation;
            let analysis =
                kinerja::abk::analyse(org.units(), org.positions(), |p| org.headcount(p, date), &params.params)
                    .map_err(|e| Failure::one(e.to_string()))?;
            if json {
                let out = serde_json::json!({
                    "date": date,
                    "government": city.government,
                    "parameters": params.provenance,
                    "analysis": analysis,
                });
                println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
            } else {
                print!("{}", abk_table(&city, &analysis, positions, date, &params.provenance));
            }
            Ok(())
        }
        Command::Simulate { input, month, seed, open, out } => {
            let (city, policy) = load(&input)?;
            let ctx = MonthContext::new(&city, &policy, month)?;
            let (ledger, report) = kinerja::simulate::simulate_month(&ctx, seed, !open)?;
            let entries = ledger.state().entries.len();
            let journal = ledger.into_journal();
            std::fs::write(&out, journal.to_json())
                .map_err(|e| Failure::one(format!("cannot write {}: {e}", out.display())))?;
            println!(
                "wrote {}: {} events for {month} ({} activity entries); refused commands: {}",
                out.display(),
                journal.events.len(),
                entries,
                if report.refused.is_empty() {
                    "none".to_string()
                } else {
                    report.refused.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ")
                }
            );
            Ok(())
        }
        Command::Recap { month, as_of, employees, json } => {
            let (city, policy, journal) = load_month(&month)?;
            let ctx = MonthContext::new(&city, &policy, month.month)?;
            let ledger = Ledger::from_journal(&ctx, journal)?;
            let as_of = as_of.unwrap_or_else(|| ctx.settled_on());
            let recap = monthly_recap(&ledger, &ctx, as_of)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&recap).unwrap_or_default());
            } else {
                print!("{}", recap_table(&city, &recap, employees));
            }
            Ok(())
        }
        Command::Tpp { month, json, csv } => {
            let (city, policy, journal) = load_month(&month)?;
            let ctx = MonthContext::new(&city, &policy, month.month)?;
            let recap = final_recap(&ctx, journal)?;
            let payroll = kinerja::payroll::pay_city(&city, &ctx, &recap, &policy)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&payroll).unwrap_or_default());
            } else if csv {
                print!("{}", pay::tpp_csv(&city, &payroll));
            } else {
                print!("{}", pay::tpp_table(&city, &payroll));
            }
            Ok(())
        }
        Command::Explain { month, nip, json } => {
            let nip = kinerja::org::Nip::parse(&nip).map_err(|e| Failure::one(format!("--nip: {e}")))?;
            let (city, policy, journal) = load_month(&month)?;
            if city.organisation.employee(&nip).is_none() {
                return Err(Failure::one(format!("employee {nip} is not in the dataset")));
            }
            let ctx = MonthContext::new(&city, &policy, month.month)?;
            let recap = final_recap(&ctx, journal)?;
            let r = recap
                .employees
                .iter()
                .find(|e| e.employee == nip)
                .ok_or_else(|| Failure::one(format!("employee {nip} has no recap for {}", month.month)))?;
            let input = kinerja::payroll::allowance_input(&city, &ctx, r).ok_or_else(|| {
                Failure::one(format!("employee {nip} held no definitive position in {}", month.month))
            })?;
            let slip = kinerja::allowance::compute_slip(&input, &policy)
                .map_err(|e| Failure::one(format!("{e} [{}]", e.code())))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&slip).unwrap_or_default());
            } else {
                print!("{}", pay::explain(&city, &slip));
            }
            Ok(())
        }
        Command::Whatif { month, proposed_policy, json } => {
            let (city, policy, journal) = load_month(&month)?;
            let proposed_layer =
                PolicyLayer::from_toml(&proposed_policy.display().to_string(), &read(&proposed_policy)?)?;
            let proposed = policy.clone().with_layer(proposed_layer);
            let ctx = MonthContext::new(&city, &policy, month.month)?;
            let recap = final_recap(&ctx, journal)?;
            let w = kinerja::payroll::what_if(&city, &ctx, &recap, &policy, &proposed)?;
            if json {
                let out = serde_json::json!({ "month": w.current.month, "units": w.units, "city": w.comparison.total });
                println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
            } else {
                print!("{}", pay::whatif_table(&city, &w));
            }
            Ok(())
        }
        Command::Policy { policies, no_national, date } => {
            let policy = load_policy(&policies, no_national)?;
            let date = date.unwrap_or_else(today);
            let mut t = table::Table::new(&["key", "value", "from", "layer", "legal reference"]);
            for (key, r) in policy.resolve_all(date) {
                let mut value = r.value.to_string();
                if value.chars().count() > 60 {
                    value = value.chars().take(57).collect::<String>() + "...";
                }
                t.row(vec![
                    key,
                    value,
                    r.provenance.from.to_string(),
                    r.provenance.layer.clone(),
                    r.provenance.reference.clone(),
                ]);
            }
            println!("Policy in force on {date}:");
            print!("{}", t.render());
            Ok(())
        }
    }
}

fn abk_table(
    city: &City,
    a: &WorkloadAnalysis,
    positions: bool,
    date: NaiveDate,
    provenance: &[kinerja::policy::Provenance],
) -> String {
    use table::{dec, opt_dec};
    let mut out = String::new();
    let _ = writeln!(out, "Workload analysis (ABK) — {} — {date}", city.government.name);
    for p in provenance {
        let _ = writeln!(out, "  {} from {} [{}]: {}", p.key, p.from, p.layer, p.reference);
    }
    let _ = writeln!(out);
    let mut t = table::Table::new(&["unit", "positions", "headcount", "needed (FTE)", "gap", "EU", "grade"]);
    for u in &a.units {
        t.row(vec![
            u.unit.to_string(),
            u.positions.to_string(),
            u.headcount.to_string(),
            dec(u.required_staff, 2),
            dec(u.gap, 2),
            opt_dec(u.efficiency, 2),
            u.grade.map(|g| g.to_string()).unwrap_or_else(|| "-".into()),
        ]);
    }
    let c = &a.total;
    t.row(vec![
        "CITY".into(),
        c.positions.to_string(),
        c.headcount.to_string(),
        dec(c.required_staff, 2),
        dec(c.gap, 2),
        opt_dec(c.efficiency, 2),
        c.grade.map(|g| g.to_string()).unwrap_or_else(|| "-".into()),
    ]);
    out.push_str(&t.render());
    if positions {
        let _ = writeln!(out);
        let mut t = table::Table::new(&[
            "position",
            "unit",
            "tasks",
            "workload (min/yr)",
            "needed",
            "headcount",
            "EJ",
            "grade",
        ]);
        for p in &a.positions {
            t.row(vec![
                p.position.to_string(),
                p.unit.to_string(),
                p.tasks.len().to_string(),
                dec(p.workload_minutes, 0),
                dec(p.required_staff, 2),
                p.headcount.to_string(),
                opt_dec(p.efficiency, 2),
                p.grade.map(|g| g.to_string()).unwrap_or_else(|| "-".into()),
            ]);
        }
        out.push_str(&t.render());
    }
    out
}

fn recap_table(city: &City, r: &MonthlyRecap, employees: bool) -> String {
    use table::opt_dec;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Monthly recap — {} — {} (days evaluated up to {}; verification deadline {}{})",
        city.government.name,
        r.month,
        r.as_of,
        r.deadline,
        if r.deadline_passed { ", passed" } else { "" }
    );
    let _ = writeln!(out);
    let mut t = table::Table::new(&[
        "unit",
        "staff",
        "target min",
        "verified min",
        "mean ach. %",
        "approved",
        "pending",
        "returned",
        "rejected",
        "late",
        "early",
        "TK days",
        "roll calls missed",
    ]);
    let mut total = (0u32, 0i64, 0i64, 0u32, 0u32, 0u32, 0u32, 0u32, 0u32, 0u32, 0u32);
    for u in &r.units {
        t.row(vec![
            u.unit.to_string(),
            u.employees.to_string(),
            u.target_minutes.get().to_string(),
            u.verified_minutes.get().to_string(),
            opt_dec(u.mean_achievement_percent, 2),
            u.entries.approved.to_string(),
            u.entries.pending.to_string(),
            u.entries.returned.to_string(),
            u.entries.rejected.to_string(),
            u.late_count.to_string(),
            u.early_count.to_string(),
            u.unexcused_days.to_string(),
            u.roll_calls_missed.to_string(),
        ]);
        total.0 += u.employees;
        total.1 += u.target_minutes.get();
        total.2 += u.verified_minutes.get();
        total.3 += u.entries.approved;
        total.4 += u.entries.pending;
        total.5 += u.entries.returned;
        total.6 += u.entries.rejected;
        total.7 += u.late_count;
        total.8 += u.early_count;
        total.9 += u.unexcused_days;
        total.10 += u.roll_calls_missed;
    }
    t.row(vec![
        "CITY".into(),
        total.0.to_string(),
        total.1.to_string(),
        total.2.to_string(),
        "".into(),
        total.3.to_string(),
        total.4.to_string(),
        total.5.to_string(),
        total.6.to_string(),
        total.7.to_string(),
        total.8.to_string(),
        total.9.to_string(),
        total.10.to_string(),
    ]);
    out.push_str(&t.render());
    if employees {
        let _ = writeln!(out);
        let mut t = table::Table::new(&[
            "NIP",
            "unit",
            "target days",
            "target min",
            "verified min",
            "ach. %",
            "late",
            "early",
            "TK",
            "absent days",
            "roll calls missed",
        ]);
        for e in &r.employees {
            let a = &e.attendance;
            t.row(vec![
                e.employee.to_string(),
                e.unit.as_ref().map(|u| u.to_string()).unwrap_or_default(),
                e.target.target_days.to_string(),
                e.target.target_minutes.get().to_string(),
                e.verified_minutes.get().to_string(),
                opt_dec(e.achievement_percent, 2),
                a.late.iter().map(|b| b.count).sum::<u32>().to_string(),
                a.early.iter().map(|b| b.count).sum::<u32>().to_string(),
                a.unexcused_days.to_string(),
                a.absences.values().sum::<u32>().to_string(),
                (e.roll_call.morning.missed + e.roll_call.afternoon.missed + e.roll_call.ceremony.missed).to_string(),
            ]);
        }
        out.push_str(&t.render());
    }
    out
}
