//! The page read by an HTML parser: every section, each number equal to
//! the answer of the query it comes from (the CSV files of the same
//! `run --all`), a hostile company name shown as text, and failures that
//! say what went wrong.

use super::dom::{El, parse};
use super::{AS_OF, EVIL, fixture, leadlake, strs, text};
use std::collections::BTreeMap;

type Row = BTreeMap<String, String>;

/// `1,234` -> 1234; `+3` -> 3; `−2` (minus sign) -> -2.
fn number(s: &str) -> i64 {
    let s = s.replace(',', "").replace('\u{2212}', "-");
    s.trim_start_matches('+')
        .parse()
        .unwrap_or_else(|_| panic!("not a number: {s}"))
}

fn day(instant: &str) -> &str {
    &instant[..10]
}

#[test]
fn every_section_is_there_and_the_page_parses_cleanly() {
    let html = fixture().report();
    let page = parse(&html);
    assert_eq!(page.errors, Vec::<String>::new(), "HTML parse errors");
    let root = &page.root;
    for id in [
        "funnel",
        "funnel-table",
        "moves",
        "flow",
        "flow-chart",
        "flow-table",
        "leads",
        "waning",
        "versions",
        "versions-table",
        "traffic",
        "traffic-table",
        "inputs",
    ] {
        root.id(id);
    }
    assert_eq!(root.all("title")[0].text(), format!("Leads as of {AS_OF}"));
    assert!(root.all("script").is_empty(), "no script at all");
    // nothing is fetched: no src or href anywhere, and a policy that
    // forbids scripts and requests
    assert!(
        root.descendants()
            .iter()
            .all(|e| e.attr("src").is_none() && e.attr("href").is_none())
    );
    let policy = root
        .all("meta")
        .into_iter()
        .find(|m| m.attr("http-equiv").as_deref() == Some("Content-Security-Policy"))
        .and_then(|m| m.attr("content"))
        .expect("a Content-Security-Policy");
    assert!(policy.starts_with("default-src 'none';"), "{policy}");
    // the chart is inline SVG, a bar per stage and week with a title
    let chart = root.id("flow-chart");
    assert_eq!(chart.tag(), "svg");
    assert!(chart.all("rect").len() > 12, "bars drawn");
    assert!(chart.all("rect").iter().all(|r| !r.all("title").is_empty()));
}

#[test]
fn the_funnel_and_the_flow_are_weekly_funnel() {
    let f = fixture();
    let page = parse(&f.report());
    let weekly = f.answer("weekly_funnel");
    let count = |week: &str, stage: &str| -> i64 {
        weekly
            .iter()
            .filter(|r| day(&r["week"]) == week && r["stage"] == stage)
            .map(|r| number(&r["companies"]))
            .sum()
    };
    let mut weeks: Vec<&str> = weekly.iter().map(|r| day(&r["week"])).collect();
    weeks.dedup();
    let last = *weeks.last().unwrap();
    assert_eq!(last, AS_OF, "the timelines end at as_of");
    let before = (chrono::NaiveDate::parse_from_str(last, "%Y-%m-%d").unwrap()
        - chrono::Days::new(7))
    .to_string();

    let funnel = page.root.id("funnel-table").body_rows();
    let stages: Vec<&str> = funnel.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        stages[..7],
        [
            "passive",
            "intrigued",
            "trial",
            "evaluation",
            "production",
            "maintenance",
            "waning"
        ]
    );
    let mut moved = 0;
    for row in &funnel {
        let (now, was) = (count(last, &row[0]), count(&before, &row[0]));
        assert_eq!(number(&row[1]), now, "{row:?}");
        assert_eq!(number(&row[2]), now - was, "{row:?}");
        moved += (now - was).abs();
    }
    assert!(
        moved > 0,
        "something changed in the week: the check is not all zeros"
    );
    // all twelve weeks, each cell the query's
    let flow = page.root.id("flow-table");
    let header: Vec<String> = flow.all("thead")[0]
        .all("th")
        .iter()
        .skip(1)
        .map(El::text)
        .collect();
    assert_eq!(header, weeks);
    assert_eq!(weeks.len(), 12);
    for row in flow.body_rows() {
        for (week, cell) in weeks.iter().zip(&row[1..]) {
            assert_eq!(number(cell), count(week, &row[0]), "{} on {week}", row[0]);
        }
    }
}

