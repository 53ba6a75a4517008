//! Whole minutes of work ([`Minutes`]).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::ArithmeticError;

/// A whole number of minutes (standard times, credited work, lateness).
///
/// Minutes are integers everywhere in Kinerja; arithmetic is checked.
#[doc(alias = "menit")]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Minutes(pub i64);

impl Minutes {
    /// No time.
    pub const ZERO: Minutes = Minutes(0);

    /// The raw count.
    pub const fn get(self) -> i64 {
        self.0
    }

    /// Checked addition.
    pub fn checked_add(self, other: Minutes) -> Result<Minutes, ArithmeticError> {
        self.0.checked_add(other.0).map(Minutes).ok_or(ArithmeticError::Overflow { operation: "minutes addition" })
    }

    /// Checked subtraction.
    pub fn checked_sub(self, other: Minutes) -> Result<Minutes, ArithmeticError> {
        self.0.checked_sub(other.0).map(Minutes).ok_or(ArithmeticError::Overflow { operation: "minutes subtraction" })
    }

    /// Checked multiplication by a whole count.
    pub fn checked_mul(self, count: i64) -> Result<Minutes, ArithmeticError> {
        self.0.checked_mul(count).map(Minutes).ok_or(ArithmeticError::Overflow { operation: "minutes multiplication" })
    }

    /// The smaller of two durations.
    pub fn min(self, other: Minutes) -> Minutes {
        Minutes(self.0.min(other.0))
    }

    /// The larger of two durations.
    pub fn max(self, other: Minutes) -> Minutes {
        Minutes(self.0.max(other.0))
    }
}

impl fmt::Display for Minutes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} min", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_arithmetic() {
        assert_eq!(Minutes(300).checked_mul(20).unwrap(), Minutes(6000));
        assert!(Minutes(i64::MAX).checked_add(Minutes(1)).is_err());
        assert!(Minutes(i64::MIN).checked_sub(Minutes(1)).is_err());
    }
}
