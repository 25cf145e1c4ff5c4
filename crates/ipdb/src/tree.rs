//! Walking a MaxMind DB search tree directly, one address at a time or
//! many interleaved.
//!
//! A lookup is a chain of dependent reads, one tree node per address bit.
//! In a tree of a few megabytes most of those reads miss the nearer caches,
//! so one walk spends its time waiting for memory. Walking several
//! addresses in turn, one step each, keeps several reads in flight at once:
//! the waits overlap, and a batch of unseen addresses resolves several
//! times faster than the same addresses one by one.
//!
//! The answers are the ones `maxminddb`'s own lookup gives (the tests
//! compare them on every official test database): the record's offset in
//! the data section and the prefix length of the network.

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use std::net::{IpAddr, Ipv6Addr};

/// Bytes between the search tree and the data section.
const SEPARATOR: usize = 16;
/// Walks in flight at once in [`SearchTree::locate_many`].
const LANES: usize = 8;
/// IPv4 walks start from a table of where the first this-many bits lead.
const V4_TABLE_BITS: u8 = 16;

/// Where an address's walk found data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Landing {
    /// The record's offset in the data section (a cache key: every address
    /// of the network, and often many networks, share it).
    pub offset: usize,
    /// Bits walked: the network's prefix length, in the address's family.
    pub prefix: u8,
}

/// The shape of one database's search tree.
#[derive(Debug, Clone)]
pub(crate) struct SearchTree {
    node_count: usize,
    record_bits: u16,
    ipv6: bool,
    /// The node IPv4 addresses start from (`::a.b.c.d` in an IPv6 tree),
    /// and how many bits deep it lies.
    ipv4_start: usize,
    ipv4_depth: u8,
    /// Per value of an IPv4 address's first [`V4_TABLE_BITS`] bits: the
    /// pointer the walk reaches after them (or earlier, at a record or an
    /// empty end), and the depth where it stopped. A quarter of a megabyte
    /// that saves the first 16 of an IPv4 lookup's at most 32 steps.
    v4_nodes: Box<[u32]>,
    v4_depths: Box<[u8]>,
}

/// One walk in progress.
#[derive(Clone, Copy)]
struct Lane {
    node: usize,
    /// The address bits still to walk, highest first.
    bits: u128,
    depth: u8,
    max: u8,
    index: usize,
}

impl SearchTree {
    /// The tree of a database file; `None` when the metadata does not fit
    /// the file (a record size other than 24, 28 or 32 bits, or a tree
    /// larger than the file).
    pub(crate) fn new(
        buf: &[u8],
        node_count: u32,
        record_bits: u16,
        ip_version: u16,
    ) -> Option<Self> {
        if !matches!(record_bits, 24 | 28 | 32) {
            return None;
        }
        let node_count = node_count as usize;
        let tree_len = node_count.checked_mul(usize::from(record_bits) / 4)?;
        // every read of a node takes 4 bytes from its start; the separator
        // after the last node keeps such reads inside the file
        if tree_len.checked_add(SEPARATOR)? > buf.len() {
            return None;
        }
        let mut tree = Self {
            node_count,
            record_bits,
            ipv6: ip_version == 6,
            ipv4_start: 0,
            ipv4_depth: 0,
            v4_nodes: Box::default(),
            v4_depths: Box::default(),
        };
        if tree.ipv6 {
            // IPv4 addresses live under 96 zero bits
            let mut node = 0;
            let mut depth = 0;
            while depth < 96 && node < node_count {
                node = tree.read(buf, node, 0);
                depth += 1;
            }
            tree.ipv4_start = node;
            tree.ipv4_depth = depth;
        }
        let slots = 1usize << V4_TABLE_BITS;
        let mut nodes = vec![0u32; slots];
        let mut depths = vec![0u8; slots];
        tree.fill_v4(buf, tree.ipv4_start, 0, 0, &mut nodes, &mut depths);
        tree.v4_nodes = nodes.into_boxed_slice();
        tree.v4_depths = depths.into_boxed_slice();
        Some(tree)
    }

