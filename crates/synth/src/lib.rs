//! A deterministic synthetic event lake for demos, tests and benchmarks.
//!
//! It plants company journeys for every stage of `docs/funnel.md`
//! (passive ... maintenance, waning) among realistic noise: CI runners on
//! cloud networks downloading with pip/npm/Docker/GitHub agents, residential
//! drive-by visitors, VPN exits, crawlers, and automation bursts. It writes,
//! under one folder:
//!
//! - `lake/date=YYYY-MM-DD/part-0.parquet`: the events, one file per day;
//! - `ipdb/synthetic-{isp,domain,asn,anonymous-ip}.mmdb` and
//!   `ipdb/overrides.csv`: the address data that resolves them;
//! - `ground_truth.csv`: each planted company's stage, how its machines
//!   reach the project (their own addresses, one IPv6 /64 with temporary
//!   addresses, or one NAT address) and how many machines made events;
//! - `manifest.json`: the options, counts, the `as_of` instant and the
//!   paths of everything above ([`Manifest::paths`]), so readers of a
//!   generated folder never spell its file names themselves.
//!
//! The same seed and options always give the same bytes. Memory is bounded
//! by one day of events.

mod events;
mod journey;
mod output;
pub mod rng;
pub mod world;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub use world::{Access, Company, Pattern, Stage};

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SynthError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("writing Parquet: {0}")]
    Parquet(String),
    #[error("writing an address database: {0}")]
    Mmdb(String),
    #[error("invalid option: {0}")]
    Options(String),
}

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Options {
    /// About this many events in all (planted journeys and noise).
    pub events: u64,
    pub seed: u64,
    /// Days of data; `as_of` is the day after the last one.
    pub days: u32,
    /// The first day of data.
    #[serde(with = "date")]
    pub start: NaiveDate,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            events: 1_000_000,
            seed: 42,
            days: 365,
            start: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(),
        }
    }
}

/// What was generated.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub options: Options,
    pub events: u64,
    pub companies: u32,
    pub files: u32,
    /// `YYYY-MM-DD`: the day after the last day of data (00:00 UTC).
    #[serde(with = "date")]
    pub as_of: NaiveDate,
    /// Where each output sits, relative to the generated folder.
    pub paths: Outputs,
}

/// The generated folder's layout, relative to its root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outputs {
    /// The lake folder (`date=YYYY-MM-DD/part-0.parquet` under it).
    pub lake: String,
    /// The `.mmdb` databases, any order.
    pub databases: Vec<String>,
    /// The override CSV.
    pub overrides: String,
    /// Each planted company's stage.
    pub ground_truth: String,
}

impl Outputs {
    /// The one layout [`generate`] writes.
    pub fn layout() -> Self {
        Self {
            lake: "lake".into(),
            databases: output::DATABASES
                .iter()
                .map(|(_, file)| format!("{}/{file}", output::IPDB_DIR))
                .collect(),
            overrides: format!("{}/{}", output::IPDB_DIR, output::OVERRIDES),
            ground_truth: "ground_truth.csv".into(),
        }
    }
}

impl Manifest {
    /// The manifest's own file name inside a generated folder.
    pub const FILE: &'static str = "manifest.json";

    /// Read the manifest of a folder [`generate`] wrote.
    ///
    /// # Errors
    /// [`SynthError::Io`] when it cannot be read, [`SynthError::Options`]
    /// when it is not a manifest of this version.
    pub fn read(dir: &Path) -> Result<Self, SynthError> {
        let path = dir.join(Self::FILE);
        let text = std::fs::read_to_string(&path).map_err(output::io(&path))?;
        serde_json::from_str(&text)
            .map_err(|e| SynthError::Options(format!("{}: {e}", path.display())))
    }

    /// `dir` joined with the lake folder.
    pub fn lake(&self, dir: &Path) -> PathBuf {
        dir.join(&self.paths.lake)
    }

    /// `dir` joined with each database.
    pub fn databases(&self, dir: &Path) -> Vec<PathBuf> {
        self.paths.databases.iter().map(|d| dir.join(d)).collect()
    }

    /// `dir` joined with the override file.
    pub fn overrides(&self, dir: &Path) -> PathBuf {
        dir.join(&self.paths.overrides)
    }
}

/// Dates as `YYYY-MM-DD` strings in the manifest.
mod date {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&d.format("%Y-%m-%d"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let text = String::deserialize(d)?;
        NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(serde::de::Error::custom)
    }
}

/// Progress, reported once per day written.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub day: u32,
    pub days: u32,
    pub events: u64,
}

/// Companies planted for a target volume: planted journeys make about 60 %
/// of the events, noise the rest. The events a company makes are measured
/// on a sample of companies (deterministic), not guessed.
fn plan(options: &Options) -> (u32, u32, u64) {
    const SAMPLE: u32 = 280;
    let days = i64::from(options.days);
    let sample = world::companies(options.seed, SAMPLE, days);
    let mut rows = Vec::new();
    let mut made = 0u64;
    for day in 0..days {
        for c in &sample {
            journey::company_day(c, day, days, options.seed, 1, &mut rows);
        }
        made += rows.len() as u64;
        rows.clear();
    }
    let per_company = (made / u64::from(SAMPLE)).max(1);
    let planted = options.events * 6 / 10;
    let wanted = (planted / per_company).max(70);
    let companies = wanted.min(100_000) as u32;
    let scale = (wanted / u64::from(companies)).max(1) as u32;
    let planted_made = u64::from(companies) * per_company * u64::from(scale);
    let noise_per_day =
        options.events.saturating_sub(planted_made) / u64::from(options.days.max(1));
    (companies, scale, noise_per_day)
}

