//! leadlake's functions on the wire.
//!
//! A plan sent to a Ballista cluster names its functions; the built-in
//! ones are found by name on every node, but leadlake's carry state (the
//! address table opened from `.mmdb` files and overrides, the `[funnel]`
//! rules). So each leadlake function in a plan is written with the
//! configuration it was built from (the [`Config`] as JSON), and a node
//! that reads the plan rebuilds the functions from that configuration,
//! once per distinct configuration, and takes the named one.
//!
//! What a node opens depends on its [`Role`]:
//! - the **client** built its functions itself and writes its own
//!   configuration;
//! - the **scheduler** only splits plans into stages: it rebuilds the
//!   functions without opening any database (their types do not depend on
//!   one), so it needs no access to the data;
//! - an **executor** opens what the configuration names, and an error
//!   names the executor and the file it could not open.
//!
//! Every other node (scans, joins, Ballista's shuffles) is written by
//! Ballista's own codec.

use crate::{Config, Functions};
use ballista_core::serde::BallistaPhysicalExtensionCodec;
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::TaskContext;
use datafusion::logical_expr::{AggregateUDF, ScalarUDF, WindowUDF};
use datafusion::physical_plan::ExecutionPlan;
use datafusion_proto::physical_plan::{PhysicalExtensionCodec, PhysicalProtoConverterExtension};
use std::sync::{Arc, Mutex};

/// Which node a codec serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// Plans and submits queries with functions built from this
    /// configuration.
    Client,
    /// Splits plans into stages: rebuilds functions without their
    /// databases.
    Scheduler,
    /// Runs tasks: opens every database a configuration names. The
    /// executor's id, for errors.
    Executor(String),
}

/// Configurations seen, with the functions built from each: at most this
/// many (a scheduler serves every client's configuration).
const CACHED: usize = 16;

/// Configurations (as JSON) and the functions built from each.
type Built = Vec<(Arc<Vec<u8>>, Functions)>;

/// The physical-plan codec of leadlake's cluster nodes.
#[derive(Debug)]
pub struct LeadlakeCodec {
    role: Role,
    ballista: BallistaPhysicalExtensionCodec,
    /// (configuration JSON, functions built from it), newest last.
    built: Mutex<Built>,
}

impl LeadlakeCodec {
    /// A client's codec, for the functions it opened from `config`.
    ///
    /// # Errors
    /// When the configuration cannot be written as JSON.
    pub fn client(config: &Config, functions: Functions) -> Result<Self> {
        let json = serde_json::to_vec(config).map_err(|e| {
            DataFusionError::Configuration(format!("leadlake configuration to JSON: {e}"))
        })?;
        let codec = Self::new(Role::Client);
        codec.lock()?.push((Arc::new(json), functions));
        Ok(codec)
    }

