//! ip_* functions over real columns: every string flavour a lake holds,
//! many batches, Parquet written and read back, and answers that always
//! equal the uncached resolver's, whatever the cache does.

use crate::support;
use arrow::array::{
    Array, ArrayRef, AsArray, DictionaryArray, LargeStringArray, RecordBatch, StringArray,
    StringViewArray,
};
use arrow::datatypes::{DataType, Field, Int32Type, Schema};
use datafusion::datasource::MemTable;
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};
use leadlake::ipdb::{Resolver, addr::parse_ip};
use std::sync::Arc;

/// Addresses from every MaxMind source file, spelled several ways, plus
/// garbage and NULLs: `n` rows cycling through them.
fn addresses(n: usize) -> Vec<Option<String>> {
    let mut base: Vec<Option<String>> = Vec::new();
    for name in [
        "GeoIP2-ISP-Test",
        "GeoIP2-Enterprise-Test",
        "GeoIP2-Domain-Test",
        "GeoLite2-ASN-Test",
    ] {
        let path = support::maxmind_dir()
            .join("../source-data")
            .join(format!("{name}.json"));
        let list: Vec<serde_json::Map<String, serde_json::Value>> =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for key in list.iter().flat_map(|m| m.keys()) {
            let net: ipnet::IpNet = key.parse().unwrap();
            let ip = leadlake::ipdb::addr::canonical(match net.network() {
                std::net::IpAddr::V6(v6)
                    if net.prefix_len() >= 96 && (u128::from(v6) >> 32) == 0 =>
                {
                    std::net::IpAddr::V4(std::net::Ipv4Addr::from(u128::from(v6) as u32))
                }
                ip => ip,
            });
            base.push(Some(ip.to_string()));
            if let std::net::IpAddr::V4(v4) = ip {
                base.push(Some(v4.to_ipv6_mapped().to_string()));
            }
        }
    }
    base.extend([
        None,
        Some(String::new()),
        Some("not an ip".into()),
        Some("10.0.0.1".into()),
        Some(" 1.128.0.1 ".into()),
    ]);
    (0..n)
        .map(|i| base[(i * 7919) % base.len()].clone())
        .collect()
}

fn column(values: &[Option<String>], t: &DataType) -> ArrayRef {
    let refs: Vec<Option<&str>> = values.iter().map(|v| v.as_deref()).collect();
    match t {
        DataType::Utf8 => Arc::new(StringArray::from(refs)),
        DataType::LargeUtf8 => Arc::new(LargeStringArray::from(refs)),
        DataType::Utf8View => Arc::new(StringViewArray::from(refs)),
        DataType::Dictionary(_, _) => {
            Arc::new(refs.into_iter().collect::<DictionaryArray<Int32Type>>())
        }
        other => panic!("{other}"),
    }
}

async fn ctx_with(
    values: &[Option<String>],
    t: &DataType,
    cache_capacity: usize,
) -> SessionContext {
    let ctx = SessionContext::new_with_config(
        SessionConfig::new()
            .with_target_partitions(2)
            .with_batch_size(512),
    );
    let mut config = support::config();
    config.ipdb.cache_capacity = cache_capacity;
    leadlake::register_all(&ctx, &config).unwrap();
    let schema = Arc::new(Schema::new(vec![Field::new("ip", t.clone(), true)]));
    // several partitions of several batches each
    let parts: Vec<Vec<RecordBatch>> = values
        .chunks(values.len().div_ceil(3))
        .map(|part| {
            part.chunks(700)
                .map(|c| RecordBatch::try_new(Arc::clone(&schema), vec![column(c, t)]).unwrap())
                .collect()
        })
        .collect();
    ctx.register_table(
        "events",
        Arc::new(MemTable::try_new(schema, parts).unwrap()),
    )
    .unwrap();
    ctx
}

/// Rows of (ip, company, company_key, domain, asn, network, network_type, company source).
type Row = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<u32>,
    Option<String>,
    Option<String>,
    Option<String>,
);

