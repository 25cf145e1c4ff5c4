//! PEP 440 (Python packages), parsed by the `pep440_rs` crate: epochs
//! (`1!2.0`), pre-releases `a`/`b`/`rc` (and `alpha`, `beta`, `c`, `pre`,
//! `preview`), post (`.post1`, `-1`, `.r1`), dev, local (`+ubuntu.1`),
//! and every normalisation of the spec (case, `-`/`_`/`.` separators,
//! implicit numbers: `1.0.post` = `1.0.post0`, a leading `v`, leading
//! zeros, surrounding whitespace). Numbers past 2^64 - 1 are not read
//! (NULL).
//!
//! The key is packaging's `_cmpkey`: epoch, release without trailing
//! zeros, then pre (a dev release of a final sorts before its
//! pre-releases; no pre sorts after them), post (none first), dev (none
//! last), local (none first; numeric segments after text ones).

use super::parsed::{Parsed, Repr, Version, push_u64};
use super::scheme::Scheme;
use pep440_rs::{LocalSegment, PrereleaseKind};
use std::str::FromStr;

fn parse_crate(text: &str) -> Option<pep440_rs::Version> {
    // Unicode whitespace too (packaging strips U+202F, U+2029 ...)
    pep440_rs::Version::from_str(text.trim()).ok()
}

pub(crate) fn parse(text: &str) -> Option<Version> {
    let v = parse_crate(text)?;
    let mut out = Vec::with_capacity(12);
    push_u64(&mut out, v.epoch());
    let release = v.release();
    let end = release.iter().rposition(|n| *n != 0).map_or(0, |i| i + 1);
    for n in &release[..end] {
        out.push(0x02);
        push_u64(&mut out, *n);
    }
    out.push(0x01);
    match (v.pre(), v.post(), v.dev()) {
        (None, None, Some(_)) => out.push(0x00),
        (Some(p), _, _) => {
            out.push(0x01);
            out.push(match p.kind {
                PrereleaseKind::Alpha => 0,
                PrereleaseKind::Beta => 1,
                PrereleaseKind::Rc => 2,
            });
            push_u64(&mut out, p.number);
        }
        (None, _, _) => out.push(0x02),
    }
    match v.post() {
        None => out.push(0x00),
        Some(n) => {
            out.push(0x01);
            push_u64(&mut out, n);
        }
    }
    match v.dev() {
        Some(n) => {
            out.push(0x01);
            push_u64(&mut out, n);
        }
        None => out.push(0x02),
    }
    let local = v.local();
    if local.is_empty() {
        out.push(0x00);
    } else {
        out.push(0x01);
        for seg in local {
            match seg {
                LocalSegment::String(s) => {
                    out.push(0x02);
                    out.extend_from_slice(s.as_bytes());
                    out.push(0x00);
                }
                LocalSegment::Number(n) => {
                    out.push(0x03);
                    push_u64(&mut out, *n);
                }
            }
        }
        out.push(0x01);
    }
    Some(Version::new(
        Scheme::Pep440,
        Repr::Key(out.into_boxed_slice()),
    ))
}

pub(crate) fn describe(text: &str) -> Option<Parsed> {
    let v = parse_crate(text)?;
    let local = v.local();
    Some(Parsed {
        scheme: Scheme::Pep440.name(),
        normalized: v.to_string(),
        epoch: Some(v.epoch().to_string()),
        release: v.release().iter().map(u64::to_string).collect(),
        pre: v.pre().map(|p| p.to_string()),
        post: v.post().map(|n| n.to_string()),
        dev: v.dev().map(|n| n.to_string()),
        local: (!local.is_empty()).then(|| {
            local
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(".")
        }),
        is_prerelease: v.any_prerelease(),
        ..Parsed::default()
    })
}
