//! The event lake on local disk: layouts, pruning (proved by breaking the
//! files a query must not read), schema handling and every error.
#![expect(clippy::unwrap_used, reason = "a test fails loudly on purpose")]

use arrow::array::{
    ArrayRef, DictionaryArray, LargeStringArray, StringArray, StringViewArray,
    TimestampMicrosecondArray, TimestampNanosecondArray,
};
use arrow::datatypes::Int32Type;
use datafusion::prelude::SessionContext;
use leadlake_lake::{LakeConfig, LakeError, register_lake};
use std::path::Path;
use std::sync::Arc;

#[expect(dead_code, reason = "shared by several test crates, each using a part")]
mod common;

use common::{DAY_US, JAN1, LAST3, count, day_events, day_name};

fn write(path: &Path, columns: Vec<(&str, ArrayRef)>) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, common::parquet_bytes(columns, 50)).unwrap();
}

/// Break the pages of a local file in place ([`common::break_pages`]).
fn break_file(path: &Path, columns: Option<usize>) {
    let bytes = std::fs::read(path).unwrap();
    std::fs::write(path, common::break_pages(bytes, columns)).unwrap();
}

fn garbage(path: &Path) {
    std::fs::write(
        path,
        b"PAR1 this file was overwritten after registration PAR1",
    )
    .unwrap();
}

#[tokio::test]
async fn date_partitions_are_pruned_by_a_ts_filter() {
    let dir = tempfile::tempdir().unwrap();
    for day in 0..10 {
        write(
            &dir.path()
                .join(format!("date={}/part-0.parquet", day_name(day))),
            day_events(day, 100),
        );
    }
    let ctx = SessionContext::new();
    let lake = register_lake(&ctx, &LakeConfig::new(dir.path().to_str().unwrap()))
        .await
        .unwrap();
    assert_eq!(lake.layout(), leadlake_lake::layout::Layout::Date);
    assert_eq!(
        count(&ctx, "SELECT count(*) FROM events").await.unwrap(),
        1000
    );

    // EXPLAIN shows only the three files the filter needs
    let text = common::explain(&ctx, LAST3).await;
    for day in 0..10 {
        let needed = (7..10).contains(&day);
        assert_eq!(
            text.contains(&format!("date={}", day_name(day))),
            needed,
            "day {day} in plan:\n{text}"
        );
    }
    // Proof that the other files' data is not read: break their pages
    // (their footers stay whole: the lake is listed again at each query,
    // and a changed file's footer is read again)
    for day in 0..7 {
        break_file(
            &dir.path()
                .join(format!("date={}/part-0.parquet", day_name(day))),
            None,
        );
    }
    assert_eq!(count(&ctx, LAST3).await.unwrap(), 300);
    // (a filter makes the scan read data pages, not only cached footers)
    let full = count(&ctx, "SELECT count(*) FROM events WHERE kind <> 'none'").await;
    assert!(
        full.is_err(),
        "a full scan must read, and fail on, the broken files"
    );
}

/// Events at the given times (NULL: no time), with an address each.
fn events_at(ts: &[Option<i64>]) -> Vec<(&'static str, ArrayRef)> {
    let n = ts.len();
    vec![
        (
            "ts",
            Arc::new(TimestampMicrosecondArray::from(ts.to_vec()).with_timezone("UTC")) as ArrayRef,
        ),
        (
            "kind",
            Arc::new(StringArray::from(vec!["download"; n])) as ArrayRef,
        ),
        (
            "ip",
            Arc::new(StringArray::from_iter_values(
                (0..n).map(|i| format!("192.0.2.{i}")),
            )) as ArrayRef,
        ),
    ]
}

