//! The core's errors as Python exceptions (`kinerja._errors`).
//!
//! Every core error becomes a [`KErr`]: the Python class to raise and what the core
//! says about the error (its stable code, record, id, field, problems and further
//! details). Nothing is decided here: codes and messages are the core's.

use std::panic::{AssertUnwindSafe, catch_unwind};

use chrono::{NaiveDate, NaiveDateTime};
use kinerja::abk::AbkError;
use kinerja::activity::{ActivityError, VerificationError};
use kinerja::allowance::AllowanceError;
use kinerja::attendance::AttendanceError;
use kinerja::dataset::DatasetError;
use kinerja::ledger::{JournalError, LedgerError, Position};
use kinerja::month::MonthParseError;
use kinerja::org::{NipError, NotAuthorised};
use kinerja::payroll::PayrollError;
use kinerja::policy::PolicyError;
use kinerja::targets::TargetError;
use kinerja::{ArithmeticError, Error, Problem, ValidationErrors};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyModule};

/// A further fact about an error.
#[derive(Debug, Clone)]
pub enum Detail {
    /// Text.
    Text(String),
    /// A whole number.
    Int(i64),
    /// A date.
    Date(NaiveDate),
    /// A date and time.
    DateTime(NaiveDateTime),
    /// A list of whole numbers.
    Ints(Vec<i64>),
}

/// A core error, ready to be raised as a `kinerja` exception.
#[derive(Debug, Clone)]
pub struct KErr {
    /// Name of the class in `kinerja._errors`.
    pub class: &'static str,
    /// The core's message.
    pub message: String,
    /// The core's stable code.
    pub code: String,
    /// Kind of record at fault.
    pub record: Option<String>,
    /// Its id.
    pub id: Option<String>,
    /// The field at fault.
    pub field: Option<String>,
    /// Every problem (validation).
    pub problems: Vec<Problem>,
    /// Further facts.
    pub details: Vec<(&'static str, Detail)>,
    /// The error this one wraps (journal replay).
    pub cause: Option<Box<KErr>>,
}

impl KErr {
    /// An error of `class` with a message and code.
    pub fn new(class: &'static str, message: impl Into<String>, code: impl Into<String>) -> Self {
        KErr {
            class,
            message: message.into(),
            code: code.into(),
            record: None,
            id: None,
            field: None,
            problems: Vec::new(),
            details: Vec::new(),
            cause: None,
        }
    }

    /// Sets the record, id and field (empty texts stay unset).
    pub fn at(mut self, record: &str, id: &str, field: &str) -> Self {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        self.record = some(record);
        self.id = some(id);
        self.field = some(field);
        self
    }

    /// Adds a detail.
    pub fn with(mut self, name: &'static str, value: Detail) -> Self {
        self.details.push((name, value));
        self
    }

    /// Sets the problems; record, id and field are those of the first one.
    pub fn problems(mut self, problems: Vec<Problem>) -> Self {
        if let Some(p) = problems.first() {
            let (r, i, f) = (p.record.clone(), p.id.clone(), p.field.clone());
            self = self.at(&r, &i, &f);
        }
        self.problems = problems;
        self
    }

    /// A `TypeConversionError` (the Python value cannot be converted).
    pub fn conversion(message: impl Into<String>) -> Self {
        KErr::new("TypeConversionError", message, "wrong_type")
    }

    /// A `FloatRefused` error for a float given as `what`.
    pub fn float(what: &str) -> Self {
        KErr::new(
            "FloatRefused",
            format!(
                "{what}: a float is not accepted where an exact number is needed (floats are binary \
                 approximations); pass a decimal.Decimal (e.g. Decimal(\"0.9\")) or an int"
            ),
            "float_refused",
        )
        .at("", "", what)
    }

