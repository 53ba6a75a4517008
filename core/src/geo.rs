//! Geofenced clock-ins: work sites, distances and the verdict stored in a clock event.
//!
//! A phone clock-in ([`ClockSource::Mobile`]) carries the device's position; a
//! [`WorkSite`] in the dataset has a location and a radius and lists the work units
//! it serves. When a phone scan is recorded, the ledger judges it against the sites
//! of the employee's unit (their definitive assignment on the scan's date) and
//! stores the [`GeoCheck`] in the event:
//!
//! * [`GeoVerdict::Inside`]: within the radius of the nearest site (distance kept);
//! * [`GeoVerdict::Outside`]: beyond every site's radius, by how many metres past the
//!   nearest site's radius;
//! * [`GeoVerdict::NoPosition`]: a phone scan without a position
//!   ([`ClockSource::MobileWithoutPosition`]).
//!
//! What happens to an outside scan or a scan without a position is policy
//! ([`GeofenceRule`], keys `attendance.geofence_outside` and
//! `attendance.geofence_no_position`): `refuse` (a typed [`GeofenceError`] naming the
//! record `clock`, the employee and the field `source`), `flag` (recorded, with the
//! verdict marked for the reviewer) or `accept` (recorded, the verdict kept for the
//! record only).
//!
//! Only phone scans are judged. A fingerprint or face machine is installed at a
//! site and may only speak for the employees it serves ([`crate::access`]); its scans
//! carry no verdict. An employee whose unit no site lists is not geofenced: their
//! phone scans carry no verdict either (the dataset says nothing about where they
//! work).
//!
//! The same judgement runs when a command is executed (the server's endpoints, an
//! import), when a phone's upload is applied ([`crate::device`]) and when a journal
//! is replayed: the verdict a client puts in the event is never trusted; the ledger
//! computes its own, and a journal event whose stored verdict differs from the one
//! computed again is refused as forged. Events recorded before geofencing existed
//! carry no verdict and still load.
//!
//! # Distance
//!
//! The great-circle distance by the **haversine** formula on a sphere of radius
//! 6,371,000 m (the mean Earth radius, IUGG):
//!
//! ```text
//! a = sin²(Δφ/2) + cos φ1 · cos φ2 · sin²(Δλ/2)
//! d = 2 R · asin(√a)
//! ```
//!
//! with φ latitude and λ longitude in radians. The result is rounded to whole metres
//! (half away from zero). At city scale the sphere's error (up to about 0.5 %) is a
//! few metres on a kilometre, well inside a phone's own accuracy; the reported
//! accuracy is stored but not subtracted (a city that wants slack sets a larger
//! radius). The trigonometry is done in `f64`; coordinates are exact decimals.
//!
//! ```
//! use rust_decimal::Decimal;
//! use kinerja::geo::distance_m;
//! // Masjid Raya Baiturrahman (5.553611, 95.317222) to the Aceh Tsunami Museum
//! // (5.547778, 95.315000), Banda Aceh: 693.65 m (worked out in tests/geofence.rs).
//! let d = distance_m(
//!     Decimal::new(5_553_611, 6), Decimal::new(95_317_222, 6),
//!     Decimal::new(5_547_778, 6), Decimal::new(95_315_000, 6),
//! );
//! assert_eq!(d, 694);
//! ```

use std::fmt;

use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

use crate::attendance::ClockSource;
use crate::error::Problem;
use crate::ids::UnitId;
use crate::org::Nip;

/// The mean Earth radius in metres (IUGG), used by [`distance_m`].
pub const EARTH_RADIUS_M: f64 = 6_371_000.0;

/// The record name of work sites in dataset problems.
const SITE: &str = "work_site";

