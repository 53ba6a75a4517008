//! Conversions between Python values and the core's types.
//!
//! Only conversions live here: dates, times and datetimes map to `datetime`
//! objects, exact decimals to `decimal.Decimal` (floats are refused, never
//! converted), enums to the `str` enums of `kinerja._types`, records to its frozen
//! dataclasses, and batch results to `kinerja.Table` columns.

use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use kinerja::calendar::{DayInfo, DayKind, DaySchedule, Holiday};
use kinerja::org::Nip;
use kinerja::policy::{Provenance, Value};
use kinerja::{ArithmeticError, Problem, YearMonth};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyString, PyTime, PyTuple, PyType};
use rust_decimal::Decimal;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::errors::{KErr, err};

/// The class `name` of `kinerja._types`, imported once.
macro_rules! pytype {
    ($py:expr, $name:literal) => {{
        static CELL: ::pyo3::sync::PyOnceLock<::pyo3::Py<::pyo3::types::PyType>> = ::pyo3::sync::PyOnceLock::new();
        CELL.import($py, "kinerja._types", $name)
    }};
}
pub(crate) use pytype;

/// Builds a `kinerja._types` record from keyword arguments.
macro_rules! record {
    ($py:expr, $name:literal, { $($key:ident : $value:expr),* $(,)? }) => {{
        let py = $py;
        let kwargs = ::pyo3::types::PyDict::new(py);
        $( ::pyo3::types::PyDictMethods::set_item(&kwargs, ::pyo3::intern!(py, stringify!($key)), $value)?; )*
        ::pyo3::types::PyAnyMethods::call($crate::convert::pytype!(py, $name)?.as_any(), (), Some(&kwargs))
    }};
}
pub(crate) use record;

/// A member of a `kinerja._types` enum, by value.
macro_rules! member {
    ($py:expr, $name:literal, $value:expr) => {{
        let py = $py;
        ::pyo3::types::PyAnyMethods::call1($crate::convert::pytype!(py, $name)?.as_any(), ($value,))
    }};
}
pub(crate) use member;

/// The serde text of a unit-like enum of the core (its stable snake_case name).
pub fn text<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// Reads an enum of the core from its stable text.
pub fn parse_enum<T: DeserializeOwned>(value: &str, what: &str) -> PyResult<T> {
    serde_json::from_value(serde_json::Value::String(value.to_string())).map_err(|_| {
        err(KErr::new("ValidationError", format!("{what}: `{value}` is not a valid value"), "invalid_value")
            .at("", "", what))
    })
}

/// A NIP given as text for the parameter `field`.
pub fn nip(text: &str, field: &str) -> PyResult<Nip> {
    Nip::parse(text).map_err(|e| {
        let mut k = KErr::from(e);
        k.field = Some(field.to_string());
        err(k)
    })
}

/// An actor given as text: a NIP, `official:ID` or `device:ID`. A malformed text
/// without a `kind:` prefix is reported as the malformed NIP it is meant to be
/// (the NIP's own code, e.g. `nip_wrong_length`); otherwise `invalid_actor`.
pub fn actor_id(text: &str, field: &str) -> PyResult<kinerja::access::ActorId> {
    text.parse::<kinerja::access::ActorId>().or_else(|message| {
        if !text.contains(':') {
            return nip(text, field).map(kinerja::access::ActorId::Employee);
        }
        let k = KErr::new("ValidationError", format!("field `{field}`: {message}"), "invalid_actor");
        Err(err(k.at("actor", text, field)))
    })
}

/// A month given as `"YYYY-MM"`.
pub fn month(text: &str) -> PyResult<YearMonth> {
    YearMonth::from_str(text).map_err(err)
}

/// A `datetime.date` argument that is not a `datetime.datetime` (a datetime would
/// silently lose its time).
#[derive(Clone, Copy, Debug)]
pub struct Date(pub NaiveDate);

impl FromPyObject<'_, '_> for Date {
    type Error = PyErr;

