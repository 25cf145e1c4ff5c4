//! Address intelligence for leadlake, in plain Rust (no DataFusion).
//!
//! Open MaxMind-format databases and an optional override file from an
//! [`IpdbConfig`], then ask a [`Resolver`] who is behind an address:
//!
//! ```no_run
//! use leadlake_ipdb::{IpdbConfig, Resolver};
//! let resolver = Resolver::open(IpdbConfig::with_databases(["GeoIP2-ISP.mmdb"]))?;
//! let answer = resolver.resolve("1.128.0.1".parse().unwrap());
//! println!("{:?} {:?} {}", answer.company, answer.asn, answer.network_type);
//! # Ok::<(), leadlake_ipdb::IpdbError>(())
//! ```

pub mod access;
pub mod addr;
mod cache;
pub mod company;
mod config;
mod database;
mod error;
mod evidence;
mod kind;
mod lenient;
pub mod network_type;
pub mod overrides;
mod record;
mod resolution;
mod resolver;
pub mod spread;
mod tree;

pub use company::company_key;
pub use config::{CACHE_CAPACITY_RANGE, DEFAULT_CACHE_CAPACITY, IpdbConfig};
pub use database::Database;
pub use error::{IpdbError, Result};
pub use evidence::Evidence;
pub use kind::DbKind;
pub use network_type::NetworkType;
pub use overrides::{OverrideEntry, OverrideRow, Overrides};
pub use record::{DatabaseRecord, Ownership};
pub use resolution::{Resolution, ResolutionRef, Sources};
pub use resolver::{BatchResolver, FastHash, Origin, Resolver};
