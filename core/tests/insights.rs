//! Budget realisation, the six readiness requirements, the seven uses, verification
//! quality and the awards (kinerja::insights), each on a small dataset whose answer is
//! worked out by hand in the comments.

mod common;

use std::str::FromStr;
use std::sync::Arc;

use chrono::NaiveDate;
use kinerja::abk::{self, AbkParams};
use kinerja::activity::{ActivityEntry, ActivityId, Transition, VerificationStatus};
use kinerja::attendance::{ClockDirection, ClockEvent, ClockSource, MonthAttendance};
use kinerja::dataset::{City, Dataset};
use kinerja::insights::budget::{Activity, Programme, RevenueLine, SubActivity, UnitBudget, realisation};
use kinerja::insights::readiness::{PlanKind, Requirement, UnitPlan, UnitRollout, check_unit};
use kinerja::insights::uses::{self, DecidedMonth, StaffAction, UnitAction};
use kinerja::insights::{InsightParams, InsightsError, Nomination, NominationCategory, awards};
use kinerja::ledger::{Head, Ledger, LedgerState, MonthContext, RollCallList};
use kinerja::minutes::Minutes;
use kinerja::month::YearMonth;
use kinerja::org::VerifierRole;
use kinerja::policy::Policy;
use kinerja::recap::{EmployeeRecap, EntryCounts, MonthlyRecap, UnitRecap, monthly_recap};
use kinerja::rollcall::{MonthRollCall, RollCallKind};
use kinerja::targets::MonthTarget;
use kinerja::{Money, UnitId};
use rust_decimal::Decimal;

use common::{at, d, nip, t};

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn rp(n: i64) -> Money {
    Money::from_rupiah(n)
}

fn params(date: NaiveDate) -> InsightParams {
    InsightParams::from_policy(&Policy::national(), date).unwrap().params
}

// --- budget ---------------------------------------------------------------------------

fn sub(code: &str, ceiling: i64, plan: &[i64], real: &[i64], progress: &[&str]) -> SubActivity {
    SubActivity {
        code: code.into(),
        name: format!("Sub kegiatan {code}"),
        ceiling: rp(ceiling),
        plan: plan.iter().map(|m| rp(*m)).collect(),
        realisation: real.iter().map(|m| rp(*m)).collect(),
        progress: progress.iter().map(|p| dec(p)).collect(),
        positions: vec![],
        tasks: vec![],
    }
}

fn budget(subs: Vec<SubActivity>) -> UnitBudget {
    UnitBudget {
        unit: UnitId("DINAS".into()),
        year: 2026,
        revenue: vec![RevenueLine {
            code: "4.1".into(),
            name: "Retribusi".into(),
            target: rp(500_000),
            realised: vec![rp(40_000), rp(60_000), rp(70_000), rp(80_000)],
        }],
        programmes: vec![Programme {
            code: "P1".into(),
            name: "Program 1".into(),
            activities: vec![Activity { code: "K1".into(), name: "Kegiatan 1".into(), sub_activities: subs }],
        }],
    }
}

#[test]
fn absorption_and_deviation_by_hand() {
    // A: ceiling 1,200,000, plan 100,000 a month, realised 80,000 + 90,000 + 100,000.
    // Through March: planned 300,000, realised 270,000; absorption 270/1,200 = 22.50 %;
    // deviation -30,000 = -10.00 % of plan: exactly at the 10 % threshold, not behind.
    let a = sub("A", 1_200_000, &[100_000; 12], &[80_000, 90_000, 100_000], &["10", "20", "30"]);
    // B: ceiling 800,000, plan 200,000 x 4, realised 100,000 + 100,000 + 50,000.
    // Through March: planned 600,000, realised 250,000; absorption 250/800 = 31.25 %;
    // deviation -350,000 = -58.33 % (350/600 = 0.58333): behind.
    let b = sub("B", 800_000, &[200_000; 4], &[100_000, 100_000, 50_000], &["5", "10"]);
    let r = realisation(&[budget(vec![a, b])], 2026, 3, dec("10"), &[]).unwrap();
    let unit = &r.units[0];
    let subs = &unit.programmes[0].activities[0].sub_activities;
    assert_eq!(subs[0].figures.planned, rp(300_000));
    assert_eq!(subs[0].figures.realised, rp(270_000));
    assert_eq!(subs[0].figures.absorption_percent, Some(dec("22.50")));
    assert_eq!(subs[0].figures.deviation, rp(-30_000));
    assert_eq!(subs[0].figures.deviation_percent, Some(dec("-10.00")));
    assert!(!subs[0].figures.behind);
    assert_eq!(subs[1].figures.absorption_percent, Some(dec("31.25")));
    assert_eq!(subs[1].figures.deviation, rp(-350_000));
    assert_eq!(subs[1].figures.deviation_percent, Some(dec("-58.33")));
    assert!(subs[1].figures.behind);
    // Programme: ceiling 2,000,000, planned 900,000, realised 520,000: absorption 26.00 %,
    // deviation -380,000 = -42.22 % (380/900 = 0.42222): behind, and so is the unit.
    let p = &unit.programmes[0].figures;
    assert_eq!((p.ceiling, p.planned, p.realised), (rp(2_000_000), rp(900_000), rp(520_000)));
    assert_eq!(p.absorption_percent, Some(dec("26.00")));
    assert_eq!(p.deviation_percent, Some(dec("-42.22")));
    // Physical progress weighted by ceiling: A 30 % (March), B 10 % (its last report,
    // February): (1,200,000 x 30 + 800,000 x 10) / 2,000,000 = 22.00 %.
    assert_eq!(p.progress_percent, Some(dec("22.00")));
    assert_eq!(r.behind_programmes, vec![(UnitId("DINAS".into()), "P1".to_string())]);
    assert_eq!(r.behind_units, vec![UnitId("DINAS".into())]);
    // Resume APBD: revenue 40,000 + 60,000 + 70,000 = 170,000 of 500,000 through March.
    assert_eq!((r.revenue_target, r.revenue_realised), (rp(500_000), rp(170_000)));
    assert_eq!(r.city.realised, rp(520_000));
}

#[test]
fn realisation_beyond_the_ceiling_or_progress_beyond_100_is_refused() {
    // 700,000 + 500,000 = 1,200,000: exactly the ceiling, accepted.
    let ok = sub("A", 1_200_000, &[], &[700_000, 500_000], &["100"]);
    assert!(budget(vec![ok]).validate().is_ok());
    // 700,000 + 600,000 = 1,300,000 > 1,200,000 in February.
    let over = sub("A", 1_200_000, &[], &[700_000, 600_000], &[]);
    let e = budget(vec![over]).validate().unwrap_err();
    assert_eq!(e.code(), "budget_ceiling_exceeded");
    assert!(matches!(e, InsightsError::CeilingExceeded { month: 2, .. }), "{e}");
    assert!(e.to_string().contains("sub_activity `A`, field `realisation`"), "{e}");
    let e = budget(vec![sub("A", 1_000, &[], &[], &["50", "100.01"])]).validate().unwrap_err();
    assert_eq!(e.code(), "budget_progress_out_of_range");
    assert!(matches!(e, InsightsError::ProgressOutOfRange { month: 2, .. }), "{e}");
    let e = budget(vec![sub("A", 1_000, &[600, 500], &[], &[])]).validate().unwrap_err();
    assert_eq!(e.code(), "budget_plan_exceeds_ceiling");
    // A report on such a budget fails the same way.
    let e = realisation(&[budget(vec![sub("A", 10, &[], &[11], &[])])], 2026, 12, dec("10"), &[]).unwrap_err();
    assert_eq!(e.code(), "budget_ceiling_exceeded");
}

#[test]
fn sub_activities_are_read_next_to_the_verified_work_on_their_tasks() {
    let mut a = sub("A", 1_000_000, &[], &[], &[]);
    a.tasks = vec![kinerja::TaskId::from("STAF-T1")];
    let mut state = LedgerState::default();
    // Approved 4 letters x 15 min = 60; approved at a lower 2 x 15 = 30; a submitted
    // entry does not count: 90 minutes.
    state.entries.push(entry(1, common::STAFF, "STAF-T1", 15, 4, None, VerificationStatus::Approved));
    state.entries.push(entry(2, common::STAFF, "STAF-T1", 15, 3, Some(2), VerificationStatus::Approved));
    state.entries.push(entry(3, common::STAFF, "STAF-T1", 15, 5, None, VerificationStatus::Submitted));
    let r = realisation(&[budget(vec![a])], 2026, 1, dec("10"), &[&state]).unwrap();
    assert_eq!(r.units[0].programmes[0].activities[0].sub_activities[0].verified_minutes, Minutes(90));
}

// --- sanction ladder and retirement ------------------------------------------------------

