//! `leadlake ingest`, the real binary: a Scarf export becomes leads
//! without any `.mmdb`; a lake of both kinds of rows resolves each its own
//! way; reruns leave the lake byte-identical; a killed run leaves no
//! visible file; S3 output; bad inputs and outputs fail clearly.

use crate::support;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn leadlake(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leadlake"))
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const HEADER: &str = "id,type,package,pixel,version,time,referer,user_agent,variables,origin_id,origin_latitude,origin_longitude,origin_country,origin_city,origin_state,origin_postal,origin_connection_type,origin_company,origin_domain,dnt,confidence,endpoint_id,mtc_quota_exceeded";

/// A Scarf export of two companies over 60 days: docs views every other
/// day from two origins, and downloads with pip from one; plus rows an
/// export also holds (a DNT row, a duplicate id, a row over quota).
fn scarf_export() -> String {
    let mut out = scarf_rows(&[
        ("Globex Corporation", "globex.example", "Corporate"),
        ("Initech GmbH", "initech.example", "Corporate"),
    ]);
    scarf_extra_rows(&mut out);
    out
}

/// Scarf rows of these companies (name, domain, connection type) over 60
/// days: docs views every other day from two origins, and downloads with
/// pip from one.
fn scarf_rows(companies: &[(&str, &str, &str)]) -> String {
    let mut out = format!("{HEADER}\n");
    let mut id = 0;
    for (n, (company, domain, conn)) in companies.iter().enumerate() {
        for day in (0..60).step_by(2) {
            let date =
                chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap() + chrono::Days::new(day);
            for origin in 0..2 {
                id += 1;
                out.push_str(&format!(
                    "e{id},pixel-fetch,,px1,,{date}T09:{origin:02}:00Z,https://leadlake.dev/docs/install/,Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0,,o-{n}-{origin},,,DE,,,,{conn},{company},{domain},false,0.9,,false\n"
                ));
            }
            id += 1;
            out.push_str(&format!(
                "e{id},binary-download,leadlake,,1.{}.0,{date}T10:00:00Z,,\"pip/24.0 {{\"\"ci\"\":null}}\",,o-{n}-9,,,DE,,,,{conn},{company},{domain},,0.9,,false\n",
                day / 30
            ));
        }
    }
    out
}

/// Extra rows the export also holds: a duplicate id, DNT, over quota.
fn scarf_extra_rows(out: &mut String) {
    out.push_str(
        "e1,pixel-fetch,,px1,,2026-09-01T09:00:00Z,https://leadlake.dev/docs/install/,,,o-0-0,,,DE,,,,Corporate,Globex Corporation,globex.example,false,,,false\n\
         dnt1,binary-download,leadlake,,1.0.0,2026-09-02T10:00:00Z,,pip/24.0,,o-7,,,,,,,Corporate,Hidden Inc,hidden.example,true,,,false\n\
         quota1,binary-download,leadlake,,1.0.0,2026-09-02T11:00:00Z,,pip/24.0,,o-8,,,,,,,,,,false,,,true\n",
    );
}

fn write(dir: &Path, name: &str, body: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p.display().to_string()
}

/// Every file of a lake folder and its bytes.
fn files(lake: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for day in std::fs::read_dir(lake).unwrap() {
        let day = day.unwrap().path();
        if !day.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&day).unwrap() {
            let f = f.unwrap().path();
            let rel = f.strip_prefix(lake).unwrap().display().to_string();
            out.insert(rel, std::fs::read(&f).unwrap());
        }
    }
    out
}

