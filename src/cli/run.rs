//! `leadlake run`: a canned query or a .sql file, with typed parameters,
//! written to stdout or atomically to a file.

use super::exec::CliError;
use super::print_format::PrintFormat;
use super::queries::{self, ParamType, Query};
use arrow::array::RecordBatch;
use arrow::datatypes::Schema;
use datafusion::common::ScalarValue;
use datafusion::prelude::SessionContext;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// Output formats of `run` (the shell's, plus Parquet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Table,
    Csv,
    Json,
    Ndjson,
    Parquet,
}

impl OutputFormat {
    /// The format a file name's extension names (`None` for others).
    pub fn from_extension(target: &str) -> Option<Self> {
        let ext = target.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "csv" => OutputFormat::Csv,
            "json" => OutputFormat::Json,
            "ndjson" | "jsonl" => OutputFormat::Ndjson,
            "parquet" => OutputFormat::Parquet,
            _ => return None,
        })
    }

    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Table => "txt",
            OutputFormat::Csv => "csv",
            OutputFormat::Json => "json",
            OutputFormat::Ndjson => "ndjson",
            OutputFormat::Parquet => "parquet",
        }
    }

    fn text(self) -> Option<PrintFormat> {
        match self {
            OutputFormat::Table => Some(PrintFormat::Table),
            OutputFormat::Csv => Some(PrintFormat::Csv),
            OutputFormat::Json => Some(PrintFormat::Json),
            OutputFormat::Ndjson => Some(PrintFormat::Ndjson),
            OutputFormat::Parquet => None,
        }
    }
}

/// The evaluation instant: `--as-of`, else today's midnight (UTC).
pub fn as_of_text(as_of: Option<&str>) -> String {
    as_of.map_or_else(
        || chrono::Utc::now().date_naive().to_string(),
        str::to_string,
    )
}

/// The typed values of `query`'s parameters: `--param` values, `as_of`
/// from `--as-of`, defaults. Values are bound as literals of the declared
/// type, never pasted into the SQL text.
pub fn bind(
    query: &Query,
    as_of: &str,
    given: &[(String, String)],
) -> Result<Vec<(String, ScalarValue)>, CliError> {
    let mut out = Vec::new();
    let declared = !query.params.is_empty();
    for (i, (name, _)) in given.iter().enumerate() {
        if name == "as_of" {
            // one way to say it: --as-of (which also has the default)
            return Err(CliError::Param(
                "as_of: give the date with --as-of, not --param".into(),
            ));
        }
        if given[..i].iter().any(|(n, _)| n == name) {
            return Err(CliError::Param(format!("{name} is given twice")));
        }
    }
    for (name, _) in given {
        if declared && !query.params.iter().any(|p| &p.name == name) {
            let names: Vec<&str> = query.params.iter().map(|p| p.name.as_str()).collect();
            return Err(CliError::Param(format!(
                "unknown parameter '{name}' for {} (parameters: {})",
                query.name,
                names.join(", ")
            )));
        }
    }
    let lookup = |name: &str| {
        given
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    if declared {
        for p in &query.params {
            let text = match (lookup(&p.name), p.name.as_str(), &p.default) {
                (Some(v), _, _) => v.to_string(),
                (None, "as_of", _) => as_of.to_string(),
                (None, _, Some(d)) => d.clone(),
                (None, _, None) => {
                    return Err(CliError::Param(format!(
                        "{} needs --param {}=<{}>",
                        query.name,
                        p.name,
                        p.kind.as_str()
                    )));
                }
            };
            out.push((p.name.clone(), p.kind.value(&p.name, &text)?));
        }
    } else {
        // a plain .sql file: as_of is a timestamp, the rest text; every
        // `$name` it uses needs a value
        for name in placeholders(&query.sql) {
            if name != "as_of" && lookup(&name).is_none() {
                return Err(CliError::Param(format!(
                    "{} uses ${name}: give --param {name}=<value>",
                    query.name
                )));
            }
        }
        out.push(("as_of".into(), ParamType::Timestamp.value("as_of", as_of)?));
        for (n, v) in given {
            if n != "as_of" {
                out.push((n.clone(), ParamType::Text.value(n, v)?));
            }
        }
    }
    Ok(out)
}

/// The named placeholders (`$name`) in `sql`, outside comments.
fn placeholders(sql: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in sql.lines() {
        let code = line.split("--").next().unwrap_or_default();
        let mut rest = code;
        while let Some(i) = rest.find('$') {
            let name: String = rest[i + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            rest = &rest[i + 1 + name.len()..];
            if !name.is_empty() && !name.chars().all(|c| c.is_ascii_digit()) && !out.contains(&name)
            {
                out.push(name);
            }
        }
    }
    out
}

/// Run one query to completion. Canned queries and `.sql` files only
/// read: DDL, DML (`INSERT`, `COPY … TO`) and other statements are
/// refused unless `writes` (`leadlake run --allow-writes`), so a file
/// cannot write anywhere behind `--output`'s back.
pub async fn execute(
    ctx: &SessionContext,
    query: &Query,
    params: Vec<(String, ScalarValue)>,
    writes: bool,
) -> Result<(Schema, Vec<RecordBatch>), CliError> {
    let options = datafusion::execution::context::SQLOptions::new()
        .with_allow_ddl(writes)
        .with_allow_dml(writes)
        .with_allow_statements(writes);
    let df = ctx
        .sql_with_options(&query.sql, options)
        .await
        .map_err(|e| match e {
            datafusion::error::DataFusionError::Plan(m) if m.contains("not supported") => {
                CliError::Query(format!(
                    "{}: {m}; `leadlake run` only reads (give --allow-writes, or use `leadlake shell`)",
                    query.name
                ))
            }
            datafusion::error::DataFusionError::NotImplemented(m)
                if m.contains("single SQL statement") =>
            {
                CliError::Query(format!(
                    "{}: one statement per file (`leadlake shell -f` runs a script of several)",
                    query.name
                ))
            }
            e => e.into(),
        })?
        .with_param_values(params)?;
    let schema = df.schema().as_arrow().clone();
    let line = super::progress::ProgressLine::start(ctx).await;
    let batches = df.collect().await;
    drop(line);
    Ok((schema, batches?))
}

/// Write `bytes` to `path` through a temporary file in the same folder,
/// renamed into place only when complete: a failure leaves no partial
/// file. The folder is created when missing.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| CliError::Io {
            context: format!("creating {}", dir.display()),
            source,
        })?;
    }
    crate::atomic_file::write_atomic(path, bytes)
}

