//! Python bindings of the Kinerja engine: the native module `kinerja._kinerja`.
//!
//! The bindings add no business logic. Every rule lives in the core crate
//! (`kinerja`); this crate converts types (dates, times, exact decimals, enums,
//! records, columnar tables) and maps the core's errors to Python exceptions under
//! `kinerja.KinerjaError`. The Python package around it is in `python/kinerja/`.

mod allowance;
mod city;
mod columns;
mod convert;
mod errors;
mod insights;
mod ledger;
mod national;
mod policy;
mod reform;

use pyo3::prelude::*;

/// Panics on purpose, to test that a Rust panic becomes `kinerja.InternalError`
/// (never a crash). Not part of the public API.
#[pyfunction]
fn _debug_panic() -> PyResult<()> {
    errors::guard(|| -> PyResult<()> { panic!("deliberate panic from kinerja._kinerja._debug_panic()") })
}

/// The native module of the `kinerja` package. Import `kinerja`, not this module.
#[pymodule]
fn _kinerja(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("CORE_VERSION", env!("CARGO_PKG_VERSION"))?;
    m.add("NATIONAL_POLICY_TOML", kinerja::policy::NATIONAL_TOML)?;
    m.add_class::<city::PyCity>()?;
    m.add_class::<city::PyCalendar>()?;
    m.add_class::<policy::PyPolicy>()?;
    m.add_class::<policy::PyPolicyLayer>()?;
    m.add_class::<reform::PyPolicyReform>()?;
    m.add_class::<ledger::PyMonthContext>()?;
    m.add_class::<ledger::PyLedger>()?;
    m.add_class::<ledger::PyRecapData>()?;
    m.add_class::<allowance::PyAllowanceInput>()?;
    m.add_class::<allowance::PyPayroll>()?;
    m.add_class::<columns::PyNativeTable>()?;
    m.add_function(wrap_pyfunction!(columns::_table_from_columns, m)?)?;
    m.add("ALLOWANCE_KEYS", kinerja::allowance::ALLOWANCE_KEYS.to_vec())?;
    m.add("PPPK_ALLOWANCE_KEYS", kinerja::allowance::PPPK_ALLOWANCE_KEYS.to_vec())?;
    m.add("CRITERIA_ALLOWANCE_KEYS", kinerja::allowance::CRITERIA_ALLOWANCE_KEYS.to_vec())?;
    m.add("VARIANT_ALLOWANCE_KEYS", kinerja::allowance::VARIANT_ALLOWANCE_KEYS.to_vec())?;
    m.add("ALLOWANCE_RULES", kinerja::allowance::rule_ids())?;
    m.add("SLIP_SCHEMA_VERSION", kinerja::allowance::SCHEMA_VERSION)?;
    m.add_function(wrap_pyfunction!(city::generate_city, m)?)?;
    m.add_function(wrap_pyfunction!(ledger::simulate_month, m)?)?;
    m.add_function(wrap_pyfunction!(policy::policy_catalogue, m)?)?;
    m.add_function(wrap_pyfunction!(allowance::compute_slip, m)?)?;
    m.add_function(wrap_pyfunction!(allowance::compute_slip_json, m)?)?;
    m.add_function(wrap_pyfunction!(allowance::allowance_parameters, m)?)?;
    m.add_function(wrap_pyfunction!(allowance::arrears, m)?)?;
    m.add_function(wrap_pyfunction!(allowance::verify_slip, m)?)?;
    m.add_function(wrap_pyfunction!(allowance::pay_city, m)?)?;
    m.add_function(wrap_pyfunction!(allowance::what_if, m)?)?;
    m.add_function(wrap_pyfunction!(allowance::_slip_to_json, m)?)?;
    m.add_function(wrap_pyfunction!(allowance::render_message, m)?)?;
    m.add_function(wrap_pyfunction!(allowance::format_rupiah, m)?)?;
    m.add_function(wrap_pyfunction!(allowance::format_date, m)?)?;
    m.add_function(wrap_pyfunction!(allowance::rule_name, m)?)?;
    m.add_function(wrap_pyfunction!(allowance::_label, m)?)?;
    m.add_function(wrap_pyfunction!(allowance::explain_slip, m)?)?;
    m.add_function(wrap_pyfunction!(allowance::_slip_from_json, m)?)?;
    m.add_function(wrap_pyfunction!(insights::budget_realisation, m)?)?;
    m.add_function(wrap_pyfunction!(insights::unit_readiness, m)?)?;
    m.add_function(wrap_pyfunction!(insights::shadow_month, m)?)?;
    m.add_function(wrap_pyfunction!(insights::insights_report, m)?)?;
    m.add_function(wrap_pyfunction!(insights::awards, m)?)?;
    m.add_function(wrap_pyfunction!(insights::generate_insight_records, m)?)?;
    m.add_function(wrap_pyfunction!(national::_national_plan_json, m)?)?;
    m.add_function(wrap_pyfunction!(national::_national_region_json, m)?)?;
    m.add_function(wrap_pyfunction!(national::_national_combine_json, m)?)?;
    m.add_function(wrap_pyfunction!(national::_national_run_json, m)?)?;
    m.add_function(wrap_pyfunction!(ledger::_time_native_recap, m)?)?;
    m.add_function(wrap_pyfunction!(allowance::_time_native_pay_city, m)?)?;
    m.add_function(wrap_pyfunction!(_debug_panic, m)?)?;
    Ok(())
}
