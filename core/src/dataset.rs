//! The dataset: everything a city's engine needs to know about its organisation,
//! in one documented JSON file.
//!
//! ```json
//! {
//!   "schema_version": 1,
//!   "government": { "code": "1171", "name": "Pemerintah Kota Banda Aceh" },
//!   "calendar":   { ... a WorkCalendar ... },
//!   "units":      [ { "id": "DISDIK", "name": "Dinas Pendidikan", "parent": null } ],
//!   "positions":  [ { "id": "DISDIK-KADIS", "name": "Kepala Dinas", "kind": "leadership",
//!                     "job_class": 14, "unit": "DISDIK", "supervisor": "SETDA-SEKDA",
//!                     "analysis": { "summary": "...", "tasks": [ { "id": "...", "name": "...",
//!                       "output": "...", "output_unit": "dokumen", "standard_minutes": 60,
//!                       "volume": { "quantity": "12", "per": "year" } } ] } } ],
//!   "employees":  [ { "nip": "198503152010011001", "name": "...", "rank": "III/a",
//!                     "employment": "PNS" } ],
//!   "assignments":[ { "employee": "198503152010011001", "position": "DISDIK-KADIS",
//!                     "kind": "definitive", "from": "2024-01-01", "until": null } ],
//!   "clock_devices": [ { "id": "FP-DISDIK", "unit": "DISDIK", "kind": "fingerprint",
//!                     "from": "2024-01-01",
//!                     "enrolments": [ { "pin": "17", "employee": "198503152010011001" } ] } ]
//! }
//! ```
//!
//! The JSON Schema is `schema/dataset.schema.json` in the repository.
//!
//! Loading ([`Dataset::from_json`]) reads record by record and field by field, so
//! that one bad NIP does not hide the next hundred problems: every problem found
//! is reported with its record kind, record id and field. Cross-references
//! (unit parents, position units and supervisors, assignment employees and
//! positions), supervision cycles and overlapping definitive assignments are
//! then checked by [`Organisation::new`], and the calendar by
//! [`WorkCalendar::validate`].
//!
//! Reading is strict at every depth: a field the format does not define, in any
//! record or in anything nested in one (the calendar's holidays, periods and
//! schedules, a task's volume, a delegation, a salary...), is a problem with code
//! `unknown_field` naming the record and the field's path (`holidays[3].nmae`), never
//! silently ignored. A misspelt `holiday` would otherwise leave the calendar without
//! holidays, and a misspelt `untill` would make a delegation open-ended.
//!
//! Input is bounded: a dataset text longer than [`MAX_DATASET_BYTES`] (code
//! `too_large`) or nested deeper than [`MAX_DEPTH`] arrays and objects (code
//! `too_deep`) is refused before it is parsed, so no input can exhaust the stack or
//! make the reader allocate without bound.

use std::collections::HashSet;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::access::{Access, Authorities, ClockDevice, Enrolment, Officer, Official};
use crate::activity::Delegation;
use crate::anjab::JobAnalysis;
use crate::calendar::WorkCalendar;
use crate::error::{Problem, ValidationErrors};
use crate::geo::WorkSite;
use crate::org::{Assignment, Employee, Organisation, Position, WorkUnit};
use crate::roster::{RosterEntry, Rosters, ShiftPattern};
use crate::targets::TargetShare;

/// The dataset format version this library reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// The longest dataset text read, in bytes (256 MiB; Banda Aceh's 5,925 employees take
/// about 6 MiB). Longer text is refused with a problem of code `too_large`.
pub const MAX_DATASET_BYTES: usize = 256 * 1024 * 1024;

/// The deepest nesting of JSON arrays and objects a dataset may have (the format itself
/// needs 7). Deeper text is refused with a problem of code `too_deep`. The Python
/// bindings apply the same limit to the objects given to `City.from_dict`.
pub const MAX_DEPTH: usize = 32;

/// The local government the dataset belongs to.
#[doc(alias = "Pemda")]
#[doc(alias = "Pemkot")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Government {
    /// Region code (kode wilayah), e.g. `"1171"` for Kota Banda Aceh.
    pub code: String,
    /// Name, e.g. "Pemerintah Kota Banda Aceh".
    pub name: String,
}

/// A whole city's data, as stored in a dataset file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    /// Format version; see [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Whose data this is.
    pub government: Government,
    /// The work calendar (schedules, holidays, cuti bersama).
    pub calendar: WorkCalendar,
    /// Work units (SKPD/OPD).
    pub units: Vec<WorkUnit>,
    /// Positions with their job analysis.
    pub positions: Vec<Position>,
    /// Employees.
    pub employees: Vec<Employee>,
    /// Assignments of employees to positions.
    pub assignments: Vec<Assignment>,
    /// Verifiers to whom a supervising position delegates verification.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delegations: Vec<Delegation>,
    /// Explicit shares of tasks' annual volumes (instead of the even split).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub target_shares: Vec<TargetShare>,
    /// Monthly salaries from the payroll system (the base of the health contribution).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub salaries: Vec<SalaryRecord>,
    /// Disciplinary sanctions (PP 94/2021) that cut the allowance for their window.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sanctions: Vec<SanctionRecord>,
    /// Employees' PTKP statuses from the payroll system (the TER category of the
    /// `ter_monthly` tax method); optional, and needed only for that method.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tax_statuses: Vec<TaxStatusRecord>,
    /// The regional head and deputy, who verify the top positions (see [`crate::access`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub officials: Vec<Official>,
    /// HR and attendance officers appointed by decree.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub officers: Vec<Officer>,
    /// Attendance machines and the unit sites they serve.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clock_devices: Vec<ClockDevice>,
    /// Work sites with their location and radius, for geofenced phone clock-ins
    /// ([`crate::geo`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub work_sites: Vec<WorkSite>,
    /// Shift patterns of units that work shifts ([`crate::roster`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shift_patterns: Vec<ShiftPattern>,
    /// Roster entries: a shift or a day off per employee and date ([`crate::roster`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rosters: Vec<RosterEntry>,
    /// Employees' bank accounts for the allowance transfer (optional: the payroll
    /// export lists them when the dataset has them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bank_accounts: Vec<BankAccount>,
}

