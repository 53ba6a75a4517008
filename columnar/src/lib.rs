//! The Kinerja engine's month results as Arrow record batches and Parquet files.
//!
//! One place builds the columnar tables an analyst reads, for the CLI (`kinerja tpp
//! --parquet`, `kinerja recap --parquet`) and the Python bindings (`kinerja.Table`,
//! exported to pandas, polars, pyarrow and DuckDB through the Arrow C data interface):
//! the same columns, types and order whichever way a month is read. No rule lives
//! here: every value is read from the core's results ([`kinerja::payroll::CityPayroll`],
//! [`kinerja::recap::MonthlyRecap`]).
//!
//! Types (docs/python-tables.md lists every table's columns):
//!
//! - money: `decimal128(38, 2)`, exact rupiah with two places for sen, the field
//!   carrying the metadata [`MONEY_METADATA`] = `"true"`. A value with more than two
//!   decimal places is refused ([`ColumnarError::Value`]), never rounded;
//! - other exact decimals (percentages, shares, staff counts): `decimal128(38, 28)`,
//!   exact, since the engine's decimals have at most 28 places; a value of 10^10 or
//!   more does not fit and is refused ([`ColumnarError::Value`]);
//! - counts and minutes: `int64`; texts: `utf8`; flags: `bool`; dates: `date32`;
//!   times of day: `time64[us]`; date-times (local, no zone): `timestamp[us]`.
//!
//! A column's type and nullability follow from the Rust type of its values, never
//! from the data, so a table has the same schema every month.

use std::collections::{HashMap, HashSet};
use std::fmt::Display;
use std::io::Write;
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Decimal128Builder, Float64Builder, Int64Builder, StringBuilder,
    Time64MicrosecondBuilder, TimestampMicrosecondBuilder,
};
use arrow_array::{ArrayRef, RecordBatch, RecordBatchOptions};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use kinerja::Money;
use kinerja::allowance::{self, Slip};
use kinerja::dataset::City;
use kinerja::payroll::CityPayroll;
use kinerja::recap::MonthlyRecap;
use rust_decimal::{Decimal, RoundingStrategy};

pub use arrow_array;
pub use arrow_schema;
pub use parquet;

/// Decimal places of a money column (`decimal128(38, 2)`): whole rupiah and sen.
pub const MONEY_SCALE: i8 = 2;
/// Decimal places of an exact non-money decimal column (`decimal128(38, 28)`): the
/// most an engine decimal (rust_decimal) has, so every value below 10^10 is exact.
pub const DECIMAL_SCALE: i8 = 28;
/// Precision of every decimal column.
pub const DECIMAL_PRECISION: u8 = 38;
/// Field metadata key marking a money column (value `"true"`).
pub const MONEY_METADATA: &str = "kinerja.money";

