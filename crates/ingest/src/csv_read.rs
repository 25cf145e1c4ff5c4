//! Scarf CSV records, read in batches: a line scanner for the common
//! record, `csv_core` (the `csv` crate's parser) for every other one.
//!
//! The records and their line numbers are exactly those of the `csv` crate
//! as the ingest used it before (defaults: `,`, `"`, doubled quotes, CR, LF
//! or CRLF ends a record, empty lines skipped, a UTF-8 BOM dropped; any
//! number of fields): a property test compares the two on random input.
//! The `csv` crate cost about a fifth of a Scarf ingest (BENCHMARKS.md):
//! its byte-by-byte state machine, copying each field into a `ByteRecord`
//! through two buffers, and a line-break index kept beside it for the line
//! numbers. Here a record is one memchr for its line break, the line copied
//! once into the batch, and its `,` and `"` found eight bytes at a time
//! (plain integer arithmetic: no `unsafe`, which the workspace denies).
//!
//! The line scanner takes a record that is one whole line in the buffer
//! (the line break found), whose quoted fields are quoted whole (a quote
//! opens the field and closes it before a `,` or the line's end) and
//! with no CR but as the last byte. Anything else (a quoted line break, a
//! lone CR, text after a closing quote, the first record with a possible
//! BOM, the last record without a line break) goes to `csv_core`, which is
//! kept in step: both start a record by skipping line breaks, and each
//! stops after the record's terminator, the LF of a CRLF being skipped as
//! an empty line by the next record.

use std::io::{self, Read};
use std::ops::Range;

/// The buffer's size: twice the input's read buffer
/// ([`crate::input::BUFFER`]), so that a refill, which leaves at most a
/// part line at the front, still asks for more than that buffer holds,
/// and `BufReader` passes it through to the file (or inflate) instead of
/// copying the text through its own buffer twice (a tenth of the
/// instructions outside blake3 in reading a Scarf export).
const BUFFER: usize = 2 * crate::input::BUFFER;

/// One record of a [`Batch`]: its bytes (the fields in place, with what
/// lies between them) and where each field is in them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Record<'b> {
    pub bytes: &'b [u8],
    fields: &'b [Range<usize>],
    /// The record's physical line (1-based), as the `csv` crate's start
    /// position placed it: line breaks up to and including that position.
    pub line: u64,
}

impl<'b> Record<'b> {
    /// Number of fields.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Where field `i` is in [`Record::bytes`].
    pub fn range(&self, i: usize) -> Option<Range<usize>> {
        self.fields.get(i).cloned()
    }

    /// Field `i`.
    pub fn get(&self, i: usize) -> Option<&'b [u8]> {
        self.bytes.get(self.range(i)?)
    }

    /// The fields in order.
    pub fn iter(&self) -> impl Iterator<Item = &'b [u8]> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

#[derive(Clone, Debug)]
struct Loc {
    bytes: Range<usize>,
    fields: Range<usize>,
    line: u64,
}

/// Records read together (see [`crate::seen::SeenIds::warm`]).
#[derive(Default)]
pub(crate) struct Batch {
    bytes: Vec<u8>,
    /// Field ranges, relative to their record's first byte.
    fields: Vec<Range<usize>>,
    records: Vec<Loc>,
}

impl Batch {
    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn get(&self, i: usize) -> Option<Record<'_>> {
        let r = self.records.get(i)?;
        Some(Record {
            bytes: &self.bytes[r.bytes.clone()],
            fields: &self.fields[r.fields.clone()],
            line: r.line,
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = Record<'_>> {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    fn clear(&mut self) {
        self.bytes.clear();
        self.fields.clear();
        self.records.clear();
    }

    fn push(&mut self, start: usize, fields_from: usize, line: u64) {
        self.records.push(Loc {
            bytes: start..self.bytes.len(),
            fields: fields_from..self.fields.len(),
            line,
        });
    }
}

/// CSV records from a reader.
pub(crate) struct CsvReader<R> {
    inner: R,
    buf: Vec<u8>,
    /// Unread bytes: `buf[at..end]`.
    at: usize,
    end: usize,
    eof: bool,
    /// Line breaks before `buf[at]`.
    breaks: u64,
    core: csv_core::Reader,
    /// The first record is read (by `csv_core`, which drops a BOM).
    started: bool,
    ends: Vec<usize>,
}

impl<R: Read> CsvReader<R> {
    pub fn new(inner: R) -> Self {
        Self::with_buffer(inner, BUFFER)
    }

