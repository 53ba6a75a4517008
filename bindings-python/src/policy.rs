//! `kinerja.Policy` and `kinerja.PolicyLayer`: dated policy values with their legal
//! reference, layered from the national baseline to a city's own files.

use std::path::PathBuf;

use kinerja::policy::{self, Policy, PolicyLayer, Resolved, Value};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};

use crate::convert::{Date, policy_value, provenance, record, type_error};
use crate::errors::{err, guard};

/// One layer of policy: a parsed TOML file (the national baseline, a city's
/// Perwal/Perbup, ...). Each parameter is a timeline of dated values, each with
/// its legal reference.
///
/// Build one with `PolicyLayer.from_toml(source, text)`; add it on top of a policy
/// with `Policy.with_layer(layer)`.
#[pyclass(frozen, module = "kinerja", name = "PolicyLayer")]
pub struct PyPolicyLayer {
    pub(crate) inner: PolicyLayer,
}

#[pymethods]
impl PyPolicyLayer {
    /// Parses a TOML policy file. `source` names the file in messages and provenance.
    ///
    /// Every problem of the file is reported at once: raises `kinerja.PolicyError`
    /// (code `invalid_policy`) whose `problems` name the key and entry field at fault.
    #[staticmethod]
    #[pyo3(signature = (source, text))]
    fn from_toml(source: &str, text: &str) -> PyResult<Self> {
        guard(|| PolicyLayer::from_toml(source, text).map(|inner| PyPolicyLayer { inner }).map_err(err))
    }

    /// Reads and parses a TOML policy file (the path is its source name); a file longer
    /// than 4 MiB is refused unread (`ValidationError` code `too_large`).
    #[staticmethod]
    fn from_file(path: PathBuf) -> PyResult<Self> {
        let text = crate::convert::read_bounded(&path, kinerja::policy::MAX_POLICY_BYTES)?;
        Self::from_toml(&path.to_string_lossy(), &text)
    }

    /// The layer's name (`[layer] name`).
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }

    /// The layer's description.
    #[getter]
    fn description(&self) -> &str {
        &self.inner.description
    }

    /// The source file name.
    #[getter]
    fn source(&self) -> &str {
        &self.inner.source
    }

    /// The keys this layer sets, sorted.
    #[getter]
    fn keys(&self) -> Vec<String> {
        self.inner.params.keys().cloned().collect()
    }

    /// The dated entries of `key` in this layer, oldest first (empty if not set).
    fn timeline<'py>(&self, py: Python<'py>, key: &str) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for e in self.inner.timeline(key) {
            list.append(record!(py, "DatedValue", {
                effective_from: e.from,
                until: e.until,
                value: policy_value(py, &e.value)?,
                reference: &e.reference,
                note: &e.note,
            })?)?;
        }
        Ok(list)
    }

    fn __repr__(&self) -> String {
        format!("PolicyLayer({:?}, source={:?}, {} keys)", self.inner.name, self.inner.source, self.inner.params.len())
    }
}

/// A stack of policy layers, national first; later layers win.
///
/// To find a parameter's value on a day, the layers are asked from the last to the
/// first and the first that has an entry in force on that day answers. Every answer
/// carries its provenance (layer, source, dated entry, legal reference).
///
/// >>> policy = Policy.national().with_layer(PolicyLayer.from_toml("city.toml", text))
/// >>> policy.resolve("abk.effective_minutes_per_year", date(2026, 10, 1)).value
/// 75000
#[pyclass(frozen, module = "kinerja", name = "Policy")]
pub struct PyPolicy {
    pub(crate) inner: Policy,
}

fn resolved<'py>(py: Python<'py>, key: &str, r: &Resolved<&Value>) -> PyResult<Bound<'py, PyAny>> {
    record!(py, "Resolved", { key: key, value: policy_value(py, r.value)?, provenance: provenance(py, &r.provenance)? })
}

#[pymethods]
impl PyPolicy {
    /// The built-in national baseline (`policy/national.toml`).
    #[staticmethod]
    fn national() -> PyResult<Self> {
        guard(|| Policy::try_national().map(|inner| PyPolicy { inner }).map_err(err))
    }

    /// A policy of one layer parsed from TOML (without the national baseline; use
    /// `Policy.national().with_toml(...)` to layer a city's file over it).
    #[staticmethod]
    #[pyo3(signature = (source, text))]
    fn from_toml(source: &str, text: &str) -> PyResult<Self> {
        let layer = PyPolicyLayer::from_toml(source, text)?;
        Ok(PyPolicy { inner: Policy::from_layers(vec![layer.inner]) })
    }

