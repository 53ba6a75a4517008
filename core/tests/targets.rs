//! Performance targets: yearly shares of the workload, monthly quantities and the
//! monthly minute target, hand-computed.
//!
//! October 2026 in `WorkCalendar::indonesia_2026()` (1 October is a Thursday, no
//! holiday in the month):
//!
//! ```text
//!  Mo Tu We Th Fr Sa Su
//!           1  2  3  4      working: 1, 2             =  2
//!   5  6  7  8  9 10 11              5-9              =  5
//!  12 13 14 15 16 17 18              12-16            =  5
//!  19 20 21 22 23 24 25              19-23            =  5
//!  26 27 28 29 30 31                 26-30            =  5
//!                                                       22 working days
//! ```
//!
//! August 2026: 21 weekdays (3-7, 10-14, 17-21, 24-28, 31) less Independence Day
//! (Mon 17) and Maulid Nabi (Tue 25) = 19 working days.

use chrono::NaiveDate;
use kinerja::abk::{AbkParams, GradeBands};
use kinerja::anjab::{JobAnalysis, Task, Volume, VolumePeriod};
use kinerja::calendar::{CompiledCalendar, WorkCalendar};
use kinerja::org::*;
use kinerja::policy::Policy;
use kinerja::targets::*;
use kinerja::{Minutes, TaskId, YearMonth};
use rust_decimal::Decimal;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

fn nip(s: &str) -> Nip {
    s.parse().expect("valid test NIP")
}

fn dec(s: &str) -> Decimal {
    s.parse().expect("valid test decimal")
}

fn month(s: &str) -> YearMonth {
    s.parse().expect("valid test month")
}

fn dates(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    from.iter_days().take_while(|x| *x <= to).collect()
}

// People of the fixture.
const FULL: &str = "197001012000011001"; // STAFF all along
const JOINER: &str = "197502022001121002"; // STAFF from Thu 2026-10-15
const RETIREE: &str = "197606062002031003"; // STAFF until Fri 2026-10-09
const LEAVE: &str = "198003032005011004"; // STAFF all along (takes leave in the tests)
const TRANSFER: &str = "198104042006042005"; // STAFF until 2026-10-14, then OTHER
const BOSS: &str = "198503152010011001"; // KASUBAG all along
const ACTOR: &str = "199001012015022001"; // Plt KASUBAG 10-01..=10-16, OTHER from Mon 10-19

fn task(id: &str, quantity: i64, per: VolumePeriod, minutes: i64) -> Task {
    Task {
        id: id.into(),
        name: id.into(),
        output: "dokumen".into(),
        output_unit: "dokumen".into(),
        standard_minutes: Minutes(minutes),
        volume: Volume { quantity: Decimal::from(quantity), per },
        group: None,
    }
}

fn position(id: &str, supervisor: Option<&str>, tasks: Vec<Task>) -> Position {
    Position {
        id: id.into(),
        name: id.into(),
        kind: PositionKind::Executor,
        job_class: JobClass::new(6).expect("valid class"),
        unit: "DINAS".into(),
        supervisor: supervisor.map(Into::into),
        analysis: JobAnalysis { tasks, ..JobAnalysis::default() },
    }
}

