//! The synthetic world: companies with a planted journey stage, their
//! networks, the cloud/ISP/VPN noise networks, and the release history.

use crate::rng::Rng;
use std::net::{Ipv4Addr, Ipv6Addr};

/// The journey stages of `docs/funnel.md`, in rule order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    Waning,
    Maintenance,
    Production,
    Evaluation,
    Trial,
    Intrigued,
    Passive,
}

impl Stage {
    pub const ALL: [Stage; 7] = [
        Stage::Waning,
        Stage::Maintenance,
        Stage::Production,
        Stage::Evaluation,
        Stage::Trial,
        Stage::Intrigued,
        Stage::Passive,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Waning => "waning",
            Stage::Maintenance => "maintenance",
            Stage::Production => "production",
            Stage::Evaluation => "evaluation",
            Stage::Trial => "trial",
            Stage::Intrigued => "intrigued",
            Stage::Passive => "passive",
        }
    }
}

/// How a company's activity is planted, beyond its stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    /// The stage's ordinary journey.
    Plain,
    /// Production shown by `call_home` pings rather than downloads.
    CallHome,
    /// A passive company whose only activity is one automation burst of
    /// hundreds of downloads from one address in one session.
    Burst,
}

/// How a company's machines reach the project, which decides what tells
/// them apart (`docs/funnel.md#sources`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Each machine on its own IPv4 address (the odd ones on the alias
    /// range, when the company has one): a developer's machine reads the
    /// docs in a browser and installs with its own package client.
    Addresses,
    /// IPv6 only, every machine on the company's one /64 with temporary
    /// (privacy) addresses: a new interface id per machine every day.
    /// Machine 0 reads the docs in a browser; each other machine installs
    /// with its own client family.
    Ipv6Temporary,
    /// A whole office behind one IPv4 NAT address; machines as for
    /// [`Access::Ipv6Temporary`].
    Nat,
}

impl Access {
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Addresses => "addresses",
            Access::Ipv6Temporary => "ipv6_temporary",
            Access::Nat => "nat",
        }
    }

    /// Are the machines told apart only by their client family (one
    /// network for all of them)?
    pub fn shared(self) -> bool {
        self != Access::Addresses
    }
}

/// One planted company.
#[derive(Debug, Clone)]
pub struct Company {
    pub id: u32,
    /// The name the address databases give it.
    pub name: String,
    /// Another spelling used on a second range (same company key).
    pub alias: Option<String>,
    pub domain: String,
    pub stage: Stage,
    pub pattern: Pattern,
    /// First and last active day (0-based day index, last < days).
    pub first_day: i64,
    pub last_day: i64,
    /// Number of machines it has (at least 2 on a shared network: one
    /// browser and one installer).
    pub sources: u32,
    /// How its machines reach the project.
    pub access: Access,
    /// Listed in the override CSV instead of the ISP database.
    pub via_override: bool,
    /// Runs its own network: in the ISP database the ISP and the
    /// organisation both name it, on its own AS ([`own_asn`]); otherwise it
    /// is a customer in one of the [`CARRIERS`]' space.
    pub own_network: bool,
    /// Events per active day, roughly.
    pub intensity: u32,
}

const NAMES_A: &[&str] = &[
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Vandelay",
    "Stark",
    "Wayne",
    "Wonka",
    "Cyberdyne",
    "Tyrell",
    "Soylent",
    "Aperture",
    "Oscorp",
    "Gringotts",
    "Monarch",
    "Nakatomi",
    "Pied Piper",
    "Prestige",
    "Sterling",
    "Virtucon",
    "Duff",
    "Gekko",
    "Krusty",
    "Zorg",
    "Massive",
    "Dunder",
    "Bluth",
    "Ollivander",
    "Tessier",
];
const NAMES_B: &[&str] = &[
    "Systems",
    "Analytics",
    "Logistics",
    "Robotics",
    "Foods",
    "Energy",
    "Labs",
    "Mobile Media",
    "Bank",
    "Health",
    "Motors",
    "Telecom Software",
    "Retail",
    "Insurance",
    "Telematics",
    "Pharma",
    "Aerospace",
    "Games",
    "Mining",
    "Textiles",
];
const FORMS: &[&str] = &["Inc.", "GmbH", "Corp", "Ltd", "LLC", "S.A.", "B.V.", "AG"];

/// Stage mix of planted companies (per 100).
const MIX: [(Stage, u32); 7] = [
    (Stage::Passive, 24),
    (Stage::Intrigued, 14),
    (Stage::Trial, 14),
    (Stage::Evaluation, 12),
    (Stage::Production, 14),
    (Stage::Maintenance, 11),
    (Stage::Waning, 11),
];

