//! `import-attendance` and `import-employees`: the core's imports
//! (`kinerja::import`) from the command line, with their reports as tables or JSON.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime};
use clap::Args;
use kinerja::YearMonth;
use kinerja::access::DeviceId;
use kinerja::attendance::ClockDirection;
use kinerja::dataset::{City, Dataset};
use kinerja::import::clock::{ClockImport, ClockLogOptions, read_clock_log};
use kinerja::import::siasn::{MergeReport, SiasnOptions, merge_employees};
use kinerja::import::{ColumnNames, DateOrder, ImportError, Layout};
use kinerja::ledger::{
    Event, JournalFormat, JournalHeader, JournalReader, JournalWriter, Ledger, LedgerError, MonthContext,
};
use kinerja::policy::Policy;
use serde::Serialize;

use crate::output::{WriteError, emit, emitln, write_atomic};
use crate::{Failure, Input, table};

/// The reason in the language of the command line (`--lang`): the core's Indonesian
/// or English sentence.
fn pick(id: String, en: String) -> String {
    match crate::lang() {
        kinerja::i18n::Lang::Id => id,
        kinerja::i18n::Lang::En => en,
    }
}

/// `FIELD=HEADER`.
fn parse_column(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((f, h)) if !f.trim().is_empty() && !h.trim().is_empty() => {
            Ok((f.trim().to_string(), h.trim().to_string()))
        }
        _ => Err(format!("`{text}`: expected FIELD=HEADER, e.g. pin=\"No. Absen\"")),
    }
}

fn parse_device(text: &str) -> Result<DeviceId, String> {
    DeviceId::new(text)
}

/// `2026-10-07T08:00`, `2026-10-07 08:00:00`.
fn parse_datetime(text: &str) -> Result<NaiveDateTime, String> {
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .ok_or_else(|| format!("`{text}` is not a date and time such as 2026-10-07T08:00"))
}

/// Sets the names given with `--column` (a field named several times takes them all,
/// in order). An unknown field is a usage error.
fn apply_columns(names: &mut dyn ColumnNames, given: &[(String, String)]) -> Result<(), Failure> {
    let mut fields: Vec<&str> = Vec::new();
    for (f, _) in given {
        if !fields.contains(&f.as_str()) {
            fields.push(f);
        }
    }
    for f in fields {
        let list = given.iter().filter(|(g, _)| g == f).map(|(_, h)| h.clone()).collect();
        names.set(f, list).map_err(|e| Failure::usage(format!("--column: {e}")))?;
    }
    Ok(())
}

fn import_failure(path: &Path, e: ImportError) -> Failure {
    Failure::one(format!("{}: {e} [{}]", path.display(), e.code()))
}

fn open(path: &Path) -> Result<std::io::BufReader<std::fs::File>, Failure> {
    std::fs::File::open(path)
        .map(std::io::BufReader::new)
        .map_err(|e| Failure::one(format!("cannot read {}: {e}", path.display())))
}

fn layout_lines(out: &mut String, l: &Layout) {
    let cols: Vec<String> = l.columns.iter().map(|c| format!("{} = {}", c.field, c.column)).collect();
    let _ = writeln!(out, "Columns read: {}", cols.join(", "));
    if !l.ignored.is_empty() {
        let ignored: Vec<String> = l.ignored.iter().map(|c| c.to_string()).collect();
        let _ = writeln!(out, "Not read: {}", ignored.join(", "));
    }
    if !l.skipped_rows.is_empty() {
        let rows: Vec<String> = l.skipped_rows.iter().map(|r| r.to_string()).collect();
        let _ = writeln!(out, "Rows above the header, not read: {}", rows.join(", "));
    }
}

fn describe(l: &Layout) -> String {
    let delimiter = match l.delimiter {
        '\t' => "tab".to_string(),
        d => format!("'{d}'"),
    };
    format!("{}, delimiter {delimiter}, header on row {}", l.encoding, l.header_row)
}

// ---------------------------------------------------------------------------
// import-attendance
// ---------------------------------------------------------------------------

