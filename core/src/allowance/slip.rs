//! The slip ([`Slip`]) and the computation that produces it (specification section 3).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use smallvec::SmallVec;

/// Amounts per part of `allowance.parts`, inline up to four parts.
type PartAmounts<A> = SmallVec<[A; 4]>;

use super::AllowanceError;
use super::acting::{ActingKind, ActingShare, SanctionWindow};
use super::criteria::{self, ComponentAmounts, Part, PartMeasure};
use super::discipline;
use super::input::AllowanceInput;
use super::params::{
    AllowanceParams, CeilingMethod, DeductionBase, K, N_BASE_KEYS, N_CRITERIA_KEYS, N_KEYS, N_PPPK_KEYS, TaxMethod,
    group_name, pppk_grade_name, sanction_text,
};
use super::tax::{bracket_text, ter_rate};
use crate::error::ArithmeticError;
use crate::i18n::{Lang, Message, Renderer};
use crate::money::{Amount, Money, Percent, Whole};
use crate::month::YearMonth;
use crate::org::{EmploymentType, JobClass, Nip};
use crate::policy::{Bound, Provenance};
use crate::targets::ABSENCE_CODES;

/// The version of the slip's JSON form and of its hashes. Version 2 seals the amounts:
/// `input_hash`, `policy_hash`, and a `content_hash` over the lines and totals (version 1
/// hashed the input and policy only).
pub const SCHEMA_VERSION: u32 = 2;

/// The version of a slip paid with explicit permission while policy values in force were
/// not verified ([`Slip::unverified`] is not empty). Its seal also covers that list; it is
/// otherwise a version-2 slip. Version-2 slips stay as they were and verifiable.
pub const SCHEMA_VERSION_UNVERIFIED: u32 = 3;

/// The layer name quoted for a value whose [`Bound`] carries no provenance (parameters
/// built by hand).
pub const HAND_BUILT_LAYER: &str = "(hand-built)";

/// One employee's allowance for one month: ordered lines that add up exactly to the
/// totals (specification section 4).
///
/// `gross` is the sum of every line before `tax.pph21`; `tax` and `contribution` are the
/// (negative, or zero) amounts of the `tax.pph21` and `contribution.bpjs` lines; `net`
/// is the sum of all lines, `gross + tax + contribution`.
#[doc(alias = "slip TPP")]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Slip {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The employee.
    pub employee: Nip,
    /// The month paid.
    pub month: YearMonth,
    /// The lines, in the order of the computation.
    pub lines: Vec<SlipLine>,
    /// Gross allowance (the sum of lines 1-10).
    pub gross: Money,
    /// Income tax withheld (negative or zero).
    pub tax: Money,
    /// Health contribution withheld (negative or zero).
    pub contribution: Money,
    /// Net allowance paid (the sum of all lines).
    pub net: Money,
    /// Lowercase hex SHA-256 of the input's canonical JSON: what the slip was computed
    /// from (see the [module docs](super#the-hashes-a-sealed-slip)). Empty in a version-1
    /// slip read back (which [`super::verify`] refuses by its version).
    #[serde(default)]
    pub input_hash: String,
    /// Lowercase hex SHA-256 of every allowance policy value in force for the month,
    /// with its provenance: under which rules it was computed. Empty in a version-1 slip.
    #[serde(default)]
    pub policy_hash: String,
    /// The seal: lowercase hex SHA-256 of the slip's canonical JSON (employee, month,
    /// `input_hash`, `policy_hash`, every line's rule and amount, the four totals).
    /// [`Slip::seal`] recomputes it from the slip itself; [`super::verify`] recomputes
    /// the slip from its input and policy.
    pub content_hash: String,
    /// The allowance policy values in force that were not verified when the slip was
    /// paid with explicit permission, as `key (status)` (e.g.
    /// `allowance.ceilings (illustrative)`); empty otherwise. A slip with such values is
    /// version [`SCHEMA_VERSION_UNVERIFIED`] and its seal covers the list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unverified: Vec<String>,
}

impl Slip {
    /// The first line with rule id `rule`.
    pub fn line(&self, rule: &str) -> Option<&SlipLine> {
        self.lines.iter().find(|l| l.rule == rule)
    }

    /// The sum of the lines with rule id `rule` (zero when there is none).
    pub fn amount(&self, rule: &str) -> Money {
        Money::new(
            self.lines
                .iter()
                .filter(|l| l.rule == rule)
                .fold(Decimal::ZERO, |a, l| a.saturating_add(l.amount.amount())),
        )
    }

    /// The ceiling (the `ceiling` line).
    pub fn ceiling(&self) -> Money {
        self.amount("ceiling")
    }

    /// The seal this slip's own fields give: the SHA-256 of
    /// `{"schema_version":2,"employee":…,"month":…,"input_hash":…,"policy_hash":…,
    /// "lines":[{"rule":…,"amount":…},…],"gross":…,"tax":…,"contribution":…,"net":…}`
    /// (compact JSON, amounts as their decimal text). Equal to [`Slip::content_hash`]
    /// unless an amount, a rule, a total or a hash was changed after the slip was made.
    pub fn seal(&self) -> String {
        let lines: Vec<SealedLine<'_>> =
            self.lines.iter().map(|l| SealedLine { rule: &l.rule, amount: l.amount }).collect();
        let sealed = Sealed {
            schema_version: self.schema_version,
            employee: &self.employee,
            month: self.month,
            input_hash: &self.input_hash,
            policy_hash: &self.policy_hash,
            lines,
            gross: self.gross,
            tax: self.tax,
            contribution: self.contribution,
            net: self.net,
            unverified: &self.unverified,
        };
        // Plain data with string keys: serialising cannot fail. One buffer, hashed at once
        // (many small hasher updates cost more than the copy).
        hex(&Sha256::digest(serde_json::to_vec(&sealed).unwrap_or_default()))
    }

    /// Records the policy values paid with although not verified (`key (status)`): the
    /// slip becomes version [`SCHEMA_VERSION_UNVERIFIED`] and is sealed again. Nothing
    /// changes when `values` is empty.
    pub fn record_unverified(&mut self, values: Vec<String>) {
        if values.is_empty() {
            return;
        }
        self.unverified = values;
        self.schema_version = SCHEMA_VERSION_UNVERIFIED;
        self.content_hash = self.seal();
    }

    /// True when [`Slip::content_hash`] is the seal of the slip's fields ([`Slip::seal`]).
    pub fn is_sealed(&self) -> bool {
        self.seal() == self.content_hash
    }
}

/// The canonical JSON sealed by [`Slip::content_hash`].
#[derive(Serialize)]
struct Sealed<'a> {
    schema_version: u32,
    employee: &'a Nip,
    month: YearMonth,
    input_hash: &'a str,
    policy_hash: &'a str,
    lines: Vec<SealedLine<'a>>,
    gross: Money,
    tax: Money,
    contribution: Money,
    net: Money,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    unverified: &'a [String],
}

/// A line as sealed: its rule and amount.
#[derive(Serialize)]
struct SealedLine<'a> {
    rule: &'a str,
    amount: Money,
}

/// Every rule id a slip line may carry, in the order lines appear on a slip
/// (specification section 3): `ceiling` (one per component of `allowance.components`),
/// `proration`, `cpns`, `part` (amount 0, one per part, only when `allowance.parts` is
/// not the standard performance/discipline pair or `allowance.components` is set),
/// `performance.shortfall`,
/// `deduction.late.1`..`.4`, `deduction.early.1`..`.4`, `deduction.converted`,
/// `deduction.unexcused`, `deduction.roll_call`, `deduction.ceremony`,
/// `deduction.forfeit`, one `deduction.absence.<code>` per
/// absence code (in [`crate::targets::ABSENCE_CODES`] order), `deduction.floor`, `gate`,
/// `sanction`, `acting`, `tax.pph21`, `contribution.bpjs`. For reports that lay rules
/// out as columns in slip order.
pub fn rule_ids() -> Vec<String> {
    RULE_NAMES.iter().map(|r| (*r).to_string()).collect()
}

/// Every rule id a slip line may carry, in slip order, as static text: what a
/// [`Rule`] indexes and [`rule_ids`] lists. The `deduction.absence.<code>` ids are
/// those of [`crate::targets::ABSENCE_CODES`], in its order (a test holds them equal).
pub const RULE_NAMES: [&str; N_RULES] = [
    "ceiling",
    "proration",
    "cpns",
    "part",
    "performance.shortfall",
    "deduction.late.1",
    "deduction.late.2",
    "deduction.late.3",
    "deduction.late.4",
    "deduction.early.1",
    "deduction.early.2",
    "deduction.early.3",
    "deduction.early.4",
    "deduction.converted",
    "deduction.unexcused",
    "deduction.roll_call",
    "deduction.ceremony",
    "deduction.forfeit",
    "deduction.absence.unexcused",
    "deduction.absence.permit",
    "deduction.absence.sick",
    "deduction.absence.sick_with_note",
    "deduction.absence.leave.annual",
    "deduction.absence.leave.long",
    "deduction.absence.leave.sick",
    "deduction.absence.leave.maternity",
    "deduction.absence.leave.important_reason",
    "deduction.absence.leave.collective",
    "deduction.absence.leave.unpaid",
    "deduction.absence.official_travel",
    "deduction.absence.off_site_half_day",
    "deduction.floor",
    "gate",
    "sanction",
    "acting",
    "tax.pph21",
    "contribution.bpjs",
];

/// How many rule ids a slip line may carry ([`RULE_NAMES`]).
pub const N_RULES: usize = 37;

// 18 rules before the absence codes, one per code, 6 after.
const _: () = assert!(N_RULES == 18 + ABSENCE_CODES.len() + 6);

/// A slip line's rule id as a small number: its place in [`RULE_NAMES`] (and
/// [`rule_ids`]). The amounts-only computation ([`super::SlipAmounts`]) records lines
/// with it instead of text, so that it allocates nothing per line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rule(u8);

impl Rule {
    /// `ceiling`.
    pub const CEILING: Rule = Rule(0);
    /// `proration`.
    pub const PRORATION: Rule = Rule(1);
    /// `cpns`.
    pub const CPNS: Rule = Rule(2);
    /// `part`.
    pub const PART: Rule = Rule(3);
    /// `performance.shortfall`.
    pub const PERFORMANCE: Rule = Rule(4);
    /// `deduction.converted`.
    pub const CONVERTED: Rule = Rule(13);
    /// `deduction.unexcused`.
    pub const UNEXCUSED: Rule = Rule(14);
    /// `deduction.roll_call`.
    pub const ROLL_CALL: Rule = Rule(15);
    /// `deduction.ceremony`.
    pub const CEREMONY: Rule = Rule(16);
    /// `deduction.forfeit`.
    pub const FORFEIT: Rule = Rule(17);
    /// `deduction.floor`.
    pub const FLOOR: Rule = Rule(31);
    /// `gate`.
    pub const GATE: Rule = Rule(32);
    /// `sanction`.
    pub const SANCTION: Rule = Rule(33);
    /// `acting`.
    pub const ACTING: Rule = Rule(34);
    /// `tax.pph21`.
    pub const TAX: Rule = Rule(35);
    /// `contribution.bpjs`.
    pub const BPJS: Rule = Rule(36);

    /// `deduction.late.<band>` (`late` true) or `deduction.early.<band>`, band 1..=4.
    fn band(late: bool, band: usize) -> Rule {
        let first = if late { 5 } else { 9 };
        Rule(first + (band.clamp(1, 4) - 1) as u8)
    }

    /// `deduction.absence.<code>` for the code at `index` of [`ABSENCE_CODES`].
    fn absence(index: usize) -> Rule {
        Rule(18 + index.min(ABSENCE_CODES.len() - 1) as u8)
    }

    /// The rule id's text (`deduction.late.1`).
    pub fn name(self) -> &'static str {
        RULE_NAMES.get(usize::from(self.0)).copied().unwrap_or("")
    }

    /// The place of the rule in [`RULE_NAMES`] (0..[`N_RULES`]).
    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    /// The rule of a rule id's text, if it is one of [`RULE_NAMES`].
    pub fn of(name: &str) -> Option<Rule> {
        RULE_NAMES.iter().position(|r| *r == name).map(|i| Rule(i as u8))
    }
}

