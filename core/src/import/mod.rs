//! Imports of the files a city actually has: attendance-machine logs ([`clock`]) and
//! the employee export of the national civil-service information system ([`siasn`]).
//!
//! Both are **pure functions** of the city and a CSV text (`impl std::io::Read`; a
//! `&str` is read with `text.as_bytes()`): they read nothing else, record nothing
//! and never panic. What they give back is a typed report: every row of the file is
//! accounted for, turned into a record or listed with a reason code and a sentence in
//! Indonesian and in English ([`clock::ClockRejection::message_id`],
//! [`clock::ClockRejection::message_en`]). A caller (the city's server, the `kinerja`
//! command) decides what to do with it: record the clock events through the month's
//! ledger as the machine (`device:ID`), where the core's authorisation decides again,
//! or write the merged dataset.
//!
//! # Reading the file
//!
//! * **Encoding**: UTF-8 (with or without a byte-order mark), UTF-16 with its mark
//!   (Excel's *Unicode Text*), else Windows-1252 (what an older Windows export
//!   writes); [`Layout::encoding`] says which was read.
//! * **Delimiter**: `,`, `;`, tab or `|`, found from the header row. Quoting is the
//!   usual CSV quoting (RFC 4180, as spreadsheets write it).
//! * **Header row**: found among the first [`HEADER_SEARCH_ROWS`] rows: the first row
//!   in which every required column is named. Rows before it (a report title) are
//!   listed in [`Layout::skipped_rows`]. Header names are compared without regard to
//!   case, spaces and punctuation (`NIP BARU`, `nip_baru` and `Nip-Baru` are one name).
//!   Which names each field accepts is data: the `*Columns` structs, with a default
//!   for the layouts seen in the field, each name replaceable.
//! * **Rows** are numbered as the file's lines (the header of a plain export is row
//!   1), which is what a spreadsheet shows unless a cell holds a line break. Cells are
//!   trimmed. A row with more non-empty cells than the header has names is a
//!   malformed file ([`ImportError::TooManyCells`], naming the row and the column: an
//!   unquoted delimiter inside a name shifts every cell after it); missing cells at
//!   the end of a row are read as empty.
//! * **Dates** are read day first (`05/10/2026` is 5 October; see [`DateOrder`]) or as
//!   ISO `2026-10-05`, with `/`, `-` or `.` between the parts and the year in four
//!   digits; times as `07:25`, `07:25:13`, `07.25` or with `AM`/`PM`.
//!
//! Input is bounded: a file longer than [`MAX_IMPORT_BYTES`] is refused
//! ([`ImportError::TooLarge`]) before it is parsed.

use std::fmt;
use std::io::Read;

use serde::{Deserialize, Serialize};

use crate::error::ValidationErrors;

pub mod clock;
mod sheet;
pub mod siasn;
mod values;

pub use values::{parse_date, parse_datetime, parse_time};

/// The longest file an import reads, in bytes (64 MiB: a month of scans of 6,000
/// employees is about 15 MiB).
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;

/// How many rows from the top are searched for the header row.
pub const HEADER_SEARCH_ROWS: usize = 10;

/// The order of day and month in dates written with `/`, `-` or `.` (an ISO date,
/// year first, is always read as such).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// `05/10/2026` is 5 October 2026: how Indonesian exports write dates.
    #[default]
    DayFirst,
    /// `10/05/2026` is 5 October 2026: what software set to a US locale writes.
    MonthFirst,
}

/// A column of the file: its place (1 = the first) and its header as written.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ColumnRef {
    /// 1-based place of the column.
    pub index: usize,
    /// The header cell as written in the file.
    pub header: String,
}

impl fmt::Display for ColumnRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {} \"{}\"", self.index, self.header)
    }
}

/// What was read of the file's shape.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Layout {
    /// `utf-8`, `utf-8-bom`, `utf-16le`, `utf-16be` or `windows-1252`.
    pub encoding: &'static str,
    /// The delimiter found.
    pub delimiter: char,
    /// The row of the header.
    pub header_row: usize,
    /// Rows above the header (a title), not read.
    pub skipped_rows: Vec<usize>,
    /// The columns read, by field (e.g. `pin`, `datetime`).
    pub columns: Vec<FieldColumn>,
    /// The columns not read (e.g. a work code or verify mode).
    pub ignored: Vec<ColumnRef>,
}

/// A field of an import and the column it is read from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldColumn {
    /// The field, e.g. `pin`.
    pub field: &'static str,
    /// The column.
    pub column: ColumnRef,
}

impl Layout {
    /// The column a field is read from (the first, for a field read from several).
    pub fn column(&self, field: &str) -> Option<&ColumnRef> {
        self.columns.iter().find(|c| c.field == field).map(|c| &c.column)
    }
}

