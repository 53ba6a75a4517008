//! The work calendar (*kalender kerja*): which days are working days and how many
//! minutes each one holds.
//!
//! # Working days and working hours
//!
//! For Indonesian civil servants (ASN) the working week is set by **Perpres No. 21
//! Tahun 2023** *tentang Hari Kerja dan Jam Kerja Instansi Pemerintah*: 37.5 hours a
//! week, normally starting at 07:30, with a 60-minute rest (90 minutes on Friday, for
//! Friday prayers). The usual five-day pattern is:
//!
//! | day     | hours        | rest | effective                 |
//! |---------|--------------|------|---------------------------|
//! | Mon-Thu | 07:30-16:00  | 60   | 510 - 60 = 450 min        |
//! | Fri     | 07:30-16:30  | 90   | 540 - 90 = 450 min        |
//! | week    |              |      | 5 x 450 = 2250 min = 37.5 h |
//!
//! During **Ramadan** the week shrinks to 32.5 hours:
//!
//! | day     | hours        | rest | effective                 |
//! |---------|--------------|------|---------------------------|
//! | Mon-Thu | 08:00-15:00  | 30   | 420 - 30 = 390 min        |
//! | Fri     | 08:00-15:30  | 60   | 450 - 60 = 390 min        |
//! | week    |              |      | 5 x 390 = 1950 min = 32.5 h |
//!
//! A [`WorkCalendar`] holds the *normal* [`WeekSchedule`] and any number of special
//! [`SchedulePeriod`]s (Ramadan 1447 H, ...). Inside a period's date range the
//! period's week replaces the normal one entirely.
//!
//! # Holidays
//!
//! Every year a joint decree of three ministers (*SKB 3 Menteri*: Religious Affairs,
//! Manpower, and Administrative Reform) lists the **national holidays** (*hari libur
//! nasional*) and the **collective leave** days (*cuti bersama*). Regions add **local
//! holidays** (*libur daerah*), and a region may **cancel** a holiday, turning it back
//! into a working day (e.g. a city that keeps its offices open on a cuti bersama day).
//! All of these are data with a legal reference ([`Holiday`], [`CancelledHoliday`]);
//! nothing about a particular year is hard-coded in the logic. The constructors
//! [`WorkCalendar::perpres_21_2023`] and [`WorkCalendar::indonesia_2026`] merely build
//! such data.
//!
//! # How a day is classified
//!
//! [`WorkCalendar::day`] answers, for one date:
//!
//! 1. The week in force is the special period's week if the date is inside a period,
//!    else the normal week.
//! 2. If that week has no hours for the weekday, the day is [`DayKind::Weekend`]. This
//!    holds **even when a holiday falls on it** (e.g. Idul Fitri on Saturday
//!    2026-03-21): the kind stays `Weekend`, and [`DayInfo::holiday`] still names the
//!    holiday for display. Working-day counts are the same either way.
//! 3. Else, if a holiday is declared on the date and not cancelled, the day is
//!    [`DayKind::Holiday`] with the holiday's kind.
//! 4. Else it is [`DayKind::Working`] with the week's [`DaySchedule`]. A cancelled
//!    holiday therefore gets the ordinary schedule of its weekday; a cancelled holiday
//!    on a weekday without hours (a Saturday) stays a weekend.
//!
//! # Lookups and ordering
//!
//! `day()` binary-searches `holidays`, `cancelled` and `periods`, so those vectors must
//! be sorted ([`WorkCalendar::normalise`]). Every constructor, the `add_*` methods and
//! deserialisation sort them; if you edit the public fields by hand, call
//! [`WorkCalendar::normalise`] afterwards. [`WorkCalendar::validate`] reports unsorted
//! data (code `not_normalised`). For the hottest loops, [`WorkCalendar::compile`]
//! builds a [`CompiledCalendar`]: a per-day table over a date range with O(1) lookup.
//!
//! ```
//! use chrono::NaiveDate;
//! use kinerja::calendar::{DayKind, HolidayKind, WorkCalendar};
//!
//! let cal = WorkCalendar::indonesia_2026();
//! let nyepi = NaiveDate::from_ymd_opt(2026, 3, 19).unwrap(); // a Thursday
//! assert_eq!(cal.day(nyepi).kind, DayKind::Holiday(HolidayKind::National));
//! let cuti = NaiveDate::from_ymd_opt(2026, 3, 20).unwrap(); // Friday before Idul Fitri
//! assert_eq!(cal.day(cuti).kind, DayKind::Holiday(HolidayKind::CollectiveLeave));
//! assert_eq!(cal.working_days_in_month("2026-03".parse().unwrap()), 17);
//! ```

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use crate::error::{ArithmeticError, Problem};
use crate::minutes::Minutes;
use crate::month::{DateRange, YearMonth};

