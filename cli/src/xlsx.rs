//! The payroll as a spreadsheet (`kinerja tpp --xlsx FILE`), written with
//! `rust_xlsxwriter`: a summary sheet (`Ringkasan`: per unit and city totals, then the
//! reconciliation trailer), then one sheet per work unit with its employees' rows.
//!
//! The rows and columns are the CSV's ([`kinerja::export::payroll_rows`]). Amounts are
//! numbers with a rupiah number format (`Rp 6.500.000` in an Indonesian-locale
//! spreadsheet), counts and job classes plain numbers; the NIP, the account number and
//! every other text are string cells, so that no digit of an 18-digit NIP is lost.
//! Formula-like text (`=`, `+`, `-`, `@` ...) gets the same leading `'` as in the CSV
//! ([`kinerja::export::neutralise`]), so the file stays harmless when a sheet is
//! saved again as CSV.

use std::collections::HashMap;

use kinerja::dataset::City;
use kinerja::export::{Cell, PAYROLL_COLUMNS, neutralise, payroll_rows};
use kinerja::money::Money;
use kinerja::payroll::CityPayroll;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// The summary sheet's name.
pub const SUMMARY_SHEET: &str = "Ringkasan";
/// The sheet of employees without a unit (or with one the dataset does not know).
pub const NO_UNIT_SHEET: &str = "(tanpa unit)";
/// The number format of amounts: whole rupiah with the spreadsheet's own grouping
/// (`Rp 6.500.000` in the Indonesian locale), negative with a leading minus.
pub const RUPIAH_FORMAT: &str = "\"Rp \"#,##0;-\"Rp \"#,##0";

