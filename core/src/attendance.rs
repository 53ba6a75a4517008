//! Attendance (*presensi*), absences (*ketidakhadiran*) and the monthly attendance
//! summary, as **pure rules**: no storage, no clock, no I/O. A ledger stores clock
//! events and absences and calls these functions; the monthly recap sums their
//! results.
//!
//! # The working day and what is measured
//!
//! Civil servants scan in (*absen masuk*) and out (*absen pulang*) on a fingerprint
//! reader, a face terminal or a mobile app ([`ClockEvent`]). The hours they must keep
//! come from the [work calendar](crate::calendar): normally 07:30-16:00 (16:30 on
//! Friday) under Perpres 21/2023, 08:00-15:00 (15:30 on Friday) during Ramadan, and
//! nothing on weekends and holidays. [`evaluate_day`] takes that day's
//! [`DaySchedule`] (`calendar.schedule(date)`) and never assumes 07:30: public
//! systems that hard-coded 07:30 marked everyone late all through Ramadan.
//!
//! Two things are measured, **in minutes** (a yes/no "late" flag cannot be banded):
//!
//! * **TL** (*terlambat*, late arrival): check-in after the scheduled start;
//! * **PSW** (*pulang sebelum waktunya*, early leave): check-out before the scheduled end.
//!
//! Each is put in one of four [`Band`]s by [`BandLimits`] (policy
//! `attendance.band_limits_minutes`, commonly `[30, 60, 90]`):
//!
//! | band | minutes | late arrival | early leave |
//! |------|---------|--------------|-------------|
//! | 1    | 1-30    | TL1          | PSW1        |
//! | 2    | 31-60   | TL2          | PSW2        |
//! | 3    | 61-90   | TL3          | PSW3        |
//! | 4    | > 90    | TL4          | PSW4        |
//!
//! How much each band costs is the allowance module's business (rates are policy).
//!
//! # Seconds, minutes and the grace period
//!
//! Scanners record seconds. The lateness in seconds is `check_in - start` (fractions
//! of a second are dropped). Then:
//!
//! 1. zero or less: on time;
//! 2. at most the grace (`attendance.late_grace_seconds`): on time;
//! 3. otherwise the seconds become minutes by `attendance.minute_rounding`
//!    ([`MinuteRounding`]):
//!    * `started` (the national baseline): **every started minute counted from the
//!      scheduled start**, `ceil(seconds / 60)`;
//!    * `whole`: **whole minutes only**, `floor(seconds / 60)` (the seconds of a started
//!      minute are dropped, as a clock showing hh:mm reads the time).
//!
//!    The grace is a threshold, not a discount: past it, nothing is forgiven.
//!
//! With the usual 07:30 start (TL1 is 1-30 minutes, TL2 31-60):
//!
//! | check-in  | started, grace 0 | started, grace 59 s | whole, grace 0 |
//! |-----------|------------------|---------------------|----------------|
//! | 07:30:00  | on time          | on time             | on time        |
//! | 07:30:01  | 1 s -> 1 min TL1 | on time             | 1 s -> 0 min: on time |
//! | 07:30:59  | 59 s -> 1 min    | on time (59 <= 59)  | 59 s -> 0 min: on time |
//! | 07:31:00  | 60 s -> 1 min    | 60 s -> 1 min TL1   | 60 s -> 1 min TL1 |
//! | 07:31:01  | 61 s -> 2 min    | 61 s -> 2 min       | 61 s -> 1 min  |
//! | 08:00:00  | 1800 s -> 30 min TL1 | 30 min TL1      | 30 min TL1     |
//! | 08:00:30  | 1830 s -> 31 min TL2 | 31 min TL2      | 1830 s -> 30 min TL1 |
//! | 08:00:59  | 1859 s -> 31 min TL2 | 31 min TL2      | 30 min TL1     |
//! | 08:01:00  | 1860 s -> 31 min TL2 | 31 min TL2      | 31 min TL2     |
//!
//! A 59-second grace with started minutes is therefore **not** the same as counting
//! whole minutes: it only forgives the first minute (07:30:59 on time), while 08:00:30
//! is still TL2. A city whose regulation reads lateness on an hh:mm clock sets `whole`.
//! Early leave works the same way on `end - check_out` with
//! `attendance.early_grace_seconds` and the same rounding.
//!
//! The national baseline counts started minutes with no grace: the strict reading of
//! the band texts ("terlambat 1 sampai dengan 30 menit": 30 minutes and 30 seconds is
//! more than 30 minutes) under PP No. 94 Tahun 2021 Pasal 4 huruf f (obey working
//! hours). No national text fixes the rounding (recalled); the choice and its source are
//! in `policy/national.toml`.
//!
//! # Shifts and rosters
//!
//! Staff on a roster ([`crate::roster`]) are judged against the rostered shift, not
//! the office schedule: [`evaluate_shift_day`] counts lateness from the shift's start
//! and early leave up to its end (a night shift 21:00-07:00 ends the next morning),
//! with the same grace, rounding and bands; [`rostered_day_off`] is a day off even on
//! a weekday; [`attribute_scan`] decides which shift a scan belongs to when a night
//! and the next morning's shift are close. A rostered shift is a working day on a
//! weekend or holiday too: the roster, not the calendar, says who works (see the
//! roster module for why).
//!
//! # Phone clock-ins and work sites
//!
//! A phone scan carries the device's position ([`ClockSource::Mobile`]) or says it has
//! none ([`ClockSource::MobileWithoutPosition`]); the ledger stores the geofence
//! verdict with it ([`ClockEvent::geofence`], see [`crate::geo`]), and the day shows the
//! verdicts of its chosen scans ([`DayAttendance::check_in_geofence`],
//! [`DayAttendance::check_out_geofence`], [`DayAttendance::geofence_flagged`]).
//! Where the scan was does not change lateness: a flagged scan still counts, a refused
//! one was never recorded.
//!
//! # Missing scans
//!
//! The check-in is the **earliest** `In` event of the day and the check-out the
//! **latest** `Out` event; repeated scans do no harm. A day with scans in one
//! direction only has a missing scan. Three public systems count a missing check-in
//! as the worst late band (TL4) and a missing check-out as the worst early band
//! (PSW4); one treats a missing check-out as a whole absent day. Both are policy
//! ([`MissingScanRule`], keys `attendance.missing_check_in` and
//! `attendance.missing_check_out`): `band4` (default) or `absent` (the day becomes an
//! unexcused absence).
//!
//! # Absences
//!
//! An [`Absence`] covers a date range with an [`AbsenceKind`]:
//!
//! * **TK** (*tanpa keterangan*, also *alpa*): unexcused. Recorded when declared, and
//!   also inferred by [`evaluate_day`] for a working day with no scan at all. TK is
//!   **never** counted on a weekend or holiday.
//! * **izin** (permit), **sakit** (sick, with or without a doctor's note), **cuti**
//!   (leave: annual, long, sick, maternity, important reasons, cuti bersama taken
//!   individually, unpaid CLTN), **dinas luar** (official travel): excused whole days.
//! * **off-site half day**: duty away from the office that replaces one scan (the
//!   morning check-in or the afternoon check-out); the other scan is still judged.
//!
//! [`check_absence`] refuses a new absence that overlaps another, lacks required
//! evidence (`attendance.evidence_required`), covers no working day, or would take
//! the employee's permits over the monthly cap (`attendance.permit_cap_per_month`,
//! 3 in Manado), counted in working days.
//!
//! # The rules of [`evaluate_day`], in order
//!
//! 1. **Non-working day** (`schedule` is `None`): [`DayStatus::NonWorking`]; nothing is
//!    counted, whatever the scans or absences say.
//! 2. **Whole-day absence** (any kind but an off-site half day): [`DayStatus::Excused`]
//!    with the kind, or [`DayStatus::Unexcused`] for a declared TK. Scans are recorded
//!    for display but not judged; no lateness.
//! 3. **No scan at all** and no off-site half day: [`DayStatus::Unexcused`] (TK).
//! 4. Otherwise [`DayStatus::Present`]. The check-in (unless an off-site half day
//!    replaces it) gives the late minutes and band, or a missing check-in; the
//!    check-out (unless replaced) the early minutes and band, or a missing check-out.
//! 5. A missing scan under the `absent` rule turns the day into
//!    [`DayStatus::Unexcused`], with no minutes or bands (the missing flags stay set).
//!
//! ```
//! use chrono::{NaiveDate, NaiveDateTime};
//! use kinerja::attendance::*;
//! use kinerja::calendar::WorkCalendar;
//! use kinerja::policy::Policy;
//!
//! let date = NaiveDate::from_ymd_opt(2026, 10, 5).unwrap(); // a Monday, 07:30-16:00
//! let params = AttendanceParams::from_policy(&Policy::national(), date).unwrap().params;
//! let calendar = WorkCalendar::indonesia_2026();
//! let employee = "197001012000011001".parse().unwrap();
//! let at = |t: &str| NaiveDateTime::parse_from_str(&format!("2026-10-05 {t}"), "%Y-%m-%d %H:%M:%S").unwrap();
//! let clocks = [
//!     ClockEvent { employee, at: at("07:41:10"), direction: ClockDirection::In, source: ClockSource::Fingerprint, geofence: None },
//! ];
//! let day = evaluate_day(date, calendar.schedule(date), &clocks, None, &params);
//! assert_eq!(day.status, DayStatus::Present);
//! assert_eq!(day.late_minutes.get(), 12); // 11 min 10 s = 670 s -> ceil(670 / 60) = 12
//! assert_eq!(day.late_band, Some(Band::B1));
//! assert!(day.missing_check_out); // no Out scan: PSW4 by default
//! assert_eq!(day.early_band, Some(Band::B4));
//! ```

