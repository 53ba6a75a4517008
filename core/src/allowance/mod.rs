//! The monthly allowance (*TPP, Tambahan Penghasilan Pegawai*) as an explained slip.
//!
//! # What the allowance is
//!
//! Besides their salary (*gaji*), civil servants of a region receive a monthly
//! allowance, TPP (PP 12/2019 art. 58; the Minister of Home Affairs approves each
//! region's scheme, Kepmendagri 061-5449/2019 and later 900-4700/2020; each city sets
//! its rules by Perwal/Perbup). Each job class (*kelas jabatan*, 1 to 17) has a
//! **ceiling** (*pagu*). What an employee is actually paid depends on their verified
//! work, their discipline, and a few adjustments, so every month's allowance is a
//! computation that people will question. Kinerja answers with a [`Slip`]: ordered
//! lines that add up exactly to the totals, each with its rule id, the arithmetic in
//! words with the actual numbers, the policy values used (with effective date, layer
//! and legal reference) and the input fields read.
//!
//! # The computation
//!
//! R(x) rounds x by the declared rule (`allowance.rounding`, `allowance.rounding_scale`;
//! whole rupiah, halves up nationally). Every line amount is rounded when produced and
//! later steps use the rounded amounts. Percentages are exact decimals, never floats.
//!
//! | step | rule id | amount |
//! |---|---|---|
//! | 1 ceiling | `ceiling` | C = table value of the class, or BPK tukin value x IKFD x IKK x IPPD rounded **up** to a multiple of `bpk_rounding_unit`; with `allowance.components`, one `ceiling` line per component and C their sum |
//! | 2 proration (*prorata*) | `proration` | B - C with B = R(C x assigned / calendar working days) |
//! | 3 candidates (CPNS) | `cpns` | -R(B x (100 - cpns_percent) / 100); B' = B + line |
//! | 4 split | `part` (amount 0, only for a split other than the standard pair or with components) | P = R(B' x weight_performance / 100); D = B' - P; in general every part of `allowance.parts` but the last R(B' x weight / 100), the last the rest |
//! | 5 performance (*kinerja*) | `performance.shortfall` | E - P with E = R(P x min(verified, target) / target) (the `activity` part) |
//! | 6 discipline | `deduction.late.1`..`.4`, `deduction.early.1`..`.4`, `deduction.converted`, `deduction.unexcused`, `deduction.roll_call`, `deduction.ceremony`, `deduction.forfeit`, `deduction.absence.<code>` | -R(base x rate x count / 100), base = the part the kind is charged to (D nationally) or B'; count rules of `allowance.discipline_counts` applied |
//! | 7 floor | `deduction.floor` | deductions beyond each part earned (D nationally), or beyond the sum of the parts earned (E + D), given back |
//! | 8 attendance gate | `gate` | -R(S1 x (100 - pay) / 100) for the first band with attendance % < below |
//! | 9 sanction (*hukuman disiplin*) | `sanction` | -R(S2 x cut / 100), the largest cut in force from the month `sanction.window_start` says; of S2 + the acting add-ons when `sanction.cuts_acting` |
//! | 10 acting (Plt, Plh) | `acting` | per record with enough days (a Plh only with `acting.plh`): +R(acted ceiling x percent / 100) with the percent of the post's relation (`acting.by_relation`, else `acting_percent`), or acted ceiling - own ceiling (`difference`); at most `acting.max_addons`, the highest |
//! | 11 gross | - | G = sum of the lines above |
//! | 12 income tax (PPh 21) | `tax.pph21` | -R(G x rate / 100): the flat rate of the rank group, or the TER rate of the PTKP category for G or salary + G ([`tax`]) |
//! | 13 health contribution (BPJS) | `contribution.bpjs` | -R(percent x (min(salary + G, cap) - min(salary, cap)) / 100) |
//! | 14 net | - | N = G + tax + contribution |
//!
//! Invariants, checked before a slip is returned ([`AllowanceError::Invariant`]):
//! 0 <= N <= G <= C + acting lines; lines 1-10 sum exactly to G; all lines to N.
//!
//! ```
//! use kinerja::allowance::{AllowanceInput, compute_slip};
//! use kinerja::policy::Policy;
//!
//! let input: AllowanceInput = serde_json::from_str(r#"{
//!   "employee": "198503152010011001", "month": "2026-10", "job_class": 9, "rank": "III/c",
//!   "employment": "PNS", "salary": "4500000",
//!   "calendar_working_days": 22, "assigned_working_days": 22,
//!   "performance": { "target_minutes": 6600, "verified_minutes": 6000 },
//!   "discipline": { "days_present": 22, "late": [2, 0, 0, 0], "early": [0, 0, 0, 0],
//!                   "unexcused_days": 0,
//!                   "roll_calls_missed": { "morning": 0, "afternoon": 0, "ceremony": 0 } }
//! }"#).unwrap();
//! let slip = compute_slip(&input, &Policy::national()).unwrap();
//! // C = 2,500,000; P = 1,500,000; E = R(1,500,000 x 6000 / 6600) = 1,363,636; D = 1,000,000;
//! // TL1: 2 x 0.5 % x 1,000,000 = 10,000; G = 2,353,636;
//! // tax III 5 % = 117,682 (117,681.8); BPJS 1 % x 2,353,636 = 23,536 (23,536.36).
//! let rules: Vec<_> = slip.lines.iter().map(|l| (l.rule.as_str(), l.amount.to_string())).collect();
//! assert_eq!(rules, [
//!     ("ceiling", "Rp 2500000".to_string()),
//!     ("performance.shortfall", "Rp -136364".to_string()),
//!     ("deduction.late.1", "Rp -10000".to_string()),
//!     ("tax.pph21", "Rp -117682".to_string()),
//!     ("contribution.bpjs", "Rp -23536".to_string()),
//! ]);
//! assert_eq!(slip.gross.to_string(), "Rp 2353636");
//! assert_eq!(slip.net.to_string(), "Rp 2212418");
//! // Each line's explanation is structured data (a message id and typed arguments),
//! // rendered in Indonesian (the default) or English by one renderer:
//! use kinerja::i18n::Lang;
//! assert_eq!(slip.lines[2].explanation.render(Lang::Id),
//!     "Terlambat TL1: 2 hari x 0,5% dari bagian disiplin Rp 1.000.000 = -Rp 10.000");
//! assert_eq!(slip.lines[2].explanation.render(Lang::En),
//!     "Late arrival TL1 (terlambat): 2 days x 0.5% of discipline part Rp 1,000,000 = -Rp 10,000");
//! ```
//!
//! # Choices where the specification is silent
//!
//! - **Zero lines.** Every line except `ceiling` is omitted when its amount is zero
//!   (a CPNS share of 100 %, a proration that rounds to nothing, a 0 % acting share).
//!   The `part` lines are the exception: they explain the split and always have
//!   amount 0 (shown only for a split other than the standard pair or with components);
//!   a component worth 0 has no `ceiling` line unless it is the first.
//! - **A month without working days.** With proration on and `calendar_working_days = 0`,
//!   B = 0 (the `proration` line takes back the whole ceiling) even though
//!   `assigned < calendar` does not hold; with proration off, B = C.
//! - **The ceiling is rounded too** (R(table value)), so every amount lies on the
//!   rounding grid and 0 <= B <= C holds under every rounding mode.
//! - **Signs of the totals.** `tax` and `contribution` are the signed amounts of their
//!   lines (negative or zero), so `net = gross + tax + contribution`.
//! - **Sanction ties.** When several sanctions are in force, the largest cut applies; on
//!   equal cuts the first in input order is quoted. Every sanction on the input, in
//!   force or not, must name a known level and one of its allowed durations.
//! - **Unexcused days twice.** `deduction.unexcused` reads `unexcused_days`; an
//!   `unexcused` entry in `discipline.absences` is deducted again only if
//!   `allowance.deduction.absence_per_day` rates it (nationally it does not).
//! - **Gate comparison** is exact: `days_present x 100 < below x assigned`.
//! - **Cut-off days** (`allowance.cutoff_days`) are bound and quoted but not applied:
//!   the caller counts `calendar_working_days` after the cut-off.
//! - **Parameters quoted on a line** are those that decided its amount; the rounding
//!   keys are quoted only where rounding changed the amount.
//!
//! # TPP criteria and count-based discipline
//!
//! The two-part computation above is the national configuration of a general form
//! (docs/allowance.md section 8): `allowance.components` builds C from criteria (PP 12/2019
//! art. 58) per job class or per position ([`Component`]); `allowance.parts` splits B'
//! into any number of parts, each earned by verified activity or paid in full and
//! reduced by the deduction kinds charged to it ([`Part`]); `allowance.discipline_counts`
//! adds free events, conversion of N events into days and forfeit after N events
//! ([`CountRule`]). At the national values ([`AllowanceParams::criteria_in_use`] is false)
//! the slip, its lines and its hashes are exactly those of the two-part engine.
//!
//! # The hashes: a sealed slip
//!
//! A slip carries three lowercase hex SHA-256 hashes of compact JSON (version
//! [`SCHEMA_VERSION`] = 2):
//!
//! - [`Slip::input_hash`]: the [`AllowanceInput`] as serialised (what it was computed from);
//! - [`Slip::policy_hash`]: **every** allowance policy value in force for the month, in
//!   [`ALLOWANCE_KEYS`] order, each as `{"key","value","from","layer","reference"}` (the
//!   value as canonical text, see [`AllowanceParams::value_text`]), not only the values
//!   quoted on lines: a changed legal reference changes it too;
//! - [`Slip::content_hash`], the **seal**: `{"schema_version":2,"employee","month",
//!   "input_hash","policy_hash","lines":[{"rule","amount"}...],"gross","tax",
//!   "contribution","net"}`, so it covers the amounts as well as the input and policy.
//!
//! [`Slip::seal`] recomputes the seal from a stored slip alone (an amount edited after
//! the fact breaks it); [`verify`] recomputes the whole slip from its input and the
//! policy and names what differs. Explanations, quoted parameters and line inputs are
//! derived from the input and policy and are not sealed: a line's explanation is now a
//! structured message ([`Explanation::Message`], JSON object) where slips stored earlier
//! carry English prose ([`Explanation::Text`], JSON string); both are read, and both keep
//! their seal, so the schema version stays 2. [`pay_all`] hashes the policy
//! once for the whole batch.
//!
//! # Batches, what-if and arrears
//!
//! [`pay_all`] pays a city's month with parameters bound once; [`Totals`] sums slips;
//! [`compare`] sets two runs side by side per employee (and [`Comparison::group_by`] per
//! unit); [`arrears`] gives what a recomputed slip owes or recovers (*rapel*); [`verify`]
//! re-verifies a stored slip.

