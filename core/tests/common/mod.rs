//! A small test city shared by the integration tests: one unit with a head
//! (KADIS), a section head (KASI) under the head, and two staff (STAF) under the
//! section head. Staff task STAF-T1 takes 15 standard minutes per letter.
#![allow(dead_code)]

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use kinerja::dataset::{City, Dataset};
use kinerja::org::Nip;

pub const HEAD: &str = "197001012000011001";
pub const KASI: &str = "198002022005021002";
pub const STAFF: &str = "199003032015031003";
pub const PEER: &str = "199104042016042004";

pub fn nip(s: &str) -> Nip {
    Nip::parse(s).unwrap()
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
        "units": [ { "id": "DINAS", "name": "Dinas Uji" } ],
        "positions": [
            { "id": "KADIS", "name": "Kepala Dinas", "kind": "leadership", "job_class": 14, "unit": "DINAS" },
            { "id": "KASI", "name": "Kepala Seksi", "kind": "supervisor", "job_class": 9, "unit": "DINAS",
              "supervisor": "KADIS" },
            { "id": "STAF", "name": "Pengadministrasi Umum", "kind": "executor", "job_class": 5, "unit": "DINAS",
              "supervisor": "KASI",
              "analysis": { "tasks": [
                  { "id": "STAF-T1", "name": "Mengagendakan surat", "output": "surat teragenda",
                    "output_unit": "surat", "standard_minutes": 15, "volume": { "quantity": "20", "per": "day" } } ] } }
        ],
        "employees": [
            { "nip": HEAD, "name": "Kepala", "rank": "IV/c", "employment": "PNS" },
            { "nip": KASI, "name": "Kasi", "rank": "III/d", "employment": "PNS" },
            { "nip": STAFF, "name": "Staf", "rank": "II/c", "employment": "PNS" },
            { "nip": PEER, "name": "Rekan", "rank": "II/c", "employment": "PNS" }
        ],
        "assignments": [
            { "employee": HEAD, "position": "KADIS", "kind": "definitive", "from": "2020-01-01" },
            { "employee": KASI, "position": "KASI", "kind": "definitive", "from": "2020-01-01" },
            { "employee": STAFF, "position": "STAF", "kind": "definitive", "from": "2020-01-01" },
            { "employee": PEER, "position": "STAF", "kind": "definitive", "from": "2020-01-01" }
        ]
    })
}
