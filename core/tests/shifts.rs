//! Shift work: lateness and early leave judged against the rostered shift, nights
//! crossing midnight, rostered days off and shifts on weekends and holidays.
//!
//! Patterns used throughout (a hospital's): pagi 07:00-14:00, sore 14:00-21:00,
//! malam 21:00-07:00 (next day, 60 min rest). National baseline: no grace, every
//! started minute counts, bands 1-30 / 31-60 / 61-90 / >90, a missing scan is band 4,
//! scans belong to a shift from 240 min before its start to 240 min after its end.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use kinerja::attendance::{
    AttendanceParams, Band, ClockDirection, ClockEvent, ClockSource, DayStatus, MinuteRounding, attribute_scan,
    evaluate_shift_day, rostered_day_off,
};
use kinerja::dataset::Dataset;
use kinerja::ledger::{Command, Ledger, MonthContext};
use kinerja::policy::Policy;
use kinerja::recap::{employee_days, monthly_recap};
use kinerja::roster::{Rosters, ShiftPattern};
use kinerja::{Minutes, YearMonth};

mod common;
use common::*;

fn pattern(code: &str, start: (u32, u32), end: (u32, u32), rest: i64) -> ShiftPattern {
    ShiftPattern {
        code: code.into(),
        name: code.into(),
        start: t(start.0, start.1),
        end: t(end.0, end.1),
        rest_minutes: Minutes(rest),
    }
}

fn pagi() -> ShiftPattern {
    pattern("pagi", (7, 0), (14, 0), 0)
}

fn malam() -> ShiftPattern {
    pattern("malam", (21, 0), (7, 0), 60)
}

fn params() -> AttendanceParams {
    AttendanceParams::from_policy(&Policy::national(), d(2026, 10, 1)).unwrap().params
}

fn dt(date: NaiveDate, hms: &str) -> NaiveDateTime {
    date.and_time(NaiveTime::parse_from_str(hms, "%H:%M:%S").unwrap())
}

fn scan(at: NaiveDateTime, direction: ClockDirection) -> ClockEvent {
    ClockEvent { employee: nip(PEER), at, direction, source: ClockSource::Fingerprint, geofence: None }
}

fn shift_day(
    p: &ShiftPattern,
    date: NaiveDate,
    check_in: Option<NaiveDateTime>,
    check_out: Option<NaiveDateTime>,
    params: &AttendanceParams,
) -> kinerja::attendance::DayAttendance {
    let mut clocks = Vec::new();
    if let Some(i) = check_in {
        clocks.push(scan(i, ClockDirection::In));
    }
    if let Some(o) = check_out {
        clocks.push(scan(o, ClockDirection::Out));
    }
    evaluate_shift_day(date, &p.on(date), &clocks, None, params)
}

#[test]
fn a_night_shift_ends_the_next_day_and_spans_ten_hours() {
    let m = malam();
    assert!(m.crosses_midnight());
    // 21:00 -> 07:00 is -14 h on the clock face, + 24 h = 10 h = 600 min.
    assert_eq!(m.span_minutes(), 600);
    let s = m.on(d(2026, 10, 3));
    assert_eq!(s.start, at(d(2026, 10, 3), 21, 0));
    assert_eq!(s.end, at(d(2026, 10, 4), 7, 0));
    // 600 min less the 60-minute rest = 540 effective minutes.
    assert_eq!(s.effective_minutes(), Minutes(540));
    assert!(!pagi().crosses_midnight());
    assert_eq!(pagi().span_minutes(), 420); // 14:00 - 07:00 = 7 h
}

