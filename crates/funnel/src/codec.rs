//! Version histories as bytes (the state `version_upgrades` ships), and the
//! error for bytes that cannot be read back (also packed events': see
//! `packed`).

use crate::version::{Scheme, VersionHistory, VersionText};

/// The bytes could not be read back as journey state.
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
    fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn len(&mut self, n: usize) {
        self.u32(n as u32);
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
    fn i64(&mut self) -> Result<i64, DecodeError> {
        Ok(i64::from_le_bytes(self.take()?))
    }
    fn u32(&mut self) -> Result<u32, DecodeError> {
        Ok(u32::from_le_bytes(self.take()?))
    }
    /// A length, checked against the bytes left (each item ≥ `item` bytes).
    fn len(&mut self, item: usize) -> Result<usize, DecodeError> {
        let n = self.u32()? as usize;
        if n.saturating_mul(item) > self.0.len() {
            return Err(DecodeError("length beyond the end"));
        }
        Ok(n)
    }
    fn str(&mut self) -> Result<&str, DecodeError> {
        let n = self.len(1)?;
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        std::str::from_utf8(head).map_err(|_| DecodeError("version is not UTF-8"))
    }
}

impl VersionHistory {
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

    /// Read a history written by [`Self::encode`], parsing its versions
    /// under `scheme`.
    pub fn decode(bytes: &[u8], scheme: Scheme) -> Result<Self, DecodeError> {
        let mut r = Reader(bytes);
        let mut h = Self::default();
        let n = r.len(20)?;
        for _ in 0..n {
            let v = VersionText::new(r.str()?, scheme);
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
