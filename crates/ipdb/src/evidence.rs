//! Why an address was given its network type: the signal that decided,
//! shown as `ip_company(ip)['source']['why']`.

use std::fmt;

/// The deciding signal of a network type, in the resolver's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Evidence {
    /// A user override range.
    Override,
    /// GeoIP2-Anonymous-IP flags (VPN, Tor, proxy, hosting).
    AnonymousIp,
    /// A declared type: Enterprise `user_type` or IPinfo `type`.
    DeclaredType,
    /// The built-in cloud/CI ASN list or `extra_hosting_asns`.
    HostingAsn,
    /// An education or government domain.
    InstitutionDomain,
    /// An education or government word in the organisation name.
    InstitutionName,
    /// GeoIP2-Connection-Type.
    ConnectionType,
    /// An ISP record naming an organisation other than the ISP: a
    /// customer inside the access provider's space.
    IspCustomer,
    /// `extra_business_asns` in the configuration.
    BusinessAsn,
    /// The built-in access ASN list or `extra_isp_asns`.
    AccessAsn,
    /// Access-provider vocabulary in the names, with no business word.
    AccessName,
    /// An access provider's domain.
    AccessDomain,
    /// A network its organisation runs itself, with no access evidence.
    OwnNetwork,
    /// An ISP record naming no organisation.
    IspRecord,
}

impl Evidence {
    /// Every value, in the resolver's order.
    pub const ALL: [Evidence; 14] = [
        Self::Override,
        Self::AnonymousIp,
        Self::DeclaredType,
        Self::HostingAsn,
        Self::InstitutionDomain,
        Self::InstitutionName,
        Self::ConnectionType,
        Self::IspCustomer,
        Self::BusinessAsn,
        Self::AccessAsn,
        Self::AccessName,
        Self::AccessDomain,
        Self::OwnNetwork,
        Self::IspRecord,
    ];

    /// The lower-case name used in SQL results.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Override => "override",
            Self::AnonymousIp => "anonymous_ip",
            Self::DeclaredType => "declared_type",
            Self::HostingAsn => "hosting_asn",
            Self::InstitutionDomain => "institution_domain",
            Self::InstitutionName => "institution_name",
            Self::ConnectionType => "connection_type",
            Self::IspCustomer => "isp_customer",
            Self::BusinessAsn => "business_asn",
            Self::AccessAsn => "access_asn",
            Self::AccessName => "access_name",
            Self::AccessDomain => "access_domain",
            Self::OwnNetwork => "own_network",
            Self::IspRecord => "isp_record",
        }
    }
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
