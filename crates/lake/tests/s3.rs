//! The same lake read from a real S3-compatible server (moto) on loopback,
//! with partition pruning proved as on local disk. The server is started by
//! this test: `scripts/test` installs it (set LEADLAKE_MOTO_SERVER to use
//! another `moto_server` binary).

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use datafusion::prelude::SessionContext;
use leadlake_lake::{LakeConfig, register_lake};
use object_store::ObjectStoreExt;
use object_store::path::Path as StorePath;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod common;

use common::{LAST3, count, day_events, day_name};

struct Moto {
    child: Child,
    port: u16,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn moto_binary() -> String {
    if let Ok(b) = std::env::var("LEADLAKE_MOTO_SERVER") {
        return b;
    }
    let venv = std::env::var("HOME")
        .map(|h| format!("{h}/.cache/leadlake-venv/bin/moto_server"))
        .unwrap_or_default();
    if std::path::Path::new(&venv).exists() {
        venv
    } else {
        "moto_server".into()
    }
}

fn start_moto() -> Moto {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let binary = moto_binary();
    let child = Command::new(&binary)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot start {binary} ({e}): run scripts/test, which installs moto")
        });
    let moto = Moto { child, port };
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "moto_server did not start on port {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    moto
}

/// Create a bucket with a plain HTTP PUT (moto accepts unsigned requests).
fn create_bucket(port: u16, bucket: &str) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "PUT /{bucket} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").unwrap();
    let mut reply = String::new();
    s.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
}

fn options(port: u16) -> Vec<(String, String)> {
    [
        ("aws_endpoint", format!("http://127.0.0.1:{port}")),
        ("aws_allow_http", "true".into()),
        ("aws_access_key_id", "testing".into()),
        ("aws_secret_access_key", "testing".into()),
        ("aws_region", "us-east-1".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

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
    assert_eq!(lake.files().len(), 10);
    assert_eq!(lake.layout(), leadlake_lake::layout::Layout::Date);
    assert_eq!(
        count(&ctx, "SELECT count(*) FROM events WHERE kind <> 'none'")
            .await
            .unwrap(),
        1000
    );

    let text = common::explain(&ctx, LAST3).await;
    assert!(
        text.contains("date=2026-01-08") && !text.contains("date=2026-01-07"),
        "{text}"
    );

    // the skipped objects are not read: break them on the server
    for day in 0..7 {
        let key = StorePath::from(format!("events/date={}/part-0.parquet", day_name(day)));
        s3.put(&key, b"PAR1 broken PAR1".to_vec().into())
            .await
            .unwrap();
    }
    assert_eq!(count(&ctx, LAST3).await.unwrap(), 300);
    assert!(
        count(&ctx, "SELECT count(*) FROM events WHERE kind <> 'none'")
            .await
            .is_err()
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
