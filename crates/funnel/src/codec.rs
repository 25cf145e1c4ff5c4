//! Profiles as bytes, for a caller that stores or ships a profile whole
//! (the journey aggregates ship packed events instead: see `packed`).

use crate::days::DaySet;
use crate::profile::{Profile, TwoDistinct};
use crate::version::VersionText;
use std::sync::Arc;

/// Makes (or finds) the shared form of a version text while decoding.
pub type Intern<'a> = dyn FnMut(&str) -> Arc<VersionText> + 'a;

const MAGIC: u8 = 0xA1;

/// The bytes could not be read back as a profile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("corrupt journey state: {0}")]
pub struct DecodeError(&'static str);

impl DecodeError {
    pub(crate) fn new(what: &'static str) -> Self {
        Self(what)
    }
}

struct Writer<'a>(&'a mut Vec<u8>);

impl Writer<'_> {
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn f64(&mut self, v: f64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn len(&mut self, n: usize) {
        self.u32(n as u32);
    }
    fn days(&mut self, d: &DaySet) {
        let used = d.used_words();
        self.len(used);
        for w in d.words().take(used) {
            self.u64(w);
        }
    }
    fn two(&mut self, t: &TwoDistinct) {
        self.0
            .push(u8::from(t.first.is_some()) | (u8::from(t.two) << 1));
        self.u64(t.first.unwrap_or(0));
    }
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        if self.0.len() < N {
            return Err(DecodeError("truncated"));
        }
        let (head, rest) = self.0.split_at(N);
        self.0 = rest;
        let mut out = [0u8; N];
        out.copy_from_slice(head);
        Ok(out)
    }
    fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.take::<1>()?[0])
    }
    fn u64(&mut self) -> Result<u64, DecodeError> {
        Ok(u64::from_le_bytes(self.take()?))
    }
    fn i64(&mut self) -> Result<i64, DecodeError> {
        Ok(i64::from_le_bytes(self.take()?))
    }
    fn u32(&mut self) -> Result<u32, DecodeError> {
        Ok(u32::from_le_bytes(self.take()?))
    }
    fn f64(&mut self) -> Result<f64, DecodeError> {
        Ok(f64::from_le_bytes(self.take()?))
    }
    /// A length, checked against the bytes left (each item ≥ `item` bytes).
    fn len(&mut self, item: usize) -> Result<usize, DecodeError> {
        let n = self.u32()? as usize;
        if n.saturating_mul(item) > self.0.len() {
            return Err(DecodeError("length beyond the end"));
        }
        Ok(n)
    }
    fn days(&mut self) -> Result<DaySet, DecodeError> {
        let n = self.len(8)?;
        // the length is checked against the bytes left: these reads succeed
        Ok(DaySet::from_words((0..n).map(|_| self.u64().unwrap_or(0))))
    }
    fn two(&mut self) -> Result<TwoDistinct, DecodeError> {
        let flags = self.u8()?;
        let first = self.u64()?;
        Ok(TwoDistinct {
            first: (flags & 1 != 0).then_some(first),
            two: flags & 2 != 0,
        })
    }
    fn str(&mut self) -> Result<&str, DecodeError> {
        let n = self.len(1)?;
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        std::str::from_utf8(head).map_err(|_| DecodeError("version is not UTF-8"))
    }
}

impl Profile {
    /// Append this profile's bytes to `out`.
    pub fn encode(&self, out: &mut Vec<u8>) {
        let mut w = Writer(out);
        w.0.push(MAGIC);
        w.i64(self.as_of);
        w.u64(self.events);
        w.i64(self.first);
        w.i64(self.last);
        for v in self.windows {
            w.u32(v);
        }
        for d in [
            &self.active,
            &self.view_days,
            &self.docs_days,
            &self.download_days,
            &self.ping_days,
        ] {
            w.days(d);
        }
        w.u64(self.downloads);
        for v in [
            self.downloads_last7,
            self.downloads_last30,
            self.docs_views,
            self.install_views,
            self.upgrade_views,
            self.beyond_install_views,
            self.high_views,
            self.medium_views,
            self.low_views,
        ] {
            w.u32(v);
        }
        w.i64(self.docs_first);
        w.i64(self.docs_last);
        w.two(&self.docs_sources);
        w.two(&self.web7);
        w.two(&self.web30);
        w.0.push(u8::from(self.web30_medium) | (u8::from(self.web30_high) << 1));
        for v in self.class_decay {
            w.f64(v);
        }
        w.len(self.sources.len());
        for (s, ()) in self.sources.iter() {
            w.u64(s);
        }
        w.len(self.download_times.len());
        for (s, t) in &self.download_times {
            w.u64(*s);
            w.i64(*t);
        }
        w.len(self.pings.len());
        for (s, t) in self.pings.iter() {
            w.u64(s);
            w.i64(t);
        }
        self.versions.encode(w.0);
    }

