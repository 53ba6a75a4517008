//! The imports a city actually has, against hand-made fixtures in
//! `tests/fixtures/imports/` (the city `city.json`, a ZKTeco attendance log, a
//! semicolon log with Indonesian headers, a UTF-16 tab-separated push log, a malformed
//! log and an SIASN employee export). Every expected event, refusal and change below
//! was worked out by hand from the fixture's rows (row = line of the file).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use chrono::{NaiveDate, NaiveDateTime};
use kinerja::access::DeviceId;
use kinerja::attendance::{ClockDirection, ClockSource};
use kinerja::dataset::{City, Dataset};
use kinerja::import::clock::{ClockImport, ClockLogOptions, ClockRejection, read_clock_log};
use kinerja::import::siasn::{AssignmentNote, RowRefusal, SiasnOptions, merge_employees};
use kinerja::import::{ColumnNames, DateOrder, ImportError};
use kinerja::ledger::{Ledger, LedgerError, MonthContext};
use kinerja::org::{EmploymentType, Nip};
use kinerja::policy::Policy;
use kinerja::{PositionId, YearMonth};

const FIXTURES: [&str; 6] = [
    "city.json",
    "zkteco-attlog.csv",
    "presensi-titik-koma.csv",
    "attlog-unicode.txt",
    "malformed.csv",
    "siasn-pegawai.csv",
];

// The fixture city's people (see city.json).
const KADIS: &str = "197503102000032001";
const SEKRE: &str = "198208172006041002";
const ADM: &str = "199001012015031003";
const KAPUS: &str = "198511232010012004";
const PERAWAT: &str = "199305052019022005";
const PKM_ADM: &str = "199607072022031006";
const KABAN: &str = "197812122003121007";
const RETIRED: &str = "196405061990031009";
const AN2: &str = "199808082023022010";
const AGUS: &str = "198707072011011023";

fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/imports").join(name)
}

/// A fixture's bytes; a missing fixture fails the test that needs it.
fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture_path(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

fn city() -> &'static City {
    static CITY: OnceLock<City> = OnceLock::new();
    CITY.get_or_init(|| {
        let text = String::from_utf8(fixture("city.json")).expect("UTF-8");
        Dataset::load_city(&text).expect("the fixture city loads")
    })
}

