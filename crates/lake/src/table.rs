//! The `events` table: canonical names and types over the lake's files,
//! reading only the files a query's `ts` filter can need.

use crate::config::LakeConfig;
use crate::error::LakeError;
use crate::files::{Inventory, LakeFile, inventory};
use crate::layout::Layout;
use crate::named_reader::NamedReaderFactory;
use crate::progress::ScanProgress;
use crate::prune::{TsRange, exact_ts_bounds, ts_range};
use crate::schema::EVENT_SCHEMA;
use crate::store::Location;
use arrow::datatypes::{Field, Schema, SchemaRef};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate};
use datafusion::catalog::{Session, TableProvider};
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{Column, DFSchema, DataFusionError, Result};
use datafusion::datasource::TableType;
use datafusion::datasource::listing::PartitionedFile;
use datafusion::datasource::physical_plan::parquet::CachedParquetFileReaderFactory;
use datafusion::datasource::physical_plan::{FileGroup, FileScanConfigBuilder, ParquetSource};
use datafusion::datasource::source::DataSourceExec;
use datafusion::logical_expr::utils::conjunction;
use datafusion::logical_expr::{Expr, TableProviderFilterPushDown};
use datafusion::physical_expr::expressions::Column as PhysicalColumn;
use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_plan::empty::EmptyExec;
use datafusion::physical_plan::filter::FilterExec;
use datafusion::physical_plan::projection::ProjectionExec;
use datafusion::physical_plan::union::UnionExec;
use std::sync::{Arc, PoisonError, RwLock};

/// The lake as one table with the canonical event schema.
///
/// The lake is listed again before every scan: a file added, removed or
/// rewritten since the last query is seen (a rewritten or new file is
/// checked again; an unchanged one keeps its earlier check), so a long
/// shell session never reads a stale inventory.
#[derive(Debug)]
pub struct EventsTable {
    config: LakeConfig,
    location: Location,
    inventory: RwLock<Arc<Inventory>>,
    /// Canonical types, the files' column names.
    physical: SchemaRef,
    progress: Arc<ScanProgress>,
}

impl EventsTable {
    pub(crate) fn new(config: LakeConfig, location: Location, inventory: Inventory) -> Self {
        let physical = Arc::new(Schema::new(
            EVENT_SCHEMA
                .fields()
                .iter()
                .map(|f| Field::new(config.physical(f.name()), f.data_type().clone(), true))
                .collect::<Vec<_>>(),
        ));
        Self {
            config,
            location,
            inventory: RwLock::new(Arc::new(inventory)),
            physical,
            progress: Arc::default(),
        }
    }

