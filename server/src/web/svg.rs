//! Charts drawn on the server as SVG (no script, readable by a screen reader
//! through their title and the table printed beside each one).

use std::fmt::Write;

/// One bar: its label, its value (for the length) and the value as written.
#[derive(Clone, Debug)]
pub struct Bar {
    /// The label at the left.
    pub label: String,
    /// The value the bar's length is drawn from.
    pub value: f64,
    /// The value as printed at the bar's end.
    pub text: String,
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Horizontal bars, one a row; negative values grow to the left of a zero line
/// (a what-if's change). `title` is the chart's accessible name.
pub fn bars(title: &str, rows: &[Bar]) -> String {
    bars_to(title, rows, 0.0)
}

/// [`bars`] drawn against a scale that reaches at least `full` (e.g. 6 of 6
/// requirements), so that bars below it are drawn short even when every row is.
pub fn bars_to(title: &str, rows: &[Bar], full: f64) -> String {
    const ROW: f64 = 22.0;
    const LABEL: f64 = 220.0;
    const PLOT: f64 = 330.0;
    const VALUE: f64 = 120.0;
    let width = LABEL + PLOT + VALUE;
    let height = ROW * rows.len().max(1) as f64 + 8.0;
    let max_pos = rows.iter().map(|r| r.value).fold(full.max(0.0), f64::max);
    let max_neg = rows.iter().map(|r| -r.value).fold(0.0_f64, f64::max);
    let span = (max_pos + max_neg).max(f64::MIN_POSITIVE);
    let zero = LABEL + PLOT * (max_neg / span);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg"><title>{}</title>"#,
        esc(title)
    );
    for (i, r) in rows.iter().enumerate() {
        let y = 4.0 + ROW * i as f64;
        let len = if r.value.is_finite() { PLOT * r.value.abs() / span } else { 0.0 };
        let x = if r.value < 0.0 { zero - len } else { zero };
        let class = if r.value < 0.0 { "neg" } else { "pos" };
        let _ = write!(
            s,
            r#"<text x="{lx}" y="{ty}" text-anchor="end" class="lbl">{label}</text><rect x="{x:.1}" y="{ry}" width="{len:.1}" height="{h}" class="{class}"/><text x="{vx}" y="{ty}" class="val">{text}</text>"#,
            lx = LABEL - 6.0,
            ty = y + 14.0,
            label = esc(&clip(&r.label, 26)),
            ry = y + 3.0,
            h = ROW - 6.0,
            vx = LABEL + PLOT + 6.0,
            text = esc(&r.text),
        );
    }
    let _ = write!(s, r#"<line x1="{zero:.1}" x2="{zero:.1}" y1="0" y2="{height}" class="axis"/></svg>"#);
    s
}

/// Vertical bars side by side (a distribution): one column per bin, its label under it.
pub fn columns(title: &str, bins: &[Bar]) -> String {
    const H: f64 = 160.0;
    const W: f64 = 640.0;
    let n = bins.len().max(1) as f64;
    let col = W / n;
    let max = bins.iter().map(|b| b.value).fold(0.0_f64, f64::max).max(f64::MIN_POSITIVE);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" role="img" viewBox="0 0 {W} {vh}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg"><title>{}</title>"#,
        esc(title),
        vh = H + 40.0
    );
    for (i, b) in bins.iter().enumerate() {
        let h = H * (b.value.max(0.0) / max);
        let x = col * i as f64;
        let _ = write!(
            s,
            r#"<rect x="{rx:.1}" y="{ry:.1}" width="{rw:.1}" height="{h:.1}" class="pos"/><text x="{cx:.1}" y="{ty:.1}" text-anchor="middle" class="val">{text}</text><text x="{cx:.1}" y="{ly:.1}" text-anchor="middle" class="lbl">{label}</text>"#,
            rx = x + 2.0,
            ry = 14.0 + H - h,
            rw = (col - 4.0).max(1.0),
            cx = x + col / 2.0,
            ty = 10.0 + H - h,
            ly = H + 30.0,
            text = esc(&b.text),
            label = esc(&b.label),
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_and_escape_labels() {
        let svg = bars(
            "t<1>",
            &[
                Bar { label: "A & B".into(), value: 100.0, text: "100".into() },
                Bar { label: "C".into(), value: 50.0, text: "50".into() },
            ],
        );
        // The largest bar spans the whole plot (330), the other half of it (165).
        assert!(svg.contains(r#"width="330.0""#), "{svg}");
        assert!(svg.contains(r#"width="165.0""#), "{svg}");
        assert!(svg.contains("A &amp; B") && svg.contains("t&lt;1&gt;"));
    }

    #[test]
    fn negative_bars_grow_left_of_zero() {
        // -50 and +150: span 200, zero at 220 + 330 x 50/200 = 302.5; the
        // negative bar is 82.5 long and starts at 302.5 - 82.5 = 220.
        let svg = bars(
            "w",
            &[
                Bar { label: "down".into(), value: -50.0, text: "-50".into() },
                Bar { label: "up".into(), value: 150.0, text: "150".into() },
            ],
        );
        assert!(svg.contains(r#"x="220.0" y="7" width="82.5""#), "{svg}");
        assert!(svg.contains(r#"x1="302.5""#), "{svg}");
    }
}
