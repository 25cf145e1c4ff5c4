//! The leadlake event lake: one `events` table with one schema over
//! Parquet files on local disk or object storage.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let ctx = datafusion::prelude::SessionContext::new();
//! let lake = leadlake_lake::register_lake(&ctx, &leadlake_lake::LakeConfig::new("s3://bucket/events/")).await?;
//! println!("{} files", lake.files().len());
//! # Ok(()) }
//! ```

mod config;
mod error;
mod files;
pub mod layout;
mod named_reader;
pub mod progress;
pub mod prune;
pub mod schema;
pub mod store;
mod table;

pub use config::{LakeConfig, is_secret as config_is_secret};
pub use error::LakeError;
pub use files::LakeFile;
pub use schema::EVENT_SCHEMA;
pub use table::EventsTable;

use datafusion::prelude::SessionContext;
use std::sync::Arc;

/// The table name a lake is registered under.
pub const EVENTS: &str = "events";

/// Open the lake described by `config`, check every file, and register it
/// as the table `events` in `ctx`.
///
/// # Errors
/// A [`LakeError`] naming the URL, file and column at fault: unsupported
/// URL, nothing to list, a file that is not Parquet (unless
/// `skip_unreadable`), a missing required column, a column of an unusable
/// type, or mixed partition layouts.
pub async fn register_lake(
    ctx: &SessionContext,
    config: &LakeConfig,
) -> Result<Arc<EventsTable>, LakeError> {
    for canonical in config.columns.keys() {
        if !schema::COLUMNS.iter().any(|(c, _)| c == canonical) {
            let known: Vec<&str> = schema::COLUMNS.iter().map(|(c, _)| *c).collect();
            return Err(LakeError::UnknownColumn {
                column: canonical.clone(),
                known: known.join(", "),
            });
        }
    }
    let location = store::locate(&config.url, &config.storage)?;
    ctx.register_object_store(location.store_url.as_ref(), Arc::clone(&location.store));
    let inventory = files::inventory(&location, config, None).await?;
    let table = Arc::new(EventsTable::new(config.clone(), location, inventory));
    ctx.register_table(EVENTS, Arc::clone(&table) as _)
        .map_err(|e| LakeError::List {
            url: config.url.clone(),
            reason: e.to_string(),
        })?;
    Ok(table)
}
