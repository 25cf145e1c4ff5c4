//! The answer for one address.

use crate::evidence::Evidence;
use crate::network_type::NetworkType;
use ipnet::IpNet;
use std::sync::Arc;

/// Which source supplied each field of a [`Resolution`]: a database's
/// `database_type` (e.g. `GeoIP2-ISP`), `override`, or `builtin` (the
/// built-in cloud ASN list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sources<S = Arc<str>> {
    pub company: Option<S>,
    pub domain: Option<S>,
    pub asn: Option<S>,
    pub network_type: Option<S>,
    /// Which signal decided the network type.
    pub why: Option<Evidence>,
}

impl<S> Default for Sources<S> {
    fn default() -> Self {
        Self {
            company: None,
            domain: None,
            asn: None,
            network_type: None,
            why: None,
        }
    }
}

/// Everything leadlake knows about one address. Its texts are shared
/// (`Arc<str>`), or, in a [`ResolutionRef`], borrowed from the resolver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution<S = Arc<str>> {
    /// The organisation the address belongs to, as the source spells it.
    pub company: Option<S>,
    /// The grouping key of `company` (see [`crate::company_key`]); the
    /// domain when there is no name (or it normalises to nothing).
    pub company_key: Option<S>,
    /// The organisation's domain, lower-case.
    pub domain: Option<S>,
    pub asn: Option<u32>,
    pub asn_org: Option<S>,
    /// The network of the answer (of the source that named the company, else
    /// the domain, else the ASN, else the source that decided the network type).
    pub network: Option<IpNet>,
    pub network_type: NetworkType,
    pub sources: Sources<S>,
}

/// An answer whose texts are borrowed from the resolver's decoded records
/// (no reference counting): for callers that copy the texts at once.
pub type ResolutionRef<'a> = Resolution<&'a Arc<str>>;

impl ResolutionRef<'_> {
    /// The same answer, owning (sharing) its texts.
    pub fn to_owned(&self) -> Resolution {
        let own = |s: Option<&Arc<str>>| s.map(Arc::clone);
        Resolution {
            company: own(self.company),
            company_key: own(self.company_key),
            domain: own(self.domain),
            asn: self.asn,
            asn_org: own(self.asn_org),
            network: self.network,
            network_type: self.network_type,
            sources: Sources {
                company: own(self.sources.company),
                domain: own(self.sources.domain),
                asn: own(self.sources.asn),
                network_type: own(self.sources.network_type),
                why: self.sources.why,
            },
        }
    }
}

impl<S> Default for Resolution<S> {
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
