//! Runs every `tests/slt/*.slt` file, each in its own session configured by
//! `support::context()`. `cargo test --test slt -- NAME` runs the files whose
//! name contains NAME.
//!
//! `cargo test --test slt -- --complete [NAME]` instead rewrites the expected
//! output of those files from the actual results, as DataFusion's
//! `sqllogictests --complete` does: results, column types and error
//! messages that no longer match are replaced; records that pass, comments
//! and blank lines are kept as written. A changed error is written as the
//! whole message (multi-line when DataFusion lists candidate functions):
//! shorten it to the telling part by hand. Review the diff before committing.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on purpose"
)]

#[expect(dead_code, reason = "shared by several test crates, each using a part")]
#[path = "support/mod.rs"]
mod support;

use arrow::array::{Array, RecordBatch};
use arrow::datatypes::DataType;
use arrow::util::display::{ArrayFormatter, FormatOptions};
use async_trait::async_trait;
use datafusion::error::DataFusionError;
use datafusion::prelude::SessionContext;
use sqllogictest::{ColumnType, DBOutput};
use std::path::PathBuf;
use std::time::Duration;

struct Db {
    ctx: SessionContext,
}

/// The column types of a `query` record: `T` text (and every type shown as
/// text: timestamps, structs, lists), `I` integer, `R` floating point or
/// decimal, `B` boolean. `?` and any other letter are accepted and written
/// back as they were (sqllogictest's `DefaultColumnType` would write `B`
/// back as `?`); `--complete` replaces a letter that does not match its
/// column.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Column {
    Text,
    Integer,
    Float,
    Boolean,
    Other(char),
}

impl ColumnType for Column {
    fn from_char(c: char) -> Option<Self> {
        Some(match c {
            'T' => Column::Text,
            'I' => Column::Integer,
            'R' => Column::Float,
            'B' => Column::Boolean,
            c => Column::Other(c),
        })
    }

    fn to_char(&self) -> char {
        match self {
            Column::Text => 'T',
            Column::Integer => 'I',
            Column::Float => 'R',
            Column::Boolean => 'B',
            Column::Other(c) => *c,
        }
    }
}

fn column_type(t: &DataType) -> Column {
    match t {
        DataType::Dictionary(_, v) => column_type(v),
        DataType::Boolean => Column::Boolean,
        t if t.is_integer() => Column::Integer,
        t if t.is_floating()
            || matches!(t, DataType::Decimal128(..) | DataType::Decimal256(..)) =>
        {
            Column::Float
        }
        _ => Column::Text,
    }
}

fn rows(batches: &[RecordBatch]) -> Result<Vec<Vec<String>>, DataFusionError> {
    let options = FormatOptions::default().with_null("NULL");
    let mut out = Vec::new();
    for b in batches {
        let formatters = b
            .columns()
            .iter()
            .map(|c| ArrayFormatter::try_new(c.as_ref(), &options))
            .collect::<Result<Vec<_>, _>>()?;
        for row in 0..b.num_rows() {
            out.push(
                formatters
                    .iter()
                    .zip(b.columns())
                    .map(|(f, c)| {
                        let s = f.value(row).to_string();
                        if s.is_empty() && c.is_valid(row) {
                            "(empty)".to_string()
                        } else {
                            s
                        }
                    })
                    .collect(),
            );
        }
    }
    Ok(out)
}

#[async_trait]
impl sqllogictest::AsyncDB for Db {
    type Error = DataFusionError;
    type ColumnType = Column;

    async fn run(&mut self, sql: &str) -> Result<DBOutput<Column>, DataFusionError> {
        let df = self.ctx.sql(sql).await?;
        let types: Vec<_> = df
            .schema()
            .fields()
            .iter()
            .map(|f| column_type(f.data_type()))
            .collect();
        let is_statement = types.is_empty();
        let batches = df.collect().await?;
        if is_statement {
            return Ok(DBOutput::StatementComplete(0));
        }
        Ok(DBOutput::Rows {
            types,
            rows: rows(&batches)?,
        })
    }

    async fn shutdown(&mut self) {}

    fn engine_name(&self) -> &str {
        "leadlake"
    }

    async fn sleep(dur: Duration) {
        tokio::time::sleep(dur).await;
    }
}

fn runner() -> sqllogictest::Runner<Db, impl sqllogictest::MakeConnection<Conn = Db>> {
    let mut runner = sqllogictest::Runner::new(|| async {
        Ok(Db {
            ctx: support::context(),
        })
    });
    runner.set_var(
        "TESTDATA".into(),
        support::maxmind_dir().display().to_string(),
    );
    runner
}

/// `--complete`: rewrite each file from the actual results, with the
/// validator and normalizer of a normal run (so a record that passes is
/// kept as written) and, as DataFusion does, the strict column validator
/// (so wrong type letters are corrected).
async fn complete(files: &[PathBuf]) {
    let (mut changed, mut failed) = (0, 0);
    for file in files {
        let before = std::fs::read_to_string(file).expect("readable test file");
        let result = runner()
            .update_test_file(
                file,
                " ",
                sqllogictest::default_validator,
                sqllogictest::default_normalizer,
                sqllogictest::strict_column_validator,
            )
            .await;
        match result {
            Ok(()) => {
                let after = std::fs::read_to_string(file).expect("readable test file");
                if after == before {
                    println!("same    {}", file.display());
                } else {
                    changed += 1;
                    println!("UPDATED {}", file.display());
                }
            }
            Err(e) => {
                failed += 1;
                println!("FAILED {}\n{e}", file.display());
            }
        }
    }
    println!(
        "slt --complete: {} files, {changed} updated, {failed} failed",
        files.len()
    );
    if failed > 0 || files.is_empty() {
        std::process::exit(1);
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let filter: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
        .join("tests/slt");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/slt exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "slt"))
        .filter(|p| {
            filter.is_empty()
                || filter
                    .iter()
                    .any(|f| p.to_string_lossy().contains(f.as_str()))
        })
        .collect();
    files.sort();
    if args.iter().any(|a| a == "--complete") {
        complete(&files).await;
        return;
    }
    let (mut passed, mut failed) = (0, 0);
    for file in &files {
        match runner().run_file_async(file).await {
            Ok(()) => {
                passed += 1;
                println!("ok     {}", file.display());
            }
            Err(e) => {
                failed += 1;
                println!("FAILED {}\n{e}", file.display());
            }
        }
    }
    println!("slt: {passed} passed, {failed} failed");
    if failed > 0 || files.is_empty() {
        std::process::exit(1);
    }
}