/// A bound on `ts` is answered by the table: files whose footer puts every
/// row inside it are read without `ts` and without a filter; files that
/// straddle it, hold a late event or NULL times are filtered. The answers
/// are those of the rows themselves.
#[tokio::test]
async fn ts_bounds_are_applied_by_the_table_and_inside_files_skip_ts() {
    let dir = tempfile::tempdir().unwrap();
    let hour = DAY_US / 24;
    let mut all: Vec<Option<i64>> = Vec::new();
    for day in 0..5 {
        let mut ts: Vec<Option<i64>> = (0..24)
            .map(|h| Some(JAN1 + day * DAY_US + h * hour))
            .collect();
        match day {
            3 => ts.extend([None, None]),          // times missing
            4 => ts.push(Some(JAN1 + 2 * DAY_US)), // a late event from day 2
            _ => {}
        }
        all.extend(&ts);
        write(
            &dir.path()
                .join(format!("date={}/part-0.parquet", day_name(day))),
            events_at(&ts),
        );
    }
    let ctx = SessionContext::new();
    let lake = register_lake(&ctx, &LakeConfig::new(dir.path().to_str().unwrap()))
        .await
        .unwrap();
    let complete: Vec<bool> = lake.files().iter().map(|f| f.ts_complete).collect();
    assert_eq!(complete, [true, true, true, false, true]);

    let at = |us: i64| {
        chrono::DateTime::from_timestamp_micros(us)
            .unwrap()
            .format("TIMESTAMP '%Y-%m-%dT%H:%M:%SZ'")
            .to_string()
    };
    let expected = |lo: i64, hi: i64| {
        all.iter()
            .filter(|t| t.is_some_and(|t| t >= lo && t < hi))
            .count() as i64
    };
    for (lo, hi) in [
        (JAN1 + 2 * DAY_US + 12 * hour, JAN1 + 10 * DAY_US),
        (JAN1 + 2 * DAY_US, JAN1 + 4 * DAY_US + 6 * hour),
        (JAN1 + DAY_US, JAN1 + 2 * DAY_US),
        (JAN1 + 2 * DAY_US, JAN1 + 2 * DAY_US + 1_000_000),
        (JAN1, JAN1 + 10 * DAY_US),
    ] {
        let sql = format!(
            "SELECT count(ip) FROM events WHERE ts >= {} AND ts < {}",
            at(lo),
            at(hi)
        );
        assert_eq!(count(&ctx, &sql).await.unwrap(), expected(lo, hi), "{sql}");
        let strict = format!(
            "SELECT count(*) FROM events WHERE ts > {} AND ts <= {}",
            at(lo),
            at(hi)
        );
        let want = all
            .iter()
            .filter(|t| t.is_some_and(|t| t > lo && t <= hi))
            .count() as i64;
        assert_eq!(count(&ctx, &strict).await.unwrap(), want, "{strict}");
    }

    // Day 1 lies inside the bounds: no filter above its scan, and its ts
    // column is never read (broken, the query still answers) ...
    let day1 = format!(
        "SELECT count(ip) FROM events WHERE ts >= {} AND ts < {}",
        at(JAN1 + DAY_US),
        at(JAN1 + 2 * DAY_US)
    );
    let plan = common::explain(&ctx, &day1).await;
    assert!(!plan.contains("FilterExec"), "{plan}");
    let day1_file = dir
        .path()
        .join(format!("date={}/part-0.parquet", day_name(1)));
    break_file(&day1_file, Some(0));
    assert_eq!(count(&ctx, &day1).await.unwrap(), 24);
    // ... while a query that needs it fails on the broken column
    let needs_ts = format!(
        "SELECT count(*) FROM events WHERE ts >= {} AND ts < {} AND ts <> {}",
        at(JAN1 + DAY_US),
        at(JAN1 + 2 * DAY_US),
        at(JAN1)
    );
    assert!(
        count(&ctx, &needs_ts).await.is_err(),
        "the broken ts column was not read"
    );
    // straddling files are filtered above their scan, beside day 1's
    let plan = common::explain(
        &ctx,
        &format!(
            "SELECT count(ip) FROM events WHERE ts >= {} AND ts < {}",
            at(JAN1 + DAY_US),
            at(JAN1 + 2 * DAY_US + 12 * hour)
        ),
    )
    .await;
    assert!(
        plan.contains("FilterExec") && plan.contains("UnionExec"),
        "{plan}"
    );
}