fn nip(s: &str) -> Nip {
    Nip::parse(s).unwrap()
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

fn device(id: &str) -> Option<DeviceId> {
    Some(DeviceId::new(id).unwrap())
}

fn october() -> YearMonth {
    YearMonth::new(2026, 10).unwrap()
}

/// (row, NIP, time, direction, inferred) of every event, in the report's order.
fn events(r: &ClockImport) -> Vec<(usize, String, NaiveDateTime, ClockDirection, bool)> {
    r.events.iter().map(|e| (e.row, e.event.employee.to_string(), e.event.at, e.event.direction, e.inferred)).collect()
}

/// (row, code) of every unmatched row.
fn unmatched(r: &ClockImport) -> Vec<(usize, &'static str)> {
    r.unmatched.iter().map(|u| (u.row, u.reason.code())).collect()
}

fn columns(layout: &kinerja::import::Layout) -> Vec<(&'static str, usize, String)> {
    layout.columns.iter().map(|c| (c.field, c.column.index, c.column.header.clone())).collect()
}

#[test]
fn every_fixture_is_there() {
    for name in FIXTURES {
        let bytes = fixture(name);
        assert!(bytes.len() > 50, "fixture {name} is empty or truncated");
    }
}

fn zkteco() -> ClockImport {
    let options = ClockLogOptions { device: device("FP-DINKES"), month: Some(october()), ..Default::default() };
    read_clock_log(city(), fixture("zkteco-attlog.csv").as_slice(), &options).expect("the log reads")
}

#[test]
fn a_zkteco_log_gives_the_hand_computed_events() {
    use ClockDirection::{In, Out};
    let r = zkteco();
    assert_eq!(r.layout.encoding, "utf-8-bom");
    assert_eq!(r.layout.delimiter, ',');
    assert_eq!(r.layout.header_row, 1);
    assert!(r.layout.skipped_rows.is_empty());
    assert_eq!(
        columns(&r.layout),
        vec![
            ("pin", 1, "AC-No.".to_string()),
            ("datetime", 3, "Time".to_string()),
            ("status", 4, "State".to_string()),
            ("name", 2, "Name".to_string()),
        ]
    );
    let ignored: Vec<&str> = r.layout.ignored.iter().map(|c| c.header.as_str()).collect();
    assert_eq!(ignored, ["New State", "Exception", "Operation"]);
    assert_eq!(r.rows, 22);
    let s = |x: &str| x.to_string();
    assert_eq!(
        events(&r),
        vec![
            (2, s(KADIS), at("2026-10-05 07:21:05"), In, false),
            (4, s(ADM), at("2026-10-05 07:29:59"), In, false),
            (3, s(SEKRE), at("2026-10-05 07:35:40"), In, false),
            (9, s(KAPUS), at("2026-10-05 07:40:00"), In, false),
            (8, s(ADM), at("2026-10-05 15:41:00"), Out, false),
            (7, s(SEKRE), at("2026-10-05 16:00:00"), Out, false),
            (6, s(KADIS), at("2026-10-05 16:02:11"), Out, false),
            // PIN `0003` is PIN 3.
            (14, s(ADM), at("2026-10-06 07:28:30"), In, false),
            // A NIP typed in as the PIN.
            (21, s(PERAWAT), at("2026-10-06 07:52:00"), In, false),
            // No status: the day's only scan, after 11:45 (the middle of 07:30-16:00).
            (23, s(KAPUS), at("2026-10-06 12:30:00"), Out, true),
            (15, s(ADM), at("2026-10-06 16:05:00"), Out, false),
        ]
    );
    assert!(r.events.iter().all(|e| e.device.as_str() == "FP-DINKES" && e.event.source == ClockSource::Fingerprint));
    assert_eq!(
        unmatched(&r),
        vec![
            (5, "duplicate_scan"),
            (10, "other_status"),
            (11, "employee_not_in_service"),
            (12, "outside_unit"),
            (13, "unknown_pin"),
            (16, "unparseable_time"),
            (17, "outside_month"),
            (18, "unknown_status"),
            (19, "missing_identifier"),
            (20, "invalid_nip"),
            (22, "unknown_nip"),
        ]
    );
    assert_eq!(r.events.len() + r.unmatched.len(), r.rows, "every row is accounted for");
    let attention: Vec<usize> = r.needs_attention().map(|u| u.row).collect();
    assert_eq!(attention, [11, 12, 13, 16, 18, 19, 20, 22]);

    let row = |n: usize| r.unmatched.iter().find(|u| u.row == n).unwrap();
    assert_eq!(row(5).reason, ClockRejection::DuplicateScan { of_row: 4 });
    assert_eq!(
        row(12).reason,
        ClockRejection::OutsideUnit {
            nip: nip("198904142014022008"),
            unit: "BKPSDM".into(),
            device: DeviceId::new("FP-DINKES").unwrap(),
            device_unit: "DINKES".into(),
        }
    );
    assert_eq!(
        row(11).reason,
        ClockRejection::EmployeeNotInService { nip: nip(RETIRED), date: NaiveDate::from_ymd_opt(2026, 10, 5).unwrap() }
    );
    assert_eq!(
        row(20).reason,
        ClockRejection::InvalidNip { text: "1.98511E+17".into(), nip_error: "nip_in_scientific_notation" }
    );
    assert_eq!(row(22).reason, ClockRejection::UnknownNip { nip: nip("198904142014022009") });
    // The column at fault, and what the row said, as written.
    let col = |n: usize| row(n).column.as_ref().map(|c| (c.index, c.header.as_str()));
    assert_eq!(col(16), Some((3, "Time")));
    assert_eq!(col(18), Some((4, "State")));
    assert_eq!(col(19), Some((1, "AC-No.")));
    assert_eq!(col(13), Some((1, "AC-No.")));
    assert_eq!((row(13).identifier.as_str(), row(13).name.as_str()), ("42", "Tamu"));
    assert_eq!(row(16).time, "32/10/2026 07:00:00");
    // Both languages, each naming the PIN and the machine.
    let m = &row(13).reason;
    assert_eq!(m.message_en(), "nobody is enrolled under PIN 42 on machine FP-DINKES");
    assert_eq!(m.message_id(), "tidak ada pegawai yang terdaftar dengan PIN 42 pada mesin FP-DINKES");
}

fn semicolon() -> ClockImport {
    read_clock_log(city(), fixture("presensi-titik-koma.csv").as_slice(), &ClockLogOptions::default())
        .expect("the log reads")
}

#[test]
fn an_indonesian_semicolon_log_without_status_infers_directions_from_the_working_day() {
    use ClockDirection::{In, Out};
    let r = semicolon();
    assert_eq!((r.layout.encoding, r.layout.delimiter, r.layout.header_row), ("utf-8", ';', 2));
    assert_eq!(r.layout.skipped_rows, [1], "the title line above the header");
    assert_eq!(
        columns(&r.layout),
        vec![
            ("nip", 3, "NIP".to_string()),
            ("pin", 2, "PIN".to_string()),
            ("date", 5, "Tanggal".to_string()),
            ("time", 6, "Jam".to_string()),
            ("device", 7, "Mesin".to_string()),
            ("name", 4, "Nama".to_string()),
        ]
    );
    let ignored: Vec<&str> = r.layout.ignored.iter().map(|c| c.header.as_str()).collect();
    assert_eq!(ignored, ["No", "Verifikasi"]);
    let s = |x: &str| x.to_string();
    assert_eq!(
        events(&r),
        vec![
            (3, s(KAPUS), at("2026-10-07 07:18:00"), In, true),
            (7, s(PERAWAT), at("2026-10-07 07:40:00"), In, true),
            // A lone afternoon scan is a check-out.
            (6, s(PKM_ADM), at("2026-10-07 13:05:00"), Out, true),
            (5, s(KAPUS), at("2026-10-07 16:10:00"), Out, true),
            (9, s(PERAWAT), at("2026-10-07 16:20:00"), Out, true),
            (10, s(ADM), at("2026-10-08 07:29:00"), In, true),
            // Thursday 07:30-16:00: the middle is 11:45, so 11:50 is a check-out...
            (19, s(PERAWAT), at("2026-10-08 11:50:00"), Out, true),
            (11, s(ADM), at("2026-10-08 16:01:00"), Out, true),
            // ... Friday 07:30-16:30: the middle is 12:00, so 11:50 is a check-in.
            (17, s(KAPUS), at("2026-10-09 11:50:00"), In, true),
            // Saturday has no working hours: the middle is noon.
            (18, s(KAPUS), at("2026-10-10 09:00:00"), In, true),
        ]
    );
    let device_of = |row: usize| r.events.iter().find(|e| e.row == row).unwrap().device.to_string();
    assert_eq!(device_of(10), "FP-DINKES");
    assert_eq!(device_of(11), "FP-DINKES", "`fp-dinkes` names FP-DINKES");
    assert_eq!(device_of(3), "FP-PKM");
    assert_eq!(
        unmatched(&r),
        vec![
            (4, "intermediate_scan"),
            (8, "intermediate_scan"),
            (12, "device_out_of_service"),
            (13, "missing_device"),
            (14, "unknown_device"),
            (15, "invalid_nip"),
            (16, "unparseable_time"),
        ]
    );
    let row = |n: usize| r.unmatched.iter().find(|u| u.row == n).unwrap();
    assert_eq!(row(4).reason, ClockRejection::IntermediateScan { kept_row: 3 });
    assert_eq!(row(8).reason, ClockRejection::IntermediateScan { kept_row: 9 });
    assert_eq!(
        row(12).reason,
        ClockRejection::DeviceOutOfService {
            device: DeviceId::new("FP-PKM").unwrap(),
            date: NaiveDate::from_ymd_opt(2026, 10, 16).unwrap()
        }
    );
    assert_eq!(row(14).reason, ClockRejection::UnknownDevice { device: "FP-RSUD".into() });
    assert_eq!(
        row(15).reason,
        ClockRejection::InvalidNip { text: "19960707202203100".into(), nip_error: "nip_wrong_length" }
    );
    assert_eq!(row(15).column.as_ref().map(|c| c.header.as_str()), Some("NIP"));
    assert_eq!(row(16).column.as_ref().map(|c| c.header.as_str()), Some("Jam"));
    assert_eq!(row(13).column.as_ref().map(|c| c.header.as_str()), Some("Mesin"));
    assert_eq!(r.events.len() + r.unmatched.len(), r.rows);
}

#[test]
fn a_utf16_tab_separated_push_log_from_a_face_terminal() {
    use ClockDirection::{In, Out};
    let options = ClockLogOptions { device: device("FACE-BKPSDM"), ..Default::default() };
    let r = read_clock_log(city(), fixture("attlog-unicode.txt").as_slice(), &options).expect("reads");
    assert_eq!((r.layout.encoding, r.layout.delimiter), ("utf-16le", '\t'));
    let ignored: Vec<&str> = r.layout.ignored.iter().map(|c| c.header.as_str()).collect();
    assert_eq!(ignored, ["Verified", "WorkCode"]);
    let s = |x: &str| x.to_string();
    assert_eq!(
        events(&r),
        vec![
            (2, s(KABAN), at("2026-10-05 07:26:41"), In, false),
            (3, s(AN2), at("2026-10-05 07:31:02"), In, false),
            (5, s(AN2), at("2026-10-05 16:00:57"), Out, false),
            (4, s(KABAN), at("2026-10-05 16:11:09"), Out, false),
        ]
    );
    assert!(r.events.iter().all(|e| e.event.source == ClockSource::Face));
    assert!(r.unmatched.is_empty());
}

#[test]
fn every_reason_code_is_met_in_the_fixtures() {
    let seen: BTreeSet<&str> =
        zkteco().unmatched.iter().chain(&semicolon().unmatched).map(|u| u.reason.code()).collect();
    let all: BTreeSet<&str> = ClockRejection::ALL_CODES.iter().copied().collect();
    assert_eq!(seen, all);
}

#[test]
fn a_malformed_file_is_an_error_naming_row_and_column() {
    let options = ClockLogOptions { device: device("FP-DINKES"), ..Default::default() };
    let e = read_clock_log(city(), fixture("malformed.csv").as_slice(), &options).unwrap_err();
    assert_eq!(e, ImportError::TooManyCells { row: 3, column: 5, expected: 4, found: 5 });
    assert_eq!((e.row(), e.column(), e.code()), (Some(3), Some(5), "too_many_cells"));
    assert!(e.to_string().starts_with("row 3, column 5: the row has 5 cells but the header names 4 columns"), "{e}");

    let read = |text: &str, options: &ClockLogOptions| read_clock_log(city(), text.as_bytes(), options);
    // No identifier column: the header found is listed.
    let e = read("Nama;Tanggal;Jam\nA;05/10/2026;07:30\n", &options).unwrap_err();
    match &e {
        ImportError::MissingColumn { row: 1, field: "pin", found, expected } => {
            assert_eq!(found, &["Nama", "Tanggal", "Jam"]);
            assert!(expected.iter().any(|n| n == "AC-No."), "{expected:?}");
        }
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().contains("the header row has: Nama, Tanggal, Jam"), "{e}");
    // A date column without a time column.
    assert!(matches!(
        read("PIN,Tanggal\n1,05/10/2026\n", &options),
        Err(ImportError::MissingColumn { field: "time", .. })
    ));
    // No machine named anywhere.
    let e = read("PIN,DateTime\n1,05/10/2026 07:30\n", &ClockLogOptions::default()).unwrap_err();
    assert_eq!(e.code(), "no_device");
    assert_eq!(e.row(), Some(1));
    // A machine the dataset does not have.
    let bad = ClockLogOptions { device: device("FP-NOWHERE"), ..Default::default() };
    assert_eq!(read("PIN,DateTime\n1,05/10/2026 07:30\n", &bad).unwrap_err().code(), "unknown_device");
    // Two columns with one name.
    let e = read("PIN,Pin,DateTime\n1,1,05/10/2026 07:30\n", &options).unwrap_err();
    assert_eq!((e.code(), e.row(), e.column()), ("duplicate_column", Some(1), Some(2)));
    // Nothing at all.
    assert_eq!(read("", &options).unwrap_err(), ImportError::Empty);
    assert_eq!(read("\u{feff}\r\n\r\n", &options).unwrap_err(), ImportError::Empty);
    // More than the limit is refused before it is parsed.
    let endless = std::io::Read::take(std::io::repeat(b'1'), kinerja::import::MAX_IMPORT_BYTES as u64 + 10);
    let e = read_clock_log(city(), endless, &options).unwrap_err();
    assert_eq!(e.code(), "too_large");
}

#[test]
fn column_names_are_data_and_can_be_replaced() {
    let text = "Kode Pegawai|Waktu Absen|Arah\n3|05/10/2026 07:29|Masuk\n";
    let mut options = ClockLogOptions { device: device("FP-DINKES"), ..Default::default() };
    assert_eq!(read_clock_log(city(), text.as_bytes(), &options).unwrap_err().code(), "missing_column");
    options.columns.set("pin", vec!["Kode Pegawai".into()]).unwrap();
    options.columns.set("datetime", vec!["Waktu Absen".into()]).unwrap();
    options.columns.set("status", vec!["Arah".into()]).unwrap();
    let r = read_clock_log(city(), text.as_bytes(), &options).expect("reads with the names given");
    assert_eq!(events(&r), vec![(2, ADM.to_string(), at("2026-10-05 07:29:00"), ClockDirection::In, false)]);
    assert_eq!(r.layout.delimiter, '|');
    let e = options.columns.set("pinn", vec!["x".into()]).unwrap_err();
    assert!(e.to_string().contains("the fields are: nip, pin, datetime"), "{e}");
    assert_eq!(options.columns.set("pin", vec![]).unwrap_err().code(), "invalid_mapping");
    assert_eq!(options.columns.set("pin", vec!["--".into()]).unwrap_err().code(), "invalid_mapping");
    assert_eq!(options.columns.fields().len(), 8);
}

#[test]
fn month_first_dates_and_am_pm_times() {
    let text = "PIN,Date/Time,Status\n3,10/5/2026 7:29 AM,C/In\n3,10/5/2026 4:05 PM,C/Out\n";
    let options =
        ClockLogOptions { device: device("FP-DINKES"), date_order: DateOrder::MonthFirst, ..Default::default() };
    let r = read_clock_log(city(), text.as_bytes(), &options).unwrap();
    let times: Vec<NaiveDateTime> = r.events.iter().map(|e| e.event.at).collect();
    assert_eq!(times, [at("2026-10-05 07:29:00"), at("2026-10-05 16:05:00")]);
    // Read day first, 10/5/2026 is 10 May: outside October.
    let options = ClockLogOptions { device: device("FP-DINKES"), month: Some(october()), ..Default::default() };
    let r = read_clock_log(city(), text.as_bytes(), &options).unwrap();
    assert_eq!(unmatched(&r), [(2, "outside_month"), (3, "outside_month")]);
}

#[test]
fn the_report_serialises_with_both_messages() {
    let r = zkteco();
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["rows"], 22);
    assert_eq!(v["events"][0]["event"]["direction"], "in");
    assert_eq!(v["events"][0]["device"], "FP-DINKES");
    let pin = v["unmatched"].as_array().unwrap().iter().find(|u| u["code"] == "unknown_pin").unwrap();
    assert_eq!(pin["row"], 13);
    assert_eq!(pin["needs_attention"], true);
    assert_eq!(pin["column"]["header"], "AC-No.");
    assert_eq!(pin["reason"]["pin"], "42");
    assert!(pin["message_id"].as_str().unwrap().contains("PIN 42"));
    assert!(pin["message_en"].as_str().unwrap().contains("PIN 42"));
    // Each message of each reason met names something of the row in both languages.
    for u in r.unmatched.iter().chain(&semicolon().unmatched) {
        let (id, en) = (u.reason.message_id(), u.reason.message_en());
        assert!(!id.is_empty() && !en.is_empty() && id != en, "{:?}", u.reason);
    }
}

