//! Putting the collected events and merged chunks of
//! [`PackedEventGroups`] in group order: a counting sort, then each group's
//! own events and the event bytes of its merged chunks, read in place.

use super::{PackedEventGroups, chunk_rows};
use datafusion::logical_expr::EmitTo;
use leadlake_funnel::packed::{PACKED_BYTES, PackedEvent, read_rows};

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

impl PackedEventGroups {
    /// Sort the collected events and merged chunks by group; keep those
    /// of groups `emit_to` does not take (renumbered from 0), and return
    /// the as_of of the groups it takes.
    pub(super) fn take_sorted(&mut self, emit_to: EmitTo) -> Vec<i64> {
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
                self.groups
                    .extend(std::iter::repeat_n(g, rows.len() / PACKED_BYTES));
                self.events.extend(read_rows(rows));
            }
            self.chunks.clear();
            self.chunk_groups.clear();
        }
        as_ofs
    }

    /// Group `g`'s events after [`take_sorted`](Self::take_sorted): its
    /// own, and the event bytes of its merged chunks (`None` without any).
    pub(super) fn sorted_rows(&self, g: usize) -> Option<(&[PackedEvent], Vec<&[u8]>)> {
        let own = &self.sorted[self.starts[g] as usize..self.starts[g + 1] as usize];
        let chunks =
            &self.sorted_chunks[self.chunk_starts[g] as usize..self.chunk_starts[g + 1] as usize];
        if own.is_empty() && chunks.is_empty() {
            return None;
        }
        let merged = &self.merged;
        Some((own, chunks.iter().map(|c| chunk_rows(merged, c)).collect()))
    }

    /// Group 0's own events and merged chunks (the plain accumulator).
    pub(super) fn single(&self) -> Option<(&[PackedEvent], Vec<&[u8]>)> {
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