pub mod acting;
mod compare;
mod criteria;
mod discipline;
mod input;
mod params;
mod slip;
pub mod tax;
mod verify;

pub use compare::{
    Arrears, Change, Comparison, Delta, EmployeeDelta, Presence, RuleDifference, Totals, arrears, compare,
};
pub use criteria::{CRITERIA, Component, ComponentAmounts, DEDUCTION_KINDS, Part, PartMeasure, standard_parts};
pub use discipline::{COUNT_KINDS, CountRule};
pub use input::{ActingInput, AllowanceInput, DisciplineInput, PerformanceInput, RollCallsMissed, SanctionInput};
pub use params::{
    ALLOWANCE_KEYS, AllowanceParams, CRITERIA_ALLOWANCE_KEYS, CeilingMethod, DeductionBase, GateBand,
    PPPK_ALLOWANCE_KEYS, SanctionLevel, TaxMethod, VARIANT_ALLOWANCE_KEYS,
};
pub use slip::{
    Explanation, HAND_BUILT_LAYER, LineAmount, N_RULES, ParamUse, RULE_NAMES, Rule, SCHEMA_VERSION,
    SCHEMA_VERSION_UNVERIFIED, Slip, SlipLine, rule_ids,
};
pub use verify::{SlipDifference, Verification, verify, verify_with};

