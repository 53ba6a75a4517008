//! Plain-text tables for people, laid out by `comfy-table`: a header, a rule of dashes,
//! columns two spaces apart, numbers (counts, amounts such as `-Rp 12.000` and
//! `Rp 6.500.000`, percentages) right-aligned so that they line up on their last digit.

use comfy_table::{CellAlignment, ColumnConstraint, ContentArrangement, TableStyle};
use rust_decimal::{Decimal, RoundingStrategy};

/// No borders, a space between columns (each column also pads one space on its right),
/// a rule of dashes under the header.
const STYLE: TableStyle = TableStyle::new()
    .header_lines(comfy_table::ContentLineStyle::none().junction(' '))
    .content_lines(comfy_table::ContentLineStyle::none().junction(' '))
    .header_separator(comfy_table::LineStyle::none().fill('-').junction(' '));

/// A table with a header; the columns named by [`Table::right`] are right-aligned.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    right: Vec<bool>,
}

impl Table {
    /// A table with these column titles, every column left-aligned.
    pub fn new(header: &[&str]) -> Self {
        Table {
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
            right: vec![false; header.len()],
        }
    }

    /// Right-aligns the columns `cols` (numbers), their titles included.
    pub fn right(mut self, cols: impl IntoIterator<Item = usize>) -> Self {
        for c in cols {
            if let Some(r) = self.right.get_mut(c) {
                *r = true;
            }
        }
        self
    }

    /// Right-aligns every column from `first` on.
    pub fn right_from(self, first: usize) -> Self {
        let n = self.header.len();
        self.right(first..n)
    }

    /// Adds a row (cells beyond the header's columns are ignored).
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table as text, one line per row, no trailing spaces, ending with a new line.
    pub fn render(&self) -> String {
        let n = self.header.len();
        let mut t = comfy_table::Table::new();
        t.load_style(STYLE).set_content_arrangement(ContentArrangement::Disabled);
        let cell = |text: &str, right: bool| {
            comfy_table::Cell::new(text).set_alignment(if right { CellAlignment::Right } else { CellAlignment::Left })
        };
        t.set_header(self.header.iter().zip(&self.right).map(|(h, r)| cell(h, *r)).collect::<Vec<_>>());
        for r in &self.rows {
            t.add_row(r.iter().take(n).zip(&self.right).map(|(c, right)| cell(c, *right)).collect::<Vec<_>>());
        }
        for (i, col) in t.column_iter_mut().enumerate() {
            // Flush left: no padding before a cell, so a row starts with its first cell
            // (`CITY ...`); one space after each cell but the last, then the column
            // junction's space (the rule of dashes is as wide as the columns).
            col.set_padding((0, if i + 1 < n { 1 } else { 0 }));
            col.set_constraint(ColumnConstraint::ContentWidth);
        }
        let mut out = t.trim_fmt();
        out.push('\n');
        out
    }
}

/// A decimal rounded half up for display.
pub fn dec(d: Decimal, dp: u32) -> String {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero).to_string()
}

/// An optional decimal for display (`-` when absent).
pub fn opt_dec(d: Option<Decimal>, dp: u32) -> String {
    d.map(|d| dec(d, dp)).unwrap_or_else(|| "-".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_line_up_on_their_last_digit() {
        // `-Rp 12.000` (10 characters) and `Rp 6.500.000` (12) in one right-aligned
        // column end at the same place; the unit column is flush left.
        let mut t = Table::new(&["unit", "delta"]).right_from(1);
        t.row(vec!["DINKES".into(), "-Rp 12.000".into()]);
        t.row(vec!["CITY".into(), "Rp 6.500.000".into()]);
        let text = t.render();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert!(lines[2].starts_with("DINKES") && lines[3].starts_with("CITY"), "{text}");
        assert_eq!(lines[2].len(), lines[3].len(), "{text}");
        assert!(lines[2].ends_with(" -Rp 12.000") && lines[3].ends_with(" Rp 6.500.000"), "{text}");
        assert!(lines[1].starts_with("------"), "{text}");
        assert_eq!(lines[1].len(), lines[3].len(), "the rule is as wide as the table: {text}");
        assert!(text.lines().all(|l| !l.ends_with(' ')), "no trailing spaces: {text:?}");
    }
}
