//! Helpers for the ingest tests: fixtures, running, reading the lake back.

use arrow::array::{Array, AsArray};
use arrow::datatypes::TimestampMicrosecondType;
use leadlake_ingest::row::STRING_COLUMNS;
use leadlake_ingest::{IngestConfig, IngestError, Input, LocalDir, Report, Sink, ingest_dir};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// An input named by its fixture file name (not the absolute path, so the
/// names and thus the output file names do not depend on the checkout).
pub fn fixture(name: &str) -> Input {
    Input::path(data(name)).named(name)
}

pub fn config() -> IngestConfig {
    IngestConfig {
        package: Some("leadlake".into()),
        ..IngestConfig::default()
    }
}

pub fn run(inputs: Vec<Input>, out: &Path) -> Result<Report, IngestError> {
    ingest_dir(inputs, out, &config(), &mut |_| {})
}

/// One row read back: `ts` and the string columns by name.
#[derive(Clone, Debug, PartialEq)]
pub struct Got {
    pub ts: i64,
    pub cols: BTreeMap<&'static str, Option<String>>,
}

impl Got {
    pub fn s(&self, col: &str) -> Option<&str> {
        self.cols.get(col).and_then(|v| v.as_deref())
    }
}

pub fn read_file(path: &Path) -> Vec<Got> {
    let f = std::fs::File::open(path).unwrap();
    let reader = ParquetRecordBatchReaderBuilder::try_new(f)
        .unwrap()
        .build()
        .unwrap();
    let mut out = Vec::new();
    for batch in reader {
        let batch = batch.unwrap();
        assert_eq!(batch.schema().as_ref(), leadlake_ingest::SCHEMA.as_ref());
        let ts = batch.column(0).as_primitive::<TimestampMicrosecondType>();
        for i in 0..batch.num_rows() {
            let mut cols = BTreeMap::new();
            for (c, name) in STRING_COLUMNS.iter().enumerate() {
                let a = batch.column(c + 1).as_string::<i32>();
                cols.insert(*name, (!a.is_null(i)).then(|| a.value(i).to_owned()));
            }
            out.push(Got {
                ts: ts.value(i),
                cols,
            });
        }
    }
    out
}

/// Every lake file (relative path) with its rows.
pub fn read_lake(dir: &Path) -> BTreeMap<String, Vec<Got>> {
    LocalDir::new(dir)
        .list()
        .unwrap()
        .into_iter()
        .map(|rel| (rel.clone(), read_file(&dir.join(&rel))))
        .collect()
}

/// Every file under `dir`, relative path → bytes (temporary files too).
pub fn all_bytes(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// Microseconds of an RFC 3339 time.
pub fn us(t: &str) -> i64 {
    leadlake_ingest::time::parse_rfc3339(t).unwrap()
}

/// All rows of the lake, in file order then row order.
pub fn rows(dir: &Path) -> Vec<Got> {
    read_lake(dir).into_values().flatten().collect()
}
