//! journey_stage + lead_score + activity_tiers grouped by company over
//! 10,000,000 events of 100,000 companies, against a plain
//! `COUNT(*) GROUP BY company_key` over the same in-memory rows, measured
//! in the same run. `count(DISTINCT ip)` per company, one of the figures
//! the journey needs, is measured beside them as DataFusion's own cost of
//! a single such figure.
//!
//! `cargo bench --bench journey_stage`
#![expect(
    clippy::expect_used,
    reason = "a bench that cannot set up stops loudly"
)]

mod support;

use arrow::array::{RecordBatch, StringArray, TimestampMicrosecondArray};
use arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use datafusion::datasource::MemTable;
use datafusion::prelude::{SessionConfig, SessionContext};
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

const ROWS: usize = 10_000_000;
const COMPANIES: u64 = 100_000;
const BATCH: usize = 8192;
const ROUNDS: usize = 9;
const DAY_US: i64 = 86_400_000_000;
const AS_OF: &str = "2027-01-01T00:00:00Z";
const AS_OF_US: i64 = 1_798_761_600_000_000;

const KINDS: [&str; 20] = [
    "download",
    "download",
    "download",
    "download",
    "download",
    "download",
    "download",
    "download",
    "docs_view",
    "docs_view",
    "docs_view",
    "docs_view",
    "docs_view",
    "docs_view",
    "page_view",
    "page_view",
    "page_view",
    "page_view",
    "page_view",
    "call_home",
];
const PATHS: [&str; 12] = [
    "/",
    "/pricing",
    "/blog/launch",
    "/features",
    "/docs/install",
    "/docs/quickstart",
    "/docs/upgrade",
    "/docs/changelog",
    "/docs/api/client",
    "/docs/concepts",
    "/about",
    "/contact-sales",
];
const VERSIONS: [&str; 8] = [
    "1.0.0",
    "1.1.0",
    "1.2.0",
    "1.2.1",
    "1.3.0",
    "1.4.0",
    "2.0.0-rc.1",
    "2.0.0",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn table() -> MemTable {
    let schema = Arc::new(Schema::new(vec![
        Field::new("company_key", DataType::Utf8, false),
        Field::new(
            "ts",
            DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            false,
        ),
        Field::new("kind", DataType::Utf8, false),
        Field::new("path", DataType::Utf8, true),
        Field::new("version", DataType::Utf8, true),
        Field::new("ip", DataType::Utf8, false),
    ]));
    let mut r = Rng(7);
    let mut partitions = vec![Vec::new(), Vec::new()];
    for (n, start) in (0..ROWS).step_by(BATCH).enumerate() {
        let len = BATCH.min(ROWS - start);
        let (mut key, mut ts, mut kind, mut path, mut version, mut ip) = (
            Vec::with_capacity(len),
            Vec::with_capacity(len),
            Vec::with_capacity(len),
            Vec::with_capacity(len),
            Vec::with_capacity(len),
            Vec::with_capacity(len),
        );
        for _ in 0..len {
            let c = r.next() % COMPANIES;
            let k = KINDS[(r.next() % 20) as usize];
            key.push(format!("company-{c}"));
            ts.push(AS_OF_US - 1 - (r.next() % (365 * DAY_US as u64)) as i64);
            kind.push(k);
            let download = k == "download";
            path.push(if download {
                "/simple/widget/"
            } else {
                PATHS[(r.next() % 12) as usize]
            });
            version.push(download.then(|| VERSIONS[(r.next() % 8) as usize]));
            ip.push(format!("11.{}.{}.{}", c / 256 % 256, c % 256, r.next() % 4));
        }
        let batch = RecordBatch::try_new(
            Arc::clone(&schema),
            vec![
                Arc::new(StringArray::from(key)),
                Arc::new(TimestampMicrosecondArray::from(ts).with_timezone("UTC")),
                Arc::new(StringArray::from(kind)),
                Arc::new(StringArray::from(path)),
                Arc::new(StringArray::from(version)),
                Arc::new(StringArray::from(ip)),
            ],
        )
        .expect("batch");
        partitions[n % 2].push(batch);
    }
    MemTable::try_new(schema, partitions).expect("table")
}

fn bench(c: &mut Criterion) {
    let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(2));
    leadlake::register_all(&ctx, &leadlake::Config::default()).expect("register");
    ctx.register_table("events", Arc::new(table()))
        .expect("register");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let args = format!("ts, kind, path, version, ip, TIMESTAMP '{AS_OF}'");
    let queries = [
        (
            "count_star_peer",
            "SELECT company_key, count(*) FROM events GROUP BY company_key".to_string(),
        ),
        (
            // one of the ~25 figures the journey needs, by DataFusion itself
            "count_distinct_source",
            "SELECT company_key, count(DISTINCT ip) FROM events GROUP BY company_key".to_string(),
        ),
        (
            "journey_stage",
            format!("SELECT company_key, journey_stage({args}) FROM events GROUP BY company_key"),
        ),
        (
            "stage_score_tiers",
            format!(
                "SELECT company_key, journey_stage({args}), lead_score({args}), activity_tiers({args}) \
                 FROM events GROUP BY company_key"
            ),
        ),
    ];
    let collect = |sql: &str| -> Vec<RecordBatch> { support::collect(&rt, &ctx, sql) };
    // the ratio the target speaks of, from alternating rounds (this VM's
    // speed drifts between criterion groups run minutes apart)
    let run = |sql: &str| {
        let start = Instant::now();
        black_box(collect(sql));
        start.elapsed().as_secs_f64()
    };
    let (peer, distinct, three) = (&queries[0].1, &queries[1].1, &queries[3].1);
    let (mut ours, mut floor) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let p = run(peer);
        floor.push(run(distinct) / p);
        ours.push(run(three) / p);
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[ROUNDS / 2]
    };
    eprintln!(
        "against COUNT(*) GROUP BY, {ROUNDS} alternating rounds (median): \
         stage + score + tiers {:.1}x, DataFusion's count(DISTINCT ip) {:.1}x",
        median(ours),
        median(floor)
    );

    let mut g = c.benchmark_group("journey_10M_events_100k_companies");
    g.throughput(Throughput::Elements(ROWS as u64))
        .sample_size(10)
        .measurement_time(Duration::from_secs(30));
    for (name, sql) in &queries {
        let groups = collect(sql);
        assert_eq!(
            groups.iter().map(RecordBatch::num_rows).sum::<usize>() as u64,
            COMPANIES,
            "{name}"
        );
        g.bench_function(*name, |b| b.iter(|| collect(sql)));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
