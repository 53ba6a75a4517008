//! The allowance parameters ([`AllowanceParams`]): every `allowance.*` policy key, typed,
//! bound for one month with the provenance of each value.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use rust_decimal::Decimal;
use serde::Serialize;

use crate::money::{Money, RoundingMode, RoundingRule};
use crate::month::YearMonth;
use crate::org::{JobClass, RankGroup};
use crate::policy::{Binder, Bound, Policy, PolicyError, Value, parse_decimal_text, spec, variant_name};
use crate::targets::ABSENCE_CODES;

/// Every allowance policy key, in the order of the specification's table (section 2).
///
/// This order is also the order of the policy values in a slip's content hash.
pub const ALLOWANCE_KEYS: [&str; 30] = [
    "allowance.ceiling_method",
    "allowance.ceilings",
    "allowance.bpk_table",
    "allowance.ikfd",
    "allowance.ikk",
    "allowance.ippd",
    "allowance.bpk_rounding_unit",
    "allowance.weight_performance",
    "allowance.weight_discipline",
    "allowance.deduction.late",
    "allowance.deduction.early",
    "allowance.deduction.unexcused_per_day",
    "allowance.deduction.roll_call_per_miss",
    "allowance.deduction.ceremony_per_miss",
    "allowance.deduction.absence_per_day",
    "allowance.deductions_from",
    "allowance.gate.enabled",
    "allowance.gate.bands",
    "allowance.cpns_percent",
    "allowance.sanctions",
    "allowance.acting_percent",
    "allowance.acting_min_days",
    "allowance.proration",
    "allowance.tax.method",
    "allowance.tax.flat",
    "allowance.bpjs.percent",
    "allowance.bpjs.cap",
    "allowance.rounding",
    "allowance.rounding_scale",
    "allowance.cutoff_days",
];

/// The allowance keys read only for a PPPK employee (grade golongan I-XVII, Perpres
/// 98/2020): the income-tax rate by PPPK grade and whether a PPPK employee's acting
/// assignment earns the add-on. They follow [`ALLOWANCE_KEYS`] in the policy values of a
/// PPPK employee's slip (and its policy hash); a PNS or CPNS slip does not depend on them.
pub const PPPK_ALLOWANCE_KEYS: [&str; 2] = ["allowance.tax.flat_pppk", "allowance.acting_pppk"];

/// The keys of TPP criteria and count-based discipline (`allowance.components`,
/// `allowance.parts`, `allowance.discipline_counts`). At their neutral values (no
/// component, the standard performance/discipline pair, no count rule) a slip is that
/// of the two-part engine and depends on them no further, so they are hashed into a
/// slip's policy values (after [`ALLOWANCE_KEYS`] and, for PPPK, [`PPPK_ALLOWANCE_KEYS`])
/// only when one of them is not neutral ([`AllowanceParams::criteria_in_use`]): slips
/// sealed before these keys existed keep their policy hash.
pub const CRITERIA_ALLOWANCE_KEYS: [&str; 3] =
    ["allowance.components", "allowance.parts", "allowance.discipline_counts"];

/// Index of each key in [`ALLOWANCE_KEYS`] followed by [`PPPK_ALLOWANCE_KEYS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum K {
    CeilingMethod = 0,
    Ceilings,
    BpkTable,
    Ikfd,
    Ikk,
    Ippd,
    BpkRoundingUnit,
    WeightPerformance,
    WeightDiscipline,
    Late,
    Early,
    Unexcused,
    RollCall,
    Ceremony,
    AbsencePerDay,
    DeductionsFrom,
    GateEnabled,
    GateBands,
    CpnsPercent,
    Sanctions,
    ActingPercent,
    ActingMinDays,
    Proration,
    TaxMethod,
    TaxFlat,
    BpjsPercent,
    BpjsCap,
    Rounding,
    RoundingScale,
    CutoffDays,
    TaxFlatPppk,
    ActingPppk,
    Components,
    Parts,
    DisciplineCounts,
}

/// Number of allowance keys hashed for every slip.
pub(crate) const N_BASE_KEYS: usize = ALLOWANCE_KEYS.len();

/// Number of allowance keys up to the PPPK keys included.
pub(crate) const N_PPPK_KEYS: usize = N_BASE_KEYS + PPPK_ALLOWANCE_KEYS.len();

/// Number of allowance keys, the PPPK and criteria keys included.
pub(crate) const N_KEYS: usize = N_PPPK_KEYS + CRITERIA_ALLOWANCE_KEYS.len();

impl K {
    /// Every key id, in [`ALLOWANCE_KEYS`] order.
    pub(crate) const ALL: [K; N_KEYS] = [
        K::CeilingMethod,
        K::Ceilings,
        K::BpkTable,
        K::Ikfd,
        K::Ikk,
        K::Ippd,
        K::BpkRoundingUnit,
        K::WeightPerformance,
        K::WeightDiscipline,
        K::Late,
        K::Early,
        K::Unexcused,
        K::RollCall,
        K::Ceremony,
        K::AbsencePerDay,
        K::DeductionsFrom,
        K::GateEnabled,
        K::GateBands,
        K::CpnsPercent,
        K::Sanctions,
        K::ActingPercent,
        K::ActingMinDays,
        K::Proration,
        K::TaxMethod,
        K::TaxFlat,
        K::BpjsPercent,
        K::BpjsCap,
        K::Rounding,
        K::RoundingScale,
        K::CutoffDays,
        K::TaxFlatPppk,
        K::ActingPppk,
        K::Components,
        K::Parts,
        K::DisciplineCounts,
    ];

    /// The dotted policy key.
    pub(crate) fn key(self) -> &'static str {
        // `self as usize` is below N_KEYS by construction of the enum.
        let i = self as usize;
        ALLOWANCE_KEYS
            .get(i)
            .or_else(|| PPPK_ALLOWANCE_KEYS.get(i.wrapping_sub(N_BASE_KEYS)))
            .or_else(|| CRITERIA_ALLOWANCE_KEYS.get(i.wrapping_sub(N_PPPK_KEYS)))
            .copied()
            .unwrap_or("allowance")
    }
}

