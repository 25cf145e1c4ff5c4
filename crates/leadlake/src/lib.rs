//! leadlake: turn anonymous open-source usage data into company-level leads,
//! in DataFusion SQL.
//!
//! One call registers every function and table:
//!
//! ```no_run
//! # async fn run() -> Result<(), leadlake::Error> {
//! use datafusion::prelude::SessionContext;
//! let config = leadlake::Config::from_ipdb(["GeoIP2-ISP.mmdb"]);
//! let ctx = SessionContext::new_with_config(leadlake::session_config());
//! leadlake::register_all(&ctx, &config)?;
//! ctx.sql("SELECT ip_company('1.128.0.1')").await?.show().await?;
//! # Ok(()) }
//! ```

mod company_events;
mod error;
mod ingest_store;
mod journeys;
mod overrides;
pub mod queries;
mod run_config;

#[cfg(feature = "cluster")]
pub mod cluster;
#[cfg(feature = "cluster")]
pub use cluster::cluster_session;

pub use company_events::{COMPANY_EVENTS, register_company_events};
pub use ingest_store::{ObjectStoreSink, Output as IngestOutput, ingest_into};
pub use journeys::{
    DEFAULT_PERIOD_DAYS, JOURNEYS, JOURNEYS_SQL, JourneysAt, MAX_PERIOD_DAYS, journeys_frame,
    register_computed_journeys, register_journeys,
};
pub use leadlake_ingest as ingest;

pub use error::Error;
pub use leadlake_funnel as funnel;
pub use leadlake_ipdb as ipdb;
pub use leadlake_lake as lake;
pub use leadlake_lake::{LakeConfig, register_lake};
pub use leadlake_udfs as udfs;
pub use run_config::{RunConfig, parse_memory_size};

use datafusion::prelude::SessionContext;
use leadlake_ipdb::{IpdbConfig, Resolver};
use leadlake_udfs::AddressTable;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;

/// Everything needed to rebuild leadlake's functions: small and
/// serializable, so a remote executor or another process can rebuild the
/// same functions by name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address databases, overrides and cache size.
    pub ipdb: IpdbConfig,
    /// The event lake registered as `events`, if any.
    pub lake: Option<LakeConfig>,
    /// Journey rules: sessions, page classes, tiers, stages, actions and
    /// score weights (defaults from `docs/funnel.md`).
    pub funnel: leadlake_funnel::FunnelConfig,
    /// `leadlake ingest`: how raw exports and logs become lake rows
    /// (`docs/ingest.md`).
    pub ingest: leadlake_ingest::IngestConfig,
    /// Memory limit, spill folder and threads of a session.
    pub run: RunConfig,
}

impl Config {
    /// A configuration over these `.mmdb` files, defaults for the rest.
    pub fn from_ipdb<P: Into<PathBuf>>(databases: impl IntoIterator<Item = P>) -> Self {
        Self {
            ipdb: IpdbConfig::with_databases(databases),
            ..Self::default()
        }
    }

    /// Read a TOML configuration file (`leadlake.toml`):
    ///
    /// ```toml
    /// [ipdb]
    /// databases = ["GeoIP2-ISP.mmdb"]
    /// overrides = "ranges.csv"
    ///
    /// [lake]
    /// url = "s3://bucket/events/"
    /// columns = { ts = "timestamp" }
    /// ```
    ///
    /// Relative paths are taken as they are (relative to the working folder).
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read, [`Error::Config`] naming
    /// the key at fault.
    pub fn from_toml_file(path: &std::path::Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            context: format!("reading {}", path.display()),
            source,
        })?;
        toml::from_str(&text).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            reason: e.message().to_string(),
            key: e.span().map(|s| {
                // the whole line names the key as well as the value
                let start = text[..s.start].rfind('\n').map_or(0, |i| i + 1);
                let end = text[s.start..]
                    .find('\n')
                    .map_or(text.len(), |i| s.start + i);
                let line = text[..s.start].matches('\n').count() + 1;
                format!("line {line}: {}", redact_line(text[start..end].trim()))
            }),
        })
    }
}

/// A configuration line as it may be shown in an error: the value of a key
/// that looks secret (`aws_secret_access_key = "..."`, also inside an
/// inline table) is replaced by `<redacted>`.
fn redact_line(line: &str) -> String {
    let secret = |k: &str| leadlake_lake::config_is_secret(k.trim().trim_matches('"'));
    match line.split_once('=') {
        Some((key, _)) if secret(key) => format!("{}= <redacted>", key),
        // an inline table or anything else naming a secret key: hide it all
        _ if line
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .any(secret) =>
        {
            "<a line holding a secret, not shown>".into()
        }
        _ => line.to_string(),
    }
}

