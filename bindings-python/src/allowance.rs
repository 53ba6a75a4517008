//! The monthly allowance (TPP): `kinerja.AllowanceInput`, `compute_slip`,
//! `pay_city` (`kinerja.Payroll`), `what_if`, `arrears` and `allowance_parameters`.
//!
//! Every amount is computed by the core (`kinerja::allowance`, `kinerja::payroll`);
//! this module converts inputs (dicts or keywords, exact decimals, dates), slips
//! (frozen `kinerja.Slip` records) and batch results (`kinerja.Table` columns).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use kinerja::Error;
use kinerja::allowance::{
    self, ALLOWANCE_KEYS, ActingKind, AllowanceError, AllowanceInput, AllowanceParams, Change, Explanation, ParamUse,
    Slip, SlipLine, Totals,
};
use kinerja::dataset::City;
use kinerja::i18n::{Lang, Message, Renderer};
use kinerja::money::Money;
use kinerja::org::Nip;
use kinerja::payroll::{self, CityPayroll, WhatIf};
use kinerja::recap::MonthlyRecap;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use rust_decimal::Decimal;

use crate::columns::{TableBuilder, columnar_err, wrap};
use crate::convert::{Date, exact_decimal, member, month, nip, pytype, record, text, to_json, type_error};
use crate::errors::{KErr, err, guard};
use crate::ledger::{PyLedger, PyMonthContext, PyRecapData};
use crate::policy::PyPolicy;

// --- input -------------------------------------------------------------------------

/// An allowance input that could not be read (JSON shape or types).
fn format_error(e: &serde_json::Error) -> PyErr {
    let mut k = KErr::new("ValidationError", format!("allowance input: {e}"), "invalid_allowance_input").at(
        "allowance_input",
        "",
        "",
    );
    if e.line() > 0 {
        k = k.with("line", crate::errors::Detail::Int(e.line() as i64));
        k = k.with("column", crate::errors::Detail::Int(e.column() as i64));
    }
    err(k)
}

/// An allowance input from a Python mapping shaped like its JSON form
/// (docs/allowance.md section 1). Money may be a `decimal.Decimal`, an `int` or a
/// decimal string; floats are refused anywhere.
fn input_from_mapping(ob: &Bound<'_, PyAny>) -> PyResult<AllowanceInput> {
    if !ob.is_instance_of::<PyDict>() {
        return Err(type_error(format!(
            "an allowance input is a kinerja.AllowanceInput or a dict shaped like its JSON form, got {}",
            ob.get_type().name().map(|n| n.to_string()).unwrap_or_default()
        )));
    }
    let mut path = String::new();
    let mut json = to_json(ob, &mut path)?;
    // The JSON form writes money as a decimal string; an int is exact, so it is
    // written the same way (a float never gets this far).
    if let Some(salary) = json.get_mut("salary")
        && let serde_json::Value::Number(n) = salary
        && (n.is_i64() || n.is_u64())
    {
        *salary = serde_json::Value::String(n.to_string());
    }
    serde_json::from_value(json).map_err(|e| format_error(&e))
}

/// An `AllowanceInput` or a dict.
pub(crate) fn input_arg(ob: &Bound<'_, PyAny>) -> PyResult<AllowanceInput> {
    match ob.cast::<PyAllowanceInput>() {
        Ok(i) => Ok(i.get().inner.clone()),
        Err(_) => input_from_mapping(ob),
    }
}

/// One employee's month as the allowance engine reads it (spec section 1): job class,
/// rank, employment type, salary, working days, target and verified minutes,
/// discipline counts, acting (Plt) assignments and sanctions.
///
/// Build one with keywords (the same names and shapes as the JSON form), from a
/// dict (`AllowanceInput.from_dict`) or from JSON text (`AllowanceInput.from_json`).
/// Money is exact: `decimal.Decimal`, `int` or a decimal string; floats raise
/// `kinerja.FloatRefused`. Values are checked when a slip is computed (or by
/// `validate()`), and every problem is reported at once.
///
/// >>> AllowanceInput(employee="198503152010011001", month="2026-10", job_class=9,
/// ...     rank="III/c", employment="PNS", salary=Decimal("4500000"),
/// ...     calendar_working_days=22, assigned_working_days=22,
/// ...     performance={"target_minutes": 6600, "verified_minutes": 6000},
/// ...     discipline={"days_present": 22, "late": [0, 0, 0, 0], "early": [0, 0, 0, 0],
/// ...                 "unexcused_days": 0,
/// ...                 "roll_calls_missed": {"morning": 0, "afternoon": 0, "ceremony": 0}})
#[pyclass(frozen, module = "kinerja", name = "AllowanceInput")]
pub struct PyAllowanceInput {
    pub(crate) inner: AllowanceInput,
}

fn dict_performance<'py>(py: Python<'py>, i: &AllowanceInput) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("target_minutes", i.performance.target_minutes.get())?;
    d.set_item("verified_minutes", i.performance.verified_minutes.get())?;
    Ok(d)
}

fn dict_discipline<'py>(py: Python<'py>, i: &AllowanceInput) -> PyResult<Bound<'py, PyDict>> {
    let x = &i.discipline;
    let d = PyDict::new(py);
    d.set_item("days_present", x.days_present)?;
    d.set_item("late", PyList::new(py, x.late)?)?;
    d.set_item("early", PyList::new(py, x.early)?)?;
    d.set_item("unexcused_days", x.unexcused_days)?;
    let absences = PyDict::new(py);
    for (code, days) in &x.absences {
        absences.set_item(code, days)?;
    }
    d.set_item("absences", absences)?;
    let missed = PyDict::new(py);
    missed.set_item("morning", x.roll_calls_missed.morning)?;
    missed.set_item("afternoon", x.roll_calls_missed.afternoon)?;
    missed.set_item("ceremony", x.roll_calls_missed.ceremony)?;
    d.set_item("roll_calls_missed", missed)?;
    Ok(d)
}

fn list_acting<'py>(py: Python<'py>, i: &AllowanceInput) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for a in &i.acting {
        let d = PyDict::new(py);
        d.set_item("position", a.position.as_str())?;
        d.set_item("job_class", a.job_class)?;
        d.set_item("working_days", a.working_days)?;
        // Left out when default, like in the JSON form.
        if a.kind != ActingKind::Plt {
            d.set_item("kind", a.kind.as_str())?;
        }
        if let Some(r) = a.relation {
            d.set_item("relation", r.as_str())?;
        }
        list.append(d)?;
    }
    Ok(list)
}

