//! Writes a small demo city and an employee's bundle for the Kotlin and Swift
//! programs: `cargo run -p kinerja-mobile --example demo_city -- OUT_DIR`.
//!
//! The city: one unit (Dinas Uji) with a head (KADIS), a section head (KASI) and
//! two staff (STAF); staff task STAF-T1 takes 15 standard minutes per letter.
//! Files written:
//!
//! * `city.json`: the dataset (the server's whole city);
//! * `bundle-staff.json`: the bundle of staff member 199003032015031003 for
//!   October 2026, from an empty ledger, issued with session `demo-staff-1` (what
//!   the server sends the phone).

use std::path::PathBuf;

use kinerja::dataset::Dataset;
use kinerja::device::DeviceBundle;
use kinerja::ledger::Ledger;

/// The head, the section head, and two staff.
const PEOPLE: [(&str, &str, &str, &str); 4] = [
    ("197001012000011001", "Kepala", "IV/c", "KADIS"),
    ("198002022005021002", "Kasi", "III/d", "KASI"),
    ("199003032015031003", "Staf", "II/c", "STAF"),
    ("199104042016042004", "Rekan", "II/c", "STAF"),
];

fn city_json() -> serde_json::Value {
    let calendar = serde_json::to_value(kinerja::calendar::WorkCalendar::indonesia_2026()).unwrap_or_default();
    let task = |id: &str, name: &str, unit: &str, minutes: i64, per_day: &str| {
        serde_json::json!({ "id": id, "name": name, "output": name, "output_unit": unit,
                            "standard_minutes": minutes, "volume": { "quantity": per_day, "per": "day" } })
    };
    serde_json::json!({
        "schema_version": 1,
        "government": { "code": "9999", "name": "Kota Uji" },
        "calendar": calendar,
        "units": [ { "id": "DINAS", "name": "Dinas Uji" } ],
        "positions": [
            { "id": "KADIS", "name": "Kepala Dinas", "kind": "leadership", "job_class": 14, "unit": "DINAS",
              "analysis": { "tasks": [ task("KADIS-T1", "Memimpin rapat", "rapat", 90, "1") ] } },
            { "id": "KASI", "name": "Kepala Seksi", "kind": "supervisor", "job_class": 9, "unit": "DINAS",
              "supervisor": "KADIS",
              "analysis": { "tasks": [ task("KASI-T1", "Memeriksa konsep", "konsep", 60, "5") ] } },
            { "id": "STAF", "name": "Pengadministrasi Umum", "kind": "executor", "job_class": 5, "unit": "DINAS",
              "supervisor": "KASI",
              "analysis": { "tasks": [ task("STAF-T1", "Mengagendakan surat", "surat", 15, "20") ] } }
        ],
        "employees": PEOPLE.iter().map(|(nip, name, rank, _)|
            serde_json::json!({ "nip": nip, "name": name, "rank": rank, "employment": "PNS" })).collect::<Vec<_>>(),
        "assignments": PEOPLE.iter().map(|(nip, _, _, position)|
            serde_json::json!({ "employee": nip, "position": position, "kind": "definitive", "from": "2020-01-01" }))
            .collect::<Vec<_>>(),
        "salaries": PEOPLE.iter().map(|(nip, _, _, _)|
            serde_json::json!({ "employee": nip, "salary": "3500000", "from": "2026-01-01" })).collect::<Vec<_>>()
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    std::fs::create_dir_all(&out)?;
    let json = serde_json::to_string_pretty(&city_json())?;
    let city = Dataset::load_city(&json)?;
    std::fs::write(out.join("city.json"), &json)?;
    let month = "2026-10".parse()?;
    let staff = PEOPLE[2].0.parse()?;
    // A server issues a session id with every bundle; the phone's changes carry it.
    let bundle = DeviceBundle::for_employee(&city, &[], &Ledger::new(month), &staff, month)?.issued("demo-staff-1");
    std::fs::write(out.join("bundle-staff.json"), bundle.to_json())?;
    println!("wrote {0}/city.json and {0}/bundle-staff.json", out.display());
    Ok(())
}
