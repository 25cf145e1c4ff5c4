//! Package clients, mirrors, proxies and tools that name themselves in
//! the agent's first token (`name/version …`), and what each family adds
//! (JSON from pip/uv/Hatch, `ci/<provider>` from npm, `os/… arch/…` from
//! Docker, the system from Nexus).
//!
//! The agent formats come from the tools' own sources and from PyPI's
//! download-log parser's fixtures (pypi/linehaul-cloud-function, copied
//! to `tests/data/user-agents/linehaul/`, where `tests/ua.rs` reads
//! them). The table is a `match` on the lower-cased first token: one
//! comparison per agent, whatever the table's length.

use super::UaInfo;
use super::kinds::{BotKind, ClientKind};

/// How the rest of an agent is read, by family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    /// `{json}` (pip ≥ 6, uv, Hatch) or `Impl/version System/release`
    /// tokens (pip 1.4–5, poetry, pdm, conda).
    Python,
    /// npm, yarn, pnpm, bun: `node/v20 linux x64 … ci/<provider>`.
    Node,
    /// Docker engines: `os/linux arch/amd64 UpstreamClient(…)`.
    Docker,
    /// Nexus: `(OSS; Linux; <kernel>; amd64; <java>)`.
    Nexus,
    /// The whole rest is the version (`Bazel/release 6.4.0`,
    /// `Bazel/1.0 dev`), without a leading `release `.
    Release,
    /// Nothing more to read.
    Plain,
}

/// The lower-cased token before the first `/` → client name, kind, family.
fn lookup(token: &str) -> Option<(&'static str, ClientKind, Family)> {
    use ClientKind::*;
    use Family::*;
    Some(match token {
        // Python installers
        "pip" => ("pip", Installer, Python),
        "uv" => ("uv", Installer, Python),
        "poetry" => ("poetry", Installer, Python),
        "pdm" => ("pdm", Installer, Python),
        "pipenv" => ("pipenv", Installer, Python),
        "pex" => ("pex", Installer, Plain),
        "hatch" => ("hatch", Installer, Python),
        "setuptools" => ("setuptools", Installer, Plain),
        "conda" => ("conda", Installer, Python),
        "mamba" => ("mamba", Installer, Python),
        "micromamba" => ("micromamba", Installer, Python),
        "bazel" => ("bazel", Installer, Release),
        "homebrew" => ("homebrew", Installer, Plain),
        // JavaScript
        "npm" => ("npm", Installer, Node),
        "yarn" => ("yarn", Installer, Node),
        "pnpm" => ("pnpm", Installer, Node),
        "bun" => ("bun", Installer, Node),
        // containers
        "docker" => ("docker", Installer, Docker),
        "containerd" => ("containerd", Installer, Docker),
        "cri-o" => ("cri-o", Installer, Docker),
        "podman" => ("podman", Installer, Docker),
        "skopeo" => ("skopeo", Installer, Plain),
        "buildkit" => ("buildkit", Installer, Docker),
        "helm" => ("helm", Installer, Plain),
        // other ecosystems
        "cargo" => ("cargo", Installer, Plain),
        "apache-maven" => ("maven", Installer, Plain),
        "gradle" => ("gradle", Installer, Plain),
        "go" | "go-http-client" => ("go", Installer, Plain),
        "bundler" => ("bundler", Installer, Plain),
        "rubygems" => ("rubygems", Installer, Plain),
        "nuget command line" => ("nuget", Installer, Plain),
        // mirrors: copy a whole index
        "bandersnatch" => ("bandersnatch", Mirror, Plain),
        "z3c.pypimirror" => ("z3c.pypimirror", Mirror, Plain),
        "pep381client" => ("pep381client", Mirror, Plain),
        // proxies: repository managers fetching on demand
        "pep381client-proxy" => ("pep381client", Proxy, Plain),
        "artifactory" => ("artifactory", Proxy, Plain),
        "nexus" => ("nexus", Proxy, Nexus),
        "devpi-server" => ("devpi", Proxy, Plain),
        "pulpcore" => ("pulp", Proxy, Plain),
        // dependency automation
        "renovatebot" | "renovate" => ("renovate", Bot, Plain),
        "dependabot-core" => ("dependabot", Bot, Plain),
        // tools
        "twine" => ("twine", Tool, Python),
        "maturin" => ("maturin", Tool, Plain),
        "curl" => ("curl", Tool, Plain),
        "wget" => ("wget", Tool, Plain),
        "python-requests" => ("python-requests", Tool, Python),
        _ => return None,
    })
}

