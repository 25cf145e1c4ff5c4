//! Each scheme's order checked against the scheme's own reference test
//! data, copied under `tests/data/versions/` (see its README.md): every
//! pair of every ordered list, every equality and every expected result.
//! Each test prints its pass rate and fails on any miss.
#![expect(clippy::unwrap_used, reason = "a test fails loudly on purpose")]

use leadlake_funnel::version::{Scheme, compare};
use std::cmp::Ordering;
use std::path::PathBuf;

fn data(path: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/versions")
        .join(path);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Lines that are not comments; blank lines kept (they split lists).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| !l.starts_with('#'))
}

fn json(s: &str) -> String {
    serde_json::from_str(s).unwrap()
}

/// Ordered lists (split at blank lines): every earlier line is older
/// than every later one.
fn ordered_lists(text: &str) -> Vec<Vec<String>> {
    let mut lists = vec![Vec::new()];
    for l in lines(text) {
        if l.trim().is_empty() {
            lists.push(Vec::new());
        } else if let Some(last) = lists.last_mut() {
            last.push(l.to_string());
        }
    }
    lists.retain(|l| !l.is_empty());
    lists
}

struct Tally {
    name: String,
    checked: usize,
    misses: Vec<String>,
    checked_misses: usize,
}

impl Tally {
    fn new(name: &str) -> Self {
        Self {
            name: name.to_string(),
            checked: 0,
            misses: Vec::new(),
            checked_misses: 0,
        }
    }
    fn expect(&mut self, a: &str, b: &str, scheme: Scheme, want: Ordering) {
        self.checked += 1;
        let got = compare(a, b, scheme);
        if got != Some(want) {
            self.misses.push(format!(
                "{a:?} vs {b:?} under {}: want {want:?}, got {got:?}",
                scheme.name()
            ));
        }
    }
    fn both_ways(&mut self, a: &str, b: &str, scheme: Scheme, want: Ordering) {
        self.expect(a, b, scheme, want);
        self.expect(b, a, scheme, want.reverse());
    }
    /// Misses the scheme documents, taken out of the failures (and still
    /// counted as misses in the pass rate).
    fn documented(&mut self, known: &[&str]) {
        let before = self.misses.len();
        self.misses
            .retain(|m| !known.iter().any(|k| m.starts_with(k)));
        assert_eq!(
            before - self.misses.len(),
            known.len(),
            "{}: documented misses changed",
            self.name
        );
        self.checked_misses += known.len();
    }
    fn finish(self) {
        let ok = self.checked - self.misses.len() - self.checked_misses;
        println!(
            "{}: {ok} of {} pass ({:.1} %)",
            self.name,
            self.checked,
            100.0 * ok as f64 / self.checked.max(1) as f64
        );
        assert!(self.checked > 0, "{}: nothing checked", self.name);
        assert!(self.misses.is_empty(), "{}: {:#?}", self.name, self.misses);
    }
}

fn check_order(t: &mut Tally, list: &[String], scheme: Scheme) {
    for (i, a) in list.iter().enumerate() {
        t.both_ways(a, a, scheme, Ordering::Equal);
        for b in &list[i + 1..] {
            t.both_ways(a, b, scheme, Ordering::Less);
        }
    }
}

#[test]
fn pep440_packaging_order_every_pair() {
    for scheme in [Scheme::Pep440, Scheme::Auto] {
        let mut t = Tally::new(&format!("pypa/packaging VERSIONS under {}", scheme.name()));
        for list in ordered_lists(&data("pep440/order.txt")) {
            check_order(&mut t, &list, scheme);
        }
        if scheme == Scheme::Auto {
            // `auto` reads `1.0.1+local` as semver (build metadata, ignored),
            // as documented: semver comes before PEP 440, and PyPI refuses
            // local versions, so `+tag` in download logs is build metadata
            t.documented(&[
                "\"1.0.1\" vs \"1.0.1+local\" under auto",
                "\"1.0.1+local\" vs \"1.0.1\" under auto",
            ]);
        }
        t.finish();
    }
}

#[test]
fn pep440_packaging_normalisations() {
    let mut t = Tally::new("pypa/packaging normalisations");
    let mut spelled = Vec::new();
    for l in lines(&data("pep440/normalized.txt")) {
        let (input, normal) = l.split_once('\t').unwrap();
        let input = json(input);
        t.both_ways(&input, normal, Scheme::Pep440, Ordering::Equal);
        let got = Scheme::Pep440.describe(&input).map(|p| p.normalized);
        if got.as_deref() != Some(normal) {
            spelled.push(format!("{input:?}: want {normal}, got {got:?}"));
        }
    }
    assert!(spelled.is_empty(), "{spelled:#?}");
    t.finish();
}

#[test]
fn pep440_packaging_invalid_texts_are_not_versions() {
    let mut n = 0;
    for l in lines(&data("pep440/invalid.txt")) {
        let text = json(l);
        assert!(Scheme::Pep440.parse(&text).is_none(), "{text:?}");
        n += 1;
    }
    assert!(n >= 20, "{n}");
}

/// node-semver rows: `a b loose`; strict rows hold under `semver`, all
/// rows under `npm` (loose) and `auto`.
fn node_rows(file: &str) -> Vec<(String, String, bool)> {
    lines(&data(file))
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (json(f[0]), json(f[1]), f[2] == "true")
        })
        .collect()
}

#[test]
fn node_semver_comparisons_and_equality() {
    for scheme in [Scheme::Semver, Scheme::Npm, Scheme::Auto] {
        let mut t = Tally::new(&format!("node-semver fixtures under {}", scheme.name()));
        for (a, b, loose) in node_rows("semver/comparisons.txt") {
            if !(loose && scheme == Scheme::Semver) {
                t.both_ways(&a, &b, scheme, Ordering::Greater);
            }
        }
        for (a, b, loose) in node_rows("semver/equality.txt") {
            if !(loose && scheme == Scheme::Semver) {
                t.both_ways(&a, &b, scheme, Ordering::Equal);
            }
        }
        t.finish();
    }
}

#[test]
fn maven_comparable_version_tests() {
    let mut t = Tally::new("Maven ComparableVersionTest");
    for list in ordered_lists(&data("maven/order.txt")) {
        check_order(&mut t, &list, Scheme::Maven);
    }
    for l in lines(&data("maven/less.txt")) {
        let (a, b) = l.split_once('\t').unwrap();
        t.both_ways(a, b, Scheme::Maven, Ordering::Less);
    }
    for l in lines(&data("maven/equal.txt")) {
        let (a, b) = l.split_once('\t').unwrap();
        t.both_ways(a, b, Scheme::Maven, Ordering::Equal);
    }
    t.finish();
}

#[test]
fn dpkg_compare_versions_cases() {
    for scheme in [Scheme::Debian] {
        let mut t = Tally::new(&format!("dpkg Dpkg_Version.t under {}", scheme.name()));
        for l in lines(&data("debian/compare.txt")) {
            let f: Vec<&str> = l.split_whitespace().collect();
            let want = match f[2] {
                "-1" => Ordering::Less,
                "0" => Ordering::Equal,
                _ => Ordering::Greater,
            };
            t.both_ways(f[0], f[1], scheme, want);
        }
        t.finish();
    }
}
