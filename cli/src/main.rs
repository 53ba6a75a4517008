//! `kinerja`: batch runs of the Kinerja engine from the command line.
//!
//! Exit codes: 0 success, 1 invalid input (every problem listed on stderr),
//! 2 usage error.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use kinerja::abk::{AbkParams, WorkloadAnalysis};
use kinerja::dataset::{City, Dataset, DatasetError};
use kinerja::generator::{GeneratorConfig, generate};
use kinerja::policy::{Policy, PolicyError, PolicyLayer};

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
            if units == 0 || employees < units {
                return Err(Failure::one("need at least one unit and one employee per unit"));
            }
            let ds = generate(&GeneratorConfig { seed, units, employees, year });
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
        Command::Policy { policies, no_national, date } => {
            let policy = load_policy(&policies, no_national)?;
            let date = date.unwrap_or_else(today);
            let mut t = table::Table::new(&["key", "value", "from", "layer", "legal reference"]);
            for (key, r) in policy.resolve_all(date) {
                t.row(vec![
                    key,
                    r.value.to_string(),
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
