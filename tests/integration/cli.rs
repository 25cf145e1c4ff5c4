//! The real `leadlake` binary: output, formats, exit codes and errors.

use crate::support;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn leadlake(args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_leadlake"));
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("binary runs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn ipdb_args() -> Vec<String> {
    let mut args = Vec::new();
    for name in [
        "GeoIP2-ISP-Test",
        "GeoIP2-Domain-Test",
        "GeoLite2-ASN-Test",
        "GeoIP2-Anonymous-IP-Test",
    ] {
        args.push("--ipdb".to_string());
        args.push(support::maxmind(name).display().to_string());
    }
    args.push("--overrides".into());
    args.push(support::data("overrides.csv").display().to_string());
    args
}

fn shell(extra: &[&str], stdin: Option<&str>) -> Output {
    let mut args: Vec<String> = vec!["shell".into()];
    args.extend(ipdb_args());
    let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
    all.extend_from_slice(extra);
    leadlake(&all, stdin)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn shell_c_prints_a_table() {
    let out = shell(
        &[
            "-c",
            "SELECT ip_company('1.128.5.7')['company'] AS company, ip_asn('1.0.0.1') AS asn",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "+-----------+-------+\n| company   | asn   |\n+-----------+-------+\n| Acme Corp | 15169 |\n+-----------+-------+\n"
    );
}

#[test]
fn formats() {
    let sql = "SELECT column1 AS ip, ip_domain(column1) AS domain, ip_asn(column1) AS asn FROM (VALUES ('1.2.3.4'), ('1.0.0.1')) ORDER BY ip";
    let csv = shell(&["--format", "csv", "-c", sql], None);
    assert!(csv.status.success(), "{}", text(&csv.stderr));
    assert_eq!(
        text(&csv.stdout),
        "ip,domain,asn\n1.0.0.1,,15169\n1.2.3.4,maxmind.com,\n"
    );
    let json = shell(&["--format", "json", "-c", sql], None);
    assert_eq!(
        text(&json.stdout),
        "[{\"ip\":\"1.0.0.1\",\"asn\":15169},{\"ip\":\"1.2.3.4\",\"domain\":\"maxmind.com\"}]\n"
    );
    let ndjson = shell(&["--format", "ndjson", "-c", sql], None);
    assert_eq!(
        text(&ndjson.stdout),
        "{\"ip\":\"1.0.0.1\",\"asn\":15169}\n{\"ip\":\"1.2.3.4\",\"domain\":\"maxmind.com\"}\n"
    );
    // a struct column prints as JSON, and is refused (clearly) by CSV
    let j = shell(
        &[
            "--format",
            "json",
            "-c",
            "SELECT ip_company('1.128.5.7') AS c",
        ],
        None,
    );
    assert!(
        text(&j.stdout).contains("\"company\":\"Acme Corp\""),
        "{}",
        text(&j.stdout)
    );
    let c = shell(
        &[
            "--format",
            "csv",
            "-c",
            "SELECT ip_company('1.128.5.7') AS c",
        ],
        None,
    );
    assert_eq!(c.status.code(), Some(1));
    assert!(
        text(&c.stderr).contains("column 'c' is a Struct"),
        "{}",
        text(&c.stderr)
    );
    assert!(
        text(&c.stderr).contains("CSV needs flat columns"),
        "{}",
        text(&c.stderr)
    );
}

#[test]
fn stdin_script_stops_at_the_first_error() {
    let script = "SELECT ip_asn('1.0.0.1') AS a;\nSELECT ip_company(42);\nSELECT 'never' AS b;\n";
    let out = shell(&["--format", "csv"], Some(script));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "a\n15169\n");
    let err = text(&out.stderr);
    assert!(err.starts_with("Error: "), "{err}");
    assert!(
        err.contains("Unexpected argument type to 'ip_company' at position 1"),
        "{err}"
    );
}

#[test]
fn bad_sql_and_bad_files_fail_with_clear_errors() {
    let out = shell(&["-c", "SELEC 1"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("SQL error"),
        "{}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty());

    let city = support::maxmind("GeoIP2-City-Test").display().to_string();
    let out = leadlake(&["shell", "--ipdb", &city, "-c", "SELECT 1"], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr).lines().next().unwrap_or_default(),
        format!(
            "Error: {city} is a 'GeoIP2-City' database, which has no company, domain, ASN or network-type data; leadlake reads GeoIP2-Enterprise, GeoIP2-ISP, GeoIP2-Domain, GeoLite2-ASN, GeoIP2-Connection-Type, GeoIP2-Anonymous-IP and IPinfo company/ASN databases"
        )
    );

    let out = leadlake(
        &["shell", "--ipdb", "/nonexistent/x.mmdb", "-c", "SELECT 1"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "Error: cannot read /nonexistent/x.mmdb: No such file or directory (os error 2)\n"
    );

    let out = leadlake(&["shell", "--format", "xml", "-c", "SELECT 1"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("invalid value 'xml' for '--format <FORMAT>'"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_closed_pipe_is_not_a_failure() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_leadlake"))
        .args([
            "shell",
            "--format",
            "csv",
            "-c",
            "SELECT * FROM generate_series(1, 2000000)",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        text(&out.stderr)
    );
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

#[test]
fn demo_enriches_the_sample_addresses() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("demo");
    let args = [
        "demo",
        "--addresses",
        "--dir",
        d.to_str().unwrap(),
        "--format",
        "csv",
    ];
    let out = leadlake(&args, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    assert!(
        csv.starts_with("ip,company,company_key,domain,asn,network_type,source\n"),
        "{csv}"
    );
    assert!(
        csv.contains("203.0.113.7,Acme Corp,acme,acme.example,64500,business,GeoIP2-ISP\n"),
        "{csv}"
    );
    assert!(
        csv.contains(
            "100.65.3.4,Umbrella Corporation,umbrella,umbrella.example,,business,override\n"
        ),
        "{csv}"
    );
    assert!(
        csv.contains("192.0.2.10,Amazon.com,amazon,,16509,hosting,GeoIP2-ISP\n"),
        "{csv}"
    );
    assert!(csv.contains("100.64.0.5,,,,64501,anonymous,\n"), "{csv}");
    assert_eq!(
        csv.lines().count(),
        1 + leadlake_cli::demo::SAMPLE_ADDRESSES.len()
    );
    // cached: a second run reuses the files
    let before = std::fs::metadata(d.join("demo-isp.mmdb"))
        .unwrap()
        .modified()
        .unwrap();
    let again = leadlake(&args, None);
    assert_eq!(text(&again.stdout), csv);
    assert_eq!(
        std::fs::metadata(d.join("demo-isp.mmdb"))
            .unwrap()
            .modified()
            .unwrap(),
        before
    );
}

#[test]
fn generate_then_query_the_lake() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("synthetic");
    let o = out.to_str().unwrap();
    let gen_out = leadlake(
        &[
            "generate", "--out", o, "--events", "20000", "--days", "40", "--seed", "5",
        ],
        None,
    );
    assert!(gen_out.status.success(), "{}", text(&gen_out.stderr));
    let summary = text(&gen_out.stdout);
    assert!(
        summary.starts_with("wrote ")
            && summary.contains(" files for ")
            && summary.contains("(as_of 2026-02-10)"),
        "{summary}"
    );

    let ipdb = out.join("ipdb");
    let mut args: Vec<String> = vec![
        "shell".into(),
        "--lake".into(),
        out.join("lake").display().to_string(),
    ];
    for f in [
        "synthetic-isp.mmdb",
        "synthetic-asn.mmdb",
        "synthetic-anonymous-ip.mmdb",
    ] {
        args.push("--ipdb".into());
        args.push(ipdb.join(f).display().to_string());
    }
    args.extend([
        "--overrides".into(),
        ipdb.join("overrides.csv").display().to_string(),
    ]);
    args.extend(["--format".into(), "csv".into(), "-c".into()]);
    args.push(
        "SELECT ip_network_type(ip) AS t, count(*) > 0 AS some FROM events GROUP BY t ORDER BY t"
            .into(),
    );
    let q = leadlake(&args.iter().map(String::as_str).collect::<Vec<_>>(), None);
    assert!(q.status.success(), "{}", text(&q.stderr));
    assert_eq!(
        text(&q.stdout),
        "t,some\nanonymous,true\nbusiness,true\nhosting,true\nisp,true\n"
    );

    // a broken file: an error naming it, or skipped and reported when asked
    let broken = out.join("lake/date=2026-01-05/part-0.parquet");
    std::fs::write(&broken, b"not parquet").unwrap();
    let lake = out.join("lake").display().to_string();
    let e = leadlake(&["shell", "--lake", &lake, "-c", "SELECT 1"], None);
    assert_eq!(e.status.code(), Some(1));
    let err = text(&e.stderr);
    assert!(
        err.contains("date=2026-01-05/part-0.parquet: not a readable Parquet file"),
        "{err}"
    );
    let ok = leadlake(
        &[
            "shell",
            "--lake",
            &lake,
            "--skip-unreadable",
            "--format",
            "csv",
            "-c",
            "SELECT count(*) > 0 AS n FROM events",
        ],
        None,
    );
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    assert_eq!(text(&ok.stdout), "n\ntrue\n");
    let warn = text(&ok.stderr);
    assert!(
        warn.starts_with("warning: skipped unreadable file ")
            && warn.contains("date=2026-01-05/part-0.parquet"),
        "{warn}"
    );

    // a lake that is not there
    let missing = dir.path().join("nowhere");
    let e = leadlake(
        &[
            "shell",
            "--lake",
            missing.to_str().unwrap(),
            "-c",
            "SELECT 1",
        ],
        None,
    );
    assert_eq!(e.status.code(), Some(1));
    assert!(
        text(&e.stderr).starts_with(&format!("Error: cannot list lake {}", missing.display())),
        "{}",
        text(&e.stderr)
    );
    // a bad mapping flag
    let e = leadlake(
        &[
            "shell",
            "--lake",
            o,
            "--lake-column",
            "ts",
            "-c",
            "SELECT 1",
        ],
        None,
    );
    assert_eq!(e.status.code(), Some(2));
    assert!(
        text(&e.stderr).contains("expected CANONICAL=FILE_NAME, got 'ts'"),
        "{}",
        text(&e.stderr)
    );
}

#[test]
fn shell_backslash_commands_work_from_stdin() {
    let script =
        "\\timing\nSELECT 41 + 1 AS answer;\n\\dt\n\\df journey_st\n\\q\nSELECT 'not reached';\n";
    let out = shell(&["--format", "csv"], Some(script));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("answer\n42\n"), "{stdout}");
    assert!(
        stdout.contains("table_schema,table_name,table_type"),
        "{stdout}"
    );
    assert!(stdout.contains("journey_stage(ts, kind, path, version, source, as_of [, package])\n    Aggregate: the journey stage"), "{stdout}");
    assert!(!stdout.contains("not reached"), "\\q stops the script");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("timing is on") && stderr.contains("time: "),
        "{stderr}"
    );

    let out = shell(&[], Some("\\bogus\nSELECT 1;\n"));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr).trim_end(),
        "Error: unknown command \\bogus (\\? lists them)"
    );
    assert!(text(&out.stdout).is_empty());
}

/// The prompt at a real terminal: `script` (util-linux) gives the shell a
/// pseudo-terminal; keys are typed after each prompt appears.
#[test]
fn the_prompt_edits_lines_keeps_history_and_handles_ctrl_c_and_ctrl_d() {
    use std::io::Read;
    use std::sync::{Arc, Mutex};
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("history");
    let command = format!("{} shell", env!("CARGO_BIN_EXE_leadlake"));
    let mut child = std::process::Command::new("script")
        .args(["-qfec", &command, "/dev/null"])
        .env("LEADLAKE_HISTORY", &history)
        .env("TERM", "xterm")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("script(1) from util-linux runs");
    let screen = Arc::new(Mutex::new(String::new()));
    let mut stdout = child.stdout.take().unwrap();
    let sink = Arc::clone(&screen);
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    let prompts = |s: &str| s.matches("leadlake> ").count() + s.matches("...> ").count();
    let mut stdin = child.stdin.take().unwrap();
    for (typed_prompts, keys) in [
        "SELECT 40 +\r",
        "2 AS answer;\r",
        "half a statem\x03",
        "\\dt\r",
        "\x04",
    ]
    .into_iter()
    .enumerate()
    {
        // wait for the next prompt, then type
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            if prompts(&screen.lock().unwrap()) > typed_prompts {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no prompt: {}",
                screen.lock().unwrap()
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        stdin.write_all(keys.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }
    let status = child.wait().unwrap();
    reader.join().unwrap();
    let screen = screen.lock().unwrap().replace('\r', "");
    assert!(status.success(), "{screen}");
    assert!(
        screen.contains("| answer |") && screen.contains("| 42     |"),
        "{screen}"
    );
    assert!(screen.contains("table_schema"), "{screen}");
    assert!(
        !screen.contains("Error"),
        "the dropped statement never ran: {screen}"
    );
    let saved = std::fs::read_to_string(&history).unwrap();
    assert!(
        saved.contains("SELECT 40 +") && saved.contains("\\\\dt"),
        "{saved}"
    );
    assert!(!saved.contains("half a statem"), "{saved}");
}

/// Issue 22, items 1 and 18: bad URLs, ports and endpoints are errors
/// naming them (exit 1), never a panic (exit 101), and a URL without a
/// bucket never reaches for cloud credentials.
#[test]
fn bad_urls_ports_and_endpoints_are_errors_never_panics() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("bad.toml");
    std::fs::write(
        &cfg,
        "[lake]\nurl = \"s3://b/x/\"\nstorage = { aws_endpoint = \"http://localhost:90000\" }\n",
    )
    .unwrap();
    let creds = [
        ("AWS_ACCESS_KEY_ID", "x"),
        ("AWS_SECRET_ACCESS_KEY", "y"),
        ("AWS_REGION", "us-east-1"),
    ];
    let bad_port = [("AWS_ENDPOINT_URL", "http://localhost:90000")];
    // (arguments, extra environment, what stderr must say)
    type Case<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        (
            vec!["shell", "--lake", "s3://b/x/", "-c", "SELECT 1"],
            bad_port.to_vec(),
            "AWS_ENDPOINT_URL = 'http://localhost:90000'",
        ),
        (
            vec!["shell", "--config", cfg.to_str().unwrap(), "-c", "SELECT 1"],
            vec![],
            "aws_endpoint = 'http://localhost:90000'",
        ),
        (
            vec![
                "shell",
                "--lake",
                "http://localhost:90000/lake/",
                "-c",
                "SELECT 1",
            ],
            vec![],
            "invalid port number",
        ),
        (
            vec!["shell", "--lake", "s3:///events/", "-c", "SELECT 1"],
            vec![],
            "no bucket",
        ),
        (
            vec!["shell", "--lake", "gs://", "-c", "SELECT 1"],
            vec![],
            "no bucket",
        ),
        (
            vec!["ingest", "--out", "s3://b/x/", "Cargo.toml"],
            bad_port.to_vec(),
            "AWS_ENDPOINT_URL",
        ),
        (
            vec!["ingest", "--out", "s3:///x/", "Cargo.toml"],
            vec![],
            "no bucket",
        ),
    ];
    for (args, env, says) in cases {
        let out = Command::new(env!("CARGO_BIN_EXE_leadlake"))
            .args(&args)
            .envs(creds.iter().chain(env.iter()).copied())
            .env_remove("AWS_ENDPOINT")
            .output()
            .unwrap();
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(!stderr.contains("169.254.169.254"), "{args:?}: {stderr}");
    }
}

/// Issue 22, items 6 and 15: generating into a folder that holds an
/// earlier lake replaces it (the lake is what the manifest says); a size
/// that cannot be built one day at a time is refused, not attempted.
#[test]
fn generate_replaces_its_earlier_lake_and_refuses_days_too_big() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let generate = |days: &str| {
        leadlake(
            &[
                "generate", "--out", out, "--events", "20000", "--days", days, "--quiet",
            ],
            None,
        )
    };
    assert!(generate("30").status.success());
    let out2 = generate("10");
    assert!(out2.status.success(), "{}", text(&out2.stderr));
    let days = std::fs::read_dir(dir.path().join("lake")).unwrap().count();
    assert!(days <= 10, "{days} day folders: the earlier lake was kept");

    // a folder holding a lake generate did not write is left alone
    let other = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(other.path().join("lake/date=2020-01-01")).unwrap();
    let refused = leadlake(
        &[
            "generate",
            "--out",
            other.path().to_str().unwrap(),
            "--events",
            "1000",
            "--quiet",
        ],
        None,
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused.stderr).contains("was not written by generate"),
        "{}",
        text(&refused.stderr)
    );
    assert!(other.path().join("lake/date=2020-01-01").exists());

    let huge = leadlake(
        &[
            "generate",
            "--out",
            out,
            "--events",
            "2000000000",
            "--days",
            "1",
            "--quiet",
        ],
        None,
    );
    assert_eq!(huge.status.code(), Some(1), "{}", text(&huge.stderr));
    assert!(
        text(&huge.stderr).contains("at most 10000000 events per day"),
        "{}",
        text(&huge.stderr)
    );
}

/// Issue 22, item 8: a partitioned lake with a file whose footer holds no
/// `ts` statistics gets a warning naming it, since a `ts` filter can only
/// choose it by its date folder.
#[test]
fn files_without_ts_statistics_are_warned_about() {
    use arrow::array::{ArrayRef, StringArray, TimestampMicrosecondArray};
    use parquet::file::properties::{EnabledStatistics, WriterProperties};
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let write = |day: &str, stats: EnabledStatistics| {
        let path = dir.path().join(format!("date={day}/part-0.parquet"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let ts: ArrayRef = Arc::new(
            TimestampMicrosecondArray::from(vec![1_767_571_200_000_000_i64]).with_timezone("UTC"),
        );
        let kind: ArrayRef = Arc::new(StringArray::from(vec!["download"]));
        let batch =
            arrow::record_batch::RecordBatch::try_from_iter([("ts", ts), ("kind", kind)]).unwrap();
        let props = WriterProperties::builder()
            .set_statistics_enabled(stats)
            .build();
        let file = std::fs::File::create(&path).unwrap();
        let mut w =
            parquet::arrow::ArrowWriter::try_new(file, batch.schema(), Some(props)).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
        path
    };
    write("2026-01-05", EnabledStatistics::Page);
    let lake = dir.path().display().to_string();
    let sql = [
        "shell",
        "--lake",
        &lake,
        "--format",
        "csv",
        "-c",
        "SELECT count(*) AS n FROM events",
    ];
    let out = leadlake(&sql, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        !text(&out.stderr).contains("ts statistics"),
        "{}",
        text(&out.stderr)
    );
    let blind = write("2026-01-06", EnabledStatistics::None);
    let out = leadlake(&sql, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "n\n2\n");
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!(
            "warning: 1 lake file(s) have no ts statistics (the first: {});",
            blind.display()
        )),
        "{err}"
    );
}

/// Issue 22: whatever a user types, the command ends with an error (exit
/// 1, or 2 for usage) and a message on stderr, never a panic (101). A
/// table of bad flags, files, URLs, dates and sizes over every command.
#[test]
fn bad_flags_files_and_urls_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let gen_out = leadlake(
        &[
            "generate",
            "--out",
            d.join("g").to_str().unwrap(),
            "--events",
            "3000",
            "--days",
            "30",
            "--quiet",
        ],
        None,
    );
    assert!(gen_out.status.success(), "{}", text(&gen_out.stderr));
    let lake = d.join("g/lake").display().to_string();
    let folder = d.display().to_string();
    let garbage = d.join("garbage.bin");
    std::fs::write(&garbage, b"\x00\xff\xfePAR1\x00garbage").unwrap();
    let garbage = garbage.display().to_string();
    let bad_toml = d.join("bad.toml");
    std::fs::write(&bad_toml, "[lake\nurl = ").unwrap();
    let bad_toml = bad_toml.display().to_string();
    let two = d.join("two.sql");
    std::fs::write(&two, "SELECT 1; SELECT 2;").unwrap();
    let two = two.display().to_string();
    let out_file = d.join("o.csv").display().to_string();
    let under_a_file = format!("{garbage}/x.csv");
    let cases: Vec<Vec<&str>> = vec![
        vec![],
        vec!["nope"],
        vec!["run"],
        vec!["run", "nope", "--lake", &lake],
        vec!["run", "company_leads"],
        vec!["run", "company_leads", "--lake", "/no/such/lake"],
        vec!["run", "company_leads", "--lake", "/dev/null"],
        vec!["run", "company_leads", "--lake", &garbage],
        vec![
            "run",
            "company_leads",
            "--lake",
            &lake,
            "--as-of",
            "garbage",
        ],
        vec![
            "run",
            "company_leads",
            "--lake",
            &lake,
            "--as-of",
            "99999-01-01",
        ],
        vec![
            "run",
            "company_leads",
            "--lake",
            &lake,
            "--as-of",
            "-0001-01-01",
        ],
        vec![
            "run",
            "company_leads",
            "--lake",
            &lake,
            "--as-of",
            "2026-02-30",
        ],
        vec![
            "run",
            "crm_export",
            "--lake",
            &lake,
            "--as-of",
            "2026-02-01",
            "--param",
            "min_score=abc",
        ],
        vec![
            "run",
            "crm_export",
            "--lake",
            &lake,
            "--as-of",
            "2026-02-01",
            "--param",
            "min_score=99999999999999999999999",
        ],
        vec![
            "run",
            "crm_export",
            "--lake",
            &lake,
            "--as-of",
            "2026-02-01",
            "--param",
            "nope=1",
        ],
        vec![
            "run",
            "crm_export",
            "--lake",
            &lake,
            "--as-of",
            "2026-02-01",
            "--param",
            "=1",
        ],
        vec![
            "run",
            "company_leads",
            "--lake",
            &lake,
            "--as-of",
            "2026-02-01",
            "--format",
            "xml",
        ],
        vec![
            "run",
            "company_leads",
            "--lake",
            &lake,
            "--as-of",
            "2026-02-01",
            "--output",
            &folder,
        ],
        vec![
            "run",
            "company_leads",
            "--lake",
            &lake,
            "--as-of",
            "2026-02-01",
            "--output",
            "/proc/version",
        ],
        vec![
            "run",
            "company_leads",
            "--lake",
            &lake,
            "--as-of",
            "2026-02-01",
            "--output",
            &under_a_file,
        ],
        vec![
            "run",
            "company_leads",
            "--lake",
            &lake,
            "--as-of",
            "2026-02-01",
            "--output",
            "s3:///x.csv",
        ],
        vec![
            "run",
            "company_leads",
            "--lake",
            &lake,
            "--as-of",
            "2026-02-01",
            "--output-dir",
            &folder,
        ],
        vec![
            "run",
            "--all",
            "--lake",
            &lake,
            "--as-of",
            "2026-02-01",
            "--output-dir",
            "/dev/null",
        ],
        vec!["run", &two, "--lake", &lake],
        vec!["run", &garbage, "--lake", &lake],
        vec!["shell", "--ipdb", "/dev/null", "-c", "SELECT 1"],
        vec!["shell", "--ipdb", &folder, "-c", "SELECT 1"],
        vec!["shell", "--ipdb", &garbage, "-c", "SELECT 1"],
        vec!["shell", "--overrides", "/no/such.csv", "-c", "SELECT 1"],
        vec!["shell", "--overrides", &garbage, "-c", "SELECT 1"],
        vec!["shell", "--config", "/no/such.toml", "-c", "SELECT 1"],
        vec!["shell", "--config", &bad_toml, "-c", "SELECT 1"],
        vec!["shell", "--config", &garbage, "-c", "SELECT 1"],
        vec!["shell", "-f", "/no/such.sql"],
        vec!["shell", "-f", &folder],
        vec!["shell", "--lake", "ftp://host/x/", "-c", "SELECT 1"],
        vec!["shell", "--lake", "http://[::1/x/", "-c", "SELECT 1"],
        vec!["shell", "--lake", "s3://", "-c", "SELECT 1"],
        vec![
            "shell",
            "--lake",
            &lake,
            "--lake-column",
            "ts",
            "-c",
            "SELECT 1",
        ],
        vec![
            "shell",
            "--lake",
            &lake,
            "--lake-column",
            "nope=x",
            "-c",
            "SELECT 1",
        ],
        vec![
            "shell",
            "--lake",
            &lake,
            "--lake-column",
            "ts=no_such_column",
            "-c",
            "SELECT 1",
        ],
        vec![
            "shell",
            "-c",
            "SELECT session_id(ts, INTERVAL '-1 day') OVER (ORDER BY ts) FROM (VALUES (TIMESTAMP '2026-01-01T00:00:00Z')) t(ts)",
        ],
        vec![
            "shell",
            "-c",
            "SELECT stage_timeline(now(), 'download', NULL, '1', 'x', TIMESTAMP '9999-12-31T00:00:00Z', INTERVAL '1 microsecond')",
        ],
        vec!["generate", "--out", "/dev/null", "--events", "10"],
        vec!["generate", "--out", &garbage, "--events", "10"],
        vec!["generate", "--out", &out_file, "--events", "-5"],
        vec![
            "generate",
            "--out",
            &out_file,
            "--events",
            "99999999999999999999",
        ],
        vec![
            "generate", "--out", &out_file, "--events", "10", "--days", "0",
        ],
        vec![
            "generate",
            "--out",
            &out_file,
            "--events",
            "10",
            "--start",
            "99999-01-01",
        ],
        vec!["ingest", "--out", &folder, "/no/such.log"],
        vec!["ingest", "--out", &folder, "/dev/zero"],
        vec!["ingest", "--out", &folder, "--format", "bogus", &garbage],
        vec!["ingest", "--out", &folder, &garbage],
        vec!["ingest", "--out", "ftp://x/y/", &garbage],
        vec!["ingest", "--out", "/dev/null", &garbage],
        vec!["demo", "--dir", "/dev/null"],
        vec!["demo", "--dir", &garbage],
    ];
    // odd but valid: an answer (NULL or a value), exit 0
    for sql in [
        "SELECT version_newer(repeat('9', 100000), '1')",
        "SELECT ip_company(repeat(':', 100000))",
        "SELECT ip_company('999.1.1.1')['company'], ip_asn('::ffff:')",
    ] {
        let out = leadlake(&["shell", "-c", sql], None);
        assert!(out.status.success(), "{sql}: {}", text(&out.stderr));
    }
    for args in cases {
        let out = leadlake(&args, Some(""));
        let stderr = text(&out.stderr);
        assert!(
            matches!(out.status.code(), Some(1 | 2)),
            "{args:?} exited {:?}: {stderr}",
            out.status.code()
        );
        assert!(!stderr.trim().is_empty(), "{args:?}: nothing on stderr");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

/// Without the `cluster` feature, the cluster commands and `--cluster`
/// say how to get them, and do nothing else.
#[cfg(not(feature = "cluster"))]
#[test]
fn a_build_without_the_cluster_feature_says_so() {
    for args in [
        &["cluster", "scheduler"][..],
        &["cluster", "executor", "--scheduler", "127.0.0.1:50050"],
        &[
            "shell",
            "--cluster",
            "df://127.0.0.1:50050",
            "-c",
            "SELECT 1",
        ],
    ] {
        let out = leadlake(args, None);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            text(&out.stderr).contains("built without the `cluster` feature"),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}