use std::collections::BTreeMap;
use std::fmt;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::{DaySchedule, WorkCalendar};
use crate::error::Problem;
use crate::geo::{GeoVerdict, GeofenceParams, GeofenceRule};
use crate::minutes::Minutes;
use crate::month::{DateRange, YearMonth};
use crate::nip::Nip;
use crate::policy::{Binder, Bound, Policy, PolicyError, Value};
use crate::roster::ShiftTimes;

/// The record name used in errors and problems about absences.
const ABSENCE: &str = "absence";

// --- clock events ------------------------------------------------------------------

/// Whether a scan records arriving or leaving.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockDirection {
    /// Check-in (*absen masuk*).
    #[doc(alias = "masuk")]
    In,
    /// Check-out (*absen pulang*).
    #[doc(alias = "pulang")]
    Out,
}

/// Where a scan came from.
///
/// JSON is tagged by `kind`: `{"kind": "fingerprint"}`, `{"kind": "face"}`,
/// `{"kind": "mobile", "latitude": "-6.2000", "longitude": "106.8166", "accuracy_m": 12}`
/// (coordinates as exact decimal strings), or `{"kind": "mobile"}` for a phone scan
/// without a position ([`ClockSource::MobileWithoutPosition`]; also read as
/// `{"kind": "mobile_without_position"}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClockSource {
    /// A fingerprint reader (*mesin sidik jari*).
    #[doc(alias = "sidik jari")]
    Fingerprint,
    /// A face-recognition terminal.
    Face,
    /// A mobile app with the device's position.
    Mobile {
        /// Latitude in decimal degrees (exact).
        #[serde(with = "rust_decimal::serde::str")]
        latitude: Decimal,
        /// Longitude in decimal degrees (exact).
        #[serde(with = "rust_decimal::serde::str")]
        longitude: Decimal,
        /// Reported accuracy radius in metres, when the device gives one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        accuracy_m: Option<u32>,
    },
    /// A mobile app that gave no position (location off or not yet fixed). Judged
    /// by the geofence rule `attendance.geofence_no_position` ([`crate::geo`]).
    #[serde(rename = "mobile")]
    MobileWithoutPosition,
}

/// The JSON form of [`ClockSource`] as read: every field named, unknown ones refused
/// for every kind (serde does not enforce `deny_unknown_fields` on the unit variants of
/// an internally tagged enum, so a fingerprint scan could carry an unhashed field).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockSourceWire {
    kind: String,
    #[serde(default, with = "rust_decimal::serde::str_option")]
    latitude: Option<Decimal>,
    #[serde(default, with = "rust_decimal::serde::str_option")]
    longitude: Option<Decimal>,
    #[serde(default)]
    accuracy_m: Option<u32>,
}

impl<'de> Deserialize<'de> for ClockSource {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let w = ClockSourceWire::deserialize(d)?;
        let device_only = |kind: &str| {
            if w.latitude.is_some() || w.longitude.is_some() || w.accuracy_m.is_some() {
                Err(D::Error::custom(format!("a `{kind}` clock source has no position fields")))
            } else {
                Ok(())
            }
        };
        match w.kind.as_str() {
            "fingerprint" => device_only("fingerprint").map(|()| ClockSource::Fingerprint),
            "face" => device_only("face").map(|()| ClockSource::Face),
            "mobile" | "mobile_without_position"
                if w.latitude.is_none() && w.longitude.is_none() && w.accuracy_m.is_none() =>
            {
                Ok(ClockSource::MobileWithoutPosition)
            }
            "mobile" => Ok(ClockSource::Mobile {
                latitude: w.latitude.ok_or_else(|| D::Error::missing_field("latitude"))?,
                longitude: w.longitude.ok_or_else(|| D::Error::missing_field("longitude"))?,
                accuracy_m: w.accuracy_m,
            }),
            "mobile_without_position" => {
                device_only("mobile_without_position").map(|()| ClockSource::MobileWithoutPosition)
            }
            other => {
                Err(D::Error::unknown_variant(other, &["fingerprint", "face", "mobile", "mobile_without_position"]))
            }
        }
    }
}

/// One scan by one employee.
#[doc(alias = "presensi")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockEvent {
    /// Who scanned.
    pub employee: Nip,
    /// Local date and time of the scan (`"2026-10-05T07:31:00"`).
    pub at: NaiveDateTime,
    /// In or out.
    pub direction: ClockDirection,
    /// The device.
    pub source: ClockSource,
    /// Where a phone scan was relative to the employee's work sites
    /// ([`crate::geo`]). Set by the ledger when the scan is recorded, whatever the
    /// client sent; `None` for machine scans, for employees no site serves, and for
    /// scans recorded before geofencing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geofence: Option<crate::geo::GeoCheck>,
}

// --- absences ----------------------------------------------------------------------

/// The kinds of leave (*cuti*) of a civil servant.
#[doc(alias = "cuti")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeaveKind {
    /// Annual leave (*cuti tahunan*), 12 working days a year.
    #[doc(alias = "cuti tahunan")]
    Annual,
    /// Long leave (*cuti besar*).
    #[doc(alias = "cuti besar")]
    Long,
    /// Sick leave (*cuti sakit*), longer sickness granted as leave.
    #[doc(alias = "cuti sakit")]
    Sick,
    /// Maternity leave (*cuti melahirkan*).
    #[doc(alias = "cuti melahirkan")]
    Maternity,
    /// Leave for important reasons (*cuti karena alasan penting*).
    #[doc(alias = "cuti karena alasan penting")]
    ImportantReason,
    /// A collective leave day (*cuti bersama*) taken individually, e.g. where the
    /// office stayed open on the day.
    #[doc(alias = "cuti bersama")]
    Collective,
    /// Unpaid leave outside the state's responsibility (*cuti di luar tanggungan
    /// negara*, CLTN).
    #[doc(alias = "CLTN")]
    Unpaid,
}

/// Why an employee is away on a working day.
///
/// Every kind has a stable [`code`](AbsenceKind::code) shared by the ledger, the
/// monthly recap, policy (`attendance.evidence_required`) and the allowance rules.
/// JSON is tagged by that code: `{"kind": "leave.annual"}`, `{"kind": "sick_with_note"}`,
/// `{"kind": "off_site_half_day", "replaces": "in"}`.
#[doc(alias = "ketidakhadiran")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "AbsenceKindWire", into = "AbsenceKindWire")]
pub enum AbsenceKind {
    /// Unexcused absence (*TK, tanpa keterangan*; *alpa*). Code `unexcused`.
    #[doc(alias = "TK")]
    #[doc(alias = "alpa")]
    Unexcused,
    /// Permit (*izin*), capped per month by some cities. Code `permit`.
    #[doc(alias = "izin")]
    Permit,
    /// Sick (*sakit*) without leave: code `sick`, or `sick_with_note` with a doctor's
    /// note (*surat keterangan dokter*).
    #[doc(alias = "sakit")]
    Sick {
        /// Whether a doctor's note backs the absence.
        doctor_note: bool,
    },
    /// Leave (*cuti*). Code `leave.<kind>`, e.g. `leave.annual`.
    #[doc(alias = "cuti")]
    Leave(LeaveKind),
    /// Official travel (*dinas luar*, *perjalanan dinas*). Code `official_travel`.
    #[doc(alias = "dinas luar")]
    OfficialTravel,
    /// Half a day of duty off site that replaces one scan. Code `off_site_half_day`.
    #[doc(alias = "dinas luar setengah hari")]
    OffSiteHalfDay {
        /// The scan it replaces: `In` for a morning off site, `Out` for an afternoon.
        replaces: ClockDirection,
    },
}

