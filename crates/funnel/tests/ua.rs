//! `ua::parse` against other projects' public data: the crawler list's
//! own example agents (recall), a few thousand real browser agents (no
//! false positives), and PyPI's download-log parser fixtures (installers,
//! mirrors, proxies). Sources and licences: `tests/data/user-agents/`
//! and `crates/funnel/data/crawlers/README.md`.
#![expect(
    clippy::unwrap_used,
    reason = "the fixture readers stop loudly on missing test data"
)]

use leadlake_funnel::ua::bots::{self, ListEntry, Local, Verdict, verdict_of_tags};
use leadlake_funnel::ua::{BotKind, ClientKind, UaInfo, parse};
use proptest::prelude::*;
use std::path::PathBuf;

fn data(path: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/user-agents")
        .join(path);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn info(ua: &str) -> UaInfo {
    parse(ua).unwrap_or_else(|| panic!("no answer for {ua:?}"))
}

/// Not a person: a bot, or a script for the entries the list itself tags
/// `http-library`.
fn caught(entry_verdict: Verdict, i: &UaInfo) -> bool {
    match entry_verdict {
        Verdict::Bot(_) => i.is_bot == Some(true),
        Verdict::Tool => {
            i.is_bot == Some(true)
                || matches!(
                    i.client_kind,
                    Some(ClientKind::Tool | ClientKind::Installer)
                )
        }
    }
}

#[test]
fn the_data_compiles_without_problems() {
    let c = bots::crawlers();
    assert!(c.problems.is_empty(), "{:#?}", c.problems);
    let list: Vec<ListEntry> = serde_json::from_str(bots::LIST_JSON).unwrap();
    assert!(list.len() > 1000, "the list has {} entries", list.len());
    let local: Local = serde_json::from_str(bots::LOCAL_JSON).unwrap();
    assert_eq!(
        c.patterns.len(),
        list.len() - local.exclude.len() + local.add.len()
    );
    for x in &local.exclude {
        assert!(
            !x.reason.is_empty(),
            "exclusion {:?} needs a reason",
            x.pattern
        );
    }
}

#[test]
fn recall_over_the_lists_examples_and_no_browser_flagged() {
    let list: Vec<ListEntry> = serde_json::from_str(bots::LIST_JSON).unwrap();
    let local: Local = serde_json::from_str(bots::LOCAL_JSON).unwrap();
    let (mut total, mut hit) = (0usize, 0usize);
    let mut missed = Vec::new();
    for e in &list {
        let v = verdict_of_tags(&e.tags);
        for ua in &e.instances {
            total += 1;
            let i = info(ua);
            if caught(v, &i) {
                hit += 1;
            } else {
                missed.push(format!("{:?} {ua}", e.pattern));
            }
        }
    }
    for a in &local.add {
        for ua in &a.instances {
            total += 1;
            if info(ua).is_bot == Some(true) || a.kind == "tool" {
                hit += 1;
            } else {
                missed.push(format!("local {:?} {ua}", a.pattern));
            }
        }
    }
    let recall = hit as f64 / total as f64;

    let browsers = data("browsers.txt");
    let mut n = 0usize;
    let mut flagged = Vec::new();
    for ua in browsers.lines().filter(|l| !l.is_empty()) {
        n += 1;
        let i = info(ua);
        if i.client_kind != Some(ClientKind::Browser) || i.is_bot != Some(false) {
            let why = bots::crawlers()
                .find(ua)
                .and_then(|(p, _)| bots::crawlers().patterns.get(p).cloned());
            flagged.push(format!("{why:?} {ua} -> {:?}", i.client_kind));
        }
    }
    println!(
        "crawler list examples: {hit} of {total} caught, recall {:.2} %",
        100.0 * recall
    );
    println!("real browser agents: {} of {n} flagged", flagged.len());
    for m in missed.iter().take(40) {
        println!("missed: {m}");
    }
    assert!(n > 3000, "browser set has {n} agents");
    assert!(
        flagged.is_empty(),
        "browsers flagged:\n{}",
        flagged.join("\n")
    );
    assert!(recall >= 0.95, "recall {recall}");
}

#[test]
fn the_families_issue_15_names() {
    let cases: &[(&str, BotKind)] = &[
        (
            "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/W.X.Y.Z Mobile Safari/537.36 (compatible; GoogleOther)",
            BotKind::Search,
        ),
        (
            "Mozilla/5.0 (compatible; Google-InspectionTool/1.0;)",
            BotKind::Monitor,
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64; Storebot-Google/1.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/79.0.3945.88 Safari/537.36",
            BotKind::Search,
        ),
        (
            "AdsBot-Google (+http://www.google.com/adsbot.html)",
            BotKind::Other,
        ),
        ("Mediapartners-Google", BotKind::Other),
        ("anthropic-ai", BotKind::AiCrawler),
        (
            "meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)",
            BotKind::AiCrawler,
        ),
        ("WhatsApp/2.23.20.0", BotKind::Preview),
        ("TelegramBot (like TwitterBot)", BotKind::Preview),
        (
            "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/534+ (KHTML, like Gecko) BingPreview/1.0b",
            BotKind::Preview,
        ),
        (
            "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)",
            BotKind::Monitor,
        ),
        ("Uptime-Kuma/1.23.0", BotKind::Monitor),
        ("Zabbix", BotKind::Monitor),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 PTST/231102.171043",
            BotKind::Monitor,
        ),
        (
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            BotKind::Search,
        ),
        (
            "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
            BotKind::AiCrawler,
        ),
        // the bot word without a following `/`
        (
            "Mozilla/5.0 (compatible; SomeNewBot; +https://example.org/bot)",
            BotKind::Other,
        ),
        ("ExampleBot", BotKind::Other),
    ];
    for (ua, kind) in cases {
        let i = info(ua);
        assert_eq!(i.is_bot, Some(true), "{ua}");
        assert_eq!(i.client.as_deref(), Some("bot"), "{ua}");
        assert_eq!(i.client_kind, Some(ClientKind::Bot), "{ua}");
        assert_eq!(i.bot_kind, Some(*kind), "{ua}");
    }
    let i = info("GitHub-Hookshot/2b5ab6e");
    assert_eq!(
        (i.is_bot, i.ci_provider.as_deref()),
        (Some(true), Some("github"))
    );
    // a word that only contains "bot" is no bot
    let i =
        info("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0 Botanica/1.0");
    assert_eq!(i.client_kind, Some(ClientKind::Browser));
}

