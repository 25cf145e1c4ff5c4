//! The view `company_events`: every event of `events` with the company it
//! belongs to and the source it came from, whatever kind of lake it is.
//!
//! A row that carries its own company (a Scarf export names it, and keeps
//! no address) is taken at its word; any other row is resolved from its
//! address with `ip_company`. The canned queries read this view, so the
//! precedence is written once (`docs/lake.md`).

use datafusion::prelude::SessionContext;

/// The view's name.
pub const COMPANY_EVENTS: &str = "company_events";

/// The view, over the table `events`:
///
/// - `known`: the row names its own `company` or `domain`;
/// - `company_key`, `company`, `domain`, `network_type`: the row's own
///   (`company_key(company)`, else the lower-case domain; a row naming a
///   company without a network type is `business`), else `ip_company(ip)`'s
///   (`network_type` from `ip_network_type(ip)`, the same field: queries
///   filter on it, and DataFusion moves the filter below this view's
///   projection, where `ip_company` would build its whole struct for
///   rows the filter drops);
/// - `why`: `event` for a row's own company, else `ip_company`'s
///   `source.why`;
/// - `source`: `source_key(ip, user_agent)` (the address or its IPv6
///   network, and the client family: `docs/funnel.md#sources`), else
///   `origin` (an anonymous id).
const SQL: &str = "CREATE OR REPLACE VIEW company_events AS
SELECT ts, kind, path, package, version, user_agent, referer, ip, origin,
       coalesce(source_key(ip, user_agent), origin) AS source,
       known,
       CASE WHEN known THEN coalesce(company_key(company), lower(domain)) ELSE c['company_key'] END AS company_key,
       CASE WHEN known THEN company ELSE c['company'] END AS company,
       CASE WHEN known THEN lower(domain) ELSE c['domain'] END AS domain,
       CASE WHEN known THEN coalesce(network_type, 'business') ELSE ip_network_type(ip) END AS network_type,
       CASE WHEN known THEN 'event' ELSE c['source']['why'] END AS why
FROM (SELECT ts, kind, path, package, version, user_agent, referer, ip, origin,
             company, domain, network_type,
             company IS NOT NULL OR domain IS NOT NULL AS known,
             ip_company(ip) AS c
      FROM events)";

/// Register `company_events` over the `events` table of `ctx` (which must
/// have leadlake's functions: [`crate::register_all`]).
///
/// # Errors
/// DataFusion's, when `events` or the functions are missing.
pub async fn register_company_events(
    ctx: &SessionContext,
) -> Result<(), datafusion::error::DataFusionError> {
    ctx.sql(SQL).await?.collect().await?;
    Ok(())
}
