//! Dataset loading: every field and cross-reference problem is reported at once,
//! with the record kind, id and field.

use kinerja::dataset::{Dataset, DatasetError, SCHEMA_VERSION};
use kinerja::generator::{GeneratorConfig, generate};

/// A small valid city: one unit, a head and a staff position, two employees.
fn valid() -> serde_json::Value {
    serde_json::json!({
        "schema_version": 1,
        "government": { "code": "9999", "name": "Kota Uji" },
        "calendar": serde_json::to_value(kinerja::calendar::WorkCalendar::indonesia_2026()).unwrap(),
        "units": [ { "id": "DINAS", "name": "Dinas Uji" } ],
        "positions": [
            { "id": "KADIS", "name": "Kepala Dinas", "kind": "leadership", "job_class": 14, "unit": "DINAS" },
            { "id": "STAF", "name": "Pengadministrasi Umum", "kind": "executor", "job_class": 5, "unit": "DINAS",
              "supervisor": "KADIS",
              "analysis": { "summary": "Administrasi umum", "tasks": [
                  { "id": "STAF-T1", "name": "Mengagendakan surat", "output": "surat teragenda",
                    "output_unit": "surat", "standard_minutes": 10, "volume": { "quantity": "20", "per": "day" } } ] } }
        ],
        "employees": [
            { "nip": "197001012000011001", "name": "Kepala", "rank": "IV/c", "employment": "PNS" },
            { "nip": "199002022015022002", "name": "Staf", "rank": "II/c", "employment": "PNS" }
        ],
        "assignments": [
            { "employee": "197001012000011001", "position": "KADIS", "kind": "definitive", "from": "2024-01-01" },
            { "employee": "199002022015022002", "position": "STAF", "kind": "definitive", "from": "2024-01-01" }
        ]
    })
}

fn problems(v: &serde_json::Value) -> Vec<(String, String, String, String)> {
    match Dataset::load_city(&v.to_string()) {
        Ok(_) => Vec::new(),
        Err(DatasetError::Invalid(e)) => e.problems.into_iter().map(|p| (p.record, p.id, p.field, p.code)).collect(),
        Err(other) => panic!("unexpected error {other}"),
    }
}

fn has(ps: &[(String, String, String, String)], record: &str, id: &str, field: &str, code: &str) -> bool {
    ps.iter().any(|p| p.0 == record && p.1 == id && p.2 == field && p.3 == code)
}

#[test]
fn a_valid_dataset_loads() {
    let city = Dataset::load_city(&valid().to_string()).expect("valid");
    assert_eq!(city.organisation.positions().len(), 2);
    assert_eq!(city.government.code, "9999");
}

#[test]
fn several_problems_are_reported_at_once() {
    let mut v = valid();
    // 1. a NIP with a bad gender digit (position 15 is '3')
    v["employees"][1]["nip"] = "199002022015023002".into();
    // 2. a rank that does not exist
    v["employees"][0]["rank"] = "IV/f".into();
    // 3. a job class outside 1-17
    v["positions"][0]["job_class"] = 18.into();
    // 4. a supervisor that does not exist
    v["positions"][1]["supervisor"] = "NOPE".into();
    // 5. an unknown field in a task
    v["positions"][1]["analysis"]["tasks"][0]["colour"] = "red".into();
    // 6. a unit whose parent does not exist
    v["units"][0]["parent"] = "GHOST".into();
    let ps = problems(&v);
    assert!(has(&ps, "employee", "199002022015023002", "nip", "invalid_value"), "{ps:#?}");
    assert!(has(&ps, "employee", "197001012000011001", "rank", "invalid_value"), "{ps:#?}");
    assert!(has(&ps, "position", "KADIS", "job_class", "invalid_value"), "{ps:#?}");
    assert!(has(&ps, "task", "STAF-T1", "colour", "unknown_field"), "{ps:#?}");
    // Cross-references of the records that passed their field checks are
    // reported in the same pass.
    assert!(has(&ps, "unit", "DINAS", "parent", "unknown_reference"), "{ps:#?}");
    assert_eq!(ps.len(), 5, "{ps:#?}");
}

#[test]
fn cross_references_are_all_reported() {
    let mut v = valid();
    v["positions"][1]["supervisor"] = "NOPE".into();
    v["units"][0]["parent"] = "GHOST".into();
    v["assignments"][1]["position"] = "MISSING".into();
    let ps = problems(&v);
    let unknown: Vec<_> = ps.iter().filter(|p| p.3 == "unknown_reference").collect();
    assert_eq!(unknown.len(), 3, "{ps:#?}");
    assert!(ps.iter().any(|p| p.0 == "position" && p.1 == "STAF" && p.2 == "supervisor"), "{ps:#?}");
    assert!(ps.iter().any(|p| p.0 == "unit" && p.1 == "DINAS" && p.2 == "parent"), "{ps:#?}");
    assert!(ps.iter().any(|p| p.0 == "assignment" && p.2 == "position"), "{ps:#?}");
}

