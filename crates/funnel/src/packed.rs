//! Events in 24 bytes, and a company's events as bytes: the state that
//! partial aggregation ships to the final stage.
//!
//! A partial stage only collects events; the final stage replays each
//! company's events into one [`Profile`](crate::Profile) at a time. That
//! keeps a single profile in cache instead of 100,000 live ones, and makes
//! the state a copy of rows rather than a profile to encode, decode and
//! merge.

use crate::codec::DecodeError;
use crate::page_class::PageClass;
use crate::profile::{Event, Kind};
use crate::version::{Scheme, VersionText};
use foldhash::HashMap;
use std::hash::BuildHasher;
use std::sync::Arc;

/// Keys (page and version hashes) keep 56 bits; the top byte of
/// [`PackedEvent::detail`] holds the kind and page class.
const KEY_BITS: u32 = 56;
const KEY_MASK: u64 = (1 << KEY_BITS) - 1;
/// A download without a version.
pub const NO_VERSION: u64 = KEY_MASK;
const NO_CLASS: u8 = 7;

const KINDS: [Kind; 4] = [
    Kind::Download,
    Kind::DocsView,
    Kind::PageView,
    Kind::CallHome,
];

/// A stable 64-bit hash of a text's bytes (sources, pages, versions): the
/// same in every partition and every process of one build.
#[inline]
pub fn hash_bytes(s: &[u8]) -> u64 {
    foldhash::fast::FixedState::with_seed(0x1ead_1a4e).hash_one(s)
}

/// The source of an event whose source is NULL: the hash of a byte that
/// no UTF-8 text holds, so it equals no real source's hash ([`hash_bytes`]
/// of a text). A company's NULL-source events are one source to the
/// journey rules, and none to the `machines` count (`journey_activity`),
/// as `count(DISTINCT source)` skips NULLs.
pub fn no_source() -> u64 {
    hash_bytes(&[0xff])
}

/// Bits of a version key that hold the hash of its text; the 3 above them
/// name the scheme it is compared under ([`Scheme::ALL`] index), so one
/// text of two packages with different schemes is two versions.
const VERSION_HASH_BITS: u32 = KEY_BITS - 3;

/// The key of a version text compared under `scheme` in packed events
/// (never [`NO_VERSION`]).
#[inline]
pub fn version_key(text: &[u8], scheme: Scheme) -> u64 {
    let hash = hash_bytes(text) & ((1 << VERSION_HASH_BITS) - 1);
    ((scheme.index() << VERSION_HASH_BITS) | hash).min(NO_VERSION - 1)
}

/// The scheme a version key was made under.
#[inline]
fn scheme_of_key(key: u64) -> Scheme {
    Scheme::ALL[((key >> VERSION_HASH_BITS) & 7) as usize]
}

/// Version texts by key, each parsed once under the scheme its key names:
/// what a collection of packed events needs to resolve its downloads'
/// versions.
#[derive(Debug, Clone, Default)]
pub struct VersionTable(HashMap<u64, Arc<VersionText>>);

impl VersionTable {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// The key of `text` under `scheme`, remembered (and parsed) if new.
    #[inline]
    pub fn key(&mut self, text: &str, scheme: Scheme) -> u64 {
        let key = version_key(text.as_bytes(), scheme);
        self.insert(key, text);
        key
    }

    /// Remember `text` under `key` (a key read back from bytes), parsed
    /// under the scheme the key names.
    pub fn insert(&mut self, key: u64, text: &str) {
        self.0
            .entry(key)
            .or_insert_with(|| VersionText::new(text, scheme_of_key(key)));
    }

    #[inline]
    pub fn get(&self, key: u64) -> Option<&Arc<VersionText>> {
        self.0.get(&key)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every key with its text.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (u64, &str)> {
        self.0.iter().map(|(k, v)| (*k, &*v.text))
    }
}

/// One event before `as_of`: its time, its source's hash, and the kind,
/// page class and page hash (views) or version key (downloads) in one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PackedEvent {
    pub ts: i64,
    pub source: u64,
    pub detail: u64,
}

