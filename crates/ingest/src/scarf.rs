//! Scarf raw-event exports, CSV (RFC 4180, read with the `csv` crate) and
//! NDJSON (serde_json), to rows.
//!
//! Columns are found by header name, never by position: exports differ in
//! order (`platform` after `user_agent`, `origin_state` after
//! `endpoint_id`); unknown columns are ignored and a missing optional column
//! is NULL. `id` and `time` are required in the header. In NDJSON, `null`,
//! `""` and a missing key all mean NULL, and values may be typed (numbers,
//! booleans, `variables` as an object or as a JSON string).
//!
//! Mapping ([`classify`]): `dnt = true` is dropped (empty means false);
//! `type` through `[ingest] scarf_types` (default `binary-download` and
//! `manifest-fetch` → download, `pixel-fetch` → view), other types →
//! download with a package, view with a pixel, else unmappable. A view's
//! page is the `page` variable, else `referer`, and `path` is its URL path.
//! `company`/`domain`/`network_type` from `origin_company`,
//! `origin_domain`, `origin_connection_type`; `origin` from `origin_id`;
//! `ip` is NULL. Deduplication by `id` is the caller's (it spans inputs).

use crate::config::{Rules, ScarfMapping};
use crate::csv_read::Record;
use crate::json::{Loose, json_error, require_object};
use crate::row::{DropReason, Kind, Malformed, Outcome, Row};
use crate::scan::{find2, trim};
use crate::time;
use crate::variables::page_of;
use serde::Deserialize;
use std::borrow::Cow;
use std::ops::Range;

/// One Scarf event, the fields leadlake uses, borrowed where possible.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScarfEvent<'a> {
    pub id: Cow<'a, str>,
    pub ts: i64,
    pub event_type: Option<Cow<'a, str>>,
    pub package: Option<Cow<'a, str>>,
    pub pixel: Option<Cow<'a, str>>,
    pub version: Option<Cow<'a, str>>,
    pub referer: Option<Cow<'a, str>>,
    pub user_agent: Option<Cow<'a, str>>,
    /// The `page` entry of `variables`.
    pub page: Option<Cow<'a, str>>,
    pub origin_id: Option<Cow<'a, str>>,
    pub company: Option<Cow<'a, str>>,
    pub domain: Option<Cow<'a, str>>,
    pub connection_type: Option<Cow<'a, str>>,
    pub dnt: bool,
}

/// Columns read, in this order (index into [`CsvColumns`]).
const COLUMNS: [&str; 14] = [
    "id",
    "time",
    "type",
    "package",
    "pixel",
    "version",
    "referer",
    "user_agent",
    "variables",
    "origin_id",
    "origin_company",
    "origin_domain",
    "origin_connection_type",
    "dnt",
];

/// Header names that mark a CSV header as Scarf's (format detection).
pub const KNOWN_COLUMNS: &[&str] = &[
    "id",
    "type",
    "package",
    "pixel",
    "version",
    "time",
    "referer",
    "user_agent",
    "variables",
    "origin_id",
    "origin_country",
    "origin_company",
    "origin_domain",
    "origin_connection_type",
    "dnt",
    "endpoint_id",
    "mtc_quota_exceeded",
    "platform",
    "confidence",
];

/// Where each used column is in a CSV file, from its header.
#[derive(Clone, Debug)]
pub struct CsvColumns {
    at: [Option<usize>; COLUMNS.len()],
    width: usize,
}

