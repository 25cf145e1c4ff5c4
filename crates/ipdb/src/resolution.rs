//! The answer for one address.

use crate::network_type::NetworkType;
use ipnet::IpNet;
use std::sync::Arc;

/// Which source supplied each field of a [`Resolution`]: a database's
/// `database_type` (e.g. `GeoIP2-ISP`), `override`, or `builtin` (the
/// built-in cloud ASN list).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sources {
    pub company: Option<Arc<str>>,
    pub domain: Option<Arc<str>>,
    pub asn: Option<Arc<str>>,
    pub network_type: Option<Arc<str>>,
}

/// Everything leadlake knows about one address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// The organisation the address belongs to, as the source spells it.
    pub company: Option<Arc<str>>,
    /// The grouping key of `company` (see [`crate::company_key`]).
    pub company_key: Option<Arc<str>>,
    /// The organisation's domain, lower-case.
    pub domain: Option<Arc<str>>,
    pub asn: Option<u32>,
    pub asn_org: Option<Arc<str>>,
    /// The network of the answer (of the source that named the company, else
    /// the domain, else the ASN, else the source that decided the network type).
    pub network: Option<IpNet>,
    pub network_type: NetworkType,
    pub sources: Sources,
}

impl Default for Resolution {
    fn default() -> Self {
        Self {
            company: None,
            company_key: None,
            domain: None,
            asn: None,
            asn_org: None,
            network: None,
            network_type: NetworkType::Unknown,
            sources: Sources::default(),
        }
    }
}

impl Resolution {
    /// Does this answer make a company lead? Only business networks (and
    /// overrides marked business) with a known company do.
    pub fn is_lead(&self) -> bool {
        self.network_type == NetworkType::Business && self.company_key.is_some()
    }
}