#[test]
fn the_lists_are_company_leads_churn_risk_and_stage_changes() {
    let f = fixture();
    let page = parse(&f.report());
    let leads = f.answer("company_leads");
    let name = |r: &Row| {
        if r["company"].is_empty() {
            r["company_key"].clone()
        } else {
            r["company"].clone()
        }
    };
    let names: BTreeMap<String, String> = leads
        .iter()
        .map(|r| (r["company_key"].clone(), name(r)))
        .collect();
    let name_of = |key: &str| names.get(key).cloned().unwrap_or_else(|| key.to_string());

    // one list per stage, in the order of each stage's best lead; waning
    // is the list beside them
    let mut order: Vec<&str> = Vec::new();
    for r in &leads {
        if !order.contains(&r["stage"].as_str()) && r["stage"] != "waning" {
            order.push(&r["stage"]);
        }
    }
    let lists: Vec<El> = page
        .root
        .id("leads")
        .descendants()
        .into_iter()
        .filter(|e| e.has_class("stage"))
        .collect();
    let shown: Vec<String> = lists
        .iter()
        .map(|l| l.attr("data-stage").unwrap())
        .collect();
    assert_eq!(shown, order);
    let mut capped = false;
    for list in &lists {
        let stage = list.attr("data-stage").unwrap();
        let mine: Vec<&Row> = leads.iter().filter(|r| r["stage"] == stage).collect();
        assert_eq!(list.attr("data-leads").unwrap(), mine.len().to_string());
        let rows = list.body_rows();
        assert_eq!(rows.len(), mine.len().min(25), "{stage}");
        capped |= mine.len() > 25;
        for (row, r) in rows.iter().zip(&mine) {
            let expected = [
                name(r),
                r["domain"].clone(),
                r["score"].clone(),
                r["stage_reason"].clone(),
                r["action"].clone(),
                day(&r["first_seen"]).to_string(),
                day(&r["last_seen"]).to_string(),
            ];
            assert_eq!(row[..], expected[..]);
        }
    }
    assert!(
        capped,
        "some stage has more than 25 leads: the cap is tested"
    );

    let churn = f.answer("churn_risk");
    let waning = page.root.id("waning");
    assert_eq!(
        waning.attr("data-companies").unwrap(),
        churn.len().to_string()
    );
    let rows = waning.body_rows();
    assert_eq!(rows.len(), churn.len().min(25));
    assert!(!rows.is_empty());
    for (row, r) in rows.iter().zip(&churn) {
        let drop: f64 = r["drop_pct"].parse().unwrap();
        let expected = [
            format!("{}{}", name_of(&r["company_key"]), r["domain"]),
            format!("{} \u{2192} {}", r["events_prev30"], r["events_last30"]),
            format!("{drop:.0}%"),
            day(&r["last_seen"]).to_string(),
        ];
        assert_eq!(
            row.iter().map(|c| c.replace(',', "")).collect::<Vec<_>>(),
            expected
        );
    }

    let changes = f.answer("stage_changes");
    assert!(!changes.is_empty());
    let heading = page.root.id("moves").text();
    assert!(
        heading.contains(&format!(
            "Moved since {} ",
            day(&changes[0]["previous_as_of"])
        )) && heading.contains(&format!("{} companies changed stage", changes.len())),
        "{heading}"
    );
    // companies per move, then the companies
    let mut moved: BTreeMap<(String, String), i64> = BTreeMap::new();
    for r in &changes {
        let from = if r["previous_stage"].is_empty() {
            "(new)"
        } else {
            &r["previous_stage"]
        };
        *moved
            .entry((from.to_string(), r["stage"].clone()))
            .or_default() += 1;
    }
    let shown: BTreeMap<(String, String), i64> = page
        .root
        .id("transitions")
        .body_rows()
        .into_iter()
        .map(|r| ((r[0].clone(), r[1].clone()), number(&r[2])))
        .collect();
    assert_eq!(shown, moved);
    let rows = page.root.id("moves-table").body_rows();
    assert_eq!(rows.len(), changes.len().min(50));
    for (row, r) in rows.iter().zip(&changes) {
        let from = if r["previous_stage"].is_empty() {
            "(new)"
        } else {
            &r["previous_stage"]
        };
        let expected = [
            name_of(&r["company_key"]),
            r["domain"].clone(),
            from.into(),
            r["stage"].clone(),
        ];
        assert_eq!(row[..], expected[..]);
    }
}

