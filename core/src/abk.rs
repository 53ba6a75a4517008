//! Workload analysis (Analisis Beban Kerja, ABK): how many people each position
//! and each work unit needs, how loaded the current staff are, and the grade A-E.
//!
//! # The method (PermenPAN-RB 1/2020)
//!
//! The job analysis ([`crate::anjab`]) gives every position its tasks; each task
//! has a volume of output (stated per day, week, month or year) and a standard
//! time per output unit (*norma waktu*, whole minutes). ABK turns them into
//! staffing figures:
//!
//! | quantity | formula |
//! |---|---|
//! | annual volume of a task | volume x periods per year ([`AbkParams::annual_volume`]) |
//! | workload of a task (minutes/year) | annual volume x standard minutes |
//! | staff needed (*kebutuhan pegawai*), in FTE | sum of the position's task workloads / effective minutes per year |
//! | position efficiency (*efisiensi jabatan*, EJ) | workload / (headcount x effective minutes) |
//! | unit efficiency (*efisiensi unit*, EU) | unit workload / (unit headcount x effective minutes) |
//! | grade (*prestasi kerja jabatan*, PJ) | the band of [`GradeBands`] the efficiency falls in |
//! | gap | staff needed - headcount (positive = understaffed) |
//!
//! A unit's workload, headcount and staff needed are the sums over its
//! positions; the city's totals are the sums over its units.
//!
//! # Effective working time is policy data
//!
//! PermenPAN-RB 1/2020 is cited for 1,250 hours a year = **75,000 minutes**;
//! older systems use 1,200 hours = **72,000 minutes** (5 h/day x 240 days), and
//! at least one public file writes "72000 = 1250 x 60". The same workload of
//! 72,000 minutes is 1.00 FTE under the first and 0.96 FTE under the second, so
//! the figure is never a constant here: it comes in [`AbkParams`], which the
//! caller fills from the city's policy with its legal reference. The same goes
//! for the number of working days, weeks and months in a year used to convert
//! volumes.
//!
//! # Grades, and the calculator trap
//!
//! The grade bands as commonly cited (PermenPAN-RB 1/2020, recalled; they match
//! public ABK calculators) are half-open intervals of the exact efficiency:
//!
//! | grade | efficiency |
//! |---|---|
//! | A | EJ > 1.00 |
//! | B | 0.90 <= EJ <= 1.00 |
//! | C | 0.70 <= EJ < 0.90 |
//! | D | 0.50 <= EJ < 0.70 |
//! | E | EJ < 0.50 |
//!
//! One public calculator grades EJ = 1.00 as **B for a position but A for a
//! unit**, because it wrote `> 1` in one formula and `>= 1` in the other. Here
//! a single [`GradeBands`] grades both positions and units, so the same ratio
//! always gets the same grade: EJ = 1.00 is B, and EU = 1.00 is B too. The
//! bands are data (built by [`GradeBands::new`], validated, or taken from
//! [`GradeBands::permenpan_1_2020`]), so a city whose regulation reads
//! differently changes data, not code.
//!
//! Note that grade A means the workload *exceeds* the staff's capacity: the
//! position is overloaded, not "excellent".
//!
//! # Exactness
//!
//! Every figure is an exact [`Decimal`]; nothing is a float. Volumes, workloads
//! and sums are exact. A quotient (staff needed, efficiency) is exact whenever
//! it terminates and is otherwise correct to the 28 significant digits a
//! `Decimal` holds: 75,000 and 72,000 both contain the factor 3, so 1/75,000 is
//! not a finite decimal. **Grading never uses the rounded quotient**: the grade
//! compares `workload` with `lower bound x headcount x effective minutes` by
//! exact multiplication ([`GradeBands::grade_ratio`]), so a position at
//! 0.8999... is C even if its efficiency would display as 0.90. Nothing is
//! rounded before grading; rounding is for presentation only
//! ([`round_for_display`], [`PositionWorkload::required_staff_rounded`]).
//!
//! # Example
//!
//! ```
//! use kinerja::abk::{analyse, AbkParams, EfficiencyGrade, GradeBands};
//! use kinerja::anjab::{JobAnalysis, Task, Volume, VolumePeriod};
//! use kinerja::org::{JobClass, Position, PositionKind, WorkUnit};
//! use kinerja::{Minutes, PositionId, TaskId, UnitId};
//! use rust_decimal::Decimal;
//!
//! let unit = WorkUnit { id: UnitId::from("SETDA"), name: "Sekretariat Daerah".into(), parent: None };
//! let task = |id: &str, qty: i64, per, minutes| Task {
//!     id: TaskId::from(id),
//!     name: id.into(),
//!     output: "dokumen".into(),
//!     output_unit: "dokumen".into(),
//!     standard_minutes: Minutes(minutes),
//!     volume: Volume { quantity: Decimal::from(qty), per },
//!     group: None,
//! };
//! let position = Position {
//!     id: PositionId::from("ARSIPARIS"),
//!     name: "Pengadministrasi Umum".into(),
//!     kind: PositionKind::Executor,
//!     job_class: JobClass::new(5).unwrap(),
//!     unit: unit.id.clone(),
//!     supervisor: None,
//!     analysis: JobAnalysis {
//!         tasks: vec![
//!             task("SURAT", 4, VolumePeriod::Day, 15),      // 4 x 250 x 15  = 15,000 min
//!             task("LAPORAN", 10, VolumePeriod::Month, 300), // 10 x 12 x 300 = 36,000 min
//!         ],
//!         ..JobAnalysis::default()
//!     },
//! };
//! let params = AbkParams {
//!     effective_minutes_per_year: 75_000,
//!     days_per_year: 250,
//!     weeks_per_year: 50,
//!     months_per_year: 12,
//!     grade_bands: GradeBands::permenpan_1_2020(),
//! };
//! let abk = analyse(&[unit], &[position], |_| 1, &params).unwrap();
//! let p = &abk.positions[0];
//! assert_eq!(p.workload_minutes, Decimal::from(51_000));
//! assert_eq!(p.required_staff, Decimal::new(68, 2)); // 51,000 / 75,000 = 0.68 FTE
//! assert_eq!(p.grade, Some(EfficiencyGrade::D));     // 0.50 <= 0.68 < 0.70
//! ```

