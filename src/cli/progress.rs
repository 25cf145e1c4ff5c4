//! A progress line on stderr while a query reads the lake: files opened
//! of files planned, and the time so far. Only on a terminal, only after
//! the first second, and erased when the query ends, so piped output and
//! logs never see it.

use datafusion::prelude::SessionContext;
use leadlake::lake::EventsTable;
use leadlake::lake::progress::ScanProgress;
use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Shows the line until dropped.
pub struct ProgressLine {
    task: Option<tokio::task::JoinHandle<()>>,
    /// A line was written and must be erased.
    shown: Arc<AtomicBool>,
}

impl ProgressLine {
    /// Start showing the progress of the lake registered in `ctx` (none
    /// when there is no lake or stderr is not a terminal).
    pub async fn start(ctx: &SessionContext) -> Self {
        let progress = match ctx.table_provider(leadlake::lake::EVENTS).await {
            Ok(t) => t.downcast_ref::<EventsTable>().map(EventsTable::progress),
            Err(_) => None,
        };
        let shown = Arc::new(AtomicBool::new(false));
        let task = progress
            .filter(|_| std::io::stderr().is_terminal())
            .map(|p| tokio::spawn(show(p, Arc::clone(&shown))));
        Self { task, shown }
    }
}

async fn show(progress: Arc<ScanProgress>, shown: Arc<AtomicBool>) {
    let before = progress.snapshot();
    let start = Instant::now();
    tokio::time::sleep(Duration::from_secs(1)).await;
    loop {
        let now = progress.since(before);
        let line = format!(
            "\r\x1b[2Klake: {} of {} files opened, {:.0} s",
            now.opened.min(now.planned),
            now.planned,
            start.elapsed().as_secs_f64()
        );
        // a terminal that cannot take the line is no reason to fail
        let _ = write_line(line.as_bytes());
        shown.store(true, Ordering::Relaxed);
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

fn write_line(bytes: &[u8]) -> std::io::Result<()> {
    let mut err = std::io::stderr().lock();
    err.write_all(bytes)?;
    err.flush()
}

impl Drop for ProgressLine {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            if self.shown.load(Ordering::Relaxed) {
                let _ = std::io::stderr().write_all(b"\r\x1b[2K");
            }
        }
    }
}
