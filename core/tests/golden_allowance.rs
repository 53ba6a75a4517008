//! Golden allowance (TPP) cases: every `cases/allowance/*.json` must be reproduced exactly.
//!
//! Each case file holds a hand-computed slip (the derivation is in its `arithmetic` array;
//! the format is documented in `cases/allowance/README.md`). For each file this runner:
//!
//! 1. builds the policy: [`Policy::national`] plus each TOML text of `policy`, in order,
//!    through [`PolicyLayer::from_toml`] and [`Policy::with_layer`];
//! 2. deserialises `input` into [`AllowanceInput`];
//! 3. calls [`compute_slip`];
//! 4. compares the slip's lines with `expected.lines` one by one, in order (rule id and
//!    amount; amounts as exact decimals, so `"2500000"` equals `"2500000.00"`), then the
//!    totals gross, tax, contribution and net.
//!
//! Every failing case is reported (not only the first), with the expected and actual lines
//! side by side and the engine's explanations. The test also checks that each case file is
//! itself consistent (its expected lines add up to its gross and net) and that at least
//! [`MIN_CASES`] cases ran, so an empty or misplaced directory cannot pass silently.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use kinerja::Money;
use kinerja::allowance::{AllowanceInput, Slip, compute_slip, verify};
use kinerja::policy::{Policy, PolicyLayer};
use serde::Deserialize;

/// The suite must run at least this many cases.
const MIN_CASES: usize = 30;

/// Rules whose lines come after the gross (deductions from the paid amount).
const AFTER_GROSS: [&str; 2] = ["tax.pph21", "contribution.bpjs"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    description: String,
    arithmetic: Vec<String>,
    policy: Vec<String>,
    input: serde_json::Value,
    expected: Expected,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    lines: Vec<ExpectedLine>,
    gross: String,
    tax: String,
    contribution: String,
    net: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedLine {
    rule: String,
    amount: String,
}

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("cases").join("allowance")
}

fn case_files() -> Vec<PathBuf> {
    let dir = cases_dir();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap_or_else(|err| panic!("cannot list {}: {err}", dir.display())).path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

fn money(text: &str, what: &str) -> Result<Money, String> {
    Money::parse(text).map_err(|e| format!("{what}: `{text}` is not a decimal amount: {e}"))
}

fn sum(amounts: impl IntoIterator<Item = Money>, what: &str) -> Result<Money, String> {
    amounts
        .into_iter()
        .try_fold(Money::ZERO, |acc, m| acc.checked_add(m))
        .map_err(|e| format!("{what}: overflow adding amounts: {e}"))
}

/// The expected slip, amounts parsed, after checking the case file is self-consistent.
struct Want {
    lines: Vec<(String, Money)>,
    gross: Money,
    tax: Money,
    contribution: Money,
    net: Money,
}

fn want(case: &Case) -> Result<Want, String> {
    let e = &case.expected;
    let mut lines = Vec::with_capacity(e.lines.len());
    for (i, l) in e.lines.iter().enumerate() {
        lines.push((l.rule.clone(), money(&l.amount, &format!("expected.lines[{i}] ({})", l.rule))?));
    }
    let w = Want {
        gross: money(&e.gross, "expected.gross")?,
        tax: money(&e.tax, "expected.tax")?,
        contribution: money(&e.contribution, "expected.contribution")?,
        net: money(&e.net, "expected.net")?,
        lines,
    };
    if case.arithmetic.is_empty() {
        return Err("case file: `arithmetic` is empty; write out the derivation".into());
    }
    if case.description.trim().is_empty() {
        return Err("case file: `description` is empty".into());
    }
    let before_gross =
        sum(w.lines.iter().filter(|(r, _)| !AFTER_GROSS.contains(&r.as_str())).map(|(_, m)| *m), "case file")?;
    let all = sum(w.lines.iter().map(|(_, m)| *m), "case file")?;
    let after = sum([w.gross, w.tax, w.contribution], "case file")?;
    if before_gross != w.gross || all != w.net || after != w.net {
        return Err(format!(
            "case file is inconsistent: lines before tax sum to {before_gross} (gross says {}), all lines sum to \
             {all} (net says {}), gross + tax + contribution = {after}",
            w.gross, w.net
        ));
    }
    Ok(w)
}

fn policy(case: &Case, file: &str) -> Result<Policy, String> {
    let mut policy = Policy::national();
    for (i, text) in case.policy.iter().enumerate() {
        let source = format!("{file}#policy[{i}]");
        let layer = PolicyLayer::from_toml(&source, text).map_err(|e| {
            let problems: Vec<String> = e.problems().iter().map(|p| format!("    {p}")).collect();
            format!("policy layer {i} does not load: {e}\n{}", problems.join("\n"))
        })?;
        policy = policy.with_layer(layer);
    }
    Ok(policy)
}

/// Compares one slip with the expectation; `Err` holds the report.
fn compare(w: &Want, slip: &Slip) -> Result<(), String> {
    let lines_match = slip.lines.len() == w.lines.len()
        && slip.lines.iter().zip(&w.lines).all(|(a, (rule, amount))| a.rule == *rule && a.amount == *amount);
    let totals = [
        ("gross", w.gross, slip.gross),
        ("tax", w.tax, slip.tax),
        ("contribution", w.contribution, slip.contribution),
        ("net", w.net, slip.net),
    ];
    let totals_match = totals.iter().all(|(_, e, a)| e == a);
    if lines_match && totals_match {
        return Ok(());
    }
    let mut out = String::new();
    let _ = writeln!(out, "    {:<2} {:<34} {:>14} | {:<34} {:>14}  explanation", "", "expected", "", "actual", "");
    for i in 0..w.lines.len().max(slip.lines.len()) {
        let exp = w.lines.get(i);
        let act = slip.lines.get(i);
        let same = matches!((exp, act), (Some((r, m)), Some(a)) if a.rule == *r && a.amount == *m);
        let (er, em) = exp.map_or((String::from("-"), String::new()), |(r, m)| (r.clone(), m.amount().to_string()));
        let (ar, am, ax) = act.map_or((String::from("-"), String::new(), String::new()), |a| {
            (a.rule.clone(), a.amount.amount().to_string(), a.explanation.render(kinerja::i18n::Lang::En))
        });
        let mark = if same { "" } else { "!!" };
        let _ = writeln!(out, "    {mark:<2} {er:<34} {em:>14} | {ar:<34} {am:>14}  {ax}");
    }
    for (what, e, a) in totals {
        let mark = if e == a { "" } else { "!!" };
        let _ = writeln!(out, "    {mark:<2} {what:<34} {:>14} | {what:<34} {:>14}", e.amount(), a.amount());
    }
    Err(out)
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |f| f.to_string_lossy().into_owned())
}