/// An employee's bank account for the allowance transfer, as the payroll system
/// (SIMGAJI) or the regional treasury holds it. Optional: a dataset without bank
/// accounts is complete, and the payroll export then leaves the bank columns empty.
/// At most one per employee.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankAccount {
    /// The employee.
    pub employee: crate::org::Nip,
    /// The account holder's name as the bank has it (it may differ from the
    /// employee's name in the personnel record, e.g. without titles).
    pub name: String,
    /// The bank, e.g. `Bank Aceh Syariah`.
    pub bank: String,
    /// The account number: 6 to 20 digits, kept as text (a leading zero is a digit).
    pub number: String,
}

/// The shortest and longest bank account number accepted, in digits.
pub const BANK_ACCOUNT_DIGITS: std::ops::RangeInclusive<usize> = 6..=20;

impl BankAccount {
    /// What is wrong with this account's own fields, as `(field, code, message)`.
    fn field_problems(&self) -> Vec<(&'static str, &'static str, String)> {
        let mut out = Vec::new();
        if self.name.trim().is_empty() {
            out.push(("name", "missing_value", "the account holder's name is empty".to_string()));
        }
        if self.bank.trim().is_empty() {
            out.push(("bank", "missing_value", "the bank is empty".to_string()));
        }
        let digits = self.number.len();
        if !self.number.bytes().all(|b| b.is_ascii_digit()) || !BANK_ACCOUNT_DIGITS.contains(&digits) {
            out.push((
                "number",
                "invalid_value",
                format!(
                    "an account number is {} to {} digits, nothing else (no space, dot or dash): `{}`",
                    BANK_ACCOUNT_DIGITS.start(),
                    BANK_ACCOUNT_DIGITS.end(),
                    self.number
                ),
            ));
        }
        out
    }
}

/// An employee's monthly salary (gaji pokok plus family allowances) as the
/// payroll system (e.g. SIMGAJI) reports it, from a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalaryRecord {
    /// The employee.
    pub employee: crate::org::Nip,
    /// Monthly salary in rupiah.
    pub salary: crate::Money,
    /// First month it applies from (later records of the same employee supersede it).
    pub from: chrono::NaiveDate,
}

/// An employee's PTKP status (*status Penghasilan Tidak Kena Pajak*) as the payroll
/// system reports it, from a date: PP 58/2023 takes the status at the start of the tax
/// year, so a new record usually starts on 1 January.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxStatusRecord {
    /// The employee.
    pub employee: crate::org::Nip,
    /// The PTKP status, `"TK/0"` .. `"K/3"`.
    pub ptkp: crate::allowance::Ptkp,
    /// First day it applies from (later records of the same employee supersede it).
    pub from: chrono::NaiveDate,
}

/// A disciplinary sanction (hukuman disiplin) with an allowance cut.
#[doc(alias = "hukuman disiplin")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SanctionRecord {
    /// The employee.
    pub employee: crate::org::Nip,
    /// The level, as named in the policy's `allowance.sanctions` table (e.g. `medium`).
    pub level: String,
    /// Effective date (TMT) of the sanction decision.
    pub effective_from: chrono::NaiveDate,
    /// For how many months the cut applies.
    pub months: u32,
    /// The decision's reference (SK number).
    pub reference: String,
}

/// A dataset whose records have been checked and indexed.
#[derive(Clone, Debug)]
pub struct City {
    /// Whose data this is.
    pub government: Government,
    /// The work calendar.
    pub calendar: WorkCalendar,
    /// The organisation, indexed.
    pub organisation: Organisation,
    /// Verification delegations.
    pub delegations: Vec<Delegation>,
    /// Explicit target shares.
    pub target_shares: Vec<TargetShare>,
    /// Salaries from the payroll system.
    pub salaries: Vec<SalaryRecord>,
    /// Disciplinary sanctions.
    pub sanctions: Vec<SanctionRecord>,
    /// PTKP statuses from the payroll system.
    pub tax_statuses: Vec<TaxStatusRecord>,
    /// Officials, officers and clock devices, indexed.
    pub authorities: Authorities,
    /// Work sites for geofenced phone clock-ins.
    pub work_sites: Vec<WorkSite>,
    /// Shift patterns and rosters, indexed.
    pub rosters: Rosters,
    /// Employees' bank accounts (at most one each; often none).
    pub bank_accounts: Vec<BankAccount>,
}

