//! Workload analysis (ABK): hand-computed reference cases.
//!
//! Unless a test says otherwise: effective time 75,000 min/yr, 250 working days,
//! 50 weeks and 12 months a year, the national grade bands
//! (A > 1.00; B 0.90-1.00; C 0.70-<0.90; D 0.50-<0.70; E < 0.50).

use std::collections::HashMap;

use kinerja::abk::{AbkError, AbkParams, EfficiencyGrade, GradeBand, GradeBands, analyse, round_for_display};
use kinerja::anjab::{JobAnalysis, Task, Volume, VolumePeriod};
use kinerja::org::{JobClass, Position, PositionKind, WorkUnit};
use kinerja::{ArithmeticError, Minutes, PositionId, TaskId, UnitId};
use rust_decimal::Decimal;

use EfficiencyGrade::{A, B, C, D, E};

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn params(effective: i64) -> AbkParams {
    AbkParams {
        effective_minutes_per_year: effective,
        days_per_year: 250,
        weeks_per_year: 50,
        months_per_year: 12,
        grade_bands: GradeBands::permenpan_1_2020(),
    }
}

fn unit(id: &str) -> WorkUnit {
    WorkUnit { id: UnitId::from(id), name: format!("Unit {id}"), parent: None }
}

fn task(id: &str, quantity: &str, per: VolumePeriod, minutes: i64) -> Task {
    Task {
        id: TaskId::from(id),
        name: format!("Task {id}"),
        output: "dokumen".into(),
        output_unit: "dokumen".into(),
        standard_minutes: Minutes(minutes),
        volume: Volume { quantity: dec(quantity), per },
        group: None,
    }
}

fn position(id: &str, unit: &str, tasks: Vec<Task>) -> Position {
    Position {
        id: PositionId::from(id),
        name: format!("Position {id}"),
        kind: PositionKind::Executor,
        job_class: JobClass::new(6).unwrap(),
        unit: UnitId::from(unit),
        supervisor: None,
        analysis: JobAnalysis { tasks, ..JobAnalysis::default() },
    }
}

/// A position whose whole workload is `workload` minutes a year: one task of
/// `workload` outputs a year at 1 minute each.
fn position_with_workload(id: &str, unit: &str, workload: &str) -> Position {
    position(id, unit, vec![task(&format!("{id}-T"), workload, VolumePeriod::Year, 1)])
}

fn headcounts(pairs: &[(&str, u32)]) -> impl Fn(&PositionId) -> u32 {
    let map: HashMap<String, u32> = pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    move |p: &PositionId| map.get(p.as_str()).copied().unwrap_or(0)
}