/// How the ceiling (*pagu*) of a job class is found (`allowance.ceiling_method`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CeilingMethod {
    /// A plain table per job class (`allowance.ceilings`).
    Table,
    /// The BPK tukin table value x IKFD x IKK x IPPD, rounded up to a multiple of
    /// `allowance.bpk_rounding_unit` (Kepmendagri 900-4700/2020 as applied).
    BpkIndex,
}

impl CeilingMethod {
    /// The policy text: `table` or `bpk_index`.
    pub fn as_str(self) -> &'static str {
        match self {
            CeilingMethod::Table => "table",
            CeilingMethod::BpkIndex => "bpk_index",
        }
    }
}

/// Which amount the discipline deductions are a percentage of (`allowance.deductions_from`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeductionBase {
    /// The discipline part D (the 60/40 model of regional TPP rules).
    DisciplinePart,
    /// The whole allowance B' (central tukin style).
    Whole,
}

impl DeductionBase {
    /// The policy text: `discipline_part` or `whole`.
    pub fn as_str(self) -> &'static str {
        match self {
            DeductionBase::DisciplinePart => "discipline_part",
            DeductionBase::Whole => "whole",
        }
    }
}

/// How income tax is withheld (`allowance.tax.method`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TaxMethod {
    /// A flat percentage by rank group (`allowance.tax.flat`).
    FlatByGroup,
}

impl TaxMethod {
    /// The policy text: `flat_by_group`.
    pub fn as_str(self) -> &'static str {
        match self {
            TaxMethod::FlatByGroup => "flat_by_group",
        }
    }
}

/// One band of the attendance gate (`allowance.gate.bands`): below `below` % attendance,
/// `pay` % of the allowance is paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct GateBand {
    /// Exclusive upper bound of attendance, in percent.
    pub below: Decimal,
    /// Percent of the subtotal paid in this band.
    pub pay: Decimal,
}

/// A disciplinary sanction level (`allowance.sanctions`): its cut and allowed durations.
#[doc(alias = "hukuman disiplin")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SanctionLevel {
    /// Percent of the allowance cut while the sanction is in force.
    pub cut: Decimal,
    /// The durations a decision may impose, in months (PP 94/2021: 6, 9 or 12 for *sedang*).
    pub months: Vec<u32>,
}

/// The allowance (TPP) parameters for one month, read from policy
/// ([`AllowanceParams::from_policy`]) or built by hand.
///
/// Percentages are exact decimals in percent (`60` means 60 %).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AllowanceParams {
    /// The month the values were read for (in force on its first day).
    pub month: YearMonth,
    /// `allowance.ceiling_method`.
    pub ceiling_method: CeilingMethod,
    /// `allowance.ceilings`: ceiling (*pagu*) per job class, rupiah.
    #[doc(alias = "pagu")]
    pub ceilings: BTreeMap<JobClass, Money>,
    /// `allowance.bpk_table`: the BPK tukin table per job class, rupiah.
    pub bpk_table: BTreeMap<JobClass, Money>,
    /// `allowance.ikfd`: fiscal-capacity index (*Indeks Kapasitas Fiskal Daerah*).
    #[doc(alias = "IKFD")]
    pub ikfd: Decimal,
    /// `allowance.ikk`: construction-cost index (*Indeks Kemahalan Konstruksi*).
    #[doc(alias = "IKK")]
    pub ikk: Decimal,
    /// `allowance.ippd`: governance index (*Indeks Penyelenggaraan Pemerintahan Daerah*).
    #[doc(alias = "IPPD")]
    pub ippd: Decimal,
    /// `allowance.bpk_rounding_unit`: the `bpk_index` ceiling is rounded up to a multiple of this.
    pub bpk_rounding_unit: Money,
    /// `allowance.weight_performance`, percent (60).
    pub weight_performance: Decimal,
    /// `allowance.weight_discipline`, percent (40); the two weights sum to 100.
    pub weight_discipline: Decimal,
    /// `allowance.deduction.late`: percent per day in TL1..TL4.
    #[doc(alias = "terlambat")]
    pub late: [Decimal; 4],
    /// `allowance.deduction.early`: percent per day in PSW1..PSW4.
    #[doc(alias = "pulang sebelum waktunya")]
    pub early: [Decimal; 4],
    /// `allowance.deduction.unexcused_per_day`: percent per unexcused day (TK).
    pub unexcused_per_day: Decimal,
    /// `allowance.deduction.roll_call_per_miss`: percent per missed morning or afternoon roll call.
    pub roll_call_per_miss: Decimal,
    /// `allowance.deduction.ceremony_per_miss`: percent per missed ceremony (*upacara*).
    pub ceremony_per_miss: Decimal,
    /// `allowance.deduction.absence_per_day`: percent per working day by absence code.
    pub absence_per_day: BTreeMap<String, Decimal>,
    /// `allowance.deductions_from`.
    pub deductions_from: DeductionBase,
    /// `allowance.gate.enabled`.
    pub gate_enabled: bool,
    /// `allowance.gate.bands`, ascending `below`.
    pub gate_bands: Vec<GateBand>,
    /// `allowance.cpns_percent`: percent paid to candidates (CPNS).
    pub cpns_percent: Decimal,
    /// `allowance.sanctions`: by level (`"medium"`, ...).
    pub sanctions: BTreeMap<String, SanctionLevel>,
    /// `allowance.acting_percent`: percent of the acted class's ceiling paid to a Plt.
    #[doc(alias = "Plt")]
    pub acting_percent: Decimal,
    /// `allowance.acting_min_days`: working days of acting needed in the month.
    pub acting_min_days: i64,
    /// `allowance.proration`: prorate by assigned working days.
    pub proration: bool,
    /// `allowance.tax.method`.
    pub tax_method: TaxMethod,
    /// `allowance.tax.flat`: percent by rank group (golongan).
    #[doc(alias = "PPh 21")]
    pub tax_flat: BTreeMap<RankGroup, Decimal>,
    /// `allowance.tax.flat_pppk`: percent by PPPK grade (golongan 1..=17).
    pub tax_flat_pppk: BTreeMap<u8, Decimal>,
    /// `allowance.acting_pppk`: whether a PPPK employee's acting (Plt) assignment earns
    /// the acting add-on; when false it is left out like one below the minimum days.
    pub acting_pppk: bool,
    /// `allowance.bpjs.percent`: the employee's health contribution, percent.
    #[doc(alias = "BPJS Kesehatan")]
    pub bpjs_percent: Decimal,
    /// `allowance.bpjs.cap`: cap of salary + allowance for the contribution base.
    pub bpjs_cap: Money,
    /// `allowance.rounding` and `allowance.rounding_scale`.
    pub rounding: RoundingRule,
    /// `allowance.cutoff_days`: the last day counted in a month, where a city cuts off
    /// early. The engine does not read it: the caller counts `calendar_working_days`
    /// after the cut-off ([`AllowanceParams::cutoff_day`]).
    pub cutoff_days: BTreeMap<YearMonth, u32>,
    /// `allowance.components`: the components of the monthly amount (TPP criteria);
    /// empty means the ceiling of `allowance.ceiling_method` alone.
    pub components: Vec<super::criteria::Component>,
    /// `allowance.parts`: the parts the allowance is split into, each with its measure
    /// and deductions ([`super::criteria::standard_parts`] nationally).
    pub parts: Vec<super::criteria::Part>,
    /// `allowance.discipline_counts`: count-based discipline rules by event kind.
    pub discipline_counts: BTreeMap<String, super::discipline::CountRule>,
}

