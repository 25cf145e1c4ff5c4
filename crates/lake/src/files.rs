//! Listing a lake and checking every file's schema before any query runs,
//! so a missing column or a wrong type is an error naming the file, not a
//! column of NULLs.

use crate::config::LakeConfig;
use crate::error::LakeError;
use crate::layout::{Layout, date_of};
use crate::schema::{COLUMNS, expected, readable_as, ts_type};
use crate::store::Location;
use arrow::array::{Array, AsArray};
use arrow::datatypes::{SchemaRef, TimestampMicrosecondType};
use chrono::NaiveDate;
use datafusion::datasource::physical_plan::parquet::metadata::DFParquetMetadata;
use futures::{StreamExt, TryStreamExt};
use object_store::{ObjectMeta, ObjectStore};
use parquet::arrow::arrow_reader::statistics::StatisticsConverter;
use std::sync::Arc;

/// One Parquet file of the lake.
#[derive(Debug, Clone)]
pub struct LakeFile {
    pub meta: ObjectMeta,
    /// From the path, for partitioned layouts.
    pub date: Option<NaiveDate>,
    /// Min and max `ts` (microseconds) from the footer statistics.
    pub ts_bounds: Option<(i64, i64)>,
    /// The footer says no row's `ts` is NULL (false when it does not say).
    pub ts_complete: bool,
    /// Rows, from the footer.
    pub rows: i64,
}

/// The result of listing and checking a lake; files in path order.
#[derive(Debug)]
pub struct Inventory {
    pub layout: Layout,
    pub files: Vec<LakeFile>,
    /// Unreadable files skipped (path, reason), with `skip_unreadable`.
    pub skipped: Vec<(String, String)>,
}

/// Files read at once while checking footers.
const CONCURRENCY: usize = 16;

/// A `.parquet` file below `prefix` none of whose names (below the
/// prefix) starts with `.` or `_`: those are hidden, temporary or
/// bookkeeping files (`_SUCCESS`, `.ingest-*.tmp`, Spark's `_temporary/`),
/// skipped as Hive and Spark skip them.
fn is_data_file(prefix: &object_store::path::Path, location: &object_store::path::Path) -> bool {
    let hidden = location
        .parts()
        .skip(prefix.parts().count())
        .any(|part| part.as_ref().starts_with(['.', '_']));
    !hidden && location.as_ref().ends_with(".parquet")
}

/// The same object, unchanged: same size, modification time and tag.
/// Stores quote tags in one answer and not in another (Azure's listing
/// against its `HEAD`), so tags compare without quotes or a weak mark.
pub(crate) fn unchanged(a: &ObjectMeta, b: &ObjectMeta) -> bool {
    let tag = |m: &ObjectMeta| {
        m.e_tag
            .as_deref()
            .map(|t| t.trim_start_matches("W/").trim_matches('"').to_string())
    };
    a.location == b.location
        && a.size == b.size
        && a.last_modified == b.last_modified
        && tag(a) == tag(b)
}

/// List `.parquet` files under the prefix and check each one; a file
/// unchanged since `previous` (taken earlier) keeps its earlier check.
pub async fn inventory(
    location: &Location,
    config: &LakeConfig,
    previous: Option<&Inventory>,
) -> Result<Inventory, LakeError> {
    let (store, prefix, url) = (&location.store, &location.prefix, &location.display);
    let mut metas: Vec<ObjectMeta> = store
        .list(Some(prefix))
        .try_filter(|m| futures::future::ready(is_data_file(prefix, &m.location)))
        .try_collect()
        .await
        .map_err(|e| LakeError::List {
            url: url.to_string(),
            reason: e.to_string(),
        })?;
    if metas.is_empty() {
        return Err(LakeError::Empty {
            url: url.to_string(),
        });
    }
    metas.sort_by(|a, b| a.location.cmp(&b.location));

    // Layout: decided by the first file, then every file must follow it.
    let relative = |m: &ObjectMeta| {
        let full = m.location.as_ref();
        full.strip_prefix(prefix.as_ref())
            .unwrap_or(full)
            .trim_start_matches('/')
            .to_string()
    };
    let first = date_of(&relative(&metas[0]));
    let layout = first.map_or(Layout::Flat, |(l, _)| l);
    let mut dated = Vec::with_capacity(metas.len());
    for m in &metas {
        let date = match (layout, date_of(&relative(m))) {
            (Layout::Flat, _) => None,
            (l, Some((found, d))) if found == l => Some(d),
            (l, _) => {
                return Err(LakeError::MixedLayout {
                    file: location.file_label(&m.location),
                    layout: l.describe().to_string(),
                    example: location.file_label(&metas[0].location),
                });
            }
        };
        dated.push(date);
    }

    let known = |meta: &ObjectMeta| {
        let files = previous.map_or(&[][..], |p| &p.files[..]);
        let i = files
            .binary_search_by(|f| f.meta.location.cmp(&meta.location))
            .ok()?;
        let f = &files[i];
        unchanged(&f.meta, meta).then_some((f.ts_bounds, f.ts_complete, f.rows))
    };
    let checks = futures::stream::iter(metas.into_iter().zip(dated))
        .map(|(meta, date)| {
            let store = Arc::clone(store);
            let file = location.file_label(&meta.location);
            let earlier = known(&meta);
            async move {
                let checked = match earlier {
                    Some(c) => Ok(c),
                    None => check(store, &meta, &file, config).await,
                };
                (meta, date, checked)
            }
        })
        .buffered(CONCURRENCY)
        .collect::<Vec<_>>()
        .await;
    let mut files = Vec::with_capacity(checks.len());
    let mut skipped = Vec::new();
    for (meta, date, checked) in checks {
        match checked {
            Ok((ts_bounds, ts_complete, rows)) => files.push(LakeFile {
                meta,
                date,
                ts_bounds,
                ts_complete,
                rows,
            }),
            Err(LakeError::Unreadable { file, reason }) if config.skip_unreadable => {
                skipped.push((file, reason))
            }
            Err(e) => return Err(e),
        }
    }
    if files.is_empty() {
        if let Some((file, reason)) = skipped.first() {
            return Err(LakeError::AllUnreadable {
                url: url.to_string(),
                count: skipped.len(),
                first: format!("{file}: {reason}"),
            });
        }
        return Err(LakeError::Empty {
            url: url.to_string(),
        });
    }
    Ok(Inventory {
        layout,
        files,
        skipped,
    })
}

