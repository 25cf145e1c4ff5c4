//! leadlake's SQL functions for Apache DataFusion.
//!
//! Functions that hold a resource (an open database) are built from an
//! [`AddressTable`], itself built from a serializable
//! [`leadlake_ipdb::IpdbConfig`], so another process can rebuild the same
//! functions by name. Stateless functions are shared instances.

pub mod ip;

pub use ip::AddressTable;

use datafusion::catalog::TableFunctionImpl;
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::ScalarUDF;
use datafusion::prelude::SessionContext;
use std::collections::HashSet;
use std::sync::{Arc, LazyLock};

static IP_ANONYMIZE: LazyLock<Arc<ScalarUDF>> = LazyLock::new(|| {
    Arc::new(ScalarUDF::new_from_impl(
        ip::ip_anonymize::IpAnonymizeFunc::new(),
    ))
});
static IP_HASH: LazyLock<Arc<ScalarUDF>> =
    LazyLock::new(|| Arc::new(ScalarUDF::new_from_impl(ip::ip_hash::IpHashFunc::new())));

/// `ip_anonymize` (shared instance).
pub fn ip_anonymize_udf() -> Arc<ScalarUDF> {
    Arc::clone(&IP_ANONYMIZE)
}

/// `ip_hash` (shared instance).
pub fn ip_hash_udf() -> Arc<ScalarUDF> {
    Arc::clone(&IP_HASH)
}

/// `ip_company`, answering from `table`.
pub fn ip_company_udf(table: &Arc<AddressTable>) -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(
        ip::ip_company::IpCompanyFunc::new(Arc::clone(table)),
    ))
}

/// `ip_asn`, answering from `table`.
pub fn ip_asn_udf(table: &Arc<AddressTable>) -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(ip::ip_asn::IpAsnFunc::new(
        Arc::clone(table),
    )))
}

/// `ip_domain`, answering from `table`.
pub fn ip_domain_udf(table: &Arc<AddressTable>) -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(ip::ip_domain::IpDomainFunc::new(
        Arc::clone(table),
    )))
}

/// `ip_network_type`, answering from `table`.
pub fn ip_network_type_udf(table: &Arc<AddressTable>) -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(
        ip::ip_network_type::IpNetworkTypeFunc::new(Arc::clone(table)),
    ))
}

/// Every scalar function, those answering from `table` included.
pub fn scalar_functions(table: &Arc<AddressTable>) -> Vec<Arc<ScalarUDF>> {
    vec![
        ip_company_udf(table),
        ip_asn_udf(table),
        ip_domain_udf(table),
        ip_network_type_udf(table),
        ip_anonymize_udf(),
        ip_hash_udf(),
    ]
}

/// Every table function, by SQL name.
pub fn table_functions() -> Vec<(&'static str, Arc<dyn TableFunctionImpl>)> {
    vec![("ip_networks", Arc::new(ip::ip_networks::IpNetworksFunc))]
}

/// Register every leadlake function in `ctx`. A function of the same name
/// registered earlier is replaced.
///
/// # Errors
/// Refuses to register two leadlake functions under one name.
pub fn register_all(ctx: &SessionContext, table: &Arc<AddressTable>) -> Result<()> {
    let scalars = scalar_functions(table);
    let tables = table_functions();
    let mut seen = HashSet::new();
    let names = scalars
        .iter()
        .flat_map(|f| std::iter::once(f.name()).chain(f.aliases().iter().map(String::as_str)))
        .chain(tables.iter().map(|(n, _)| *n));
    for name in names {
        if !seen.insert(name.to_string()) {
            return plan_err!("two leadlake functions are named '{name}'");
        }
    }
    for f in scalars {
        ctx.register_udf(f.as_ref().clone());
    }
    for (name, f) in tables {
        ctx.register_udtf(name, f);
    }
    Ok(())
}
