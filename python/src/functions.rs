//! leadlake's functions, opened once from a configuration and handed to
//! datafusion-python as FFI capsules.

use crate::constant_args::ConstantArgs;
use crate::errors::{config, from_leadlake};
use crate::lake::Lake;
use crate::table::TableFunction;
use datafusion_ffi::udaf::FFI_AggregateUDF;
use datafusion_ffi::udf::FFI_ScalarUDF;
use datafusion_ffi::udwf::FFI_WindowUDF;
use pyo3::prelude::*;
use pyo3::types::PyCapsule;
use std::ffi::CStr;
use std::path::PathBuf;

/// A configuration (the JSON form of `leadlake.toml`) as leadlake reads it.
fn parse(json: &str) -> PyResult<leadlake::Config> {
    serde_json::from_str(json).map_err(config)
}

/// Check a configuration without opening anything; returns it in full,
/// defaults filled in, as JSON.
///
/// # Errors
/// `ConfigError` naming the key at fault.
#[pyfunction]
pub fn check_config(json: &str) -> PyResult<String> {
    serde_json::to_string(&parse(json)?).map_err(config)
}

/// Read a `leadlake.toml` file; returns it as JSON.
///
/// # Errors
/// `ConfigError` when the file cannot be read, or naming the line at fault.
#[pyfunction]
pub fn config_from_toml(path: PathBuf) -> PyResult<String> {
    let parsed = leadlake::Config::from_toml_file(&path).map_err(from_leadlake)?;
    serde_json::to_string(&parsed).map_err(config)
}

/// Every leadlake function over the resources of one configuration.
#[pyclass(module = "leadlake._native", frozen)]
pub struct Functions {
    config: leadlake::Config,
    functions: leadlake::Functions,
}

type Named<'py> = Vec<(String, Bound<'py, PyCapsule>)>;

/// Each FFI function in a capsule of `kind`, the name datafusion-python
/// imports it by.
fn capsules<'py, T: Send + 'static>(
    py: Python<'py>,
    functions: impl Iterator<Item = (String, T)>,
    kind: &'static CStr,
) -> PyResult<Named<'py>> {
    functions
        .map(|(name, f)| Ok((name, PyCapsule::new_with_value(py, f, kind)?)))
        .collect()
}

#[pymethods]
impl Functions {
    /// Open the address databases, overrides and journey rules that the
    /// configuration (JSON) names.
    #[new]
    fn new(py: Python<'_>, json: &str) -> PyResult<Self> {
        let config = parse(json)?;
        let functions = py
            .detach(|| leadlake::Functions::open(&config))
            .map_err(from_leadlake)?;
        Ok(Self { config, functions })
    }

    /// `(name, capsule)` of every scalar function.
    fn scalar<'py>(&self, py: Python<'py>) -> PyResult<Named<'py>> {
        let functions = self.functions.scalars().into_iter().map(|f| {
            let name = f.name().to_string();
            (name, FFI_ScalarUDF::from(ConstantArgs::wrap(f)))
        });
        capsules(py, functions, c"datafusion_scalar_udf")
    }

    /// `(name, capsule)` of every aggregate function.
    fn aggregate<'py>(&self, py: Python<'py>) -> PyResult<Named<'py>> {
        let functions = self.functions.aggregates().into_iter().map(|f| {
            let name = f.name().to_string();
            (name, FFI_AggregateUDF::from(f))
        });
        capsules(py, functions, c"datafusion_aggregate_udf")
    }

    /// `(name, capsule)` of every window function.
    fn window<'py>(&self, py: Python<'py>) -> PyResult<Named<'py>> {
        let functions = self.functions.windows().into_iter().map(|f| {
            let name = f.name().to_string();
            (name, FFI_WindowUDF::from(f))
        });
        capsules(py, functions, c"datafusion_window_udf")
    }

    /// Every table function.
    fn table(&self) -> Vec<TableFunction> {
        self.functions
            .tables()
            .into_iter()
            .map(|(name, func)| TableFunction::new(name, func))
            .collect()
    }

    /// A leadlake session over the lake (the JSON of a `[lake]` section)
    /// with these functions: its `events`, `company_events` and
    /// `journeys` tables are lent to other sessions.
    fn lake(&self, py: Python<'_>, json: &str) -> PyResult<Lake> {
        let lake: leadlake::LakeConfig = serde_json::from_str(json).map_err(config)?;
        let config = leadlake::Config {
            lake: Some(lake),
            ..self.config.clone()
        };
        Lake::open(py, &config, &self.functions)
    }
}