use std::collections::{HashMap, HashSet};
use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::anjab::{Volume, VolumePeriod};
use crate::error::{ArithmeticError, Problem, ValidationErrors};
use crate::ids::{PositionId, TaskId, UnitId};
use crate::minutes::Minutes;
use crate::org::{Position, WorkUnit};
use crate::policy::{Binder, Bound, Policy, PolicyError, Value, parse_decimal_text, variant_name};

/// The grade of a position's or unit's efficiency (*prestasi kerja jabatan*, PJ).
///
/// Labels as commonly cited with the PermenPAN-RB 1/2020 table (recalled). The
/// bands themselves live in [`GradeBands`].
#[doc(alias = "prestasi kerja jabatan")]
#[doc(alias = "PJ")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EfficiencyGrade {
    /// *Sangat baik*: workload above capacity (EJ > 1.00 in the national table);
    /// the position is overloaded.
    A,
    /// *Baik*: workload close to capacity (0.90-1.00).
    B,
    /// *Cukup* (0.70-0.89).
    C,
    /// *Sedang* (0.50-0.69).
    D,
    /// *Kurang*: capacity largely unused (below 0.50).
    E,
}

impl EfficiencyGrade {
    /// All grades, best to worst: the order [`GradeBands`] requires.
    pub const ALL: [EfficiencyGrade; 5] =
        [EfficiencyGrade::A, EfficiencyGrade::B, EfficiencyGrade::C, EfficiencyGrade::D, EfficiencyGrade::E];

    /// The letter, `"A"` to `"E"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            EfficiencyGrade::A => "A",
            EfficiencyGrade::B => "B",
            EfficiencyGrade::C => "C",
            EfficiencyGrade::D => "D",
            EfficiencyGrade::E => "E",
        }
    }
}

impl fmt::Display for EfficiencyGrade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One grade band: efficiencies at or above (`lower_inclusive`) or strictly
/// above `lower`, and below the next better band's bound, get `grade`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeBand {
    /// The grade given.
    pub grade: EfficiencyGrade,
    /// The band's lower bound (an efficiency ratio, 1.00 = fully loaded).
    #[serde(with = "rust_decimal::serde::str")]
    pub lower: Decimal,
    /// Whether an efficiency exactly at `lower` belongs to this band (`>=`) or
    /// to the next worse one (`>`).
    pub lower_inclusive: bool,
}

/// The grade bands A-E, ordered best to worst, as validated half-open intervals.
///
/// A value is graded by the first band (from A down) whose lower bound it
/// reaches. The same bands grade positions (EJ) and units (EU); see the module
/// docs for the public-calculator trap this avoids.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<GradeBand>", into = "Vec<GradeBand>")]
pub struct GradeBands {
    bands: Vec<GradeBand>,
}

