//! The small, serializable description from which a resolver is built, so
//! another process (or a remote executor) can rebuild the same functions.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Default number of addresses whose answers are kept across batches, per
/// core: 2^18. On the generated 10 M- and 100 M-event lakes (1.8 M and more
/// distinct addresses, most seen on one day) a table four times larger
/// answered no faster and held 120-145 MB more (BENCHMARKS.md, `run --all`).
pub const DEFAULT_CACHE_CAPACITY: usize = 1 << 18;

/// The values `cache_capacity` may take in a configuration file; a value
/// set in code is held inside it.
pub const CACHE_CAPACITY_RANGE: std::ops::RangeInclusive<usize> = 1024..=1 << 28;

/// `cache_capacity` from a file: inside [`CACHE_CAPACITY_RANGE`], or an
/// error that says the range.
fn cache_capacity<'de, D: serde::Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    let n = i128::deserialize(d)?;
    usize::try_from(n)
        .ok()
        .filter(|n| CACHE_CAPACITY_RANGE.contains(n))
        .ok_or_else(|| {
            serde::de::Error::custom(format!(
                "cache_capacity must be between {} and {}, got {n}",
                CACHE_CAPACITY_RANGE.start(),
                CACHE_CAPACITY_RANGE.end()
            ))
        })
}

/// Which address databases to open and how to use them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IpdbConfig {
    /// `.mmdb` files, in any order: their kind decides their precedence.
    pub databases: Vec<PathBuf>,
    /// Optional override file (see [`crate::Overrides`]): CSV here; the
    /// `leadlake` facade also reads Parquet (`.parquet`).
    pub overrides: Option<PathBuf>,
    /// AS numbers to treat as cloud/CI in addition to the built-in list.
    pub extra_hosting_asns: Vec<u32>,
    /// AS numbers of access providers (residential, mobile) in addition to
    /// the built-in list: an own network on one of them is `isp`.
    pub extra_isp_asns: Vec<u32>,
    /// AS numbers that are companies' own networks whatever their names or
    /// the built-in access list say: `business`.
    pub extra_business_asns: Vec<u32>,
    /// Addresses whose answers are cached across batches (bounded memory).
    #[serde(deserialize_with = "cache_capacity")]
    pub cache_capacity: usize,
}

impl Default for IpdbConfig {
    fn default() -> Self {
        Self {
            databases: Vec::new(),
            overrides: None,
            extra_hosting_asns: Vec::new(),
            extra_isp_asns: Vec::new(),
            extra_business_asns: Vec::new(),
            cache_capacity: DEFAULT_CACHE_CAPACITY,
        }
    }
}

impl IpdbConfig {
    /// A configuration over these databases, with defaults for the rest.
    pub fn with_databases<P: Into<PathBuf>>(paths: impl IntoIterator<Item = P>) -> Self {
        Self {
            databases: paths.into_iter().map(Into::into).collect(),
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 22, item 24: a `cache_capacity` outside its documented range
    /// is an error that says the range, not a value silently changed.
    #[test]
    fn cache_capacity_outside_its_range_is_refused() {
        let parse =
            |v: &str| serde_json::from_str::<IpdbConfig>(&format!(r#"{{"cache_capacity": {v}}}"#));
        assert_eq!(parse("4096").map(|c| c.cache_capacity).ok(), Some(4096));
        for bad in ["0", "1023", "268435457", "-5"] {
            let e = parse(bad)
                .map(|c| c.cache_capacity)
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("cache_capacity must be between 1024 and 268435456"),
                "{bad}: {e}"
            );
        }
    }
}
