//! Release versions, compared by scheme: PEP 440, semver 2.0, node-semver's
//! loose forms, Go modules, calendar versions, Debian and Maven, or `auto`
//! (see [`scheme`] for which scheme `auto` gives a text, and how two texts
//! of different schemes compare). A text that is not a version under the
//! scheme compares as nothing (`None`, NULL in SQL), never as older or
//! newer; so do texts longer than [`MAX_TEXT`] bytes.
//!
//! Each scheme parses into one [`Version`]: its scheme and a sort key
//! (bytes in the scheme's order, compared with one `memcmp`), or Maven's
//! item tree. A version is parsed once per distinct text ([`VersionText`],
//! shared by every history that saw it).
//!
//! # Crates
//!
//! - PEP 440 is read by `pep440_rs` (uv's parser, Apache-2.0/BSD; it
//!   brings `unscanny`, `unicode-width` and `once_cell`, all small, plus
//!   `serde`, already here). It implements every normalisation of the
//!   spec; writing that again would be 300 lines of risk. Its own
//!   comparison is fast, but its type is PEP 440 only, so its parts are
//!   copied into our key.
//! - Semver, npm-loose and Go are read by `semver` (dtolnay; no
//!   dependencies); npm and Go spellings are rewritten to strict semver
//!   first. It is also the peer of the `version_newer` bench.
//! - Debian, Maven and calendar versions are hand-written: `debversion`
//!   pulls `lazy-regex`, `num-bigint` and `chrono` for 60 lines of dpkg's
//!   algorithm; no maintained crate implements Maven's `ComparableVersion`;
//!   calendar versions have no spec to implement.
//!
//! # Speed
//!
//! `benches/version_newer.rs` measures it. Figures from a release build of
//! the same loops (2 cores, other builds running; best of 2,000 rounds of
//! 4,096 pairs): parsed versions compare at 430-450 M pairs/s for semver
//! and PEP 440 keys and 150 M pairs/s for Maven trees (target: 20 M); the
//! `semver` crate's `cmp_precedence` on the same pairs does 550-900 M
//! pairs/s, the former semver-only type 600 M. Text pairs (`version_newer`
//! in SQL: two `auto` parses and a compare) run at 4.6 M pairs/s, against
//! 8.5 M for the former semver-only parser: `auto` checks the Debian and
//! Go claims before reading semver. The journey aggregates parse each
//! distinct text once per accumulator, so they pay parses per distinct
//! version, not per row.

mod by_package;
mod calver;
mod debian;
mod go;
mod maven;
mod npm;
mod parsed;
mod pep440;
pub mod scheme;
mod semver;

pub use by_package::PackageSchemes;
pub use parsed::{Parsed, Version};
pub use scheme::{AUTO_ORDER, MAX_TEXT, Scheme, compare, compare_parsed};

use std::cmp::Ordering;
use std::sync::Arc;

/// Is `a` a newer version than `b` under `scheme`? `None` when either is
/// not a version (or no scheme reads both, under `auto`).
pub fn newer(a: &str, b: &str, scheme: Scheme) -> Option<bool> {
    compare(a, b, scheme).map(Ordering::is_gt)
}

/// A downloaded version string and its parse, made once and shared by
/// every history that saw it (an `Arc`: no copy, no second parse).
#[derive(Debug)]
pub struct VersionText {
    pub text: Box<str>,
    pub parsed: Option<Version>,
}

impl PartialEq for VersionText {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl VersionText {
    pub fn new(text: &str, scheme: Scheme) -> Arc<Self> {
        Arc::new(Self {
            text: text.into(),
            parsed: scheme.parse(text),
        })
    }

    /// Order of two parsed texts ([`compare_parsed`]); `None` when either
    /// did not parse.
    #[inline]
    pub fn compare(&self, other: &Self) -> Option<Ordering> {
        match (&self.parsed, &other.parsed) {
            (Some(a), Some(b)) => compare_parsed(&self.text, a, &other.text, b),
            _ => None,
        }
    }
}

/// The versions a company downloaded, with the first and last time each
/// was downloaded. Order-independent and mergeable.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VersionHistory {
    /// (version, first ts, last ts), one entry per distinct text
    seen: Vec<(Arc<VersionText>, i64, i64)>,
}

impl VersionHistory {
    fn touch(&mut self, i: usize, ts: i64) {
        let e = &mut self.seen[i];
        e.1 = e.1.min(ts);
        e.2 = e.2.max(ts);
    }

    /// A download of `text` at `ts`, parsed under `scheme` if new.
    pub fn add(&mut self, text: &str, ts: i64, scheme: Scheme) {
        match self.seen.iter().position(|e| &*e.0.text == text) {
            Some(i) => self.touch(i, ts),
            None => self.seen.push((VersionText::new(text, scheme), ts, ts)),
        }
    }

    /// A download of the shared version `v` at `ts`: found by pointer
    /// when the caller interns its versions, by text otherwise.
    #[inline]
    pub fn add_shared(&mut self, v: &Arc<VersionText>, ts: i64) {
        let found = self
            .seen
            .iter()
            .position(|e| Arc::ptr_eq(&e.0, v))
            .or_else(|| self.seen.iter().position(|e| e.0.text == v.text));
        match found {
            Some(i) => self.touch(i, ts),
            None => self.seen.push((Arc::clone(v), ts, ts)),
        }
    }

    pub fn merge(&mut self, other: &Self) {
        for (v, first, last) in &other.seen {
            self.add_shared(v, *first);
            self.add_shared(v, *last);
        }
    }

