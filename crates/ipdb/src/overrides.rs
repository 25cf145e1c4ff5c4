//! User override ranges: "these addresses are Acme", from a CRM export or an
//! enrichment vendor. They take precedence over every database.
//!
//! CSV layout (header required, column order free, other columns ignored):
//!
//! | column | required | meaning |
//! | --- | --- | --- |
//! | `network` | yes | `10.1.0.0/16`, `2001:db8::/32`, a single address, or a range `start-end` |
//! | `company` | one of the two | company name |
//! | `domain` | one of the two | company domain |
//! | `network_type` | no | one of the network types; default `business` |
//!
//! Each row needs a company or a domain. A row with a domain only groups
//! under its domain (its `company_key` is the lower-case domain). An
//! override speaks for one organisation: the databases never fill a
//! company or domain it leaves empty, since what they know of the range
//! is another organisation's (its ISP's).
//!
//! Matching is longest-prefix: when ranges overlap, the most specific one
//! wins. The same network listed twice is an error naming both lines.

use crate::company::company_key;
use crate::error::{IpdbError, Result};
use crate::network_type::NetworkType;
use ipnet::{IpNet, Ipv4Net, Ipv4Subnets, Ipv6Net, Ipv6Subnets};
use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One row of an override source, before validation. Empty strings
/// should be passed as `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OverrideRow {
    /// Line (CSV) or row number (other formats), for error messages.
    pub line: u64,
    pub network: Option<String>,
    pub company: Option<String>,
    pub domain: Option<String>,
    pub network_type: Option<String>,
}

/// One override network.
#[derive(Debug, Clone, PartialEq)]
pub struct OverrideEntry {
    pub network: IpNet,
    pub company: Option<Arc<str>>,
    pub company_key: Option<Arc<str>>,
    pub domain: Option<Arc<str>>,
    pub network_type: NetworkType,
}

/// A longest-prefix-match table of override ranges, IPv4 and IPv6.
#[derive(Debug, Default)]
pub struct Overrides {
    entries: Vec<OverrideEntry>,
    /// (prefix length, masked network -> entry index), longest prefix first.
    v4: Vec<(u8, HashMap<u32, usize>)>,
    v6: Vec<(u8, HashMap<u128, usize>)>,
    /// Line each entry came from, for duplicate reports.
    lines: Vec<u64>,
    path: PathBuf,
}

impl Overrides {
    /// Read an override CSV.
    ///
    /// # Errors
    /// [`IpdbError::Io`] when the file cannot be read and
    /// [`IpdbError::InvalidOverride`] naming the line of any malformed row.
    pub fn from_csv(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        let file = std::fs::File::open(&path).map_err(|source| IpdbError::Io {
            path: path.clone(),
            source,
        })?;
        let bad = |line: u64, reason: String| IpdbError::InvalidOverride {
            path: path.clone(),
            line,
            reason,
        };
        let mut rdr = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(file);
        let headers = rdr.headers().map_err(|e| bad(1, e.to_string()))?.clone();
        let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
        let network_col =
            col("network").ok_or_else(|| bad(1, "the header has no 'network' column".into()))?;
        let (company_col, domain_col, type_col) =
            (col("company"), col("domain"), col("network_type"));
        if company_col.is_none() && domain_col.is_none() {
            return Err(bad(
                1,
                "the header has neither a 'company' nor a 'domain' column".into(),
            ));
        }
        let mut rows = Vec::new();
        for row in rdr.records() {
            let row = row.map_err(|e| {
                let line = e.position().map_or(0, csv::Position::line);
                bad(line, e.to_string())
            })?;
            let field = |i: Option<usize>| {
                i.and_then(|i| row.get(i))
                    .filter(|s| !s.is_empty())
                    .map(String::from)
            };
            rows.push(OverrideRow {
                line: row.position().map_or(0, csv::Position::line),
                network: field(Some(network_col)),
                company: field(company_col),
                domain: field(domain_col),
                network_type: field(type_col),
            });
        }
        Self::from_rows(&path, rows)
    }

