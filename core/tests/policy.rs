//! Policy data: the national baseline, layering, provenance and load-time validation.

use chrono::NaiveDate;
use kinerja::policy::{DatedValue, NATIONAL_SOURCE, Policy, PolicyError, PolicyLayer, Value, catalogue, spec};
use rust_decimal::Decimal;

const CITY_EXAMPLE: &str = include_str!("../../policy/city-example.toml");
const CITY_SOURCE: &str = "policy/city-example.toml";

const REF_2020: &str = "PermenPAN-RB No. 1 Tahun 2020, Lampiran (jam kerja efektif 1.250 jam/tahun)";
const REF_2008: &str = "Permendagri No. 12 Tahun 2008 / Kepmenpan 75/2004 (1.200 jam/tahun = 5 jam x 240 hari)";
const PERWAL_17: &str =
    "Peraturan Wali Kota Contoh No. 17 Tahun 2026 tentang Pedoman Analisis Beban Kerja, Pasal 5 ayat (2)";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

fn national() -> Policy {
    Policy::try_national().expect("national baseline loads")
}

fn city() -> Policy {
    national().with_toml(CITY_SOURCE, CITY_EXAMPLE).expect("city example loads")
}

/// Loads `body` followed by a valid `[layer]` table (after, so that top-level dotted
/// keys in `body` stay top-level) and returns the problems' (id, field, code).
fn problems(body: &str) -> Vec<(String, String, String)> {
    let text = format!("{body}\n[layer]\nname = \"test\"\n");
    match PolicyLayer::from_toml("test.toml", &text) {
        Ok(_) => Vec::new(),
        Err(e) => {
            for p in e.problems() {
                assert!(p.message.contains("test.toml"), "message names the file: {p}");
                assert_eq!(p.record, "policy");
            }
            e.problems().iter().map(|p| (p.id.clone(), p.field.clone(), p.code.clone())).collect()
        }
    }
}

fn one(id: &str, field: &str, code: &str) -> Vec<(String, String, String)> {
    vec![(id.to_string(), field.to_string(), code.to_string())]
}

const GOOD_ENTRY: &str = "from = 2020-01-01\nvalue = 250\nref = \"PermenPAN-RB 1/2020\"\n";

// --- the national baseline --------------------------------------------------

#[test]
fn national_baseline_loads() {
    let policy = national();
    assert_eq!(policy.layers().len(), 1);
    assert_eq!(policy.layers()[0].name, "national");
    assert_eq!(policy.layers()[0].source, NATIONAL_SOURCE);
    // Policy::national() is the infallible twin of the same thing.
    assert_eq!(Policy::national(), policy);
    // Every catalogued key has a national value today.
    for s in catalogue() {
        assert!(policy.resolve(s.key, d(2026, 10, 1)).is_ok(), "{} has a national value", s.key);
    }
}

#[test]
fn national_effective_minutes_by_era() {
    let p = national();
    // 1,250 h x 60 = 75,000 min since PermenPAN-RB 1/2020.
    let now = p.int("abk.effective_minutes_per_year", d(2026, 10, 1)).expect("value");
    assert_eq!(now.value, 75_000);
    assert_eq!(now.provenance.reference, REF_2020);
    assert_eq!(now.provenance.layer, "national");
    assert_eq!(now.provenance.source, NATIONAL_SOURCE);
    assert_eq!(now.provenance.key, "abk.effective_minutes_per_year");
    assert_eq!(now.provenance.from, d(2020, 1, 1));
    assert_eq!(now.provenance.until, None);

    // 1,200 h x 60 = 72,000 min before.
    let old = p.int("abk.effective_minutes_per_year", d(2019, 6, 30)).expect("value");
    assert_eq!(old.value, 72_000);
    assert_eq!(old.provenance.reference, REF_2008);
    assert_eq!(old.provenance.from, d(2008, 1, 1));
    assert_eq!(old.provenance.until, Some(d(2019, 12, 31)));

    // The boundary days.
    assert_eq!(p.int("abk.effective_minutes_per_year", d(2019, 12, 31)).map(|r| r.value), Ok(72_000));
    assert_eq!(p.int("abk.effective_minutes_per_year", d(2020, 1, 1)).map(|r| r.value), Ok(75_000));
    assert_eq!(p.int("abk.effective_minutes_per_year", d(2008, 1, 1)).map(|r| r.value), Ok(72_000));
}

