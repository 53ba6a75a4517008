//! `kinerja.MonthContext`, `kinerja.Ledger`, `simulate_month` and the monthly recap.

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use kinerja::activity::{self, ActivityEntry, ActivityId, ActivityInput, Decision};
use kinerja::attendance::{Absence, AbsenceKind, ClockDirection, ClockEvent, ClockSource};
use kinerja::dataset::City;
use kinerja::ids::TaskId;
use kinerja::ledger::{
    Command, EventKind, ExtraTask, Head, Journal, Ledger, LedgerError, MonthContext, Request, RollCallList, Snapshot,
};
use kinerja::minutes::Minutes;
use kinerja::month::DateRange;
use kinerja::org::Nip;
use kinerja::recap::{self, MonthlyRecap};
use kinerja::rollcall::{Ceremony, RollCallKind, RollCallMark};
use kinerja_columnar::ColumnarError;
use kinerja_columnar::arrow_array::RecordBatch;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyTuple};
use self_cell::self_cell;

use crate::city::PyCity;
use crate::columns::{TableBuilder, columnar_err, wrap};
use crate::convert::{
    Date, actor_id, exact_decimal, member, nip, parse_enum, provenances, pytype, record, text, type_error,
};
use crate::errors::{KErr, err, guard};
use crate::policy::PyPolicy;

self_cell!(
    /// A month context together with the city it borrows.
    struct ContextCell {
        owner: Arc<City>,
        #[covariant]
        dependent: MonthContext,
    }
);

/// Everything a month's commands are checked against: the city, the policy resolved
/// for every day of the month, the compiled calendar and the verification deadline.
///
/// >>> ctx = MonthContext(city, Policy.national(), "2026-10")
/// >>> ctx.deadline
/// datetime.date(2026, 11, 6)
#[pyclass(frozen, module = "kinerja", name = "MonthContext")]
pub struct PyMonthContext {
    cell: ContextCell,
    city: Py<PyCity>,
    pub(crate) policy: Py<PyPolicy>,
}

impl PyMonthContext {
    /// The core's month context.
    pub(crate) fn ctx(&self) -> &MonthContext<'_> {
        self.cell.borrow_dependent()
    }
}

#[pymethods]
impl PyMonthContext {
    /// Resolves `policy` for every day of `month` (`"YYYY-MM"`) for `city`.
    #[new]
    fn new(city: Bound<'_, PyCity>, policy: Bound<'_, PyPolicy>, month: &str) -> PyResult<Self> {
        let m = crate::convert::month(month)?;
        let owner = city.get().inner.clone();
        let cell =
            guard(|| ContextCell::try_new(owner, |c| MonthContext::new(c, &policy.get().inner, m)).map_err(err))?;
        Ok(PyMonthContext { cell, city: city.unbind(), policy: policy.unbind() })
    }

    /// The month, `"YYYY-MM"`.
    #[getter]
    fn month(&self) -> String {
        self.ctx().month.to_string()
    }

    /// The first day of the month.
    #[getter]
    fn first_day(&self) -> NaiveDate {
        self.ctx().month.first_day()
    }

    /// The last day of the month.
    #[getter]
    fn last_day(&self) -> NaiveDate {
        self.ctx().month.last_day()
    }

    /// The verification deadline: the last day a decision is accepted.
    #[getter]
    fn deadline(&self) -> NaiveDate {
        self.ctx().deadline
    }

    /// The city.
    #[getter]
    fn city(&self, py: Python<'_>) -> Py<PyCity> {
        self.city.clone_ref(py)
    }

    /// The policy.
    #[getter]
    fn policy(&self, py: Python<'_>) -> Py<PyPolicy> {
        self.policy.clone_ref(py)
    }

    /// Where every rule of the month came from (`tuple[kinerja.Provenance, ...]`).
    #[getter]
    fn provenance<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        provenances(py, &self.ctx().provenance)
    }

    fn __repr__(&self) -> String {
        format!(
            "MonthContext({:?}, {}, deadline {})",
            self.ctx().city.government.name,
            self.ctx().month,
            self.ctx().deadline
        )
    }
}