impl AbsenceKind {
    /// Every code [`AbsenceKind::code`] can return, in declaration order.
    pub const ALL_CODES: &'static [&'static str] = &[
        "unexcused",
        "permit",
        "sick",
        "sick_with_note",
        "leave.annual",
        "leave.long",
        "leave.sick",
        "leave.maternity",
        "leave.important_reason",
        "leave.collective",
        "leave.unpaid",
        "official_travel",
        "off_site_half_day",
    ];

    /// The stable code of this kind (see [`AbsenceKind::ALL_CODES`]).
    pub fn code(&self) -> &'static str {
        match self {
            AbsenceKind::Unexcused => "unexcused",
            AbsenceKind::Permit => "permit",
            AbsenceKind::Sick { doctor_note: false } => "sick",
            AbsenceKind::Sick { doctor_note: true } => "sick_with_note",
            AbsenceKind::Leave(LeaveKind::Annual) => "leave.annual",
            AbsenceKind::Leave(LeaveKind::Long) => "leave.long",
            AbsenceKind::Leave(LeaveKind::Sick) => "leave.sick",
            AbsenceKind::Leave(LeaveKind::Maternity) => "leave.maternity",
            AbsenceKind::Leave(LeaveKind::ImportantReason) => "leave.important_reason",
            AbsenceKind::Leave(LeaveKind::Collective) => "leave.collective",
            AbsenceKind::Leave(LeaveKind::Unpaid) => "leave.unpaid",
            AbsenceKind::OfficialTravel => "official_travel",
            AbsenceKind::OffSiteHalfDay { .. } => "off_site_half_day",
        }
    }

    /// The kind with this code, except `off_site_half_day` (whose code does not say
    /// which scan it replaces) and unknown codes, which give `None`.
    pub fn from_code(code: &str) -> Option<AbsenceKind> {
        Some(match code {
            "unexcused" => AbsenceKind::Unexcused,
            "permit" => AbsenceKind::Permit,
            "sick" => AbsenceKind::Sick { doctor_note: false },
            "sick_with_note" => AbsenceKind::Sick { doctor_note: true },
            "leave.annual" => AbsenceKind::Leave(LeaveKind::Annual),
            "leave.long" => AbsenceKind::Leave(LeaveKind::Long),
            "leave.sick" => AbsenceKind::Leave(LeaveKind::Sick),
            "leave.maternity" => AbsenceKind::Leave(LeaveKind::Maternity),
            "leave.important_reason" => AbsenceKind::Leave(LeaveKind::ImportantReason),
            "leave.collective" => AbsenceKind::Leave(LeaveKind::Collective),
            "leave.unpaid" => AbsenceKind::Leave(LeaveKind::Unpaid),
            "official_travel" => AbsenceKind::OfficialTravel,
            _ => return None,
        })
    }

    /// True for every kind that covers the whole day (all but
    /// [`AbsenceKind::OffSiteHalfDay`]).
    pub fn is_whole_day(&self) -> bool {
        !matches!(self, AbsenceKind::OffSiteHalfDay { .. })
    }
}

impl fmt::Display for AbsenceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The JSON form of [`AbsenceKind`]: tagged by its code.
#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(tag = "kind")]
enum AbsenceKindWire {
    #[serde(rename = "unexcused")]
    Unexcused,
    #[serde(rename = "permit")]
    Permit,
    #[serde(rename = "sick")]
    Sick,
    #[serde(rename = "sick_with_note")]
    SickWithNote,
    #[serde(rename = "leave.annual")]
    LeaveAnnual,
    #[serde(rename = "leave.long")]
    LeaveLong,
    #[serde(rename = "leave.sick")]
    LeaveSick,
    #[serde(rename = "leave.maternity")]
    LeaveMaternity,
    #[serde(rename = "leave.important_reason")]
    LeaveImportantReason,
    #[serde(rename = "leave.collective")]
    LeaveCollective,
    #[serde(rename = "leave.unpaid")]
    LeaveUnpaid,
    #[serde(rename = "official_travel")]
    OfficialTravel,
    #[serde(rename = "off_site_half_day")]
    OffSiteHalfDay { replaces: ClockDirection },
}

impl From<AbsenceKindWire> for AbsenceKind {
    fn from(w: AbsenceKindWire) -> Self {
        use AbsenceKindWire as W;
        match w {
            W::Unexcused => AbsenceKind::Unexcused,
            W::Permit => AbsenceKind::Permit,
            W::Sick => AbsenceKind::Sick { doctor_note: false },
            W::SickWithNote => AbsenceKind::Sick { doctor_note: true },
            W::LeaveAnnual => AbsenceKind::Leave(LeaveKind::Annual),
            W::LeaveLong => AbsenceKind::Leave(LeaveKind::Long),
            W::LeaveSick => AbsenceKind::Leave(LeaveKind::Sick),
            W::LeaveMaternity => AbsenceKind::Leave(LeaveKind::Maternity),
            W::LeaveImportantReason => AbsenceKind::Leave(LeaveKind::ImportantReason),
            W::LeaveCollective => AbsenceKind::Leave(LeaveKind::Collective),
            W::LeaveUnpaid => AbsenceKind::Leave(LeaveKind::Unpaid),
            W::OfficialTravel => AbsenceKind::OfficialTravel,
            W::OffSiteHalfDay { replaces } => AbsenceKind::OffSiteHalfDay { replaces },
        }
    }
}

impl From<AbsenceKind> for AbsenceKindWire {
    fn from(k: AbsenceKind) -> Self {
        use AbsenceKindWire as W;
        match k {
            AbsenceKind::Unexcused => W::Unexcused,
            AbsenceKind::Permit => W::Permit,
            AbsenceKind::Sick { doctor_note: false } => W::Sick,
            AbsenceKind::Sick { doctor_note: true } => W::SickWithNote,
            AbsenceKind::Leave(LeaveKind::Annual) => W::LeaveAnnual,
            AbsenceKind::Leave(LeaveKind::Long) => W::LeaveLong,
            AbsenceKind::Leave(LeaveKind::Sick) => W::LeaveSick,
            AbsenceKind::Leave(LeaveKind::Maternity) => W::LeaveMaternity,
            AbsenceKind::Leave(LeaveKind::ImportantReason) => W::LeaveImportantReason,
            AbsenceKind::Leave(LeaveKind::Collective) => W::LeaveCollective,
            AbsenceKind::Leave(LeaveKind::Unpaid) => W::LeaveUnpaid,
            AbsenceKind::OfficialTravel => W::OfficialTravel,
            AbsenceKind::OffSiteHalfDay { replaces } => W::OffSiteHalfDay { replaces },
        }
    }
}

/// An absence of one employee over a range of dates.
///
/// JSON: `{"employee": "...", "range": {"start": "2026-10-05", "end": "2026-10-06"},
/// "kind": "leave.annual", "evidence": "SK Cuti 800/123", "note": null}` (the kind's
/// fields, such as `replaces`, sit beside `kind`). Unknown fields are refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Absence {
    /// Who is away.
    pub employee: Nip,
    /// The dates, inclusive. Only its working days count.
    pub range: DateRange,
    /// Why.
    #[serde(flatten)]
    pub kind: AbsenceKind,
    /// A reference to the supporting document (leave decree, doctor's note, travel
    /// order *surat tugas*), required for the kinds listed in
    /// `attendance.evidence_required`.
    #[serde(default)]
    pub evidence: Option<String>,
    /// Free text.
    #[serde(default)]
    pub note: Option<String>,
}

/// The JSON form of [`Absence`] as read: every field named, unknown ones refused
/// (a flattened kind cannot refuse them).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AbsenceWire {
    employee: Nip,
    range: DateRange,
    kind: String,
    #[serde(default)]
    replaces: Option<ClockDirection>,
    #[serde(default)]
    evidence: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

impl<'de> Deserialize<'de> for Absence {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let w = AbsenceWire::deserialize(d)?;
        let kind = match (w.kind.as_str(), w.replaces) {
            ("off_site_half_day", Some(replaces)) => AbsenceKind::OffSiteHalfDay { replaces },
            ("off_site_half_day", None) => return Err(D::Error::missing_field("replaces")),
            (code, None) => AbsenceKind::from_code(code).ok_or_else(|| {
                D::Error::custom(format!(
                    "unknown absence kind `{code}`, expected one of {}",
                    AbsenceKind::ALL_CODES.join(", ")
                ))
            })?,
            (_, Some(_)) => {
                return Err(D::Error::custom("`replaces` belongs to an off-site half day only"));
            }
        };
        Ok(Absence { employee: w.employee, range: w.range, kind, evidence: w.evidence, note: w.note })
    }
}

// --- parameters --------------------------------------------------------------------

/// A lateness or early-leave band: TL1-TL4 for late arrival, PSW1-PSW4 for early leave.
///
/// Displays and serialises as its number, 1 to 4. Ordered from mildest to worst.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum Band {
    /// Band 1 (1-30 minutes under the common limits).
    B1,
    /// Band 2 (31-60 minutes).
    B2,
    /// Band 3 (61-90 minutes).
    B3,
    /// Band 4 (over 90 minutes), also a missing scan under the `band4` rule.
    B4,
}

impl Band {
    /// All bands, mildest first.
    pub const ALL: [Band; 4] = [Band::B1, Band::B2, Band::B3, Band::B4];

    /// The band's number, 1 to 4.
    pub fn number(self) -> u8 {
        match self {
            Band::B1 => 1,
            Band::B2 => 2,
            Band::B3 => 3,
            Band::B4 => 4,
        }
    }

    /// The position in arrays indexed by band (`0` for band 1, `3` for band 4).
    pub fn index(self) -> usize {
        usize::from(self.number()) - 1
    }