/// Is `target` an object-store URL (s3://, gs://, az://, abfss://, http(s)://)?
pub fn is_store_url(target: &str) -> bool {
    target
        .split_once("://")
        .is_some_and(|(scheme, _)| scheme.len() > 1 && scheme != "file")
}

/// The result as the bytes of a file in `format`.
fn render(
    format: OutputFormat,
    schema: &Schema,
    batches: &[RecordBatch],
) -> Result<Vec<u8>, CliError> {
    let mut bytes = Vec::new();
    match format.text() {
        Some(text) => text.print(&mut bytes, schema, batches)?,
        None => {
            let err = |e: parquet::errors::ParquetError| CliError::Output(e.to_string());
            let mut w = parquet::arrow::ArrowWriter::try_new(
                &mut bytes,
                std::sync::Arc::new(schema.clone()),
                None,
            )
            .map_err(err)?;
            for b in batches {
                w.write(b).map_err(err)?;
            }
            w.close().map_err(err)?;
        }
    }
    Ok(bytes)
}

/// Put `bytes` at an object-store URL with one PUT: the object appears
/// whole or not at all. Credentials come from the environment (`AWS_*`,
/// ...) and the lake's storage options.
pub async fn put_object(
    url: &str,
    options: &BTreeMap<String, String>,
    bytes: Vec<u8>,
) -> Result<(), CliError> {
    let location =
        leadlake::lake::store::locate(url, options).map_err(|e| CliError::Output(e.to_string()))?;
    object_store::ObjectStoreExt::put(location.store.as_ref(), &location.prefix, bytes.into())
        .await
        .map_err(|e| CliError::Output(format!("{url}: {e}")))?;
    Ok(())
}

/// Write to a local path (atomically) or an object-store URL.
pub async fn write_to(
    target: &str,
    options: &BTreeMap<String, String>,
    format: OutputFormat,
    schema: &Schema,
    batches: &[RecordBatch],
) -> Result<(), CliError> {
    write_bytes_to(target, options, render(format, schema, batches)?).await
}

/// Write `bytes` to a local path (atomically) or an object-store URL.
pub async fn write_bytes_to(
    target: &str,
    options: &BTreeMap<String, String>,
    bytes: Vec<u8>,
) -> Result<(), CliError> {
    if is_store_url(target) {
        put_object(target, options, bytes).await
    } else {
        write_atomic(Path::new(target), &bytes)
    }
}

