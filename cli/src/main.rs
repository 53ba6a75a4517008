//! `kinerja`: batch runs of the Kinerja engine from the command line.
//!
//! Exit codes: 0 success, 1 invalid input (every problem listed on stderr), a
//! payroll with employees whose slip could not be computed (`tpp` without
//! `--allow-failures`), a slip that does not verify (`verify-slip`), an import with
//! rows not taken (`import-attendance`, `import-employees` without
//! `--allow-unmatched`) or a file that was not written, 2 usage error. A closed stdout (`kinerja tpp ... | head -1`) ends
//! the command quietly with 0.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, CommandFactory, Parser, Subcommand};
use kinerja::YearMonth;
use kinerja::abk::{AbkParams, WorkloadAnalysis};
use kinerja::dataset::{City, Dataset, DatasetError};
use kinerja::generator::{GeneratorConfig, generate};
use kinerja::i18n::{Lang, Localized, Renderer};
use kinerja::ledger::{
    JournalError, JournalFormat, JournalHeader, JournalReader, JournalWriter, Ledger, LedgerError, MonthContext,
};
use kinerja::policy::{Policy, PolicyError, PolicyLayer};
use kinerja::recap::{MonthlyRecap, monthly_recap};

mod export_tables;
mod imports;
mod insights;
mod national;
mod output;
mod pay;
mod progress;
mod table;
mod xlsx;

use output::{emit, emitln, write_atomic};

/// The longest slip or allowance input file `verify-slip` reads (16 MiB).
const MAX_SLIP_BYTES: usize = 16 * 1024 * 1024;

