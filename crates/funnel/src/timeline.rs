//! Stage timelines: a company's stage as of each step (a week by default)
//! up to `as_of`, so reports can say when it entered each stage. Keeps the
//! company's events (compactly) and replays them per step.

use crate::codec::DecodeError;
use crate::page_class::PageClass;
use crate::profile::{Event, Kind, Profile};
use crate::stage::{Stage, stage_of};
use crate::{Facts, Funnel};
use foldhash::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Logged {
    ts: i64,
    kind: Kind,
    class: Option<PageClass>,
    page: u64,
    source: u64,
    version: Option<u32>,
}

/// A company's events, with versions interned.
#[derive(Debug, Clone, Default)]
pub struct EventLog {
    events: Vec<Logged>,
    versions: Vec<Box<str>>,
    index: HashMap<Box<str>, u32>,
}

const KINDS: [Kind; 4] = [
    Kind::Download,
    Kind::DocsView,
    Kind::PageView,
    Kind::CallHome,
];

impl EventLog {
    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    fn intern(&mut self, v: &str) -> u32 {
        if let Some(i) = self.index.get(v) {
            return *i;
        }
        let i = self.versions.len() as u32;
        self.versions.push(v.into());
        self.index.insert(v.into(), i);
        i
    }

    pub fn push(&mut self, e: &Event) {
        let version = e.version.map(|v| self.intern(v));
        self.events.push(Logged {
            ts: e.ts,
            kind: e.kind,
            class: e.class,
            page: e.page,
            source: e.source,
            version,
        });
    }

    pub fn merge(&mut self, other: &EventLog) {
        for e in &other.events {
            let version = e.version.map(|i| self.intern(&other.versions[i as usize]));
            self.events.push(Logged { version, ..*e });
        }
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
                p.add(
                    f,
                    &Event {
                        ts: e.ts,
                        kind: e.kind,
                        class: e.class,
                        page: e.page,
                        version: e.version.map(|i| &*self.versions[i as usize]),
                        source: e.source,
                    },
                );
            }
            if let Some(x) = Facts::of(f, &p) {
                out.push((at, stage_of(f, &x)));
            }
        }
        out
    }

    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.versions.len() as u32).to_le_bytes());
        for v in &self.versions {
            out.extend_from_slice(&(v.len() as u32).to_le_bytes());
            out.extend_from_slice(v.as_bytes());
        }
        out.extend_from_slice(&(self.events.len() as u32).to_le_bytes());
        for e in &self.events {
            out.extend_from_slice(&e.ts.to_le_bytes());
            out.push(KINDS.iter().position(|k| *k == e.kind).unwrap_or(0) as u8);
            out.push(e.class.map_or(u8::MAX, |c| c as u8));
            out.extend_from_slice(&e.page.to_le_bytes());
            out.extend_from_slice(&e.source.to_le_bytes());
            out.extend_from_slice(&e.version.unwrap_or(u32::MAX).to_le_bytes());
        }
    }

    pub fn decode(mut b: &[u8]) -> Result<Self, DecodeError> {
        fn take<'a>(b: &mut &'a [u8], n: usize) -> Result<&'a [u8], DecodeError> {
            if b.len() < n {
                return Err(DecodeError::new("truncated timeline"));
            }
            let (head, rest) = b.split_at(n);
            *b = rest;
            Ok(head)
        }
        fn u32_(b: &mut &[u8]) -> Result<u32, DecodeError> {
            let mut a = [0u8; 4];
            a.copy_from_slice(take(b, 4)?);
            Ok(u32::from_le_bytes(a))
        }
        fn u64_(b: &mut &[u8]) -> Result<u64, DecodeError> {
            let mut a = [0u8; 8];
            a.copy_from_slice(take(b, 8)?);
            Ok(u64::from_le_bytes(a))
        }
        let mut log = EventLog::default();
        let n = u32_(&mut b)?;
        for _ in 0..n {
            let len = u32_(&mut b)? as usize;
            let text = std::str::from_utf8(take(&mut b, len)?)
                .map_err(|_| DecodeError::new("version is not UTF-8"))?;
            log.intern(text);
        }
        let n = u32_(&mut b)? as usize;
        if n.saturating_mul(30) > b.len() {
            return Err(DecodeError::new("truncated timeline"));
        }
        for _ in 0..n {
            let ts = u64_(&mut b)? as i64;
            let kind = take(&mut b, 2)?;
            let (kind, class) = (kind[0], kind[1]);
            let page = u64_(&mut b)?;
            let source = u64_(&mut b)?;
            let version = u32_(&mut b)?;
            let kind = *KINDS
                .get(kind as usize)
                .ok_or(DecodeError::new("unknown kind"))?;
            if version != u32::MAX && version as usize >= log.versions.len() {
                return Err(DecodeError::new("unknown version"));
            }
            log.events.push(Logged {
                ts,
                kind,
                class: PageClass::ALL.get(class as usize).copied(),
                page,
                source,
                version: (version != u32::MAX).then_some(version),
            });
        }
        if !b.is_empty() {
            return Err(DecodeError::new("trailing bytes"));
        }
        Ok(log)
    }
}