#[test]
fn national_conversion_factors_are_consistent() {
    let p = national();
    for (day, days, weeks) in [(d(2019, 6, 30), 240, 48), (d(2026, 10, 1), 250, 50)] {
        let minutes = p.int("abk.effective_minutes_per_year", day).expect("minutes").value;
        assert_eq!(p.int("abk.days_per_year", day).map(|r| r.value), Ok(days));
        assert_eq!(p.int("abk.weeks_per_year", day).map(|r| r.value), Ok(weeks));
        assert_eq!(p.int("abk.months_per_year", day).map(|r| r.value), Ok(12));
        // 240 x 300 = 72,000 and 250 x 300 = 75,000 (5 h a day); 5 working days a week.
        assert_eq!(days * 300, minutes);
        assert_eq!(weeks * 5, days);
    }
}

#[test]
fn national_grade_bands() {
    let p = national();
    let r = p.resolve("abk.grade_bands", d(2026, 10, 1)).expect("bands");
    assert_eq!(r.provenance.reference, "PermenPAN-RB No. 1 Tahun 2020 (prestasi kerja jabatan; recalled)");
    let bands = kinerja::abk::GradeBands::from_policy_value(r.value).expect("valid");
    let lowers: Vec<(String, String, bool)> =
        bands.bands().iter().map(|b| (b.grade.to_string(), b.lower.to_string(), b.lower_inclusive)).collect();
    assert_eq!(
        lowers,
        [
            ("A".to_string(), "1.00".to_string(), false),
            ("B".to_string(), "0.90".to_string(), true),
            ("C".to_string(), "0.70".to_string(), true),
            ("D".to_string(), "0.50".to_string(), true),
            ("E".to_string(), "0".to_string(), true),
        ]
    );
    // EJ = 1.00 is B, for a position and a unit alike; just above is A.
    assert_eq!(bands.grade(Decimal::new(100, 2)).as_str(), "B");
    assert_eq!(bands.grade(Decimal::new(1001, 3)).as_str(), "A");
}

#[test]
fn no_value_before_any_entry() {
    let p = national();
    assert_eq!(
        p.int("abk.effective_minutes_per_year", d(2007, 12, 31)),
        Err(PolicyError::NoValue { key: "abk.effective_minutes_per_year".into(), date: d(2007, 12, 31) })
    );
    // The grade bands start in 2008 like the effective time; the allowance keys in 2020.
    assert!(matches!(p.resolve("abk.grade_bands", d(2007, 12, 31)), Err(PolicyError::NoValue { .. })));
    assert!(p.resolve("abk.grade_bands", d(2008, 1, 1)).is_ok());
    assert!(matches!(p.resolve("allowance.ceilings", d(2019, 12, 31)), Err(PolicyError::NoValue { .. })));
    assert!(p.resolve("allowance.ceilings", d(2020, 1, 1)).is_ok());
    // An empty policy has nothing at all.
    let empty = Policy::from_layers(Vec::new());
    assert!(matches!(empty.int("abk.days_per_year", d(2026, 1, 1)), Err(PolicyError::NoValue { .. })));
}

#[test]
fn unknown_key_and_wrong_type_on_resolve() {
    let p = national();
    let e = p.resolve("abk.efective_minutes_per_year", d(2026, 1, 1)).map(|r| r.cloned());
    assert_eq!(e, Err(PolicyError::UnknownKey { key: "abk.efective_minutes_per_year".into() }));
    assert_eq!(e.map_err(|e| e.code()), Err("unknown_key"));
    assert_eq!(
        p.text("abk.days_per_year", d(2026, 1, 1)),
        Err(PolicyError::WrongType { key: "abk.days_per_year".into(), expected: "text" })
    );
    assert!(matches!(p.int("abk.grade_bands", d(2026, 1, 1)), Err(PolicyError::WrongType { .. })));
    assert!(matches!(p.time("abk.days_per_year", d(2026, 1, 1)), Err(PolicyError::WrongType { .. })));
    assert!(matches!(p.bool("abk.days_per_year", d(2026, 1, 1)), Err(PolicyError::WrongType { .. })));
    // An integer is read exactly as a decimal.
    assert_eq!(p.decimal("abk.days_per_year", d(2026, 1, 1)).map(|r| r.value), Ok(Decimal::from(250)));
}

// --- layering -----------------------------------------------------------------

