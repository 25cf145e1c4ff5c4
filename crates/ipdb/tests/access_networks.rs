//! Own networks: a company's or an access provider's. Each signal of
//! `crate::access` and its precedence, on databases written here, and
//! MaxMind's official ISP test database keeping its answers.
#![expect(clippy::unwrap_used, reason = "a test fails loudly on purpose")]

#[path = "../../../tests/support/maxmind.rs"]
mod maxmind;

use leadlake_ipdb::{Evidence, IpdbConfig, NetworkType, Resolver};
use mmdb_writer::{Value, Writer};
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

/// `(network, isp, organization, asn, as organisation, domain)` rows of one
/// GeoIP2-ISP database; a domain goes into a GeoIP2-Domain database.
type Row = (
    &'static str,
    &'static str,
    &'static str,
    u32,
    &'static str,
    &'static str,
);

const ROWS: &[Row] = &[
    // a company on its own AS: every name is the company's
    (
        "17.0.0.0/8",
        "Apple Inc.",
        "Apple Inc.",
        714,
        "APPLE-ENGINEERING",
        "apple.com",
    ),
    // an access provider's own range, on a listed access AS
    (
        "73.0.0.0/8",
        "Comcast Cable",
        "Comcast Cable",
        7922,
        "COMCAST-7922",
        "",
    ),
    // an access provider on an unlisted AS, told by its name
    (
        "100.64.0.0/16",
        "Northwind Broadband",
        "Northwind Broadband",
        4_200_000_001,
        "",
        "",
    ),
    // ... and by its domain alone
    (
        "100.65.0.0/16",
        "Fabrikam",
        "Fabrikam",
        4_200_000_002,
        "",
        "fabrikam.t-online.de",
    ),
    // a company inside an ISP's space, on the ISP's (listed) AS
    (
        "73.1.2.0/24",
        "Comcast Cable",
        "Acme Corp",
        7922,
        "COMCAST-7922",
        "acme.example",
    ),
    // a telecom-named company on a non-access AS
    (
        "100.66.0.0/16",
        "Telecom Software Inc",
        "Telecom Software Inc",
        4_200_000_003,
        "",
        "",
    ),
    // a listed access AS whose records name nobody we know
    ("1.0.0.0/16", "ZZ Net", "ZZ Net", 3320, "", ""),
    // an ISP record with no organisation
    ("100.67.0.0/16", "Wingtip", "", 4_200_000_004, "", ""),
    // malformed: an ASN and no names; ASN 0; odd names
    ("100.68.0.0/16", "", "", 4_200_000_005, "", ""),
    ("100.69.0.0/16", "", "", 0, "", ""),
    ("100.70.0.0/16", "...", "...", 0, "", ""),
];

fn write(dir: &Path) -> Vec<PathBuf> {
    let epoch = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let mut isp = Writer::builder("GeoIP2-ISP").build_epoch(epoch).build();
    let mut domain = Writer::builder("GeoIP2-Domain").build_epoch(epoch).build();
    for &(net, isp_name, org, asn, as_org, dom) in ROWS {
        let mut fields: Vec<(&str, Value)> = Vec::new();
        if !isp_name.is_empty() {
            fields.push(("isp", isp_name.into()));
        }
        if !org.is_empty() {
            fields.push(("organization", org.into()));
        }
        fields.push(("autonomous_system_number", Value::U32(asn)));
        if !as_org.is_empty() {
            fields.push(("autonomous_system_organization", as_org.into()));
        }
        let net: ipnet::IpNet = net.parse().unwrap();
        isp.insert_value(net, Value::map(fields)).unwrap();
        if !dom.is_empty() {
            domain
                .insert_value(net, Value::map([("domain", Value::from(dom))]))
                .unwrap();
        }
    }
    let paths = vec![dir.join("isp.mmdb"), dir.join("domain.mmdb")];
    std::fs::write(&paths[0], isp.to_bytes().unwrap()).unwrap();
    std::fs::write(&paths[1], domain.to_bytes().unwrap()).unwrap();
    paths
}

