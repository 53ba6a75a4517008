//! The rest of Banda Aceh's system (RULES.md section 6): budget realisation
//! ([`budget`], *Resume APBD*, *Capaian Realisasi Program dan Anggaran*), the six
//! cumulative readiness requirements with the shadow month and each unit's go-live date
//! ([`readiness`]), the seven uses of the data plus verification quality ([`uses`]),
//! and the yearly awards ([`awards`]).
//!
//! Everything here is pure: it reads the city ([`crate::dataset::City`]), the month
//! ledgers' states and recaps, and the records of this module ([`InsightsRecords`]:
//! budgets, plans, the roll-out, nominations), which a city keeps in a file of their own
//! beside the dataset. Thresholds, shares, month counts, weights, retirement ages and
//! the sanction ladder are policy data ([`InsightParams`]).

pub mod awards;
pub mod budget;
pub mod readiness;
pub mod uses;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::ArithmeticError;
use crate::org::PositionKind;
use crate::policy::{Binder, Bound, Policy, PolicyError, Value, parse_decimal_text};

pub use awards::{Nomination, NominationCategory};
pub use budget::UnitBudget;
pub use readiness::{UnitPlan, UnitRollout};

/// Why a budget, plan, nomination or report is refused. Each variant names the record
/// and the field at fault.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InsightsError {
    /// Realisation adds up to more than the ceiling (pagu).
    #[error(
        "sub_activity `{sub_activity}`, field `realisation`: realisation up to month {month} is Rp {realised}, beyond the ceiling (pagu) of Rp {ceiling}"
    )]
    CeilingExceeded {
        /// The sub-activity's code.
        sub_activity: String,
        /// The month (1-12) at which the cumulative realisation passes the ceiling.
        month: u32,
        /// Cumulative realisation at that month.
        realised: Decimal,
        /// The ceiling.
        ceiling: Decimal,
    },
    /// The monthly plan adds up to more than the ceiling.
    #[error(
        "sub_activity `{sub_activity}`, field `plan`: the plan adds up to Rp {planned}, beyond the ceiling of Rp {ceiling}"
    )]
    PlanExceedsCeiling {
        /// The sub-activity's code.
        sub_activity: String,
        /// Sum of the plan.
        planned: Decimal,
        /// The ceiling.
        ceiling: Decimal,
    },
    /// Physical progress below 0 % or beyond 100 %.
    #[error("sub_activity `{sub_activity}`, field `progress`: {progress} % in month {month} is outside 0..100 %")]
    ProgressOutOfRange {
        /// The sub-activity's code.
        sub_activity: String,
        /// The month (1-12).
        month: u32,
        /// The progress given.
        progress: Decimal,
    },
    /// A negative amount.
    #[error("{record} `{id}`, field `{field}`: the amount {amount} is negative")]
    NegativeAmount {
        /// Kind of record.
        record: &'static str,
        /// Its code.
        id: String,
        /// The field.
        field: &'static str,
        /// The amount given.
        amount: Decimal,
    },
    /// A monthly series longer than twelve months.
    #[error("{record} `{id}`, field `{field}`: {len} months given, a fiscal year has 12")]
    TooManyMonths {
        /// Kind of record.
        record: &'static str,
        /// Its code.
        id: String,
        /// The field.
        field: &'static str,
        /// How many were given.
        len: usize,
    },
    /// Two records with the same code where codes must be unique.
    #[error("{record} `{id}`, field `code`: the code is used twice")]
    DuplicateCode {
        /// Kind of record.
        record: &'static str,
        /// The code.
        id: String,
    },
    /// A record names a work unit the city does not have.
    #[error("{record} `{id}`, field `unit`: unit `{unit}` is not in the dataset")]
    UnknownUnit {
        /// Kind of record.
        record: &'static str,
        /// Its id.
        id: String,
        /// The unit named.
        unit: String,
    },
    /// A panel score outside 0..100.
    #[error("nomination `{id}`, field `panel_scores`: score {score} is outside 0..100")]
    ScoreOutOfRange {
        /// The nomination's id.
        id: String,
        /// The score given.
        score: Decimal,
    },
    /// A report over months was given no month.
    #[error("{report}: no month of history was given (field `months`)")]
    NoHistory {
        /// The report.
        report: &'static str,
    },
    /// A plan covers an inverted range of years.
    #[error("plan `{id}`, field `until_year`: {until} is before {from}")]
    InvertedPlan {
        /// The plan's id.
        id: String,
        /// First year.
        from: i32,
        /// Last year.
        until: i32,
    },
    /// Checked arithmetic failed.
    #[error(transparent)]
    Arithmetic(#[from] ArithmeticError),
    /// A policy value is missing or wrong.
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// A shadow month could not be computed.
    #[error(transparent)]
    Payroll(#[from] crate::payroll::PayrollError),
    /// The yearly targets could not be computed (target shares or workload parameters).
    #[error("targets: {0}")]
    Targets(Box<crate::error::ValidationErrors>),
    /// A month's days could not be read from its ledger.
    #[error(transparent)]
    Ledger(#[from] crate::ledger::LedgerError),
}

impl InsightsError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            InsightsError::CeilingExceeded { .. } => "budget_ceiling_exceeded",
            InsightsError::PlanExceedsCeiling { .. } => "budget_plan_exceeds_ceiling",
            InsightsError::ProgressOutOfRange { .. } => "budget_progress_out_of_range",
            InsightsError::NegativeAmount { .. } => "negative_amount",
            InsightsError::TooManyMonths { .. } => "too_many_months",
            InsightsError::DuplicateCode { .. } => "duplicate_code",
            InsightsError::UnknownUnit { .. } => "unknown_unit",
            InsightsError::ScoreOutOfRange { .. } => "score_out_of_range",
            InsightsError::NoHistory { .. } => "no_history",
            InsightsError::InvertedPlan { .. } => "inverted_plan",
            InsightsError::Arithmetic(_) => "arithmetic",
            InsightsError::Policy(e) => e.code(),
            InsightsError::Payroll(e) => e.code(),
            InsightsError::Ledger(e) => e.code(),
            InsightsError::Targets(_) => "invalid_targets",
        }
    }
}

