//! Debian package versions, `[epoch:]upstream[-revision]`, compared as
//! `dpkg --compare-versions` does: epochs as numbers, then upstream and
//! revision each by dpkg's `verrevcmp` — alternating runs of non-digits
//! (compared character by character: `~` before everything, even the end
//! of the run, then letters, then other characters) and digits (compared
//! as numbers). `1.0~rc1` < `1.0` < `1.0-1` < `1.0+dfsg-1` < `1:0.9`.
//! Validity is dpkg's: the upstream part starts with a digit and uses
//! letters, digits and `.+~-:` (`-` only with a revision, `:` only with an
//! epoch); the revision uses letters, digits and `.+~`.
//!
//! Hand-written (about 60 lines): the `debversion` crate would bring
//! `lazy-regex`, `num-bigint` and `chrono` for the same algorithm, and a
//! sort key is what makes the comparison a single `memcmp`.

use super::parsed::{Parsed, Repr, Version, canonical_number, push_digits};
use super::scheme::Scheme;

struct Debian<'a> {
    epoch: Option<&'a str>,
    upstream: &'a str,
    revision: Option<&'a str>,
}

fn read(text: &str) -> Option<Debian<'_>> {
    let t = text.trim();
    let (epoch, rest) = match t.split_once(':') {
        Some((e, r)) if !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()) => (Some(e), r),
        Some(_) => return None,
        None => (None, t),
    };
    let (upstream, revision) = match rest.rsplit_once('-') {
        Some((u, r)) => (u, Some(r)),
        None => (rest, None),
    };
    let up_ok = upstream.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && upstream.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(b, b'.' | b'+' | b'~')
                || (b == b'-' && revision.is_some())
                || (b == b':' && epoch.is_some())
        });
    let rev_ok = revision.is_none_or(|r| {
        !r.is_empty()
            && r.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'~'))
    });
    (up_ok && rev_ok).then_some(Debian {
        epoch,
        upstream,
        revision,
    })
}

/// dpkg's weight of a non-digit character, as one byte: `~` 1, the end
/// of a run 2, letters their ASCII code, anything else above letters.
fn weight(c: u8) -> u8 {
    match c {
        b'~' => 1,
        c if c.is_ascii_alphabetic() => c,
        c => c | 0x80,
    }
}

/// The key of one `verrevcmp` operand: each (non-digits, digits) pair as
/// weights, an end-of-run 2 and the number; then an end pair (2, 0) that
/// stands for the empty runs dpkg compares a shorter string with. A
/// string that is only `0`s compares like the empty one.
fn push_part(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    if b.iter().all(|c| *c == b'0') {
        // "" and "0" are equal to dpkg
        out.push(2);
        push_digits(out, "");
        return;
    }
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && !b[i].is_ascii_digit() {
            out.push(weight(b[i]));
            i += 1;
        }
        out.push(2);
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        push_digits(out, &s[start..i]);
    }
    out.push(2);
    push_digits(out, "");
}

pub(crate) fn parse(text: &str) -> Option<Version> {
    let d = read(text)?;
    let mut out = Vec::with_capacity(16);
    push_digits(&mut out, d.epoch.unwrap_or(""));
    push_part(&mut out, d.upstream);
    push_part(&mut out, d.revision.unwrap_or(""));
    Some(Version::new(
        Scheme::Debian,
        Repr::Key(out.into_boxed_slice()),
    ))
}

/// The `auto` scheme's claim: an epoch, a `~`, or a Debian/Ubuntu marker
/// (`ubuntu`, `deb`, `dfsg`, `+nmu`, `+really`). Not binNMU's `+b1`: that
/// is also semver build metadata (`1.2.3+b7`).
pub(crate) fn claims(text: &str) -> bool {
    let b = text.as_bytes();
    let has = |m: &str| {
        b.windows(m.len())
            .any(|w| w.eq_ignore_ascii_case(m.as_bytes()))
    };
    // cheap checks first: most texts have none of these
    let marked = b.contains(&b':')
        || b.contains(&b'~')
        || ["ubuntu", "deb", "dfsg", "+nmu", "+really"]
            .iter()
            .any(|m| has(m));
    marked
        && read(text).is_some_and(|d| {
            d.epoch.is_some()
                || text.contains('~')
                || ["ubuntu", "deb", "dfsg", "+nmu", "+really"]
                    .iter()
                    .any(|m| has(m))
        })
}

pub(crate) fn describe(text: &str) -> Option<Parsed> {
    let d = read(text)?;
    let epoch = canonical_number(d.epoch.unwrap_or("0"));
    let mut normalized = String::new();
    if d.epoch.is_some() {
        normalized.push_str(&epoch);
        normalized.push(':');
    }
    normalized.push_str(d.upstream);
    if let Some(r) = d.revision {
        normalized.push('-');
        normalized.push_str(r);
    }
    Some(Parsed {
        scheme: Scheme::Debian.name(),
        normalized,
        epoch: Some(epoch),
        release: vec![d.upstream.to_string()],
        pre: d.upstream.split_once('~').map(|(_, p)| p.to_string()),
        revision: d.revision.map(str::to_string),
        is_prerelease: d.upstream.contains('~'),
        ..Parsed::default()
    })
}
