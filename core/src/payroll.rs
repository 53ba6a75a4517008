//! Paying a city's month: from the monthly recap to every employee's allowance
//! slip, with totals per work unit and for the city.
//!
//! [`allowance_inputs`] turns each employee's recap (target and verified
//! minutes, attendance, roll calls) and the city's records (position and job
//! class, rank, employment type, salary from the payroll system, acting (Plt)
//! assignments, disciplinary sanctions) into the plain
//! [`AllowanceInput`] the allowance engine
//! reads. [`pay_city`] computes every slip with the policy bound once for the
//! month. [`what_if`] pays the same month under two policies and compares them.
//!
//! Employees without a definitive position in the month are not paid (they
//! have no job class). An employee without a salary record is paid with a
//! salary of zero for the contribution's base (the allowance itself does not
//! depend on the salary).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::allowance::{
    self, ActingInput, AllowanceError, AllowanceInput, AllowanceParams, Comparison, Delta, DisciplineInput,
    PerformanceInput, RollCallsMissed, SanctionInput, Slip, Totals,
};
use crate::dataset::City;
use crate::ids::UnitId;
use crate::ledger::MonthContext;
use crate::money::Money;
use crate::month::{DateRange, YearMonth};
use crate::org::{AssignmentKind, Nip};
use crate::policy::{Policy, PolicyError};
use crate::recap::{EmployeeRecap, MonthlyRecap};

/// Why a month could not be paid at all (per-employee failures are listed in
/// [`CityPayroll::failures`] instead).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PayrollError {
    /// The policy has no usable allowance parameters for the month.
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// A total overflowed.
    #[error(transparent)]
    Arithmetic(#[from] crate::ArithmeticError),
    /// The recap is for another month than the context.
    #[error("the recap is for {recap}, the context for {context}")]
    MonthMismatch {
        /// The recap's month.
        recap: YearMonth,
        /// The context's month.
        context: YearMonth,
    },
}

impl PayrollError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            PayrollError::Policy(e) => e.code(),
            PayrollError::Arithmetic(_) => "arithmetic",
            PayrollError::MonthMismatch { .. } => "month_mismatch",
        }
    }
}

/// Salaries and sanctions by employee, looked up once per batch.
struct Records<'c> {
    salary: std::collections::HashMap<&'c Nip, (chrono::NaiveDate, Money)>,
    sanctions: std::collections::HashMap<&'c Nip, Vec<&'c crate::dataset::SanctionRecord>>,
}

impl<'c> Records<'c> {
    fn new(city: &'c City, month: YearMonth) -> Self {
        let mut salary: std::collections::HashMap<&Nip, (chrono::NaiveDate, Money)> = Default::default();
        for s in city.salaries.iter().filter(|s| s.from <= month.last_day()) {
            let e = salary.entry(&s.employee).or_insert((s.from, s.salary));
            if s.from >= e.0 {
                *e = (s.from, s.salary);
            }
        }
        let mut sanctions: std::collections::HashMap<&Nip, Vec<_>> = Default::default();
        for s in &city.sanctions {
            sanctions.entry(&s.employee).or_default().push(s);
        }
        Records { salary, sanctions }
    }
}

/// The allowance input of one employee's recap, or `None` when the employee
/// held no definitive position in the month.
pub fn allowance_input(city: &City, ctx: &MonthContext<'_>, r: &EmployeeRecap) -> Option<AllowanceInput> {
    input_with(city, ctx, r, &Records::new(city, ctx.month))
}

fn input_with(city: &City, ctx: &MonthContext<'_>, r: &EmployeeRecap, records: &Records<'_>) -> Option<AllowanceInput> {
    let org = &city.organisation;
    let month = ctx.month;
    let position = org.position(r.position.as_ref()?)?;
    let employee = org.employee(&r.employee)?;
    let salary = records.salary.get(&r.employee).map_or(Money::ZERO, |s| s.1);
    let a = &r.attendance;
    let count = |n: u32| i64::from(n);
    let discipline = DisciplineInput {
        days_present: count(a.days_present),
        late: [count(a.late[0].count), count(a.late[1].count), count(a.late[2].count), count(a.late[3].count)],
        early: [count(a.early[0].count), count(a.early[1].count), count(a.early[2].count), count(a.early[3].count)],
        unexcused_days: count(a.unexcused_days),
        absences: a.absences.iter().filter(|(_, d)| **d > 0).map(|(k, d)| (k.clone(), count(*d))).collect(),
        roll_calls_missed: RollCallsMissed {
            morning: count(r.roll_call.morning.missed),
            afternoon: count(r.roll_call.afternoon.missed),
            ceremony: count(r.roll_call.ceremony.missed),
        },
    };
    let range = month.range();
    let acting = org
        .assignments_of(&r.employee)
        .filter(|x| x.kind == AssignmentKind::Plt)
        .filter_map(|x| {
            let covered = DateRange::clip_open(x.from, x.until, range)?;
            let acted = org.position(&x.position)?;
            Some(ActingInput {
                position: x.position.clone(),
                job_class: i64::from(acted.job_class.get()),
                working_days: i64::from(ctx.city.calendar.working_days(covered)),
            })
        })
        .collect();
    let sanctions = records
        .sanctions
        .get(&r.employee)
        .into_iter()
        .flatten()
        .map(|s| SanctionInput {
            level: s.level.clone(),
            effective_from: s.effective_from,
            months: i64::from(s.months),
            reference: s.reference.clone(),
        })
        .collect();
    // Working days counted: up to the cut-off when the month has one.
    let (calendar_days, assigned_days) = match ctx.cutoff {
        Some(c) if c < month.last_day() => {
            let counted = DateRange { start: month.first_day(), end: c.max(month.first_day()) };
            let cal = ctx.city.calendar.working_dates(counted);
            let (mut all, mut assigned) = (0u32, 0u32);
            for d in cal {
                all += 1;
                if org.definitive_assignment(&r.employee, d).is_some() {
                    assigned += 1;
                }
            }
            (all, assigned)
        }
        _ => (r.target.calendar_working_days, r.target.assigned_working_days),
    };
    Some(AllowanceInput {
        employee: r.employee.clone(),
        month,
        job_class: i64::from(position.job_class.get()),
        rank: employee.rank,
        employment: employee.employment,
        salary,
        calendar_working_days: i64::from(calendar_days),
        assigned_working_days: i64::from(assigned_days),
        performance: PerformanceInput { target_minutes: r.target.target_minutes, verified_minutes: r.verified_minutes },
        discipline,
        acting,
        sanctions,
    })
}

