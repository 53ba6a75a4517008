//! Calendar months ([`YearMonth`]) and inclusive date ranges ([`DateRange`]).

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::ArithmeticError;

/// A calendar month such as `2026-10`, the period an allowance is paid for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    year: i32,
    month: u32,
}

/// Why a month could not be made or parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a month in the form YYYY-MM")]
pub struct MonthParseError {
    /// The text that was refused.
    pub text: String,
}

impl YearMonth {
    /// A month; `None` when `month` is not 1-12 or the year is not 0-9999 (the
    /// years its text form `YYYY-MM` can write).
    pub fn new(year: i32, month: u32) -> Option<Self> {
        if !(0..=9999).contains(&year) {
            return None;
        }
        NaiveDate::from_ymd_opt(year, month, 1)?;
        Some(YearMonth { year, month })
    }

    /// The month a date falls in.
    pub fn of(date: NaiveDate) -> Self {
        YearMonth { year: date.year(), month: date.month() }
    }

    /// The year.
    pub const fn year(self) -> i32 {
        self.year
    }

    /// The month number, 1-12.
    pub const fn month(self) -> u32 {
        self.month
    }

    /// The first day.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("validated at construction")
    }

    /// The last day.
    pub fn last_day(self) -> NaiveDate {
        match self.next() {
            Ok(n) => n.first_day().pred_opt().expect("a day before a valid first day exists"),
            Err(_) => NaiveDate::from_ymd_opt(self.year, 12, 31).expect("December exists"),
        }
    }

    /// Number of days in the month.
    pub fn days(self) -> u32 {
        // By the calendar's rule, without building a date (every slip's check asks).
        let y = self.year;
        let leap = y.rem_euclid(4) == 0 && (y.rem_euclid(100) != 0 || y.rem_euclid(400) == 0);
        match self.month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    /// The whole month as a date range.
    pub fn range(self) -> DateRange {
        DateRange { start: self.first_day(), end: self.last_day() }
    }

    /// The following month.
    pub fn next(self) -> Result<Self, ArithmeticError> {
        let (y, m) = if self.month == 12 { (self.year.checked_add(1), 1) } else { (Some(self.year), self.month + 1) };
        y.and_then(|y| YearMonth::new(y, m)).ok_or(ArithmeticError::Overflow { operation: "next month" })
    }

    /// The preceding month.
    pub fn prev(self) -> Result<Self, ArithmeticError> {
        let (y, m) = if self.month == 1 { (self.year.checked_sub(1), 12) } else { (Some(self.year), self.month - 1) };
        y.and_then(|y| YearMonth::new(y, m)).ok_or(ArithmeticError::Overflow { operation: "previous month" })
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for YearMonth {
    type Err = MonthParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || MonthParseError { text: s.to_string() };
        let (y, m) = s.trim().split_once('-').ok_or_else(err)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(err());
        }
        let y: i32 = y.parse().map_err(|_| err())?;
        let m: u32 = m.parse().map_err(|_| err())?;
        YearMonth::new(y, m).ok_or_else(err)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// An inclusive range of dates, `start..=end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateRange {
    /// First day in the range.
    pub start: NaiveDate,
    /// Last day in the range (inclusive).
    pub end: NaiveDate,
}

/// A range whose end comes before its start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("date range ends ({end}) before it starts ({start})")]
pub struct InvertedRange {
    /// The start given.
    pub start: NaiveDate,
    /// The end given.
    pub end: NaiveDate,
}

impl DateRange {
    /// A range; refuses an end before the start.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Self, InvertedRange> {
        if end < start { Err(InvertedRange { start, end }) } else { Ok(DateRange { start, end }) }
    }

    /// A range from an optional open end (`None` = still running), clipped to `within`.
    /// Returns `None` when the two do not meet.
    pub fn clip_open(start: NaiveDate, end: Option<NaiveDate>, within: DateRange) -> Option<DateRange> {
        let s = start.max(within.start);
        let e = end.map_or(within.end, |e| e.min(within.end));
        (s <= e).then_some(DateRange { start: s, end: e })
    }

    /// True when `date` is inside the range.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }

    /// True when the two ranges share at least one day.
    pub fn overlaps(&self, other: &DateRange) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    /// The days shared by both ranges, if any.
    pub fn intersect(&self, other: &DateRange) -> Option<DateRange> {
        let s = self.start.max(other.start);
        let e = self.end.min(other.end);
        (s <= e).then_some(DateRange { start: s, end: e })
    }

    /// Number of days, counting both ends.
    pub fn len_days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }

    /// Every day of the range in order.
    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.start.iter_days().take_while(move |d| *d <= self.end)
    }
}

impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..={}", self.start, self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn month_parse_and_bounds() {
        let m: YearMonth = "2026-02".parse().unwrap();
        assert_eq!(m.days(), 28);
        assert_eq!(m.last_day(), d(2026, 2, 28));
        assert_eq!("2024-02".parse::<YearMonth>().unwrap().days(), 29);
        assert_eq!(m.to_string(), "2026-02");
        assert_eq!("2026-12".parse::<YearMonth>().unwrap().next().unwrap().to_string(), "2027-01");
        assert_eq!("2026-01".parse::<YearMonth>().unwrap().prev().unwrap().to_string(), "2025-12");
        for bad in ["2026-13", "2026-00", "26-01", "2026/01", "2026-1", ""] {
            assert!(bad.parse::<YearMonth>().is_err(), "{bad}");
        }
    }

    #[test]
    fn ranges() {
        assert!(DateRange::new(d(2026, 1, 2), d(2026, 1, 1)).is_err());
        let r = DateRange::new(d(2026, 1, 30), d(2026, 2, 2)).unwrap();
        assert_eq!(r.len_days(), 4);
        assert_eq!(r.days().count(), 4);
        let feb = "2026-02".parse::<YearMonth>().unwrap().range();
        assert_eq!(r.intersect(&feb).unwrap(), DateRange::new(d(2026, 2, 1), d(2026, 2, 2)).unwrap());
        assert_eq!(DateRange::clip_open(d(2026, 2, 10), None, feb).unwrap().len_days(), 19);
        assert!(DateRange::clip_open(d(2026, 3, 1), None, feb).is_none());
    }

    /// The days of a month by the calendar's rule are the day of its last date, for
    /// every month of 1600-2500: leap years (2024, 2000, 2400: 29 February) and
    /// century years that are not (1900, 2100: 28).
    #[test]
    fn month_days_by_rule_equal_the_calendar() {
        for y in 1600..=2500 {
            for m in 1..=12 {
                let month = YearMonth::new(y, m).unwrap();
                assert_eq!(month.days(), month.last_day().day(), "{month}");
            }
        }
        assert_eq!(YearMonth::new(2000, 2).unwrap().days(), 29);
        assert_eq!(YearMonth::new(2100, 2).unwrap().days(), 28);
    }
}
