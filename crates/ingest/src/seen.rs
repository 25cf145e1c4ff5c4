//! The Scarf ids seen in a run, for deduplication by `id` (the first wins).
//!
//! An id is kept as a 128-bit hash (two seeded foldhash hashes: collisions
//! out of reach) in an open-addressing table of its own rather than a
//! `HashSet<u128>`. The set outgrows the caches (16 MB of keys for a
//! million ids), so what costs is memory traffic, and the table is laid out
//! for it (measured on the `ingest` bench, BENCHMARKS.md: a `HashSet` took
//! about a quarter of a Scarf CSV ingest):
//!
//! - one array of keys, no separate control bytes, probed a cache line (4
//!   keys) at a time: a lookup and the insert after it nearly always touch
//!   one line, which [`SeenIds::warm`] loads ahead for a batch of records,
//!   so the misses of a batch overlap;
//! - at most three quarters full (21 to 43 bytes per id);
//! - a key's home line is its top bits, so the keys lie in ascending order
//!   (but for a probe run wrapping past the end), and doubling the table
//!   moves them in one forward sweep instead of scattering them.

use std::hash::BuildHasher;

/// Keys in one cache line: the table probes line by line.
const PER_LINE: usize = 4;

/// One cache line of keys; 0 marks an empty slot (the key 0 itself is
/// [`SeenIds::zero`]).
#[derive(Clone, Copy, Default)]
#[repr(align(64))]
struct Line([u128; PER_LINE]);

/// Lines of the first table (64 KiB; 4 in tests, which then grow it often).
const MIN_LINES: usize = if cfg!(test) { 4 } else { 1 << 10 };

/// A set of ids, kept as 128-bit hashes.
pub(crate) struct SeenIds {
    lines: Vec<Line>,
    /// Keys held in `lines`.
    len: usize,
    /// 128 − log2(lines): a key's home line is `key >> shift`.
    shift: u32,
    zero: bool,
}

impl Default for SeenIds {
    fn default() -> Self {
        SeenIds {
            lines: vec![Line::default(); MIN_LINES],
            len: 0,
            shift: 128 - MIN_LINES.trailing_zeros(),
            zero: false,
        }
    }
}

impl SeenIds {
    /// The key of an id.
    pub(crate) fn key(id: &[u8]) -> u128 {
        let a = foldhash::fast::FixedState::with_seed(0x6c65_6164).hash_one(id);
        let b = foldhash::fast::FixedState::with_seed(0x6c61_6b65).hash_one(id);
        u128::from(a) << 64 | u128::from(b)
    }

    fn home(&self, key: u128) -> usize {
        // `shift` is more than 64: the home is below `lines.len()`
        usize::try_from(key >> self.shift).unwrap_or_default()
    }

    /// True the first time a key is seen.
    pub(crate) fn first(&mut self, key: u128) -> bool {
        if key == 0 {
            return !std::mem::replace(&mut self.zero, true);
        }
        if (self.len + 1) * 4 > self.lines.len() * PER_LINE * 3 {
            self.grow();
        }
        let mask = self.lines.len() - 1;
        let mut i = self.home(key);
        loop {
            for slot in &mut self.lines[i].0 {
                if *slot == 0 {
                    *slot = key;
                    self.len += 1;
                    return true;
                }
                if *slot == key {
                    return false;
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// Load the home lines of a batch of keys ahead of [`SeenIds::first`]:
    /// the set outgrows the caches, and the loads of a batch in a tight
    /// loop wait for memory together, where one record at a time every
    /// record waits in turn.
    pub(crate) fn warm(&self, keys: &[u128]) {
        let mut any = 0;
        for &key in keys {
            any |= self.lines[self.home(key)].0[0];
        }
        std::hint::black_box(any);
    }

    /// Double the table, moving the keys in one forward sweep.
    fn grow(&mut self) {
        let doubled = vec![Line::default(); self.lines.len() * 2];
        let old = std::mem::replace(&mut self.lines, doubled);
        self.shift -= 1;
        let len = std::mem::take(&mut self.len);
        for key in old.iter().flat_map(|l| l.0).filter(|&k| k != 0) {
            self.first(key);
        }
        debug_assert_eq!(self.len, len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn first_sight_only_and_growth() {
        let mut seen = SeenIds::default();
        let n = 5000;
        let key = |i: usize| SeenIds::key(format!("ev-{i}").as_bytes());
        for i in 0..n {
            assert!(seen.first(key(i)), "{i}");
        }
        assert!(seen.lines.len() * PER_LINE >= n * 4 / 3);
        for i in (0..n).rev() {
            assert!(!seen.first(key(i)), "{i}");
        }
        assert_eq!(seen.len, n);
    }

    #[test]
    fn the_key_zero_and_probe_runs_past_the_end() {
        let mut seen = SeenIds::default();
        // keys whose home is the last line: the fifth wraps to line 0
        let keys = [
            u128::MAX,
            u128::MAX - 1,
            u128::MAX - 2,
            u128::MAX - 3,
            u128::MAX - 4,
            0,
        ];
        for key in keys {
            assert!(seen.first(key));
            assert!(!seen.first(key));
        }
        assert!(seen.zero);
        assert_eq!(seen.lines[0].0[0], u128::MAX - 4);
        seen.grow();
        for key in keys {
            assert!(!seen.first(key));
        }
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_a_hash_set(ids in proptest::collection::vec("[a-c]{0,3}|ev-[0-9]{1,3}", 0..600)) {
            let mut seen = SeenIds::default();
            let mut set = HashSet::new();
            for id in &ids {
                let key = SeenIds::key(id.as_bytes());
                seen.warm(&[key]);
                proptest::prop_assert_eq!(seen.first(key), set.insert(id.clone()));
            }
        }
    }
}