/// Every paid employee's allowance input, in recap order.
pub fn allowance_inputs(city: &City, ctx: &MonthContext<'_>, recap: &MonthlyRecap) -> Vec<AllowanceInput> {
    let records = Records::new(city, ctx.month);
    recap.employees.iter().filter_map(|r| input_with(city, ctx, r, &records)).collect()
}

/// One employee who could not be paid, and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PayrollFailure {
    /// The employee.
    pub employee: Nip,
    /// The error's code.
    pub code: String,
    /// The error's message.
    pub message: String,
}

/// A work unit's slips added up.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UnitPayroll {
    /// The unit.
    pub unit: Option<UnitId>,
    /// Its totals.
    pub totals: Totals,
}

/// A city's month paid.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CityPayroll {
    /// The month.
    pub month: YearMonth,
    /// Every slip, in recap order.
    pub slips: Vec<Slip>,
    /// The unit of each slip's employee (parallel to `slips`).
    pub slip_units: Vec<Option<UnitId>>,
    /// Employees whose slip could not be computed.
    pub failures: Vec<PayrollFailure>,
    /// Totals per work unit, in dataset order.
    pub units: Vec<UnitPayroll>,
    /// The city's totals.
    pub city: Totals,
}

impl CityPayroll {
    /// The slip of one employee.
    pub fn slip(&self, nip: &Nip) -> Option<&Slip> {
        self.slips.iter().find(|s| &s.employee == nip)
    }
}

/// Pays the recap's month under `policy`.
pub fn pay_city(
    city: &City,
    ctx: &MonthContext<'_>,
    recap: &MonthlyRecap,
    policy: &Policy,
) -> Result<CityPayroll, PayrollError> {
    if recap.month != ctx.month {
        return Err(PayrollError::MonthMismatch { recap: recap.month, context: ctx.month });
    }
    let params = AllowanceParams::from_policy(policy, ctx.month)?;
    let org = &city.organisation;
    let mut slips = Vec::with_capacity(recap.employees.len());
    let mut slip_units = Vec::with_capacity(recap.employees.len());
    let mut failures = Vec::new();
    let mut units: Vec<UnitPayroll> =
        org.units().iter().map(|u| UnitPayroll { unit: Some(u.id.clone()), totals: Totals::default() }).collect();
    let mut city_totals = Totals::default();
    let records = Records::new(city, ctx.month);
    let mut paid = Vec::with_capacity(recap.employees.len());
    let mut inputs = Vec::with_capacity(recap.employees.len());
    for r in &recap.employees {
        if let Some(input) = input_with(city, ctx, r, &records) {
            paid.push(r);
            inputs.push(input);
        }
    }
    // The policy's share of every slip (values, references, hash prefix) is prepared once.
    for (r, result) in paid.into_iter().zip(allowance::pay_all(&inputs, &params)) {
        match result {
            Ok(slip) => {
                city_totals.add(&slip)?;
                if let Some(ui) = r.unit.as_ref().and_then(|u| org.unit_index(u))
                    && let Some(u) = units.get_mut(ui)
                {
                    u.totals.add(&slip)?;
                }
                slip_units.push(r.unit.clone());
                slips.push(slip);
            }
            Err(e) => failures.push(failure(&r.employee, &e)),
        }
    }
    Ok(CityPayroll { month: ctx.month, slips, slip_units, failures, units, city: city_totals })
}

fn failure(nip: &Nip, e: &AllowanceError) -> PayrollFailure {
    PayrollFailure { employee: nip.clone(), code: e.code().to_string(), message: e.to_string() }
}

/// The same month paid under a current and a proposed policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WhatIf {
    /// The month paid under the current policy.
    pub current: CityPayroll,
    /// The month paid under the proposed policy.
    pub proposed: CityPayroll,
    /// Per-employee and city comparison.
    pub comparison: Comparison,
    /// Deltas per work unit (`""` for employees without a unit).
    pub units: BTreeMap<String, Delta>,
}

/// Pays the recap's month under two policies and compares them: the budget
/// impact of a proposed regulation change, per employee, unit and city.
pub fn what_if(
    city: &City,
    ctx: &MonthContext<'_>,
    recap: &MonthlyRecap,
    current: &Policy,
    proposed: &Policy,
) -> Result<WhatIf, PayrollError> {
    let a = pay_city(city, ctx, recap, current)?;
    let b = pay_city(city, ctx, recap, proposed)?;
    let comparison = allowance::compare(&a.slips, &b.slips);
    let unit_of: BTreeMap<&Nip, String> = a
        .slips
        .iter()
        .zip(&a.slip_units)
        .chain(b.slips.iter().zip(&b.slip_units))
        .map(|(s, u)| (&s.employee, u.as_ref().map(|u| u.to_string()).unwrap_or_default()))
        .collect();
    let units = comparison.group_by(|nip| unit_of.get(nip).cloned());
    Ok(WhatIf { current: a, proposed: b, comparison, units })
}
