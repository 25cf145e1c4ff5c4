//! What one database says about one address, decoded leniently.

use crate::DbKind;
use crate::evidence::Evidence;
use crate::lenient::{Asn, Flag};
use crate::network_type::NetworkType;
use serde::Deserialize;
use std::sync::Arc;

/// The fields leadlake reads, across every supported database layout. The
/// strings borrow from the memory-mapped file; unknown keys are skipped.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RawRecord<'a> {
    autonomous_system_number: Asn,
    #[serde(borrow)]
    autonomous_system_organization: Option<&'a str>,
    #[serde(borrow)]
    isp: Option<&'a str>,
    #[serde(borrow)]
    organization: Option<&'a str>,
    #[serde(borrow)]
    domain: Option<&'a str>,
    #[serde(borrow)]
    connection_type: Option<&'a str>,
    #[serde(borrow)]
    user_type: Option<&'a str>,
    is_anonymous: Flag,
    is_anonymous_vpn: Flag,
    is_hosting_provider: Flag,
    is_public_proxy: Flag,
    is_residential_proxy: Flag,
    is_tor_exit_node: Flag,
    /// GeoIP2-Enterprise keeps its company data here.
    #[serde(borrow)]
    traits: Option<Box<RawRecord<'a>>>,
    // IPinfo layouts.
    asn: Asn,
    #[serde(borrow)]
    name: Option<&'a str>,
    #[serde(borrow)]
    as_name: Option<&'a str>,
    #[serde(borrow)]
    as_domain: Option<&'a str>,
    #[serde(borrow, rename = "type")]
    kind: Option<&'a str>,
}

/// Whose network an ISP-style record describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ownership {
    /// An organisation other than the ISP: a customer in its space.
    Customer,
    /// The organisation is the ISP itself: its own network, an access
    /// provider's or a company's. `access` is what its names say
    /// ([`Evidence::AccessName`]); the domain may be another database's.
    Own { access: Option<Evidence> },
    /// An ISP name and no organisation.
    IspOnly,
}

/// One database's record for one address: the fields leadlake reads,
/// owned and normalised, and the signals judged from them once per record.
/// Empty strings are treated as absent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DatabaseRecord {
    pub company: Option<Arc<str>>,
    /// [`crate::company_key`] of `company`, computed once per record.
    pub company_key: Option<Arc<str>>,
    pub domain: Option<Arc<str>>,
    pub asn: Option<u32>,
    pub asn_org: Option<Arc<str>>,
    pub isp: Option<Arc<str>>,
    /// An explicit network type (Enterprise `user_type`, IPinfo `type`).
    pub declared_type: Option<NetworkType>,
    /// From the Anonymous-IP flags: `anonymous` or `hosting`.
    pub anonymity: Option<NetworkType>,
    /// From `connection_type`.
    pub connection: Option<NetworkType>,
    /// From an ISP-style record: whose network this is (see [`Ownership`]).
    pub ownership: Option<Ownership>,
    /// Education or government as judged from `domain`, computed once
    /// per record rather than per address.
    pub domain_institution: Option<NetworkType>,
    /// `domain` is an access provider's (see [`crate::access`]), judged
    /// once per record.
    pub domain_access: bool,
    /// The same, judged from the words of `company`.
    pub name_institution: Option<NetworkType>,
}

fn text(s: Option<&str>) -> Option<Arc<str>> {
    s.map(str::trim).filter(|s| !s.is_empty()).map(Arc::from)
}

impl DatabaseRecord {
    /// What the names say of an own network.
    fn access_evidence(&self) -> Option<Evidence> {
        let names = [&self.company, &self.isp, &self.asn_org];
        names
            .iter()
            .any(|n| n.as_deref().is_some_and(crate::access::access_name))
            .then_some(Evidence::AccessName)
    }
}

impl RawRecord<'_> {
    /// Interpret the record according to the database kind it came from.
    pub(crate) fn into_record(self, kind: DbKind) -> DatabaseRecord {
        let mut record = self.interpret(kind);
        record.company_key = record
            .company
            .as_deref()
            .and_then(crate::company::company_key)
            .map(Arc::from);
        // names without a letter or digit ("...", "-") name nobody
        let isp_key = record.isp.as_deref().and_then(crate::company::company_key);
        record.ownership = match (&record.company_key, isp_key) {
            (Some(org), Some(isp)) if **org == *isp => Some(Ownership::Own {
                access: record.access_evidence(),
            }),
            (Some(_), Some(_)) => Some(Ownership::Customer),
            (None, Some(_)) => Some(Ownership::IspOnly),
            _ => None,
        };
        if let Some(d) = &record.domain
            && d.bytes().any(|b| b.is_ascii_uppercase())
        {
            record.domain = Some(Arc::from(d.to_ascii_lowercase()));
        }
        record.domain_institution = record.domain.as_deref().and_then(NetworkType::from_domain);
        record.domain_access = record
            .domain
            .as_deref()
            .is_some_and(crate::access::access_domain);
        record.name_institution = record
            .company
            .as_deref()
            .and_then(NetworkType::from_org_name);
        record
    }

    fn interpret(self, kind: DbKind) -> DatabaseRecord {
        match kind {
            DbKind::Enterprise => match self.traits {
                Some(t) => t.interpret(DbKind::Isp),
                None => DatabaseRecord::default(),
            },
            DbKind::Isp | DbKind::Asn | DbKind::Domain | DbKind::ConnectionType => DatabaseRecord {
                company: text(self.organization),
                company_key: None,
                domain: text(self.domain),
                asn: self.autonomous_system_number.0,
                asn_org: text(self.autonomous_system_organization),
                isp: text(self.isp),
                declared_type: self.user_type.and_then(NetworkType::from_user_type),
                anonymity: None,
                connection: self
                    .connection_type
                    .and_then(NetworkType::from_connection_type),
                ..DatabaseRecord::default()
            },
            DbKind::AnonymousIp => {
                let anonymous = [
                    self.is_anonymous,
                    self.is_anonymous_vpn,
                    self.is_public_proxy,
                    self.is_residential_proxy,
                    self.is_tor_exit_node,
                ]
                .iter()
                .any(|f| f.0);
                let anonymity = if anonymous {
                    Some(NetworkType::Anonymous)
                } else if self.is_hosting_provider.0 {
                    Some(NetworkType::Hosting)
                } else {
                    None
                };
                DatabaseRecord {
                    anonymity,
                    ..DatabaseRecord::default()
                }
            }
            DbKind::IpinfoCompany => DatabaseRecord {
                company: text(self.name),
                domain: text(self.domain),
                asn: self.asn.0,
                asn_org: text(self.as_name),
                declared_type: self.kind.and_then(NetworkType::from_user_type),
                ..DatabaseRecord::default()
            },
            DbKind::IpinfoAsn => DatabaseRecord {
                asn: self.asn.0,
                asn_org: text(self.name.or(self.as_name)),
                domain: text(self.domain.or(self.as_domain)),
                declared_type: self.kind.and_then(NetworkType::from_user_type),
                ..DatabaseRecord::default()
            },
        }
    }
}