/// One month of a city's daily work: activity entries and their verification, extra
/// tasks, clock events, absences, roll calls and ceremonies.
///
/// A ledger changes only through commands. Each names its actor (text: an
/// employee's NIP, `official:ID` for the regional head or deputy, `device:ID` for
/// an attendance machine) and its time; the core checks who may issue it (the
/// authorisation matrix) and the rules in force on its date and, when it passes,
/// appends an event to the journal. Record times never go backwards: a command
/// dated before the last event is refused (`out_of_order`). A refused command
/// raises the core's error (`kinerja.ActivityRejected`,
/// `kinerja.AuthorisationError`, ...) and changes nothing. The journal is a hash
/// chain; `Ledger.replay(ctx, ledger.journal_json())` checks it, re-checks every
/// event and rebuilds the same ledger.
#[pyclass(module = "kinerja", name = "Ledger")]
pub struct PyLedger {
    pub(crate) ctx: Py<PyMonthContext>,
    pub(crate) inner: Ledger,
}

fn entry_record<'py>(py: Python<'py>, e: &ActivityEntry) -> PyResult<Bound<'py, PyAny>> {
    record!(py, "ActivityEntry", {
        id: e.id.0,
        employee: e.employee.as_str(),
        date: e.date,
        start: e.start,
        end: e.end,
        task: e.task.as_str(),
        quantity: e.quantity,
        approved_quantity: e.approved_quantity,
        standard_minutes: e.standard_minutes.get(),
        description: &*e.description,
        evidence: e.evidence.as_deref(),
        status: member!(py, "VerificationStatus", e.status.as_str())?,
        submitted_at: e.submitted_at,
        revision: e.revision,
    })
}

/// A decision given as `kinerja.Approve`, `kinerja.Reject` or `kinerja.Return`.
fn decision(ob: &Bound<'_, PyAny>) -> PyResult<Decision> {
    let py = ob.py();
    if ob.is_instance(pytype!(py, "Approve")?)? {
        return Ok(Decision::Approve { quantity: ob.getattr("quantity")?.extract()? });
    }
    if ob.is_instance(pytype!(py, "Reject")?)? {
        return Ok(Decision::Reject { reason: ob.getattr("reason")?.extract()? });
    }
    if ob.is_instance(pytype!(py, "Return")?)? {
        return Ok(Decision::Return { reason: ob.getattr("reason")?.extract()? });
    }
    Err(type_error("a decision is kinerja.Approve(...), kinerja.Reject(reason) or kinerja.Return(reason)"))
}

fn entry_id(id: i64) -> PyResult<ActivityId> {
    u64::try_from(id).map(ActivityId).map_err(|_| err(LedgerError::UnknownEntry { id: ActivityId(0) }))
}

/// An absence kind from its code (and the scan an off-site half day replaces).
fn absence_kind(code: &str, replaces: Option<&str>) -> PyResult<AbsenceKind> {
    if code == "off_site_half_day" {
        let r = replaces.ok_or_else(|| {
            err(KErr::new(
                "ValidationError",
                "absence field `replaces`: an off-site half day names the scan it replaces (\"in\" or \"out\")",
                "missing_field",
            )
            .at("absence", "", "replaces"))
        })?;
        return Ok(AbsenceKind::OffSiteHalfDay { replaces: parse_enum::<ClockDirection>(r, "replaces")? });
    }
    AbsenceKind::from_code(code).ok_or_else(|| {
        err(KErr::new(
            "ValidationError",
            format!("absence field `kind`: `{code}` is not an absence code ({})", AbsenceKind::ALL_CODES.join(", ")),
            "invalid_value",
        )
        .at("absence", "", "kind"))
    })
}

impl PyLedger {
    /// Executes a command; returns the event appended.
    fn run(&mut self, actor: &str, at: NaiveDateTime, command: Command) -> PyResult<EventKind> {
        let actor = actor_id(actor, "actor")?;
        let PyLedger { ctx, inner } = self;
        let ctx = ctx.get();
        guard(|| inner.execute(ctx.ctx(), Request::new(actor, at, command)).map(|e| e.kind.clone()).map_err(err))
    }

    fn entry_of<'py>(&self, py: Python<'py>, id: ActivityId) -> PyResult<Bound<'py, PyAny>> {
        let e = self.inner.entry(id).ok_or_else(|| err(LedgerError::UnknownEntry { id }))?;
        entry_record(py, &e)
    }

    fn seq(&self) -> u64 {
        self.inner.head().seq
    }

    /// The core's recap as of `as_of` (default: the month's final recap, see
    /// `Ledger.recap`), computed without holding the GIL.
    pub(crate) fn native_recap(&self, py: Python<'_>, as_of: Option<NaiveDate>) -> PyResult<Arc<MonthlyRecap>> {
        let c = self.ctx.get().ctx();
        let as_of = as_of.unwrap_or_else(|| final_as_of(c));
        let inner = &self.inner;
        guard(|| py.detach(|| recap::monthly_recap(inner, c, as_of)).map(Arc::new).map_err(err))
    }
}