fn list_sanctions<'py>(py: Python<'py>, i: &AllowanceInput) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for s in &i.sanctions {
        let d = PyDict::new(py);
        d.set_item("level", &s.level)?;
        d.set_item("effective_from", s.effective_from)?;
        d.set_item("months", s.months)?;
        d.set_item("reference", &s.reference)?;
        list.append(d)?;
    }
    Ok(list)
}

impl PyAllowanceInput {
    fn dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let i = &self.inner;
        let d = PyDict::new(py);
        d.set_item("employee", i.employee.as_str())?;
        d.set_item("month", i.month.to_string())?;
        d.set_item("job_class", i.job_class)?;
        if let Some(pos) = &i.position {
            d.set_item("position", pos.to_string())?;
        }
        d.set_item("rank", i.rank.to_string())?;
        d.set_item("employment", member!(py, "EmploymentType", text(&i.employment))?)?;
        d.set_item("salary", i.salary.amount())?;
        d.set_item("calendar_working_days", i.calendar_working_days)?;
        d.set_item("assigned_working_days", i.assigned_working_days)?;
        d.set_item("performance", dict_performance(py, i)?)?;
        d.set_item("discipline", dict_discipline(py, i)?)?;
        d.set_item("acting", list_acting(py, i)?)?;
        d.set_item("sanctions", list_sanctions(py, i)?)?;
        if let Some(p) = i.ptkp {
            d.set_item("ptkp", p.to_string())?;
        }
        Ok(d)
    }
}

#[pymethods]
impl PyAllowanceInput {
    /// Builds an input from keywords named as in the JSON form (docs/allowance.md
    /// section 1). `performance` and `discipline` are dicts of that shape; `acting`
    /// and `sanctions` lists of dicts (optional). Raises `kinerja.FloatRefused` for a
    /// float and `kinerja.ValidationError` (code `invalid_allowance_input`) for a
    /// missing field, an unknown field or a value of the wrong type.
    #[new]
    #[pyo3(signature = (*, employee, month, job_class, rank, employment, salary, calendar_working_days,
        assigned_working_days, performance, discipline, acting=None, sanctions=None, position=None, ptkp=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        employee: Bound<'_, PyAny>,
        month: Bound<'_, PyAny>,
        job_class: Bound<'_, PyAny>,
        rank: Bound<'_, PyAny>,
        employment: Bound<'_, PyAny>,
        salary: Bound<'_, PyAny>,
        calendar_working_days: Bound<'_, PyAny>,
        assigned_working_days: Bound<'_, PyAny>,
        performance: Bound<'_, PyAny>,
        discipline: Bound<'_, PyAny>,
        acting: Option<Bound<'_, PyAny>>,
        sanctions: Option<Bound<'_, PyAny>>,
        position: Option<Bound<'_, PyAny>>,
        ptkp: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let d = PyDict::new(py);
        d.set_item("employee", employee)?;
        d.set_item("month", month)?;
        d.set_item("job_class", job_class)?;
        d.set_item("rank", rank)?;
        d.set_item("employment", employment)?;
        d.set_item("salary", salary)?;
        d.set_item("calendar_working_days", calendar_working_days)?;
        d.set_item("assigned_working_days", assigned_working_days)?;
        d.set_item("performance", performance)?;
        d.set_item("discipline", discipline)?;
        if let Some(a) = acting {
            d.set_item("acting", a)?;
        }
        if let Some(s) = sanctions {
            d.set_item("sanctions", s)?;
        }
        if let Some(p) = position {
            d.set_item("position", p)?;
        }
        if let Some(p) = ptkp {
            d.set_item("ptkp", p)?;
        }
        Ok(PyAllowanceInput { inner: input_from_mapping(d.as_any())? })
    }

    /// Reads an input from a dict shaped like its JSON form (dates may be
    /// `datetime.date`, money `decimal.Decimal`, `int` or a decimal string; floats are
    /// refused with `kinerja.FloatRefused`, naming where the float sits).
    #[staticmethod]
    fn from_dict(data: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(PyAllowanceInput { inner: input_from_mapping(data)? })
    }

    /// Reads an input from its JSON text (money as decimal strings).
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        serde_json::from_str(text).map(|inner| PyAllowanceInput { inner }).map_err(|e| format_error(&e))
    }

    /// The input as compact JSON: the exact text hashed into a slip's content hash.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.inner).map_err(|e| format_error(&e))
    }

    /// The input as a dict of its JSON shape (salary a `Decimal`, dates `date`s,
    /// `employment` a `kinerja.EmploymentType`); `AllowanceInput.from_dict` reads it back.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.dict(py)
    }

    /// A copy with some top-level fields replaced, e.g.
    /// `input.replace(performance={"target_minutes": 6600, "verified_minutes": 6600})`.
    #[pyo3(signature = (**changes))]
    fn replace(&self, py: Python<'_>, changes: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        let d = self.dict(py)?;
        if let Some(c) = changes {
            for (k, v) in c.iter() {
                let key: String = k.extract()?;
                // `ptkp` is optional and absent from the dict when unset.
                if key != "ptkp" && !d.contains(&key)? {
                    return Err(type_error(format!("AllowanceInput has no field `{key}`")));
                }
                d.set_item(key, v)?;
            }
        }
        Self::from_dict(d.as_any())
    }

    /// Checks the input on its own (job class 1..=17, days within the month, counts not
    /// negative, known absence codes, ...). Raises `kinerja.ValidationError` (code
    /// `invalid_allowance_input`) whose `problems` list every problem, each naming its
    /// field. Sanction levels depend on policy and are checked by `compute_slip`.
    fn validate(&self) -> PyResult<()> {
        self.inner.validate().map_err(|v| err(AllowanceError::InvalidInput(v)))
    }

    /// The employee's NIP.
    #[getter]
    fn employee(&self) -> &str {
        self.inner.employee.as_str()
    }

    /// The month paid, `"YYYY-MM"`.
    #[getter]
    fn month(&self) -> String {
        self.inner.month.to_string()
    }

    /// The job class (*kelas jabatan*) of the definitive position.
    #[getter]
    fn job_class(&self) -> i64 {
        self.inner.job_class
    }

    /// Rank (*pangkat/golongan*), e.g. `"III/c"`; for a PPPK employee the grade `"I"`..`"XVII"`.
    #[getter]
    fn rank(&self) -> String {
        self.inner.rank.to_string()
    }

    /// `kinerja.EmploymentType`.
    #[getter]
    fn employment<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        member!(py, "EmploymentType", text(&self.inner.employment))
    }

    /// Monthly salary (*gaji*), the base of the BPJS contribution (exact `Decimal`).
    #[getter]
    fn salary(&self) -> Decimal {
        self.inner.salary.amount()
    }

    /// Working days in the month (after the month's cut-off).
    #[getter]
    fn calendar_working_days(&self) -> i64 {
        self.inner.calendar_working_days
    }

    /// Of those, the days the employee held a definitive position.
    #[getter]
    fn assigned_working_days(&self) -> i64 {
        self.inner.assigned_working_days
    }

    /// `{"target_minutes": ..., "verified_minutes": ...}` (a new dict).
    #[getter]
    fn performance<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        dict_performance(py, &self.inner)
    }

    /// Discipline counts as in the JSON form (a new dict).
    #[getter]
    fn discipline<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        dict_discipline(py, &self.inner)
    }

    /// Acting (Plt, Plh) assignments: dicts with `position`, `job_class`, `working_days`,
    /// and `kind` (`"plh"`) and `relation` when set.
    #[getter]
    fn acting<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        list_acting(py, &self.inner)
    }

    /// The PTKP status (`"K/1"`), or `None`; read only by the `ter_monthly` tax method.
    #[getter]
    fn ptkp(&self) -> Option<String> {
        self.inner.ptkp.map(|p| p.to_string())
    }

    /// Sanctions: dicts with `level`, `effective_from`, `months`, `reference`.
    #[getter]
    fn sanctions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        list_sanctions(py, &self.inner)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<PyAllowanceInput>().is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __repr__(&self) -> String {
        let i = &self.inner;
        format!(
            "AllowanceInput({}, {}, class {}, {} {}, {}/{} days, {}/{} minutes)",
            i.employee,
            i.month,
            i.job_class,
            text(&i.employment),
            i.rank,
            i.assigned_working_days,
            i.calendar_working_days,
            i.performance.verified_minutes.get(),
            i.performance.target_minutes.get(),
        )
    }
}

