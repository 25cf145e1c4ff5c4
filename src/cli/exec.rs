//! Running SQL text: statement by statement, stopping at the first error.

use super::print_format::PrintFormat;
use datafusion::prelude::SessionContext;
use datafusion::sql::parser::DFParser;
use leadlake::Config;
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

pub(crate) use crate::error::CliError;

/// A session for the command line, on the cluster at `cluster`
/// (`df://HOST:PORT`) when given: skipped lake files are warned about on
/// stderr.
pub async fn session(config: &Config, cluster: Option<&str>) -> Result<SessionContext, CliError> {
    let (ctx, lake) = match cluster {
        None => leadlake::session(config).await?,
        #[cfg(feature = "cluster")]
        Some(url) => leadlake::cluster_session(config, url).await?,
        #[cfg(not(feature = "cluster"))]
        Some(_) => return Err(CliError::Query(super::cluster::not_built())),
    };
    for (file, reason) in lake.iter().flat_map(|t| t.skipped()) {
        eprintln!("warning: skipped unreadable file {file}: {reason}");
    }
    let blind = lake
        .iter()
        .flat_map(|t| t.files_without_ts_bounds())
        .collect::<Vec<_>>();
    if let Some(first) = blind.first() {
        eprintln!(
            "warning: {} lake file(s) have no ts statistics (the first: {first}); a ts filter \
             picks them by their date folder alone, so an event filed under another date can \
             be missed (docs/lake.md, \"Filters on ts\")",
            blind.len()
        );
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
        let line = super::progress::ProgressLine::start(ctx).await;
        let batches = df.collect().await;
        drop(line);
        let batches = batches?;
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
    cluster: Option<&str>,
    format: PrintFormat,
    commands: &[String],
    files: &[PathBuf],
) -> Result<(), CliError> {
    let ctx = session(config, cluster).await?;
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

/// Where the prompt keeps its history: `$LEADLAKE_HISTORY`, else
/// `~/.leadlake_history`.
fn history_file() -> Option<PathBuf> {
    std::env::var_os("LEADLAKE_HISTORY")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".leadlake_history")))
}

/// The prompt: line editing and history (rustyline), multi-line
/// statements ending with `;`, backslash commands. Ctrl-C at the prompt
/// drops the statement being typed; Ctrl-C while a statement runs cancels
/// it and returns to the prompt; Ctrl-D quits. Errors are shown and the
/// session goes on.
async fn interactive(ctx: &SessionContext, format: PrintFormat) -> Result<(), CliError> {
    use futures::StreamExt;
    use rustyline::error::ReadlineError;
    let editor_err = |e: ReadlineError| CliError::Io {
        context: "reading the prompt".into(),
        source: std::io::Error::other(e.to_string()),
    };
    let mut editor = rustyline::DefaultEditor::new().map_err(editor_err)?;
    let history = history_file();
    if let Some(h) = &history {
        let _ = editor.load_history(h);
    }
    // Ctrl-C while a statement runs arrives as a signal: forward it
    let (tx, mut interrupts) = futures::channel::mpsc::unbounded::<()>();
    let _ = ctrlc::set_handler(move || {
        let _ = tx.unbounded_send(());
    });
    let mut buffer = String::new();
    let mut state = ShellState::default();
    eprintln!("leadlake shell: statements end with ';', \\? for commands, Ctrl-D to quit");
    loop {
        let prompt = if buffer.is_empty() {
            "leadlake> "
        } else {
            "      ...> "
        };
        let line = match editor.readline(prompt) {
            Ok(line) => line,
            Err(ReadlineError::Interrupted) => {
                buffer.clear();
                continue;
            }
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(editor_err(e)),
        };
        if !line.trim().is_empty() {
            let _ = editor.add_history_entry(line.as_str());
        }
        if buffer.is_empty() && line.trim_start().starts_with('\\') {
            if let Err(e) = meta(ctx, line.trim(), format, &mut state).await {
                eprintln!("Error: {e:#}");
            }
            if state.quit {
                break;
            }
            continue;
        }
        buffer.push_str(&line);
        buffer.push('\n');
        if buffer.trim_end().ends_with(';') {
            let sql = std::mem::take(&mut buffer);
            // forget interrupts that arrived while typing
            while interrupts.try_recv().is_ok() {}
            let run = std::pin::pin!(timed(ctx, &sql, format, &state));
            match futures::future::select(run, interrupts.next()).await {
                futures::future::Either::Left((Err(e), _)) => eprintln!("Error: {e:#}"),
                futures::future::Either::Left((Ok(()), _)) => {}
                futures::future::Either::Right(_) => eprintln!("cancelled"),
            }
        }
    }
    if let Some(h) = &history {
        let _ = editor.save_history(h);
    }
    Ok(())
}
