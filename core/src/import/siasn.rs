//! Employees from a CSV export of the national civil-service information system
//! (*SIASN*, formerly *SAPK*, run by BKN), merged into a city's dataset.
//!
//! A regional personnel agency (*BKPSDM*) downloads its employees from SIASN as a
//! spreadsheet, one row per civil servant with the columns of BKN's *data utama*:
//! `PNS ID, NIP BARU, NIP LAMA, NAMA, GELAR DEPAN, GELAR BELAKANG, ..., JENIS PEGAWAI
//! NAMA, KEDUDUKAN HUKUM NAMA, STATUS CPNS PNS, ..., GOL AKHIR ID, GOL AKHIR NAMA,
//! TMT GOLONGAN, ..., JABATAN ID, JABATAN NAMA, TMT JABATAN, ..., UNOR ID, UNOR NAMA,
//! ...` (older SAPK files write the same names with `_`; a city's own file may say
//! `NIP`, `GOLONGAN`, `UNIT KERJA`). [`merge_employees`] reads such a file against a
//! [`City`] and gives the updated [`Dataset`] with a [`MergeReport`]: the employees
//! added, the fields changed, the rows refused and why, notes on positions that could
//! not be matched, and the dataset's employees the export does not list.
//!
//! # From a row to an employee
//!
//! | dataset field | read from (default names, [`SiasnColumns`]) | how |
//! |---|---|---|
//! | `nip` | `NIP BARU`, `NIP` | a valid 18-digit NIP (`NIP LAMA`, the 9-digit old number, is not read) |
//! | `name` | `NAMA`, `GELAR DEPAN`, `GELAR BELAKANG` | `GELAR DEPAN NAMA, GELAR BELAKANG`, e.g. `dr. Cut Nyak Dien, M.Kes.` |
//! | `rank` | `GOL AKHIR NAMA`, `GOLONGAN` (`III/a`, `III/A`, `III-a`, `Penata Muda (III/a)`), else `GOL AKHIR ID` (`31` = III/a) | PNS ranks I/a-IV/e |
//! | `employment` | `JENIS PEGAWAI NAMA` (`PPPK...` is PPPK), `STATUS CPNS PNS` (`C` CPNS, `P` PNS) | PNS, CPNS or PPPK |
//! | assignment | `JABATAN ID`/`JABATAN NAMA` within `UNOR ID`/`UNOR NAMA`, from `TMT JABATAN` | see below |
//!
//! A PPPK employee's grade (*golongan* I-XVII without a letter, `IX`, `Golongan IX`) is
//! read as their grade ([`Rank::pppk`]) and their id as a NI PPPK. A PPPK row with a PNS
//! rank is refused (`pppk_grade`), and so is a PNS or CPNS row whose id is a NI PPPK
//! (`invalid_nip`, `nip_is_ni_pppk`) or whose rank is a bare Roman numeral (`unknown_rank`).
//!
//! # Positions
//!
//! When the file has position columns, the row's position is found in the dataset: by
//! id (`JABATAN ID` equal to a dataset position id), else by name (`JABATAN NAMA`,
//! compared without case, spaces or punctuation) among the positions of the row's
//! unit (`UNOR ID`/`UNOR NAMA`, matched to a dataset unit by id or name), else of its
//! sub-units, or in the whole city when the file names no unit; a name that fits
//! several positions, one of which the employee holds on the export's date (else: only
//! one of which they ever held), is that one. A position found for
//! an employee whose definitive position on the export's date ([`SiasnOptions::as_of`])
//! is another one becomes a new definitive assignment from `TMT JABATAN`, and the
//! current one ends the day before; a new employee gets the assignment from `TMT
//! JABATAN`. What cannot be done is a note on the row ([`AssignmentNote`]), the rest
//! of the row is still merged: a unit or position not found, a name that fits several
//! positions, no `TMT JABATAN`, a `TMT JABATAN` not after the current assignment's
//! start or overlapping a later one.
//!
//! Employees of the dataset the export does not list are reported
//! ([`MergeReport::missing`]), never removed: an export may cover part of the city,
//! and a retirement is recorded by ending the assignment, with its decree.

use std::collections::HashMap;
use std::io::Read;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize, Serializer};

use crate::dataset::{City, Dataset};
use crate::ids::{PositionId, UnitId};
use crate::nip::Nip;
use crate::org::{
    Assignment, AssignmentKind, Employee, EmploymentType, Organisation, Position, Rank, RankGroup, WorkUnit,
};

use super::sheet::{self, Resolved, Row};
use super::values::{normalise, parse_date};
use super::{
    ColumnNames, ColumnRef, DateOrder, FieldColumn, ImportError, Layout, nip_cell, nip_reason_en, nip_reason_id,
    read_bounded, set_names, strings, unknown_field,
};

/// The header names each field of an employee export may have, in order of
/// preference. [`Default`] holds SIASN's names and common variants; each list can be
/// replaced ([`ColumnNames::set`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SiasnColumns {
    /// The NIP (18 digits).
    pub nip: Vec<String>,
    /// The name without titles.
    pub name: Vec<String>,
    /// Titles before the name (*gelar depan*: `dr.`, `Ir.`, `H.`).
    pub front_title: Vec<String>,
    /// Titles after the name (*gelar belakang*: `S.T.`, `M.Si.`).
    pub back_title: Vec<String>,
    /// The rank as text (`III/a`).
    pub rank: Vec<String>,
    /// The rank as SIASN's code (`31` = III/a), read when the text is absent.
    pub rank_code: Vec<String>,
    /// The kind of employee (`PNS Daerah`, `PPPK`).
    pub employee_type: Vec<String>,
    /// Candidate or civil servant (`C`, `P`).
    pub cpns_status: Vec<String>,
    /// The position's id.
    pub position_id: Vec<String>,
    /// The position's name.
    pub position_name: Vec<String>,
    /// The position's effective date (*TMT jabatan*).
    pub position_from: Vec<String>,
    /// The unit's id.
    pub unit_id: Vec<String>,
    /// The unit's name (every column present is tried in turn).
    pub unit_name: Vec<String>,
}

