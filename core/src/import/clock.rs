//! Attendance-machine logs (*log presensi mesin sidik jari*) as clock events.
//!
//! A fingerprint or face machine (ZKTeco and its Indonesian brands: Solution,
//! Fingerspot, Magic, Revo...) keeps every scan: who (the machine's **PIN** for the
//! person, its *enrolment number*, or a NIP typed in as the PIN), when, and often a
//! status key pressed (check-in, check-out, break, overtime). Its software or the
//! machine itself exports them as CSV. [`read_clock_log`] reads such a file against
//! the city and gives a [`ClockImport`]: the [`ClockEvent`]s it holds, each with its
//! row and machine, and every other row with a reason ([`ClockRejection`]). Nothing is
//! recorded: the caller records the events through the month's ledger as the machine
//! (`device:ID`, see [`ImportedClock::request`]), where the core's authorisation
//! decides again.
//!
//! # Layouts
//!
//! The columns are found by their header ([`ClockColumns`]: names compared without
//! case, spaces or punctuation), so the common layouts read as they are:
//!
//! | layout | header |
//! |---|---|
//! | ZKTeco attendance software, *Export* | `Department, Name, No., Date/Time, Status, Location ID, ID Number, VerifyCode, CardNo` |
//! | ZKTeco *original records* | `AC-No., Name, Time, State, ...` |
//! | push / attlog with a header | `PIN, DateTime, Status, Verified, WorkCode` |
//! | Solution / Fingerspot *scan log* (Indonesian) | `Tanggal scan; Tanggal; Jam; PIN; NIP; Nama; Jabatan; Departemen; Kantor; Verifikasi; I/O; Workcode; SN; Mesin` |
//! | a city's own (Indonesian) | `NIP; Nama; Tanggal; Jam; Status; Mesin` |
//!
//! * **Who**: a `NIP` column when the row has one; else the PIN column, whose value is
//!   read as a NIP when it has 18 digits and otherwise looked up among the machine's
//!   [enrolments](crate::access::Enrolment) (`007` is PIN `7`).
//! * **When**: one date-and-time column (`DateTime`, `Tanggal scan`, ...; ZKTeco's
//!   `Time` and an Indonesian `Waktu` hold both when the file has no date column), or a
//!   date column (`Date`, `Tanggal`) with a time column (`Time`, `Jam`, `Waktu`). Dates
//!   are day first unless [`ClockLogOptions::date_order`] says otherwise.
//! * **Which machine**: [`ClockLogOptions::device`] for a log of one machine (the
//!   file's device column, if any, is then not read), else a device column (`Machine`,
//!   `Mesin`, `SN`, `Device ID`, ...) holding the dataset's device ids.
//! * **Direction**: the status column, when there is one: `0`, `C/In`, `Check In`,
//!   `In`, `I`, `Masuk`, `Datang` are check-ins; `1`, `C/Out`, `Check Out`, `Out`,
//!   `O`, `Pulang`, `Keluar` check-outs. Break and overtime scans (`2`-`5`, `Break Out`,
//!   `OT-In`, `Istirahat`, `Lembur`, ...) are not check-ins or check-outs and are
//!   reported, not imported (`other_status`).
//! * **How**: the event's source is the machine's kind (fingerprint or face); a verify
//!   mode or work code column is not read (it is listed among the columns not read).
//!
//! # Direction inferred when there is no status
//!
//! For the rows without a status (no status column, or an empty cell), the direction
//! is inferred per employee and day from the day's working hours in the city's
//! calendar: the **first scan before the middle of the working day is the check-in**
//! and the **last scan from the middle on is the check-out** (the middle of 07:30-16:00
//! is 11:45; on a day without working hours, noon). A scan between them
//! (`intermediate_scan`) adds nothing the two do not say and is reported, not
//! imported. A lone scan is thus a check-in in the morning and a check-out in the
//! afternoon, and two scans a minute apart at 07:25 are a check-in and an intermediate
//! scan, not a check-in and a check-out at 07:26 (which would be an early leave of
//! eight hours).
//!
//! # What is refused, and why
//!
//! Every row becomes an event or an [`UnmatchedClock`] with a reason code; the checks
//! run in this order and the first that fails is reported:
//!
//! | code | the row | attention |
//! |---|---|---|
//! | `unparseable_time` | its date or time cannot be read | yes |
//! | `outside_month` | is outside the month asked for | no |
//! | `missing_device` | names no machine (empty device cell) | yes |
//! | `unknown_device` | names a machine the dataset does not have | yes |
//! | `missing_identifier` | has neither PIN nor NIP | yes |
//! | `invalid_nip` | has a NIP (in a NIP column, or 18 digits as PIN) that is not valid | yes |
//! | `unknown_nip` | names a NIP that is not an employee of the dataset | yes |
//! | `unknown_pin` | names a PIN nobody is enrolled under on that machine | yes |
//! | `device_out_of_service` | is dated outside the machine's service | yes |
//! | `employee_not_in_service` | is of an employee with no definitive position that day | yes |
//! | `outside_unit` | is of an employee whose unit is not served by the machine | yes |
//! | `unknown_status` | has a status that is not recognised | yes |
//! | `other_status` | is a break or overtime scan | no |
//! | `duplicate_scan` | repeats an earlier row (same employee, same second) | no |
//! | `intermediate_scan` | lies between the day's inferred check-in and check-out | no |
//!
//! Rows of the last three kinds and `outside_month` carry nothing the import lacks:
//! [`ClockRejection::needs_attention`] is false for them, and a command line
//! succeeds when only such rows are left out.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Serialize, Serializer};

