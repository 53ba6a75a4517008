//! The daily activity log: entry checks, credited minutes, the verification state
//! machine and who may verify. Dates are in 2026 on `WorkCalendar::indonesia_2026()`:
//!
//! ```text
//! January 2026            February 2026           March 2026 (Ramadan to the 19th)
//! Mo Tu We Th Fr Sa Su    Mo Tu We Th Fr Sa Su    Mo Tu We Th Fr Sa Su
//!           1h  2  3  4                       1                       1
//!  5  6  7  8  9 10 11     2  3  4  5  6  7  8     2  3  4  5  6  7  8
//! 12 13 14 15 16h 17 18    9 10 11 12 13 14 15     ...
//! 19 20 21 22 23 24 25    16c 17h 18 ...
//! 26 27 28 29 30 31       (h = holiday, c = cuti bersama)
//! ```
//!
//! Normal hours Mon-Thu 07:30-16:00, Fri 07:30-16:30; Ramadan 08:00-15:00 (Fri 15:30).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use kinerja::Minutes;
use kinerja::activity::*;
use kinerja::anjab::JobAnalysis;
use kinerja::calendar::WorkCalendar;
use kinerja::org::*;
use kinerja::policy::Policy;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn at(date: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    date.and_time(t(h, m))
}

fn nip(s: &str) -> Nip {
    Nip::parse(s).unwrap()
}

fn actor(s: &str) -> kinerja::access::ActorId {
    s.parse().unwrap()
}

// People.
const KADIS: &str = "197001012000011001"; // Kepala Dinas
const KABID: &str = "197606062002031003"; // Kepala Bidang: the staff's supervisor's supervisor
const KSU: &str = "198003032005011004"; // Kasubag Umum until 2026-01-31
const KSK: &str = "198104042006042005"; // Kasubag Keuangan; Plt Kasubag Umum 2026-02-01..=2026-03-31
const DELEG: &str = "198207072007012006"; // Kasubag Program; delegated verifier
const STAFF_A: &str = "198503152010011001"; // staff of Subag Umum
const STAFF_B: &str = "199001012015022001"; // staff of Subag Umum (peer of A)

fn params() -> ActivityParams {
    ActivityParams::from_policy(&Policy::national(), d(2026, 1, 12)).unwrap().params
}

fn calendar() -> WorkCalendar {
    WorkCalendar::indonesia_2026()
}

/// 3 letters of 45 minutes, Monday 2026-01-12 08:00-10:00, by STAFF_A.
fn input() -> ActivityInput {
    ActivityInput {
        employee: nip(STAFF_A),
        date: d(2026, 1, 12),
        start: t(8, 0),
        end: t(10, 0),
        task: "SURAT".into(),
        quantity: 3,
        description: "Drafted three outgoing letters".into(),
        evidence: None,
    }
}

/// Everything `check_entry` needs, owned, so each test changes one thing.
struct Case {
    input: ActivityInput,
    now: NaiveDateTime,
    standard: Option<Minutes>,
    same_day: Vec<(ActivityId, NaiveTime, NaiveTime)>,
    closed: bool,
    params: ActivityParams,
    calendar: WorkCalendar,
}

impl Case {
    /// The base case: logged the same day at 16:00.
    fn new() -> Case {
        Case {
            input: input(),
            now: at(d(2026, 1, 12), 16, 0),
            standard: Some(Minutes(45)),
            same_day: Vec::new(),
            closed: false,
            params: params(),
            calendar: calendar(),
        }
    }

    fn date(mut self, date: NaiveDate) -> Case {
        self.input.date = date;
        self
    }

    fn times(mut self, start: NaiveTime, end: NaiveTime) -> Case {
        self.input.start = start;
        self.input.end = end;
        self
    }

    fn now(mut self, now: NaiveDateTime) -> Case {
        self.now = now;
        self
    }

    fn run(&self) -> Result<Minutes, ActivityError> {
        let ctx = EntryContext {
            now: self.now,
            calendar: &self.calendar,
            standard_minutes: self.standard,
            same_day: &self.same_day,
            month_closed: self.closed,
            params: &self.params,
        };
        check_entry(&self.input, &ctx)
    }
}

// --- policy -------------------------------------------------------------------

#[test]
fn national_defaults_with_provenance() {
    let bound = ActivityParams::from_policy(&Policy::national(), d(2026, 1, 12)).unwrap();
    let p = &bound.params;
    assert_eq!(p.daily_cap_minutes, Minutes(450));
    assert!(p.cap_daily);
    assert!(p.cap_by_time_span);
    assert_eq!(p.entry_window_working_days, 3);
    assert!(!p.allow_non_working_days);
    assert_eq!(p.overtime_before, Minutes(0));
    assert_eq!(p.overtime_after, Minutes(120));
    assert_eq!(p.verification_deadline_working_days, 5);
    assert_eq!(p.pending_at_deadline, PendingAtDeadline::NotCounted);
    // One provenance per key read, each with a legal reference.
    assert_eq!(bound.provenance.len(), 9);
    assert!(bound.provenance.iter().all(|pr| !pr.reference.is_empty() && pr.layer == "national"));
    let window = bound.provenance.iter().find(|pr| pr.key == "activity.entry_window_working_days").unwrap();
    assert!(window.reference.contains("Kalimantan Barat"), "{}", window.reference);
}

