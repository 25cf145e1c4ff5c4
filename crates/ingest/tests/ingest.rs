//! End-to-end: fixtures in, Parquet read back, row by row and count by count.

#![expect(clippy::unwrap_used, reason = "a test fails loudly on purpose")]

mod common;

use common::*;
use leadlake_ingest::report::{Counts, Dropped, MalformedLine, RowsOut};
use leadlake_ingest::{Format, IngestConfig, IngestError, Input, ingest_dir};
use std::collections::BTreeMap;
use std::io::Write;

fn counts(
    read: u64,
    malformed: &[u64],
    dropped: Dropped,
    rows_out: RowsOut,
) -> (u64, u64, Vec<u64>, Dropped, RowsOut) {
    (
        read,
        read - malformed.len() as u64,
        malformed.to_vec(),
        dropped,
        rows_out,
    )
}

fn got(c: &Counts) -> (u64, u64, Vec<u64>, Dropped, RowsOut) {
    assert_eq!(c.read, c.parsed + c.malformed);
    assert_eq!(c.parsed, c.dropped.total() + c.rows_out.total());
    (
        c.read,
        c.parsed,
        c.malformed_lines
            .iter()
            .map(|m: &MalformedLine| m.line)
            .collect(),
        c.dropped.clone(),
        c.rows_out.clone(),
    )
}

