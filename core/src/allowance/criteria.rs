//! TPP criteria as policy: the components of the ceiling (`allowance.components`) and
//! the parts the allowance is split into (`allowance.parts`), each with its own
//! deductions.
//!
//! PP 12/2019 art. 58 lets a region pay TPP on the basis of workload (*beban kerja*),
//! workplace (*tempat bertugas*), working conditions (*kondisi kerja*), scarce
//! profession (*kelangkaan profesi*), achievement (*prestasi kerja*) and other
//! objective considerations (*pertimbangan objektif lainnya*). A region builds the
//! monthly amount from any number of such **components**, each with its own amount per
//! job class or per position, and pays it in any number of **parts** (60/40, 70/30,
//! 50/30/20, ...), each earned by its own measure and reduced by its own deductions.
//!
//! The national baseline is one configuration of this form: no components (the
//! ceiling of `allowance.ceiling_method` alone) and the standard pair of parts,
//! `performance` (earned by verified activity, weight `allowance.weight_performance`)
//! and `discipline` (paid in full less every deduction, weight
//! `allowance.weight_discipline`). With that configuration the slip is exactly the
//! slip of the two-part engine it generalises.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::Serialize;

use crate::ids::PositionId;
use crate::money::Money;
use crate::org::JobClass;
use crate::policy::{Value, parse_decimal_text, variant_name};

/// The criteria of PP 12/2019 art. 58 a component may be given under.
pub const CRITERIA: [&str; 6] = [
    "beban_kerja",
    "tempat_bertugas",
    "kondisi_kerja",
    "kelangkaan_profesi",
    "prestasi_kerja",
    "pertimbangan_objektif",
];

/// The kinds of deduction a part may carry (`allowance.parts[i].deductions`). Every
/// kind is charged to exactly one part.
pub const DEDUCTION_KINDS: [&str; 6] = ["late", "early", "unexcused", "roll_call", "ceremony", "absence"];

/// How a component's amount is found (`by`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ComponentAmounts {
    /// The class ceiling by `allowance.ceiling_method` (table or BPK index).
    Ceiling,
    /// A table per job class 1..=17 (every class required).
    Class(BTreeMap<JobClass, Money>),
    /// A table per position id; a position not listed (or an input without a
    /// position) gets nothing from this component.
    Position(BTreeMap<PositionId, Money>),
}

/// One component of the monthly amount (`allowance.components[i]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Component {
    /// Its id, e.g. `kondisi_kerja_rs`.
    pub id: String,
    /// The criterion of PP 12/2019 art. 58 it is paid under ([`CRITERIA`]).
    pub criterion: String,
    /// Its amounts.
    pub amounts: ComponentAmounts,
}

/// How a part of the allowance is earned (`measure`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartMeasure {
    /// Earned in proportion to verified activity minutes against the target, capped at
    /// 100 % (the `performance.shortfall` line). At most one part is so measured.
    Activity,
    /// Paid in full, less its deductions.
    Full,
}

impl PartMeasure {
    /// The policy text.
    pub fn as_str(self) -> &'static str {
        match self {
            PartMeasure::Activity => "activity",
            PartMeasure::Full => "full",
        }
    }
}

/// One part of the allowance (`allowance.parts[i]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Part {
    /// Its id, e.g. `performance`, `discipline`, `roll_call`.
    pub id: String,
    /// Its weight in percent; `None` for `performance` / `discipline` written without a
    /// weight, which then take `allowance.weight_performance` / `allowance.weight_discipline`.
    pub weight: Option<Decimal>,
    /// How it is earned.
    pub measure: PartMeasure,
    /// The deduction kinds charged to it ([`DEDUCTION_KINDS`]).
    pub deductions: Vec<String>,
}

fn finish<T>(value: T, problems: Vec<String>) -> Result<T, String> {
    if problems.is_empty() { Ok(value) } else { Err(problems.join("; ")) }
}

fn valid_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 40 && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn unknown_fields(t: &BTreeMap<String, Value>, allowed: &[&str], at: &str, problems: &mut Vec<String>) {
    for f in t.keys().filter(|f| !allowed.contains(&f.as_str())) {
        problems.push(format!("{at}: unknown field `{f}` (allowed: {})", allowed.join(", ")));
    }
}

fn amount(v: &Value) -> Option<Money> {
    parse_decimal_text(v).filter(|d| *d >= Decimal::ZERO).map(Money::new)
}