    /// The late-arrival label, `"TL1"` to `"TL4"` (*terlambat*).
    #[doc(alias = "TL")]
    pub fn late_code(self) -> &'static str {
        match self {
            Band::B1 => "TL1",
            Band::B2 => "TL2",
            Band::B3 => "TL3",
            Band::B4 => "TL4",
        }
    }

    /// The early-leave label, `"PSW1"` to `"PSW4"` (*pulang sebelum waktunya*).
    #[doc(alias = "PSW")]
    pub fn early_code(self) -> &'static str {
        match self {
            Band::B1 => "PSW1",
            Band::B2 => "PSW2",
            Band::B3 => "PSW3",
            Band::B4 => "PSW4",
        }
    }
}

impl fmt::Display for Band {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.number())
    }
}

impl From<Band> for u8 {
    fn from(b: Band) -> u8 {
        b.number()
    }
}

impl TryFrom<u8> for Band {
    type Error = String;
    fn try_from(n: u8) -> Result<Band, String> {
        match n {
            1 => Ok(Band::B1),
            2 => Ok(Band::B2),
            3 => Ok(Band::B3),
            4 => Ok(Band::B4),
            _ => Err(format!("{n} is not a band (1-4)")),
        }
    }
}

/// The upper limits, in minutes, of bands 1, 2 and 3; anything above the third is
/// band 4. Strictly ascending and at least 1 (checked on construction).
///
/// `[30, 60, 90]`: band 1 = 1..=30, band 2 = 31..=60, band 3 = 61..=90, band 4 = 91 and
/// more. A city with three bands only (Manado: 1 / 2 / 3 %) keeps four here and gives
/// band 4 the same rate as band 3 in its allowance rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "[i64; 3]", into = "[i64; 3]")]
pub struct BandLimits([i64; 3]);

impl BandLimits {
    /// Limits from three ascending positive minute counts.
    pub fn new(limits: [i64; 3]) -> Result<BandLimits, String> {
        let [a, b, c] = limits;
        if a < 1 {
            return Err(format!("the first band limit must be at least 1 minute, found {a}"));
        }
        if !(a < b && b < c) {
            return Err(format!("band limits must be strictly ascending, found [{a}, {b}, {c}]"));
        }
        Ok(BandLimits(limits))
    }

    /// The common limits `[30, 60, 90]`.
    pub fn common() -> BandLimits {
        BandLimits([30, 60, 90])
    }

    /// The three limits in minutes.
    pub fn limits(&self) -> [Minutes; 3] {
        self.0.map(Minutes)
    }

    /// The band of `minutes` late or early; `None` for zero or less (on time).
    pub fn band(&self, minutes: Minutes) -> Option<Band> {
        let m = minutes.get();
        let [a, b, c] = self.0;
        if m <= 0 {
            None
        } else if m <= a {
            Some(Band::B1)
        } else if m <= b {
            Some(Band::B2)
        } else if m <= c {
            Some(Band::B3)
        } else {
            Some(Band::B4)
        }
    }

    /// Reads the policy value of `attendance.band_limits_minutes`: a list of three
    /// ascending integers.
    pub fn from_policy_value(value: &Value) -> Result<BandLimits, String> {
        let Some(items) = value.as_list() else {
            return Err("expected a list of three ascending integers, e.g. [30, 60, 90]".to_string());
        };
        let ints: Vec<i64> = items.iter().filter_map(Value::as_int).collect();
        if items.len() != 3 || ints.len() != 3 {
            return Err(format!("expected a list of three integers, e.g. [30, 60, 90], found {value}"));
        }
        let arr: [i64; 3] = ints.try_into().map_err(|_| "expected three integers".to_string())?;
        BandLimits::new(arr)
    }
}

impl TryFrom<[i64; 3]> for BandLimits {
    type Error = String;
    fn try_from(limits: [i64; 3]) -> Result<Self, String> {
        BandLimits::new(limits)
    }
}

impl From<BandLimits> for [i64; 3] {
    fn from(b: BandLimits) -> [i64; 3] {
        b.0
    }
}

/// What a missing scan counts as (policy `attendance.missing_check_in` and
/// `attendance.missing_check_out`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingScanRule {
    /// The worst band: TL4 for a missing check-in, PSW4 for a missing check-out
    /// (policy text `"band4"`; the common rule).
    #[serde(rename = "band4")]
    Band4,
    /// The whole day is an unexcused absence (policy text `"absent"`).
    Absent,
}

impl MissingScanRule {
    /// The policy text: `"band4"` or `"absent"`.
    pub fn as_str(self) -> &'static str {
        match self {
            MissingScanRule::Band4 => "band4",
            MissingScanRule::Absent => "absent",
        }
    }

    /// Parses the policy text.
    pub fn parse(text: &str) -> Option<MissingScanRule> {
        match text {
            "band4" => Some(MissingScanRule::Band4),
            "absent" => Some(MissingScanRule::Absent),
            _ => None,
        }
    }
}

/// The attendance rules in force on a date, read from policy
/// ([`AttendanceParams::from_policy`]) or built by hand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceParams {
    /// Lateness up to this many seconds is on time (`attendance.late_grace_seconds`).
    pub late_grace_seconds: u32,
    /// Early leave up to this many seconds is on time (`attendance.early_grace_seconds`).
    pub early_grace_seconds: u32,
    /// How seconds past the grace become minutes (`attendance.minute_rounding`).
    #[serde(default)]
    pub minute_rounding: MinuteRounding,
    /// Band limits (`attendance.band_limits_minutes`).
    pub band_limits: BandLimits,
    /// What a missing check-in counts as (`attendance.missing_check_in`).
    pub missing_check_in: MissingScanRule,
    /// What a missing check-out counts as (`attendance.missing_check_out`).
    pub missing_check_out: MissingScanRule,
    /// Most permit working days per employee per calendar month
    /// (`attendance.permit_cap_per_month`).
    pub permit_cap_per_month: u32,
    /// Absence codes that need evidence (`attendance.evidence_required`), each one of
    /// [`AbsenceKind::ALL_CODES`].
    pub evidence_required: Vec<String>,
    /// How many minutes before a rostered shift's start and after its end a scan
    /// still belongs to that shift (`attendance.shift_scan_margin_minutes`; see
    /// [`attribute_scan`]).
    #[serde(default = "default_shift_margin")]
    pub shift_scan_margin_minutes: u32,
    /// What happens to phone clock-ins outside the work site or without a position
    /// (`attendance.geofence_outside`, `attendance.geofence_no_position`; see
    /// [`crate::geo`]).
    #[serde(default = "default_geofence")]
    pub geofence: GeofenceParams,
}

fn default_shift_margin() -> u32 {
    240
}

fn default_geofence() -> GeofenceParams {
    GeofenceParams { outside: GeofenceRule::Flag, no_position: GeofenceRule::Flag }
}

impl AttendanceParams {
    /// Reads the attendance parameters in force on `date`: keys
    /// `attendance.late_grace_seconds`, `attendance.early_grace_seconds`,
    /// `attendance.minute_rounding`, `attendance.band_limits_minutes`, `attendance.missing_check_in`,
    /// `attendance.missing_check_out`, `attendance.permit_cap_per_month`,
    /// `attendance.evidence_required`, `attendance.shift_scan_margin_minutes`,
    /// `attendance.geofence_outside` and `attendance.geofence_no_position`, each with
    /// its provenance.
    pub fn from_policy(policy: &Policy, date: NaiveDate) -> Result<Bound<AttendanceParams>, PolicyError> {
        let mut b = Binder::new(policy, date);
        let late_grace_seconds = non_negative_u32(&mut b, "attendance.late_grace_seconds")?;
        let early_grace_seconds = non_negative_u32(&mut b, "attendance.early_grace_seconds")?;
        let minute_rounding = b.custom("attendance.minute_rounding", |v| match v.as_text() {
            Some("started") => Ok(MinuteRounding::Started),
            Some("whole") => Ok(MinuteRounding::Whole),
            _ => Err(format!("expected `started` or `whole`, found {v}")),
        })?;
        let band_limits = b.custom("attendance.band_limits_minutes", BandLimits::from_policy_value)?;
        let missing_check_in = missing_rule(&mut b, "attendance.missing_check_in")?;
        let missing_check_out = missing_rule(&mut b, "attendance.missing_check_out")?;
        let permit_cap_per_month = non_negative_u32(&mut b, "attendance.permit_cap_per_month")?;
        let evidence_required = b.custom("attendance.evidence_required", evidence_codes)?;
        let shift_scan_margin_minutes = non_negative_u32(&mut b, "attendance.shift_scan_margin_minutes")?;
        let outside = geofence_rule(&mut b, "attendance.geofence_outside")?;
        let no_position = geofence_rule(&mut b, "attendance.geofence_no_position")?;
        Ok(b.finish(AttendanceParams {
            late_grace_seconds,
            early_grace_seconds,
            minute_rounding,
            band_limits,
            missing_check_in,
            missing_check_out,
            permit_cap_per_month,
            evidence_required,
            shift_scan_margin_minutes,
            geofence: GeofenceParams { outside, no_position },
        }))
    }