impl GradeBands {
    /// Validates and builds the bands. They must be exactly A, B, C, D, E in
    /// that order (best to worst), with strictly descending lower bounds, the
    /// last one (E) being `0` inclusive so that every efficiency >= 0 has a grade.
    pub fn new(bands: Vec<GradeBand>) -> Result<Self, AbkError> {
        if bands.len() != EfficiencyGrade::ALL.len() {
            return Err(AbkError::Bands { reason: format!("expected 5 bands (A to E), found {}", bands.len()) });
        }
        for (i, (band, expected)) in bands.iter().zip(EfficiencyGrade::ALL).enumerate() {
            if band.grade != expected {
                return Err(AbkError::Bands {
                    reason: format!("band {} is grade {}, expected {expected} (A to E, best first)", i + 1, band.grade),
                });
            }
        }
        for pair in bands.windows(2) {
            if let [better, worse] = pair
                && worse.lower >= better.lower
            {
                return Err(AbkError::Bands {
                    reason: format!(
                        "lower bound of {} ({}) is not below that of {} ({})",
                        worse.grade, worse.lower, better.grade, better.lower
                    ),
                });
            }
        }
        match bands.last() {
            Some(last) if last.lower.is_zero() && last.lower_inclusive => {}
            Some(last) => {
                return Err(AbkError::Bands {
                    reason: format!(
                        "the last band ({}) must start at 0 inclusive, found {} {}",
                        last.grade,
                        if last.lower_inclusive { ">=" } else { ">" },
                        last.lower
                    ),
                });
            }
            None => return Err(AbkError::Bands { reason: "no bands".to_string() }),
        }
        Ok(GradeBands { bands })
    }

    /// The national table as commonly cited (PermenPAN-RB 1/2020, recalled):
    /// A: EJ > 1.00; B: 0.90 <= EJ <= 1.00; C: 0.70 <= EJ < 0.90;
    /// D: 0.50 <= EJ < 0.70; E: EJ < 0.50.
    ///
    /// A city's policy should still state its bands with their legal reference;
    /// this is the baseline those layers start from.
    pub fn permenpan_1_2020() -> Self {
        let band = |grade, lower: Decimal, lower_inclusive| GradeBand { grade, lower, lower_inclusive };
        GradeBands {
            // Valid by construction: A..E in order, 1.00 > 0.90 > 0.70 > 0.50 > 0, last 0 inclusive
            // (checked by a unit test against `GradeBands::new`).
            bands: vec![
                band(EfficiencyGrade::A, Decimal::new(100, 2), false),
                band(EfficiencyGrade::B, Decimal::new(90, 2), true),
                band(EfficiencyGrade::C, Decimal::new(70, 2), true),
                band(EfficiencyGrade::D, Decimal::new(50, 2), true),
                band(EfficiencyGrade::E, Decimal::ZERO, true),
            ],
        }
    }

