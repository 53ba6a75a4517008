//! A synthetic city, deterministic by seed, for demonstrations, tests and benchmarks.
//!
//! By default it has Banda Aceh's size at the time of the BKN Award article:
//! 39 work units and 5,925 employees. Units are named after the real city's
//! agencies and its nine sub-districts (kecamatan); sizes follow the usual
//! shape of a city government (education and health hold most staff). Each unit
//! has a head, a secretary, divisions and sections (structural positions), and
//! executor and functional positions filled by the rest of the staff. Every
//! position has 3-6 tasks whose volumes are drawn so that position efficiencies
//! spread over all five grades. Some structural posts are vacant with an acting
//! official (Plt); some heads have a daily acting official (Plh) for a week;
//! a few employees join or retire in the middle of the generated year. The city
//! hospital (RSUD Meuraxa) works shifts: a ward team is rostered pagi, sore and malam
//! every day of the year, and the hospital has a work site for phone clock-ins.
//!
//! The random stream is a hand-written SplitMix64 so that a seed gives the same
//! city on every platform and every version of this crate's dependencies.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::access::{ClockDevice, DeviceId, DeviceKind, Enrolment, Office, Officer, OfficerRole, Official, OfficialId};
use crate::anjab::{JobAnalysis, Task, Volume, VolumePeriod};
use crate::calendar::WorkCalendar;
use crate::dataset::{Dataset, Government, SCHEMA_VERSION, SalaryRecord, SanctionRecord};
use crate::ids::{PositionId, TaskId, UnitId};
use crate::minutes::Minutes;
use crate::nip::FIRST_PPPK_YEAR;
use crate::org::{
    Assignment, AssignmentKind, Employee, EmploymentType, JobClass, Nip, Position, PositionKind, Rank, RankGroup,
    WorkUnit,
};
use crate::roster::{RosterEntry, ShiftPattern};

/// SplitMix64: a small, fast, well-studied generator with a fixed output stream.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform integer in `lo..=hi` (`lo` when `hi < lo`).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo) as u64 + 1;
        lo + (self.next_u64() % span) as i64
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let i = self.range(0, items.len() as i64 - 1) as usize;
        &items[i.min(items.len() - 1)]
    }
}

/// What to generate. [`GeneratorConfig::validate`] says whether the generator can make
/// it: see [`GeneratorConfig::YEARS`], [`GeneratorConfig::MAX_UNITS`] and
/// [`GeneratorConfig::MAX_EMPLOYEES`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratorConfig {
    /// Seed of the random stream.
    pub seed: u64,
    /// Number of work units, 1..=[`GeneratorConfig::MAX_UNITS`].
    pub units: usize,
    /// Number of employees, `units`..=[`GeneratorConfig::MAX_EMPLOYEES`] (every unit
    /// needs at least its head).
    pub employees: usize,
    /// The year the calendar and the dates are set in, within
    /// [`GeneratorConfig::YEARS`] (2026 has a real calendar; other years get the
    /// Perpres 21/2023 week without holidays).
    pub year: i32,
}

impl GeneratorConfig {
    /// The years the generator can set a city in. Employees are born up to 78 years
    /// before and appointed up to 48 years before the year, and their NIPs must hold
    /// those dates as four-digit years; the working week is the Perpres 21/2023 one.
    pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;
    /// The most work units generated (Indonesian regions have about 20 to 60; a
    /// benchmark city of a million employees at Banda Aceh's ~152 a unit has 6,582).
    pub const MAX_UNITS: usize = 20_000;
    /// The most employees generated: a city of a few million, about the country's
    /// civil service (the benchmarks generate cities of up to 1,000,000; the work
    /// grows linearly with the size).
    pub const MAX_EMPLOYEES: usize = 5_000_000;

    /// Every reason the generator cannot make this city (record `generator`, the
    /// field named, code `out_of_range`).
    pub fn validate(&self) -> Result<(), crate::ValidationErrors> {
        let mut problems = Vec::new();
        let mut push = |field: &str, message: String| {
            problems.push(crate::Problem::new("generator", "", field, "out_of_range", message));
        };
        if !Self::YEARS.contains(&self.year) {
            push(
                "year",
                format!(
                    "year {} is outside {}..={} (the years the generator and its calendar support)",
                    self.year,
                    Self::YEARS.start(),
                    Self::YEARS.end()
                ),
            );
        }
        if self.units == 0 || self.units > Self::MAX_UNITS {
            push("units", format!("{} units is outside 1..={}", self.units, Self::MAX_UNITS));
        }
        if self.employees > Self::MAX_EMPLOYEES {
            push(
                "employees",
                format!(
                    "{} employees is more than the generator makes (at most {})",
                    self.employees,
                    Self::MAX_EMPLOYEES
                ),
            );
        } else if self.employees < self.units.max(1) {
            push(
                "employees",
                format!(
                    "{} employees cannot staff {} units (each unit needs at least its head)",
                    self.employees,
                    self.units.max(1)
                ),
            );
        }
        if problems.is_empty() { Ok(()) } else { Err(crate::ValidationErrors { problems }) }
    }
}

impl Default for GeneratorConfig {
    /// Banda Aceh's scale: 39 work units, 5,925 employees, year 2026.
    fn default() -> Self {
        GeneratorConfig { seed: 1, units: 39, employees: 5_925, year: 2026 }
    }
}

/// How many of the hospital's staff the generated roster holds (one ward team).
pub const ROSTERED_TEAM: usize = 24;

