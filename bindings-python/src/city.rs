//! `kinerja.City` (a checked dataset), `kinerja.Calendar`, `generate_city`, the
//! workload analysis and the yearly targets.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use kinerja::abk::{self, AbkParams};
use kinerja::dataset::{City, Dataset};
use kinerja::generator::{GeneratorConfig, generate};
use kinerja::ids::{PositionId, UnitId};
use kinerja::month::DateRange;
use kinerja::org::{Assignment, Employee, Position};
use kinerja::{Error, targets};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};

use crate::columns::TableBuilder;
use crate::convert::{
    Date, actor_id, day_info, holiday, member, month, nip, provenances, record, schedule, text, to_json,
};
use crate::errors::{err, guard};
use crate::policy::PyPolicy;

/// A city's dataset, loaded and checked: its government, work calendar, work units,
/// positions with their job analysis, employees and assignments, and who acts in its
/// record besides employees: officials, officers and clock devices.
///
/// Loading checks every record and field and every cross-reference and reports
/// every problem at once (`kinerja.ValidationError` with `problems`).
#[pyclass(frozen, module = "kinerja", name = "City")]
pub struct PyCity {
    pub(crate) inner: Arc<City>,
}

fn position_record<'py>(py: Python<'py>, p: &Position) -> PyResult<Bound<'py, PyAny>> {
    let tasks = p
        .analysis
        .tasks
        .iter()
        .map(|t| {
            record!(py, "Task", {
                id: t.id.as_str(),
                name: &t.name,
                output: &t.output,
                output_unit: &t.output_unit,
                standard_minutes: t.standard_minutes.get(),
                volume_quantity: t.volume.quantity,
                volume_per: member!(py, "VolumePeriod", text(&t.volume.per))?,
            })
        })
        .collect::<PyResult<Vec<_>>>()?;
    record!(py, "Position", {
        id: p.id.as_str(),
        name: &p.name,
        kind: member!(py, "PositionKind", text(&p.kind))?,
        job_class: p.job_class.get(),
        unit: p.unit.as_str(),
        supervisor: p.supervisor.as_ref().map(|s| s.as_str()),
        tasks: PyTuple::new(py, tasks)?,
    })
}

fn employee_record<'py>(py: Python<'py>, e: &Employee) -> PyResult<Bound<'py, PyAny>> {
    record!(py, "Employee", {
        nip: e.nip.as_str(),
        name: &e.name,
        rank: e.rank.to_string(),
        employment: member!(py, "EmploymentType", text(&e.employment))?,
    })
}

fn assignment_record<'py>(py: Python<'py>, a: &Assignment) -> PyResult<Bound<'py, PyAny>> {
    record!(py, "Assignment", {
        employee: a.employee.as_str(),
        position: a.position.as_str(),
        kind: member!(py, "AssignmentKind", text(&a.kind))?,
        valid_from: a.from,
        valid_until: a.until,
    })
}

impl PyCity {
    fn load(json: &str) -> PyResult<Self> {
        guard(|| Dataset::load_city(json).map(|c| PyCity { inner: Arc::new(c) }).map_err(err))
    }
}

