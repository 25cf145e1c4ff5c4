//! The errors that stop a run. Everything about one line is counted in the
//! report instead (see [`crate::Malformed`]); an error is for what makes a
//! whole input or the output unusable, and names the file.

use std::io;
use std::path::PathBuf;

/// Why an ingest run stopped. When it is returned, nothing of the run is
/// visible in the lake: files already written are still temporary and have
/// been removed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IngestError {
    /// A configuration value is wrong; `key` is its name under `[ingest]`.
    #[error("[ingest] {key}: {message}")]
    Config { key: String, message: String },
    /// The output location cannot be written (checked before any input is read).
    #[error("output {path} is not writable: {source}")]
    OutputNotWritable {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// Writing, renaming or removing an output file failed.
    #[error("writing {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// Encoding Parquet failed.
    #[error("encoding Parquet for {file}: {source}")]
    Encode {
        file: String,
        #[source]
        source: parquet::errors::ParquetError,
    },
    /// The input cannot be opened.
    #[error("{file}: cannot open: {source}")]
    Open {
        file: String,
        #[source]
        source: io::Error,
    },
    /// Reading failed after `line` lines: an I/O error, or gzip that is
    /// corrupt or truncated.
    #[error("{file}: read failed after line {line}: {source}")]
    Read {
        file: String,
        line: u64,
        #[source]
        source: io::Error,
    },
    /// `--format auto` and the content matches no known format.
    #[error(
        "{file}: cannot tell the format from the content (not a Scarf export, CloudFront or Cloudflare log, nor a combined/common access log); name it with --format"
    )]
    UndetectableFormat { file: String },
    /// A Scarf export whose header lacks a required column.
    #[error("{file}: the header has no `{column}` column")]
    MissingColumn { file: String, column: &'static str },
    /// The same input name twice in one run: its files would collide.
    #[error("{file}: given twice in one run")]
    DuplicateInput { file: String },
}