#[test]
fn city_overrides_from_its_date_and_bad_choices_are_refused() {
    let city = r#"
        [layer]
        name = "Kota Contoh"
        [[activity.pending_at_deadline]]
        from = 2026-07-01
        value = "auto_approve"
        ref = "Perwal Kota Contoh No. 9 Tahun 2026, Pasal 12"
        [[activity.entry_window_working_days]]
        from = 2026-07-01
        value = 0
        ref = "Perwal Kota Contoh No. 9 Tahun 2026, Pasal 10 (same day only)"
    "#;
    let policy = Policy::national().with_toml("city.toml", city).unwrap();
    let june = ActivityParams::from_policy(&policy, d(2026, 6, 30)).unwrap().params;
    assert_eq!(june.pending_at_deadline, PendingAtDeadline::NotCounted);
    assert_eq!(june.entry_window_working_days, 3);
    let july = ActivityParams::from_policy(&policy, d(2026, 7, 1)).unwrap().params;
    assert_eq!(july.pending_at_deadline, PendingAtDeadline::AutoApprove);
    assert_eq!(july.entry_window_working_days, 0);

    let bad = r#"
        [layer]
        name = "bad"
        [[activity.pending_at_deadline]]
        from = 2026-07-01
        value = "maybe"
        ref = "x"
        [[activity.daily_cap_minutes]]
        from = 2026-07-01
        value = 0
        ref = "x"
    "#;
    let err = Policy::national().with_toml("bad.toml", bad).unwrap_err();
    let codes: Vec<&str> = err.problems().iter().map(|p| p.code.as_str()).collect();
    assert!(codes.contains(&"invalid_choice"), "{codes:?}");
    assert!(codes.contains(&"out_of_range"), "{codes:?}");
}

// --- check_entry: credited minutes ---------------------------------------------

#[test]
fn credited_minutes_capped_by_span() {
    // 3 x 45 = 135 min of work; 08:00-10:00 is 120 min, so 120 are credited.
    assert_eq!(Case::new().run(), Ok(Minutes(120)));
    // Without the span cap: 135.
    let mut c = Case::new();
    c.params.cap_by_time_span = false;
    assert_eq!(c.run(), Ok(Minutes(135)));
    // A span that holds the work: 08:00-10:30 = 150 >= 135 -> 135.
    assert_eq!(Case::new().times(t(8, 0), t(10, 30)).run(), Ok(Minutes(135)));
}

// --- check_entry: each rejection -------------------------------------------------

#[test]
fn zero_and_negative_quantity() {
    for q in [0, -2] {
        let mut c = Case::new();
        c.input.quantity = q;
        let err = c.run().unwrap_err();
        assert_eq!(err, ActivityError::NonPositiveQuantity { quantity: q });
        assert_eq!((err.code(), err.field()), ("non_positive_quantity", "quantity"));
    }
    // 1 is the smallest accepted: 1 x 45 = 45 < 120.
    let mut c = Case::new();
    c.input.quantity = 1;
    assert_eq!(c.run(), Ok(Minutes(45)));
}

#[test]
fn end_not_after_start() {
    for (s, e) in [(t(8, 0), t(8, 0)), (t(10, 0), t(8, 0))] {
        let err = Case::new().times(s, e).run().unwrap_err();
        assert_eq!(err, ActivityError::EndNotAfterStart { start: s, end: e });
        assert_eq!((err.code(), err.field()), ("end_not_after_start", "end"));
    }
    // One minute is enough: 08:00-08:01 credits min(135, 1) = 1.
    assert_eq!(Case::new().times(t(8, 0), t(8, 1)).run(), Ok(Minutes(1)));
}

#[test]
fn future_date() {
    // Logged on Monday 12 at 23:59 for Tuesday 13.
    let c = Case::new().now(at(d(2026, 1, 12), 23, 59)).date(d(2026, 1, 13));
    let err = c.run().unwrap_err();
    assert_eq!(err, ActivityError::FutureDate { date: d(2026, 1, 13), today: d(2026, 1, 12) });
    assert_eq!((err.code(), err.field()), ("future_date", "date"));
    // Today itself is fine, even early in the morning.
    assert_eq!(Case::new().now(at(d(2026, 1, 12), 0, 1)).run(), Ok(Minutes(120)));
}

#[test]
fn entry_window_across_a_weekend() {
    // Now Monday 12 Jan, window 3: Fri 9 (1), Thu 8 (2), Wed 7 (3) -> earliest Wed 7.
    let now = at(d(2026, 1, 12), 16, 0);
    assert_eq!(Case::new().now(now).date(d(2026, 1, 7)).run(), Ok(Minutes(120)));
    let err = Case::new().now(now).date(d(2026, 1, 6)).run().unwrap_err();
    assert_eq!(
        err,
        ActivityError::OutsideEntryWindow { date: d(2026, 1, 6), earliest: Some(d(2026, 1, 7)), window: 3 }
    );
    assert_eq!((err.code(), err.field()), ("outside_entry_window", "date"));
}

