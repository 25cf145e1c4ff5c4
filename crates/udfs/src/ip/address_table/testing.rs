//! A table over MaxMind's ISP test database, for the tests of the
//! address table's parts.

use super::AddressTable;
use leadlake_ipdb::{IpdbConfig, Resolver};
use std::sync::Arc;

fn isp_test_db() -> std::path::PathBuf {
    crate::test_data::maxmind("GeoIP2-ISP-Test")
}

/// A table over the ISP test database, and the first `n` of its
/// networks as address texts.
pub(super) fn isp_table(n: usize) -> (Arc<Resolver>, AddressTable, Vec<String>) {
    let resolver = Arc::new(
        Resolver::open(IpdbConfig::with_databases([isp_test_db()])).expect("open test db"),
    );
    let table = AddressTable::new(Arc::clone(&resolver));
    let addresses = resolver.databases()[0]
        .networks()
        .expect("networks")
        .into_iter()
        .map(|(net, _, _)| net.network().to_string())
        .take(n)
        .collect();
    (resolver, table, addresses)
}