fn typed(r: &Resolver, ip: &str) -> (NetworkType, Option<Evidence>) {
    let a = r.resolve(ip.parse().unwrap());
    (a.network_type, a.sources.why)
}

#[test]
fn each_signal_and_its_precedence() {
    let dir = tempfile::tempdir().unwrap();
    let r = Resolver::open(IpdbConfig::with_databases(write(dir.path()))).unwrap();
    use Evidence::*;
    use NetworkType::*;
    for (ip, want) in [
        ("17.1.2.3", (Business, Some(OwnNetwork))),
        ("73.9.9.9", (Isp, Some(AccessAsn))),
        ("100.64.1.1", (Isp, Some(AccessName))),
        ("100.65.1.1", (Isp, Some(AccessDomain))),
        ("73.1.2.3", (Business, Some(IspCustomer))),
        ("100.66.1.1", (Business, Some(OwnNetwork))),
        ("1.0.1.1", (Isp, Some(AccessAsn))),
        ("100.67.1.1", (Isp, Some(IspRecord))),
        ("100.68.1.1", (Unknown, None)),
        ("100.69.1.1", (Unknown, None)),
        ("100.70.1.1", (Unknown, None)),
    ] {
        assert_eq!(typed(&r, ip), want, "{ip}");
    }
    // the deciding source is named too: the built-in list, or the database
    let a = r.resolve("73.9.9.9".parse().unwrap());
    assert_eq!(a.sources.network_type.as_deref(), Some("builtin"));
    let a = r.resolve("17.1.2.3".parse().unwrap());
    assert_eq!(a.sources.network_type.as_deref(), Some("GeoIP2-ISP"));
    assert_eq!(a.company.as_deref(), Some("Apple Inc."));
    // ASN 0 is no ASN
    assert_eq!(r.resolve("100.69.1.1".parse().unwrap()).asn, None);
}

#[test]
fn the_configuration_extends_both_lists() {
    let dir = tempfile::tempdir().unwrap();
    let config = IpdbConfig {
        // Apple's AS as an access network, Comcast's as a company's
        extra_isp_asns: vec![714],
        extra_business_asns: vec![7922, 4_200_000_001],
        ..IpdbConfig::with_databases(write(dir.path()))
    };
    let r = Resolver::open(config).unwrap();
    use Evidence::*;
    use NetworkType::*;
    assert_eq!(typed(&r, "17.1.2.3"), (Isp, Some(AccessAsn)));
    assert_eq!(typed(&r, "73.9.9.9"), (Business, Some(BusinessAsn)));
    assert_eq!(typed(&r, "100.64.1.1"), (Business, Some(BusinessAsn)));
    // a customer stays a customer whatever its ISP's AS
    assert_eq!(typed(&r, "73.1.2.3"), (Business, Some(IspCustomer)));
}

#[test]
fn maxmind_test_database_keeps_its_answers() {
    let r = Resolver::open(IpdbConfig::with_databases([maxmind::maxmind(
        "GeoIP2-ISP-Test",
    )]))
    .unwrap();
    // Telstra Internet on 1.128.0.0/11: its own range, on listed AS 1221
    let a = r.resolve("1.128.0.1".parse().unwrap());
    assert_eq!(a.company.as_deref(), Some("Telstra Internet"));
    assert_eq!(
        (a.network_type, a.sources.why),
        (NetworkType::Isp, Some(Evidence::AccessAsn))
    );
}

proptest::proptest! {
    /// The name and domain signals read any text without panicking, and
    /// a business word always outweighs access words.
    #[test]
    fn any_text_is_read(text in "\\PC{0,80}") {
        let _ = leadlake_ipdb::access::access_domain(&text);
        let _ = leadlake_ipdb::access::access_name(&text);
        let with_business = format!("{text} Software");
        proptest::prop_assert!(!leadlake_ipdb::access::access_name(&with_business));
    }
}