#[test]
fn entry_window_skips_holidays() {
    // Now Monday 19 Jan; Friday 16 is Isra Mikraj (holiday): Thu 15 (1), Wed 14 (2),
    // Tue 13 (3) -> earliest Tue 13.
    let now = at(d(2026, 1, 19), 9, 0);
    assert_eq!(Case::new().now(now).date(d(2026, 1, 13)).run(), Ok(Minutes(120)));
    let err = Case::new().now(now).date(d(2026, 1, 12)).run().unwrap_err();
    assert_eq!(
        err,
        ActivityError::OutsideEntryWindow { date: d(2026, 1, 12), earliest: Some(d(2026, 1, 13)), window: 3 }
    );
}

#[test]
fn entry_window_zero_is_same_day_only() {
    let mut c = Case::new().now(at(d(2026, 1, 12), 16, 0)).date(d(2026, 1, 9));
    c.params.entry_window_working_days = 0;
    assert_eq!(
        c.run(),
        Err(ActivityError::OutsideEntryWindow { date: d(2026, 1, 9), earliest: Some(d(2026, 1, 12)), window: 0 })
    );
    c.input.date = d(2026, 1, 12);
    assert_eq!(c.run(), Ok(Minutes(120)));
}

#[test]
fn month_closed() {
    // Now Mon 2 Feb; window: Fri 30 Jan (1), Thu 29 (2), Wed 28 (3) -> Fri 30 Jan is inside.
    let open = Case::new().now(at(d(2026, 2, 2), 9, 0)).date(d(2026, 1, 30));
    assert_eq!(open.run(), Ok(Minutes(120)));
    let mut closed = Case::new().now(at(d(2026, 2, 2), 9, 0)).date(d(2026, 1, 30));
    closed.closed = true;
    let err = closed.run().unwrap_err();
    assert_eq!(err, ActivityError::MonthClosed { month: "2026-01".parse().unwrap() });
    assert_eq!((err.code(), err.field()), ("month_closed", "date"));
}

#[test]
fn non_working_days() {
    // Saturday 10 Jan is inside the window of Monday 12 (earliest Wed 7).
    let sat = Case::new().date(d(2026, 1, 10));
    let err = sat.run().unwrap_err();
    assert_eq!(err, ActivityError::NonWorkingDay { date: d(2026, 1, 10) });
    assert_eq!((err.code(), err.field()), ("non_working_day", "date"));
    // Friday 16 Jan (Isra Mikraj) seen from Monday 19 (earliest Tue 13).
    let holiday = Case::new().now(at(d(2026, 1, 19), 9, 0)).date(d(2026, 1, 16));
    assert_eq!(holiday.run(), Err(ActivityError::NonWorkingDay { date: d(2026, 1, 16) }));
    // Allowed by policy: no schedule, so no hours check (06:00-08:00 is accepted):
    // 3 x 45 = 135, span 120 -> 120.
    let mut allowed = Case::new().date(d(2026, 1, 10)).times(t(6, 0), t(8, 0));
    allowed.params.allow_non_working_days = true;
    assert_eq!(allowed.run(), Ok(Minutes(120)));
}

#[test]
fn before_start_and_after_end_plus_overtime() {
    // Monday 12 Jan: 07:30-16:00, overtime before 0, after 120 -> window 07:30..=18:00.
    assert_eq!(Case::new().times(t(7, 30), t(9, 30)).run(), Ok(Minutes(120)));
    let err = Case::new().times(t(7, 29), t(9, 30)).run().unwrap_err();
    assert_eq!(err, ActivityError::BeforeWorkingHours { start: t(7, 29), earliest: t(7, 30) });
    assert_eq!((err.code(), err.field()), ("before_working_hours", "start"));
    // 16:00 + 120 min = 18:00.
    assert_eq!(Case::new().times(t(16, 0), t(18, 0)).run(), Ok(Minutes(120)));
    let err = Case::new().times(t(16, 0), t(18, 1)).run().unwrap_err();
    assert_eq!(err, ActivityError::AfterWorkingHours { end: t(18, 1), latest: t(18, 0) });
    assert_eq!((err.code(), err.field()), ("after_working_hours", "end"));
    // Friday 9 Jan ends at 16:30: 16:30 + 120 = 18:30.
    assert_eq!(Case::new().date(d(2026, 1, 9)).times(t(16, 30), t(18, 30)).run(), Ok(Minutes(120)));
    assert_eq!(
        Case::new().date(d(2026, 1, 9)).times(t(16, 30), t(18, 31)).run(),
        Err(ActivityError::AfterWorkingHours { end: t(18, 31), latest: t(18, 30) })
    );
    // Early overtime of 30 min: 07:30 - 30 = 07:00.
    let mut early = Case::new().times(t(7, 0), t(9, 0));
    early.params.overtime_before = Minutes(30);
    assert_eq!(early.run(), Ok(Minutes(120)));
    early.input.start = t(6, 59);
    assert_eq!(early.run(), Err(ActivityError::BeforeWorkingHours { start: t(6, 59), earliest: t(7, 0) }));
}

