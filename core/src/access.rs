//! Who may do what: the actors of a city's record and the checks behind the
//! authorisation matrix.
//!
//! Every command on a month's [ledger](crate::ledger) names its **actor**, and the
//! core decides whether that actor may issue it; no front end decides it for
//! itself. The full matrix (command x actor, with its rule and legal basis) is
//! `docs/authorisation.md`; this module holds the people and machines it speaks of
//! and the checks it is built from.
//!
//! # Actors
//!
//! An actor is written as text ([`ActorId`]):
//!
//! | form | who | example |
//! |---|---|---|
//! | 18 digits | an employee (ASN) of the dataset, by NIP | `199001012020012001` |
//! | `official:ID` | a regional head or deputy ([`Official`]); not civil servants, so not NIPs | `official:WALIKOTA` |
//! | `device:ID` | an attendance machine ([`ClockDevice`]) | `device:FP-DINKES-01` |
//!
//! # Roles come from the data
//!
//! * **The employee** themselves, while **in service**: someone with an
//!   assignment (definitive, Plt or Plh) covering the day of the act. A former
//!   employee, retired or transferred out, may do nothing; their past record stays.
//! * **The supervisor chain**: see [`crate::org`] and
//!   [`crate::activity::authorise_verifier`]. The supervising position is the one in
//!   charge on the **work date**; who speaks for it (its holder, Plt, Plh, or a
//!   delegate) is judged on the **decision date**, so an acting period or a
//!   delegation that has ended no longer entitles anyone.
//! * **Officials** ([`Official`]): the regional head (*kepala daerah*) and deputy
//!   (*wakil kepala daerah*), in office over a date range, verify the work of the
//!   top positions they are named for (the regional secretary, *Sekda*, reports to
//!   the regional head; PP 30/2019 names the head of region as the assessor of the
//!   Sekda).
//! * **Officers** ([`Officer`]): employees named by decree (*SK*) for a role over a
//!   date range: **HR officers** (*BKPSDM*) record absences on evidence, declare
//!   ceremonies and close and reopen months; **attendance officers** of a work unit
//!   record its roll calls.
//! * **Clock devices** ([`ClockDevice`]): a fingerprint or face reader installed at
//!   a work unit's site may send clock events only for the employees of that unit
//!   (and of its sub-units) and only of its own kind. Who is enrolled on it under
//!   which PIN ([`Enrolment`]) is what its log is read with ([`crate::import::clock`]).

use rustc_hash::FxHashMap as HashMap;
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Problem, ValidationErrors};
use crate::ids::{PositionId, UnitId};
use crate::org::{Nip, NotAuthorised, Organisation};

macro_rules! text_id {
    ($(#[$m:meta])* $name:ident, $what:literal) => {
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// An id the crate builds itself from valid parts (no check).
            #[allow(dead_code)]
            pub(crate) fn trusted(text: &str) -> Self {
                $name(text.to_string())
            }

            /// Checks an id: 1 to 64 characters, ASCII letters, digits, `-`, `_` and `.`.
            pub fn new(text: &str) -> Result<Self, String> {
                let ok = !text.is_empty()
                    && text.len() <= 64
                    && text.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
                if ok {
                    Ok($name(text.to_string()))
                } else {
                    Err(format!(
                        concat!("`{}` is not a valid ", $what, " id (1-64 letters, digits, `-`, `_`, `.`)"),
                        text
                    ))
                }
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                $name::new(&s)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_id!(
    /// Id of an [`Official`] (regional head or deputy), e.g. `WALIKOTA`.
    OfficialId,
    "official"
);
text_id!(
    /// Id of a [`ClockDevice`], e.g. `FP-DINKES-01`.
    DeviceId,
    "device"
);

/// Who issues a command. Written as text: a NIP, `official:ID` or `device:ID`
/// (see the [module docs](self)).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ActorId {
    /// An employee, by NIP.
    Employee(Nip),
    /// A regional head or deputy.
    Official(OfficialId),
    /// An attendance machine.
    Device(DeviceId),
}

impl ActorId {
    /// The employee's NIP when the actor is an employee.
    pub fn nip(&self) -> Option<&Nip> {
        match self {
            ActorId::Employee(n) => Some(n),
            _ => None,
        }
    }

    /// True when the actor is the employee `nip`.
    pub fn is(&self, nip: &Nip) -> bool {
        self.nip() == Some(nip)
    }

    /// The kind of actor as snake_case text: `employee`, `official` or `device`.
    pub fn kind(&self) -> &'static str {
        match self {
            ActorId::Employee(_) => "employee",
            ActorId::Official(_) => "official",
            ActorId::Device(_) => "device",
        }
    }
}

impl From<Nip> for ActorId {
    fn from(n: Nip) -> Self {
        ActorId::Employee(n)
    }
}

impl From<&Nip> for ActorId {
    fn from(n: &Nip) -> Self {
        ActorId::Employee(n.clone())
    }
}

impl PartialEq<Nip> for ActorId {
    fn eq(&self, other: &Nip) -> bool {
        self.is(other)
    }
}

impl fmt::Display for ActorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActorId::Employee(n) => f.write_str(n.as_str()),
            ActorId::Official(id) => write!(f, "official:{id}"),
            ActorId::Device(id) => write!(f, "device:{id}"),
        }
    }
}

