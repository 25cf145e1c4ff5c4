//! The shared engine behind every `ip_*` lookup function.
//!
//! Lake columns repeat addresses heavily, so each batch is reduced to its
//! distinct answers before anything is built, and answers are kept across
//! batches. Per row the work is one hash probe of the address text and a few
//! integer gathers; parsing, resolving and string building happen once per
//! distinct address (and resolving once per address until the cache starts
//! afresh).
//!
//! Memory is bounded: each shard holds at most `cache_capacity` answers and
//! starts afresh when full. Shards (one per core) let partitions run in
//! parallel without waiting for each other.

use super::input::{NO_ROW, Value, row_ids};
use arrow::array::{ArrayRef, Int32Array, StringArray, UInt32Array};
use datafusion::common::Result;
use leadlake_ipdb::addr::{ip_from_bytes, parse_ip};
use leadlake_ipdb::{BatchResolver, FastHash, Resolution, Resolver};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};

type Fx = FastHash;

/// The string fields of an answer, as indexes into [`Answer::strs`].
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
}

const FIELDS: usize = 10;
const NONE: u32 = u32::MAX;

/// One resolved address, with its strings interned in the shard.
#[derive(Debug, Clone)]
struct Answer {
    strs: [u32; FIELDS],
    asn: Option<u32>,
}

#[derive(Default)]
struct Shard {
    by_text: HashMap<Box<str>, u32, Fx>,
    by_ip: HashMap<IpAddr, u32, Fx>,
    answers: Vec<Answer>,
    interned: HashMap<Arc<str>, u32, Fx>,
    strings: Vec<Arc<str>>,
    /// Per-batch numbering of answers and strings (valid when the stamp is
    /// the current batch's).
    answer_slot: Vec<(u32, u32)>,
    string_slot: Vec<(u32, u32)>,
    stamp: u32,
}

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

/// One batch reduced to its distinct answers.
pub(crate) struct BatchAnswers<'a> {
    shard: MutexGuard<'a, Shard>,
    /// Per row: index into `answers`, or [`NO_ROW`].
    rows: Vec<u32>,
    /// Distinct answers of the batch (ids into the shard).
    answers: Vec<u32>,
}

impl AddressTable {
    /// A table over `resolver`, sized from its configuration.
    pub fn new(resolver: Arc<Resolver>) -> Self {
        let shards = std::thread::available_parallelism().map_or(2, |n| n.get());
        let capacity = resolver.config().cache_capacity.max(1024);
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

    fn shard(&self) -> MutexGuard<'_, Shard> {
        for s in &self.shards {
            if let Ok(guard) = s.try_lock() {
                return guard;
            }
        }
        // every shard busy: wait for the first one
        self.shards[0].lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reduce an address column to distinct answers.
    pub(crate) fn answer(&self, array: &ArrayRef) -> Result<BatchAnswers<'_>> {
        let mut shard = self.shard();
        if shard.answers.len() >= self.capacity || shard.strings.len() >= self.capacity * 4 {
            *shard = Shard::default();
        }
        shard.stamp = shard.stamp.wrapping_add(1);
        if shard.stamp == 0 {
            shard.answer_slot.iter_mut().for_each(|s| *s = (0, 0));
            shard.string_slot.iter_mut().for_each(|s| *s = (0, 0));
            shard.stamp = 1;
        }
        let mut batch: Option<BatchResolver<'_>> = None;
        let mut answers = Vec::new();
        let rows = {
            let shard = &mut *shard;
            let resolver = &*self.resolver;
            let mut local = |id: u32, shard: &mut Shard| -> u32 {
                if id == NONE {
                    return NO_ROW;
                }
                let slot = &mut shard.answer_slot[id as usize];
                if slot.0 != shard.stamp {
                    *slot = (shard.stamp, answers.len() as u32);
                    answers.push(id);
                }
                slot.1
            };
            let mut lookup = |v: Value<'_>| -> u32 {
                let id = match v {
                    Value::Text(s) => match shard.by_text.get(s) {
                        Some(&id) => id,
                        None => {
                            let id = match parse_ip(s) {
                                Some(ip) => shard.id_for_ip(ip, resolver, &mut batch),
                                None => NONE,
                            };
                            shard.by_text.insert(Box::from(s), id);
                            id
                        }
                    },
                    Value::Bytes(b) => match ip_from_bytes(b) {
                        Some(ip) => shard.id_for_ip(ip, resolver, &mut batch),
                        None => NONE,
                    },
                };
                local(id, shard)
            };
            row_ids(array, &mut lookup)?
        };
        drop(batch);
        Ok(BatchAnswers {
            shard,
            rows,
            answers,
        })
    }
}

