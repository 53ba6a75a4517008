//! The organisation: work units, positions, employees and their assignments.
//!
//! A city (Pemkot/Pemkab) is a tree of work units (SKPD/OPD). Each unit has
//! positions (jabatan) of a kind and job class, each supervised by another
//! position. Employees hold positions through dated assignments: definitive, or
//! acting (Plt in a vacancy, Plh for a short absence). The direct supervisor of
//! an employee on a date is whoever holds, or acts in, the supervising position
//! of the employee's own position on that date.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::anjab::JobAnalysis;
use crate::ids::{PositionId, UnitId};

/// A work unit (SKPD / OPD / perangkat daerah), possibly inside a parent unit.
#[doc(alias = "SKPD")]
#[doc(alias = "OPD")]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkUnit {
    /// Unique id.
    pub id: UnitId,
    /// Official name.
    pub name: String,
    /// The unit this one belongs to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<UnitId>,
}

/// The kind of a position (jenis jabatan).
#[doc(alias = "jenis jabatan")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PositionKind {
    /// Jabatan Pimpinan Tinggi (JPT): heads of agencies.
    #[doc(alias = "JPT")]
    Leadership,
    /// Jabatan Administrator: heads of divisions (eselon III).
    Administrator,
    /// Jabatan Pengawas: heads of sections (eselon IV).
    #[doc(alias = "pengawas")]
    Supervisor,
    /// Jabatan Fungsional: teachers, nurses, auditors, ...
    #[doc(alias = "fungsional")]
    Functional,
    /// Jabatan Pelaksana: executors.
    #[doc(alias = "pelaksana")]
    Executor,
}

/// A job class (kelas jabatan), 1 to 17.
#[doc(alias = "kelas jabatan")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct JobClass(u8);

impl JobClass {
    /// A job class; `None` outside 1-17.
    pub const fn new(class: u8) -> Option<JobClass> {
        if class >= 1 && class <= 17 { Some(JobClass(class)) } else { None }
    }

    /// The class number.
    pub const fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for JobClass {
    type Error = String;
    fn try_from(v: u8) -> Result<Self, Self::Error> {
        JobClass::new(v).ok_or_else(|| format!("job class {v} is outside 1-17"))
    }
}

impl From<JobClass> for u8 {
    fn from(c: JobClass) -> u8 {
        c.0
    }
}

impl fmt::Display for JobClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A position (jabatan) in a work unit, with its job analysis.
#[doc(alias = "jabatan")]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Position {
    /// Unique id.
    pub id: PositionId,
    /// Official name, e.g. "Kepala Seksi Kurikulum".
    pub name: String,
    /// Kind of position.
    pub kind: PositionKind,
    /// Job class 1-17.
    pub job_class: JobClass,
    /// The work unit the position belongs to.
    pub unit: UnitId,
    /// The supervising position (atasan langsung); `None` at the top of the chain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supervisor: Option<PositionId>,
    /// The position's job analysis: descriptive fields and tasks.
    #[serde(default)]
    pub analysis: JobAnalysis,
}

/// How an employee holds a position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignmentKind {
    /// The employee's own (definitive) position.
    #[doc(alias = "definitif")]
    Definitive,
    /// Pelaksana Tugas: acting in a vacant position.
    Plt,
    /// Pelaksana Harian: acting while the holder is briefly absent.
    Plh,
}

/// An employee holding a position over a date range (both ends inclusive;
/// `until = None` means still running).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// The employee's NIP.
    pub employee: crate::org::Nip,
    /// The position held.
    pub position: PositionId,
    /// Definitive or acting.
    pub kind: AssignmentKind,
    /// First day (TMT).
    pub from: NaiveDate,
    /// Last day, inclusive; `None` = open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
}

impl Assignment {
    /// True when the assignment is in force on `date`.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.from <= date && self.until.is_none_or(|u| date <= u)
    }
}

pub use crate::nip::{Gender, Nip, NipError};

/// Rank group (golongan): I to IV.
#[doc(alias = "golongan")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RankGroup {
    /// Golongan I.
    I,
    /// Golongan II.
    II,
    /// Golongan III.
    III,
    /// Golongan IV.
    IV,
}

/// Rank (pangkat/golongan ruang), I/a to IV/e. Serialised as `"III/a"`.
#[doc(alias = "pangkat")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rank {
    group: RankGroup,
    grade: char,
}

impl Rank {
    /// A rank; `None` for grades that do not exist (I-III have a-d, IV has a-e).
    pub fn new(group: RankGroup, grade: char) -> Option<Rank> {
        let max = if group == RankGroup::IV { 'e' } else { 'd' };
        ('a'..=max).contains(&grade).then_some(Rank { group, grade })
    }

    /// The group (golongan).
    pub const fn group(self) -> RankGroup {
        self.group
    }

    /// The grade letter within the group (ruang), `'a'`..`'e'`.
    pub const fn grade(self) -> char {
        self.grade
    }
}

impl fmt::Display for Rank {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let g = match self.group {
            RankGroup::I => "I",
            RankGroup::II => "II",
            RankGroup::III => "III",
            RankGroup::IV => "IV",
        };
        write!(f, "{g}/{}", self.grade)
    }
}

impl std::str::FromStr for Rank {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{s}` is not a rank such as III/a (I-III: a-d, IV: a-e)");
        let (g, r) = s.trim().split_once('/').ok_or_else(bad)?;
        let group = match g {
            "I" => RankGroup::I,
            "II" => RankGroup::II,
            "III" => RankGroup::III,
            "IV" => RankGroup::IV,
            _ => return Err(bad()),
        };
        let mut chars = r.chars();
        let grade = chars.next().ok_or_else(bad)?.to_ascii_lowercase();
        if chars.next().is_some() {
            return Err(bad());
        }
        Rank::new(group, grade).ok_or_else(bad)
    }
}

impl Serialize for Rank {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Rank {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Employment type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum EmploymentType {
    /// Pegawai Negeri Sipil: civil servant.
    #[doc(alias = "PNS")]
    Pns,
    /// Calon PNS: candidate civil servant (paid a share of the allowance).
    #[doc(alias = "CPNS")]
    Cpns,
    /// Pegawai Pemerintah dengan Perjanjian Kerja: government employee on contract.
    #[doc(alias = "PPPK")]
    Pppk,
}

/// An employee (pegawai).
#[doc(alias = "pegawai")]
#[doc(alias = "ASN")]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Employee {
    /// NIP, the employee's id.
    pub nip: Nip,
    /// Full name.
    pub name: String,
    /// Rank (pangkat/golongan).
    pub rank: Rank,
    /// PNS, CPNS or PPPK.
    pub employment: EmploymentType,
}