#[test]
fn the_events_record_through_the_ledger_as_the_machine_and_only_once() {
    let r = zkteco();
    let policy = Policy::national();
    let ctx = MonthContext::new(city(), &policy, october()).unwrap();
    let mut ledger = Ledger::new(october());
    let received = Some(at("2026-10-07 08:00:00"));
    for (row, request) in r.requests(received) {
        assert_eq!(request.actor.to_string(), "device:FP-DINKES");
        ledger.execute(&ctx, request).unwrap_or_else(|e| panic!("row {row}: {e}"));
    }
    assert_eq!(ledger.state().clocks.len(), 11);
    // The same log again: every event is answered as already recorded.
    for (_, request) in r.requests(received) {
        assert!(matches!(ledger.execute(&ctx, request), Err(LedgerError::DuplicateKey { .. })));
    }
    assert_eq!(ledger.state().clocks.len(), 11);
    // The ledger agrees with the import's check: the BKPSDM analyst of row 12,
    // sent by the DINKES machine anyway, is refused as outside its unit.
    let mut forced = r.events[0].clone();
    forced.event.employee = nip("198904142014022008");
    match ledger.execute(&ctx, forced.request(received)).unwrap_err() {
        LedgerError::NotAuthorised(n) => assert_eq!(n.reason(), "outside_unit"),
        other => panic!("{other:?}"),
    }
    // Received long after the claim window (3 working days), the ledger refuses.
    let late = r.events[0].request(Some(at("2026-10-30 08:00:00")));
    assert_eq!(Ledger::new(october()).execute(&ctx, late).unwrap_err().code(), "claim_too_old");
}