async fn enriched(ctx: &SessionContext) -> Vec<Row> {
    let sql = "SELECT arrow_cast(ip, 'Utf8') AS ip, c['company'], c['company_key'], c['domain'], c['asn'], c['network'], c['network_type'], c['source']['company'] \
               FROM (SELECT ip, ip_company(ip) AS c FROM events)";
    let batches = ctx.sql(sql).await.unwrap().collect().await.unwrap();
    let mut rows = Vec::new();
    for b in batches {
        let text = |i: usize| -> Vec<Option<String>> {
            let col = arrow::compute::cast(b.column(i), &DataType::Utf8).unwrap();
            col.as_string::<i32>()
                .iter()
                .map(|v| v.map(String::from))
                .collect()
        };
        let asn = b
            .column(4)
            .as_primitive::<arrow::datatypes::UInt32Type>()
            .clone();
        let cols: Vec<Vec<Option<String>>> = [0, 1, 2, 3, 5, 6, 7].into_iter().map(text).collect();
        for r in 0..b.num_rows() {
            let at = |c: usize| cols[c].get(r).cloned().flatten();
            rows.push((
                at(0),
                at(1),
                at(2),
                at(3),
                asn.is_valid(r).then(|| asn.value(r)),
                at(4),
                at(5),
                at(6),
            ));
        }
    }
    rows
}

fn expected(resolver: &Resolver, ip: Option<&str>) -> Row {
    let Some(a) = ip.and_then(parse_ip).map(|ip| resolver.resolve(ip)) else {
        return (
            ip.map(String::from),
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        );
    };
    let s = |v: &Option<Arc<str>>| v.as_deref().map(String::from);
    (
        ip.map(String::from),
        s(&a.company),
        s(&a.company_key),
        s(&a.domain),
        a.asn,
        a.network.map(|n| n.to_string()),
        Some(a.network_type.to_string()),
        s(&a.sources.company),
    )
}

#[tokio::test]
async fn every_string_flavour_matches_the_uncached_resolver() {
    let resolver = Resolver::open(support::config().ipdb).unwrap();
    let values = addresses(6000);
    let want: Vec<Row> = values
        .iter()
        .map(|v| expected(&resolver, v.as_deref()))
        .collect();
    let mut want_sorted = want.clone();
    want_sorted.sort();
    for t in [
        DataType::Utf8,
        DataType::LargeUtf8,
        DataType::Utf8View,
        DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
    ] {
        // a tiny cache forces the shards to start afresh many times
        for capacity in [1_000_000, 1500] {
            let ctx = ctx_with(&values, &t, capacity).await;
            let mut got = enriched(&ctx).await;
            got.sort();
            assert_eq!(got.len(), want_sorted.len(), "{t}");
            for (g, w) in got.iter().zip(&want_sorted) {
                assert_eq!(g, w, "{t} capacity {capacity}");
            }
        }
    }
    // the data is not trivial: leads, several types and unknowns
    assert!(
        want.iter()
            .filter(|r| r.6.as_deref() == Some("business"))
            .count()
            > 100
    );
    assert!(want.iter().any(|r| r.6.as_deref() == Some("hosting")));
    assert!(want.iter().any(|r| r.6.is_none()));
}

#[tokio::test]
async fn parquet_written_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.parquet");
    let values = addresses(3000);
    let schema = Arc::new(Schema::new(vec![Field::new("ip", DataType::Utf8, true)]));
    let batch =
        RecordBatch::try_new(Arc::clone(&schema), vec![column(&values, &DataType::Utf8)]).unwrap();
    let file = std::fs::File::create(&path).unwrap();
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, schema, None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();

    let ctx = support::context();
    ctx.register_parquet(
        "events",
        path.to_str().unwrap(),
        ParquetReadOptions::default(),
    )
    .await
    .unwrap();
    let sql = "SELECT c['company_key'] AS k, count(*) AS n FROM (SELECT ip_company(ip) AS c FROM events) \
               WHERE c['network_type'] = 'business' GROUP BY k ORDER BY n DESC, k LIMIT 3";
    let batches = ctx.sql(sql).await.unwrap().collect().await.unwrap();
    let resolver = Resolver::open(support::config().ipdb).unwrap();
    let mut counts = std::collections::BTreeMap::<String, i64>::new();
    for v in &values {
        if let Some(a) = v
            .as_deref()
            .and_then(parse_ip)
            .map(|ip| resolver.resolve(ip))
            && a.network_type == leadlake::ipdb::NetworkType::Business
        {
            *counts
                .entry(a.company_key.as_deref().unwrap_or("NULL").to_string())
                .or_default() += 1;
        }
    }
    let mut top: Vec<(String, i64)> = counts.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let got = arrow::util::pretty::pretty_format_batches(&batches)
        .unwrap()
        .to_string();
    for (k, n) in top.iter().take(3) {
        assert!(
            got.contains(&format!("| {k}")) && got.contains(&format!("| {n} ")),
            "{k} {n} missing in\n{got}"
        );
    }
}
