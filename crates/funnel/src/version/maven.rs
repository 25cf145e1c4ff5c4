//! Maven's version order: `ComparableVersion` of Maven's current sources
//! (`compat/maven-artifact`, with the MNG-5568, 6572, 6964, 7644 and 7714
//! fixes), re-implemented from its documented rules — no crate implements
//! it.
//!
//! A version splits at `.`, at `-` (which opens a sub-list) and where
//! letters meet digits (`1.0alpha1` = `[1, [alpha, 1]]`); numbers compare
//! as numbers (any length) and above text; known qualifiers order
//! `alpha` = `a` < `beta` = `b` < `milestone` = `m` < `rc` = `cr` <
//! `snapshot` < (release) = `ga` = `final` = `release` < `sp`, then other
//! words alphabetically, case-insensitively; a missing part compares as
//! "null": `1.0` = `1`, `1-rc` < `1` < `1-sp` < `1-1`. So
//! `1.0-alpha-1 < 1.0-SNAPSHOT < 1.0 < 1.0-sp1`.
//!
//! Maven defines its order pair by pair over item trees, with "null"
//! rules that depend on the other side (and it has not always been
//! transitive: MNG-5568, MNG-6964), so it is not written as a sort key:
//! versions keep their item tree and compare by walking it.
//! Texts longer than 256 UTF-16 units are not versions (Maven's own limit,
//! which also bounds the nesting).

use super::parsed::{Parsed, Repr, Version, canonical_number, strip_zeros};
use super::scheme::Scheme;
use std::cmp::Ordering;

const MAX_LEN: usize = 256;
/// Index of the release ("") among the known qualifiers.
const RELEASE: u8 = 5;
const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Item {
    /// Digits without leading zeros (`""` is 0).
    Num(Box<str>),
    /// A qualifier, aliases resolved.
    Str(Box<str>),
    /// A qualifier and the number glued to it (`rc1`, `alpha-2`).
    Combo(Box<str>, Box<Item>),
    List(Vec<Item>),
}

/// A parsed Maven version: its top-level item list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Items(Vec<Item>);

impl Items {
    pub(crate) fn compare(&self, other: &Self) -> Ordering {
        compare_lists(&self.0, &other.0)
    }
}

/// A qualifier's rank: known ones by their index (`ga`, `final`,
/// `release` as the release), unknown ones after all, by text.
fn rank(q: &str) -> (u8, &str) {
    if matches!(q, "ga" | "final" | "release") {
        return (RELEASE, "");
    }
    match QUALIFIERS.iter().position(|k| *k == q) {
        Some(i) => (i as u8, ""),
        None => (QUALIFIERS.len() as u8, q),
    }
}

fn str_null(q: &str) -> Ordering {
    rank(q).cmp(&(RELEASE, ""))
}

