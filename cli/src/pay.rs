//! The allowance commands: `tpp`, `explain`, `whatif`.

use std::fmt::Write as _;

use kinerja::allowance::Slip;
use kinerja::dataset::City;
use kinerja::money::Money;
use kinerja::payroll::{CityPayroll, WhatIf};
use rust_decimal::Decimal;

use crate::table::{Table, dec};

/// Rupiah in the language of the command line (`--lang`): `Rp 12.345.678` in
/// Indonesian, `Rp 12,345,678` in English. Whole rupiah in tables (amounts are exact in
/// the JSON and CSV forms); the core's one formatter ([`kinerja::i18n::rupiah`]).
pub fn rp(m: Money) -> String {
    kinerja::i18n::rupiah(Money::new(m.amount().round_dp(0)), crate::lang())
}

fn percent(part: Money, whole: Money) -> String {
    if whole.is_zero() {
        return "-".into();
    }
    dec(part.amount() * Decimal::ONE_HUNDRED / whole.amount(), 1)
}

/// The payroll as a table for people: units (slips, failures and employees not paid
/// per unit), the city, the distribution, the most common deductions, then every
/// employee whose slip failed or who is not paid, with the reason.
pub fn tpp_table(city: &City, p: &CityPayroll) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Allowance (TPP) — {} — {}", city.government.name, p.month);
    let _ = writeln!(out);
    // Failures and employees not paid, by unit (`None`: no unit at all).
    let mut unpaid: std::collections::HashMap<Option<&str>, (usize, usize)> = Default::default();
    for f in &p.failures {
        unpaid.entry(f.unit.as_ref().map(|u| u.as_str())).or_default().0 += 1;
    }
    for n in &p.not_paid {
        unpaid.entry(n.unit.as_ref().map(|u| u.as_str())).or_default().1 += 1;
    }
    let mut t =
        Table::new(&["unit", "slips", "failed", "not paid", "ceiling", "gross", "tax", "BPJS", "net", "net/ceiling %"])
            .right_from(1);
    for u in &p.units {
        let x = &u.totals;
        let (failed, not_paid) = unpaid.remove(&u.unit.as_ref().map(|u| u.as_str())).unwrap_or_default();
        t.row(vec![
            u.unit.as_ref().map(|u| u.to_string()).unwrap_or_default(),
            x.count.to_string(),
            failed.to_string(),
            not_paid.to_string(),
            rp(x.ceiling),
            rp(x.gross),
            rp(x.tax),
            rp(x.contribution),
            rp(x.net),
            percent(x.net, x.ceiling),
        ]);
    }
    // Employees whose unit is not one of the dataset's (none, or an unknown one).
    let mut rest: Vec<_> = unpaid.into_iter().collect();
    rest.sort();
    for (unit, (failed, not_paid)) in rest {
        let zero = rp(Money::ZERO);
        t.row(vec![
            unit.map_or_else(|| "(no unit)".to_string(), str::to_string),
            "0".into(),
            failed.to_string(),
            not_paid.to_string(),
            zero.clone(),
            zero.clone(),
            zero.clone(),
            zero.clone(),
            zero,
            "-".into(),
        ]);
    }
    let c = &p.city;
    t.row(vec![
        "CITY".into(),
        c.count.to_string(),
        p.failures.len().to_string(),
        p.not_paid.len().to_string(),
        rp(c.ceiling),
        rp(c.gross),
        rp(c.tax),
        rp(c.contribution),
        rp(c.net),
        percent(c.net, c.ceiling),
    ]);
    out.push_str(&t.render());
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "TPP budget (sum of ceilings): {}; paid gross {} ({}%), net {}",
        rp(c.ceiling),
        rp(c.gross),
        percent(c.gross, c.ceiling),
        rp(c.net)
    );
    let s = &p.summary;
    let _ = writeln!(
        out,
        "Employees: {} in all: {} paid, {} could not be computed, {} not paid this month",
        s.employees, s.paid, s.failed, s.not_paid
    );
    out.push_str(&distribution(p));
    out.push_str(&common_deductions(p));
    if !p.failures.is_empty() {
        let _ = writeln!(out, "\n{} employee(s) could not be computed:", p.failures.len());
        for f in &p.failures {
            let _ = writeln!(out, "  {}: {} [{}]", f.employee, f.message, f.code);
        }
    }
    if !p.not_paid.is_empty() {
        let mut by_code: std::collections::BTreeMap<&str, usize> = Default::default();
        for n in &p.not_paid {
            *by_code.entry(n.code.as_str()).or_default() += 1;
        }
        let codes: Vec<String> = by_code.iter().map(|(c, n)| format!("{c} {n}")).collect();
        let _ = writeln!(out, "\n{} employee(s) not paid this month ({}):", p.not_paid.len(), codes.join(", "));
        for n in &p.not_paid {
            let _ = writeln!(out, "  {}: {} [{}; {} field `{}`]", n.employee, n.reason, n.code, n.record, n.field);
        }
    }
    out
}

