//! A leadlake session over one lake, whose tables other sessions borrow:
//! `events`, `company_events` and `journeys` for one instant.

use crate::errors::{LeadlakeError, from_datafusion, from_leadlake};
use crate::own_table::OwnTable;
use crate::runtime::block_on;
use crate::table::Table;
use datafusion::catalog::TableProvider;
use datafusion::common::ScalarValue;
use datafusion::datasource::MemTable;
use datafusion::prelude::SessionContext;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use std::sync::Arc;

/// leadlake's session over a lake.
#[pyclass(module = "leadlake._native", frozen)]
pub struct Lake {
    ctx: SessionContext,
}

impl Lake {
    /// The session of `config` (which names the lake) with `functions`.
    pub fn open(
        py: Python<'_>,
        config: &leadlake::Config,
        functions: &leadlake::Functions,
    ) -> PyResult<Self> {
        let (ctx, _) =
            block_on(py, leadlake::session_with(config, functions))?.map_err(from_leadlake)?;
        Ok(Self { ctx })
    }

    fn lend(&self, provider: Arc<dyn TableProvider>) -> Table {
        Table::new(Arc::new(OwnTable::new(provider, self.ctx.clone())))
    }
}

#[pymethods]
impl Lake {
    /// `events` or `company_events`.
    fn table(&self, py: Python<'_>, name: &str) -> PyResult<Table> {
        if name != "events" && name != leadlake::COMPANY_EVENTS {
            return Err(PyValueError::new_err(format!(
                "no table '{name}' (events, company_events)"
            )));
        }
        let provider = block_on(py, self.ctx.table_provider(name))?.map_err(from_datafusion)?;
        Ok(self.lend(provider))
    }

    /// `journeys` as of `as_of_micros` (µs since the epoch, UTC), comparing
    /// with `period_days` earlier: a view over its plan, or with
    /// `computed` the rows computed once and kept in memory.
    fn journeys(
        &self,
        py: Python<'_>,
        as_of_micros: i64,
        period_days: i64,
        computed: bool,
    ) -> PyResult<Table> {
        let at = leadlake::JourneysAt {
            as_of: ScalarValue::TimestampMicrosecond(Some(as_of_micros), Some("UTC".into())),
            period_days,
        };
        at.check().map_err(PyValueError::new_err)?;
        let ctx = &self.ctx;
        let provider: Arc<dyn TableProvider> = block_on(py, async move {
            let frame = leadlake::journeys_frame(ctx, &at).await?;
            if !computed {
                return Ok(frame.into_view());
            }
            let schema = Arc::new(frame.schema().as_arrow().clone());
            let batches = frame.collect().await?;
            Ok(Arc::new(MemTable::try_new(schema, vec![batches])?) as Arc<dyn TableProvider>)
        })?
        .map_err(|e: datafusion::error::DataFusionError| {
            LeadlakeError::new_err(format!("journeys: {e}"))
        })?;
        Ok(self.lend(provider))
    }
}
