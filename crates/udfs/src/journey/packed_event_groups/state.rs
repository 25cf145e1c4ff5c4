//! The state [`PackedEventGroups`] ships: per group a header (`as_of` and
//! the version texts its downloads name) and its events, in the layout of
//! [`leadlake_funnel::packed`]. A partial stage that knows few versions
//! writes one header for all and each event straight to its place.

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

    /// Whether [`partial_state`](Self::partial_state) fits: no merged
    /// chunks, few versions, and companies with enough events that one
    /// head naming every version stays small beside them.
    pub(super) fn shared_head_pays(&self) -> bool {
        if !self.chunks.is_empty() || self.versions.len() > SHARED_VERSIONS {
            return false;
        }
        let head = header_len(self.versions.iter());
        head * self.as_ofs.len() * SHARED_HEAD_SHARE <= self.events.len() * PACKED_BYTES
    }

    /// The state of a partial stage that knows few versions: every
    /// group's head names all of them, so every head has one size and
    /// each event is written straight to its place in the column (no
    /// sorted copy, no second pass per group).
    pub(super) fn partial_state(&mut self, emit_to: EmitTo) -> ArrayRef {
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
                end += head + c as usize * PACKED_BYTES;
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
                set_header_as_of(&mut values[at..], as_ofs[g]);
                cursor[g] += head;
            }
        }
        let (mut kept_groups, mut kept) = (Vec::new(), Vec::new());
        for (&g, e) in self.groups.iter().zip(&self.events) {
            let g = g as usize;
            if g < n {
                let at = cursor[g];
                e.write_to(&mut values[at..at + PACKED_BYTES]);
                cursor[g] = at + PACKED_BYTES;
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
}

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
    }
}
