//! The legal-form table as a lookup: does a run of a name's words spell a
//! form, here?
//!
//! Forms are looked up by their letters alone (`spzoo`), then the run is
//! checked against how the form splits into words: a break between two of
//! the name's words must fall where the form has one (`Sp.` | `z` | `o.o.`),
//! or join two short pieces of an abbreviation (`l.l.` | `c.`, `L L C`); a
//! break of the form may fall inside a word of the name only if that word
//! is a dotted acronym (`z.o.o.`). So `Scoop` is not `S.Coop.`, and `In C`
//! is not `Inc`.

use super::legal_forms::{At, LEGAL_FORMS, LegalForm, Need};
use super::words::{Affixes, Word, Words, is_cjk, split};
use std::collections::HashMap;
use std::sync::LazyLock;

/// The most words a run may have.
pub(super) const MAX_RUN: usize = 16;

/// Where a run stands in the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    Lead,
    Trail,
    Mid,
}

#[derive(Debug)]
struct Entry {
    /// Byte offsets in the letters where the form has a break between words.
    breaks: Box<[usize]>,
    at: At,
    need: Need,
}

/// The forms by their letters.
#[derive(Debug)]
pub(super) struct Index {
    by_letters: HashMap<Box<[u8]>, Vec<Entry>, foldhash::fast::FixedState>,
    /// First bytes of any form's letters: a quick no.
    first: [bool; 256],
    /// The longest form's letters, in bytes.
    max_len: usize,
    pub(super) affixes: Affixes,
}

/// The index, built on first use from [`LEGAL_FORMS`] and the suffixes that
/// are not legal forms ([`super::OTHER_SUFFIXES`]).
pub(super) fn index() -> &'static Index {
    static INDEX: LazyLock<Index> =
        LazyLock::new(|| Index::build(LEGAL_FORMS, super::OTHER_SUFFIXES));
    &INDEX
}

/// Room for a run's letters on the stack; longer runs spell no form.
const BUF: usize = 256;

impl Index {
    fn build(forms: &[LegalForm], extra: &[LegalForm]) -> Self {
        let mut index = Index {
            by_letters: HashMap::default(),
            first: [false; 256],
            max_len: 0,
            affixes: Affixes::default(),
        };
        for form in forms.iter().chain(extra) {
            let words = split(form.form, None);
            let mut letters = String::new();
            let mut breaks = Vec::new();
            for i in 0..words.words.len() {
                if i > 0 {
                    breaks.push(letters.len());
                }
                letters.push_str(words.str(i));
            }
            let Some(&first) = letters.as_bytes().first() else {
                continue;
            };
            index.first[usize::from(first)] = true;
            index.max_len = index.max_len.max(letters.len());
            if words.words.len() == 1 && form.need == Need::Nothing && letters.chars().all(is_cjk) {
                if form.at.lead {
                    index.affixes.leading.push(letters.as_str().into());
                }
                if form.at.trail {
                    index.affixes.trailing.push(letters.as_str().into());
                }
            }
            index
                .by_letters
                .entry(letters.into_bytes().into_boxed_slice())
                .or_default()
                .push(Entry {
                    breaks: breaks.into_boxed_slice(),
                    at: form.at,
                    need: form.need,
                });
        }
        for list in [&mut index.affixes.leading, &mut index.affixes.trailing] {
            list.sort_by_key(|a| std::cmp::Reverse(a.len()));
            list.dedup();
        }
        index
    }

    /// Do words `i..j` of `w` spell a form that counts at `place`?
    pub(super) fn matches(&self, w: &Words, i: usize, j: usize, place: Place) -> bool {
        let run = &w.words[i..j];
        if run.is_empty() || run.len() > MAX_RUN {
            return false;
        }
        let bytes = w.text.as_bytes();
        if !self.first[usize::from(bytes[run[0].start])] {
            return false;
        }
        let len: usize = run.iter().map(|x| x.end - x.start).sum();
        if len > self.max_len || len > BUF {
            return false;
        }
        let mut buf = [0u8; BUF];
        let key: &[u8] = if let [one] = run {
            &bytes[one.start..one.end]
        } else {
            let mut n = 0;
            for x in run {
                let part = &bytes[x.start..x.end];
                buf[n..n + part.len()].copy_from_slice(part);
                n += part.len();
            }
            &buf[..len]
        };
        let Some(entries) = self.by_letters.get(key) else {
            return false;
        };
        entries.iter().any(|e| fits(e, run, place))
    }

    /// The longest form's letters, in bytes.
    pub(super) fn max_len(&self) -> usize {
        self.max_len
    }
}

/// Does `run` (which has the entry's letters) fit the entry's breaks, its
/// place and its needs?
fn fits(e: &Entry, run: &[Word], place: Place) -> bool {
    let placed = match place {
        Place::Lead => e.at.lead,
        Place::Trail => e.at.trail,
        Place::Mid => e.at.mid || (e.at.trail && abbreviated(run)),
    };
    if !placed {
        return false;
    }
    let needs = match e.need {
        Need::Nothing => true,
        Need::Dots => run.iter().all(|x| x.dot),
        Need::Caps => run.iter().all(|x| x.caps),
        Need::Parens => run.len() == 1 && run[0].paren,
    };
    if !needs {
        return false;
    }
    // the name's breaks: at the form's, or inside an abbreviation
    let mut at = 0;
    for pair in run.windows(2) {
        at += pair[0].end - pair[0].start;
        if !e.breaks.contains(&at) && !joinable(&pair[0], &pair[1]) {
            return false;
        }
    }
    // the form's breaks: at the name's, or inside an acronym
    let mut start = 0;
    let mut k = 0;
    for &b in &*e.breaks {
        while k < run.len() && start + (run[k].end - run[k].start) <= b {
            start += run[k].end - run[k].start;
            k += 1;
        }
        if start != b && !run.get(k).is_some_and(|x| x.acronym) {
            return false;
        }
    }
    true
}

/// Two pieces of one abbreviation: `l.l.` + `c.`, `L` + `L`.
fn joinable(a: &Word, b: &Word) -> bool {
    a.chars <= 2 && b.chars <= 2 && ((a.chars == 1 && b.chars == 1) || a.dot || b.dot)
}

/// Written as a dotted acronym (`S.A.`, `p. c.`): an abbreviation for sure.
fn abbreviated(run: &[Word]) -> bool {
    run.iter().map(|x| x.chars).sum::<usize>() >= 2
        && run.iter().all(|x| x.acronym || (x.chars == 1 && x.dot))
}
