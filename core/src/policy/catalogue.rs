//! The catalogue of policy parameters: every key a policy file may set, its kind and range.
//!
//! A key that is not in the catalogue is refused when a file is loaded, so a typo
//! (`abk.efective_minutes_per_year`) is an error rather than a silently ignored line.
//! Adding a parameter is one entry in [`CATALOGUE`] plus its national baseline
//! in `policy/national.toml`.

use rust_decimal::Decimal;

use super::value::{Value, variant_name};

/// What kind of value a parameter holds, with its allowed range.
#[derive(Clone, Copy, Debug)]
pub enum ValueKind {
    /// A whole number within `min..=max`, written as a TOML integer.
    Int {
        /// Smallest allowed value.
        min: i64,
        /// Largest allowed value.
        max: i64,
    },
    /// An exact decimal within `min..=max`, written as a TOML string (`"0.90"`) or
    /// integer. TOML floats are refused: they are binary and lose exactness.
    Decimal {
        /// Smallest allowed value.
        min: Decimal,
        /// Largest allowed value.
        max: Decimal,
    },
    /// `true` or `false`.
    Bool,
    /// Text, restricted to `choices` unless that is empty.
    Text {
        /// The allowed texts; empty means any non-empty text.
        choices: &'static [&'static str],
    },
    /// A time of day, written `"07:30"`, `"07:30:00"` or as a TOML local time `07:30:00`.
    Time,
    /// A structured value (TOML arrays and tables, see [`Value`]) checked by a function.
    Custom {
        /// What the value looks like, for messages and listings.
        describe: &'static str,
        /// Returns why a value is refused.
        check: fn(&Value) -> Result<(), String>,
    },
}

impl ValueKind {
    /// A short description for messages and listings, e.g. `"integer 1..=366"`.
    pub fn describe(&self) -> String {
        match self {
            ValueKind::Int { min, max } => format!("integer {min}..={max}"),
            ValueKind::Decimal { min, max } => format!("decimal {min}..={max} (quoted, e.g. \"0.90\")"),
            ValueKind::Bool => "boolean".to_string(),
            ValueKind::Text { choices: [] } => "text".to_string(),
            ValueKind::Text { choices } => format!("one of {}", choices.join(", ")),
            ValueKind::Time => "time of day (\"07:30\")".to_string(),
            ValueKind::Custom { describe, .. } => (*describe).to_string(),
        }
    }

    /// Checks that `value` has this kind and lies in its range. Returns a stable
    /// problem code (`"wrong_type"`, `"out_of_range"`, `"invalid_choice"`,
    /// `"invalid_value"`) and a message.
    pub fn check(&self, value: &Value) -> Result<(), (&'static str, String)> {
        let wrong = |expected: &str| Err(("wrong_type", format!("expected {expected}, found {}", variant_name(value))));
        match (self, value) {
            (ValueKind::Int { min, max }, Value::Int(i)) => {
                if i < min || i > max {
                    Err(("out_of_range", format!("{i} is outside the allowed range {min}..={max}")))
                } else {
                    Ok(())
                }
            }
            (ValueKind::Decimal { min, max }, Value::Decimal(d)) => {
                if d < min || d > max {
                    Err(("out_of_range", format!("{d} is outside the allowed range {min}..={max}")))
                } else {
                    Ok(())
                }
            }
            (ValueKind::Bool, Value::Bool(_)) | (ValueKind::Time, Value::Time(_)) => Ok(()),
            (ValueKind::Text { choices }, Value::Text(s)) => {
                if s.trim().is_empty() {
                    Err(("invalid_choice", "the text is empty".to_string()))
                } else if !choices.is_empty() && !choices.contains(&s.as_str()) {
                    Err(("invalid_choice", format!("`{s}` is not one of {}", choices.join(", "))))
                } else {
                    Ok(())
                }
            }
            (ValueKind::Custom { check, .. }, v) => check(v).map_err(|m| ("invalid_value", m)),
            (kind, _) => wrong(&kind.describe()),
        }
    }
}

/// One parameter a policy file may set.
#[derive(Clone, Copy, Debug)]
pub struct ParamSpec {
    /// The dotted key, e.g. `"abk.effective_minutes_per_year"`.
    pub key: &'static str,
    /// Its kind and allowed range.
    pub kind: ValueKind,
    /// What it means, with the Indonesian term where one exists.
    pub doc: &'static str,
}

/// Builds a non-negative decimal bound at compile time: `dec(90, 2)` is `0.90`.
#[allow(dead_code)] // used as soon as a decimal parameter is catalogued
const fn dec(units: u32, scale: u32) -> Decimal {
    Decimal::from_parts(units, 0, 0, false, scale)
}