impl Default for SiasnColumns {
    fn default() -> Self {
        SiasnColumns {
            nip: strings(&["NIP BARU", "NIP", "NIP 18"]),
            name: strings(&["NAMA", "NAMA PEGAWAI", "NAMA LENGKAP"]),
            front_title: strings(&["GELAR DEPAN"]),
            back_title: strings(&["GELAR BELAKANG"]),
            rank: strings(&["GOL AKHIR NAMA", "GOL AKHIR", "GOLONGAN", "GOL RUANG", "PANGKAT GOLONGAN", "GOL"]),
            rank_code: strings(&["GOL AKHIR ID", "GOL ID", "KODE GOLONGAN"]),
            employee_type: strings(&["JENIS PEGAWAI NAMA", "JENIS PEGAWAI", "JENIS ASN", "STATUS PEGAWAI"]),
            cpns_status: strings(&["STATUS CPNS PNS", "STATUS CPNS/PNS", "STATUS KEPEGAWAIAN"]),
            position_id: strings(&["JABATAN ID", "ID JABATAN", "KODE JABATAN"]),
            position_name: strings(&["JABATAN NAMA", "NAMA JABATAN", "JABATAN"]),
            position_from: strings(&["TMT JABATAN"]),
            unit_id: strings(&["UNOR ID", "ID UNOR", "KODE UNIT", "UNIT ID"]),
            unit_name: strings(&[
                "UNOR NAMA",
                "NAMA UNOR",
                "UNIT ORGANISASI",
                "UNIT KERJA",
                "SATUAN KERJA KERJA NAMA",
                "SATUAN KERJA NAMA",
                "OPD",
                "SKPD",
            ]),
        }
    }
}

const SIASN_FIELDS: [&str; 13] = [
    "nip",
    "name",
    "front_title",
    "back_title",
    "rank",
    "rank_code",
    "employee_type",
    "cpns_status",
    "position_id",
    "position_name",
    "position_from",
    "unit_id",
    "unit_name",
];

impl ColumnNames for SiasnColumns {
    fn fields(&self) -> Vec<(&'static str, &[String])> {
        vec![
            ("nip", &self.nip),
            ("name", &self.name),
            ("front_title", &self.front_title),
            ("back_title", &self.back_title),
            ("rank", &self.rank),
            ("rank_code", &self.rank_code),
            ("employee_type", &self.employee_type),
            ("cpns_status", &self.cpns_status),
            ("position_id", &self.position_id),
            ("position_name", &self.position_name),
            ("position_from", &self.position_from),
            ("unit_id", &self.unit_id),
            ("unit_name", &self.unit_name),
        ]
    }

    fn set(&mut self, field: &str, names: Vec<String>) -> Result<(), ImportError> {
        let slot = match field {
            "nip" => &mut self.nip,
            "name" => &mut self.name,
            "front_title" => &mut self.front_title,
            "back_title" => &mut self.back_title,
            "rank" => &mut self.rank,
            "rank_code" => &mut self.rank_code,
            "employee_type" => &mut self.employee_type,
            "cpns_status" => &mut self.cpns_status,
            "position_id" => &mut self.position_id,
            "position_name" => &mut self.position_name,
            "position_from" => &mut self.position_from,
            "unit_id" => &mut self.unit_id,
            "unit_name" => &mut self.unit_name,
            other => return Err(unknown_field(other, &SIASN_FIELDS)),
        };
        set_names(slot, field, names)
    }
}

/// How to read and merge an employee export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiasnOptions {
    /// The date the export describes (usually the day it was downloaded): the
    /// current definitive position of an employee is the one on this date.
    pub as_of: NaiveDate,
    /// Day or month first in dates written with `/`, `-` or `.`.
    pub date_order: DateOrder,
    /// The header names of each field.
    pub columns: SiasnColumns,
}

impl SiasnOptions {
    /// The default layout, for an export of `as_of`.
    pub fn new(as_of: NaiveDate) -> Self {
        SiasnOptions { as_of, date_order: DateOrder::DayFirst, columns: SiasnColumns::default() }
    }
}

/// The columns found in an export's header.
struct Columns {
    nip: ColumnRef,
    name: ColumnRef,
    front_title: Option<ColumnRef>,
    back_title: Option<ColumnRef>,
    rank: Option<ColumnRef>,
    rank_code: Option<ColumnRef>,
    employee_type: Option<ColumnRef>,
    cpns_status: Option<ColumnRef>,
    position_id: Vec<ColumnRef>,
    position_name: Vec<ColumnRef>,
    position_from: Option<ColumnRef>,
    unit_id: Vec<ColumnRef>,
    unit_name: Vec<ColumnRef>,
}

impl Resolved for Columns {
    fn used(&self) -> Vec<FieldColumn> {
        let mut out = Vec::new();
        let mut add = |field: &'static str, c: Option<&ColumnRef>| {
            if let Some(c) = c {
                out.push(FieldColumn { field, column: c.clone() });
            }
        };
        add("nip", Some(&self.nip));
        add("name", Some(&self.name));
        add("front_title", self.front_title.as_ref());
        add("back_title", self.back_title.as_ref());
        add("rank", self.rank.as_ref());
        add("rank_code", self.rank_code.as_ref());
        add("employee_type", self.employee_type.as_ref());
        add("cpns_status", self.cpns_status.as_ref());
        for c in &self.position_id {
            add("position_id", Some(c));
        }
        for c in &self.position_name {
            add("position_name", Some(c));
        }
        add("position_from", self.position_from.as_ref());
        for c in &self.unit_id {
            add("unit_id", Some(c));
        }
        for c in &self.unit_name {
            add("unit_name", Some(c));
        }
        out
    }
}

