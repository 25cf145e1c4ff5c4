//! A company's journey summary: the figures the tier, stage and score
//! rules test, computed once from a [`Profile`].

use crate::Funnel;
use crate::days::day_of;
use crate::profile::Profile;

thread_local! {
    static SCRATCH: std::cell::RefCell<Vec<(u64, i64)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A summary of one company's journey as of `as_of`: counts, spans,
/// sessions and recency-weighted figures of its events.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JourneySummary {
    pub events: u64,
    pub first: i64,
    pub last: i64,
    /// Days between the UTC dates of the first and last event.
    pub span_days: i64,
    pub active_days: u32,
    /// Events in the last 30 days, the 30 before, and the 30 before those.
    pub last30: u32,
    pub prev30: u32,
    pub prev60: u32,
    pub downloads: u64,
    pub downloads_last7: u32,
    pub downloads_last30: u32,
    /// Distinct (source, download session) pairs.
    pub download_sessions: u32,
    /// The same, each weighted by the recency of the session's start.
    pub decayed_sessions: f64,
    pub download_days_last90: u32,
    pub view_days: u32,
    pub view_days_last90: u32,
    pub docs_days: u32,
    pub docs_views: u32,
    pub install_views: u32,
    pub upgrade_views: u32,
    pub beyond_install_views: u32,
    pub docs_span_days: i64,
    pub docs_sources: u32,
    pub high_views: u32,
    pub medium_views: u32,
    pub low_views: u32,
    pub web_pages_last7: u32,
    pub web_pages_last30: u32,
    pub web_medium_last30: bool,
    pub web_high_last30: bool,
    pub ping_days: u32,
    pub decayed_ping_days: f64,
    /// Distinct sources whose last call-home ping is in the last 7 / 30 days.
    pub installs_last7: u32,
    pub installs_last30: u32,
    /// Distinct sources (the events with a NULL source are one).
    pub sources: u32,
    /// Distinct sources that are not NULL ([`crate::packed::no_source`]).
    pub machines: u32,
    /// Distinct version texts downloaded.
    pub versions: u32,
    pub upgrades: u32,
    /// Recency-weighted page value.
    pub page_points: f64,
    /// Days from the last event to `as_of` (0 = the day before `as_of`).
    pub idle_days: u32,
}

impl JourneySummary {
    /// `None` for a profile without events.
    pub fn of(f: &Funnel, p: &Profile) -> Option<Self> {
        if p.events == 0 {
            return None;
        }
        let s = &f.config.score;
        let as_of_day = day_of(p.as_of - 1);
        let mut download_sessions = 0;
        let mut decayed_sessions = 0.0;
        // sessions per source: sort by (source, ts), then one run each, its
        // times in order (in a buffer kept per thread: no allocation per group)
        SCRATCH.with_borrow_mut(|times| {
            times.clear();
            times.extend_from_slice(&p.download_times);
            times.sort_unstable();
            for run in times.chunk_by(|a, b| a.0 == b.0) {
                let (mut start, mut last) = (run[0].1, run[0].1);
                let mut session = |t: i64| {
                    download_sessions += 1;
                    decayed_sessions += f.decay((as_of_day - day_of(t)).max(0) as u32);
                };
                session(start);
                for &(_, t) in &run[1..] {
                    if f.sessions.breaks(start, last, t) {
                        session(t);
                        start = t;
                    }
                    last = t;
                }
            }
        });
        let w = &p.class_decay;
        let docs = w[1] + w[2] + w[3];
        let page_points =
            s.high_view * w[0] + s.docs_view * docs + s.medium_view * w[4] + s.low_view * w[5];
        let docs_span_days = if p.docs_views > 0 {
            day_of(p.docs_last) - day_of(p.docs_first)
        } else {
            0
        };
        let (installs_last7, installs_last30) = p.installs();
        Some(Self {
            events: p.events,
            first: p.first,
            last: p.last,
            span_days: day_of(p.last) - day_of(p.first),
            active_days: p.active.len(),
            last30: p.windows[0],
            prev30: p.windows[1],
            prev60: p.windows[2],
            downloads: p.downloads,
            downloads_last7: p.downloads_last7,
            downloads_last30: p.downloads_last30,
            download_sessions,
            decayed_sessions,
            download_days_last90: p.download_days.count_in(0, 90),
            view_days: p.view_days.len(),
            view_days_last90: p.view_days.count_in(0, 90),
            docs_days: p.docs_days.len(),
            docs_views: p.docs_views,
            install_views: p.install_views,
            upgrade_views: p.upgrade_views,
            beyond_install_views: p.beyond_install_views,
            docs_span_days,
            docs_sources: p.docs_sources.count(),
            high_views: p.high_views,
            medium_views: p.medium_views,
            low_views: p.low_views,
            web_pages_last7: p.web7.count(),
            web_pages_last30: p.web30.count(),
            web_medium_last30: p.web30_medium,
            web_high_last30: p.web30_high,
            ping_days: p.ping_days.len(),
            decayed_ping_days: p.ping_days.iter().map(|d| f.decay(d)).sum(),
            installs_last7,
            installs_last30,
            sources: p.sources.len() as u32,
            machines: p.sources.len() as u32
                - u32::from(p.sources.contains(crate::packed::no_source())),
            versions: p.versions.distinct() as u32,
            upgrades: p.versions.upgrades(),
            page_points,
            idle_days: (as_of_day - day_of(p.last)).max(0) as u32,
        })
    }
}