/// The records this module reads beside the dataset, in their own JSON file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InsightsRecords {
    /// Budgets per unit and fiscal year.
    #[serde(default)]
    pub budgets: Vec<UnitBudget>,
    /// Strategic plans (Renstra) and work plans (Renja) per unit.
    #[serde(default)]
    pub plans: Vec<UnitPlan>,
    /// Each unit's shadow month and go-live date.
    #[serde(default)]
    pub rollout: Vec<UnitRollout>,
    /// Award nominations with panel scores.
    #[serde(default)]
    pub nominations: Vec<Nomination>,
}

impl InsightsRecords {
    /// Reads the records from JSON.
    pub fn from_json(json: &str) -> Result<InsightsRecords, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// The records as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks every budget and nomination (see [`UnitBudget::validate`]).
    pub fn validate(&self) -> Result<(), InsightsError> {
        for b in &self.budgets {
            b.validate()?;
        }
        for p in &self.plans {
            if p.until_year < p.from_year {
                return Err(InsightsError::InvertedPlan { id: p.id.clone(), from: p.from_year, until: p.until_year });
            }
        }
        for n in &self.nominations {
            n.validate()?;
        }
        Ok(())
    }
}

/// One rung of the cumulative unexcused-days ladder (PP 94/2021): from `from_days`
/// unexcused days in a year, this sanction is recommended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LadderRung {
    /// Cumulative unexcused working days in the year from which the rung applies.
    pub from_days: u32,
    /// The sanction level: `light`, `medium` or `heavy`.
    pub level: String,
    /// The sanction itself, a stable code (e.g. `written_warning`).
    pub sanction: String,
}

/// The award scoring weights: percent of the Best Performance score from achievement and
/// from discipline (they sum to 100).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwardWeights {
    /// Percent from the mean monthly achievement (capped at 100 %).
    pub achievement: Decimal,
    /// Percent from the mean monthly share of working days present.
    pub discipline: Decimal,
}