#[test]
fn a_generated_city_imports_a_log_of_its_own_machine() {
    let config = kinerja::generator::GeneratorConfig { seed: 5, units: 3, employees: 40, year: 2026 };
    let city = Dataset::load_city(&kinerja::generator::generate(&config).unwrap().to_json()).unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 10, 5).unwrap();
    let access = city.access();
    let mut log = String::from("AC-No.,Name,Date/Time\n");
    let mut expected = 0;
    for d in city.authorities.devices().iter().filter(|d| d.kind == kinerja::access::DeviceKind::Fingerprint) {
        assert!(!d.enrolments.is_empty(), "{} has nobody enrolled", d.id);
        for (k, e) in d.enrolments.iter().enumerate() {
            // Everyone enrolled at the machine of the unit they work in that day.
            if access.unit_of(&e.employee, day) != Some(&d.unit) {
                continue;
            }
            let name = &city.organisation.employee(&e.employee).unwrap().name;
            log.push_str(&format!("{},{name},05/10/2026 07:{:02}:00\n", e.pin, 10 + k % 40));
            log.push_str(&format!("{},{name},05/10/2026 16:{:02}:30\n", e.pin, k % 50));
            expected += 2;
        }
        let options = ClockLogOptions { device: Some(d.id.clone()), month: Some(october()), ..Default::default() };
        let r = read_clock_log(&city, log.as_bytes(), &options).unwrap();
        assert!(r.unmatched.is_empty(), "{:?}", r.unmatched);
        assert_eq!(r.events.len(), expected);
        assert!(r.events.iter().all(|e| e.inferred));
        let policy = Policy::national();
        let ctx = MonthContext::new(&city, &policy, october()).unwrap();
        let mut ledger = Ledger::new(october());
        for (row, request) in r.requests(Some(at("2026-10-05 18:00:00"))) {
            ledger.execute(&ctx, request).unwrap_or_else(|e| panic!("row {row}: {e}"));
        }
        let ins = ledger.state().clocks.iter().filter(|c| c.direction == ClockDirection::In).count();
        assert_eq!(ins * 2, expected);
        log = String::from("AC-No.,Name,Date/Time\n");
        expected = 0;
    }
}