fn resolve(header: &[String], row: usize, names: &SiasnColumns) -> Result<Columns, ImportError> {
    let all = |field: &'static str, n: &[String]| sheet::find(header, row, field, n);
    let first = |field: &'static str, n: &[String]| -> Result<Option<ColumnRef>, ImportError> {
        Ok(all(field, n)?.into_iter().next())
    };
    let nip = first("nip", &names.nip)?.ok_or_else(|| sheet::missing(header, row, "nip", &names.nip))?;
    let name = first("name", &names.name)?.ok_or_else(|| sheet::missing(header, row, "name", &names.name))?;
    let (rank, rank_code) = (first("rank", &names.rank)?, first("rank_code", &names.rank_code)?);
    if rank.is_none() && rank_code.is_none() {
        let mut expected = names.rank.clone();
        expected.extend(names.rank_code.iter().cloned());
        return Err(sheet::missing(header, row, "rank", &expected));
    }
    let (employee_type, cpns_status) =
        (first("employee_type", &names.employee_type)?, first("cpns_status", &names.cpns_status)?);
    if employee_type.is_none() && cpns_status.is_none() {
        let mut expected = names.employee_type.clone();
        expected.extend(names.cpns_status.iter().cloned());
        return Err(sheet::missing(header, row, "employment", &expected));
    }
    Ok(Columns {
        nip,
        name,
        front_title: first("front_title", &names.front_title)?,
        back_title: first("back_title", &names.back_title)?,
        rank,
        rank_code,
        employee_type,
        cpns_status,
        position_id: all("position_id", &names.position_id)?,
        position_name: all("position_name", &names.position_name)?,
        position_from: first("position_from", &names.position_from)?,
        unit_id: all("unit_id", &names.unit_id)?,
        unit_name: all("unit_name", &names.unit_name)?,
    })
}

/// Why a row of an employee export was refused (not merged at all).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum RowRefusal {
    /// The NIP cell is empty.
    MissingNip,
    /// The NIP is not a valid NIP.
    InvalidNip {
        /// As written.
        text: String,
        /// Why: a [`crate::nip::NipError::code`], or `nip_in_scientific_notation`.
        nip_error: &'static str,
    },
    /// The NIP was already on an earlier row.
    DuplicateNip {
        /// The earlier row.
        of_row: usize,
    },
    /// The name cell is empty.
    MissingName,
    /// Neither rank cell holds anything.
    MissingRank,
    /// The rank cannot be read.
    UnknownRank {
        /// As written.
        text: String,
    },
    /// A PPPK employee whose rank cell holds a PNS rank (`III/a`), not a grade I-XVII.
    PppkGrade {
        /// As written.
        text: String,
    },
    /// Neither employment cell says PNS, CPNS or PPPK.
    UnknownEmployment {
        /// As written.
        text: String,
    },
    /// A date cell cannot be read.
    InvalidDate {
        /// As written.
        text: String,
    },
}

impl RowRefusal {
    /// Every code [`RowRefusal::code`] can return.
    pub const ALL_CODES: &'static [&'static str] = &[
        "missing_nip",
        "invalid_nip",
        "duplicate_nip",
        "missing_name",
        "missing_rank",
        "unknown_rank",
        "pppk_grade",
        "unknown_employment",
        "invalid_date",
    ];

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            RowRefusal::MissingNip => "missing_nip",
            RowRefusal::InvalidNip { .. } => "invalid_nip",
            RowRefusal::DuplicateNip { .. } => "duplicate_nip",
            RowRefusal::MissingName => "missing_name",
            RowRefusal::MissingRank => "missing_rank",
            RowRefusal::UnknownRank { .. } => "unknown_rank",
            RowRefusal::PppkGrade { .. } => "pppk_grade",
            RowRefusal::UnknownEmployment { .. } => "unknown_employment",
            RowRefusal::InvalidDate { .. } => "invalid_date",
        }
    }

    /// The reason in English.
    pub fn message_en(&self) -> String {
        match self {
            RowRefusal::MissingNip => "the row has no NIP".into(),
            RowRefusal::InvalidNip { text, nip_error } => {
                format!("`{text}` is not a valid NIP: {}", nip_reason_en(nip_error))
            }
            RowRefusal::DuplicateNip { of_row } => format!("the NIP is already on row {of_row}"),
            RowRefusal::MissingName => "the row has no name".into(),
            RowRefusal::MissingRank => "the row has no rank (golongan)".into(),
            RowRefusal::UnknownRank { text } => {
                format!("`{text}` is not a rank such as III/a (I-III: a-d, IV: a-e) or its code such as 31")
            }
            RowRefusal::PppkGrade { text } => {
                format!("`{text}` is a PNS rank; a PPPK employee has a grade (golongan) I-XVII; the row is not merged")
            }
            RowRefusal::UnknownEmployment { text } => {
                format!("`{text}` says neither PNS, CPNS nor PPPK")
            }
            RowRefusal::InvalidDate { text } => {
                format!("`{text}` is not a date that can be read (e.g. 01-03-2024 or 2024-03-01)")
            }
        }
    }

    /// The reason in Indonesian.
    pub fn message_id(&self) -> String {
        match self {
            RowRefusal::MissingNip => "baris ini tidak memuat NIP".into(),
            RowRefusal::InvalidNip { text, nip_error } => {
                format!("`{text}` bukan NIP yang sah: {}", nip_reason_id(nip_error))
            }
            RowRefusal::DuplicateNip { of_row } => format!("NIP ini sudah ada pada baris {of_row}"),
            RowRefusal::MissingName => "baris ini tidak memuat nama".into(),
            RowRefusal::MissingRank => "baris ini tidak memuat golongan".into(),
            RowRefusal::UnknownRank { text } => {
                format!("`{text}` bukan golongan seperti III/a (I-III: a-d, IV: a-e) atau kodenya seperti 31")
            }
            RowRefusal::PppkGrade { text } => {
                format!("`{text}` adalah pangkat PNS; PPPK memiliki golongan I-XVII; baris ini tidak digabungkan")
            }
            RowRefusal::UnknownEmployment { text } => {
                format!("`{text}` tidak menyatakan PNS, CPNS, atau PPPK")
            }
            RowRefusal::InvalidDate { text } => {
                format!("`{text}` bukan tanggal yang dapat dibaca (contoh: 01-03-2024 atau 2024-03-01)")
            }
        }
    }
}

/// Why a row's position was not taken into the assignments (the rest of the row is
/// merged).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum AssignmentNote {
    /// The unit named matches no unit of the dataset.
    UnitNotFound {
        /// As written.
        text: String,
    },
    /// The position named matches no position of the dataset (in the unit, if any).
    PositionNotFound {
        /// As written.
        text: String,
        /// The unit searched, when one was found.
        unit: Option<UnitId>,
    },
    /// The position's name fits several positions.
    PositionAmbiguous {
        /// As written.
        text: String,
        /// The positions it fits.
        candidates: Vec<PositionId>,
    },
    /// A new assignment needs its effective date (TMT jabatan).
    MissingPositionFrom {
        /// The position found.
        position: PositionId,
    },
    /// The new assignment would not follow the employee's other definitive
    /// assignments.
    AssignmentConflict {
        /// The position found.
        position: PositionId,
        /// Its effective date.
        from: NaiveDate,
        /// The assignment in the way.
        conflicting: PositionId,
        /// That assignment's first day.
        conflicting_from: NaiveDate,
    },
}

