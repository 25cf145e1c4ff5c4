//! nginx and Apache `combined` and `common` access logs.
//!
//! Both servers write the same layout
//! (`host ident user [time] "request" status bytes "referer" "agent"`);
//! they differ in how they escape quoted values, and
//! [`crate::escape::unescape`] reads both. The line scanner is the one of
//! [`crate::nginx_format`], with the built-in combined format.

use crate::access::AccessHit;
use crate::nginx_format::LogFormat;
use crate::row::Malformed;
use std::sync::LazyLock;

static COMBINED: LazyLock<LogFormat> = LazyLock::new(LogFormat::combined);

/// Read one combined or common log line (without its line break).
pub fn parse(line: &[u8]) -> Result<AccessHit<'_>, Malformed> {
    COMBINED.parse(line)
}

/// Does a line that [`parse`] reads look like Apache rather than nginx?
/// Only Apache writes `\"` and `\\`, and only Apache has `common` as a
/// standard format; anything else is taken as nginx (the result is the
/// same rows either way, only the report's format name differs).
pub fn looks_apache(line: &[u8]) -> bool {
    let text = String::from_utf8_lossy(line);
    text.contains("\\\"") || text.contains("\\\\") || !text.trim_end().ends_with('"')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_rfc3339;

    #[test]
    fn nginx_line() {
        let line = br#"203.0.113.9 - - [31/Mar/2024:01:59:59 +0100] "GET /simple/pkg/pkg-1.0-py3-none-any.whl?x=1 HTTP/1.1" 200 1234 "-" "pip/23.3.1 {\x22ci\x22:null}""#;
        let hit = parse(line).unwrap();
        assert_eq!(hit.ip, Some("203.0.113.9"));
        assert_eq!(hit.ts, parse_rfc3339("2024-03-31T00:59:59Z").unwrap());
        assert_eq!(hit.method, "GET");
        assert_eq!(hit.target, "/simple/pkg/pkg-1.0-py3-none-any.whl?x=1");
        assert_eq!(hit.status, 200);
        assert_eq!(hit.referer, None);
        assert_eq!(hit.user_agent.as_deref(), Some(r#"pip/23.3.1 {"ci":null}"#));
        assert!(!looks_apache(line));
    }

    #[test]
    fn apache_lines() {
        let line = br#"2001:db8::1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a HTTP/1.0" 304 - "https://x.example/docs/" "pip/23.3.1 {\"ci\":null}" 1234"#;
        let hit = parse(line).unwrap();
        assert_eq!(hit.status, 304);
        assert_eq!(hit.referer.as_deref(), Some("https://x.example/docs/"));
        assert_eq!(hit.user_agent.as_deref(), Some(r#"pip/23.3.1 {"ci":null}"#));
        assert!(looks_apache(line));
        let common =
            br#"10.1.2.3 - - [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326"#;
        let hit = parse(common).unwrap();
        assert_eq!((hit.target, hit.user_agent), ("/apache_pb.gif", None));
        assert!(looks_apache(common));
    }

    #[test]
    fn malformed() {
        let truncated = br#"10.1.2.3 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 2326 "-" "pip/23.3.1 {\"ci\":nu"#;
        assert!(parse(truncated).is_err());
        assert_eq!(
            parse(b"host.example - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 1").err(),
            Some(Malformed::BadAddress)
        );
        assert_eq!(
            parse(b"10.1.2.3 - - [10/Oct/2000:13:55:36] \"GET / HTTP/1.0\" 200 1").err(),
            Some(Malformed::BadTime)
        );
        assert_eq!(
            parse(b"10.1.2.3 - - [10/Oct/2000:13:55:36 -0700] \"GET /\xff HTTP/1.0\" 200 1").err(),
            Some(Malformed::InvalidUtf8)
        );
        assert!(parse(b"").is_err());
        assert!(parse(b"\x00\x01garbage").is_err());
    }
}
