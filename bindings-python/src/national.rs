//! The national month ([`kinerja::national`]) for Python: the plan, one region (the
//! unit of work of a distributed run, e.g. a Dask task), the combination of region
//! summaries and the single-process run. The natives exchange JSON text; the Python
//! wrappers (`kinerja._national`) turn it into dicts with exact `Decimal` amounts.

use kinerja::national::{self, NationalError, RegionSummary};
use kinerja::policy::Policy;
use pyo3::prelude::*;

use crate::errors::{KErr, err, guard};

fn national_err(e: NationalError) -> PyErr {
    match e {
        NationalError::Parameter { field, message } => {
            err(KErr::new("ValidationError", format!("national.{field}: {message}"), "out_of_range")
                .at("national", "", field))
        }
        NationalError::Ledger { source, .. } => err(*source),
        other => err(KErr::new("InternalError", other.to_string(), "national_generator")),
    }
}

fn json<T: serde::Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| err(KErr::conversion(e.to_string())))
}

/// The plan of the national month as JSON: every region's index, kind and size.
#[pyfunction]
#[pyo3(signature = (seed, regions, scale))]
pub fn _national_plan_json(seed: u64, regions: usize, scale: f64) -> PyResult<String> {
    guard(|| json(&national::plan(seed, regions, scale).map_err(national_err)?))
}

/// One region generated and paid, as JSON (its summary). Releases the GIL.
#[pyfunction]
#[pyo3(signature = (seed, index, regions, scale))]
pub fn _national_region_json(py: Python<'_>, seed: u64, index: usize, regions: usize, scale: f64) -> PyResult<String> {
    guard(|| {
        let summary =
            py.detach(|| national::region(seed, index, regions, scale, &Policy::national())).map_err(national_err)?;
        json(&summary)
    })
}

/// The national totals of region summaries (JSON texts), as JSON.
#[pyfunction]
#[pyo3(signature = (seed, summaries))]
pub fn _national_combine_json(seed: u64, summaries: Vec<String>) -> PyResult<String> {
    guard(|| {
        let parsed = summaries
            .iter()
            .map(|s| serde_json::from_str::<RegionSummary>(s))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| err(KErr::conversion(format!("a region summary does not read: {e}"))))?;
        json(&national::NationalTotals::combine(seed, parsed).map_err(err)?)
    })
}

/// The whole national month in this process on `threads` threads, as JSON.
/// Releases the GIL.
#[pyfunction]
#[pyo3(signature = (seed, regions, scale, threads))]
pub fn _national_run_json(py: Python<'_>, seed: u64, regions: usize, scale: f64, threads: usize) -> PyResult<String> {
    guard(|| {
        let plan = national::plan(seed, regions, scale).map_err(national_err)?;
        let totals = py
            .detach(|| national::run(seed, &plan, threads, &Policy::national(), &|_: &RegionSummary| {}))
            .map_err(national_err)?;
        json(&totals)
    })
}