use crate::access::{ActorId, ClockDevice, DeviceId, DeviceKind};
use crate::attendance::{ClockDirection, ClockEvent, ClockSource};
use crate::dataset::City;
use crate::ids::UnitId;
use crate::ledger::{Command, Request};
use crate::month::YearMonth;
use crate::nip::Nip;
use crate::org::NotAuthorised;

use super::sheet::{self, Resolved, Row};
use super::values::{normalise, parse_date, parse_datetime, parse_time};
use super::{
    ColumnNames, ColumnRef, DateOrder, FieldColumn, ImportError, Layout, identifier_cell, looks_like_nip, nip_cell,
    nip_reason_en, nip_reason_id, read_bounded, set_names, strings, unknown_field,
};

/// The header names each field of an attendance log may have, in order of
/// preference. [`Default`] lists the layouts seen in the field (see the
/// [module docs](self)); each list can be replaced ([`ColumnNames::set`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClockColumns {
    /// The NIP (preferred over the PIN when the row has both).
    pub nip: Vec<String>,
    /// The machine's number for the person (or a NIP typed in as one).
    pub pin: Vec<String>,
    /// Date and time in one cell.
    pub datetime: Vec<String>,
    /// The date, when the time is in a column of its own.
    pub date: Vec<String>,
    /// The time of day (with a date column), or date and time (without one).
    pub time: Vec<String>,
    /// Check-in, check-out, break, overtime.
    pub status: Vec<String>,
    /// The machine: a dataset device id.
    pub device: Vec<String>,
    /// The person's name as the machine knows it (shown in the report only).
    pub name: Vec<String>,
}

impl Default for ClockColumns {
    fn default() -> Self {
        ClockColumns {
            nip: strings(&["NIP", "NIP Baru", "NIP Pegawai"]),
            pin: strings(&[
                "PIN",
                "AC-No.",
                "No. ID",
                "User ID",
                "Enroll Number",
                "Badge Number",
                "No. Absen",
                "ID",
                "No.",
            ]),
            datetime: strings(&[
                "DateTime",
                "Date/Time",
                "Tanggal Scan",
                "Waktu Scan",
                "Scan Time",
                "Check Time",
                "Timestamp",
                "Clocking",
                "Tanggal Jam",
            ]),
            date: strings(&["Date", "Tanggal", "Tgl"]),
            time: strings(&["Time", "Jam", "Waktu", "Jam Scan"]),
            status: strings(&["Status", "State", "I/O", "In/Out", "Check Type", "Jenis Absen", "Keterangan Absen"]),
            device: strings(&[
                "Device",
                "Device ID",
                "Mesin",
                "Machine",
                "Machine No.",
                "No. Mesin",
                "Nama Mesin",
                "SN",
                "Serial Number",
                "Terminal",
                "Terminal ID",
                "Location ID",
            ]),
            name: strings(&["Name", "Nama", "Nama Pegawai", "Employee Name"]),
        }
    }
}

const CLOCK_FIELDS: [&str; 8] = ["nip", "pin", "datetime", "date", "time", "status", "device", "name"];

impl ColumnNames for ClockColumns {
    fn fields(&self) -> Vec<(&'static str, &[String])> {
        vec![
            ("nip", &self.nip),
            ("pin", &self.pin),
            ("datetime", &self.datetime),
            ("date", &self.date),
            ("time", &self.time),
            ("status", &self.status),
            ("device", &self.device),
            ("name", &self.name),
        ]
    }

    fn set(&mut self, field: &str, names: Vec<String>) -> Result<(), ImportError> {
        let slot = match field {
            "nip" => &mut self.nip,
            "pin" => &mut self.pin,
            "datetime" => &mut self.datetime,
            "date" => &mut self.date,
            "time" => &mut self.time,
            "status" => &mut self.status,
            "device" => &mut self.device,
            "name" => &mut self.name,
            other => return Err(unknown_field(other, &CLOCK_FIELDS)),
        };
        set_names(slot, field, names)
    }
}

/// How to read an attendance log.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClockLogOptions {
    /// The machine every row comes from (a log of one machine); the file's device
    /// column, if any, is then not read. `None`: the file's device column names it.
    pub device: Option<DeviceId>,
    /// Only scans of this month are imported; the others are reported
    /// (`outside_month`). `None`: every month.
    pub month: Option<YearMonth>,
    /// Day or month first in dates written with `/`, `-` or `.`.
    pub date_order: DateOrder,
    /// The header names of each field.
    pub columns: ClockColumns,
}

