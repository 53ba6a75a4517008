//! Identifiers of records in a city's dataset.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! string_id {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_string())
            }
        }
    };
}

string_id!(
    /// Id of a work unit (SKPD/OPD), e.g. `"DISDIK"`.
    #[doc(alias = "SKPD")]
    #[doc(alias = "OPD")]
    UnitId
);
string_id!(
    /// Id of a position (jabatan), unique across the city.
    #[doc(alias = "jabatan")]
    PositionId
);
/// Id of a task (uraian tugas), unique across the city.
///
/// Shared, not copied: a month holds hundreds of thousands of entries naming a few
/// thousand tasks, so the text is reference-counted (`Arc<str>`) and cloning an id
/// costs no allocation.
#[doc(alias = "uraian tugas")]
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TaskId(pub std::sync::Arc<str>);

impl TaskId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for TaskId {
    fn from(s: &str) -> Self {
        TaskId(s.into())
    }
}

impl From<String> for TaskId {
    fn from(s: String) -> Self {
        TaskId(s.into())
    }
}
