//! The allowance commands: `tpp`, `explain`, `whatif`.

use std::fmt::Write as _;

use kinerja::allowance::Slip;
use kinerja::dataset::City;
use kinerja::money::Money;
use kinerja::payroll::{CityPayroll, WhatIf};
use rust_decimal::Decimal;

use crate::table::{Table, dec};

/// Rupiah with thousands separators, e.g. `Rp 12.345.678` (Indonesian style).
pub fn rp(m: Money) -> String {
    let rounded = m.amount().round_dp(0);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let digits = rounded.abs().trunc().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if negative { format!("-Rp {out}") } else { format!("Rp {out}") }
}

fn percent(part: Money, whole: Money) -> String {
    if whole.is_zero() {
        return "-".into();
    }
    dec(part.amount() * Decimal::ONE_HUNDRED / whole.amount(), 1)
}

/// The payroll as a table for people: units, the city, the distribution and the
/// most common deductions.
pub fn tpp_table(city: &City, p: &CityPayroll) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Allowance (TPP) — {} — {}", city.government.name, p.month);
    let _ = writeln!(out);
    let mut t = Table::new(&["unit", "slips", "ceiling", "gross", "tax", "BPJS", "net", "net/ceiling %"]);
    for u in &p.units {
        let x = &u.totals;
        t.row(vec![
            u.unit.as_ref().map(|u| u.to_string()).unwrap_or_default(),
            x.count.to_string(),
            rp(x.ceiling),
            rp(x.gross),
            rp(x.tax),
            rp(x.contribution),
            rp(x.net),
            percent(x.net, x.ceiling),
        ]);
    }
    let c = &p.city;
    t.row(vec![
        "CITY".into(),
        c.count.to_string(),
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
    out.push_str(&distribution(p));
    out.push_str(&common_deductions(p));
    if !p.failures.is_empty() {
        let _ = writeln!(out, "\n{} employee(s) could not be paid:", p.failures.len());
        for f in p.failures.iter().take(20) {
            let _ = writeln!(out, "  {}: {} [{}]", f.employee, f.message, f.code);
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
    let mut t = Table::new(&["rule", "employees", "total"]);
    for (rule, (n, total)) in rows.into_iter().take(10) {
        t.row(vec![rule.to_string(), n.to_string(), rp(total)]);
    }
    out.push_str(&t.render());
    out
}

/// The payroll as CSV for the finance office: one row per slip.
pub fn tpp_csv(city: &City, p: &CityPayroll) -> String {
    let mut out = String::from("nip,name,unit,job_class,ceiling,gross,tax,contribution,net,content_hash\n");
    for (s, unit) in p.slips.iter().zip(&p.slip_units) {
        let name = city.organisation.employee(&s.employee).map(|e| e.name.as_str()).unwrap_or("");
        let class = s.line("ceiling").and_then(|l| l.inputs.get("job_class")).map(String::as_str).unwrap_or("");
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{}",
            s.employee,
            csv_field(name),
            unit.as_ref().map(|u| u.to_string()).unwrap_or_default(),
            class,
            s.ceiling().amount(),
            s.gross.amount(),
            s.tax.amount(),
            s.contribution.amount(),
            s.net.amount(),
            s.content_hash
        );
    }
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

/// One slip, every line with its reason, values and legal references.
pub fn explain(city: &City, s: &Slip) -> String {
    let mut out = String::new();
    let name = city.organisation.employee(&s.employee).map(|e| e.name.as_str()).unwrap_or("?");
    let _ = writeln!(out, "Allowance slip (TPP) — {} {} — {}", s.employee, name, s.month);
    let _ = writeln!(out, "content hash {}", s.content_hash);
    let _ = writeln!(out);
    for (i, l) in s.lines.iter().enumerate() {
        let _ = writeln!(out, "{:>2}. {:<28} {:>18}", i + 1, l.rule, rp(l.amount));
        let _ = writeln!(out, "    {}", l.explanation);
        for p in &l.parameters {
            let _ = writeln!(out, "    - {} = {} (from {}, {}): {}", p.key, p.value, p.from, p.layer, p.reference);
        }
        if !l.inputs.is_empty() {
            let inputs: Vec<String> = l.inputs.iter().map(|(k, v)| format!("{k} = {v}")).collect();
            let _ = writeln!(out, "    inputs: {}", inputs.join(", "));
        }
    }
    let _ = writeln!(out);
    let _ =
        writeln!(out, "gross {}   tax {}   BPJS {}   net {}", rp(s.gross), rp(s.tax), rp(s.contribution), rp(s.net));
    out
}

/// The budget impact of a proposed policy, per unit and for the city.
pub fn whatif_table(city: &City, w: &WhatIf) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "What-if — {} — {}: current vs proposed policy", city.government.name, w.current.month);
    let _ = writeln!(out);
    let mut t =
        Table::new(&["unit", "gross now", "gross proposed", "delta gross", "net now", "net proposed", "delta net"]);
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
        assert_eq!(rp(Money::from_rupiah(12_345_678)), "Rp 12.345.678");
        assert_eq!(rp(Money::from_rupiah(-1_000)), "-Rp 1.000");
        assert_eq!(rp(Money::from_rupiah(999)), "Rp 999");
        assert_eq!(rp(Money::ZERO), "Rp 0");
    }
}
