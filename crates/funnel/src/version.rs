//! Release versions compared as semantic versions, tolerant of a `v`
//! prefix, missing minor/patch parts and pre-releases. Strings that are not
//! versions compare as nothing (`None`), never as older or newer.

use std::cmp::Ordering;
use std::sync::Arc;

/// A parsed version: `major.minor.patch[-pre][+build]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    /// Pre-release identifiers (`rc.1` → `["rc", "1"]`); empty for a release.
    pub pre: Vec<String>,
}

impl Version {
    /// Parse `1.2.3`, `v1.2`, `1.2.3-rc.1+build`, `2` ... ; `None` for
    /// anything else (`latest`, `main`, an empty string).
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        let t = t.strip_prefix(['v', 'V']).unwrap_or(t);
        let t = t.split_once('+').map_or(t, |(v, _)| v);
        let (core, pre) = match t.split_once('-') {
            Some((c, p)) => (c, Some(p)),
            None => (t, None),
        };
        let mut parts = core.split('.');
        let mut next = |required: bool| -> Option<u64> {
            match parts.next() {
                Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => p.parse().ok(),
                Some(_) => None,
                None if required => None,
                None => Some(0),
            }
        };
        let major = next(true)?;
        let minor = next(false)?;
        let patch = next(false)?;
        if parts.next().is_some() {
            return None;
        }
        let pre = match pre {
            None => Vec::new(),
            Some(p) => {
                let ids: Vec<String> = p.split('.').map(str::to_string).collect();
                if ids.iter().any(|i| {
                    i.is_empty() || !i.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                }) {
                    return None;
                }
                ids
            }
        };
        Some(Self {
            major,
            minor,
            patch,
            pre,
        })
    }
}

fn compare_pre(a: &[String], b: &[String]) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        // a release is newer than any of its pre-releases
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        (false, false) => {}
    }
    for (x, y) in a.iter().zip(b) {
        let order = match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(m), Ok(n)) => m.cmp(&n),
            (Ok(_), Err(_)) => Ordering::Less,
            (Err(_), Ok(_)) => Ordering::Greater,
            (Err(_), Err(_)) => x.cmp(y),
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    a.len().cmp(&b.len())
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| compare_pre(&self.pre, &other.pre))
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Is `a` a newer version than `b`? `None` when either is not a version.
pub fn newer(a: &str, b: &str) -> Option<bool> {
    Some(Version::parse(a)? > Version::parse(b)?)
}

/// A downloaded version string and its parse, made once and shared by
/// every history that saw it (an `Arc`: no copy, no second parse).
#[derive(Debug, PartialEq)]
pub struct VersionText {
    pub text: Box<str>,
    pub parsed: Option<Version>,
}

impl VersionText {
    pub fn new(text: &str) -> Arc<Self> {
        Arc::new(Self {
            text: text.into(),
            parsed: Version::parse(text),
        })
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

    /// A download of `text` at `ts`.
    pub fn add(&mut self, text: &str, ts: i64) {
        match self.seen.iter().position(|e| &*e.0.text == text) {
            Some(i) => self.touch(i, ts),
            None => self.seen.push((VersionText::new(text), ts, ts)),
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
    /// downloaded, how many times a version newer than every version
    /// downloaded before it appears. Re-downloading an old release, or
    /// versions that do not parse, never count.
    pub fn upgrades(&self) -> u32 {
        let mut order: Vec<(i64, &Version)> = self
            .seen
            .iter()
            .filter_map(|(v, first, _)| v.parsed.as_ref().map(|p| (*first, p)))
            .collect();
        order.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
        let mut best: Option<&Version> = None;
        let mut n = 0;
        for (_, v) in order {
            match best {
                None => best = Some(v),
                Some(b) if v > b => {
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

    #[test]
    fn semantic_order() {
        assert_eq!(newer("1.10.0", "1.9.0"), Some(true));
        assert_eq!(newer("v2", "1.99.99"), Some(true));
        assert_eq!(newer("1.0.0", "1.0.0-rc.1"), Some(true));
        assert_eq!(newer("1.0.0-rc.2", "1.0.0-rc.10"), Some(false));
        assert_eq!(newer("1.0.0-beta", "1.0.0-alpha.9"), Some(true));
        assert_eq!(newer("1.2.3+build.7", "1.2.3"), Some(false));
        assert_eq!(newer("1.2", "1.2.0"), Some(false));
        assert_eq!(newer("latest", "1.0.0"), None);
        assert_eq!(newer("1.2.3.4", "1.0.0"), None);
        assert_eq!(newer("", "1.0.0"), None);
        assert_eq!(newer("1..2", "1.0.0"), None);
        assert_eq!(newer("1.0.0-", "1.0.0"), None);
    }

    #[test]
    fn upgrades_count_new_high_water_marks_only() {
        let mut h = VersionHistory::default();
        h.add("1.9.0", 10);
        h.add("1.10.0", 20); // upgrade
        h.add("1.2.0", 30); // an old release fetched later: not an upgrade
        h.add("nightly", 40); // not a version
        h.add("v1.10.0", 50); // same as 1.10.0: not newer
        h.add("2.0.0-rc.1", 60); // upgrade
        assert_eq!(h.upgrades(), 2);
        assert_eq!(h.distinct(), 6);
    }

    #[test]
    fn downgrade_order_is_not_an_upgrade() {
        let mut h = VersionHistory::default();
        h.add("2.0.0", 10);
        h.add("1.0.0", 20);
        assert_eq!(h.upgrades(), 0);
        let mut other = VersionHistory::default();
        other.add("2.1.0", 30);
        h.merge(&other);
        assert_eq!(h.upgrades(), 1);
    }
}
