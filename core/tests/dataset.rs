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
    let a = generate(&config).expect("valid config");
    let b = generate(&config).expect("valid config");
    assert_eq!(a, b, "the same seed gives the same city");
    let c = generate(&GeneratorConfig { seed: 8, ..config.clone() }).expect("valid config");
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
    let ds = generate(&GeneratorConfig::default()).expect("valid config");
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
        assert!(ds.employees.iter().any(|e| e.rank.group() == Some(g)), "{g:?}");
    }
    let pppk = ds.employees.iter().filter(|e| e.employment == EmploymentType::Pppk).count();
    let cpns = ds.employees.iter().filter(|e| e.employment == EmploymentType::Cpns).count();
    assert!(pppk > 100 && cpns > 10, "pppk {pppk}, cpns {cpns}");
    // Every PPPK employee holds a grade I-XVII and a NI PPPK (digits 13-14 = 21, a year
    // from 2019); every PNS and CPNS a rank and a NIP.
    for e in &ds.employees {
        let is_pppk = e.employment == EmploymentType::Pppk;
        assert_eq!(e.rank.is_pppk(), is_pppk, "{} {}", e.nip, e.rank);
        if is_pppk {
            assert_eq!((e.nip.form(), e.nip.pppk_code()), (kinerja::nip::IdForm::NiPppk, Some(21)), "{}", e.nip);
            assert!(e.nip.appointment_year() >= 2019, "{}", e.nip);
        } else {
            assert_eq!(e.nip.form(), kinerja::nip::IdForm::Nip, "{}", e.nip);
        }
    }
    // Acting officials exist, both Plt and Plh.
    use kinerja::org::AssignmentKind;
    assert!(ds.assignments.iter().any(|a| a.kind == AssignmentKind::Plt));
    assert!(ds.assignments.iter().any(|a| a.kind == AssignmentKind::Plh));
    // Plt officials mostly act in a vacant higher or equal post (BKN SE 1/SE/I/2021: the
    // same level or one level higher), and nobody holds two Plt posts at once.
    let level = |k: PositionKind| match k {
        PositionKind::Leadership => 3,
        PositionKind::Administrator => 2,
        PositionKind::Supervisor => 1,
        PositionKind::Functional | PositionKind::Executor => 0,
    };
    let kind_of = |id: &kinerja::ids::PositionId| ds.positions.iter().find(|p| &p.id == id).expect("position").kind;
    let (mut higher, mut equal, mut lower) = (0, 0, 0);
    let mut actors = std::collections::BTreeSet::new();
    for a in ds.assignments.iter().filter(|a| a.kind == AssignmentKind::Plt) {
        assert!(actors.insert(a.employee.clone()), "{} acts in two posts", a.employee);
        let own = ds
            .assignments
            .iter()
            .find(|d| d.employee == a.employee && d.kind == AssignmentKind::Definitive)
            .expect("the acting official has a post");
        match level(kind_of(&a.position)).cmp(&level(kind_of(&own.position))) {
            std::cmp::Ordering::Greater => higher += 1,
            std::cmp::Ordering::Equal => equal += 1,
            std::cmp::Ordering::Less => lower += 1,
        }
    }
    assert!(higher > 0 && equal > 0 && lower > 0, "higher {higher}, equal {equal}, lower {lower}");
    assert!(higher + equal >= 3 * lower, "higher {higher}, equal {equal}, lower {lower}");
    // Job classes span a realistic range.
    let classes: std::collections::BTreeSet<u8> = ds.positions.iter().map(|p| p.job_class.get()).collect();
    assert!(classes.len() >= 6, "{classes:?}");
    assert!(city.organisation.employees().len() == 5_925);
}

// --- strict reading at every depth ----------------------------------------------------

/// The valid city with a delegation, a target share, a salary and a sanction.
fn with_records() -> serde_json::Value {
    let mut v = valid();
    v["delegations"] = serde_json::json!([
        { "position": "KADIS", "delegate": "199002022015022002", "from": "2026-10-01", "until": "2026-10-31",
          "reference": "ND 800/1/2026" }
    ]);
    v["target_shares"] = serde_json::json!([ { "employee": "199002022015022002", "task": "STAF-T1", "share": "1" } ]);
    v["salaries"] =
        serde_json::json!([ { "employee": "199002022015022002", "salary": "3000000", "from": "2026-01-01" } ]);
    v["sanctions"] = serde_json::json!([
        { "employee": "199002022015022002", "level": "medium", "effective_from": "2026-08-01", "months": 6,
          "reference": "SK 800/2/2026" }
    ]);
    v
}

#[test]
fn records_nested_and_optional_load_when_spelt_right() {
    let city = Dataset::load_city(&with_records().to_string()).expect("valid");
    assert_eq!(city.delegations.len(), 1);
    assert_eq!(city.delegations[0].until, chrono::NaiveDate::from_ymd_opt(2026, 10, 31));
    assert_eq!((city.target_shares.len(), city.salaries.len(), city.sanctions.len()), (1, 1, 1));
    // The 2026 calendar keeps its 25 holidays (17 national days, 8 of cuti bersama).
    assert_eq!(city.calendar.holidays.len(), 25);
}

