//! The version schemes, by name, and the `auto` scheme that picks one per
//! text.
//!
//! # `auto`
//!
//! A text gets the first scheme of this list that claims it:
//!
//! 1. `debian` — it parses as a Debian version *and* has an epoch
//!    (`1:2.3-1`), a `~` (`2.0~rc1`) or a Debian/Ubuntu marker (`ubuntu`,
//!    `deb`, `dfsg`, `+nmu`, `+really`);
//! 2. `go` — a `v` version that is a Go pseudo-version
//!    (`v0.0.0-20191109021931-daa7c04131f5`) or `+incompatible`;
//! 3. `semver` — strict semver 2.0 (`1.2.3`, `v1.2.3-rc.1+build`);
//! 4. `pep440` — PEP 440 (`1.0rc1`, `1.0.post1`, `1!2.0`, `1.2`, `v2`);
//! 5. `npm` — node-semver's loose forms (`=1.2.3`, `v 1.2.3`, `01.2.3`);
//! 6. `calver` — a four-digit year first and at least two numbers
//!    (`2024-01-15`, `2024.04-beta`);
//! 7. `maven` — anything else that starts with a digit, has a letter and
//!    is made of letters, digits and single `.`/`-`/`_` separators
//!    (`1.0-SNAPSHOT`, `3.8.GA-1`, `1.0.Final`).
//!
//! Anything else (`latest`, `main`, ``) is not a version: NULL.
//!
//! Two texts that got different schemes are compared under whichever of
//! their two schemes comes first in that list *and reads both texts*;
//! NULL when neither does. So `2.0.0rc1` (pep440) and `2.0.0` (semver)
//! compare under PEP 440 (2.0.0rc1 is older), `2.3-1` (pep440) and
//! `2.3-1ubuntu1` (debian) under Debian, `1.0-alpha-1` (pep440) and
//! `1.0-SNAPSHOT` (maven) under Maven, and `1:2.0` against `v0.0.0-2019…`
//! is NULL. The rule is symmetric: `newer(a, b)` and `newer(b, a)` use
//! one scheme.

use super::parsed::{Parsed, Version};
use super::{calver, debian, go, maven, npm, pep440, semver};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Texts longer than this (in bytes) are not versions under any scheme
/// (10,000-character "versions" are NULL, not a slow parse); nor are
/// texts without a letter or digit (empty, punctuation only), which Maven
/// alone would read.
pub const MAX_TEXT: usize = 1024;

/// Can `text` be a version at all?
#[inline]
fn plausible(text: &str) -> bool {
    text.len() <= MAX_TEXT && text.chars().any(char::is_alphanumeric)
}

/// A version scheme, or `auto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    #[default]
    Auto,
    Pep440,
    Semver,
    Npm,
    Go,
    Calver,
    Debian,
    Maven,
}

/// The order `auto` tries the schemes in.
pub const AUTO_ORDER: [Scheme; 7] = [
    Scheme::Debian,
    Scheme::Go,
    Scheme::Semver,
    Scheme::Pep440,
    Scheme::Npm,
    Scheme::Calver,
    Scheme::Maven,
];

impl Scheme {
    /// Every scheme, `auto` first.
    pub const ALL: [Scheme; 8] = [
        Scheme::Auto,
        Scheme::Pep440,
        Scheme::Semver,
        Scheme::Npm,
        Scheme::Go,
        Scheme::Calver,
        Scheme::Debian,
        Scheme::Maven,
    ];

    /// Its place in [`Scheme::ALL`].
    #[inline]
    pub const fn index(self) -> u64 {
        self as u64
    }

    /// Its name in SQL and in the configuration.
    pub const fn name(self) -> &'static str {
        match self {
            Scheme::Auto => "auto",
            Scheme::Pep440 => "pep440",
            Scheme::Semver => "semver",
            Scheme::Npm => "npm",
            Scheme::Go => "go",
            Scheme::Calver => "calver",
            Scheme::Debian => "debian",
            Scheme::Maven => "maven",
        }
    }

    /// The scheme named `name` (case-insensitive); `None` for an unknown
    /// name (see [`Scheme::names`] for the message).
    pub fn from_name(name: &str) -> Option<Self> {
        let name = name.trim();
        Self::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(name))
    }

    /// The valid names, for error messages: `auto, pep440, ...`.
    pub fn names() -> String {
        Self::ALL.map(Scheme::name).join(", ")
    }

    /// Parse `text` under this scheme (`auto`: the first that claims it).
    pub fn parse(self, text: &str) -> Option<Version> {
        if !plausible(text) {
            return None;
        }
        match self {
            Scheme::Auto => auto_parse(text),
            Scheme::Pep440 => pep440::parse(text),
            Scheme::Semver => semver::parse(text),
            Scheme::Npm => npm::parse(text),
            Scheme::Go => go::parse(text),
            Scheme::Calver => calver::parse(text),
            Scheme::Debian => debian::parse(text),
            Scheme::Maven => maven::parse(text),
        }
    }

    /// What this scheme understands in `text` (`version_parse`).
    pub fn describe(self, text: &str) -> Option<Parsed> {
        if !plausible(text) {
            return None;
        }
        match self {
            Scheme::Auto => Self::detect(text)?.describe(text),
            Scheme::Pep440 => pep440::describe(text),
            Scheme::Semver => semver::describe(text),
            Scheme::Npm => npm::describe(text),
            Scheme::Go => go::describe(text),
            Scheme::Calver => calver::describe(text),
            Scheme::Debian => debian::describe(text),
            Scheme::Maven => maven::describe(text),
        }
    }

    /// The scheme `auto` gives `text`, if any.
    pub fn detect(text: &str) -> Option<Scheme> {
        if !plausible(text) {
            return None;
        }
        AUTO_ORDER.into_iter().find(|s| match s {
            Scheme::Debian | Scheme::Go | Scheme::Calver | Scheme::Maven => s.claims(text),
            s => s.parse(text).is_some(),
        })
    }

    fn auto_rank(self) -> usize {
        AUTO_ORDER
            .iter()
            .position(|s| *s == self)
            .unwrap_or(AUTO_ORDER.len())
    }
}

