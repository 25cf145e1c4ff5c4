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

use super::input::{NO_ROW, Value, row_ids};
use arrow::array::builder::make_view;

use arrow::array::{ArrayRef, ByteView, DictionaryArray, Int32Array, StringArray, UInt32Array};
use arrow::buffer::{Buffer, NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow::datatypes::Int32Type;
use datafusion::common::Result;
use ipnet::IpNet;
use leadlake_ipdb::addr::parse_ip;
use leadlake_ipdb::{FastHash, Origin, ResolutionRef, Resolver};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};

type Fx = FastHash;

/// The string fields of an answer, as indexes into [`Record::ids`].
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
/// String id 0 is "no string": the field is NULL.
const NONE: u32 = 0;
/// Answer id 0 is "no answer": the row holds no address.
const NO_ANSWER: u32 = 0;
/// A field table of up to 4 × max(batch rows, this) values is rebuilt
/// whenever it gains values (small in tests, to reach the other path).
const REBUILD_FLOOR: usize = if cfg!(test) { 4 } else { 1024 };
/// Merge the string buffers into one when there are more than this many.
const MAX_BUFFERS: usize = 32;
/// A view marking a NULL slot while a column is filled (no real view
/// has this length).
const NULL_VIEW: u128 = u32::MAX as u128;
/// Rows are looked up by `u128` keys. A text of 1 to 15 bytes is its own
/// key (its bytes, with the length in the top byte), so repeated texts are
/// found without parsing; other keys carry a tag in the top byte instead.
const IPV4_TAG: u128 = 0x80 << 120;
/// An IPv6 address, by index into the batch's list of them (only in the
/// per-batch key list; IPv6 answers are kept in their own table).
const IPV6_TAG: u128 = 0xC0 << 120;

/// The key of a text of 1 to 15 bytes.
#[inline]
fn text_key(b: &[u8]) -> Option<u128> {
    let len = b.len();
    let (lo, hi) = if (8..=15).contains(&len) {
        // two overlapping loads; drop the overlap from the second
        let lo = u64::from_le_bytes(b[..8].try_into().ok()?);
        let tail = u64::from_le_bytes(b[len - 8..].try_into().ok()?);
        (lo, tail.checked_shr(8 * (16 - len) as u32).unwrap_or(0))
    } else if (1..8).contains(&len) {
        let mut buf = [0u8; 8];
        buf[..len].copy_from_slice(b);
        (u64::from_le_bytes(buf), 0)
    } else {
        return None;
    };
    Some(u128::from(lo) | u128::from(hi) << 64 | (len as u128) << 120)
}

/// A key as two halves.
#[inline]
fn split(key: u128) -> (u64, u64) {
    (key as u64, (key >> 64) as u64)
}

/// The text a [`text_key`] was made from, as bytes.
fn key_text(key: u128) -> ([u8; 16], usize) {
    let len = (key >> 120) as usize;
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&(key as u64).to_le_bytes());
    bytes[8..].copy_from_slice(&((key >> 64) as u64).to_le_bytes());
    (bytes, len.min(15))
}

/// Interned strings, each with the view that points at its bytes.
#[derive(Default)]
struct Texts {
    ids: HashMap<Box<str>, u32, Fx>,
    /// Per string id, its view (id 0 is NULL).
    views: Vec<u128>,
    /// Buffers already handed out (never changed again).
    buffers: Vec<Buffer>,
    /// Bytes of strings added since the last [`Texts::freeze`]; they become
    /// buffer number `buffers.len()`.
    pending: Vec<u8>,
}