impl AssignmentNote {
    /// Every code [`AssignmentNote::code`] can return.
    pub const ALL_CODES: &'static [&'static str] =
        &["unit_not_found", "position_not_found", "position_ambiguous", "missing_position_from", "assignment_conflict"];

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            AssignmentNote::UnitNotFound { .. } => "unit_not_found",
            AssignmentNote::PositionNotFound { .. } => "position_not_found",
            AssignmentNote::PositionAmbiguous { .. } => "position_ambiguous",
            AssignmentNote::MissingPositionFrom { .. } => "missing_position_from",
            AssignmentNote::AssignmentConflict { .. } => "assignment_conflict",
        }
    }

    /// The note in English.
    pub fn message_en(&self) -> String {
        match self {
            AssignmentNote::UnitNotFound { text } => {
                format!("unit `{text}` matches no unit of the dataset; the position is not assigned")
            }
            AssignmentNote::PositionNotFound { text, unit: Some(u) } => {
                format!("position `{text}` matches no position of unit {u}; the position is not assigned")
            }
            AssignmentNote::PositionNotFound { text, unit: None } => {
                format!("position `{text}` matches no position of the dataset; the position is not assigned")
            }
            AssignmentNote::PositionAmbiguous { text, candidates } => format!(
                "position `{text}` fits {} positions ({}); the position is not assigned",
                candidates.len(),
                join(candidates)
            ),
            AssignmentNote::MissingPositionFrom { position } => {
                format!("position {position} is found but the row has no TMT jabatan; the position is not assigned")
            }
            AssignmentNote::AssignmentConflict { position, from, conflicting, conflicting_from } => format!(
                "position {position} from {from} would overlap the definitive assignment to {conflicting} from \
                 {conflicting_from}; the position is not assigned"
            ),
        }
    }

    /// The note in Indonesian.
    pub fn message_id(&self) -> String {
        match self {
            AssignmentNote::UnitNotFound { text } => {
                format!("unit `{text}` tidak ditemukan dalam dataset; jabatan tidak ditetapkan")
            }
            AssignmentNote::PositionNotFound { text, unit: Some(u) } => {
                format!("jabatan `{text}` tidak ditemukan pada unit {u}; jabatan tidak ditetapkan")
            }
            AssignmentNote::PositionNotFound { text, unit: None } => {
                format!("jabatan `{text}` tidak ditemukan dalam dataset; jabatan tidak ditetapkan")
            }
            AssignmentNote::PositionAmbiguous { text, candidates } => format!(
                "jabatan `{text}` cocok dengan {} jabatan ({}); jabatan tidak ditetapkan",
                candidates.len(),
                join(candidates)
            ),
            AssignmentNote::MissingPositionFrom { position } => {
                format!("jabatan {position} ditemukan tetapi TMT jabatan kosong; jabatan tidak ditetapkan")
            }
            AssignmentNote::AssignmentConflict { position, from, conflicting, conflicting_from } => format!(
                "jabatan {position} mulai {from} akan tumpang tindih dengan jabatan definitif {conflicting} mulai \
                 {conflicting_from}; jabatan tidak ditetapkan"
            ),
        }
    }
}

fn join(ids: &[PositionId]) -> String {
    ids.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ")
}

/// An employee the export adds to the dataset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AddedEmployee {
    /// The row.
    pub row: usize,
    /// The NIP.
    pub nip: Nip,
    /// The name with titles.
    pub name: String,
    /// The position assigned, if one was.
    pub position: Option<PositionId>,
}

/// A field of an employee changed by the export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// The row.
    pub row: usize,
    /// The employee.
    pub nip: Nip,
    /// `name`, `rank`, `employment` or `position`.
    pub field: &'static str,
    /// The value in the dataset.
    pub before: String,
    /// The value from the export.
    pub after: String,
}

/// A row that was not merged, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefusedRow {
    /// The row.
    pub row: usize,
    /// The column at fault, when the reason is about one cell.
    pub column: Option<ColumnRef>,
    /// The NIP as written.
    pub nip: String,
    /// The name as written.
    pub name: String,
    /// Why.
    pub reason: RowRefusal,
}

/// A row merged without its position, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowNote {
    /// The row.
    pub row: usize,
    /// The column at fault, when the note is about one cell.
    pub column: Option<ColumnRef>,
    /// The employee.
    pub nip: Nip,
    /// Why.
    pub note: AssignmentNote,
}

impl Serialize for RefusedRow {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Wire<'a> {
            row: usize,
            #[serde(skip_serializing_if = "Option::is_none")]
            column: Option<&'a ColumnRef>,
            nip: &'a str,
            name: &'a str,
            code: &'static str,
            message_id: String,
            message_en: String,
            reason: &'a RowRefusal,
        }
        Wire {
            row: self.row,
            column: self.column.as_ref(),
            nip: &self.nip,
            name: &self.name,
            code: self.reason.code(),
            message_id: self.reason.message_id(),
            message_en: self.reason.message_en(),
            reason: &self.reason,
        }
        .serialize(s)
    }
}

impl Serialize for RowNote {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Wire<'a> {
            row: usize,
            #[serde(skip_serializing_if = "Option::is_none")]
            column: Option<&'a ColumnRef>,
            nip: &'a Nip,
            code: &'static str,
            message_id: String,
            message_en: String,
            note: &'a AssignmentNote,
        }
        Wire {
            row: self.row,
            column: self.column.as_ref(),
            nip: &self.nip,
            code: self.note.code(),
            message_id: self.note.message_id(),
            message_en: self.note.message_en(),
            note: &self.note,
        }
        .serialize(s)
    }
}

/// An employee of the dataset the export does not list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MissingEmployee {
    /// The NIP.
    pub nip: Nip,
    /// The name in the dataset.
    pub name: String,
    /// The unit of their definitive position on the export's date, if any.
    pub unit: Option<UnitId>,
}