/// Names of Banda Aceh's work units (abbreviation, name, relative size).
const UNITS: &[(&str, &str, u32)] = &[
    ("SETDA", "Sekretariat Daerah", 40),
    ("SETDPRK", "Sekretariat DPRK", 15),
    ("INSP", "Inspektorat", 12),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", 12),
    ("BPKK", "Badan Pengelolaan Keuangan Kota", 18),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan SDM", 12),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", 10),
    ("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik", 8),
    ("DISDIKBUD", "Dinas Pendidikan dan Kebudayaan", 900),
    ("DINKES", "Dinas Kesehatan", 220),
    ("RSUD", "Rumah Sakit Umum Daerah Meuraxa", 170),
    ("PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", 25),
    ("PERKIM", "Dinas Perumahan dan Kawasan Permukiman", 12),
    ("DINSOS", "Dinas Sosial", 12),
    ("DISNAKER", "Dinas Tenaga Kerja dan Perindustrian", 10),
    ("DP3AP2KB", "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan KB", 20),
    ("DLHK3", "Dinas Lingkungan Hidup, Kebersihan dan Keindahan Kota", 30),
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", 14),
    ("DISHUB", "Dinas Perhubungan", 22),
    ("DISKOMINFO", "Dinas Komunikasi, Informatika dan Statistik", 10),
    ("DKUKMP", "Dinas Koperasi, UKM dan Perdagangan", 14),
    ("DPMPTSP", "Dinas Penanaman Modal dan PTSP", 10),
    ("DISPORA", "Dinas Pemuda dan Olahraga", 8),
    ("DISBUDPAR", "Dinas Kebudayaan dan Pariwisata", 10),
    ("DISPERTA", "Dinas Pertanian dan Ketahanan Pangan", 12),
    ("DKP", "Dinas Kelautan dan Perikanan", 10),
    ("DISPUSIP", "Dinas Perpustakaan dan Kearsipan", 8),
    ("SATPOLPP", "Satuan Polisi Pamong Praja dan Wilayatul Hisbah", 30),
    ("DSI", "Dinas Syariat Islam", 8),
    ("BAITULMAL", "Sekretariat Baitul Mal", 6),
    ("KEC-BAITURRAHMAN", "Kecamatan Baiturrahman", 6),
    ("KEC-KUTAALAM", "Kecamatan Kuta Alam", 6),
    ("KEC-MEURAXA", "Kecamatan Meuraxa", 6),
    ("KEC-SYIAHKUALA", "Kecamatan Syiah Kuala", 6),
    ("KEC-LUENGBATA", "Kecamatan Lueng Bata", 5),
    ("KEC-KUTARAJA", "Kecamatan Kuta Raja", 5),
    ("KEC-BANDARAYA", "Kecamatan Banda Raya", 5),
    ("KEC-JAYABARU", "Kecamatan Jaya Baru", 5),
    ("KEC-ULEEKARENG", "Kecamatan Ulee Kareng", 5),
];

const EXECUTOR_TITLES: &[&str] = &[
    "Pengadministrasi Umum",
    "Pengelola Data",
    "Pengolah Data dan Informasi",
    "Pengelola Keuangan",
    "Penata Laporan Keuangan",
    "Pengelola Barang Milik Daerah",
    "Pengadministrasi Perkantoran",
    "Operator Layanan Operasional",
];

const FUNCTIONAL_TITLES: &[(&str, &str)] = &[
    ("DISDIKBUD", "Guru Ahli Pertama"),
    ("DISDIKBUD", "Guru Ahli Muda"),
    ("DISDIKBUD", "Pengawas Sekolah"),
    ("DINKES", "Perawat Terampil"),
    ("DINKES", "Bidan Terampil"),
    ("DINKES", "Dokter Ahli Pertama"),
    ("RSUD", "Perawat Ahli Pertama"),
    ("RSUD", "Dokter Spesialis"),
    ("RSUD", "Apoteker Ahli Pertama"),
    ("INSP", "Auditor Ahli Pertama"),
    ("BAPPEDA", "Perencana Ahli Muda"),
    ("", "Analis Kebijakan Ahli Muda"),
    ("", "Pranata Komputer Ahli Pertama"),
    ("", "Arsiparis Terampil"),
];

const TASK_VERBS: &[(&str, &str, &str)] = &[
    ("Menyusun laporan", "laporan", "dokumen"),
    ("Memverifikasi berkas", "berkas terverifikasi", "berkas"),
    ("Menginput data", "data terinput", "data"),
    ("Melayani permohonan masyarakat", "permohonan terlayani", "permohonan"),
    ("Mengagendakan surat masuk", "surat teragenda", "surat"),
    ("Menyusun konsep surat", "konsep surat", "konsep"),
    ("Menyiapkan bahan rapat", "bahan rapat", "paket"),
    ("Melaksanakan pemeriksaan lapangan", "laporan pemeriksaan", "laporan"),
    ("Menyusun rencana kerja", "rencana kerja", "dokumen"),
    ("Melaksanakan pembelajaran", "jam pelajaran", "jam pelajaran"),
    ("Melaksanakan asuhan keperawatan", "asuhan", "pasien"),
    ("Mengarsipkan dokumen", "dokumen terarsip", "berkas"),
];

/// Generates a synthetic city. The same config always gives the same dataset; a config
/// the generator cannot make is refused with every reason ([`GeneratorConfig::validate`]).
pub fn generate(config: &GeneratorConfig) -> Result<Dataset, crate::ValidationErrors> {
    config.validate()?;
    let mut g = Gen { rng: SplitMix64::new(config.seed), year: config.year, nips: HashSet::new(), task_seq: 0 };
    Ok(g.city(config))
}

struct Gen {
    rng: SplitMix64,
    year: i32,
    nips: HashSet<String>,
    task_seq: u32,
}