    /// Fill the IPv4 table below `node`, reached by the `depth` bits of
    /// `prefix`: every slot under a record or an empty end gets it with
    /// its depth; the others get the node at the table's depth. Each node
    /// of the tree's top levels is read once.
    fn fill_v4(
        &self,
        buf: &[u8],
        node: usize,
        depth: u8,
        prefix: usize,
        nodes: &mut [u32],
        depths: &mut [u8],
    ) {
        if node >= self.node_count || depth == V4_TABLE_BITS {
            let shift = V4_TABLE_BITS - depth;
            let range = prefix << shift..(prefix + 1) << shift;
            // pointers are at most 32 bits wide
            nodes[range.clone()].fill(node as u32);
            depths[range].fill(depth);
            return;
        }
        for bit in 0..2 {
            let child = self.read(buf, node, bit);
            self.fill_v4(buf, child, depth + 1, prefix << 1 | bit, nodes, depths);
        }
    }

    /// Does an IPv6 tree hold an IPv4 subtree (so IPv4 networks come back
    /// as IPv4)?
    fn has_ipv4_subtree(&self) -> bool {
        self.ipv6 && self.ipv4_start < self.node_count
    }

    /// The record pointer in a node's left (`bit` 0) or right (1) half.
    #[inline(always)]
    fn read(&self, buf: &[u8], node: usize, bit: usize) -> usize {
        match self.record_bits {
            24 => read24(buf, node, bit),
            28 => read28(buf, node, bit),
            _ => read32(buf, node, bit),
        }
    }

    /// A walk for `ip`, or `None` when this tree cannot hold it (IPv6 in
    /// an IPv4 database).
    #[inline]
    fn start(&self, ip: IpAddr, index: usize) -> Option<Lane> {
        let (node, bits, depth, max) = match ip {
            IpAddr::V4(a) => {
                let a = u32::from(a);
                let slot = (a >> (32 - V4_TABLE_BITS)) as usize;
                let depth = self.v4_depths[slot];
                // the bits after the table's (when the walk stopped earlier,
                // it does not go on, so they are never read)
                let bits = u128::from(a) << (96 + V4_TABLE_BITS);
                (self.v4_nodes[slot] as usize, bits, depth, 32)
            }
            IpAddr::V6(_) if !self.ipv6 => return None,
            IpAddr::V6(a) => (0, u128::from(a), 0, 128),
        };
        Some(Lane {
            node,
            bits,
            depth,
            max,
            index,
        })
    }

    /// Where a finished walk landed: data when the pointer is past the
    /// tree's nodes and its empty marker.
    #[inline]
    fn landing(&self, lane: &Lane) -> Option<Landing> {
        let offset = lane.node.checked_sub(self.node_count + SEPARATOR)?;
        Some(Landing {
            offset,
            prefix: lane.depth,
        })
    }

    /// Find one address.
    pub(crate) fn locate(&self, buf: &[u8], ip: IpAddr) -> Option<Landing> {
        let mut lane = self.start(ip, 0)?;
        match self.record_bits {
            24 => self.walk(buf, &mut lane, read24),
            28 => self.walk(buf, &mut lane, read28),
            _ => self.walk(buf, &mut lane, read32),
        }
        self.landing(&lane)
    }

    #[inline(always)]
    fn walk(&self, buf: &[u8], lane: &mut Lane, read: fn(&[u8], usize, usize) -> usize) {
        while lane.node < self.node_count && lane.depth < lane.max {
            lane.node = read(buf, lane.node, (lane.bits >> 127) as usize);
            lane.bits <<= 1;
            lane.depth += 1;
        }
    }

    /// Find many addresses, [`LANES`] walks in flight at a time; `out`
    /// gets one entry per address, in order.
    pub(crate) fn locate_many(&self, buf: &[u8], ips: &[IpAddr], out: &mut Vec<Option<Landing>>) {
        out.clear();
        out.resize(ips.len(), None);
        match self.record_bits {
            24 => self.interleave(buf, ips, out, read24),
            28 => self.interleave(buf, ips, out, read28),
            _ => self.interleave(buf, ips, out, read32),
        }
    }