    /// A reader with a buffer of `size` bytes, at least 4 (a record may
    /// be longer).
    fn with_buffer(inner: R, size: usize) -> Self {
        CsvReader {
            inner,
            buf: vec![0; size.max(4)],
            at: 0,
            end: 0,
            eof: false,
            breaks: 0,
            core: csv_core::Reader::new(),
            started: false,
            ends: vec![0; 64],
        }
    }

    /// Read up to `max` records into `batch` (fewer only at the end). On
    /// an error, `batch` holds the records read before it.
    pub fn read_batch(&mut self, batch: &mut Batch, max: usize) -> io::Result<()> {
        batch.clear();
        while batch.len() < max && self.read_record(batch)? {}
        Ok(())
    }

    /// Move the unread bytes to the front and read more after them; false
    /// at the end of the input.
    fn fill(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        self.buf.copy_within(self.at..self.end, 0);
        self.end -= self.at;
        self.at = 0;
        loop {
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Read one record into `batch`; false at the end.
    fn read_record(&mut self, batch: &mut Batch) -> io::Result<bool> {
        if self.at == self.end && !self.fill()? {
            // what csv_core makes of the end (it may hold a record begun)
            return self.slow(batch, self.breaks + 1);
        }
        let line = self.breaks + 1 + u64::from(self.buf[self.at] == b'\n');
        if !self.started {
            self.started = true;
            // csv_core drops a BOM only if its first input holds all 3
            // bytes, and takes an input of only the BOM for the end
            while self.end - self.at < 4 && self.fill()? {}
            return self.slow(batch, line);
        }
        // empty lines, and the LF of a CRLF
        loop {
            while self.at < self.end && matches!(self.buf[self.at], b'\n' | b'\r') {
                self.breaks += u64::from(self.buf[self.at] == b'\n');
                self.at += 1;
            }
            if self.at < self.end {
                break;
            }
            if !self.fill()? {
                return self.slow(batch, line);
            }
        }
        loop {
            let rest = &self.buf[self.at..self.end];
            if let Some(i) = memchr::memchr(b'\n', rest) {
                let (text, term) = match rest[..i].strip_suffix(b"\r") {
                    Some(text) => (text, i - 1),
                    None => (&rest[..i], i),
                };
                if split_line(text, batch, line) {
                    self.breaks += u64::from(rest[term] == b'\n');
                    self.at += term + 1;
                    return Ok(true);
                }
                break;
            }
            // a line longer than the buffer, or the last one without a line break
            if self.eof || (self.at == 0 && self.end == self.buf.len()) || !self.fill()? {
                break;
            }
        }
        self.slow(batch, line)
    }

    /// One record by `csv_core`.
    fn slow(&mut self, batch: &mut Batch, line: u64) -> io::Result<bool> {
        use csv_core::ReadRecordResult as R;
        let start = batch.bytes.len();
        let (mut out, mut nends) = (0, 0);
        loop {
            if batch.bytes.len() < start + out + 256 {
                batch.bytes.resize(start + 2 * out + 256, 0);
            }
            let input = &self.buf[self.at..self.end];
            let (res, nin, nout, nend) = self.core.read_record(
                input,
                &mut batch.bytes[start + out..],
                &mut self.ends[nends..],
            );
            self.breaks += memchr::memchr_iter(b'\n', &input[..nin]).count() as u64;
            self.at += nin;
            out += nout;
            nends += nend;
            match res {
                R::InputEmpty => {
                    self.fill()?;
                }
                R::OutputFull => {} // grown above
                R::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                R::Record => {
                    batch.bytes.truncate(start + out);
                    let from = batch.fields.len();
                    let mut prev = 0;
                    for &e in &self.ends[..nends] {
                        batch.fields.push(prev..e);
                        prev = e;
                    }
                    batch.push(start, from, line);
                    return Ok(true);
                }
                R::End => {
                    batch.bytes.truncate(start);
                    return Ok(false);
                }
            }
        }
    }
}

const ONES: u64 = u64::from_le_bytes([1; 8]);
const LOW7: u64 = u64::from_le_bytes([0x7f; 8]);

/// The high bit of each byte of `w` that equals `c`, and no other bit.
fn bytes_eq(w: u64, c: u8) -> u64 {
    let x = w ^ (ONES * u64::from(c));
    // a byte's high bit, after the add, is set unless the byte is 0
    !(((x & LOW7).wrapping_add(LOW7)) | x | LOW7)
}

/// The word of `text` at `at` (zero bytes past its end: 0 is no special
/// byte): the high bit of each `,` in it, and of each `"`.
fn word_masks(text: &[u8], at: usize) -> (u64, u64) {
    let w = match text.get(at..at + 8) {
        Some(word) => <[u8; 8]>::try_from(word).unwrap_or_default(),
        None => {
            let mut word = [0u8; 8];
            let tail = text.get(at..).unwrap_or_default();
            word[..tail.len()].copy_from_slice(tail);
            word
        }
    };
    let w = u64::from_le_bytes(w);
    (bytes_eq(w, b','), bytes_eq(w, b'"'))
}

/// Split one line (no line break in it, no CR at its end) into `batch`
/// as one record, if it is a common one (see the module doc); false, and
/// `batch` as it was, if not.
///
/// A line with a CR anywhere is left to `csv_core` (outside quotes it ends
/// a record): one memchr per line, where looking for CR word by word beside
/// `,` and `"` cost a sixth of the scan's instructions.
fn split_line(text: &[u8], batch: &mut Batch, line: u64) -> bool {
    if memchr::memchr(b'\r', text).is_some() {
        return false;
    }
    let start = batch.bytes.len();
    let fields_from = batch.fields.len();
    batch.bytes.extend_from_slice(text);
    let whole = split_fields(text, batch, start).is_some();
    if whole {
        batch.push(start, fields_from, line);
    } else {
        batch.bytes.truncate(start);
        batch.fields.truncate(fields_from);
    }
    whole
}

/// The fields of [`split_line`], relative to `start` in `batch.bytes`,
/// where the text is; `None` for a record that is not a common one.
///
/// The text (without CR) is looked at 8 bytes at a time: a word without
/// quotes has only field ends (or, in a quoted field, nothing); a word
/// with any is taken special by special.
fn split_fields(text: &[u8], batch: &mut Batch, start: usize) -> Option<()> {
    // the field begins at `field`; `quoted`: it is quoted and its quote
    // not yet closed, with doubled quotes in it if `doubled`; the specials
    // before `skip` are taken
    let (mut field, mut quoted, mut doubled, mut skip) = (0, false, false, 0);
    for at in (0..text.len()).step_by(8) {
        let (commas, others) = word_masks(text, at);
        if others == 0 {
            if !quoted {
                let mut m = commas;
                while m != 0 {
                    let p = at + m.trailing_zeros() as usize / 8;
                    m &= m - 1;
                    if p >= skip {
                        batch.fields.push(field..p);
                        field = p + 1;
                    }
                }
            }
            continue;
        }
        let mut m = commas | others;
        while m != 0 {
            let p = at + m.trailing_zeros() as usize / 8;
            m &= m - 1;
            if p < skip {
                continue;
            }
            match (text[p], quoted) {
                (b',', false) => {
                    batch.fields.push(field..p);
                    field = p + 1;
                }
                (b'"', false) if p == field => quoted = true,
                (b'"', true) => {
                    let next = text.get(p + 1);
                    if next == Some(&b'"') {
                        doubled = true;
                        skip = p + 2;
                        continue;
                    }
                    if next.is_some_and(|&c| c != b',') {
                        return None; // text after the closing quote
                    }
                    let inner = field + 1..p;
                    batch.fields.push(if doubled {
                        undouble(&mut batch.bytes[start..], inner)
                    } else {
                        inner
                    });
                    if next.is_none() {
                        return Some(());
                    }
                    (field, quoted, doubled, skip) = (p + 2, false, false, p + 2);
                }
                _ => {} // a quote inside an unquoted field, `,` in a quoted one
            }
        }
    }
    if quoted {
        return None; // the quoted field goes on past the line break
    }
    batch.fields.push(field..text.len());
    Some(())
}

/// Turn each `""` in `bytes[inner]` into `"` in place; the field's new range.
fn undouble(bytes: &mut [u8], inner: Range<usize>) -> Range<usize> {
    let mut to = inner.start;
    let mut from = inner.start;
    while let Some(q) = memchr::memchr(b'"', &bytes[from..inner.end]) {
        let q = from + q;
        // keep the first quote of the pair, drop the second
        bytes.copy_within(from..=q, to);
        to += q + 1 - from;
        from = q + 2;
    }
    bytes.copy_within(from..inner.end, to);
    to += inner.end - from;
    inner.start..to
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Records and lines as the ingest read them with the `csv` crate.
    fn by_csv_crate(input: &[u8]) -> Vec<(u64, Vec<Vec<u8>>)> {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        let mut rec = csv::ByteRecord::new();
        let mut out = Vec::new();
        loop {
            let start = usize::try_from(r.position().byte()).unwrap();
            if !r.read_byte_record(&mut rec).unwrap() {
                return out;
            }
            let upto = (start + 1).min(input.len());
            let line = 1 + memchr::memchr_iter(b'\n', &input[..upto]).count() as u64;
            out.push((line, rec.iter().map(<[u8]>::to_vec).collect()));
        }
    }

    /// A reader that hands out at most `step` bytes a call.
    struct Trickle<'a> {
        rest: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.rest.len().min(self.step).min(buf.len());
            buf[..n].copy_from_slice(&self.rest[..n]);
            self.rest = &self.rest[n..];
            Ok(n)
        }
    }

