//! Command-line interface: argument parsing and dispatch.

mod cluster;
mod demo_command;
mod exec;
mod ingest;
mod print_format;
mod progress;
mod queries;
mod report;
mod run;

use clap::{Args, Parser, Subcommand};
use leadlake::Config;
use std::path::PathBuf;

pub use crate::error::CliError;
use print_format::PrintFormat;

/// Turn anonymous open-source usage data into company-level leads, in SQL.
#[derive(Debug, Parser)]
#[command(name = "leadlake", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run SQL with every leadlake function registered: `-c`, `-f`, or
    /// statements read from standard input.
    Shell(ShellArgs),
    /// Run a canned query (see `leadlake queries`) or a .sql file, with
    /// typed parameters; print it or write it atomically to a file.
    Run(RunArgs),
    /// Write the HTML report: the funnel, who moved, the top leads of each
    /// stage, the waning, version adoption and traffic quality, in one
    /// self-contained file (`run --all` writes it too).
    Report(ReportArgs),
    /// List the canned queries with their parameters and columns.
    Queries,
    /// Build a demo lake (once, cached) and print its funnel and the top
    /// leads of each stage: company, domain, stage, score, why, and the
    /// recommended action.
    Demo(DemoArgs),
    /// Turn Scarf exports and nginx, Apache, CloudFront or Cloudflare logs
    /// into the event lake (one folder per day, atomic, rerunnable).
    Ingest(ingest::IngestArgs),
    /// Run a node of a Ballista cluster (scheduler or executor) that runs
    /// leadlake's queries for `run` and `shell --cluster df://HOST:PORT`.
    Cluster(cluster::ClusterArgs),
    /// Write a deterministic synthetic lake, matching .mmdb databases, an
    /// override CSV and the ground truth of the planted company journeys.
    Generate(GenerateArgs),
}

#[derive(Debug, Args)]
struct GenerateArgs {
    /// Output folder (lake/, ipdb/, ground_truth.csv, manifest.json).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// About this many events (planted journeys and noise).
    #[arg(long, default_value_t = 1_000_000)]
    events: u64,
    /// Random seed: the same seed and options give the same files.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Days of data.
    #[arg(long, default_value_t = 365)]
    days: u32,
    /// First day of data (YYYY-MM-DD).
    #[arg(long, default_value = "2026-01-01")]
    start: chrono::NaiveDate,
    /// No progress line on stderr.
    #[arg(long)]
    quiet: bool,
}

/// Options shared by every command that runs SQL.
#[derive(Debug, Args)]
struct SessionArgs {
    /// A leadlake.toml configuration file; flags given here add to it.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The event lake to register as `events`: a path, file://, s3://,
    /// gs://, az://, abfss:// or http(s):// URL.
    #[arg(long, value_name = "URL")]
    lake: Option<String>,
    /// Map a canonical lake column to the files' name, e.g. ts=timestamp.
    #[arg(long = "lake-column", value_name = "CANONICAL=FILE_NAME", value_parser = parse_mapping)]
    lake_columns: Vec<(String, String)>,
    /// Skip unreadable lake files (reported on stderr) instead of failing.
    #[arg(long)]
    skip_unreadable: bool,
    /// A MaxMind-format database (.mmdb); repeat for several.
    #[arg(long = "ipdb", value_name = "FILE")]
    ipdb: Vec<PathBuf>,
    /// A CSV of override ranges (network,company,domain,network_type).
    #[arg(long, value_name = "CSV")]
    overrides: Option<PathBuf>,
    /// Memory the queries may hold (4G, 512M, ...): beyond it, sorts,
    /// joins and aggregations spill to --temp-dir; a query that still
    /// cannot fit fails naming the operator. Default: no limit.
    #[arg(long, value_name = "SIZE", value_parser = leadlake::parse_memory_size)]
    memory_limit: Option<u64>,
    /// Folder for spill files (default: the system's temporary folder).
    #[arg(long, value_name = "DIR")]
    temp_dir: Option<PathBuf>,
    /// Partitions each query runs as (default: the number of cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
    /// Run the queries that read the lake on the Ballista cluster whose
    /// scheduler is at df://HOST:PORT (`leadlake cluster`; needs the
    /// `cluster` feature).
    #[arg(long, value_name = "df://HOST:PORT")]
    cluster: Option<String>,
}