    /// Reads and checks a grade-band list: a list of tables
    /// `{ grade = "A", lower = "1.00", lower_inclusive = false }`, grades A to E in that
    /// order, each once, lower bounds strictly descending, the last `lower` = 0 inclusive.
    /// The error lists every problem found, separated by `"; "`.
    pub fn from_policy_value(value: &Value) -> Result<GradeBands, String> {
        let Some(items) = value.as_list() else {
            return Err(format!("expected a list of grade bands, found {}", variant_name(value)));
        };
        let mut problems = Vec::new();
        let mut bands = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let Some(table) = item.as_table() else {
                problems.push(format!("[{i}]: expected a table {{grade, lower, lower_inclusive}}"));
                continue;
            };
            for field in table.keys() {
                if !matches!(field.as_str(), "grade" | "lower" | "lower_inclusive") {
                    problems.push(format!("[{i}]: unknown field `{field}`"));
                }
            }
            let grade = table.get("grade").and_then(Value::as_text);
            let lower = table.get("lower").and_then(parse_decimal_text);
            let inclusive = table.get("lower_inclusive").and_then(Value::as_bool);
            if grade.is_none() {
                problems.push(format!("[{i}].grade: missing or not text"));
            }
            if lower.is_none() {
                problems.push(format!("[{i}].lower: missing or not a decimal (write it quoted, e.g. \"0.90\")"));
            }
            if inclusive.is_none() {
                problems.push(format!("[{i}].lower_inclusive: missing or not a boolean"));
            }
            if let (Some(grade), Some(lower), Some(lower_inclusive)) = (grade, lower, inclusive) {
                bands.push((i, grade.to_string(), lower, lower_inclusive));
            }
        }
        if items.len() != EfficiencyGrade::ALL.len() {
            problems.push(format!("expected {} bands (A to E), found {}", EfficiencyGrade::ALL.len(), items.len()));
        }
        for (i, grade, _, _) in &bands {
            let expected = EfficiencyGrade::ALL.get(*i).map(|g| g.as_str());
            if expected != Some(grade.as_str()) {
                problems.push(format!(
                    "[{i}].grade: expected `{}` (grades A to E, best first), found `{grade}`",
                    expected.unwrap_or("none")
                ));
            }
        }
        for pair in bands.windows(2) {
            if let [(_, _, better, _), (j, _, worse, _)] = pair
                && worse >= better
            {
                problems.push(format!(
                    "[{j}].lower: {worse} is not below the previous band's {better} (lower bounds must strictly descend)"
                ));
            }
        }
        if items.len() == EfficiencyGrade::ALL.len()
            && let Some((i, _, lower, inclusive)) = bands.last()
            && *i + 1 == items.len()
            && !(lower.is_zero() && *inclusive)
        {
            problems.push(format!("[{i}]: the worst band must start at lower = \"0\" inclusive"));
        }
        if !problems.is_empty() {
            return Err(problems.join("; "));
        }
        let bands = bands
            .into_iter()
            .zip(EfficiencyGrade::ALL)
            .map(|((_, _, lower, lower_inclusive), grade)| GradeBand { grade, lower, lower_inclusive })
            .collect();
        GradeBands::new(bands).map_err(|e| e.to_string())
    }

    /// The bands, best to worst.
    pub fn bands(&self) -> &[GradeBand] {
        &self.bands
    }

    /// The grade of an exact efficiency. No rounding is applied: 0.8999 is C
    /// and 1.0001 is A under the national table. A negative value (impossible
    /// for a real workload) gets the worst grade.
    pub fn grade(&self, efficiency: Decimal) -> EfficiencyGrade {
        self.bands
            .iter()
            .find(|b| if b.lower_inclusive { efficiency >= b.lower } else { efficiency > b.lower })
            .or(self.bands.last())
            .map_or(EfficiencyGrade::E, |b| b.grade)
    }

    /// The grade of the ratio `workload / capacity`, decided without dividing:
    /// `workload` is compared with `lower x capacity` for each band, so the grade
    /// is exact even when the quotient is not a finite decimal.
    ///
    /// A zero capacity is [`ArithmeticError::DivisionByZero`]; an overflowing
    /// product is [`ArithmeticError::Overflow`].
    pub fn grade_ratio(&self, workload: Decimal, capacity: Decimal) -> Result<EfficiencyGrade, ArithmeticError> {
        if capacity.is_zero() {
            return Err(ArithmeticError::DivisionByZero { operation: "efficiency grading" });
        }
        // Keep the inequality's direction: compare -w with -c x lower for a negative capacity.
        let (workload, capacity) =
            if capacity.is_sign_negative() { (-workload, -capacity) } else { (workload, capacity) };
        for band in &self.bands {
            let bound = band
                .lower
                .checked_mul(capacity)
                .ok_or(ArithmeticError::Overflow { operation: "efficiency grading" })?;
            let reached = if band.lower_inclusive { workload >= bound } else { workload > bound };
            if reached {
                return Ok(band.grade);
            }
        }
        Ok(self.bands.last().map_or(EfficiencyGrade::E, |b| b.grade))
    }
}

impl TryFrom<Vec<GradeBand>> for GradeBands {
    type Error = AbkError;
    fn try_from(bands: Vec<GradeBand>) -> Result<Self, Self::Error> {
        GradeBands::new(bands)
    }
}

impl From<GradeBands> for Vec<GradeBand> {
    fn from(b: GradeBands) -> Self {
        b.bands
    }
}

/// The parameters of a workload analysis, filled by the caller from the city's
/// policy (each with its effective date and legal reference there).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbkParams {
    /// Effective working minutes per person per year (*jam kerja efektif*):
    /// 75,000 under PermenPAN-RB 1/2020 as cited, 72,000 in older systems.
    /// Must be positive.
    #[doc(alias = "jam kerja efektif")]
    pub effective_minutes_per_year: i64,
    /// Working days per year, converting volumes stated per day. Must be positive.
    pub days_per_year: i64,
    /// Working weeks per year, converting volumes stated per week. Must be positive.
    pub weeks_per_year: i64,
    /// Months per year, converting volumes stated per month. Must be positive.
    pub months_per_year: i64,
    /// The grade bands for positions and units alike.
    pub grade_bands: GradeBands,
}