#[test]
fn the_pp_94_2021_ladder_at_its_boundaries() {
    let p = params(d(2026, 1, 1));
    let at = |days| uses::ladder_rung(&p.sanction_ladder, days).map(|r| r.sanction.as_str());
    // Each rung's first day and the day before it.
    let expected = [
        (2, None),
        (3, Some("oral_warning")),
        (4, Some("written_warning")),
        (6, Some("written_warning")),
        (7, Some("written_dissatisfaction")),
        (10, Some("written_dissatisfaction")),
        (11, Some("allowance_cut_6_months")),
        (13, Some("allowance_cut_6_months")),
        (14, Some("allowance_cut_9_months")),
        (16, Some("allowance_cut_9_months")),
        (17, Some("allowance_cut_12_months")),
        (20, Some("allowance_cut_12_months")),
        (21, Some("demotion_12_months")),
        (24, Some("demotion_12_months")),
        (25, Some("release_to_executor_12_months")),
        (27, Some("release_to_executor_12_months")),
        (28, Some("dismissal")),
        (200, Some("dismissal")),
    ];
    for (days, want) in expected {
        assert_eq!(at(days), want, "{days} days");
    }
    assert_eq!(uses::ladder_rung(&p.sanction_ladder, 11).unwrap().level, "medium");
    assert_eq!(uses::ladder_rung(&p.sanction_ladder, 21).unwrap().level, "heavy");
}

#[test]
fn retirement_starts_the_month_after_the_birthday() {
    // Born 15 June 1968, age 58: birthday 15 June 2026, retired from 1 July 2026.
    assert_eq!(uses::retirement_date(d(1968, 6, 15), 58), Some(d(2026, 7, 1)));
    // Born on the last day of a month and on the first day of the next: one month apart.
    assert_eq!(uses::retirement_date(d(1968, 11, 30), 58), Some(d(2026, 12, 1)));
    assert_eq!(uses::retirement_date(d(1968, 12, 1), 58), Some(d(2027, 1, 1)));
    // 29 February: the 58th birthday falls on 28 February 2026 (no 29th): from 1 March.
    assert_eq!(uses::retirement_date(d(1968, 2, 29), 58), Some(d(2026, 3, 1)));
}

/// A city of one unit for the staffing projection: executors born either side of
/// 1 December 1968 and a head born 30 November 1966.
fn staffing_city() -> City {
    let json = serde_json::json!({
        "schema_version": 1,
        "government": { "code": "9999", "name": "Kota Uji" },
        "calendar": serde_json::to_value(kinerja::calendar::WorkCalendar::indonesia_2026()).unwrap(),
        "units": [ { "id": "U", "name": "Unit" } ],
        "positions": [
            { "id": "HEAD", "name": "Kepala", "kind": "leadership", "job_class": 14, "unit": "U",
              "analysis": { "tasks": [ { "id": "H1", "name": "Memimpin", "output": "arahan", "output_unit": "arahan",
                 "standard_minutes": 300, "volume": { "quantity": "250", "per": "year" } } ] } },
            { "id": "EXE", "name": "Pelaksana", "kind": "executor", "job_class": 5, "unit": "U", "supervisor": "HEAD",
              "analysis": { "tasks": [ { "id": "E1", "name": "Mengetik", "output": "surat", "output_unit": "surat",
                 "standard_minutes": 300, "volume": { "quantity": "500", "per": "year" } } ] } }
        ],
        "employees": [
            { "nip": "196611302000011001", "name": "Kepala", "rank": "IV/c", "employment": "PNS" },
            { "nip": "196811302000011002", "name": "Satu", "rank": "II/c", "employment": "PNS" },
            { "nip": "196812012000011003", "name": "Dua", "rank": "II/c", "employment": "PNS" },
            { "nip": "199001012015011004", "name": "Muda", "rank": "II/a", "employment": "PNS" }
        ],
        "assignments": [
            { "employee": "196611302000011001", "position": "HEAD", "kind": "definitive", "from": "2020-01-01" },
            { "employee": "196811302000011002", "position": "EXE", "kind": "definitive", "from": "2020-01-01" },
            { "employee": "196812012000011003", "position": "EXE", "kind": "definitive", "from": "2020-01-01" },
            { "employee": "199001012015011004", "position": "EXE", "kind": "definitive", "from": "2020-01-01" }
        ]
    });
    Dataset::load_city(&json.to_string()).unwrap()
}

fn analysis(city: &City, date: NaiveDate) -> abk::WorkloadAnalysis {
    let p = AbkParams::from_policy(&Policy::national(), date).unwrap().params;
    let org = &city.organisation;
    abk::analyse(org.units(), org.positions(), |id| org.headcount(id, date), &p).unwrap()
}

#[test]
fn the_retirement_projection_on_both_sides_of_a_birthday() {
    let city = staffing_city();
    let as_of = d(2026, 6, 15);
    let s = uses::staffing(&city, &analysis(&city, as_of), &params(as_of), as_of, 2);
    // The head (leadership, 60) born 30 Nov 1966 and the executor (58) born 30 Nov 1968
    // both reach their age on 30 Nov 2026 and retire from 1 Dec 2026; the executor born
    // a day later, 1 Dec 1968, reaches 58 on 1 Dec 2026 and retires from 1 Jan 2027.
    let got: Vec<(String, NaiveDate)> = s.retirements.iter().map(|r| (r.employee.to_string(), r.retires_on)).collect();
    assert_eq!(
        got,
        vec![
            ("196611302000011001".to_string(), d(2026, 12, 1)),
            ("196811302000011002".to_string(), d(2026, 12, 1)),
            ("196812012000011003".to_string(), d(2027, 1, 1)),
        ]
    );
    // Need: HEAD 250 x 300 = 75,000 min = 1 person; EXE 500 x 300 = 150,000 = 2 people;
    // 3 needed. Headcount 4; end of 2026: 4 - 2 = 2 (gap 1); end of 2027: 2 - 1 = 1 (gap 2).
    let years: Vec<(i32, u32, u32, Decimal)> =
        s.projection.iter().map(|y| (y.year, y.retiring, y.headcount_end, y.gap)).collect();
    assert_eq!(years, vec![(2026, 2, 2, dec("1")), (2027, 1, 1, dec("2"))]);
    // EXE needs 2 and has 3: transfer one out; HEAD needs 1 and has 1.
    let exe = s.positions.iter().find(|p| p.position.as_str() == "EXE").unwrap();
    assert_eq!((exe.needed, exe.headcount, exe.action), (dec("2"), 3, StaffAction::Transfer));
    let head = s.positions.iter().find(|p| p.position.as_str() == "HEAD").unwrap();
    assert_eq!(head.action, StaffAction::Balanced);
    // The day before the birthday changes nothing: the retirement date is the same.
    let before = uses::staffing(&city, &analysis(&city, d(2026, 11, 29)), &params(as_of), d(2026, 11, 29), 1);
    assert_eq!(before.retirements.len(), 2);
    // From 1 Dec 2026 on, the two who retired then are no longer ahead.
    let after = uses::staffing(&city, &analysis(&city, d(2026, 12, 1)), &params(as_of), d(2026, 12, 1), 2);
    assert_eq!(after.retirements.len(), 1);
}

#[test]
fn restructuring_grades_units_and_recommends() {
    // Three units of one position each, one holder each, 75,000 effective minutes:
    // S: 100 x 375 = 37,500 -> EU 0.50, grade D, below 0.70: slim.
    // M: 100 x 300 = 30,000 -> EU 0.40, grade E, below 0.50: merge.
    // K: 250 x 300 = 75,000 -> EU 1.00, grade B: keep.
    let pos = |id: &str, unit: &str, qty: &str, std: i64| {
        serde_json::json!({ "id": id, "name": id, "kind": "executor", "job_class": 5, "unit": unit,
          "analysis": { "tasks": [ { "id": format!("{id}-T"), "name": "t", "output": "o", "output_unit": "o",
            "standard_minutes": std, "volume": { "quantity": qty, "per": "year" } } ] } })
    };
    let json = serde_json::json!({
        "schema_version": 1,
        "government": { "code": "9999", "name": "Kota Uji" },
        "calendar": serde_json::to_value(kinerja::calendar::WorkCalendar::indonesia_2026()).unwrap(),
        "units": [ { "id": "S", "name": "S" }, { "id": "M", "name": "M" }, { "id": "K", "name": "K" } ],
        "positions": [ pos("PS", "S", "100", 375), pos("PM", "M", "100", 300), pos("PK", "K", "250", 300) ],
        "employees": [
            { "nip": "199001012015011001", "name": "a", "rank": "II/a", "employment": "PNS" },
            { "nip": "199001012015011002", "name": "b", "rank": "II/a", "employment": "PNS" },
            { "nip": "199001012015011003", "name": "c", "rank": "II/a", "employment": "PNS" }
        ],
        "assignments": [
            { "employee": "199001012015011001", "position": "PS", "kind": "definitive", "from": "2020-01-01" },
            { "employee": "199001012015011002", "position": "PM", "kind": "definitive", "from": "2020-01-01" },
            { "employee": "199001012015011003", "position": "PK", "kind": "definitive", "from": "2020-01-01" }
        ]
    });
    let city = Dataset::load_city(&json.to_string()).unwrap();
    let r = uses::restructuring(&analysis(&city, d(2026, 6, 1)), &params(d(2026, 6, 1)));
    let actions: Vec<(&str, UnitAction)> = r.units.iter().map(|u| (u.unit.as_str(), u.action)).collect();
    assert_eq!(actions, vec![("S", UnitAction::Slim), ("M", UnitAction::Merge), ("K", UnitAction::Keep)]);
    let grades: Vec<(&String, usize)> = r.positions_by_grade.iter().map(|(g, p)| (g, p.len())).collect();
    assert_eq!(grades, vec![(&"B".to_string(), 1), (&"D".to_string(), 1), (&"E".to_string(), 1)]);
}

