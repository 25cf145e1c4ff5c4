//! Ingest files into a fresh lake folder and print the counts and the CPU
//! time: the ingest crate alone, for profiling without building the command.
//!
//! `cargo run --release -p leadlake-ingest --example ingest_files -- OUT FILE...`
#![expect(clippy::expect_used, reason = "a tool that stops loudly")]

use leadlake_ingest::{IngestConfig, Input, ingest_dir};

fn main() {
    let mut args = std::env::args().skip(1);
    let out = args.next().expect("usage: ingest_files OUT FILE...");
    let inputs: Vec<Input> = args.map(Input::path).collect();
    let _ignored = std::fs::remove_dir_all(&out);
    let t = std::time::Instant::now();
    let report =
        ingest_dir(inputs, out.as_ref(), &IngestConfig::default(), &mut |_| {}).expect("ingest");
    eprintln!(
        "{:.3} s wall, read {}, rows {}",
        t.elapsed().as_secs_f64(),
        report.total.read,
        report.total.rows_out.total()
    );
}
