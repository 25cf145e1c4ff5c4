//! A run: read every input, apply the rules, stage the day files, and
//! publish them only when every input has been read.
//!
//! Files are named `<name key>-<content key>-<YYYYMMDD>-<part>.parquet` in
//! `date=YYYY-MM-DD/`: the name key is blake3 of the input's name, the
//! content key blake3 of the name and every raw byte (16 hex digits each).
//! The same input again gives the same names and bytes, so a rerun
//! replaces each file with an identical one; a changed input under the same
//! name gives new names, and after publishing, the files of earlier ingests
//! of that name (same name key, other content key) are removed: a corrected
//! export replaces the old one whole.

use crate::classify;
use crate::cloudflare;
use crate::cloudfront::CloudFront;
use crate::combined;
use crate::config::{IngestConfig, Rules};
use crate::csv_read::{Batch, CsvReader};
use crate::error::IngestError;
use crate::format::{self, Parser};
use crate::input::{self, Input, Line, Opened};
use crate::report::{Counts, InputReport, Report};
use crate::row::{DropReason, Malformed, Outcome, Row};
use crate::scarf::{self, CsvColumns, ScarfEvent};
use crate::seen::SeenIds;
use crate::time::{day_name, day_of};
use crate::writer::{Capacity, DayBuffer, LocalDir, Sink, Staged, day_done, encode};
use std::collections::{BTreeMap, HashSet};
use std::io;
use std::path::Path;

/// Where a run is, for a progress display.
#[derive(Clone, Copy, Debug)]
pub struct Progress<'a> {
    /// The input being read.
    pub input: &'a str,
    /// Its position (0-based) among `inputs`.
    pub index: usize,
    pub inputs: usize,
    /// Raw bytes read from it so far.
    pub bytes: u64,
    /// Lines or records read from it so far.
    pub records: u64,
    /// True once, when the input has been read to its end.
    pub done: bool,
}

/// Lines between two progress calls.
const PROGRESS_EVERY: u64 = 1 << 16;

/// Scarf CSV records read ahead, for [`SeenIds::warm`].
const CSV_BATCH: usize = 64;

/// Ingest into a lake directory on local disk. See [`ingest`].
pub fn ingest_dir(
    inputs: Vec<Input>,
    out: &Path,
    config: &IngestConfig,
    progress: &mut dyn FnMut(&Progress<'_>),
) -> Result<Report, IngestError> {
    ingest(inputs, &mut LocalDir::new(out), config, progress)
}

/// Read `inputs` in order into the lake behind `sink`.
///
/// Checks the configuration and that the sink is writable before reading
/// anything. Scarf events are deduplicated by `id` across all inputs (the
/// first wins). On error nothing of this run is published.
pub fn ingest(
    inputs: Vec<Input>,
    sink: &mut dyn Sink,
    config: &IngestConfig,
    progress: &mut dyn FnMut(&Progress<'_>),
) -> Result<Report, IngestError> {
    let rules = config.compile()?;
    let mut names = HashSet::new();
    for i in &inputs {
        if !names.insert(i.name().to_owned()) {
            return Err(IngestError::DuplicateInput {
                file: i.name().to_owned(),
            });
        }
    }
    sink.check_writable()
        .map_err(|source| IngestError::OutputNotWritable {
            path: sink.location(),
            source,
        })?;
    let mut seen = SeenIds::default();
    let mut report = Report::default();
    let mut staged: Vec<(Staged, String)> = Vec::new();
    let mut keys = Vec::new();
    let count = inputs.len();
    for (index, input) in inputs.into_iter().enumerate() {
        let mut ctx = Ctx {
            rules: &rules,
            seen: &mut seen,
            progress: &mut *progress,
            index,
            count,
        };
        match read_input(input, &mut ctx, sink) {
            Ok((input_report, files, key)) => {
                staged.extend(files);
                keys.push(key);
                report.push(input_report);
            }
            Err(e) => {
                staged.iter().for_each(|(s, _)| sink.discard(s));
                return Err(e);
            }
        }
    }
    let mut published = HashSet::new();
    for (i, (s, name)) in staged.iter().enumerate() {
        if let Err(source) = sink.publish(s, name) {
            staged[i..].iter().for_each(|(s, _)| sink.discard(s));
            return Err(IngestError::Write {
                path: sink.location().join(&s.dir).join(name),
                source,
            });
        }
        published.insert(format!("{}/{name}", s.dir));
    }
    let write_err = |sink: &dyn Sink, source| IngestError::Write {
        path: sink.location(),
        source,
    };
    for file in sink.list().map_err(|e| write_err(sink, e))? {
        let base = file.rsplit('/').next().unwrap_or_default();
        if keys.iter().any(|k: &String| base.starts_with(k.as_str())) && !published.contains(&file)
        {
            sink.remove(&file).map_err(|e| write_err(sink, e))?;
            report.removed.push(file);
        }
    }
    Ok(report)
}

struct Ctx<'r, 'p> {
    rules: &'r Rules,
    seen: &'r mut SeenIds,
    progress: &'p mut dyn FnMut(&Progress<'_>),
    index: usize,
    count: usize,
}

/// Per-day buffers of one input and the files staged from them.
struct Days<'s> {
    sink: &'s mut dyn Sink,
    file: String,
    bufs: BTreeMap<i64, DayBuffer>,
    /// The largest day buffer written so far: new ones start this large.
    largest: Capacity,
    parts: BTreeMap<i64, u32>,
    staged: Vec<(Staged, i64, u32)>,
    watermark: i64,
    held: usize,
    max: usize,
}