// --- readiness ---------------------------------------------------------------------------

const R_HEAD: &str = "197001012000011001";
const R_STAF: &str = "199003032015031003";

/// A unit U that meets all six: HEAD with task H1, STAF with tasks S1 and S2.
fn ready_city_json() -> serde_json::Value {
    serde_json::json!({
        "schema_version": 1,
        "government": { "code": "9999", "name": "Kota Uji" },
        "calendar": serde_json::to_value(kinerja::calendar::WorkCalendar::indonesia_2026()).unwrap(),
        "units": [ { "id": "U", "name": "Unit" } ],
        "positions": [
            { "id": "HEAD", "name": "Kepala", "kind": "leadership", "job_class": 14, "unit": "U",
              "analysis": { "tasks": [ { "id": "H1", "name": "Memimpin", "output": "arahan", "output_unit": "arahan",
                 "standard_minutes": 60, "volume": { "quantity": "1", "per": "day" } } ] } },
            { "id": "STAF", "name": "Staf", "kind": "executor", "job_class": 5, "unit": "U", "supervisor": "HEAD",
              "analysis": { "tasks": [
                 { "id": "S1", "name": "Surat", "output": "surat", "output_unit": "surat",
                   "standard_minutes": 15, "volume": { "quantity": "20", "per": "day" } },
                 { "id": "S2", "name": "Arsip", "output": "berkas", "output_unit": "berkas",
                   "standard_minutes": 10, "volume": { "quantity": "5", "per": "day" } } ] } }
        ],
        "employees": [
            { "nip": R_HEAD, "name": "Kepala", "rank": "IV/c", "employment": "PNS" },
            { "nip": R_STAF, "name": "Staf", "rank": "II/c", "employment": "PNS" }
        ],
        "assignments": [
            { "employee": R_HEAD, "position": "HEAD", "kind": "definitive", "from": "2020-01-01" },
            { "employee": R_STAF, "position": "STAF", "kind": "definitive", "from": "2020-01-01" }
        ]
    })
}

fn plans(work_tasks: &[&str]) -> Vec<UnitPlan> {
    vec![
        UnitPlan {
            id: "RENSTRA-U".into(),
            unit: UnitId("U".into()),
            kind: PlanKind::Strategic,
            from_year: 2025,
            until_year: 2029,
            reference: "Perwal 1/2025".into(),
            tasks: vec![],
        },
        UnitPlan {
            id: "RENJA-U-2026".into(),
            unit: UnitId("U".into()),
            kind: PlanKind::Work,
            from_year: 2026,
            until_year: 2026,
            reference: "Perwal 2/2026".into(),
            tasks: work_tasks.iter().map(|t| kinerja::TaskId::from(*t)).collect(),
        },
    ]
}

/// Both employees scan in on every working day of the month; both roll calls held daily.
fn full_month(city: &City, month: YearMonth) -> LedgerState {
    let mut s = LedgerState::default();
    for day in city.calendar.working_dates(month.range()) {
        for who in [R_HEAD, R_STAF] {
            s.clocks.push(ClockEvent {
                employee: nip(who),
                at: at(day, 7, 20),
                direction: ClockDirection::In,
                source: ClockSource::Fingerprint,
                geofence: None,
            });
        }
        for kind in [RollCallKind::Morning, RollCallKind::Afternoon] {
            s.roll_calls.push(RollCallList {
                date: day,
                kind,
                attended: vec![nip(R_HEAD), nip(R_STAF)],
                absent: vec![],
            });
        }
    }
    s
}

fn verdict(city: &City, state: &LedgerState, plans: &[UnitPlan]) -> kinerja::insights::readiness::Verdict {
    let policy = Policy::national();
    let month = YearMonth::new(2026, 2).unwrap();
    let ctx = MonthContext::new(city, &policy, month).unwrap();
    check_unit(city, &ctx, state, plans, &UnitId("U".into()), dec("90"), &policy).unwrap()
}

fn only_unmet(v: &kinerja::insights::readiness::Verdict) -> Vec<Requirement> {
    v.unmet.iter().map(|u| u.requirement).collect()
}

#[test]
fn a_unit_meeting_all_six_is_ready() {
    let city = Dataset::load_city(&ready_city_json().to_string()).unwrap();
    let state = full_month(&city, YearMonth::new(2026, 2).unwrap());
    let v = verdict(&city, &state, &plans(&["H1", "S1", "S2"]));
    assert!(v.ready, "{:?}", v.unmet);
    assert_eq!(v.electronic_attendance_percent, Some(dec("100.00")));
}

#[test]
fn each_requirement_fails_alone() {
    let month = YearMonth::new(2026, 2).unwrap();
    let base = ready_city_json();
    let city = Dataset::load_city(&base.to_string()).unwrap();
    let full = full_month(&city, month);
    let good_plans = plans(&["H1", "S1", "S2"]);

    // 1. A position without a task (vacant, so no employee's target is touched).
    let mut j = base.clone();
    j["positions"].as_array_mut().unwrap().push(serde_json::json!(
        { "id": "VACANT", "name": "Analis", "kind": "functional", "job_class": 8, "unit": "U", "supervisor": "HEAD" }));
    let c = Dataset::load_city(&j.to_string()).unwrap();
    let v = verdict(&c, &full, &good_plans);
    assert_eq!(only_unmet(&v), vec![Requirement::JobAnalysis]);
    assert_eq!(v.unmet[0].evidence, vec!["VACANT (Analis): no task".to_string()]);

    // 2. Task S2 without a workload volume (STAF keeps S1 with its workload; the dataset
    // itself refuses a standard time of zero).
    let mut j = base.clone();
    j["positions"][1]["analysis"]["tasks"][1]["volume"]["quantity"] = serde_json::json!("0");
    let c = Dataset::load_city(&j.to_string()).unwrap();
    let v = verdict(&c, &full, &good_plans);
    assert_eq!(only_unmet(&v), vec![Requirement::WorkloadAnalysis]);
    assert!(v.unmet[0].evidence[0].starts_with("STAF / S2"), "{:?}", v.unmet);

    // 3. No work plan for 2026.
    let v = verdict(&city, &full, &good_plans[..1]);
    assert_eq!(only_unmet(&v), vec![Requirement::Plans]);
    assert_eq!(v.unmet[0].evidence, vec!["no work plan (Renja) for 2026".to_string()]);

    // 4. The work plan lists only the head's task: neither task of the staff's target
    // (S1 and S2, both with workload) is aligned with it.
    let v = verdict(&city, &full, &plans(&["H1"]));
    assert_eq!(only_unmet(&v), vec![Requirement::Targets]);
    assert_eq!(
        v.unmet[0].evidence,
        vec![
            format!("{R_STAF}: task S1 of the target is not in the work plan (Renja 2026)"),
            format!("{R_STAF}: task S2 of the target is not in the work plan (Renja 2026)"),
        ]
    );

    // 5. The staff never scans: half of the working days (n of 2n) scanned, 50.00 % < 90 %.
    let mut s = full.clone();
    s.clocks.retain(|c| c.employee != nip(R_STAF));
    let v = verdict(&city, &s, &good_plans);
    assert_eq!(only_unmet(&v), vec![Requirement::ElectronicAttendance]);
    assert_eq!(v.electronic_attendance_percent, Some(dec("50.00")));

    // 6. No afternoon roll call on 2 February 2026 (a Monday).
    let mut s = full.clone();
    s.roll_calls.retain(|l| !(l.date == d(2026, 2, 2) && l.kind == RollCallKind::Afternoon));
    let v = verdict(&city, &s, &good_plans);
    assert_eq!(only_unmet(&v), vec![Requirement::RollCall]);
    assert_eq!(v.unmet[0].evidence, vec!["2026-02-02: no afternoon roll call".to_string()]);
}

