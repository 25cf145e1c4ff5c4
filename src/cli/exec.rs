//! Running SQL text: statement by statement, stopping at the first error.

use super::print_format::PrintFormat;
use datafusion::prelude::SessionContext;
use datafusion::sql::parser::DFParser;
use leadlake::Config;
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

/// Why the command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Leadlake(#[from] leadlake::Error),
    #[error(transparent)]
    DataFusion(#[from] datafusion::error::DataFusionError),
    #[error(transparent)]
    Arrow(#[from] arrow::error::ArrowError),
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

impl CliError {
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

/// A session for the command line: skipped lake files are warned about on
/// stderr.
pub async fn session(config: &Config) -> Result<SessionContext, CliError> {
    let (ctx, lake) = leadlake::session(config).await?;
    for (file, reason) in lake.iter().flat_map(|t| t.skipped()) {
        eprintln!("warning: skipped unreadable file {file}: {reason}");
    }
    Ok(ctx)
}

/// Run each statement of `sql` and print its result.
pub async fn run_sql(ctx: &SessionContext, sql: &str, format: PrintFormat) -> Result<(), CliError> {
    let statements = DFParser::parse_sql(sql)?;
    for statement in statements {
        let plan = ctx.state().statement_to_plan(statement).await?;
        let df = ctx.execute_logical_plan(plan).await?;
        let schema = df.schema().as_arrow().clone();
        let batches = df.collect().await?;
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        format.print(&mut out, &schema, &batches)?;
        out.flush().map_err(|source| CliError::Io {
            context: "writing the output".into(),
            source,
        })?;
    }
    Ok(())
}

/// `leadlake shell`: `-c` texts, then `-f` files, else standard input.
pub async fn shell(
    config: &Config,
    format: PrintFormat,
    commands: &[String],
    files: &[PathBuf],
) -> Result<(), CliError> {
    let ctx = session(config).await?;
    for sql in commands {
        run_sql(&ctx, sql, format).await?;
    }
    for file in files {
        let sql = std::fs::read_to_string(file).map_err(|source| CliError::Io {
            context: format!("reading {}", file.display()),
            source,
        })?;
        run_sql(&ctx, &sql, format).await?;
    }
    if commands.is_empty() && files.is_empty() {
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            return interactive(&ctx, format).await;
        }
        let mut sql = String::new();
        stdin
            .lock()
            .read_to_string(&mut sql)
            .map_err(|source| CliError::Io {
                context: "reading standard input".into(),
                source,
            })?;
        run_sql(&ctx, &sql, format).await?;
    }
    Ok(())
}

/// A minimal prompt: statements end with `;`, errors are shown and the
/// session goes on; Ctrl-D ends it.
async fn interactive(ctx: &SessionContext, format: PrintFormat) -> Result<(), CliError> {
    let stdin = std::io::stdin();
    let mut buffer = String::new();
    loop {
        eprint!(
            "{}",
            if buffer.is_empty() {
                "leadlake> "
            } else {
                "      ...> "
            }
        );
        let mut line = String::new();
        let n = stdin.read_line(&mut line).map_err(|source| CliError::Io {
            context: "reading standard input".into(),
            source,
        })?;
        if n == 0 {
            eprintln!();
            return Ok(());
        }
        buffer.push_str(&line);
        if buffer.trim_end().ends_with(';') {
            let sql = std::mem::take(&mut buffer);
            if let Err(e) = run_sql(ctx, &sql, format).await {
                eprintln!("Error: {e:#}");
            }
        }
    }
}