fn org() -> Organisation {
    use AssignmentKind::{Definitive, Plt};
    let emp = |n: &str| Employee {
        nip: nip(n),
        name: n.into(),
        rank: "III/a".parse().expect("valid rank"),
        employment: EmploymentType::Pns,
        rank_since: None,
    };
    let asg =
        |n: &str, p: &str, kind, from, until| Assignment { employee: nip(n), position: p.into(), kind, from, until };
    Organisation::new(
        vec![WorkUnit { id: "DINAS".into(), name: "Dinas".into(), parent: None }],
        vec![
            position("KASUBAG", None, vec![task("RAPAT", 24, VolumePeriod::Year, 120)]),
            position(
                "STAFF",
                Some("KASUBAG"),
                vec![
                    task("LAPORAN", 1_000, VolumePeriod::Year, 30), // 1,000 reports a year
                    task("SURAT", 2, VolumePeriod::Day, 15),        // 2 x 250 days = 500 letters a year
                ],
            ),
            position("OTHER", Some("KASUBAG"), vec![task("ARSIP", 10, VolumePeriod::Month, 60)]),
        ],
        [FULL, JOINER, RETIREE, LEAVE, TRANSFER, BOSS, ACTOR].into_iter().map(emp).collect(),
        vec![
            asg(FULL, "STAFF", Definitive, d(2020, 1, 1), None),
            asg(JOINER, "STAFF", Definitive, d(2026, 10, 15), None),
            asg(RETIREE, "STAFF", Definitive, d(2010, 3, 1), Some(d(2026, 10, 9))),
            asg(LEAVE, "STAFF", Definitive, d(2020, 1, 1), None),
            asg(TRANSFER, "STAFF", Definitive, d(2020, 1, 1), Some(d(2026, 10, 14))),
            asg(TRANSFER, "OTHER", Definitive, d(2026, 10, 15), None),
            asg(BOSS, "KASUBAG", Definitive, d(2020, 1, 1), None),
            asg(ACTOR, "KASUBAG", Plt, d(2026, 10, 1), Some(d(2026, 10, 16))),
            asg(ACTOR, "OTHER", Definitive, d(2026, 10, 19), None),
        ],
    )
    .expect("valid fixture")
}

fn abk() -> AbkParams {
    AbkParams {
        effective_minutes_per_year: 75_000,
        days_per_year: 250,
        weeks_per_year: 50,
        months_per_year: 12,
        grade_bands: GradeBands::permenpan_1_2020(),
    }
}

fn params(daily: i64) -> TargetParams {
    TargetParams { daily_minutes: Minutes(daily), reducing_absences: vec!["leave.annual".into(), "sick".into()] }
}

fn compiled(m: &str) -> CompiledCalendar {
    WorkCalendar::indonesia_2026().compile(month(m).range())
}

fn target(who: &str, m: &str, reduced: &[NaiveDate]) -> MonthTarget {
    month_target(&org(), &compiled(m), &nip(who), month(m), reduced, &params(300)).expect("target")
}

// --- the monthly minute target ----------------------------------------------------

#[test]
fn full_month_employee() {
    // 22 working days x 300 = 6,600 minutes.
    let t = target(FULL, "2026-10", &[]);
    assert_eq!(t.employee, nip(FULL));
    assert_eq!(t.month, month("2026-10"));
    assert_eq!(t.calendar_working_days, 22);
    assert_eq!(t.assigned_working_days, 22);
    assert_eq!(t.reduced_days, 0);
    assert_eq!(t.target_days, 22);
    assert_eq!(t.daily_minutes, Minutes(300));
    assert_eq!(t.target_minutes, Minutes(6_600));
}

#[test]
fn august_has_two_holidays() {
    // 19 working days x 300 = 5,700 minutes.
    let t = target(FULL, "2026-08", &[]);
    assert_eq!((t.calendar_working_days, t.target_days), (19, 19));
    assert_eq!(t.target_minutes, Minutes(5_700));
}

#[test]
fn mid_month_joiner() {
    // Definitive from Thu 15 Oct: 15, 16 + 19-23 + 26-30 = 2 + 5 + 5 = 12 days x 300 = 3,600.
    let t = target(JOINER, "2026-10", &[]);
    assert_eq!((t.calendar_working_days, t.assigned_working_days, t.target_days), (22, 12, 12));
    assert_eq!(t.target_minutes, Minutes(3_600));
    // Leave before joining reduces nothing: still 12 days.
    let t = target(JOINER, "2026-10", &[d(2026, 10, 5), d(2026, 10, 14)]);
    assert_eq!((t.reduced_days, t.target_minutes), (0, Minutes(3_600)));
    // Leave on the first day in post does: 11 x 300 = 3,300.
    let t = target(JOINER, "2026-10", &[d(2026, 10, 15)]);
    assert_eq!((t.reduced_days, t.target_minutes), (1, Minutes(3_300)));
}