#[test]
fn ramadan_hours_apply_in_ramadan() {
    // Monday 2 March 2026 is in Ramadan: 08:00-15:00. 07:45 is before 08:00.
    let ramadan = Case::new().now(at(d(2026, 3, 2), 20, 0)).date(d(2026, 3, 2));
    let err = ramadan.times(t(7, 45), t(9, 0)).run().unwrap_err();
    assert_eq!(err, ActivityError::BeforeWorkingHours { start: t(7, 45), earliest: t(8, 0) });
    // The same times on a normal Tuesday (10 Feb, 07:30 start) are fine:
    // 3 x 45 = 135, span 07:45-09:00 = 75 -> 75.
    let normal = Case::new().now(at(d(2026, 2, 10), 20, 0)).date(d(2026, 2, 10)).times(t(7, 45), t(9, 0));
    assert_eq!(normal.run(), Ok(Minutes(75)));
    // Ramadan end 15:00 + 120 = 17:00.
    let ramadan = || Case::new().now(at(d(2026, 3, 2), 20, 0)).date(d(2026, 3, 2));
    assert_eq!(ramadan().times(t(15, 0), t(17, 0)).run(), Ok(Minutes(120)));
    assert_eq!(
        ramadan().times(t(15, 0), t(17, 1)).run(),
        Err(ActivityError::AfterWorkingHours { end: t(17, 1), latest: t(17, 0) })
    );
}

#[test]
fn overlap_and_touching() {
    let with = |s: NaiveTime, e: NaiveTime| {
        let mut c = Case::new().times(s, e);
        c.same_day = vec![(ActivityId(3), t(7, 30), t(8, 0)), (ActivityId(7), t(8, 0), t(9, 0))];
        c.run()
    };
    // 08:30-09:30 meets entry 7 (08:00-09:00) on 08:30-09:00.
    let err = with(t(8, 30), t(9, 30)).unwrap_err();
    assert_eq!(
        err,
        ActivityError::Overlap {
            start: t(8, 30),
            end: t(9, 30),
            other: ActivityId(7),
            other_start: t(8, 0),
            other_end: t(9, 0)
        }
    );
    assert_eq!((err.code(), err.field()), ("overlapping_entry", "start"));
    assert!(err.to_string().contains("entry 7"), "{err}");
    // Touching is not overlapping: 09:00-10:00 after 08:00-09:00 -> 3 x 45 = 135, span 60 -> 60.
    assert_eq!(with(t(9, 0), t(10, 0)), Ok(Minutes(60)));
    // Identical and enclosing spans overlap.
    assert!(matches!(with(t(8, 0), t(9, 0)), Err(ActivityError::Overlap { other: ActivityId(7), .. })));
    assert!(matches!(with(t(8, 15), t(8, 45)), Err(ActivityError::Overlap { other: ActivityId(7), .. })));
    // The first entry met is named: 07:45-08:30 meets 3 first.
    assert!(matches!(with(t(7, 45), t(8, 30)), Err(ActivityError::Overlap { other: ActivityId(3), .. })));
}

#[test]
fn task_not_theirs() {
    let mut c = Case::new();
    c.standard = None;
    let err = c.run().unwrap_err();
    assert_eq!(err, ActivityError::TaskNotAssigned { task: "SURAT".into(), date: d(2026, 1, 12) });
    assert_eq!((err.code(), err.field()), ("task_not_assigned", "task"));
}

#[test]
fn huge_quantity_overflows_only_without_span_cap() {
    let mut c = Case::new();
    c.input.quantity = i64::MAX;
    // With the span cap the credit is the span: 120.
    assert_eq!(c.run(), Ok(Minutes(120)));
    c.params.cap_by_time_span = false;
    assert_eq!(c.run(), Err(ActivityError::Overflow { quantity: i64::MAX, standard_minutes: Minutes(45) }));
}

#[test]
fn first_failing_check_wins() {
    // Quantity (1) before future date (3).
    let mut c = Case::new().date(d(2026, 1, 20));
    c.input.quantity = 0;
    assert_eq!(c.run().unwrap_err().code(), "non_positive_quantity");
    // Future date (3) before closed month (4).
    let mut c = Case::new().date(d(2026, 1, 20));
    c.closed = true;
    assert_eq!(c.run().unwrap_err().code(), "future_date");
    // Closed month (4) before the window (5) and the weekend (6).
    let mut c = Case::new().date(d(2026, 1, 3));
    c.closed = true;
    assert_eq!(c.run().unwrap_err().code(), "month_closed");
    // Window (5) before the weekend (6): Saturday 3 Jan from Monday 12.
    assert_eq!(Case::new().date(d(2026, 1, 3)).run().unwrap_err().code(), "outside_entry_window");
    // Hours (7) before overlap (9); overlap before the task (10).
    let mut c = Case::new().times(t(7, 0), t(9, 0));
    c.same_day = vec![(ActivityId(1), t(8, 0), t(9, 0))];
    c.standard = None;
    assert_eq!(c.run().unwrap_err().code(), "before_working_hours");
    c.input.start = t(8, 0);
    assert_eq!(c.run().unwrap_err().code(), "overlapping_entry");
}

#[test]
fn errors_become_problems() {
    let err = ActivityError::NonWorkingDay { date: d(2026, 1, 10) };
    let p = err.to_problem(Some(ActivityId(42)));
    assert_eq!((p.record.as_str(), p.id.as_str(), p.field.as_str()), ("activity", "42", "date"));
    assert_eq!(p.code, "non_working_day");
    assert_eq!(err.to_problem(None).id, "");
    let e: kinerja::Error = err.into();
    assert_eq!(e.code(), "non_working_day");
    let v: kinerja::Error = VerificationError::SelfVerification { entry: ActivityId(1) }.into();
    assert_eq!(v.code(), "self_verification");
}

// --- credited minutes of entries, daily cap --------------------------------------