/// What merging an export did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MergeReport {
    /// The file's shape as read.
    pub layout: Layout,
    /// The export's date.
    pub as_of: NaiveDate,
    /// Data rows read: `added + updated + unchanged + refused`.
    pub rows: usize,
    /// New employees.
    pub added: Vec<AddedEmployee>,
    /// Rows of existing employees with at least one change.
    pub updated: usize,
    /// Every field changed, row by row.
    pub changes: Vec<FieldChange>,
    /// Rows of existing employees with nothing to change.
    pub unchanged: usize,
    /// Rows not merged, with the reason.
    pub refused: Vec<RefusedRow>,
    /// Rows merged without their position, with the reason.
    pub notes: Vec<RowNote>,
    /// Employees of the dataset the export does not list (not removed).
    pub missing: Vec<MissingEmployee>,
}

impl MergeReport {
    /// True when every row was merged whole: nothing refused, no note.
    pub fn is_complete(&self) -> bool {
        self.refused.is_empty() && self.notes.is_empty()
    }

    /// True when the merge adds or changes at least one employee (a field or a
    /// position); otherwise the merged dataset is the one merged into, and
    /// keeping it as a new version would record nothing new.
    pub fn changes_anything(&self) -> bool {
        !self.added.is_empty() || self.updated > 0
    }
}

/// The merged dataset and what the merge did.
#[derive(Clone, Debug)]
pub struct EmployeeMerge {
    /// What the merge did.
    pub report: MergeReport,
    /// The city's dataset with the export merged (checked: it loads as a city).
    pub dataset: Dataset,
}

/// Reads a rank: `III/a`, `III/A`, `III-a`, `III a`, `IIIa`, `Penata Muda (III/a)`,
/// or SIASN's code `31` (group 3, grade a). `Err(true)` for a bare Roman numeral I-XVII
/// (`IX`, `Golongan IX`: a PPPK grade when the employee is PPPK), `Err(false)` for
/// anything else.
fn parse_rank(text: &str) -> Result<Rank, bool> {
    let t = text.trim();
    // The part in parentheses, when there is one: `Penata Muda (III/a)`.
    let inner = match (t.rfind('('), t.rfind(')')) {
        (Some(a), Some(b)) if a < b => t.get(a + 1..b).unwrap_or(t).trim(),
        _ => t,
    };
    const NUMERALS: [&str; 17] =
        ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII"];
    let bare = inner.strip_prefix("Golongan ").or_else(|| inner.strip_prefix("GOLONGAN ")).unwrap_or(inner).trim();
    if NUMERALS.contains(&bare.to_ascii_uppercase().as_str()) {
        return Err(true);
    }
    parse_pns_rank(inner)
}

/// The PPPK grade of a bare Roman numeral I-XVII (`IX`, `Golongan IX`, `Gol. IX`).
fn parse_pppk_grade(text: &str) -> Option<Rank> {
    let t = text.trim();
    let inner = match (t.rfind('('), t.rfind(')')) {
        (Some(a), Some(b)) if a < b => t.get(a + 1..b).unwrap_or(t).trim(),
        _ => t,
    };
    let upper = inner.to_ascii_uppercase();
    let bare = upper.strip_prefix("GOLONGAN").or_else(|| upper.strip_prefix("GOL.")).unwrap_or(&upper).trim();
    crate::org::PPPK_GRADES.iter().position(|n| *n == bare).and_then(|i| u8::try_from(i + 1).ok()).and_then(Rank::pppk)
}

/// A PNS rank (`III/a`, `III-a`, `31`, ...).
fn parse_pns_rank(inner: &str) -> Result<Rank, bool> {
    let compact: String = inner.chars().filter(|c| !c.is_whitespace() && !matches!(c, '/' | '-' | '.')).collect();
    if compact.len() == 2 && compact.bytes().all(|b| b.is_ascii_digit()) {
        let mut d = compact.bytes().map(|b| b - b'0');
        let (g, r) = (d.next().unwrap_or(0), d.next().unwrap_or(0));
        let group = match g {
            1 => RankGroup::I,
            2 => RankGroup::II,
            3 => RankGroup::III,
            4 => RankGroup::IV,
            _ => return Err(false),
        };
        return match r {
            1..=5 => Rank::new(group, char::from(b'a' + r - 1)).ok_or(false),
            _ => Err(false),
        };
    }
    let upper = compact.to_ascii_uppercase();
    let roman_len = upper.bytes().take_while(|b| matches!(b, b'I' | b'V' | b'X')).count();
    let (roman, rest) = upper.split_at(roman_len);
    let group = match roman {
        "I" => RankGroup::I,
        "II" => RankGroup::II,
        "III" => RankGroup::III,
        "IV" => RankGroup::IV,
        _ => return Err(false),
    };
    let mut letters = rest.chars();
    match (letters.next(), letters.next()) {
        (Some(grade), None) => Rank::new(group, grade.to_ascii_lowercase()).ok_or(false),
        _ => Err(false),
    }
}

/// Reads the employment from the two cells (see the [module docs](self)).
fn employment(kind: &str, status: &str) -> Option<EmploymentType> {
    let (k, s) = (normalise(kind), normalise(status));
    if k.contains("pppk") || k.contains("p3k") || s == "pppk" {
        return Some(EmploymentType::Pppk);
    }
    match s.as_str() {
        "c" | "cpns" => return Some(EmploymentType::Cpns),
        "p" | "pns" => return Some(EmploymentType::Pns),
        _ => {}
    }
    if k.contains("cpns") || k.starts_with("calon") {
        Some(EmploymentType::Cpns)
    } else if k.contains("pns") {
        Some(EmploymentType::Pns)
    } else {
        None
    }
}

fn employment_text(e: EmploymentType) -> &'static str {
    match e {
        EmploymentType::Pns => "PNS",
        EmploymentType::Cpns => "CPNS",
        EmploymentType::Pppk => "PPPK",
    }
}

/// `GELAR DEPAN NAMA, GELAR BELAKANG`, spaces collapsed.
fn full_name(front: &str, name: &str, back: &str) -> String {
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let (front, name, back) = (words(front), words(name), words(back));
    let mut out = String::new();
    if !front.is_empty() {
        out.push_str(&front);
        out.push(' ');
    }
    out.push_str(&name);
    if !back.is_empty() {
        out.push_str(", ");
        out.push_str(&back);
    }
    out
}

/// A row read into an employee, with its position's effective date.
struct ReadRow {
    row: usize,
    employee: Employee,
    position_from: Option<NaiveDate>,
}

