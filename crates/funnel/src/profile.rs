//! A company's activity before `as_of`, accumulated event by event in
//! bounded, order-independent state.

use crate::Funnel;
use crate::days::{DAY_US, DaySet, day_of};
use crate::page_class::PageClass;
use crate::small::SmallMap;
use crate::version::{Scheme, VersionHistory, VersionText};
use std::sync::Arc;

/// A download's version: as text, or shared.
#[derive(Clone, Copy)]
enum VersionRef<'a> {
    Text(&'a str),
    Shared(&'a Arc<VersionText>),
}

/// What kind of event a row is. Other kinds are ignored by the journey
/// rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Download,
    DocsView,
    PageView,
    CallHome,
}

impl Kind {
    /// The kind a text names (`download`, `docs_view`, `page_view`,
    /// `call_home`), from its bytes.
    #[inline]
    pub fn parse_bytes(b: &[u8]) -> Option<Self> {
        // every row has a kind: compare whole words, not bytes one by one
        const fn word(s: &str) -> u64 {
            let b = s.as_bytes();
            u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
        }
        let (head, last) = match b.len() {
            8 | 9 => (
                u64::from_le_bytes(b[..8].try_into().ok()?),
                b.get(8).copied(),
            ),
            _ => return None,
        };
        match (head, last) {
            (h, None) if h == word("download") => Some(Kind::Download),
            (h, Some(b'w')) if h == word("docs_vie") => Some(Kind::DocsView),
            (h, Some(b'w')) if h == word("page_vie") => Some(Kind::PageView),
            (h, Some(b'e')) if h == word("call_hom") => Some(Kind::CallHome),
            _ => None,
        }
    }
}

/// One event, as the rules see it.
#[derive(Debug, Clone, Copy)]
pub struct Event<'a> {
    pub ts: i64,
    pub kind: Kind,
    /// Class of the path (views only; `None` when the path is NULL).
    pub class: Option<PageClass>,
    /// A hash of the path (distinct pages).
    pub page: u64,
    /// Version downloaded (downloads only).
    pub version: Option<&'a str>,
    /// The scheme `version` is compared under (its package's: see
    /// [`crate::version::PackageSchemes`]).
    pub scheme: Scheme,
    /// A hash of the source (address, or whatever the caller chose).
    pub source: u64,
}

/// "At least two distinct values" without keeping them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TwoDistinct {
    pub first: Option<u64>,
    pub two: bool,
}

impl TwoDistinct {
    #[inline]
    pub fn add(&mut self, h: u64) {
        match self.first {
            None => self.first = Some(h),
            Some(f) if f != h => self.two = true,
            Some(_) => {}
        }
    }

    pub fn count(&self) -> u32 {
        if self.two {
            2
        } else {
            u32::from(self.first.is_some())
        }
    }
}

pub(crate) const LAST7: i64 = 7 * DAY_US;
pub(crate) const LAST30: i64 = 30 * DAY_US;

/// Everything the stage, tier, score and installs rules need.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    pub(crate) as_of: i64,
    /// The UTC day of the last instant before `as_of` (day index 0).
    as_of_day: i64,
    pub(crate) events: u64,
    pub(crate) first: i64,
    pub(crate) last: i64,
    /// events in [as_of-30d, as_of), [as_of-60d, as_of-30d), [as_of-90d, as_of-60d)
    pub(crate) windows: [u32; 3],
    pub(crate) active: DaySet,
    pub(crate) view_days: DaySet,
    pub(crate) docs_days: DaySet,
    pub(crate) download_days: DaySet,
    pub(crate) ping_days: DaySet,
    pub(crate) downloads: u64,
    pub(crate) downloads_last7: u32,
    pub(crate) downloads_last30: u32,
    pub(crate) docs_views: u32,
    pub(crate) install_views: u32,
    pub(crate) upgrade_views: u32,
    pub(crate) beyond_install_views: u32,
    pub(crate) docs_first: i64,
    pub(crate) docs_last: i64,
    pub(crate) docs_sources: TwoDistinct,
    pub(crate) high_views: u32,
    pub(crate) medium_views: u32,
    pub(crate) low_views: u32,
    pub(crate) web7: TwoDistinct,
    pub(crate) web30: TwoDistinct,
    pub(crate) web30_medium: bool,
    pub(crate) web30_high: bool,
    /// Views by class, each weighted by its recency decay.
    pub(crate) class_decay: [f64; 6],
    pub(crate) sources: SmallMap<()>,
    /// Download timestamps per source (for download sessions).
    pub(crate) download_times: Vec<(u64, i64)>,
    /// Last call-home ping per source.
    pub(crate) pings: SmallMap<i64>,
    pub(crate) versions: VersionHistory,
}