#[test]
fn lateness_and_early_leave_count_from_the_shift_not_the_office() {
    let p = params();
    let mon = d(2026, 10, 5);
    // On the office schedule 07:10 would be on time (start 07:30); on pagi it is late:
    // 07:10:00 - 07:00:00 = 600 s -> ceil(600 / 60) = 10 min, TL1.
    // Out at 13:20:00: 14:00:00 - 13:20:00 = 2,400 s = 40 min, PSW2 (31-60).
    let day = shift_day(&pagi(), mon, Some(dt(mon, "07:10:00")), Some(dt(mon, "13:20:00")), &p);
    assert_eq!(day.status, DayStatus::Present);
    assert_eq!((day.late_minutes, day.late_band), (Minutes(10), Some(Band::B1)));
    assert_eq!((day.early_minutes, day.early_band), (Minutes(40), Some(Band::B2)));
    assert_eq!(day.shift, Some(pagi().on(mon)));
    // 07:30:01: 1,801 s -> 31 started minutes, TL2; 13:29:59: 1,801 s early -> 31, PSW2.
    let day = shift_day(&pagi(), mon, Some(dt(mon, "07:30:01")), Some(dt(mon, "13:29:59")), &p);
    assert_eq!((day.late_minutes, day.late_band), (Minutes(31), Some(Band::B2)));
    assert_eq!((day.early_minutes, day.early_band), (Minutes(31), Some(Band::B2)));
    // Exactly on the shift's start and end: on time.
    let day = shift_day(&pagi(), mon, Some(dt(mon, "07:00:00")), Some(dt(mon, "14:00:00")), &p);
    assert_eq!((day.late_band, day.early_band), (None, None));
}

#[test]
fn the_grace_boundaries_hold_on_a_shift() {
    let mon = d(2026, 10, 5);
    let g = AttendanceParams { late_grace_seconds: 59, early_grace_seconds: 59, ..params() };
    // 07:00:59: 59 s <= 59 s grace -> on time. 13:59:01: 14:00:00 - 13:59:01 = 59 s -> on time.
    let day = shift_day(&pagi(), mon, Some(dt(mon, "07:00:59")), Some(dt(mon, "13:59:01")), &g);
    assert_eq!((day.late_minutes, day.early_minutes), (Minutes(0), Minutes(0)));
    assert_eq!((day.late_band, day.early_band), (None, None));
    // 07:01:00: 60 s > 59 s -> ceil(60 / 60) = 1 min TL1 (the grace is a threshold, not a
    // discount). 13:59:00: 60 s early -> 1 min PSW1.
    let day = shift_day(&pagi(), mon, Some(dt(mon, "07:01:00")), Some(dt(mon, "13:59:00")), &g);
    assert_eq!((day.late_minutes, day.late_band), (Minutes(1), Some(Band::B1)));
    assert_eq!((day.early_minutes, day.early_band), (Minutes(1), Some(Band::B1)));
}

#[test]
fn a_night_shift_is_judged_across_midnight() {
    let p = params();
    let sat = d(2026, 10, 3); // a Saturday: no office hours, but rostered
    let sun = d(2026, 10, 4);
    // In 21:04:00 on Saturday: 240 s -> 4 min TL1. Out 06:29:30 on Sunday: 07:00:00 -
    // 06:29:30 = 30 min 30 s = 1,830 s -> 31 started minutes, PSW2.
    let day = shift_day(&malam(), sat, Some(dt(sat, "21:04:00")), Some(dt(sun, "06:29:30")), &p);
    assert_eq!(day.status, DayStatus::Present);
    assert_eq!((day.late_minutes, day.late_band), (Minutes(4), Some(Band::B1)));
    assert_eq!((day.early_minutes, day.early_band), (Minutes(31), Some(Band::B2)));
    assert!(day.check_out_next_day);
    assert_eq!(day.check_out, NaiveTime::from_hms_opt(6, 29, 30));
    // Counting whole minutes instead: 1,830 s -> 30 min, PSW1.
    let whole = AttendanceParams { minute_rounding: MinuteRounding::Whole, ..p.clone() };
    let day = shift_day(&malam(), sat, Some(dt(sat, "21:04:00")), Some(dt(sun, "06:29:30")), &whole);
    assert_eq!((day.early_minutes, day.early_band), (Minutes(30), Some(Band::B1)));
    // A check-in after midnight: Sunday 00:15:00 - Saturday 21:00:00 = 3 h 15 min =
    // 11,700 s = 195 min, TL4 (> 90).
    let day = shift_day(&malam(), sat, Some(dt(sun, "00:15:00")), Some(dt(sun, "07:00:00")), &p);
    assert_eq!((day.late_minutes, day.late_band), (Minutes(195), Some(Band::B4)));
    assert_eq!(day.early_band, None);
    // A scan at Sunday 11:01:00 is past the window (07:00 + 240 min = 11:00): not the
    // night's check-out, which is missing -> PSW4.
    let day = shift_day(&malam(), sat, Some(dt(sat, "21:00:00")), Some(dt(sun, "11:01:00")), &p);
    assert!(day.missing_check_out);
    assert_eq!(day.early_band, Some(Band::B4));
    // 11:00:00 is still inside (the window's end is inclusive): 07:00 - 11:00 is -4 h,
    // not early.
    let day = shift_day(&malam(), sat, Some(dt(sat, "21:00:00")), Some(dt(sun, "11:00:00")), &p);
    assert!(!day.missing_check_out);
    assert_eq!(day.early_band, None);
}

