//! Inputs: a file or any reader (stdin), opened as text lines.
//!
//! Gzip is told by its magic bytes (`1f 8b`), never by the file name, and
//! read as multi-member gzip (concatenated `.gz` files, as `logrotate` and
//! `cat a.gz b.gz` make them) with flate2's zlib-rs backend. The raw bytes
//! are hashed (blake3) as they stream past: with the input's name the hash
//! names the output files, so no input is read twice (stdin cannot be).

use crate::error::IngestError;
use crate::format::Format;
use flate2::read::MultiGzDecoder;
use std::cell::RefCell;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::PathBuf;
use std::rc::Rc;

/// Bytes looked at for format detection.
pub const HEAD_BYTES: usize = 64 * 1024;
const BUFFER: usize = 256 * 1024;

enum Source {
    Path(PathBuf),
    Reader(Box<dyn Read + Send>),
}

/// One input of a run. Its name is its identity in the lake: ingesting an
/// input with the same name again replaces what the earlier ingest wrote.
pub struct Input {
    name: String,
    format: Format,
    source: Source,
}

impl fmt::Debug for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Input")
            .field("name", &self.name)
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

impl Input {
    /// A file; its name is the path as given.
    pub fn path(path: impl Into<PathBuf>) -> Input {
        let path = path.into();
        Input {
            name: path.display().to_string(),
            format: Format::Auto,
            source: Source::Path(path),
        }
    }

    /// Any reader (stdin, an object-store download), under a name of its own.
    pub fn reader(name: impl Into<String>, reader: impl Read + Send + 'static) -> Input {
        Input {
            name: name.into(),
            format: Format::Auto,
            source: Source::Reader(Box::new(reader)),
        }
    }

    /// The same input under another name (its identity in the lake).
    pub fn named(mut self, name: impl Into<String>) -> Input {
        self.name = name.into();
        self
    }

    /// Read as this format instead of detecting it.
    pub fn with_format(mut self, format: Format) -> Input {
        self.format = format;
        self
    }

    /// The input's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The format asked for.
    pub fn format(&self) -> Format {
        self.format
    }
}

/// Counts and hashes the raw bytes read.
struct Hashing<R> {
    inner: R,
    state: Rc<RefCell<(blake3::Hasher, u64)>>,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut s = self.state.borrow_mut();
        s.0.update(&buf[..n]);
        s.1 += n as u64;
        Ok(n)
    }
}

/// Read until `buf` holds `want` bytes or the reader ends.
fn fill(r: &mut dyn Read, buf: &mut Vec<u8>, want: usize) -> io::Result<()> {
    let mut chunk = [0u8; 8192];
    while buf.len() < want {
        let room = (want - buf.len()).min(chunk.len());
        let n = match r.read(&mut chunk[..room]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(())
}

/// An opened input: text to read, the first bytes of it, and the hash.
pub(crate) struct Opened {
    pub reader: Box<dyn BufRead>,
    pub head: Vec<u8>,
    pub gzip: bool,
    pub meter: Meter,
}

/// The raw bytes read so far: how many, and their hash.
pub(crate) struct Meter(Rc<RefCell<(blake3::Hasher, u64)>>);

impl Meter {
    /// Raw bytes read so far.
    pub fn bytes(&self) -> u64 {
        self.0.borrow().1
    }

    /// The hash of the name and every raw byte; call after reading to the end.
    pub fn content_hash(&self) -> blake3::Hash {
        self.0.borrow().0.finalize()
    }
}

pub(crate) fn open(input: Input) -> Result<(String, Format, Opened), IngestError> {
    let Input {
        name,
        format,
        source,
    } = input;
    let raw: Box<dyn Read> = match source {
        Source::Path(p) => Box::new(File::open(&p).map_err(|source| IngestError::Open {
            file: name.clone(),
            source,
        })?),
        Source::Reader(r) => r,
    };
    let mut hasher = blake3::Hasher::new();
    hasher.update(&(name.len() as u64).to_le_bytes());
    hasher.update(name.as_bytes());
    let state = Rc::new(RefCell::new((hasher, 0)));
    let mut raw = BufReader::with_capacity(
        BUFFER,
        Hashing {
            inner: raw,
            state: Rc::clone(&state),
        },
    );
    let read_err = |source| IngestError::Read {
        file: name.clone(),
        line: 0,
        source,
    };
    let mut magic = Vec::with_capacity(2);
    fill(&mut raw, &mut magic, 2).map_err(read_err)?;
    let gzip = magic == [0x1f, 0x8b];
    let raw = Cursor::new(magic).chain(raw);
    let mut text: Box<dyn Read> = if gzip {
        Box::new(MultiGzDecoder::new(BufReader::with_capacity(BUFFER, raw)))
    } else {
        Box::new(raw)
    };
    let mut head = Vec::with_capacity(HEAD_BYTES);
    fill(&mut text, &mut head, HEAD_BYTES).map_err(read_err)?;
    let reader = Box::new(BufReader::with_capacity(
        BUFFER,
        Cursor::new(head.clone()).chain(text),
    ));
    Ok((
        name,
        format,
        Opened {
            reader,
            head,
            gzip,
            meter: Meter(state),
        },
    ))
}

/// Longest line read whole; a longer one is malformed (binary garbage
/// without line breaks must not fill memory).
pub const MAX_LINE: usize = 1 << 20;

/// The next line into `buf` without its `\n` or `\r\n`. `Ok(None)` at the
/// end; `Ok(Some(false))` for a line longer than [`MAX_LINE`] (skipped,
/// `buf` empty). A last line without a line break is a line.
pub(crate) fn next_line(r: &mut dyn BufRead, buf: &mut Vec<u8>) -> io::Result<Option<bool>> {
    buf.clear();
    let mut any = false;
    let mut too_long = false;
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (take, done) = match chunk.iter().position(|&c| c == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        if !too_long {
            if buf.len() + take > MAX_LINE + 2 {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(&chunk[..take]);
            }
        }
        r.consume(take);
        if done {
            break;
        }
    }
    if !any {
        return Ok(None);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
    }
    Ok(Some(!too_long))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        let mut r: &[u8] = b"a\r\nb\n\nlast";
        let mut buf = Vec::new();
        let mut got = Vec::new();
        while let Some(ok) = next_line(&mut r, &mut buf).unwrap() {
            assert!(ok);
            got.push(String::from_utf8(buf.clone()).unwrap());
        }
        assert_eq!(got, ["a", "b", "", "last"]);
    }

    #[test]
    fn gzip_by_magic() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"hello\n").unwrap();
        let bytes = gz.finish().unwrap();
        let (_, _, mut o) = open(Input::reader("x.txt", Cursor::new(bytes.clone()))).unwrap();
        assert!(o.gzip);
        assert_eq!(o.head, b"hello\n");
        let mut rest = Vec::new();
        o.reader.read_to_end(&mut rest).unwrap();
        assert_eq!(o.meter.bytes(), bytes.len() as u64);
        let truncated = bytes[..bytes.len() - 6].to_vec();
        assert!(open(Input::reader("t", Cursor::new(truncated))).is_err());
    }
}