/// Our client name for linehaul's installer name, and the kind we give.
fn expected(linehaul_name: &str, ua: &str) -> Option<(&'static str, ClientKind)> {
    use ClientKind::*;
    Some(match linehaul_name {
        "pip" => ("pip", Installer),
        "uv" => ("uv", Installer),
        "poetry" => ("poetry", Installer),
        "pdm" => ("pdm", Installer),
        "pex" => ("pex", Installer),
        "conda" => ("conda", Installer),
        "setuptools" => ("setuptools", Installer),
        "distribute" => ("distribute", Installer),
        "Bazel" => ("bazel", Installer),
        "Homebrew" => ("homebrew", Installer),
        "twine" => ("twine", Tool),
        "maturin" => ("maturin", Tool),
        "requests" => ("python-requests", Tool),
        "bandersnatch" => ("bandersnatch", Mirror),
        "z3c.pypimirror" => ("z3c.pypimirror", Mirror),
        "pep381client" if ua.starts_with("pep381client-proxy/") => ("pep381client", Proxy),
        "pep381client" => ("pep381client", Mirror),
        "Artifactory" => ("artifactory", Proxy),
        "Nexus" => ("nexus", Proxy),
        "devpi" => ("devpi", Proxy),
        "Browser" => ("browser", Browser),
        _ => return None,
    })
}

