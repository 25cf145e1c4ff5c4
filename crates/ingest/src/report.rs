//! What a run did, per input and in total, as numbers a person can check:
//! for each input `read = parsed + malformed` and
//! `parsed = dropped (all reasons) + rows_out (all kinds)`.
//! Serializes to JSON for `--report FILE`.

use crate::format::Format;
use crate::row::{DropReason, Kind, Malformed};
use serde::Serialize;
use std::collections::BTreeMap;

/// How many malformed lines are listed by number per input.
pub const MALFORMED_EXAMPLES: usize = 5;

/// Rows dropped, by reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Dropped {
    pub duplicate_id: u64,
    pub dnt: u64,
    /// HTTP status → count.
    pub status: BTreeMap<u16, u64>,
    pub method: u64,
    pub asset: u64,
    pub unmappable_type: u64,
}

impl Dropped {
    /// All drops.
    pub fn total(&self) -> u64 {
        self.duplicate_id
            + self.dnt
            + self.status.values().sum::<u64>()
            + self.method
            + self.asset
            + self.unmappable_type
    }

    fn add(&mut self, other: &Dropped) {
        self.duplicate_id += other.duplicate_id;
        self.dnt += other.dnt;
        for (code, n) in &other.status {
            *self.status.entry(*code).or_default() += n;
        }
        self.method += other.method;
        self.asset += other.asset;
        self.unmappable_type += other.unmappable_type;
    }
}

/// Rows written, by kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RowsOut {
    pub download: u64,
    pub docs_view: u64,
    pub page_view: u64,
    pub call_home: u64,
}

impl RowsOut {
    /// All rows written.
    pub fn total(&self) -> u64 {
        self.download + self.docs_view + self.page_view + self.call_home
    }

    fn slot(&mut self, kind: Kind) -> &mut u64 {
        match kind {
            Kind::Download => &mut self.download,
            Kind::DocsView => &mut self.docs_view,
            Kind::PageView => &mut self.page_view,
            Kind::CallHome => &mut self.call_home,
        }
    }
}

/// One malformed line: where and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MalformedLine {
    pub line: u64,
    pub reason: String,
}

/// Counts for one input, or for the run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Data lines or records read (not counting headers, `#` comment lines
    /// of CloudFront logs, and blank lines).
    pub read: u64,
    /// Read and understood.
    pub parsed: u64,
    /// Read and not understood.
    pub malformed: u64,
    /// The first few malformed lines (per input; empty in the total).
    pub malformed_lines: Vec<MalformedLine>,
    /// Blank lines, skipped.
    pub blank: u64,
    pub dropped: Dropped,
    pub rows_out: RowsOut,
}

impl Counts {
    pub(crate) fn malformed(&mut self, line: u64, why: &Malformed) {
        self.read += 1;
        self.malformed += 1;
        if self.malformed_lines.len() < MALFORMED_EXAMPLES {
            self.malformed_lines.push(MalformedLine {
                line,
                reason: why.to_string(),
            });
        }
    }

    pub(crate) fn dropped(&mut self, why: DropReason) {
        self.read += 1;
        self.parsed += 1;
        let d = &mut self.dropped;
        match why {
            DropReason::DuplicateId => d.duplicate_id += 1,
            DropReason::Dnt => d.dnt += 1,
            DropReason::Status(code) => *d.status.entry(code).or_default() += 1,
            DropReason::Method => d.method += 1,
            DropReason::Asset => d.asset += 1,
            DropReason::UnmappableType => d.unmappable_type += 1,
        }
    }

    pub(crate) fn row(&mut self, kind: Kind) {
        self.read += 1;
        self.parsed += 1;
        *self.rows_out.slot(kind) += 1;
    }

    fn add(&mut self, other: &Counts) {
        self.read += other.read;
        self.parsed += other.parsed;
        self.malformed += other.malformed;
        self.blank += other.blank;
        self.dropped.add(&other.dropped);
        let r = &other.rows_out;
        for (kind, n) in [
            (Kind::Download, r.download),
            (Kind::DocsView, r.docs_view),
            (Kind::PageView, r.page_view),
            (Kind::CallHome, r.call_home),
        ] {
            *self.rows_out.slot(kind) += n;
        }
    }
}

/// One input's part of the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InputReport {
    /// The input's name (its identity in the lake).
    pub name: String,
    /// The format read (detected when `auto`); `None` for an empty input.
    pub format: Option<Format>,
    pub gzip: bool,
    /// Bytes read from the input as stored (compressed if gzip).
    pub bytes: u64,
    pub counts: Counts,
    /// Files written, relative to the lake root.
    pub files: Vec<String>,
}

/// The whole run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub inputs: Vec<InputReport>,
    pub total: Counts,
    /// Files of earlier ingests of the same input names that this run
    /// replaced and removed, relative to the lake root.
    pub removed: Vec<String>,
}

impl Report {
    pub(crate) fn push(&mut self, input: InputReport) {
        self.total.add(&input.counts);
        self.inputs.push(input);
    }
}