fn bad(key: &str, message: impl Into<String>) -> PolicyError {
    PolicyError::BadValue { key: key.to_string(), message: message.into() }
}

/// Reads a decimal key and checks it against its catalogued range (layers built by
/// hand skip the loader's checks).
fn ranged_decimal(b: &mut Binder<'_>, k: K) -> Result<Decimal, PolicyError> {
    let v = b.decimal(k.key())?;
    check_catalogued(k, &Value::Decimal(v))?;
    Ok(v)
}

fn ranged_int(b: &mut Binder<'_>, k: K) -> Result<i64, PolicyError> {
    let v = b.int(k.key())?;
    check_catalogued(k, &Value::Int(v))?;
    Ok(v)
}

fn check_catalogued(k: K, v: &Value) -> Result<(), PolicyError> {
    match spec(k.key()) {
        Some(s) => s.kind.check(v).map_err(|(_, m)| bad(k.key(), m)),
        None => Err(PolicyError::UnknownKey { key: k.key().to_string() }),
    }
}

impl AllowanceParams {
    /// The month's cut-off date (`allowance.cutoff_days` in force on the month's
    /// first day): the last day counted when a city closes a month early, e.g.
    /// December counted until the 19th so that it can be paid before the year ends.
    /// `None` when the whole month counts.
    pub fn cutoff_date(policy: &Policy, month: YearMonth) -> Result<Bound<Option<chrono::NaiveDate>>, PolicyError> {
        let mut b = Binder::new(policy, month.first_day());
        let days = b.custom(K::CutoffDays.key(), cutoff_days)?;
        let date = days.get(&month).and_then(|d| chrono::NaiveDate::from_ymd_opt(month.year(), month.month(), *d));
        Ok(b.finish(date))
    }

    /// Reads every `allowance.*` key in force on the **first day** of `month` (a change
    /// effective 2026-07-01 applies from July's slips), with its provenance, in
    /// [`ALLOWANCE_KEYS`] then [`PPPK_ALLOWANCE_KEYS`] order, then runs
    /// [`AllowanceParams::check`].
    pub fn from_policy(policy: &Policy, month: YearMonth) -> Result<Bound<AllowanceParams>, PolicyError> {
        let mut b = Binder::new(policy, month.first_day());
        let ceiling_method = b.custom(K::CeilingMethod.key(), |v| match v.as_text() {
            Some("table") => Ok(CeilingMethod::Table),
            Some("bpk_index") => Ok(CeilingMethod::BpkIndex),
            _ => Err(format!("expected `table` or `bpk_index`, found {v}")),
        })?;
        let ceilings = b.custom(K::Ceilings.key(), class_table)?;
        let bpk_table = b.custom(K::BpkTable.key(), class_table)?;
        let ikfd = ranged_decimal(&mut b, K::Ikfd)?;
        let ikk = ranged_decimal(&mut b, K::Ikk)?;
        let ippd = ranged_decimal(&mut b, K::Ippd)?;
        let bpk_rounding_unit = Money::from_rupiah(ranged_int(&mut b, K::BpkRoundingUnit)?);
        let weight_performance = ranged_decimal(&mut b, K::WeightPerformance)?;
        let weight_discipline = ranged_decimal(&mut b, K::WeightDiscipline)?;
        let late = b.custom(K::Late.key(), percent_list4)?;
        let early = b.custom(K::Early.key(), percent_list4)?;
        let unexcused_per_day = ranged_decimal(&mut b, K::Unexcused)?;
        let roll_call_per_miss = ranged_decimal(&mut b, K::RollCall)?;
        let ceremony_per_miss = ranged_decimal(&mut b, K::Ceremony)?;
        let absence_per_day = b.custom(K::AbsencePerDay.key(), absence_rates)?;
        let deductions_from = b.custom(K::DeductionsFrom.key(), |v| match v.as_text() {
            Some("discipline_part") => Ok(DeductionBase::DisciplinePart),
            Some("whole") => Ok(DeductionBase::Whole),
            _ => Err(format!("expected `discipline_part` or `whole`, found {v}")),
        })?;
        let gate_enabled = b.bool(K::GateEnabled.key())?;
        let gate_bands = b.custom(K::GateBands.key(), gate_bands)?;
        let cpns_percent = ranged_decimal(&mut b, K::CpnsPercent)?;
        let sanctions = b.custom(K::Sanctions.key(), sanction_levels)?;
        let acting_percent = ranged_decimal(&mut b, K::ActingPercent)?;
        let acting_min_days = ranged_int(&mut b, K::ActingMinDays)?;
        let proration = b.bool(K::Proration.key())?;
        let tax_method = b.custom(K::TaxMethod.key(), |v| match v.as_text() {
            Some("flat_by_group") => Ok(TaxMethod::FlatByGroup),
            _ => Err(format!("expected `flat_by_group`, found {v}")),
        })?;
        let tax_flat = b.custom(K::TaxFlat.key(), tax_flat)?;
        let bpjs_percent = ranged_decimal(&mut b, K::BpjsPercent)?;
        let bpjs_cap = Money::new(ranged_decimal(&mut b, K::BpjsCap)?);
        let mode = b.custom(K::Rounding.key(), |v| match v.as_text() {
            Some("half_up") => Ok(RoundingMode::HalfUp),
            Some("half_even") => Ok(RoundingMode::HalfEven),
            Some("down") => Ok(RoundingMode::Down),
            Some("up") => Ok(RoundingMode::Up),
            _ => Err(format!("expected one of half_up, half_even, down, up, found {v}")),
        })?;
        let scale = ranged_int(&mut b, K::RoundingScale)?;
        let scale = u32::try_from(scale).map_err(|_| bad(K::RoundingScale.key(), "must be 0, 1 or 2"))?;
        let cutoff_days = b.custom(K::CutoffDays.key(), cutoff_days)?;
        let tax_flat_pppk = b.custom(K::TaxFlatPppk.key(), tax_flat_pppk)?;
        let acting_pppk = b.bool(K::ActingPppk.key())?;
        let components = b.custom(K::Components.key(), super::criteria::components)?;
        let parts = b.custom(K::Parts.key(), super::criteria::parts)?;
        let discipline_counts = b.custom(K::DisciplineCounts.key(), super::discipline::count_rules)?;
        let params = AllowanceParams {
            month,
            ceiling_method,
            ceilings,
            bpk_table,
            ikfd,
            ikk,
            ippd,
            bpk_rounding_unit,
            weight_performance,
            weight_discipline,
            late,
            early,
            unexcused_per_day,
            roll_call_per_miss,
            ceremony_per_miss,
            absence_per_day,
            deductions_from,
            gate_enabled,
            gate_bands,
            cpns_percent,
            sanctions,
            acting_percent,
            acting_min_days,
            proration,
            tax_method,
            tax_flat,
            bpjs_percent,
            bpjs_cap,
            rounding: RoundingRule { mode, scale },
            cutoff_days,
            tax_flat_pppk,
            acting_pppk,
            components,
            parts,
            discipline_counts,
        };
        params.check()?;
        Ok(b.finish(params))
    }

