//! City totals ([`Totals`]), what-if comparison ([`compare`]) and arrears ([`arrears`]).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::AllowanceError;
use super::slip::Slip;
use crate::error::ArithmeticError;
use crate::money::Money;
use crate::month::YearMonth;
use crate::org::Nip;

/// Totals of many slips, e.g. a city's month.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Number of slips added.
    pub count: usize,
    /// Sum of the ceilings (`ceiling` lines).
    pub ceiling: Money,
    /// Sum of the gross amounts.
    pub gross: Money,
    /// Sum of the tax withheld (negative or zero).
    pub tax: Money,
    /// Sum of the contributions withheld (negative or zero).
    pub contribution: Money,
    /// Sum of the net amounts.
    pub net: Money,
    /// Sum of every line other than `ceiling`, by rule id, with its sign: the
    /// deductions (negative) and the adjustments (`acting`, `deduction.floor`: positive).
    pub deductions_by_rule: BTreeMap<String, Money>,
}

type AddFn = fn(Money, Money) -> Result<Money, ArithmeticError>;

fn checked(a: Money, b: Money) -> Result<Money, ArithmeticError> {
    a.checked_add(b)
}

/// Saturating addition: sums beyond Decimal's range (about 7.9 x 10^28 rupiah) stay at
/// the bound. Used where the signature has no room for an error ([`compare`]).
fn saturating(a: Money, b: Money) -> Result<Money, ArithmeticError> {
    Ok(Money::new(a.amount().saturating_add(b.amount())))
}

fn saturating_sub(a: Money, b: Money) -> Money {
    Money::new(a.amount().saturating_sub(b.amount()))
}

impl Totals {
    /// Adds one slip (checked: an overflow is an error and leaves the totals unchanged
    /// only up to the field that overflowed).
    pub fn add(&mut self, slip: &Slip) -> Result<(), ArithmeticError> {
        self.accumulate(slip, checked)
    }

    /// The totals of `slips`.
    pub fn of<'a>(slips: impl IntoIterator<Item = &'a Slip>) -> Result<Totals, ArithmeticError> {
        let mut t = Totals::default();
        for s in slips {
            t.add(s)?;
        }
        Ok(t)
    }

    fn accumulate(&mut self, slip: &Slip, add: AddFn) -> Result<(), ArithmeticError> {
        self.count = self.count.checked_add(1).ok_or(ArithmeticError::Overflow { operation: "slip count" })?;
        self.gross = add(self.gross, slip.gross)?;
        self.tax = add(self.tax, slip.tax)?;
        self.contribution = add(self.contribution, slip.contribution)?;
        self.net = add(self.net, slip.net)?;
        for line in &slip.lines {
            if line.rule == "ceiling" {
                self.ceiling = add(self.ceiling, line.amount)?;
            } else if let Some(m) = self.deductions_by_rule.get_mut(&line.rule) {
                *m = add(*m, line.amount)?;
            } else {
                self.deductions_by_rule.insert(line.rule.clone(), line.amount);
            }
        }
        Ok(())
    }
}

/// Which side(s) of a comparison an employee appears on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// On both sides.
    Both,
    /// Only before (e.g. no longer paid).
    BeforeOnly,
    /// Only after (e.g. newly paid).
    AfterOnly,
}

/// An amount before and after, and the change `after - before`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The amount before.
    pub before: Money,
    /// The amount after.
    pub after: Money,
    /// `after - before`.
    pub delta: Money,
}

impl Change {
    fn new(before: Money, after: Money) -> Change {
        Change { before, after, delta: saturating_sub(after, before) }
    }

    fn plus(self, other: Change) -> Change {
        let add = |a: Money, b: Money| Money::new(a.amount().saturating_add(b.amount()));
        Change {
            before: add(self.before, other.before),
            after: add(self.after, other.after),
            delta: add(self.delta, other.delta),
        }
    }
}

/// One employee's change between two sets of slips.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployeeDelta {
    /// The employee.
    pub employee: Nip,
    /// Which sides the employee appears on (a missing side counts as zero).
    pub presence: Presence,
    /// Gross before/after.
    pub gross: Change,
    /// Tax before/after.
    pub tax: Change,
    /// Contribution before/after.
    pub contribution: Change,
    /// Net before/after.
    pub net: Change,
    /// Every rule whose amount differs, by rule id (lines of a rule summed).
    pub by_rule: BTreeMap<String, Change>,
}