/// The file's last 8 bytes must name a metadata block that fits in the
/// file: the parquet crate panics (exit 101) on a small file whose
/// footer names more bytes than there are.
async fn footer_fits(store: &Arc<dyn ObjectStore>, meta: &ObjectMeta) -> Result<(), String> {
    use object_store::ObjectStoreExt;
    let size = meta.size;
    if size < 12 {
        return Err(format!("{size} bytes: too small for a Parquet file"));
    }
    let tail = store
        .get_range(&meta.location, size - 8..size)
        .await
        .map_err(|e| e.to_string())?;
    if tail.len() != 8 {
        return Err("the file ended early".into());
    }
    let (len, magic) = tail.split_at(4);
    if magic != b"PAR1" {
        return Err("no Parquet magic at the end of the file".into());
    }
    let len = u64::from(u32::from_le_bytes([len[0], len[1], len[2], len[3]]));
    if len + 12 > size {
        return Err(format!(
            "the footer names {len} bytes of metadata in a file of {size} bytes"
        ));
    }
    Ok(())
}

/// Read one footer: check the schema, return the `ts` bounds and row count.
async fn check(
    store: Arc<dyn ObjectStore>,
    meta: &ObjectMeta,
    file: &str,
    config: &LakeConfig,
) -> Result<(Option<(i64, i64)>, bool, i64), LakeError> {
    let file = file.to_string();
    let unreadable = |e: &dyn std::fmt::Display| LakeError::Unreadable {
        file: file.clone(),
        reason: e.to_string(),
    };
    footer_fits(&store, meta)
        .await
        .map_err(|e| unreadable(&e))?;
    let metadata = DFParquetMetadata::new(store.as_ref(), meta)
        .fetch_metadata()
        .await
        .map_err(|e| unreadable(&e))?;
    let schema: SchemaRef = Arc::new(
        parquet::arrow::parquet_to_arrow_schema(
            metadata.file_metadata().schema_descr(),
            metadata.file_metadata().key_value_metadata(),
        )
        .map_err(|e| unreadable(&e))?,
    );
    for (name, required) in COLUMNS {
        let physical = config.physical(name);
        match schema.field_with_name(physical) {
            Ok(f) if readable_as(name, f.data_type()) => {}
            Ok(f) => {
                return Err(LakeError::WrongType {
                    file,
                    column: physical.to_string(),
                    found: f.data_type().to_string(),
                    expected: expected(name).to_string(),
                });
            }
            Err(_) if *required => {
                let hint = if physical == *name {
                    format!(" (map another column to it with columns.{name} = \"...\")")
                } else {
                    format!(" (mapped from '{name}')")
                };
                return Err(LakeError::MissingColumn {
                    file,
                    column: physical.to_string(),
                    hint,
                });
            }
            Err(_) => {}
        }
    }
    let rows = metadata.file_metadata().num_rows();
    // ts bounds from row-group statistics, when every row group has them
    let ts_name = config.physical("ts");
    let converter =
        StatisticsConverter::try_new(ts_name, &schema, metadata.file_metadata().schema_descr())
            .ok();
    let groups = metadata.row_groups();
    // every row group says how many NULLs its ts has, and all say none
    let complete = converter.as_ref().is_some_and(|conv| {
        conv.row_group_null_counts(groups.iter())
            .is_ok_and(|n| n.null_count() == 0 && n.values().iter().all(|&c| c == 0))
    });
    let bounds = converter.and_then(|conv| {
        let mins = conv.row_group_mins(groups.iter()).ok()?;
        let maxs = conv.row_group_maxes(groups.iter()).ok()?;
        let mins = arrow::compute::cast(&mins, &ts_type()).ok()?;
        let maxs = arrow::compute::cast(&maxs, &ts_type()).ok()?;
        let (mins, maxs) = (
            mins.as_primitive::<TimestampMicrosecondType>(),
            maxs.as_primitive::<TimestampMicrosecondType>(),
        );
        if mins.null_count() > 0 || maxs.null_count() > 0 || mins.is_empty() {
            return None;
        }
        Some((arrow::compute::min(mins)?, arrow::compute::max(maxs)?))
    });
    Ok((bounds, complete, rows))
}
