//! The yearly awards: Best Performance, Best Service and Best Innovative (the seed
//! article: an Umrah voucher for three employees in three categories).
//!
//! - **Best Performance** is computed from the data by the scoring rule of
//!   `awards.weights`, shown line by line ([`PerformanceScore`]):
//!   `score = (w_achievement x mean achievement + w_discipline x mean presence) / 100`,
//!   achievement capped at 100 % per month, presence = days present / working days.
//!   Ties: higher mean achievement, then fewer unexcused days, then the lower NIP.
//! - **Best Service** and **Best Innovative** come from recorded nominations and the
//!   panel's scores (0..100): the mean score. Ties: more panel scores, then the lower
//!   nomination id.
//!
//! Three winners per category.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{AwardWeights, InsightsError};
use crate::org::Nip;
use crate::recap::MonthlyRecap;

/// The winners per category.
pub const WINNERS: usize = 3;

/// A nominated category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NominationCategory {
    /// Best Innovative.
    Innovative,
    /// Best Service.
    Service,
}

/// A nomination with the panel's scores.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Nomination {
    /// Its id.
    pub id: String,
    /// The award year.
    pub year: i32,
    /// The category.
    pub category: NominationCategory,
    /// The nominee.
    pub employee: Nip,
    /// What the nomination is for.
    pub title: String,
    /// Each panel member's score, 0..100.
    #[serde(default)]
    pub panel_scores: Vec<Decimal>,
}

impl Nomination {
    /// Every score within 0..100.
    pub fn validate(&self) -> Result<(), InsightsError> {
        match self.panel_scores.iter().find(|s| **s < Decimal::ZERO || **s > Decimal::ONE_HUNDRED) {
            Some(s) => Err(InsightsError::ScoreOutOfRange { id: self.id.clone(), score: *s }),
            None => Ok(()),
        }
    }
}

/// A Best Performance line, every figure shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PerformanceScore {
    /// The employee.
    pub employee: Nip,
    /// Months counted (with a target).
    pub months: u32,
    /// Mean monthly achievement, each capped at 100 % (2 decimals).
    pub achievement: Decimal,
    /// Mean monthly presence, days present / working days x 100 (2 decimals).
    pub presence: Decimal,
    /// Unexcused days in the year.
    pub unexcused_days: u32,
    /// achievement x weight / 100 (2 decimals).
    pub achievement_points: Decimal,
    /// presence x weight / 100 (2 decimals).
    pub presence_points: Decimal,
    /// The sum.
    pub score: Decimal,
}

/// A nomination's line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NominationScore {
    /// The nomination.
    pub nomination: String,
    /// The nominee.
    pub employee: Nip,
    /// What for.
    pub title: String,
    /// Panel scores.
    pub panel_scores: Vec<Decimal>,
    /// Their mean (2 decimals; 0 without scores).
    pub score: Decimal,
}

/// The awards of a year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Awards {
    /// The year.
    pub year: i32,
    /// The weights used.
    pub weights: AwardWeights,
    /// Best Performance, every employee ranked (the first three win).
    pub performance: Vec<PerformanceScore>,
    /// Best Service, ranked.
    pub service: Vec<NominationScore>,
    /// Best Innovative, ranked.
    pub innovative: Vec<NominationScore>,
}

impl Awards {
    /// The winners of Best Performance (up to three).
    pub fn performance_winners(&self) -> &[PerformanceScore] {
        &self.performance[..self.performance.len().min(WINNERS)]
    }
    /// The winners of Best Service.
    pub fn service_winners(&self) -> &[NominationScore] {
        &self.service[..self.service.len().min(WINNERS)]
    }
    /// The winners of Best Innovative.
    pub fn innovative_winners(&self) -> &[NominationScore] {
        &self.innovative[..self.innovative.len().min(WINNERS)]
    }
}

fn mean(sum: Decimal, n: u32) -> Decimal {
    if n == 0 { Decimal::ZERO } else { (sum / Decimal::from(n)).round_dp(2) }
}

/// The awards of `year` from the history's months of that year and the nominations.
pub fn awards(
    history: &[MonthlyRecap],
    nominations: &[Nomination],
    weights: AwardWeights,
    year: i32,
) -> Result<Awards, InsightsError> {
    // employee -> (months, achievement sum, presence months, presence sum, unexcused)
    let mut acc: BTreeMap<Nip, (u32, Decimal, u32, Decimal, u32)> = BTreeMap::new();
    for r in history.iter().filter(|r| r.month.year() == year) {
        for e in &r.employees {
            let a = acc.entry(e.employee.clone()).or_default();
            if let Some(ach) = e.achievement_percent {
                a.0 += 1;
                a.1 += ach.min(Decimal::ONE_HUNDRED);
            }
            if e.attendance.working_days > 0 {
                a.2 += 1;
                a.3 += Decimal::from(e.attendance.days_present) * Decimal::ONE_HUNDRED
                    / Decimal::from(e.attendance.working_days);
            }
            a.4 += e.attendance.unexcused_days;
        }
    }
    let mut performance: Vec<PerformanceScore> = acc
        .into_iter()
        .filter(|(_, a)| a.0 > 0)
        .map(|(employee, (n, ach, pn, pres, unexcused))| {
            let achievement = mean(ach, n);
            let presence = mean(pres, pn);
            let achievement_points = (achievement * weights.achievement / Decimal::ONE_HUNDRED).round_dp(2);
            let presence_points = (presence * weights.discipline / Decimal::ONE_HUNDRED).round_dp(2);
            PerformanceScore {
                employee,
                months: n,
                achievement,
                presence,
                unexcused_days: unexcused,
                achievement_points,
                presence_points,
                score: achievement_points + presence_points,
            }
        })
        .collect();
    performance.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| b.achievement.cmp(&a.achievement))
            .then_with(|| a.unexcused_days.cmp(&b.unexcused_days))
            .then_with(|| a.employee.cmp(&b.employee))
    });
    let ranked = |category: NominationCategory| -> Result<Vec<NominationScore>, InsightsError> {
        let mut out = Vec::new();
        for n in nominations.iter().filter(|n| n.year == year && n.category == category) {
            n.validate()?;
            let total: Decimal = n.panel_scores.iter().sum();
            out.push(NominationScore {
                nomination: n.id.clone(),
                employee: n.employee.clone(),
                title: n.title.clone(),
                panel_scores: n.panel_scores.clone(),
                score: mean(total, n.panel_scores.len() as u32),
            });
        }
        out.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then_with(|| b.panel_scores.len().cmp(&a.panel_scores.len()))
                .then_with(|| a.nomination.cmp(&b.nomination))
        });
        Ok(out)
    };
    Ok(Awards {
        year,
        weights,
        performance,
        service: ranked(NominationCategory::Service)?,
        innovative: ranked(NominationCategory::Innovative)?,
    })
}
