//! Rows to Parquet files, one folder per UTC day, through a [`Sink`].
//!
//! Rows are appended to per-day column builders (text is copied once, into
//! the column buffers: no allocation per row). A day is written when the
//! input has moved on past it ([`GRACE`] after the day's end, as seen in
//! the newest timestamp so far; access logs are in time order give or take
//! seconds) or when its input ends. If more than `max_buffered_rows` rows
//! are held (input not in time order), the largest day is written early as
//! an extra part of that day. Writing a day sorts its rows by `ts`, rows
//! with equal `ts` in the order they arrived (the same input gives the same
//! bytes), and encodes Parquet with zstd into memory; the sink then
//! stores the file under a temporary name, and publishes it under its final
//! name only when the whole run has succeeded.

use crate::row::{Row, STRING_COLUMNS};
use crate::time::DAY_MICROS;
use arrow::array::{ArrayRef, RecordBatch, StringBuilder, TimestampMicrosecondArray, UInt64Array};
use arrow::compute::take_record_batch;
use arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, Encoding, ZstdLevel};
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::schema::types::ColumnPath;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

/// How far past a day's end the newest timestamp must be before the day is
/// written: one hour.
pub const GRACE: i64 = 3600 * 1_000_000;

/// The schema of the files written: `ts` (microseconds, UTC), then the
/// string columns of [`STRING_COLUMNS`] (the lake's canonical columns and
/// the optional `origin`). All nullable, like the lake's.
pub static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    let mut fields = vec![Field::new(
        "ts",
        DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
        true,
    )];
    fields.extend(
        STRING_COLUMNS
            .iter()
            .map(|c| Field::new(*c, DataType::Utf8, true)),
    );
    Arc::new(Schema::new(fields))
});

/// One day's rows, column by column.
pub(crate) struct DayBuffer {
    ts: Vec<i64>,
    cols: Vec<StringBuilder>,
}

/// How large a day buffer grew: the next day of the same input starts
/// this large, rather than growing (and copying) its columns step by step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Capacity {
    rows: usize,
    bytes: [usize; STRING_COLUMNS.len()],
}

impl Capacity {
    /// The larger of the two, column by column.
    pub(crate) fn max(self, other: Capacity) -> Capacity {
        let mut bytes = self.bytes;
        for (b, o) in bytes.iter_mut().zip(other.bytes) {
            *b = (*b).max(o);
        }
        Capacity {
            rows: self.rows.max(other.rows),
            bytes,
        }
    }
}

impl DayBuffer {
    /// An empty buffer with room for `c` (memory is only reserved: pages
    /// not written are not resident).
    pub(crate) fn with_capacity(c: &Capacity) -> Self {
        DayBuffer {
            ts: Vec::with_capacity(c.rows),
            cols: c
                .bytes
                .iter()
                .map(|&bytes| StringBuilder::with_capacity(c.rows, bytes))
                .collect(),
        }
    }

    /// The rows and text bytes held.
    pub(crate) fn capacity(&self) -> Capacity {
        let mut bytes = [0; STRING_COLUMNS.len()];
        for (b, col) in bytes.iter_mut().zip(&self.cols) {
            *b = col.values_slice().len();
        }
        Capacity {
            rows: self.len(),
            bytes,
        }
    }

