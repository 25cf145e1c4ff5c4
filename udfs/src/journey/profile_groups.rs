//! The accumulator behind `activity_tiers`, `journey_stage`, `lead_score`
//! and `active_installs`: one [`Profile`] per group, built row by row,
//! shipped between partial and final aggregation as bytes.

use super::events::{for_each_event, mixed_as_of};
use super::output::Output;
use arrow::array::{Array, ArrayRef, AsArray, BinaryBuilder, BooleanArray};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::{Accumulator, EmitTo, GroupsAccumulator};
use foldhash::HashMap;
use leadlake_funnel::page_class::ClassCache;
use leadlake_funnel::version::VersionText;
use leadlake_funnel::{Event, Funnel, Kind, PageClass, Profile};
use std::sync::Arc;

/// One counted row waiting to be applied to its group's profile.
#[derive(Clone, Copy)]
struct Pending {
    group: u32,
    kind: Kind,
    class: Option<PageClass>,
    ts: i64,
    /// a view's page hash, a download's version id (32 bytes a row)
    detail: u64,
    source: u64,
}

const _: () = assert!(std::mem::size_of::<Pending>() == 32);

const NO_VERSION: u64 = u32::MAX as u64;

/// Rows are buffered and applied group by group, so each profile is
/// touched once per flush instead of once per row (random access into
/// 100,000 profiles is what made the row-at-a-time loop slow).
const FLUSH_ROWS: usize = 1 << 20;

/// The version texts seen, each parsed once and shared by every profile.
#[derive(Default)]
struct Versions {
    all: Vec<Arc<VersionText>>,
    ids: HashMap<Box<str>, u32>,
}

impl Versions {
    #[inline]
    fn id(&mut self, text: &str) -> u32 {
        if let Some(id) = self.ids.get(text) {
            return *id;
        }
        let id = self.all.len() as u32;
        self.all.push(VersionText::new(text));
        self.ids.insert(text.into(), id);
        id
    }

    fn shared(&mut self, text: &str) -> Arc<VersionText> {
        let id = self.id(text);
        Arc::clone(&self.all[id as usize])
    }

    #[inline]
    fn get(&self, id: u64) -> Option<&Arc<VersionText>> {
        self.all.get(id as usize)
    }
}

/// Per-group profiles.
pub(crate) struct ProfileGroups {
    name: &'static str,
    funnel: Arc<Funnel>,
    output: Output,
    profiles: Vec<Option<Profile>>,
    /// Each group's as_of (i64::MIN until its first row).
    as_ofs: Vec<i64>,
    pending: Vec<Pending>,
    /// `pending` sorted by group, and where each group starts in it (kept
    /// between flushes: no fresh pages each time)
    sorted: Vec<Pending>,
    starts: Vec<u32>,
    versions: Versions,
    classes: ClassCache,
    /// Rows applied so far (for the memory estimate).
    applied: usize,
}

impl ProfileGroups {
    pub(crate) fn new(name: &'static str, funnel: Arc<Funnel>, output: Output) -> Self {
        Self {
            name,
            funnel,
            output,
            profiles: Vec::new(),
            as_ofs: Vec::new(),
            pending: Vec::new(),
            sorted: Vec::new(),
            starts: Vec::new(),
            versions: Versions::default(),
            classes: ClassCache::default(),
            applied: 0,
        }
    }

    fn resize(&mut self, total: usize) {
        self.profiles.resize_with(total, || None);
        self.as_ofs.resize(total, i64::MIN);
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
        let (as_ofs, pending) = (&mut self.as_ofs, &mut self.pending);
        let versions = &mut self.versions;
        for_each_event(
            f,
            values,
            &self.funnel,
            &mut self.classes,
            filter,
            |row, as_of, e| {
                let g = groups[row];
                match as_ofs[g] {
                    i64::MIN => as_ofs[g] = as_of,
                    a if a != as_of => return mixed_as_of(f, a, as_of),
                    _ => {}
                }
                if e.ts >= as_of {
                    return Ok(());
                }
                let detail = match e.kind {
                    Kind::Download => e.version.map_or(NO_VERSION, |v| u64::from(versions.id(v))),
                    _ => e.page,
                };
                pending.push(Pending {
                    group: g as u32,
                    kind: e.kind,
                    class: e.class,
                    ts: e.ts,
                    detail,
                    source: e.source,
                });
                Ok(())
            },
        )?;
        if self.pending.len() >= FLUSH_ROWS {
            self.flush();
        }
        Ok(())
    }