#[test]
fn city_overrides_from_its_date_and_national_applies_before() {
    let p = city();
    assert_eq!(p.layers().len(), 2);
    assert_eq!(p.layers()[1].name, "Kota Contoh");

    let june30 = p.int("abk.effective_minutes_per_year", d(2026, 6, 30)).expect("value");
    assert_eq!(june30.value, 75_000);
    assert_eq!(june30.provenance.layer, "national");
    assert_eq!(june30.provenance.reference, REF_2020);

    let july1 = p.int("abk.effective_minutes_per_year", d(2026, 7, 1)).expect("value");
    // 245 days x 300 min = 73,500.
    assert_eq!(july1.value, 73_500);
    assert_eq!(july1.provenance.layer, "Kota Contoh");
    assert_eq!(july1.provenance.source, CITY_SOURCE);
    assert_eq!(july1.provenance.reference, PERWAL_17);
    assert_eq!(july1.provenance.from, d(2026, 7, 1));
    assert_eq!(july1.provenance.until, None);

    assert_eq!(p.int("abk.days_per_year", d(2026, 7, 1)).map(|r| r.value), Ok(245));
    assert_eq!(p.int("abk.days_per_year", d(2026, 6, 30)).map(|r| r.value), Ok(250));
    // A key the city does not set falls through to national.
    let months = p.int("abk.months_per_year", d(2026, 7, 1)).expect("value");
    assert_eq!((months.value, months.provenance.layer.as_str()), (12, "national"));
}

#[test]
fn city_value_that_starts_later() {
    let p = city();
    let before = p.resolve("abk.grade_bands", d(2026, 12, 31)).expect("bands");
    assert_eq!(before.provenance.layer, "national");
    let after = p.resolve("abk.grade_bands", d(2027, 1, 1)).expect("bands");
    assert_eq!(after.provenance.layer, "Kota Contoh");
    let bands = kinerja::abk::GradeBands::from_policy_value(after.value).expect("valid");
    // The city's B starts at 0.95: 0.94 is C from 2027, B before.
    assert_eq!(bands.grade(Decimal::new(94, 2)).as_str(), "C");
    let national_bands = kinerja::abk::GradeBands::from_policy_value(before.value).expect("valid");
    assert_eq!(national_bands.grade(Decimal::new(94, 2)).as_str(), "B");
}

#[test]
fn city_window_hands_back_to_national_after_until() {
    let p = national()
        .with_toml(
            "window.toml",
            r#"
[layer]
name = "window"
[[abk.days_per_year]]
from = 2026-03-01
until = 2026-03-31
value = 230
ref = "Perwal X No. 1 Tahun 2026"
"#,
        )
        .expect("loads");
    let v = |day| p.int("abk.days_per_year", day).map(|r| (r.value, r.provenance.layer));
    assert_eq!(v(d(2026, 2, 28)), Ok((250, "national".to_string())));
    assert_eq!(v(d(2026, 3, 1)), Ok((230, "window".to_string())));
    assert_eq!(v(d(2026, 3, 31)), Ok((230, "window".to_string())));
    assert_eq!(v(d(2026, 4, 1)), Ok((250, "national".to_string())));
}

#[test]
fn the_last_layer_wins_among_several() {
    let layer = |name: &str, value: i64, from: NaiveDate| PolicyLayer {
        name: name.into(),
        description: String::new(),
        source: format!("{name}.toml"),
        params: [(
            "abk.days_per_year".to_string(),
            vec![DatedValue {
                from,
                until: None,
                value: Value::Int(value),
                reference: format!("{name} ref"),
                note: None,
                status: kinerja::policy::ValueStatus::Unstated,
                source: None,
            }],
        )]
        .into_iter()
        .collect(),
    };
    let a = layer("a", 200, d(2026, 1, 1));
    let b = layer("b", 210, d(2026, 5, 1));
    assert_eq!(a.validate(), Ok(()));
    let p = national().with_layer(a).with_layer(b);
    let v = |day| p.int("abk.days_per_year", day).map(|r| r.value);
    assert_eq!(v(d(2025, 12, 31)), Ok(250));
    assert_eq!(v(d(2026, 1, 1)), Ok(200));
    assert_eq!(v(d(2026, 4, 30)), Ok(200));
    assert_eq!(v(d(2026, 5, 1)), Ok(210));
}

#[test]
fn resolve_all_lists_what_is_in_force() {
    let p = city();
    let all = p.resolve_all(d(2026, 10, 1));
    // Only the ABK keys: other modules add their own keys to the catalogue.
    let keys: Vec<&str> = all.iter().map(|(k, _)| k.as_str()).filter(|k| k.starts_with("abk.")).collect();
    assert_eq!(
        keys,
        [
            "abk.effective_minutes_per_year",
            "abk.days_per_year",
            "abk.weeks_per_year",
            "abk.months_per_year",
            "abk.grade_bands"
        ]
    );
    assert_eq!(all[0].1.value, &Value::Int(73_500));
    // No allowance keys in 2019: they are left out, not an error; the five abk.* keys are there.
    let baseline = national();
    let y2019 = baseline.resolve_all(d(2019, 6, 30));
    assert_eq!(y2019.iter().filter(|(k, _)| k.starts_with("abk.")).count(), 5);
    assert_eq!(y2019.iter().filter(|(k, _)| k.starts_with("allowance.")).count(), 0);
}