    /// A policy from layers, lowest priority first.
    #[staticmethod]
    fn from_layers(layers: Vec<PyRef<'_, PyPolicyLayer>>) -> Self {
        PyPolicy { inner: Policy::from_layers(layers.iter().map(|l| l.inner.clone()).collect()) }
    }

    /// A new policy with `layer` on top. `layer` may be a `PolicyLayer` or a
    /// `Policy` (all its layers are added, in order).
    fn with_layer(&self, layer: &Bound<'_, PyAny>) -> PyResult<Self> {
        let mut policy = self.inner.clone();
        if let Ok(l) = layer.cast::<PyPolicyLayer>() {
            policy = policy.with_layer(l.get().inner.clone());
        } else if let Ok(p) = layer.cast::<PyPolicy>() {
            for l in p.get().inner.layers() {
                policy = policy.with_layer(l.clone());
            }
        } else {
            return Err(type_error("with_layer() expects a PolicyLayer or a Policy"));
        }
        Ok(PyPolicy { inner: policy })
    }

    /// A new policy with a TOML layer parsed and added on top.
    #[pyo3(signature = (source, text))]
    fn with_toml(&self, source: &str, text: &str) -> PyResult<Self> {
        let layer = PyPolicyLayer::from_toml(source, text)?;
        Ok(PyPolicy { inner: self.inner.clone().with_layer(layer.inner) })
    }

    /// The layers, lowest priority first.
    #[getter]
    fn layers(&self) -> Vec<PyPolicyLayer> {
        self.inner.layers().iter().map(|l| PyPolicyLayer { inner: l.clone() }).collect()
    }

    /// The value of `key` in force on `date`, with its provenance.
    ///
    /// Raises `kinerja.PolicyError` (`unknown_key` for a key not in the catalogue,
    /// `no_value` when no layer has a value in force on the date).
    fn resolve<'py>(&self, py: Python<'py>, key: &str, date: Date) -> PyResult<Bound<'py, PyAny>> {
        let r = self.inner.resolve(key, date.0).map_err(err)?;
        resolved(py, key, &r)
    }

    /// The range of days on which every catalogued key has a value, as `(first, last)`
    /// (`last` is `None` when open-ended), or `None` when no day has every key. The
    /// national baseline covers 2020-01-01 onwards; a month outside fails once
    /// (`kinerja.PolicyError`, code `not_covered`), naming the first key without a value.
    fn coverage(&self) -> Option<(chrono::NaiveDate, Option<chrono::NaiveDate>)> {
        self.inner.coverage().map(|c| (c.from, c.until))
    }

    /// Every catalogued key with a value in force on `date`, in catalogue order.
    fn resolve_all<'py>(&self, py: Python<'py>, date: Date) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for (key, r) in self.inner.resolve_all(date.0) {
            list.append(resolved(py, &key, &r)?)?;
        }
        Ok(list)
    }

    /// Starts a reform of this policy (`kinerja.PolicyReform`): dated changes with
    /// their legal references, added as one new layer named `name` (quoted as the
    /// layer in provenance and slips) from `source` (a file name for messages; default
    /// `"reform: <name>"`). Chain `.set(key, value, effective=..., reference=...)`,
    /// then `.build()` for the reformed policy or `.to_toml()` for its policy file.
    #[pyo3(signature = (name = "reform", description = "", *, source = None))]
    fn reform(&self, name: &str, description: &str, source: Option<&str>) -> crate::reform::PyPolicyReform {
        crate::reform::start(&self.inner, name, description, source)
    }

    /// What differs from this policy in `other`: one `kinerja.PolicyChange` per
    /// catalogued key and run of days on which the values in force differ (`before` is
    /// this policy's value, `after` the other's; `None` where one has none), with the
    /// first and last day (`effective_until` is `None` when open-ended) and both legal
    /// references. In catalogue order, then by date; empty when the two resolve the
    /// same value for every key on every day.
    fn compare<'py>(&self, py: Python<'py>, other: PyRef<'py, PyPolicy>) -> PyResult<Bound<'py, PyTuple>> {
        crate::reform::compare(py, &self.inner, &other.inner)
    }

    fn __repr__(&self) -> String {
        let names: Vec<&str> = self.inner.layers().iter().map(|l| l.name.as_str()).collect();
        format!("Policy({})", names.join(" > "))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<PyPolicy>().is_ok_and(|o| o.get().inner == self.inner)
    }
}

/// Every parameter a policy file may set: key, kind of value and meaning.
#[pyfunction]
pub fn policy_catalogue(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    let list = PyList::empty(py);
    for spec in policy::catalogue() {
        list.append(record!(py, "ParamSpec", { key: spec.key, kind: spec.kind.describe(), doc: spec.doc })?)?;
    }
    Ok(list)
}
