//! Registration: one call, unique names, and clear errors for bad files.

use crate::support;
use datafusion::execution::FunctionRegistry;
use datafusion::prelude::SessionContext;
use std::collections::HashSet;
use std::sync::Arc;

#[test]
fn function_names_are_unique_and_all_registered() {
    let ctx = SessionContext::new();
    leadlake::register_all(&ctx, &support::config()).unwrap();
    let table = Arc::new(leadlake::udfs::AddressTable::new(Arc::new(
        leadlake::ipdb::Resolver::open(support::config().ipdb).unwrap(),
    )));
    let funnel = Arc::new(leadlake::funnel::Funnel::default());
    let mut names = HashSet::new();
    for f in leadlake::udfs::scalar_functions(&table, &funnel) {
        assert!(
            names.insert(f.name().to_string()),
            "duplicate function {}",
            f.name()
        );
        assert!(ctx.udf(f.name()).is_ok(), "{} not registered", f.name());
    }
    for f in leadlake::udfs::aggregate_functions(&funnel) {
        assert!(names.insert(f.name().to_string()), "duplicate {}", f.name());
        assert!(ctx.udaf(f.name()).is_ok(), "{} not registered", f.name());
    }
    for f in leadlake::udfs::window_functions() {
        assert!(names.insert(f.name().to_string()), "duplicate {}", f.name());
        assert!(ctx.udwf(f.name()).is_ok(), "{} not registered", f.name());
    }
    for (name, _) in leadlake::udfs::table_functions() {
        assert!(names.insert(name.to_string()), "duplicate function {name}");
        assert!(ctx.table_function(name).is_ok(), "{name} not registered");
    }
    let expected = [
        "ip_company",
        "ip_asn",
        "ip_domain",
        "ip_network_type",
        "ip_anonymize",
        "ip_hash",
        "company_key",
        "ip_networks",
        "page_class",
        "ua_info",
        "source_key",
        "version_newer",
        "version_parse",
        "journey_stage",
        "activity_tiers",
        "lead_score",
        "active_installs",
        "journey_activity",
        "company_journey",
        "version_upgrades",
        "stage_timeline",
        "version_max",
        "network_spread",
        "session_id",
        "session_start",
        "session_end",
    ];
    assert_eq!(names, expected.iter().map(|s| s.to_string()).collect());
}

#[test]
fn stateless_functions_are_shared_instances() {
    assert!(Arc::ptr_eq(
        &leadlake::udfs::ip_hash_udf(),
        &leadlake::udfs::ip_hash_udf()
    ));
    assert!(Arc::ptr_eq(
        &leadlake::udfs::ip_anonymize_udf(),
        &leadlake::udfs::ip_anonymize_udf()
    ));
}

#[test]
fn the_config_round_trips_through_json_and_rebuilds_the_same_functions() {
    let config = support::config();
    let json = serde_json::to_string(&config).unwrap();
    let back: leadlake::Config = serde_json::from_str(&json).unwrap();
    assert_eq!(back, config);
    let ctx = SessionContext::new();
    leadlake::register_all(&ctx, &back).unwrap();
    let err =
        serde_json::from_str::<leadlake::Config>(r#"{"ipdb": {"databses": []}}"#).unwrap_err();
    assert!(
        err.to_string().contains("unknown field `databses`"),
        "{err}"
    );
}

#[test]
fn registration_names_the_file_that_cannot_be_used() {
    let dir = tempfile::tempdir().unwrap();
    let corrupt = dir.path().join("corrupt.mmdb");
    std::fs::write(&corrupt, b"\xab\xcd\xefMaxMind.com garbage").unwrap();
    let ctx = SessionContext::new();
    let err = leadlake::register_all(&ctx, &leadlake::Config::from_ipdb([&corrupt])).unwrap_err();
    assert!(
        err.to_string().starts_with(&format!(
            "{} is not a usable MaxMind DB file",
            corrupt.display()
        )),
        "{err}"
    );
    let mut config = leadlake::Config::from_ipdb([support::maxmind("GeoIP2-ISP-Test")]);
    config.ipdb.overrides = Some(dir.path().join("missing.csv"));
    let err = leadlake::register_all(&ctx, &config)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("cannot read ") && err.contains("missing.csv"),
        "{err}"
    );
}