#[test]
fn a_scarf_export_gives_leads_without_any_mmdb_and_reruns_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let export = write(dir.path(), "scarf-2026-10.csv", &scarf_export());
    let lake = dir.path().join("lake");
    let lake_s = lake.display().to_string();
    let report = dir.path().join("report.json");
    let out = leadlake(
        &[
            "ingest",
            "--out",
            &lake_s,
            "--report",
            &report.display().to_string(),
            &export,
        ],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary = text(&out.stdout);
    // 2 companies x 30 days x 3 rows, plus a duplicate, a DNT row and a
    // row over quota (kept, without a company)
    assert!(summary.contains("(scarf): read 183, rows 181"), "{summary}");
    assert!(summary.contains("duplicate id 1, dnt 1"), "{summary}");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(json["total"]["rows_out"]["download"], 61);
    assert_eq!(json["total"]["rows_out"]["docs_view"], 120);
    let first = files(&lake);
    assert_eq!(first.len(), 60, "one file per day: {:?}", first.keys());
    assert!(
        first
            .keys()
            .all(|k| k.starts_with("date=2026-") && k.ends_with(".parquet"))
    );

    // the same input again: the same bytes, nothing added or removed
    let again = leadlake(&["ingest", "--out", &lake_s, "--quiet", &export], &[]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert_eq!(files(&lake), first, "a rerun changes the lake");

    // leads from the export's own companies, no address database at all
    let leads = leadlake(
        &[
            "run",
            "company_leads",
            "--lake",
            &lake_s,
            "--as-of",
            "2026-11-01",
            "--format",
            "csv",
        ],
        &[],
    );
    assert!(leads.status.success(), "{}", text(&leads.stderr));
    let csv = text(&leads.stdout);
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{csv}");
    for (company, key, domain) in [
        ("Globex Corporation", "globex", "globex.example"),
        ("Initech GmbH", "initech", "initech.example"),
    ] {
        let row = rows
            .iter()
            .find(|r| r.starts_with(&format!("{company},{key},{domain},")))
            .unwrap_or_else(|| panic!("no lead for {company}: {csv}"));
        // downloads on 30 days from one origin, docs from two: evaluation,
        // with three sources
        assert!(row.contains(",evaluation,evaluation: "), "{row}");
        assert!(
            row.ends_with(",30,3,30,2,1.1.0"),
            "days, sources, downloads, versions, latest: {row}"
        );
    }
    // the over-quota row (no company) and the DNT company are nowhere
    assert!(!csv.contains("Hidden"), "{csv}");

    // issue 22, item 11: a row with neither address nor company is
    // `unknown` traffic, not a blank label
    let quality = leadlake(
        &[
            "run",
            "traffic_quality",
            "--lake",
            &lake_s,
            "--as-of",
            "2026-09-05",
            "--format",
            "csv",
        ],
        &[],
    );
    assert!(quality.status.success(), "{}", text(&quality.stderr));
    let q = text(&quality.stdout);
    let labels: Vec<&str> = q
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(labels, ["company", "unknown"], "{q}");
}

/// Issue 22, item 5: two companies sharing a domain (a parent and its
/// subsidiary) are two CRM records with two external ids.
#[test]
fn crm_export_gives_every_company_its_own_external_id() {
    let dir = tempfile::tempdir().unwrap();
    let export = write(
        dir.path(),
        "scarf.csv",
        &scarf_rows(&[
            ("Initech GmbH", "initech.example", "Corporate"),
            ("Initech Labs Oy", "initech.example", "Corporate"),
            ("Globex Corporation", "globex.example", "Corporate"),
        ]),
    );
    let lake = dir.path().join("lake").display().to_string();
    let out = leadlake(&["ingest", "--out", &lake, "--quiet", &export], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let crm = leadlake(
        &[
            "run",
            "crm_export",
            "--lake",
            &lake,
            "--as-of",
            "2026-11-01",
            "--param",
            "min_score=0",
            "--format",
            "csv",
        ],
        &[],
    );
    assert!(crm.status.success(), "{}", text(&crm.stderr));
    let csv = text(&crm.stdout);
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("external_id,company_name,company_domain,lead_stage,"),
        "{csv}"
    );
    let mut ids: Vec<(&str, &str)> = lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0], f[2])
        })
        .collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        [
            ("globex", "globex.example"),
            ("initech", "initech.example"),
            ("initech labs", "initech.example")
        ],
        "{csv}"
    );
}