#[test]
fn retiree_leaving_on_the_ninth() {
    // Last day Fri 9 Oct: 1, 2, 5, 6, 7, 8, 9 = 7 days x 300 = 2,100.
    let t = target(RETIREE, "2026-10", &[]);
    assert_eq!((t.assigned_working_days, t.target_days), (7, 7));
    assert_eq!(t.target_minutes, Minutes(2_100));
    // The month after: nothing owed.
    let t = target(RETIREE, "2026-11", &[]);
    assert_eq!((t.assigned_working_days, t.target_minutes), (0, Minutes::ZERO));
}

#[test]
fn annual_leave_reduces_working_days_only() {
    // Annual leave Mon 5 - Fri 9 Oct: 5 working days; 22 - 5 = 17 x 300 = 5,100.
    let t = target(LEAVE, "2026-10", &dates(d(2026, 10, 5), d(2026, 10, 9)));
    assert_eq!((t.assigned_working_days, t.reduced_days, t.target_days), (22, 5, 17));
    assert_eq!(t.target_minutes, Minutes(5_100));

    // Leave Fri 9 - Mon 12 Oct spans a weekend: only Fri 9 and Mon 12 are working days.
    // 22 - 2 = 20 x 300 = 6,000.
    let t = target(LEAVE, "2026-10", &dates(d(2026, 10, 9), d(2026, 10, 12)));
    assert_eq!((t.reduced_days, t.target_minutes), (2, Minutes(6_000)));

    // Dates outside the month reduce nothing (leave 28 Sep - 2 Oct: only 1 and 2 Oct count).
    // 22 - 2 = 20 x 300 = 6,000.
    let t = target(LEAVE, "2026-10", &dates(d(2026, 9, 28), d(2026, 10, 2)));
    assert_eq!((t.reduced_days, t.target_minutes), (2, Minutes(6_000)));
}

#[test]
fn only_reducing_kinds_reduce_and_overlaps_count_once() {
    // The caller filters absences by kind with the policy's list.
    let p = TargetParams::from_policy(&Policy::national(), d(2026, 10, 1)).expect("national params").params;
    let absences: Vec<(NaiveDate, &str)> = dates(d(2026, 10, 5), d(2026, 10, 9))
        .into_iter()
        .map(|x| (x, "leave.annual")) // Mon 5 - Fri 9: 5 days
        .chain(dates(d(2026, 10, 8), d(2026, 10, 9)).into_iter().map(|x| (x, "sick_with_note"))) // Thu 8, Fri 9 again
        .chain(dates(d(2026, 10, 12), d(2026, 10, 14)).into_iter().map(|x| (x, "official_travel"))) // 3 days, not reducing
        .chain([(d(2026, 10, 15), "permit"), (d(2026, 10, 16), "unexcused")]) // not reducing
        .collect();
    let reduced: Vec<NaiveDate> =
        absences.iter().filter(|(_, code)| p.reduces_target(code)).map(|(date, _)| *date).collect();
    assert_eq!(reduced.len(), 7); // 5 leave + 2 sick, two of them the same days
    let t = month_target(&org(), &compiled("2026-10"), &nip(LEAVE), month("2026-10"), &reduced, &p).expect("target");
    // Distinct reduced working days: 5, 6, 7, 8, 9 = 5; 22 - 5 = 17 x 300 = 5,100.
    assert_eq!((t.reduced_days, t.target_days), (5, 17));
    assert_eq!(t.target_minutes, Minutes(5_100));
}

#[test]
fn transfer_mid_month_counts_the_whole_month() {
    // STAFF 1-14 Oct (2 + 5 + 3 = 10 days) and OTHER 15-31 Oct (12 days): 22 x 300 = 6,600.
    let t = target(TRANSFER, "2026-10", &[]);
    assert_eq!((t.assigned_working_days, t.target_minutes), (22, Minutes(6_600)));
}

#[test]
fn acting_assignments_add_no_days() {
    // Plt KASUBAG 1-16 Oct counts nothing; definitive OTHER from Mon 19 Oct:
    // 19-23 + 26-30 = 10 days x 300 = 3,000.
    let t = target(ACTOR, "2026-10", &[]);
    assert_eq!((t.assigned_working_days, t.target_minutes), (10, Minutes(3_000)));
}