pub use acting::{ActingKind, ActingRelation, ActingShare, SanctionWindow};
pub(crate) use criteria::{components as criteria_components, parts as criteria_parts};
pub(crate) use discipline::count_rules;
pub(crate) use slip::Prepared;
pub use tax::{Ptkp, TerBase, TerBracket, TerCategory, TerTable};

pub(crate) use acting::acting_by_relation;
pub(crate) use tax::ter_table;

pub(crate) use params::{
    absence_rates, class_table, cutoff_days, gate_bands, percent_list4, sanction_levels, tax_flat, tax_flat_pppk,
};

use crate::error::{ArithmeticError, ValidationErrors};
use crate::month::YearMonth;
use crate::policy::{Bound, Policy, PolicyError};

/// Why a slip could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AllowanceError {
    /// The input failed validation; every problem is listed.
    #[error("allowance input refused: {0}")]
    InvalidInput(#[from] ValidationErrors),
    /// The policy could not be read or is inconsistent.
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// Checked arithmetic failed.
    #[error("employee `{employee}`: arithmetic failed computing {context}: {source}")]
    Arithmetic {
        /// The employee's NIP.
        employee: String,
        /// What was being computed.
        context: &'static str,
        /// The failure.
        #[source]
        source: ArithmeticError,
    },
    /// A sanction names a level that `allowance.sanctions` does not define.
    #[error(
        "employee `{employee}`, field `sanctions[{index}].level`: `{level}` is not a sanction level (known: {known})"
    )]
    UnknownSanctionLevel {
        /// The employee's NIP.
        employee: String,
        /// The sanction's index in the input.
        index: usize,
        /// The level given.
        level: String,
        /// The levels the policy defines.
        known: String,
    },
    /// A sanction's duration is not one its level allows.
    #[error(
        "employee `{employee}`, field `sanctions[{index}].months`: {months} months is not allowed for level `{level}` (allowed: {allowed:?})"
    )]
    SanctionMonthsNotAllowed {
        /// The employee's NIP.
        employee: String,
        /// The sanction's index in the input.
        index: usize,
        /// The level.
        level: String,
        /// The duration given.
        months: i64,
        /// The durations allowed.
        allowed: Vec<u32>,
    },
    /// The parameters were bound for another month than the input's.
    #[error("employee `{employee}`, field `month`: the input is for {input} but the parameters are for {params}")]
    MonthMismatch {
        /// The employee's NIP.
        employee: String,
        /// The input's month.
        input: YearMonth,
        /// The parameters' month.
        params: YearMonth,
    },
    /// A slip broke an invariant (0 <= net <= gross <= ceiling + acting, lines adding up).
    /// Never expected with parameters that passed [`AllowanceParams::check`].
    #[error("employee `{employee}`: slip invariant broken: {message}")]
    Invariant {
        /// The employee's NIP.
        employee: String,
        /// What broke.
        message: String,
    },
    /// A stored slip's schema version is not the one this engine computes and seals
    /// ([`SCHEMA_VERSION`]), so it cannot be verified ([`verify`]).
    #[error("the slip has schema version {version}; this engine verifies version {}", SCHEMA_VERSION)]
    UnsupportedSlipVersion {
        /// The stored slip's version.
        version: u32,
    },
    /// Two slips that should be of the same employee and month are not ([`arrears`]).
    #[error("the slips differ in `{field}`: paid `{paid}`, recomputed `{recomputed}`")]
    SlipMismatch {
        /// `employee` or `month`.
        field: &'static str,
        /// The paid slip's value.
        paid: String,
        /// The recomputed slip's value.
        recomputed: String,
    },
}

