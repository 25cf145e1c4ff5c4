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
    let mut names = HashSet::new();
    for f in leadlake::udfs::scalar_functions(&table) {
        assert!(
            names.insert(f.name().to_string()),
            "duplicate function {}",
            f.name()
        );
        assert!(ctx.udf(f.name()).is_ok(), "{} not registered", f.name());
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
        "ip_networks",
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
