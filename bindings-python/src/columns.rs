//! The native side of `kinerja.Table`: an Arrow record batch (built by the
//! `kinerja-columnar` crate, the CLI's Parquet export's too) exported through the Arrow
//! PyCapsule interface (`__arrow_c_schema__`, `__arrow_c_array__`,
//! `__arrow_c_stream__`) so that pyarrow, polars, pandas (through pyarrow) and DuckDB
//! read it without a copy; cells become Python values only when a column is indexed,
//! and a table is written as Parquet here, without pyarrow.

use std::collections::HashMap;
use std::ffi::CStr;
use std::fs::File;
use std::io::BufWriter;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};
use kinerja_columnar::arrow_array::cast::AsArray;
use kinerja_columnar::arrow_array::ffi::{FFI_ArrowArray, FFI_ArrowSchema};
use kinerja_columnar::arrow_array::ffi_stream::FFI_ArrowArrayStream;
use kinerja_columnar::arrow_array::types::{
    Date32Type, Decimal128Type, Float64Type, Int64Type, Time64MicrosecondType, TimestampMicrosecondType,
};
use kinerja_columnar::arrow_array::{Array, ArrayRef, NullArray, RecordBatch, RecordBatchIterator, StructArray};
use kinerja_columnar::arrow_schema::{DataType, TimeUnit};
use kinerja_columnar::{Cell, ColumnarError, MONEY_SCALE, TableBuilder as Builder, is_money};
use pyo3::BoundObject;
use pyo3::exceptions::{PyKeyError, PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyCapsule, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyString, PyTime, PyType};
use rust_decimal::Decimal;

use crate::convert::exact_decimal;

const SCHEMA_NAME: &CStr = c"arrow_schema";
const ARRAY_NAME: &CStr = c"arrow_array";
const STREAM_NAME: &CStr = c"arrow_array_stream";

/// A columnar error as a Python exception: a value that does not fit its column is a
/// `ValueError`, a Parquet file that cannot be written an `OSError`.
pub fn columnar_err(e: ColumnarError) -> PyErr {
    match e {
        ColumnarError::Parquet(e) => PyOSError::new_err(format!("cannot write the Parquet file: {e}")),
        ColumnarError::NotMoney(_) | ColumnarError::Value { .. } => PyValueError::new_err(e.to_string()),
        e => PyTypeError::new_err(e.to_string()),
    }
}

/// An Arrow record batch behind a `kinerja.Table` (immutable).
#[pyclass(frozen, module = "kinerja._kinerja", name = "_NativeTable")]
pub struct PyNativeTable {
    batch: RecordBatch,
}

impl PyNativeTable {
    /// Wraps a record batch.
    pub fn new(batch: RecordBatch) -> Self {
        PyNativeTable { batch }
    }

    fn index(&self, name: &str) -> PyResult<usize> {
        self.batch.schema().index_of(name).map_err(|_| PyKeyError::new_err(name.to_string()))
    }
}

#[pymethods]
impl PyNativeTable {
    /// The number of rows.
    #[getter]
    fn num_rows(&self) -> usize {
        self.batch.num_rows()
    }

    /// The column names, in order.
    #[getter]
    fn column_names(&self) -> Vec<String> {
        self.batch.schema().fields().iter().map(|f| f.name().clone()).collect()
    }

    /// The money columns (field metadata `kinerja.money`), in order.
    #[getter]
    fn money_columns(&self) -> Vec<String> {
        self.batch.schema().fields().iter().filter(|f| is_money(f)).map(|f| f.name().clone()).collect()
    }

    /// The Arrow type of each column as text (`decimal128(38, 2)`, `int64`, ...).
    fn schema_types(&self) -> Vec<(String, String, bool)> {
        self.batch
            .schema()
            .fields()
            .iter()
            .map(|f| (f.name().clone(), type_name(f.data_type()), f.is_nullable()))
            .collect()
    }

    /// One column as a list of Python values.
    fn column<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyList>> {
        let i = self.index(name)?;
        to_python(py, self.batch.column(i))
    }