#[test]
fn resolved_serialises_with_provenance() {
    let p = city();
    let r = p.resolve("abk.days_per_year", d(2026, 7, 1)).expect("value");
    let json = serde_json::to_value(&r).expect("serialises");
    assert_eq!(json["value"], 245);
    assert_eq!(json["provenance"]["layer"], "Kota Contoh");
    assert_eq!(json["provenance"]["from"], "2026-07-01");
    assert_eq!(json["provenance"]["until"], serde_json::Value::Null);
}

// --- validation -----------------------------------------------------------------

#[test]
fn valid_minimal_file_has_no_problems() {
    assert_eq!(problems(&format!("[[abk.days_per_year]]\n{GOOD_ENTRY}")), Vec::new());
}

#[test]
fn unknown_key() {
    assert_eq!(problems(&format!("[[abk.dayz_per_year]]\n{GOOD_ENTRY}")), one("abk.dayz_per_year", "", "unknown_key"));
    assert_eq!(problems(&format!("[[tpp.split]]\n{GOOD_ENTRY}")), one("tpp", "", "unknown_key"));
    assert_eq!(problems("abk.days = 3\n"), one("abk.days", "", "unknown_key"));
}

#[test]
fn unknown_entry_field() {
    assert_eq!(
        problems(&format!("[[abk.days_per_year]]\n{GOOD_ENTRY}valeu = 3\n")),
        one("abk.days_per_year", "entries[0].valeu", "unknown_field")
    );
}

#[test]
fn missing_or_empty_reference() {
    let missing = "[[abk.days_per_year]]\nfrom = 2020-01-01\nvalue = 250\n";
    assert_eq!(problems(missing), one("abk.days_per_year", "entries[0].ref", "missing_reference"));
    let blank = "[[abk.days_per_year]]\nfrom = 2020-01-01\nvalue = 250\nref = \"  \"\n";
    assert_eq!(problems(blank), one("abk.days_per_year", "entries[0].ref", "missing_reference"));
}

#[test]
fn missing_from_and_value() {
    let text =
        "[[abk.days_per_year]]\nvalue = 250\nref = \"r\"\n[[abk.weeks_per_year]]\nfrom = 2020-01-01\nref = \"r\"\n";
    assert_eq!(
        problems(text),
        [
            ("abk.days_per_year".into(), "entries[0].from".into(), "missing_from".into()),
            ("abk.weeks_per_year".into(), "entries[0].value".into(), "missing_value".into()),
        ]
    );
    // A quoted date is a string, not a date.
    let quoted = "[[abk.days_per_year]]\nfrom = \"2020-01-01\"\nvalue = 250\nref = \"r\"\n";
    assert_eq!(problems(quoted), one("abk.days_per_year", "entries[0].from", "wrong_type"));
}

#[test]
fn until_before_from() {
    let text = "[[abk.days_per_year]]\nfrom = 2020-01-02\nuntil = 2020-01-01\nvalue = 250\nref = \"r\"\n";
    assert_eq!(problems(text), one("abk.days_per_year", "entries[0].until", "until_before_from"));
    // One day long is fine.
    let one_day = "[[abk.days_per_year]]\nfrom = 2020-01-01\nuntil = 2020-01-01\nvalue = 250\nref = \"r\"\n";
    assert_eq!(problems(one_day), Vec::new());
}

#[test]
fn unordered_entries() {
    let text = "[[abk.days_per_year]]\nfrom = 2021-01-01\nvalue = 250\nref = \"r\"\n\
                [[abk.days_per_year]]\nfrom = 2020-01-01\nvalue = 240\nref = \"r\"\n";
    assert_eq!(problems(text), one("abk.days_per_year", "entries[1].from", "unordered"));
    let same_day = "[[abk.days_per_year]]\nfrom = 2020-01-01\nvalue = 250\nref = \"r\"\n\
                    [[abk.days_per_year]]\nfrom = 2020-01-01\nvalue = 240\nref = \"r\"\n";
    assert_eq!(problems(same_day), one("abk.days_per_year", "entries[1].from", "unordered"));
}

