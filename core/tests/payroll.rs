//! Paying the month: the recap and the city's records become allowance inputs,
//! and the slips add up per unit and city.

use kinerja::activity::{ActivityInput, Decision};
use kinerja::allowance::arrears;
use kinerja::attendance::{ClockDirection, ClockEvent, ClockSource};
use kinerja::dataset::Dataset;
use kinerja::ledger::{Command, Ledger, MonthContext};
use kinerja::payroll::{allowance_input, pay_city, what_if};
use kinerja::policy::Policy;
use kinerja::recap::monthly_recap;
use kinerja::{Minutes, Money, YearMonth};

mod common;
use common::*;

/// The test city plus: the staff member's salary, a Plt of the section head as
/// acting head from 1 to 16 October (12 working days), and a medium sanction of
/// the peer from 1 August 2026 for 6 months.
fn richer_city() -> kinerja::dataset::City {
    let mut v = city_json();
    v["salaries"] = serde_json::json!([
        { "employee": STAFF, "salary": "3000000", "from": "2026-01-01" },
        { "employee": STAFF, "salary": "3100000", "from": "2026-10-01" }
    ]);
    v["assignments"].as_array_mut().unwrap().push(serde_json::json!(
        { "employee": KASI, "position": "KADIS", "kind": "plt", "from": "2026-10-01", "until": "2026-10-16" }
    ));
    v["sanctions"] = serde_json::json!([
        { "employee": PEER, "level": "medium", "effective_from": "2026-08-01", "months": 6, "reference": "SK 800/1/2026" }
    ]);
    Dataset::load_city(&v.to_string()).expect("richer city")
}

#[test]
fn recap_to_allowance_input_by_hand() {
    let city = richer_city();
    let policy = Policy::national();
    let oct = YearMonth::new(2026, 10).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    let mut l = Ledger::new(oct);
    let mon = d(2026, 10, 5);
    // 4 letters x 15 = 60 minutes in a 60-minute span, approved.
    let input = ActivityInput {
        employee: nip(STAFF),
        date: mon,
        start: t(8, 0),
        end: t(9, 0),
        task: "STAF-T1".into(),
        quantity: 4,
        description: "Agenda".into(),
        evidence: None,
    };
    // Late on 5 Oct by 45 minutes (TL2: 31-60), on time out; both scans at the unit's reader.
    for (time, dir) in [(t(8, 15), ClockDirection::In), (t(16, 0), ClockDirection::Out)] {
        let event = ClockEvent {
            employee: nip(STAFF),
            at: mon.and_time(time),
            direction: dir,
            source: ClockSource::Fingerprint,
        };
        l.execute(&ctx, req(FP_DINAS, mon.and_time(time), Command::RecordClock { event })).unwrap();
    }
    l.execute(&ctx, req(STAFF, at(mon, 16, 0), Command::LogActivity { input })).unwrap();
    l.execute(
        &ctx,
        req(
            KASI,
            at(d(2026, 10, 9), 9, 0),
            Command::Verify { id: kinerja::activity::ActivityId(1), decision: Decision::Approve { quantity: None } },
        ),
    )
    .unwrap();
    let recap = monthly_recap(&l, &ctx, d(2026, 11, 30)).unwrap();
    let r = recap.employees.iter().find(|e| e.employee == nip(STAFF)).unwrap();
    let input = allowance_input(&city, &ctx, r).expect("paid");
    assert_eq!(input.job_class, 5);
    // The October salary record supersedes January's.
    assert_eq!(input.salary, Money::from_rupiah(3_100_000));
    assert_eq!((input.calendar_working_days, input.assigned_working_days), (22, 22));
    assert_eq!(input.performance.target_minutes, Minutes(6_600));
    assert_eq!(input.performance.verified_minutes, Minutes(60));
    // One day present (5 Oct) with TL2; the 21 other working days have no scans: TK.
    assert_eq!(input.discipline.days_present, 1);
    assert_eq!(input.discipline.late, [0, 1, 0, 0]);
    assert_eq!(input.discipline.unexcused_days, 21);

    // The section head's Plt as head covers 1-16 October: 1-2, 5-9, 12-16 = 2 + 5 + 5 = 12 working days.
    let k = recap.employees.iter().find(|e| e.employee == nip(KASI)).unwrap();
    let kin = allowance_input(&city, &ctx, k).unwrap();
    assert_eq!(kin.acting.len(), 1);
    assert_eq!((kin.acting[0].job_class, kin.acting[0].working_days), (14, 12));
    // The peer's sanction is carried over.
    let p = recap.employees.iter().find(|e| e.employee == nip(PEER)).unwrap();
    assert_eq!(allowance_input(&city, &ctx, p).unwrap().sanctions.len(), 1);

    // The city payroll: one slip per employee (4 in DINAS, 4 in BKD), totals equal
    // to the slips' sums.
    let pay = pay_city(&city, &ctx, &recap, &policy).unwrap();
    assert_eq!(pay.slips.len(), 8);
    assert!(pay.failures.is_empty(), "{:?}", pay.failures);
    let net = Money::checked_sum(pay.slips.iter().map(|s| s.net)).unwrap();
    assert_eq!(pay.city.net, net);
    assert_eq!(Money::checked_sum(pay.units.iter().map(|u| u.totals.net)).unwrap(), net);
    // Acting at exactly 12 days earns the add-on: 20% of class 14's ceiling Rp 5,250,000 = Rp 1,050,000.
    let ks = pay.slip(&nip(KASI)).unwrap();
    assert_eq!(ks.amount("acting"), Money::from_rupiah(1_050_000));
    // The peer's sanction (Aug + 6 months: Aug..Jan) is in force in October.
    assert!(pay.slip(&nip(PEER)).unwrap().line("sanction").is_some());
}

