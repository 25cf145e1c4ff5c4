//! leadlake: turn anonymous open-source usage data into company-level leads,
//! in DataFusion SQL.
//!
//! One call registers every function and table:
//!
//! ```no_run
//! # async fn run() -> Result<(), leadlake::Error> {
//! use datafusion::prelude::SessionContext;
//! let config = leadlake::Config::from_ipdb(["GeoIP2-ISP.mmdb"]);
//! let ctx = SessionContext::new();
//! leadlake::register_all(&ctx, &config)?;
//! ctx.sql("SELECT ip_company('1.128.0.1')").await?.show().await?;
//! # Ok(()) }
//! ```

pub mod demo;
mod error;
mod overrides;

pub use error::Error;
pub use leadlake_ipdb as ipdb;
pub use leadlake_udfs as udfs;

use datafusion::prelude::SessionContext;
use leadlake_ipdb::{IpdbConfig, Resolver};
use leadlake_udfs::AddressTable;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;

/// Everything needed to rebuild leadlake's functions: small and
/// serializable, so a remote executor or another process can rebuild the
/// same functions by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address databases, overrides and cache size.
    pub ipdb: IpdbConfig,
}

impl Config {
    /// A configuration over these `.mmdb` files, defaults for the rest.
    pub fn from_ipdb<P: Into<PathBuf>>(databases: impl IntoIterator<Item = P>) -> Self {
        Self {
            ipdb: IpdbConfig::with_databases(databases),
        }
    }
}

/// Open the resources named by `config` and register every leadlake
/// function and table function in `ctx`.
///
/// # Errors
/// [`Error::Ipdb`] naming the database or override file that cannot be
/// used; [`Error::DataFusion`] if registration fails.
pub fn register_all(ctx: &SessionContext, config: &Config) -> Result<(), Error> {
    let overrides = match &config.ipdb.overrides {
        Some(p) if overrides::is_parquet(p) => Some(overrides::from_parquet(p)?),
        Some(p) => Some(leadlake_ipdb::Overrides::from_csv(p)?),
        None => None,
    };
    let resolver = Arc::new(Resolver::open_with_overrides(
        config.ipdb.clone(),
        overrides,
    )?);
    let table = Arc::new(AddressTable::new(resolver));
    leadlake_udfs::register_all(ctx, &table)?;
    Ok(())
}
