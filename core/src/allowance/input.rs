//! One employee's month as the allowance engine reads it ([`AllowanceInput`]).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Problem, ValidationErrors};
use crate::ids::PositionId;
use crate::minutes::Minutes;
use crate::money::Money;
use crate::month::YearMonth;
use crate::org::{EmploymentType, Nip, Rank};
use crate::targets::ABSENCE_CODES;

/// The record name of input problems.
pub(crate) const RECORD: &str = "allowance_input";

/// One employee's month: everything the allowance (TPP) of that month depends on,
/// as plain data (specification section 1). Money is a decimal string in JSON.
///
/// Counts are signed integers so that [`AllowanceInput::validate`] can name a
/// negative count rather than the JSON parser refusing it without a field name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowanceInput {
    /// The employee.
    pub employee: Nip,
    /// The month paid.
    pub month: YearMonth,
    /// The job class (*kelas jabatan*) of the employee's definitive position, 1..=17.
    #[doc(alias = "kelas jabatan")]
    pub job_class: i64,
    /// The employee's definitive position, read only by components paid per position
    /// (`allowance.components` with `by = "position"`). Absent from the JSON when not
    /// given, so inputs written before it existed keep their hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<PositionId>,
    /// Rank (*pangkat/golongan*) of a PNS or CPNS (`"III/c"`: its group sets the tax
    /// rate), or the grade of a PPPK employee (`"IX"`: `allowance.tax.flat_pppk`).
    pub rank: Rank,
    /// PNS, CPNS or PPPK.
    pub employment: EmploymentType,
    /// Monthly salary (*gaji*): the base of the BPJS contribution already withheld.
    #[doc(alias = "gaji")]
    pub salary: Money,
    /// Working days in the month (after the month's cut-off).
    pub calendar_working_days: i64,
    /// Of those, the days the employee held a definitive position.
    pub assigned_working_days: i64,
    /// Verified work against the minute target.
    pub performance: PerformanceInput,
    /// Attendance and discipline facts.
    pub discipline: DisciplineInput,
    /// Acting assignments (Plt) in the month.
    #[serde(default)]
    pub acting: Vec<ActingInput>,
    /// Disciplinary sanctions (*hukuman disiplin*) on record.
    #[serde(default)]
    pub sanctions: Vec<SanctionInput>,
}

/// Minutes of verified work and the month's minute target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerformanceInput {
    /// The monthly minute target.
    pub target_minutes: Minutes,
    /// Verified credited minutes.
    pub verified_minutes: Minutes,
}

/// Attendance and discipline facts of the month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisciplineInput {
    /// Working days present (*hadir*).
    pub days_present: i64,
    /// Days in late-arrival bands TL1..TL4 (*terlambat*).
    #[doc(alias = "TL")]
    pub late: [i64; 4],
    /// Days in early-leave bands PSW1..PSW4 (*pulang sebelum waktunya*).
    #[doc(alias = "PSW")]
    pub early: [i64; 4],
    /// Unexcused days (*TK, tanpa keterangan; alpa*).
    pub unexcused_days: i64,
    /// Working days by absence-kind code ([`ABSENCE_CODES`]).
    #[serde(default)]
    pub absences: BTreeMap<String, i64>,
    /// Roll calls (*apel*) and ceremonies (*upacara*) missed.
    pub roll_calls_missed: RollCallsMissed,
}

/// Roll calls and ceremonies missed in the month.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RollCallsMissed {
    /// Morning roll calls (*apel pagi*).
    pub morning: i64,
    /// Afternoon roll calls (*apel sore*).
    pub afternoon: i64,
    /// Ceremonies (*upacara*).
    pub ceremony: i64,
}

/// An acting assignment (*Pelaksana Tugas*, Plt) covering days of the month.
#[doc(alias = "Plt")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActingInput {
    /// The position acted in.
    pub position: PositionId,
    /// Its job class, 1..=17.
    pub job_class: i64,
    /// Working days of the month covered by the acting assignment.
    pub working_days: i64,
}

/// A disciplinary sanction decision (*keputusan hukuman disiplin*).
#[doc(alias = "hukuman disiplin")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SanctionInput {
    /// The level, a key of `allowance.sanctions` (e.g. `"medium"`, *sedang*).
    pub level: String,
    /// First day in force; the sanction counts from this day's month.
    pub effective_from: NaiveDate,
    /// Duration in months; must be one the level allows.
    pub months: i64,
    /// The decision (SK) imposing it; may be empty.
    #[serde(default)]
    pub reference: String,
}

