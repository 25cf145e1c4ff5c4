//! The scheduled-run example: valid against GitHub's workflow schema
//! (offline, check-jsonschema's bundled copy) and calling commands the real
//! binary accepts.

use std::path::PathBuf;
use std::process::Command;

const WORKFLOW: &str = "examples/github-actions/lead-scoring.yml";

/// check-jsonschema, installed by `scripts/test` (LEADLAKE_CHECK_JSONSCHEMA).
fn check_jsonschema() -> PathBuf {
    let path = std::env::var_os("LEADLAKE_CHECK_JSONSCHEMA")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .map(|h| PathBuf::from(h).join(".cache/leadlake-venv/bin/check-jsonschema"))
        })
        .expect("HOME or LEADLAKE_CHECK_JSONSCHEMA");
    assert!(
        path.exists(),
        "{} not found: run scripts/test, which installs it",
        path.display()
    );
    path
}

fn workflow() -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo")).join(WORKFLOW)
}

#[test]
fn the_workflow_matches_the_github_schema() {
    let out = Command::new(check_jsonschema())
        .args(["--builtin-schema", "vendor.github-workflows"])
        .arg(workflow())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // and a broken copy is refused, so the check is real
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.yml");
    let text = std::fs::read_to_string(workflow()).unwrap();
    std::fs::write(&broken, text.replace("runs-on:", "run-on:")).unwrap();
    let out = Command::new(check_jsonschema())
        .args(["--builtin-schema", "vendor.github-workflows"])
        .arg(&broken)
        .output()
        .unwrap();
    assert!(!out.status.success(), "a job without runs-on must fail");
}

#[test]
fn the_workflow_runs_every_canned_query_with_flags_the_binary_knows() {
    let text = std::fs::read_to_string(workflow()).unwrap();
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("leadlake run"))
        .expect("a leadlake run step");
    let mut args: Vec<&str> = line
        .split_whitespace()
        .skip(1)
        .filter(|a| *a != "\\")
        .collect();
    // the continuation line
    let next = text.lines().skip_while(|l| *l != line).nth(1).unwrap();
    args.extend(next.split_whitespace());
    assert!(args.contains(&"--all"));
    // every flag the workflow passes is one `leadlake run` accepts
    let help = Command::new(env!("CARGO_BIN_EXE_leadlake"))
        .args(["run", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for flag in args.iter().filter(|a| a.starts_with("--")) {
        assert!(help.contains(flag), "`leadlake run` has no {flag}");
    }
}

#[test]
fn the_workflow_publishes_the_report_run_all_writes() {
    let text = std::fs::read_to_string(workflow()).unwrap();
    // the report step uploads the page `run --all` writes into the dated
    // folder (tests/integration/report), and fails when it is missing
    let step = text
        .split("- name: ")
        .find(|s| s.contains("actions/upload-artifact") && s.contains("report.html"))
        .expect("an upload-artifact step for report.html");
    assert!(
        step.contains("path: results/${{ env.AS_OF }}/report.html"),
        "{step}"
    );
    assert!(step.contains("if-no-files-found: error"), "{step}");
    assert!(text.contains("--output-dir \"results/{as_of}/\""));
}
