//! What one source is: the unit the journey aggregates count as one
//! machine (`docs/funnel.md#sources`), built from an event's address and
//! user agent under `[funnel.sources]`.
//!
//! - An IPv4 address is one network: `203.0.113.7`. An IPv4-mapped IPv6
//!   address (`::ffff:203.0.113.7`) is the IPv4 address it carries.
//! - An IPv6 address is cut to its network, `ipv6_prefix` bits (64 by
//!   default): `2001:db8:1:2::/64`. Temporary ("privacy") addresses keep
//!   their /64 and change only the interface id, so a laptop stays one
//!   source however often its address changes.
//! - A text that is not an address (a hashed or anonymised id) is kept as
//!   written, without surrounding white space: each distinct text is one
//!   network. An empty text is no source (`None`).
//! - With `by_client` (the default), the client family of the agent
//!   ([`crate::ua`]'s `client`: `pip`, `npm`, `browser`, ...) is appended
//!   after a `|`: `203.0.113.7|pip`. The machines behind one NAT address,
//!   or on one office /64, count apart when their clients differ. An agent
//!   that names no client (unknown, empty or missing) appends nothing.
//!
//! Limits, by design (the key sees one event): one machine showing two
//! families (a browser for the docs, pip for installs) counts twice;
//! machines of one family on one network count once; a dual-stack machine
//! counts once per address family.
//!
//! Cost: a key is written, not built: [`SourceKey`] borrows its parts and
//! implements `Display` (and [`SourceKey::write_to`]), so a caller writes
//! it into its own buffer without an allocation. Masking is one `u128`
//! operation and the text is std's address `Display` (an IPv4 address's
//! digits are written directly, the same text, checked by a property
//! test); no crate is needed (`ipnet` would add a `Result` for a prefix
//! [`crate::FunnelConfig::validate`] has already checked).

use crate::config::SourceRules;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::ops::RangeInclusive;

/// The IPv6 prefix lengths `[funnel.sources] ipv6_prefix` accepts: a /48
/// is a whole site, a /128 one address.
pub const IPV6_PREFIXES: RangeInclusive<u8> = 48..=128;

/// The network part of a source key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Network {
    /// An IPv4 address (a NAT address is one network).
    V4(Ipv4Addr),
    /// An IPv6 network: the address with all but `prefix` bits zeroed.
    V6(Ipv6Addr, u8),
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Network::V4(a) => a.fmt(f),
            Network::V6(a, prefix) => write!(f, "{a}/{prefix}"),
        }
    }
}

/// Where an event came from, as its address column holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Address<'a> {
    /// An address the caller has parsed.
    Ip(IpAddr),
    /// A value that is not an address: kept as written (trimmed).
    Text(&'a str),
}

/// A source key: write it with `Display` (`203.0.113.7|pip`,
/// `2001:db8:1:2::/64|browser`, `2001:db8:1:2::/64`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceKey<'a> {
    base: Base<'a>,
    client: Option<&'a str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Base<'a> {
    Network(Network),
    Text(&'a str),
}

impl fmt::Display for SourceKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_to(f)
    }
}

impl SourceKey<'_> {
    /// Write the key (its `Display` text) to `out`. An IPv4 address, the
    /// common case, is written from its digits without the formatting
    /// machinery (which formats each octet on its own: a third of the
    /// cost of `source_key` over a lake).
    #[inline]
    pub fn write_to(&self, out: &mut impl fmt::Write) -> fmt::Result {
        match self.base {
            Base::Network(Network::V4(a)) => {
                let mut buf = [0u8; 15];
                out.write_str(ipv4_text(a, &mut buf))?;
            }
            Base::Network(n) => write!(out, "{n}")?,
            Base::Text(t) => out.write_str(t)?,
        }
        match self.client {
            Some(c) => {
                out.write_char('|')?;
                out.write_str(c)
            }
            None => Ok(()),
        }
    }
}

/// An IPv4 address in dotted decimal (as std writes it), in `buf`.
fn ipv4_text(a: Ipv4Addr, buf: &mut [u8; 15]) -> &str {
    let mut len = 0;
    for (i, octet) in a.octets().into_iter().enumerate() {
        if i > 0 {
            buf[len] = b'.';
            len += 1;
        }
        if octet >= 100 {
            buf[len] = b'0' + octet / 100;
            len += 1;
        }
        if octet >= 10 {
            buf[len] = b'0' + octet / 10 % 10;
            len += 1;
        }
        buf[len] = b'0' + octet % 10;
        len += 1;
    }
    // only ASCII digits and dots were written
    std::str::from_utf8(&buf[..len]).unwrap_or_default()
}

