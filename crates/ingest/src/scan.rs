//! Byte search for the short fields of a log line, and trimming them.
//! Most fields (an address, `-`, a status, a size) are a few bytes long,
//! where a call into `memchr` costs more than looking at the bytes; so the
//! first bytes are looked at in place and `memchr` takes over for a long
//! field (a user agent, a URL).

/// Bytes looked at in place before `memchr` is called.
const INLINE: usize = 16;

/// Position of the first `a` in `hay`.
pub(crate) fn find(hay: &[u8], a: u8) -> Option<usize> {
    let head = hay.len().min(INLINE);
    match hay[..head].iter().position(|&c| c == a) {
        Some(i) => Some(i),
        None => memchr::memchr(a, &hay[head..]).map(|i| head + i),
    }
}

/// Position of the first `a` or `b` in `hay`.
pub(crate) fn find2(hay: &[u8], a: u8, b: u8) -> Option<usize> {
    let head = hay.len().min(INLINE);
    match hay[..head].iter().position(|&c| c == a || c == b) {
        Some(i) => Some(i),
        None => memchr::memchr2(a, b, &hay[head..]).map(|i| head + i),
    }
}

/// `s` without leading and trailing whitespace (`str::trim`), looking no
/// further when both ends are visible ASCII, as nearly every field is
/// (`str::trim` steps through its `char`s from both ends).
pub(crate) fn trim(s: &str) -> &str {
    match s.as_bytes() {
        [first, .., last] if first.is_ascii_graphic() && last.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn agrees_with_a_plain_search(hay in proptest::collection::vec(0u8..4, 0..80), a in 0u8..4, b in 0u8..4) {
            proptest::prop_assert_eq!(find(&hay, a), hay.iter().position(|&c| c == a));
            proptest::prop_assert_eq!(find2(&hay, a, b), hay.iter().position(|&c| c == a || c == b));
        }

        #[test]
        fn trim_agrees_with_str_trim(s in "[ \\u{a0}\\u{2003}\\tab\\x00\\x7fé]{0,8}") {
            proptest::prop_assert_eq!(trim(&s), s.trim());
        }
    }
}
