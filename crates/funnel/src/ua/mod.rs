//! What a user agent says about the client: which tool, which version, on
//! which system, run by CI or by a crawler, and what sort of client it is.
//!
//! An agent is read in this order, the first step that knows it wins:
//! 1. [`clients`]: the first token names a package client, mirror, proxy,
//!    dependency bot or tool (`pip/24.0 {…}`, `Nexus/3.6.0-02 (…)`,
//!    `RenovateBot/37.0.0 (…)`). Our own table; a `match`, so it costs
//!    the same whatever its length, and it comes first so a crawler
//!    pattern can never turn an installer into a bot.
//! 2. [`bots`]: a maintained public crawler list plus our additions,
//!    compiled once into one matcher (why that engine: see [`bots`]).
//! 3. [`browser`]: any other `Mozilla/…` agent.
//! 4. Anything else: a [`UaInfo`] with every field `None`.
//!
//! Bad input: an empty (or all-space) agent gives `None`; any other text,
//! however long or odd, gives a value and never panics (a property test
//! feeds random strings). Only the first [`bots::SEARCH_PREFIX`] bytes are
//! searched for crawler patterns.

pub mod bots;
mod browser;
mod clients;
pub mod kinds;

pub use kinds::{BotKind, ClientKind};

/// The fields of `ua_info`. Fields the agent does not tell are `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UaInfo {
    pub client: Option<String>,
    pub client_version: Option<String>,
    pub is_ci: Option<bool>,
    pub ci_provider: Option<String>,
    pub os: Option<String>,
    pub arch: Option<String>,
    pub is_bot: Option<bool>,
    /// What the bot does; `None` unless `is_bot`.
    pub bot_kind: Option<BotKind>,
    /// What sort of client this is; `None` for an agent nobody knows.
    pub client_kind: Option<ClientKind>,
}

/// Parse a user agent. `None` for an empty agent; an agent we do not know
/// gives every field `None`.
pub fn parse(ua: &str) -> Option<UaInfo> {
    let ua = ua.trim();
    if ua.is_empty() {
        return None;
    }
    if let Some(info) = clients::parse(ua) {
        return Some(info);
    }
    if let Some((i, verdict)) = bots::crawlers().find(ua) {
        return Some(match verdict {
            bots::Verdict::Bot(kind) => UaInfo {
                client: Some("bot".into()),
                is_bot: Some(true),
                bot_kind: Some(kind),
                client_kind: Some(ClientKind::Bot),
                // GitHub's webhook deliveries
                ci_provider: bots::crawlers()
                    .patterns
                    .get(i)
                    .is_some_and(|p| p == "GitHub-Hookshot")
                    .then(|| "github".into()),
                ..UaInfo::default()
            },
            bots::Verdict::Tool => UaInfo {
                client: Some("http-library".into()),
                is_bot: Some(false),
                client_kind: Some(ClientKind::Tool),
                ..UaInfo::default()
            },
        });
    }
    if ua
        .get(..8)
        .is_some_and(|p| p.eq_ignore_ascii_case("mozilla/"))
    {
        return Some(browser::parse(ua));
    }
    Some(UaInfo::default())
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pip_json_with_ci() {
        let ua = r#"pip/24.0 {"ci":true,"cpu":"x86_64","installer":{"name":"pip","version":"24.0"},"system":{"name":"Linux","release":"6.5.0"}}"#;
        let i = parse(ua).unwrap();
        assert_eq!(i.client.as_deref(), Some("pip"));
        assert_eq!(i.client_version.as_deref(), Some("24.0"));
        assert_eq!(i.is_ci, Some(true));
        assert_eq!(i.os.as_deref(), Some("linux"));
        assert_eq!(i.arch.as_deref(), Some("x86_64"));
        assert_eq!(i.is_bot, Some(false));
        let ua = r#"pip/24.2 {"ci":null,"installer":{"name":"pip","version":"24.2"}}"#;
        assert_eq!(parse(ua).unwrap().is_ci, Some(false));
        // broken JSON keeps what the prefix tells
        let i = parse("pip/23.1 {not json").unwrap();
        assert_eq!(i.client.as_deref(), Some("pip"));
        assert_eq!(i.is_ci, None);
    }

    #[test]
    fn npm_ci_provider() {
        let i =
            parse("npm/10.5.0 node/v18.20.4 linux x64 workspaces/false ci/github-actions").unwrap();
        assert_eq!(i.client.as_deref(), Some("npm"));
        assert_eq!(i.client_version.as_deref(), Some("10.5.0"));
        assert_eq!(i.is_ci, Some(true));
        assert_eq!(i.ci_provider.as_deref(), Some("github-actions"));
        assert_eq!(i.os.as_deref(), Some("linux"));
        assert_eq!(i.arch.as_deref(), Some("x64"));
    }

    #[test]
    fn docker_tokens_and_upstream() {
        let i = parse("docker/27.3.1 go/go1.22.7 git-commit/41ca978 kernel/6.8.0 os/linux arch/amd64 UpstreamClient(Docker-Client/27.3.1 \\(linux\\))").unwrap();
        assert_eq!(i.client.as_deref(), Some("docker"));
        assert_eq!(i.os.as_deref(), Some("linux"));
        assert_eq!(i.arch.as_deref(), Some("amd64"));
        assert_eq!(i.is_ci, None);
        let i = parse("docker/27.0 os/linux arch/arm64 UpstreamClient(buildx/0.17)").unwrap();
        assert_eq!(i.is_ci, Some(true));
    }

    #[test]
    fn browsers_bots_and_unknowns() {
        let i = parse("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36").unwrap();
        assert_eq!(i.client.as_deref(), Some("browser"));
        assert_eq!(i.client_version.as_deref(), Some("131.0.0.0"));
        assert_eq!(i.os.as_deref(), Some("windows"));
        let i = parse("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
            .unwrap();
        assert_eq!(i.client.as_deref(), Some("bot"));
        assert_eq!(i.is_bot, Some(true));
        assert!(parse("").is_none());
        assert_eq!(parse("\u{0}\u{1}garbage").unwrap(), UaInfo::default());
        let i = parse("curl/8.5.0").unwrap();
        assert_eq!(i.client.as_deref(), Some("curl"));
        assert_eq!(i.client_version.as_deref(), Some("8.5.0"));
    }
}
