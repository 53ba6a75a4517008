//! Income tax (PPh 21) on the allowance by the monthly average effective rates (*Tarif
//! Efektif Rata-rata*, TER) of PP 58/2023 and PMK 168/2023: the PTKP status of an
//! employee, its TER category, and the bracket tables (`allowance.tax.ter`).
//!
//! # The rule
//!
//! PP 58/2023 art. 2 sets monthly effective rates in three categories by the employee's
//! PTKP status (*Penghasilan Tidak Kena Pajak*: marital status and dependants at the
//! start of the tax year): **A** for TK/0, TK/1 and K/0; **B** for TK/2, TK/3, K/1 and
//! K/2; **C** for K/3. Each category maps a bracket of gross monthly income (*penghasilan
//! bruto bulanan*) to one rate, applied to the **whole** gross (not marginally). The
//! category mapping is law, not city policy, so it is here ([`Ptkp::category`]); the
//! bracket tables are dated policy data (`allowance.tax.ter`).
//!
//! # What the engine taxes
//!
//! With `allowance.tax.method = "ter_monthly"` the slip's `tax.pph21` line is
//! `-R(G x rate / 100)` where G is the slip's gross allowance and the rate is the one of
//! the employee's category for the income chosen by `allowance.tax.ter_base`:
//!
//! - `allowance`: the bracket is found from G alone;
//! - `salary_and_allowance`: the bracket is found from the input's `salary` + G (the
//!   monthly gross PMK 168/2023 speaks of, as far as the input knows it), and the rate
//!   is applied to G only: the salary's own withholding belongs to the salary payroll.
//!
//! The engine does not do December's annual reconciliation with the art. 17 rates (the
//! slip knows one month only): a December slip is withheld like any other month.
//! Employer-paid contributions that PMK 168/2023 counts in the gross are not in the
//! input and are not added.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::Money;
use crate::policy::{Value, parse_decimal_text, variant_name};

/// An employee's PTKP status (*status Penghasilan Tidak Kena Pajak*): not married
/// (`TK`) or married (`K`) with 0 to 3 dependants, as `"TK/0"` .. `"K/3"`.
#[doc(alias = "PTKP")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ptkp {
    /// Married (*kawin*).
    pub married: bool,
    /// Dependants (*tanggungan*), 0..=3.
    pub dependants: u8,
}

/// A TER category of PP 58/2023 (A, B or C).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum TerCategory {
    /// TK/0, TK/1, K/0.
    A,
    /// TK/2, TK/3, K/1, K/2.
    B,
    /// K/3.
    C,
}

impl TerCategory {
    /// `"A"`, `"B"` or `"C"`.
    pub fn as_str(self) -> &'static str {
        match self {
            TerCategory::A => "A",
            TerCategory::B => "B",
            TerCategory::C => "C",
        }
    }
}

impl Ptkp {
    /// The TER category of this status (PP 58/2023 art. 2 ayat (3)): A = TK/0, TK/1, K/0;
    /// B = TK/2, TK/3, K/1, K/2; C = K/3.
    pub fn category(self) -> TerCategory {
        // The tax-free amount grows by one step per dependant and one for marriage, so
        // the category follows their sum: 0-1 A, 2-3 B, 4 C.
        match u8::from(self.married) + self.dependants {
            0 | 1 => TerCategory::A,
            2 | 3 => TerCategory::B,
            _ => TerCategory::C,
        }
    }
}

impl fmt::Display for Ptkp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", if self.married { "K" } else { "TK" }, self.dependants)
    }
}

