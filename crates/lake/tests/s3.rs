//! The same lake read from a real S3-compatible server (moto) on loopback,
//! with partition pruning proved as on local disk. The server is started by
//! this test: `scripts/test` installs it (set LEADLAKE_MOTO_SERVER to use
//! another `moto_server` binary).

#![expect(clippy::unwrap_used, reason = "a test fails loudly on purpose")]

use datafusion::prelude::SessionContext;
use leadlake_lake::{LakeConfig, register_lake};
use object_store::ObjectStoreExt;
use object_store::path::Path as StorePath;

mod common;
#[expect(dead_code, reason = "shared by several test crates, each using a part")]
mod moto;

use moto::{create_bucket, options, start_moto};

use common::{LAST3, count, day_events, day_name};

fn parquet_day(day: i64, n: usize) -> Vec<u8> {
    common::parquet_bytes(day_events(day, n), 1024 * 1024)
}

#[tokio::test]
async fn a_lake_on_s3_is_read_and_pruned() {
    let moto = start_moto();
    create_bucket(moto.port, "leads");
    let mut builder = object_store::aws::AmazonS3Builder::new().with_bucket_name("leads");
    for (k, v) in options(moto.port) {
        builder = builder.with_config(k.parse().unwrap(), v);
    }
    let s3 = builder.build().unwrap();
    for day in 0..10 {
        let key = StorePath::from(format!("events/date={}/part-0.parquet", day_name(day)));
        s3.put(&key, parquet_day(day, 100).into()).await.unwrap();
    }

    let mut config = LakeConfig::new("s3://leads/events/");
    config.storage.extend(options(moto.port));
    let ctx = SessionContext::new();
    let lake = register_lake(&ctx, &config).await.unwrap();
    common::check_ten_days(&ctx, &lake).await;

    // the skipped objects data is not read: break their pages on the server
    for day in 0..7 {
        let key = StorePath::from(format!("events/date={}/part-0.parquet", day_name(day)));
        s3.put(
            &key,
            common::break_pages(parquet_day(day, 100), None).into(),
        )
        .await
        .unwrap();
    }
    assert_eq!(count(&ctx, LAST3).await.unwrap(), 300);
    assert!(
        count(&ctx, "SELECT count(*) FROM events WHERE kind <> 'none'")
            .await
            .is_err()
    );
    // a day added on the server is seen by the next query; a footer
    // broken there is named by its URL
    let key = StorePath::from("events/date=2026-01-11/part-0.parquet");
    s3.put(&key, parquet_day(10, 100).into()).await.unwrap();
    let since = "SELECT count(ip) FROM events WHERE ts >= TIMESTAMP '2026-01-08T00:00:00Z'";
    assert_eq!(count(&ctx, since).await.unwrap(), 400);
    s3.put(&key, b"PAR1 broken PAR1".to_vec().into())
        .await
        .unwrap();
    let e = count(&ctx, since).await.unwrap_err().to_string();
    assert!(
        e.contains("s3://leads/events/date=2026-01-11/part-0.parquet: not a readable Parquet file"),
        "{e}"
    );

    // errors name the lake
    let mut missing = LakeConfig::new("s3://no-such-bucket/events/");
    missing.storage.extend(options(moto.port));
    let e = register_lake(&SessionContext::new(), &missing)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("cannot list lake s3://no-such-bucket/events/: "),
        "{e}"
    );
    let mut typo = LakeConfig::new("s3://leads/events/");
    typo.storage.insert("aws_endpint".into(), "x".into());
    let e = register_lake(&SessionContext::new(), &typo)
        .await
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "invalid lake URL 's3://leads/events/': unknown storage option 'aws_endpint' for this kind of store"
    );
    // secrets never show in the configuration's debug output
    assert!(
        !format!("{config:?}").contains("testing\", \"aws_secret"),
        "{config:?}"
    );
}
