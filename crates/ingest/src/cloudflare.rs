//! Cloudflare Logpush HTTP requests, NDJSON: one object a line.
//!
//! Read fields: `ClientIP`, `ClientRequestMethod`, `ClientRequestURI`
//! (path and query; `ClientRequestPath` when the URI is not logged),
//! `ClientRequestUserAgent`, `ClientRequestReferer`, `EdgeResponseStatus`,
//! `EdgeStartTimestamp` (RFC 3339, or Unix seconds / nanoseconds as a number
//! or a string, as Logpush's `timestamp_format` makes it). Other fields are
//! ignored. Parsed with serde_json into a borrowed struct: strings without
//! escapes are not copied.

use crate::access::{AccessHit, address, status};
use crate::json::{Loose, json_error, require_object};
use crate::row::Malformed;
use crate::time;
use serde::Deserialize;
use std::borrow::Cow;

/// One Logpush record, borrowed from its line.
#[derive(Debug, Deserialize)]
pub struct CloudflareRecord<'a> {
    #[serde(rename = "ClientIP", borrow, default)]
    ip: Option<Loose<'a>>,
    #[serde(rename = "ClientRequestMethod", borrow, default)]
    method: Option<Loose<'a>>,
    #[serde(rename = "ClientRequestURI", borrow, default)]
    uri: Option<Loose<'a>>,
    #[serde(rename = "ClientRequestPath", borrow, default)]
    path: Option<Loose<'a>>,
    #[serde(rename = "ClientRequestUserAgent", borrow, default)]
    user_agent: Option<Loose<'a>>,
    #[serde(rename = "ClientRequestReferer", borrow, default)]
    referer: Option<Loose<'a>>,
    #[serde(rename = "EdgeResponseStatus", borrow, default)]
    status: Option<Loose<'a>>,
    #[serde(rename = "EdgeStartTimestamp", borrow, default)]
    start: Option<Loose<'a>>,
}

fn text<'a>(v: Option<Loose<'a>>) -> Option<Cow<'a, str>> {
    v.and_then(Loose::text)
}

/// Read one NDJSON line.
pub fn parse(line: &[u8]) -> Result<CloudflareRecord<'_>, Malformed> {
    require_object(line)?;
    serde_json::from_slice(line).map_err(|e| json_error(&e))
}

/// The fields of a record, owned where JSON escapes made them owned.
#[derive(Debug)]
pub struct CloudflareFields<'a> {
    ts: i64,
    status: u16,
    ip: Option<Cow<'a, str>>,
    method: Option<Cow<'a, str>>,
    target: Option<Cow<'a, str>>,
    user_agent: Option<Cow<'a, str>>,
    referer: Option<Cow<'a, str>>,
}

impl<'a> CloudflareRecord<'a> {
    /// Check and convert the fields.
    pub fn fields(self) -> Result<CloudflareFields<'a>, Malformed> {
        let ts = match self.start {
            Some(Loose::Int(v)) => time::from_unix(v),
            Some(Loose::UInt(v)) => i64::try_from(v).ok().and_then(time::from_unix),
            Some(Loose::Str(s)) => time::parse_rfc3339(&s)
                .or_else(|| s.trim().parse::<i64>().ok().and_then(time::from_unix)),
            Some(Loose::Null) | None => return Err(Malformed::Missing("EdgeStartTimestamp")),
            Some(_) => None,
        }
        .ok_or(Malformed::BadTime)?;
        let status = match self.status {
            Some(Loose::Int(v)) => u16::try_from(v).ok().filter(|s| (100..1000).contains(s)),
            Some(Loose::UInt(v)) => u16::try_from(v).ok().filter(|s| (100..1000).contains(s)),
            Some(Loose::Str(s)) => status(&s).ok(),
            None | Some(Loose::Null) => return Err(Malformed::Missing("EdgeResponseStatus")),
            Some(_) => None,
        }
        .ok_or(Malformed::BadStatus)?;
        let ip = text(self.ip);
        if let Some(a) = &ip {
            address(a)?;
        }
        Ok(CloudflareFields {
            ts,
            status,
            ip,
            method: text(self.method),
            target: text(self.uri).or_else(|| text(self.path)),
            user_agent: text(self.user_agent),
            referer: text(self.referer),
        })
    }
}

impl CloudflareFields<'_> {
    /// The request, for the access rules.
    pub fn hit(&self) -> AccessHit<'_> {
        AccessHit {
            ts: self.ts,
            ip: self.ip.as_deref(),
            method: self.method.as_deref().unwrap_or_default(),
            target: self.target.as_deref().unwrap_or_default(),
            query: None,
            status: self.status,
            referer: self.referer.as_deref().map(Cow::Borrowed),
            user_agent: self.user_agent.as_deref().map(Cow::Borrowed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record() {
        let line = br#"{"ClientIP":"2001:db8::7","ClientRequestMethod":"GET","ClientRequestURI":"/docs/a?b=1","ClientRequestUserAgent":"curl/8.0","ClientRequestReferer":"","EdgeResponseStatus":200,"EdgeStartTimestamp":1711846799000000000,"RayID":"x"}"#;
        let f = parse(line).unwrap().fields().unwrap();
        let hit = f.hit();
        assert_eq!(hit.ts, time::parse_rfc3339("2024-03-31T00:59:59Z").unwrap());
        assert_eq!(
            (hit.ip, hit.method, hit.target, hit.status),
            (Some("2001:db8::7"), "GET", "/docs/a?b=1", 200)
        );
        assert_eq!(hit.referer, None);
        let rfc = br#"{"ClientIP":"198.51.100.1","EdgeResponseStatus":304,"EdgeStartTimestamp":"2024-03-31T00:59:59Z","ClientRequestPath":"/x"}"#;
        assert_eq!(parse(rfc).unwrap().fields().unwrap().hit().target, "/x");
    }

    #[test]
    fn bad() {
        assert!(parse(b"[1,2]").is_err());
        assert!(parse(b"\"x\"").is_err());
        assert!(parse(b"{").is_err());
        assert_eq!(
            parse(br#"{"EdgeResponseStatus":200}"#)
                .unwrap()
                .fields()
                .err(),
            Some(Malformed::Missing("EdgeStartTimestamp"))
        );
        assert_eq!(
            parse(br#"{"EdgeResponseStatus":200,"EdgeStartTimestamp":"soon"}"#)
                .unwrap()
                .fields()
                .err(),
            Some(Malformed::BadTime)
        );
        assert_eq!(
            parse(br#"{"ClientIP":"nope","EdgeResponseStatus":200,"EdgeStartTimestamp":1}"#)
                .unwrap()
                .fields()
                .err(),
            Some(Malformed::BadAddress)
        );
    }
}
