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

    /// The state of a stage that merged nothing (a partial stage): each
    /// event is written straight to its place in the column, with no
    /// sorted copy, and the collected events are freed as they are
    /// written, so the emit holds about one copy of them rather than
    /// three. Each group's head names the versions its downloads name (in
    /// the order they first appear), or every version known when that
    /// pays ([`shared_head_pays`](Self::shared_head_pays)); the bytes are
    /// those of [`state_array`](Self::state_array) either way.
    pub(super) fn partial_state(&mut self, emit_to: EmitTo) -> ArrayRef {
        let total = self.as_ofs.len();
        let n = match emit_to {
            EmitTo::All => total,
            EmitTo::First(n) => n.min(total),
        };
        let shared = self.shared_head_pays();
        let counts = &mut self.starts;
        counts.clear();
        counts.resize(n, 0);
        // per group (without a shared head), the version keys it names
        let mut names: Vec<Vec<u64>> = vec![Vec::new(); if shared { 0 } else { n }];
        for (&g, e) in self.groups.iter().zip(&self.events) {
            let g = g as usize;
            if g >= n {
                continue;
            }
            counts[g] += 1;
            if !shared && e.kind() == Kind::Download && e.key() != NO_VERSION {
                let keys = &mut names[g];
                if !keys.contains(&e.key()) {
                    keys.push(e.key());
                }
            }
        }
        let as_ofs = emit_to.take_needed(&mut self.as_ofs);
        // every head, one after another, and where each starts
        let mut heads = Vec::new();
        let mut head_at = Vec::with_capacity(n + 1);
        if shared {
            encode_header(&mut heads, 0, self.versions.iter());
        } else {
            let versions = &self.versions;
            for g in 0..n {
                head_at.push(heads.len());
                if counts[g] > 0 {
                    let texts: Vec<(u64, &str)> = names[g]
                        .iter()
                        .filter_map(|k| versions.get(*k).map(|v| (*k, &*v.text)))
                        .collect();
                    encode_header(&mut heads, as_ofs[g], texts.into_iter());
                }
            }
            head_at.push(heads.len());
        }
        drop(names);
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
        for (g, &c) in counts.iter().enumerate() {
            if c > 0 {
                end += head(g).len() + c as usize * PACKED_BYTES;
            }
            offsets.push(end as i64);
        }
        let mut values = vec![0u8; end];
        for g in 0..n {
            if counts[g] > 0 {
                let at = offsets[g] as usize;
                let h = head(g);
                values[at..at + h.len()].copy_from_slice(h);
                set_header_as_of(&mut values[at..], as_ofs[g]);
            }
        }
        // each event at its group's cursor, from the last event back (the
        // cursors from each group's end), so the events written can be
        // freed as the column fills
        let mut cursor: Vec<usize> = offsets[1..].iter().map(|o| *o as usize).collect();
        let (mut kept_groups, mut kept) = (Vec::new(), Vec::new());
        let mut i = self.events.len();
        while i > 0 {
            let from = i.saturating_sub(FREE_EVERY);
            for (&g, e) in self.groups[from..i].iter().zip(&self.events[from..i]).rev() {
                let g = g as usize;
                if g < n {
                    let at = cursor[g] - PACKED_BYTES;
                    e.write_to(&mut values[at..at + PACKED_BYTES]);
                    cursor[g] = at;
                } else {
                    kept_groups.push((g - n) as u32);
                    kept.push(*e);
                }
            }
            i = from;
            self.events.truncate(i);
            self.groups.truncate(i);
            self.events.shrink_to_fit();
            self.groups.shrink_to_fit();
        }
        kept_groups.reverse();
        kept.reverse();
        self.groups = kept_groups;
        self.events = kept;
        let valid = counts.iter().map(|c| *c > 0).collect::<Vec<bool>>();
        Arc::new(LargeBinaryArray::new(
            OffsetBuffer::new(offsets.into()),
            values.into(),
            Some(NullBuffer::from(valid)),
        ))
    }
}

/// [`PackedEventGroups::partial_state`] frees the events it has written
/// this often (a shrink of a large vector gives its tail pages back).
/// (A few events in tests, so that they cross it.)
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

    /// What a group's state says: its as_of, the versions its head names
    /// (sorted) and its event bytes.
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
        Some((as_of, versions, rows.to_vec()))
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
        // emitting it at once says; with a head per group, the bytes of the
        // sorted path
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
                assert!(whole.as_ref() == sorted.as_ref(), "in place = sorted");
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
