//! leadlake's SQL functions for Apache DataFusion.
//!
//! Functions that hold a resource (an open database) are built from an
//! [`AddressTable`], itself built from a serializable
//! [`leadlake_ipdb::IpdbConfig`], so another process can rebuild the same
//! functions by name. Stateless functions are shared instances.

pub(crate) mod args;
pub mod ip;
pub mod journey;
#[cfg(test)]
#[path = "../../../tests/support/maxmind.rs"]
mod test_data;

pub use ip::AddressTable;
pub use leadlake_funnel::{Funnel, FunnelConfig};

use datafusion::catalog::TableFunctionImpl;
use datafusion::common::{Result, plan_err};
use datafusion::logical_expr::{AggregateUDF, ScalarUDF, WindowUDF};
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

/// Every scalar function, those answering from `table` or under the
/// rules of `funnel` included.
pub fn scalar_functions(table: &Arc<AddressTable>, funnel: &Arc<Funnel>) -> Vec<Arc<ScalarUDF>> {
    use journey::*;
    vec![
        ip_company_udf(table),
        ip_asn_udf(table),
        ip_domain_udf(table),
        ip_network_type_udf(table),
        ip_anonymize_udf(),
        ip_hash_udf(),
        Arc::new(ScalarUDF::new_from_impl(
            ip::company_key::CompanyKeyFunc::new(),
        )),
        Arc::new(ScalarUDF::new_from_impl(page_class::PageClassFunc::new(
            Arc::clone(funnel),
        ))),
        Arc::new(ScalarUDF::new_from_impl(ua_info::UaInfoFunc::new())),
        Arc::new(ScalarUDF::new_from_impl(source_key::SourceKeyFunc::new(
            Arc::clone(funnel),
        ))),
        Arc::new(ScalarUDF::new_from_impl(
            version_newer::VersionNewerFunc::with_default_scheme(funnel.config.version_scheme),
        )),
        Arc::new(ScalarUDF::new_from_impl(
            version_parse::VersionParseFunc::with_default_scheme(funnel.config.version_scheme),
        )),
    ]
}

/// Every aggregate function, under the rules of `funnel`.
pub fn aggregate_functions(funnel: &Arc<Funnel>) -> Vec<Arc<AggregateUDF>> {
    use journey::*;
    let f = || Arc::clone(funnel);
    vec![
        Arc::new(AggregateUDF::new_from_impl(
            journey_stage::JourneyStageFunc::new(f()),
        )),
        Arc::new(AggregateUDF::new_from_impl(
            activity_tiers::ActivityTiersFunc::new(f()),
        )),
        Arc::new(AggregateUDF::new_from_impl(lead_score::LeadScoreFunc::new(
            f(),
        ))),
        Arc::new(AggregateUDF::new_from_impl(
            active_installs::ActiveInstallsFunc::new(f()),
        )),
        Arc::new(AggregateUDF::new_from_impl(
            journey_activity::JourneyActivityFunc::new(f()),
        )),
        Arc::new(AggregateUDF::new_from_impl(
            company_journey::CompanyJourneyFunc::new(f()),
        )),
        Arc::new(AggregateUDF::new_from_impl(
            version_upgrades::VersionUpgradesFunc::with_default_scheme(
                funnel.config.version_scheme,
            ),
        )),
        Arc::new(AggregateUDF::new_from_impl(
            stage_timeline::StageTimelineFunc::new(f()),
        )),
        Arc::new(AggregateUDF::new_from_impl(
            version_max::VersionMaxFunc::with_default_scheme(funnel.config.version_scheme),
        )),
        Arc::new(AggregateUDF::new_from_impl(
            crate::ip::network_spread::NetworkSpreadFunc::new(),
        )),
    ]
}

/// The optimizer rule that turns several journey aggregates over the same
/// arguments into one `company_journey` (see [`journey::fuse`]).
pub fn fuse_journey_rule(funnel: &Arc<Funnel>) -> journey::fuse::FuseJourneyAggregates {
    use journey::*;
    let f = || Arc::clone(funnel);
    let udaf = |f: AggregateUDF| Arc::new(f);
    journey::fuse::FuseJourneyAggregates::new(
        vec![
            (
                udaf(AggregateUDF::new_from_impl(
                    journey_stage::JourneyStageFunc::new(f()),
                )),
                journey_stage::JourneyStageFunc::OUTPUT,
            ),
            (
                udaf(AggregateUDF::new_from_impl(lead_score::LeadScoreFunc::new(
                    f(),
                ))),
                lead_score::LeadScoreFunc::OUTPUT,
            ),
            (
                udaf(AggregateUDF::new_from_impl(
                    activity_tiers::ActivityTiersFunc::new(f()),
                )),
                activity_tiers::ActivityTiersFunc::OUTPUT,
            ),
            (
                udaf(AggregateUDF::new_from_impl(
                    active_installs::ActiveInstallsFunc::new(f()),
                )),
                active_installs::ActiveInstallsFunc::OUTPUT,
            ),
            (
                udaf(AggregateUDF::new_from_impl(
                    journey_activity::JourneyActivityFunc::new(f()),
                )),
                journey_activity::JourneyActivityFunc::OUTPUT,
            ),
            (
                udaf(AggregateUDF::new_from_impl(
                    stage_timeline::StageTimelineFunc::new(f()),
                )),
                stage_timeline::StageTimelineFunc::OUTPUT,
            ),
        ],
        (
            udaf(AggregateUDF::new_from_impl(
                company_journey::CompanyJourneyFunc::new(f()),
            )),
            company_journey::CompanyJourneyFunc::OUTPUT,
        ),
    )
}

/// Every window function.
pub fn window_functions() -> Vec<Arc<WindowUDF>> {
    use journey::*;
    vec![
        Arc::new(WindowUDF::new_from_impl(session_id::SessionIdFunc::new())),
        Arc::new(WindowUDF::new_from_impl(
            session_start::SessionStartFunc::new(),
        )),
        Arc::new(WindowUDF::new_from_impl(session_end::SessionEndFunc::new())),
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
pub fn register_all(
    ctx: &SessionContext,
    table: &Arc<AddressTable>,
    funnel: &Arc<Funnel>,
) -> Result<()> {
    let scalars = scalar_functions(table, funnel);
    let aggregates = aggregate_functions(funnel);
    let windows = window_functions();
    let tables = table_functions();
    let mut seen = HashSet::new();
    let names = scalars
        .iter()
        .flat_map(|f| std::iter::once(f.name()).chain(f.aliases().iter().map(String::as_str)))
        .chain(aggregates.iter().map(|f| f.name()))
        .chain(windows.iter().map(|f| f.name()))
        .chain(tables.iter().map(|(n, _)| *n));
    for name in names {
        if !seen.insert(name.to_string()) {
            return plan_err!("two leadlake functions are named '{name}'");
        }
    }
    for f in scalars {
        ctx.register_udf(f.as_ref().clone());
    }
    for f in aggregates {
        ctx.register_udaf(f.as_ref().clone());
    }
    for f in windows {
        ctx.register_udwf(f.as_ref().clone());
    }
    for (name, f) in tables {
        ctx.register_udtf(name, f);
    }
    // one rule, for the functions just registered
    ctx.remove_optimizer_rule(journey::fuse::NAME);
    ctx.add_optimizer_rule(Arc::new(fuse_journey_rule(funnel)));
    Ok(())
}