    /// Forget every download, keeping the allocation.
    pub fn clear(&mut self) {
        self.seen.clear();
    }

    /// Distinct version strings downloaded.
    pub fn distinct(&self) -> usize {
        self.seen.len()
    }

    /// Real upgrades: taking versions in the order they were first
    /// downloaded (versions first seen at one instant oldest first), how
    /// many times a version newer than every version downloaded before it
    /// appears. Re-downloading an old release, versions that do not parse
    /// and versions that do not compare with the newest so far (another
    /// scheme, under `auto`) never count.
    pub fn upgrades(&self) -> u32 {
        let mut order: Vec<(i64, &VersionText)> = self
            .seen
            .iter()
            .filter(|(v, _, _)| v.parsed.is_some())
            .map(|(v, first, _)| (*first, &**v))
            .collect();
        // by time, then text: a total order whatever the versions are
        order.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.text.cmp(&b.1.text)));
        // versions first seen together: oldest first, by insertion (never
        // a sort by a comparison that need not be a total order)
        for i in 1..order.len() {
            let mut j = i;
            while j > 0
                && order[j - 1].0 == order[j].0
                && order[j - 1].1.compare(order[j].1) == Some(Ordering::Greater)
            {
                order.swap(j - 1, j);
                j -= 1;
            }
        }
        let mut best: Option<&VersionText> = None;
        let mut n = 0;
        for (_, v) in order {
            match best {
                None => best = Some(v),
                Some(b) if v.compare(b) == Some(Ordering::Greater) => {
                    n += 1;
                    best = Some(v);
                }
                Some(_) => {}
            }
        }
        n
    }

    pub(crate) fn entries(&self) -> impl Iterator<Item = (&str, i64, i64)> {
        self.seen.iter().map(|(v, f, l)| (&*v.text, *f, *l))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AUTO: Scheme = Scheme::Auto;

    #[test]
    fn semantic_order() {
        assert_eq!(newer("1.10.0", "1.9.0", AUTO), Some(true));
        assert_eq!(newer("v2", "1.99.99", AUTO), Some(true));
        assert_eq!(newer("1.0.0", "1.0.0-rc.1", AUTO), Some(true));
        assert_eq!(newer("1.0.0-rc.2", "1.0.0-rc.10", AUTO), Some(false));
        assert_eq!(newer("1.0.0-beta", "1.0.0-alpha.9", AUTO), Some(true));
        assert_eq!(newer("1.2.3+build.7", "1.2.3", AUTO), Some(false));
        assert_eq!(newer("1.2", "1.2.0", AUTO), Some(false));
        assert_eq!(newer("latest", "1.0.0", AUTO), None);
        assert_eq!(newer("", "1.0.0", AUTO), None);
        assert_eq!(newer("1..2", "1.0.0", AUTO), None);
        // the PEP 440 cases
        assert_eq!(newer("1.0", "1.0rc1", AUTO), Some(true));
        assert_eq!(newer("1.0a0", "1.0.dev0", AUTO), Some(true));
        assert_eq!(newer("1!1.0", "2.0", AUTO), Some(true));
        for (a, b) in [
            ("1.0-rc1", "1.0rc1"),
            ("1.0.post", "1.0.post0"),
            ("1.0.DEV", "1.0.dev0"),
        ] {
            assert_eq!(compare(a, b, AUTO), Some(Ordering::Equal), "{a} {b}");
        }
        // a scheme given: semver does not read PEP 440
        assert_eq!(newer("1.0", "1.0rc1", Scheme::Semver), None);
    }

    #[test]
    fn upgrades_count_new_high_water_marks_only() {
        let mut h = VersionHistory::default();
        h.add("1.9.0", 10, AUTO);
        h.add("1.10.0", 20, AUTO); // upgrade
        h.add("1.2.0", 30, AUTO); // an old release fetched later: not an upgrade
        h.add("nightly", 40, AUTO); // not a version
        h.add("v1.10.0", 50, AUTO); // same as 1.10.0: not newer
        h.add("2.0.0-rc.1", 60, AUTO); // upgrade
        assert_eq!(h.upgrades(), 2);
        assert_eq!(h.distinct(), 6);
    }

    #[test]
    fn python_release_candidates_and_post_releases_are_upgrades() {
        let mut h = VersionHistory::default();
        h.add("2.0.0rc1", 10, AUTO);
        h.add("2.0.0", 20, AUTO);
        h.add("2.0.1.post1", 30, AUTO);
        h.add("2.0.0rc1", 40, AUTO);
        assert_eq!(h.upgrades(), 2);
    }

    #[test]
    fn versions_first_seen_together_count_oldest_first() {
        let mut h = VersionHistory::default();
        h.add("2.0.0", 10, AUTO);
        h.add("1.0.0", 10, AUTO);
        h.add("3.0.0", 10, AUTO);
        assert_eq!(h.upgrades(), 2);
    }

    #[test]
    fn downgrade_order_is_not_an_upgrade() {
        let mut h = VersionHistory::default();
        h.add("2.0.0", 10, AUTO);
        h.add("1.0.0", 20, AUTO);
        assert_eq!(h.upgrades(), 0);
        let mut other = VersionHistory::default();
        other.add("2.1.0", 30, AUTO);
        h.merge(&other);
        assert_eq!(h.upgrades(), 1);
    }

    #[test]
    fn parsed_versions_stay_small() {
        assert!(size_of::<Version>() <= 24, "{}", size_of::<Version>());
        assert!(size_of::<Option<Version>>() <= 24);
    }
}
