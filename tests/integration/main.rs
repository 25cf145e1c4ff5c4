//! Integration tests of the leadlake library and binary, grouped by theme.

#[path = "../support/mod.rs"]
mod support;

mod cli;
mod docs;
mod enrichment;
mod registry;