    fn extract(ob: Borrowed<'_, '_, PyAny>) -> Result<Self, Self::Error> {
        if ob.is_instance_of::<PyDateTime>() {
            return Err(err(KErr::conversion(
                "expected a datetime.date, got a datetime.datetime (pass its .date() to drop the time)",
            )));
        }
        if !ob.is_instance_of::<PyDate>() {
            return Err(err(KErr::conversion(format!(
                "expected a datetime.date, got {}",
                ob.get_type().name().map(|n| n.to_string()).unwrap_or_default()
            ))));
        }
        Ok(Date(ob.extract::<NaiveDate>()?))
    }
}

/// An exact decimal from a `decimal.Decimal` or an `int`; floats are refused
/// (`kinerja.FloatRefused`), and decimals that do not fit exactly are refused too.
pub fn exact_decimal(ob: &Bound<'_, PyAny>, what: &str) -> PyResult<Decimal> {
    let py = ob.py();
    if ob.is_instance_of::<PyFloat>() {
        return Err(err(KErr::float(what)));
    }
    if ob.is_instance_of::<PyBool>() {
        return Err(err(KErr::conversion(format!("{what}: expected a decimal.Decimal or an int, got a bool"))));
    }
    if ob.is_instance_of::<PyInt>() {
        let text = ob.str()?.to_string();
        return Decimal::from_str_exact(&text).map_err(|_| err(ArithmeticError::NotADecimal { text }));
    }
    static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    let decimal = DECIMAL.import(py, "decimal", "Decimal")?;
    if ob.is_instance(decimal)? {
        if !ob.call_method0("is_finite")?.extract::<bool>()? {
            let text = ob.str()?.to_string();
            return Err(err(ArithmeticError::NotADecimal { text }));
        }
        // Plain notation ("1E+3" -> "1000"), then an exact parse: never rounded.
        let text: String = py.import("builtins")?.call_method1("format", (ob, "f"))?.extract()?;
        return Decimal::from_str_exact(&text).map_err(|_| err(ArithmeticError::NotADecimal { text }));
    }
    Err(err(KErr::conversion(format!(
        "{what}: expected a decimal.Decimal or an int, got {}",
        ob.get_type().name().map(|n| n.to_string()).unwrap_or_default()
    ))))
}

/// A time as `HH:MM:SS` (with a fraction when it has one), as the core's files write it.
fn time_text(t: NaiveTime) -> String {
    if t.nanosecond() == 0 { t.format("%H:%M:%S").to_string() } else { t.format("%H:%M:%S%.f").to_string() }
}

/// The most values (scalars, lists and dicts) one conversion reads: far more than a
/// city's dataset holds (Banda Aceh's 5,925 employees are about 0.7 million), so that a
/// runaway object is refused before it is copied.
pub const MAX_VALUES: usize = 20_000_000;

/// A Python value (from `City.from_dict`) as JSON, refusing floats. `path` names
/// where the value sits, for messages.
///
/// Bounded like the core's dataset reader: nesting deeper than
/// [`kinerja::dataset::MAX_DEPTH`] (code `too_deep`), a list or dict that contains
/// itself (code `cyclic_value`) or more than [`MAX_VALUES`] values (code `too_large`)
/// raise `kinerja.ValidationError` naming the path, never a crash of the interpreter.
pub fn to_json(ob: &Bound<'_, PyAny>, path: &mut String) -> PyResult<serde_json::Value> {
    let mut walk = Walk { containers: Vec::new(), values: 0 };
    walk.value(ob, path)
}

/// The state of one [`to_json`] conversion: the lists and dicts open on the current
/// path (by identity) and the number of values read.
struct Walk {
    containers: Vec<usize>,
    values: usize,
}

fn bounded(message: String, code: &str, path: &str) -> PyErr {
    let at = if path.is_empty() { "the value" } else { path };
    err(KErr::new("ValidationError", format!("{at}: {message}"), code).at("", "", path))
}