/// How far [`WorkCalendar::nth_working_day_after`] and
/// [`WorkCalendar::nth_working_day_before`] search before giving up (about ten years).
pub const MAX_SEARCH_DAYS: u32 = 3660;

/// The record name used in every [`Problem`] this module reports.
const RECORD: &str = "calendar";

const PERPRES_21_2023: &str = "Perpres No. 21 Tahun 2023 tentang Hari Kerja dan Jam Kerja Instansi Pemerintah";
/// The 2026 decree: Keputusan Bersama Menteri Agama, Menteri Ketenagakerjaan dan Menteri
/// PANRB No. 1497 Tahun 2025, No. 2 Tahun 2025, No. 5 Tahun 2025 (announced by the
/// Menko PMK on 19 September 2025): 17 national holidays and 8 days of collective leave.
/// The list was taken from published copies (Dinas Pendidikan Kota Semarang,
/// disdiksmg.semarangkota.go.id, for the decree's numbers, the 17 + 8 days and Idul Fitri
/// on 21-22 March; tribunnews.com 19-09-2025 and a teachers' blog, for the dates), not
/// from the decree's own text.
const SKB_2026: &str = "SKB Menteri Agama, Menteri Ketenagakerjaan dan Menteri PANRB No. 1497 Tahun 2025, No. 2 Tahun 2025, No. 5 Tahun 2025 tentang Hari Libur Nasional dan Cuti Bersama Tahun 2026";
const RAMADAN_REFERENCE: &str =
    "Perpres No. 21 Tahun 2023 and the MenPAN-RB circular on Ramadan working hours (recalled)";

/// `HH:MM` (or `HH:MM:SS` when seconds are set) for times in data files.
mod hhmm {
    use chrono::{NaiveTime, Timelike};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        if t.second() == 0 && t.nanosecond() == 0 { s.collect_str(&t.format("%H:%M")) } else { s.collect_str(t) }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let text = String::deserialize(d)?;
        NaiveTime::parse_from_str(&text, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(&text, "%H:%M:%S"))
            .map_err(|_| serde::de::Error::custom(format!("`{text}` is not a time of day in the form HH:MM")))
    }
}

/// Builds a time from constant hours and minutes.
fn hm(hour: u32, minute: u32) -> NaiveTime {
    // Only called with literal, valid clock times in this module's constructors.
    NaiveTime::from_hms_opt(hour, minute, 0).expect("constant clock time is valid")
}

/// Builds a date from constant parts.
fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    // Only called with literal, valid dates in this module's constructors.
    NaiveDate::from_ymd_opt(year, month, day).expect("constant date is valid")
}

/// The working hours of one day: start, end and the unpaid rest in between.
#[doc(alias = "jam kerja")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaySchedule {
    /// When work starts (*jam masuk*), e.g. 07:30. Written `"HH:MM"` in data files.
    #[serde(with = "hhmm")]
    pub start: NaiveTime,
    /// When work ends (*jam pulang*), e.g. 16:00. Written `"HH:MM"` in data files.
    #[serde(with = "hhmm")]
    pub end: NaiveTime,
    /// Rest (*istirahat*) inside the span, not counted as work.
    pub rest_minutes: Minutes,
}

impl DaySchedule {
    /// A schedule from start, end and rest.
    pub fn new(start: NaiveTime, end: NaiveTime, rest_minutes: Minutes) -> Self {
        DaySchedule { start, end, rest_minutes }
    }

    /// Effective working minutes: `end - start - rest` (whole minutes; seconds are
    /// truncated).
    ///
    /// For an invalid schedule (end not after start, rest at least the span) the
    /// result is zero or negative; [`WorkCalendar::validate`] reports such schedules.
    /// The subtraction saturates rather than wrapping for absurd rest values.
    pub fn effective_minutes(&self) -> Minutes {
        Minutes(self.span_minutes().saturating_sub(self.rest_minutes.get()))
    }

    /// Minutes from start to end (negative when end is before start).
    fn span_minutes(&self) -> i64 {
        (self.end - self.start).num_minutes()
    }