    /// Apply the buffered rows, grouped (a counting sort by group).
    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let starts = &mut self.starts;
        starts.clear();
        starts.resize(self.profiles.len() + 1, 0);
        for p in &self.pending {
            starts[p.group as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        // move the rows themselves, so each group's rows are then read in order
        let n = self.pending.len();
        let sorted = &mut self.sorted;
        if sorted.len() < n {
            sorted.resize(n, self.pending[0]);
        }
        let mut next = starts.clone();
        for p in &self.pending {
            let slot = &mut next[p.group as usize];
            sorted[*slot as usize] = *p;
            *slot += 1;
        }
        for g in 0..self.profiles.len() {
            let rows = &sorted[starts[g] as usize..starts[g + 1] as usize];
            if rows.is_empty() {
                continue;
            }
            let profile = self.profiles[g].get_or_insert_with(|| Profile::new(self.as_ofs[g]));
            for p in rows {
                profile.add_shared(
                    &self.funnel,
                    &Event {
                        ts: p.ts,
                        kind: p.kind,
                        class: p.class,
                        page: if p.kind == Kind::Download {
                            0
                        } else {
                            p.detail
                        },
                        version: None,
                        source: p.source,
                    },
                    if p.kind == Kind::Download {
                        self.versions.get(p.detail)
                    } else {
                        None
                    },
                );
            }
        }
        self.applied += self.pending.len();
        self.pending.clear();
    }

    fn merge(&mut self, values: &[ArrayRef], groups: &[usize], total: usize) -> Result<()> {
        let Some(states) = values.first() else {
            return exec_err!("'{}': no state to merge", self.name);
        };
        let states = states.as_binary::<i32>();
        self.resize(total);
        for (row, &g) in groups.iter().enumerate() {
            if states.is_null(row) {
                continue;
            }
            let versions = &mut self.versions;
            let other = Profile::decode_with(states.value(row), &mut |v| versions.shared(v))
                .map_err(|e| {
                    datafusion::error::DataFusionError::Execution(format!("'{}': {e}", self.name))
                })?;
            match self.as_ofs[g] {
                i64::MIN => self.as_ofs[g] = other.as_of(),
                a if a != other.as_of() => return mixed_as_of(self.name, a, other.as_of()),
                _ => {}
            }
            match &mut self.profiles[g] {
                Some(p) if p.as_of() != other.as_of() => {
                    return mixed_as_of(self.name, p.as_of(), other.as_of());
                }
                Some(p) => p.merge(&other),
                slot @ None => *slot = Some(other),
            }
        }
        Ok(())
    }

    fn state_array(profiles: &[Option<Profile>]) -> ArrayRef {
        let mut b = BinaryBuilder::with_capacity(profiles.len(), profiles.len() * 256);
        let mut buf = Vec::new();
        for p in profiles {
            match p {
                Some(p) => {
                    buf.clear();
                    p.encode(&mut buf);
                    b.append_value(&buf);
                }
                None => b.append_null(),
            }
        }
        Arc::new(b.finish())
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
        self.flush();
        emit_to.take_needed(&mut self.as_ofs);
        let profiles = emit_to.take_needed(&mut self.profiles);
        self.output.build(&self.funnel, &profiles)
    }

    fn state(&mut self, emit_to: EmitTo) -> Result<Vec<ArrayRef>> {
        self.flush();
        emit_to.take_needed(&mut self.as_ofs);
        let profiles = emit_to.take_needed(&mut self.profiles);
        Ok(vec![Self::state_array(&profiles)])
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
        one.flush();
        Ok(vec![Self::state_array(&one.profiles)])
    }

    fn size(&self) -> usize {
        // a rough figure: profiles' fixed part, their sets, the buffers,
        // the version texts (about 100 bytes each with their parse)
        self.profiles.capacity() * std::mem::size_of::<Option<Profile>>()
            + self.as_ofs.capacity() * 8
            + (self.pending.capacity() + self.sorted.capacity()) * std::mem::size_of::<Pending>()
            + self.starts.capacity() * 4
            + self.versions.all.len() * 100
            + self.applied * 12
    }
}

/// The same over a single group (DataFusion's plain accumulator API).
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
        self.0.resize(1);
        self.0.flush();
        let array = self.0.output.build(&self.0.funnel, &self.0.profiles)?;
        ScalarValue::try_from_array(&array, 0)
    }

    fn size(&self) -> usize {
        self.0.size()
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        self.0.resize(1);
        self.0.flush();
        let array = ProfileGroups::state_array(&self.0.profiles);
        Ok(vec![ScalarValue::try_from_array(&array, 0)?])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let n = states.first().map_or(0, |a| a.len());
        self.0.merge(states, &vec![0; n], 1)
    }
}
