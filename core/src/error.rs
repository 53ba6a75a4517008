//! Errors shared by every part of the engine.
//!
//! Each module has its own typed error; they all convert into [`Error`], which
//! gives a stable machine-readable [`Error::code`] for the bindings. Errors about
//! input always name the offending record and field ([`Problem`]).

use std::fmt;

use serde::{Deserialize, Serialize};

/// A checked-arithmetic failure: overflow or division by zero.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArithmeticError {
    /// The result does not fit the type.
    #[error("arithmetic overflow in {operation}")]
    Overflow {
        /// What was being computed.
        operation: &'static str,
    },
    /// A divisor was zero.
    #[error("division by zero in {operation}")]
    DivisionByZero {
        /// What was being computed.
        operation: &'static str,
    },
    /// Text that should hold an exact decimal does not.
    #[error("`{text}` is not an exact decimal number")]
    NotADecimal {
        /// The text refused.
        text: String,
    },
}

/// One problem found in input data: which record, which field, what is wrong.
///
/// Validation collects every problem it finds rather than stopping at the first,
/// so a city's data officer can fix a whole file in one pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Kind of record, e.g. `"employee"`, `"position"`, `"policy"`.
    pub record: String,
    /// The record's id (NIP, position id, policy key, ...), or empty when the
    /// record has none.
    pub id: String,
    /// The field at fault, e.g. `"supervisor"`, `"nip"`.
    pub field: String,
    /// A stable machine-readable code, e.g. `"unknown_reference"`.
    pub code: String,
    /// A sentence for people.
    pub message: String,
    /// Where in the input text the problem lies, when the input is text and the
    /// place is known (a TOML policy file, a JSON dataset's syntax).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<TextPosition>,
}

/// A place in a text input: 1-based line and column (the column counts characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextPosition {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1, in characters.
    pub column: usize,
}

impl TextPosition {
    /// The line and column of byte offset `offset` in `text` (clamped to its end
    /// and to a character boundary).
    pub fn of_offset(text: &str, offset: usize) -> TextPosition {
        let mut end = offset.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let before = &text[..end];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        TextPosition { line, column: before[line_start..].chars().count() + 1 }
    }
}

impl fmt::Display for TextPosition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

impl Problem {
    /// Builds a problem.
    pub fn new(
        record: impl Into<String>,
        id: impl Into<String>,
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            record: record.into(),
            id: id.into(),
            field: field.into(),
            code: code.into(),
            message: message.into(),
            at: None,
        }
    }

    /// The same problem, placed at `at` in the input text.
    pub fn at(mut self, at: Option<TextPosition>) -> Self {
        self.at = at;
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(at) = self.at {
            write!(f, "{at}: ")?;
        }
        match (self.id.is_empty(), self.field.is_empty()) {
            (true, true) => write!(f, "{}: {} [{}]", self.record, self.message, self.code),
            (true, false) => write!(f, "{}.{}: {} [{}]", self.record, self.field, self.message, self.code),
            (false, true) => write!(f, "{} `{}`: {} [{}]", self.record, self.id, self.message, self.code),
            (false, false) => {
                write!(f, "{} `{}`, field `{}`: {} [{}]", self.record, self.id, self.field, self.message, self.code)
            }
        }
    }
}

/// Several problems found in one validation pass.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} problem(s) found; first: {}", .problems.len(), .problems.first().map(|p| p.to_string()).unwrap_or_default())]
pub struct ValidationErrors {
    /// Every problem, in the order found.
    pub problems: Vec<Problem>,
}

/// Any error the engine reports.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Checked arithmetic failed.
    #[error(transparent)]
    Arithmetic(#[from] ArithmeticError),
    /// Input data failed validation; every problem is listed.
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    /// A NIP is malformed.
    #[error(transparent)]
    Nip(#[from] crate::org::NipError),
    /// A policy file or value is wrong, or a value is missing for a date.
    #[error(transparent)]
    Policy(#[from] crate::policy::PolicyError),
    /// The workload analysis could not be computed.
    #[error(transparent)]
    Abk(#[from] crate::abk::AbkError),
    /// A verifier is not entitled to verify an employee's work.
    #[error(transparent)]
    NotAuthorised(#[from] crate::org::NotAuthorised),
    /// A daily activity entry is refused.
    #[error(transparent)]
    Activity(#[from] crate::activity::ActivityError),
    /// A verification step on an activity entry is refused.
    #[error(transparent)]
    Verification(#[from] crate::activity::VerificationError),
    /// An allowance slip could not be computed.
    #[error(transparent)]
    Allowance(#[from] crate::allowance::AllowanceError),
    /// A dataset could not be loaded.
    #[error(transparent)]
    Dataset(#[from] crate::dataset::DatasetError),
    /// A file to import could not be read as one.
    #[error(transparent)]
    Import(#[from] crate::import::ImportError),
    /// A command of the social space (ads, chat) is refused.
    #[error(transparent)]
    Social(#[from] crate::social::SocialError),
    /// A budget, plan, nomination or insight report is refused.
    #[error(transparent)]
    Insights(#[from] crate::insights::InsightsError),
    /// A referenced record does not exist.
    #[error("{record} `{id}` not found")]
    NotFound {
        /// Kind of record.
        record: &'static str,
        /// Its id.
        id: String,
    },
}

impl Error {
    /// A stable, machine-readable code for the bindings and for logs.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Arithmetic(_) => "arithmetic",
            Error::Validation(_) => "validation",
            Error::Nip(_) => "invalid_nip",
            Error::Policy(e) => e.code(),
            Error::Abk(e) => e.code(),
            Error::NotAuthorised(_) => "not_authorised",
            Error::Activity(e) => e.code(),
            Error::Verification(e) => e.code(),
            Error::Allowance(e) => e.code(),
            Error::Dataset(_) => "invalid_dataset",
            Error::Import(e) => e.code(),
            Error::Social(e) => e.code(),
            Error::Insights(e) => e.code(),
            Error::NotFound { .. } => "not_found",
        }
    }
}

/// Result with the engine's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