#[test]
fn a_unit_pays_from_its_go_live_date() {
    let r = |go: Option<NaiveDate>| UnitRollout { unit: UnitId("DINAS".into()), shadow_month: None, go_live: go };
    let march = YearMonth::new(2026, 3).unwrap();
    let april = YearMonth::new(2026, 4).unwrap();
    assert!(r(Some(d(2026, 3, 1))).pays(march));
    assert!(!r(Some(d(2026, 3, 2))).pays(march));
    assert!(r(Some(d(2026, 3, 2))).pays(april));
    assert!(!r(None).pays(april));

    // Paying March with DINAS going live on 1 April: its four employees are not paid,
    // with the reason; BKD (not in the roll-out) is paid as before.
    let city = common::city();
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, march).unwrap();
    let ledger = Ledger::new(march);
    let recap = monthly_recap(&ledger, &ctx, ctx.settled_on()).unwrap();
    let mut payroll = kinerja::payroll::pay_city(&city, &ctx, &recap, &policy).unwrap();
    let paid_before = payroll.slips.len();
    assert_eq!(paid_before, 8);
    kinerja::payroll::hold_before_go_live(&mut payroll, &[r(Some(d(2026, 4, 1)))]).unwrap();
    assert_eq!(payroll.slips.len(), 4);
    let held: Vec<&kinerja::payroll::NotPaid> =
        payroll.not_paid.iter().filter(|n| n.code == kinerja::payroll::NotPaid::BEFORE_GO_LIVE).collect();
    assert_eq!(held.len(), 4);
    assert!(held.iter().all(|n| n.record == "rollout" && n.field == "go_live"));
    assert!(held[0].reason.contains("goes live on 2026-04-01"), "{}", held[0].reason);
    assert_eq!(payroll.summary.paid, 4);
    assert_eq!(payroll.summary.employees, 8);
    let dinas = payroll.units.iter().find(|u| u.unit.as_ref().is_some_and(|u| u.as_str() == "DINAS")).unwrap();
    assert_eq!(dinas.totals.count, 0);
    assert_eq!(payroll.city.count, 4);
}

// --- history helpers ----------------------------------------------------------------------

struct Row<'a> {
    nip: &'a str,
    unit: &'a str,
    achievement: Option<&'a str>,
    unexcused: u32,
    present: u32,
    returned: u32,
    entries: u32,
}

fn recap(month: (i32, u32), rows: &[Row<'_>], units: &[(&str, Option<&str>)]) -> MonthlyRecap {
    let ym = YearMonth::new(month.0, month.1).unwrap();
    let employees = rows
        .iter()
        .map(|r| EmployeeRecap {
            employee: nip(r.nip),
            unit: Some(UnitId(r.unit.into())),
            position: None,
            target: MonthTarget {
                employee: nip(r.nip),
                month: ym,
                calendar_working_days: 20,
                assigned_working_days: 20,
                reduced_days: 0,
                target_days: 20,
                daily_minutes: Minutes(300),
                target_minutes: Minutes(6000),
            },
            claimed_minutes: Minutes(0),
            verified_minutes: Minutes(0),
            achievement_percent: r.achievement.map(dec),
            entries: EntryCounts { pending: 0, approved: r.entries - r.returned, rejected: 0, returned: r.returned },
            attendance: MonthAttendance {
                working_days: 20,
                days_present: r.present,
                unexcused_days: r.unexcused,
                ..MonthAttendance::default()
            },
            roll_call: MonthRollCall::default(),
        })
        .collect();
    let units = units
        .iter()
        .map(|(u, mean)| UnitRecap {
            unit: UnitId((*u).into()),
            employees: 0,
            target_minutes: Minutes(0),
            verified_minutes: Minutes(0),
            mean_achievement_percent: mean.map(dec),
            entries: EntryCounts::default(),
            late_count: 0,
            early_count: 0,
            unexcused_days: 0,
            roll_calls_missed: 0,
        })
        .collect();
    MonthlyRecap {
        month: ym,
        as_of: ym.last_day(),
        deadline: ym.last_day(),
        deadline_passed: true,
        employees,
        units,
        provenance: vec![],
        closed: None,
        head: Head::genesis(ym),
    }
}

const A: &str = "199001012015011001";
const B: &str = "199001012015011002";
const C: &str = "199001012015011003";

fn row<'a>(nip: &'a str, achievement: Option<&'a str>, unexcused: u32, present: u32) -> Row<'a> {
    Row { nip, unit: "U", achievement, unexcused, present, returned: 0, entries: 10 }
}

/// Three months: A is steady at 100 %, B under 80 % every month, C improving.
fn history() -> Vec<MonthlyRecap> {
    vec![
        recap(
            (2026, 1),
            &[row(A, Some("100"), 0, 20), row(B, Some("70"), 2, 18), row(C, Some("60"), 0, 20)],
            &[("U", Some("76.67")), ("V", Some("90"))],
        ),
        recap(
            (2026, 2),
            &[row(A, Some("105"), 0, 20), row(B, Some("79.99"), 1, 19), row(C, Some("85"), 0, 20)],
            &[("U", Some("90")), ("V", Some("80"))],
        ),
        recap(
            (2026, 3),
            &[row(A, Some("100"), 0, 20), row(B, Some("50"), 0, 20), Row { returned: 5, ..row(C, Some("95"), 0, 20) }],
            &[("U", Some("81.67")), ("V", Some("70"))],
        ),
    ]
}

#[test]
fn training_lists_who_stays_under_target_or_is_often_returned() {
    let p = params(d(2026, 3, 1)); // N = 3 months, under 80 %, returned at 20 % or more
    let need = uses::training(&history(), &p).unwrap();
    // B: 70, 79.99, 50, each under 80. C: 5 returned of 30 entries = 16.67 % (< 20) and
    // 85 and 95 are above 80: not listed. A: never under.
    assert_eq!(need.len(), 1);
    assert_eq!(need[0].employee, nip(B));
    assert!(need[0].under_target && !need[0].often_returned);
    // With C's March at 10 returned of 10: 10 of 30 = 33.33 % >= 20: listed for returns.
    let mut h = history();
    h[2].employees[2].entries = EntryCounts { pending: 0, approved: 0, rejected: 0, returned: 10 };
    let need = uses::training(&h, &p).unwrap();
    let c = need.iter().find(|n| n.employee == nip(C)).unwrap();
    assert_eq!(c.returned_percent, Some(dec("33.33")));
    assert!(c.often_returned && !c.under_target);
    assert_eq!(uses::training(&[], &p).unwrap_err().code(), "no_history");
}

#[test]
fn performance_ranks_by_the_last_month_with_the_trend() {
    let r = uses::performance(&history()).unwrap();
    // Units in March: U 81.67 before V 70. Trend U: 81.67 - 76.67 = 5.00; V: 70 - 90 = -20.
    let units: Vec<(&str, u32, Option<Decimal>)> = r.units.iter().map(|u| (u.id.as_str(), u.rank, u.trend)).collect();
    assert_eq!(units, vec![("U", 1, Some(dec("5.00"))), ("V", 2, Some(dec("-20")))]);
    // Employees in March: A 100, C 95, B 50. Trends: A 0, C 95 - 60 = 35, B 50 - 70 = -20.
    let emps: Vec<(String, Option<Decimal>)> = r.employees.iter().map(|e| (e.id.clone(), e.trend)).collect();
    assert_eq!(
        emps,
        vec![(A.to_string(), Some(dec("0"))), (C.to_string(), Some(dec("35"))), (B.to_string(), Some(dec("-20")))]
    );
}

#[test]
fn promotion_needs_n_months_of_achievement_and_discipline() {
    let city = staffing_city_with(&[A, B, C]);
    let p = params(d(2026, 3, 1)); // N = 3, at least 100 %
    let c = uses::promotion(&city, &history(), &p).unwrap();
    // Only A is at 100 % or more in each of the 3 months with no unexcused day.
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].employee, nip(A));
    assert_eq!(c[0].rank, "II/a");
    assert!(c[0].promotion_eligible);
    // With two months of history A has not had N = 3 months yet.
    assert!(uses::promotion(&city, &history()[1..], &p).unwrap().is_empty());
}

/// A unit U with one executor position held by each of `nips` (rank II/a, PNS).
fn staffing_city_with(nips: &[&str]) -> City {
    Dataset::load_city(&staffing_city_json(nips).to_string()).unwrap()
}