    /// Read a profile written by [`Profile::encode`].
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        Self::decode_with(bytes, &mut VersionText::new)
    }

    /// The same, taking each version text from `intern`.
    pub fn decode_with(bytes: &[u8], intern: &mut Intern<'_>) -> Result<Self, DecodeError> {
        let mut r = Reader(bytes);
        if r.u8()? != MAGIC {
            return Err(DecodeError("unknown format"));
        }
        let mut p = Profile::new(r.i64()?);
        p.events = r.u64()?;
        p.first = r.i64()?;
        p.last = r.i64()?;
        for i in 0..3 {
            p.windows[i] = r.u32()?;
        }
        p.active = r.days()?;
        p.view_days = r.days()?;
        p.docs_days = r.days()?;
        p.download_days = r.days()?;
        p.ping_days = r.days()?;
        p.downloads = r.u64()?;
        p.downloads_last7 = r.u32()?;
        p.downloads_last30 = r.u32()?;
        p.docs_views = r.u32()?;
        p.install_views = r.u32()?;
        p.upgrade_views = r.u32()?;
        p.beyond_install_views = r.u32()?;
        p.high_views = r.u32()?;
        p.medium_views = r.u32()?;
        p.low_views = r.u32()?;
        p.docs_first = r.i64()?;
        p.docs_last = r.i64()?;
        p.docs_sources = r.two()?;
        p.web7 = r.two()?;
        p.web30 = r.two()?;
        let flags = r.u8()?;
        p.web30_medium = flags & 1 != 0;
        p.web30_high = flags & 2 != 0;
        for i in 0..6 {
            p.class_decay[i] = r.f64()?;
        }
        let n = r.len(8)?;
        for _ in 0..n {
            p.sources.get_or_insert(r.u64()?, ());
        }
        let n = r.len(16)?;
        p.download_times.reserve(n);
        for _ in 0..n {
            let s = r.u64()?;
            p.download_times.push((s, r.i64()?));
        }
        let n = r.len(16)?;
        for _ in 0..n {
            let s = r.u64()?;
            let t = r.i64()?;
            let last = p.pings.get_or_insert(s, t);
            *last = (*last).max(t);
        }
        p.versions = crate::version::VersionHistory::decode_with(r.0, intern)?;
        Ok(p)
    }
}

impl crate::version::VersionHistory {
    /// Append this history's bytes to `out`.
    pub fn encode(&self, out: &mut Vec<u8>) {
        let mut w = Writer(out);
        w.len(self.distinct());
        for (text, first, last) in self.entries() {
            w.len(text.len());
            w.0.extend_from_slice(text.as_bytes());
            w.i64(first);
            w.i64(last);
        }
    }

    /// Read a history written by [`Self::encode`].
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        Self::decode_with(bytes, &mut VersionText::new)
    }

    /// The same, taking each version text from `intern` (so the texts
    /// are shared with the caller's own).
    pub fn decode_with(bytes: &[u8], intern: &mut Intern<'_>) -> Result<Self, DecodeError> {
        let mut r = Reader(bytes);
        let mut h = Self::default();
        let n = r.len(20)?;
        for _ in 0..n {
            let v = intern(r.str()?);
            let (first, last) = (r.i64()?, r.i64()?);
            h.add_shared(&v, first);
            h.add_shared(&v, last);
        }
        if !r.0.is_empty() {
            return Err(DecodeError("trailing bytes"));
        }
        Ok(h)
    }
}