const _: () = assert!(std::mem::size_of::<PackedEvent>() == 24);

/// Bytes of one packed event.
pub const PACKED_BYTES: usize = 24;

impl PackedEvent {
    /// Pack `e`; `version` is the download's version key.
    #[inline]
    pub fn new(e: &Event, version: Option<u64>) -> Self {
        let kind = e.kind as u8;
        let class = e.class.map_or(NO_CLASS, |c| c as u8);
        let key = match e.kind {
            Kind::Download => version.unwrap_or(NO_VERSION),
            _ => e.page & KEY_MASK,
        };
        Self {
            ts: e.ts,
            source: e.source,
            detail: (u64::from(kind | (class << 2)) << KEY_BITS) | key,
        }
    }

    #[inline]
    pub fn kind(&self) -> Kind {
        KINDS[((self.detail >> KEY_BITS) & 3) as usize]
    }

    /// The page class, `Err` for a class code no build writes.
    #[inline]
    pub fn class(&self) -> Result<Option<PageClass>, DecodeError> {
        match (self.detail >> (KEY_BITS + 2)) as u8 {
            NO_CLASS => Ok(None),
            c => PageClass::ALL
                .get(usize::from(c))
                .copied()
                .map(Some)
                .ok_or(DecodeError::new("unknown page class")),
        }
    }

    /// The page hash (views) or version key (downloads).
    #[inline]
    pub fn key(&self) -> u64 {
        self.detail & KEY_MASK
    }

    /// The event (without its version, which the caller resolves from
    /// [`key`](Self::key)).
    #[inline]
    pub fn event(&self) -> Result<Event<'static>, DecodeError> {
        let kind = self.kind();
        Ok(Event {
            ts: self.ts,
            kind,
            class: self.class()?,
            page: if kind == Kind::Download {
                0
            } else {
                self.key()
            },
            version: None,
            scheme: Scheme::Auto,
            source: self.source,
        })
    }

    /// Write the event into `out` (24 bytes).
    #[inline]
    pub fn write_to(&self, out: &mut [u8]) {
        out[..8].copy_from_slice(&self.ts.to_le_bytes());
        out[8..16].copy_from_slice(&self.source.to_le_bytes());
        out[16..24].copy_from_slice(&self.detail.to_le_bytes());
    }

    #[inline]
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.ts.to_le_bytes());
        out.extend_from_slice(&self.source.to_le_bytes());
        out.extend_from_slice(&self.detail.to_le_bytes());
    }

    #[inline]
    fn read(b: &[u8]) -> Self {
        let word = |i: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&b[i * 8..i * 8 + 8]);
            u64::from_le_bytes(w)
        };
        Self {
            ts: word(0) as i64,
            source: word(1),
            detail: word(2),
        }
    }
}

/// Where `as_of` sits in a header: its first 8 bytes.
const HEADER_AS_OF: std::ops::Range<usize> = 0..8;
/// Bytes of a header before its version texts: `as_of` and their count.
const HEADER_FIXED: usize = 12;
/// Bytes before each version text in a header: its key and its length.
const VERSION_FIXED: usize = 12;

/// Bytes of the header [`encode_header`] writes for `versions`.
pub fn header_len<'v>(versions: impl Iterator<Item = (u64, &'v str)>) -> usize {
    HEADER_FIXED
        + versions
            .map(|(_, text)| VERSION_FIXED + text.len())
            .sum::<usize>()
}

/// Set the `as_of` of a header written by [`encode_header`] (`header`
/// starts with its bytes).
#[inline]
pub fn set_header_as_of(header: &mut [u8], as_of: i64) {
    header[HEADER_AS_OF].copy_from_slice(&as_of.to_le_bytes());
}