#[test]
fn two_tasks_per_day_and_per_month() {
    // T1: 4 letters/day x 15 min: annual volume 4 x 250 = 1,000; workload 1,000 x 15 = 15,000 min
    // T2: 10 reports/month x 300 min: annual volume 10 x 12 = 120; workload 120 x 300 = 36,000 min
    // total 15,000 + 36,000 = 51,000 min; required 51,000 / 75,000 = 0.68 FTE
    // headcount 1: EJ = 51,000 / (1 x 75,000) = 0.68 -> D (0.50 <= 0.68 < 0.70); gap 0.68 - 1 = -0.32
    let units = [unit("U1")];
    let positions = [position(
        "P1",
        "U1",
        vec![task("T1", "4", VolumePeriod::Day, 15), task("T2", "10", VolumePeriod::Month, 300)],
    )];
    let abk = analyse(&units, &positions, headcounts(&[("P1", 1)]), &params(75_000)).unwrap();

    assert_eq!(abk.effective_minutes_per_year, 75_000);
    let p = &abk.positions[0];
    assert_eq!(p.position, PositionId::from("P1"));
    assert_eq!(p.unit, UnitId::from("U1"));
    assert_eq!(p.tasks.len(), 2);
    assert_eq!(p.tasks[0].task, TaskId::from("T1"));
    assert_eq!(p.tasks[0].annual_volume, dec("1000"));
    assert_eq!(p.tasks[0].standard_minutes, Minutes(15));
    assert_eq!(p.tasks[0].workload_minutes, dec("15000"));
    assert_eq!(p.tasks[1].annual_volume, dec("120"));
    assert_eq!(p.tasks[1].workload_minutes, dec("36000"));
    assert_eq!(p.workload_minutes, dec("51000"));
    assert_eq!(p.required_staff, dec("0.68"));
    assert_eq!(p.headcount, 1);
    assert_eq!(p.efficiency, Some(dec("0.68")));
    assert_eq!(p.grade, Some(D));
    assert_eq!(p.gap, dec("-0.32"));
    // 0.68 rounds half up to 1 whole person.
    assert_eq!(p.required_staff_rounded(), dec("1"));

    // The unit and the city hold just this position: same figures.
    let u = &abk.units[0];
    assert_eq!((u.positions, u.headcount), (1, 1));
    assert_eq!(u.workload_minutes, dec("51000"));
    assert_eq!(u.required_staff, dec("0.68"));
    assert_eq!(u.efficiency, Some(dec("0.68")));
    assert_eq!(u.grade, Some(D));
    assert_eq!(u.gap, dec("-0.32"));
    let t = &abk.total;
    assert_eq!((t.units, t.positions, t.headcount), (1, 1, 1));
    assert_eq!(t.workload_minutes, dec("51000"));
    assert_eq!(t.required_staff, dec("0.68"));
    assert_eq!(t.grade, Some(D));
}

#[test]
fn annual_volume_for_every_period() {
    let p = params(75_000);
    let v = |q: &str, per| p.annual_volume(&Volume { quantity: dec(q), per }).unwrap();
    assert_eq!(v("0.5", VolumePeriod::Day), dec("125")); // 0.5 x 250
    assert_eq!(v("3", VolumePeriod::Week), dec("150")); // 3 x 50
    assert_eq!(v("10", VolumePeriod::Month), dec("120")); // 10 x 12
    assert_eq!(v("7", VolumePeriod::Year), dec("7")); // 7 x 1
    // Overflow is an error, not a wrap or a panic.
    assert!(matches!(
        p.annual_volume(&Volume { quantity: Decimal::MAX, per: VolumePeriod::Day }),
        Err(ArithmeticError::Overflow { .. })
    ));
}

/// (efficiency, expected grade, workload in minutes = efficiency x 1 x 75,000)
const BOUNDARIES: &[(&str, EfficiencyGrade, &str)] = &[
    ("0.49", E, "36750"),     // 0.49 x 75,000 = 36,750
    ("0.50", D, "37500"),     // 0.50 x 75,000 = 37,500: D is inclusive at 0.50
    ("0.51", D, "38250"),     // 0.51 x 75,000 = 38,250
    ("0.69", D, "51750"),     // 0.69 x 75,000 = 51,750
    ("0.70", C, "52500"),     // 0.70 x 75,000 = 52,500: C is inclusive at 0.70
    ("0.71", C, "53250"),     // 0.71 x 75,000 = 53,250
    ("0.89", C, "66750"),     // 0.89 x 75,000 = 66,750
    ("0.8999", C, "67492.5"), // 0.8999 x 75,000 = 67,492.5
    ("0.90", B, "67500"),     // 0.90 x 75,000 = 67,500: B is inclusive at 0.90
    ("0.91", B, "68250"),     // 0.91 x 75,000 = 68,250
    ("0.99", B, "74250"),     // 0.99 x 75,000 = 74,250
    ("1.00", B, "75000"),     // 1.00 x 75,000 = 75,000: B includes 1.00, A is strictly above
    ("1.0001", A, "75007.5"), // 1.0001 x 75,000 = 75,007.5
    ("1.01", A, "75750"),     // 1.01 x 75,000 = 75,750
];

#[test]
fn grade_boundaries_directly() {
    let bands = GradeBands::permenpan_1_2020();
    for &(ej, grade, _) in BOUNDARIES {
        assert_eq!(bands.grade(dec(ej)), grade, "EJ {ej}");
    }
    assert_eq!(bands.grade(Decimal::ZERO), E);
    assert_eq!(bands.grade(dec("7")), A);
}