/// The dataset of [`staffing_city_with`]: every employee holds rank II/a since 1 January 2020.
fn staffing_city_json(nips: &[&str]) -> serde_json::Value {
    let employees: Vec<_> = nips
        .iter()
        .map(|n| serde_json::json!({ "nip": n, "name": n, "rank": "II/a", "employment": "PNS", "rank_since": "2020-01-01" }))
        .collect();
    let assignments: Vec<_> = nips
        .iter()
        .map(|n| serde_json::json!({ "employee": n, "position": "EXE", "kind": "definitive", "from": "2020-01-01" }))
        .collect();
    let json = serde_json::json!({
        "schema_version": 1,
        "government": { "code": "9999", "name": "Kota Uji" },
        "calendar": serde_json::to_value(kinerja::calendar::WorkCalendar::indonesia_2026()).unwrap(),
        "units": [ { "id": "U", "name": "Unit" } ],
        "positions": [ { "id": "EXE", "name": "Pelaksana", "kind": "executor", "job_class": 5, "unit": "U",
            "analysis": { "tasks": [ { "id": "E1", "name": "t", "output": "o", "output_unit": "o",
               "standard_minutes": 30, "volume": { "quantity": "10", "per": "day" } },
               { "id": "E2", "name": "u", "output": "o", "output_unit": "",
               "standard_minutes": 20, "volume": { "quantity": "1", "per": "day" } },
               { "id": "E3", "name": "v", "output": "o", "output_unit": "o",
               "standard_minutes": 15, "volume": { "quantity": "1", "per": "day" } } ] } } ],
        "employees": employees,
        "assignments": assignments
    });
    json
}

#[test]
fn sanctions_add_unexcused_days_over_the_year() {
    let p = params(d(2026, 3, 1));
    // B: 2 + 1 + 0 = 3 days in 2026: oral warning. A and C: 0.
    let s = uses::sanctions(&history(), &p, 2026).unwrap();
    assert_eq!(s.len(), 1);
    assert_eq!((s[0].employee.clone(), s[0].cumulative), (nip(B), 3));
    assert_eq!(s[0].rung.sanction, "oral_warning");
    // One more month with 8 days: 11 in the year, the first medium rung.
    let mut h = history();
    h.push(recap((2026, 4), &[row(B, Some("50"), 8, 12)], &[]));
    let s = uses::sanctions(&h, &p, 2026).unwrap();
    assert_eq!((s[0].cumulative, s[0].rung.sanction.as_str()), (11, "allowance_cut_6_months"));
    // Another year's months do not count.
    assert!(uses::sanctions(&history(), &p, 2025).unwrap().is_empty());
}

#[test]
fn best_performance_is_scored_line_by_line() {
    let p = params(d(2026, 3, 1)); // 70 % achievement, 30 % presence
    let a = awards::awards(&history(), &[], p.award_weights, 2026).unwrap();
    let first = &a.performance[0];
    // A: achievement (100 + 100 (105 capped) + 100) / 3 = 100.00; presence 100.00;
    // 70.00 + 30.00 = 100.00.
    assert_eq!(first.employee, nip(A));
    assert_eq!((first.achievement, first.presence, first.score), (dec("100.00"), dec("100.00"), dec("100.00")));
    // C: (60 + 85 + 95) / 3 = 80.00 -> 56.00; presence 100 -> 30.00; score 86.00.
    assert_eq!(a.performance[1].employee, nip(C));
    assert_eq!((a.performance[1].achievement_points, a.performance[1].score), (dec("56.00"), dec("86.00")));
    // B: (70 + 79.99 + 50) / 3 = 66.663 -> 66.66 -> 46.662 -> 46.66; presence
    // (90 + 95 + 100) / 3 = 95.00 -> 28.50; score 75.16.
    assert_eq!(a.performance[2].score, dec("75.16"));
    assert_eq!(a.performance_winners().len(), 3);
}

#[test]
fn nominations_are_ranked_by_mean_panel_score_with_the_stated_tie_rule() {
    let n = |id: &str, who: &str, cat, scores: &[&str]| Nomination {
        id: id.into(),
        year: 2026,
        category: cat,
        employee: nip(who),
        title: format!("nominasi {id}"),
        panel_scores: scores.iter().map(|s| dec(s)).collect(),
    };
    let noms = vec![
        n("N1", A, NominationCategory::Service, &["80", "90"]), // 85.00
        n("N2", B, NominationCategory::Service, &["85"]),       // 85.00, one score
        n("N3", C, NominationCategory::Service, &["85", "85"]), // 85.00, two scores, id N3
        n("N4", A, NominationCategory::Service, &["60", "70", "80"]), // 70.00
        n("N5", C, NominationCategory::Innovative, &["99"]),
        n("N6", A, NominationCategory::Service, &["90"]),
    ];
    let p = params(d(2026, 3, 1));
    let a = awards::awards(&history(), &noms, p.award_weights, 2026).unwrap();
    // N6 90; then 85 three ways: N1 and N3 have two scores (N1 before N3 by id), N2 one.
    let order: Vec<&str> = a.service.iter().map(|s| s.nomination.as_str()).collect();
    assert_eq!(order, vec!["N6", "N1", "N3", "N2", "N4"]);
    let winners: Vec<&str> = a.service_winners().iter().map(|s| s.nomination.as_str()).collect();
    assert_eq!(winners, vec!["N6", "N1", "N3"]);
    assert_eq!(a.innovative_winners().len(), 1);
    let bad = vec![n("X", A, NominationCategory::Service, &["101"])];
    assert_eq!(awards::awards(&history(), &bad, p.award_weights, 2026).unwrap_err().code(), "score_out_of_range");
}

fn entry(
    id: u64,
    who: &str,
    task: &str,
    std: i64,
    qty: i64,
    approved: Option<i64>,
    status: VerificationStatus,
) -> ActivityEntry {
    ActivityEntry {
        id: ActivityId(id),
        employee: nip(who),
        date: d(2026, 3, 2),
        start: t(8, 0),
        end: t(9, 0),
        task: task.into(),
        quantity: qty,
        approved_quantity: approved,
        standard_minutes: Minutes(std),
        description: Arc::from("kerja"),
        evidence: None,
        status,
        submitted_at: at(d(2026, 3, 2), 16, 0),
        revision: 0,
    }
}

#[test]
fn procedures_flag_missing_standards_unlogged_tasks_and_drift() {
    let city = staffing_city_with(&[A]);
    let mut s = LedgerState::default();
    // E1 (30 min standard): 2 letters in 08:00-09:00 = 30 min each: no drift.
    s.entries.push(entry(1, A, "E1", 30, 2, None, VerificationStatus::Approved));
    // E2 (20 min, no output unit): 2 in 60 min = 30 min each, +50 % > 25 %: drifts.
    s.entries.push(entry(2, A, "E2", 20, 2, None, VerificationStatus::Approved));
    // E3 is never logged.
    let p = uses::procedures(&city, &[&s], &params(d(2026, 3, 1))).unwrap();
    let flags: Vec<(&str, &str)> = p.flags.iter().map(|f| (f.task.as_str(), f.reason.as_str())).collect();
    assert_eq!(flags, vec![("E2", "no_output_unit"), ("E3", "not_logged")]);
    assert_eq!(p.drifting.len(), 1);
    assert_eq!(p.drifting[0].task.as_str(), "E2");
    assert_eq!((p.drifting[0].minutes_per_unit, p.drifting[0].drift_percent), (dec("30.00"), dec("50.00")));
}

#[test]
fn verification_quality_per_supervisor() {
    let mut s = LedgerState::default();
    for i in 1..=4 {
        s.entries.push(entry(i, A, "E1", 30, 4, None, VerificationStatus::Approved));
    }
    // Submitted 2 March 16:00. Decisions after 60, 120 and 180 minutes, and one on 6
    // March 10:00 (5,520 minutes) at a lower quantity, within 24 h of the deadline
    // (6 March, so until 7 March 00:00).
    let decide = |entry: u64, at_: chrono::NaiveDateTime, quantity: Option<i64>| Transition {
        entry: ActivityId(entry),
        by: common::actor(B),
        role: Some(VerifierRole::Definitive),
        at: at_,
        from: VerificationStatus::Submitted,
        to: VerificationStatus::Approved,
        reason: None,
        quantity,
    };
    s.transitions.push(decide(1, at(d(2026, 3, 2), 17, 0), None));
    s.transitions.push(decide(2, at(d(2026, 3, 2), 18, 0), Some(4)));
    s.transitions.push(decide(3, at(d(2026, 3, 2), 19, 0), None));
    s.transitions.push(decide(4, at(d(2026, 3, 6), 10, 0), Some(3)));
    let q = uses::verification_quality(&[DecidedMonth { state: &s, deadline: d(2026, 3, 6) }], &params(d(2026, 3, 1)));
    assert_eq!(q.len(), 1);
    let v = &q[0];
    // 3 of 4 approved at the claimed quantity (entry 2 names the same 4): 75.00 %;
    // 1 of 4 last-minute: 25.00 %; times 60, 120, 180, 5,520: lower middle 120.
    assert_eq!((v.decisions, v.approved_unchanged, v.last_minute), (4, 3, 1));
    assert_eq!(v.approved_unchanged_percent, Some(dec("75.00")));
    assert_eq!(v.last_minute_percent, Some(dec("25.00")));
    assert_eq!(v.median_minutes_to_decide, Some(120));
}

