//! Override ranges from Parquet (the `ipdb` crate reads CSV itself and knows
//! nothing of Arrow). Same columns as the CSV; any string type is accepted;
//! errors name the file and the 1-based row.

use arrow::array::{Array, AsArray};
use arrow::datatypes::DataType;
use leadlake_ipdb::{IpdbError, OverrideRow, Overrides};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::path::Path;
use std::sync::Arc;

/// Is this override file Parquet (by its extension)?
pub(crate) fn is_parquet(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet") || e.eq_ignore_ascii_case("parq"))
}

/// Read an override table from a Parquet file.
pub(crate) fn from_parquet(path: &Path) -> Result<Overrides, IpdbError> {
    let bad = |line: u64, reason: String| IpdbError::InvalidOverride {
        path: path.to_path_buf(),
        line,
        reason,
    };
    let file = std::fs::File::open(path).map_err(|source| IpdbError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|e| bad(0, format!("not a readable Parquet file: {e}")))?;
    let schema = Arc::clone(builder.schema());
    let col = |name: &str| {
        schema
            .fields()
            .iter()
            .position(|f| f.name().eq_ignore_ascii_case(name))
    };
    let network =
        col("network").ok_or_else(|| bad(0, "the file has no 'network' column".into()))?;
    let (company, domain) = (col("company"), col("domain"));
    if company.is_none() && domain.is_none() {
        return Err(bad(
            0,
            "the file has neither a 'company' nor a 'domain' column".into(),
        ));
    }
    let wanted = [Some(network), company, domain, col("network_type")];
    let reader = builder
        .build()
        .map_err(|e| bad(0, format!("not a readable Parquet file: {e}")))?;
    let mut rows = Vec::new();
    let mut line = 0u64;
    for batch in reader {
        let batch = batch.map_err(|e| bad(line + 1, format!("cannot read: {e}")))?;
        let mut columns = Vec::with_capacity(4);
        for idx in wanted {
            let Some(idx) = idx else {
                columns.push(None);
                continue;
            };
            let c = arrow::compute::cast(batch.column(idx), &DataType::Utf8).map_err(|e| {
                bad(
                    line + 1,
                    format!("column '{}' is not text: {e}", schema.field(idx).name()),
                )
            })?;
            columns.push(Some(c));
        }
        for r in 0..batch.num_rows() {
            line += 1;
            let get = |i: usize| -> Option<String> {
                let c = columns[i].as_ref()?.as_string::<i32>();
                (c.is_valid(r) && !c.value(r).trim().is_empty())
                    .then(|| c.value(r).trim().to_string())
            };
            rows.push(OverrideRow {
                line,
                network: get(0),
                company: get(1),
                domain: get(2),
                network_type: get(3),
            });
        }
    }
    Overrides::from_rows(path, rows)
}