#[test]
fn enrolments_are_read_strictly_and_checked() {
    let text = String::from_utf8(fixture("city.json")).unwrap();
    let base: serde_json::Value = serde_json::from_str(&text).unwrap();
    let problems = |v: &serde_json::Value| match Dataset::load_city(&v.to_string()) {
        Err(kinerja::dataset::DatasetError::Invalid(e)) => {
            e.problems.iter().map(|p| (p.id.clone(), p.field.clone(), p.code.clone())).collect::<Vec<_>>()
        }
        other => panic!("{other:?}"),
    };
    let mut v = base.clone();
    v["clock_devices"][0]["enrolments"][0]["nmae"] = "x".into();
    let p = problems(&v);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!((p[0].0.as_str(), p[0].1.as_str()), ("FP-DINKES", "enrolments"));
    let mut v = base.clone();
    v["clock_devices"][0]["enrolments"][1]["pin"] = "03".into();
    v["clock_devices"][1]["enrolments"][0]["pin"] = "A-1".into();
    v["clock_devices"][2]["enrolments"][0]["employee"] = "199001012015031099".into();
    let p = problems(&v);
    let s = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(
        p,
        vec![
            s("FP-DINKES", "enrolments[2].pin", "duplicate_pin"),
            s("FP-PKM", "enrolments[0].pin", "invalid_value"),
            s("FACE-BKPSDM", "enrolments[0].employee", "unknown_reference"),
        ]
    );
    // Written and read back, the enrolments are the same.
    let again = Dataset::load_city(&city().to_dataset().to_json()).unwrap();
    assert_eq!(again.authorities.devices(), city().authorities.devices());
    let pkm = DeviceId::new("FP-PKM").unwrap();
    assert_eq!(city().authorities.enrolled(&pkm, "003"), Some(&nip(PKM_ADM)));
    assert_eq!(city().authorities.enrolled(&pkm, "9"), None);
}

fn siasn() -> kinerja::import::siasn::EmployeeMerge {
    let options = SiasnOptions::new(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap());
    merge_employees(city(), fixture("siasn-pegawai.csv").as_slice(), &options).expect("the export reads")
}