impl AllowanceError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            AllowanceError::InvalidInput(_) => "invalid_allowance_input",
            AllowanceError::Policy(e) => e.code(),
            AllowanceError::Arithmetic { .. } => "arithmetic",
            AllowanceError::UnknownSanctionLevel { .. } => "unknown_sanction_level",
            AllowanceError::SanctionMonthsNotAllowed { .. } => "sanction_months_not_allowed",
            AllowanceError::MonthMismatch { .. } => "month_mismatch",
            AllowanceError::Invariant { .. } => "allowance_invariant",
            AllowanceError::UnsupportedSlipVersion { .. } => "unsupported_slip_version",
            AllowanceError::SlipMismatch { .. } => "slip_mismatch",
        }
    }
}

/// Computes the slip of `input` under `policy`, with the values in force on the first
/// day of the input's month. For many slips of one month, bind the parameters once
/// ([`AllowanceParams::from_policy`]) and use [`compute_slip_with`] or [`pay_all`].
pub fn compute_slip(input: &AllowanceInput, policy: &Policy) -> Result<Slip, AllowanceError> {
    input.validate()?;
    let params = AllowanceParams::from_policy(policy, input.month)?;
    compute_slip_with(input, &params)
}

/// Computes the slip of `input` with parameters bound for its month (the hot path).
///
/// Parameters from [`AllowanceParams::from_policy`] are consistent; parameters built
/// by hand should pass [`AllowanceParams::check`]. Whatever gets through is caught by
/// the invariant checks ([`AllowanceError::Invariant`]).
pub fn compute_slip_with(input: &AllowanceInput, params: &Bound<AllowanceParams>) -> Result<Slip, AllowanceError> {
    slip::Prepared::new(params)?.compute(input)
}