struct Slot {
    position: usize,
    /// How many holders the position should get.
    holders: usize,
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

impl Gen {
    fn city(&mut self, config: &GeneratorConfig) -> Dataset {
        let n_units = config.units.max(1);
        let unit_defs: Vec<(String, String, u32)> = (0..n_units)
            .map(|i| match UNITS.get(i) {
                Some((id, name, w)) => (id.to_string(), name.to_string(), *w),
                None => (format!("UNIT{:03}", i + 1), format!("Unit Kerja {}", i + 1), 10),
            })
            .collect();
        let total_weight: u64 = unit_defs.iter().map(|u| u64::from(u.2)).sum();
        // Each unit gets at least a head; the rest is shared by weight.
        let mut sizes: Vec<usize> = unit_defs
            .iter()
            .map(|u| ((config.employees as u64 * u64::from(u.2)) / total_weight.max(1)) as usize)
            .map(|s| s.max(1))
            .collect();
        let assigned: usize = sizes.iter().sum();
        if assigned < config.employees {
            // The largest unit takes the rounding remainder.
            if let Some(max) = (0..sizes.len()).max_by_key(|&i| unit_defs[i].2) {
                sizes[max] += config.employees - assigned;
            }
        } else {
            let mut excess = assigned - config.employees;
            for s in sizes.iter_mut().rev() {
                while excess > 0 && *s > 1 {
                    *s -= 1;
                    excess -= 1;
                }
            }
        }

        let mut units = Vec::new();
        let mut positions: Vec<Position> = Vec::new();
        let mut slots: Vec<Slot> = Vec::new();
        let top_id = PositionId::from(format!("{}-P001", unit_defs[0].0));
        for (ui, (uid, uname, _)) in unit_defs.iter().enumerate() {
            units.push(WorkUnit { id: UnitId::from(uid.as_str()), name: uname.clone(), parent: None });
            let supervisor = if ui == 0 { None } else { Some(top_id.clone()) };
            self.unit_positions(uid, uname, sizes[ui], supervisor, &mut positions, &mut slots);
        }

        let mut employees = Vec::new();
        let mut assignments = Vec::new();
        let year_start = date(self.year, 1, 1);
        let year_end = date(self.year, 12, 31);
        for slot in &slots {
            let structural = slot.holders == 1 && positions[slot.position].kind != PositionKind::Executor;
            for _ in 0..slot.holders {
                let pos = &positions[slot.position];
                let emp = self.employee(pos.kind, pos.job_class.get());
                let mut from = date(self.year - self.rng.range(1, 6) as i32, self.rng.range(1, 12) as u32, 1);
                let appointed = match emp.nip.appointment() {
                    Some(m) => m.first_day(),
                    // An NI PPPK names only the year of the first agreement.
                    None => date(emp.nip.appointment_year(), 1, 1),
                };
                if from < appointed {
                    from = appointed;
                }
                let mut until = None;
                // A few people join or leave in the middle of the year.
                if !structural && self.rng.chance(1) {
                    from = date(self.year, self.rng.range(2, 11) as u32, self.rng.range(2, 27) as u32);
                } else if !structural && self.rng.chance(1) {
                    until = Some(date(self.year, self.rng.range(2, 11) as u32, self.rng.range(2, 27) as u32));
                }
                if from > year_end {
                    from = year_start;
                }
                assignments.push(Assignment {
                    employee: emp.nip.clone(),
                    position: pos.id.clone(),
                    kind: AssignmentKind::Definitive,
                    from,
                    until,
                });
                employees.push(emp);
            }
        }
        self.acting(&positions, &slots, &mut assignments);
        let salaries = employees.iter().map(|e| self.salary(e)).collect();
        let sanctions = self.sanctions(&employees);
        let (officials, officers, clock_devices) = self.authorities(&units, &positions, &assignments, &top_id);
        let (work_sites, shift_patterns, rosters) = self.hospital_roster(&positions, &assignments);

        Dataset {
            schema_version: SCHEMA_VERSION,
            government: Government { code: "1171".into(), name: "Pemerintah Kota Banda Aceh (synthetic)".into() },
            calendar: if self.year == 2026 {
                WorkCalendar::indonesia_2026()
            } else {
                WorkCalendar::perpres_21_2023("Perpres 21/2023 working hours, no holidays declared")
            },
            units,
            positions,
            employees,
            assignments,
            delegations: Vec::new(),
            target_shares: Vec::new(),
            salaries,
            sanctions,
            tax_statuses: Vec::new(),
            officials,
            officers,
            clock_devices,
            work_sites,
            shift_patterns,
            rosters,
            bank_accounts: Vec::new(),
        }
    }

    /// The city hospital (unit `RSUD`, RSUD Meuraxa) works shifts: three patterns
    /// (pagi 07:00-14:00, sore 14:00-21:00, malam 21:00-07:00 with a 60-minute rest)
    /// and a ward team of up to [`ROSTERED_TEAM`] of its functional and executor
    /// staff rostered every day of the year on an 8-day rotation (pagi, pagi, sore,
    /// sore, malam, malam, off, off), each person one day further along it than the
    /// previous one, so every shift is staffed every day, weekends and holidays
    /// included. The hospital also gets a work site (its approximate position, radius
    /// 150 m) for geofenced phone clock-ins. Drawn without the random stream, so the
    /// rest of the city does not change; nothing when the city has no `RSUD` unit.
    fn hospital_roster(
        &self,
        positions: &[Position],
        assignments: &[Assignment],
    ) -> (Vec<crate::geo::WorkSite>, Vec<ShiftPattern>, Vec<RosterEntry>) {
        let rsud = UnitId("RSUD".into());
        // The hospital's functional and executor positions, looked up by id (one
        // hash look-up per assignment, not a scan of every position).
        let ward: HashSet<&PositionId> = positions
            .iter()
            .filter(|p| p.unit == rsud && matches!(p.kind, PositionKind::Functional | PositionKind::Executor))
            .map(|p| &p.id)
            .collect();
        let staff: Vec<&Nip> = assignments
            .iter()
            .filter(|a| a.kind == AssignmentKind::Definitive && a.until.is_none())
            .filter(|a| ward.contains(&a.position))
            .map(|a| &a.employee)
            .take(ROSTERED_TEAM)
            .collect();
        if staff.is_empty() {
            return (Vec::new(), Vec::new(), Vec::new());
        }
        let hm = |h: u32| chrono::NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default();
        let pattern = |code: &str, name: &str, start: u32, end: u32, rest: i64| ShiftPattern {
            code: code.into(),
            name: name.into(),
            start: hm(start),
            end: hm(end),
            rest_minutes: Minutes(rest),
        };
        let patterns = vec![
            pattern("pagi", "Dinas pagi", 7, 14, 0),
            pattern("sore", "Dinas sore", 14, 21, 0),
            pattern("malam", "Dinas malam", 21, 7, 60),
        ];
        const ROTATION: [&str; 8] = ["pagi", "pagi", "sore", "sore", "malam", "malam", "off", "off"];
        let mut rosters = Vec::with_capacity(staff.len() * 366);
        let mut day = date(self.year, 1, 1);
        let mut n = 0usize;
        while day.year() == self.year {
            for (i, nip) in staff.iter().enumerate() {
                let shift = ROTATION[(n + i) % ROTATION.len()];
                rosters.push(RosterEntry { employee: (*nip).clone(), date: day, shift: shift.into() });
            }
            n += 1;
            day = match day.succ_opt() {
                Some(d) => d,
                None => break,
            };
        }
        let site = crate::geo::WorkSite {
            id: "SITE-RSUD".into(),
            name: "RSUD Meuraxa, Mibo, Banda Raya (approximate position)".into(),
            latitude: Decimal::new(55_215, 4),
            longitude: Decimal::new(953_055, 4),
            radius_m: 150,
            units: vec![rsud],
        };
        (vec![site], patterns, rosters)
    }

