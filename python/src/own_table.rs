//! A table of leadlake's own session lent to another one. Whichever
//! session scans it, the scan is planned and run in leadlake's: its
//! object stores (an `s3://` lake is registered there), its memory limit
//! and spill folder, its functions and the optimizer rule that fuses
//! journey aggregates. The borrowing session sees one leaf node.

use async_trait::async_trait;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::{Session, TableProvider};
use datafusion::common::Result;
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::logical_expr::{Expr, TableProviderFilterPushDown, TableType};
use datafusion::physical_expr::PhysicalExpr;
use datafusion::physical_plan::{DisplayAs, DisplayFormatType, ExecutionPlan, PlanProperties};
use datafusion::prelude::SessionContext;
use std::fmt;
use std::sync::Arc;

/// `inner`, planned and run in `ctx`.
pub struct OwnTable {
    inner: Arc<dyn TableProvider>,
    ctx: SessionContext,
}

impl OwnTable {
    pub fn new(inner: Arc<dyn TableProvider>, ctx: SessionContext) -> Self {
        Self { inner, ctx }
    }
}

impl fmt::Debug for OwnTable {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_struct("OwnTable")
            .field("inner", &self.inner)
            .field("session", &self.ctx.session_id())
            .finish()
    }
}

#[async_trait]
impl TableProvider for OwnTable {
    fn schema(&self) -> SchemaRef {
        self.inner.schema()
    }

    fn table_type(&self) -> TableType {
        self.inner.table_type()
    }

    fn supports_filters_pushdown(
        &self,
        filters: &[&Expr],
    ) -> Result<Vec<TableProviderFilterPushDown>> {
        self.inner.supports_filters_pushdown(filters)
    }

    async fn scan(
        &self,
        _borrower: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        // a view plans (and optimizes) itself in the session it is given
        let state = self.ctx.state();
        let plan = self.inner.scan(&state, projection, filters, limit).await?;
        Ok(Arc::new(OwnExec::new(plan, self.ctx.task_ctx())))
    }
}

/// A leaf running `inner` with leadlake's task context, whatever context
/// the borrowing session executes it with.
#[derive(Debug)]
struct OwnExec {
    inner: Arc<dyn ExecutionPlan>,
    task: Arc<TaskContext>,
}

impl OwnExec {
    fn new(inner: Arc<dyn ExecutionPlan>, task: Arc<TaskContext>) -> Self {
        Self { inner, task }
    }
}

impl DisplayAs for OwnExec {
    fn fmt_as(&self, _: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "LeadlakeExec: {}", self.inner.name())
    }
}

impl ExecutionPlan for OwnExec {
    fn name(&self) -> &str {
        "LeadlakeExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        self.inner.properties()
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![]
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
        // a leaf: there is nothing to replace
        Ok(self)
    }

    fn execute(
        &self,
        partition: usize,
        _borrower: Arc<TaskContext>,
    ) -> Result<SendableRecordBatchStream> {
        self.inner.execute(partition, Arc::clone(&self.task))
    }
}
