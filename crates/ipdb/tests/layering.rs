//! Layering, overrides and network types, on databases this test writes
//! itself with `mmdb-writer` (fixed build epoch), plus the errors a user gets
//! for files that cannot be used.
#![expect(clippy::unwrap_used, reason = "a test fails loudly on purpose")]

#[path = "../../../tests/support/maxmind.rs"]
mod maxmind;

use leadlake_ipdb::{IpdbConfig, IpdbError, NetworkType, Resolver};
use mmdb_writer::{Value, Writer};
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

fn writer(database_type: &str) -> Writer {
    Writer::builder(database_type)
        .build_epoch(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
        .build()
}

fn put(w: &mut Writer, net: &str, fields: &[(&str, Value)]) {
    let map = Value::map(fields.iter().map(|(k, v)| (*k, v.clone())));
    w.insert_value(net.parse::<ipnet::IpNet>().unwrap(), map)
        .unwrap();
}

fn save(dir: &Path, name: &str, w: &Writer) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, w.to_bytes().unwrap()).unwrap();
    path
}

/// An ISP database with a company customer, an ISP's own range, a cloud
/// range and an IPv6 company range; an ASN database that also covers them;
/// and an ASN stored as uint16 to prove lenient decoding.
fn fixture(dir: &Path) -> Vec<PathBuf> {
    let mut isp = writer("GeoIP2-ISP");
    put(
        &mut isp,
        "203.0.113.0/24",
        &[
            ("isp", "Example Telecom".into()),
            ("organization", "Acme Corp".into()),
            ("autonomous_system_number", Value::U32(64500)),
            ("autonomous_system_organization", "EXAMPLE-TELECOM".into()),
        ],
    );
    put(
        &mut isp,
        "198.51.100.0/24",
        &[
            ("isp", "Example Telecom".into()),
            ("organization", "Example Telecom".into()),
        ],
    );
    put(
        &mut isp,
        "192.0.2.0/24",
        &[
            ("isp", "Amazon.com".into()),
            ("organization", "Amazon.com".into()),
            ("autonomous_system_number", Value::U32(16509)),
        ],
    );
    put(
        &mut isp,
        "2001:db8:a::/48",
        &[
            ("isp", "Example Telecom".into()),
            ("organization", "ACME, Inc.".into()),
        ],
    );
    let mut asn = writer("GeoLite2-ASN");
    put(
        &mut asn,
        "203.0.113.0/24",
        &[
            ("autonomous_system_number", Value::U32(1)),
            ("autonomous_system_organization", "WRONG".into()),
        ],
    );
    put(
        &mut asn,
        "100.64.0.0/16",
        &[
            ("autonomous_system_number", Value::U16(14061)),
            ("autonomous_system_organization", "DIGITALOCEAN-ASN".into()),
        ],
    );
    put(
        &mut asn,
        "100.65.0.0/16",
        &[
            ("autonomous_system_number", Value::U16(65001)),
            ("autonomous_system_organization", "SOME-ISP".into()),
        ],
    );
    let mut domain = writer("GeoIP2-Domain");
    put(
        &mut domain,
        "203.0.113.0/25",
        &[("domain", "Acme.example".into())],
    );
    put(
        &mut domain,
        "100.66.0.0/16",
        &[("domain", "physics.uni.edu".into())],
    );
    let mut anon = writer("GeoIP2-Anonymous-IP");
    put(
        &mut anon,
        "198.51.100.128/25",
        &[
            ("is_anonymous", true.into()),
            ("is_anonymous_vpn", true.into()),
        ],
    );
    vec![
        save(dir, "isp.mmdb", &isp),
        save(dir, "asn.mmdb", &asn),
        save(dir, "domain.mmdb", &domain),
        save(dir, "anon.mmdb", &anon),
    ]
}

fn resolver(dir: &Path, overrides: Option<&str>) -> Resolver {
    let mut cfg = IpdbConfig::with_databases(fixture(dir));
    if let Some(csv) = overrides {
        let p = dir.join("overrides.csv");
        std::fs::write(&p, csv).unwrap();
        cfg.overrides = Some(p);
    }
    Resolver::open(cfg).unwrap()
}