/// The payroll as XLSX bytes, and how many unit sheets follow the summary.
pub fn payroll_xlsx(city: &City, p: &CityPayroll) -> Result<(Vec<u8>, usize), XlsxError> {
    let rows = payroll_rows(city, p);
    let Some((header, body)) = rows.split_first() else {
        return Err(XlsxError::ParameterError("the payroll has no header".into()));
    };
    let names: Vec<&str> = header.iter().map(|c| if let Cell::Text(t) = c { t.as_str() } else { "" }).collect();
    let col = |name: &str| names.iter().position(|n| *n == name);
    let (record, unit_col) = (col("record").unwrap_or(0), col(PAYROLL_COLUMNS[5]).unwrap_or(5));
    // Amounts: from the first rule column (after the fixed ones) through `net`.
    let first_money = PAYROLL_COLUMNS.len();
    let last_money = col("net").unwrap_or(names.len());
    let is_money = |c: usize| (first_money..=last_money).contains(&c);

    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format(RUPIAH_FORMAT);
    let bold_money = Format::new().set_bold().set_num_format(RUPIAH_FORMAT);
    let mut wb = Workbook::new();

    // Employee rows by unit, in the payroll's unit order; the summary rows apart.
    let text = |c: &Cell| if let Cell::Text(t) = c { t.clone() } else { String::new() };
    let mut by_unit: Vec<(String, Vec<&Vec<Cell>>)> =
        p.units.iter().map(|u| (u.unit.as_ref().map(|u| u.to_string()).unwrap_or_default(), Vec::new())).collect();
    let mut trailer = Vec::new();
    for r in body {
        if r.get(record).map(text).as_deref() == Some("summary") {
            trailer.push(r);
            continue;
        }
        let unit = r.get(unit_col).map(text).unwrap_or_default();
        match by_unit.iter_mut().find(|(u, _)| *u == unit) {
            Some((_, rows)) => rows.push(r),
            None => by_unit.push((unit, vec![r])),
        }
    }

    let write_row = |sheet: &mut Worksheet, at: u32, row: &[Cell], bold_row: bool| -> Result<(), XlsxError> {
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).map_err(|_| XlsxError::ParameterError("too many columns".into()))?;
            match cell {
                Cell::Text(t) if bold_row => sheet.write_string_with_format(at, c, neutralise(t), &bold).map(|_| ()),
                Cell::Text(t) => sheet.write_string(at, c, neutralise(t)).map(|_| ()),
                // A spreadsheet holds numbers as doubles; the exact decimal is in the CSV.
                Cell::Number(n) => match n.parse::<f64>() {
                    Ok(v) if is_money(usize::from(c)) => sheet
                        .write_number_with_format(at, c, v, if bold_row { &bold_money } else { &money })
                        .map(|_| ()),
                    Ok(v) => sheet.write_number(at, c, v).map(|_| ()),
                    Err(_) => sheet.write_string(at, c, n).map(|_| ()),
                },
                Cell::Empty => Ok(()),
            }?;
        }
        Ok(())
    };

    // The summary: per unit and city totals, then the reconciliation trailer.
    let mut failed: HashMap<String, (usize, usize)> = HashMap::new();
    for f in &p.failures {
        failed.entry(f.unit.as_ref().map(|u| u.to_string()).unwrap_or_default()).or_default().0 += 1;
    }
    for n in &p.not_paid {
        failed.entry(n.unit.as_ref().map(|u| u.to_string()).unwrap_or_default()).or_default().1 += 1;
    }
    let summary = wb.add_worksheet();
    summary.set_name(SUMMARY_SHEET)?;
    let heads = ["unit", "unit_name", "slips", "failed", "not_paid", "ceiling", "gross", "tax", "contribution", "net"];
    for (c, h) in heads.iter().enumerate() {
        summary.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    let amounts = |t: &kinerja::allowance::Totals| [t.ceiling, t.gross, t.tax, t.contribution, t.net];
    let mut at = 1u32;
    let line = |sheet: &mut Worksheet, at: u32, id: &str, name: &str, counts: [usize; 3], m: [Money; 5], b: bool| {
        let f = if b { &bold_money } else { &money };
        let mut r = sheet.write_string(at, 0, neutralise(id)).map(|_| ());
        r = r.and_then(|_| sheet.write_string(at, 1, neutralise(name)).map(|_| ()));
        for (i, n) in counts.iter().enumerate() {
            r = r.and_then(|_| sheet.write_number(at, 2 + i as u16, *n as f64).map(|_| ()));
        }
        for (i, v) in m.iter().enumerate() {
            let v = v.amount().to_string().parse::<f64>().unwrap_or(0.0);
            r = r.and_then(|_| sheet.write_number_with_format(at, 5 + i as u16, v, f).map(|_| ()));
        }
        r
    };
    let unit_name = |id: &str| {
        city.organisation.units().iter().find(|u| u.id.as_str() == id).map(|u| u.name.clone()).unwrap_or_default()
    };
    for u in &p.units {
        let id = u.unit.as_ref().map(|u| u.to_string()).unwrap_or_default();
        let (f, n) = failed.remove(&id).unwrap_or_default();
        line(summary, at, &id, &unit_name(&id), [u.totals.count, f, n], amounts(&u.totals), false)?;
        at += 1;
    }
    let mut rest: Vec<_> = failed.into_iter().collect();
    rest.sort();
    for (id, (f, n)) in rest {
        line(summary, at, &id, "", [0, f, n], [Money::ZERO; 5], false)?;
        at += 1;
    }
    line(
        summary,
        at,
        "KOTA / CITY",
        &city.government.name,
        [p.city.count, p.failures.len(), p.not_paid.len()],
        amounts(&p.city),
        true,
    )?;
    at += 2;
    summary.write_string_with_format(at, 0, "Rekonsiliasi / reconciliation", &bold)?;
    at += 1;
    write_row(summary, at, header, true)?;
    for r in &trailer {
        at += 1;
        write_row(summary, at, r, false)?;
    }
    summary.set_freeze_panes(1, 0)?;
    summary.set_column_width(0, 14)?;
    summary.set_column_width(1, 36)?;
    summary.set_column_range_width(5, 9, 18)?;

    // One sheet per unit.
    let mut taken: Vec<String> = vec![SUMMARY_SHEET.to_lowercase()];
    let mut sheets = 0;
    for (unit, rows) in &by_unit {
        if rows.is_empty() {
            continue;
        }
        let name = sheet_name(if unit.is_empty() { NO_UNIT_SHEET } else { unit }, &mut taken);
        let sheet = wb.add_worksheet();
        sheet.set_name(&name)?;
        sheets += 1;
        write_row(sheet, 0, header, true)?;
        for (i, r) in rows.iter().enumerate() {
            let at = u32::try_from(i + 1).map_err(|_| XlsxError::ParameterError("too many rows".into()))?;
            write_row(sheet, at, r, false)?;
        }
        sheet.set_freeze_panes(1, 3)?;
        sheet.set_column_width(1, 21)?;
        sheet.set_column_width(2, 30)?;
        let last = u16::try_from(names.len().saturating_sub(1)).unwrap_or(u16::MAX);
        sheet.set_column_range_width(first_money as u16, last, 14)?;
    }
    Ok((wb.save_to_buffer()?, sheets))
}

/// A valid, unique sheet name for `wanted`: at most 31 characters, none of `[]:*?/\`,
/// not starting or ending with `'`; a name already taken (case-insensitively) gets
/// ` (2)`, ` (3)` ...
fn sheet_name(wanted: &str, taken: &mut Vec<String>) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() { '_' } else { c })
        .collect();
    let clean = clean.trim_matches('\'');
    let base: String = if clean.is_empty() { "unit".into() } else { clean.chars().take(31).collect() };
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name.to_lowercase()) {
        let suffix = format!(" ({n})");
        name = base.chars().take(31 - suffix.chars().count()).collect::<String>() + &suffix;
        n += 1;
    }
    taken.push(name.to_lowercase());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut taken = vec!["ringkasan".to_string()];
        assert_eq!(sheet_name("DINKES", &mut taken), "DINKES");
        assert_eq!(sheet_name("dinkes", &mut taken), "dinkes (2)");
        assert_eq!(sheet_name("Ringkasan", &mut taken), "Ringkasan (2)");
        assert_eq!(sheet_name("a/b:c", &mut taken), "a_b_c");
        let long = "X".repeat(40);
        assert_eq!(sheet_name(&long, &mut taken).chars().count(), 31);
        let again = sheet_name(&long, &mut taken);
        assert_eq!(again, format!("{} (2)", "X".repeat(27)));
    }
}
