//! Semantic Versioning 2.0: `MAJOR.MINOR.PATCH[-pre][+build]`, parsed by
//! the `semver` crate (strict: no leading zeros, all three numbers, each
//! below 2^64). A leading `v`/`V` and surrounding whitespace are accepted,
//! as node-semver's strict mode does. Build metadata is ignored in order;
//! pre-releases sort before their release, by identifier (numbers as
//! numbers, before text; more identifiers after fewer).
//!
//! The key here is shared by the npm and Go schemes, which read other
//! spellings of the same versions.

use super::parsed::{Parsed, Repr, Version, push_pre_identifiers, push_u64};
use super::scheme::Scheme;

/// Strict semver (leading `v` allowed).
pub(crate) fn parse_crate(text: &str) -> Option<semver::Version> {
    let t = text.trim();
    let t = t.strip_prefix(['v', 'V']).unwrap_or(t);
    semver::Version::parse(t).ok()
}

pub(crate) fn parse(text: &str) -> Option<Version> {
    parse_crate(text).map(|v| key(Scheme::Semver, &v))
}

pub(crate) fn describe(text: &str) -> Option<Parsed> {
    parse_crate(text).map(|v| description(Scheme::Semver, &v))
}

/// The key of a semver-family version.
pub(crate) fn key(scheme: Scheme, v: &semver::Version) -> Version {
    let mut out = Vec::with_capacity(8);
    push_u64(&mut out, v.major);
    push_u64(&mut out, v.minor);
    push_u64(&mut out, v.patch);
    if v.pre.is_empty() {
        push_pre_identifiers(&mut out, std::iter::empty());
    } else {
        push_pre_identifiers(&mut out, v.pre.as_str().split('.'));
    }
    Version::new(scheme, Repr::Key(out.into_boxed_slice()))
}

/// What a semver-family version holds.
pub(crate) fn description(scheme: Scheme, v: &semver::Version) -> Parsed {
    let text = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let mut normalized = format!("{}.{}.{}", v.major, v.minor, v.patch);
    if !v.pre.is_empty() {
        normalized.push('-');
        normalized.push_str(v.pre.as_str());
    }
    Parsed {
        scheme: scheme.name(),
        normalized,
        release: vec![
            v.major.to_string(),
            v.minor.to_string(),
            v.patch.to_string(),
        ],
        pre: text(v.pre.as_str()),
        build: text(v.build.as_str()),
        is_prerelease: !v.pre.is_empty(),
        ..Parsed::default()
    }
}
