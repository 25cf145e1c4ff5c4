//! Replaying one group's packed events into the reused
//! [`Profile`]: its [`JourneySummary`], and the output column of the
//! groups an emit takes.

use super::PackedEventGroups;
use arrow::array::ArrayRef;
use datafusion::common::{Result, exec_datafusion_err, exec_err};
use leadlake_funnel::packed::{NO_VERSION, PackedEvent, VersionTable, read_rows};
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

    /// The output column of groups `0..as_ofs.len()`, sorted by
    /// [`take_sorted`](Self::take_sorted).
    pub(super) fn output_array(&mut self, as_ofs: &[i64]) -> Result<ArrayRef> {
        let mut summaries = Vec::with_capacity(as_ofs.len());
        let mut profile = std::mem::take(&mut self.profile);
        for (g, as_of) in as_ofs.iter().enumerate() {
            summaries.push(match self.sorted_rows(g) {
                None => None,
                Some((own, chunks)) => Self::summarize(
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
        self.output.build(&self.funnel, &summaries)
    }
}
