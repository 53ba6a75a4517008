//! The payroll export for the finance office: a CSV with a chosen separator, the NIP and
//! the account number as text, a column per rule, grade, unit and bank account, and the
//! reconciliation trailer; bank accounts in the dataset are optional and validated.

use kinerja::dataset::Dataset;
use kinerja::export::{CsvOptions, PAYROLL_COLUMNS, payroll_csv, payroll_csv_with};
use kinerja::ledger::{Ledger, MonthContext};
use kinerja::payroll::{PayOptions, pay_city_with};
use kinerja::policy::Policy;
use kinerja::recap::monthly_recap;
use kinerja::{Money, YearMonth};
use rust_decimal::Decimal;

mod common;
use common::*;

/// The test city with the section head (KASI) acting as head of DINAS 1-16 October
/// (12 working days) and a bank account for KASI only.
fn city_json_with_account() -> serde_json::Value {
    let mut v = city_json();
    v["assignments"].as_array_mut().unwrap().push(serde_json::json!(
        { "employee": KASI, "position": "KADIS", "kind": "plt", "from": "2026-10-01", "until": "2026-10-16" }
    ));
    v["bank_accounts"] = serde_json::json!([
        { "employee": KASI, "name": "KASI BIN ABDULLAH", "bank": "Bank Aceh Syariah", "number": "0010203040506" }
    ]);
    v
}

