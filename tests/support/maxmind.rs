//! Where MaxMind's official test databases are (`tests/data/maxmind/` at
//! the repository root). One helper for every crate's tests: it is included
//! by `#[path]` and walks up from the package being tested.

use std::path::PathBuf;

/// `tests/data/maxmind` of the repository.
///
/// # Panics
/// When no parent folder of the package holds it (a broken checkout).
pub fn maxmind_root() -> PathBuf {
    // the package's folder when the test runs (cargo sets it); a build
    // cache shared between clones keeps the compile-time one
    let package = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| env!("CARGO_MANIFEST_DIR").into(), PathBuf::from);
    package
        .ancestors()
        .map(|d| d.join("tests/data/maxmind"))
        .find(|d| d.join("test-data").is_dir())
        .unwrap_or_else(|| panic!("tests/data/maxmind not found above {}", package.display()))
}

/// The folder of the `.mmdb` files.
pub fn maxmind_dir() -> PathBuf {
    maxmind_root().join("test-data")
}

/// A test database by name, without `.mmdb` (`GeoIP2-ISP-Test`).
pub fn maxmind(name: &str) -> PathBuf {
    maxmind_dir().join(format!("{name}.mmdb"))
}