#[tokio::test]
async fn a_lake_of_both_kinds_resolves_each_row_its_own_way() {
    let dir = tempfile::tempdir().unwrap();
    let export = write(dir.path(), "export.csv", &scarf_export());
    // nginx lines from an address the test overrides name Acme Corp, and
    // one from an address no source knows
    let log = write(
        dir.path(),
        "access.log",
        "1.128.5.7 - - [03/Sep/2026:10:00:00 +0200] \"GET /docs/install/ HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0\"\n\
         1.128.5.7 - - [03/Sep/2026:10:05:00 +0200] \"GET /packages/leadlake-1.0.0-py3-none-any.whl HTTP/1.1\" 200 9000 \"-\" \"pip/24.0\"\n\
         192.0.2.1 - - [03/Sep/2026:11:00:00 +0200] \"GET /pricing HTTP/1.1\" 200 10 \"-\" \"curl/8.0\"\n",
    );
    let lake = dir.path().join("lake");
    let out = leadlake(
        &[
            "ingest",
            "--out",
            &lake.display().to_string(),
            &export,
            &log,
        ],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut config = support::config();
    config.lake = Some(leadlake::LakeConfig::new(lake.display().to_string()));
    let (ctx, _) = leadlake::session(&config).await.unwrap();
    let rows = support::rows(
        &ctx,
        "SELECT company_key, why, network_type, count(*), count(DISTINCT source), min(ip IS NULL), min(origin IS NULL) \
         FROM company_events GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    )
    .await;
    let got: Vec<String> = rows.iter().map(|r| r.join(" ")).collect();
    assert_eq!(
        got,
        [
            // one address, a browser and pip: two sources (by client)
            "acme override business 2 2 false true",
            // the duplicate of e1 is not there
            "globex event business 90 3 true false",
            "initech event business 90 3 true false",
            // the address nobody knows, then the row over quota: no
            // company, no address, its origin as the source
            "NULL NULL unknown 1 1 false true",
            "NULL NULL NULL 1 1 true false",
        ],
        "{got:#?}"
    );
}

#[test]
fn a_killed_ingest_leaves_no_visible_file() {
    let dir = tempfile::tempdir().unwrap();
    // enough lines that the run is still reading when it is killed
    let log = dir.path().join("big.log");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&log).unwrap());
    for i in 0..600_000u32 {
        writeln!(
            f,
            "10.0.{}.{} - - [{:02}/Sep/2026:10:00:00 +0000] \"GET /docs/install/ HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 Firefox/128.0\"",
            (i / 250) % 250,
            i % 250,
            1 + i % 28
        )
        .unwrap();
    }
    drop(f);
    let lake = dir.path().join("lake");
    let mut child = Command::new(env!("CARGO_BIN_EXE_leadlake"))
        .args([
            "ingest",
            "--out",
            &lake.display().to_string(),
            &log.display().to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the run ended before it was killed"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    let visible: Vec<String> = files(&lake)
        .into_keys()
        .filter(|k| k.ends_with(".parquet"))
        .collect();
    assert!(visible.is_empty(), "a killed run published {visible:?}");
}

#[test]
fn bad_inputs_and_outputs_fail_clearly_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let export = write(dir.path(), "export.csv", &scarf_export());
    let garbage = write(dir.path(), "notes.txt", "hello\nworld\n");
    let lake = dir.path().join("lake").display().to_string();
    let cases: [(&[&str], &str); 6] = [
        (
            &["ingest", "--out", &lake, "--format", "nginx", "/dev/zero"],
            "is a device",
        ),
        (&["ingest", "--out", &lake, &garbage], "notes.txt"),
        (
            &["ingest", "--out", &lake, "/no/such/file.csv"],
            "/no/such/file.csv",
        ),
        (
            &["ingest", "--out", &lake, "logs/*.nothing"],
            "the glob matches no file",
        ),
        (
            &["ingest", "--out", "/dev/null/lake", &export],
            "/dev/null/lake",
        ),
        (
            &["ingest", "--out", &lake, "--format", "xml", &export],
            "unknown format 'xml'",
        ),
    ];
    for (args, says) in cases {
        let out = leadlake(args, &[]);
        let stderr = text(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(if args.contains(&"xml") { 2 } else { 1 }),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    assert!(
        !Path::new(&lake).exists() || files(Path::new(&lake)).is_empty(),
        "a failed run wrote files"
    );
}

#[tokio::test]
async fn ingest_writes_to_an_s3_bucket() {
    let server = crate::moto::start_moto();
    crate::moto::create_bucket(server.port, "leads");
    let endpoint = format!("http://127.0.0.1:{}", server.port);
    let env = [
        ("AWS_ENDPOINT_URL", endpoint.as_str()),
        ("AWS_ALLOW_HTTP", "true"),
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_REGION", "us-east-1"),
    ];
    let dir = tempfile::tempdir().unwrap();
    let export = write(dir.path(), "export.csv", &scarf_export());
    let out = leadlake(&["ingest", "--out", "s3://leads/lake/", &export], &env);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // the same run into a local folder gives the same files, byte for byte
    let local = dir.path().join("local");
    let out = leadlake(
        &["ingest", "--out", &local.display().to_string(), &export],
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let want = files(&local);
    assert_eq!(want.len(), 60);
    for (rel, bytes) in &want {
        let got = crate::run::get_object(server.port, "leads", &format!("lake/{rel}"))
            .await
            .unwrap_or_else(|| panic!("{rel} missing in the bucket"));
        assert_eq!(&got, bytes, "{rel}");
    }
    // and the canned query reads it back from the bucket
    let leads = leadlake(
        &[
            "run",
            "company_leads",
            "--lake",
            "s3://leads/lake/",
            "--as-of",
            "2026-11-01",
            "--format",
            "csv",
        ],
        &env,
    );
    assert!(leads.status.success(), "{}", text(&leads.stderr));
    assert_eq!(
        text(&leads.stdout).lines().count(),
        3,
        "{}",
        text(&leads.stdout)
    );
    // a bucket that does not exist: an error before reading anything
    let out = leadlake(
        &["ingest", "--out", "s3://no-such-bucket/lake/", &export],
        &env,
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("s3://no-such-bucket/lake/"),
        "{}",
        text(&out.stderr)
    );
}
