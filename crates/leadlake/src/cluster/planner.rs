//! Planned here, run there: the client plans each query as a single node
//! would (leadlake's optimizer rules, the lake's file listing and pruning),
//! and a plan that reads lake files is sent whole to the scheduler, which
//! cuts it into stages at its repartitions and hands them to executors.
//!
//! Planning on the client keeps one planner for both modes, so the cluster
//! runs the very plan a single node would, and the scheduler needs neither
//! the lake's listing nor leadlake's rules. A plan that reads no lake file
//! (`SHOW TABLES`, `SELECT 1`, a query over `run --all`'s journeys, which
//! the client already holds) runs on the client: it is small, and sending
//! rows the client has to a cluster and back gains nothing.

use super::codec::LeadlakeCodec;
use async_trait::async_trait;
use ballista_core::extension::SessionConfigExt;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::Session;
use datafusion::common::tree_node::{TreeNode, TreeNodeRecursion};
use datafusion::datasource::physical_plan::FileScanConfig;
use datafusion::datasource::source::DataSourceExec;
use datafusion::error::Result;
use datafusion::execution::context::QueryPlanner;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::logical_expr::LogicalPlan;
use datafusion::physical_expr::{EquivalenceProperties, PhysicalExpr};
use datafusion::physical_plan::execution_plan::{Boundedness, EmissionType};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{
    DisplayAs, DisplayFormatType, ExecutionPlan, Partitioning, PlanProperties,
};
use datafusion::physical_planner::{DefaultPhysicalPlanner, PhysicalPlanner};
use datafusion_proto::protobuf::PhysicalPlanNode;
use futures::TryStreamExt;
use std::sync::Arc;

/// The client's query planner: DataFusion's, then the lake-reading plans
/// wrapped in a [`ClusterExec`].
#[derive(Debug)]
pub struct ClusterPlanner {
    pub scheduler: String,
    pub codec: Arc<LeadlakeCodec>,
}

#[async_trait]
impl QueryPlanner for ClusterPlanner {
    async fn create_physical_plan(
        &self,
        logical_plan: &LogicalPlan,
        session_state: &dyn Session,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let plan = DefaultPhysicalPlanner::default()
            .create_physical_plan(logical_plan, session_state)
            .await?;
        if !reads_files(&plan)? {
            return Ok(plan);
        }
        Ok(Arc::new(ClusterExec::new(
            plan,
            self.scheduler.clone(),
            Arc::clone(&self.codec),
            session_state.session_id().to_string(),
        )))
    }
}

/// Whether `plan` scans files (the lake, a Parquet or CSV table).
pub fn reads_files(plan: &Arc<dyn ExecutionPlan>) -> Result<bool> {
    let mut found = false;
    plan.apply(|node| {
        let files = node
            .downcast_ref::<DataSourceExec>()
            .is_some_and(|d| d.data_source().downcast_ref::<FileScanConfig>().is_some());
        found |= files;
        Ok(if files {
            TreeNodeRecursion::Stop
        } else {
            TreeNodeRecursion::Continue
        })
    })?;
    Ok(found)
}

/// A plan run by the cluster: executing it submits the plan to the
/// scheduler and streams the answer back.
#[derive(Debug)]
pub struct ClusterExec {
    plan: Arc<dyn ExecutionPlan>,
    scheduler: String,
    codec: Arc<LeadlakeCodec>,
    session_id: String,
    properties: Arc<PlanProperties>,
}

impl ClusterExec {
    fn new(
        plan: Arc<dyn ExecutionPlan>,
        scheduler: String,
        codec: Arc<LeadlakeCodec>,
        session_id: String,
    ) -> Self {
        let properties = Arc::new(PlanProperties::new(
            EquivalenceProperties::new(plan.schema()),
            Partitioning::UnknownPartitioning(1),
            EmissionType::Incremental,
            Boundedness::Bounded,
        ));
        Self {
            plan,
            scheduler,
            codec,
            session_id,
            properties,
        }
    }
}

impl DisplayAs for ClusterExec {
    fn fmt_as(&self, _: DisplayFormatType, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "ClusterExec: scheduler={}", self.scheduler)
    }
}

impl ExecutionPlan for ClusterExec {
    fn name(&self) -> &str {
        "ClusterExec"
    }

    fn schema(&self) -> SchemaRef {
        self.plan.schema()
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    /// The plan the cluster runs is shown under this node, but it is not a
    /// child: the client's optimizers must leave it as planned.
    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        Vec::new()
    }

    fn apply_expressions(
        &self,
        _f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> Result<TreeNodeRecursion>,
    ) -> Result<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn with_new_children(
        self: Arc<Self>,
        _children: Vec<Arc<dyn ExecutionPlan>>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        Ok(self)
    }

    fn execute(
        &self,
        partition: usize,
        context: Arc<TaskContext>,
    ) -> Result<SendableRecordBatchStream> {
        if partition != 0 {
            return Err(datafusion::error::DataFusionError::Internal(format!(
                "ClusterExec has one partition, asked for {partition}"
            )));
        }
        let config = context.session_config().clone();
        let (scheduler, codec) = (self.scheduler.clone(), Arc::clone(&self.codec));
        let (plan, session_id) = (Arc::clone(&self.plan), self.session_id.clone());
        let submit = async move {
            ballista_core::execution_plans::execute_physical_plan::<PhysicalPlanNode>(
                scheduler,
                &config.ballista_config(),
                plan,
                codec.as_ref(),
                session_id,
                config.clone(),
            )
            .await
        };
        let stream = futures::stream::once(submit).try_flatten();
        Ok(Box::pin(RecordBatchStreamAdapter::new(
            self.schema(),
            stream,
        )))
    }
}
