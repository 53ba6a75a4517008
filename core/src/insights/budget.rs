//! Budget realisation (*Resume APBD*, *Capaian Realisasi Program dan Anggaran*).
//!
//! Per work unit and fiscal year: programmes > activities > sub-activities, each
//! sub-activity with a ceiling (*pagu*, exact money), a monthly disbursement plan,
//! monthly financial realisation and cumulative physical progress (%). Revenue lines
//! give the unit's revenue target and its monthly realisation.
//!
//! [`realisation`] reports, through a month: absorption (realised / ceiling), deviation
//! from the cumulative plan (realised - planned, in rupiah and as a percent of the plan),
//! and which units and programmes are behind plan (realised below plan by more than
//! `budget.behind_plan_percent` of the plan). Realisation beyond the ceiling and progress
//! beyond 100 % are refused ([`UnitBudget::validate`]).
//!
//! Sub-activities may name the positions and tasks that carry them; [`realisation`]
//! then adds the verified minutes logged on those tasks, so budget progress is read next
//! to the verified work of the people doing it.

use std::collections::{BTreeMap, HashSet};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{InsightsError, percent};
use crate::activity::VerificationStatus;
use crate::ids::{PositionId, TaskId, UnitId};
use crate::ledger::LedgerState;
use crate::minutes::Minutes;
use crate::money::Money;

/// A revenue line (pendapatan) of a unit's budget.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RevenueLine {
    /// Account code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Yearly target.
    pub target: Money,
    /// Revenue received per month, January first.
    #[serde(default)]
    pub realised: Vec<Money>,
}

/// A sub-activity (sub kegiatan): the level that carries money.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubActivity {
    /// Code, unique within the budget.
    pub code: String,
    /// Name.
    pub name: String,
    /// Ceiling (pagu).
    pub ceiling: Money,
    /// Planned disbursement per month (rencana penarikan dana), January first.
    #[serde(default)]
    pub plan: Vec<Money>,
    /// Financial realisation per month (realisasi keuangan), January first.
    #[serde(default)]
    pub realisation: Vec<Money>,
    /// Cumulative physical progress at each month's end (realisasi fisik), percent.
    #[serde(default)]
    pub progress: Vec<Decimal>,
    /// Positions that carry the sub-activity.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub positions: Vec<PositionId>,
    /// Tasks whose verified work carries the sub-activity.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<TaskId>,
}

/// An activity (kegiatan).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Its sub-activities.
    pub sub_activities: Vec<SubActivity>,
}

/// A programme (program).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Programme {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Its activities.
    pub activities: Vec<Activity>,
}

/// One unit's budget (DPA) for a fiscal year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitBudget {
    /// The work unit.
    pub unit: UnitId,
    /// The fiscal year.
    pub year: i32,
    /// Revenue lines.
    #[serde(default)]
    pub revenue: Vec<RevenueLine>,
    /// Spending programmes.
    #[serde(default)]
    pub programmes: Vec<Programme>,
}

fn sum(items: &[Money], through: usize) -> Result<Money, InsightsError> {
    Ok(Money::checked_sum(items.iter().take(through).copied())?)
}

impl UnitBudget {
    /// Checks the budget: codes unique, no negative amount, at most 12 months per
    /// series, the plan within the ceiling, the cumulative realisation within the
    /// ceiling in every month, physical progress within 0..100 %.
    pub fn validate(&self) -> Result<(), InsightsError> {
        let mut seen = HashSet::new();
        let negative = |record, id: &str, field, m: Money| {
            if m.is_negative() {
                Err(InsightsError::NegativeAmount { record, id: id.to_string(), field, amount: m.amount() })
            } else {
                Ok(())
            }
        };
        let months = |record, id: &str, field, len: usize| {
            if len > 12 { Err(InsightsError::TooManyMonths { record, id: id.to_string(), field, len }) } else { Ok(()) }
        };
        for r in &self.revenue {
            negative("revenue", &r.code, "target", r.target)?;
            months("revenue", &r.code, "realised", r.realised.len())?;
            for m in &r.realised {
                negative("revenue", &r.code, "realised", *m)?;
            }
        }
        for s in self.sub_activities() {
            if !seen.insert(s.code.as_str()) {
                return Err(InsightsError::DuplicateCode { record: "sub_activity", id: s.code.clone() });
            }
            negative("sub_activity", &s.code, "ceiling", s.ceiling)?;
            months("sub_activity", &s.code, "plan", s.plan.len())?;
            months("sub_activity", &s.code, "realisation", s.realisation.len())?;
            months("sub_activity", &s.code, "progress", s.progress.len())?;
            for m in &s.plan {
                negative("sub_activity", &s.code, "plan", *m)?;
            }
            let planned = sum(&s.plan, 12)?;
            if planned > s.ceiling {
                return Err(InsightsError::PlanExceedsCeiling {
                    sub_activity: s.code.clone(),
                    planned: planned.amount(),
                    ceiling: s.ceiling.amount(),
                });
            }
            let mut cumulative = Money::ZERO;
            for (i, m) in s.realisation.iter().enumerate() {
                negative("sub_activity", &s.code, "realisation", *m)?;
                cumulative = cumulative.checked_add(*m)?;
                if cumulative > s.ceiling {
                    return Err(InsightsError::CeilingExceeded {
                        sub_activity: s.code.clone(),
                        month: i as u32 + 1,
                        realised: cumulative.amount(),
                        ceiling: s.ceiling.amount(),
                    });
                }
            }
            for (i, p) in s.progress.iter().enumerate() {
                if *p < Decimal::ZERO || *p > Decimal::ONE_HUNDRED {
                    return Err(InsightsError::ProgressOutOfRange {
                        sub_activity: s.code.clone(),
                        month: i as u32 + 1,
                        progress: *p,
                    });
                }
            }
        }
        Ok(())
    }

