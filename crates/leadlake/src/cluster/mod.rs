//! The same queries on an Apache DataFusion Ballista cluster
//! (`docs/cluster.md`).
//!
//! - [`cluster_session`]: a session whose lake-reading queries run on a
//!   cluster. The client plans them as a single node would and sends the
//!   physical plan ([`planner`]).
//! - [`start_scheduler`] and [`start_executor`]: Ballista's scheduler and an
//!   executor that know leadlake's functions.
//!
//! Functions with state are rebuilt on each node from the client's
//! serializable [`Config`], carried with the plan: each leadlake function
//! in a plan is written with the configuration it came from ([`codec`]),
//! and the lake's object store travels in the session options
//! ([`options`]). So executors are started with nothing but the
//! scheduler's address, one cluster serves clients with different
//! databases and rules, and a database an executor cannot open is an error
//! naming the executor and the file. Every node must read the lake and the
//! databases at the same paths or URLs as the client (a shared disk, or
//! object storage); the client makes its local paths absolute.

pub mod codec;
pub mod options;
pub mod planner;

use crate::{Config, Error, Functions};
use ballista_core::config::TaskSchedulingPolicy;
use codec::{LeadlakeCodec, Role};
use datafusion::execution::SessionStateBuilder;
use datafusion::prelude::SessionContext;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The scheduler's gRPC address from a cluster URL `df://HOST:PORT`
/// (`http://HOST:PORT`, what Ballista's client takes).
///
/// # Errors
/// [`Error::Cluster`] saying what is wrong with the URL.
pub fn scheduler_address(url: &str) -> Result<(String, u16), Error> {
    let bad = |why: &str| {
        Error::Cluster(format!(
            "cluster URL '{url}': {why} (expected df://HOST:PORT)"
        ))
    };
    let rest = url
        .strip_prefix("df://")
        .ok_or_else(|| bad("not a df:// URL"))?;
    let rest = rest.trim_end_matches('/');
    let (host, port) = rest.rsplit_once(':').ok_or_else(|| bad("no port"))?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() || host.contains(['/', '@', '?', '#']) {
        return Err(bad("no host"));
    }
    let port: u16 = port
        .parse()
        .ok()
        .filter(|p| *p != 0)
        .ok_or_else(|| bad("the port must be a number from 1 to 65535"))?;
    Ok((host.to_string(), port))
}

/// A session whose queries over the lake run on the Ballista cluster at
/// `url` (`df://HOST:PORT`); everything else is as [`crate::session`]
/// (the same functions, tables and options). Queries that read no lake
/// file run on the client.
///
/// # Errors
/// As [`crate::session`]; [`Error::Cluster`] for a bad URL or a scheduler
/// that does not answer.
pub async fn cluster_session(
    config: &Config,
    url: &str,
) -> Result<(SessionContext, Option<Arc<crate::lake::EventsTable>>), Error> {
    use ballista_core::extension::SessionConfigExt;
    let (host, port) = scheduler_address(url)?;
    reachable(&host, port, url).await?;
    let config = absolute(config)?;
    let functions = Functions::open(&config)?;
    let (local, table) = crate::session_with(&config, &functions).await?;
    let codec = Arc::new(LeadlakeCodec::client(&config, functions).map_err(Error::DataFusion)?);
    let state = local.state();
    // the catalog (lake, views) is the local session's: not a new one
    let session = options::with_config(state.config().clone().upgrade_for_ballista(), &config)?
        .with_create_default_catalog_and_schema(false);
    let planner = planner::ClusterPlanner {
        scheduler: format!("http://{host}:{port}"),
        codec,
    };
    let state = SessionStateBuilder::new_from_existing(state)
        .with_config(session)
        .with_query_planner(Arc::new(planner))
        .build();
    Ok((SessionContext::new_with_state(state), table))
}

/// Fail early, naming the URL, when nothing listens there.
async fn reachable(host: &str, port: u16, url: &str) -> Result<(), Error> {
    let connect = tokio::net::TcpStream::connect((host, port));
    match tokio::time::timeout(Duration::from_secs(10), connect).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(Error::Cluster(format!(
            "cannot reach the scheduler at {url}: {e}"
        ))),
        Err(_) => Err(Error::Cluster(format!(
            "cannot reach the scheduler at {url}: no answer in 10 s"
        ))),
    }
}

/// `config` with its local paths made absolute: the cluster's nodes run
/// elsewhere, in other folders.
fn absolute(config: &Config) -> Result<Config, Error> {
    let abs = |p: &Path| -> Result<PathBuf, Error> {
        std::path::absolute(p).map_err(|source| Error::Io {
            context: format!("making {} absolute", p.display()),
            source,
        })
    };
    let mut config = config.clone();
    for db in &mut config.ipdb.databases {
        *db = abs(db)?;
    }
    if let Some(o) = &mut config.ipdb.overrides {
        *o = abs(o)?;
    }
    if let Some(lake) = config.lake.as_mut().filter(|l| !l.url.contains("://")) {
        lake.url = abs(Path::new(&lake.url))?.display().to_string();
    }
    Ok(config)
}

/// Where a scheduler listens.
#[derive(Debug, Clone)]
pub struct SchedulerOptions {
    /// Its gRPC address (executors and clients connect there).
    pub bind: SocketAddr,
    /// An executor silent this long is taken for dead, and its tasks run
    /// again elsewhere (at least twice [`HEARTBEAT`]).
    pub executor_timeout: Duration,
}

