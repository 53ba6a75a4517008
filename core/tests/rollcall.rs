//! Roll call (apel) and ceremonies (upacara): hand-computed reference cases.
//!
//! Dates: 2026-10-05 is a Monday (working day), 2026-10-03 a Saturday, 2026-08-17
//! (Monday) Independence Day, a national holiday.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use kinerja::attendance::*;
use kinerja::calendar::WorkCalendar;
use kinerja::nip::Nip;
use kinerja::policy::{Policy, PolicyLayer};
use kinerja::rollcall::*;

use RollCallKind::{Afternoon, Ceremony as CeremonyKind, Morning};
use RollCallOutcome::{Absent, Attended, Excused, Missed, NotHeld};

const EMPLOYEE: &str = "197001012000011001";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn both() -> RollCallParams {
    RollCallParams { morning: true, afternoon: true }
}

fn params() -> AttendanceParams {
    AttendanceParams::from_policy(&Policy::national(), d(2026, 10, 5)).unwrap().params
}

/// The employee's day on the national 2026 calendar.
fn day(
    date: NaiveDate,
    check_in: Option<&str>,
    check_out: Option<&str>,
    absence: Option<AbsenceKind>,
) -> DayAttendance {
    let cal = WorkCalendar::indonesia_2026();
    let ev = |t: &str, direction| ClockEvent {
        employee: Nip::parse(EMPLOYEE).unwrap(),
        at: NaiveDateTime::new(date, NaiveTime::parse_from_str(t, "%H:%M").unwrap()),
        direction,
        source: ClockSource::Face,
        geofence: None,
    };
    let mut clocks = Vec::new();
    clocks.extend(check_in.map(|t| ev(t, ClockDirection::In)));
    clocks.extend(check_out.map(|t| ev(t, ClockDirection::Out)));
    evaluate_day(date, cal.schedule(date), &clocks, absence.as_ref(), &params())
}

#[test]
fn attended_and_missed_on_a_working_day() {
    let present = day(d(2026, 10, 5), Some("07:25"), Some("16:00"), None).status;
    assert_eq!(present, DayStatus::Present);
    assert_eq!(roll_call_outcome(Morning, true, true, &present), Attended);
    assert_eq!(roll_call_outcome(Morning, true, false, &present), Missed);
    assert_eq!(roll_call_outcome(Afternoon, true, false, &present), Missed);
}

#[test]
fn excused_by_leave_travel_sick_or_permit() {
    for kind in [
        AbsenceKind::Leave(LeaveKind::Annual),
        AbsenceKind::OfficialTravel,
        AbsenceKind::Sick { doctor_note: false },
        AbsenceKind::Permit,
    ] {
        let status = day(d(2026, 10, 5), None, None, Some(kind)).status;
        assert_eq!(status, DayStatus::Excused(kind));
        assert_eq!(roll_call_outcome(Morning, true, false, &status), Excused, "{kind}");
        // Excused also when marked attended: the day's excuse decides.
        assert_eq!(roll_call_outcome(Afternoon, true, true, &status), Excused, "{kind}");
    }
}

#[test]
fn an_unexcused_day_counts_with_the_tk_day_not_as_a_miss() {
    let tk = day(d(2026, 10, 5), None, None, None).status;
    assert_eq!(tk, DayStatus::Unexcused);
    assert_eq!(roll_call_outcome(Morning, true, false, &tk), Absent);
    // A contradictory "attended" mark on a TK day does not make it attended.
    assert_eq!(roll_call_outcome(Morning, true, true, &tk), Absent);
    let mut tally = RollCallTally::default();
    tally.add(Absent);
    assert_eq!((tally.held, tally.missed, tally.absent), (1, 0, 1));
}

#[test]
fn not_held_on_a_holiday_or_weekend() {
    let cal = WorkCalendar::indonesia_2026();
    let independence = d(2026, 8, 17);
    let saturday = d(2026, 10, 3);
    for date in [independence, saturday] {
        let working = cal.is_working_day(date);
        assert!(!working);
        assert!(!both().is_held(Morning, date, working, &[]));
        let status = day(date, None, None, None).status;
        assert_eq!(status, DayStatus::NonWorking);
        let held = both().is_held(Morning, date, working, &[]);
        assert_eq!(roll_call_outcome(Morning, held, false, &status), NotHeld);
    }
    // A ceremony declared on Independence Day is not held by the rule either (non-working day).
    let upacara = [Ceremony { date: independence, name: "HUT RI ke-81".into() }];
    assert!(!both().is_held(CeremonyKind, independence, false, &upacara));
}

#[test]
fn switched_off_roll_call_is_not_held() {
    let p = RollCallParams { morning: true, afternoon: false };
    let monday = d(2026, 10, 5);
    assert!(p.is_held(Morning, monday, true, &[]));
    assert!(!p.is_held(Afternoon, monday, true, &[]));
    assert_eq!(roll_call_outcome(Afternoon, false, false, &DayStatus::Present), NotHeld);
}