/// Computes every slip of a month with the same parameters, in input order. The
/// parameters' provenance and the policy part of the content hash are prepared once.
pub fn pay_all(inputs: &[AllowanceInput], params: &Bound<AllowanceParams>) -> Vec<Result<Slip, AllowanceError>> {
    match slip::Prepared::new(params) {
        Ok(prep) => inputs.iter().map(|i| prep.compute(i)).collect(),
        Err(e) => inputs.iter().map(|_| Err(e.clone())).collect(),
    }
}

/// One slip's totals without its lines' explanations, quoted parameters, line
/// inputs or hashes: what [`pay_all_amounts`] computes, by the same code as the full
/// [`Slip`] (whose `gross`, `tax`, `contribution` and `net` these are, and whose
/// ceiling is [`Slip::ceiling`]). Its lines' rules and amounts are in
/// [`Amounts::lines`], from `first_line` on, `line_count` of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SlipAmounts {
    /// The ceiling (C: the sum of the `ceiling` lines).
    pub ceiling: crate::money::Money,
    /// Gross allowance.
    pub gross: crate::money::Money,
    /// Income tax withheld (negative or zero).
    pub tax: crate::money::Money,
    /// Health contribution withheld (negative or zero).
    pub contribution: crate::money::Money,
    /// Net allowance paid.
    pub net: crate::money::Money,
}

/// Many slips' amounts in columns: for each input, in order, its totals or why it
/// could not be computed, and every line's rule and amount, slip after slip. Nothing
/// in it is text (a rule is a [`Rule`]), so that computing and freeing it costs a few
/// allocations for the whole month.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Amounts {
    /// Per input, in input order: the slip's totals, or the error the full slip would
    /// give ([`compute_slip_with`]).
    pub slips: Vec<Result<SlipAmounts, AllowanceError>>,
    /// Where each slip's lines start in [`Amounts::lines`] and how many it has
    /// (parallel to `slips`; `(start, 0)` for an error).
    pub line_ranges: Vec<(u32, u32)>,
    /// Every line of every computed slip, in slip order then line order.
    pub lines: Vec<LineAmount>,
}