    /// Every sub-activity, programme by programme.
    pub fn sub_activities(&self) -> impl Iterator<Item = &SubActivity> {
        self.programmes.iter().flat_map(|p| p.activities.iter()).flat_map(|a| a.sub_activities.iter())
    }
}

/// The figures of one line of the report (a sub-activity, activity, programme, unit or
/// the city) through a month.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// Ceiling (pagu).
    pub ceiling: Money,
    /// Cumulative plan through the month.
    pub planned: Money,
    /// Cumulative realisation through the month.
    pub realised: Money,
    /// realised / ceiling x 100 (2 decimals); none for a zero ceiling.
    pub absorption_percent: Option<Decimal>,
    /// realised - planned (negative: behind).
    pub deviation: Money,
    /// (realised - planned) / planned x 100 (2 decimals); none when nothing was planned.
    pub deviation_percent: Option<Decimal>,
    /// Physical progress at the month's end, the ceiling-weighted mean (2 decimals).
    pub progress_percent: Option<Decimal>,
    /// Behind plan: deviation_percent below minus `budget.behind_plan_percent`.
    pub behind: bool,
    /// Ceiling x progress, summed (the weight of `progress_percent`).
    #[serde(skip)]
    weighted_progress: Decimal,
    /// Ceiling of the lines that report progress.
    #[serde(skip)]
    progress_ceiling: Decimal,
}

impl Figures {
    fn add(&mut self, o: &Figures) -> Result<(), InsightsError> {
        self.ceiling = self.ceiling.checked_add(o.ceiling)?;
        self.planned = self.planned.checked_add(o.planned)?;
        self.realised = self.realised.checked_add(o.realised)?;
        self.weighted_progress += o.weighted_progress;
        self.progress_ceiling += o.progress_ceiling;
        Ok(())
    }

    fn finish(&mut self, behind_plan_percent: Decimal) -> Result<(), InsightsError> {
        self.absorption_percent = percent(self.realised.amount(), self.ceiling.amount())?;
        self.deviation = self.realised.checked_sub(self.planned)?;
        self.deviation_percent = percent(self.deviation.amount(), self.planned.amount())?;
        self.progress_percent = percent(self.weighted_progress, self.progress_ceiling * Decimal::ONE_HUNDRED)?;
        self.behind = self.deviation_percent.is_some_and(|d| d < -behind_plan_percent);
        Ok(())
    }
}

/// A sub-activity's line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubActivityLine {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Figures.
    pub figures: Figures,
    /// Positions that carry it.
    pub positions: Vec<PositionId>,
    /// Approved (verified) minutes logged on its tasks in the ledgers given.
    pub verified_minutes: Minutes,
}

/// An activity's line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActivityLine {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Figures (sum of its sub-activities).
    pub figures: Figures,
    /// Its sub-activities.
    pub sub_activities: Vec<SubActivityLine>,
}

/// A programme's line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgrammeLine {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Figures (sum of its activities).
    pub figures: Figures,
    /// Its activities.
    pub activities: Vec<ActivityLine>,
}

/// One unit's realisation and its Resume APBD line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitRealisation {
    /// The unit.
    pub unit: UnitId,
    /// Yearly revenue target.
    pub revenue_target: Money,
    /// Revenue received through the month.
    pub revenue_realised: Money,
    /// Spending figures (sum of the programmes).
    pub figures: Figures,
    /// Programmes.
    pub programmes: Vec<ProgrammeLine>,
}

