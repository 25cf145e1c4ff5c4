//! The journey rules of leadlake (`docs/funnel.md`) in plain
//! Rust, knowing nothing of DataFusion: page classes, user agents,
//! versions, sessions, and per-company profiles that yield activity tiers,
//! a journey stage and a lead score.

pub mod codec;
pub mod config;
pub mod days;
pub mod journey_summary;
pub mod packed;
pub mod page_class;
pub mod profile;
pub mod score;
pub mod session;
pub mod small;
pub mod source;
pub mod stage;
pub mod tiers;
pub mod timeline;
mod timeline_pass;
pub mod ua;
pub mod version;

pub use config::{ConfigError, FunnelConfig, SourceRules};
pub use journey_summary::JourneySummary;
pub use page_class::{PageClass, PageRules};
pub use profile::{Event, Kind, Profile};
pub use session::Sessions;
pub use stage::{Stage, StageResult};
pub use tiers::{Tier, Tiers};

/// Days of recency decay kept in a table; older days decay by formula.
const DECAY_TABLE_DAYS: usize = 4096;

/// A validated, compiled configuration.
#[derive(Debug, Clone)]
pub struct Funnel {
    pub config: FunnelConfig,
    pub pages: PageRules,
    pub sessions: Sessions,
    /// Which scheme each package's versions are compared under.
    pub schemes: version::PackageSchemes,
    decay: Vec<f64>,
    /// The configuration as JSON: identity for equality and hashing.
    key: String,
}

impl PartialEq for Funnel {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for Funnel {}

impl std::hash::Hash for Funnel {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}

impl Default for Funnel {
    fn default() -> Self {
        #[expect(
            clippy::expect_used,
            reason = "the default configuration is valid: `validation_names_the_key` checks it"
        )]
        Self::new(FunnelConfig::default()).expect("default funnel configuration")
    }
}

impl Funnel {
    /// Validate and compile `config`.
    pub fn new(config: FunnelConfig) -> Result<Self, ConfigError> {
        config.validate()?;
        let pages = PageRules::new(&config.pages)?;
        let sessions = Sessions::from_rules(&config.sessions);
        let schemes = version::PackageSchemes::new(config.version_scheme, &config.version_schemes)
            .map_err(|reason| ConfigError {
                key: "version_schemes".into(),
                reason,
            })?;
        let half_life = config.score.half_life_days;
        let decay = (0..DECAY_TABLE_DAYS)
            .map(|d| 0.5f64.powf(d as f64 / half_life))
            .collect();
        let key = serde_json::to_string(&config).unwrap_or_default();
        Ok(Self {
            config,
            pages,
            sessions,
            schemes,
            decay,
            key,
        })
    }

    /// Recency weight of an event `days` before `as_of`'s day.
    #[inline]
    pub fn decay(&self, days: u32) -> f64 {
        match self.decay.get(days as usize) {
            Some(w) => *w,
            None => 0.5f64.powf(f64::from(days) / self.config.score.half_life_days),
        }
    }

    /// Tiers, stage and score of a profile; `None` without events.
    pub fn evaluate(
        &self,
        p: &Profile,
    ) -> Option<(JourneySummary, Tiers, StageResult, score::Score)> {
        let x = JourneySummary::of(self, p)?;
        let t = tiers::tiers(self, &x);
        let s = stage::stage(self, &x);
        let sc = score::score(self, &x);
        Some((x, t, s, sc))
    }
}
