//! Why the command failed: each cause keeps its own error.

/// Why the command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Leadlake(#[from] leadlake::Error),
    #[error(transparent)]
    DataFusion(#[from] datafusion::error::DataFusionError),
    #[error(transparent)]
    Arrow(#[from] arrow::error::ArrowError),
    #[error("building the demo data failed: {0}")]
    Demo(String),
    #[error("generate: {0}")]
    Generate(String),
    #[error("bad --param {0}")]
    Param(String),
    #[error("{0}")]
    Query(String),
    #[error("output: {0}")]
    Output(String),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

impl From<leadlake::queries::ParamError> for CliError {
    fn from(e: leadlake::queries::ParamError) -> Self {
        CliError::Param(e.0)
    }
}

impl From<leadlake::queries::QueryError> for CliError {
    fn from(e: leadlake::queries::QueryError) -> Self {
        CliError::Query(e.0)
    }
}

impl CliError {
    /// What to do about it, for the errors where that is not obvious.
    pub fn hint(&self) -> Option<&'static str> {
        let df = match self {
            CliError::DataFusion(e) | CliError::Leadlake(leadlake::Error::DataFusion(e)) => e,
            _ => return None,
        };
        matches!(
            df.find_root(),
            datafusion::error::DataFusionError::ResourcesExhausted(_)
        )
        .then_some(
            "the query did not fit in --memory-limit even spilling to --temp-dir: raise the limit, \
             or lower --threads (each partition holds its own share of the pool)",
        )
    }

    /// Output went to a closed pipe (`leadlake ... | head`): not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        let io = match self {
            CliError::Io { source, .. } => Some(source),
            CliError::Arrow(arrow::error::ArrowError::IoError(_, e)) => Some(e),
            CliError::Arrow(arrow::error::ArrowError::ExternalError(e)) => {
                e.downcast_ref::<std::io::Error>()
            }
            _ => None,
        };
        io.is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}
