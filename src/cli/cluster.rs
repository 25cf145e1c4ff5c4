//! `leadlake cluster scheduler|executor`: the nodes of a Ballista cluster
//! that runs leadlake's queries (`docs/cluster.md`). Built with the
//! `cluster` feature; without it the commands say how to get it.

use crate::error::CliError;
use clap::{Args, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ClusterArgs {
    #[command(subcommand)]
    node: Node,
}

#[derive(Debug, Subcommand)]
enum Node {
    /// Ballista's scheduler: takes plans from clients (`--cluster
    /// df://HOST:PORT` on `run` and `shell`), cuts them into stages and
    /// hands tasks to executors. Runs until stopped.
    Scheduler {
        /// Address its gRPC service listens on.
        #[arg(long, default_value = "127.0.0.1:50050", value_name = "HOST:PORT")]
        bind: SocketAddr,
        /// Seconds of silence after which an executor is taken for dead
        /// and its tasks run again on the others (at least 6).
        #[arg(long, default_value_t = 30, value_name = "SECONDS",
              value_parser = clap::value_parser!(u64).range(6..=86_400))]
        executor_timeout: u64,
    },
    /// An executor: runs tasks with every leadlake function, rebuilt from
    /// the configuration each plan carries. Runs until stopped.
    Executor {
        /// The scheduler's address.
        #[arg(long, default_value = "127.0.0.1:50050", value_name = "HOST:PORT")]
        scheduler: String,
        /// Address its Arrow Flight service listens on (results and
        /// shuffles are fetched there); its gRPC service takes the next
        /// port.
        #[arg(long, default_value = "127.0.0.1:50051", value_name = "HOST:PORT")]
        bind: SocketAddr,
        /// Tasks it runs at once (default: its cores).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
        concurrent_tasks: Option<u16>,
        /// Folder for shuffle files (default: a new temporary folder).
        #[arg(long, value_name = "DIR")]
        work_dir: Option<PathBuf>,
        /// Memory its tasks share (4G, 512M, ...); beyond it they spill.
        #[arg(long, value_name = "SIZE", value_parser = leadlake::parse_memory_size)]
        memory_limit: Option<u64>,
    },
}

/// The scheduler address of `--scheduler HOST:PORT`.
#[cfg(feature = "cluster")]
fn host_port(text: &str) -> Result<(String, u16), CliError> {
    leadlake::cluster::scheduler_address(&format!("df://{text}"))
        .map_err(|_| CliError::Query(format!("--scheduler '{text}': expected HOST:PORT")))
}

/// Why a cluster command cannot run in this build.
#[cfg(not(feature = "cluster"))]
pub fn not_built() -> String {
    "this leadlake was built without the `cluster` feature: build it with \
     `cargo build --release --features cluster`"
        .into()
}

#[cfg(feature = "cluster")]
pub async fn command(args: ClusterArgs) -> Result<(), CliError> {
    use leadlake::cluster::{ExecutorOptions, SchedulerOptions, start_executor, start_scheduler};
    // Ballista's log on stderr: warnings and errors unless RUST_LOG says
    // otherwise (RUST_LOG=info shows every task)
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    match args.node {
        Node::Scheduler {
            bind,
            executor_timeout,
        } => {
            eprintln!("leadlake scheduler on {bind} (clients: --cluster df://{bind})");
            Ok(start_scheduler(SchedulerOptions {
                bind,
                executor_timeout: std::time::Duration::from_secs(executor_timeout),
            })
            .await?)
        }
        Node::Executor {
            scheduler,
            bind,
            concurrent_tasks,
            work_dir,
            memory_limit,
        } => {
            let scheduler = host_port(&scheduler)?;
            eprintln!(
                "leadlake executor on {bind}, scheduler {}:{}",
                scheduler.0, scheduler.1
            );
            Ok(start_executor(ExecutorOptions {
                scheduler,
                bind,
                concurrent_tasks: concurrent_tasks.map(usize::from),
                work_dir,
                memory_limit,
            })
            .await?)
        }
    }
}

#[cfg(not(feature = "cluster"))]
pub async fn command(_args: ClusterArgs) -> Result<(), CliError> {
    Err(CliError::Query(not_built()))
}
