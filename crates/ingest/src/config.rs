//! The `[ingest]` section of `leadlake.toml`, and the rules compiled from it.
//!
//! ```toml
//! [ingest]
//! package = "leadlake"                  # call-home events name no package
//! docs_prefixes = ["/docs"]
//! call_home_paths = ["/ping", "/v1/telemetry"]
//! keep_status = ["2xx", "304"]          # classes, codes or ranges "200-299"
//! methods = ["GET"]                     # kept on any path
//! call_home_methods = ["GET", "POST"]   # kept on call-home paths
//! download_prefixes = []                # paths that are downloads whatever the extension
//! download_extensions = [".whl", ".tar.gz", ...]
//! asset_extensions = [".css", ".js", ...]
//! asset_files = ["robots.txt", ...]
//! nginx_log_format = '$remote_addr - $remote_user [$time_local] "$request" $status ...'
//! max_buffered_rows = 4000000
//!
//! [ingest.scarf_types]                  # Scarf event type -> download | view | drop
//! "binary-download" = "download"
//! ```

use crate::error::IngestError;
use crate::nginx_format::LogFormat;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a Scarf event type becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScarfMapping {
    /// A `download` row with package and version.
    Download,
    /// A `docs_view` or `page_view` row, by its page's path.
    View,
    /// Dropped and counted as unmappable.
    Drop,
}

/// `[ingest]` in `leadlake.toml`. Every key is optional; see the module doc
/// for the defaults.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IngestConfig {
    /// The package call-home events belong to when the request names none.
    pub package: Option<String>,
    /// Paths at or under these are `docs_view`.
    pub docs_prefixes: Vec<String>,
    /// Paths (exact, or under them) that are `call_home`.
    pub call_home_paths: Vec<String>,
    /// HTTP statuses kept: `"2xx"`, `"304"`, `"200-299"`. Others are dropped, counted by code.
    pub keep_status: Vec<String>,
    /// Methods kept on any path.
    pub methods: Vec<String>,
    /// Methods kept on call-home paths.
    pub call_home_methods: Vec<String>,
    /// Paths at or under these are downloads, whatever their extension.
    pub download_prefixes: Vec<String>,
    /// File name endings that are downloads (case-insensitive).
    pub download_extensions: Vec<String>,
    /// File name endings of static assets, dropped (case-insensitive).
    pub asset_extensions: Vec<String>,
    /// Whole file names of static assets, dropped.
    pub asset_files: Vec<String>,
    /// Scarf event type → what it becomes; types not listed fall back to
    /// `download` when the event has a package, else `view` when it has a
    /// pixel, else dropped as unmappable.
    pub scarf_types: BTreeMap<String, ScarfMapping>,
    /// An nginx `log_format` string for `--format nginx` logs not in
    /// `combined`; also tried by `auto`.
    pub nginx_log_format: Option<String>,
    /// Rows held in memory for one input before the largest day is written
    /// out early as an extra part (memory bound for inputs not in time order).
    pub max_buffered_rows: usize,
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            package: None,
            docs_prefixes: strings(&["/docs"]),
            call_home_paths: strings(&["/ping", "/v1/telemetry"]),
            keep_status: strings(&["2xx", "304"]),
            methods: strings(&["GET"]),
            call_home_methods: strings(&["GET", "POST"]),
            download_prefixes: Vec::new(),
            download_extensions: strings(&[
                ".whl",
                ".tar.gz",
                ".tgz",
                ".tar.bz2",
                ".tar.xz",
                ".tar.zst",
                ".zip",
                ".deb",
                ".rpm",
                ".jar",
                ".crate",
                ".gem",
                ".nupkg",
                ".apk",
                ".dmg",
                ".msi",
                ".exe",
                ".pkg",
                ".appimage",
                ".snap",
            ]),
            asset_extensions: strings(&[
                ".css", ".js", ".mjs", ".map", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico",
                ".webp", ".avif", ".woff", ".woff2", ".ttf", ".otf", ".eot", ".asc", ".sig",
                ".sha1", ".sha256", ".sha512", ".md5",
            ]),
            asset_files: strings(&[
                "robots.txt",
                "favicon.ico",
                "sitemap.xml",
                "humans.txt",
                "security.txt",
            ]),
            scarf_types: [
                ("binary-download", ScarfMapping::Download),
                ("manifest-fetch", ScarfMapping::Download),
                ("pixel-fetch", ScarfMapping::View),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
            nginx_log_format: None,
            max_buffered_rows: 4_000_000,
        }
    }
}