/// Build `n` companies for a `days`-long lake.
pub fn companies(seed: u64, n: u32, days: i64) -> Vec<Company> {
    let total: u32 = MIX.iter().map(|(_, w)| w).sum();
    (0..n)
        .map(|id| {
            let mut r = Rng::stream(&[seed, 1, u64::from(id)]);
            let mut slot = id % total;
            let stage = MIX
                .iter()
                .find(|(_, w)| {
                    let hit = slot < *w;
                    slot = slot.saturating_sub(*w);
                    hit
                })
                .map_or(Stage::Passive, |(s, _)| *s);
            let base = format!(
                "{} {}",
                NAMES_A[id as usize % NAMES_A.len()],
                NAMES_B[(id as usize / NAMES_A.len()) % NAMES_B.len()]
            );
            let unique = id as usize / (NAMES_A.len() * NAMES_B.len());
            let base = if unique == 0 {
                base
            } else {
                format!("{base} {unique}")
            };
            let form = FORMS[id as usize % FORMS.len()];
            let slug: String = base
                .to_lowercase()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            let pattern = match stage {
                Stage::Production if id % 4 == 1 => Pattern::CallHome,
                Stage::Passive if id % 6 == 0 => Pattern::Burst,
                _ => Pattern::Plain,
            };
            let (first_day, last_day) = window(stage, &mut r, days);
            // the ordinary journeys of every 7th company come over IPv6
            // with temporary addresses, of another 7th from behind a NAT
            let access = match (pattern, id % 7) {
                (Pattern::Plain, 2) => Access::Ipv6Temporary,
                (Pattern::Plain, 5) => Access::Nat,
                _ => Access::Addresses,
            };
            let sources = 1 + r.below(4) as u32;
            Company {
                id,
                name: format!("{base} {form}"),
                alias: (id % 10 == 3).then(|| {
                    format!(
                        "{} {}",
                        base.to_uppercase(),
                        FORMS[(id as usize + 3) % FORMS.len()]
                    )
                }),
                domain: format!("{slug}.example"),
                stage,
                pattern,
                first_day,
                last_day,
                sources: if access.shared() {
                    sources.max(2)
                } else {
                    sources
                },
                access,
                via_override: id % 25 == 7,
                own_network: id % 2 == 0,
                intensity: 2 + r.below(4) as u32,
            }
        })
        .collect()
}

/// First and last active day of a journey; `days` is the evaluation day
/// (`as_of`), so the last day of data is `days - 1`.
fn window(stage: Stage, r: &mut Rng, days: i64) -> (i64, i64) {
    let end = days - 1;
    let clamp = |first: i64, last: i64| (first.max(0), last.clamp(first.max(0), end));
    match stage {
        // 1-2 days, anywhere in the year
        Stage::Passive => {
            let d = r.range(0, end);
            clamp(d, d + r.range(0, 1))
        }
        // a week or two of docs reading, in the last 60 days
        Stage::Intrigued => {
            let last = end - r.range(0, 45);
            clamp(last - r.range(4, 12), last)
        }
        // a short trial, span under 21 days, recent
        Stage::Trial => {
            let last = end - r.range(0, 20);
            clamp(last - r.range(3, 12), last)
        }
        // about a month, span 25-55 days, recent
        Stage::Evaluation => {
            let last = end - r.range(0, 5);
            clamp(last - r.range(25, 55), last)
        }
        // months of steady use up to now
        Stage::Production | Stage::Maintenance => clamp(end - r.range(120, 330.min(end)), end),
        // months of use, then a drop 30+ days ago
        Stage::Waning => clamp(end - r.range(100, 300.min(end)), end),
    }
}

/// The /24 of a company's main range.
pub fn company_net(id: u32) -> Ipv4Addr {
    Ipv4Addr::from(0x0B00_0000u32 + id * 256)
}

/// The /24 of a company's alias range (second spelling).
pub fn alias_net(id: u32) -> Ipv4Addr {
    Ipv4Addr::from(0x2D00_0000u32 + id * 256)
}

/// The IPv6 /64 of a company on [`Access::Ipv6Temporary`]. Such
/// companies are every 7th, and the n-th of them has the n-th /64 of
/// `2001:db8:100::/48`: neighbouring companies sit in neighbouring /64s.
pub fn company_net6(c: &Company) -> Option<Ipv6Addr> {
    (c.access == Access::Ipv6Temporary).then(|| net6(c.id))
}