#[test]
fn a_supervision_cycle_is_rejected() {
    let mut v = valid();
    v["positions"][0]["supervisor"] = "STAF".into();
    let ps = problems(&v);
    assert!(ps.iter().any(|p| p.3 == "supervision_cycle"), "{ps:#?}");
}

#[test]
fn missing_sections_and_wrong_version() {
    let mut v = valid();
    v["schema_version"] = 2.into();
    v.as_object_mut().unwrap().remove("employees");
    v["extra"] = true.into();
    let ps = problems(&v);
    assert!(has(&ps, "dataset", "", "schema_version", "unsupported_version"), "{ps:#?}");
    assert!(has(&ps, "dataset", "", "employees", "missing_field"), "{ps:#?}");
    assert!(has(&ps, "dataset", "", "extra", "unknown_field"), "{ps:#?}");
}

#[test]
fn a_refused_record_does_not_cascade() {
    // The staff employee's NIP is bad: the assignment naming it is not reported again.
    let mut v = valid();
    v["employees"][1]["nip"] = "19900202201502200".into(); // 17 digits
    v["assignments"][1]["employee"] = "19900202201502200".into();
    let ps = problems(&v);
    assert_eq!(ps.len(), 1, "{ps:#?}");
    assert_eq!(ps[0].2, "nip");
}

#[test]
fn syntax_errors_give_line_and_column() {
    match Dataset::load_city("{\n  \"schema_version\": 1,\n  oops\n}") {
        Err(DatasetError::Syntax { line, .. }) => assert_eq!(line, 3),
        other => panic!("{other:?}"),
    }
}

#[test]
fn generated_city_round_trips_and_is_deterministic() {
    let config = GeneratorConfig { seed: 7, units: 6, employees: 300, year: 2026 };
    let a = generate(&config);
    let b = generate(&config);
    assert_eq!(a, b, "the same seed gives the same city");
    let c = generate(&GeneratorConfig { seed: 8, ..config.clone() });
    assert_ne!(a, c, "another seed gives another city");
    assert_eq!(a.schema_version, SCHEMA_VERSION);
    assert_eq!(a.units.len(), 6);
    assert_eq!(a.employees.len(), 300);
    let json = a.to_json();
    let back = Dataset::from_json(&json).expect("generated JSON loads");
    assert_eq!(back, a);
    back.into_city().expect("generated city passes every cross-reference check");
}

#[test]
fn banda_aceh_scale_city_has_a_realistic_spread() {
    let ds = generate(&GeneratorConfig::default());
    assert_eq!(ds.units.len(), 39);
    assert_eq!(ds.employees.len(), 5_925);
    let city = ds.clone().into_city().expect("valid");
    use kinerja::org::{EmploymentType, PositionKind, RankGroup};
    let count_kind = |k: PositionKind| ds.positions.iter().filter(|p| p.kind == k).count();
    for k in [
        PositionKind::Leadership,
        PositionKind::Administrator,
        PositionKind::Supervisor,
        PositionKind::Functional,
        PositionKind::Executor,
    ] {
        assert!(count_kind(k) > 0, "{k:?}");
    }
    for g in [RankGroup::II, RankGroup::III, RankGroup::IV] {
        assert!(ds.employees.iter().any(|e| e.rank.group() == g), "{g:?}");
    }
    let pppk = ds.employees.iter().filter(|e| e.employment == EmploymentType::Pppk).count();
    let cpns = ds.employees.iter().filter(|e| e.employment == EmploymentType::Cpns).count();
    assert!(pppk > 100 && cpns > 10, "pppk {pppk}, cpns {cpns}");
    // Acting officials exist, both Plt and Plh.
    use kinerja::org::AssignmentKind;
    assert!(ds.assignments.iter().any(|a| a.kind == AssignmentKind::Plt));
    assert!(ds.assignments.iter().any(|a| a.kind == AssignmentKind::Plh));
    // Job classes span a realistic range.
    let classes: std::collections::BTreeSet<u8> = ds.positions.iter().map(|p| p.job_class.get()).collect();
    assert!(classes.len() >= 6, "{classes:?}");
    assert!(city.organisation.employees().len() == 5_925);
}