/// Reads one row; `Err` is the refusal.
fn read_row(
    r: &Row,
    cols: &Columns,
    options: &SiasnOptions,
    first_row_of: &mut HashMap<Nip, usize>,
) -> Result<ReadRow, Box<RefusedRow>> {
    let nip_text = super::identifier_cell(r.cell(Some(&cols.nip)));
    let name_text = r.cell(Some(&cols.name)).to_string();
    let refuse = |column: Option<&ColumnRef>, reason: RowRefusal| {
        Box::new(RefusedRow {
            row: r.row,
            column: column.cloned(),
            nip: nip_text.clone(),
            name: name_text.clone(),
            reason,
        })
    };
    if nip_text.is_empty() {
        return Err(refuse(Some(&cols.nip), RowRefusal::MissingNip));
    }
    let nip = nip_cell(&nip_text)
        .map_err(|code| refuse(Some(&cols.nip), RowRefusal::InvalidNip { text: nip_text.clone(), nip_error: code }))?;
    if let Some(&of_row) = first_row_of.get(&nip) {
        return Err(refuse(Some(&cols.nip), RowRefusal::DuplicateNip { of_row }));
    }
    first_row_of.insert(nip.clone(), r.row);
    if name_text.is_empty() {
        return Err(refuse(Some(&cols.name), RowRefusal::MissingName));
    }
    let (kind_text, status_text) = (r.cell(cols.employee_type.as_ref()), r.cell(cols.cpns_status.as_ref()));
    let Some(employment) = employment(kind_text, status_text) else {
        let text = [kind_text, status_text].iter().filter(|t| !t.is_empty()).copied().collect::<Vec<_>>().join(" / ");
        return Err(refuse(
            cols.employee_type.as_ref().or(cols.cpns_status.as_ref()),
            RowRefusal::UnknownEmployment { text },
        ));
    };
    // The rank's text, else its code.
    let cells =
        [(cols.rank.as_ref(), r.cell(cols.rank.as_ref())), (cols.rank_code.as_ref(), r.cell(cols.rank_code.as_ref()))];
    let read: Vec<(Option<&ColumnRef>, &str, Result<Rank, bool>)> =
        cells.iter().filter(|(_, t)| !t.is_empty()).map(|(c, t)| (*c, *t, parse_rank(t))).collect();
    if employment == EmploymentType::Pppk {
        // A PPPK grade is a bare numeral in the rank text; a PNS rank is refused.
        let Some((column, text, result)) = read.first() else {
            return Err(refuse(cols.rank.as_ref().or(cols.rank_code.as_ref()), RowRefusal::MissingRank));
        };
        let rank = match (parse_pppk_grade(text), result) {
            (Some(rank), _) => rank,
            (None, Ok(_)) => return Err(refuse(*column, RowRefusal::PppkGrade { text: text.to_string() })),
            (None, Err(_)) => return Err(refuse(*column, RowRefusal::UnknownRank { text: text.to_string() })),
        };
        let position_from = read_position_from(r, cols, options)
            .map_err(|text| refuse(cols.position_from.as_ref(), RowRefusal::InvalidDate { text }))?;
        let name = full_name(r.cell(cols.front_title.as_ref()), &name_text, r.cell(cols.back_title.as_ref()));
        return Ok(ReadRow {
            row: r.row,
            employee: Employee { nip, name, rank, employment, rank_since: None },
            position_from,
        });
    }
    if nip.form() == crate::nip::IdForm::NiPppk {
        return Err(refuse(
            Some(&cols.nip),
            RowRefusal::InvalidNip { text: nip_text.clone(), nip_error: "nip_is_ni_pppk" },
        ));
    }
    let rank = match read.iter().find_map(|(_, _, r)| r.ok()) {
        Some(rank) => rank,
        None => {
            let Some((column, text, result)) = read.first() else {
                return Err(refuse(cols.rank.as_ref().or(cols.rank_code.as_ref()), RowRefusal::MissingRank));
            };
            let _ = result;
            return Err(refuse(*column, RowRefusal::UnknownRank { text: text.to_string() }));
        }
    };
    let position_from = read_position_from(r, cols, options)
        .map_err(|text| refuse(cols.position_from.as_ref(), RowRefusal::InvalidDate { text }))?;
    let name = full_name(r.cell(cols.front_title.as_ref()), &name_text, r.cell(cols.back_title.as_ref()));
    Ok(ReadRow { row: r.row, employee: Employee { nip, name, rank, employment, rank_since: None }, position_from })
}

/// The row's `TMT JABATAN`, `Err` with the text when it is not a date.
fn read_position_from(r: &Row, cols: &Columns, options: &SiasnOptions) -> Result<Option<NaiveDate>, String> {
    let from_text = r.cell(cols.position_from.as_ref());
    if from_text.is_empty() {
        return Ok(None);
    }
    parse_date(from_text, options.date_order).map(Some).ok_or_else(|| from_text.to_string())
}

/// The dataset's units and positions by their names and ids in compared form, built
/// once per import.
struct Directory<'c> {
    org: &'c Organisation,
    /// Units by id and by name (ids first; the first unit of a name wins).
    units: HashMap<String, &'c WorkUnit>,
    /// Positions by id.
    position_ids: HashMap<String, &'c Position>,
    /// Positions by name, in the dataset's order.
    by_name: HashMap<String, Vec<&'c Position>>,
}

impl<'c> Directory<'c> {
    fn new(org: &'c Organisation) -> Self {
        let mut units = HashMap::new();
        for u in org.units() {
            units.entry(normalise(u.id.as_str())).or_insert(u);
        }
        for u in org.units() {
            units.entry(normalise(&u.name)).or_insert(u);
        }
        let mut position_ids = HashMap::new();
        let mut by_name: HashMap<String, Vec<&Position>> = HashMap::new();
        for p in org.positions() {
            position_ids.entry(normalise(p.id.as_str())).or_insert(p);
            by_name.entry(normalise(&p.name)).or_default().push(p);
        }
        Directory { org, units, position_ids, by_name }
    }
}

