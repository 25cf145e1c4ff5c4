//! The access-log rules, in order: status, method, then the kind by path.
//!
//! 1. status outside `keep_status` (default 2xx and 304): dropped, counted by code;
//! 2. path = request target up to `?` or `#`, not decoded;
//! 3. method: `methods` (default GET) on any path, `call_home_methods`
//!    (default GET, POST) on call-home paths; others dropped;
//! 4. `call_home` on `call_home_paths`: package from a `package` query
//!    parameter or the configured package; version from a `v` (or
//!    `version`) query parameter, else from a leading `product/version`
//!    user-agent token;
//! 5. `download` under `download_prefixes` or with a `download_extensions`
//!    ending; package and version from the file name ([`crate::artifact`]);
//! 6. static assets (`asset_extensions`, `asset_files`): dropped;
//! 7. `docs_view` at or under `docs_prefixes`; else `page_view`.

use crate::access::AccessHit;
use crate::artifact;
use crate::config::Rules;
use crate::row::{DropReason, Kind, Outcome, Row};
use crate::scan::find2;
use std::borrow::Cow;

/// Is `path` the prefix itself or below it?
pub fn under(path: &str, prefix: &str) -> bool {
    match path.strip_prefix(prefix) {
        Some(rest) => rest.is_empty() || prefix.ends_with('/') || rest.starts_with('/'),
        None => false,
    }
}