#[test]
fn an_siasn_export_merges_as_hand_computed() {
    let m = siasn();
    let r = &m.report;
    assert_eq!((r.layout.encoding, r.layout.delimiter, r.layout.header_row), ("utf-8", ',', 1));
    let fields: Vec<(&str, String)> = r.layout.columns.iter().map(|c| (c.field, c.column.header.clone())).collect();
    let f = |a: &'static str, b: &str| (a, b.to_string());
    assert_eq!(
        fields,
        vec![
            f("nip", "NIP BARU"),
            f("name", "NAMA"),
            f("front_title", "GELAR DEPAN"),
            f("back_title", "GELAR BELAKANG"),
            f("rank", "GOL AKHIR NAMA"),
            f("rank_code", "GOL AKHIR ID"),
            f("employee_type", "JENIS PEGAWAI NAMA"),
            f("cpns_status", "STATUS CPNS PNS"),
            f("position_id", "JABATAN ID"),
            f("position_name", "JABATAN NAMA"),
            f("position_from", "TMT JABATAN"),
            f("unit_id", "UNOR ID"),
            f("unit_name", "UNOR NAMA"),
            f("unit_name", "SATUAN KERJA KERJA NAMA"),
        ]
    );
    assert_eq!(r.rows, 21);
    let added: Vec<(usize, String, String, Option<String>)> = r
        .added
        .iter()
        .map(|a| (a.row, a.nip.to_string(), a.name.clone(), a.position.as_ref().map(|p| p.to_string())))
        .collect();
    let a = |row, nip: &str, name: &str, p: Option<&str>| (row, nip.to_string(), name.to_string(), p.map(String::from));
    assert_eq!(
        added,
        vec![
            a(6, "199911112024011011", "ANDI SAPUTRA, S.Kom.", Some("DINKES-ADM")),
            a(15, "199703032020122015", "NOVA ANDRIANI, S.Psi.", None),
            a(18, "199404042019031018", "YUSUF MAULANA", None),
            a(19, "199112122015032019", "LIA AMELIA, S.K.M.", None),
            a(20, "199206062016061020", "RIZKI PRATAMA, A.Md.Kep.", None),
        ]
    );
    let changes: Vec<(usize, &str, &str, &str)> =
        r.changes.iter().map(|c| (c.row, c.field, c.before.as_str(), c.after.as_str())).collect();
    assert_eq!(
        changes,
        vec![
            (2, "name", "dr. Cut Meutia, M.Kes.", "dr. CUT MEUTIA, M.Kes."),
            (3, "rank", "IV/a", "IV/b"),
            (4, "position", "DINKES-ADM", "PKM-ADM (TMT 2026-09-01)"),
            (14, "employment", "CPNS", "PNS"),
        ]
    );
    assert_eq!((r.updated, r.unchanged), (4, 3));
    let refused: Vec<(usize, &str, Option<&str>)> =
        r.refused.iter().map(|x| (x.row, x.reason.code(), x.column.as_ref().map(|c| c.header.as_str()))).collect();
    assert_eq!(
        refused,
        vec![
            (7, "invalid_nip", Some("NIP BARU")),
            (8, "pppk_grade", Some("GOL AKHIR NAMA")),
            (9, "duplicate_nip", Some("NIP BARU")),
            (10, "missing_nip", Some("NIP BARU")),
            (11, "unknown_rank", Some("GOL AKHIR NAMA")),
            (12, "unknown_employment", Some("JENIS PEGAWAI NAMA")),
            (13, "invalid_date", Some("TMT JABATAN")),
            (21, "missing_name", Some("NAMA")),
            (22, "missing_rank", Some("GOL AKHIR NAMA")),
        ]
    );
    assert_eq!(
        r.refused[0].reason,
        RowRefusal::InvalidNip { text: "199009132025242014".into(), nip_error: "nip_invalid_appointment_month" }
    );
    assert_eq!(r.refused[2].reason, RowRefusal::DuplicateNip { of_row: 3 });
    assert_eq!(r.added.len() + r.updated + r.unchanged + r.refused.len(), r.rows);
    let notes: Vec<(usize, AssignmentNote)> = r.notes.iter().map(|n| (n.row, n.note.clone())).collect();
    let p = |s: &str| PositionId::from(s);
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    assert_eq!(
        notes,
        vec![
            (
                15,
                AssignmentNote::PositionAmbiguous {
                    text: "Analis Kepegawaian".into(),
                    candidates: vec![p("BKPSDM-AN1"), p("BKPSDM-AN2")]
                }
            ),
            (
                17,
                AssignmentNote::AssignmentConflict {
                    position: p("BKPSDM-KABAN"),
                    from: d(2018, 1, 1),
                    conflicting: p("BKPSDM-AN1"),
                    conflicting_from: d(2019, 1, 1)
                }
            ),
            (18, AssignmentNote::UnitNotFound { text: "Dinas Perhubungan".into() }),
            (
                19,
                AssignmentNote::PositionNotFound {
                    text: "Analis Kebijakan Ahli Muda".into(),
                    unit: Some("DINKES".into())
                }
            ),
            (20, AssignmentNote::MissingPositionFrom { position: p("PKM-PERAWAT") }),
        ]
    );
    assert_eq!(r.notes[2].column.as_ref().map(|c| c.header.as_str()), Some("UNOR NAMA"));
    let missing: Vec<(String, Option<String>)> =
        r.missing.iter().map(|x| (x.nip.to_string(), x.unit.as_ref().map(|u| u.to_string()))).collect();
    assert_eq!(missing, vec![(RETIRED.to_string(), None)], "the retiree, who holds no position on 1 October");
    assert!(!r.is_complete());

    // Every code of both kinds is met.
    let seen: BTreeSet<&str> = r.refused.iter().map(|x| x.reason.code()).collect();
    assert_eq!(seen, RowRefusal::ALL_CODES.iter().copied().collect());
    let seen: BTreeSet<&str> = r.notes.iter().map(|x| x.note.code()).collect();
    assert_eq!(seen, AssignmentNote::ALL_CODES.iter().copied().collect());
}