impl City {
    /// What every authorisation check reads: the organisation, the delegations and
    /// the authorities.
    pub fn access(&self) -> Access<'_> {
        Access { org: &self.organisation, delegations: &self.delegations, authorities: &self.authorities }
    }

    /// The work sites that serve `employee` on `date`: those listing the unit of
    /// their definitive position that day (none when they hold no definitive
    /// position, or no site lists the unit: then phone scans are not geofenced).
    pub fn sites_for<'c>(
        &'c self,
        employee: &crate::org::Nip,
        date: chrono::NaiveDate,
    ) -> impl Iterator<Item = &'c WorkSite> + 'c {
        let unit = self
            .organisation
            .definitive_assignment(employee, date)
            .and_then(|a| self.organisation.position(&a.position))
            .map(|p| p.unit.clone());
        self.work_sites.iter().filter(move |s| unit.as_ref().is_some_and(|u| s.units.contains(u)))
    }

    /// The employee's bank account, when the dataset has one.
    pub fn bank_account(&self, employee: &crate::org::Nip) -> Option<&BankAccount> {
        self.bank_accounts.iter().find(|a| &a.employee == employee)
    }

    /// The dataset this city was built from (records in their indexed order).
    pub fn to_dataset(&self) -> Dataset {
        let (officials, officers, clock_devices) = self.authorities.to_lists();
        Dataset {
            schema_version: SCHEMA_VERSION,
            government: self.government.clone(),
            calendar: self.calendar.clone(),
            units: self.organisation.units().to_vec(),
            positions: self.organisation.positions().to_vec(),
            employees: self.organisation.employees().to_vec(),
            assignments: self.organisation.assignments().to_vec(),
            delegations: self.delegations.clone(),
            target_shares: self.target_shares.clone(),
            salaries: self.salaries.clone(),
            sanctions: self.sanctions.clone(),
            tax_statuses: self.tax_statuses.clone(),
            officials,
            officers,
            clock_devices,
            work_sites: self.work_sites.clone(),
            shift_patterns: self.rosters.patterns().to_vec(),
            rosters: self.rosters.entries().to_vec(),
            bank_accounts: self.bank_accounts.clone(),
        }
    }
}

/// Why a dataset could not be loaded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DatasetError {
    /// The text is not JSON at all.
    #[error("dataset is not valid JSON (line {line}, column {column}): {message}")]
    Syntax {
        /// Line of the syntax error.
        line: usize,
        /// Column of the syntax error.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// The JSON was read, but records are wrong; every problem is listed.
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
}

impl Dataset {
    /// Reads a dataset from JSON, checking every record and field and every
    /// cross-reference; returns the checked [`City`] or every problem found.
    ///
    /// Field problems and cross-reference problems are reported together:
    /// records that passed their field checks are still cross-checked.
    pub fn load_city(json: &str) -> Result<City, DatasetError> {
        let (dataset, mut problems, positions) = read(json)?;
        match dataset {
            Some(ds) => match ds.into_city() {
                Ok(city) if problems.is_empty() => Ok(city),
                Ok(_) => Err(ValidationErrors { problems }.into()),
                Err(DatasetError::Invalid(e)) => {
                    problems.extend(e.problems.into_iter().map(|p| positions.renumber(p)));
                    Err(ValidationErrors { problems }.into())
                }
                Err(other) => Err(other),
            },
            None => Err(ValidationErrors { problems }.into()),
        }
    }

    /// Reads a dataset from JSON, reporting every record- and field-level problem
    /// (not cross-references; see [`Dataset::into_city`]).
    pub fn from_json(json: &str) -> Result<Dataset, DatasetError> {
        match read(json)? {
            (Some(ds), problems, _) if problems.is_empty() => Ok(ds),
            (_, problems, _) => Err(ValidationErrors { problems }.into()),
        }
    }