#[tokio::test]
async fn year_month_day_partitions_and_flat_files_are_pruned_too() {
    let dir = tempfile::tempdir().unwrap();
    let ymd = dir.path().join("ymd");
    let flat = dir.path().join("flat");
    for day in 0..10 {
        let d = day_name(day);
        let (y, m, dd) = (&d[0..4], &d[5..7], &d[8..10]);
        write(
            &ymd.join(format!("year={y}/month={m}/day={dd}/events.parquet")),
            day_events(day, 50),
        );
        write(
            &flat.join(format!("batch-{day:03}.parquet")),
            day_events(day, 50),
        );
    }
    for (root, layout) in [
        (&ymd, leadlake_lake::layout::Layout::YearMonthDay),
        (&flat, leadlake_lake::layout::Layout::Flat),
    ] {
        let ctx = SessionContext::new();
        let lake = register_lake(&ctx, &LakeConfig::new(root.to_str().unwrap()))
            .await
            .unwrap();
        assert_eq!(lake.layout(), layout);
        assert_eq!(
            count(&ctx, "SELECT count(*) FROM events").await.unwrap(),
            500
        );
        for f in lake.files() {
            let day = (f.ts_bounds.unwrap().0 - JAN1) / DAY_US;
            if day < 7 {
                break_file(&Path::new("/").join(f.meta.location.as_ref()), None);
            }
        }
        assert_eq!(count(&ctx, LAST3).await.unwrap(), 150, "{layout:?}");
    }
}

#[tokio::test]
async fn mapped_names_string_flavours_and_drifted_schemas_read_as_one_table() {
    let dir = tempfile::tempdir().unwrap();
    // old file: `timestamp` in nanoseconds without zone, LargeUtf8 kind, no referer
    write(
        &dir.path().join("old.parquet"),
        vec![
            (
                "timestamp",
                Arc::new(TimestampNanosecondArray::from(vec![
                    JAN1 * 1000,
                    JAN1 * 1000 + 1_000_000_000,
                ])) as ArrayRef,
            ),
            (
                "kind",
                Arc::new(LargeStringArray::from(vec!["download", "docs_view"])) as ArrayRef,
            ),
            (
                "ip",
                Arc::new(StringViewArray::from(vec!["1.2.3.4", "5.6.7.8"])) as ArrayRef,
            ),
        ],
    );
    // new file: dictionary strings and a referer column added later
    write(
        &dir.path().join("new.parquet"),
        vec![
            (
                "timestamp",
                Arc::new(TimestampMicrosecondArray::from(vec![JAN1 + DAY_US]).with_timezone("UTC"))
                    as ArrayRef,
            ),
            (
                "kind",
                Arc::new(
                    vec!["page_view"]
                        .into_iter()
                        .collect::<DictionaryArray<Int32Type>>(),
                ) as ArrayRef,
            ),
            (
                "referer",
                Arc::new(StringArray::from(vec!["https://example.com/"])) as ArrayRef,
            ),
        ],
    );
    let mut cfg = LakeConfig::new(dir.path().to_str().unwrap());
    cfg.columns.insert("ts".into(), "timestamp".into());
    let ctx = SessionContext::new();
    register_lake(&ctx, &cfg).await.unwrap();
    let batches = ctx
        .sql("SELECT ts, kind, ip, referer, package FROM events ORDER BY ts")
        .await
        .unwrap()
        .collect()
        .await
        .unwrap();
    let text = arrow::util::pretty::pretty_format_batches(&batches)
        .unwrap()
        .to_string();
    let expected = "\
+----------------------+-----------+---------+----------------------+---------+
| ts                   | kind      | ip      | referer              | package |
+----------------------+-----------+---------+----------------------+---------+
| 2026-01-01T00:00:00Z | download  | 1.2.3.4 |                      |         |
| 2026-01-01T00:00:01Z | docs_view | 5.6.7.8 |                      |         |
| 2026-01-02T00:00:00Z | page_view |         | https://example.com/ |         |
+----------------------+-----------+---------+----------------------+---------+";
    assert_eq!(text, expected);
    // the schema is the canonical one whatever the files hold
    let schema = ctx
        .table("events")
        .await
        .unwrap()
        .schema()
        .as_arrow()
        .clone();
    assert_eq!(&schema, leadlake_lake::EVENT_SCHEMA.as_ref());
}

async fn register_err(root: &Path, cfg: impl FnOnce(&mut LakeConfig)) -> LakeError {
    let mut config = LakeConfig::new(root.to_str().unwrap());
    cfg(&mut config);
    register_lake(&SessionContext::new(), &config)
        .await
        .unwrap_err()
}