fn entry() -> ActivityEntry {
    ActivityEntry::submitted(ActivityId(1), input(), Minutes(45), at(d(2026, 1, 12), 16, 0))
}

#[test]
fn entry_minutes_and_lower_approved_quantity() {
    let p = params();
    let mut e = entry();
    assert_eq!(e.status, VerificationStatus::Submitted);
    assert_eq!((e.revision, e.approved_quantity), (0, None));
    // Claimed 3 x 45 = 135, span 120 -> 120.
    assert_eq!(credited_minutes(&e, &p), Minutes(120));
    // Approved 2: 2 x 45 = 90 <= 120 -> 90.
    let tr = decide(
        &e,
        &Decision::Approve { quantity: Some(2) },
        &actor(KSU),
        VerifierRole::Definitive,
        at(d(2026, 1, 13), 9, 0),
        d(2026, 2, 6),
        false,
    )
    .unwrap();
    // The transition is of this entry, from its status (a journal's decisions are
    // compared with both before they are decided again on replay).
    assert_eq!((tr.entry, tr.from), (e.id, VerificationStatus::Submitted));
    apply(&mut e, &tr);
    assert_eq!(e.approved_quantity, Some(2));
    assert_eq!(effective_quantity(&e), 2);
    assert_eq!(credited_minutes(&e, &p), Minutes(90));
    let mut off = p.clone();
    off.cap_by_time_span = false;
    assert_eq!(credited_minutes(&e, &off), Minutes(90));
}

#[test]
fn daily_cap() {
    let p = params();
    // 120 + 180 + 200 = 500 > 450 -> 450.
    assert_eq!(cap_daily(Minutes(500), &p), Minutes(450));
    assert_eq!(cap_daily(Minutes(450), &p), Minutes(450));
    assert_eq!(cap_daily(Minutes(449), &p), Minutes(449));
    let mut off = p;
    off.cap_daily = false;
    assert_eq!(cap_daily(Minutes(500), &off), Minutes(500));
}

#[test]
fn what_counts_at_the_deadline() {
    let mut p = params();
    let e = entry(); // submitted, worth 120
    assert_eq!(pending_outcome(&p), None);
    assert_eq!(counted_minutes(&e, &p, false), Minutes::ZERO);
    assert_eq!(counted_minutes(&e, &p, true), Minutes::ZERO);
    p.pending_at_deadline = PendingAtDeadline::AutoApprove;
    assert_eq!(pending_outcome(&p), Some(VerificationStatus::Approved));
    assert_eq!(counted_minutes(&e, &p, false), Minutes::ZERO);
    assert_eq!(counted_minutes(&e, &p, true), Minutes(120));
    // Returned and rejected entries never count; approved ones always do.
    for (status, expected) in
        [(VerificationStatus::Returned, 0), (VerificationStatus::Rejected, 0), (VerificationStatus::Approved, 120)]
    {
        let mut x = entry();
        x.status = status;
        x.approved_quantity = (status == VerificationStatus::Approved).then_some(3);
        assert_eq!(counted_minutes(&x, &p, true), Minutes(expected), "{status}");
    }
}

// --- verification ----------------------------------------------------------------

const DEADLINE: fn() -> NaiveDate = || d(2026, 2, 6);

fn decide_at(e: &ActivityEntry, decision: Decision, when: NaiveDateTime) -> Result<Transition, VerificationError> {
    decide(e, &decision, &actor(KSU), VerifierRole::Definitive, when, DEADLINE(), false)
}

fn decide_now(e: &ActivityEntry, decision: Decision) -> Result<Transition, VerificationError> {
    decide_at(e, decision, at(d(2026, 1, 13), 9, 0))
}

#[test]
fn deadline_is_nth_working_day_after_month_end() {
    let cal = calendar();
    let p = params();
    // January ends Saturday 31: Mon 2 Feb (1), 3 (2), 4 (3), 5 (4), Fri 6 (5).
    assert_eq!(verification_deadline(&cal, "2026-01".parse().unwrap(), &p), Some(d(2026, 2, 6)));
    // May ends Sunday 31; Mon 1 June is Hari Lahir Pancasila: Tue 2 (1), 3 (2), 4 (3),
    // Fri 5 (4), Mon 8 (5).
    assert_eq!(verification_deadline(&cal, "2026-05".parse().unwrap(), &p), Some(d(2026, 6, 8)));
}

#[test]
fn submit_then_approve() {
    let mut e = entry();
    let tr = decide_now(&e, Decision::Approve { quantity: None }).unwrap();
    assert_eq!(
        tr,
        Transition {
            entry: ActivityId(1),
            by: actor(KSU),
            role: Some(VerifierRole::Definitive),
            at: at(d(2026, 1, 13), 9, 0),
            from: VerificationStatus::Submitted,
            to: VerificationStatus::Approved,
            reason: None,
            quantity: Some(3),
        }
    );
    apply(&mut e, &tr);
    assert_eq!((e.status, e.approved_quantity), (VerificationStatus::Approved, Some(3)));
}

#[test]
fn approved_quantity_bounds() {
    let e = entry(); // claimed 3
    for q in [1, 3] {
        assert_eq!(decide_now(&e, Decision::Approve { quantity: Some(q) }).unwrap().quantity, Some(q));
    }
    for q in [0, 4, -1] {
        let err = decide_now(&e, Decision::Approve { quantity: Some(q) }).unwrap_err();
        assert_eq!(err, VerificationError::QuantityOutOfRange { entry: ActivityId(1), quantity: q, claimed: 3 });
        assert_eq!((err.code(), err.field()), ("quantity_out_of_range", "approved_quantity"));
    }
}