    /// Whether both hold the same schema and values.
    fn equals(&self, other: &PyNativeTable) -> bool {
        self.batch == other.batch
    }

    /// The schema as an `arrow_schema` PyCapsule (a struct type, one child per column).
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        let schema = FFI_ArrowSchema::try_from(self.batch.schema().as_ref())
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        PyCapsule::new_with_value(py, schema, SCHEMA_NAME)
    }

    /// The table as one struct array: `(arrow_schema, arrow_array)` PyCapsules. The
    /// requested schema, if any, is ignored (the interface allows it).
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_array__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<(Bound<'py, PyCapsule>, Bound<'py, PyCapsule>)> {
        let _ = requested_schema;
        let array = StructArray::from(self.batch.clone());
        let data = array.to_data();
        let schema = FFI_ArrowSchema::try_from(data.data_type()).map_err(|e| PyValueError::new_err(e.to_string()))?;
        let array = FFI_ArrowArray::new(&data);
        Ok((PyCapsule::new_with_value(py, schema, SCHEMA_NAME)?, PyCapsule::new_with_value(py, array, ARRAY_NAME)?))
    }

    /// The table as an `arrow_array_stream` PyCapsule of one record batch: what
    /// `pyarrow.table(t)`, `polars.DataFrame(t)` and DuckDB read. The requested schema,
    /// if any, is ignored (the interface allows it).
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let reader = RecordBatchIterator::new(vec![Ok(self.batch.clone())], self.batch.schema());
        let stream = FFI_ArrowArrayStream::new(Box::new(reader));
        PyCapsule::new_with_value(py, stream, STREAM_NAME)
    }

    /// Writes the table as a Parquet file at `path` (replaced if it exists).
    fn to_parquet(&self, py: Python<'_>, path: std::path::PathBuf) -> PyResult<()> {
        let batch = &self.batch;
        py.detach(|| {
            let file =
                File::create(&path).map_err(|e| PyOSError::new_err(format!("cannot write {}: {e}", path.display())))?;
            let w = kinerja_columnar::write_parquet(batch, BufWriter::new(file)).map_err(columnar_err)?;
            w.into_inner()
                .map_err(|e| PyOSError::new_err(format!("cannot write {}: {}", path.display(), e.error())))?
                .sync_all()
                .map_err(|e| PyOSError::new_err(format!("cannot write {}: {e}", path.display())))
        })
    }

    fn __repr__(&self) -> String {
        format!("<_NativeTable {} rows x {} columns>", self.batch.num_rows(), self.batch.num_columns())
    }
}

fn type_name(t: &DataType) -> String {
    match t {
        DataType::Utf8 => "string".into(),
        DataType::Int64 => "int64".into(),
        DataType::Boolean => "bool".into(),
        DataType::Float64 => "double".into(),
        DataType::Date32 => "date32".into(),
        DataType::Time64(TimeUnit::Microsecond) => "time64[us]".into(),
        DataType::Timestamp(TimeUnit::Microsecond, None) => "timestamp[us]".into(),
        DataType::Decimal128(p, s) => format!("decimal128({p}, {s})"),
        DataType::Null => "null".into(),
        other => other.to_string(),
    }
}

fn decimal_class(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    DECIMAL.import(py, "decimal", "Decimal")
}

/// The integer `v` of a decimal column of `scale` places as text without trailing
/// zeros after the point (`650000000` at scale 2 -> `6500000`, `150` -> `1.5`).
fn decimal_text(v: i128, scale: i8) -> String {
    let (mut v, mut scale) = (v, scale.max(0) as u32);
    while scale > 0 && v % 10 == 0 {
        v /= 10;
        scale -= 1;
    }
    if scale == 0 {
        return v.to_string();
    }
    let digits = v.unsigned_abs().to_string();
    let s = scale as usize;
    let padded = if digits.len() <= s { format!("{}{digits}", "0".repeat(s + 1 - digits.len())) } else { digits };
    let (int, frac) = padded.split_at(padded.len() - s);
    format!("{}{int}.{frac}", if v < 0 { "-" } else { "" })
}