#[tokio::test]
async fn bad_lakes_fail_with_errors_naming_file_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // (issue 22, item 24: with its leading `/`)
    let rel = |p: &Path| p.to_str().unwrap().to_string();

    // a required column missing
    let no_kind = root.join("a/x.parquet");
    write(&no_kind, vec![("ts", day_events(0, 1).remove(0).1)]);
    assert_eq!(
        register_err(&root.join("a"), |_| {}).await.to_string(),
        format!(
            "{}: required column 'kind' is missing (map another column to it with columns.kind = \"...\")",
            rel(&no_kind)
        )
    );
    // missing after mapping
    assert_eq!(
        register_err(&root.join("a"), |c| {
            c.columns.insert("ts".into(), "event_time".into());
        })
        .await
        .to_string(),
        format!(
            "{}: required column 'event_time' is missing (mapped from 'ts')",
            rel(&no_kind)
        )
    );
    // an unusable type
    let text_ts = root.join("b/x.parquet");
    write(
        &text_ts,
        vec![
            (
                "ts",
                Arc::new(StringArray::from(vec!["2026-01-01"])) as ArrayRef,
            ),
            (
                "kind",
                Arc::new(StringArray::from(vec!["download"])) as ArrayRef,
            ),
        ],
    );
    assert_eq!(
        register_err(&root.join("b"), |_| {}).await.to_string(),
        format!(
            "{}: column 'ts' has type Utf8, expected a timestamp",
            rel(&text_ts)
        )
    );
    let int_ip = root.join("c/x.parquet");
    let mut cols = day_events(0, 1);
    cols[2] = (
        "ip",
        Arc::new(arrow::array::Int64Array::from(vec![16909060])) as ArrayRef,
    );
    write(&int_ip, cols);
    assert_eq!(
        register_err(&root.join("c"), |_| {}).await.to_string(),
        format!(
            "{}: column 'ip' has type Int64, expected a string",
            rel(&int_ip)
        )
    );
    // corrupt and truncated files
    let good = root.join("d/good.parquet");
    write(&good, day_events(0, 10));
    let truncated = root.join("d/truncated.parquet");
    let bytes = std::fs::read(&good).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let e = register_err(&root.join("d"), |_| {}).await.to_string();
    assert!(
        e.starts_with(&format!(
            "{}: not a readable Parquet file: ",
            rel(&truncated)
        )),
        "{e}"
    );
    // ... skipped, counted and reported only when asked
    let ctx = SessionContext::new();
    let mut cfg = LakeConfig::new(root.join("d").to_str().unwrap());
    cfg.skip_unreadable = true;
    let lake = register_lake(&ctx, &cfg).await.unwrap();
    assert_eq!(lake.skipped().len(), 1);
    assert_eq!(lake.skipped()[0].0, rel(&truncated));
    assert_eq!(
        count(&ctx, "SELECT count(*) FROM events").await.unwrap(),
        10
    );
    // mixed layouts
    write(&root.join("e/date=2026-01-01/x.parquet"), day_events(0, 1));
    write(&root.join("e/stray.parquet"), day_events(0, 1));
    let e = register_err(&root.join("e"), |_| {}).await.to_string();
    assert!(
        e.contains("stray.parquet: not in the lake's date=YYYY-MM-DD/ partition layout"),
        "{e}"
    );
    // nothing there
    std::fs::create_dir_all(root.join("f")).unwrap();
    assert_eq!(
        register_err(&root.join("f"), |_| {}).await.to_string(),
        format!("lake {} holds no .parquet files", root.join("f").display())
    );
    // configuration mistakes
    let e = register_err(&root.join("d"), |c| {
        c.columns.insert("timestamp".into(), "ts".into());
    })
    .await
    .to_string();
    assert!(
        e.starts_with(
            "lake column mapping: unknown column 'timestamp', expected one of ts, kind, ip"
        ),
        "{e}"
    );
    let e = LakeConfig::new("ftp://host/lake");
    let e = register_lake(&SessionContext::new(), &e)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("invalid lake URL 'ftp://host/lake': unsupported scheme 'ftp'"),
        "{e}"
    );
}

