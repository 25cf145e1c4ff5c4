//! How to find and read a lake: small and serializable.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A lake of Parquet event files. Its `Debug` output hides storage option
/// values that look secret.
#[derive(Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LakeConfig {
    /// Where the lake is: a local path, `file://`, `s3://bucket/prefix`,
    /// `gs://`, `az://` / `abfss://`, or `http(s)://`.
    pub url: String,
    /// Canonical column name -> the name the files use (`ts = "timestamp"`).
    pub columns: BTreeMap<String, String>,
    /// Skip unreadable or truncated Parquet files (counted and reported)
    /// instead of failing. Off by default: nothing is dropped silently.
    pub skip_unreadable: bool,
    /// Object-store options (`aws_endpoint`, `aws_region`,
    /// `google_service_account`, `azure_storage_account_name`, ...: the
    /// `object_store` configuration keys), applied over the standard
    /// environment variables. Prefer the environment for secrets.
    pub storage: BTreeMap<String, String>,
}

/// Does an option name look like it holds a secret?
pub fn is_secret(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    [
        "secret",
        "key",
        "token",
        "password",
        "credential",
        "sas",
        "signature",
    ]
    .iter()
    .any(|w| k.contains(w))
        && !k.ends_with("key_id")
}

impl std::fmt::Debug for LakeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let storage: BTreeMap<&str, &str> = self
            .storage
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str(),
                    if is_secret(k) {
                        "<redacted>"
                    } else {
                        v.as_str()
                    },
                )
            })
            .collect();
        f.debug_struct("LakeConfig")
            .field("url", &self.url)
            .field("columns", &self.columns)
            .field("skip_unreadable", &self.skip_unreadable)
            .field("storage", &storage)
            .finish()
    }
}

impl LakeConfig {
    /// A lake at `url`, with default options.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            ..Self::default()
        }
    }

    /// The name files use for canonical column `name`.
    pub fn physical<'a>(&'a self, name: &'a str) -> &'a str {
        self.columns.get(name).map_or(name, String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secrets() {
        let mut c = LakeConfig::new("s3://b/");
        for (k, v) in [
            ("aws_secret_access_key", "SECRET1"),
            ("aws_session_token", "SECRET2"),
            ("azure_storage_account_key", "SECRET3"),
            ("aws_access_key_id", "AKIDPUBLIC"),
            ("aws_region", "eu-west-1"),
        ] {
            c.storage.insert(k.into(), v.into());
        }
        let shown = format!("{c:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(
            shown.contains("eu-west-1") && shown.contains("AKIDPUBLIC"),
            "{shown}"
        );
    }
}
