//! The parsed version every scheme yields, and the sort-key bytes most of
//! them compare by.
//!
//! A [`Version`] is its scheme and either a *sort key* — bytes whose plain
//! lexicographic order is the scheme's version order, so comparing two
//! versions is one `memcmp` — or, for Maven alone, a small item tree
//! (Maven's order is not a total order: it cannot be a key, see
//! `maven.rs`). Keys are built once per distinct text: PEP 440's
//! `(epoch, release, pre, post, dev, local)` tuple, semver's precedence,
//! dpkg's alternating text/number parts are all written so that shorter
//! and "missing" parts sort where their scheme wants them.

use super::maven;
use super::scheme::Scheme;
use std::cmp::Ordering;

/// A version parsed under one scheme (never [`Scheme::Auto`]).
#[derive(Debug, Clone)]
pub struct Version {
    scheme: Scheme,
    repr: Repr,
}

#[derive(Debug, Clone)]
pub(crate) enum Repr {
    /// Bytes in the scheme's order.
    Key(Box<[u8]>),
    /// Maven's item tree.
    Maven(Box<maven::Items>),
}

impl Version {
    pub(crate) fn new(scheme: Scheme, repr: Repr) -> Self {
        Self { scheme, repr }
    }

    /// The scheme that parsed this version.
    #[inline]
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// Order of two versions of one scheme; `None` when their schemes
    /// differ (see [`super::compare`] for comparing texts across schemes).
    #[inline]
    pub fn compare(&self, other: &Self) -> Option<Ordering> {
        if self.scheme != other.scheme {
            return None;
        }
        match (&self.repr, &other.repr) {
            (Repr::Key(a), Repr::Key(b)) => Some(a.cmp(b)),
            (Repr::Maven(a), Repr::Maven(b)) => Some(a.compare(b)),
            _ => None,
        }
    }

    /// Is `self` newer than `other`? `None` across schemes.
    #[inline]
    pub fn newer(&self, other: &Self) -> Option<bool> {
        self.compare(other).map(Ordering::is_gt)
    }
}

/// Equal when they compare `Equal` (`1.0` and `1.0.0` under PEP 440, `1`
/// and `1-ga` under Maven): equality is the order's, not the spelling's.
impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.compare(other) == Some(Ordering::Equal)
    }
}

/// Bytes of a number in a key: numbers below 2^64 as a byte count (0-8)
/// and that many big-endian bytes; larger ones as 9, their digit count
/// (4 bytes) and digits. Either way a bigger number sorts after, and the
/// encoding ends itself.
#[inline]
pub(crate) fn push_u64(out: &mut Vec<u8>, n: u64) {
    let bytes = n.to_be_bytes();
    let skip = (n.leading_zeros() / 8) as usize;
    out.push((8 - skip) as u8);
    out.extend_from_slice(&bytes[skip..]);
}

/// [`push_u64`] for a run of ASCII digits of any length (leading zeros
/// ignored, an empty run is 0).
pub(crate) fn push_digits(out: &mut Vec<u8>, digits: &str) {
    let d = strip_zeros(digits);
    match d.parse::<u64>() {
        Ok(n) => push_u64(out, n),
        Err(_) if d.is_empty() => push_u64(out, 0),
        Err(_) => {
            out.push(9);
            out.extend_from_slice(&(d.len() as u32).to_be_bytes());
            out.extend_from_slice(d.as_bytes());
        }
    }
}

/// `digits` without leading zeros (`""` for zero).
pub(crate) fn strip_zeros(digits: &str) -> &str {
    digits.trim_start_matches('0')
}

/// A run of digits as its canonical text (`007` → `7`, `` → `0`).
pub(crate) fn canonical_number(digits: &str) -> String {
    match strip_zeros(digits) {
        "" => "0".to_string(),
        d => d.to_string(),
    }
}

/// Key bytes of a semver-style pre-release (`rc.1`, `alpha-1.2`),
/// identifiers split on `.`: none sorts after any (0x02 vs 0x01), numeric
/// identifiers as numbers before alphanumeric ones (by bytes), and a
/// shorter list of equal identifiers first.
pub(crate) fn push_pre_identifiers<'a>(out: &mut Vec<u8>, ids: impl Iterator<Item = &'a str>) {
    let mut any = false;
    for id in ids {
        if !any {
            out.push(0x01);
            any = true;
        }
        if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
            out.push(0x02);
            push_digits(out, id);
        } else {
            out.push(0x03);
            out.extend_from_slice(id.as_bytes());
            out.push(0x00);
        }
    }
    out.push(if any { 0x01 } else { 0x02 });
}

/// What a scheme understood in a text: the value of `version_parse`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Parsed {
    pub scheme: &'static str,
    /// The scheme's canonical spelling (`1.0rc1` for `1.0-RC-1`).
    pub normalized: String,
    pub epoch: Option<String>,
    /// Release parts, numbers without leading zeros (`["1", "2", "3"]`;
    /// Debian: the upstream version; Maven: the leading numbers).
    pub release: Vec<String>,
    /// Pre-release part (`rc1`, `rc.1`, Maven qualifiers older than the
    /// release, Debian's part after `~`).
    pub pre: Option<String>,
    /// Post-release part (PEP 440 post number, Maven qualifiers newer than
    /// the release).
    pub post: Option<String>,
    pub dev: Option<String>,
    /// PEP 440 local version.
    pub local: Option<String>,
    /// Build metadata (semver, npm, Go: `+incompatible`), ignored in order.
    pub build: Option<String>,
    /// Debian revision.
    pub revision: Option<String>,
    pub is_prerelease: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(f: impl Fn(&mut Vec<u8>)) -> Vec<u8> {
        let mut v = Vec::new();
        f(&mut v);
        v
    }

    #[test]
    fn numbers_sort_as_numbers_whatever_their_size() {
        let nums = [
            "0",
            "1",
            "9",
            "255",
            "256",
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999",
            "100000000000000000000",
        ];
        for w in nums.windows(2) {
            assert!(
                key(|o| push_digits(o, w[0])) < key(|o| push_digits(o, w[1])),
                "{w:?}"
            );
        }
        assert_eq!(key(|o| push_digits(o, "007")), key(|o| push_u64(o, 7)));
        assert_eq!(key(|o| push_digits(o, "")), key(|o| push_digits(o, "000")));
    }

    #[test]
    fn pre_identifiers_follow_semver_precedence() {
        let k = |s: &str| {
            key(|o| {
                if s.is_empty() {
                    push_pre_identifiers(o, std::iter::empty())
                } else {
                    push_pre_identifiers(o, s.split('.'))
                }
            })
        };
        let order = [
            "alpha",
            "alpha.1",
            "alpha.beta",
            "beta",
            "beta.2",
            "beta.11",
            "rc.1",
            "",
        ];
        for w in order.windows(2) {
            assert!(k(w[0]) < k(w[1]), "{w:?}");
        }
        assert!(k("1") < k("a"));
    }
}
