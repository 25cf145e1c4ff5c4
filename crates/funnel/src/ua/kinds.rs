//! The two classifications `ua_info` adds to a client: what sort of
//! client it is (`client_kind`) and, for bots, what the bot does
//! (`bot_kind`). How each kind counts in the journey is in
//! `docs/functions.md` (section "`ua_info` clients").

/// What sort of client sent the agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientKind {
    /// A package manager or build tool installing for a person or a CI
    /// job: pip, uv, npm, cargo, docker, …
    Installer,
    /// Software that copies a whole index whatever anyone uses:
    /// bandersnatch, z3c.pypimirror, pep381client.
    Mirror,
    /// A repository manager fetching on demand for the machines behind
    /// it: Artifactory, Nexus, devpi, Pulp.
    Proxy,
    /// A crawler, a monitor, a link previewer, or dependency automation
    /// (Renovate, Dependabot).
    Bot,
    /// A web browser.
    Browser,
    /// A generic HTTP tool or library (curl, wget, python-requests,
    /// okhttp, …) or an uploader (twine): a script, not a person.
    Tool,
}

impl ClientKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            ClientKind::Installer => "installer",
            ClientKind::Mirror => "mirror",
            ClientKind::Proxy => "proxy",
            ClientKind::Bot => "bot",
            ClientKind::Browser => "browser",
            ClientKind::Tool => "tool",
        }
    }
}

/// What a bot does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BotKind {
    /// A search engine's crawler (Googlebot, bingbot, GoogleOther, …).
    Search,
    /// A crawler gathering text for AI models or AI answers (GPTBot,
    /// ClaudeBot, anthropic-ai, meta-externalagent, …).
    AiCrawler,
    /// A link previewer fetching a page someone shared (WhatsApp,
    /// TelegramBot, BingPreview, …).
    Preview,
    /// An uptime or performance monitor (Pingdom, Uptime-Kuma, Zabbix,
    /// WebPageTest's PTST, …).
    Monitor,
    /// A security or vulnerability scanner.
    Scanner,
    /// Every other bot: SEO, advertising, feed readers, archivers,
    /// academic crawlers, browser automation, dependency automation.
    Other,
}

impl BotKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            BotKind::Search => "search",
            BotKind::AiCrawler => "ai_crawler",
            BotKind::Preview => "preview",
            BotKind::Monitor => "monitor",
            BotKind::Scanner => "scanner",
            BotKind::Other => "other",
        }
    }

    /// Parse a kind name as written in `data/crawlers/local.json`.
    pub fn from_name(s: &str) -> Option<Self> {
        Some(match s {
            "search" => BotKind::Search,
            "ai_crawler" => BotKind::AiCrawler,
            "preview" => BotKind::Preview,
            "monitor" => BotKind::Monitor,
            "scanner" => BotKind::Scanner,
            "other" => BotKind::Other,
            _ => return None,
        })
    }
}