    fn by_reader(input: &[u8], step: usize, buffer: usize, max: usize) -> Vec<(u64, Vec<Vec<u8>>)> {
        let mut r = CsvReader::with_buffer(Trickle { rest: input, step }, buffer);
        let mut batch = Batch::default();
        let mut out = Vec::new();
        loop {
            r.read_batch(&mut batch, max).unwrap();
            out.extend(
                batch
                    .iter()
                    .map(|rec| (rec.line, rec.iter().map(<[u8]>::to_vec).collect())),
            );
            if batch.len() < max {
                return out;
            }
        }
    }

    #[test]
    fn common_and_odd_records() {
        let input: &[u8] = b"\xef\xbb\xbfid,time\r\na,\"b,\"\"c\"\"\"\r\n\n\"x\ny\",z\r\rq\"r,\"s\"t\n\"\",,\"\"\"\"\n\"open";
        let want = by_csv_crate(input);
        assert_eq!(want.len(), 6, "{want:?}");
        for (step, buffer) in [(1 << 20, BUFFER), (1, 4), (3, 7), (5, 1)] {
            for max in [1, 2, 64] {
                assert_eq!(
                    by_reader(input, step, buffer, max),
                    want,
                    "{step} {buffer} {max}"
                );
            }
        }
    }

    #[test]
    fn a_common_line_is_split_by_the_line_scanner() {
        let mut batch = Batch::default();
        let line = "ev-1,\"pip/24.0 {\"\"ci\"\":null}\",,\"\",Café \"x\",last".as_bytes();
        assert!(split_line(line, &mut batch, 9));
        let rec = batch.get(0).unwrap();
        let fields: Vec<&[u8]> = rec.iter().collect();
        let want: [&[u8]; 6] = [
            b"ev-1",
            br#"pip/24.0 {"ci":null}"#,
            b"",
            b"",
            "Café \"x\"".as_bytes(),
            b"last",
        ];
        assert_eq!(fields, want);
        assert_eq!(rec.line, 9);
        for odd in [&br#"a,"b"c"#[..], b"a,\"b", b"a\rb"] {
            assert!(!split_line(odd, &mut batch, 1), "{odd:?}");
            assert_eq!(batch.len(), 1);
        }
    }

