//! Integration tests of the leadlake library and binary, grouped by theme.

#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

#[path = "../support/mod.rs"]
mod support;

#[path = "../../crates/lake/tests/moto/mod.rs"]
mod moto;

mod cli;
mod docs;
mod enrichment;
mod journey;
mod lake;
mod registry;
mod run;
mod workflow;