/// Why a table could not be built or written.
#[derive(Debug, thiserror::Error)]
pub enum ColumnarError {
    /// A column with another number of values than the columns before it.
    #[error("column `{column}` has {len} values, expected {expected}")]
    Length {
        /// The column.
        column: String,
        /// Its number of values.
        len: usize,
        /// The number of values of the columns before it.
        expected: usize,
    },
    /// A value the column's type cannot hold exactly.
    #[error("column `{column}`: the value {value} does not fit {kind}")]
    Value {
        /// The column.
        column: String,
        /// The value, as text.
        value: String,
        /// The column's type.
        kind: &'static str,
    },
    /// Two columns with one name.
    #[error("column `{0}` appears twice")]
    Duplicate(String),
    /// A column marked as money whose values are not money.
    #[error("column `{0}` is not a money column (decimal128(38, 2))")]
    NotMoney(String),
    /// Arrow refused the arrays.
    #[error("arrow: {0}")]
    Arrow(#[from] ArrowError),
    /// The Parquet writer failed (including the file's I/O).
    #[error("parquet: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
}

/// A value that can fill a column: its Rust type decides the column's Arrow type and
/// whether it may hold nulls (`Option<_>`).
pub trait Cell: Sized {
    /// Whether the column may hold nulls.
    const NULLABLE: bool;
    /// Whether the column is money (`decimal128(38, 2)` with [`MONEY_METADATA`]).
    const MONEY: bool = false;
    /// The values as one Arrow array.
    fn array(column: &str, values: Vec<Self>) -> Result<ArrayRef, ColumnarError>;
}

fn value_error(column: &str, value: impl Display, kind: &'static str) -> ColumnarError {
    ColumnarError::Value { column: column.to_string(), value: value.to_string(), kind }
}

fn ints<T: TryInto<i64> + Copy + Display>(
    column: &str,
    values: impl ExactSizeIterator<Item = Option<T>>,
) -> Result<ArrayRef, ColumnarError> {
    let mut b = Int64Builder::with_capacity(values.len());
    for v in values {
        match v {
            Some(x) => b.append_value(x.try_into().map_err(|_| value_error(column, x, "int64"))?),
            None => b.append_null(),
        }
    }
    Ok(Arc::new(b.finish()))
}

macro_rules! int_cells {
    ($($t:ty),*) => {$(
        impl Cell for $t {
            const NULLABLE: bool = false;
            fn array(column: &str, values: Vec<Self>) -> Result<ArrayRef, ColumnarError> {
                ints(column, values.into_iter().map(Some))
            }
        }
        impl Cell for Option<$t> {
            const NULLABLE: bool = true;
            fn array(column: &str, values: Vec<Self>) -> Result<ArrayRef, ColumnarError> {
                ints(column, values.into_iter())
            }
        }
    )*};
}
int_cells!(i8, i16, i32, i64, u8, u16, u32, u64, usize);

fn strs<S: AsRef<str>>(values: impl ExactSizeIterator<Item = Option<S>>) -> ArrayRef {
    let mut b = StringBuilder::with_capacity(values.len(), values.len() * 16);
    for v in values {
        b.append_option(v);
    }
    Arc::new(b.finish())
}

macro_rules! str_cells {
    ($($t:ty),*) => {$(
        impl Cell for $t {
            const NULLABLE: bool = false;
            fn array(_: &str, values: Vec<Self>) -> Result<ArrayRef, ColumnarError> {
                Ok(strs(values.into_iter().map(Some)))
            }
        }
        impl Cell for Option<$t> {
            const NULLABLE: bool = true;
            fn array(_: &str, values: Vec<Self>) -> Result<ArrayRef, ColumnarError> {
                Ok(strs(values.into_iter()))
            }
        }
    )*};
}
str_cells!(&str, String, &String);

macro_rules! simple_cells {
    ($t:ty, $builder:ty, $conv:expr) => {
        impl Cell for $t {
            const NULLABLE: bool = false;
            fn array(_: &str, values: Vec<Self>) -> Result<ArrayRef, ColumnarError> {
                let mut b = <$builder>::with_capacity(values.len());
                for v in values {
                    b.append_value($conv(v));
                }
                Ok(Arc::new(b.finish()))
            }
        }
        impl Cell for Option<$t> {
            const NULLABLE: bool = true;
            fn array(_: &str, values: Vec<Self>) -> Result<ArrayRef, ColumnarError> {
                let mut b = <$builder>::with_capacity(values.len());
                for v in values {
                    b.append_option(v.map($conv));
                }
                Ok(Arc::new(b.finish()))
            }
        }
    };
}
simple_cells!(bool, BooleanBuilder, |v: bool| v);
simple_cells!(f64, Float64Builder, |v: f64| v);
simple_cells!(NaiveDate, Date32Builder, days_since_epoch);
simple_cells!(NaiveTime, Time64MicrosecondBuilder, micros_of_day);
simple_cells!(NaiveDateTime, TimestampMicrosecondBuilder, |v: NaiveDateTime| v.and_utc().timestamp_micros());

fn days_since_epoch(d: NaiveDate) -> i32 {
    // A NaiveDate's range (about +-262,000 years) fits i32 days.
    (d - NaiveDate::default()).num_days() as i32
}

fn micros_of_day(t: NaiveTime) -> i64 {
    i64::from(t.num_seconds_from_midnight()) * 1_000_000 + i64::from(t.nanosecond() % 1_000_000_000) / 1_000
}

/// `d` as the integer of a `decimal128(38, scale)`: exact when `exact`, else rounded
/// half-even to `scale` places; `None` when it does not fit.
pub fn decimal_to_i128(d: Decimal, scale: i8, exact: bool) -> Option<i128> {
    let scale_u = u32::try_from(scale).ok()?;
    let d = if d.scale() > scale_u {
        let r = d.round_dp_with_strategy(scale_u, RoundingStrategy::MidpointNearestEven);
        if exact && r != d {
            return None;
        }
        r
    } else {
        d
    };
    let v = d.mantissa().checked_mul(10i128.checked_pow(scale_u - d.scale())?)?;
    (v.unsigned_abs() < 10u128.pow(u32::from(DECIMAL_PRECISION))).then_some(v)
}

fn decimals(
    column: &str,
    values: impl ExactSizeIterator<Item = Option<Decimal>>,
    scale: i8,
    exact: bool,
) -> Result<ArrayRef, ColumnarError> {
    let mut b = Decimal128Builder::with_capacity(values.len());
    let kind = if exact { "decimal128(38, 2)" } else { "decimal128(38, 28)" };
    for v in values {
        match v {
            Some(d) => b.append_value(decimal_to_i128(d, scale, exact).ok_or_else(|| value_error(column, d, kind))?),
            None => b.append_null(),
        }
    }
    Ok(Arc::new(b.finish().with_precision_and_scale(DECIMAL_PRECISION, scale)?))
}

impl Cell for Decimal {
    const NULLABLE: bool = false;
    fn array(column: &str, values: Vec<Self>) -> Result<ArrayRef, ColumnarError> {
        decimals(column, values.into_iter().map(Some), DECIMAL_SCALE, false)
    }
}
impl Cell for Option<Decimal> {
    const NULLABLE: bool = true;
    fn array(column: &str, values: Vec<Self>) -> Result<ArrayRef, ColumnarError> {
        decimals(column, values.into_iter(), DECIMAL_SCALE, false)
    }
}
impl Cell for Money {
    const NULLABLE: bool = false;
    const MONEY: bool = true;
    fn array(column: &str, values: Vec<Self>) -> Result<ArrayRef, ColumnarError> {
        decimals(column, values.into_iter().map(|m| Some(m.amount())), MONEY_SCALE, true)
    }
}
impl Cell for Option<Money> {
    const NULLABLE: bool = true;
    const MONEY: bool = true;
    fn array(column: &str, values: Vec<Self>) -> Result<ArrayRef, ColumnarError> {
        decimals(column, values.into_iter().map(|m| m.map(Money::amount)), MONEY_SCALE, true)
    }
}

/// The type of a money column.
pub fn money_type() -> DataType {
    DataType::Decimal128(DECIMAL_PRECISION, MONEY_SCALE)
}

/// Whether a field is a money column (its metadata [`MONEY_METADATA`] is `"true"`).
pub fn is_money(field: &Field) -> bool {
    field.metadata().get(MONEY_METADATA).is_some_and(|v| v == "true")
}

/// Builds a [`RecordBatch`] column by column, in order.
#[derive(Default)]
pub struct TableBuilder {
    fields: Vec<Field>,
    arrays: Vec<ArrayRef>,
    names: HashSet<String>,
    len: Option<usize>,
}

impl TableBuilder {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a column of values (its type from the values' Rust type, see [`Cell`]).
    pub fn col<T: Cell, I: IntoIterator<Item = T>>(&mut self, name: &str, values: I) -> Result<(), ColumnarError> {
        let values: Vec<T> = values.into_iter().collect();
        let array = T::array(name, values)?;
        self.push(name, array, T::NULLABLE, T::MONEY)
    }

    /// Adds a ready array (nullable as said).
    pub fn push(&mut self, name: &str, array: ArrayRef, nullable: bool, money: bool) -> Result<(), ColumnarError> {
        match self.len {
            Some(n) if n != array.len() => {
                return Err(ColumnarError::Length { column: name.to_string(), len: array.len(), expected: n });
            }
            _ => self.len = Some(array.len()),
        }
        if !self.names.insert(name.to_string()) {
            return Err(ColumnarError::Duplicate(name.to_string()));
        }
        let mut field = Field::new(name, array.data_type().clone(), nullable);
        if money {
            if array.data_type() != &money_type() {
                return Err(ColumnarError::NotMoney(name.to_string()));
            }
            field = field.with_metadata(HashMap::from([(MONEY_METADATA.to_string(), "true".to_string())]));
        }
        self.fields.push(field);
        self.arrays.push(array);
        Ok(())
    }

    /// The record batch.
    pub fn finish(self) -> Result<RecordBatch, ColumnarError> {
        let schema: SchemaRef = Arc::new(Schema::new(self.fields));
        let options = RecordBatchOptions::new().with_row_count(Some(self.len.unwrap_or(0)));
        Ok(RecordBatch::try_new_with_options(schema, self.arrays, &options)?)
    }
}

/// Writes `batch` as a Parquet file (uncompressed, the Arrow schema embedded so that
/// money columns keep their metadata) to `out`, and returns `out`.
pub fn write_parquet<W: Write + Send>(batch: &RecordBatch, out: W) -> Result<W, ColumnarError> {
    let mut w = parquet::arrow::ArrowWriter::try_new(out, batch.schema(), None)?;
    w.write(batch)?;
    Ok(w.into_inner()?)
}

// --- the month's tables --------------------------------------------------------------

/// The rule columns of the payroll tables, in slip order: every rule id of the core
/// ([`allowance::rule_ids`]) but `ceiling`, whether or not a slip of this month has a
/// line for it (a rule that did not apply is a column of zeros, so that every month
/// has the same columns), then any rule the core does not list (none is expected),
/// in order of first appearance.
pub fn payroll_rules<'a>(slips: impl IntoIterator<Item = &'a Slip>) -> Vec<String> {
    let mut out: Vec<String> = allowance::rule_ids().into_iter().filter(|r| r != "ceiling").collect();
    let mut known: HashSet<String> = out.iter().cloned().collect();
    known.insert("ceiling".to_string());
    for s in slips {
        for l in &s.lines {
            if !known.contains(&l.rule) {
                known.insert(l.rule.clone());
                out.push(l.rule.clone());
            }
        }
    }
    out
}

/// One row per paid employee, in recap order: `nip`, `name`, `unit`, `job_class`,
/// `ceiling`, `gross`, `tax`, `contribution`, `net`, `content_hash`, then one money
/// column per rule of [`payroll_rules`] with that rule's amount on the slip (0 when
/// the slip has no line for it; deductions negative).
pub fn payroll_slips(city: &City, p: &CityPayroll, rules: &[String]) -> Result<RecordBatch, ColumnarError> {
    let org = &city.organisation;
    let ss = &p.slips;
    let mut t = TableBuilder::new();
    t.col("nip", ss.iter().map(|s| s.employee.as_str()))?;
    t.col("name", ss.iter().map(|s| org.employee(&s.employee).map(|e| e.name.as_str())))?;
    t.col("unit", p.slip_units.iter().map(|u| u.as_ref().map(|u| u.as_str())))?;
    // The job class the ceiling was read for, as the slip quotes it.
    t.col(
        "job_class",
        ss.iter()
            .map(|s| s.line("ceiling").and_then(|l| l.inputs.get("job_class")).and_then(|c| c.parse::<i64>().ok())),
    )?;
    t.col("ceiling", ss.iter().map(|s| s.ceiling()))?;
    t.col("gross", ss.iter().map(|s| s.gross))?;
    t.col("tax", ss.iter().map(|s| s.tax))?;
    t.col("contribution", ss.iter().map(|s| s.contribution))?;
    t.col("net", ss.iter().map(|s| s.net))?;
    t.col("content_hash", ss.iter().map(|s| s.content_hash.as_str()))?;
    for rule in rules {
        t.col(rule, ss.iter().map(|s| s.amount(rule)))?;
    }
    t.finish()
}

/// One row per work unit, in dataset order: `unit`, `name`, `slips` (number paid),
/// `ceiling`, `gross`, `tax`, `contribution`, `net`, then the rule columns of
/// [`payroll_slips`] with the unit's sum.
pub fn payroll_units(city: &City, p: &CityPayroll, rules: &[String]) -> Result<RecordBatch, ColumnarError> {
    let org = &city.organisation;
    let us = &p.units;
    let mut t = TableBuilder::new();
    t.col("unit", us.iter().map(|u| u.unit.as_ref().map(|u| u.as_str())))?;
    t.col("name", us.iter().map(|u| u.unit.as_ref().and_then(|id| org.unit(id)).map(|x| x.name.as_str())))?;
    t.col("slips", us.iter().map(|u| u.totals.count))?;
    t.col("ceiling", us.iter().map(|u| u.totals.ceiling))?;
    t.col("gross", us.iter().map(|u| u.totals.gross))?;
    t.col("tax", us.iter().map(|u| u.totals.tax))?;
    t.col("contribution", us.iter().map(|u| u.totals.contribution))?;
    t.col("net", us.iter().map(|u| u.totals.net))?;
    for rule in rules {
        t.col(rule, us.iter().map(|u| u.totals.deductions_by_rule.get(rule).copied().unwrap_or(Money::ZERO)))?;
    }
    t.finish()
}

/// Every employee of the payroll once: the paid (recap order), then those whose slip
/// failed, then those not paid. Columns `nip`, `name`, `unit`, `status` (`paid`,
/// `failed`, `not_paid`), `code` and `reason` (null when paid), `gross`, `tax`,
/// `contribution`, `net` (null unless paid).
pub fn payroll_employees(city: &City, p: &CityPayroll) -> Result<RecordBatch, ColumnarError> {
    let org = &city.organisation;
    struct Row<'a> {
        nip: &'a kinerja::org::Nip,
        unit: Option<&'a str>,
        status: &'static str,
        code: Option<&'a str>,
        reason: Option<&'a str>,
        slip: Option<&'a Slip>,
    }
    let rows: Vec<Row<'_>> = p
        .slips
        .iter()
        .zip(&p.slip_units)
        .map(|(s, u)| Row {
            nip: &s.employee,
            unit: u.as_ref().map(|u| u.as_str()),
            status: "paid",
            code: None,
            reason: None,
            slip: Some(s),
        })
        .chain(p.failures.iter().map(|f| Row {
            nip: &f.employee,
            unit: f.unit.as_ref().map(|u| u.as_str()),
            status: "failed",
            code: Some(&f.code),
            reason: Some(&f.message),
            slip: None,
        }))
        .chain(p.not_paid.iter().map(|n| Row {
            nip: &n.employee,
            unit: n.unit.as_ref().map(|u| u.as_str()),
            status: "not_paid",
            code: Some(&n.code),
            reason: Some(&n.reason),
            slip: None,
        }))
        .collect();
    let mut t = TableBuilder::new();
    t.col("nip", rows.iter().map(|r| r.nip.as_str()))?;
    t.col("name", rows.iter().map(|r| org.employee(r.nip).map(|e| e.name.as_str())))?;
    t.col("unit", rows.iter().map(|r| r.unit))?;
    t.col("status", rows.iter().map(|r| r.status))?;
    t.col("code", rows.iter().map(|r| r.code))?;
    t.col("reason", rows.iter().map(|r| r.reason))?;
    type Amount = fn(&Slip) -> Money;
    for (name, f) in [
        ("gross", (|s| s.gross) as Amount),
        ("tax", |s| s.tax),
        ("contribution", |s| s.contribution),
        ("net", |s| s.net),
    ] {
        t.col(name, rows.iter().map(|r| r.slip.map(f)))?;
    }
    t.finish()
}

