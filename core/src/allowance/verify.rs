//! Re-verifying a stored slip ([`verify`]): is it still the slip its input and the
//! policy give, and was it changed after it was sealed?

use serde::{Deserialize, Serialize};

use super::AllowanceError;
use super::input::AllowanceInput;
use super::params::AllowanceParams;
use super::slip::{Explanation, Prepared, SCHEMA_VERSION, Slip};
use crate::i18n::Lang;
use crate::policy::{Bound, Policy};

/// One way a stored slip differs from the slip recomputed from its input and policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlipDifference {
    /// Where: `lines[3].amount`, `lines[3].rule`, `lines[5]` (a line only one of the two
    /// slips has), `gross`, `tax`, `contribution`, `net`; for wording,
    /// `lines[3].explanation`, `lines[3].parameters`, `lines[3].inputs`.
    pub field: String,
    /// The stored slip's value (empty when it has no such line).
    pub stored: String,
    /// The recomputed slip's value (empty when it has no such line).
    pub recomputed: String,
}

/// What [`verify`] found. The stored slip **holds** when its seal matches its own
/// fields, it was computed from the input given under the policy given, and computing
/// it again gives the same rules and amounts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    /// Everything below checks out: the stored slip can be paid (or kept) as it is.
    pub holds: bool,
    /// The stored `content_hash` is the seal of the stored fields ([`Slip::seal`]): no
    /// amount, rule, total or hash was changed after the slip was made.
    pub sealed: bool,
    /// The input given has the slip's `input_hash`: it is the input the slip was
    /// computed from.
    pub input_matches: bool,
    /// The allowance policy in force for the month has the slip's `policy_hash`: the
    /// values and their legal references are the ones the slip was computed under.
    pub policy_matches: bool,
    /// Rules and amounts that differ, line by line (by position) then the totals.
    /// Empty when the amounts hold.
    pub differences: Vec<SlipDifference>,
    /// Explanations, quoted parameters or inputs that differ although the line's rule
    /// and amount do not (e.g. a later engine words a line differently, or the stored
    /// text was edited). Not sealed, so they do not decide [`Verification::holds`].
    pub wording: Vec<SlipDifference>,
    /// The slip computed again now.
    pub recomputed: Slip,
}

impl Verification {
    /// The finding in words, one sentence per point.
    pub fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.holds {
            out.push("the slip holds: sealed, same input, same policy, same amounts".to_string());
        }
        if !self.sealed {
            out.push(
                "the seal is broken: the stored content hash is not the hash of the stored amounts and hashes, \
                 so the slip was changed after it was made"
                    .to_string(),
            );
        }
        if !self.input_matches {
            out.push("the input differs from the one the slip was computed from (input hash)".to_string());
        }
        if !self.policy_matches {
            out.push(
                "the policy differs from the one the slip was computed under (policy hash: a value or its \
                 legal reference changed)"
                    .to_string(),
            );
        }
        for d in &self.differences {
            out.push(format!("{}: stored `{}`, recomputed `{}`", d.field, d.stored, d.recomputed));
        }
        if !self.wording.is_empty() {
            out.push(format!(
                "{} explanation(s) or quoted value(s) read differently (derived text, not sealed)",
                self.wording.len()
            ));
        }
        out
    }
}

/// Recomputes a stored slip from the input it was computed from and the policy, and
/// says whether it still holds ([`Verification`]): whether its seal matches its
/// fields, whether the input and policy are those it was computed from, and which
/// line or total differs.
///
/// Errors when the slip cannot be recomputed: its schema version is not this engine's
/// ([`AllowanceError::UnsupportedSlipVersion`]), it is another employee's or month's
/// than the input ([`AllowanceError::SlipMismatch`]), or the input or policy is
/// refused as by [`super::compute_slip`].
pub fn verify(slip: &Slip, input: &AllowanceInput, policy: &Policy) -> Result<Verification, AllowanceError> {
    check_identity(slip, input)?;
    input.validate()?;
    let params = AllowanceParams::from_policy(policy, input.month)?;
    verify_with(slip, input, &params)
}

