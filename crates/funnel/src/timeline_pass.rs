//! The one pass behind [`EventLog::stages`](crate::timeline::EventLog::stages).
//!
//! Replaying every earlier event into a fresh [`Profile`](crate::Profile)
//! per step costs events × steps: a year of weekly steps over a company
//! with thousands of events is millions of event additions. Here the steps
//! are walked oldest first while the company's events, sorted by time, are
//! added once each to running state; each step then reads its figures off
//! that state.
//!
//! # What a step needs
//!
//! Only the figures the stage rules read ([`StageFacts`]). Each is one of:
//!
//! - a running count or a distinct-day count over the events before the
//!   step (events, downloads, views by class, active / view / docs / ping
//!   days), which only grows as the steps move forward;
//! - a first / last time (the span), the first and latest event added;
//! - download sessions per source: a source's sessions over its downloads
//!   before the step are the sessions of a prefix of its time-ordered
//!   downloads, and sessions are cut greedily from the oldest download on,
//!   so the running count after each download is the count for every step
//!   that follows it;
//! - the version history, fed the same downloads in the same order as the
//!   replay feeds a profile; its upgrade count is recomputed only when a
//!   new version text appears (the events come in time order, so an entry's
//!   first time, the only time the count reads, is fixed when it is added);
//! - windows relative to the step: events in the last 30, 30 before and 30
//!   before those (counted with three cursors that trail the step by 30,
//!   60 and 90 days), and download and view days among the last 90 (a
//!   cursor into each kind's ascending list of distinct days).
//!
//! Every cursor only moves forward, so the whole timeline costs one pass
//! over the events and the days, plus per step a constant amount of work
//! and, when the company downloaded a new version since the last step, an
//! upgrade count over its distinct versions.
//!
//! # Exactness
//!
//! The stage rules read counts and spans only: no recency-decayed sum
//! (page points, decayed sessions, decayed ping days) is among
//! [`StageFacts`], and the one floating comparison, the waning ratio,
//! multiplies integer counts the same way whichever way they were counted.
//! So no floating sum is computed here and none can differ from the
//! replay's in its last bit. `tests/timeline_props.rs` checks the whole
//! timeline against the replay on random logs.
//!
//! Windows are compared against times, never by subtracting an event's
//! time from the step's (which overflows for events more than 292,000
//! years apart); a bound before `i64::MIN` saturates to it, which keeps
//! every event after it, as it should.

use crate::Funnel;
use crate::days::{DAY_US, day_of};
use crate::packed::{PackedEvent, VersionTable};
use crate::page_class::PageClass;
use crate::profile::Kind;
use crate::small::SmallMap;
use crate::stage::{Stage, StageFacts, stage_of_facts};
use crate::version::VersionHistory;

const LAST30: i64 = 30 * DAY_US;

/// The stage as of `as_of - k * step` for `k` from `steps` down to 0 (a
/// step without counted events is left out, as the replay leaves it out).
/// `events` are sorted by time; the caller has checked that `steps` is
/// within bounds and that `as_of - steps * step` is after the first event.
pub(crate) fn stages(
    f: &Funnel,
    events: &[PackedEvent],
    versions: &VersionTable,
    as_of: i64,
    step: i64,
    steps: i64,
) -> Vec<(i64, Stage)> {
    let mut walk = Walk::new(f, versions);
    let mut next = 0;
    // counted events before the step minus 30, 60 and 90 days
    let mut windows = [Before::default(); 3];
    let mut out = Vec::with_capacity(usize::try_from(steps).unwrap_or(0) + 1);
    for k in (0..=steps).rev() {
        // the true value lies in (first event, as_of], so it fits in i64
        // and the wrapped arithmetic gives it exactly even when `k * step`
        // alone does not fit
        let at = as_of.wrapping_sub(k.wrapping_mul(step));
        while let Some(e) = events.get(next)
            && e.ts < at
        {
            walk.add(e);
            next += 1;
        }
        if walk.events == 0 {
            continue;
        }
        let mut before = [0; 3];
        for (i, w) in windows.iter_mut().enumerate() {
            let back = LAST30 * (i as i64 + 1);
            before[i] = w.advance(events, at.saturating_sub(back));
        }
        let x = walk.facts(at, [walk.events, before[0], before[1], before[2]]);
        out.push((at, stage_of_facts(f, &x)));
    }
    out
}

/// A cursor over sorted events: how many counted events are before a
/// bound that only grows.
#[derive(Debug, Clone, Copy, Default)]
struct Before {
    pos: usize,
    count: u64,
}

impl Before {
    fn advance(&mut self, events: &[PackedEvent], bound: i64) -> u64 {
        while let Some(e) = events.get(self.pos)
            && e.ts < bound
        {
            // counted as the walk counts: events that decode
            self.count += u64::from(e.event().is_ok());
            self.pos += 1;
        }
        self.count
    }
}

/// The distinct UTC days of one kind of event, ascending (events arrive in
/// time order), and a cursor to the first of them inside the last 90 days.
#[derive(Debug, Default)]
struct Days {
    days: Vec<i64>,
    recent: usize,
}

