//! session_id over pre-sorted input: the evaluator alone on a sorted
//! 10,000,000-row timestamp column (one thread: per core), and in SQL
//! against `row_number()` over the same window, measured in the same run.
//!
//! `cargo bench --bench session_id`
#![expect(
    clippy::expect_used,
    reason = "a bench that cannot set up stops loudly"
)]

use arrow::array::{ArrayRef, RecordBatch, StringArray, TimestampMicrosecondArray};
use arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use datafusion::datasource::MemTable;
use datafusion::logical_expr::function::PartitionEvaluatorArgs;
use datafusion::prelude::{SessionConfig, SessionContext};
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

const ROWS: usize = 10_000_000;
const SOURCES: usize = 10_000;
const BATCH: usize = 8192;

/// Sorted timestamps: gaps of 0-40 minutes (so sessions break often).
fn timestamps(n: usize) -> Vec<i64> {
    let mut t = 1_767_225_600_000_000i64;
    let mut x = 0x2545_F491_4F6C_DD1Du64;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            t += (x % 2_400) as i64 * 1_000_000;
            t
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let ts = timestamps(ROWS);
    let array: ArrayRef =
        Arc::new(TimestampMicrosecondArray::from(ts.clone()).with_timezone("UTC"));
    let udwf = leadlake::udfs::window_functions()
        .into_iter()
        .find(|f| f.name() == "session_id")
        .expect("session_id");

    let mut g = c.benchmark_group("session_id");
    g.throughput(Throughput::Elements(ROWS as u64))
        .sample_size(20)
        .measurement_time(Duration::from_secs(10));
    g.bench_function("evaluator_10M_sorted", |b| {
        b.iter(|| {
            let mut e = udwf
                .partition_evaluator_factory(PartitionEvaluatorArgs::new(&[], &[], false, false))
                .expect("evaluator");
            black_box(
                e.evaluate_all(std::slice::from_ref(&array), ROWS)
                    .expect("evaluate"),
            )
        })
    });

    // SQL: 10,000 sources, each partition already sorted by (src, ts)
    let schema = Arc::new(Schema::new(vec![
        Field::new("src", DataType::Utf8, false),
        Field::new(
            "ts",
            DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            false,
        ),
    ]));
    let per = ROWS / SOURCES;
    let batches: Vec<RecordBatch> = (0..ROWS)
        .step_by(BATCH)
        .map(|start| {
            let end = (start + BATCH).min(ROWS);
            let src: StringArray = (start..end)
                .map(|i| Some(format!("s{:05}", i / per)))
                .collect();
            let ts: TimestampMicrosecondArray = (start..end)
                .map(|i| Some(ts[i % per]))
                .collect::<TimestampMicrosecondArray>()
                .with_timezone("UTC");
            RecordBatch::try_new(Arc::clone(&schema), vec![Arc::new(src), Arc::new(ts)])
                .expect("batch")
        })
        .collect();
    let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(1));
    leadlake::register_all(&ctx, &leadlake::Config::default()).expect("register");
    let table = MemTable::try_new(schema, vec![batches])
        .expect("table")
        .with_sort_order(vec![vec![
            datafusion::prelude::col("src").sort(true, false),
            datafusion::prelude::col("ts").sort(true, false),
        ]]);
    ctx.register_table("hits", Arc::new(table))
        .expect("register");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    for (name, f) in [
        ("sql_session_id", "session_id(ts)"),
        ("sql_row_number_peer", "row_number()"),
    ] {
        let sql = format!(
            "SELECT max(s) FROM (SELECT {f} OVER (PARTITION BY src ORDER BY ts) AS s FROM hits)"
        );
        g.bench_function(name, |b| {
            b.iter(|| {
                rt.block_on(async {
                    ctx.sql(&sql)
                        .await
                        .expect("plan")
                        .collect()
                        .await
                        .expect("run")
                })
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
