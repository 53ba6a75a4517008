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

impl Money {
    /// `R(self x f1 x f2 ... / divisor)`, rounded by `rule`, and whether rounding
    /// changed the value: the one product-and-ratio of the allowance rules (a share, a
    /// rate times a count, a proration).
    ///
    /// The value is that of the checked decimal steps in order (multiply by each
    /// factor, divide, round: [`Money::checked_mul`], [`Money::checked_div`],
    /// [`Money::round`]). When the rule rounds to whole units and every number is
    /// small enough that those steps are exact (or, for a divisor that is not a power
    /// of ten, far more precise than the rounding needs), the same value is computed
    /// exactly in 128-bit integers instead, with the same rounding: a few
    /// nanoseconds instead of a decimal division and rounding. A property test holds
    /// both ways equal.
    pub fn ratio_round(
        self,
        factors: &[Decimal],
        divisor: Decimal,
        rule: RoundingRule,
    ) -> Result<(Money, bool), ArithmeticError> {
        if let Some(fast) = self.ratio_round_exact(factors, divisor, rule) {
            return Ok(fast);
        }
        self.ratio_round_decimal(factors, divisor, rule)
    }

    /// [`Money::ratio_round`] by the decimal steps alone (the reference).
    pub(crate) fn ratio_round_decimal(
        self,
        factors: &[Decimal],
        divisor: Decimal,
        rule: RoundingRule,
    ) -> Result<(Money, bool), ArithmeticError> {
        let mut raw = self;
        for f in factors {
            raw = raw.checked_mul(*f)?;
        }
        let raw = raw.checked_div(divisor)?;
        let r = raw.round(rule);
        Ok((r, r != raw))
    }

    /// [`Money::ratio_round`] in integers, or `None` when it does not apply: a rule
    /// keeping decimals, a negative amount or factor, or numbers too large for the
    /// decimal steps to be exact.
    pub(crate) fn ratio_round_exact(
        self,
        factors: &[Decimal],
        divisor: Decimal,
        rule: RoundingRule,
    ) -> Option<(Money, bool)> {
        let (v, rounded) = ratio_round_int(self.0.mantissa(), self.0.scale(), factors, divisor, rule)?;
        Some((Money(Decimal::from(v)), rounded))
    }
}

/// 2^96: the decimal mantissa; within it (and 26 decimals) products are exact.
const MANTISSA: i128 = 1 << 96;
/// Denominators up to 10^12 leave the decimal quotient (28 significant digits) at
/// least a million times closer than any rounding boundary it is not on.
const MAX_DEN: i128 = 1_000_000_000_000;

/// The integer way of [`Money::ratio_round`] for the amount `mantissa x 10^-scale`:
/// the whole-rupiah result and whether rounding changed the value, or `None` when it
/// does not apply (a rule keeping decimals, a negative amount or factor, or numbers
/// too large for the decimal steps to be exact). Shared by [`Money`] and [`Whole`].
#[inline]
fn ratio_round_int(
    mantissa: i128,
    scale: u32,
    factors: &[Decimal],
    divisor: Decimal,
    rule: RoundingRule,
) -> Option<(i64, bool)> {
    if rule.scale != 0 || divisor.is_sign_negative() || divisor.is_zero() {
        return None;
    }
    let mut num = mantissa;
    let mut scale = scale;
    if num < 0 {
        return None;
    }
    for f in factors {
        let m = f.mantissa();
        if m < 0 {
            return None;
        }
        // Rupiah amounts, rates and counts fit 64 bits: one multiplication whose
        // 128-bit product cannot overflow (the same product as the checked one).
        num = match (u64::try_from(num), u64::try_from(m)) {
            (Ok(a), Ok(b)) => i128::try_from(u128::from(a) * u128::from(b)).ok()?,
            _ => num.checked_mul(m)?,
        };
        scale += f.scale();
        if num >= MANTISSA || scale > 26 {
            return None;
        }
    }
    // q = num x 10^ds / (d x 10^scale)
    let (mut num, mut den) = (num, divisor.mantissa());
    let ds = divisor.scale();
    if ds > 0 {
        num = num.checked_mul(ten_to(ds)?)?;
    }
    if scale > 0 {
        den = den.checked_mul(ten_to(scale)?)?;
    }
    if den > MAX_DEN {
        return None;
    }
    quotient_rounded(num, den, rule.mode)
}

