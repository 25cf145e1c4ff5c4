//! Parsing and normalising addresses as they appear in event logs.
//!
//! Rules (documented for SQL users too):
//! - surrounding ASCII white space is ignored, and so are brackets around an
//!   IPv6 address (`[2001:db8::1]`);
//! - IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`) are treated as the IPv4
//!   address they carry, so both spellings resolve and group the same way;
//! - binary input of 4 bytes is IPv4, of 16 bytes IPv6;
//! - anything else (empty, garbage, ports, zone ids, other byte lengths) is
//!   not an address and yields `None`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Parse a textual address; `None` when it is not one.
#[inline]
pub fn parse_ip(text: &str) -> Option<IpAddr> {
    if let Some(v4) = dotted_quad(text.as_bytes()) {
        return Some(IpAddr::V4(v4));
    }
    let text = text.trim_ascii();
    let text = text
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(text);
    text.parse::<IpAddr>().ok().map(canonical)
}

/// The common spelling of an IPv4 address (`a.b.c.d`, decimal, no leading
/// zeros), read without the general parser; `None` for anything else,
/// which the general parser then decides.
#[inline]
fn dotted_quad(b: &[u8]) -> Option<Ipv4Addr> {
    if b.len() < 7 || b.len() > 15 {
        return None;
    }
    let mut octets = [0u8; 4];
    let mut part = 0;
    let mut value: u32 = 0;
    let mut digits = 0;
    for &c in b {
        match c {
            b'0'..=b'9' => {
                // a leading zero followed by more digits is not accepted
                if digits == 1 && value == 0 {
                    return None;
                }
                value = value * 10 + u32::from(c - b'0');
                digits += 1;
                if value > 255 {
                    return None;
                }
            }
            b'.' if digits > 0 && part < 3 => {
                octets[part] = value as u8;
                part += 1;
                value = 0;
                digits = 0;
            }
            _ => return None,
        }
    }
    if part != 3 || digits == 0 {
        return None;
    }
    octets[3] = value as u8;
    Some(Ipv4Addr::from(octets))
}

/// Interpret raw network-order bytes (4 or 16 of them); `None` otherwise.
#[inline]
pub fn ip_from_bytes(bytes: &[u8]) -> Option<IpAddr> {
    if let Ok(b) = <[u8; 4]>::try_from(bytes) {
        Some(IpAddr::V4(Ipv4Addr::from(b)))
    } else if let Ok(b) = <[u8; 16]>::try_from(bytes) {
        Some(canonical(IpAddr::V6(Ipv6Addr::from(b))))
    } else {
        None
    }
}

/// Turn IPv4-mapped IPv6 addresses into plain IPv4.
#[inline]
pub fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(v6),
        },
        v4 => v4,
    }
}

/// Zero all but the first `v4_prefix` / `v6_prefix` bits (prefixes are
/// clamped to 32 and 128).
pub fn anonymize(ip: IpAddr, v4_prefix: u8, v6_prefix: u8) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let bits = u32::from(v4) & mask32(v4_prefix.min(32));
            IpAddr::V4(Ipv4Addr::from(bits))
        }
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & mask128(v6_prefix.min(128));
            IpAddr::V6(Ipv6Addr::from(bits))
        }
    }
}

fn mask32(prefix: u8) -> u32 {
    u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0)
}

fn mask128(prefix: u8) -> u128 {
    u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0)
}

/// Report networks of the IPv4 subtree of an IPv6 database (`::a.b.c.d/(96+n)`)
/// as the IPv4 network they stand for.
pub fn canonical_net(net: ipnet::IpNet) -> ipnet::IpNet {
    if let ipnet::IpNet::V6(v6) = net
        && v6.prefix_len() >= 96
        && (u128::from(v6.network()) >> 32) == 0
    {
        let v4 = Ipv4Addr::from(u128::from(v6.network()) as u32);
        if let Ok(n) = ipnet::Ipv4Net::new(v4, v6.prefix_len() - 96) {
            return ipnet::IpNet::V4(n);
        }
    }
    net
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_spellings() {
        assert_eq!(parse_ip(" 1.2.3.4 "), Some("1.2.3.4".parse().unwrap()));
        assert_eq!(
            parse_ip("[2001:db8::1]"),
            Some("2001:db8::1".parse().unwrap())
        );
        assert_eq!(parse_ip("::ffff:1.2.3.4"), Some("1.2.3.4".parse().unwrap()));
        assert_eq!(
            parse_ip("::FFFF:0102:0304"),
            Some("1.2.3.4".parse().unwrap())
        );
    }

    #[test]
    fn the_quick_ipv4_reader_agrees_with_the_general_parser() {
        let samples = [
            "0.0.0.0",
            "1.2.3.4",
            "255.255.255.255",
            "256.1.1.1",
            "1.2.3",
            "1.2.3.4.5",
            "01.2.3.4",
            "1.02.3.4",
            "1.2.3.00",
            "1..3.4",
            ".1.2.3",
            "1.2.3.",
            "1.2.3.4 ",
            "10.0.0.1",
            "100.200.250.199",
            "1.2.3.a",
            "999.1.1.1",
            "1.2.3.1000",
        ];
        for s in samples {
            let general = s.parse::<Ipv4Addr>().ok();
            if let Some(quick) = dotted_quad(s.as_bytes()) {
                assert_eq!(Some(quick), general, "{s:?}");
            }
            assert_eq!(parse_ip(s), s.trim_ascii().parse::<IpAddr>().ok(), "{s:?}");
        }
        // every one-byte value in every position
        for v in 0..=255u8 {
            let s = format!("{v}.{v}.1.{v}");
            assert_eq!(dotted_quad(s.as_bytes()), s.parse().ok(), "{s}");
        }
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            " ",
            "1.2.3",
            "1.2.3.256",
            "1.2.3.4:80",
            "fe80::1%eth0",
            "abc",
            "[1.2.3.4",
            "01.2.3.4",
        ] {
            assert_eq!(parse_ip(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn bytes() {
        assert_eq!(
            ip_from_bytes(&[1, 2, 3, 4]),
            Some("1.2.3.4".parse().unwrap())
        );
        let mapped = "::ffff:5.6.7.8".parse::<Ipv6Addr>().unwrap().octets();
        assert_eq!(ip_from_bytes(&mapped), Some("5.6.7.8".parse().unwrap()));
        assert_eq!(ip_from_bytes(&[1, 2, 3]), None);
        assert_eq!(ip_from_bytes(&[]), None);
    }

    #[test]
    fn ipv4_subtree_networks_read_as_ipv4() {
        let n = |s: &str| s.parse::<ipnet::IpNet>().unwrap();
        assert_eq!(canonical_net(n("::1.2.0.0/112")), n("1.2.0.0/16"));
        assert_eq!(canonical_net(n("::/64")), n("::/64"));
        assert_eq!(canonical_net(n("2001:db8::/32")), n("2001:db8::/32"));
    }

    #[test]
    fn anonymizes() {
        let ip = "192.168.10.77".parse().unwrap();
        assert_eq!(anonymize(ip, 24, 48).to_string(), "192.168.10.0");
        assert_eq!(anonymize(ip, 0, 48).to_string(), "0.0.0.0");
        assert_eq!(anonymize(ip, 99, 48).to_string(), "192.168.10.77");
        let ip6 = "2001:db8:abcd:1234::1".parse().unwrap();
        assert_eq!(anonymize(ip6, 24, 48).to_string(), "2001:db8:abcd::");
        assert_eq!(anonymize(ip6, 24, 128).to_string(), "2001:db8:abcd:1234::1");
    }
}
