//! Attendance: hand-computed reference cases.
//!
//! Unless a test says otherwise: the national 2026 calendar (Perpres 21/2023 week:
//! Mon-Thu 07:30-16:00, Fri 07:30-16:30; Ramadan 1447 H 2026-02-19..=2026-03-19 with
//! Mon-Thu 08:00-15:00), no grace, band limits [30, 60, 90], a missing scan = band 4,
//! a permit cap of 3 working days a month, and the national evidence list.
//!
//! Dates used: 2026-10-05 is a Monday, 2026-10-09 a Friday, 2026-10-03 a Saturday,
//! 2026-08-17 (Monday) is Independence Day, 2026-03-02 is a Monday in Ramadan.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use kinerja::DateRange;
use kinerja::attendance::*;
use kinerja::calendar::WorkCalendar;
use kinerja::nip::Nip;
use kinerja::policy::{Policy, PolicyLayer};
use kinerja::{Minutes, YearMonth};
use rust_decimal::Decimal;

const EMPLOYEE: &str = "197001012000011001";
const OTHER: &str = "197502022001121002";

fn nip(s: &str) -> Nip {
    Nip::parse(s).unwrap()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn hms(t: &str) -> NaiveTime {
    NaiveTime::parse_from_str(t, "%H:%M:%S").unwrap()
}

fn cal() -> WorkCalendar {
    WorkCalendar::indonesia_2026()
}

fn params() -> AttendanceParams {
    AttendanceParams {
        late_grace_seconds: 0,
        early_grace_seconds: 0,
        minute_rounding: MinuteRounding::Started,
        band_limits: BandLimits::common(),
        missing_check_in: MissingScanRule::Band4,
        missing_check_out: MissingScanRule::Band4,
        permit_cap_per_month: 3,
        evidence_required: [
            "sick_with_note",
            "leave.long",
            "leave.sick",
            "leave.maternity",
            "leave.important_reason",
            "leave.unpaid",
            "official_travel",
            "off_site_half_day",
        ]
        .map(String::from)
        .to_vec(),
        shift_scan_margin_minutes: 240,
        geofence: kinerja::geo::GeofenceParams {
            outside: kinerja::geo::GeofenceRule::Flag,
            no_position: kinerja::geo::GeofenceRule::Flag,
        },
    }
}

fn clock(date: NaiveDate, time: &str, direction: ClockDirection) -> ClockEvent {
    ClockEvent {
        employee: nip(EMPLOYEE),
        at: NaiveDateTime::new(date, hms(time)),
        direction,
        source: ClockSource::Fingerprint,
        geofence: None,
    }
}

fn scans(date: NaiveDate, check_in: Option<&str>, check_out: Option<&str>) -> Vec<ClockEvent> {
    let mut v = Vec::new();
    if let Some(t) = check_in {
        v.push(clock(date, t, ClockDirection::In));
    }
    if let Some(t) = check_out {
        v.push(clock(date, t, ClockDirection::Out));
    }
    v
}

/// Evaluates a day on the national calendar with `p`.
fn day_with(
    date: NaiveDate,
    check_in: Option<&str>,
    check_out: Option<&str>,
    absence: Option<AbsenceKind>,
    p: &AttendanceParams,
) -> DayAttendance {
    let c = cal();
    evaluate_day(date, c.schedule(date), &scans(date, check_in, check_out), absence.as_ref(), p)
}

fn day(date: NaiveDate, check_in: Option<&str>, check_out: Option<&str>) -> DayAttendance {
    day_with(date, check_in, check_out, None, &params())
}

/// Monday 2026-10-05, 07:30-16:00.
fn mon() -> NaiveDate {
    d(2026, 10, 5)
}

/// Late minutes and band for a check-in on Monday 2026-10-05 (start 07:30:00), on-time check-out.
fn late(check_in: &str) -> (i64, Option<Band>) {
    let a = day(mon(), Some(check_in), Some("16:00:00"));
    assert_eq!(a.status, DayStatus::Present);
    (a.late_minutes.get(), a.late_band)
}

/// Early minutes and band for a check-out on Monday 2026-10-05 (end 16:00:00), on-time check-in.
fn early(check_out: &str) -> (i64, Option<Band>) {
    let a = day(mon(), Some("07:30:00"), Some(check_out));
    assert_eq!(a.status, DayStatus::Present);
    (a.early_minutes.get(), a.early_band)
}

// --- lateness and early leave ------------------------------------------------------

#[test]
fn on_time_day() {
    // 07:30:00 - 07:30 = 0 s; 16:00 - 16:00:00 = 0 s.
    let a = day(mon(), Some("07:30:00"), Some("16:00:00"));
    assert_eq!(a.status, DayStatus::Present);
    assert_eq!((a.late_minutes, a.early_minutes), (Minutes::ZERO, Minutes::ZERO));
    assert_eq!((a.late_band, a.early_band), (None, None));
    assert!(!a.missing_check_in && !a.missing_check_out);
    assert_eq!((a.check_in, a.check_out), (Some(hms("07:30:00")), Some(hms("16:00:00"))));
    // Arriving early and staying late is also on time: 07:10 is -1200 s, 17:00 is -3600 s.
    assert_eq!(late("07:10:00"), (0, None));
    assert_eq!(early("17:00:00"), (0, None));
}

#[test]
fn one_minute_late_without_grace() {
    // 07:31:00 - 07:30:00 = 60 s -> ceil(60/60) = 1 min, TL1.
    assert_eq!(late("07:31:00"), (1, Some(Band::B1)));
    // 07:30:01 = 1 s -> ceil(1/60) = 1 min: with no grace every started minute counts.
    assert_eq!(late("07:30:01"), (1, Some(Band::B1)));
    // 07:31:01 = 61 s -> ceil(61/60) = 2 min.
    assert_eq!(late("07:31:01"), (2, Some(Band::B1)));
}

#[test]
fn late_band_boundaries() {
    // 08:00:00 - 07:30 = 30 min -> TL1 (1..=30); one second more = 1801 s -> 31 min -> TL2.
    assert_eq!(late("08:00:00"), (30, Some(Band::B1)));
    assert_eq!(late("08:00:01"), (31, Some(Band::B2)));
    assert_eq!(late("08:01:00"), (31, Some(Band::B2)));
    // 08:30 = 60 min -> TL2 (31..=60); 08:31 = 61 min -> TL3.
    assert_eq!(late("08:30:00"), (60, Some(Band::B2)));
    assert_eq!(late("08:31:00"), (61, Some(Band::B3)));
    // 09:00 = 90 min -> TL3 (61..=90); 09:01 = 91 min -> TL4.
    assert_eq!(late("09:00:00"), (90, Some(Band::B3)));
    assert_eq!(late("09:01:00"), (91, Some(Band::B4)));
    // 12:00 = 270 min -> TL4.
    assert_eq!(late("12:00:00"), (270, Some(Band::B4)));
}

#[test]
fn early_band_boundaries() {
    // End 16:00. 15:30 -> 30 min PSW1; 15:29 -> 31 min PSW2.
    assert_eq!(early("15:30:00"), (30, Some(Band::B1)));
    assert_eq!(early("15:29:00"), (31, Some(Band::B2)));
    // 15:29:59 -> 1801 s -> ceil = 31 min PSW2.
    assert_eq!(early("15:29:59"), (31, Some(Band::B2)));
    // 15:00 -> 60 PSW2; 14:59 -> 61 PSW3.
    assert_eq!(early("15:00:00"), (60, Some(Band::B2)));
    assert_eq!(early("14:59:00"), (61, Some(Band::B3)));
    // 14:30 -> 90 PSW3; 14:29 -> 91 PSW4.
    assert_eq!(early("14:30:00"), (90, Some(Band::B3)));
    assert_eq!(early("14:29:00"), (91, Some(Band::B4)));
    // 15:59:59 -> 1 s -> 1 min PSW1.
    assert_eq!(early("15:59:59"), (1, Some(Band::B1)));
}

#[test]
fn friday_ends_at_half_past_four() {
    // Friday 2026-10-09 ends 16:30: leaving at 16:00 is 30 min early (PSW1),
    // which on a Monday would be on time.
    let a = day(d(2026, 10, 9), Some("07:30:00"), Some("16:00:00"));
    assert_eq!((a.early_minutes.get(), a.early_band), (30, Some(Band::B1)));
}

#[test]
fn grace_of_59_seconds() {
    let p = AttendanceParams { late_grace_seconds: 59, early_grace_seconds: 59, ..params() };
    let late = |t: &str| {
        let a = day_with(mon(), Some(t), Some("16:00:00"), None, &p);
        (a.late_minutes.get(), a.late_band)
    };
    // 07:30:59 = 59 s <= 59 s grace -> on time.
    assert_eq!(late("07:30:59"), (0, None));
    // 07:31:00 = 60 s > 59 -> ceil(60/60) = 1 min TL1 (counted from 07:30, not from the grace).
    assert_eq!(late("07:31:00"), (1, Some(Band::B1)));
    // 07:31:01 = 61 s -> 2 min.
    assert_eq!(late("07:31:01"), (2, Some(Band::B1)));
    // 08:00:00 = 1800 s -> 30 min TL1; 08:00:01 -> 31 min TL2: the grace does not move bands.
    assert_eq!(late("08:00:00"), (30, Some(Band::B1)));
    assert_eq!(late("08:00:01"), (31, Some(Band::B2)));

    let early = |t: &str| {
        let a = day_with(mon(), Some("07:30:00"), Some(t), None, &p);
        (a.early_minutes.get(), a.early_band)
    };
    // 16:00 - 15:59:01 = 59 s -> on time; 15:59:00 = 60 s -> 1 min PSW1.
    assert_eq!(early("15:59:01"), (0, None));
    assert_eq!(early("15:59:00"), (1, Some(Band::B1)));
}

#[test]
fn started_minutes_by_default_the_issue_case() {
    // National baseline: started minutes, no grace. 08:00:30 after 07:30 = 1,830 s:
    // ceil(1830 / 60) = 31 min -> TL2 (31-60), not TL1.
    let p = AttendanceParams::from_policy(&Policy::national(), mon()).unwrap().params;
    assert_eq!(p.minute_rounding, MinuteRounding::Started);
    let a = day_with(mon(), Some("08:00:30"), Some("16:00:00"), None, &p);
    assert_eq!((a.late_minutes.get(), a.late_band), (31, Some(Band::B2)));
    // A 59-second grace does not change it: 1,830 s > 59 s, still 31 min TL2.
    let g = AttendanceParams { late_grace_seconds: 59, ..p.clone() };
    let a = day_with(mon(), Some("08:00:30"), Some("16:00:00"), None, &g);
    assert_eq!((a.late_minutes.get(), a.late_band), (31, Some(Band::B2)));
}

#[test]
fn whole_minutes_boundaries() {
    let p = AttendanceParams { minute_rounding: MinuteRounding::Whole, ..params() };
    let late = |t: &str| {
        let a = day_with(mon(), Some(t), Some("16:00:00"), None, &p);
        (a.late_minutes.get(), a.late_band)
    };
    // 07:30:59 = 59 s -> floor(59/60) = 0 min: on time even without grace.
    assert_eq!(late("07:30:59"), (0, None));
    // 07:31:00 = 60 s -> 1 min TL1; 07:31:59 = 119 s -> 1 min.
    assert_eq!(late("07:31:00"), (1, Some(Band::B1)));
    assert_eq!(late("07:31:59"), (1, Some(Band::B1)));
    // 08:00:30 = 1,830 s -> floor = 30 min TL1; 08:00:59 = 1,859 s -> 30 min TL1.
    assert_eq!(late("08:00:30"), (30, Some(Band::B1)));
    assert_eq!(late("08:00:59"), (30, Some(Band::B1)));
    // 08:01:00 = 1,860 s -> 31 min TL2.
    assert_eq!(late("08:01:00"), (31, Some(Band::B2)));
    // Early leave the same way: 16:00 - 15:29:30 = 1,830 s -> 30 min PSW1.
    let a = day_with(mon(), Some("07:30:00"), Some("15:29:30"), None, &p);
    assert_eq!((a.early_minutes.get(), a.early_band), (30, Some(Band::B1)));
    // With a grace the threshold applies first: 300 s grace, 301 s -> floor = 5 min.
    assert_eq!(counted_minutes_by(301, 300, MinuteRounding::Whole), Minutes(5));
    assert_eq!(counted_minutes_by(300, 300, MinuteRounding::Whole), Minutes(0));
}

#[test]
fn minute_rounding_is_read_from_a_city_layer() {
    let city = PolicyLayer::from_toml(
        "kota.toml",
        "[layer]\nname = \"Kota\"\n[[attendance.minute_rounding]]\nfrom = 2026-01-01\nvalue = \"whole\"\nref = \"Perwal (fictional)\"\n",
    )
    .unwrap();
    let policy = Policy::national().with_layer(city);
    assert_eq!(AttendanceParams::from_policy(&policy, mon()).unwrap().params.minute_rounding, MinuteRounding::Whole);
    // 2025: the national "started" still applies.
    assert_eq!(
        AttendanceParams::from_policy(&policy, d(2025, 12, 31)).unwrap().params.minute_rounding,
        MinuteRounding::Started
    );
    // Any other text is refused when the file loads.
    let bad = PolicyLayer::from_toml(
        "x.toml",
        "[layer]\nname = \"x\"\n[[attendance.minute_rounding]]\nfrom = 2026-01-01\nvalue = \"round\"\nref = \"x\"\n",
    );
    assert!(bad.is_err());
}

#[test]
fn counted_minutes_rule() {
    assert_eq!(counted_minutes(-30, 0), Minutes(0));
    assert_eq!(counted_minutes(0, 0), Minutes(0));
    assert_eq!(counted_minutes(1, 0), Minutes(1));
    assert_eq!(counted_minutes(60, 0), Minutes(1));
    assert_eq!(counted_minutes(120, 0), Minutes(2));
    assert_eq!(counted_minutes(121, 0), Minutes(3));
    assert_eq!(counted_minutes(59, 59), Minutes(0));
    assert_eq!(counted_minutes(60, 59), Minutes(1));
    assert_eq!(counted_minutes(300, 300), Minutes(0));
    assert_eq!(counted_minutes(301, 300), Minutes(6)); // ceil(301/60) = 6
}

#[test]
fn ramadan_lateness_counts_from_eight() {
    let ramadan_monday = d(2026, 3, 2);
    let c = cal();
    let s = c.schedule(ramadan_monday).copied().unwrap();
    assert_eq!((s.start, s.end), (hms("08:00:00"), hms("15:00:00")));
    // 08:10 - 08:00 = 10 min -> TL1.
    let a = day(ramadan_monday, Some("08:10:00"), Some("15:00:00"));
    assert_eq!((a.late_minutes.get(), a.late_band), (10, Some(Band::B1)));
    // 07:50 is on time in Ramadan (08:00 start), although against the normal 07:30
    // start it would be 20 min late; leaving at 15:00 is on time too.
    let b = day(ramadan_monday, Some("07:50:00"), Some("15:00:00"));
    assert_eq!((b.late_minutes.get(), b.late_band, b.early_band), (0, None, None));
    // The same scans on a normal Monday: 07:50 - 07:30 = 20 min TL1, 16:00 - 15:00 = 60 min PSW2.
    let n = day(mon(), Some("07:50:00"), Some("15:00:00"));
    assert_eq!((n.late_minutes.get(), n.late_band), (20, Some(Band::B1)));
    assert_eq!((n.early_minutes.get(), n.early_band), (60, Some(Band::B2)));
    // Ramadan early leave: 15:00 - 14:30 = 30 min PSW1.
    let e = day(ramadan_monday, Some("08:00:00"), Some("14:30:00"));
    assert_eq!((e.early_minutes.get(), e.early_band), (30, Some(Band::B1)));
}

// --- missing scans -----------------------------------------------------------------

#[test]
fn missing_check_out_is_psw4_by_default_and_absent_under_policy() {
    let a = day(mon(), Some("07:40:00"), None);
    assert_eq!(a.status, DayStatus::Present);
    assert!(a.missing_check_out && !a.missing_check_in);
    assert_eq!((a.early_minutes, a.early_band), (Minutes::ZERO, Some(Band::B4)));
    // The check-in is still judged: 07:40 - 07:30 = 10 min TL1.
    assert_eq!((a.late_minutes.get(), a.late_band), (10, Some(Band::B1)));

    let p = AttendanceParams { missing_check_out: MissingScanRule::Absent, ..params() };
    let b = day_with(mon(), Some("07:40:00"), None, None, &p);
    assert_eq!(b.status, DayStatus::Unexcused);
    assert!(b.missing_check_out);
    assert_eq!((b.late_minutes, b.late_band, b.early_band), (Minutes::ZERO, None, None));
    assert_eq!(b.check_in, Some(hms("07:40:00")));
    // The "absent" rule for check-outs does not touch a missing check-in.
    let c = day_with(mon(), None, Some("16:00:00"), None, &p);
    assert_eq!((c.status, c.late_band), (DayStatus::Present, Some(Band::B4)));
}

#[test]
fn missing_check_in_is_tl4_by_default_and_absent_under_policy() {
    let a = day(mon(), None, Some("16:00:00"));
    assert_eq!(a.status, DayStatus::Present);
    assert!(a.missing_check_in && !a.missing_check_out);
    assert_eq!((a.late_minutes, a.late_band, a.early_band), (Minutes::ZERO, Some(Band::B4), None));

    let p = AttendanceParams { missing_check_in: MissingScanRule::Absent, ..params() };
    let b = day_with(mon(), None, Some("16:00:00"), None, &p);
    assert_eq!(b.status, DayStatus::Unexcused);
    assert!(b.missing_check_in);
}

#[test]
fn earliest_in_and_latest_out_any_order_other_days_ignored() {
    let date = mon();
    let clocks = vec![
        clock(date, "12:00:00", ClockDirection::Out),
        clock(date, "07:45:00", ClockDirection::In),
        clock(date, "16:05:00", ClockDirection::Out),
        clock(date, "07:35:00", ClockDirection::In),
        clock(date, "13:00:00", ClockDirection::In),
        // The previous day's late check-out and the next day's check-in are ignored.
        clock(d(2026, 10, 4), "23:00:00", ClockDirection::Out),
        clock(d(2026, 10, 6), "07:00:00", ClockDirection::In),
    ];
    let a = evaluate_day(date, cal().schedule(date), &clocks, None, &params());
    // Earliest In 07:35 -> 5 min TL1; latest Out 16:05 -> on time.
    assert_eq!((a.check_in, a.check_out), (Some(hms("07:35:00")), Some(hms("16:05:00"))));
    assert_eq!((a.late_minutes.get(), a.early_band), (5, None));
}

// --- non-working days, TK and absences -----------------------------------------------

#[test]
fn tk_is_never_counted_on_weekends_or_holidays() {
    // Saturday, no scans.
    assert_eq!(day(d(2026, 10, 3), None, None).status, DayStatus::NonWorking);
    // Independence Day (Monday), no scans.
    assert_eq!(day(d(2026, 8, 17), None, None).status, DayStatus::NonWorking);
    // Even a declared TK or a late scan on a holiday counts nothing.
    let h = day_with(d(2026, 8, 17), Some("10:00:00"), None, Some(AbsenceKind::Unexcused), &params());
    assert_eq!(h.status, DayStatus::NonWorking);
    assert_eq!((h.late_band, h.early_band, h.missing_check_out), (None, None, false));
    assert_eq!(h.check_in, Some(hms("10:00:00"))); // recorded for display only
}

#[test]
fn no_scans_on_a_working_day_is_unexcused() {
    let a = day(mon(), None, None);
    assert_eq!(a.status, DayStatus::Unexcused);
    assert!(!a.missing_check_in && !a.missing_check_out);
    assert_eq!((a.late_band, a.early_band), (None, None));
}

#[test]
fn declared_tk_overrides_scans() {
    let a = day_with(mon(), Some("07:30:00"), Some("16:00:00"), Some(AbsenceKind::Unexcused), &params());
    assert_eq!(a.status, DayStatus::Unexcused);
}

#[test]
fn excused_leave_day_has_no_lateness() {
    let leave = AbsenceKind::Leave(LeaveKind::Annual);
    let a = day_with(mon(), None, None, Some(leave), &params());
    assert_eq!(a.status, DayStatus::Excused(leave));
    // A late scan on a leave day is recorded, not judged.
    let b = day_with(mon(), Some("10:00:00"), None, Some(leave), &params());
    assert_eq!(b.status, DayStatus::Excused(leave));
    assert_eq!((b.late_minutes, b.late_band, b.early_band, b.missing_check_out), (Minutes::ZERO, None, None, false));
    assert_eq!(b.check_in, Some(hms("10:00:00")));
}

#[test]
fn off_site_half_day_replaces_one_scan() {
    let morning_off = AbsenceKind::OffSiteHalfDay { replaces: ClockDirection::In };
    // Out at 16:00 only: the check-in is replaced, not missing, not late.
    let a = day_with(mon(), None, Some("16:00:00"), Some(morning_off), &params());
    assert_eq!(a.status, DayStatus::Present);
    assert_eq!(a.off_site, Some(ClockDirection::In));
    assert!(!a.missing_check_in && !a.missing_check_out);
    assert_eq!((a.late_band, a.early_band), (None, None));
    // Even a late In scan is not judged: it was replaced. 11:00 would be 210 min TL4.
    let b = day_with(mon(), Some("11:00:00"), Some("16:00:00"), Some(morning_off), &params());
    assert_eq!((b.late_minutes, b.late_band), (Minutes::ZERO, None));
    // The check-out is still judged: 16:00 - 15:45 = 15 min PSW1.
    let c = day_with(mon(), None, Some("15:45:00"), Some(morning_off), &params());
    assert_eq!((c.early_minutes.get(), c.early_band), (15, Some(Band::B1)));
    // No scan at all: the check-out is missing -> PSW4 (not TK: the morning was duty).
    let e = day_with(mon(), None, None, Some(morning_off), &params());
    assert_eq!((e.status, e.missing_check_out, e.early_band), (DayStatus::Present, true, Some(Band::B4)));

    // Afternoon off site: In at 07:45 -> 15 min TL1; the check-out is replaced.
    let afternoon_off = AbsenceKind::OffSiteHalfDay { replaces: ClockDirection::Out };
    let f = day_with(mon(), Some("07:45:00"), None, Some(afternoon_off), &params());
    assert_eq!((f.status, f.late_minutes.get(), f.late_band), (DayStatus::Present, 15, Some(Band::B1)));
    assert_eq!((f.missing_check_out, f.early_band), (false, None));
}

// --- checking absences ----------------------------------------------------------------

fn absence(kind: AbsenceKind, start: NaiveDate, end: NaiveDate) -> Absence {
    Absence { employee: nip(EMPLOYEE), range: DateRange { start, end }, kind, evidence: None, note: None }
}

fn permit(start: NaiveDate, end: NaiveDate) -> Absence {
    absence(AbsenceKind::Permit, start, end)
}

fn check(new: &Absence, existing: &[Absence]) -> Result<(), AttendanceError> {
    check_absence(new, existing, &cal(), &params())
}

#[test]
fn permit_cap_three_fine_fourth_refused() {
    // Permits on Mon 5, Tue 6, Wed 7 October: 1 + 1 + 1 = 3 working days <= cap 3.
    let existing = vec![permit(d(2026, 10, 5), d(2026, 10, 5)), permit(d(2026, 10, 6), d(2026, 10, 6))];
    assert_eq!(check(&permit(d(2026, 10, 7), d(2026, 10, 7)), &existing), Ok(()));
    let existing = vec![
        permit(d(2026, 10, 5), d(2026, 10, 5)),
        permit(d(2026, 10, 6), d(2026, 10, 6)),
        permit(d(2026, 10, 7), d(2026, 10, 7)),
    ];
    // A 4th on Thu 8 October: 3 + 1 = 4 > 3.
    let err = check(&permit(d(2026, 10, 8), d(2026, 10, 8)), &existing).unwrap_err();
    assert_eq!(
        err,
        AttendanceError::PermitCapExceeded {
            employee: nip(EMPLOYEE),
            month: "2026-10".parse::<YearMonth>().unwrap(),
            cap: 3,
            would_be: 4
        }
    );
    assert_eq!((err.code(), err.record(), err.field()), ("permit_cap_exceeded", "absence", "kind"));
    let problem = err.to_problem();
    assert_eq!((problem.record.as_str(), problem.id.as_str()), ("absence", EMPLOYEE));
    assert!(problem.message.contains("2026-10") && problem.message.contains("cap of 3"), "{}", problem.message);
    // One 3-day permit counts 3 too: a single day more is refused.
    let three_days = vec![permit(d(2026, 10, 5), d(2026, 10, 7))];
    assert!(check(&permit(d(2026, 10, 8), d(2026, 10, 8)), &three_days).is_err());
    // Other employees' permits do not count.
    let theirs: Vec<Absence> = existing.iter().cloned().map(|a| Absence { employee: nip(OTHER), ..a }).collect();
    assert_eq!(check(&permit(d(2026, 10, 8), d(2026, 10, 8)), &theirs), Ok(()));
}

#[test]
fn permits_in_different_months_are_independent() {
    let october = vec![
        permit(d(2026, 10, 5), d(2026, 10, 5)),
        permit(d(2026, 10, 6), d(2026, 10, 6)),
        permit(d(2026, 10, 7), d(2026, 10, 7)),
    ];
    // November: 0 existing + 1 = 1 <= 3.
    assert_eq!(check(&permit(d(2026, 11, 2), d(2026, 11, 2)), &october), Ok(()));
    // A permit Fri 30 Oct ..= Mon 2 Nov: October 3 + 1 (Fri 30) = 4 > 3 -> refused for October.
    let err = check(&permit(d(2026, 10, 30), d(2026, 11, 2)), &october).unwrap_err();
    assert!(
        matches!(err, AttendanceError::PermitCapExceeded { month, would_be: 4, .. } if month.to_string() == "2026-10")
    );
    // The same range with three November permits instead: October 1 <= 3, November 3 + 1 = 4 -> refused for November.
    let november = vec![
        permit(d(2026, 11, 3), d(2026, 11, 3)),
        permit(d(2026, 11, 4), d(2026, 11, 4)),
        permit(d(2026, 11, 5), d(2026, 11, 5)),
    ];
    let err = check(&permit(d(2026, 10, 30), d(2026, 11, 2)), &november).unwrap_err();
    assert!(
        matches!(err, AttendanceError::PermitCapExceeded { month, would_be: 4, .. } if month.to_string() == "2026-11")
    );
}

#[test]
fn a_permit_over_a_weekend_counts_only_working_days() {
    let existing = vec![permit(d(2026, 10, 5), d(2026, 10, 5)), permit(d(2026, 10, 6), d(2026, 10, 6))];
    // Sat 10 ..= Mon 12 October: Sat, Sun are not working days -> 1 (Mon 12); 2 + 1 = 3 <= 3.
    assert_eq!(check(&permit(d(2026, 10, 10), d(2026, 10, 12)), &existing), Ok(()));
    // Fri 9 ..= Mon 12: Fri + Mon = 2 working days; 2 + 2 = 4 > 3 (calendar days would say 4 + 2 = 6).
    let err = check(&permit(d(2026, 10, 9), d(2026, 10, 12)), &existing).unwrap_err();
    assert!(matches!(err, AttendanceError::PermitCapExceeded { would_be: 4, cap: 3, .. }), "{err}");
    // An existing permit over a weekend also counts its working days only:
    // Fri 9 ..= Mon 12 = 2 days, + Tue 13 = 3 <= 3.
    let weekend = vec![permit(d(2026, 10, 9), d(2026, 10, 12))];
    assert_eq!(check(&permit(d(2026, 10, 13), d(2026, 10, 13)), &weekend), Ok(()));
}

#[test]
fn evidence_required_refused_without_evidence() {
    let travel = absence(AbsenceKind::OfficialTravel, d(2026, 10, 5), d(2026, 10, 6));
    let err = check(&travel, &[]).unwrap_err();
    assert_eq!(err, AttendanceError::EvidenceRequired { employee: nip(EMPLOYEE), kind: "official_travel" });
    assert_eq!((err.code(), err.field()), ("absence_evidence_required", "evidence"));
    // Blank evidence is no evidence.
    let blank = Absence { evidence: Some("   ".into()), ..travel.clone() };
    assert!(matches!(check(&blank, &[]), Err(AttendanceError::EvidenceRequired { .. })));
    let with = Absence { evidence: Some("Surat Tugas 090/123/2026".into()), ..travel };
    assert_eq!(check(&with, &[]), Ok(()));
    // A doctor's note is required for sick_with_note, not for plain sick or annual leave.
    let noted = absence(AbsenceKind::Sick { doctor_note: true }, d(2026, 10, 5), d(2026, 10, 5));
    assert!(matches!(check(&noted, &[]), Err(AttendanceError::EvidenceRequired { kind: "sick_with_note", .. })));
    assert_eq!(check(&absence(AbsenceKind::Sick { doctor_note: false }, d(2026, 10, 5), d(2026, 10, 5)), &[]), Ok(()));
    assert_eq!(check(&absence(AbsenceKind::Leave(LeaveKind::Annual), d(2026, 10, 5), d(2026, 10, 9)), &[]), Ok(()));
}

#[test]
fn overlap_refused_and_names_the_existing_absence() {
    let leave =
        Absence { evidence: None, ..absence(AbsenceKind::Leave(LeaveKind::Annual), d(2026, 10, 5), d(2026, 10, 9)) };
    // A permit on Fri 9 October shares a day with the leave.
    let err = check(&permit(d(2026, 10, 9), d(2026, 10, 9)), std::slice::from_ref(&leave)).unwrap_err();
    assert_eq!(
        err,
        AttendanceError::Overlap {
            employee: nip(EMPLOYEE),
            range: DateRange { start: d(2026, 10, 9), end: d(2026, 10, 9) },
            existing_kind: "leave.annual",
            existing_range: DateRange { start: d(2026, 10, 5), end: d(2026, 10, 9) },
        }
    );
    assert_eq!((err.code(), err.field()), ("absence_overlap", "range"));
    assert!(err.to_string().contains("leave.annual") && err.to_string().contains("2026-10-05..=2026-10-09"));
    // The day after is fine.
    assert_eq!(check(&permit(d(2026, 10, 12), d(2026, 10, 12)), std::slice::from_ref(&leave)), Ok(()));
    // Another employee's leave does not overlap.
    let theirs = Absence { employee: nip(OTHER), ..leave };
    assert_eq!(check(&permit(d(2026, 10, 9), d(2026, 10, 9)), &[theirs]), Ok(()));
}

#[test]
fn range_without_working_day_or_inverted_is_refused() {
    // Sat 10 ..= Sun 11 October.
    let weekend = permit(d(2026, 10, 10), d(2026, 10, 11));
    let err = check(&weekend, &[]).unwrap_err();
    assert_eq!(err.code(), "absence_no_working_day");
    // Independence Day alone.
    assert!(matches!(check(&permit(d(2026, 8, 17), d(2026, 8, 17)), &[]), Err(AttendanceError::NoWorkingDay { .. })));
    let inverted = permit(d(2026, 10, 9), d(2026, 10, 5));
    assert_eq!(check(&inverted, &[]).unwrap_err().code(), "absence_inverted_range");
}

// --- the month -------------------------------------------------------------------------

#[test]
fn monthly_summary_counts() {
    let leave = AbsenceKind::Leave(LeaveKind::Annual);
    let off_in = AbsenceKind::OffSiteHalfDay { replaces: ClockDirection::In };
    let p = params();
    let days = vec![
        day(d(2026, 10, 5), Some("07:30:00"), Some("16:00:00")), // Mon: on time
        day(d(2026, 10, 6), Some("08:01:00"), Some("15:50:00")), // Tue: 31 min TL2, 10 min PSW1
        day(d(2026, 10, 7), Some("07:20:00"), None),             // Wed: missing out -> PSW4, 0 min
        day_with(d(2026, 10, 8), None, None, Some(leave), &p),   // Thu: annual leave
        day(d(2026, 10, 9), None, None),                         // Fri: no scans -> TK
        day(d(2026, 10, 10), None, None),                        // Sat: non-working
        day(d(2026, 10, 11), None, None),                        // Sun: non-working
        day_with(d(2026, 10, 12), None, Some("16:00:00"), Some(off_in), &p), // Mon: off-site morning
        day(d(2026, 10, 13), Some("07:45:00"), Some("16:00:00")), // Tue: 15 min TL1
    ];
    let m = summarise(&days);
    // Working days: 5, 6, 7, 8, 9, 12, 13 = 7 = present 5 (5, 6, 7, 12, 13) + TK 1 (9) + leave 1 (8).
    assert_eq!(m.working_days, 7);
    assert_eq!(m.days_present, 5);
    assert_eq!(m.unexcused_days, 1);
    assert_eq!(m.absence_days("leave.annual"), 1);
    assert_eq!(m.absence_days("off_site_half_day"), 1);
    assert_eq!(m.absences.len(), 2);
    // TL1: 13 Oct, 15 min; TL2: 6 Oct, 31 min.
    assert_eq!(m.late[0], BandTally { count: 1, minutes: Minutes(15) });
    assert_eq!(m.late[1], BandTally { count: 1, minutes: Minutes(31) });
    assert_eq!((m.late[2], m.late[3]), (BandTally::default(), BandTally::default()));
    // PSW1: 6 Oct, 10 min; PSW4: 7 Oct missing check-out, 0 min.
    assert_eq!(m.early[0], BandTally { count: 1, minutes: Minutes(10) });
    assert_eq!(m.early[3], BandTally { count: 1, minutes: Minutes(0) });
    assert_eq!((m.late_days(), m.early_days()), (2, 2));
    assert_eq!((m.missing_check_in, m.missing_check_out), (0, 1));

    // Streaming gives the same result as summarise.
    let mut streamed = MonthAttendance::default();
    days.iter().for_each(|x| streamed.add(x));
    assert_eq!(streamed, m);
}

// --- policy and serialisation ---------------------------------------------------------

#[test]
fn national_policy_binds_the_documented_defaults() {
    let bound = AttendanceParams::from_policy(&Policy::national(), mon()).unwrap();
    assert_eq!(bound.params, params());
    // Eight keys, then the shift-scan margin and the two geofence rules.
    assert_eq!(bound.provenance.len(), 11);
    assert_eq!(bound.provenance[8].key, "attendance.shift_scan_margin_minutes");
    assert!(bound.provenance.iter().all(|p| p.layer == "national" && !p.reference.is_empty()));
    assert_eq!(bound.provenance[2].key, "attendance.minute_rounding");
    assert_eq!(bound.provenance[3].key, "attendance.band_limits_minutes");
    // The day before PP 94/2021 (2021-08-30) has the same values under PP 53/2010, so
    // the baseline covers every month from 2020; before 2020 there is no value.
    let before = AttendanceParams::from_policy(&Policy::national(), d(2021, 8, 30)).unwrap();
    assert_eq!(before.params, params());
    assert!(before.provenance[0].reference.contains("PP No. 53 Tahun 2010"));
    assert!(AttendanceParams::from_policy(&Policy::national(), d(2019, 12, 31)).is_err());
}

#[test]
fn a_city_layer_sets_manado_style_rules() {
    let city = PolicyLayer::from_toml(
        "kota.toml",
        r#"
        [layer]
        name = "Kota"
        [[attendance.late_grace_seconds]]
        from = 2026-01-01
        value = 59
        ref = "Perwal (fictional) Pasal 3"
        [[attendance.missing_check_out]]
        from = 2026-01-01
        value = "absent"
        ref = "Perwal (fictional) Pasal 4"
        "#,
    )
    .unwrap();
    let policy = Policy::national().with_layer(city);
    let p = AttendanceParams::from_policy(&policy, mon()).unwrap();
    assert_eq!(p.params.late_grace_seconds, 59);
    assert_eq!(p.params.missing_check_out, MissingScanRule::Absent);
    assert_eq!(p.params.early_grace_seconds, 0);
    assert_eq!(p.provenance[0].layer, "Kota");
    // In 2025 the national values still apply.
    assert_eq!(AttendanceParams::from_policy(&policy, d(2025, 12, 31)).unwrap().params, params());
}

#[test]
fn bad_policy_values_are_refused_at_load() {
    let load = |body: &str| {
        let text = format!("[layer]\nname = \"x\"\n{body}");
        PolicyLayer::from_toml("x.toml", &text).unwrap_err().problems().to_vec()
    };
    let p = load("[[attendance.band_limits_minutes]]\nfrom = 2026-01-01\nvalue = [60, 30, 90]\nref = \"r\"\n");
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].code, "invalid_value");
    assert!(p[0].message.contains("strictly ascending"), "{}", p[0].message);
    let p = load("[[attendance.band_limits_minutes]]\nfrom = 2026-01-01\nvalue = [30, 60]\nref = \"r\"\n");
    assert!(p[0].message.contains("three integers"), "{}", p[0].message);
    let p = load(
        "[[attendance.evidence_required]]\nfrom = 2026-01-01\nvalue = [\"leave.annual\", \"holiday\", \"leave.annual\"]\nref = \"r\"\n",
    );
    assert!(p[0].message.contains("`holiday` is not an absence code"), "{}", p[0].message);
    assert!(p[0].message.contains("listed twice"), "{}", p[0].message);
    let p = load("[[attendance.missing_check_in]]\nfrom = 2026-01-01\nvalue = \"tl4\"\nref = \"r\"\n");
    assert_eq!(p[0].code, "invalid_choice");
    let p = load("[[attendance.late_grace_seconds]]\nfrom = 2026-01-01\nvalue = -1\nref = \"r\"\n");
    assert_eq!(p[0].code, "out_of_range");
}