#[test]
fn the_docs_list_every_function_with_its_signature_and_every_cloud_asn() {
    let root =
        std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"));
    let docs = std::fs::read_to_string(root.join("docs/functions.md")).unwrap();
    let table = std::sync::Arc::new(leadlake::udfs::AddressTable::new(std::sync::Arc::new(
        leadlake::ipdb::Resolver::open(support::config().ipdb).unwrap(),
    )));
    let funnel = std::sync::Arc::new(leadlake::funnel::Funnel::default());
    let mut names: Vec<String> = leadlake::udfs::scalar_functions(&table, &funnel)
        .iter()
        .map(|f| f.name().to_string())
        .collect();
    names.extend(
        leadlake::udfs::aggregate_functions(&funnel)
            .iter()
            .map(|f| f.name().to_string()),
    );
    names.extend(
        leadlake::udfs::window_functions()
            .iter()
            .map(|f| f.name().to_string()),
    );
    names.extend(
        leadlake::udfs::table_functions()
            .iter()
            .map(|(n, _)| n.to_string()),
    );
    assert_eq!(names.len(), 26);
    for f in &names {
        assert!(
            docs.contains(&format!("`{f}(")),
            "docs/functions.md lacks {f}"
        );
    }
    for f in [
        "ip_company(ip)",
        "ip_anonymize(ip [, v4_prefix [, v6_prefix]])",
        "ip_hash(ip, salt)",
        "session_id(ts [, gap [, max_length]])",
        "source_key(ip, user_agent)",
    ] {
        assert!(
            docs.contains(&format!("`{f}")),
            "docs/functions.md lacks the signature {f}"
        );
    }
    for (asn, _) in leadlake::ipdb::network_type::CLOUD_ASNS {
        assert!(
            docs.contains(&asn.to_string()),
            "docs/functions.md lacks cloud ASN {asn}"
        );
    }
    // every file a doc links to is in the repository
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    for text in [&readme, &docs] {
        for link in text.split("](").skip(1) {
            let target = link.split([')', '#']).next().unwrap_or_default();
            if target.is_empty() || target.contains("://") {
                continue;
            }
            let base = if std::ptr::eq(text, &readme) {
                root.clone()
            } else {
                root.join("docs")
            };
            assert!(base.join(target).exists(), "broken link {target}");
        }
    }
}

fn write_parquet(path: &std::path::Path, columns: Vec<(&str, arrow::array::ArrayRef)>) {
    let batch = arrow::array::RecordBatch::try_from_iter(columns).unwrap();
    let mut w = parquet::arrow::ArrowWriter::try_new(
        std::fs::File::create(path).unwrap(),
        batch.schema(),
        None,
    )
    .unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
}

#[tokio::test]
async fn overrides_can_be_parquet() {
    use arrow::array::{ArrayRef, LargeStringArray, StringArray, StringViewArray};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ranges.parquet");
    write_parquet(
        &path,
        vec![
            (
                "Network",
                Arc::new(StringArray::from(vec!["1.128.5.0/24", "2001:db8:42::/48"])) as ArrayRef,
            ),
            (
                "company",
                Arc::new(LargeStringArray::from(vec![
                    Some("Acme Corp"),
                    Some("ACME, Inc."),
                ])) as ArrayRef,
            ),
            (
                "domain",
                Arc::new(StringViewArray::from(vec![Some("acme.example"), None])) as ArrayRef,
            ),
            (
                "extra",
                Arc::new(StringArray::from(vec!["ignored", "ignored"])) as ArrayRef,
            ),
        ],
    );
    let mut config = leadlake::Config::from_ipdb([support::maxmind("GeoIP2-ISP-Test")]);
    config.ipdb.overrides = Some(path);
    let ctx = SessionContext::new();
    leadlake::register_all(&ctx, &config).unwrap();
    let batches = ctx
        .sql("SELECT ip_company('1.128.5.9')['company_key'] AS a, ip_company('2001:db8:42::1')['company'] AS b, ip_company('1.128.5.9')['source']['company'] AS s")
        .await
        .unwrap()
        .collect()
        .await
        .unwrap();
    let text = arrow::util::pretty::pretty_format_batches(&batches)
        .unwrap()
        .to_string();
    assert!(text.contains("| acme | ACME, Inc. | override |"), "{text}");

    // errors name the file and the row
    let bad = dir.path().join("bad.parquet");
    write_parquet(
        &bad,
        vec![
            (
                "network",
                Arc::new(StringArray::from(vec!["10.0.0.0/8", "10.0.0.0/33"])) as ArrayRef,
            ),
            (
                "company",
                Arc::new(StringArray::from(vec!["A", "B"])) as ArrayRef,
            ),
        ],
    );
    config.ipdb.overrides = Some(bad.clone());
    let err = leadlake::register_all(&ctx, &config)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        format!(
            "{}:2: '10.0.0.0/33' is not a network (expected address/prefix)",
            bad.display()
        )
    );

    let nocol = dir.path().join("nocol.parquet");
    write_parquet(
        &nocol,
        vec![(
            "net",
            Arc::new(StringArray::from(vec!["10.0.0.0/8"])) as ArrayRef,
        )],
    );
    config.ipdb.overrides = Some(nocol.clone());
    let err = leadlake::register_all(&ctx, &config)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        format!("{}:0: the file has no 'network' column", nocol.display())
    );

    let notparquet = dir.path().join("fake.parquet");
    std::fs::write(&notparquet, "network,company\n").unwrap();
    config.ipdb.overrides = Some(notparquet.clone());
    let err = leadlake::register_all(&ctx, &config)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(&format!(
            "{}:0: not a readable Parquet file",
            notparquet.display()
        )),
        "{err}"
    );
}

/// Write `text` as a leadlake.toml and read it back.
fn toml_config(text: &str) -> Result<leadlake::Config, leadlake::Error> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("leadlake.toml");
    std::fs::write(&path, text).unwrap();
    leadlake::Config::from_toml_file(&path)
}