/// Why a file could not be imported at all. Errors about one row of an otherwise
/// readable file are not errors but lines of the import's report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// Reading the input failed.
    #[error("the file could not be read: {message}")]
    Read {
        /// What the reader said.
        message: String,
    },
    /// The file is longer than [`MAX_IMPORT_BYTES`].
    #[error("the file is more than {limit} bytes long; at most {limit} bytes are read")]
    TooLarge {
        /// The limit.
        limit: usize,
    },
    /// The file holds no row at all.
    #[error("the file is empty: it has no header row")]
    Empty,
    /// A column the import needs is not named in the header row.
    #[error(
        "row {row}: no column for `{field}` (expected one of: {}); the header row has: {}",
        .expected.join(", "),
        .found.join(", ")
    )]
    MissingColumn {
        /// The row read as the header (the first row when none was recognised).
        row: usize,
        /// The field, e.g. `pin`.
        field: &'static str,
        /// The header names it may have.
        expected: Vec<String>,
        /// The header cells found.
        found: Vec<String>,
    },
    /// Two columns of the header carry the same name for one field.
    #[error("row {row}: {first} and {second} are both `{field}`; rename or remove one")]
    DuplicateColumn {
        /// The header row.
        row: usize,
        /// The field.
        field: &'static str,
        /// The first column.
        first: ColumnRef,
        /// The second column.
        second: ColumnRef,
    },
    /// A row has more non-empty cells than the header names: the file is malformed
    /// (typically a delimiter inside an unquoted cell).
    #[error(
        "row {row}, column {column}: the row has {found} cells but the header names {expected} columns; \
         a delimiter inside a cell that is not quoted shifts the cells after it"
    )]
    TooManyCells {
        /// The row.
        row: usize,
        /// The first column beyond the header (1-based).
        column: usize,
        /// Columns the header names.
        expected: usize,
        /// Cells in the row.
        found: usize,
    },
    /// The CSV text could not be split into rows.
    #[error("row {row}: {message}")]
    Csv {
        /// The row where reading stopped.
        row: usize,
        /// What the CSV reader said.
        message: String,
    },
    /// A column name given for a field is not usable, or the field does not exist.
    #[error("column mapping `{field}`: {message}")]
    InvalidMapping {
        /// The field named.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// An attendance log names no machine: the file has no device column and no
    /// device was given.
    #[error(
        "row {row}: the file has no device column (one of: {}) and no device was given; \
         name the machine the log comes from",
        .expected.join(", ")
    )]
    NoDevice {
        /// The header row.
        row: usize,
        /// The header names a device column may have.
        expected: Vec<String>,
    },
    /// The device given for the whole file is not in the dataset.
    #[error("device `{device}` is not a clock device of the dataset")]
    UnknownDevice {
        /// The device as given.
        device: String,
    },
    /// The merged dataset does not hold together (a bug of the merge if it ever
    /// happens: the merge keeps the dataset valid by construction).
    #[error("the merged dataset is not valid: {0}")]
    InvalidResult(ValidationErrors),
}

impl ImportError {
    /// Every code [`ImportError::code`] can return.
    pub const ALL_CODES: &'static [&'static str] = &[
        "unreadable",
        "too_large",
        "empty_file",
        "missing_column",
        "duplicate_column",
        "too_many_cells",
        "malformed_csv",
        "invalid_mapping",
        "no_device",
        "unknown_device",
        "invalid_result",
    ];

    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ImportError::Read { .. } => "unreadable",
            ImportError::TooLarge { .. } => "too_large",
            ImportError::Empty => "empty_file",
            ImportError::MissingColumn { .. } => "missing_column",
            ImportError::DuplicateColumn { .. } => "duplicate_column",
            ImportError::TooManyCells { .. } => "too_many_cells",
            ImportError::Csv { .. } => "malformed_csv",
            ImportError::InvalidMapping { .. } => "invalid_mapping",
            ImportError::NoDevice { .. } => "no_device",
            ImportError::UnknownDevice { .. } => "unknown_device",
            ImportError::InvalidResult(_) => "invalid_result",
        }
    }

    /// The row at fault, when the error is about one.
    pub fn row(&self) -> Option<usize> {
        match self {
            ImportError::MissingColumn { row, .. }
            | ImportError::DuplicateColumn { row, .. }
            | ImportError::TooManyCells { row, .. }
            | ImportError::Csv { row, .. }
            | ImportError::NoDevice { row, .. } => Some(*row),
            _ => None,
        }
    }

    /// The column at fault (1-based), when the error is about one.
    pub fn column(&self) -> Option<usize> {
        match self {
            ImportError::DuplicateColumn { second, .. } => Some(second.index),
            ImportError::TooManyCells { column, .. } => Some(*column),
            _ => None,
        }
    }
}

/// Reads the whole input, refusing more than [`MAX_IMPORT_BYTES`].
pub(crate) fn read_bounded(input: impl Read) -> Result<Vec<u8>, ImportError> {
    let mut bytes = Vec::new();
    let limit = MAX_IMPORT_BYTES as u64;
    input.take(limit + 1).read_to_end(&mut bytes).map_err(|e| ImportError::Read { message: e.to_string() })?;
    if bytes.len() as u64 > limit {
        return Err(ImportError::TooLarge { limit: MAX_IMPORT_BYTES });
    }
    Ok(bytes)
}

