//! Shift work: shift patterns (*pola dinas*) and rosters (*jadwal dinas*).
//!
//! Hospitals, fire brigades and other units that run around the clock do not keep
//! the office week of the [work calendar](crate::calendar). Their staff work
//! **shifts** ([`ShiftPattern`], e.g. *pagi* 07:00-14:00, *sore* 14:00-21:00, *malam*
//! 21:00-07:00) assigned per employee and date by a **roster** ([`RosterEntry`]): a
//! shift, or a rostered day off (`"off"`, *libur dinas*). Both are dataset records
//! (`shift_patterns`, `rosters`): the head of the unit sets them, they are not rules
//! of the city.
//!
//! # What a roster entry changes
//!
//! For an employee with a roster entry on a date, the entry **replaces** the work
//! calendar for that date:
//!
//! * a **shift** makes the date a working day for that employee, whatever the
//!   calendar says: weekends, national holidays and *cuti bersama* included. Lateness
//!   (TL) is judged against the shift's start and early leave (PSW) against its end,
//!   with the same grace, rounding and bands as office days
//!   ([`crate::attendance::evaluate_shift_day`]);
//! * a **day off** is not a working day: no absence (TK) is inferred, even on a
//!   Monday.
//!
//! The activity log's working hours follow the roster as well ([`Rosters::day_span`]).
//!
//! Absences count the same working days
//! ([`crate::attendance::check_absence_rostered`]): leave for a rostered Saturday
//! shift is accepted, a permit over rostered days off only is refused.
//!
//! A date without a roster entry keeps the calendar's office schedule, so an
//! employee who leaves the roster (or a unit that rosters some weeks only) falls back
//! to office hours.
//!
//! **Holidays.** The engine ignores holidays for rostered dates. A hospital ward does
//! not close on Idul Fitri; the unit's head rosters who works and who is off on that
//! day, and the roster is the record of it. A rostered shift on a holiday is an
//! ordinary working day for attendance (late and early minutes count; no shift means
//! nothing to judge), and a rostered day off on a holiday is a day off. The domain
//! notes say the same for *cuti bersama*: "an employee rostered on cuti bersama
//! works" (RULES.md 8.7). Extra pay for holiday duty is not computed here.
//!
//! # Nights: shifts that cross midnight
//!
//! A pattern whose end is not after its start (`21:00`-`07:00`) ends on the **next**
//! calendar day. The shift belongs to the date it **starts**: a night shift rostered
//! on 5 October runs from 5 October 21:00 to 6 October 07:00, and its check-out on
//! 6 October is judged as the end of the 5 October shift.
//!
//! Which scans belong to which shift is decided by [`crate::attendance::attribute_scan`]:
//! a scan belongs to a rostered shift of the previous, same or next day when it falls
//! inside the shift's window (from `attendance.shift_scan_margin_minutes` before the
//! start to as many minutes after the end); when two windows hold it, a check-in goes
//! to the shift whose start is nearer and a check-out to the shift whose end is
//! nearer. Any other scan stays on its calendar date.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::error::Problem;
use crate::minutes::Minutes;
use crate::nip::Nip;

/// The roster code of a rostered day off.
pub const DAY_OFF: &str = "off";

/// `HH:MM` times in data files (as in the calendar).
mod hhmm {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&t.format("%H:%M"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let text = String::deserialize(d)?;
        NaiveTime::parse_from_str(&text, "%H:%M")
            .map_err(|_| serde::de::Error::custom(format!("`{text}` is not a time of day in the form HH:MM")))
    }
}

/// A shift pattern (*pola dinas*): a named span of hours, possibly crossing midnight.
///
/// JSON: `{"code": "malam", "name": "Dinas malam", "start": "21:00", "end": "07:00",
/// "rest_minutes": 60}`.
#[doc(alias = "pola dinas")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShiftPattern {
    /// The code a roster names, e.g. `pagi`; unique, and never `off`.
    pub code: String,
    /// Name for people.
    pub name: String,
    /// When the shift starts.
    #[serde(with = "hhmm")]
    pub start: NaiveTime,
    /// When it ends; at or before `start` means the next day.
    #[serde(with = "hhmm")]
    pub end: NaiveTime,
    /// Rest inside the shift, not counted as work.
    #[serde(default)]
    pub rest_minutes: Minutes,
}

impl ShiftPattern {
    /// True when the shift ends on the next calendar day (`end <= start`).
    pub fn crosses_midnight(&self) -> bool {
        self.end <= self.start
    }