    /// The mayor and deputy (the mayor verifies the regional secretary), two HR
    /// officers in the personnel agency (or the first unit), one attendance
    /// officer per unit and a fingerprint reader per unit, on which everyone of the
    /// unit is enrolled (a face terminal too in units of more than 50 positions'
    /// staff). Drawn without the random stream,
    /// so the rest of the city does not change.
    fn authorities(
        &self,
        units: &[WorkUnit],
        positions: &[Position],
        assignments: &[Assignment],
        top: &PositionId,
    ) -> (Vec<Official>, Vec<Officer>, Vec<ClockDevice>) {
        let start = date(self.year - 3, 1, 1);
        let year_start = date(self.year, 1, 1);
        let officials = vec![
            Official {
                id: OfficialId::trusted("WALIKOTA"),
                name: "Wali Kota (synthetic)".into(),
                office: Office::RegionalHead,
                from: start,
                until: None,
                verifies: vec![top.clone()],
                reference: "Keputusan Menteri Dalam Negeri (synthetic)".into(),
            },
            Official {
                id: OfficialId::trusted("WAKIL-WALIKOTA"),
                name: "Wakil Wali Kota (synthetic)".into(),
                office: Office::DeputyHead,
                from: start,
                until: None,
                verifies: Vec::new(),
                reference: "Keputusan Menteri Dalam Negeri (synthetic)".into(),
            },
        ];
        let unit_of: std::collections::HashMap<&PositionId, &UnitId> =
            positions.iter().map(|p| (&p.id, &p.unit)).collect();
        // Staff in service all year, by unit, in assignment order; heads (the
        // first position of each unit) are not officers.
        let mut staff: std::collections::HashMap<&UnitId, Vec<&Nip>> = Default::default();
        for a in assignments {
            let steady = a.kind == AssignmentKind::Definitive && a.from <= year_start && a.until.is_none();
            let head = a.position.as_str().ends_with("-P001");
            if let (true, false, Some(u)) = (steady, head, unit_of.get(&a.position)) {
                staff.entry(u).or_default().push(&a.employee);
            }
        }
        // Everyone with a definitive assignment in each unit, once, in assignment order.
        let mut enrolled: std::collections::HashMap<&UnitId, Vec<&Nip>> = Default::default();
        let mut seen: HashSet<(&UnitId, &Nip)> = HashSet::new();
        for a in assignments {
            if let (AssignmentKind::Definitive, Some(u)) = (a.kind, unit_of.get(&a.position))
                && seen.insert((u, &a.employee))
            {
                enrolled.entry(u).or_default().push(&a.employee);
            }
        }
        // Two HR officers (one closes a month, another may reopen it): from the
        // personnel agency first, then from the other units in order.
        let hr_unit = units.iter().find(|u| u.id.as_str() == "BKPSDM").or_else(|| units.first());
        let mut officers = Vec::new();
        let candidates = hr_unit
            .into_iter()
            .chain(units.iter().filter(|u| Some(&u.id) != hr_unit.map(|h| &h.id)))
            .flat_map(|u| staff.get(&u.id).into_iter().flatten().take(2).map(move |n| (u, n)));
        for (unit, nip) in candidates.take(2) {
            officers.push(Officer {
                employee: (*nip).clone(),
                role: OfficerRole::Hr,
                unit: None,
                from: year_start,
                until: None,
                reference: format!("SK Kepala {} tentang Operator e-Kinerja (synthetic)", unit.id),
            });
        }
        let mut devices = Vec::new();
        for u in units {
            let list = staff.get(&u.id).map(Vec::as_slice).unwrap_or_default();
            // The second steady staff member (the first may be an HR officer).
            if let Some(nip) = list.get(1).or_else(|| list.first()) {
                officers.push(Officer {
                    employee: (*nip).clone(),
                    role: OfficerRole::Attendance,
                    unit: Some(u.id.clone()),
                    from: year_start,
                    until: None,
                    reference: format!("SK Kepala {} tentang Petugas Apel (synthetic)", u.id),
                });
            }
            let id = |prefix: &str| DeviceId::trusted(&format!("{prefix}-{}", u.id));
            // Everyone who holds a position of the unit during the year is enrolled on
            // its fingerprint reader, numbered 1, 2, ... in the order of the
            // assignments (the machine's PIN, what its log names people by).
            let enrolments = enrolled
                .get(&u.id)
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .enumerate()
                .map(|(k, nip)| Enrolment { pin: (k + 1).to_string(), employee: (*nip).clone() })
                .collect();
            devices.push(ClockDevice {
                id: id("FP"),
                unit: u.id.clone(),
                kind: DeviceKind::Fingerprint,
                from: start,
                until: None,
                enrolments,
            });
            if list.len() > 50 {
                devices.push(ClockDevice {
                    id: id("FACE"),
                    unit: u.id.clone(),
                    kind: DeviceKind::Face,
                    from: start,
                    until: None,
                    enrolments: Vec::new(),
                });
            }
        }
        (officials, officers, devices)
    }