impl Profile {
    pub fn new(as_of: i64) -> Self {
        Self {
            as_of,
            as_of_day: day_of(as_of.saturating_sub(1)),
            first: i64::MAX,
            last: i64::MIN,
            docs_first: i64::MAX,
            docs_last: i64::MIN,
            ..Default::default()
        }
    }

    /// Start again as an empty profile for `as_of`, keeping the
    /// allocations of the per-source maps and download lists (a profile
    /// reused for one company after another).
    pub fn reset(&mut self, as_of: i64) {
        let mut sources = std::mem::take(&mut self.sources);
        let mut download_times = std::mem::take(&mut self.download_times);
        let mut pings = std::mem::take(&mut self.pings);
        let mut versions = std::mem::take(&mut self.versions);
        sources.clear();
        download_times.clear();
        pings.clear();
        versions.clear();
        *self = Self {
            sources,
            download_times,
            pings,
            versions,
            ..Self::new(as_of)
        };
    }

    /// Index of the UTC day of `ts`, counted back from the day before `as_of`.
    #[inline]
    fn day_index(&self, ts: i64) -> u32 {
        (day_of(self.as_of.saturating_sub(1)) - day_of(ts)).clamp(0, i64::from(u32::MAX)) as u32
    }

    /// Add one event; events at or after `as_of` are ignored.
    pub fn add(&mut self, f: &Funnel, e: &Event) {
        self.record(f, e, e.version.map(VersionRef::Text));
    }

    /// The same, with the download's version already shared (interned by
    /// the caller); `e.version` is not read.
    #[inline]
    pub fn add_shared(&mut self, f: &Funnel, e: &Event, version: Option<&Arc<VersionText>>) {
        self.record(f, e, version.map(VersionRef::Shared));
    }

    #[inline]
    fn record(&mut self, f: &Funnel, e: &Event, version: Option<VersionRef>) {
        if e.ts >= self.as_of {
            return;
        }
        self.events += 1;
        self.first = self.first.min(e.ts);
        self.last = self.last.max(e.ts);
        // saturating: an event near the far past of i64 microseconds and
        // a present as_of are further apart than i64 holds; such an event
        // is simply older than every window
        let age = self.as_of.saturating_sub(e.ts);
        if age <= 3 * LAST30 {
            self.windows[((age - 1) / LAST30).min(2) as usize] += 1;
        }
        let d = self.day_index(e.ts);
        self.active.insert(d);
        self.sources.get_or_insert(e.source, ());
        match e.kind {
            Kind::Download => {
                self.downloads += 1;
                if age <= LAST7 {
                    self.downloads_last7 += 1;
                }
                if age <= LAST30 {
                    self.downloads_last30 += 1;
                }
                self.download_days.insert(d);
                if self.download_times.is_empty() {
                    // companies download in dozens: skip the 1-2-4 growth steps
                    self.download_times.reserve(16);
                }
                self.download_times.push((e.source, e.ts));
                match version {
                    Some(VersionRef::Text(v)) => self.versions.add(v, e.ts, e.scheme),
                    Some(VersionRef::Shared(v)) => self.versions.add_shared(v, e.ts),
                    None => {}
                }
            }
            Kind::CallHome => {
                self.ping_days.insert(d);
                let last = self.pings.get_or_insert(e.source, e.ts);
                *last = (*last).max(e.ts);
            }
            Kind::DocsView | Kind::PageView => {
                let class = e.class.unwrap_or(PageClass::Low);
                self.view_days.insert(d);
                self.class_decay[class as usize] += f.decay(d);
                if e.kind == Kind::DocsView || class.is_docs() {
                    self.docs_views += 1;
                    self.docs_days.insert(d);
                    self.docs_first = self.docs_first.min(e.ts);
                    self.docs_last = self.docs_last.max(e.ts);
                    self.docs_sources.add(e.source);
                    match class {
                        PageClass::DocsInstall => self.install_views += 1,
                        PageClass::DocsUpgrade => {
                            self.upgrade_views += 1;
                            self.beyond_install_views += 1;
                        }
                        _ => self.beyond_install_views += 1,
                    }
                } else {
                    match class {
                        PageClass::High => self.high_views += 1,
                        PageClass::Medium => self.medium_views += 1,
                        _ => self.low_views += 1,
                    }
                    if age <= LAST7 {
                        self.web7.add(e.page);
                    }
                    if age <= LAST30 {
                        self.web30.add(e.page);
                        self.web30_medium |= class == PageClass::Medium;
                        self.web30_high |= class == PageClass::High;
                    }
                }
            }
        }
    }

    /// Distinct call-home sources seen in the last 7 and 30 days.
    pub fn installs(&self) -> (u32, u32) {
        let count = |w: i64| {
            self.pings
                .iter()
                .filter(|(_, t)| self.as_of.saturating_sub(*t) <= w)
                .count() as u32
        };
        (count(LAST7), count(LAST30))
    }
}
