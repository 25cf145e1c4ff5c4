//! ip_company throughput, and the lookup path against the `maxminddb`
//! crate's own lookup+decode loop, measured in the same run.
//!
//! Data: a GeoIP2-ISP-style database written here (50,000 /24 networks of
//! 5,000 companies, their ISPs and ASNs), 100,000 distinct addresses in it,
//! and a 10,000,000-row Utf8 column drawn from them (8,192-row batches).
//! Everything runs on one thread, so figures are per core.
//!
//! `cargo bench --bench ip_company`
#![expect(
    clippy::expect_used,
    reason = "a bench that cannot set up stops loudly"
)]

use arrow::array::{ArrayRef, StringArray};
use arrow::datatypes::{DataType, Field};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use datafusion::config::ConfigOptions;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF};
use leadlake::ipdb::{IpdbConfig, Resolver};
use leadlake::udfs::AddressTable;
use mmdb_writer::{Value, Writer};
use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant, UNIX_EPOCH};

const NETWORKS: u32 = 50_000;
const COMPANIES: u32 = 5_000;
const DISTINCT: usize = 100_000;
const ROWS: usize = 10_000_000;
const BATCH: usize = 8192;

/// splitmix64: deterministic, dependency-free.
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

fn network(i: u32) -> Ipv4Addr {
    // spread over 11.0.0.0 - 60.255.255.0, one distinct /24 each
    let slot = (u64::from(i) * 4099) % (50 << 16);
    Ipv4Addr::from(0x0B00_0000 + (slot as u32) * 256)
}