#[test]
fn month_targets_match_the_single_calls_in_employee_order() {
    let org = org();
    let cal = compiled("2026-10");
    let leave = dates(d(2026, 10, 5), d(2026, 10, 9));
    let none: &[NaiveDate] = &[];
    let idx = org.employee_index(&nip(LEAVE)).expect("known");
    let all = month_targets(&org, &cal, month("2026-10"), |i| if i == idx { &leave } else { none }, &params(300))
        .expect("targets");
    assert_eq!(all.len(), 7);
    let minutes: Vec<i64> = all.iter().map(|t| t.target_minutes.get()).collect();
    // FULL 22, JOINER 12, RETIREE 7, LEAVE 17, TRANSFER 22, BOSS 22, ACTOR 10 days, x 300.
    assert_eq!(minutes, [6_600, 3_600, 2_100, 5_100, 6_600, 6_600, 3_000]);
    for (e, t) in org.employees().iter().zip(&all) {
        let reduced = if e.nip == nip(LEAVE) { &leave[..] } else { none };
        let one = month_target(&org, &cal, &e.nip, month("2026-10"), reduced, &params(300)).expect("target");
        assert_eq!(&one, t);
    }
}

#[test]
fn a_compiled_year_serves_every_month() {
    let year =
        WorkCalendar::indonesia_2026().compile(kinerja::DateRange::new(d(2026, 1, 1), d(2026, 12, 31)).expect("range"));
    let t = month_target(&org(), &year, &nip(FULL), month("2026-08"), &[], &params(300)).expect("target");
    assert_eq!(t.target_minutes, Minutes(5_700)); // 19 x 300
}

#[test]
fn errors_name_what_is_wrong() {
    let org = org();
    let stranger = nip("199212122020121001");
    let e = month_target(&org, &compiled("2026-10"), &stranger, month("2026-10"), &[], &params(300)).unwrap_err();
    assert_eq!(e, TargetError::UnknownEmployee { nip: stranger });
    assert_eq!(e.code(), "unknown_employee");

    // A calendar compiled for 1-30 October misses the 31st.
    let short = WorkCalendar::indonesia_2026()
        .compile(kinerja::DateRange::new(d(2026, 10, 1), d(2026, 10, 30)).expect("range"));
    let e = month_target(&org, &short, &nip(FULL), month("2026-10"), &[], &params(300)).unwrap_err();
    assert_eq!(e.code(), "calendar_range");
    assert!(e.to_string().contains("2026-10"), "{e}");
    // ...but covers September's last day? No: it starts 1 October.
    assert!(month_targets(&org, &short, month("2026-09"), |_| &[], &params(300)).is_err());

    // Daily minutes bounds: 0 and 1,441 refused, 1 and 1,440 accepted (22 x 1,440 = 31,680).
    for bad in [0, -300, 1_441] {
        let e = month_target(&org, &compiled("2026-10"), &nip(FULL), month("2026-10"), &[], &params(bad)).unwrap_err();
        assert_eq!(e, TargetError::DailyMinutes { value: bad });
        assert_eq!(e.code(), "invalid_params");
    }
    let t = month_target(&org, &compiled("2026-10"), &nip(FULL), month("2026-10"), &[], &params(1_440)).expect("ok");
    assert_eq!(t.target_minutes, Minutes(31_680));
    let t = month_target(&org, &compiled("2026-10"), &nip(FULL), month("2026-10"), &[], &params(1)).expect("ok");
    assert_eq!(t.target_minutes, Minutes(22));
}

// --- policy -------------------------------------------------------------------------

#[test]
fn national_policy_sets_300_minutes_and_the_leave_kinds() {
    let bound = TargetParams::from_policy(&Policy::national(), d(2026, 10, 1)).expect("national");
    let p = &bound.params;
    assert_eq!(p.daily_minutes, Minutes(300));
    for code in [
        "leave.annual",
        "leave.long",
        "leave.sick",
        "leave.maternity",
        "leave.important_reason",
        "leave.collective",
        "leave.unpaid",
        "sick",
        "sick_with_note",
    ] {
        assert!(p.reduces_target(code), "{code} reduces");
    }
    for code in ["official_travel", "permit", "unexcused", "off_site_half_day"] {
        assert!(!p.reduces_target(code), "{code} does not reduce");
    }
    assert!(p.validate().is_ok());
    let keys: Vec<&str> = bound.provenance.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, ["targets.daily_minutes", "targets.reducing_absences"]);
    assert!(bound.provenance[0].reference.contains("PermenPAN-RB No. 1 Tahun 2020"));
    // Before 2020 the 300 minutes come from the older guidance.
    let old = TargetParams::from_policy(&Policy::national(), d(2019, 12, 31)).expect("national 2019");
    assert_eq!(old.params.daily_minutes, Minutes(300));
    assert!(old.provenance[0].reference.contains("Permendagri No. 12 Tahun 2008"));
}