#[test]
fn band_limits_and_bands() {
    assert!(BandLimits::new([0, 60, 90]).is_err());
    assert!(BandLimits::new([30, 30, 90]).is_err());
    let manado_like = BandLimits::new([15, 45, 90]).unwrap();
    assert_eq!(manado_like.band(Minutes(15)), Some(Band::B1));
    assert_eq!(manado_like.band(Minutes(16)), Some(Band::B2));
    assert_eq!(manado_like.band(Minutes(0)), None);
    assert_eq!(Band::B3.to_string(), "3");
    assert_eq!((Band::B1.late_code(), Band::B4.early_code()), ("TL1", "PSW4"));
    assert_eq!(serde_json::to_string(&BandLimits::common()).unwrap(), "[30,60,90]");
    assert!(serde_json::from_str::<BandLimits>("[90,60,30]").is_err());
    assert_eq!(serde_json::from_str::<Band>("4").unwrap(), Band::B4);
    assert!(serde_json::from_str::<Band>("5").is_err());
}

#[test]
fn absence_codes_are_exact_and_round_trip() {
    let kinds = [
        AbsenceKind::Unexcused,
        AbsenceKind::Permit,
        AbsenceKind::Sick { doctor_note: false },
        AbsenceKind::Sick { doctor_note: true },
        AbsenceKind::Leave(LeaveKind::Annual),
        AbsenceKind::Leave(LeaveKind::Long),
        AbsenceKind::Leave(LeaveKind::Sick),
        AbsenceKind::Leave(LeaveKind::Maternity),
        AbsenceKind::Leave(LeaveKind::ImportantReason),
        AbsenceKind::Leave(LeaveKind::Collective),
        AbsenceKind::Leave(LeaveKind::Unpaid),
        AbsenceKind::OfficialTravel,
        AbsenceKind::OffSiteHalfDay { replaces: ClockDirection::Out },
    ];
    let codes: Vec<&str> = kinds.iter().map(AbsenceKind::code).collect();
    assert_eq!(codes, AbsenceKind::ALL_CODES);
    for k in &kinds[..12] {
        assert_eq!(AbsenceKind::from_code(k.code()), Some(*k));
    }
    assert_eq!(AbsenceKind::from_code("off_site_half_day"), None);
    for k in kinds {
        let json = serde_json::to_value(k).unwrap();
        assert_eq!(json["kind"], k.code());
        assert_eq!(serde_json::from_value::<AbsenceKind>(json).unwrap(), k);
    }
}