impl FromStr for ActorId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if let Some(id) = s.strip_prefix("official:") {
            return OfficialId::new(id).map(ActorId::Official);
        }
        if let Some(id) = s.strip_prefix("device:") {
            return DeviceId::new(id).map(ActorId::Device);
        }
        Nip::parse(s)
            .map(ActorId::Employee)
            .map_err(|e| format!("`{s}` is not an actor: expected a NIP, `official:ID` or `device:ID` ({e})"))
    }
}

impl Serialize for ActorId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ActorId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The office an [`Official`] holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Office {
    /// *Kepala daerah*: mayor (*wali kota*) or regent (*bupati*).
    #[doc(alias = "kepala daerah")]
    RegionalHead,
    /// *Wakil kepala daerah*: deputy mayor or deputy regent.
    #[doc(alias = "wakil kepala daerah")]
    DeputyHead,
}

/// A regional head or deputy: elected, not a civil servant, so identified by an
/// id of the dataset's own ([`OfficialId`]), never a NIP.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Official {
    /// The id (`official:ID` as an actor).
    pub id: OfficialId,
    /// Full name.
    pub name: String,
    /// Which office.
    pub office: Office,
    /// First day in office.
    pub from: NaiveDate,
    /// Last day in office, inclusive; `None` = still in office.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    /// The top positions (no supervising position) whose holders' work this
    /// official verifies, e.g. the regional secretary.
    #[serde(default)]
    pub verifies: Vec<PositionId>,
    /// The appointment's reference (e.g. the Minister of Home Affairs' decree).
    pub reference: String,
}

impl Official {
    /// True when in office on `date`.
    pub fn in_office(&self, date: NaiveDate) -> bool {
        self.from <= date && self.until.is_none_or(|u| date <= u)
    }
}

/// The role an [`Officer`] is appointed to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfficerRole {
    /// Human-resources officer (*BKPSDM*): records absences on evidence, declares
    /// ceremonies, closes and reopens months. City-wide.
    #[doc(alias = "BKPSDM")]
    Hr,
    /// Attendance officer of a work unit: records its roll calls (*apel*).
    Attendance,
    /// Budget and planning officer (*BPKD*, *Bappeda*): records the units' budgets
    /// (DPA: ceilings, disbursement plans, monthly realisation and physical
    /// progress) and their strategic and work plans (Renstra, Renja). City-wide.
    #[doc(alias = "BPKD")]
    #[doc(alias = "Bappeda")]
    Finance,
    /// Member of the awards panel (*tim penilai*): scores the nominations for Best
    /// Service and Best Innovative. City-wide.
    AwardPanel,
}

impl OfficerRole {
    /// The role as snake_case text.
    pub fn as_str(self) -> &'static str {
        match self {
            OfficerRole::Hr => "hr",
            OfficerRole::Attendance => "attendance",
            OfficerRole::Finance => "finance",
            OfficerRole::AwardPanel => "award_panel",
        }
    }
}

