//! Which kind of database a `.mmdb` file is, read from its metadata.

use std::fmt;

/// The database kinds leadlake understands, in no particular order; see
/// [`DbKind::precedence`] for the order in which they answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum DbKind {
    /// GeoIP2-Enterprise: company, domain, ASN and user type in `traits`.
    Enterprise,
    /// IPinfo company database (`name`, `domain`, `type`).
    IpinfoCompany,
    /// GeoIP2-ISP: `organization`, `isp`, ASN.
    Isp,
    /// GeoIP2-Domain: `domain`.
    Domain,
    /// GeoLite2-ASN / GeoIP2-ASN and compatible (DB-IP ASN lite).
    Asn,
    /// IPinfo ASN or lite database (`asn`, `name`/`as_name`, `domain`/`as_domain`, `type`).
    IpinfoAsn,
    /// GeoIP2-Connection-Type: `connection_type`.
    ConnectionType,
    /// GeoIP2-Anonymous-IP: VPN, Tor, proxy and hosting flags.
    AnonymousIp,
}

impl DbKind {
    /// Human list of what is accepted, for error messages.
    pub const SUPPORTED: &'static str = "GeoIP2-Enterprise, GeoIP2-ISP, GeoIP2-Domain, GeoLite2-ASN, \
        GeoIP2-Connection-Type, GeoIP2-Anonymous-IP and IPinfo company/ASN databases";

    /// Detect the kind from the metadata's `database_type`; `None` for kinds
    /// without company data (City, Country, ...).
    pub fn detect(database_type: &str) -> Option<Self> {
        let t = database_type.to_ascii_lowercase();
        if t.starts_with("ipinfo") {
            return if t.contains("company") {
                Some(Self::IpinfoCompany)
            } else if t.contains("asn") || t.contains("lite") {
                Some(Self::IpinfoAsn)
            } else {
                None
            };
        }
        if t.contains("enterprise") {
            Some(Self::Enterprise)
        } else if t.contains("connection-type") {
            Some(Self::ConnectionType)
        } else if t.contains("anonymous-ip") {
            Some(Self::AnonymousIp)
        } else if t.contains("isp") {
            Some(Self::Isp)
        } else if t.contains("domain") {
            Some(Self::Domain)
        } else if t.contains("asn") {
            Some(Self::Asn)
        } else {
            None
        }
    }

    /// Lower answers first. Overrides come before every database; then the
    /// company databases (Enterprise, IPinfo company, ISP, Domain); then ASN
    /// data; the two flag databases only add network-type signals.
    pub fn precedence(self) -> u8 {
        match self {
            Self::Enterprise => 1,
            Self::IpinfoCompany => 2,
            Self::Isp => 3,
            Self::Domain => 4,
            Self::Asn => 5,
            Self::IpinfoAsn => 6,
            Self::AnonymousIp => 7,
            Self::ConnectionType => 8,
        }
    }
}

impl fmt::Display for DbKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Enterprise => "enterprise",
            Self::IpinfoCompany => "ipinfo_company",
            Self::Isp => "isp",
            Self::Domain => "domain",
            Self::Asn => "asn",
            Self::IpinfoAsn => "ipinfo_asn",
            Self::ConnectionType => "connection_type",
            Self::AnonymousIp => "anonymous_ip",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_known_types() {
        let cases = [
            ("GeoIP2-Enterprise", Some(DbKind::Enterprise)),
            ("GeoIP2-ISP", Some(DbKind::Isp)),
            ("GeoIP2-Domain", Some(DbKind::Domain)),
            ("GeoLite2-ASN", Some(DbKind::Asn)),
            ("DBIP-ASN-Lite (compat=GeoLite2-ASN)", Some(DbKind::Asn)),
            ("GeoIP2-Connection-Type", Some(DbKind::ConnectionType)),
            ("GeoIP2-Anonymous-IP", Some(DbKind::AnonymousIp)),
            ("ipinfo standard_company.mmdb", Some(DbKind::IpinfoCompany)),
            ("ipinfo asn.mmdb", Some(DbKind::IpinfoAsn)),
            ("ipinfo_lite.mmdb", Some(DbKind::IpinfoAsn)),
            ("GeoIP2-City", None),
            ("GeoLite2-Country", None),
            ("ipinfo location.mmdb", None),
        ];
        for (t, want) in cases {
            assert_eq!(DbKind::detect(t), want, "{t}");
        }
    }
}