impl FromStr for Ptkp {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{s}` is not a PTKP status (TK/0, TK/1, TK/2, TK/3, K/0, K/1, K/2, K/3)");
        let (status, dependants) = s.trim().split_once('/').ok_or_else(bad)?;
        let married = match status.trim() {
            "TK" => false,
            "K" => true,
            _ => return Err(bad()),
        };
        let dependants = dependants.trim().parse::<u8>().ok().filter(|d| *d <= 3).ok_or_else(bad)?;
        Ok(Ptkp { married, dependants })
    }
}

impl Serialize for Ptkp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Ptkp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// One bracket of a TER table: gross monthly income up to `up_to` (inclusive; `None`
/// for the open top bracket) is withheld at `rate` percent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TerBracket {
    /// Inclusive upper bound of the gross monthly income, rupiah; `None` above the last.
    pub up_to: Option<Money>,
    /// Percent of the whole gross.
    pub rate: Decimal,
}

/// The TER tables of the three categories (`allowance.tax.ter`); empty before PP
/// 58/2023 was in force.
pub type TerTable = BTreeMap<TerCategory, Vec<TerBracket>>;

/// Which income the TER bracket is found from (`allowance.tax.ter_base`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TerBase {
    /// The gross allowance alone.
    Allowance,
    /// The input's salary plus the gross allowance (the rate is applied to the allowance).
    SalaryAndAllowance,
}

impl TerBase {
    /// The policy text: `allowance` or `salary_and_allowance`.
    pub fn as_str(self) -> &'static str {
        match self {
            TerBase::Allowance => "allowance",
            TerBase::SalaryAndAllowance => "salary_and_allowance",
        }
    }
}

/// The rate of `income` in `brackets`: the first bracket whose `up_to` is at least the
/// income (the bounds are inclusive: Rp 5,400,000 is in "up to 5,400,000"), or the open
/// top bracket. `None` for an empty table.
pub fn ter_rate(brackets: &[TerBracket], income: Money) -> Option<TerBracket> {
    brackets.iter().find(|b| b.up_to.is_none_or(|u| income <= u)).copied()
}

/// `allowance.tax.ter`: a table from category `"A"`, `"B"`, `"C"` to a list of
/// `{up_to = "5400000", rate = "0"}` brackets, `up_to` strictly ascending, the last
/// bracket without `up_to`; rates 0..=100. An empty table means no TER in force.
pub(crate) fn ter_table(value: &Value) -> Result<TerTable, String> {
    let Some(t) = value.as_table() else {
        return Err(format!(
            "expected a table from TER category A, B, C to a list of brackets, found {}",
            variant_name(value)
        ));
    };
    let mut out = TerTable::new();
    let mut problems = Vec::new();
    for (k, v) in t {
        let category = match k.as_str() {
            "A" => TerCategory::A,
            "B" => TerCategory::B,
            "C" => TerCategory::C,
            _ => {
                problems.push(format!("`{k}` is not a TER category (A, B, C)"));
                continue;
            }
        };
        let Some(items) = v.as_list().filter(|l| !l.is_empty()) else {
            problems.push(format!("{k}: expected a non-empty list of {{up_to, rate}} brackets"));
            continue;
        };
        let mut brackets = Vec::with_capacity(items.len());
        let mut prev: Option<Decimal> = None;
        for (i, item) in items.iter().enumerate() {
            let Some(b) = item.as_table() else {
                problems.push(format!("{k}[{i}]: expected a table {{up_to, rate}}"));
                continue;
            };
            for f in b.keys().filter(|f| *f != "up_to" && *f != "rate") {
                problems.push(format!("{k}[{i}]: unknown field `{f}` (allowed: up_to, rate)"));
            }
            let last = i + 1 == items.len();
            let up_to = match b.get("up_to") {
                None if last => None,
                None => {
                    problems.push(format!("{k}[{i}].up_to: only the last bracket may be open"));
                    continue;
                }
                Some(u) => match parse_decimal_text(u).filter(|d| *d >= Decimal::ZERO) {
                    Some(d) => {
                        if prev.is_some_and(|p| d <= p) {
                            problems.push(format!("{k}[{i}].up_to: {d} is not above the previous bracket's"));
                        }
                        prev = Some(d);
                        Some(Money::new(d))
                    }
                    None => {
                        problems.push(format!("{k}[{i}].up_to: expected a non-negative quoted amount"));
                        continue;
                    }
                },
            };
            if last && up_to.is_some() {
                problems.push(format!("{k}[{i}]: the last bracket must be open (no up_to)"));
            }
            match b
                .get("rate")
                .and_then(parse_decimal_text)
                .filter(|d| *d >= Decimal::ZERO && *d <= Decimal::ONE_HUNDRED)
            {
                Some(rate) => brackets.push(TerBracket { up_to, rate }),
                None => problems.push(format!("{k}[{i}].rate: expected a quoted percent 0..100")),
            }
        }
        out.insert(category, brackets);
    }
    if !out.is_empty() {
        for c in [TerCategory::A, TerCategory::B, TerCategory::C] {
            if !t.contains_key(c.as_str()) {
                problems.push(format!("no brackets for category {}", c.as_str()));
            }
        }
    }
    if problems.is_empty() { Ok(out) } else { Err(problems.join("; ")) }
}

/// The canonical text of a TER table (quoted in slips, hashed in the policy hash):
/// `{A = [{up_to = 5400000, rate = 0}, ..., {rate = 34}], B = [...], C = [...]}`.
pub(crate) fn ter_table_text(t: &TerTable) -> String {
    let mut s = String::from("{");
    for (i, (c, brackets)) in t.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(c.as_str());
        s.push_str(" = [");
        for (j, b) in brackets.iter().enumerate() {
            if j > 0 {
                s.push_str(", ");
            }
            s.push_str(&bracket_text(b));
        }
        s.push(']');
    }
    s.push('}');
    s
}

/// `{up_to = 5400000, rate = 0}` or `{rate = 34}`.
pub(crate) fn bracket_text(b: &TerBracket) -> String {
    match b.up_to {
        Some(u) => format!("{{up_to = {}, rate = {}}}", u.amount().normalize(), b.rate.normalize()),
        None => format!("{{rate = {}}}", b.rate.normalize()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ptkp_statuses_parse_and_fall_in_their_category() {
        // PP 58/2023 art. 2 ayat (3).
        for (text, cat) in [
            ("TK/0", TerCategory::A),
            ("TK/1", TerCategory::A),
            ("K/0", TerCategory::A),
            ("TK/2", TerCategory::B),
            ("TK/3", TerCategory::B),
            ("K/1", TerCategory::B),
            ("K/2", TerCategory::B),
            ("K/3", TerCategory::C),
        ] {
            let p: Ptkp = text.parse().expect(text);
            assert_eq!(p.category(), cat, "{text}");
            assert_eq!(p.to_string(), text);
        }
        for bad in ["K/4", "TK", "X/0", "TK/-1", ""] {
            assert!(bad.parse::<Ptkp>().is_err(), "{bad}");
        }
    }
}
