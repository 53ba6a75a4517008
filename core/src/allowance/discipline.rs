//! Count-based discipline rules as policy (`allowance.discipline_counts`).
//!
//! Regional TPP rules count discipline events over the month as well as rating each:
//! "the first two late arrivals in a month are free", "three late arrivals count as
//! half a day", "six missed roll calls forfeit the roll-call part" (docs/RULES.md 7.8
//! and 8.6). Each event kind may have one rule:
//!
//! | field | meaning | kinds |
//! |---|---|---|
//! | `free` | the first `free` events of the month deduct nothing | `late`, `early`, `roll_call`, `ceremony` |
//! | `every`, `days` | every whole `every` events (after the free ones) count as `days` days at `allowance.deduction.unexcused_per_day`, instead of the band rates; fewer than `every` left over deduct nothing | `late`, `early` |
//! | `forfeit_at` | from `forfeit_at` events (free ones included) the part the kind is charged to (`allowance.parts`) is forfeited whole, instead of the kind's other lines | all four |
//!
//! The national baseline has no rule (`{}`), so every event deducts at its rate.
//!
//! Counts are per band for late arrival and early leave; free events are taken from the
//! lowest band first (TL1 before TL2: the inputs carry counts, not times, and the
//! lowest band is the earliest-rated rule a region words as "the first").

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::policy::{Value, parse_decimal_text, variant_name};

/// The event kinds a count rule may name.
pub const COUNT_KINDS: [&str; 4] = ["late", "early", "roll_call", "ceremony"];

/// One kind's count rule (`allowance.discipline_counts.<kind>`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CountRule {
    /// Events of the month that deduct nothing (the first ones).
    pub free: i64,
    /// Convert every this many events (after the free ones) into `days` days.
    pub every: Option<i64>,
    /// Days each group of `every` events counts as.
    pub days: Option<Decimal>,
    /// From this many events (free ones included) the kind's part is forfeited.
    pub forfeit_at: Option<i64>,
}

/// What a count rule makes of one kind's events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Counted {
    /// Every event recorded.
    pub recorded: i64,
    /// The events per band (one band for roll calls and ceremonies) still deducted at
    /// their rates, after the free ones; all zero when converted or forfeited.
    pub charged: Bands,
    /// Free events per band.
    pub free: Bands,
    /// `(groups, days)` when converted: `groups` whole groups of `every`, `days` in all.
    pub converted: Option<(i64, Decimal)>,
    /// Events left over after the conversion (deduct nothing).
    pub left_over: i64,
    /// True when the part is forfeited.
    pub forfeited: bool,
}

/// Counts per band (at most four: TL1..TL4, PSW1..PSW4, or one for roll calls and
/// ceremonies), held inline so that counting allocates nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Bands {
    values: [i64; 4],
    len: usize,
}

impl Bands {
    /// `n` zero bands (at most four).
    fn zeros(n: usize) -> Bands {
        Bands { values: [0; 4], len: n.min(4) }
    }

    /// The first four of `counts`.
    fn of(counts: &[i64]) -> Bands {
        let mut b = Bands::zeros(counts.len());
        for (slot, c) in b.values.iter_mut().zip(counts) {
            *slot = *c;
        }
        b
    }
}

impl std::ops::Deref for Bands {
    type Target = [i64];
    fn deref(&self) -> &[i64] {
        self.values.get(..self.len).unwrap_or(&[])
    }
}

impl std::ops::DerefMut for Bands {
    fn deref_mut(&mut self) -> &mut [i64] {
        self.values.get_mut(..self.len).unwrap_or(&mut [])
    }
}

impl<const N: usize> PartialEq<[i64; N]> for Bands {
    fn eq(&self, other: &[i64; N]) -> bool {
        **self == other[..]
    }
}

/// Applies `rule` (or none) to the band counts of one kind (at most four bands).
// Inlined into the slip's rules, so that its result stays in registers (returned
// through memory, its bands were stored and read back in pieces at every call).
#[inline(always)]
pub(crate) fn apply(rule: Option<&CountRule>, counts: &[i64]) -> Counted {
    let recorded = counts.iter().fold(0i64, |a, c| a.saturating_add((*c).max(0)));
    let none = Counted {
        recorded,
        charged: Bands::of(counts),
        free: Bands::zeros(counts.len()),
        converted: None,
        left_over: 0,
        forfeited: false,
    };
    let Some(rule) = rule else { return none };
    if rule.forfeit_at.is_some_and(|n| recorded >= n) {
        return Counted { charged: Bands::zeros(counts.len()), forfeited: true, ..none };
    }
    let mut to_waive = rule.free.max(0);
    let mut charged = Bands::of(counts);
    let mut free = Bands::zeros(counts.len());
    for (c, f) in charged.iter_mut().zip(free.iter_mut()) {
        let w = to_waive.min((*c).max(0));
        *c -= w;
        *f = w;
        to_waive -= w;
    }
    if let (Some(every), Some(days)) = (rule.every, rule.days)
        && every > 0
    {
        let remaining = charged.iter().fold(0i64, |a, c| a.saturating_add(*c));
        let groups = remaining / every;
        let left_over = remaining % every;
        let total = days.checked_mul(Decimal::from(groups)).unwrap_or(Decimal::ZERO);
        let converted = if groups > 0 { Some((groups, total)) } else { None };
        return Counted { recorded, charged: Bands::zeros(counts.len()), free, converted, left_over, forfeited: false };
    }
    Counted { recorded, charged, free, converted: None, left_over: 0, forfeited: false }
}