#[test]
fn scans_go_to_the_nearer_shift_when_two_windows_hold_them() {
    let (mon, tue) = (d(2026, 10, 5), d(2026, 10, 6));
    let night = malam().on(mon); // Mon 21:00 - Tue 07:00, window Mon 17:00 - Tue 11:00
    let morning = pagi().on(tue); // Tue 07:00 - 14:00, window Tue 03:00 - 18:00
    let both = |at, dir| attribute_scan(at, dir, Some(&night), Some(&morning), None, 240);
    // Out Tue 07:02: 2 min from the night's end, 6 h 58 min from pagi's end -> Monday.
    assert_eq!(both(dt(tue, "07:02:00"), ClockDirection::Out), mon);
    // In Tue 06:58: 2 min from pagi's start, 9 h 58 min from the night's start -> Tuesday.
    assert_eq!(both(dt(tue, "06:58:00"), ClockDirection::In), tue);
    // Out Tue 10:30: 3 h 30 min from the night's end, 3 h 30 min from pagi's end: a tie
    // goes to the earlier shift -> Monday.
    assert_eq!(both(dt(tue, "10:30:00"), ClockDirection::Out), mon);
    // Out Tue 10:31: 3 h 31 min vs 3 h 29 min -> Tuesday.
    assert_eq!(both(dt(tue, "10:31:00"), ClockDirection::Out), tue);
    // Only the night: Tue 07:05 out belongs to Monday; Tue 11:01 is outside every window
    // and stays on its own date.
    let night_only = |at, dir| attribute_scan(at, dir, Some(&night), None, None, 240);
    assert_eq!(night_only(dt(tue, "07:05:00"), ClockDirection::Out), mon);
    assert_eq!(night_only(dt(tue, "11:01:00"), ClockDirection::Out), tue);
}

#[test]
fn a_rostered_day_off_is_not_a_working_day() {
    let mon = d(2026, 10, 5);
    let day = rostered_day_off(mon, &[]);
    assert_eq!(day.status, DayStatus::NonWorking);
    assert!(day.rostered_off);
    assert_eq!((day.late_band, day.early_band), (None, None));
}

#[test]
fn a_roster_names_known_patterns_once_per_employee_and_date() {
    let entry = |date: &str, shift: &str| kinerja::roster::RosterEntry {
        employee: nip(PEER),
        date: date.parse().unwrap(),
        shift: shift.into(),
    };
    let r =
        Rosters::new(vec![pagi(), malam()], vec![entry("2026-10-05", "malam"), entry("2026-10-06", "off")]).unwrap();
    assert_eq!(r.shift_on(&nip(PEER), d(2026, 10, 5)), Some(malam().on(d(2026, 10, 5))));
    assert_eq!(r.on(&nip(PEER), d(2026, 10, 6)), Some(kinerja::roster::Rostered::Off));
    assert_eq!(r.on(&nip(PEER), d(2026, 10, 7)), None);
    assert_eq!(r.on(&nip(STAFF), d(2026, 10, 5)), None);
    let problems = Rosters::new(
        vec![pagi(), pagi(), pattern("off", (7, 0), (8, 0), 0)],
        vec![entry("2026-10-05", "siang"), entry("2026-10-06", "pagi"), entry("2026-10-06", "off")],
    )
    .unwrap_err();
    let got: Vec<(String, String, String, String)> =
        problems.iter().map(|p| (p.record.clone(), p.id.clone(), p.field.clone(), p.code.clone())).collect();
    let want = [
        ("shift_pattern", "pagi", "code", "duplicate_id"),
        ("shift_pattern", "off", "code", "reserved"),
        ("roster", "#0", "shift", "unknown_reference"),
        ("roster", "#2", "date", "duplicate_id"),
    ];
    for w in want {
        assert!(
            got.iter().any(|g| (g.0.as_str(), g.1.as_str(), g.2.as_str(), g.3.as_str()) == w),
            "{w:?} not in {got:?}"
        );
    }
}