/// A place where employees of some units work, with the radius inside which a phone
/// clock-in counts as on site (*titik lokasi presensi*).
///
/// JSON: `{"id": "SITE-RSUD", "name": "RSUD Meuraxa", "latitude": "5.5163",
/// "longitude": "95.2858", "radius_m": 150, "units": ["RSUD"]}` (coordinates as exact
/// decimal strings, degrees north and east).
#[doc(alias = "lokasi presensi")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkSite {
    /// Unique id, e.g. `SITE-RSUD`.
    pub id: String,
    /// Name for people.
    pub name: String,
    /// Latitude in decimal degrees (north positive), -90..=90.
    #[serde(with = "rust_decimal::serde::str")]
    pub latitude: Decimal,
    /// Longitude in decimal degrees (east positive), -180..=180.
    #[serde(with = "rust_decimal::serde::str")]
    pub longitude: Decimal,
    /// Radius in metres (at least 1).
    pub radius_m: u32,
    /// The units whose employees clock in here (a unit may have several sites).
    pub units: Vec<UnitId>,
}

impl WorkSite {
    /// Every problem with this site's own fields (reported as record `work_site`,
    /// id = the site's id, or its index when the id is blank).
    pub fn problems(&self, index: usize, out: &mut Vec<Problem>) {
        let id = if self.id.trim().is_empty() { format!("#{index}") } else { self.id.clone() };
        if self.id.trim().is_empty() {
            out.push(Problem::new(SITE, &id, "id", "blank", "a work site needs an id"));
        }
        if self.latitude < Decimal::from(-90) || self.latitude > Decimal::from(90) {
            out.push(Problem::new(
                SITE,
                &id,
                "latitude",
                "out_of_range",
                format!("latitude {} is not in -90..=90", self.latitude),
            ));
        }
        if self.longitude < Decimal::from(-180) || self.longitude > Decimal::from(180) {
            out.push(Problem::new(
                SITE,
                &id,
                "longitude",
                "out_of_range",
                format!("longitude {} is not in -180..=180", self.longitude),
            ));
        }
        if self.radius_m == 0 {
            out.push(Problem::new(SITE, &id, "radius_m", "out_of_range", "the radius must be at least 1 metre"));
        }
        if self.units.is_empty() {
            out.push(Problem::new(SITE, &id, "units", "blank", "a work site serves at least one unit"));
        }
    }
}

/// Great-circle distance in whole metres between two points given in decimal
/// degrees, by the haversine formula (see the [module docs](self#distance)).
/// Coordinates out of range give a meaningless but finite number; the dataset
/// refuses such sites, and [`judge`] refuses such positions.
pub fn distance_m(lat1: Decimal, lon1: Decimal, lat2: Decimal, lon2: Decimal) -> u32 {
    let rad = |d: Decimal| d.to_f64().unwrap_or(0.0).to_radians();
    let (p1, p2) = (rad(lat1), rad(lat2));
    let dp = p2 - p1;
    let dl = rad(lon2) - rad(lon1);
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    let d = 2.0 * EARTH_RADIUS_M * a.clamp(0.0, 1.0).sqrt().asin();
    // At most half the Earth's circumference (about 20,015 km): fits in u32.
    d.round().clamp(0.0, f64::from(u32::MAX)) as u32
}

/// Where a phone clock-in was, relative to the employee's work sites.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum GeoVerdict {
    /// Within the radius of the nearest site.
    Inside {
        /// Metres from the site's centre.
        distance_m: u32,
    },
    /// Beyond the radius of every site.
    Outside {
        /// Metres from the nearest site's centre.
        distance_m: u32,
        /// Metres past that site's radius (`distance_m - radius_m`, at least 1).
        beyond_m: u32,
    },
    /// A phone scan without a position.
    NoPosition,
}

impl GeoVerdict {
    /// The verdict's name: `inside`, `outside` or `no_position`.
    pub fn as_str(&self) -> &'static str {
        match self {
            GeoVerdict::Inside { .. } => "inside",
            GeoVerdict::Outside { .. } => "outside",
            GeoVerdict::NoPosition => "no_position",
        }
    }
}

impl fmt::Display for GeoVerdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GeoVerdict::Inside { distance_m } => write!(f, "inside ({distance_m} m from the site)"),
            GeoVerdict::Outside { distance_m, beyond_m } => {
                write!(f, "outside by {beyond_m} m ({distance_m} m from the nearest site)")
            }
            GeoVerdict::NoPosition => f.write_str("no position"),
        }
    }
}

