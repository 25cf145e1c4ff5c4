//! The accumulator behind `activity_tiers`, `journey_stage`, `lead_score`,
//! `active_installs` and `company_journey`: [`PackedEventGroups`], the
//! packed events of every group.
//!
//! Rows are collected as 24-byte [`PackedEvent`]s with their group. A
//! partial stage ships each group's events as bytes. The final stage keeps
//! the merged states and indexes each group's events in them; at evaluate
//! it sorts its own events and those indexes by group (a single-stage plan
//! has only its own) and replays each group into one reused
//! [`Profile`](leadlake_funnel::Profile), whose summary gives the output
//! row. One profile in cache at a time replaces 100,000 live ones, and the
//! state is a copy of rows rather than a profile to encode, decode and
//! merge.
//!
//! This module holds the collected events and how rows and states come
//! in; `by_group` puts them in group order, `replay` turns a group into
//! its output row, `state` writes the bytes a stage ships, and
//! `accumulator` serves a single group.

mod accumulator;
mod by_group;
mod replay;
mod state;
#[cfg(test)]
mod test_rows;

pub(crate) use accumulator::PackedEventAccumulator;

use super::events::{for_each_event, mixed_as_of};
use super::output::Output;
use crate::args::duration_expr;
use arrow::array::{Array, ArrayRef, AsArray, BooleanArray};
use datafusion::common::{Result, exec_datafusion_err, exec_err};
use datafusion::logical_expr::function::AccumulatorArgs;
use datafusion::logical_expr::{EmitTo, GroupsAccumulator};
use leadlake_funnel::days::DAY_US;
use leadlake_funnel::packed::{PackedEvent, VersionTable, decode_header};
use leadlake_funnel::page_class::ClassCache;
use leadlake_funnel::{Funnel, Kind, Profile};
use std::sync::Arc;

/// Where a merged state keeps one group's events: `merged[state]`, row
/// `row`, from byte `rows_at` on.
#[derive(Clone, Copy, Default)]
struct Chunk {
    state: u32,
    row: u32,
    rows_at: u32,
}

/// The event bytes of a merged chunk.
fn chunk_rows<'a>(merged: &'a [ArrayRef], c: &Chunk) -> &'a [u8] {
    let states = merged[c.state as usize].as_binary::<i64>();
    &states.value(c.row as usize)[c.rows_at as usize..]
}

/// The packed events of every group: collected from rows, and read in
/// place from merged states.
pub(crate) struct PackedEventGroups {
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
    /// The timeline's step, when the output has one.
    step: i64,
    /// One group's events, gathered to sort them for its timeline.
    scratch: Vec<PackedEvent>,
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

impl PackedEventGroups {
    pub(crate) fn new(name: &'static str, funnel: Arc<Funnel>, output: Output) -> Self {
        let versions = VersionTable::new();
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
            versions,
            classes: ClassCache::default(),
            sorted: Vec::new(),
            starts: Vec::new(),
            sorted_chunks: Vec::new(),
            chunk_starts: Vec::new(),
            profile: Profile::new(0),
            one_as_of: OneAsOf::NoneYet,
            step: 7 * DAY_US,
            scratch: Vec::new(),
        }
    }

    /// The accumulator of one call of `name`, whose plain output is
    /// `output`: the output its argument count makes of that, and the
    /// timeline's step (a constant interval or number of days; 7 days when
    /// NULL or absent) when it has a timeline.
    pub(crate) fn for_call(
        name: &'static str,
        funnel: Arc<Funnel>,
        output: Output,
        args: &AccumulatorArgs,
    ) -> Result<Self> {
        let output = output.for_args(args.exprs.len());
        let mut groups = Self::new(name, funnel, output);
        if output.wants_timeline()
            && let Some(step) =
                duration_expr(name, "step", args.exprs.get(output.step_arg()), DAY_US)?
        {
            groups.step = step;
        }
        Ok(groups)
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
}

impl GroupsAccumulator for PackedEventGroups {
    fn update_batch(
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
            values.get(self.output.package_arg()),
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
                    Kind::Download => e.version.map(|v| versions.key(v, e.scheme)),
                    _ => None,
                };
                out_groups.push(g as u32);
                events.push(PackedEvent::new(e, version));
                Ok(())
            },
        )
    }

    fn evaluate(&mut self, emit_to: EmitTo) -> Result<ArrayRef> {
        let as_ofs = self.take_sorted(emit_to);
        let out = self.output_array(&as_ofs);
        self.release();
        out
    }

    fn state(&mut self, emit_to: EmitTo) -> Result<Vec<ArrayRef>> {
        let state = if self.chunks.is_empty() {
            self.partial_state(emit_to)
        } else {
            let as_ofs = self.take_sorted(emit_to);
            self.state_array(&as_ofs)
        };
        self.release();
        Ok(vec![state])
    }

    fn merge_batch(&mut self, values: &[ArrayRef], groups: &[usize], total: usize) -> Result<()> {
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

    fn convert_to_state(
        &self,
        values: &[ArrayRef],
        opt_filter: Option<&BooleanArray>,
    ) -> Result<Vec<ArrayRef>> {
        // each row its own group (DataFusion asks for this when partial
        // aggregation does not reduce the rows enough, and then merges
        // these states as it does `state`'s)
        let n = values.first().map_or(0, |a| a.len());
        let mut one = PackedEventGroups::new(self.name, Arc::clone(&self.funnel), self.output);
        one.step = self.step;
        let rows: Vec<usize> = (0..n).collect();
        one.update_batch(values, &rows, opt_filter, n)?;
        one.state(EmitTo::All)
    }

    fn size(&self) -> usize {
        // the version texts count about 100 bytes each with their parse.
        // Collected events count four times: a partial stage emits them
        // as state bytes while it still holds them, and the final stage
        // that takes the batch in reserves twice what it holds (for its
        // sort if it spills), from a share of a fair pool no larger than
        // the partial stage's. Counted once, a partial stage emitted
        // batches the final stage could not take in, and small memory
        // limits failed (issue 17).
        self.as_ofs.capacity() * 8
            + self.groups.capacity() * 4
            + (self.events.capacity() + 3 * self.events.len() + self.sorted.capacity())
                * size_of::<PackedEvent>()
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

#[cfg(test)]
mod tests {
    use super::test_rows::{AS_OF, DAY, groups, rows, slice};
    use super::*;
    use arrow::array::{LargeBinaryBuilder, StringArray, TimestampMicrosecondArray};

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

    /// Each row its own group, as DataFusion asks when it skips partial
    /// aggregation: merged by group, the rows answer as one stage does,
    /// and filtered-out rows (and rows without a counted event) are NULL.
    #[test]
    fn rows_converted_to_states_merge_to_one_stage_answer() {
        let (values, g) = rows(0);
        let keep = BooleanArray::from((0..g.len()).map(|i| i % 5 != 0).collect::<Vec<_>>());
        let mut one = groups();
        one.update_batch(&values, &g, Some(&keep), 4).unwrap();
        let expected = one.evaluate(EmitTo::All).unwrap();

        let states = groups().convert_to_state(&values, Some(&keep)).unwrap();
        assert_eq!(states[0].len(), g.len());
        assert!((0..g.len()).step_by(5).all(|i| states[0].is_null(i)));
        let mut last = groups();
        last.merge_batch(&states, &g, 4).unwrap();
        assert_eq!(
            last.evaluate(EmitTo::All).unwrap().as_ref(),
            expected.as_ref()
        );
    }
}
