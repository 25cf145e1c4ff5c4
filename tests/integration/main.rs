//! Integration tests of the leadlake library and binary, grouped by theme.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails loudly on purpose"
)]

#[path = "../support/mod.rs"]
mod support;

#[expect(dead_code, reason = "shared by several test crates, each using a part")]
#[path = "../../crates/lake/tests/moto/mod.rs"]
mod moto;

mod cli;
mod docs;
mod enrichment;
mod ingest;
mod journey;
mod lake;
mod no_panic;
mod registry;
mod report;
mod run;
mod sources;
mod workflow;