    /// Builds the Python exception.
    fn build<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        static MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
        let module = MODULE.get_or_try_init(py, || py.import("kinerja._errors").map(Bound::unbind))?.bind(py);
        let class = module.getattr(self.class)?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("code", &self.code)?;
        kwargs.set_item("record", &self.record)?;
        kwargs.set_item("id", &self.id)?;
        kwargs.set_item("field", &self.field)?;
        let problems = PyList::empty(py);
        for p in &self.problems {
            problems.append(crate::convert::problem(py, p)?)?;
        }
        kwargs.set_item("problems", problems)?;
        let details = PyDict::new(py);
        for (name, value) in &self.details {
            match value {
                Detail::Text(s) => details.set_item(*name, s)?,
                Detail::Int(i) => details.set_item(*name, i)?,
                Detail::Date(d) => details.set_item(*name, d)?,
                Detail::DateTime(d) => details.set_item(*name, d)?,
                Detail::Ints(v) => details.set_item(*name, v)?,
            }
        }
        kwargs.set_item("details", details)?;
        let exc = class.call((&self.message,), Some(&kwargs))?;
        if let Some(cause) = &self.cause {
            exc.setattr("__cause__", cause.build(py)?)?;
        }
        Ok(exc)
    }
}

impl From<KErr> for PyErr {
    fn from(e: KErr) -> PyErr {
        Python::attach(|py| match e.build(py) {
            Ok(exc) => PyErr::from_value(exc),
            Err(failed) => failed,
        })
    }
}

/// Converts any core error into the Python exception to raise.
pub fn err(e: impl Into<KErr>) -> PyErr {
    e.into().into()
}

/// Runs `f`, turning a Rust panic into `kinerja.InternalError` (never a crash).
pub fn guard<T>(f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            let text = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            let e = KErr::new("InternalError", format!("internal error (a bug in kinerja): {text}"), "internal");
            let py_err: PyErr = e.into();
            // If even the exception class cannot be built, still raise something.
            Err(if py_err.to_string().is_empty() { PyRuntimeError::new_err(text) } else { py_err })
        }
    }
}

impl From<ArithmeticError> for KErr {
    fn from(e: ArithmeticError) -> Self {
        let k = KErr::new("ArithmeticError", e.to_string(), Error::from(e.clone()).code());
        match e {
            ArithmeticError::Overflow { operation } | ArithmeticError::DivisionByZero { operation } => {
                k.with("operation", Detail::Text(operation.to_string()))
            }
            ArithmeticError::NotADecimal { text } => k.with("text", Detail::Text(text)),
        }
    }
}

impl From<ValidationErrors> for KErr {
    fn from(e: ValidationErrors) -> Self {
        KErr::new("ValidationError", e.to_string(), "validation").problems(e.problems)
    }
}

impl From<NipError> for KErr {
    fn from(e: NipError) -> Self {
        KErr::new("ValidationError", e.to_string(), e.code()).at("nip", e.text(), "")
    }
}

impl From<PolicyError> for KErr {
    fn from(e: PolicyError) -> Self {
        let k = KErr::new("PolicyError", e.to_string(), e.code());
        match e {
            PolicyError::Invalid { file, problems } => {
                KErr { problems, ..k.at("policy", &file, "") }.with("file", Detail::Text(file))
            }
            PolicyError::UnknownKey { key }
            | PolicyError::WrongType { key, .. }
            | PolicyError::BadValue { key, .. } => k.at("policy", &key, "value"),
            PolicyError::NoValue { key, date } => k.at("policy", &key, "").with("date", Detail::Date(date)),
        }
    }
}

impl From<AbkError> for KErr {
    fn from(e: AbkError) -> Self {
        let message = e.to_string();
        let code = e.code();
        match e {
            AbkError::EffectiveTime { value } => KErr::new("PolicyError", message, code)
                .at("abk_params", "", "effective_minutes_per_year")
                .with("value", Detail::Int(value)),
            AbkError::ConversionFactor { field, value } => {
                KErr::new("PolicyError", message, code).at("abk_params", "", field).with("value", Detail::Int(value))
            }
            AbkError::Bands { .. } => KErr::new("PolicyError", message, code).at("abk_params", "", "grade_bands"),
            AbkError::Invalid(v) => KErr::from(v),
            AbkError::Arithmetic { record, id, field, source } => {
                KErr { message, ..KErr::from(source) }.at(record, &id, field)
            }
        }
    }
}

