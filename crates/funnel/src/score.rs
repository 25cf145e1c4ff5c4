//! Lead score 0-100: the sum of explainable components, each saturating,
//! automation damped (sessions and sources count, raw volume does not),
//! recency decayed.

use crate::Funnel;
use crate::journey_summary::JourneySummary;

/// The score and the points of each component (rounded to 0.1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    pub score: u8,
    pub call_home: f64,
    pub downloads: f64,
    pub pages: f64,
    pub sustained: f64,
    pub sources: f64,
    pub upgrades: f64,
}

fn saturate(x: f64, half: f64) -> f64 {
    if x <= 0.0 { 0.0 } else { x / (x + half) }
}

fn tenth(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

pub fn score(f: &Funnel, x: &JourneySummary) -> Score {
    let s = &f.config.score;
    let call_home = s.call_home_points * saturate(x.decayed_ping_days, s.call_home_half_days);
    let downloads = s.downloads_points * saturate(x.decayed_sessions, s.downloads_half_sessions);
    let pages = s.pages_points * saturate(x.page_points, s.pages_half_points);
    let sustained = s.sustained_points
        * (x.span_days as f64 / s.sustained_span_days).min(1.0)
        * (f64::from(x.active_days) / s.sustained_active_days).min(1.0)
        * f.decay(x.idle_days);
    let sources = if x.sources > 1 {
        s.sources_points * (1.0 - 1.0 / f64::from(x.sources))
    } else {
        0.0
    };
    let upgrades = s.upgrades_points * saturate(f64::from(x.upgrades), 1.0);
    let total = call_home + downloads + pages + sustained + sources + upgrades;
    Score {
        score: total.round().clamp(0.0, 100.0) as u8,
        call_home: tenth(call_home),
        downloads: tenth(downloads),
        pages: tenth(pages),
        sustained: tenth(sustained),
        sources: tenth(sources),
        upgrades: tenth(upgrades),
    }
}