#[test]
fn every_insight_policy_value_resolves_from_2020() {
    for date in [d(2020, 1, 1), d(2021, 8, 30), d(2021, 8, 31), d(2026, 12, 31)] {
        let p = params(date);
        assert_eq!(p.retirement_age.len(), 5);
        assert!(!p.sanction_ladder.is_empty());
    }
    // Before PP 94/2021 the PP 53/2010 ladder applies: 5 days for an oral warning.
    let old = params(d(2021, 8, 30));
    assert_eq!(uses::ladder_rung(&old.sanction_ladder, 4), None);
    assert_eq!(uses::ladder_rung(&old.sanction_ladder, 5).unwrap().sanction, "oral_warning");
    // A city's weights that do not sum to 100 are refused when the file loads.
    let bad = "[layer]\nname = \"K\"\n[[awards.weights]]\nfrom = 2026-01-01\nvalue = { achievement = \"70\", discipline = \"40\" }\nref = \"x\"\n";
    assert!(Policy::national().with_toml("k.toml", bad).is_err());
}

#[test]
fn the_generator_makes_real_sized_deterministic_insight_records() {
    use kinerja::generator::{GeneratorConfig, generate, generate_insights};
    let ds = generate(&GeneratorConfig::default()).unwrap();
    let a = generate_insights(&ds, 1, 2026, 6);
    assert_eq!(a, generate_insights(&ds, 1, 2026, 6));
    assert_ne!(a, generate_insights(&ds, 2, 2026, 6));
    a.validate().unwrap();
    // Banda Aceh's 39 units: a budget, a strategic plan and a roll-out entry each.
    assert_eq!(a.budgets.len(), 39);
    assert_eq!(a.rollout.len(), 39);
    assert_eq!(a.plans.iter().filter(|p| p.kind == PlanKind::Strategic).count(), 39);
    assert_eq!(a.nominations.len(), 12);
    // The 5 pilot units pay from January; unit 6 (first wave) from March after a
    // February shadow month.
    assert!(a.rollout[..5].iter().all(|r| r.go_live == Some(d(2026, 1, 1))));
    assert_eq!(a.rollout[5].go_live, Some(d(2026, 3, 1)));
    assert_eq!(a.rollout[5].shadow_month, YearMonth::new(2026, 2));
    // The report runs over them, some units behind plan and some not.
    let r = realisation(&a.budgets, 2026, 6, dec("10"), &[]).unwrap();
    assert_eq!(r.units.len(), 39);
    assert!(!r.behind_units.is_empty() && r.behind_units.len() < 39, "{}", r.behind_units.len());
    // It round-trips through JSON, the form a city keeps beside its dataset.
    assert_eq!(kinerja::insights::InsightsRecords::from_json(&a.to_json()).unwrap(), a);
}

#[test]
fn ten_consecutive_unexcused_days_reach_dismissal_whatever_the_count() {
    use kinerja::attendance::{AbsenceKind, DayAttendance, DayStatus};
    let day = |n: u32, status: DayStatus| DayAttendance {
        date: d(2026, 3, n),
        status,
        check_in: None,
        check_out: None,
        late_minutes: Minutes(0),
        early_minutes: Minutes(0),
        late_band: None,
        early_band: None,
        missing_check_in: false,
        missing_check_out: false,
        off_site: None,
        shift: None,
        rostered_off: false,
        check_out_next_day: false,
        check_in_geofence: None,
        check_out_geofence: None,
        geofence_flagged: false,
    };
    // Mon 2 - Fri 6 unexcused, the weekend 7-8 neither counts nor breaks the run,
    // Mon 9 - Thu 12 unexcused: 5 + 4 = 9; a permit on Fri 13; present on Mon 16.
    let mut days: Vec<DayAttendance> = (2..=6).map(|n| day(n, DayStatus::Unexcused)).collect();
    days.extend([day(7, DayStatus::NonWorking), day(8, DayStatus::NonWorking)]);
    days.extend((9..=12).map(|n| day(n, DayStatus::Unexcused)));
    days.push(day(13, DayStatus::Excused(AbsenceKind::Permit)));
    days.push(day(16, DayStatus::Present));
    let p = params(d(2026, 3, 1));
    assert_eq!(uses::longest_unexcused_run(&days), 9);
    assert!(uses::consecutive_rung(&p, 9).is_none());
    // Unexcused on Fri 13 instead of the permit: 10 in a row, dismissal.
    days[11] = day(13, DayStatus::Unexcused);
    assert_eq!(uses::longest_unexcused_run(&days), 10);
    assert_eq!(uses::consecutive_rung(&p, 10).unwrap().sanction, "dismissal");
}

// --- training per task group --------------------------------------------------------------

/// One executor A (sole holder of EXE) with three tasks stated per year:
/// E1 letters (surat, 30 min, 240 a year), E2 memos (also counted in surat, 15 min, 480 a
/// year) and E3 files (berkas, 10 min, 1,200 a year) in the explicit group `kearsipan`.
fn training_city() -> City {
    let mut j = staffing_city_json(&[A]);
    j["positions"][0]["analysis"]["tasks"] = serde_json::json!([
        { "id": "E1", "name": "Surat", "output": "surat", "output_unit": "surat",
          "standard_minutes": 30, "volume": { "quantity": "240", "per": "year" } },
        { "id": "E2", "name": "Nota", "output": "nota", "output_unit": "surat",
          "standard_minutes": 15, "volume": { "quantity": "480", "per": "year" } },
        { "id": "E3", "name": "Arsip", "output": "berkas", "output_unit": "berkas", "group": "kearsipan",
          "standard_minutes": 10, "volume": { "quantity": "1200", "per": "year" } }
    ]);
    Dataset::load_city(&j.to_string()).unwrap()
}

/// A month's ledger with A's approved entries `(id, task, standard minutes, quantity)`.
fn approved(entries: &[(u64, &str, i64, i64)]) -> LedgerState {
    let mut s = LedgerState::default();
    for (id, task, std, qty) in entries {
        s.entries.push(entry(*id, A, task, *std, *qty, None, VerificationStatus::Approved));
    }
    s
}