#[test]
fn a_misspelt_calendar_field_is_refused_not_ignored() {
    // `holiday` for `holidays`: read leniently, the calendar would have no holiday at all
    // and March 2026 would have 22 working days instead of 17.
    let mut v = valid();
    let cal = v["calendar"].as_object_mut().unwrap();
    let holidays = cal.remove("holidays").unwrap();
    cal.insert("holiday".into(), holidays);
    let lenient: kinerja::calendar::WorkCalendar = serde_json::from_value(v["calendar"].clone()).unwrap();
    assert_eq!(lenient.working_days_in_month("2026-03".parse().unwrap()), 22);
    let ps = problems(&v);
    assert!(has(&ps, "calendar", "Indonesia 2026", "holiday", "unknown_field"), "{ps:#?}");
    assert_eq!(ps.len(), 1, "{ps:#?}");
}

#[test]
fn a_misspelt_until_in_a_delegation_is_refused() {
    // `untill`: read leniently, the delegation would never end.
    let mut v = with_records();
    let d = v["delegations"][0].as_object_mut().unwrap();
    let until = d.remove("until").unwrap();
    d.insert("untill".into(), until);
    let ps = problems(&v);
    assert!(has(&ps, "delegation", "#0", "untill", "unknown_field"), "{ps:#?}");
    assert_eq!(ps.len(), 1, "{ps:#?}");
}

#[test]
fn unknown_fields_at_every_depth_are_all_reported_with_their_path() {
    let mut v = with_records();
    v["government"]["kode"] = "1171".into();
    v["calendar"]["periods"][0]["week"]["mon"]["strat"] = "08:00".into();
    v["calendar"]["holidays"][3]["nmae"] = "x".into();
    v["calendar"]["cancelled"] = serde_json::json!([{ "date": "2026-12-25", "reference": "SK", "resaon": "x" }]);
    v["positions"][1]["analysis"]["tasks"][0]["volume"]["pre"] = "day".into();
    v["salaries"][0]["salry"] = "1".into();
    v["sanctions"][0]["levl"] = "heavy".into();
    v["target_shares"][0]["shares"] = "0.5".into();
    v["delegations"][0]["note"] = "x".into();
    let ps = problems(&v);
    let expected = [
        ("government", "9999", "kode"),
        ("calendar", "Indonesia 2026", "periods[0].week.mon.strat"),
        ("calendar", "Indonesia 2026", "holidays[3].nmae"),
        ("calendar", "Indonesia 2026", "cancelled[0].resaon"),
        ("task", "STAF-T1", "volume.pre"),
        ("salary", "#0", "salry"),
        ("sanction", "#0", "levl"),
        ("target_share", "#0", "shares"),
        ("delegation", "#0", "note"),
    ];
    for (record, id, field) in expected {
        assert!(has(&ps, record, id, field, "unknown_field"), "{record} {id} {field}: {ps:#?}");
    }
    assert_eq!(ps.len(), expected.len(), "{ps:#?}");
}

#[test]
fn one_bad_record_in_an_optional_list_does_not_hide_the_others() {
    let mut v = with_records();
    v["salaries"] = serde_json::json!([
        { "employee": "199002022015022002", "salary": "3000000", "from": "2026-01-01" },
        { "employee": "199002022015022002", "salary": "lots", "from": "2026-02-01" },
        { "employee": "197001012000011001", "salary": "-5", "from": "2026-01-01" }
    ]);
    let ps = problems(&v);
    assert!(has(&ps, "salary", "#1", "salary", "invalid_value"), "{ps:#?}");
    assert!(has(&ps, "salary", "#2", "salary", "out_of_range"), "{ps:#?}");
    assert_eq!(ps.len(), 2, "{ps:#?}");
}

// --- bounded input ---------------------------------------------------------------------