impl Days<'_> {
    fn push(&mut self, row: &Row<'_>) -> Result<(), IngestError> {
        self.bufs
            .entry(day_of(row.ts))
            .or_insert_with(|| DayBuffer::with_capacity(&self.largest))
            .push(row);
        self.held += 1;
        if row.ts > self.watermark {
            self.watermark = row.ts;
            while let Some(&first) = self.bufs.keys().next()
                && day_done(first, self.watermark)
            {
                self.flush(first)?;
            }
        }
        if self.held > self.max
            && let Some(largest) = self
                .bufs
                .iter()
                .max_by_key(|(_, b)| b.len())
                .map(|(d, _)| *d)
        {
            self.flush(largest)?;
        }
        Ok(())
    }

    fn flush(&mut self, day: i64) -> Result<(), IngestError> {
        let Some(buf) = self.bufs.remove(&day) else {
            return Ok(());
        };
        self.held -= buf.len();
        self.largest = self.largest.max(buf.capacity());
        let encode_err = |source| IngestError::Encode {
            file: self.file.clone(),
            source,
        };
        let batch = buf.finish().map_err(|e| encode_err(e.into()))?;
        let bytes = encode(&batch).map_err(encode_err)?;
        drop(batch);
        let dir = format!("date={}", day_name(day));
        let staged = self
            .sink
            .stage(&dir, &bytes)
            .map_err(|source| IngestError::Write {
                path: self.sink.location().join(&dir),
                source,
            })?;
        let part = self.parts.entry(day).or_insert(0);
        self.staged.push((staged, day, *part));
        *part += 1;
        Ok(())
    }

    fn flush_all(&mut self) -> Result<(), IngestError> {
        while let Some(&day) = self.bufs.keys().next() {
            self.flush(day)?;
        }
        Ok(())
    }

    fn discard(&mut self) {
        for (s, _, _) in &self.staged {
            self.sink.discard(s);
        }
        self.staged.clear();
    }
}

fn hex16(h: &blake3::Hash) -> String {
    h.to_hex()[..16].to_owned()
}

type InputDone = (InputReport, Vec<(Staged, String)>, String);

fn read_input(
    input: Input,
    ctx: &mut Ctx<'_, '_>,
    sink: &mut dyn Sink,
) -> Result<InputDone, IngestError> {
    let (name, format, opened) = input::open(input)?;
    let mut report = InputReport {
        name: name.clone(),
        format: None,
        gzip: opened.gzip,
        bytes: 0,
        counts: Counts::default(),
        files: Vec::new(),
    };
    let mut days = Days {
        sink,
        file: name.clone(),
        bufs: BTreeMap::new(),
        largest: Capacity::default(),
        parts: BTreeMap::new(),
        staged: Vec::new(),
        watermark: i64::MIN,
        held: 0,
        max: ctx.rules.config.max_buffered_rows,
    };
    let result = read_all(&name, format, opened, ctx, &mut days, &mut report).and_then(|hash| {
        days.flush_all()?;
        Ok(hash)
    });
    let hash = match result {
        Ok(h) => h,
        Err(e) => {
            days.discard();
            return Err(e);
        }
    };
    let key = hex16(&blake3::hash(name.as_bytes()));
    let content = hex16(&hash);
    let files: Vec<(Staged, String)> = days
        .staged
        .drain(..)
        .map(|(s, day, part)| {
            let name = format!(
                "{key}-{content}-{}-{part}.parquet",
                day_name(day).replace('-', "")
            );
            report.files.push(format!("{}/{name}", s.dir));
            (s, name)
        })
        .collect();
    Ok((report, files, key))
}

