//! A name as words: Unicode NFKC, lower case, punctuation as breaks, `&` as
//! `and`, acronyms joined (`S.A.` and `A/S` are one word), CJK legal forms
//! split off the word they are written into (`トヨタ自動車株式会社`).
//!
//! The words are written into one string, separated by single spaces, so a
//! key is a slice of it: no allocation per word. Each word keeps how it was
//! written (dotted, in capitals, in parentheses): some legal forms count
//! only when written so (`P.C.` but not `PC`; `(주)` but not `주`).
//!
//! NFKC comes from `icu_normalizer` (ICU4X), which the workspace already
//! builds for `url`: full-width `ＡＣＭＥ`, ligatures, `㈱` (= `(株)`) and
//! decomposed accents read as their plain forms. ASCII names skip it.

use icu_normalizer::ComposingNormalizerBorrowed;
use icu_normalizer::properties::CanonicalCombiningClassMapBorrowed;

/// One word of a name: a byte range of [`Words::text`] and how it was written.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Word {
    pub(super) start: usize,
    pub(super) end: usize,
    /// Length in characters.
    pub(super) chars: usize,
    /// Joined from single characters by dots or slashes: `S.A.`, `A/S`.
    pub(super) acronym: bool,
    /// An acronym, or followed by a dot: `Sp.`, `p.`.
    pub(super) dot: bool,
    /// Letters all capitals (and at least one letter with case).
    pub(super) caps: bool,
    /// Written in parentheses: `(주)`.
    pub(super) paren: bool,
}

/// The words of a name.
#[derive(Debug, Default)]
pub(super) struct Words {
    pub(super) text: String,
    pub(super) words: Vec<Word>,
}

impl Words {
    pub(super) fn str(&self, i: usize) -> &str {
        let w = &self.words[i];
        &self.text[w.start..w.end]
    }
}

/// CJK legal forms written without a space before or after a name.
#[derive(Debug, Default)]
pub(super) struct Affixes {
    /// Forms written before a name (`株式会社トヨタ`), longest first.
    pub(super) leading: Vec<Box<str>>,
    /// Forms written after a name (`阿里巴巴有限公司`), longest first.
    pub(super) trailing: Vec<Box<str>>,
}

/// Split `name` into words; `affixes` (none while the form table itself is
/// read) says which CJK forms to split off.
pub(super) fn split(name: &str, affixes: Option<&Affixes>) -> Words {
    let mut s = Splitter {
        out: Words {
            text: String::with_capacity(name.len() + 8),
            words: Vec::with_capacity(8),
        },
        affixes,
        ..Splitter::default()
    };
    if name.is_ascii() {
        for b in name.bytes() {
            s.push(
                char::from(b.to_ascii_lowercase()),
                b.is_ascii_uppercase(),
                b.is_ascii_lowercase(),
            );
        }
    } else {
        for c in NFKC.normalize_iter(name.chars()) {
            let (upper, lower) = (c.is_uppercase(), c.is_lowercase());
            match c {
                // full case folding where lower-casing alone differs
                'ß' | 'ẞ' => {
                    s.push('s', upper, lower);
                    s.push('s', upper, lower);
                }
                'ς' => s.push('σ', upper, lower),
                // Turkish capital dotted I: plain `i`, not `i` + U+0307
                'İ' => s.push('i', upper, lower),
                c => {
                    for l in c.to_lowercase() {
                        s.push(l, upper, lower);
                    }
                }
            }
        }
    }
    s.finish()
}

const NFKC: ComposingNormalizerBorrowed<'static> = ComposingNormalizerBorrowed::new_nfkc();

/// Is `text` in Unicode NFKC?
pub(super) fn is_nfkc(text: &str) -> bool {
    text.is_ascii() || NFKC.is_normalized(text)
}

/// Letters, digits and combining marks make words; everything else breaks
/// them.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    const CCC: CanonicalCombiningClassMapBorrowed<'static> =
        CanonicalCombiningClassMapBorrowed::new();
    c.is_alphanumeric() || CCC.get_u8(c) != 0
}

/// Is `c` a CJK character (Han, kana, Hangul)?
pub(super) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x3040..=0x30FF | 0x3130..=0x318F | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF
        | 0x20000..=0x3FFFF)
}