#[test]
fn training_reads_verified_output_per_task_group_against_the_target() {
    let city = training_city();
    let p = params(d(2026, 3, 1)); // N = 3 months, under 80 %, returned at 20 % or more
    let abk = AbkParams::from_policy(&Policy::national(), d(2026, 3, 1)).unwrap().params;
    assert_eq!(city.organisation.positions()[0].analysis.tasks[1].group_name(), "surat");
    // 2026 has 240 working days: January 20, February 18, March 17. A month's target
    // of a task is annual x month days / 240:
    //   E1: 240 x 20/240 = 20, x 18/240 = 18, x 17/240 = 17 letters -> 600, 540, 510 min
    //   E2: 480 x 20/240 = 40, 36, 34 memos x 15 min -> 600, 540, 510 min
    //   group surat: 60, 54, 51 pieces and 1,200, 1,080, 1,020 minutes
    //   E3 (kearsipan): 1,200 x 20/240 = 100, 90, 85 files x 10 min -> 1,000, 900, 850 min
    // Verified (approved quantity x standard minutes):
    //   surat January: 10 letters x 30 + 20 memos x 15 = 600 of 1,200 = 50.00 %
    //   surat February: 18 letters x 30 = 540 of 1,080 = 50.00 %
    //   surat March: 10 x 30 + 30 x 15 = 750 of 1,020 = 73.529... = 73.53 % (< 80)
    //   kearsipan: 100, 90, 85 files = 100.00 % each month.
    let jan = approved(&[(1, "E1", 30, 10), (2, "E2", 15, 20), (3, "E3", 10, 100)]);
    let feb = approved(&[(1, "E1", 30, 18), (2, "E3", 10, 90)]);
    let mut mar = approved(&[(1, "E1", 30, 10), (2, "E2", 15, 30)]);
    // March's files in 5 entries of 17 (85 in all), two of them returned once before
    // approval: kearsipan has 1 + 1 + 5 = 7 entries, 2 returned = 28.57 % (>= 20).
    for id in 3..=7 {
        mar.entries.push(entry(id, A, "E3", 10, 17, None, VerificationStatus::Approved));
    }
    for id in [4, 6] {
        mar.transitions.push(Transition {
            entry: kinerja::activity::ActivityId(id),
            by: common::actor(B),
            role: Some(VerifierRole::Definitive),
            at: at(d(2026, 3, 3), 9, 0),
            from: VerificationStatus::Submitted,
            to: VerificationStatus::Returned,
            reason: Some("lampiran kurang".into()),
            quantity: None,
        });
    }
    let month = |m| YearMonth::new(2026, m).unwrap();
    let months = [
        uses::LedgerMonth { month: month(3), state: &mar },
        uses::LedgerMonth { month: month(1), state: &jan },
        uses::LedgerMonth { month: month(2), state: &feb },
    ];
    let need = uses::training_by_group(&city, &months, &abk, &p).unwrap();
    let lines: Vec<(&str, bool, bool)> =
        need.iter().map(|n| (n.group.as_str(), n.under_target, n.often_returned)).collect();
    assert_eq!(lines, vec![("kearsipan", false, true), ("surat", true, false)]);
    let surat = &need[1];
    assert_eq!(surat.tasks, vec![kinerja::TaskId::from("E1"), kinerja::TaskId::from("E2")]);
    let figures: Vec<(Decimal, Decimal, i64, Option<Decimal>)> = surat
        .months
        .iter()
        .map(|m| (m.target_quantity, m.target_minutes, m.verified_minutes, m.achievement_percent))
        .collect();
    assert_eq!(
        figures,
        vec![
            (dec("60"), dec("1200"), 600, Some(dec("50.00"))),
            (dec("54"), dec("1080"), 540, Some(dec("50.00"))),
            (dec("51"), dec("1020"), 750, Some(dec("73.53"))),
        ]
    );
    // surat entries: 2 in January, 1 in February, 2 in March; none returned.
    assert_eq!((surat.entries, surat.returned), (5, 0));
    let arsip = &need[0];
    assert_eq!((arsip.entries, arsip.returned, arsip.returned_percent), (7, 2, Some(dec("28.57"))));
    assert!(arsip.months.iter().all(|m| m.achievement_percent == Some(dec("100.00"))));
    assert_eq!(arsip.unit, Some(UnitId("U".into())));

    // With two months only, surat has not been under target for N = 3 months; kearsipan's
    // returns (2 of 6 entries in February and March = 33.33 %) still list it.
    let need = uses::training_by_group(&city, &months[..2], &abk, &p).unwrap();
    let lines: Vec<(&str, bool, bool)> =
        need.iter().map(|n| (n.group.as_str(), n.under_target, n.often_returned)).collect();
    assert_eq!(lines, vec![("kearsipan", false, true)]);
    assert_eq!(need[0].returned_percent, Some(dec("33.33")));

    // Either side of 80 % in March (80 % of 1,020 is 816 minutes, not a sum of 30s and
    // 15s): 21 x 30 + 12 x 15 = 630 + 180 = 810 of 1,020 = 79.41 % (under: listed);
    // 21 x 30 + 13 x 15 = 630 + 195 = 825 of 1,020 = 80.88 % (not under: not listed).
    let under = approved(&[(1, "E1", 30, 21), (2, "E2", 15, 12)]);
    let over = approved(&[(1, "E1", 30, 21), (2, "E2", 15, 13)]);
    for (state, listed, pct) in [(&under, true, "79.41"), (&over, false, "80.88")] {
        let m = [months[1], months[2], uses::LedgerMonth { month: month(3), state }];
        let need = uses::training_by_group(&city, &m, &abk, &p).unwrap();
        let surat = need.iter().find(|n| n.group == "surat");
        assert_eq!(surat.is_some(), listed, "{pct}");
        if let Some(s) = surat {
            assert_eq!(s.months[2].achievement_percent, Some(dec(pct)));
        }
    }
    assert_eq!(uses::training_by_group(&city, &[], &abk, &p).unwrap_err().code(), "no_history");
}

// --- readiness requirement 4 from the targets module -------------------------------------------

#[test]
fn targets_requirement_reads_yearly_targets_shares_and_the_work_plan_in_the_budget() {
    let month = YearMonth::new(2026, 2).unwrap();
    let city = Dataset::load_city(&ready_city_json().to_string()).unwrap();
    let full = full_month(&city, month);
    let policy = Policy::national();
    let ctx = MonthContext::new(&city, &policy, month).unwrap();
    let unit = UnitId("U".into());
    let check = |city: &City, plans: &[UnitPlan], budgets: &[UnitBudget]| {
        let data = kinerja::insights::readiness::PlanData { plans, budgets };
        kinerja::insights::readiness::check_unit_with(city, &ctx, &full, data, &unit, dec("90"), &policy).unwrap()
    };
    // The Renja lists only H1; a 2026 budget sub-activity of U names position STAF, so
    // both of STAF's tasks are in the work plan: ready.
    let mut carried = sub("S", 1_000_000, &[], &[], &[]);
    carried.positions = vec![kinerja::PositionId::from("STAF")];
    let mut b = budget(vec![carried]);
    b.unit = unit.clone();
    let v = check(&city, &plans(&["H1"]), std::slice::from_ref(&b));
    assert!(v.ready, "{:?}", v.unmet);
    // A sub-activity naming task S1 alone leaves S2 out of the work plan.
    let mut only_s1 = b.clone();
    only_s1.programmes[0].activities[0].sub_activities[0].positions = vec![];
    only_s1.programmes[0].activities[0].sub_activities[0].tasks = vec![kinerja::TaskId::from("S1")];
    let v = check(&city, &plans(&["H1"]), &[only_s1]);
    assert_eq!(only_unmet(&v), vec![Requirement::Targets]);
    assert_eq!(
        v.unmet[0].evidence,
        vec![format!("{R_STAF}: task S2 of the target is not in the work plan (Renja 2026)")]
    );
    // Another year's budget does not count.
    let mut b2025 = b.clone();
    b2025.year = 2025;
    let v = check(&city, &plans(&["H1"]), &[b2025]);
    assert_eq!(only_unmet(&v), vec![Requirement::Targets]);

    let good = plans(&["H1", "S1", "S2"]);
    // An employee without a target: explicit shares give STAF none of S1 and S2 (share 0,
    // the rest of each task unassigned): every task quantity is 0.
    let mut j = ready_city_json();
    j["target_shares"] = serde_json::json!([
        { "employee": R_STAF, "task": "S1", "share": "0" },
        { "employee": R_STAF, "task": "S2", "share": "0" }
    ]);
    let c = Dataset::load_city(&j.to_string()).unwrap();
    let v = check(&c, &good, &[]);
    assert_eq!(only_unmet(&v), vec![Requirement::Targets]);
    assert_eq!(
        v.unmet[0].evidence,
        vec![format!("{R_STAF}: no target for 2026 (no task of position STAF with a share of workload)")]
    );
    // A target naming a task of another position (the head's H1): reported, and left out
    // of the computation (STAF's own S1 and S2 keep their even split).
    let mut c = city.clone();
    c.target_shares.push(kinerja::targets::TargetShare {
        employee: nip(R_STAF),
        task: kinerja::TaskId::from("H1"),
        share: dec("0.5"),
    });
    let v = check(&c, &good, &[]);
    assert_eq!(only_unmet(&v), vec![Requirement::Targets]);
    assert_eq!(
        v.unmet[0].evidence,
        vec![format!("{R_STAF}: the target names task H1, which is not a task of their position STAF")]
    );
    // A work plan naming no task, and no budget naming any: nothing is aligned.
    let v = check(&city, &plans(&[]), &[]);
    assert_eq!(only_unmet(&v), vec![Requirement::Targets]);
    assert_eq!(
        v.unmet[0].evidence,
        vec![
            "the work plan RENJA-U-2026 names no task, and no sub-activity of the unit's 2026 budget names a task or position"
                .to_string()
        ]
    );
}

// --- promotion: years in rank ---------------------------------------------------------------

#[test]
fn promotion_needs_the_minimum_years_in_rank_on_both_sides_of_the_boundary() {
    let p = params(d(2026, 3, 1));
    assert_eq!(p.min_years_in_rank, 4);
    // The history ends 31 March 2026. A in rank since 31 March 2022: 4 whole years on
    // 31 March 2026, eligible. Since 1 April 2022: 3 whole years (the 4th completes on
    // 1 April 2026), not eligible.
    let with_since = |since: Option<&str>| {
        let mut j = staffing_city_json(&[A, B, C]);
        match since {
            Some(s) => j["employees"][0]["rank_since"] = serde_json::json!(s),
            None => {
                j["employees"][0].as_object_mut().unwrap().remove("rank_since");
            }
        }
        Dataset::load_city(&j.to_string()).unwrap()
    };
    let c = uses::promotion(&with_since(Some("2022-03-31")), &history(), &p).unwrap();
    assert_eq!((c[0].employee.clone(), c[0].years_in_rank, c[0].promotion_eligible), (nip(A), Some(4), true));
    assert_eq!(c[0].rank_since, Some(d(2022, 3, 31)));
    let c = uses::promotion(&with_since(Some("2022-04-01")), &history(), &p).unwrap();
    assert_eq!((c[0].years_in_rank, c[0].promotion_eligible), (Some(3), false));
    assert_eq!(
        c[0].not_eligible_because.as_deref(),
        Some("3 whole year(s) in rank II/a since 2022-04-01, fewer than the 4 required")
    );
    // No rank date recorded: not eligible, and said so.
    let c = uses::promotion(&with_since(None), &history(), &p).unwrap();
    assert!(!c[0].promotion_eligible);
    assert_eq!(c[0].not_eligible_because.as_deref(), Some("the date of the current rank (rank_since) is not recorded"));
    // A city that asks 3 years makes 1 April 2022 eligible.
    let three = "[layer]\nname = \"K\"\n[[insights.promotion.min_years_in_rank]]\nfrom = 2026-01-01\nvalue = 3\nref = \"Perwal uji\"\n";
    let policy = Policy::national().with_toml("k.toml", three).unwrap();
    let p3 = InsightParams::from_policy(&policy, d(2026, 3, 1)).unwrap().params;
    assert!(uses::promotion(&with_since(Some("2022-04-01")), &history(), &p3).unwrap()[0].promotion_eligible);
}