/// `auto`'s parse in one pass: the claiming schemes are asked first, the
/// others parse once (no separate detection).
fn auto_parse(text: &str) -> Option<Version> {
    for s in AUTO_ORDER {
        match s {
            Scheme::Debian | Scheme::Go | Scheme::Calver | Scheme::Maven => {
                if s.claims(text) {
                    return s.parse(text);
                }
            }
            s => {
                if let Some(v) = s.parse(text) {
                    return Some(v);
                }
            }
        }
    }
    None
}

impl Scheme {
    /// Does this scheme claim `text` under `auto`? (Only the schemes
    /// with a claim narrower than their parse: debian, go, calver, maven.)
    fn claims(self, text: &str) -> bool {
        match self {
            Scheme::Debian => debian::claims(text),
            Scheme::Go => go::claims(text),
            Scheme::Calver => calver::claims(text),
            Scheme::Maven => maven::claims(text),
            _ => false,
        }
    }
}

/// Order of two parsed texts. Same scheme: theirs. Different schemes
/// (only under `auto`): the first of the two schemes in [`AUTO_ORDER`]
/// that reads both texts decides; `None` if neither does.
pub fn compare_parsed(a_text: &str, a: &Version, b_text: &str, b: &Version) -> Option<Ordering> {
    if a.scheme() == b.scheme() {
        return a.compare(b);
    }
    let (first, second) = if a.scheme().auto_rank() <= b.scheme().auto_rank() {
        (a.scheme(), b.scheme())
    } else {
        (b.scheme(), a.scheme())
    };
    [first, second].into_iter().find_map(|s| {
        let x = if s == a.scheme() {
            a.clone()
        } else {
            s.parse(a_text)?
        };
        let y = if s == b.scheme() {
            b.clone()
        } else {
            s.parse(b_text)?
        };
        x.compare(&y)
    })
}

/// Order of two texts under `scheme`; `None` when either is not a
/// version (or, under `auto`, when no scheme reads both).
pub fn compare(a: &str, b: &str, scheme: Scheme) -> Option<Ordering> {
    let (x, y) = (scheme.parse(a)?, scheme.parse(b)?);
    compare_parsed(a, &x, b, &y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_picks_the_documented_scheme() {
        for (text, scheme) in [
            ("1.0rc1", Scheme::Pep440),
            ("1.2.3-rc.1", Scheme::Semver),
            ("1.2.3", Scheme::Semver),
            ("v1.2.3", Scheme::Semver),
            ("1.2", Scheme::Pep440),
            ("v2", Scheme::Pep440),
            ("2.0.1.post1", Scheme::Pep440),
            ("v1.2.4-0.20191109021931-daa7c04131f5", Scheme::Go),
            ("v2.0.0+incompatible", Scheme::Go),
            ("1:2.3-1", Scheme::Debian),
            ("2.0~rc1-1", Scheme::Debian),
            ("2.3-1ubuntu1", Scheme::Debian),
            ("=1.2.3", Scheme::Npm),
            ("1.2.3+b7", Scheme::Semver),
            ("2024-01-15", Scheme::Calver),
            ("1.0-SNAPSHOT", Scheme::Maven),
            ("1.0.Final", Scheme::Maven),
        ] {
            assert_eq!(Scheme::detect(text), Some(scheme), "{text}");
        }
        for none in ["latest", "main", "", "  ", "...", "-", "v", "x1.0"] {
            assert_eq!(Scheme::detect(none), None, "{none:?}");
        }
    }

    #[test]
    fn mixed_schemes_compare_under_one_that_reads_both() {
        let c = |a: &str, b: &str| compare(a, b, Scheme::Auto);
        assert_eq!(c("2.0.0rc1", "2.0.0"), Some(Ordering::Less));
        assert_eq!(c("2.0.0", "2.0.0rc1"), Some(Ordering::Greater));
        assert_eq!(c("2.0.1.post1", "2.0.0"), Some(Ordering::Greater));
        assert_eq!(c("2.3-1", "2.3-1ubuntu1"), Some(Ordering::Less));
        assert_eq!(c("1.0-alpha-1", "1.0-SNAPSHOT"), Some(Ordering::Less));
        assert_eq!(c("1.0", "1.0-sp1"), Some(Ordering::Less));
        assert_eq!(c("1:2.0", "v0.0.0-20191109021931-daa7c04131f5"), None);
        assert_eq!(c("latest", "1.0"), None);
    }

    #[test]
    fn names_round_trip_and_unknown_is_none() {
        for s in Scheme::ALL {
            assert_eq!(Scheme::from_name(s.name()), Some(s));
        }
        assert_eq!(Scheme::from_name("PEP440"), Some(Scheme::Pep440));
        assert_eq!(Scheme::from_name("rpm"), None);
        assert_eq!(
            Scheme::names(),
            "auto, pep440, semver, npm, go, calver, debian, maven"
        );
    }
}
