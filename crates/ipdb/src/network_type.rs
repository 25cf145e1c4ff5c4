//! Network types: who is behind an address, in the sense that matters for
//! leads. Only `business` networks (and user overrides) make company leads.

use std::fmt;
use std::str::FromStr;

/// The kind of network an address belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NetworkType {
    /// A company's own network: the one kind that makes a lead.
    Business,
    /// Cloud, hosting, CDN and CI runners.
    Hosting,
    /// Residential, mobile and other access-provider customers.
    Isp,
    /// VPN, Tor, public or residential proxies.
    Anonymous,
    /// Universities, colleges, schools, libraries.
    Education,
    /// Government and military.
    Government,
    /// Nothing decisive is known.
    Unknown,
}

impl NetworkType {
    /// Every value, in documentation order.
    pub const ALL: [NetworkType; 7] = [
        Self::Business,
        Self::Hosting,
        Self::Isp,
        Self::Anonymous,
        Self::Education,
        Self::Government,
        Self::Unknown,
    ];

    /// The lower-case name used in SQL results and config files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Business => "business",
            Self::Hosting => "hosting",
            Self::Isp => "isp",
            Self::Anonymous => "anonymous",
            Self::Education => "education",
            Self::Government => "government",
            Self::Unknown => "unknown",
        }
    }

    /// Map a GeoIP2 `user_type` or an IPinfo `type`.
    pub fn from_user_type(user_type: &str) -> Option<Self> {
        Some(match user_type.trim().to_ascii_lowercase().as_str() {
            "business" => Self::Business,
            "hosting" | "content_delivery_network" | "search_engine_spider" => Self::Hosting,
            "isp" | "residential" | "cellular" | "cafe" | "dialup" | "router" | "traveler" => {
                Self::Isp
            }
            "consumer_privacy_network" | "vpn" | "proxy" | "tor" => Self::Anonymous,
            "education" | "college" | "school" | "library" => Self::Education,
            "government" | "military" => Self::Government,
            _ => return None,
        })
    }

    /// Map a GeoIP2 `connection_type`.
    pub fn from_connection_type(connection_type: &str) -> Option<Self> {
        Some(match connection_type.trim().to_ascii_lowercase().as_str() {
            "corporate" => Self::Business,
            "cable/dsl" | "cellular" | "satellite" | "dialup" => Self::Isp,
            _ => return None,
        })
    }

    /// Education or government, judged from a domain's suffix
    /// (`.edu`, `.ac.uk`, `.edu.au`, `.gov`, `.gov.uk`, `.mil`, ...).
    pub fn from_domain(domain: &str) -> Option<Self> {
        let d = domain.trim().trim_end_matches('.').to_ascii_lowercase();
        let mut labels = d.rsplit('.');
        let last = labels.next()?;
        let second = labels.next();
        match (last, second) {
            ("edu", _) | (_, Some("edu" | "ac")) => Some(Self::Education),
            ("gov" | "mil", _) | (_, Some("gov" | "mil")) => Some(Self::Government),
            _ => None,
        }
    }

    /// Education or government, judged from words of an organisation name.
    pub fn from_org_name(name: &str) -> Option<Self> {
        let lower = name.to_lowercase();
        let words = lower.split(|c: char| !c.is_alphanumeric());
        for w in words {
            match w {
                "university" | "universität" | "universitat" | "université" | "universite"
                | "universidad" | "universidade" | "università" | "college" | "school" => {
                    return Some(Self::Education);
                }
                "government" | "ministry" | "ministerio" | "ministère" | "municipality" => {
                    return Some(Self::Government);
                }
                _ => {}
            }
        }
        None
    }
}

impl fmt::Display for NetworkType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for NetworkType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Self::ALL.iter().map(|t| t.as_str()).collect();
                format!(
                    "unknown network type '{s}', expected one of {}",
                    names.join(", ")
                )
            })
    }
}

/// Well-known cloud, hosting, CDN and CI autonomous systems. Traffic from
/// them is `hosting` unless a user override says otherwise. Listed in
/// `docs/functions.md`; extend it with `extra_hosting_asns` in the configuration.
pub const CLOUD_ASNS: &[(u32, &str)] = &[
    (16509, "Amazon (AWS)"),
    (14618, "Amazon (AWS)"),
    (8987, "Amazon (AWS)"),
    (7224, "Amazon (AWS)"),
    (15169, "Google"),
    (396982, "Google Cloud"),
    (19527, "Google"),
    (139070, "Google"),
    (8075, "Microsoft (Azure)"),
    (8068, "Microsoft (Azure)"),
    (36459, "GitHub"),
    (14061, "DigitalOcean"),
    (24940, "Hetzner"),
    (213230, "Hetzner Cloud"),
    (16276, "OVH"),
    (63949, "Linode (Akamai)"),
    (20940, "Akamai"),
    (16625, "Akamai"),
    (31898, "Oracle Cloud"),
    (45102, "Alibaba Cloud"),
    (37963, "Alibaba Cloud"),
    (13335, "Cloudflare"),
    (209242, "Cloudflare"),
    (20473, "Vultr (Choopa)"),
    (12876, "Scaleway"),
    (132203, "Tencent Cloud"),
    (45090, "Tencent Cloud"),
    (54113, "Fastly"),
    (36351, "IBM Cloud (SoftLayer)"),
    (51167, "Contabo"),
    (60781, "Leaseweb"),
];

/// Is this AS number a built-in cloud/CI network?
pub fn is_cloud_asn(asn: u32) -> bool {
    static SORTED: std::sync::LazyLock<Vec<u32>> = std::sync::LazyLock::new(|| {
        let mut v: Vec<u32> = CLOUD_ASNS.iter().map(|&(a, _)| a).collect();
        v.sort_unstable();
        v
    });
    SORTED.binary_search(&asn).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_names() {
        for t in NetworkType::ALL {
            assert_eq!(t.as_str().parse::<NetworkType>(), Ok(t));
        }
        assert!(
            "cloud"
                .parse::<NetworkType>()
                .unwrap_err()
                .contains("business, hosting")
        );
    }

    #[test]
    fn maps_signals() {
        assert_eq!(
            NetworkType::from_user_type("military"),
            Some(NetworkType::Government)
        );
        assert_eq!(
            NetworkType::from_user_type("residential"),
            Some(NetworkType::Isp)
        );
        assert_eq!(NetworkType::from_user_type("martian"), None);
        assert_eq!(
            NetworkType::from_connection_type("Corporate"),
            Some(NetworkType::Business)
        );
        assert_eq!(
            NetworkType::from_connection_type("Cable/DSL"),
            Some(NetworkType::Isp)
        );
        assert_eq!(
            NetworkType::from_domain("navy.mil"),
            Some(NetworkType::Government)
        );
        assert_eq!(
            NetworkType::from_domain("ox.ac.uk"),
            Some(NetworkType::Education)
        );
        assert_eq!(
            NetworkType::from_domain("mit.edu"),
            Some(NetworkType::Education)
        );
        assert_eq!(NetworkType::from_domain("education.com"), None);
        assert_eq!(
            NetworkType::from_org_name("Stanford University"),
            Some(NetworkType::Education)
        );
        assert_eq!(NetworkType::from_org_name("Schoolhouse Inc"), None);
        assert!(is_cloud_asn(16509));
        assert!(!is_cloud_asn(1221));
    }
}
