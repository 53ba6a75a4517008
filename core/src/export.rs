//! Files for other systems, built in memory (the caller writes them): the
//! payroll as CSV for the treasury. One writer, used by the CLI (`kinerja tpp
//! --csv`) and the server's download alike; [`payroll_rows`] is the same table as
//! cells, for spreadsheet writers.

use crate::dataset::City;
use crate::money::Money;
use crate::payroll::CityPayroll;

/// How the payroll CSV is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CsvOptions {
    /// The field separator: `;` by default, what a spreadsheet in the Indonesian
    /// locale (decimal comma) expects; `,` for the English-locale convention.
    pub separator: u8,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions { separator: b';' }
    }
}

/// The payroll as CSV for the treasury, with `;` between fields (see
/// [`payroll_csv_with`] for the columns and another separator).
pub fn payroll_csv(city: &City, p: &CityPayroll) -> Result<String, std::io::Error> {
    payroll_csv_with(city, p, &CsvOptions::default())
}

/// The payroll as CSV for the treasury: one row per employee of the dataset (the paid
/// in recap order, then those whose slip failed, then those not paid), then four
/// summary rows to reconcile the file against. Fields are separated by
/// `options.separator`; lines end with `\n`; the text is UTF-8 without a byte order mark.
///
/// Columns: `record` (`employee` or `summary`), `nip`, `name`, `employment` (`PNS`,
/// `CPNS`, `PPPK`), `grade` (the PNS/CPNS rank `III/c` or the PPPK grade `IX`), `unit`
/// (its id) and `unit_name`, `status` (`paid`, `failed`, `not_paid`; on summary rows
/// `paid`, `failed`, `not_paid`, `all`), `count` (1 on an employee row; on a summary
/// row the number of employee rows it covers), `code` and `reason` (why a slip failed
/// or an employee is not paid), `job_class`, `bank`, `account_number` and
/// `account_name` (empty when the dataset has no bank account for the employee), one
/// column per rule id in slip order (`ceiling` ... `contribution.bpjs`, 0 when the
/// slip has no such line), `gross`, `tax`, `contribution`, `net`, `content_hash`.
/// Amounts are plain decimals in rupiah with a `.` before the cents (deductions
/// negative); they are empty on failed and not-paid rows. The summary rows hold the
/// sums over the employee rows of their status (`all`: every row), so that `count` and
/// every amount column can be checked by adding up the rows.
///
/// Text, NIPs and account numbers: every text cell, the NIP and the account number
/// included, is quoted; numbers never are. A NIP is its 18 digits exactly, never a
/// number (no exponent, no separator, no digit lost, no leading `'` or `="..."`), so
/// any CSV reader returns the same 18-character string; a spreadsheet must import the
/// column as text (see the README), or open the XLSX export instead. A text cell that
/// a spreadsheet would take for a formula (starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return) is neutralised with a leading `'`. Escaping is the `csv` crate's.
pub fn payroll_csv_with(city: &City, p: &CityPayroll, options: &CsvOptions) -> Result<String, std::io::Error> {
    let mut out = CsvLines::new(options.separator);
    for row in payroll_rows(city, p) {
        for cell in row {
            match cell {
                Cell::Text(t) => out.text(&t)?,
                Cell::Number(n) => out.num(&n)?,
                Cell::Empty => out.num("")?,
            }
        }
        out.end();
    }
    Ok(out.finish())
}

/// One cell of an exported table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    /// Text (quoted in CSV, a string cell in a spreadsheet; NIPs are text).
    Text(String),
    /// An exact decimal number, as text (`1234567.50`).
    Number(String),
    /// Nothing.
    Empty,
}

/// The columns of the payroll before the per-rule ones (see [`payroll_csv_with`]).
pub const PAYROLL_COLUMNS: [&str; 15] = [
    "record",
    "nip",
    "name",
    "employment",
    "grade",
    "unit",
    "unit_name",
    "status",
    "count",
    "code",
    "reason",
    "job_class",
    "bank",
    "account_number",
    "account_name",
];

