//! # leadlake-ingest
//!
//! Turns the raw material people hold into the leadlake event lake: Scarf
//! raw-event exports (CSV, NDJSON), nginx and Apache access logs, Amazon
//! CloudFront standard logs and Cloudflare Logpush NDJSON, plain or gzip.
//! The output is the lake's canonical schema ([`writer::SCHEMA`]), one
//! folder per UTC day (`date=YYYY-MM-DD/`), Parquet with zstd, rows sorted
//! by `ts`; files appear only when complete, and a rerun leaves the lake
//! byte-identical. `docs/ingest.md` describes formats, rules and
//! re-ingesting a corrected export.
//!
//! Entry points: [`ingest_dir`] (local lake) and [`ingest`] (any [`Sink`]).
//! The line parsers are public too, as plain functions from one line to a
//! record or a [`Malformed`] reason: [`combined::parse`],
//! [`nginx_format::LogFormat::parse`], [`cloudfront::CloudFront::parse`],
//! [`cloudflare::parse`], [`scarf::parse_json`],
//! [`scarf::CsvColumns::parse`]; the rules that make a row or a counted drop
//! are [`classify::access`] and [`scarf::classify`].
//!
//! | file | what it does |
//! |---|---|
//! | `run.rs` | the run: inputs in, rules, day files staged, published, stale ones removed |
//! | `input.rs` | opening inputs, gzip by magic bytes, hashing, bounded line reading |
//! | `format.rs` | the formats and detection by content |
//! | `scarf.rs` | Scarf exports to rows |
//! | `csv_read.rs` | Scarf CSV records, read in batches |
//! | `seen.rs` | the Scarf ids seen, for deduplication |
//! | `variables.rs` | the `page` of Scarf's `variables` JSON |
//! | `nginx_format.rs` | `log_format` strings, the access-log line scanner |
//! | `combined.rs` | nginx/Apache combined and common |
//! | `cloudfront.rs`, `cloudflare.rs` | the CDN logs |
//! | `access.rs` | the request record the access formats share |
//! | `escape.rs` | nginx and Apache unescaping |
//! | `scan.rs` | byte search in short fields |
//! | `classify.rs` | access-log rules: status, method, kind |
//! | `artifact.rs` | package and version from artifact file names |
//! | `time.rs` | timestamps |
//! | `writer.rs` | day buffers, Parquet encoding, the [`Sink`] trait and [`LocalDir`] |
//! | `report.rs` | the counts |

pub mod access;
pub mod artifact;
pub mod classify;
pub mod cloudflare;
pub mod cloudfront;
pub mod combined;
pub mod config;
mod csv_read;
pub mod error;
pub mod escape;
pub mod format;
pub mod input;
mod json;
pub mod nginx_format;
pub mod report;
pub mod row;
pub mod run;
mod scan;
pub mod scarf;
mod seen;
pub mod time;
mod variables;
pub mod writer;

pub use config::{IngestConfig, Rules, ScarfMapping};
pub use error::IngestError;
pub use format::{Format, detect};
pub use input::Input;
pub use report::{Counts, Dropped, InputReport, Report, RowsOut};
pub use row::{DropReason, Kind, Malformed, Outcome, Row};
pub use run::{Progress, ingest, ingest_dir};
pub use writer::{LocalDir, SCHEMA, Sink, Staged};