    /// Minutes from start to end (a night shift 21:00-07:00 spans 600).
    pub fn span_minutes(&self) -> i64 {
        let m = (self.end - self.start).num_minutes();
        if self.crosses_midnight() { m + 24 * 60 } else { m }
    }

    /// The shift as worked when it starts on `date`.
    pub fn on(&self, date: NaiveDate) -> ShiftTimes {
        let start = date.and_time(self.start);
        let end = start + Duration::minutes(self.span_minutes());
        ShiftTimes { start, end, rest_minutes: self.rest_minutes }
    }

    fn problems(&self, index: usize, out: &mut Vec<Problem>) {
        let id = if self.code.trim().is_empty() { format!("#{index}") } else { self.code.clone() };
        if self.code.trim().is_empty() {
            out.push(Problem::new("shift_pattern", &id, "code", "blank", "a shift pattern needs a code"));
        } else if self.code == DAY_OFF {
            out.push(Problem::new(
                "shift_pattern",
                &id,
                "code",
                "reserved",
                "`off` is the roster's day off, not a shift pattern",
            ));
        }
        if self.rest_minutes.get() < 0 || self.rest_minutes.get() >= self.span_minutes() {
            out.push(Problem::new(
                "shift_pattern",
                &id,
                "rest_minutes",
                "out_of_range",
                format!(
                    "rest of {} must be at least 0 and less than the shift ({} min)",
                    self.rest_minutes,
                    self.span_minutes()
                ),
            ));
        }
    }
}

/// One shift as worked: start and end as date and time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ShiftTimes {
    /// When it starts.
    pub start: NaiveDateTime,
    /// When it ends (the next day for a night shift).
    pub end: NaiveDateTime,
    /// Rest inside it.
    pub rest_minutes: Minutes,
}

impl ShiftTimes {
    /// Effective minutes: span less rest.
    pub fn effective_minutes(&self) -> Minutes {
        Minutes((self.end - self.start).num_minutes() - self.rest_minutes.get())
    }
}

/// A roster entry (*jadwal dinas*): what one employee works on one date.
///
/// JSON: `{"employee": "198501012010011001", "date": "2026-10-05", "shift": "malam"}`, or
/// `"shift": "off"` for a rostered day off.
#[doc(alias = "jadwal dinas")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RosterEntry {
    /// The employee.
    pub employee: Nip,
    /// The date the shift starts.
    pub date: NaiveDate,
    /// A shift pattern's code, or `off`.
    pub shift: String,
}

/// What a roster says about one employee on one date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rostered<'a> {
    /// A shift that starts that day.
    Shift(&'a ShiftPattern),
    /// A rostered day off.
    Off,
}

/// The shift patterns and roster entries of a city, indexed by employee and date.
#[derive(Clone, Debug, Default)]
pub struct Rosters {
    patterns: Vec<ShiftPattern>,
    entries: Vec<RosterEntry>,
    /// Per employee with at least one entry, their dates in order, each with its
    /// index in `patterns` or `None` for a day off. Hashed with FxHash (the keys are
    /// the city's own data, not an attacker's). One list a person: a recap asks for a
    /// rostered employee's days by the dozen, and their list stays in the cache
    /// (a map keyed by employee and date missed it at every day).
    index: FxHashMap<Nip, Vec<(NaiveDate, Option<usize>)>>,
}