/// Write the head of one company's events before `as_of`: `as_of`, then
/// the texts of the versions its downloads name (key, length, text). The
/// events follow, written by [`encode_rows`] (or copied from the rows of
/// another encoding).
pub fn encode_header<'v>(
    out: &mut Vec<u8>,
    as_of: i64,
    versions: impl ExactSizeIterator<Item = (u64, &'v str)>,
) {
    // `as_of` (at HEADER_AS_OF), then the count: HEADER_FIXED bytes
    out.extend_from_slice(&as_of.to_le_bytes());
    out.extend_from_slice(&(versions.len() as u32).to_le_bytes());
    for (key, text) in versions {
        out.extend_from_slice(&key.to_le_bytes());
        out.extend_from_slice(&(text.len() as u32).to_le_bytes());
        out.extend_from_slice(text.as_bytes());
    }
}

/// Append events after a header.
pub fn encode_rows(out: &mut Vec<u8>, events: &[PackedEvent]) {
    out.reserve(events.len() * PACKED_BYTES);
    for e in events {
        e.write(out);
    }
}

/// Write one company's events: [`encode_header`] then [`encode_rows`].
pub fn encode_events<'v>(
    out: &mut Vec<u8>,
    as_of: i64,
    versions: impl ExactSizeIterator<Item = (u64, &'v str)>,
    events: &[PackedEvent],
) {
    encode_header(out, as_of, versions);
    encode_rows(out, events);
}

/// Read the head of one company's events: calls `version(key, text)` for
/// every version text (its key checked against the text) and returns
/// `as_of` and the bytes of the events (a whole number of them; read them
/// with [`read_rows`]).
pub fn decode_header(
    bytes: &[u8],
    mut version: impl FnMut(u64, &str),
) -> Result<(i64, &[u8]), DecodeError> {
    fn take<'a>(b: &mut &'a [u8], n: usize) -> Result<&'a [u8], DecodeError> {
        if b.len() < n {
            return Err(DecodeError::new("truncated events"));
        }
        let (head, rest) = b.split_at(n);
        *b = rest;
        Ok(head)
    }
    let mut b = bytes;
    let as_of = i64::from_le_bytes(take(&mut b, 8)?.try_into().unwrap_or_default());
    let count = u32::from_le_bytes(take(&mut b, 4)?.try_into().unwrap_or_default());
    for _ in 0..count {
        let key = u64::from_le_bytes(take(&mut b, 8)?.try_into().unwrap_or_default());
        let len = u32::from_le_bytes(take(&mut b, 4)?.try_into().unwrap_or_default());
        let text = std::str::from_utf8(take(&mut b, len as usize)?)
            .map_err(|_| DecodeError::new("version is not UTF-8"))?;
        if version_key(text.as_bytes(), scheme_of_key(key)) != key {
            return Err(DecodeError::new("version key does not match its text"));
        }
        version(key, text);
    }
    if !b.len().is_multiple_of(PACKED_BYTES) {
        return Err(DecodeError::new("truncated events"));
    }
    Ok((as_of, b))
}

/// The events in bytes returned by [`decode_header`].
#[inline]
pub fn read_rows(rows: &[u8]) -> impl Iterator<Item = PackedEvent> + '_ {
    rows.chunks_exact(PACKED_BYTES).map(PackedEvent::read)
}

