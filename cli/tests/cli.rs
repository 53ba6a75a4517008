//! The `kinerja` command: exit codes and outputs a batch script relies on.

use std::path::PathBuf;
use std::process::{Command, Output};

fn kinerja(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kinerja")).args(args).output().expect("runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-tests");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir.join(name)
}

fn small_city(name: &str) -> PathBuf {
    let out = scratch(name);
    let o = kinerja(&["generate", "--seed", "3", "--units", "5", "--employees", "120", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
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
    assert!(err.contains("3 problems found"), "{err}");
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
        let o = kinerja(&args);
        assert_eq!(o.status.code(), Some(0), "{cmd}: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let recap: serde_json::Value = serde_json::from_str(&run("recap", &["--json"])).unwrap();
    let staff = recap["employees"].as_array().unwrap().len();
    assert_eq!(staff, 120);

    // CSV: a header and one row per paid employee; net = gross + tax + contribution on every row.
    let csv = run("tpp", &["--csv"]);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("nip,name,unit,job_class,ceiling,gross,tax,contribution,net,content_hash"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert!(rows.len() > 100 && rows.len() <= staff, "{}", rows.len());
    for r in &rows {
        let n = |i: usize| r[i].parse::<rust_decimal::Decimal>().unwrap();
        assert_eq!(n(5) + n(6) + n(7), n(8), "{r:?}");
        assert!(n(8) >= rust_decimal::Decimal::ZERO && n(8) <= n(5), "{r:?}");
        assert_eq!(r[9].len(), 64, "sha-256 hex");
    }

    // JSON: the city totals are the sum of the slips.
    let tpp: serde_json::Value = serde_json::from_str(&run("tpp", &["--json"])).unwrap();
    let slips = tpp["slips"].as_array().unwrap();
    let sum: rust_decimal::Decimal =
        slips.iter().map(|s| s["net"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap()).sum();
    assert_eq!(tpp["city"]["net"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap(), sum);

    // Explain one slip: every line with its rule and legal reference.
    let nip = rows[0][0];
    let text = run("explain", &["--nip", nip]);
    assert!(text.contains(" ceiling "), "{text}");
    assert!(text.contains("allowance.ceilings"), "{text}");
    assert!(text.contains("content hash"), "{text}");
    let slip: serde_json::Value = serde_json::from_str(&run("explain", &["--nip", nip, "--json"])).unwrap();
    assert_eq!(slip["net"].as_str().unwrap(), rows[0][8]);

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
    let line = out.lines().find(|l| l.starts_with("abk.effective_minutes_per_year")).expect("listed");
    // The city's value from 2026-07-01 wins over the national 75,000.
    assert!(line.contains("73500") && line.contains("Kota Contoh") && line.contains("2026-07-01"), "{line}");
    let o = kinerja(&["policy", "--date", "2026-06-30", "--policy", &repo("policy/city-example.toml")]);
    let out = String::from_utf8_lossy(&o.stdout);
    let line = out.lines().find(|l| l.starts_with("abk.effective_minutes_per_year")).expect("listed");
    assert!(line.contains("75000") && line.contains("national"), "{line}");
}
