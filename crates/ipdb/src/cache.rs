//! A bounded map that keeps recently used entries: two generations, the
//! newer filled until it holds half the capacity, then it becomes the older
//! one and the oldest is dropped. Hits in the older generation move forward.
//! Every operation is O(1) and memory never exceeds the capacity.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};

#[derive(Debug)]
pub(crate) struct TwoGenCache<K, V, S> {
    young: HashMap<K, V, S>,
    old: HashMap<K, V, S>,
    half: usize,
}

impl<K: Hash + Eq, V, S: BuildHasher + Default> TwoGenCache<K, V, S> {
    /// A cache holding at most `capacity` entries (at least 2).
    pub fn new(capacity: usize) -> Self {
        Self {
            // a first few thousand entries without rehashing; more grow
            young: HashMap::with_capacity_and_hasher((capacity / 2).clamp(1, 4096), S::default()),
            old: HashMap::default(),
            half: (capacity / 2).max(1),
        }
    }

    /// Is `key` kept? A hit in the older generation moves forward.
    pub fn touch(&mut self, key: &K) -> bool
    where
        K: Clone,
    {
        if self.young.contains_key(key) {
            return true;
        }
        match self.old.remove(key) {
            Some(v) => {
                self.insert(key.clone(), v);
                true
            }
            None => false,
        }
    }

    /// The value for `key`, without moving it between generations.
    pub fn peek(&self, key: &K) -> Option<&V> {
        self.young.get(key).or_else(|| self.old.get(key))
    }

    /// Remember a value.
    pub fn insert(&mut self, key: K, value: V) {
        if self.young.len() >= self.half {
            // the oldest entries go; their table, already grown to size,
            // becomes the new younger generation (no regrowth from empty)
            std::mem::swap(&mut self.young, &mut self.old);
            self.young.clear();
        }
        self.young.insert(key, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::RandomState;

    #[test]
    fn stays_bounded_and_keeps_hot_entries() {
        let mut c: TwoGenCache<u32, u32, RandomState> = TwoGenCache::new(10);
        for i in 0..1000 {
            c.insert(i, i * 2);
            assert!(c.young.len() + c.old.len() <= 10);
            // key 0 is used constantly, so it survives every rotation
            if i > 0 {
                assert!(c.touch(&0), "lost the hot key at {i}");
                assert_eq!(c.peek(&0), Some(&0), "lost the hot key at {i}");
            }
        }
        assert_eq!(c.peek(&999), Some(&1998));
        assert!(!c.touch(&5));
        assert_eq!(c.peek(&5), None);
    }
}