#[test]
fn company_databases_outrank_asn_data_and_every_field_names_its_source() {
    let dir = tempfile::tempdir().unwrap();
    let r = resolver(dir.path(), None);
    let a = r.resolve("203.0.113.7".parse().unwrap());
    assert_eq!(a.company.as_deref(), Some("Acme Corp"));
    assert_eq!(a.company_key.as_deref(), Some("acme"));
    assert_eq!(a.domain.as_deref(), Some("acme.example"));
    assert_eq!(
        a.asn,
        Some(64500),
        "the ISP database outranks the ASN database"
    );
    assert_eq!(a.network_type, NetworkType::Business);
    assert_eq!(a.network.unwrap().to_string(), "203.0.113.0/24");
    assert_eq!(a.sources.company.as_deref(), Some("GeoIP2-ISP"));
    assert_eq!(a.sources.domain.as_deref(), Some("GeoIP2-Domain"));
    assert_eq!(a.sources.asn.as_deref(), Some("GeoIP2-ISP"));
    assert_eq!(a.sources.network_type.as_deref(), Some("GeoIP2-ISP"));
    // the domain layer only covers the lower half
    assert_eq!(r.resolve("203.0.113.200".parse().unwrap()).domain, None);
    // IPv6 spelling of the same company groups with the IPv4 one
    let v6 = r.resolve("2001:db8:a::1".parse().unwrap());
    assert_eq!(v6.company_key.as_deref(), Some("acme"));
    assert_eq!(v6.network_type, NetworkType::Business);
}

#[test]
fn network_types() {
    let dir = tempfile::tempdir().unwrap();
    let r = resolver(dir.path(), None);
    let t = |ip: &str| {
        let a = r.resolve(ip.parse().unwrap());
        (
            a.network_type,
            a.sources.network_type.as_deref().map(String::from),
        )
    };
    assert_eq!(
        t("198.51.100.1"),
        (NetworkType::Isp, Some("GeoIP2-ISP".into()))
    );
    assert_eq!(
        t("198.51.100.200"),
        (NetworkType::Anonymous, Some("GeoIP2-Anonymous-IP".into()))
    );
    assert_eq!(
        t("192.0.2.1"),
        (NetworkType::Hosting, Some("builtin".into()))
    );
    // ASN stored as uint16 still decodes, and is on the built-in cloud list
    assert_eq!(
        t("100.64.1.1"),
        (NetworkType::Hosting, Some("builtin".into()))
    );
    assert_eq!(r.resolve("100.64.1.1".parse().unwrap()).asn, Some(14061));
    assert_eq!(t("100.65.1.1"), (NetworkType::Unknown, None));
    assert_eq!(
        t("100.66.1.1"),
        (NetworkType::Education, Some("GeoIP2-Domain".into()))
    );
    let nothing = r.resolve("10.0.0.1".parse().unwrap());
    assert_eq!(
        (
            nothing.network_type,
            nothing.company.clone(),
            nothing.network
        ),
        (NetworkType::Unknown, None, None)
    );
}

#[test]
fn extra_hosting_asns_come_from_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = IpdbConfig::with_databases(fixture(dir.path()));
    cfg.extra_hosting_asns = vec![65001];
    let r = Resolver::open(cfg).unwrap();
    assert_eq!(
        r.resolve("100.65.1.1".parse().unwrap()).network_type,
        NetworkType::Hosting
    );
}

#[test]
fn overrides_come_first_and_the_most_specific_wins() {
    let dir = tempfile::tempdir().unwrap();
    let r = resolver(
        dir.path(),
        Some(
            "network,company,domain,network_type\n192.0.2.0/24,Cloud Tenant Ltd,tenant.example,\n192.0.2.128/25,Runner Farm,,hosting\n198.51.100.0-198.51.100.127,Acme GmbH,ACME.example,\n",
        ),
    );
    let a = r.resolve("192.0.2.5".parse().unwrap());
    assert_eq!(
        (a.company.as_deref(), a.network_type),
        (Some("Cloud Tenant Ltd"), NetworkType::Business)
    );
    assert_eq!(a.sources.company.as_deref(), Some("override"));
    assert_eq!(a.sources.network_type.as_deref(), Some("override"));
    assert_eq!(
        a.asn,
        Some(16509),
        "fields the override lacks still come from databases"
    );
    assert_eq!(a.sources.asn.as_deref(), Some("GeoIP2-ISP"));
    assert_eq!(a.network.unwrap().to_string(), "192.0.2.0/24");
    let b = r.resolve("192.0.2.200".parse().unwrap());
    assert_eq!(
        (b.company.as_deref(), b.network_type),
        (Some("Runner Farm"), NetworkType::Hosting)
    );
    let c = r.resolve("::ffff:198.51.100.9".parse().unwrap());
    assert_eq!(c.company_key.as_deref(), Some("acme"));
    assert_eq!(c.domain.as_deref(), Some("acme.example"));
    assert_eq!(c.network_type, NetworkType::Business);
}

