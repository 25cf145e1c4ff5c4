//! Helpers shared by the lake tests (local disk and S3): a ten-day lake of
//! small Parquet files and a counting query.

use arrow::array::{ArrayRef, RecordBatch, StringArray, TimestampMicrosecondArray};
use datafusion::prelude::SessionContext;
use std::sync::Arc;

pub const DAY_US: i64 = 86_400_000_000;
/// 2026-01-01T00:00:00Z in microseconds.
pub const JAN1: i64 = 1_767_225_600_000_000;

/// Reads a column (not only footers) of the last three of the ten days.
pub const LAST3: &str = "SELECT count(ip) FROM events WHERE ts >= TIMESTAMP '2026-01-08T00:00:00Z' AND ts < TIMESTAMP '2026-01-11T00:00:00Z'";

/// `n` events on `day` (0 = 2026-01-01), one every 10 minutes.
pub fn day_events(day: i64, n: usize) -> Vec<(&'static str, ArrayRef)> {
    let ts: Vec<i64> = (0..n as i64)
        .map(|i| JAN1 + day * DAY_US + i * 600_000_000)
        .collect();
    let kinds: Vec<&str> = (0..n)
        .map(|i| ["download", "docs_view", "page_view"][i % 3])
        .collect();
    let ips: Vec<String> = (0..n).map(|i| format!("203.0.113.{}", i % 200)).collect();
    vec![
        (
            "ts",
            Arc::new(TimestampMicrosecondArray::from(ts).with_timezone("UTC")) as ArrayRef,
        ),
        ("kind", Arc::new(StringArray::from(kinds)) as ArrayRef),
        ("ip", Arc::new(StringArray::from(ips)) as ArrayRef),
    ]
}

/// Those events as Parquet bytes, row groups of `row_group` rows.
/// The same Parquet file with the first bytes of the first data page of
/// `columns` (all when `None`) in every row group overwritten, the footer
/// and its statistics intact: listing and pruning still work, reading
/// those columns' data fails. Pruning tests break the files a query must
/// not read this way.
pub fn break_pages(bytes: Vec<u8>, columns: Option<usize>) -> Vec<u8> {
    let reader =
        parquet::file::reader::SerializedFileReader::new(bytes::Bytes::from(bytes.clone()))
            .unwrap();
    let mut bytes = bytes;
    for rg in parquet::file::reader::FileReader::metadata(&reader).row_groups() {
        for (i, column) in rg.columns().iter().enumerate() {
            if columns.is_some_and(|c| c != i) {
                continue;
            }
            let (start, len) = column.byte_range();
            let (start, len) = (start as usize, len as usize);
            bytes[start..start + len.min(16)].fill(0xFF);
        }
    }
    bytes
}

pub fn parquet_bytes(columns: Vec<(&str, ArrayRef)>, row_group: usize) -> Vec<u8> {
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    let props = parquet::file::properties::WriterProperties::builder()
        .set_max_row_group_row_count(Some(row_group))
        .build();
    let mut buf = Vec::new();
    let mut w =
        parquet::arrow::ArrowWriter::try_new(&mut buf, batch.schema(), Some(props)).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    buf
}

/// `YYYY-MM-DD` of a day index.
pub fn day_name(day: i64) -> String {
    chrono::DateTime::from_timestamp_micros(JAN1 + day * DAY_US)
        .unwrap()
        .format("%Y-%m-%d")
        .to_string()
}

/// The single integer a counting query returns.
pub async fn count(
    ctx: &SessionContext,
    sql: &str,
) -> Result<i64, datafusion::error::DataFusionError> {
    let batches = ctx.sql(sql).await?.collect().await?;
    let v = arrow::compute::cast(batches[0].column(0), &arrow::datatypes::DataType::Int64)?;
    Ok(arrow::array::AsArray::as_primitive::<arrow::datatypes::Int64Type>(&v).value(0))
}

/// The plan `EXPLAIN` prints for a query, as text.
pub async fn explain(ctx: &SessionContext, sql: &str) -> String {
    let plan = ctx
        .sql(&format!("EXPLAIN {sql}"))
        .await
        .unwrap()
        .collect()
        .await
        .unwrap();
    arrow::util::pretty::pretty_format_batches(&plan)
        .unwrap()
        .to_string()
}

/// The ten-day lake registered in `ctx` as `table`: every file found, the
/// date layout detected, every row read, and a last-three-days query that
/// plans only the last three days' files.
pub async fn check_ten_days(ctx: &SessionContext, table: &leadlake_lake::EventsTable) {
    assert_eq!(table.files().len(), 10);
    assert_eq!(table.layout(), leadlake_lake::layout::Layout::Date);
    assert_eq!(
        count(ctx, "SELECT count(*) FROM events WHERE kind <> 'none'")
            .await
            .unwrap(),
        1000
    );
    let text = explain(ctx, LAST3).await;
    assert!(
        text.contains("date=2026-01-08") && !text.contains("date=2026-01-07"),
        "{text}"
    );
}