    /// Parameters that judge nothing (for a day that is not a working day).
    fn placeholder() -> AttendanceParams {
        AttendanceParams {
            late_grace_seconds: 0,
            early_grace_seconds: 0,
            minute_rounding: MinuteRounding::Started,
            band_limits: BandLimits::common(),
            missing_check_in: MissingScanRule::Band4,
            missing_check_out: MissingScanRule::Band4,
            permit_cap_per_month: 0,
            evidence_required: Vec::new(),
            shift_scan_margin_minutes: default_shift_margin(),
            geofence: default_geofence(),
        }
    }

    /// True when an absence of `kind` needs evidence under these parameters.
    pub fn requires_evidence(&self, kind: &AbsenceKind) -> bool {
        let code = kind.code();
        self.evidence_required.iter().any(|c| c == code)
    }
}

/// Reads an integer key as a `u32`.
fn non_negative_u32(b: &mut Binder<'_>, key: &str) -> Result<u32, PolicyError> {
    let v = b.int(key)?;
    u32::try_from(v).map_err(|_| PolicyError::BadValue {
        key: key.to_string(),
        message: format!("{v} is not a non-negative count"),
    })
}

/// Reads a geofence rule key.
fn geofence_rule(b: &mut Binder<'_>, key: &str) -> Result<GeofenceRule, PolicyError> {
    let text = b.text(key)?;
    GeofenceRule::parse(&text).ok_or_else(|| PolicyError::BadValue {
        key: key.to_string(),
        message: format!("`{text}` is not one of refuse, flag, accept"),
    })
}

/// Reads a missing-scan rule key.
fn missing_rule(b: &mut Binder<'_>, key: &str) -> Result<MissingScanRule, PolicyError> {
    let text = b.text(key)?;
    MissingScanRule::parse(&text).ok_or_else(|| PolicyError::BadValue {
        key: key.to_string(),
        message: format!("`{text}` is not one of band4, absent"),
    })
}

/// Reads the policy value of `attendance.evidence_required`: a list of distinct
/// absence codes (see [`AbsenceKind::ALL_CODES`]). Also the catalogue's checker.
pub fn evidence_codes(value: &Value) -> Result<Vec<String>, String> {
    let Some(items) = value.as_list() else {
        return Err("expected a list of absence codes, e.g. [\"official_travel\"]".to_string());
    };
    let mut problems = Vec::new();
    let mut codes: Vec<String> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match item.as_text() {
            Some(code) if !AbsenceKind::ALL_CODES.contains(&code) => {
                problems.push(format!("[{i}]: `{code}` is not an absence code ({})", AbsenceKind::ALL_CODES.join(", ")))
            }
            Some(code) if codes.iter().any(|c| c == code) => problems.push(format!("[{i}]: `{code}` is listed twice")),
            Some(code) => codes.push(code.to_string()),
            None => problems.push(format!("[{i}]: expected an absence code as text, found {item}")),
        }
    }
    if problems.is_empty() { Ok(codes) } else { Err(problems.join("; ")) }
}

// --- one day -----------------------------------------------------------------------

/// The outcome of a day for one employee.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayStatus {
    /// Weekend or holiday: nothing is counted.
    NonWorking,
    /// At work (possibly late, early or with a missing scan; possibly half a day
    /// off site).
    #[doc(alias = "hadir")]
    Present,
    /// Away for the whole day with an excuse of this kind.
    Excused(AbsenceKind),
    /// Away without excuse (*TK, tanpa keterangan*): declared, no scan at all, or a
    /// missing scan under the `absent` rule.
    #[doc(alias = "TK")]
    #[doc(alias = "alpa")]
    Unexcused,
}

/// One employee's day, as judged by [`evaluate_day`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayAttendance {
    /// The date.
    pub date: NaiveDate,
    /// Present, excused, unexcused or not a working day.
    pub status: DayStatus,
    /// The earliest check-in of the day, if any (recorded on every kind of day).
    pub check_in: Option<NaiveTime>,
    /// The latest check-out of the day, if any (recorded on every kind of day).
    pub check_out: Option<NaiveTime>,
    /// Minutes late (TL); zero when on time, excused, replaced or missing.
    pub late_minutes: Minutes,
    /// Minutes left early (PSW); zero when on time, excused, replaced or missing.
    pub early_minutes: Minutes,
    /// The late-arrival band, also [`Band::B4`] for a missing check-in under the
    /// `band4` rule.
    pub late_band: Option<Band>,
    /// The early-leave band, also [`Band::B4`] for a missing check-out under the
    /// `band4` rule.
    pub early_band: Option<Band>,
    /// A working day judged without a check-in (not replaced by an off-site half day).
    pub missing_check_in: bool,
    /// A working day judged without a check-out (not replaced by an off-site half day).
    pub missing_check_out: bool,
    /// The scan an off-site half day replaced, if one did (so the morning or
    /// afternoon roll call can be excused).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub off_site: Option<ClockDirection>,
    /// The rostered shift judged instead of the office schedule
    /// ([`evaluate_shift_day`]); `None` on an office day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shift: Option<ShiftTimes>,
    /// A rostered day off (*libur dinas*): not a working day for this employee,
    /// whatever the calendar says.
    #[serde(default, skip_serializing_if = "is_false")]
    pub rostered_off: bool,
    /// The check-out was on the next calendar day (the end of a night shift).
    #[serde(default, skip_serializing_if = "is_false")]
    pub check_out_next_day: bool,
    /// Where the check-in was, for a geofenced phone scan ([`crate::geo`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_in_geofence: Option<GeoVerdict>,
    /// Where the check-out was, for a geofenced phone scan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_out_geofence: Option<GeoVerdict>,
    /// Some scan of the day is flagged by the geofence policy for review.
    #[serde(default, skip_serializing_if = "is_false")]
    pub geofence_flagged: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl DayAttendance {
    fn blank(date: NaiveDate, status: DayStatus, check_in: Option<NaiveTime>, check_out: Option<NaiveTime>) -> Self {
        DayAttendance {
            date,
            status,
            check_in,
            check_out,
            late_minutes: Minutes::ZERO,
            early_minutes: Minutes::ZERO,
            late_band: None,
            early_band: None,
            missing_check_in: false,
            missing_check_out: false,
            off_site: None,
            shift: None,
            rostered_off: false,
            check_out_next_day: false,
            check_in_geofence: None,
            check_out_geofence: None,
            geofence_flagged: false,
        }
    }
}

/// How seconds of lateness (or early leave) past the grace become minutes
/// (`attendance.minute_rounding`; see the [module docs](self#seconds-minutes-and-the-grace-period)).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MinuteRounding {
    /// Every started minute counts: `ceil(seconds / 60)` (08:00:30 after 07:30 is 31 min).
    #[default]
    Started,
    /// Whole minutes only: `floor(seconds / 60)` (08:00:30 after 07:30 is 30 min).
    Whole,
}

/// Minutes counted for a lateness (or early leave) of `seconds` under `rounding`:
/// 0 when `seconds <= 0` or `seconds <= grace`, else `ceil(seconds / 60)` (started) or
/// `floor(seconds / 60)` (whole).
///
/// ```
/// use kinerja::attendance::{MinuteRounding, counted_minutes_by};
/// // 08:00:30 after a 07:30 start: 1,830 s.
/// assert_eq!(counted_minutes_by(1830, 0, MinuteRounding::Started).get(), 31); // TL2
/// assert_eq!(counted_minutes_by(1830, 0, MinuteRounding::Whole).get(), 30); // TL1
/// ```
pub fn counted_minutes_by(seconds: i64, grace_seconds: u32, rounding: MinuteRounding) -> Minutes {
    if seconds <= 0 || seconds <= i64::from(grace_seconds) {
        return Minutes::ZERO;
    }
    // `seconds` is the difference of a scan and a shift's start or end, within a few
    // days: no overflow (and the addition saturates anyway).
    match rounding {
        MinuteRounding::Started => Minutes(seconds.saturating_add(59) / 60),
        MinuteRounding::Whole => Minutes(seconds / 60),
    }
}

/// Minutes counted for a lateness (or early leave) of `seconds`, given the grace, counting
/// started minutes ([`MinuteRounding::Started`]): 0 when `seconds <= 0` or
/// `seconds <= grace`, else `ceil(seconds / 60)`.
///
/// ```
/// use kinerja::attendance::counted_minutes;
/// assert_eq!(counted_minutes(59, 59).get(), 0); // 07:30:59 with 59 s grace: on time
/// assert_eq!(counted_minutes(60, 59).get(), 1); // 07:31:00: 1 minute
/// assert_eq!(counted_minutes(61, 0).get(), 2); // 07:31:01: 2 started minutes
/// ```
pub fn counted_minutes(seconds: i64, grace_seconds: u32) -> Minutes {
    counted_minutes_by(seconds, grace_seconds, MinuteRounding::Started)
}

