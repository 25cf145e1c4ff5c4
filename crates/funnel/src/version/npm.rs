//! node-semver's loose versions: what `semver.parse(v, { loose: true })`
//! accepts — any run of `v`, `=` and spaces before the numbers (`=1.2.3`,
//! `v 1.2.3`), leading zeros (`01.2.3`), a pre-release without its hyphen
//! (`1.2.3beta`) — rewritten to strict semver and read by the `semver`
//! crate. Numbers past 2^53 - 1 are not versions (node-semver's limit).
//! Order is semver's.

use super::parsed::{Parsed, Version};
use super::scheme::Scheme;

/// node-semver's MAX_SAFE_INTEGER.
const MAX_NUMBER: u64 = (1 << 53) - 1;

fn number(s: &str) -> Option<String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = s.parse().ok()?;
    (n <= MAX_NUMBER).then(|| n.to_string())
}

/// A loose identifier: digits, or letters, digits and hyphens with at
/// least one non-digit.
fn identifier(s: &str) -> Option<String> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        // numeric identifiers compare as numbers: drop leading zeros
        return Some(super::parsed::canonical_number(s));
    }
    Some(s.to_string())
}

/// The strict spelling of a loose version.
fn strict(text: &str) -> Option<String> {
    let t = text
        .trim()
        .trim_start_matches(|c: char| c == 'v' || c == '=' || c.is_whitespace());
    let (main, build) = match t.split_once('+') {
        Some((m, b)) => (m, Some(b)),
        None => (t, None),
    };
    let mut parts = main.splitn(3, '.');
    let major = number(parts.next()?)?;
    let minor = number(parts.next()?)?;
    let rest = parts.next()?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let patch = number(&rest[..digits])?;
    let pre = &rest[digits..];
    let pre = pre.strip_prefix('-').unwrap_or(pre);
    let mut out = format!("{major}.{minor}.{patch}");
    if !pre.is_empty() {
        let ids: Option<Vec<String>> = pre.split('.').map(identifier).collect();
        out.push('-');
        out.push_str(&ids?.join("."));
    } else if rest.len() > digits {
        // a bare hyphen
        return None;
    }
    if let Some(b) = build {
        out.push('+');
        out.push_str(b);
    }
    Some(out)
}

fn parse_crate(text: &str) -> Option<semver::Version> {
    semver::Version::parse(&strict(text)?).ok()
}

pub(crate) fn parse(text: &str) -> Option<Version> {
    parse_crate(text).map(|v| super::semver::key(Scheme::Npm, &v))
}

pub(crate) fn describe(text: &str) -> Option<Parsed> {
    parse_crate(text).map(|v| super::semver::description(Scheme::Npm, &v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_spellings_become_strict() {
        for (loose, s) in [
            ("=1.2.3", "1.2.3"),
            (" v 1.2.3 ", "1.2.3"),
            ("= 1.2.3-beta+b", "1.2.3-beta+b"),
            ("01.02.03", "1.2.3"),
            ("1.2.3beta", "1.2.3-beta"),
            ("1.2.3-01", "1.2.3-1"),
        ] {
            assert_eq!(strict(loose).as_deref(), Some(s), "{loose}");
        }
        for bad in [
            "1.2",
            "1.2.3-",
            "1.2.3.4",
            "x1.2.3",
            "9007199254740992.0.0",
            "",
        ] {
            assert!(parse_crate(bad).is_none(), "{bad}");
        }
    }
}
