//! Every threshold of the journey rules, with the defaults of
//! `docs/funnel.md`. Read from the `[funnel]` section of
//! `leadlake.toml`; [`FunnelConfig::validate`] names the key at fault.

use serde::{Deserialize, Serialize};

/// A configuration value that cannot be used: `key` is its path under
/// `[funnel]` (`stages.waning.drop_ratio`, `pages[2].pattern`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{key}: {reason}")]
pub struct ConfigError {
    pub key: String,
    pub reason: String,
}

/// All journey rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FunnelConfig {
    pub sessions: SessionRules,
    /// Ordered page rules, first match wins; unmatched paths are `low`.
    pub pages: Vec<PageRule>,
    pub tiers: TierRules,
    pub stages: StageRules,
    pub actions: Actions,
    pub score: ScoreRules,
    /// What one source (one machine) is: [`crate::source`].
    pub sources: SourceRules,
    /// How download versions are compared when counting upgrades:
    /// `auto` (default), `pep440`, `semver`, `npm`, `go`, `calver`,
    /// `debian` or `maven` (see `docs/configuration.md`), for packages
    /// `version_schemes` does not name and downloads without a package.
    pub version_scheme: crate::version::Scheme,
    /// Package name or glob → scheme (`numpy = "pep440"`, `"@acme/*" =
    /// "npm"`); see [`crate::version::PackageSchemes`] for how a name
    /// matches.
    pub version_schemes: std::collections::BTreeMap<String, crate::version::Scheme>,
}

/// How events of one source group into sessions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SessionRules {
    /// Inactivity gap closing a session.
    pub gap_minutes: u32,
    /// Longest session; a longer run of events starts a new session.
    pub max_length_minutes: Option<u32>,
}

/// What one source is (`[funnel.sources]`, `docs/funnel.md#sources`):
/// an IPv4 address or an IPv6 network, split by client family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SourceRules {
    /// The prefix length an IPv6 address is cut to: one /64 is one
    /// network whatever interface ids its machines take (48 to 128).
    pub ipv6_prefix: u8,
    /// Split each address or network by the client family `ua_info`
    /// names (`pip`, `npm`, `browser`, ...), so the machines behind one
    /// NAT address or one /64 count apart when their clients differ.
    pub by_client: bool,
}

/// One page rule: a case-insensitive regular expression on the path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageRule {
    /// `high`, `docs_install`, `docs_upgrade`, `docs_other`, `medium` or `low`.
    pub class: String,
    pub pattern: String,
}

/// The GOOD / BETTER / BEST table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TierRules {
    /// downloads good: at least this many downloads in the last 7 days.
    pub downloads_good_last7: u32,
    /// downloads better: more than this many downloads in the last 30 days.
    pub downloads_better_last30_over: u32,
    /// downloads best: downloads on at least this many of the last 90 days
    /// (and an upgrade).
    pub downloads_best_days_of_90: u32,
    /// docs good: at least this many views of install pages.
    pub docs_good_install_views: u32,
    /// docs better: docs views spanning more than this many days ...
    pub docs_better_span_over_days: u32,
    /// docs best: docs views spanning more than this many days ...
    pub docs_best_span_over_days: u32,
    /// ... from at least this many sources.
    pub docs_min_sources: u32,
    /// web: at least this many distinct pages.
    pub web_min_pages: u32,
}

/// Stage thresholds; stages are tried in the order waning, maintenance,
/// production, evaluation, trial, intrigued, and `passive` is the rest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StageRules {
    pub waning_span_days: u32,
    /// waning when events in the last 30 days ≤ this share of the 30 before.
    pub waning_drop_ratio: f64,
    pub maintenance_span_days: u32,
    pub maintenance_versions: u32,
    pub production_span_days: u32,
    /// call-home pings on at least this many days make `production`.
    pub production_ping_days: u32,
    pub evaluation_view_days: u32,
    pub evaluation_download_sessions: u32,
    pub evaluation_span_days: u32,
    pub trial_active_days: u32,
    pub intrigued_docs_days: u32,
}

/// The recommended next step per stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Actions {
    pub passive: String,
    pub intrigued: String,
    pub trial: String,
    pub evaluation: String,
    pub production: String,
    pub maintenance: String,
    pub waning: String,
}

/// Lead score: points per component and how fast they saturate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScoreRules {
    /// Recency half-life.
    pub half_life_days: f64,
    /// Maximum points per component (they add up to the score, capped at 100).
    pub call_home_points: f64,
    pub downloads_points: f64,
    pub pages_points: f64,
    pub sustained_points: f64,
    pub sources_points: f64,
    pub upgrades_points: f64,
    /// Half the call-home points at this many (decayed) ping days.
    pub call_home_half_days: f64,
    /// Half the download points at this many (decayed) distinct
    /// (source, download session) pairs.
    pub downloads_half_sessions: f64,
    /// Half the page points at this many (decayed) page points.
    pub pages_half_points: f64,
    /// Value of one view per page class.
    pub high_view: f64,
    pub docs_view: f64,
    pub medium_view: f64,
    pub low_view: f64,
    /// Full sustained points from this span and this many active days on.
    pub sustained_span_days: f64,
    pub sustained_active_days: f64,
}