/// `allowance.components`: a list of `{id, criterion, by, amounts}`; `by` is `ceiling`
/// (no `amounts`), `class` (every class "1".."17") or `position` (position id ->
/// rupiah). Amounts are non-negative quoted rupiah; ids are unique.
pub(crate) fn components(value: &Value) -> Result<Vec<Component>, String> {
    let Some(items) = value.as_list() else {
        return Err(format!("expected a list of {{id, criterion, by, amounts}} tables, found {}", variant_name(value)));
    };
    let mut out = Vec::with_capacity(items.len());
    let mut problems = Vec::new();
    let mut ids = BTreeSet::new();
    for (i, item) in items.iter().enumerate() {
        let Some(t) = item.as_table() else {
            problems.push(format!("[{i}]: expected a table {{id, criterion, by, amounts}}"));
            continue;
        };
        unknown_fields(t, &["id", "criterion", "by", "amounts"], &format!("[{i}]"), &mut problems);
        let id = t.get("id").and_then(Value::as_text).unwrap_or("");
        if !valid_id(id) {
            problems.push(format!("[{i}].id: expected a lowercase id (a-z, 0-9, _), found `{id}`"));
        } else if !ids.insert(id.to_string()) {
            problems.push(format!("[{i}].id: `{id}` is listed twice"));
        }
        let criterion = t.get("criterion").and_then(Value::as_text).unwrap_or("");
        if !CRITERIA.contains(&criterion) {
            problems.push(format!("[{i}].criterion: `{criterion}` is not one of {}", CRITERIA.join(", ")));
        }
        let by = t.get("by").and_then(Value::as_text).unwrap_or("");
        let amounts = match (by, t.get("amounts")) {
            ("ceiling", None) => Some(ComponentAmounts::Ceiling),
            ("ceiling", Some(_)) => {
                problems
                    .push(format!("[{i}].amounts: a `by = \"ceiling\"` component takes the ceiling; give no amounts"));
                None
            }
            ("class", Some(v)) => match super::params::class_table(v) {
                Ok(table) => {
                    let missing: Vec<String> = (1..=17u8)
                        .filter(|c| JobClass::new(*c).is_none_or(|jc| !table.contains_key(&jc)))
                        .map(|c| c.to_string())
                        .collect();
                    if missing.is_empty() {
                        Some(ComponentAmounts::Class(table))
                    } else {
                        problems.push(format!("[{i}].amounts: no amount for job class(es) {}", missing.join(", ")));
                        None
                    }
                }
                Err(e) => {
                    problems.push(format!("[{i}].amounts: {e}"));
                    None
                }
            },
            ("position", Some(v)) => match v.as_table() {
                Some(pt) => {
                    let mut table = BTreeMap::new();
                    for (pos, a) in pt {
                        match amount(a) {
                            Some(m) if !pos.trim().is_empty() => {
                                table.insert(PositionId::from(pos.as_str()), m);
                            }
                            _ => {
                                problems.push(format!("[{i}].amounts.{pos}: {a} is not a non-negative decimal amount"))
                            }
                        }
                    }
                    Some(ComponentAmounts::Position(table))
                }
                None => {
                    problems.push(format!("[{i}].amounts: expected a table from position id to rupiah"));
                    None
                }
            },
            ("class" | "position", None) => {
                problems.push(format!("[{i}].amounts: a `by = \"{by}\"` component needs its amounts"));
                None
            }
            _ => {
                problems.push(format!("[{i}].by: expected `ceiling`, `class` or `position`, found `{by}`"));
                None
            }
        };
        if let Some(amounts) = amounts {
            out.push(Component { id: id.to_string(), criterion: criterion.to_string(), amounts });
        }
    }
    finish(out, problems)
}

