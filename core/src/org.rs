//! The organisation: work units, positions, employees and their assignments.
//!
//! A city (Pemkot/Pemkab) is a tree of work units (SKPD/OPD). Each unit has
//! positions (jabatan) of a kind and job class, each supervised by another
//! position. Employees hold positions through dated assignments: definitive, or
//! acting (Plt in a vacancy, Plh for a short absence). The direct supervisor of
//! an employee on a date is whoever holds, or acts in, the supervising position
//! of the employee's own position on that date.
//!
//! ## The organisation index
//!
//! [`Organisation::new`] takes the four plain lists (units, positions, employees,
//! assignments), validates them together and builds indexes: every id maps to a
//! dense `usize` (its place in the list), and each employee's and each position's
//! assignments are kept sorted by their first day (TMT). Validation reports **every**
//! problem at once ([`crate::ValidationErrors`]): duplicate ids, dangling
//! references, cycles in the unit tree or in the supervision chain, bad task
//! figures, inverted date ranges, and an employee holding two definitive positions
//! on the same day.
//!
//! ## Who verifies an employee's work on a date
//!
//! Verification follows the position, not the person ([`Organisation::direct_supervisor`]):
//!
//! 1. The employee's own position **P** on date **D** is the one of their
//!    [`AssignmentKind::Definitive`] assignment covering D. Acting in another position
//!    (Plt/Plh) does not change whose subordinate the employee is.
//! 2. The supervising position is **S** = `P.supervisor` (*atasan langsung*).
//! 3. Those entitled to verify for S on D are its definitive holders on D and everyone
//!    with a Plt or Plh assignment to S covering D (both ends inclusive). During a Plh
//!    the absent definitive holder is still a holder, so both may verify.
//! 4. **Escalation.** If nobody other than the employee holds or acts in S on D, S is
//!    passed over (recorded in [`SupervisorResolution::skipped_vacant`]) and the rule is
//!    applied to `S.supervisor`, and so on up the chain. When the chain ends without
//!    anyone, the employee has no verifier on that date (`None`).
//!    Escalation happens **only** over positions with nobody in them: when S is
//!    occupied, the holder of S's own supervising position is *not* entitled.
//!    The employee is never counted as their own verifier: an employee who is Plt of
//!    their own supervisor's position has their work verified one level further up.
//!
//! ```
//! use chrono::NaiveDate;
//! use kinerja::org::*;
//! use kinerja::anjab::JobAnalysis;
//!
//! let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
//! let unit = WorkUnit { id: "DINAS".into(), name: "Dinas".into(), parent: None };
//! let pos = |id: &str, sup: Option<&str>| Position {
//!     id: id.into(), name: id.into(), kind: PositionKind::Executor,
//!     job_class: JobClass::new(7).unwrap(), unit: "DINAS".into(),
//!     supervisor: sup.map(Into::into), analysis: JobAnalysis::default(),
//! };
//! let emp = |nip: &str| Employee {
//!     nip: nip.parse().unwrap(), name: nip.into(), rank: "III/a".parse().unwrap(),
//!     employment: EmploymentType::Pns, rank_since: None,
//! };
//! let asg = |nip: &str, p: &str, kind, from| Assignment {
//!     employee: nip.parse().unwrap(), position: p.into(), kind, from, until: None,
//! };
//! let (boss, staff) = ("197001012000011001", "199001012020012001");
//! let org = Organisation::new(
//!     vec![unit],
//!     vec![pos("KASUBAG", None), pos("STAFF", Some("KASUBAG"))],
//!     vec![emp(boss), emp(staff)],
//!     vec![
//!         asg(boss, "KASUBAG", AssignmentKind::Definitive, d(2020, 1, 1)),
//!         asg(staff, "STAFF", AssignmentKind::Definitive, d(2020, 1, 1)),
//!     ],
//! )
//! .unwrap();
//! let (boss, staff): (Nip, Nip) = (boss.parse().unwrap(), staff.parse().unwrap());
//! assert_eq!(org.verifier_role(&boss, &staff, d(2026, 3, 2)), Ok(VerifierRole::Definitive));
//! assert_eq!(org.verifier_role(&staff, &staff, d(2026, 3, 2)), Err(NotAuthorised::SelfVerification));
//! ```

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::collections::hash_map::Entry;
use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::anjab::JobAnalysis;
use crate::error::{Problem, ValidationErrors};
use crate::ids::{PositionId, TaskId, UnitId};

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

/// Rank (pangkat/golongan ruang) of a PNS or CPNS, I/a to IV/e, serialised as `"III/a"`;
/// or the grade (golongan) of a PPPK employee, I to XVII (Perpres 98/2020), serialised as
/// the Roman numeral alone, `"IX"`.
///
/// The two are separate enumerations (docs/RULES.md 8.2): a PPPK grade is not a PNS rank
/// and has no group; every rule that reads the rank says what it does for a PPPK grade
/// (the income tax: `allowance.tax.flat_pppk`). A slash tells them apart in text:
/// `"III/a"` is a PNS rank, `"III"` the PPPK grade III.
///
/// ```
/// use kinerja::org::{Rank, RankGroup};
///
/// let pns: Rank = "III/c".parse().unwrap();
/// assert_eq!(pns.group(), Some(RankGroup::III));
/// let pppk: Rank = "IX".parse().unwrap();
/// assert_eq!((pppk.pppk_grade(), pppk.group()), (Some(9), None));
/// assert_eq!(pppk.to_string(), "IX");
/// assert!("XVIII".parse::<Rank>().is_err());
/// ```
#[doc(alias = "pangkat")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rank(RankRepr);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum RankRepr {
    Pns { group: RankGroup, grade: char },
    Pppk(u8),
}

/// The Roman numerals I..XVII of the PPPK grades, index = grade - 1.
pub const PPPK_GRADES: [&str; 17] =
    ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII"];

impl Rank {
    /// The lowest PNS rank, I/a: a placeholder for a record filled in later.
    pub(crate) const LOWEST: Rank = Rank(RankRepr::Pns { group: RankGroup::I, grade: 'a' });

    /// A PNS rank; `None` for grades that do not exist (I-III have a-d, IV has a-e).
    pub fn new(group: RankGroup, grade: char) -> Option<Rank> {
        let max = if group == RankGroup::IV { 'e' } else { 'd' };
        ('a'..=max).contains(&grade).then_some(Rank(RankRepr::Pns { group, grade }))
    }

    /// A PPPK grade (golongan) 1..=17; `None` outside.
    #[doc(alias = "golongan PPPK")]
    pub fn pppk(grade: u8) -> Option<Rank> {
        (1..=17).contains(&grade).then_some(Rank(RankRepr::Pppk(grade)))
    }

