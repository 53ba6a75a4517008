//! Reading the values of a cell: header names, dates and times as exports write them.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::DateOrder;

/// A header name or a code in the form they are compared in: lower case, letters and
/// digits only (`NIP BARU`, `nip_baru` and `Nip-Baru` all give `nipbaru`).
pub(crate) fn normalise(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The month numbered by an Indonesian or English month name or abbreviation
/// (`Okt`, `Oktober`, `Oct`, `October`, `Agu`, `Agt`, `Mei`, ...).
fn month_name(text: &str) -> Option<u32> {
    let t = normalise(text);
    let m = match t.as_str() {
        "jan" | "januari" | "january" => 1,
        "feb" | "peb" | "februari" | "pebruari" | "february" => 2,
        "mar" | "maret" | "march" => 3,
        "apr" | "april" => 4,
        "mei" | "may" => 5,
        "jun" | "juni" | "june" => 6,
        "jul" | "juli" | "july" => 7,
        "agu" | "agt" | "ags" | "agus" | "agustus" | "aug" | "august" => 8,
        "sep" | "sept" | "september" => 9,
        "okt" | "oct" | "oktober" | "october" => 10,
        "nov" | "nop" | "november" | "nopember" => 11,
        "des" | "dec" | "desember" | "december" => 12,
        _ => return None,
    };
    Some(m)
}

/// A run of 1 to `max` ASCII digits as a number.
fn number(text: &str, max: usize) -> Option<u32> {
    if text.is_empty() || text.len() > max || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Reads a date: ISO `2026-10-05` (also with `/` or `.`), or day first (or month first,
/// by `order`) `05/10/2026`, `5-10-2026`, `05.10.2026`, `05-Okt-2026`. The year has
/// four digits: `05/10/26` is refused, since its century is a guess.
pub fn parse_date(text: &str, order: DateOrder) -> Option<NaiveDate> {
    let t = text.trim();
    let sep = t.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let parts: Vec<&str> = t.split(sep).map(str::trim).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let (year, month, day) = if a.len() == 4 {
        (number(a, 4)?, number(b, 2).or_else(|| month_name(b))?, number(c, 2)?)
    } else if c.len() == 4 {
        let year = number(c, 4)?;
        match month_name(b) {
            Some(m) => (year, m, number(a, 2)?),
            None => match order {
                DateOrder::DayFirst => (year, number(b, 2)?, number(a, 2)?),
                DateOrder::MonthFirst => (year, number(a, 2)?, number(b, 2)?),
            },
        }
    } else {
        return None;
    };
    if year < 1900 {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// Reads a time of day: `07:25`, `7:25:13`, `07.25`, `07:25:13.500` (fractions
/// dropped), `7:25 AM`, `07:25PM`.
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    let (clock, half) = if let Some(rest) = lower.strip_suffix("am") {
        (rest.trim_end().trim_end_matches('.').to_string(), Some(false))
    } else if let Some(rest) = lower.strip_suffix("pm") {
        (rest.trim_end().trim_end_matches('.').to_string(), Some(true))
    } else {
        (lower, None)
    };
    let sep = clock.chars().find(|c| matches!(c, ':' | '.'))?;
    let parts: Vec<&str> = clock.split(sep).collect();
    let (h, m, s) = match parts.as_slice() {
        [h, m] => (number(h, 2)?, number(m, 2)?, 0),
        // `07:25:13.500`: the fraction of a second is dropped.
        [h, m, s] => {
            let (whole, fraction) = s.split_once([',', '.']).unwrap_or((s, ""));
            if !fraction.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            (number(h, 2)?, number(m, 2)?, number(whole, 2)?)
        }
        _ => return None,
    };
    let hour = match half {
        None => h,
        Some(_) if !(1..=12).contains(&h) => return None,
        Some(false) => h % 12,
        Some(true) => h % 12 + 12,
    };
    NaiveTime::from_hms_opt(hour, m, s)
}

/// Reads a date and a time in one cell, separated by spaces or ISO's `T`:
/// `05/10/2026 07:25`, `2026-10-05T07:25:13`, `10/5/2026 7:25 AM` (month first).
/// A date without a time is refused.
pub fn parse_datetime(text: &str, order: DateOrder) -> Option<NaiveDateTime> {
    let t = text.trim();
    let (date, time) = match t.split_once(char::is_whitespace) {
        Some((d, rest)) => (d, rest.trim()),
        None => {
            // ISO with `T` between date and time.
            let i = t.find(['T', 't'])?;
            (t.get(..i)?, t.get(i + 1..)?)
        }
    };
    let date = parse_date(date, order)?;
    let time = parse_time(time)?;
    Some(date.and_time(time))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_day_first_and_iso() {
        let df = DateOrder::DayFirst;
        assert_eq!(parse_date("05/10/2026", df), Some(d(2026, 10, 5)));
        assert_eq!(parse_date("5-10-2026", df), Some(d(2026, 10, 5)));
        assert_eq!(parse_date("05.10.2026", df), Some(d(2026, 10, 5)));
        assert_eq!(parse_date("2026-10-05", df), Some(d(2026, 10, 5)));
        assert_eq!(parse_date("2026/10/05", df), Some(d(2026, 10, 5)));
        assert_eq!(parse_date("05-Okt-2026", df), Some(d(2026, 10, 5)));
        assert_eq!(parse_date("10/05/2026", DateOrder::MonthFirst), Some(d(2026, 10, 5)));
        for bad in ["05/10/26", "31/02/2026", "2026-10", "13/13/2026", "", "x/y/z", "05/10/0999", "٥/١٠/٢٠٢٦"] {
            assert_eq!(parse_date(bad, df), None, "{bad}");
        }
    }

    #[test]
    fn times() {
        let t = |h, m, s| NaiveTime::from_hms_opt(h, m, s).unwrap();
        assert_eq!(parse_time("07:25"), Some(t(7, 25, 0)));
        assert_eq!(parse_time("7:25:13"), Some(t(7, 25, 13)));
        assert_eq!(parse_time("07.25"), Some(t(7, 25, 0)));
        assert_eq!(parse_time("07.25.13"), Some(t(7, 25, 13)));
        assert_eq!(parse_time("07:25:13.500"), Some(t(7, 25, 13)));
        assert_eq!(parse_time("7:25 AM"), Some(t(7, 25, 0)));
        assert_eq!(parse_time("12:05 AM"), Some(t(0, 5, 0)));
        assert_eq!(parse_time("4:05PM"), Some(t(16, 5, 0)));
        for bad in ["25:00", "07:60", "0725", "13:00 PM", "", "07:25:13:99:1", "7:2x"] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn datetimes() {
        let df = DateOrder::DayFirst;
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(parse_datetime("05/10/2026 07:25", df), Some(at("2026-10-05 07:25:00")));
        assert_eq!(parse_datetime("2026-10-05T07:25:13", df), Some(at("2026-10-05 07:25:13")));
        assert_eq!(parse_datetime("2026-10-05  07:25:13", df), Some(at("2026-10-05 07:25:13")));
        assert_eq!(parse_datetime("10/5/2026 4:05 PM", DateOrder::MonthFirst), Some(at("2026-10-05 16:05:00")));
        assert_eq!(parse_datetime("05/10/2026", df), None);
        assert_eq!(parse_datetime("07:25", df), None);
    }

    #[test]
    fn header_names_compare_loosely() {
        assert_eq!(normalise("NIP BARU"), "nipbaru");
        assert_eq!(normalise("nip_baru"), "nipbaru");
        assert_eq!(normalise("AC-No."), "acno");
        assert_eq!(normalise(" Date/Time "), "datetime");
    }
}
