//! `leadlake cluster`: a scheduler and two executors started as processes
//! of the real binary on loopback, and the canned queries run on them
//! against single-node answers. Built with `--features cluster`
//! (`scripts/test` runs it).
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on purpose"
)]

#[expect(dead_code, reason = "shared by several test crates, each using a part")]
#[path = "../../crates/lake/tests/moto/mod.rs"]
mod moto;
#[expect(
    dead_code,
    unused_imports,
    reason = "shared by several test crates, each using a part"
)]
#[path = "../support/mod.rs"]
mod support;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const AS_OF: &str = "2026-05-01";
const BIN: &str = env!("CARGO_BIN_EXE_leadlake");

/// A node process, killed when dropped.
struct Node {
    child: Child,
    port: u16,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A free loopback port whose next port is free too (an executor's gRPC
/// service takes it).
fn free_ports() -> u16 {
    loop {
        let a = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = a.local_addr().unwrap().port();
        if port < u16::MAX && TcpListener::bind(("127.0.0.1", port + 1)).is_ok() {
            return port;
        }
    }
}

fn wait_for(port: u16, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "{what} did not listen on {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A scheduler and `executors` executors of one task each.
struct Cluster {
    scheduler: Node,
    executors: Vec<Node>,
}

impl Cluster {
    fn start(executors: usize) -> Self {
        let port = free_ports();
        let scheduler = Node {
            child: Command::new(BIN)
                .args([
                    "cluster",
                    "scheduler",
                    "--bind",
                    &format!("127.0.0.1:{port}"),
                    "--executor-timeout",
                    "6",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
            port,
        };
        wait_for(port, "the scheduler");
        let executors = (0..executors)
            .map(|_| {
                let port = free_ports();
                let child = Command::new(BIN)
                    .args([
                        "cluster",
                        "executor",
                        "--scheduler",
                        &format!("127.0.0.1:{}", scheduler.port),
                        "--bind",
                        &format!("127.0.0.1:{port}"),
                        "--concurrent-tasks",
                        "1",
                    ])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap();
                wait_for(port, "an executor");
                Node { child, port }
            })
            .collect();
        // executors register with their first heartbeat
        std::thread::sleep(Duration::from_millis(1500));
        Self {
            scheduler,
            executors,
        }
    }

    fn url(&self) -> String {
        format!("df://127.0.0.1:{}", self.scheduler.port)
    }
}

fn lake() -> &'static Path {
    support::generated_lake()
}

fn databases() -> Vec<String> {
    support::database_args(lake())
}

fn local_lake() -> Vec<String> {
    support::lake_arg(lake())
}

fn leadlake(args: &[String]) -> Output {
    Command::new(BIN).args(args).output().unwrap()
}

fn succeeded(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn failed(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// A CSV's header, then its rows sorted.
fn sorted(csv: &str) -> Vec<String> {
    let mut lines: Vec<String> = csv.lines().map(String::from).collect();
    assert!(!lines.is_empty(), "no header");
    lines[1..].sort();
    lines
}

fn canned() -> Vec<String> {
    let out = succeeded(&leadlake(&["queries".into()]));
    let names: Vec<String> = out
        .lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_whitespace().next())
        .map(String::from)
        .collect();
    assert!(names.len() >= 7, "{out}");
    names
}

/// `leadlake run QUERY --format csv` on the generated lake, on `cluster`
/// when given.
fn run(query: &str, lake: &[String], cluster: Option<&str>) -> String {
    let mut args: Vec<String> = ["run", query, "--format", "csv", "--as-of", AS_OF]
        .map(String::from)
        .to_vec();
    args.extend(lake.iter().cloned());
    args.extend(databases());
    if let Some(url) = cluster {
        args.extend(["--cluster".into(), url.into()]);
    }
    succeeded(&leadlake(&args))
}

#[test]
fn every_canned_query_answers_as_on_one_node() {
    let cluster = Cluster::start(2);
    let mut rows = 0;
    for q in canned() {
        let alone = run(&q, &local_lake(), None);
        let distributed = run(&q, &local_lake(), Some(&cluster.url()));
        assert_eq!(sorted(&alone), sorted(&distributed), "{q}");
        rows += alone.lines().count() - 1;
    }
    assert!(
        rows > 100,
        "the queries answered too little to compare: {rows} rows"
    );

    // and `--all`, which computes the journeys once for the run
    let dirs = tempfile::tempdir().unwrap();
    for (name, cluster) in [("one", None), ("cluster", Some(cluster.url()))] {
        let mut args: Vec<String> = ["run", "--all", "--format", "csv", "--as-of", AS_OF]
            .map(String::from)
            .to_vec();
        args.extend([
            "--output-dir".into(),
            dirs.path().join(name).display().to_string(),
        ]);
        args.extend(local_lake());
        args.extend(databases());
        if let Some(url) = cluster {
            args.extend(["--cluster".into(), url]);
        }
        succeeded(&leadlake(&args));
    }
    for q in canned() {
        let read = |d: &str| {
            std::fs::read_to_string(dirs.path().join(d).join(format!("{q}.csv"))).unwrap()
        };
        assert_eq!(sorted(&read("one")), sorted(&read("cluster")), "--all {q}");
    }
}

#[test]
fn the_plan_runs_on_the_cluster_and_small_ones_stay_here() {
    let cluster = Cluster::start(1);
    let mut args: Vec<String> = vec!["shell".into(), "--format".into(), "csv".into()];
    args.extend(local_lake());
    args.extend(databases());
    args.extend(["--cluster".into(), cluster.url()]);
    let sql = |q: &str| {
        let mut a = args.clone();
        a.extend(["-c".into(), q.into()]);
        succeeded(&leadlake(&a))
    };
    let plan = sql("EXPLAIN SELECT ip_company(ip), count(*) FROM events GROUP BY 1");
    assert!(plan.contains("ip_company"), "{plan}");
    // a query over the lake is submitted whole; one that reads no file is not
    let counted = sql("SELECT count(*) AS n FROM events");
    let m = leadlake_synth::Manifest::read(lake()).unwrap();
    assert_eq!(counted.lines().nth(1), Some(m.events.to_string().as_str()));
    assert_eq!(sql("SELECT 1 + 1 AS two").trim(), "two\n2");
    assert!(sql("SHOW TABLES").contains("events"));
}

#[test]
fn executors_read_a_lake_served_by_s3() {
    let moto = moto::start_moto();
    moto::create_bucket(moto.port, "lake");
    let m = leadlake_synth::Manifest::read(lake()).unwrap();
    let root = m.lake(lake());
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        use object_store::ObjectStoreExt;
        let mut builder = object_store::aws::AmazonS3Builder::new().with_bucket_name("lake");
        for (k, v) in moto::options(moto.port) {
            builder = builder.with_config(k.parse().unwrap(), v);
        }
        let s3 = builder.build().unwrap();
        for file in walk(&root) {
            let key = file.strip_prefix(&root).unwrap().display().to_string();
            let body = std::fs::read(&file).unwrap();
            s3.put(&format!("events/{key}").as_str().into(), body.into())
                .await
                .unwrap();
        }
    });
    let config = tempfile::NamedTempFile::with_suffix(".toml").unwrap();
    let mut toml = String::from("[lake]\nurl = \"s3://lake/events/\"\n[lake.storage]\n");
    for (k, v) in moto::options(moto.port) {
        toml.push_str(&format!("{k} = \"{v}\"\n"));
    }
    std::fs::write(config.path(), toml).unwrap();
    let cluster = Cluster::start(2);
    let s3 = vec!["--config".into(), config.path().display().to_string()];
    let alone = run("company_leads", &local_lake(), None);
    let distributed = run("company_leads", &s3, Some(&cluster.url()));
    assert_eq!(sorted(&alone), sorted(&distributed));
    assert!(alone.lines().count() > 10);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn a_database_the_executors_cannot_open_is_named() {
    let cluster = Cluster::start(1);
    let m = leadlake_synth::Manifest::read(lake()).unwrap();
    let gone = tempfile::tempdir().unwrap();
    let db = gone.path().join("moved-away.mmdb");
    std::fs::copy(&m.databases(lake())[0], &db).unwrap();
    let mut config = leadlake::Config::from_ipdb([db.clone()]);
    config.lake = Some(leadlake::LakeConfig::new(
        m.lake(lake()).display().to_string(),
    ));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let err = rt.block_on(async {
        let (ctx, _) = leadlake::cluster_session(&config, &cluster.url())
            .await
            .unwrap();
        // the client has opened it; the executors will look for it now
        std::fs::remove_file(&db).unwrap();
        let df = ctx
            .sql("SELECT ip_company(ip), count(*) FROM events GROUP BY 1")
            .await
            .unwrap();
        df.collect().await.unwrap_err().to_string()
    });
    assert!(err.contains("executor"), "{err}");
    assert!(err.contains("moved-away.mmdb"), "{err}");
}

#[test]
fn bad_cluster_urls_and_silent_schedulers_are_clear_errors() {
    let mut base: Vec<String> = ["run", "company_leads", "--as-of", AS_OF]
        .map(String::from)
        .to_vec();
    base.extend(local_lake());
    base.extend(databases());
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    for (url, says) in [
        ("http://127.0.0.1:50050".to_string(), "not a df:// URL"),
        ("df://127.0.0.1".into(), "no port"),
        ("df://127.0.0.1:0".into(), "from 1 to 65535"),
        ("df://127.0.0.1:70000".into(), "from 1 to 65535"),
        ("df://:50050".into(), "no host"),
        (
            format!("df://127.0.0.1:{closed}"),
            "cannot reach the scheduler",
        ),
    ] {
        let mut args = base.clone();
        args.extend(["--cluster".into(), url.clone()]);
        let err = failed(&leadlake(&args));
        assert!(err.contains(says), "{url}: {err}");
    }
    for (args, says) in [
        (vec!["--scheduler", "nowhere"], "expected HOST:PORT"),
        (vec!["--bind", "127.0.0.1:65535"], "no next port"),
        (vec!["--bind", "127.0.0.1:0"], "give a port from 1 to 65535"),
        (vec!["--work-dir", "/no/such/dir"], "not an existing folder"),
    ] {
        let mut all = vec!["cluster", "executor"];
        all.extend(args);
        let out = Command::new(BIN).args(&all).output().unwrap();
        let err = failed(&out);
        assert!(err.contains(says), "{all:?}: {err}");
    }
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let taken = taken.local_addr().unwrap().to_string();
    for (args, says) in [
        (vec!["--bind", "127.0.0.1:0"], "give a port from 1 to 65535"),
        (vec!["--bind", taken.as_str()], "Address already in use"),
    ] {
        let mut all = vec!["cluster", "scheduler"];
        all.extend(args);
        let err = failed(&Command::new(BIN).args(&all).output().unwrap());
        assert!(err.contains(says), "{all:?}: {err}");
    }
    // an executor whose scheduler is not there gives up, saying so
    let err = failed(
        &Command::new(BIN)
            .args([
                "cluster",
                "executor",
                "--scheduler",
                &format!("127.0.0.1:{closed}"),
            ])
            .args(["--bind", &format!("127.0.0.1:{}", free_ports())])
            .output()
            .unwrap(),
    );
    assert!(err.contains("Could not connect to scheduler"), "{err}");
}

#[test]
fn an_executor_killed_mid_query_is_survived_or_reported() {
    let mut cluster = Cluster::start(2);
    let out_dir = tempfile::tempdir().unwrap();
    let target = out_dir.path().join("leads.csv");
    let mut args: Vec<String> = ["run", "company_leads", "--as-of", AS_OF]
        .map(String::from)
        .to_vec();
    args.extend(local_lake());
    args.extend(databases());
    args.extend([
        "--cluster".into(),
        cluster.url(),
        "--output".into(),
        target.display().to_string(),
    ]);
    let client = Command::new(BIN)
        .args(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut client = client;
    std::thread::sleep(Duration::from_millis(700));
    assert!(
        client.try_wait().unwrap().is_none(),
        "the query ended before an executor could be killed: nothing was tested"
    );
    let victim = cluster.executors.remove(0);
    drop(victim);
    let out = client.wait_with_output().unwrap();
    eprintln!(
        "client after an executor was killed: exit {:?}, {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    let alone = run("company_leads", &local_lake(), None);
    match out.status.code() {
        Some(0) => {
            let written = std::fs::read_to_string(&target).unwrap();
            assert_eq!(sorted(&alone), sorted(&written));
        }
        Some(1) => {
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.starts_with("Error: "), "{err}");
            assert!(
                !target.exists(),
                "a failed query wrote {}",
                target.display()
            );
            assert_eq!(std::fs::read_dir(out_dir.path()).unwrap().count(), 0);
        }
        other => panic!("exit {other:?}: {}", String::from_utf8_lossy(&out.stderr)),
    }
}
