//! `kinerja budget`, `readiness`, `insights <report>` and `awards`: exit codes and the
//! JSON a script reads.

use std::path::PathBuf;
use std::process::{Command, Output};

fn kinerja(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kinerja")).env("KINERJA_LANG", "en").args(args).output().expect("runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-insights");
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

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("JSON")
}

#[test]
fn budget_reports_every_unit_and_refuses_realisation_beyond_the_ceiling() {
    let city = small_city("budget-city.json");
    let v =
        json(&kinerja(&["budget", "--dataset", city.to_str().unwrap(), "--year", "2026", "--through", "6", "--json"]));
    let units = v["units"].as_array().unwrap();
    assert_eq!(units.len(), 5);
    // The city's realisation is the sum of the units' (exact decimal strings).
    let sum: rust_decimal::Decimal = units
        .iter()
        .map(|u| u["figures"]["realised"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap())
        .sum();
    assert_eq!(sum.to_string(), v["city"]["realised"].as_str().unwrap());

    // A records file whose sub-activity spends 11 of a ceiling of 10 is refused.
    let records = scratch("over.json");
    std::fs::write(
        &records,
        serde_json::json!({ "budgets": [ { "unit": "X", "year": 2026, "programmes": [ { "code": "P", "name": "P",
            "activities": [ { "code": "K", "name": "K", "sub_activities": [ { "code": "S", "name": "S",
            "ceiling": "10", "realisation": ["11"] } ] } ] } ] } ] })
        .to_string(),
    )
    .unwrap();
    let o = kinerja(&[
        "budget",
        "--dataset",
        city.to_str().unwrap(),
        "--records",
        records.to_str().unwrap(),
        "--year",
        "2026",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("budget_ceiling_exceeded") && err.contains("field `realisation`"), "{err}");
}

#[test]
fn readiness_lists_each_unmet_requirement_and_the_go_live() {
    let city = small_city("ready-city.json");
    let v = json(&kinerja(&["readiness", "--dataset", city.to_str().unwrap(), "--month", "2026-02", "--json"]));
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 5);
    // The 5 generated pilot units pay from 1 January.
    assert!(list.iter().all(|u| u["pays"] == serde_json::json!(true)));
    // Without plans every unit misses requirement 3, with that evidence.
    let records = scratch("no-plans.json");
    std::fs::write(&records, "{}").unwrap();
    let v = json(&kinerja(&[
        "readiness",
        "--dataset",
        city.to_str().unwrap(),
        "--records",
        records.to_str().unwrap(),
        "--month",
        "2026-02",
        "--json",
    ]));
    for u in v.as_array().unwrap() {
        let unmet = u["verdict"]["unmet"].as_array().unwrap();
        assert!(unmet.iter().any(|r| r["requirement"] == "plans"), "{u}");
        assert_eq!(u["verdict"]["ready"], serde_json::json!(false));
        assert_eq!(u["pays"], serde_json::json!(false));
    }
}

#[test]
fn every_insight_report_and_the_awards_run_on_simulated_months() {
    let city = small_city("uses-city.json");
    for report in
        ["restructuring", "staffing", "procedures", "training", "performance", "promotion", "sanctions", "verification"]
    {
        let o = kinerja(&[
            "insights",
            report,
            "--dataset",
            city.to_str().unwrap(),
            "--month",
            "2026-02",
            "--months",
            "2",
            "--json",
        ]);
        let v = json(&o);
        assert!(!v.is_null(), "{report}");
    }
    // Training is per employee and task group, over the N = 3 months asked.
    let v = json(&kinerja(&[
        "insights",
        "training",
        "--dataset",
        city.to_str().unwrap(),
        "--month",
        "2026-03",
        "--months",
        "3",
        "--json",
    ]));
    let lines = v.as_array().unwrap();
    assert!(!lines.is_empty());
    for l in lines {
        assert!(!l["group"].as_str().unwrap().is_empty(), "{l}");
        assert_eq!(l["months"].as_array().unwrap().len(), 3, "{l}");
    }
    // Promotion candidates carry their years in rank; sanctions their longest run.
    for (report, field) in [("promotion", "years_in_rank"), ("sanctions", "longest_run")] {
        let v =
            json(&kinerja(&["insights", report, "--dataset", city.to_str().unwrap(), "--month", "2026-03", "--json"]));
        assert!(v.as_array().unwrap().iter().all(|l| l.get(field).is_some()), "{report}: {v}");
    }
    let v = json(&kinerja(&["awards", "--dataset", city.to_str().unwrap(), "--month", "2026-02", "--json"]));
    assert!(!v["performance"].as_array().unwrap().is_empty());
    assert_eq!(v["service"].as_array().unwrap().len(), 6);
    // An unknown report is a usage error.
    assert_eq!(kinerja(&["insights", "gossip", "--dataset", "x", "--month", "2026-02"]).status.code(), Some(2));
}
