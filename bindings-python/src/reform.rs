//! Policy reforms in Python: `Policy.reform()` -> `kinerja.PolicyReform`, and
//! `Policy.compare(other)` (which keys differ, and from when).
//!
//! A reform is written out as the TOML layer a city would file (`PolicyReform.to_toml()`)
//! and read back by the core's own loader (`PolicyLayer::from_toml`), so it is checked
//! by exactly the rules a policy file is (known key, value of the catalogued kind and
//! range, a legal reference, ordered timelines), reports its problems the same way, and
//! gives the same policy as the file would.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};
use kinerja::policy::{self, Policy, PolicyLayer};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyString, PyTime, PyTuple};

use crate::convert::{exact_decimal, policy_value, record, type_error};
use crate::errors::{KErr, err, guard};
use crate::policy::{PyPolicy, PyPolicyLayer};

/// How deep a reform's value may nest (lists and dicts): the catalogue's structured
/// values are two or three levels deep.
const MAX_VALUE_DEPTH: usize = 16;

/// A date argument: a `datetime.date` or its ISO text `"2027-01-01"`.
fn date_arg(ob: &Bound<'_, PyAny>, what: &str) -> PyResult<NaiveDate> {
    if let Ok(s) = ob.cast::<PyString>() {
        let text = s.to_cow()?;
        return NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|_| {
            err(KErr::conversion(format!("{what}: `{text}` is not a date written YYYY-MM-DD")).at("", "", what))
        });
    }
    if ob.is_instance_of::<PyDateTime>() || !ob.is_instance_of::<PyDate>() {
        return Err(err(KErr::conversion(format!(
            "{what}: expected a datetime.date or a text YYYY-MM-DD, got {}",
            ob.get_type().name().map(|n| n.to_string()).unwrap_or_default()
        ))
        .at("", "", what)));
    }
    ob.extract::<NaiveDate>()
}

fn toml_date(d: NaiveDate) -> toml::value::Datetime {
    toml::value::Datetime {
        date: Some(toml::value::Date { year: d.year() as u16, month: d.month() as u8, day: d.day() as u8 }),
        time: None,
        offset: None,
    }
}

fn toml_time(t: NaiveTime) -> toml::value::Datetime {
    toml::value::Datetime {
        date: None,
        time: Some(toml::value::Time {
            hour: t.hour() as u8,
            minute: t.minute() as u8,
            second: t.second() as u8,
            nanosecond: t.nanosecond(),
        }),
        offset: None,
    }
}

/// A Python value as the TOML a policy file would hold: `int` and `bool` as they are,
/// `decimal.Decimal` as its exact text (`"0.90"`, as policy files quote decimals), `str`,
/// `datetime.time` as a TOML local time, `datetime.date` as a TOML date, lists and
/// dicts (string keys) nested. Floats raise `kinerja.FloatRefused`; `None` and other
/// types `kinerja.TypeConversionError`. What the value means is the core's to check.
fn toml_value(ob: &Bound<'_, PyAny>, path: &str, depth: usize) -> PyResult<toml::Value> {
    if depth > MAX_VALUE_DEPTH {
        return Err(err(KErr::conversion(format!("{path}: nested more than {MAX_VALUE_DEPTH} levels deep"))));
    }
    if ob.is_instance_of::<PyBool>() {
        return Ok(toml::Value::Boolean(ob.extract()?));
    }
    if ob.is_instance_of::<PyInt>() {
        return ob
            .extract::<i64>()
            .map(toml::Value::Integer)
            .map_err(|_| err(KErr::new("ArithmeticError", format!("{path}: integer out of range"), "arithmetic")));
    }
    if ob.is_instance_of::<PyFloat>() {
        return Err(err(KErr::float(path)));
    }
    if let Ok(s) = ob.cast::<PyString>() {
        return Ok(toml::Value::String(s.to_cow()?.into_owned()));
    }
    if ob.is_instance_of::<PyDateTime>() {
        return Err(err(KErr::conversion(format!(
            "{path}: a policy value is not a datetime.datetime (a date or a time of day)"
        ))));
    }
    if ob.is_instance_of::<PyDate>() {
        return Ok(toml::Value::Datetime(toml_date(ob.extract()?)));
    }
    if ob.is_instance_of::<PyTime>() {
        return Ok(toml::Value::Datetime(toml_time(ob.extract()?)));
    }
    if let Ok(d) = ob.cast::<PyDict>() {
        let mut table = toml::Table::new();
        for (k, v) in d.iter() {
            let key: String =
                k.extract().map_err(|_| err(KErr::conversion(format!("{path}: dictionary keys must be strings"))))?;
            let value = toml_value(&v, &format!("{path}.{key}"), depth + 1)?;
            table.insert(key, value);
        }
        return Ok(toml::Value::Table(table));
    }
    if ob.is_instance_of::<PyList>() || ob.is_instance_of::<PyTuple>() {
        let mut items = Vec::new();
        for (i, v) in ob.try_iter()?.enumerate() {
            items.push(toml_value(&v?, &format!("{path}[{i}]"), depth + 1)?);
        }
        return Ok(toml::Value::Array(items));
    }
    let py = ob.py();
    if ob.is_instance(&py.import("decimal")?.getattr("Decimal")?)? {
        return Ok(toml::Value::String(exact_decimal(ob, path)?.to_string()));
    }
    Err(err(KErr::conversion(format!(
        "{path}: a value of type {} cannot be a policy value (use int, Decimal, str, bool, time, date, list or dict)",
        ob.get_type().name().map(|n| n.to_string()).unwrap_or_default()
    ))))
}