fn problems(v: &serde_json::Value) -> Vec<(String, String, String)> {
    match Dataset::load_city(&v.to_string()) {
        Ok(_) => Vec::new(),
        Err(kinerja::dataset::DatasetError::Invalid(e)) => {
            e.problems.iter().map(|p| (p.record.clone(), p.field.clone(), p.code.clone())).collect()
        }
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn bank_accounts_are_optional_and_validated() {
    // Without any: the city loads and has none.
    let city = Dataset::load_city(&city_json().to_string()).unwrap();
    assert!(city.bank_accounts.is_empty());
    // With one: kept as text, leading zeros included, and written back unchanged.
    let city = Dataset::load_city(&city_json_with_account().to_string()).unwrap();
    let a = city.bank_account(&nip(KASI)).expect("KASI's account");
    assert_eq!((a.bank.as_str(), a.number.as_str()), ("Bank Aceh Syariah", "0010203040506"));
    assert!(city.bank_account(&nip(STAFF)).is_none());
    let again = Dataset::load_city(&city.to_dataset().to_json()).unwrap();
    assert_eq!(again.bank_accounts, city.bank_accounts);

    // Each field checked, every problem named with its record and field.
    let bad = |account: serde_json::Value| {
        let mut v = city_json();
        v["bank_accounts"] = serde_json::json!([account]);
        problems(&v)
    };
    let p = |record: &str, field: &str, code: &str| vec![(record.to_string(), field.to_string(), code.to_string())];
    let ok = serde_json::json!({ "employee": KASI, "name": "Kasi", "bank": "BSI", "number": "123456" });
    assert_eq!(bad(ok.clone()), Vec::new());
    let with = |k: &str, val: &str| {
        let mut a = ok.clone();
        a[k] = val.into();
        a
    };
    assert_eq!(bad(with("number", "12-3456")), p("bank_account", "number", "invalid_value"));
    assert_eq!(bad(with("number", "12345")), p("bank_account", "number", "invalid_value"), "5 digits: too short");
    assert_eq!(bad(with("number", "1".repeat(21).as_str())), p("bank_account", "number", "invalid_value"));
    assert_eq!(bad(with("name", " ")), p("bank_account", "name", "missing_value"));
    assert_eq!(bad(with("bank", "")), p("bank_account", "bank", "missing_value"));
    assert_eq!(bad(with("employee", "199912312020121999")), p("bank_account", "employee", "unknown_reference"));
    let mut v = city_json();
    v["bank_accounts"] = serde_json::json!([ok.clone(), ok.clone()]);
    assert_eq!(problems(&v), p("bank_account", "employee", "duplicate_account"));
    // An unknown field is refused like in every other record.
    assert_eq!(bad(with("iban", "x")), p("bank_account", "iban", "unknown_field"));
}

/// The header and rows of a CSV text, read with the csv crate.
fn read(text: &str, sep: u8) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new().delimiter(sep).from_reader(text.as_bytes());
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    (header, r.records().map(|x| x.unwrap().iter().map(str::to_string).collect()).collect())
}

#[test]
fn a_small_payroll_by_hand() {
    let city = Dataset::load_city(&city_json_with_account().to_string()).unwrap();
    let policy = Policy::national();
    let oct = YearMonth::new(2026, 10).unwrap();
    let ctx = MonthContext::new(&city, &policy, oct).unwrap();
    // A month with no events: nobody scanned in, nothing was logged.
    let recap = monthly_recap(&Ledger::new(oct), &ctx, d(2026, 11, 30)).unwrap();
    let pay = pay_city_with(&city, &ctx, &recap, &policy, &PayOptions { allow_unverified: true }).unwrap();
    assert_eq!(pay.slips.len(), 8);

    let text = payroll_csv(&city, &pay).unwrap();
    // `;` by default; the NIP and the account number are quoted text, amounts are not.
    let (header, rows) = read(&text, b';');
    assert_eq!(&header[..15], PAYROLL_COLUMNS);
    assert_eq!(header[15], "ceiling");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name}"));
    let kasi_line = text.lines().find(|l| l.contains(KASI)).unwrap();
    assert!(
        kasi_line.starts_with(&format!(
            "\"employee\";\"{KASI}\";\"Kasi\";\"PNS\";\"III/d\";\"DINAS\";\"Dinas Uji\";\"paid\";1;"
        )),
        "{kasi_line}"
    );
    assert!(kasi_line.contains(";\"Bank Aceh Syariah\";\"0010203040506\";\"KASI BIN ABDULLAH\";"), "{kasi_line}");

    let kasi = rows.iter().find(|r| r[col("nip")] == KASI).unwrap();
    let n = |r: &Vec<String>, c: &str| r[col(c)].parse::<Decimal>().unwrap();
    // KASI acted as head of DINAS (class 14) on 12 working days (1-2, 5-9, 12-16
    // October = 2 + 5 + 5): the add-on is 20% of class 14's ceiling Rp 5,250,000
    // = 5,250,000 x 0.20 = Rp 1,050,000.
    assert_eq!(n(kasi, "acting"), Decimal::from(1_050_000));
    assert_eq!(kasi[col("job_class")], "9");
    // The others have no bank account in the dataset: the three columns are empty.
    let staff = rows.iter().find(|r| r[col("nip")] == STAFF).unwrap();
    assert_eq!((&*staff[col("bank")], &*staff[col("account_number")], &*staff[col("account_name")]), ("", "", ""));
    assert_eq!((&*staff[col("grade")], &*staff[col("employment")]), ("II/c", "PNS"));

    // Amount for amount, every paid row is its slip: each rule column, gross, tax,
    // contribution, net and the content hash.
    let rules = kinerja::allowance::rule_ids();
    for s in &pay.slips {
        let r = rows.iter().find(|r| r[0] == "employee" && r[col("nip")] == s.employee.as_str()).unwrap();
        for rule in &rules {
            assert_eq!(n(r, rule), s.amount(rule).amount(), "{} {rule}", s.employee);
        }
        for (c, m) in [("gross", s.gross), ("tax", s.tax), ("contribution", s.contribution), ("net", s.net)] {
            assert_eq!(n(r, c), m.amount(), "{} {c}", s.employee);
        }
        assert_eq!(r[col("content_hash")], s.content_hash);
    }
    // The trailer: `all` counts the 8 employees and holds the city's totals, which are
    // the sums of the employee rows.
    let all = rows.iter().find(|r| r[0] == "summary" && r[col("status")] == "all").unwrap();
    assert_eq!(all[col("count")], "8");
    for (c, m) in [("gross", pay.city.gross), ("tax", pay.city.tax), ("net", pay.city.net)] {
        let sum: Decimal = rows.iter().filter(|r| r[0] == "employee").map(|r| n(r, c)).sum();
        assert_eq!((n(all, c), sum), (m.amount(), m.amount()), "{c}");
    }
    assert_eq!(n(all, "acting"), Decimal::from(1_050_000), "KASI's add-on is the only acting line");
    assert!(pay.city.net > Money::ZERO);

    // The same file with `,`: the same cells.
    let comma = payroll_csv_with(&city, &pay, &CsvOptions { separator: b',' }).unwrap();
    assert!(comma.lines().nth(1).unwrap().starts_with("\"employee\",\""));
    assert_eq!(read(&comma, b','), (header, rows));
}