impl Amounts {
    /// The lines of slip `i` (empty for an error or past the end).
    pub fn lines_of(&self, i: usize) -> &[LineAmount] {
        match self.line_ranges.get(i) {
            Some(&(start, n)) => self.lines.get(start as usize..(start + n) as usize).unwrap_or(&[]),
            None => &[],
        }
    }
}

/// Computes the amounts of every slip of a month with the same parameters, in input
/// order: the same numbers as [`pay_all`] (the same code computes them) without the
/// explanations, quoted parameters, line inputs and hashes, which are what most of a
/// full slip's cost is. A slip someone opens is computed in full by
/// [`compute_slip_with`] (or [`crate::payroll::PayrollAmounts::explain`]).
pub fn pay_all_amounts(inputs: &[AllowanceInput], params: &Bound<AllowanceParams>) -> Amounts {
    let mut out = Amounts {
        slips: Vec::with_capacity(inputs.len()),
        line_ranges: Vec::with_capacity(inputs.len()),
        lines: Vec::with_capacity(inputs.len() * 6),
    };
    let prep = match slip::Prepared::new_for_amounts(params) {
        Ok(p) => p,
        Err(e) => {
            out.slips = inputs.iter().map(|_| Err(e.clone())).collect();
            out.line_ranges = vec![(0, 0); inputs.len()];
            return out;
        }
    };
    for input in inputs {
        out.push(&prep, input);
    }
    out
}

/// Computes one slip's amounts with parameters bound for its month: the totals and
/// every line's rule and amount, the numbers of [`compute_slip_with`] (the same code
/// computes them) without explanations or hashes. For one employee's figures (the
/// phone's projection); the full slip, when someone opens it, is [`compute_slip_with`].
pub fn slip_amounts(
    input: &AllowanceInput,
    params: &Bound<AllowanceParams>,
) -> Result<(SlipAmounts, Vec<LineAmount>), AllowanceError> {
    let mut lines = Vec::with_capacity(8);
    let totals = slip::Prepared::new_for_one(params).amounts(input, &mut lines)?;
    Ok((totals, lines))
}

impl Amounts {
    /// Computes one more slip's amounts (after those already held).
    pub(crate) fn push(&mut self, prep: &slip::Prepared<'_>, input: &AllowanceInput) {
        let start = self.lines.len();
        let result = prep.amounts(input, &mut self.lines);
        let n = self.lines.len() - start;
        self.line_ranges.push((u32::try_from(start).unwrap_or(u32::MAX), u32::try_from(n).unwrap_or(0)));
        self.slips.push(result);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    fn input() -> AllowanceInput {
        serde_json::from_str(
            r#"{
              "employee": "198503152010011001", "month": "2026-10", "job_class": 9, "rank": "III/c",
              "employment": "PNS", "salary": "4500000",
              "calendar_working_days": 22, "assigned_working_days": 22,
              "performance": { "target_minutes": 6600, "verified_minutes": 6000 },
              "discipline": { "days_present": 21, "late": [0, 0, 0, 0], "early": [0, 0, 0, 0],
                              "unexcused_days": 0, "absences": { "permit": 1 },
                              "roll_calls_missed": { "morning": 0, "afternoon": 0, "ceremony": 0 } }
            }"#,
        )
        .expect("test input")
    }