#[test]
fn versions_traffic_and_inputs_are_the_queries_and_the_flags() {
    let f = fixture();
    let page = parse(&f.report());
    let versions = f.answer("version_adoption");
    let rows = page.root.id("versions-table").body_rows();
    assert_eq!(rows.len(), versions.len().min(20));
    assert!(rows.len() > 1);
    for (row, r) in rows.iter().zip(&versions) {
        let share: f64 = r["share_pct"].parse().unwrap();
        assert_eq!(row[0], r["version"]);
        assert_eq!(number(&row[1]), number(&r["companies"]));
        assert_eq!(row[2], format!("{share:.1}%"));
        assert_eq!(row[4] == "behind", r["outdated"] == "true", "{row:?}");
    }
    let traffic = f.answer("traffic_quality");
    let rows = page.root.id("traffic-table").body_rows();
    assert_eq!(rows.len(), traffic.len());
    for (row, r) in rows.iter().zip(&traffic) {
        let share: f64 = r["share_pct"].parse().unwrap();
        let expected = [
            r["source"].clone(),
            r["events"].clone(),
            format!("{share:.1}%"),
        ];
        assert_eq!(
            row.iter().map(|c| c.replace(',', "")).collect::<Vec<_>>(),
            expected
        );
    }
    let inputs = page.root.id("inputs").text();
    // every value of --lake, --ipdb and --overrides
    for pair in f.lake_args.chunks(2) {
        assert!(inputs.contains(&pair[1]), "{pair:?} missing: {inputs}");
    }
    assert!(inputs.contains(&format!("As of{AS_OF}")), "{inputs}");
    assert!(
        inputs.contains(&format!("leadlake{}", env!("CARGO_PKG_VERSION"))),
        "{inputs}"
    );
}

#[test]
fn a_company_name_is_text_never_markup() {
    let html = fixture().report();
    assert!(!html.contains(EVIL), "the name pasted as markup");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"));
    let page = parse(&html);
    assert!(page.root.all("script").is_empty());
    // the lake's best lead before the rename, so listed: as one text
    let named: Vec<El> = page
        .root
        .id("leads")
        .descendants()
        .into_iter()
        .filter(|e| e.has_class("company") && e.text() == EVIL)
        .collect();
    assert_eq!(named.len(), 1, "listed once, as text");
    let first = &named[0];
    assert!(first.children().is_empty(), "text only, no element inside");
}

#[test]
fn the_report_command_writes_the_page_run_all_writes() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("daily").join("report.html");
    let out = leadlake(
        &[
            &["report", "--output", target.to_str().unwrap()],
            &f.args()[..],
        ]
        .concat(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!("KB -> {}", target.display())),
        "{stderr}"
    );
    let html = std::fs::read_to_string(&target).unwrap();
    // the same page but for the run's own line (when, how long)
    let body = |h: &str| h[..h.find("<section id=\"inputs\">").unwrap()].to_string();
    assert_eq!(body(&html), body(&f.report()));
    let files: Vec<_> = std::fs::read_dir(target.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(files, ["report.html"], "no temporary file left");
    // light: lists are capped, so the size does not grow with the lake
    println!("report of the generated lake: {} bytes", html.len());
    assert!(html.len() < 300_000, "{} bytes", html.len());
}