#[test]
fn grade_boundaries_through_analyse() {
    // One unit per case, one position per unit, headcount 1, effective 75,000:
    // EJ = workload / (1 x 75,000) and EU is the same ratio.
    let units: Vec<WorkUnit> = (0..BOUNDARIES.len()).map(|i| unit(&format!("U{i}"))).collect();
    let positions: Vec<Position> = BOUNDARIES
        .iter()
        .enumerate()
        .map(|(i, (_, _, workload))| position_with_workload(&format!("P{i}"), &format!("U{i}"), workload))
        .collect();
    let abk = analyse(&units, &positions, |_| 1, &params(75_000)).unwrap();
    for (i, &(ej, grade, workload)) in BOUNDARIES.iter().enumerate() {
        let p = &abk.positions[i];
        assert_eq!(p.workload_minutes, dec(workload), "EJ {ej}");
        assert_eq!(p.efficiency, Some(dec(ej)), "EJ {ej}");
        assert_eq!(p.required_staff, dec(ej), "EJ {ej}: one person, so FTE = EJ");
        assert_eq!(p.grade, Some(grade), "EJ {ej}");
        assert_eq!(abk.units[i].efficiency, Some(dec(ej)), "EU {ej}");
        assert_eq!(abk.units[i].grade, Some(grade), "EU {ej}");
    }
}

#[test]
fn unit_efficiency_at_exactly_one_is_b_like_a_position() {
    // The public-calculator trap: EU = 1.00 must be B, the same as EJ = 1.00.
    // U1: P_HI workload 90,000, 1 person: EJ = 90,000 / 75,000 = 1.20 -> A
    //     P_LO workload 60,000, 1 person: EJ = 60,000 / 75,000 = 0.80 -> C
    //     EU = (90,000 + 60,000) / (2 x 75,000) = 150,000 / 150,000 = 1.00 -> B
    //     required = 150,000 / 75,000 = 2.00 = 1.20 + 0.80; gap 2.00 - 2 = 0
    // U2: P_X workload 150,750 with 2 people: EU = 150,750 / 150,000 = 1.005 -> A
    let units = [unit("U1"), unit("U2")];
    let positions = [
        position_with_workload("P_HI", "U1", "90000"),
        position_with_workload("P_LO", "U1", "60000"),
        position_with_workload("P_X", "U2", "150750"),
    ];
    let abk =
        analyse(&units, &positions, headcounts(&[("P_HI", 1), ("P_LO", 1), ("P_X", 2)]), &params(75_000)).unwrap();
    assert_eq!(abk.positions[0].efficiency, Some(dec("1.2")));
    assert_eq!(abk.positions[0].grade, Some(A));
    assert_eq!(abk.positions[1].efficiency, Some(dec("0.8")));
    assert_eq!(abk.positions[1].grade, Some(C));

    let u1 = &abk.units[0];
    assert_eq!((u1.positions, u1.headcount), (2, 2));
    assert_eq!(u1.workload_minutes, dec("150000"));
    assert_eq!(u1.required_staff, dec("2"));
    assert_eq!(u1.required_staff, abk.positions[0].required_staff + abk.positions[1].required_staff);
    assert_eq!(u1.efficiency, Some(dec("1.00")));
    assert_eq!(u1.grade, Some(B));
    assert_eq!(u1.gap, Decimal::ZERO);

    let u2 = &abk.units[1];
    assert_eq!(u2.efficiency, Some(dec("1.005")));
    assert_eq!(u2.grade, Some(A));

    // City: 300,750 / (4 x 75,000) = 300,750 / 300,000 = 1.0025 -> A; required 4.01; gap 0.01
    assert_eq!(abk.total.headcount, 4);
    assert_eq!(abk.total.efficiency, Some(dec("1.0025")));
    assert_eq!(abk.total.grade, Some(A));
    assert_eq!(abk.total.required_staff, dec("4.01"));
    assert_eq!(abk.total.gap, dec("0.01"));
}