/// The options of `import-attendance`.
#[derive(Args, Debug)]
pub struct AttendanceArgs {
    #[command(flatten)]
    input: Input,
    /// The machine's log (CSV, any of the layouts of docs/imports.md).
    #[arg(long)]
    csv: PathBuf,
    /// The machine the whole log comes from (a device id of the dataset); without
    /// it, the log's device column (Mesin, Machine, SN...) names the machine of each row.
    #[arg(long, value_parser = parse_device)]
    device: Option<DeviceId>,
    /// Import only the scans of this month, e.g. 2026-10 (default: the journal's
    /// month with --journal, else every month).
    #[arg(long)]
    month: Option<YearMonth>,
    /// Dates are written month first (10/5/2026 is 5 October); default: day first.
    #[arg(long)]
    month_first: bool,
    /// The header of a field, FIELD=HEADER (repeat; a field named several times takes
    /// the names in order). Fields: nip, pin, datetime, date, time, status, device, name.
    #[arg(long = "column", value_name = "FIELD=HEADER", value_parser = parse_column)]
    columns: Vec<(String, String)>,
    /// Record the events into this month's journal, as the machine (`device:ID`),
    /// through the ledger; a new journal is started when the file does not exist.
    #[arg(long)]
    journal: Option<PathBuf>,
    /// When the log was received, e.g. 2026-10-07T08:00 (default: now): a scan may lie
    /// at most the policy's `record.claim_window_working_days` before it.
    #[arg(long, requires = "journal", value_parser = parse_datetime)]
    received_at: Option<NaiveDateTime>,
    /// Rewrite --journal when it exists (its events, then the new ones); without it an
    /// existing journal is never touched.
    #[arg(long, requires = "journal")]
    force: bool,
    /// Exit 0 even when rows need attention or the ledger refused events (they are listed).
    #[arg(long)]
    allow_unmatched: bool,
    /// Also list every event.
    #[arg(long)]
    events: bool,
    /// Print the report as JSON instead of tables.
    #[arg(long, conflicts_with = "events")]
    json: bool,
}

/// What recording into the journal did.
#[derive(Serialize)]
struct Recorded {
    journal: String,
    month: YearMonth,
    /// Rows whose event was recorded.
    recorded: Vec<usize>,
    /// Rows whose event the journal already holds (same key).
    already_recorded: Vec<usize>,
    /// Rows whose event the ledger refused.
    refused: Vec<LedgerRefusal>,
    /// The journal's head after the import, `SEQ:HASH`.
    head: String,
    /// Whether the file was written (not when nothing new was recorded).
    written: bool,
}

#[derive(Serialize)]
struct LedgerRefusal {
    row: usize,
    code: &'static str,
    reason: Option<&'static str>,
    message: String,
}

/// Runs `import-attendance`.
pub fn attendance(a: AttendanceArgs) -> Result<(), Failure> {
    let mut options = ClockLogOptions {
        device: a.device.clone(),
        date_order: if a.month_first { DateOrder::MonthFirst } else { DateOrder::DayFirst },
        ..ClockLogOptions::default()
    };
    apply_columns(&mut options.columns, &a.columns)?;
    let existing = a.journal.as_ref().filter(|j| std::fs::symlink_metadata(j).is_ok());
    // Refuse before the work: an existing journal is rewritten only with --force.
    if let Some(j) = existing
        && !a.force
    {
        return Err(WriteError::Exists(j.clone()).into());
    }
    let journal_month = match existing {
        Some(j) => Some(crate::open_journal(j, "reading")?.header().month),
        None => None,
    };
    options.month = match (a.month, journal_month) {
        (Some(m), Some(j)) if m != j => {
            return Err(Failure::one(format!("--month {m}: the journal is for {j}")));
        }
        (Some(m), _) => Some(m),
        (None, Some(j)) => Some(j),
        (None, None) if a.journal.is_some() => {
            return Err(Failure::usage("--month is needed to start a new journal".into()));
        }
        (None, None) => None,
    };
    let (city, policy) = crate::load(&a.input)?;
    let bar = crate::progress::spinner(format!("reading the attendance log {}", a.csv.display()));
    let report = read_clock_log(&city, open(&a.csv)?, &options).map_err(|e| import_failure(&a.csv, e))?;
    bar.finish_and_clear();
    let recorded = match (&a.journal, options.month) {
        (Some(j), Some(month)) => {
            let received = a.received_at.unwrap_or_else(|| chrono::Local::now().naive_local());
            Some(record(&city, &policy, month, j, existing.is_some(), &report, received)?)
        }
        _ => None,
    };
    if a.json {
        let out = serde_json::json!({ "import": report, "journal": recorded });
        emitln(&serde_json::to_string_pretty(&out).unwrap_or_default())?;
    } else {
        emit(&attendance_text(&a, &report, recorded.as_ref()))?;
    }
    let attention = report.needs_attention().count();
    let refused = recorded.as_ref().map_or(0, |r| r.refused.len());
    if (attention == 0 && refused == 0) || a.allow_unmatched {
        return Ok(());
    }
    let what = match recorded {
        Some(_) => format!("{attention} row(s) need attention and the ledger refused {refused} event(s)"),
        None => format!("{attention} row(s) need attention"),
    };
    Err(Failure::one(format!("{what} (listed above); pass --allow-unmatched to accept the import without them")))
}