    /// Every problem with this schedule, reported against `field`.
    fn problems(&self, id: &str, field: &str, out: &mut Vec<Problem>) {
        if self.end <= self.start {
            out.push(Problem::new(
                RECORD,
                id,
                field,
                "end_not_after_start",
                format!("working hours end at {} but start at {}", self.end, self.start),
            ));
        }
        if self.rest_minutes.get() < 0 {
            out.push(Problem::new(
                RECORD,
                id,
                format!("{field}.rest_minutes"),
                "negative",
                format!("rest of {} is negative", self.rest_minutes),
            ));
        } else if self.end > self.start && self.rest_minutes.get() >= self.span_minutes() {
            out.push(Problem::new(
                RECORD,
                id,
                format!("{field}.rest_minutes"),
                "rest_not_less_than_span",
                format!(
                    "rest of {} leaves no working time in {}-{} ({} min)",
                    self.rest_minutes,
                    self.start.format("%H:%M"),
                    self.end.format("%H:%M"),
                    self.span_minutes()
                ),
            ));
        }
    }
}

/// The working hours of each weekday; `None` means the weekday is not a working day.
#[doc(alias = "hari kerja")]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekSchedule {
    /// Monday (*Senin*).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mon: Option<DaySchedule>,
    /// Tuesday (*Selasa*).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tue: Option<DaySchedule>,
    /// Wednesday (*Rabu*).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wed: Option<DaySchedule>,
    /// Thursday (*Kamis*).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thu: Option<DaySchedule>,
    /// Friday (*Jumat*).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fri: Option<DaySchedule>,
    /// Saturday (*Sabtu*).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sat: Option<DaySchedule>,
    /// Sunday (*Minggu*).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sun: Option<DaySchedule>,
}

impl WeekSchedule {
    /// The schedule of `weekday`, or `None` when it is not a working weekday.
    pub fn on(&self, weekday: Weekday) -> Option<&DaySchedule> {
        match weekday {
            Weekday::Mon => self.mon.as_ref(),
            Weekday::Tue => self.tue.as_ref(),
            Weekday::Wed => self.wed.as_ref(),
            Weekday::Thu => self.thu.as_ref(),
            Weekday::Fri => self.fri.as_ref(),
            Weekday::Sat => self.sat.as_ref(),
            Weekday::Sun => self.sun.as_ref(),
        }
    }

    /// A five-day week: `mon_thu` from Monday to Thursday, `fri` on Friday, no weekend.
    pub fn five_day(mon_thu: DaySchedule, fri: DaySchedule) -> Self {
        WeekSchedule {
            mon: Some(mon_thu),
            tue: Some(mon_thu),
            wed: Some(mon_thu),
            thu: Some(mon_thu),
            fri: Some(fri),
            sat: None,
            sun: None,
        }
    }

    /// Effective minutes of the whole week (sum of [`DaySchedule::effective_minutes`];
    /// saturates on absurd data instead of wrapping).
    pub fn weekly_minutes(&self) -> Minutes {
        Minutes(self.days().filter_map(|(_, d)| d).map(|d| d.effective_minutes().get()).fold(0i64, i64::saturating_add))
    }

    /// Number of weekdays with working hours.
    pub fn working_weekdays(&self) -> usize {
        self.days().filter(|(_, d)| d.is_some()).count()
    }

    /// Perpres 21/2023 normal week: Mon-Thu 07:30-16:00 rest 60 (450 min), Fri
    /// 07:30-16:30 rest 90 (450 min); 2250 min = 37.5 h.
    pub fn perpres_21_2023_normal() -> Self {
        WeekSchedule::five_day(
            DaySchedule::new(hm(7, 30), hm(16, 0), Minutes(60)),
            DaySchedule::new(hm(7, 30), hm(16, 30), Minutes(90)),
        )
    }

    /// Perpres 21/2023 Ramadan week: Mon-Thu 08:00-15:00 rest 30 (390 min), Fri
    /// 08:00-15:30 rest 60 (390 min); 1950 min = 32.5 h.
    pub fn perpres_21_2023_ramadan() -> Self {
        WeekSchedule::five_day(
            DaySchedule::new(hm(8, 0), hm(15, 0), Minutes(30)),
            DaySchedule::new(hm(8, 0), hm(15, 30), Minutes(60)),
        )
    }

    /// The seven days with their field names, Monday first.
    fn days(&self) -> impl Iterator<Item = (&'static str, Option<&DaySchedule>)> {
        [
            ("mon", self.mon.as_ref()),
            ("tue", self.tue.as_ref()),
            ("wed", self.wed.as_ref()),
            ("thu", self.thu.as_ref()),
            ("fri", self.fri.as_ref()),
            ("sat", self.sat.as_ref()),
            ("sun", self.sun.as_ref()),
        ]
        .into_iter()
    }

    fn problems(&self, id: &str, field: &str, out: &mut Vec<Problem>) {
        for (day, schedule) in self.days() {
            if let Some(s) = schedule {
                s.problems(id, &format!("{field}.{day}"), out);
            }
        }
    }
}