/// Every catalogued parameter. One entry per key; keep them grouped by module.
pub static CATALOGUE: &[ParamSpec] = &[
    // --- Workload analysis (ABK, Analisis Beban Kerja) ---
    ParamSpec {
        key: "abk.effective_minutes_per_year",
        kind: ValueKind::Int { min: 1, max: 525_600 },
        doc: "Effective working time per employee per year in minutes (waktu kerja efektif), the divisor of staff need and efficiency.",
    },
    ParamSpec {
        key: "abk.days_per_year",
        kind: ValueKind::Int { min: 1, max: 366 },
        doc: "Effective working days per year (hari kerja efektif): converts task volumes stated per day to per year.",
    },
    ParamSpec {
        key: "abk.weeks_per_year",
        kind: ValueKind::Int { min: 1, max: 53 },
        doc: "Effective working weeks per year: converts task volumes stated per week to per year.",
    },
    ParamSpec {
        key: "abk.months_per_year",
        kind: ValueKind::Int { min: 1, max: 12 },
        doc: "Months per year: converts task volumes stated per month to per year.",
    },
    ParamSpec {
        key: "abk.grade_bands",
        kind: ValueKind::Custom {
            describe: "list of {grade, lower, lower_inclusive} for grades A..E, best first",
            check: check_grade_bands,
        },
        doc: "Efficiency grade bands (prestasi kerja jabatan / unit): the lower bound of each grade A..E, used for positions and units alike.",
    },
    // --- targets ---
    ParamSpec {
        key: "targets.daily_minutes",
        kind: ValueKind::Int { min: 1, max: crate::targets::MAX_DAILY_MINUTES },
        doc: "Minutes of verified work owed per target day (menit kerja efektif per hari): the monthly minute target is target days x this.",
    },
    ParamSpec {
        key: "targets.reducing_absences",
        kind: ValueKind::Custom {
            describe: "list of absence-kind codes (\"leave.annual\", \"sick\", ...), each at most once",
            check: check_reducing_absences,
        },
        doc: "Absence kinds whose working days reduce the monthly minute target (e.g. cuti); official travel (dinas luar) normally does not.",
    },
    // --- end targets ---
    // --- activity --- (daily activity log, log harian / aktivitas harian; see crate::activity)
    ParamSpec {
        key: "activity.daily_cap_minutes",
        kind: ValueKind::Int { min: 1, max: 1440 },
        doc: "Most minutes of activity credited for one day (batas menit per hari), applied when activity.cap_daily is true.",
    },
    ParamSpec {
        key: "activity.cap_daily",
        kind: ValueKind::Bool,
        doc: "Whether a day's credited minutes are capped at activity.daily_cap_minutes.",
    },
    ParamSpec {
        key: "activity.cap_by_time_span",
        kind: ValueKind::Bool,
        doc: "Whether an entry's credited minutes (quantity x standard minutes) are capped by its own time span (end - start).",
    },
    ParamSpec {
        key: "activity.entry_window_working_days",
        kind: ValueKind::Int { min: 0, max: 366 },
        doc: "How many working days after its date an activity may still be logged (batas input mundur); 0 = the same day only.",
    },
    ParamSpec {
        key: "activity.allow_non_working_days",
        kind: ValueKind::Bool,
        doc: "Whether activities may be logged on weekends and holidays (hari libur).",
    },
    ParamSpec {
        key: "activity.overtime_before_minutes",
        kind: ValueKind::Int { min: 0, max: 1440 },
        doc: "How many minutes before the day's scheduled start (jam masuk) an activity may begin.",
    },
    ParamSpec {
        key: "activity.overtime_after_minutes",
        kind: ValueKind::Int { min: 0, max: 1440 },
        doc: "How many minutes after the day's scheduled end (jam pulang) an activity may finish (lembur).",
    },
    ParamSpec {
        key: "activity.verification_deadline_working_days",
        kind: ValueKind::Int { min: 0, max: 366 },
        doc: "Working days after the month's last day by which the supervisor must verify the month's activities (batas verifikasi).",
    },
    ParamSpec {
        key: "activity.pending_at_deadline",
        kind: ValueKind::Text { choices: &["not_counted", "auto_approve"] },
        doc: "What happens to activities still awaiting verification at the deadline: not_counted, or auto_approve (counted as claimed).",
    },
    // --- end activity ---
    // --- Attendance (presensi) and roll call (apel) ---
    ParamSpec {
        key: "attendance.late_grace_seconds",
        kind: ValueKind::Int { min: 0, max: 3600 },
        doc: "Seconds after the scheduled start still counted as on time (toleransi keterlambatan); past it, lateness is counted from the start, rounded by attendance.minute_rounding.",
    },
    ParamSpec {
        key: "attendance.minute_rounding",
        kind: ValueKind::Text { choices: &["started", "whole"] },
        doc: "How seconds of lateness or early leave past the grace become minutes: every started minute (\"started\", ceil) or whole minutes only (\"whole\", floor).",
    },
    ParamSpec {
        key: "attendance.early_grace_seconds",
        kind: ValueKind::Int { min: 0, max: 3600 },
        doc: "Seconds before the scheduled end still counted as on time for early leave (pulang sebelum waktunya, PSW).",
    },
    ParamSpec {
        key: "attendance.band_limits_minutes",
        kind: ValueKind::Custom {
            describe: "list of three strictly ascending minute limits, e.g. [30, 60, 90]",
            check: check_band_limits,
        },
        doc: "Upper limits of late-arrival (TL) and early-leave (PSW) bands 1-3 in minutes; band 4 is above the third.",
    },
    ParamSpec {
        key: "attendance.missing_check_in",
        kind: ValueKind::Text { choices: &["band4", "absent"] },
        doc: "What a missing check-in (absen masuk) counts as: the worst late band TL4, or an unexcused absent day.",
    },
    ParamSpec {
        key: "attendance.missing_check_out",
        kind: ValueKind::Text { choices: &["band4", "absent"] },
        doc: "What a missing check-out (absen pulang) counts as: the worst early-leave band PSW4, or an unexcused absent day.",
    },
    ParamSpec {
        key: "attendance.permit_cap_per_month",
        kind: ValueKind::Int { min: 0, max: 31 },
        doc: "Most permit (izin) working days per employee per calendar month; 31 means no effective cap.",
    },
    ParamSpec {
        key: "attendance.evidence_required",
        kind: ValueKind::Custom {
            describe: "list of distinct absence codes, e.g. [\"official_travel\"]",
            check: check_evidence,
        },
        doc: "Absence kinds (by code) that need a supporting document (SK cuti, surat keterangan dokter, surat tugas).",
    },
    ParamSpec {
        key: "attendance.shift_scan_margin_minutes",
        kind: ValueKind::Int { min: 0, max: 720 },
        doc: "For rostered shifts: how many minutes before a shift's start and after its end a scan still belongs to that shift (a night shift's check-out the next morning is the shift's).",
    },
    ParamSpec {
        key: "attendance.geofence_outside",
        kind: ValueKind::Text { choices: &["refuse", "flag", "accept"] },
        doc: "What happens to a phone clock-in farther from every work site of the employee's unit than the site's radius: refused, recorded and flagged for review, or recorded (the verdict is stored in every case).",
    },
    ParamSpec {
        key: "attendance.geofence_no_position",
        kind: ValueKind::Text { choices: &["refuse", "flag", "accept"] },
        doc: "What happens to a phone clock-in without a position (location off) for an employee whose unit has a work site: refused, recorded and flagged for review, or recorded.",
    },
    // --- record --- (how the month's record treats late receipts; see crate::ledger)
    ParamSpec {
        key: "record.claim_window_working_days",
        kind: ValueKind::Int { min: 0, max: 366 },
        doc: "How many working days before its receipt a command may claim to have been made (an offline phone, an attendance machine's log imported later); 0 = the same day.",
    },
    ParamSpec {
        key: "record.clock_skew_minutes",
        kind: ValueKind::Int { min: 0, max: 1440 },
        doc: "How many minutes after its receipt a claimed time may lie (clocks that run fast).",
    },
    ParamSpec {
        key: "record.self_reported_absences",
        kind: ValueKind::Custom {
            describe: "list of distinct absence codes, e.g. [\"permit\", \"sick\"]",
            check: check_evidence,
        },
        doc: "Absence kinds (by code) an employee may record for themselves; every other kind is recorded by an HR officer on evidence.",
    },
    ParamSpec {
        key: "rollcall.morning",
        kind: ValueKind::Bool,
        doc: "Whether a morning roll call (apel pagi) is held on every working day.",
    },
    ParamSpec {
        key: "rollcall.afternoon",
        kind: ValueKind::Bool,
        doc: "Whether an afternoon roll call (apel sore) is held on every working day.",
    },
    // --- allowance --- (monthly allowance, TPP; see crate::allowance)
    ParamSpec {
        key: "allowance.ceiling_method",
        kind: ValueKind::Text { choices: &["table", "bpk_index"] },
        doc: "How the ceiling (pagu TPP) of a job class is found: a plain table, or the BPK tukin table x IKFD x IKK x IPPD rounded up.",
    },
    ParamSpec {
        key: "allowance.ceilings",
        kind: ValueKind::Custom {
            describe: "table from job class \"1\"..\"17\" to a quoted rupiah amount",
            check: check_allowance_class_table,
        },
        doc: "Ceiling (pagu TPP) per job class (kelas jabatan) in rupiah, used when allowance.ceiling_method = table (every class 1..17 required then).",
    },
    ParamSpec {
        key: "allowance.bpk_table",
        kind: ValueKind::Custom {
            describe: "table from job class \"1\"..\"17\" to a quoted rupiah amount",
            check: check_allowance_class_table,
        },
        doc: "BPK tukin table value per job class in rupiah, the base of the bpk_index ceiling method.",
    },
    ParamSpec {
        key: "allowance.ikfd",
        kind: ValueKind::Decimal { min: Decimal::ZERO, max: Decimal::ONE_HUNDRED },
        doc: "Fiscal-capacity index (Indeks Kapasitas Fiskal Daerah, IKFD) of the bpk_index ceiling.",
    },
    ParamSpec {
        key: "allowance.ikk",
        kind: ValueKind::Decimal { min: Decimal::ZERO, max: Decimal::ONE_HUNDRED },
        doc: "Construction-cost index (Indeks Kemahalan Konstruksi, IKK) of the bpk_index ceiling.",
    },
    ParamSpec {
        key: "allowance.ippd",
        kind: ValueKind::Decimal { min: Decimal::ZERO, max: Decimal::ONE_HUNDRED },
        doc: "Governance index (Indeks Penyelenggaraan Pemerintahan Daerah, IPPD) of the bpk_index ceiling.",
    },
    ParamSpec {
        key: "allowance.bpk_rounding_unit",
        kind: ValueKind::Int { min: 1, max: 1_000_000 },
        doc: "The bpk_index ceiling is rounded UP to a multiple of this many rupiah.",
    },
    ParamSpec {
        key: "allowance.weight_performance",
        kind: ValueKind::Decimal { min: Decimal::ZERO, max: Decimal::ONE_HUNDRED },
        doc: "Percent of the allowance paid for performance (kinerja); with allowance.weight_discipline it must sum to 100.",
    },
    ParamSpec {
        key: "allowance.weight_discipline",
        kind: ValueKind::Decimal { min: Decimal::ZERO, max: Decimal::ONE_HUNDRED },
        doc: "Percent of the allowance paid for discipline (disiplin), the part deductions come from in the 60/40 model.",
    },
    ParamSpec {
        key: "allowance.deduction.late",
        kind: ValueKind::Custom {
            describe: "list of 4 quoted percents for TL1..TL4, e.g. [\"0.5\", \"1\", \"1.25\", \"1.5\"]",
            check: check_allowance_percent_list4,
        },
        doc: "Percent deducted per day of late arrival (terlambat) in bands TL1..TL4.",
    },
    ParamSpec {
        key: "allowance.deduction.early",
        kind: ValueKind::Custom {
            describe: "list of 4 quoted percents for PSW1..PSW4",
            check: check_allowance_percent_list4,
        },
        doc: "Percent deducted per day of early leave (pulang sebelum waktunya) in bands PSW1..PSW4.",
    },
    ParamSpec {
        key: "allowance.deduction.unexcused_per_day",
        kind: ValueKind::Decimal { min: Decimal::ZERO, max: Decimal::ONE_HUNDRED },
        doc: "Percent deducted per unexcused day (tanpa keterangan, TK; alpa).",
    },
    ParamSpec {
        key: "allowance.deduction.roll_call_per_miss",
        kind: ValueKind::Decimal { min: Decimal::ZERO, max: Decimal::ONE_HUNDRED },
        doc: "Percent deducted per missed morning or afternoon roll call (apel pagi / apel sore).",
    },
    ParamSpec {
        key: "allowance.deduction.ceremony_per_miss",
        kind: ValueKind::Decimal { min: Decimal::ZERO, max: Decimal::ONE_HUNDRED },
        doc: "Percent deducted per missed ceremony (upacara).",
    },
    ParamSpec {
        key: "allowance.deduction.absence_per_day",
        kind: ValueKind::Custom {
            describe: "table from absence code (\"permit\", \"leave.unpaid\", ...) to a quoted percent per working day",
            check: check_allowance_absence_rates,
        },
        doc: "Percent deducted per working day of each absence kind (izin, sakit, cuti, ...); kinds not listed deduct nothing.",
    },
    ParamSpec {
        key: "allowance.deductions_from",
        kind: ValueKind::Text { choices: &["discipline_part", "whole"] },
        doc: "Whether deductions are a percentage of the discipline part (regional 60/40 model) or of the whole allowance (central tukin).",
    },
    ParamSpec {
        key: "allowance.gate.enabled",
        kind: ValueKind::Bool,
        doc: "Whether low attendance (kehadiran) pays only a share of the allowance (allowance.gate.bands).",
    },
    ParamSpec {
        key: "allowance.gate.bands",
        kind: ValueKind::Custom {
            describe: "list of {below, pay} quoted percents, below strictly ascending, e.g. [{below = \"25\", pay = \"0\"}]",
            check: check_allowance_gate_bands,
        },
        doc: "Attendance gate bands: below `below` % of assigned days present, `pay` % of the allowance is paid (first matching band).",
    },
    ParamSpec {
        key: "allowance.cpns_percent",
        kind: ValueKind::Decimal { min: Decimal::ZERO, max: Decimal::ONE_HUNDRED },
        doc: "Percent of the allowance paid to candidate civil servants (CPNS).",
    },
    ParamSpec {
        key: "allowance.sanctions",
        kind: ValueKind::Custom {
            describe: "table from level to {cut = quoted percent, months = [allowed durations]}",
            check: check_allowance_sanctions,
        },
        doc: "Disciplinary sanction levels (hukuman disiplin): the allowance cut while in force and the durations a decision may impose.",
    },
    ParamSpec {
        key: "allowance.acting_percent",
        kind: ValueKind::Decimal { min: Decimal::ZERO, max: Decimal::ONE_HUNDRED },
        doc: "Percent of the acted position's ceiling added for an acting assignment (Pelaksana Tugas, Plt).",
    },
    ParamSpec {
        key: "allowance.acting_min_days",
        kind: ValueKind::Int { min: 0, max: 31 },
        doc: "Working days of acting (Plt) in the month needed for the acting addition.",
    },
    ParamSpec {
        key: "allowance.acting_pppk",
        kind: ValueKind::Bool,
        doc: "Whether a PPPK employee's acting assignment (Plt) earns the acting add-on.",
    },
    ParamSpec {
        key: "allowance.proration",
        kind: ValueKind::Bool,
        doc: "Whether the ceiling is prorated (prorata) by the working days the employee held a definitive position.",
    },
    ParamSpec {
        key: "allowance.tax.method",
        kind: ValueKind::Text { choices: &["flat_by_group", "ter_monthly"] },
        doc: "How income tax (PPh 21) on the allowance is withheld: a flat rate by rank group (flat_by_group), or the monthly average effective rate (TER) of the employee's PTKP category (ter_monthly, PP 58/2023).",
    },
    ParamSpec {
        key: "allowance.tax.flat",
        kind: ValueKind::Custom {
            describe: "table from rank group \"I\"..\"IV\" (all four) to a quoted percent",
            check: check_allowance_tax_flat,
        },
        doc: "Flat income-tax (PPh 21) rate by rank group (golongan).",
    },
    ParamSpec {
        key: "allowance.tax.flat_pppk",
        kind: ValueKind::Custom {
            describe: "table from PPPK grade \"I\"..\"XVII\" (all seventeen) to a quoted percent",
            check: check_allowance_tax_flat_pppk,
        },
        doc: "Flat income-tax (PPh 21) rate by PPPK grade (golongan I-XVII, Perpres 98/2020), for the flat_by_group method.",
    },
    ParamSpec {
        key: "allowance.bpjs.percent",
        kind: ValueKind::Decimal { min: Decimal::ZERO, max: Decimal::ONE_HUNDRED },
        doc: "The employee's health contribution (iuran BPJS Kesehatan), percent of salary + allowance within the cap.",
    },
    ParamSpec {
        key: "allowance.bpjs.cap",
        kind: ValueKind::Decimal { min: Decimal::ZERO, max: Decimal::MAX },
        doc: "Cap of salary + allowance counted for the health contribution (batas atas upah BPJS), rupiah.",
    },
    ParamSpec {
        key: "allowance.rounding",
        kind: ValueKind::Text { choices: &["half_up", "half_even", "down", "up"] },
        doc: "How every slip amount is rounded (pembulatan).",
    },
    ParamSpec {
        key: "allowance.rounding_scale",
        kind: ValueKind::Int { min: 0, max: 2 },
        doc: "Decimal places kept on slip amounts (0 = whole rupiah).",
    },
    ParamSpec {
        key: "allowance.cutoff_days",
        kind: ValueKind::Custom {
            describe: "table from \"YYYY-MM\" to the last day of that month counted",
            check: check_allowance_cutoff_days,
        },
        doc: "Months a city cuts off early (tanggal tutup buku): the last day counted; the caller counts working days up to it.",
    },
    ParamSpec {
        key: "allowance.components",
        kind: ValueKind::Custom {
            describe: "list of {id, criterion, by = \"ceiling\" | \"class\" | \"position\", amounts}; empty = the ceiling alone",
            check: check_allowance_components,
        },
        doc: "Components of the monthly TPP amount by criterion (beban kerja, tempat bertugas, kondisi kerja, kelangkaan profesi, prestasi kerja, pertimbangan objektif lainnya; PP 12/2019 art. 58), each with its amount per job class or per position, or the ceiling of allowance.ceiling_method; the amount is their sum. Empty: the ceiling alone.",
    },
    ParamSpec {
        key: "allowance.parts",
        kind: ValueKind::Custom {
            describe: "list of {id, weight = quoted percent, measure = \"activity\" | \"full\", deductions = [kinds]}",
            check: check_allowance_parts,
        },
        doc: "The parts the allowance is paid in (60/40, 70/30, 50/30/20, ...): each part's weight (summing to 100; performance and discipline may take allowance.weight_performance / weight_discipline), how it is earned (verified activity, or in full) and the deduction kinds (late, early, unexcused, roll_call, ceremony, absence) charged to it, each kind to exactly one part.",
    },
    ParamSpec {
        key: "allowance.discipline_counts",
        kind: ValueKind::Custom {
            describe: "table from event kind (late, early, roll_call, ceremony) to {free, every, days, forfeit_at}",
            check: check_allowance_discipline_counts,
        },
        doc: "Count-based discipline rules per month: the first `free` events deduct nothing; every `every` late arrivals or early leaves count as `days` days at the unexcused rate; from `forfeit_at` events the kind's part is forfeited. Empty: every event deducts at its rate.",
    },
    ParamSpec {
        key: "allowance.acting.by_relation",
        kind: ValueKind::Custom {
            describe: "table from \"higher\", \"equal\", \"lower\" to a quoted percent of the acted ceiling or \"difference\"",
            check: check_allowance_acting_by_relation,
        },
        doc: "What acting (Plt/Plh) in a higher, equal or lower post than one's own adds: a percent of the acted post's ceiling, or \"difference\" (the acted ceiling instead of one's own); a relation not listed adds allowance.acting_percent.",
    },
    ParamSpec {
        key: "allowance.acting.max_addons",
        kind: ValueKind::Int { min: 0, max: 31 },
        doc: "How many acting add-ons are paid in a month, the highest first (0 = no limit).",
    },
    ParamSpec {
        key: "allowance.acting.plh",
        kind: ValueKind::Bool,
        doc: "Whether a daily acting official (Pelaksana Harian, Plh) earns the acting add-on like a Plt.",
    },
    ParamSpec {
        key: "allowance.sanction.cuts_acting",
        kind: ValueKind::Bool,
        doc: "Whether a disciplinary sanction's cut also applies to the acting add-ons (otherwise they are spared).",
    },
    ParamSpec {
        key: "allowance.sanction.window_start",
        kind: ValueKind::Text { choices: &["effective_month", "next_full_month"] },
        doc: "From which month a sanction counts: the month of its effective date (TMT), or the first month it wholly covers.",
    },
    ParamSpec {
        key: "allowance.tax.ter",
        kind: ValueKind::Custom {
            describe: "table from TER category \"A\", \"B\", \"C\" to a list of {up_to = quoted rupiah, rate = quoted percent} brackets, ascending, the last without up_to; {} when no TER is in force",
            check: check_allowance_tax_ter,
        },
        doc: "Monthly average effective income-tax rates (Tarif Efektif Rata-rata, TER; PP 58/2023 Lampiran) by category of PTKP status, for the ter_monthly method.",
    },
    ParamSpec {
        key: "allowance.tax.ter_base",
        kind: ValueKind::Text { choices: &["allowance", "salary_and_allowance"] },
        doc: "Which monthly income the TER bracket is found from: the gross allowance alone, or the salary plus the gross allowance (the rate is applied to the allowance).",
    },
    // --- end allowance ---
    // --- social --- (internal social space: classified ads and chat; see crate::social)
    ParamSpec {
        key: "social.ad_expiry_days",
        kind: ValueKind::Int { min: 1, max: 365 },
        doc: "Days an ad (iklan) stays on the board before it expires; renewal starts the count again.",
    },
    ParamSpec {
        key: "social.active_ads_per_employee",
        kind: ValueKind::Int { min: 1, max: 100 },
        doc: "Most active (unexpired, unsold, not withdrawn) ads one employee may have at once.",
    },
    ParamSpec {
        key: "social.ad_posts_per_day",
        kind: ValueKind::Int { min: 1, max: 100 },
        doc: "Most ads one employee may post in 24 hours (rate limit against flooding the board).",
    },
    ParamSpec {
        key: "social.ad_title_max_chars",
        kind: ValueKind::Int { min: 10, max: 500 },
        doc: "Most characters of an ad's title.",
    },
    ParamSpec {
        key: "social.ad_description_max_chars",
        kind: ValueKind::Int { min: 10, max: 20000 },
        doc: "Most characters of an ad's description.",
    },
    ParamSpec { key: "social.ad_photos_max", kind: ValueKind::Int { min: 0, max: 20 }, doc: "Most photos on one ad." },
    ParamSpec {
        key: "social.photo_max_bytes",
        kind: ValueKind::Int { min: 10000, max: 20000000 },
        doc: "Largest photo upload (JPEG, PNG or WebP), bytes.",
    },
    ParamSpec {
        key: "social.message_max_chars",
        kind: ValueKind::Int { min: 1, max: 20000 },
        doc: "Most characters of one chat message (pesan).",
    },
    ParamSpec {
        key: "social.message_edit_minutes",
        kind: ValueKind::Int { min: 0, max: 1440 },
        doc: "Minutes after sending during which a message may still be edited.",
    },
    ParamSpec {
        key: "social.messages_per_minute",
        kind: ValueKind::Int { min: 1, max: 1000 },
        doc: "Most messages one employee may send in a minute (rate limit against spam).",
    },
    ParamSpec {
        key: "social.message_retention_days",
        kind: ValueKind::Int { min: 1, max: 3650 },
        doc: "Days a chat message is kept (retensi); older message texts are erased from storage.",
    },
    ParamSpec {
        key: "social.admin_access_minutes",
        kind: ValueKind::Int { min: 1, max: 1440 },
        doc: "Minutes an administrator may read a conversation they are not in after recording a reason.",
    },
    // --- end social ---

    // --- insights: budget, readiness, the seven uses, awards (kinerja::insights) ---
    ParamSpec {
        key: "budget.behind_plan_percent",
        kind: ValueKind::Decimal { min: Decimal::ZERO, max: Decimal::ONE_HUNDRED },
        doc: "A sub-activity, programme or unit is behind plan when its cumulative realisation is below its cumulative disbursement plan by more than this percent of the plan.",
    },
    ParamSpec {
        key: "readiness.electronic_attendance_percent",
        kind: ValueKind::Decimal { min: Decimal::ZERO, max: Decimal::ONE_HUNDRED },
        doc: "Readiness requirement 5 (absensi elektronik): the least share of a unit's employees' working days, not covered by an absence, with an electronic scan.",
    },
    ParamSpec {
        key: "insights.months",
        kind: ValueKind::Int { min: 1, max: 24 },
        doc: "N months of the training and transfer/promotion reports (under target, or sustained achievement and discipline, in each of the last N months).",
    },
    ParamSpec {
        key: "insights.restructuring.merge_below",
        kind: ValueKind::Decimal { min: Decimal::ZERO, max: dec(1000, 2) },
        doc: "Unit efficiency (EU) below which the restructuring report recommends merging the unit (penggabungan).",
    },
    ParamSpec {
        key: "insights.restructuring.slim_below",
        kind: ValueKind::Decimal { min: Decimal::ZERO, max: dec(1000, 2) },
        doc: "Unit efficiency (EU) below which the restructuring report recommends slimming the unit (perampingan).",
    },
    ParamSpec {
        key: "insights.procedures.drift_percent",
        kind: ValueKind::Decimal { min: Decimal::ZERO, max: dec(1000, 0) },
        doc: "A task whose minutes spent per output unit differ from its standard time (norma waktu) by more than this percent is reported for the next job analysis.",
    },
    ParamSpec {
        key: "insights.training.achievement_below",
        kind: ValueKind::Decimal { min: Decimal::ZERO, max: dec(1000, 0) },
        doc: "Monthly achievement (percent of target) under which a month counts toward a training need (kebutuhan diklat).",
    },
    ParamSpec {
        key: "insights.training.returned_percent",
        kind: ValueKind::Decimal { min: Decimal::ZERO, max: Decimal::ONE_HUNDRED },
        doc: "Share of an employee's entries returned for revision at or above which training is recommended.",
    },
    ParamSpec {
        key: "insights.promotion.achievement_at_least",
        kind: ValueKind::Decimal { min: Decimal::ZERO, max: dec(1000, 0) },
        doc: "Monthly achievement (percent of target) needed in each of the last N months for the transfer and promotion list (mutasi dan promosi).",
    },
    ParamSpec {
        key: "insights.promotion.min_years_in_rank",
        kind: ValueKind::Int { min: 0, max: 10 },
        doc: "Whole years an employee must have held their current rank (from its TMT, the employee's `rank_since`) to be eligible for a regular promotion in the transfer and promotion report.",
    },
    ParamSpec {
        key: "insights.retirement_age",
        kind: ValueKind::Custom {
            describe: "table from every position kind (leadership, administrator, supervisor, functional, executor) to an age 40..=75",
            check: check_insights_retirement_age,
        },
        doc: "Retirement age (batas usia pensiun, BUP) by position kind, for the staffing report's retirement projection.",
    },
    ParamSpec {
        key: "insights.sanction_ladder",
        kind: ValueKind::Custom {
            describe: "list of {from_days, level = light|medium|heavy, sanction = code}, from_days strictly ascending",
            check: check_insights_sanction_ladder,
        },
        doc: "The cumulative unexcused-days ladder (hukuman disiplin for tidak masuk kerja tanpa alasan yang sah): from `from_days` days in a year the sanction is recommended.",
    },
    ParamSpec {
        key: "insights.consecutive_unexcused_days",
        kind: ValueKind::Int { min: 1, max: 366 },
        doc: "Consecutive unexcused working days (tanpa keterangan) that reach the heaviest sanction whatever the cumulative count (dismissal under PP 94/2021).",
    },
    ParamSpec {
        key: "insights.verification.late_hours",
        kind: ValueKind::Int { min: 0, max: 720 },
        doc: "A supervisor's decision within this many hours before the verification deadline counts as last-minute in the verification-quality report.",
    },
    ParamSpec {
        key: "awards.weights",
        kind: ValueKind::Custom {
            describe: "table {achievement, discipline} of quoted percents summing to 100",
            check: check_awards_weights,
        },
        doc: "Best Performance scoring rule: percent of the score from mean achievement (capped at 100 %) and from mean presence.",
    },
];