/// The test city with PEER on a roster in October 2026: a night shift on Saturday 3,
/// off on Sunday 4 and Monday 5, pagi on Tuesday 6; no entry from Wednesday 7.
fn rostered_city() -> kinerja::dataset::City {
    let mut json = city_json();
    json["shift_patterns"] = serde_json::json!([
        { "code": "pagi", "name": "Dinas pagi", "start": "07:00", "end": "14:00" },
        { "code": "malam", "name": "Dinas malam", "start": "21:00", "end": "07:00", "rest_minutes": 60 }
    ]);
    json["rosters"] = serde_json::json!([
        { "employee": PEER, "date": "2026-10-03", "shift": "malam" },
        { "employee": PEER, "date": "2026-10-04", "shift": "off" },
        { "employee": PEER, "date": "2026-10-05", "shift": "off" },
        { "employee": PEER, "date": "2026-10-06", "shift": "pagi" }
    ]);
    Dataset::load_city(&json.to_string()).expect("rostered city")
}

#[test]
fn the_recap_follows_the_roster_through_the_ledger() {
    let city = rostered_city();
    let policy = Policy::national();
    let oct = YearMonth::new(2026, 10).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    let mut l = Ledger::new(oct);
    let mut clock = |when: NaiveDateTime, dir| {
        let event = scan(when, dir);
        l.execute(&ctx, req(FP_DINAS, when, Command::RecordClock { event })).expect("clock");
    };
    let (sat, sun, tue) = (d(2026, 10, 3), d(2026, 10, 4), d(2026, 10, 6));
    clock(dt(sat, "20:55:00"), ClockDirection::In); // night: on time
    clock(dt(sun, "06:45:00"), ClockDirection::Out); // 07:00 - 06:45 = 15 min, PSW1
    clock(dt(tue, "07:20:00"), ClockDirection::In); // pagi: 20 min, TL1
    clock(dt(tue, "14:05:00"), ClockDirection::Out); // on time
    let days = employee_days(&l, &ctx, &nip(PEER), d(2026, 10, 7)).unwrap();
    let day = |date: NaiveDate| days.iter().find(|x| x.date == date).unwrap();
    // Saturday: a working day for PEER by the roster; Sunday's 06:45 check-out is its.
    assert_eq!(day(sat).status, DayStatus::Present);
    assert_eq!((day(sat).early_minutes, day(sat).early_band), (Minutes(15), Some(Band::B1)));
    assert!(day(sat).check_out_next_day);
    // Sunday is rostered off; its scan went to Saturday, so Sunday shows none.
    assert!(day(sun).rostered_off);
    assert_eq!(day(sun).status, DayStatus::NonWorking);
    assert_eq!(day(sun).check_out, None);
    // Monday 5 October is an office working day, rostered off: no absence inferred.
    assert_eq!(day(d(2026, 10, 5)).status, DayStatus::NonWorking);
    // Tuesday pagi: 07:20 - 07:00 = 20 min TL1 (the office day would say on time).
    assert_eq!((day(tue).late_minutes, day(tue).late_band), (Minutes(20), Some(Band::B1)));
    // Wednesday 7: no roster entry, the office day applies; no scan -> TK.
    assert_eq!(day(d(2026, 10, 7)).status, DayStatus::Unexcused);
    // The recap adds the same days: working days Thu 1, Fri 2 (office, no scans: TK),
    // Sat 3 (shift), Tue 6 (shift), Wed 7 (office, TK) = 5; present 2; TK 3.
    let recap = monthly_recap(&l, &ctx, d(2026, 10, 7)).unwrap();
    let a = &recap.employees.iter().find(|e| e.employee == nip(PEER)).unwrap().attendance;
    assert_eq!((a.working_days, a.days_present, a.unexcused_days), (5, 2, 3));
    assert_eq!(a.late[0].count, 1); // Tuesday's TL1
    assert_eq!(a.early[0].count, 1); // Saturday's PSW1
}