/// An employee appointed to an officer's role by decree, over a date range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Officer {
    /// The employee.
    pub employee: Nip,
    /// The role.
    pub role: OfficerRole,
    /// The work unit an attendance officer serves (with its sub-units); `None`
    /// for HR officers, who serve the whole city.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<UnitId>,
    /// First day.
    pub from: NaiveDate,
    /// Last day, inclusive; `None` = open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    /// The appointing decree (SK).
    pub reference: String,
}

impl Officer {
    /// True when appointed on `date`.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.from <= date && self.until.is_none_or(|u| date <= u)
    }
}

/// The kind of an attendance machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceKind {
    /// A fingerprint reader.
    Fingerprint,
    /// A face-recognition terminal.
    Face,
}

/// An attendance machine installed at a work unit's site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockDevice {
    /// The id (`device:ID` as an actor).
    pub id: DeviceId,
    /// The work unit whose site it serves (with its sub-units).
    pub unit: UnitId,
    /// Fingerprint or face.
    pub kind: DeviceKind,
    /// First day in service.
    pub from: NaiveDate,
    /// Last day in service, inclusive; `None` = open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    /// Who is enrolled on the machine under which number (*PIN*, *AC-No.*): what a
    /// machine's log names people by. Read by the log import
    /// ([`crate::import::clock`]); optional (a log that names people by NIP needs none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enrolments: Vec<Enrolment>,
}

impl ClockDevice {
    /// True when in service on `date`.
    pub fn in_service(&self, date: NaiveDate) -> bool {
        self.from <= date && self.until.is_none_or(|u| date <= u)
    }
}

/// One person enrolled on an attendance machine: the machine's number for them
/// (*PIN*, *AC-No.*, *No. ID*; what its log prints) and their NIP.
///
/// The PIN is 1 to 24 ASCII letters or digits. Numbers are compared as numbers
/// (`007` is `7`) and letters without regard to case ([`canonical_pin`]), so a log
/// that pads or strips zeros still matches; two enrolments of one machine may not
/// share a PIN in that sense. The same person may be enrolled under several PINs
/// (a re-enrolment) and on several machines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enrolment {
    /// The machine's number for the person.
    #[doc(alias = "AC-No.")]
    pub pin: String,
    /// The person.
    pub employee: Nip,
}

/// The longest PIN an [`Enrolment`] may have.
pub const MAX_PIN_LEN: usize = 24;

/// A PIN in the form PINs are compared in: surrounding spaces removed, leading
/// zeros of a number removed (`"007"` and `"7"` are one PIN, `"0"` stays `"0"`),
/// letters upper-cased. `None` when the text is not a PIN (empty, longer than
/// [`MAX_PIN_LEN`], or holding anything but ASCII letters and digits).
pub fn canonical_pin(text: &str) -> Option<String> {
    let t = text.trim();
    if t.is_empty() || t.len() > MAX_PIN_LEN || !t.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    if t.bytes().all(|b| b.is_ascii_digit()) {
        let stripped = t.trim_start_matches('0');
        return Some(if stripped.is_empty() { "0".to_string() } else { stripped.to_string() });
    }
    Some(t.to_ascii_uppercase())
}

/// The officials, officers and devices of a city, validated against its
/// organisation and indexed.
#[derive(Clone, Debug, Default)]
pub struct Authorities {
    officials: Vec<Official>,
    officers: Vec<Officer>,
    devices: Vec<ClockDevice>,
    official_ix: HashMap<OfficialId, usize>,
    device_ix: HashMap<DeviceId, usize>,
    /// (device index, canonical PIN) -> index of the enrolment in the device's list.
    pin_ix: HashMap<(usize, String), usize>,
    officers_of: HashMap<Nip, Vec<usize>>,
    /// Officials verifying each top position.
    top_verifiers: HashMap<PositionId, Vec<usize>>,
}