/// The names a field's column may have, replaceable ([`ColumnNames::set`]).
pub trait ColumnNames {
    /// Every field and the header names it accepts, in order of preference.
    fn fields(&self) -> Vec<(&'static str, &[String])>;

    /// Replaces the names of `field` with `names` (at least one, none empty).
    fn set(&mut self, field: &str, names: Vec<String>) -> Result<(), ImportError>;
}

/// Sets `slot` to `names`, refusing an empty list or an empty name.
pub(crate) fn set_names(slot: &mut Vec<String>, field: &str, names: Vec<String>) -> Result<(), ImportError> {
    if names.is_empty() || names.iter().any(|n| values::normalise(n).is_empty()) {
        return Err(ImportError::InvalidMapping {
            field: field.to_string(),
            message: "give at least one header name, with at least one letter or digit".into(),
        });
    }
    *slot = names;
    Ok(())
}

/// The error for a field name that does not exist.
pub(crate) fn unknown_field(field: &str, known: &[&str]) -> ImportError {
    ImportError::InvalidMapping {
        field: field.to_string(),
        message: format!("no such field; the fields are: {}", known.join(", ")),
    }
}

/// An identifier cell (NIP, PIN) without the marks spreadsheets add to keep digits as
/// text: `="0123"` and a leading `'`.
pub(crate) fn identifier_cell(text: &str) -> String {
    let t = text.trim();
    let t = t.strip_prefix("=\"").and_then(|r| r.strip_suffix('"')).unwrap_or(t);
    t.strip_prefix('\'').unwrap_or(t).trim().to_string()
}

/// True for a number as a spreadsheet writes it once rounded, `1.98503E+17`: what
/// becomes of a NIP in a column not formatted as text.
fn scientific(text: &str) -> bool {
    let t = text.trim();
    let Some((mantissa, exponent)) = t.split_once(['E', 'e']) else {
        return false;
    };
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once(['.', ',']) {
        Some((a, b)) => digits(a) && digits(b),
        None => digits(mantissa),
    };
    mantissa_ok && digits(exponent)
}

/// Reads a NIP cell: the NIP, or the code of why not ([`crate::nip::NipError::code`],
/// or `nip_in_scientific_notation` for a number a spreadsheet rounded).
pub(crate) fn nip_cell(text: &str) -> Result<crate::nip::Nip, &'static str> {
    if scientific(text) {
        return Err("nip_in_scientific_notation");
    }
    crate::nip::Nip::parse(text).map_err(|e| e.code())
}

/// True when an identifier cell holds a NIP rather than a machine's PIN: 18 digits
/// (spaces aside), or a number a spreadsheet rounded.
pub(crate) fn looks_like_nip(text: &str) -> bool {
    scientific(text) || text.chars().filter(|c| *c != ' ').count() == crate::nip::NIP_LEN
}

/// Why a NIP is refused, in English, by its code ([`nip_cell`]).
pub(crate) fn nip_reason_en(code: &str) -> &'static str {
    match code {
        "nip_in_scientific_notation" => {
            "a spreadsheet wrote it as a rounded number; format the column as text and export again"
        }
        "nip_wrong_length" => "a NIP has 18 digits",
        "nip_non_digit" => "it holds characters other than digits",
        "nip_invalid_birth_date" => "digits 1-8 are not a birth date",
        "nip_invalid_appointment_month" => "digits 13-14 are not a month",
        "nip_appointment_before_birth" => "the appointment is before the birth date",
        "nip_is_ni_pppk" => "it is a NI PPPK (digits 13-14 are not a month), and the row is not PPPK",
        "nip_invalid_gender" => "digit 15 is neither 1 nor 2",
        "nip_zero_sequence" => "the sequence (digits 16-18) is 000",
        _ => "it is malformed",
    }
}

/// Why a NIP is refused, in Indonesian.
pub(crate) fn nip_reason_id(code: &str) -> &'static str {
    match code {
        "nip_in_scientific_notation" => {
            "spreadsheet menuliskannya sebagai angka yang dibulatkan; format kolomnya sebagai teks lalu ekspor ulang"
        }
        "nip_wrong_length" => "NIP terdiri atas 18 digit",
        "nip_non_digit" => "memuat karakter selain angka",
        "nip_invalid_birth_date" => "digit 1-8 bukan tanggal lahir",
        "nip_invalid_appointment_month" => "digit 13-14 bukan bulan",
        "nip_appointment_before_birth" => "TMT CPNS lebih awal dari tanggal lahir",
        "nip_is_ni_pppk" => "ini NI PPPK (digit 13-14 bukan bulan), sedangkan baris ini bukan PPPK",
        "nip_invalid_gender" => "digit ke-15 bukan 1 atau 2",
        "nip_zero_sequence" => "nomor urut (digit 16-18) adalah 000",
        _ => "formatnya salah",
    }
}

pub(crate) fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}