#[test]
fn ceremony_held_only_when_declared_on_a_working_day() {
    // Hari Kesadaran Nasional on Saturday 17 October 2026 would be a weekend; declare it on Monday 19.
    let monday = d(2026, 10, 19);
    let upacara = [Ceremony { date: monday, name: "Hari Kesadaran Nasional".into() }];
    assert!(both().is_held(CeremonyKind, monday, true, &upacara));
    assert!(!both().is_held(CeremonyKind, d(2026, 10, 20), true, &upacara));
    // The daily switches do not declare ceremonies.
    assert!(!both().is_held(CeremonyKind, monday, true, &[]));

    let present = day(monday, Some("07:20"), Some("16:00"), None).status;
    assert_eq!(roll_call_outcome(CeremonyKind, true, true, &present), Attended);
    assert_eq!(roll_call_outcome(CeremonyKind, true, false, &present), Missed);
    let travel = day(monday, None, None, Some(AbsenceKind::OfficialTravel)).status;
    assert_eq!(roll_call_outcome(CeremonyKind, true, false, &travel), Excused);
}

#[test]
fn off_site_half_day_excuses_the_matching_roll_call() {
    let monday = d(2026, 10, 5);
    // Off site in the morning, back for the 16:00 check-out.
    let morning_off =
        day(monday, None, Some("16:00"), Some(AbsenceKind::OffSiteHalfDay { replaces: ClockDirection::In }));
    assert_eq!(morning_off.status, DayStatus::Present);
    assert_eq!(roll_call_outcome_for_day(Morning, true, false, &morning_off), Excused);
    assert_eq!(roll_call_outcome_for_day(Afternoon, true, false, &morning_off), Missed);
    assert_eq!(roll_call_outcome_for_day(Afternoon, true, true, &morning_off), Attended);
    // The plain rule, without the day, does not know about the off-site morning.
    assert_eq!(roll_call_outcome(Morning, true, false, &morning_off.status), Missed);

    let afternoon_off =
        day(monday, Some("07:30"), None, Some(AbsenceKind::OffSiteHalfDay { replaces: ClockDirection::Out }));
    assert_eq!(roll_call_outcome_for_day(Afternoon, true, false, &afternoon_off), Excused);
    assert_eq!(roll_call_outcome_for_day(Morning, true, false, &afternoon_off), Missed);
    assert_eq!(roll_call_outcome_for_day(Morning, false, false, &afternoon_off), NotHeld);
}

#[test]
fn month_tally() {
    let mut m = MonthRollCall::default();
    // Morning: 3 attended, 1 excused, 2 missed, 2 not held -> held 6.
    for o in [Attended, Attended, Attended, Excused, Missed, Missed, NotHeld, NotHeld] {
        m.add(Morning, o);
    }
    // Afternoon: 1 attended, 4 missed -> held 5.
    for o in [Attended, Missed, Missed, Missed, Missed] {
        m.add(Afternoon, o);
    }
    // Ceremony: 1 attended.
    m.add(CeremonyKind, Attended);
    assert_eq!(m.morning, RollCallTally { held: 6, attended: 3, excused: 1, missed: 2, absent: 0 });
    assert_eq!(m.afternoon, RollCallTally { held: 5, attended: 1, excused: 0, missed: 4, absent: 0 });
    assert_eq!(m.ceremony, RollCallTally { held: 1, attended: 1, excused: 0, missed: 0, absent: 0 });
    assert_eq!(m.tally(Afternoon).missed, 4);
    // Daily roll calls missed: 2 + 4 = 6 (the figure the "6 missed = 0 %" cliff reads).
    assert_eq!(m.daily_missed(), 6);
}

#[test]
fn roll_call_params_from_policy() {
    let national = RollCallParams::from_policy(&Policy::national(), d(2026, 10, 5)).unwrap();
    assert_eq!(national.params, both());
    assert_eq!(national.provenance.len(), 2);
    assert_eq!(national.provenance[1].key, "rollcall.afternoon");

    let city = PolicyLayer::from_toml(
        "kota.toml",
        "[layer]\nname = \"Kota\"\n[[rollcall.afternoon]]\nfrom = 2026-07-01\nvalue = false\nref = \"Perwal (fictional)\"\n",
    )
    .unwrap();
    let policy = Policy::national().with_layer(city);
    assert_eq!(RollCallParams::from_policy(&policy, d(2026, 6, 30)).unwrap().params, both());
    assert_eq!(
        RollCallParams::from_policy(&policy, d(2026, 7, 1)).unwrap().params,
        RollCallParams { morning: true, afternoon: false }
    );
}

#[test]
fn marks_and_outcomes_serialise() {
    let mark =
        RollCallMark { employee: Nip::parse(EMPLOYEE).unwrap(), date: d(2026, 10, 5), kind: Afternoon, attended: true };
    let json = serde_json::to_value(&mark).unwrap();
    assert_eq!(json["kind"], "afternoon");
    assert_eq!(serde_json::from_value::<RollCallMark>(json).unwrap(), mark);
    assert_eq!(serde_json::to_value(NotHeld).unwrap(), "not_held");
}
