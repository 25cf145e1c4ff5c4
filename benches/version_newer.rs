//! `version_newer` on parsed versions: comparing pairs of versions parsed
//! once (the journey aggregates parse each distinct text once and then
//! only compare), against the `semver` crate's own precedence comparison
//! of the same pairs, in the same run. Also the cost of a parse, per
//! scheme, and of the SQL-level text comparison (two parses and a compare).
//!
//! `cargo bench --bench version_newer`
#![expect(
    clippy::expect_used,
    reason = "a bench that cannot set up stops loudly"
)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use leadlake_funnel::version::{Scheme, Version, compare};
use std::hint::black_box;

/// Realistic release texts: releases, pre-releases, builds.
fn texts(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let (major, minor, patch) = (i % 4, (i / 4) % 13, (i / 52) % 21);
            match i % 5 {
                0 => format!("{major}.{minor}.{patch}-rc.{}", i % 3),
                1 => format!("{major}.{minor}.{patch}+build.{}", i % 7),
                2 => format!("{major}.{minor}.{patch}-beta.{}", i % 4),
                _ => format!("{major}.{minor}.{patch}"),
            }
        })
        .collect()
}

const PAIRS: usize = 4096;

fn bench(c: &mut Criterion) {
    let texts = texts(PAIRS + 1);
    let ours: Vec<Version> = texts
        .iter()
        .map(|t| Scheme::Semver.parse(t).expect("a semver text"))
        .collect();
    let theirs: Vec<semver::Version> = texts
        .iter()
        .map(|t| semver::Version::parse(t).expect("a semver text"))
        .collect();
    let pep: Vec<Version> = texts
        .iter()
        .map(|t| Scheme::Pep440.parse(t).expect("a PEP 440 text"))
        .collect();

    let mut g = c.benchmark_group("version_newer");
    g.throughput(Throughput::Elements(PAIRS as u64));
    g.bench_function("parsed semver pairs (ours)", |b| {
        b.iter(|| {
            let mut n = 0u32;
            for w in ours.windows(2) {
                n += u32::from(black_box(&w[0]).newer(black_box(&w[1])) == Some(true));
            }
            n
        })
    });
    g.bench_function("parsed PEP 440 pairs (ours)", |b| {
        b.iter(|| {
            let mut n = 0u32;
            for w in pep.windows(2) {
                n += u32::from(black_box(&w[0]).newer(black_box(&w[1])) == Some(true));
            }
            n
        })
    });
    g.bench_function("parsed semver pairs (semver crate cmp_precedence)", |b| {
        b.iter(|| {
            let mut n = 0u32;
            for w in theirs.windows(2) {
                n += u32::from(black_box(&w[0]).cmp_precedence(black_box(&w[1])).is_gt());
            }
            n
        })
    });
    g.bench_function("text pairs, auto (two parses + compare)", |b| {
        b.iter(|| {
            let mut n = 0u32;
            for w in texts[..256].windows(2) {
                n += u32::from(
                    compare(black_box(&w[0]), black_box(&w[1]), Scheme::Auto)
                        .is_some_and(|o| o.is_gt()),
                );
            }
            n
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
