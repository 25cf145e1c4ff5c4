//! One event row, the user agents and pages they use, and the Arrow batch
//! they are written as.

use arrow::array::{ArrayRef, RecordBatch, StringBuilder, TimestampMicrosecondBuilder};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use std::sync::{Arc, LazyLock};

/// One row of the lake.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Event {
    pub ts: i64,
    pub kind: &'static str,
    pub ip: String,
    pub user_agent: &'static str,
    pub path: String,
    pub package: Option<&'static str>,
    pub version: Option<String>,
    pub referer: Option<&'static str>,
}

pub const PACKAGE: &str = "leadlake-widget";

pub const BROWSERS: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
];

/// Package clients run by people on their machines.
pub const CLIENTS: &[&str] = &[
    r#"pip/24.2 {"ci":null,"cpu":"x86_64","implementation":{"name":"CPython","version":"3.12.4"},"installer":{"name":"pip","version":"24.2"},"python":"3.12.4","system":{"name":"Linux","release":"6.8.0"}}"#,
    "uv/0.5.4 {\"installer\":{\"name\":\"uv\",\"version\":\"0.5.4\"},\"python\":\"3.12.7\",\"system\":{\"name\":\"Darwin\",\"release\":\"24.1.0\"}}",
    "npm/10.8.2 node/v20.17.0 linux x64 workspaces/false",
];

/// Clients seen from CI runners and containers.
pub const CI_CLIENTS: &[&str] = &[
    r#"pip/24.0 {"ci":true,"cpu":"x86_64","implementation":{"name":"CPython","version":"3.11.9"},"installer":{"name":"pip","version":"24.0"},"python":"3.11.9","system":{"name":"Linux","release":"6.5.0-1025-azure"}}"#,
    "npm/10.5.0 node/v18.20.4 linux x64 workspaces/false ci/github-actions",
    "docker/27.3.1 go/go1.22.7 git-commit/41ca978 kernel/6.8.0-1017-aws os/linux arch/amd64 UpstreamClient(Docker-Client/27.3.1 \\(linux\\))",
    "GitHub-Hookshot/8f1e2a3",
];

pub const BOTS: &[&str] = &[
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
];

pub const DOCS_INSTALL: &[&str] = &[
    "/docs/install",
    "/docs/getting-started",
    "/docs/quickstart",
    "/docs/setup",
];
pub const DOCS_UPGRADE: &[&str] = &[
    "/docs/upgrade",
    "/docs/migration-guide",
    "/docs/release-notes",
    "/docs/changelog",
];
pub const DOCS_OTHER: &[&str] = &[
    "/docs/api/client",
    "/docs/concepts",
    "/docs/configuration",
    "/docs/api/server",
    "/docs/faq",
];
pub const MEDIUM: &[&str] = &[
    "/blog/whats-new",
    "/features",
    "/community",
    "/blog/case-study-retail",
    "/tutorials/first-steps",
];
pub const HIGH: &[&str] = &[
    "/pricing",
    "/contact-sales",
    "/enterprise",
    "/demo",
    "/signup",
];
pub const LOW: &[&str] = &["/", "/about", "/careers", "/legal/privacy"];
pub const REFERERS: &[&str] = &[
    "https://www.google.com/",
    "https://github.com/",
    "https://news.ycombinator.com/",
];

static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    let text = |n: &str, nullable: bool| Field::new(n, DataType::Utf8, nullable);
    Arc::new(Schema::new(vec![
        Field::new(
            "ts",
            DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            false,
        ),
        text("kind", false),
        text("ip", false),
        text("user_agent", true),
        text("path", true),
        text("package", true),
        text("version", true),
        text("referer", true),
    ]))
});

/// The schema the generator writes (the canonical event schema).
pub fn schema() -> SchemaRef {
    Arc::clone(&SCHEMA)
}

/// Rows to a record batch.
pub fn to_batch(events: &[Event]) -> Result<RecordBatch, arrow::error::ArrowError> {
    let n = events.len();
    let mut ts = TimestampMicrosecondBuilder::with_capacity(n).with_timezone("UTC");
    let mut cols: Vec<StringBuilder> = (0..7)
        .map(|_| StringBuilder::with_capacity(n, n * 16))
        .collect();
    for e in events {
        ts.append_value(e.ts);
        cols[0].append_value(e.kind);
        cols[1].append_value(&e.ip);
        cols[2].append_value(e.user_agent);
        cols[3].append_value(&e.path);
        cols[4].append_option(e.package);
        cols[5].append_option(e.version.as_deref());
        cols[6].append_option(e.referer);
    }
    let mut arrays: Vec<ArrayRef> = vec![Arc::new(ts.finish())];
    arrays.extend(cols.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
    RecordBatch::try_new(schema(), arrays)
}