/// The date of a month's final recap: the day after the verification deadline, or the
/// month's last day if later.
pub(crate) fn final_as_of(c: &MonthContext<'_>) -> NaiveDate {
    c.settled_on()
}

/// The core's monthly recap behind a `kinerja.MonthlyRecap` (its `_native` field), so
/// that `pay_city` and `what_if` read the recap itself, not its tables. The recap's two
/// Arrow tables and its provenance are built from it the first time they are read,
/// and kept: a recap passed straight to `pay_city` never builds them (as `Payroll.slips`).
#[pyclass(frozen, module = "kinerja._kinerja", name = "_RecapData")]
pub struct PyRecapData {
    pub(crate) recap: Arc<MonthlyRecap>,
    /// The context the recap was made in: its city names the rows of the tables.
    ctx: Py<PyMonthContext>,
    employees: PyOnceLock<Py<PyAny>>,
    units: PyOnceLock<Py<PyAny>>,
    provenance: PyOnceLock<Py<PyTuple>>,
}

#[pymethods]
impl PyRecapData {
    fn __repr__(&self) -> String {
        format!("<recap of {} as of {}>", self.recap.month, self.recap.as_of)
    }

    /// The `employees` table of `kinerja.MonthlyRecap`, built on first use.
    fn _employees<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.table(py, &self.employees, kinerja_columnar::recap_employees)
    }

    /// The `units` table of `kinerja.MonthlyRecap`, built on first use.
    fn _units<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.table(py, &self.units, kinerja_columnar::recap_units)
    }

    /// The `provenance` of `kinerja.MonthlyRecap` (the policy values the recap used),
    /// built on first use.
    fn _provenance<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let t = self.provenance.get_or_try_init(py, || provenances(py, &self.recap.provenance).map(Bound::unbind))?;
        Ok(t.bind(py).clone())
    }
}

impl PyRecapData {
    /// The table `cell` keeps, built by `build` from the city and the recap on first use.
    fn table<'py>(
        &self,
        py: Python<'py>,
        cell: &PyOnceLock<Py<PyAny>>,
        build: fn(&City, &MonthlyRecap) -> Result<RecordBatch, ColumnarError>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let t = cell.get_or_try_init(py, || {
            wrap(py, build(self.ctx.get().ctx().city, &self.recap).map_err(columnar_err)?).map(Bound::unbind)
        })?;
        Ok(t.bind(py).clone())
    }
}

#[pymethods]
impl PyLedger {
    /// An empty ledger for the context's month.
    #[new]
    fn new(ctx: Bound<'_, PyMonthContext>) -> Self {
        let month = ctx.get().ctx().month;
        PyLedger { ctx: ctx.unbind(), inner: Ledger::new(month) }
    }

    /// Rebuilds a ledger by replaying a saved journal (the text form of
    /// `journal_json()`, or a version 1 journal, migrated) against `ctx`: the chain
    /// is checked and every event is checked again like a live command, so the
    /// result equals the ledger that wrote it. Raises `kinerja.LedgerError`
    /// (`replay` with the event's `seq`, or `chain`, `format`) when the journal
    /// cannot be replayed.
    #[staticmethod]
    fn replay(py: Python<'_>, ctx: Bound<'_, PyMonthContext>, journal_json: &str) -> PyResult<Self> {
        let c = ctx.get();
        let inner = guard(|| {
            py.detach(|| {
                let journal = Journal::from_json(journal_json)?;
                Ledger::from_journal(c.ctx(), journal)
            })
            .map_err(err)
        })?;
        Ok(PyLedger { ctx: ctx.unbind(), inner })
    }

    /// Loads a snapshot (JSON from `Ledger.snapshot()`) taken at `head`, the
    /// `(seq, hash)` of the journal it summarises (`Ledger.head`, kept with the
    /// journal). Refused when the snapshot names another head or its seal does not
    /// match its content. The loaded ledger continues the journal's numbering and
    /// chain.
    #[staticmethod]
    fn from_snapshot(ctx: Bound<'_, PyMonthContext>, snapshot_json: &str, head: (u64, String)) -> PyResult<Self> {
        let c = ctx.get();
        let inner = guard(|| {
            let snapshot: Snapshot = serde_json::from_str(snapshot_json)
                .map_err(|e| err(LedgerError::Format { what: "snapshot", message: e.to_string() }))?;
            let hash = head
                .1
                .parse()
                .map_err(|m: String| err(LedgerError::Format { what: "snapshot", message: format!("head: {m}") }))?;
            Ledger::from_snapshot(c.ctx(), snapshot, &Head { seq: head.0, hash }).map_err(err)
        })?;
        Ok(PyLedger { ctx: ctx.unbind(), inner })
    }

