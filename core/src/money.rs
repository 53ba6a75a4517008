//! Exact money ([`Money`]) and the declared rounding rule ([`RoundingRule`]).
//!
//! Allowances are paid in rupiah. Every amount is a [`rust_decimal::Decimal`]; no
//! float ever touches money. Intermediate values keep all their decimals and are
//! rounded only where a rule says so, with a [`RoundingRule`] that a policy declares.

use std::fmt;
use std::iter::Sum;

use rust_decimal::Decimal;
use rust_decimal::RoundingStrategy;
use serde::{Deserialize, Serialize};

use crate::error::ArithmeticError;

/// An exact amount of rupiah (positive, zero or negative).
///
/// Arithmetic is checked: an overflow is an [`ArithmeticError`], never a wrap or a panic.
///
/// ```
/// use kinerja::{Money, RoundingRule};
/// let a = Money::parse("1250000.50").unwrap();
/// let b = a.checked_add(Money::from_rupiah(1)).unwrap();
/// assert_eq!(b.to_string(), "Rp 1250001.50");
/// assert_eq!(b.round(RoundingRule::WHOLE_RUPIAH_HALF_UP).to_string(), "Rp 1250002");
/// ```
#[doc(alias = "rupiah")]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Money(Decimal);

impl Money {
    /// Zero rupiah.
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// Wraps an exact decimal amount.
    pub const fn new(amount: Decimal) -> Self {
        Money(amount)
    }

    /// A whole number of rupiah.
    pub fn from_rupiah(rupiah: i64) -> Self {
        Money(Decimal::from(rupiah))
    }

    /// Parses a decimal string such as `"1250000"` or `"1250000.50"`.
    /// Exponents, separators and floats' artefacts are refused.
    pub fn parse(text: &str) -> Result<Self, ArithmeticError> {
        let t = text.trim();
        if t.is_empty() || t.contains(['e', 'E', '_', ',']) {
            return Err(ArithmeticError::NotADecimal { text: text.to_string() });
        }
        t.parse::<Decimal>().map(Money).map_err(|_| ArithmeticError::NotADecimal { text: text.to_string() })
    }

    /// The exact decimal amount.
    pub const fn amount(self) -> Decimal {
        self.0
    }

    /// Checked addition.
    pub fn checked_add(self, other: Money) -> Result<Money, ArithmeticError> {
        self.0.checked_add(other.0).map(Money).ok_or(ArithmeticError::Overflow { operation: "money addition" })
    }

    /// Checked subtraction.
    pub fn checked_sub(self, other: Money) -> Result<Money, ArithmeticError> {
        self.0.checked_sub(other.0).map(Money).ok_or(ArithmeticError::Overflow { operation: "money subtraction" })
    }

    /// Checked multiplication by an exact factor (a share, a rate, a count).
    pub fn checked_mul(self, factor: Decimal) -> Result<Money, ArithmeticError> {
        self.0.checked_mul(factor).map(Money).ok_or(ArithmeticError::Overflow { operation: "money multiplication" })
    }

    /// Checked multiplication by a percentage: `self x percent / 100`.
    pub fn checked_percent(self, percent: Decimal) -> Result<Money, ArithmeticError> {
        let factor =
            percent.checked_div(Decimal::ONE_HUNDRED).ok_or(ArithmeticError::Overflow { operation: "percentage" })?;
        self.checked_mul(factor)
    }

    /// Checked division by an exact divisor; dividing by zero is an error.
    pub fn checked_div(self, divisor: Decimal) -> Result<Money, ArithmeticError> {
        if divisor.is_zero() {
            return Err(ArithmeticError::DivisionByZero { operation: "money division" });
        }
        self.0.checked_div(divisor).map(Money).ok_or(ArithmeticError::Overflow { operation: "money division" })
    }

    /// Rounds by the given rule.
    pub fn round(self, rule: RoundingRule) -> Money {
        Money(self.0.round_dp_with_strategy(rule.scale, rule.mode.strategy()))
    }

    /// The larger of two amounts.
    pub fn max(self, other: Money) -> Money {
        if self >= other { self } else { other }
    }

    /// The smaller of two amounts.
    pub fn min(self, other: Money) -> Money {
        if self <= other { self } else { other }
    }

    /// True when the amount is below zero.
    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    /// True when the amount is zero.
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Rp {}", self.0)
    }
}

/// Sums amounts; panics never, but an overflowing sum saturates to an error via
/// [`Money::checked_sum`]. Prefer that in code paths fed by users.
impl<'a> Sum<&'a Money> for Option<Money> {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Self {
        Money::checked_sum(iter.copied()).ok()
    }
}

impl Money {
    /// Checked sum of amounts.
    pub fn checked_sum<I: IntoIterator<Item = Money>>(iter: I) -> Result<Money, ArithmeticError> {
        iter.into_iter().try_fold(Money::ZERO, |acc, m| acc.checked_add(m))
    }
}

/// How ties and fractions are resolved when rounding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    /// Halves go away from zero (`0.5 -> 1`, `-0.5 -> -1`): the usual rule on pay slips.
    HalfUp,
    /// Halves go to the even neighbour (banker's rounding).
    HalfEven,
    /// Towards zero (truncation).
    Down,
    /// Away from zero (ceiling for positive amounts).
    Up,
}

impl RoundingMode {
    fn strategy(self) -> RoundingStrategy {
        match self {
            RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
            RoundingMode::Down => RoundingStrategy::ToZero,
            RoundingMode::Up => RoundingStrategy::AwayFromZero,
        }
    }
}

/// A declared rounding rule: a mode and the number of decimals kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RoundingRule {
    /// Tie and fraction handling.
    pub mode: RoundingMode,
    /// Decimal places kept (0 = whole rupiah).
    pub scale: u32,
}

impl RoundingRule {
    /// Whole rupiah, halves up: the default rule on allowance slips.
    pub const WHOLE_RUPIAH_HALF_UP: RoundingRule = RoundingRule { mode: RoundingMode::HalfUp, scale: 0 };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_modes_at_half_rupiah() {
        let x = Money::parse("1000.5").unwrap();
        let r = |mode| x.round(RoundingRule { mode, scale: 0 }).amount();
        assert_eq!(r(RoundingMode::HalfUp), Decimal::from(1001));
        assert_eq!(r(RoundingMode::HalfEven), Decimal::from(1000));
        assert_eq!(r(RoundingMode::Down), Decimal::from(1000));
        assert_eq!(r(RoundingMode::Up), Decimal::from(1001));
    }

    #[test]
    fn overflow_is_an_error_not_a_wrap() {
        let big = Money::new(Decimal::MAX);
        assert!(matches!(big.checked_add(Money::from_rupiah(1)), Err(ArithmeticError::Overflow { .. })));
        assert!(matches!(
            Money::from_rupiah(1).checked_div(Decimal::ZERO),
            Err(ArithmeticError::DivisionByZero { .. })
        ));
    }

    #[test]
    fn parse_refuses_exponents_and_separators() {
        assert!(Money::parse("1e6").is_err());
        assert!(Money::parse("1,000").is_err());
        assert!(Money::parse("").is_err());
        // 3% of 1,234,567 = 37,037.01 exactly
        let m = Money::from_rupiah(1_234_567).checked_percent(Decimal::from(3)).unwrap();
        assert_eq!(m.amount(), "37037.01".parse::<Decimal>().unwrap());
    }
}