/// The configuration checked and prepared for matching.
#[derive(Clone, Debug)]
pub struct Rules {
    pub(crate) config: IngestConfig,
    pub(crate) status: Vec<(u16, u16)>,
    pub(crate) log_format: Option<LogFormat>,
    /// Every download and asset extension starts with `.`: a file name
    /// without a dot has none of them.
    pub(crate) extensions_dotted: bool,
}

fn bad(key: &str, message: impl Into<String>) -> IngestError {
    IngestError::Config {
        key: key.to_owned(),
        message: message.into(),
    }
}

fn status_rule(s: &str) -> Option<(u16, u16)> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() == 3 && b[0].is_ascii_digit() && b[1..].eq_ignore_ascii_case(b"xx") {
        let c = u16::from(b[0] - b'0') * 100;
        return Some((c, c + 99));
    }
    if let Some((lo, hi)) = s.split_once('-') {
        return Some((lo.trim().parse().ok()?, hi.trim().parse().ok()?));
    }
    let c = s.parse().ok()?;
    Some((c, c))
}

impl IngestConfig {
    /// Check the configuration and prepare it for matching. The error names
    /// the key at fault.
    pub fn compile(&self) -> Result<Rules, IngestError> {
        let status = self
            .keep_status
            .iter()
            .map(|s| {
                status_rule(s).ok_or_else(|| {
                    bad(
                        "keep_status",
                        format!("`{s}` is not a code, a class like 2xx, or a range like 200-299"),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let log_format = self
            .nginx_log_format
            .as_deref()
            .map(|f| LogFormat::compile(f).map_err(|m| bad("nginx_log_format", m)))
            .transpose()?;
        for (key, list) in [
            ("docs_prefixes", &self.docs_prefixes),
            ("call_home_paths", &self.call_home_paths),
            ("download_prefixes", &self.download_prefixes),
        ] {
            if let Some(p) = list.iter().find(|p| !p.starts_with('/')) {
                return Err(bad(key, format!("`{p}` does not start with `/`")));
            }
        }
        if self.max_buffered_rows == 0 {
            return Err(bad("max_buffered_rows", "must be at least 1"));
        }
        let mut config = self.clone();
        for list in [&mut config.methods, &mut config.call_home_methods] {
            list.iter_mut().for_each(|m| m.make_ascii_uppercase());
        }
        let dotted = |list: &[String]| list.iter().all(|e| e.starts_with('.'));
        let extensions_dotted =
            dotted(&config.download_extensions) && dotted(&config.asset_extensions);
        Ok(Rules {
            config,
            status,
            log_format,
            extensions_dotted,
        })
    }
}

impl Rules {
    /// The configuration these rules were compiled from.
    pub fn config(&self) -> &IngestConfig {
        &self.config
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_section() {
        let c: IngestConfig = toml_like(
            r#"{"package":"leadlake","keep_status":["200-299"],"scarf_types":{"custom":"drop"}}"#,
        );
        assert_eq!(c.package.as_deref(), Some("leadlake"));
        assert_eq!(c.docs_prefixes, ["/docs"]);
        assert_eq!(c.compile().unwrap().status, [(200, 299)]);
        assert!(serde_json::from_str::<IngestConfig>(r#"{"pakage":"x"}"#).is_err());
        let bad = IngestConfig {
            keep_status: vec!["ok".into()],
            ..IngestConfig::default()
        };
        assert!(
            matches!(bad.compile(), Err(IngestError::Config { key, .. }) if key == "keep_status")
        );
    }

    fn toml_like(json: &str) -> IngestConfig {
        serde_json::from_str(json).unwrap()
    }
}