    /// The journal's head: the number and SHA-256 hash (hex) of the last event,
    /// `(0, genesis hash)` before the first. Keep it apart from the journal: a
    /// journal whose chain ends elsewhere was rewritten.
    #[getter]
    fn head(&self) -> (u64, String) {
        let h = self.inner.head();
        (h.seq, h.hash.to_hex())
    }

    /// False when the ledger was replayed from a version 1 journal (migrated: its
    /// events carry no hashes of their own, so nothing vouches for them).
    #[getter]
    fn is_verifiable(&self) -> bool {
        self.inner.is_verifiable()
    }

    /// The month context.
    #[getter]
    fn context(&self, py: Python<'_>) -> Py<PyMonthContext> {
        self.ctx.clone_ref(py)
    }

    /// The month, `"YYYY-MM"`.
    #[getter]
    fn month(&self) -> String {
        self.inner.month().to_string()
    }

    /// Whether the month is closed (no change is accepted any more).
    #[getter]
    fn is_closed(&self) -> bool {
        self.inner.is_closed()
    }

    /// Number of events in the journal (the head's `seq`; after `from_snapshot`,
    /// the events the snapshot summarises count too).
    fn __len__(&self) -> usize {
        self.inner.head().seq as usize
    }

    /// Number of activity entries.
    #[getter]
    fn entry_count(&self) -> usize {
        self.inner.state().entries.len()
    }

