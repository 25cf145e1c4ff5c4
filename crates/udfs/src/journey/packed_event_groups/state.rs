//! The state [`PackedEventGroups`] ships: per group a header (`as_of` and
//! the version texts its downloads name) and its events, in the layout of
//! [`leadlake_funnel::packed`]. A partial stage writes each event
//! straight to its place, freeing the collected events as it goes; when it
//! knows few versions, one head names them all for every group.

use super::PackedEventGroups;
use arrow::array::{ArrayRef, LargeBinaryArray};
use arrow::buffer::{NullBuffer, OffsetBuffer};
use datafusion::logical_expr::EmitTo;
use leadlake_funnel::Kind;
use leadlake_funnel::packed::{
    NO_VERSION, PACKED_BYTES, PackedEvent, VersionTable, encode_header, encode_rows, header_len,
    read_rows, set_header_as_of,
};
use std::sync::Arc;

/// Up to this many distinct versions, a partial stage may write all their
/// texts in every group's state (see `partial_state`)...
pub(super) const SHARED_VERSIONS: usize = 32;
/// ...when those heads add at most a quarter to the bytes of the events.
const SHARED_HEAD_SHARE: usize = 4;

impl PackedEventGroups {
    /// One group's state: its events as bytes, appended to `out`.
    pub(super) fn encode(
        versions: &VersionTable,
        keys: &mut Vec<u64>,
        as_of: i64,
        own: &[PackedEvent],
        chunks: &[&[u8]],
        out: &mut Vec<u8>,
    ) {
        Self::encode_head(versions, keys, as_of, (own, chunks), out);
        encode_rows(out, own);
        for rows in chunks {
            out.extend_from_slice(rows);
        }
    }

    /// The head of one group's state: its `as_of` and the texts of the
    /// versions its downloads (its own events and merged chunks) name, in
    /// the order they first appear.
    fn encode_head(
        versions: &VersionTable,
        keys: &mut Vec<u64>,
        as_of: i64,
        (own, chunks): (&[PackedEvent], &[&[u8]]),
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
    }

