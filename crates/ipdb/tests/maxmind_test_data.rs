//! Every entry of MaxMind's official test databases, checked against the JSON
//! they were built from: IPv4 entries as IPv4 and as IPv4-mapped IPv6, IPv6
//! entries as IPv6.
#![expect(clippy::unwrap_used, reason = "a test fails loudly on purpose")]

use leadlake_ipdb::{Database, DatabaseRecord, DbKind, NetworkType};
use serde_json::Value;
use std::net::{IpAddr, Ipv6Addr};
use std::path::PathBuf;

#[path = "../../../tests/support/maxmind.rs"]
mod maxmind;

fn testdata() -> PathBuf {
    maxmind::maxmind_root()
}

/// (JSON network key, record) for every entry of a source file.
fn entries(name: &str) -> Vec<(String, Value)> {
    let path = testdata().join("source-data").join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let list: Vec<serde_json::Map<String, Value>> = serde_json::from_str(&text).unwrap();
    list.into_iter().flat_map(|m| m.into_iter()).collect()
}

/// The addresses to try for a JSON key: its first address, plus the
/// IPv4-mapped spelling for IPv4 entries.
fn probes(key: &str) -> Vec<IpAddr> {
    let net: ipnet::IpNet = key.parse().unwrap();
    match net.network() {
        IpAddr::V4(v4) => vec![IpAddr::V4(v4), IpAddr::V6(v4.to_ipv6_mapped())],
        IpAddr::V6(v6) if (u128::from(v6) >> 32) == 0 && net.prefix_len() >= 96 => {
            let v4 = std::net::Ipv4Addr::from(u128::from(v6) as u32);
            vec![IpAddr::V4(v4), IpAddr::V6(v4.to_ipv6_mapped())]
        }
        IpAddr::V6(v6) => vec![IpAddr::V6(v6)],
    }
}

fn open(name: &str) -> Database {
    Database::open(maxmind::maxmind(name)).unwrap()
}

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(Value::as_str)
}

fn n(v: &Value, k: &str) -> Option<u32> {
    v.get(k)
        .and_then(Value::as_u64)
        .map(|x| u32::try_from(x).unwrap())
}

fn record_at(db: &Database, ip: IpAddr, key: &str) -> DatabaseRecord {
    db.record(ip)
        .unwrap_or_else(|| panic!("{ip} ({key}) has no data"))
        .0
}

/// Check every entry; returns (entries, probes) counted, IPv6 probes included.
fn check_all(
    name: &str,
    kind: DbKind,
    check: impl Fn(&DatabaseRecord, &Value, &str),
) -> (usize, usize, usize) {
    let db = open(name);
    assert_eq!(db.kind(), kind);
    let (mut count, mut probed, mut v6) = (0, 0, 0);
    for (key, record) in entries(name) {
        count += 1;
        for ip in probes(&key) {
            let found = record_at(&db, ip, &key);
            check(&found, &record, &format!("{key} via {ip}"));
            probed += 1;
            if matches!(ip, IpAddr::V6(v) if v.to_ipv4_mapped().is_none()) {
                v6 += 1;
            }
        }
    }
    (count, probed, v6)
}

#[test]
fn isp_database_matches_its_source() {
    let (count, probed, v6) = check_all("GeoIP2-ISP-Test", DbKind::Isp, |f, r, at| {
        assert_eq!(f.company.as_deref(), s(r, "organization"), "{at}");
        assert_eq!(f.isp.as_deref(), s(r, "isp"), "{at}");
        assert_eq!(f.asn, n(r, "autonomous_system_number"), "{at}");
        assert_eq!(
            f.asn_org.as_deref(),
            s(r, "autonomous_system_organization"),
            "{at}"
        );
    });
    assert_eq!(count, 2109);
    assert_eq!(v6, 230);
    assert!(probed > 3900, "{probed}");
}

#[test]
fn enterprise_database_matches_its_source() {
    let (count, _, v6) = check_all("GeoIP2-Enterprise-Test", DbKind::Enterprise, |f, r, at| {
        let t = &r["traits"];
        assert_eq!(f.company.as_deref(), s(t, "organization"), "{at}");
        assert_eq!(
            f.domain.as_deref().map(String::from),
            s(t, "domain").map(str::to_ascii_lowercase),
            "{at}"
        );
        assert_eq!(f.isp.as_deref(), s(t, "isp"), "{at}");
        assert_eq!(f.asn, n(t, "autonomous_system_number"), "{at}");
        assert_eq!(
            f.asn_org.as_deref(),
            s(t, "autonomous_system_organization"),
            "{at}"
        );
        assert_eq!(
            f.declared_type,
            s(t, "user_type").and_then(NetworkType::from_user_type),
            "{at}"
        );
        assert_eq!(
            f.connection,
            s(t, "connection_type").and_then(NetworkType::from_connection_type),
            "{at}"
        );
    });
    assert_eq!((count, v6), (34, 4));
}