impl Rosters {
    /// Checks and indexes patterns and entries. Problems: a pattern's blank,
    /// reserved or repeated code, a rest not shorter than the shift; an entry naming
    /// an unknown pattern (record `roster`, field `shift`), or a second entry for the
    /// same employee and date (field `date`). Whether the employee exists is checked
    /// by the dataset.
    pub fn new(patterns: Vec<ShiftPattern>, entries: Vec<RosterEntry>) -> Result<Rosters, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut codes: HashMap<&str, usize> = HashMap::new();
        for (i, p) in patterns.iter().enumerate() {
            p.problems(i, &mut problems);
            if codes.insert(p.code.as_str(), i).is_some() {
                problems.push(Problem::new(
                    "shift_pattern",
                    &p.code,
                    "code",
                    "duplicate_id",
                    format!("shift pattern `{}` is defined twice", p.code),
                ));
            }
        }
        let mut index: FxHashMap<Nip, Vec<(NaiveDate, Option<usize>)>> = FxHashMap::default();
        for (i, e) in entries.iter().enumerate() {
            let id = format!("#{i}");
            let pattern = if e.shift == DAY_OFF {
                Some(None)
            } else {
                match codes.get(e.shift.as_str()) {
                    Some(&p) => Some(Some(p)),
                    None => {
                        problems.push(Problem::new(
                            "roster",
                            &id,
                            "shift",
                            "unknown_reference",
                            format!("shift `{}` is not a shift pattern (nor `off`)", e.shift),
                        ));
                        None
                    }
                }
            };
            let Some(p) = pattern else { continue };
            let days = index.entry(e.employee.clone()).or_default();
            // Entries usually come in date order: then the new one goes last.
            if let Err(at) = days.binary_search_by_key(&e.date, |(d, _)| *d) {
                days.insert(at, (e.date, p));
            } else {
                problems.push(Problem::new(
                    "roster",
                    &id,
                    "date",
                    "duplicate_id",
                    format!("{} already has a roster entry on {}", e.employee, e.date),
                ));
            }
        }
        if problems.is_empty() { Ok(Rosters { patterns, entries, index }) } else { Err(problems) }
    }

    /// The shift patterns.
    pub fn patterns(&self) -> &[ShiftPattern] {
        &self.patterns
    }

    /// The roster entries, as given.
    pub fn entries(&self) -> &[RosterEntry] {
        &self.entries
    }

    /// True when there are no roster entries (nobody works shifts).
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// True when `employee` has at least one roster entry.
    pub fn has(&self, employee: &Nip) -> bool {
        self.index.contains_key(employee)
    }

    /// Whether `date` is a working day for `employee`: a rostered shift is, a rostered
    /// day off is not, and a date the roster says nothing of follows `calendar`.
    pub fn is_working_day(&self, employee: &Nip, date: NaiveDate, calendar: &crate::calendar::WorkCalendar) -> bool {
        match self.on(employee, date) {
            Some(Rostered::Shift(_)) => true,
            Some(Rostered::Off) => false,
            None => calendar.is_working_day(date),
        }
    }

    /// What the roster says for `employee` on `date`; `None` when it says nothing
    /// (the calendar's office schedule applies).
    pub fn on(&self, employee: &Nip, date: NaiveDate) -> Option<Rostered<'_>> {
        if self.index.is_empty() {
            return None;
        }
        let days = self.index.get(employee)?;
        let at = days.binary_search_by_key(&date, |(d, _)| *d).ok()?;
        match days.get(at)?.1 {
            Some(i) => self.patterns.get(i).map(Rostered::Shift),
            None => Some(Rostered::Off),
        }
    }

    /// The hours of the calendar day `date` that `employee` works by the roster: from
    /// the earliest to the latest moment of that day covered by the shift starting
    /// that day or the night shift started the day before (a night shift 21:00-07:00
    /// gives 21:00-23:59:59 on its first day and 00:00-07:00 on the next). `None` when
    /// the roster says nothing about either day (the calendar applies); `Some(None)`
    /// when it rosters no work on that calendar day. For the activity log's working
    /// hours.
    pub fn day_span(&self, employee: &Nip, date: NaiveDate) -> Option<Option<(NaiveTime, NaiveTime)>> {
        if self.index.is_empty() {
            return None;
        }
        let today = self.on(employee, date);
        let yesterday = date.pred_opt().and_then(|d| self.on(employee, d).map(|r| (d, r)));
        if today.is_none() && yesterday.is_none() {
            return None;
        }
        let day_start = date.and_time(NaiveTime::MIN);
        let day_end = date.and_hms_opt(23, 59, 59).unwrap_or(day_start);
        let mut span: Option<(NaiveDateTime, NaiveDateTime)> = None;
        let mut add = |s: ShiftTimes| {
            let (a, b) = (s.start.max(day_start), s.end.min(day_end));
            if a < b {
                span = Some(span.map_or((a, b), |(x, y)| (x.min(a), y.max(b))));
            }
        };
        if let Some(Rostered::Shift(p)) = today {
            add(p.on(date));
        }
        if let Some((d, Rostered::Shift(p))) = yesterday {
            add(p.on(d));
        }
        match (span, today) {
            (Some((a, b)), _) => Some(Some((a.time(), b.time()))),
            // Only yesterday's entry, and it gives no hours today: the calendar applies.
            (None, None) => None,
            (None, Some(_)) => Some(None),
        }
    }

    /// The shift `employee` works starting on `date`, if rostered for one.
    pub fn shift_on(&self, employee: &Nip, date: NaiveDate) -> Option<ShiftTimes> {
        match self.on(employee, date)? {
            Rostered::Shift(p) => Some(p.on(date)),
            Rostered::Off => None,
        }
    }
}