/// Kinerja: civil-servant performance management (e-Kinerja) from the command line.
#[derive(Parser, Debug)]
#[command(name = "kinerja", version, about, long_about = None)]
struct Cli {
    /// The language of what is printed for people (explanations, refusals, reasons,
    /// amounts and dates): `id` (Indonesian, the default) or `en`.
    #[arg(long, global = true, env = "KINERJA_LANG", default_value = "id", value_parser = parse_lang)]
    lang: Lang,
    /// Draw no progress bars on stderr (they are drawn only when stderr is a terminal).
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

fn parse_separator(text: &str) -> Result<u8, String> {
    match text {
        ";" => Ok(b';'),
        "," => Ok(b','),
        "tab" | "\\t" => Ok(b'\t'),
        "|" => Ok(b'|'),
        other => Err(format!("`{other}` is not a separator: use `;`, `,`, `tab` or `|`")),
    }
}

fn parse_lang(text: &str) -> Result<Lang, String> {
    text.parse::<Lang>().map_err(|e| e.to_string())
}

/// The language chosen with `--lang`, set once at start.
static LANG: std::sync::OnceLock<Lang> = std::sync::OnceLock::new();

/// The language of the command line (`--lang`; Indonesian unless set).
pub fn lang() -> Lang {
    LANG.get().copied().unwrap_or_default()
}

/// An error of the core in the language of the command line, with its code.
fn said<E: Localized + ?Sized>(e: &E, code: &str) -> String {
    format!("{} [{code}]", Renderer::builtin().error(lang(), e))
}

/// A problem in input data in the language of the command line.
fn problem(p: &kinerja::error::Problem) -> String {
    Renderer::builtin().problem(lang(), p)
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
        /// Year of the calendar and dates (2000 to 2100).
        #[arg(long, default_value_t = 2026)]
        year: i32,
        /// Where to write the dataset (JSON; written atomically).
        #[arg(long)]
        out: PathBuf,
        /// Replace `--out` if it exists (otherwise an existing file is never touched).
        #[arg(long)]
        force: bool,
    },
    /// Validate a dataset and policy layers, listing every problem, and run every
    /// per-employee check that paying a month runs.
    Check {
        #[command(flatten)]
        input: Input,
        /// The month whose payroll checks are run, e.g. 2026-10; default: this month.
        #[arg(long)]
        month: Option<YearMonth>,
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
        /// Where to write the journal (JSON; written atomically).
        #[arg(long)]
        out: PathBuf,
        /// Replace `--out` if it exists (otherwise an existing journal is never touched).
        #[arg(long)]
        force: bool,
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
        /// Also write the recap per employee as a Parquet file (one row per employee,
        /// the columns of docs/python-tables.md `recap.employees`). Written atomically.
        #[arg(long, value_name = "FILE")]
        parquet: Option<PathBuf>,
        /// Replace the --parquet file if it exists (otherwise an existing file is never touched).
        #[arg(long, requires = "parquet")]
        force: bool,
    },
    /// Pay the month: every employee's allowance (TPP) slip, a failure or the reason
    /// not to pay, per unit and city totals; exit 1 if any slip could not be computed.
    #[command(group(clap::ArgGroup::new("output_file").args(["xlsx", "parquet"]).multiple(true)))]
    Tpp {
        #[command(flatten)]
        month: MonthInput,
        /// Print JSON (every slip with its lines, failures, employees not paid, summary).
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// Print CSV for the treasury (one row per employee with a column per rule,
        /// then the summary rows); see --separator.
        #[arg(long)]
        csv: bool,
        /// The CSV's field separator: `;` (the default, what a spreadsheet in the
        /// Indonesian locale expects), `,`, `tab` or `|`.
        #[arg(long, default_value = ";", value_parser = parse_separator, requires = "csv")]
        separator: u8,
        /// Also write the payroll as a spreadsheet (XLSX): a summary sheet, then a sheet
        /// per work unit; amounts as numbers, NIPs as text. Written atomically.
        #[arg(long, value_name = "FILE")]
        xlsx: Option<PathBuf>,
        /// Also write the slips as a Parquet file: one row per paid employee, the totals
        /// and one exact decimal(38, 2) column per rule (docs/python-tables.md
        /// `payroll.slips`). Written atomically.
        #[arg(long, value_name = "FILE")]
        parquet: Option<PathBuf>,
        /// Replace the --xlsx or --parquet file if it exists (otherwise an existing file
        /// is never touched).
        #[arg(long, requires = "output_file")]
        force: bool,
        /// Exit 0 even if some employees' slips could not be computed (they are listed).
        #[arg(long)]
        allow_failures: bool,
        /// Pay although allowance policy values in force are not verified (recalled,
        /// illustrative or unstated); every slip records them (slip version 3).
        #[arg(long)]
        allow_unverified: bool,
    },
    /// Write one month's record as flat CSV tables (employees, assignments, calendar,
    /// roster, clock events, absences, activity entries, roll calls, ceremonies and the
    /// policy values as numbers): the input of the reference implementations in
    /// benches/reference/ (pandas, SQLite), which recompute every slip from it.
    ExportTables {
        #[command(flatten)]
        month: MonthInput,
        /// The directory to write `<table>.csv` into (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// Replace existing CSV files in `--out`.
        #[arg(long)]
        force: bool,
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
    /// Re-verify a stored slip: recompute it from its input and the policy and say
    /// whether it still holds (exit 0) or what changed (exit 1).
    VerifySlip {
        /// The stored slip (JSON, as `explain --json` writes it).
        #[arg(long)]
        slip: PathBuf,
        /// The allowance input it was computed from (JSON, docs/allowance.md section 1).
        #[arg(long, required_unless_present = "dataset", conflicts_with_all = ["dataset", "journal"])]
        input: Option<PathBuf>,
        /// Or: the city dataset, to derive the input from the month's journal.
        #[arg(long, requires = "journal")]
        dataset: Option<PathBuf>,
        /// The ledger journal of the slip's month (with `--dataset`).
        #[arg(long, requires = "dataset")]
        journal: Option<PathBuf>,
        /// Policy layers over the built-in national baseline, in order.
        #[arg(long = "policy")]
        policies: Vec<PathBuf>,
        /// Leave out the built-in national baseline.
        #[arg(long)]
        no_national: bool,
        /// Print the verification as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check a journal's hash chain (no dataset needed): name the first event edited,
    /// removed, inserted, duplicated or reordered, and a torn last record. Exit 0 when
    /// the chain holds, 1 otherwise.
    VerifyJournal {
        /// The journal (text `.jsonl` or compact `.kjb`; a version 1 JSON journal is
        /// read but never holds).
        #[arg(long)]
        journal: PathBuf,
        /// The head recorded apart (e.g. in the server's database), as `SEQ:HASH`:
        /// a chain rewritten after some point is then caught too.
        #[arg(long)]
        head: Option<String>,
        /// Print the verification as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Convert a journal between its text (`.jsonl`) and compact (`.kjb`) forms,
    /// checking its chain; every hash is kept.
    ConvertJournal {
        /// The journal to read (either form, or a version 1 JSON journal, migrated).
        #[arg(long)]
        journal: PathBuf,
        /// Where to write it (atomically); the form follows the extension (`.kjb`
        /// compact, else text).
        #[arg(long)]
        out: PathBuf,
        /// Replace `--out` if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Read an attendance machine's log (CSV): every row becomes a clock event or is
    /// listed with its reason; with --journal, record the events into the month's
    /// journal through the ledger, as the machine. Exit 1 when rows need attention or
    /// the ledger refused events (unless --allow-unmatched).
    ImportAttendance(imports::AttendanceArgs),
    /// Merge an employee export of SIASN/SAPK (CSV) into the dataset, written to --out:
    /// employees added and changed, rows refused, positions not matched, employees not in
    /// the export. Exit 1 when rows were refused or not matched (unless --allow-unmatched).
    ImportEmployees(imports::EmployeesArgs),
    /// Generate and pay the national month (about 4.3 million employees in 540
    /// regions) as a stream, region by region, and print the totals, records per
    /// second and the peak resident memory.
    National {
        /// Seed of the random stream; the same seed gives the same month.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Number of regions (38 of 540 are provinces, in proportion for another count).
        #[arg(long, default_value_t = kinerja::national::DEFAULT_REGIONS)]
        regions: usize,
        /// Multiply every region's size by this (0 < F <= 10); 1 is the national scale.
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        /// Threads paying regions at once.
        #[arg(long, default_value_t = 2)]
        threads: usize,
        /// Print JSON for machines (with every region's summary) instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Print a shell completion script for `kinerja` (bash, zsh, fish, elvish,
    /// powershell), generated from the command line's own definition; e.g.
    /// `kinerja completions bash > ~/.local/share/bash-completion/completions/kinerja`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) of `kinerja`, generated from the command line's own
    /// definition (`kinerja man | man -l -`); with --dir, write `kinerja.1` and one
    /// `kinerja-COMMAND.1` per command into that directory.
    Man {
        /// Where to write the pages (created if missing; existing pages are replaced).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Budget realisation (Resume APBD): absorption, deviation from the monthly plan,
    /// units and programmes behind plan.
    Budget(insights::BudgetArgs),
    /// The six cumulative readiness requirements per unit, the go-live dates, and a
    /// unit's shadow month (`--shadow UNIT`).
    Readiness(insights::ReadinessArgs),
    /// One of the seven uses of the data, or verification quality.
    Insights(insights::InsightsArgs),
    /// The yearly awards: Best Performance, Best Service, Best Innovative.
    Awards(insights::AwardsArgs),
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
    /// Compute an open month anyway, as a projection: the recap that pays is the
    /// closed one (closed by an HR officer), so paying commands refuse an open month
    /// without this flag.
    #[arg(long)]
    projection: bool,
}

/// A month's inputs loaded: the city and the policy.
fn load_month(m: &MonthInput) -> Result<(City, Policy), Failure> {
    load(&m.input)
}

/// A file read with a progress bar of its bytes (see [`progress`]).
type Tracked = std::io::BufReader<indicatif::ProgressBarIter<std::fs::File>>;

/// Opens a file for reading, with a progress bar saying `what` while it is read.
fn open_tracked(path: &Path, what: &str) -> Result<Tracked, Failure> {
    let file = std::fs::File::open(path).map_err(|e| Failure::one(format!("cannot read {}: {e}", path.display())))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = progress::bytes(len, format!("{what} {}", path.display()));
    Ok(std::io::BufReader::with_capacity(1 << 20, bar.wrap_read(file)))
}

/// Opens a journal (either form, any version) as a stream, with a progress bar
/// saying `what` is done with it.
fn open_journal(path: &Path, what: &str) -> Result<JournalReader<Tracked>, Failure> {
    let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    JournalReader::new(open_tracked(path, what)?)
        .map(|r| r.with_len_hint(len))
        .map_err(|e| Failure::one(format!("{}: {e} [{}]", path.display(), e.code())))
}

/// A month's ledger, replayed from its journal stream (every event re-checked);
/// the journal itself is not kept in memory. A torn last record is reported on
/// stderr and left out.
fn load_ledger(ctx: &MonthContext<'_>, path: &Path) -> Result<Ledger, Failure> {
    let reader = open_journal(path, "replaying")?;
    if reader.header().month != ctx.month {
        return Err(Failure::one(format!("the journal is for {}, not {}", reader.header().month, ctx.month)));
    }
    let (ledger, torn) = Ledger::from_reader(ctx, reader, false)?;
    if let Some(t) = torn {
        eprintln!(
            "warning: {}: the last record ({}) is torn and was left out: {}",
            path.display(),
            t.position,
            t.message
        );
    }
    if !ledger.is_verifiable() {
        eprintln!(
            "warning: {}: a version 1 journal, migrated on reading: nothing vouches for its events",
            path.display()
        );
    }
    Ok(ledger)
}

/// The recap of a closed month as the allowance reads it: every day evaluated,
/// the verification deadline passed. An open month is refused unless `projection`
/// asks for one (then it is said on stderr).
/// Refuses, before any work, to replace an existing output file without --force
/// (write_atomic checks again, atomically, when it writes).
fn refuse_existing(path: Option<&Path>, force: bool) -> Result<(), Failure> {
    match path {
        Some(path) if !force && std::fs::symlink_metadata(path).is_ok() => {
            Err(output::WriteError::Exists(path.to_path_buf()).into())
        }
        _ => Ok(()),
    }
}

/// Writes a table as a Parquet file, atomically; says so on stderr (stdout stays
/// the report or the JSON).
fn write_parquet_file(
    path: &Path,
    force: bool,
    table: &kinerja_columnar::arrow_array::RecordBatch,
) -> Result<(), Failure> {
    let bar = progress::spinner(format!("writing {}", path.display()));
    let bytes = kinerja_columnar::write_parquet(table, Vec::new())
        .map_err(|e| Failure::one(format!("cannot make the Parquet file: {e}")))?;
    write_atomic(path, force, |w| w.write_all(&bytes))?;
    bar.finish_and_clear();
    eprintln!("wrote {}: {} rows x {} columns (Parquet)", path.display(), table.num_rows(), table.num_columns());
    Ok(())
}

fn final_recap(ctx: &MonthContext<'_>, journal: &Path, projection: bool) -> Result<MonthlyRecap, Failure> {
    let ledger = load_ledger(ctx, journal)?;
    let bar = progress::spinner(format!("recap of {}", ctx.month));
    let recap = monthly_recap(&ledger, ctx, ctx.settled_on())?;
    bar.finish_and_clear();
    // Freed before paying, so that the month's state and the payroll are not held
    // at the same time (the peak memory is one or the other).
    drop(ledger);
    match (kinerja::payroll::payable(&recap), projection) {
        (Ok(()), _) => {}
        (Err(_), true) => eprintln!("note: {} is not closed: these figures are a projection, not a payment", ctx.month),
        (Err(e), false) => {
            return Err(Failure::one(format!(
                "{e}; pass --projection to compute what the open month would pay [{}]",
                e.code()
            )));
        }
    }
    Ok(recap)
}

impl From<JournalError> for Failure {
    fn from(e: JournalError) -> Self {
        Failure::one(said(&e, e.code()))
    }
}

/// How a command ends other than with success: every line goes to stderr, then the
/// exit code (1; 0 for a closed stdout, which prints nothing).
pub struct Failure {
    lines: Vec<String>,
    exit: u8,
}

impl Failure {
    fn many(lines: Vec<String>) -> Self {
        Failure { lines, exit: 1 }
    }

    pub(crate) fn one(msg: impl Into<String>) -> Self {
        Failure::many(vec![msg.into()])
    }

    /// A usage error found after parsing (exit 2), like clap's own.
    fn usage(msg: String) -> Self {
        Failure { lines: vec![msg], exit: 2 }
    }

    /// Stdout was closed by its reader: stop quietly, exit 0.
    fn closed() -> Self {
        Failure { lines: Vec::new(), exit: 0 }
    }
}

impl From<DatasetError> for Failure {
    fn from(e: DatasetError) -> Self {
        match e {
            DatasetError::Invalid(v) => Failure::many(v.problems.iter().map(problem).collect()),
            other => Failure::one(Renderer::builtin().error(lang(), &other)),
        }
    }
}

impl From<LedgerError> for Failure {
    fn from(e: LedgerError) -> Self {
        Failure::one(said(&e, e.code()))
    }
}

impl From<kinerja::payroll::PayrollError> for Failure {
    fn from(e: kinerja::payroll::PayrollError) -> Self {
        Failure::one(said(&e, e.code()))
    }
}

impl From<PolicyError> for Failure {
    fn from(e: PolicyError) -> Self {
        match e {
            PolicyError::Invalid { file, problems } => {
                Failure::many(problems.iter().map(|p| format!("{file}: {}", problem(p))).collect())
            }
            other => Failure::one(Renderer::builtin().error(lang(), &other)),
        }
    }
}

impl From<kinerja::allowance::AllowanceError> for Failure {
    fn from(e: kinerja::allowance::AllowanceError) -> Self {
        match e {
            kinerja::allowance::AllowanceError::InvalidInput(v) => {
                Failure::many(v.problems.iter().map(problem).collect())
            }
            other => Failure::one(said(&other, other.code())),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let _ = LANG.set(cli.lang);
    progress::set_quiet(cli.quiet);
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure { lines, exit }) => {
            // Messages go to stderr; if even stderr is closed there is nobody to tell.
            let mut err = std::io::stderr().lock();
            let n = lines.len();
            for l in lines {
                let _ = writeln!(err, "error: {l}");
            }
            if n > 1 {
                let _ = writeln!(err, "{n} problems found");
            }
            ExitCode::from(exit)
        }
    }
}

/// Reads a whole file, unless it is longer than `limit` bytes (refused before reading).
fn read_limited(path: &Path, limit: usize) -> Result<String, Failure> {
    let cannot = |e: std::io::Error| Failure::one(format!("cannot read {}: {e}", path.display()));
    let len = std::fs::metadata(path).map_err(cannot)?.len();
    if len > limit as u64 {
        return Err(Failure::one(format!("{} is {len} bytes long; at most {limit} bytes are read", path.display())));
    }
    std::fs::read_to_string(path).map_err(cannot)
}

fn load_policy(files: &[PathBuf], no_national: bool) -> Result<Policy, Failure> {
    let mut layers = Vec::new();
    let mut problems = Vec::new();
    for f in files {
        let text = read_limited(f, kinerja::policy::MAX_POLICY_BYTES)?;
        match PolicyLayer::from_toml(&f.display().to_string(), &text) {
            Ok(l) => layers.push(l),
            Err(e) => problems.extend(Failure::from(e).lines),
        }
    }
    if !problems.is_empty() {
        return Err(Failure::many(problems));
    }
    let base = if no_national { Policy::from_layers(Vec::new()) } else { Policy::try_national()? };
    Ok(layers.into_iter().fold(base, Policy::with_layer))
}

fn load(input: &Input) -> Result<(City, Policy), Failure> {
    load_city_and_policy(&input.dataset, &input.policies, input.no_national)
}

fn load_city_and_policy(dataset: &Path, policies: &[PathBuf], no_national: bool) -> Result<(City, Policy), Failure> {
    let text = read_limited(dataset, kinerja::dataset::MAX_DATASET_BYTES)?;
    // Report dataset and policy problems together.
    let city = Dataset::load_city(&text).map_err(Failure::from);
    let policy = load_policy(policies, no_national);
    match (city, policy) {
        (Ok(c), Ok(p)) => Ok((c, p)),
        (Err(a), Err(b)) => Err(Failure::many(a.lines.into_iter().chain(b.lines).collect())),
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Generate { seed, units, employees, year, out, force } => {
            let bar = progress::spinner(format!("generating {employees} employees in {units} units"));
            let ds = generate(&GeneratorConfig { seed, units, employees, year })
                .map_err(|e| Failure::many(e.problems.iter().map(|p| p.to_string()).collect()))?;
            bar.set_message(format!("writing {}", out.display()));
            let json = ds.to_json();
            write_atomic(&out, force, |w| w.write_all(json.as_bytes()))?;
            bar.finish_and_clear();
            emitln(&format!(
                "wrote {}: {} units, {} positions, {} employees, {} assignments (seed {seed})",
                out.display(),
                ds.units.len(),
                ds.positions.len(),
                ds.employees.len(),
                ds.assignments.len()
            ))
        }
        Command::Check { input, month } => {
            let (city, policy) = load(&input)?;
            let org = &city.organisation;
            let month = month.unwrap_or_else(|| YearMonth::of(today()));
            let ctx = MonthContext::new(&city, &policy, month)?;
            let check = kinerja::payroll::check_month(&city, &ctx, &policy)?;
            let mut problems: Vec<String> = check.problems.iter().map(|p| p.to_string()).collect();
            problems.extend(
                check.failures.iter().map(|f| {
                    format!("employee `{}`: paying {month} would fail: {} [{}]", f.employee, f.message, f.code)
                }),
            );
            if !problems.is_empty() {
                return Err(Failure::many(problems));
            }
            let mut text = format!(
                "ok: {} — {} units, {} positions, {} employees, {} assignments; policy layers: {}\n",
                city.government.name,
                org.units().len(),
                org.positions().len(),
                org.employees().len(),
                org.assignments().len(),
                policy.layers().iter().map(|l| l.name.as_str()).collect::<Vec<_>>().join(" > ")
            );
            let _ = writeln!(text, "{}", coverage_line(&policy));
            let _ = writeln!(
                text,
                "{}",
                unverified_line(
                    month,
                    &kinerja::payroll::unverified_values(&policy, month),
                    kinerja::payroll::allowance_keys(&policy, month).len(),
                    false
                )
            );
            let _ = write!(
                text,
                "payroll checks for {month}: {} employees can be paid, {} will not be paid",
                check.payable,
                check.not_paid.len()
            );
            let mut by_code: std::collections::BTreeMap<&str, usize> = Default::default();
            for n in &check.not_paid {
                *by_code.entry(n.code.as_str()).or_default() += 1;
            }
            if !by_code.is_empty() {
                let codes: Vec<String> = by_code.iter().map(|(c, n)| format!("{c} {n}")).collect();
                let _ = write!(text, " ({})", codes.join(", "));
            }
            emitln(&text)
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
                emitln(&serde_json::to_string_pretty(&out).unwrap_or_default())
            } else {
                emit(&abk_table(&city, &analysis, positions, date, &params.provenance))
            }
        }
        Command::Simulate { input, month, seed, open, out, force } => {
            // Refuse before the work: an existing journal is never replaced without --force
            // (write_atomic checks again, atomically, when it writes).
            if !force && std::fs::symlink_metadata(&out).is_ok() {
                return Err(output::WriteError::Exists(out).into());
            }
            let (city, policy) = load(&input)?;
            let ctx = MonthContext::new(&city, &policy, month)?;
            // The journal is streamed to the file as the month is simulated (the text
            // form for `.jsonl`/`.json`, the compact form for `.kjb`), never held whole.
            let format = JournalFormat::for_path(&out.display().to_string());
            let mut outcome = None;
            let bar = progress::counter(format!("simulating {month}, events written"));
            write_atomic(&out, force, |w| {
                let mut writer =
                    JournalWriter::new(w, format, &JournalHeader::new(month)).map_err(std::io::Error::other)?;
                let simulated = kinerja::simulate::simulate_month_streaming(&ctx, seed, !open, |e| {
                    bar.inc(1);
                    writer.write(e)
                })
                .map_err(std::io::Error::other)?
                .map_err(std::io::Error::other)?;
                writer.finish().map_err(std::io::Error::other)?;
                outcome = Some(simulated);
                Ok(())
            })?;
            bar.finish_and_clear();
            let (ledger, report) = outcome.ok_or_else(|| Failure::one("the simulation did not run"))?;
            let entries = ledger.state().entries.len();
            emitln(&format!(
                "wrote {}: {} events for {month} ({} activity entries); refused commands: {}",
                out.display(),
                ledger.head().seq,
                entries,
                if report.refused.is_empty() {
                    "none".to_string()
                } else {
                    report.refused.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ")
                }
            ))
        }
        Command::Recap { month, as_of, employees, json, parquet, force } => {
            refuse_existing(parquet.as_deref(), force)?;
            let (city, policy) = load_month(&month)?;
            let ctx = MonthContext::new(&city, &policy, month.month)?;
            let ledger = load_ledger(&ctx, &month.journal)?;
            let as_of = as_of.unwrap_or_else(|| ctx.settled_on());
            let bar = progress::spinner(format!("recap of {}", month.month));
            let recap = monthly_recap(&ledger, &ctx, as_of)?;
            bar.finish_and_clear();
            if json {
                emitln(&serde_json::to_string_pretty(&recap).unwrap_or_default())?;
            } else {
                emit(&recap_table(&city, &recap, employees))?;
            }
            if let Some(path) = &parquet {
                let table = kinerja_columnar::recap_employees(&city, &recap)
                    .map_err(|e| Failure::one(format!("cannot make the recap table: {e}")))?;
                write_parquet_file(path, force, &table)?;
            }
            Ok(())
        }
        Command::Tpp { month, json, csv, separator, xlsx, parquet, force, allow_failures, allow_unverified } => {
            // Refuse before the work: an existing spreadsheet or Parquet file is never
            // replaced without --force (write_atomic checks again, atomically, when it writes).
            refuse_existing(xlsx.as_deref(), force)?;
            refuse_existing(parquet.as_deref(), force)?;
            let (city, policy) = load_month(&month)?;
            let ctx = MonthContext::new(&city, &policy, month.month)?;
            let recap = final_recap(&ctx, &month.journal, month.projection)?;
            let options = kinerja::payroll::PayOptions { allow_unverified };
            let bar = progress::spinner(format!("paying {} ({} slips)", month.month, recap.employees.len()));
            let payroll = kinerja::payroll::pay_city_with(&city, &ctx, &recap, &policy, &options)?;
            bar.finish_and_clear();
            let unverified = kinerja::payroll::unverified_values(&policy, month.month);
            if !unverified.is_empty() {
                // On stderr, so that --json and --csv stay machine-readable.
                let total = kinerja::payroll::allowance_keys(&policy, month.month).len();
                eprintln!("{}", unverified_line(month.month, &unverified, total, true));
            }
            if json {
                emitln(&serde_json::to_string_pretty(&payroll).unwrap_or_default())?;
            } else if csv {
                let options = kinerja::export::CsvOptions { separator };
                let text = kinerja::export::payroll_csv_with(&city, &payroll, &options)
                    .map_err(|e| Failure::one(format!("cannot write the CSV: {e}")))?;
                emit(&text)?;
            } else {
                emit(&pay::tpp_table(&city, &payroll))?;
            }
            if let Some(path) = &xlsx {
                let bar = progress::spinner(format!("writing {}", path.display()));
                let (bytes, sheets) = xlsx::payroll_xlsx(&city, &payroll)
                    .map_err(|e| Failure::one(format!("cannot make the spreadsheet: {e}")))?;
                write_atomic(path, force, |w| w.write_all(&bytes))?;
                bar.finish_and_clear();
                // On stderr, so that --json and --csv stay machine-readable.
                eprintln!("wrote {}: a summary sheet and {sheets} unit sheet(s)", path.display());
            }
            if let Some(path) = &parquet {
                let rules = kinerja_columnar::payroll_rules(&payroll.slips);
                let table = kinerja_columnar::payroll_slips(&city, &payroll, &rules)
                    .map_err(|e| Failure::one(format!("cannot make the slips table: {e}")))?;
                write_parquet_file(path, force, &table)?;
            }
            if payroll.failures.is_empty() || allow_failures {
                return Ok(());
            }
            let mut lines: Vec<String> = payroll
                .failures
                .iter()
                .take(20)
                .map(|f| format!("employee `{}` could not be paid: {} [{}]", f.employee, f.message, f.code))
                .collect();
            lines.push(format!(
                "{} of {} employees could not be computed (all listed in the output{}); pass --allow-failures to accept the payroll without them",
                payroll.failures.len(),
                payroll.summary.employees,
                if payroll.failures.len() > 20 { ", the first 20 above" } else { "" }
            ));
            Err(Failure::many(lines))
        }
        Command::ExportTables { month, out, force } => {
            let (city, policy) = load_month(&month)?;
            let ctx = MonthContext::new(&city, &policy, month.month)?;
            let ledger = load_ledger(&ctx, &month.journal)?;
            if !ledger.is_closed() && !month.projection {
                return Err(Failure::one(format!(
                    "{} is not closed: the references compute what the closed month pays; pass --projection to export the open month anyway",
                    month.month
                )));
            }
            let bar = progress::spinner(format!("flat tables of {}", month.month));
            let tables = kinerja::tables::flat_tables(&city, &ledger, &ctx, &policy)
                .map_err(|e| Failure::one(format!("{e} [{}]", e.code())))?;
            bar.set_message(format!("writing {}", out.display()));
            let rows = export_tables::write(&out, &tables, force)?;
            bar.finish_and_clear();
            let list: Vec<String> = rows.iter().map(|(n, r)| format!("{n} {r}")).collect();
            emitln(&format!("wrote {} tables to {}: {}", rows.len(), out.display(), list.join(", ")))
        }
        Command::Explain { month, nip, json } => {
            let nip = kinerja::org::Nip::parse(&nip).map_err(|e| Failure::one(format!("--nip: {e}")))?;
            let (city, policy) = load_month(&month)?;
            if city.organisation.employee(&nip).is_none() {
                return Err(Failure::one(format!("employee {nip} is not in the dataset")));
            }
            let ctx = MonthContext::new(&city, &policy, month.month)?;
            let recap = final_recap(&ctx, &month.journal, month.projection)?;
            let r = recap
                .employees
                .iter()
                .find(|e| e.employee == nip)
                .ok_or_else(|| Failure::one(format!("employee {nip} has no recap for {}", month.month)))?;
            let input = kinerja::payroll::input_or_reason(&city, &ctx, r).map_err(|n| {
                Failure::one(format!(
                    "employee {nip} is not paid in {}: {} [{}; {} field `{}`]",
                    month.month, n.reason, n.code, n.record, n.field
                ))
            })?;
            let slip = kinerja::allowance::compute_slip(&input, &policy)?;
            if json {
                emitln(&serde_json::to_string_pretty(&slip).unwrap_or_default())
            } else {
                emit(&pay::explain(&city, &slip))
            }
        }
        Command::Whatif { month, proposed_policy, json } => {
            let (city, policy) = load_month(&month)?;
            let text = read_limited(&proposed_policy, kinerja::policy::MAX_POLICY_BYTES)?;
            let proposed_layer = PolicyLayer::from_toml(&proposed_policy.display().to_string(), &text)?;
            let proposed = policy.clone().with_layer(proposed_layer);
            let ctx = MonthContext::new(&city, &policy, month.month)?;
            let recap = final_recap(&ctx, &month.journal, month.projection)?;
            let bar = progress::spinner(format!("paying {} under both policies", month.month));
            let w = kinerja::payroll::what_if(&city, &ctx, &recap, &policy, &proposed)?;
            bar.finish_and_clear();
            if json {
                let out = serde_json::json!({ "month": w.current.month, "units": w.units, "city": w.comparison.total });
                emitln(&serde_json::to_string_pretty(&out).unwrap_or_default())
            } else {
                emit(&pay::whatif_table(&city, &w))
            }
        }
        Command::VerifySlip { slip, input, dataset, journal, policies, no_national, json } => {
            let stored: kinerja::allowance::Slip = serde_json::from_str(&read_limited(&slip, MAX_SLIP_BYTES)?)
                .map_err(|e| Failure::one(format!("{} is not a slip: {e}", slip.display())))?;
            let (policy, input) = match (input, dataset, journal) {
                (Some(path), _, _) => {
                    let policy = load_policy(&policies, no_national)?;
                    let input: kinerja::allowance::AllowanceInput =
                        serde_json::from_str(&read_limited(&path, MAX_SLIP_BYTES)?)
                            .map_err(|e| Failure::one(format!("{} is not an allowance input: {e}", path.display())))?;
                    (policy, input)
                }
                (None, Some(dataset), Some(journal)) => {
                    let (city, policy) = load_city_and_policy(&dataset, &policies, no_national)?;
                    let ctx = MonthContext::new(&city, &policy, stored.month)?;
                    // A slip is paid from a closed month only.
                    let recap = final_recap(&ctx, &journal, false)?;
                    let r = recap.employees.iter().find(|e| e.employee == stored.employee).ok_or_else(|| {
                        Failure::one(format!("employee {} is not in the dataset's recap", stored.employee))
                    })?;
                    let input = kinerja::payroll::input_or_reason(&city, &ctx, r).map_err(|n| {
                        Failure::one(format!(
                            "employee {} is not paid in {}: {}",
                            stored.employee, stored.month, n.reason
                        ))
                    })?;
                    (policy, input)
                }
                _ => return Err(Failure::one("give --input, or --dataset with --journal")),
            };
            let v = kinerja::allowance::verify(&stored, &input, &policy)?;
            if json {
                emitln(&serde_json::to_string_pretty(&v).unwrap_or_default())?;
            } else {
                emit(&pay::verification(&stored, &v))?;
            }
            if v.holds {
                Ok(())
            } else {
                let mut why = Vec::new();
                if !v.sealed {
                    why.push("the seal is broken".to_string());
                }
                if !v.input_matches {
                    why.push("the input changed".to_string());
                }
                if !v.policy_matches {
                    why.push("the policy changed".to_string());
                }
                if !v.differences.is_empty() {
                    why.push(format!("{} amount(s) or rule(s) differ", v.differences.len()));
                }
                Err(Failure::one(format!(
                    "the slip of {} for {} does not hold: {} (see the report)",
                    stored.employee,
                    stored.month,
                    why.join(", ")
                )))
            }
        }
        Command::VerifyJournal { journal, head, json } => {
            let anchor = match head {
                None => None,
                Some(h) => {
                    let (seq, hash) = h.split_once(':').ok_or_else(|| Failure::one("--head: expected SEQ:HASH"))?;
                    let seq = seq.parse::<u64>().map_err(|e| Failure::one(format!("--head: {e}")))?;
                    let hash = hash.parse().map_err(|e: String| Failure::one(format!("--head: {e}")))?;
                    Some(kinerja::ledger::Head { seq, hash })
                }
            };
            let v = kinerja::ledger::verify(open_tracked(&journal, "verifying")?, anchor)?;
            if json {
                emitln(&serde_json::to_string_pretty(&v).unwrap_or_default())?;
            } else {
                let mut out = format!(
                    "{}: {} journal for {}, {} events verified, head {}:{}\n",
                    journal.display(),
                    match v.format {
                        JournalFormat::Text => "text",
                        JournalFormat::Binary => "compact",
                    },
                    v.header.month,
                    v.events,
                    v.head.seq,
                    v.head.hash
                );
                if let Some(m) = v.header.migrated_from {
                    let _ = writeln!(out, "migrated from version {m}: nothing vouches for its events");
                }
                if let Some(p) = &v.problem {
                    let _ = writeln!(out, "FAULT: {p}");
                }
                if let Some(u) = &v.unreadable {
                    let _ = writeln!(out, "UNREADABLE: {u}");
                }
                if let Some(t) = &v.torn {
                    let _ = writeln!(
                        out,
                        "TORN: the last record ({}, {} bytes) is cut off: {}",
                        t.position, t.bytes, t.message
                    );
                }
                if v.holds() {
                    out.push_str("the chain holds\n");
                }
                emit(&out)?;
            }
            if v.holds() { Ok(()) } else { Err(Failure::many(Vec::new())) }
        }
        Command::ConvertJournal { journal, out, force } => {
            let mut reader = open_journal(&journal, "converting")?;
            let header = reader.header().clone();
            let format = JournalFormat::for_path(&out.display().to_string());
            let mut events = 0u64;
            write_atomic(&out, force, |w| {
                let mut writer = JournalWriter::new(w, format, &header).map_err(std::io::Error::other)?;
                for e in &mut reader {
                    writer.write(&e.map_err(std::io::Error::other)?).map_err(std::io::Error::other)?;
                    events += 1;
                }
                writer.finish().map_err(std::io::Error::other)?;
                Ok(())
            })?;
            if let Some(t) = reader.torn() {
                eprintln!("warning: the last record ({}) is torn and was left out: {}", t.position, t.message);
            }
            emitln(&format!("wrote {}: {events} events", out.display()))
        }
        Command::National { seed, regions, scale, threads, json } => national::run(seed, regions, scale, threads, json),
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "kinerja", &mut buf);
            emit(&String::from_utf8_lossy(&buf))
        }
        Command::Man { dir } => man_pages(dir.as_deref()),
        Command::ImportAttendance(args) => imports::attendance(args),
        Command::ImportEmployees(args) => imports::employees(args),
        Command::Budget(args) => insights::budget(args),
        Command::Readiness(args) => insights::readiness(args),
        Command::Insights(args) => insights::insights(args),
        Command::Awards(args) => insights::awards(args),
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
            emit(&format!("{}\nPolicy in force on {date}:\n{}", coverage_line(&policy), t.render()))
        }
    }
}

/// The manual pages generated from the command line's definition: `kinerja.1` on
/// stdout, or it and one page per command (`kinerja-tpp.1`, ...) written into `dir`.
fn man_pages(dir: Option<&Path>) -> Result<(), Failure> {
    let cmd = Cli::command();
    let page = |c: clap::Command| -> Result<Vec<u8>, Failure> {
        let mut buf = Vec::new();
        clap_mangen::Man::new(c)
            .render(&mut buf)
            .map_err(|e| Failure::one(format!("cannot render the manual: {e}")))?;
        Ok(buf)
    };
    let Some(dir) = dir else {
        return emit(&String::from_utf8_lossy(&page(cmd)?));
    };
    std::fs::create_dir_all(dir).map_err(|e| Failure::one(format!("cannot create {}: {e}", dir.display())))?;
    let mut written = vec![("kinerja.1".to_string(), page(cmd.clone())?)];
    for sub in cmd.get_subcommands() {
        let name = format!("kinerja-{}", sub.get_name());
        written.push((format!("{name}.1"), page(sub.clone().name(name))?));
    }
    for (file, bytes) in &written {
        write_atomic(&dir.join(file), true, |w| w.write_all(bytes))?;
    }
    emitln(&format!("wrote {} manual pages into {}", written.len(), dir.display()))
}

/// How many allowance values in force for `month` are not verified, by status.
fn unverified_line(
    month: YearMonth,
    values: &[(String, kinerja::policy::ValueStatus)],
    total: usize,
    paid: bool,
) -> String {
    if values.is_empty() {
        return format!("every allowance policy value in force for {month} is verified");
    }
    let mut by: std::collections::BTreeMap<&str, usize> = Default::default();
    for (_, s) in values {
        *by.entry(s.as_str()).or_default() += 1;
    }
    let parts: Vec<String> = by.iter().map(|(s, n)| format!("{s} {n}")).collect();
    format!(
        "{} of {total} allowance policy values in force for {month} are not verified ({}){}",
        values.len(),
        parts.join(", "),
        if paid {
            "; paid with --allow-unverified, every slip records them"
        } else {
            "; paying needs --allow-unverified"
        }
    )
}

/// `policy covers 2020-01-01 onwards (every key has a value on every day)`.
fn coverage_line(policy: &kinerja::policy::Policy) -> String {
    match policy.coverage() {
        Some(c) => format!("policy covers {c} (every key has a value on every day of that range)"),
        None => "policy covers no date completely: some key has no value on any day".to_string(),
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
    let mut t =
        table::Table::new(&["unit", "positions", "headcount", "needed (FTE)", "gap", "EU", "grade"]).right_from(1);
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
        ])
        .right_from(2);
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
    ])
    .right_from(1);
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
        ])
        .right_from(2);
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
