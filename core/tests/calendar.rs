//! Work calendar: hand-computed reference cases.

use chrono::{NaiveDate, NaiveTime, Weekday};
use kinerja::calendar::{
    CancelledHoliday, DayKind, DaySchedule, Holiday, HolidayKind, MAX_SEARCH_DAYS, SchedulePeriod, WeekSchedule,
    WorkCalendar,
};
use kinerja::{DateRange, Minutes, YearMonth};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn month(s: &str) -> YearMonth {
    s.parse().unwrap()
}

fn range(a: NaiveDate, b: NaiveDate) -> DateRange {
    DateRange::new(a, b).unwrap()
}

fn codes(cal: &WorkCalendar) -> Vec<(String, String)> {
    cal.validate().into_iter().map(|p| (p.field, p.code)).collect()
}

// ---------------------------------------------------------------- schedules

#[test]
fn perpres_normal_week_is_2250_minutes() {
    let w = WeekSchedule::perpres_21_2023_normal();
    // Mon-Thu 07:30-16:00 = 8 h 30 = 510 min, minus rest 60 = 450.
    let mon = w.on(Weekday::Mon).unwrap();
    assert_eq!((mon.start, mon.end, mon.rest_minutes), (t(7, 30), t(16, 0), Minutes(60)));
    assert_eq!(mon.effective_minutes(), Minutes(450));
    // Fri 07:30-16:30 = 9 h = 540 min, minus rest 90 = 450.
    let fri = w.on(Weekday::Fri).unwrap();
    assert_eq!((fri.start, fri.end, fri.rest_minutes), (t(7, 30), t(16, 30), Minutes(90)));
    assert_eq!(fri.effective_minutes(), Minutes(450));
    assert_eq!(w.on(Weekday::Sat), None);
    assert_eq!(w.on(Weekday::Sun), None);
    // 4 x 450 + 450 = 2250 min = 37.5 h.
    assert_eq!(w.weekly_minutes(), Minutes(2250));
    assert_eq!(w.working_weekdays(), 5);
}

#[test]
fn perpres_ramadan_week_is_1950_minutes() {
    let w = WeekSchedule::perpres_21_2023_ramadan();
    // Mon-Thu 08:00-15:00 = 420 min, minus 30 = 390.
    assert_eq!(w.on(Weekday::Thu).unwrap().effective_minutes(), Minutes(390));
    // Fri 08:00-15:30 = 450 min, minus 60 = 390.
    assert_eq!(w.on(Weekday::Fri).unwrap().effective_minutes(), Minutes(390));
    // 5 x 390 = 1950 min = 32.5 h.
    assert_eq!(w.weekly_minutes(), Minutes(1950));
}

#[test]
fn effective_minutes_of_invalid_schedule_is_not_positive() {
    // 10:00-09:00 = -60 min, minus 0 rest = -60.
    assert_eq!(DaySchedule::new(t(10, 0), t(9, 0), Minutes(0)).effective_minutes(), Minutes(-60));
    // 08:00-09:00 = 60 min, minus 60 rest = 0 (rest equal to the span).
    assert_eq!(DaySchedule::new(t(8, 0), t(9, 0), Minutes(60)).effective_minutes(), Minutes(0));
    // Absurd rest saturates instead of wrapping.
    assert_eq!(DaySchedule::new(t(8, 0), t(9, 0), Minutes(i64::MIN)).effective_minutes(), Minutes(i64::MAX));
}

// ---------------------------------------------------------------- counting working days

#[test]
fn october_2026_has_22_working_days() {
    // Oct 2026: the 1st is a Thursday. Weekdays: Thu 1, Fri 2 (2), then the full weeks
    // 5-9, 12-16, 19-23, 26-30 (4 x 5 = 20); 31 is a Saturday. 2 + 20 = 22, no holidays.
    let plain = WorkCalendar::perpres_21_2023("plain");
    assert_eq!(plain.working_days_in_month(month("2026-10")), 22);
    assert_eq!(WorkCalendar::indonesia_2026().working_days_in_month(month("2026-10")), 22);
}