/// A rule serialises as its id's text (`"deduction.late.1"`).
impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// One line of a slip without its explanation: the rule and the signed amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LineAmount {
    /// The rule.
    pub rule: Rule,
    /// The signed amount, as on the slip's line.
    pub amount: Money,
}

/// One line of a slip: a rule, its amount and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlipLine {
    /// The rule id, e.g. `ceiling`, `deduction.late.1`, `tax.pph21`.
    pub rule: String,
    /// The signed amount: positive for the ceiling, acting and floor, negative otherwise.
    pub amount: Money,
    /// The arithmetic in words with the actual numbers, as structured data: a message
    /// of the slip catalogue (`slip-deduction`, ...) and its typed arguments, rendered
    /// in Indonesian or English by [`crate::i18n::Renderer::slip_line`].
    pub explanation: Explanation,
    /// The policy values used, with their provenance.
    pub parameters: Vec<ParamUse>,
    /// The input fields read, by JSON path (`discipline.late[0]`), as text.
    pub inputs: BTreeMap<String, String>,
}

/// Why a slip line has its amount.
///
/// A slip computed now carries a [`Message`] (JSON: `{"id": "slip-deduction", "args":
/// {"count": {"int": 2}, "rate": {"percent": "0.5"}, ...}}`), which the
/// [`Renderer`](crate::i18n::Renderer) turns into Indonesian or English text. Slips
/// stored before explanations were structured carry English prose (a JSON string); they
/// are read back as [`Explanation::Text`] and shown as they are. Explanations are not
/// sealed ([`Slip::content_hash`] covers rules and amounts), so both forms keep their seal.
///
/// ```
/// use kinerja::allowance::Explanation;
/// use kinerja::i18n::Lang;
///
/// let old: Explanation = serde_json::from_str(r#""Ceiling (pagu TPP) ...""#).unwrap();
/// assert_eq!(old.render(Lang::Id), "Ceiling (pagu TPP) ...");
/// let new: Explanation = serde_json::from_str(
///     r#"{"id":"slip-tax","args":{"rate":{"percent":"5"},"group":{"text":"III"},
///        "gross":{"money":"2353636"},"amount":{"money":"-117682"}}}"#).unwrap();
/// assert_eq!(new.render(Lang::Id),
///     "PPh 21 tarif tetap 5% untuk golongan III: -(Rp 2.353.636 x 5%) = -Rp 117.682");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Explanation {
    /// A message of the slip catalogue with its typed arguments.
    Message(Message),
    /// English prose of a slip stored before explanations were structured.
    Text(String),
}

impl Explanation {
    /// The structured message (`None` for stored prose).
    pub fn message(&self) -> Option<&Message> {
        match self {
            Explanation::Message(m) => Some(m),
            Explanation::Text(_) => None,
        }
    }

    /// The explanation in `lang` with the engine's catalogues (stored prose as it is).
    pub fn render(&self, lang: Lang) -> String {
        Renderer::builtin().explanation(lang, self)
    }

    /// True for an empty prose explanation (a message always says something).
    pub fn is_empty(&self) -> bool {
        matches!(self, Explanation::Text(t) if t.trim().is_empty())
    }
}

impl From<Message> for Explanation {
    fn from(m: Message) -> Self {
        Explanation::Message(m)
    }
}

impl From<String> for Explanation {
    fn from(t: String) -> Self {
        Explanation::Text(t)
    }
}

impl From<&str> for Explanation {
    fn from(t: &str) -> Self {
        Explanation::Text(t.to_string())
    }
}

/// A policy value used by a line, with its provenance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamUse {
    /// The policy key.
    pub key: String,
    /// The value used, as text (for tables, the entry used, e.g. `9 = 2500000`).
    pub value: String,
    /// The first day of the dated entry.
    pub from: NaiveDate,
    /// The layer that supplied it.
    pub layer: String,
    /// The legal reference of the entry.
    pub reference: String,
}

// ---------------------------------------------------------------------------
// Display helpers
// ---------------------------------------------------------------------------

/// `-m` (never a negative zero).
pub(crate) fn neg<A: Amount>(m: A) -> A {
    m.neg()
}

// ---------------------------------------------------------------------------
// Prepared parameters: provenance index, value texts, hash prefix
// ---------------------------------------------------------------------------

/// One policy value in the canonical JSON of the content hash.
#[derive(Serialize)]
pub(crate) struct PolicyValue<'a> {
    key: &'static str,
    value: &'a str,
    from: NaiveDate,
    layer: &'a str,
    reference: &'a str,
}

/// Feeds serde_json output into a hasher.
struct HashWriter<'a>(&'a mut Sha256);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Lowercase hexadecimal of bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        for nibble in [b >> 4, b & 0x0f] {
            s.push(char::from(DIGITS.get(usize::from(nibble)).copied().unwrap_or(b'0')));
        }
    }
    s
}

