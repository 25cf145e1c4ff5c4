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
        run_script(&ctx, sql, format).await?;
    }
    for file in files {
        let sql = std::fs::read_to_string(file).map_err(|source| CliError::Io {
            context: format!("reading {}", file.display()),
            source,
        })?;
        run_script(&ctx, &sql, format).await?;
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
        run_script(&ctx, &sql, format).await?;
    }
    Ok(())
}

/// Backslash commands of the shell (in scripts and at the prompt).
const HELP: &str = "\\d [TABLE]   tables, or the columns of TABLE
\\dt          tables
\\df [TEXT]   leadlake functions (with TEXT in their name) and their documentation
\\timing      print how long each statement takes
\\q           quit
\\?           this help";

/// Shell state kept between statements.
#[derive(Debug, Default)]
pub struct ShellState {
    timing: bool,
    quit: bool,
}

/// Run one backslash command.
async fn meta(
    ctx: &SessionContext,
    line: &str,
    format: PrintFormat,
    state: &mut ShellState,
) -> Result<(), CliError> {
    let mut words = line.split_whitespace();
    let command = words.next().unwrap_or_default();
    let arg = words.next();
    match (command, arg) {
        ("\\q", _) => state.quit = true,
        ("\\?", _) => eprintln!("{HELP}"),
        ("\\timing", _) => {
            state.timing = !state.timing;
            eprintln!("timing is {}", if state.timing { "on" } else { "off" });
        }
        ("\\dt", _) | ("\\d", None) => {
            run_sql(
                ctx,
                "SELECT table_schema, table_name, table_type FROM information_schema.tables \
                 WHERE table_schema <> 'information_schema' ORDER BY table_schema, table_name",
                format,
            )
            .await?
        }
        ("\\d", Some(table)) => {
            if !table
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
            {
                return Err(CliError::Query(format!("\\d: not a table name: {table}")));
            }
            run_sql(ctx, &format!("DESCRIBE {table}"), format).await?
        }
        ("\\df", pattern) => {
            let state_ = ctx.state();
            let mut docs: Vec<(String, String, String)> = Vec::new();
            let mut add = |name: &str, doc: Option<&datafusion::logical_expr::Documentation>| {
                if let Some(d) = doc.filter(|d| d.doc_section.label.starts_with("leadlake"))
                    && pattern.is_none_or(|p| name.contains(p))
                {
                    docs.push((
                        name.to_string(),
                        d.syntax_example.clone(),
                        d.description.clone(),
                    ));
                }
            };
            for (n, f) in state_.scalar_functions() {
                add(n, f.documentation());
            }
            for (n, f) in state_.aggregate_functions() {
                add(n, f.documentation());
            }
            for (n, f) in state_.window_functions() {
                add(n, f.documentation());
            }
            docs.sort();
            docs.dedup();
            let mut out = std::io::stdout().lock();
            for (_, syntax, description) in docs {
                writeln!(out, "{syntax}\n    {description}\n").map_err(|source| CliError::Io {
                    context: "writing the output".into(),
                    source,
                })?;
            }
        }
        _ => {
            return Err(CliError::Query(format!(
                "unknown command {command} (\\? lists them)"
            )));
        }
    }
    Ok(())
}

/// Run a script: SQL statements and backslash commands (each on its own
/// line), in order; stops at the first error.
pub async fn run_script(
    ctx: &SessionContext,
    text: &str,
    format: PrintFormat,
) -> Result<(), CliError> {
    let mut state = ShellState::default();
    let mut sql = String::new();
    for line in text.lines() {
        if line.trim_start().starts_with('\\') {
            if !sql.trim().is_empty() {
                timed(ctx, &std::mem::take(&mut sql), format, &state).await?;
            }
            meta(ctx, line.trim(), format, &mut state).await?;
            if state.quit {
                return Ok(());
            }
        } else {
            sql.push_str(line);
            sql.push('\n');
        }
    }
    if !sql.trim().is_empty() {
        timed(ctx, &sql, format, &state).await?;
    }
    Ok(())
}

async fn timed(
    ctx: &SessionContext,
    sql: &str,
    format: PrintFormat,
    state: &ShellState,
) -> Result<(), CliError> {
    let started = std::time::Instant::now();
    let result = run_sql(ctx, sql, format).await;
    if state.timing {
        eprintln!("time: {:.3}s", started.elapsed().as_secs_f64());
    }
    result
}

/// A minimal prompt: statements end with `;`, errors are shown and the
/// session goes on; Ctrl-D ends it.
async fn interactive(ctx: &SessionContext, format: PrintFormat) -> Result<(), CliError> {
    let stdin = std::io::stdin();
    let mut buffer = String::new();
    let mut state = ShellState::default();
    eprintln!("leadlake shell: statements end with ';', \\? for commands, Ctrl-D to quit");
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
        if buffer.is_empty() && line.trim_start().starts_with('\\') {
            if let Err(e) = meta(ctx, line.trim(), format, &mut state).await {
                eprintln!("Error: {e:#}");
            }
            if state.quit {
                return Ok(());
            }
            continue;
        }
        buffer.push_str(&line);
        if buffer.trim_end().ends_with(';') {
            let sql = std::mem::take(&mut buffer);
            if let Err(e) = timed(ctx, &sql, format, &state).await {
                eprintln!("Error: {e:#}");
            }
        }
    }
}
