//! The accumulator behind `activity_tiers`, `journey_stage`, `lead_score`,
//! `active_installs` and `company_journey`.
//!
//! Rows are collected as 24-byte [`PackedEvent`]s with their group. A
//! partial stage ships each group's events as bytes. The final stage keeps
//! the merged states and indexes each group's events in them; at evaluate
//! it sorts its own events and those indexes by group (a single-stage plan
//! has only its own) and replays each group into one reused [`Profile`],
//! whose facts give the output row. One profile in cache at a time
//! replaces 100,000 live ones, and the state is a copy of rows rather than
//! a profile to encode, decode and merge.

use super::events::{for_each_event, mixed_as_of};
use super::output::Output;
use arrow::array::{Array, ArrayRef, AsArray, BooleanArray, LargeBinaryArray};
use arrow::buffer::{NullBuffer, OffsetBuffer};
use datafusion::common::{Result, ScalarValue, exec_datafusion_err, exec_err};
use datafusion::logical_expr::{Accumulator, EmitTo, GroupsAccumulator};
use leadlake_funnel::packed::{
    NO_VERSION, PackedEvent, VersionTable, decode_header, encode_header, encode_rows, read_rows,
};
use leadlake_funnel::page_class::ClassCache;
use leadlake_funnel::version::VersionText;
use leadlake_funnel::{Facts, Funnel, Kind, Profile};
use std::sync::Arc;

/// The version a packed download names (`Ok(None)` without one).
#[inline]
fn version_of<'a>(
    name: &str,
    versions: &'a VersionTable,
    e: &PackedEvent,
) -> Result<Option<&'a Arc<VersionText>>> {
    match e.key() {
        NO_VERSION => Ok(None),
        key => match versions.get(key) {
            Some(v) => Ok(Some(v)),
            None => exec_err!("'{name}': corrupt journey state: unknown version key {key}"),
        },
    }
}

/// Up to this many distinct versions, a partial stage may write all their
/// texts in every group's state (see `partial_state`)...
const SHARED_VERSIONS: usize = 32;
/// ...when those heads add at most a quarter to the bytes of the events.
const SHARED_HEAD_SHARE: usize = 4;

/// Where a merged state keeps one group's events: `merged[state]`, row
/// `row`, from byte `rows_at` on.
#[derive(Clone, Copy, Default)]
struct Chunk {
    state: u32,
    row: u32,
    rows_at: u32,
}

/// Sort `items` by their `groups` (a counting sort) into `out`, with
/// `starts[g]..starts[g + 1]` the place of group `g`.
fn sort_by_group<T: Copy + Default>(
    groups: &[u32],
    items: &[T],
    total: usize,
    starts: &mut Vec<u32>,
    out: &mut Vec<T>,
) {
    starts.clear();
    starts.resize(total + 1, 0);
    for &g in groups {
        starts[g as usize + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    out.clear();
    out.resize(items.len(), T::default());
    let mut next = starts[..total].to_vec();
    for (&g, item) in groups.iter().zip(items) {
        let slot = &mut next[g as usize];
        out[*slot as usize] = *item;
        *slot += 1;
    }
}

/// Put back into `groups`/`items` the sorted items of groups `from..`,
/// renumbered from 0.
fn keep_from<T: Copy>(
    from: usize,
    starts: &[u32],
    sorted: &[T],
    groups: &mut Vec<u32>,
    items: &mut Vec<T>,
) {
    groups.clear();
    items.clear();
    for g in from..starts.len() - 1 {
        let rows = &sorted[starts[g] as usize..starts[g + 1] as usize];
        groups.extend(std::iter::repeat_n((g - from) as u32, rows.len()));
        items.extend_from_slice(rows);
    }
}

/// The event bytes of a merged chunk.
fn chunk_rows<'a>(merged: &'a [ArrayRef], c: &Chunk) -> &'a [u8] {
    let states = merged[c.state as usize].as_binary::<i64>();
    &states.value(c.row as usize)[c.rows_at as usize..]
}