/// Parameters prepared once for many slips: where each value came from, its text,
/// and the policy hash.
pub(crate) struct Prepared<'a> {
    params: &'a AllowanceParams,
    prov: [Option<&'a Provenance>; N_KEYS],
    texts: Vec<String>,
    policy_hash: String,
    policy_hash_pppk: String,
    /// The month's plan, read by every slip: each job class's ceiling by index (1..=17;
    /// `None` where it cannot be computed, computed again for the error then).
    ceilings: [Option<Ceiling>; 18],
    /// Whether the parts are shown as `part` lines (not the standard pair, or components).
    show_parts: bool,
    /// The part each of [`CHARGED_KINDS`] is charged to.
    part_of: [usize; CHARGED_KINDS.len()],
    /// The absence codes with a non-zero rate: `(index in ABSENCE_CODES, rate)`, in order.
    absence_rates: Vec<(usize, Percent)>,
    /// The policy's percentages with their integer forms, made once for every slip:
    /// each part's weight (in part order), the late and early bands' rates, the
    /// unexcused, roll-call and ceremony rates and the BPJS percent.
    weights: Vec<Percent>,
    late: [Percent; 4],
    early: [Percent; 4],
    unexcused: Percent,
    roll_call: Percent,
    ceremony: Percent,
    bpjs: Percent,
    /// Whether the policy rounds to whole rupiah, so that a slip's amounts are first
    /// computed in [`Whole`] rupiah ([`Prepared::amounts`]).
    whole: bool,
    /// The count rules (`allowance.discipline_counts`) of `late`, `early`, `roll_call`
    /// and `ceremony`, looked up once for every slip.
    count_rules: [Option<&'a discipline::CountRule>; 4],
    /// The activity part of `allowance.parts` (performance), if any.
    activity_part: Option<usize>,
}

impl<'a> Prepared<'a> {
    /// Parameters prepared for amounts only ([`Prepared::amounts`]): no value texts
    /// and no policy hash, which only explained and sealed slips read.
    pub(crate) fn new_for_amounts(bound: &'a Bound<AllowanceParams>) -> Result<Prepared<'a>, AllowanceError> {
        Ok(Self::plan(bound, true, false))
    }

    /// Parameters prepared for the amounts of one slip: nothing is computed ahead
    /// (each ceiling is computed when the slip reads it).
    pub(crate) fn new_for_one(bound: &'a Bound<AllowanceParams>) -> Prepared<'a> {
        Self::plan(bound, false, false)
    }

    /// The month's plan without value texts or hashes: where each deduction kind is
    /// charged, the absence rates in use, and (`ceilings`) every class ceiling and
    /// (`provenance`) where each value came from, which only explanations quote.
    fn plan(bound: &'a Bound<AllowanceParams>, ceilings: bool, provenance: bool) -> Prepared<'a> {
        let params = &bound.params;
        let mut prov: [Option<&Provenance>; N_KEYS] = [None; N_KEYS];
        if provenance {
            for (slot, k) in prov.iter_mut().zip(K::ALL) {
                *slot = bound.provenance.iter().find(|p| p.key == k.key());
            }
        }
        let mut table = [None; 18];
        if ceilings {
            for (i, slot) in table.iter_mut().enumerate() {
                *slot = u8::try_from(i).ok().and_then(JobClass::new).and_then(|c| ceiling_of(params, c).ok());
            }
        }
        Prepared {
            params,
            prov,
            texts: Vec::new(),
            policy_hash: String::new(),
            policy_hash_pppk: String::new(),
            ceilings: table,
            show_parts: !criteria::is_standard(&params.parts) || !params.components.is_empty(),
            part_of: CHARGED_KINDS.map(|k| part_for(params, k)),
            absence_rates: ABSENCE_CODES
                .iter()
                .enumerate()
                .filter_map(|(i, code)| {
                    params.absence_per_day.get(*code).filter(|r| !r.is_zero()).map(|r| (i, Percent::new(*r)))
                })
                .collect(),
            weights: params.parts.iter().map(|part| Percent::new(params.part_weight(part))).collect(),
            late: params.late.map(Percent::new),
            early: params.early.map(Percent::new),
            unexcused: Percent::new(params.unexcused_per_day),
            roll_call: Percent::new(params.roll_call_per_miss),
            ceremony: Percent::new(params.ceremony_per_miss),
            bpjs: Percent::new(params.bpjs_percent),
            whole: params.rounding.scale == 0,
            count_rules: ["late", "early", "roll_call", "ceremony"].map(|k| params.discipline_counts.get(k)),
            activity_part: params.parts.iter().position(|x| x.measure == PartMeasure::Activity),
        }
    }

    /// The part deduction kind `kind` is charged to.
    fn part_index(&self, kind: &str) -> usize {
        // By the kind's name (a match, not a search of CHARGED_KINDS: every slip asks).
        let slot = match kind {
            "late" => Some(0),
            "early" => Some(1),
            "unexcused" => Some(2),
            "roll_call" => Some(3),
            "ceremony" => Some(4),
            "absence" => Some(5),
            _ => None,
        };
        match slot.and_then(|i| self.part_of.get(i)) {
            Some(i) => *i,
            None => part_for(self.params, kind),
        }
    }

    pub(crate) fn new(bound: &'a Bound<AllowanceParams>) -> Result<Prepared<'a>, AllowanceError> {
        let mut prep = Self::plan(bound, true, true);
        prep.texts = K::ALL.iter().map(|k| prep.params.text_of(*k)).collect();
        let hash = |values: &[PolicyValue<'_>]| {
            let mut h = Sha256::new();
            serde_json::to_writer(HashWriter(&mut h), values).map_err(|e| AllowanceError::Invariant {
                employee: String::new(),
                message: format!("policy values do not serialise: {e}"),
            })?;
            Ok::<_, AllowanceError>(hex(&h.finalize()))
        };
        let base = hash(&prep.policy_values())?;
        let pppk = hash(&prep.policy_values_for(true))?;
        prep.policy_hash = base;
        prep.policy_hash_pppk = pppk;
        Ok(prep)
    }

    /// Every allowance policy value a PNS or CPNS slip depends on, in
    /// [`super::ALLOWANCE_KEYS`] order.
    pub(crate) fn policy_values(&self) -> Vec<PolicyValue<'_>> {
        self.policy_values_for(false)
    }

    /// The policy values of a slip: [`super::ALLOWANCE_KEYS`], followed for a PPPK
    /// employee by [`super::PPPK_ALLOWANCE_KEYS`], then, when the TPP criteria are in
    /// use ([`AllowanceParams::criteria_in_use`]), by [`super::CRITERIA_ALLOWANCE_KEYS`],
    /// then, when a variant is ([`AllowanceParams::variants_in_use`]), by
    /// [`super::VARIANT_ALLOWANCE_KEYS`].
    pub(crate) fn policy_values_for(&self, pppk: bool) -> Vec<PolicyValue<'_>> {
        let criteria = self.params.criteria_in_use();
        let variants = self.params.variants_in_use();
        K::ALL
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                *i < N_BASE_KEYS
                    || (pppk && *i < N_PPPK_KEYS)
                    || (criteria && (N_PPPK_KEYS..N_CRITERIA_KEYS).contains(i))
                    || (variants && *i >= N_CRITERIA_KEYS)
            })
            .map(|(_, k)| {
                let (from, layer, reference) = self.origin(*k);
                PolicyValue { key: k.key(), value: self.text(*k), from, layer, reference }
            })
            .collect()
    }

    fn text(&self, k: K) -> &str {
        self.texts.get(k as usize).map(String::as_str).unwrap_or("")
    }

    fn origin(&self, k: K) -> (NaiveDate, &str, &str) {
        match self.prov.get(k as usize).copied().flatten() {
            Some(p) => (p.from, p.layer.as_str(), p.reference.as_str()),
            None => (self.params.month.first_day(), HAND_BUILT_LAYER, ""),
        }
    }

    /// The use of key `k` with its whole value.
    fn whole(&self, k: K) -> ParamUse {
        self.with(k, self.text(k).to_string())
    }

    /// The use of key `k` with the part of its value used (a table entry).
    fn with(&self, k: K, value: String) -> ParamUse {
        let (from, layer, reference) = self.origin(k);
        ParamUse { key: k.key().to_string(), value, from, layer: layer.to_string(), reference: reference.to_string() }
    }

    /// The input hash of `input` ([`Slip::input_hash`]).
    pub(crate) fn input_hash(input: &AllowanceInput) -> Result<String, AllowanceError> {
        let json = serde_json::to_vec(input).map_err(|e| AllowanceError::Invariant {
            employee: input.employee.to_string(),
            message: format!("the input does not serialise: {e}"),
        })?;
        Ok(hex(&Sha256::digest(&json)))
    }

    /// The checks every computation runs before the lines.
    fn admit(&self, input: &AllowanceInput) -> Result<(), AllowanceError> {
        input.validate()?;
        if input.month != self.params.month {
            return Err(AllowanceError::MonthMismatch {
                employee: input.employee.to_string(),
                input: input.month,
                params: self.params.month,
            });
        }
        check_sanctions(self.params, input)?;
        if self.params.tax_method == TaxMethod::TerMonthly && input.ptkp.is_none() {
            return Err(missing_ptkp(input));
        }
        Ok(())
    }

    /// Computes one slip's amounts only (specification section 3, by the same code as
    /// [`Prepared::compute`], without explanations, quoted parameters, line inputs or
    /// hashes): appends its lines to `lines` and returns its totals. On an error,
    /// `lines` is left as it was.
    pub(crate) fn amounts(
        &self,
        input: &AllowanceInput,
        lines: &mut Vec<LineAmount>,
    ) -> Result<super::SlipAmounts, AllowanceError> {
        self.admit(input)?;
        // Whole rupiah first when the policy rounds to whole rupiah: the same rules on
        // 64-bit integers. Any failure there (an amount with cents, an overflow of 64
        // bits, or a slip the rules refuse) runs the slip again on decimals, whose
        // result (or error) is the slip's, so both ways give the same answer.
        if self.whole
            && let Ok(totals) = self.amounts_in::<Whole>(input, lines)
        {
            return Ok(totals);
        }
        self.amounts_in::<Money>(input, lines)
    }

    /// [`Prepared::amounts`] on amounts of type `A`, after the input was admitted.
    fn amounts_in<A: Amount>(
        &self,
        input: &AllowanceInput,
        lines: &mut Vec<LineAmount>,
    ) -> Result<super::SlipAmounts, AllowanceError> {
        let start = lines.len();
        let mut run = Run::<A, false> {
            prep: self,
            input,
            lines: Vec::new(),
            amounts: std::mem::take(lines),
            start,
            amount: std::marker::PhantomData,
        };
        let result = run.lines().map_err(|e| *e).and_then(|totals| {
            check_amounts(&input.employee, run.amounts.get(start..).unwrap_or(&[]), &totals)?;
            Ok(totals)
        });
        *lines = run.amounts;
        match result {
            Ok(t) => Ok(super::SlipAmounts {
                ceiling: t.ceiling,
                gross: t.gross,
                tax: t.tax,
                contribution: t.contribution,
                net: t.net,
            }),
            Err(e) => {
                lines.truncate(start);
                Err(e)
            }
        }
    }

    /// Computes one slip (specification section 3).
    pub(crate) fn compute(&self, input: &AllowanceInput) -> Result<Slip, AllowanceError> {
        self.admit(input)?;
        let mut run = Run::<Money, true> {
            prep: self,
            input,
            lines: Vec::with_capacity(8),
            amounts: Vec::new(),
            start: 0,
            amount: std::marker::PhantomData,
        };
        let totals = run.lines().map_err(|e| *e)?;
        check_amounts(&input.employee, &run.amounts, &totals)?;
        let mut slip = Slip {
            schema_version: SCHEMA_VERSION,
            employee: input.employee.clone(),
            month: input.month,
            lines: run.lines,
            gross: totals.gross,
            tax: totals.tax,
            contribution: totals.contribution,
            net: totals.net,
            input_hash: Self::input_hash(input)?,
            policy_hash: if input.rank.is_pppk() { self.policy_hash_pppk.clone() } else { self.policy_hash.clone() },
            content_hash: String::new(),
            unverified: Vec::new(),
        };
        slip.content_hash = slip.seal();
        Ok(slip)
    }
}

/// Every sanction's level must exist and allow its months.
fn check_sanctions(params: &AllowanceParams, input: &AllowanceInput) -> Result<(), AllowanceError> {
    for (index, s) in input.sanctions.iter().enumerate() {
        let Some(level) = params.sanctions.get(&s.level) else {
            return Err(AllowanceError::UnknownSanctionLevel {
                employee: input.employee.to_string(),
                index,
                level: s.level.clone(),
                known: params.sanctions.keys().cloned().collect::<Vec<_>>().join(", "),
            });
        };
        if !level.months.iter().any(|m| i64::from(*m) == s.months) {
            return Err(AllowanceError::SanctionMonthsNotAllowed {
                employee: input.employee.to_string(),
                index,
                level: s.level.clone(),
                months: s.months,
                allowed: level.months.clone(),
            });
        }
    }
    Ok(())
}

/// `0 <= net <= gross <= ceiling + acting`; lines 1-10 sum to gross, all lines to net.
fn check_amounts(employee: &Nip, lines: &[LineAmount], t: &RunTotals) -> Result<(), AllowanceError> {
    // Whole-rupiah amounts (every slip rounded to whole rupiah) are checked in
    // integers; anything else, and every failure, by the decimal checks below.
    let int = |m: Money| (m.amount().scale() == 0).then(|| m.amount().mantissa());
    let whole = |ls: &[LineAmount]| ls.iter().try_fold(0i128, |a, l| Some(a + int(l.amount)?));
    if let (Some(gross), Some(net), Some(sum_gross), Some(sum_all), Some(ceiling), Some(acting)) = (
        int(t.gross),
        int(t.net),
        whole(lines.get(..t.gross_lines).unwrap_or(lines)),
        whole(lines),
        int(t.ceiling),
        int(t.acting),
    ) && sum_gross == gross
        && sum_all == net
        && net >= 0
        && net <= gross
        && gross <= ceiling + acting
    {
        return Ok(());
    }
    let fail = |message: String| AllowanceError::Invariant { employee: employee.to_string(), message };
    let arith = |e: ArithmeticError| fail(format!("the invariant check overflowed: {e}"));
    let sum_gross = Money::checked_sum(lines.iter().take(t.gross_lines).map(|l| l.amount)).map_err(arith)?;
    let sum_all = Money::checked_sum(lines.iter().map(|l| l.amount)).map_err(arith)?;
    let limit = t.ceiling.checked_add(t.acting).map_err(arith)?;
    if sum_gross != t.gross {
        return Err(fail(format!("lines 1-10 sum to {} but gross is {}", sum_gross, t.gross)));
    }
    if sum_all != t.net {
        return Err(fail(format!("the lines sum to {} but net is {}", sum_all, t.net)));
    }
    if t.net.is_negative() {
        return Err(fail(format!("net {} is negative", t.net)));
    }
    if t.net > t.gross {
        return Err(fail(format!("net {} exceeds gross {}", t.net, t.gross)));
    }
    if t.gross > limit {
        return Err(fail(format!("gross {} exceeds ceiling {} + acting {}", t.gross, t.ceiling, t.acting)));
    }
    Ok(())
}

/// The amounts the invariants need besides the lines.
struct RunTotals {
    ceiling: Money,
    acting: Money,
    gross_lines: usize,
    gross: Money,
    tax: Money,
    contribution: Money,
    net: Money,
}

/// A ceiling and how it was found.
#[derive(Clone, Copy)]
struct Ceiling {
    class: JobClass,
    table_value: Money,
    /// Before rounding up to the BPK unit (only for `bpk_index`).
    indexed: Money,
    amount: Money,
    rounded: bool,
}

/// Why a class ceiling could not be computed.
enum CeilingError {
    /// The table has no value for the class.
    Policy(crate::policy::PolicyError),
    /// Checked arithmetic failed.
    Arithmetic(ArithmeticError),
}

/// Step 1 for any class: the ceiling by the policy's method, `R(table value)` or the
/// BPK index rounded up to its unit, then `R`.
fn ceiling_of(p: &AllowanceParams, class: JobClass) -> Result<Ceiling, CeilingError> {
    let table_key = match p.ceiling_method {
        CeilingMethod::Table => K::Ceilings,
        CeilingMethod::BpkIndex => K::BpkTable,
    };
    let table_value = p.class_value(class).ok_or_else(|| {
        CeilingError::Policy(crate::policy::PolicyError::BadValue {
            key: table_key.key().to_string(),
            message: format!("no value for job class {class}"),
        })
    })?;
    let ar = CeilingError::Arithmetic;
    let (indexed, raw) = match p.ceiling_method {
        CeilingMethod::Table => (table_value, table_value),
        CeilingMethod::BpkIndex => {
            let x = table_value
                .checked_mul(p.ikfd)
                .and_then(|m| m.checked_mul(p.ikk))
                .and_then(|m| m.checked_mul(p.ippd))
                .map_err(ar)?;
            let unit = p.bpk_rounding_unit.amount();
            let units = x.checked_div(unit).map_err(ar)?.amount().ceil();
            (x, Money::new(units).checked_mul(unit).map_err(ar)?)
        }
    };
    let amount = raw.round(p.rounding);
    Ok(Ceiling { class, table_value, indexed, amount, rounded: amount != raw })
}

/// The deduction kinds whose part is looked up per slip, in [`Prepared::part_of`] order.
/// (The same order as the match of [`Prepared::part_index`].)
const CHARGED_KINDS: [&str; 6] = ["late", "early", "unexcused", "roll_call", "ceremony", "absence"];

/// The part of `allowance.parts` a deduction kind is charged to: the first part that
/// lists it, else the last.
fn part_for(p: &AllowanceParams, kind: &str) -> usize {
    p.parts.iter().position(|x| x.deductions.iter().any(|k| k == kind)).unwrap_or(p.parts.len().saturating_sub(1))
}

/// A rule's failure inside a run: boxed, so that the many `Result`s of the rules
/// (an amount or a failure) stay two words wide on the hot path and the rich error
/// is built (and allocated) only when a rule fails.
type Fail = Box<AllowanceError>;

/// One slip being computed.
///
/// `EXPLAIN`: whether the lines are explained (the full slip) or only their amounts
/// kept. A constant, so that the amounts-only computation is compiled without any
/// of the explanations' code (smaller frames, no dead branches in the hot loop).
struct Run<'p, 'a, A, const EXPLAIN: bool> {
    prep: &'p Prepared<'a>,
    input: &'p AllowanceInput,
    /// The explained lines (only when `explain`).
    lines: Vec<SlipLine>,
    /// Every line's rule and amount (always), from `start` on for this slip.
    amounts: Vec<LineAmount>,
    start: usize,
    /// The amount type the rules run on ([`Money`], or [`Whole`] rupiah).
    amount: std::marker::PhantomData<A>,
}

/// What explains a line: the message, the policy values used and the input fields read.
type Detail = (Message, Vec<ParamUse>, BTreeMap<String, String>);

fn inputs<const N: usize>(items: [(&str, String); N]) -> BTreeMap<String, String> {
    items.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

impl<A: Amount, const EXPLAIN: bool> Run<'_, '_, A, EXPLAIN> {
    fn params(&self) -> &AllowanceParams {
        self.prep.params
    }

    fn arith(&self, context: &'static str) -> impl Fn(ArithmeticError) -> AllowanceError + '_ {
        move |source| AllowanceError::Arithmetic { employee: self.input.employee.to_string(), context, source }
    }

    /// R(x), and whether rounding changed x.
    fn round<B: Amount>(&self, x: B) -> (B, bool) {
        let r = x.round(self.params().rounding);
        (r, r != x)
    }

    /// Adds the rounding keys to `uses` when rounding changed an amount.
    fn note_rounding(&self, rounded: bool, uses: &mut Vec<ParamUse>) {
        if rounded {
            uses.push(self.prep.whole(K::Rounding));
            uses.push(self.prep.whole(K::RoundingScale));
        }
    }

    /// A line whose explanation, parameters and inputs are built already.
    fn push(
        &mut self,
        rule: Rule,
        amount: impl Into<Money>,
        explanation: Message,
        parameters: Vec<ParamUse>,
        inputs: BTreeMap<String, String>,
    ) {
        self.push_with(rule, amount, |_| (explanation, parameters, inputs));
    }

    /// A line whose explanation, parameters and inputs `detail` builds, only when the
    /// slip is explained.
    fn push_with(&mut self, rule: Rule, amount: impl Into<Money>, detail: impl FnOnce(&Self) -> Detail) {
        let amount: Money = amount.into();
        self.amounts.push(LineAmount { rule, amount });
        if EXPLAIN {
            let (explanation, parameters, inputs) = detail(self);
            self.lines.push(SlipLine {
                rule: rule.name().to_string(),
                amount,
                explanation: Explanation::Message(explanation),
                parameters,
                inputs,
            });
        }
    }

    /// The number of lines of this slip so far.
    fn line_count(&self) -> usize {
        self.amounts.len() - self.start
    }

    /// `R(base x pct / 100)` for a percentage `pct`.
    fn percent_of<B: Amount>(&self, base: B, pct: &Percent, context: &'static str) -> Result<(B, bool), Fail> {
        Ok(base.percent(pct, None, self.params().rounding).map_err(self.arith(context))?)
    }

    /// `m` as the run's amount type (a policy or input amount that is not whole
    /// rupiah fails a [`Whole`] run, which is then run again in [`Money`]).
    fn amt(&self, m: Money) -> Result<A, Fail> {
        A::of(m).ok_or_else(|| {
            Box::new(self.arith("whole rupiah")(ArithmeticError::Overflow { operation: "whole rupiah" }))
        })
    }

    /// Step 1, for any class: the ceiling by the policy's method (computed once per
    /// month in [`Prepared`]; computed here again only to report why it fails).
    fn ceiling_of(&self, class: JobClass) -> Result<Ceiling, Fail> {
        if let Some(c) = self.prep.ceilings.get(usize::from(class.get())).copied().flatten() {
            return Ok(c);
        }
        ceiling_of(self.params(), class).map_err(|e| {
            Box::new(match e {
                CeilingError::Policy(e) => AllowanceError::Policy(e),
                CeilingError::Arithmetic(source) => self.arith("the ceiling")(source),
            })
        })
    }

    /// The policy values a ceiling used.
    fn ceiling_uses(&self, c: &Ceiling, uses: &mut Vec<ParamUse>) {
        let p = self.params();
        uses.push(self.prep.whole(K::CeilingMethod));
        match p.ceiling_method {
            CeilingMethod::Table => {
                uses.push(self.prep.with(K::Ceilings, format!("{} = {}", c.class, c.table_value.amount().normalize())))
            }
            CeilingMethod::BpkIndex => {
                uses.push(self.prep.with(K::BpkTable, format!("{} = {}", c.class, c.table_value.amount().normalize())));
                uses.push(self.prep.whole(K::Ikfd));
                uses.push(self.prep.whole(K::Ikk));
                uses.push(self.prep.whole(K::Ippd));
                uses.push(self.prep.whole(K::BpkRoundingUnit));
            }
        }
        self.note_rounding(c.rounded, uses);
    }

    /// How a ceiling was found: `slip-ceiling-table` / `slip-ceiling-bpk` for the
    /// `ceiling` line, `slip-class-ceiling-*` inside the `acting` line.
    fn ceiling_words(&self, c: &Ceiling, line: bool) -> Message {
        let p = self.params();
        let class = i64::from(c.class.get());
        match p.ceiling_method {
            CeilingMethod::Table => Message::new(if line { "slip-ceiling-table" } else { "slip-class-ceiling-table" })
                .int("class", class)
                .money("ceiling", c.amount),
            CeilingMethod::BpkIndex => Message::new(if line { "slip-ceiling-bpk" } else { "slip-class-ceiling-bpk" })
                .int("class", class)
                .money("table", c.table_value)
                .number("ikfd", p.ikfd)
                .number("ikk", p.ikk)
                .number("ippd", p.ippd)
                .money("indexed", c.indexed)
                .money("unit", p.bpk_rounding_unit)
                .money("ceiling", c.amount),
        }
    }

    /// Every line, in order; returns the totals.
    fn lines(&mut self) -> Result<RunTotals, Fail> {
        let input = self.input;
        let p = self.prep.params;
        let prep = self.prep;
        let hundred = Decimal::ONE_HUNDRED;

        // 1. Ceiling: the class ceiling, or the sum of the components (TPP criteria).
        let class =
            u8::try_from(input.job_class).ok().and_then(JobClass::new).ok_or_else(|| AllowanceError::Invariant {
                employee: input.employee.to_string(),
                message: format!("job class {} passed validation but is outside 1..=17", input.job_class),
            })?;
        let c = if p.components.is_empty() {
            let ceiling = self.ceiling_of(class)?;
            self.push_with(Rule::CEILING, ceiling.amount, |r| {
                let mut uses = Vec::with_capacity(3);
                r.ceiling_uses(&ceiling, &mut uses);
                let words = r.ceiling_words(&ceiling, true);
                (words, uses, inputs([("job_class", input.job_class.to_string())]))
            });
            self.amt(ceiling.amount)?
        } else {
            let total = self.components_step(class)?;
            self.amt(total)?
        };

        // 2. Proration.
        let calendar = input.calendar_working_days;
        let assigned = input.assigned_working_days;
        let mut b = c;
        if p.proration && (calendar == 0 || assigned < calendar) {
            let (rounded_b, rounded) = if calendar == 0 {
                self.round(A::ZERO)
            } else {
                c.ratio_round(&[Decimal::from(assigned)], Decimal::from(calendar), p.rounding)
                    .map_err(self.arith("the proration"))?
            };
            b = rounded_b;
            let amount = b.checked_sub(c).map_err(self.arith("the proration"))?;
            if !amount.is_zero() {
                self.push_with(Rule::PRORATION, amount, |r| {
                    let mut uses = vec![prep.whole(K::Proration)];
                    r.note_rounding(rounded, &mut uses);
                    let words = if calendar == 0 {
                        Message::new("slip-proration-no-days").money("ceiling", c).money("amount", amount)
                    } else {
                        Message::new("slip-proration")
                            .money("ceiling", c)
                            .int("assigned", assigned)
                            .int("calendar", calendar)
                            .money("prorated", b)
                            .money("amount", amount)
                    };
                    let ins = inputs([
                        ("assigned_working_days", assigned.to_string()),
                        ("calendar_working_days", calendar.to_string()),
                    ]);
                    (words, uses, ins)
                });
            }
        }

        // 3. CPNS.
        let mut bp = b;
        if input.employment == EmploymentType::Cpns {
            let withheld = hundred.checked_sub(p.cpns_percent).unwrap_or(Decimal::ZERO);
            let (amt, rounded) = self.percent_of(b, &Percent::new(withheld), "the CPNS share")?;
            bp = b.checked_sub(amt).map_err(self.arith("the CPNS share"))?;
            if !amt.is_zero() {
                self.push_with(Rule::CPNS, neg(amt), |r| {
                    let mut uses = vec![prep.whole(K::CpnsPercent)];
                    r.note_rounding(rounded, &mut uses);
                    let words = Message::new("slip-cpns")
                        .percent("paid_percent", p.cpns_percent)
                        .money("base", b)
                        .percent("withheld_percent", withheld)
                        .money("amount", neg(amt));
                    (words, uses, inputs([("employment", "CPNS".to_string())]))
                });
            }
        }

        // 4-7. Parts, performance, deductions and floors.
        let s1 = self.parts_step(bp)?;
        let d = &input.discipline;

        // 8. Gate.
        let mut s2 = s1;
        if p.gate_enabled {
            let present = d.days_present;
            let band = p.gate_bands.iter().find(|band| {
                if assigned == 0 {
                    Decimal::ZERO < band.below
                } else {
                    // present x 100 < below x assigned  <=>  attendance % < below, exactly.
                    match (Decimal::from(present).checked_mul(hundred), band.below.checked_mul(Decimal::from(assigned)))
                    {
                        (Some(l), Some(r)) => l < r,
                        _ => false,
                    }
                }
            });
            if let Some(band) = band.filter(|band| band.pay != hundred) {
                let withheld = hundred.checked_sub(band.pay).unwrap_or(Decimal::ZERO);
                let (amt, rounded) = self.percent_of(s1, &Percent::new(withheld), "the attendance gate")?;
                if !amt.is_zero() {
                    s2 = s1.checked_sub(amt).map_err(self.arith("subtotal S2"))?;
                    self.push_with(Rule::GATE, neg(amt), |r| {
                        let attendance = if assigned == 0 {
                            Decimal::ZERO
                        } else {
                            Decimal::from(present)
                                .checked_mul(hundred)
                                .and_then(|x| x.checked_div(Decimal::from(assigned)))
                                .unwrap_or(Decimal::ZERO)
                                .round_dp(2)
                        };
                        let mut uses = vec![
                            prep.whole(K::GateEnabled),
                            prep.with(
                                K::GateBands,
                                format!("{{below = {}, pay = {}}}", band.below.normalize(), band.pay.normalize()),
                            ),
                        ];
                        r.note_rounding(rounded, &mut uses);
                        let words = Message::new("slip-gate")
                            .int("present", present)
                            .int("assigned", assigned)
                            .percent("attendance", attendance)
                            .percent("below", band.below)
                            .percent("pay", band.pay)
                            .money("base", s1)
                            .percent("withheld", withheld)
                            .money("amount", neg(amt));
                        let ins = inputs([
                            ("assigned_working_days", assigned.to_string()),
                            ("discipline.days_present", present.to_string()),
                        ]);
                        (words, uses, ins)
                    });
                }
            }
        }

        // 10 (computed before the sanction, which may cut it; listed after it).
        let addons = self.acting_addons()?;
        let acting_total =
            Money::checked_sum(addons.iter().map(|l| l.amount)).map_err(self.arith("the acting allowance"))?;
        let acting_total = self.amt(acting_total)?;

        // 9. Sanction: the largest cut in force (the first such in input order), from the
        // month `allowance.sanction.window_start` says; of S2, or of S2 plus the acting
        // add-ons when `allowance.sanction.cuts_acting` is true.
        let mut s3 = s2;
        let mut chosen: Option<(usize, Decimal)> = None;
        for (i, s) in input.sanctions.iter().enumerate() {
            if !s.in_force_from(input.month, p.sanction_window) {
                continue;
            }
            let cut = p.sanctions.get(&s.level).map(|l| l.cut).unwrap_or(Decimal::ZERO);
            if chosen.is_none_or(|(_, best)| cut > best) {
                chosen = Some((i, cut));
            }
        }
        if let Some((i, cut)) = chosen
            && let Some(s) = input.sanctions.get(i)
        {
            let cut_base = if p.sanction_cuts_acting && !acting_total.is_zero() {
                s2.checked_add(acting_total).map_err(self.arith("the sanction base"))?
            } else {
                s2
            };
            let (amt, rounded) = self.percent_of(cut_base, &Percent::new(cut), "the sanction")?;
            if !amt.is_zero() {
                s3 = s2.checked_sub(amt).map_err(self.arith("subtotal S3"))?;
                self.push_with(Rule::SANCTION, neg(amt), |r| {
                    let level_text = p.sanctions.get(&s.level).map(sanction_text).unwrap_or_default();
                    let mut uses = vec![prep.with(K::Sanctions, format!("{} = {level_text}", s.level))];
                    if p.sanction_window != SanctionWindow::EffectiveMonth {
                        uses.push(prep.whole(K::SanctionWindowStart));
                    }
                    if cut_base != s2 {
                        uses.push(prep.whole(K::SanctionCutsActing));
                    }
                    r.note_rounding(rounded, &mut uses);
                    let words = Message::new(if s.reference.is_empty() {
                        "slip-sanction"
                    } else {
                        "slip-sanction-with-reference"
                    })
                    .text("level", s.level.clone())
                    .month("from", p.sanction_window.first_month(s.effective_from))
                    .int("months", s.months)
                    .money("base", cut_base)
                    .percent("cut", cut)
                    .money("amount", neg(amt));
                    let words =
                        if s.reference.is_empty() { words } else { words.text("reference", s.reference.clone()) };
                    let words = if cut_base == s2 {
                        words
                    } else {
                        Message::new("slip-sanction-with-acting")
                            .message("sanction", words)
                            .money("acting", acting_total)
                    };
                    let ins = inputs([
                        (format!("sanctions[{i}].effective_from").as_str(), s.effective_from.to_string()),
                        (format!("sanctions[{i}].level").as_str(), s.level.clone()),
                        (format!("sanctions[{i}].months").as_str(), s.months.to_string()),
                    ]);
                    (words, uses, ins)
                });
            }
        }

        // 10. Acting (Plt, Plh): the add-ons chosen above, in input order.
        for line in addons {
            self.amounts.push(LineAmount { rule: Rule::ACTING, amount: line.amount });
            if EXPLAIN {
                self.lines.push(line);
            }
        }

        // 11. Gross.
        let gross = s3.checked_add(acting_total).map_err(self.arith("the gross"))?;
        let gross_lines = self.line_count();

        // 12. Tax.
        let tax = match p.tax_method {
            TaxMethod::FlatByGroup => self.flat_tax(gross)?,
            TaxMethod::TerMonthly => self.ter_tax(gross)?,
        };

        // 13. BPJS health contribution.
        let salary = self.amt(input.salary)?;
        let cap_amt = self.amt(p.bpjs_cap)?;
        let bpjs_base = salary
            .checked_add(gross)
            .map(|m| m.min_of(cap_amt))
            .and_then(|m| m.checked_sub(salary.min_of(cap_amt)))
            .map_err(self.arith("the BPJS base"))?;
        let (bpjs_amt, rounded) = self.percent_of(bpjs_base, &self.prep.bpjs, "the BPJS contribution")?;
        let contribution = neg(bpjs_amt);
        if !bpjs_amt.is_zero() {
            self.push_with(Rule::BPJS, contribution, |r| {
                let mut uses = vec![prep.whole(K::BpjsPercent), prep.whole(K::BpjsCap)];
                r.note_rounding(rounded, &mut uses);
                let words = Message::new("slip-bpjs")
                    .percent("percent", p.bpjs_percent)
                    .money("cap", cap_amt)
                    .money("salary", salary)
                    .money("gross", gross)
                    .money("base", bpjs_base)
                    .money("amount", contribution);
                (words, uses, inputs([("salary", input.salary.amount().to_string())]))
            });
        }

        // 14. Net.
        let net = gross.checked_add(tax).and_then(|m| m.checked_add(contribution)).map_err(self.arith("the net"))?;
        Ok(RunTotals {
            ceiling: c.into(),
            acting: acting_total.into(),
            gross_lines,
            gross: gross.into(),
            tax: tax.into(),
            contribution: contribution.into(),
            net: net.into(),
        })
    }

    /// Step 1 with components (`allowance.components`): one `ceiling` line per
    /// component, in policy order; a component worth nothing is left out unless it is
    /// the first. Returns C, the sum of the components.
    fn components_step(&mut self, class: JobClass) -> Result<Money, Fail> {
        let input = self.input;
        let p = self.prep.params;
        let prep = self.prep;
        let mut total = Money::ZERO;
        for (i, comp) in p.components.iter().enumerate() {
            let comp_use = prep.with(K::Components, criteria::components_text(std::slice::from_ref(comp)));
            let head = Message::new("slip-component")
                .text("component", comp.id.clone())
                .code("criterion", format!("criterion.{}", comp.criterion));
            let mut ins = inputs([("job_class", input.job_class.to_string())]);
            let (amount, mut uses, words) = match &comp.amounts {
                ComponentAmounts::Ceiling => {
                    let ceiling = self.ceiling_of(class)?;
                    let mut uses = vec![comp_use];
                    self.ceiling_uses(&ceiling, &mut uses);
                    let words =
                        head.message("how", self.ceiling_words(&ceiling, false)).money("amount", ceiling.amount);
                    (ceiling.amount, uses, words)
                }
                ComponentAmounts::Class(t) => {
                    let value = t.get(&class).copied().unwrap_or(Money::ZERO);
                    let (amount, rounded) = self.round(value);
                    let mut uses = vec![comp_use];
                    self.note_rounding(rounded, &mut uses);
                    let how =
                        Message::new("slip-component-class").int("class", i64::from(class.get())).money("value", value);
                    (amount, uses, head.message("how", how).money("amount", amount))
                }
                ComponentAmounts::Position(t) => {
                    let position = input.position.as_ref();
                    let value = position.and_then(|pos| t.get(pos)).copied().unwrap_or(Money::ZERO);
                    let (amount, rounded) = self.round(value);
                    let mut uses = vec![comp_use];
                    self.note_rounding(rounded, &mut uses);
                    let how = match position {
                        Some(pos) => Message::new("slip-component-position").text("position", pos.to_string()),
                        None => Message::new("slip-component-no-position"),
                    };
                    ins.insert("position".into(), position.map(ToString::to_string).unwrap_or_default());
                    (amount, uses, head.message("how", how).money("amount", amount))
                }
            };
            total = total.checked_add(amount).map_err(self.arith("the components"))?;
            if amount.is_zero() && i > 0 {
                continue;
            }
            uses.dedup();
            self.push(Rule::CEILING, amount, words, uses, ins);
        }
        Ok(total)
    }

    /// The policy key a part's weight comes from when it gives none.
    fn weight_use(&self, part: &Part) -> ParamUse {
        match (part.weight, part.id.as_str()) {
            (None, "performance") => self.prep.whole(K::WeightPerformance),
            (None, _) => self.prep.whole(K::WeightDiscipline),
            (Some(_), _) => self.prep.with(K::Parts, criteria::part_text(part)),
        }
    }

    /// Steps 4-7 over the parts of `allowance.parts` (specification section 3, with the
    /// criteria of docs/allowance.md section 8): the split, the activity part's
    /// shortfall, every deduction charged to its part (count rules applied), and the
    /// floor of each part. Returns S1.
    fn parts_step(&mut self, bp: A) -> Result<A, Fail> {
        let input = self.input;
        let p = self.prep.params;
        let prep = self.prep;
        let n = p.parts.len();

        // 4. Split: every part but the last R(B' x weight / 100), never more than what
        // remains; the last part is the rest.
        let mut amounts: PartAmounts<A> = SmallVec::with_capacity(n);
        let mut part_rounded: SmallVec<[bool; 4]> = SmallVec::with_capacity(n);
        let mut rest = bp;
        for (i, weight) in prep.weights.iter().enumerate() {
            if i + 1 == n {
                amounts.push(rest);
                part_rounded.push(false);
            } else {
                let (a, r) = self.percent_of(bp, weight, "a part of the allowance")?;
                let a = a.min_of(rest);
                rest = rest.checked_sub(a).map_err(self.arith("a part of the allowance"))?;
                amounts.push(a);
                part_rounded.push(r);
            }
        }
        // The parts are shown (amount 0) when they are not the standard pair or the
        // amount is composed of components; count rules alone do not show them.
        if prep.show_parts {
            for (i, part) in p.parts.iter().enumerate() {
                let amount = amounts.get(i).copied().unwrap_or(A::ZERO);
                let mut uses = vec![prep.with(K::Parts, criteria::part_text(part))];
                if part.weight.is_none() {
                    uses.push(self.weight_use(part));
                }
                self.note_rounding(part_rounded.get(i).copied().unwrap_or(false), &mut uses);
                let deductions = if part.deductions.is_empty() { "-".to_string() } else { part.deductions.join(", ") };
                let words = Message::new(if i + 1 == n && n > 1 { "slip-part-last" } else { "slip-part" })
                    .text("part", part.id.clone())
                    .percent("weight", p.part_weight(part))
                    .money("base", bp)
                    .money("part_amount", amount)
                    .code("measure", format!("measure.{}", part.measure.as_str()))
                    .text("deductions", deductions);
                self.push(Rule::PART, Money::ZERO, words, uses, BTreeMap::new());
            }
        }

        // 5. The activity part (performance): E = R(part x min(verified, target) / target).
        let mut earned = amounts.clone();
        if let Some(ai) = prep.activity_part
            && let Some(part) = p.parts.get(ai)
        {
            let perf = amounts.get(ai).copied().unwrap_or(A::ZERO);
            let perf_rounded = part_rounded.get(ai).copied().unwrap_or(false);
            let target = input.performance.target_minutes.get();
            let verified = input.performance.verified_minutes.get();
            let counted = verified.min(target);
            let (e, earned_rounded) = if target == 0 {
                (A::ZERO, false)
            } else {
                perf.ratio_round(&[Decimal::from(counted)], Decimal::from(target), p.rounding)
                    .map_err(self.arith("the performance earned"))?
            };
            if let Some(slot) = earned.get_mut(ai) {
                *slot = e;
            }
            let shortfall = e.checked_sub(perf).map_err(self.arith("the performance shortfall"))?;
            if !shortfall.is_zero() {
                self.push_with(Rule::PERFORMANCE, shortfall, |r| {
                    let mut uses = vec![r.weight_use(part)];
                    r.note_rounding(perf_rounded || earned_rounded, &mut uses);
                    let msg = Message::new(if target == 0 { "slip-performance-no-target" } else { "slip-performance" })
                        .money("part", perf)
                        .percent("weight", p.part_weight(part))
                        .money("base", bp);
                    let words = if target == 0 {
                        msg.money("amount", shortfall)
                    } else {
                        msg.int("counted", counted)
                            .int("target", target)
                            .int("verified", verified)
                            .money("earned", e)
                            .money("amount", shortfall)
                    };
                    let ins = inputs([
                        ("performance.target_minutes", target.to_string()),
                        ("performance.verified_minutes", verified.to_string()),
                    ]);
                    (words, uses, ins)
                });
            }
        }

        // 6. Deductions, each charged to its part, count rules applied.
        let part_of = |kind: &str| prep.part_index(kind);
        let mut deducted: PartAmounts<A> = smallvec::smallvec![A::ZERO; n];
        let add = |deducted: &mut PartAmounts<A>, i: usize, amt: A| -> Result<(), ArithmeticError> {
            if let Some(slot) = deducted.get_mut(i) {
                *slot = slot.checked_add(amt)?;
            }
            Ok(())
        };
        let d = &input.discipline;
        let mut converted: SmallVec<[_; 2]> = SmallVec::new();
        let mut forfeits: SmallVec<[(&'static str, i64); 4]> = SmallVec::new();
        // Late arrival (TL1-TL4), then early leave (PSW1-PSW4): one line per non-zero band.
        let [late_rule, early_rule, roll_rule, ceremony_rule] = prep.count_rules;
        let bands = [
            (&d.late, &prep.late, K::Late, "late", "TL", late_rule),
            (&d.early, &prep.early, K::Early, "early", "PSW", early_rule),
        ];
        for (counts, rates, key, name, code, rule) in bands {
            // No event and no count rule: no line (the common case, skipped outright).
            if rule.is_none() && counts.iter().all(|c| *c == 0) {
                continue;
            }
            let counted = discipline::apply(rule, counts);
            let pi = part_of(name);
            if counted.forfeited {
                forfeits.push((name, counted.recorded));
                continue;
            }
            if counted.converted.is_some() {
                converted.push((name, counts, counted));
                continue;
            }
            let (base, words) = base_of(p, &amounts, bp, pi);
            for (i, (count, rate)) in counted.charged.iter().zip(rates).enumerate() {
                if *count == 0 || rate.value.is_zero() {
                    continue;
                }
                let band = i + 1;
                let free = Counts {
                    recorded: counts.get(i).copied().unwrap_or(0),
                    free: counted.free.get(i).copied().unwrap_or(0),
                    kind: name,
                };
                let total = deducted.get(pi).copied().unwrap_or(A::ZERO);
                let total =
                    self.deduction(Rule::band(name == "late", band), *count, rate, base, &words, total, free, || {
                        (
                            Message::new(format!("slip-what-{name}")).int("band", band as i64),
                            prep.with(key, format!("{code}{band} = {}", rate.value.normalize())),
                            format!("discipline.{name}[{i}]"),
                        )
                    })?;
                if let Some(slot) = deducted.get_mut(pi) {
                    *slot = total;
                }
            }
        }
        // Conversions (every N events count as days at the unexcused rate).
        for &(name, counts, ref counted) in &converted {
            let Some((groups, days)) = counted.converted else { continue };
            let Some(rule) = p.discipline_counts.get(name) else { continue };
            let pi = part_of(name);
            let (base, words) = base_of(p, &amounts, bp, pi);
            let rate = p.unexcused_per_day;
            let (amt, rounded) = base
                .ratio_round(&[rate, days], Decimal::ONE_HUNDRED, p.rounding)
                .map_err(self.arith("a converted deduction"))?;
            if amt.is_zero() {
                continue;
            }
            let mut uses = vec![
                prep.whole(K::DeductionsFrom),
                prep.with(K::DisciplineCounts, format!("{name} = {}", discipline::rule_text(rule))),
                prep.whole(K::Unexcused),
            ];
            self.note_rounding(rounded, &mut uses);
            let free: i64 = counted.free.iter().sum();
            let words = words
                .put(Message::new("slip-converted"))
                .message("what", Message::new(format!("slip-what-{name}-all")))
                .int("recorded", counted.recorded)
                .int("free", free)
                .int("every", rule.every.unwrap_or(1))
                .int("groups", groups)
                .number("days", days)
                .percent("rate", rate)
                .money("base", base)
                .int("left_over", counted.left_over)
                .money("amount", neg(amt));
            let list: Vec<String> = counts.iter().map(i64::to_string).collect();
            let ins = inputs([(format!("discipline.{name}").as_str(), format!("[{}]", list.join(", ")))]);
            self.push(Rule::CONVERTED, neg(amt), words, uses, ins);
            add(&mut deducted, pi, amt).map_err(self.arith("the deductions"))?;
        }
        if d.unexcused_days != 0 && !p.unexcused_per_day.is_zero() {
            let pi = part_of("unexcused");
            let (base, words) = base_of(p, &amounts, bp, pi);
            let total = deducted.get(pi).copied().unwrap_or(A::ZERO);
            let total = self.deduction(
                Rule::UNEXCUSED,
                d.unexcused_days,
                &prep.unexcused,
                base,
                &words,
                total,
                Counts::none(),
                || (Message::new("slip-what-unexcused"), prep.whole(K::Unexcused), "discipline.unexcused_days".into()),
            )?;
            if let Some(slot) = deducted.get_mut(pi) {
                *slot = total;
            }
        }
        let misses = d.roll_calls_missed.morning.checked_add(d.roll_calls_missed.afternoon).ok_or_else(|| {
            self.arith("the roll-call misses")(ArithmeticError::Overflow { operation: "roll-call count" })
        })?;
        let roll = discipline::apply(roll_rule, &[misses]);
        let charged = roll.charged.first().copied().unwrap_or(0);
        if roll.forfeited {
            forfeits.push(("roll_call", roll.recorded));
        } else if charged != 0 && !p.roll_call_per_miss.is_zero() {
            let pi = part_of("roll_call");
            let (base, words) = base_of(p, &amounts, bp, pi);
            let (amt, rounded) = self.count_percent(base, &prep.roll_call, charged, "the roll-call deduction")?;
            if !amt.is_zero() {
                let free = roll.free.first().copied().unwrap_or(0);
                self.push_with(Rule::ROLL_CALL, neg(amt), |r| {
                    let mut uses = vec![prep.whole(K::DeductionsFrom), prep.whole(K::RollCall)];
                    if free > 0
                        && let Some(rule) = p.discipline_counts.get("roll_call")
                    {
                        uses.push(
                            prep.with(K::DisciplineCounts, format!("roll_call = {}", discipline::rule_text(rule))),
                        );
                    }
                    r.note_rounding(rounded, &mut uses);
                    let msg = Message::new(if free > 0 { "slip-roll-call-free" } else { "slip-roll-call" });
                    let msg = if free > 0 { msg.int("recorded", misses).int("free", free) } else { msg };
                    let words = words
                        .put(msg)
                        .int("count", charged)
                        .percent("rate", p.roll_call_per_miss)
                        .money("base", base)
                        .money("amount", neg(amt));
                    let ins = inputs([
                        ("discipline.roll_calls_missed.afternoon", d.roll_calls_missed.afternoon.to_string()),
                        ("discipline.roll_calls_missed.morning", d.roll_calls_missed.morning.to_string()),
                    ]);
                    (words, uses, ins)
                });
                add(&mut deducted, pi, amt).map_err(self.arith("the deductions"))?;
            }
        }
        let ceremony = discipline::apply(ceremony_rule, &[d.roll_calls_missed.ceremony]);
        let charged = ceremony.charged.first().copied().unwrap_or(0);
        if ceremony.forfeited {
            forfeits.push(("ceremony", ceremony.recorded));
        } else if charged != 0 && !p.ceremony_per_miss.is_zero() {
            let pi = part_of("ceremony");
            let (base, words) = base_of(p, &amounts, bp, pi);
            let total = deducted.get(pi).copied().unwrap_or(A::ZERO);
            let free = Counts {
                recorded: d.roll_calls_missed.ceremony,
                free: ceremony.free.first().copied().unwrap_or(0),
                kind: "ceremony",
            };
            let total = self.deduction(Rule::CEREMONY, charged, &prep.ceremony, base, &words, total, free, || {
                (
                    Message::new("slip-what-ceremony"),
                    prep.whole(K::Ceremony),
                    "discipline.roll_calls_missed.ceremony".into(),
                )
            })?;
            if let Some(slot) = deducted.get_mut(pi) {
                *slot = total;
            }
        }
        // Forfeits: the whole part the kind is charged to.
        for (kind, recorded) in forfeits {
            let pi = part_of(kind);
            let Some(part) = p.parts.get(pi) else { continue };
            let Some(rule) = p.discipline_counts.get(kind) else { continue };
            let amt = amounts.get(pi).copied().unwrap_or(A::ZERO);
            if amt.is_zero() {
                continue;
            }
            let uses = vec![
                prep.with(K::DisciplineCounts, format!("{kind} = {}", discipline::rule_text(rule))),
                prep.with(K::Parts, criteria::part_text(part)),
            ];
            let what = Message::new(format!("slip-what-{}-all", kind.replace('_', "-")));
            let words = Message::new("slip-forfeit")
                .message("what", what)
                .int("count", recorded)
                .int("limit", rule.forfeit_at.unwrap_or(0))
                .text("part", part.id.clone())
                .money("part_amount", amt)
                .money("amount", neg(amt));
            let field = match kind {
                "late" => "discipline.late",
                "early" => "discipline.early",
                "ceremony" => "discipline.roll_calls_missed.ceremony",
                _ => "discipline.roll_calls_missed",
            };
            let ins = inputs([(field, recorded.to_string())]);
            self.push(Rule::FORFEIT, neg(amt), words, uses, ins);
            add(&mut deducted, pi, amt).map_err(self.arith("the deductions"))?;
        }
        // Only codes the policy rates (in ABSENCE_CODES order), and only when some absence is recorded.
        let rated = if d.absences.is_empty() { &[][..] } else { prep.absence_rates.as_slice() };
        for &(ci, ref rate) in rated {
            let Some(code) = ABSENCE_CODES.get(ci) else { continue };
            let count = d.absences.get(*code).copied().unwrap_or(0);
            if count == 0 {
                continue;
            }
            let pi = part_of("absence");
            let (base, words) = base_of(p, &amounts, bp, pi);
            let total = deducted.get(pi).copied().unwrap_or(A::ZERO);
            let total = self.deduction(Rule::absence(ci), count, rate, base, &words, total, Counts::none(), || {
                (
                    Message::new("slip-what-absence").text("code", *code).code("kind", format!("absence.{code}")),
                    prep.with(K::AbsencePerDay, format!("{code} = {}", rate.value.normalize())),
                    format!("discipline.absences.{code}"),
                )
            })?;
            if let Some(slot) = deducted.get_mut(pi) {
                *slot = total;
            }
        }

        // 7. Floor: per part (deductions from each part at most what it earned), or one
        // pool over the whole allowance.
        let mut floors = A::ZERO;
        // One pool over the whole allowance, or one per part (in part order).
        let pools = match p.deductions_from {
            DeductionBase::Whole => 1,
            DeductionBase::DisciplinePart => p.parts.len(),
        };
        for k in 0..pools {
            let (taken, cap, words) = match p.deductions_from {
                DeductionBase::Whole => (
                    A::checked_sum(deducted.iter().copied()).map_err(self.arith("the floor"))?,
                    A::checked_sum(earned.iter().copied()).map_err(self.arith("the floor"))?,
                    BaseWords::Code("base.earned"),
                ),
                DeductionBase::DisciplinePart => (
                    deducted.get(k).copied().unwrap_or(A::ZERO),
                    earned.get(k).copied().unwrap_or(A::ZERO),
                    BaseWords::of_part(p.parts.get(k).map_or("", |part| part.id.as_str())),
                ),
            };
            if taken > cap {
                let floor = taken.checked_sub(cap).map_err(self.arith("the floor"))?;
                floors = floors.checked_add(floor).map_err(self.arith("the floor"))?;
                self.push_with(Rule::FLOOR, floor, |_| {
                    let words = words
                        .put_as(Message::new("slip-floor"), "cap_kind")
                        .money("deducted", taken)
                        .money("cap", cap)
                        .money("amount", floor);
                    (words, vec![prep.whole(K::DeductionsFrom)], BTreeMap::new())
                });
            }
        }
        Ok(A::checked_sum(earned.iter().copied())
            .and_then(|m| m.checked_sub(A::checked_sum(deducted.iter().copied())?))
            .and_then(|m| m.checked_add(floors))
            .map_err(self.arith("subtotal S1"))?)
    }

    /// `R(base x rate x count / 100)` as a positive amount.
    fn count_percent(&self, base: A, rate: &Percent, count: i64, context: &'static str) -> Result<(A, bool), Fail> {
        Ok(base.percent(rate, Some(count), self.params().rounding).map_err(self.arith(context))?)
    }

    /// One deduction line (omitted when zero); returns the new running total. With
    /// free events (`free.free > 0`) the explanation says how many were recorded and
    /// how many were free.
    #[allow(clippy::too_many_arguments)]
    fn deduction(
        &mut self,
        rule: Rule,
        count: i64,
        rate: &Percent,
        base: A,
        base_words: &BaseWords<'_>,
        total: A,
        free: Counts,
        describe: impl FnOnce() -> (Message, ParamUse, String),
    ) -> Result<A, Fail> {
        if count == 0 || rate.value.is_zero() {
            return Ok(total);
        }
        let (amt, rounded) = self.count_percent(base, rate, count, "a deduction")?;
        if amt.is_zero() {
            return Ok(total);
        }
        self.push_with(rule, neg(amt), |r| {
            let (what, rate_use, field) = describe();
            let mut uses = vec![r.prep.whole(K::DeductionsFrom), rate_use];
            if free.free > 0
                && let Some(c) = r.params().discipline_counts.get(free.kind)
            {
                uses.push(r.prep.with(K::DisciplineCounts, format!("{} = {}", free.kind, discipline::rule_text(c))));
            }
            r.note_rounding(rounded, &mut uses);
            let id = match (rule == Rule::CEREMONY, free.free > 0) {
                (true, false) => "slip-deduction-ceremony",
                (true, true) => "slip-deduction-ceremony-free",
                (false, false) => "slip-deduction",
                (false, true) => "slip-deduction-free",
            };
            let msg = Message::new(id);
            let msg = if free.free > 0 { msg.int("recorded", free.recorded).int("free", free.free) } else { msg };
            let words = base_words
                .put(msg)
                .message("what", what)
                .int("count", count)
                .percent("rate", rate.value)
                .money("base", base)
                .money("amount", neg(amt));
            let mut ins = BTreeMap::new();
            ins.insert(field, free.recorded.max(count).to_string());
            (words, uses, ins)
        });
        Ok(total.checked_add(amt).map_err(self.arith("the deductions"))?)
    }
}

/// What deductions charged to part `i` are a percentage of, and its words.
fn base_of<'p, A: Amount>(p: &'p AllowanceParams, amounts: &[A], bp: A, i: usize) -> (A, BaseWords<'p>) {
    match p.deductions_from {
        DeductionBase::Whole => (bp, BaseWords::Code("base.whole")),
        DeductionBase::DisciplinePart => {
            let amount = amounts.get(i).copied().unwrap_or(A::ZERO);
            (amount, BaseWords::of_part(p.parts.get(i).map(|x| x.id.as_str()).unwrap_or("")))
        }
    }
}

/// How a deduction's base is named on a slip: a code (`base.discipline_part`,
/// `base.whole`, `base.earned`) or a part of `allowance.parts` by id.
#[derive(Clone, Debug)]
enum BaseWords<'p> {
    /// A code of the catalogue.
    Code(&'static str),
    /// A part other than `discipline` (`slip-base-part`).
    Part(&'p str),
}

impl<'p> BaseWords<'p> {
    /// The `discipline` part keeps its code (the two-part slip's wording).
    fn of_part(id: &'p str) -> BaseWords<'p> {
        if id == "discipline" { BaseWords::Code("base.discipline_part") } else { BaseWords::Part(id) }
    }

    /// `m` with the `base_kind` argument.
    fn put(&self, m: Message) -> Message {
        self.put_as(m, "base_kind")
    }

    /// `m` with the argument `name`.
    fn put_as(&self, m: Message, name: &str) -> Message {
        match self {
            BaseWords::Code(c) => m.code(name, *c),
            BaseWords::Part(id) => m.message(name, Message::new("slip-base-part").text("part", id.to_string())),
        }
    }
}

/// Events of one band as recorded and how many of them were free (count rules).
#[derive(Clone, Copy, Debug)]
struct Counts {
    recorded: i64,
    free: i64,
    kind: &'static str,
}

impl Counts {
    fn none() -> Counts {
        Counts { recorded: 0, free: 0, kind: "" }
    }
}

// ---------------------------------------------------------------------------
// Acting add-ons and income tax (see `acting.rs` and `tax.rs` for the rules)
// ---------------------------------------------------------------------------

impl<A: Amount, const EXPLAIN: bool> Run<'_, '_, A, EXPLAIN> {
    /// The acting add-on lines (step 10), in input order: one per acting record with
    /// enough days (`allowance.acting_min_days`), of a kind that earns one (a Plh only
    /// with `allowance.acting.plh`; a PPPK employee only with `allowance.acting_pppk`),
    /// by the relation of the acted post to the employee's own
    /// (`allowance.acting.by_relation`, else `allowance.acting_percent`), and at most
    /// `allowance.acting.max_addons` of them, the highest amounts first (the earlier
    /// record on a tie).
    fn acting_addons(&self) -> Result<Vec<SlipLine>, Fail> {
        let p = self.params();
        let prep = self.prep;
        let input = self.input;
        let mut lines: Vec<(usize, SlipLine)> = Vec::new();
        for (i, a) in input.acting.iter().enumerate() {
            let plh = a.kind == ActingKind::Plh;
            if a.working_days < p.acting_min_days || (input.rank.is_pppk() && !p.acting_pppk) || (plh && !p.acting_plh)
            {
                continue;
            }
            let class_of = |c: i64| {
                u8::try_from(c).ok().and_then(JobClass::new).ok_or_else(|| AllowanceError::Invariant {
                    employee: input.employee.to_string(),
                    message: format!("job class {c} passed validation but is outside 1..=17"),
                })
            };
            let acted_ceiling = self.ceiling_of(class_of(a.job_class)?)?;
            let relation = a.relation_to(input.job_class);
            let configured = p.acting_by_relation.get(&relation).copied();
            let share = configured.unwrap_or(ActingShare::Percent(p.acting_percent));
            let mut uses = Vec::with_capacity(6);
            self.ceiling_uses(&acted_ceiling, &mut uses);
            let (amt, words) = match share {
                ActingShare::Percent(percent) => {
                    let (amt, rounded) =
                        self.percent_of(acted_ceiling.amount, &Percent::new(percent), "the acting allowance")?;
                    uses.push(match configured {
                        Some(_) => prep.with(K::ActingByRelation, format!("{} = {}", relation.as_str(), share.text())),
                        None => prep.whole(K::ActingPercent),
                    });
                    self.note_rounding(rounded && !acted_ceiling.rounded, &mut uses);
                    let plain = configured.is_none() && !plh;
                    let words = Message::new(if plain { "slip-acting" } else { "slip-acting-relation" })
                        .text("position", a.position.to_string())
                        .int("days", a.working_days)
                        .int("min_days", p.acting_min_days)
                        .message("ceiling", self.ceiling_words(&acted_ceiling, false))
                        .percent("percent", percent)
                        .money("amount", amt);
                    let words = if plain {
                        words
                    } else {
                        words
                            .code("kind", format!("acting.{}", a.kind.as_str()))
                            .code("relation", format!("acting.{}", relation.as_str()))
                    };
                    (amt, words)
                }
                ActingShare::Difference => {
                    let own = self.ceiling_of(class_of(input.job_class)?)?;
                    let amt =
                        acted_ceiling.amount.checked_sub(own.amount).map_err(self.arith("the acting allowance"))?;
                    let amt = amt.max(Money::ZERO);
                    self.ceiling_uses(&own, &mut uses);
                    uses.push(prep.with(K::ActingByRelation, format!("{} = difference", relation.as_str())));
                    let words = Message::new("slip-acting-difference")
                        .code("kind", format!("acting.{}", a.kind.as_str()))
                        .code("relation", format!("acting.{}", relation.as_str()))
                        .text("position", a.position.to_string())
                        .int("days", a.working_days)
                        .int("min_days", p.acting_min_days)
                        .money("acted", acted_ceiling.amount)
                        .money("own", own.amount)
                        .money("amount", amt);
                    (amt, words)
                }
            };
            if amt.is_zero() {
                continue;
            }
            uses.push(prep.whole(K::ActingMinDays));
            if plh {
                uses.push(prep.whole(K::ActingPlh));
            }
            let mut ins = inputs([
                (format!("acting[{i}].job_class").as_str(), a.job_class.to_string()),
                (format!("acting[{i}].position").as_str(), a.position.to_string()),
                (format!("acting[{i}].working_days").as_str(), a.working_days.to_string()),
            ]);
            if plh {
                ins.insert(format!("acting[{i}].kind"), a.kind.as_str().to_string());
            }
            match a.relation {
                Some(r) => {
                    ins.insert(format!("acting[{i}].relation"), r.as_str().to_string());
                }
                None if configured.is_some() => {
                    ins.insert("job_class".to_string(), input.job_class.to_string());
                }
                None => {}
            }
            lines.push((
                i,
                SlipLine {
                    rule: "acting".into(),
                    amount: amt,
                    explanation: Explanation::Message(words),
                    parameters: uses,
                    inputs: ins,
                },
            ));
        }
        let limit = usize::try_from(p.acting_max_addons).unwrap_or(0);
        let offered = lines.len();
        if limit > 0 && offered > limit {
            // Highest first; the sort is stable, so the earlier record wins a tie.
            lines.sort_by_key(|l| std::cmp::Reverse(l.1.amount));
            lines.truncate(limit);
            lines.sort_by_key(|(i, _)| *i);
            for (_, line) in &mut lines {
                line.parameters.push(prep.whole(K::ActingMaxAddons));
                if let Explanation::Message(m) = &line.explanation {
                    line.explanation = Explanation::Message(
                        Message::new("slip-acting-highest")
                            .message("line", m.clone())
                            .int("kept", i64::try_from(limit).unwrap_or(i64::MAX))
                            .int("offered", i64::try_from(offered).unwrap_or(i64::MAX)),
                    );
                }
            }
        }
        Ok(lines.into_iter().map(|(_, l)| l).collect())
    }

    /// Income tax by the flat rate of the rank group (or PPPK grade): the `tax.pph21`
    /// line, pushed when not zero; returns its signed amount.
    fn flat_tax(&mut self, gross: A) -> Result<A, Fail> {
        let p = self.prep.params;
        let prep = self.prep;
        let input = self.input;
        let (rate, key, message_id, grade_text) = match (input.rank.group(), input.rank.pppk_grade()) {
            (Some(group), _) => {
                let rate = p.tax_flat.get(&group).copied().ok_or_else(|| {
                    AllowanceError::Policy(crate::policy::PolicyError::BadValue {
                        key: K::TaxFlat.key().to_string(),
                        message: format!("no rate for rank group {}", group_name(group)),
                    })
                })?;
                (rate, K::TaxFlat, "slip-tax", group_name(group))
            }
            (None, grade) => {
                let grade = grade.unwrap_or(0);
                let name = pppk_grade_name(grade);
                let rate = p.tax_flat_pppk.get(&grade).copied().ok_or_else(|| {
                    AllowanceError::Policy(crate::policy::PolicyError::BadValue {
                        key: K::TaxFlatPppk.key().to_string(),
                        message: format!("no rate for PPPK grade {name}"),
                    })
                })?;
                (rate, K::TaxFlatPppk, "slip-tax-pppk", name)
            }
        };
        let (tax_amt, rounded) = self.percent_of(gross, &Percent::new(rate), "the income tax")?;
        let tax = neg(tax_amt);
        if !tax_amt.is_zero() {
            self.push_with(Rule::TAX, tax, |r| {
                let mut uses =
                    vec![prep.whole(K::TaxMethod), prep.with(key, format!("{} = {}", grade_text, rate.normalize()))];
                r.note_rounding(rounded, &mut uses);
                let words = Message::new(message_id)
                    .percent("rate", rate)
                    .text("group", grade_text)
                    .money("gross", gross)
                    .money("amount", tax);
                (words, uses, inputs([("rank", input.rank.to_string())]))
            });
        }
        Ok(tax)
    }

    /// Income tax by the monthly TER of the employee's PTKP category
    /// (`allowance.tax.ter`): the rate of the bracket of G (or salary + G, by
    /// `allowance.tax.ter_base`), applied to G. The input's `ptkp` was checked present.
    fn ter_tax(&mut self, gross: A) -> Result<A, Fail> {
        let p = self.prep.params;
        let prep = self.prep;
        let input = self.input;
        let ptkp = input.ptkp.ok_or_else(|| missing_ptkp(input))?;
        let category = ptkp.category();
        let income = match p.tax_ter_base {
            super::tax::TerBase::Allowance => gross,
            super::tax::TerBase::SalaryAndAllowance => {
                self.amt(input.salary)?.checked_add(gross).map_err(self.arith("the TER income"))?
            }
        };
        let bracket = p.tax_ter.get(&category).and_then(|b| ter_rate(b, income.into())).ok_or_else(|| {
            AllowanceError::Policy(crate::policy::PolicyError::BadValue {
                key: K::TaxTer.key().to_string(),
                message: format!("no brackets for category {} in force", category.as_str()),
            })
        })?;
        let (tax_amt, rounded) = self.percent_of(gross, &Percent::new(bracket.rate), "the income tax")?;
        let tax = neg(tax_amt);
        if !tax_amt.is_zero() {
            self.push_with(Rule::TAX, tax, |r| {
                let mut uses = vec![
                    prep.whole(K::TaxMethod),
                    prep.with(K::TaxTer, format!("{} = {}", category.as_str(), bracket_text(&bracket))),
                    prep.whole(K::TaxTerBase),
                ];
                r.note_rounding(rounded, &mut uses);
                let words = Message::new("slip-tax-ter")
                    .text("ptkp", ptkp.to_string())
                    .text("category", category.as_str())
                    .money("income", income)
                    .percent("rate", bracket.rate)
                    .money("gross", gross)
                    .money("amount", tax);
                let mut ins = inputs([("ptkp", ptkp.to_string())]);
                if p.tax_ter_base == super::tax::TerBase::SalaryAndAllowance {
                    ins.insert("salary".into(), input.salary.amount().to_string());
                }
                (words, uses, ins)
            });
        }
        Ok(tax)
    }
}

/// The refusal of an input without a PTKP status under the `ter_monthly` method.
pub(crate) fn missing_ptkp(input: &AllowanceInput) -> AllowanceError {
    AllowanceError::InvalidInput(crate::error::ValidationErrors {
        problems: vec![crate::error::Problem::new(
            super::input::RECORD,
            input.employee.as_str(),
            "ptkp",
            "missing_ptkp",
            "allowance.tax.method is ter_monthly, which needs the employee's PTKP status (TK/0 .. K/3); the input has none (a dataset gives it in a `tax_statuses` record)",
        )],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The absence rules of [`RULE_NAMES`] (from index 18, where [`Rule::absence`]
    /// counts from) are `deduction.absence.<code>` for every code of
    /// [`ABSENCE_CODES`], in its order; the six rules after them close the list.
    #[test]
    fn absence_rules_follow_absence_codes_order() {
        let absences: Vec<&str> = RULE_NAMES.iter().skip(18).take(ABSENCE_CODES.len()).copied().collect();
        let want: Vec<String> = ABSENCE_CODES.iter().map(|c| format!("deduction.absence.{c}")).collect();
        assert_eq!(absences, want);
        assert_eq!(RULE_NAMES.get(17), Some(&"deduction.forfeit"));
        assert_eq!(RULE_NAMES.get(18 + ABSENCE_CODES.len()), Some(&"deduction.floor"));
        for (i, code) in ABSENCE_CODES.iter().enumerate() {
            assert_eq!(Rule::absence(i).name(), format!("deduction.absence.{code}"));
        }
    }

    /// The national policy's parameters for October 2026.
    fn national() -> Bound<AllowanceParams> {
        let month = YearMonth::new(2026, 10).expect("month");
        AllowanceParams::from_policy(&crate::policy::Policy::national(), month).expect("binds")
    }

    /// A class-9 III/c PNS of October 2026 (22 working days); the test sets the rest.
    fn input_of(salary: &str) -> AllowanceInput {
        serde_json::from_str(&format!(
            r#"{{
              "employee": "198503152010011001", "month": "2026-10", "job_class": 9, "rank": "III/c",
              "employment": "PNS", "salary": "{salary}",
              "calendar_working_days": 22, "assigned_working_days": 20,
              "performance": {{ "target_minutes": 6600, "verified_minutes": 6000 }},
              "discipline": {{ "days_present": 18, "late": [3, 0, 0, 0], "early": [0, 1, 0, 0],
                              "unexcused_days": 1, "absences": {{ "permit": 1 }},
                              "roll_calls_missed": {{ "morning": 0, "afternoon": 0, "ceremony": 0 }} }}
            }}"#
        ))
        .expect("test input")
    }

    /// One slip's lines and totals computed on amounts of type `A`.
    fn run_in<A: Amount>(
        prep: &Prepared<'_>,
        input: &AllowanceInput,
    ) -> Result<(Vec<(Rule, Money)>, super::super::SlipAmounts), AllowanceError> {
        let mut lines = Vec::new();
        let t = prep.amounts_in::<A>(input, &mut lines)?;
        Ok((lines.into_iter().map(|l| (l.rule, l.amount)).collect(), t))
    }

    /// The whole-rupiah way by hand (national policy, class 9, 20 of 22 days, 6,000 of
    /// 6,600 minutes, TL1 x 3, PSW2 x 1, one unexcused day, one permit day, salary
    /// 4,500,000), and the decimal way gives the same lines, to the same text:
    /// C = 2,500,000. B = R(2,500,000 x 20 / 22) = R(2,272,727.27) = 2,272,727
    /// (proration -227,273). P = R(2,272,727 x 60 %) = R(1,363,636.2) = 1,363,636,
    /// D = 2,272,727 - 1,363,636 = 909,091. E = R(1,363,636 x 6,000 / 6,600) =
    /// R(1,239,669.09) = 1,239,669 (shortfall -123,967). Of D: TL1 R(909,091 x 0.5 % x 3)
    /// = R(13,636.365) = 13,636; PSW2 R(909,091 x 1 % x 1) = R(9,090.91) = 9,091; TK
    /// R(909,091 x 3 % x 1) = R(27,272.73) = 27,273; permit R(909,091 x 1 % x 1)
    /// = 9,091. G = 2,500,000 - 227,273 - 123,967 - 13,636 - 9,091 - 27,273 - 9,091
    /// = 2,089,669. Tax III 5 %: R(104,483.45) = 104,483. BPJS 1 % of 2,089,669 (under
    /// the cap): R(20,896.69) = 20,897. N = 2,089,669 - 104,483 - 20,897 = 1,964,289.
    #[test]
    fn whole_rupiah_way_by_hand_equals_the_decimal_way() {
        let bound = national();
        let prep = Prepared::new_for_amounts(&bound).expect("prepares");
        assert!(prep.whole);
        let input = input_of("4500000");
        let rp = Money::from_rupiah;
        let rule = |name: &str| Rule::of(name).expect("a rule");
        let (lines, t) = run_in::<Whole>(&prep, &input).expect("computes in whole rupiah");
        assert_eq!(
            lines,
            [
                (rule("ceiling"), rp(2_500_000)),
                (rule("proration"), rp(-227_273)),
                (rule("performance.shortfall"), rp(-123_967)),
                (rule("deduction.late.1"), rp(-13_636)),
                (rule("deduction.early.2"), rp(-9_091)),
                (rule("deduction.unexcused"), rp(-27_273)),
                (rule("deduction.absence.permit"), rp(-9_091)),
                (rule("tax.pph21"), rp(-104_483)),
                (rule("contribution.bpjs"), rp(-20_897)),
            ]
        );
        assert_eq!((t.gross, t.tax, t.contribution, t.net), (rp(2_089_669), rp(-104_483), rp(-20_897), rp(1_964_289)));
        let (decimal_lines, dt) = run_in::<Money>(&prep, &input).expect("computes in decimals");
        assert_eq!(decimal_lines, lines);
        assert_eq!(format!("{:?}", dt), format!("{t:?}"));
        let text = |ls: &[(Rule, Money)]| ls.iter().map(|(_, m)| m.amount().to_string()).collect::<Vec<_>>();
        assert_eq!(text(&decimal_lines), text(&lines));
    }

    /// A salary with cents cannot be held in whole rupiah: the whole way fails, and
    /// `amounts` pays the slip in decimals (the BPJS base is then 2,089,669.00, whose
    /// 1 % rounds to the same 20,897), to the lines the full slip has.
    #[test]
    fn an_amount_with_cents_is_paid_the_decimal_way() {
        let bound = national();
        let prep = Prepared::new_for_amounts(&bound).expect("prepares");
        let input = input_of("4500000.50");
        assert!(run_in::<Whole>(&prep, &input).is_err());
        let mut lines = Vec::new();
        let t = prep.amounts(&input, &mut lines).expect("computes");
        assert_eq!(t.net, Money::from_rupiah(1_964_289));
        let full = Prepared::new(&bound).expect("prepares").compute(&input).expect("computes");
        let got: Vec<(&str, Money)> = lines.iter().map(|l| (l.rule.name(), l.amount)).collect();
        let want: Vec<(&str, Money)> = full.lines.iter().map(|l| (l.rule.as_str(), l.amount)).collect();
        assert_eq!(got, want);
    }

    proptest::proptest! {
        /// The whole-rupiah way gives every line and total of the decimal way (the
        /// same values written the same way) over varied months: classes, proration,
        /// CPNS, minutes, every late and early band, unexcused days, roll calls,
        /// absences, salaries above and below the BPJS cap; it is taken whenever the
        /// amounts are whole (else this would compare the decimal way with itself).
        #[test]
        fn whole_rupiah_way_equals_the_decimal_way(
            class in 1i64..=17,
            calendar in 0i64..=23,
            assigned_cut in 0i64..=8,
            cpns in proptest::bool::ANY,
            target in 0i64..10_000,
            verified in 0i64..12_000,
            late in proptest::array::uniform4(0i64..4),
            early in proptest::array::uniform4(0i64..4),
            unexcused in 0i64..3,
            roll in 0i64..5,
            ceremony in 0i64..2,
            sick in 0i64..3,
            salary in 1_000_000i64..20_000_000,
        ) {
            let bound = national();
            let prep = Prepared::new_for_amounts(&bound).expect("prepares");
            let mut input = input_of("0");
            let assigned = calendar.saturating_sub(assigned_cut).max(0);
            input.job_class = class;
            input.calendar_working_days = calendar;
            input.assigned_working_days = assigned;
            input.employment = if cpns { EmploymentType::Cpns } else { EmploymentType::Pns };
            input.performance.target_minutes = crate::minutes::Minutes(target);
            input.performance.verified_minutes = crate::minutes::Minutes(verified);
            input.salary = Money::from_rupiah(salary);
            let d = &mut input.discipline;
            d.unexcused_days = unexcused.min(assigned);
            d.roll_calls_missed.morning = roll.min(assigned);
            d.roll_calls_missed.ceremony = ceremony.min(assigned);
            d.absences.clear();
            let sick = if sick <= assigned - d.unexcused_days { sick } else { 0 };
            if sick > 0 {
                d.absences.insert("sick".into(), sick);
            }
            d.days_present = assigned.saturating_sub(d.unexcused_days + sick).max(0);
            // The bands of a month hold at most its days present: each band keeps what
            // is left of them, so the generated months are admissible by construction.
            let fit = |bands: [i64; 4], present: i64| {
                let mut left = present;
                bands.map(|v| {
                    let v = v.min(left);
                    left -= v;
                    v
                })
            };
            d.late = fit(late, d.days_present);
            d.early = fit(early, d.days_present);
            // Inputs the engine refuses are not slips (too many would fail the test).
            proptest::prop_assume!(prep.admit(&input).is_ok());
            let decimal = run_in::<Money>(&prep, &input);
            let whole = run_in::<Whole>(&prep, &input);
            match (&whole, &decimal) {
                (Ok((wl, wt)), Ok((dl, dt))) => {
                    proptest::prop_assert_eq!(wl, dl);
                    proptest::prop_assert_eq!(format!("{wt:?}"), format!("{dt:?}"));
                    let text = |ls: &[(Rule, Money)]| ls.iter().map(|(_, m)| m.amount().to_string()).collect::<Vec<_>>();
                    proptest::prop_assert_eq!(text(wl), text(dl));
                }
                (Err(_), Ok(_)) => proptest::prop_assert!(false, "whole rupiah failed where decimals did not"),
                (_, Err(_)) => proptest::prop_assert!(whole.is_err()),
            }
        }
    }

    #[test]
    fn hex_is_lowercase_two_digits_per_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        // SHA-256 of the empty string.
        assert_eq!(hex(&Sha256::digest(b"")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
