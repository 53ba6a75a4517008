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
            geofence: None,
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
    // A section head (pengawas) acting as head of the agency (JPT): a higher post by
    // structural level.
    assert_eq!(kin.acting[0].relation, Some(kinerja::allowance::ActingRelation::Higher));
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

    // The provenance gate: none of the 39 allowance values of the national baseline is
    // verified (10 illustrative, 29 recalled), so paying needs an explicit permission.
    let values = kinerja::payroll::unverified_values(&policy, ctx.month);
    assert_eq!(values.len(), 39);
    let strict = kinerja::payroll::PayOptions::default();
    let e = kinerja::payroll::pay_city_with(&city, &ctx, &recap, &policy, &strict).unwrap_err();
    assert_eq!(e.code(), "unverified_policy");
    assert!(e.to_string().contains("39 allowance policy value(s) in force for 2026-10 are not verified"), "{e}");
    let allowed = kinerja::payroll::PayOptions { allow_unverified: true };
    let paid = kinerja::payroll::pay_city_with(&city, &ctx, &recap, &policy, &allowed).unwrap();
    let slip = paid.slip(&nip(KASI)).unwrap();
    // Same amounts as without the gate; the slip records the 39 values and is version 3.
    assert_eq!(slip.lines, ks.lines);
    assert_eq!((slip.schema_version, slip.unverified.len()), (kinerja::allowance::SCHEMA_VERSION_UNVERIFIED, 39));
    assert!(slip.unverified.contains(&"allowance.ceilings (illustrative)".to_string()));
    assert!(slip.is_sealed());
    assert_ne!(slip.content_hash, ks.content_hash, "the record is sealed");
    // Editing the record breaks the seal.
    let mut edited = slip.clone();
    edited.unverified.pop();
    assert!(!edited.is_sealed());
    // The stored version-3 slip still verifies against its input and policy.
    let input = allowance_input(&city, &ctx, k).unwrap();
    let v = kinerja::allowance::verify(slip, &input, &policy).unwrap();
    assert!(v.holds, "{:?}", v.describe());
    // The version-2 slip paid without the record verifies as before.
    assert!(kinerja::allowance::verify(ks, &input, &policy).unwrap().holds);
    // The same values, every one marked verified with its source, open the gate.
    let mut layer = policy.layers()[0].clone();
    for entry in layer.params.values_mut().flatten() {
        entry.status = kinerja::policy::ValueStatus::Verified;
        entry.source = Some("checked against the regulation's text".into());
    }
    let verified = Policy::from_layers(vec![layer]);
    assert!(kinerja::payroll::unverified_values(&verified, ctx.month).is_empty());
    let ctx2 = kinerja::ledger::MonthContext::new(&city, &verified, ctx.month).unwrap();
    let recap2 = monthly_recap(&l, &ctx2, d(2026, 11, 30)).unwrap();
    let paid = kinerja::payroll::pay_city_with(&city, &ctx2, &recap2, &verified, &strict).unwrap();
    assert!(paid.slips.iter().all(|s| s.unverified.is_empty() && s.schema_version == 2));
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

// --- everyone is accounted for ----------------------------------------------------------

const LEFT: &str = "198505052010051005";
const NEWCOMER: &str = "199506062020061006";
const NOBODY: &str = "199607072021071007";
const PLH_ONLY: &str = "198708082012081008";

/// The test city plus four employees who are not paid in October 2026: one whose
/// assignment ended in August, one who starts in November, one without any
/// assignment, and one who only stands in (Plh) for the head for a week.
/// The shared test city without its personnel agency (BKD) and the people and
/// machines of the authorisation matrix: the four DINAS employees the sums below
/// are computed for by hand.
fn dinas_only_json() -> serde_json::Value {
    let mut v = city_json();
    let bkd = [KABAN, HR1, HR2, ATT];
    v["units"].as_array_mut().unwrap().retain(|u| u["id"] != "BKD");
    v["positions"].as_array_mut().unwrap().retain(|p| p["unit"] != "BKD");
    v["employees"].as_array_mut().unwrap().retain(|e| !bkd.contains(&e["nip"].as_str().unwrap()));
    v["assignments"].as_array_mut().unwrap().retain(|a| !bkd.contains(&a["employee"].as_str().unwrap()));
    v["officials"] = serde_json::json!([]);
    v["officers"] = serde_json::json!([]);
    v["clock_devices"] = serde_json::json!([]);
    v
}