/// One dated change of a reform: an entry of the key's timeline in the reform's layer.
#[derive(Clone)]
struct Change {
    key: String,
    from: NaiveDate,
    until: Option<NaiveDate>,
    value: toml::Value,
    reference: String,
    note: Option<String>,
    status: Option<String>,
    source: Option<String>,
}

/// A reform of a policy in force: dated changes, each with its legal reference, added
/// as one new layer on top of the policy it starts from.
///
/// Start one with `Policy.reform()`; each `set()` returns a new reform with one more
/// dated change; `build()` gives the reformed `Policy`. The reform is the TOML layer
/// `to_toml()` writes, read by the core's own policy loader: the same checks, the same
/// problems (`kinerja.PolicyError`, code `invalid_policy`, every problem at once) and
/// the same policy as that file layered over the starting policy.
///
/// >>> reformed = (Policy.national()
/// ...     .reform("Perwal 12/2026", source="perwal-12-2026.toml")
/// ...     .set("allowance.weight_performance", "70", effective="2027-01-01", reference="Perwal 12/2026, Pasal 8")
/// ...     .set("allowance.weight_discipline", "30", effective="2027-01-01", reference="Perwal 12/2026, Pasal 8")
/// ...     .build())
#[pyclass(frozen, module = "kinerja", name = "PolicyReform")]
pub struct PyPolicyReform {
    base: Policy,
    name: String,
    description: String,
    source: String,
    changes: Vec<Change>,
}