#[test]
fn an_override_is_never_filled_from_another_organisation() {
    let dir = tempfile::tempdir().unwrap();
    // 203.0.113.0/25 has a domain (acme.example) and an ISP customer name
    // in the databases; the overrides name other organisations there
    let r = resolver(
        dir.path(),
        Some(
            "network,company,domain\n203.0.113.0/27,NoDomain Corp,\n203.0.113.32/27,,tenant.example\n",
        ),
    );
    let a = r.resolve("203.0.113.7".parse().unwrap());
    assert_eq!(a.company.as_deref(), Some("NoDomain Corp"));
    assert_eq!(
        a.domain, None,
        "the database's domain is Acme's, not theirs"
    );
    assert_eq!(a.sources.domain, None);
    assert_eq!(a.company_key.as_deref(), Some("nodomain"));
    assert_eq!(a.asn, Some(64500), "the network's AS still comes through");
    let b = r.resolve("203.0.113.40".parse().unwrap());
    assert_eq!(b.company, None, "not the ISP customer's name");
    assert_eq!(b.domain.as_deref(), Some("tenant.example"));
    assert_eq!(b.company_key.as_deref(), Some("tenant.example"));
    // outside the overrides the databases layer as before
    let c = r.resolve("203.0.113.100".parse().unwrap());
    assert_eq!(
        (c.company.as_deref(), c.domain.as_deref()),
        (Some("Acme Corp"), Some("acme.example"))
    );
}

#[test]
fn overrides_with_network_and_domain_only_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let r = resolver(
        dir.path(),
        Some("network,domain\n10.9.0.0/16,Only.Domain.example\n"),
    );
    let a = r.resolve("10.9.1.1".parse().unwrap());
    assert_eq!(a.company, None);
    assert_eq!(a.domain.as_deref(), Some("only.domain.example"));
    assert_eq!(a.company_key.as_deref(), Some("only.domain.example"));
    assert_eq!(a.network_type, NetworkType::Business);
    let p = dir.path().join("bad.csv");
    std::fs::write(&p, "network,network_type\n10.9.0.0/16,business\n").unwrap();
    let mut cfg = IpdbConfig::with_databases(Vec::<PathBuf>::new());
    cfg.overrides = Some(p);
    let e = Resolver::open(cfg).unwrap_err().to_string();
    assert!(
        e.contains("neither a 'company' nor a 'domain' column"),
        "{e}"
    );
}

#[test]
fn cached_answers_equal_uncached_ones() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = IpdbConfig::with_databases(fixture(dir.path()));
    cfg.cache_capacity = 4; // force rotations
    let r = Resolver::open(cfg).unwrap();
    let ips = [
        "203.0.113.7",
        "198.51.100.1",
        "192.0.2.1",
        "100.64.1.1",
        "10.0.0.1",
        "2001:db8:a::1",
        "203.0.113.200",
    ];
    for round in 0..3 {
        let mut batch = r.batch();
        for ip in ips {
            let ip = ip.parse().unwrap();
            // over cached records (found again after rotations)
            let borrowed = batch.resolve_fresh_ref(ip).to_owned();
            assert_eq!(borrowed, r.resolve(ip), "{ip} round {round}, borrowed");
        }
    }
}

#[test]
fn unusable_files_are_named_in_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let open = |p: PathBuf| Resolver::open(IpdbConfig::with_databases([p])).unwrap_err();

    let missing = dir.path().join("missing.mmdb");
    let e = open(missing.clone());
    assert!(matches!(e, IpdbError::Io { .. }));
    assert!(
        e.to_string()
            .starts_with(&format!("cannot read {}: ", missing.display())),
        "{e}"
    );

    let empty = dir.path().join("empty.mmdb");
    std::fs::write(&empty, b"").unwrap();
    assert_eq!(
        open(empty.clone()).to_string(),
        format!(
            "{} is not a usable MaxMind DB file: the file is empty",
            empty.display()
        )
    );

    let text = dir.path().join("notes.mmdb");
    std::fs::write(&text, b"this is not a database at all").unwrap();
    let e = open(text.clone()).to_string();
    assert!(
        e.starts_with(&format!(
            "{} is not a usable MaxMind DB file: ",
            text.display()
        )),
        "{e}"
    );

    let good = std::fs::read(&fixture(dir.path())[0]).unwrap();
    let truncated = dir.path().join("truncated.mmdb");
    std::fs::write(&truncated, &good[..good.len() / 2]).unwrap();
    let e = open(truncated.clone()).to_string();
    assert!(
        e.starts_with(&format!(
            "{} is not a usable MaxMind DB file: ",
            truncated.display()
        )),
        "{e}"
    );

    let city = maxmind::maxmind("GeoIP2-City-Test");
    let e = open(city.clone()).to_string();
    assert!(
        e.starts_with(&format!(
            "{} is a 'GeoIP2-City' database, which has no company",
            city.display()
        )),
        "{e}"
    );

    let e = open(dir.path().to_path_buf()).to_string();
    assert!(
        e.contains("is not a usable MaxMind DB file: not a regular file"),
        "{e}"
    );
}