/// Records the events into the journal (replayed first when it exists) and rewrites it
/// atomically with the old events and the new.
fn record(
    city: &City,
    policy: &Policy,
    month: YearMonth,
    path: &Path,
    exists: bool,
    report: &ClockImport,
    received: NaiveDateTime,
) -> Result<Recorded, Failure> {
    let ctx = MonthContext::new(city, policy, month)?;
    let mut ledger = if exists { crate::load_ledger(&ctx, path)? } else { Ledger::streaming(month) };
    let (mut recorded, mut already, mut refused) = (Vec::new(), Vec::new(), Vec::new());
    let mut new_events: Vec<Event> = Vec::new();
    for (row, request) in report.requests(Some(received)) {
        match ledger.execute(&ctx, request) {
            Ok(e) => {
                new_events.push(e.clone());
                recorded.push(row);
            }
            Err(LedgerError::DuplicateKey { .. }) => already.push(row),
            Err(e) => {
                let reason = match &e {
                    LedgerError::NotAuthorised(n) => Some(n.reason()),
                    _ => None,
                };
                refused.push(LedgerRefusal { row, code: e.code(), reason, message: e.to_string() });
            }
        }
    }
    let written = !new_events.is_empty();
    if written {
        let format = JournalFormat::for_path(&path.display().to_string());
        write_atomic(path, exists, |w| {
            let old = if exists {
                let file = std::fs::File::open(path)?;
                Some(JournalReader::new(std::io::BufReader::new(file)).map_err(std::io::Error::other)?)
            } else {
                None
            };
            let header = old.as_ref().map_or_else(|| JournalHeader::new(month), |r| r.header().clone());
            let mut writer = JournalWriter::new(w, format, &header).map_err(std::io::Error::other)?;
            for e in old.into_iter().flatten() {
                writer.write(&e.map_err(std::io::Error::other)?).map_err(std::io::Error::other)?;
            }
            for e in &new_events {
                writer.write(e).map_err(std::io::Error::other)?;
            }
            writer.finish().map_err(std::io::Error::other)?.flush()
        })?;
    }
    let head = ledger.head();
    Ok(Recorded {
        journal: path.display().to_string(),
        month,
        recorded,
        already_recorded: already,
        refused,
        head: format!("{}:{}", head.seq, head.hash),
        written,
    })
}