#[test]
fn domain_database_matches_its_source() {
    let (count, _, v6) = check_all("GeoIP2-Domain-Test", DbKind::Domain, |f, r, at| {
        // domains are reported lower-case
        assert_eq!(
            f.domain.as_deref().map(String::from),
            s(r, "domain").map(str::to_ascii_lowercase),
            "{at}"
        );
        assert_eq!(f.company, None, "{at}");
    });
    assert_eq!((count, v6), (91, 2));
}

#[test]
fn asn_database_matches_its_source() {
    let (count, _, v6) = check_all("GeoLite2-ASN-Test", DbKind::Asn, |f, r, at| {
        assert_eq!(f.asn, n(r, "autonomous_system_number"), "{at}");
        assert_eq!(
            f.asn_org.as_deref(),
            s(r, "autonomous_system_organization"),
            "{at}"
        );
    });
    assert_eq!((count, v6), (720, 230));
}

#[test]
fn connection_type_database_matches_its_source() {
    let (count, _, v6) = check_all(
        "GeoIP2-Connection-Type-Test",
        DbKind::ConnectionType,
        |f, r, at| {
            let want = match s(r, "connection_type") {
                Some("Corporate") => Some(NetworkType::Business),
                Some("Cable/DSL" | "Cellular" | "Satellite") => Some(NetworkType::Isp),
                other => panic!("unexpected value {other:?} at {at}"),
            };
            assert_eq!(f.connection, want, "{at}");
        },
    );
    assert_eq!((count, v6), (25, 1));
}

#[test]
fn anonymous_ip_database_matches_its_source() {
    let (count, _, v6) = check_all(
        "GeoIP2-Anonymous-IP-Test",
        DbKind::AnonymousIp,
        |f, r, at| {
            let flag = |k: &str| r.get(k).and_then(Value::as_bool).unwrap_or(false);
            let anonymous = [
                "is_anonymous",
                "is_anonymous_vpn",
                "is_public_proxy",
                "is_residential_proxy",
                "is_tor_exit_node",
            ]
            .iter()
            .any(|k| flag(k));
            let want = if anonymous {
                Some(NetworkType::Anonymous)
            } else if flag("is_hosting_provider") {
                Some(NetworkType::Hosting)
            } else {
                None
            };
            assert_eq!(f.anonymity, want, "{at}");
        },
    );
    // 12 entries, plus the generator's ::/0 catch-all
    assert!(count >= 12, "{count}");
    assert!(v6 >= 2, "{v6}");
}

#[test]
fn readme_samples_and_networks() {
    let isp = open("GeoIP2-ISP-Test");
    let (f, net) = isp.record("149.101.100.5".parse().unwrap()).unwrap();
    assert_eq!(f.isp.as_deref(), Some("Verizon Wireless"));
    assert_eq!(net.unwrap().to_string(), "149.101.100.0/28");
    let (_, net) = isp.record("1.128.0.0".parse().unwrap()).unwrap();
    assert_eq!(net.unwrap().to_string(), "1.128.0.0/11");
    let (f, net) = isp.record("2c0f:ff80::1".parse().unwrap()).unwrap();
    assert_eq!(f.asn, Some(237));
    assert_eq!(net.unwrap().to_string(), "2c0f:ff80::/25");
    // reserved ranges have no data
    assert!(isp.record("10.0.0.1".parse().unwrap()).is_none());
    // the 2002::/16 (6to4) alias reaches IPv4 data too
    let six_to_four: Ipv6Addr = "2002:0180:0000::".parse().unwrap();
    assert_eq!(
        isp.record(IpAddr::V6(six_to_four)).unwrap().0.asn,
        Some(1221)
    );
}

#[test]
fn networks_lists_every_source_entry() {
    let db = open("GeoIP2-Domain-Test");
    let nets = db.networks().unwrap();
    assert!(nets.iter().any(|(n, f, json)| n.to_string() == "1.2.0.0/16"
        && f.domain.as_deref() == Some("maxmind.com")
        && json.contains("\"domain\":\"maxmind.com\"")));
    assert!(
        nets.iter()
            .any(|(n, _, _)| n.to_string() == "2a02:2770:3::/64")
    );
    assert!(nets.len() >= 91);
}
