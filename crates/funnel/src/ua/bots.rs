//! Crawlers, monitors and previewers, from a maintained public list.
//!
//! The patterns are monperrus/crawler-user-agents'
//! `crawler-user-agents.json` (MIT; source, commit and refresh step in
//! `crates/funnel/data/crawlers/README.md`), kept verbatim, plus our own
//! `local.json`: patterns the list lacks, list patterns we drop because
//! they flag real browsers, and kind overrides. Both files are embedded
//! with `include_str!` and compiled once, on first use, into ONE
//! multi-pattern matcher.
//!
//! Why two automata, and these: of the ~1,500 patterns about 1,460 are
//! plain text (`Googlebot\/`, `bingbot`), and the rest (a few dozen:
//! `[pP]ingdom`, `^curl`, `(^| )PTST\/`, our generic `bot` word) need a
//! regex. The plain ones go into ONE Aho-Corasick automaton, the others
//! into ONE multi-pattern `regex_automata::meta::Regex` (`build_many`),
//! each of which reads the agent once and says WHICH pattern matched
//! (the bot's kind). Both crates are the engines under the `regex` crate
//! we already use, so nothing new is built. Measured
//! (`examples/`-style timing in release, 2 cores): a single
//! `build_many` regex of all 1,500 patterns compiled in 20 ms and read a
//! browser agent in ~0.6 µs, but a bot agent took 4–25 ms: its lazy DFA
//! runs out of cache on so many patterns and falls back to the NFA
//! simulation. `regex::RegexSet` has the same automaton. Split in two, a
//! bot agent costs about as much as a browser. `benches/ua_info.rs`
//! measures the speed; `tests/ua.rs` the recall and false positives.
//!
//! Patterns are case-sensitive, as the list writes them (it spells case
//! variants out: `[cC]laude[bB]ot`).

use super::kinds::BotKind;
use aho_corasick::{AhoCorasick, MatchKind as AcMatchKind};
use regex_automata::meta::Regex;
use regex_automata::{Input, MatchKind};
use regex_syntax::hir::HirKind;
use serde::Deserialize;
use std::sync::LazyLock;

/// The public list, verbatim.
pub const LIST_JSON: &str = include_str!("../../data/crawlers/crawler-user-agents.json");
/// Our additions, exclusions and kind overrides.
pub const LOCAL_JSON: &str = include_str!("../../data/crawlers/local.json");

/// Only this many leading bytes of an agent are searched for crawler
/// patterns: real agents are a few hundred bytes, and a bound keeps a
/// 64 KB header from costing more than a normal one.
pub const SEARCH_PREFIX: usize = 4096;