/// The change of a group of employees (or of the whole city).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delta {
    /// Number of employees in the group.
    pub employees: usize,
    /// Gross before/after.
    pub gross: Change,
    /// Tax before/after.
    pub tax: Change,
    /// Contribution before/after.
    pub contribution: Change,
    /// Net before/after.
    pub net: Change,
}

impl Delta {
    fn add(&mut self, e: &EmployeeDelta) {
        self.employees = self.employees.saturating_add(1);
        self.gross = self.gross.plus(e.gross);
        self.tax = self.tax.plus(e.tax);
        self.contribution = self.contribution.plus(e.contribution);
        self.net = self.net.plus(e.net);
    }
}

/// A what-if comparison of two sets of slips ([`compare`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    /// Every employee of either side, by NIP.
    pub employees: Vec<EmployeeDelta>,
    /// The totals before.
    pub before: Totals,
    /// The totals after.
    pub after: Totals,
    /// The city's change (all employees).
    pub total: Delta,
}

impl Comparison {
    /// Employees present only before.
    pub fn only_before(&self) -> impl Iterator<Item = &Nip> {
        self.employees.iter().filter(|e| e.presence == Presence::BeforeOnly).map(|e| &e.employee)
    }

    /// Employees present only after.
    pub fn only_after(&self) -> impl Iterator<Item = &Nip> {
        self.employees.iter().filter(|e| e.presence == Presence::AfterOnly).map(|e| &e.employee)
    }

    /// The change grouped by a key of the employee (e.g. the work unit). Employees
    /// for whom `key` gives `None` are left out.
    pub fn group_by(&self, key: impl Fn(&Nip) -> Option<String>) -> BTreeMap<String, Delta> {
        let mut groups: BTreeMap<String, Delta> = BTreeMap::new();
        for e in &self.employees {
            if let Some(k) = key(&e.employee) {
                groups.entry(k).or_default().add(e);
            }
        }
        groups
    }
}

/// One side's sums for an employee.
#[derive(Default)]
struct Side {
    present: bool,
    gross: Money,
    tax: Money,
    contribution: Money,
    net: Money,
    rules: BTreeMap<String, Money>,
}

impl Side {
    fn add(&mut self, s: &Slip) {
        let add = |a: Money, b: Money| Money::new(a.amount().saturating_add(b.amount()));
        self.present = true;
        self.gross = add(self.gross, s.gross);
        self.tax = add(self.tax, s.tax);
        self.contribution = add(self.contribution, s.contribution);
        self.net = add(self.net, s.net);
        for l in &s.lines {
            let slot = self.rules.entry(l.rule.clone()).or_insert(Money::ZERO);
            *slot = add(*slot, l.amount);
        }
    }
}

/// Compares two sets of slips (e.g. the same month under the current policy and under
/// a proposed one), matching slips by employee.
///
/// An employee with several slips on one side (e.g. several months) is compared on the
/// sums of those slips. An employee on one side only is reported with zero on the other
/// ([`Presence`]). Sums saturate at Decimal's range (about 7.9 x 10^28 rupiah), far
/// beyond any budget.
pub fn compare(before: &[Slip], after: &[Slip]) -> Comparison {
    let mut sides: BTreeMap<&Nip, (Side, Side)> = BTreeMap::new();
    let mut tb = Totals::default();
    let mut ta = Totals::default();
    for s in before {
        sides.entry(&s.employee).or_default().0.add(s);
        // `saturating` never fails.
        let _ = tb.accumulate(s, saturating);
    }
    for s in after {
        sides.entry(&s.employee).or_default().1.add(s);
        let _ = ta.accumulate(s, saturating);
    }
    let mut employees = Vec::with_capacity(sides.len());
    let mut total = Delta::default();
    for (nip, (b, a)) in sides {
        let presence = match (b.present, a.present) {
            (true, false) => Presence::BeforeOnly,
            (false, true) => Presence::AfterOnly,
            _ => Presence::Both,
        };
        let mut by_rule = BTreeMap::new();
        for (rule, amount) in &b.rules {
            let after = a.rules.get(rule).copied().unwrap_or(Money::ZERO);
            if after != *amount {
                by_rule.insert(rule.clone(), Change::new(*amount, after));
            }
        }
        for (rule, amount) in &a.rules {
            if !b.rules.contains_key(rule) && !amount.is_zero() {
                by_rule.insert(rule.clone(), Change::new(Money::ZERO, *amount));
            }
        }
        let e = EmployeeDelta {
            employee: nip.clone(),
            presence,
            gross: Change::new(b.gross, a.gross),
            tax: Change::new(b.tax, a.tax),
            contribution: Change::new(b.contribution, a.contribution),
            net: Change::new(b.net, a.net),
            by_rule,
        };
        total.add(&e);
        employees.push(e);
    }
    Comparison { employees, before: tb, after: ta, total }
}