impl Authorities {
    /// Validates the three lists against the organisation and indexes them.
    /// Every problem is reported at once: duplicate ids, unknown employees,
    /// units and positions, inverted ranges, missing references, an attendance
    /// officer without a unit (or an HR officer with one), and an official named
    /// to verify a position that has a supervising position.
    pub fn new(
        officials: Vec<Official>,
        officers: Vec<Officer>,
        devices: Vec<ClockDevice>,
        org: &Organisation,
    ) -> Result<Authorities, ValidationErrors> {
        let mut problems = Vec::new();
        let mut official_ix = HashMap::default();
        let mut top_verifiers: HashMap<PositionId, Vec<usize>> = HashMap::default();
        for (i, o) in officials.iter().enumerate() {
            let id = o.id.as_str();
            if official_ix.insert(o.id.clone(), i).is_some() {
                problems.push(Problem::new("official", id, "id", "duplicate_id", "the id is used twice"));
            }
            if o.until.is_some_and(|u| u < o.from) {
                problems.push(Problem::new("official", id, "until", "inverted_range", "ends before it starts"));
            }
            if o.reference.trim().is_empty() {
                problems.push(Problem::new(
                    "official",
                    id,
                    "reference",
                    "missing_reference",
                    "an official needs the reference of their appointment",
                ));
            }
            for p in &o.verifies {
                match org.position(p) {
                    None => problems.push(Problem::new(
                        "official",
                        id,
                        "verifies",
                        "unknown_reference",
                        format!("position `{p}` does not exist"),
                    )),
                    Some(pos) if pos.supervisor.is_some() => problems.push(Problem::new(
                        "official",
                        id,
                        "verifies",
                        "not_a_top_position",
                        format!("position `{p}` has a supervising position; an official verifies only top positions"),
                    )),
                    Some(_) => top_verifiers.entry(p.clone()).or_default().push(i),
                }
            }
        }
        let mut officers_of: HashMap<Nip, Vec<usize>> = HashMap::default();
        for (i, o) in officers.iter().enumerate() {
            let id = format!("#{i}");
            if org.employee(&o.employee).is_none() {
                problems.push(Problem::new(
                    "officer",
                    &id,
                    "employee",
                    "unknown_reference",
                    format!("employee `{}` does not exist", o.employee),
                ));
            }
            match (o.role, &o.unit) {
                (OfficerRole::Attendance, None) => problems.push(Problem::new(
                    "officer",
                    &id,
                    "unit",
                    "missing_field",
                    "an attendance officer serves a work unit: `unit` is required",
                )),
                (OfficerRole::Hr, Some(_)) => problems.push(Problem::new(
                    "officer",
                    &id,
                    "unit",
                    "not_allowed",
                    "an HR officer serves the whole city: `unit` must be left out",
                )),
                (OfficerRole::Finance | OfficerRole::AwardPanel, Some(_)) => problems.push(Problem::new(
                    "officer",
                    &id,
                    "unit",
                    "not_allowed",
                    "a budget officer or award panel member serves the whole city: `unit` must be left out",
                )),
                (_, Some(u)) if org.unit(u).is_none() => problems.push(Problem::new(
                    "officer",
                    &id,
                    "unit",
                    "unknown_reference",
                    format!("unit `{u}` does not exist"),
                )),
                _ => {}
            }
            if o.until.is_some_and(|u| u < o.from) {
                problems.push(Problem::new("officer", &id, "until", "inverted_range", "ends before it starts"));
            }
            if o.reference.trim().is_empty() {
                problems.push(Problem::new(
                    "officer",
                    &id,
                    "reference",
                    "missing_reference",
                    "an officer needs the reference of their appointment (SK)",
                ));
            }
            officers_of.entry(o.employee.clone()).or_default().push(i);
        }
        let mut device_ix = HashMap::default();
        let mut pin_ix = HashMap::default();
        for (i, d) in devices.iter().enumerate() {
            let id = d.id.as_str();
            if device_ix.insert(d.id.clone(), i).is_some() {
                problems.push(Problem::new("clock_device", id, "id", "duplicate_id", "the id is used twice"));
            }
            if org.unit(&d.unit).is_none() {
                problems.push(Problem::new(
                    "clock_device",
                    id,
                    "unit",
                    "unknown_reference",
                    format!("unit `{}` does not exist", d.unit),
                ));
            }
            if d.until.is_some_and(|u| u < d.from) {
                problems.push(Problem::new("clock_device", id, "until", "inverted_range", "ends before it starts"));
            }
            for (k, e) in d.enrolments.iter().enumerate() {
                let field = format!("enrolments[{k}].pin");
                let Some(pin) = canonical_pin(&e.pin) else {
                    problems.push(Problem::new(
                        "clock_device",
                        id,
                        field,
                        "invalid_value",
                        format!("`{}` is not a PIN (1-{MAX_PIN_LEN} ASCII letters or digits)", e.pin),
                    ));
                    continue;
                };
                if org.employee(&e.employee).is_none() {
                    problems.push(Problem::new(
                        "clock_device",
                        id,
                        format!("enrolments[{k}].employee"),
                        "unknown_reference",
                        format!("employee `{}` does not exist", e.employee),
                    ));
                }
                if let Some(&other) = pin_ix.get(&(i, pin.clone())) {
                    problems.push(Problem::new(
                        "clock_device",
                        id,
                        field,
                        "duplicate_pin",
                        format!("PIN `{}` is enrolled twice on this machine (again as enrolments[{other}])", e.pin),
                    ));
                } else {
                    pin_ix.insert((i, pin), k);
                }
            }
        }
        if !problems.is_empty() {
            return Err(ValidationErrors { problems });
        }
        Ok(Authorities { officials, officers, devices, official_ix, device_ix, pin_ix, officers_of, top_verifiers })
    }

