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
    let Some(first) = b.iter().position(|&c| c == b'\\') else {
        return Cow::Borrowed(s);
    };
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&b[..first]);
    let mut i = first;
    while i < b.len() {
        let c = b[i];
        if c != b'\\' {
            out.push(c);
            i += 1;
            continue;
        }
        match b.get(i + 1) {
            Some(b'x' | b'X') => match (
                b.get(i + 2).and_then(|&h| hex(h)),
                b.get(i + 3).and_then(|&l| hex(l)),
            ) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 4;
                }
                _ => {
                    out.push(b'\\');
                    i += 1;
                }
            },
            Some(&e @ (b'"' | b'\\' | b'n' | b't' | b'r')) => {
                out.push(match e {
                    b'n' => b'\n',
                    b't' => b'\t',
                    b'r' => b'\r',
                    other => other,
                });
                i += 2;
            }
            _ => {
                out.push(b'\\');
                i += 1;
            }
        }
    }
    Cow::Owned(match String::from_utf8(out) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// Position of the first `needle` at or after `from` that is not inside an
/// escape (`\` and the byte after it are skipped).
pub(crate) fn find_unescaped(hay: &str, from: usize, needle: &str) -> Option<usize> {
    let b = hay.as_bytes();
    let n = needle.as_bytes();
    let first = *n.first()?;
    let mut i = from;
    while i < b.len() {
        let c = b[i];
        if c == b'\\' {
            i += 2;
        } else if c == first && b[i..].starts_with(n) {
            return Some(i);
        } else {
            i += 1;
        }
    }
    None
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

    #[test]
    fn find() {
        assert_eq!(find_unescaped(r#"a\"b"c"#, 0, "\""), Some(4));
        assert_eq!(find_unescaped(r#"abc\"#, 0, "\""), None);
        assert_eq!(find_unescaped("abc", 0, ""), None);
    }
}
