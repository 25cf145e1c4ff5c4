//! `leadlake ingest`: raw exports and access logs into the event lake
//! (the work is `leadlake_ingest`'s; this file reads the command line,
//! expands inputs, shows progress and prints the summary).

use crate::atomic_file::write_atomic;
use crate::error::CliError;
use clap::Args;
use leadlake::ingest::{Format, Input, InputReport, Progress, Report};
use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Args)]
pub(super) struct IngestArgs {
    /// Files, globs (quoted: 'logs/*.gz'), object-store URLs, or `-` for
    /// standard input. Gzip is recognised by its content.
    #[arg(value_name = "INPUT", required = true)]
    inputs: Vec<String>,
    /// The lake: a folder (created if missing) or an object-store URL
    /// (s3://, gs://, az://, http(s):// WebDAV).
    #[arg(long, value_name = "DIR|URL")]
    out: String,
    /// The input format; `auto` recognises each input by its content.
    #[arg(long, default_value = "auto", value_parser = parse_format)]
    format: Format,
    /// The package call-home events belong to when the request names none
    /// (overrides `[ingest] package`).
    #[arg(long, value_name = "NAME")]
    package: Option<String>,
    /// A leadlake.toml: its `[ingest]` rules and `[lake] storage` options.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Also write the summary as JSON to this file (atomically).
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// The name standard input is known by in the lake: ingesting the same
    /// name again replaces what it wrote before.
    #[arg(long, value_name = "NAME", default_value = "stdin")]
    stdin_name: String,
    /// No progress on stderr.
    #[arg(long)]
    quiet: bool,
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse().map_err(|_| {
        format!("unknown format '{s}': auto, scarf, nginx, apache, cloudfront or cloudflare")
    })
}

#[cfg(unix)]
fn is_device(path: &std::path::Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata(path)
        .is_ok_and(|m| m.file_type().is_char_device() || m.file_type().is_block_device())
}

#[cfg(not(unix))]
fn is_device(_: &std::path::Path) -> bool {
    false
}

fn has_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// An object in a store, fetched when first read: inputs are read one at
/// a time, so only one object is in memory at once.
struct StoreObject {
    store: Arc<dyn object_store::ObjectStore>,
    key: object_store::path::Path,
    runtime: tokio::runtime::Handle,
    body: Option<std::io::Cursor<Vec<u8>>>,
}

impl Read for StoreObject {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.body.is_none() {
            let (store, key) = (Arc::clone(&self.store), self.key.clone());
            let bytes = self.runtime.block_on(async move {
                use object_store::ObjectStoreExt;
                let got = store.get(&key).await.map_err(std::io::Error::other)?;
                got.bytes().await.map_err(std::io::Error::other)
            })?;
            self.body = Some(std::io::Cursor::new(bytes.to_vec()));
        }
        match self.body.as_mut() {
            Some(body) => body.read(buf),
            None => Ok(0),
        }
    }
}

/// The inputs the arguments name, in order; an error names an argument
/// that names nothing.
fn inputs(
    args: &IngestArgs,
    storage: &std::collections::BTreeMap<String, String>,
) -> Result<Vec<Input>, CliError> {
    let mut out = Vec::new();
    let bad = |arg: &str, why: String| CliError::Query(format!("input '{arg}': {why}"));
    for arg in &args.inputs {
        if arg == "-" {
            out.push(Input::reader(args.stdin_name.clone(), std::io::stdin()));
            continue;
        }
        let as_url = url::Url::parse(arg)
            .ok()
            .filter(|u| u.scheme().len() > 1 && u.scheme() != "file");
        if let Some(url) = as_url {
            let location = leadlake::lake::store::locate(url.as_str(), storage)
                .map_err(|e| bad(arg, e.to_string()))?;
            out.push(Input::reader(
                arg.clone(),
                StoreObject {
                    store: location.store,
                    key: location.prefix,
                    runtime: tokio::runtime::Handle::current(),
                    body: None,
                },
            ));
            continue;
        }
        let path = PathBuf::from(arg);
        if path.exists() || !has_glob(arg) {
            if path.is_dir() {
                return Err(bad(arg, "is a folder; give its files or a glob".into()));
            }
            if is_device(&path) {
                // /dev/zero and the like never end; a pipe or a fifo does
                return Err(bad(
                    arg,
                    "is a device, not a file; pipe it to `-` if you mean it".into(),
                ));
            }
            out.push(Input::path(path));
            continue;
        }
        let mut matched: Vec<PathBuf> = glob::glob(arg)
            .map_err(|e| bad(arg, format!("bad glob: {e}")))?
            .filter_map(Result::ok)
            .filter(|p| p.is_file())
            .collect();
        if matched.is_empty() {
            return Err(bad(arg, "the glob matches no file".into()));
        }
        matched.sort();
        out.extend(matched.into_iter().map(Input::path));
    }
    Ok(out
        .into_iter()
        .map(|i| i.with_format(args.format))
        .collect())
}