fn num_cmp(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

impl Item {
    fn is_null(&self) -> bool {
        match self {
            Item::Num(n) => n.is_empty(),
            Item::Str(s) => s.is_empty(),
            Item::Combo(..) => false,
            Item::List(l) => l.is_empty(),
        }
    }

    /// This item against a missing one.
    fn cmp_null(&self) -> Ordering {
        match self {
            Item::Num(n) if n.is_empty() => Ordering::Equal,
            Item::Num(_) => Ordering::Greater,
            Item::Str(s) => str_null(s),
            Item::Combo(s, d) => match str_null(s) {
                Ordering::Equal => d.cmp_null(),
                r => r,
            },
            Item::List(l) => l
                .iter()
                .map(Item::cmp_null)
                .find(|r| r.is_ne())
                .unwrap_or(Ordering::Equal),
        }
    }

    fn cmp_item(&self, other: &Item) -> Ordering {
        use Item::{Combo, List, Num, Str};
        match (self, other) {
            (Num(a), Num(b)) => num_cmp(a, b),
            (Num(_), _) => Ordering::Greater,
            (_, Num(_)) => Ordering::Less,
            (Str(a), Str(b)) => rank(a).cmp(&rank(b)),
            (Str(a), Combo(s, d)) => match rank(a).cmp(&rank(s)) {
                Ordering::Equal if str_null(a).is_eq() => d.cmp_null().reverse(),
                Ordering::Equal => Ordering::Less,
                r => r,
            },
            (Combo(s, d), Str(b)) => match rank(s).cmp(&rank(b)) {
                Ordering::Equal if str_null(s).is_eq() => d.cmp_null(),
                Ordering::Equal => Ordering::Greater,
                r => r,
            },
            (Combo(s, d), Combo(t, e)) => rank(s).cmp(&rank(t)).then_with(|| d.cmp_item(e)),
            (List(a), List(b)) => compare_lists(a, b),
            (List(a), scalar) => {
                let mut r = match a.first() {
                    None => scalar.cmp_null().reverse(),
                    Some(first) => first.cmp_item(scalar),
                };
                for item in a.iter().skip(1) {
                    if r.is_ne() {
                        break;
                    }
                    r = item.cmp_null();
                }
                r
            }
            (_, List(_)) => other.cmp_item(self).reverse(),
        }
    }

    fn write(&self, out: &mut String) {
        match self {
            Item::Num(n) if n.is_empty() => out.push('0'),
            Item::Num(n) | Item::Str(n) => out.push_str(n),
            Item::Combo(s, d) => {
                out.push_str(s);
                d.write(out);
            }
            Item::List(l) => write_list(l, out),
        }
    }
}

fn compare_lists(a: &[Item], b: &[Item]) -> Ordering {
    for i in 0..a.len().max(b.len()) {
        let r = match (a.get(i), b.get(i)) {
            (Some(l), Some(r)) => l.cmp_item(r),
            (Some(l), None) => l.cmp_null(),
            (None, Some(r)) => r.cmp_null().reverse(),
            (None, None) => Ordering::Equal,
        };
        if r.is_ne() {
            return r;
        }
    }
    Ordering::Equal
}

fn write_list(l: &[Item], out: &mut String) {
    let start = out.len();
    for item in l {
        if out.len() > start {
            out.push(if matches!(item, Item::List(_)) {
                '-'
            } else {
                '.'
            });
        }
        item.write(out);
    }
}

/// A qualifier with Maven's aliases: `a1`, `b1`, `m1` (followed by a
/// digit) for alpha, beta, milestone; `cr` for rc.
fn qualifier(s: &str, followed_by_digit: bool) -> Box<str> {
    let s = match s {
        "a" if followed_by_digit => "alpha",
        "b" if followed_by_digit => "beta",
        "m" if followed_by_digit => "milestone",
        "cr" => "rc",
        s => s,
    };
    s.into()
}

fn number(digits: &str) -> Item {
    Item::Num(strip_zeros(digits).into())
}

fn item(combination: bool, digit: bool, buf: &str) -> Item {
    if combination {
        let buf = buf.replace('-', "");
        return match buf.find(|c: char| c.is_ascii_digit()) {
            Some(i) if i > 0 => {
                Item::Combo(qualifier(&buf[..i], true), Box::new(number(&buf[i..])))
            }
            _ => Item::Str(qualifier(&buf, false)),
        };
    }
    if digit {
        number(buf)
    } else {
        Item::Str(qualifier(buf, false))
    }
}

/// Drop null items Maven drops (trailing ones, and ones before a
/// qualifier), and a lone sub-list's nesting.
fn normalize(list: &mut Vec<Item>) {
    for i in (0..list.len()).rev() {
        if i >= list.len() || !list[i].is_null() {
            continue;
        }
        let drop = match list.get(i + 1) {
            None | Some(Item::Str(_)) => true,
            Some(Item::List(next)) => matches!(next.first(), Some(Item::Combo(..) | Item::Str(_))),
            Some(_) => false,
        };
        if drop {
            list.remove(i);
        }
    }
    if list.len() == 1
        && matches!(list[0], Item::List(_))
        && let Some(Item::List(inner)) = list.pop()
    {
        *list = inner;
    }
}

fn read(text: &str) -> Option<Items> {
    let t = text.trim();
    if t.is_empty() || t.encode_utf16().count() > MAX_LEN {
        return None;
    }
    let v = t.to_lowercase();
    let mut stack: Vec<Vec<Item>> = vec![Vec::new()];
    let (mut digit, mut combination, mut start) = (false, false, 0usize);
    let chars: Vec<(usize, char)> = v.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let cur = stack.len() - 1;
        match c {
            '.' => {
                let it = if i == start {
                    Item::Num("".into())
                } else {
                    item(combination, digit, &v[start..i])
                };
                stack[cur].push(it);
                combination = false;
                start = i + 1;
            }
            '-' => {
                if i == start {
                    stack[cur].push(Item::Num("".into()));
                } else {
                    if !digit && chars.get(k + 1).is_some_and(|(_, n)| n.is_ascii_digit()) {
                        combination = true;
                        continue;
                    }
                    let it = item(combination, digit, &v[start..i]);
                    stack[cur].push(it);
                }
                start = i + 1;
                if !stack[cur].is_empty() {
                    stack.push(Vec::new());
                }
                combination = false;
            }
            '0'..='9' => {
                if !digit && i > start {
                    combination = true;
                    if !stack[cur].is_empty() {
                        stack.push(Vec::new());
                    }
                }
                digit = true;
            }
            _ => {
                if digit && i > start {
                    let it = item(combination, true, &v[start..i]);
                    stack[cur].push(it);
                    start = i;
                    stack.push(Vec::new());
                    combination = false;
                }
                digit = false;
            }
        }
    }
    if v.len() > start {
        let cur = stack.len() - 1;
        if !digit && !stack[cur].is_empty() {
            stack.push(Vec::new());
        }
        let it = item(combination, digit, &v[start..]);
        if let Some(last) = stack.last_mut() {
            last.push(it);
        }
    }
    while stack.len() > 1 {
        let mut child = stack.pop()?;
        normalize(&mut child);
        stack.last_mut()?.push(Item::List(child));
    }
    let mut top = stack.pop()?;
    normalize(&mut top);
    Some(Items(top))
}

