//! Text into HTML: everything the answers hold (company names, domains,
//! the why text) is data and goes through [`Esc`], in element text and in
//! attribute values alike.

use chrono::{DateTime, Utc};
use std::fmt;

/// `text`, escaped for HTML element content and quoted attribute values.
#[derive(Debug, Clone, Copy)]
pub struct Esc<'a>(pub &'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
            out.write_str(&rest[..i])?;
            out.write_str(match rest.as_bytes()[i] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => "&#39;",
            })?;
            rest = &rest[i + 1..];
        }
        out.write_str(rest)
    }
}

/// An optional text, escaped; empty when missing.
pub fn opt(text: Option<&str>) -> Esc<'_> {
    Esc(text.unwrap_or_default())
}

/// The day of an instant (`2026-05-01`); empty when missing.
pub fn day(at: Option<DateTime<Utc>>) -> String {
    at.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// A whole number with thousands separators: `12,345`.
pub fn count(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A change with its sign: `+3`, `−2` (a minus sign), `0`.
pub fn change(n: i64) -> String {
    match n {
        0 => "0".into(),
        n if n > 0 => format!("+{}", count(n)),
        n => format!("\u{2212}{}", count(-n)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped_and_the_rest_kept() {
        let name = "<script>alert(1)</script> & Co \"quoted\" l'été";
        assert_eq!(
            Esc(name).to_string(),
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co &quot;quoted&quot; l&#39;été"
        );
        assert_eq!(Esc("").to_string(), "");
        assert_eq!(Esc("plain").to_string(), "plain");
    }

    #[test]
    fn numbers_read_easily() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(count(-1000), "-1,000");
        assert_eq!(change(3), "+3");
        assert_eq!(change(-2), "\u{2212}2");
        assert_eq!(change(0), "0");
    }
}