#[test]
fn deeply_nested_text_is_refused_before_parsing() {
    // 100,000 nested arrays would overflow a recursive reader's stack.
    let deep = format!("{{\"schema_version\": 1, \"x\": {}1{}}}", "[".repeat(100_000), "]".repeat(100_000));
    match Dataset::load_city(&deep) {
        Err(DatasetError::Invalid(e)) => {
            assert_eq!(e.problems.len(), 1);
            let p = &e.problems[0];
            assert_eq!((p.record.as_str(), p.code.as_str()), ("dataset", "too_deep"));
            // The root object is level 1; after `{"schema_version": 1, "x": ` (27 columns)
            // the 32nd `[` opens level 33, at column 27 + 32 = 59.
            assert!(p.message.contains("line 1, column 59"), "{}", p.message);
        }
        other => panic!("{other:?}"),
    }
    // Brackets inside strings do not count.
    let mut v = valid();
    v["government"]["name"] = "[".repeat(1000).into();
    assert!(Dataset::load_city(&v.to_string()).is_ok());
    // Exactly the limit is read (and refused for what it is, not for its depth).
    let at_limit = format!("{}{}", "[".repeat(kinerja::dataset::MAX_DEPTH), "]".repeat(kinerja::dataset::MAX_DEPTH));
    match Dataset::load_city(&at_limit) {
        Err(DatasetError::Invalid(e)) => assert_eq!(e.problems[0].code, "not_an_object"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn oversized_text_is_refused_before_parsing() {
    let huge = " ".repeat(kinerja::dataset::MAX_DATASET_BYTES + 1);
    match Dataset::from_json(&huge) {
        Err(DatasetError::Invalid(e)) => {
            assert_eq!(e.problems[0].code, "too_large");
            assert!(e.problems[0].message.contains(&format!("{} bytes", kinerja::dataset::MAX_DATASET_BYTES + 1)));
        }
        other => panic!("{other:?}"),
    }
}

// --- the generator refuses what it cannot make --------------------------------------------

/// The benchmarks' largest city (issue #15): a million employees at Banda Aceh's
/// ~152 a unit (1,000,000 * 39 / 5,925 = 6,582 units) is a configuration the generator
/// accepts, and a city just past the former limit of 100,000 employees is generated
/// whole, every employee with a NIP of their own and a definitive position. Not timed:
/// the bench `stages` measures the generator's speed at 1,000,000.
#[test]
fn the_generator_accepts_a_city_of_a_million_employees() {
    let million = GeneratorConfig { seed: 1, units: 6_582, employees: 1_000_000, year: 2026 };
    assert!(million.validate().is_ok(), "{:?}", million.validate());
    // 100,001 employees in 658 units (100,001 * 39 / 5,925 = 658.2).
    let config = GeneratorConfig { seed: 3, units: 658, employees: 100_001, year: 2026 };
    let ds = generate(&config).expect("a city past the former limit is generated");
    assert_eq!(ds.employees.len(), 100_001);
    assert_eq!(ds.units.len(), 658);
    let nips: std::collections::HashSet<&str> = ds.employees.iter().map(|e| e.nip.as_str()).collect();
    assert_eq!(nips.len(), 100_001, "every NIP is distinct");
}

#[test]
fn absurd_generator_configurations_are_refused_with_the_field() {
    let fields = |c: GeneratorConfig| -> Vec<String> {
        match generate(&c) {
            Ok(_) => Vec::new(),
            Err(e) => e.problems.into_iter().map(|p| format!("{}.{}:{}", p.record, p.field, p.code)).collect(),
        }
    };
    let small = GeneratorConfig { seed: 1, units: 2, employees: 20, year: 2026 };
    assert_eq!(fields(GeneratorConfig { year: 0, ..small.clone() }), ["generator.year:out_of_range"]);
    assert_eq!(fields(GeneratorConfig { year: 1999, ..small.clone() }), ["generator.year:out_of_range"]);
    assert_eq!(fields(GeneratorConfig { year: 2101, ..small.clone() }), ["generator.year:out_of_range"]);
    assert_eq!(fields(GeneratorConfig { units: 0, ..small.clone() }), ["generator.units:out_of_range"]);
    assert_eq!(
        fields(GeneratorConfig { units: 3, employees: 2, ..small.clone() }),
        ["generator.employees:out_of_range"]
    );
    assert_eq!(
        fields(GeneratorConfig { employees: GeneratorConfig::MAX_EMPLOYEES + 1, ..small.clone() }),
        ["generator.employees:out_of_range"]
    );
    assert_eq!(
        fields(GeneratorConfig { units: 0, employees: usize::MAX, year: -5, seed: 0 }).len(),
        3,
        "every problem at once"
    );
    // The edges of the supported years generate a city that loads.
    for year in [*GeneratorConfig::YEARS.start(), *GeneratorConfig::YEARS.end()] {
        let ds = generate(&GeneratorConfig { year, ..small.clone() }).expect("supported year");
        assert_eq!(ds.employees.len(), 20);
        Dataset::load_city(&ds.to_json()).expect("loads");
    }
    // One employee per unit is enough.
    assert_eq!(generate(&GeneratorConfig { units: 3, employees: 3, ..small }).expect("valid").employees.len(), 3);
}

#[test]
fn the_generated_city_names_who_may_do_what() {
    // Two HR officers even in a small city (one closes a month, another may reopen
    // it), an attendance officer and a reader per unit, the mayor for the top position.
    for (units, employees) in [(12, 400), (39, 5_925)] {
        let ds = kinerja::generator::generate(&kinerja::generator::GeneratorConfig {
            seed: 1,
            units,
            employees,
            year: 2026,
        })
        .unwrap();
        let hr = ds.officers.iter().filter(|o| o.role == kinerja::access::OfficerRole::Hr).count();
        let attendance = ds.officers.iter().filter(|o| o.role == kinerja::access::OfficerRole::Attendance).count();
        assert_eq!((hr, attendance), (2, units), "{units} units");
        assert!(ds.clock_devices.len() >= units);
        assert_eq!(ds.officials.len(), 2);
        let city = ds.into_city().expect("valid");
        let top = city.organisation.positions().iter().find(|p| p.supervisor.is_none()).unwrap();
        assert_eq!(city.authorities.verifiers_of(&top.id).count(), 1, "the mayor verifies the regional secretary");
    }
}