impl CsvColumns {
    /// Map the header. `Err` names the missing required column.
    pub fn from_header<'h>(
        header: impl IntoIterator<Item = &'h [u8]>,
    ) -> Result<CsvColumns, &'static str> {
        let mut at = [None; COLUMNS.len()];
        let mut width = 0;
        for (i, name) in header.into_iter().enumerate() {
            width = i + 1;
            let name = String::from_utf8_lossy(name);
            let name = name.trim().trim_start_matches('\u{feff}');
            if let Some(k) = COLUMNS.iter().position(|c| c.eq_ignore_ascii_case(name)) {
                at[k].get_or_insert(i);
            }
        }
        for (k, required) in [(0, "id"), (1, "time")] {
            if at[k].is_none() {
                return Err(required);
            }
        }
        Ok(CsvColumns { at, width })
    }

    /// The raw `id` of a record, if it has the column.
    pub fn id<'r>(&self, record: &'r csv::ByteRecord) -> Option<&'r [u8]> {
        self.at[0].and_then(|i| record.get(i))
    }

    /// The raw `id` of a record read by the ingest, if it has the column.
    pub(crate) fn id_in<'r>(&self, record: &Record<'r>) -> Option<&'r [u8]> {
        self.at[0].and_then(|i| record.get(i))
    }

    /// Read one CSV record.
    pub fn parse<'r>(&self, record: &'r csv::ByteRecord) -> Result<ScarfEvent<'r>, Malformed> {
        self.parse_fields(record.as_slice(), record.len(), |i| record.range(i))
    }

    /// Read one CSV record read by the ingest: the same as [`CsvColumns::parse`].
    pub(crate) fn parse_record<'r>(
        &self,
        record: &Record<'r>,
    ) -> Result<ScarfEvent<'r>, Malformed> {
        self.parse_fields(record.bytes, record.len(), |i| record.range(i))
    }

    /// A record of `width` fields, field `i` at `range(i)` in `bytes`.
    fn parse_fields<'r>(
        &self,
        bytes: &'r [u8],
        width: usize,
        range: impl Fn(usize) -> Option<Range<usize>>,
    ) -> Result<ScarfEvent<'r>, Malformed> {
        if width != self.width {
            return Err(Malformed::Ragged {
                fields: width,
                expected: self.width,
            });
        }
        // one UTF-8 check for the whole record; a field of a record that is
        // not all UTF-8 is checked alone (the columns not read may hold anything)
        let whole = std::str::from_utf8(bytes).ok();
        let field = |i: usize| -> Result<&'r str, Malformed> {
            let r = range(i).unwrap_or_default();
            if let Some(text) = whole
                && let Some(s) = text.get(r.clone())
            {
                return Ok(s);
            }
            std::str::from_utf8(bytes.get(r).unwrap_or_default())
                .map_err(|_| Malformed::InvalidUtf8)
        };
        let mut f: [Option<&'r str>; COLUMNS.len()] = [None; COLUMNS.len()];
        for (k, at) in self.at.iter().enumerate() {
            if let Some(i) = *at {
                let s = field(i)?;
                f[k] = (!s.is_empty()).then_some(s);
            }
        }
        let c = |k: usize| f[k].map(Cow::Borrowed);
        Ok(ScarfEvent {
            id: Cow::Borrowed(f[0].ok_or(Malformed::Missing("id"))?),
            ts: time::parse_rfc3339(f[1].ok_or(Malformed::Missing("time"))?)
                .ok_or(Malformed::BadTime)?,
            event_type: c(2),
            package: c(3),
            pixel: c(4),
            version: c(5),
            referer: c(6),
            user_agent: c(7),
            page: f[8].and_then(page_of),
            origin_id: c(9),
            company: c(10),
            domain: c(11),
            connection_type: c(12),
            dnt: dnt(f[13])?,
        })
    }
}

fn dnt(v: Option<&str>) -> Result<bool, Malformed> {
    // what exports write, matched before the lists (1 % of the instructions)
    match v {
        None | Some("false") => return Ok(false),
        Some("true") => return Ok(true),
        Some(_) => {}
    }
    match v.map(str::trim) {
        None | Some("") => Ok(false),
        Some(s)
            if ["true", "t", "1", "yes"]
                .iter()
                .any(|t| s.eq_ignore_ascii_case(t)) =>
        {
            Ok(true)
        }
        Some(s)
            if ["false", "f", "0", "no"]
                .iter()
                .any(|t| s.eq_ignore_ascii_case(t)) =>
        {
            Ok(false)
        }
        Some(_) => Err(Malformed::BadValue("dnt")),
    }
}

#[derive(Deserialize)]
struct JsonEvent<'a> {
    #[serde(borrow, default)]
    id: Option<Loose<'a>>,
    #[serde(borrow, default)]
    time: Option<Loose<'a>>,
    #[serde(borrow, default, rename = "type")]
    event_type: Option<Loose<'a>>,
    #[serde(borrow, default)]
    package: Option<Loose<'a>>,
    #[serde(borrow, default)]
    pixel: Option<Loose<'a>>,
    #[serde(borrow, default)]
    version: Option<Loose<'a>>,
    #[serde(borrow, default)]
    referer: Option<Loose<'a>>,
    #[serde(borrow, default)]
    user_agent: Option<Loose<'a>>,
    #[serde(default)]
    variables: Option<serde_json::Value>,
    #[serde(borrow, default)]
    origin_id: Option<Loose<'a>>,
    #[serde(borrow, default)]
    origin_company: Option<Loose<'a>>,
    #[serde(borrow, default)]
    origin_domain: Option<Loose<'a>>,
    #[serde(borrow, default)]
    origin_connection_type: Option<Loose<'a>>,
    #[serde(borrow, default)]
    dnt: Option<Loose<'a>>,
}

