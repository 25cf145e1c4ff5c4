//! Errors raised while opening address databases and override files.
//!
//! Lookups never fail on bad input: a malformed address is simply "no
//! answer". Errors are for resources a user configured (a database or an
//! override file) that cannot be used, and each one names the file.

use std::path::PathBuf;

/// Everything that can go wrong while building a [`crate::Resolver`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IpdbError {
    /// The file could not be opened or read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is not a valid MaxMind DB (wrong format, truncated, corrupt).
    #[error("{} is not a usable MaxMind DB file: {reason}", path.display())]
    InvalidDatabase { path: PathBuf, reason: String },
    /// The file is a valid MaxMind DB, but of a kind leadlake cannot use.
    #[error(
        "{} is a '{database_type}' database, which has no company, domain, ASN or network-type data; \
         leadlake reads {supported}",
        path.display(),
        supported = crate::DbKind::SUPPORTED
    )]
    UnsupportedDatabase {
        path: PathBuf,
        database_type: String,
    },
    /// A line of an override file is malformed.
    #[error("{}:{line}: {reason}", path.display())]
    InvalidOverride {
        path: PathBuf,
        line: u64,
        reason: String,
    },
}

/// Shorthand for results in this crate.
pub type Result<T, E = IpdbError> = std::result::Result<T, E>;
