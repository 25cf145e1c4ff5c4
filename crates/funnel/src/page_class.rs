//! Page classes: an ordered rule list on the path, first match wins.

use crate::config::{ConfigError, PageRule};
use foldhash::HashMap;
use regex::RegexSet;

/// The value class of a page (see `docs/funnel.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageClass {
    High,
    DocsInstall,
    DocsUpgrade,
    DocsOther,
    Medium,
    Low,
}

impl PageClass {
    pub const ALL: [PageClass; 6] = [
        PageClass::High,
        PageClass::DocsInstall,
        PageClass::DocsUpgrade,
        PageClass::DocsOther,
        PageClass::Medium,
        PageClass::Low,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PageClass::High => "high",
            PageClass::DocsInstall => "docs_install",
            PageClass::DocsUpgrade => "docs_upgrade",
            PageClass::DocsOther => "docs_other",
            PageClass::Medium => "medium",
            PageClass::Low => "low",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }

    pub fn is_docs(self) -> bool {
        matches!(
            self,
            PageClass::DocsInstall | PageClass::DocsUpgrade | PageClass::DocsOther
        )
    }
}

/// The compiled rule list.
#[derive(Debug, Clone)]
pub struct PageRules {
    set: RegexSet,
    classes: Vec<PageClass>,
}

impl PageRules {
    /// Compile `rules` (config key `pages`), naming the rule at fault.
    pub fn new(rules: &[PageRule]) -> Result<Self, ConfigError> {
        let mut classes = Vec::with_capacity(rules.len());
        let mut patterns = Vec::with_capacity(rules.len());
        for (i, rule) in rules.iter().enumerate() {
            let class = PageClass::parse(&rule.class).ok_or_else(|| ConfigError {
                key: format!("pages[{i}].class"),
                reason: format!(
                    "unknown page class '{}' (expected one of high, docs_install, docs_upgrade, docs_other, medium, low)",
                    rule.class
                ),
            })?;
            // validate each pattern alone so the error names it
            regex::Regex::new(&rule.pattern).map_err(|e| ConfigError {
                key: format!("pages[{i}].pattern"),
                reason: format!("invalid regular expression: {e}"),
            })?;
            classes.push(class);
            patterns.push(format!("(?i:{})", rule.pattern));
        }
        let set = RegexSet::new(&patterns).map_err(|e| ConfigError {
            key: "pages".into(),
            reason: format!("rules cannot be compiled together: {e}"),
        })?;
        Ok(Self { set, classes })
    }

    /// The class of the first rule matching `path` (case-insensitive);
    /// `low` when none does.
    pub fn classify(&self, path: &str) -> PageClass {
        self.set
            .matches(path)
            .iter()
            .next()
            .map_or(PageClass::Low, |i| self.classes[i])
    }
}

/// Remembers the class of paths already seen (bounded).
#[derive(Debug, Default)]
pub struct ClassCache {
    known: HashMap<Box<str>, PageClass>,
    hashed: HashMap<u64, PageClass>,
    /// The latest hash seen in each slot (by its top bits) and its class:
    /// most sites have a few hot pages, found here without a map probe.
    front: Vec<(u64, PageClass)>,
}

const FRONT_BITS: u32 = 10;

const CACHE_LIMIT: usize = 100_000;

impl ClassCache {
    pub fn classify(&mut self, rules: &PageRules, path: &str) -> PageClass {
        if let Some(c) = self.known.get(path) {
            return *c;
        }
        let c = rules.classify(path);
        if self.known.len() >= CACHE_LIMIT {
            self.known.clear();
        }
        self.known.insert(path.into(), c);
        c
    }

    /// The same for a caller that already hashed `path`'s bytes (64 bits,
    /// the hash that tells pages apart): found without hashing or
    /// comparing the text again.
    #[inline]
    pub fn classify_hashed(&mut self, rules: &PageRules, path: &[u8], hash: u64) -> PageClass {
        let slot = (hash >> (64 - FRONT_BITS)) as usize;
        if let Some((h, c)) = self.front.get(slot)
            && *h == hash
        {
            return *c;
        }
        if self.front.is_empty() {
            // an empty slot holds a hash no slot index maps to it
            self.front = (0..1usize << FRONT_BITS)
                .map(|i| (if i == 0 { u64::MAX } else { 0 }, PageClass::Low))
                .collect();
        }
        if let Some(c) = self.hashed.get(&hash) {
            self.front[slot] = (hash, *c);
            return *c;
        }
        let c = rules.classify(&String::from_utf8_lossy(path));
        self.front[slot] = (hash, c);
        if self.hashed.len() >= CACHE_LIMIT {
            self.hashed.clear();
        }
        self.hashed.insert(hash, c);
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FunnelConfig;

    fn class(path: &str) -> &'static str {
        PageRules::new(&FunnelConfig::default().pages)
            .unwrap()
            .classify(path)
            .as_str()
    }

    #[test]
    fn default_rules() {
        assert_eq!(class("/pricing"), "high");
        assert_eq!(class("/Sign-Up?plan=team"), "high");
        assert_eq!(class("/contact-sales"), "high");
        assert_eq!(class("/docs/install"), "docs_install");
        assert_eq!(
            class("https://example.com/docs/v2/Getting-Started"),
            "docs_install"
        );
        assert_eq!(class("/docs/quickstart"), "docs_install");
        assert_eq!(class("/docs/upgrade"), "docs_upgrade");
        assert_eq!(class("/docs/migration-guide"), "docs_upgrade");
        assert_eq!(class("/docs/release-notes"), "docs_upgrade");
        assert_eq!(class("/README.md"), "docs_upgrade");
        assert_eq!(class("/docs/api/client"), "docs_other");
        assert_eq!(class("/documentation"), "docs_other");
        assert_eq!(class("/blog/whats-new"), "medium");
        assert_eq!(class("/tutorials/first-steps"), "medium");
        assert_eq!(class("/"), "low");
        assert_eq!(class("/careers"), "low");
        assert_eq!(class(""), "low");
        // first match wins: a pricing page under docs is high
        assert_eq!(class("/docs/enterprise/install"), "high");
    }

    #[test]
    fn bad_rules_name_the_key() {
        let bad = |class: &str, pattern: &str| {
            PageRules::new(&[PageRule {
                class: class.into(),
                pattern: pattern.into(),
            }])
            .unwrap_err()
            .to_string()
        };
        assert_eq!(
            bad("hi", "x"),
            "pages[0].class: unknown page class 'hi' (expected one of high, docs_install, docs_upgrade, docs_other, medium, low)"
        );
        assert!(bad("high", "(").starts_with("pages[0].pattern: invalid regular expression"));
    }
}