#[test]
fn reject_and_return_with_reasons() {
    let mut e = entry();
    let tr = decide_now(&e, Decision::Reject { reason: "  Not a task of this position ".into() }).unwrap();
    assert_eq!((tr.from, tr.to), (VerificationStatus::Submitted, VerificationStatus::Rejected));
    assert_eq!(tr.reason.as_deref(), Some("Not a task of this position"));
    assert_eq!(tr.quantity, None);
    apply(&mut e, &tr);
    assert_eq!((e.status, e.approved_quantity), (VerificationStatus::Rejected, None));

    let e = entry();
    let tr = decide_now(&e, Decision::Return { reason: "Attach the letter numbers".into() }).unwrap();
    assert_eq!(tr.to, VerificationStatus::Returned);
    assert_eq!(tr.reason.as_deref(), Some("Attach the letter numbers"));
}

#[test]
fn empty_reason_refused() {
    let e = entry();
    for reason in ["", "   \t"] {
        let err = decide_now(&e, Decision::Reject { reason: reason.into() }).unwrap_err();
        assert_eq!(err, VerificationError::EmptyReason { entry: ActivityId(1), action: Action::Reject });
        assert_eq!((err.code(), err.field()), ("empty_reason", "reason"));
        let err = decide_now(&e, Decision::Return { reason: reason.into() }).unwrap_err();
        assert_eq!(err, VerificationError::EmptyReason { entry: ActivityId(1), action: Action::Return });
    }
}

#[test]
fn returned_resubmitted_approved() {
    let mut e = entry();
    let back = decide_now(&e, Decision::Return { reason: "Split into two entries".into() }).unwrap();
    apply(&mut e, &back);
    assert_eq!(e.status, VerificationStatus::Returned);
    // The employee may edit a returned entry (resubmitting is a separate step).
    assert_eq!(may_edit(&e, &actor(STAFF_A)), Ok(()));
    // Only the employee resubmits.
    assert_eq!(
        resubmit(&e, &actor(KSU), at(d(2026, 1, 14), 8, 0)),
        Err(VerificationError::NotOwner { entry: ActivityId(1), by: actor(KSU) })
    );
    let again = resubmit(&e, &actor(STAFF_A), at(d(2026, 1, 14), 8, 0)).unwrap();
    assert_eq!((again.from, again.to, again.role), (VerificationStatus::Returned, VerificationStatus::Submitted, None));
    apply(&mut e, &again);
    assert_eq!(e.status, VerificationStatus::Submitted);
    let ok = decide_at(&e, Decision::Approve { quantity: None }, at(d(2026, 1, 15), 8, 0)).unwrap();
    apply(&mut e, &ok);
    assert_eq!((e.status, e.approved_quantity), (VerificationStatus::Approved, Some(3)));
}

#[test]
fn invalid_transitions() {
    let decisions = || {
        [
            Decision::Approve { quantity: None },
            Decision::Reject { reason: "r".into() },
            Decision::Return { reason: "r".into() },
        ]
    };
    for from in [VerificationStatus::Approved, VerificationStatus::Rejected, VerificationStatus::Returned] {
        let mut e = entry();
        e.status = from;
        for dec in decisions() {
            let action = dec.action();
            let err = decide_now(&e, dec).unwrap_err();
            assert_eq!(err, VerificationError::InvalidTransition { entry: ActivityId(1), from, action });
            assert_eq!((err.code(), err.field()), ("invalid_transition", "status"));
        }
    }
    for from in [VerificationStatus::Submitted, VerificationStatus::Approved, VerificationStatus::Rejected] {
        let mut e = entry();
        e.status = from;
        assert_eq!(
            resubmit(&e, &actor(STAFF_A), at(d(2026, 1, 14), 8, 0)),
            Err(VerificationError::InvalidTransition { entry: ActivityId(1), from, action: Action::Resubmit })
        );
    }
}

#[test]
fn editing_rules() {
    let mut e = entry();
    assert_eq!(may_edit(&e, &actor(STAFF_A)), Ok(()));
    assert_eq!(
        may_edit(&e, &actor(STAFF_B)),
        Err(VerificationError::NotOwner { entry: ActivityId(1), by: actor(STAFF_B) })
    );
    for from in [VerificationStatus::Approved, VerificationStatus::Rejected] {
        e.status = from;
        let err = may_edit(&e, &actor(STAFF_A)).unwrap_err();
        assert_eq!(err, VerificationError::InvalidTransition { entry: ActivityId(1), from, action: Action::Edit });
    }
}