/// A stretch of dates with its own week, e.g. Ramadan 1447 H.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchedulePeriod {
    /// A label, e.g. `"Ramadan 1447 H"`.
    pub name: String,
    /// The dates the period covers (inclusive).
    pub range: DateRange,
    /// The week in force inside the range; it replaces the normal week entirely.
    pub week: WeekSchedule,
    /// The legal reference that sets these hours.
    pub reference: String,
}

/// What kind of day off a holiday is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HolidayKind {
    /// A national public holiday.
    #[doc(alias = "hari libur nasional")]
    National,
    /// Collective leave set nationally; it counts against annual leave entitlements.
    #[doc(alias = "cuti bersama")]
    CollectiveLeave,
    /// A holiday declared by the region only.
    #[doc(alias = "libur daerah")]
    Local,
}

/// A declared non-working day.
#[doc(alias = "hari libur")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    /// The date.
    pub date: NaiveDate,
    /// National, collective leave or local.
    pub kind: HolidayKind,
    /// What is observed, e.g. `"Hari Kemerdekaan"`.
    pub name: String,
    /// The decree that declares it.
    pub reference: String,
}

impl Holiday {
    /// A holiday.
    pub fn new(date: NaiveDate, kind: HolidayKind, name: impl Into<String>, reference: impl Into<String>) -> Self {
        Holiday { date, kind, name: name.into(), reference: reference.into() }
    }
}

/// A declared holiday turned back into a working day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelledHoliday {
    /// The date of the cancelled holiday (must be a declared holiday).
    pub date: NaiveDate,
    /// The decree that cancels it.
    pub reference: String,
    /// Why, if stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl CancelledHoliday {
    /// A cancellation without a stated reason.
    pub fn new(date: NaiveDate, reference: impl Into<String>) -> Self {
        CancelledHoliday { date, reference: reference.into(), reason: None }
    }
}

/// A work calendar: the normal week, special periods, holidays and cancellations.
///
/// Deserialisation sorts the vectors (see [`WorkCalendar::normalise`]); field names
/// are the JSON dataset format. Vector fields may be omitted.
#[doc(alias = "kalender kerja")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "WorkCalendarData")]
pub struct WorkCalendar {
    /// A label, e.g. `"Indonesia 2026"` or a city's name.
    pub name: String,
    /// The week in force outside special periods.
    pub normal: WeekSchedule,
    /// The legal reference of the normal week.
    pub normal_reference: String,
    /// Special periods, sorted by start date; they must not overlap.
    #[serde(default)]
    pub periods: Vec<SchedulePeriod>,
    /// Holidays, sorted by date; at most one per date.
    #[serde(default)]
    pub holidays: Vec<Holiday>,
    /// Cancelled holidays, sorted by date.
    #[serde(default)]
    pub cancelled: Vec<CancelledHoliday>,
}

/// The wire form of [`WorkCalendar`]; converted (and sorted) on deserialisation.
#[derive(Deserialize)]
struct WorkCalendarData {
    name: String,
    normal: WeekSchedule,
    normal_reference: String,
    #[serde(default)]
    periods: Vec<SchedulePeriod>,
    #[serde(default)]
    holidays: Vec<Holiday>,
    #[serde(default)]
    cancelled: Vec<CancelledHoliday>,
}

impl From<WorkCalendarData> for WorkCalendar {
    fn from(d: WorkCalendarData) -> Self {
        let mut cal = WorkCalendar {
            name: d.name,
            normal: d.normal,
            normal_reference: d.normal_reference,
            periods: d.periods,
            holidays: d.holidays,
            cancelled: d.cancelled,
        };
        cal.normalise();
        cal
    }
}

/// Why a day is, or is not, a working day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A working day with a schedule.
    #[doc(alias = "hari kerja")]
    Working,
    /// The week in force has no hours on this weekday (also when a holiday falls on it).
    Weekend,
    /// A declared, not cancelled, holiday on a weekday that would otherwise be worked.
    #[doc(alias = "hari libur")]
    Holiday(HolidayKind),
}

/// Everything the calendar knows about one date (see the [module docs](self) for the
/// rules).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct DayInfo<'a> {
    /// The date.
    pub date: NaiveDate,
    /// Working, weekend or holiday.
    pub kind: DayKind,
    /// The hours, on a working day only.
    pub schedule: Option<&'a DaySchedule>,
    /// The holiday in force on the date, also when it falls on a weekend; `None` when
    /// the date has no holiday or its holiday is cancelled.
    pub holiday: Option<&'a Holiday>,
    /// The special period containing the date, if any (also on non-working days).
    pub period: Option<&'a SchedulePeriod>,
    /// The cancellation, when the date's holiday was cancelled.
    pub cancelled: Option<&'a CancelledHoliday>,
}

