//! Stage timelines: a company's stage as of each step (a week by default)
//! up to `as_of`, so reports can say when it entered each stage. Keeps the
//! company's events (compactly) and walks them once for all the steps.

use crate::packed::{PackedEvent, VersionTable};
use crate::profile::{Event, Kind, Profile};
use crate::stage::{Stage, stage_of};
use crate::{Funnel, JourneySummary, timeline_pass};

/// The most steps one timeline may have: a weekly timeline over 1,900
/// years, a daily one over 270.
pub const MAX_STEPS: i64 = 100_000;

/// A timeline would need more than [`MAX_STEPS`] steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooManySteps {
    /// The earliest event, microseconds since the epoch.
    pub first: i64,
    /// The step asked for, in microseconds.
    pub step: i64,
}

impl std::fmt::Display for TooManySteps {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            out,
            "more than {MAX_STEPS} steps of {} seconds from the earliest event ({} µs since 1970) to as_of; use a longer step or filter out old events",
            self.step / 1_000_000,
            self.first
        )
    }
}

impl std::error::Error for TooManySteps {}

/// A company's events, packed as the journey aggregates ship them, with
/// each version text parsed once: the timeline of one company, for tests
/// and examples (the aggregates keep their events in
/// `PackedEventGroups` and call [`stages_of`]).
#[derive(Debug, Clone, Default)]
pub struct EventLog {
    events: Vec<PackedEvent>,
    versions: VersionTable,
}

impl EventLog {
    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    pub fn push(&mut self, e: &Event) {
        let version = e.version.map(|v| self.versions.key(v, e.scheme));
        self.events.push(PackedEvent::new(e, version));
    }

    /// The stage as of `as_of - k * step` for every step from the first
    /// one after the earliest event through `as_of`, oldest first: see
    /// [`stages_of`].
    pub fn stages(
        &mut self,
        f: &Funnel,
        as_of: i64,
        step: i64,
    ) -> Result<Vec<(i64, Stage)>, TooManySteps> {
        stages_of(f, &mut self.events, &self.versions, as_of, step)
    }

    /// The same by replaying every earlier event into a fresh profile per
    /// step, as `stages` did before it took one pass: events × steps. The
    /// reference `stages` is tested against (`tests/timeline_props.rs`)
    /// and timed against (`examples/timeline_speed.rs`); not for use. Kept
    /// as it was, overflows included: over a span beyond i64 microseconds
    /// (292,000 years) `as_of - k * step` and the profile's ages overflow,
    /// which the one pass avoids.
    #[doc(hidden)]
    pub fn stages_by_replay(
        &mut self,
        f: &Funnel,
        as_of: i64,
        step: i64,
    ) -> Result<Vec<(i64, Stage)>, TooManySteps> {
        let Some(steps) = steps(&mut self.events, as_of, step)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::with_capacity(usize::try_from(steps).unwrap_or(0) + 1);
        for k in (0..=steps).rev() {
            // k * step < as_of - first, so this stays within (first, as_of]
            let at = as_of - k * step;
            let mut p = Profile::new(at);
            for e in self.events.iter().take_while(|e| e.ts < at) {
                // pushed and decoded events are checked: none is skipped
                let Ok(event) = e.event() else { continue };
                let version = match event.kind {
                    Kind::Download => self.versions.get(e.key()),
                    _ => None,
                };
                p.add_shared(f, &event, version);
            }
            if let Some(x) = JourneySummary::of(f, &p) {
                out.push((at, stage_of(f, &x)));
            }
        }
        Ok(out)
    }
}

/// The stage as of `as_of - k * step` for every step from the first one
/// after the earliest of `events` through `as_of`, oldest first (`events`
/// are sorted by time here; `versions` resolves their downloads). Each
/// stage uses only the events before its own date, exactly as a profile
/// with that `as_of` would. More than [`MAX_STEPS`] steps is an error
/// rather than a list nobody can read (a one-second step over years, or
/// one stray event dated 1970). One pass over the events
/// (`timeline_pass.rs`), not one replay per step.
pub fn stages_of(
    f: &Funnel,
    events: &mut [PackedEvent],
    versions: &VersionTable,
    as_of: i64,
    step: i64,
) -> Result<Vec<(i64, Stage)>, TooManySteps> {
    Ok(match steps(events, as_of, step)? {
        Some(steps) => timeline_pass::stages(f, events, versions, as_of, step, steps),
        None => Vec::new(),
    })
}

/// Sort the events and count the steps: `None` when there is nothing to
/// evaluate, else the largest `k` with `as_of - k * step` after the
/// earliest event.
fn steps(events: &mut [PackedEvent], as_of: i64, step: i64) -> Result<Option<i64>, TooManySteps> {
    events.sort_unstable_by_key(|e| e.ts);
    let Some(first) = events.first().map(|e| e.ts) else {
        return Ok(None);
    };
    if first >= as_of || step <= 0 {
        return Ok(None);
    }
    // i128: the span between far dates overflows i64 microseconds
    let steps = (i128::from(as_of) - i128::from(first) - 1) / i128::from(step);
    match i64::try_from(steps) {
        Ok(n) if n < MAX_STEPS => Ok(Some(n)),
        _ => Err(TooManySteps { first, step }),
    }
}