/// The lower-cased first token (before the first `/`, at most 32 bytes)
/// written into `buf`.
fn first_token<'b>(ua: &str, buf: &'b mut [u8; 32]) -> Option<&'b str> {
    let bytes = ua.as_bytes();
    let end = bytes.iter().take(buf.len()).position(|&b| b == b'/')?;
    let out = buf.get_mut(..end)?;
    out.copy_from_slice(bytes.get(..end)?);
    out.make_ascii_lowercase();
    std::str::from_utf8(out).ok()
}

/// A package client, mirror, proxy or tool named by the first token, or
/// setuptools/distribute behind `Python-urllib/…`. `None` otherwise.
pub(super) fn parse(ua: &str) -> Option<UaInfo> {
    let mut buf = [0u8; 32];
    let token = first_token(ua, &mut buf)?;
    let (name, kind, family, rest) = match lookup(token) {
        Some((name, kind, family)) => (name, kind, family, &ua[token.len() + 1..]),
        None if token == "python-urllib" => {
            // `Python-urllib/3.6 setuptools/1.0`: setuptools or distribute
            // fetching through the standard library
            let (name, rest) = ["setuptools/", "distribute/"]
                .iter()
                .find_map(|m| ua.find(m).map(|i| (&m[..m.len() - 1], &ua[i + m.len()..])))?;
            (name, ClientKind::Installer, Family::Plain, rest)
        }
        None => return None,
    };
    let mut info = UaInfo {
        client: Some(name.to_string()),
        client_kind: Some(kind),
        is_bot: Some(kind == ClientKind::Bot),
        bot_kind: (kind == ClientKind::Bot).then_some(BotKind::Other),
        ..UaInfo::default()
    };
    let end = match family {
        Family::Release => rest.len(),
        _ => rest.find([' ', ';', '(']).unwrap_or(rest.len()),
    };
    let (version, rest) = rest.split_at(end);
    let version = match family {
        Family::Release => version.strip_prefix("release ").unwrap_or(version).trim(),
        _ => version,
    };
    info.client_version = Some(version.to_string()).filter(|v| !v.is_empty());
    match family {
        Family::Python => python(&mut info, rest),
        Family::Node => node_tokens(&mut info, rest),
        Family::Docker => docker_tokens(&mut info, rest),
        Family::Nexus => nexus(&mut info, rest),
        Family::Release | Family::Plain => {}
    }
    Some(info)
}

fn json_str(v: &serde_json::Value, path: &[&str]) -> Option<String> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str().map(str::to_string)
}

/// pip and uv send `name/version {json}` with the installer, system, cpu
/// and a `ci` field (true when a CI environment variable is set); older
/// pip, poetry, pdm, conda and twine send `Impl/version System/release`
/// tokens instead.
fn python(info: &mut UaInfo, rest: &str) {
    let Some(start) = rest.find('{') else {
        python_tokens(info, rest);
        return;
    };
    // Hatch appends ` HTTPX/…` after the JSON: read to the last brace
    let end = rest.rfind('}').map_or(rest.len(), |e| e + 1).max(start);
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&rest[start..end]) else {
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

/// `CPython/3.9.2 Linux/5.10.16`: the system token gives the OS.
fn python_tokens(info: &mut UaInfo, rest: &str) {
    info.os = rest
        .split_whitespace()
        .filter_map(|t| t.split_once('/'))
        .map(|(n, _)| n)
        .find(|n| {
            ["linux", "darwin", "windows", "osx"]
                .iter()
                .any(|s| n.eq_ignore_ascii_case(s))
        })
        .map(str::to_ascii_lowercase);
}

/// npm, yarn and pnpm: `npm/10.8.2 node/v20.17.0 linux x64 workspaces/false ci/github-actions`.
fn node_tokens(info: &mut UaInfo, rest: &str) {
    let mut plain = rest.split_whitespace().filter(|t| !t.contains('/'));
    info.os = plain.next().map(str::to_ascii_lowercase);
    info.arch = plain.next().map(str::to_string);
    let ci = rest.split_whitespace().find_map(|t| t.strip_prefix("ci/"));
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

/// Nexus: `Nexus/3.6.0-02 (OSS; Linux; 4.4.0-62-generic; amd64; 1.8.0_144)`.
fn nexus(info: &mut UaInfo, rest: &str) {
    let Some(inner) = rest
        .trim_start()
        .strip_prefix('(')
        .and_then(|r| r.split(')').next())
    else {
        return;
    };
    let fields: Vec<&str> = inner.split(';').map(str::trim).collect();
    info.os = fields
        .get(1)
        .filter(|s| !s.is_empty())
        .map(|s| s.to_ascii_lowercase());
    info.arch = fields
        .get(3)
        .filter(|s| !s.is_empty())
        .map(|s| s.to_string());
}
