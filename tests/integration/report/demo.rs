//! `leadlake demo`: the funnel as a terminal bar chart, the top leads of
//! each stage (not the first rows overall), `--report FILE`, and the lake
//! built once.

use super::dom::parse;
use super::{leadlake, text};

const STAGES: [&str; 7] = [
    "passive",
    "intrigued",
    "trial",
    "evaluation",
    "production",
    "maintenance",
    "waning",
];

#[test]
fn demo_shows_the_funnel_and_the_best_leads_of_each_stage_once_built() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("demo");
    let page = dir.path().join("demo.html");
    let d = d.to_str().unwrap();
    let out = leadlake(&[
        "demo",
        "--dir",
        d,
        "--format",
        "csv",
        "--top",
        "2",
        "--report",
        page.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("scoring companies as of 2027-01-01"));
    // csv stays one table: no chart in it
    let body = text(&out.stdout);
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["company", "domain", "stage", "score", "why", "action"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let mut stages: Vec<String> = Vec::new();
    for pair in rows.windows(2) {
        if pair[0][2] == pair[1][2] {
            let (a, b): (i64, i64) = (pair[0][3].parse().unwrap(), pair[1][3].parse().unwrap());
            assert!(a >= b, "best first within a stage: {pair:?}");
        }
    }
    for r in &rows {
        if stages.last().map(String::as_str) != Some(&r[2]) {
            assert!(
                !stages.contains(&r[2].to_string()),
                "a stage's rows together"
            );
            stages.push(r[2].to_string());
        }
    }
    assert_eq!(
        stages.len(),
        7,
        "every stage has leads in the demo: {stages:?}"
    );
    for s in &stages {
        assert_eq!(rows.iter().filter(|r| &r[2] == s).count(), 2, "{s}");
    }
    // the list opens with the best lead of all
    let best = rows.iter().map(|r| r[3].parse::<i64>().unwrap()).max();
    assert_eq!(rows[0][3].parse::<i64>().ok(), best);

    // the report of the demo lake
    let html = std::fs::read_to_string(&page).unwrap();
    let report = parse(&html);
    let funnel: Vec<(String, String)> = report
        .root
        .id("funnel-table")
        .body_rows()
        .into_iter()
        .map(|r| (r[0].clone(), r[1].replace(',', "")))
        .collect();
    assert_eq!(
        funnel.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(),
        STAGES
    );

    // again, as a table: the cached lake, the chart above the leads
    let manifest = dir.path().join("demo/lake-v5/manifest.json");
    let built = std::fs::metadata(&manifest).unwrap().modified().unwrap();
    let again = leadlake(&["demo", "--dir", d]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    let shown = text(&again.stdout);
    let mut lines = shown.lines();
    assert_eq!(
        lines.next(),
        Some("Companies per stage as of 2027-01-01 (change since a week before)")
    );
    for (stage, companies) in &funnel {
        let line = lines.next().unwrap();
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(words[0], stage, "{line}");
        // the bar, then the count the page shows
        assert!(words[1].chars().all(|c| c == '\u{2588}'), "{line}");
        assert_eq!(words[2], companies, "{line}");
    }
    assert_eq!(lines.next(), Some(""));
    assert_eq!(lines.next(), Some("The best 3 leads of each stage:"));
    let table: Vec<&str> = lines.filter(|l| l.starts_with("| ")).collect();
    assert_eq!(
        table.len(),
        1 + 7 * 3,
        "a header and three leads of each stage"
    );
    // the csv's two of each stage are the table's first two
    for r in &rows {
        assert!(
            shown.contains(&format!("| {} ", &r[0])),
            "{} missing",
            &r[0]
        );
    }
    assert_eq!(
        std::fs::metadata(&manifest).unwrap().modified().unwrap(),
        built,
        "the lake is built once"
    );
}