    /// The consistency checks that no single key can make, each reported as a
    /// [`PolicyError::BadValue`] naming the key at fault:
    ///
    /// - `allowance.weight_discipline`: the two weights sum to exactly 100;
    /// - `allowance.gate.bands`: `below` strictly ascending, `pay` within 0..=100;
    /// - `allowance.ceilings`: a ceiling for every class 1..=17 when the method is `table`;
    /// - `allowance.bpk_table`: a value for every class 1..=17 when the method is `bpk_index`;
    /// - `allowance.bpk_rounding_unit`: positive;
    /// - `allowance.tax.flat`: a rate for every rank group, and each rate plus
    ///   `allowance.bpjs.percent` at most 100 (so tax and contribution never exceed the gross);
    /// - `allowance.tax.flat_pppk`: the same for every PPPK grade I..XVII;
    /// - every percentage within 0..=100 and `allowance.rounding_scale` within 0..=2.
    ///
    /// [`AllowanceParams::from_policy`] runs it; run it on parameters built by hand.
    pub fn check(&self) -> Result<(), PolicyError> {
        let hundred = Decimal::ONE_HUNDRED;
        let pct = |k: K, v: Decimal| {
            if v < Decimal::ZERO || v > hundred {
                Err(bad(k.key(), format!("{v} is outside 0..=100 percent")))
            } else {
                Ok(())
            }
        };
        pct(K::WeightPerformance, self.weight_performance)?;
        pct(K::WeightDiscipline, self.weight_discipline)?;
        for r in self.late {
            pct(K::Late, r)?;
        }
        for r in self.early {
            pct(K::Early, r)?;
        }
        pct(K::Unexcused, self.unexcused_per_day)?;
        pct(K::RollCall, self.roll_call_per_miss)?;
        pct(K::Ceremony, self.ceremony_per_miss)?;
        for r in self.absence_per_day.values() {
            pct(K::AbsencePerDay, *r)?;
        }
        pct(K::CpnsPercent, self.cpns_percent)?;
        for s in self.sanctions.values() {
            pct(K::Sanctions, s.cut)?;
        }
        pct(K::ActingPercent, self.acting_percent)?;
        pct(K::BpjsPercent, self.bpjs_percent)?;
        if self.weight_performance.checked_add(self.weight_discipline) != Some(hundred) {
            return Err(bad(
                K::WeightDiscipline.key(),
                format!(
                    "the weights must sum to 100: allowance.weight_performance {} + allowance.weight_discipline {}",
                    self.weight_performance, self.weight_discipline
                ),
            ));
        }
        let mut prev: Option<Decimal> = None;
        for (i, band) in self.gate_bands.iter().enumerate() {
            if band.below <= Decimal::ZERO || band.below > hundred {
                return Err(bad(K::GateBands.key(), format!("[{i}].below {} is outside (0, 100]", band.below)));
            }
            pct(K::GateBands, band.pay)?;
            if prev.is_some_and(|p| band.below <= p) {
                return Err(bad(
                    K::GateBands.key(),
                    format!("[{i}].below {} is not above the previous band's", band.below),
                ));
            }
            prev = Some(band.below);
        }
        let complete = |k: K, t: &BTreeMap<JobClass, Money>| {
            let missing: Vec<String> = (1..=17u8)
                .filter(|c| JobClass::new(*c).is_none_or(|jc| !t.contains_key(&jc)))
                .map(|c| c.to_string())
                .collect();
            if missing.is_empty() {
                Ok(())
            } else {
                Err(bad(k.key(), format!("no value for job class(es) {}", missing.join(", "))))
            }
        };
        match self.ceiling_method {
            CeilingMethod::Table => complete(K::Ceilings, &self.ceilings)?,
            CeilingMethod::BpkIndex => complete(K::BpkTable, &self.bpk_table)?,
        }
        for (k, v) in [(K::Ikfd, self.ikfd), (K::Ikk, self.ikk), (K::Ippd, self.ippd)] {
            if v < Decimal::ZERO {
                return Err(bad(k.key(), format!("{v} is negative")));
            }
        }
        if self.bpk_rounding_unit <= Money::ZERO {
            return Err(bad(K::BpkRoundingUnit.key(), "must be positive"));
        }
        if self.bpjs_cap.is_negative() {
            return Err(bad(K::BpjsCap.key(), "must not be negative"));
        }
        for g in [RankGroup::I, RankGroup::II, RankGroup::III, RankGroup::IV] {
            let Some(rate) = self.tax_flat.get(&g) else {
                return Err(bad(K::TaxFlat.key(), format!("no rate for rank group {}", group_name(g))));
            };
            pct(K::TaxFlat, *rate)?;
            if rate.checked_add(self.bpjs_percent).is_none_or(|s| s > hundred) {
                return Err(bad(
                    K::TaxFlat.key(),
                    format!(
                        "rate {rate} for group {} plus allowance.bpjs.percent {} exceeds 100",
                        group_name(g),
                        self.bpjs_percent
                    ),
                ));
            }
        }
        for g in 1..=17u8 {
            let name = pppk_grade_name(g);
            let Some(rate) = self.tax_flat_pppk.get(&g) else {
                return Err(bad(K::TaxFlatPppk.key(), format!("no rate for PPPK grade {name}")));
            };
            pct(K::TaxFlatPppk, *rate)?;
            if rate.checked_add(self.bpjs_percent).is_none_or(|s| s > hundred) {
                return Err(bad(
                    K::TaxFlatPppk.key(),
                    format!(
                        "rate {rate} for PPPK grade {name} plus allowance.bpjs.percent {} exceeds 100",
                        self.bpjs_percent
                    ),
                ));
            }
        }
        if self.rounding.scale > 2 {
            return Err(bad(K::RoundingScale.key(), format!("{} is outside 0..=2", self.rounding.scale)));
        }
        if self.acting_min_days < 0 {
            return Err(bad(K::ActingMinDays.key(), "must not be negative"));
        }
        self.check_criteria()
    }