impl PyPolicyReform {
    /// The layer's TOML text: `[layer]`, then each key's entries in date order.
    fn toml_text(&self) -> PyResult<String> {
        let mut root = toml::Table::new();
        let mut layer = toml::Table::new();
        layer.insert("name".into(), toml::Value::String(self.name.clone()));
        if !self.description.is_empty() {
            layer.insert("description".into(), toml::Value::String(self.description.clone()));
        }
        let mut head = toml::Table::new();
        head.insert("layer".into(), toml::Value::Table(layer));
        let mut changes: Vec<&Change> = self.changes.iter().collect();
        // Stable: two changes of a key on the same day stay in the order given (and the
        // core refuses them as `unordered`).
        changes.sort_by(|a, b| a.key.cmp(&b.key).then(a.from.cmp(&b.from)));
        for c in changes {
            let mut entry = toml::Table::new();
            entry.insert("from".into(), toml::Value::Datetime(toml_date(c.from)));
            if let Some(until) = c.until {
                entry.insert("until".into(), toml::Value::Datetime(toml_date(until)));
            }
            entry.insert("value".into(), c.value.clone());
            entry.insert("ref".into(), toml::Value::String(c.reference.clone()));
            for (field, v) in [("note", &c.note), ("status", &c.status), ("source", &c.source)] {
                if let Some(v) = v {
                    entry.insert(field.into(), toml::Value::String(v.clone()));
                }
            }
            // `a.b.c` is the table `a`, its table `b`, and the array of tables `c`.
            let mut parts: Vec<&str> = c.key.split('.').collect();
            let last = parts.pop().unwrap_or_default();
            let mut table = &mut root;
            for part in parts {
                let slot = table.entry(part.to_string()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
                table = match slot {
                    toml::Value::Table(t) => t,
                    _ => return Err(type_error(format!("`{}`: `{part}` is both a key and a group of keys", c.key))),
                };
            }
            let slot = table.entry(last.to_string()).or_insert_with(|| toml::Value::Array(Vec::new()));
            match slot {
                toml::Value::Array(a) => a.push(toml::Value::Table(entry)),
                _ => return Err(type_error(format!("`{}` is both a key and a group of keys", c.key))),
            }
        }
        // `[layer]` first, as policy files begin (a table's keys are written sorted).
        let text = |t: &toml::Table| {
            toml::to_string(t).map_err(|e| type_error(format!("the reform cannot be written as TOML: {e}")))
        };
        Ok(format!("{}\n{}", text(&head)?, text(&root)?))
    }

    /// The reform's layer, checked by the core's policy loader.
    fn checked_layer(&self) -> PyResult<PolicyLayer> {
        let text = self.toml_text()?;
        guard(|| PolicyLayer::from_toml(&self.source, &text).map_err(err))
    }
}

#[pymethods]
impl PyPolicyReform {
    /// A new reform with one more dated change: `key` takes `value` from `effective`
    /// (a `datetime.date` or `"YYYY-MM-DD"`), set by the legal text `reference`.
    /// `until` ends the change (inclusive; default: open-ended); `note`, `status`
    /// (`verified`, `recalled`, `illustrative`) and `source` (where the value was checked)
    /// are the policy file's entry fields of the same names.
    ///
    /// `value` is written as a policy file holds it: `int`, `decimal.Decimal` or decimal
    /// text (`"70"`, `"0.90"`), `str`, `bool`, `datetime.time`, lists and dicts for
    /// structured keys (as `Policy.resolve(key, day).value` returns them). Floats raise
    /// `kinerja.FloatRefused`. The key and the value are checked by `build()`.
    #[pyo3(signature = (key, value, *, effective, reference, until=None, note=None, status=None, source=None))]
    #[allow(clippy::too_many_arguments)]
    fn set(
        &self,
        key: &str,
        value: &Bound<'_, PyAny>,
        effective: &Bound<'_, PyAny>,
        reference: &str,
        until: Option<&Bound<'_, PyAny>>,
        note: Option<String>,
        status: Option<String>,
        source: Option<String>,
    ) -> PyResult<Self> {
        let change = Change {
            key: key.to_string(),
            from: date_arg(effective, "effective")?,
            until: until.filter(|u| !u.is_none()).map(|u| date_arg(u, "until")).transpose()?,
            value: toml_value(value, key, 0)?,
            reference: reference.to_string(),
            note,
            status,
            source,
        };
        let mut changes = self.changes.clone();
        changes.push(change);
        Ok(PyPolicyReform {
            base: self.base.clone(),
            name: self.name.clone(),
            description: self.description.clone(),
            source: self.source.clone(),
            changes,
        })
    }

    /// The reformed policy: the starting policy with the reform's layer on top.
    ///
    /// Raises `kinerja.PolicyError` (code `invalid_policy`) listing every problem the
    /// core's policy loader finds (an unknown key, a value of the wrong kind or out of
    /// range, an empty reference, overlapping changes of a key, ...), each naming the
    /// key and the entry field (`entries[0].value`: the key's changes in date order);
    /// a line and column refer to the text of `to_toml()`.
    fn build(&self) -> PyResult<PyPolicy> {
        let layer = self.checked_layer()?;
        Ok(PyPolicy { inner: self.base.clone().with_layer(layer) })
    }

    /// The reform's layer alone (`kinerja.PolicyLayer`), checked as `build()` checks it.
    fn layer(&self) -> PyResult<PyPolicyLayer> {
        Ok(PyPolicyLayer { inner: self.checked_layer()? })
    }