    /// A scheduler's or an executor's codec.
    pub fn new(role: Role) -> Self {
        Self {
            role,
            ballista: BallistaPhysicalExtensionCodec::default(),
            built: Mutex::new(Vec::new()),
        }
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Built>> {
        self.built
            .lock()
            .map_err(|_| DataFusionError::Internal("leadlake codec: lock poisoned".into()))
    }

    /// The functions of the configuration in `buf`, built once.
    fn functions(&self, name: &str, buf: &[u8]) -> Result<Functions> {
        if let Some((_, f)) = self.lock()?.iter().find(|(b, _)| b.as_slice() == buf) {
            return Ok(f.clone());
        }
        let mut config: Config = serde_json::from_slice(buf).map_err(|e| {
            DataFusionError::Plan(format!(
                "function {name}: not a leadlake configuration ({e}); are the client and the \
                 cluster the same leadlake version?"
            ))
        })?;
        let opened = match &self.role {
            Role::Executor(id) => Functions::open(&config)
                .map_err(|e| DataFusionError::Execution(format!("executor {id}: {e}")))?,
            Role::Scheduler | Role::Client => {
                config.ipdb.databases.clear();
                config.ipdb.overrides = None;
                Functions::open(&config).map_err(|e| {
                    DataFusionError::Plan(format!("leadlake functions for planning: {e}"))
                })?
            }
        };
        let mut built = self.lock()?;
        if built.len() >= CACHED {
            built.remove(0);
        }
        built.push((Arc::new(buf.to_vec()), opened.clone()));
        Ok(opened)
    }

    /// A function of kind `F` named `name`, from the configuration in
    /// `buf`.
    fn decode<F: Function>(&self, name: &str, buf: &[u8]) -> Result<Arc<F>> {
        F::of(&self.functions(name, buf)?)
            .into_iter()
            .find(|f| f.name() == name)
            .ok_or_else(|| {
                DataFusionError::Plan(format!("{} {name}: not a leadlake function", F::KIND))
            })
    }

    /// Write the configuration `node` was built from, if it is leadlake's.
    /// A client's plans hold its own functions, also where an optimizer
    /// rule rebuilt one (the fused journey aggregate): the name tells. A
    /// scheduler's hold the very function objects it decoded.
    fn encode<F: Function>(&self, node: &F, buf: &mut Vec<u8>) -> Result<()> {
        let built = self.lock()?;
        let origin = built.iter().rev().find(|(_, f)| {
            F::of(f).iter().any(|g| match self.role {
                Role::Client => g.name() == node.name(),
                Role::Scheduler | Role::Executor(_) => g.address() == node.address(),
            })
        });
        if let Some((json, _)) = origin {
            buf.extend_from_slice(json);
        }
        Ok(())
    }
}

/// What the codec needs of a scalar, aggregate or window function.
trait Function {
    const KIND: &'static str;
    /// The functions of this kind in `f`.
    fn of(f: &Functions) -> Vec<Arc<Self>>;
    fn name(&self) -> &str;
    /// The address of its implementation: the same function object
    /// wherever a plan refers to it.
    fn address(&self) -> *const ();
}

macro_rules! function {
    ($t:ty, $kind:literal, $list:ident) => {
        impl Function for $t {
            const KIND: &'static str = $kind;
            fn of(f: &Functions) -> Vec<Arc<Self>> {
                f.$list()
            }
            fn name(&self) -> &str {
                <$t>::name(self)
            }
            fn address(&self) -> *const () {
                Arc::as_ptr(self.inner()).cast::<()>()
            }
        }
    };
}

function!(ScalarUDF, "scalar function", scalars);
function!(AggregateUDF, "aggregate function", aggregates);
function!(WindowUDF, "window function", windows);

impl PhysicalExtensionCodec for LeadlakeCodec {
    fn try_decode(
        &self,
        buf: &[u8],
        inputs: &[Arc<dyn ExecutionPlan>],
        ctx: &TaskContext,
        converter: &dyn PhysicalProtoConverterExtension,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        self.ballista.try_decode(buf, inputs, ctx, converter)
    }

    fn try_encode(
        &self,
        node: Arc<dyn ExecutionPlan>,
        buf: &mut Vec<u8>,
        converter: &dyn PhysicalProtoConverterExtension,
    ) -> Result<()> {
        self.ballista.try_encode(node, buf, converter)
    }

    fn try_decode_udf(&self, name: &str, buf: &[u8]) -> Result<Arc<ScalarUDF>> {
        match buf.is_empty() {
            true => self.ballista.try_decode_udf(name, buf),
            false => self.decode(name, buf),
        }
    }

    fn try_encode_udf(&self, node: &ScalarUDF, buf: &mut Vec<u8>) -> Result<()> {
        self.encode(node, buf)
    }

    fn try_decode_udaf(&self, name: &str, buf: &[u8]) -> Result<Arc<AggregateUDF>> {
        match buf.is_empty() {
            true => self.ballista.try_decode_udaf(name, buf),
            false => self.decode(name, buf),
        }
    }

    fn try_encode_udaf(&self, node: &AggregateUDF, buf: &mut Vec<u8>) -> Result<()> {
        self.encode(node, buf)
    }

    fn try_decode_udwf(&self, name: &str, buf: &[u8]) -> Result<Arc<WindowUDF>> {
        match buf.is_empty() {
            true => self.ballista.try_decode_udwf(name, buf),
            false => self.decode(name, buf),
        }
    }

    fn try_encode_udwf(&self, node: &WindowUDF, buf: &mut Vec<u8>) -> Result<()> {
        self.encode(node, buf)
    }
}