fn attendance_text(a: &AttendanceArgs, r: &ClockImport, recorded: Option<&Recorded>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Attendance log {}: {} rows read ({})", a.csv.display(), r.rows, describe(&r.layout));
    layout_lines(&mut out, &r.layout);
    let machine = match &a.device {
        Some(d) => format!("{d} (every row)"),
        None => "named by each row".into(),
    };
    let month = r.month.map_or_else(|| "every month".to_string(), |m| m.to_string());
    let _ = writeln!(out, "Machine: {machine}; month: {month}");
    let ins = r.events.iter().filter(|e| e.event.direction == ClockDirection::In).count();
    let inferred = r.events.iter().filter(|e| e.inferred).count();
    let _ = writeln!(
        out,
        "\n{} events: {ins} check-ins, {} check-outs ({inferred} with the direction inferred)",
        r.events.len(),
        r.events.len() - ins
    );
    if a.events && !r.events.is_empty() {
        let mut t = table::Table::new(&["row", "NIP", "time", "direction", "machine", "inferred"]).right([0]);
        for e in &r.events {
            t.row(vec![
                e.row.to_string(),
                e.event.employee.to_string(),
                e.event.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                match e.event.direction {
                    ClockDirection::In => "in".into(),
                    ClockDirection::Out => "out".into(),
                },
                e.device.to_string(),
                if e.inferred { "yes".into() } else { "no".into() },
            ]);
        }
        out.push_str(&t.render());
    }
    if !r.unmatched.is_empty() {
        let attention = r.needs_attention().count();
        let _ = writeln!(out, "\n{} rows not imported ({attention} need attention):", r.unmatched.len());
        let mut t = table::Table::new(&["reason", "rows", "needs attention"]).right([1]);
        for (code, n) in r.counts() {
            let flag = r.unmatched.iter().find(|u| u.reason.code() == code).is_some_and(|u| u.reason.needs_attention());
            t.row(vec![code.to_string(), n.to_string(), if flag { "yes".into() } else { "no".into() }]);
        }
        out.push_str(&t.render());
        out.push('\n');
        let mut t =
            table::Table::new(&["row", "column", "PIN/NIP", "name", "time", "machine", "code", "reason"]).right([0]);
        for u in &r.unmatched {
            t.row(vec![
                u.row.to_string(),
                u.column.as_ref().map(|c| format!("{} [{}]", c.header, c.index)).unwrap_or_default(),
                u.identifier.clone(),
                u.name.clone(),
                u.time.clone(),
                u.device.clone(),
                u.reason.code().to_string(),
                pick(u.reason.message_id(), u.reason.message_en()),
            ]);
        }
        out.push_str(&t.render());
    }
    if let Some(rec) = recorded {
        let _ = writeln!(
            out,
            "\nJournal {} ({}): {} events recorded as the machines, {} already recorded, {} refused by the ledger; head {}{}",
            rec.journal,
            rec.month,
            rec.recorded.len(),
            rec.already_recorded.len(),
            rec.refused.len(),
            rec.head,
            if rec.written { "" } else { " (nothing new: the file is unchanged)" }
        );
        if !rec.refused.is_empty() {
            let mut t = table::Table::new(&["row", "code", "reason"]).right([0]);
            for x in &rec.refused {
                let code = match x.reason {
                    Some(reason) => format!("{} ({reason})", x.code),
                    None => x.code.to_string(),
                };
                t.row(vec![x.row.to_string(), code, x.message.clone()]);
            }
            out.push_str(&t.render());
        }
    }
    out
}

// ---------------------------------------------------------------------------
// import-employees
// ---------------------------------------------------------------------------

/// The options of `import-employees`.
#[derive(Args, Debug)]
pub struct EmployeesArgs {
    /// The city dataset to merge into (JSON).
    #[arg(long)]
    dataset: PathBuf,
    /// The employee export of SIASN/SAPK (CSV; docs/imports.md).
    #[arg(long)]
    csv: PathBuf,
    /// Where to write the merged dataset (atomically).
    #[arg(long)]
    out: PathBuf,
    /// Replace --out if it exists.
    #[arg(long)]
    force: bool,
    /// The date the export describes (the day it was downloaded); default: today.
    #[arg(long)]
    as_of: Option<NaiveDate>,
    /// Dates are written month first; default: day first.
    #[arg(long)]
    month_first: bool,
    /// The header of a field, FIELD=HEADER (repeat). Fields: nip, name, front_title,
    /// back_title, rank, rank_code, employee_type, cpns_status, position_id,
    /// position_name, position_from, unit_id, unit_name.
    #[arg(long = "column", value_name = "FIELD=HEADER", value_parser = parse_column)]
    columns: Vec<(String, String)>,
    /// Exit 0 even when rows were refused or merged without their position (they are listed).
    #[arg(long)]
    allow_unmatched: bool,
    /// Print the report as JSON instead of tables.
    #[arg(long)]
    json: bool,
}