#[test]
fn a_shift_on_a_holiday_is_a_working_day_for_the_rostered() {
    // Monday 17 August 2026 is Independence Day (a national holiday): no office hours.
    let mut json = city_json();
    json["shift_patterns"] =
        serde_json::json!([{ "code": "pagi", "name": "Dinas pagi", "start": "07:00", "end": "14:00" }]);
    json["rosters"] = serde_json::json!([{ "employee": PEER, "date": "2026-08-17", "shift": "pagi" }]);
    let city = Dataset::load_city(&json.to_string()).unwrap();
    assert!(city.calendar.schedule(d(2026, 8, 17)).is_none());
    let policy = Policy::national();
    let aug = YearMonth::new(2026, 8).unwrap();
    let ctx = MonthContext::new(&city, &policy, aug).unwrap();
    let l = Ledger::new(aug);
    let days = employee_days(&l, &ctx, &nip(PEER), d(2026, 8, 17)).unwrap();
    let hol = days.iter().find(|x| x.date == d(2026, 8, 17)).unwrap();
    // Rostered and no scan: an unexcused day, as on any working day.
    assert_eq!(hol.status, DayStatus::Unexcused);
    // The colleague without a roster has the holiday off.
    let staff = employee_days(&l, &ctx, &nip(STAFF), d(2026, 8, 17)).unwrap();
    assert_eq!(staff.iter().find(|x| x.date == d(2026, 8, 17)).unwrap().status, DayStatus::NonWorking);
}

#[test]
fn the_dataset_refuses_a_roster_of_an_unknown_pattern_or_employee() {
    let mut json = city_json();
    json["shift_patterns"] =
        serde_json::json!([{ "code": "pagi", "name": "Dinas pagi", "start": "07:00", "end": "14:00" }]);
    json["rosters"] = serde_json::json!([
        { "employee": PEER, "date": "2026-10-05", "shift": "siang" },
        { "employee": "199912312020121001", "date": "2026-10-05", "shift": "pagi" }
    ]);
    let problems = match Dataset::load_city(&json.to_string()).unwrap_err() {
        kinerja::dataset::DatasetError::Invalid(v) => v.problems,
        other => panic!("{other:?}"),
    };
    let got: Vec<(&str, &str, &str, &str)> =
        problems.iter().map(|p| (p.record.as_str(), p.id.as_str(), p.field.as_str(), p.code.as_str())).collect();
    assert!(got.contains(&("roster", "#0", "shift", "unknown_reference")), "{got:?}");
    assert!(got.contains(&("roster", "#1", "employee", "unknown_reference")), "{got:?}");
}

