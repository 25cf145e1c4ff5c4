//! Undo the escaping web servers apply to logged values.
//!
//! nginx (`escape=default`) writes `"`, `\` and every byte outside printable
//! ASCII as `\xHH`; Apache writes `\"`, `\\`, `\n`, `\t` and other
//! non-printable bytes as `\xhh`. Neither server ever writes a bare
//! backslash, so one decoder serves both: in an nginx log a `\"` cannot
//! occur, in an Apache log a `\x22` means the same as `\"`.
//!
//! Values without a backslash (nearly all) are borrowed, not copied. Bytes
//! that decode to invalid UTF-8 (a client sent garbage in a header) are
//! replaced with U+FFFD rather than losing the request.

use crate::scan::{find, find2};
use std::borrow::Cow;

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Decode nginx and Apache escapes. An unknown or incomplete escape is kept
/// as written.
pub fn unescape(s: &str) -> Cow<'_, str> {
    let b = s.as_bytes();
    let Some(first) = find(b, b'\\') else {
        return Cow::Borrowed(s);
    };
    let mut out = Vec::with_capacity(b.len());
    let mut i = first;
    out.extend_from_slice(&b[..i]);
    while i < b.len() {
        // `b[i]` is a backslash: decode it, then copy up to the next one
        let (decoded, len) = match b.get(i + 1) {
            Some(b'x' | b'X') => match (
                b.get(i + 2).and_then(|&h| hex(h)),
                b.get(i + 3).and_then(|&l| hex(l)),
            ) {
                (Some(h), Some(l)) => (h << 4 | l, 4),
                _ => (b'\\', 1),
            },
            Some(b'n') => (b'\n', 2),
            Some(b't') => (b'\t', 2),
            Some(b'r') => (b'\r', 2),
            Some(&e @ (b'"' | b'\\')) => (e, 2),
            _ => (b'\\', 1),
        };
        out.push(decoded);
        i += len;
        let next = find(&b[i..], b'\\').map_or(b.len(), |n| i + n);
        out.extend_from_slice(&b[i..next]);
        i = next;
    }
    Cow::Owned(match String::from_utf8(out) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// Position of the first `needle` at or after `from` that is not inside an
/// escape (`\\` and the byte after it are skipped).
pub(crate) fn find_unescaped(hay: &str, from: usize, needle: &str) -> Option<usize> {
    let b = hay.as_bytes();
    let first = *needle.as_bytes().first()?;
    let mut i = from;
    while i < b.len() {
        let at = i + find2(&b[i..], first, b'\\')?;
        if b[at] == b'\\' {
            i = at + 2;
        } else if starts_with_at(b, at, needle.as_bytes()) {
            return Some(at);
        } else {
            i = at + 1;
        }
    }
    None
}

/// Does `hay[at..]` start with `prefix`? Written out: log-format literals
/// are a few bytes, where a call to `memcmp` costs more than the compare.
pub(crate) fn starts_with_at(hay: &[u8], at: usize, prefix: &[u8]) -> bool {
    hay.get(at..at + prefix.len())
        .is_some_and(|h| h.iter().zip(prefix).all(|(a, b)| a == b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nginx_and_apache() {
        assert!(matches!(unescape("plain"), Cow::Borrowed("plain")));
        let pip = r#"pip/23.3.1 {"ci":null,"cpu":"x86_64"}"#;
        assert_eq!(
            unescape(r#"pip/23.3.1 {\x22ci\x22:null,\x22cpu\x22:\x22x86_64\x22}"#),
            pip
        );
        assert_eq!(
            unescape(r#"pip/23.3.1 {\"ci\":null,\"cpu\":\"x86_64\"}"#),
            pip
        );
        assert_eq!(unescape(r"a\\b\tc\nd"), "a\\b\tc\nd");
        assert_eq!(unescape(r"caf\xC3\xA9"), "café");
        assert_eq!(unescape(r"bad\xZZ\q\"), r"bad\xZZ\q\");
        assert_eq!(unescape(r"\xff"), "\u{fffd}");
    }

    /// The decoder written byte by byte, as the scanner's reference.
    fn unescape_bytewise(s: &str) -> String {
        let b = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            let hex_at = |k: usize| b.get(i + k).copied().and_then(hex);
            match (b[i], b.get(i + 1)) {
                (b'\\', Some(b'x' | b'X')) if hex_at(2).is_some() && hex_at(3).is_some() => {
                    out.push(hex_at(2).unwrap() * 16 + hex_at(3).unwrap());
                    i += 4;
                }
                (b'\\', Some(&c @ (b'"' | b'\\' | b'n' | b't' | b'r'))) => {
                    out.push(match c {
                        b'n' => b'\n',
                        b't' => b'\t',
                        b'r' => b'\r',
                        c => c,
                    });
                    i += 2;
                }
                (c, _) => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    fn find_bytewise(hay: &str, from: usize, needle: &str) -> Option<usize> {
        let b = hay.as_bytes();
        let mut i = from;
        while i < b.len() && !needle.is_empty() {
            if b[i] == b'\\' {
                i += 2;
            } else if b[i..].starts_with(needle.as_bytes()) {
                return Some(i);
            } else {
                i += 1;
            }
        }
        None
    }

    proptest::proptest! {
        #[test]
        fn scanners_agree_with_bytewise(
            s in r#"([a-z "\\]|\\x[0-9a-fA-FzZ]{0,2}|\\[ntr"\\q]|é|\\x[cC]3\\x[aA]9){0,40}"#,
            from in 0usize..8,
            needle in r#"[ "a\\]{0,3}"#,
        ) {
            proptest::prop_assert_eq!(unescape(&s), unescape_bytewise(&s));
            if s.is_char_boundary(from.min(s.len())) {
                proptest::prop_assert_eq!(
                    find_unescaped(&s, from, &needle),
                    find_bytewise(&s, from, &needle)
                );
            }
        }
    }

    #[test]
    fn find() {
        assert_eq!(find_unescaped(r#"a\"b"c"#, 0, "\""), Some(4));
        assert_eq!(find_unescaped(r#"abc\"#, 0, "\""), None);
        assert_eq!(find_unescaped("abc", 0, ""), None);
    }
}