// --- slips -------------------------------------------------------------------------

fn param_record<'py>(py: Python<'py>, p: &ParamUse) -> PyResult<Bound<'py, PyAny>> {
    record!(py, "ParamUse", {
        key: &p.key,
        value: &p.value,
        effective_from: p.from,
        layer: &p.layer,
        reference: &p.reference,
    })
}

fn line_record<'py>(py: Python<'py>, l: &SlipLine) -> PyResult<Bound<'py, PyAny>> {
    let params = l.parameters.iter().map(|p| param_record(py, p)).collect::<PyResult<Vec<_>>>()?;
    let inputs = PyDict::new(py);
    for (k, v) in &l.inputs {
        inputs.set_item(k, v)?;
    }
    // The structured explanation as plain Python data (its JSON form, read by `json`).
    let message = match l.explanation.message() {
        Some(m) => {
            let text = serde_json::to_string(m).map_err(|e| type_error(format!("explanation: {e}")))?;
            py.import("json")?.call_method1("loads", (text,))?
        }
        None => py.None().into_bound(py),
    };
    record!(py, "SlipLine", {
        rule: &l.rule,
        amount: l.amount.amount(),
        explanation: l.explanation.render(Lang::default()),
        message: message,
        parameters: PyTuple::new(py, params)?,
        inputs: inputs,
    })
}

/// A `kinerja.Slip`.
pub(crate) fn slip_record<'py>(py: Python<'py>, s: &Slip) -> PyResult<Bound<'py, PyAny>> {
    let lines = s.lines.iter().map(|l| line_record(py, l)).collect::<PyResult<Vec<_>>>()?;
    record!(py, "Slip", {
        schema_version: s.schema_version,
        employee: s.employee.as_str(),
        month: s.month.to_string(),
        lines: PyTuple::new(py, lines)?,
        gross: s.gross.amount(),
        tax: s.tax.amount(),
        contribution: s.contribution.amount(),
        net: s.net.amount(),
        input_hash: &s.input_hash,
        policy_hash: &s.policy_hash,
        content_hash: &s.content_hash,
        unverified: PyTuple::new(py, &s.unverified)?,
    })
}

fn money_attr(ob: &Bound<'_, PyAny>, name: &str) -> PyResult<Money> {
    Ok(Money::new(exact_decimal(&ob.getattr(name)?, name)?))
}

/// A line's explanation from a `kinerja.SlipLine`: its structured `message` (a dict,
/// read through its JSON form), else its text (a slip stored before explanations were
/// structured).
fn explanation_from(line: &Bound<'_, PyAny>) -> PyResult<Explanation> {
    let message = line.getattr("message")?;
    if message.is_none() {
        return Ok(Explanation::Text(line.getattr("explanation")?.extract()?));
    }
    let text: String = line.py().import("json")?.call_method1("dumps", (message,))?.extract()?;
    serde_json::from_str::<Message>(&text)
        .map(Explanation::Message)
        .map_err(|e| type_error(format!("SlipLine.message is not an explanation message: {e}")))
}

/// The core's slip from a `kinerja.Slip` record (every field read back exactly).
fn slip_from_record(ob: &Bound<'_, PyAny>) -> PyResult<Slip> {
    let py = ob.py();
    if !ob.is_instance(pytype!(py, "Slip")?)? {
        return Err(type_error(format!(
            "expected a kinerja.Slip, got {}",
            ob.get_type().name().map(|n| n.to_string()).unwrap_or_default()
        )));
    }
    let mut lines = Vec::new();
    for line in ob.getattr("lines")?.try_iter()? {
        let line = line?;
        let mut parameters = Vec::new();
        for p in line.getattr("parameters")?.try_iter()? {
            let p = p?;
            parameters.push(ParamUse {
                key: p.getattr("key")?.extract()?,
                value: p.getattr("value")?.extract()?,
                from: p.getattr("effective_from")?.extract::<Date>()?.0,
                layer: p.getattr("layer")?.extract()?,
                reference: p.getattr("reference")?.extract()?,
            });
        }
        lines.push(SlipLine {
            rule: line.getattr("rule")?.extract()?,
            amount: money_attr(&line, "amount")?,
            explanation: explanation_from(&line)?,
            parameters,
            inputs: line.getattr("inputs")?.extract::<BTreeMap<String, String>>()?,
        });
    }
    Ok(Slip {
        schema_version: ob.getattr("schema_version")?.extract()?,
        employee: nip(&ob.getattr("employee")?.extract::<String>()?, "employee")?,
        month: month(&ob.getattr("month")?.extract::<String>()?)?,
        lines,
        gross: money_attr(ob, "gross")?,
        tax: money_attr(ob, "tax")?,
        contribution: money_attr(ob, "contribution")?,
        net: money_attr(ob, "net")?,
        input_hash: ob.getattr("input_hash")?.extract()?,
        policy_hash: ob.getattr("policy_hash")?.extract()?,
        content_hash: ob.getattr("content_hash")?.extract()?,
        unverified: match ob.getattr("unverified") {
            Ok(v) => v.extract::<Vec<String>>()?,
            Err(_) => Vec::new(),
        },
    })
}