    /// Writes the dataset as pretty JSON.
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks cross-references and the calendar, and indexes the organisation.
    /// Every problem found is reported at once.
    pub fn into_city(self) -> Result<City, DatasetError> {
        let mut problems = self.calendar.validate();
        let org = Organisation::new(self.units, self.positions, self.employees, self.assignments);
        if let Ok(org) = &org {
            for (i, d) in self.delegations.iter().enumerate() {
                let id = format!("#{i}");
                if org.position(&d.position).is_none() {
                    problems.push(Problem::new(
                        "delegation",
                        &id,
                        "position",
                        "unknown_reference",
                        format!("position `{}` does not exist", d.position),
                    ));
                }
                if org.employee(&d.delegate).is_none() {
                    problems.push(Problem::new(
                        "delegation",
                        &id,
                        "delegate",
                        "unknown_reference",
                        format!("employee `{}` does not exist", d.delegate),
                    ));
                }
                if d.until.is_some_and(|u| u < d.from) {
                    problems.push(Problem::new("delegation", &id, "until", "inverted_range", "ends before it starts"));
                }
                if d.reference.trim().is_empty() {
                    problems.push(Problem::new(
                        "delegation",
                        &id,
                        "reference",
                        "missing_reference",
                        "a delegation needs its legal reference (SK)",
                    ));
                }
            }
        }
        if let Ok(org) = &org {
            for (i, r) in self.salaries.iter().enumerate() {
                if org.employee(&r.employee).is_none() {
                    problems.push(Problem::new(
                        "salary",
                        format!("#{i}"),
                        "employee",
                        "unknown_reference",
                        format!("employee `{}` does not exist", r.employee),
                    ));
                }
                if r.salary.is_negative() {
                    problems.push(Problem::new(
                        "salary",
                        format!("#{i}"),
                        "salary",
                        "out_of_range",
                        "a salary cannot be negative",
                    ));
                }
            }
            for (i, r) in self.tax_statuses.iter().enumerate() {
                if org.employee(&r.employee).is_none() {
                    problems.push(Problem::new(
                        "tax_status",
                        format!("#{i}"),
                        "employee",
                        "unknown_reference",
                        format!("employee `{}` does not exist", r.employee),
                    ));
                }
            }
            let mut with_account: HashSet<&str> = HashSet::new();
            for (i, a) in self.bank_accounts.iter().enumerate() {
                let id = format!("#{i}");
                if org.employee(&a.employee).is_none() {
                    problems.push(Problem::new(
                        "bank_account",
                        &id,
                        "employee",
                        "unknown_reference",
                        format!("employee `{}` does not exist", a.employee),
                    ));
                } else if !with_account.insert(a.employee.as_str()) {
                    problems.push(Problem::new(
                        "bank_account",
                        &id,
                        "employee",
                        "duplicate_account",
                        format!("employee `{}` has more than one bank account; at most one is kept", a.employee),
                    ));
                }
                for (field, code, message) in a.field_problems() {
                    problems.push(Problem::new("bank_account", &id, field, code, message));
                }
            }
            for (i, r) in self.sanctions.iter().enumerate() {
                if org.employee(&r.employee).is_none() {
                    problems.push(Problem::new(
                        "sanction",
                        format!("#{i}"),
                        "employee",
                        "unknown_reference",
                        format!("employee `{}` does not exist", r.employee),
                    ));
                }
                if r.months == 0 {
                    problems.push(Problem::new(
                        "sanction",
                        format!("#{i}"),
                        "months",
                        "out_of_range",
                        "a sanction lasts at least one month",
                    ));
                }
                if r.reference.trim().is_empty() {
                    problems.push(Problem::new(
                        "sanction",
                        format!("#{i}"),
                        "reference",
                        "missing_reference",
                        "a sanction needs its decision's reference (SK)",
                    ));
                }
            }
        }
        for (i, site) in self.work_sites.iter().enumerate() {
            site.problems(i, &mut problems);
            if let Ok(org) = &org {
                for (j, u) in site.units.iter().enumerate() {
                    if org.unit(u).is_none() {
                        problems.push(Problem::new(
                            "work_site",
                            &site.id,
                            format!("units[{j}]"),
                            "unknown_reference",
                            format!("unit `{u}` does not exist"),
                        ));
                    }
                }
            }
            if self.work_sites[..i].iter().any(|o| o.id == site.id) {
                problems.push(Problem::new(
                    "work_site",
                    &site.id,
                    "id",
                    "duplicate_id",
                    format!("work site `{}` is listed twice", site.id),
                ));
            }
        }
        if let Ok(org) = &org {
            for (i, r) in self.rosters.iter().enumerate() {
                if org.employee(&r.employee).is_none() {
                    problems.push(Problem::new(
                        "roster",
                        format!("#{i}"),
                        "employee",
                        "unknown_reference",
                        format!("employee `{}` does not exist", r.employee),
                    ));
                }
            }
        }
        let rosters = match Rosters::new(self.shift_patterns, self.rosters) {
            Ok(r) => Some(r),
            Err(p) => {
                problems.extend(p);
                None
            }
        };
        let authorities = match &org {
            Ok(org) => match Authorities::new(self.officials, self.officers, self.clock_devices, org) {
                Ok(a) => Some(a),
                Err(e) => {
                    problems.extend(e.problems);
                    None
                }
            },
            Err(_) => None,
        };
        match (org, authorities) {
            (Ok(organisation), Some(authorities)) if problems.is_empty() && rosters.is_some() => Ok(City {
                government: self.government,
                calendar: self.calendar,
                organisation,
                delegations: self.delegations,
                target_shares: self.target_shares,
                salaries: self.salaries,
                sanctions: self.sanctions,
                tax_statuses: self.tax_statuses,
                authorities,
                work_sites: self.work_sites,
                rosters: rosters.unwrap_or_default(),
                bank_accounts: self.bank_accounts,
            }),
            (Ok(_), _) => Err(ValidationErrors { problems }.into()),
            (Err(e), _) => {
                problems.extend(e.problems);
                Err(ValidationErrors { problems }.into())
            }
        }
    }
}