/// One Arrow array as a list of Python values (equal decimals and dates share one
/// Python object).
fn to_python<'py>(py: Python<'py>, a: &ArrayRef) -> PyResult<Bound<'py, PyList>> {
    let n = a.len();
    let cells: Vec<Bound<'py, PyAny>> = match a.data_type() {
        DataType::Utf8 => {
            let s = a.as_string::<i32>();
            (0..n).map(|i| opt(py, s.is_valid(i).then(|| PyString::new(py, s.value(i)).into_any()))).collect()
        }
        DataType::Int64 => {
            let x = a.as_primitive::<Int64Type>();
            (0..n).map(|i| to_obj(py, x.is_valid(i).then(|| x.value(i)))).collect::<PyResult<_>>()?
        }
        DataType::Float64 => {
            let x = a.as_primitive::<Float64Type>();
            (0..n).map(|i| to_obj(py, x.is_valid(i).then(|| x.value(i)))).collect::<PyResult<_>>()?
        }
        DataType::Boolean => {
            let x = a.as_boolean();
            (0..n).map(|i| to_obj(py, x.is_valid(i).then(|| x.value(i)))).collect::<PyResult<_>>()?
        }
        DataType::Decimal128(_, scale) => {
            let x = a.as_primitive::<Decimal128Type>();
            let cls = decimal_class(py)?;
            let mut cache: HashMap<i128, Bound<'py, PyAny>> = HashMap::new();
            let mut out = Vec::with_capacity(n);
            for i in 0..n {
                if x.is_null(i) {
                    out.push(py.None().into_bound(py));
                    continue;
                }
                let v = x.value(i);
                let ob = match cache.get(&v) {
                    Some(o) => o.clone(),
                    None => {
                        let o = cls.call1((decimal_text(v, *scale),))?;
                        cache.insert(v, o.clone());
                        o
                    }
                };
                out.push(ob);
            }
            out
        }
        DataType::Date32 => {
            let x = a.as_primitive::<Date32Type>();
            let mut cache: HashMap<i32, Bound<'py, PyAny>> = HashMap::new();
            let mut out = Vec::with_capacity(n);
            for i in 0..n {
                if x.is_null(i) {
                    out.push(py.None().into_bound(py));
                    continue;
                }
                let v = x.value(i);
                let ob = match cache.get(&v) {
                    Some(o) => o.clone(),
                    None => {
                        let d = NaiveDate::default() + chrono::Duration::days(i64::from(v));
                        let o = d.into_pyobject(py)?.into_any();
                        cache.insert(v, o.clone());
                        o
                    }
                };
                out.push(ob);
            }
            out
        }
        DataType::Time64(TimeUnit::Microsecond) => {
            let x = a.as_primitive::<Time64MicrosecondType>();
            (0..n)
                .map(|i| {
                    let t = x.is_valid(i).then(|| x.value(i)).and_then(|us| {
                        NaiveTime::from_num_seconds_from_midnight_opt(
                            u32::try_from(us / 1_000_000).ok()?,
                            u32::try_from(us % 1_000_000).ok()? * 1_000,
                        )
                    });
                    to_obj(py, t)
                })
                .collect::<PyResult<_>>()?
        }
        DataType::Timestamp(TimeUnit::Microsecond, None) => {
            let x = a.as_primitive::<TimestampMicrosecondType>();
            (0..n)
                .map(|i| {
                    let t = x
                        .is_valid(i)
                        .then(|| x.value(i))
                        .and_then(DateTime::from_timestamp_micros)
                        .map(|d| d.naive_utc());
                    to_obj(py, t)
                })
                .collect::<PyResult<_>>()?
        }
        DataType::Null => (0..n).map(|_| py.None().into_bound(py)).collect(),
        other => return Err(PyTypeError::new_err(format!("no Python conversion for the Arrow type {other}"))),
    };
    PyList::new(py, cells)
}