    /// The state column of groups `0..as_ofs.len()`, sorted by
    /// [`take_sorted`](Self::take_sorted).
    pub(super) fn state_array(&self, as_ofs: &[i64]) -> ArrayRef {
        let n = as_ofs.len();
        let events = self.starts.get(n).map_or(0, |s| *s as usize);
        let mut values = Vec::with_capacity(events * PACKED_BYTES + n * 64);
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

    /// Whether one head naming every version known may serve every
    /// group of [`partial_state`](Self::partial_state): few versions, and
    /// companies with enough events that such a head stays small beside
    /// them.
    pub(super) fn shared_head_pays(&self) -> bool {
        if self.versions.len() > SHARED_VERSIONS {
            return false;
        }
        let head = header_len(self.versions.iter());
        head * self.as_ofs.len() * SHARED_HEAD_SHARE <= self.events.len() * PACKED_BYTES
    }

    /// The state of a stage that merged nothing (a partial stage). The
    /// collected events are put in group order in place (no sorted copy),
    /// then the column is written from its last group back while the
    /// events written are freed, so the emit holds about one copy of the
    /// events rather than two or three. Each group's head names the
    /// versions its downloads name, or every version known when that pays
    /// ([`shared_head_pays`](Self::shared_head_pays)). Within a group the
    /// events may come in another order than they arrived: a replay does
    /// not depend on it (states from several partitions merge in any
    /// order).
    pub(super) fn partial_state(&mut self, emit_to: EmitTo) -> ArrayRef {
        let total = self.as_ofs.len();
        let n = match emit_to {
            EmitTo::All => total,
            EmitTo::First(n) => n.min(total),
        };
        let shared = self.shared_head_pays();
        // groups 0..n, then one bucket for the groups this emit leaves
        let starts = sort_in_place(&mut self.groups, &mut self.events, n);
        let (mut groups, mut events) = (
            self.groups.split_off(starts[n] as usize),
            self.events.split_off(starts[n] as usize),
        );
        groups.iter_mut().for_each(|g| *g -= n as u32);
        let as_ofs = emit_to.take_needed(&mut self.as_ofs);
        let own = |g: usize| starts[g] as usize..starts[g + 1] as usize;
        // every head, one after another, and where each starts
        let mut heads = Vec::new();
        let mut head_at = Vec::with_capacity(n + 1);
        if shared {
            encode_header(&mut heads, 0, self.versions.iter());
        } else {
            let mut keys = Vec::new();
            for (g, &as_of) in as_ofs.iter().enumerate() {
                head_at.push(heads.len());
                let rows = &self.events[own(g)];
                if !rows.is_empty() {
                    Self::encode_head(&self.versions, &mut keys, as_of, (rows, &[]), &mut heads);
                }
            }
            head_at.push(heads.len());
        }
        let head = |g: usize| -> &[u8] {
            if shared {
                &heads
            } else {
                &heads[head_at[g]..head_at[g + 1]]
            }
        };
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0i64);
        let mut end = 0usize;
        for g in 0..n {
            let count = own(g).len();
            if count > 0 {
                end += head(g).len() + count * PACKED_BYTES;
            }
            offsets.push(end as i64);
        }
        // zeroed pages are only backed once written: writing from the end
        // and freeing the events behind keeps one copy resident
        let mut values = vec![0u8; end];
        let mut freed_at = self.events.len();
        for g in (0..n).rev() {
            let rows = own(g);
            if rows.is_empty() {
                continue;
            }
            let mut at = offsets[g] as usize;
            let h = head(g);
            values[at..at + h.len()].copy_from_slice(h);
            set_header_as_of(&mut values[at..], as_ofs[g]);
            at += h.len();
            for e in &self.events[rows.clone()] {
                e.write_to(&mut values[at..at + PACKED_BYTES]);
                at += PACKED_BYTES;
            }
            if freed_at - rows.start >= FREE_EVERY {
                freed_at = rows.start;
                self.events.truncate(freed_at);
                self.groups.truncate(freed_at);
                self.events.shrink_to_fit();
                self.groups.shrink_to_fit();
            }
        }
        std::mem::swap(&mut self.groups, &mut groups);
        std::mem::swap(&mut self.events, &mut events);
        let valid = (0..n).map(|g| !own(g).is_empty()).collect::<Vec<bool>>();
        Arc::new(LargeBinaryArray::new(
            OffsetBuffer::new(offsets.into()),
            values.into(),
            Some(NullBuffer::from(valid)),
        ))
    }
}

/// Put `items` (and their `groups`) in group order in place, groups from
/// `n` on in one last bucket (an American flag sort: a count, then every
/// item swapped straight to its bucket). Returns where each bucket starts,
/// and the end: `n + 2` offsets.
fn sort_in_place<T>(groups: &mut [u32], items: &mut [T], n: usize) -> Vec<u32> {
    let bucket = |g: u32| (g as usize).min(n);
    let mut starts = vec![0u32; n + 2];
    for &g in groups.iter() {
        starts[bucket(g) + 1] += 1;
    }
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    let mut next = starts[..=n].to_vec();
    for b in 0..=n {
        let end = starts[b + 1];
        while next[b] < end {
            let i = next[b] as usize;
            let t = bucket(groups[i]);
            if t == b {
                next[b] += 1;
            } else {
                // the item at i goes to bucket t's next free place
                let j = next[t] as usize;
                groups.swap(i, j);
                items.swap(i, j);
                next[t] += 1;
            }
        }
    }
    starts
}

/// [`PackedEventGroups::partial_state`] frees the events it has written
/// about this often (a shrink of a large vector gives its tail pages
/// back). (A few events in tests, so that they cross it.)
const FREE_EVERY: usize = if cfg!(test) { 3 } else { 1 << 20 };

