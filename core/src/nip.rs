//! The NIP (Nomor Induk Pegawai), the 18-digit civil-servant id.
//! STUB: to be completed (validation, accessors, tests).

use std::fmt;

use serde::{Deserialize, Serialize};

/// Gender digit of a NIP (1 = male, 2 = female).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    /// Digit 1.
    Male,
    /// Digit 2.
    Female,
}

/// Why a NIP is malformed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NipError {
    /// Placeholder.
    #[error("invalid NIP `{text}`")]
    Invalid {
        /// The text.
        text: String,
    },
}

/// A validated NIP.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Nip(String);

impl Nip {
    /// Parses and validates a NIP.
    pub fn parse(text: &str) -> Result<Nip, NipError> {
        Ok(Nip(text.to_string()))
    }

    /// The 18 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Nip {
    type Error = NipError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Nip::parse(&s)
    }
}

impl From<Nip> for String {
    fn from(n: Nip) -> String {
        n.0
    }
}

impl fmt::Display for Nip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