/// The earliest `In` and the latest `Out` among `clocks` (the first listed among
/// equal times).
pub(crate) fn pick<'a>(
    clocks: impl Iterator<Item = &'a ClockEvent>,
) -> (Option<&'a ClockEvent>, Option<&'a ClockEvent>) {
    let mut check_in: Option<&ClockEvent> = None;
    let mut check_out: Option<&ClockEvent> = None;
    for e in clocks {
        match e.direction {
            ClockDirection::In if check_in.is_none_or(|c| e.at < c.at) => check_in = Some(e),
            ClockDirection::Out if check_out.is_none_or(|c| e.at > c.at) => check_out = Some(e),
            _ => {}
        }
    }
    (check_in, check_out)
}

/// Judges one employee's day (see the [module docs](self) for the rules, in order).
///
/// * `schedule`: the day's hours, `calendar.schedule(date)`; `None` on a weekend or
///   holiday. During Ramadan this is the Ramadan schedule, so lateness counts from
///   08:00.
/// * `clocks`: that employee's scans, in any order. Scans dated another day are
///   ignored; the employee field is not checked.
/// * `absence`: the absence covering the date, if any.
///
/// For an employee on a roster, use [`evaluate_shift_day`] on a rostered shift and
/// [`rostered_day_off`] on a rostered day off.
pub fn evaluate_day(
    date: NaiveDate,
    schedule: Option<&DaySchedule>,
    clocks: &[ClockEvent],
    absence: Option<&AbsenceKind>,
    params: &AttendanceParams,
) -> DayAttendance {
    let (check_in, check_out) = pick(clocks.iter().filter(|e| e.at.date() == date));
    evaluate_picked(date, schedule, check_in.map(Picked::of), check_out.map(Picked::of), absence, params)
}

/// What [`judge`] reads of a chosen scan: its time and its geofence verdict.
/// Made from a [`ClockEvent`] ([`Picked::of`]) or from the ledger's compact month
/// sheet, so that both are judged by the same code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Picked {
    /// When.
    pub at: NaiveDateTime,
    /// The geofence verdict, if the scan carries one.
    pub verdict: Option<GeoVerdict>,
    /// Flagged for review by the geofence policy.
    pub flagged: bool,
}

impl Picked {
    /// The parts of `e` a day's judgement reads.
    pub(crate) fn of(e: &ClockEvent) -> Picked {
        Picked {
            at: e.at,
            verdict: e.geofence.as_ref().map(|g| g.verdict),
            flagged: e.geofence.as_ref().is_some_and(|g| g.flagged),
        }
    }
}

/// [`evaluate_day`] from the day's already chosen check-in (the earliest `In` dated
/// on `date`, the first listed among equal times) and check-out (the latest `Out`):
/// `evaluate_day` reads no more of the day's scans than these two.
pub(crate) fn evaluate_picked(
    date: NaiveDate,
    schedule: Option<&DaySchedule>,
    check_in: Option<Picked>,
    check_out: Option<Picked>,
    absence: Option<&AbsenceKind>,
    params: &AttendanceParams,
) -> DayAttendance {
    let hours = schedule.map(|s| (date.and_time(s.start), date.and_time(s.end)));
    judge(date, hours, check_in, check_out, absence, params)
}

/// Judges a day on which the employee is rostered for `shift` (a
/// [`crate::roster::ShiftPattern`] as worked from `date`): the day is a working day
/// whatever the calendar says (weekend, holiday, cuti bersama), lateness counts from
/// the shift's start and early leave up to its end, with the same grace, rounding,
/// bands and missing-scan rules as [`evaluate_day`] (rules 2-5 of the module docs).
///
/// `clocks` may hold any of the employee's scans: only those inside the shift's
/// window count (from `shift_scan_margin_minutes` before the start to as many after
/// the end); a caller with overlapping shifts assigns scans with [`attribute_scan`]
/// first. A night shift's check-out on the next calendar day is its own
/// ([`DayAttendance::check_out_next_day`]).
///
/// ```
/// use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
/// use kinerja::attendance::*;
/// use kinerja::policy::Policy;
/// use kinerja::roster::ShiftPattern;
///
/// let malam = ShiftPattern {
///     code: "malam".into(), name: "Dinas malam".into(),
///     start: NaiveTime::from_hms_opt(21, 0, 0).unwrap(), end: NaiveTime::from_hms_opt(7, 0, 0).unwrap(),
///     rest_minutes: kinerja::Minutes(60),
/// };
/// let date = NaiveDate::from_ymd_opt(2026, 10, 3).unwrap(); // a Saturday
/// let params = AttendanceParams::from_policy(&Policy::national(), date).unwrap().params;
/// let employee: kinerja::org::Nip = "197001012000011001".parse().unwrap();
/// let at = |t: &str| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S").unwrap();
/// let scan = |t, direction| ClockEvent {
///     employee: employee.clone(), at: at(t), direction, source: ClockSource::Fingerprint, geofence: None,
/// };
/// let clocks = [scan("2026-10-03 21:04:00", ClockDirection::In), scan("2026-10-04 06:50:00", ClockDirection::Out)];
/// let day = evaluate_shift_day(date, &malam.on(date), &clocks, None, &params);
/// assert_eq!(day.status, DayStatus::Present); // a Saturday, but rostered
/// assert_eq!(day.late_minutes.get(), 4); // 21:04:00 - 21:00:00 = 240 s -> 4 min, TL1
/// assert_eq!(day.early_minutes.get(), 10); // 07:00 (next day) - 06:50 = 600 s -> 10 min, PSW1
/// assert!(day.check_out_next_day);
/// ```
pub fn evaluate_shift_day(
    date: NaiveDate,
    shift: &ShiftTimes,
    clocks: &[ClockEvent],
    absence: Option<&AbsenceKind>,
    params: &AttendanceParams,
) -> DayAttendance {
    let margin = chrono::Duration::minutes(i64::from(params.shift_scan_margin_minutes));
    let (from, until) = (shift.start - margin, shift.end + margin);
    let (check_in, check_out) = pick(clocks.iter().filter(|e| e.at >= from && e.at <= until));
    let (check_in, check_out) = (check_in.map(Picked::of), check_out.map(Picked::of));
    let mut day = judge(date, Some((shift.start, shift.end)), check_in, check_out, absence, params);
    day.shift = Some(*shift);
    day
}

/// A rostered day off: not a working day (nothing counted, no absence inferred),
/// with the day's scans recorded for display.
pub fn rostered_day_off(date: NaiveDate, clocks: &[ClockEvent]) -> DayAttendance {
    let (check_in, check_out) = pick(clocks.iter().filter(|e| e.at.date() == date));
    let (check_in, check_out) = (check_in.map(Picked::of), check_out.map(Picked::of));
    let mut day = judge(date, None, check_in, check_out, None, &AttendanceParams::placeholder());
    day.rostered_off = true;
    day
}

/// Which date's attendance a scan belongs to, for an employee whose roster may hold
/// shifts around it: `prev`, `same` and `next` are the shifts rostered to start the
/// day before the scan's date, on it, and the day after (`None` where there is no
/// shift).
///
/// A shift's window runs from `margin_minutes` before its start to `margin_minutes`
/// after its end. A scan inside no window belongs to its own date. Inside one window
/// it belongs to that shift's date. Inside two, a check-in belongs to the shift
/// whose start is nearer and a check-out to the shift whose end is nearer (on a
/// tie, the earlier shift).
///
/// A night shift 21:00-07:00 started on 5 October, margin 240 min: its window is
/// 5 Oct 17:00 to 6 Oct 11:00; a check-out on 6 Oct 07:05 belongs to 5 October. If
/// the same person is rostered *pagi* 07:00-14:00 on 6 October (window 6 Oct 03:00 to
/// 18:00), a check-in at 06:58 on 6 Oct is 2 minutes from the *pagi* start and 9 h 58
/// min from the night start: it belongs to 6 October.
pub fn attribute_scan(
    at: NaiveDateTime,
    direction: ClockDirection,
    prev: Option<&ShiftTimes>,
    same: Option<&ShiftTimes>,
    next: Option<&ShiftTimes>,
    margin_minutes: u32,
) -> NaiveDate {
    let date = at.date();
    let margin = chrono::Duration::minutes(i64::from(margin_minutes));
    let mut best: Option<(NaiveDate, i64)> = None;
    for (d, shift) in [(date.pred_opt(), prev), (Some(date), same), (date.succ_opt(), next)] {
        let (Some(d), Some(s)) = (d, shift) else { continue };
        if at < s.start - margin || at > s.end + margin {
            continue;
        }
        let anchor = match direction {
            ClockDirection::In => s.start,
            ClockDirection::Out => s.end,
        };
        let gap = (at - anchor).num_seconds().abs();
        if best.is_none_or(|(_, g)| gap < g) {
            best = Some((d, gap));
        }
    }
    best.map_or(date, |(d, _)| d)
}