/// One entry of the public list (fields we read).
#[derive(Debug, Clone, Deserialize)]
pub struct ListEntry {
    pub pattern: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub instances: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LocalAdd {
    pub pattern: String,
    pub kind: String,
    pub reason: String,
    #[serde(default)]
    pub instances: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LocalExclude {
    pub pattern: String,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LocalKind {
    pub pattern: String,
    pub kind: String,
    pub reason: String,
}

/// `local.json`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Local {
    #[serde(default)]
    pub add: Vec<LocalAdd>,
    #[serde(default)]
    pub exclude: Vec<LocalExclude>,
    #[serde(default)]
    pub kinds: Vec<LocalKind>,
}

/// What a matching pattern says about the agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A bot of this kind.
    Bot(BotKind),
    /// A generic HTTP library (the list's `http-library` tag): a script,
    /// reported as client kind `tool`, not as a bot.
    Tool,
}

/// The kind a list entry's tags give. Order of precedence when an entry
/// has several tags: ai-crawler, search-engine, social-preview,
/// monitoring, scanner; any other tag (seo, advertising, feed-reader,
/// archiver, academic, browser-automation) is `other`. An entry tagged
/// only `http-library` is a [`Verdict::Tool`].
pub fn verdict_of_tags(tags: &[String]) -> Verdict {
    let has = |t: &str| tags.iter().any(|x| x == t);
    if !tags.is_empty() && tags.iter().all(|t| t == "http-library") {
        return Verdict::Tool;
    }
    let kind = [
        ("ai-crawler", BotKind::AiCrawler),
        ("search-engine", BotKind::Search),
        ("social-preview", BotKind::Preview),
        ("monitoring", BotKind::Monitor),
        ("scanner", BotKind::Scanner),
    ]
    .iter()
    .find(|(t, _)| has(t))
    .map_or(BotKind::Other, |(_, k)| *k);
    Verdict::Bot(kind)
}

/// The compiled matcher.
#[derive(Debug)]
pub struct Crawlers {
    /// The patterns that are plain text (about 1,460 of 1,500), in one
    /// Aho-Corasick automaton.
    literals: Option<AhoCorasick>,
    /// Index in `patterns` of each literal.
    literal_ids: Vec<usize>,
    /// The other patterns (classes, anchors, alternations: a few dozen),
    /// in one multi-pattern regex.
    re: Option<Regex>,
    /// Index in `patterns` of each regex pattern.
    re_ids: Vec<usize>,
    verdicts: Vec<Verdict>,
    /// Every pattern compiled, in order: the list's (minus the excluded),
    /// then ours.
    pub patterns: Vec<String>,
    /// Patterns left out because they did not parse, with the error, and
    /// data-file errors: empty for the data in the repository (tested).
    pub problems: Vec<String>,
}

impl Crawlers {
    /// Compile the list and the local file. Never fails: a pattern that
    /// does not parse is left out and reported in `problems`.
    pub fn new(list_json: &str, local_json: &str) -> Self {
        let mut problems = Vec::new();
        let list: Vec<ListEntry> = serde_json::from_str(list_json).unwrap_or_else(|e| {
            problems.push(format!("crawler list: {e}"));
            Vec::new()
        });
        let local: Local = serde_json::from_str(local_json).unwrap_or_else(|e| {
            problems.push(format!("local.json: {e}"));
            Local::default()
        });
        let mut entries: Vec<(&str, Verdict)> = Vec::new();
        for e in &list {
            if local.exclude.iter().any(|x| x.pattern == e.pattern) {
                continue;
            }
            let v = match local.kinds.iter().find(|k| k.pattern == e.pattern) {
                Some(k) => match BotKind::from_name(&k.kind) {
                    Some(kind) => Verdict::Bot(kind),
                    None => {
                        problems.push(format!("local.json kind {:?}", k.kind));
                        verdict_of_tags(&e.tags)
                    }
                },
                None => verdict_of_tags(&e.tags),
            };
            entries.push((&e.pattern, v));
        }
        for a in &local.add {
            let v = if a.kind == "tool" {
                Verdict::Tool
            } else {
                BotKind::from_name(&a.kind).map_or_else(
                    || {
                        problems.push(format!("local.json kind {:?}", a.kind));
                        Verdict::Bot(BotKind::Other)
                    },
                    Verdict::Bot,
                )
            };
            entries.push((&a.pattern, v));
        }
        for x in &local.exclude {
            if !list.iter().any(|e| e.pattern == x.pattern) {
                problems.push(format!(
                    "local.json excludes {:?}, not in the list",
                    x.pattern
                ));
            }
        }
        for k in &local.kinds {
            if !list.iter().any(|e| e.pattern == k.pattern) {
                problems.push(format!(
                    "local.json kind for {:?}, not in the list",
                    k.pattern
                ));
            }
        }

        let (mut patterns, mut verdicts) = (Vec::new(), Vec::new());
        let (mut literals, mut literal_ids) = (Vec::<Vec<u8>>::new(), Vec::new());
        let (mut others, mut re_ids) = (Vec::<&str>::new(), Vec::new());
        for (p, v) in entries {
            let hir = match regex_syntax::Parser::new().parse(p) {
                Ok(h) => h,
                Err(e) => {
                    problems.push(format!("pattern {p:?}: {e}"));
                    continue;
                }
            };
            let id = patterns.len();
            patterns.push(p.to_string());
            verdicts.push(v);
            match hir.kind() {
                HirKind::Literal(lit) => {
                    literals.push(lit.0.to_vec());
                    literal_ids.push(id);
                }
                _ => {
                    others.push(p);
                    re_ids.push(id);
                }
            }
        }
        let literals = AhoCorasick::builder()
            .match_kind(AcMatchKind::LeftmostFirst)
            .build(&literals)
            .map_err(|e| problems.push(format!("building the literal matcher: {e}")))
            .ok();
        let re = Regex::builder()
            .configure(Regex::config().match_kind(MatchKind::LeftmostFirst))
            .build_many(&others)
            .map_err(|e| problems.push(format!("building the regex matcher: {e}")))
            .ok();
        Self {
            literals,
            literal_ids,
            re,
            re_ids,
            verdicts,
            patterns,
            problems,
        }
    }

    /// A pattern that matches the first [`SEARCH_PREFIX`] bytes of `ua`:
    /// its index in [`Crawlers::patterns`] and verdict. A bot pattern wins
    /// over an HTTP-library one (`Mozilla/5.0 (compatible;
    /// Go-http-client/1.1; +centurybot9@…)` is a bot), a list literal over
    /// a regex (our generic patterns are regexes, so a named crawler's
    /// kind wins over theirs), and otherwise the leftmost match.
    pub fn find(&self, ua: &str) -> Option<(usize, Verdict)> {
        let mut end = ua.len().min(SEARCH_PREFIX);
        while !ua.is_char_boundary(end) {
            end -= 1;
        }
        let hay = &ua[..end];
        let mut tool = None;
        let mut seen = |id: usize| -> Option<(usize, Verdict)> {
            match self.verdicts.get(id)? {
                Verdict::Tool => {
                    tool = tool.or(Some((id, Verdict::Tool)));
                    None
                }
                v => Some((id, *v)),
            }
        };
        if let Some(ac) = &self.literals {
            for m in ac.find_iter(hay) {
                if let Some(hit) = self
                    .literal_ids
                    .get(m.pattern().as_usize())
                    .and_then(|&id| seen(id))
                {
                    return Some(hit);
                }
            }
        }
        if let Some(re) = &self.re {
            // a half search runs the forward automaton only: which pattern
            // and where its match ends, never where it starts
            let mut input = Input::new(hay);
            while let Some(m) = re.search_half(&input) {
                if let Some(hit) = self
                    .re_ids
                    .get(m.pattern().as_usize())
                    .and_then(|&id| seen(id))
                {
                    return Some(hit);
                }
                if m.offset() <= input.start() || m.offset() >= hay.len() {
                    break;
                }
                input.set_start(m.offset());
            }
        }
        tool
    }
}

static CRAWLERS: LazyLock<Crawlers> = LazyLock::new(|| Crawlers::new(LIST_JSON, LOCAL_JSON));

/// The matcher over the embedded data, compiled on first use.
pub fn crawlers() -> &'static Crawlers {
    &CRAWLERS
}