    pub(crate) fn push(&mut self, row: &Row<'_>) {
        self.ts.push(row.ts);
        for (b, v) in self.cols.iter_mut().zip(row.strings()) {
            b.append_option(v);
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.ts.len()
    }

    /// The rows as one batch sorted by `ts`, rows with the same `ts` in
    /// the order they arrived (a stable sort: the same input gives the same
    /// bytes). A day that arrived in time order, as access logs do, is
    /// written as it is, without a gather.
    pub(crate) fn finish(mut self) -> Result<RecordBatch, arrow::error::ArrowError> {
        let ts = std::mem::take(&mut self.ts);
        let order = (!ts.is_sorted()).then(|| time_order(&ts));
        let ts: ArrayRef = Arc::new(TimestampMicrosecondArray::from(ts).with_timezone("UTC"));
        let mut columns = vec![ts];
        columns.extend(
            self.cols
                .iter_mut()
                .map(|b| Arc::new(b.finish()) as ArrayRef),
        );
        let batch = RecordBatch::try_new(Arc::clone(&SCHEMA), columns)?;
        match order {
            Some(order) => take_record_batch(&batch, &order),
            None => Ok(batch),
        }
    }
}

/// Row moves an insertion sort may make per row before [`time_order`]
/// gives up on it.
const INSERTION_MOVES_PER_ROW: usize = 8;

/// The row indices in `ts` order, ties in arrival order.
///
/// Days are seldom far from order: access logs are in order give or take
/// seconds, and a Scarf export sorted by time is in order but for rows
/// within the same second (pixel events carry microseconds, downloads do
/// not). So the order is first built by insertion, each row moved back
/// past the rows newer than it; a day that needs more than
/// [`INSERTION_MOVES_PER_ROW`] moves per row on average is sorted
/// instead. A day newest first (without ties) is the rows reversed.
/// Measured on the bench's Scarf day: the comparison sort took 2.8 % of
/// the ingest's instructions.
fn time_order(ts: &[i64]) -> UInt64Array {
    if ts.windows(2).all(|w| w[0] > w[1]) {
        return (0..ts.len() as u64).rev().collect();
    }
    let keyed = nearly_sorted(ts).unwrap_or_else(|| {
        let mut keyed: Vec<(i64, u64)> = ts.iter().copied().zip(0..).collect();
        keyed.sort_unstable(); // the index makes every key distinct: stable
        keyed
    });
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// `ts` with row indices, sorted by insertion; `None` past the move budget.
fn nearly_sorted(ts: &[i64]) -> Option<Vec<(i64, u64)>> {
    let mut budget = ts.len().saturating_mul(INSERTION_MOVES_PER_ROW);
    let mut keyed: Vec<(i64, u64)> = Vec::with_capacity(ts.len());
    for (t, i) in ts.iter().copied().zip(0..) {
        // after every row not newer: ties stay in arrival order
        let at = keyed.len()
            - keyed
                .iter()
                .rev()
                .take_while(|(newer, _)| *newer > t)
                .count();
        budget = budget.checked_sub(keyed.len() - at)?;
        keyed.insert(at, (t, i));
    }
    Some(keyed)
}

/// Encode a batch as a Parquet file. Measured on the `ingest` bench
/// (BENCHMARKS.md):
///
/// - zstd level 3: level 1 saved no measurable time and wrote 3–7 % more;
/// - `ts` delta-encoded, without a dictionary: a day is sorted by `ts`, so
///   deltas are small; the files were 28–46 % smaller;
/// - `ip` without a dictionary: addresses are many and mostly distinct, so
///   the dictionary only added a lookup per row (and was larger than zstd
///   over the addresses themselves);
/// - min/max statistics for `ts` only (the lake reads them to skip files):
///   the rows are in `ts` order, so the min and max of any other column span
///   nearly all its values and skip nothing, and computing them was about
///   8 % of the ingest time.
pub(crate) fn encode(batch: &RecordBatch) -> Result<Vec<u8>, parquet::errors::ParquetError> {
    let ts = ColumnPath::from("ts");
    let props = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(3)?))
        .set_statistics_enabled(EnabledStatistics::None)
        .set_column_statistics_enabled(ts.clone(), EnabledStatistics::Page)
        .set_column_dictionary_enabled(ts.clone(), false)
        .set_column_encoding(ts, Encoding::DELTA_BINARY_PACKED)
        .set_column_dictionary_enabled(ColumnPath::from("ip"), false)
        .build();
    let mut out = Vec::new();
    let mut w = ArrowWriter::try_new(&mut out, Arc::clone(&SCHEMA), Some(props))?;
    w.write(batch)?;
    w.close()?;
    Ok(out)
}

/// The day a day buffer belongs to can be written once `watermark` (the
/// newest timestamp seen) is this far on.
pub(crate) fn day_done(day: i64, watermark: i64) -> bool {
    (day + 1).saturating_mul(DAY_MICROS).saturating_add(GRACE) <= watermark
}

/// A file written but not yet visible to readers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Staged {
    /// The folder, relative to the lake root (`date=2024-03-31`).
    pub dir: String,
    /// The sink's handle for the temporary file.
    pub token: String,
}

