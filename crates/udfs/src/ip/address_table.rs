//! The shared engine behind every `ip_*` lookup function.
//!
//! Lake columns repeat addresses heavily, so answers are kept across
//! batches: per row the work is reading the address as a key, one probe of
//! an integer-keyed table, and copying one small id per field. Resolving
//! and string building happen once per distinct address (until the cache
//! starts afresh).
//!
//! Each distinct string is kept once, as a string view (strings of up to 12
//! bytes sit in the view itself, longer ones in buffers the shard keeps).
//! Each field keeps the table of its distinct values, and a text column is
//! a dictionary: per row the value's id in that table, and the table itself
//! as the dictionary's values, built once and shared by every batch until
//! the field gains a value. Buffers are immutable once written; new strings
//! go to a fresh buffer, and the buffers are merged into one when too many
//! have accumulated.
//!
//! Memory is bounded: each shard holds at most `cache_capacity` answers and
//! starts afresh when full. Shards (one per core) let partitions run in
//! parallel without waiting for each other.
//!
//! The parts: `key` (row keys), `shard` (the answers a shard knows, and
//! resolving the rest), `texts` (the string store), `columns` (Arrow
//! columns of a batch's answers) and `network` (networks as text).

mod columns;
mod key;
mod network;
mod shard;
#[cfg(test)]
mod testing;
mod texts;

pub(crate) use columns::BatchAnswers;

use super::input::{NO_ROW, Value, row_ids};
use arrow::array::ArrayRef;
use datafusion::common::Result;
use key::{IPV4_TAG, IPV6_TAG, split, text_key};
use leadlake_ipdb::{FastHash, Resolver};
use shard::Shard;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};

type Fx = FastHash;

thread_local! {
    /// The shard this thread took last (of whichever table).
    static LAST_SHARD: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The string fields of an answer, as indexes into [`shard::Record::ids`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(usize)]
pub(crate) enum Field {
    Company,
    CompanyKey,
    Domain,
    AsnOrg,
    Network,
    NetworkType,
    SourceCompany,
    SourceDomain,
    SourceAsn,
    SourceNetworkType,
    SourceWhy,
}

const FIELDS: usize = 11;
/// String id 0 is "no string": the field is NULL.
const NONE: u32 = 0;
/// Answer id 0 is "no answer": the row holds no address.
const NO_ANSWER: u32 = 0;

/// Shared, bounded address cache over a [`Resolver`].
pub struct AddressTable {
    resolver: Arc<Resolver>,
    shards: Vec<Mutex<Shard>>,
    capacity: usize,
}

impl std::fmt::Debug for AddressTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AddressTable")
            .field("config", self.resolver.config())
            .field("shards", &self.shards.len())
            .finish_non_exhaustive()
    }
}

impl AddressTable {
    /// A table over `resolver`, sized from its configuration.
    pub fn new(resolver: Arc<Resolver>) -> Self {
        let shards = std::thread::available_parallelism().map_or(2, |n| n.get());
        // at most 2^28 answers, so every id (a few per answer) fits an i32 key
        let capacity = resolver.config().cache_capacity.clamp(
            *leadlake_ipdb::CACHE_CAPACITY_RANGE.start(),
            *leadlake_ipdb::CACHE_CAPACITY_RANGE.end(),
        );
        Self {
            resolver,
            shards: (0..shards).map(|_| Mutex::default()).collect(),
            capacity,
        }
    }

    /// The resolver answering misses.
    pub fn resolver(&self) -> &Arc<Resolver> {
        &self.resolver
    }

    /// A free shard, the one this thread used last if it is free: a
    /// partition reading on one thread then finds the addresses its filter
    /// resolved when its projection asks again, rather than resolving them
    /// in the other shard too.
    fn shard(&self) -> MutexGuard<'_, Shard> {
        let n = self.shards.len();
        let last = LAST_SHARD.get();
        let start = if last < n { last } else { 0 };
        for k in 0..n {
            let i = (start + k) % n;
            if let Ok(guard) = self.shards[i].try_lock() {
                LAST_SHARD.set(i);
                return guard;
            }
        }
        // every shard busy: wait for this thread's
        self.shards[start].lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Answer every row of an address column.
    pub(crate) fn answer(&self, array: &ArrayRef) -> Result<BatchAnswers<'_>> {
        let mut shard = self.shard();
        if shard.of_answer.len() > self.capacity || shard.texts.views.len() > self.capacity * 4 {
            *shard = Shard::default();
        }
        // First turn every row into a key (no table touched), then look the
        // keys up in a tight loop, so lookups overlap.
        let mut keys: Vec<u128> = Vec::with_capacity(array.len());
        let mut v6: Vec<u128> = Vec::new();
        let slots = row_ids(array, &mut |v: Value<'_>| {
            let key = match &v {
                Value::Text(t) if let Some(k) = text_key(t.as_bytes()) => k,
                _ => match v.ip() {
                    Some(IpAddr::V4(a)) => IPV4_TAG | u128::from(u32::from(a)),
                    Some(IpAddr::V6(a)) => {
                        v6.push(u128::from(a));
                        IPV6_TAG | (v6.len() - 1) as u128
                    }
                    None => return NO_ROW,
                },
            };
            keys.push(key);
            (keys.len() - 1) as u32
        })?;
        let mut missing: Vec<usize> = Vec::new();
        let mut ids: Vec<u32> = keys
            .iter()
            .enumerate()
            .map(|(j, &k)| match shard.known.get(&split(k)) {
                Some(&id) => id,
                None => {
                    missing.push(j);
                    NO_ANSWER
                }
            })
            .collect();
        if !missing.is_empty() {
            shard.resolve_misses(&keys, &v6, &missing, &mut ids, &self.resolver);
        }
        let rows: Vec<u32> = slots
            .iter()
            .map(|&s| ids.get(s as usize).copied().unwrap_or(NO_ANSWER))
            .collect();
        if let Some(moved) = shard.texts.freeze() {
            for f in &mut shard.fields {
                f.views.iter_mut().for_each(|v| *v = moved(*v));
                // rebuilt from the moved views when next asked for
                f.values = None;
            }
        }
        // one random read per row; columns are then filled sequentially
        let records = rows
            .iter()
            .map(|&r: &u32| shard.of_answer[r as usize])
            .collect();
        Ok(BatchAnswers {
            shard,
            rows,
            records,
        })
    }
}