/// The verdict stored in a clock event: which site it was judged against, the
/// verdict, and whether the policy flags it for review.
///
/// JSON: `{"site": "SITE-RSUD", "verdict": "outside", "distance_m": 412, "beyond_m": 262,
/// "flagged": true}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct GeoCheck {
    /// The nearest site (none for a scan without a position).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// Inside, outside by N metres, or no position.
    #[serde(flatten)]
    pub verdict: GeoVerdict,
    /// Set when the policy's rule for this verdict is `flag`.
    #[serde(default)]
    pub flagged: bool,
}

/// The JSON form of [`GeoCheck`] as read: every field named, unknown ones refused
/// (a flattened verdict cannot refuse them).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GeoCheckWire {
    #[serde(default)]
    site: Option<String>,
    verdict: String,
    #[serde(default)]
    distance_m: Option<u32>,
    #[serde(default)]
    beyond_m: Option<u32>,
    #[serde(default)]
    flagged: bool,
}

impl<'de> Deserialize<'de> for GeoCheck {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let w = GeoCheckWire::deserialize(d)?;
        let verdict = match (w.verdict.as_str(), w.distance_m, w.beyond_m) {
            ("inside", Some(distance_m), None) => GeoVerdict::Inside { distance_m },
            ("outside", Some(distance_m), Some(beyond_m)) => GeoVerdict::Outside { distance_m, beyond_m },
            ("no_position", None, None) => GeoVerdict::NoPosition,
            ("inside" | "outside" | "no_position", _, _) => {
                return Err(D::Error::custom(format!(
                    "a `{}` verdict has distance_m{} and nothing else",
                    w.verdict,
                    if w.verdict == "outside" { " and beyond_m" } else { "" }
                )));
            }
            (other, _, _) => return Err(D::Error::unknown_variant(other, &["inside", "outside", "no_position"])),
        };
        Ok(GeoCheck { site: w.site, verdict, flagged: w.flagged })
    }
}

/// What the policy does with a phone clock-in outside the radius
/// (`attendance.geofence_outside`) or without a position
/// (`attendance.geofence_no_position`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GeofenceRule {
    /// The scan is refused ([`GeofenceError`]).
    Refuse,
    /// The scan is recorded with its verdict flagged for review.
    Flag,
    /// The scan is recorded; the verdict is kept, not flagged.
    Accept,
}

impl GeofenceRule {
    /// Parses the policy text `refuse`, `flag` or `accept`.
    pub fn parse(text: &str) -> Option<GeofenceRule> {
        match text {
            "refuse" => Some(GeofenceRule::Refuse),
            "flag" => Some(GeofenceRule::Flag),
            "accept" => Some(GeofenceRule::Accept),
            _ => None,
        }
    }
}

/// The geofence rules in force on a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeofenceParams {
    /// A scan outside every site's radius (`attendance.geofence_outside`).
    pub outside: GeofenceRule,
    /// A phone scan without a position (`attendance.geofence_no_position`).
    pub no_position: GeofenceRule,
}

/// Why a phone clock-in is refused. Every variant names the record (`clock`), the
/// employee, the scan's time and the field at fault (`source`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GeofenceError {
    /// Outside every site's radius under the `refuse` rule.
    #[error(
        "clock of {employee} at {at}, field `source`: {distance_m} m from site `{site}`, {beyond_m} m beyond its radius"
    )]
    Outside {
        /// The employee.
        employee: Nip,
        /// The scan's time.
        at: NaiveDateTime,
        /// The nearest site.
        site: String,
        /// Metres from its centre.
        distance_m: u32,
        /// Metres past its radius.
        beyond_m: u32,
    },
    /// Without a position under the `refuse` rule.
    #[error("clock of {employee} at {at}, field `source`: a phone clock-in needs a position")]
    NoPosition {
        /// The employee.
        employee: Nip,
        /// The scan's time.
        at: NaiveDateTime,
    },
    /// A position that is not on Earth (latitude beyond ±90 or longitude beyond ±180).
    #[error("clock of {employee} at {at}, field `source`: position {latitude}, {longitude} is not a valid coordinate")]
    BadPosition {
        /// The employee.
        employee: Nip,
        /// The scan's time.
        at: NaiveDateTime,
        /// The latitude given.
        latitude: Decimal,
        /// The longitude given.
        longitude: Decimal,
    },
}