#[cfg(test)]
mod tests {
    use super::super::test_rows::{groups, rows, slice};
    use super::*;
    use arrow::array::{Array, AsArray};
    use datafusion::logical_expr::GroupsAccumulator;
    use leadlake_funnel::packed::decode_header;

    #[test]
    fn partial_states_merged_answer_as_one_stage_does() {
        // few versions (every head names them all) and many (each head
        // names its own)
        for extra_versions in [0, SHARED_VERSIONS + 1] {
            round_trips(extra_versions);
        }
    }

    proptest::proptest! {
        /// Any groups and any cut: the items end up in their buckets
        /// (groups below the cut by group, the rest last), each item
        /// still with its group, none lost or made up.
        #[test]
        fn a_sort_in_place_puts_every_item_in_its_bucket(
            groups in proptest::collection::vec(0u32..12, 0..200),
            n in 0usize..14,
        ) {
            let mut g = groups.clone();
            let mut items: Vec<(u32, usize)> = groups.iter().copied().zip(0..).collect();
            let starts = sort_in_place(&mut g, &mut items, n);
            proptest::prop_assert_eq!(starts.len(), n + 2);
            proptest::prop_assert_eq!(starts[n + 1] as usize, groups.len());
            for b in 0..=n {
                for i in starts[b] as usize..starts[b + 1] as usize {
                    proptest::prop_assert_eq!((g[i] as usize).min(n), b);
                    proptest::prop_assert_eq!(items[i].0, g[i]);
                }
            }
            let mut seen: Vec<usize> = items.iter().map(|i| i.1).collect();
            seen.sort_unstable();
            proptest::prop_assert_eq!(seen, (0..groups.len()).collect::<Vec<_>>());
        }
    }

    /// What a group's state says: its as_of, the versions its head names
    /// and its events (each sorted).
    type Said = Option<(i64, Vec<(u64, String)>, Vec<u8>)>;

    /// What `state` says of `group` (`None`: the group has no events).
    fn said(state: &ArrayRef, group: usize) -> Said {
        if state.is_null(group) {
            return None;
        }
        let mut versions = Vec::new();
        let bytes = state.as_binary::<i64>().value(group);
        let (as_of, rows) = decode_header(bytes, |k, t| versions.push((k, t.to_string()))).unwrap();
        versions.sort();
        // events in any order within the group
        let mut events: Vec<&[u8]> = rows.chunks(PACKED_BYTES).collect();
        events.sort();
        Some((as_of, versions, events.concat()))
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
        // a partial state written in place: emitted in two parts, what
        // emitting it at once says; with a head per group, what the sorted
        // path says
        let mut per_group_heads = 0;
        for (half, (from, to)) in [(0, half), (half, g.len())].into_iter().enumerate() {
            let partial = || {
                let mut p = groups();
                p.update_batch(&slice(&values, from, to), &g[from..to], None, 4)
                    .unwrap();
                p
            };
            let whole = &states[half][0];
            let mut split = partial();
            let mut parts = split.state(EmitTo::First(1)).unwrap();
            parts.extend(split.state(EmitTo::All).unwrap());
            for (at, part) in [(0, &parts[0]), (1, &parts[1])] {
                for row in 0..part.len() {
                    // a shared head lists the versions in its table's
                    // order, which differs between accumulators: compare
                    // what it says
                    assert_eq!(said(part, row), said(whole, at + row), "group {}", at + row);
                }
            }
            let mut sorted = partial();
            if !sorted.shared_head_pays() {
                per_group_heads += 1;
                let as_ofs = sorted.take_sorted(EmitTo::All);
                let sorted = sorted.state_array(&as_ofs);
                for row in 0..sorted.len() {
                    assert_eq!(said(whole, row), said(&sorted, row), "in place = sorted");
                }
            }
        }
        assert_eq!(per_group_heads > 0, extra_versions > 0);
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
    }
}