/// Collected events by group.
pub(crate) struct ProfileGroups {
    name: &'static str,
    funnel: Arc<Funnel>,
    output: Output,
    /// Each group's as_of (i64::MIN until its first row).
    as_ofs: Vec<i64>,
    /// Events in arrival order, and the group of each.
    groups: Vec<u32>,
    events: Vec<PackedEvent>,
    /// States merged in, kept whole: their events are read in place.
    merged: Vec<ArrayRef>,
    /// Each merged group's events in `merged`, and the group of each.
    chunk_groups: Vec<u32>,
    chunks: Vec<Chunk>,
    versions: VersionTable,
    classes: ClassCache,
    /// `events` and `chunks` sorted by group, and where each group starts
    /// in them (freed after each emit).
    sorted: Vec<PackedEvent>,
    starts: Vec<u32>,
    sorted_chunks: Vec<Chunk>,
    chunk_starts: Vec<u32>,
    /// The profile each group is replayed into, in turn.
    profile: Profile,
    /// Whether every row so far had one as_of.
    one_as_of: OneAsOf,
}

/// Whether all rows had one `as_of` (the usual case: a literal).
#[derive(Clone, Copy, PartialEq, Eq)]
enum OneAsOf {
    NoneYet,
    Is(i64),
    Several,
}

impl OneAsOf {
    #[inline]
    fn saw(&mut self, as_of: i64) {
        *self = match *self {
            OneAsOf::NoneYet => OneAsOf::Is(as_of),
            OneAsOf::Is(a) if a == as_of => OneAsOf::Is(a),
            _ => OneAsOf::Several,
        }
    }
}

impl ProfileGroups {
    pub(crate) fn new(name: &'static str, funnel: Arc<Funnel>, output: Output) -> Self {
        Self {
            name,
            funnel,
            output,
            as_ofs: Vec::new(),
            groups: Vec::new(),
            events: Vec::new(),
            merged: Vec::new(),
            chunk_groups: Vec::new(),
            chunks: Vec::new(),
            versions: VersionTable::default(),
            classes: ClassCache::default(),
            sorted: Vec::new(),
            starts: Vec::new(),
            sorted_chunks: Vec::new(),
            chunk_starts: Vec::new(),
            profile: Profile::new(0),
            one_as_of: OneAsOf::NoneYet,
        }
    }

    fn resize(&mut self, total: usize) {
        self.as_ofs.resize(total, i64::MIN);
    }

    /// Record `as_of` for group `g`; an error if it had another one.
    #[inline]
    fn set_as_of(name: &str, as_ofs: &mut [i64], g: usize, as_of: i64) -> Result<()> {
        match as_ofs[g] {
            i64::MIN => as_ofs[g] = as_of,
            a if a != as_of => return mixed_as_of(name, a, as_of),
            _ => {}
        }
        Ok(())
    }

    fn update(
        &mut self,
        values: &[ArrayRef],
        groups: &[usize],
        filter: Option<&BooleanArray>,
        total: usize,
    ) -> Result<()> {
        let f = self.name;
        self.resize(total);
        let (as_ofs, versions) = (&mut self.as_ofs, &mut self.versions);
        let (out_groups, events) = (&mut self.groups, &mut self.events);
        let one = &mut self.one_as_of;
        for_each_event(
            f,
            values,
            &self.funnel,
            &mut self.classes,
            filter,
            |row, as_of, e| {
                let g = groups[row];
                if *one == OneAsOf::Is(as_of) {
                    // every group's as_of is this one or unset: a store,
                    // no load (100,000 as_ofs do not stay in cache)
                    as_ofs[g] = as_of;
                } else {
                    Self::set_as_of(f, as_ofs, g, as_of)?;
                    one.saw(as_of);
                }
                if e.ts >= as_of {
                    return Ok(());
                }
                let version = match e.kind {
                    Kind::Download => e.version.map(|v| versions.key(v)),
                    _ => None,
                };
                out_groups.push(g as u32);
                events.push(PackedEvent::new(e, version));
                Ok(())
            },
        )
    }