impl Default for FunnelConfig {
    fn default() -> Self {
        let rule = |class: &str, pattern: &str| PageRule {
            class: class.into(),
            pattern: pattern.into(),
        };
        const DOCS: &str = r"(^|/)(docs?|documentation)(/|$)";
        Self {
            sessions: SessionRules::default(),
            pages: vec![
                rule(
                    "high",
                    r"pricing|sign-?up|register|contact|enterprise|demo|trial|buy",
                ),
                rule(
                    "docs_install",
                    &format!(r"{DOCS}.*(install|set-?up|getting[-_]?started|quick-?start)"),
                ),
                rule(
                    "docs_upgrade",
                    &format!(
                        r"{DOCS}.*(upgrad|migrat|release[-_]?notes|changelog|readme|maintenance)|(^|/)(readme|changelog)"
                    ),
                ),
                rule("docs_other", DOCS),
                rule(
                    "medium",
                    r"blog|forum|community|features|tutorial|case[-_]?stud",
                ),
            ],
            tiers: TierRules::default(),
            stages: StageRules::default(),
            actions: Actions::default(),
            score: ScoreRules::default(),
            sources: SourceRules::default(),
            version_scheme: crate::version::Scheme::Auto,
            version_schemes: std::collections::BTreeMap::new(),
        }
    }
}

impl Default for SessionRules {
    fn default() -> Self {
        Self {
            gap_minutes: 30,
            max_length_minutes: None,
        }
    }
}

impl Default for SourceRules {
    fn default() -> Self {
        Self {
            ipv6_prefix: 64,
            by_client: true,
        }
    }
}

impl Default for TierRules {
    fn default() -> Self {
        Self {
            downloads_good_last7: 1,
            downloads_better_last30_over: 1,
            downloads_best_days_of_90: 60,
            docs_good_install_views: 2,
            docs_better_span_over_days: 30,
            docs_best_span_over_days: 90,
            docs_min_sources: 2,
            web_min_pages: 2,
        }
    }
}

impl Default for StageRules {
    fn default() -> Self {
        Self {
            waning_span_days: 60,
            waning_drop_ratio: 0.25,
            maintenance_span_days: 90,
            maintenance_versions: 2,
            production_span_days: 90,
            production_ping_days: 30,
            evaluation_view_days: 3,
            evaluation_download_sessions: 2,
            evaluation_span_days: 21,
            trial_active_days: 2,
            intrigued_docs_days: 2,
        }
    }
}

impl Default for Actions {
    fn default() -> Self {
        Self {
            passive: "No action".into(),
            intrigued: "Promote content to engineers".into(),
            trial: "Promote how-tos".into(),
            evaluation: "Commercial offer".into(),
            production: "Outreach".into(),
            maintenance: "Outreach".into(),
            waning: "Retention".into(),
        }
    }
}

impl Default for ScoreRules {
    fn default() -> Self {
        Self {
            half_life_days: 30.0,
            call_home_points: 25.0,
            downloads_points: 20.0,
            pages_points: 15.0,
            sustained_points: 20.0,
            sources_points: 10.0,
            upgrades_points: 10.0,
            call_home_half_days: 10.0,
            downloads_half_sessions: 5.0,
            pages_half_points: 20.0,
            high_view: 5.0,
            docs_view: 2.0,
            medium_view: 1.0,
            low_view: 0.5,
            sustained_span_days: 180.0,
            sustained_active_days: 24.0,
        }
    }
}

fn positive(key: &str, v: f64) -> Result<(), ConfigError> {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        Err(ConfigError {
            key: key.into(),
            reason: format!("must be a positive number, got {v}"),
        })
    }
}

fn not_negative(key: &str, v: f64) -> Result<(), ConfigError> {
    if v.is_finite() && v >= 0.0 {
        Ok(())
    } else {
        Err(ConfigError {
            key: key.into(),
            reason: format!("must be zero or more, got {v}"),
        })
    }
}