/// Where lake files go. A run stages every file first and publishes them
/// all only when every input has been read; on error it discards them.
///
/// An object-store sink fits the same shape: `stage` uploads to a
/// temporary key (or keeps the bytes), `publish` copies to the final key
/// (or does the one PUT) and deletes the temporary one; `list` and `remove`
/// are LIST and DELETE.
pub trait Sink {
    /// The location, for messages.
    fn location(&self) -> PathBuf;
    /// Fail unless files can be written here (called before any input is read).
    fn check_writable(&mut self) -> io::Result<()>;
    /// Store a complete file under a temporary name readers do not see.
    fn stage(&mut self, dir: &str, bytes: &[u8]) -> io::Result<Staged>;
    /// Make a staged file visible as `dir/name`, replacing any file there.
    fn publish(&mut self, staged: &Staged, name: &str) -> io::Result<()>;
    /// Forget a staged file (best effort).
    fn discard(&mut self, staged: &Staged);
    /// Every `.parquet` file in a `date=` folder, relative to the root.
    fn list(&mut self) -> io::Result<Vec<String>>;
    /// Remove a published file (relative to the root).
    fn remove(&mut self, rel: &str) -> io::Result<()>;
}

/// A lake on local disk. Temporary files are `.ingest-<pid>-<n>.tmp` in the
/// day's folder (hidden, and not `.parquet`, so no reader lists them), made
/// durable with `fsync` and then renamed: a reader sees a whole file or
/// none. A process killed midway leaves only such temporary files behind;
/// the next run of the same process id would reuse the names, and they can
/// be deleted at any time.
#[derive(Debug)]
pub struct LocalDir {
    root: PathBuf,
    next: u64,
}

impl LocalDir {
    /// A lake rooted at `root` (created if missing).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        LocalDir {
            root: root.into(),
            next: 0,
        }
    }

    fn temp_name(&mut self) -> String {
        self.next += 1;
        format!(".ingest-{}-{}.tmp", std::process::id(), self.next)
    }
}

impl Sink for LocalDir {
    fn location(&self) -> PathBuf {
        self.root.clone()
    }

    fn check_writable(&mut self) -> io::Result<()> {
        fs::create_dir_all(&self.root)?;
        let probe_name = self.temp_name();
        let probe = self.root.join(probe_name);
        fs::File::create(&probe)?.write_all(b"probe")?;
        fs::remove_file(&probe)
    }

    fn stage(&mut self, dir: &str, bytes: &[u8]) -> io::Result<Staged> {
        let folder = self.root.join(dir);
        fs::create_dir_all(&folder)?;
        let token = self.temp_name();
        let mut f = fs::File::create(folder.join(&token))?;
        f.write_all(bytes)?;
        f.sync_all()?;
        Ok(Staged {
            dir: dir.to_owned(),
            token,
        })
    }

    fn publish(&mut self, staged: &Staged, name: &str) -> io::Result<()> {
        let folder = self.root.join(&staged.dir);
        fs::rename(folder.join(&staged.token), folder.join(name))
    }

    fn discard(&mut self, staged: &Staged) {
        let _ignored = fs::remove_file(self.root.join(&staged.dir).join(&staged.token));
    }