#[test]
fn deadline_and_closed_month() {
    let e = entry();
    // The deadline day itself, to its last minute, is allowed.
    assert!(decide_at(&e, Decision::Approve { quantity: None }, at(d(2026, 2, 6), 23, 59)).is_ok());
    let late = at(d(2026, 2, 7), 0, 0);
    let err = decide_at(&e, Decision::Approve { quantity: None }, late).unwrap_err();
    assert_eq!(err, VerificationError::DeadlinePassed { entry: ActivityId(1), deadline: d(2026, 2, 6), at: late });
    assert_eq!((err.code(), err.field()), ("deadline_passed", "decided_at"));
    // A closed month refuses even before the deadline.
    let err = decide(
        &e,
        &Decision::Approve { quantity: None },
        &actor(KSU),
        VerifierRole::Definitive,
        at(d(2026, 2, 2), 9, 0),
        DEADLINE(),
        true,
    )
    .unwrap_err();
    assert_eq!(err, VerificationError::MonthClosed { entry: ActivityId(1), month: "2026-01".parse().unwrap() });
    let p = err.to_problem();
    assert_eq!(
        (p.record.as_str(), p.id.as_str(), p.field.as_str(), p.code.as_str()),
        ("activity", "1", "date", "month_closed")
    );
}

#[test]
fn decide_refuses_the_employee_themself() {
    let e = entry();
    let err = decide(
        &e,
        &Decision::Approve { quantity: None },
        &actor(STAFF_A),
        VerifierRole::Definitive,
        at(d(2026, 1, 13), 9, 0),
        DEADLINE(),
        false,
    )
    .unwrap_err();
    assert_eq!(err, VerificationError::SelfVerification { entry: ActivityId(1) });
}

