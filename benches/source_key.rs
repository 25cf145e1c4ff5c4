//! `source_key(ip, user_agent)`: the cost the view `company_events` adds
//! to every row (issue 21), through SQL on one core, 1,000,000 rows in
//! batches of 8,192: 60 % IPv4 and 40 % IPv6 addresses (a few thousand
//! distinct each), agents drawn from a few hundred installer agents and
//! a few browsers (repeated, as in real lakes). Beside it, in the same
//! run: the column as the view passed it before (`coalesce(ip, '')`: the
//! cost of reading it), `ua_info(ua)['client']` (the agent half alone),
//! `ip_anonymize(ip, 32, 64)` (a peer address function), and
//! `source_key` under `by_client = false` (the address half alone).
//!
//! `cargo bench --bench source_key`
#![expect(
    clippy::expect_used,
    reason = "a bench that cannot set up stops loudly"
)]

mod support;
#[path = "support/xorshift.rs"]
mod xorshift;

use xorshift::Rng;

use arrow::array::{RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use datafusion::datasource::MemTable;
use datafusion::prelude::{SessionConfig, SessionContext};
use std::hint::black_box;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::Arc;
use std::time::Duration;

const ROWS: usize = 1_000_000;
const BATCH: usize = 8192;

/// A few hundred installer agents (clients × versions × systems) and
/// three browsers.
fn agents() -> Vec<String> {
    let mut out = Vec::new();
    for v in ["23.3", "24.0", "24.2", "25.0"] {
        for sys in ["Linux", "Darwin", "Windows"] {
            for py in ["3.10.14", "3.11.9", "3.12.4"] {
                out.push(format!(
                    r#"pip/{v} {{"ci":null,"cpu":"x86_64","implementation":{{"name":"CPython","version":"{py}"}},"installer":{{"name":"pip","version":"{v}"}},"python":"{py}","system":{{"name":"{sys}","release":"6.8.0"}}}}"#
                ));
                out.push(format!(
                    r#"uv/0.{v} {{"installer":{{"name":"uv","version":"0.{v}"}},"python":"{py}","system":{{"name":"{sys}","release":"24.1.0"}}}}"#
                ));
            }
            out.push(format!(
                "npm/10.{v} node/v20.17.0 {} x64 workspaces/false",
                sys.to_lowercase()
            ));
        }
    }
    out.extend([
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36".to_string(),
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15".to_string(),
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0".to_string(),
    ]);
    out
}

fn rows() -> (Vec<String>, Vec<String>) {
    let agents = agents();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..ROWS)
        .map(|_| {
            let r = rng.next();
            let ip = if r % 10 < 6 {
                Ipv4Addr::from(0x0B00_0000 + (r >> 8) as u32 % 4096).to_string()
            } else {
                // 500 /64s, temporary interface ids
                let net = 0x2001_0db8_0100_0000u128 + u128::from((r >> 8) % 500);
                Ipv6Addr::from((net << 64) | u128::from(rng.next() % 8192)).to_string()
            };
            (ip, agents[(r >> 24) as usize % agents.len()].clone())
        })
        .unzip()
}

fn bench(c: &mut Criterion) {
    let (ips, uas) = rows();
    let schema = Arc::new(Schema::new(vec![
        Field::new("ip", DataType::Utf8, false),
        Field::new("ua", DataType::Utf8, false),
    ]));
    let batches: Vec<RecordBatch> = ips
        .chunks(BATCH)
        .zip(uas.chunks(BATCH))
        .map(|(i, u)| {
            RecordBatch::try_new(
                Arc::clone(&schema),
                vec![
                    Arc::new(StringArray::from_iter_values(i)),
                    Arc::new(StringArray::from_iter_values(u)),
                ],
            )
            .expect("batch")
        })
        .collect();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    // one partition: the per-core figure
    let session = |config: &leadlake::Config| {
        let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(1));
        leadlake::register_all(&ctx, config).expect("register");
        let table = MemTable::try_new(Arc::clone(&schema), vec![batches.clone()]).expect("table");
        ctx.register_table("events", Arc::new(table))
            .expect("register");
        ctx
    };
    let default = session(&leadlake::Config::default());
    let mut by_network = leadlake::Config::default();
    by_network.funnel.sources.by_client = false;
    let by_network = session(&by_network);
    let run = |ctx: &SessionContext, sql: &str| support::collect(&rt, ctx, sql);
    let mut g = c.benchmark_group("source_key_1M_one_core");
    g.throughput(Throughput::Elements(ROWS as u64))
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    g.bench_function("source_key", |b| {
        b.iter(|| black_box(run(&default, "SELECT source_key(ip, ua) FROM events")))
    });
    g.bench_function("source_key_by_network", |b| {
        b.iter(|| black_box(run(&by_network, "SELECT source_key(ip, ua) FROM events")))
    });
    g.bench_function("peer_coalesce_ip", |b| {
        b.iter(|| black_box(run(&default, "SELECT coalesce(ip, '') FROM events")))
    });
    g.bench_function("peer_ua_info_client", |b| {
        b.iter(|| black_box(run(&default, "SELECT ua_info(ua)['client'] FROM events")))
    });
    g.bench_function("peer_ip_anonymize", |b| {
        b.iter(|| black_box(run(&default, "SELECT ip_anonymize(ip, 32, 64) FROM events")))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