    /// An employee logs an activity (status `submitted`). `employee` defaults to the
    /// actor: an employee logs only their own work, while in service on the day
    /// (`kinerja.AuthorisationError` otherwise). Returns the new
    /// `kinerja.ActivityEntry` (with its `id`).
    #[pyo3(signature = (actor, at, *, date, start, end, task, quantity, description="", evidence=None, employee=None))]
    #[allow(clippy::too_many_arguments)]
    fn log_activity<'py>(
        &mut self,
        py: Python<'py>,
        actor: &str,
        at: NaiveDateTime,
        date: Date,
        start: NaiveTime,
        end: NaiveTime,
        task: &str,
        quantity: i64,
        description: &str,
        evidence: Option<String>,
        employee: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let employee = nip(employee.unwrap_or(actor), "employee")?;
        let input = ActivityInput {
            employee,
            date: date.0,
            start,
            end,
            task: TaskId::from(task),
            quantity,
            description: description.into(),
            evidence: evidence.map(Into::into),
        };
        match self.run(actor, at, Command::LogActivity { input })? {
            EventKind::ActivityLogged(c) => self.entry_of(py, c.id),
            _ => Err(type_error("unexpected event")),
        }
    }

    /// The employee edits their submitted or returned entry `id` (a returned entry
    /// stays returned until resubmitted). Only the entry's employee, in service on
    /// the day. Returns the updated entry.
    #[pyo3(signature = (actor, at, id, *, date, start, end, task, quantity, description="", evidence=None))]
    #[allow(clippy::too_many_arguments)]
    fn edit_activity<'py>(
        &mut self,
        py: Python<'py>,
        actor: &str,
        at: NaiveDateTime,
        id: i64,
        date: Date,
        start: NaiveTime,
        end: NaiveTime,
        task: &str,
        quantity: i64,
        description: &str,
        evidence: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let id = entry_id(id)?;
        // The entry's employee when it exists (the core refuses anyone else as the
        // actor); otherwise the actor, and the core reports the unknown entry.
        let employee = match self.inner.entry(id) {
            Some(e) => e.employee.clone(),
            None => nip(actor, "actor")?,
        };
        let input = ActivityInput {
            employee,
            date: date.0,
            start,
            end,
            task: TaskId::from(task),
            quantity,
            description: description.into(),
            evidence: evidence.map(Into::into),
        };
        self.run(actor, at, Command::EditActivity { id, input })?;
        self.entry_of(py, id)
    }

    /// The employee resubmits their returned entry `id`. Returns the updated entry.
    fn resubmit<'py>(
        &mut self,
        py: Python<'py>,
        actor: &str,
        at: NaiveDateTime,
        id: i64,
    ) -> PyResult<Bound<'py, PyAny>> {
        let id = entry_id(id)?;
        self.run(actor, at, Command::Resubmit { id })?;
        self.entry_of(py, id)
    }

    /// A verifier decides on a submitted entry: `kinerja.Approve()` (optionally
    /// `Approve(quantity=n)` for a lower quantity), `kinerja.Reject(reason)` or
    /// `kinerja.Return(reason)`. Only the supervisor in charge on the work date
    /// (its holder, Plt or Plh on the decision date `at`), a delegate on the
    /// decision date, or for a top position the official named for it
    /// (`official:ID`) may; raises `kinerja.AuthorisationError` otherwise. Returns
    /// the updated entry.
    fn verify<'py>(
        &mut self,
        py: Python<'py>,
        actor: &str,
        at: NaiveDateTime,
        id: i64,
        decision: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let id = entry_id(id)?;
        let decision = self::decision(decision)?;
        self.run(actor, at, Command::Verify { id, decision })?;
        self.entry_of(py, id)
    }

    /// Decides on several entries at once ("approve selected"): an iterable of
    /// `(id, decision)` pairs or a mapping id -> decision. All or nothing: if any
    /// decision is refused, none is applied. Returns the updated entries.
    fn verify_many<'py>(
        &mut self,
        py: Python<'py>,
        actor: &str,
        at: NaiveDateTime,
        decisions: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let pairs = if decisions.is_instance_of::<PyDict>() || decisions.hasattr("items")? {
            decisions.call_method0("items")?
        } else {
            decisions.clone()
        };
        let mut list = Vec::new();
        for item in pairs.try_iter()? {
            let (id, d): (i64, Bound<'py, PyAny>) = item?.extract()?;
            list.push((entry_id(id)?, decision(&d)?));
        }
        let ids: Vec<ActivityId> = list.iter().map(|(id, _)| *id).collect();
        self.run(actor, at, Command::VerifyMany { decisions: list })?;
        let items = ids.into_iter().map(|id| self.entry_of(py, id)).collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// A verifier of the employee (as for `verify`) registers an extra task
    /// (*tugas tambahan*) for them, who may then log activities against it. Returns
    /// the event's sequence number.
    #[pyo3(signature = (actor, at, *, id, employee, name, output_unit, standard_minutes, valid_from, valid_until=None))]
    #[allow(clippy::too_many_arguments)]
    fn register_extra_task(
        &mut self,
        actor: &str,
        at: NaiveDateTime,
        id: &str,
        employee: &str,
        name: &str,
        output_unit: &str,
        standard_minutes: i64,
        valid_from: Date,
        valid_until: Option<Date>,
    ) -> PyResult<u64> {
        let task = ExtraTask {
            id: TaskId::from(id),
            employee: nip(employee, "employee")?,
            name: name.to_string(),
            output_unit: output_unit.to_string(),
            standard_minutes: Minutes(standard_minutes),
            from: valid_from.0,
            until: valid_until.map(|d| d.0),
        };
        self.run(actor, at, Command::RegisterExtraTask { task })?;
        Ok(self.seq())
    }

    /// Records a clock event (a scan) of `employee` at `scanned_at`. `source` is
    /// `"fingerprint"` or `"face"`, sent by a machine of that kind at the site of the
    /// employee's unit (actor `device:ID`), or `"mobile"`, sent by the employee
    /// themselves with exact `latitude` and `longitude` (`decimal.Decimal`; floats
    /// are refused). Returns the event's sequence number.
    #[pyo3(signature = (actor, at, *, employee, scanned_at, direction, source="fingerprint", latitude=None, longitude=None, accuracy_m=None))]
    #[allow(clippy::too_many_arguments)]
    fn record_clock(
        &mut self,
        actor: &str,
        at: NaiveDateTime,
        employee: &str,
        scanned_at: NaiveDateTime,
        direction: &str,
        source: &str,
        latitude: Option<&Bound<'_, PyAny>>,
        longitude: Option<&Bound<'_, PyAny>>,
        accuracy_m: Option<u32>,
    ) -> PyResult<u64> {
        let source = match source {
            "fingerprint" => ClockSource::Fingerprint,
            "face" => ClockSource::Face,
            "mobile" => {
                let (Some(lat), Some(lon)) = (latitude, longitude) else {
                    return Err(err(KErr::new(
                        "ValidationError",
                        "clock field `source`: a mobile scan needs its latitude and longitude",
                        "missing_field",
                    )
                    .at("clock", employee, "source")));
                };
                ClockSource::Mobile {
                    latitude: exact_decimal(lat, "latitude")?,
                    longitude: exact_decimal(lon, "longitude")?,
                    accuracy_m,
                }
            }
            other => {
                return Err(parse_enum::<ClockSource>(other, "source").err().unwrap_or_else(|| type_error("source")));
            }
        };
        let event = ClockEvent {
            employee: nip(employee, "employee")?,
            at: scanned_at,
            direction: parse_enum(direction, "direction")?,
            source,
            geofence: None,
        };
        self.run(actor, at, Command::RecordClock { event })?;
        Ok(self.seq())
    }

    /// Records an absence of `employee` from `start` to `end` (inclusive; clipped to
    /// the month). `kind` is a `kinerja.AbsenceKind` (or its code); an off-site half
    /// day names the scan it `replaces` (`"in"` or `"out"`). Recorded by an HR
    /// officer, or by the employee for the kinds the policy lets them report
    /// themselves (`record.self_reported_absences`). Returns the event's sequence
    /// number.
    #[pyo3(signature = (actor, at, *, employee, start, end, kind, evidence=None, note=None, replaces=None))]
    #[allow(clippy::too_many_arguments)]
    fn record_absence(
        &mut self,
        actor: &str,
        at: NaiveDateTime,
        employee: &str,
        start: Date,
        end: Date,
        kind: &str,
        evidence: Option<String>,
        note: Option<String>,
        replaces: Option<&str>,
    ) -> PyResult<u64> {
        let absence = Absence {
            employee: nip(employee, "employee")?,
            range: DateRange { start: start.0, end: end.0 },
            kind: absence_kind(kind, replaces)?,
            evidence,
            note,
        };
        self.run(actor, at, Command::RecordAbsence { absence })?;
        Ok(self.seq())
    }

    /// An attendance officer of the employee's unit marks their attendance at a
    /// roll call (`kinerja.RollCallKind`; a ceremony must be declared first).
    /// Returns the event's sequence number.
    #[pyo3(signature = (actor, at, *, employee, date, kind, attended=true))]
    #[allow(clippy::too_many_arguments)]
    fn mark_roll_call(
        &mut self,
        actor: &str,
        at: NaiveDateTime,
        employee: &str,
        date: Date,
        kind: &str,
        attended: bool,
    ) -> PyResult<u64> {
        let mark = RollCallMark {
            employee: nip(employee, "employee")?,
            date: date.0,
            kind: parse_enum::<RollCallKind>(kind, "kind")?,
            attended,
        };
        self.run(actor, at, Command::MarkRollCall { mark })?;
        Ok(self.seq())
    }

    /// Records a roll call's attendance list as the unit's attendance officer
    /// submits it: `attended` (and optionally `absent`) NIPs, all of units the
    /// officer serves. Returns the event's sequence number.
    #[pyo3(signature = (actor, at, *, date, kind, attended, absent=Vec::new()))]
    fn record_roll_call(
        &mut self,
        actor: &str,
        at: NaiveDateTime,
        date: Date,
        kind: &str,
        attended: Vec<String>,
        absent: Vec<String>,
    ) -> PyResult<u64> {
        let list = RollCallList {
            date: date.0,
            kind: parse_enum::<RollCallKind>(kind, "kind")?,
            attended: attended.iter().map(|n| nip(n, "attended")).collect::<PyResult<Vec<Nip>>>()?,
            absent: absent.iter().map(|n| nip(n, "absent")).collect::<PyResult<Vec<Nip>>>()?,
        };
        self.run(actor, at, Command::RecordRollCall { list })?;
        Ok(self.seq())
    }

    /// An HR officer declares a ceremony (*upacara*) on `date`. Returns the event's
    /// sequence number.
    #[pyo3(signature = (actor, at, *, date, name))]
    fn declare_ceremony(&mut self, actor: &str, at: NaiveDateTime, date: Date, name: &str) -> PyResult<u64> {
        let ceremony = Ceremony { date: date.0, name: name.to_string() };
        self.run(actor, at, Command::DeclareCeremony { ceremony })?;
        Ok(self.seq())
    }

    /// An HR officer closes the month: no change is accepted afterwards, and the
    /// recap that pays is the closed one. Returns the event's sequence number.
    fn close_month(&mut self, actor: &str, at: NaiveDateTime) -> PyResult<u64> {
        self.run(actor, at, Command::CloseMonth)?;
        Ok(self.seq())
    }

    /// Another HR officer (not the one who closed it: `not_authorised`, reason
    /// `same_officer`) reopens the closed month, with a reason (`missing_reason`
    /// when blank). Returns the event's sequence number.
    fn reopen_month(&mut self, actor: &str, at: NaiveDateTime, reason: &str) -> PyResult<u64> {
        self.run(actor, at, Command::ReopenMonth { reason: reason.to_string() })?;
        Ok(self.seq())
    }

    /// The entry `id` (`kinerja.ActivityEntry`); raises `kinerja.NotFoundError`
    /// (code `unknown_entry`) if there is none.
    fn entry<'py>(&self, py: Python<'py>, id: i64) -> PyResult<Bound<'py, PyAny>> {
        self.entry_of(py, entry_id(id)?)
    }

    /// Entries awaiting a decision that `verifier` may decide on `on` (the
    /// supervisor's queue); by default each entry as it could be decided on its own
    /// date.
    #[pyo3(signature = (verifier, on=None))]
    fn verification_queue<'py>(
        &self,
        py: Python<'py>,
        verifier: &str,
        on: Option<Date>,
    ) -> PyResult<Bound<'py, PyList>> {
        let v = actor_id(verifier, "verifier")?;
        let ctx = self.ctx.get();
        let items = self
            .inner
            .verification_queue(ctx.ctx(), &v, on.map(|d| d.0))
            .into_iter()
            .map(|e| entry_record(py, &e))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// Every activity entry as a `kinerja.Table` (one row per entry, by id), with the
    /// minutes each entry credits under the rules of its date (`credited_minutes`,
    /// before the daily cap).
    fn entries<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let ctx = self.ctx.get().ctx();
        // Each entry built once from the ledger's compact rows (see `kinerja::ledger::Entries`).
        let es: Vec<_> = self.inner.state().entries.iter().collect();
        let credited = guard(|| {
            Ok(es
                .iter()
                .map(|e| ctx.rules(e.date).map_or(Minutes::ZERO, |r| activity::credited_minutes(e, &r.activity)).get())
                .collect::<Vec<i64>>())
        })?;
        let mut t = TableBuilder::new(py);
        t.col("id", es.iter().map(|e| e.id.0))?;
        t.col_shared("nip", es.iter().map(|e| &e.employee), |n| n.as_str().to_string())?;
        t.col_shared("date", es.iter().map(|e| e.date), |d| *d)?;
        t.col_shared("start", es.iter().map(|e| e.start), |d| *d)?;
        t.col_shared("end", es.iter().map(|e| e.end), |d| *d)?;
        t.col_shared("task", es.iter().map(|e| &e.task), |x| x.as_str().to_string())?;
        t.col("quantity", es.iter().map(|e| e.quantity))?;
        t.col("approved_quantity", es.iter().map(|e| e.approved_quantity))?;
        t.col("standard_minutes", es.iter().map(|e| e.standard_minutes.get()))?;
        t.col("credited_minutes", credited)?;
        t.col("description", es.iter().map(|e| &*e.description))?;
        t.col("evidence", es.iter().map(|e| e.evidence.as_deref()))?;
        t.col_shared("status", es.iter().map(|e| e.status), |s| s.as_str())?;
        t.col("submitted_at", es.iter().map(|e| e.submitted_at))?;
        t.col("revision", es.iter().map(|e| e.revision))?;
        t.finish()
    }

    /// Every verification transition as a `kinerja.Table`, in order.
    fn transitions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        // Built from the ledger's compact rows (see `kinerja::ledger::Transitions`).
        let ts: Vec<_> = self.inner.state().transitions.iter().collect();
        let mut t = TableBuilder::new(py);
        t.col("entry", ts.iter().map(|x| x.entry.0))?;
        t.col_shared("by", ts.iter().map(|x| &x.by), |n| n.to_string())?;
        t.col("role", ts.iter().map(|x| x.role.map(|r| text(&r))))?;
        t.col("at", ts.iter().map(|x| x.at))?;
        t.col_shared("from", ts.iter().map(|x| x.from), |s| s.as_str())?;
        t.col_shared("to", ts.iter().map(|x| x.to), |s| s.as_str())?;
        t.col("reason", ts.iter().map(|x| x.reason.as_deref()))?;
        t.col("quantity", ts.iter().map(|x| x.quantity))?;
        t.finish()
    }

    /// The journal as line-delimited JSON, for saving and `Ledger.replay`: a header
    /// line, then one event per line with its `seq`, the `prev` event's hash and its
    /// own `hash` (SHA-256). Keep `Ledger.head` apart from it: a journal whose chain
    /// ends elsewhere was rewritten.
    fn journal_json(&self) -> String {
        self.inner.journal().to_json()
    }

    /// A sealed snapshot of the state at the current `head`, as JSON, for
    /// `Ledger.from_snapshot(ctx, snapshot, head)`.
    fn snapshot(&self) -> PyResult<String> {
        serde_json::to_string(&self.inner.snapshot())
            .map_err(|e| err(LedgerError::Format { what: "snapshot", message: e.to_string() }))
    }

    /// The monthly recap as of `as_of` (default: the day after the verification
    /// deadline, or the month's last day if later: the month's final recap).
    ///
    /// Returns a `kinerja.MonthlyRecap` whose `employees` (one row per employee) and
    /// `units` (one row per work unit) are `kinerja.Table`s.
    #[pyo3(signature = (as_of=None))]
    fn recap<'py>(&self, py: Python<'py>, as_of: Option<Date>) -> PyResult<Bound<'py, PyAny>> {
        let recap = self.native_recap(py, as_of.map(|d| d.0))?;
        recap_record(py, self.ctx.bind(py), recap)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        let Ok(other) = other.cast::<PyLedger>() else { return false };
        let Ok(other) = other.try_borrow() else { return false };
        self.inner.month() == other.inner.month()
            && self.inner.state() == other.inner.state()
            && self.inner.events() == other.inner.events()
    }

    fn __repr__(&self) -> String {
        format!(
            "Ledger({}, {} events, {} entries{})",
            self.inner.month(),
            self.inner.head().seq,
            self.inner.state().entries.len(),
            if self.inner.is_closed() { ", closed" } else { "" }
        )
    }
}