#[derive(Default)]
struct Splitter<'a> {
    out: Words,
    affixes: Option<&'a Affixes>,
    /// The word being read: (start, chars, any capital, any small letter).
    piece: Option<(usize, usize, bool, bool)>,
    /// Breaks read since the last word: how many, the first and the last.
    gap: usize,
    gap_first: Option<char>,
    gap_last: Option<char>,
}

impl Splitter<'_> {
    fn push(&mut self, c: char, upper: bool, lower: bool) {
        if is_word_char(c) {
            let start = match self.piece {
                Some((start, ..)) => start,
                None => self.begin(),
            };
            self.out.text.push(c);
            if let Some((_, chars, u, l)) = &mut self.piece {
                *chars += 1;
                *u |= upper;
                *l |= lower;
            } else {
                self.piece = Some((start, 1, upper, lower));
            }
        } else if matches!(c, '\'' | '’') {
            // "McDonald's" is "mcdonalds"
        } else {
            self.end_piece();
            if c == '&' {
                self.word_and();
            } else {
                self.gap += 1;
                self.gap_first.get_or_insert(c);
                self.gap_last = Some(c);
            }
        }
    }

    /// Start a word: settle how the previous one ended, write the space.
    fn begin(&mut self) -> usize {
        self.settle_previous();
        if !self.out.text.is_empty() {
            self.out.text.push(' ');
        }
        let start = self.out.text.len();
        self.piece = Some((start, 0, false, false));
        start
    }

    /// The break after the last word is known: was it a dot, a `)`?
    fn settle_previous(&mut self) {
        if let Some(w) = self.out.words.last_mut() {
            w.dot |= self.gap_first == Some('.');
            if self.gap_first != Some(')') {
                w.paren = false;
            }
        }
    }

    /// `&` is the word `and`.
    fn word_and(&mut self) {
        let start = self.begin();
        self.out.text.push_str("and");
        self.piece = None;
        self.out.words.push(Word {
            start,
            end: self.out.text.len(),
            chars: 3,
            ..Word::default()
        });
        self.reset_gap();
    }

    fn reset_gap(&mut self) {
        self.gap = 0;
        self.gap_first = None;
        self.gap_last = None;
    }

    fn end_piece(&mut self) {
        let Some((start, chars, upper, lower)) = self.piece.take() else {
            return;
        };
        let glued = self.gap == 1 && matches!(self.gap_first, Some('.' | '/'));
        let paren = self.gap_last == Some('(');
        self.reset_gap();
        let caps = upper && !lower;
        // "s.a." and "a/s": single characters glued by one dot or slash
        if chars == 1
            && glued
            && let Some(prev) = self.out.words.last_mut()
            && (prev.chars == 1 || prev.acronym)
            && prev.end + 1 == start
        {
            self.out.text.remove(prev.end);
            prev.end = self.out.text.len();
            prev.chars += 1;
            prev.acronym = true;
            prev.dot = true;
            prev.caps &= caps;
            prev.paren = false;
            return;
        }
        let word = Word {
            start,
            end: self.out.text.len(),
            chars,
            caps,
            paren,
            ..Word::default()
        };
        if let Some(affixes) = self.affixes
            && !self.out.text[start..].is_ascii()
        {
            self.split_affixes(word, affixes);
        } else {
            self.out.words.push(word);
        }
    }

    /// Push `word`, split into several when it starts or ends with CJK
    /// legal forms and is longer than them.
    fn split_affixes(&mut self, mut word: Word, affixes: &Affixes) {
        let text = &self.out.text[word.start..word.end];
        let whole = |a: &str| a == text;
        if !text.chars().any(is_cjk)
            || affixes.leading.iter().map(|a| &**a).any(whole)
            || affixes.trailing.iter().map(|a| &**a).any(whole)
        {
            self.out.words.push(word);
            return;
        }
        let lead = |text: &str| {
            affixes
                .leading
                .iter()
                .find(|a| text.len() > a.len() && text.starts_with(&***a))
                .map(|a| a.len())
        };
        while let Some(n) = lead(&self.out.text[word.start..word.end]) {
            let at = word.start + n;
            self.out.text.insert(at, ' ');
            let chars = self.out.text[word.start..at].chars().count();
            self.out.words.push(Word {
                start: word.start,
                end: at,
                chars,
                ..Word::default()
            });
            word.start = at + 1;
            word.end += 1;
            word.chars -= chars;
            word.paren = false;
        }
        // trailing forms, the last first: split off from the end, then
        // pushed in order
        let trail = |text: &str| {
            affixes
                .trailing
                .iter()
                .find(|a| text.len() > a.len() && text.ends_with(&***a))
                .map(|a| a.len())
        };
        let mut tails: Vec<Word> = Vec::new();
        while let Some(n) = trail(&self.out.text[word.start..word.end]) {
            let at = word.end - n;
            self.out.text.insert(at, ' ');
            for t in tails.iter_mut() {
                t.start += 1;
                t.end += 1;
            }
            let chars = self.out.text[at + 1..word.end + 1].chars().count();
            tails.push(Word {
                start: at + 1,
                end: word.end + 1,
                chars,
                ..Word::default()
            });
            word.end = at;
            word.chars -= chars;
        }
        self.out.words.push(word);
        self.out.words.extend(tails.into_iter().rev());
    }

    fn finish(mut self) -> Words {
        self.end_piece();
        self.settle_previous();
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(name: &str) -> Vec<String> {
        let w = split(name, None);
        (0..w.words.len()).map(|i| w.str(i).to_string()).collect()
    }

    #[test]
    fn acronyms_join_and_words_break() {
        assert_eq!(words("ACME, S.A."), ["acme", "sa"]);
        assert_eq!(words("Acme A/S"), ["acme", "as"]);
        assert_eq!(words("Amazon.com"), ["amazon", "com"]);
        assert_eq!(words("Sp. z o.o."), ["sp", "z", "oo"]);
        assert_eq!(words("Sp.z.o.o."), ["sp", "zoo"]);
        assert_eq!(words("AT&T"), ["at", "and", "t"]);
        assert_eq!(words("McDonald's"), ["mcdonalds"]);
        assert_eq!(words("S.à r.l."), ["sà", "rl"]);
    }

    #[test]
    fn how_words_were_written_is_kept() {
        let w = split("l.l. c. (주) PC AS", None);
        let flags: Vec<(bool, bool, bool, bool)> = w
            .words
            .iter()
            .map(|w| (w.acronym, w.dot, w.caps, w.paren))
            .collect();
        assert_eq!(
            flags,
            [
                (true, true, false, false),
                (false, true, false, false),
                (false, false, false, true),
                (false, false, true, false),
                (false, false, true, false),
            ]
        );
    }

    #[test]
    fn unicode_is_folded() {
        assert_eq!(words("ＡＣＭＥ ㈱"), ["acme", "株"]);
        assert_eq!(words("Société\u{301}"), ["société\u{301}"]);
        assert_eq!(words("Socie\u{301}te\u{301}"), ["société"]);
        assert_eq!(words("GROẞ STRAßE"), ["gross", "strasse"]);
        assert_eq!(words("LTD. ŞTİ."), ["ltd", "şti"]);
        assert_eq!(words("ООО «Рога и копыта»"), ["ооо", "рога", "и", "копыта"]);
    }

    #[test]
    fn cjk_forms_split_off() {
        let affixes = Affixes {
            leading: vec!["株式会社".into()],
            trailing: vec!["股份有限公司".into(), "有限公司".into(), "株式会社".into()],
        };
        let split_words = |name: &str| {
            let w = split(name, Some(&affixes));
            (0..w.words.len())
                .map(|i| w.str(i).to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            split_words("トヨタ自動車株式会社"),
            ["トヨタ自動車", "株式会社"]
        );
        assert_eq!(split_words("株式会社トヨタ"), ["株式会社", "トヨタ"]);
        assert_eq!(
            split_words("台積電股份有限公司"),
            ["台積電", "股份有限公司"]
        );
        assert_eq!(split_words("株式会社"), ["株式会社"]);
        assert_eq!(
            split_words("株式会社X株式会社"),
            ["株式会社", "x", "株式会社"]
        );
    }
}