/// Where the time of a scan is read from.
enum When {
    /// Date and time in one column.
    One(ColumnRef),
    /// A date column and a time column.
    Split(ColumnRef, ColumnRef),
}

/// The columns found in a log's header.
struct Columns {
    nip: Option<ColumnRef>,
    pin: Option<ColumnRef>,
    when: When,
    status: Option<ColumnRef>,
    device: Option<ColumnRef>,
    name: Option<ColumnRef>,
}

impl Resolved for Columns {
    fn used(&self) -> Vec<FieldColumn> {
        let mut out = Vec::new();
        let mut add = |field: &'static str, c: &Option<ColumnRef>| {
            if let Some(c) = c {
                out.push(FieldColumn { field, column: c.clone() });
            }
        };
        add("nip", &self.nip);
        add("pin", &self.pin);
        match &self.when {
            When::One(c) => add("datetime", &Some(c.clone())),
            When::Split(d, t) => {
                add("date", &Some(d.clone()));
                add("time", &Some(t.clone()));
            }
        }
        add("status", &self.status);
        add("device", &self.device);
        add("name", &self.name);
        out
    }
}

fn resolve(header: &[String], row: usize, names: &ClockColumns, device_given: bool) -> Result<Columns, ImportError> {
    let first = |field: &'static str, n: &[String]| -> Result<Option<ColumnRef>, ImportError> {
        Ok(sheet::find(header, row, field, n)?.into_iter().next())
    };
    let nip = first("nip", &names.nip)?;
    let pin = first("pin", &names.pin)?;
    if nip.is_none() && pin.is_none() {
        let mut expected = names.pin.clone();
        expected.extend(names.nip.iter().cloned());
        return Err(sheet::missing(header, row, "pin", &expected));
    }
    let when = match first("datetime", &names.datetime)? {
        Some(c) => When::One(c),
        None => match first("date", &names.date)? {
            Some(d) => match first("time", &names.time)? {
                Some(t) => When::Split(d, t),
                None => return Err(sheet::missing(header, row, "time", &names.time)),
            },
            None => match first("time", &names.time)? {
                Some(t) => When::One(t),
                None => {
                    let mut expected = names.datetime.clone();
                    expected.extend(names.date.iter().cloned());
                    expected.extend(names.time.iter().cloned());
                    return Err(sheet::missing(header, row, "datetime", &expected));
                }
            },
        },
    };
    let status = first("status", &names.status)?;
    let device = if device_given { None } else { first("device", &names.device)? };
    if !device_given && device.is_none() {
        return Err(ImportError::NoDevice { row, expected: names.device.clone() });
    }
    let name = first("name", &names.name)?;
    Ok(Columns { nip, pin, when, status, device, name })
}

/// Why a row of a log was not imported. Serialised tagged by its code
/// ([`ClockRejection::code`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ClockRejection {
    /// The date or time cannot be read.
    UnparseableTime {
        /// The text as written.
        text: String,
    },
    /// The scan is outside the month asked for.
    OutsideMonth {
        /// Its date.
        date: NaiveDate,
        /// The month.
        month: YearMonth,
    },
    /// The row names no machine (its device cell is empty).
    MissingDevice,
    /// The row names a machine the dataset does not have.
    UnknownDevice {
        /// The device as written.
        device: String,
    },
    /// The row has neither a PIN nor a NIP.
    MissingIdentifier,
    /// The NIP is not a valid NIP.
    InvalidNip {
        /// The text as written.
        text: String,
        /// Why: a [`crate::nip::NipError::code`], or `nip_in_scientific_notation`
        /// for a number a spreadsheet rounded.
        nip_error: &'static str,
    },
    /// The NIP is not an employee of the dataset.
    UnknownNip {
        /// The NIP.
        nip: Nip,
    },
    /// Nobody is enrolled under this PIN on the machine.
    UnknownPin {
        /// The PIN as written.
        pin: String,
        /// The machine.
        device: DeviceId,
    },
    /// The machine is not in service on the scan's date.
    DeviceOutOfService {
        /// The machine.
        device: DeviceId,
        /// The scan's date.
        date: NaiveDate,
    },
    /// The employee has no definitive position on the scan's date.
    EmployeeNotInService {
        /// The employee.
        nip: Nip,
        /// The scan's date.
        date: NaiveDate,
    },
    /// The employee's unit is not served by the machine.
    OutsideUnit {
        /// The employee.
        nip: Nip,
        /// The employee's unit on the scan's date.
        unit: UnitId,
        /// The machine.
        device: DeviceId,
        /// The unit whose site the machine serves.
        device_unit: UnitId,
    },
    /// The status is not one the import knows.
    UnknownStatus {
        /// The status as written.
        text: String,
    },
    /// A break or overtime scan: neither check-in nor check-out.
    OtherStatus {
        /// The status as written.
        text: String,
    },
    /// The same employee at the same second as an earlier row.
    DuplicateScan {
        /// The earlier row.
        of_row: usize,
    },
    /// Between the day's inferred check-in and check-out.
    IntermediateScan {
        /// The row kept on this side of the middle of the day.
        kept_row: usize,
    },
}