fn recap_record<'py>(
    py: Python<'py>,
    ctx: &Bound<'py, PyMonthContext>,
    native: Arc<MonthlyRecap>,
) -> PyResult<Bound<'py, PyAny>> {
    let r: &MonthlyRecap = &native;
    record!(py, "MonthlyRecap", {
        month: r.month.to_string(),
        as_of: r.as_of,
        deadline: r.deadline,
        deadline_passed: r.deadline_passed,
        _native: Py::new(py, PyRecapData {
            recap: native.clone(),
            ctx: ctx.clone().unbind(),
            employees: PyOnceLock::new(),
            units: PyOnceLock::new(),
            provenance: PyOnceLock::new(),
        })?,
    })
}

/// Simulates a realistic month of daily work for the context's city through the
/// ledger (every action is a command checked by the core; refusals are counted).
/// Deterministic by `seed`. The month is closed at the end when `close` is true.
///
/// Returns `(ledger, kinerja.SimulationReport)`.
#[pyfunction]
#[pyo3(signature = (ctx, *, seed=1, close=true))]
pub fn simulate_month<'py>(
    py: Python<'py>,
    ctx: Bound<'py, PyMonthContext>,
    seed: u64,
    close: bool,
) -> PyResult<(PyLedger, Bound<'py, PyAny>)> {
    let c = ctx.get();
    let (ledger, report) =
        guard(|| py.detach(|| kinerja::simulate::simulate_month(c.ctx(), seed, close)).map_err(err))?;
    let refused = PyDict::new(py);
    for (code, n) in &report.refused {
        refused.set_item(code, n)?;
    }
    let report = record!(py, "SimulationReport", { accepted: report.accepted, refused: refused })?;
    Ok((PyLedger { ctx: ctx.unbind(), inner: ledger }, report))
}

/// Times the core's monthly recap of `ledger` alone (no Python object made), `repeat`
/// times: the seconds of each run. For benches/python_vs_rust.py, which sets it against
/// `Ledger.recap()` in the same process and build. Not part of the public API.
#[pyfunction]
#[pyo3(signature = (ledger, repeat = 5))]
pub fn _time_native_recap(py: Python<'_>, ledger: PyRef<'_, PyLedger>, repeat: usize) -> PyResult<Vec<f64>> {
    let mut out = Vec::with_capacity(repeat);
    // The results are kept until every run is timed, as the Python side keeps its
    // recaps: freeing them is not part of the call.
    let mut kept = Vec::with_capacity(repeat);
    for _ in 0..repeat {
        let start = std::time::Instant::now();
        let r = ledger.native_recap(py, None)?;
        out.push(start.elapsed().as_secs_f64());
        kept.push(r);
    }
    drop(kept);
    Ok(out)
}