impl SanctionInput {
    /// Whether the sanction is in force in `month`: the month of `effective_from` <=
    /// `month` < that month + `months`.
    pub fn in_force(&self, month: YearMonth) -> bool {
        let start = YearMonth::of(self.effective_from);
        let index = |m: YearMonth| i64::from(m.year()) * 12 + i64::from(m.month()) - 1;
        let offset = index(month) - index(start);
        offset >= 0 && offset < self.months
    }
}

impl AllowanceInput {
    /// Checks the input on its own and reports **every** problem, each naming the
    /// field (`record = "allowance_input"`, `id` = the NIP):
    ///
    /// | field | rule | code |
    /// |---|---|---|
    /// | `job_class`, `acting[i].job_class` | 1..=17 | `out_of_range` |
    /// | `calendar_working_days` | 0..=days of the month | `out_of_range` |
    /// | `assigned_working_days` | 0..=`calendar_working_days` | `out_of_range` |
    /// | `salary` | not negative | `negative` |
    /// | `performance.*`, every count | not negative | `negative` |
    /// | `discipline.days_present` | at most `assigned_working_days` | `out_of_range` |
    /// | `discipline.absences.<code>` | a known absence code | `unknown_absence_code` |
    /// | `acting[i].working_days` | 0..=`calendar_working_days` | `out_of_range` |
    /// | `sanctions[i].months` | not negative | `negative` |
    /// | `discipline.unexcused_days`, `discipline.absences.<code>` | at most `assigned_working_days` | `out_of_range` |
    /// | `discipline` | `days_present` + `unexcused_days` + whole-day absences (every code but `off_site_half_day`, which is a present day) at most `assigned_working_days` | `days_exceed_month` |
    /// | `discipline.late`, `discipline.early` | the days of the four bands at most `days_present` (a band is judged on a present day) | `out_of_range` |
    /// | `discipline.absences.off_site_half_day` | at most `days_present` | `out_of_range` |
    /// | `discipline.roll_calls_missed.*` | at most `assigned_working_days` (one roll call of each kind a day) | `out_of_range` |
    /// | `rank`, `employee` | rank, id and employment fit ([`crate::org::employee_consistency`]) | `rank_not_pppk_grade`, `pppk_grade_not_rank`, `nip_is_ni_pppk` |
    ///
    /// Whether a sanction's level exists and allows its months depends on policy and
    /// is checked when the slip is computed.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut problems = Vec::new();
        let mut push = |field: String, code: &str, message: String| {
            problems.push(Problem::new(RECORD, self.employee.as_str(), field, code, message));
        };
        for (field, code, message) in crate::org::employee_consistency(&self.employee, self.rank, self.employment) {
            // The id is the input's `employee` field.
            let field = if field == "nip" { "employee" } else { field };
            push(field.into(), code, message);
        }
        if !(1..=17).contains(&self.job_class) {
            push("job_class".into(), "out_of_range", format!("job class {} is outside 1..=17", self.job_class));
        }
        let days = i64::from(self.month.days());
        let calendar = self.calendar_working_days;
        if !(0..=days).contains(&calendar) {
            push(
                "calendar_working_days".into(),
                "out_of_range",
                format!("{calendar} working days is outside 0..={days} for {}", self.month),
            );
        }
        let assigned = self.assigned_working_days;
        if assigned < 0 {
            push("assigned_working_days".into(), "negative", format!("{assigned} is negative"));
        } else if assigned > calendar {
            push(
                "assigned_working_days".into(),
                "out_of_range",
                format!("{assigned} assigned days exceed the {calendar} calendar working days"),
            );
        }
        if self.salary.is_negative() {
            push("salary".into(), "negative", format!("salary {} is negative", self.salary));
        }
        // Field names are built only for a problem: validation allocates nothing on good input.
        let mut non_negative = |field: &dyn Fn() -> String, v: i64| {
            if v < 0 {
                push(field(), "negative", format!("{v} is negative"));
            }
        };
        non_negative(&|| "performance.target_minutes".to_string(), self.performance.target_minutes.get());
        non_negative(&|| "performance.verified_minutes".to_string(), self.performance.verified_minutes.get());
        let d = &self.discipline;
        non_negative(&|| "discipline.days_present".to_string(), d.days_present);
        for (i, v) in d.late.iter().enumerate() {
            non_negative(&|| format!("discipline.late[{i}]"), *v);
        }
        for (i, v) in d.early.iter().enumerate() {
            non_negative(&|| format!("discipline.early[{i}]"), *v);
        }
        non_negative(&|| "discipline.unexcused_days".to_string(), d.unexcused_days);
        non_negative(&|| "discipline.roll_calls_missed.morning".to_string(), d.roll_calls_missed.morning);
        non_negative(&|| "discipline.roll_calls_missed.afternoon".to_string(), d.roll_calls_missed.afternoon);
        non_negative(&|| "discipline.roll_calls_missed.ceremony".to_string(), d.roll_calls_missed.ceremony);
        for (code, v) in &d.absences {
            non_negative(&|| format!("discipline.absences.{code}"), *v);
        }
        for (i, s) in self.sanctions.iter().enumerate() {
            non_negative(&|| format!("sanctions[{i}].months"), s.months);
        }
        if d.days_present > assigned && d.days_present >= 0 && assigned >= 0 {
            push(
                "discipline.days_present".into(),
                "out_of_range",
                format!("{} days present exceed the {assigned} assigned working days", d.days_present),
            );
        }
        // Counts that cannot fit the month: each is checked only when its parts are not
        // negative (a negative count is reported above).
        if assigned >= 0 {
            let mut over = |field: &dyn Fn() -> String, v: i64, limit: i64, what: &str| {
                if v > limit {
                    push(field(), "out_of_range", format!("{v} {what} exceed the {limit} assigned working days"));
                }
            };
            over(&|| "discipline.unexcused_days".to_string(), d.unexcused_days, assigned, "unexcused days");
            for (code, v) in &d.absences {
                over(&|| format!("discipline.absences.{code}"), *v, assigned, "absence days");
            }
            over(
                &|| "discipline.roll_calls_missed.morning".to_string(),
                d.roll_calls_missed.morning,
                assigned,
                "missed morning roll calls",
            );
            over(
                &|| "discipline.roll_calls_missed.afternoon".to_string(),
                d.roll_calls_missed.afternoon,
                assigned,
                "missed afternoon roll calls",
            );
            over(
                &|| "discipline.roll_calls_missed.ceremony".to_string(),
                d.roll_calls_missed.ceremony,
                assigned,
                "missed ceremonies",
            );
            let whole_day_absences: i64 = d
                .absences
                .iter()
                .filter(|(code, v)| code.as_str() != "off_site_half_day" && **v > 0)
                .fold(0i64, |a, (_, v)| a.saturating_add(*v));
            let parts = [d.days_present, d.unexcused_days, whole_day_absences];
            if parts.iter().all(|v| *v >= 0) {
                let total = parts.iter().fold(0i64, |a, v| a.saturating_add(*v));
                if total > assigned {
                    push(
                        "discipline".into(),
                        "days_exceed_month",
                        format!(
                            "days present {} + unexcused days {} + whole-day absence days {whole_day_absences} = {total} exceed the {assigned} assigned working days",
                            d.days_present, d.unexcused_days
                        ),
                    );
                }
            }
        }
        if d.days_present >= 0 {
            let present = d.days_present;
            for (field, bands) in [("discipline.late", &d.late), ("discipline.early", &d.early)] {
                if bands.iter().all(|v| *v >= 0) {
                    let sum = bands.iter().fold(0i64, |a, v| a.saturating_add(*v));
                    if sum > present {
                        push(
                            field.into(),
                            "out_of_range",
                            format!("{sum} days in the four bands exceed the {present} days present"),
                        );
                    }
                }
            }
            if let Some(&half) = d.absences.get("off_site_half_day")
                && half > present
            {
                push(
                    "discipline.absences.off_site_half_day".into(),
                    "out_of_range",
                    format!("{half} off-site half days exceed the {present} days present (each is a present day)"),
                );
            }
        }
        for code in d.absences.keys() {
            if !ABSENCE_CODES.contains(&code.as_str()) {
                push(
                    format!("discipline.absences.{code}"),
                    "unknown_absence_code",
                    format!("`{code}` is not an absence code ({})", ABSENCE_CODES.join(", ")),
                );
            }
        }
        for (i, a) in self.acting.iter().enumerate() {
            if !(1..=17).contains(&a.job_class) {
                push(
                    format!("acting[{i}].job_class"),
                    "out_of_range",
                    format!("job class {} is outside 1..=17", a.job_class),
                );
            }
            if !(0..=calendar.max(0)).contains(&a.working_days) {
                push(
                    format!("acting[{i}].working_days"),
                    "out_of_range",
                    format!("{} acting days is outside 0..={calendar} calendar working days", a.working_days),
                );
            }
        }
        if problems.is_empty() { Ok(()) } else { Err(ValidationErrors { problems }) }
    }
}