const KALBAR: &str = r#"
[layer]
name = "Provinsi Contoh"
[[targets.daily_minutes]]
from = 2026-01-01
value = 510
ref = "Peraturan Gubernur Contoh No. 1 Tahun 2026, Pasal 4 (fictional; 510 min/day as seen in Kalimantan Barat 2026)"
"#;

#[test]
fn city_layer_sets_510_minutes_from_2026() {
    let policy = Policy::national().with_toml("kalbar.toml", KALBAR).expect("layer loads");
    let bound = TargetParams::from_policy(&policy, d(2026, 10, 1)).expect("params");
    assert_eq!(bound.params.daily_minutes, Minutes(510));
    assert_eq!(bound.provenance[0].layer, "Provinsi Contoh");
    // The absence list still comes from the national layer.
    assert_eq!(bound.provenance[1].layer, "national");
    // 22 working days x 510 = 11,220 minutes.
    let t =
        month_target(&org(), &compiled("2026-10"), &nip(FULL), month("2026-10"), &[], &bound.params).expect("target");
    assert_eq!(t.target_minutes, Minutes(11_220));
    // The day before the city's rule the national 300 applies.
    let dec31 = TargetParams::from_policy(&policy, d(2025, 12, 31)).expect("params");
    assert_eq!(dec31.params.daily_minutes, Minutes(300));
}

#[test]
fn policy_files_are_checked() {
    let bad = r#"
[layer]
name = "Kota Salah"
[[targets.daily_minutes]]
from = 2026-01-01
value = 1441
ref = "Perwal"
[[targets.reducing_absences]]
from = 2026-01-01
value = ["leave.annual", "holiday", "leave.annual", 3]
ref = "Perwal"
"#;
    let err = Policy::national().with_toml("salah.toml", bad).unwrap_err();
    let problems: Vec<(&str, &str)> = err.problems().iter().map(|p| (p.id.as_str(), p.code.as_str())).collect();
    assert_eq!(
        problems,
        [("targets.daily_minutes", "out_of_range"), ("targets.reducing_absences", "invalid_value")],
        "{err}"
    );
    let msg = &err.problems()[1].message;
    assert!(msg.contains("[1]: `holiday` is not an absence kind"), "{msg}");
    assert!(msg.contains("[2]: `leave.annual` is listed twice"), "{msg}");
    assert!(msg.contains("[3]: expected an absence-kind code (text), found integer"), "{msg}");

    // An empty list is allowed: nothing reduces the target.
    let empty =
        "[layer]\nname = \"x\"\n[[targets.reducing_absences]]\nfrom = 2026-01-01\nvalue = []\nref = \"Perwal\"\n";
    let p = Policy::national().with_toml("x.toml", empty).expect("loads");
    assert!(TargetParams::from_policy(&p, d(2026, 1, 1)).expect("params").params.reducing_absences.is_empty());

    // Hand-built parameters are checked too.
    let hand = TargetParams { daily_minutes: Minutes(0), reducing_absences: vec!["cuti".into()] };
    let e = hand.validate().unwrap_err();
    let fields: Vec<&str> = e.problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["daily_minutes", "reducing_absences[0]"]);
}

// --- yearly targets -----------------------------------------------------------------

fn task_of<'a>(t: &'a YearlyTarget, id: &str) -> &'a TaskTarget {
    t.tasks.iter().find(|x| x.task == TaskId::from(id)).expect("task present")
}