/// One row per employee of the recap, in recap order: who (`nip`, `name`, `unit`,
/// `position`), the month's target, claimed and verified minutes, achievement, the
/// entries by status, attendance (late and early by band, missing checks, unexcused
/// days, days per absence code) and roll calls (docs/python-tables.md lists them).
pub fn recap_employees(city: &City, r: &MonthlyRecap) -> Result<RecordBatch, ColumnarError> {
    use kinerja::attendance::AbsenceKind;
    use kinerja::rollcall::RollCallKind;
    let org = &city.organisation;
    let es = &r.employees;
    let mut t = TableBuilder::new();
    t.col("nip", es.iter().map(|e| e.employee.as_str()))?;
    t.col("name", es.iter().map(|e| org.employee(&e.employee).map(|x| x.name.as_str())))?;
    t.col("unit", es.iter().map(|e| e.unit.as_ref().map(|u| u.as_str())))?;
    t.col("position", es.iter().map(|e| e.position.as_ref().map(|p| p.as_str())))?;
    t.col("calendar_working_days", es.iter().map(|e| e.target.calendar_working_days))?;
    t.col("assigned_working_days", es.iter().map(|e| e.target.assigned_working_days))?;
    t.col("reduced_days", es.iter().map(|e| e.target.reduced_days))?;
    t.col("target_days", es.iter().map(|e| e.target.target_days))?;
    t.col("daily_minutes", es.iter().map(|e| e.target.daily_minutes.get()))?;
    t.col("target_minutes", es.iter().map(|e| e.target.target_minutes.get()))?;
    t.col("claimed_minutes", es.iter().map(|e| e.claimed_minutes.get()))?;
    t.col("verified_minutes", es.iter().map(|e| e.verified_minutes.get()))?;
    t.col("achievement_percent", es.iter().map(|e| e.achievement_percent))?;
    t.col("entries_pending", es.iter().map(|e| e.entries.pending))?;
    t.col("entries_approved", es.iter().map(|e| e.entries.approved))?;
    t.col("entries_rejected", es.iter().map(|e| e.entries.rejected))?;
    t.col("entries_returned", es.iter().map(|e| e.entries.returned))?;
    t.col("working_days", es.iter().map(|e| e.attendance.working_days))?;
    t.col("days_present", es.iter().map(|e| e.attendance.days_present))?;
    t.col("late_days", es.iter().map(|e| e.attendance.late_days()))?;
    t.col("early_days", es.iter().map(|e| e.attendance.early_days()))?;
    for band in 0..4 {
        let n = band + 1;
        t.col(&format!("late_b{n}_days"), es.iter().map(|e| e.attendance.late.get(band).map_or(0, |b| b.count)))?;
        t.col(
            &format!("late_b{n}_minutes"),
            es.iter().map(|e| e.attendance.late.get(band).map_or(0, |b| b.minutes.get())),
        )?;
    }
    for band in 0..4 {
        let n = band + 1;
        t.col(&format!("early_b{n}_days"), es.iter().map(|e| e.attendance.early.get(band).map_or(0, |b| b.count)))?;
        t.col(
            &format!("early_b{n}_minutes"),
            es.iter().map(|e| e.attendance.early.get(band).map_or(0, |b| b.minutes.get())),
        )?;
    }
    t.col("missing_check_in", es.iter().map(|e| e.attendance.missing_check_in))?;
    t.col("missing_check_out", es.iter().map(|e| e.attendance.missing_check_out))?;
    t.col("unexcused_days", es.iter().map(|e| e.attendance.unexcused_days))?;
    for code in AbsenceKind::ALL_CODES {
        let name = format!("absence_{}", code.replace('.', "_"));
        t.col(&name, es.iter().map(|e| e.attendance.absence_days(code)))?;
    }
    for (kind, label) in [
        (RollCallKind::Morning, "morning"),
        (RollCallKind::Afternoon, "afternoon"),
        (RollCallKind::Ceremony, "ceremony"),
    ] {
        let tally = |e: &kinerja::recap::EmployeeRecap| *e.roll_call.tally(kind);
        t.col(&format!("{label}_held"), es.iter().map(|e| tally(e).held))?;
        t.col(&format!("{label}_attended"), es.iter().map(|e| tally(e).attended))?;
        t.col(&format!("{label}_excused"), es.iter().map(|e| tally(e).excused))?;
        t.col(&format!("{label}_missed"), es.iter().map(|e| tally(e).missed))?;
    }
    t.col("roll_calls_missed_daily", es.iter().map(|e| e.roll_call.daily_missed()))?;
    t.finish()
}

