//! Identifiers of records in a city's dataset.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

macro_rules! string_id {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Arc<str>);

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
                $name(s.into())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name(s.into())
            }
        }
    };
}

// Every id is shared, not copied: the text is reference-counted (`Arc<str>`), so
// cloning an id costs no allocation (a month's recap names a unit and a position on
// each of thousands of lines, and hundreds of thousands of entries name a few
// thousand tasks). The serialised form is the plain text, as with a `String`.

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
string_id!(
    /// Id of a task (uraian tugas), unique across the city.
    #[doc(alias = "uraian tugas")]
    TaskId
);
