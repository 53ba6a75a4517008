//! The month's tables written as Parquet and read back with the parquet crate's own
//! reader: the schema (money decimal128(38, 2) with its metadata, every rule a column)
//! and exact values against a hand-computed slip of the golden cases.

use std::path::PathBuf;

use kinerja::allowance::{AllowanceInput, compute_slip};
use kinerja::generator::{GeneratorConfig, generate};
use kinerja::payroll::CityPayroll;
use kinerja::policy::{Policy, PolicyLayer};
use kinerja_columnar::arrow_array::cast::AsArray;
use kinerja_columnar::arrow_array::types::Decimal128Type;
use kinerja_columnar::arrow_array::{Array, RecordBatch};
use kinerja_columnar::arrow_schema::DataType;
use kinerja_columnar::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use kinerja_columnar::{is_money, payroll_rules, payroll_slips, write_parquet};

fn read_back(batch: &RecordBatch, name: &str) -> RecordBatch {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let file = std::fs::File::create(&path).expect("create");
    write_parquet(batch, file).expect("written");
    let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&path).expect("open"))
        .expect("a parquet file")
        .build()
        .expect("reader");
    let batches: Vec<RecordBatch> = reader.map(|b| b.expect("batch")).collect();
    assert_eq!(batches.len(), 1);
    batches.into_iter().next().unwrap_or_else(|| RecordBatch::new_empty(batch.schema()))
}

/// The slip of cases/allowance/002-spec-example.json, computed by the core.
fn spec_example() -> (kinerja::allowance::Slip, serde_json::Value) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../cases/allowance/002-spec-example.json");
    let case: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir).expect("case file")).expect("json");
    let mut policy = Policy::national();
    for (i, text) in case["policy"].as_array().expect("policy").iter().enumerate() {
        let layer = PolicyLayer::from_toml(&format!("case#policy[{i}]"), text.as_str().expect("toml")).expect("layer");
        policy = policy.with_layer(layer);
    }
    let input: AllowanceInput = serde_json::from_value(case["input"].clone()).expect("input");
    (compute_slip(&input, &policy).expect("slip"), case)
}

#[test]
fn a_hand_computed_slip_reads_back_exactly_from_parquet() {
    let (slip, case) = spec_example();
    let city = generate(&GeneratorConfig { units: 1, employees: 3, ..GeneratorConfig::default() })
        .expect("dataset")
        .into_city()
        .expect("city");
    let payroll = CityPayroll {
        month: slip.month,
        slips: vec![slip.clone()],
        slip_units: vec![None],
        failures: vec![],
        not_paid: vec![],
        units: vec![],
        city: Default::default(),
        closed: None,
        head: None,
        summary: Default::default(),
    };
    let rules = payroll_rules(&payroll.slips);
    let batch = payroll_slips(&city, &payroll, &rules).expect("table");
    let back = read_back(&batch, "spec-example.parquet");
    assert_eq!(back, batch, "what was written is what is read");

    let schema = back.schema();
    let net = schema.field_with_name("net").expect("net");
    assert_eq!(net.data_type(), &DataType::Decimal128(38, 2));
    assert!(is_money(net) && !net.is_nullable());
    // Every rule of the core but `ceiling` is a column, applied or not.
    assert_eq!(schema.fields().len(), 10 + kinerja::allowance::rule_ids().len() - 1);
    let cell = |name: &str| back.column_by_name(name).expect(name).as_primitive::<Decimal128Type>().value(0);
    // The case's arithmetic: G = 1,765,227 + 650,000 = 2,415,227; tax -R(120,761.35) =
    // -120,761; BPJS -R(24,152.27) = -24,152; N = 2,415,227 - 120,761 - 24,152 =
    // 2,270,314 rupiah, i.e. 227,031,400 at scale 2.
    assert_eq!(cell("net"), 227_031_400);
    assert_eq!(cell("gross"), 241_522_700);
    assert_eq!(cell("tax.pph21"), -12_076_100);
    assert_eq!(cell("contribution.bpjs"), -2_415_200);
    // sanction -R(2,353,636 x 25 / 100) = -588,409; acting +650,000; no late arrival.
    assert_eq!(cell("sanction"), -58_840_900);
    assert_eq!(cell("acting"), 65_000_000);
    assert_eq!(cell("deduction.late.1"), 0);
    assert_eq!(case["expected"]["net"].as_str(), Some("2270314"), "the case file says the same");
    let nip = back.column_by_name("nip").expect("nip").as_string::<i32>();
    assert_eq!(nip.value(0), "198503152010011001");
    // Not an employee of the generated city: no name (null), not an error.
    assert!(back.column_by_name("name").expect("name").is_null(0));
}

#[test]
fn a_money_value_with_a_third_decimal_place_is_refused_not_rounded() {
    let mut t = kinerja_columnar::TableBuilder::new();
    let m = kinerja::Money::new(rust_decimal::Decimal::new(1005, 3)); // 1.005 rupiah
    let e = t.col("net", [m]).expect_err("refused");
    assert!(e.to_string().contains("`net`") && e.to_string().contains("1.005"), "{e}");
}