fn policy_of<'a>(ctx: &'a PyMonthContext, policy: Option<&'a PyPolicy>, py: Python<'a>) -> &'a PyPolicy {
    match policy {
        Some(p) => p,
        None => ctx.policy.bind(py).get(),
    }
}

/// Computes one employee's allowance slip (TPP) under `policy`, with the values in
/// force on the first day of the input's month.
///
/// `input` is a `kinerja.AllowanceInput` or a dict of its JSON form. Returns a
/// `kinerja.Slip`: ordered lines (rule id, exact amount, the arithmetic in words, the
/// policy values used with their legal references, the inputs read) that add up
/// exactly to `gross` and `net`, the input and policy hashes, and the content hash that
/// seals the amounts with them.
///
/// Raises `kinerja.ValidationError` (code `invalid_allowance_input`, every problem
/// listed), `kinerja.PolicyError` (the policy cannot be bound for the month) or
/// `kinerja.AllowanceError` (e.g. `unknown_sanction_level`).
#[pyfunction]
pub fn compute_slip<'py>(
    py: Python<'py>,
    input: &Bound<'py, PyAny>,
    policy: PyRef<'py, PyPolicy>,
) -> PyResult<Bound<'py, PyAny>> {
    let input = input_arg(input)?;
    let policy = &policy.inner;
    let slip = guard(|| allowance::compute_slip(&input, policy).map_err(err))?;
    slip_record(py, &slip)
}

/// The Rust engine end to end on JSON: reads an allowance input from JSON text,
/// computes its slip under `policy` and returns the slip as JSON (docs/allowance.md
/// section 4), exactly as the core serialises it. For services that store JSON, and to
/// check the Python conversions against the engine's own.
#[pyfunction]
pub fn compute_slip_json(input_json: &str, policy: PyRef<'_, PyPolicy>) -> PyResult<String> {
    let input: AllowanceInput = serde_json::from_str(input_json).map_err(|e| format_error(&e))?;
    let policy = &policy.inner;
    let slip = guard(|| allowance::compute_slip(&input, policy).map_err(err))?;
    serde_json::to_string(&slip).map_err(|e| format_error(&e))
}

/// A slip as JSON (docs/allowance.md section 4; amounts as decimal strings).
#[pyfunction]
pub fn _slip_to_json(slip: &Bound<'_, PyAny>) -> PyResult<String> {
    let s = slip_from_record(slip)?;
    serde_json::to_string(&s).map_err(|e| format_error(&e))
}

/// A `kinerja.Slip` from its JSON form.
#[pyfunction]
pub fn _slip_from_json<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    let s: Slip = serde_json::from_str(text).map_err(|e| {
        let mut k = KErr::new("ValidationError", format!("slip: {e}"), "invalid_slip").at("slip", "", "");
        if e.line() > 0 {
            k = k.with("line", crate::errors::Detail::Int(e.line() as i64));
        }
        err(k)
    })?;
    slip_record(py, &s)
}

/// Re-verifies a stored slip: recomputes it from `input` (the input it was computed
/// from, an `AllowanceInput` or a dict) under `policy` and says whether it still holds.
///
/// Returns a `kinerja.SlipVerification`: `holds`, `sealed` (the content hash is the seal
/// of the slip's own amounts and hashes: nothing was edited afterwards),
/// `input_matches` and `policy_matches` (same input and policy hashes), `differences`
/// (rules and amounts that differ: `lines[3].amount`, `gross`, ...), `wording`
/// (explanations that read differently), `reasons` (in words) and the `recomputed`
/// slip. Raises `kinerja.AllowanceError` (`slip_mismatch` for another employee or month,
/// `unsupported_slip_version`), and the errors of `compute_slip`.
#[pyfunction]
pub fn verify_slip<'py>(
    py: Python<'py>,
    slip: &Bound<'py, PyAny>,
    input: &Bound<'py, PyAny>,
    policy: PyRef<'py, PyPolicy>,
) -> PyResult<Bound<'py, PyAny>> {
    let stored = slip_from_record(slip)?;
    let input = input_arg(input)?;
    let policy = &policy.inner;
    let v = guard(|| allowance::verify(&stored, &input, policy).map_err(err))?;
    let diffs = |list: &[allowance::SlipDifference]| -> PyResult<Bound<'py, PyTuple>> {
        let items = list
            .iter()
            .map(|d| record!(py, "SlipDifference", { field: &d.field, stored: &d.stored, recomputed: &d.recomputed }))
            .collect::<PyResult<Vec<_>>>()?;
        PyTuple::new(py, items)
    };
    record!(py, "SlipVerification", {
        holds: v.holds,
        sealed: v.sealed,
        input_matches: v.input_matches,
        policy_matches: v.policy_matches,
        differences: diffs(&v.differences)?,
        wording: diffs(&v.wording)?,
        reasons: PyTuple::new(py, v.describe())?,
        recomputed: slip_record(py, &v.recomputed)?,
    })
}

/// Every allowance policy value in force on the first day of `month` (`"YYYY-MM"`),
/// in the order of `ALLOWANCE_KEYS` (then `CRITERIA_ALLOWANCE_KEYS` when the TPP
/// criteria are in use), as quoted in slips and hashed into their policy
/// hash: `kinerja.ParamUse` records (key, value as canonical text, effective_from,
/// layer, reference). Raises `kinerja.PolicyError` when the policy cannot be bound for
/// the month (a missing value, weights not summing to 100, ...).
#[pyfunction]
pub fn allowance_parameters<'py>(
    py: Python<'py>,
    policy: PyRef<'py, PyPolicy>,
    month: &str,
) -> PyResult<Bound<'py, PyTuple>> {
    let m = crate::convert::month(month)?;
    let policy = &policy.inner;
    let bound = guard(|| AllowanceParams::from_policy(policy, m).map_err(err))?;
    let mut items = Vec::with_capacity(ALLOWANCE_KEYS.len());
    // The criteria keys are hashed (and so listed) only when in use.
    let criteria: &[&str] = if bound.params.criteria_in_use() { &allowance::CRITERIA_ALLOWANCE_KEYS } else { &[] };
    // So are the acting, sanction and tax variant keys.
    let variants: &[&str] = if bound.params.variants_in_use() { &allowance::VARIANT_ALLOWANCE_KEYS } else { &[] };
    for key in ALLOWANCE_KEYS.iter().chain(criteria).chain(variants).copied() {
        let value = bound.params.value_text(key).unwrap_or_default();
        let use_ = match bound.provenance.iter().find(|p| p.key == key) {
            Some(p) => ParamUse {
                key: key.to_string(),
                value,
                from: p.from,
                layer: p.layer.clone(),
                reference: p.reference.clone(),
            },
            None => ParamUse {
                key: key.to_string(),
                value,
                from: m.first_day(),
                layer: allowance::HAND_BUILT_LAYER.to_string(),
                reference: String::new(),
            },
        };
        items.push(param_record(py, &use_)?);
    }
    PyTuple::new(py, items)
}