/// The session settings leadlake's own sessions use; embedders building
/// their own `SessionContext` should start from it (or set the same
/// option):
///
/// - the information schema on (`SHOW TABLES`, `SHOW FUNCTIONS`);
/// - `datafusion.optimizer.enable_leaf_expression_pushdown` off. That
///   rule, on by default in DataFusion 55, fails to plan a query taking
///   fields of several journey aggregates over the same arguments
///   (`journey_stage(…)['stage']`, `lead_score(…)['score']` and
///   `company_journey(…)` side by side: "duplicate unqualified field name
///   __common_expr_N"; apache/datafusion#25329 and #25459). It only moves
///   struct field reads towards the scan, and the lake has no struct
///   columns, so nothing is lost.
pub fn session_config() -> datafusion::prelude::SessionConfig {
    let mut config = datafusion::prelude::SessionConfig::new().with_information_schema(true);
    config
        .options_mut()
        .optimizer
        .enable_leaf_expression_pushdown = false;
    config
}

/// Rows per batch under a memory limit of `limit` bytes: one row per
/// 32 KiB of the limit, from 512 to DataFusion's default of 8,192.
///
/// A spilling aggregation writes its per-company states (a company's
/// packed events) in batches of this many groups, a partial stage hands
/// them to the final stage in such batches, and the final stage reads one
/// batch of each spill file back at a time. A batch of states that is a
/// large part of the pool fails the query instead of spilling: on a
/// 300 k-event lake, 8,192 rows failed under 32 MB and 2,048 rows under
/// 16-48 MB one run in a few, while 512 rows spilled and answered every
/// time from 12 MB up. Small batches cost time, though: on the 10 M lake,
/// `company_leads` took 41 s in batches of 512 rows against 18 s in
/// batches of 8,192; so only small limits get small batches, and from
/// 256 MB up a limit costs nothing when nothing spills.
pub fn spill_batch_size(limit: u64) -> usize {
    usize::try_from(limit / (32 << 10))
        .unwrap_or(usize::MAX)
        .clamp(512, 8192)
}

/// [`session_config`] with the partitions of `[run] threads`, and under
/// `[run] memory_limit` batches of [`spill_batch_size`] rows and a sort's
/// merge reservation of a sixteenth of the limit, at least 1 MiB
/// (DataFusion sets aside 10 MB per sort; under a limit of tens of MB,
/// two sorts' reservations alone exceed their share of the pool and the
/// query fails; below 1 MiB a sort that cannot fit fails without naming
/// itself).
fn session_config_for(run: &RunConfig) -> datafusion::prelude::SessionConfig {
    let mut config = session_config();
    if let Some(limit) = run.memory_limit {
        config = config.with_batch_size(spill_batch_size(limit));
        let execution = &mut config.options_mut().execution;
        let sixteenth = usize::try_from(limit / 16).unwrap_or(usize::MAX);
        execution.sort_spill_reservation_bytes = execution
            .sort_spill_reservation_bytes
            .min(sixteenth.max(1 << 20));
    }
    match run.threads {
        Some(n) => config.with_target_partitions(n.max(1)),
        None => config,
    }
}

/// The runtime of a session: a fair spill pool of `[run] memory_limit`
/// bytes (operators that can spill share it evenly; the error of one that
/// cannot fit names it and its largest peers) and spill files in
/// `[run] temp_dir`.
///
/// # Errors
/// [`Error::DataFusion`] when the spill folder cannot be used.
pub fn runtime_env(
    run: &RunConfig,
) -> Result<Arc<datafusion::execution::runtime_env::RuntimeEnv>, Error> {
    use datafusion::execution::memory_pool::{FairSpillPool, TrackConsumersPool};
    use datafusion::execution::runtime_env::RuntimeEnvBuilder;
    let mut builder = RuntimeEnvBuilder::new();
    if let Some(limit) = run.memory_limit {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let top = std::num::NonZeroUsize::MIN.saturating_add(2);
        builder = builder.with_memory_pool(Arc::new(TrackConsumersPool::new(
            FairSpillPool::new(limit),
            top,
        )));
    }
    if let Some(dir) = &run.temp_dir {
        if !dir.is_dir() {
            return Err(Error::Config {
                path: dir.clone(),
                reason: "not an existing folder".into(),
                key: Some("run.temp_dir, --temp-dir: the spill folder".into()),
            });
        }
        builder = builder.with_temp_file_path(dir);
    }
    Ok(builder.build_arc()?)
}