#[test]
fn the_merged_dataset_loads_and_holds_the_changes() {
    let m = siasn();
    let city = Dataset::load_city(&m.dataset.to_json()).expect("the merged dataset loads");
    let org = &city.organisation;
    assert_eq!(org.employees().len(), 11 + 5);
    let oct = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
    let aug = NaiveDate::from_ymd_opt(2026, 8, 31).unwrap();
    // The transfer: the old post ends the day before the new one's TMT.
    assert_eq!(org.definitive_position(&nip(ADM), aug).map(|p| p.id.as_str()), Some("DINKES-ADM"));
    assert_eq!(org.definitive_position(&nip(ADM), oct).map(|p| p.id.as_str()), Some("PKM-ADM"));
    let andi = nip("199911112024011011");
    assert_eq!(org.definitive_position(&andi, oct).map(|p| p.id.as_str()), Some("DINKES-ADM"));
    let e = org.employee(&andi).unwrap();
    assert_eq!((e.rank.to_string(), e.employment), ("III/a".to_string(), EmploymentType::Cpns));
    assert_eq!(org.employee(&nip(SEKRE)).unwrap().rank.to_string(), "IV/b");
    assert_eq!(org.employee(&nip(AN2)).unwrap().employment, EmploymentType::Pns);
    // Refused rows change nothing: the nurse keeps her rank, the analyst her post.
    assert_eq!(org.employee(&nip(PERAWAT)).unwrap().rank.to_string(), "II/d");
    assert_eq!(org.definitive_position(&nip(AGUS), oct).map(|p| p.id.as_str()), Some("BKPSDM-AN1"));
    // The retiree is still there, not removed.
    assert!(org.employee(&nip(RETIRED)).is_some());
    // Everything else is as it was: units, positions, devices, officers.
    assert_eq!(org.positions(), crate::city().organisation.positions());
    assert_eq!(city.authorities.devices(), crate::city().authorities.devices());
}

#[test]
fn an_siasn_export_with_other_names_reads_with_a_mapping() {
    let text = "NOMOR INDUK;NAMA;GOLONGAN;STATUS\n199001012015031003;RAHMAT HIDAYAT;II/d;PNS\n";
    let mut options = SiasnOptions::new(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap());
    let e = merge_employees(city(), text.as_bytes(), &options).unwrap_err();
    match e {
        ImportError::MissingColumn { field: "nip", expected, .. } => {
            assert!(expected.contains(&"NIP BARU".to_string()))
        }
        other => panic!("{other:?}"),
    }
    options.columns.set("nip", vec!["Nomor Induk".into()]).unwrap();
    options.columns.set("cpns_status", vec!["Status".into()]).unwrap();
    let m = merge_employees(city(), text.as_bytes(), &options).unwrap();
    assert_eq!(m.report.changes.len(), 1);
    assert_eq!((m.report.changes[0].field, m.report.changes[0].after.as_str()), ("rank", "II/d"));
    // No position columns: no assignment is touched, no note.
    assert!(m.report.notes.is_empty());
    assert_eq!(m.report.missing.len(), 10);
    assert_eq!(m.dataset.assignments, city().to_dataset().assignments);
}

#[test]
fn the_merge_report_serialises_with_both_messages() {
    let v = serde_json::to_value(siasn().report).unwrap();
    let first = &v["refused"][0];
    assert_eq!(first["code"], "invalid_nip");
    assert_eq!(first["column"]["header"], "NIP BARU");
    assert!(first["message_en"].as_str().unwrap().contains("digits 13-14 are not a month"));
    assert!(first["message_id"].as_str().unwrap().contains("digit 13-14 bukan bulan"));
    let note = &v["notes"][0];
    assert_eq!(note["code"], "position_ambiguous");
    assert!(note["message_id"].as_str().unwrap().contains("BKPSDM-AN1, BKPSDM-AN2"));
}

mod no_panic {
    use super::*;
    use proptest::prelude::*;

    /// CSV-ish text: headers the imports know, delimiters, quotes, dates, junk.
    fn csvish() -> impl Strategy<Value = String> {
        let token = prop_oneof![
            Just("PIN".to_string()),
            Just("NIP BARU".to_string()),
            Just("NAMA".to_string()),
            Just("DateTime".to_string()),
            Just("Tanggal".to_string()),
            Just("Jam".to_string()),
            Just("Status".to_string()),
            Just("GOL AKHIR NAMA".to_string()),
            Just("STATUS CPNS PNS".to_string()),
            Just("JABATAN NAMA".to_string()),
            Just("Mesin".to_string()),
            Just("FP-DINKES".to_string()),
            Just("05/10/2026 07:25".to_string()),
            Just("31/02/2026".to_string()),
            Just("III/a".to_string()),
            Just(KAPUS.to_string()),
            Just("3".to_string()),
            Just("C/In".to_string()),
            Just(",".to_string()),
            Just(";".to_string()),
            Just("\t".to_string()),
            Just("\"".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            "\\PC{0,6}",
        ];
        proptest::collection::vec(token, 0..60).prop_map(|t| t.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn any_text_is_a_report_or_an_error(text in csvish()) {
            for options in [ClockLogOptions::default(), ClockLogOptions { device: device("FP-DINKES"), ..Default::default() }] {
                if let Ok(r) = read_clock_log(city(), text.as_bytes(), &options) {
                    prop_assert_eq!(r.events.len() + r.unmatched.len(), r.rows);
                }
            }
            let options = SiasnOptions::new(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap());
            if let Ok(m) = merge_employees(city(), text.as_bytes(), &options) {
                let r = &m.report;
                prop_assert_eq!(r.added.len() + r.updated + r.unchanged + r.refused.len(), r.rows);
            }
        }

        #[test]
        fn any_bytes_are_a_report_or_an_error(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let options = ClockLogOptions { device: device("FP-DINKES"), ..Default::default() };
            let _ = read_clock_log(city(), bytes.as_slice(), &options);
            let _ = merge_employees(city(), bytes.as_slice(), &SiasnOptions::new(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()));
        }
    }
}

/// The codes of the tables of `docs/imports.md` (first cell of each row of the section
/// from `start` to `end`), with the second cell.
fn doc_table(start: &str, end: &str) -> Vec<(String, String)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/imports.md");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let from = text.find(start).unwrap_or_else(|| panic!("`{start}` is not in docs/imports.md"));
    let section = &text[from..];
    let section = &section[..section.find(end).unwrap_or(section.len())];
    section
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let code = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            code.bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_')
                .then(|| (code.to_string(), cells.get(2).map_or(String::new(), |c| c.to_string())))
        })
        .collect()
}