/// The /64 [`company_net6`] gives company `id`.
pub(crate) fn net6(id: u32) -> Ipv6Addr {
    let n = id / 7;
    Ipv6Addr::new(
        0x2001,
        0x0db8,
        0x0100 | (n >> 16) as u16,
        n as u16,
        0,
        0,
        0,
        0,
    )
}

/// The NAT address of an office on [`Access::Nat`]: `.1` of its /24.
pub fn nat_address(id: u32) -> Ipv4Addr {
    Ipv4Addr::from(u32::from(company_net(id)) + 1)
}

/// A cloud network used by CI runners: (CIDR base, prefix, ASN, name).
pub const CLOUDS: &[(Ipv4Addr, u8, u32, &str)] = &[
    (Ipv4Addr::new(3, 80, 0, 0), 12, 16509, "Amazon.com"),
    (Ipv4Addr::new(35, 184, 0, 0), 13, 15169, "Google LLC"),
    (
        Ipv4Addr::new(13, 64, 0, 0),
        11,
        8075,
        "Microsoft Corporation",
    ),
    (Ipv4Addr::new(140, 82, 112, 0), 20, 36459, "GitHub, Inc."),
];

/// Access providers' own networks, whose residential and mobile customers
/// browse and download: (base, prefix, ASN, name). Real providers on their
/// real access ASNs (the built-in list types them), two fictional ones on
/// private ASNs that only their names give away, and one that only its
/// traffic gives away (`company_leads` drops it). In the
/// databases the ISP and the organisation both name the provider, as a
/// company on its own AS does.
pub const ISPS: &[(Ipv4Addr, u8, u32, &str)] = &[
    (Ipv4Addr::new(71, 0, 0, 0), 12, 64600, "Northwind Broadband"),
    (Ipv4Addr::new(86, 128, 0, 0), 12, 64601, "Contoso Telecom"),
    (
        Ipv4Addr::new(24, 0, 0, 0),
        12,
        7922,
        "Comcast Cable Communications, LLC",
    ),
    (
        Ipv4Addr::new(79, 192, 0, 0),
        12,
        3320,
        "Deutsche Telekom AG",
    ),
    (Ipv4Addr::new(78, 192, 0, 0), 12, 12322, "Free SAS"),
    (Ipv4Addr::new(58, 160, 0, 0), 12, 1221, "Telstra Internet"),
    // neither listed nor named like one: only its traffic gives it away
    (Ipv4Addr::new(92, 0, 0, 0), 12, 64602, "Wingtip Networks"),
];

/// The access providers whose business customers' ranges the other half
/// of the companies sit in (the ISP names the provider, the organisation
/// the company): (ASN, ISP name).
pub const CARRIERS: &[(u32, &str)] = &[
    (7922, "Comcast Cable Communications, LLC"),
    (3320, "Deutsche Telekom AG"),
    (2856, "British Telecommunications PLC"),
    (3215, "Orange S.A."),
    (64_700, "Carrier Business Fibre"),
];

/// The private AS number (RFC 6996, 32-bit range) of a company that runs
/// its own network.
pub fn own_asn(id: u32) -> u32 {
    4_200_000_000 + id
}

/// VPN exits (Anonymous-IP database).
pub const VPN: (Ipv4Addr, u8) = (Ipv4Addr::new(185, 220, 100, 0), 22);

/// Release history of a Python project, PEP 440 spellings: `1.i.0` is
/// released on day `15 + 30 i`, a post release `1.i.0.post1` follows 15
/// days later, and the next release's candidate `1.{i+1}.0rc1` a week
/// before it. A company on the latest release upgrades through all three
/// (`1.1.0.post1 < 1.2.0rc1 < 1.2.0 < 1.2.0.post1`): only a version scheme
/// that reads pre- and post-releases sees those upgrades.
pub fn version_at(day: i64) -> String {
    let since = (day - 15).max(0);
    let (i, into) = (since / 30, since % 30);
    match into {
        0..=14 => format!("1.{i}.0"),
        15..=22 => format!("1.{i}.0.post1"),
        _ => format!("1.{}.0rc1", i + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_go_through_candidates_and_post_releases() {
        let seen: Vec<String> = [0, 15, 30, 38, 44, 45, 60].map(version_at).into();
        assert_eq!(
            seen,
            [
                "1.0.0",
                "1.0.0",
                "1.0.0.post1",
                "1.1.0rc1",
                "1.1.0rc1",
                "1.1.0",
                "1.1.0.post1"
            ]
        );
    }
}