fn t(v: Option<Loose<'_>>) -> Option<Cow<'_, str>> {
    v.and_then(Loose::text)
}

/// Read one NDJSON line.
pub fn parse_json(line: &[u8]) -> Result<ScarfEvent<'_>, Malformed> {
    require_object(line)?;
    let e: JsonEvent<'_> = serde_json::from_slice(line).map_err(|e| json_error(&e))?;
    let page = match e.variables {
        Some(serde_json::Value::String(s)) => page_of(&s).map(|p| Cow::Owned(p.into_owned())),
        Some(serde_json::Value::Object(m)) => match m.get("page") {
            Some(serde_json::Value::String(s)) if !s.is_empty() => Some(Cow::Owned(s.clone())),
            _ => None,
        },
        _ => None,
    };
    let dnt = match e.dnt {
        Some(Loose::Bool(b)) => b,
        Some(Loose::Int(i)) => i != 0,
        Some(Loose::UInt(i)) => i != 0,
        other => dnt(t(other).as_deref())?,
    };
    let time = t(e.time).ok_or(Malformed::Missing("time"))?;
    Ok(ScarfEvent {
        id: t(e.id).ok_or(Malformed::Missing("id"))?,
        ts: time::parse_rfc3339(&time).ok_or(Malformed::BadTime)?,
        event_type: t(e.event_type),
        package: t(e.package),
        pixel: t(e.pixel),
        version: t(e.version),
        referer: t(e.referer),
        user_agent: t(e.user_agent),
        page,
        origin_id: t(e.origin_id),
        company: t(e.origin_company),
        domain: t(e.origin_domain),
        connection_type: t(e.origin_connection_type),
        dnt,
    })
}

/// The URL path of a page: no scheme, host, query or fragment, not
/// percent-decoded, trailing slash kept; `/` for a URL with a bare host,
/// and a leading `/` added to a relative page (`README.md` → `/README.md`).
///
/// Searched byte by byte (every delimiter is ASCII): `str::find` with a
/// string pattern sets up a substring searcher per call, and this runs for
/// every view (2.5 % of the instructions of the bench's Scarf ingest).
pub fn url_path(page: &str) -> &str {
    let page = trim(page);
    let after_host = |rest: &'_ str| -> usize {
        let b = rest.as_bytes();
        b.iter()
            .position(|c| matches!(c, b'/' | b'?' | b'#'))
            .unwrap_or(b.len())
    };
    let rest = if let Some(i) = scheme_end(page).filter(|&i| {
        page.as_bytes()[..i]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || b"+-.".contains(c))
    }) {
        let rest = &page[i + 3..];
        &rest[after_host(rest)..]
    } else if let Some(rest) = page.strip_prefix("//") {
        &rest[after_host(rest)..]
    } else {
        page
    };
    let path = &rest[..find2(rest.as_bytes(), b'?', b'#').unwrap_or(rest.len())];
    if path.is_empty() { "/" } else { path }
}

/// Where the first `://` is.
fn scheme_end(page: &str) -> Option<usize> {
    let b = page.as_bytes();
    memchr::memchr_iter(b':', b).find(|&i| b[i + 1..].starts_with(b"//"))
}