#[test]
fn invalid_funnel_settings_name_their_key() {
    let register = |text: &str| {
        let mut config = toml_config(text)?;
        config.ipdb = support::config().ipdb;
        leadlake::register_all(&SessionContext::new(), &config)
    };
    let err = register("[funnel.stages]\nwaning_drop_ratio = 2.0\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid configuration: funnel.stages.waning_drop_ratio: must be between 0 and 1, got 2"
    );
    let err = register("[[funnel.pages]]\nclass = \"high\"\npattern = \"pricing(\"\n").unwrap_err();
    assert!(
        err.to_string().starts_with(
            "invalid configuration: funnel.pages[0].pattern: invalid regular expression"
        ),
        "{err}"
    );
    let err = register("[[funnel.pages]]\nclass = \"hot\"\npattern = \"pricing\"\n").unwrap_err();
    assert!(
        err.to_string()
            .contains("funnel.pages[0].class: unknown page class 'hot'"),
        "{err}"
    );
    let err = register("[funnel.score]\nhalf_life_days = 0\n").unwrap_err();
    assert!(
        err.to_string()
            .contains("funnel.score.half_life_days: must be a positive number"),
        "{err}"
    );
    // unknown stage name, negative window: the TOML reader names the key
    let err = register("[funnel.actions]\nprodution = \"call\"\n").unwrap_err();
    assert!(
        err.to_string().contains("unknown field `prodution`"),
        "{err}"
    );
    let err = register("[funnel.stages]\nwaning_span_days = -60\n").unwrap_err();
    assert!(err.to_string().contains("waning_span_days"), "{err}");
    let err = register("[funnel.sources]\nipv6_prefix = 40\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid configuration: funnel.sources.ipv6_prefix: must be between 48 and 128, got 40"
    );
    let err = register("[funnel.sources]\nby_agent = true\n").unwrap_err();
    assert!(
        err.to_string().contains("unknown field `by_agent`"),
        "{err}"
    );
}

/// `[funnel.sources]` reaches `source_key` and, through it, the view the
/// canned queries read.
#[tokio::test]
async fn source_settings_change_the_source_key() {
    let sql = "SELECT source_key('2001:db8:1:2:aaaa::1', 'pip/24.2'), source_key('203.0.113.7', 'npm/10.8.2')";
    let mut keys = Vec::new();
    for text in [
        "",
        "[funnel.sources]\nipv6_prefix = 48\n",
        "[funnel.sources]\nipv6_prefix = 128\nby_client = false\n",
    ] {
        let mut config = toml_config(text).unwrap();
        config.ipdb = support::config().ipdb;
        let ctx = SessionContext::new();
        leadlake::register_all(&ctx, &config).unwrap();
        keys.push(support::rows(&ctx, sql).await.remove(0));
    }
    assert_eq!(
        keys,
        [
            ["2001:db8:1:2::/64|pip", "203.0.113.7|npm"],
            ["2001:db8:1::/48|pip", "203.0.113.7|npm"],
            ["2001:db8:1:2:aaaa::1/128", "203.0.113.7"],
        ]
    );
}

#[tokio::test]
async fn funnel_settings_change_the_answers() {
    let sql = "SELECT journey_stage(ts, kind, path, version, src, DATE '2026-03-01')['stage'] FROM (VALUES \
               (TIMESTAMP '2026-02-10 10:00:00', 'docs_view', '/docs/install', NULL, 'a'), \
               (TIMESTAMP '2026-02-12 10:00:00', 'download', '/w', '1.0', 'a')) AS e(ts, kind, path, version, src)";
    let mut stages = Vec::new();
    for text in ["", "[funnel.stages]\ntrial_active_days = 3\n"] {
        let mut config = toml_config(text).unwrap();
        config.ipdb = support::config().ipdb;
        let ctx = SessionContext::new();
        leadlake::register_all(&ctx, &config).unwrap();
        stages.push(support::rows(&ctx, sql).await[0][0].clone());
    }
    assert_eq!(stages, ["trial", "passive"]);
}

/// Issue 22, item 16: an error in the configuration file never shows a
/// secret value, whether the bad value is the secret or its neighbour.
#[test]
fn configuration_errors_never_echo_secrets() {
    for text in [
        "[lake]\nurl = \"s3://b/x/\"\nstorage = { aws_secret_access_key = \"SUPERSECRET\", aws_region = 5 }\n",
        "[lake]\nurl = \"s3://b/x/\"\n[lake.storage]\naws_secret_access_key = SUPERSECRET\n",
        "[lake]\nurl = \"s3://b/x/\"\n[lake.storage]\ngoogle_service_account_key = { SUPERSECRET = 1 }\n",
    ] {
        let err = toml_config(text).unwrap_err().to_string();
        assert!(!err.contains("SUPERSECRET"), "{err}");
        assert!(err.contains("line "), "the error still says where: {err}");
    }
    // other lines are shown as they are
    let err = toml_config("[lake]\nurl = 5\n").unwrap_err().to_string();
    assert!(err.contains("line 2: url = 5"), "{err}");
}