#[test]
fn scarf_exports_both_orders_and_ndjson() {
    let dir = tempfile::tempdir().unwrap();
    let report = run(
        vec![
            fixture("scarf_docs_order.csv"),
            fixture("scarf_export_order.csv"),
            fixture("scarf.ndjson"),
        ],
        dir.path(),
    )
    .unwrap();
    let [a, b, n] = &report.inputs[..] else {
        panic!("{report:?}")
    };
    assert_eq!(a.format, Some(Format::Scarf));
    assert_eq!(
        got(&a.counts),
        counts(
            10,
            &[10, 11],
            Dropped {
                dnt: 1,
                unmappable_type: 1,
                ..Dropped::default()
            },
            RowsOut {
                download: 3,
                docs_view: 1,
                page_view: 2,
                call_home: 0
            }
        )
    );
    assert_eq!(
        got(&b.counts),
        counts(
            3,
            &[],
            Dropped {
                duplicate_id: 1,
                ..Dropped::default()
            },
            RowsOut {
                download: 1,
                docs_view: 1,
                ..RowsOut::default()
            }
        )
    );
    assert_eq!(
        got(&n.counts),
        counts(
            9,
            &[7, 8],
            Dropped {
                duplicate_id: 2,
                dnt: 1,
                unmappable_type: 1,
                ..Dropped::default()
            },
            RowsOut {
                download: 2,
                docs_view: 1,
                ..RowsOut::default()
            }
        )
    );
    assert_eq!(report.total.rows_out.total(), 11);
    assert_eq!(report.total.dropped.duplicate_id, 3);

    let lake = read_lake(dir.path());
    let days: Vec<&str> = lake.keys().map(|k| &k[..15]).collect();
    assert_eq!(
        days,
        ["date=2024-03-01", "date=2024-03-02", "date=2024-03-03"]
    );
    for rows in lake.values() {
        assert!(rows.windows(2).all(|w| w[0].ts <= w[1].ts), "sorted by ts");
    }
    let all = rows(dir.path());
    let by_ts = |t: &str| {
        all.iter()
            .find(|r| r.ts == us(t))
            .unwrap_or_else(|| panic!("no row at {t}"))
    };

    let a1 = by_ts("2024-03-01T10:00:00Z");
    assert_eq!(a1.s("kind"), Some("download"));
    assert_eq!(
        (a1.s("package"), a1.s("version"), a1.s("path"), a1.s("ip")),
        (Some("leadlake"), Some("1.2.0"), None, None)
    );
    assert_eq!(
        a1.s("user_agent"),
        Some(r#"pip/23.3.1 {"ci":null,"cpu":"x86_64"}"#)
    );
    assert_eq!(
        (a1.s("company"), a1.s("domain"), a1.s("network_type")),
        (
            Some("Zürich Analytics AG"),
            Some("zurich-analytics.example"),
            // Scarf's connection type in the lake's words
            Some("business")
        )
    );
    assert_eq!(a1.s("origin"), Some("o-1"));

    let a2 = by_ts("2024-03-01T10:05:00.5Z");
    assert_eq!(
        (a2.s("kind"), a2.s("path"), a2.s("company")),
        (
            Some("docs_view"),
            Some("/docs/intro/"),
            Some("株式会社テスト")
        )
    );
    assert_eq!(
        a2.s("referer"),
        Some("https://docs.example.com/docs/guide/?utm=1")
    );

    let a3 = by_ts("2024-03-01T10:06:00Z");
    assert_eq!((a3.s("kind"), a3.s("path")), (Some("page_view"), Some("/")));
    assert_eq!(
        a3.s("user_agent"),
        Some("Mozilla/5.0\r\n(evil, \"quoted\")")
    );

    assert_eq!(by_ts("2024-03-01T10:08:00Z").s("version"), Some("1.1.0"));
    let a6 = by_ts("2024-03-01T10:09:00Z");
    assert_eq!(
        (a6.s("kind"), a6.s("path")),
        (Some("page_view"), Some("/README.md"))
    );
    let a9 = by_ts("2024-03-01T23:00:00.123456Z");
    assert_eq!((a9.s("kind"), a9.s("company")), (Some("download"), None));

    let b1 = by_ts("2024-03-02T08:00:00Z");
    assert_eq!(
        (b1.s("version"), b1.s("company"), b1.s("origin")),
        (Some("1.3.0"), Some("Beta Corp"), Some("o-b1"))
    );
    assert_eq!(
        (
            by_ts("2024-03-02T08:01:00Z").s("kind"),
            by_ts("2024-03-02T08:01:00Z").s("path")
        ),
        (Some("docs_view"), Some("/docs"))
    );

    let n1 = by_ts("2024-03-03T09:00:00Z");
    assert_eq!(
        (n1.s("company"), n1.s("user_agent")),
        (Some("Ñandú SA"), Some("npm/10"))
    );
    assert_eq!(by_ts("2024-03-03T09:01:00Z").s("path"), Some("/docs/x"));
    assert_eq!(by_ts("2024-03-03T09:04:00.1Z").s("version"), Some("2"));
    assert_eq!(all.len(), 11);
    assert!(all.iter().all(|r| r.s("ip").is_none()));
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

#[test]
fn access_logs() {
    let dir = tempfile::tempdir().unwrap();
    let plain = std::fs::read(data("nginx_dst.log")).unwrap();
    let inputs = vec![
        fixture("nginx_dst.log"),
        // gzip told by magic bytes, whatever the name says
        Input::reader("nginx-copy.log", std::io::Cursor::new(gzip(&plain))),
        fixture("apache_pip.log"),
        fixture("cloudfront.log"),
        fixture("cloudflare.ndjson"),
    ];
    let report = run(inputs, dir.path()).unwrap();
    let [ng, gz, ap, cf, cl] = &report.inputs[..] else {
        panic!("{report:?}")
    };
    let nginx_counts = counts(
        11,
        &[8, 9],
        Dropped {
            status: BTreeMap::from([(301, 1), (404, 1)]),
            method: 1,
            asset: 1,
            ..Dropped::default()
        },
        RowsOut {
            download: 1,
            docs_view: 2,
            page_view: 1,
            call_home: 1,
        },
    );
    assert_eq!(
        (ng.format, ng.gzip, got(&ng.counts)),
        (Some(Format::Nginx), false, nginx_counts.clone())
    );
    assert_eq!(
        (gz.format, gz.gzip, got(&gz.counts)),
        (Some(Format::Nginx), true, nginx_counts)
    );
    assert_eq!(ng.counts.malformed_lines[0].reason, "bad client address");
    assert_eq!(ng.counts.malformed_lines[1].reason, "invalid UTF-8");
    // time order moved past 2024-03-31 and came back: a second part for that day
    let parts: Vec<&str> = ng.files.iter().map(|f| &f[f.len() - 19..]).collect();
    assert_eq!(
        parts,
        [
            "-20240331-0.parquet",
            "-20240331-1.parquet",
            "-20240401-0.parquet"
        ]
    );
    assert!(
        ng.files[0].starts_with("date=2024-03-31/") && ng.files[2].starts_with("date=2024-04-01/")
    );
    assert_eq!(
        (ap.format, got(&ap.counts)),
        (
            Some(Format::Apache),
            counts(
                4,
                &[4],
                Dropped::default(),
                RowsOut {
                    download: 2,
                    docs_view: 1,
                    ..RowsOut::default()
                }
            )
        )
    );
    assert_eq!(
        (cf.format, got(&cf.counts)),
        (
            Some(Format::CloudFront),
            counts(
                4,
                &[],
                Dropped {
                    status: BTreeMap::from([(0, 1)]),
                    ..Dropped::default()
                },
                RowsOut {
                    download: 1,
                    docs_view: 1,
                    call_home: 1,
                    ..RowsOut::default()
                }
            )
        )
    );
    assert_eq!(
        (cl.format, got(&cl.counts)),
        (
            Some(Format::Cloudflare),
            counts(
                5,
                &[4, 5],
                Dropped {
                    method: 1,
                    ..Dropped::default()
                },
                RowsOut {
                    download: 1,
                    docs_view: 1,
                    ..RowsOut::default()
                }
            )
        )
    );

    let lake = read_lake(dir.path());
    let file_rows = |rel: &str| lake.get(rel).unwrap().clone();
    let nginx: Vec<Got> = ng.files.iter().flat_map(|f| file_rows(f)).collect();
    let copy: Vec<Got> = gz.files.iter().flat_map(|f| file_rows(f)).collect();
    assert_eq!(nginx, copy);
    let ts: Vec<i64> = nginx.iter().map(|r| r.ts).collect();
    // DST: 01:59:58 +0100 and 03:00:01 +0200 are three seconds apart
    assert_eq!(
        ts,
        [
            us("2024-03-31T00:59:58Z"),
            us("2024-03-31T01:00:01Z"),
            us("2024-03-31T01:00:02Z"),
            us("2024-03-31T01:00:08Z"),
            us("2024-04-01T07:00:00Z")
        ]
    );
    let wheel = &nginx[0];
    assert_eq!(
        (wheel.s("kind"), wheel.s("package"), wheel.s("version")),
        (Some("download"), Some("leadlake"), Some("1.2.0"))
    );
    assert_eq!(
        wheel.s("path"),
        Some("/simple/leadlake/leadlake-1.2.0-py3-none-any.whl")
    );
    assert_eq!(
        wheel.s("user_agent"),
        Some(
            r#"pip/23.3.1 {"ci":null,"cpu":"x86_64","implementation":{"name":"CPython","version":"3.12.1"}}"#
        )
    );
    assert_eq!(
        (wheel.s("ip"), wheel.s("referer")),
        (Some("203.0.113.9"), None)
    );
    let docs = &nginx[1];
    assert_eq!(
        (
            docs.s("kind"),
            docs.s("path"),
            docs.s("ip"),
            docs.s("referer")
        ),
        (
            Some("docs_view"),
            Some("/docs/install/"),
            Some("2001:db8::5"),
            Some("https://www.google.com/")
        )
    );
    let ping = &nginx[2];
    assert_eq!(
        (
            ping.s("kind"),
            ping.s("ip"),
            ping.s("package"),
            ping.s("version")
        ),
        (
            Some("call_home"),
            Some("::ffff:198.51.100.7"),
            Some("leadlake"),
            Some("1.4.0")
        )
    );
    assert_eq!(
        (nginx[4].s("kind"), nginx[3].s("kind"), nginx[3].s("path")),
        (Some("docs_view"), Some("page_view"), Some("/"))
    );

    let apache: Vec<Got> = ap.files.iter().flat_map(|f| file_rows(f)).collect();
    assert_eq!(
        apache[0].s("user_agent"),
        Some(
            r#"pip/23.3.1 {"ci":null,"cpu":"x86_64","installer":{"name":"pip","version":"23.3.1"}}"#
        )
    );
    assert_eq!(
        (apache[1].s("kind"), apache[1].s("user_agent")),
        (Some("docs_view"), None)
    );
    assert_eq!(
        (
            apache[2].s("package"),
            apache[2].s("version"),
            apache[2].s("referer")
        ),
        (
            Some("leadlake"),
            Some("1.2.0-1"),
            Some("https://example.com/install")
        )
    );

    let cloudfront: Vec<Got> = cf.files.iter().flat_map(|f| file_rows(f)).collect();
    assert_eq!(cloudfront[0].ts, us("2024-02-01T12:00:00Z"));
    assert_eq!(
        cloudfront[0].s("user_agent"),
        Some("npm/10.2.4 node/v20.11.0 linux x64 workspaces/false")
    );
    assert_eq!(
        (cloudfront[0].s("package"), cloudfront[0].s("version")),
        (Some("leadlake"), Some("1.2.0"))
    );
    assert_eq!(
        cloudfront[1].s("user_agent"),
        Some("Mozilla/5.0 (Windows NT 10.0; Win64; x64)")
    );
    assert_eq!(
        (cloudfront[2].s("kind"), cloudfront[2].s("version")),
        (Some("call_home"), Some("1.3.1"))
    );

    let cloudflare: Vec<Got> = cl.files.iter().flat_map(|f| file_rows(f)).collect();
    assert_eq!(
        (
            cloudflare[0].ts,
            cloudflare[0].s("version"),
            cloudflare[0].s("referer")
        ),
        (us("2024-02-02T08:00:00.123456Z"), Some("1.2.0"), None)
    );
    assert_eq!(
        (cloudflare[1].ts, cloudflare[1].s("path")),
        (us("2024-02-02T08:00:01Z"), Some("/docs/api"))
    );
}

fn everything() -> Vec<Input> {
    [
        "scarf_docs_order.csv",
        "scarf_export_order.csv",
        "scarf.ndjson",
        "nginx_dst.log",
        "apache_pip.log",
        "cloudfront.log",
        "cloudflare.ndjson",
    ]
    .into_iter()
    .map(fixture)
    .collect()
}

#[test]
fn rerun_is_byte_identical() {
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    run(everything(), one.path()).unwrap();
    let first = all_bytes(one.path());
    assert!(
        first.keys().all(|k| k.ends_with(".parquet")),
        "no temporary files left: {:?}",
        first.keys()
    );
    let again = run(everything(), one.path()).unwrap();
    assert!(again.removed.is_empty());
    assert_eq!(all_bytes(one.path()), first);
    run(everything(), two.path()).unwrap();
    assert_eq!(all_bytes(two.path()), first);
}

#[test]
fn a_new_day_adds_files_and_rewrites_none() {
    let dir = tempfile::tempdir().unwrap();
    run(vec![fixture("scarf_docs_order.csv")], dir.path()).unwrap();
    let before = all_bytes(dir.path());
    let report = run(vec![fixture("cloudfront.log")], dir.path()).unwrap();
    let after = all_bytes(dir.path());
    assert!(before.iter().all(|(k, v)| after.get(k) == Some(v)));
    assert_eq!(after.len(), before.len() + report.inputs[0].files.len());
}

#[test]
fn corrected_export_replaces_the_old_files() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read(data("scarf_export_order.csv")).unwrap();
    let first = run(
        vec![
            Input::reader("export.csv", std::io::Cursor::new(original.clone())),
            fixture("cloudfront.log"),
        ],
        dir.path(),
    )
    .unwrap();
    let old_files = first.inputs[0].files.clone();
    assert_eq!(old_files.len(), 2); // 2024-03-01 and 2024-03-02
    assert_eq!(first.inputs[0].counts.rows_out.total(), 3);
    // the correction keeps only the header and the first record
    let corrected: Vec<u8> = original
        .split(|&c| c == b'\n')
        .take(2)
        .flat_map(|l| [l, b"\n"].concat())
        .collect();
    let second = run(
        vec![Input::reader("export.csv", std::io::Cursor::new(corrected))],
        dir.path(),
    )
    .unwrap();
    let mut removed = second.removed.clone();
    removed.sort();
    assert_eq!(removed, old_files);
    let lake = read_lake(dir.path());
    let files: Vec<&String> = lake.keys().collect();
    let mut expected: Vec<&String> = second.inputs[0]
        .files
        .iter()
        .chain(&first.inputs[1].files)
        .collect();
    expected.sort();
    assert_eq!(files, expected);
    assert_eq!(lake[&second.inputs[0].files[0]].len(), 1);
}

#[test]
fn bad_inputs_never_leave_partial_output() {
    let dir = tempfile::tempdir().unwrap();
    let plain = std::fs::read(data("nginx_dst.log")).unwrap();
    let mut big = Vec::new();
    for _ in 0..2000 {
        big.extend_from_slice(&plain);
        big.push(b'\n');
    }
    let gz = gzip(&big);
    let truncated = gz[..gz.len() / 2].to_vec();
    let err = run(
        vec![
            fixture("scarf.ndjson"),
            Input::reader("cut.log.gz", std::io::Cursor::new(truncated)),
        ],
        dir.path(),
    )
    .unwrap_err();
    assert!(
        matches!(&err, IngestError::Read { file, line, .. } if file == "cut.log.gz" && *line > 0),
        "{err}"
    );
    assert!(err.to_string().contains("cut.log.gz"));
    assert_eq!(
        all_bytes(dir.path()).len(),
        0,
        "nothing visible, nothing left: {:?}",
        all_bytes(dir.path()).keys()
    );

    let garbage = vec![0x1f, 0x8b, 0, 1, 2, 3];
    assert!(matches!(
        run(
            vec![Input::reader("g.gz", std::io::Cursor::new(garbage))],
            dir.path()
        ),
        Err(IngestError::Read { .. })
    ));

    let empty = run(vec![Input::reader("empty", std::io::empty())], dir.path()).unwrap();
    assert_eq!((empty.inputs[0].format, empty.total.read), (None, 0));

    let no_id = "type,time,package\nbinary-download,2024-01-01T00:00:00Z,x\n";
    let err = run(
        vec![Input::reader("noid.csv", std::io::Cursor::new(no_id)).with_format(Format::Scarf)],
        dir.path(),
    )
    .unwrap_err();
    assert!(
        matches!(&err, IngestError::MissingColumn { file, column: "id" } if file == "noid.csv"),
        "{err}"
    );
    let no_time = "id,type,package,pixel\n1,binary-download,x,\n";
    assert!(matches!(
        run(
            vec![Input::reader("t.csv", std::io::Cursor::new(no_time))],
            dir.path()
        ),
        Err(IngestError::MissingColumn { column: "time", .. })
    ));

    let err = run(
        vec![Input::reader(
            "what.txt",
            std::io::Cursor::new("hello\nworld\n"),
        )],
        dir.path(),
    )
    .unwrap_err();
    assert!(
        matches!(&err, IngestError::UndetectableFormat { file } if file == "what.txt"),
        "{err}"
    );

    let err = run(
        vec![fixture("scarf.ndjson"), fixture("scarf.ndjson")],
        dir.path(),
    )
    .unwrap_err();
    assert!(matches!(err, IngestError::DuplicateInput { .. }));
    assert_eq!(all_bytes(dir.path()).len(), 0);
}

#[test]
fn unwritable_output_fails_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    // the input does not exist: reading it first would be an Open error
    let err = run(
        vec![Input::path(dir.path().join("missing.log"))],
        &file.join("lake"),
    )
    .unwrap_err();
    assert!(
        matches!(err, IngestError::OutputNotWritable { .. }),
        "{err}"
    );
    let err = run(
        vec![Input::path(dir.path().join("missing.log"))],
        dir.path(),
    )
    .unwrap_err();
    assert!(
        matches!(&err, IngestError::Open { file, .. } if file.ends_with("missing.log")),
        "{err}"
    );
}