impl Walk {
    /// Enters a list or dict: refuses a cycle and too deep a nesting.
    fn enter(&mut self, ob: &Bound<'_, PyAny>, path: &str) -> PyResult<()> {
        let id = ob.as_ptr() as usize;
        if self.containers.contains(&id) {
            return Err(bounded(
                "the value contains itself (a cyclic list or dict cannot be converted)".into(),
                "cyclic_value",
                path,
            ));
        }
        if self.containers.len() >= kinerja::dataset::MAX_DEPTH {
            return Err(bounded(
                format!("lists and dicts are nested more than {} levels deep", kinerja::dataset::MAX_DEPTH),
                "too_deep",
                path,
            ));
        }
        self.containers.push(id);
        Ok(())
    }

    fn value(&mut self, ob: &Bound<'_, PyAny>, path: &mut String) -> PyResult<serde_json::Value> {
        use serde_json::Value as J;
        self.values += 1;
        if self.values > MAX_VALUES {
            return Err(bounded(format!("more than {MAX_VALUES} values to convert"), "too_large", path));
        }
        if ob.is_none() {
            return Ok(J::Null);
        }
        if ob.is_instance_of::<PyBool>() {
            return Ok(J::Bool(ob.extract()?));
        }
        if ob.is_instance_of::<PyInt>() {
            if let Ok(i) = ob.extract::<i64>() {
                return Ok(J::from(i));
            }
            if let Ok(u) = ob.extract::<u64>() {
                return Ok(J::from(u));
            }
            return Err(err(
                KErr::new("ArithmeticError", format!("{path}: integer out of range"), "arithmetic").at("", "", path)
            ));
        }
        if ob.is_instance_of::<PyFloat>() {
            return Err(err(KErr::float(path)));
        }
        if let Ok(s) = ob.cast::<PyString>() {
            return Ok(J::String(s.to_cow()?.into_owned()));
        }
        if ob.is_instance_of::<PyDateTime>() {
            let dt: NaiveDateTime = ob.extract()?;
            return Ok(J::String(format!("{}T{}", dt.date(), time_text(dt.time()))));
        }
        if ob.is_instance_of::<PyDate>() {
            let d: NaiveDate = ob.extract()?;
            return Ok(J::String(d.to_string()));
        }
        if ob.is_instance_of::<PyTime>() {
            let t: NaiveTime = ob.extract()?;
            return Ok(J::String(time_text(t)));
        }
        if let Ok(d) = ob.cast::<PyDict>() {
            self.enter(ob, path)?;
            let mut map = serde_json::Map::with_capacity(d.len());
            for (k, v) in d.iter() {
                let key: String = k.extract().map_err(|_| {
                    err(KErr::conversion(format!("{path}: dictionary keys must be strings")).at("", "", path))
                })?;
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&key);
                let value = self.value(&v, path)?;
                path.truncate(len);
                map.insert(key, value);
            }
            self.containers.pop();
            return Ok(J::Object(map));
        }
        if ob.is_instance_of::<PyList>() || ob.is_instance_of::<PyTuple>() {
            self.enter(ob, path)?;
            let mut items = Vec::new();
            for (i, v) in ob.try_iter()?.enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                items.push(self.value(&v?, path)?);
                path.truncate(len);
            }
            self.containers.pop();
            return Ok(J::Array(items));
        }
        static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
        if ob.is_instance(DECIMAL.import(ob.py(), "decimal", "Decimal")?)? {
            return Ok(J::String(exact_decimal(ob, path)?.to_string()));
        }
        let at = if path.is_empty() { "dataset" } else { path.as_str() };
        Err(err(KErr::conversion(format!(
            "{at}: a value of type {} cannot be part of a dataset (use str, int, Decimal, bool, None, \
             date, time, datetime, list or dict)",
            ob.get_type().name().map(|n| n.to_string()).unwrap_or_default()
        ))
        .at("", "", path)))
    }
}