impl DayInfo<'_> {
    /// True on a working day.
    pub fn is_working(&self) -> bool {
        self.kind == DayKind::Working
    }
}

impl WorkCalendar {
    /// A calendar with a week and its reference, no periods and no holidays.
    pub fn new(name: impl Into<String>, normal: WeekSchedule, normal_reference: impl Into<String>) -> Self {
        WorkCalendar {
            name: name.into(),
            normal,
            normal_reference: normal_reference.into(),
            periods: Vec::new(),
            holidays: Vec::new(),
            cancelled: Vec::new(),
        }
    }

    /// The Perpres 21/2023 normal week only: no special periods, no holidays.
    pub fn perpres_21_2023(name: &str) -> WorkCalendar {
        WorkCalendar::new(name, WeekSchedule::perpres_21_2023_normal(), PERPRES_21_2023)
    }

    /// The national calendar for 2026: the Perpres 21/2023 week, the 17 national holidays
    /// and 8 days of cuti bersama of the joint decree of the Ministers of Religious
    /// Affairs, Manpower and PANRB No. 1497, 2 and 5 Tahun 2025 (SKB 3 Menteri; Idul Fitri
    /// 1447 H on Saturday-Sunday 21-22 March, cuti bersama on 20, 23 and 24 March; taken
    /// from published copies, see the reference text) and the Ramadan 1447 H period
    /// 2026-02-19..=2026-03-19 (recalled).
    pub fn indonesia_2026() -> WorkCalendar {
        use HolidayKind::{CollectiveLeave, National};
        let mut cal = WorkCalendar::perpres_21_2023("Indonesia 2026");
        let national = [
            ((1, 1), "Tahun Baru 2026 Masehi"),
            ((1, 16), "Isra Mikraj Nabi Muhammad SAW"),
            ((2, 17), "Tahun Baru Imlek 2577 Kongzili"),
            ((3, 19), "Hari Suci Nyepi Tahun Baru Saka 1948"),
            ((3, 21), "Hari Raya Idul Fitri 1447 H"),
            ((3, 22), "Hari Raya Idul Fitri 1447 H"),
            ((4, 3), "Wafat Yesus Kristus"),
            ((4, 5), "Kebangkitan Yesus Kristus (Paskah)"),
            ((5, 1), "Hari Buruh Internasional"),
            ((5, 14), "Kenaikan Yesus Kristus"),
            ((5, 27), "Hari Raya Idul Adha 1447 H"),
            ((5, 31), "Hari Raya Waisak 2570 BE"),
            ((6, 1), "Hari Lahir Pancasila"),
            ((6, 16), "Tahun Baru Islam 1448 H"),
            ((8, 17), "Hari Kemerdekaan Republik Indonesia"),
            ((8, 25), "Maulid Nabi Muhammad SAW"),
            ((12, 25), "Hari Raya Natal"),
        ];
        let collective = [
            ((2, 16), "Cuti bersama Tahun Baru Imlek"),
            ((3, 18), "Cuti bersama Nyepi"),
            ((3, 20), "Cuti bersama Idul Fitri 1447 H"),
            ((3, 23), "Cuti bersama Idul Fitri 1447 H"),
            ((3, 24), "Cuti bersama Idul Fitri 1447 H"),
            ((5, 15), "Cuti bersama Kenaikan Yesus Kristus"),
            ((5, 28), "Cuti bersama Idul Adha 1447 H"),
            ((12, 24), "Cuti bersama Natal"),
        ];
        let holidays = national
            .iter()
            .map(|&(d, n)| (d, n, National))
            .chain(collective.iter().map(|&(d, n)| (d, n, CollectiveLeave)))
            .map(|((m, d), name, kind)| Holiday::new(ymd(2026, m, d), kind, name, SKB_2026));
        cal.holidays.extend(holidays);
        cal.periods.push(SchedulePeriod {
            name: "Ramadan 1447 H".to_string(),
            range: DateRange { start: ymd(2026, 2, 19), end: ymd(2026, 3, 19) },
            week: WeekSchedule::perpres_21_2023_ramadan(),
            reference: RAMADAN_REFERENCE.to_string(),
        });
        cal.normalise();
        cal
    }

    /// Adds a holiday, keeping `holidays` sorted.
    pub fn add_holiday(&mut self, holiday: Holiday) {
        let at = self.holidays.partition_point(|h| (h.date, h.kind) <= (holiday.date, holiday.kind));
        self.holidays.insert(at, holiday);
    }

    /// Cancels a holiday, keeping `cancelled` sorted.
    pub fn cancel_holiday(&mut self, cancellation: CancelledHoliday) {
        let at = self.cancelled.partition_point(|c| c.date <= cancellation.date);
        self.cancelled.insert(at, cancellation);
    }