#[test]
fn custom_nginx_format_and_progress() {
    let dir = tempfile::tempdir().unwrap();
    let log = "2024-05-01T10:00:00+02:00 192.0.2.1 \"GET\" \"/docs/a?b\" 200 0.01 \"x/1.0\"\n\
               2024-05-01T10:00:01+02:00 192.0.2.2 \"GET\" \"/x-2.0.zip\" 200 0.01 \"-\"\n\
               nonsense\n";
    let config = IngestConfig {
        nginx_log_format: Some(r#"$time_iso8601 $remote_addr "$request_method" "$request_uri" $status $request_time "$http_user_agent""#.into()),
        ..IngestConfig::default()
    };
    let mut calls = Vec::new();
    let report = ingest_dir(
        vec![Input::reader("custom.log", std::io::Cursor::new(log))],
        dir.path(),
        &config,
        &mut |p| calls.push((p.input.to_owned(), p.records, p.done)),
    )
    .unwrap();
    assert_eq!(calls.last(), Some(&("custom.log".to_owned(), 3, true)));
    let c = &report.inputs[0].counts;
    assert_eq!(
        (
            report.inputs[0].format,
            c.read,
            c.malformed,
            c.rows_out.docs_view,
            c.rows_out.download
        ),
        (Some(Format::Nginx), 3, 1, 1, 1)
    );
    let rows = rows(dir.path());
    assert_eq!(
        (rows[0].ts, rows[0].s("path"), rows[0].s("user_agent")),
        (us("2024-05-01T08:00:00Z"), Some("/docs/a"), Some("x/1.0"))
    );
    assert_eq!(
        (rows[1].s("package"), rows[1].s("version")),
        (Some("x"), Some("2.0"))
    );
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["inputs"][0]["counts"]["malformed_lines"][0]["line"], 3);
}