/// `allowance.parts`: a non-empty list of `{id, weight, measure, deductions}`. Checks
/// each part on its own and the set as a whole: unique ids, at most one `activity`
/// part, every deduction kind charged to exactly one part, a weight omitted only by
/// `performance` or `discipline`, and explicit weights within 0..=100. Whether the
/// weights sum to 100 is checked when binding (an omitted weight comes from another key).
pub(crate) fn parts(value: &Value) -> Result<Vec<Part>, String> {
    let Some(items) = value.as_list() else {
        return Err(format!(
            "expected a list of {{id, weight, measure, deductions}} tables, found {}",
            variant_name(value)
        ));
    };
    if items.is_empty() {
        return Err("expected at least one part".to_string());
    }
    let mut out = Vec::with_capacity(items.len());
    let mut problems = Vec::new();
    let mut charged: BTreeMap<String, String> = BTreeMap::new();
    let mut ids = BTreeSet::new();
    for (i, item) in items.iter().enumerate() {
        let Some(t) = item.as_table() else {
            problems.push(format!("[{i}]: expected a table {{id, weight, measure, deductions}}"));
            continue;
        };
        unknown_fields(t, &["id", "weight", "measure", "deductions"], &format!("[{i}]"), &mut problems);
        let id = t.get("id").and_then(Value::as_text).unwrap_or("");
        if !valid_id(id) {
            problems.push(format!("[{i}].id: expected a lowercase id (a-z, 0-9, _), found `{id}`"));
        } else if !ids.insert(id.to_string()) {
            problems.push(format!("[{i}].id: `{id}` is listed twice"));
        }
        let weight = match t.get("weight") {
            None if id == "performance" || id == "discipline" => None,
            None => {
                problems.push(format!("[{i}].weight: part `{id}` needs a weight (only `performance` and `discipline` may take theirs from allowance.weight_performance / allowance.weight_discipline)"));
                None
            }
            Some(v) => match parse_decimal_text(v).filter(|d| *d >= Decimal::ZERO && *d <= Decimal::ONE_HUNDRED) {
                Some(d) => Some(d),
                None => {
                    problems.push(format!("[{i}].weight: {v} is not a percent 0..100"));
                    None
                }
            },
        };
        let measure = match t.get("measure").and_then(Value::as_text) {
            Some("activity") => PartMeasure::Activity,
            Some("full") => PartMeasure::Full,
            other => {
                problems.push(format!("[{i}].measure: expected `activity` or `full`, found {other:?}"));
                PartMeasure::Full
            }
        };
        let mut deductions = Vec::new();
        match t.get("deductions") {
            None => {}
            Some(v) => match v.as_list() {
                Some(kinds) => {
                    for (j, k) in kinds.iter().enumerate() {
                        let kind = k.as_text().unwrap_or("");
                        if !DEDUCTION_KINDS.contains(&kind) {
                            problems.push(format!(
                                "[{i}].deductions[{j}]: `{kind}` is not a deduction kind ({})",
                                DEDUCTION_KINDS.join(", ")
                            ));
                        } else if let Some(other) = charged.insert(kind.to_string(), id.to_string()) {
                            problems.push(format!(
                                "[{i}].deductions[{j}]: `{kind}` is already charged to part `{other}`; each kind to one part"
                            ));
                        } else {
                            deductions.push(kind.to_string());
                        }
                    }
                }
                None => problems.push(format!("[{i}].deductions: expected a list of deduction kinds")),
            },
        }
        out.push(Part { id: id.to_string(), weight, measure, deductions });
    }
    if out.iter().filter(|p| p.measure == PartMeasure::Activity).count() > 1 {
        problems.push("at most one part may be measured by `activity`".to_string());
    }
    let missing: Vec<&str> = DEDUCTION_KINDS.iter().copied().filter(|k| !charged.contains_key(*k)).collect();
    if !missing.is_empty() && problems.is_empty() {
        problems.push(format!(
            "deduction kind(s) {} are charged to no part; list each in one part's `deductions`",
            missing.join(", ")
        ));
    }
    finish(out, problems)
}

/// The standard pair the two-part engine computed: `performance` (activity, weight
/// from `allowance.weight_performance`, no deductions) then `discipline` (full, weight
/// from `allowance.weight_discipline`, every deduction kind).
pub fn standard_parts() -> Vec<Part> {
    vec![
        Part { id: "performance".into(), weight: None, measure: PartMeasure::Activity, deductions: Vec::new() },
        Part {
            id: "discipline".into(),
            weight: None,
            measure: PartMeasure::Full,
            deductions: DEDUCTION_KINDS.iter().map(|k| (*k).to_string()).collect(),
        },
    ]
}

/// Whether `parts` is the standard pair, deductions in any order.
pub(crate) fn is_standard(parts: &[Part]) -> bool {
    let std = standard_parts();
    parts.len() == std.len()
        && parts.iter().zip(&std).all(|(a, b)| {
            let ka: BTreeSet<&String> = a.deductions.iter().collect();
            let kb: BTreeSet<&String> = b.deductions.iter().collect();
            a.id == b.id && a.weight == b.weight && a.measure == b.measure && ka == kb
        })
}