    fn merge(&mut self, values: &[ArrayRef], groups: &[usize], total: usize) -> Result<()> {
        let Some(array) = values.first() else {
            return exec_err!("'{}': no state to merge", self.name);
        };
        let Some(states) = array.as_binary_opt::<i64>() else {
            return exec_err!(
                "'{}': expected a LargeBinary state, got {}",
                self.name,
                array.data_type()
            );
        };
        self.resize(total);
        let (name, state) = (self.name, self.merged.len() as u32);
        let before = self.chunks.len();
        for (row, &g) in groups.iter().enumerate() {
            if states.is_null(row) {
                continue;
            }
            let versions = &mut self.versions;
            let bytes = states.value(row);
            let (as_of, rows) = decode_header(bytes, |key, text| {
                versions.insert(key, text);
            })
            .map_err(|e| exec_datafusion_err!("'{name}': {e}"))?;
            Self::set_as_of(name, &mut self.as_ofs, g, as_of)?;
            self.one_as_of.saw(as_of);
            if !rows.is_empty() {
                self.chunk_groups.push(g as u32);
                self.chunks.push(Chunk {
                    state,
                    row: row as u32,
                    rows_at: (bytes.len() - rows.len()) as u32,
                });
            }
        }
        if self.chunks.len() > before {
            self.merged.push(Arc::clone(array));
        }
        Ok(())
    }

    /// Sort the collected events and merged chunks by group; keep those
    /// of groups `emit_to` does not take (renumbered from 0), and return
    /// the as_of of the groups it takes.
    fn take_sorted(&mut self, emit_to: EmitTo) -> Vec<i64> {
        let total = self.as_ofs.len();
        sort_by_group(
            &self.groups,
            &self.events,
            total,
            &mut self.starts,
            &mut self.sorted,
        );
        sort_by_group(
            &self.chunk_groups,
            &self.chunks,
            total,
            &mut self.chunk_starts,
            &mut self.sorted_chunks,
        );
        let as_ofs = emit_to.take_needed(&mut self.as_ofs);
        let taken = as_ofs.len();
        keep_from(
            taken,
            &self.starts,
            &self.sorted,
            &mut self.groups,
            &mut self.events,
        );
        keep_from(
            taken,
            &self.chunk_starts,
            &self.sorted_chunks,
            &mut self.chunk_groups,
            &mut self.chunks,
        );
        if taken > 0 && !self.chunks.is_empty() {
            // the groups left copy their events, so that the merged state
            // arrays go with this emit (streaming and spill-merging
            // aggregations emit a few groups at a time)
            for (&g, c) in self.chunk_groups.iter().zip(&self.chunks) {
                let rows = chunk_rows(&self.merged, c);
                self.groups.extend(std::iter::repeat_n(
                    g,
                    rows.len() / size_of::<PackedEvent>(),
                ));
                self.events.extend(read_rows(rows));
            }
            self.chunks.clear();
            self.chunk_groups.clear();
        }
        as_ofs
    }

    /// Group `g`'s events after [`take_sorted`](Self::take_sorted): its
    /// own, and the event bytes of its merged chunks (`None` without any).
    fn sorted_rows(&self, g: usize) -> Option<(&[PackedEvent], Vec<&[u8]>)> {
        let own = &self.sorted[self.starts[g] as usize..self.starts[g + 1] as usize];
        let chunks =
            &self.sorted_chunks[self.chunk_starts[g] as usize..self.chunk_starts[g + 1] as usize];
        if own.is_empty() && chunks.is_empty() {
            return None;
        }
        let merged = &self.merged;
        Some((own, chunks.iter().map(|c| chunk_rows(merged, c)).collect()))
    }