fn city_with_unpaid() -> kinerja::dataset::City {
    let mut v = dinas_only_json();
    let employees = v["employees"].as_array_mut().unwrap();
    for (nip, name) in [(LEFT, "Pensiun"), (NEWCOMER, "Baru"), (NOBODY, "Tanpa Jabatan"), (PLH_ONLY, "Plh Saja")] {
        employees.push(serde_json::json!({ "nip": nip, "name": name, "rank": "III/a", "employment": "PNS" }));
    }
    let assignments = v["assignments"].as_array_mut().unwrap();
    assignments.push(serde_json::json!(
        { "employee": LEFT, "position": "STAF", "kind": "definitive", "from": "2015-01-01", "until": "2026-08-31" }));
    assignments.push(serde_json::json!(
        { "employee": NEWCOMER, "position": "STAF", "kind": "definitive", "from": "2026-11-02" }));
    assignments.push(serde_json::json!(
        { "employee": PLH_ONLY, "position": "KADIS", "kind": "plh", "from": "2026-10-05", "until": "2026-10-09" }));
    Dataset::load_city(&v.to_string()).expect("city with unpaid employees")
}

#[test]
fn every_employee_gets_a_slip_a_failure_or_a_reason() {
    let city = city_with_unpaid();
    let policy = Policy::national();
    let oct = YearMonth::new(2026, 10).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    let recap = monthly_recap(&Ledger::new(oct), &ctx, d(2026, 11, 30)).unwrap();
    let pay = pay_city(&city, &ctx, &recap, &policy).unwrap();

    assert_eq!(pay.slips.len(), 4);
    assert!(pay.failures.is_empty(), "{:?}", pay.failures);
    let reasons: Vec<(&str, &str, &str, &str, Option<&str>)> = pay
        .not_paid
        .iter()
        .map(|n| {
            (
                n.employee.as_str(),
                n.code.as_str(),
                n.record.as_str(),
                n.field.as_str(),
                n.unit.as_ref().map(|u| u.as_str()),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        [
            (LEFT, "left_service", "assignment", "until", Some("DINAS")),
            (NEWCOMER, "not_yet_assigned", "assignment", "from", Some("DINAS")),
            (NOBODY, "no_assignment", "employee", "assignments", None),
            (PLH_ONLY, "acting_only", "assignment", "kind", Some("DINAS")),
        ]
    );
    assert!(pay.not_paid[0].reason.contains("2026-08-31"), "{}", pay.not_paid[0].reason);
    assert!(pay.not_paid[1].reason.contains("2026-11-02"), "{}", pay.not_paid[1].reason);
    // Every employee of the dataset exactly once.
    let mut listed: Vec<&str> = pay
        .slips
        .iter()
        .map(|s| s.employee.as_str())
        .chain(pay.failures.iter().map(|f| f.employee.as_str()))
        .chain(pay.not_paid.iter().map(|n| n.employee.as_str()))
        .collect();
    listed.sort();
    let mut all: Vec<&str> = city.organisation.employees().iter().map(|e| e.nip.as_str()).collect();
    all.sort();
    assert_eq!(listed, all);

    // The summary, by hand. Nobody logged work or scanned: every paid employee has 22
    // unexcused (TK) days. Per employee C = ceiling, P = 60% C (all short), D = 40% C,
    // TK = 22 x 3% x D = 66% D, gross = 34% D.
    //   head  class 14 C 5,250,000  P 3,150,000  D 2,100,000  TK 1,386,000  gross 714,000  tax IV 15% 107,100  BPJS 7,140
    //   kasi  class  9 C 2,500,000  P 1,500,000  D 1,000,000  TK   660,000  gross 340,000  tax III 5% 17,000  BPJS 3,400
    //   staff class  5 C 1,700,000  P 1,020,000  D   680,000  TK   448,800  gross 231,200  tax II 0          BPJS 2,312
    //   peer  (the same as staff)
    let s = &pay.summary;
    assert_eq!((s.employees, s.paid, s.failed, s.not_paid), (8, 4, 0, 4));
    let rule = |r: &str| s.by_rule.iter().find(|t| t.rule == r).map(|t| (t.lines, t.amount)).unwrap();
    assert_eq!(rule("ceiling"), (4, Money::from_rupiah(11_150_000)));
    assert_eq!(rule("performance.shortfall"), (4, Money::from_rupiah(-6_690_000)));
    assert_eq!(rule("deduction.unexcused"), (4, Money::from_rupiah(-2_943_600)));
    assert_eq!(rule("tax.pph21"), (2, Money::from_rupiah(-124_100)));
    assert_eq!(rule("contribution.bpjs"), (4, Money::from_rupiah(-15_164)));
    assert_eq!(rule("sanction"), (0, Money::ZERO), "every rule is listed, zero when unused");
    assert_eq!(s.by_rule.len(), kinerja::allowance::rule_ids().len());
    assert_eq!((s.ceiling, s.gross), (Money::from_rupiah(11_150_000), Money::from_rupiah(1_516_400)));
    assert_eq!((s.tax, s.contribution), (Money::from_rupiah(-124_100), Money::from_rupiah(-15_164)));
    assert_eq!(s.net, Money::from_rupiah(1_377_136));
    // The rules before tax add up to the gross, all of them to the net.
    let sum = |f: &dyn Fn(&str) -> bool| {
        Money::checked_sum(s.by_rule.iter().filter(|t| f(&t.rule)).map(|t| t.amount)).unwrap()
    };
    assert_eq!(sum(&|r| r != "tax.pph21" && r != "contribution.bpjs"), s.gross);
    assert_eq!(sum(&|_| true), s.net);
    assert_eq!(s.net, pay.city.net);
    // The JSON form ends with the summary.
    let json = serde_json::to_string(&pay).unwrap();
    let summary = json.find("\"summary\":{").unwrap();
    assert!(json.find("\"not_paid\":[").unwrap() < summary && json.find("\"city\":{").unwrap() < summary);
    assert!(json[summary..].ends_with("}}"), "nothing after the summary");
}

#[test]
fn a_recap_that_misses_or_repeats_someone_is_reported() {
    let city = city_with_unpaid();
    let policy = Policy::national();
    let oct = YearMonth::new(2026, 10).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    let mut recap = monthly_recap(&Ledger::new(oct), &ctx, d(2026, 11, 30)).unwrap();
    // The staff member's row is missing; the peer's appears twice.
    let staff = recap.employees.iter().position(|e| e.employee == nip(STAFF)).unwrap();
    recap.employees.remove(staff);
    let peer = recap.employees.iter().find(|e| e.employee == nip(PEER)).unwrap().clone();
    recap.employees.push(peer);
    let pay = pay_city(&city, &ctx, &recap, &policy).unwrap();
    let missing = pay.not_paid.iter().find(|n| n.employee == nip(STAFF)).expect("listed");
    assert_eq!(
        (missing.code.as_str(), missing.record.as_str(), missing.field.as_str()),
        ("not_in_recap", "recap", "employees")
    );
    let twice = pay.failures.iter().find(|f| f.employee == nip(PEER)).expect("listed");
    assert_eq!(twice.code, "duplicate_recap_row");
    assert_eq!(pay.slips.iter().filter(|s| s.employee == nip(PEER)).count(), 1, "paid once");
    assert_eq!((pay.summary.paid, pay.summary.failed, pay.summary.not_paid), (3, 1, 5));
    assert!(!pay.is_complete());
}

#[test]
fn a_slip_that_cannot_be_computed_is_a_failure_with_the_field() {
    // A sanction level the policy does not define: the dataset cannot know it, paying does.
    let mut v = dinas_only_json();
    v["sanctions"] = serde_json::json!([
        { "employee": PEER, "level": "heavy", "effective_from": "2026-08-01", "months": 6, "reference": "SK 800/9/2026" }
    ]);
    let city = Dataset::load_city(&v.to_string()).unwrap();
    let policy = Policy::national();
    let oct = YearMonth::new(2026, 10).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    let recap = monthly_recap(&Ledger::new(oct), &ctx, d(2026, 11, 30)).unwrap();
    let pay = pay_city(&city, &ctx, &recap, &policy).unwrap();
    assert_eq!(pay.failures.len(), 1);
    let f = &pay.failures[0];
    assert_eq!(
        (f.employee.as_str(), f.code.as_str(), f.unit.as_ref().map(|u| u.as_str())),
        (PEER, "unknown_sanction_level", Some("DINAS"))
    );
    assert!(f.message.contains("sanctions[0].level"), "{}", f.message);
    assert_eq!((pay.summary.employees, pay.summary.paid, pay.summary.failed), (4, 3, 1));

    // `check_month` finds the same failure without a journal, and the record check names the sanction.
    let check = kinerja::payroll::check_month(&city, &ctx, &policy).unwrap();
    assert_eq!(check.payable, 3);
    assert_eq!(
        check.failures.iter().map(|f| (f.employee.as_str(), f.code.as_str())).collect::<Vec<_>>(),
        [(PEER, "unknown_sanction_level")]
    );
    let p: Vec<_> =
        check.problems.iter().map(|p| (p.record.as_str(), p.id.as_str(), p.field.as_str(), p.code.as_str())).collect();
    assert_eq!(p, [("sanction", "#0", "level", "unknown_sanction_level")]);
}

#[test]
fn check_month_lists_the_same_unpaid_employees_as_paying() {
    let city = city_with_unpaid();
    let policy = Policy::national();
    let oct = YearMonth::new(2026, 10).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    let check = kinerja::payroll::check_month(&city, &ctx, &policy).unwrap();
    let recap = monthly_recap(&Ledger::new(oct), &ctx, d(2026, 11, 30)).unwrap();
    let pay = pay_city(&city, &ctx, &recap, &policy).unwrap();
    assert_eq!(check.payable, pay.slips.len());
    assert_eq!(check.not_paid, pay.not_paid);
    assert!(check.failures.is_empty() && check.problems.is_empty());

    // A sanction whose duration its level does not allow (medium: 6, 9 or 12 months).
    let mut v = city_json();
    v["sanctions"] = serde_json::json!([
        { "employee": STAFF, "level": "medium", "effective_from": "2026-08-01", "months": 7, "reference": "SK 1" }
    ]);
    let city = Dataset::load_city(&v.to_string()).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    let check = kinerja::payroll::check_month(&city, &ctx, &policy).unwrap();
    assert_eq!(check.failures[0].code, "sanction_months_not_allowed");
    assert_eq!(check.problems[0].field, "months");
}

#[test]
fn acting_days_after_the_cutoff_do_not_count() {
    // Cut-off after 9 October: the Plt of 1-16 October covers 1-2 and 5-9 October of the
    // counted days, 7 working days (before, all 12 days were counted against 7 calendar
    // days and the slip was refused).
    let city = richer_city();
    let policy = Policy::national()
        .with_toml(
            "cutoff.toml",
            "[layer]\nname = \"cutoff\"\n\n[[allowance.cutoff_days]]\nfrom = 2026-01-01\nvalue = { \"2026-10\" = 9 }\nref = \"Perwal Uji 9/2026 Pasal 3\"\n",
        )
        .unwrap();
    let oct = YearMonth::new(2026, 10).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    let recap = monthly_recap(&Ledger::new(oct), &ctx, d(2026, 11, 30)).unwrap();
    let k = recap.employees.iter().find(|e| e.employee == nip(KASI)).unwrap();
    let input = allowance_input(&city, &ctx, k).unwrap();
    assert_eq!(input.calendar_working_days, 7);
    assert_eq!(input.acting[0].working_days, 7);
    let pay = pay_city(&city, &ctx, &recap, &policy).unwrap();
    assert!(pay.failures.is_empty(), "{:?}", pay.failures);
    // 7 days is under the 12 needed for the Plt add-on.
    assert!(pay.slip(&nip(KASI)).unwrap().line("acting").is_none());
}

#[test]
fn the_payroll_that_pays_is_the_closed_months() {
    let city = richer_city();
    let policy = Policy::national();
    let oct = YearMonth::new(2026, 10).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    let mut l = Ledger::new(oct);
    let open = pay_city(&city, &ctx, &monthly_recap(&l, &ctx, ctx.settled_on()).unwrap(), &policy).unwrap();
    assert!(!open.is_final(), "an open month's payroll is a projection");
    l.execute(&ctx, req(HR1, at(d(2026, 11, 9), 9, 0), Command::CloseMonth)).unwrap();
    let recap = monthly_recap(&l, &ctx, ctx.settled_on()).unwrap();
    assert!(recap.is_final());
    let paid = pay_city(&city, &ctx, &recap, &policy).unwrap();
    assert!(paid.is_final());
    assert_eq!(paid.closed.as_ref().map(|c| c.by.clone()), Some(actor(HR1)));
    // The payment names the record it rests on.
    assert_eq!(paid.head, Some(l.head()));
    assert_eq!(paid.city.net, open.city.net, "closing changed nothing else");
}

#[test]
fn only_a_closed_month_is_payable() {
    let city = city();
    let policy = Policy::national();
    let oct = YearMonth::new(2026, 10).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    let mut l = Ledger::new(oct);
    let open = monthly_recap(&l, &ctx, ctx.settled_on()).unwrap();
    let refused = kinerja::payroll::payable(&open).unwrap_err();
    assert_eq!(refused.code(), "month_not_closed");
    l.execute(&ctx, req(HR1, at(d(2026, 11, 10), 9, 0), Command::CloseMonth)).unwrap();
    let closed = monthly_recap(&l, &ctx, ctx.settled_on()).unwrap();
    assert!(kinerja::payroll::payable(&closed).is_ok());
}

/// PTKP statuses come from the dataset's optional `tax_statuses` records (the latest
/// from on or before the month's last day); under the TER method an employee without
/// one is refused, naming the field, while the others are paid.
#[test]
fn ptkp_status_from_the_dataset_and_ter_refusal() {
    let mut v = city_json();
    v["tax_statuses"] = serde_json::json!([
        { "employee": STAFF, "ptkp": "K/1", "from": "2026-01-01" },
        { "employee": STAFF, "ptkp": "K/2", "from": "2027-01-01" }
    ]);
    let city = Dataset::load_city(&v.to_string()).expect("city with tax statuses");
    // The dataset round-trips with its records.
    assert_eq!(city.to_dataset().tax_statuses.len(), 2);
    let policy = Policy::national()
        .with_toml(
            "ter.toml",
            "[layer]\nname = \"ter city\"\n\n[[allowance.tax.method]]\nfrom = 2024-01-01\nvalue = \"ter_monthly\"\nref = \"Perwal test\"\n",
        )
        .expect("layer");
    let oct = YearMonth::new(2026, 10).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    let l = Ledger::new(oct);
    let recap = monthly_recap(&l, &ctx, d(2026, 11, 30)).unwrap();
    let staff = recap.employees.iter().find(|e| e.employee == nip(STAFF)).unwrap();
    // October 2026: the 2026 record (K/1), not the 2027 one.
    assert_eq!(allowance_input(&city, &ctx, staff).unwrap().ptkp, Some("K/1".parse().unwrap()));
    let peer = recap.employees.iter().find(|e| e.employee == nip(PEER)).unwrap();
    assert_eq!(allowance_input(&city, &ctx, peer).unwrap().ptkp, None);
    let allowed = kinerja::payroll::PayOptions { allow_unverified: true };
    let pay = kinerja::payroll::pay_city_with(&city, &ctx, &recap, &policy, &allowed).unwrap();
    assert!(pay.slip(&nip(STAFF)).is_some(), "the employee with a PTKP status is paid");
    let f = pay.failures.iter().find(|f| f.employee == nip(PEER)).expect("the peer is refused");
    assert_eq!(f.code, "invalid_allowance_input");
    assert!(f.message.contains("ptkp") && f.message.contains("tax_statuses"), "{}", f.message);
    // Everyone but the one employee with a status is refused.
    assert_eq!(pay.failures.len() + 1, recap.employees.len() - pay.not_paid.len());
}