    #[inline(always)]
    fn interleave(
        &self,
        buf: &[u8],
        ips: &[IpAddr],
        out: &mut [Option<Landing>],
        read: fn(&[u8], usize, usize) -> usize,
    ) {
        let mut next = 0;
        // the next address this tree can hold, as a walk
        let take = |next: &mut usize| {
            while *next < ips.len() {
                let i = *next;
                *next += 1;
                if let Some(lane) = self.start(ips[i], i) {
                    return Some(lane);
                }
            }
            None
        };
        let mut lanes: Vec<Lane> = Vec::with_capacity(LANES);
        while lanes.len() < LANES
            && let Some(lane) = take(&mut next)
        {
            lanes.push(lane);
        }
        while !lanes.is_empty() {
            let mut k = 0;
            while k < lanes.len() {
                let lane = &mut lanes[k];
                if lane.node < self.node_count && lane.depth < lane.max {
                    lane.node = read(buf, lane.node, (lane.bits >> 127) as usize);
                    lane.bits <<= 1;
                    lane.depth += 1;
                    k += 1;
                    continue;
                }
                out[lane.index] = self.landing(lane);
                match take(&mut next) {
                    Some(fresh) => {
                        *lane = fresh;
                        k += 1;
                    }
                    None => {
                        lanes.swap_remove(k);
                    }
                }
            }
        }
    }

    /// The network a landing stands for, as `maxminddb` reports it: IPv4
    /// for an IPv4 address (unless the tree has no IPv4 subtree), else IPv6.
    pub(crate) fn network(&self, ip: IpAddr, landing: Landing) -> Option<IpNet> {
        match ip {
            IpAddr::V4(a) if !self.ipv6 || self.has_ipv4_subtree() => {
                Ipv4Net::new(a, landing.prefix)
                    .ok()
                    .map(|n| IpNet::V4(n.trunc()))
            }
            IpAddr::V4(_) => {
                let prefix = self.ipv4_depth.checked_add(landing.prefix)?;
                Ipv6Net::new(Ipv6Addr::UNSPECIFIED, prefix)
                    .ok()
                    .map(IpNet::V6)
            }
            IpAddr::V6(a) => Ipv6Net::new(a, landing.prefix)
                .ok()
                .map(|n| IpNet::V6(n.trunc())),
        }
    }
}

/// Four bytes from `at`, big-endian (inside the file: see [`SearchTree::new`]).
#[inline(always)]
fn word(buf: &[u8], at: usize) -> u32 {
    let mut w = [0u8; 4];
    if let Some(b) = buf.get(at..at + 4) {
        w.copy_from_slice(b);
    }
    u32::from_be_bytes(w)
}

/// 24-bit records: a node is two 3-byte pointers.
#[inline(always)]
fn read24(buf: &[u8], node: usize, bit: usize) -> usize {
    (word(buf, node * 6 + bit * 3) >> 8) as usize
}

/// 28-bit records: 3 bytes of the left pointer, a byte holding the top
/// nibble of each, 3 bytes of the right pointer.
#[inline(always)]
fn read28(buf: &[u8], node: usize, bit: usize) -> usize {
    if bit == 0 {
        let w = word(buf, node * 7);
        ((w >> 8) | ((w & 0xF0) << 20)) as usize
    } else {
        (word(buf, node * 7 + 3) & 0x0FFF_FFFF) as usize
    }
}

/// 32-bit records: two 4-byte pointers.
#[inline(always)]
fn read32(buf: &[u8], node: usize, bit: usize) -> usize {
    word(buf, node * 8 + bit * 4) as usize
}

#[cfg(test)]
#[path = "../../../tests/support/maxmind.rs"]
#[expect(dead_code, reason = "the helper serves every crate's tests")]
mod maxmind;

#[cfg(test)]
mod tests {
    use super::*;
    use mmdb_writer::{IpVersion, RecordSize, Value, Writer};
    use std::net::Ipv4Addr;