impl Days {
    fn add(&mut self, day: i64) {
        if self.days.last() != Some(&day) {
            self.days.push(day);
        }
    }

    fn len(&self) -> u32 {
        count(self.days.len() as u64)
    }

    /// Days on or after `first` (which only grows from call to call).
    fn since(&mut self, first: i64) -> u32 {
        while self.days.get(self.recent).is_some_and(|&d| d < first) {
            self.recent += 1;
        }
        count((self.days.len() - self.recent) as u64)
    }
}

/// A count as the profile keeps it (u32; it would need 4 billion events).
fn count(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Everything the stage rules read that grows with the events added, in
/// the order of time.
struct Walk<'a> {
    f: &'a Funnel,
    versions: &'a VersionTable,
    events: u64,
    first: i64,
    last: i64,
    active: Days,
    views: Days,
    docs: Days,
    downloads_on: Days,
    pings: Days,
    downloads: u64,
    docs_views: u64,
    upgrade_views: u64,
    high_views: u64,
    medium_views: u64,
    /// Per source: the start and last download of its current session.
    sessions: SmallMap<Option<(i64, i64)>>,
    download_sessions: u64,
    history: VersionHistory,
    /// The history's upgrade count, `None` after a new version was added.
    upgrades: Option<u32>,
}

impl<'a> Walk<'a> {
    fn new(f: &'a Funnel, versions: &'a VersionTable) -> Self {
        Self {
            f,
            versions,
            events: 0,
            first: i64::MAX,
            last: i64::MIN,
            active: Days::default(),
            views: Days::default(),
            docs: Days::default(),
            downloads_on: Days::default(),
            pings: Days::default(),
            downloads: 0,
            docs_views: 0,
            upgrade_views: 0,
            high_views: 0,
            medium_views: 0,
            sessions: SmallMap::default(),
            download_sessions: 0,
            history: VersionHistory::default(),
            upgrades: Some(0),
        }
    }

    /// Add the next event (none earlier than the last one added), as the
    /// replay adds it to a profile.
    fn add(&mut self, e: &PackedEvent) {
        // pushed and decoded events are checked: none is skipped, but the
        // replay skips them, so this does too
        let Ok(event) = e.event() else { return };
        let ts = e.ts;
        self.events += 1;
        self.first = self.first.min(ts);
        self.last = self.last.max(ts);
        let day = day_of(ts);
        self.active.add(day);
        match event.kind {
            Kind::Download => {
                self.downloads += 1;
                self.downloads_on.add(day);
                let session = self.sessions.get_or_insert(e.source, None);
                match session {
                    Some((start, last)) => {
                        if self.f.sessions.breaks(*start, *last, ts) {
                            self.download_sessions += 1;
                            *start = ts;
                        }
                        *last = ts;
                    }
                    None => {
                        self.download_sessions += 1;
                        *session = Some((ts, ts));
                    }
                }
                if let Some(v) = self.versions.get(e.key()) {
                    let before = self.history.distinct();
                    self.history.add_shared(v, ts);
                    if self.history.distinct() != before {
                        self.upgrades = None;
                    }
                }
            }
            Kind::CallHome => self.pings.add(day),
            Kind::DocsView | Kind::PageView => {
                let class = event.class.unwrap_or(PageClass::Low);
                self.views.add(day);
                if event.kind == Kind::DocsView || class.is_docs() {
                    self.docs_views += 1;
                    self.docs.add(day);
                    if class == PageClass::DocsUpgrade {
                        self.upgrade_views += 1;
                    }
                } else {
                    match class {
                        PageClass::High => self.high_views += 1,
                        PageClass::Medium => self.medium_views += 1,
                        _ => {}
                    }
                }
            }
        }
    }

    /// The figures as of `at` (after every event before it was added);
    /// `before` counts the counted events before `at` and before `at`
    /// minus 30, 60 and 90 days.
    fn facts(&mut self, at: i64, before: [u64; 4]) -> StageFacts {
        // day index 0 is the day of the last instant before `at`; the last
        // 90 days are indexes 0..90
        let recent = day_of(at - 1) - 89;
        let upgrades = match self.upgrades {
            Some(n) => n,
            None => *self.upgrades.insert(self.history.upgrades()),
        };
        StageFacts {
            span_days: day_of(self.last) - day_of(self.first),
            active_days: self.active.len(),
            last30: count(before[0] - before[1]),
            prev30: count(before[1] - before[2]),
            prev60: count(before[2] - before[3]),
            downloads: self.downloads,
            download_sessions: count(self.download_sessions),
            download_days_last90: self.downloads_on.since(recent),
            view_days: self.views.len(),
            view_days_last90: self.views.since(recent),
            docs_days: self.docs.len(),
            docs_views: count(self.docs_views),
            upgrade_views: count(self.upgrade_views),
            high_views: count(self.high_views),
            medium_views: count(self.medium_views),
            ping_days: self.pings.len(),
            versions: count(self.history.distinct() as u64),
            upgrades,
        }
    }
}