    /// The checks of the criteria keys (part of [`AllowanceParams::check`]): the parts'
    /// weights (an omitted weight read from `allowance.weight_performance` or
    /// `allowance.weight_discipline`) sum to exactly 100, each within 0..=100; every
    /// deduction kind charged to exactly one part and at most one `activity` part;
    /// component amounts not negative; count rules well formed.
    fn check_criteria(&self) -> Result<(), PolicyError> {
        use super::criteria::{ComponentAmounts, DEDUCTION_KINDS, PartMeasure};
        let hundred = Decimal::ONE_HUNDRED;
        let mut sum = Decimal::ZERO;
        let mut words = Vec::with_capacity(self.parts.len());
        if self.parts.is_empty() {
            return Err(bad(K::Parts.key(), "expected at least one part"));
        }
        for p in &self.parts {
            let w = self.part_weight(p);
            if w < Decimal::ZERO || w > hundred {
                return Err(bad(K::Parts.key(), format!("part `{}`: weight {w} is outside 0..=100 percent", p.id)));
            }
            sum = sum.checked_add(w).ok_or_else(|| bad(K::Parts.key(), "the weights overflow"))?;
            words.push(format!("{} {}", p.id, w.normalize()));
        }
        if sum != hundred {
            return Err(bad(
                K::Parts.key(),
                format!("the parts' weights must sum to 100: {} = {}", words.join(" + "), sum.normalize()),
            ));
        }
        for kind in DEDUCTION_KINDS {
            let n = self.parts.iter().filter(|p| p.deductions.iter().any(|d| d == kind)).count();
            if n != 1 {
                return Err(bad(
                    K::Parts.key(),
                    format!("deduction kind `{kind}` is charged to {n} parts; each kind to exactly one"),
                ));
            }
        }
        if self.parts.iter().filter(|p| p.measure == PartMeasure::Activity).count() > 1 {
            return Err(bad(K::Parts.key(), "at most one part may be measured by `activity`"));
        }
        for c in &self.components {
            let negative = match &c.amounts {
                ComponentAmounts::Ceiling => false,
                ComponentAmounts::Class(t) => t.values().any(|m| m.is_negative()),
                ComponentAmounts::Position(t) => t.values().any(|m| m.is_negative()),
            };
            if negative {
                return Err(bad(K::Components.key(), format!("component `{}`: an amount is negative", c.id)));
            }
            if let ComponentAmounts::Class(t) = &c.amounts
                && (1..=17u8).any(|k| JobClass::new(k).is_none_or(|jc| !t.contains_key(&jc)))
            {
                return Err(bad(
                    K::Components.key(),
                    format!("component `{}`: not every job class 1..17 has an amount", c.id),
                ));
            }
        }
        for (kind, r) in &self.discipline_counts {
            if r.free < 0 || r.every.is_some_and(|e| e < 1) || r.forfeit_at.is_some_and(|n| n < 1) {
                return Err(bad(K::DisciplineCounts.key(), format!("{kind}: counts must be positive")));
            }
            if r.every.is_some() != r.days.is_some() {
                return Err(bad(K::DisciplineCounts.key(), format!("{kind}: `every` and `days` go together")));
            }
        }
        Ok(())
    }

    /// The weight of a part in percent: its own, or for `performance` / `discipline`
    /// written without one, `allowance.weight_performance` / `allowance.weight_discipline`.
    pub fn part_weight(&self, part: &super::criteria::Part) -> Decimal {
        match (part.weight, part.id.as_str()) {
            (Some(w), _) => w,
            (None, "performance") => self.weight_performance,
            (None, _) => self.weight_discipline,
        }
    }

