//! Go module versions, as `golang.org/x/mod/semver` reads them: semver
//! with a mandatory `v`, and `vMAJOR` / `vMAJOR.MINOR` shorthands for
//! `.0.0` / `.0` (only without pre-release or build). `+incompatible` is
//! build metadata and ignored. Pseudo-versions
//! (`v0.0.0-20191109021931-daa7c04131f5`, `v1.2.4-0.20191109021931-…`,
//! `v1.2.3-pre.0.20191109021931-…`) are pre-releases of the next version;
//! their timestamp identifier has fixed width, so semver's order sorts
//! pseudo-versions of one base by their commit time, as `go` does.

use super::parsed::{Parsed, Version};
use super::scheme::Scheme;

/// The semver spelling of a Go version.
fn spelled(text: &str) -> Option<String> {
    let t = text.trim().strip_prefix('v')?;
    let end = t.find(['-', '+']).unwrap_or(t.len());
    match t[..end].split('.').count() {
        3 => Some(t.to_string()),
        n @ (1 | 2) if end == t.len() => Some(format!("{t}{}", ".0".repeat(3 - n))),
        _ => None,
    }
}

fn parse_crate(text: &str) -> Option<semver::Version> {
    semver::Version::parse(&spelled(text)?).ok()
}

pub(crate) fn parse(text: &str) -> Option<Version> {
    parse_crate(text).map(|v| super::semver::key(Scheme::Go, &v))
}

/// A pseudo-version's pre-release: its last identifier is a 14-digit
/// timestamp, a hyphen and a 12-hex-digit commit, alone or after a `0`.
pub(crate) fn is_pseudo(v: &semver::Version) -> bool {
    let ids: Vec<&str> = v.pre.as_str().split('.').collect();
    let stamp = |s: &str| {
        s.split_once('-').is_some_and(|(t, h)| {
            t.len() == 14
                && t.bytes().all(|b| b.is_ascii_digit())
                && h.len() == 12
                && h.bytes().all(|b| b.is_ascii_hexdigit())
        })
    };
    match ids.as_slice() {
        [only] => stamp(only),
        [.., zero, last] => *zero == "0" && stamp(last),
        [] => false,
    }
}

/// Does `text` look like Go's own (a pseudo-version or `+incompatible`)?
/// The `auto` scheme's claim.
pub(crate) fn claims(text: &str) -> bool {
    let t = text.trim();
    // cheap checks first: a pseudo-version has a '-', +incompatible a '+'
    if !t.starts_with('v') || !(t.contains('-') || t.ends_with("+incompatible")) {
        return false;
    }
    parse_crate(text).is_some_and(|v| is_pseudo(&v) || v.build.as_str() == "incompatible")
}

pub(crate) fn describe(text: &str) -> Option<Parsed> {
    parse_crate(text).map(|v| super::semver::description(Scheme::Go, &v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorthands_and_pseudo_versions() {
        assert_eq!(spelled("v1").as_deref(), Some("1.0.0"));
        assert_eq!(spelled("v1.2").as_deref(), Some("1.2.0"));
        assert_eq!(spelled("v1.2-pre"), None);
        assert_eq!(spelled("1.2.3"), None);
        let p = |s: &str| parse_crate(s).unwrap();
        assert!(is_pseudo(&p("v0.0.0-20191109021931-daa7c04131f5")));
        assert!(is_pseudo(&p("v1.2.4-0.20191109021931-daa7c04131f5")));
        assert!(is_pseudo(&p("v1.2.3-pre.0.20191109021931-daa7c04131f5")));
        assert!(!is_pseudo(&p("v1.2.3-rc.1")));
        assert!(claims("v2.0.0+incompatible"));
        assert!(!claims("v2.0.0"));
    }
}