    /// A reader that says how much each read asked for.
    struct Asked<R>(R, std::rc::Rc<std::cell::RefCell<Vec<usize>>>);

    impl<R: Read> Read for Asked<R> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.1.borrow_mut().push(buf.len());
            self.0.read(buf)
        }
    }

    #[test]
    fn refills_pass_through_the_input_buffer() {
        let text = "id,time\nev-1,2024-01-02T03:04:05Z\n".repeat(40_000);
        let asked = std::rc::Rc::default();
        let input = Asked(text.as_bytes(), std::rc::Rc::clone(&asked));
        let mut buffered = io::BufReader::with_capacity(crate::input::BUFFER, input);
        let mut csv = CsvReader::new(&mut buffered);
        let (mut batch, mut records) = (Batch::default(), 0);
        while {
            csv.read_batch(&mut batch, 64).unwrap();
            records += batch.len();
            batch.len() == 64
        } {}
        assert_eq!(records, 80_000);
        let asked = asked.borrow();
        assert!(asked.len() > 2, "{asked:?}");
        // each read reached the input itself, asking for more than the
        // `BufReader` holds (reads through it ask for exactly that)
        assert!(asked.iter().all(|&n| n > crate::input::BUFFER), "{asked:?}");
    }

    proptest! {
        #[test]
        fn records_and_lines_as_the_csv_crate(
            parts in proptest::collection::vec(prop_oneof![
                Just(&b"a"[..]), Just(&b"xyz0123456789"[..]), Just(&b","[..]), Just(&b",,"[..]),
                Just(&b"\""[..]), Just(&b"\"\""[..]), Just(&b"\n"[..]), Just(&b"\r\n"[..]),
                Just(&b"\r"[..]), Just(&b"\xc3\xa9"[..]), Just(&b"\xef\xbb\xbf"[..]),
            ], 0..60),
            step in 1usize..40,
            buffer in 1usize..48,
            max in 1usize..5,
        ) {
            let input = parts.concat();
            let want = by_csv_crate(&input);
            prop_assert_eq!(&by_reader(&input, step, buffer, max), &want);
            prop_assert_eq!(by_reader(&input, 1 << 20, BUFFER, 64), want);
        }

        #[test]
        fn events_as_from_the_csv_crate(
            parts in proptest::collection::vec(prop_oneof![
                Just(&b"ev"[..]), Just(&b"2024-01-02T03:04:05Z"[..]), Just(&b","[..]),
                Just(&b"\""[..]), Just(&b"\n"[..]), Just(&b"\xc3"[..]), Just(&b"\xa9"[..]),
                Just(&b"\xff"[..]), Just(&b" x"[..]),
            ], 0..50),
        ) {
            let cols = crate::scarf::CsvColumns::from_header(
                ["id", "time", "x", "origin_company"].map(str::as_bytes),
            ).unwrap();
            let input = parts.concat();
            let mut old = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(&input[..]);
            let mut rec = csv::ByteRecord::new();
            let mut want = Vec::new();
            while old.read_byte_record(&mut rec).unwrap() {
                want.push(format!("{:?}", cols.parse(&rec)));
            }
            let mut r = CsvReader::new(&input[..]);
            let mut batch = Batch::default();
            r.read_batch(&mut batch, 1000).unwrap();
            let got: Vec<String> = batch.iter().map(|rec| format!("{:?}", cols.parse_record(&rec))).collect();
            prop_assert_eq!(got, want);
        }
    }
}