#[pymethods]
impl PyCity {
    /// Loads a dataset from its JSON text (see `schema/dataset.schema.json`).
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        Self::load(text)
    }

    /// Loads a dataset from a JSON file (a file longer than 256 MiB is refused unread,
    /// `ValidationError` code `too_large`).
    #[staticmethod]
    fn from_file(path: PathBuf) -> PyResult<Self> {
        let text = crate::convert::read_bounded(&path, kinerja::dataset::MAX_DATASET_BYTES)?;
        Self::load(&text)
    }

    /// Loads a dataset from a dict shaped like its JSON form. Dates, times and
    /// datetimes may be given as `datetime` objects and decimals as
    /// `decimal.Decimal`; floats are refused (`kinerja.FloatRefused`).
    #[staticmethod]
    fn from_dict(data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let mut path = String::new();
        let json = to_json(data, &mut path)?;
        Self::load(&json.to_string())
    }

    /// The dataset as JSON text (what `City.from_json` reads).
    fn to_json(&self) -> String {
        self.inner.to_dataset().to_json()
    }

    /// The local government (`kinerja.Government`: region code and name).
    #[getter]
    fn government<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let g = &self.inner.government;
        record!(py, "Government", { code: &g.code, name: &g.name })
    }

    /// The government's name, e.g. "Pemerintah Kota Banda Aceh".
    #[getter]
    fn name(&self) -> &str {
        &self.inner.government.name
    }

    /// The work calendar (`kinerja.Calendar`).
    #[getter]
    fn calendar(&self) -> PyCalendar {
        PyCalendar { city: self.inner.clone() }
    }

    /// The work units, in dataset order (`list[kinerja.WorkUnit]`).
    #[getter]
    fn units<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .inner
            .organisation
            .units()
            .iter()
            .map(|u| record!(py, "WorkUnit", { id: u.id.as_str(), name: &u.name, parent: u.parent.as_ref().map(|p| p.as_str()) }))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// The positions with their tasks, in dataset order (`list[kinerja.Position]`).
    #[getter]
    fn positions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items =
            self.inner.organisation.positions().iter().map(|p| position_record(py, p)).collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// The employees, in dataset order (`list[kinerja.Employee]`).
    #[getter]
    fn employees<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items =
            self.inner.organisation.employees().iter().map(|e| employee_record(py, e)).collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// The assignments of employees to positions (`list[kinerja.Assignment]`).
    #[getter]
    fn assignments<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .inner
            .organisation
            .assignments()
            .iter()
            .map(|a| assignment_record(py, a))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// The regional head and deputy (`list[kinerja.Official]`); each acts as
    /// `official:ID` and verifies the top positions named in `verifies`.
    #[getter]
    fn officials<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .inner
            .authorities
            .officials()
            .iter()
            .map(|o| {
                record!(py, "Official", {
                    id: o.id.as_str(),
                    name: &o.name,
                    office: member!(py, "Office", text(&o.office))?,
                    valid_from: o.from,
                    valid_until: o.until,
                    verifies: PyTuple::new(py, o.verifies.iter().map(|p| p.as_str()))?,
                    reference: &o.reference,
                })
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// The HR and attendance officers appointed by decree (`list[kinerja.Officer]`).
    #[getter]
    fn officers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .inner
            .authorities
            .officers()
            .iter()
            .map(|o| {
                record!(py, "Officer", {
                    employee: o.employee.as_str(),
                    role: member!(py, "OfficerRole", o.role.as_str())?,
                    unit: o.unit.as_ref().map(|u| u.as_str()),
                    valid_from: o.from,
                    valid_until: o.until,
                    reference: &o.reference,
                })
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// The attendance machines (`list[kinerja.ClockDevice]`); each acts as `device:ID`.
    #[getter]
    fn clock_devices<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .inner
            .authorities
            .devices()
            .iter()
            .map(|d| {
                record!(py, "ClockDevice", {
                    id: d.id.as_str(),
                    unit: d.unit.as_str(),
                    kind: member!(py, "DeviceKind", text(&d.kind))?,
                    valid_from: d.from,
                    valid_until: d.until,
                })
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// The work unit `id`; raises `kinerja.NotFoundError` if there is none.
    fn unit<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Bound<'py, PyAny>> {
        let u = self
            .inner
            .organisation
            .unit(&UnitId::from(id))
            .ok_or_else(|| err(Error::NotFound { record: "unit", id: id.to_string() }))?;
        record!(py, "WorkUnit", { id: u.id.as_str(), name: &u.name, parent: u.parent.as_ref().map(|p| p.as_str()) })
    }

    /// The position `id`; raises `kinerja.NotFoundError` if there is none.
    fn position<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Bound<'py, PyAny>> {
        let p = self
            .inner
            .organisation
            .position(&PositionId::from(id))
            .ok_or_else(|| err(Error::NotFound { record: "position", id: id.to_string() }))?;
        position_record(py, p)
    }

    /// The employee with this NIP; raises `kinerja.NotFoundError` if there is none
    /// (`kinerja.ValidationError` if the NIP is malformed).
    fn employee<'py>(&self, py: Python<'py>, nip: &str) -> PyResult<Bound<'py, PyAny>> {
        let n = crate::convert::nip(nip, "nip")?;
        let e = self
            .inner
            .organisation
            .employee(&n)
            .ok_or_else(|| err(Error::NotFound { record: "employee", id: nip.to_string() }))?;
        employee_record(py, e)
    }

    /// Definitive holders of a position on `date` (*bezetting*).
    fn headcount(&self, position: &str, date: Date) -> u32 {
        self.inner.organisation.headcount(&PositionId::from(position), date.0)
    }

    /// The employee's own (definitive) position on `date`, or `None`.
    fn definitive_position<'py>(
        &self,
        py: Python<'py>,
        employee: &str,
        date: Date,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let n = nip(employee, "employee")?;
        self.inner.organisation.definitive_position(&n, date.0).map(|p| position_record(py, p)).transpose()
    }

    /// Who supervises the employee on `date` (*atasan langsung*), escalating over
    /// vacant positions; `None` when nobody does.
    fn direct_supervisor<'py>(
        &self,
        py: Python<'py>,
        employee: &str,
        date: Date,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let n = nip(employee, "employee")?;
        let Some(r) = self.inner.organisation.direct_supervisor(&n, date.0) else { return Ok(None) };
        let acting = r
            .acting
            .iter()
            .map(|(n, k)| {
                PyTuple::new(py, [PyString::new(py, n.as_str()).into_any(), member!(py, "AssignmentKind", text(k))?])
            })
            .collect::<PyResult<Vec<_>>>()?;
        Ok(Some(record!(py, "SupervisorResolution", {
            position: r.position.as_str(),
            skipped_vacant: PyTuple::new(py, r.skipped_vacant.iter().map(|p| p.as_str()))?,
            definitive: PyTuple::new(py, r.definitive.iter().map(|n| n.as_str()))?,
            acting: PyTuple::new(py, acting)?,
        })?))
    }

    /// In what capacity `verifier` (a NIP, or `official:ID` for the regional head or
    /// deputy) may decide on `decided_on` (default: `date`) about `employee`'s work
    /// done on `date` (`kinerja.VerifierRole`); raises `kinerja.AuthorisationError`
    /// if they may not.
    #[pyo3(signature = (verifier, employee, date, decided_on=None))]
    fn verifier_role<'py>(
        &self,
        py: Python<'py>,
        verifier: &str,
        employee: &str,
        date: Date,
        decided_on: Option<Date>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let v = actor_id(verifier, "verifier")?;
        let e = nip(employee, "employee")?;
        let on = decided_on.map_or(date.0, |d| d.0);
        let role = kinerja::activity::authorise_verifier(&self.inner.access(), &v, &e, date.0, on).map_err(err)?;
        member!(py, "VerifierRole", text(&role))
    }

    /// The workload analysis (ABK) of the whole city on `date`, with the policy in
    /// force on that date and the headcount of each position on that date.
    ///
    /// Returns a `kinerja.WorkloadAnalysis` whose `positions`, `units` and `tasks`
    /// are `kinerja.Table`s.
    fn workload_analysis<'py>(
        &self,
        py: Python<'py>,
        policy: PyRef<'_, PyPolicy>,
        date: Date,
    ) -> PyResult<Bound<'py, PyAny>> {
        let city = &self.inner;
        let date = date.0;
        let (analysis, params) = guard(|| {
            let params = AbkParams::from_policy(&policy.inner, date).map_err(err)?;
            let org = &city.organisation;
            let analysis =
                abk::analyse(org.units(), org.positions(), |p| org.headcount(p, date), &params.params).map_err(err)?;
            Ok((analysis, params))
        })?;
        let org = &city.organisation;
        let grade = |g: &Option<abk::EfficiencyGrade>| g.map(|g| g.as_str());

        let ps = &analysis.positions;
        let mut t = TableBuilder::new(py);
        t.col("position", ps.iter().map(|p| p.position.as_str()))?;
        t.col("name", ps.iter().map(|p| org.position(&p.position).map(|x| x.name.as_str())))?;
        t.col("kind", ps.iter().map(|p| org.position(&p.position).map(|x| text(&x.kind))))?;
        t.col("unit", ps.iter().map(|p| p.unit.as_str()))?;
        t.col("workload_minutes", ps.iter().map(|p| p.workload_minutes))?;
        t.col("required_staff", ps.iter().map(|p| p.required_staff))?;
        t.col("required_staff_rounded", ps.iter().map(|p| p.required_staff_rounded()))?;
        t.col("headcount", ps.iter().map(|p| p.headcount))?;
        t.col("efficiency", ps.iter().map(|p| p.efficiency))?;
        t.col("grade", ps.iter().map(|p| grade(&p.grade)))?;
        t.col("gap", ps.iter().map(|p| p.gap))?;
        let positions = t.finish()?;

        let us = &analysis.units;
        let mut t = TableBuilder::new(py);
        t.col("unit", us.iter().map(|u| u.unit.as_str()))?;
        t.col("name", us.iter().map(|u| org.unit(&u.unit).map(|x| x.name.as_str())))?;
        t.col("positions", us.iter().map(|u| u.positions))?;
        t.col("workload_minutes", us.iter().map(|u| u.workload_minutes))?;
        t.col("required_staff", us.iter().map(|u| u.required_staff))?;
        t.col("headcount", us.iter().map(|u| u.headcount))?;
        t.col("efficiency", us.iter().map(|u| u.efficiency))?;
        t.col("grade", us.iter().map(|u| grade(&u.grade)))?;
        t.col("gap", us.iter().map(|u| u.gap))?;
        let units = t.finish()?;

        let tasks: Vec<(&PositionId, &abk::TaskWorkload)> =
            ps.iter().flat_map(|p| p.tasks.iter().map(move |t| (&p.position, t))).collect();
        let mut t = TableBuilder::new(py);
        t.col("position", tasks.iter().map(|(p, _)| p.as_str()))?;
        t.col("task", tasks.iter().map(|(_, x)| x.task.as_str()))?;
        t.col("annual_volume", tasks.iter().map(|(_, x)| x.annual_volume))?;
        t.col("standard_minutes", tasks.iter().map(|(_, x)| x.standard_minutes.get()))?;
        t.col("workload_minutes", tasks.iter().map(|(_, x)| x.workload_minutes))?;
        let tasks = t.finish()?;

        let c = &analysis.total;
        let total = record!(py, "CityWorkload", {
            units: c.units,
            positions: c.positions,
            workload_minutes: c.workload_minutes,
            required_staff: c.required_staff,
            headcount: c.headcount,
            efficiency: c.efficiency,
            grade: c.grade.map(|g| member!(py, "EfficiencyGrade", g.as_str())).transpose()?,
            gap: c.gap,
        })?;
        record!(py, "WorkloadAnalysis", {
            date: date,
            effective_minutes_per_year: analysis.effective_minutes_per_year,
            positions: positions,
            units: units,
            tasks: tasks,
            total: total,
            provenance: provenances(py, &params.provenance)?,
        })
    }

    /// The yearly targets of every employee with a definitive position on
    /// `reference_date`: one row per (employee, task) with the share, the annual
    /// quantity and minutes (a `kinerja.Table`). The ABK parameters are those in force
    /// on `reference_date`.
    fn yearly_targets<'py>(
        &self,
        py: Python<'py>,
        policy: PyRef<'_, PyPolicy>,
        year: i32,
        reference_date: Date,
    ) -> PyResult<Bound<'py, PyAny>> {
        let city = &self.inner;
        let targets = guard(|| {
            let params = AbkParams::from_policy(&policy.inner, reference_date.0).map_err(err)?;
            targets::yearly_targets(&city.organisation, &params.params, year, reference_date.0, &city.target_shares)
                .map_err(err)
        })?;
        let rows: Vec<(&targets::YearlyTarget, &targets::TaskTarget)> =
            targets.iter().flat_map(|y| y.tasks.iter().map(move |t| (y, t))).collect();
        let mut t = TableBuilder::new(py);
        t.col("nip", rows.iter().map(|(y, _)| y.employee.as_str()))?;
        t.col("position", rows.iter().map(|(y, _)| y.position.as_str()))?;
        t.col("year", rows.iter().map(|(y, _)| y.year))?;
        t.col("task", rows.iter().map(|(_, x)| x.task.as_str()))?;
        t.col("share", rows.iter().map(|(_, x)| x.share))?;
        t.col("annual_quantity", rows.iter().map(|(_, x)| x.annual_quantity))?;
        t.col("standard_minutes", rows.iter().map(|(_, x)| x.standard_minutes.get()))?;
        t.col("annual_minutes", rows.iter().map(|(_, x)| x.annual_minutes))?;
        t.col("employee_annual_minutes", rows.iter().map(|(y, _)| y.annual_minutes))?;
        t.finish()
    }

    fn __repr__(&self) -> String {
        let org = &self.inner.organisation;
        format!(
            "City({:?}: {} units, {} positions, {} employees)",
            self.inner.government.name,
            org.units().len(),
            org.positions().len(),
            org.employees().len()
        )
    }
}