impl Shard {
    fn id_for_ip<'r>(
        &mut self,
        ip: IpAddr,
        resolver: &'r Resolver,
        batch: &mut Option<BatchResolver<'r>>,
    ) -> u32 {
        if let Some(&id) = self.by_ip.get(&ip) {
            return id;
        }
        let answer = batch.get_or_insert_with(|| resolver.batch()).resolve(ip);
        let id = self.answers.len() as u32;
        let encoded = self.encode(&answer);
        self.answers.push(encoded);
        self.answer_slot.push((0, 0));
        self.by_ip.insert(ip, id);
        id
    }

    fn intern(&mut self, s: Option<&Arc<str>>) -> u32 {
        let Some(s) = s else { return NONE };
        if let Some(&id) = self.interned.get(s) {
            return id;
        }
        let id = self.strings.len() as u32;
        self.strings.push(Arc::clone(s));
        self.string_slot.push((0, 0));
        self.interned.insert(Arc::clone(s), id);
        id
    }

    fn intern_str(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.interned.get(s) {
            return id;
        }
        self.intern(Some(&Arc::from(s)))
    }

    fn encode(&mut self, r: &Resolution) -> Answer {
        let mut strs = [NONE; FIELDS];
        strs[Field::Company as usize] = self.intern(r.company.as_ref());
        strs[Field::CompanyKey as usize] = self.intern(r.company_key.as_ref());
        strs[Field::Domain as usize] = self.intern(r.domain.as_ref());
        strs[Field::AsnOrg as usize] = self.intern(r.asn_org.as_ref());
        strs[Field::Network as usize] = match &r.network {
            Some(n) => self.intern_str(&n.to_string()),
            None => NONE,
        };
        strs[Field::NetworkType as usize] = self.intern_str(r.network_type.as_str());
        strs[Field::SourceCompany as usize] = self.intern(r.sources.company.as_ref());
        strs[Field::SourceDomain as usize] = self.intern(r.sources.domain.as_ref());
        strs[Field::SourceAsn as usize] = self.intern(r.sources.asn.as_ref());
        strs[Field::SourceNetworkType as usize] = self.intern(r.sources.network_type.as_ref());
        Answer { strs, asn: r.asn }
    }
}

impl BatchAnswers<'_> {
    /// Per row, the index of its distinct answer (NULL for no address).
    pub(crate) fn row_keys(&self) -> Int32Array {
        self.rows
            .iter()
            .map(|&r| (r != NO_ROW).then_some(r as i32))
            .collect()
    }

    /// The strings used by this batch's answers, and per distinct answer
    /// the key of each field into them.
    pub(crate) fn strings(&mut self, fields: &[Field]) -> (ArrayRef, Vec<Int32Array>) {
        let shard = &mut *self.shard;
        let stamp = shard.stamp;
        let mut used: Vec<u32> = Vec::new();
        let mut keys: Vec<Vec<Option<i32>>> =
            vec![Vec::with_capacity(self.answers.len()); fields.len()];
        for &a in &self.answers {
            let answer = &shard.answers[a as usize];
            for (f, k) in fields.iter().zip(keys.iter_mut()) {
                let id = answer.strs[*f as usize];
                if id == NONE {
                    k.push(None);
                    continue;
                }
                let slot = &mut shard.string_slot[id as usize];
                if slot.0 != stamp {
                    *slot = (stamp, used.len() as u32);
                    used.push(id);
                }
                k.push(Some(slot.1 as i32));
            }
        }
        let values: StringArray = used
            .iter()
            .map(|&id| Some(&*shard.strings[id as usize]))
            .collect();
        (
            Arc::new(values),
            keys.into_iter().map(Int32Array::from).collect(),
        )
    }

    /// Per distinct answer, its AS number.
    pub(crate) fn asns(&self) -> UInt32Array {
        self.answers
            .iter()
            .map(|&a| self.shard.answers[a as usize].asn)
            .collect()
    }
}