    /// Whether any criteria key is away from its neutral value: a component, parts
    /// other than the standard performance/discipline pair, or a count rule. Only then
    /// do slips quote and hash [`CRITERIA_ALLOWANCE_KEYS`].
    pub fn criteria_in_use(&self) -> bool {
        !self.components.is_empty() || !super::criteria::is_standard(&self.parts) || !self.discipline_counts.is_empty()
    }

    /// The last day counted in `month` when the city cuts the month off early
    /// (`allowance.cutoff_days`), or `None` when the whole month counts.
    pub fn cutoff_day(&self, month: YearMonth) -> Option<u32> {
        self.cutoff_days.get(&month).copied()
    }

    /// The ceiling table value of `class` for the current method's table:
    /// `allowance.ceilings` (`table`) or `allowance.bpk_table` (`bpk_index`).
    pub(crate) fn class_value(&self, class: JobClass) -> Option<Money> {
        match self.ceiling_method {
            CeilingMethod::Table => self.ceilings.get(&class).copied(),
            CeilingMethod::BpkIndex => self.bpk_table.get(&class).copied(),
        }
    }

    /// The value of `key` as canonical text (decimals normalised, tables in key order),
    /// as quoted in slips and hashed into their content hash; `None` for a key that is
    /// not an allowance key.
    pub fn value_text(&self, key: &str) -> Option<String> {
        let k = K::ALL.into_iter().find(|k| k.key() == key)?;
        Some(self.text_of(k))
    }

    pub(crate) fn text_of(&self, k: K) -> String {
        let mut s = String::new();
        // Writing into a String cannot fail.
        let _ = self.write_text(k, &mut s);
        s
    }

    fn write_text(&self, k: K, s: &mut String) -> fmt::Result {
        fn table<I: Iterator<Item = (String, String)>>(s: &mut String, items: I) -> fmt::Result {
            s.push('{');
            for (i, (k, v)) in items.enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                write!(s, "{k} = {v}")?;
            }
            s.push('}');
            Ok(())
        }
        fn list(s: &mut String, items: &[Decimal]) -> fmt::Result {
            s.push('[');
            for (i, d) in items.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                write!(s, "{}", d.normalize())?;
            }
            s.push(']');
            Ok(())
        }
        match k {
            K::CeilingMethod => s.push_str(self.ceiling_method.as_str()),
            K::Ceilings => {
                table(s, self.ceilings.iter().map(|(c, m)| (c.to_string(), m.amount().normalize().to_string())))?
            }
            K::BpkTable => {
                table(s, self.bpk_table.iter().map(|(c, m)| (c.to_string(), m.amount().normalize().to_string())))?
            }
            K::Ikfd => write!(s, "{}", self.ikfd.normalize())?,
            K::Ikk => write!(s, "{}", self.ikk.normalize())?,
            K::Ippd => write!(s, "{}", self.ippd.normalize())?,
            K::BpkRoundingUnit => write!(s, "{}", self.bpk_rounding_unit.amount().normalize())?,
            K::WeightPerformance => write!(s, "{}", self.weight_performance.normalize())?,
            K::WeightDiscipline => write!(s, "{}", self.weight_discipline.normalize())?,
            K::Late => list(s, &self.late)?,
            K::Early => list(s, &self.early)?,
            K::Unexcused => write!(s, "{}", self.unexcused_per_day.normalize())?,
            K::RollCall => write!(s, "{}", self.roll_call_per_miss.normalize())?,
            K::Ceremony => write!(s, "{}", self.ceremony_per_miss.normalize())?,
            K::AbsencePerDay => {
                table(s, self.absence_per_day.iter().map(|(c, r)| (c.clone(), r.normalize().to_string())))?
            }
            K::DeductionsFrom => s.push_str(self.deductions_from.as_str()),
            K::GateEnabled => write!(s, "{}", self.gate_enabled)?,
            K::GateBands => {
                s.push('[');
                for (i, b) in self.gate_bands.iter().enumerate() {
                    if i > 0 {
                        s.push_str(", ");
                    }
                    write!(s, "{{below = {}, pay = {}}}", b.below.normalize(), b.pay.normalize())?;
                }
                s.push(']');
            }
            K::CpnsPercent => write!(s, "{}", self.cpns_percent.normalize())?,
            K::Sanctions => table(s, self.sanctions.iter().map(|(l, v)| (l.clone(), sanction_text(v))))?,
            K::ActingPercent => write!(s, "{}", self.acting_percent.normalize())?,
            K::ActingMinDays => write!(s, "{}", self.acting_min_days)?,
            K::Proration => write!(s, "{}", self.proration)?,
            K::TaxMethod => s.push_str(self.tax_method.as_str()),
            K::TaxFlat => {
                table(s, self.tax_flat.iter().map(|(g, r)| (group_name(*g).to_string(), r.normalize().to_string())))?
            }
            K::BpjsPercent => write!(s, "{}", self.bpjs_percent.normalize())?,
            K::BpjsCap => write!(s, "{}", self.bpjs_cap.amount().normalize())?,
            K::Rounding => s.push_str(mode_name(self.rounding.mode)),
            K::RoundingScale => write!(s, "{}", self.rounding.scale)?,
            K::CutoffDays => table(s, self.cutoff_days.iter().map(|(m, d)| (m.to_string(), d.to_string())))?,
            K::TaxFlatPppk => table(
                s,
                self.tax_flat_pppk.iter().map(|(g, r)| (pppk_grade_name(*g).to_string(), r.normalize().to_string())),
            )?,
            K::ActingPppk => write!(s, "{}", self.acting_pppk)?,
            K::Components => s.push_str(&super::criteria::components_text(&self.components)),
            K::Parts => s.push_str(&super::criteria::parts_text(&self.parts)),
            K::DisciplineCounts => s.push_str(&super::discipline::count_rules_text(&self.discipline_counts)),
        }
        Ok(())
    }
}

/// `{cut = 25, months = [6, 9, 12]}`.
pub(crate) fn sanction_text(v: &SanctionLevel) -> String {
    let months: Vec<String> = v.months.iter().map(u32::to_string).collect();
    format!("{{cut = {}, months = [{}]}}", v.cut.normalize(), months.join(", "))
}

