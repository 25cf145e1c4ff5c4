//! How far the lake's scans have got: files planned and files opened,
//! counted since the table was registered. A caller that wants the
//! progress of one query takes a [`ScanProgress::snapshot`] before it and
//! reads the difference ([`ScanProgress::since`]); the command line shows
//! it on a terminal.

use std::sync::atomic::{AtomicU64, Ordering};

/// Counters shared by the table and the readers it plans.
#[derive(Debug, Default)]
pub struct ScanProgress {
    planned: AtomicU64,
    opened: AtomicU64,
}

/// Files of the lake planned and opened, at one instant.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Files {
    pub planned: u64,
    pub opened: u64,
}

impl ScanProgress {
    pub(crate) fn planned(&self, files: usize) {
        self.planned
            .fetch_add(u64::try_from(files).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    pub(crate) fn opened(&self) {
        self.opened.fetch_add(1, Ordering::Relaxed);
    }

    /// The counters now.
    pub fn snapshot(&self) -> Files {
        Files {
            planned: self.planned.load(Ordering::Relaxed),
            opened: self.opened.load(Ordering::Relaxed),
        }
    }

    /// Files planned and opened since `before` (a snapshot).
    pub fn since(&self, before: Files) -> Files {
        let now = self.snapshot();
        Files {
            planned: now.planned.saturating_sub(before.planned),
            opened: now.opened.saturating_sub(before.opened),
        }
    }
}