    /// Leaves about one structural post in twelve vacant with a Plt, and gives some
    /// heads a week of Plh from their supervisor.
    ///
    /// Who acts in a vacant post follows BKN SE 1/SE/I/2021 (a structural official acts
    /// in a post of the same level or one level higher): a vacant administrator post
    /// (head of division) goes to one of its section heads (a higher post) or a fellow
    /// administrator under the same head (an equal post) nine times in ten, else to the
    /// supervising head (a lower post); a vacant section goes to a fellow section head
    /// (equal) about six times in seven, else to the head of division (lower). Without
    /// another candidate in post the supervisor acts; nobody acts in two posts.
    ///
    /// Which posts fall vacant, and the Plh weeks, use the city's random stream exactly
    /// as before; the choice of the acting official draws from a stream of its own, so
    /// the rest of the city (salaries, sanctions, authorities) is unchanged by it.
    fn acting(&mut self, positions: &[Position], slots: &[Slot], assignments: &mut Vec<Assignment>) {
        // Indexes, so that the work grows linearly with the city: a position's
        // index by id (the first position of that id, as a scan would find it), the
        // first definitive holder's assignment of each position, and the positions
        // under each supervising position by kind, in position order.
        let mut index_of: HashMap<&PositionId, usize> = HashMap::with_capacity(positions.len());
        let mut under: HashMap<(&PositionId, PositionKind), Vec<usize>> = HashMap::new();
        for (pi, p) in positions.iter().enumerate() {
            index_of.entry(&p.id).or_insert(pi);
            if let Some(sup) = &p.supervisor {
                under.entry((sup, p.kind)).or_default().push(pi);
            }
        }
        let mut holder_of = vec![None; positions.len()];
        for (ai, a) in assignments.iter().enumerate() {
            if let Some(&pi) = index_of.get(&a.position)
                && holder_of[pi].is_none()
            {
                holder_of[pi] = Some(ai);
            }
        }
        let by_id = |id: &PositionId| index_of.get(id).copied();
        let plt_from = date(self.year, 7, 1);
        let left = date(self.year, 6, 30);
        // Pass 1: the vacancies (position, supervising position) and the Plh weeks.
        let mut vacancies: Vec<(usize, usize)> = Vec::new();
        let mut acting = Vec::new();
        for slot in slots {
            let pos = &positions[slot.position];
            if !matches!(pos.kind, PositionKind::Administrator | PositionKind::Supervisor) {
                continue;
            }
            let Some(ai) = holder_of[slot.position] else { continue };
            let Some(sup) = pos.supervisor.as_ref().and_then(by_id) else { continue };
            let Some(sup_ai) = holder_of[sup] else { continue };
            if self.rng.chance(8) {
                // The holder moved on on 30 June; someone acts (Plt) from 1 July.
                if assignments[ai].from <= left {
                    assignments[ai].until = Some(left);
                    vacancies.push((slot.position, sup));
                }
            } else if self.rng.chance(5) {
                // The holder's supervisor covers a week of absence in October (Plh).
                let start = self.rng.range(5, 20) as u32;
                acting.push(Assignment {
                    employee: assignments[sup_ai].employee.clone(),
                    position: pos.id.clone(),
                    kind: AssignmentKind::Plh,
                    from: date(self.year, 10, start),
                    until: Some(date(self.year, 10, start + 6)),
                });
            }
        }
        // Pass 2: who acts, among holders still in post on 1 July, one Plt each.
        let mut pick = SplitMix64::new(self.rng.0 ^ 0xA5A5_5A5A_C3C3_3C3C);
        let mut busy: HashSet<usize> = HashSet::new();
        let in_post = |pi: usize, busy: &HashSet<usize>| {
            holder_of[pi].filter(|ai| {
                let a = &assignments[*ai];
                a.from <= plt_from && a.until.is_none_or(|u| u >= plt_from) && !busy.contains(ai)
            })
        };
        for (vacant, sup) in vacancies {
            let pos = &positions[vacant];
            let of_kind = |kind: PositionKind, parent: &PositionId| -> Vec<usize> {
                under.get(&(parent, kind)).into_iter().flatten().copied().filter(|pi| *pi != vacant).collect()
            };
            let parent = positions[sup].id.clone();
            let peers: Vec<usize> =
                of_kind(pos.kind, &parent).into_iter().filter_map(|pi| in_post(pi, &busy)).collect();
            let sections: Vec<usize> = if pos.kind == PositionKind::Administrator {
                of_kind(PositionKind::Supervisor, &pos.id).into_iter().filter_map(|pi| in_post(pi, &busy)).collect()
            } else {
                Vec::new()
            };
            // The preferred candidates first, then the other non-lower ones; the
            // supervisor (a lower post) by choice one time in ten (administrator) or
            // seven (section), and whenever nobody else is in post.
            let roll = pick.range(0, 99);
            let order: [&[usize]; 2] = match pos.kind {
                PositionKind::Administrator if roll < 55 => [&sections, &peers],
                PositionKind::Administrator if roll < 90 => [&peers, &sections],
                PositionKind::Supervisor if roll < 85 => [&peers, &[]],
                _ => [&[], &[]],
            };
            let chosen = order.iter().find(|c| !c.is_empty()).map(|c| *pick.pick(c));
            let Some(actor) = chosen.or_else(|| in_post(sup, &busy)) else { continue };
            busy.insert(actor);
            acting.push(Assignment {
                employee: assignments[actor].employee.clone(),
                position: pos.id.clone(),
                kind: AssignmentKind::Plt,
                from: plt_from,
                until: None,
            });
        }
        assignments.extend(acting);
    }

    #[allow(clippy::too_many_arguments)]
    fn position(
        &mut self,
        unit: &str,
        seq: &mut u32,
        name: String,
        kind: PositionKind,
        class: u8,
        supervisor: Option<PositionId>,
        holders: usize,
        positions: &mut Vec<Position>,
        slots: &mut Vec<Slot>,
    ) -> PositionId {
        *seq += 1;
        let id = PositionId::from(format!("{unit}-P{:03}", *seq));
        let analysis = self.analysis(&id, kind, holders.max(1));
        positions.push(Position {
            id: id.clone(),
            name,
            kind,
            job_class: job_class(class),
            unit: UnitId::from(unit),
            supervisor,
            analysis,
        });
        slots.push(Slot { position: positions.len() - 1, holders });
        id
    }

    fn unit_positions(
        &mut self,
        uid: &str,
        uname: &str,
        size: usize,
        supervisor: Option<PositionId>,
        positions: &mut Vec<Position>,
        slots: &mut Vec<Slot>,
    ) {
        let mut seq = 0;
        let kecamatan = uid.starts_with("KEC-");
        let (head_kind, head_class, head_title) = if supervisor.is_none() {
            (PositionKind::Leadership, 15, "Sekretaris Daerah".to_string())
        } else if kecamatan {
            (PositionKind::Administrator, 12, format!("Camat {}", uname.trim_start_matches("Kecamatan ")))
        } else {
            (PositionKind::Leadership, 14, format!("Kepala {uname}"))
        };
        let head = self.position(uid, &mut seq, head_title, head_kind, head_class, supervisor, 1, positions, slots);
        let mut left = size.saturating_sub(1);
        if left == 0 {
            return;
        }
        let secretary = self.position(
            uid,
            &mut seq,
            if kecamatan { "Sekretaris Kecamatan".into() } else { "Sekretaris".into() },
            PositionKind::Administrator,
            if kecamatan { 10 } else { 11 },
            Some(head.clone()),
            1,
            positions,
            slots,
        );
        left -= 1;
        // Divisions scale with the unit's size.
        let divisions = match size {
            0..=30 => 1,
            31..=80 => 2,
            81..=200 => 3,
            201..=800 => 4,
            _ => 5,
        };
        let mut leaders = vec![secretary];
        for d in 0..divisions {
            if left < 4 {
                break;
            }
            let div = self.position(
                uid,
                &mut seq,
                format!("Kepala Bidang {}", d + 1),
                PositionKind::Administrator,
                11,
                Some(head.clone()),
                1,
                positions,
                slots,
            );
            left -= 1;
            leaders.push(div);
        }
        let mut sections = Vec::new();
        for (li, leader) in leaders.iter().enumerate() {
            for s in 0..self.rng.range(2, 3) {
                if left < 3 {
                    break;
                }
                let title = if li == 0 {
                    format!("Kepala Subbagian {}", s + 1)
                } else {
                    format!("Kepala Seksi {}.{}", li, s + 1)
                };
                let sec = self.position(
                    uid,
                    &mut seq,
                    title,
                    PositionKind::Supervisor,
                    9,
                    Some(leader.clone()),
                    1,
                    positions,
                    slots,
                );
                left -= 1;
                sections.push(sec);
            }
        }
        if left == 0 {
            return;
        }
        if sections.is_empty() {
            sections = leaders;
        }
        // Staff positions under each section: executors everywhere, functionals
        // where the unit has them (teachers, nurses, auditors, ...).
        let functionals: Vec<&str> =
            FUNCTIONAL_TITLES.iter().filter(|(u, _)| *u == uid || u.is_empty()).map(|(_, t)| *t).collect();
        let unit_specific = FUNCTIONAL_TITLES.iter().any(|(u, _)| *u == uid);
        let mut staff: Vec<(String, PositionKind, u8, PositionId, u32)> = Vec::new();
        for (si, sec) in sections.iter().enumerate() {
            for e in 0..self.rng.range(1, 2) {
                let title = EXECUTOR_TITLES[(si * 3 + e as usize) % EXECUTOR_TITLES.len()];
                let class = self.rng.range(5, 7) as u8;
                staff.push((title.to_string(), PositionKind::Executor, class, sec.clone(), 3));
            }
            if self.rng.chance(if unit_specific { 90 } else { 30 }) && !functionals.is_empty() {
                let title = *self.rng.pick(&functionals);
                let weight =
                    if unit_specific && !title.starts_with("Analis") && !title.starts_with("Pranata") { 25 } else { 2 };
                let class = if title.contains("Terampil") {
                    7
                } else if title.contains("Muda") || title.contains("Spesialis") {
                    9
                } else {
                    8
                };
                staff.push((title.to_string(), PositionKind::Functional, class, sec.clone(), weight));
            }
        }
        let total_w: u64 = staff.iter().map(|s| u64::from(s.4)).sum::<u64>().max(1);
        let mut counts: Vec<usize> = staff.iter().map(|s| (left as u64 * u64::from(s.4) / total_w) as usize).collect();
        let mut given: usize = counts.iter().sum();
        let mut i = 0;
        while given < left && !counts.is_empty() {
            let k = i % counts.len();
            counts[k] += 1;
            given += 1;
            i += 1;
        }
        for ((title, kind, class, sec, _), n) in staff.into_iter().zip(counts) {
            if n > 0 {
                self.position(uid, &mut seq, title, kind, class, Some(sec), n, positions, slots);
            }
        }
    }