    /// Adds a special period, keeping `periods` sorted by start.
    pub fn add_period(&mut self, period: SchedulePeriod) {
        let at = self.periods.partition_point(|p| p.range.start <= period.range.start);
        self.periods.insert(at, period);
    }

    /// Sorts `holidays` (by date, then kind: national, collective leave, local),
    /// `cancelled` (by date) and `periods` (by start), as the binary-search lookups
    /// need. Stable: entries that compare equal keep their order.
    pub fn normalise(&mut self) {
        self.holidays.sort_by_key(|h| (h.date, h.kind));
        self.cancelled.sort_by_key(|c| c.date);
        self.periods.sort_by_key(|p| p.range.start);
    }

    /// True when the vectors are sorted as [`WorkCalendar::normalise`] leaves them.
    pub fn is_normalised(&self) -> bool {
        self.holidays.is_sorted_by_key(|h| (h.date, h.kind))
            && self.cancelled.is_sorted_by_key(|c| c.date)
            && self.periods.is_sorted_by_key(|p| p.range.start)
    }

    /// Every problem in the calendar, all at once (record `"calendar"`, id = the
    /// calendar's name, field = the path of the offending value, e.g.
    /// `holidays[3].reference`).
    ///
    /// Codes: `empty` (name), `missing_reference`, `end_not_after_start`,
    /// `rest_not_less_than_span`, `negative` (rest), `not_whole_minute` (times with
    /// seconds), `no_working_days` (normal week), `inverted_range`,
    /// `overlapping_periods`, `duplicate_date` (holidays or cancellations),
    /// `not_a_holiday` (cancellation of an undeclared date), `not_normalised`.
    pub fn validate(&self) -> Vec<crate::Problem> {
        let mut out = Vec::new();
        let id = self.name.as_str();
        let missing_ref = |field: String, what: &str| {
            Problem::new(RECORD, id, field, "missing_reference", format!("{what} has no legal reference"))
        };

        if self.name.trim().is_empty() {
            out.push(Problem::new(RECORD, id, "name", "empty", "the calendar has no name"));
        }
        if self.normal_reference.trim().is_empty() {
            out.push(missing_ref("normal_reference".into(), "the normal week"));
        }
        self.normal.problems(id, "normal", &mut out);
        week_seconds(&self.normal, id, "normal", &mut out);
        if self.normal.working_weekdays() == 0 {
            out.push(Problem::new(RECORD, id, "normal", "no_working_days", "the normal week has no working day"));
        }

        for (i, p) in self.periods.iter().enumerate() {
            let f = format!("periods[{i}]");
            if p.name.trim().is_empty() {
                out.push(Problem::new(RECORD, id, format!("{f}.name"), "empty", "the period has no name"));
            }
            if p.reference.trim().is_empty() {
                out.push(missing_ref(format!("{f}.reference"), &format!("period `{}`", p.name)));
            }
            if p.range.end < p.range.start {
                out.push(Problem::new(
                    RECORD,
                    id,
                    format!("{f}.range"),
                    "inverted_range",
                    format!("period `{}` ends ({}) before it starts ({})", p.name, p.range.end, p.range.start),
                ));
            }
            p.week.problems(id, &format!("{f}.week"), &mut out);
            week_seconds(&p.week, id, &format!("{f}.week"), &mut out);
            for (j, q) in self.periods.iter().enumerate().skip(i + 1) {
                if p.range.overlaps(&q.range) {
                    out.push(Problem::new(
                        RECORD,
                        id,
                        format!("periods[{j}].range"),
                        "overlapping_periods",
                        format!("period `{}` ({}) overlaps period `{}` ({})", q.name, q.range, p.name, p.range),
                    ));
                }
            }
        }

        for (i, h) in self.holidays.iter().enumerate() {
            let f = format!("holidays[{i}]");
            if h.name.trim().is_empty() {
                out.push(Problem::new(
                    RECORD,
                    id,
                    format!("{f}.name"),
                    "empty",
                    format!("holiday on {} has no name", h.date),
                ));
            }
            if h.reference.trim().is_empty() {
                out.push(missing_ref(format!("{f}.reference"), &format!("holiday on {}", h.date)));
            }
            if let Some(first) = self.holidays.iter().take(i).position(|o| o.date == h.date) {
                out.push(Problem::new(
                    RECORD,
                    id,
                    format!("{f}.date"),
                    "duplicate_date",
                    format!("{} is declared twice (also holidays[{first}]); keep one holiday per date", h.date),
                ));
            }
        }

        for (i, c) in self.cancelled.iter().enumerate() {
            let f = format!("cancelled[{i}]");
            if c.reference.trim().is_empty() {
                out.push(missing_ref(format!("{f}.reference"), &format!("cancellation of {}", c.date)));
            }
            if !self.holidays.iter().any(|h| h.date == c.date) {
                out.push(Problem::new(
                    RECORD,
                    id,
                    format!("{f}.date"),
                    "not_a_holiday",
                    format!("{} is cancelled but no holiday is declared on it", c.date),
                ));
            }
            if let Some(first) = self.cancelled.iter().take(i).position(|o| o.date == c.date) {
                out.push(Problem::new(
                    RECORD,
                    id,
                    format!("{f}.date"),
                    "duplicate_date",
                    format!("{} is cancelled twice (also cancelled[{first}])", c.date),
                ));
            }
        }

        for (field, sorted) in [
            ("holidays", self.holidays.is_sorted_by_key(|h| (h.date, h.kind))),
            ("cancelled", self.cancelled.is_sorted_by_key(|c| c.date)),
            ("periods", self.periods.is_sorted_by_key(|p| p.range.start)),
        ] {
            if !sorted {
                out.push(Problem::new(
                    RECORD,
                    id,
                    field,
                    "not_normalised",
                    format!("`{field}` is not sorted by date; call `normalise()` before looking days up"),
                ));
            }
        }
        out
    }