impl ClockRejection {
    /// Every code [`ClockRejection::code`] can return, in the order the checks run.
    pub const ALL_CODES: &'static [&'static str] = &[
        "unparseable_time",
        "outside_month",
        "missing_device",
        "unknown_device",
        "missing_identifier",
        "invalid_nip",
        "unknown_nip",
        "unknown_pin",
        "device_out_of_service",
        "employee_not_in_service",
        "outside_unit",
        "unknown_status",
        "other_status",
        "duplicate_scan",
        "intermediate_scan",
    ];

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            ClockRejection::UnparseableTime { .. } => "unparseable_time",
            ClockRejection::OutsideMonth { .. } => "outside_month",
            ClockRejection::MissingDevice => "missing_device",
            ClockRejection::UnknownDevice { .. } => "unknown_device",
            ClockRejection::MissingIdentifier => "missing_identifier",
            ClockRejection::InvalidNip { .. } => "invalid_nip",
            ClockRejection::UnknownNip { .. } => "unknown_nip",
            ClockRejection::UnknownPin { .. } => "unknown_pin",
            ClockRejection::DeviceOutOfService { .. } => "device_out_of_service",
            ClockRejection::EmployeeNotInService { .. } => "employee_not_in_service",
            ClockRejection::OutsideUnit { .. } => "outside_unit",
            ClockRejection::UnknownStatus { .. } => "unknown_status",
            ClockRejection::OtherStatus { .. } => "other_status",
            ClockRejection::DuplicateScan { .. } => "duplicate_scan",
            ClockRejection::IntermediateScan { .. } => "intermediate_scan",
        }
    }

    /// The codes of rows that carry nothing the import lacks: scans outside the month
    /// asked for, break and overtime scans, repeated scans and scans between the
    /// inferred check-in and check-out.
    pub const INFORMATIONAL_CODES: &'static [&'static str] =
        &["outside_month", "other_status", "duplicate_scan", "intermediate_scan"];

    /// False for the [informational](Self::INFORMATIONAL_CODES) reasons, true for the
    /// rest, which someone must fix (an enrolment, a machine, the file).
    pub fn needs_attention(&self) -> bool {
        !Self::INFORMATIONAL_CODES.contains(&self.code())
    }

    /// The reason in English.
    pub fn message_en(&self) -> String {
        match self {
            ClockRejection::UnparseableTime { text } => format!(
                "`{text}` is not a date and time that can be read (e.g. 05/10/2026 07:25 or 2026-10-05 07:25:00)"
            ),
            ClockRejection::OutsideMonth { date, month } => format!("the scan is on {date}, outside {month}"),
            ClockRejection::MissingDevice => "the row names no machine".into(),
            ClockRejection::UnknownDevice { device } => {
                format!("machine `{device}` is not a clock device of the dataset")
            }
            ClockRejection::MissingIdentifier => "the row has neither a PIN nor a NIP".into(),
            ClockRejection::InvalidNip { text, nip_error } => {
                format!("`{text}` is not a valid NIP: {}", nip_reason_en(nip_error))
            }
            ClockRejection::UnknownNip { nip } => format!("NIP {nip} is not an employee of the dataset"),
            ClockRejection::UnknownPin { pin, device } => {
                format!("nobody is enrolled under PIN {pin} on machine {device}")
            }
            ClockRejection::DeviceOutOfService { device, date } => {
                format!("machine {device} is not in service on {date}")
            }
            ClockRejection::EmployeeNotInService { nip, date } => {
                format!("employee {nip} holds no definitive position on {date}")
            }
            ClockRejection::OutsideUnit { nip, unit, device, device_unit } => format!(
                "employee {nip} works at {unit}, which machine {device} (at the site of {device_unit}) does not serve"
            ),
            ClockRejection::UnknownStatus { text } => {
                format!("status `{text}` is neither a check-in nor a check-out")
            }
            ClockRejection::OtherStatus { text } => {
                format!("status `{text}` is a break or overtime scan, not a check-in or check-out; not imported")
            }
            ClockRejection::DuplicateScan { of_row } => format!("the same scan as row {of_row}; not imported"),
            ClockRejection::IntermediateScan { kept_row } => format!(
                "neither the first scan of the day before its middle nor the last one after (row {kept_row} is kept); not imported"
            ),
        }
    }

    /// The reason in Indonesian (*alasan*).
    pub fn message_id(&self) -> String {
        match self {
            ClockRejection::UnparseableTime { text } => format!(
                "`{text}` bukan tanggal dan jam yang dapat dibaca (contoh: 05/10/2026 07:25 atau 2026-10-05 07:25:00)"
            ),
            ClockRejection::OutsideMonth { date, month } => {
                format!("scan tanggal {date} berada di luar bulan {month}")
            }
            ClockRejection::MissingDevice => "baris ini tidak menyebut mesin".into(),
            ClockRejection::UnknownDevice { device } => {
                format!("mesin `{device}` tidak terdaftar sebagai mesin presensi dalam dataset")
            }
            ClockRejection::MissingIdentifier => "baris ini tidak memuat PIN maupun NIP".into(),
            ClockRejection::InvalidNip { text, nip_error } => {
                format!("`{text}` bukan NIP yang sah: {}", nip_reason_id(nip_error))
            }
            ClockRejection::UnknownNip { nip } => format!("NIP {nip} tidak terdaftar sebagai pegawai dalam dataset"),
            ClockRejection::UnknownPin { pin, device } => {
                format!("tidak ada pegawai yang terdaftar dengan PIN {pin} pada mesin {device}")
            }
            ClockRejection::DeviceOutOfService { device, date } => {
                format!("mesin {device} tidak beroperasi pada tanggal {date}")
            }
            ClockRejection::EmployeeNotInService { nip, date } => {
                format!("pegawai {nip} tidak memiliki jabatan definitif pada tanggal {date}")
            }
            ClockRejection::OutsideUnit { nip, unit, device, device_unit } => format!(
                "pegawai {nip} bertugas di {unit}, yang tidak dilayani mesin {device} (di lokasi {device_unit})"
            ),
            ClockRejection::UnknownStatus { text } => {
                format!("status `{text}` tidak dikenali sebagai absen masuk maupun absen pulang")
            }
            ClockRejection::OtherStatus { text } => format!(
                "status `{text}` adalah scan istirahat atau lembur, bukan absen masuk atau pulang; tidak diimpor"
            ),
            ClockRejection::DuplicateScan { of_row } => format!("scan yang sama dengan baris {of_row}; tidak diimpor"),
            ClockRejection::IntermediateScan { kept_row } => format!(
                "bukan scan pertama sebelum pertengahan hari kerja atau scan terakhir sesudahnya \
                 (baris {kept_row} yang dipakai); tidak diimpor"
            ),
        }
    }
}