/// The difference of one rule between the slip paid and the slip recomputed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleDifference {
    /// The rule id.
    pub rule: String,
    /// Its amount on the slip paid (lines of the rule summed; zero when absent).
    pub paid: Money,
    /// Its amount on the recomputed slip (zero when absent).
    pub recomputed: Money,
    /// `recomputed - paid`.
    pub difference: Money,
}

/// Arrears (*rapel*) of one employee's month: what the recomputed slip changes.
#[doc(alias = "rapel")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arrears {
    /// The employee.
    pub employee: Nip,
    /// The month recomputed.
    pub month: YearMonth,
    /// Every rule of either slip: the paid slip's rules in its order, then the rules only
    /// the recomputed slip has, in its order.
    pub by_rule: Vec<RuleDifference>,
    /// Gross difference (recomputed - paid).
    pub gross: Money,
    /// Tax difference.
    pub tax: Money,
    /// Contribution difference.
    pub contribution: Money,
    /// Net difference.
    pub net: Money,
    /// The positive net difference, owed to the employee (zero otherwise).
    pub to_pay: Money,
    /// The magnitude of a negative net difference, to be recovered (zero otherwise).
    pub to_recover: Money,
}

/// The arrears (*rapel*) between the slip paid and a slip recomputed for the same
/// employee and month (e.g. after a late verification or a retroactive policy change).
///
/// Lines are matched by rule id (several `acting` lines are summed); a rule present on
/// one side only counts with zero on the other.
pub fn arrears(paid: &Slip, recomputed: &Slip) -> Result<Arrears, AllowanceError> {
    if paid.employee != recomputed.employee {
        return Err(AllowanceError::SlipMismatch {
            field: "employee",
            paid: paid.employee.to_string(),
            recomputed: recomputed.employee.to_string(),
        });
    }
    if paid.month != recomputed.month {
        return Err(AllowanceError::SlipMismatch {
            field: "month",
            paid: paid.month.to_string(),
            recomputed: recomputed.month.to_string(),
        });
    }
    let ar = |source: ArithmeticError| AllowanceError::Arithmetic {
        employee: paid.employee.to_string(),
        context: "the arrears",
        source,
    };
    let sum = |s: &Slip, rule: &str| -> Result<Money, AllowanceError> {
        Money::checked_sum(s.lines.iter().filter(|l| l.rule == rule).map(|l| l.amount)).map_err(ar)
    };
    let mut by_rule: Vec<RuleDifference> = Vec::new();
    for line in paid.lines.iter().chain(recomputed.lines.iter()) {
        if by_rule.iter().any(|r| r.rule == line.rule) {
            continue;
        }
        let p = sum(paid, &line.rule)?;
        let r = sum(recomputed, &line.rule)?;
        by_rule.push(RuleDifference {
            rule: line.rule.clone(),
            paid: p,
            recomputed: r,
            difference: r.checked_sub(p).map_err(ar)?,
        });
    }
    let diff = |a: Money, b: Money| b.checked_sub(a).map_err(ar);
    let net = diff(paid.net, recomputed.net)?;
    let (to_pay, to_recover) =
        if net.amount() > Decimal::ZERO { (net, Money::ZERO) } else { (Money::ZERO, super::slip::neg(net)) };
    Ok(Arrears {
        employee: paid.employee.clone(),
        month: paid.month,
        by_rule,
        gross: diff(paid.gross, recomputed.gross)?,
        tax: diff(paid.tax, recomputed.tax)?,
        contribution: diff(paid.contribution, recomputed.contribution)?,
        net,
        to_pay,
        to_recover,
    })
}
