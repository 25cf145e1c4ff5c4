//! The accumulator behind `activity_tiers`, `journey_stage`, `lead_score`
//! and `active_installs`: one [`Profile`] per group, built row by row,
//! shipped between partial and final aggregation as bytes.

use super::events::{for_each_event, mixed_as_of};
use super::output::Output;
use arrow::array::{Array, ArrayRef, AsArray, BinaryBuilder, BooleanArray};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::{Accumulator, EmitTo, GroupsAccumulator};
use leadlake_funnel::page_class::ClassCache;
use leadlake_funnel::{Funnel, Profile};
use std::sync::Arc;

/// Per-group profiles.
pub(crate) struct ProfileGroups {
    name: &'static str,
    funnel: Arc<Funnel>,
    output: Output,
    profiles: Vec<Option<Profile>>,
    classes: ClassCache,
}

impl ProfileGroups {
    pub(crate) fn new(name: &'static str, funnel: Arc<Funnel>, output: Output) -> Self {
        Self {
            name,
            funnel,
            output,
            profiles: Vec::new(),
            classes: ClassCache::default(),
        }
    }

    fn update(
        &mut self,
        values: &[ArrayRef],
        groups: &[usize],
        filter: Option<&BooleanArray>,
        total: usize,
    ) -> Result<()> {
        let f = self.name;
        self.profiles.resize_with(total, || None);
        let (funnel, profiles) = (&self.funnel, &mut self.profiles);
        for_each_event(
            f,
            values,
            funnel,
            &mut self.classes,
            filter,
            |row, as_of, e| {
                let profile = profiles[groups[row]].get_or_insert_with(|| Profile::new(as_of));
                if profile.as_of() != as_of {
                    return mixed_as_of(f, profile.as_of(), as_of);
                }
                profile.add(funnel, e);
                Ok(())
            },
        )
    }

    fn merge(&mut self, values: &[ArrayRef], groups: &[usize], total: usize) -> Result<()> {
        let Some(states) = values.first() else {
            return exec_err!("'{}': no state to merge", self.name);
        };
        let states = states.as_binary::<i32>();
        self.profiles.resize_with(total, || None);
        for (row, &g) in groups.iter().enumerate() {
            if states.is_null(row) {
                continue;
            }
            let other = Profile::decode(states.value(row)).map_err(|e| {
                datafusion::error::DataFusionError::Execution(format!("'{}': {e}", self.name))
            })?;
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
        let profiles = emit_to.take_needed(&mut self.profiles);
        self.output.build(&self.funnel, &profiles)
    }

    fn state(&mut self, emit_to: EmitTo) -> Result<Vec<ArrayRef>> {
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
        Ok(vec![Self::state_array(&one.profiles)])
    }

    fn size(&self) -> usize {
        // a rough figure: the profiles' fixed part plus their sets
        self.profiles.capacity() * std::mem::size_of::<Option<Profile>>()
            + self
                .profiles
                .iter()
                .flatten()
                .map(|p| p.events() as usize * 12)
                .sum::<usize>()
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
        self.0.profiles.resize_with(1, || None);
        let array = self.0.output.build(&self.0.funnel, &self.0.profiles)?;
        ScalarValue::try_from_array(&array, 0)
    }

    fn size(&self) -> usize {
        self.0.size()
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        self.0.profiles.resize_with(1, || None);
        let array = ProfileGroups::state_array(&self.0.profiles);
        Ok(vec![ScalarValue::try_from_array(&array, 0)?])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let n = states.first().map_or(0, |a| a.len());
        self.0.merge(states, &vec![0; n], 1)
    }
}