impl FunnelConfig {
    /// Check every value; the page rules are checked when compiled.
    pub fn validate(&self) -> Result<(), ConfigError> {
        crate::version::PackageSchemes::new(self.version_scheme, &self.version_schemes).map_err(
            |reason| ConfigError {
                key: "version_schemes".into(),
                reason,
            },
        )?;
        if self.sessions.gap_minutes == 0 {
            return Err(ConfigError {
                key: "sessions.gap_minutes".into(),
                reason: "must be at least 1".into(),
            });
        }
        if self.sessions.max_length_minutes == Some(0) {
            return Err(ConfigError {
                key: "sessions.max_length_minutes".into(),
                reason: "must be at least 1".into(),
            });
        }
        let p = self.sources.ipv6_prefix;
        if !crate::source::IPV6_PREFIXES.contains(&p) {
            return Err(ConfigError {
                key: "sources.ipv6_prefix".into(),
                reason: format!(
                    "must be between {} and {}, got {p}",
                    crate::source::IPV6_PREFIXES.start(),
                    crate::source::IPV6_PREFIXES.end()
                ),
            });
        }
        let r = self.stages.waning_drop_ratio;
        if !(0.0..=1.0).contains(&r) {
            return Err(ConfigError {
                key: "stages.waning_drop_ratio".into(),
                reason: format!("must be between 0 and 1, got {r}"),
            });
        }
        let s = &self.score;
        positive("score.half_life_days", s.half_life_days)?;
        for (k, v) in [
            ("score.call_home_points", s.call_home_points),
            ("score.downloads_points", s.downloads_points),
            ("score.pages_points", s.pages_points),
            ("score.sustained_points", s.sustained_points),
            ("score.sources_points", s.sources_points),
            ("score.upgrades_points", s.upgrades_points),
            ("score.high_view", s.high_view),
            ("score.docs_view", s.docs_view),
            ("score.medium_view", s.medium_view),
            ("score.low_view", s.low_view),
        ] {
            not_negative(k, v)?;
        }
        for (k, v) in [
            ("score.call_home_half_days", s.call_home_half_days),
            ("score.downloads_half_sessions", s.downloads_half_sessions),
            ("score.pages_half_points", s.pages_half_points),
            ("score.sustained_span_days", s.sustained_span_days),
            ("score.sustained_active_days", s.sustained_active_days),
        ] {
            positive(k, v)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_overrides_defaults_and_rejects_unknown_keys() {
        let c: FunnelConfig =
            toml::from_str("[stages]\nwaning_drop_ratio = 0.5\n[sessions]\ngap_minutes = 10\n")
                .unwrap();
        assert_eq!(c.stages.waning_drop_ratio, 0.5);
        assert_eq!(c.sessions.gap_minutes, 10);
        assert_eq!(c.stages.production_span_days, 90);
        let e = toml::from_str::<FunnelConfig>("[actions]\nprodution = \"x\"\n").unwrap_err();
        assert!(e.message().contains("unknown field `prodution`"), "{e}");
        let e = toml::from_str::<FunnelConfig>("[stages]\nwaning_span_days = -5\n").unwrap_err();
        assert!(e.message().contains("invalid value"), "{e}");
    }

    #[test]
    fn version_scheme_is_read_by_name_and_unknown_names_list_the_valid_ones() {
        use crate::version::Scheme;
        assert_eq!(FunnelConfig::default().version_scheme, Scheme::Auto);
        let c: FunnelConfig = toml::from_str("version_scheme = \"pep440\"\n").unwrap();
        assert_eq!(c.version_scheme, Scheme::Pep440);
        let e = toml::from_str::<FunnelConfig>("version_scheme = \"rpm\"\n").unwrap_err();
        let m = e.message();
        assert!(m.contains("unknown variant `rpm`"), "{m}");
        for s in Scheme::ALL {
            assert!(m.contains(&format!("`{}`", s.name())), "{m}");
        }
    }

    #[test]
    fn validation_names_the_key() {
        let mut c = FunnelConfig::default();
        c.validate().unwrap();
        c.stages.waning_drop_ratio = 1.5;
        assert_eq!(
            c.validate().unwrap_err().to_string(),
            "stages.waning_drop_ratio: must be between 0 and 1, got 1.5"
        );
        let mut c = FunnelConfig::default();
        c.score.half_life_days = -1.0;
        assert_eq!(
            c.validate().unwrap_err().to_string(),
            "score.half_life_days: must be a positive number, got -1"
        );
        let mut c = FunnelConfig::default();
        c.sessions.gap_minutes = 0;
        assert_eq!(c.validate().unwrap_err().key, "sessions.gap_minutes");
    }

    #[test]
    fn source_rules_default_to_a_64_split_by_client_and_refuse_other_prefixes() {
        let c = FunnelConfig::default();
        assert_eq!(c.sources.ipv6_prefix, 64);
        assert!(c.sources.by_client);
        let c: FunnelConfig =
            toml::from_str("[sources]\nipv6_prefix = 56\nby_client = false\n").unwrap();
        assert_eq!(
            c.sources,
            SourceRules {
                ipv6_prefix: 56,
                by_client: false
            }
        );
        c.validate().unwrap();
        for (p, ok) in [
            (47, false),
            (48, true),
            (128, true),
            (129, false),
            (0, false),
        ] {
            let mut c = FunnelConfig::default();
            c.sources.ipv6_prefix = p;
            match c.validate() {
                Ok(()) => assert!(ok, "{p} accepted"),
                Err(e) => {
                    assert!(!ok, "{p} refused: {e}");
                    assert_eq!(
                        e.to_string(),
                        format!("sources.ipv6_prefix: must be between 48 and 128, got {p}")
                    );
                }
            }
        }
        let e = toml::from_str::<FunnelConfig>("[sources]\nipv6_prefix = 300\n").unwrap_err();
        assert!(e.message().contains("invalid value"), "{e}");
        let e = toml::from_str::<FunnelConfig>("[sources]\nby_agent = true\n").unwrap_err();
        assert!(e.message().contains("unknown field `by_agent`"), "{e}");
    }
}
