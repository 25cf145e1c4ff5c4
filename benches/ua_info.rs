//! `ua_info` on a realistic mix through SQL (per-batch caching of repeated
//! agents, 1,000,000 rows: mostly repeated installer agents, some
//! browsers, some bots), and the bare parser on distinct agents (5,854
//! real browsers, the crawler list's 2,116 examples, PyPI's installer
//! fixtures), beside a peer measured in the same run: our old
//! hand-written matcher (19 substrings and a prefix table), kept here
//! only as a reference point for speed (it missed ~4 in 10 crawlers).
//!
//! Target (issue 15): `ua_info` ≥ 2 M agents/s per core on the mix.
//!
//! `cargo bench --bench ua_info`
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
use leadlake::funnel::ua::{bots, parse};
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

const ROWS: usize = 1_000_000;
const BATCH: usize = 8192;

fn data(path: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/data/user-agents/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("test data")
}

/// Distinct agents of every sort.
fn distinct() -> Vec<String> {
    let mut out: Vec<String> = data("browsers.txt").lines().map(str::to_string).collect();
    let list: Vec<bots::ListEntry> = serde_json::from_str(bots::LIST_JSON).expect("list");
    out.extend(list.into_iter().flat_map(|e| e.instances));
    for f in [
        "pip.yml",
        "uv.yml",
        "poetry.yml",
        "nexus.yml",
        "bandersnatch.yml",
    ] {
        for l in data(&format!("linehaul/{f}")).lines() {
            if let Some(ua) = l.strip_prefix("- ua: ") {
                out.push(ua.trim_matches('\'').to_string());
            }
        }
    }
    out
}

/// 80 % installer agents (a few hundred distinct: versions × systems ×
/// CI), 15 % browsers, 5 % bots.
fn mix() -> Vec<String> {
    let browsers: Vec<String> = data("browsers.txt").lines().map(str::to_string).collect();
    let list: Vec<bots::ListEntry> = serde_json::from_str(bots::LIST_JSON).expect("list");
    let crawlers: Vec<String> = list.into_iter().flat_map(|e| e.instances).collect();
    let mut installers = Vec::new();
    for v in ["23.3", "24.0", "24.2", "25.0"] {
        for (sys, cpu) in [
            ("Linux", "x86_64"),
            ("Darwin", "arm64"),
            ("Windows", "AMD64"),
        ] {
            for ci in ["true", "null"] {
                installers.push(format!(
                    r#"pip/{v} {{"ci":{ci},"cpu":"{cpu}","distro":{{"name":"Ubuntu","version":"22.04"}},"implementation":{{"name":"CPython","version":"3.12.1"}},"installer":{{"name":"pip","version":"{v}"}},"openssl_version":"OpenSSL 3.0.2 15 Mar 2022","python":"3.12.1","setuptools_version":"69.0.3","system":{{"name":"{sys}","release":"6.5.0-1016-azure"}}}}"#
                ));
                installers.push(format!(
                    "npm/10.{v} node/v20.11.0 {} {cpu} workspaces/false{}",
                    sys.to_lowercase(),
                    if ci == "true" {
                        " ci/github-actions"
                    } else {
                        ""
                    }
                ));
            }
        }
        installers.push(format!("docker/27.{v} go/go1.22.7 git-commit/41ca978 kernel/6.8.0 os/linux arch/amd64 UpstreamClient(Docker-Client/27.3.1 \\(linux\\))"));
        installers.push(format!(
            "Nexus/3.{v}-02 (OSS; Linux; 4.4.0-62-generic; amd64; 1.8.0_144)"
        ));
        installers.push(format!("cargo/1.{v} (a1b2c3 2024-01-01)"));
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..ROWS)
        .map(|_| {
            let r = rng.next();
            let pick = |v: &Vec<String>| v[(r >> 8) as usize % v.len()].clone();
            match r % 100 {
                0..80 => pick(&installers),
                80..95 => pick(&browsers),
                _ => pick(&crawlers),
            }
        })
        .collect()
}

/// Our matcher before issue 15, for speed only.
mod old {
    const BOTS: &[&str] = &[
        "googlebot",
        "bingbot",
        "duckduckbot",
        "baiduspider",
        "yandexbot",
        "applebot",
        "ahrefsbot",
        "semrushbot",
        "gptbot",
        "claudebot",
        "ccbot",
        "facebookexternalhit",
        "slurp",
        "github-hookshot",
        "crawler",
        "spider",
        "bot/",
        "bot;",
        "+http",
    ];
    const CLIENTS: &[&str] = &[
        "pip/",
        "uv/",
        "poetry/",
        "pdm/",
        "twine/",
        "npm/",
        "yarn/",
        "pnpm/",
        "bun/",
        "docker/",
        "containerd/",
        "cri-o/",
        "podman/",
        "skopeo/",
        "buildkit/",
        "cargo/",
        "apache-maven/",
        "gradle/",
        "go-http-client/",
        "go/",
        "bundler/",
        "rubygems/",
        "nuget command line/",
        "helm/",
        "curl/",
        "wget/",
        "python-requests/",
        "conda/",
    ];
    /// `(is_bot, known client)`, the old order: bots, then clients.
    pub fn classify(ua: &str) -> (bool, bool) {
        let lower = ua.trim().to_ascii_lowercase();
        if BOTS.iter().any(|b| lower.contains(b)) {
            return (true, true);
        }
        (
            false,
            CLIENTS.iter().any(|p| lower.starts_with(p)) || lower.starts_with("mozilla/"),
        )
    }
}

fn bench(c: &mut Criterion) {
    // compile the matcher outside the timings
    black_box(parse("warm-up"));
    let agents = distinct();
    let mut g = c.benchmark_group("ua_parse_distinct");
    g.throughput(Throughput::Elements(agents.len() as u64));
    g.bench_function("ua_parse", |b| {
        b.iter(|| {
            for a in &agents {
                black_box(parse(a));
            }
        })
    });
    g.bench_function("old_hand_written_peer", |b| {
        b.iter(|| {
            for a in &agents {
                black_box(old::classify(a));
            }
        })
    });
    g.finish();

    let rows = mix();
    let schema = Arc::new(Schema::new(vec![Field::new("ua", DataType::Utf8, false)]));
    let batches: Vec<RecordBatch> = rows
        .chunks(BATCH)
        .map(|c| {
            RecordBatch::try_new(
                Arc::clone(&schema),
                vec![Arc::new(StringArray::from_iter_values(c))],
            )
            .expect("batch")
        })
        .collect();
    let table = MemTable::try_new(schema, vec![batches]).expect("table");
    // one partition: the per-core figure
    let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(1));
    leadlake::register_all(&ctx, &leadlake::Config::default()).expect("register");
    ctx.register_table("agents", Arc::new(table))
        .expect("register");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let run = |sql: &str| support::collect(&rt, &ctx, sql);
    let mut g = c.benchmark_group("ua_info_1M_mix_one_core");
    g.throughput(Throughput::Elements(ROWS as u64))
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    g.bench_function("ua_info", |b| {
        b.iter(|| black_box(run("SELECT ua_info(ua) FROM agents")))
    });
    g.bench_function("length_peer", |b| {
        b.iter(|| black_box(run("SELECT length(ua) FROM agents")))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