/// Every catalogued parameter, in catalogue order.
pub fn catalogue() -> &'static [ParamSpec] {
    CATALOGUE
}

/// The catalogue entry for `key`, if the key exists.
pub fn spec(key: &str) -> Option<&'static ParamSpec> {
    CATALOGUE.iter().find(|s| s.key == key)
}

/// Whether `prefix` is a proper dotted prefix of some catalogued key (`"abk"` is).
pub(crate) fn is_key_prefix(prefix: &str) -> bool {
    CATALOGUE
        .iter()
        .any(|s| s.key.len() > prefix.len() && s.key.starts_with(prefix) && s.key[prefix.len()..].starts_with('.'))
}

/// The checker of `targets.reducing_absences`.
fn check_reducing_absences(value: &Value) -> Result<(), String> {
    crate::targets::reducing_absences_from_policy_value(value).map(|_| ())
}

/// The checker of `abk.grade_bands`.
fn check_grade_bands(value: &Value) -> Result<(), String> {
    crate::abk::GradeBands::from_policy_value(value).map(|_| ())
}

/// The checker of `attendance.band_limits_minutes`.
fn check_band_limits(value: &Value) -> Result<(), String> {
    crate::attendance::BandLimits::from_policy_value(value).map(|_| ())
}

/// The checker of `attendance.evidence_required`.
fn check_evidence(value: &Value) -> Result<(), String> {
    crate::attendance::evidence_codes(value).map(|_| ())
}