/// `R(num / den)` in whole units by `mode`, and whether rounding changed the value,
/// for `0 <= num < 2^96` and `0 < den <= 10^12` (the bounds of [`ratio_round_int`]),
/// or `None` when the quotient has more than 12 integer digits.
#[inline]
fn quotient_rounded(num: i128, den: i128, mode: RoundingMode) -> Option<(i64, bool)> {
    // Every slip's divisions fit 64 bits (a rupiah amount times a rate over 100 x
    // 10^scale, a count of days or minutes): divided there, which is several times
    // faster than the 128-bit division (the same quotient and remainder).
    let (t, r) = match (u64::try_from(num), u64::try_from(den)) {
        (Ok(n), Ok(d)) => (i128::from(n / d), i128::from(n % d)),
        _ => (num / den, num % den),
    };
    // With at most 12 integer digits the decimal quotient keeps 15 or more
    // fractional digits: no rounding boundary (at least 1/(2 x 10^12) away) is
    // crossed by its last-digit rounding.
    if t >= MAX_DEN {
        return None;
    }
    // Below 10^12, a whole number of rupiah is an i64 (a decimal at scale 0).
    if r == 0 {
        return Some((i64::try_from(t).ok()?, false));
    }
    let up = match mode {
        RoundingMode::Down => false,
        RoundingMode::Up => true,
        RoundingMode::HalfUp => 2 * r >= den,
        RoundingMode::HalfEven => 2 * r > den || (2 * r == den && t % 2 == 1),
    };
    let v = if up { t + 1 } else { t };
    Some((i64::try_from(v).ok()?, true))
}

/// An amount of the allowance rules: [`Money`] (any decimals), or [`Whole`] rupiah
/// when every amount a slip reads is whole and the policy rounds to whole rupiah.
/// The slip's rules are written once over this trait; the whole-rupiah way computes
/// the same values as the decimal way (each operation is exact in both, and
/// [`Amount::ratio_round`] is [`Money::ratio_round`]'s integer way), so that a slip
/// paid in [`Whole`] has the very lines and totals it has in [`Money`].
pub(crate) trait Amount: Copy + Ord + Eq + fmt::Debug + Into<Money> {
    /// Zero.
    const ZERO: Self;
    /// `m` as this type, or `None` when it cannot be held exactly.
    fn of(m: Money) -> Option<Self>;
    /// Checked addition ([`Money::checked_add`]).
    fn checked_add(self, other: Self) -> Result<Self, ArithmeticError>;
    /// Checked subtraction ([`Money::checked_sub`]).
    fn checked_sub(self, other: Self) -> Result<Self, ArithmeticError>;
    /// [`Money::ratio_round`].
    fn ratio_round(
        self,
        factors: &[Decimal],
        divisor: Decimal,
        rule: RoundingRule,
    ) -> Result<(Self, bool), ArithmeticError>;
    /// `R(self x pct x count / 100)` ([`Amount::ratio_round`] by the factors `pct`
    /// and, when given, `count`, over 100): a rule's percentage of an amount.
    #[inline]
    fn percent(self, pct: &Percent, count: Option<i64>, rule: RoundingRule) -> Result<(Self, bool), ArithmeticError> {
        percent_by_factors(self, pct, count, rule)
    }
    /// [`Money::round`].
    fn round(self, rule: RoundingRule) -> Self;
    /// True when zero.
    fn is_zero(self) -> bool;
    /// `-self`, never a negative zero.
    fn neg(self) -> Self;
    /// The smaller of two amounts, `self` on a tie ([`Money::min`]).
    #[inline]
    fn min_of(self, other: Self) -> Self {
        if self <= other { self } else { other }
    }
    /// Checked sum.
    fn checked_sum<I: IntoIterator<Item = Self>>(iter: I) -> Result<Self, ArithmeticError> {
        iter.into_iter().try_fold(Self::ZERO, |acc, m| acc.checked_add(m))
    }
}

