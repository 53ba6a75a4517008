//! `kinerja export-tables`: one month's record as flat CSV tables
//! ([`kinerja::tables`]), the input of the reference implementations in
//! `benches/reference/` (pandas and SQLite).

use std::path::Path;

use kinerja::tables::{FlatTables, TABLE_NAMES};

use crate::Failure;
use crate::output::write_atomic;

/// One table as CSV (header from the row type's fields, `,` separated, empty cells
/// for absent values); an empty table still has its header line.
fn csv_of<T: serde::Serialize + Default>(rows: &[T]) -> Result<Vec<u8>, Failure> {
    let mut w = csv::WriterBuilder::new().has_headers(true).from_writer(Vec::with_capacity(rows.len() * 64));
    let blank = [T::default()];
    for r in if rows.is_empty() { &blank[..] } else { rows } {
        w.serialize(r).map_err(|e| Failure::one(format!("cannot write a CSV row: {e}")))?;
    }
    let mut bytes = w.into_inner().map_err(|e| Failure::one(format!("cannot finish the CSV: {e}")))?;
    if rows.is_empty() {
        // Only the header of the blank row.
        let end = bytes.iter().position(|b| *b == b'\n').map_or(bytes.len(), |i| i + 1);
        bytes.truncate(end);
    }
    Ok(bytes)
}

/// Every table of `t` as `(name, CSV bytes)`, in [`TABLE_NAMES`] order.
fn all_csv(t: &FlatTables) -> Result<Vec<(&'static str, Vec<u8>)>, Failure> {
    let bytes = [
        csv_of(&t.params)?,
        csv_of(&t.ceilings)?,
        csv_of(&t.tax_rates)?,
        csv_of(&t.absence_kinds)?,
        csv_of(&t.sanction_levels)?,
        csv_of(&t.calendar)?,
        csv_of(&t.employees)?,
        csv_of(&t.salaries)?,
        csv_of(&t.positions)?,
        csv_of(&t.assignments)?,
        csv_of(&t.sanctions)?,
        csv_of(&t.roster)?,
        csv_of(&t.clock_events)?,
        csv_of(&t.absences)?,
        csv_of(&t.activities)?,
        csv_of(&t.roll_calls)?,
        csv_of(&t.ceremonies)?,
    ];
    Ok(TABLE_NAMES.into_iter().zip(bytes).collect())
}

/// Writes every table as `<dir>/<name>.csv` (each atomically; an existing file is
/// replaced only with `force`) and returns `(name, rows)` for the report.
pub fn write(dir: &Path, t: &FlatTables, force: bool) -> Result<Vec<(&'static str, usize)>, Failure> {
    std::fs::create_dir_all(dir).map_err(|e| Failure::one(format!("cannot create {}: {e}", dir.display())))?;
    let rows = [
        t.params.len(),
        t.ceilings.len(),
        t.tax_rates.len(),
        t.absence_kinds.len(),
        t.sanction_levels.len(),
        t.calendar.len(),
        t.employees.len(),
        t.salaries.len(),
        t.positions.len(),
        t.assignments.len(),
        t.sanctions.len(),
        t.roster.len(),
        t.clock_events.len(),
        t.absences.len(),
        t.activities.len(),
        t.roll_calls.len(),
        t.ceremonies.len(),
    ];
    for (name, bytes) in all_csv(t)? {
        write_atomic(&dir.join(format!("{name}.csv")), force, |w| w.write_all(&bytes))?;
    }
    Ok(TABLE_NAMES.into_iter().zip(rows).collect())
}