    /// A slip with most kinds of line lists them in [`rule_ids`] order.
    #[test]
    fn lines_follow_rule_ids_order() {
        let mut i = input();
        // Proration (20 of 22), shortfall, TL1, PSW2, TK 1 day, a roll call, a
        // ceremony, permit and sick days, a sanction in force and a Plt add-on.
        i.assigned_working_days = 20;
        i.discipline = serde_json::from_str(
            r#"{ "days_present": 16, "late": [1, 0, 0, 0], "early": [0, 1, 0, 0], "unexcused_days": 1,
                 "absences": { "sick": 1, "permit": 2 },
                 "roll_calls_missed": { "morning": 1, "afternoon": 0, "ceremony": 1 } }"#,
        )
        .expect("test discipline");
        i.sanctions = vec![SanctionInput {
            level: "medium".into(),
            effective_from: chrono::NaiveDate::from_ymd_opt(2026, 9, 1).expect("date"),
            months: 6,
            reference: String::new(),
        }];
        i.acting = vec![ActingInput {
            position: crate::ids::PositionId::from("P-1"),
            job_class: 11,
            working_days: 12,
            kind: ActingKind::Plt,
            relation: None,
        }];
        let slip = compute_slip(&i, &Policy::national()).expect("computes");
        let order = rule_ids();
        let ranks: Vec<usize> =
            slip.lines.iter().map(|l| order.iter().position(|r| *r == l.rule).expect("every rule is listed")).collect();
        assert!(ranks.windows(2).all(|w| w[0] < w[1]), "{:?}", slip.lines.iter().map(|l| &l.rule).collect::<Vec<_>>());
        let rules: Vec<&str> = slip.lines.iter().map(|l| l.rule.as_str()).collect();
        assert_eq!(
            rules,
            [
                "ceiling",
                "proration",
                "performance.shortfall",
                "deduction.late.1",
                "deduction.early.2",
                "deduction.unexcused",
                "deduction.roll_call",
                "deduction.ceremony",
                "deduction.absence.permit",
                "deduction.absence.sick",
                "sanction",
                "acting",
                "tax.pph21",
                "contribution.bpjs",
            ]
        );
        let unique: std::collections::BTreeSet<&String> = order.iter().collect();
        assert_eq!(unique.len(), order.len());
        assert_eq!(order.len(), 18 + crate::targets::ABSENCE_CODES.len() + 6);
    }

    /// The three hashes are the SHA-256 of the JSON texts the documentation defines,
    /// built here by hand.
    #[test]
    fn hashes_are_those_of_the_documented_json() {
        let bound =
            AllowanceParams::from_policy(&Policy::national(), "2026-10".parse().expect("month")).expect("binds");
        let prep = slip::Prepared::new(&bound).expect("prepares");
        let input = input();
        let sha = |text: &str| slip::hex(&Sha256::digest(text.as_bytes()));
        let slip = prep.compute(&input).expect("computes");

        let input_json = serde_json::to_string(&input).expect("serialises");
        assert!(input_json.starts_with(r#"{"employee":"198503152010011001","month":"2026-10","job_class":9,"#));
        assert_eq!(slip.input_hash, sha(&input_json));

        let policy_json = serde_json::to_string(&prep.policy_values()).expect("serialises");
        assert!(policy_json.starts_with(
            r#"[{"key":"allowance.ceiling_method","value":"table","from":"2020-01-01","layer":"national","#
        ));
        assert_eq!(slip.policy_hash, sha(&policy_json));

        let lines: Vec<String> =
            slip.lines.iter().map(|l| format!(r#"{{"rule":"{}","amount":"{}"}}"#, l.rule, l.amount.amount())).collect();
        let sealed = format!(
            r#"{{"schema_version":2,"employee":"198503152010011001","month":"2026-10","input_hash":"{}","policy_hash":"{}","lines":[{}],"gross":"{}","tax":"{}","contribution":"{}","net":"{}"}}"#,
            slip.input_hash,
            slip.policy_hash,
            lines.join(","),
            slip.gross.amount(),
            slip.tax.amount(),
            slip.contribution.amount(),
            slip.net.amount()
        );
        assert!(sealed.contains(r#""lines":[{"rule":"ceiling","amount":"2500000"},"#), "{sealed}");
        assert_eq!(slip.content_hash, sha(&sealed));
        assert_eq!(slip.seal(), slip.content_hash);
        assert_eq!(slip.content_hash.len(), 64);
    }
}
