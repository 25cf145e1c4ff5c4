//! The same lake read from the Azure Storage emulator (Azurite) on
//! loopback through an `az://` URL, with partition pruning proved as on
//! local disk, S3 and HTTP. `scripts/test` installs Azurite (npm) and
//! Azure's Python client (to create the container).
#![expect(clippy::unwrap_used, reason = "a test fails loudly on purpose")]

use datafusion::prelude::SessionContext;
use leadlake_lake::{LakeConfig, register_lake};
use object_store::ObjectStoreExt;
use object_store::path::Path as StorePath;

mod common;
#[expect(dead_code, reason = "shared by several test crates, each using a part")]
mod moto;

use common::{LAST3, count, day_events, day_name};

/// Azurite as a plain account at a custom endpoint (the emulator switch
/// of object_store only follows an environment variable).
fn options(port: u16) -> Vec<(String, String)> {
    [
        (
            "azure_storage_account_name",
            moto::AZURITE_ACCOUNT.to_string(),
        ),
        ("azure_storage_account_key", moto::AZURITE_KEY.into()),
        (
            "azure_storage_endpoint",
            format!("http://127.0.0.1:{port}/{}", moto::AZURITE_ACCOUNT),
        ),
        ("allow_http", "true".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

#[tokio::test]
async fn a_lake_on_azure_is_read_and_pruned() {
    let server = moto::start_azurite();
    moto::create_container(server.port, "lake");
    let mut builder = object_store::azure::MicrosoftAzureBuilder::new().with_container_name("lake");
    for (k, v) in options(server.port) {
        builder = builder.with_config(k.parse().unwrap(), v);
    }
    let az = builder.build().unwrap();
    for day in 0..10 {
        let key = StorePath::from(format!("events/date={}/part-0.parquet", day_name(day)));
        let bytes = common::parquet_bytes(day_events(day, 100), 1024 * 1024);
        az.put(&key, bytes.into()).await.unwrap();
    }
    let mut config = LakeConfig::new("az://lake/events/");
    config.storage.extend(options(server.port));
    let ctx = SessionContext::new();
    let table = register_lake(&ctx, &config).await.unwrap();
    common::check_ten_days(&ctx, &table).await;
    // the skipped blobs data is not read: break their pages on the server
    for day in 0..7 {
        let key = StorePath::from(format!("events/date={}/part-0.parquet", day_name(day)));
        let bytes = common::parquet_bytes(day_events(day, 100), 1024 * 1024);
        az.put(&key, common::break_pages(bytes, None).into())
            .await
            .unwrap();
    }
    assert_eq!(count(&ctx, LAST3).await.unwrap(), 300);
}
