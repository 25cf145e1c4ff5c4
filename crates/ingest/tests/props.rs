//! Property tests: no parser panics on any bytes, and a whole run on any
//! bytes ends in a report or an error, never a panic or a partial file.

use leadlake_ingest::nginx_format::{COMBINED, LogFormat};
use leadlake_ingest::scarf::CsvColumns;
use leadlake_ingest::{
    IngestConfig, Input, Outcome, artifact, classify, cloudflare, cloudfront, combined, detect,
    escape, ingest_dir, scarf, time,
};
use proptest::prelude::*;

/// Bytes that look a little like log lines: printable text with the
/// separators the parsers look for, plus arbitrary bytes.
fn loggy() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..200),
        "[ -~\\t]{0,200}".prop_map(String::into_bytes),
        "(1\\.2\\.3\\.4|::1|-) - - \\[[0-9]{2}/(Mar|Foo)/20[0-9]{2}:[0-9:]{8} [+-][0-9]{4}\\] \"[A-Z]{0,5} /[a-z/.?=\\\\\"]{0,30}( HTTP/1\\.1)?\" [0-9]{1,4} [0-9-]{1,4}( \"[^\"]{0,20}\" \"[^\"]{0,40}\"?)?"
            .prop_map(String::into_bytes),
        "\\{(\"[a-zA-Z_]{1,20}\":(\"[^\"]{0,20}\"|[0-9]{1,20}|null|true|\\{\\}),?){0,8}\\}?".prop_map(String::into_bytes),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn line_parsers_never_panic(line in loggy()) {
        let rules = IngestConfig { package: Some("p".into()), ..IngestConfig::default() }.compile().unwrap();
        if let Ok(hit) = combined::parse(&line) {
            let _ = classify::access(hit, &rules);
        }
        let custom = LogFormat::compile(r#"$time_iso8601 $remote_addr "$request" $status "$http_user_agent" $x"#).unwrap();
        if let Ok(hit) = custom.parse(&line) {
            let _ = classify::access(hit, &rules);
        }
        let mut cf = cloudfront::CloudFront::default();
        if !cf.comment(&line)
            && let Ok(hit) = cf.parse(&line)
        {
            let _ = classify::access(hit, &rules);
        }
        if let Ok(fields) = cloudflare::parse(&line).and_then(|r| r.fields()) {
            let _ = classify::access(fields.hit(), &rules);
        }
        if let Ok(e) = scarf::parse_json(&line) {
            let _ = scarf::classify(e, &rules);
        }
        let _ = detect(&line, &rules);
        let text = String::from_utf8_lossy(&line);
        let _ = escape::unescape(&text);
        let _ = artifact::parse(&text);
        let _ = scarf::url_path(&text);
        let _ = time::parse_clf(&text);
        let _ = time::parse_rfc3339(&text);
        let _ = LogFormat::compile(&text);
    }

    #[test]
    fn csv_records_never_panic(body in proptest::collection::vec(any::<u8>(), 0..300), header in "(id|time|type|package|pixel|dnt|variables|x)(,(id|time|type|package|pixel|dnt|variables|x)){0,6}") {
        let rules = IngestConfig::default().compile().unwrap();
        let Ok(cols) = CsvColumns::from_header(header.split(',').map(str::as_bytes)) else { return Ok(()) };
        let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(&body[..]);
        let mut rec = csv::ByteRecord::new();
        while let Ok(true) = r.read_byte_record(&mut rec) {
            if let Ok(e) = cols.parse(&rec) && let Outcome::Row(row) = scarf::classify(e, &rules) {
                prop_assert!(row.ts != i64::MIN);
            }
        }
    }

    #[test]
    fn unix_times_never_panic(v in any::<i64>()) {
        let _ = time::from_unix(v).map(time::day_of).map(time::day_name);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// A whole run over any bytes (plain or behind a gzip magic number):
    /// a report or an error, and the lake holds only complete `.parquet` files.
    #[test]
    fn whole_runs_never_panic(lines in proptest::collection::vec(loggy(), 0..8), gz in any::<bool>()) {
        let mut bytes = lines.join(&b'\n');
        if gz {
            bytes.splice(0..0, [0x1f, 0x8b]);
        }
        let dir = tempfile::tempdir().unwrap();
        let result = ingest_dir(vec![Input::reader("x", std::io::Cursor::new(bytes))], dir.path(), &IngestConfig::default(), &mut |_| {});
        if let Ok(report) = &result {
            let c = &report.total;
            prop_assert_eq!(c.read, c.parsed + c.malformed);
            prop_assert_eq!(c.parsed, c.dropped.total() + c.rows_out.total());
        }
        for day in std::fs::read_dir(dir.path()).unwrap() {
            let day = day.unwrap().path();
            for f in std::fs::read_dir(&day).unwrap() {
                let name = f.unwrap().file_name().to_string_lossy().into_owned();
                prop_assert!(name.ends_with(".parquet") && result.is_ok(), "{name}");
            }
        }
    }
}

#[test]
fn combined_format_is_public() {
    assert!(LogFormat::compile(COMBINED).is_ok());
}
