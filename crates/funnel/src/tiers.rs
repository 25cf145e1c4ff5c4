//! The GOOD / BETTER / BEST table per activity.

use crate::Funnel;
use crate::journey_summary::JourneySummary;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    None,
    Good,
    Better,
    Best,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::None => "none",
            Tier::Good => "good",
            Tier::Better => "better",
            Tier::Best => "best",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tiers {
    pub downloads: Tier,
    pub docs: Tier,
    pub web: Tier,
}

fn highest(best: bool, better: bool, good: bool) -> Tier {
    if best {
        Tier::Best
    } else if better {
        Tier::Better
    } else if good {
        Tier::Good
    } else {
        Tier::None
    }
}

pub fn tiers(f: &Funnel, x: &JourneySummary) -> Tiers {
    let t = &f.config.tiers;
    let downloads = highest(
        x.download_days_last90 >= t.downloads_best_days_of_90 && x.upgrades >= 1,
        x.downloads_last30 > t.downloads_better_last30_over,
        x.downloads_last7 >= t.downloads_good_last7.max(1),
    );
    let sources = x.docs_sources >= t.docs_min_sources;
    let docs = highest(
        x.docs_span_days > i64::from(t.docs_best_span_over_days) && sources && x.upgrade_views > 0,
        x.docs_span_days > i64::from(t.docs_better_span_over_days)
            && sources
            && x.beyond_install_views > 0,
        x.install_views >= t.docs_good_install_views,
    );
    let pages30 = x.web_pages_last30 >= t.web_min_pages;
    let web = highest(
        pages30 && x.web_high_last30,
        pages30 && x.web_medium_last30,
        x.web_pages_last7 >= t.web_min_pages,
    );
    Tiers {
        downloads,
        docs,
        web,
    }
}
