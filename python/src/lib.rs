//! leadlake's Python package, native half: it adapts leadlake's functions
//! and tables to datafusion-python through DataFusion's FFI (capsules that
//! datafusion-python 55 imports), and holds no rules of its own.

mod capsule;
mod constant_args;
mod errors;
mod functions;
mod lake;
mod own_table;
mod queries;
mod runtime;
mod table;

use pyo3::prelude::*;

/// The module `leadlake._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("LeadlakeError", py.get_type::<errors::LeadlakeError>())?;
    m.add("ConfigError", py.get_type::<errors::ConfigError>())?;
    m.add_class::<functions::Functions>()?;
    m.add_class::<lake::Lake>()?;
    m.add_class::<table::Table>()?;
    m.add_class::<table::TableFunction>()?;
    m.add_function(wrap_pyfunction!(functions::check_config, m)?)?;
    m.add_function(wrap_pyfunction!(functions::config_from_toml, m)?)?;
    m.add_function(wrap_pyfunction!(queries::canned_queries, m)?)?;
    m.add("DATAFUSION_MAJOR", datafusion_ffi::version())?;
    Ok(())
}