    fn analysis(&mut self, id: &PositionId, kind: PositionKind, holders: usize) -> JobAnalysis {
        // The efficiency this position should come out at: spread over all grades.
        let target_ej_pct = match self.rng.range(0, 9) {
            0 => self.rng.range(35, 49),
            1 | 2 => self.rng.range(50, 69),
            3..=5 => self.rng.range(70, 89),
            6 | 7 => self.rng.range(90, 100),
            _ => self.rng.range(101, 140),
        };
        let effective: i64 = 75_000;
        let total_minutes = effective * holders as i64 * target_ej_pct / 100;
        let n_tasks = self.rng.range(3, 6);
        let mut tasks = Vec::new();
        let mut remaining = total_minutes;
        for t in 0..n_tasks {
            let share = if t == n_tasks - 1 { remaining } else { remaining * self.rng.range(15, 45) / 100 };
            remaining -= share;
            let (verb, output, unit) = *self.rng.pick(TASK_VERBS);
            let std_min = *self.rng.pick(&[10_i64, 15, 20, 30, 45, 60, 90, 120, 180, 240]);
            let annual = (share / std_min).max(1);
            // State the volume the way Anjab documents do.
            let (per, factor) = if annual >= 500 && annual % 250 == 0 {
                (VolumePeriod::Day, 250)
            } else if annual >= 100 && annual % 50 == 0 {
                (VolumePeriod::Week, 50)
            } else if annual >= 24 && annual % 12 == 0 {
                (VolumePeriod::Month, 12)
            } else {
                (VolumePeriod::Year, 1)
            };
            self.task_seq += 1;
            tasks.push(Task {
                id: TaskId::from(format!("{id}-T{}", t + 1)),
                name: format!("{verb} ({})", kind_label(kind)),
                output: output.to_string(),
                output_unit: unit.to_string(),
                standard_minutes: Minutes(std_min),
                volume: Volume { quantity: Decimal::from(annual / factor), per },
                group: None,
            });
        }
        JobAnalysis {
            summary: format!("Melaksanakan tugas {} sesuai ketentuan.", kind_label(kind).to_lowercase()),
            materials: vec!["Peraturan perundang-undangan".into(), "Data dan dokumen kerja".into()],
            tools: vec!["Komputer".into(), "Aplikasi e-Kinerja".into()],
            responsibilities: vec!["Kebenaran dan ketepatan hasil kerja".into()],
            authority: vec!["Meminta data dan informasi yang diperlukan".into()],
            working_conditions: vec!["Di dalam ruangan".into()],
            hazards: vec![],
            requirements: vec!["Pendidikan sesuai jabatan".into()],
            tasks,
        }
    }

    fn employee(&mut self, kind: PositionKind, class: u8) -> Employee {
        let (rank, min_service) = loop {
            if let Some(r) = self.rank(kind, class) {
                break r;
            }
        };
        let mut employment = match kind {
            PositionKind::Executor | PositionKind::Functional if self.rng.chance(12) => EmploymentType::Pppk,
            PositionKind::Executor | PositionKind::Functional if self.rng.chance(3) => EmploymentType::Cpns,
            _ => EmploymentType::Pns,
        };
        // PPPK exist from 2019 (PP 49/2018): an earlier city has none.
        if employment == EmploymentType::Pppk && self.year < FIRST_PPPK_YEAR {
            employment = EmploymentType::Pns;
        }
        let pppk = employment == EmploymentType::Pppk;
        // A PPPK employee holds the grade of the salary table's equivalent rank
        // (Perpres 98/2020: II/a ~ V, III/a ~ IX, ...), with a NI PPPK.
        let rank = if pppk { pppk_equivalent(rank) } else { rank };
        let (nip, rank_since) = loop {
            let drawn_year = match employment {
                EmploymentType::Cpns => self.year - 1,
                _ => self.year - self.rng.range(min_service, (min_service + 15).min(33)) as i32,
            };
            let birth_year = drawn_year - self.rng.range(21, 30) as i32;
            let birth = date(birth_year, self.rng.range(1, 12) as u32, self.rng.range(1, 28) as u32);
            let month = self.rng.range(1, 12);
            // NI PPPK: the year of the first agreement (2019 or later) and code 21.
            let (appointed_year, middle) =
                if pppk { (drawn_year.max(FIRST_PPPK_YEAR), 21) } else { (drawn_year, month) };
            let text = format!(
                "{:04}{:02}{:02}{:04}{:02}{}{:03}",
                birth.year(),
                birth.month(),
                birth.day(),
                appointed_year,
                middle,
                self.rng.range(1, 2),
                self.rng.range(1, 999)
            );
            if self.nips.insert(text.clone())
                && let Ok(nip) = Nip::parse(&text)
            {
                // TMT of the current rank, drawn from no random number (so every other
                // draw stays as it was): a regular promotion every 4 years from the
                // appointment, the last one on or before the city's year; none for PPPK.
                let served = (self.year - drawn_year).max(1);
                let since = (!pppk).then(|| date(drawn_year + (served - 1) / 4 * 4, month as u32, 1));
                break (nip, since);
            }
        };
        let name = format!("{} {}", self.rng.pick(GIVEN), self.rng.pick(FAMILY));
        Employee { nip, name, rank, employment, rank_since }
    }

