//! Amazon CloudFront standard (access) logs: tab-separated, with
//! `#Version:` and `#Fields:` comment lines naming the columns.
//!
//! Columns are found by their `#Fields:` names (the standard v1.0 order when
//! a file has no `#Fields:` line): `date`, `time` (UTC), `c-ip`,
//! `cs-method`, `cs-uri-stem`, `sc-status`, `cs(Referer)`,
//! `cs(User-Agent)`, `cs-uri-query`. `-` is NULL. CloudFront URL-encodes
//! the user agent (`%20` for spaces); it is decoded once with
//! `percent-encoding` (the `url` crate's, already in the build). The stem
//! and query stay as logged, like every other path.

use crate::access::{AccessHit, address, status, utf8};
use crate::row::{Malformed, non_null};
use crate::time;
use percent_encoding::percent_decode_str;

/// Field order of a v1.0 standard log, used until a `#Fields:` line says otherwise.
const STANDARD: &str = "date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query";

const DATE: usize = 0;
const TIME: usize = 1;
const IP: usize = 2;
const METHOD: usize = 3;
const STEM: usize = 4;
const STATUS: usize = 5;
const REFERER: usize = 6;
const AGENT: usize = 7;
const QUERY: usize = 8;
const NAMES: [&str; 9] = [
    "date",
    "time",
    "c-ip",
    "cs-method",
    "cs-uri-stem",
    "sc-status",
    "cs(Referer)",
    "cs(User-Agent)",
    "cs-uri-query",
];

/// Where each needed field is, per the latest `#Fields:` line.
#[derive(Clone, Debug)]
pub struct CloudFront {
    at: [Option<usize>; NAMES.len()],
}

impl Default for CloudFront {
    fn default() -> Self {
        let mut c = CloudFront {
            at: [None; NAMES.len()],
        };
        c.set_fields(STANDARD);
        c
    }
}

impl CloudFront {
    fn set_fields(&mut self, names: &str) {
        self.at = [None; NAMES.len()];
        for (i, name) in names.split_ascii_whitespace().enumerate() {
            if let Some(k) = NAMES.iter().position(|n| *n == name) {
                self.at[k] = Some(i);
            }
        }
    }

    /// A `#` comment line: `#Fields:` sets the columns. True if `line` was one.
    pub fn comment(&mut self, line: &[u8]) -> bool {
        if line.first() != Some(&b'#') {
            return false;
        }
        if let Some(rest) = line.strip_prefix(b"#Fields:") {
            self.set_fields(&String::from_utf8_lossy(rest));
        }
        true
    }

    /// Read one data line.
    pub fn parse<'a>(&self, line: &'a [u8]) -> Result<AccessHit<'a>, Malformed> {
        let line = utf8(line)?;
        let mut got: [Option<&'a str>; NAMES.len()] = [None; NAMES.len()];
        let mut n = 0;
        for (i, field) in line.split('\t').enumerate() {
            n = i + 1;
            for (k, at) in self.at.iter().enumerate() {
                if *at == Some(i) {
                    got[k] = Some(field);
                }
            }
        }
        let need = |k: usize, what: &'static str| got[k].ok_or(Malformed::Structure(what));
        if n < 2 {
            return Err(Malformed::Structure("not tab-separated"));
        }
        let ts = time::parse_date_time(need(DATE, "no date")?, need(TIME, "no time")?)
            .ok_or(Malformed::BadTime)?;
        let user_agent = got[AGENT]
            .and_then(non_null)
            .map(|ua| percent_decode_str(ua).decode_utf8_lossy());
        Ok(AccessHit {
            ts,
            ip: got[IP].map(address).transpose()?.flatten(),
            method: got[METHOD].unwrap_or_default(),
            target: need(STEM, "no cs-uri-stem")?,
            query: got[QUERY].and_then(non_null),
            status: status(need(STATUS, "no sc-status")?)?,
            referer: got[REFERER]
                .and_then(non_null)
                .map(std::borrow::Cow::Borrowed),
            user_agent,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        let mut cf = CloudFront::default();
        assert!(cf.comment(b"#Version: 1.0"));
        assert!(cf.comment(b"#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie)"));
        let line = b"2024-03-31\t00:59:59\tLHR62-C2\t2390\t192.0.2.10\tGET\td111.cloudfront.net\t/pkg-1.0.tar.gz\t200\t-\tpip/23.3.1%20%7B%22ci%22:null%7D\tv=1\t-";
        assert!(!cf.comment(line));
        let hit = cf.parse(line).unwrap();
        assert_eq!(hit.user_agent.as_deref(), Some(r#"pip/23.3.1 {"ci":null}"#));
        assert_eq!(
            (hit.target, hit.query, hit.status),
            ("/pkg-1.0.tar.gz", Some("v=1"), 200)
        );
        assert!(cf.parse(b"2024-03-31 00:59:59 x").is_err());
        assert!(cf.parse(b"").is_err());
    }
}