fn write_db(path: &Path) {
    let mut w = Writer::builder("GeoIP2-ISP")
        .build_epoch(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
        .build();
    for i in 0..NETWORKS {
        let c = i % COMPANIES;
        let record = Value::map([
            ("organization", Value::from(format!("Company {c} Inc."))),
            ("isp", Value::from(format!("Carrier {}", c % 50))),
            ("autonomous_system_number", Value::U32(64_512 + c % 1000)),
            (
                "autonomous_system_organization",
                Value::from(format!("CARRIER-{}", c % 50)),
            ),
        ]);
        let net = ipnet::Ipv4Net::new(network(i), 24).expect("valid /24");
        w.insert_value(ipnet::IpNet::V4(net), record)
            .expect("insert");
    }
    std::fs::write(path, w.to_bytes().expect("encode")).expect("write db");
}

fn addresses() -> Vec<IpAddr> {
    let mut rng = Rng(42);
    (0..DISTINCT)
        .map(|i| {
            let net = u32::from(network((i as u32) % NETWORKS));
            IpAddr::V4(Ipv4Addr::from(net + 1 + (rng.next() % 250) as u32))
        })
        .collect()
}

fn batches(distinct: &[IpAddr]) -> Vec<ArrayRef> {
    let texts: Vec<String> = distinct.iter().map(ToString::to_string).collect();
    let mut rng = Rng(7);
    (0..ROWS.div_ceil(BATCH))
        .map(|b| {
            let n = BATCH.min(ROWS - b * BATCH);
            let col: StringArray = (0..n)
                .map(|_| Some(texts[(rng.next() % DISTINCT as u64) as usize].as_str()))
                .collect();
            Arc::new(col) as ArrayRef
        })
        .collect()
}

/// The distinct addresses as ip_company meets them: text columns of
/// 8,192 rows.
fn text_batches(distinct: &[IpAddr]) -> Vec<ArrayRef> {
    distinct
        .chunks(BATCH)
        .map(|c| {
            Arc::new(
                c.iter()
                    .map(|ip| Some(ip.to_string()))
                    .collect::<StringArray>(),
            ) as ArrayRef
        })
        .collect()
}

fn invoke(
    udf: &ScalarUDF,
    array: &ArrayRef,
    return_field: &Arc<Field>,
    config: &Arc<ConfigOptions>,
) -> ColumnarValue {
    udf.invoke_with_args(ScalarFunctionArgs {
        args: vec![ColumnarValue::Array(Arc::clone(array))],
        arg_fields: vec![Arc::new(Field::new("ip", DataType::Utf8, true))],
        number_rows: array.len(),
        return_field: Arc::clone(return_field),
        config_options: Arc::clone(config),
    })
    .expect("ip_company runs")
}

/// The unseen-address path against the peer, rounds alternating between
/// the two so that the machine's slow and fast phases hit both alike;
/// prints the median of the per-round ratios (this VM's speed drifts by
/// tens of percent between criterion groups run minutes apart).
fn unseen_against_peer(db: &Path, distinct: &[IpAddr], config: &Arc<ConfigOptions>) {
    const ROUNDS: usize = 21;
    // the same addresses as ip_company meets them: text columns of 8,192 rows
    let texts = text_batches(distinct);
    let mut udf_ratios = Vec::with_capacity(ROUNDS);
    let mut udf_best = f64::MAX;
    let reader = maxminddb::Reader::open_readfile(db).expect("open");
    let mut ratios = Vec::with_capacity(ROUNDS);
    let mut batched_ratios = Vec::with_capacity(ROUNDS);
    let (mut peer_best, mut ours_best, mut batched_best) = (f64::MAX, f64::MAX, f64::MAX);
    for _ in 0..ROUNDS {
        let start = Instant::now();
        for ip in distinct {
            let r = reader.lookup(*ip).expect("lookup");
            black_box(r.decode::<maxminddb::geoip2::Isp>().expect("decode"));
        }
        let peer = start.elapsed().as_secs_f64();
        let fresh = Resolver::open(IpdbConfig::with_databases([db])).expect("open");
        let start = Instant::now();
        {
            let mut batch = fresh.batch();
            for ip in distinct {
                black_box(batch.resolve_fresh_ref(*ip));
            }
        }
        let ours = start.elapsed().as_secs_f64();
        drop(fresh);
        // as ip_company resolves the unseen addresses of each batch
        let fresh = Resolver::open(IpdbConfig::with_databases([db])).expect("open");
        let start = Instant::now();
        {
            let mut batch = fresh.batch();
            for chunk in distinct.chunks(BATCH) {
                batch.resolve_many_fresh(chunk, |_, _, r| {
                    black_box(r);
                });
            }
        }
        let batched = start.elapsed().as_secs_f64();
        drop(fresh);
        // ip_company itself, over a cache that has seen none of them
        let fresh = Arc::new(Resolver::open(IpdbConfig::with_databases([db])).expect("open"));
        let table = Arc::new(AddressTable::new(fresh));
        let udf = leadlake::udfs::ip_company_udf(&table);
        let field = Arc::new(Field::new(
            "c",
            udf.return_type(&[DataType::Utf8]).expect("type"),
            true,
        ));
        let start = Instant::now();
        for a in &texts {
            black_box(invoke(&udf, a, &field, config));
        }
        let cold = start.elapsed().as_secs_f64();
        drop((udf, table));
        udf_ratios.push(peer / cold);
        udf_best = udf_best.min(cold);
        ratios.push(peer / ours);
        batched_ratios.push(peer / batched);
        peer_best = peer_best.min(peer);
        ours_best = ours_best.min(ours);
        batched_best = batched_best.min(batched);
    }
    ratios.sort_by(f64::total_cmp);
    batched_ratios.sort_by(f64::total_cmp);
    udf_ratios.sort_by(f64::total_cmp);
    eprintln!(
        "unseen addresses against maxminddb lookup+decode, {ROUNDS} alternating rounds of {}: \
         median speed ratio {:.2}x one by one, {:.2}x batched \
         (best times: peer {:.1} ms, ours {:.1} ms one by one, {:.1} ms batched)",
        distinct.len(),
        ratios[ROUNDS / 2],
        batched_ratios[ROUNDS / 2],
        peer_best * 1e3,
        ours_best * 1e3,
        batched_best * 1e3
    );
    eprintln!(
        "ip_company over the same addresses as text, none cached: median speed ratio {:.2}x \
         the peer (best time {:.1} ms)",
        udf_ratios[ROUNDS / 2],
        udf_best * 1e3
    );
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("isp.mmdb");
    write_db(&db);
    let distinct = addresses();
    let columns = batches(&distinct);
    let config = Arc::new(ConfigOptions::default());

    let resolver = Arc::new(Resolver::open(IpdbConfig::with_databases([&db])).expect("open"));
    let table = Arc::new(AddressTable::new(Arc::clone(&resolver)));
    let udf = leadlake::udfs::ip_company_udf(&table);
    let return_field = Arc::new(Field::new(
        "c",
        udf.return_type(&[DataType::Utf8]).expect("type"),
        true,
    ));

    let mut g = c.benchmark_group("ip_company_10M_rows");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .throughput(Throughput::Elements(ROWS as u64));
    // warm the cache once, then measure
    for a in &columns {
        black_box(invoke(&udf, a, &return_field, &config));
    }
    g.bench_function("ip_company_warm_cache", |b| {
        b.iter(|| {
            for a in &columns {
                black_box(invoke(&udf, a, &return_field, &config));
            }
        })
    });
    // peer: the simplest string kernel over the same batches
    g.bench_function("peer_arrow_length", |b| {
        b.iter(|| {
            for a in &columns {
                black_box(arrow::compute::kernels::length::length(a).expect("length"));
            }
        })
    });
    g.finish();

    unseen_against_peer(&db, &distinct, &config);

    let mut g = c.benchmark_group("lookup_100k_distinct");
    g.sample_size(20)
        .throughput(Throughput::Elements(DISTINCT as u64));
    // peer: maxminddb's own lookup + decode into its ISP struct
    let reader = maxminddb::Reader::open_readfile(&db).expect("open");
    g.bench_function(
        BenchmarkId::new("peer_maxminddb_lookup_decode", DISTINCT),
        |b| {
            b.iter(|| {
                for ip in &distinct {
                    let r = reader.lookup(*ip).expect("lookup");
                    black_box(r.decode::<maxminddb::geoip2::Isp>().expect("decode"));
                }
            })
        },
    );
    // ours, no cache at all: lookup, decode and combine per address
    g.bench_function(BenchmarkId::new("resolve_uncached", DISTINCT), |b| {
        b.iter(|| {
            for ip in &distinct {
                black_box(resolver.resolve(*ip));
            }
        })
    });
    // ours, as ip_company resolves an address it has not seen: a fresh
    // resolver each round (nothing cached), no answer cache; records shared
    // by many networks decode once. The resolver is returned so that
    // dropping its caches is not timed.
    g.bench_function(BenchmarkId::new("resolve_unseen_address", DISTINCT), |b| {
        b.iter_batched(
            || Resolver::open(IpdbConfig::with_databases([&db])).expect("open"),
            |fresh| {
                {
                    let mut batch = fresh.batch();
                    for ip in &distinct {
                        black_box(batch.resolve_fresh_ref(*ip));
                    }
                }
                fresh
            },
            criterion::BatchSize::PerIteration,
        )
    });
    // the same, the unseen addresses of each 8,192-row batch resolved
    // together (their tree walks interleaved), as ip_company does
    g.bench_function(BenchmarkId::new("resolve_unseen_batched", DISTINCT), |b| {
        b.iter_batched(
            || Resolver::open(IpdbConfig::with_databases([&db])).expect("open"),
            |fresh| {
                {
                    let mut batch = fresh.batch();
                    for chunk in distinct.chunks(BATCH) {
                        batch.resolve_many_fresh(chunk, |_, _, r| {
                            black_box(r);
                        });
                    }
                }
                fresh
            },
            criterion::BatchSize::PerIteration,
        )
    });
    // ip_company itself over text columns of the same addresses, with a
    // table that has seen none of them
    let texts = text_batches(&distinct);
    g.bench_function(
        BenchmarkId::new("ip_company_unseen_addresses", DISTINCT),
        |b| {
            b.iter_batched(
                || {
                    let fresh = Resolver::open(IpdbConfig::with_databases([&db])).expect("open");
                    let table = Arc::new(AddressTable::new(Arc::new(fresh)));
                    (leadlake::udfs::ip_company_udf(&table), table)
                },
                |(udf, table)| {
                    for a in &texts {
                        black_box(invoke(&udf, a, &return_field, &config));
                    }
                    (udf, table)
                },
                criterion::BatchSize::PerIteration,
            )
        },
    );
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