/// How the gross compares with the ceiling across employees: deciles of
/// gross / ceiling.
fn distribution(p: &CityPayroll) -> String {
    let mut ratios: Vec<Decimal> = p
        .slips
        .iter()
        .filter(|s| !s.ceiling().is_zero())
        .map(|s| s.gross.amount() * Decimal::ONE_HUNDRED / s.ceiling().amount())
        .collect();
    ratios.sort();
    let mut out = String::new();
    if ratios.is_empty() {
        return out;
    }
    let q = |f: usize| ratios[((ratios.len() - 1) * f) / 100];
    let _ = writeln!(
        out,
        "Distribution of gross / ceiling: min {}%, p10 {}%, p25 {}%, median {}%, p75 {}%, p90 {}%, max {}%",
        dec(q(0), 1),
        dec(q(10), 1),
        dec(q(25), 1),
        dec(q(50), 1),
        dec(q(75), 1),
        dec(q(90), 1),
        dec(q(100), 1)
    );
    out
}

/// The deduction rules that hit most employees, with their total amount.
fn common_deductions(p: &CityPayroll) -> String {
    let mut counts: std::collections::BTreeMap<&str, (usize, Money)> = Default::default();
    for s in &p.slips {
        for l in &s.lines {
            if l.amount.is_negative() && !l.rule.starts_with("tax") && !l.rule.starts_with("contribution") {
                let e = counts.entry(l.rule.as_str()).or_insert((0, Money::ZERO));
                e.0 += 1;
                e.1 = e.1.checked_add(l.amount).unwrap_or(e.1);
            }
        }
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
    let mut out = String::new();
    let _ = writeln!(out, "\nMost common deductions and shortfalls:");
    let mut t = Table::new(&["rule", "employees", "total"]).right_from(1);
    for (rule, (n, total)) in rows.into_iter().take(10) {
        t.row(vec![rule.to_string(), n.to_string(), rp(total)]);
    }
    out.push_str(&t.render());
    out
}

/// The finding of `verify-slip` for people.
pub fn verification(slip: &Slip, v: &kinerja::allowance::Verification) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Slip of {} for {}: {}",
        slip.employee,
        slip.month,
        if v.holds { "HOLDS" } else { "DOES NOT HOLD" }
    );
    let yes = |b: bool| if b { "yes" } else { "NO" };
    let _ = writeln!(out, "  sealed (no amount changed since it was made): {}", yes(v.sealed));
    let _ = writeln!(out, "  same input as when computed:                  {}", yes(v.input_matches));
    let _ = writeln!(out, "  same policy as when computed:                 {}", yes(v.policy_matches));
    let _ = writeln!(out, "  same rules and amounts when recomputed:       {}", yes(v.differences.is_empty()));
    if !v.differences.is_empty() {
        let mut t = Table::new(&["field", "stored", "recomputed"]);
        for d in &v.differences {
            t.row(vec![d.field.clone(), d.stored.clone(), d.recomputed.clone()]);
        }
        out.push('\n');
        out.push_str(&t.render());
    }
    if !v.wording.is_empty() {
        let _ = writeln!(
            out,
            "\n{} explanation(s) or quoted value(s) read differently (derived text, not sealed):",
            v.wording.len()
        );
        for d in &v.wording {
            let _ = writeln!(out, "  {}: stored `{}`, recomputed `{}`", d.field, d.stored, d.recomputed);
        }
    }
    out
}

/// One slip, every line with its reason, values and legal references, in the language
/// of the command line: the core's renderer ([`kinerja::i18n::Renderer::slip`]).
pub fn explain(city: &City, s: &Slip) -> String {
    let name = city.organisation.employee(&s.employee).map(|e| e.name.as_str());
    kinerja::i18n::Renderer::builtin().slip(crate::lang(), s, name)
}

/// The budget impact of a proposed policy, per unit and for the city.
pub fn whatif_table(city: &City, w: &WhatIf) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "What-if — {} — {}: current vs proposed policy", city.government.name, w.current.month);
    let _ = writeln!(out);
    let mut t =
        Table::new(&["unit", "gross now", "gross proposed", "delta gross", "net now", "net proposed", "delta net"])
            .right_from(1);
    for (unit, d) in &w.units {
        t.row(vec![
            if unit.is_empty() { "-".into() } else { unit.clone() },
            rp(d.gross.before),
            rp(d.gross.after),
            rp(d.gross.delta),
            rp(d.net.before),
            rp(d.net.after),
            rp(d.net.delta),
        ]);
    }
    let c = &w.comparison.total;
    t.row(vec![
        "CITY".into(),
        rp(c.gross.before),
        rp(c.gross.after),
        rp(c.gross.delta),
        rp(c.net.before),
        rp(c.net.after),
        rp(c.net.delta),
    ]);
    out.push_str(&t.render());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rupiah_formatting() {
        // Indonesian unless `--lang en` set the language; cents rounded away in tables.
        assert_eq!(rp(Money::from_rupiah(12_345_678)), "Rp 12.345.678");
        assert_eq!(rp(Money::parse("1234.6").expect("amount")), "Rp 1.235");
        assert_eq!(rp(Money::from_rupiah(-1_000)), "-Rp 1.000");
        assert_eq!(rp(Money::from_rupiah(999)), "Rp 999");
        assert_eq!(rp(Money::ZERO), "Rp 0");
    }
}