#[test]
fn march_2026_has_17_working_days() {
    // Mar 2026: the 1st is a Sunday. Weekdays: 2-6, 9-13, 16-20, 23-27 (4 x 5 = 20),
    // 30-31 (2) = 22.
    // Minus: Wed 18 cuti bersama Nyepi, Thu 19 Nyepi, Fri 20 cuti bersama Idul Fitri,
    //        Mon 23 and Tue 24 cuti bersama Idul Fitri = 5.
    // Sat 21 and Sun 22 (Idul Fitri 1447 H, SKB 1497/2/5 Tahun 2025) are already a
    // weekend: not subtracted again.
    // 22 - 5 = 17.
    let cal = WorkCalendar::indonesia_2026();
    assert_eq!(WorkCalendar::perpres_21_2023("x").working_days_in_month(month("2026-03")), 22);
    assert_eq!(cal.working_days_in_month(month("2026-03")), 17);

    // The weekend holiday stays a weekend but still names the holiday.
    let sat = cal.day(d(2026, 3, 21));
    assert_eq!(sat.kind, DayKind::Weekend);
    assert_eq!(sat.holiday.unwrap().name, "Hari Raya Idul Fitri 1447 H");
    assert_eq!(sat.holiday.unwrap().kind, HolidayKind::National);
    assert_eq!(sat.schedule, None);
    let sun = cal.day(d(2026, 3, 22));
    assert_eq!((sun.kind, sun.holiday.unwrap().name.as_str()), (DayKind::Weekend, "Hari Raya Idul Fitri 1447 H"));
    // Friday 20 March is collective leave in the decree, not the holiday itself.
    let fri = cal.day(d(2026, 3, 20));
    assert_eq!(fri.kind, DayKind::Holiday(HolidayKind::CollectiveLeave));
    assert_eq!(fri.holiday.unwrap().name, "Cuti bersama Idul Fitri 1447 H");
}

#[test]
fn the_2026_calendar_has_the_decree_s_17_holidays_and_8_days_of_collective_leave() {
    // SKB No. 1497, 2 and 5 Tahun 2025: 17 national holidays, 8 days of cuti bersama.
    let cal = WorkCalendar::indonesia_2026();
    let count = |k: HolidayKind| cal.holidays.iter().filter(|h| h.kind == k).count();
    assert_eq!((count(HolidayKind::National), count(HolidayKind::CollectiveLeave)), (17, 8));
    let collective: Vec<String> = cal
        .holidays
        .iter()
        .filter(|h| h.kind == HolidayKind::CollectiveLeave)
        .map(|h| h.date.format("%m-%d").to_string())
        .collect();
    assert_eq!(collective, ["02-16", "03-18", "03-20", "03-23", "03-24", "05-15", "05-28", "12-24"]);
    assert!(cal.holidays.iter().all(|h| h.reference.contains("No. 1497 Tahun 2025")));
}

#[test]
fn august_2026_has_19_working_days() {
    // Aug 2026: the 1st is a Saturday. Weekdays: 3-7, 10-14, 17-21, 24-28 (20), 31 (1) = 21.
    // Minus Mon 17 (Kemerdekaan) and Tue 25 (Maulid Nabi) = 2. 21 - 2 = 19.
    let cal = WorkCalendar::indonesia_2026();
    assert_eq!(cal.working_days_in_month(month("2026-08")), 19);
    assert_eq!(cal.day(d(2026, 8, 17)).kind, DayKind::Holiday(HolidayKind::National));
    assert!(cal.is_working_day(d(2026, 8, 18)));
}

