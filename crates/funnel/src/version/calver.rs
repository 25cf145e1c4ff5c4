//! Calendar versions (`2024.04.1`, `24.04`, `2024-01-15`, `2024.1.0-beta.2`):
//! numbers separated by `.`, `-` or `_`, compared as numbers part by part
//! (a missing part counts as 0: `24.04` = `24.4.0`), then an optional
//! modifier starting with a letter (`-beta.2`, `rc1`, `.dev`) that marks a
//! pre-release: older than the same numbers without one, and modifiers
//! compared as semver pre-releases after splitting at `.`, `-`, `_` and
//! between letters and digits (`rc1` = `rc.1`, letters lower-cased).

use super::parsed::{Parsed, Repr, Version, canonical_number, push_digits, push_pre_identifiers};
use super::scheme::Scheme;

struct Calver<'a> {
    numbers: Vec<&'a str>,
    modifier: Vec<String>,
}

fn is_sep(c: u8) -> bool {
    matches!(c, b'.' | b'-' | b'_')
}

fn read(text: &str) -> Option<Calver<'_>> {
    let t = text.trim();
    let t = t.strip_prefix(['v', 'V']).unwrap_or(t);
    let b = t.as_bytes();
    let mut numbers = Vec::new();
    let mut i = 0;
    loop {
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
        numbers.push(&t[start..i]);
        if i == b.len() {
            break;
        }
        if is_sep(b[i]) && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            i += 1;
            continue;
        }
        break;
    }
    let mut rest = &t[i..];
    if let Some(r) = rest.strip_prefix(['.', '-', '_']) {
        rest = r;
    }
    let mut modifier = Vec::new();
    if i < b.len() {
        if !rest.bytes().next().is_some_and(|c| c.is_ascii_alphabetic()) {
            return None;
        }
        for part in rest.split(['.', '-', '_']) {
            if part.is_empty() || !part.bytes().all(|c| c.is_ascii_alphanumeric()) {
                return None;
            }
            // split letters from digits: rc1 → rc, 1
            let mut start = 0;
            let pb = part.as_bytes();
            for j in 1..=pb.len() {
                if j == pb.len() || pb[j].is_ascii_digit() != pb[j - 1].is_ascii_digit() {
                    let id = &part[start..j];
                    modifier.push(if id.bytes().all(|c| c.is_ascii_digit()) {
                        canonical_number(id)
                    } else {
                        id.to_ascii_lowercase()
                    });
                    start = j;
                }
            }
        }
    }
    Some(Calver { numbers, modifier })
}

pub(crate) fn parse(text: &str) -> Option<Version> {
    let c = read(text)?;
    let mut out = Vec::with_capacity(12);
    let end = c
        .numbers
        .iter()
        .rposition(|n| !n.bytes().all(|b| b == b'0'))
        .map_or(0, |i| i + 1);
    for n in &c.numbers[..end] {
        out.push(0x02);
        push_digits(&mut out, n);
    }
    out.push(0x01);
    push_pre_identifiers(&mut out, c.modifier.iter().map(String::as_str));
    Some(Version::new(
        Scheme::Calver,
        Repr::Key(out.into_boxed_slice()),
    ))
}

/// The `auto` scheme's claim: a four-digit year from 1900 to 2999 first,
/// and at least two numbers.
pub(crate) fn claims(text: &str) -> bool {
    read(text).is_some_and(|c| {
        let year = c.numbers[0];
        c.numbers.len() >= 2 && year.len() == 4 && (year.starts_with("19") || year.starts_with('2'))
    })
}

pub(crate) fn describe(text: &str) -> Option<Parsed> {
    let c = read(text)?;
    let release: Vec<String> = c.numbers.iter().map(|n| canonical_number(n)).collect();
    let pre = (!c.modifier.is_empty()).then(|| c.modifier.join("."));
    let mut normalized = release.join(".");
    if let Some(p) = &pre {
        normalized.push('-');
        normalized.push_str(p);
    }
    Some(Parsed {
        scheme: Scheme::Calver.name(),
        normalized,
        release,
        is_prerelease: pre.is_some(),
        pre,
        ..Parsed::default()
    })
}
