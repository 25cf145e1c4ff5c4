//! Lake URLs to object stores. Credentials and endpoints come from the
//! standard environment variables (`AWS_*`, `GOOGLE_*`, `AZURE_*`), never
//! from the URL, and are never printed.

use crate::error::LakeError;
use datafusion::execution::object_store::ObjectStoreUrl;
use object_store::ObjectStore;
use object_store::path::Path as StorePath;
use std::sync::Arc;
use url::Url;

/// Where a lake lives: the store, its URL for DataFusion, and the prefix.
#[derive(Debug, Clone)]
pub struct Location {
    pub store: Arc<dyn ObjectStore>,
    pub store_url: ObjectStoreUrl,
    pub prefix: StorePath,
    /// The URL as given, for messages (it carries no secrets).
    pub display: String,
}

impl Location {
    /// A file of the store as a user would write it: an absolute path for
    /// local files, else the store's URL and the object's key.
    pub fn file_label(&self, location: &StorePath) -> String {
        if self.store_url.as_str().starts_with("file:") {
            format!("/{location}")
        } else {
            format!("{}{location}", self.store_url.as_str())
        }
    }
}

fn bad(url: &str, reason: impl std::fmt::Display) -> LakeError {
    LakeError::Url {
        url: url.to_string(),
        reason: reason.to_string(),
    }
}

fn unknown_option(url: &str, key: &str) -> LakeError {
    bad(
        url,
        format!("unknown storage option '{key}' for this kind of store"),
    )
}

/// Every endpoint the store would be built with (the environment's and
/// the options'), checked as URLs first: `object_store` panics on some
/// it cannot use (a port past 65535).
fn check_endpoints(
    url: &str,
    options: &std::collections::BTreeMap<String, String>,
) -> Result<(), LakeError> {
    let from_env = ["AWS_ENDPOINT_URL", "AWS_ENDPOINT", "AZURE_STORAGE_ENDPOINT"]
        .into_iter()
        .filter_map(|k| std::env::var(k).ok().map(|v| (k.to_string(), v)));
    let from_options = options
        .iter()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            k.contains("endpoint") || k.ends_with("_url") || k == "url"
        })
        .map(|(k, v)| (k.clone(), v.clone()));
    for (key, value) in from_env.chain(from_options) {
        let ok = Url::parse(&value).map_err(|e| e.to_string()).and_then(|u| {
            match (u.scheme(), u.host_str()) {
                ("http" | "https", Some(h)) if !h.is_empty() => Ok(()),
                _ => Err("expected http(s)://host[:port]".into()),
            }
        });
        if let Err(reason) = ok {
            return Err(bad(
                url,
                format!("endpoint {key} = '{value}' is not usable: {reason}"),
            ));
        }
    }
    Ok(())
}

/// Resolve a lake URL or local path, with object-store `options` applied
/// over the environment.
///
/// # Errors
/// [`LakeError::Url`] for an unparsable URL, an unsupported scheme or a
/// store that cannot be configured from the environment.
pub fn locate(
    url: &str,
    options: &std::collections::BTreeMap<String, String>,
) -> Result<Location, LakeError> {
    let parsed = match Url::parse(url) {
        Ok(u) if u.scheme().len() > 1 => u,
        // looks like a URL but is not one (a port past 65535, ...)
        Err(e) if url.contains("://") => return Err(bad(url, e)),
        // a local path (also Windows-like "C:" drive letters)
        _ => {
            let path = std::path::absolute(url).map_err(|e| bad(url, e))?;
            Url::from_directory_path(&path).map_err(|()| bad(url, "not an absolute path"))?
        }
    };
    let display = url.to_string();
    let err = |e: object_store::Error| bad(url, e);
    let prefix = StorePath::from_url_path(parsed.path()).map_err(|e| bad(url, e))?;
    let host = parsed.host_str().unwrap_or_default().to_string();
    if matches!(
        parsed.scheme(),
        "s3" | "s3a" | "gs" | "az" | "azure" | "abfs" | "abfss"
    ) && host.is_empty()
    {
        // without one, the client goes looking for credentials (even at
        // the cloud metadata address) before it fails
        return Err(bad(url, "no bucket (or container) in the URL"));
    }
    check_endpoints(url, options)?;
    let (store, store_url): (Arc<dyn ObjectStore>, String) = match parsed.scheme() {
        "file" => {
            // without the trailing slash a folder URL carries ("x.parquet/"
            // is not a file to the system)
            let path = parsed
                .to_file_path()
                .ok()
                .map(|p| p.components().collect::<std::path::PathBuf>());
            let reason = match path.as_deref().map(std::fs::metadata) {
                Some(Ok(m)) if m.is_dir() => None,
                Some(Ok(_)) => {
                    Some("is a file; a lake is a folder (of .parquet files or date= folders)")
                }
                _ => Some("no such folder"),
            };
            if let Some(reason) = reason {
                return Err(LakeError::List {
                    url: url.to_string(),
                    reason: reason.into(),
                });
            }
            (
                Arc::new(object_store::local::LocalFileSystem::new()),
                "file://".into(),
            )
        }
        "s3" | "s3a" => {
            let mut b = object_store::aws::AmazonS3Builder::from_env().with_bucket_name(&host);
            let endpoint =
                std::env::var("AWS_ENDPOINT_URL").or_else(|_| std::env::var("AWS_ENDPOINT"));
            if let Ok(e) = endpoint {
                b = b
                    .with_endpoint(&e)
                    .with_allow_http(e.starts_with("http://"));
            }
            for (k, v) in options {
                b = b.with_config(k.parse().map_err(|_| unknown_option(url, k))?, v);
            }
            (Arc::new(b.build().map_err(err)?), format!("s3://{host}"))
        }
        "gs" => {
            let mut b =
                object_store::gcp::GoogleCloudStorageBuilder::from_env().with_bucket_name(&host);
            for (k, v) in options {
                b = b.with_config(k.parse().map_err(|_| unknown_option(url, k))?, v);
            }
            (Arc::new(b.build().map_err(err)?), format!("gs://{host}"))
        }
        "az" | "azure" | "abfs" | "abfss" => {
            let mut b = object_store::azure::MicrosoftAzureBuilder::from_env().with_url(url);
            for (k, v) in options {
                b = b.with_config(k.parse().map_err(|_| unknown_option(url, k))?, v);
            }
            (
                Arc::new(b.build().map_err(err)?),
                format!("{}://{}", parsed.scheme(), parsed.authority()),
            )
        }
        "http" | "https" => {
            let base = format!("{}://{}", parsed.scheme(), parsed.authority());
            let mut b = object_store::http::HttpBuilder::new().with_url(&base);
            if parsed.scheme() == "http" {
                // the URL asks for plain HTTP: allow it
                b = b.with_client_options(object_store::ClientOptions::new().with_allow_http(true));
            }
            for (k, v) in options {
                b = b.with_config(k.parse().map_err(|_| unknown_option(url, k))?, v);
            }
            (Arc::new(b.build().map_err(err)?), base)
        }
        other => {
            return Err(bad(
                url,
                format!(
                    "unsupported scheme '{other}' (use a path, file://, s3://, gs://, az://, abfss:// or http(s)://)"
                ),
            ));
        }
    };
    let store_url = ObjectStoreUrl::parse(&store_url).map_err(|e| bad(url, e))?;
    Ok(Location {
        store,
        store_url,
        prefix,
        display,
    })
}
