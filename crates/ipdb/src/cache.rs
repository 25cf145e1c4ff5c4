//! A bounded map that keeps recently used entries: two generations, the
//! newer filled until it holds half the capacity, then it becomes the older
//! one and the oldest is dropped. Hits in the older generation move forward.
//! Every operation is O(1) and memory never exceeds the capacity.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};

#[derive(Debug)]
pub struct TwoGenCache<K, V, S> {
    young: HashMap<K, V, S>,
    old: HashMap<K, V, S>,
    half: usize,
}

impl<K: Hash + Eq, V: Clone, S: BuildHasher + Default> TwoGenCache<K, V, S> {
    /// A cache holding at most `capacity` entries (at least 2).
    pub fn new(capacity: usize) -> Self {
        Self {
            // a first few thousand entries without rehashing; more grow
            young: HashMap::with_capacity_and_hasher((capacity / 2).clamp(1, 4096), S::default()),
            old: HashMap::default(),
            half: (capacity / 2).max(1),
        }
    }

    /// The cached value, if any.
    pub fn get(&mut self, key: &K) -> Option<V>
    where
        K: Clone,
    {
        if let Some(v) = self.young.get(key) {
            return Some(v.clone());
        }
        let v = self.old.remove(key)?;
        self.insert(key.clone(), v.clone());
        Some(v)
    }

    /// Is `key` kept? A hit in the older generation moves forward, as with
    /// [`Self::get`], but nothing is cloned.
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

    /// Number of entries held.
    pub fn len(&self) -> usize {
        self.young.len() + self.old.len()
    }

    /// True when nothing is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
            assert!(c.len() <= 10);
            // key 0 is used constantly, so it survives every rotation
            if i > 0 {
                assert_eq!(c.get(&0), Some(0), "lost the hot key at {i}");
            }
        }
        assert_eq!(c.get(&999), Some(1998));
        assert_eq!(c.get(&5), None);
    }
}
