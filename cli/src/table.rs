//! Plain-text tables for people.

use rust_decimal::{Decimal, RoundingStrategy};

/// A table with a header and right-aligned numeric-looking cells.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Self {
        Table { header: header.iter().map(|s| s.to_string()).collect(), rows: Vec::new() }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn render(&self) -> String {
        let n = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for r in &self.rows {
            for (i, c) in r.iter().enumerate().take(n) {
                widths[i] = widths[i].max(c.chars().count());
            }
        }
        let mut out = String::new();
        let line = |cells: &[String], out: &mut String| {
            for (i, c) in cells.iter().enumerate().take(n) {
                let pad = widths[i] - c.chars().count();
                let numeric = c.chars().next().is_some_and(|ch| ch.is_ascii_digit() || ch == '-');
                if i > 0 {
                    out.push_str("  ");
                }
                if numeric && i > 0 {
                    out.push_str(&" ".repeat(pad));
                    out.push_str(c);
                } else {
                    out.push_str(c);
                    if i + 1 < n {
                        out.push_str(&" ".repeat(pad));
                    }
                }
            }
            out.push('\n');
        };
        line(&self.header, &mut out);
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        line(&rule, &mut out);
        for r in &self.rows {
            line(r, &mut out);
        }
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