/// One company's events read back: [`decode_header`], then `event(e)` for
/// every event; returns their `as_of`.
pub fn decode_events(
    bytes: &[u8],
    version: impl FnMut(u64, &str),
    event: impl FnMut(PackedEvent),
) -> Result<i64, DecodeError> {
    let (as_of, rows) = decode_header(bytes, version)?;
    read_rows(rows).for_each(event);
    Ok(as_of)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: Kind, class: Option<PageClass>, page: u64) -> Event<'static> {
        Event {
            ts: -5,
            kind,
            class,
            page,
            version: None,
            scheme: Scheme::Auto,
            source: u64::MAX,
        }
    }

    #[test]
    fn packs_and_unpacks_every_kind_and_class() {
        for kind in KINDS {
            for class in PageClass::ALL.map(Some).into_iter().chain([None]) {
                let e = event(kind, class, u64::MAX);
                let p = PackedEvent::new(&e, Some(42));
                let back = p.event().unwrap();
                assert_eq!((back.kind, back.class, back.ts), (kind, class, -5));
                assert_eq!(back.source, u64::MAX);
                if kind == Kind::Download {
                    assert_eq!((p.key(), back.page), (42, 0));
                } else {
                    assert_eq!(back.page, KEY_MASK);
                }
            }
        }
        let none = PackedEvent::new(&event(Kind::Download, None, 0), None);
        assert_eq!(none.key(), NO_VERSION);
        assert!(version_key(b"1.0.0", Scheme::Auto) < NO_VERSION);
    }

    #[test]
    fn a_version_key_names_its_scheme_and_the_table_parses_under_it() {
        for s in Scheme::ALL {
            assert_eq!(Scheme::ALL[s.index() as usize], s);
            let key = version_key(b"2.0.0rc1", s);
            assert_eq!(scheme_of_key(key), s);
            assert!(key < NO_VERSION);
        }
        // one text of two packages with different schemes: two versions
        let mut t = VersionTable::new();
        let (pep, strict) = (
            t.key("2.0.0rc1", Scheme::Pep440),
            t.key("2.0.0rc1", Scheme::Semver),
        );
        assert_ne!(pep, strict);
        assert!(t.get(pep).and_then(|v| v.parsed.as_ref()).is_some());
        assert!(t.get(strict).and_then(|v| v.parsed.as_ref()).is_none());
        // read back from bytes, a key is checked under its own scheme
        let mut back = VersionTable::new();
        back.insert(strict, "2.0.0rc1");
        assert!(back.get(strict).and_then(|v| v.parsed.as_ref()).is_none());
    }

    #[test]
    fn bytes_round_trip_and_corruption_is_named() {
        let rows = [
            PackedEvent::new(
                &event(Kind::Download, None, 0),
                Some(version_key(b"1.2.0", Scheme::Auto)),
            ),
            PackedEvent::new(
                &event(Kind::DocsView, Some(PageClass::DocsInstall), 9),
                None,
            ),
        ];
        let mut bytes = Vec::new();
        encode_events(
            &mut bytes,
            77,
            [(version_key(b"1.2.0", Scheme::Auto), "1.2.0")].into_iter(),
            &rows,
        );
        let (mut versions, mut events) = (Vec::new(), Vec::new());
        let as_of = decode_events(
            &bytes,
            |k, t| versions.push((k, t.to_string())),
            |e| events.push(e),
        )
        .unwrap();
        assert_eq!(as_of, 77);
        assert_eq!(
            versions,
            [(version_key(b"1.2.0", Scheme::Auto), "1.2.0".to_string())]
        );
        assert_eq!(events, rows);

        // the header's length and its as_of, as the layout defines them
        let versions = [(version_key(b"1.2.0", Scheme::Auto), "1.2.0")];
        let head = header_len(versions.into_iter());
        assert_eq!(bytes.len(), head + rows.len() * PACKED_BYTES);
        let mut moved = bytes.clone();
        set_header_as_of(&mut moved, -3);
        assert_eq!(
            decode_header(&moved, |_, _| {}).unwrap(),
            (-3, &bytes[head..])
        );

        let err = |b: &[u8]| decode_events(b, |_, _| {}, |_| {}).unwrap_err().to_string();
        assert_eq!(
            err(&bytes[..bytes.len() - 1]),
            "corrupt journey state: truncated events"
        );
        assert_eq!(err(&bytes[..10]), "corrupt journey state: truncated events");
        let mut wrong = bytes.clone();
        wrong[12] ^= 1;
        assert_eq!(
            err(&wrong),
            "corrupt journey state: version key does not match its text"
        );
        let bad_class = PackedEvent {
            detail: 6 << (KEY_BITS + 2),
            ..PackedEvent::default()
        };
        assert_eq!(
            bad_class.event().unwrap_err().to_string(),
            "corrupt journey state: unknown page class"
        );
    }
}
