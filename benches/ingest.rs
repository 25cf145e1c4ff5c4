//! `leadlake ingest` throughput: 1,000,000 nginx `combined` lines from
//! gzip to Parquet, and 1,000,000 Scarf CSV rows to Parquet, each into a
//! fresh local lake (every byte parsed, classified, sorted, encoded with
//! zstd and renamed into place). The peer, measured in the same run, is
//! the floor any ingest pays: inflating the same gzip and counting its
//! lines.
//!
//! Target (issue 16): at least 1 M lines/s per core for both.
//!
//! `cargo bench --bench ingest`
#![expect(
    clippy::expect_used,
    reason = "a bench that cannot set up stops loudly"
)]

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use leadlake::ingest::{IngestConfig, Input, ingest_dir};
use std::hint::black_box;
use std::io::{BufRead, Write};
use std::time::Duration;

const LINES: u64 = 1_000_000;

/// Realistic access-log lines over three days: package downloads by pip
/// (its JSON agent, escaped as nginx writes it), docs and web pages by
/// browsers, pings, assets, a few 404s and bots; 20,000 addresses.
fn nginx_log() -> Vec<u8> {
    let paths = [
        "/simple/acme/acme-1.4.0-py3-none-any.whl",
        "/packages/acme-1.3.2.tar.gz",
        "/docs/install/",
        "/docs/guide/upgrade/?from=1.3",
        "/pricing",
        "/static/site.css",
        "/ping?v=1.4.0",
        "/blog/launch",
        "/missing",
    ];
    let agents = [
        r#"pip/24.0 {\x22ci\x22:null,\x22cpu\x22:\x22x86_64\x22,\x22implementation\x22:{\x22name\x22:\x22CPython\x22,\x22version\x22:\x223.12.1\x22}}"#,
        "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "acme/1.4.0 (linux)",
    ];
    let mut out = Vec::with_capacity(LINES as usize * 200);
    for i in 0..LINES {
        let (path, agent, status) = match i % 20 {
            0..=7 => (paths[(i % 2) as usize], agents[0], 200),
            8..=12 => (paths[2 + (i % 2) as usize], agents[1], 200),
            13 => (paths[4], agents[1], 200),
            14 => (paths[5], agents[1], 200),
            15 => (paths[6], agents[3], 204),
            16 => (paths[7], agents[2], 200),
            17 => (paths[8], agents[1], 404),
            _ => (paths[2], agents[1], 304),
        };
        let secs = i * 3 * 86_400 / LINES;
        let (day, h, m, s) = (
            1 + secs / 86_400,
            secs / 3600 % 24,
            secs / 60 % 60,
            secs % 60,
        );
        let method = if path.starts_with("/ping") {
            "POST"
        } else {
            "GET"
        };
        writeln!(
            out,
            "10.{}.{}.{} - - [{day:02}/Mar/2026:{h:02}:{m:02}:{s:02} +0100] \"{method} {path} HTTP/1.1\" {status} 5120 \"-\" \"{agent}\"",
            i % 7,
            (i / 7) % 50,
            (i / 350) % 57
        )
        .expect("in memory");
    }
    out
}

/// A Scarf export of the same size: downloads and pixel views of 500
/// companies over three days, with the columns of a real export.
fn scarf_csv() -> Vec<u8> {
    let mut out = Vec::with_capacity(LINES as usize * 250);
    out.extend_from_slice(b"id,type,package,pixel,version,time,referer,user_agent,platform,variables,origin_id,origin_latitude,origin_longitude,origin_country,origin_city,origin_postal,origin_connection_type,origin_company,origin_domain,dnt,confidence,endpoint_id,origin_state,mtc_quota_exceeded\n");
    for i in 0..LINES {
        let secs = i * 3 * 86_400 / LINES;
        let (day, h, m, s) = (
            1 + secs / 86_400,
            secs / 3600 % 24,
            secs / 60 % 60,
            secs % 60,
        );
        let company = i % 500;
        if i % 3 == 0 {
            writeln!(
                out,
                "ev-{i},pixel-fetch,,px-docs,,2026-03-{day:02}T{h:02}:{m:02}:{s:02}.{:06}Z,https://acme.dev/docs/install/,Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0,,\"{{\"\"page\"\":\"\"https://acme.dev/docs/guide/\"\"}}\",o-{},48.1,11.5,DE,Munich,80331,Corporate,Company {company} GmbH,company{company}.example,false,0.87,,BY,false",
                i % 1_000_000,
                i % 9000
            )
        } else {
            writeln!(
                out,
                "ev-{i},binary-download,acme,,1.{}.0,2026-03-{day:02}T{h:02}:{m:02}:{s:02}Z,,\"pip/24.0 {{\"\"ci\"\":null}}\",linux,,o-{},48.1,11.5,DE,Munich,80331,Corporate,Company {company} GmbH,company{company}.example,false,0.87,ep-1,BY,false",
                i % 5,
                i % 9000
            )
        }
        .expect("in memory");
    }
    out
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).expect("in memory");
    gz.finish().expect("in memory")
}

fn ingest_once(name: &str, bytes: Vec<u8>) -> u64 {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let report = ingest_dir(
        vec![Input::reader(name, std::io::Cursor::new(bytes))],
        dir.path(),
        &IngestConfig::default(),
        &mut |_| {},
    )
    .expect("ingest");
    assert_eq!(report.total.read, LINES, "every line is read");
    report.total.rows_out.total()
}

fn bench(c: &mut Criterion) {
    let log_gz = gzip(&nginx_log());
    let scarf = scarf_csv();
    let scarf_gz = gzip(&scarf);
    eprintln!(
        "data: nginx {:.1} MB gzip, Scarf {:.1} MB CSV ({:.1} MB gzip)",
        log_gz.len() as f64 / 1e6,
        scarf.len() as f64 / 1e6,
        scarf_gz.len() as f64 / 1e6
    );
    let mut g = c.benchmark_group("ingest_1M_lines");
    g.throughput(Throughput::Elements(LINES));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(25));
    g.bench_function("peer: inflate gzip and count lines", |b| {
        b.iter(|| {
            let mut r = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(&log_gz[..]));
            let mut line = Vec::new();
            let mut n = 0u64;
            while r.read_until(b'\n', &mut line).expect("in memory") > 0 {
                n += 1;
                line.clear();
            }
            assert_eq!(n, LINES);
            black_box(n)
        })
    });
    g.bench_function("nginx gzip to Parquet", |b| {
        b.iter_batched(
            || log_gz.clone(),
            |bytes| black_box(ingest_once("access.log.gz", bytes)),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("Scarf CSV to Parquet", |b| {
        b.iter_batched(
            || scarf.clone(),
            |bytes| black_box(ingest_once("scarf.csv", bytes)),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("Scarf CSV gzip to Parquet", |b| {
        b.iter_batched(
            || scarf_gz.clone(),
            |bytes| black_box(ingest_once("scarf.csv.gz", bytes)),
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