impl GeofenceError {
    /// A stable code: `clock_outside_site`, `clock_without_position` or
    /// `clock_bad_position`.
    pub fn code(&self) -> &'static str {
        match self {
            GeofenceError::Outside { .. } => "clock_outside_site",
            GeofenceError::NoPosition { .. } => "clock_without_position",
            GeofenceError::BadPosition { .. } => "clock_bad_position",
        }
    }

    /// The record at fault: always `"clock"`.
    pub fn record(&self) -> &'static str {
        "clock"
    }

    /// The field at fault: always `"source"` (where the position is).
    pub fn field(&self) -> &'static str {
        "source"
    }

    /// The error as a [`Problem`] (record `clock`, id = the employee's NIP, field
    /// `source`).
    pub fn to_problem(&self) -> Problem {
        Problem::new("clock", self.employee().as_str(), self.field(), self.code(), self.to_string())
    }

    /// The employee whose scan is refused.
    pub fn employee(&self) -> &Nip {
        match self {
            GeofenceError::Outside { employee, .. }
            | GeofenceError::NoPosition { employee, .. }
            | GeofenceError::BadPosition { employee, .. } => employee,
        }
    }
}

/// Judges one scan against the sites that serve the employee's unit.
///
/// * `None`: not judged (a machine scan, or no site serves the unit);
/// * `Some(check)`: the verdict, flagged when the rule for it is `flag`;
/// * an error when the rule for the verdict is `refuse`, or the position is not a
///   coordinate.
///
/// The nearest site decides: inside when its distance is at most its radius
/// (the boundary is inside), else outside by `distance - radius` metres.
pub fn judge<'s>(
    employee: &Nip,
    at: NaiveDateTime,
    source: &ClockSource,
    sites: impl IntoIterator<Item = &'s WorkSite>,
    params: &GeofenceParams,
) -> Result<Option<GeoCheck>, GeofenceError> {
    let (latitude, longitude) = match source {
        ClockSource::Fingerprint | ClockSource::Face => return Ok(None),
        ClockSource::MobileWithoutPosition => (None, None),
        ClockSource::Mobile { latitude, longitude, .. } => (Some(*latitude), Some(*longitude)),
    };
    let mut sites = sites.into_iter().peekable();
    if sites.peek().is_none() {
        return Ok(None);
    }
    let (Some(lat), Some(lon)) = (latitude, longitude) else {
        return match params.no_position {
            GeofenceRule::Refuse => Err(GeofenceError::NoPosition { employee: employee.clone(), at }),
            rule => {
                Ok(Some(GeoCheck { site: None, verdict: GeoVerdict::NoPosition, flagged: rule == GeofenceRule::Flag }))
            }
        };
    };
    if lat.abs() > Decimal::from(90) || lon.abs() > Decimal::from(180) {
        return Err(GeofenceError::BadPosition { employee: employee.clone(), at, latitude: lat, longitude: lon });
    }
    // The nearest site; among equally near ones, the first listed.
    let mut best: Option<(&WorkSite, u32)> = None;
    for s in sites {
        let d = distance_m(s.latitude, s.longitude, lat, lon);
        if best.is_none_or(|(_, bd)| d < bd) {
            best = Some((s, d));
        }
    }
    let Some((site, distance_m)) = best else { return Ok(None) };
    if distance_m <= site.radius_m {
        return Ok(Some(GeoCheck {
            site: Some(site.id.clone()),
            verdict: GeoVerdict::Inside { distance_m },
            flagged: false,
        }));
    }
    let beyond_m = distance_m - site.radius_m;
    match params.outside {
        GeofenceRule::Refuse => {
            Err(GeofenceError::Outside { employee: employee.clone(), at, site: site.id.clone(), distance_m, beyond_m })
        }
        rule => Ok(Some(GeoCheck {
            site: Some(site.id.clone()),
            verdict: GeoVerdict::Outside { distance_m, beyond_m },
            flagged: rule == GeofenceRule::Flag,
        })),
    }
}
