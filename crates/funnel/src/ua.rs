//! What a user agent says about the client: which tool, which version, on
//! which system, run by CI or by a crawler.

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
}

/// Crawler markers (lower case), matched anywhere in the agent.
const BOTS: &[&str] = &[
    "googlebot",
    "bingbot",
    "duckduckbot",
    "baiduspider",
    "yandexbot",
    "applebot",
    "ahrefsbot",
    "semrushbot",
    "gptbot",
    "claudebot",
    "ccbot",
    "facebookexternalhit",
    "slurp",
    "github-hookshot",
    "crawler",
    "spider",
    "bot/",
    "bot;",
    "+http",
];

/// Package clients whose agent starts `name/version`, with the client
/// name we report.
const CLIENTS: &[(&str, &str)] = &[
    ("pip/", "pip"),
    ("uv/", "uv"),
    ("poetry/", "poetry"),
    ("pdm/", "pdm"),
    ("twine/", "twine"),
    ("npm/", "npm"),
    ("yarn/", "yarn"),
    ("pnpm/", "pnpm"),
    ("bun/", "bun"),
    ("docker/", "docker"),
    ("containerd/", "containerd"),
    ("cri-o/", "cri-o"),
    ("podman/", "podman"),
    ("skopeo/", "skopeo"),
    ("buildkit/", "buildkit"),
    ("cargo/", "cargo"),
    ("apache-maven/", "maven"),
    ("gradle/", "gradle"),
    ("go-http-client/", "go"),
    ("go/", "go"),
    ("bundler/", "bundler"),
    ("rubygems/", "rubygems"),
    ("nuget command line/", "nuget"),
    ("helm/", "helm"),
    ("curl/", "curl"),
    ("wget/", "wget"),
    ("python-requests/", "python-requests"),
    ("conda/", "conda"),
];

fn json_str(v: &serde_json::Value, path: &[&str]) -> Option<String> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str().map(str::to_string)
}

/// pip and uv send `name/version {json}` with the installer, system, cpu
/// and a `ci` field (true when a CI environment variable is set).
fn python_json(info: &mut UaInfo, rest: &str) {
    let Some(start) = rest.find('{') else { return };
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&rest[start..]) else {
        return;
    };
    if let Some(name) = json_str(&v, &["installer", "name"]) {
        info.client = Some(name.to_ascii_lowercase());
        info.client_version =
            json_str(&v, &["installer", "version"]).or(info.client_version.take());
    }
    info.os = json_str(&v, &["system", "name"]).map(|s| s.to_ascii_lowercase());
    info.arch = json_str(&v, &["cpu"]);
    info.is_ci = Some(
        v.get("ci")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false),
    );
}

/// npm, yarn and pnpm: `npm/10.8.2 node/v20.17.0 linux x64 workspaces/false ci/github-actions`.
fn node_tokens(info: &mut UaInfo, rest: &str) {
    let tokens: Vec<&str> = rest.split_whitespace().collect();
    let mut plain = tokens.iter().filter(|t| !t.contains('/'));
    info.os = plain.next().map(|s| s.to_ascii_lowercase());
    info.arch = plain.next().map(|s| s.to_string());
    let ci = tokens.iter().find_map(|t| t.strip_prefix("ci/"));
    info.is_ci = Some(ci.is_some());
    info.ci_provider = ci.map(str::to_string);
}

/// Docker and friends: `key/value` tokens (`os/linux arch/amd64`) and an
/// `UpstreamClient(...)` naming the tool that drove the engine.
fn docker_tokens(info: &mut UaInfo, rest: &str) {
    for t in rest.split_whitespace() {
        if let Some(os) = t.strip_prefix("os/") {
            info.os = Some(os.to_ascii_lowercase());
        } else if let Some(arch) = t.strip_prefix("arch/") {
            info.arch = Some(arch.to_string());
        }
    }
    if let Some(start) = rest.find("UpstreamClient(") {
        let inner = &rest[start + "UpstreamClient(".len()..];
        let name = inner
            .split(['/', ' ', ')', '\\'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        // a CI builder driving the engine
        if name.contains("buildx") || name.contains("github") || name.contains("buildkit") {
            info.is_ci = Some(true);
        }
    }
}

fn browser(info: &mut UaInfo, ua: &str) {
    info.client = Some("browser".into());
    let lower = ua.to_ascii_lowercase();
    info.os = [
        ("android", "android"),
        ("iphone", "ios"),
        ("ipad", "ios"),
        ("windows", "windows"),
        ("mac os x", "macos"),
        ("macintosh", "macos"),
        ("linux", "linux"),
    ]
    .iter()
    .find(|(m, _)| lower.contains(m))
    .map(|(_, os)| (*os).to_string());
    // the engine token that names the browser's own version
    for marker in ["Edg/", "Firefox/", "Chrome/", "Version/"] {
        if let Some(i) = ua.find(marker) {
            let v = &ua[i + marker.len()..];
            let end = v.find([' ', ';', ')']).unwrap_or(v.len());
            info.client_version = Some(v[..end].to_string());
            break;
        }
    }
    info.is_bot = Some(false);
}

/// Parse a user agent. `None` for an empty agent; an agent we do not know
/// gives every field `None`.
pub fn parse(ua: &str) -> Option<UaInfo> {
    let ua = ua.trim();
    if ua.is_empty() {
        return None;
    }
    let lower = ua.to_ascii_lowercase();
    let mut info = UaInfo::default();
    if BOTS.iter().any(|b| lower.contains(b)) {
        info.client = Some("bot".into());
        info.is_bot = Some(true);
        if lower.contains("github-hookshot") {
            info.ci_provider = Some("github".into());
        }
        return Some(info);
    }
    if let Some((prefix, name)) = CLIENTS.iter().find(|(p, _)| lower.starts_with(p)) {
        let rest = &ua[prefix.len()..];
        let end = rest.find([' ', ';', '(']).unwrap_or(rest.len());
        info.client = Some((*name).to_string());
        info.client_version = Some(rest[..end].to_string()).filter(|v| !v.is_empty());
        info.is_bot = Some(false);
        let rest = &rest[end..];
        match *name {
            "pip" | "uv" | "poetry" | "pdm" => python_json(&mut info, rest),
            "npm" | "yarn" | "pnpm" | "bun" => node_tokens(&mut info, rest),
            "docker" | "containerd" | "cri-o" | "podman" | "buildkit" => {
                docker_tokens(&mut info, rest)
            }
            _ => {}
        }
        return Some(info);
    }
    if lower.starts_with("mozilla/") {
        browser(&mut info, ua);
    }
    Some(info)
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
