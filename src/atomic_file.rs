//! Files written whole or not at all: the demo's databases and `run`'s
//! outputs go to a hidden temporary file beside their place first.

use crate::error::CliError;
use std::path::Path;

/// Write `bytes` to `path` atomically: a hidden temporary file beside it,
/// renamed into place when complete, removed on failure.
///
/// A symlink is written through: the file it points to is replaced, beside
/// itself, and the link stays. A FIFO or a character device (`/dev/null`,
/// `/dev/stdout`) is written straight into, never replaced. A folder or
/// any other kind of file is an error naming it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let io = |source, what: &str| CliError::Io {
        context: format!("{what} {}", path.display()),
        source,
    };
    // follow links to the file they name (it may not exist yet)
    let mut target = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&target) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&target).map_err(|e| io(e, "reading the link"))?;
                target = match target.parent() {
                    Some(dir) => dir.join(link),
                    None => link,
                };
            }
            _ => break,
        }
    }
    match std::fs::metadata(&target) {
        Ok(m) if m.is_dir() => {
            return Err(CliError::Output(format!(
                "{} is a folder; give a file name",
                path.display()
            )));
        }
        Ok(m) if !m.is_file() => {
            if is_stream(&m) {
                use std::io::Write;
                let mut f = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&target)
                    .map_err(|e| io(e, "opening"))?;
                return f.write_all(bytes).map_err(|e| io(e, "writing"));
            }
            return Err(CliError::Output(format!(
                "{} is not a regular file, a FIFO or a character device",
                path.display()
            )));
        }
        _ => {}
    }
    let path = target.as_path();
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

#[cfg(unix)]
fn is_stream(m: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    m.file_type().is_fifo() || m.file_type().is_char_device()
}

#[cfg(not(unix))]
fn is_stream(_: &std::fs::Metadata) -> bool {
    false
}