    /// The facts of one group's events.
    fn facts(
        name: &str,
        funnel: &Funnel,
        versions: &VersionTable,
        profile: &mut Profile,
        as_of: i64,
        own: &[PackedEvent],
        chunks: &[&[u8]],
    ) -> Result<Option<Facts>> {
        profile.reset(as_of);
        let mut add = |p: &PackedEvent| -> Result<()> {
            let e = p
                .event()
                .map_err(|e| exec_datafusion_err!("'{name}': {e}"))?;
            let version = match e.kind {
                Kind::Download => version_of(name, versions, p)?,
                _ => None,
            };
            profile.add_shared(funnel, &e, version);
            Ok(())
        };
        for p in own {
            add(p)?;
        }
        for rows in chunks {
            for p in read_rows(rows) {
                add(&p)?;
            }
        }
        Ok(Facts::of(funnel, profile))
    }

    /// One group's state: its events as bytes, appended to `out`.
    fn encode(
        versions: &VersionTable,
        keys: &mut Vec<u64>,
        as_of: i64,
        own: &[PackedEvent],
        chunks: &[&[u8]],
        out: &mut Vec<u8>,
    ) {
        keys.clear();
        let mut note = |e: &PackedEvent| {
            if e.kind() == Kind::Download && e.key() != NO_VERSION && !keys.contains(&e.key()) {
                keys.push(e.key());
            }
        };
        own.iter().for_each(&mut note);
        for rows in chunks {
            read_rows(rows).for_each(|e| note(&e));
        }
        let texts: Vec<(u64, &str)> = keys
            .iter()
            .filter_map(|k| versions.get(*k).map(|v| (*k, &*v.text)))
            .collect();
        encode_header(out, as_of, texts.into_iter());
        encode_rows(out, own);
        for rows in chunks {
            out.extend_from_slice(rows);
        }
    }

    /// The state column of groups `0..as_ofs.len()`, sorted by
    /// [`take_sorted`](Self::take_sorted).
    fn state_array(&self, as_ofs: &[i64]) -> ArrayRef {
        let n = as_ofs.len();
        let events = self.starts.get(n).map_or(0, |s| *s as usize);
        let mut values = Vec::with_capacity(events * size_of::<PackedEvent>() + n * 64);
        let mut offsets = Vec::with_capacity(n + 1);
        let mut valid = Vec::with_capacity(n);
        offsets.push(0i64);
        let mut keys = Vec::new();
        for (g, as_of) in as_ofs.iter().enumerate() {
            let rows = self.sorted_rows(g);
            if let Some((own, chunks)) = &rows {
                Self::encode(&self.versions, &mut keys, *as_of, own, chunks, &mut values);
            }
            valid.push(rows.is_some());
            offsets.push(values.len() as i64);
        }
        Arc::new(LargeBinaryArray::new(
            OffsetBuffer::new(offsets.into()),
            values.into(),
            Some(NullBuffer::from(valid)),
        ))
    }

    /// The output column of groups `0..as_ofs.len()`, sorted by
    /// [`take_sorted`](Self::take_sorted).
    fn output_array(&mut self, as_ofs: &[i64]) -> Result<ArrayRef> {
        let mut facts = Vec::with_capacity(as_ofs.len());
        let mut profile = std::mem::take(&mut self.profile);
        for (g, as_of) in as_ofs.iter().enumerate() {
            facts.push(match self.sorted_rows(g) {
                None => None,
                Some((own, chunks)) => Self::facts(
                    self.name,
                    &self.funnel,
                    &self.versions,
                    &mut profile,
                    *as_of,
                    own,
                    &chunks,
                )?,
            });
        }
        self.profile = profile;
        self.output.build(&self.funnel, &facts)
    }

    /// Whether [`partial_state`](Self::partial_state) fits: no merged
    /// chunks, few versions, and companies with enough events that one
    /// head naming every version stays small beside them.
    fn shared_head_pays(&self) -> bool {
        if !self.chunks.is_empty() || self.versions.len() > SHARED_VERSIONS {
            return false;
        }
        let head: usize = 12
            + self
                .versions
                .iter()
                .map(|(_, t)| 12 + t.len())
                .sum::<usize>();
        head * self.as_ofs.len() * SHARED_HEAD_SHARE <= self.events.len() * size_of::<PackedEvent>()
    }

