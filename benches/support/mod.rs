//! What several benches share: running a query to its batches.

use arrow::array::RecordBatch;
use datafusion::prelude::SessionContext;

/// Plan and run `sql` in `ctx` on `rt`; a bench that cannot stops loudly.
#[expect(clippy::expect_used, reason = "a bench that cannot run stops loudly")]
pub fn collect(rt: &tokio::runtime::Runtime, ctx: &SessionContext, sql: &str) -> Vec<RecordBatch> {
    rt.block_on(async {
        ctx.sql(sql)
            .await
            .expect("plan")
            .collect()
            .await
            .expect("run")
    })
}