/// The payroll's columns after the per-rule ones.
pub const PAYROLL_TOTAL_COLUMNS: [&str; 5] = ["gross", "tax", "contribution", "net", "content_hash"];

/// The payroll as rows of cells, header first: what [`payroll_csv_with`] writes and a
/// spreadsheet export lays out (same columns, same rows).
pub fn payroll_rows(city: &City, p: &CityPayroll) -> Vec<Vec<Cell>> {
    let rules = crate::allowance::rule_ids();
    let mut out = Rows::default();
    for h in PAYROLL_COLUMNS.iter().map(|h| h.to_string()).chain(rules.iter().cloned()) {
        out.text(&h);
    }
    for h in PAYROLL_TOTAL_COLUMNS {
        out.text(h);
    }
    out.end();
    let accounts: std::collections::HashMap<&str, &crate::dataset::BankAccount> =
        city.bank_accounts.iter().map(|a| (a.employee.as_str(), a)).collect();
    // The employee's own columns: name, employment, grade, unit and its name, then
    // (after status ... job_class) the bank account.
    let person = |out: &mut Rows, nip: &crate::org::Nip, u: &Option<crate::UnitId>| {
        let e = city.organisation.employee(nip);
        out.text(nip.as_str());
        out.text(e.map(|e| e.name.as_str()).unwrap_or_default());
        out.text(e.map(|e| employment(e.employment)).unwrap_or_default());
        out.text(&e.map(|e| e.rank.to_string()).unwrap_or_default());
        out.text(&u.as_ref().map(|u| u.to_string()).unwrap_or_default());
        out.text(u.as_ref().and_then(|u| city.organisation.unit(u)).map(|w| w.name.as_str()).unwrap_or_default());
    };
    let account = |out: &mut Rows, nip: &crate::org::Nip| {
        let a = accounts.get(nip.as_str());
        out.text(a.map(|a| a.bank.as_str()).unwrap_or_default());
        out.text(a.map(|a| a.number.as_str()).unwrap_or_default());
        out.text(a.map(|a| a.name.as_str()).unwrap_or_default());
    };
    for (s, u) in p.slips.iter().zip(&p.slip_units) {
        out.text("employee");
        person(&mut out, &s.employee, u);
        out.text("paid");
        out.num("1");
        out.text("");
        out.text("");
        out.num(s.line("ceiling").and_then(|l| l.inputs.get("job_class")).map(String::as_str).unwrap_or(""));
        account(&mut out, &s.employee);
        for rule in &rules {
            out.num(&s.amount(rule).amount().to_string());
        }
        for m in [s.gross, s.tax, s.contribution, s.net] {
            out.num(&m.amount().to_string());
        }
        out.text(&s.content_hash);
        out.end();
    }
    let unpaid = p
        .failures
        .iter()
        .map(|f| (&f.employee, &f.unit, "failed", f.code.as_str(), f.message.as_str()))
        .chain(p.not_paid.iter().map(|n| (&n.employee, &n.unit, "not_paid", n.code.as_str(), n.reason.as_str())));
    for (nip, u, status, code, reason) in unpaid {
        out.text("employee");
        person(&mut out, nip, u);
        out.text(status);
        out.num("1");
        out.text(code);
        out.text(reason);
        out.num("");
        account(&mut out, nip);
        for _ in 0..rules.len() + 4 {
            out.num("");
        }
        out.text("");
        out.end();
    }
    let sum = &p.summary;
    let by_rule = |rule: &str| sum.by_rule.iter().find(|r| r.rule == rule).map_or(Money::ZERO, |r| r.amount);
    let all_reason =
        format!("{} employees: {} paid, {} failed, {} not paid", sum.employees, sum.paid, sum.failed, sum.not_paid);
    for (status, count, with_amounts, reason) in [
        ("paid", sum.paid, true, ""),
        ("failed", sum.failed, false, ""),
        ("not_paid", sum.not_paid, false, ""),
        ("all", sum.employees, true, all_reason.as_str()),
    ] {
        out.text("summary");
        for _ in 0..6 {
            out.text("");
        }
        out.text(status);
        out.num(&count.to_string());
        out.text("");
        out.text(reason);
        out.num("");
        for _ in 0..3 {
            out.text("");
        }
        let amount = |m: Money| if with_amounts { m.amount().to_string() } else { "0".to_string() };
        for rule in &rules {
            out.num(&amount(by_rule(rule)));
        }
        for m in [sum.gross, sum.tax, sum.contribution, sum.net] {
            out.num(&amount(m));
        }
        out.text("");
        out.end();
    }
    out.rows
}