/// Every policy value this module reads, bound for a date.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InsightParams {
    /// `budget.behind_plan_percent`: a sub-activity, programme or unit is behind plan when
    /// its cumulative realisation is below its cumulative plan by more than this percent of
    /// the plan.
    pub behind_plan_percent: Decimal,
    /// `readiness.electronic_attendance_percent`: the least share of assigned working days
    /// with an electronic scan.
    pub electronic_attendance_percent: Decimal,
    /// `insights.months`: the N months of training and transfer/promotion reports.
    pub months: u32,
    /// `insights.restructuring.merge_below`: unit efficiency below which merging is
    /// recommended.
    pub merge_below: Decimal,
    /// `insights.restructuring.slim_below`: unit efficiency below which slimming is
    /// recommended.
    pub slim_below: Decimal,
    /// `insights.procedures.drift_percent`: time spent per output unit that differs from
    /// the standard by more than this percent is a drift.
    pub drift_percent: Decimal,
    /// `insights.training.achievement_below`: monthly achievement under this percent
    /// counts toward training need.
    pub training_achievement_below: Decimal,
    /// `insights.training.returned_percent`: a share of entries returned at or above this
    /// percent is a training need.
    pub training_returned_percent: Decimal,
    /// `insights.promotion.achievement_at_least`: monthly achievement needed in each of the
    /// N months for transfer and promotion.
    pub promotion_achievement_at_least: Decimal,
    /// `insights.promotion.min_years_in_rank`: whole years in the current rank (from the
    /// employee's `rank_since`) needed for promotion eligibility.
    pub min_years_in_rank: u32,
    /// `insights.retirement_age`: retirement age (batas usia pensiun) per position kind.
    pub retirement_age: BTreeMap<PositionKind, u32>,
    /// `insights.sanction_ladder`: rungs ascending by `from_days`.
    pub sanction_ladder: Vec<LadderRung>,
    /// `insights.consecutive_unexcused_days`: consecutive unexcused working days that
    /// reach the ladder's last rung whatever the cumulative count.
    pub consecutive_unexcused_days: u32,
    /// `insights.verification.late_hours`: a decision within this many hours before the
    /// verification deadline is "last-minute".
    pub late_hours: i64,
    /// `awards.weights`.
    pub award_weights: AwardWeights,
}

impl InsightParams {
    /// Reads every value in force on `date`, with provenance.
    pub fn from_policy(policy: &Policy, date: NaiveDate) -> Result<Bound<InsightParams>, PolicyError> {
        let mut b = Binder::new(policy, date);
        let months = u32::try_from(b.int("insights.months")?).unwrap_or(1);
        let p = InsightParams {
            behind_plan_percent: b.decimal("budget.behind_plan_percent")?,
            electronic_attendance_percent: b.decimal("readiness.electronic_attendance_percent")?,
            months,
            merge_below: b.decimal("insights.restructuring.merge_below")?,
            slim_below: b.decimal("insights.restructuring.slim_below")?,
            drift_percent: b.decimal("insights.procedures.drift_percent")?,
            training_achievement_below: b.decimal("insights.training.achievement_below")?,
            training_returned_percent: b.decimal("insights.training.returned_percent")?,
            promotion_achievement_at_least: b.decimal("insights.promotion.achievement_at_least")?,
            min_years_in_rank: u32::try_from(b.int("insights.promotion.min_years_in_rank")?).unwrap_or(4),
            retirement_age: b.custom("insights.retirement_age", retirement_ages)?,
            sanction_ladder: b.custom("insights.sanction_ladder", sanction_ladder)?,
            consecutive_unexcused_days: u32::try_from(b.int("insights.consecutive_unexcused_days")?).unwrap_or(10),
            late_hours: b.int("insights.verification.late_hours")?,
            award_weights: b.custom("awards.weights", award_weights)?,
        };
        Ok(b.finish(p))
    }
}

const KINDS: [(&str, PositionKind); 5] = [
    ("leadership", PositionKind::Leadership),
    ("administrator", PositionKind::Administrator),
    ("supervisor", PositionKind::Supervisor),
    ("functional", PositionKind::Functional),
    ("executor", PositionKind::Executor),
];