/// The arrears (*rapel*) between the slip paid and a slip recomputed for the same
/// employee and month (after a late verification, a corrected input or a retroactive
/// policy change): per-rule differences and what to pay or recover.
///
/// Returns a `kinerja.Arrears`. Raises `kinerja.AllowanceError` (code `slip_mismatch`)
/// when the slips are not of the same employee and month.
#[pyfunction]
pub fn arrears<'py>(
    py: Python<'py>,
    paid: &Bound<'py, PyAny>,
    recomputed: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let p = slip_from_record(paid)?;
    let r = slip_from_record(recomputed)?;
    let a = guard(|| allowance::arrears(&p, &r).map_err(err))?;
    let by_rule = a
        .by_rule
        .iter()
        .map(|d| {
            record!(py, "RuleDifference", {
                rule: &d.rule,
                paid: d.paid.amount(),
                recomputed: d.recomputed.amount(),
                difference: d.difference.amount(),
            })
        })
        .collect::<PyResult<Vec<_>>>()?;
    record!(py, "Arrears", {
        employee: a.employee.as_str(),
        month: a.month.to_string(),
        by_rule: PyTuple::new(py, by_rule)?,
        gross: a.gross.amount(),
        tax: a.tax.amount(),
        contribution: a.contribution.amount(),
        net: a.net.amount(),
        to_pay: a.to_pay.amount(),
        to_recover: a.to_recover.amount(),
    })
}

// --- the city's month ----------------------------------------------------------------

/// The rule columns of the payroll tables: every rule id of the core but `ceiling`,
/// whether or not it applied this month (the same columns every month).
fn rule_order<'a>(slips: impl IntoIterator<Item = &'a Slip>) -> Vec<String> {
    kinerja_columnar::payroll_rules(slips)
}

/// A money column (`decimal128(38, 2)`).
fn money_col(t: &mut TableBuilder<'_>, name: &str, values: impl IntoIterator<Item = Money>) -> PyResult<()> {
    t.col(name, values)
}

/// Totals columns shared by the per-unit tables.
pub(crate) fn totals_record<'py>(py: Python<'py>, t: &Totals) -> PyResult<Bound<'py, PyAny>> {
    let by_rule = PyDict::new(py);
    for (rule, m) in &t.deductions_by_rule {
        by_rule.set_item(rule, m.amount())?;
    }
    record!(py, "AllowanceTotals", {
        count: t.count,
        ceiling: t.ceiling.amount(),
        gross: t.gross.amount(),
        tax: t.tax.amount(),
        contribution: t.contribution.amount(),
        net: t.net.amount(),
        by_rule: by_rule,
    })
}

/// A city's month paid: every employee's slip, totals per work unit and for the city,
/// the employees whose slip could not be computed and those not paid this month, each
/// with the reason. Returned by `kinerja.pay_city`.
///
/// Every employee of the dataset is in exactly one of `slips`, `failures` and
/// `not_paid`; `employees` lists them all in one table and `summary` holds the counts
/// and sums to reconcile against. `slips` has one row per paid employee (recap order)
/// with the totals and one column per rule id; `slip(nip)` gives one employee's full
/// `kinerja.Slip`.
#[pyclass(frozen, module = "kinerja", name = "Payroll")]
pub struct PyPayroll {
    inner: CityPayroll,
    ctx: Py<PyMonthContext>,
    recap: Arc<MonthlyRecap>,
    index: HashMap<Nip, usize>,
    rules: Vec<String>,
    slips_table: PyOnceLock<Py<PyAny>>,
    units_table: PyOnceLock<Py<PyAny>>,
    employees_table: PyOnceLock<Py<PyAny>>,
}

impl PyPayroll {
    fn new(inner: CityPayroll, ctx: Py<PyMonthContext>, recap: Arc<MonthlyRecap>) -> Self {
        let index = inner.slips.iter().enumerate().map(|(i, s)| (s.employee.clone(), i)).collect();
        let rules = rule_order(&inner.slips);
        PyPayroll {
            inner,
            ctx,
            recap,
            index,
            rules,
            slips_table: PyOnceLock::new(),
            units_table: PyOnceLock::new(),
            employees_table: PyOnceLock::new(),
        }
    }

    /// Every employee: the paid (recap order), then the failed, then those not paid.
    fn build_employees<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let city = self.the_city(py);
        wrap(py, kinerja_columnar::payroll_employees(city, &self.inner).map_err(columnar_err)?)
    }

    fn the_city<'a>(&'a self, py: Python<'a>) -> &'a City {
        self.ctx.bind(py).get().ctx().city
    }

    fn find(&self, employee: &str) -> PyResult<&Slip> {
        let n = nip(employee, "nip")?;
        self.index
            .get(&n)
            .and_then(|i| self.inner.slips.get(*i))
            .ok_or_else(|| err(Error::NotFound { record: "slip", id: employee.to_string() }))
    }

    fn build_slips<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let city = self.the_city(py);
        wrap(py, kinerja_columnar::payroll_slips(city, &self.inner, &self.rules).map_err(columnar_err)?)
    }

    fn build_units<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let city = self.the_city(py);
        wrap(py, kinerja_columnar::payroll_units(city, &self.inner, &self.rules).map_err(columnar_err)?)
    }
}

#[pymethods]
impl PyPayroll {
    /// The month, `"YYYY-MM"`.
    #[getter]
    fn month(&self) -> String {
        self.inner.month.to_string()
    }