    /// A monthly salary in the range of the 2024 salary table for the rank, plus a
    /// family allowance, rounded to the hundred rupiah.
    fn salary(&mut self, e: &Employee) -> SalaryRecord {
        // A PPPK grade is paid like its equivalent rank (Perpres 98/2020 follows the PNS table).
        let (group, letter) = match (e.rank.group(), e.rank.grade(), e.rank.pppk_grade()) {
            (Some(g), Some(l), _) => (g, l),
            (_, _, Some(g)) => {
                let group =
                    [RankGroup::I, RankGroup::II, RankGroup::III, RankGroup::IV][usize::from((g.clamp(1, 16) - 1) / 4)];
                (group, char::from(b'a' + if g == 17 { 4 } else { (g - 1) % 4 }))
            }
            _ => (RankGroup::I, 'a'),
        };
        let base: i64 = match group {
            RankGroup::I => 1_685_700,
            RankGroup::II => 2_184_000,
            RankGroup::III => 2_785_700,
            RankGroup::IV => 3_287_800,
        };
        let grade = i64::from(letter as u8 - b'a');
        let years = i64::from(self.year - e.nip.appointment_year()).max(0);
        let amount = base + grade * 95_000 + years * 45_000 + self.rng.range(0, 4) * 150_000;
        let amount = amount / 100 * 100;
        SalaryRecord { employee: e.nip.clone(), salary: crate::Money::from_rupiah(amount), from: date(self.year, 1, 1) }
    }

    /// About three employees in a thousand with a medium sanction (PP 94/2021)
    /// whose window covers part of the year.
    fn sanctions(&mut self, employees: &[Employee]) -> Vec<SanctionRecord> {
        let mut out = Vec::new();
        for e in employees {
            if self.rng.next_u64() % 1000 < 3 {
                let month = self.rng.range(1, 12) as u32;
                let months = *self.rng.pick(&[6u32, 9, 12]);
                out.push(SanctionRecord {
                    employee: e.nip.clone(),
                    level: "medium".into(),
                    effective_from: date(self.year, month, 1),
                    months,
                    reference: format!("SK Wali Kota 800/{}/{}", self.rng.range(100, 999), self.year),
                });
            }
        }
        out
    }

    /// A rank fitting the position, and the fewest years of service it implies.
    fn rank(&mut self, kind: PositionKind, class: u8) -> Option<(Rank, i64)> {
        let (group, grades, service): (RankGroup, &[char], i64) = match kind {
            PositionKind::Leadership => (RankGroup::IV, &['b', 'c', 'd'], 20),
            PositionKind::Administrator => (RankGroup::IV, &['a', 'b'], 16),
            PositionKind::Supervisor => (RankGroup::III, &['c', 'd'], 10),
            PositionKind::Functional if class >= 9 => (RankGroup::III, &['c', 'd'], 8),
            PositionKind::Functional => (RankGroup::III, &['a', 'b'], 2),
            PositionKind::Executor if class >= 7 => (RankGroup::III, &['a', 'b'], 4),
            PositionKind::Executor => (RankGroup::II, &['a', 'b', 'c', 'd'], 1),
        };
        let grade = *self.rng.pick(grades);
        // Every (group, grade) above exists, so this is always `Some`.
        Rank::new(group, grade).map(|r| (r, service))
    }
}

/// The PPPK grade whose pay matches a PNS rank in the salary tables (Perpres 98/2020 and
/// PP 15/2019): I/a..I/d ~ I..IV, II/a..II/d ~ V..VIII, III/a..III/d ~ IX..XII,
/// IV/a..IV/e ~ XIII..XVII.
fn pppk_equivalent(rank: Rank) -> Rank {
    let (Some(group), Some(letter)) = (rank.group(), rank.grade()) else {
        return rank;
    };
    let base: u8 = match group {
        RankGroup::I => 1,
        RankGroup::II => 5,
        RankGroup::III => 9,
        RankGroup::IV => 13,
    };
    Rank::pppk(base + (letter as u8).saturating_sub(b'a')).unwrap_or(rank)
}

fn kind_label(kind: PositionKind) -> &'static str {
    match kind {
        PositionKind::Leadership => "Pimpinan",
        PositionKind::Administrator => "Administrator",
        PositionKind::Supervisor => "Pengawas",
        PositionKind::Functional => "Fungsional",
        PositionKind::Executor => "Pelaksana",
    }
}

/// The lowest job class; checked when the crate is compiled, not at run time.
const LOWEST_CLASS: JobClass = match JobClass::new(1) {
    Some(c) => c,
    None => panic!("1 is a valid job class"),
};

fn job_class(class: u8) -> JobClass {
    JobClass::new(class).unwrap_or(LOWEST_CLASS)
}

const GIVEN: &[&str] = &[
    "Muhammad", "Nurul", "Siti", "Ahmad", "Cut", "Teuku", "Fitri", "Rizki", "Zainal", "Intan", "Hendra", "Maulida",
    "Rahmat", "Yusra", "Syahrul", "Dewi", "Fadhil", "Rina", "Iskandar", "Putri",
];
const FAMILY: &[&str] = &[
    "Abdullah",
    "Hasan",
    "Ibrahim",
    "Ismail",
    "Yusuf",
    "Saputra",
    "Rahman",
    "Hidayat",
    "Aulia",
    "Marzuki",
    "Harun",
    "Basyah",
    "Daud",
    "Syahputra",
    "Nurdin",
    "Zulkifli",
];