impl AbkParams {
    /// Reads the ABK parameters in force on `date` from a policy: keys
    /// `abk.effective_minutes_per_year`, `abk.days_per_year`, `abk.weeks_per_year`,
    /// `abk.months_per_year` and `abk.grade_bands`, each with its provenance.
    pub fn from_policy(policy: &Policy, date: chrono::NaiveDate) -> Result<Bound<AbkParams>, PolicyError> {
        let mut b = Binder::new(policy, date);
        let params = AbkParams {
            effective_minutes_per_year: b.int("abk.effective_minutes_per_year")?,
            days_per_year: b.int("abk.days_per_year")?,
            weeks_per_year: b.int("abk.weeks_per_year")?,
            months_per_year: b.int("abk.months_per_year")?,
            grade_bands: b.custom("abk.grade_bands", GradeBands::from_policy_value)?,
        };
        Ok(b.finish(params))
    }

    /// Checks that the effective time and the conversion factors are positive.
    pub fn validate(&self) -> Result<(), AbkError> {
        if self.effective_minutes_per_year <= 0 {
            return Err(AbkError::EffectiveTime { value: self.effective_minutes_per_year });
        }
        for (field, value) in [
            ("days_per_year", self.days_per_year),
            ("weeks_per_year", self.weeks_per_year),
            ("months_per_year", self.months_per_year),
        ] {
            if value <= 0 {
                return Err(AbkError::ConversionFactor { field, value });
            }
        }
        Ok(())
    }

    /// How many periods of the given kind a year has under these parameters.
    pub fn periods_per_year(&self, per: VolumePeriod) -> i64 {
        match per {
            VolumePeriod::Day => self.days_per_year,
            VolumePeriod::Week => self.weeks_per_year,
            VolumePeriod::Month => self.months_per_year,
            VolumePeriod::Year => 1,
        }
    }

    /// The yearly volume of output: quantity x days, weeks or months per year,
    /// or the quantity itself when stated per year. Exact.
    pub fn annual_volume(&self, v: &Volume) -> Result<Decimal, ArithmeticError> {
        v.quantity
            .checked_mul(Decimal::from(self.periods_per_year(v.per)))
            .ok_or(ArithmeticError::Overflow { operation: "annual volume" })
    }
}

/// The workload of one task over a year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TaskWorkload {
    /// The task.
    pub task: TaskId,
    /// Output units per year.
    pub annual_volume: Decimal,
    /// Standard minutes per output unit (*norma waktu*).
    #[doc(alias = "norma waktu")]
    pub standard_minutes: Minutes,
    /// Annual volume x standard minutes.
    #[doc(alias = "beban kerja")]
    pub workload_minutes: Decimal,
}

/// The workload analysis of one position.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PositionWorkload {
    /// The position.
    pub position: PositionId,
    /// Its work unit.
    pub unit: UnitId,
    /// Each task's workload, in the job analysis's order.
    pub tasks: Vec<TaskWorkload>,
    /// Sum of the tasks' workloads, minutes per year.
    pub workload_minutes: Decimal,
    /// Staff needed (*kebutuhan pegawai*), in full-time equivalents: workload /
    /// effective minutes per year. Not rounded (see the module docs).
    #[doc(alias = "kebutuhan pegawai")]
    pub required_staff: Decimal,
    /// People currently holding the position.
    #[doc(alias = "jumlah pegawai")]
    pub headcount: u32,
    /// EJ = workload / (headcount x effective minutes); `None` when nobody holds
    /// the position.
    #[doc(alias = "efisiensi jabatan")]
    #[doc(alias = "EJ")]
    pub efficiency: Option<Decimal>,
    /// The grade of the exact efficiency; `None` when nobody holds the position.
    #[doc(alias = "prestasi kerja jabatan")]
    pub grade: Option<EfficiencyGrade>,
    /// Staff needed - headcount: positive = understaffed, negative = overstaffed.
    pub gap: Decimal,
}

impl PositionWorkload {
    /// Staff needed in whole persons, rounded half up (0.5 -> 1, 0.49 -> 0).
    ///
    /// This is the presentation convention of ABK documents, which print whole
    /// people; the exact figure stays in [`PositionWorkload::required_staff`]
    /// and everything else (gap, grade) is computed from it.
    pub fn required_staff_rounded(&self) -> Decimal {
        round_for_display(self.required_staff, 0)
    }
}

