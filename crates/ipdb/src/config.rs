//! The small, serializable description from which a resolver is built, so
//! another process (or a remote executor) can rebuild the same functions.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Default number of addresses whose answers are kept across batches.
pub const DEFAULT_CACHE_CAPACITY: usize = 1_000_000;

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