#[test]
fn serde_shapes() {
    assert_eq!(serde_json::to_string(&ActivityId(7)).unwrap(), "7");
    assert_eq!(serde_json::to_string(&VerificationStatus::Returned).unwrap(), "\"returned\"");
    assert_eq!(serde_json::to_string(&VerifierRole::Delegate).unwrap(), "\"delegate\"");
    assert_eq!(serde_json::to_string(&PendingAtDeadline::AutoApprove).unwrap(), "\"auto_approve\"");
    let dec: Decision = serde_json::from_str(r#"{"decision":"approve","quantity":2}"#).unwrap();
    assert_eq!(dec, Decision::Approve { quantity: Some(2) });
    let e = entry();
    let back: ActivityEntry = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
    assert_eq!(back, e);
}

// --- who may verify ----------------------------------------------------------------

fn pos(id: &str, supervisor: Option<&str>) -> Position {
    Position {
        id: id.into(),
        name: id.into(),
        kind: PositionKind::Executor,
        job_class: JobClass::new(7).unwrap(),
        unit: "DINAS".into(),
        supervisor: supervisor.map(Into::into),
        analysis: JobAnalysis::default(),
    }
}

fn emp(n: &str) -> Employee {
    Employee {
        nip: nip(n),
        name: n.into(),
        rank: "III/a".parse().unwrap(),
        employment: EmploymentType::Pns,
        rank_since: None,
    }
}

fn asg(n: &str, p: &str, kind: AssignmentKind, from: NaiveDate, until: Option<NaiveDate>) -> Assignment {
    Assignment { employee: nip(n), position: p.into(), kind, from, until }
}

/// ```text
/// KADIS
/// +-- KABID
///     +-- KASUBAG_UMUM   KSU definitive to 2026-01-31; KSK Plt 2026-02-01..=2026-03-31;
///     |   |              vacant from 2026-04-01 (escalates to KABID)
///     |   +-- STAFF      STAFF_A, STAFF_B
///     +-- KASUBAG_KEU    KSK
///     +-- KASUBAG_PROG   DELEG
/// ```
fn dinas() -> Organisation {
    use AssignmentKind::{Definitive, Plt};
    let unit = WorkUnit { id: "DINAS".into(), name: "Dinas".into(), parent: None };
    let positions = vec![
        pos("KADIS", None),
        pos("KABID", Some("KADIS")),
        pos("KASUBAG_UMUM", Some("KABID")),
        pos("KASUBAG_KEU", Some("KABID")),
        pos("KASUBAG_PROG", Some("KABID")),
        pos("STAFF", Some("KASUBAG_UMUM")),
    ];
    let employees = [KADIS, KABID, KSU, KSK, DELEG, STAFF_A, STAFF_B].map(emp).to_vec();
    let since = d(2020, 1, 1);
    let assignments = vec![
        asg(KADIS, "KADIS", Definitive, since, None),
        asg(KABID, "KABID", Definitive, since, None),
        asg(KSU, "KASUBAG_UMUM", Definitive, since, Some(d(2026, 1, 31))),
        asg(KSK, "KASUBAG_KEU", Definitive, since, None),
        asg(KSK, "KASUBAG_UMUM", Plt, d(2026, 2, 1), Some(d(2026, 3, 31))),
        asg(DELEG, "KASUBAG_PROG", Definitive, since, None),
        asg(STAFF_A, "STAFF", Definitive, since, None),
        asg(STAFF_B, "STAFF", Definitive, since, None),
    ];
    Organisation::new(vec![unit], positions, employees, assignments).unwrap()
}

fn delegation(position: &str, delegate: &str, from: NaiveDate, until: Option<NaiveDate>) -> Delegation {
    Delegation {
        position: position.into(),
        delegate: nip(delegate),
        from,
        until,
        reference: "Nota Dinas 800/12/2026".into(),
    }
}

fn auth(
    org: &Organisation,
    dels: &[Delegation],
    verifier: &str,
    date: NaiveDate,
) -> Result<VerifierRole, NotAuthorised> {
    let authorities = kinerja::access::Authorities::default();
    let access = kinerja::access::Access { org, delegations: dels, authorities: &authorities };
    authorise_verifier(&access, &actor(verifier), &nip(STAFF_A), date, date)
}

fn refused(verifier: &str, date: NaiveDate, expected: &str) -> Result<VerifierRole, NotAuthorised> {
    Err(NotAuthorised::NotTheSupervisor {
        verifier: nip(verifier),
        employee: nip(STAFF_A),
        date,
        expected_position: expected.into(),
    })
}

#[test]
fn self_peer_and_grand_supervisor_refused() {
    let org = dinas();
    let day = d(2026, 1, 12);
    // Even a delegation naming the employee does not let them verify themselves.
    let dels = [delegation("KASUBAG_UMUM", STAFF_A, d(2026, 1, 1), None)];
    assert_eq!(auth(&org, &dels, STAFF_A, day), Err(NotAuthorised::SelfVerification));
    assert_eq!(auth(&org, &[], STAFF_B, day), refused(STAFF_B, day, "KASUBAG_UMUM"));
    assert_eq!(auth(&org, &[], KABID, day), refused(KABID, day, "KASUBAG_UMUM"));
    assert_eq!(auth(&org, &[], KSU, day), Ok(VerifierRole::Definitive));
    // KSU's last day is 31 Jan (inclusive).
    assert_eq!(auth(&org, &[], KSU, d(2026, 1, 31)), Ok(VerifierRole::Definitive));
    // From 1 February KSU holds no post at all: no longer in service, so not a verifier.
    assert_eq!(
        auth(&org, &[], KSU, d(2026, 2, 2)),
        Err(NotAuthorised::NotInService { actor: KSU.into(), date: d(2026, 2, 2) })
    );
}

#[test]
fn plt_only_within_their_dates() {
    let org = dinas();
    assert_eq!(auth(&org, &[], KSK, d(2026, 1, 30)), refused(KSK, d(2026, 1, 30), "KASUBAG_UMUM"));
    assert_eq!(auth(&org, &[], KSK, d(2026, 2, 1)), Ok(VerifierRole::Plt)); // first day
    assert_eq!(auth(&org, &[], KSK, d(2026, 3, 31)), Ok(VerifierRole::Plt)); // last day
    // From 1 April the position is vacant: escalation to KABID.
    assert_eq!(auth(&org, &[], KSK, d(2026, 4, 1)), refused(KSK, d(2026, 4, 1), "KABID"));
    assert_eq!(auth(&org, &[], KABID, d(2026, 4, 1)), Ok(VerifierRole::Definitive));
}

#[test]
fn delegate_only_within_their_window() {
    let org = dinas();
    let dels = [delegation("KASUBAG_UMUM", DELEG, d(2026, 1, 5), Some(d(2026, 1, 9)))];
    assert_eq!(auth(&org, &dels, DELEG, d(2026, 1, 5)), Ok(VerifierRole::Delegate)); // first day
    assert_eq!(auth(&org, &dels, DELEG, d(2026, 1, 9)), Ok(VerifierRole::Delegate)); // last day
    assert_eq!(auth(&org, &dels, DELEG, d(2026, 1, 2)), refused(DELEG, d(2026, 1, 2), "KASUBAG_UMUM"));
    assert_eq!(auth(&org, &dels, DELEG, d(2026, 1, 12)), refused(DELEG, d(2026, 1, 12), "KASUBAG_UMUM"));
    // The definitive holder keeps the right during a delegation.
    assert_eq!(auth(&org, &dels, KSU, d(2026, 1, 7)), Ok(VerifierRole::Definitive));
    // A delegation of another position, or to someone else, does not help.
    let other = [
        delegation("KASUBAG_KEU", DELEG, d(2026, 1, 1), None),
        delegation("KASUBAG_UMUM", STAFF_B, d(2026, 1, 1), None),
    ];
    assert_eq!(auth(&org, &other, DELEG, d(2026, 1, 7)), refused(DELEG, d(2026, 1, 7), "KASUBAG_UMUM"));
}

#[test]
fn delegation_follows_the_resolved_position() {
    let org = dinas();
    // From 1 April KASUBAG_UMUM is vacant and STAFF_A's work goes to KABID: a delegation
    // of KASUBAG_UMUM no longer applies, one of KABID does.
    let of_kasubag = [delegation("KASUBAG_UMUM", DELEG, d(2026, 4, 1), None)];
    assert_eq!(auth(&org, &of_kasubag, DELEG, d(2026, 4, 1)), refused(DELEG, d(2026, 4, 1), "KABID"));
    let of_kabid = [delegation("KABID", DELEG, d(2026, 4, 1), None)];
    assert_eq!(auth(&org, &of_kabid, DELEG, d(2026, 4, 1)), Ok(VerifierRole::Delegate));
    assert_eq!(auth(&org, &of_kabid, DELEG, d(2026, 12, 31)), Ok(VerifierRole::Delegate)); // open-ended
    // In March (Plt in office) a KABID delegation in force does not reach STAFF_A.
    let all_year = [delegation("KABID", DELEG, d(2026, 1, 1), None)];
    assert_eq!(auth(&org, &all_year, DELEG, d(2026, 3, 2)), refused(DELEG, d(2026, 3, 2), "KASUBAG_UMUM"));
    assert_eq!(auth(&org, &all_year, DELEG, d(2026, 4, 1)), Ok(VerifierRole::Delegate));
}