fn opt<'py>(py: Python<'py>, v: Option<Bound<'py, PyAny>>) -> Bound<'py, PyAny> {
    v.unwrap_or_else(|| py.None().into_bound(py))
}

fn to_obj<'py, T: IntoPyObject<'py>>(py: Python<'py>, v: Option<T>) -> PyResult<Bound<'py, PyAny>> {
    match v {
        Some(x) => Ok(x.into_pyobject(py).map_err(Into::into)?.into_any().into_bound()),
        None => Ok(py.None().into_bound(py)),
    }
}

// --- tables made in Python ---------------------------------------------------------

/// A value kind of a column made in Python.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Bool,
    Int,
    Float,
    Str,
    Decimal,
    DateTime,
    Date,
    Time,
}

fn kind_of(ob: &Bound<'_, PyAny>) -> PyResult<Kind> {
    Ok(if ob.is_instance_of::<PyBool>() {
        Kind::Bool
    } else if ob.is_instance_of::<PyInt>() {
        Kind::Int
    } else if ob.is_instance_of::<PyFloat>() {
        Kind::Float
    } else if ob.is_instance_of::<PyString>() {
        Kind::Str
    } else if ob.is_instance_of::<PyDateTime>() {
        Kind::DateTime
    } else if ob.is_instance_of::<PyDate>() {
        Kind::Date
    } else if ob.is_instance_of::<PyTime>() {
        Kind::Time
    } else if ob.is_instance(decimal_class(ob.py())?)? {
        Kind::Decimal
    } else {
        // Enum members of kinerja are str enums (caught above); anything else is text.
        let t = ob.get_type().name()?;
        return Err(PyTypeError::new_err(format!("a Table cell of type {t} has no Arrow column type")));
    })
}

fn extract_all<'py, T: FromPyObjectOwned<'py>>(values: &[Bound<'py, PyAny>]) -> PyResult<Vec<Option<T>>> {
    values.iter().map(|v| if v.is_none() { Ok(None) } else { v.extract::<T>().map(Some).map_err(Into::into) }).collect()
}

fn push<T>(b: &mut Builder, name: &str, values: Vec<Option<T>>) -> PyResult<()>
where
    Option<T>: Cell,
{
    b.col(name, values).map_err(columnar_err)
}

/// Builds the native table of a `kinerja.Table` made in Python from its columns
/// (`dict[str, list]`): each column's type from its values (`bool`, `int` -> int64,
/// `float`, `str`, `Decimal` -> decimal128(38, 28), or decimal128(38, 2) for the
/// `money` columns, `datetime`, `date`, `time`; a column of only `None` is of the null
/// type). Mixed types in one column are a `TypeError`.
#[pyfunction]
pub fn _table_from_columns(columns: &Bound<'_, PyDict>, money: Vec<String>) -> PyResult<PyNativeTable> {
    let mut b = Builder::new();
    for (name, values) in columns.iter() {
        let name: String = name.extract()?;
        let values: Vec<Bound<'_, PyAny>> = values.extract()?;
        let mut kind: Option<Kind> = None;
        for v in values.iter().filter(|v| !v.is_none()) {
            let k = kind_of(v)?;
            match kind {
                None => kind = Some(k),
                Some(x) if x == k => {}
                Some(x) => {
                    return Err(PyTypeError::new_err(format!(
                        "column `{name}` mixes {x:?} and {k:?} values; a Table column holds one type"
                    )));
                }
            }
        }
        let is_money = money.contains(&name);
        match kind {
            None if is_money => push::<kinerja::Money>(&mut b, &name, vec![None; values.len()])?,
            None => b.push(&name, Arc::new(NullArray::new(values.len())), true, false).map_err(columnar_err)?,
            Some(Kind::Bool) => push(&mut b, &name, extract_all::<bool>(&values)?)?,
            Some(Kind::Int) if is_money => push(
                &mut b,
                &name,
                values
                    .iter()
                    .map(|v| (!v.is_none()).then(|| exact_decimal(v, &name).map(kinerja::Money::new)).transpose())
                    .collect::<PyResult<_>>()?,
            )?,
            Some(Kind::Int) => push(&mut b, &name, extract_all::<i64>(&values)?)?,
            Some(Kind::Float) => push(&mut b, &name, extract_all::<f64>(&values)?)?,
            Some(Kind::Str) => push(&mut b, &name, extract_all::<String>(&values)?)?,
            Some(Kind::Decimal) => {
                let ds: Vec<Option<Decimal>> = values
                    .iter()
                    .map(|v| (!v.is_none()).then(|| exact_decimal(v, &name)).transpose())
                    .collect::<PyResult<_>>()?;
                if is_money {
                    push(&mut b, &name, ds.into_iter().map(|d| d.map(kinerja::Money::new)).collect())?
                } else {
                    push(&mut b, &name, ds)?
                }
            }
            Some(Kind::DateTime) => push(&mut b, &name, extract_all::<NaiveDateTime>(&values)?)?,
            Some(Kind::Date) => push(&mut b, &name, extract_all::<NaiveDate>(&values)?)?,
            Some(Kind::Time) => push(&mut b, &name, extract_all::<NaiveTime>(&values)?)?,
        }
        if is_money && !matches!(kind, None | Some(Kind::Int) | Some(Kind::Decimal)) {
            return Err(PyValueError::new_err(format!(
                "money column `{name}` holds non-decimal values (money is decimal.Decimal or int, scale <= {MONEY_SCALE})"
            )));
        }
    }
    Ok(PyNativeTable::new(b.finish().map_err(columnar_err)?))
}

// --- tables built by the bindings -------------------------------------------------

/// Builds a `kinerja.Table` from the bindings' results: one Arrow column at a time.
pub struct TableBuilder<'py> {
    py: Python<'py>,
    inner: Builder,
}

