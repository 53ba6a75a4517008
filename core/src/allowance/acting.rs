//! Acting (Plt/Plh) and sanction variants as policy: how the add-on of an acting
//! assignment depends on the acted post's rank relative to the employee's own
//! (`allowance.acting.by_relation`), how many add-ons are paid
//! (`allowance.acting.max_addons`), whether a daily acting official (Plh) earns one
//! (`allowance.acting.plh`), whether a sanction also cuts the add-on
//! (`allowance.sanction.cuts_acting`), and from which month a sanction counts
//! (`allowance.sanction.window_start`).
//!
//! Regional rules differ (RULES.md section 8.4): Pergub NTB pays a superior acting in a
//! subordinate post 20 % of the acted post's TPP and treats Plh like Plt; Perbup
//! Balangan 57/2020 art. 35 pays 20 % of the acted post for a same-level post and the
//! acted post's TPP *instead of* one's own one level higher (here: the difference of
//! the two ceilings, [`ActingShare::Difference`]).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::month::YearMonth;
use crate::policy::{Value, parse_decimal_text, variant_name};

/// The kind of an acting assignment on an allowance input.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActingKind {
    /// *Pelaksana Tugas*: acting in a vacant post (the holder permanently absent).
    #[default]
    Plt,
    /// *Pelaksana Harian*: acting while the holder is temporarily absent.
    Plh,
}

impl ActingKind {
    /// True for [`ActingKind::Plt`] (the default, left out of the input's JSON).
    pub fn is_plt(&self) -> bool {
        *self == ActingKind::Plt
    }

    /// `"plt"` or `"plh"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ActingKind::Plt => "plt",
            ActingKind::Plh => "plh",
        }
    }
}

/// The acted post's rank relative to the employee's definitive post.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActingRelation {
    /// A higher post (a higher job class, or a higher eselon when the caller knows it).
    Higher,
    /// A post of the same level.
    Equal,
    /// A lower post (typically a superior acting in a subordinate's vacant post).
    Lower,
}

impl ActingRelation {
    /// `"higher"`, `"equal"` or `"lower"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ActingRelation::Higher => "higher",
            ActingRelation::Equal => "equal",
            ActingRelation::Lower => "lower",
        }
    }

    /// The relation judged from job classes (*kelas jabatan*): the acted class above,
    /// equal to or below the employee's own.
    pub fn from_classes(own: i64, acted: i64) -> ActingRelation {
        match acted.cmp(&own) {
            std::cmp::Ordering::Greater => ActingRelation::Higher,
            std::cmp::Ordering::Equal => ActingRelation::Equal,
            std::cmp::Ordering::Less => ActingRelation::Lower,
        }
    }
}

/// What an acting assignment in a post of one relation adds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActingShare {
    /// A percent of the acted post's ceiling (`"20"`; `"0"` pays nothing).
    Percent(Decimal),
    /// The acted post's ceiling instead of one's own: the acted ceiling less the own
    /// ceiling, never below zero (`"difference"`).
    Difference,
}

impl ActingShare {
    /// The policy text: the percent, or `difference`.
    pub fn text(self) -> String {
        match self {
            ActingShare::Percent(p) => p.normalize().to_string(),
            ActingShare::Difference => "difference".to_string(),
        }
    }
}

/// From which month a sanction's window counts (`allowance.sanction.window_start`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SanctionWindow {
    /// The month of the effective date (TMT), whatever its day.
    EffectiveMonth,
    /// The first month wholly covered: the effective month when the TMT is its 1st,
    /// otherwise the month after.
    NextFullMonth,
}

impl SanctionWindow {
    /// The policy text: `effective_month` or `next_full_month`.
    pub fn as_str(self) -> &'static str {
        match self {
            SanctionWindow::EffectiveMonth => "effective_month",
            SanctionWindow::NextFullMonth => "next_full_month",
        }
    }

    /// The first month of the window of a sanction effective on `effective_from`.
    pub fn first_month(self, effective_from: chrono::NaiveDate) -> YearMonth {
        let month = YearMonth::of(effective_from);
        match self {
            SanctionWindow::EffectiveMonth => month,
            SanctionWindow::NextFullMonth if effective_from == month.first_day() => month,
            SanctionWindow::NextFullMonth => month.next().unwrap_or(month),
        }
    }
}

/// `allowance.acting.by_relation`: a table from `higher`, `equal`, `lower` to a quoted
/// percent of the acted ceiling or `"difference"`. A relation not listed uses
/// `allowance.acting_percent`.
pub(crate) fn acting_by_relation(value: &Value) -> Result<BTreeMap<ActingRelation, ActingShare>, String> {
    let Some(t) = value.as_table() else {
        return Err(format!(
            "expected a table from higher/equal/lower to a percent or \"difference\", found {}",
            variant_name(value)
        ));
    };
    let mut out = BTreeMap::new();
    let mut problems = Vec::new();
    for (k, v) in t {
        let relation = match k.as_str() {
            "higher" => ActingRelation::Higher,
            "equal" => ActingRelation::Equal,
            "lower" => ActingRelation::Lower,
            _ => {
                problems.push(format!("`{k}` is not a relation (higher, equal, lower)"));
                continue;
            }
        };
        if v.as_text() == Some("difference") {
            out.insert(relation, ActingShare::Difference);
        } else if let Some(p) = parse_decimal_text(v).filter(|d| *d >= Decimal::ZERO && *d <= Decimal::ONE_HUNDRED) {
            out.insert(relation, ActingShare::Percent(p));
        } else {
            problems.push(format!("{k}: {v} is neither a percent 0..100 nor \"difference\""));
        }
    }
    if problems.is_empty() { Ok(out) } else { Err(problems.join("; ")) }
}

/// The canonical text of `allowance.acting.by_relation`.
pub(crate) fn by_relation_text(t: &BTreeMap<ActingRelation, ActingShare>) -> String {
    let items: Vec<String> = t.iter().map(|(r, s)| format!("{} = {}", r.as_str(), s.text())).collect();
    format!("{{{}}}", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn the_window_starts_at_the_effective_or_the_next_full_month() {
        let m = |s: &str| s.parse::<YearMonth>().expect("month");
        // TMT on the 1st: March is a full month under both rules.
        assert_eq!(SanctionWindow::EffectiveMonth.first_month(d(2026, 3, 1)), m("2026-03"));
        assert_eq!(SanctionWindow::NextFullMonth.first_month(d(2026, 3, 1)), m("2026-03"));
        // TMT on the 2nd: March is not full, the window starts in April.
        assert_eq!(SanctionWindow::EffectiveMonth.first_month(d(2026, 3, 2)), m("2026-03"));
        assert_eq!(SanctionWindow::NextFullMonth.first_month(d(2026, 3, 2)), m("2026-04"));
        // TMT on 31 December: the window starts in January of the next year.
        assert_eq!(SanctionWindow::NextFullMonth.first_month(d(2026, 12, 31)), m("2027-01"));
    }

    #[test]
    fn relations_come_from_job_classes() {
        assert_eq!(ActingRelation::from_classes(9, 11), ActingRelation::Higher);
        assert_eq!(ActingRelation::from_classes(11, 11), ActingRelation::Equal);
        assert_eq!(ActingRelation::from_classes(12, 11), ActingRelation::Lower);
    }
}