impl Amount for Money {
    const ZERO: Money = Money::ZERO;
    #[inline]
    fn of(m: Money) -> Option<Money> {
        Some(m)
    }
    #[inline]
    fn checked_add(self, other: Money) -> Result<Money, ArithmeticError> {
        Money::checked_add(self, other)
    }
    #[inline]
    fn checked_sub(self, other: Money) -> Result<Money, ArithmeticError> {
        Money::checked_sub(self, other)
    }
    #[inline]
    fn ratio_round(
        self,
        factors: &[Decimal],
        divisor: Decimal,
        rule: RoundingRule,
    ) -> Result<(Money, bool), ArithmeticError> {
        Money::ratio_round(self, factors, divisor, rule)
    }
    #[inline]
    fn round(self, rule: RoundingRule) -> Money {
        Money::round(self, rule)
    }
    #[inline]
    fn is_zero(self) -> bool {
        Money::is_zero(self)
    }
    #[inline]
    fn neg(self) -> Money {
        if self.is_zero() { Money::ZERO } else { Money(-self.0) }
    }
}

/// [`Amount::percent`] by [`Amount::ratio_round`] (the decimal factors).
#[inline]
fn percent_by_factors<A: Amount>(
    amount: A,
    pct: &Percent,
    count: Option<i64>,
    rule: RoundingRule,
) -> Result<(A, bool), ArithmeticError> {
    match count {
        None => amount.ratio_round(&[pct.value], Decimal::ONE_HUNDRED, rule),
        Some(c) => amount.ratio_round(&[pct.value, Decimal::from(c)], Decimal::ONE_HUNDRED, rule),
    }
}

/// A percentage of the rules (a part's weight, a band's rate, a contribution's
/// percent) with the integer form [`Whole`] multiplies and divides by, made once
/// (per month, for the policy's rates) rather than at every slip: `value / 100` is
/// `num / den` with `num` the decimal's mantissa and `den = 100 x 10^scale`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Percent {
    /// The percentage.
    pub(crate) value: Decimal,
    /// `(num, den)`, when the percentage is not negative, its mantissa fits 64 bits
    /// and `den` is at most 10^12 (the bounds of [`ratio_round_int`]).
    int: Option<(u64, u64)>,
}

impl Percent {
    /// `value` with its integer form.
    pub(crate) fn new(value: Decimal) -> Percent {
        let int = u64::try_from(value.mantissa()).ok().and_then(|num| {
            let den = ten_to(value.scale())?.checked_mul(100).filter(|d| *d <= MAX_DEN)?;
            Some((num, u64::try_from(den).ok()?))
        });
        Percent { value, int }
    }
}

/// [`Amount::percent`] of `amount` whole rupiah in integers by the percentage's
/// integer form, or `None` where [`ratio_round_int`] would not apply (the same
/// products, bounds and rounding: the same value).
#[inline]
fn percent_int(amount: i64, pct: &Percent, count: Option<i64>, rule: RoundingRule) -> Option<(i64, bool)> {
    let (m, den) = pct.int?;
    if rule.scale != 0 {
        return None;
    }
    let mantissa = u128::try_from(MANTISSA).ok()?;
    let mut num = u128::from(u64::try_from(amount).ok()?) * u128::from(m);
    if num >= mantissa {
        return None;
    }
    if let Some(c) = count {
        num = num.checked_mul(u128::from(u64::try_from(c).ok()?)).filter(|n| *n < mantissa)?;
    }
    quotient_rounded(i128::try_from(num).ok()?, i128::from(den), rule.mode)
}