pub(crate) fn parse(text: &str) -> Option<Version> {
    read(text).map(|items| Version::new(Scheme::Maven, Repr::Maven(Box::new(items))))
}

/// The `auto` scheme's claim (Maven reads any text; `auto` tries it
/// last): a text that starts with a digit, has a letter (a qualifier),
/// and is made of letters, digits and single `.`, `-`, `_` separators —
/// so `1..2` or `1.0.` stay NULL.
pub(crate) fn claims(text: &str) -> bool {
    let t = text.trim();
    let sep = |c: u8| matches!(c, b'.' | b'-' | b'_');
    let b = t.as_bytes();
    b.first().is_some_and(u8::is_ascii_digit)
        && b.iter().any(u8::is_ascii_alphabetic)
        && b.iter().all(|c| c.is_ascii_alphanumeric() || sep(*c))
        && !b.windows(2).any(|w| sep(w[0]) && sep(w[1]))
        && !b.last().copied().is_some_and(sep)
        && read(t).is_some()
}

pub(crate) fn describe(text: &str) -> Option<Parsed> {
    let items = read(text)?;
    let mut normalized = String::new();
    write_list(&items.0, &mut normalized);
    let n = items
        .0
        .iter()
        .take_while(|i| matches!(i, Item::Num(_)))
        .count();
    let release: Vec<String> = items.0[..n]
        .iter()
        .map(|i| match i {
            Item::Num(d) => canonical_number(d),
            _ => String::new(),
        })
        .collect();
    let mut rest = String::new();
    write_list(&items.0[n..], &mut rest);
    let order = compare_lists(&items.0, &items.0[..n]);
    let rest = (!rest.is_empty()).then_some(rest);
    Some(Parsed {
        scheme: Scheme::Maven.name(),
        normalized,
        release,
        pre: rest.clone().filter(|_| order.is_lt()),
        post: rest.filter(|_| order.is_gt()),
        is_prerelease: order.is_lt(),
        ..Parsed::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(s: &str) -> String {
        let mut out = String::new();
        write_list(&read(s).unwrap().0, &mut out);
        out
    }

    #[test]
    fn canonical_forms_match_maven() {
        // MNG-7700: ComparableVersionTest.testGetCanonical
        assert_eq!(canonical("0.x"), "x");
        assert_eq!(canonical("0.2"), "0.2");
        assert_eq!(canonical("1.0.0"), "1");
        assert_eq!(canonical("1-SNAPSHOT"), "1-snapshot");
        for s in [
            "0.x",
            "0-x",
            "0.rc",
            "0-1",
            "1.0-alpha",
            "1-1-snapshot",
            "2.0.a",
        ] {
            assert_eq!(canonical(&canonical(s)), canonical(s), "{s}");
        }
    }

    #[test]
    fn dot_qualifier_is_a_hyphen_qualifier() {
        let v = |s: &str| read(s).unwrap();
        // MNG-7644: .X is read as -X
        assert!(v("1.0.alpha").compare(&v("1-alpha")).is_eq());
        assert!(v("1.0.alpha").compare(&v("1")).is_lt());
        assert!(v("1").compare(&v("1.sp")).is_lt());
        assert!(v("1.0.alpha").compare(&v("1.sp")).is_lt());
    }
}