/// The employment type as the dataset spells it.
fn employment(t: crate::org::EmploymentType) -> &'static str {
    match t {
        crate::org::EmploymentType::Pns => "PNS",
        crate::org::EmploymentType::Cpns => "CPNS",
        crate::org::EmploymentType::Pppk => "PPPK",
    }
}

/// Collects cells into rows (the same calls as the CSV writer's).
#[derive(Default)]
struct Rows {
    rows: Vec<Vec<Cell>>,
    row: Vec<Cell>,
}

impl Rows {
    fn text(&mut self, value: &str) {
        self.row.push(Cell::Text(value.to_string()));
    }

    fn num(&mut self, value: &str) {
        self.row.push(if value.is_empty() { Cell::Empty } else { Cell::Number(value.to_string()) });
    }

    fn end(&mut self) {
        self.rows.push(std::mem::take(&mut self.row));
    }
}

/// A text cell a spreadsheet could read as a formula (starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return) gets a leading `'`; every CSV a city
/// opens in a spreadsheet writes its text cells through this.
pub fn neutralise(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}").into() } else { text.into() }
}

/// A buffer both CSV writers append to.
#[derive(Clone, Default)]
struct Shared(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl std::io::Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// CSV lines whose cells are escaped by the `csv` crate, text always quoted and
/// numbers never (the crate's quote style is per writer, so each cell is written by the
/// writer of its kind into one shared buffer).
struct CsvLines {
    buf: Shared,
    text: csv::Writer<Shared>,
    num: csv::Writer<Shared>,
    separator: u8,
    first: bool,
}

impl CsvLines {
    fn new(separator: u8) -> Self {
        let buf = Shared::default();
        let writer = |style| csv::WriterBuilder::new().delimiter(separator).quote_style(style).from_writer(buf.clone());
        CsvLines {
            text: writer(csv::QuoteStyle::Always),
            num: writer(csv::QuoteStyle::Necessary),
            buf,
            separator,
            first: true,
        }
    }

    fn cell(&mut self, text: bool, value: &str) -> std::io::Result<()> {
        if !self.first {
            self.buf.0.borrow_mut().push(self.separator);
        }
        self.first = false;
        if !text && value.is_empty() {
            return Ok(());
        }
        let w = if text { &mut self.text } else { &mut self.num };
        w.write_record([value]).map_err(std::io::Error::other)?;
        w.flush()?;
        // Each cell is written as a one-field record: drop its terminator.
        let mut b = self.buf.0.borrow_mut();
        if b.last() == Some(&b'\n') {
            b.pop();
        }
        Ok(())
    }

    fn text(&mut self, value: &str) -> std::io::Result<()> {
        self.cell(true, &neutralise(value))
    }

    fn num(&mut self, value: &str) -> std::io::Result<()> {
        self.cell(false, value)
    }

    fn end(&mut self) {
        self.buf.0.borrow_mut().push(b'\n');
        self.first = true;
    }

    fn finish(self) -> String {
        let bytes = self.buf.0.borrow().clone();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}