/// Read one input to its end; the content hash when done.
fn read_all(
    name: &str,
    format: format::Format,
    opened: Opened,
    ctx: &mut Ctx<'_, '_>,
    days: &mut Days<'_>,
    report: &mut InputReport,
) -> Result<blake3::Hash, IngestError> {
    let Opened {
        mut reader,
        head,
        gzip: _,
        meter,
    } = opened;
    let parser = if head.iter().all(u8::is_ascii_whitespace) {
        None // empty: no rows, no format to tell
    } else {
        Some(format::parser(format, &head, ctx.rules).ok_or_else(|| {
            IngestError::UndetectableFormat {
                file: name.to_owned(),
            }
        })?)
    };
    drop(head);
    let counts = &mut report.counts;
    let rules = ctx.rules;
    let mut emit = |outcome: Outcome<'_>, counts: &mut Counts| -> Result<(), IngestError> {
        match outcome {
            Outcome::Row(row) => {
                days.push(&row)?;
                counts.row(row.kind);
            }
            Outcome::Dropped(why) => counts.dropped(why),
        }
        Ok(())
    };
    let tick = |records: u64, done: bool, ctx: &mut Ctx<'_, '_>| {
        if done || records.is_multiple_of(PROGRESS_EVERY) {
            (ctx.progress)(&Progress {
                input: name,
                index: ctx.index,
                inputs: ctx.count,
                bytes: meter.bytes(),
                records,
                done,
            });
        }
    };
    let read_err = |line: u64, source: io::Error| IngestError::Read {
        file: name.to_owned(),
        line,
        source,
    };
    match parser {
        None => {
            // Drain, so that the hash covers the (blank) content.
            io::copy(&mut reader, &mut io::sink()).map_err(|e| read_err(0, e))?;
        }
        Some((fmt, Parser::ScarfCsv)) => {
            report.format = Some(fmt);
            let mut csv = CsvReader::new(&mut reader);
            let mut batch = Batch::default();
            csv.read_batch(&mut batch, 1).map_err(|e| read_err(0, e))?;
            if let Some(header) = batch.get(0) {
                let cols = CsvColumns::from_header(header.iter()).map_err(|column| {
                    IngestError::MissingColumn {
                        file: name.to_owned(),
                        column,
                    }
                })?;
                let mut line = 1;
                let mut keys = [0; CSV_BATCH];
                loop {
                    // read a batch, then look its ids up before using them
                    // (see `SeenIds::warm`); a read error comes after the
                    // records before it are counted, as without batches
                    let failed = csv.read_batch(&mut batch, CSV_BATCH).err();
                    // the key of a record's `id` field: the same bytes as
                    // the id of the event parsed from it
                    for (rec, key) in batch.iter().zip(&mut keys) {
                        *key = SeenIds::key(cols.id_in(&rec).unwrap_or_default());
                    }
                    ctx.seen.warm(&keys[..batch.len()]);
                    for (rec, key) in batch.iter().zip(keys) {
                        // the physical line, counting line breaks in quoted fields
                        line = rec.line;
                        match cols.parse_record(&rec) {
                            Ok(e) => scarf_event(e, key, rules, ctx.seen, counts, &mut emit)?,
                            Err(m) => counts.malformed(line, &m),
                        }
                        tick(counts.read, false, ctx);
                    }
                    if let Some(e) = failed {
                        return Err(read_err(line, e));
                    }
                    if batch.len() < CSV_BATCH {
                        break;
                    }
                }
            }
        }
        Some((fmt, parser)) => {
            report.format = Some(fmt);
            let mut cloudfront = CloudFront::default();
            let mut lines = input::Lines::new(reader);
            let mut line = 0u64;
            while let Some(next) = lines.next().map_err(|e| read_err(line, e))? {
                line += 1;
                let l = match next {
                    Line::Whole(l) => l,
                    Line::TooLong => {
                        counts.malformed(line, &Malformed::Structure("line longer than 1 MiB"));
                        continue;
                    }
                };
                if l.iter().all(u8::is_ascii_whitespace) {
                    counts.blank += 1;
                    continue;
                }
                let result = match parser {
                    Parser::Combined => {
                        combined::parse(l).map(|h| emit(classify::access(h, rules), counts))
                    }
                    Parser::Custom => match &rules.log_format {
                        Some(f) => f.parse(l).map(|h| emit(classify::access(h, rules), counts)),
                        None => {
                            combined::parse(l).map(|h| emit(classify::access(h, rules), counts))
                        }
                    },
                    Parser::CloudFront if cloudfront.comment(l) => continue,
                    Parser::CloudFront => cloudfront
                        .parse(l)
                        .map(|h| emit(classify::access(h, rules), counts)),
                    Parser::Cloudflare => cloudflare::parse(l)
                        .and_then(|r| r.fields())
                        .map(|f| emit(classify::access(f.hit(), rules), counts)),
                    Parser::ScarfJson => scarf::parse_json(l).map(|e| {
                        let key = SeenIds::key(e.id.as_bytes());
                        scarf_event(e, key, rules, ctx.seen, counts, &mut emit)
                    }),
                    Parser::ScarfCsv => Err(Malformed::Structure("CSV read as lines")),
                };
                match result {
                    Ok(r) => r?,
                    Err(m) => counts.malformed(line, &m),
                }
                tick(counts.read, false, ctx);
            }
        }
    }
    tick(counts.read, true, ctx);
    report.bytes = meter.bytes();
    Ok(meter.content_hash())
}

/// One Scarf event whose `id` has the key `key`.
fn scarf_event<'a>(
    e: ScarfEvent<'a>,
    key: u128,
    rules: &Rules,
    seen: &mut SeenIds,
    counts: &mut Counts,
    emit: &mut impl FnMut(Outcome<'a>, &mut Counts) -> Result<(), IngestError>,
) -> Result<(), IngestError> {
    if !seen.first(key) {
        counts.dropped(DropReason::DuplicateId);
        return Ok(());
    }
    emit(scarf::classify(e, rules), counts)
}