/// The budget realisation of a fiscal year through a month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BudgetReport {
    /// The fiscal year.
    pub year: i32,
    /// The last month counted (1-12).
    pub through: u32,
    /// The threshold used (`budget.behind_plan_percent`).
    pub behind_plan_percent: Decimal,
    /// Every unit with a budget for the year, in the order given.
    pub units: Vec<UnitRealisation>,
    /// The city's revenue target (Resume APBD).
    pub revenue_target: Money,
    /// The city's revenue received through the month.
    pub revenue_realised: Money,
    /// The city's spending figures.
    pub city: Figures,
    /// Units behind plan.
    pub behind_units: Vec<UnitId>,
    /// Programmes behind plan, `(unit, programme code)`.
    pub behind_programmes: Vec<(UnitId, String)>,
}

/// Approved minutes per task over the ledgers' entries.
fn verified_by_task(ledgers: &[&LedgerState]) -> Result<BTreeMap<TaskId, Minutes>, InsightsError> {
    let mut out: BTreeMap<TaskId, Minutes> = BTreeMap::new();
    for l in ledgers {
        for e in l.entries.iter().filter(|e| e.status == VerificationStatus::Approved) {
            let m = e.standard_minutes.checked_mul(e.approved_quantity.unwrap_or(e.quantity))?;
            let slot = out.entry(e.task.clone()).or_insert(Minutes::ZERO);
            *slot = slot.checked_add(m)?;
        }
    }
    Ok(out)
}

/// The realisation of every budget of `year` through month `through` (1-12; larger is
/// read as 12), with the verified minutes on each sub-activity's tasks from `ledgers`.
/// Every budget is validated first.
pub fn realisation(
    budgets: &[UnitBudget],
    year: i32,
    through: u32,
    behind_plan_percent: Decimal,
    ledgers: &[&LedgerState],
) -> Result<BudgetReport, InsightsError> {
    let through = through.clamp(1, 12);
    let n = through as usize;
    let work = verified_by_task(ledgers)?;
    let mut report = BudgetReport {
        year,
        through,
        behind_plan_percent,
        units: Vec::new(),
        revenue_target: Money::ZERO,
        revenue_realised: Money::ZERO,
        city: Figures::default(),
        behind_units: Vec::new(),
        behind_programmes: Vec::new(),
    };
    for b in budgets.iter().filter(|b| b.year == year) {
        b.validate()?;
        let mut unit = UnitRealisation {
            unit: b.unit.clone(),
            revenue_target: Money::ZERO,
            revenue_realised: Money::ZERO,
            figures: Figures::default(),
            programmes: Vec::new(),
        };
        for r in &b.revenue {
            unit.revenue_target = unit.revenue_target.checked_add(r.target)?;
            unit.revenue_realised = unit.revenue_realised.checked_add(sum(&r.realised, n)?)?;
        }
        for p in &b.programmes {
            let mut pl = ProgrammeLine {
                code: p.code.clone(),
                name: p.name.clone(),
                figures: Figures::default(),
                activities: Vec::new(),
            };
            for a in &p.activities {
                let mut al = ActivityLine {
                    code: a.code.clone(),
                    name: a.name.clone(),
                    figures: Figures::default(),
                    sub_activities: Vec::new(),
                };
                for s in &a.sub_activities {
                    let mut f = Figures {
                        ceiling: s.ceiling,
                        planned: sum(&s.plan, n)?,
                        realised: sum(&s.realisation, n)?,
                        ..Figures::default()
                    };
                    // Progress at the month, else the last month reported before it.
                    if let Some(p) = s.progress.get(..n.min(s.progress.len())).and_then(<[Decimal]>::last) {
                        f.weighted_progress = s.ceiling.amount() * *p;
                        f.progress_ceiling = s.ceiling.amount();
                    }
                    al.figures.add(&f)?;
                    f.finish(behind_plan_percent)?;
                    let mut verified = Minutes::ZERO;
                    for t in &s.tasks {
                        verified = verified.checked_add(work.get(t).copied().unwrap_or(Minutes::ZERO))?;
                    }
                    al.sub_activities.push(SubActivityLine {
                        code: s.code.clone(),
                        name: s.name.clone(),
                        figures: f,
                        positions: s.positions.clone(),
                        verified_minutes: verified,
                    });
                }
                pl.figures.add(&al.figures)?;
                al.figures.finish(behind_plan_percent)?;
                pl.activities.push(al);
            }
            unit.figures.add(&pl.figures)?;
            pl.figures.finish(behind_plan_percent)?;
            if pl.figures.behind {
                report.behind_programmes.push((b.unit.clone(), pl.code.clone()));
            }
            unit.programmes.push(pl);
        }
        report.city.add(&unit.figures)?;
        unit.figures.finish(behind_plan_percent)?;
        if unit.figures.behind {
            report.behind_units.push(b.unit.clone());
        }
        report.revenue_target = report.revenue_target.checked_add(unit.revenue_target)?;
        report.revenue_realised = report.revenue_realised.checked_add(unit.revenue_realised)?;
        report.units.push(unit);
    }
    report.city.finish(behind_plan_percent)?;
    Ok(report)
}
