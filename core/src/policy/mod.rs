//! Policy data. STUB: to be completed.

/// A policy error (stub).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// Placeholder.
    #[error("policy error: {0}")]
    Other(String),
}