fn parse_mapping(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => {
            Ok((k.trim().into(), v.trim().into()))
        }
        _ => Err(format!("expected CANONICAL=FILE_NAME, got '{s}'")),
    }
}

impl SessionArgs {
    fn config(&self) -> Result<Config, CliError> {
        let mut config = match &self.config {
            Some(path) => Config::from_toml_file(path)?,
            None => Config::default(),
        };
        config.ipdb.databases.extend(self.ipdb.iter().cloned());
        if self.overrides.is_some() {
            config.ipdb.overrides.clone_from(&self.overrides);
        }
        if let Some(url) = &self.lake {
            let lake = config.lake.get_or_insert_with(Default::default);
            lake.url.clone_from(url);
        }
        if let Some(lake) = config.lake.as_mut() {
            lake.columns.extend(self.lake_columns.iter().cloned());
            lake.skip_unreadable |= self.skip_unreadable;
        }
        if self.memory_limit.is_some() {
            config.run.memory_limit = self.memory_limit;
        }
        if self.temp_dir.is_some() {
            config.run.temp_dir.clone_from(&self.temp_dir);
        }
        if let Some(n) = self.threads {
            config.run.threads = Some(usize::from(n));
        }
        Ok(config)
    }
}

#[derive(Debug, Args)]
struct ShellArgs {
    /// SQL to run (may hold several statements); repeat for more.
    #[arg(short = 'c', long = "command", value_name = "SQL")]
    commands: Vec<String>,
    /// A file of SQL statements to run.
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PrintFormat::Table)]
    format: PrintFormat,
    #[command(flatten)]
    session: SessionArgs,
}

#[derive(Debug, Args)]
struct RunArgs {
    /// A canned query name (company_leads, ...) or a .sql file.
    #[arg(
        value_name = "NAME|FILE.sql",
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    query: Option<String>,
    /// Run every canned query, one file each, into --output-dir.
    #[arg(long, requires = "output_dir")]
    all: bool,
    /// Let a .sql file run DDL, DML and COPY (by default `run` only
    /// reads; `shell` always allows them).
    #[arg(long)]
    allow_writes: bool,
    /// Evaluation date (YYYY-MM-DD or RFC 3339): only events before it
    /// count. Default: today, 00:00 UTC.
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// A query parameter, bound as a typed value (never pasted into SQL).
    #[arg(long = "param", value_name = "KEY=VALUE", value_parser = parse_param)]
    params: Vec<(String, String)>,
    /// Output format. Default: from --output's extension (.csv, .json,
    /// .ndjson/.jsonl, .parquet), else a table.
    #[arg(long, value_enum)]
    format: Option<run::OutputFormat>,
    /// Write the result to this file (atomically) or object-store URL
    /// (s3://bucket/key, ...) instead of stdout.
    #[arg(long, value_name = "PATH|URL", conflicts_with = "all")]
    output: Option<String>,
    /// With --all: the folder or object-store URL prefix for the files;
    /// `{as_of}` is replaced by the date.
    #[arg(long, value_name = "DIR|URL")]
    output_dir: Option<String>,
    #[command(flatten)]
    session: SessionArgs,
}

fn parse_param(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().into(), v.into())),
        _ => Err(format!("expected KEY=VALUE, got '{s}'")),
    }
}

#[derive(Debug, Args)]
struct ReportArgs {
    /// Evaluation date (YYYY-MM-DD or RFC 3339): only events before it
    /// count. Default: today, 00:00 UTC.
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// The HTML file to write (atomically), or an object-store URL
    /// (s3://bucket/report.html, ...).
    #[arg(long, value_name = "PATH|URL")]
    output: String,
    #[command(flatten)]
    session: SessionArgs,
}

