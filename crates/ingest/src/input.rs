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
/// Bytes a read buffer holds.
pub(crate) const BUFFER: usize = 256 * 1024;

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

/// One line from [`Lines::next`].
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line<'a> {
    /// The line without its `\n` or `\r\n`.
    Whole(&'a [u8]),
    /// A line longer than [`MAX_LINE`], skipped.
    TooLong,
}

/// Text lines read from a buffered reader. A line that lies whole in the
/// reader's buffer (nearly all) is handed out where it lies, without a
/// copy; one that spans the buffer's end is gathered in a buffer of its own.
pub(crate) struct Lines<R> {
    inner: R,
    /// Bytes of the line handed out last, still in `inner`'s buffer.
    pending: usize,
    gathered: Vec<u8>,
}

impl<R: BufRead> Lines<R> {
    pub(crate) fn new(inner: R) -> Self {
        Lines {
            inner,
            pending: 0,
            gathered: Vec::new(),
        }
    }

    /// The next line; `Ok(None)` at the end. A last line without a line
    /// break is a line.
    pub(crate) fn next(&mut self) -> io::Result<Option<Line<'_>>> {
        self.inner.consume(std::mem::take(&mut self.pending));
        let found = loop {
            match self.inner.fill_buf() {
                Ok([]) => return Ok(None),
                Ok(chunk) => break memchr::memchr(b'\n', chunk),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        };
        let Some(i) = found else {
            return self.gather().map(Some);
        };
        self.pending = i + 1;
        if i > MAX_LINE + 1 {
            return Ok(Some(Line::TooLong));
        }
        // the buffer still holds the line: this returns it without reading
        let chunk = self.inner.fill_buf()?;
        Ok(Some(Line::Whole(strip_cr(&chunk[..i]))))
    }

    /// A line that runs past the end of the reader's buffer.
    fn gather(&mut self) -> io::Result<Line<'_>> {
        self.gathered.clear();
        let mut too_long = false;
        loop {
            let chunk = match self.inner.fill_buf() {
                Ok([]) => break,
                Ok(chunk) => chunk,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let (take, done) = match memchr::memchr(b'\n', chunk) {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            if !too_long {
                if self.gathered.len() + take > MAX_LINE + 2 {
                    too_long = true;
                    self.gathered = Vec::new();
                } else {
                    self.gathered.extend_from_slice(&chunk[..take]);
                }
            }
            self.inner.consume(take);
            if done {
                break;
            }
        }
        if too_long {
            return Ok(Line::TooLong);
        }
        let line = self.gathered.strip_suffix(b"\n").unwrap_or(&self.gathered);
        Ok(Line::Whole(strip_cr(line)))
    }
}

fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_lines(text: &[u8], capacity: usize) -> Vec<Option<String>> {
        let mut lines = Lines::new(BufReader::with_capacity(capacity, text));
        let mut got = Vec::new();
        while let Some(line) = lines.next().unwrap() {
            got.push(match line {
                Line::Whole(l) => Some(String::from_utf8(l.to_vec()).unwrap()),
                Line::TooLong => None,
            });
        }
        got
    }

    #[test]
    fn lines() {
        let want = ["a", "b", "", "last"].map(|l| Some(l.to_owned()));
        // lines in the buffer, and lines across its end
        for capacity in [1, 2, 3, 64] {
            assert_eq!(all_lines(b"a\r\nb\n\nlast", capacity), want, "{capacity}");
        }
        let mut long = vec![b'x'; MAX_LINE + 3];
        long.extend_from_slice(b"\nnext\n");
        let mut longest = vec![b'y'; MAX_LINE];
        longest.extend_from_slice(b"\r\n");
        // gathered across buffers, and found whole in one
        for capacity in [4096, 4 * MAX_LINE] {
            assert_eq!(all_lines(&long, capacity), [None, Some("next".to_owned())]);
            assert_eq!(all_lines(&longest, capacity), [Some("y".repeat(MAX_LINE))]);
        }
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