/// Reads a whole text file, refusing one longer than `limit` bytes before reading it
/// (`kinerja.ValidationError`, code `too_large`); other failures are `OSError`s.
pub fn read_bounded(path: &std::path::Path, limit: usize) -> PyResult<String> {
    let len = std::fs::metadata(path)?.len();
    if len > limit as u64 {
        let shown = path.display().to_string();
        return Err(err(KErr::new(
            "ValidationError",
            format!("{shown} is {len} bytes long; at most {limit} bytes are read"),
            "too_large",
        )
        .at("file", &shown, "")));
    }
    Ok(std::fs::read_to_string(path)?)
}

/// Raises a plain `TypeError` (for misuse of the bindings' own arguments).
pub fn type_error(message: impl Into<String>) -> PyErr {
    PyTypeError::new_err(message.into())
}

// --- records -----------------------------------------------------------------------

/// A `kinerja.Problem`.
pub fn problem<'py>(py: Python<'py>, p: &Problem) -> PyResult<Bound<'py, PyAny>> {
    record!(py, "Problem", { record: &p.record, id: &p.id, field: &p.field, code: &p.code, message: &p.message })
}

/// A `kinerja.Provenance`.
pub fn provenance<'py>(py: Python<'py>, p: &Provenance) -> PyResult<Bound<'py, PyAny>> {
    record!(py, "Provenance", {
        key: &p.key,
        layer: &p.layer,
        source: &p.source,
        effective_from: p.from,
        effective_until: p.until,
        reference: &p.reference,
    })
}

/// A tuple of `kinerja.Provenance`.
pub fn provenances<'py>(py: Python<'py>, list: &[Provenance]) -> PyResult<Bound<'py, PyTuple>> {
    let items = list.iter().map(|p| provenance(py, p)).collect::<PyResult<Vec<_>>>()?;
    PyTuple::new(py, items)
}

/// A policy value as a Python value.
pub fn policy_value<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Int(i) => i.into_pyobject(py)?.into_any(),
        Value::Decimal(d) => d.into_pyobject(py)?,
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Text(s) => PyString::new(py, s).into_any(),
        Value::Time(t) => t.into_pyobject(py)?.into_any(),
        Value::List(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(policy_value(py, item)?)?;
            }
            list.into_any()
        }
        Value::Table(map) => {
            let dict = PyDict::new(py);
            for (k, item) in map {
                dict.set_item(k, policy_value(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// A `kinerja.DaySchedule`.
pub fn schedule<'py>(py: Python<'py>, s: &DaySchedule) -> PyResult<Bound<'py, PyAny>> {
    record!(py, "DaySchedule", {
        start: s.start,
        end: s.end,
        rest_minutes: s.rest_minutes.get(),
        effective_minutes: s.effective_minutes().get(),
    })
}

/// A `kinerja.Holiday`.
pub fn holiday<'py>(py: Python<'py>, h: &Holiday) -> PyResult<Bound<'py, PyAny>> {
    record!(py, "Holiday", {
        date: h.date,
        kind: member!(py, "HolidayKind", text(&h.kind))?,
        name: &h.name,
        reference: &h.reference,
    })
}

/// A `kinerja.DayInfo`.
pub fn day_info<'py>(py: Python<'py>, d: &DayInfo<'_>) -> PyResult<Bound<'py, PyAny>> {
    let (kind, holiday_kind) = match d.kind {
        DayKind::Working => ("working", None),
        DayKind::Weekend => ("weekend", None),
        DayKind::Holiday(k) => ("holiday", Some(member!(py, "HolidayKind", text(&k))?)),
    };
    record!(py, "DayInfo", {
        date: d.date,
        kind: member!(py, "DayKind", kind)?,
        holiday_kind: holiday_kind,
        schedule: d.schedule.map(|s| schedule(py, s)).transpose()?,
        holiday: d.holiday.map(|h| holiday(py, h)).transpose()?,
        period: d.period.map(|p| p.name.as_str()),
        cancelled: d.cancelled.is_some(),
    })
}