#[test]
fn working_days_over_a_range_crossing_months() {
    let cal = WorkCalendar::indonesia_2026();
    // Thu 2026-05-14 ..= Tue 2026-06-02:
    //   May 14 Thu Kenaikan (holiday), 15 Fri cuti bersama, 16-17 weekend,
    //   18-22 Mon-Fri: 5 working,
    //   23-24 weekend, 25 Mon, 26 Tue: 2 working, 27 Wed Idul Adha, 28 Thu cuti bersama,
    //   29 Fri: 1 working, 30 Sat, 31 Sun (Waisak, weekend anyway),
    //   Jun 1 Mon Pancasila (holiday), Jun 2 Tue: 1 working.
    //   5 + 2 + 1 + 1 = 9.
    assert_eq!(cal.working_days(range(d(2026, 5, 14), d(2026, 6, 2))), 9);
    let dates: Vec<_> = cal.working_dates(range(d(2026, 5, 25), d(2026, 6, 2))).collect();
    assert_eq!(dates, vec![d(2026, 5, 25), d(2026, 5, 26), d(2026, 5, 29), d(2026, 6, 2)]);
    // Single-day boundaries: a holiday alone counts 0, a working day alone counts 1.
    assert_eq!(cal.working_days(range(d(2026, 6, 1), d(2026, 6, 1))), 0);
    assert_eq!(cal.working_days(range(d(2026, 6, 2), d(2026, 6, 2))), 1);
    // Inverted ranges built by hand count nothing.
    assert_eq!(cal.working_days(DateRange { start: d(2026, 6, 2), end: d(2026, 6, 1) }), 0);
    // Whole year 2026: 261 weekdays (365 days = 52 weeks + Thu Jan 1, so 52 x 5 + 1).
    // Holidays on weekdays: national 17 minus 3 on weekends (Sat Mar 21, Sun Apr 5,
    // Sun May 31) = 14; cuti bersama 7, all weekdays. 261 - 14 - 7 = 240.
    let year = range(d(2026, 1, 1), d(2026, 12, 31));
    assert_eq!(WorkCalendar::perpres_21_2023("x").working_days(year), 261);
    assert_eq!(cal.working_days(year), 240);
}

// ---------------------------------------------------------------- Ramadan period

#[test]
fn ramadan_days_use_the_ramadan_week() {
    let cal = WorkCalendar::indonesia_2026();
    // Mon 2026-03-02: 08:00-15:00 rest 30 = 420 - 30 = 390.
    let mon = cal.day(d(2026, 3, 2));
    assert_eq!(mon.kind, DayKind::Working);
    assert_eq!(mon.period.unwrap().name, "Ramadan 1447 H");
    let s = mon.schedule.unwrap();
    assert_eq!((s.start, s.end, s.rest_minutes), (t(8, 0), t(15, 0), Minutes(30)));
    assert_eq!(s.effective_minutes(), Minutes(390));
    // Fri 2026-03-06: 08:00-15:30 rest 60 = 450 - 60 = 390.
    let fri = cal.schedule(d(2026, 3, 6)).unwrap();
    assert_eq!((fri.start, fri.end, fri.rest_minutes), (t(8, 0), t(15, 30), Minutes(60)));
    assert_eq!(fri.effective_minutes(), Minutes(390));
    // Boundaries: Wed 02-18 is before Ramadan (normal 07:30), Thu 02-19 is its first day.
    assert_eq!(cal.schedule(d(2026, 2, 18)).unwrap().start, t(7, 30));
    assert_eq!(cal.schedule(d(2026, 2, 19)).unwrap().start, t(8, 0));
    // Last day Thu 03-19 is Nyepi: inside the period, but a holiday.
    let last = cal.day(d(2026, 3, 19));
    assert!(last.period.is_some());
    assert_eq!(last.kind, DayKind::Holiday(HolidayKind::National));
    assert_eq!(last.schedule, None);
    // Wed 03-25 (after Ramadan and cuti bersama): normal 450 min.
    let after = cal.day(d(2026, 3, 25));
    assert!(after.period.is_none());
    assert_eq!(after.schedule.unwrap().effective_minutes(), Minutes(450));
}