    /// One row per paid employee, in recap order (a `kinerja.Table`, built in one
    /// native call and cached): `nip`, `name`, `unit`, `job_class`, `ceiling`, `gross`,
    /// `tax`, `contribution`, `net`, `content_hash`, then one column per rule id other
    /// than `ceiling` (in slip order; e.g. `performance.shortfall`, `deduction.late.1`,
    /// `tax.pph21`) holding that rule's amount on the slip, or 0. Amounts are exact
    /// `Decimal`s; deductions are negative.
    #[getter]
    fn slips<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let t = self.slips_table.get_or_try_init(py, || self.build_slips(py).map(Bound::unbind))?;
        Ok(t.bind(py).clone())
    }

    /// One row per work unit, in dataset order (a `kinerja.Table`): `unit`, `name`,
    /// `slips` (number paid), `ceiling`, `gross`, `tax`, `contribution`, `net`, then
    /// the same rule columns as `slips` with the unit's sum.
    #[getter]
    fn units<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let t = self.units_table.get_or_try_init(py, || self.build_units(py).map(Bound::unbind))?;
        Ok(t.bind(py).clone())
    }

    /// The city's totals (`kinerja.AllowanceTotals`): the month's TPP budget.
    #[getter]
    fn city<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        totals_record(py, &self.inner.city)
    }

    /// Employees whose slip could not be computed (`tuple[kinerja.PayrollFailure, ...]`).
    #[getter]
    fn failures<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let items = self
            .inner
            .failures
            .iter()
            .map(|f| {
                record!(py, "PayrollFailure", {
                    employee: f.employee.as_str(),
                    unit: f.unit.as_ref().map(|u| u.as_str()),
                    code: &f.code,
                    message: &f.message,
                })
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyTuple::new(py, items)
    }

    /// Employees of the dataset not paid this month, each with the reason
    /// (`tuple[kinerja.NotPaid, ...]`: code such as `left_service`, the record and field
    /// that decide it, a sentence).
    #[getter]
    fn not_paid<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let items = self
            .inner
            .not_paid
            .iter()
            .map(|n| {
                record!(py, "NotPaid", {
                    employee: n.employee.as_str(),
                    unit: n.unit.as_ref().map(|u| u.as_str()),
                    code: &n.code,
                    record: &n.record,
                    field: &n.field,
                    reason: &n.reason,
                })
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyTuple::new(py, items)
    }

    /// Every employee of the dataset, once (a `kinerja.Table`, cached): the paid in
    /// recap order, then those whose slip failed, then those not paid. Columns `nip`,
    /// `name`, `unit`, `status` (`paid`, `failed`, `not_paid`), `code` and `reason`
    /// (None when paid), `gross`, `tax`, `contribution`, `net` (None unless paid).
    #[getter]
    fn employees<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let t = self.employees_table.get_or_try_init(py, || self.build_employees(py).map(Bound::unbind))?;
        Ok(t.bind(py).clone())
    }

    /// The counts and sums a payroll file is reconciled against
    /// (`kinerja.PayrollSummary`): employees, paid, failed, not paid, every rule's line
    /// count and sum in slip order, and ceiling, gross, tax, contribution and net.
    #[getter]
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let s = &self.inner.summary;
        let by_rule = s
            .by_rule
            .iter()
            .map(|r| record!(py, "RuleTotal", { rule: &r.rule, lines: r.lines, amount: r.amount.amount() }))
            .collect::<PyResult<Vec<_>>>()?;
        record!(py, "PayrollSummary", {
            employees: s.employees,
            paid: s.paid,
            failed: s.failed,
            not_paid: s.not_paid,
            by_rule: PyTuple::new(py, by_rule)?,
            ceiling: s.ceiling.amount(),
            gross: s.gross.amount(),
            tax: s.tax.amount(),
            contribution: s.contribution.amount(),
            net: s.net.amount(),
        })
    }

    /// The rule ids of the rule columns, in order (every rule on any slip but `ceiling`).
    #[getter]
    fn rules(&self) -> Vec<String> {
        self.rules.clone()
    }

    /// The full slip of the employee with this NIP (`kinerja.Slip`); raises
    /// `kinerja.NotFoundError` when the employee was not paid.
    fn slip<'py>(&self, py: Python<'py>, nip: &str) -> PyResult<Bound<'py, PyAny>> {
        slip_record(py, self.find(nip)?)
    }

    /// The allowance input the employee was paid from (`kinerja.AllowanceInput`,
    /// from the month's recap and the city's records): correct it and recompute with
    /// `compute_slip` for the arrears. Raises `kinerja.NotFoundError` when the
    /// employee has no recap or held no definitive position in the month.
    fn input(&self, py: Python<'_>, nip: &str) -> PyResult<PyAllowanceInput> {
        let n = crate::convert::nip(nip, "nip")?;
        let ctx = self.ctx.bind(py).get().ctx();
        let r = self.recap.employees.iter().find(|e| e.employee == n);
        let input = r.and_then(|r| payroll::allowance_input(ctx.city, ctx, r));
        input
            .map(|inner| PyAllowanceInput { inner })
            .ok_or_else(|| err(Error::NotFound { record: "allowance_input", id: nip.to_string() }))
    }

    /// The slips as JSON (a list, docs/allowance.md section 4), exactly as the core
    /// serialises them.
    fn slips_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.inner.slips).map_err(|e| format_error(&e))
    }

    /// The payroll for a notebook: the month, who was paid, the city's gross and net,
    /// then the table per work unit, in `lang` (`"id"`, the default, or `"en"`); amounts
    /// as `Rp 6.500.000`, every text escaped.
    #[pyo3(signature = (lang = "id"))]
    fn to_html<'py>(slf: &Bound<'py, Self>, lang: &str) -> PyResult<Bound<'py, PyAny>> {
        slf.py().import("kinerja._html")?.call_method1("payroll_html", (slf, lang))
    }

    /// Jupyter's view: `to_html()` in Indonesian.
    fn _repr_html_(slf: &Bound<'_, Self>) -> PyResult<String> {
        Self::to_html(slf, "id")?.extract()
    }

    /// Number of slips.
    fn __len__(&self) -> usize {
        self.inner.slips.len()
    }

    /// Whether the employee with this NIP (text) was paid.
    fn __contains__(&self, nip: &Bound<'_, PyAny>) -> bool {
        nip.cast::<PyString>()
            .ok()
            .and_then(|s| s.to_cow().ok().and_then(|s| Nip::parse(&s).ok()))
            .is_some_and(|n| self.index.contains_key(&n))
    }

    fn __repr__(&self) -> String {
        let c = &self.inner.city;
        format!(
            "Payroll({}, {} slips, {} failures, {} not paid, gross {}, net {})",
            self.inner.month,
            self.inner.slips.len(),
            self.inner.failures.len(),
            self.inner.not_paid.len(),
            c.gross.amount(),
            c.net.amount()
        )
    }
}