/// Runs one case file; `Err` holds the report, headed by the file and case name.
fn run_case(path: &Path) -> Result<(), String> {
    let file = file_name(path);
    let text = std::fs::read_to_string(path).map_err(|e| format!("{file}: cannot read: {e}"))?;
    let case: Case = serde_json::from_str(&text).map_err(|e| format!("{file}: not a golden case file: {e}"))?;
    check(&case, &file).map_err(|report| format!("{file} ({}):\n{report}", case.name))
}

fn check(case: &Case, file: &str) -> Result<(), String> {
    let w = want(case)?;
    let policy = policy(case, file)?;
    let input: AllowanceInput =
        serde_json::from_value(case.input.clone()).map_err(|e| format!("`input` is not an AllowanceInput: {e}"))?;
    let slip = compute_slip(&input, &policy).map_err(|e| format!("compute_slip failed: {e}"))?;
    compare(&w, &slip)?;
    // The amounts-only path (no explanations, no hashes) gives the same lines and totals.
    let bound = kinerja::allowance::AllowanceParams::from_policy(&policy, input.month)
        .map_err(|e| format!("the policy does not bind: {e}"))?;
    let amounts = kinerja::allowance::pay_all_amounts(std::slice::from_ref(&input), &bound);
    let a = match amounts.slips.first() {
        Some(Ok(a)) => *a,
        other => return Err(format!("the amounts path did not compute the slip: {other:?}")),
    };
    let lines: Vec<(&str, Money)> = amounts.lines_of(0).iter().map(|l| (l.rule.name(), l.amount)).collect();
    let expected: Vec<(&str, Money)> = w.lines.iter().map(|(r, m)| (r.as_str(), *m)).collect();
    if lines != expected || [a.gross, a.tax, a.contribution, a.net] != [w.gross, w.tax, w.contribution, w.net] {
        return Err(format!("the amounts path differs from the case: {lines:?} {a:?}"));
    }
    // Every slip is sealed, and verifies against its own input and policy.
    let v = verify(&slip, &input, &policy).map_err(|e| format!("verify failed: {e}"))?;
    if !(slip.is_sealed() && v.holds) {
        return Err(format!("the slip does not verify: {:?}", v.describe()));
    }
    Ok(())
}

#[test]
fn golden_allowance_cases() {
    let files = case_files();
    let mut failures = Vec::new();
    for path in &files {
        if let Err(report) = run_case(path) {
            failures.push(report);
        }
    }
    if !failures.is_empty() {
        eprintln!("{} of {} golden allowance case(s) failed:\n", failures.len(), files.len());
        for f in &failures {
            eprintln!("{f}");
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} golden allowance case(s) failed (details above)",
        failures.len(),
        files.len()
    );
    assert!(
        files.len() >= MIN_CASES,
        "only {} golden allowance case(s) in {}; expected at least {MIN_CASES}",
        files.len(),
        cases_dir().display()
    );
}
