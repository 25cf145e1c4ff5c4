//! The `leadlake` command as a library, so the integration tests can reach
//! the demo data it writes. Embedders use the `leadlake` crate
//! (`crates/leadlake`), which depends on none of this.

pub mod atomic_file;
pub mod cli;
pub mod demo;
pub mod error;