impl<'py> TableBuilder<'py> {
    /// An empty table.
    pub fn new(py: Python<'py>) -> Self {
        TableBuilder { py, inner: Builder::new() }
    }

    /// Adds a column of values (a `Money` column is a money column).
    pub fn col<T: Cell, I: IntoIterator<Item = T>>(&mut self, name: &str, values: I) -> PyResult<()> {
        self.inner.col(name, values).map_err(columnar_err)
    }

    /// Adds a column of `convert`ed values (kept for the call sites that shared one
    /// Python object per distinct value; Arrow columns need no sharing).
    pub fn col_shared<K, T: Cell, I: IntoIterator<Item = K>>(
        &mut self,
        name: &str,
        values: I,
        convert: impl Fn(&K) -> T,
    ) -> PyResult<()> {
        self.col(name, values.into_iter().map(|k| convert(&k)))
    }

    /// The `kinerja.Table`.
    pub fn finish(self) -> PyResult<Bound<'py, PyAny>> {
        wrap(self.py, self.inner.finish().map_err(columnar_err)?)
    }
}

/// A record batch as a `kinerja.Table`.
pub fn wrap(py: Python<'_>, batch: RecordBatch) -> PyResult<Bound<'_, PyAny>> {
    static TABLE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    let cls = TABLE.import(py, "kinerja._table", "Table")?;
    cls.call_method1("_from_native", (PyNativeTable::new(batch),))
}

#[cfg(test)]
mod tests {
    use super::decimal_text;

    #[test]
    fn decimal_text_strips_trailing_zeros_only_after_the_point() {
        // 650000000 at scale 2 is 6,500,000.00 rupiah -> "6500000".
        assert_eq!(decimal_text(650_000_000, 2), "6500000");
        // 150 at scale 2 is 1.50 -> "1.5"; -5 at scale 2 is -0.05.
        assert_eq!(decimal_text(150, 2), "1.5");
        assert_eq!(decimal_text(-5, 2), "-0.05");
        assert_eq!(decimal_text(-1_234_567, 2), "-12345.67");
        assert_eq!(decimal_text(0, 18), "0");
    }
}