/// One row per work unit of the recap: `unit`, `name`, `employees`, `target_minutes`,
/// `verified_minutes`, `mean_achievement_percent`, the entries by status, and the
/// unit's late, early, unexcused and missed roll-call counts.
pub fn recap_units(city: &City, r: &MonthlyRecap) -> Result<RecordBatch, ColumnarError> {
    let org = &city.organisation;
    let us = &r.units;
    let mut t = TableBuilder::new();
    t.col("unit", us.iter().map(|u| u.unit.as_str()))?;
    t.col("name", us.iter().map(|u| org.unit(&u.unit).map(|x| x.name.as_str())))?;
    t.col("employees", us.iter().map(|u| u.employees))?;
    t.col("target_minutes", us.iter().map(|u| u.target_minutes.get()))?;
    t.col("verified_minutes", us.iter().map(|u| u.verified_minutes.get()))?;
    t.col("mean_achievement_percent", us.iter().map(|u| u.mean_achievement_percent))?;
    t.col("entries_pending", us.iter().map(|u| u.entries.pending))?;
    t.col("entries_approved", us.iter().map(|u| u.entries.approved))?;
    t.col("entries_rejected", us.iter().map(|u| u.entries.rejected))?;
    t.col("entries_returned", us.iter().map(|u| u.entries.returned))?;
    t.col("late_count", us.iter().map(|u| u.late_count))?;
    t.col("early_count", us.iter().map(|u| u.early_count))?;
    t.col("unexcused_days", us.iter().map(|u| u.unexcused_days))?;
    t.col("roll_calls_missed", us.iter().map(|u| u.roll_calls_missed))?;
    t.finish()
}