/// A session with every leadlake function registered and, when the
/// configuration names one, the lake registered as `events` with the view
/// `company_events` over it ([`register_company_events`]). The lake's
/// table is returned too, so the caller can report the files skipped under
/// `skip_unreadable` ([`lake::EventsTable::skipped`]).
///
/// # Errors
/// As [`register_all`] and [`register_lake`].
pub async fn session(
    config: &Config,
) -> Result<(SessionContext, Option<Arc<lake::EventsTable>>), Error> {
    session_with(config, &Functions::open(config)?).await
}

/// [`session`] with functions already opened (an embedder that also hands
/// them to another engine opens the databases once).
///
/// # Errors
/// As [`register_lake`], and [`Error::Config`] for an unusable spill folder.
pub async fn session_with(
    config: &Config,
    functions: &Functions,
) -> Result<(SessionContext, Option<Arc<lake::EventsTable>>), Error> {
    let ctx = SessionContext::new_with_config_rt(
        session_config_for(&config.run),
        runtime_env(&config.run)?,
    );
    functions.register(&ctx)?;
    let table = match &config.lake {
        Some(lake) => {
            let table = register_lake(&ctx, lake).await?;
            register_company_events(&ctx).await?;
            Some(table)
        }
        None => None,
    };
    Ok((ctx, table))
}

/// Open the resources named by `config` and register every leadlake
/// function and table function in `ctx`.
///
/// # Errors
/// [`Error::Ipdb`] naming the database or override file that cannot be
/// used; [`Error::Funnel`] naming the `[funnel]` key; [`Error::DataFusion`]
/// if registration fails.
pub fn register_all(ctx: &SessionContext, config: &Config) -> Result<(), Error> {
    Functions::open(config)?.register(ctx)
}

/// leadlake's functions over the resources a configuration names, opened
/// once: registered in a session ([`Functions::register`]) or handed out
/// one by one to an engine that registers them its own way (the Python
/// package exports them through DataFusion's FFI).
///
/// The functions are built once: every call hands out the same function
/// objects (a cluster node recognises its own functions by them).
#[derive(Debug, Clone)]
pub struct Functions {
    table: Arc<AddressTable>,
    funnel: Arc<leadlake_funnel::Funnel>,
    scalars: Arc<[Arc<datafusion::logical_expr::ScalarUDF>]>,
    aggregates: Arc<[Arc<datafusion::logical_expr::AggregateUDF>]>,
    windows: Arc<[Arc<datafusion::logical_expr::WindowUDF>]>,
}

impl Functions {
    /// Open the address databases, the override ranges and the journey
    /// rules `config` names.
    ///
    /// # Errors
    /// [`Error::Ipdb`] naming the database or override file that cannot be
    /// used; [`Error::Funnel`] naming the `[funnel]` key.
    pub fn open(config: &Config) -> Result<Self, Error> {
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
        let funnel = Arc::new(leadlake_funnel::Funnel::new(config.funnel.clone())?);
        Ok(Self {
            scalars: leadlake_udfs::scalar_functions(&table, &funnel).into(),
            aggregates: leadlake_udfs::aggregate_functions(&funnel).into(),
            windows: leadlake_udfs::window_functions().into(),
            table,
            funnel,
        })
    }

    /// Register every function, table function and the optimizer rule
    /// that fuses journey aggregates in `ctx`.
    ///
    /// # Errors
    /// [`Error::DataFusion`] if registration fails.
    pub fn register(&self, ctx: &SessionContext) -> Result<(), Error> {
        leadlake_udfs::register_all(ctx, &self.table, &self.funnel)?;
        Ok(())
    }

    /// Every scalar function.
    pub fn scalars(&self) -> Vec<Arc<datafusion::logical_expr::ScalarUDF>> {
        self.scalars.to_vec()
    }

    /// Every aggregate function.
    pub fn aggregates(&self) -> Vec<Arc<datafusion::logical_expr::AggregateUDF>> {
        self.aggregates.to_vec()
    }

    /// Every window function.
    pub fn windows(&self) -> Vec<Arc<datafusion::logical_expr::WindowUDF>> {
        self.windows.to_vec()
    }

    /// Every table function, by SQL name.
    pub fn tables(
        &self,
    ) -> Vec<(
        &'static str,
        Arc<dyn datafusion::catalog::TableFunctionImpl>,
    )> {
        leadlake_udfs::table_functions()
    }
}

#[cfg(test)]
mod tests {
    use super::spill_batch_size;

    #[test]
    fn only_small_limits_get_small_batches() {
        assert_eq!(spill_batch_size(1 << 20), 512);
        assert_eq!(spill_batch_size(16 << 20), 512);
        assert_eq!(spill_batch_size(48 << 20), 1536);
        assert_eq!(spill_batch_size(256 << 20), 8192);
        assert_eq!(spill_batch_size(4 << 30), 8192);
        assert_eq!(spill_batch_size(u64::MAX), 8192);
    }
}