impl Texts {
    fn new() -> Self {
        // string 0 stands for NULL
        Self {
            views: vec![NULL_VIEW],
            ..Self::default()
        }
    }

    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.push(s);
        self.ids.insert(Box::from(s), id);
        id
    }

    /// Keep a string the caller knows to be new to it, without entering it
    /// in the table of strings [`Texts::intern`] finds.
    fn push(&mut self, s: &str) -> u32 {
        let id = self.views.len() as u32;
        let view = if s.len() <= 12 {
            make_view(s.as_bytes(), 0, 0)
        } else {
            let offset = self.pending.len() as u32;
            self.pending.extend_from_slice(s.as_bytes());
            make_view(s.as_bytes(), self.buffers.len() as u32, offset)
        };
        self.views.push(view);
        id
    }

    fn intern_opt(&mut self, s: Option<&str>) -> u32 {
        s.map_or(NONE, |s| self.intern(s))
    }

    /// Hand out the pending bytes as a buffer. When there are many
    /// buffers, they are first concatenated into one, and the returned
    /// function moves any view into it (the caller applies it to the views
    /// it keeps elsewhere).
    fn freeze(&mut self) -> Option<impl Fn(u128) -> u128 + use<>> {
        if self.pending.is_empty() {
            return None;
        }
        let pending = Buffer::from_vec(std::mem::take(&mut self.pending));
        self.buffers.push(pending);
        if self.buffers.len() <= MAX_BUFFERS {
            return None;
        }
        let mut starts = Vec::with_capacity(self.buffers.len());
        let mut bytes = Vec::with_capacity(self.buffers.iter().map(Buffer::len).sum());
        for b in &self.buffers {
            starts.push(bytes.len() as u32);
            bytes.extend_from_slice(b.as_slice());
        }
        self.buffers = vec![Buffer::from_vec(bytes)];
        let moved = move |view: u128| -> u128 {
            let len = view as u32;
            if len <= 12 || view == NULL_VIEW {
                return view;
            }
            let mut v = ByteView::from(view);
            v.offset += starts[v.buffer_index as usize];
            v.buffer_index = 0;
            v.as_u128()
        };
        self.views.iter_mut().for_each(|v| *v = moved(*v));
        Some(moved)
    }
}

/// One field of every answer: per answer a small id, and per id the view
/// of the value. Few fields have many distinct values, so the second table
/// is usually tiny and filling a column reads little memory.
struct FieldColumn {
    /// Global string id (of [`Texts`]) to this field's id.
    ids: HashMap<u32, u32, Fx>,
    /// Per field id, its view (id 0 is NULL).
    views: Vec<u128>,
    /// The values as a string array (the dictionary of this field's
    /// columns), while it still has every value.
    values: Option<ArrayRef>,
    /// The table's length when the previous batch's column was made.
    seen: usize,
}

impl Default for FieldColumn {
    fn default() -> Self {
        Self {
            ids: HashMap::default(),
            views: vec![NULL_VIEW],
            values: None,
            seen: 0,
        }
    }
}

impl FieldColumn {
    fn id(&mut self, string: u32, texts: &Texts) -> u32 {
        if string == NONE {
            0
        } else {
            let next = self.views.len() as u32;
            let id = *self.ids.entry(string).or_insert(next);
            if id == next {
                self.views.push(texts.views[string as usize]);
            }
            id
        }
    }
}

/// A borrowed answer text as `&str`.
fn text(s: Option<&Arc<str>>) -> Option<&str> {
    s.map(|s| &**s)
}

/// One answer: the id of each text field's value, and the AS number.
#[derive(Debug, Clone, Copy, Default)]
struct Record {
    ids: [u32; FIELDS],
    asn: Option<u32>,
}

/// The answers of one shard, field by field (answer 0 is "no answer").
struct Shard {
    /// Answer ids by short text (the key split in two halves, which keeps
    /// entries small).
    known: HashMap<(u64, u64), u32, Fx>,
    /// Answer ids by address.
    v4: HashMap<u32, u32, Fx>,
    v6: HashMap<u128, u32, Fx>,
    fields: [FieldColumn; FIELDS],
    /// Per answer, the id of each field (one cache line per answer).
    of_answer: Vec<Record>,
    texts: Texts,
    /// The field ids of answers by what they were made of: every field but
    /// the network is the same for all addresses of one origin.
    by_origin: HashMap<Box<Origin>, [u32; FIELDS], Fx>,
    /// The network field's id of each network (networks are many, so they
    /// are found by value rather than as text).
    networks: HashMap<IpNet, u32, Fx>,
    /// The network being added, as text.
    network: String,
}

impl Default for Shard {
    fn default() -> Self {
        Self {
            known: HashMap::default(),
            v4: HashMap::default(),
            v6: HashMap::default(),
            fields: std::array::from_fn(|_| FieldColumn::default()),
            of_answer: vec![Record::default()],
            texts: Texts::new(),
            by_origin: HashMap::default(),
            networks: HashMap::default(),
            network: String::new(),
        }
    }
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

/// One batch's answers: per row an answer of the shard (or none).
pub(crate) struct BatchAnswers<'a> {
    shard: MutexGuard<'a, Shard>,
    rows: Vec<u32>,
    /// Per row, its answer's record.
    records: Vec<Record>,
}