/// [`verify`] with parameters bound for the input's month.
pub fn verify_with(
    slip: &Slip,
    input: &AllowanceInput,
    params: &Bound<AllowanceParams>,
) -> Result<Verification, AllowanceError> {
    check_identity(slip, input)?;
    let recomputed = Prepared::new(params)?.compute(input)?;
    let sealed = slip.is_sealed();
    let input_matches = slip.input_hash == recomputed.input_hash;
    let policy_matches = slip.policy_hash == recomputed.policy_hash;
    let (differences, wording) = differences(slip, &recomputed);
    let holds = sealed && input_matches && policy_matches && differences.is_empty();
    Ok(Verification { holds, sealed, input_matches, policy_matches, differences, wording, recomputed })
}

fn check_identity(slip: &Slip, input: &AllowanceInput) -> Result<(), AllowanceError> {
    if slip.schema_version != SCHEMA_VERSION {
        return Err(AllowanceError::UnsupportedSlipVersion { version: slip.schema_version });
    }
    if slip.employee != input.employee {
        return Err(AllowanceError::SlipMismatch {
            field: "employee",
            paid: slip.employee.to_string(),
            recomputed: input.employee.to_string(),
        });
    }
    if slip.month != input.month {
        return Err(AllowanceError::SlipMismatch {
            field: "month",
            paid: slip.month.to_string(),
            recomputed: input.month.to_string(),
        });
    }
    Ok(())
}

/// Rule and amount differences (by position, then totals), and wording differences.
fn differences(stored: &Slip, now: &Slip) -> (Vec<SlipDifference>, Vec<SlipDifference>) {
    let mut amounts = Vec::new();
    let mut wording = Vec::new();
    let diff = |field: String, stored: String, recomputed: String| SlipDifference { field, stored, recomputed };
    let n = stored.lines.len().max(now.lines.len());
    for i in 0..n {
        match (stored.lines.get(i), now.lines.get(i)) {
            (Some(a), Some(b)) => {
                if a.rule != b.rule {
                    amounts.push(diff(format!("lines[{i}].rule"), a.rule.clone(), b.rule.clone()));
                }
                if a.amount.amount() != b.amount.amount() {
                    amounts.push(diff(
                        format!("lines[{i}].amount"),
                        a.amount.amount().to_string(),
                        b.amount.amount().to_string(),
                    ));
                }
                if a.rule == b.rule {
                    // Structured explanations compare as data; stored prose (an older
                    // slip, or text put there by hand) compares with the English rendering.
                    let differs = match (&a.explanation, &b.explanation) {
                        (Explanation::Message(x), Explanation::Message(y)) => x != y,
                        _ => a.explanation.render(Lang::En) != b.explanation.render(Lang::En),
                    };
                    if differs {
                        wording.push(diff(
                            format!("lines[{i}].explanation"),
                            a.explanation.render(Lang::En),
                            b.explanation.render(Lang::En),
                        ));
                    }
                    if a.parameters != b.parameters {
                        let text = |p: &Vec<super::ParamUse>| serde_json::to_string(p).unwrap_or_default();
                        wording.push(diff(format!("lines[{i}].parameters"), text(&a.parameters), text(&b.parameters)));
                    }
                    if a.inputs != b.inputs {
                        let text = |m: &std::collections::BTreeMap<String, String>| {
                            serde_json::to_string(m).unwrap_or_default()
                        };
                        wording.push(diff(format!("lines[{i}].inputs"), text(&a.inputs), text(&b.inputs)));
                    }
                }
            }
            (Some(a), None) => {
                amounts.push(diff(format!("lines[{i}]"), format!("{} {}", a.rule, a.amount.amount()), String::new()))
            }
            (None, Some(b)) => {
                amounts.push(diff(format!("lines[{i}]"), String::new(), format!("{} {}", b.rule, b.amount.amount())))
            }
            (None, None) => {}
        }
    }
    for (field, a, b) in [
        ("gross", stored.gross, now.gross),
        ("tax", stored.tax, now.tax),
        ("contribution", stored.contribution, now.contribution),
        ("net", stored.net, now.net),
    ] {
        if a.amount() != b.amount() {
            amounts.push(diff(field.to_string(), a.amount().to_string(), b.amount().to_string()));
        }
    }
    (amounts, wording)
}