/// The policy name of a position kind (`leadership`, ..., `executor`).
pub fn kind_name(kind: PositionKind) -> &'static str {
    KINDS.iter().find(|(_, k)| *k == kind).map_or("executor", |(n, _)| n)
}

/// `insights.retirement_age`: a table from every position kind to an age in years.
pub(crate) fn retirement_ages(value: &Value) -> Result<BTreeMap<PositionKind, u32>, String> {
    let t = value.as_table().ok_or("expected a table from position kind to an age in years")?;
    let mut out = BTreeMap::new();
    for key in t.keys() {
        if !KINDS.iter().any(|(n, _)| n == key) {
            return Err(format!("unknown position kind `{key}`"));
        }
    }
    for (name, kind) in KINDS {
        let age = t
            .get(name)
            .and_then(Value::as_int)
            .and_then(|a| u32::try_from(a).ok())
            .filter(|a| (40..=75).contains(a))
            .ok_or_else(|| format!("{name}: expected an age 40..=75 in years"))?;
        out.insert(kind, age);
    }
    Ok(out)
}

/// `insights.sanction_ladder`: a non-empty list of `{from_days, level, sanction}`,
/// `from_days` strictly ascending.
pub(crate) fn sanction_ladder(value: &Value) -> Result<Vec<LadderRung>, String> {
    let items = value.as_list().filter(|l| !l.is_empty()).ok_or("expected a non-empty list of rungs")?;
    let mut out: Vec<LadderRung> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let t = item.as_table().ok_or_else(|| format!("[{i}]: expected a table {{from_days, level, sanction}}"))?;
        if let Some(f) = t.keys().find(|f| !["from_days", "level", "sanction"].contains(&f.as_str())) {
            return Err(format!("[{i}]: unknown field `{f}`"));
        }
        let from_days = t
            .get("from_days")
            .and_then(Value::as_int)
            .and_then(|d| u32::try_from(d).ok())
            .filter(|d| (1..=366).contains(d))
            .ok_or_else(|| format!("[{i}].from_days: expected 1..=366"))?;
        let level = t
            .get("level")
            .and_then(Value::as_text)
            .filter(|l| ["light", "medium", "heavy"].contains(l))
            .ok_or_else(|| format!("[{i}].level: expected light, medium or heavy"))?;
        let sanction = t
            .get("sanction")
            .and_then(Value::as_text)
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| format!("[{i}].sanction: expected a code"))?;
        if out.last().is_some_and(|r| r.from_days >= from_days) {
            return Err(format!("[{i}].from_days: {from_days} is not above the previous rung"));
        }
        out.push(LadderRung { from_days, level: level.to_string(), sanction: sanction.to_string() });
    }
    Ok(out)
}

/// `awards.weights`: `{achievement, discipline}` quoted percents summing to 100.
pub(crate) fn award_weights(value: &Value) -> Result<AwardWeights, String> {
    let t = value.as_table().ok_or("expected a table {achievement, discipline}")?;
    if let Some(f) = t.keys().find(|f| *f != "achievement" && *f != "discipline") {
        return Err(format!("unknown field `{f}`"));
    }
    let get = |k: &str| {
        t.get(k)
            .and_then(parse_decimal_text)
            .filter(|d| *d >= Decimal::ZERO && *d <= Decimal::ONE_HUNDRED)
            .ok_or_else(|| format!("{k}: expected a quoted percent 0..100"))
    };
    let w = AwardWeights { achievement: get("achievement")?, discipline: get("discipline")? };
    if w.achievement + w.discipline != Decimal::ONE_HUNDRED {
        return Err(format!("achievement {} + discipline {} must be 100", w.achievement, w.discipline));
    }
    Ok(w)
}

/// `part / whole x 100`, or `None` when `whole` is zero.
pub(crate) fn percent(part: Decimal, whole: Decimal) -> Result<Option<Decimal>, ArithmeticError> {
    if whole.is_zero() {
        return Ok(None);
    }
    let ratio = part.checked_div(whole).ok_or(ArithmeticError::Overflow { operation: "percent" })?;
    Ok(Some(
        ratio.checked_mul(Decimal::ONE_HUNDRED).ok_or(ArithmeticError::Overflow { operation: "percent" })?.round_dp(2),
    ))
}
