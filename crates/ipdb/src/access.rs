//! Telling an access provider's own network from a company's own network.
//!
//! In GeoIP2-ISP (and GeoLite2-ASN, IPinfo ASN) a company that runs its own
//! autonomous system looks like an access provider: `isp`, `organization`
//! and the AS organisation all name it. The evidence used to tell them
//! apart, strongest first (see [`crate::Resolver`] for where it sits among
//! the other signals):
//!
//! 1. the built-in list of access (eyeball) ASNs in `data/access_asns.csv`
//!    (residential cable, DSL, fibre and mobile networks of the large
//!    access providers of each major country), plus `extra_isp_asns`, and
//!    `extra_business_asns` forcing the other way;
//! 2. the names: access-provider vocabulary in the organisation, ISP or AS
//!    name ("Telekom", "Broadband", "Cable", "Mobile", ...) counts only
//!    when no business vocabulary is there too ("Telecom Software Inc" is
//!    a company), and an access provider's known domain;
//! 3. behaviour in the data, which the resolver cannot see: the
//!    `company_leads` query drops an own-network "company" whose traffic
//!    looks like an access population (docs/queries.md).
//!
//! Without any of these an own network is a company's (`business`).

use std::sync::LazyLock;

/// The built-in access ASN list: `asn,country,name` lines.
pub const ACCESS_ASNS_CSV: &str = include_str!("../data/access_asns.csv");

/// `(asn, country, name)` of every built-in access network, in file order.
pub static ACCESS_ASNS: LazyLock<Vec<(u32, &'static str, &'static str)>> = LazyLock::new(|| {
    ACCESS_ASNS_CSV
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("asn,"))
        .filter_map(|l| {
            let mut parts = l.splitn(3, ',');
            let asn = parts.next()?.trim().parse().ok()?;
            Some((asn, parts.next()?.trim(), parts.next()?.trim()))
        })
        .collect()
});

static SORTED: LazyLock<Vec<u32>> = LazyLock::new(|| {
    let mut v: Vec<u32> = ACCESS_ASNS.iter().map(|&(a, _, _)| a).collect();
    v.sort_unstable();
    v
});

/// Is `asn` on the built-in list of access networks?
pub fn is_access_asn(asn: u32) -> bool {
    SORTED.binary_search(&asn).is_ok()
}

/// Words that name an access provider's business (lower case, whole words).
const ACCESS_WORDS: &[&str] = &[
    "telecom",
    "telekom",
    "telecommunications",
    "telecomunicacoes",
    "telecomunicaciones",
    "telecomunicazioni",
    "telekommunikation",
    "telco",
    "broadband",
    "cable",
    "cablevision",
    "kabel",
    "communications",
    "wireless",
    "mobile",
    "mobility",
    "cellular",
    "fibre",
    "fiber",
    "dsl",
    "isp",
    "telefonica",
    "telephone",
    "telecable",
    "netcologne",
];

/// Multi-word phrases that name an access provider.
const ACCESS_PHRASES: &[&str] = &["internet service", "service provider", "access provider"];

/// Words that name some other business: with one of them, access words are
/// part of a company's name ("Telecom Software", "Mobile Games Labs").
const BUSINESS_WORDS: &[&str] = &[
    "software",
    "systems",
    "solutions",
    "technologies",
    "technology",
    "labs",
    "laboratories",
    "consulting",
    "bank",
    "insurance",
    "pharma",
    "pharmaceuticals",
    "motors",
    "automotive",
    "games",
    "analytics",
    "robotics",
    "aerospace",
    "logistics",
    "retail",
    "foods",
    "energy",
    "health",
    "hospital",
    "university",
    "media",
    "telematics",
];

