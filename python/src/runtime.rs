//! The Tokio runtime leadlake's own work runs on: planning, lake listing,
//! and the streams of its tables, whichever engine polls them (each native
//! library has its own Tokio, so leadlake's I/O needs a runtime of its own).

use crate::errors::LeadlakeError;
use pyo3::prelude::*;
use std::future::Future;
use std::sync::LazyLock;
use tokio::runtime::{Builder, Runtime};

static RUNTIME: LazyLock<Result<Runtime, String>> = LazyLock::new(|| {
    Builder::new_multi_thread()
        .enable_all()
        .thread_name("leadlake")
        .build()
        .map_err(|e| format!("starting leadlake's runtime: {e}"))
});

/// The runtime, started on first use.
pub fn runtime() -> PyResult<&'static Runtime> {
    RUNTIME
        .as_ref()
        .map_err(|e| LeadlakeError::new_err(e.clone()))
}

/// Run `work` to completion on the runtime, with the GIL released.
pub fn block_on<F>(py: Python<'_>, work: F) -> PyResult<F::Output>
where
    F: Future + Send,
    F::Output: Send,
{
    let rt = runtime()?;
    Ok(py.detach(|| rt.block_on(work)))
}