/// The records of [`crate::insights`] for a generated city, deterministic by seed:
/// every unit's budget for `year` (2-4 programmes of 2 activities of 2-3 sub-activities,
/// ceilings of Rp 50-900 million, a monthly plan, realisation and physical progress
/// through `through` (1-12), about one unit in five behind plan, sub-activities naming
/// the unit's positions and tasks), a strategic plan and a work plan per unit (about
/// one unit in eight lacks its work plan, one in six lists only some tasks), a roll-out
/// in Banda Aceh's shape (the first 5 units live from the year's start, the others in
/// waves of 8 every two months, each after a shadow month the month before; units
/// beyond the sixth wave are not live in the year) and six nominations
/// per category with three to five panel scores.
///
/// It reads the dataset but draws from its own random stream, so the dataset of
/// [`generate`] is the same with or without it.
pub fn generate_insights(dataset: &Dataset, seed: u64, year: i32, through: u32) -> crate::insights::InsightsRecords {
    use crate::insights::budget::{Activity, Programme, RevenueLine, SubActivity, UnitBudget};
    use crate::insights::readiness::{PlanKind, UnitPlan, UnitRollout};
    use crate::insights::{InsightsRecords, Nomination, NominationCategory};
    use crate::money::Money;
    use crate::month::YearMonth;

    let mut rng = SplitMix64::new(seed ^ 0x1A51_6475_B0D6_E7A0);
    let through = through.clamp(1, 12) as usize;
    let million = |m: i64| Money::from_rupiah(m * 1_000_000);
    let mut out = InsightsRecords::default();
    for (ui, unit) in dataset.units.iter().enumerate() {
        let positions: Vec<&Position> = dataset.positions.iter().filter(|p| p.unit == unit.id).collect();
        let tasks: Vec<(&PositionId, &TaskId)> =
            positions.iter().flat_map(|p| p.analysis.tasks.iter().map(move |t| (&p.id, &t.id))).collect();
        let behind = rng.chance(20);
        let mut programmes = Vec::new();
        for pi in 0..rng.range(2, 4) {
            let mut activities = Vec::new();
            for ai in 0..2 {
                let mut subs = Vec::new();
                for si in 0..rng.range(2, 3) {
                    let ceiling = rng.range(50, 900);
                    // Plan: the ceiling spread evenly over 12 months, the rest in December.
                    let monthly = ceiling * 1_000_000 / 12;
                    let mut plan: Vec<Money> = (0..12).map(|_| Money::from_rupiah(monthly)).collect();
                    plan[11] = Money::from_rupiah(ceiling * 1_000_000 - monthly * 11);
                    // Realisation: 88-112 % of plan a month (30-70 % for a unit behind),
                    // never beyond the ceiling.
                    let (lo, hi) = if behind { (30, 70) } else { (88, 112) };
                    let mut realisation = Vec::new();
                    let mut progress = Vec::new();
                    let mut spent = 0i64;
                    for _ in 0..through {
                        let want = monthly * rng.range(lo, hi) / 100;
                        let room = ceiling * 1_000_000 - spent;
                        let got = want.min(room).max(0);
                        spent += got;
                        realisation.push(Money::from_rupiah(got));
                        let pct = (spent * 100 / (ceiling * 1_000_000)).min(100);
                        let physical = (pct + rng.range(-5, 5)).clamp(0, 100);
                        progress.push(Decimal::from(physical));
                    }
                    // Progress is cumulative: never below the previous month.
                    for m in 1..progress.len() {
                        if progress[m] < progress[m - 1] {
                            progress[m] = progress[m - 1];
                        }
                    }
                    let (carriers, carried): (Vec<PositionId>, Vec<TaskId>) = if tasks.is_empty() {
                        (Vec::new(), Vec::new())
                    } else {
                        let (p, t) = *rng.pick(&tasks);
                        (vec![p.clone()], vec![t.clone()])
                    };
                    subs.push(SubActivity {
                        code: format!("{}.{}.{}.{}", unit.id, pi + 1, ai + 1, si + 1),
                        name: format!("Sub kegiatan {}.{}.{}", pi + 1, ai + 1, si + 1),
                        ceiling: million(ceiling),
                        plan,
                        realisation,
                        progress,
                        positions: carriers,
                        tasks: carried,
                    });
                }
                activities.push(Activity {
                    code: format!("{}.{}.{}", unit.id, pi + 1, ai + 1),
                    name: format!("Kegiatan {}.{}", pi + 1, ai + 1),
                    sub_activities: subs,
                });
            }
            programmes.push(Programme {
                code: format!("{}.{}", unit.id, pi + 1),
                name: format!("Program {} {}", pi + 1, unit.name),
                activities,
            });
        }
        let revenue = if rng.chance(40) {
            let target = rng.range(100, 5_000);
            let realised =
                (0..through).map(|_| Money::from_rupiah(target * 1_000_000 / 12 * rng.range(50, 120) / 100)).collect();
            vec![RevenueLine {
                code: "4.1.02".into(),
                name: "Retribusi Daerah".into(),
                target: million(target),
                realised,
            }]
        } else {
            Vec::new()
        };
        out.budgets.push(UnitBudget { unit: unit.id.clone(), year, revenue, programmes });

        out.plans.push(UnitPlan {
            id: format!("RENSTRA-{}", unit.id),
            unit: unit.id.clone(),
            kind: PlanKind::Strategic,
            from_year: year - 1,
            until_year: year + 3,
            reference: format!("Perwal Renstra {} {}", unit.id, year - 1),
            tasks: Vec::new(),
        });
        if !rng.chance(12) {
            let listed: Vec<TaskId> = if rng.chance(16) {
                tasks.iter().step_by(2).map(|(_, t)| (*t).clone()).collect()
            } else {
                tasks.iter().map(|(_, t)| (*t).clone()).collect()
            };
            out.plans.push(UnitPlan {
                id: format!("RENJA-{}-{year}", unit.id),
                unit: unit.id.clone(),
                kind: PlanKind::Work,
                from_year: year,
                until_year: year,
                reference: format!("Renja {} {year}", unit.id),
                tasks: listed,
            });
        }
        // Roll-out: 5 pilot units live from January after a December shadow month, then
        // a wave every two months; the last units are in their shadow month or not yet.
        let wave = if ui < 5 { 0 } else { 1 + (ui - 5) / 8 } as u32;
        let live_month = 1 + wave * 2;
        let start = YearMonth::new(year, 1).unwrap_or(YearMonth::of(NaiveDate::MIN));
        let go = (0..live_month - 1).try_fold(start, |m, _| m.next()).ok();
        let shadow = go.and_then(|m| m.prev().ok());
        out.rollout.push(UnitRollout {
            unit: unit.id.clone(),
            shadow_month: shadow,
            go_live: go.filter(|_| live_month <= 12).map(|m| m.first_day()),
        });
    }
    for (category, prefix) in [(NominationCategory::Service, "SVC"), (NominationCategory::Innovative, "INO")] {
        for i in 0..6.min(dataset.employees.len()) {
            let e = rng.pick(&dataset.employees);
            let judges = rng.range(3, 5);
            out.nominations.push(Nomination {
                id: format!("{prefix}-{year}-{:02}", i + 1),
                year,
                category,
                employee: e.nip.clone(),
                title: format!("{} {}", if prefix == "SVC" { "Layanan" } else { "Inovasi" }, i + 1),
                panel_scores: (0..judges).map(|_| Decimal::from(rng.range(60, 98))).collect(),
            });
        }
    }
    out
}
