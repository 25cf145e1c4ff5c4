//! One output event in the lake's canonical schema, and what a parser or a
//! rule can make of one input line instead: a row, a counted drop, or a
//! malformed line.
//!
//! Text fields are `Cow<str>` so that a parser borrows from the line buffer
//! and allocates only where it must unescape or decode.

use serde::Serialize;
use std::borrow::Cow;
use std::fmt;

/// The event kinds the lake knows (`crates/lake/src/schema.rs`, `KINDS`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A package or artifact was fetched.
    Download,
    /// A documentation page was viewed.
    DocsView,
    /// Any other page was viewed.
    PageView,
    /// Installed software phoned home (telemetry, update check).
    CallHome,
}

impl Kind {
    /// Every kind, in report order.
    pub const ALL: [Kind; 4] = [
        Kind::Download,
        Kind::DocsView,
        Kind::PageView,
        Kind::CallHome,
    ];

    /// The value written to the `kind` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Download => "download",
            Kind::DocsView => "docs_view",
            Kind::PageView => "page_view",
            Kind::CallHome => "call_home",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One event, in canonical column order. `ts` is microseconds since the Unix
/// epoch, UTC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row<'a> {
    pub ts: i64,
    pub kind: Kind,
    pub ip: Option<Cow<'a, str>>,
    pub user_agent: Option<Cow<'a, str>>,
    pub path: Option<Cow<'a, str>>,
    pub package: Option<Cow<'a, str>>,
    pub version: Option<Cow<'a, str>>,
    pub referer: Option<Cow<'a, str>>,
    pub company: Option<Cow<'a, str>>,
    pub domain: Option<Cow<'a, str>>,
    pub network_type: Option<Cow<'a, str>>,
    /// Scarf's anonymous `origin_id`: a source id where there is no address.
    pub origin: Option<Cow<'a, str>>,
}

impl<'a> Row<'a> {
    /// A row with only `ts` and `kind` set.
    pub fn new(ts: i64, kind: Kind) -> Self {
        Row {
            ts,
            kind,
            ip: None,
            user_agent: None,
            path: None,
            package: None,
            version: None,
            referer: None,
            company: None,
            domain: None,
            network_type: None,
            origin: None,
        }
    }

    /// The string columns after `ts`, in schema order (`kind` first).
    pub fn strings(&self) -> [Option<&str>; STRING_COLUMNS.len()] {
        [
            Some(self.kind.as_str()),
            self.ip.as_deref(),
            self.user_agent.as_deref(),
            self.path.as_deref(),
            self.package.as_deref(),
            self.version.as_deref(),
            self.referer.as_deref(),
            self.company.as_deref(),
            self.domain.as_deref(),
            self.network_type.as_deref(),
            self.origin.as_deref(),
        ]
    }
}

/// The Utf8 columns written after `ts`, in order: the lake's canonical
/// columns, then the optional `origin`.
pub const STRING_COLUMNS: [&str; 11] = [
    "kind",
    "ip",
    "user_agent",
    "path",
    "package",
    "version",
    "referer",
    "company",
    "domain",
    "network_type",
    "origin",
];

/// Why a well-formed record was left out. Every drop is counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropReason {
    /// A Scarf event whose `id` was already seen in this run.
    DuplicateId,
    /// A Scarf event with `dnt = true`.
    Dnt,
    /// An HTTP status outside the kept set (the code is counted).
    Status(u16),
    /// A method not kept for this path.
    Method,
    /// A static asset (stylesheet, image, signature, robots.txt, ...).
    Asset,
    /// A Scarf event type that maps to no kind.
    UnmappableType,
}

/// What one well-formed record became.
#[derive(Clone, Debug, PartialEq, Eq)]
#[expect(
    clippy::large_enum_variant,
    reason = "an outcome lives for one line on the stack; boxing the row would allocate per line"
)]
pub enum Outcome<'a> {
    Row(Row<'a>),
    Dropped(DropReason),
}

/// Why a line or record could not be read. Counted, with its line number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Malformed {
    /// The line is not valid UTF-8.
    InvalidUtf8,
    /// The line does not have the expected fields (quoting, brackets, count).
    Structure(&'static str),
    /// The client address is not an IPv4 or IPv6 address.
    BadAddress,
    /// The timestamp does not parse.
    BadTime,
    /// The HTTP status is not a three-digit number.
    BadStatus,
    /// JSON that does not parse, or a JSON line that is not an object.
    Json(String),
    /// A CSV row with another number of fields than the header.
    Ragged { fields: usize, expected: usize },
    /// A required field is missing or empty.
    Missing(&'static str),
    /// A field holds a value outside its domain.
    BadValue(&'static str),
}

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Malformed::InvalidUtf8 => f.write_str("invalid UTF-8"),
            Malformed::Structure(what) => write!(f, "bad structure: {what}"),
            Malformed::BadAddress => f.write_str("bad client address"),
            Malformed::BadTime => f.write_str("bad time"),
            Malformed::BadStatus => f.write_str("bad status"),
            Malformed::Json(e) => write!(f, "bad JSON: {e}"),
            Malformed::Ragged { fields, expected } => {
                write!(f, "{fields} fields where the header has {expected}")
            }
            Malformed::Missing(field) => write!(f, "missing {field}"),
            Malformed::BadValue(field) => write!(f, "bad value in {field}"),
        }
    }
}

/// `Some` for a field that holds a value: `-` and empty mean NULL in logs.
pub(crate) fn non_null(s: &str) -> Option<&str> {
    if s.is_empty() || s == "-" {
        None
    } else {
        Some(s)
    }
}