#[test]
fn records_serialise_as_documented() {
    let a = Absence {
        employee: nip(EMPLOYEE),
        range: DateRange { start: d(2026, 10, 5), end: d(2026, 10, 5) },
        kind: AbsenceKind::OffSiteHalfDay { replaces: ClockDirection::In },
        evidence: Some("ST 1".into()),
        note: None,
    };
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["kind"], "off_site_half_day");
    assert_eq!(json["replaces"], "in");
    assert_eq!(json["employee"], EMPLOYEE);
    assert_eq!(serde_json::from_value::<Absence>(json).unwrap(), a);

    let e = ClockEvent {
        employee: nip(EMPLOYEE),
        at: NaiveDateTime::new(mon(), hms("07:31:00")),
        direction: ClockDirection::In,
        source: ClockSource::Mobile {
            latitude: "-6.2000".parse::<Decimal>().unwrap(),
            longitude: "106.8166".parse::<Decimal>().unwrap(),
            accuracy_m: Some(12),
        },
        geofence: None,
    };
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["source"]["kind"], "mobile");
    assert_eq!(json["source"]["latitude"], "-6.2000");
    assert_eq!(json["at"], "2026-10-05T07:31:00");
    assert_eq!(serde_json::from_value::<ClockEvent>(json).unwrap(), e);

    let day = day_with(mon(), None, None, Some(AbsenceKind::Leave(LeaveKind::Maternity)), &params());
    let json = serde_json::to_value(day).unwrap();
    assert_eq!(json["status"]["excused"]["kind"], "leave.maternity");
    assert_eq!(serde_json::from_value::<DayAttendance>(json).unwrap(), day);
    let late = self::day(mon(), Some("08:31:00"), Some("16:00:00"));
    let json = serde_json::to_value(late).unwrap();
    assert_eq!(
        (json["late_band"].clone(), json["late_minutes"].clone()),
        (serde_json::json!(3), serde_json::json!(61))
    );
}