/// Issue 22, item 9: a real database whose metadata was tampered with is
/// refused at open, as a full walk of its networks refuses it, instead of
/// answering `unknown` for every address.
#[test]
fn tampered_metadata_is_refused_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read(maxmind::maxmind("GeoIP2-ISP-Test")).unwrap();
    // (key, its encoded value, the value written instead)
    let tamper = |key: &[u8], was: &[u8], now: &[u8]| {
        // the key's last occurrence is in the metadata; its value follows
        let at = good.windows(key.len()).rposition(|w| w == key).unwrap() + key.len();
        assert_eq!(&good[at..at + was.len()], was, "the test data changed");
        let mut bytes = good.clone();
        bytes[at..at + was.len()].copy_from_slice(now);
        let path = dir
            .path()
            .join(format!("{}.mmdb", String::from_utf8_lossy(key)));
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let refused = |path: PathBuf, why: &str| {
        let e = Resolver::open(IpdbConfig::with_databases([&path]))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(&format!(
                "{} is not a usable MaxMind DB file: ",
                path.display()
            )) && e.contains(why),
            "{e}"
        );
    };
    // node_count 6692 (uint32 of 2 bytes) becomes 6691: the tree would
    // end mid-tree, every lookup land on garbage
    refused(
        tamper(b"node_count", &[0xc2, 0x1a, 0x24], &[0xc2, 0x1a, 0x23]),
        "node_count (6691) and record_size (28) do not describe this file",
    );
    // record_size 28 becomes 24: the nodes would be read misaligned
    refused(
        tamper(b"record_size", &[0xa1, 0x1c], &[0xa1, 0x18]),
        "do not describe this file",
    );
    // ip_version 6 becomes 5
    refused(
        tamper(b"ip_version", &[0xa1, 0x06], &[0xa1, 0x05]),
        "ip_version",
    );
}

#[test]
fn ipinfo_databases_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut company = writer("ipinfo standard_company.mmdb");
    put(
        &mut company,
        "198.18.0.0/16",
        &[
            ("name", "Globex Corporation".into()),
            ("domain", "Globex.example".into()),
            ("type", "business".into()),
            ("asn", "AS64510".into()),
            ("as_name", "GLOBEX-NET".into()),
        ],
    );
    put(
        &mut company,
        "198.19.0.0/16",
        &[
            ("name", "State University".into()),
            ("domain", "state.edu".into()),
            ("type", "education".into()),
        ],
    );
    let mut asn = writer("ipinfo asn.mmdb");
    put(
        &mut asn,
        "198.18.0.0/15",
        &[
            ("asn", "AS64999".into()),
            ("name", "Transit".into()),
            ("type", "isp".into()),
        ],
    );
    put(
        &mut asn,
        "172.16.0.0/12",
        &[
            ("asn", "AS16509".into()),
            ("name", "Amazon.com, Inc.".into()),
            ("domain", "amazon.com".into()),
            ("type", "hosting".into()),
        ],
    );
    let r = Resolver::open(IpdbConfig::with_databases([
        save(dir.path(), "asn.mmdb", &asn),
        save(dir.path(), "company.mmdb", &company),
    ]))
    .unwrap();
    let a = r.resolve("198.18.1.1".parse().unwrap());
    assert_eq!(a.company.as_deref(), Some("Globex Corporation"));
    assert_eq!(a.company_key.as_deref(), Some("globex"));
    assert_eq!(a.domain.as_deref(), Some("globex.example"));
    assert_eq!(
        a.asn,
        Some(64510),
        "the company database outranks the ASN one; 'AS64510' decodes"
    );
    assert_eq!(a.network_type, NetworkType::Business);
    assert_eq!(
        a.sources.company.as_deref(),
        Some("ipinfo standard_company.mmdb")
    );
    assert_eq!(
        r.resolve("198.19.1.1".parse().unwrap()).network_type,
        NetworkType::Education
    );
    let cloud = r.resolve("172.16.0.1".parse().unwrap());
    assert_eq!(
        (cloud.asn, cloud.network_type, cloud.company),
        (Some(16509), NetworkType::Hosting, None)
    );
    assert_eq!(cloud.asn_org.as_deref(), Some("Amazon.com, Inc."));
}