/// The row of one (not duplicate) event.
pub fn classify<'a>(e: ScarfEvent<'a>, rules: &Rules) -> Outcome<'a> {
    if e.dnt {
        return Outcome::Dropped(DropReason::Dnt);
    }
    let c = &rules.config;
    let mapping = e
        .event_type
        .as_deref()
        .and_then(|t| c.scarf_types.get(t).copied())
        .unwrap_or(if e.package.is_some() {
            ScarfMapping::Download
        } else if e.pixel.is_some() {
            ScarfMapping::View
        } else {
            ScarfMapping::Drop
        });
    let mut row = Row::new(e.ts, Kind::Download);
    match mapping {
        ScarfMapping::Drop => return Outcome::Dropped(DropReason::UnmappableType),
        ScarfMapping::Download => {
            row.package = e.package;
            row.version = e.version;
        }
        ScarfMapping::View => {
            let page = e.page.or_else(|| match &e.referer {
                Some(Cow::Borrowed(r)) => Some(Cow::Borrowed(*r)),
                other => other.clone(),
            });
            let path = page.map(page_path);
            row.kind = match &path {
                Some(p) if c.docs_prefixes.iter().any(|d| crate::classify::under(p, d)) => {
                    Kind::DocsView
                }
                _ => Kind::PageView,
            };
            row.path = path;
        }
    }
    row.user_agent = e.user_agent;
    row.referer = e.referer;
    row.company = e.company;
    row.domain = e.domain;
    row.network_type = e.connection_type.map(|t| Cow::Borrowed(network_type(&t)));
    row.origin = e.origin_id;
    Outcome::Row(row)
}

