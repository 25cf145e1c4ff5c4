//! What every access-log format yields per line before the rules run: one
//! HTTP request as logged, borrowed from the line.

use crate::row::{Malformed, non_null};
use crate::scan::find;
use std::borrow::Cow;
use std::net::IpAddr;

/// One logged HTTP request. `target` is the request target as logged (path,
/// query, fragment; not decoded); `query` is set where the log keeps the
/// query apart (CloudFront), else the rules take it from `target`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessHit<'a> {
    pub ts: i64,
    pub ip: Option<&'a str>,
    /// Empty when the log has no method (a garbled request line).
    pub method: &'a str,
    pub target: &'a str,
    pub query: Option<&'a str>,
    pub status: u16,
    pub referer: Option<Cow<'a, str>>,
    pub user_agent: Option<Cow<'a, str>>,
}

/// The line as text, or why it is not.
pub(crate) fn utf8(line: &[u8]) -> Result<&str, Malformed> {
    std::str::from_utf8(line).map_err(|_| Malformed::InvalidUtf8)
}

/// A logged client address: IPv4, IPv6 or `::ffff:` mapped, kept as logged;
/// `-` or empty is NULL.
pub(crate) fn address(s: &str) -> Result<Option<&str>, Malformed> {
    match non_null(s) {
        None => Ok(None),
        Some(a) if a.parse::<IpAddr>().is_ok() => Ok(Some(a)),
        Some(_) => Err(Malformed::BadAddress),
    }
}

/// A three-digit HTTP status (CloudFront writes `000` for aborted requests).
pub(crate) fn status(s: &str) -> Result<u16, Malformed> {
    let b = s.as_bytes();
    if b.len() != 3 || !b.iter().all(u8::is_ascii_digit) {
        return Err(Malformed::BadStatus);
    }
    Ok(b.iter().fold(0u16, |v, c| v * 10 + u16::from(c - b'0')))
}

/// `GET /path?q HTTP/1.1` → (`GET`, `/path?q`). A request line without a
/// space (garbage, an empty `"-"`) has that text as method and an empty target.
pub(crate) fn split_request(req: &str) -> (&str, &str) {
    let word = |s: &str| find(s.as_bytes(), b' ').unwrap_or(s.len());
    match find(req.as_bytes(), b' ') {
        Some(i) => {
            let rest = &req[i + 1..];
            (&req[..i], &rest[..word(rest)])
        }
        None => (if req == "-" { "" } else { req }, ""),
    }
}