    /// The group (golongan) of a PNS rank; `None` for a PPPK grade.
    pub const fn group(self) -> Option<RankGroup> {
        match self.0 {
            RankRepr::Pns { group, .. } => Some(group),
            RankRepr::Pppk(_) => None,
        }
    }

    /// The grade letter within the group (ruang), `'a'`..`'e'`; `None` for a PPPK grade.
    pub const fn grade(self) -> Option<char> {
        match self.0 {
            RankRepr::Pns { grade, .. } => Some(grade),
            RankRepr::Pppk(_) => None,
        }
    }

    /// The PPPK grade 1..=17; `None` for a PNS rank.
    pub const fn pppk_grade(self) -> Option<u8> {
        match self.0 {
            RankRepr::Pppk(g) => Some(g),
            RankRepr::Pns { .. } => None,
        }
    }

    /// True for a PPPK grade.
    pub const fn is_pppk(self) -> bool {
        matches!(self.0, RankRepr::Pppk(_))
    }
}

impl fmt::Display for Rank {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            RankRepr::Pns { group, grade } => {
                let g = match group {
                    RankGroup::I => "I",
                    RankGroup::II => "II",
                    RankGroup::III => "III",
                    RankGroup::IV => "IV",
                };
                write!(f, "{g}/{grade}")
            }
            RankRepr::Pppk(g) => f.write_str(PPPK_GRADES.get(usize::from(g).wrapping_sub(1)).copied().unwrap_or("?")),
        }
    }
}