#[test]
fn effective_minutes_over_ramadan_boundary() {
    let cal = WorkCalendar::indonesia_2026();
    // Mon 2026-02-16 ..= Sun 2026-02-22:
    //   Mon 16 cuti bersama Imlek: 0; Tue 17 Imlek: 0; Wed 18 normal: 450;
    //   Thu 19 Ramadan: 390; Fri 20 Ramadan: 390; Sat/Sun: 0.
    //   450 + 390 + 390 = 1230.
    assert_eq!(cal.effective_minutes(range(d(2026, 2, 16), d(2026, 2, 22))).unwrap(), Minutes(1230));
    // A full normal week Mon 2026-10-05 ..= Sun 10-11: 2250.
    assert_eq!(cal.effective_minutes(range(d(2026, 10, 5), d(2026, 10, 11))).unwrap(), Minutes(2250));
    // Full Ramadan week Mon 2026-02-23 ..= Sun 03-01: 1950.
    assert_eq!(cal.effective_minutes(range(d(2026, 2, 23), d(2026, 3, 1))).unwrap(), Minutes(1950));
}

// ---------------------------------------------------------------- holidays

#[test]
fn cuti_bersama_is_not_a_working_day() {
    let cal = WorkCalendar::indonesia_2026();
    // Thu 2026-12-24.
    let day = cal.day(d(2026, 12, 24));
    assert_eq!(day.kind, DayKind::Holiday(HolidayKind::CollectiveLeave));
    assert!(!cal.is_working_day(d(2026, 12, 24)));
    assert_eq!(cal.schedule(d(2026, 12, 24)), None);
    assert_eq!(
        day.holiday.unwrap().reference,
        "SKB Menteri Agama, Menteri Ketenagakerjaan dan Menteri PANRB No. 1497 Tahun 2025, No. 2 Tahun 2025, No. 5 Tahun 2025 tentang Hari Libur Nasional dan Cuti Bersama Tahun 2026"
    );
}

#[test]
fn cancelled_cuti_bersama_becomes_a_working_day() {
    let mut city = WorkCalendar::indonesia_2026();
    city.name = "Kota Contoh 2026".into();
    // December 2026 nationally: Dec 1 is a Tuesday. Weekdays 1-4 (4), 7-11, 14-18, 21-25 (15),
    // 28-31 (4) = 23; minus Thu 24 cuti bersama and Fri 25 Natal = 21.
    assert_eq!(city.working_days_in_month(month("2026-12")), 21);
    city.cancel_holiday(CancelledHoliday {
        date: d(2026, 12, 24),
        reference: "Surat Edaran Wali Kota No. 1/2026 (example)".into(),
        reason: Some("year-end budget closing".into()),
    });
    assert!(city.validate().is_empty(), "{:?}", city.validate());
    let day = city.day(d(2026, 12, 24));
    assert_eq!(day.kind, DayKind::Working);
    assert_eq!(day.holiday, None);
    assert_eq!(day.cancelled.unwrap().reason.as_deref(), Some("year-end budget closing"));
    // Normal Thursday hours: 07:30-16:00 rest 60 = 450.
    assert_eq!(day.schedule.unwrap().effective_minutes(), Minutes(450));
    // 21 + 1 = 22.
    assert_eq!(city.working_days_in_month(month("2026-12")), 22);
}

#[test]
fn cancelled_holiday_on_a_saturday_stays_a_weekend() {
    let mut cal = WorkCalendar::indonesia_2026();
    cal.cancel_holiday(CancelledHoliday::new(d(2026, 3, 21), "example"));
    let day = cal.day(d(2026, 3, 21));
    assert_eq!(day.kind, DayKind::Weekend);
    assert!(day.cancelled.is_some());
    assert_eq!(day.holiday, None);
    assert_eq!(cal.working_days_in_month(month("2026-03")), 17);
}

#[test]
fn local_holiday() {
    let mut city = WorkCalendar::indonesia_2026();
    // A city anniversary on Wed 2026-04-22 (example data).
    city.add_holiday(Holiday::new(d(2026, 4, 22), HolidayKind::Local, "Hari Jadi Kota", "Perwal No. 7/2026 (example)"));
    assert!(city.validate().is_empty(), "{:?}", city.validate());
    assert_eq!(city.day(d(2026, 4, 22)).kind, DayKind::Holiday(HolidayKind::Local));
    // April 2026: the 1st is a Wednesday. Weekdays 1-3 (3), 6-10, 13-17, 20-24, 27-30 (5+5+5+4) = 22.
    // National: Fri 3 Wafat Yesus Kristus (Sun 5 Paskah is a weekend) -> 21. Local Wed 22 -> 20.
    assert_eq!(WorkCalendar::indonesia_2026().working_days_in_month(month("2026-04")), 21);
    assert_eq!(city.working_days_in_month(month("2026-04")), 20);
}

