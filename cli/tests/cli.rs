//! The `kinerja` command: exit codes and outputs a batch script relies on.

use std::path::PathBuf;
use std::process::{Command, Output};

/// The command line in English (`KINERJA_LANG=en`), whose sentences these tests read;
/// a test of the Indonesian default passes `--lang id`.
fn kinerja(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kinerja")).env("KINERJA_LANG", "en").args(args).output().expect("runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-tests");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir.join(name)
}

fn small_city(name: &str) -> PathBuf {
    let out = scratch(name);
    let o = kinerja(&[
        "generate",
        "--seed",
        "3",
        "--units",
        "5",
        "--employees",
        "120",
        "--out",
        out.to_str().unwrap(),
        "--force",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

/// The header and rows of a payroll CSV (`;` between fields, the default), read with
/// the csv crate.
fn read_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    read_csv_with(text, b';')
}

/// The header and rows of a CSV text with this separator, read with the csv crate.
fn read_csv_with(text: &str, separator: u8) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new().delimiter(separator).has_headers(true).from_reader(text.as_bytes());
    let header = r.headers().expect("header").iter().map(str::to_string).collect();
    let rows = r.records().map(|rec| rec.expect("record").iter().map(str::to_string).collect()).collect();
    (header, rows)
}

fn repo(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(path).display().to_string()
}

#[test]
fn generate_check_and_abk_succeed() {
    let city = small_city("ok.json");
    let city = city.to_str().unwrap();
    let o = kinerja(&["check", "--dataset", city, "--policy", &repo("policy/city-example.toml")]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("national > Kota Contoh"));

    let o = kinerja(&["abk", "--dataset", city, "--date", "2026-10-01"]);
    assert_eq!(o.status.code(), Some(0));
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(table.contains("CITY"), "{table}");
    assert!(table.contains("PermenPAN-RB No. 1 Tahun 2020"), "{table}");

    let o = kinerja(&["abk", "--dataset", city, "--date", "2026-10-01", "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["analysis"]["units"].as_array().map(|u| u.len()), Some(5));
    assert_eq!(v["parameters"][0]["key"], "abk.effective_minutes_per_year");
    // The CLI's figures are the library's: the JSON city total equals the sum of units' headcounts.
    let heads: u64 = v["analysis"]["units"].as_array().unwrap().iter().map(|u| u["headcount"].as_u64().unwrap()).sum();
    assert_eq!(v["analysis"]["total"]["headcount"].as_u64(), Some(heads));
}

#[test]
fn generate_is_deterministic() {
    let a = small_city("det-a.json");
    let b = small_city("det-b.json");
    assert_eq!(std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
}

#[test]
fn invalid_input_exits_1_and_lists_every_problem() {
    let city = small_city("bad.json");
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&city).unwrap()).unwrap();
    v["employees"][0]["rank"] = "V/a".into();
    v["positions"][0]["job_class"] = 0.into();
    let bad = scratch("bad-edited.json");
    std::fs::write(&bad, v.to_string()).unwrap();
    let bad_policy = scratch("bad-policy.toml");
    std::fs::write(
        &bad_policy,
        "[layer]\nname = \"x\"\n\n[[abk.days_per_yer]]\nfrom = 2026-01-01\nvalue = 1\nref = \"r\"\n",
    )
    .unwrap();
    let o = kinerja(&["check", "--dataset", bad.to_str().unwrap(), "--policy", bad_policy.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("field `rank`"), "{err}");
    assert!(err.contains("field `job_class`"), "{err}");
    assert!(err.contains("abk.days_per_yer"), "{err}");
    // The misspelt key's header `[[abk.days_per_yer]]` is line 4 of the policy file
    // (1 `[layer]`, 2 `name`, 3 blank), from its first column.
    assert!(err.contains("bad-policy.toml: line 4, column 1: policy `abk.days_per_yer`"), "{err}");
    assert!(err.contains("3 problems found"), "{err}");
}

#[test]
fn a_dataset_that_is_not_json_names_its_line_and_column() {
    let bad = scratch("not-json.json");
    // Line 3 `  "government": ,` has the stray comma at column 17.
    std::fs::write(&bad, "{\n  \"schema_version\": 1,\n  \"government\": ,\n}\n").unwrap();
    let o = kinerja(&["check", "--dataset", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("line 3, column 17"), "{err}");
}

#[test]
fn a_missing_file_exits_1() {
    let o = kinerja(&["check", "--dataset", "/nonexistent/city.json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read"));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(kinerja(&["abk"]).status.code(), Some(2));
    assert_eq!(kinerja(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(kinerja(&["abk", "--dataset", "x.json", "--date", "2026-13-01"]).status.code(), Some(2));
}

/// A small city with a simulated October 2026 journal.
fn small_month(prefix: &str) -> (String, String) {
    let city = small_city(&format!("{prefix}-city.json"));
    let journal = scratch(&format!("{prefix}-2026-10.journal.json"));
    let o = kinerja(&[
        "simulate",
        "--dataset",
        city.to_str().unwrap(),
        "--month",
        "2026-10",
        "--seed",
        "5",
        "--out",
        journal.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    (city.display().to_string(), journal.display().to_string())
}

#[test]
fn simulate_recap_and_pay_the_month() {
    let (city, journal) = small_month("pay");
    let base = ["--dataset", city.as_str(), "--journal", journal.as_str(), "--month", "2026-10"];
    let run = |cmd: &str, extra: &[&str]| {
        let mut args = vec![cmd];
        args.extend_from_slice(&base);
        args.extend_from_slice(extra);
        if cmd == "tpp" {
            // The national baseline's values are recalled or illustrative.
            args.push("--allow-unverified");
        }
        let o = kinerja(&args);
        assert_eq!(o.status.code(), Some(0), "{cmd}: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let recap: serde_json::Value = serde_json::from_str(&run("recap", &["--json"])).unwrap();
    let staff = recap["employees"].as_array().unwrap().len();
    assert_eq!(staff, 120);

    // CSV: one row per employee (see tpp_csv_accounts_for_everyone), net = gross + tax +
    // contribution on every paid row.
    let csv = run("tpp", &["--csv"]);
    let (header, rows) = read_csv(&csv);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("column {name}"));
    let paid: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "employee" && r[col("status")] == "paid").collect();
    assert!(paid.len() > 100 && paid.len() <= staff, "{}", paid.len());
    for r in &paid {
        let n = |name: &str| r[col(name)].parse::<rust_decimal::Decimal>().unwrap();
        assert_eq!(n("gross") + n("tax") + n("contribution"), n("net"), "{r:?}");
        assert!(n("net") >= rust_decimal::Decimal::ZERO && n("net") <= n("gross"), "{r:?}");
        assert_eq!(r[col("content_hash")].len(), 64, "sha-256 hex");
    }
    let rows: Vec<Vec<String>> = paid.iter().map(|r| vec![r[col("nip")].clone(), r[col("net")].clone()]).collect();

    // JSON: the city totals are the sum of the slips.
    let tpp: serde_json::Value = serde_json::from_str(&run("tpp", &["--json"])).unwrap();
    let slips = tpp["slips"].as_array().unwrap();
    let sum: rust_decimal::Decimal =
        slips.iter().map(|s| s["net"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap()).sum();
    assert_eq!(tpp["city"]["net"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap(), sum);

    // Explain one slip: every line with its rule and legal reference.
    let nip = rows[0][0].as_str();
    // Indonesian by default (`Pagu TPP`, `Rp 2.500.000`), English with `--lang en`.
    let text = run("explain", &["--nip", nip, "--lang", "id"]);
    assert!(text.contains("Pagu TPP [ceiling]"), "{text}");
    assert!(text.contains("allowance.ceilings"), "{text}");
    assert!(text.contains("hash isi"), "{text}");
    assert!(text.contains("Oktober 2026"), "{text}");
    let text = run("explain", &["--nip", nip, "--lang", "en"]);
    assert!(text.contains("Ceiling [ceiling]"), "{text}");
    assert!(text.contains("content hash"), "{text}");
    assert!(text.contains("October 2026"), "{text}");
    let slip: serde_json::Value = serde_json::from_str(&run("explain", &["--nip", nip, "--json"])).unwrap();
    assert_eq!(slip["net"].as_str().unwrap(), rows[0][1]);

    // What-if 70/30: the JSON's city delta is proposed - current.
    let w: serde_json::Value =
        serde_json::from_str(&run("whatif", &["--proposed-policy", &repo("policy/proposed-70-30.toml"), "--json"]))
            .unwrap();
    let d = |k: &str| w["city"]["gross"][k].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap();
    assert_eq!(d("after") - d("before"), d("delta"));
}

#[test]
fn explain_refuses_a_bad_nip() {
    let (city, journal) = small_month("explain-bad");
    let o = kinerja(&["explain", "--dataset", &city, "--journal", &journal, "--month", "2026-10", "--nip", "123"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--nip"));
}

#[test]
fn policy_lists_values_with_their_layer_and_reference() {
    let o = kinerja(&["policy", "--policy", &repo("policy/city-example.toml"), "--date", "2026-10-01"]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.starts_with("policy covers 2020-01-01 onwards"), "{out}");
    let line = out.lines().find(|l| l.starts_with("abk.effective_minutes_per_year")).expect("listed");
    // The city's value from 2026-07-01 wins over the national 75,000.
    assert!(line.contains("73500") && line.contains("Kota Contoh") && line.contains("2026-07-01"), "{line}");
    let o = kinerja(&["policy", "--date", "2026-06-30", "--policy", &repo("policy/city-example.toml")]);
    let out = String::from_utf8_lossy(&o.stdout);
    let line = out.lines().find(|l| l.starts_with("abk.effective_minutes_per_year")).expect("listed");
    assert!(line.contains("75000") && line.contains("national"), "{line}");
}

// --- payroll output: everyone, a reconcilable summary, safe CSV ------------------------

fn month_args<'a>(city: &'a str, journal: &'a str) -> Vec<&'a str> {
    vec!["--dataset", city, "--journal", journal, "--month", "2026-10"]
}

fn tpp(city: &str, journal: &str, extra: &[&str]) -> Output {
    let mut args = vec!["tpp", "--allow-unverified"];
    args.extend(month_args(city, journal));
    args.extend_from_slice(extra);
    kinerja(&args)
}

#[test]
fn paying_with_unverified_values_needs_the_flag_and_the_slips_record_them() {
    let (city, journal) = small_month("unverified");
    let mut args = vec!["tpp"];
    args.extend(month_args(&city, &journal));
    let o = kinerja(&args);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    // The 39 allowance keys of the national baseline: none is verified.
    assert!(err.contains("39 allowance policy value(s) in force for 2026-10 are not verified"), "{err}");
    assert!(err.contains("--allow-unverified"), "{err}");
    assert!(o.stdout.is_empty());
    let o = tpp(&city, &journal, &["--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("39 of 39 allowance policy values in force for 2026-10 are not verified"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let slip = &v["slips"][0];
    assert_eq!(slip["schema_version"], 3);
    let recorded: Vec<&str> = slip["unverified"].as_array().unwrap().iter().map(|x| x.as_str().unwrap()).collect();
    assert_eq!(recorded.len(), 39);
    assert!(recorded.contains(&"allowance.ceilings (illustrative)"), "{recorded:?}");
    assert!(recorded.contains(&"allowance.weight_performance (recalled)"), "{recorded:?}");
}

#[test]
fn tpp_csv_accounts_for_everyone_and_reconciles() {
    let (city, journal) = small_month("everyone");
    let o = tpp(&city, &journal, &["--csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    let (header, rows) = read_csv(&text);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("column {name}"));
    assert_eq!(
        &header[..15],
        [
            "record",
            "nip",
            "name",
            "employment",
            "grade",
            "unit",
            "unit_name",
            "status",
            "count",
            "code",
            "reason",
            "job_class",
            "bank",
            "account_number",
            "account_name"
        ]
    );
    assert_eq!(header[15], "ceiling");
    assert_eq!(&header[header.len() - 5..], ["gross", "tax", "contribution", "net", "content_hash"]);

    // Every employee of the dataset, once; the generated city has two who left service
    // before October (seed 3), listed with the reason.
    let dataset: serde_json::Value = serde_json::from_slice(&std::fs::read(&city).unwrap()).unwrap();
    let mut nips: Vec<String> =
        dataset["employees"].as_array().unwrap().iter().map(|e| e["nip"].as_str().unwrap().to_string()).collect();
    nips.sort();
    let employees: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "employee").collect();
    let mut listed: Vec<String> = employees.iter().map(|r| r[col("nip")].clone()).collect();
    listed.sort();
    assert_eq!(listed, nips, "every NIP comes back as the same 18-character text");
    assert!(listed.iter().all(|n| n.len() == 18 && kinerja::org::Nip::parse(n).is_ok()));
    // NIPs are written quoted, as text; amounts are not quoted.
    let first = text.lines().nth(1).unwrap();
    assert!(first.starts_with(&format!("\"employee\";\"{}\";", employees[0][col("nip")])), "{first}");
    let not_paid: Vec<&&Vec<String>> = employees.iter().filter(|r| r[col("status")] == "not_paid").collect();
    assert_eq!(not_paid.len(), 2);
    for r in &not_paid {
        assert_eq!(r[col("code")], "left_service");
        assert!(r[col("reason")].contains("ended on"), "{r:?}");
        assert_eq!(r[col("net")], "", "not paid: no amount");
    }

    // The summary rows: counts and the sums of every amount column over the employee rows.
    let summary = |status: &str| rows.iter().find(|r| r[0] == "summary" && r[col("status")] == status).unwrap();
    let count = |r: &Vec<String>| r[col("count")].parse::<usize>().unwrap();
    assert_eq!(count(summary("all")), employees.len());
    assert_eq!(count(summary("all")), 120);
    for status in ["paid", "failed", "not_paid"] {
        assert_eq!(count(summary(status)), employees.iter().filter(|r| r[col("status")] == status).count(), "{status}");
    }
    assert_eq!(summary("all")[col("reason")], "120 employees: 118 paid, 0 failed, 2 not paid");
    let dec =
        |s: &str| if s.is_empty() { rust_decimal::Decimal::ZERO } else { s.parse::<rust_decimal::Decimal>().unwrap() };
    for c in col("ceiling")..col("content_hash") {
        let sum: rust_decimal::Decimal = employees.iter().map(|r| dec(&r[c])).sum();
        assert_eq!(dec(&summary("all")[c]), sum, "column {}", header[c]);
        assert_eq!(dec(&summary("paid")[c]), sum, "column {}", header[c]);
    }
    // The rules before tax add up to the gross.
    let all = summary("all");
    let before_tax: rust_decimal::Decimal = (col("ceiling")..col("tax.pph21")).map(|c| dec(&all[c])).sum();
    assert_eq!(before_tax, dec(&all[col("gross")]));

    // JSON: the same accounting, ending with the summary.
    let o = tpp(&city, &journal, &["--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["not_paid"].as_array().unwrap().len(), 2);
    assert_eq!(v["summary"]["employees"], 120);
    assert_eq!(v["summary"]["not_paid"], 2);
    let json_text = String::from_utf8(o.stdout).unwrap();
    assert!(json_text.trim_end().ends_with('}') && json_text.rfind("\"summary\"") > json_text.rfind("\"not_paid\": ["));
    // The table says so too.
    let table = String::from_utf8(tpp(&city, &journal, &[]).stdout).unwrap();
    assert!(table.contains("120 in all: 118 paid, 0 could not be computed, 2 not paid"), "{table}");
    assert!(table.contains("2 employee(s) not paid this month (left_service 2)"), "{table}");
    // The unit table counts them too: the CITY row has 118 slips, 0 failed, 2 not paid.
    let city_row: Vec<&str> = table.lines().find(|l| l.starts_with("CITY")).unwrap().split_whitespace().collect();
    assert_eq!(&city_row[..4], ["CITY", "118", "0", "2"], "{table}");
}

#[test]
fn formula_like_text_is_neutralised_in_the_csv() {
    let (city, journal) = small_month("formula");
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&city).unwrap()).unwrap();
    let names = ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-3", "@SUM(A1)", "\tTab", "Siti, \"Ani\"\nBaris"];
    for (i, name) in names.iter().enumerate() {
        v["employees"][i]["name"] = (*name).into();
    }
    let edited = scratch("formula-city-edited.json");
    std::fs::write(&edited, v.to_string()).unwrap();
    let o = tpp(edited.to_str().unwrap(), &journal, &["--csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let (header, rows) = read_csv(&String::from_utf8(o.stdout).unwrap());
    let (nip, name) = (1, header.iter().position(|h| h == "name").unwrap());
    for (i, expected) in names.iter().enumerate() {
        let want = v["employees"][i]["nip"].as_str().unwrap();
        let row = rows.iter().find(|r| r[nip] == want).expect("listed");
        if i < 5 {
            assert_eq!(row[name], format!("'{expected}"), "a formula-like name gets a leading '");
        } else {
            assert_eq!(row[name], *expected, "commas, quotes and new lines survive the round trip");
        }
    }
    // Negative amounts stay numbers.
    assert!(rows.iter().any(|r| r[header.iter().position(|h| h == "tax").unwrap()].starts_with('-')));
}

/// The small city with an unknown sanction level on the first employee's record: the
/// dataset cannot know the policy's levels, paying the month can.
fn city_with_a_bad_sanction(prefix: &str) -> (String, String, String) {
    let (city, journal) = small_month(prefix);
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&city).unwrap()).unwrap();
    let nip = v["employees"][0]["nip"].as_str().unwrap().to_string();
    v["sanctions"] = serde_json::json!([
        { "employee": nip, "level": "heavy", "effective_from": "2026-09-01", "months": 6, "reference": "SK 800/1/2026" }
    ]);
    let edited = scratch(&format!("{prefix}-city-edited.json"));
    std::fs::write(&edited, v.to_string()).unwrap();
    (edited.display().to_string(), journal, nip)
}

#[test]
fn tpp_exits_1_when_a_slip_cannot_be_computed_unless_allowed() {
    let (city, journal, nip) = city_with_a_bad_sanction("fails");
    let o = tpp(&city, &journal, &["--csv"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&nip) && err.contains("unknown_sanction_level"), "{err}");
    assert!(err.contains("1 of 120 employees could not be computed") && err.contains("--allow-failures"), "{err}");
    // The output is still complete: the failed employee has a row with the reason.
    let (header, rows) = read_csv(&String::from_utf8(o.stdout).unwrap());
    let status = header.iter().position(|h| h == "status").unwrap();
    let failed: Vec<_> = rows.iter().filter(|r| r[0] == "employee" && r[status] == "failed").collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0][1], nip);
    let reason = header.iter().position(|h| h == "reason").unwrap();
    assert!(failed[0][reason].contains("sanctions[0].level"), "{:?}", failed[0]);
    assert_eq!(tpp(&city, &journal, &["--csv", "--allow-failures"]).status.code(), Some(0));

    // `check` finds it before the month is paid.
    let o = kinerja(&["check", "--dataset", &city, "--month", "2026-10"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("sanction `#0`, field `level`") && err.contains("unknown_sanction_level"), "{err}");
    assert!(err.contains(&format!("employee `{nip}`: paying 2026-10 would fail")), "{err}");
}

#[test]
fn check_reports_payroll_facts_and_nested_unknown_fields() {
    let city = small_city("check-ok.json");
    let o = kinerja(&["check", "--dataset", city.to_str().unwrap(), "--month", "2026-10"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("payroll checks for 2026-10: 118 employees can be paid, 2 will not be paid (left_service 2)"),
        "{out}"
    );
    assert!(out.contains("policy covers 2020-01-01 onwards"), "{out}");
    assert!(
        out.contains(
            "39 of 39 allowance policy values in force for 2026-10 are not verified (illustrative 10, recalled 29); paying needs --allow-unverified"
        ),
        "{out}"
    );
    // A month before the baseline's range fails once, naming the first key without a value.
    let o = kinerja(&["check", "--dataset", city.to_str().unwrap(), "--month", "2019-12"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("activity.daily_cap_minutes") && err.contains("2019-12-01") && err.contains("2020-01-01 onwards"),
        "{err}"
    );

    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&city).unwrap()).unwrap();
    let cal = v["calendar"].as_object_mut().unwrap();
    let holidays = cal.remove("holidays").unwrap();
    cal.insert("holiday".into(), holidays);
    let bad = scratch("check-holiday.json");
    std::fs::write(&bad, v.to_string()).unwrap();
    let o = kinerja(&["check", "--dataset", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("calendar `Indonesia 2026`, field `holiday`: unknown field `holiday` [unknown_field]"),
        "{err}"
    );
}

// --- the command line's edges ------------------------------------------------------------

#[test]
fn a_closed_stdout_ends_quietly_with_0() {
    use std::io::{BufRead, BufReader};
    let (city, journal) = small_month("pipe");
    for format in ["--json", "--csv"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kinerja"))
            .args(["tpp", "--allow-unverified", format])
            .args(month_args(&city, &journal))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("runs");
        // Read one line, as `| head -1` does, then go away.
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        assert!(!line.is_empty());
        let o = child.wait_with_output().expect("ends");
        assert_eq!(o.status.code(), Some(0), "{format}");
        // Only the note on the unverified policy values paid with: no panic message.
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.lines().all(|l| l.starts_with("39 of 39 allowance policy values")), "{err}");
    }
}

#[test]
fn absurd_generator_arguments_are_refused() {
    let out = scratch("absurd.json");
    let _ = std::fs::remove_file(&out);
    let out = out.to_str().unwrap();
    for (args, field) in [
        (vec!["--year", "0"], "generator.year"),
        (vec!["--year", "99999"], "generator.year"),
        (vec!["--units", "0"], "generator.units"),
        (vec!["--units", "5", "--employees", "3"], "generator.employees"),
        (vec!["--employees", "1000000000"], "generator.employees"),
    ] {
        let mut a = vec!["generate", "--out", out];
        a.extend(args.iter().copied());
        let o = kinerja(&a);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(String::from_utf8_lossy(&o.stderr).contains(field), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        assert!(std::fs::metadata(out).is_err(), "nothing written");
    }
    assert_eq!(kinerja(&["generate", "--out", out, "--year", "-x"]).status.code(), Some(2), "not a number: usage");
}

#[test]
fn an_existing_journal_or_dataset_is_never_replaced_without_force() {
    let (city, journal) = small_month("force");
    let before = std::fs::read(&journal).unwrap();
    let simulate = |extra: &[&str], dataset: &str| {
        let mut a = vec!["simulate", "--dataset", dataset, "--month", "2026-10", "--seed", "9", "--out", &journal];
        a.extend_from_slice(extra);
        kinerja(&a)
    };
    // Refused: exit 1, a clear message, the journal untouched.
    let o = simulate(&[], &city);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("already exists; nothing was written (pass --force"));
    assert_eq!(std::fs::read(&journal).unwrap(), before);
    // A run that fails (an invalid dataset) with --force leaves it untouched too.
    let bad = scratch("force-bad.json");
    std::fs::write(&bad, "{ \"schema_version\": 1 }").unwrap();
    assert_eq!(simulate(&["--force"], bad.to_str().unwrap()).status.code(), Some(1));
    assert_eq!(std::fs::read(&journal).unwrap(), before);
    // With --force it is replaced (another seed, another month), and no temporary file is left.
    assert_eq!(simulate(&["--force"], &city).status.code(), Some(0));
    assert_ne!(std::fs::read(&journal).unwrap(), before);
    let dir = std::path::Path::new(&journal).parent().unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        // Only this test's files: other tests write into the same directory meanwhile.
        .filter(|e| e.file_name().to_string_lossy().starts_with(".force-"))
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // The same for a dataset.
    let city_before = std::fs::read(&city).unwrap();
    let o = kinerja(&["generate", "--seed", "4", "--units", "2", "--employees", "20", "--out", &city]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read(&city).unwrap(), city_before);
}

#[test]
fn verify_slip_says_whether_a_stored_slip_holds() {
    let (city, journal) = small_month("verify");
    let mut args = vec!["explain"];
    args.extend(month_args(&city, &journal));
    let csv = String::from_utf8(tpp(&city, &journal, &["--csv"]).stdout).unwrap();
    let (_, rows) = read_csv(&csv);
    let nip = rows[0][1].clone();
    args.extend(["--nip", nip.as_str(), "--json"]);
    let o = kinerja(&args);
    assert_eq!(o.status.code(), Some(0));
    let stored = scratch("verify-slip.json");
    std::fs::write(&stored, &o.stdout).unwrap();
    let verify = |slip: &std::path::Path, extra: &[&str]| {
        let mut a = vec!["verify-slip", "--slip", slip.to_str().unwrap(), "--dataset", &city, "--journal", &journal];
        a.extend_from_slice(extra);
        kinerja(&a)
    };
    let o = verify(&stored, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains(": HOLDS"));

    // The net edited by Rp 100,000 in the stored file: the seal is broken, the net named.
    let mut slip: serde_json::Value = serde_json::from_slice(&std::fs::read(&stored).unwrap()).unwrap();
    let net: rust_decimal::Decimal = slip["net"].as_str().unwrap().parse().unwrap();
    let raised = net + rust_decimal::Decimal::from(100_000);
    slip["net"] = raised.to_string().into();
    let edited = scratch("verify-slip-edited.json");
    std::fs::write(&edited, slip.to_string()).unwrap();
    let o = verify(&edited, &["--json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((v["holds"].as_bool(), v["sealed"].as_bool()), (Some(false), Some(false)));
    assert_eq!(v["differences"][0]["field"], "net");
    assert_eq!(v["differences"][0]["stored"], raised.to_string());
    assert_eq!(v["differences"][0]["recomputed"], net.to_string());
    assert!(String::from_utf8_lossy(&o.stderr).contains("the seal is broken"));

    // Under another policy the same slip does not hold: the policy changed.
    let o = verify(&stored, &["--policy", &repo("policy/proposed-70-30.toml")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("the policy changed"));

    // From an input file (docs/allowance.md section 1) instead of the month's records.
    let input = r#"{"employee":"198503152010011001","month":"2026-10","job_class":9,"rank":"III/c",
        "employment":"PNS","salary":"4500000","calendar_working_days":22,"assigned_working_days":22,
        "performance":{"target_minutes":6600,"verified_minutes":6000},
        "discipline":{"days_present":22,"late":[2,0,0,0],"early":[0,0,0,0],"unexcused_days":0,
                      "roll_calls_missed":{"morning":0,"afternoon":0,"ceremony":0}}}"#;
    let parsed: kinerja::allowance::AllowanceInput = serde_json::from_str(input).unwrap();
    let slip = kinerja::allowance::compute_slip(&parsed, &kinerja::policy::Policy::national()).unwrap();
    assert_eq!(slip.net, kinerja::Money::from_rupiah(2_212_418));
    let (slip_file, input_file) = (scratch("verify-own-slip.json"), scratch("verify-own-input.json"));
    std::fs::write(&slip_file, serde_json::to_string(&slip).unwrap()).unwrap();
    std::fs::write(&input_file, input).unwrap();
    let o = kinerja(&["verify-slip", "--slip", slip_file.to_str().unwrap(), "--input", input_file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    // Neither an input nor the month's records: usage.
    assert_eq!(kinerja(&["verify-slip", "--slip", slip_file.to_str().unwrap()]).status.code(), Some(2));
}

/// A fixture of the import tests (core/tests/fixtures/imports).
fn import_fixture(name: &str) -> String {
    let path = repo(&format!("core/tests/fixtures/imports/{name}"));
    assert!(std::path::Path::new(&path).is_file(), "fixture {path} is missing");
    path
}

#[test]
fn import_attendance_reports_every_row_and_records_through_the_ledger() {
    let (city, log) = (import_fixture("city.json"), import_fixture("zkteco-attlog.csv"));
    let base = ["import-attendance", "--dataset", &city, "--csv", &log, "--device", "FP-DINKES", "--month", "2026-10"];
    let o = kinerja(&base);
    let (out, err) = (String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert_eq!(o.status.code(), Some(1), "rows need attention: {err}");
    assert!(out.contains("22 rows read (utf-8-bom, delimiter ',', header on row 1)"), "{out}");
    assert!(out.contains("11 events: 6 check-ins, 5 check-outs (1 with the direction inferred)"), "{out}");
    assert!(out.contains("11 rows not imported (8 need attention)"), "{out}");
    assert!(out.contains("nobody is enrolled under PIN 42 on machine FP-DINKES"), "{out}");
    assert!(err.contains("8 row(s) need attention (listed above)"), "{err}");

    let o = kinerja(&[&base[..], &["--allow-unmatched", "--lang", "id"]].concat());
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("tidak ada pegawai yang terdaftar dengan PIN 42 pada mesin FP-DINKES"), "{out}");

    let o = kinerja(&[&base[..], &["--json"]].concat());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["import"]["rows"], 22);
    assert_eq!(v["import"]["events"].as_array().map(Vec::len), Some(11));
    let codes: Vec<&str> =
        v["import"]["unmatched"].as_array().unwrap().iter().map(|u| u["code"].as_str().unwrap()).collect();
    assert_eq!(codes.len(), 11);
    assert!(codes.contains(&"outside_unit") && codes.contains(&"duplicate_scan"), "{codes:?}");
    assert!(v["journal"].is_null());

    // Recorded into a new journal, as the machine, received two days later.
    let journal = scratch("import-2026-10.jsonl");
    let _ = std::fs::remove_file(&journal);
    let j = journal.to_str().unwrap();
    let record = [&base[..], &["--journal", j, "--received-at", "2026-10-07T08:00", "--allow-unmatched"]].concat();
    let o = kinerja(&record);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("11 events recorded as the machines, 0 already recorded, 0 refused by the ledger"), "{out}");
    let o = kinerja(&["verify-journal", "--journal", j]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("11 events verified"));
    // The imported scans are the month's attendance: the secretary's 07:35:40 is 6 minutes late (TL1).
    let o = kinerja(&["recap", "--dataset", &city, "--journal", j, "--month", "2026-10", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let sekre = v["employees"].as_array().unwrap().iter().find(|e| e["employee"] == "198208172006041002").unwrap();
    assert_eq!(sekre["attendance"]["late"][0]["count"], 1);
    assert_eq!(sekre["attendance"]["late"][0]["minutes"], 6);

    // An existing journal is not touched without --force; with it, the same log adds nothing.
    let before = std::fs::read(&journal).unwrap();
    let o = kinerja(&record);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("already exists"));
    let o = kinerja(&[&record[..], &["--force"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("0 events recorded as the machines, 11 already recorded"));
    assert_eq!(std::fs::read(&journal).unwrap(), before, "nothing new: the journal is unchanged");

    // Another log of the month, days later: its events follow, the ledger refusing the one
    // claimed after its receipt (a Saturday scan received on Friday).
    let other = import_fixture("presensi-titik-koma.csv");
    let o = kinerja(&[
        "import-attendance",
        "--dataset",
        &city,
        "--csv",
        &other,
        "--journal",
        j,
        "--force",
        "--received-at",
        "2026-10-09T17:00",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("9 events recorded as the machines, 0 already recorded, 1 refused by the ledger"), "{out}");
    assert!(out.contains("claim_in_future"), "{out}");
    let o = kinerja(&["verify-journal", "--journal", j]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("20 events verified"));
}

#[test]
fn import_attendance_refuses_a_malformed_file_and_bad_usage() {
    let city = import_fixture("city.json");
    let o = kinerja(&[
        "import-attendance",
        "--dataset",
        &city,
        "--csv",
        &import_fixture("malformed.csv"),
        "--device",
        "FP-DINKES",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("row 3, column 5: the row has 5 cells but the header names 4 columns"), "{err}");
    assert!(err.contains("[too_many_cells]"), "{err}");
    let log = import_fixture("zkteco-attlog.csv");
    let o = kinerja(&["import-attendance", "--dataset", &city, "--csv", &log]);
    assert_eq!(o.status.code(), Some(1), "no device named");
    assert!(String::from_utf8_lossy(&o.stderr).contains("no device column"));
    let o =
        kinerja(&["import-attendance", "--dataset", &city, "--csv", "/nonexistent/log.csv", "--device", "FP-DINKES"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read"));
    // Usage: exit 2.
    assert_eq!(kinerja(&["import-attendance", "--dataset", &city]).status.code(), Some(2));
    let o = kinerja(&["import-attendance", "--dataset", &city, "--csv", &log, "--device", "not a device!"]);
    assert_eq!(o.status.code(), Some(2));
    let o = kinerja(&["import-attendance", "--dataset", &city, "--csv", &log, "--column", "pinn=No"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("the fields are"));
    let o = kinerja(&["import-attendance", "--dataset", &city, "--csv", &log, "--column", "pin"]);
    assert_eq!(o.status.code(), Some(2));
    let fresh = scratch("import-no-month.jsonl");
    let _ = std::fs::remove_file(&fresh);
    let o = kinerja(&[
        "import-attendance",
        "--dataset",
        &city,
        "--csv",
        &log,
        "--device",
        "FP-DINKES",
        "--journal",
        fresh.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--month is needed"));
    assert!(!fresh.exists());
}

#[test]
fn import_employees_writes_the_merge_and_lists_what_it_did() {
    let (city, csv) = (import_fixture("city.json"), import_fixture("siasn-pegawai.csv"));
    let out = scratch("merged-city.json");
    let _ = std::fs::remove_file(&out);
    let o_path = out.to_str().unwrap();
    let args = ["import-employees", "--dataset", &city, "--csv", &csv, "--out", o_path, "--as-of", "2026-10-01"];
    let o = kinerja(&args);
    let (stdout, err) = (String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert_eq!(o.status.code(), Some(1), "rows refused: {err}");
    assert!(stdout.contains("21 rows read (utf-8, delimiter ',', header on row 1), as of 2026-10-01"), "{stdout}");
    assert!(stdout.contains("5 added, 4 updated (4 fields changed), 3 unchanged, 9 refused"), "{stdout}");
    assert!(stdout.contains("PKM-ADM (TMT 2026-09-01)"), "{stdout}");
    assert!(stdout.contains("is a PNS rank; a PPPK employee has a grade"), "{stdout}");
    assert!(err.contains("9 row(s) refused and 5 merged without their position"), "{err}");
    // The merge is written even so, and it is a valid dataset.
    let o = kinerja(&["check", "--dataset", o_path, "--month", "2026-10"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("16 employees, 13 assignments"));
    // Not replaced without --force.
    let o = kinerja(&args);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("already exists"));
    let o = kinerja(&[&args[..], &["--force", "--allow-unmatched", "--json"]].concat());
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["refused"].as_array().map(Vec::len), Some(9));
    assert_eq!(v["missing"][0]["nip"], "196405061990031009");
    assert!(v["refused"][0]["message_id"].as_str().unwrap().contains("bukan NIP yang sah"));
    let o = kinerja(&[&args[..], &["--force", "--lang", "id"]].concat());
    assert!(String::from_utf8_lossy(&o.stdout).contains("jabatan tidak ditetapkan"));
}

// --- the finance office's files: CSV separators, XLSX, bank accounts --------------------

/// The small month with bank accounts for the first two employees of the dataset.
fn month_with_accounts(prefix: &str) -> (String, String, Vec<String>) {
    let (city, journal) = small_month(prefix);
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&city).unwrap()).unwrap();
    let nips: Vec<String> = (0..2).map(|i| v["employees"][i]["nip"].as_str().unwrap().to_string()).collect();
    v["bank_accounts"] = serde_json::json!([
        { "employee": nips[0], "name": "=CMD()", "bank": "Bank Aceh Syariah", "number": "0012345678" },
        { "employee": nips[1], "name": "Siti", "bank": "BSI", "number": "7123456789012345" }
    ]);
    let edited = scratch(&format!("{prefix}-city-accounts.json"));
    std::fs::write(&edited, v.to_string()).unwrap();
    (edited.display().to_string(), journal, nips)
}

#[test]
fn the_payroll_csv_takes_a_separator_and_equals_the_slips() {
    let (city, journal, nips) = month_with_accounts("separator");
    let semi = String::from_utf8(tpp(&city, &journal, &["--csv"]).stdout).unwrap();
    let o = tpp(&city, &journal, &["--csv", "--separator", ","]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let comma = String::from_utf8(o.stdout).unwrap();
    assert!(semi.starts_with("\"record\";\"nip\";") && comma.starts_with("\"record\",\"nip\","));
    // The same cells either way.
    assert_eq!(read_csv(&semi), read_csv_with(&comma, b','));
    assert_eq!(kinerja(&["tpp", "--csv", "--separator", "x"]).status.code(), Some(2), "not a separator: usage");

    // Parsed back, every paid row equals its slip amount for amount, and the trailer
    // equals the city's totals.
    let (header, rows) = read_csv(&semi);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("column {name}"));
    let v: serde_json::Value = serde_json::from_slice(&tpp(&city, &journal, &["--json"]).stdout).unwrap();
    let dec = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
    let slips = v["slips"].as_array().unwrap();
    assert!(slips.len() > 100);
    for s in slips {
        let r = rows.iter().find(|r| r[col("nip")] == s["employee"].as_str().unwrap()).expect("listed");
        assert_eq!(r[col("status")], "paid");
        for line in s["lines"].as_array().unwrap() {
            let rule = line["rule"].as_str().unwrap();
            assert_eq!(dec(&r[col(rule)]), dec(line["amount"].as_str().unwrap()), "{rule}");
        }
        for k in ["gross", "tax", "contribution", "net"] {
            assert_eq!(dec(&r[col(k)]), dec(s[k].as_str().unwrap()), "{k}");
        }
    }
    let all = rows.iter().find(|r| r[0] == "summary" && r[col("status")] == "all").unwrap();
    for k in ["gross", "tax", "contribution", "net"] {
        assert_eq!(dec(&all[col(k)]), dec(v["city"][k].as_str().unwrap()), "{k}");
    }
    // Bank accounts where the dataset has them: the number as text (its leading zeros),
    // a formula-like holder's name neutralised.
    let first = rows.iter().find(|r| r[col("nip")] == nips[0]).unwrap();
    assert_eq!(first[col("account_number")], "0012345678");
    assert_eq!(first[col("account_name")], "'=CMD()");
    assert_eq!(first[col("bank")], "Bank Aceh Syariah");
    assert!(semi.contains(";\"0012345678\";"), "quoted as text");
    assert!(rows.iter().filter(|r| r[0] == "employee" && r[col("account_number")].is_empty()).count() >= 118);
    // Grade and unit name come from the dataset.
    let dataset: serde_json::Value = serde_json::from_slice(&std::fs::read(&city).unwrap()).unwrap();
    assert_eq!(first[col("grade")], dataset["employees"][0]["rank"].as_str().unwrap());
}

#[test]
fn the_payroll_spreadsheet_has_a_summary_and_a_sheet_per_unit() {
    use calamine::{Data, Reader};
    let (city, journal, nips) = month_with_accounts("xlsx");
    let file = scratch("xlsx-payroll.xlsx");
    let _ = std::fs::remove_file(&file);
    let path = file.to_str().unwrap();
    let o = tpp(&city, &journal, &["--xlsx", path]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("a summary sheet and 5 unit sheet(s)"));
    // An existing file is not replaced without --force.
    let o = tpp(&city, &journal, &["--xlsx", path]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("already exists"));
    assert_eq!(tpp(&city, &journal, &["--xlsx", path, "--force"]).status.code(), Some(0));

    let v: serde_json::Value = serde_json::from_slice(&tpp(&city, &journal, &["--json"]).stdout).unwrap();
    let mut wb = calamine::open_workbook_auto(&file).expect("opens");
    let names = wb.sheet_names().to_vec();
    let units: Vec<String> =
        v["units"].as_array().unwrap().iter().map(|u| u["unit"].as_str().unwrap().to_string()).collect();
    assert_eq!(units.len(), 5);
    let mut expected = vec!["Ringkasan".to_string()];
    expected.extend(units.iter().cloned());
    assert_eq!(names, expected, "the summary, then one sheet per unit");

    let money = |s: &str| s.parse::<f64>().unwrap();
    let mut seen = 0;
    for unit in &units {
        let range = wb.worksheet_range(unit).expect("sheet");
        let rows: Vec<&[Data]> = range.rows().collect();
        let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
        let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name}"));
        for r in &rows[1..] {
            // The NIP is a string cell of 18 digits; the unit is this sheet's.
            let Data::String(nip) = &r[col("nip")] else { panic!("NIP not text: {:?}", r[col("nip")]) };
            assert_eq!(nip.len(), 18);
            assert_eq!(r[col("unit")], Data::String(unit.clone()));
            let Some(slip) = v["slips"].as_array().unwrap().iter().find(|s| s["employee"] == nip.as_str()) else {
                assert_eq!(r[col("status")], Data::String("not_paid".into()));
                continue;
            };
            seen += 1;
            for k in ["gross", "tax", "contribution", "net"] {
                assert_eq!(r[col(k)], Data::Float(money(slip[k].as_str().unwrap())), "{nip} {k}");
            }
            for line in slip["lines"].as_array().unwrap() {
                let rule = line["rule"].as_str().unwrap();
                assert_eq!(r[col(rule)], Data::Float(money(line["amount"].as_str().unwrap())), "{nip} {rule}");
            }
            if nip == &nips[0] {
                assert_eq!(r[col("account_number")], Data::String("0012345678".into()));
                assert_eq!(r[col("account_name")], Data::String("'=CMD()".into()), "neutralised");
            }
        }
    }
    assert_eq!(seen, v["slips"].as_array().unwrap().len(), "every slip is on its unit's sheet");

    // The summary: a row per unit, the city's row with the city's net, and the trailer.
    let range = wb.worksheet_range("Ringkasan").expect("summary");
    let rows: Vec<&[Data]> = range.rows().collect();
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    let net = header.iter().position(|h| h == "net").unwrap();
    for (i, u) in v["units"].as_array().unwrap().iter().enumerate() {
        assert_eq!(rows[1 + i][0], Data::String(u["unit"].as_str().unwrap().into()));
        assert_eq!(rows[1 + i][net], Data::Float(money(u["totals"]["net"].as_str().unwrap())));
    }
    let city_row = rows.iter().find(|r| r[0] == Data::String("KOTA / CITY".into())).expect("city row");
    assert_eq!(city_row[net], Data::Float(money(v["city"]["net"].as_str().unwrap())));
    assert_eq!(city_row[2], Data::Float(v["city"]["count"].as_f64().unwrap()));
    // The reconciliation trailer: the CSV's summary rows (`status` is column 8).
    let all = rows.iter().find(|r| r[0] == Data::String("summary".into()) && r[7] == Data::String("all".into()));
    assert!(all.is_some(), "the reconciliation trailer");
}

#[test]
fn completions_and_manual_pages_come_from_the_command_line() {
    let o = kinerja(&["completions", "bash"]);
    assert_eq!(o.status.code(), Some(0));
    let script = String::from_utf8(o.stdout).unwrap();
    assert!(script.contains("_kinerja()") && script.contains("verify-journal") && script.contains("--separator"));
    assert_eq!(kinerja(&["completions", "tcsh"]).status.code(), Some(2));
    let o = kinerja(&["man"]);
    assert_eq!(o.status.code(), Some(0));
    let page = String::from_utf8(o.stdout).unwrap();
    assert!(page.starts_with(".ie") || page.contains(".TH kinerja"), "{}", &page[..page.len().min(200)]);
    let dir = scratch("man");
    let _ = std::fs::remove_dir_all(&dir);
    let o = kinerja(&["man", "--dir", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let tpp = std::fs::read_to_string(dir.join("kinerja-tpp.1")).expect("a page per command");
    assert!(tpp.contains("separator") && tpp.contains("xlsx"), "{tpp}");
    assert!(dir.join("kinerja.1").is_file() && dir.join("kinerja-man.1").is_file());
}

#[test]
fn amounts_line_up_in_the_what_if_table_and_no_progress_reaches_a_pipe() {
    let (city, journal) = small_month("align");
    let mut args = vec!["whatif", "--proposed-policy"];
    let proposed = repo("policy/proposed-70-30.toml");
    args.push(&proposed);
    args.extend(month_args(&city, &journal));
    let o = kinerja(&args);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    // Every row of the unit table ends at the same column: `-Rp 19,896` and `Rp 35,110,364`
    // cells are right-aligned alike.
    let rows: Vec<&str> = text.lines().skip_while(|l| !l.starts_with("unit")).take_while(|l| !l.is_empty()).collect();
    assert!(rows.len() >= 7, "{text}");
    assert!(rows.iter().all(|r| r.len() == rows[0].len()), "{text}");
    assert!(rows.iter().any(|r| r.contains("-Rp ")), "{text}");
    // stderr is a pipe here: no progress bar (nor its control codes) is drawn.
    assert!(o.stderr.iter().all(|b| *b != 0x1b), "{}", String::from_utf8_lossy(&o.stderr));
    // --quiet is accepted anywhere.
    let mut quiet = args.clone();
    quiet.push("--quiet");
    assert_eq!(kinerja(&quiet).stdout, text.as_bytes());
}

/// Reads a Parquet file back with the parquet crate's reader: one record batch.
fn read_parquet(path: &std::path::Path) -> kinerja_columnar::arrow_array::RecordBatch {
    use kinerja_columnar::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(path).expect("written"))
        .expect("a parquet file")
        .build()
        .expect("reader");
    let batches: Vec<_> = reader.map(|b| b.expect("batch")).collect();
    assert_eq!(batches.len(), 1, "one record batch");
    batches.into_iter().next().expect("one batch")
}

#[test]
fn tpp_and_recap_write_parquet_that_reads_back_exactly() {
    use kinerja_columnar::arrow_array::cast::AsArray;
    use kinerja_columnar::arrow_array::types::{Decimal128Type, Int64Type};
    use kinerja_columnar::arrow_schema::DataType;
    let (city, journal) = small_month("parquet");
    let file = scratch("parquet-tpp.parquet");
    let _ = std::fs::remove_file(&file);
    let path = file.to_str().unwrap();
    let o = tpp(&city, &journal, &["--parquet", path]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("(Parquet)"));
    // An existing file is not replaced without --force; --force without a file is a usage error.
    let o = tpp(&city, &journal, &["--parquet", path]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("already exists"));
    assert_eq!(tpp(&city, &journal, &["--parquet", path, "--force"]).status.code(), Some(0));
    assert_eq!(tpp(&city, &journal, &["--force"]).status.code(), Some(2));

    // Every slip's amounts equal the JSON's, exactly (decimal128(38, 2): rupiah x 100).
    let v: serde_json::Value = serde_json::from_slice(&tpp(&city, &journal, &["--json"]).stdout).unwrap();
    let slips = v["slips"].as_array().unwrap();
    let t = read_parquet(&file);
    assert_eq!(t.num_rows(), slips.len());
    assert_eq!(t.schema().field_with_name("net").unwrap().data_type(), &DataType::Decimal128(38, 2));
    // Every rule of the engine but `ceiling` is a column, applied this month or not.
    assert_eq!(t.num_columns(), 10 + kinerja::allowance::rule_ids().len() - 1);
    let nips = t.column_by_name("nip").unwrap().as_string::<i32>();
    let cents = |name: &str, i: usize| t.column_by_name(name).unwrap().as_primitive::<Decimal128Type>().value(i);
    let dec = |s: &serde_json::Value| s.as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap();
    for (i, s) in slips.iter().enumerate() {
        assert_eq!(nips.value(i), s["employee"].as_str().unwrap());
        for name in ["gross", "tax", "contribution", "net"] {
            let want = dec(&s[name]) * rust_decimal::Decimal::ONE_HUNDRED;
            assert_eq!(rust_decimal::Decimal::from(cents(name, i)), want, "{name} of row {i}");
        }
        for line in s["lines"].as_array().unwrap().iter().filter(|l| l["rule"] != "ceiling") {
            let want = dec(&line["amount"]) * rust_decimal::Decimal::ONE_HUNDRED;
            let rule = line["rule"].as_str().unwrap();
            assert_eq!(rust_decimal::Decimal::from(cents(rule, i)), want, "{rule} of row {i}");
        }
    }

    // The recap per employee: the JSON's verified minutes, row for row.
    let file = scratch("parquet-recap.parquet");
    let _ = std::fs::remove_file(&file);
    let args = ["recap", "--dataset", &city, "--journal", &journal, "--month", "2026-10"];
    let o = kinerja(&[&args[..], &["--parquet", file.to_str().unwrap(), "--json"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let recap: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let es = recap["employees"].as_array().unwrap();
    let t = read_parquet(&file);
    assert_eq!(t.num_rows(), es.len());
    assert_eq!(t.num_rows(), 120);
    let verified = t.column_by_name("verified_minutes").unwrap().as_primitive::<Int64Type>();
    for (i, e) in es.iter().enumerate() {
        assert_eq!(verified.value(i), e["verified_minutes"].as_i64().unwrap(), "row {i}");
    }
}
