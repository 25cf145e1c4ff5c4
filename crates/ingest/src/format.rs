//! Input formats and telling them apart by content.
//!
//! Detection looks at the first 64 KiB after decompression (gzip itself is
//! told by its magic bytes, see [`crate::input`]), skipping a UTF-8 BOM and
//! blank lines:
//! - `#Version:` / `#Fields:` comment lines → CloudFront;
//! - a JSON object with `ClientIP`, `EdgeStartTimestamp` or
//!   `ClientRequestURI` → Cloudflare; with `id` and `type` or `time` → Scarf NDJSON;
//! - a CSV header with `id` or `time` and at least three Scarf column names → Scarf CSV;
//! - a line the configured `nginx_log_format` reads → nginx (custom format);
//! - a combined or common log line (any of the first ten) → Apache when it
//!   shows Apache's escaping or is `common`, else nginx.

use crate::combined;
use crate::config::Rules;
use crate::scarf;
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// An input format; `Auto` detects it from the content.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Auto,
    /// Scarf raw-event export, CSV or NDJSON.
    Scarf,
    /// nginx `combined`, or the configured `log_format`.
    Nginx,
    /// Apache `combined` or `common`.
    Apache,
    /// Amazon CloudFront standard logs.
    #[serde(rename = "cloudfront")]
    CloudFront,
    /// Cloudflare Logpush HTTP requests (NDJSON).
    Cloudflare,
}

impl Format {
    /// The name used on the command line and in the report.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Scarf => "scarf",
            Format::Nginx => "nginx",
            Format::Apache => "apache",
            Format::CloudFront => "cloudfront",
            Format::Cloudflare => "cloudflare",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A format name that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format `{0}` (auto, scarf, nginx, apache, cloudfront, cloudflare)")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "auto" => Format::Auto,
            "scarf" => Format::Scarf,
            "nginx" => Format::Nginx,
            "apache" => Format::Apache,
            "cloudfront" => Format::CloudFront,
            "cloudflare" => Format::Cloudflare,
            _ => return Err(UnknownFormat(s.to_owned())),
        })
    }
}

/// Which reader a format needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Parser {
    Combined,
    Custom,
    CloudFront,
    Cloudflare,
    ScarfCsv,
    ScarfJson,
}

fn lines(head: &[u8]) -> impl Iterator<Item = &[u8]> {
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    head.split(|&c| c == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
}

fn first_byte(head: &[u8]) -> Option<u8> {
    lines(head)
        .next()
        .and_then(|l| l.iter().copied().find(|c| !c.is_ascii_whitespace()))
}

/// The format of a file from its first (decompressed) bytes.
pub fn detect(head: &[u8], rules: &Rules) -> Option<Format> {
    detect_parser(head, rules).map(|(f, _)| f)
}

pub(crate) fn detect_parser(head: &[u8], rules: &Rules) -> Option<(Format, Parser)> {
    let first = lines(head).next()?;
    if first.starts_with(b"#Version:")
        || first.starts_with(b"#Fields:")
        || lines(head)
            .take_while(|l| l.starts_with(b"#"))
            .any(|l| l.starts_with(b"#Fields:"))
    {
        return Some((Format::CloudFront, Parser::CloudFront));
    }
    if first_byte(head) == Some(b'{') {
        let obj: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(first).ok()?;
        if ["ClientIP", "EdgeStartTimestamp", "ClientRequestURI"]
            .iter()
            .any(|k| obj.contains_key(*k))
        {
            return Some((Format::Cloudflare, Parser::Cloudflare));
        }
        if obj.contains_key("id") && (obj.contains_key("type") || obj.contains_key("time")) {
            return Some((Format::Scarf, Parser::ScarfJson));
        }
        return None;
    }
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(first);
    let mut header = csv::ByteRecord::new();
    if csv.read_byte_record(&mut header).unwrap_or(false) {
        let names: Vec<String> = header
            .iter()
            .map(|n| String::from_utf8_lossy(n).trim().to_ascii_lowercase())
            .collect();
        let known = names
            .iter()
            .filter(|n| scarf::KNOWN_COLUMNS.contains(&n.as_str()))
            .count();
        if known >= 3 && names.iter().any(|n| n == "id" || n == "time") {
            return Some((Format::Scarf, Parser::ScarfCsv));
        }
    }
    let sample: Vec<&[u8]> = lines(head).take(10).collect();
    if let Some(custom) = &rules.log_format
        && sample.iter().any(|l| custom.parse(l).is_ok())
    {
        return Some((Format::Nginx, Parser::Custom));
    }
    let line = sample.iter().find(|l| combined::parse(l).is_ok())?;
    Some((
        if combined::looks_apache(line) {
            Format::Apache
        } else {
            Format::Nginx
        },
        Parser::Combined,
    ))
}

/// The reader for a named format (`Auto` detects).
pub(crate) fn parser(format: Format, head: &[u8], rules: &Rules) -> Option<(Format, Parser)> {
    Some(match format {
        Format::Auto => return detect_parser(head, rules),
        Format::Scarf if first_byte(head) == Some(b'{') => (format, Parser::ScarfJson),
        Format::Scarf => (format, Parser::ScarfCsv),
        Format::Nginx if rules.log_format.is_some() => (format, Parser::Custom),
        Format::Nginx | Format::Apache => (format, Parser::Combined),
        Format::CloudFront => (format, Parser::CloudFront),
        Format::Cloudflare => (format, Parser::Cloudflare),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::IngestConfig;

    #[test]
    fn detects() {
        let rules = IngestConfig::default().compile().unwrap();
        let d = |s: &str| detect(s.as_bytes(), &rules);
        assert_eq!(
            d("#Version: 1.0\n#Fields: date time\n"),
            Some(Format::CloudFront)
        );
        assert_eq!(d("{\"ClientIP\":\"1.2.3.4\"}\n"), Some(Format::Cloudflare));
        assert_eq!(
            d("\u{feff}{\"id\":\"1\",\"type\":\"x\"}"),
            Some(Format::Scarf)
        );
        assert_eq!(d("id,type,package,time\n1,2,3,4\n"), Some(Format::Scarf));
        assert_eq!(
            d("\"id\",\"time\",\"origin_company\"\r\n"),
            Some(Format::Scarf)
        );
        assert_eq!(
            d("1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 1 \"-\" \"x\"\n"),
            Some(Format::Nginx)
        );
        assert_eq!(
            d("1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 1\n"),
            Some(Format::Apache)
        );
        assert_eq!(d("hello world\n"), None);
        assert_eq!(d("{\"a\":1}"), None);
        assert_eq!(d(""), None);
        assert_eq!("CloudFront".parse::<Format>(), Ok(Format::CloudFront));
    }
}