#[test]
fn effective_time_72000_versus_75000() {
    // Same 72,000 min workload (240 outputs/yr x 300 min = 72,000), one person:
    //   under 72,000: required 72,000 / 72,000 = 1.00 FTE, EJ 1.00 -> B, gap 0
    //   under 75,000: required 72,000 / 75,000 = 0.96 FTE, EJ 0.96 -> B, gap -0.04
    let units = [unit("U1")];
    let positions = [position("P1", "U1", vec![task("T1", "240", VolumePeriod::Year, 300)])];
    let at72 = analyse(&units, &positions, |_| 1, &params(72_000)).unwrap();
    let at75 = analyse(&units, &positions, |_| 1, &params(75_000)).unwrap();
    assert_eq!(at72.positions[0].workload_minutes, dec("72000"));
    assert_eq!(at72.positions[0].required_staff, dec("1.00"));
    assert_eq!(at72.positions[0].gap, Decimal::ZERO);
    assert_eq!(at72.effective_minutes_per_year, 72_000);
    assert_eq!(at75.positions[0].required_staff, dec("0.96"));
    assert_eq!(at75.positions[0].gap, dec("-0.04"));

    // A 75,000 min workload changes grade: 75,000 / 72,000 = 1.041666... -> A,
    // but 75,000 / 75,000 = 1.00 -> B.
    let positions = [position("P1", "U1", vec![task("T1", "250", VolumePeriod::Year, 300)])];
    let at72 = analyse(&units, &positions, |_| 1, &params(72_000)).unwrap();
    let at75 = analyse(&units, &positions, |_| 1, &params(75_000)).unwrap();
    assert_eq!(at72.positions[0].grade, Some(A));
    assert_eq!(round_for_display(at72.positions[0].required_staff, 4), dec("1.0417"));
    assert_eq!(at75.positions[0].grade, Some(B));
    assert_eq!(at75.positions[0].required_staff, dec("1"));
}

#[test]
fn vacant_position_has_no_efficiency_and_gap_equals_need() {
    // Workload 51,000 (as in the first test), nobody holds it:
    // required 0.68, efficiency None, grade None, gap 0.68 - 0 = 0.68.
    // U_EMPTY has no positions: all zeros.
    let units = [unit("U1"), unit("U_EMPTY")];
    let positions = [position(
        "P1",
        "U1",
        vec![task("T1", "4", VolumePeriod::Day, 15), task("T2", "10", VolumePeriod::Month, 300)],
    )];
    let abk = analyse(&units, &positions, |_| 0, &params(75_000)).unwrap();
    let p = &abk.positions[0];
    assert_eq!(p.required_staff, dec("0.68"));
    assert_eq!(p.headcount, 0);
    assert_eq!(p.efficiency, None);
    assert_eq!(p.grade, None);
    assert_eq!(p.gap, dec("0.68"));
    assert_eq!(abk.units[0].efficiency, None);
    assert_eq!(abk.units[0].gap, dec("0.68"));

    let empty = &abk.units[1];
    assert_eq!(empty.unit, UnitId::from("U_EMPTY"));
    assert_eq!((empty.positions, empty.headcount), (0, 0));
    assert_eq!(empty.workload_minutes, Decimal::ZERO);
    assert_eq!(empty.required_staff, Decimal::ZERO);
    assert_eq!(empty.gap, Decimal::ZERO);
    assert_eq!((empty.efficiency, empty.grade), (None, None));
    assert_eq!(abk.total.units, 2);
    assert_eq!(abk.total.efficiency, None);
}

#[test]
fn output_keeps_input_order() {
    let units = [unit("Z"), unit("A"), unit("M")];
    let positions = [
        position_with_workload("P3", "A", "1"),
        position_with_workload("P1", "Z", "2"),
        position_with_workload("P2", "A", "3"),
    ];
    let abk = analyse(&units, &positions, |_| 1, &params(75_000)).unwrap();
    let pos: Vec<&str> = abk.positions.iter().map(|p| p.position.as_str()).collect();
    let uns: Vec<&str> = abk.units.iter().map(|u| u.unit.as_str()).collect();
    assert_eq!(pos, ["P3", "P1", "P2"]);
    assert_eq!(uns, ["Z", "A", "M"]);
    // Unit A: P3 + P2 = 1 + 3 = 4 min, 2 positions
    assert_eq!(abk.units[1].workload_minutes, dec("4"));
    assert_eq!(abk.units[1].positions, 2);
}