impl std::str::FromStr for Rank {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{s}` is neither a PNS rank such as III/a (I-III: a-d, IV: a-e) nor a PPPK grade I-XVII");
        let Some((g, r)) = s.trim().split_once('/') else {
            let roman = s.trim();
            return PPPK_GRADES
                .iter()
                .position(|n| *n == roman)
                .and_then(|i| u8::try_from(i + 1).ok())
                .and_then(Rank::pppk)
                .ok_or_else(bad);
        };
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
    /// NIP, the employee's id (for a PPPK employee their NI PPPK).
    pub nip: Nip,
    /// Full name.
    pub name: String,
    /// Rank (pangkat/golongan) of a PNS or CPNS, or the grade (golongan I-XVII) of a PPPK.
    pub rank: Rank,
    /// PNS, CPNS or PPPK.
    pub employment: EmploymentType,
    /// The date from which the employee holds their current rank or grade (TMT
    /// pangkat/golongan), when the dataset records it. The transfer and promotion report
    /// ([`crate::insights::uses::promotion`]) counts the years in rank from it.
    #[doc(alias = "TMT pangkat")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank_since: Option<NaiveDate>,
}

/// Why an employee's id, rank and employment type do not fit together, as
/// `(field, code, message)`; empty when they fit. [`Organisation::new`] and
/// [`crate::allowance::AllowanceInput::validate`] report these.
///
/// | case | field | code |
/// |---|---|---|
/// | a PPPK employee with a PNS rank (`III/a`) | `rank` | `rank_not_pppk_grade` |
/// | a PNS or CPNS with a PPPK grade (`IX`) | `rank` | `pppk_grade_not_rank` |
/// | a PNS or CPNS whose id is an NI PPPK (digits 13-14 not a month) | `nip` | `nip_is_ni_pppk` |
///
/// A PPPK employee may have an id whose digits 13-14 are `01`-`12` (it then reads as a
/// NIP form; see [`crate::nip`]): that is not refused.
pub fn employee_consistency(
    nip: &Nip,
    rank: Rank,
    employment: EmploymentType,
) -> Vec<(&'static str, &'static str, String)> {
    let mut out = Vec::new();
    match employment {
        EmploymentType::Pppk => {
            if !rank.is_pppk() {
                out.push((
                    "rank",
                    "rank_not_pppk_grade",
                    format!("a PPPK employee has a grade (golongan) I-XVII, not the PNS rank {rank}"),
                ));
            }
        }
        EmploymentType::Pns | EmploymentType::Cpns => {
            let kind = if employment == EmploymentType::Pns { "PNS" } else { "CPNS" };
            if rank.is_pppk() {
                out.push((
                    "rank",
                    "pppk_grade_not_rank",
                    format!("{rank} is a PPPK grade; a {kind} has a rank such as III/a"),
                ));
            }
            if nip.form() == crate::nip::IdForm::NiPppk {
                out.push((
                    "nip",
                    "nip_is_ni_pppk",
                    format!(
                        "{nip} is an NI PPPK (digits 13-14 `{}` are not a month); a {kind} has a NIP",
                        nip.as_str().get(12..14).unwrap_or_default()
                    ),
                ));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// The organisation index
// ---------------------------------------------------------------------------

/// Items grouped by a dense key, stored flat (compressed sparse rows): the items of
/// group `g` are `items[offsets[g]..offsets[g + 1]]`. One allocation for all groups.
#[derive(Clone, Debug, Default)]
struct Groups {
    offsets: Vec<usize>,
    items: Vec<usize>,
}

impl Groups {
    /// Groups `(group, item)` pairs; items keep the order they come in. Pairs whose
    /// group is out of range are ignored.
    fn build(groups: usize, pairs: &[(usize, usize)]) -> Groups {
        let mut offsets = vec![0usize; groups + 1];
        for &(g, _) in pairs {
            if let Some(c) = g.checked_add(1).and_then(|n| offsets.get_mut(n)) {
                *c += 1;
            }
        }
        for g in 0..groups {
            let prev = offsets.get(g).copied().unwrap_or(0);
            if let Some(c) = offsets.get_mut(g + 1) {
                *c += prev;
            }
        }
        let total = offsets.last().copied().unwrap_or(0);
        let mut items = vec![0usize; total];
        let mut cursor = offsets.clone();
        for &(g, item) in pairs {
            if let Some(at) = cursor.get_mut(g)
                && let Some(slot) = items.get_mut(*at)
            {
                *slot = item;
                *at += 1;
            }
        }
        Groups { offsets, items }
    }

    /// The items of group `g` (empty when out of range).
    fn get(&self, g: usize) -> &[usize] {
        match (self.offsets.get(g), g.checked_add(1).and_then(|n| self.offsets.get(n))) {
            (Some(&a), Some(&b)) => self.items.get(a..b).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Sorts the items inside each group by a key.
    fn sort_each_by_key<K: Ord>(&mut self, mut key: impl FnMut(usize) -> K) {
        for w in self.offsets.windows(2) {
            if let [a, b] = *w
                && let Some(slice) = self.items.get_mut(a..b)
            {
                slice.sort_by_key(|&i| key(i));
            }
        }
    }
}

/// Marker for "no such record" in dense index vectors (only during validation; a
/// validated [`Organisation`] has none).
const NONE: usize = usize::MAX;

/// Every cycle of a graph where each node has at most one successor (a parent or a
/// supervisor), each reported once, as the list of nodes in edge order.
///
/// Iterative colouring: each node is walked once, so the cost is linear and a chain
/// of any length uses no recursion.
fn find_cycles(next: &[Option<usize>]) -> Vec<Vec<usize>> {
    const WHITE: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut colour = vec![WHITE; next.len()];
    let mut path: Vec<usize> = Vec::new();
    let mut cycles = Vec::new();
    for start in 0..next.len() {
        if colour.get(start) != Some(&WHITE) {
            continue;
        }
        path.clear();
        let mut cur = Some(start);
        while let Some(n) = cur {
            match colour.get(n).copied() {
                Some(WHITE) => {
                    if let Some(c) = colour.get_mut(n) {
                        *c = ON_PATH;
                    }
                    path.push(n);
                    cur = next.get(n).copied().flatten();
                }
                Some(ON_PATH) => {
                    if let Some(at) = path.iter().position(|&x| x == n) {
                        cycles.push(path.get(at..).unwrap_or_default().to_vec());
                    }
                    break;
                }
                _ => break,
            }
        }
        for &n in &path {
            if let Some(c) = colour.get_mut(n) {
                *c = DONE;
            }
        }
    }
    cycles
}

/// Names a cycle `A -> B -> C -> A`, starting at its smallest id so the message does
/// not depend on input order. Returns the first id and the text.
fn name_cycle<'a>(cycle: &[usize], id: impl Fn(usize) -> &'a str) -> (String, String) {
    let mut names: Vec<&str> = cycle.iter().map(|&i| id(i)).collect();
    let start = names.iter().enumerate().min_by_key(|(_, n)| **n).map_or(0, |(k, _)| k);
    names.rotate_left(start);
    let first = names.first().copied().unwrap_or_default().to_string();
    let mut text = names.join(" -> ");
    text.push_str(" -> ");
    text.push_str(&first);
    (first, text)
}

/// How a verifier is entitled to verify an employee's work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerifierRole {
    /// The verifier holds the supervising position definitively.
    #[doc(alias = "definitif")]
    Definitive,
    /// The verifier is Plt (Pelaksana Tugas) of the supervising position.
    Plt,
    /// The verifier is Plh (Pelaksana Harian) of the supervising position.
    Plh,
    /// The verifier was delegated the supervising position's verification for a date
    /// range (see `crate::activity::Delegation`); never returned by
    /// [`Organisation::verifier_role`].
    #[doc(alias = "delegasi")]
    Delegate,
    /// The verifier is the regional head or deputy named to verify the holders of
    /// a top position (see `crate::access::Official`); never returned by
    /// [`Organisation::verifier_role`].
    #[doc(alias = "kepala daerah")]
    Official,
}

/// Who supervises an employee on a date: see the [module docs](self) for the rule.
#[doc(alias = "atasan langsung")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisorResolution {
    /// The supervising position whose holders verify (after any escalation).
    pub position: PositionId,
    /// Supervising positions passed over, nearest first, because nobody other than
    /// the employee held or acted in them on the date.
    pub skipped_vacant: Vec<PositionId>,
    /// Definitive holders of [`Self::position`] on the date.
    pub definitive: Vec<Nip>,
    /// Acting officials (Plt or Plh) in [`Self::position`] on the date.
    pub acting: Vec<(Nip, AssignmentKind)>,
}

/// Why an actor may not do what they asked: verify an employee's work, or any
/// other command of the authorisation matrix (`docs/authorisation.md`).
///
/// Every refusal has a stable snake_case [`NotAuthorised::reason`]; the ledger
/// reports them all under the code `not_authorised`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NotAuthorised {
    /// Verifier and employee are the same person; never valid.
    #[error("an employee may not verify their own work")]
    SelfVerification,
    /// The employee has no own (definitive) position on the date, or nobody holds
    /// or acts in any position up their supervision chain.
    #[error("employee `{employee}` has no supervisor on that date")]
    NoSupervisor {
        /// The employee whose work was to be verified.
        employee: Nip,
    },
    /// The verifier neither holds nor acts in the supervising position, nor is
    /// delegated its verification, on the decision date.
    #[error(
        "`{verifier}` may not verify the work of `{employee}` on {date}: the verifier must hold or act in position `{expected_position}`"
    )]
    NotTheSupervisor {
        /// Who tried to verify.
        verifier: Nip,
        /// Whose work.
        employee: Nip,
        /// The date of the work.
        date: NaiveDate,
        /// The position whose holders may verify.
        expected_position: PositionId,
    },
    /// Employee or verifier is not in the organisation.
    #[error("employee `{nip}` is not in the organisation")]
    UnknownEmployee {
        /// The NIP not found.
        nip: Nip,
    },
    /// The actor is not in the city's data (no such employee, official or device).
    #[error("`{actor}` is not known in this city")]
    UnknownActor {
        /// The actor as text.
        actor: String,
    },
    /// Only an employee may do this; officials and devices may not.
    #[error("`{actor}` is not an employee")]
    NotAnEmployee {
        /// The actor as text.
        actor: String,
    },
    /// The actor's service (assignment, office, appointment or device) does not
    /// cover the date of the act.
    #[error("`{actor}` is not in service on {date}")]
    NotInService {
        /// The actor as text.
        actor: String,
        /// The date of the act.
        date: NaiveDate,
    },
    /// Only the employee themselves may do this.
    #[error("`{actor}` may not act for employee `{employee}`")]
    NotTheEmployee {
        /// The actor as text.
        actor: String,
        /// The employee concerned.
        employee: Nip,
    },
    /// The actor holds no appointment to the role needed on the date.
    #[error("`{actor}` is not appointed as {role} officer on {date}")]
    NotAnOfficer {
        /// The actor as text.
        actor: String,
        /// The role needed (`hr` or `attendance`).
        role: &'static str,
        /// The date of the act.
        date: NaiveDate,
    },
    /// The employee is not in the unit the officer or device serves.
    #[error("`{actor}` does not serve the unit of employee `{employee}` on {date}")]
    OutsideUnit {
        /// The actor as text.
        actor: String,
        /// The employee concerned.
        employee: Nip,
        /// The date.
        date: NaiveDate,
    },
    /// Only a clock device may send this.
    #[error("`{actor}` is not a clock device")]
    NotADevice {
        /// The actor as text.
        actor: String,
    },
    /// The device is not of the kind the event claims to come from.
    #[error("`{actor}` may not send this kind of clock event for `{employee}`")]
    WrongDevice {
        /// The actor as text.
        actor: String,
        /// The employee concerned.
        employee: Nip,
    },
    /// The official is not named to verify this top position.
    #[error("`{actor}` is not named to verify the holders of position `{position}`")]
    NotTheVerifier {
        /// The actor as text.
        actor: String,
        /// The top position concerned.
        position: PositionId,
    },
    /// The same officer who closed the month may not reopen it.
    #[error("`{actor}` closed the month; another HR officer must reopen it")]
    SameOfficer {
        /// The actor as text.
        actor: String,
    },
    /// An employee may not record this kind of absence for themselves.
    #[error("`{actor}` may not record an absence of kind `{kind}` for themselves; an HR officer records it")]
    NotSelfReportable {
        /// The actor as text.
        actor: String,
        /// The absence kind's code.
        kind: String,
    },
}

impl NotAuthorised {
    /// A stable snake_case reason, e.g. `not_the_supervisor`.
    pub fn reason(&self) -> &'static str {
        match self {
            NotAuthorised::SelfVerification => "self_verification",
            NotAuthorised::NoSupervisor { .. } => "no_supervisor",
            NotAuthorised::NotTheSupervisor { .. } => "not_the_supervisor",
            NotAuthorised::UnknownEmployee { .. } => "unknown_employee",
            NotAuthorised::UnknownActor { .. } => "unknown_actor",
            NotAuthorised::NotAnEmployee { .. } => "not_an_employee",
            NotAuthorised::NotInService { .. } => "not_in_service",
            NotAuthorised::NotTheEmployee { .. } => "not_the_employee",
            NotAuthorised::NotAnOfficer { .. } => "not_an_officer",
            NotAuthorised::OutsideUnit { .. } => "outside_unit",
            NotAuthorised::NotADevice { .. } => "not_a_device",
            NotAuthorised::WrongDevice { .. } => "wrong_device",
            NotAuthorised::NotTheVerifier { .. } => "not_the_verifier",
            NotAuthorised::SameOfficer { .. } => "same_officer",
            NotAuthorised::NotSelfReportable { .. } => "not_self_reportable",
        }
    }
}

/// Outcome of walking up the supervision chain.
enum Walk {
    /// The employee has no definitive position on the date.
    NoPosition,
    /// The chain ended with nobody in it; the top position of the chain (dense
    /// index; the employee's own position when it has no supervisor).
    Nobody(usize),
    /// The supervising position (dense index) whose holders verify.
    Found(usize),
}

/// A validated, indexed organisation: units, positions, employees and assignments.
///
/// Build it with [`Organisation::new`]; see the [module docs](self) for the rules.
/// Lookups by id are hash lookups; dense indexes (`*_index`) let other modules keep
/// per-record data in plain vectors. A unit or position id handed on from the
/// organisation (an assignment's, a position's unit, a recap row's) shares the
/// organisation's text and is found by its address, without reading the text.
#[doc(alias = "peta jabatan")]
#[derive(Clone, Debug)]
pub struct Organisation {
    units: Vec<WorkUnit>,
    positions: Vec<Position>,
    employees: Vec<Employee>,
    assignments: Vec<Assignment>,
    unit_ix: FxHashMap<UnitId, usize>,
    position_ix: FxHashMap<PositionId, usize>,
    /// [`Self::unit_ix`] and [`Self::position_ix`] by the address of the id's text
    /// ([`text_address`]): an id sharing the organisation's own text is found without
    /// hashing or comparing it. The texts live as long as the organisation (which never
    /// changes), so no other text can have their address.
    unit_at: ByAddress,
    position_at: ByAddress,
    employee_ix: FxHashMap<Nip, usize>,
    unit_parent: Vec<Option<usize>>,
    unit_children: Groups,
    unit_positions: Groups,
    position_supervisor: Vec<Option<usize>>,
    subordinates: Groups,
    assignment_employee: Vec<usize>,
    assignment_position: Vec<usize>,
    /// Per employee: assignment indexes sorted by `from`.
    by_employee: Groups,
    /// Per position: assignment indexes sorted by `from`.
    by_position: Groups,
}

/// The address of an id's shared text: the key of [`Organisation`]'s lookups by pointer.
fn text_address(text: &std::sync::Arc<str>) -> usize {
    std::sync::Arc::as_ptr(text).cast::<u8>().addr()
}

/// Dense indexes by [`text_address`]. Its `Debug` form shows how many ids it holds,
/// not the addresses, which differ from run to run.
#[derive(Clone)]
struct ByAddress(FxHashMap<usize, usize>);

impl ByAddress {
    fn get(&self, text: &std::sync::Arc<str>) -> Option<&usize> {
        self.0.get(&text_address(text))
    }
}

impl std::fmt::Debug for ByAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ByAddress({} ids)", self.0.len())
    }
}

fn assignment_key(a: &Assignment) -> String {
    format!("{}/{}/{}", a.employee, a.position, a.from)
}

fn describe_range(a: &Assignment) -> String {
    match a.until {
        Some(u) => format!("{} to {}", a.from, u),
        None => format!("{} onwards", a.from),
    }
}

impl Organisation {
    /// Validates the four lists together and builds the indexes.
    ///
    /// Every problem found is returned at once (see [module docs](self)); problem
    /// codes are `duplicate_id`, `unknown_reference`, `unit_cycle`,
    /// `self_supervision`, `supervision_cycle`, `not_positive`, `negative`,
    /// `inverted_range`, `overlapping_definitive`, and those of [`employee_consistency`]
    /// (`rank_not_pppk_grade`, `pppk_grade_not_rank`, `nip_is_ni_pppk`).
    pub fn new(
        units: Vec<WorkUnit>,
        mut positions: Vec<Position>,
        employees: Vec<Employee>,
        mut assignments: Vec<Assignment>,
    ) -> Result<Organisation, ValidationErrors> {
        let mut problems = Vec::new();

        // Units.
        let mut unit_ix = FxHashMap::with_capacity_and_hasher(units.len(), Default::default());
        for (i, u) in units.iter().enumerate() {
            match unit_ix.entry(u.id.clone()) {
                Entry::Occupied(_) => problems.push(Problem::new(
                    "unit",
                    u.id.as_str(),
                    "id",
                    "duplicate_id",
                    format!("unit id `{}` is used more than once (again at entry #{i})", u.id),
                )),
                Entry::Vacant(v) => {
                    v.insert(i);
                }
            }
        }
        let mut unit_parent = Vec::with_capacity(units.len());
        for u in &units {
            let parent = match &u.parent {
                None => None,
                Some(p) => {
                    let found = unit_ix.get(p).copied();
                    if found.is_none() {
                        problems.push(Problem::new(
                            "unit",
                            u.id.as_str(),
                            "parent",
                            "unknown_reference",
                            format!("parent unit `{p}` does not exist"),
                        ));
                    }
                    found
                }
            };
            unit_parent.push(parent);
        }
        for cycle in find_cycles(&unit_parent) {
            let (first, text) = name_cycle(&cycle, |i| units.get(i).map_or("", |u| u.id.as_str()));
            problems.push(Problem::new("unit", first, "parent", "unit_cycle", format!("the unit tree loops: {text}")));
        }

        // Positions.
        let mut position_ix = FxHashMap::with_capacity_and_hasher(positions.len(), Default::default());
        for (i, p) in positions.iter().enumerate() {
            match position_ix.entry(p.id.clone()) {
                Entry::Occupied(_) => problems.push(Problem::new(
                    "position",
                    p.id.as_str(),
                    "id",
                    "duplicate_id",
                    format!("position id `{}` is used more than once (again at entry #{i})", p.id),
                )),
                Entry::Vacant(v) => {
                    v.insert(i);
                }
            }
        }
        let mut position_unit = Vec::with_capacity(positions.len());
        let mut position_supervisor = Vec::with_capacity(positions.len());
        for p in &positions {
            match unit_ix.get(&p.unit) {
                Some(&u) => position_unit.push((u, position_unit.len())),
                None => {
                    position_unit.push((NONE, position_unit.len()));
                    problems.push(Problem::new(
                        "position",
                        p.id.as_str(),
                        "unit",
                        "unknown_reference",
                        format!("work unit `{}` does not exist", p.unit),
                    ));
                }
            }
            let sup = match &p.supervisor {
                None => None,
                Some(s) if *s == p.id => {
                    problems.push(Problem::new(
                        "position",
                        p.id.as_str(),
                        "supervisor",
                        "self_supervision",
                        format!("position `{}` names itself as its supervisor", p.id),
                    ));
                    None
                }
                Some(s) => {
                    let found = position_ix.get(s).copied();
                    if found.is_none() {
                        problems.push(Problem::new(
                            "position",
                            p.id.as_str(),
                            "supervisor",
                            "unknown_reference",
                            format!("supervising position `{s}` does not exist"),
                        ));
                    }
                    found
                }
            };
            position_supervisor.push(sup);
        }
        for cycle in find_cycles(&position_supervisor) {
            let (first, text) = name_cycle(&cycle, |i| positions.get(i).map_or("", |p| p.id.as_str()));
            problems.push(Problem::new(
                "position",
                first,
                "supervisor",
                "supervision_cycle",
                format!("the supervision chain loops: {text}"),
            ));
        }

        // Tasks.
        let mut task_owner: HashMap<&TaskId, &PositionId> = HashMap::new();
        for p in &positions {
            for t in &p.analysis.tasks {
                if let Some(other) = task_owner.insert(&t.id, &p.id) {
                    problems.push(Problem::new(
                        "task",
                        t.id.as_str(),
                        "id",
                        "duplicate_id",
                        format!("task id `{}` appears in position `{other}` and again in position `{}`", t.id, p.id),
                    ));
                }
                if t.standard_minutes.get() <= 0 {
                    problems.push(Problem::new(
                        "task",
                        t.id.as_str(),
                        "standard_minutes",
                        "not_positive",
                        format!(
                            "standard minutes must be positive, got {} (position `{}`)",
                            t.standard_minutes.get(),
                            p.id
                        ),
                    ));
                }
                if t.volume.quantity < Decimal::ZERO {
                    problems.push(Problem::new(
                        "task",
                        t.id.as_str(),
                        "volume.quantity",
                        "negative",
                        format!("volume must not be negative, got {} (position `{}`)", t.volume.quantity, p.id),
                    ));
                }
            }
        }

        // Employees.
        let mut employee_ix = FxHashMap::with_capacity_and_hasher(employees.len(), Default::default());
        for (i, e) in employees.iter().enumerate() {
            match employee_ix.entry(e.nip.clone()) {
                Entry::Occupied(_) => problems.push(Problem::new(
                    "employee",
                    e.nip.as_str(),
                    "nip",
                    "duplicate_id",
                    format!("NIP {} is used more than once (again at entry #{i})", e.nip),
                )),
                Entry::Vacant(v) => {
                    v.insert(i);
                }
            }
            for (field, code, message) in employee_consistency(&e.nip, e.rank, e.employment) {
                problems.push(Problem::new("employee", e.nip.as_str(), field, code, message));
            }
        }

        // Assignments.
        let mut assignment_employee = Vec::with_capacity(assignments.len());
        let mut assignment_position = Vec::with_capacity(assignments.len());
        let mut emp_pairs = Vec::with_capacity(assignments.len());
        let mut pos_pairs = Vec::with_capacity(assignments.len());
        for (i, a) in assignments.iter().enumerate() {
            let e = employee_ix.get(&a.employee).copied();
            let p = position_ix.get(&a.position).copied();
            if e.is_none() {
                problems.push(Problem::new(
                    "assignment",
                    assignment_key(a),
                    "employee",
                    "unknown_reference",
                    format!("employee {} does not exist (assignment #{i})", a.employee),
                ));
            }
            if p.is_none() {
                problems.push(Problem::new(
                    "assignment",
                    assignment_key(a),
                    "position",
                    "unknown_reference",
                    format!("position `{}` does not exist (assignment #{i})", a.position),
                ));
            }
            if let Some(u) = a.until
                && u < a.from
            {
                problems.push(Problem::new(
                    "assignment",
                    assignment_key(a),
                    "until",
                    "inverted_range",
                    format!("assignment #{i} ends ({u}) before it starts ({})", a.from),
                ));
            }
            if let Some(e) = e {
                emp_pairs.push((e, i));
            }
            if let Some(p) = p {
                pos_pairs.push((p, i));
            }
            assignment_employee.push(e.unwrap_or(NONE));
            assignment_position.push(p.unwrap_or(NONE));
        }
        let from_key = |i: usize| (assignments.get(i).map(|a| a.from), i);
        let mut by_employee = Groups::build(employees.len(), &emp_pairs);
        by_employee.sort_each_by_key(from_key);
        let mut by_position = Groups::build(positions.len(), &pos_pairs);
        by_position.sort_each_by_key(from_key);

        // One own position at a time: sweep each employee's definitive assignments
        // in order of `from`, remembering the one that reaches furthest.
        for e in 0..employees.len() {
            let mut reach: Option<&Assignment> = None;
            for a in by_employee.get(e).iter().filter_map(|&i| assignments.get(i)) {
                if a.kind != AssignmentKind::Definitive || a.until.is_some_and(|u| u < a.from) {
                    continue;
                }
                if let Some(r) = reach {
                    if r.until.is_none_or(|u| a.from <= u) {
                        problems.push(Problem::new(
                            "assignment",
                            assignment_key(a),
                            "from",
                            "overlapping_definitive",
                            format!(
                                "employee {} is given definitive position `{}` ({}) while still holding definitive position `{}` ({}); an employee has one own position at a time",
                                a.employee,
                                a.position,
                                describe_range(a),
                                r.position,
                                describe_range(r)
                            ),
                        ));
                    }
                    let further = match (r.until, a.until) {
                        (None, _) => false,
                        (Some(_), None) => true,
                        (Some(ru), Some(au)) => au > ru,
                    };
                    if further {
                        reach = Some(a);
                    }
                } else {
                    reach = Some(a);
                }
            }
        }

        if !problems.is_empty() {
            return Err(ValidationErrors { problems });
        }

        // Every reference shares the text of the id it names (one `Arc` per id), so that
        // the ids handed on from here (a recap row's position and unit) are found in the
        // indexes by pointer, without reading their text again.
        for (a, &p) in assignments.iter_mut().zip(&assignment_position) {
            if let Some(position) = positions.get(p) {
                a.position = position.id.clone();
            }
        }
        for (p, &(u, _)) in positions.iter_mut().zip(&position_unit) {
            if let Some(unit) = units.get(u) {
                p.unit = unit.id.clone();
            }
        }

        let child_pairs: Vec<(usize, usize)> =
            unit_parent.iter().enumerate().filter_map(|(i, p)| p.map(|p| (p, i))).collect();
        let unit_children = Groups::build(units.len(), &child_pairs);
        let unit_positions = Groups::build(units.len(), &position_unit);
        let sub_pairs: Vec<(usize, usize)> =
            position_supervisor.iter().enumerate().filter_map(|(i, s)| s.map(|s| (s, i))).collect();
        let subordinates = Groups::build(positions.len(), &sub_pairs);
        let unit_at = ByAddress(units.iter().enumerate().map(|(i, u)| (text_address(&u.id.0), i)).collect());
        let position_at = ByAddress(positions.iter().enumerate().map(|(i, p)| (text_address(&p.id.0), i)).collect());

        Ok(Organisation {
            units,
            positions,
            employees,
            assignments,
            unit_ix,
            position_ix,
            unit_at,
            position_at,
            employee_ix,
            unit_parent,
            unit_children,
            unit_positions,
            position_supervisor,
            subordinates,
            assignment_employee,
            assignment_position,
            by_employee,
            by_position,
        })
    }

    /// Gives back the four lists, in the order given to [`Organisation::new`].
    pub fn into_parts(self) -> (Vec<WorkUnit>, Vec<Position>, Vec<Employee>, Vec<Assignment>) {
        (self.units, self.positions, self.employees, self.assignments)
    }

    /// All work units, in input order (position = [`Self::unit_index`]).
    pub fn units(&self) -> &[WorkUnit] {
        &self.units
    }

    /// All positions, in input order (position = [`Self::position_index`]).
    pub fn positions(&self) -> &[Position] {
        &self.positions
    }

    /// All employees, in input order (position = [`Self::employee_index`]).
    pub fn employees(&self) -> &[Employee] {
        &self.employees
    }

    /// All assignments, in input order.
    pub fn assignments(&self) -> &[Assignment] {
        &self.assignments
    }

    /// A work unit by id.
    pub fn unit(&self, id: &UnitId) -> Option<&WorkUnit> {
        self.unit_index(id).and_then(|i| self.units.get(i))
    }

    /// A position by id.
    pub fn position(&self, id: &PositionId) -> Option<&Position> {
        self.position_index(id).and_then(|i| self.positions.get(i))
    }

    /// An employee by NIP.
    pub fn employee(&self, nip: &Nip) -> Option<&Employee> {
        self.employee_index(nip).and_then(|i| self.employees.get(i))
    }

    /// Dense index of a work unit (its place in [`Self::units`]).
    pub fn unit_index(&self, id: &UnitId) -> Option<usize> {
        self.unit_at.get(&id.0).or_else(|| self.unit_ix.get(id)).copied()
    }

    /// Dense index of a position (its place in [`Self::positions`]).
    pub fn position_index(&self, id: &PositionId) -> Option<usize> {
        self.position_at.get(&id.0).or_else(|| self.position_ix.get(id)).copied()
    }

    /// Dense index of an employee (its place in [`Self::employees`]).
    pub fn employee_index(&self, nip: &Nip) -> Option<usize> {
        self.employee_ix.get(nip).copied()
    }

    /// The parent of a work unit, if any.
    pub fn unit_parent(&self, id: &UnitId) -> Option<&WorkUnit> {
        let i = self.unit_index(id)?;
        self.unit_parent.get(i).copied().flatten().and_then(|p| self.units.get(p))
    }

    /// The units directly inside a unit, in input order.
    pub fn unit_children<'a>(&'a self, id: &UnitId) -> impl Iterator<Item = &'a WorkUnit> + use<'a> {
        let ix = self.unit_index(id).unwrap_or(NONE);
        self.unit_children.get(ix).iter().filter_map(|&i| self.units.get(i))
    }

    /// Every unit below a unit (children, their children, ...), depth first, not
    /// including the unit itself. Iterative, so any depth is fine.
    pub fn unit_descendants(&self, id: &UnitId) -> Vec<&WorkUnit> {
        let mut out = Vec::new();
        let mut stack: Vec<usize> = match self.unit_index(id) {
            Some(i) => self.unit_children.get(i).iter().rev().copied().collect(),
            None => return out,
        };
        while let Some(u) = stack.pop() {
            if let Some(unit) = self.units.get(u) {
                out.push(unit);
            }
            stack.extend(self.unit_children.get(u).iter().rev());
        }
        out
    }

    /// The positions belonging directly to a unit, in input order.
    pub fn unit_positions<'a>(&'a self, id: &UnitId) -> impl Iterator<Item = &'a Position> + use<'a> {
        let ix = self.unit_index(id).unwrap_or(NONE);
        self.unit_positions.get(ix).iter().filter_map(|&i| self.positions.get(i))
    }

    /// The positions a position directly supervises (*bawahan langsung*), in input order.
    #[doc(alias = "bawahan")]
    pub fn subordinate_positions<'a>(&'a self, id: &PositionId) -> impl Iterator<Item = &'a Position> + use<'a> {
        let ix = self.position_index(id).unwrap_or(NONE);
        self.subordinates.get(ix).iter().filter_map(|&i| self.positions.get(i))
    }

    /// The supervising position of a position (*atasan langsung*), if any.
    pub fn supervisor_of(&self, id: &PositionId) -> Option<&Position> {
        let i = self.position_index(id)?;
        self.position_supervisor.get(i).copied().flatten().and_then(|s| self.positions.get(s))
    }

    /// An employee's assignments (definitive and acting), sorted by first day.
    pub fn assignments_of<'a>(&'a self, nip: &Nip) -> impl Iterator<Item = &'a Assignment> + use<'a> {
        self.assignments_of_index(self.employee_index(nip).unwrap_or(NONE))
    }

    /// [`Organisation::assignments_of`] the employee with dense index `employee`,
    /// without looking the NIP up.
    pub(crate) fn assignments_of_index(&self, employee: usize) -> impl Iterator<Item = &Assignment> + use<'_> {
        self.by_employee.get(employee).iter().filter_map(|&i| self.assignments.get(i))
    }

    /// The assignments of the employee with dense index `employee` (its place in
    /// [`Self::employees`]), as [`Self::assignments_of`] gives them.
    pub fn assignments_at(&self, employee: usize) -> impl Iterator<Item = &Assignment> + '_ {
        self.by_employee.get(employee).iter().filter_map(|&i| self.assignments.get(i))
    }

    /// Assignments to a position (definitive and acting), sorted by first day.
    pub fn assignments_to<'a>(&'a self, position: &PositionId) -> impl Iterator<Item = &'a Assignment> + use<'a> {
        let ix = self.position_index(position).unwrap_or(NONE);
        self.by_position.get(ix).iter().filter_map(|&i| self.assignments.get(i))
    }

    /// Index of the employee's definitive assignment covering `date`.
    fn definitive_ix(&self, employee: usize, date: NaiveDate) -> Option<usize> {
        // Sorted by `from`: nothing after the first assignment starting past `date` can cover it.
        self.by_employee
            .get(employee)
            .iter()
            .copied()
            .take_while(|&i| self.assignments.get(i).is_some_and(|a| a.from <= date))
            .find(|&i| self.assignments.get(i).is_some_and(|a| a.kind == AssignmentKind::Definitive && a.covers(date)))
    }

    /// True when the employee with dense index `employee` ([`Organisation::employee_index`])
    /// has a definitive assignment covering `date`: what
    /// [`Organisation::definitive_assignment`] finds, without looking the NIP up.
    pub fn definitive_assignment_at(&self, employee: usize, date: NaiveDate) -> bool {
        self.definitive_ix(employee, date).is_some()
    }

    /// True when the employee with dense index `employee` has an assignment of any
    /// kind covering `date`.
    pub fn in_service_at(&self, employee: usize, date: NaiveDate) -> bool {
        self.by_employee
            .get(employee)
            .iter()
            .take_while(|&&i| self.assignments.get(i).is_some_and(|a| a.from <= date))
            .any(|&i| self.assignments.get(i).is_some_and(|a| a.covers(date)))
    }

    /// The own (definitive) position on `date` of the employee with dense index
    /// `employee`.
    pub fn definitive_position_at(&self, employee: usize, date: NaiveDate) -> Option<&Position> {
        let a = self.definitive_ix(employee, date)?;
        self.assignment_position.get(a).and_then(|&p| self.positions.get(p))
    }

    /// The dense index of the own (definitive) position on `date` of the employee
    /// with dense index `employee` ([`Organisation::definitive_position_at`]'s).
    pub(crate) fn definitive_position_index_at(&self, employee: usize, date: NaiveDate) -> Option<usize> {
        let a = self.definitive_ix(employee, date)?;
        self.assignment_position.get(a).copied().filter(|&p| p < self.positions.len())
    }

    /// The definitive assignment of the employee with dense index `employee` that
    /// starts last among those overlapping `first..=last` (on a tie, the later
    /// listed), with the dense index of its position: the position a month's recap
    /// reports.
    pub(crate) fn last_definitive_in(
        &self,
        employee: usize,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Option<(&Assignment, Option<usize>)> {
        let (i, a) = self
            .by_employee
            .get(employee)
            .iter()
            .filter_map(|&i| self.assignments.get(i).map(|a| (i, a)))
            .filter(|(_, a)| a.kind == AssignmentKind::Definitive)
            .filter(|(_, a)| a.from <= last && a.until.is_none_or(|u| u >= first))
            .max_by_key(|(_, a)| a.from)?;
        Some((a, self.assignment_position.get(i).copied().filter(|&p| p < self.positions.len())))
    }

    /// The dense index of each unit's parent.
    pub(crate) fn unit_parents(&self) -> &[Option<usize>] {
        &self.unit_parent
    }

    /// The employee's definitive assignment covering `date`, if any.
    pub fn definitive_assignment(&self, nip: &Nip, date: NaiveDate) -> Option<&Assignment> {
        self.definitive_ix(self.employee_index(nip)?, date).and_then(|i| self.assignments.get(i))
    }

    /// The employee's own position on `date`: the one of their definitive assignment
    /// covering that day. Acting assignments are not the employee's own position.
    pub fn definitive_position(&self, nip: &Nip, date: NaiveDate) -> Option<&Position> {
        let a = self.definitive_ix(self.employee_index(nip)?, date)?;
        self.assignment_position.get(a).and_then(|&p| self.positions.get(p))
    }

    /// Assignment indexes to a position covering `date`, sorted by first day.
    fn covering(&self, position: usize, date: NaiveDate) -> impl Iterator<Item = usize> + '_ {
        self.by_position
            .get(position)
            .iter()
            .copied()
            .take_while(move |&i| self.assignments.get(i).is_some_and(|a| a.from <= date))
            .filter(move |&i| self.assignments.get(i).is_some_and(|a| a.covers(date)))
    }

    /// Everyone holding or acting in a position on `date`, with how, ordered by the
    /// first day of their assignment.
    pub fn holders(&self, position: &PositionId, date: NaiveDate) -> Vec<(&Employee, AssignmentKind)> {
        let Some(p) = self.position_index(position) else { return Vec::new() };
        self.covering(p, date)
            .filter_map(|i| {
                let a = self.assignments.get(i)?;
                let e = self.assignment_employee.get(i).and_then(|&e| self.employees.get(e))?;
                Some((e, a.kind))
            })
            .collect()
    }

    /// Current headcount (*bezetting*) of a position on `date`: definitive holders only.
    #[doc(alias = "bezetting")]
    pub fn headcount(&self, position: &PositionId, date: NaiveDate) -> u32 {
        let Some(p) = self.position_index(position) else { return 0 };
        let n = self
            .covering(p, date)
            .filter(|&i| self.assignments.get(i).is_some_and(|a| a.kind == AssignmentKind::Definitive))
            .count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// Those entitled to verify for position `s` on `date`, excluding `employee`:
    /// `(employee index, kind)`.
    fn entitled(
        &self,
        s: usize,
        date: NaiveDate,
        employee: usize,
    ) -> impl Iterator<Item = (usize, AssignmentKind)> + '_ {
        self.covering(s, date).filter_map(move |i| {
            let e = self.assignment_employee.get(i).copied()?;
            let a = self.assignments.get(i)?;
            (e != employee).then_some((e, a.kind))
        })
    }

    /// Walks up from the employee's own position to the first supervising position
    /// with someone (other than the employee) in it; pushes passed-over positions.
    fn walk(&self, employee: usize, date: NaiveDate, mut skipped: Option<&mut Vec<PositionId>>) -> Walk {
        let Some(own) = self.definitive_ix(employee, date).and_then(|a| self.assignment_position.get(a).copied())
        else {
            return Walk::NoPosition;
        };
        let mut top = own;
        let mut next = self.position_supervisor.get(own).copied().flatten();
        // The chain is acyclic (validated); the bound is a second guard.
        for _ in 0..self.positions.len() {
            let Some(s) = next else { break };
            top = s;
            if self.entitled(s, date, employee).next().is_some() {
                return Walk::Found(s);
            }
            if let (Some(list), Some(p)) = (skipped.as_deref_mut(), self.positions.get(s)) {
                list.push(p.id.clone());
            }
            next = self.position_supervisor.get(s).copied().flatten();
        }
        Walk::Nobody(top)
    }

    /// The supervising position in charge of `employee`'s work done on `date`
    /// (after escalation over vacant positions), or `Err(top)` with the top
    /// position of their chain when nobody is in charge up to it (that top
    /// position's holders are verified by an official, if the dataset names one).
    /// `None` when the employee is unknown or holds no position on the date.
    pub fn supervising_position(&self, employee: &Nip, date: NaiveDate) -> Option<Result<&Position, &Position>> {
        let e = self.employee_index(employee)?;
        match self.walk(e, date, None) {
            Walk::Found(s) => self.positions.get(s).map(Ok),
            Walk::Nobody(top) => self.positions.get(top).map(Err),
            Walk::NoPosition => None,
        }
    }

    /// The direct supervisor (*atasan langsung*) of an employee on `date`: the
    /// supervising position and who may verify for it, after escalating over vacant
    /// positions (see the [module docs](self)). `None` when the employee is unknown,
    /// has no own position on the date, or nobody is found up the chain.
    #[doc(alias = "atasan langsung")]
    pub fn direct_supervisor(&self, nip: &Nip, date: NaiveDate) -> Option<SupervisorResolution> {
        let e = self.employee_index(nip)?;
        let mut skipped = Vec::new();
        let Walk::Found(s) = self.walk(e, date, Some(&mut skipped)) else { return None };
        let mut definitive = Vec::new();
        let mut acting = Vec::new();
        for (h, kind) in self.entitled(s, date, e) {
            let Some(holder) = self.employees.get(h) else { continue };
            match kind {
                AssignmentKind::Definitive => definitive.push(holder.nip.clone()),
                AssignmentKind::Plt | AssignmentKind::Plh => acting.push((holder.nip.clone(), kind)),
            }
        }
        Some(SupervisorResolution {
            position: self.positions.get(s)?.id.clone(),
            skipped_vacant: skipped,
            definitive,
            acting,
        })
    }

    /// Whether `verifier` may verify `employee`'s work done on `date`, deciding on
    /// that same day, and in what capacity. See [`Organisation::verifier_role_at`].
    pub fn verifier_role(
        &self,
        verifier: &Nip,
        employee: &Nip,
        date: NaiveDate,
    ) -> Result<VerifierRole, NotAuthorised> {
        self.verifier_role_at(verifier, employee, date, date)
    }

    /// Whether `verifier` may decide on `decision_date` about `employee`'s work
    /// done on `work_date`, and in what capacity. Does not allocate when the answer
    /// is yes.
    ///
    /// The supervising position is the one in charge on the **work date** (after
    /// escalation over vacant positions); the verifier must hold or act in it on the
    /// **decision date**: a Plt or Plh whose acting period has ended, or a holder
    /// who has moved on, may no longer decide.
    ///
    /// A verifier who is both definitive holder and acting official is reported as
    /// [`VerifierRole::Definitive`]; Plt is preferred to Plh.
    pub fn verifier_role_at(
        &self,
        verifier: &Nip,
        employee: &Nip,
        work_date: NaiveDate,
        decision_date: NaiveDate,
    ) -> Result<VerifierRole, NotAuthorised> {
        if verifier == employee {
            return Err(NotAuthorised::SelfVerification);
        }
        let e =
            self.employee_index(employee).ok_or_else(|| NotAuthorised::UnknownEmployee { nip: employee.clone() })?;
        let v =
            self.employee_index(verifier).ok_or_else(|| NotAuthorised::UnknownEmployee { nip: verifier.clone() })?;
        let s = match self.walk(e, work_date, None) {
            Walk::Found(s) => s,
            Walk::NoPosition | Walk::Nobody(_) => {
                return Err(NotAuthorised::NoSupervisor { employee: employee.clone() });
            }
        };
        let mut role = None;
        for (h, kind) in self.entitled(s, decision_date, e) {
            if h != v {
                continue;
            }
            role = match (role, kind) {
                (_, AssignmentKind::Definitive) => return Ok(VerifierRole::Definitive),
                (Some(VerifierRole::Plt), _) | (_, AssignmentKind::Plt) => Some(VerifierRole::Plt),
                (r, AssignmentKind::Plh) => r.or(Some(VerifierRole::Plh)),
            };
        }
        role.ok_or_else(|| NotAuthorised::NotTheSupervisor {
            verifier: verifier.clone(),
            employee: employee.clone(),
            date: work_date,
            expected_position: self.positions.get(s).map(|p| p.id.clone()).unwrap_or_else(|| PositionId::from("")),
        })
    }
}