/// Judges a day from its chosen scans and its hours (`None`: not a working day):
/// the scans' display fields here, the rules in [`verdict`].
fn judge(
    date: NaiveDate,
    hours: Option<(NaiveDateTime, NaiveDateTime)>,
    check_in: Option<Picked>,
    check_out: Option<Picked>,
    absence: Option<&AbsenceKind>,
    params: &AttendanceParams,
) -> DayAttendance {
    let mut day = DayAttendance::blank(
        date,
        DayStatus::NonWorking,
        check_in.map(|e| e.at.time()),
        check_out.map(|e| e.at.time()),
    );
    day.check_out_next_day = check_out.is_some_and(|e| e.at.date() > date);
    day.check_in_geofence = check_in.and_then(|e| e.verdict);
    day.check_out_geofence = check_out.and_then(|e| e.verdict);
    day.geofence_flagged = [check_in, check_out].iter().flatten().any(|e| e.flagged);
    let scans = hours.map(|(start, end)| {
        // Seconds late (the check-in after the start) and seconds early (the
        // check-out before the end), negative when on the other side.
        (check_in.map(|e| (e.at - start).num_seconds()), check_out.map(|e| (end - e.at).num_seconds()))
    });
    verdict(scans, absence, params).fill(&mut day);
    day
}

/// What the rules decide of a day ([`verdict`]), without the scans' display
/// fields: what [`MonthAttendance::add_verdict`] and the roll-call outcome read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Verdict {
    /// Present, excused, unexcused or not a working day.
    pub status: DayStatus,
    /// Minutes late.
    pub late_minutes: Minutes,
    /// Minutes left early.
    pub early_minutes: Minutes,
    /// The late-arrival band.
    pub late_band: Option<Band>,
    /// The early-leave band.
    pub early_band: Option<Band>,
    /// A working day judged without a check-in.
    pub missing_check_in: bool,
    /// A working day judged without a check-out.
    pub missing_check_out: bool,
    /// The scan an off-site half day replaced.
    pub off_site: Option<ClockDirection>,
}

impl Verdict {
    fn of(status: DayStatus) -> Verdict {
        Verdict {
            status,
            late_minutes: Minutes::ZERO,
            early_minutes: Minutes::ZERO,
            late_band: None,
            early_band: None,
            missing_check_in: false,
            missing_check_out: false,
            off_site: None,
        }
    }

    /// Writes the verdict into a day.
    fn fill(self, day: &mut DayAttendance) {
        day.status = self.status;
        day.late_minutes = self.late_minutes;
        day.early_minutes = self.early_minutes;
        day.late_band = self.late_band;
        day.early_band = self.early_band;
        day.missing_check_in = self.missing_check_in;
        day.missing_check_out = self.missing_check_out;
        day.off_site = self.off_site;
    }

    /// The verdict a day holds.
    pub(crate) fn of_day(day: &DayAttendance) -> Verdict {
        Verdict {
            status: day.status,
            late_minutes: day.late_minutes,
            early_minutes: day.early_minutes,
            late_band: day.late_band,
            early_band: day.early_band,
            missing_check_in: day.missing_check_in,
            missing_check_out: day.missing_check_out,
            off_site: day.off_site,
        }
    }
}

/// The rules of a day (see the [module docs](self), rules 1 to 5), on integers:
/// `scans` is `None` on a day that is not a working day, else the seconds from the
/// start to the chosen check-in (late when positive) and from the chosen check-out
/// to the end (early when positive), `None` for a missing scan. Every judgement of
/// a day comes here: [`evaluate_day`], [`evaluate_shift_day`], [`rostered_day_off`]
/// through `judge`, and the recap's integer path over the month sheet
/// ([`crate::recap`]).
pub(crate) fn verdict(
    scans: Option<(Option<i64>, Option<i64>)>,
    absence: Option<&AbsenceKind>,
    params: &AttendanceParams,
) -> Verdict {
    // Rule 1: a non-working day counts nothing.
    let Some((late, early)) = scans else {
        return Verdict::of(DayStatus::NonWorking);
    };

    // Rule 2: a whole-day absence.
    let off_site = match absence {
        Some(AbsenceKind::Unexcused) => return Verdict::of(DayStatus::Unexcused),
        Some(AbsenceKind::OffSiteHalfDay { replaces }) => Some(*replaces),
        Some(kind) => return Verdict::of(DayStatus::Excused(*kind)),
        None => None,
    };

    // Rule 3: no scan at all.
    if late.is_none() && early.is_none() && off_site.is_none() {
        return Verdict::of(DayStatus::Unexcused);
    }

    // Rule 4: present; judge each scan not replaced.
    let mut day = Verdict::of(DayStatus::Present);
    day.off_site = off_site;
    let mut absent = false;

    if off_site != Some(ClockDirection::In) {
        match late {
            Some(seconds) => {
                day.late_minutes = counted_minutes_by(seconds, params.late_grace_seconds, params.minute_rounding);
                day.late_band = params.band_limits.band(day.late_minutes);
            }
            None => {
                day.missing_check_in = true;
                match params.missing_check_in {
                    MissingScanRule::Band4 => day.late_band = Some(Band::B4),
                    MissingScanRule::Absent => absent = true,
                }
            }
        }
    }
    if off_site != Some(ClockDirection::Out) {
        match early {
            Some(seconds) => {
                day.early_minutes = counted_minutes_by(seconds, params.early_grace_seconds, params.minute_rounding);
                day.early_band = params.band_limits.band(day.early_minutes);
            }
            None => {
                day.missing_check_out = true;
                match params.missing_check_out {
                    MissingScanRule::Band4 => day.early_band = Some(Band::B4),
                    MissingScanRule::Absent => absent = true,
                }
            }
        }
    }

    // Rule 5: a missing scan under the `absent` rule makes the day TK.
    if absent {
        day.status = DayStatus::Unexcused;
        day.late_minutes = Minutes::ZERO;
        day.early_minutes = Minutes::ZERO;
        day.late_band = None;
        day.early_band = None;
    }
    day
}

// --- checking a new absence ----------------------------------------------------------

/// Why a new absence is refused ([`check_absence`]). Every variant names the record
/// (`absence`), the employee and the field at fault ([`AttendanceError::field`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttendanceError {
    /// The range ends before it starts (field `range`).
    #[error("absence of {employee}, field `range`: ends ({end}) before it starts ({start})")]
    InvertedRange {
        /// The employee.
        employee: Nip,
        /// The start given.
        start: NaiveDate,
        /// The end given.
        end: NaiveDate,
    },
    /// The range covers no working day (field `range`).
    #[error("absence of {employee}, field `range`: {range} covers no working day")]
    NoWorkingDay {
        /// The employee.
        employee: Nip,
        /// The range given.
        range: DateRange,
    },
    /// The kind needs evidence and none is given (field `evidence`).
    #[error("absence of {employee}, field `evidence`: a `{kind}` absence needs evidence (a document reference)")]
    EvidenceRequired {
        /// The employee.
        employee: Nip,
        /// The absence code.
        kind: &'static str,
    },
    /// The range overlaps an existing absence of the same employee (field `range`).
    #[error(
        "absence of {employee}, field `range`: {range} overlaps the existing `{existing_kind}` absence {existing_range}"
    )]
    Overlap {
        /// The employee.
        employee: Nip,
        /// The new range.
        range: DateRange,
        /// The code of the existing absence.
        existing_kind: &'static str,
        /// The range of the existing absence.
        existing_range: DateRange,
    },
    /// The permits of a month, in working days, would exceed the cap (field `kind`).
    #[error(
        "absence of {employee}, field `kind`: {would_be} permit working day(s) in {month} would exceed the cap of {cap}"
    )]
    PermitCapExceeded {
        /// The employee.
        employee: Nip,
        /// The first month over the cap.
        month: YearMonth,
        /// The cap per month.
        cap: u32,
        /// Existing plus new permit working days in that month.
        would_be: u32,
    },
}

impl AttendanceError {
    /// A stable machine-readable code: `absence_inverted_range`,
    /// `absence_no_working_day`, `absence_evidence_required`, `absence_overlap` or
    /// `permit_cap_exceeded`.
    pub fn code(&self) -> &'static str {
        match self {
            AttendanceError::InvertedRange { .. } => "absence_inverted_range",
            AttendanceError::NoWorkingDay { .. } => "absence_no_working_day",
            AttendanceError::EvidenceRequired { .. } => "absence_evidence_required",
            AttendanceError::Overlap { .. } => "absence_overlap",
            AttendanceError::PermitCapExceeded { .. } => "permit_cap_exceeded",
        }
    }

    /// The record at fault: always `"absence"`.
    pub fn record(&self) -> &'static str {
        ABSENCE
    }

    /// The field at fault: `range`, `evidence` or `kind`.
    pub fn field(&self) -> &'static str {
        match self {
            AttendanceError::InvertedRange { .. }
            | AttendanceError::NoWorkingDay { .. }
            | AttendanceError::Overlap { .. } => "range",
            AttendanceError::EvidenceRequired { .. } => "evidence",
            AttendanceError::PermitCapExceeded { .. } => "kind",
        }
    }

    /// The employee whose absence is refused.
    pub fn employee(&self) -> &Nip {
        match self {
            AttendanceError::InvertedRange { employee, .. }
            | AttendanceError::NoWorkingDay { employee, .. }
            | AttendanceError::EvidenceRequired { employee, .. }
            | AttendanceError::Overlap { employee, .. }
            | AttendanceError::PermitCapExceeded { employee, .. } => employee,
        }
    }

    /// The error as a [`Problem`] (record `absence`, id = the employee's NIP).
    pub fn to_problem(&self) -> Problem {
        Problem::new(ABSENCE, self.employee().as_str(), self.field(), self.code(), self.to_string())
    }
}