#[test]
fn overlap_and_gap_at_the_exact_boundary() {
    let pair = |until: &str| {
        format!(
            "[[abk.days_per_year]]\nfrom = 2020-01-01\nuntil = {until}\nvalue = 250\nref = \"r\"\n\
             [[abk.days_per_year]]\nfrom = 2021-01-01\nvalue = 240\nref = \"r\"\n"
        )
    };
    // until = next.from - 1 day: contiguous.
    assert_eq!(problems(&pair("2020-12-31")), Vec::new());
    // until = next.from: one day in both entries.
    assert_eq!(problems(&pair("2021-01-01")), one("abk.days_per_year", "entries[0].until", "overlap"));
    // until = next.from - 2 days: 2020-12-31 has no value.
    assert_eq!(problems(&pair("2020-12-30")), one("abk.days_per_year", "entries[0].until", "gap"));
}

#[test]
fn wrong_type_float_and_out_of_range() {
    let v =
        |value: &str| problems(&format!("[[abk.days_per_year]]\nfrom = 2020-01-01\nvalue = {value}\nref = \"r\"\n"));
    assert_eq!(v("\"250\""), one("abk.days_per_year", "entries[0].value", "wrong_type"));
    assert_eq!(v("true"), one("abk.days_per_year", "entries[0].value", "wrong_type"));
    assert_eq!(v("250.0"), one("abk.days_per_year", "entries[0].value", "float_refused"));
    // Range 1..=366: both ends are allowed, one past each is not.
    assert_eq!(v("1"), Vec::new());
    assert_eq!(v("366"), Vec::new());
    assert_eq!(v("0"), one("abk.days_per_year", "entries[0].value", "out_of_range"));
    assert_eq!(v("367"), one("abk.days_per_year", "entries[0].value", "out_of_range"));
}

#[test]
fn float_message_tells_to_quote() {
    let text = "[layer]\nname = \"t\"\n[[abk.days_per_year]]\nfrom = 2020-01-01\nvalue = 0.9\nref = \"r\"\n";
    let err = PolicyLayer::from_toml("t.toml", text).expect_err("float refused");
    let p = &err.problems()[0];
    assert!(p.message.contains("quoted decimal") && p.message.contains("\"0.9\""), "{}", p.message);
}

#[test]
fn bad_grade_bands() {
    let text = r#"
[[abk.grade_bands]]
from = 2020-01-01
value = [
  { grade = "A", lower = "1.00", lower_inclusive = false },
  { grade = "B", lower = "0.90", lower_inclusive = true },
  { grade = "C", lower = "0.95", lower_inclusive = true },
  { grade = "D", lower = "0.50", lower_inclusive = true },
  { grade = "E", lower = "0.10", lower_inclusive = true },
]
ref = "r"
"#;
    assert_eq!(problems(text), one("abk.grade_bands", "entries[0].value", "invalid_value"));
    // A float inside a structured value is refused with its path.
    let float = r#"
[[abk.grade_bands]]
from = 2020-01-01
value = [{ grade = "A", lower = 1.0, lower_inclusive = false }]
ref = "r"
"#;
    assert_eq!(problems(float), one("abk.grade_bands", "entries[0].value[0].lower", "float_refused"));
}

#[test]
fn malformed_layer() {
    let codes = |text: &str| match PolicyLayer::from_toml("l.toml", text) {
        Ok(_) => Vec::new(),
        Err(e) => e.problems().iter().map(|p| (p.field.clone(), p.code.clone())).collect(),
    };
    let entry = format!("[[abk.days_per_year]]\n{GOOD_ENTRY}");
    assert_eq!(codes(&entry), [(String::new(), "malformed_layer".to_string())]);
    assert_eq!(codes(&format!("[layer]\nname = \"\"\n{entry}")), [("name".into(), "malformed_layer".into())]);
    assert_eq!(codes(&format!("[layer]\nname = 3\n{entry}")), [("name".into(), "malformed_layer".into())]);
    assert_eq!(
        codes(&format!("[layer]\nname = \"x\"\nnmae = \"y\"\n{entry}")),
        [("nmae".into(), "malformed_layer".into())]
    );
    assert_eq!(codes(&format!("layer = \"x\"\n{entry}")), [(String::new(), "malformed_layer".into())]);
}

#[test]
fn syntax_error_and_not_a_timeline() {
    let err = PolicyLayer::from_toml("s.toml", "[layer\nname = 1").expect_err("syntax");
    assert_eq!(err.problems()[0].code, "syntax");
    assert!(matches!(&err, PolicyError::Invalid { file, .. } if file == "s.toml"));
    assert_eq!(problems("abk.days_per_year = 250\n"), one("abk.days_per_year", "", "not_a_timeline"));
    assert_eq!(problems("abk.days_per_year = []\n"), one("abk.days_per_year", "", "empty_timeline"));
}