/// A whole number of rupiah in 64 bits: the amounts of a slip whose every amount is
/// whole, under a policy rounding to whole rupiah ([`Amount`]). Made a [`Money`] at
/// scale 0, the form the decimal steps give such an amount.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Whole(pub(crate) i64);

impl From<Whole> for Money {
    #[inline]
    fn from(w: Whole) -> Money {
        Money(Decimal::from(w.0))
    }
}

impl Amount for Whole {
    const ZERO: Whole = Whole(0);
    #[inline]
    fn of(m: Money) -> Option<Whole> {
        if m.0.scale() == 0 { i64::try_from(m.0.mantissa()).ok().map(Whole) } else { None }
    }
    #[inline]
    fn checked_add(self, other: Whole) -> Result<Whole, ArithmeticError> {
        self.0.checked_add(other.0).map(Whole).ok_or(ArithmeticError::Overflow { operation: "money addition" })
    }
    #[inline]
    fn checked_sub(self, other: Whole) -> Result<Whole, ArithmeticError> {
        self.0.checked_sub(other.0).map(Whole).ok_or(ArithmeticError::Overflow { operation: "money subtraction" })
    }
    #[inline]
    fn ratio_round(
        self,
        factors: &[Decimal],
        divisor: Decimal,
        rule: RoundingRule,
    ) -> Result<(Whole, bool), ArithmeticError> {
        if let Some((v, rounded)) = ratio_round_int(i128::from(self.0), 0, factors, divisor, rule) {
            return Ok((Whole(v), rounded));
        }
        // Out of the integer way's reach: the decimal steps, held whole (a rule
        // keeping decimals is never paid in `Whole`).
        let (m, rounded) = Money::from(self).ratio_round_decimal(factors, divisor, rule)?;
        Whole::of(m).map(|w| (w, rounded)).ok_or(ArithmeticError::Overflow { operation: "whole rupiah" })
    }
    #[inline]
    fn percent(self, pct: &Percent, count: Option<i64>, rule: RoundingRule) -> Result<(Whole, bool), ArithmeticError> {
        match percent_int(self.0, pct, count, rule) {
            Some((v, rounded)) => Ok((Whole(v), rounded)),
            None => percent_by_factors(self, pct, count, rule),
        }
    }
    #[inline]
    fn round(self, _rule: RoundingRule) -> Whole {
        // Whole rupiah rounded to whole rupiah (or more decimals) is itself.
        self
    }
    #[inline]
    fn is_zero(self) -> bool {
        self.0 == 0
    }
    #[inline]
    fn neg(self) -> Whole {
        Whole(self.0.checked_neg().unwrap_or(i64::MAX))
    }
}

