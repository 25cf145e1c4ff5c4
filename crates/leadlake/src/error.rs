//! The facade's error type: each cause keeps its own structured error.

/// Errors from building or running leadlake.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An address database or override file cannot be used.
    #[error(transparent)]
    Ipdb(#[from] leadlake_ipdb::IpdbError),
    /// The event lake cannot be registered.
    #[error(transparent)]
    Lake(#[from] leadlake_lake::LakeError),
    /// The configuration file is invalid.
    #[error("{}: {reason}{}", path.display(), key.as_ref().map(|k| format!(" ({k})")).unwrap_or_default())]
    Config {
        path: std::path::PathBuf,
        reason: String,
        key: Option<String>,
    },
    /// A journey rule in the configuration cannot be used; the key is
    /// under `[funnel]`.
    #[error("invalid configuration: funnel.{}: {}", .0.key, .0.reason)]
    Funnel(#[from] leadlake_funnel::ConfigError),
    /// Planning or execution failed.
    #[error(transparent)]
    DataFusion(#[from] datafusion::error::DataFusionError),
    /// `leadlake ingest` failed: the error names the input or the output.
    #[error(transparent)]
    Ingest(#[from] leadlake_ingest::IngestError),
    /// A cluster cannot be reached or a node cannot start
    /// (`cluster_session`, `leadlake cluster`).
    #[error("{0}")]
    Cluster(String),
    /// Reading or writing a file failed.
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}