// ---------------------------------------------------------------- deadlines

#[test]
fn nth_working_day_after_across_weekend_and_holiday() {
    let cal = WorkCalendar::indonesia_2026();
    // From Fri 2026-08-14: Sat 15, Sun 16 weekend; Mon 17 Kemerdekaan; Tue 18 = 1st,
    // Wed 19 = 2nd, Thu 20 = 3rd.
    assert_eq!(cal.nth_working_day_after(d(2026, 8, 14), 1), Some(d(2026, 8, 18)));
    assert_eq!(cal.nth_working_day_after(d(2026, 8, 14), 3), Some(d(2026, 8, 20)));
    assert_eq!(cal.working_days_between(d(2026, 8, 14), d(2026, 8, 20)), 3);
    // (earlier, later] excludes `earlier`: Tue 18 -> Thu 20 counts Wed 19 and Thu 20.
    assert_eq!(cal.working_days_between(d(2026, 8, 18), d(2026, 8, 20)), 2);
    assert_eq!(cal.working_days_between(d(2026, 8, 20), d(2026, 8, 20)), 0);
    assert_eq!(cal.working_days_between(d(2026, 8, 20), d(2026, 8, 14)), 0);
    // n = 0 is the date itself.
    assert_eq!(cal.nth_working_day_after(d(2026, 8, 15), 0), Some(d(2026, 8, 15)));
    // "5 working days after month end" for March 2026: Tue 31 is the end;
    // Apr 1 Wed (1), 2 Thu (2), 3 Fri Wafat Yesus Kristus (holiday), 4-5 weekend,
    // 6 Mon (3), 7 Tue (4), 8 Wed (5).
    assert_eq!(cal.nth_working_day_after(d(2026, 3, 31), 5), Some(d(2026, 4, 8)));
    // "3 working days back" from Wed 2026-03-25: Tue 24, Mon 23 cuti bersama,
    // Sat 21/Sun 22, Fri 20 and Thu 19 holidays, Wed 18 cuti bersama,
    // Tue 17 (1), Mon 16 (2), Fri 13 (3).
    assert_eq!(cal.nth_working_day_before(d(2026, 3, 25), 3), Some(d(2026, 3, 13)));
}

#[test]
fn nth_working_day_search_is_bounded() {
    // A week without working days: nothing is ever found, the search gives up.
    let never = WorkCalendar::new("never", WeekSchedule::default(), "example");
    assert_eq!(never.nth_working_day_after(d(2026, 1, 1), 1), None);
    assert_eq!(never.nth_working_day_before(d(2026, 1, 1), 1), None);
    // With 5 working days a week, the bound (3660 days ~ 522 weeks) allows ~2614
    // working days; 3000 is beyond it.
    let plain = WorkCalendar::perpres_21_2023("plain");
    assert!(plain.nth_working_day_after(d(2026, 1, 1), 2000).is_some());
    assert_eq!(plain.nth_working_day_after(d(2026, 1, 1), 3000), None);
    assert_eq!(MAX_SEARCH_DAYS, 3660);
    // End of chrono's range.
    assert_eq!(plain.nth_working_day_after(NaiveDate::MAX, 1), None);
}

// ---------------------------------------------------------------- validation

#[test]
fn national_data_is_valid() {
    assert!(WorkCalendar::indonesia_2026().validate().is_empty());
    assert!(WorkCalendar::perpres_21_2023("x").validate().is_empty());
    let cal = WorkCalendar::indonesia_2026();
    // 17 national + 8 cuti bersama (SKB No. 1497, 2 and 5 Tahun 2025).
    assert_eq!(cal.holidays.len(), 25);
    assert_eq!(cal.holidays.iter().filter(|h| h.kind == HolidayKind::CollectiveLeave).count(), 8);
    assert!(cal.is_normalised());
}