fn ends_with_ci(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len()
        && s.as_bytes()[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// The path of a request target: up to `?` or `#`, not decoded.
pub fn target_path(target: &str) -> &str {
    &target[..find2(target.as_bytes(), b'?', b'#').unwrap_or(target.len())]
}

fn query_param<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
}

/// `tool/1.2.3 (...)` → `1.2.3`: the version of a leading product token.
fn agent_version(ua: &str) -> Option<&str> {
    let (_, v) = ua.split(' ').next()?.split_once('/')?;
    v.starts_with(|c: char| c.is_ascii_digit()).then_some(v)
}

/// Apply the rules to one request.
pub fn access<'a>(hit: AccessHit<'a>, rules: &'a Rules) -> Outcome<'a> {
    let c = &rules.config;
    if !rules
        .status
        .iter()
        .any(|(lo, hi)| (*lo..=*hi).contains(&hit.status))
    {
        return Outcome::Dropped(DropReason::Status(hit.status));
    }
    let path = target_path(hit.target);
    let call_home = c.call_home_paths.iter().any(|p| under(path, p));
    let methods = if call_home {
        &c.call_home_methods
    } else {
        &c.methods
    };
    if !methods.iter().any(|m| m == hit.method) {
        return Outcome::Dropped(DropReason::Method);
    }
    let mut row = Row::new(hit.ts, Kind::PageView);
    row.ip = hit.ip.map(Cow::Borrowed);
    row.path = (!path.is_empty()).then_some(Cow::Borrowed(path));
    row.referer = hit.referer;
    row.user_agent = hit.user_agent;
    let file = &path[memchr::memrchr(b'/', path.as_bytes()).map_or(0, |i| i + 1)..];
    let extension = |list: &[String]| {
        (!rules.extensions_dotted || file.contains('.'))
            && list.iter().any(|e| ends_with_ci(file, e))
    };
    if call_home {
        let query = hit.query.or_else(|| {
            hit.target
                .split_once('?')
                .map(|(_, q)| q.split('#').next().unwrap_or_default())
        });
        row.kind = Kind::CallHome;
        row.package = query
            .and_then(|q| query_param(q, "package"))
            .map(Cow::Borrowed)
            .or_else(|| c.package.as_deref().map(Cow::Borrowed));
        row.version = query
            .and_then(|q| query_param(q, "v").or_else(|| query_param(q, "version")))
            .map(Cow::Borrowed)
            .or_else(|| match &row.user_agent {
                Some(ua) => agent_version(ua).map(|v| Cow::Owned(v.to_owned())),
                None => None,
            });
    } else if c.download_prefixes.iter().any(|p| under(path, p))
        || extension(&c.download_extensions)
    {
        row.kind = Kind::Download;
        if let Some(a) = artifact::parse(file) {
            row.package = Some(Cow::Borrowed(a.package));
            row.version = Some(Cow::Borrowed(a.version));
        }
    } else if extension(&c.asset_extensions)
        || c.asset_files.iter().any(|f| f.eq_ignore_ascii_case(file))
    {
        return Outcome::Dropped(DropReason::Asset);
    } else if c.docs_prefixes.iter().any(|p| under(path, p)) {
        row.kind = Kind::DocsView;
    }
    Outcome::Row(row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::IngestConfig;

    fn hit(method: &'static str, target: &'static str, status: u16) -> AccessHit<'static> {
        AccessHit {
            ts: 1,
            ip: Some("192.0.2.1"),
            method,
            target,
            query: None,
            status,
            referer: None,
            user_agent: Some(Cow::Borrowed("mytool/2.1.0 linux")),
        }
    }

    fn kind<'o>(
        o: &'o Outcome<'_>,
    ) -> Result<(Kind, Option<&'o str>, Option<&'o str>), DropReason> {
        match o {
            Outcome::Row(r) => Ok((r.kind, r.package.as_deref(), r.version.as_deref())),
            Outcome::Dropped(d) => Err(*d),
        }
    }

    #[test]
    fn rules_in_order() {
        let rules = IngestConfig {
            package: Some("mytool".into()),
            ..IngestConfig::default()
        }
        .compile()
        .unwrap();
        let k = |m, t, s| {
            kind(&access(hit(m, t, s), &rules))
                .map(|(k, p, v)| (k, p.map(str::to_owned), v.map(str::to_owned)))
        };
        assert_eq!(k("GET", "/x", 404), Err(DropReason::Status(404)));
        assert_eq!(k("POST", "/docs", 200), Err(DropReason::Method));
        assert_eq!(
            k("POST", "/ping?v=1.0&package=other", 200),
            Ok((Kind::CallHome, Some("other".into()), Some("1.0".into())))
        );
        assert_eq!(
            k("GET", "/v1/telemetry", 204),
            Ok((Kind::CallHome, Some("mytool".into()), Some("2.1.0".into())))
        );
        assert_eq!(
            k("GET", "/f/mytool-2.0.tar.gz", 200),
            Ok((Kind::Download, Some("mytool".into()), Some("2.0".into())))
        );
        assert_eq!(
            k("GET", "/f/mytool-2.0.tar.gz.asc", 200),
            Err(DropReason::Asset)
        );
        assert_eq!(k("GET", "/robots.txt", 304), Err(DropReason::Asset));
        assert_eq!(
            k("GET", "/docs/install?x#y", 200),
            Ok((Kind::DocsView, None, None))
        );
        assert_eq!(
            k("GET", "/docsearch", 200),
            Ok((Kind::PageView, None, None))
        );
        assert_eq!(k("GET", "/", 200), Ok((Kind::PageView, None, None)));
    }

    #[test]
    fn an_extension_without_a_dot_still_matches() {
        let rules = IngestConfig {
            download_extensions: vec!["whl".into()],
            ..IngestConfig::default()
        }
        .compile()
        .unwrap();
        assert!(!rules.extensions_dotted);
        let o = access(hit("GET", "/f/bundlewhl", 200), &rules);
        assert_eq!(kind(&o).map(|k| k.0), Ok(Kind::Download));
        let defaults = IngestConfig::default().compile().unwrap();
        assert!(defaults.extensions_dotted);
        let o = access(hit("GET", "/f/bundlewhl", 200), &defaults);
        assert_eq!(kind(&o).map(|k| k.0), Ok(Kind::PageView));
    }

    #[test]
    fn paths() {
        assert_eq!(target_path("/a/b?c#d"), "/a/b");
        assert_eq!(target_path("/a#b?c"), "/a");
        assert!(under("/docs", "/docs") && under("/docs/x", "/docs") && !under("/docsx", "/docs"));
    }
}