// --- allowance ---
/// The checker of `allowance.ceilings` and `allowance.bpk_table`.
fn check_allowance_class_table(value: &Value) -> Result<(), String> {
    crate::allowance::class_table(value).map(|_| ())
}

/// The checker of `allowance.deduction.late` and `.early`.
fn check_allowance_percent_list4(value: &Value) -> Result<(), String> {
    crate::allowance::percent_list4(value).map(|_| ())
}

/// The checker of `allowance.deduction.absence_per_day`.
fn check_allowance_absence_rates(value: &Value) -> Result<(), String> {
    crate::allowance::absence_rates(value).map(|_| ())
}

/// The checker of `allowance.gate.bands`.
fn check_allowance_gate_bands(value: &Value) -> Result<(), String> {
    crate::allowance::gate_bands(value).map(|_| ())
}

/// The checker of `allowance.sanctions`.
fn check_allowance_sanctions(value: &Value) -> Result<(), String> {
    crate::allowance::sanction_levels(value).map(|_| ())
}

/// The checker of `allowance.tax.flat`.
fn check_allowance_tax_flat(value: &Value) -> Result<(), String> {
    crate::allowance::tax_flat(value).map(|_| ())
}

/// The checker of `allowance.tax.flat_pppk`.
fn check_allowance_tax_flat_pppk(value: &Value) -> Result<(), String> {
    crate::allowance::tax_flat_pppk(value).map(|_| ())
}