/// The position a row names, or why none.
fn find_position<'c>(
    dir: &Directory<'c>,
    r: &Row,
    cols: &Columns,
    current: Option<&PositionId>,
    held: &[&PositionId],
) -> Result<Option<&'c Position>, (Option<ColumnRef>, AssignmentNote)> {
    // The unit: the first unit cell (ids, then names) that matches a unit by id or name.
    let unit_cells: Vec<(&ColumnRef, &str)> = cols
        .unit_id
        .iter()
        .chain(&cols.unit_name)
        .map(|c| (c, r.cell(Some(c))))
        .filter(|(_, t)| !t.is_empty())
        .collect();
    let unit = unit_cells.iter().find_map(|(_, t)| dir.units.get(&normalise(t)).copied());
    // By id.
    for c in &cols.position_id {
        let t = r.cell(Some(c));
        if t.is_empty() {
            continue;
        }
        if let Some(p) = dir.org.position(&PositionId::from(t)).or_else(|| dir.position_ids.get(&normalise(t)).copied())
        {
            return Ok(Some(p));
        }
    }
    // By name, within the unit (and its sub-units).
    let Some((name_col, name_text)) =
        cols.position_name.iter().map(|c| (c, r.cell(Some(c)))).find(|(_, t)| !t.is_empty())
    else {
        return Ok(None);
    };
    if unit.is_none() && !unit_cells.is_empty() {
        // Named by its name when the file has one (an id says less to a person).
        let named = unit_cells.iter().find(|(c, _)| cols.unit_name.contains(c));
        let (c, t) = named.or(unit_cells.first()).copied().unwrap_or((&cols.nip, ""));
        return Err((Some(c.clone()), AssignmentNote::UnitNotFound { text: t.to_string() }));
    }
    let named: &[&Position] = dir.by_name.get(&normalise(name_text)).map_or(&[], Vec::as_slice);
    let mut candidates: Vec<&Position> = match unit {
        None => named.to_vec(),
        Some(u) => {
            // The unit's own positions first, then those of its sub-units.
            let own: Vec<&Position> = named.iter().filter(|p| p.unit == u.id).copied().collect();
            if own.is_empty() {
                let below: Vec<&UnitId> = dir.org.unit_descendants(&u.id).into_iter().map(|d| &d.id).collect();
                named.iter().filter(|p| below.contains(&&p.unit)).copied().collect()
            } else {
                own
            }
        }
    };
    // A name that fits several positions, one of which the employee holds on the
    // export's date (else: only one of which they ever held): that one.
    if candidates.len() > 1 {
        let now: Vec<&Position> = candidates.iter().filter(|p| current == Some(&p.id)).copied().collect();
        let ever: Vec<&Position> = candidates.iter().filter(|p| held.contains(&&p.id)).copied().collect();
        match (now.as_slice(), ever.as_slice()) {
            ([p], _) | ([], [p]) => candidates = vec![*p],
            _ => {}
        }
    }
    match candidates.as_slice() {
        [p] => Ok(Some(p)),
        [] => Err((
            Some(name_col.clone()),
            AssignmentNote::PositionNotFound { text: name_text.to_string(), unit: unit.map(|u| u.id.clone()) },
        )),
        many => Err((
            Some(name_col.clone()),
            AssignmentNote::PositionAmbiguous {
                text: name_text.to_string(),
                candidates: many.iter().map(|p| p.id.clone()).collect(),
            },
        )),
    }
}

/// Reads an employee export against the city and merges it: see the
/// [module docs](self). Every data row is added, updated, unchanged or refused; the
/// dataset returned loads as a city.
pub fn merge_employees(city: &City, input: impl Read, options: &SiasnOptions) -> Result<EmployeeMerge, ImportError> {
    let bytes = read_bounded(input)?;
    let sheet = sheet::read(&bytes, |h, row| resolve(h, row, &options.columns))?;
    let cols = &sheet.columns;
    let org = &city.organisation;
    let directory = Directory::new(org);
    let mut dataset = city.to_dataset();
    let mut index: HashMap<Nip, usize> =
        dataset.employees.iter().enumerate().map(|(i, e)| (e.nip.clone(), i)).collect();
    let mut assignments_of: HashMap<Nip, Vec<usize>> = HashMap::new();
    for (i, a) in dataset.assignments.iter().enumerate() {
        assignments_of.entry(a.employee.clone()).or_default().push(i);
    }
    let mut first_row_of: HashMap<Nip, usize> = HashMap::new();
    let (mut added, mut changes, mut refused, mut notes) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut updated, mut unchanged) = (0usize, 0usize);
    for r in &sheet.rows {
        let read = match read_row(r, cols, options, &mut first_row_of) {
            Ok(x) => x,
            Err(refusal) => {
                refused.push(*refusal);
                continue;
            }
        };
        let nip = read.employee.nip.clone();
        let current = org.definitive_position(&nip, options.as_of).map(|p| &p.id);
        let held: Vec<&PositionId> =
            org.assignments_of(&nip).filter(|a| a.kind == AssignmentKind::Definitive).map(|a| &a.position).collect();
        let position = match find_position(&directory, r, cols, current, &held) {
            Ok(p) => p,
            Err((column, note)) => {
                notes.push(RowNote { row: read.row, column, nip: nip.clone(), note });
                None
            }
        };
        let mut row_changes = Vec::new();
        let existing = index.get(&nip).copied();
        match existing.and_then(|i| dataset.employees.get_mut(i)) {
            Some(e) => {
                let mut change = |field: &'static str, before: String, after: String| {
                    if before != after {
                        row_changes.push(FieldChange { row: read.row, nip: nip.clone(), field, before, after });
                    }
                };
                change("name", e.name.clone(), read.employee.name.clone());
                change("rank", e.rank.to_string(), read.employee.rank.to_string());
                change(
                    "employment",
                    employment_text(e.employment).into(),
                    employment_text(read.employee.employment).into(),
                );
                // The export carries no rank date: a rank kept keeps its TMT; a new rank's
                // TMT is not known (cleared, and said so).
                let rank_since = if e.rank == read.employee.rank { e.rank_since } else { None };
                if let Some(before) = e.rank_since.filter(|_| rank_since.is_none()) {
                    change("rank_since", before.to_string(), String::new());
                }
                *e = read.employee.clone();
                e.rank_since = rank_since;
            }
            None => {
                index.insert(nip.clone(), dataset.employees.len());
                dataset.employees.push(read.employee.clone());
            }
        }
        let mut assigned = None;
        if let Some(p) = position {
            let theirs = assignments_of.entry(nip.clone()).or_default();
            match assign(&mut dataset.assignments, theirs, &nip, p, read.position_from, options.as_of) {
                Ok(Some((before, from))) => {
                    assigned = Some(p.id.clone());
                    if existing.is_some() {
                        row_changes.push(FieldChange {
                            row: read.row,
                            nip: nip.clone(),
                            field: "position",
                            before: before.map(|b| b.to_string()).unwrap_or_default(),
                            after: format!("{} (TMT {from})", p.id),
                        });
                    }
                }
                Ok(None) => {}
                Err(note) => {
                    notes.push(RowNote { row: read.row, column: cols.position_from.clone(), nip: nip.clone(), note });
                }
            }
        }
        match existing {
            None => added.push(AddedEmployee {
                row: read.row,
                nip: nip.clone(),
                name: read.employee.name.clone(),
                position: assigned,
            }),
            Some(_) if row_changes.is_empty() => unchanged += 1,
            Some(_) => updated += 1,
        }
        changes.extend(row_changes);
    }
    let missing = org
        .employees()
        .iter()
        .filter(|e| !first_row_of.contains_key(&e.nip))
        .map(|e| MissingEmployee {
            nip: e.nip.clone(),
            name: e.name.clone(),
            unit: org.definitive_position(&e.nip, options.as_of).map(|p| p.unit.clone()),
        })
        .collect();
    dataset.clone().into_city().map_err(|e| match e {
        crate::dataset::DatasetError::Invalid(v) => ImportError::InvalidResult(v),
        other => ImportError::Read { message: other.to_string() },
    })?;
    let report = MergeReport {
        rows: sheet.rows.len(),
        layout: sheet.layout,
        as_of: options.as_of,
        added,
        updated,
        changes,
        unchanged,
        refused,
        notes,
        missing,
    };
    Ok(EmployeeMerge { report, dataset })
}