#[test]
fn several_errors_are_reported_at_once() {
    let text = r#"
[layer]
name = "broken"

[[abk.effective_minutes_per_year]]
from = 2021-01-01
value = 75000
ref = "r"

[[abk.effective_minutes_per_year]]
from = 2020-01-01
value = 72000.0
ref = "r"

[[abk.days_per_year]]
from = 2020-01-01
until = 2020-06-30
value = 250
ref = ""
colour = "blue"

[[abk.days_per_year]]
from = 2020-06-01
value = 400
ref = "r"

[[abk.unknown]]
from = 2020-01-01
value = 1
ref = "r"
"#;
    let err = PolicyLayer::from_toml("broken.toml", text).expect_err("broken");
    let got: Vec<(&str, &str, &str)> =
        err.problems().iter().map(|p| (p.id.as_str(), p.field.as_str(), p.code.as_str())).collect();
    assert_eq!(
        got,
        [
            ("abk.days_per_year", "entries[0].colour", "unknown_field"),
            ("abk.days_per_year", "entries[0].ref", "missing_reference"),
            ("abk.days_per_year", "entries[1].value", "out_of_range"),
            ("abk.days_per_year", "entries[0].until", "overlap"),
            ("abk.effective_minutes_per_year", "entries[1].value", "float_refused"),
            ("abk.effective_minutes_per_year", "entries[1].from", "unordered"),
            ("abk.unknown", "", "unknown_key"),
        ]
    );
    assert!(err.problems().iter().all(|p| p.message.contains("broken.toml")));
    assert!(err.to_string().starts_with("policy file `broken.toml`: 7 problem(s)"), "{err}");
    // It converts into the crate's error with a stable code.
    assert_eq!(kinerja::Error::from(err).code(), "invalid_policy");
}

#[test]
fn validate_checks_hand_built_layers() {
    let entry = |from, until, value| DatedValue {
        from,
        until,
        value,
        reference: "r".into(),
        note: None,
        status: kinerja::policy::ValueStatus::Unstated,
        source: None,
    };
    let layer = PolicyLayer {
        name: "hand".into(),
        description: String::new(),
        source: "hand".into(),
        params: [
            ("abk.days_per_year".to_string(), vec![entry(d(2020, 1, 1), Some(d(2020, 1, 5)), Value::Int(0))]),
            (
                "abk.weeks_per_year".to_string(),
                vec![
                    entry(d(2020, 1, 1), Some(d(2020, 2, 1)), Value::Int(50)),
                    entry(d(2020, 2, 1), None, Value::Int(50)),
                ],
            ),
            ("nope".to_string(), vec![entry(d(2020, 1, 1), None, Value::Int(1))]),
        ]
        .into_iter()
        .collect(),
    };
    let err = layer.validate().expect_err("invalid");
    let codes: Vec<&str> = err.problems().iter().map(|p| p.code.as_str()).collect();
    assert_eq!(codes, ["out_of_range", "overlap", "unknown_key"]);
}

#[test]
fn catalogue_lookup() {
    let s = spec("abk.effective_minutes_per_year").expect("catalogued");
    assert_eq!(s.kind.describe(), "integer 1..=525600");
    assert!(spec("abk").is_none());
    assert_eq!(catalogue().iter().filter(|s| s.key.starts_with("abk.")).count(), 5);
}