/// The generated city's hospital (RSUD Meuraxa) works shifts: a ward team on an 8-day
/// rotation every day of the year, a work site for phone clock-ins; and a simulated
/// month judges the team against the roster (weekend shifts worked, days off not
/// absences, nights with their next-morning check-out).
#[test]
fn the_generated_hospital_is_rostered_and_its_simulated_month_follows_the_roster() {
    let config = kinerja::generator::GeneratorConfig { seed: 3, units: 11, employees: 400, year: 2026 };
    let ds = kinerja::generator::generate(&config).unwrap();
    assert_eq!(ds, kinerja::generator::generate(&config).unwrap(), "deterministic");
    let codes: Vec<&str> = ds.shift_patterns.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(codes, ["pagi", "sore", "malam"]);
    assert_eq!(ds.work_sites.len(), 1);
    assert_eq!(ds.work_sites[0].units, vec![kinerja::UnitId::from("RSUD")]);
    let team: std::collections::BTreeSet<_> = ds.rosters.iter().map(|r| r.employee.clone()).collect();
    assert!(!team.is_empty() && team.len() <= kinerja::generator::ROSTERED_TEAM, "{}", team.len());
    // Every member every day of 2026: 365 entries each.
    assert_eq!(ds.rosters.len(), team.len() * 365);
    // Three of the 8 rotation days are worked as pagi/sore/malam in pairs, two are off:
    // on any day, with 8 or more members, each shift and "off" is rostered.
    let on = |date: NaiveDate, shift: &str| ds.rosters.iter().filter(|r| r.date == date && r.shift == shift).count();
    if team.len() >= 8 {
        for shift in ["pagi", "sore", "malam", "off"] {
            assert!(on(d(2026, 10, 3), shift) > 0, "{shift} on a Saturday");
        }
    }

    let city = ds.into_city().unwrap();
    let policy = Policy::national();
    let oct = YearMonth::new(2026, 10).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    let (l, _) = kinerja::simulate::simulate_month(&ctx, 5, false).unwrap();
    let nurse = team.iter().next().unwrap();
    let days = employee_days(&l, &ctx, nurse, d(2026, 10, 31)).unwrap();
    for day in &days {
        match city.rosters.on(nurse, day.date) {
            Some(kinerja::roster::Rostered::Off) => {
                assert_eq!(day.status, DayStatus::NonWorking, "{}", day.date);
                assert!(day.rostered_off);
            }
            Some(kinerja::roster::Rostered::Shift(p)) => {
                assert_ne!(day.status, DayStatus::NonWorking, "{}", day.date);
                assert_eq!(day.shift, Some(p.on(day.date)));
            }
            None => panic!("the nurse is rostered every day"),
        }
    }
    // Some of the nurse's worked nights end with a check-out on the next day.
    assert!(days.iter().any(|x| x.check_out_next_day), "no night shift checked out the next morning");

    // The month's working days of a rostered employee are their own shifts, not the
    // office's 22 weekdays of October 2026: on an 8-day rotation with 6 worked days the
    // nurse works 23 or 24 of the 31 days, weekends included. The recap's target and the
    // allowance input count those, so days present never exceed the working days (the
    // allowance input would be refused: `days_present` > `assigned_working_days`).
    let shifts = days
        .iter()
        .filter(|x| matches!(city.rosters.on(nurse, x.date), Some(kinerja::roster::Rostered::Shift(_))))
        .count() as u32;
    assert!(shifts > 22, "{shifts} shifts");
    let recap = monthly_recap(&l, &ctx, d(2026, 10, 31)).unwrap();
    let team_recaps: Vec<_> = recap.employees.iter().filter(|e| team.contains(&e.employee)).collect();
    let r = team_recaps.iter().find(|e| &e.employee == nurse).unwrap();
    assert_eq!(r.target.calendar_working_days, shifts);
    assert_eq!(r.target.assigned_working_days, shifts);
    assert_eq!(r.attendance.working_days, shifts);
    for r in team_recaps {
        let input = kinerja::payroll::input_or_reason(&city, &ctx, r).expect("payable");
        input.validate().unwrap_or_else(|e| panic!("{}: {e}", r.employee));
        assert!(input.discipline.days_present <= input.assigned_working_days);
    }
}

#[test]
fn absences_count_the_rostered_working_days() {
    let city = rostered_city();
    let policy = Policy::national();
    let oct = YearMonth::new(2026, 10).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    let mut l = Ledger::new(oct);
    let permit = |who: &str, start: NaiveDate, end: NaiveDate| Command::RecordAbsence {
        absence: kinerja::attendance::Absence {
            employee: nip(who),
            range: kinerja::DateRange { start, end },
            kind: kinerja::attendance::AbsenceKind::Permit,
            evidence: None,
            note: None,
        },
    };
    let when = at(d(2026, 10, 2), 8, 0);
    // Sunday 4 and Monday 5 are PEER's rostered days off: a permit on them covers no
    // working day (Monday is an office day for everyone else).
    let e = l.execute(&ctx, req(PEER, when, permit(PEER, d(2026, 10, 4), d(2026, 10, 5)))).unwrap_err();
    assert_eq!(e.code(), "absence_no_working_day");
    // The colleague without a roster cannot take a permit for Saturday 3.
    let e = l.execute(&ctx, req(STAFF, when, permit(STAFF, d(2026, 10, 3), d(2026, 10, 3)))).unwrap_err();
    assert_eq!(e.code(), "absence_no_working_day");
    // PEER's permit from Saturday 3 to Tuesday 6 covers the night of the 3rd and the
    // pagi of the 6th: 2 working days (Sunday and Monday are off), within the cap of 3.
    l.execute(&ctx, req(PEER, when, permit(PEER, d(2026, 10, 3), d(2026, 10, 6)))).unwrap();
    // One more permit day (Wednesday 7, an office day) makes 3: still allowed; a fourth
    // (Thursday 8) would be 4 > 3.
    l.execute(&ctx, req(PEER, when, permit(PEER, d(2026, 10, 7), d(2026, 10, 7)))).unwrap();
    let e = l.execute(&ctx, req(PEER, when, permit(PEER, d(2026, 10, 8), d(2026, 10, 8)))).unwrap_err();
    assert_eq!(e.code(), "permit_cap_exceeded");
    // The recap: Saturday's shift is an excused day, Sunday stays a rostered day off.
    let days = employee_days(&l, &ctx, &nip(PEER), d(2026, 10, 7)).unwrap();
    let day = |date: NaiveDate| days.iter().find(|x| x.date == date).unwrap();
    assert_eq!(day(d(2026, 10, 3)).status, DayStatus::Excused(kinerja::attendance::AbsenceKind::Permit));
    assert_eq!(day(d(2026, 10, 4)).status, DayStatus::NonWorking);
}