/// The `path` of a view: the page's [`url_path`], with a leading `/`;
/// borrowed where the page is.
fn page_path(page: Cow<'_, str>) -> Cow<'_, str> {
    let rooted = |p: &str| -> Option<String> { (!p.starts_with('/')).then(|| format!("/{p}")) };
    match page {
        Cow::Borrowed(page) => {
            let p = url_path(page);
            rooted(p).map_or(Cow::Borrowed(p), Cow::Owned)
        }
        Cow::Owned(page) => {
            let p = url_path(&page);
            Cow::Owned(rooted(p).unwrap_or_else(|| p.to_owned()))
        }
    }
}

/// Scarf's connection types and the lake's own names (lower case), and the
/// lake's network type of each.
const NETWORK_TYPES: [(&str, &str); 24] = [
    ("business", "business"),
    ("corporate", "business"),
    ("enterprise", "business"),
    ("isp", "isp"),
    ("cable/dsl", "isp"),
    ("cable", "isp"),
    ("dsl", "isp"),
    ("cellular", "isp"),
    ("mobile", "isp"),
    ("dialup", "isp"),
    ("satellite", "isp"),
    ("residential", "isp"),
    ("hosting", "hosting"),
    ("data center", "hosting"),
    ("datacenter", "hosting"),
    ("data_center", "hosting"),
    ("cloud", "hosting"),
    ("anonymous", "anonymous"),
    ("vpn", "anonymous"),
    ("proxy", "anonymous"),
    ("tor", "anonymous"),
    ("education", "education"),
    ("government", "government"),
    ("unknown", "unknown"),
];

/// The lake's network type for Scarf's `origin_connection_type`: the
/// lake's own names pass through (any case); MaxMind's connection types
/// map to them (`Corporate` is a business network; `Cable/DSL`,
/// `Cellular`, `Dialup` and `Satellite` are access networks); `Hosting`,
/// `Data Center` and the like are hosting; anything else is `unknown`,
/// which never makes a lead.
pub fn network_type(connection_type: &str) -> &'static str {
    let t = connection_type.trim();
    NETWORK_TYPES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(t))
        .map_or("unknown", |(_, lake)| lake)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_types_map_to_the_lake_network_types() {
        for (given, lake) in [
            ("Corporate", "business"),
            ("business", "business"),
            ("Cable/DSL", "isp"),
            ("Cellular", "isp"),
            (" Dialup ", "isp"),
            ("Hosting", "hosting"),
            ("education", "education"),
            ("T1", "unknown"),
            ("", "unknown"),
        ] {
            assert_eq!(network_type(given), lake, "{given}");
        }
    }
    use crate::config::IngestConfig;

    #[test]
    fn paths() {
        assert_eq!(url_path("https://example.com"), "/");
        assert_eq!(url_path("https://example.com/docs/a/?q=1#f"), "/docs/a/");
        assert_eq!(url_path("//cdn.example.com/x%20y"), "/x%20y");
        assert_eq!(url_path("/docs"), "/docs");
        assert_eq!(url_path("README.md"), "README.md");
        assert_eq!(url_path("https://example.com?x"), "/");
        assert_eq!(url_path(" https://a.io:8/x#y\u{a0}"), "/x");
        assert_eq!(url_path("a b://c/d"), "a b://c/d", "not a scheme");
        assert_eq!(
            url_path("x:/y://h/p"),
            "x:/y://h/p",
            "the first :// decides"
        );
    }

    /// [`url_path`] as it was written with `str` searches.
    fn url_path_by_str(page: &str) -> &str {
        let page = page.trim();
        let after_host = |rest: &'_ str| rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let scheme = page.find("://").filter(|&i| {
            page[..i]
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"+-.".contains(&c))
        });
        let rest = match (scheme, page.strip_prefix("//")) {
            (Some(i), _) => &page[i + 3..][after_host(&page[i + 3..])..],
            (None, Some(rest)) => &rest[after_host(rest)..],
            (None, None) => page,
        };
        let path = rest.split(['?', '#']).next().unwrap_or_default();
        if path.is_empty() { "/" } else { path }
    }

    proptest::proptest! {
        #[test]
        fn url_path_agrees_with_str_searches(page in "[ \u{a0}\ta-c:/?#.+é-]{0,16}") {
            proptest::prop_assert_eq!(url_path(&page), url_path_by_str(&page));
        }
    }

    #[test]
    fn json_events() {
        let rules = IngestConfig::default().compile().unwrap();
        let e = parse_json(r#"{"id":"a","type":"pixel-fetch","time":"2024-01-02 03:04:05.123456","pixel":"p1","variables":{"page":"https://x.io/docs/"},"dnt":false,"origin_company":"Ünïcode GmbH","mtc_quota_exceeded":true,"confidence":0.5}"#.as_bytes()).unwrap();
        match classify(e, &rules) {
            Outcome::Row(r) => {
                assert_eq!(
                    (r.kind, r.path.as_deref(), r.company.as_deref()),
                    (Kind::DocsView, Some("/docs/"), Some("Ünïcode GmbH"))
                );
            }
            other => panic!("{other:?}"),
        }
        let readme = parse_json(br#"{"id":"b","type":"pixel-fetch","time":"2024-01-02T03:04:05Z","pixel":"p","variables":"{\"page\":\"README.md\"}"}"#).unwrap();
        assert!(
            matches!(classify(readme, &rules), Outcome::Row(r) if r.path.as_deref() == Some("/README.md") && r.kind == Kind::PageView)
        );
        let dnt =
            parse_json(br#"{"id":"c","time":"2024-01-02T03:04:05Z","package":"p","dnt":"true"}"#)
                .unwrap();
        assert_eq!(classify(dnt, &rules), Outcome::Dropped(DropReason::Dnt));
        let odd = parse_json(br#"{"id":"d","type":"odd","time":"2024-01-02T03:04:05Z"}"#).unwrap();
        assert_eq!(
            classify(odd, &rules),
            Outcome::Dropped(DropReason::UnmappableType)
        );
        assert_eq!(
            parse_json(br#"{"id":"","time":"2024-01-02T03:04:05Z"}"#).err(),
            Some(Malformed::Missing("id"))
        );
        assert_eq!(
            parse_json(br#"{"id":"e","time":"yesterday"}"#).err(),
            Some(Malformed::BadTime)
        );
        assert!(parse_json(b"[]").is_err());
    }

    #[test]
    fn csv_fields_are_utf8_where_read() {
        let cols =
            CsvColumns::from_header([&b"id"[..], b"time", b"city", b"origin_company"]).unwrap();
        let record = |fields: [&[u8]; 4]| csv::ByteRecord::from(fields.to_vec());
        let t = b"2024-01-02T03:04:05Z";
        let munich = record([b"a", t, b"M\xfcnchen", b"Caf\xc3\xa9"]);
        let e = cols.parse(&munich).unwrap();
        assert_eq!(
            e.company.as_deref(),
            Some("Café"),
            "a column not read may hold anything"
        );
        assert_eq!(
            cols.parse(&record([b"a", t, b"x", b"Caf\xe9"])).err(),
            Some(Malformed::InvalidUtf8)
        );
        // the whole record is UTF-8, but a character spans two fields
        assert_eq!(
            cols.parse(&record([b"a", t, b"\xc3", b"\xa9"])).err(),
            Some(Malformed::InvalidUtf8)
        );
        assert_eq!(
            cols.parse(&record([b"a", t, b"x\xc3", b"\xa9"])).err(),
            Some(Malformed::InvalidUtf8)
        );
    }

    #[test]
    fn csv_header() {
        let h: Vec<&[u8]> = vec![b"type", b"time", b"x"];
        assert_eq!(CsvColumns::from_header(h).err(), Some("id"));
    }
}
