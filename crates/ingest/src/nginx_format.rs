//! nginx `log_format` strings, compiled once and matched against each line.
//!
//! A format is literals and `$variables` (or `${variables}`). A variable's
//! value runs up to the next occurrence of the literal after it, skipping
//! escapes (nginx escapes `"` and `\` in values, so a quoted value cannot
//! hold its closing quote); the last variable runs to the end of the line.
//! Two variables with no literal between them cannot be told apart and are
//! refused when the format is compiled.
//!
//! The variables that matter are read: `$remote_addr`, `$time_local`,
//! `$time_iso8601`, `$request`, `$status`, `$body_bytes_sent`,
//! `$http_referer`, `$http_user_agent`, `$request_method`, `$request_uri`,
//! `$uri`. Any other variable is an opaque token and skipped.
//!
//! The built-in `combined` format ([`LogFormat::combined`]) is the same
//! engine, lenient at the end of the line: a line may stop after
//! `$body_bytes_sent` (Apache `common`) or carry more fields after the user
//! agent (nginx setups that append `$http_x_forwarded_for`, Apache
//! `%D`...). Why not a crate: the log-parsing crates on crates.io either
//! take the fixed combined layout only, or build a regex per format, and do
//! not undo nginx and Apache escaping; a literal-driven scanner over the
//! line needs no allocation and is a few dozen lines.

use crate::access::{AccessHit, address, split_request, status, utf8};
use crate::escape::{find_unescaped, starts_with_at, unescape};
use crate::row::{Malformed, non_null};
use crate::time;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Var {
    RemoteAddr,
    TimeLocal,
    TimeIso8601,
    Request,
    Status,
    BodyBytesSent,
    HttpReferer,
    HttpUserAgent,
    RequestMethod,
    RequestUri,
    Uri,
    Other,
}

impl Var {
    fn named(name: &str) -> Var {
        match name {
            "remote_addr" => Var::RemoteAddr,
            "time_local" => Var::TimeLocal,
            "time_iso8601" => Var::TimeIso8601,
            "request" => Var::Request,
            "status" => Var::Status,
            "body_bytes_sent" => Var::BodyBytesSent,
            "http_referer" => Var::HttpReferer,
            "http_user_agent" => Var::HttpUserAgent,
            "request_method" => Var::RequestMethod,
            "request_uri" => Var::RequestUri,
            "uri" => Var::Uri,
            _ => Var::Other,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Lit(String),
    Var(Var),
}

/// A compiled log format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogFormat {
    tokens: Vec<Token>,
    /// The built-in combined format: may end early (common) and carry a tail.
    lenient: bool,
}

/// The nginx `combined` format (Apache's is the same up to the ident field,
/// read here as an opaque token).
pub const COMBINED: &str = r#"$remote_addr $ident $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent""#;

impl LogFormat {
    /// The built-in combined/common format.
    pub fn combined() -> LogFormat {
        match LogFormat::compile(COMBINED) {
            Ok(mut f) => {
                f.lenient = true;
                f
            }
            // COMBINED compiles (tested); an empty format would match nothing.
            Err(_) => LogFormat {
                tokens: Vec::new(),
                lenient: true,
            },
        }
    }

    /// Compile a `log_format` string (the format part, after the name; a
    /// leading `escape=default` is accepted, other escape modes are not).
    pub fn compile(format: &str) -> Result<LogFormat, String> {
        let mut format = format.trim();
        if let Some(rest) = format.strip_prefix("escape=") {
            let (mode, rest) = rest.split_once(' ').unwrap_or((rest, ""));
            if mode != "default" {
                return Err(format!(
                    "escape={mode} is not supported (only escape=default)"
                ));
            }
            format = rest.trim_start();
        }
        let mut tokens = Vec::new();
        let mut lit = String::new();
        let mut rest = format;
        while let Some(i) = rest.find('$') {
            lit.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            let (name, next) = if let Some(braced) = after.strip_prefix('{') {
                let end = braced.find('}').ok_or("unclosed ${")?;
                (&braced[..end], &braced[end + 1..])
            } else {
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                (&after[..end], &after[end..])
            };
            if name.is_empty() {
                return Err("a `$` without a variable name".into());
            }
            if !lit.is_empty() {
                tokens.push(Token::Lit(std::mem::take(&mut lit)));
            } else if matches!(tokens.last(), Some(Token::Var(_))) {
                return Err(format!(
                    "${name} follows another variable with nothing between them"
                ));
            }
            tokens.push(Token::Var(Var::named(name)));
            rest = next;
        }
        lit.push_str(rest);
        if !lit.is_empty() {
            tokens.push(Token::Lit(lit));
        }
        let has = |v: Var| tokens.contains(&Token::Var(v));
        if !has(Var::TimeLocal) && !has(Var::TimeIso8601) {
            return Err("needs $time_local or $time_iso8601".into());
        }
        if !has(Var::Status) {
            return Err("needs $status".into());
        }
        if !has(Var::Request) && !has(Var::RequestUri) && !has(Var::Uri) {
            return Err("needs $request, $request_uri or $uri".into());
        }
        Ok(LogFormat {
            tokens,
            lenient: false,
        })
    }