/// How often an executor tells the scheduler it is alive (Ballista's
/// default is a minute, with a dead executor noticed after three).
pub const HEARTBEAT: Duration = Duration::from_secs(3);

/// Run a Ballista scheduler that knows leadlake's functions, until the
/// process ends.
///
/// # Errors
/// [`Error::Cluster`] when it cannot start (the address is taken, ...).
pub async fn start_scheduler(options: SchedulerOptions) -> Result<(), Error> {
    use ballista_scheduler::cluster::BallistaCluster;
    use ballista_scheduler::config::SchedulerConfig;
    nonzero_port("scheduler", options.bind)?;
    let mut config = SchedulerConfig::default()
        .with_hostname(options.bind.ip().to_string())
        .with_port(options.bind.port())
        .with_scheduler_policy(TaskSchedulingPolicy::PullStaged)
        .with_override_config_producer(options::config_producer())
        .with_override_session_builder(options::session_builder());
    config.bind_host = options.bind.ip().to_string();
    let timeout = options
        .executor_timeout
        .as_secs()
        .max(2 * HEARTBEAT.as_secs());
    config.executor_timeout_seconds = timeout;
    config.expire_dead_executor_interval_seconds = (timeout / 4).max(1);
    config.no_executors_grace_period_seconds = timeout;
    config.override_physical_codec = Some(Arc::new(LeadlakeCodec::new(Role::Scheduler)));
    let cluster = BallistaCluster::new_from_config(&config)
        .await
        .map_err(|e| Error::Cluster(format!("scheduler: {e}")))?;
    ballista_scheduler::scheduler_process::start_server(cluster, options.bind, Arc::new(config))
        .await
        .map_err(|e| Error::Cluster(format!("scheduler on {}: {e}", options.bind)))
}

/// What an executor needs to start.
#[derive(Debug, Clone)]
pub struct ExecutorOptions {
    /// The scheduler's address.
    pub scheduler: (String, u16),
    /// Where its Arrow Flight service listens (other executors and the
    /// client fetch results there); its gRPC service takes the next port.
    pub bind: SocketAddr,
    /// Tasks it runs at once (default: its cores).
    pub concurrent_tasks: Option<usize>,
    /// Where it keeps shuffle files (default: a temporary folder).
    pub work_dir: Option<PathBuf>,
    /// Bytes of memory its tasks share (default: Ballista's, a fraction of
    /// the machine's).
    pub memory_limit: Option<u64>,
}

/// Run a Ballista executor that rebuilds leadlake's functions from the
/// plans it is given, until the process ends.
///
/// # Errors
/// [`Error::Cluster`] when it cannot start or reach the scheduler.
pub async fn start_executor(options: ExecutorOptions) -> Result<(), Error> {
    use ballista_executor::executor_process::{ExecutorProcessConfig, start_executor_process};
    nonzero_port("executor", options.bind)?;
    let grpc_port = options.bind.port().checked_add(1).ok_or_else(|| {
        Error::Cluster(format!(
            "executor: port {} leaves no next port for its gRPC service",
            options.bind.port()
        ))
    })?;
    let mut config = ExecutorProcessConfig {
        bind_host: options.bind.ip().to_string(),
        external_host: Some(options.bind.ip().to_string()),
        port: options.bind.port(),
        grpc_port,
        scheduler_host: options.scheduler.0.clone(),
        scheduler_port: options.scheduler.1,
        task_scheduling_policy: TaskSchedulingPolicy::PullStaged,
        executor_heartbeat_interval_seconds: HEARTBEAT.as_secs(),
        ..ExecutorProcessConfig::default()
    };
    if let Some(n) = options.concurrent_tasks {
        config.vcores = n.max(1);
    }
    if let Some(dir) = &options.work_dir {
        if !dir.is_dir() {
            return Err(Error::Cluster(format!(
                "executor: --work-dir {}: not an existing folder",
                dir.display()
            )));
        }
        config.work_dir = Some(dir.display().to_string());
    }
    if options.memory_limit.is_some() {
        config.memory_pool_size = options.memory_limit;
    }
    config.override_function_registry = Some(Arc::new(builtin_functions()));
    let who = format!("executor {} ({})", config.executor_id, options.bind);
    config.override_config_producer = Some(options::config_producer());
    config.override_runtime_producer = Some(options::runtime_producer(who.clone()));
    config.override_physical_codec = Some(Arc::new(LeadlakeCodec::new(Role::Executor(format!(
        "{} ({})",
        config.executor_id, options.bind
    )))));
    start_executor_process(Arc::new(config))
        .await
        .map_err(|e| Error::Cluster(format!("{who}: {e}")))
}

/// A node's port is advertised to the others: port 0 (any free port)
/// would advertise nothing they can reach.
fn nonzero_port(node: &str, bind: SocketAddr) -> Result<(), Error> {
    match bind.port() {
        0 => Err(Error::Cluster(format!(
            "{node}: --bind {bind}: give a port from 1 to 65535 (the others connect to it)"
        ))),
        _ => Ok(()),
    }
}

/// DataFusion's built-in functions for an executor. Ballista's default
/// registry leaves out the nested ones (`cardinality`, `array_agg`'s
/// companions, `unnest`'s helpers) that the client's plans use; leadlake's
/// own functions come with the plans ([`codec`]).
fn builtin_functions() -> ballista_core::registry::BallistaFunctionRegistry {
    let mut registry = ballista_core::registry::BallistaFunctionRegistry::default();
    for f in datafusion::functions_nested::all_default_nested_functions() {
        registry.scalar_functions.insert(f.name().to_string(), f);
    }
    registry
}