/// The work calendar of a city: working days, schedules (including special periods
/// such as Ramadan), holidays and cancelled holidays.
#[pyclass(frozen, module = "kinerja", name = "Calendar")]
pub struct PyCalendar {
    pub(crate) city: Arc<City>,
}

/// A month (`"YYYY-MM"`) or a date range from two dates.
fn period(first: &Bound<'_, PyAny>, end: Option<Date>) -> PyResult<DateRange> {
    if let Ok(s) = first.extract::<String>() {
        if end.is_some() {
            return Err(crate::convert::type_error("give a month (\"YYYY-MM\") or two dates, not both"));
        }
        return Ok(month(&s)?.range());
    }
    let start: Date = first.extract()?;
    let end = end.ok_or_else(|| crate::convert::type_error("a date range needs its end date"))?;
    Ok(DateRange { start: start.0, end: end.0 })
}

#[pymethods]
impl PyCalendar {
    /// The calendar's name.
    #[getter]
    fn name(&self) -> &str {
        &self.city.calendar.name
    }

    /// True when `date` is a working day.
    fn is_working_day(&self, date: Date) -> bool {
        self.city.calendar.is_working_day(date.0)
    }

    /// Everything the calendar knows about `date` (`kinerja.DayInfo`).
    fn day<'py>(&self, py: Python<'py>, date: Date) -> PyResult<Bound<'py, PyAny>> {
        day_info(py, &self.city.calendar.day(date.0))
    }

    /// The working hours of `date` (`kinerja.DaySchedule`), or `None` on a
    /// non-working day. Inside a special period the period's week wins.
    fn schedule<'py>(&self, py: Python<'py>, date: Date) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.city.calendar.schedule(date.0).map(|s| schedule(py, s)).transpose()
    }

    /// Number of working days in a month (`working_days("2026-10")`) or in a date
    /// range, both ends inclusive (`working_days(start, end)`; 0 when inverted).
    #[pyo3(signature = (month_or_start, end=None))]
    fn working_days(&self, month_or_start: &Bound<'_, PyAny>, end: Option<Date>) -> PyResult<u32> {
        Ok(self.city.calendar.working_days(period(month_or_start, end)?))
    }

    /// The working days of a month or of a date range, in order (`list[date]`).
    #[pyo3(signature = (month_or_start, end=None))]
    fn working_dates(&self, month_or_start: &Bound<'_, PyAny>, end: Option<Date>) -> PyResult<Vec<NaiveDate>> {
        Ok(self.city.calendar.working_dates(period(month_or_start, end)?).collect())
    }

    /// Sum of the scheduled effective minutes of the working days of a month or range.
    #[pyo3(signature = (month_or_start, end=None))]
    fn effective_minutes(&self, month_or_start: &Bound<'_, PyAny>, end: Option<Date>) -> PyResult<i64> {
        let range = period(month_or_start, end)?;
        self.city.calendar.effective_minutes(range).map(|m| m.get()).map_err(err)
    }

    /// The `n`-th working day strictly after `date` (`None` if none within ten years).
    fn nth_working_day_after(&self, date: Date, n: u32) -> Option<NaiveDate> {
        self.city.calendar.nth_working_day_after(date.0, n)
    }

    /// The `n`-th working day strictly before `date` (`None` if none within ten years).
    fn nth_working_day_before(&self, date: Date, n: u32) -> Option<NaiveDate> {
        self.city.calendar.nth_working_day_before(date.0, n)
    }

    /// Working days after `earlier`, up to and including `later`.
    fn working_days_between(&self, earlier: Date, later: Date) -> u32 {
        self.city.calendar.working_days_between(earlier.0, later.0)
    }

    /// The declared holidays, by date (`list[kinerja.Holiday]`, cancelled ones included).
    #[getter]
    fn holidays<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self.city.calendar.holidays.iter().map(|h| holiday(py, h)).collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    fn __repr__(&self) -> String {
        format!("Calendar({:?})", self.city.calendar.name)
    }
}

/// Generates a synthetic city, deterministic by `seed` (Banda Aceh's scale by
/// default: 39 work units, 5,925 employees, year 2026), with its actors: the mayor
/// and deputy (`official:WALIKOTA`, `official:WAKIL-WALIKOTA`), HR officers in
/// BKPSDM (up to two), an attendance officer per unit and a fingerprint reader per
/// unit (`device:FP-<UNIT>`; a face terminal `device:FACE-<UNIT>` too in big units).
#[pyfunction]
#[pyo3(signature = (*, seed=1, units=39, employees=5925, year=2026))]
pub fn generate_city(seed: u64, units: usize, employees: usize, year: i32) -> PyResult<PyCity> {
    guard(|| {
        let dataset = generate(&GeneratorConfig { seed, units, employees, year })
            .map_err(|e| err(kinerja::dataset::DatasetError::from(e)))?;
        dataset.into_city().map(|c| PyCity { inner: Arc::new(c) }).map_err(err)
    })
}