#[test]
fn even_split_among_four_holders() {
    // STAFF on 1 Oct 2026: FULL, RETIREE, LEAVE, TRANSFER = 4 holders (JOINER starts 15 Oct).
    let all = yearly_targets(&org(), &abk(), 2026, d(2026, 10, 1), &[]).expect("targets");
    // Employees with a definitive position on 1 Oct, in employee order: ACTOR (only Plt) and
    // JOINER are left out.
    let who: Vec<Nip> = all.iter().map(|t| t.employee.clone()).collect();
    assert_eq!(who, [nip(FULL), nip(RETIREE), nip(LEAVE), nip(TRANSFER), nip(BOSS)]);
    for t in all.iter().take(4) {
        assert_eq!(t.position.as_str(), "STAFF");
        assert_eq!(t.year, 2026);
        // LAPORAN: 1,000 / 4 = 250 reports x 30 min = 7,500 min.
        let l = task_of(t, "LAPORAN");
        assert_eq!((l.share, l.annual_quantity, l.annual_minutes), (dec("0.25"), dec("250"), dec("7500")));
        assert_eq!(l.standard_minutes, Minutes(30));
        // SURAT: 2/day x 250 days = 500 / 4 = 125 letters x 15 min = 1,875 min.
        let s = task_of(t, "SURAT");
        assert_eq!((s.annual_quantity, s.annual_minutes), (dec("125"), dec("1875")));
        // 7,500 + 1,875 = 9,375 min a year.
        assert_eq!(t.annual_minutes, dec("9375"));
    }
    // BOSS alone in KASUBAG: 24 meetings x 120 = 2,880 min.
    assert_eq!(all[4].annual_minutes, dec("2880"));
}

#[test]
fn even_split_among_three_divides_once() {
    // On 10 Oct RETIREE has left: 3 holders. 1,000 / 3 = 333.333... reports (29 significant digits, the
    // most a Decimal's 96-bit mantissa holds here), but the
    // minutes are 1,000 x 30 / 3 = 10,000 exactly, not 333.33...3 x 30.
    let all = yearly_targets(&org(), &abk(), 2026, d(2026, 10, 10), &[]).expect("targets");
    let full = &all[0];
    let l = task_of(full, "LAPORAN");
    assert_eq!(l.annual_quantity, dec("333.33333333333333333333333333"));
    assert_eq!(l.annual_minutes, dec("10000"));
    // SURAT: 500 x 15 / 3 = 2,500; total 12,500.
    assert_eq!(full.annual_minutes, dec("12500"));
}

#[test]
fn explicit_share_overrides_the_even_split_of_its_task() {
    let share = |who: &str, task: &str, s: &str| TargetShare { employee: nip(who), task: task.into(), share: dec(s) };
    let all = yearly_targets(&org(), &abk(), 2026, d(2026, 10, 1), &[share(FULL, "LAPORAN", "0.4")]).expect("targets");
    // FULL: 0.4 x 1,000 = 400 reports x 30 = 12,000 min; SURAT still even: 1,875. Total 13,875.
    let l = task_of(&all[0], "LAPORAN");
    assert_eq!((l.share, l.annual_quantity, l.annual_minutes), (dec("0.4"), dec("400"), dec("12000")));
    assert_eq!(all[0].annual_minutes, dec("13875"));
    // The other holders get none of LAPORAN (the remaining 0.6 is unassigned), SURAT even: 1,875.
    for t in &all[1..4] {
        let l = task_of(t, "LAPORAN");
        assert_eq!((l.share, l.annual_quantity, l.annual_minutes), (dec("0"), dec("0"), dec("0")));
        assert_eq!(t.annual_minutes, dec("1875"));
    }

    // Shares summing to exactly 1 are accepted: 0.4 + 0.3 + 0.2 + 0.1 = 1.0.
    let whole = [share(FULL, "LAPORAN", "0.4"), share(RETIREE, "LAPORAN", "0.3"), share(LEAVE, "LAPORAN", "0.2")];
    let mut whole = whole.to_vec();
    whole.push(share(TRANSFER, "LAPORAN", "0.1"));
    let all = yearly_targets(&org(), &abk(), 2026, d(2026, 10, 1), &whole).expect("sum of 1 is fine");
    // TRANSFER: 0.1 x 1,000 = 100 reports.
    assert_eq!(task_of(&all[3], "LAPORAN").annual_quantity, dec("100"));
}