    /// The officials.
    pub fn officials(&self) -> &[Official] {
        &self.officials
    }

    /// The officers.
    pub fn officers(&self) -> &[Officer] {
        &self.officers
    }

    /// The clock devices.
    pub fn devices(&self) -> &[ClockDevice] {
        &self.devices
    }

    /// An official by id.
    pub fn official(&self, id: &OfficialId) -> Option<&Official> {
        self.official_ix.get(id).and_then(|&i| self.officials.get(i))
    }

    /// A clock device by id.
    pub fn device(&self, id: &DeviceId) -> Option<&ClockDevice> {
        self.device_ix.get(id).and_then(|&i| self.devices.get(i))
    }

    /// A clock device by id, with its place in [`Authorities::devices`].
    pub(crate) fn device_entry(&self, id: &DeviceId) -> Option<(usize, &ClockDevice)> {
        self.device_ix.get(id).and_then(|&i| Some((i, self.devices.get(i)?)))
    }

    /// The employee enrolled under `pin` on device `device` (the PIN is compared in
    /// its [canonical](canonical_pin) form); `None` for an unknown device or PIN.
    pub fn enrolled(&self, device: &DeviceId, pin: &str) -> Option<&Nip> {
        let d = *self.device_ix.get(device)?;
        let k = *self.pin_ix.get(&(d, canonical_pin(pin)?))?;
        self.devices.get(d)?.enrolments.get(k).map(|e| &e.employee)
    }

    /// The officer appointments of an employee.
    pub fn appointments<'a>(&'a self, nip: &Nip) -> impl Iterator<Item = &'a Officer> + use<'a> {
        self.officers_of.get(nip).into_iter().flatten().filter_map(|&i| self.officers.get(i))
    }

    /// The officials who verify the holders of top position `position`.
    pub fn verifiers_of<'a>(&'a self, position: &PositionId) -> impl Iterator<Item = &'a Official> + use<'a> {
        self.top_verifiers.get(position).into_iter().flatten().filter_map(|&i| self.officials.get(i))
    }

    /// Gives the lists back (for writing a dataset).
    pub fn to_lists(&self) -> (Vec<Official>, Vec<Officer>, Vec<ClockDevice>) {
        (self.officials.clone(), self.officers.clone(), self.devices.clone())
    }
}

/// The organisation and its authorities together: what every authorisation check
/// reads.
#[derive(Clone, Copy, Debug)]
pub struct Access<'a> {
    /// The organisation.
    pub org: &'a Organisation,
    /// Verification delegations.
    pub delegations: &'a [crate::activity::Delegation],
    /// Officials, officers and devices.
    pub authorities: &'a Authorities,
}

impl<'a> Access<'a> {
    /// True when the employee has an assignment of any kind covering `date`.
    pub fn in_service(&self, nip: &Nip, date: NaiveDate) -> bool {
        self.org.employee_index(nip).is_some_and(|e| self.org.in_service_at(e, date))
    }