/// Gives `nip` the definitive position `p` from `from`, ending the current one the day
/// before. `Ok(None)`: nothing to do (already there). `Ok(Some((before, from)))`: done,
/// with the position held before on `as_of`.
fn assign(
    assignments: &mut Vec<Assignment>,
    theirs: &mut Vec<usize>,
    nip: &Nip,
    p: &Position,
    from: Option<NaiveDate>,
    as_of: NaiveDate,
) -> Result<Option<(Option<PositionId>, NaiveDate)>, AssignmentNote> {
    // The employee's definitive assignments (`theirs` indexes all of theirs).
    let mine: Vec<(usize, &Assignment)> = theirs
        .iter()
        .filter_map(|&i| assignments.get(i).map(|a| (i, a)))
        .filter(|(_, a)| a.kind == AssignmentKind::Definitive)
        .collect();
    let current = mine.iter().find(|(_, a)| a.covers(as_of)).map(|(i, _)| *i);
    if let Some(c) = current.and_then(|c| assignments.get(c))
        && c.position == p.id
    {
        return Ok(None);
    }
    // Already recorded: an assignment to the position covering its TMT (e.g. a
    // retiree the export still lists at the last post).
    if from.is_some_and(|f| mine.iter().any(|(_, a)| a.position == p.id && a.covers(f))) {
        return Ok(None);
    }
    let Some(from) = from else {
        return Err(AssignmentNote::MissingPositionFrom { position: p.id.clone() });
    };
    // The current assignment must start before the new one; every other one must
    // end before it.
    for (i, a) in &mine {
        let clash = if Some(*i) == current { a.from >= from } else { a.until.is_none_or(|u| u >= from) };
        if clash {
            return Err(AssignmentNote::AssignmentConflict {
                position: p.id.clone(),
                from,
                conflicting: a.position.clone(),
                conflicting_from: a.from,
            });
        }
    }
    let before = current.and_then(|c| assignments.get(c)).map(|a| a.position.clone());
    if let Some(a) = current.and_then(|c| assignments.get_mut(c)) {
        let last = from.checked_sub_days(Days::new(1)).unwrap_or(from);
        if a.until.is_none_or(|u| u > last) {
            a.until = Some(last);
        }
    }
    theirs.push(assignments.len());
    assignments.push(Assignment {
        employee: nip.clone(),
        position: p.id.clone(),
        kind: AssignmentKind::Definitive,
        from,
        until: None,
    });
    Ok(Some((before, from)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_as_exports_write_them() {
        let r = |s: &str| parse_rank(s).map(|r| r.to_string());
        assert_eq!(r("III/a"), Ok("III/a".into()));
        assert_eq!(r("III/A"), Ok("III/a".into()));
        assert_eq!(r("III-a"), Ok("III/a".into()));
        assert_eq!(r(" IV / e "), Ok("IV/e".into()));
        assert_eq!(r("IIIa"), Ok("III/a".into()));
        assert_eq!(r("Penata Muda (III/a)"), Ok("III/a".into()));
        assert_eq!(r("31"), Ok("III/a".into()));
        assert_eq!(r("45"), Ok("IV/e".into()));
        assert_eq!(r("IX"), Err(true));
        assert_eq!(r("Golongan IX"), Err(true));
        assert_eq!(r("V"), Err(true));
        assert_eq!(r("IV"), Err(true));
        for bad in ["III/e", "35", "51", "V/a", "", "abc", "II/", "(", ")(", "IV/ab", "Penata Muda"] {
            assert_eq!(r(bad), Err(false), "{bad}");
        }
    }

    #[test]
    fn employment_from_either_column() {
        assert_eq!(employment("PNS Daerah Kab/Kota", "P"), Some(EmploymentType::Pns));
        assert_eq!(employment("PNS Daerah Kab/Kota", "C"), Some(EmploymentType::Cpns));
        assert_eq!(employment("PPPK Penuh Waktu", ""), Some(EmploymentType::Pppk));
        assert_eq!(employment("", "CPNS"), Some(EmploymentType::Cpns));
        assert_eq!(employment("CPNS Daerah", ""), Some(EmploymentType::Cpns));
        assert_eq!(employment("Honorer", ""), None);
    }

    #[test]
    fn names_with_titles() {
        assert_eq!(full_name("dr.", "CUT  NYAK DIEN", "M.Kes."), "dr. CUT NYAK DIEN, M.Kes.");
        assert_eq!(full_name("", "BUDI", ""), "BUDI");
        assert_eq!(full_name("", "BUDI", "S.T., M.T."), "BUDI, S.T., M.T.");
    }
}