    /// Build a table from rows read elsewhere (a Parquet file, a database);
    /// `path` and each row's `line` only serve error messages.
    ///
    /// # Errors
    /// [`IpdbError::InvalidOverride`] naming the line of any malformed row.
    pub fn from_rows(path: &Path, rows: impl IntoIterator<Item = OverrideRow>) -> Result<Self> {
        let mut table = Overrides {
            path: path.to_path_buf(),
            ..Default::default()
        };
        for row in rows {
            let bad = |reason: String| IpdbError::InvalidOverride {
                path: path.to_path_buf(),
                line: row.line,
                reason,
            };
            let spec = row
                .network
                .as_deref()
                .ok_or_else(|| bad("empty network".into()))?;
            let networks = parse_networks(spec).map_err(bad)?;
            let company = row.company.as_deref();
            let domain = row.domain.as_deref();
            if company.is_none() && domain.is_none() {
                return Err(bad("a row needs a company or a domain".into()));
            }
            let network_type = match row.network_type.as_deref() {
                Some(t) => t.parse().map_err(bad)?,
                None => NetworkType::Business,
            };
            let domain: Option<Arc<str>> = domain.map(|d| Arc::from(d.to_ascii_lowercase()));
            // a name that normalises to nothing ("...") groups by its domain too
            let key: Option<Arc<str>> = company
                .and_then(company_key)
                .map(Arc::from)
                .or_else(|| domain.clone());
            for network in networks {
                let entry = OverrideEntry {
                    network,
                    company: company.map(Arc::from),
                    company_key: key.clone(),
                    domain: domain.clone(),
                    network_type,
                };
                table.insert(entry, row.line)?;
            }
        }
        Ok(table)
    }

    /// Add one entry; the same network twice is an error.
    fn insert(&mut self, entry: OverrideEntry, line: u64) -> Result<()> {
        let idx = self.entries.len();
        let prev = match entry.network {
            IpNet::V4(n) => slot(&mut self.v4, n.prefix_len()).insert(u32::from(n.network()), idx),
            IpNet::V6(n) => slot(&mut self.v6, n.prefix_len()).insert(u128::from(n.network()), idx),
        };
        if let Some(prev) = prev {
            return Err(IpdbError::InvalidOverride {
                path: self.path.clone(),
                line,
                reason: format!(
                    "network {} is already listed on line {}",
                    entry.network, self.lines[prev]
                ),
            });
        }
        self.entries.push(entry);
        self.lines.push(line);
        Ok(())
    }

    /// The most specific override containing `ip`.
    pub fn lookup(&self, ip: IpAddr) -> Option<&OverrideEntry> {
        let idx = match ip {
            IpAddr::V4(v4) => {
                let bits = u32::from(v4);
                self.v4.iter().find_map(|(len, map)| {
                    let mask = u32::MAX.checked_shl(32 - u32::from(*len)).unwrap_or(0);
                    map.get(&(bits & mask)).copied()
                })
            }
            IpAddr::V6(v6) => {
                let bits = u128::from(v6);
                self.v6.iter().find_map(|(len, map)| {
                    let mask = u128::MAX.checked_shl(128 - u32::from(*len)).unwrap_or(0);
                    map.get(&(bits & mask)).copied()
                })
            }
        }?;
        self.entries.get(idx)
    }

    /// Number of networks in the table (ranges count as the networks they cover).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the table has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn slot<K>(levels: &mut Vec<(u8, HashMap<K, usize>)>, len: u8) -> &mut HashMap<K, usize> {
    let pos = match levels.binary_search_by(|(l, _)| len.cmp(l)) {
        Ok(pos) => pos,
        Err(pos) => {
            levels.insert(pos, (len, HashMap::new()));
            pos
        }
    };
    &mut levels[pos].1
}