// --- sanctions: 10 consecutive unexcused working days ------------------------------------------

/// A's March 2026 day by day: the `unexcused` dates unexcused, other working days present,
/// weekends and holidays non-working (from the 2026 calendar).
fn march_days(unexcused: &[u32]) -> Vec<kinerja::attendance::DayAttendance> {
    use kinerja::attendance::{DayAttendance, DayStatus};
    let cal = kinerja::calendar::WorkCalendar::indonesia_2026();
    (1..=31)
        .map(|n| {
            let date = d(2026, 3, n);
            let status = if !cal.is_working_day(date) {
                DayStatus::NonWorking
            } else if unexcused.contains(&n) {
                DayStatus::Unexcused
            } else {
                DayStatus::Present
            };
            DayAttendance {
                date,
                status,
                check_in: None,
                check_out: None,
                late_minutes: Minutes(0),
                early_minutes: Minutes(0),
                late_band: None,
                early_band: None,
                missing_check_in: false,
                missing_check_out: false,
                off_site: None,
                shift: None,
                rostered_off: false,
                check_out_next_day: false,
                check_in_geofence: None,
                check_out_geofence: None,
                geofence_flagged: false,
            }
        })
        .collect()
}

#[test]
fn sanctions_report_applies_the_ten_consecutive_days_rule_across_weekends_and_holidays() {
    let p = params(d(2026, 3, 1)); // 10 consecutive days; ladder 7-10 written dissatisfaction
    // March 2026's working days from the 10th: 10, 11, 12, 13 | weekend 14-15 | 16, 17 |
    // 18-24 holidays and a weekend (Nyepi, Idul Fitri, joint leave) | 25, 26, 27 | 28-29 |
    // 30, 31. Runs ending on the 31st:
    //   from 12: 12, 13, 16, 17, 25, 26, 27, 30, 31 = 9 days
    //   from 11: 10 days; from 10: 11 days.
    let run = |from: u32| -> Vec<u32> {
        [10, 11, 12, 13, 16, 17, 25, 26, 27, 30, 31].into_iter().filter(|n| *n >= from).collect()
    };
    let cases = [
        (12, 9, false, "written_dissatisfaction"), // 9 cumulative: the 7-10 rung
        (11, 10, true, "dismissal"),               // 10 cumulative would be written_dissatisfaction
        (10, 11, true, "dismissal"),               // 11 cumulative would be allowance_cut_6_months
    ];
    for (from, days, consecutive, sanction) in cases {
        let h = vec![recap((2026, 3), &[row(A, Some("50"), days, 17 - days)], &[])];
        let by_day = std::collections::BTreeMap::from([(nip(A), march_days(&run(from)))]);
        let s = uses::sanctions_with_days(&h, &by_day, &p, 2026).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!((s[0].cumulative, s[0].longest_run), (days, days), "from the {from}th");
        assert_eq!((s[0].consecutive, s[0].rung.sanction.as_str()), (consecutive, sanction), "from the {from}th");
    }
    // The same 10 days with a present day (Monday 16) among them: runs of 3 (11-13) and
    // 6 (17, 25, 26, 27, 30, 31) + ... : 11, 12, 13 | 16 present | 17, 25, 26, 27, 30, 31:
    // longest 6, no dismissal; 9 unexcused days cumulative: written dissatisfaction.
    let broken: Vec<u32> = run(11).into_iter().filter(|n| *n != 16).collect();
    let h = vec![recap((2026, 3), &[row(A, Some("50"), 9, 8)], &[])];
    let by_day = std::collections::BTreeMap::from([(nip(A), march_days(&broken))]);
    let s = uses::sanctions_with_days(&h, &by_day, &p, 2026).unwrap();
    assert_eq!(
        (s[0].longest_run, s[0].consecutive, s[0].rung.sanction.as_str()),
        (6, false, "written_dissatisfaction")
    );
    // Days of another year do not count toward 2026's run.
    let s = uses::sanctions_with_days(&h, &by_day, &p, 2025).unwrap();
    assert!(s.is_empty());
}

#[test]
fn unexcused_days_are_read_from_the_months_ledgers() {
    // An empty March 2026 ledger, settled: none of the eight employees of the test city
    // scanned or had an absence, so each of March's 17 working days is unexcused, one run
    // of 17 across the weekends and the 18-24 holidays: dismissal by the consecutive rule
    // (17 cumulative alone is the 17-20 rung, allowance cut for 12 months).
    let city = common::city();
    let policy = Policy::national();
    let march = YearMonth::new(2026, 3).unwrap();
    let ctx = MonthContext::new(&city, &policy, march).unwrap();
    let ledger = Ledger::new(march);
    let recap = monthly_recap(&ledger, &ctx, ctx.settled_on()).unwrap();
    let days = uses::unexcused_days(&[(&ledger, &ctx, &recap)]).unwrap();
    assert_eq!(days.len(), 8);
    let p = params(d(2026, 3, 1));
    let s = uses::sanctions_with_days(&[recap], &days, &p, 2026).unwrap();
    assert_eq!(s.len(), 8);
    for l in &s {
        assert_eq!((l.cumulative, l.longest_run, l.consecutive), (17, 17, true), "{}", l.employee);
        assert_eq!(l.rung.sanction, "dismissal");
    }
}

// --- messages ----------------------------------------------------------------------------------

#[test]
fn insights_errors_are_sentences_naming_record_and_field_in_both_languages() {
    use kinerja::i18n::{Lang, Renderer};
    let r = Renderer::builtin();
    let errors = [
        (
            InsightsError::CeilingExceeded {
                sub_activity: "1.02.01".into(),
                month: 2,
                realised: dec("1300000"),
                ceiling: dec("1200000"),
            },
            "Sub-activity 1.02.01, field `realisation`: the realisation up to month 2 adds up to Rp 1,300,000, beyond the ceiling (pagu) of Rp 1,200,000.",
            "Sub kegiatan 1.02.01, kolom `realisation`: realisasi sampai bulan ke-2 berjumlah Rp 1.300.000, melebihi pagu Rp 1.200.000.",
        ),
        (
            InsightsError::PlanExceedsCeiling { sub_activity: "A".into(), planned: dec("1100"), ceiling: dec("1000") },
            "Sub-activity A, field `plan`",
            "Sub kegiatan A, kolom `plan`",
        ),
        (
            InsightsError::ProgressOutOfRange { sub_activity: "A".into(), month: 3, progress: dec("100.01") },
            "Sub-activity A, field `progress`",
            "Sub kegiatan A, kolom `progress`",
        ),
        (
            InsightsError::NegativeAmount { record: "revenue", id: "4.1".into(), field: "target", amount: dec("-5") },
            "Record revenue 4.1, field `target`",
            "Catatan revenue 4.1, kolom `target`",
        ),
        (
            InsightsError::TooManyMonths { record: "sub_activity", id: "A".into(), field: "plan", len: 13 },
            "field `plan`: 13 months",
            "kolom `plan`: diberikan 13 bulan",
        ),
        (
            InsightsError::DuplicateCode { record: "programme", id: "P1".into() },
            "Record programme P1, field `code`",
            "Catatan programme P1, kolom `code`",
        ),
        (
            InsightsError::UnknownUnit { record: "budget", id: "X".into(), unit: "X".into() },
            "field `unit`: work unit X",
            "kolom `unit`: unit kerja X",
        ),
        (
            InsightsError::ScoreOutOfRange { id: "N1".into(), score: dec("101") },
            "Nomination N1, field `panel_scores`",
            "Nominasi N1, kolom `panel_scores`",
        ),
        (
            InsightsError::NoHistory { report: "training" },
            "Report training, field `months`",
            "Laporan training, kolom `months`",
        ),
        (
            InsightsError::InvertedPlan { id: "RENSTRA".into(), from: 2029, until: 2025 },
            "Plan RENSTRA, field `until_year`: the last year 2025",
            "Rencana RENSTRA, kolom `until_year`: tahun akhir 2025",
        ),
    ];
    for (e, en, id) in errors {
        let (said_en, said_id) = (r.error(Lang::En, &e), r.error(Lang::Id, &e));
        assert!(said_en.contains(en), "{said_en}");
        assert!(said_id.contains(id), "{said_id}");
        assert_ne!(said_en, e.to_string(), "the English message is more than the engine's detail");
    }
}