    /// xorshift64*, for reproducible addresses.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            let mut x = self.0 | 1;
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            self.0 = x;
            x.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
    }

    fn tree_of(bytes: &[u8]) -> SearchTree {
        let reader = maxminddb::Reader::from_source(bytes).expect("a valid database");
        let m = reader.metadata();
        SearchTree::new(bytes, m.node_count, m.record_size, m.ip_version).expect("fits")
    }

    /// Our walk, one by one and interleaved, against `maxminddb`'s lookup:
    /// the same record offset and the same network for every address.
    /// Returns how many addresses had data.
    fn agree(bytes: &[u8], ips: &[IpAddr]) -> usize {
        let reader = maxminddb::Reader::from_source(bytes).expect("a valid database");
        let tree = tree_of(bytes);
        let mut many = Vec::new();
        tree.locate_many(bytes, ips, &mut many);
        assert_eq!(many.len(), ips.len());
        let mut found = 0;
        for (&ip, &interleaved) in ips.iter().zip(&many) {
            let ours = tree.locate(bytes, ip);
            assert_eq!(ours, interleaved, "{ip}: interleaved walk differs");
            let Ok(theirs) = reader.lookup(ip) else {
                assert_eq!(ours, None, "{ip}: maxminddb cannot look it up");
                continue;
            };
            assert_eq!(
                ours.map(|l| l.offset),
                theirs.offset(),
                "{ip}: record offset"
            );
            if let Some(l) = ours {
                found += 1;
                let net = theirs.network().expect("network");
                let net = IpNet::new(net.network(), net.prefix()).expect("valid");
                assert_eq!(tree.network(ip, l), Some(net), "{ip}: network");
            }
        }
        found
    }

    fn probes(networks: &[IpNet], rng: &mut Rng) -> Vec<IpAddr> {
        let mut ips = Vec::new();
        for n in networks {
            ips.push(n.network());
            ips.push(n.broadcast());
            if let IpNet::V4(v4) = n {
                // the same address, IPv4-mapped
                ips.push(IpAddr::V6(v4.network().to_ipv6_mapped()));
            }
        }
        for _ in 0..2000 {
            let r = rng.next();
            ips.push(if r.is_multiple_of(3) {
                IpAddr::V6(Ipv6Addr::from(
                    (u128::from(rng.next()) << 64) | u128::from(r),
                ))
            } else {
                IpAddr::V4(Ipv4Addr::from(r as u32))
            });
        }
        ips
    }

    #[test]
    fn walks_agree_with_maxminddb_on_the_official_test_databases() {
        let dir = super::maxmind::maxmind_dir();
        let mut rng = Rng(1);
        let mut files = 0;
        for entry in std::fs::read_dir(&dir).expect("test data present") {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|e| e != "mmdb") {
                continue;
            }
            let bytes = std::fs::read(&path).expect("read");
            let reader = maxminddb::Reader::from_source(&bytes[..]).expect("valid");
            let networks: Vec<IpNet> = reader
                .networks(Default::default())
                .expect("networks")
                .map(|n| {
                    let n = n.expect("network").network().expect("network");
                    IpNet::new(n.network(), n.prefix()).expect("valid")
                })
                .collect();
            let ips = probes(&networks, &mut rng);
            let found = agree(&bytes, &ips);
            assert!(
                found >= networks.len(),
                "{}: {found} of {}",
                path.display(),
                networks.len()
            );
            files += 1;
        }
        assert_eq!(files, 7, "every official test database checked");
    }

    #[test]
    fn walks_agree_for_every_record_size_and_both_tree_families() {
        let mut rng = Rng(2);
        for version in [IpVersion::V4, IpVersion::V6] {
            for size in [RecordSize::Bits24, RecordSize::Bits28, RecordSize::Bits32] {
                let mut w = Writer::builder("Test-DB")
                    .ip_version(version)
                    .record_size(size)
                    .build();
                let mut networks = Vec::new();
                for i in 0..300u64 {
                    let r = rng.next();
                    let net = if matches!(version, IpVersion::V6) && i % 2 == 0 {
                        let a = Ipv6Addr::from(0x2001_0db8_u128 << 96 | u128::from(r));
                        IpNet::V6(
                            Ipv6Net::new(a, 32 + (r % 97) as u8)
                                .expect("prefix")
                                .trunc(),
                        )
                    } else {
                        let a = Ipv4Addr::from(0x0B00_0000 + (r as u32 % 0x3000_0000));
                        IpNet::V4(Ipv4Net::new(a, 8 + (r % 25) as u8).expect("prefix").trunc())
                    };
                    // later inserts may split earlier networks: probe them all anyway
                    w.insert_value(net, Value::map([("n", Value::U32(i as u32))]))
                        .expect("insert");
                    networks.push(net);
                }
                let bytes = w.to_bytes().expect("encode");
                let found = agree(&bytes, &probes(&networks, &mut rng));
                assert!(found >= 300, "{version:?} {size:?}: only {found} found");
            }
        }
    }

    #[test]
    fn a_tree_larger_than_its_file_is_refused() {
        let bytes = vec![0u8; 100];
        assert!(
            SearchTree::new(&bytes, 15, 24, 6).is_none(),
            "90 + 16 bytes do not fit 100"
        );
        assert!(SearchTree::new(&bytes, 14, 24, 6).is_some());
        assert!(
            SearchTree::new(&bytes, 1, 20, 6).is_none(),
            "no 20-bit records"
        );
        assert!(SearchTree::new(&bytes, u32::MAX, 32, 6).is_none());
    }
}