/// The core's recap from a `kinerja.MonthlyRecap` (from `Ledger.recap()`) or a
/// `kinerja.Ledger` (its final recap).
fn recap_arg(py: Python<'_>, ob: &Bound<'_, PyAny>) -> PyResult<Arc<MonthlyRecap>> {
    if let Ok(ledger) = ob.cast::<PyLedger>() {
        let ledger = ledger.try_borrow()?;
        return ledger.native_recap(py, None);
    }
    if ob.is_instance(pytype!(py, "MonthlyRecap")?)?
        && let Ok(native) = ob.getattr("_native")
        && let Ok(data) = native.cast::<PyRecapData>()
    {
        return Ok(data.get().recap.clone());
    }
    Err(type_error("expected a kinerja.MonthlyRecap (from Ledger.recap()) or a kinerja.Ledger"))
}

/// Pays a city's month: every employee's allowance slip (TPP) from the month's recap,
/// with the allowance policy bound once, plus totals per work unit and for the city.
///
/// `recap_or_ledger` is a `kinerja.MonthlyRecap` (from `Ledger.recap()`) or a
/// `kinerja.Ledger` (its final recap is taken). `policy` defaults to the context's.
/// Every employee is accounted for: an employee whose slip cannot be computed is listed
/// in `failures`, one without a definitive position in the month in `not_paid`, with
/// the reason; the others are paid. Raises `kinerja.PolicyError` when the policy cannot be bound for the month and
/// `kinerja.AllowanceError` (`month_mismatch`) when the recap is of another month.
///
/// The provenance gate: when allowance policy values in force are not verified
/// (recalled, illustrative or unstated; every value of the national baseline), paying
/// needs `allow_unverified=True`, else `kinerja.PolicyError` (`unverified_policy`) is
/// raised; every slip then lists the values in `unverified` (slip version 3).
#[pyfunction]
#[pyo3(signature = (ctx, recap_or_ledger, policy=None, *, allow_unverified=false))]
pub fn pay_city(
    py: Python<'_>,
    ctx: Bound<'_, PyMonthContext>,
    recap_or_ledger: &Bound<'_, PyAny>,
    policy: Option<PyRef<'_, PyPolicy>>,
    allow_unverified: bool,
) -> PyResult<PyPayroll> {
    let recap = recap_arg(py, recap_or_ledger)?;
    let c = ctx.get();
    let policy = &policy_of(c, policy.as_deref(), py).inner;
    let cx = c.ctx();
    let r = &recap;
    let options = payroll::PayOptions { allow_unverified };
    let paid = guard(|| py.detach(|| payroll::pay_city_with(cx.city, cx, r, policy, &options)).map_err(err))?;
    Ok(PyPayroll::new(paid, ctx.unbind(), recap))
}

fn change_cols<'py>(
    t: &mut TableBuilder<'py>,
    name: &str,
    values: impl Iterator<Item = Change> + Clone,
) -> PyResult<()> {
    money_col(t, &format!("{name}_before"), values.clone().map(|c| c.before))?;
    money_col(t, &format!("{name}_after"), values.clone().map(|c| c.after))?;
    money_col(t, &format!("{name}_delta"), values.map(|c| c.delta))
}

fn change_record<'py>(py: Python<'py>, c: &Change) -> PyResult<Bound<'py, PyAny>> {
    record!(py, "AmountChange", { before: c.before.amount(), after: c.after.amount(), delta: c.delta.amount() })
}

/// Pays the month under the current and the proposed policy and compares them: the
/// budget impact of a regulation change, per employee, per work unit and for the city.
///
/// Returns a `kinerja.WhatIf` whose `employees` and `units` are `kinerja.Table`s of
/// before/after/delta amounts, `city` the city's change, and `current` / `proposed`
/// the two `kinerja.Payroll`s.
#[pyfunction]
pub fn what_if<'py>(
    py: Python<'py>,
    ctx: Bound<'py, PyMonthContext>,
    recap_or_ledger: &Bound<'py, PyAny>,
    current_policy: PyRef<'py, PyPolicy>,
    proposed_policy: PyRef<'py, PyPolicy>,
) -> PyResult<Bound<'py, PyAny>> {
    let recap = recap_arg(py, recap_or_ledger)?;
    let c = ctx.get();
    let cx = c.ctx();
    let (current, proposed) = (&current_policy.inner, &proposed_policy.inner);
    let r = &recap;
    let w = guard(|| py.detach(|| payroll::what_if(cx.city, cx, r, current, proposed)).map_err(err))?;
    let WhatIf { current, proposed, comparison, units } = w;
    let org = &cx.city.organisation;

    // Per employee.
    let unit_of: HashMap<&Nip, Option<&str>> = current
        .slips
        .iter()
        .zip(&current.slip_units)
        .chain(proposed.slips.iter().zip(&proposed.slip_units))
        .map(|(s, u)| (&s.employee, u.as_ref().map(|u| u.as_str())))
        .collect();
    let es = &comparison.employees;
    let rules = rule_order(current.slips.iter().chain(&proposed.slips));
    let mut t = TableBuilder::new(py);
    t.col("nip", es.iter().map(|e| e.employee.as_str()))?;
    t.col("name", es.iter().map(|e| org.employee(&e.employee).map(|x| x.name.as_str())))?;
    t.col_shared("unit", es.iter().map(|e| unit_of.get(&e.employee).copied().flatten()), |u| u.map(str::to_string))?;
    t.col("presence", es.iter().map(|e| text(&e.presence)))?;
    change_cols(&mut t, "gross", es.iter().map(|e| e.gross))?;
    change_cols(&mut t, "tax", es.iter().map(|e| e.tax))?;
    change_cols(&mut t, "contribution", es.iter().map(|e| e.contribution))?;
    change_cols(&mut t, "net", es.iter().map(|e| e.net))?;
    let mut ceiling_too = rules.clone();
    ceiling_too.insert(0, "ceiling".to_string());
    for rule in &ceiling_too {
        money_col(
            &mut t,
            &format!("delta.{rule}"),
            es.iter().map(|e| e.by_rule.get(rule).map_or(Money::ZERO, |c| c.delta)),
        )?;
    }
    let employees = t.finish()?;

    // Per unit, in dataset order (employees without a unit last, as unit None).
    let mut order: Vec<(Option<&str>, &kinerja::allowance::Delta)> =
        org.units().iter().filter_map(|u| units.get(u.id.as_str()).map(|d| (Some(u.id.as_str()), d))).collect();
    order.extend(units.iter().filter(|(k, _)| org.unit(&(*k).as_str().into()).is_none()).map(|(k, d)| {
        let key = if k.is_empty() { None } else { Some(k.as_str()) };
        (key, d)
    }));
    let mut t = TableBuilder::new(py);
    t.col("unit", order.iter().map(|(u, _)| *u))?;
    t.col("name", order.iter().map(|(u, _)| u.and_then(|u| org.unit(&u.into())).map(|x| x.name.as_str())))?;
    t.col("employees", order.iter().map(|(_, d)| d.employees))?;
    change_cols(&mut t, "gross", order.iter().map(|(_, d)| d.gross))?;
    change_cols(&mut t, "tax", order.iter().map(|(_, d)| d.tax))?;
    change_cols(&mut t, "contribution", order.iter().map(|(_, d)| d.contribution))?;
    change_cols(&mut t, "net", order.iter().map(|(_, d)| d.net))?;
    let units_table = t.finish()?;

    let d = &comparison.total;
    let city = record!(py, "AllowanceDelta", {
        employees: d.employees,
        gross: change_record(py, &d.gross)?,
        tax: change_record(py, &d.tax)?,
        contribution: change_record(py, &d.contribution)?,
        net: change_record(py, &d.net)?,
    })?;
    let month = current.month.to_string();
    let ctx_py = ctx.unbind();
    let current = Py::new(py, PyPayroll::new(current, ctx_py.clone_ref(py), recap.clone()))?;
    let proposed = Py::new(py, PyPayroll::new(proposed, ctx_py, recap))?;
    record!(py, "WhatIf", {
        month: month,
        employees: employees,
        units: units_table,
        city: city,
        before: totals_record(py, &comparison.before)?,
        after: totals_record(py, &comparison.after)?,
        current: current,
        proposed: proposed,
    })
}