#[derive(Debug, Args)]
struct DemoArgs {
    /// Where to keep the demo data (default: $LEADLAKE_DEMO_DIR or ~/.cache/leadlake/demo).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// How many leads to show of each stage.
    #[arg(long, default_value_t = 3)]
    top: usize,
    /// Also write the HTML report of the demo lake to this file.
    #[arg(long, value_name = "FILE", conflicts_with = "addresses")]
    report: Option<String>,
    /// Instead: enrich sample addresses with small demo databases.
    #[arg(long)]
    addresses: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PrintFormat::Table)]
    format: PrintFormat,
}

/// Run the parsed command.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Shell(args) => {
            exec::shell(
                &args.session.config()?,
                args.session.cluster.as_deref(),
                args.format,
                &args.commands,
                &args.files,
            )
            .await
        }
        Command::Generate(args) => generate(&args),
        Command::Queries => {
            print!("{}", queries::list()?);
            Ok(())
        }
        Command::Run(args) => run_command(args).await,
        Command::Report(args) => {
            report::command(
                &args.session.config()?,
                args.session.cluster.as_deref(),
                args.as_of.as_deref(),
                &args.output,
            )
            .await
        }
        Command::Demo(args) => demo_command::demo(args).await,
        Command::Ingest(args) => ingest::ingest(args).await,
        Command::Cluster(args) => cluster::command(args).await,
    }
}

fn generate(args: &GenerateArgs) -> Result<(), CliError> {
    let options = leadlake_synth::Options {
        events: args.events,
        seed: args.seed,
        days: args.days,
        start: args.start,
    };
    let started = std::time::Instant::now();
    let quiet = args.quiet || !std::io::IsTerminal::is_terminal(&std::io::stderr());
    let mut report = |p: leadlake_synth::Progress| {
        if !quiet {
            eprint!(
                "\rgenerating: day {}/{}, {} events",
                p.day, p.days, p.events
            );
        }
    };
    let manifest = leadlake_synth::generate(&args.out, &options, &mut report)
        .map_err(|e| CliError::Generate(e.to_string()))?;
    if !quiet {
        eprintln!();
    }
    println!(
        "wrote {} events in {} files for {} planted companies to {} in {:.1}s (as_of {})",
        manifest.events,
        manifest.files,
        manifest.companies,
        args.out.display(),
        started.elapsed().as_secs_f64(),
        manifest.as_of
    );
    Ok(())
}

async fn run_command(mut args: RunArgs) -> Result<(), CliError> {
    for (flag, target) in [
        ("--output", &args.output),
        ("--output-dir", &args.output_dir),
    ] {
        if target.as_deref().is_some_and(|t| t.trim().is_empty()) {
            return Err(CliError::Output(format!(
                "{flag} is empty: give a file name or an object-store URL"
            )));
        }
    }
    if args.output_dir.is_some() && !args.all {
        return Err(CliError::Query(
            "--output-dir goes with --all; for one query give --output FILE".into(),
        ));
    }
    let format = args.format.take().unwrap_or_else(|| {
        match args
            .output
            .as_deref()
            .map(run::OutputFormat::from_extension)
        {
            Some(Some(f)) => f,
            _ => run::OutputFormat::Table,
        }
    });
    let config = args.session.config()?;
    run::check_inputs(&config)?;
    let as_of = run::as_of_text(args.as_of.as_deref());
    // check the date before any work
    queries::ParamType::Timestamp.value("as_of", &as_of)?;
    let query = match &args.query {
        Some(q) => Some(queries::find(q)?),
        None => None,
    };
    let inputs = report::Inputs::new(&config, &as_of);
    let ctx = exec::session(&config, args.session.cluster.as_deref()).await?;
    let options = run::storage(&config);
    match (query, &args.output_dir) {
        (Some(q), _) => {
            let params = run::bind(&q, &as_of, &args.params)?;
            run::prepare_journeys(&ctx, &as_of, &args.params).await?;
            let (schema, batches) = run::execute(&ctx, &q, params, args.allow_writes).await?;
            match &args.output {
                Some(target) => run::write_to(target, &options, format, &schema, &batches).await,
                None => run::print(format, &schema, &batches),
            }
        }
        (None, Some(dir)) => {
            run::run_all(&ctx, dir, &options, &as_of, &args.params, format, &inputs).await
        }
        (None, None) => Err(CliError::Query("give a query name or --all".into())),
    }
}