#[test]
fn bad_shares_are_all_reported() {
    let share = |who: &str, task: &str, s: &str| TargetShare { employee: nip(who), task: task.into(), share: dec(s) };
    let shares = [
        share(FULL, "LAPORAN", "0.4"),
        share(LEAVE, "LAPORAN", "0.7"),              // 0.4 + 0.7 = 1.1 > 1
        share(BOSS, "LAPORAN", "0.1"),               // BOSS holds KASUBAG, not STAFF
        share(JOINER, "SURAT", "0.5"),               // JOINER is not yet in post on 1 Oct
        share(FULL, "NOPE", "0.5"),                  // no such task
        share(RETIREE, "SURAT", "1.5"),              // not a fraction
        share("199212122020121001", "SURAT", "0.1"), // not in the organisation
        share(FULL, "LAPORAN", "0"),                 // FULL given LAPORAN twice
    ];
    let err = yearly_targets(&org(), &abk(), 2026, d(2026, 10, 1), &shares).unwrap_err();
    let got: Vec<(&str, &str, &str, &str)> =
        err.problems.iter().map(|p| (p.record.as_str(), p.id.as_str(), p.field.as_str(), p.code.as_str())).collect();
    assert_eq!(
        got,
        [
            ("target_share", "198503152010011001/LAPORAN", "employee", "not_a_holder"),
            ("target_share", "197502022001121002/SURAT", "employee", "not_a_holder"),
            ("target_share", "197001012000011001/NOPE", "task", "unknown_reference"),
            ("target_share", "197606062002031003/SURAT", "share", "out_of_range"),
            ("target_share", "199212122020121001/SURAT", "employee", "unknown_reference"),
            ("target_share", "197001012000011001/LAPORAN", "task", "duplicate_share"),
            ("target_share", "LAPORAN", "share", "shares_exceed_one"),
        ]
    );
    let exceed = err.problems.last().expect("problem");
    assert!(exceed.message.contains("1.1"), "{}", exceed.message);
}

// --- monthly quantities -------------------------------------------------------------

#[test]
fn monthly_quantity_is_proportional_to_working_days() {
    // 250 x 22 / 240 = 5,500 / 240 = 275 / 12 = 22.91666...; a Decimal holds
    // 29 significant digits of it here (mantissa 22,916,666,666,666,666,666,666,666,667 < 2^96), last digit rounded up.
    let q = monthly_quantity(dec("250"), 22, 240).expect("fits");
    assert_eq!(q, dec("22.916666666666666666666666667"));
    // 240 x 22 / 240 = 22 exactly; 1,000 x 19 / 250 = 76 exactly.
    assert_eq!(monthly_quantity(dec("240"), 22, 240), Ok(dec("22")));
    assert_eq!(monthly_quantity(dec("1000"), 19, 250), Ok(dec("76")));
    // A whole year's working days give back the annual quantity.
    assert_eq!(monthly_quantity(dec("333.5"), 240, 240), Ok(dec("333.5")));
    // No working days in the year: zero, not a division by zero. No working days in the month: zero.
    assert_eq!(monthly_quantity(dec("250"), 22, 0), Ok(Decimal::ZERO));
    assert_eq!(monthly_quantity(dec("250"), 0, 240), Ok(Decimal::ZERO));
    // Overflow is an error, not a panic.
    assert!(monthly_quantity(Decimal::MAX, 2, 240).is_err());
}

#[test]
fn monthly_quantities_from_the_calendar() {
    // 2026 in the national calendar: the months' working days add up to the year's.
    let cal = WorkCalendar::indonesia_2026();
    let year = kinerja::DateRange::new(d(2026, 1, 1), d(2026, 12, 31)).expect("range");
    let year_wd = cal.working_days(year);
    let months: u32 = (1..=12).map(|m| cal.working_days_in_month(YearMonth::new(2026, m).expect("month"))).sum();
    assert_eq!(months, year_wd);
    // October: 22 of the year's days.
    let oct = cal.working_days_in_month(month("2026-10"));
    assert_eq!(oct, 22);
    let q = monthly_quantity(Decimal::from(year_wd), oct, year_wd).expect("fits");
    assert_eq!(q, dec("22")); // one report per working day -> 22 in October
}
