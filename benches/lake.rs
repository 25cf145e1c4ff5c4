//! The event lake: generating events, and scanning them through the
//! `events` table against DataFusion's own Parquet reader on the same files,
//! measured in the same run.
//!
//! `cargo bench --bench lake` (set LEADLAKE_BENCH_EVENTS to change the
//! lake size; default 10,000,000 events over 365 days).
#![expect(
    clippy::expect_used,
    reason = "a bench that cannot set up stops loudly"
)]

mod support;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};
use leadlake::LakeConfig;
use leadlake::lake::prune::TsRange;
use std::hint::black_box;
use std::time::{Duration, Instant};

fn events() -> u64 {
    std::env::var("LEADLAKE_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000_000)
}

fn run(rt: &tokio::runtime::Runtime, ctx: &SessionContext, sql: &str) -> usize {
    support::collect(rt, ctx, sql).len()
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");

    // Generation throughput (1M events; the 10M lake below is timed once).
    let mut g = c.benchmark_group("generate");
    g.sample_size(10)
        .throughput(Throughput::Elements(1_000_000));
    g.bench_function("generate_1M_events_365_days", |b| {
        b.iter(|| {
            let out = tempfile::tempdir().expect("temp dir");
            let options = leadlake_synth::Options {
                events: 1_000_000,
                ..Default::default()
            };
            black_box(
                leadlake_synth::generate(out.path(), &options, &mut |_| {}).expect("generate"),
            )
        })
    });
    g.finish();

    let options = leadlake_synth::Options {
        events: events(),
        ..Default::default()
    };
    let started = Instant::now();
    let manifest = leadlake_synth::generate(dir.path(), &options, &mut |_| {}).expect("generate");
    eprintln!(
        "generated {} events in {} files in {:.1}s ({:.2} M events/s)",
        manifest.events,
        manifest.files,
        started.elapsed().as_secs_f64(),
        manifest.events as f64 / started.elapsed().as_secs_f64() / 1e6
    );

    let lake_dir = dir.path().join("lake");
    let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(2));
    let table = rt
        .block_on(leadlake::register_lake(
            &ctx,
            &LakeConfig::new(lake_dir.to_str().expect("utf-8 path")),
        ))
        .expect("register");
    rt.block_on(ctx.register_parquet(
        "raw",
        lake_dir.to_str().expect("utf-8 path"),
        ParquetReadOptions::default(),
    ))
    .expect("register raw");

    // Bytes a last-30-days query needs, out of the whole lake.
    let as_of_us = manifest
        .as_of
        .and_hms_opt(0, 0, 0)
        .expect("midnight")
        .and_utc()
        .timestamp_micros();
    let last30 = TsRange {
        lo: Some(as_of_us - 30 * 86_400_000_000),
        hi: None,
    };
    let bytes =
        |files: Vec<leadlake::lake::LakeFile>| files.iter().map(|f| f.meta.size).sum::<u64>();
    let all = bytes(table.files());
    let needed = bytes(table.files_for(last30));
    eprintln!(
        "last 30 days read {needed} of {all} bytes ({:.1} %)",
        100.0 * needed as f64 / all as f64
    );

    let since = manifest.as_of - chrono::Days::new(30);
    let q_last30 = format!(
        "SELECT count(ip), sum(length(path)) FROM events WHERE ts >= TIMESTAMP '{since}T00:00:00Z'"
    );
    // Bytes the Parquet reader actually fetched (DataFusion's bytes_scanned
    // metric), for the last 30 days and for a full scan, against the lake.
    let scanned = |sql: &str| -> usize {
        rt.block_on(async {
            let plan = ctx
                .sql(sql)
                .await
                .expect("plan")
                .create_physical_plan()
                .await
                .expect("physical");
            datafusion::physical_plan::collect(std::sync::Arc::clone(&plan), ctx.task_ctx())
                .await
                .expect("run");
            let mut total = 0;
            let mut stack = vec![plan];
            while let Some(p) = stack.pop() {
                if let Some(m) = p.metrics() {
                    total += m.sum_by_name("bytes_scanned").map_or(0, |v| v.as_usize());
                }
                stack.extend(p.children().into_iter().cloned());
            }
            total
        })
    };
    let (read30, read_all) = (
        scanned(&q_last30),
        scanned("SELECT count(ip), sum(length(path)) FROM events"),
    );
    eprintln!(
        "bytes_scanned: last 30 days {read30}, full scan {read_all}, lake {all}: last 30 days read {:.1} % of the lake ({:.1} % of a full scan)",
        100.0 * read30 as f64 / all as f64,
        100.0 * read30 as f64 / read_all as f64
    );
    // Full scan against the peer in alternating rounds (median of the
    // per-round ratios): this VM's speed drifts between criterion groups.
    const ROUNDS: usize = 11;
    let full = "SELECT count(ip), sum(length(path)) FROM events";
    let peer = "SELECT count(ip), sum(length(path)) FROM raw";
    let mut ratios: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            black_box(run(&rt, &ctx, peer));
            let theirs = start.elapsed().as_secs_f64();
            let start = Instant::now();
            black_box(run(&rt, &ctx, full));
            start.elapsed().as_secs_f64() / theirs
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    eprintln!(
        "full scan through events against DataFusion's own Parquet reader, {ROUNDS} alternating rounds: median time ratio {:.2}x",
        ratios[ROUNDS / 2]
    );
    let mut g = c.benchmark_group("scan_10M");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(15))
        .throughput(Throughput::Elements(manifest.events));
    g.bench_function("events_full_scan_count_sum", |b| {
        b.iter(|| {
            black_box(run(
                &rt,
                &ctx,
                "SELECT count(ip), sum(length(path)) FROM events",
            ))
        })
    });
    g.bench_function("peer_datafusion_parquet_count_sum", |b| {
        b.iter(|| {
            black_box(run(
                &rt,
                &ctx,
                "SELECT count(ip), sum(length(path)) FROM raw",
            ))
        })
    });
    g.bench_function("events_last_30_days_count_sum", |b| {
        b.iter(|| black_box(run(&rt, &ctx, &q_last30)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