/// `(ua, installer name, installer version)` from linehaul's fixture
/// files (a YAML list of `- ua: …` items with a `result:` mapping).
fn linehaul_cases() -> Vec<(String, Option<String>, Option<String>)> {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/user-agents/linehaul");
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let unquote = |s: &str| {
        let s = s.trim();
        if (s.starts_with('\'') && s.ends_with('\'')) || (s.starts_with('"') && s.ends_with('"')) {
            s[1..s.len() - 1].replace("''", "'")
        } else {
            s.to_string()
        }
    };
    for f in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "yml"))
    {
        let text = std::fs::read_to_string(f).unwrap();
        let mut in_installer = false;
        for line in text.lines() {
            if let Some(ua) = line.strip_prefix("- ua: ") {
                out.push((unquote(ua), None, None));
                in_installer = false;
            } else if line.trim() == "installer:" {
                in_installer = true;
            } else if in_installer && let Some(last) = out.last_mut() {
                let t = line.trim();
                if let Some(n) = t.strip_prefix("name: ") {
                    last.1 = Some(unquote(n));
                } else if let Some(v) = t.strip_prefix("version: ") {
                    last.2 = Some(unquote(v));
                } else if !line.starts_with("      ") {
                    in_installer = false;
                }
            }
        }
    }
    out
}

#[test]
fn linehaul_fixtures_installers_mirrors_and_proxies() {
    let cases = linehaul_cases();
    assert!(cases.len() >= 25, "{} fixtures", cases.len());
    let mut checked = 0;
    for (ua, name, version) in &cases {
        let i = info(ua);
        let Some((client, kind)) = name.as_deref().and_then(|n| expected(n, ua)) else {
            // linehaul's "OS" installers, `(null)` and bare urllib: not
            // package clients; they must not be taken for browsers or bots
            assert_ne!(i.client_kind, Some(ClientKind::Browser), "{ua}");
            assert_ne!(i.is_bot, Some(true), "{ua}");
            continue;
        };
        checked += 1;
        assert_eq!(i.client.as_deref(), Some(client), "{ua}");
        assert_eq!(i.client_kind, Some(kind), "{ua}");
        assert_eq!(i.is_bot, Some(false), "{ua}");
        if kind != ClientKind::Browser {
            assert_eq!(i.client_version, *version, "{ua}");
        }
    }
    println!(
        "linehaul fixtures: {checked} of {} checked by client",
        cases.len()
    );
    assert!(checked >= 20);
    // Nexus tells its system
    let i = info("Nexus/3.6.0-02 (OSS; Linux; 4.4.0-62-generic; amd64; 1.8.0_144)");
    assert_eq!(
        (i.os.as_deref(), i.arch.as_deref()),
        (Some("linux"), Some("amd64"))
    );
}