/// The most events a day may hold: a day is built in memory.
pub const MAX_EVENTS_PER_DAY: u64 = 10_000_000;

/// Generate into `out` (created if needed).
///
/// # Errors
/// [`SynthError`] naming the file that could not be written.
pub fn generate(
    out: &Path,
    options: &Options,
    progress: &mut dyn FnMut(Progress),
) -> Result<Manifest, SynthError> {
    if options.days == 0 || options.days > 3660 {
        return Err(SynthError::Options(format!(
            "days must be between 1 and 3660, got {}",
            options.days
        )));
    }
    if options.events == 0 {
        return Err(SynthError::Options("events must be positive".into()));
    }
    // one day's rows are held in memory (about 200 bytes each)
    if options.events / u64::from(options.days) > MAX_EVENTS_PER_DAY {
        return Err(SynthError::Options(format!(
            "at most {MAX_EVENTS_PER_DAY} events per day (one day is built in memory); \
             {} events over {} days is {} a day: give more days",
            options.events,
            options.days,
            options.events / u64::from(options.days)
        )));
    }
    let days = i64::from(options.days);
    let (n, scale, noise) = plan(options);
    let companies = world::companies(options.seed, n, days);
    let start_us = options
        .start
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc().timestamp_micros())
        .ok_or_else(|| SynthError::Options("bad start date".into()))?;
    let as_of = options
        .start
        .checked_add_days(Days::new(u64::from(options.days)))
        .ok_or_else(|| SynthError::Options("start + days is out of range".into()))?;
    let epoch = u64::try_from(start_us / 1_000_000).unwrap_or_default();
    let layout = Outputs::layout();
    // an earlier lake here would mix with this one while the manifest
    // describes only this one: replace it (only a folder we wrote, with
    // our manifest beside it, is removed; anything else is an error)
    let lake_dir = out.join(&layout.lake);
    if lake_dir.exists() {
        if !out.join("manifest.json").is_file() {
            return Err(SynthError::Options(format!(
                "{} exists and was not written by generate: choose an empty --out",
                lake_dir.display()
            )));
        }
        std::fs::remove_dir_all(&lake_dir).map_err(|e| {
            SynthError::Options(format!("cannot replace {}: {e}", lake_dir.display()))
        })?;
    }
    output::databases(&out.join(output::IPDB_DIR), &companies, epoch)?;

    // Rows are written in time order, so `ts` is delta-encoded (a few bytes
    // per value instead of eight): queries that filter on time read less.
    let ts = parquet::schema::types::ColumnPath::from("ts");
    let props = parquet::file::properties::WriterProperties::builder()
        .set_compression(parquet::basic::Compression::SNAPPY)
        .set_max_row_group_row_count(Some(128 * 1024))
        .set_column_dictionary_enabled(ts.clone(), false)
        .set_column_encoding(ts, parquet::basic::Encoding::DELTA_BINARY_PACKED)
        .build();
    let mut total = 0u64;
    let mut files = 0u32;
    let mut rows = Vec::new();
    // the machines that made events, one bit each, per company
    let mut machines = vec![0u32; companies.len()];
    for day in 0..days {
        rows.clear();
        for (c, seen) in companies.iter().zip(&mut machines) {
            *seen |= journey::company_day(c, day, days, options.seed, scale, &mut rows);
        }
        journey::noise_day(day, options.seed, noise, &mut rows);
        for e in &mut rows {
            e.ts += start_us;
        }
        rows.sort_unstable();
        if !rows.is_empty() {
            let date = options.start + Days::new(day as u64);
            let path = out
                .join(&layout.lake)
                .join(format!("date={}", date.format("%Y-%m-%d")))
                .join("part-0.parquet");
            let batch = events::to_batch(&rows).map_err(|e| SynthError::Parquet(e.to_string()))?;
            output::atomic(&path, |f| {
                let mut w =
                    parquet::arrow::ArrowWriter::try_new(f, events::schema(), Some(props.clone()))
                        .map_err(|e| SynthError::Parquet(e.to_string()))?;
                w.write(&batch)
                    .map_err(|e| SynthError::Parquet(e.to_string()))?;
                w.close()
                    .map(|_| ())
                    .map_err(|e| SynthError::Parquet(e.to_string()))
            })?;
            files += 1;
            total += rows.len() as u64;
        }
        progress(Progress {
            day: day as u32 + 1,
            days: options.days,
            events: total,
        });
    }
    output::ground_truth(&out.join(&layout.ground_truth), &companies, &machines)?;
    let manifest = Manifest {
        options: options.clone(),
        events: total,
        companies: n,
        files,
        as_of,
        paths: layout,
    };
    let path = out.join(Manifest::FILE);
    let json =
        serde_json::to_vec_pretty(&manifest).map_err(|e| SynthError::Options(e.to_string()))?;
    output::atomic(&path, |f| {
        std::io::Write::write_all(f, &json).map_err(output::io(&path))
    })?;
    Ok(manifest)
}

/// Day index `day` (0-based) as microseconds at 00:00 UTC, for tests.
pub fn day_start_us(options: &Options, day: i64) -> i64 {
    options
        .start
        .and_hms_opt(0, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp_micros())
        + day * journey::DAY_US
}