#[test]
fn report_failures_say_what_is_wrong() {
    let f = fixture();
    let args = strs(&f.lake_args);
    let dir = tempfile::tempdir().unwrap();
    let unused = dir.path().join("unused.html");
    let unused = unused.to_str().unwrap();
    let fails = |extra: &[&str], with: &str| {
        let out = leadlake(&[&["report"], extra, &args[..]].concat());
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        assert!(text(&out.stderr).contains(with), "{}", text(&out.stderr));
    };
    fails(
        &["--output", dir.path().to_str().unwrap()],
        "is a folder; give a file name",
    );
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "x").unwrap();
    let nested = blocker.join("report.html");
    fails(
        &["--output", nested.to_str().unwrap()],
        &format!("Error: creating {}", blocker.display()),
    );
    assert_eq!(std::fs::read_to_string(&blocker).unwrap(), "x");
    fails(&["--output", " "], "Error: output: --output is empty");
    // a bad date is refused before any work
    fails(
        &["--output", unused, "--as-of", "someday"],
        "expected a date (YYYY-MM-DD)",
    );
    assert!(!std::path::Path::new(unused).exists());
    let out = leadlake(&["report", "--output", unused]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr).trim_end(),
        "Error: no lake: give --lake <url> or a [lake] section in --config"
    );
    let out = leadlake(&["report", "--lake", "x"]);
    assert_eq!(out.status.code(), Some(2), "--output is required");
    assert!(text(&out.stderr).contains("--output"));
}

#[tokio::test]
async fn the_report_goes_to_an_s3_bucket() {
    let f = fixture();
    let server = crate::moto::start_moto();
    crate::moto::create_bucket(server.port, "reports");
    let endpoint = format!("http://127.0.0.1:{}", server.port);
    let env = [
        ("AWS_ENDPOINT_URL", endpoint.as_str()),
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_REGION", "us-east-1"),
    ];
    let report = |target: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_leadlake"))
            .args([&["report", "--output", target], &f.args()[..]].concat())
            .envs(env)
            .output()
            .unwrap()
    };
    let out = report("s3://reports/daily/report.html");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let object = crate::run::get_object(server.port, "reports", "daily/report.html")
        .await
        .expect("object written");
    let page = parse(&text(&object));
    assert_eq!(page.root.id("funnel-table").body_rows().len(), 7);
    let out = report("s3://no-such-bucket/report.html");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("\nError: output: s3://no-such-bucket/report.html:"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_date_before_any_event_gives_a_page_of_zeros() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("early.html");
    let out = leadlake(
        &[
            &[
                "report",
                "--as-of",
                "2020-01-01",
                "--output",
                target.to_str().unwrap(),
            ],
            &strs(&f.lake_args)[..],
        ]
        .concat(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let page = parse(&std::fs::read_to_string(&target).unwrap());
    assert_eq!(page.errors, Vec::<String>::new());
    let funnel = page.root.id("funnel-table").body_rows();
    assert_eq!(funnel.len(), 7);
    assert!(
        funnel.iter().all(|r| r[1] == "0" && r[2] == "0"),
        "{funnel:?}"
    );
    assert!(
        page.root
            .id("funnel")
            .text()
            .contains("0 companies on business networks as of 2020-01-01")
    );
    assert!(
        page.root
            .id("flow")
            .text()
            .contains("No company has a journey yet.")
    );
    for id in ["waning", "versions", "traffic", "inputs"] {
        page.root.id(id);
    }
}
