//! A map from u64 keys that stays a short vector (no hashing, one
//! allocation) while small, the common case for a company's sources.

use foldhash::HashMap;

const INLINE: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmallMap<V> {
    Few(Vec<(u64, V)>),
    Many(HashMap<u64, V>),
}

impl<V> Default for SmallMap<V> {
    fn default() -> Self {
        SmallMap::Few(Vec::new())
    }
}

impl<V: Copy> SmallMap<V> {
    /// The value for `key`, inserted as `value` when absent.
    #[inline]
    pub fn get_or_insert(&mut self, key: u64, value: V) -> &mut V {
        if let SmallMap::Few(v) = self
            && v.len() >= INLINE
            && !v.iter().any(|(k, _)| *k == key)
        {
            let map: HashMap<u64, V> = std::mem::take(v).into_iter().collect();
            *self = SmallMap::Many(map);
        }
        match self {
            SmallMap::Few(v) => {
                let i = match v.iter().position(|(k, _)| *k == key) {
                    Some(i) => i,
                    None => {
                        v.push((key, value));
                        v.len() - 1
                    }
                };
                &mut v[i].1
            }
            SmallMap::Many(m) => m.entry(key).or_insert(value),
        }
    }

    /// Empty the map, keeping its allocation.
    pub fn clear(&mut self) {
        match self {
            SmallMap::Few(v) => v.clear(),
            SmallMap::Many(m) => m.clear(),
        }
    }

    /// Whether `key` is in the map.
    pub fn contains(&self, key: u64) -> bool {
        match self {
            SmallMap::Few(v) => v.iter().any(|(k, _)| *k == key),
            SmallMap::Many(m) => m.contains_key(&key),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            SmallMap::Few(v) => v.len(),
            SmallMap::Many(m) => m.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn iter(&self) -> Box<dyn Iterator<Item = (u64, V)> + '_> {
        match self {
            SmallMap::Few(v) => Box::new(v.iter().copied()),
            SmallMap::Many(m) => Box::new(m.iter().map(|(k, v)| (*k, *v))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_into_a_hash_map() {
        let mut m = SmallMap::default();
        for i in 0..40u64 {
            *m.get_or_insert(i % 20, 0u32) += 1;
        }
        assert_eq!(m.len(), 20);
        assert!(matches!(m, SmallMap::Many(_)));
        assert!(m.iter().all(|(_, n)| n == 2));
    }
}