/// Parses the JSON and reads every record; returns the records that passed
/// their field checks (when the dataset's frame could be read) and every problem.
fn read(json: &str) -> Result<(Option<Dataset>, Vec<Problem>, FilePositions), DatasetError> {
    check_bounds(json)?;
    let root: Value = serde_json::from_str(json).map_err(|e| DatasetError::Syntax {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let mut problems = Vec::new();
    let mut positions = FilePositions::default();
    let ds = read_dataset(&root, &mut problems, &mut positions);
    Ok((ds, problems, positions))
}

/// Where each record kept in the lists numbered `#i` (delegations, target shares,
/// salaries, sanctions) sits in the file. Records refused by their field checks are
/// left out of the [`Dataset`], so [`Dataset::into_city`] numbers the rest by their
/// place in the kept list; [`Dataset::load_city`] turns those numbers back into the
/// file's, so that every problem names the record the data officer sees.
#[derive(Default)]
struct FilePositions {
    lists: Vec<(&'static str, Vec<usize>)>,
}

impl FilePositions {
    /// Keeps the records of `list` that pass `keep`, remembering their file positions.
    fn keep<T>(&mut self, record: &'static str, list: Vec<(usize, T)>, keep: impl Fn(&T) -> bool) -> Vec<T> {
        let (at, kept): (Vec<usize>, Vec<T>) = list.into_iter().filter(|(_, t)| keep(t)).unzip();
        self.lists.push((record, at));
        kept
    }

    /// The problem with its `#i` id turned into the record's position in the file.
    fn renumber(&self, mut p: Problem) -> Problem {
        let at = self.lists.iter().find(|(r, _)| *r == p.record).map(|(_, at)| at);
        if let (Some(at), Some(i)) = (at, p.id.strip_prefix('#').and_then(|i| i.parse::<usize>().ok()))
            && let Some(file) = at.get(i)
        {
            p.id = format!("#{file}");
        }
        p
    }
}

/// Refuses text longer than [`MAX_DATASET_BYTES`] or nested deeper than [`MAX_DEPTH`],
/// before any parsing (one pass over the bytes, no allocation).
fn check_bounds(json: &str) -> Result<(), DatasetError> {
    let refuse = |code: &str, message: String| -> DatasetError {
        ValidationErrors { problems: vec![Problem::new("dataset", "", "", code, message)] }.into()
    };
    if json.len() > MAX_DATASET_BYTES {
        return Err(refuse(
            "too_large",
            format!("the dataset is {} bytes long; at most {MAX_DATASET_BYTES} bytes are read", json.len()),
        ));
    }
    if let Some((line, column)) = too_deep(json.as_bytes(), MAX_DEPTH) {
        return Err(refuse(
            "too_deep",
            format!(
                "arrays and objects are nested more than {MAX_DEPTH} levels deep (line {line}, column {column}); \
                 a dataset needs at most 7"
            ),
        ));
    }
    Ok(())
}

/// The line and column (1-based) of the first `[` or `{` that opens level `limit + 1`,
/// outside strings; `None` when the text never nests that deep. Malformed text is left
/// to the parser.
pub(crate) fn too_deep(text: &[u8], limit: usize) -> Option<(usize, usize)> {
    let (mut depth, mut line, mut column) = (0usize, 1usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for &b in text {
        column += 1;
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some((line, column));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => {
                line += 1;
                column = 0;
            }
            _ => {}
        }
    }
    None
}

/// Deserialises `value` strictly: every field the target type does not define, at any
/// depth, is returned by its path (`holidays[3].nmae`) instead of being ignored.
fn strict<T: DeserializeOwned>(value: &Value) -> Result<(T, Vec<String>), serde_json::Error> {
    let mut unknown = Vec::new();
    let t = serde_ignored::deserialize(value, |path| unknown.push(path_text(&path)))?;
    Ok((t, unknown))
}

/// A path as `a.b[2].c` (serde_ignored writes `a.b.2.c`).
fn path_text(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}[{index}]", path_text(parent)),
        Path::Map { parent, key } => {
            let p = path_text(parent);
            if p.is_empty() { key.clone() } else { format!("{p}.{key}") }
        }
        Path::Some { parent } | Path::NewtypeStruct { parent } | Path::NewtypeVariant { parent } => path_text(parent),
    }
}

/// Reads the fields of one JSON object, recording a problem for each missing,
/// malformed or unknown field, with the record's kind and id.
struct RecordReader<'a, 'p> {
    record: &'static str,
    id: String,
    obj: &'a Map<String, Value>,
    known: Vec<&'static str>,
    ok: bool,
    problems: &'p mut Vec<Problem>,
}

impl<'a, 'p> RecordReader<'a, 'p> {
    fn new(
        record: &'static str,
        value: &'a Value,
        id_field: &str,
        position: usize,
        problems: &'p mut Vec<Problem>,
    ) -> Option<Self> {
        let Some(obj) = value.as_object() else {
            problems.push(Problem::new(record, format!("#{position}"), "", "not_an_object", "expected a JSON object"));
            return None;
        };
        let id = match obj.get(id_field) {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            _ => format!("#{position}"),
        };
        Some(RecordReader { record, id, obj, known: Vec::new(), ok: true, problems })
    }

    fn problem(&mut self, field: &str, code: &str, message: String) {
        self.ok = false;
        self.problems.push(Problem::new(self.record, self.id.clone(), field, code, message));
    }

    /// A required field.
    fn req<T: DeserializeOwned>(&mut self, field: &'static str) -> Option<T> {
        self.known.push(field);
        match self.obj.get(field) {
            None | Some(Value::Null) => {
                self.problem(field, "missing_field", format!("required field `{field}` is missing"));
                None
            }
            Some(v) => self.convert(field, v),
        }
    }

    /// An optional field (absent or null gives `None`).
    fn opt<T: DeserializeOwned>(&mut self, field: &'static str) -> Option<Option<T>> {
        self.known.push(field);
        match self.obj.get(field) {
            None | Some(Value::Null) => Some(None),
            Some(v) => self.convert(field, v).map(Some),
        }
    }

    /// Reads a field's value strictly: unknown fields nested in it are problems too
    /// (the value is still returned, so that cross-checks can go on).
    fn convert<T: DeserializeOwned>(&mut self, field: &str, v: &Value) -> Option<T> {
        match strict(v) {
            Ok((t, unknown)) => {
                for path in unknown {
                    let message = format!("unknown field `{path}` in `{field}`");
                    self.problem(&format!("{field}.{path}"), "unknown_field", message);
                }
                Some(t)
            }
            Err(e) => {
                self.problem(field, "invalid_value", e.to_string());
                None
            }
        }
    }

    /// The raw value of a field read by hand (recorded as known).
    fn raw(&mut self, field: &'static str) -> Option<&'a Value> {
        self.known.push(field);
        self.obj.get(field).filter(|v| !v.is_null())
    }

    /// Reports unknown fields; true when every field read was valid.
    fn finish(self) -> bool {
        let mut ok = self.ok;
        for key in self.obj.keys() {
            if !self.known.contains(&key.as_str()) {
                ok = false;
                self.problems.push(Problem::new(
                    self.record,
                    self.id.clone(),
                    key.clone(),
                    "unknown_field",
                    format!("unknown field `{key}`"),
                ));
            }
        }
        ok
    }
}

fn read_list<T>(
    root: &Map<String, Value>,
    field: &'static str,
    problems: &mut Vec<Problem>,
    mut read: impl FnMut(&Value, usize, &mut Vec<Problem>) -> Option<T>,
) -> Vec<T> {
    match root.get(field) {
        None | Some(Value::Null) => {
            problems.push(Problem::new("dataset", "", field, "missing_field", format!("`{field}` is missing")));
            Vec::new()
        }
        Some(Value::Array(items)) => items.iter().enumerate().filter_map(|(i, v)| read(v, i, problems)).collect(),
        Some(_) => {
            problems.push(Problem::new("dataset", "", field, "invalid_value", format!("`{field}` must be an array")));
            Vec::new()
        }
    }
}

fn read_dataset(root: &Value, problems: &mut Vec<Problem>, at: &mut FilePositions) -> Option<Dataset> {
    let Some(obj) = root.as_object() else {
        problems.push(Problem::new("dataset", "", "", "not_an_object", "the dataset must be a JSON object"));
        return None;
    };
    let mut top = RecordReader { record: "dataset", id: String::new(), obj, known: Vec::new(), ok: true, problems };
    let schema_version: Option<u32> = top.req("schema_version");
    if let Some(v) = schema_version
        && v != SCHEMA_VERSION
    {
        top.problem(
            "schema_version",
            "unsupported_version",
            format!("schema version {v} is not supported; this library reads version {SCHEMA_VERSION}"),
        );
    }
    let government_raw = top.raw("government");
    let calendar_raw = top.raw("calendar");
    for f in [
        "units",
        "positions",
        "employees",
        "assignments",
        "delegations",
        "target_shares",
        "salaries",
        "sanctions",
        "tax_statuses",
        "officials",
        "officers",
        "clock_devices",
        "work_sites",
        "shift_patterns",
        "rosters",
        "bank_accounts",
    ] {
        top.known.push(f);
    }
    top.known.push("$schema");
    let top_ok = top.finish();
    let missing = |field: &str| {
        Problem::new("dataset", "", field, "missing_field", format!("required field `{field}` is missing"))
    };
    let government = match government_raw {
        None => {
            problems.push(missing("government"));
            None
        }
        Some(v) => RecordReader::new("government", v, "code", 0, problems).and_then(|mut r| {
            let (code, name) = (r.req("code"), r.req("name"));
            let ok = r.finish();
            // An unknown field is reported; the government is still used for cross-checks.
            let _ = ok;
            Some(Government { code: code?, name: name? })
        }),
    };
    let calendar = match calendar_raw {
        None => {
            problems.push(missing("calendar"));
            None
        }
        Some(v) => read_calendar(v, problems),
    };

    // Ids of records that failed field checks: references to them are not
    // reported again (the record's own problem says what is wrong).
    let mut dropped: HashSet<String> = HashSet::new();

    let units = read_list(obj, "units", problems, |v, i, p| {
        let mut r = RecordReader::new("unit", v, "id", i, p)?;
        let (id, name, parent) = (r.req("id"), r.req("name"), r.opt("parent"));
        let unit = (|| Some(WorkUnit { id: id?, name: name?, parent: parent? }))();
        let id = r.id.clone();
        keep(unit, r.finish(), id, &mut dropped)
    });
    let positions = read_list(obj, "positions", problems, |v, i, p| read_position(v, i, p, &mut dropped));
    let employees = read_list(obj, "employees", problems, |v, i, p| {
        let mut r = RecordReader::new("employee", v, "nip", i, p)?;
        let nip = r.req("nip");
        let name = r.req("name");
        let rank = r.req("rank");
        let employment = r.req("employment");
        let rank_since = r.opt("rank_since");
        let e = (|| {
            Some(Employee { nip: nip?, name: name?, rank: rank?, employment: employment?, rank_since: rank_since? })
        })();
        let id = r.id.clone();
        keep(e, r.finish(), id, &mut dropped)
    });
    // Positions hanging under a refused unit or position are left out too, transitively.
    let mut positions = positions;
    loop {
        let before = positions.len();
        positions.retain(|p| {
            let orphan = dropped.contains(p.unit.as_str())
                || p.supervisor.as_ref().is_some_and(|s| dropped.contains(s.as_str()));
            if orphan {
                dropped.insert(p.id.to_string());
            }
            !orphan
        });
        if positions.len() == before {
            break;
        }
    }
    let assignments = read_list(obj, "assignments", problems, |v, i, p| {
        // An assignment naming a record that was itself refused is left out
        // silently: the record's own problem says what is wrong.
        let names_dropped = |field: &str| v.get(field).and_then(Value::as_str).is_some_and(|s| dropped.contains(s));
        if names_dropped("employee") || names_dropped("position") {
            return None;
        }
        let mut r = RecordReader::new("assignment", v, "employee", i, p)?;
        let employee = r.req("employee");
        let position = r.req("position");
        let kind = r.req("kind");
        let from = r.req("from");
        let until = r.opt("until");
        let a = (|| {
            Some(Assignment { employee: employee?, position: position?, kind: kind?, from: from?, until: until? })
        })();
        if r.finish() { a } else { None }
    });

    let delegations = read_optional_list(obj, "delegations", problems, |v, i, p| {
        let mut r = RecordReader::new("delegation", v, "", i, p)?;
        let (position, delegate, from) = (r.req("position"), r.req("delegate"), r.req("from"));
        let (until, reference) = (r.opt("until"), r.req("reference"));
        let d = (|| {
            Some(Delegation {
                position: position?,
                delegate: delegate?,
                from: from?,
                until: until?,
                reference: reference?,
            })
        })();
        if r.finish() { d.map(|d| (i, d)) } else { None }
    });
    let target_shares = read_optional_list(obj, "target_shares", problems, |v, i, p| {
        let mut r = RecordReader::new("target_share", v, "", i, p)?;
        let (employee, task, share) = (r.req("employee"), r.req("task"), r.req("share"));
        let t = (|| Some(TargetShare { employee: employee?, task: task?, share: share? }))();
        if r.finish() { t.map(|t| (i, t)) } else { None }
    });
    let salaries = read_optional_list(obj, "salaries", problems, |v, i, p| {
        let mut r = RecordReader::new("salary", v, "", i, p)?;
        let (employee, salary, from) = (r.req("employee"), r.req("salary"), r.req("from"));
        let s = (|| Some(SalaryRecord { employee: employee?, salary: salary?, from: from? }))();
        if r.finish() { s.map(|s| (i, s)) } else { None }
    });
    let bank_accounts = read_optional_list(obj, "bank_accounts", problems, |v, i, p| {
        let mut r = RecordReader::new("bank_account", v, "", i, p)?;
        let (employee, name, bank, number) = (r.req("employee"), r.req("name"), r.req("bank"), r.req("number"));
        let a = (|| Some(BankAccount { employee: employee?, name: name?, bank: bank?, number: number? }))();
        if r.finish() { a.map(|a| (i, a)) } else { None }
    });
    let sanctions = read_optional_list(obj, "sanctions", problems, |v, i, p| {
        let mut r = RecordReader::new("sanction", v, "", i, p)?;
        let (employee, level, effective_from) = (r.req("employee"), r.req("level"), r.req("effective_from"));
        let (months, reference) = (r.req("months"), r.req("reference"));
        let s = (|| {
            Some(SanctionRecord {
                employee: employee?,
                level: level?,
                effective_from: effective_from?,
                months: months?,
                reference: reference?,
            })
        })();
        if r.finish() { s.map(|s| (i, s)) } else { None }
    });
    let tax_statuses = read_optional_list(obj, "tax_statuses", problems, |v, i, p| {
        let mut r = RecordReader::new("tax_status", v, "", i, p)?;
        let (employee, ptkp, from) = (r.req("employee"), r.req("ptkp"), r.req("from"));
        let s = (|| Some(TaxStatusRecord { employee: employee?, ptkp: ptkp?, from: from? }))();
        if r.finish() { s.map(|s| (i, s)) } else { None }
    });

    let officials = read_optional_list(obj, "officials", problems, |v, i, p| {
        let mut r = RecordReader::new("official", v, "id", i, p)?;
        let (id, name, office, from) = (r.req("id"), r.req("name"), r.req("office"), r.req("from"));
        let (until, verifies, reference) = (r.opt("until"), r.opt("verifies"), r.req("reference"));
        let o = (|| {
            Some(Official {
                id: id?,
                name: name?,
                office: office?,
                from: from?,
                until: until?,
                verifies: verifies?.unwrap_or_default(),
                reference: reference?,
            })
        })();
        if r.finish() { o } else { None }
    });
    let officers = read_optional_list(obj, "officers", problems, |v, i, p| {
        let mut r = RecordReader::new("officer", v, "", i, p)?;
        let (employee, role, unit, from) = (r.req("employee"), r.req("role"), r.opt("unit"), r.req("from"));
        let (until, reference) = (r.opt("until"), r.req("reference"));
        let o = (|| {
            Some(Officer {
                employee: employee?,
                role: role?,
                unit: unit?,
                from: from?,
                until: until?,
                reference: reference?,
            })
        })();
        if r.finish() { o.map(|o| (i, o)) } else { None }
    });
    let clock_devices = read_optional_list(obj, "clock_devices", problems, |v, i, p| {
        let mut r = RecordReader::new("clock_device", v, "id", i, p)?;
        let (id, unit, kind, from, until) = (r.req("id"), r.req("unit"), r.req("kind"), r.req("from"), r.opt("until"));
        let enrolments: Option<Option<Vec<Enrolment>>> = r.opt("enrolments");
        let d = (|| {
            Some(ClockDevice {
                id: id?,
                unit: unit?,
                kind: kind?,
                from: from?,
                until: until?,
                enrolments: enrolments?.unwrap_or_default(),
            })
        })();
        if r.finish() { d } else { None }
    });

    let work_sites = read_records::<WorkSite>(obj, "work_sites", "work_site", "id", problems);
    let shift_patterns = read_records::<ShiftPattern>(obj, "shift_patterns", "shift_pattern", "code", problems);
    let rosters = read_records::<RosterEntry>(obj, "rosters", "roster", "", problems);

    // The frame (version, government, calendar) must be readable for the
    // records to be cross-checked; unknown fields do not prevent it.
    let _ = top_ok;
    Some(Dataset {
        schema_version: schema_version?,
        government: government?,
        calendar: calendar?,
        units,
        positions,
        employees,
        assignments,
        // Records naming a refused employee or position are left out silently.
        delegations: at.keep("delegation", delegations, |d| {
            !dropped.contains(d.delegate.as_str()) && !dropped.contains(d.position.as_str())
        }),
        target_shares: at.keep("target_share", target_shares, |t| !dropped.contains(t.employee.as_str())),
        salaries: at.keep("salary", salaries, |r| !dropped.contains(r.employee.as_str())),
        sanctions: at.keep("sanction", sanctions, |r| !dropped.contains(r.employee.as_str())),
        tax_statuses: at.keep("tax_status", tax_statuses, |r| !dropped.contains(r.employee.as_str())),
        bank_accounts: at.keep("bank_account", bank_accounts, |r| !dropped.contains(r.employee.as_str())),
        // References to refused records are dropped silently here too.
        officials: officials
            .into_iter()
            .map(|mut o| {
                o.verifies.retain(|p| !dropped.contains(p.as_str()));
                o
            })
            .collect(),
        officers: at.keep("officer", officers, |o| {
            !dropped.contains(o.employee.as_str()) && o.unit.as_ref().is_none_or(|u| !dropped.contains(u.as_str()))
        }),
        // Enrolments of a refused employee are dropped silently too.
        clock_devices: clock_devices
            .into_iter()
            .filter(|d| !dropped.contains(d.unit.as_str()))
            .map(|mut d| {
                d.enrolments.retain(|e| !dropped.contains(e.employee.as_str()));
                d
            })
            .collect(),
        work_sites,
        shift_patterns,
        // Roster entries of a refused employee are dropped silently too.
        rosters: rosters.into_iter().filter(|r| !dropped.contains(r.employee.as_str())).collect(),
    })
}

/// Reads an optional list of records whole and strictly (each record one value of
/// `T`): a record that cannot be read is a problem of `record` (id: its `id_field`,
/// or `#i`) and is left out; an unknown field is a problem naming it.
fn read_records<T: DeserializeOwned>(
    obj: &Map<String, Value>,
    field: &'static str,
    record: &'static str,
    id_field: &str,
    problems: &mut Vec<Problem>,
) -> Vec<T> {
    read_optional_list(obj, field, problems, |v, i, p| {
        let id = v.get(id_field).and_then(Value::as_str).map_or_else(|| format!("#{i}"), str::to_string);
        match strict::<T>(v) {
            Ok((t, unknown)) => {
                for path in unknown {
                    let message = format!("unknown field `{path}`");
                    p.push(Problem::new(record, &id, path, "unknown_field", message));
                }
                Some(t)
            }
            Err(e) => {
                p.push(Problem::new(record, &id, "", "invalid_value", e.to_string()));
                None
            }
        }
    })
}

/// Reads the calendar strictly: every unknown field at any depth is a problem of the
/// record `calendar` (id: its name) naming the field's path, e.g. `holiday` or
/// `periods[0].week.mon.strat`.
fn read_calendar(v: &Value, problems: &mut Vec<Problem>) -> Option<WorkCalendar> {
    let id = v.get("name").and_then(Value::as_str).unwrap_or_default();
    match strict::<WorkCalendar>(v) {
        Ok((calendar, unknown)) => {
            for path in unknown {
                let message = format!("unknown field `{path}`");
                problems.push(Problem::new("calendar", id, path, "unknown_field", message));
            }
            Some(calendar)
        }
        Err(e) => {
            problems.push(Problem::new("dataset", "", "calendar", "invalid_value", e.to_string()));
            None
        }
    }
}

/// An optional list of records (absent or null: empty).
fn read_optional_list<T>(
    root: &Map<String, Value>,
    field: &'static str,
    problems: &mut Vec<Problem>,
    read: impl FnMut(&Value, usize, &mut Vec<Problem>) -> Option<T>,
) -> Vec<T> {
    match root.get(field) {
        None | Some(Value::Null) => Vec::new(),
        Some(_) => read_list(root, field, problems, read),
    }
}

fn keep<T>(value: Option<T>, ok: bool, id: String, dropped: &mut HashSet<String>) -> Option<T> {
    match value {
        Some(v) if ok => Some(v),
        _ => {
            dropped.insert(id);
            None
        }
    }
}

fn read_position(v: &Value, i: usize, p: &mut Vec<Problem>, dropped: &mut HashSet<String>) -> Option<Position> {
    let mut r = RecordReader::new("position", v, "id", i, p)?;
    let id = r.req("id");
    let name = r.req("name");
    let kind = r.req("kind");
    let job_class = r.req("job_class");
    let unit = r.req("unit");
    let supervisor = r.opt("supervisor");
    let analysis_raw = r.raw("analysis");
    let pos_id = r.id.clone();
    let ok = r.finish();
    let analysis = match analysis_raw {
        None => Some(JobAnalysis::default()),
        Some(a) => read_analysis(a, &pos_id, p),
    };
    let pos = (|| {
        Some(Position {
            id: id?,
            name: name?,
            kind: kind?,
            job_class: job_class?,
            unit: unit?,
            supervisor: supervisor?,
            analysis: analysis?,
        })
    })();
    keep(pos, ok, pos_id, dropped)
}

fn read_analysis(v: &Value, position: &str, p: &mut Vec<Problem>) -> Option<JobAnalysis> {
    let mut r = RecordReader::new("job_analysis", v, "", 0, p)?;
    r.id = position.to_string();
    let summary: Option<Option<String>> = r.opt("summary");
    let mut lists: [Option<Option<Vec<String>>>; 7] = Default::default();
    const LISTS: [&str; 7] =
        ["materials", "tools", "responsibilities", "authority", "working_conditions", "hazards", "requirements"];
    for (slot, f) in lists.iter_mut().zip(LISTS) {
        *slot = r.opt(f);
    }
    let tasks_raw = r.raw("tasks");
    let ok = r.finish();
    let mut tasks = Vec::new();
    let mut tasks_ok = true;
    match tasks_raw {
        None => {}
        Some(Value::Array(items)) => {
            for (i, t) in items.iter().enumerate() {
                let Some(mut tr) = RecordReader::new("task", t, "id", i, p) else {
                    tasks_ok = false;
                    continue;
                };
                let (id, name, output) = (tr.req("id"), tr.req("name"), tr.req("output"));
                let (output_unit, standard_minutes, volume) =
                    (tr.req("output_unit"), tr.req("standard_minutes"), tr.req("volume"));
                let group = tr.opt("group");
                let task = (|| {
                    Some(crate::anjab::Task {
                        id: id?,
                        name: name?,
                        output: output?,
                        output_unit: output_unit?,
                        standard_minutes: standard_minutes?,
                        volume: volume?,
                        group: group?,
                    })
                })();
                let tok = tr.finish();
                match task {
                    Some(t) if tok => tasks.push(t),
                    _ => tasks_ok = false,
                }
            }
        }
        Some(_) => {
            p.push(Problem::new("position", position, "analysis.tasks", "invalid_value", "`tasks` must be an array"));
            tasks_ok = false;
        }
    }
    if !ok || !tasks_ok {
        return None;
    }
    let [materials, tools, responsibilities, authority, working_conditions, hazards, requirements] =
        lists.map(|l| l.flatten().unwrap_or_default());
    Some(JobAnalysis {
        summary: summary.flatten().unwrap_or_default(),
        materials,
        tools,
        responsibilities,
        authority,
        working_conditions,
        hazards,
        requirements,
        tasks,
    })
}
