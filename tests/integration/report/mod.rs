//! `leadlake report`, the `report.html` of `run --all`, and the demo's
//! funnel: the real binary on the generated lake, the page read by an
//! HTML parser and rendered by a real browser.
//!
//! The lake's best lead is renamed `<script>alert(1)</script> & Co` by an
//! override of its network (an override beats the databases), so the name
//! sits at the top of a list where a page that pasted it would run it.

mod browser;
mod demo;
mod dom;
mod page;
mod png;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

pub const AS_OF: &str = "2026-05-01";
pub const EVIL: &str = "<script>alert(1)</script> & Co";

/// The generated lake with the renamed company, and one `run --all` over
/// it (CSV files and report.html), kept for the process' life.
pub struct Fixture {
    dir: tempfile::TempDir,
    /// --lake, --ipdb and --overrides (the renamed company's).
    pub lake_args: Vec<String>,
}

impl Fixture {
    /// The lake's arguments and `--as-of` [`AS_OF`].
    pub fn args(&self) -> Vec<&str> {
        let mut args = strs(&self.lake_args);
        args.extend(["--as-of", AS_OF]);
        args
    }

    /// `run --all`'s folder.
    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    pub fn report(&self) -> String {
        std::fs::read_to_string(self.out().join("report.html")).unwrap()
    }

    /// A query's CSV file from the same run, as rows keyed by column.
    pub fn answer(&self, query: &str) -> Vec<BTreeMap<String, String>> {
        let path = self.out().join(format!("{query}.csv"));
        let mut reader = csv::Reader::from_path(&path).unwrap();
        let header = reader.headers().unwrap().clone();
        reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                header
                    .iter()
                    .zip(r.iter())
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect()
            })
            .collect()
    }
}

pub fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let lake = crate::run::lake();
        let m = leadlake_synth::Manifest::read(lake).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let overrides = dir.path().join("overrides.csv");
        let with = |overrides: &Path| {
            let mut args = vec!["--lake".to_string(), m.lake(lake).display().to_string()];
            for db in m.databases(lake) {
                args.push("--ipdb".into());
                args.push(db.display().to_string());
            }
            args.extend(["--overrides".into(), overrides.display().to_string()]);
            args
        };
        // the best lead of the lake as generated, and its network
        let plain = with(&m.overrides(lake));
        let leads = leadlake(
            &[
                &["run", "company_leads", "--format", "csv", "--as-of", AS_OF],
                &strs(&plain)[..],
            ]
            .concat(),
        );
        assert!(leads.status.success(), "{}", text(&leads.stderr));
        let best = text(&leads.stdout).lines().nth(1).unwrap().to_string();
        let domain = best.split(',').nth(2).unwrap().to_string();
        let mut truth = csv::Reader::from_path(lake.join("ground_truth.csv")).unwrap();
        let header = truth.headers().unwrap().clone();
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        let (d, n) = (col("domain"), col("network"));
        let network = truth
            .records()
            .map(Result::unwrap)
            .find(|r| r[d] == domain)
            .map(|r| r[n].to_string())
            .unwrap_or_else(|| panic!("{domain} is not in the ground truth"));
        let mut csv = std::fs::read_to_string(m.overrides(lake)).unwrap();
        csv.push_str(&format!("{network},\"{EVIL}\",evil.example,business\n"));
        std::fs::write(&overrides, csv).unwrap();

        let fixture = Fixture {
            lake_args: with(&overrides),
            dir,
        };
        let out = fixture.out();
        let run = leadlake(
            &[
                &[
                    "run",
                    "--all",
                    "--format",
                    "csv",
                    "--output-dir",
                    out.to_str().unwrap(),
                ],
                &fixture.args()[..],
            ]
            .concat(),
        );
        assert!(run.status.success(), "{}", text(&run.stderr));
        fixture
    })
}

pub fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

pub fn leadlake(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leadlake"))
        .args(args)
        .output()
        .expect("binary runs")
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}
