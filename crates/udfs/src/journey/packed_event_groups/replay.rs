//! Replaying one group's packed events into the reused
//! [`Profile`]: its [`JourneySummary`], and the output column of the
//! groups an emit takes.

use super::PackedEventGroups;
use crate::journey::output::Timeline;
use crate::journey::stage_timeline::too_many_steps;
use arrow::array::ArrayRef;
use datafusion::common::{Result, exec_datafusion_err, exec_err};
use leadlake_funnel::packed::{NO_VERSION, PackedEvent, VersionTable, read_rows};
use leadlake_funnel::timeline::stages_of;
use leadlake_funnel::version::VersionText;
use leadlake_funnel::{Funnel, JourneySummary, Kind, Profile};
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

impl PackedEventGroups {
    /// The summary of one group's events.
    pub(super) fn summarize(
        name: &str,
        funnel: &Funnel,
        versions: &VersionTable,
        profile: &mut Profile,
        as_of: i64,
        own: &[PackedEvent],
        chunks: &[&[u8]],
    ) -> Result<Option<JourneySummary>> {
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
        Ok(JourneySummary::of(funnel, profile))
    }

    /// The timeline of one group's events (`scratch` is where they are
    /// gathered and sorted), when `output` has one: empty otherwise.
    pub(super) fn timeline(
        &self,
        scratch: &mut Vec<PackedEvent>,
        as_of: i64,
        own: &[PackedEvent],
        chunks: &[&[u8]],
    ) -> Result<Timeline> {
        if !self.output.wants_timeline() {
            return Ok(Timeline::new());
        }
        scratch.clear();
        scratch.extend_from_slice(own);
        for rows in chunks {
            scratch.extend(read_rows(rows));
        }
        stages_of(&self.funnel, scratch, &self.versions, as_of, self.step)
            .map_err(|e| too_many_steps(self.name, e, as_of))
    }

    /// What the output needs of one group's events: the summary of its
    /// replay into `profile` and its timeline (`scratch` is where its
    /// events are gathered and sorted), each when the output reads it.
    pub(super) fn row(
        &self,
        profile: &mut Profile,
        scratch: &mut Vec<PackedEvent>,
        as_of: i64,
        own: &[PackedEvent],
        chunks: &[&[u8]],
    ) -> Result<(Option<JourneySummary>, Timeline)> {
        let summary = match self.output.wants_summary() {
            true => Self::summarize(
                self.name,
                &self.funnel,
                &self.versions,
                profile,
                as_of,
                own,
                chunks,
            )?,
            false => None,
        };
        Ok((summary, self.timeline(scratch, as_of, own, chunks)?))
    }

    /// The output column of groups `0..as_ofs.len()`, sorted by
    /// [`take_sorted`](Self::take_sorted).
    pub(super) fn output_array(&mut self, as_ofs: &[i64]) -> Result<ArrayRef> {
        let mut summaries = Vec::with_capacity(as_ofs.len());
        let mut timelines = Vec::new();
        let mut profile = std::mem::take(&mut self.profile);
        let mut scratch = std::mem::take(&mut self.scratch);
        for (g, as_of) in as_ofs.iter().enumerate() {
            let (summary, timeline) = match self.sorted_rows(g) {
                None => (None, Timeline::new()),
                Some((own, chunks)) => {
                    self.row(&mut profile, &mut scratch, *as_of, own, &chunks)?
                }
            };
            summaries.push(summary);
            if self.output.wants_timeline() {
                timelines.push(timeline);
            }
        }
        self.profile = profile;
        self.scratch = Vec::new();
        self.output.build(&self.funnel, &summaries, &timelines)
    }
}
