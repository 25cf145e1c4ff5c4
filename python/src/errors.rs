//! leadlake's errors as Python exceptions carrying their message.

use pyo3::PyErr;
use pyo3::create_exception;
use pyo3::exceptions::PyException;

create_exception!(
    leadlake,
    LeadlakeError,
    PyException,
    "An error from leadlake or the DataFusion engine inside it, with its message."
);
create_exception!(
    leadlake,
    ConfigError,
    LeadlakeError,
    "A configuration leadlake cannot use: an unknown or mistyped key, or an address database, override file or spill folder that cannot be opened."
);

/// The Python exception for a leadlake error: [`ConfigError`] for what the
/// configuration names, [`LeadlakeError`] for the rest.
pub fn from_leadlake(e: leadlake::Error) -> PyErr {
    match e {
        leadlake::Error::Config { .. }
        | leadlake::Error::Ipdb(_)
        | leadlake::Error::Funnel(_)
        | leadlake::Error::Io { .. } => ConfigError::new_err(e.to_string()),
        e => LeadlakeError::new_err(e.to_string()),
    }
}

/// A DataFusion error (planning or running a leadlake table) as
/// [`LeadlakeError`].
pub fn from_datafusion(e: datafusion::error::DataFusionError) -> PyErr {
    LeadlakeError::new_err(e.to_string())
}

/// A configuration that does not parse, as [`ConfigError`]. The JSON is
/// made by the package from a dict, so a position in it ("at line 1
/// column 30") would point nowhere the user wrote: it is left out.
pub fn config(e: serde_json::Error) -> PyErr {
    let message = e.to_string();
    let message = match message.rsplit_once(" at line ") {
        Some((reason, _)) if e.line() > 0 => reason.to_string(),
        _ => message,
    };
    ConfigError::new_err(format!("invalid configuration: {message}"))
}