#[test]
fn a_night_shift_on_a_months_last_day_keeps_its_check_out_on_the_first() {
    let mut json = city_json();
    json["shift_patterns"] = serde_json::json!([
        { "code": "malam", "name": "Dinas malam", "start": "21:00", "end": "07:00", "rest_minutes": 60 }
    ]);
    json["rosters"] = serde_json::json!([{ "employee": PEER, "date": "2026-10-31", "shift": "malam" }]);
    let city = Dataset::load_city(&json.to_string()).unwrap();
    let policy = Policy::national();
    let oct = YearMonth::new(2026, 10).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    let (sat, nov1) = (d(2026, 10, 31), d(2026, 11, 1));
    // The check-out on 1 November at 06:55 belongs to October's record (the night of
    // Saturday 31 October); a scan at 11:30 is past the window (07:00 + 240 min) and
    // belongs to November; STAFF has no roster, so theirs does too.
    let out = scan(dt(nov1, "06:55:00"), ClockDirection::Out);
    assert_eq!(kinerja::ledger::clock_month(&ctx, &out), oct);
    let late = scan(dt(nov1, "11:30:00"), ClockDirection::Out);
    assert_eq!(kinerja::ledger::clock_month(&ctx, &late), YearMonth::new(2026, 11).unwrap());
    let staff = ClockEvent { employee: nip(STAFF), ..out.clone() };
    assert_eq!(kinerja::ledger::clock_month(&ctx, &staff), YearMonth::new(2026, 11).unwrap());
    let mut l = Ledger::new(oct);
    let when = dt(sat, "20:58:00");
    l.execute(&ctx, req(FP_DINAS, when, Command::RecordClock { event: scan(when, ClockDirection::In) })).unwrap();
    l.execute(&ctx, req(FP_DINAS, out.at, Command::RecordClock { event: out.clone() })).unwrap();
    let e = l.execute(&ctx, req(FP_DINAS, late.at, Command::RecordClock { event: late })).unwrap_err();
    assert_eq!(e.code(), "wrong_month");
    // The night is judged whole: in on time, out 07:00 - 06:55 = 5 min early, PSW1.
    let days = employee_days(&l, &ctx, &nip(PEER), d(2026, 10, 31)).unwrap();
    let night = days.iter().find(|x| x.date == sat).unwrap();
    assert_eq!(night.status, DayStatus::Present);
    assert!(night.check_out_next_day);
    assert_eq!((night.late_band, night.early_minutes, night.early_band), (None, Minutes(5), Some(Band::B1)));
    // The journal replays with the November-dated event in it.
    let replayed = Ledger::replay(&ctx, &l.journal()).unwrap();
    assert_eq!(replayed.events(), l.events());
}

