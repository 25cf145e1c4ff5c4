//! Tables and table functions handed to datafusion-python: each answers
//! the capsule getter datafusion-python 55 calls with the session it is
//! registered in.

use crate::capsule::logical_codec;
use crate::runtime::runtime;
use datafusion::catalog::{TableFunctionImpl, TableProvider};
use datafusion_ffi::proto::logical_extension_codec::FFI_LogicalExtensionCodec;
use datafusion_ffi::table_provider::FFI_TableProvider;
use datafusion_ffi::udtf::FFI_TableFunction;
use pyo3::prelude::*;
use pyo3::types::PyCapsule;
use std::sync::Arc;
use tokio::runtime::Handle;

/// What an FFI table or table function for `session` carries: the
/// session's codec, and the runtime leadlake's side runs on.
fn ffi_parts(session: &Bound<'_, PyAny>) -> PyResult<(FFI_LogicalExtensionCodec, Handle)> {
    Ok((logical_codec(session)?, runtime()?.handle().clone()))
}

/// A leadlake table, registered with `SessionContext.register_table`.
#[pyclass(module = "leadlake._native", frozen)]
pub struct Table {
    provider: Arc<dyn TableProvider>,
}

impl Table {
    pub fn new(provider: Arc<dyn TableProvider>) -> Self {
        Self { provider }
    }
}

#[pymethods]
impl Table {
    /// The table as an `FFI_TableProvider` capsule for `session`.
    fn __datafusion_table_provider__<'py>(
        &self,
        py: Python<'py>,
        session: Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let (codec, handle) = ffi_parts(&session)?;
        let ffi = FFI_TableProvider::new_with_ffi_codec(
            Arc::clone(&self.provider),
            true,
            Some(handle),
            codec,
        );
        PyCapsule::new_with_value(py, ffi, c"datafusion_table_provider")
    }

    /// The column names, in order.
    fn columns(&self) -> Vec<String> {
        let schema = self.provider.schema();
        schema.fields().iter().map(|f| f.name().clone()).collect()
    }
}

/// A leadlake table function (`ip_networks`), registered with
/// `SessionContext.register_udtf`.
#[pyclass(module = "leadlake._native", frozen)]
pub struct TableFunction {
    name: &'static str,
    func: Arc<dyn TableFunctionImpl>,
}

impl TableFunction {
    pub fn new(name: &'static str, func: Arc<dyn TableFunctionImpl>) -> Self {
        Self { name, func }
    }
}

#[pymethods]
impl TableFunction {
    /// Its SQL name.
    #[getter]
    fn name(&self) -> &'static str {
        self.name
    }

    /// The function as an `FFI_TableFunction` capsule for `session`.
    fn __datafusion_table_function__<'py>(
        &self,
        py: Python<'py>,
        session: Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let (codec, handle) = ffi_parts(&session)?;
        let ffi =
            FFI_TableFunction::new_with_ffi_codec(Arc::clone(&self.func), Some(handle), codec);
        PyCapsule::new_with_value(py, ffi, c"datafusion_table_function")
    }
}