    /// Checks that `actor` is a known employee in service on `date`, and returns
    /// their NIP. Officials and devices are refused (`not_an_employee`).
    pub fn employee(&self, actor: &'a ActorId, date: NaiveDate) -> Result<&'a Nip, NotAuthorised> {
        let nip = match actor {
            ActorId::Employee(n) => n,
            other => return Err(NotAuthorised::NotAnEmployee { actor: other.to_string() }),
        };
        let Some(e) = self.org.employee_index(nip) else {
            return Err(NotAuthorised::UnknownActor { actor: actor.to_string() });
        };
        if !self.org.in_service_at(e, date) {
            return Err(NotAuthorised::NotInService { actor: actor.to_string(), date });
        }
        Ok(nip)
    }

    /// Checks that `actor` is `employee` themselves, in service on `date`.
    pub fn own(&self, actor: &'a ActorId, employee: &Nip, date: NaiveDate) -> Result<(), NotAuthorised> {
        let nip = self.employee(actor, date)?;
        if nip != employee {
            return Err(NotAuthorised::NotTheEmployee { actor: actor.to_string(), employee: employee.clone() });
        }
        Ok(())
    }

    /// Checks that `actor` is an HR officer on `date`.
    pub fn hr_officer(&self, actor: &'a ActorId, date: NaiveDate) -> Result<&'a Nip, NotAuthorised> {
        let nip = self.employee(actor, date)?;
        if self.authorities.appointments(nip).any(|o| o.role == OfficerRole::Hr && o.covers(date)) {
            Ok(nip)
        } else {
            Err(NotAuthorised::NotAnOfficer { actor: actor.to_string(), role: OfficerRole::Hr.as_str(), date })
        }
    }

    /// Checks that `actor` is an employee appointed to `role` on `date` (any unit).
    pub fn officer(&self, actor: &'a ActorId, role: OfficerRole, date: NaiveDate) -> Result<&'a Nip, NotAuthorised> {
        let nip = self.employee(actor, date)?;
        if self.authorities.appointments(nip).any(|o| o.role == role && o.covers(date)) {
            Ok(nip)
        } else {
            Err(NotAuthorised::NotAnOfficer { actor: actor.to_string(), role: role.as_str(), date })
        }
    }

    /// The unit of the employee's own (definitive) position on `date`.
    pub fn unit_of(&self, nip: &Nip, date: NaiveDate) -> Option<&'a UnitId> {
        self.org.definitive_position(nip, date).map(|p| &p.unit)
    }

    /// True when `unit` is `ancestor` or lies under it.
    pub fn within(&self, unit: &UnitId, ancestor: &UnitId) -> bool {
        let mut cur = Some(unit);
        for _ in 0..=self.org.units().len() {
            match cur {
                Some(u) if u == ancestor => return true,
                Some(u) => cur = self.org.unit(u).and_then(|x| x.parent.as_ref()),
                None => return false,
            }
        }
        false
    }

    /// Checks that `actor` is an attendance officer on `date` of a unit that holds
    /// (directly or through sub-units) the position of every employee in `employees`.
    pub fn attendance_officer<'n>(
        &self,
        actor: &'a ActorId,
        employees: impl IntoIterator<Item = &'n Nip>,
        date: NaiveDate,
    ) -> Result<(), NotAuthorised> {
        let nip = self.employee(actor, date)?;
        let units: Vec<&UnitId> = self
            .authorities
            .appointments(nip)
            .filter(|o| o.role == OfficerRole::Attendance && o.covers(date))
            .filter_map(|o| o.unit.as_ref())
            .collect();
        if units.is_empty() {
            return Err(NotAuthorised::NotAnOfficer {
                actor: actor.to_string(),
                role: OfficerRole::Attendance.as_str(),
                date,
            });
        }
        for e in employees {
            let served = self.unit_of(e, date).is_some_and(|u| units.iter().any(|a| self.within(u, a)));
            if !served {
                return Err(NotAuthorised::OutsideUnit { actor: actor.to_string(), employee: e.clone(), date });
            }
        }
        Ok(())
    }

    /// Checks that `actor` is a clock device in service on `date`, of kind `kind`,
    /// at the site of `employee`'s unit (or an ancestor unit) on that date.
    pub fn clock_device(
        &self,
        actor: &ActorId,
        employee: &Nip,
        kind: DeviceKind,
        date: NaiveDate,
    ) -> Result<(), NotAuthorised> {
        let ActorId::Device(id) = actor else {
            return Err(NotAuthorised::NotADevice { actor: actor.to_string() });
        };
        let Some(device) = self.authorities.device(id) else {
            return Err(NotAuthorised::UnknownActor { actor: actor.to_string() });
        };
        if !device.in_service(date) {
            return Err(NotAuthorised::NotInService { actor: actor.to_string(), date });
        }
        if device.kind != kind {
            return Err(NotAuthorised::WrongDevice { actor: actor.to_string(), employee: employee.clone() });
        }
        let at_site = self.unit_of(employee, date).is_some_and(|u| self.within(u, &device.unit));
        if !at_site {
            return Err(NotAuthorised::OutsideUnit { actor: actor.to_string(), employee: employee.clone(), date });
        }
        Ok(())
    }

    /// Checks that `actor` is an official in office on `decision_date` named to
    /// verify `top_position`.
    pub fn official_for(
        &self,
        actor: &ActorId,
        top_position: &PositionId,
        decision_date: NaiveDate,
    ) -> Result<(), NotAuthorised> {
        let ActorId::Official(id) = actor else {
            return Err(NotAuthorised::UnknownActor { actor: actor.to_string() });
        };
        let Some(official) = self.authorities.official(id) else {
            return Err(NotAuthorised::UnknownActor { actor: actor.to_string() });
        };
        if !official.in_office(decision_date) {
            return Err(NotAuthorised::NotInService { actor: actor.to_string(), date: decision_date });
        }
        if !official.verifies.contains(top_position) {
            return Err(NotAuthorised::NotTheVerifier { actor: actor.to_string(), position: top_position.clone() });
        }
        Ok(())
    }
}

/// Checks that `actor` may record budgets (ceilings, disbursement plans, monthly
/// realisation and physical progress) and the units' strategic and work plans on
/// `date`: a budget and planning officer (`finance`, BPKD/Bappeda). Whether the
/// figures themselves are acceptable is [`crate::insights::budget::UnitBudget::validate`].
pub fn may_record_budget(access: &Access<'_>, actor: &ActorId, date: NaiveDate) -> Result<(), NotAuthorised> {
    access.officer(actor, OfficerRole::Finance, date).map(|_| ())
}

/// Checks that `actor` may record a unit's roll-out (its shadow month and go-live
/// date) on `date`: an HR officer (BKPSDM runs the roll-out, unit by unit).
pub fn may_record_rollout(access: &Access<'_>, actor: &ActorId, date: NaiveDate) -> Result<(), NotAuthorised> {
    access.hr_officer(actor, date).map(|_| ())
}

/// Checks that `actor` may record an award nomination (Best Service, Best
/// Innovative) on `date`: an HR officer.
pub fn may_nominate(access: &Access<'_>, actor: &ActorId, date: NaiveDate) -> Result<(), NotAuthorised> {
    access.hr_officer(actor, date).map(|_| ())
}

/// Checks that `actor` may read the award nominations and their panel scores on
/// `date`: an HR officer or a member of the awards panel.
pub fn may_read_nominations(access: &Access<'_>, actor: &ActorId, date: NaiveDate) -> Result<(), NotAuthorised> {
    match access.hr_officer(actor, date) {
        Ok(_) => Ok(()),
        Err(NotAuthorised::NotAnOfficer { .. }) => access.officer(actor, OfficerRole::AwardPanel, date).map(|_| ()),
        Err(e) => Err(e),
    }
}

/// Checks that `actor` may score the nomination of `nominee` on `date`: a member
/// of the awards panel (`award_panel`) who is not the nominee
/// (`self_verification`: nobody scores their own nomination).
pub fn may_score_nomination(
    access: &Access<'_>,
    actor: &ActorId,
    nominee: &Nip,
    date: NaiveDate,
) -> Result<(), NotAuthorised> {
    let nip = access.officer(actor, OfficerRole::AwardPanel, date)?;
    if nip == nominee {
        return Err(NotAuthorised::SelfVerification);
    }
    Ok(())
}
