//! Bad input and random strings for every version scheme: never a panic,
//! and an order that holds together — antisymmetric, reflexive, and
//! equal exactly when it compares `Equal`.

use leadlake_funnel::version::{MAX_TEXT, Scheme, compare};
use proptest::prelude::*;
use std::cmp::Ordering;

/// Strings near versions: digits, separators, qualifiers, epochs.
fn versionish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[0-9]{1,3}",
        Just(".".to_string()),
        Just("-".to_string()),
        Just("+".to_string()),
        Just("~".to_string()),
        Just(":".to_string()),
        Just("!".to_string()),
        Just("_".to_string()),
        Just("v".to_string()),
        "(rc|a|b|alpha|beta|dev|post|SNAPSHOT|sp|ga|final|pre|c|r|local|ubuntu|dfsg)",
        "[0-9]{20,25}",
        "[ -~]",
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|p| p.concat())
}

fn check_pair(a: &str, b: &str, s: Scheme) {
    let ab = compare(a, b, s);
    let ba = compare(b, a, s);
    assert_eq!(
        ab,
        ba.map(Ordering::reverse),
        "{a:?} {b:?} under {}",
        s.name()
    );
    if let (Some(x), Some(y)) = (s.parse(a), s.parse(b))
        && x.scheme() == y.scheme()
    {
        assert_eq!(
            x == y,
            x.compare(&y) == Some(Ordering::Equal),
            "{a:?} {b:?}"
        );
        assert_eq!(x.compare(&x), Some(Ordering::Equal), "{a:?}");
    }
    // a description exists exactly when a parse does
    assert_eq!(
        s.describe(a).is_some(),
        s.parse(a).is_some(),
        "{a:?} under {}",
        s.name()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn versionish_strings_never_panic_and_order_consistently(a in versionish(), b in versionish()) {
        for s in Scheme::ALL {
            check_pair(&a, &b, s);
        }
    }

    #[test]
    fn any_strings_never_panic(a in any::<String>(), b in "\\PC{0,40}") {
        for s in Scheme::ALL {
            check_pair(&a, &b, s);
        }
    }
}

#[test]
fn bad_input_is_null_or_a_value_never_a_panic() {
    let long = "1".repeat(10_000);
    let dots = vec!["1"; 1_001].join(".");
    let big = format!("{}.0.0", "9".repeat(30));
    let cases = [
        long.as_str(),
        dots.as_str(),
        big.as_str(),
        "",
        " ",
        "...",
        "-",
        "+",
        "!@#$%^&*()",
        "~",
        ":",
        "1!",
        "v",
        "\u{0}",
        "١٢٣",
    ];
    for s in Scheme::ALL {
        for a in cases {
            for b in cases {
                check_pair(a, b, s);
            }
        }
    }
    // documented NULLs: over-long texts, empty and punctuation-only texts
    for s in Scheme::ALL {
        assert!(s.parse(&long).is_none() && s.parse(&dots).is_none());
        for p in ["", " ", "...", "!@#$%^&*()", "-"] {
            assert!(s.parse(p).is_none(), "{p:?} under {}", s.name());
        }
    }
    assert!(long.len() > MAX_TEXT && dots.len() > MAX_TEXT);
    // numbers past u64: a value where the scheme allows any size ...
    for s in [Scheme::Debian, Scheme::Maven, Scheme::Calver] {
        let a = format!("1.{}", "9".repeat(25));
        let b = format!("1.{}", "9".repeat(24));
        assert_eq!(compare(&a, &b, s), Some(Ordering::Greater), "{}", s.name());
    }
    // ... and NULL where the parser stops at 2^64 - 1 (documented)
    for s in [Scheme::Pep440, Scheme::Semver, Scheme::Npm] {
        assert!(s.parse(&big).is_none(), "{}", s.name());
    }
    // a 1,000-dot text under the limit is still read
    let dots = vec!["1"; 400].join(".");
    assert!(Scheme::Pep440.parse(&dots).is_some());
    assert!(Scheme::Debian.parse(&dots).is_some());
    let _ = Scheme::Maven
        .parse(&dots)
        .unwrap_or_else(|| Scheme::Pep440.parse("1").unwrap());
}