#[test]
fn the_documented_codes_are_the_engines() {
    let codes = |t: &[(String, String)]| t.iter().map(|(c, _)| c.clone()).collect::<Vec<_>>();
    let strs = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let files = doc_table("### File errors", "## Attendance-machine logs");
    assert_eq!(codes(&files), strs(ImportError::ALL_CODES));
    let clock = doc_table("### Reason codes", "### Recording the events");
    assert_eq!(codes(&clock), strs(ClockRejection::ALL_CODES), "in the order the checks run");
    for (code, attention) in &clock {
        let informational = ClockRejection::INFORMATIONAL_CODES.contains(&code.as_str());
        assert_eq!(attention, if informational { "no" } else { "yes" }, "{code}");
    }
    let refusals = doc_table("A refused row is not merged at all.", "A row merged without its position");
    assert_eq!(codes(&refusals), strs(RowRefusal::ALL_CODES));
    let notes = doc_table("A row merged without its position", "### Example");
    assert_eq!(codes(&notes), strs(AssignmentNote::ALL_CODES));
    // What the fixtures gave is what the engine says needs attention.
    for u in zkteco().unmatched.iter().chain(&semicolon().unmatched) {
        let informational = ClockRejection::INFORMATIONAL_CODES.contains(&u.reason.code());
        assert_eq!(u.reason.needs_attention(), !informational);
    }
}

#[test]
fn a_generated_city_round_trips_through_an_export_of_itself() {
    let config = kinerja::generator::GeneratorConfig { seed: 9, units: 4, employees: 60, year: 2026 };
    let dataset = kinerja::generator::generate(&config).unwrap();
    let city = Dataset::load_city(&dataset.to_json()).unwrap();
    let org = &city.organisation;
    let as_of = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
    // The export SIASN would give: everyone, with their rank, status and current post.
    let mut csv = String::from(
        "NIP BARU;NAMA;GOL AKHIR NAMA;STATUS CPNS PNS;JENIS PEGAWAI NAMA;JABATAN NAMA;TMT JABATAN;UNOR NAMA\n",
    );
    for e in org.employees() {
        let (kind, status) = match e.employment {
            EmploymentType::Pns => ("PNS Daerah Kab/Kota", "P"),
            EmploymentType::Cpns => ("PNS Daerah Kab/Kota", "C"),
            EmploymentType::Pppk => ("PPPK Penuh Waktu", ""),
        };
        let post = org.definitive_assignment(&e.nip, as_of);
        let position = post.and_then(|a| org.position(&a.position));
        let unit = position.and_then(|p| org.unit(&p.unit)).map_or("", |u| u.name.as_str());
        let tmt = post.map(|a| a.from.format("%d-%m-%Y").to_string()).unwrap_or_default();
        csv.push_str(&format!(
            "{};{};{};{status};{kind};{};{tmt};{unit}\n",
            e.nip,
            e.name,
            e.rank,
            position.map_or("", |p| p.name.as_str())
        ));
    }
    let m = merge_employees(&city, csv.as_bytes(), &SiasnOptions::new(as_of)).unwrap();
    assert!(m.report.is_complete(), "{:?} {:?}", m.report.refused, m.report.notes);
    assert_eq!(m.report.unchanged, org.employees().len());
    assert!(m.report.added.is_empty() && m.report.changes.is_empty() && m.report.missing.is_empty());
    assert_eq!(m.dataset, city.to_dataset(), "nothing changes");
}

/// A merge says whether it changes the dataset: the fixture does (it adds and
/// updates employees); the same export over its own result, or an export whose
/// one row is refused, does not, so that a service keeping merged datasets as
/// versions keeps no copy that records nothing new.
#[test]
fn a_merge_that_adds_and_changes_nothing_says_so() {
    let m = siasn();
    assert!(!m.report.added.is_empty() && m.report.changes_anything());
    let merged = m.dataset.clone().into_city().expect("the merged city");
    let options = SiasnOptions::new(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap());
    let again = merge_employees(&merged, fixture("siasn-pegawai.csv").as_slice(), &options).expect("reads again");
    assert_eq!((again.report.added.len(), again.report.updated), (0, 0), "{:?}", again.report.changes);
    assert!(!again.report.changes_anything());
    let text = "NIP BARU,NAMA,GOL AKHIR NAMA,JENIS PEGAWAI NAMA\n\"'; DROP TABLE employees; --\",X,III/a,PNS Daerah Kab/Kota\n";
    let r = merge_employees(city(), text.as_bytes(), &options).expect("reads").report;
    assert_eq!((r.added.len(), r.updated, r.refused.len()), (0, 0, 1));
    assert!(!r.changes_anything());
}