impl SourceRules {
    /// The network `ip` counts in: the IPv4 address, or the IPv6 network
    /// of `ipv6_prefix` bits (a prefix above 128 is read as 128).
    #[inline]
    pub fn network(&self, ip: IpAddr) -> Network {
        match ip {
            IpAddr::V4(a) => Network::V4(a),
            IpAddr::V6(a) => match a.to_ipv4_mapped() {
                Some(v4) => Network::V4(v4),
                None => {
                    let prefix = self.ipv6_prefix.min(128);
                    let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
                    Network::V6(Ipv6Addr::from(u128::from(a) & mask), prefix)
                }
            },
        }
    }

    /// The key of an event from `address` whose agent names the client
    /// family `client` (see [`client_family`]); `None` for an empty
    /// text. `client` is ignored unless `by_client`.
    #[inline]
    pub fn key<'a>(&self, address: Address<'a>, client: Option<&'a str>) -> Option<SourceKey<'a>> {
        let base = match address {
            Address::Ip(ip) => Base::Network(self.network(ip)),
            Address::Text(t) => match t.trim() {
                "" => return None,
                t => Base::Text(t),
            },
        };
        Some(SourceKey {
            base,
            client: client.filter(|_| self.by_client),
        })
    }
}

/// The client family of a user agent: `ua_info`'s `client` (`pip`, `uv`,
/// `npm`, `browser`, `curl`, `bot`, ...); `None` when the agent names none
/// (unknown or empty).
pub fn client_family(user_agent: &str) -> Option<String> {
    crate::ua::parse(user_agent).and_then(|u| u.client)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rules(ipv6_prefix: u8, by_client: bool) -> SourceRules {
        SourceRules {
            ipv6_prefix,
            by_client,
        }
    }

    fn key(r: &SourceRules, ip: &str, agent: &str) -> String {
        let family = client_family(agent);
        let address = match ip.parse() {
            Ok(ip) => Address::Ip(ip),
            Err(_) => Address::Text(ip),
        };
        r.key(address, family.as_deref())
            .map(|k| k.to_string())
            .unwrap_or_else(|| "NULL".into())
    }

    const PIP: &str = r#"pip/24.2 {"installer":{"name":"pip","version":"24.2"}}"#;
    const NPM: &str = "npm/10.8.2 node/v20.17.0 linux x64 workspaces/false";
    const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

    #[test]
    fn one_64_whose_addresses_change_daily_is_one_source_per_machine() {
        let r = SourceRules::default();
        // two machines (a browser, pip), a new interface id every day
        let mut keys = std::collections::BTreeSet::new();
        for day in 0..30u64 {
            let iid = day.wrapping_mul(0x9e37_79b9_7f4a_7c15);
            for agent in [FIREFOX, PIP] {
                let ip = Ipv6Addr::from(
                    (0x2001_0db8_0001_0002u128 << 64) | u128::from(iid ^ agent.len() as u64),
                );
                keys.insert(key(&r, &ip.to_string(), agent));
            }
        }
        assert_eq!(
            keys.into_iter().collect::<Vec<_>>(),
            ["2001:db8:1:2::/64|browser", "2001:db8:1:2::/64|pip"]
        );
    }

    #[test]
    fn neighbouring_64s_stay_apart_and_a_48_joins_them() {
        let r = SourceRules::default();
        let a = key(&r, "2001:db8:1:1::abcd", "");
        let b = key(&r, "2001:db8:1:2::abcd", "");
        assert_eq!(a, "2001:db8:1:1::/64");
        assert_eq!(b, "2001:db8:1:2::/64");
        let r48 = rules(48, true);
        assert_eq!(key(&r48, "2001:db8:1:1::abcd", ""), "2001:db8:1::/48");
        assert_eq!(key(&r48, "2001:db8:1:2::abcd", ""), "2001:db8:1::/48");
        // a /128 is the address itself
        assert_eq!(
            key(&rules(128, true), "2001:db8:1:1::abcd", ""),
            "2001:db8:1:1::abcd/128"
        );
        // an odd prefix cuts inside a group
        assert_eq!(
            key(&rules(60, true), "2001:db8:1:1f::1", ""),
            "2001:db8:1:10::/60"
        );
    }

    #[test]
    fn a_nat_address_with_three_client_families_counts_three() {
        let r = SourceRules::default();
        let keys: std::collections::BTreeSet<String> = [PIP, NPM, FIREFOX, PIP, FIREFOX]
            .iter()
            .map(|a| key(&r, "203.0.113.7", a))
            .collect();
        assert_eq!(
            keys.into_iter().collect::<Vec<_>>(),
            ["203.0.113.7|browser", "203.0.113.7|npm", "203.0.113.7|pip"]
        );
        // without the split, one address is one source
        let r = rules(64, false);
        assert_eq!(key(&r, "203.0.113.7", PIP), "203.0.113.7");
        assert_eq!(key(&r, "203.0.113.7", NPM), "203.0.113.7");
    }

    #[test]
    fn agents_naming_no_client_add_nothing() {
        let r = SourceRules::default();
        assert_eq!(key(&r, "203.0.113.7", ""), "203.0.113.7");
        assert_eq!(key(&r, "203.0.113.7", "   "), "203.0.113.7");
        assert_eq!(
            key(&r, "203.0.113.7", "leadlake-widget/1.0 (telemetry)"),
            "203.0.113.7"
        );
        // versions of one client are one family
        assert_eq!(
            key(&r, "203.0.113.7", "pip/9.0.1 CPython/2.7.12"),
            key(&r, "203.0.113.7", PIP)
        );
    }

    #[test]
    fn mapped_addresses_are_ipv4_and_text_is_kept() {
        let r = SourceRules::default();
        assert_eq!(key(&r, "::ffff:203.0.113.7", PIP), "203.0.113.7|pip");
        assert_eq!(key(&r, "  3f2a9c  ", PIP), "3f2a9c|pip");
        assert_eq!(key(&r, "1.2.3.4:80", ""), "1.2.3.4:80");
        assert_eq!(key(&r, "   ", PIP), "NULL");
        assert_eq!(key(&r, "", ""), "NULL");
    }

    proptest! {
        /// Any IPv6 address: its key is the network it lies in, which
        /// holds the address, and two addresses share a key exactly when
        /// they share their first `prefix` bits.
        #[test]
        fn ipv6_keys_are_their_networks(a: u128, low: u64, prefix in IPV6_PREFIXES) {
            let r = rules(prefix, false);
            let b = a ^ u128::from(low);
            let (x, y) = (Ipv6Addr::from(a), Ipv6Addr::from(b));
            prop_assume!(x.to_ipv4_mapped().is_none() && y.to_ipv4_mapped().is_none());
            let (kx, ky) = (r.network(IpAddr::V6(x)), r.network(IpAddr::V6(y)));
            let top = |v: u128| v.checked_shr(128 - u32::from(prefix)).unwrap_or(0);
            prop_assert_eq!(kx == ky, top(a) == top(b));
            let Network::V6(net, p) = kx else { panic!("{kx:?}") };
            prop_assert_eq!(p, prefix);
            prop_assert_eq!(top(u128::from(net)), top(a));
            let host_bits = u128::MAX.checked_shr(u32::from(prefix)).unwrap_or(0);
            prop_assert_eq!(u128::from(net) & host_bits, 0);
            // the text reads back as the same network
            let text = kx.to_string();
            let (addr, len) = text.split_once('/').unwrap();
            prop_assert_eq!(addr.parse::<Ipv6Addr>().unwrap(), net);
            prop_assert_eq!(len.parse::<u8>().unwrap(), prefix);
        }

        /// Any IPv4 address: its key is std's dotted decimal, with the
        /// client after a `|`, whether written or displayed.
        #[test]
        fn ipv4_keys_are_std_text(a: u32, client in proptest::option::of("[a-z]{1,8}")) {
            let ip = Ipv4Addr::from(a);
            let key = SourceRules::default()
                .key(Address::Ip(IpAddr::V4(ip)), client.as_deref())
                .unwrap();
            let want = match &client {
                Some(c) => format!("{ip}|{c}"),
                None => ip.to_string(),
            };
            let mut written = String::new();
            key.write_to(&mut written).unwrap();
            prop_assert_eq!(&written, &want);
            prop_assert_eq!(key.to_string(), want);
        }

        /// Any text and agent: a key or `None`, never a panic; the text
        /// part of a non-address is the trimmed text.
        #[test]
        fn any_text_gives_a_key_or_none(text in ".{0,40}", agent in ".{0,60}") {
            let r = SourceRules::default();
            let family = client_family(&agent);
            match r.key(Address::Text(&text), family.as_deref()) {
                None => prop_assert!(text.trim().is_empty()),
                Some(k) => prop_assert!(k.to_string().starts_with(text.trim())),
            }
        }
    }
}
