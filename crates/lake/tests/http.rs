//! The same lake read over HTTP from a real WebDAV server (wsgidav) on
//! loopback, with partition pruning proved as on local disk and S3. The
//! server is started by this test: `scripts/test` installs it.
#![expect(clippy::unwrap_used, reason = "a test fails loudly on purpose")]

use datafusion::prelude::SessionContext;
use leadlake_lake::{LakeConfig, register_lake};

mod common;
#[expect(dead_code, reason = "shared by several test crates, each using a part")]
mod moto;

use common::{LAST3, count, day_events, day_name};

#[tokio::test]
async fn a_lake_over_http_is_read_and_pruned() {
    let root = tempfile::tempdir().unwrap();
    let lake = root.path().join("events");
    for day in 0..10 {
        let dir = lake.join(format!("date={}", day_name(day)));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("part-0.parquet"),
            common::parquet_bytes(day_events(day, 100), 1024 * 1024),
        )
        .unwrap();
    }
    let server = moto::start_webdav(root.path());
    let url = format!("http://127.0.0.1:{}/events/", server.port);

    let ctx = SessionContext::new();
    let table = register_lake(&ctx, &LakeConfig::new(&url)).await.unwrap();
    common::check_ten_days(&ctx, &table).await;
    // the skipped files data is not read: break their pages on the server
    for day in 0..7 {
        let file = lake.join(format!("date={}/part-0.parquet", day_name(day)));
        let bytes = std::fs::read(&file).unwrap();
        std::fs::write(&file, common::break_pages(bytes, None)).unwrap();
    }
    assert_eq!(count(&ctx, LAST3).await.unwrap(), 300);
    assert!(
        count(&ctx, "SELECT count(*) FROM events WHERE kind <> 'none'")
            .await
            .is_err()
    );

    // a folder the server does not have: an error naming the lake
    let missing = format!("http://127.0.0.1:{}/nothing-here/", server.port);
    let e = register_lake(&SessionContext::new(), &LakeConfig::new(&missing))
        .await
        .unwrap_err()
        .to_string();
    assert_eq!(e, format!("lake {missing} holds no .parquet files"));
}
