//! How to find and read a lake: small and serializable.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A lake of Parquet event files.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
