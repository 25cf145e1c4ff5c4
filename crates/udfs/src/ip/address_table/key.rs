//! Row keys: every row of an address column becomes a `u128` before any
//! table is touched. A text of 1 to 15 bytes is its own key (so repeated
//! texts are found without parsing); an address given as a number, or a
//! longer text that parses, carries a tag in the top byte instead.

use leadlake_ipdb::addr::parse_ip;
use std::net::IpAddr;

/// Rows are looked up by `u128` keys. A text of 1 to 15 bytes is its own
/// key (its bytes, with the length in the top byte), so repeated texts are
/// found without parsing; other keys carry a tag in the top byte instead.
pub(super) const IPV4_TAG: u128 = 0x80 << 120;
/// An IPv6 address, by index into the batch's list of them (only in the
/// per-batch key list; IPv6 answers are kept in their own table).
pub(super) const IPV6_TAG: u128 = 0xC0 << 120;

/// The key of a text of 1 to 15 bytes.
#[inline]
pub(super) fn text_key(b: &[u8]) -> Option<u128> {
    let len = b.len();
    let (lo, hi) = if (8..=15).contains(&len) {
        // two overlapping loads; drop the overlap from the second
        let lo = u64::from_le_bytes(b[..8].try_into().ok()?);
        let tail = u64::from_le_bytes(b[len - 8..].try_into().ok()?);
        (lo, tail.checked_shr(8 * (16 - len) as u32).unwrap_or(0))
    } else if (1..8).contains(&len) {
        let mut buf = [0u8; 8];
        buf[..len].copy_from_slice(b);
        (u64::from_le_bytes(buf), 0)
    } else {
        return None;
    };
    Some(u128::from(lo) | u128::from(hi) << 64 | (len as u128) << 120)
}

/// A key as two halves.
#[inline]
pub(super) fn split(key: u128) -> (u64, u64) {
    (key as u64, (key >> 64) as u64)
}

/// The text a [`text_key`] was made from, as bytes.
fn key_text(key: u128) -> ([u8; 16], usize) {
    let len = (key >> 120) as usize;
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&(key as u64).to_le_bytes());
    bytes[8..].copy_from_slice(&((key >> 64) as u64).to_le_bytes());
    (bytes, len.min(15))
}

/// The address a row key stands for (`None`: a text that is no address).
pub(super) fn key_ip(key: u128, v6: &[u128]) -> Option<IpAddr> {
    if key & IPV6_TAG == IPV6_TAG {
        Some(IpAddr::from(v6[(key as u64) as usize].to_be_bytes()))
    } else if key & IPV4_TAG == IPV4_TAG {
        Some(IpAddr::from((key as u32).to_be_bytes()))
    } else {
        let (bytes, len) = key_text(key);
        std::str::from_utf8(&bytes[..len]).ok().and_then(parse_ip)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keys_are_unique_and_reversible() {
        let texts = [
            "1",
            "1.2.3.4",
            "1.2.3.40",
            "1.2.3.4 ",
            "11.22.33.44",
            "111.222.133.144",
            "2001:db8::1",
            "::1",
            "abcdefghijklmno",
            "abcdefghijklmn",
            "\u{e9}t\u{e9}",
        ];
        let mut seen = std::collections::HashSet::new();
        for t in texts {
            let k = text_key(t.as_bytes()).expect("short text");
            assert!(seen.insert(k), "{t:?} shares a key");
            assert_eq!(k & IPV4_TAG, 0, "{t:?} looks tagged");
            let (bytes, len) = key_text(k);
            assert_eq!(&bytes[..len], t.as_bytes());
        }
        assert_eq!(text_key(b""), None);
        assert_eq!(text_key(b"0123456789abcdef"), None);
    }
}
