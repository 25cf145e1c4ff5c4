//! Stage timelines: a company's stage as of each step (a week by default)
//! up to `as_of`, so reports can say when it entered each stage. Keeps the
//! company's events (compactly) and replays them per step.

use crate::codec::DecodeError;
use crate::packed::{PackedEvent, VersionTable, decode_events, encode_events};
use crate::profile::{Event, Kind, Profile};
use crate::stage::{Stage, stage_of};
use crate::{Facts, Funnel};

/// A company's events, packed as the journey aggregates ship them, with
/// each version text parsed once.
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
        let version = e.version.map(|v| self.versions.key(v));
        self.events.push(PackedEvent::new(e, version));
    }

    pub fn merge(&mut self, other: &EventLog) {
        self.versions.merge(&other.versions);
        self.events.extend_from_slice(&other.events);
    }

    /// The stage as of `as_of - k * step` for every step from the first
    /// one after the earliest event through `as_of`, oldest first. Each
    /// stage uses only the events before its own date.
    pub fn stages(&mut self, f: &Funnel, as_of: i64, step: i64) -> Vec<(i64, Stage)> {
        self.events.sort_unstable_by_key(|e| e.ts);
        let Some(first) = self.events.first().map(|e| e.ts) else {
            return Vec::new();
        };
        if first >= as_of || step <= 0 {
            return Vec::new();
        }
        let steps = (as_of - first - 1) / step;
        let mut out = Vec::with_capacity(steps as usize + 1);
        for k in (0..=steps).rev() {
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
            if let Some(x) = Facts::of(f, &p) {
                out.push((at, stage_of(f, &x)));
            }
        }
        out
    }

    /// The events as bytes, in the aggregates' format (its `as_of` slot
    /// unused: 0).
    pub fn encode(&self, out: &mut Vec<u8>) {
        encode_events(out, 0, self.versions.iter(), &self.events);
    }

    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut log = EventLog::default();
        let mut events = Vec::new();
        decode_events(
            bytes,
            |key, text| log.versions.insert(key, text),
            |e| events.push(e),
        )?;
        for e in &events {
            e.event()?;
        }
        log.events = events;
        Ok(log)
    }
}