#[test]
fn rostered_staff_log_activities_in_their_shifts_hours() {
    use kinerja::activity::ActivityInput;
    let city = rostered_city();
    // The roster's hours per calendar day: Saturday 3 night 21:00-23:59:59; Sunday 4
    // (off) 00:00-07:00, the end of that night; Monday 5 off and no night before:
    // no hours; Tuesday 6 pagi 07:00-14:00; Wednesday 7 no entry either day: calendar.
    let span = |day: u32| city.rosters.day_span(&nip(PEER), d(2026, 10, day));
    let hms = |h, m, s| NaiveTime::from_hms_opt(h, m, s).unwrap();
    assert_eq!(span(3), Some(Some((t(21, 0), hms(23, 59, 59)))));
    assert_eq!(span(4), Some(Some((t(0, 0), t(7, 0)))));
    assert_eq!(span(5), Some(None));
    assert_eq!(span(6), Some(Some((t(7, 0), t(14, 0)))));
    assert_eq!(span(7), None);

    let policy = Policy::national();
    let oct = YearMonth::new(2026, 10).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    let mut l = Ledger::new(oct);
    let entry = |day: u32, start: NaiveTime, end: NaiveTime| ActivityInput {
        employee: nip(PEER),
        date: d(2026, 10, day),
        start,
        end,
        task: "STAF-T1".into(),
        quantity: 1,
        description: "Agenda surat".into(),
        evidence: None,
    };
    let log = |l: &mut Ledger, input: ActivityInput| {
        l.execute(&ctx, req(PEER, at(d(2026, 10, 6), 15, 0), Command::LogActivity { input })).map(|_| ())
    };
    // Saturday night 22:00-22:15: inside the shift (an office worker could not log on
    // a Saturday at all).
    log(&mut l, entry(3, t(22, 0), t(22, 15))).expect("a night-shift entry");
    // Sunday 02:00-02:15, the same night after midnight.
    log(&mut l, entry(4, t(2, 0), t(2, 15))).expect("after midnight");
    // Monday, rostered off with no night before: not a working day for PEER.
    assert_eq!(log(&mut l, entry(5, t(9, 0), t(9, 15))).unwrap_err().code(), "non_working_day");
    // Tuesday pagi: 06:45 is before 07:00 (no early overtime in the national policy).
    assert_eq!(log(&mut l, entry(6, t(6, 45), t(7, 0))).unwrap_err().code(), "before_working_hours");
}

#[test]
fn the_rostered_target_counts_the_roster_the_leave_and_the_cut_off() {
    // October 2026 under a cut-off on the 20th (days after it owe no target). PEER's
    // roster (see `rostered_city`) makes Saturday 3 a working day and Monday 5 a day
    // off; an annual leave from Saturday 3 to Tuesday 6 covers two of their working
    // days (Saturday's night shift and Tuesday's pagi; Sunday and Monday are off).
    let city = rostered_city();
    let policy = cutoff_policy("2026-10", 20);
    let oct = YearMonth::new(2026, 10).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    assert_eq!(ctx.cutoff, Some(d(2026, 10, 20)));
    let mut l = Ledger::new(oct);
    let leave = kinerja::attendance::Absence {
        employee: nip(PEER),
        range: kinerja::DateRange { start: d(2026, 10, 3), end: d(2026, 10, 6) },
        kind: kinerja::attendance::AbsenceKind::Leave(kinerja::attendance::LeaveKind::Annual),
        evidence: Some("surat cuti 851/7".into()),
        note: None,
    };
    l.execute(&ctx, req(HR1, at(d(2026, 10, 2), 8, 0), Command::RecordAbsence { absence: leave })).unwrap();
    let recap = monthly_recap(&l, &ctx, d(2026, 10, 31)).unwrap();
    let line = |who: &str| recap.employees.iter().find(|e| e.employee == nip(who)).unwrap().target.clone();
    // PEER: the calendar's 22 weekdays (no holiday in October 2026), + Saturday 3
    // rostered, - Monday 5 rostered off = 22 working days. Reduced: the leave's
    // Saturday 3 and Tuesday 6 = 2, and after the cut-off Wednesday 21 to Friday 30:
    // 21, 22, 23, 26, 27, 28, 29, 30 = 8; 2 + 8 = 10. Target: 22 - 10 = 12 days x 300
    // min = 3,600 min.
    let t = line(PEER);
    assert_eq!((t.calendar_working_days, t.assigned_working_days), (22, 22));
    assert_eq!((t.reduced_days, t.target_days, t.target_minutes), (10, 12, Minutes(3_600)));
    // The public one-employee target, given the same reducing days, agrees.
    let mut reduced = vec![d(2026, 10, 3), d(2026, 10, 4), d(2026, 10, 5), d(2026, 10, 6)];
    reduced.extend((21..=31).map(|day| d(2026, 10, day)));
    let params = &ctx.month_end_rules().targets;
    let alone = kinerja::targets::month_target_rostered(
        &city.organisation,
        &ctx.calendar,
        &city.rosters,
        &nip(PEER),
        oct,
        &reduced,
        params,
    )
    .unwrap();
    assert_eq!(alone, t);
    // STAFF, off the roster: 22 working days, the 8 after the cut-off reduced: 14 x 300.
    let s = line(STAFF);
    assert_eq!((s.reduced_days, s.target_days, s.target_minutes), (8, 14, Minutes(4_200)));
}