/// Domains of access providers (the registrable part), whose customers'
/// addresses they name.
const ACCESS_DOMAINS: &[&str] = &[
    "comcast.net",
    "comcastbusiness.net",
    "charter.com",
    "spectrum.net",
    "rr.com",
    "cox.net",
    "verizon.net",
    "verizonwireless.com",
    "att.net",
    "sbcglobal.net",
    "t-mobile.com",
    "centurylink.net",
    "frontier.com",
    "optimum.net",
    "rogers.com",
    "bell.ca",
    "telus.net",
    "shawcable.net",
    "videotron.ca",
    "bt.com",
    "btcentralplus.com",
    "virginmedia.com",
    "sky.com",
    "talktalk.net",
    "t-online.de",
    "telekom.de",
    "vodafone.de",
    "kabel-deutschland.de",
    "orange.fr",
    "wanadoo.fr",
    "free.fr",
    "proxad.net",
    "sfr.net",
    "bouyguestelecom.fr",
    "telefonica.es",
    "movistar.es",
    "telecomitalia.it",
    "tim.it",
    "fastweb.it",
    "kpn.net",
    "ziggo.nl",
    "proximus.be",
    "telenet.be",
    "swisscom.ch",
    "telia.se",
    "telenor.no",
    "rostelecom.ru",
    "ocn.ne.jp",
    "kddi.com",
    "softbank.jp",
    "chinanet.cn",
    "chinaunicom.cn",
    "chinamobile.com",
    "jio.com",
    "airtel.in",
    "bigpond.com",
    "telstra.net",
    "optusnet.com.au",
    "tpgi.com.au",
    "spark.co.nz",
    "claro.com.br",
    "vivo.com.br",
    "telmex.com",
];

/// Lower-case words of a name, split at anything not alphanumeric.
fn words(name: &str) -> impl Iterator<Item = String> + '_ {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// Does `name` read as an access provider's: access vocabulary and no
/// business vocabulary?
pub fn access_name(name: &str) -> bool {
    let mut access = false;
    for w in words(name) {
        if BUSINESS_WORDS.contains(&w.as_str()) {
            return false;
        }
        access |= ACCESS_WORDS.contains(&w.as_str());
    }
    access || {
        let lower = name.to_lowercase();
        ACCESS_PHRASES.iter().any(|p| lower.contains(p))
    }
}

/// Is `domain` (or a parent of it) a known access provider's domain?
pub fn access_domain(domain: &str) -> bool {
    let d = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    ACCESS_DOMAINS
        .iter()
        .any(|a| d == *a || d.strip_suffix(a).is_some_and(|head| head.ends_with('.')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_parses_whole_and_holds_hundreds_of_networks() {
        let lines = ACCESS_ASNS_CSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("asn,"))
            .count();
        assert_eq!(ACCESS_ASNS.len(), lines, "every data line parses");
        assert!(ACCESS_ASNS.len() >= 200, "{}", ACCESS_ASNS.len());
        let mut asns: Vec<u32> = ACCESS_ASNS.iter().map(|a| a.0).collect();
        asns.sort_unstable();
        asns.dedup();
        assert_eq!(asns.len(), ACCESS_ASNS.len(), "no ASN listed twice");
        let countries: std::collections::BTreeSet<&str> = ACCESS_ASNS.iter().map(|a| a.1).collect();
        assert!(countries.len() >= 40, "{countries:?}");
        // none is also a cloud network
        for (asn, _, name) in ACCESS_ASNS.iter() {
            assert!(!crate::network_type::is_cloud_asn(*asn), "{asn} {name}");
        }
        assert!(is_access_asn(1221), "Telstra");
        assert!(is_access_asn(3320), "Deutsche Telekom");
        assert!(!is_access_asn(714), "Apple runs its own AS");
        assert!(!is_access_asn(0));
    }

    #[test]
    fn names_are_evidence_with_business_words_against() {
        assert!(access_name("Contoso Telecom"));
        assert!(access_name("Northwind Broadband"));
        assert!(access_name("Deutsche Telekom AG"));
        assert!(access_name("Comcast Cable Communications, LLC"));
        assert!(access_name("Acme Internet Service Provider"));
        assert!(!access_name("Telecom Software Inc"));
        assert!(!access_name("Mobile Games Labs"));
        assert!(!access_name("Apple Inc."));
        assert!(!access_name("Siemens AG"));
        assert!(!access_name(""));
        assert!(!access_name("   ...  "));
        assert!(!access_name("Cablex Ltd"), "whole words only");
    }

    #[test]
    fn domains_match_whole_labels() {
        assert!(access_domain("comcast.net"));
        assert!(access_domain("hsd1.ca.comcast.net."));
        assert!(access_domain("T-Online.de"));
        assert!(!access_domain("notcomcast.net"));
        assert!(!access_domain("apple.com"));
        assert!(!access_domain(""));
    }
}