    /// The reform as the TOML policy file a city would file: `[layer]` (name and
    /// description), then each key's dated entries (`from`, `until`, `value`, `ref`,
    /// `note`, `status`, `source`). Layered over the starting policy
    /// (`Policy.with_toml(source, text)`), it gives the same policy as `build()`.
    fn to_toml(&self) -> PyResult<String> {
        self.toml_text()
    }

    /// The policy the reform starts from.
    #[getter]
    fn base(&self) -> PyPolicy {
        PyPolicy { inner: self.base.clone() }
    }

    /// The reform layer's name (quoted as the layer in provenance and slips).
    #[getter]
    fn name(&self) -> &str {
        &self.name
    }

    /// The reform layer's source name (in messages and provenance).
    #[getter]
    fn source(&self) -> &str {
        &self.source
    }

    /// The keys changed, sorted, each once.
    #[getter]
    fn keys(&self) -> Vec<String> {
        self.changes.iter().map(|c| c.key.clone()).collect::<BTreeSet<_>>().into_iter().collect()
    }

    fn __len__(&self) -> usize {
        self.changes.len()
    }

    fn __repr__(&self) -> String {
        format!("PolicyReform({:?}, {} changes of {} keys)", self.name, self.changes.len(), self.keys().len())
    }
}

/// `Policy.reform(...)`.
pub(crate) fn start(base: &Policy, name: &str, description: &str, source: Option<&str>) -> PyPolicyReform {
    PyPolicyReform {
        base: base.clone(),
        name: name.to_string(),
        description: description.to_string(),
        source: source.map_or_else(|| format!("reform: {name}"), str::to_string),
        changes: Vec::new(),
    }
}

/// The days on which the value of `key` may change in `policy`: each entry's first day
/// and the day after its last.
fn change_days(policy: &Policy, key: &str, days: &mut BTreeSet<NaiveDate>) {
    for layer in policy.layers() {
        let timeline = layer.timeline(key);
        for (i, e) in timeline.iter().enumerate() {
            days.insert(e.from);
            if let Some(next) = e.effective_until(timeline.get(i + 1)).and_then(|u| u.succ_opt()) {
                days.insert(next);
            }
        }
    }
}

/// `Policy.compare(other)`: every catalogued key whose value in force differs between
/// the two policies, with the days it differs (consecutive days with the same pair of
/// values in one record), in catalogue order then date order.
pub(crate) fn compare<'py>(py: Python<'py>, before: &Policy, after: &Policy) -> PyResult<Bound<'py, PyTuple>> {
    let mut out = Vec::new();
    for spec in policy::catalogue() {
        let key = spec.key;
        let mut days = BTreeSet::new();
        change_days(before, key, &mut days);
        change_days(after, key, &mut days);
        // The open difference: (first day, value before, value after, references).
        type Open<'a> = (
            NaiveDate,
            Option<&'a policy::Value>,
            Option<&'a policy::Value>,
            Option<policy::Provenance>,
            Option<policy::Provenance>,
        );
        let mut open: Option<Open<'_>> = None;
        let mut close = |open: Option<Open<'_>>, until: Option<NaiveDate>| -> PyResult<()> {
            if let Some((from, b, a, bp, ap)) = open {
                out.push(record!(py, "PolicyChange", {
                    key: key,
                    effective_from: from,
                    effective_until: until,
                    before: b.map(|v| policy_value(py, v)).transpose()?,
                    after: a.map(|v| policy_value(py, v)).transpose()?,
                    before_reference: bp.as_ref().map(|p| p.reference.as_str()),
                    after_reference: ap.as_ref().map(|p| p.reference.as_str()),
                    after_layer: ap.as_ref().map(|p| p.layer.as_str()),
                })?);
            }
            Ok(())
        };
        for day in days {
            let b = before.resolve(key, day).ok();
            let a = after.resolve(key, day).ok();
            let (bv, av) = (b.as_ref().map(|r| r.value), a.as_ref().map(|r| r.value));
            if let Some((_, ob, oa, _, _)) = &open
                && *ob == bv
                && *oa == av
            {
                continue;
            }
            close(open.take(), day.pred_opt())?;
            if bv != av {
                open = Some((day, bv, av, b.map(|r| r.provenance), a.map(|r| r.provenance)));
            }
        }
        close(open.take(), None)?;
    }
    PyTuple::new(py, out)
}