/// The canonical text of `allowance.components`, as quoted and hashed.
pub(crate) fn components_text(components: &[Component]) -> String {
    let items: Vec<String> = components
        .iter()
        .map(|c| {
            let amounts = match &c.amounts {
                ComponentAmounts::Ceiling => String::new(),
                ComponentAmounts::Class(t) => {
                    let e: Vec<String> = t.iter().map(|(k, v)| format!("{k} = {}", v.amount().normalize())).collect();
                    format!(", amounts = {{{}}}", e.join(", "))
                }
                ComponentAmounts::Position(t) => {
                    let e: Vec<String> = t.iter().map(|(k, v)| format!("{k} = {}", v.amount().normalize())).collect();
                    format!(", amounts = {{{}}}", e.join(", "))
                }
            };
            let by = match c.amounts {
                ComponentAmounts::Ceiling => "ceiling",
                ComponentAmounts::Class(_) => "class",
                ComponentAmounts::Position(_) => "position",
            };
            format!("{{id = {}, criterion = {}, by = {by}{amounts}}}", c.id, c.criterion)
        })
        .collect();
    format!("[{}]", items.join(", "))
}

/// The canonical text of one part, as quoted on a slip line.
pub(crate) fn part_text(p: &Part) -> String {
    let weight = p.weight.map(|w| format!(", weight = {}", w.normalize())).unwrap_or_default();
    format!("{{id = {}{weight}, measure = {}, deductions = [{}]}}", p.id, p.measure.as_str(), p.deductions.join(", "))
}

/// The canonical text of `allowance.parts`.
pub(crate) fn parts_text(parts: &[Part]) -> String {
    let items: Vec<String> = parts.iter().map(part_text).collect();
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(pairs: &[(&str, Value)]) -> Value {
        Value::Table(pairs.iter().map(|(k, v)| ((*k).to_string(), v.clone())).collect())
    }
    fn s(x: &str) -> Value {
        Value::Text(x.into())
    }
    fn kinds(k: &[&str]) -> Value {
        Value::List(k.iter().map(|x| s(x)).collect())
    }

    #[test]
    fn the_standard_pair_parses_and_is_recognised() {
        let v = Value::List(vec![
            t(&[("id", s("performance")), ("measure", s("activity"))]),
            t(&[
                ("id", s("discipline")),
                ("measure", s("full")),
                ("deductions", kinds(&["late", "early", "unexcused", "roll_call", "ceremony", "absence"])),
            ]),
        ]);
        let p = parts(&v).expect("parses");
        assert!(is_standard(&p));
        assert_eq!(p, standard_parts());
    }

    #[test]
    fn parts_refuse_unknown_fields_kinds_and_double_charges() {
        let v = Value::List(vec![
            t(&[("id", s("performance")), ("measure", s("activity")), ("wieght", s("50"))]),
            t(&[("id", s("apel")), ("measure", s("full")), ("deductions", kinds(&["roll_call", "lateness"]))]),
            t(&[("id", s("discipline")), ("measure", s("activity")), ("deductions", kinds(&["roll_call"]))]),
        ]);
        let e = parts(&v).expect_err("refused");
        assert!(e.contains("[0]: unknown field `wieght`"), "{e}");
        assert!(e.contains("[1].weight: part `apel` needs a weight"), "{e}");
        assert!(e.contains("[1].deductions[1]: `lateness` is not a deduction kind"), "{e}");
        assert!(e.contains("[2].deductions[0]: `roll_call` is already charged to part `apel`"), "{e}");
        assert!(e.contains("at most one part may be measured by `activity`"), "{e}");
        let lonely = Value::List(vec![t(&[("id", s("performance")), ("measure", s("activity"))])]);
        assert!(parts(&lonely).expect_err("kinds uncharged").contains("charged to no part"));
    }

    #[test]
    fn components_check_every_field() {
        let v = Value::List(vec![
            t(&[("id", s("bk")), ("criterion", s("beban_kerja")), ("by", s("ceiling"))]),
            t(&[("id", s("bk")), ("criterion", s("kemahalan")), ("by", s("class")), ("amounts", t(&[("1", s("5"))]))]),
            t(&[
                ("id", s("lp")),
                ("criterion", s("kelangkaan_profesi")),
                ("by", s("position")),
                ("amounts", t(&[("RS-1", s("-1"))])),
            ]),
            t(&[("id", s("x")), ("criterion", s("kondisi_kerja")), ("by", s("unit")), ("extra", s("1"))]),
        ]);
        let e = components(&v).expect_err("refused");
        assert!(e.contains("[1].id: `bk` is listed twice"), "{e}");
        assert!(e.contains("[1].criterion: `kemahalan`"), "{e}");
        assert!(e.contains("[1].amounts: no amount for job class(es) 2, 3"), "{e}");
        assert!(e.contains("[2].amounts.RS-1"), "{e}");
        assert!(e.contains("[3]: unknown field `extra`"), "{e}");
        assert!(e.contains("[3].by: expected `ceiling`, `class` or `position`, found `unit`"), "{e}");
        assert_eq!(components(&Value::List(vec![])), Ok(vec![]));
    }
}