#[test]
fn grade_uses_the_exact_ratio_not_the_rounded_quotient() {
    // Three people, capacity 3 x 75,000 = 225,000; the B bound is 0.90 x 225,000 = 202,500.
    // Workload 202,500 - 10^-23 is below it: grade C. The quotient
    // (202,500 - 10^-23) / 225,000 = 0.9 - 4.4...x10^-29 is closer to 0.9 than a Decimal's
    // 28 decimals can tell, so grading the quotient would wrongly give B.
    let workload = "202499.99999999999999999999999";
    let units = [unit("U1")];
    let positions = [position_with_workload("P1", "U1", workload)];
    let abk = analyse(&units, &positions, |_| 3, &params(75_000)).unwrap();
    let p = &abk.positions[0];
    assert_eq!(p.workload_minutes, dec(workload));
    assert_eq!(p.grade, Some(C));
    assert_eq!(abk.units[0].grade, Some(C));
    // The stored quotient has rounded to 0.9 exactly; grading it would say B.
    assert_eq!(p.efficiency, Some(dec("0.9")));
    assert_eq!(GradeBands::permenpan_1_2020().grade(dec("0.9")), B);
    // The same check through the public exact-ratio grader.
    let bands = GradeBands::permenpan_1_2020();
    assert_eq!(bands.grade_ratio(dec(workload), dec("225000")), Ok(C));
    assert_eq!(bands.grade_ratio(dec("202500"), dec("225000")), Ok(B));
    assert!(matches!(bands.grade_ratio(Decimal::ONE, Decimal::ZERO), Err(ArithmeticError::DivisionByZero { .. })));
}

#[test]
fn required_staff_rounded_half_up() {
    // 0.5 FTE (37,500 / 75,000) -> 1 person; 0.49 (36,750 / 75,000) -> 0; 1.5 (112,500) -> 2
    let units = [unit("U1")];
    let positions = [
        position_with_workload("P1", "U1", "37500"),
        position_with_workload("P2", "U1", "36750"),
        position_with_workload("P3", "U1", "112500"),
    ];
    let abk = analyse(&units, &positions, |_| 1, &params(75_000)).unwrap();
    let r: Vec<Decimal> = abk.positions.iter().map(|p| p.required_staff_rounded()).collect();
    assert_eq!(r, [dec("1"), dec("0"), dec("2")]);
}

fn national() -> Vec<GradeBand> {
    GradeBands::permenpan_1_2020().bands().to_vec()
}

#[test]
fn grade_bands_new_rejects_bad_bands() {
    assert!(GradeBands::new(national()).is_ok());

    let mut four = national();
    four.pop();
    assert!(matches!(GradeBands::new(four), Err(AbkError::Bands { .. })));

    let mut duplicate = national();
    duplicate[1].grade = A; // A, A, C, D, E
    assert!(matches!(GradeBands::new(duplicate), Err(AbkError::Bands { .. })));

    let mut reversed = national();
    reversed.reverse(); // E first
    assert!(matches!(GradeBands::new(reversed), Err(AbkError::Bands { .. })));

    let mut equal_lowers = national();
    equal_lowers[2].lower = dec("0.90"); // C starts where B starts
    assert!(matches!(GradeBands::new(equal_lowers), Err(AbkError::Bands { .. })));

    let mut ascending = national();
    ascending[3].lower = dec("0.75"); // D above C's 0.70
    assert!(matches!(GradeBands::new(ascending), Err(AbkError::Bands { .. })));

    let mut last_not_zero = national();
    last_not_zero[4].lower = dec("0.10");
    assert!(matches!(GradeBands::new(last_not_zero), Err(AbkError::Bands { .. })));

    let mut last_exclusive = national();
    last_exclusive[4].lower_inclusive = false; // 0 would have no grade
    assert!(matches!(GradeBands::new(last_exclusive), Err(AbkError::Bands { .. })));

    assert!(matches!(GradeBands::new(Vec::new()), Err(AbkError::Bands { .. })));
}