/// Issue 22, item 7: a file rewritten, added or removed after the lake
/// was registered (a compaction, a new day, a long shell session) is seen
/// by the next query; one changed between planning and reading fails with
/// an error naming it by its full path.
#[tokio::test]
async fn a_file_changed_after_registration_is_seen_or_named() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let file = root.join(format!("date={}/part-0.parquet", day_name(0)));
    let other = root.join(format!("date={}/part-0.parquet", day_name(1)));
    let sql = "SELECT count(ip) FROM events";
    for (before, after) in [(500_usize, 3_usize), (3, 500)] {
        let rows = |n: usize| i64::try_from(n).unwrap();
        write(&file, day_events(0, before));
        let ctx = SessionContext::new();
        register_lake(&ctx, &LakeConfig::new(root.to_str().unwrap()))
            .await
            .unwrap();
        assert_eq!(count(&ctx, sql).await.unwrap(), rows(before));
        write(&file, day_events(0, after)); // shorter, then longer
        assert_eq!(count(&ctx, sql).await.unwrap(), rows(after), "rewritten");
        write(&other, day_events(1, 7));
        assert_eq!(
            count(&ctx, sql).await.unwrap(),
            rows(after + 7),
            "a day added"
        );
        std::fs::remove_file(&other).unwrap();
        assert_eq!(
            count(&ctx, sql).await.unwrap(),
            rows(after),
            "a day removed"
        );

        let plan = ctx
            .sql(sql)
            .await
            .unwrap()
            .create_physical_plan()
            .await
            .unwrap();
        write(&file, day_events(0, before));
        let e = datafusion::physical_plan::collect(plan, ctx.task_ctx())
            .await
            .unwrap_err()
            .to_string();
        assert!(
            e.contains(&format!("{}: cannot read this lake file", file.display())),
            "{before} -> {after} rows: {e}"
        );
    }
}

/// Issue 22, item 19: files and folders whose names start with `.` or `_`
/// (hidden, temporary, bookkeeping) are not part of the lake, even when
/// they end in `.parquet` and hold junk; a lake inside a hidden folder is
/// still read.
#[tokio::test]
async fn hidden_and_underscore_files_are_not_read() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join(".lakes/events");
    for day in 0..2 {
        write(
            &dir.join(format!("date={}/part-0.parquet", day_name(day))),
            day_events(day, 100),
        );
    }
    let day0 = dir.join(format!("date={}", day_name(0)));
    garbage(&day0.join(".hidden.parquet"));
    garbage(&day0.join("_tmp.parquet"));
    std::fs::create_dir_all(dir.join("_temporary/0")).unwrap();
    garbage(&dir.join("_temporary/0/part-9.parquet"));
    std::fs::write(day0.join(".ingest-1-1.tmp"), b"half a file").unwrap();
    let ctx = SessionContext::new();
    register_lake(&ctx, &LakeConfig::new(dir.to_str().unwrap()))
        .await
        .unwrap();
    assert_eq!(
        count(&ctx, "SELECT count(*) FROM events").await.unwrap(),
        200
    );
}

/// Issue 22, item 20: with `skip_unreadable`, a lake whose every file is
/// unreadable says so, with how many and the first reason, instead of
/// "holds no .parquet files".
#[tokio::test]
async fn a_lake_of_only_unreadable_files_says_so() {
    let dir = tempfile::tempdir().unwrap();
    for day in 0..2 {
        let path = dir
            .path()
            .join(format!("date={}/part-0.parquet", day_name(day)));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b"a CSV file with the wrong name\n1,2,3\n").unwrap();
    }
    let mut cfg = LakeConfig::new(dir.path().to_str().unwrap());
    cfg.skip_unreadable = true;
    let err = register_lake(&SessionContext::new(), &cfg)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("all 2 .parquet files are unreadable and were skipped; the first, "),
        "{err}"
    );
    assert!(err.contains("part-0.parquet"), "{err}");
}

/// A small file that starts and ends like Parquet but whose footer names
/// more metadata than the file holds: the parquet crate panicked on it
/// (exit 101); it is an unreadable file naming the reason.
#[tokio::test]
async fn a_footer_that_overruns_its_file_is_unreadable_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir
        .path()
        .join(format!("date={}/part-0.parquet", day_name(0)));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let config = LakeConfig::new(dir.path().to_str().unwrap());
    let error = || async {
        register_lake(&SessionContext::new(), &config)
            .await
            .unwrap_err()
            .to_string()
    };
    garbage(&path);
    let err = error().await;
    assert!(
        err.contains("not a readable Parquet file: the footer names"),
        "{err}"
    );
    for tiny in [&b""[..], b"PAR1", b"PAR1PAR1PAR"] {
        std::fs::write(&path, tiny).unwrap();
        let err = error().await;
        assert!(err.contains("too small for a Parquet file"), "{err}");
    }
}
