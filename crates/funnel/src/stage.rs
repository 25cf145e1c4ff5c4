//! Journey stages: the first rule that holds, with the figures that made
//! it hold and the recommended action.

use crate::Funnel;
use crate::journey_summary::JourneySummary;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    Passive,
    Intrigued,
    Trial,
    Evaluation,
    Production,
    Maintenance,
    Waning,
}

impl Stage {
    pub const ALL: [Stage; 7] = [
        Stage::Passive,
        Stage::Intrigued,
        Stage::Trial,
        Stage::Evaluation,
        Stage::Production,
        Stage::Maintenance,
        Stage::Waning,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Passive => "passive",
            Stage::Intrigued => "intrigued",
            Stage::Trial => "trial",
            Stage::Evaluation => "evaluation",
            Stage::Production => "production",
            Stage::Maintenance => "maintenance",
            Stage::Waning => "waning",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// A stage, why, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageResult {
    pub stage: Stage,
    /// The rule that fired with the figures that satisfied it.
    pub rule: String,
    pub action: String,
}

fn action(f: &Funnel, s: Stage) -> String {
    let a = &f.config.actions;
    match s {
        Stage::Passive => &a.passive,
        Stage::Intrigued => &a.intrigued,
        Stage::Trial => &a.trial,
        Stage::Evaluation => &a.evaluation,
        Stage::Production => &a.production,
        Stage::Maintenance => &a.maintenance,
        Stage::Waning => &a.waning,
    }
    .clone()
}

/// The figures the stage rules read, and nothing else: counts and spans
/// only, no recency-decayed sum. A timeline computes them per step without
/// building a [`JourneySummary`] ([`crate::timeline`]); the rules reading
/// this type rather than the summary means a rule that starts to read
/// another figure must add it here, and so to the timeline, or not compile.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StageFacts {
    pub span_days: i64,
    pub active_days: u32,
    pub last30: u32,
    pub prev30: u32,
    pub prev60: u32,
    pub downloads: u64,
    pub download_sessions: u32,
    pub download_days_last90: u32,
    pub view_days: u32,
    pub view_days_last90: u32,
    pub docs_days: u32,
    pub docs_views: u32,
    pub upgrade_views: u32,
    pub high_views: u32,
    pub medium_views: u32,
    pub ping_days: u32,
    pub versions: u32,
    pub upgrades: u32,
}

impl From<&JourneySummary> for StageFacts {
    fn from(x: &JourneySummary) -> Self {
        Self {
            span_days: x.span_days,
            active_days: x.active_days,
            last30: x.last30,
            prev30: x.prev30,
            prev60: x.prev60,
            downloads: x.downloads,
            download_sessions: x.download_sessions,
            download_days_last90: x.download_days_last90,
            view_days: x.view_days,
            view_days_last90: x.view_days_last90,
            docs_days: x.docs_days,
            docs_views: x.docs_views,
            upgrade_views: x.upgrade_views,
            high_views: x.high_views,
            medium_views: x.medium_views,
            ping_days: x.ping_days,
            versions: x.versions,
            upgrades: x.upgrades,
        }
    }
}

/// Just the stage (no texts): for timelines and tests.
pub fn stage_of(f: &Funnel, x: &JourneySummary) -> Stage {
    decide(f, &StageFacts::from(x)).0
}

/// The stage of a company with these figures (no texts).
pub fn stage_of_facts(f: &Funnel, x: &StageFacts) -> Stage {
    decide(f, x).0
}

fn decide(f: &Funnel, x: &StageFacts) -> (Stage, String) {
    let r = &f.config.stages;
    let span = x.span_days;
    if span >= i64::from(r.waning_span_days)
        && x.prev30 > 0
        && f64::from(x.last30) <= r.waning_drop_ratio * f64::from(x.prev30)
    {
        return (
            Stage::Waning,
            format!(
                "span {span} days >= {}; {} events in the last 30 days <= {} x {} in the 30 days before",
                r.waning_span_days, x.last30, r.waning_drop_ratio, x.prev30
            ),
        );
    }
    let maintenance_views = x.upgrade_views + x.medium_views;
    if span >= i64::from(r.maintenance_span_days)
        && x.versions >= r.maintenance_versions
        && x.upgrades >= 1
        && maintenance_views > 0
        && x.last30 > 0
    {
        return (
            Stage::Maintenance,
            format!(
                "span {span} days >= {}; {} versions with {} upgrade(s); {} upgrade-docs/blog views; {} events in the last 30 days",
                r.maintenance_span_days, x.versions, x.upgrades, maintenance_views, x.last30
            ),
        );
    }
    if span >= i64::from(r.production_span_days)
        && x.last30 > 0
        && x.prev30 > 0
        && x.prev60 > 0
        && x.download_days_last90 > 0
        && x.view_days_last90 > 0
    {
        return (
            Stage::Production,
            format!(
                "span {span} days >= {}; events in each of the last three 30-day windows ({}, {}, {}); downloads on {} and views on {} of the last 90 days",
                r.production_span_days,
                x.last30,
                x.prev30,
                x.prev60,
                x.download_days_last90,
                x.view_days_last90
            ),
        );
    }
    if x.ping_days >= r.production_ping_days {
        return (
            Stage::Production,
            format!(
                "call-home pings on {} days >= {}",
                x.ping_days, r.production_ping_days
            ),
        );
    }
    if x.view_days >= r.evaluation_view_days
        && x.download_sessions >= r.evaluation_download_sessions
        && span >= i64::from(r.evaluation_span_days)
    {
        return (
            Stage::Evaluation,
            format!(
                "views on {} days >= {}; {} download sessions >= {}; span {span} days >= {}",
                x.view_days,
                r.evaluation_view_days,
                x.download_sessions,
                r.evaluation_download_sessions,
                r.evaluation_span_days
            ),
        );
    }
    if x.downloads >= 1 && (x.docs_views + x.high_views) > 0 && x.active_days >= r.trial_active_days
    {
        return (
            Stage::Trial,
            format!(
                "{} downloads with {} docs and {} high-value page views on {} active days >= {}",
                x.downloads, x.docs_views, x.high_views, x.active_days, r.trial_active_days
            ),
        );
    }
    if x.downloads == 0 && x.docs_days >= r.intrigued_docs_days {
        return (
            Stage::Intrigued,
            format!(
                "docs views on {} days >= {}, no download",
                x.docs_days, r.intrigued_docs_days
            ),
        );
    }
    (
        Stage::Passive,
        format!(
            "{} active days over a span of {span} days: no other rule holds",
            x.active_days
        ),
    )
}

/// The stage of a company with these facts.
pub fn stage(f: &Funnel, x: &JourneySummary) -> StageResult {
    let (stage, rule) = decide(f, &StageFacts::from(x));
    StageResult {
        stage,
        rule: format!("{}: {rule}", stage.as_str()),
        action: action(f, stage),
    }
}