/// The policy name of a rounding mode.
pub(crate) fn mode_name(m: RoundingMode) -> &'static str {
    match m {
        RoundingMode::HalfUp => "half_up",
        RoundingMode::HalfEven => "half_even",
        RoundingMode::Down => "down",
        RoundingMode::Up => "up",
    }
}

/// `"I"`..`"IV"`.
pub(crate) fn group_name(g: RankGroup) -> &'static str {
    match g {
        RankGroup::I => "I",
        RankGroup::II => "II",
        RankGroup::III => "III",
        RankGroup::IV => "IV",
    }
}

// ---------------------------------------------------------------------------
// Converters of structured values; also the catalogue's checkers.
// ---------------------------------------------------------------------------

fn finish<T>(value: T, problems: Vec<String>) -> Result<T, String> {
    if problems.is_empty() { Ok(value) } else { Err(problems.join("; ")) }
}

fn percent(v: &Value) -> Option<Decimal> {
    parse_decimal_text(v).filter(|d| *d >= Decimal::ZERO && *d <= Decimal::ONE_HUNDRED)
}

/// `allowance.ceilings` / `allowance.bpk_table`: a table from job class `"1"`..`"17"` to
/// a non-negative decimal amount (quoted). Completeness is checked when binding.
pub(crate) fn class_table(value: &Value) -> Result<BTreeMap<JobClass, Money>, String> {
    let Some(t) = value.as_table() else {
        return Err(format!("expected a table from job class \"1\"..\"17\" to rupiah, found {}", variant_name(value)));
    };
    let mut out = BTreeMap::new();
    let mut problems = Vec::new();
    for (k, v) in t {
        let class = k.trim().parse::<u8>().ok().and_then(JobClass::new);
        let amount = parse_decimal_text(v).filter(|d| *d >= Decimal::ZERO);
        match (class, amount) {
            (None, _) => problems.push(format!("`{k}` is not a job class 1..17")),
            (_, None) => problems.push(format!("{k}: {v} is not a non-negative decimal amount")),
            (Some(c), Some(a)) => {
                out.insert(c, Money::new(a));
            }
        }
    }
    finish(out, problems)
}

/// `allowance.deduction.late` / `.early`: four percents for bands 1..4.
pub(crate) fn percent_list4(value: &Value) -> Result<[Decimal; 4], String> {
    let Some(items) = value.as_list() else {
        return Err(format!("expected a list of 4 percents, found {}", variant_name(value)));
    };
    if items.len() != 4 {
        return Err(format!("expected 4 percents (bands 1..4), found {}", items.len()));
    }
    let mut out = [Decimal::ZERO; 4];
    let mut problems = Vec::new();
    for ((i, v), slot) in items.iter().enumerate().zip(out.iter_mut()) {
        match percent(v) {
            Some(d) => *slot = d,
            None => problems.push(format!("[{i}]: {v} is not a percent 0..100")),
        }
    }
    finish(out, problems)
}

/// `allowance.deduction.absence_per_day`: absence code -> percent per working day.
pub(crate) fn absence_rates(value: &Value) -> Result<BTreeMap<String, Decimal>, String> {
    let Some(t) = value.as_table() else {
        return Err(format!("expected a table from absence code to percent, found {}", variant_name(value)));
    };
    let mut out = BTreeMap::new();
    let mut problems = Vec::new();
    for (k, v) in t {
        if !ABSENCE_CODES.contains(&k.as_str()) {
            problems.push(format!("`{k}` is not an absence code ({})", ABSENCE_CODES.join(", ")));
        } else if let Some(d) = percent(v) {
            out.insert(k.clone(), d);
        } else {
            problems.push(format!("{k}: {v} is not a percent 0..100"));
        }
    }
    finish(out, problems)
}

/// `allowance.gate.bands`: a list of `{ below, pay }`, `below` strictly ascending in (0, 100].
pub(crate) fn gate_bands(value: &Value) -> Result<Vec<GateBand>, String> {
    let Some(items) = value.as_list() else {
        return Err(format!("expected a list of {{below, pay}} tables, found {}", variant_name(value)));
    };
    let mut out = Vec::with_capacity(items.len());
    let mut problems = Vec::new();
    let mut prev: Option<Decimal> = None;
    for (i, item) in items.iter().enumerate() {
        let Some(t) = item.as_table() else {
            problems.push(format!("[{i}]: expected a table {{below, pay}}"));
            continue;
        };
        for f in t.keys().filter(|f| *f != "below" && *f != "pay") {
            problems.push(format!("[{i}]: unknown field `{f}` (allowed: below, pay)"));
        }
        let below =
            t.get("below").and_then(parse_decimal_text).filter(|d| *d > Decimal::ZERO && *d <= Decimal::ONE_HUNDRED);
        let pay = t.get("pay").and_then(percent);
        if below.is_none() {
            problems.push(format!("[{i}].below: expected a percent in (0, 100]"));
        }
        if pay.is_none() {
            problems.push(format!("[{i}].pay: expected a percent 0..100"));
        }
        if let (Some(below), Some(pay)) = (below, pay) {
            if prev.is_some_and(|p| below <= p) {
                problems.push(format!("[{i}].below: {below} is not above the previous band's; list bands ascending"));
            }
            prev = Some(below);
            out.push(GateBand { below, pay });
        }
    }
    finish(out, problems)
}