#[test]
fn cutoff_day_limits_what_counts() {
    // A city layer cuts October 2026 off after the 16th (e.g. to pay early).
    let city = richer_city();
    let policy = Policy::national()
        .with_toml(
            "cutoff.toml",
            "[layer]\nname = \"cutoff\"\n\n[[allowance.cutoff_days]]\nfrom = 2026-01-01\nvalue = { \"2026-10\" = 16 }\nref = \"Perwal Uji 9/2026 Pasal 3\"\n",
        )
        .unwrap();
    let oct = YearMonth::new(2026, 10).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    assert_eq!(ctx.cutoff, Some(d(2026, 10, 16)));
    let mut l = Ledger::new(oct);
    // Work on the 20th (after the cut-off) does not count.
    let input = ActivityInput {
        employee: nip(STAFF),
        date: d(2026, 10, 20),
        start: t(8, 0),
        end: t(9, 0),
        task: "STAF-T1".into(),
        quantity: 4,
        description: "Agenda".into(),
        evidence: None,
    };
    l.execute(&ctx, req(STAFF, at(d(2026, 10, 20), 16, 0), Command::LogActivity { input })).unwrap();
    l.execute(
        &ctx,
        req(
            KASI,
            at(d(2026, 10, 21), 9, 0),
            Command::Verify { id: kinerja::activity::ActivityId(1), decision: Decision::Approve { quantity: None } },
        ),
    )
    .unwrap();
    let recap = monthly_recap(&l, &ctx, d(2026, 11, 30)).unwrap();
    let r = recap.employees.iter().find(|e| e.employee == nip(STAFF)).unwrap();
    // 1-16 October: 12 working days -> target 12 x 300 = 3,600; nothing verified before the cut-off;
    // TK on the 12 counted days only.
    assert_eq!(r.target.target_minutes, Minutes(3_600));
    assert_eq!(r.verified_minutes, Minutes(0));
    assert_eq!(r.attendance.unexcused_days, 12);
    let input = allowance_input(&city, &ctx, r).unwrap();
    assert_eq!((input.calendar_working_days, input.assigned_working_days), (12, 12));
}

#[test]
fn what_if_and_arrears() {
    let city = richer_city();
    let policy = Policy::national();
    let oct = YearMonth::new(2026, 10).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    let l = Ledger::new(oct);
    let recap = monthly_recap(&l, &ctx, d(2026, 11, 30)).unwrap();
    let proposed = policy
        .clone()
        .with_toml(
            "70-30.toml",
            "[layer]\nname = \"70/30\"\n\n[[allowance.weight_performance]]\nfrom = 2026-10-01\nvalue = \"70\"\nref = \"draft\"\n\n[[allowance.weight_discipline]]\nfrom = 2026-10-01\nvalue = \"30\"\nref = \"draft\"\n",
        )
        .unwrap();
    let w = what_if(&city, &ctx, &recap, &policy, &proposed).unwrap();
    // Nobody logged any work: performance earns nothing either way, so moving 10
    // points from discipline to performance lowers every gross.
    assert!(w.comparison.total.gross.delta.is_negative());
    let units = Money::checked_sum(w.units.values().map(|u| u.gross.delta)).unwrap();
    assert_eq!(units, w.comparison.total.gross.delta);
    assert!(w.units["DINAS"].gross.delta.is_negative());
    // Arrears of the staff member under the proposal: per-line differences, net to recover.
    // Class 5 ceiling Rp 1,700,000; no work logged and no scans: 22 TK days.
    //   60/40: P = 1,020,000 (all short), D = 680,000; TK 22 x 3% x 680,000 = 448,800;
    //          gross 680,000 - 448,800 = 231,200; rank II: no tax; BPJS 1% x 231,200 = 2,312; net 228,888.
    //   70/30: P = 1,190,000 (all short), D = 510,000; TK 22 x 3% x 510,000 = 336,600;
    //          gross 173,400; BPJS 1,734; net 171,666.
    let now = w.current.slip(&nip(STAFF)).unwrap();
    let next = w.proposed.slip(&nip(STAFF)).unwrap();
    assert_eq!((now.gross, now.net), (Money::from_rupiah(231_200), Money::from_rupiah(228_888)));
    assert_eq!((next.gross, next.net), (Money::from_rupiah(173_400), Money::from_rupiah(171_666)));
    let a = arrears(now, next).unwrap();
    assert_eq!(a.gross, Money::from_rupiah(-57_800));
    assert_eq!(a.net, Money::from_rupiah(-57_222));
    assert_eq!((a.to_pay, a.to_recover), (Money::ZERO, Money::from_rupiah(57_222)));
}