/// Progress on stderr, once a run has taken a couple of seconds, at most
/// a few times a second.
fn progress(quiet: bool) -> impl FnMut(&Progress<'_>) + Send + 'static {
    let show = !quiet && std::io::stderr().is_terminal();
    let started = Instant::now();
    let mut last = started;
    move |p: &Progress<'_>| {
        if !show || started.elapsed() < Duration::from_secs(2) {
            return;
        }
        if !p.done && last.elapsed() < Duration::from_millis(250) {
            return;
        }
        last = Instant::now();
        eprint!(
            "\r\x1b[Kingesting {}/{} {}: {} records, {:.1} MB",
            p.index + 1,
            p.inputs,
            p.input,
            p.records,
            p.bytes as f64 / 1e6
        );
        if p.done && p.index + 1 == p.inputs {
            eprintln!();
        }
    }
}

fn line(name: &str, format: &str, c: &leadlake::ingest::Counts) -> String {
    let d = &c.dropped;
    let status: Vec<String> = d.status.iter().map(|(k, v)| format!("{k}:{v}")).collect();
    let mut s = format!(
        "{name} ({format}): read {}, rows {} (download {}, docs_view {}, page_view {}, call_home {}), malformed {}",
        c.read,
        c.rows_out.total(),
        c.rows_out.download,
        c.rows_out.docs_view,
        c.rows_out.page_view,
        c.rows_out.call_home,
        c.malformed,
    );
    if !c.malformed_lines.is_empty() {
        let lines: Vec<String> = c
            .malformed_lines
            .iter()
            .map(|m| format!("{} ({})", m.line, m.reason))
            .collect();
        s.push_str(&format!(" [first at line {}]", lines.join(", ")));
    }
    s.push_str(&format!(
        ", dropped {} (duplicate id {}, dnt {}, status {}, method {}, asset {}, unmappable type {})",
        d.total(),
        d.duplicate_id,
        d.dnt,
        if status.is_empty() { "0".into() } else { status.join(" ") },
        d.method,
        d.asset,
        d.unmappable_type
    ));
    s
}

fn summary(report: &Report, out: &str, took: Duration) -> String {
    let mut s = String::new();
    for i in &report.inputs {
        s.push_str(&input_line(i));
        s.push('\n');
    }
    s.push_str(&line(
        "total",
        &format!("{} inputs", report.inputs.len()),
        &report.total,
    ));
    s.push('\n');
    let files: usize = report.inputs.iter().map(|i| i.files.len()).sum();
    s.push_str(&format!(
        "wrote {files} files to {out} in {:.1}s; replaced {} older files\n",
        took.as_secs_f64(),
        report.removed.len()
    ));
    s
}

fn input_line(i: &InputReport) -> String {
    let format = match (i.format, i.gzip) {
        (Some(f), true) => format!("{f}, gzip"),
        (Some(f), false) => f.to_string(),
        (None, _) => "empty".into(),
    };
    line(&i.name, &format, &i.counts)
}

/// Run `leadlake ingest`.
pub(super) async fn ingest(args: IngestArgs) -> Result<(), CliError> {
    let config = match &args.config {
        Some(path) => leadlake::Config::from_toml_file(path)?,
        None => leadlake::Config::default(),
    };
    let storage = config
        .lake
        .as_ref()
        .map(|l| l.storage.clone())
        .unwrap_or_default();
    let mut rules = config.ingest.clone();
    if args.package.is_some() {
        rules.package.clone_from(&args.package);
    }
    // the output is checked before any input is read (by the run), and
    // its URL before anything at all
    let out = leadlake::IngestOutput::parse(&args.out, &storage)?;
    if let Some(path) = &args.report {
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
        if path.is_dir() || parent.is_some_and(|p| !p.is_dir()) {
            return Err(CliError::Output(format!(
                "--report {}: not a file in an existing folder",
                path.display()
            )));
        }
    }
    let inputs = inputs(&args, &storage)?;
    let started = Instant::now();
    let report = leadlake::ingest_into(out, inputs, rules, progress(args.quiet)).await?;
    print!("{}", summary(&report, &args.out, started.elapsed()));
    if let Some(path) = &args.report {
        let json =
            serde_json::to_vec_pretty(&report).map_err(|e| CliError::Output(e.to_string()))?;
        write_atomic(path, &json)?;
    }
    Ok(())
}