    /// The state of a partial stage that knows few versions: every
    /// group's head names all of them, so every head has one size and
    /// each event is written straight to its place in the column (no
    /// sorted copy, no second pass per group).
    fn partial_state(&mut self, emit_to: EmitTo) -> ArrayRef {
        let total = self.as_ofs.len();
        let n = match emit_to {
            EmitTo::All => total,
            EmitTo::First(n) => n.min(total),
        };
        let mut texts = Vec::new();
        encode_header(&mut texts, 0, self.versions.iter());
        let head = texts.len();
        let counts = &mut self.starts;
        counts.clear();
        counts.resize(total, 0);
        for &g in &self.groups {
            counts[g as usize] += 1;
        }
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0i64);
        let mut end = 0usize;
        for &c in &counts[..n] {
            if c > 0 {
                end += head + c as usize * size_of::<PackedEvent>();
            }
            offsets.push(end as i64);
        }
        let mut values = vec![0u8; end];
        let as_ofs = emit_to.take_needed(&mut self.as_ofs);
        // heads first, then each event at its group's cursor
        let mut cursor: Vec<usize> = offsets[..n].iter().map(|o| *o as usize).collect();
        for g in 0..n {
            if counts[g] > 0 {
                let at = cursor[g];
                values[at..at + head].copy_from_slice(&texts);
                values[at..at + 8].copy_from_slice(&as_ofs[g].to_le_bytes());
                cursor[g] += head;
            }
        }
        let (mut kept_groups, mut kept) = (Vec::new(), Vec::new());
        for (&g, e) in self.groups.iter().zip(&self.events) {
            let g = g as usize;
            if g < n {
                let at = cursor[g];
                e.write_to(&mut values[at..at + size_of::<PackedEvent>()]);
                cursor[g] = at + size_of::<PackedEvent>();
            } else {
                kept_groups.push((g - n) as u32);
                kept.push(*e);
            }
        }
        self.groups = kept_groups;
        self.events = kept;
        let valid = counts[..n].iter().map(|c| *c > 0).collect::<Vec<bool>>();
        Arc::new(LargeBinaryArray::new(
            OffsetBuffer::new(offsets.into()),
            values.into(),
            Some(NullBuffer::from(valid)),
        ))
    }

    /// After an emit: free what the emitted groups held, so the size
    /// reported to DataFusion drops (it checks that after spilling).
    fn release(&mut self) {
        if self.chunks.is_empty() {
            self.merged = Vec::new();
            self.chunks = Vec::new();
            self.chunk_groups = Vec::new();
        }
        if self.events.is_empty() {
            self.events = Vec::new();
            self.groups = Vec::new();
        }
        self.sorted = Vec::new();
        self.sorted_chunks = Vec::new();
        self.starts = Vec::new();
        self.chunk_starts = Vec::new();
    }

    /// Group 0's own events and merged chunks (the plain accumulator).
    fn single(&self) -> Option<(&[PackedEvent], Vec<&[u8]>)> {
        if self.events.is_empty() && self.chunks.is_empty() {
            return None;
        }
        let merged = &self.merged;
        Some((
            &self.events,
            self.chunks.iter().map(|c| chunk_rows(merged, c)).collect(),
        ))
    }
}