impl AddressTable {
    /// A table over `resolver`, sized from its configuration.
    pub fn new(resolver: Arc<Resolver>) -> Self {
        let shards = std::thread::available_parallelism().map_or(2, |n| n.get());
        // at most 2^28 answers, so every id (a few per answer) fits an i32 key
        let capacity = resolver.config().cache_capacity.clamp(1024, 1 << 28);
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

/// Write a network as text (`1.2.3.0/24`), IPv4 without the formatting
/// machinery.
fn write_network(out: &mut String, net: IpNet) {
    match net {
        IpNet::V4(n) => {
            for (i, octet) in n.addr().octets().into_iter().enumerate() {
                if i > 0 {
                    out.push('.');
                }
                push_decimal(out, octet);
            }
            out.push('/');
            push_decimal(out, n.prefix_len());
        }
        IpNet::V6(n) => {
            use std::fmt::Write;
            let _ = write!(out, "{n}");
        }
    }
}

fn push_decimal(out: &mut String, v: u8) {
    if v >= 100 {
        out.push(char::from(b'0' + v / 100));
    }
    if v >= 10 {
        out.push(char::from(b'0' + v / 10 % 10));
    }
    out.push(char::from(b'0' + v % 10));
}

/// The address a row key stands for (`None`: a text that is no address).
fn key_ip(key: u128, v6: &[u128]) -> Option<IpAddr> {
    if key & IPV6_TAG == IPV6_TAG {
        Some(IpAddr::from(v6[(key as u64) as usize].to_be_bytes()))
    } else if key & IPV4_TAG == IPV4_TAG {
        Some(IpAddr::from((key as u32).to_be_bytes()))
    } else {
        let (bytes, len) = key_text(key);
        std::str::from_utf8(&bytes[..len]).ok().and_then(parse_ip)
    }
}

impl Shard {
    /// Answer the keys the table does not know (`missing`: their positions
    /// in `keys`, whose `ids` are filled in). A key for an address known
    /// under another spelling reuses its answer; the new addresses are
    /// resolved together, their database walks interleaved.
    #[cold]
    fn resolve_misses(
        &mut self,
        keys: &[u128],
        v6: &[u128],
        missing: &[usize],
        ids: &mut [u32],
        resolver: &Resolver,
    ) {
        let mut unseen: Vec<IpAddr> = Vec::new();
        let mut position: HashMap<IpAddr, usize, Fx> = HashMap::default();
        // (row key position, index into `unseen`)
        let mut waiting: Vec<(usize, usize)> = Vec::new();
        for &j in missing {
            let key = keys[j];
            let id = match key_ip(key, v6) {
                None => NO_ANSWER,
                Some(ip) => match self.by_address(ip) {
                    Some(id) => id,
                    None => {
                        let next = unseen.len();
                        let u = *position.entry(ip).or_insert_with(|| {
                            unseen.push(ip);
                            next
                        });
                        waiting.push((j, u));
                        continue;
                    }
                },
            };
            ids[j] = id;
            self.remember(key, id);
        }
        if unseen.is_empty() {
            return;
        }
        let mut answers = vec![NO_ANSWER; unseen.len()];
        resolver
            .batch()
            .resolve_many_fresh(&unseen, |u, origin, r| answers[u] = self.add(origin, &r));
        for (ip, &id) in unseen.iter().zip(&answers) {
            match *ip {
                IpAddr::V4(a) => self.v4.insert(u32::from(a), id),
                IpAddr::V6(a) => self.v6.insert(u128::from(a), id),
            };
        }
        for (j, u) in waiting {
            ids[j] = answers[u];
            self.remember(keys[j], answers[u]);
        }
    }

    /// The answer id of an address already resolved.
    fn by_address(&self, ip: IpAddr) -> Option<u32> {
        match ip {
            IpAddr::V4(a) => self.v4.get(&u32::from(a)),
            IpAddr::V6(a) => self.v6.get(&u128::from(a)),
        }
        .copied()
    }

    /// Keep a text key's answer (addresses given as numbers are found
    /// through the address tables instead).
    fn remember(&mut self, key: u128, id: u32) {
        if key >> 120 <= 15 {
            self.known.insert(split(key), id);
        }
    }

    /// Store a new address's answer; returns the answer id.
    fn add(&mut self, origin: &Origin, r: &ResolutionRef<'_>) -> u32 {
        let mut ids = match self.by_origin.get(origin) {
            Some(ids) => *ids,
            None => {
                let ids = self.field_ids(r);
                self.by_origin.insert(Box::from(origin), ids);
                ids
            }
        };
        ids[Field::Network as usize] = match r.network {
            None => NONE,
            Some(net) => match self.networks.get(&net) {
                Some(&id) => id,
                None => {
                    self.network.clear();
                    write_network(&mut self.network, net);
                    let string = self.texts.push(&self.network);
                    let column = &mut self.fields[Field::Network as usize];
                    let id = column.views.len() as u32;
                    column.views.push(self.texts.views[string as usize]);
                    self.networks.insert(net, id);
                    id
                }
            },
        };
        let id = self.of_answer.len() as u32;
        self.of_answer.push(Record { ids, asn: r.asn });
        id
    }

    /// The field ids of an answer's texts, all but the network.
    fn field_ids(&mut self, r: &ResolutionRef<'_>) -> [u32; FIELDS] {
        let t = &mut self.texts;
        let values = [
            (Field::Company, text(r.company)),
            (Field::CompanyKey, text(r.company_key)),
            (Field::Domain, text(r.domain)),
            (Field::AsnOrg, text(r.asn_org)),
            (Field::Network, None),
            (Field::NetworkType, Some(r.network_type.as_str())),
            (Field::SourceCompany, text(r.sources.company)),
            (Field::SourceDomain, text(r.sources.domain)),
            (Field::SourceAsn, text(r.sources.asn)),
            (Field::SourceNetworkType, text(r.sources.network_type)),
        ];
        let mut ids = [0; FIELDS];
        for (field, value) in values {
            let id = t.intern_opt(value);
            ids[field as usize] = self.fields[field as usize].id(id, t);
        }
        ids
    }
}

impl BatchAnswers<'_> {
    /// Which rows have an answer (NULL for a NULL or malformed address).
    pub(crate) fn nulls(&self) -> Option<NullBuffer> {
        if !self.rows.contains(&NO_ANSWER) {
            return None;
        }
        let nulls = NullBuffer::from_iter(self.rows.iter().map(|&r| r != NO_ANSWER));
        (nulls.null_count() > 0).then_some(nulls)
    }

    /// One text column per field.
    pub(crate) fn texts(&mut self, fields: &[Field]) -> Vec<ArrayRef> {
        fields.iter().map(|f| self.text(*f)).collect()
    }

    /// The text column of one field: a dictionary whose keys are the
    /// rows' value ids in the field's table and whose values are that
    /// table (built once, shared by later batches while it is complete).
    fn text(&mut self, field: Field) -> ArrayRef {
        let n = self.rows.len();
        let shard = &mut *self.shard;
        let column = &mut shard.fields[field as usize];
        if column.views.len() == 1 {
            // no answer so far has this field (a database without domains)
            return arrow::array::new_null_array(&super::text_type(), n);
        }
        let (table, built) = (
            column.views.len(),
            column.values.as_ref().map_or(0, |v| v.len()),
        );
        // no value added since the previous batch: a build now is likely
        // to serve many batches (a warm cache stops growing)
        let settled = std::mem::replace(&mut column.seen, table) == table;
        let values = if built == table {
            Arc::clone(column.values.as_ref().expect("built"))
        } else if settled || table <= 4 * n.max(REBUILD_FLOOR) || table >= built + built / 2 {
            // settled, small, or grown by half since the last build:
            // rebuild (so a growing table is copied a bounded number of
            // times in all)
            let v = strings(&column.views, &shard.texts.buffers);
            column.values = Some(Arc::clone(&v));
            v
        } else {
            // a large table that gained a few values: this batch gets a
            // dictionary of just the values it uses
            return self.text_of_batch(field);
        };
        let mut missing = 0usize;
        let keys: Vec<i32> = self
            .records
            .iter()
            .map(|r| {
                let id = r.ids[field as usize];
                missing += usize::from(id == NONE);
                id as i32
            })
            .collect();
        let nulls = (missing > 0).then(|| NullBuffer::from_iter(keys.iter().map(|&k| k != 0)));
        let keys = Int32Array::new(ScalarBuffer::from(keys), nulls);
        // SAFETY: every key is an id this field's table gave out, so it is
        // below `values.len()` (the table's length when `values` was built,
        // checked above), and keys are never negative (the capacity clamp in
        // `AddressTable::new` keeps ids far below 2^31).
        #[allow(unsafe_code)]
        Arc::new(unsafe { DictionaryArray::<Int32Type>::new_unchecked(keys, values) })
    }

    /// The text column of one field as a dictionary of only the values
    /// its rows use (for a large table that is not rebuilt yet).
    fn text_of_batch(&self, field: Field) -> ArrayRef {
        let column = &self.shard.fields[field as usize];
        let mut local: HashMap<u32, i32, Fx> = HashMap::default();
        let mut used: Vec<u128> = Vec::new();
        let keys: Int32Array = self
            .records
            .iter()
            .map(|r| match r.ids[field as usize] {
                NONE => None,
                id => Some(*local.entry(id).or_insert_with(|| {
                    used.push(column.views[id as usize]);
                    (used.len() - 1) as i32
                })),
            })
            .collect();
        let values = strings(&used, &self.shard.texts.buffers);
        match DictionaryArray::<Int32Type>::try_new(keys, values) {
            Ok(d) => Arc::new(d),
            // each key indexes `used`, which holds one value per key
            Err(e) => unreachable!("batch dictionary: {e}"),
        }
    }

    /// Each row's AS number.
    pub(crate) fn asns(&self) -> UInt32Array {
        self.records.iter().map(|r| r.asn).collect()
    }
}

/// A field's table of views as a `Utf8` array, the NULL view (id 0, never
/// a key of a valid row) as an empty string: the bytes of each string
/// copied from the view itself (up to 12 bytes) or from the shard's buffers.
///
/// (A `Utf8View` array over the shard's buffers would avoid the copy, but
/// DataFusion 55 mis-plans `CASE … THEN 'literal' ELSE <Utf8View>`, which
/// users write over these fields.)
fn strings(views: &[u128], buffers: &[Buffer]) -> ArrayRef {
    let size = |v: u128| if v == NULL_VIEW { 0 } else { v as u32 as usize };
    let total: usize = views.iter().map(|&v| size(v)).sum();
    let mut bytes: Vec<u8> = Vec::with_capacity(total);
    let mut offsets: Vec<i32> = Vec::with_capacity(views.len() + 1);
    offsets.push(0);
    for &v in views {
        let len = size(v);
        if len <= 12 {
            bytes.extend_from_slice(&v.to_le_bytes()[4..4 + len]);
        } else {
            let view = ByteView::from(v);
            let at = view.offset as usize;
            bytes.extend_from_slice(&buffers[view.buffer_index as usize][at..at + len]);
        }
        offsets.push(bytes.len() as i32);
    }
    // SAFETY: offsets start at 0 and grow by each string's length, and the
    // bytes are whole UTF-8 strings (every view was made by `make_view`
    // from a `&str`).
    #[allow(unsafe_code)]
    Arc::new(unsafe {
        StringArray::new_unchecked(
            OffsetBuffer::new_unchecked(ScalarBuffer::from(offsets)),
            Buffer::from_vec(bytes),
            None,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{Array, AsArray, StringArray};
    use leadlake_ipdb::IpdbConfig;

    fn isp_test_db() -> std::path::PathBuf {
        std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
            .join("../../shared/testdata/maxmind/test-data/GeoIP2-ISP-Test.mmdb")
    }

    /// A table over the ISP test database, and the first `n` of its
    /// networks as address texts.
    fn isp_table(n: usize) -> (Arc<Resolver>, AddressTable, Vec<String>) {
        let resolver = Arc::new(
            Resolver::open(IpdbConfig::with_databases([isp_test_db()])).expect("open test db"),
        );
        let table = AddressTable::new(Arc::clone(&resolver));
        let addresses = resolver.databases()[0]
            .networks()
            .expect("networks")
            .into_iter()
            .map(|(net, _, _)| net.network().to_string())
            .take(n)
            .collect();
        (resolver, table, addresses)
    }

    #[test]
    fn text_keys_are_unique_and_reversible() {
        let texts = [
            "1",
            "1.2.3.4",
            "1.2.3.40",
            "1.2.3.4 ",
            "11.22.33.44",
            "111.222.133.144",
            "2001:db8::1",
            "::1",
            "abcdefghijklmno",
            "abcdefghijklmn",
            "\u{e9}t\u{e9}",
        ];
        let mut seen = std::collections::HashSet::new();
        for t in texts {
            let k = text_key(t.as_bytes()).expect("short text");
            assert!(seen.insert(k), "{t:?} shares a key");
            assert_eq!(k & IPV4_TAG, 0, "{t:?} looks tagged");
            let (bytes, len) = key_text(k);
            assert_eq!(&bytes[..len], t.as_bytes());
        }
        assert_eq!(text_key(b""), None);
        assert_eq!(text_key(b"0123456789abcdef"), None);
    }

    /// Many batches, each bringing new strings: buffers are merged along the
    /// way and every answer handed out (earlier arrays included) still reads
    /// exactly what the uncached resolver says.
    #[test]
    fn answers_stay_right_across_buffer_merges() {
        let (resolver, table, addresses) = isp_table(3 * MAX_BUFFERS);
        assert!(addresses.len() > 2 * MAX_BUFFERS, "{}", addresses.len());
        let mut kept = Vec::new();
        let (mut buffers, mut merged) = (0, false);
        for n in 1..=addresses.len() {
            // the n-th address is new; the others come back from the cache
            let mut column: Vec<Option<&str>> =
                addresses[..n].iter().map(|s| Some(s.as_str())).collect();
            column.push(Some("not an address"));
            column.push(None);
            let array: ArrayRef = Arc::new(StringArray::from(column));
            let mut answers = table.answer(&array).expect("answer");
            let texts = answers.texts(&[Field::Company, Field::Network]);
            let now = answers.shard.texts.buffers.len();
            assert!(now <= MAX_BUFFERS);
            merged |= now < buffers;
            buffers = now;
            let nulls = answers.nulls().expect("two rows without an address");
            assert_eq!(nulls.null_count(), 2);
            kept.push((n, texts, answers.asns()));
        }
        assert!(merged, "the buffers were never merged");
        for (n, texts, asns) in kept {
            // dictionaries: read through their values
            let plain = |a: &ArrayRef| {
                arrow::compute::cast(a, &arrow::datatypes::DataType::Utf8).expect("cast")
            };
            let (company, network) = (plain(&texts[0]), plain(&texts[1]));
            let (company, network) = (company.as_string::<i32>(), network.as_string::<i32>());
            for (i, text) in addresses[..n].iter().enumerate() {
                let want = resolver.resolve(text.parse().expect("address"));
                let got = company.is_valid(i).then(|| company.value(i));
                assert_eq!(
                    got,
                    want.company.as_deref(),
                    "company of {text} in batch {n}"
                );
                let got = network.is_valid(i).then(|| network.value(i).to_string());
                assert_eq!(
                    got,
                    want.network.map(|w| w.to_string()),
                    "network of {text}"
                );
                assert_eq!(
                    asns.is_valid(i).then(|| asns.value(i)),
                    want.asn,
                    "asn of {text}"
                );
            }
            for i in [n, n + 1] {
                assert!(company.is_null(i) && network.is_null(i) && asns.is_null(i));
            }
        }
    }

    /// One batch of new addresses, each several times and in several
    /// spellings (resolved together): every row gets the resolver's answer,
    /// and each address is resolved and stored once.
    #[test]
    fn a_batch_of_new_addresses_in_many_spellings_resolves_each_once() {
        let (resolver, table, addresses) = isp_table(40);
        let mut column: Vec<Option<String>> = Vec::new();
        for (i, a) in addresses.iter().enumerate() {
            column.push(Some(a.clone()));
            column.push(Some(format!(" {a} ")));
            column.push(None);
            column.push(Some(a.clone()));
            if i % 7 == 0 {
                column.push(Some(format!("{a}/x")));
            }
        }
        let array: ArrayRef = Arc::new(StringArray::from(column.clone()));
        let mut answers = table.answer(&array).expect("answer");
        let fields = [
            Field::Network,
            Field::Company,
            Field::NetworkType,
            Field::SourceNetworkType,
        ];
        let columns: Vec<ArrayRef> = answers
            .texts(&fields)
            .iter()
            .map(|c| arrow::compute::cast(c, &arrow::datatypes::DataType::Utf8).expect("cast"))
            .collect();
        for (row, text) in column.iter().enumerate() {
            let want = text
                .as_deref()
                .and_then(parse_ip)
                .map(|ip| resolver.resolve(ip));
            let want = [
                want.as_ref().and_then(|w| w.network.map(|n| n.to_string())),
                want.as_ref()
                    .and_then(|w| w.company.as_deref().map(str::to_string)),
                want.as_ref().map(|w| w.network_type.to_string()),
                want.as_ref()
                    .and_then(|w| w.sources.network_type.as_deref().map(str::to_string)),
            ];
            for ((field, got), want) in fields.iter().zip(&columns).zip(want) {
                let got = got.as_string::<i32>();
                let got = got.is_valid(row).then(|| got.value(row).to_string());
                assert_eq!(got, want, "{field:?} of row {row}: {text:?}");
            }
        }
        // answer 0 is "no answer"; then one per distinct address
        assert_eq!(answers.shard.of_answer.len(), addresses.len() + 1);
        assert_eq!(
            answers.shard.v4.len() + answers.shard.v6.len(),
            addresses.len()
        );
    }

    #[test]
    fn networks_are_written_as_their_display_says() {
        let mut out = String::new();
        for net in [
            "0.0.0.0/0",
            "1.2.3.0/24",
            "10.0.0.0/8",
            "100.64.10.9/32",
            "255.255.255.255/32",
            "99.199.9.0/27",
            "2001:db8::/32",
            "::ffff:1.2.3.4/128",
        ] {
            let net: IpNet = net.parse().expect("network");
            out.clear();
            write_network(&mut out, net);
            assert_eq!(out, net.to_string());
        }
    }

    #[test]
    fn a_large_table_gaining_a_value_answers_from_a_batch_dictionary() {
        let (resolver, table, addresses) = isp_table(60);
        let (seen, new) = addresses.split_at(50);
        let column = |texts: &[String]| -> ArrayRef {
            Arc::new(StringArray::from_iter_values(texts.iter()))
        };
        let mut answers = table.answer(&column(seen)).expect("answer");
        answers.texts(&[Field::Network]);
        let built = answers.shard.fields[Field::Network as usize].views.len();
        drop(answers);
        for (i, text) in new.iter().enumerate() {
            // one new address and one known one: the table grows by one
            let batch = [text.clone(), seen[i].clone()];
            let mut answers = table.answer(&column(&batch)).expect("answer");
            let network = answers.texts(&[Field::Network]).remove(0);
            let dict = network.as_dictionary::<Int32Type>();
            assert_eq!(dict.values().len(), 2, "only this batch's values");
            let values = dict.values().as_string::<i32>();
            for (row, text) in batch.iter().enumerate() {
                let want = resolver.resolve(text.parse().expect("address"));
                let got = values.value(dict.keys().value(row) as usize);
                assert_eq!(Some(got.to_string()), want.network.map(|w| w.to_string()));
            }
            let field = &answers.shard.fields[Field::Network as usize];
            assert!(field.views.len() > built, "the table grew");
            assert_eq!(field.values.as_ref().map(|v| v.len()), Some(built));
        }
        // Once a batch brings no new value, the whole table is built again
        // and shared by the batches after it.
        let mut shared = Vec::new();
        for _ in 0..3 {
            let mut answers = table.answer(&column(&seen[..2])).expect("answer");
            let network = answers.texts(&[Field::Network]).remove(0);
            let values = Arc::clone(network.as_dictionary::<Int32Type>().values());
            let field = &answers.shard.fields[Field::Network as usize];
            assert_eq!(values.len(), field.views.len(), "the whole table");
            shared.push(values);
        }
        assert!(Arc::ptr_eq(&shared[0], &shared[1]) && Arc::ptr_eq(&shared[1], &shared[2]));
    }
}
