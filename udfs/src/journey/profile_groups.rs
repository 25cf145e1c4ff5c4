//! The accumulator behind `activity_tiers`, `journey_stage`, `lead_score`,
//! `active_installs` and `company_journey`.
//!
//! Rows are collected as 24-byte [`PackedEvent`]s with their group. A
//! partial stage ships each group's events as bytes; the final stage (or a
//! single-stage plan) sorts its events by group and replays each group
//! into one reused [`Profile`], whose facts give the output row. One
//! profile in cache at a time replaces 100,000 live ones, and the state is
//! a copy of rows rather than a profile to encode, decode and merge.

use super::events::{for_each_event, mixed_as_of};
use super::output::Output;
use arrow::array::{Array, ArrayRef, AsArray, BinaryBuilder, BooleanArray};
use datafusion::common::{Result, ScalarValue, exec_datafusion_err, exec_err};
use datafusion::logical_expr::{Accumulator, EmitTo, GroupsAccumulator};
use foldhash::HashMap;
use leadlake_funnel::packed::{NO_VERSION, PackedEvent, decode_events, encode_events, version_key};
use leadlake_funnel::page_class::ClassCache;
use leadlake_funnel::version::VersionText;
use leadlake_funnel::{Facts, Funnel, Kind, Profile};
use std::sync::Arc;

/// The version texts seen, each parsed once, by key.
#[derive(Default)]
struct Versions(HashMap<u64, Arc<VersionText>>);

impl Versions {
    #[inline]
    fn key(&mut self, text: &str) -> u64 {
        let key = version_key(text);
        self.0.entry(key).or_insert_with(|| VersionText::new(text));
        key
    }

