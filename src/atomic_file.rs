//! Files written whole or not at all: the demo's databases and `run`'s
//! outputs go to a hidden temporary file beside their place first.

use crate::error::CliError;
use std::path::Path;

/// Write `bytes` to `path` atomically: a hidden temporary file beside it,
/// renamed into place when complete, removed on failure.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let io = |source, what: &str| CliError::Io {
        context: format!("{what} {}", path.display()),
        source,
    };
    let name = path
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(e, "writing")
    })?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(e, "replacing")
    })
}