impl GroupsAccumulator for ProfileGroups {
    fn update_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        opt_filter: Option<&BooleanArray>,
        total_num_groups: usize,
    ) -> Result<()> {
        self.update(values, group_indices, opt_filter, total_num_groups)
    }

    fn evaluate(&mut self, emit_to: EmitTo) -> Result<ArrayRef> {
        let as_ofs = self.take_sorted(emit_to);
        let out = self.output_array(&as_ofs);
        self.release();
        out
    }

    fn state(&mut self, emit_to: EmitTo) -> Result<Vec<ArrayRef>> {
        let state = if self.shared_head_pays() {
            self.partial_state(emit_to)
        } else {
            let as_ofs = self.take_sorted(emit_to);
            self.state_array(&as_ofs)
        };
        self.release();
        Ok(vec![state])
    }

    fn merge_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        total_num_groups: usize,
    ) -> Result<()> {
        self.merge(values, group_indices, total_num_groups)
    }

    fn convert_to_state(
        &self,
        values: &[ArrayRef],
        opt_filter: Option<&BooleanArray>,
    ) -> Result<Vec<ArrayRef>> {
        // each row its own group
        let n = values.first().map_or(0, |a| a.len());
        let mut one = ProfileGroups::new(self.name, Arc::clone(&self.funnel), self.output);
        let rows: Vec<usize> = (0..n).collect();
        one.update(values, &rows, opt_filter, n)?;
        one.state(EmitTo::All)
    }

    fn size(&self) -> usize {
        // the version texts count about 100 bytes each with their parse
        self.as_ofs.capacity() * 8
            + self.groups.capacity() * 4
            + (self.events.capacity() + self.sorted.capacity()) * size_of::<PackedEvent>()
            + self.starts.capacity() * 4
            + (self.chunks.capacity() + self.sorted_chunks.capacity()) * size_of::<Chunk>()
            + (self.chunk_groups.capacity() + self.chunk_starts.capacity()) * 4
            + self
                .merged
                .iter()
                .map(|a| a.get_array_memory_size())
                .sum::<usize>()
            + self.versions.len() * 100
    }
}

/// The same over a single group (DataFusion's plain accumulator API, also
/// used in window frames: evaluating does not consume the events).
pub(crate) struct ProfileAccumulator(pub(crate) ProfileGroups);

impl std::fmt::Debug for ProfileAccumulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ProfileAccumulator({})", self.0.name)
    }
}