impl From<NotAuthorised> for KErr {
    fn from(e: NotAuthorised) -> Self {
        let k = KErr::new("AuthorisationError", e.to_string(), "not_authorised");
        match e {
            NotAuthorised::SelfVerification => {
                k.at("activity", "", "verifier").with("reason", Detail::Text("self_verification".into()))
            }
            NotAuthorised::NoSupervisor { employee } => {
                k.at("employee", employee.as_str(), "supervisor").with("reason", Detail::Text("no_supervisor".into()))
            }
            NotAuthorised::NotTheSupervisor { verifier, employee, date, expected_position } => k
                .at("activity", employee.as_str(), "verifier")
                .with("reason", Detail::Text("not_the_supervisor".into()))
                .with("verifier", Detail::Text(verifier.to_string()))
                .with("employee", Detail::Text(employee.to_string()))
                .with("date", Detail::Date(date))
                .with("expected_position", Detail::Text(expected_position.to_string())),
            NotAuthorised::UnknownEmployee { nip } => {
                k.at("employee", nip.as_str(), "nip").with("reason", Detail::Text("unknown_employee".into()))
            }
            other => {
                let reason = other.reason();
                let (actor, extra): (String, Vec<(&'static str, Detail)>) = match other {
                    NotAuthorised::UnknownActor { actor }
                    | NotAuthorised::NotAnEmployee { actor }
                    | NotAuthorised::NotADevice { actor }
                    | NotAuthorised::SameOfficer { actor } => (actor, vec![]),
                    NotAuthorised::NotInService { actor, date } => (actor, vec![("date", Detail::Date(date))]),
                    NotAuthorised::NotTheEmployee { actor, employee }
                    | NotAuthorised::WrongDevice { actor, employee } => {
                        (actor, vec![("employee", Detail::Text(employee.to_string()))])
                    }
                    NotAuthorised::NotAnOfficer { actor, role, date } => {
                        (actor, vec![("role", Detail::Text(role.into())), ("date", Detail::Date(date))])
                    }
                    NotAuthorised::OutsideUnit { actor, employee, date } => {
                        (actor, vec![("employee", Detail::Text(employee.to_string())), ("date", Detail::Date(date))])
                    }
                    NotAuthorised::NotTheVerifier { actor, position } => {
                        (actor, vec![("position", Detail::Text(position.to_string()))])
                    }
                    NotAuthorised::NotSelfReportable { actor, kind } => (actor, vec![("kind", Detail::Text(kind))]),
                    _ => (String::new(), vec![]),
                };
                let mut k = k
                    .at("request", &actor, "actor")
                    .with("reason", Detail::Text(reason.into()))
                    .with("actor", Detail::Text(actor.clone()));
                for (name, value) in extra {
                    k = k.with(name, value);
                }
                k
            }
        }
    }
}

impl From<ActivityError> for KErr {
    fn from(e: ActivityError) -> Self {
        KErr::new("ActivityRejected", e.to_string(), e.code()).at(e.record(), "", e.field())
    }
}

impl From<VerificationError> for KErr {
    fn from(e: VerificationError) -> Self {
        KErr::new("VerificationError", e.to_string(), e.code()).at(e.record(), &e.entry().to_string(), e.field())
    }
}

impl From<AttendanceError> for KErr {
    fn from(e: AttendanceError) -> Self {
        KErr::new("AttendanceError", e.to_string(), e.code()).at(e.record(), e.employee().as_str(), e.field())
    }
}

impl From<DatasetError> for KErr {
    fn from(e: DatasetError) -> Self {
        let message = e.to_string();
        let code = Error::from(e.clone()).code();
        match e {
            DatasetError::Syntax { line, column, .. } => KErr::new("ValidationError", message, code)
                .at("dataset", "", "")
                .with("line", Detail::Int(line as i64))
                .with("column", Detail::Int(column as i64)),
            DatasetError::Invalid(v) => KErr::new("ValidationError", message, code).problems(v.problems),
        }
    }
}

impl From<MonthParseError> for KErr {
    fn from(e: MonthParseError) -> Self {
        KErr::new("ValidationError", e.to_string(), "invalid_month").at("month", &e.text, "month")
    }
}

impl From<TargetError> for KErr {
    fn from(e: TargetError) -> Self {
        let message = e.to_string();
        let code = e.code();
        match e {
            TargetError::UnknownEmployee { nip } => {
                KErr::new("NotFoundError", message, code).at("employee", nip.as_str(), "")
            }
            TargetError::Arithmetic { employee, field, source, .. } => {
                KErr { message, ..KErr::from(source) }.at("month_target", employee.as_str(), field)
            }
            TargetError::DailyMinutes { .. } => {
                KErr::new("PolicyError", message, code).at("target_params", "", "daily_minutes")
            }
            TargetError::CalendarRange { .. } => KErr::new("LedgerError", message, code).at("calendar", "", ""),
        }
    }
}

impl From<Error> for KErr {
    fn from(e: Error) -> Self {
        match e {
            Error::Arithmetic(e) => e.into(),
            Error::Validation(e) => e.into(),
            Error::Nip(e) => e.into(),
            Error::Policy(e) => e.into(),
            Error::Abk(e) => e.into(),
            Error::NotAuthorised(e) => e.into(),
            Error::Activity(e) => e.into(),
            Error::Verification(e) => e.into(),
            Error::Dataset(e) => e.into(),
            Error::Allowance(e) => e.into(),
            Error::NotFound { record, id } => {
                let message = format!("{record} `{id}` not found");
                KErr::new("NotFoundError", message, "not_found").at(record, &id, "")
            }
            other => KErr::new("KinerjaError", other.to_string(), other.code()),
        }
    }
}

impl From<LedgerError> for KErr {
    fn from(e: LedgerError) -> Self {
        let message = e.to_string();
        let code = e.code();
        match e {
            LedgerError::Activity(e) => e.into(),
            LedgerError::Verification(e) => e.into(),
            LedgerError::NotAuthorised(e) => e.into(),
            LedgerError::Attendance(e) => e.into(),
            LedgerError::Policy(e) => e.into(),
            LedgerError::Arithmetic(e) => e.into(),
            LedgerError::UnknownEmployee { record, field, nip } => {
                KErr::new("NotFoundError", message, code).at(record, nip.as_str(), field)
            }
            LedgerError::UnknownEntry { id } => {
                KErr::new("NotFoundError", message, code).at("activity", &id.to_string(), "id")
            }
            LedgerError::WrongMonth { record, field, date, month } => KErr::new("LedgerError", message, code)
                .at(record, "", field)
                .with("date", Detail::Date(date))
                .with("month", Detail::Text(month.to_string())),
            LedgerError::MonthClosed { month } => {
                KErr::new("LedgerError", message, code).at("month", &month.to_string(), "")
            }
            LedgerError::Conflict { record, id, field, .. } => {
                KErr::new("LedgerError", message, code).at(record, &id, field)
            }
            LedgerError::NotTheEmployee { id, action } => KErr::new("AuthorisationError", message, code)
                .at("activity", &id.to_string(), "employee")
                .with("reason", Detail::Text(code.to_string()))
                .with("action", Detail::Text(action.to_string())),
            LedgerError::NotClosed { month } => {
                KErr::new("LedgerError", message, code).at("month", &month.to_string(), "")
            }
            LedgerError::MissingReason { record } => KErr::new("LedgerError", message, code).at(record, "", "reason"),
            LedgerError::OutOfOrder { at, last } => KErr::new("LedgerError", message, code)
                .at("request", "", "at")
                .with("at", Detail::DateTime(at))
                .with("last", Detail::DateTime(last)),
            LedgerError::ClaimTooOld { at, received_at, earliest } => {
                let k = KErr::new("LedgerError", message, code)
                    .at("request", "", "at")
                    .with("at", Detail::DateTime(at))
                    .with("received_at", Detail::DateTime(received_at));
                match earliest {
                    Some(d) => k.with("earliest", Detail::Date(d)),
                    None => k,
                }
            }
            LedgerError::ClaimInFuture { at, received_at } => KErr::new("LedgerError", message, code)
                .at("request", "", "at")
                .with("at", Detail::DateTime(at))
                .with("received_at", Detail::DateTime(received_at)),
            LedgerError::DuplicateKey { key, seq } => {
                KErr::new("LedgerError", message, code).at("request", &key, "key").with("seq", Detail::Int(seq as i64))
            }
            LedgerError::Forged { .. } => KErr::new("LedgerError", message, code).at("journal", "", ""),
            LedgerError::Journal(e) => e.into(),
            LedgerError::Format { what, .. } => KErr::new("LedgerError", message, code).at(what, "", ""),
            LedgerError::Replay { seq, source, position: at } => {
                let cause = KErr::from(*source);
                let k = KErr {
                    cause: Some(Box::new(cause)),
                    ..KErr::new("LedgerError", message, code).at("journal", &seq.to_string(), "")
                }
                .with("seq", Detail::Int(seq as i64));
                position(k, at)
            }
            other => KErr::new("KinerjaError", other.to_string(), other.code()),
        }
    }
}

fn position(k: KErr, p: Option<Position>) -> KErr {
    match p {
        Some(Position::Line(n)) => k.with("line", Detail::Int(n as i64)),
        Some(Position::Record { number, offset }) => {
            k.with("record", Detail::Int(number as i64)).with("offset", Detail::Int(offset as i64))
        }
        None => k,
    }
}

impl From<JournalError> for KErr {
    fn from(e: JournalError) -> Self {
        let message = e.to_string();
        let k = KErr::new("LedgerError", message, e.code());
        match e {
            JournalError::Chain(p) => position(
                k.at("journal", &p.seq.to_string(), "")
                    .with("fault", Detail::Text(p.fault.as_str().into()))
                    .with("seq", Detail::Int(p.seq as i64)),
                p.position,
            ),
            JournalError::Format { position: p, .. } => position(k.at("journal", "", ""), Some(p)),
            JournalError::Version { found } => {
                k.at("journal", "", "version").with("version", Detail::Int(found.into()))
            }
            _ => k.at("journal", "", ""),
        }
    }
}

impl From<AllowanceError> for KErr {
    fn from(e: AllowanceError) -> Self {
        let message = e.to_string();
        let code = e.code();
        const INPUT: &str = "allowance_input";
        match e {
            AllowanceError::InvalidInput(v) => KErr::new("ValidationError", message, code).problems(v.problems),
            AllowanceError::Policy(e) => e.into(),
            AllowanceError::Arithmetic { employee, context, source } => KErr { message, ..KErr::from(source) }
                .at(INPUT, &employee, "")
                .with("context", Detail::Text(context.to_string())),
            AllowanceError::UnknownSanctionLevel { employee, index, level, known } => {
                KErr::new("AllowanceError", message, code)
                    .at(INPUT, &employee, &format!("sanctions[{index}].level"))
                    .with("index", Detail::Int(index as i64))
                    .with("level", Detail::Text(level))
                    .with("known", Detail::Text(known))
            }
            AllowanceError::SanctionMonthsNotAllowed { employee, index, level, months, allowed } => {
                KErr::new("AllowanceError", message, code)
                    .at(INPUT, &employee, &format!("sanctions[{index}].months"))
                    .with("index", Detail::Int(index as i64))
                    .with("level", Detail::Text(level))
                    .with("months", Detail::Int(months))
                    .with("allowed", Detail::Ints(allowed.into_iter().map(i64::from).collect()))
            }
            AllowanceError::MonthMismatch { employee, input, params } => KErr::new("AllowanceError", message, code)
                .at(INPUT, &employee, "month")
                .with("input", Detail::Text(input.to_string()))
                .with("params", Detail::Text(params.to_string())),
            AllowanceError::Invariant { employee, .. } => {
                KErr::new("AllowanceError", message, code).at("slip", &employee, "")
            }
            AllowanceError::UnsupportedSlipVersion { version } => KErr::new("AllowanceError", message, code)
                .at("slip", "", "schema_version")
                .with("version", Detail::Int(i64::from(version))),
            AllowanceError::SlipMismatch { field, paid, recomputed } => KErr::new("AllowanceError", message, code)
                .at("slip", "", field)
                .with("paid", Detail::Text(paid))
                .with("recomputed", Detail::Text(recomputed)),
        }
    }
}

impl From<PayrollError> for KErr {
    fn from(e: PayrollError) -> Self {
        let message = e.to_string();
        let code = e.code();
        match e {
            PayrollError::Policy(e) => e.into(),
            PayrollError::Arithmetic(e) => e.into(),
            PayrollError::MonthMismatch { recap, context } => KErr::new("AllowanceError", message, code)
                .at("recap", "", "month")
                .with("recap", Detail::Text(recap.to_string()))
                .with("context", Detail::Text(context.to_string())),
            PayrollError::NotClosed { month } => KErr::new("AllowanceError", message, code)
                .at("recap", "", "closed")
                .with("month", Detail::Text(month.to_string())),
        }
    }
}