/// A scan the log holds, ready to record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImportedClock {
    /// The row of the file.
    pub row: usize,
    /// The machine that recorded it: the actor `device:ID` that sends it.
    pub device: DeviceId,
    /// The event.
    pub event: ClockEvent,
    /// True when the direction was inferred (no status), false when the file said it.
    pub inferred: bool,
}

impl ImportedClock {
    /// The actor that records the event: the machine, `device:ID`.
    pub fn actor(&self) -> ActorId {
        ActorId::Device(self.device.clone())
    }

    /// The idempotency key of the event: `clock:DEVICE:NIP:DATETIME:in|out`. The same
    /// scan imported twice (the same file, or two exports that overlap) has the same
    /// key, so the ledger records it once and answers the second time with
    /// `duplicate_key`.
    pub fn key(&self) -> String {
        let direction = match self.event.direction {
            ClockDirection::In => "in",
            ClockDirection::Out => "out",
        };
        format!(
            "clock:{}:{}:{}:{direction}",
            self.device,
            self.event.employee,
            self.event.at.format("%Y-%m-%dT%H:%M:%S")
        )
    }

    /// The ledger request that records the event as the machine, at the scan's time,
    /// with [the key](Self::key). `received_at` is when the record-keeper received
    /// the log (the import's time; `None` records it as received when scanned): how
    /// far back a scan may then lie is the policy's `record.claim_window_working_days`,
    /// decided by the ledger.
    pub fn request(&self, received_at: Option<NaiveDateTime>) -> Request {
        let r = Request::new(self.actor(), self.event.at, Command::RecordClock { event: self.event.clone() })
            .with_key(self.key());
        match received_at {
            Some(t) => r.received(t),
            None => r,
        }
    }
}

/// A row that was not imported, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnmatchedClock {
    /// The row of the file.
    pub row: usize,
    /// The column at fault, when the reason is about one cell.
    pub column: Option<ColumnRef>,
    /// The PIN or NIP as written.
    pub identifier: String,
    /// The name as written (when the file has a name column).
    pub name: String,
    /// The date and time as written.
    pub time: String,
    /// The machine as written, or the one given for the file.
    pub device: String,
    /// Why.
    pub reason: ClockRejection,
}

impl Serialize for UnmatchedClock {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Wire<'a> {
            row: usize,
            #[serde(skip_serializing_if = "Option::is_none")]
            column: Option<&'a ColumnRef>,
            identifier: &'a str,
            name: &'a str,
            time: &'a str,
            device: &'a str,
            code: &'static str,
            needs_attention: bool,
            message_id: String,
            message_en: String,
            reason: &'a ClockRejection,
        }
        Wire {
            row: self.row,
            column: self.column.as_ref(),
            identifier: &self.identifier,
            name: &self.name,
            time: &self.time,
            device: &self.device,
            code: self.reason.code(),
            needs_attention: self.reason.needs_attention(),
            message_id: self.reason.message_id(),
            message_en: self.reason.message_en(),
            reason: &self.reason,
        }
        .serialize(s)
    }
}

