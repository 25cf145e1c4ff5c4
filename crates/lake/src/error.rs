//! Errors opening a lake. Each names what it is about: the URL, the file,
//! the column.

/// Why a lake cannot be registered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LakeError {
    /// The URL cannot be parsed or its scheme is not supported.
    #[error("invalid lake URL '{url}': {reason}")]
    Url { url: String, reason: String },
    /// The object store could not be built or listed.
    #[error("cannot list lake {url}: {reason}")]
    List { url: String, reason: String },
    /// The lake holds no Parquet file.
    #[error("lake {url} holds no .parquet files")]
    Empty { url: String },
    /// Every file was unreadable and skipped (`skip_unreadable`).
    #[error(
        "lake {url}: all {count} .parquet files are unreadable and were skipped; the first, {first}"
    )]
    AllUnreadable {
        url: String,
        count: usize,
        first: String,
    },
    /// A file is not readable Parquet.
    #[error("{file}: not a readable Parquet file: {reason}")]
    Unreadable { file: String, reason: String },
    /// A required column is missing from a file.
    #[error("{file}: required column '{column}' is missing{hint}")]
    MissingColumn {
        file: String,
        column: String,
        hint: String,
    },
    /// A column has a type that cannot be read as the canonical one.
    #[error("{file}: column '{column}' has type {found}, expected {expected}")]
    WrongType {
        file: String,
        column: String,
        found: String,
        expected: String,
    },
    /// The configuration names an unknown canonical column.
    #[error("lake column mapping: unknown column '{column}', expected one of {known}")]
    UnknownColumn { column: String, known: String },
    /// Some files are partitioned and others are not.
    #[error("{file}: not in the lake's {layout} partition layout (like {example})")]
    MixedLayout {
        file: String,
        layout: String,
        example: String,
    },
}