/// The workload analysis of one work unit: the sums over its positions.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnitWorkload {
    /// The unit.
    pub unit: UnitId,
    /// Number of its positions analysed.
    pub positions: u32,
    /// Sum of its positions' workloads, minutes per year.
    pub workload_minutes: Decimal,
    /// Staff needed: the sum of its positions' staff needed (computed as the
    /// unit workload / effective minutes, so only one division rounds).
    pub required_staff: Decimal,
    /// Sum of its positions' headcounts.
    pub headcount: u32,
    /// EU = workload / (headcount x effective minutes); `None` when the unit
    /// has nobody.
    #[doc(alias = "efisiensi unit")]
    #[doc(alias = "EU")]
    pub efficiency: Option<Decimal>,
    /// The grade of the exact efficiency, with the same bands as positions.
    pub grade: Option<EfficiencyGrade>,
    /// Staff needed - headcount: positive = understaffed.
    pub gap: Decimal,
}

/// The city-wide totals: the sums over all units.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CityWorkload {
    /// Number of units analysed.
    pub units: u32,
    /// Number of positions analysed.
    pub positions: u32,
    /// Total workload, minutes per year.
    pub workload_minutes: Decimal,
    /// Total staff needed (total workload / effective minutes).
    pub required_staff: Decimal,
    /// Total headcount.
    pub headcount: u32,
    /// Workload / (headcount x effective minutes); `None` with no staff.
    pub efficiency: Option<Decimal>,
    /// The grade of the exact efficiency.
    pub grade: Option<EfficiencyGrade>,
    /// Staff needed - headcount: positive = understaffed.
    pub gap: Decimal,
}

/// The result of [`analyse`]: positions and units in input order, and city totals.
#[doc(alias = "ABK")]
#[doc(alias = "analisis beban kerja")]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WorkloadAnalysis {
    /// The effective minutes per person per year used.
    pub effective_minutes_per_year: i64,
    /// One entry per position, in input order.
    pub positions: Vec<PositionWorkload>,
    /// One entry per unit, in input order (units with no positions have zeros).
    pub units: Vec<UnitWorkload>,
    /// The city's totals.
    pub total: CityWorkload,
}

/// An error of the workload analysis.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AbkError {
    /// `effective_minutes_per_year` is zero or negative.
    #[error("abk params, field `effective_minutes_per_year`: {value} is not a positive number of minutes")]
    EffectiveTime {
        /// The value refused.
        value: i64,
    },
    /// A volume conversion factor (`days_per_year`, ...) is zero or negative.
    #[error("abk params, field `{field}`: {value} is not a positive number of periods")]
    ConversionFactor {
        /// The field at fault.
        field: &'static str,
        /// The value refused.
        value: i64,
    },
    /// The grade bands are malformed.
    #[error("abk params, field `grade_bands`: {reason}")]
    Bands {
        /// What is wrong.
        reason: String,
    },
    /// The units, positions or tasks are inconsistent; every problem found is listed.
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    /// Checked arithmetic failed while computing a record's field.
    #[error("{record} `{id}`, field `{field}`: {source}")]
    Arithmetic {
        /// Kind of record: `"task"`, `"position"`, `"work_unit"` or `"city"`.
        record: &'static str,
        /// The record's id (empty for the city).
        id: String,
        /// The field being computed.
        field: &'static str,
        /// The arithmetic failure.
        source: ArithmeticError,
    },
}

impl AbkError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            AbkError::EffectiveTime { .. } => "abk_effective_time",
            AbkError::ConversionFactor { .. } => "abk_conversion_factor",
            AbkError::Bands { .. } => "abk_grade_bands",
            AbkError::Invalid(_) => "validation",
            AbkError::Arithmetic { .. } => "arithmetic",
        }
    }
}