#[test]
fn validate_reports_every_problem_at_once() {
    let mut cal = WorkCalendar::indonesia_2026();
    // 1. Normal Monday ends before it starts.
    cal.normal.mon = Some(DaySchedule::new(t(16, 0), t(7, 30), Minutes(60)));
    // 2. Normal Friday rest equals the span (07:30-08:30 = 60 min, rest 60).
    cal.normal.fri = Some(DaySchedule::new(t(7, 30), t(8, 30), Minutes(60)));
    // 3. Overlapping special period (2026-03-01..=03-31 overlaps Ramadan), 4. with no reference.
    cal.add_period(SchedulePeriod {
        name: "Other".into(),
        range: range(d(2026, 3, 1), d(2026, 3, 31)),
        week: WeekSchedule::perpres_21_2023_normal(),
        reference: " ".into(),
    });
    // 5. Duplicate holiday date (2026-08-17 again, as a local holiday).
    cal.add_holiday(Holiday::new(d(2026, 8, 17), HolidayKind::Local, "Dup", "x"));
    // 6. Cancelled date that is not a declared holiday (Tue 2026-10-06), 7. empty reference.
    cal.cancel_holiday(CancelledHoliday::new(d(2026, 10, 6), ""));
    let found = codes(&cal);
    let expected: Vec<(String, String)> = [
        ("normal.mon", "end_not_after_start"),
        ("normal.fri.rest_minutes", "rest_not_less_than_span"),
        // The overlap is found while checking periods[0] (Ramadan), so it comes first.
        ("periods[1].range", "overlapping_periods"),
        ("periods[1].reference", "missing_reference"),
        // Sorted holidays before 2026-08-17: national Jan 1, Jan 16, Feb 17, Mar 19, 21, 22,
        // Apr 3, 5, May 1, 14, 27, 31, Jun 1, 16 (14) + cuti bersama Feb 16, Mar 18, 20, 23,
        // 24, May 15, 28 (7) = 21, so the national Aug 17 is holidays[21] and the local
        // duplicate (kind sorts after national) is holidays[22].
        ("holidays[22].date", "duplicate_date"),
        ("cancelled[0].reference", "missing_reference"),
        ("cancelled[0].date", "not_a_holiday"),
    ]
    .iter()
    .map(|(f, c)| (f.to_string(), c.to_string()))
    .collect();
    assert_eq!(cal.holidays[22].name, "Dup");
    assert_eq!(found, expected);
    assert!(cal.validate().iter().all(|p| p.record == "calendar" && p.id == "Indonesia 2026"));
}

#[test]
fn validate_reports_unsorted_data_and_normalise_fixes_it() {
    let mut cal = WorkCalendar::indonesia_2026();
    cal.holidays.reverse();
    assert!(!cal.is_normalised());
    assert_eq!(codes(&cal), vec![("holidays".to_string(), "not_normalised".to_string())]);
    cal.normalise();
    assert_eq!(cal, WorkCalendar::indonesia_2026());
}

#[test]
fn validate_small_checks() {
    let mut cal = WorkCalendar::new("", WeekSchedule::default(), "");
    cal.periods.push(SchedulePeriod {
        name: "".into(),
        range: DateRange { start: d(2026, 2, 2), end: d(2026, 2, 1) },
        week: WeekSchedule {
            wed: Some(DaySchedule::new(NaiveTime::from_hms_opt(8, 0, 30).unwrap(), t(12, 0), Minutes(-5))),
            ..WeekSchedule::default()
        },
        reference: "r".into(),
    });
    cal.holidays.push(Holiday::new(d(2026, 1, 1), HolidayKind::National, "", "r"));
    let found = codes(&cal);
    let expected = [
        ("name", "empty"),
        ("normal_reference", "missing_reference"),
        ("normal", "no_working_days"),
        ("periods[0].name", "empty"),
        ("periods[0].range", "inverted_range"),
        ("periods[0].week.wed.rest_minutes", "negative"),
        ("periods[0].week.wed.start", "not_whole_minute"),
        ("holidays[0].name", "empty"),
    ];
    let expected: Vec<_> = expected.iter().map(|(f, c)| (f.to_string(), c.to_string())).collect();
    assert_eq!(found, expected);
}