#[test]
fn other_clients_from_their_sources() {
    use ClientKind::*;
    let cases: &[(&str, &str, ClientKind, Option<&str>)] = &[
        // renovatebot/renovate lib/util/http: `RenovateBot/${version} (https://github.com/renovatebot/renovate)`
        (
            "RenovateBot/37.440.7 (https://github.com/renovatebot/renovate)",
            "renovate",
            Bot,
            Some("37.440.7"),
        ),
        // dependabot-core common/lib/dependabot/shared_helpers.rb
        (
            "dependabot-core/0.259.0 excon/0.110.0 ruby/3.3.1 (x86_64-linux) (+https://github.com/dependabot/dependabot-core)",
            "dependabot",
            Bot,
            Some("0.259.0"),
        ),
        // libmamba's default `mamba/<version>`
        ("mamba/1.5.8", "mamba", Installer, Some("1.5.8")),
        ("micromamba/1.5.8", "micromamba", Installer, Some("1.5.8")),
        (
            "conda/23.7.4 requests/2.31.0 CPython/3.11.5 Linux/5.15.0-1041-azure ubuntu/22.04.3 glibc/2.35 solver/libmamba conda-libmamba-solver/23.7.0 libmambapy/1.5.1",
            "conda",
            Installer,
            Some("23.7.4"),
        ),
        // pulp/pulpcore: `pulpcore/{version} ({python}, {system}) (pulp-glue …)`
        (
            "pulpcore/3.49.1 (cpython 3.9.18-final0, Linux x86_64) (aiohttp 3.9.3)",
            "pulp",
            Proxy,
            Some("3.49.1"),
        ),
        (
            "Artifactory/7.77.8 77708900",
            "artifactory",
            Proxy,
            Some("7.77.8"),
        ),
        ("curl/8.5.0", "curl", Tool, Some("8.5.0")),
    ];
    for (ua, client, kind, version) in cases {
        let i = info(ua);
        assert_eq!(i.client.as_deref(), Some(*client), "{ua}");
        assert_eq!(i.client_kind, Some(*kind), "{ua}");
        assert_eq!(i.client_version.as_deref(), *version, "{ua}");
        assert_eq!(i.is_bot, Some(*kind == Bot), "{ua}");
        assert_eq!(i.bot_kind, (*kind == Bot).then_some(BotKind::Other), "{ua}");
    }
    let i = info("conda/23.7.4 requests/2.31.0 CPython/3.11.5 Linux/5.15.0 ubuntu/22.04.3");
    assert_eq!(i.os.as_deref(), Some("linux"));
    // generic HTTP libraries from the list's http-library tag: scripts
    let i = info("okhttp/4.12.0");
    assert_eq!(
        (i.client.as_deref(), i.client_kind, i.is_bot),
        (Some("http-library"), Some(Tool), Some(false))
    );
}

#[test]
fn bad_input_gives_a_value_or_none() {
    assert!(parse("").is_none());
    assert!(parse("   \t").is_none());
    let big = "x".repeat(64 * 1024);
    for ua in [
        format!("pip/24.0 {{\"ci\":true,\"pad\":\"{big}\"}}"),
        format!("Mozilla/5.0 (Windows NT 10.0) {big}"),
        format!("Mozilla/5.0 {big} Googlebot/2.1"),
        big.clone(),
        "\u{fffd}".repeat(30_000),
        "é/".repeat(40),
    ] {
        let i = parse(&ua).unwrap();
        assert_eq!(
            i.is_bot == Some(true),
            i.client_kind == Some(ClientKind::Bot)
        );
    }
    // the marker past the searched prefix is not seen: documented
    let i = info(&format!("Mozilla/5.0 {big} Googlebot/2.1"));
    assert_eq!(i.client_kind, Some(ClientKind::Browser));
    let i = info(&format!("pip/24.0 {{\"ci\":true,\"pad\":\"{big}\"}}"));
    assert_eq!((i.client.as_deref(), i.is_ci), (Some("pip"), Some(true)));
}

proptest! {
    #[test]
    fn random_agents_never_panic(ua in ".{0,300}") {
        check(&ua);
    }

    #[test]
    fn random_agents_with_known_prefixes(
        prefix in prop::sample::select(vec!["pip/", "uv/", "npm/", "docker/", "Nexus/", "Mozilla/5.0 ", "Python-urllib/", "Bazel/release", "RenovateBot/", ""]),
        rest in "[ -~{}\\[\\]\"()/;]{0,200}",
    ) {
        check(&format!("{prefix}{rest}"));
    }
}

fn check(ua: &str) {
    match parse(ua) {
        None => assert!(ua.trim().is_empty()),
        Some(i) => {
            assert_eq!(
                i.is_bot == Some(true),
                i.client_kind == Some(ClientKind::Bot),
                "{ua:?}"
            );
            assert_eq!(i.bot_kind.is_some(), i.is_bot == Some(true), "{ua:?}");
        }
    }
}