/// The checker of `allowance.acting.by_relation`.
fn check_allowance_acting_by_relation(value: &Value) -> Result<(), String> {
    crate::allowance::acting_by_relation(value).map(|_| ())
}

/// The checker of `allowance.tax.ter`.
fn check_allowance_tax_ter(value: &Value) -> Result<(), String> {
    crate::allowance::ter_table(value).map(|_| ())
}

/// The checker of `allowance.cutoff_days`.
fn check_allowance_cutoff_days(value: &Value) -> Result<(), String> {
    crate::allowance::cutoff_days(value).map(|_| ())
}
/// The checker of `allowance.components`.
fn check_allowance_components(value: &Value) -> Result<(), String> {
    crate::allowance::criteria_components(value).map(|_| ())
}

/// The checker of `allowance.parts`.
fn check_allowance_parts(value: &Value) -> Result<(), String> {
    crate::allowance::criteria_parts(value).map(|_| ())
}

/// The checker of `allowance.discipline_counts`.
fn check_allowance_discipline_counts(value: &Value) -> Result<(), String> {
    crate::allowance::count_rules(value).map(|_| ())
}
// --- end allowance ---

/// The checker of `insights.retirement_age`.
fn check_insights_retirement_age(value: &Value) -> Result<(), String> {
    crate::insights::retirement_ages(value).map(|_| ())
}