impl Accumulator for ProfileAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let n = values.first().map_or(0, |a| a.len());
        self.0.update(values, &vec![0; n], None, 1)
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let g = &mut self.0;
        g.resize(1);
        let mut profile = std::mem::take(&mut g.profile);
        let facts = match g.single() {
            None => None,
            Some((own, chunks)) => ProfileGroups::facts(
                g.name,
                &g.funnel,
                &g.versions,
                &mut profile,
                g.as_ofs[0],
                own,
                &chunks,
            )?,
        };
        g.profile = profile;
        let array = g.output.build(&g.funnel, &[facts])?;
        ScalarValue::try_from_array(&array, 0)
    }

    fn size(&self) -> usize {
        self.0.size()
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let g = &mut self.0;
        g.resize(1);
        let Some((own, chunks)) = g.single() else {
            return Ok(vec![ScalarValue::LargeBinary(None)]);
        };
        let mut bytes = Vec::new();
        ProfileGroups::encode(
            &g.versions,
            &mut Vec::new(),
            g.as_ofs[0],
            own,
            &chunks,
            &mut bytes,
        );
        Ok(vec![ScalarValue::LargeBinary(Some(bytes))])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let n = states.first().map_or(0, |a| a.len());
        self.0.merge(states, &vec![0; n], 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{LargeBinaryBuilder, StringArray, TimestampMicrosecondArray};

    const DAY: i64 = 86_400_000_000;
    const AS_OF: i64 = 1_798_761_600_000_000;

    /// Events of four companies (a download burst, docs views, pings,
    /// versions, rows to ignore), one row each.
    fn rows(extra_versions: usize) -> (Vec<ArrayRef>, Vec<usize>) {
        let mut cols: (Vec<_>, Vec<_>, Vec<_>, Vec<_>, Vec<_>) = Default::default();
        let mut groups = Vec::new();
        let mut push = |g: usize, days: i64, kind: &str, path: Option<&str>, v: Option<&str>| {
            cols.0.push((days < 1000).then_some(AS_OF - days * DAY - 1));
            cols.1.push(Some(kind.to_string()));
            cols.2.push(path.map(str::to_string));
            cols.3.push(v.map(str::to_string));
            cols.4.push(Some(format!("10.0.{g}.{}", days % 3)));
            groups.push(g);
        };
        for d in [200, 150, 100, 60, 40, 20, 10, 3] {
            push(
                0,
                d,
                "download",
                None,
                Some(if d > 90 { "1.9.0" } else { "1.10.0" }),
            );
            push(0, d, "docs_view", Some("/docs/upgrade"), None);
        }
        push(1, 5, "docs_view", Some("/docs/install"), None);
        push(1, 2, "docs_view", Some("/docs/install"), None);
        push(1, 2, "page_view", Some("/pricing"), None);
        for d in 0..40 {
            push(2, d, "call_home", None, None);
        }
        for d in 0..300 {
            push(
                2,
                d % 50,
                "page_view",
                Some(["/", "/blog/a", "/pricing"][d as usize % 3]),
                None,
            );
        }
        for i in 0..extra_versions {
            push(
                3,
                30 + i as i64,
                "download",
                None,
                Some(&format!("0.{i}.0")),
            );
        }
        push(3, 1, "download", None, None);
        push(3, 1, "unknown_kind", None, None);
        push(3, 5000, "download", None, Some("2.0.0")); // NULL ts
        push(3, -3, "download", None, Some("9.9.9")); // after as_of
        let n = groups.len();
        let ts = TimestampMicrosecondArray::from(cols.0).with_timezone("UTC");
        let as_of = TimestampMicrosecondArray::from(vec![AS_OF; n]).with_timezone("UTC");
        let text = |v: Vec<Option<String>>| Arc::new(StringArray::from(v)) as ArrayRef;
        let values = vec![
            Arc::new(ts) as ArrayRef,
            text(cols.1),
            text(cols.2),
            text(cols.3),
            text(cols.4),
            Arc::new(as_of),
        ];
        (values, groups)
    }

    fn groups() -> ProfileGroups {
        ProfileGroups::new("company_journey", Arc::default(), Output::Journey)
    }

    fn slice(values: &[ArrayRef], from: usize, to: usize) -> Vec<ArrayRef> {
        values.iter().map(|a| a.slice(from, to - from)).collect()
    }

    #[test]
    fn partial_states_merged_answer_as_one_stage_does() {
        // few versions (every head names them all) and many (each head
        // names its own)
        for extra_versions in [0, SHARED_VERSIONS + 1] {
            round_trips(extra_versions);
        }
    }

    /// How many version texts the head of a group's state names.
    fn head_versions(state: &[ArrayRef], group: usize) -> usize {
        let mut n = 0;
        let bytes = state[0].as_binary::<i64>().value(group);
        decode_header(bytes, |_, _| n += 1).unwrap();
        n
    }

    fn round_trips(extra_versions: usize) {
        let (values, g) = rows(extra_versions);
        let mut one = groups();
        one.update_batch(&values, &g, None, 4).unwrap();
        let expected = one.evaluate(EmitTo::All).unwrap();
        assert_eq!(expected.len(), 4);
        assert_eq!(expected.null_count(), 0);

        // two partial stages over halves, merged in a final stage that
        // emits its first group on its own
        let half = g.len() / 2;
        let mut states = Vec::new();
        for (from, to) in [(0, half), (half, g.len())] {
            let mut partial = groups();
            partial
                .update_batch(&slice(&values, from, to), &g[from..to], None, 4)
                .unwrap();
            states.push(partial.state(EmitTo::All).unwrap());
        }
        if extra_versions == 0 {
            // group 1 downloads nothing, yet its head names both versions
            assert_eq!(head_versions(&states[0], 1), 2, "one head for all");
        } else {
            assert_eq!(head_versions(&states[1], 2), 0, "a head per group");
        }
        let mut last = groups();
        for s in &states {
            last.merge_batch(s, &[0, 1, 2, 3], 4).unwrap();
        }
        let first = last.evaluate(EmitTo::First(1)).unwrap();
        let rest = last.evaluate(EmitTo::All).unwrap();
        assert_eq!(first.as_ref(), expected.slice(0, 1).as_ref());
        assert_eq!(rest.as_ref(), expected.slice(1, 3).as_ref());

        // a final stage's own state (as when it spills) merges back to the same
        let mut spill = groups();
        for s in &states {
            spill.merge_batch(s, &[0, 1, 2, 3], 4).unwrap();
        }
        let spilled = spill.state(EmitTo::All).unwrap();
        let mut again = groups();
        again.merge_batch(&spilled, &[0, 1, 2, 3], 4).unwrap();
        assert_eq!(
            again.evaluate(EmitTo::All).unwrap().as_ref(),
            expected.as_ref()
        );

        // the plain accumulator: evaluating does not consume the events
        let mut acc = ProfileAccumulator(groups());
        acc.update_batch(&slice(&values, 0, 16)).unwrap();
        let once = acc.evaluate().unwrap();
        assert_eq!(acc.evaluate().unwrap(), once);
        let state = acc.state().unwrap();
        let mut merged = ProfileAccumulator(groups());
        merged.merge_batch(&[state[0].to_array().unwrap()]).unwrap();
        assert_eq!(merged.evaluate().unwrap(), once);
        assert_eq!(
            ScalarValue::try_from_array(&expected, 0).unwrap(),
            once,
            "group 0 alone"
        );
    }

    #[test]
    fn bad_states_are_named_errors() {
        let merge = |array: ArrayRef| {
            let mut g = groups();
            g.merge_batch(&[array], &[0], 1).unwrap_err().to_string()
        };
        let mut b = LargeBinaryBuilder::new();
        b.append_value(b"garbage");
        assert!(
            merge(Arc::new(b.finish()))
                .contains("'company_journey': corrupt journey state: truncated events"),
        );
        let wrong = Arc::new(StringArray::from(vec!["x"]));
        assert!(merge(wrong).contains("'company_journey': expected a LargeBinary state, got Utf8"));

        // one company's states with two as_of values
        let (values, g) = rows(0);
        let mut states = Vec::new();
        for shift in [0, DAY] {
            let mut v = values.clone();
            v[5] = Arc::new(
                TimestampMicrosecondArray::from(vec![AS_OF + shift; g.len()]).with_timezone("UTC"),
            );
            let mut partial = groups();
            partial
                .update_batch(&v, &vec![0; g.len()], None, 1)
                .unwrap();
            states.push(partial.state(EmitTo::All).unwrap());
        }
        let mut last = groups();
        last.merge_batch(&states[0], &[0], 1).unwrap();
        let err = last
            .merge_batch(&states[1], &[0], 1)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("as_of must be the same for every row of a group"),
            "{err}"
        );

        // rows of two groups with their own as_of are fine, until one group
        // gets a second as_of (after rows with one as_of only)
        let batch = |as_of: i64| {
            let mut v = slice(&values, 0, 1);
            v[5] = Arc::new(TimestampMicrosecondArray::from(vec![as_of]).with_timezone("UTC"));
            v
        };
        let mut one = groups();
        for _ in 0..3 {
            one.update_batch(&batch(AS_OF), &[0], None, 1).unwrap();
        }
        one.update_batch(&batch(AS_OF + DAY), &[1], None, 2)
            .unwrap();
        one.update_batch(&batch(AS_OF), &[0], None, 2).unwrap();
        let err = one
            .update_batch(&batch(AS_OF + DAY), &[0], None, 2)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("as_of must be the same for every row of a group"),
            "{err}"
        );
        // the first as_of again, for the group that had the second one
        let mut two = groups();
        two.update_batch(&batch(AS_OF), &[0], None, 1).unwrap();
        two.update_batch(&batch(AS_OF + DAY), &[1], None, 2)
            .unwrap();
        let err = two
            .update_batch(&batch(AS_OF), &[1], None, 2)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("as_of must be the same for every row of a group"),
            "{err}"
        );
    }
}