    /// The version a packed download names (`Ok(None)` without one).
    #[inline]
    fn of(&self, name: &str, e: &PackedEvent) -> Result<Option<&Arc<VersionText>>> {
        match e.key() {
            NO_VERSION => Ok(None),
            key => match self.0.get(&key) {
                Some(v) => Ok(Some(v)),
                None => exec_err!("'{name}': corrupt journey state: unknown version key {key}"),
            },
        }
    }
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
    versions: Versions,
    classes: ClassCache,
    /// `events` sorted by group, and where each group starts in it (kept:
    /// no fresh pages at each emit).
    sorted: Vec<PackedEvent>,
    starts: Vec<u32>,
    /// The profile each group is replayed into, in turn.
    profile: Profile,
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
            versions: Versions::default(),
            classes: ClassCache::default(),
            sorted: Vec::new(),
            starts: Vec::new(),
            profile: Profile::new(0),
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
        for_each_event(
            f,
            values,
            &self.funnel,
            &mut self.classes,
            filter,
            |row, as_of, e| {
                let g = groups[row];
                Self::set_as_of(f, as_ofs, g, as_of)?;
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
        let Some(states) = values.first() else {
            return exec_err!("'{}': no state to merge", self.name);
        };
        let states = states.as_binary::<i32>();
        self.resize(total);
        let name = self.name;
        for (row, &g) in groups.iter().enumerate() {
            if states.is_null(row) {
                continue;
            }
            let (versions, out_groups, events) =
                (&mut self.versions.0, &mut self.groups, &mut self.events);
            let as_of = decode_events(
                states.value(row),
                |key, text| {
                    versions
                        .entry(key)
                        .or_insert_with(|| VersionText::new(text));
                },
                |e| {
                    out_groups.push(g as u32);
                    events.push(e);
                },
            )
            .map_err(|e| exec_datafusion_err!("'{name}': {e}"))?;
            Self::set_as_of(name, &mut self.as_ofs, g, as_of)?;
        }
        Ok(())
    }

    /// Sort the collected events by group (a counting sort) into
    /// `sorted`/`starts`; keep collected those of groups `emit_to` does not
    /// take (renumbered from 0), and return the as_of of those it takes.
    fn take_sorted(&mut self, emit_to: EmitTo) -> Vec<i64> {
        let total = self.as_ofs.len();
        let starts = &mut self.starts;
        starts.clear();
        starts.resize(total + 1, 0);
        for &g in &self.groups {
            starts[g as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let sorted = &mut self.sorted;
        sorted.clear();
        sorted.resize(self.events.len(), PackedEvent::default());
        let mut next = starts[..total].to_vec();
        for (&g, e) in self.groups.iter().zip(&self.events) {
            let slot = &mut next[g as usize];
            sorted[*slot as usize] = *e;
            *slot += 1;
        }
        self.groups.clear();
        self.events.clear();
        let as_ofs = emit_to.take_needed(&mut self.as_ofs);
        let taken = as_ofs.len();
        for g in taken..total {
            let rows = &sorted[starts[g] as usize..starts[g + 1] as usize];
            self.groups
                .extend(std::iter::repeat_n((g - taken) as u32, rows.len()));
            self.events.extend_from_slice(rows);
        }
        as_ofs
    }

    /// The facts of one group's events (`None` without any).
    fn facts(
        name: &str,
        funnel: &Funnel,
        versions: &Versions,
        profile: &mut Profile,
        as_of: i64,
        rows: &[PackedEvent],
    ) -> Result<Option<Facts>> {
        if rows.is_empty() {
            return Ok(None);
        }
        profile.reset(as_of);
        for p in rows {
            let e = p
                .event()
                .map_err(|e| exec_datafusion_err!("'{name}': {e}"))?;
            let version = match e.kind {
                Kind::Download => versions.of(name, p)?,
                _ => None,
            };
            profile.add_shared(funnel, &e, version);
        }
        Ok(Facts::of(funnel, profile))
    }

    /// One group's state: its events as bytes.
    fn encode(
        versions: &Versions,
        keys: &mut Vec<u64>,
        as_of: i64,
        rows: &[PackedEvent],
        out: &mut Vec<u8>,
    ) {
        keys.clear();
        for e in rows {
            if e.kind() == Kind::Download && e.key() != NO_VERSION && !keys.contains(&e.key()) {
                keys.push(e.key());
            }
        }
        let texts = keys
            .iter()
            .filter_map(|k| versions.0.get(k).map(|v| (*k, &*v.text)));
        let texts: Vec<(u64, &str)> = texts.collect();
        encode_events(out, as_of, texts.into_iter(), rows);
    }

    /// The state column of groups `0..as_ofs.len()`, whose events are in
    /// `sorted` at `starts`.
    fn state_array(&self, as_ofs: &[i64]) -> ArrayRef {
        let bytes = self.starts.get(as_ofs.len()).map_or(0, |s| *s as usize) * 24;
        let mut b = BinaryBuilder::with_capacity(as_ofs.len(), bytes + as_ofs.len() * 64);
        let (mut buf, mut keys) = (Vec::new(), Vec::new());
        for (g, as_of) in as_ofs.iter().enumerate() {
            let rows = &self.sorted[self.starts[g] as usize..self.starts[g + 1] as usize];
            if rows.is_empty() {
                b.append_null();
                continue;
            }
            buf.clear();
            Self::encode(&self.versions, &mut keys, *as_of, rows, &mut buf);
            b.append_value(&buf);
        }
        Arc::new(b.finish())
    }

    /// The output column of groups `0..as_ofs.len()`, whose events are in
    /// `sorted` at `starts`.
    fn output_array(&mut self, as_ofs: &[i64]) -> Result<ArrayRef> {
        let mut facts = Vec::with_capacity(as_ofs.len());
        for (g, as_of) in as_ofs.iter().enumerate() {
            let rows = &self.sorted[self.starts[g] as usize..self.starts[g + 1] as usize];
            facts.push(Self::facts(
                self.name,
                &self.funnel,
                &self.versions,
                &mut self.profile,
                *as_of,
                rows,
            )?);
        }
        self.output.build(&self.funnel, &facts)
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
        self.output_array(&as_ofs)
    }

    fn state(&mut self, emit_to: EmitTo) -> Result<Vec<ArrayRef>> {
        let as_ofs = self.take_sorted(emit_to);
        Ok(vec![self.state_array(&as_ofs)])
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
            + self.versions.0.len() * 100
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
        let facts = ProfileGroups::facts(
            g.name,
            &g.funnel,
            &g.versions,
            &mut g.profile,
            g.as_ofs[0],
            &g.events,
        )?;
        let array = g.output.build(&g.funnel, &[facts])?;
        ScalarValue::try_from_array(&array, 0)
    }

    fn size(&self) -> usize {
        self.0.size()
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let g = &mut self.0;
        g.resize(1);
        if g.events.is_empty() {
            return Ok(vec![ScalarValue::Binary(None)]);
        }
        let mut bytes = Vec::new();
        ProfileGroups::encode(
            &g.versions,
            &mut Vec::new(),
            g.as_ofs[0],
            &g.events,
            &mut bytes,
        );
        Ok(vec![ScalarValue::Binary(Some(bytes))])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let n = states.first().map_or(0, |a| a.len());
        self.0.merge(states, &vec![0; n], 1)
    }
}