#[test]
fn oversized_and_deeply_nested_policy_files_are_refused_cleanly() {
    // Larger than the limit: refused before parsing.
    let huge = format!("[layer]\nname = \"x\"\n# {}\n", "a".repeat(kinerja::policy::MAX_POLICY_BYTES));
    let err = PolicyLayer::from_toml("huge.toml", &huge).expect_err("too large");
    assert_eq!(err.problems().iter().map(|p| p.code.as_str()).collect::<Vec<_>>(), ["too_large"]);
    // 100,000 nested arrays, inline tables or dotted keys: a syntax problem, not a stack overflow.
    for text in [
        format!(
            "[layer]\nname = \"x\"\n\n[[allowance.gate.bands]]\nfrom = 2020-01-01\nref = \"r\"\nvalue = {}1{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
        format!("[layer]\nname = \"x\"\nv = {}{}\n", "{ a = ".repeat(100_000), "}".repeat(100_000)),
        format!("[layer]\nname = \"x\"\n{} = 1\n", vec!["a"; 100_000].join(".")),
    ] {
        let err = PolicyLayer::from_toml("deep.toml", &text).expect_err("too deep");
        assert_eq!(err.problems().iter().map(|p| p.code.as_str()).collect::<Vec<_>>(), ["syntax"]);
    }
    // Unknown fields in a structured value are named (gate bands, sanction levels).
    let (id, field, code) =
        ("allowance.gate.bands".to_string(), "entries[0].value".to_string(), "invalid_value".to_string());
    assert_eq!(
        problems(
            "[[allowance.gate.bands]]\nfrom = 2020-01-01\nref = \"r\"\nvalue = [{ belw = \"25\", pay = \"0\" }]\n"
        )
        .first(),
        Some(&(id, field, code))
    );
}

/// The line and column of every problem of a hand-made bad policy file, as a
/// city's officer sees them (`kota.toml: line 7, column 1: ...`).
#[test]
fn problems_name_the_line_and_column_of_the_text() {
    // Line 1 `[layer]`, 2 `name`, 3 blank, 4 `[[abk.days_per_year]]`, 5 `from`,
    // 6 `value = 245`, 7 `ref`, 8 blank, 9 `[[abk.days_per_year]]` (second entry),
    // 10 `from`, 11 `  value = 250.0` (indented two spaces: column 3), 12 `ref`,
    // 13 blank, 14 `[[abk.efective_minutes_per_year]]` (a typo).
    let text = "[layer]\nname = \"Kota Contoh\"\n\n[[abk.days_per_year]]\nfrom = 2026-01-01\nvalue = 245\nref = \"Perwal 17/2026\"\n\n[[abk.days_per_year]]\nfrom = 2027-01-01\n  value = 250.0\nref = \"Perwal 18/2027\"\n\n[[abk.efective_minutes_per_year]]\nfrom = 2026-01-01\nvalue = 75000\nref = \"Perwal 17/2026\"\n";
    let err = PolicyLayer::from_toml("kota.toml", text).unwrap_err();
    type Placed = (String, String, Option<(usize, usize)>);
    let placed: Vec<Placed> =
        err.problems().iter().map(|p| (p.code.clone(), p.field.clone(), p.at.map(|a| (a.line, a.column)))).collect();
    assert!(
        placed.contains(&("float_refused".into(), "entries[1].value".into(), Some((11, 3)))),
        "the float of the second entry is on line 11, column 3: {placed:?}"
    );
    assert!(
        placed.iter().any(|(code, _, at)| code == "unknown_key" && *at == Some((14, 1))),
        "the misspelt key's header is line 14: {placed:?}"
    );
    let shown = err.problems().iter().find(|p| p.code == "float_refused").unwrap().to_string();
    assert!(shown.starts_with("line 11, column 3: "), "{shown}");

    // A syntax error: line 3 `value = = 245` has its second `=` at column 9.
    let err = PolicyLayer::from_toml("kota.toml", "[layer]\nname = \"K\"\nvalue = = 245\n").unwrap_err();
    let p = &err.problems()[0];
    assert_eq!(p.code, "syntax");
    let at = p.at.expect("a syntax error has a place");
    assert_eq!(at.line, 3, "{p}");
    assert!((8..=9).contains(&at.column), "{p}");

    // An empty layer name is placed on its own line 2.
    let err = PolicyLayer::from_toml("k.toml", "[layer]\nname = \"\"\n").unwrap_err();
    assert_eq!(err.problems()[0].at.map(|a| (a.line, a.column)), Some((2, 1)));
}

/// docs/policy-file.md, the adopters' guide to writing a city's policy, lists
/// every catalogued key (a key added to the catalogue must be documented there).
#[test]
fn the_policy_file_guide_lists_every_key() {
    let guide = include_str!("../../docs/policy-file.md");
    let missing: Vec<&str> =
        catalogue().iter().map(|s| s.key).filter(|k| !guide.contains(&format!("| `{k}` |"))).collect();
    assert!(catalogue().len() >= 58, "the catalogue has {} keys", catalogue().len());
    assert!(missing.is_empty(), "keys missing from docs/policy-file.md: {missing:?}");
}

// --- coverage -------------------------------------------------------------------

#[test]
fn the_national_baseline_covers_every_month_from_2020() {
    let national = Policy::national();
    let c = national.coverage().expect("covers some range");
    assert_eq!((c.from, c.until), (NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(), None));
    assert_eq!(c.to_string(), "2020-01-01 onwards");
    // Every catalogued key resolves on the first day, the day before PP 94/2021
    // (2021-08-30), its first day (2021-08-31), and a day in 2026.
    for (y, m, d) in [(2020, 1, 1), (2021, 8, 30), (2021, 8, 31), (2026, 10, 15)] {
        let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        for s in kinerja::policy::catalogue() {
            assert!(national.resolve(s.key, date).is_ok(), "{} on {date}", s.key);
        }
    }
    assert_eq!(national.check_covered(c.from, NaiveDate::from_ymd_opt(2020, 1, 31).unwrap()), Ok(()));
}

#[test]
fn a_month_outside_the_coverage_fails_once_naming_the_first_key() {
    let national = Policy::national();
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    // December 2019: the abk.* and targets.* keys have 2008-2019 values; the first key
    // in catalogue order without one is activity.daily_cap_minutes (from 2020-01-01).
    let e = national.check_covered(d(2019, 12, 1), d(2019, 12, 31)).unwrap_err();
    assert_eq!(e.code(), "not_covered");
    match &e {
        PolicyError::NotCovered { key, date, coverage } => {
            assert_eq!((key.as_str(), *date), ("activity.daily_cap_minutes", d(2019, 12, 1)));
            assert_eq!(coverage.map(|c| c.from), Some(d(2020, 1, 1)));
        }
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().contains("covers 2020-01-01 onwards"), "{e}");
    // A range crossing into the coverage names its first uncovered day: 2019-12-31.
    let e = national.check_covered(d(2019, 12, 31), d(2020, 1, 2)).unwrap_err();
    assert!(matches!(e, PolicyError::NotCovered { date, .. } if date == d(2019, 12, 31)));
}

#[test]
fn workload_analysis_before_2020_uses_the_older_guidance() {
    // 2015: 72,000 minutes (Permendagri 12/2008) and the A-E bands now dated from 2008.
    let p = kinerja::abk::AbkParams::from_policy(&Policy::national(), NaiveDate::from_ymd_opt(2015, 6, 1).unwrap())
        .expect("ABK binds in 2015");
    assert_eq!(p.params.effective_minutes_per_year, 72_000);
}

#[test]
fn a_city_entry_that_ends_narrows_the_coverage_only_if_the_baseline_has_no_value() {
    // A city value with `until` hands back to the national one: coverage unchanged.
    let city = PolicyLayer::from_toml(
        "kota.toml",
        "[layer]\nname = \"Kota\"\n[[allowance.acting_min_days]]\nfrom = 2026-01-01\nuntil = 2026-06-30\nvalue = 20\nref = \"Perwal\"\n",
    )
    .unwrap();
    let p = Policy::national().with_layer(city);
    assert_eq!(p.coverage().map(|c| c.until), Some(None));
    // Without the baseline, the city layer alone covers nothing completely.
    let alone = Policy::from_layers(vec![p.layers()[1].clone()]);
    assert_eq!(alone.coverage(), None);
}

// --- provenance status ----------------------------------------------------------

#[test]
fn entries_carry_a_status_and_a_verified_one_names_its_source() {
    use kinerja::policy::ValueStatus;
    let load = |entry: &str| {
        PolicyLayer::from_toml(
            "kota.toml",
            &format!(
                "[layer]\nname = \"Kota\"\n[[allowance.ikk]]\nfrom = 2026-01-01\nvalue = \"1.1\"\nref = \"Perwal 1/2026\"\n{entry}"
            ),
        )
    };
    let l = load("status = \"verified\"\nsource = \"Perwal 1/2026 Lampiran II, JDIH Kota\"\n").unwrap();
    let e = &l.params["allowance.ikk"][0];
    assert_eq!((e.status, e.source.as_deref()), (ValueStatus::Verified, Some("Perwal 1/2026 Lampiran II, JDIH Kota")));
    // The status travels with the resolved value.
    let p = Policy::national().with_layer(l);
    assert_eq!(p.resolve("allowance.ikk", d(2026, 3, 1)).unwrap().provenance.status, ValueStatus::Verified);
    assert_eq!(p.unverified(&["allowance.ikk", "allowance.ikfd"], d(2026, 3, 1)).len(), 1);
    // No status: unstated (not verified).
    assert_eq!(load("").unwrap().params["allowance.ikk"][0].status, ValueStatus::Unstated);
    // Verified without a source, and an unknown status, are refused naming the field.
    let codes = |entry: &str| {
        load(entry).unwrap_err().problems().iter().map(|p| (p.field.clone(), p.code.clone())).collect::<Vec<_>>()
    };
    assert_eq!(codes("status = \"verified\"\n"), vec![("entries[0].source".to_string(), "missing_source".to_string())]);
    assert_eq!(codes("status = \"checked\"\n"), vec![("entries[0].status".to_string(), "invalid_choice".to_string())]);
    // The national baseline: every entry says recalled or illustrative; none is verified.
    let national = Policy::national();
    for layer in national.layers() {
        for (key, entries) in &layer.params {
            for e in entries {
                assert!(matches!(e.status, ValueStatus::Recalled | ValueStatus::Illustrative), "{key} {}", e.from);
            }
        }
    }
}
