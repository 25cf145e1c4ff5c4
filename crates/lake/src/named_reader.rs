//! Errors reading a lake file name the file. DataFusion's Parquet reader
//! reports what went wrong ("Required field type_ is missing") but not
//! where; a lake of thousands of files needs the where. This wraps the
//! reader DataFusion would use (its metadata cache included) and prefixes
//! every error with the file's path or URL.
//!
//! A file rewritten between planning and reading would otherwise be read
//! at the old offsets (the cached footer still matches the old size), and
//! fail deep in a page decoder, unnamed, or worse, decode. So each file is
//! asked for its size, time and tag once as it is opened (one `HEAD` on
//! object stores, a `stat` on disk) and a change is an error naming it.

use crate::files::unchanged;
use crate::progress::ScanProgress;
use crate::store::Location;
use bytes::Bytes;
use datafusion::datasource::listing::PartitionedFile;
use datafusion::datasource::physical_plan::ParquetFileReaderFactory;
use datafusion::physical_plan::metrics::ExecutionPlanMetricsSet;
use futures::FutureExt;
use futures::future::BoxFuture;
use object_store::{ObjectMeta, ObjectStore, ObjectStoreExt};
use parquet::arrow::arrow_reader::ArrowReaderOptions;
use parquet::arrow::async_reader::AsyncFileReader;
use parquet::errors::ParquetError;
use parquet::file::metadata::ParquetMetaData;
use std::ops::Range;
use std::sync::Arc;

/// Readers whose errors start with the file they read.
#[derive(Debug)]
pub(crate) struct NamedReaderFactory {
    pub inner: Arc<dyn ParquetFileReaderFactory>,
    pub location: Location,
    /// Counts each file opened.
    pub progress: Arc<ScanProgress>,
}

impl ParquetFileReaderFactory for NamedReaderFactory {
    fn create_reader(
        &self,
        partition_index: usize,
        file: PartitionedFile,
        metadata_size_hint: Option<usize>,
        metrics: &ExecutionPlanMetricsSet,
    ) -> datafusion::common::Result<Box<dyn AsyncFileReader + Send>> {
        self.progress.opened();
        let name = self.location.file_label(&file.object_meta.location);
        let planned = file.object_meta.clone();
        let inner = self
            .inner
            .create_reader(partition_index, file, metadata_size_hint, metrics)?;
        Ok(Box::new(NamedReader {
            inner,
            name,
            store: Arc::clone(&self.location.store),
            planned,
        }))
    }
}

struct NamedReader {
    inner: Box<dyn AsyncFileReader + Send>,
    name: String,
    store: Arc<dyn ObjectStore>,
    /// The file as listed when the query was planned.
    planned: ObjectMeta,
}

/// The error with the file's name in front; a file that changed while a
/// query ran is the common cause, so the message says so.
fn named(name: &str, e: ParquetError) -> ParquetError {
    ParquetError::General(format!(
        "{name}: cannot read this lake file (was it changed while the query ran?): {e}"
    ))
}

impl AsyncFileReader for NamedReader {
    fn get_bytes(&mut self, range: Range<u64>) -> BoxFuture<'_, parquet::errors::Result<Bytes>> {
        let name = &self.name;
        self.inner
            .get_bytes(range)
            .map(move |r| r.map_err(|e| named(name, e)))
            .boxed()
    }

    fn get_byte_ranges(
        &mut self,
        ranges: Vec<Range<u64>>,
    ) -> BoxFuture<'_, parquet::errors::Result<Vec<Bytes>>> {
        let name = &self.name;
        self.inner
            .get_byte_ranges(ranges)
            .map(move |r| r.map_err(|e| named(name, e)))
            .boxed()
    }

    fn get_metadata<'a>(
        &'a mut self,
        options: Option<&'a ArrowReaderOptions>,
    ) -> BoxFuture<'a, parquet::errors::Result<Arc<ParquetMetaData>>> {
        let Self {
            inner,
            name,
            store,
            planned,
        } = self;
        async move {
            let now = store
                .head(&planned.location)
                .await
                .map_err(|e| named(name, ParquetError::External(Box::new(e))))?;
            if !unchanged(planned, &now) {
                return Err(named(
                    name,
                    ParquetError::General(format!(
                        "it changed after the query was planned ({} bytes then, {} now)",
                        planned.size, now.size
                    )),
                ));
            }
            inner
                .get_metadata(options)
                .await
                .map_err(|e| named(name, e))
        }
        .boxed()
    }
}