/// What an attendance log holds: every data row is either an event or unmatched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClockImport {
    /// The file's shape as read.
    pub layout: Layout,
    /// The month asked for, if any.
    pub month: Option<YearMonth>,
    /// Data rows read (after the header): `events.len() + unmatched.len()`.
    pub rows: usize,
    /// The events, in time order (then row order).
    pub events: Vec<ImportedClock>,
    /// The rows not imported, in row order.
    pub unmatched: Vec<UnmatchedClock>,
}

impl ClockImport {
    /// The unmatched rows someone must look at ([`ClockRejection::needs_attention`]).
    pub fn needs_attention(&self) -> impl Iterator<Item = &UnmatchedClock> {
        self.unmatched.iter().filter(|u| u.reason.needs_attention())
    }

    /// How many rows were left out for each reason code.
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        let mut out = BTreeMap::new();
        for u in &self.unmatched {
            *out.entry(u.reason.code()).or_default() += 1;
        }
        out
    }

    /// The ledger requests recording every event, in time order, each with its row
    /// ([`ImportedClock::request`]).
    pub fn requests(&self, received_at: Option<NaiveDateTime>) -> Vec<(usize, Request)> {
        self.events.iter().map(|e| (e.row, e.request(received_at))).collect()
    }
}

/// A status cell as read.
enum Status {
    In,
    Out,
    Other,
    Unknown,
}

fn status(text: &str) -> Status {
    match normalise(text).as_str() {
        "0" | "in" | "i" | "cin" | "ci" | "checkin" | "clockin" | "masuk" | "datang" | "scanmasuk" | "absenmasuk"
        | "jammasuk" | "presensimasuk" => Status::In,
        "1" | "out" | "o" | "cout" | "co" | "checkout" | "clockout" | "pulang" | "keluar" | "scanpulang"
        | "scankeluar" | "absenpulang" | "jampulang" | "presensipulang" => Status::Out,
        "2" | "3" | "4" | "5" | "break" | "breakout" | "breakin" | "resume" | "otin" | "otout" | "overtimein"
        | "overtimeout" | "istirahat" | "keluaristirahat" | "kembaliistirahat" | "kembali" | "lembur"
        | "lemburmasuk" | "lemburkeluar" | "lemburpulang" => Status::Other,
        _ => Status::Unknown,
    }
}

/// The middle of the employee's working day on `date`: of their rostered shift when
/// it starts and ends that day, else of the calendar's hours (noon without working
/// hours).
fn middle_of_day(city: &City, nip: &Nip, date: NaiveDate) -> NaiveTime {
    let noon = NaiveTime::from_hms_opt(12, 0, 0).unwrap_or(NaiveTime::MIN);
    let (start, end) = match city.rosters.on(nip, date) {
        Some(crate::roster::Rostered::Shift(p)) if !p.crosses_midnight() => (p.start, p.end),
        Some(_) => return noon,
        None => match city.calendar.schedule(date) {
            Some(s) => (s.start, s.end),
            None => return noon,
        },
    };
    let (a, b) = (start.num_seconds_from_midnight(), end.num_seconds_from_midnight());
    if b <= a {
        return noon;
    }
    NaiveTime::from_num_seconds_from_midnight_opt(a + (b - a) / 2, 0).unwrap_or(noon)
}

/// A row that passed every per-row check.
struct Candidate {
    row: usize,
    nip: Nip,
    device: DeviceId,
    kind: DeviceKind,
    at: NaiveDateTime,
    direction: Option<ClockDirection>,
    written: Written,
}

/// What a row says, as written (for the report).
#[derive(Clone)]
struct Written {
    identifier: String,
    name: String,
    time: String,
    device: String,
}

impl Written {
    fn unmatched(self, row: usize, column: Option<&ColumnRef>, reason: ClockRejection) -> UnmatchedClock {
        UnmatchedClock {
            row,
            column: column.cloned(),
            identifier: self.identifier,
            name: self.name,
            time: self.time,
            device: self.device,
            reason,
        }
    }
}