/// Checks a new absence against the employee's existing ones and the rules in
/// `params`. Checks run in this order and the first failure is returned:
///
/// 1. the range is not inverted ([`AttendanceError::InvertedRange`]);
/// 2. it covers at least one working day of `calendar` ([`AttendanceError::NoWorkingDay`]);
/// 3. evidence is given (non-blank) when the kind's code is in
///    `evidence_required` ([`AttendanceError::EvidenceRequired`]);
/// 4. it shares no date with an existing absence of the same employee, whatever the
///    kinds (an off-site half day and a permit on the same day overlap too); existing
///    absences of other employees are ignored ([`AttendanceError::Overlap`]);
/// 5. for a permit, in every calendar month it touches, the working days of the
///    employee's existing permits in that month plus the new permit's working days in
///    that month do not exceed `permit_cap_per_month`
///    ([`AttendanceError::PermitCapExceeded`] names the first month over the cap).
///    Weekends and holidays inside a permit do not count.
pub fn check_absence(
    new: &Absence,
    existing: &[Absence],
    calendar: &WorkCalendar,
    params: &AttendanceParams,
) -> Result<(), AttendanceError> {
    check_absence_rostered(new, existing, calendar, &crate::roster::Rosters::default(), params)
}

/// [`check_absence`] for an employee who may be on a roster: a date with a roster
/// entry is a working day when it is a shift (a weekend or holiday included) and not
/// one when it is a day off; other dates follow the calendar. So leave for a rostered
/// Saturday shift is accepted, and leave covering only rostered days off is refused
/// ([`AttendanceError::NoWorkingDay`]); permits count the rostered working days.
pub fn check_absence_rostered(
    new: &Absence,
    existing: &[Absence],
    calendar: &WorkCalendar,
    rosters: &crate::roster::Rosters,
    params: &AttendanceParams,
) -> Result<(), AttendanceError> {
    let employee = || new.employee.clone();
    let range = new.range;
    if range.end < range.start {
        return Err(AttendanceError::InvertedRange { employee: employee(), start: range.start, end: range.end });
    }
    let rostered = rosters.has(&new.employee);
    let working = |d: NaiveDate| rosters.is_working_day(&new.employee, d, calendar);
    let working_days = |r: DateRange| {
        if rostered { r.days().filter(|d| working(*d)).count() as u32 } else { calendar.working_days(r) }
    };
    let none_working =
        if rostered { !range.days().any(working) } else { calendar.working_dates(range).next().is_none() };
    if none_working {
        return Err(AttendanceError::NoWorkingDay { employee: employee(), range });
    }
    if params.requires_evidence(&new.kind) && new.evidence.as_deref().is_none_or(|e| e.trim().is_empty()) {
        return Err(AttendanceError::EvidenceRequired { employee: employee(), kind: new.kind.code() });
    }
    let mine = || existing.iter().filter(|a| a.employee == new.employee);
    if let Some(other) = mine().find(|a| a.range.overlaps(&range)) {
        return Err(AttendanceError::Overlap {
            employee: employee(),
            range,
            existing_kind: other.kind.code(),
            existing_range: other.range,
        });
    }
    if new.kind == AbsenceKind::Permit {
        let mut month = YearMonth::of(range.start);
        while month.first_day() <= range.end {
            let month_range = month.range();
            let in_month = |r: &DateRange| r.intersect(&month_range).map_or(0, working_days);
            let new_days = in_month(&range);
            if new_days > 0 {
                let existing_days = mine()
                    .filter(|a| a.kind == AbsenceKind::Permit)
                    .map(|a| in_month(&a.range))
                    .fold(0u32, u32::saturating_add);
                let would_be = existing_days.saturating_add(new_days);
                if would_be > params.permit_cap_per_month {
                    return Err(AttendanceError::PermitCapExceeded {
                        employee: employee(),
                        month,
                        cap: params.permit_cap_per_month,
                        would_be,
                    });
                }
            }
            match month.next() {
                Ok(next) => month = next,
                Err(_) => break,
            }
        }
    }
    Ok(())
}

// --- the month -----------------------------------------------------------------------

/// Days and minutes in one band over a period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BandTally {
    /// Number of days in the band.
    pub count: u32,
    /// Sum of the minutes of those days (a missing scan adds a day but no minutes).
    pub minutes: Minutes,
}

impl BandTally {
    /// Adds `days` days of `minutes` each.
    fn add(&mut self, minutes: Minutes, days: u32) {
        // A month holds at most 31 days of at most 1,440 minutes: saturation is never
        // reached in practice and never wraps.
        self.count = self.count.saturating_add(days);
        self.minutes = Minutes(self.minutes.get().saturating_add(minutes.get().saturating_mul(i64::from(days))));
    }
}

/// One employee's attendance over a period (normally a month), summed from
/// [`DayAttendance`]s by [`summarise`] or [`MonthAttendance::add`].
///
/// * `working_days` counts every day that is not [`DayStatus::NonWorking`];
///   it equals `days_present + unexcused_days` + the whole-day excused days.
/// * `late[b]` / `early[b]` count the days whose `late_band` / `early_band` is band
///   `b + 1`, **including** missing scans counted as band 4; `missing_check_in` and
///   `missing_check_out` say how many days had a missing scan (whatever the status).
/// * `absences` maps an absence code to its working days: whole-day excused days by
///   their kind, and off-site half days under `off_site_half_day` (those days are
///   also counted in `days_present`). Unexcused days are in `unexcused_days` only.
#[doc(alias = "rekap presensi")]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthAttendance {
    /// Working days judged.
    pub working_days: u32,
    /// Days present ([`DayStatus::Present`]).
    pub days_present: u32,
    /// Late arrivals per band, TL1 first.
    pub late: [BandTally; 4],
    /// Early leaves per band, PSW1 first.
    pub early: [BandTally; 4],
    /// Days with a missing check-in.
    pub missing_check_in: u32,
    /// Days with a missing check-out.
    pub missing_check_out: u32,
    /// Unexcused days (TK).
    #[doc(alias = "TK")]
    pub unexcused_days: u32,
    /// Working days per absence code.
    pub absences: BTreeMap<String, u32>,
}

impl MonthAttendance {
    /// Adds one day (allocates only the first time an absence code appears).
    pub fn add(&mut self, day: &DayAttendance) {
        self.add_verdict(&Verdict::of_day(day));
    }

    /// Adds one day's verdict: what [`MonthAttendance::add`] reads of a day.
    pub(crate) fn add_verdict(&mut self, day: &Verdict) {
        self.add_verdicts(day, 1);
    }

    /// Adds `days` days judged alike (the same verdict each): what
    /// [`MonthAttendance::add_verdict`] adds for each of them, at once (the recap
    /// counts a month's ordinary office days in bulk).
    pub(crate) fn add_verdicts(&mut self, day: &Verdict, days: u32) {
        let inc = |n: &mut u32| *n = n.saturating_add(days);
        if day.status == DayStatus::NonWorking || days == 0 {
            return;
        }
        inc(&mut self.working_days);
        match day.status {
            DayStatus::NonWorking => {}
            DayStatus::Present => inc(&mut self.days_present),
            DayStatus::Unexcused => inc(&mut self.unexcused_days),
            DayStatus::Excused(kind) => self.add_absence(kind.code(), days),
        }
        if day.off_site.is_some() && day.status == DayStatus::Present {
            self.add_absence("off_site_half_day", days);
        }
        if let Some(b) = day.late_band
            && let Some(t) = self.late.get_mut(b.index())
        {
            t.add(day.late_minutes, days);
        }
        if let Some(b) = day.early_band
            && let Some(t) = self.early.get_mut(b.index())
        {
            t.add(day.early_minutes, days);
        }
        if day.missing_check_in {
            inc(&mut self.missing_check_in);
        }
        if day.missing_check_out {
            inc(&mut self.missing_check_out);
        }
    }

    fn add_absence(&mut self, code: &str, days: u32) {
        match self.absences.get_mut(code) {
            Some(n) => *n = n.saturating_add(days),
            None => {
                self.absences.insert(code.to_string(), days);
            }
        }
    }

    /// The working days of one absence code (0 when absent from the map).
    pub fn absence_days(&self, code: &str) -> u32 {
        self.absences.get(code).copied().unwrap_or(0)
    }

    /// Late-arrival days over all bands.
    pub fn late_days(&self) -> u32 {
        self.late.iter().map(|t| t.count).fold(0, u32::saturating_add)
    }

    /// Early-leave days over all bands.
    pub fn early_days(&self) -> u32 {
        self.early.iter().map(|t| t.count).fold(0, u32::saturating_add)
    }
}

/// Sums a period's days (any order; non-working days are skipped).
pub fn summarise(days: &[DayAttendance]) -> MonthAttendance {
    let mut m = MonthAttendance::default();
    for d in days {
        m.add(d);
    }
    m
}