/// `allowance.sanctions`: level -> `{ cut, months }`.
pub(crate) fn sanction_levels(value: &Value) -> Result<BTreeMap<String, SanctionLevel>, String> {
    let Some(t) = value.as_table() else {
        return Err(format!("expected a table from level to {{cut, months}}, found {}", variant_name(value)));
    };
    let mut out = BTreeMap::new();
    let mut problems = Vec::new();
    for (level, v) in t {
        let Some(lt) = v.as_table() else {
            problems.push(format!("{level}: expected a table {{cut, months}}"));
            continue;
        };
        for f in lt.keys().filter(|f| *f != "cut" && *f != "months") {
            problems.push(format!("{level}: unknown field `{f}` (allowed: cut, months)"));
        }
        let cut = lt.get("cut").and_then(percent);
        if cut.is_none() {
            problems.push(format!("{level}.cut: expected a percent 0..100"));
        }
        let mut months = Vec::new();
        match lt.get("months").and_then(Value::as_list) {
            Some(items) if !items.is_empty() => {
                for (i, m) in items.iter().enumerate() {
                    match m.as_int().and_then(|m| u32::try_from(m).ok()).filter(|m| (1..=120).contains(m)) {
                        Some(m) if months.contains(&m) => {
                            problems.push(format!("{level}.months[{i}]: {m} is listed twice"))
                        }
                        Some(m) => months.push(m),
                        None => problems.push(format!("{level}.months[{i}]: expected a whole number of months 1..120")),
                    }
                }
            }
            _ => problems.push(format!("{level}.months: expected a non-empty list of month counts")),
        }
        if let Some(cut) = cut {
            out.insert(level.clone(), SanctionLevel { cut, months });
        }
    }
    finish(out, problems)
}

/// `allowance.tax.flat`: rank group `"I"`..`"IV"` (all four) -> percent.
pub(crate) fn tax_flat(value: &Value) -> Result<BTreeMap<RankGroup, Decimal>, String> {
    let Some(t) = value.as_table() else {
        return Err(format!("expected a table from rank group I..IV to percent, found {}", variant_name(value)));
    };
    let mut out = BTreeMap::new();
    let mut problems = Vec::new();
    for (k, v) in t {
        let group = match k.as_str() {
            "I" => RankGroup::I,
            "II" => RankGroup::II,
            "III" => RankGroup::III,
            "IV" => RankGroup::IV,
            _ => {
                problems.push(format!("`{k}` is not a rank group (I, II, III, IV)"));
                continue;
            }
        };
        match percent(v) {
            Some(d) => {
                out.insert(group, d);
            }
            None => problems.push(format!("{k}: {v} is not a percent 0..100")),
        }
    }
    for g in [RankGroup::I, RankGroup::II, RankGroup::III, RankGroup::IV] {
        if !out.contains_key(&g) && !t.contains_key(group_name(g)) {
            problems.push(format!("no rate for rank group {}", group_name(g)));
        }
    }
    finish(out, problems)
}

/// `"I"`..`"XVII"` for a PPPK grade 1..=17 (`"?"` outside).
pub(crate) fn pppk_grade_name(g: u8) -> &'static str {
    crate::org::PPPK_GRADES.get(usize::from(g).wrapping_sub(1)).copied().unwrap_or("?")
}

/// `allowance.tax.flat_pppk`: PPPK grade `"I"`..`"XVII"` (all seventeen) -> percent.
pub(crate) fn tax_flat_pppk(value: &Value) -> Result<BTreeMap<u8, Decimal>, String> {
    let Some(t) = value.as_table() else {
        return Err(format!("expected a table from PPPK grade I..XVII to percent, found {}", variant_name(value)));
    };
    let mut out = BTreeMap::new();
    let mut problems = Vec::new();
    for (k, v) in t {
        let Some(g) = crate::org::PPPK_GRADES.iter().position(|n| n == k).and_then(|i| u8::try_from(i + 1).ok()) else {
            problems.push(format!("`{k}` is not a PPPK grade (I..XVII)"));
            continue;
        };
        match percent(v) {
            Some(d) => {
                out.insert(g, d);
            }
            None => problems.push(format!("{k}: {v} is not a percent 0..100")),
        }
    }
    let missing: Vec<&str> =
        (1..=17u8).filter(|g| !out.contains_key(g)).map(pppk_grade_name).filter(|n| !t.contains_key(*n)).collect();
    if !missing.is_empty() {
        problems.push(format!("no rate for PPPK grade(s) {}", missing.join(", ")));
    }
    finish(out, problems)
}

/// `allowance.cutoff_days`: `"YYYY-MM"` -> the last day counted (1..=days of the month).
pub(crate) fn cutoff_days(value: &Value) -> Result<BTreeMap<YearMonth, u32>, String> {
    let Some(t) = value.as_table() else {
        return Err(format!("expected a table from \"YYYY-MM\" to a day of the month, found {}", variant_name(value)));
    };
    let mut out = BTreeMap::new();
    let mut problems = Vec::new();
    for (k, v) in t {
        let Ok(month) = k.parse::<YearMonth>() else {
            problems.push(format!("`{k}` is not a month YYYY-MM"));
            continue;
        };
        match v.as_int().and_then(|d| u32::try_from(d).ok()).filter(|d| (1..=month.days()).contains(d)) {
            Some(d) => {
                out.insert(month, d);
            }
            None => problems.push(format!("{k}: {v} is not a day of that month")),
        }
    }
    finish(out, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_catalogued_and_ordered_like_the_enum() {
        for (i, k) in K::ALL.iter().enumerate() {
            assert_eq!(*k as usize, i);
            assert!(spec(k.key()).is_some(), "{} is catalogued", k.key());
        }
    }

    #[test]
    fn converters_report_every_problem() {
        let mut t = BTreeMap::new();
        t.insert("0".to_string(), Value::Text("1".into()));
        t.insert("9".to_string(), Value::Text("-1".into()));
        t.insert("10".to_string(), Value::Text("2850000".into()));
        let err = class_table(&Value::Table(t)).expect_err("bad table");
        assert!(err.contains("`0` is not a job class"), "{err}");
        assert!(err.contains("9: \"-1\""), "{err}");

        let list = Value::List(vec![Value::Text("0.5".into()), Value::Text("101".into())]);
        assert!(percent_list4(&list).expect_err("short").contains("expected 4"));

        let band = |b: &str, p: &str| {
            let mut t = BTreeMap::new();
            t.insert("below".to_string(), Value::Text(b.into()));
            t.insert("pay".to_string(), Value::Text(p.into()));
            Value::Table(t)
        };
        let bands = Value::List(vec![band("50", "50"), band("25", "0")]);
        assert!(gate_bands(&bands).expect_err("descending").contains("[1].below"));
        assert_eq!(gate_bands(&Value::List(vec![])), Ok(vec![]));
    }
}