/// 10^n for the scales of [`Money::ratio_round_exact`] (a table, not a loop).
fn ten_to(n: u32) -> Option<i128> {
    const POW: [i128; 27] = {
        let mut t = [1i128; 27];
        let mut i = 1;
        while i < 27 {
            t[i] = t[i - 1] * 10;
            i += 1;
        }
        t
    };
    POW.get(usize::try_from(n).ok()?).copied().or_else(|| 10i128.checked_pow(n))
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

    /// Hand-computed: 60 % of 2,500,000 = 1,500,000 exactly; 1,500,000 x 6,000 / 6,600 =
    /// 1,363,636.36... -> 1,363,636 (halves up); 0.5 % x 3 of 1,000,001 = 15,000.015 ->
    /// 15,000; 5 % of 2,353,630 = 117,681.5, a half: up 117,682, even 117,682 (117,681
    /// is odd), down 117,681.
    #[test]
    fn ratio_round_by_hand() {
        let half_up = RoundingRule::WHOLE_RUPIAH_HALF_UP;
        let d = |t: &str| t.parse::<Decimal>().unwrap();
        let r = |m: i64, f: &[Decimal], div: Decimal, rule| Money::from_rupiah(m).ratio_round(f, div, rule).unwrap();
        assert_eq!(r(2_500_000, &[d("60")], d("100"), half_up), (Money::from_rupiah(1_500_000), false));
        assert_eq!(r(1_500_000, &[d("6000")], d("6600"), half_up), (Money::from_rupiah(1_363_636), true));
        assert_eq!(r(1_000_001, &[d("0.5"), d("3")], d("100"), half_up), (Money::from_rupiah(15_000), true));
        let five = |mode| r(2_353_630, &[d("5")], d("100"), RoundingRule { mode, scale: 0 }).0;
        assert_eq!(five(RoundingMode::HalfUp), Money::from_rupiah(117_682));
        assert_eq!(five(RoundingMode::HalfEven), Money::from_rupiah(117_682));
        assert_eq!(five(RoundingMode::Down), Money::from_rupiah(117_681));
        assert_eq!(five(RoundingMode::Up), Money::from_rupiah(117_682));
    }

    /// Hand-computed, whole rupiah ([`Whole`]) through rates of 0 to 4 decimals
    /// (denominators 100 x 10^k) and a count of days: 2.5 % of 1,234,567 = 30,864.175
    /// (1,234,567 x 25 = 30,864,175 over 1,000: 30,864 rest 175) -> 30,864 half up,
    /// 30,865 up; 1.25 % of 1,000,003 = 12,500.0375 (125,000,375 over 10,000: 12,500
    /// rest 375) -> 12,500, with the rounded flag; 0.0050 % of 2,000,000 = 100 exactly
    /// (100,000,000 over 1,000,000); 7 % of 1,000,001 = 70,000.07 (7,000,007 over 100)
    /// -> 70,000; and 22 working days: 1,000,000 x 17 / 22 = 772,727.27...
    /// (17,000,000 = 22 x 772,727 + 6) -> 772,727.
    #[test]
    fn whole_ratio_round_by_hand() {
        let d = |t: &str| t.parse::<Decimal>().unwrap();
        let half_up = RoundingRule::WHOLE_RUPIAH_HALF_UP;
        let up = RoundingRule { mode: RoundingMode::Up, scale: 0 };
        let w = |m: i64, f: &[Decimal], div: Decimal, rule| Whole(m).ratio_round(f, div, rule).unwrap();
        assert_eq!(w(1_234_567, &[d("2.5")], d("100"), half_up), (Whole(30_864), true));
        assert_eq!(w(1_234_567, &[d("2.5")], d("100"), up), (Whole(30_865), true));
        assert_eq!(w(1_000_003, &[d("1.25")], d("100"), half_up), (Whole(12_500), true));
        assert_eq!(w(2_000_000, &[d("0.0050")], d("100"), half_up), (Whole(100), false));
        assert_eq!(w(1_000_001, &[d("7")], d("100"), half_up), (Whole(70_000), true));
        assert_eq!(w(1_000_000, &[d("17")], d("22"), half_up), (Whole(772_727), true));
    }

    #[test]
    fn whole_percent_by_hand() {
        let d = |t: &str| t.parse::<Decimal>().unwrap();
        let half_up = RoundingRule::WHOLE_RUPIAH_HALF_UP;
        let up = RoundingRule { mode: RoundingMode::Up, scale: 0 };
        // 2.5 % = 25 x 10^-1 / 100 = 25 / 1,000.
        let pct = Percent::new(d("2.5"));
        assert_eq!(pct.int, Some((25, 1_000)));
        // 1,234,567 x 25 = 30,864,175; / 1,000 = 30,864 rest 175 (below half: down).
        assert_eq!(Whole(1_234_567).percent(&pct, None, half_up).unwrap(), (Whole(30_864), true));
        assert_eq!(Whole(1_234_567).percent(&pct, None, up).unwrap(), (Whole(30_865), true));
        // A band's 1.5 % three times: 4,000,001 x 15 x 3 = 180,000,045; / 1,000 =
        // 180,000 rest 45 (down).
        let band = Percent::new(d("1.5"));
        assert_eq!(band.int, Some((15, 1_000)));
        assert_eq!(Whole(4_000_001).percent(&band, Some(3), half_up).unwrap(), (Whole(180_000), true));
        // 0.0050 % = 50 / 1,000,000: 2,000,000 x 50 / 1,000,000 = 100 exactly.
        let small = Percent::new(d("0.0050"));
        assert_eq!(small.int, Some((50, 1_000_000)));
        assert_eq!(Whole(2_000_000).percent(&small, None, half_up).unwrap(), (Whole(100), false));
        // No integer form for a negative percentage, nor for 11 decimals (100 x 10^11
        // is past 10^12): the decimal factors then, 10^-11 % of 10^15 = 100.
        assert_eq!(Percent::new(d("-1")).int, None);
        let tiny = Percent::new(d("0.00000000001"));
        assert_eq!(tiny.int, None);
        assert_eq!(Whole(1_000_000_000_000_000).percent(&tiny, None, half_up).unwrap(), (Whole(100), false));
    }
    proptest::proptest! {
        /// Plumbing: [`Amount::percent`] of [`Whole`] by the percentage's integer
        /// form gives what [`Amount::ratio_round`] gives by its decimal factors
        /// (values by hand in `whole_percent_by_hand`), negative counts and rates and
        /// forms out of reach included, in every rounding mode.
        #[test]
        fn whole_percent_equals_ratio_round(
            base in 0i64..2_000_000_000_000,
            rate in -1_000i64..100_000,
            rate_scale in 0u32..13,
            count in proptest::option::of(-3i64..400),
            mode in 0usize..4,
        ) {
            let mode = [RoundingMode::HalfUp, RoundingMode::HalfEven, RoundingMode::Down, RoundingMode::Up][mode];
            let rule = RoundingRule { mode, scale: 0 };
            let pct = Percent::new(Decimal::new(rate, rate_scale));
            let factors: Vec<Decimal> = std::iter::once(pct.value).chain(count.map(Decimal::from)).collect();
            let reference = Whole(base).ratio_round(&factors, Decimal::ONE_HUNDRED, rule);
            proptest::prop_assert_eq!(Whole(base).percent(&pct, count, rule), reference);
        }

        /// The integer way of [`Money::ratio_round`] gives the value, the scale (the
        /// same text) and the rounded flag of the decimal steps, for amounts with or
        /// without cents, rates with decimals, counts and divisors such as working
        /// days and minute targets, in every rounding mode; and it is taken for the
        /// whole-rupiah rules (else this would compare the decimal way with itself).
        #[test]
        fn ratio_round_integer_way_equals_the_decimal_steps(
            base in 0i64..2_000_000_000,
            cents in proptest::bool::ANY,
            rate in 0i64..100_000,
            rate_scale in 0u32..4,
            count in 0i64..400,
            divisor in 1i64..100_000,
            percent in proptest::bool::ANY,
            mode in 0usize..4,
        ) {
            let mode = [RoundingMode::HalfUp, RoundingMode::HalfEven, RoundingMode::Down, RoundingMode::Up][mode];
            let rule = RoundingRule { mode, scale: 0 };
            let x = Money::new(Decimal::new(base, if cents { 2 } else { 0 }));
            let factors = [Decimal::new(rate, rate_scale), Decimal::from(count)];
            let div = if percent { Decimal::ONE_HUNDRED } else { Decimal::from(divisor) };
            let exact = x.ratio_round_exact(&factors, div, rule);
            let reference = x.ratio_round_decimal(&factors, div, rule).unwrap();
            // Below a trillion rupiah (every amount of a slip) the integer way is taken.
            if reference.0.amount() < Decimal::from(1_000_000_000_000i64) {
                proptest::prop_assert!(exact.is_some());
            }
            if let Some(exact) = exact {
                proptest::prop_assert_eq!(exact, reference);
                proptest::prop_assert_eq!(exact.0.to_string(), reference.0.to_string());
            }
        }
    }
}
