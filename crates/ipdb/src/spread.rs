//! How an organisation's traffic spreads over addresses: distinct networks
//! (/24 for IPv4, /48 for IPv6, as `ip_anonymize`), distinct addresses,
//! and distinct (address, UTC day) pairs. A company's own network shows
//! few addresses that come back day after day; an access provider's
//! customers, many networks and addresses that mostly do not (the
//! canned queries' access-population rule, `docs/queries.md`).
//!
//! Values are kept as 64-bit hashes, so a set costs 8 bytes per distinct
//! value plus the table; a collision (about one in 2^64 per pair) could
//! only undercount by one. The sets hash those values with foldhash
//! rather than std's SipHash: they are hashes already, and SipHash was a
//! tenth of the cost of `network_spread` over a lake.

use crate::addr::anonymize;
use std::hash::BuildHasher;

/// A set of value hashes.
type HashSet = std::collections::HashSet<u64, foldhash::fast::FixedState>;
use std::net::IpAddr;

const DAY_US: i64 = 86_400_000_000;

/// A fixed-seed hash, the same in every process of one build, so states
/// built on different executors merge.
fn hash(parts: (u8, u128, i64)) -> u64 {
    foldhash::fast::FixedState::with_seed(0x5e1d_0a11).hash_one(parts)
}

fn bits(ip: IpAddr) -> (u8, u128) {
    match ip {
        IpAddr::V4(v4) => (4, u128::from(u32::from(v4))),
        IpAddr::V6(v6) => (6, u128::from(v6)),
    }
}

/// The three distinct counts of one group, mergeable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spread {
    networks: HashSet,
    sources: HashSet,
    source_days: HashSet,
}

/// The counts of a [`Spread`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SpreadCounts {
    pub networks: u64,
    pub sources: u64,
    pub source_days: u64,
}

impl Spread {
    /// One event from `ip` at `ts` (microseconds since the epoch, UTC).
    pub fn add(&mut self, ip: IpAddr, ts: i64) {
        let ip = ip.to_canonical(); // ::ffff:a.b.c.d is a.b.c.d
        let (family, address) = bits(ip);
        let net = bits(anonymize(ip, 24, 48)).1;
        self.networks.insert(hash((family, net, -1)));
        self.sources.insert(hash((family, address, -1)));
        self.source_days
            .insert(hash((family, address, ts.div_euclid(DAY_US))));
    }

    /// Take in everything `other` saw.
    pub fn merge(&mut self, other: &Spread) {
        self.networks.extend(&other.networks);
        self.sources.extend(&other.sources);
        self.source_days.extend(&other.source_days);
    }

    pub fn counts(&self) -> SpreadCounts {
        SpreadCounts {
            networks: self.networks.len() as u64,
            sources: self.sources.len() as u64,
            source_days: self.source_days.len() as u64,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// Bytes held, for memory accounting.
    pub fn size(&self) -> usize {
        16 * (self.networks.capacity() + self.sources.capacity() + self.source_days.capacity())
    }

    /// The three sets as bytes: three little-endian counts, then the
    /// hashes of each set.
    pub fn encode(&self, out: &mut Vec<u8>) {
        for set in [&self.networks, &self.sources, &self.source_days] {
            out.extend_from_slice(&(set.len() as u64).to_le_bytes());
        }
        for set in [&self.networks, &self.sources, &self.source_days] {
            for h in set {
                out.extend_from_slice(&h.to_le_bytes());
            }
        }
    }

    /// Read [`encode`](Self::encode)'s bytes; `None` when they are not a
    /// whole state.
    pub fn decode(bytes: &[u8]) -> Option<Spread> {
        let word = |i: usize| -> Option<u64> {
            let b = bytes.get(i * 8..i * 8 + 8)?;
            Some(u64::from_le_bytes(b.try_into().ok()?))
        };
        let lens = [word(0)?, word(1)?, word(2)?];
        let total = lens.iter().try_fold(3u64, |a, n| a.checked_add(*n))?;
        if (bytes.len() as u64) != total.checked_mul(8)? {
            return None;
        }
        let mut out = Spread::default();
        let mut at = 3;
        for (set, n) in [&mut out.networks, &mut out.sources, &mut out.source_days]
            .into_iter()
            .zip(lens)
        {
            for _ in 0..n {
                set.insert(word(at)?);
                at += 1;
            }
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = DAY_US;

    #[test]
    fn networks_sources_and_source_days_are_counted_apart() {
        let mut s = Spread::default();
        let ip = |t: &str| t.parse::<IpAddr>().unwrap();
        s.add(ip("203.0.113.7"), 0);
        s.add(ip("203.0.113.7"), DAY + 5); // same address, next day
        s.add(ip("203.0.113.9"), 10); // same /24
        s.add(ip("::ffff:203.0.113.9"), 20); // the same address, mapped
        s.add(ip("198.51.100.1"), -1); // the day before the epoch
        s.add(ip("2001:db8:1:2::1"), 0);
        s.add(ip("2001:db8:1:3::1"), 0); // same /48
        assert_eq!(
            s.counts(),
            SpreadCounts {
                networks: 3,
                sources: 5,
                source_days: 6
            }
        );
    }

    #[test]
    fn states_round_trip_merge_and_reject_truncation() {
        let mut a = Spread::default();
        let mut b = Spread::default();
        a.add("10.0.0.1".parse().unwrap(), 0);
        b.add("10.0.1.1".parse().unwrap(), 0);
        b.add("10.0.0.1".parse().unwrap(), 0);
        let mut bytes = Vec::new();
        b.encode(&mut bytes);
        let back = Spread::decode(&bytes).unwrap();
        assert_eq!(back, b);
        a.merge(&back);
        assert_eq!(a.counts().networks, 2);
        assert_eq!(a.counts().sources, 2);
        assert!(Spread::decode(&bytes[..bytes.len() - 1]).is_none());
        assert!(Spread::decode(&[0xff; 24]).is_none());
        assert!(Spread::decode(&[]).is_none());
    }
}