#[test]
fn custom_bands_change_the_grade_at_one() {
    // A city whose regulation puts 1.00 in A: A >= 1.00, B >= 0.90 ... (inclusive everywhere).
    let mut bands = national();
    bands[0].lower_inclusive = true;
    let bands = GradeBands::new(bands).unwrap();
    assert_eq!(bands.grade(dec("1.00")), A);
    assert_eq!(bands.grade(dec("0.9999")), B);
}

#[test]
fn analyse_rejects_bad_parameters() {
    let units = [unit("U1")];
    let positions = [position_with_workload("P1", "U1", "1")];
    for value in [0, -75_000] {
        let err = analyse(&units, &positions, |_| 1, &params(value)).unwrap_err();
        assert_eq!(err, AbkError::EffectiveTime { value });
    }
    let mut p = params(75_000);
    p.days_per_year = 0;
    assert_eq!(
        analyse(&units, &positions, |_| 1, &p).unwrap_err(),
        AbkError::ConversionFactor { field: "days_per_year", value: 0 }
    );
    let mut p = params(75_000);
    p.months_per_year = -12;
    assert_eq!(
        analyse(&units, &positions, |_| 1, &p).unwrap_err(),
        AbkError::ConversionFactor { field: "months_per_year", value: -12 }
    );
}

#[test]
fn analyse_lists_every_data_problem() {
    // Five problems in one pass: duplicate unit U1, unknown unit of P2,
    // negative volume of T1, negative standard time of T2, duplicate position P1.
    let units = [unit("U1"), unit("U1")];
    let positions = [
        position("P1", "U1", vec![task("T1", "-1", VolumePeriod::Day, 10), task("T2", "1", VolumePeriod::Day, -5)]),
        position_with_workload("P2", "NOPE", "10"),
        position_with_workload("P1", "U1", "10"),
    ];
    let err = analyse(&units, &positions, |_| 1, &params(75_000)).unwrap_err();
    assert_eq!(err.code(), "validation");
    let AbkError::Invalid(v) = err else { panic!("expected Invalid, got {err:?}") };
    let got: Vec<(&str, &str, &str, &str)> =
        v.problems.iter().map(|p| (p.record.as_str(), p.id.as_str(), p.field.as_str(), p.code.as_str())).collect();
    assert_eq!(
        got,
        [
            ("work_unit", "U1", "id", "duplicate_id"),
            ("task", "T1", "volume.quantity", "negative"),
            ("task", "T2", "standard_minutes", "negative"),
            ("position", "P2", "unit", "unknown_reference"),
            ("position", "P1", "id", "duplicate_id"),
        ]
    );
}

#[test]
fn overflow_names_the_record_and_field() {
    let units = [unit("U1")];
    let positions = [position("P1", "U1", vec![task("T_BIG", &Decimal::MAX.to_string(), VolumePeriod::Year, 2)])];
    let err = analyse(&units, &positions, |_| 1, &params(75_000)).unwrap_err();
    assert!(
        matches!(&err, AbkError::Arithmetic { record: "task", id, field: "workload_minutes", .. } if id == "T_BIG"),
        "{err:?}"
    );
    assert_eq!(err.code(), "arithmetic");
}

#[test]
fn results_serialise() {
    let units = [unit("U1")];
    let positions = [position_with_workload("P1", "U1", "75000")];
    let abk = analyse(&units, &positions, |_| 1, &params(75_000)).unwrap();
    let json = serde_json::to_value(&abk).unwrap();
    assert_eq!(json["positions"][0]["grade"], "B");
    assert_eq!(json["units"][0]["grade"], "B");
    assert_eq!(EfficiencyGrade::B.to_string(), "B");
}