// ---------------------------------------------------------------- serde

#[test]
fn json_round_trip() {
    let cal = WorkCalendar::indonesia_2026();
    let json = serde_json::to_string_pretty(&cal).unwrap();
    let back: WorkCalendar = serde_json::from_str(&json).unwrap();
    assert_eq!(back, cal);
    // Times are written as HH:MM, kinds in snake_case.
    assert!(json.contains("\"start\": \"07:30\""), "{json}");
    assert!(json.contains("\"kind\": \"collective_leave\""));
}

#[test]
fn hand_written_json() {
    // Holidays deliberately out of order: deserialisation sorts them.
    let json = r#"{
        "name": "Kota Contoh",
        "normal": {
            "mon": {"start": "07:30", "end": "16:00", "rest_minutes": 60},
            "tue": {"start": "07:30", "end": "16:00", "rest_minutes": 60},
            "wed": {"start": "07:30", "end": "16:00", "rest_minutes": 60},
            "thu": {"start": "07:30", "end": "16:00", "rest_minutes": 60},
            "fri": {"start": "07:30:00", "end": "16:30", "rest_minutes": 90}
        },
        "normal_reference": "Perpres No. 21 Tahun 2023 tentang Hari Kerja dan Jam Kerja Instansi Pemerintah",
        "holidays": [
            {"date": "2026-12-25", "kind": "national", "name": "Natal", "reference": "SKB"},
            {"date": "2026-04-22", "kind": "local", "name": "Hari Jadi Kota", "reference": "Perwal 7/2026"},
            {"date": "2026-12-24", "kind": "collective_leave", "name": "Cuti bersama Natal", "reference": "SKB"}
        ],
        "cancelled": [{"date": "2026-12-24", "reference": "SE Wali Kota 1/2026"}]
    }"#;
    let cal: WorkCalendar = serde_json::from_str(json).unwrap();
    let mut expected = WorkCalendar::perpres_21_2023("Kota Contoh");
    expected.holidays = vec![
        Holiday::new(d(2026, 4, 22), HolidayKind::Local, "Hari Jadi Kota", "Perwal 7/2026"),
        Holiday::new(d(2026, 12, 24), HolidayKind::CollectiveLeave, "Cuti bersama Natal", "SKB"),
        Holiday::new(d(2026, 12, 25), HolidayKind::National, "Natal", "SKB"),
    ];
    expected.cancelled = vec![CancelledHoliday::new(d(2026, 12, 24), "SE Wali Kota 1/2026")];
    assert_eq!(cal, expected);
    assert!(cal.validate().is_empty());
    assert!(cal.is_working_day(d(2026, 12, 24)));
    assert_eq!(cal.day(d(2026, 4, 22)).kind, DayKind::Holiday(HolidayKind::Local));

    // Bad time and bad kind are refused.
    let bad_time = json.replace("\"16:30\"", "\"16.30\"");
    assert!(serde_json::from_str::<WorkCalendar>(&bad_time).is_err());
    let bad_kind = json.replace("\"local\"", "\"regional\"");
    assert!(serde_json::from_str::<WorkCalendar>(&bad_kind).is_err());
}

// ---------------------------------------------------------------- compiled table

#[test]
fn compiled_calendar_matches_day_by_day() {
    let cal = WorkCalendar::indonesia_2026();
    let year = range(d(2026, 1, 1), d(2026, 12, 31));
    let table = cal.compile(year);
    assert_eq!(table.len(), 365);
    assert_eq!(table.working_days(), 240);
    for (date, day) in table.iter() {
        let info = cal.day(date);
        assert_eq!(day.kind, info.kind, "{date}");
        assert_eq!(day.schedule.as_ref(), info.schedule, "{date}");
    }
    assert_eq!(table.get(d(2026, 3, 2)).unwrap().effective_minutes(), Minutes(390));
    assert_eq!(table.get(d(2025, 12, 31)), None);
    assert_eq!(table.get(d(2027, 1, 1)), None);
}