    /// The inventory as last taken.
    fn snapshot(&self) -> Arc<Inventory> {
        // a poisoned lock still holds a whole inventory (it is replaced
        // in one assignment)
        Arc::clone(
            &self
                .inventory
                .read()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }

    /// List the lake again (see the type's documentation) and keep the
    /// result for the next calls.
    ///
    /// # Errors
    /// As [`crate::register_lake`]: a file now unreadable or of the wrong
    /// schema, named; a lake now empty.
    pub async fn refresh(&self) -> std::result::Result<(), LakeError> {
        let previous = self.snapshot();
        let fresh = inventory(&self.location, &self.config, Some(&previous)).await?;
        *self
            .inventory
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Arc::new(fresh);
        Ok(())
    }

    /// Files planned and opened by this table's scans so far.
    pub fn progress(&self) -> Arc<ScanProgress> {
        Arc::clone(&self.progress)
    }

    /// The partition layout found.
    pub fn layout(&self) -> Layout {
        self.snapshot().layout
    }

    /// The files of the lake, as last listed.
    pub fn files(&self) -> Vec<LakeFile> {
        self.snapshot().files.clone()
    }

    /// Files of a partitioned lake whose footers hold no `ts` bounds, by
    /// path or URL: a `ts` filter chooses them by their partition date
    /// alone, so an event filed under another date can be missed.
    pub fn files_without_ts_bounds(&self) -> Vec<String> {
        self.snapshot()
            .files
            .iter()
            .filter(|f| f.ts_bounds.is_none() && f.date.is_some())
            .map(|f| self.location.file_label(&f.meta.location))
            .collect()
    }

    /// Files skipped as unreadable (with `skip_unreadable`), and why.
    pub fn skipped(&self) -> Vec<(String, String)> {
        self.snapshot().skipped.clone()
    }

    /// The files a `ts` range needs: by the `ts` bounds in each file's
    /// footer, which hold for every row (so an event filed late, under a
    /// later date, is still found); for a file without them, by its
    /// partition date.
    pub fn files_for(&self, range: TsRange) -> Vec<LakeFile> {
        let day = |us: i64| DateTime::from_timestamp_micros(us).map(|t| t.date_naive());
        let (lo_day, hi_day): (Option<NaiveDate>, Option<NaiveDate>) =
            (range.lo.and_then(day), range.hi.and_then(day));
        self.snapshot()
            .files
            .iter()
            .filter(|f| match (f.ts_bounds, f.date) {
                (Some((min, max)), _) => range.overlaps(min, max),
                (None, Some(d)) => {
                    lo_day.is_none_or(|lo| d >= lo) && hi_day.is_none_or(|hi| d <= hi)
                }
                (None, None) => true,
            })
            .cloned()
            .collect()
    }

    /// A filter in canonical names, rewritten to the files' names.
    fn to_physical(&self, e: &Expr) -> Result<Expr> {
        e.clone()
            .transform(|e| {
                Ok(match e {
                    Expr::Column(c) => {
                        let name = self.config.physical(&c.name).to_string();
                        Transformed::yes(Expr::Column(Column::new_unqualified(name)))
                    }
                    other => Transformed::no(other),
                })
            })
            .map(|t| t.data)
    }
}

#[async_trait]
impl TableProvider for EventsTable {
    fn schema(&self) -> SchemaRef {
        Arc::clone(&EVENT_SCHEMA)
    }

    fn table_type(&self) -> TableType {
        TableType::Base
    }

    fn supports_filters_pushdown(
        &self,
        filters: &[&Expr],
    ) -> Result<Vec<TableProviderFilterPushDown>> {
        // A bound on ts the table applies itself (see `scan`); any other
        // filter only skips files and row groups, and DataFusion applies it.
        Ok(filters
            .iter()
            .map(|f| match exact_ts_bounds(f, "ts") {
                Some(_) => TableProviderFilterPushDown::Exact,
                None => TableProviderFilterPushDown::Inexact,
            })
            .collect())
    }