/// Reads an attendance-machine log against the city. Every data row ends up in the
/// report, as an event or with its reason (see the [module docs](self)); only a file
/// that cannot be read as a log at all is an error (naming the row and column).
///
/// ```
/// use kinerja::import::clock::{read_clock_log, ClockLogOptions};
/// # let city = kinerja::dataset::Dataset::load_city(&kinerja::generator::generate(
/// #     &kinerja::generator::GeneratorConfig { units: 2, employees: 10, ..Default::default() }).unwrap().to_json()).unwrap();
/// let log = "PIN,DateTime,Status\n1,05/10/2026 07:25:13,C/In\n1,05/10/2026 16:05:00,C/Out\n";
/// let device = kinerja::access::DeviceId::new("FP-SETDA").unwrap();
/// let options = ClockLogOptions { device: Some(device), ..Default::default() };
/// let report = read_clock_log(&city, log.as_bytes(), &options).unwrap();
/// assert_eq!(report.rows, 2);
/// assert_eq!(report.events.len() + report.unmatched.len(), 2);
/// ```
pub fn read_clock_log(city: &City, input: impl Read, options: &ClockLogOptions) -> Result<ClockImport, ImportError> {
    let bytes = read_bounded(input)?;
    let given: Option<&ClockDevice> = match &options.device {
        Some(id) => {
            Some(city.authorities.device(id).ok_or_else(|| ImportError::UnknownDevice { device: id.to_string() })?)
        }
        None => None,
    };
    let sheet = sheet::read(&bytes, |h, row| resolve(h, row, &options.columns, given.is_some()))?;
    let cols = &sheet.columns;
    let access = city.access();
    let mut unmatched = Vec::new();
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut lookup = DeviceLookup { city, cache: HashMap::new() };
    for r in &sheet.rows {
        match check_row(city, &access, options, cols, given, &mut lookup, r) {
            Ok(c) => candidates.push(c),
            Err(u) => unmatched.push(*u),
        }
    }

    // Repeated scans: the same employee at the same second as an earlier row.
    let mut seen: HashMap<(Nip, NaiveDateTime), usize> = HashMap::new();
    let mut kept: Vec<Candidate> = Vec::with_capacity(candidates.len());
    for c in candidates {
        match seen.get(&(c.nip.clone(), c.at)) {
            Some(&of_row) => unmatched.push(c.written.unmatched(c.row, None, ClockRejection::DuplicateScan { of_row })),
            None => {
                seen.insert((c.nip.clone(), c.at), c.row);
                kept.push(c);
            }
        }
    }

    // Directions inferred, per employee and day, for the rows without a status.
    let mut days: BTreeMap<(Nip, NaiveDate), Vec<usize>> = BTreeMap::new();
    for (i, c) in kept.iter().enumerate() {
        if c.direction.is_none() {
            days.entry((c.nip.clone(), c.at.date())).or_default().push(i);
        }
    }
    let mut inferred: Vec<Option<Result<ClockDirection, usize>>> = vec![None; kept.len()];
    for ((nip, date), mut ix) in days {
        let middle = middle_of_day(city, &nip, date);
        ix.sort_by_key(|&i| kept.get(i).map(|c| (c.at, c.row)));
        let (morning, afternoon): (Vec<usize>, Vec<usize>) =
            ix.into_iter().partition(|&i| kept.get(i).is_some_and(|c| c.at.time() < middle));
        if let Some((&first, rest)) = morning.split_first() {
            let kept_row = kept.get(first).map_or(0, |c| c.row);
            inferred[first] = Some(Ok(ClockDirection::In));
            for &i in rest {
                inferred[i] = Some(Err(kept_row));
            }
        }
        if let Some((&last, rest)) = afternoon.split_last() {
            let kept_row = kept.get(last).map_or(0, |c| c.row);
            inferred[last] = Some(Ok(ClockDirection::Out));
            for &i in rest {
                inferred[i] = Some(Err(kept_row));
            }
        }
    }

    let mut events = Vec::with_capacity(kept.len());
    for (c, inf) in kept.into_iter().zip(inferred) {
        let (direction, was_inferred) = match (c.direction, inf) {
            (Some(d), _) => (d, false),
            (None, Some(Ok(d))) => (d, true),
            (None, Some(Err(kept_row))) => {
                unmatched.push(c.written.unmatched(c.row, None, ClockRejection::IntermediateScan { kept_row }));
                continue;
            }
            // Every row without a status is in a day group; kept as a check-in if not.
            (None, None) => (ClockDirection::In, true),
        };
        let source = match c.kind {
            DeviceKind::Fingerprint => ClockSource::Fingerprint,
            DeviceKind::Face => ClockSource::Face,
        };
        events.push(ImportedClock {
            row: c.row,
            device: c.device,
            event: ClockEvent { employee: c.nip, at: c.at, direction, source, geofence: None },
            inferred: was_inferred,
        });
    }
    events.sort_by_key(|e| (e.event.at, e.row));
    unmatched.sort_by_key(|u| u.row);
    Ok(ClockImport { rows: sheet.rows.len(), layout: sheet.layout, month: options.month, events, unmatched })
}

/// The machines a file names, by text: the exact id first, then without regard to case.
struct DeviceLookup<'c> {
    city: &'c City,
    cache: HashMap<String, Option<&'c ClockDevice>>,
}

impl<'c> DeviceLookup<'c> {
    fn get(&mut self, text: &str) -> Option<&'c ClockDevice> {
        let devices = self.city.authorities.devices();
        *self.cache.entry(text.to_string()).or_insert_with(|| {
            devices
                .iter()
                .find(|d| d.id.as_str() == text)
                .or_else(|| devices.iter().find(|d| d.id.as_str().eq_ignore_ascii_case(text)))
        })
    }
}