/// Runs `import-employees`.
pub fn employees(a: EmployeesArgs) -> Result<(), Failure> {
    let mut options = SiasnOptions::new(a.as_of.unwrap_or_else(crate::today));
    if a.month_first {
        options.date_order = DateOrder::MonthFirst;
    }
    apply_columns(&mut options.columns, &a.columns)?;
    if !a.force && std::fs::symlink_metadata(&a.out).is_ok() {
        return Err(WriteError::Exists(a.out.clone()).into());
    }
    let text = crate::read_limited(&a.dataset, kinerja::dataset::MAX_DATASET_BYTES)?;
    let city = Dataset::load_city(&text)?;
    let bar = crate::progress::spinner(format!("merging the employee export {}", a.csv.display()));
    let merge = merge_employees(&city, open(&a.csv)?, &options).map_err(|e| import_failure(&a.csv, e))?;
    bar.finish_and_clear();
    let json = merge.dataset.to_json();
    write_atomic(&a.out, a.force, |w| w.write_all(json.as_bytes()))?;
    let r = &merge.report;
    if a.json {
        emitln(&serde_json::to_string_pretty(r).unwrap_or_default())?;
    } else {
        let written = format!(
            "wrote {}: {} employees, {} assignments",
            a.out.display(),
            merge.dataset.employees.len(),
            merge.dataset.assignments.len()
        );
        emit(&employees_text(&a, r, &written))?;
    }
    if r.is_complete() || a.allow_unmatched {
        return Ok(());
    }
    Err(Failure::one(format!(
        "{} row(s) refused and {} merged without their position (listed above; the rest is merged into {}); \
         pass --allow-unmatched to accept the merge without them",
        r.refused.len(),
        r.notes.len(),
        a.out.display()
    )))
}

fn employees_text(a: &EmployeesArgs, r: &MergeReport, written: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Employee export {}: {} rows read ({}), as of {}",
        a.csv.display(),
        r.rows,
        describe(&r.layout),
        r.as_of
    );
    layout_lines(&mut out, &r.layout);
    let _ = writeln!(
        out,
        "\n{} added, {} updated ({} fields changed), {} unchanged, {} refused; {} merged without their position; \
         {} employees of the dataset not in the export (kept)",
        r.added.len(),
        r.updated,
        r.changes.len(),
        r.unchanged,
        r.refused.len(),
        r.notes.len(),
        r.missing.len()
    );
    let _ = writeln!(out, "{written}");
    if !r.added.is_empty() {
        let _ = writeln!(out, "\nAdded:");
        let mut t = table::Table::new(&["row", "NIP", "name", "position"]).right([0]);
        for x in &r.added {
            t.row(vec![
                x.row.to_string(),
                x.nip.to_string(),
                x.name.clone(),
                x.position.as_ref().map(|p| p.to_string()).unwrap_or_else(|| "-".into()),
            ]);
        }
        out.push_str(&t.render());
    }
    if !r.changes.is_empty() {
        let _ = writeln!(out, "\nChanged:");
        let mut t = table::Table::new(&["row", "NIP", "field", "before", "after"]).right([0]);
        for x in &r.changes {
            t.row(vec![x.row.to_string(), x.nip.to_string(), x.field.into(), x.before.clone(), x.after.clone()]);
        }
        out.push_str(&t.render());
    }
    if !r.refused.is_empty() {
        let _ = writeln!(out, "\nRefused (not merged):");
        let mut t = table::Table::new(&["row", "column", "NIP", "name", "code", "reason"]).right([0]);
        for x in &r.refused {
            t.row(vec![
                x.row.to_string(),
                x.column.as_ref().map(|c| format!("{} [{}]", c.header, c.index)).unwrap_or_default(),
                x.nip.clone(),
                x.name.clone(),
                x.reason.code().into(),
                pick(x.reason.message_id(), x.reason.message_en()),
            ]);
        }
        out.push_str(&t.render());
    }
    if !r.notes.is_empty() {
        let _ = writeln!(out, "\nMerged without their position:");
        let mut t = table::Table::new(&["row", "column", "NIP", "code", "reason"]).right([0]);
        for x in &r.notes {
            t.row(vec![
                x.row.to_string(),
                x.column.as_ref().map(|c| format!("{} [{}]", c.header, c.index)).unwrap_or_default(),
                x.nip.to_string(),
                x.note.code().into(),
                pick(x.note.message_id(), x.note.message_en()),
            ]);
        }
        out.push_str(&t.render());
    }
    if !r.missing.is_empty() {
        let _ = writeln!(out, "\nIn the dataset, not in the export (kept):");
        let mut t = table::Table::new(&["NIP", "name", "unit"]);
        for x in &r.missing {
            t.row(vec![
                x.nip.to_string(),
                x.name.clone(),
                x.unit.as_ref().map(|u| u.to_string()).unwrap_or_else(|| "-".into()),
            ]);
        }
        out.push_str(&t.render());
    }
    out
}