/// The checker of `insights.sanction_ladder`.
fn check_insights_sanction_ladder(value: &Value) -> Result<(), String> {
    crate::insights::sanction_ladder(value).map(|_| ())
}

/// The checker of `awards.weights`.
fn check_awards_weights(value: &Value) -> Result<(), String> {
    crate::insights::award_weights(value).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    fn band(grade: &str, lower: &str, inclusive: bool) -> Value {
        let mut t = BTreeMap::new();
        t.insert("grade".to_string(), Value::Text(grade.into()));
        t.insert("lower".to_string(), Value::Text(lower.into()));
        t.insert("lower_inclusive".to_string(), Value::Bool(inclusive));
        Value::Table(t)
    }

    fn national_bands() -> Value {
        Value::List(vec![
            band("A", "1.00", false),
            band("B", "0.90", true),
            band("C", "0.70", true),
            band("D", "0.50", true),
            band("E", "0", true),
        ])
    }

    #[test]
    fn catalogue_keys_are_unique_and_dotted() {
        let keys: BTreeSet<_> = CATALOGUE.iter().map(|s| s.key).collect();
        assert_eq!(keys.len(), CATALOGUE.len());
        assert!(CATALOGUE.iter().all(|s| s.key.contains('.') && !s.key.starts_with("layer")));
        assert!(CATALOGUE.iter().all(|s| !s.doc.is_empty()));
        assert!(is_key_prefix("abk"));
        assert!(!is_key_prefix("ab"));
        assert!(!is_key_prefix("abk.days_per_year"));
    }

    #[test]
    fn dec_builds_exact_bounds() {
        assert_eq!(dec(90, 2), Decimal::new(90, 2));
        assert_eq!(dec(90, 2).to_string(), "0.90");
    }

    #[test]
    fn national_bands_grade_every_boundary() {
        let bands = crate::abk::GradeBands::from_policy_value(&national_bands()).expect("valid bands");
        let g = |s: &str| {
            let d = s.parse::<Decimal>().expect("test literal");
            Some(bands.grade(d).as_str().to_string())
        };
        // A: EJ > 1.00 ; B: 0.90 <= EJ <= 1.00 ; C: 0.70 <= EJ < 0.90 ; D: 0.50 <= EJ < 0.70 ; E: 0 <= EJ < 0.50
        assert_eq!(g("1.0001").as_deref(), Some("A"));
        assert_eq!(g("1.00").as_deref(), Some("B"));
        assert_eq!(g("0.90").as_deref(), Some("B"));
        assert_eq!(g("0.8999").as_deref(), Some("C"));
        assert_eq!(g("0.895").as_deref(), Some("C"));
        assert_eq!(g("0.70").as_deref(), Some("C"));
        assert_eq!(g("0.6999").as_deref(), Some("D"));
        assert_eq!(g("0.50").as_deref(), Some("D"));
        assert_eq!(g("0.4999").as_deref(), Some("E"));
        assert_eq!(g("0").as_deref(), Some("E"));
        assert_eq!(g("-0.01").as_deref(), Some("E"));
    }

    #[test]
    fn bad_bands_report_every_problem() {
        let v = Value::List(vec![
            band("A", "1.00", false),
            band("C", "0.90", true),
            band("B", "0.95", true),
            band("D", "0.50", true),
            band("E", "0.1", true),
        ]);
        let err = crate::abk::GradeBands::from_policy_value(&v).expect_err("bad bands");
        assert!(err.contains("[1].grade: expected `B`"), "{err}");
        assert!(err.contains("[2].grade: expected `C`"), "{err}");
        assert!(err.contains("[2].lower: 0.95 is not below"), "{err}");
        assert!(err.contains("[4]: the worst band must start at lower = \"0\" inclusive"), "{err}");

        let short = Value::List(vec![band("A", "1.00", false)]);
        assert!(crate::abk::GradeBands::from_policy_value(&short).expect_err("short").contains("expected 5 bands"));
        assert!(crate::abk::GradeBands::from_policy_value(&Value::Int(1)).is_err());
    }

    #[test]
    fn kinds_check_type_and_range() {
        let int = ValueKind::Int { min: 1, max: 366 };
        assert!(int.check(&Value::Int(1)).is_ok());
        assert!(int.check(&Value::Int(366)).is_ok());
        assert_eq!(int.check(&Value::Int(0)).map_err(|e| e.0), Err("out_of_range"));
        assert_eq!(int.check(&Value::Int(367)).map_err(|e| e.0), Err("out_of_range"));
        assert_eq!(int.check(&Value::Text("1".into())).map_err(|e| e.0), Err("wrong_type"));
        let d = ValueKind::Decimal { min: Decimal::ZERO, max: Decimal::ONE };
        assert!(d.check(&Value::Decimal(Decimal::ONE)).is_ok());
        assert_eq!(d.check(&Value::Decimal(Decimal::new(101, 2))).map_err(|e| e.0), Err("out_of_range"));
        let t = ValueKind::Text { choices: &["ter", "flat"] };
        assert!(t.check(&Value::Text("ter".into())).is_ok());
        assert_eq!(t.check(&Value::Text("other".into())).map_err(|e| e.0), Err("invalid_choice"));
    }
}