/// Print to standard output (Parquet needs a file).
pub fn print(
    format: OutputFormat,
    schema: &Schema,
    batches: &[RecordBatch],
) -> Result<(), CliError> {
    let Some(text) = format.text() else {
        return Err(CliError::Output(
            "--format parquet needs --output <file>".into(),
        ));
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    text.print(&mut out, schema, batches)?;
    out.flush().map_err(|source| CliError::Io {
        context: "writing the output".into(),
        source,
    })
}

/// The instant and period `journeys` is computed for: `as_of`, and
/// `--param period_days` when given (it is `journeys`' parameter, which
/// `stage_changes` declares too).
fn journeys_at(as_of: &str, given: &[(String, String)]) -> Result<leadlake::JourneysAt, CliError> {
    let mut at = leadlake::JourneysAt::new(ParamType::Timestamp.value("as_of", as_of)?);
    let given = given.iter().rev().find(|(n, _)| n == "period_days");
    if let Some((name, text)) = given
        && let ScalarValue::Int64(Some(days)) = ParamType::Int.value(name, text)?
    {
        at.period_days = days;
    }
    // the facade's check, reported as a parameter error before any work
    at.check().map_err(CliError::Param)?;
    Ok(at)
}

/// Register `journeys` (one row per company, `queries/journeys.sql`) for
/// one query: a view over its plan, so the query computes only what it
/// reads.
pub async fn prepare_journeys(
    ctx: &SessionContext,
    as_of: &str,
    given: &[(String, String)],
) -> Result<(), CliError> {
    leadlake::register_journeys(ctx, &journeys_at(as_of, given)?).await?;
    Ok(())
}

/// Compute `journeys` once for every query of a run: one scan of the
/// lake and one replay per company, kept in memory (a row per company).
pub async fn compute_journeys(
    ctx: &SessionContext,
    as_of: &str,
    given: &[(String, String)],
) -> Result<(), CliError> {
    let started = std::time::Instant::now();
    let df = leadlake::journeys_frame(ctx, &journeys_at(as_of, given)?).await?;
    let schema = std::sync::Arc::new(df.schema().as_arrow().clone());
    let line = super::progress::ProgressLine::start(ctx).await;
    let batches = df.collect().await;
    drop(line);
    let companies = leadlake::register_computed_journeys(ctx, schema, batches?)?;
    eprintln!(
        "journeys: {companies} companies as of {as_of} ({:.1}s), shared by the queries below",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `run --all`: every canned query into `dir` (`{as_of}` replaced by the
/// date), one file each, overwritten on a rerun, and the HTML report of
/// their answers (`report.html`). `journeys` is computed once and shared
/// by the queries that read it.
pub async fn run_all(
    ctx: &SessionContext,
    dir: &str,
    options: &BTreeMap<String, String>,
    as_of: &str,
    given: &[(String, String)],
    format: OutputFormat,
    inputs: &super::report::Inputs,
) -> Result<(), CliError> {
    let date = as_of.get(..10).unwrap_or(as_of);
    let dir = dir.replace("{as_of}", date);
    let dir = dir.trim_end_matches('/');
    compute_journeys(ctx, as_of, given).await?;
    let mut results = super::report::Results::new();
    for q in queries::canned()? {
        // only the parameters this query declares
        let mine: Vec<(String, String)> = given
            .iter()
            .filter(|(n, _)| q.params.iter().any(|p| &p.name == n))
            .cloned()
            .collect();
        let params = bind(&q, as_of, &mine)?;
        let started = std::time::Instant::now();
        let (schema, batches) = execute(ctx, &q, params, false).await?;
        let target = format!("{dir}/{}.{}", q.name, format.extension());
        write_to(&target, options, format, &schema, &batches).await?;
        let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
        eprintln!(
            "{}: {rows} rows -> {target} ({:.1}s)",
            q.name,
            started.elapsed().as_secs_f64()
        );
        if super::report::QUERIES.contains(&q.name.as_str()) {
            results.insert(q.name, batches);
        }
    }
    let target = format!("{dir}/{}", super::report::FILE_NAME);
    super::report::write(&target, options, &results, inputs).await
}

/// Refuse a run without a lake; note when nothing can name a company.
pub fn check_inputs(config: &leadlake::Config) -> Result<(), CliError> {
    if config.lake.is_none() {
        return Err(CliError::Query(
            "no lake: give --lake <url> or a [lake] section in --config".into(),
        ));
    }
    if config.ipdb.databases.is_empty() && config.ipdb.overrides.is_none() {
        eprintln!(
            "note: no address database (--ipdb) or overrides: only events that carry their own company (a Scarf export) can make leads"
        );
    }
    Ok(())
}

/// The lake's object-store options, which output URLs use too.
pub fn storage(config: &leadlake::Config) -> BTreeMap<String, String> {
    config
        .lake
        .as_ref()
        .map(|l| l.storage.clone())
        .unwrap_or_default()
}