/// Runs the per-row checks, in the documented order.
fn check_row<'c>(
    city: &'c City,
    access: &crate::access::Access<'c>,
    options: &ClockLogOptions,
    cols: &Columns,
    given: Option<&'c ClockDevice>,
    lookup: &mut DeviceLookup<'c>,
    r: &Row,
) -> Result<Candidate, Box<UnmatchedClock>> {
    let nip_text = identifier_cell(r.cell(cols.nip.as_ref()));
    let pin_cell = identifier_cell(r.cell(cols.pin.as_ref()));
    let (id_text, id_column) = if !nip_text.is_empty() || cols.pin.is_none() {
        (nip_text, cols.nip.as_ref())
    } else {
        (pin_cell, cols.pin.as_ref())
    };
    let (time_text, time_column) = match &cols.when {
        When::One(c) => (r.cell(Some(c)).to_string(), c),
        When::Split(d, t) => (format!("{} {}", r.cell(Some(d)), r.cell(Some(t))).trim().to_string(), t),
    };
    let device_text = match given {
        Some(d) => d.id.to_string(),
        None => r.cell(cols.device.as_ref()).to_string(),
    };
    let written = Written {
        identifier: id_text.clone(),
        name: r.cell(cols.name.as_ref()).to_string(),
        time: time_text.clone(),
        device: device_text.clone(),
    };
    let refuse =
        |column: Option<&ColumnRef>, reason: ClockRejection| Box::new(written.clone().unmatched(r.row, column, reason));

    // 1. When.
    let at = match &cols.when {
        When::One(c) => parse_datetime(r.cell(Some(c)), options.date_order),
        When::Split(d, t) => {
            parse_date(r.cell(Some(d)), options.date_order).zip(parse_time(r.cell(Some(t)))).map(|(d, t)| d.and_time(t))
        }
    };
    let Some(at) = at else {
        let column = match &cols.when {
            // The date column when the date is what fails.
            When::Split(d, _) if parse_date(r.cell(Some(d)), options.date_order).is_none() => d,
            _ => time_column,
        };
        return Err(refuse(Some(column), ClockRejection::UnparseableTime { text: time_text }));
    };
    let date = at.date();
    // 2. The month asked for.
    if let Some(month) = options.month
        && YearMonth::of(date) != month
    {
        return Err(refuse(time_column.into(), ClockRejection::OutsideMonth { date, month }));
    }
    // 3. The machine.
    let device = match given {
        Some(d) => d,
        None if device_text.is_empty() => return Err(refuse(cols.device.as_ref(), ClockRejection::MissingDevice)),
        None => match lookup.get(&device_text) {
            Some(d) => d,
            None => {
                return Err(refuse(cols.device.as_ref(), ClockRejection::UnknownDevice { device: device_text }));
            }
        },
    };
    // 4. Who.
    if id_text.is_empty() {
        let column = cols.pin.as_ref().or(cols.nip.as_ref());
        return Err(refuse(column, ClockRejection::MissingIdentifier));
    }
    let as_nip = id_column == cols.nip.as_ref() || looks_like_nip(&id_text);
    let nip = if as_nip {
        let nip = nip_cell(&id_text)
            .map_err(|code| refuse(id_column, ClockRejection::InvalidNip { text: id_text.clone(), nip_error: code }))?;
        if city.organisation.employee(&nip).is_none() {
            return Err(refuse(id_column, ClockRejection::UnknownNip { nip }));
        }
        nip
    } else {
        match city.authorities.enrolled(&device.id, &id_text) {
            Some(n) => n.clone(),
            None => {
                return Err(refuse(
                    id_column,
                    ClockRejection::UnknownPin { pin: id_text.clone(), device: device.id.clone() },
                ));
            }
        }
    };
    // 5. The machine in service; 6. the employee at its site (the ledger's own check).
    if !device.in_service(date) {
        return Err(refuse(None, ClockRejection::DeviceOutOfService { device: device.id.clone(), date }));
    }
    let actor = ActorId::Device(device.id.clone());
    match access.clock_device(&actor, &nip, device.kind, date) {
        Ok(()) => {}
        Err(NotAuthorised::OutsideUnit { .. }) => {
            return Err(match access.unit_of(&nip, date) {
                None => refuse(None, ClockRejection::EmployeeNotInService { nip, date }),
                Some(unit) => refuse(
                    None,
                    ClockRejection::OutsideUnit {
                        nip,
                        unit: unit.clone(),
                        device: device.id.clone(),
                        device_unit: device.unit.clone(),
                    },
                ),
            });
        }
        Err(NotAuthorised::NotInService { .. }) => {
            return Err(refuse(None, ClockRejection::DeviceOutOfService { device: device.id.clone(), date }));
        }
        Err(_) => return Err(refuse(None, ClockRejection::UnknownDevice { device: device.id.to_string() })),
    }
    // 7. The direction.
    let status_text = r.cell(cols.status.as_ref());
    let direction = if status_text.is_empty() {
        None
    } else {
        match status(status_text) {
            Status::In => Some(ClockDirection::In),
            Status::Out => Some(ClockDirection::Out),
            Status::Other => {
                let text = status_text.to_string();
                return Err(refuse(cols.status.as_ref(), ClockRejection::OtherStatus { text }));
            }
            Status::Unknown => {
                let text = status_text.to_string();
                return Err(refuse(cols.status.as_ref(), ClockRejection::UnknownStatus { text }));
            }
        }
    };
    Ok(Candidate { row: r.row, nip, device: device.id.clone(), kind: device.kind, at, direction, written })
}