/// Rounds half up (away from zero) to `dp` decimal places, for display only.
///
/// ```
/// use kinerja::abk::round_for_display;
/// use rust_decimal::Decimal;
/// assert_eq!(round_for_display(Decimal::new(685, 3), 2), Decimal::new(69, 2)); // 0.685 -> 0.69
/// ```
pub fn round_for_display(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// Running sums of one unit.
#[derive(Clone, Copy, Default)]
struct UnitAcc {
    positions: u32,
    workload: Decimal,
    headcount: u32,
}

/// Staff needed, efficiency, grade and gap of a workload held by `headcount` people.
struct Ratios {
    required: Decimal,
    efficiency: Option<Decimal>,
    grade: Option<EfficiencyGrade>,
    gap: Decimal,
}

fn ratios(workload: Decimal, headcount: u32, params: &AbkParams) -> Result<Ratios, (&'static str, ArithmeticError)> {
    let effective = Decimal::from(params.effective_minutes_per_year);
    let required = workload
        .checked_div(effective)
        .ok_or(("required_staff", ArithmeticError::Overflow { operation: "staff needed" }))?;
    let gap = required
        .checked_sub(Decimal::from(headcount))
        .ok_or(("gap", ArithmeticError::Overflow { operation: "staffing gap" }))?;
    if headcount == 0 {
        return Ok(Ratios { required, efficiency: None, grade: None, gap });
    }
    let capacity = Decimal::from(headcount)
        .checked_mul(effective)
        .ok_or(("efficiency", ArithmeticError::Overflow { operation: "staff capacity" }))?;
    let efficiency =
        workload.checked_div(capacity).ok_or(("efficiency", ArithmeticError::Overflow { operation: "efficiency" }))?;
    let grade = params.grade_bands.grade_ratio(workload, capacity).map_err(|e| ("grade", e))?;
    Ok(Ratios { required, efficiency: Some(efficiency), grade: Some(grade), gap })
}

fn arith<'a>(record: &'static str, id: &'a str) -> impl FnOnce((&'static str, ArithmeticError)) -> AbkError + 'a {
    move |(field, source)| AbkError::Arithmetic { record, id: id.to_string(), field, source }
}

fn count_overflow(record: &'static str, id: &str, field: &'static str) -> AbkError {
    AbkError::Arithmetic { record, id: id.to_string(), field, source: ArithmeticError::Overflow { operation: "count" } }
}