/// Parse `a.b.c.d/n`, a single address, or `start-end` into networks.
pub fn parse_networks(spec: &str) -> std::result::Result<Vec<IpNet>, String> {
    let spec = spec.trim();
    if let Some((start, end)) = spec.split_once(['-', '–']) {
        let start = crate::addr::parse_ip(start)
            .ok_or_else(|| format!("'{}' is not an address", start.trim()))?;
        let end = crate::addr::parse_ip(end)
            .ok_or_else(|| format!("'{}' is not an address", end.trim()))?;
        return match (start, end) {
            (IpAddr::V4(s), IpAddr::V4(e)) if s <= e => {
                Ok(Ipv4Subnets::new(s, e, 0).map(IpNet::V4).collect())
            }
            (IpAddr::V6(s), IpAddr::V6(e)) if s <= e => {
                Ok(Ipv6Subnets::new(s, e, 0).map(IpNet::V6).collect())
            }
            (IpAddr::V4(_), IpAddr::V4(_)) | (IpAddr::V6(_), IpAddr::V6(_)) => {
                Err(format!("range '{spec}' ends before it starts"))
            }
            _ => Err(format!("range '{spec}' mixes IPv4 and IPv6")),
        };
    }
    if spec.contains('/') {
        let net: IpNet = spec
            .parse()
            .map_err(|_| format!("'{spec}' is not a network (expected address/prefix)"))?;
        // Normalise host bits away and IPv4-mapped networks to IPv4.
        let net = match net {
            IpNet::V6(v6) => match v6.trunc().network().to_ipv4_mapped() {
                Some(v4) if v6.prefix_len() >= 96 => {
                    IpNet::V4(Ipv4Net::new(v4, v6.prefix_len() - 96).map_err(|e| e.to_string())?)
                }
                _ => IpNet::V6(v6.trunc()),
            },
            IpNet::V4(v4) => IpNet::V4(v4.trunc()),
        };
        return Ok(vec![net]);
    }
    match crate::addr::parse_ip(spec) {
        Some(IpAddr::V4(v4)) => Ok(vec![IpNet::V4(Ipv4Net::from(v4))]),
        Some(IpAddr::V6(v6)) => Ok(vec![IpNet::V6(Ipv6Net::from(v6))]),
        None => Err(format!("'{spec}' is not an address, a network or a range")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn table(csv: &str) -> Result<Overrides> {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(csv.as_bytes()).unwrap();
        Overrides::from_csv(f.path())
    }

    #[test]
    fn most_specific_wins() {
        let t = table(
            "network,company,domain\n10.0.0.0/8,Big Corp,big.example\n10.1.0.0/16,Small Inc.,small.example\n10.1.2.3,Exact GmbH,\n2001:db8::/32,V6 Co,v6.example\n",
        )
        .unwrap();
        let name = |ip: &str| {
            t.lookup(ip.parse().unwrap())
                .and_then(|e| e.company.as_deref().map(String::from))
        };
        assert_eq!(name("10.9.9.9").as_deref(), Some("Big Corp"));
        assert_eq!(name("10.1.9.9").as_deref(), Some("Small Inc."));
        assert_eq!(name("10.1.2.3").as_deref(), Some("Exact GmbH"));
        assert_eq!(name("11.0.0.1"), None);
        assert_eq!(name("2001:db8:1::5").as_deref(), Some("V6 Co"));
        assert_eq!(
            t.lookup("10.1.2.3".parse().unwrap())
                .unwrap()
                .company_key
                .as_deref(),
            Some("exact")
        );
    }

    #[test]
    fn ranges_cover_exactly_their_addresses() {
        let t = table("network,company\n192.0.2.10-192.0.2.20,Range Ltd\n").unwrap();
        for (ip, hit) in [
            ("192.0.2.9", false),
            ("192.0.2.10", true),
            ("192.0.2.15", true),
            ("192.0.2.20", true),
            ("192.0.2.21", false),
        ] {
            assert_eq!(t.lookup(ip.parse().unwrap()).is_some(), hit, "{ip}");
        }
    }

    #[test]
    fn errors_name_the_line() {
        let err = table("network,company\n10.0.0.0/8,A\nnot-an-ip,B\n")
            .unwrap_err()
            .to_string();
        assert!(err.ends_with(":3: 'not' is not an address"), "{err}");
        let err = table("network,company\n10.0.0.0/8,A\n10.0.0.0/8,B\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.ends_with(":3: network 10.0.0.0/8 is already listed on line 2"),
            "{err}"
        );
        let err = table("net,company\n").unwrap_err().to_string();
        assert!(
            err.ends_with(":1: the header has no 'network' column"),
            "{err}"
        );
        let err = table("network,company,network_type\n10.0.0.0/8,A,cloud\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains(":2: unknown network type 'cloud'"), "{err}");
        let err = table("network,company\n10.0.0.9-10.0.0.1,A\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(":2: range '10.0.0.9-10.0.0.1' ends before it starts"),
            "{err}"
        );
        let err = table("network,company\n10.0.0.0/8,\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(":2: a row needs a company or a domain"),
            "{err}"
        );
    }

    #[test]
    fn host_bits_and_mapped_networks_are_normalised() {
        assert_eq!(
            parse_networks("10.1.2.3/16").unwrap(),
            vec!["10.1.0.0/16".parse::<IpNet>().unwrap()]
        );
        assert_eq!(
            parse_networks("::ffff:10.0.0.0/104").unwrap(),
            vec!["10.0.0.0/8".parse::<IpNet>().unwrap()]
        );
    }
}