    /// The special period containing `date`, if any (binary search by start).
    pub fn period_on(&self, date: NaiveDate) -> Option<&SchedulePeriod> {
        let after = self.periods.partition_point(|p| p.range.start <= date);
        after.checked_sub(1).and_then(|i| self.periods.get(i)).filter(|p| p.range.contains(date))
    }

    /// The holiday declared on `date`, cancelled or not (binary search).
    pub fn holiday_on(&self, date: NaiveDate) -> Option<&Holiday> {
        let at = self.holidays.partition_point(|h| h.date < date);
        self.holidays.get(at).filter(|h| h.date == date)
    }

    /// The cancellation on `date`, if any (binary search).
    pub fn cancellation_on(&self, date: NaiveDate) -> Option<&CancelledHoliday> {
        let at = self.cancelled.partition_point(|c| c.date < date);
        self.cancelled.get(at).filter(|c| c.date == date)
    }

    /// The week in force on `date`: the special period's, else the normal one.
    pub fn week_on(&self, date: NaiveDate) -> &WeekSchedule {
        self.period_on(date).map_or(&self.normal, |p| &p.week)
    }

    /// Everything about one date (see the [module docs](self) for the rules).
    pub fn day(&self, date: NaiveDate) -> DayInfo<'_> {
        let period = self.period_on(date);
        let week = period.map_or(&self.normal, |p| &p.week);
        let weekday_schedule = week.on(date.weekday());
        let declared = self.holiday_on(date);
        let cancelled = declared.and(self.cancellation_on(date));
        let holiday = if cancelled.is_some() { None } else { declared };
        let (kind, schedule) = match (weekday_schedule, holiday) {
            (None, _) => (DayKind::Weekend, None),
            (Some(_), Some(h)) => (DayKind::Holiday(h.kind), None),
            (Some(s), None) => (DayKind::Working, Some(s)),
        };
        DayInfo { date, kind, schedule, holiday, period, cancelled }
    }

    /// True when `date` is a working day.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.day(date).is_working()
    }

    /// The hours of `date`; `None` on a non-working day. Inside a special period the
    /// period's week wins.
    pub fn schedule(&self, date: NaiveDate) -> Option<&DaySchedule> {
        self.day(date).schedule
    }

    /// Number of working days in `range` (inclusive; 0 for an inverted range).
    pub fn working_days(&self, range: DateRange) -> u32 {
        // A DateRange spans at most chrono's ~500,000 years of days, far below u32::MAX.
        let n = self.working_dates(range).count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// Number of working days in a month.
    pub fn working_days_in_month(&self, month: YearMonth) -> u32 {
        self.working_days(month.range())
    }

    /// The working days of `range` in order (empty for an inverted range).
    pub fn working_dates(&self, range: DateRange) -> impl Iterator<Item = NaiveDate> + '_ {
        let end = range.end;
        range.start.iter_days().take_while(move |d| *d <= end).filter(move |d| self.is_working_day(*d))
    }

    /// Sum of the scheduled effective minutes of the working days in `range`.
    pub fn effective_minutes(&self, range: DateRange) -> Result<Minutes, ArithmeticError> {
        let end = range.end;
        range
            .start
            .iter_days()
            .take_while(|d| *d <= end)
            .filter_map(|d| self.schedule(d).map(DaySchedule::effective_minutes))
            .try_fold(Minutes::ZERO, Minutes::checked_add)
    }

    /// The `n`-th working day strictly after `date` (`n = 0` returns `date` itself,
    /// working or not). `None` when fewer than `n` working days follow within
    /// [`MAX_SEARCH_DAYS`] days, or at the end of chrono's date range.
    ///
    /// E.g. "5 working days after month end": `nth_working_day_after(last_day, 5)`.
    pub fn nth_working_day_after(&self, date: NaiveDate, n: u32) -> Option<NaiveDate> {
        self.nth_working_day(date, n, NaiveDate::succ_opt)
    }

    /// The `n`-th working day strictly before `date` (`n = 0` returns `date`), e.g.
    /// "3 working days back". `None` as for [`WorkCalendar::nth_working_day_after`].
    pub fn nth_working_day_before(&self, date: NaiveDate, n: u32) -> Option<NaiveDate> {
        self.nth_working_day(date, n, NaiveDate::pred_opt)
    }

    fn nth_working_day(&self, date: NaiveDate, n: u32, step: fn(&NaiveDate) -> Option<NaiveDate>) -> Option<NaiveDate> {
        let mut current = date;
        let mut left = n;
        for _ in 0..MAX_SEARCH_DAYS {
            if left == 0 {
                return Some(current);
            }
            current = step(&current)?;
            if self.is_working_day(current) {
                left -= 1;
            }
        }
        (left == 0).then_some(current)
    }

    /// Working days in `(earlier, later]`: after `earlier`, up to and including
    /// `later`. 0 when `later <= earlier`.
    pub fn working_days_between(&self, earlier: NaiveDate, later: NaiveDate) -> u32 {
        match earlier.succ_opt() {
            Some(start) if start <= later => self.working_days(DateRange { start, end: later }),
            _ => 0,
        }
    }

    /// A per-day table over `range` for O(1) lookups in hot loops (e.g. every
    /// employee's attendance over a month). Empty for an inverted range.
    pub fn compile(&self, range: DateRange) -> CompiledCalendar {
        let end = range.end;
        let days = range
            .start
            .iter_days()
            .take_while(|d| *d <= end)
            .map(|d| {
                let info = self.day(d);
                CompiledDay { kind: info.kind, schedule: info.schedule.copied() }
            })
            .collect();
        CompiledCalendar { start: range.start, days }
    }
}