    async fn scan(
        &self,
        state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let indices: Vec<usize> = projection
            .cloned()
            .unwrap_or_else(|| (0..EVENT_SCHEMA.fields().len()).collect());
        let out_schema = Arc::new(EVENT_SCHEMA.project(&indices)?);
        // The bounds on ts this table answers for (`supports_filters_pushdown`
        // said Exact). A file whose footer puts every row inside them needs
        // no filtering, and its ts column is not read unless projected; the
        // other files are filtered here.
        let (mut exact, mut inexact, mut bounds) = (Vec::new(), Vec::new(), TsRange::ALL);
        for f in filters {
            match exact_ts_bounds(f, "ts") {
                Some(b) => {
                    bounds = bounds.intersect(b);
                    exact.push(f.clone());
                }
                None => inexact.push(f.clone()),
            }
        }
        self.refresh()
            .await
            .map_err(|e| DataFusionError::External(Box::new(e)))?;
        // (exact bounds are the tighter for `<` and `>`)
        let files = self.files_for(ts_range(filters, "ts").intersect(bounds));
        if files.is_empty() {
            return Ok(Arc::new(EmptyExec::new(out_schema)));
        }
        let (inside, edge): (Vec<LakeFile>, Vec<LakeFile>) = files.into_iter().partition(|f| {
            exact.is_empty()
                || (f.ts_complete && f.ts_bounds.is_some_and(|(lo, hi)| bounds.contains(lo, hi)))
        });
        let mut plans = Vec::new();
        if !inside.is_empty() {
            // the limit holds here: DataFusion passes one only when every
            // filter is exact, and these rows pass them all
            plans.push(
                self.scan_files(state, &inside, &indices, &inexact, limit)
                    .await?,
            );
        }
        if !edge.is_empty() {
            let ts = EVENT_SCHEMA.index_of("ts")?;
            let mut read = indices.clone();
            if !read.contains(&ts) {
                read.push(ts);
            }
            let scan = self.scan_files(state, &edge, &read, filters, None).await?;
            let schema = DFSchema::try_from(scan.schema())?;
            let predicate = conjunction(exact).map_or(Ok(None), |e| {
                state.create_physical_expr(e, &schema).map(Some)
            })?;
            let mut plan = scan;
            if let Some(predicate) = predicate {
                plan = Arc::new(FilterExec::try_new(predicate, plan)?);
            }
            if read.len() > indices.len() {
                let keep = (0..indices.len())
                    .map(|i| {
                        let name = out_schema.field(i).name().clone();
                        (Arc::new(PhysicalColumn::new(&name, i)) as _, name)
                    })
                    .collect::<Vec<_>>();
                plan = Arc::new(ProjectionExec::try_new(keep, plan)?);
            }
            plans.push(plan);
        }
        if plans.len() == 1 {
            return Ok(plans.remove(0));
        }
        UnionExec::try_new(plans)
    }
}

impl EventsTable {
    /// Read `files` as the canonical columns `indices`, spread over the
    /// session's partitions; `filters` skip row groups.
    async fn scan_files(
        &self,
        state: &dyn Session,
        files: &[LakeFile],
        indices: &[usize],
        filters: &[Expr],
        limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        // Spread files over the session's partitions.
        let partitions = state.config().target_partitions().max(1);
        let mut groups: Vec<Vec<PartitionedFile>> = vec![Vec::new(); partitions.min(files.len())];
        let n = groups.len();
        for (i, f) in files.iter().enumerate() {
            groups[i % n].push(PartitionedFile::from(f.meta.clone()));
        }

        let mut source = ParquetSource::new(Arc::clone(&self.physical));
        let physical_filters = filters
            .iter()
            .map(|f| self.to_physical(f))
            .collect::<Result<Vec<_>>>()?;
        if let Some(predicate) = conjunction(physical_filters) {
            let df_schema = DFSchema::try_from(Arc::clone(&self.physical))?;
            source = source.with_predicate(state.create_physical_expr(predicate, &df_schema)?);
        }
        // as ParquetFormat would build it (the session's Parquet options,
        // its metadata cache), with readers whose errors name their file
        let options = state.default_table_options().parquet;
        if let Some(hint) = options.global.metadata_size_hint {
            source = source.with_metadata_size_hint(hint);
        }
        let cached = CachedParquetFileReaderFactory::new(
            Arc::clone(&self.location.store),
            state.runtime_env().cache_manager.get_file_metadata_cache(),
        );
        let source = source
            .with_table_parquet_options(options)
            .with_parquet_file_reader_factory(Arc::new(NamedReaderFactory {
                inner: Arc::new(cached),
                location: self.location.clone(),
                progress: Arc::clone(&self.progress),
            }));
        self.progress.planned(files.len());
        let config = FileScanConfigBuilder::new(self.location.store_url.clone(), Arc::new(source))
            .with_file_groups(groups.into_iter().map(FileGroup::new).collect())
            .with_projection_indices(Some(indices.to_vec()))?
            .with_limit(limit)
            .build();
        let scan: Arc<dyn ExecutionPlan> = DataSourceExec::from_data_source(config);

        // Back to canonical names.
        let exprs = indices
            .iter()
            .enumerate()
            .map(|(i, &idx)| {
                let canonical = EVENT_SCHEMA.field(idx).name().clone();
                let physical = self.physical.field(idx).name().clone();
                (Arc::new(PhysicalColumn::new(&physical, i)) as _, canonical)
            })
            .collect::<Vec<_>>();
        Ok(Arc::new(ProjectionExec::try_new(exprs, scan)?))
    }
}