    fn list(&mut self) -> io::Result<Vec<String>> {
        let mut out = Vec::new();
        let entries = match fs::read_dir(&self.root) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(e),
        };
        for day in entries {
            let day = day?;
            let day_name = day.file_name().to_string_lossy().into_owned();
            if !day_name.starts_with("date=") || !day.file_type()?.is_dir() {
                continue;
            }
            for f in fs::read_dir(day.path())? {
                let f = f?.file_name().to_string_lossy().into_owned();
                if f.ends_with(".parquet") {
                    out.push(format!("{day_name}/{f}"));
                }
            }
        }
        out.sort();
        Ok(out)
    }

    fn remove(&mut self, rel: &str) -> io::Result<()> {
        fs::remove_file(self.root.join(Path::new(rel)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::row::Kind;
    use arrow::array::{Array, AsArray};
    use arrow::datatypes::TimestampMicrosecondType;
    use std::borrow::Cow;

    fn day(rows: &[(i64, &'static str)]) -> RecordBatch {
        let mut buf = DayBuffer::with_capacity(&Capacity::default());
        for (ts, path) in rows {
            let mut row = Row::new(*ts, Kind::PageView);
            row.path = Some(Cow::Borrowed(*path));
            buf.push(&row);
        }
        buf.finish().unwrap()
    }

    fn ts_and_paths(b: &RecordBatch) -> Vec<(i64, String)> {
        let ts = b.column(0).as_primitive::<TimestampMicrosecondType>();
        let path = b.column_by_name("path").unwrap().as_string::<i32>();
        (0..b.num_rows())
            .map(|i| (ts.value(i), path.value(i).to_owned()))
            .collect()
    }

    #[test]
    fn ts_has_statistics_and_deltas_the_other_columns_no_statistics() {
        use parquet::file::reader::{FileReader, SerializedFileReader};
        let batch = day(&[(1_000_000, "/a"), (2_000_000, "/b"), (2_000_001, "/a")]);
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(&encode(&batch).unwrap()).unwrap();
        let file = SerializedFileReader::new(f).unwrap();
        let group = file.metadata().row_group(0);
        let ts = group.column(0);
        assert_eq!(ts.column_path().string(), "ts");
        assert!(ts.encodings().any(|e| e == Encoding::DELTA_BINARY_PACKED));
        let stats = ts.statistics().unwrap();
        assert_eq!(stats.min_bytes_opt(), Some(&1_000_000i64.to_le_bytes()[..]));
        assert_eq!(stats.max_bytes_opt(), Some(&2_000_001i64.to_le_bytes()[..]));
        for c in group.columns().iter().skip(1) {
            assert!(c.statistics().is_none(), "{}", c.column_path());
        }
    }

    #[test]
    fn a_day_is_sorted_by_ts_with_ties_in_arrival_order() {
        let b = day(&[(3, "/c"), (1, "/z"), (2, "/b"), (1, "/a"), (3, "/a")]);
        let want = [(1, "/z"), (1, "/a"), (2, "/b"), (3, "/c"), (3, "/a")];
        let want: Vec<(i64, String)> = want.iter().map(|(t, p)| (*t, (*p).into())).collect();
        assert_eq!(ts_and_paths(&b), want);
        assert_eq!(b.column(0).null_count(), 0);
        // in order already: the same rows, as they came
        let sorted = day(&[(1, "/z"), (1, "/a"), (2, "/b")]);
        assert_eq!(ts_and_paths(&sorted), want[..3]);
    }

    /// The order a stable sort by `ts` gives.
    fn stable_order(ts: &[i64]) -> Vec<u64> {
        let mut order: Vec<u64> = (0..ts.len() as u64).collect();
        order.sort_by_key(|&i| ts[i as usize]);
        order
    }

    #[test]
    fn time_order_of_days_in_order_reversed_and_shuffled() {
        let reversed: Vec<i64> = (0..100).rev().collect();
        assert_eq!(time_order(&reversed).values(), &stable_order(&reversed)[..]);
        // newest first with ties: not a plain reversal
        let ties = [3, 3, 2, 1, 1];
        assert_eq!(time_order(&ties).values(), &[3, 4, 2, 0, 1][..]);
        // each row one second behind its next: 1 move per row
        let swapped: Vec<i64> = (0..1000).map(|i| i ^ 1).collect();
        assert!(nearly_sorted(&swapped).is_some());
        assert_eq!(time_order(&swapped).values(), &stable_order(&swapped)[..]);
        // far out of order: past the budget, sorted instead
        let far: Vec<i64> = (0..1000).map(|i| (i * 7919) % 1000).collect();
        assert!(nearly_sorted(&far).is_none());
        assert_eq!(time_order(&far).values(), &stable_order(&far)[..]);
    }

    proptest::proptest! {
        #[test]
        fn time_order_is_a_stable_sort(
            ts in proptest::collection::vec(0i64..40, 0..300),
            jitter in proptest::collection::vec(-3i64..3, 0..300),
        ) {
            // random days, and nearly sorted ones (rising, with jitter)
            let nearly: Vec<i64> = jitter.iter().zip(0..).map(|(j, i)| i + j).collect();
            for day in [ts, nearly] {
                let order = time_order(&day);
                proptest::prop_assert_eq!(order.values(), &stable_order(&day)[..]);
            }
        }
    }
}