    /// Read one line (without its line break).
    pub fn parse<'a>(&self, line: &'a [u8]) -> Result<AccessHit<'a>, Malformed> {
        let line = utf8(line)?;
        let mut hit = AccessHit {
            ts: 0,
            ip: None,
            method: "",
            target: "",
            query: None,
            status: 0,
            referer: None,
            user_agent: None,
        };
        let (mut seen_time, mut seen_status) = (false, false);
        let (mut method, mut request_target, mut request_uri, mut uri) = (None, None, None, None);
        let mut pos = 0;
        let mut i = 0;
        while i < self.tokens.len() {
            match &self.tokens[i] {
                Token::Lit(lit) => {
                    let after_bytes = i > 0 && self.tokens[i - 1] == Token::Var(Var::BodyBytesSent);
                    if starts_with_at(line.as_bytes(), pos, lit.as_bytes()) {
                        pos += lit.len();
                    } else if self.lenient && after_bytes && pos == line.len() {
                        break; // common log format: no referer, no agent
                    } else {
                        return Err(Malformed::Structure("line does not follow the log format"));
                    }
                }
                Token::Var(var) => {
                    let end = match self.tokens.get(i + 1) {
                        Some(Token::Lit(next)) => match find_unescaped(line, pos, next) {
                            Some(e) => e,
                            None if self.lenient && *var == Var::BodyBytesSent => line.len(),
                            None => {
                                return Err(Malformed::Structure(
                                    "line does not follow the log format",
                                ));
                            }
                        },
                        _ => line.len(),
                    };
                    let value = line
                        .get(pos..end)
                        .ok_or(Malformed::Structure("line does not follow the log format"))?;
                    pos = end;
                    match var {
                        Var::RemoteAddr => hit.ip = address(value)?,
                        Var::TimeLocal => {
                            hit.ts = time::parse_clf(value).ok_or(Malformed::BadTime)?;
                            seen_time = true;
                        }
                        Var::TimeIso8601 => {
                            hit.ts = time::parse_rfc3339(value).ok_or(Malformed::BadTime)?;
                            seen_time = true;
                        }
                        Var::Status => {
                            hit.status = status(value)?;
                            seen_status = true;
                        }
                        Var::Request => {
                            let (m, t) = split_request(value);
                            method.get_or_insert(m);
                            request_target = Some(t);
                        }
                        Var::RequestMethod => method = Some(value),
                        Var::RequestUri => request_uri = non_null(value),
                        Var::Uri => uri = non_null(value),
                        Var::HttpReferer => hit.referer = non_null(value).map(unescape),
                        Var::HttpUserAgent => hit.user_agent = non_null(value).map(unescape),
                        Var::BodyBytesSent | Var::Other => {}
                    }
                }
            }
            i += 1;
        }
        if !self.lenient && pos != line.len() {
            return Err(Malformed::Structure("text after the end of the log format"));
        }
        if !seen_time {
            return Err(Malformed::Missing("time"));
        }
        if !seen_status {
            return Err(Malformed::Missing("status"));
        }
        hit.method = method.unwrap_or("GET");
        hit.target = request_uri.or(request_target).or(uri).unwrap_or_default();
        Ok(hit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combined_compiles() {
        assert_eq!(LogFormat::compile(COMBINED).map(|f| f.tokens.len()), Ok(18));
    }

    #[test]
    fn custom() {
        let f = LogFormat::compile(r#"$time_iso8601 $remote_addr "$request_method $request_uri" $status ${request_time}s "$http_user_agent""#)
            .unwrap();
        let hit = f.parse(br#"2024-03-31T01:59:59+01:00 ::ffff:10.0.0.1 "POST /ping?v=2" 200 0.003s "tool/2.0 (x)""#).unwrap();
        assert_eq!(hit.ip, Some("::ffff:10.0.0.1"));
        assert_eq!(hit.method, "POST");
        assert_eq!(hit.target, "/ping?v=2");
        assert_eq!(hit.user_agent.as_deref(), Some("tool/2.0 (x)"));
        assert_eq!(hit.ts, time::parse_rfc3339("2024-03-31T00:59:59Z").unwrap());
        assert!(
            f.parse(br#"2024-03-31T01:59:59+01:00 ::1 "GET /" 200 1s "ua" extra"#)
                .is_err()
        );
    }

    #[test]
    fn refused() {
        assert!(
            LogFormat::compile("$remote_addr$remote_user [$time_local] $status $request").is_err()
        );
        assert!(LogFormat::compile("$remote_addr $status $request").is_err());
        assert!(LogFormat::compile("escape=json $time_local $status $request").is_err());
        assert!(LogFormat::compile("escape=default $time_local $status $request").is_ok());
    }
}