/// Records are read in batches of 64 (ids looked up ahead): duplicates
/// within a batch, across batches and across inputs, a malformed record and
/// a quoted line break in later batches count as they did one by one.
#[test]
fn scarf_csv_across_read_batches() {
    let mut csv = String::from("id,time,package\n");
    for i in 0..200 {
        let id = if (150..170).contains(&i) { i - 150 } else { i }; // 20 duplicates
        match i {
            100 => csv.push_str("r100,2024-03-01T00:00:00Z,\"two\nlines\"\n"),
            130 => csv.push_str("r130,2024-03-01T00:00:00Z\n"), // ragged
            _ => csv.push_str(&format!("r{id},2024-03-01T00:{:02}:00Z,p\n", i % 60)),
        }
    }
    let again = "id,time,package\nr5,2024-03-01T00:05:00Z,p\nr199,2024-03-01T00:19:00Z,p\nnew,2024-03-01T00:00:00Z,p\n";
    let dir = tempfile::tempdir().unwrap();
    let report = run(
        vec![
            Input::reader("a.csv", std::io::Cursor::new(csv.into_bytes())),
            Input::reader("b.csv", std::io::Cursor::new(again.as_bytes().to_vec())),
        ],
        dir.path(),
    )
    .unwrap();
    let (a, b) = (&report.inputs[0].counts, &report.inputs[1].counts);
    assert_eq!((a.read, a.malformed, a.dropped.duplicate_id), (200, 1, 20));
    // header, 100 records of one line, one of two: record 130 is on line 133
    assert_eq!(
        a.malformed_lines.iter().map(|m| m.line).collect::<Vec<_>>(),
        [133]
    );
    assert_eq!(a.rows_out.total(), 179);
    assert_eq!(
        (b.read, b.dropped.duplicate_id, b.rows_out.total()),
        (3, 2, 1)
    );
    assert_eq!(rows(dir.path()).len(), 180);
}
