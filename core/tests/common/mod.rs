//! A small test city shared by the integration tests: one unit with a head
//! (KADIS), a section head (KASI) under the head, and two staff (STAF) under the
//! section head. Staff task STAF-T1 takes 15 standard minutes per letter.
//!
//! Around it, the people and machines of the authorisation matrix: a personnel
//! agency (BKD) with its head (KABAN) and three staff: two HR officers (HR1, HR2;
//! HR2 is also the attendance officer of BKD) and the attendance officer of
//! DINAS (ATT); a fingerprint reader at DINAS (`device:FP-DINAS`), a face
//! terminal at BKD (`device:FACE-BKD`); the mayor (`official:WALIKOTA`), who
//! verifies the two heads, and the deputy (`official:WAKIL`), who verifies nobody.
#![allow(dead_code)]

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use kinerja::dataset::{City, Dataset};
use kinerja::org::Nip;

pub const HEAD: &str = "197001012000011001";
pub const KASI: &str = "198002022005021002";
pub const STAFF: &str = "199003032015031003";
pub const PEER: &str = "199104042016042004";
pub const KABAN: &str = "197105052001051005";
pub const HR1: &str = "198506062010061006";
pub const HR2: &str = "198707072012072007";
pub const ATT: &str = "199208082017081008";
pub const FP_DINAS: &str = "device:FP-DINAS";
pub const FACE_BKD: &str = "device:FACE-BKD";
pub const WALIKOTA: &str = "official:WALIKOTA";
pub const WAKIL: &str = "official:WAKIL";

pub fn nip(s: &str) -> Nip {
    Nip::parse(s).unwrap()
}

/// An actor from its text: a NIP, `official:ID` or `device:ID`.
pub fn actor(s: &str) -> kinerja::access::ActorId {
    s.parse().unwrap()
}

/// A request by `who` (any actor text) at `when`.
pub fn req(who: &str, when: NaiveDateTime, command: kinerja::ledger::Command) -> kinerja::ledger::Request {
    kinerja::ledger::Request::new(actor(who), when, command)
}

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

pub fn at(date: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    date.and_time(t(h, m))
}

pub fn city() -> City {
    Dataset::load_city(&city_json().to_string()).expect("test city")
}

/// The test city as dataset JSON, for tests that extend it.
pub fn city_json() -> serde_json::Value {
    serde_json::json!({
        "schema_version": 1,
        "government": { "code": "9999", "name": "Kota Uji" },
        "calendar": serde_json::to_value(kinerja::calendar::WorkCalendar::indonesia_2026()).unwrap(),
        "units": [ { "id": "DINAS", "name": "Dinas Uji" }, { "id": "BKD", "name": "Badan Kepegawaian" } ],
        "positions": [
            { "id": "KADIS", "name": "Kepala Dinas", "kind": "leadership", "job_class": 14, "unit": "DINAS" },
            { "id": "KASI", "name": "Kepala Seksi", "kind": "supervisor", "job_class": 9, "unit": "DINAS",
              "supervisor": "KADIS" },
            { "id": "STAF", "name": "Pengadministrasi Umum", "kind": "executor", "job_class": 5, "unit": "DINAS",
              "supervisor": "KASI",
              "analysis": { "tasks": [
                  { "id": "STAF-T1", "name": "Mengagendakan surat", "output": "surat teragenda",
                    "output_unit": "surat", "standard_minutes": 15, "volume": { "quantity": "20", "per": "day" } } ] } },
            { "id": "BKD-KABAN", "name": "Kepala Badan", "kind": "leadership", "job_class": 14, "unit": "BKD" },
            { "id": "BKD-STAF", "name": "Analis Kepegawaian", "kind": "executor", "job_class": 7, "unit": "BKD",
              "supervisor": "BKD-KABAN" }
        ],
        "employees": [
            { "nip": HEAD, "name": "Kepala", "rank": "IV/c", "employment": "PNS" },
            { "nip": KASI, "name": "Kasi", "rank": "III/d", "employment": "PNS" },
            { "nip": STAFF, "name": "Staf", "rank": "II/c", "employment": "PNS" },
            { "nip": PEER, "name": "Rekan", "rank": "II/c", "employment": "PNS" },
            { "nip": KABAN, "name": "Kepala Badan", "rank": "IV/c", "employment": "PNS" },
            { "nip": HR1, "name": "Petugas SDM Satu", "rank": "III/b", "employment": "PNS" },
            { "nip": HR2, "name": "Petugas SDM Dua", "rank": "III/b", "employment": "PNS" },
            { "nip": ATT, "name": "Petugas Apel", "rank": "II/d", "employment": "PNS" }
        ],
        "assignments": [
            { "employee": HEAD, "position": "KADIS", "kind": "definitive", "from": "2020-01-01" },
            { "employee": KASI, "position": "KASI", "kind": "definitive", "from": "2020-01-01" },
            { "employee": STAFF, "position": "STAF", "kind": "definitive", "from": "2020-01-01" },
            { "employee": PEER, "position": "STAF", "kind": "definitive", "from": "2020-01-01" },
            { "employee": KABAN, "position": "BKD-KABAN", "kind": "definitive", "from": "2020-01-01" },
            { "employee": HR1, "position": "BKD-STAF", "kind": "definitive", "from": "2020-01-01" },
            { "employee": HR2, "position": "BKD-STAF", "kind": "definitive", "from": "2020-01-01" },
            { "employee": ATT, "position": "BKD-STAF", "kind": "definitive", "from": "2020-01-01" }
        ],
        "officials": [
            { "id": "WALIKOTA", "name": "Wali Kota Uji", "office": "regional_head", "from": "2022-01-01",
              "verifies": ["KADIS", "BKD-KABAN"], "reference": "Kepmendagri 131.11-0000 Tahun 2022 (uji)" },
            { "id": "WAKIL", "name": "Wakil Wali Kota Uji", "office": "deputy_head", "from": "2022-01-01",
              "reference": "Kepmendagri 132.11-0000 Tahun 2022 (uji)" }
        ],
        "officers": [
            { "employee": HR1, "role": "hr", "from": "2020-01-01", "reference": "SK Kepala BKD 800/1 (uji)" },
            { "employee": HR2, "role": "hr", "from": "2020-01-01", "reference": "SK Kepala BKD 800/2 (uji)" },
            { "employee": HR2, "role": "attendance", "unit": "BKD", "from": "2020-01-01",
              "reference": "SK Kepala BKD 800/3 (uji)" },
            { "employee": ATT, "role": "attendance", "unit": "DINAS", "from": "2020-01-01",
              "reference": "SK Kepala Dinas 800/4 (uji)" }
        ],
        "clock_devices": [
            { "id": "FP-DINAS", "unit": "DINAS", "kind": "fingerprint", "from": "2020-01-01" },
            { "id": "FACE-BKD", "unit": "BKD", "kind": "face", "from": "2020-01-01" }
        ]
    })
}

/// The national policy with a city layer cutting `month` (`"2026-10"`) off after
/// `day` (`allowance.cutoff_days`, ref "Perwal Uji 1/2026").
pub fn cutoff_policy(month: &str, day: u32) -> kinerja::policy::Policy {
    let layer = format!(
        "[layer]\nname = \"cutoff\"\n\n[[allowance.cutoff_days]]\nfrom = 2026-01-01\nvalue = {{ \"{month}\" = {day} }}\nref = \"Perwal Uji 1/2026\"\n"
    );
    kinerja::policy::Policy::national().with_toml("cutoff.toml", &layer).expect("cut-off policy")
}