/// Reports schedule times carrying seconds (the engine counts whole minutes).
fn week_seconds(week: &WeekSchedule, id: &str, field: &str, out: &mut Vec<Problem>) {
    use chrono::Timelike;
    for (day, schedule) in week.days() {
        let Some(s) = schedule else { continue };
        for (name, t) in [("start", s.start), ("end", s.end)] {
            if t.second() != 0 || t.nanosecond() != 0 {
                out.push(Problem::new(
                    RECORD,
                    id,
                    format!("{field}.{day}.{name}"),
                    "not_whole_minute",
                    format!("{t} is not a whole minute"),
                ));
            }
        }
    }
}

/// One day of a [`CompiledCalendar`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompiledDay {
    /// Working, weekend or holiday.
    pub kind: DayKind,
    /// The hours, on a working day only.
    pub schedule: Option<DaySchedule>,
}

impl CompiledDay {
    /// True on a working day.
    pub fn is_working(&self) -> bool {
        self.kind == DayKind::Working
    }

    /// Effective minutes scheduled (zero on a non-working day).
    pub fn effective_minutes(&self) -> Minutes {
        self.schedule.map_or(Minutes::ZERO, |s| s.effective_minutes())
    }
}

/// A [`WorkCalendar`] resolved day by day over a date range ([`WorkCalendar::compile`]).
///
/// Owns its data (no borrow of the calendar), so it can be shared across threads.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompiledCalendar {
    start: NaiveDate,
    days: Vec<CompiledDay>,
}

impl CompiledCalendar {
    /// The first date covered.
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// Number of days covered.
    pub fn len(&self) -> usize {
        self.days.len()
    }

    /// True when no day is covered.
    pub fn is_empty(&self) -> bool {
        self.days.is_empty()
    }

    /// The day at `date`; `None` outside the compiled range.
    pub fn get(&self, date: NaiveDate) -> Option<&CompiledDay> {
        let offset = usize::try_from((date - self.start).num_days()).ok()?;
        self.days.get(offset)
    }

    /// Working days covered.
    pub fn working_days(&self) -> u32 {
        u32::try_from(self.days.iter().filter(|d| d.is_working()).count()).unwrap_or(u32::MAX)
    }

    /// Every covered day in order with its date.
    pub fn iter(&self) -> impl Iterator<Item = (NaiveDate, &CompiledDay)> + '_ {
        self.start.iter_days().zip(self.days.iter())
    }
}