/// Runs the workload analysis of `positions` in `units`.
///
/// `headcount` gives the number of people currently holding each position
/// (typically counted from the assignments in force on the analysis date).
/// Output keeps the input order of units and positions; every unit appears,
/// with zeros when it has no positions.
///
/// # Errors
///
/// - [`AbkError::EffectiveTime`] / [`AbkError::ConversionFactor`] for
///   non-positive parameters;
/// - [`AbkError::Invalid`] listing **every** data problem found in one pass: a
///   duplicate unit or position id, a position whose unit is not in `units`,
///   a negative volume or standard time;
/// - [`AbkError::Arithmetic`] naming the record and field whose computation
///   overflowed.
#[doc(alias = "analisis beban kerja")]
pub fn analyse(
    units: &[WorkUnit],
    positions: &[Position],
    headcount: impl Fn(&PositionId) -> u32,
    params: &AbkParams,
) -> Result<WorkloadAnalysis, AbkError> {
    params.validate()?;
    let mut problems = Vec::new();

    let mut unit_index: HashMap<&UnitId, usize> = HashMap::with_capacity(units.len());
    for (i, unit) in units.iter().enumerate() {
        if unit_index.insert(&unit.id, i).is_some() {
            problems.push(Problem::new(
                "work_unit",
                unit.id.as_str(),
                "id",
                "duplicate_id",
                format!("work unit `{}` appears more than once", unit.id),
            ));
        }
    }
    let mut accs = vec![UnitAcc::default(); units.len()];
    let mut seen_positions: HashSet<&PositionId> = HashSet::with_capacity(positions.len());
    let mut out_positions = Vec::with_capacity(positions.len());

    for position in positions {
        let pid = position.id.as_str();
        if !seen_positions.insert(&position.id) {
            problems.push(Problem::new(
                "position",
                pid,
                "id",
                "duplicate_id",
                format!("position `{pid}` appears more than once"),
            ));
        }
        let unit_slot = unit_index.get(&position.unit).copied();
        if unit_slot.is_none() {
            problems.push(Problem::new(
                "position",
                pid,
                "unit",
                "unknown_reference",
                format!("work unit `{}` is not among the units analysed", position.unit),
            ));
        }

        let mut tasks = Vec::with_capacity(position.analysis.tasks.len());
        let mut workload = Decimal::ZERO;
        for task in &position.analysis.tasks {
            let tid = task.id.as_str();
            let mut bad = false;
            if task.volume.quantity.is_sign_negative() && !task.volume.quantity.is_zero() {
                problems.push(Problem::new(
                    "task",
                    tid,
                    "volume.quantity",
                    "negative",
                    format!("volume {} of position `{pid}` is negative", task.volume.quantity),
                ));
                bad = true;
            }
            if task.standard_minutes.get() < 0 {
                problems.push(Problem::new(
                    "task",
                    tid,
                    "standard_minutes",
                    "negative",
                    format!("standard time {} of position `{pid}` is negative", task.standard_minutes),
                ));
                bad = true;
            }
            if bad {
                continue;
            }
            let annual_volume =
                params.annual_volume(&task.volume).map_err(|e| arith("task", tid)(("annual_volume", e)))?;
            let task_workload = annual_volume
                .checked_mul(Decimal::from(task.standard_minutes.get()))
                .ok_or(("workload_minutes", ArithmeticError::Overflow { operation: "task workload" }))
                .map_err(arith("task", tid))?;
            workload = workload
                .checked_add(task_workload)
                .ok_or(("workload_minutes", ArithmeticError::Overflow { operation: "position workload" }))
                .map_err(arith("position", pid))?;
            tasks.push(TaskWorkload {
                task: task.id.clone(),
                annual_volume,
                standard_minutes: task.standard_minutes,
                workload_minutes: task_workload,
            });
        }

        let held_by = headcount(&position.id);
        if !problems.is_empty() {
            // The result will be an error; keep scanning for more problems only.
            continue;
        }
        let r = ratios(workload, held_by, params).map_err(arith("position", pid))?;
        if let Some(acc) = unit_slot.and_then(|i| accs.get_mut(i)) {
            let uid = position.unit.as_str();
            acc.positions =
                acc.positions.checked_add(1).ok_or_else(|| count_overflow("work_unit", uid, "positions"))?;
            acc.workload = acc
                .workload
                .checked_add(workload)
                .ok_or(("workload_minutes", ArithmeticError::Overflow { operation: "unit workload" }))
                .map_err(arith("work_unit", uid))?;
            acc.headcount =
                acc.headcount.checked_add(held_by).ok_or_else(|| count_overflow("work_unit", uid, "headcount"))?;
        }
        out_positions.push(PositionWorkload {
            position: position.id.clone(),
            unit: position.unit.clone(),
            tasks,
            workload_minutes: workload,
            required_staff: r.required,
            headcount: held_by,
            efficiency: r.efficiency,
            grade: r.grade,
            gap: r.gap,
        });
    }
    if !problems.is_empty() {
        return Err(AbkError::Invalid(ValidationErrors { problems }));
    }

    let mut city = UnitAcc::default();
    let mut out_units = Vec::with_capacity(units.len());
    for (unit, acc) in units.iter().zip(&accs) {
        let uid = unit.id.as_str();
        let r = ratios(acc.workload, acc.headcount, params).map_err(arith("work_unit", uid))?;
        city.positions =
            city.positions.checked_add(acc.positions).ok_or_else(|| count_overflow("city", "", "positions"))?;
        city.headcount =
            city.headcount.checked_add(acc.headcount).ok_or_else(|| count_overflow("city", "", "headcount"))?;
        city.workload = city
            .workload
            .checked_add(acc.workload)
            .ok_or(("workload_minutes", ArithmeticError::Overflow { operation: "city workload" }))
            .map_err(arith("city", ""))?;
        out_units.push(UnitWorkload {
            unit: unit.id.clone(),
            positions: acc.positions,
            workload_minutes: acc.workload,
            required_staff: r.required,
            headcount: acc.headcount,
            efficiency: r.efficiency,
            grade: r.grade,
            gap: r.gap,
        });
    }
    let r = ratios(city.workload, city.headcount, params).map_err(arith("city", ""))?;
    let total = CityWorkload {
        units: u32::try_from(units.len()).map_err(|_| count_overflow("city", "", "units"))?,
        positions: city.positions,
        workload_minutes: city.workload,
        required_staff: r.required,
        headcount: city.headcount,
        efficiency: r.efficiency,
        grade: r.grade,
        gap: r.gap,
    };
    Ok(WorkloadAnalysis {
        effective_minutes_per_year: params.effective_minutes_per_year,
        positions: out_positions,
        units: out_units,
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_bands_pass_validation() {
        let b = GradeBands::permenpan_1_2020();
        assert_eq!(GradeBands::new(b.bands().to_vec()), Ok(b));
    }

    #[test]
    fn bands_round_trip_through_json_and_are_validated_on_the_way_in() {
        let b = GradeBands::permenpan_1_2020();
        let json = serde_json::to_string(&b).unwrap();
        assert_eq!(serde_json::from_str::<GradeBands>(&json).unwrap(), b);
        // Drop grade E: deserialisation must refuse it.
        let mut v: Vec<GradeBand> = b.into();
        v.pop();
        let json = serde_json::to_string(&v).unwrap();
        assert!(serde_json::from_str::<GradeBands>(&json).is_err());
    }
}
