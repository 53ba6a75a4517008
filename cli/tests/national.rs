//! `kinerja national`: a small national month end to end through the binary.

use std::process::{Command, Output};

fn kinerja(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kinerja")).env("KINERJA_LANG", "en").args(args).output().expect("runs")
}

#[test]
fn a_small_national_month_prints_totals_rate_and_memory() {
    let out = kinerja(&["national", "--regions", "3", "--scale", "0.01", "--threads", "2", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let t = &v["national"]["totals"];
    // 3 regions: ceil(3 * 38 / 540) = 1 province (10,000 to 60,000 at scale 1, so 100 to
    // 600 here) and 2 regencies or cities (20 to 120 each).
    let employees = t["employees"].as_u64().expect("employees");
    assert!((140..=840).contains(&employees), "{employees}");
    assert_eq!(t["paid"].as_u64(), Some(employees), "everyone generated holds a position and is paid");
    assert_eq!(v["national"]["per_region"].as_array().map(Vec::len), Some(3));
    let records = t["records"].as_u64().expect("records");
    assert!(records > employees * 100, "about 200 records an employee: {records}");
    assert!(v["records_per_second"].as_f64().is_some_and(|r| r > 0.0));
    // Peak memory is read from /proc/self/status on Linux.
    assert!(v["peak_rss_bytes"].as_u64().is_some_and(|b| b > 0));
    // The same month again (the seed is the month): identical totals.
    let again = kinerja(&["national", "--regions", "3", "--scale", "0.01", "--threads", "1", "--json"]);
    let w: serde_json::Value = serde_json::from_slice(&again.stdout).expect("JSON");
    assert_eq!(w["national"], v["national"]);
}

#[test]
fn a_bad_scale_is_refused_naming_it() {
    let out = kinerja(&["national", "--scale", "0"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("national.scale"));
}