// --- text for people: the core's one renderer ------------------------------------

/// `"id"` or `"en"` (or a tag such as `"id-ID"`); anything else is a `ValueError`.
fn lang_of(lang: &str) -> PyResult<Lang> {
    lang.parse::<Lang>().map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
}

/// A structured message (`{"id": ..., "args": {...}}`, as `SlipLine.message` holds it)
/// rendered in `lang` by the engine's catalogues.
#[pyfunction]
#[pyo3(signature = (message, lang = "id"))]
pub fn render_message(py: Python<'_>, message: &Bound<'_, PyAny>, lang: &str) -> PyResult<String> {
    let lang = lang_of(lang)?;
    let text: String = py.import("json")?.call_method1("dumps", (message,))?.extract()?;
    let m: Message = serde_json::from_str(&text)
        .map_err(|e| type_error(format!("not a message ({{\"id\": ..., \"args\": {{...}}}}): {e}")))?;
    Ok(Renderer::builtin().message(lang, &m))
}

/// An amount of rupiah for reading: `Rp 6.500.000` (`lang="id"`, the default) or
/// `Rp 6,500,000` (`"en"`); `-Rp 150.000`; cents only when there are any.
#[pyfunction]
#[pyo3(signature = (amount, lang = "id"))]
pub fn format_rupiah(amount: &Bound<'_, PyAny>, lang: &str) -> PyResult<String> {
    let lang = lang_of(lang)?;
    Ok(kinerja::i18n::rupiah(Money::new(exact_decimal(amount, "amount")?), lang))
}

/// The name of a slip rule for reading (`deduction.late.1` -> `Terlambat TL1` with
/// `lang="id"`, the default, or `Late arrival TL1`), from the engine's catalogues; the
/// rule id itself when they have no name for it.
#[pyfunction]
#[pyo3(signature = (rule, lang = "id"))]
pub fn rule_name(rule: &str, lang: &str) -> PyResult<String> {
    Ok(Renderer::builtin().rule_name(lang_of(lang)?, rule))
}

/// A text of the engine's catalogues without arguments (`slip-gross` -> `Bruto`), or
/// `None` when the catalogue of `lang` has no such text. For the notebook views.
#[pyfunction]
#[pyo3(signature = (id, lang = "id"))]
pub fn _label(id: &str, lang: &str) -> PyResult<Option<String>> {
    let lang = lang_of(lang)?;
    let r = Renderer::builtin();
    Ok(r.has_message(lang, id).then(|| r.text(lang, id, &kinerja::i18n::Args::new())))
}

/// A date for reading: `5 Oktober 2026` (`lang="id"`, the default) or `5 October 2026`.
#[pyfunction]
#[pyo3(signature = (date, lang = "id"))]
pub fn format_date(date: Date, lang: &str) -> PyResult<String> {
    Ok(kinerja::i18n::date(date.0, lang_of(lang)?))
}

/// A slip for people in `lang`: every line with its amount, explanation, policy values
/// (legal references) and inputs, then the totals (the CLI's `explain`).
#[pyfunction]
#[pyo3(signature = (slip, lang = "id", name = None))]
pub fn explain_slip(slip: &Bound<'_, PyAny>, lang: &str, name: Option<&str>) -> PyResult<String> {
    let lang = lang_of(lang)?;
    let s = slip_from_record(slip)?;
    Ok(Renderer::builtin().slip(lang, &s, name))
}

/// Times the core's `pay_city` alone (no Python object made) on the recap of
/// `recap_or_ledger` under the context's policy, `repeat` times: the seconds of each
/// run. For benches/python_vs_rust.py, which sets it against `kinerja.pay_city` in the
/// same process and build. Not part of the public API.
#[pyfunction]
#[pyo3(signature = (ctx, recap_or_ledger, repeat = 5))]
pub fn _time_native_pay_city(
    py: Python<'_>,
    ctx: Bound<'_, PyMonthContext>,
    recap_or_ledger: &Bound<'_, PyAny>,
    repeat: usize,
) -> PyResult<Vec<f64>> {
    let recap = recap_arg(py, recap_or_ledger)?;
    let c = ctx.get();
    let policy = &policy_of(c, None, py).inner;
    let cx = c.ctx();
    let options = payroll::PayOptions { allow_unverified: true };
    let mut out = Vec::with_capacity(repeat);
    // The results are kept until every run is timed, as the Python side keeps its
    // Payrolls: freeing a city's slips is not part of the call.
    let mut kept = Vec::with_capacity(repeat);
    for _ in 0..repeat {
        let start = std::time::Instant::now();
        let paid = guard(|| py.detach(|| payroll::pay_city_with(cx.city, cx, &recap, policy, &options)).map_err(err))?;
        out.push(start.elapsed().as_secs_f64());
        kept.push(paid);
    }
    drop(kept);
    Ok(out)
}