/// `allowance.discipline_counts`: kind ([`COUNT_KINDS`]) -> `{free, every, days,
/// forfeit_at}`, each field optional; `every` and `days` together and only for `late`
/// and `early`.
pub(crate) fn count_rules(value: &Value) -> Result<BTreeMap<String, CountRule>, String> {
    let Some(t) = value.as_table() else {
        return Err(format!(
            "expected a table from event kind to {{free, every, days, forfeit_at}}, found {}",
            variant_name(value)
        ));
    };
    let mut out = BTreeMap::new();
    let mut problems = Vec::new();
    for (kind, v) in t {
        if !COUNT_KINDS.contains(&kind.as_str()) {
            problems.push(format!("`{kind}` is not an event kind ({})", COUNT_KINDS.join(", ")));
            continue;
        }
        let Some(rt) = v.as_table() else {
            problems.push(format!("{kind}: expected a table {{free, every, days, forfeit_at}}"));
            continue;
        };
        for f in rt.keys().filter(|f| !["free", "every", "days", "forfeit_at"].contains(&f.as_str())) {
            problems.push(format!("{kind}: unknown field `{f}` (allowed: free, every, days, forfeit_at)"));
        }
        let mut int = |field: &str, min: i64| -> Option<i64> {
            let v = rt.get(field)?;
            match v.as_int().filter(|n| (min..=1000).contains(n)) {
                Some(n) => Some(n),
                None => {
                    problems.push(format!("{kind}.{field}: expected a whole number {min}..=1000, found {v}"));
                    None
                }
            }
        };
        let free = int("free", 0).unwrap_or(0);
        let every = int("every", 1);
        let forfeit_at = int("forfeit_at", 1);
        let days = match rt.get("days") {
            None => None,
            Some(v) => match parse_decimal_text(v).filter(|d| *d > Decimal::ZERO && *d <= Decimal::from(31)) {
                Some(d) => Some(d),
                None => {
                    problems.push(format!("{kind}.days: expected a quoted number of days in (0, 31], found {v}"));
                    None
                }
            },
        };
        if rt.contains_key("every") != rt.contains_key("days") {
            problems.push(format!("{kind}: `every` and `days` go together (every N events count as `days` days)"));
        }
        if (rt.contains_key("every") || rt.contains_key("days")) && !["late", "early"].contains(&kind.as_str()) {
            problems.push(format!("{kind}: only `late` and `early` events convert into days"));
        }
        out.insert(kind.clone(), CountRule { free, every, days, forfeit_at });
    }
    if problems.is_empty() { Ok(out) } else { Err(problems.join("; ")) }
}

/// The canonical text of `allowance.discipline_counts`.
pub(crate) fn count_rules_text(rules: &BTreeMap<String, CountRule>) -> String {
    let items: Vec<String> = rules.iter().map(|(k, r)| format!("{k} = {}", rule_text(r))).collect();
    format!("{{{}}}", items.join(", "))
}

/// `{free = 2, every = 3, days = 0.5, forfeit_at = 6}` (fields that are set).
pub(crate) fn rule_text(r: &CountRule) -> String {
    let mut f = Vec::new();
    if r.free != 0 {
        f.push(format!("free = {}", r.free));
    }
    if let Some(e) = r.every {
        f.push(format!("every = {e}"));
    }
    if let Some(d) = r.days {
        f.push(format!("days = {}", d.normalize()));
    }
    if let Some(n) = r.forfeit_at {
        f.push(format!("forfeit_at = {n}"));
    }
    format!("{{{}}}", f.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(free: i64, every: Option<i64>, days: Option<&str>, forfeit_at: Option<i64>) -> CountRule {
        CountRule { free, every, days: days.map(|d| d.parse().expect("decimal")), forfeit_at }
    }

    /// Two free, from the lowest band up: [1, 2, 0, 0] -> TL1 1 free, TL2 1 free, 1 left.
    #[test]
    fn free_events_come_from_the_lowest_band() {
        let c = apply(Some(&rule(2, None, None, None)), &[1, 2, 0, 0]);
        assert_eq!(c.free, [1, 1, 0, 0]);
        assert_eq!(c.charged, [0, 1, 0, 0]);
        assert_eq!(c.recorded, 3);
    }

    /// Every 3 after 2 free count as half a day: 7 recorded -> 5 -> 1 group (0.5 day), 2 left.
    #[test]
    fn conversion_counts_whole_groups() {
        let c = apply(Some(&rule(2, Some(3), Some("0.5"), None)), &[4, 3, 0, 0]);
        assert_eq!(c.converted, Some((1, "0.5".parse().expect("decimal"))));
        assert_eq!(c.left_over, 2);
        assert_eq!(c.charged, [0, 0, 0, 0]);
    }

    #[test]
    fn forfeit_counts_free_events_too() {
        let r = rule(2, None, None, Some(6));
        assert!(!apply(Some(&r), &[5]).forfeited);
        assert!(apply(Some(&r), &[6]).forfeited);
        assert_eq!(apply(None, &[9]).charged, [9]);
    }

    #[test]
    fn rules_refuse_unknown_kinds_and_fields() {
        let mut lr = BTreeMap::new();
        lr.insert("free".to_string(), Value::Int(2));
        lr.insert("evry".to_string(), Value::Int(3));
        let mut rc = BTreeMap::new();
        rc.insert("every".to_string(), Value::Int(3));
        rc.insert("days".to_string(), Value::Text("1".into()));
        let mut t = BTreeMap::new();
        t.insert("late".to_string(), Value::Table(lr));
        t.insert("roll_call".to_string(), Value::Table(rc));
        t.insert("lunch".to_string(), Value::Table(BTreeMap::new()));
        let e = count_rules(&Value::Table(t)).expect_err("refused");
        assert!(e.contains("late: unknown field `evry`"), "{e}");
        assert!(e.contains("`lunch` is not an event kind"), "{e}");
        assert!(e.contains("roll_call: only `late` and `early` events convert"), "{e}");
    }
}
