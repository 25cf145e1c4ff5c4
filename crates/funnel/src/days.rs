//! Sets of UTC days counted back from the evaluation day: index 0 is the
//! last full or partial day before `as_of`, index 1 the day before, ...

pub const DAY_US: i64 = 86_400_000_000;

/// The UTC day number (days since 1970-01-01) of a timestamp in µs.
#[inline]
pub fn day_of(ts: i64) -> i64 {
    ts.div_euclid(DAY_US)
}

/// Words kept inline: 384 days, a year of history without allocating.
const INLINE: usize = 6;

/// A growable bit set of day indexes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DaySet {
    inline: [u64; INLINE],
    more: Vec<u64>,
}

impl DaySet {
    #[inline]
    fn word_mut(&mut self, w: usize) -> &mut u64 {
        if w < INLINE {
            return &mut self.inline[w];
        }
        let m = w - INLINE;
        if m >= self.more.len() {
            self.more.resize(m + 1, 0);
        }
        &mut self.more[m]
    }

    #[inline]
    fn word(&self, w: usize) -> u64 {
        if w < INLINE {
            self.inline[w]
        } else {
            self.more.get(w - INLINE).copied().unwrap_or(0)
        }
    }

    #[inline]
    pub fn insert(&mut self, index: u32) {
        *self.word_mut((index / 64) as usize) |= 1 << (index % 64);
    }

    /// Days in the set.
    pub fn len(&self) -> u32 {
        self.words().map(|w| w.count_ones()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.words().all(|w| w == 0)
    }

    /// Days in the set with index in `lo..hi`.
    pub fn count_in(&self, lo: u32, hi: u32) -> u32 {
        if lo >= hi {
            return 0;
        }
        let (first, last) = (lo / 64, (hi - 1) / 64);
        (first..=last)
            .map(|w| {
                let mut bits = self.word(w as usize);
                if w == first {
                    bits &= u64::MAX << (lo % 64);
                }
                if w == last {
                    bits &= u64::MAX >> (63 - (hi - 1) % 64);
                }
                bits.count_ones()
            })
            .sum()
    }

    #[inline]
    pub fn contains(&self, index: u32) -> bool {
        self.word((index / 64) as usize) & (1 << (index % 64)) != 0
    }

    /// Indexes in the set, ascending.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.words().enumerate().flat_map(|(i, mut w)| {
            std::iter::from_fn(move || {
                (w != 0).then(|| {
                    let b = w.trailing_zeros();
                    w &= w - 1;
                    i as u32 * 64 + b
                })
            })
        })
    }

    /// The words, lowest days first (trailing zero words may follow).
    fn words(&self) -> impl Iterator<Item = u64> + '_ {
        self.inline.iter().chain(&self.more).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_operations() {
        let mut a = DaySet::default();
        for i in [0, 3, 63, 64, 200] {
            a.insert(i);
        }
        a.insert(3);
        a.insert(500);
        assert_eq!(a.len(), 6);
        assert_eq!(a.count_in(0, 64), 3);
        // every range against a day-by-day count
        for lo in [0, 1, 3, 63, 64, 65, 199, 200] {
            for hi in [0, 3, 4, 63, 64, 65, 128, 201, 500, 501, 1000] {
                let slow = (lo..hi).filter(|&i| a.contains(i)).count() as u32;
                assert_eq!(a.count_in(lo, hi), slow, "{lo}..{hi}");
            }
        }
        assert_eq!(a.iter().collect::<Vec<_>>(), [0, 3, 63, 64, 200, 500]);
        assert!(a.contains(500) && !a.contains(501) && !a.contains(100_000));
        assert_eq!(day_of(-1), -1);
        assert_eq!(day_of(DAY_US), 1);
    }
}
