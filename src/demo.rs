//! Built-in demo data: small MaxMind-format databases and an override file,
//! written by leadlake itself, so the README's first command works on a
//! fresh machine with no downloads. The companies and ranges are fictional
//! (documentation address blocks).

use crate::atomic_file::write_atomic;
use crate::error::CliError as Error;
use leadlake::Config;
use mmdb_writer::{Value, Writer};
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

/// Bump when the demo data changes, so cached copies are rebuilt.
const VERSION: &str = "leadlake-demo-ipdb-v1";

/// Addresses the demo enriches: companies, an ISP customer, a cloud host,
/// a VPN exit, an override, an unknown and a malformed address.
pub const SAMPLE_ADDRESSES: &[&str] = &[
    "203.0.113.7",
    "::ffff:203.0.113.99",
    "198.51.100.20",
    "2001:db8:100::42",
    "100.65.3.4",
    "198.51.100.200",
    "192.0.2.10",
    "100.64.0.5",
    "10.0.0.1",
    "not-an-ip",
];

/// The SQL the demo runs over [`SAMPLE_ADDRESSES`].
pub fn enrichment_sql() -> String {
    let values: Vec<String> = SAMPLE_ADDRESSES
        .iter()
        .map(|a| format!("('{a}')"))
        .collect();
    format!(
        "SELECT ip, c['company'] AS company, c['company_key'] AS company_key, c['domain'] AS domain, \
         c['asn'] AS asn, c['network_type'] AS network_type, c['source']['company'] AS source \
         FROM (SELECT column1 AS ip, ip_company(column1) AS c FROM (VALUES {})) ORDER BY network_type, ip",
        values.join(", ")
    )
}

type Rows<'a> = &'a [(&'a str, &'a [(&'a str, Field<'a>)])];

#[derive(Clone, Copy)]
enum Field<'a> {
    S(&'a str),
    N(u32),
    B(bool),
}

const ISP: Rows<'static> = &[
    (
        "203.0.113.0/24",
        &[
            ("organization", Field::S("Acme Corp")),
            ("isp", Field::S("Example Telecom")),
            ("autonomous_system_number", Field::N(64500)),
            (
                "autonomous_system_organization",
                Field::S("EXAMPLE-TELECOM"),
            ),
        ],
    ),
    (
        "198.51.100.0/25",
        &[
            ("organization", Field::S("Globex GmbH")),
            ("isp", Field::S("Example Telecom")),
            ("autonomous_system_number", Field::N(64500)),
        ],
    ),
    (
        "198.51.100.128/25",
        &[
            ("organization", Field::S("Example Telecom")),
            ("isp", Field::S("Example Telecom")),
            ("autonomous_system_number", Field::N(64500)),
        ],
    ),
    (
        "192.0.2.0/24",
        &[
            ("organization", Field::S("Amazon.com")),
            ("isp", Field::S("Amazon.com")),
            ("autonomous_system_number", Field::N(16509)),
        ],
    ),
    (
        "2001:db8:100::/48",
        &[
            ("organization", Field::S("Initech, Inc.")),
            ("isp", Field::S("Example Telecom")),
        ],
    ),
];
const DOMAIN: Rows<'static> = &[
    ("203.0.113.0/24", &[("domain", Field::S("acme.example"))]),
    ("198.51.100.0/25", &[("domain", Field::S("globex.example"))]),
    (
        "2001:db8:100::/48",
        &[("domain", Field::S("initech.example"))],
    ),
];
const ASN: Rows<'static> = &[
    (
        "203.0.113.0/24",
        &[
            ("autonomous_system_number", Field::N(64500)),
            (
                "autonomous_system_organization",
                Field::S("EXAMPLE-TELECOM"),
            ),
        ],
    ),
    (
        "192.0.2.0/24",
        &[
            ("autonomous_system_number", Field::N(16509)),
            ("autonomous_system_organization", Field::S("AMAZON-02")),
        ],
    ),
    (
        "100.64.0.0/24",
        &[
            ("autonomous_system_number", Field::N(64501)),
            ("autonomous_system_organization", Field::S("TUNNEL-HOSTING")),
        ],
    ),
];
const ANONYMOUS: Rows<'static> = &[(
    "100.64.0.0/24",
    &[
        ("is_anonymous", Field::B(true)),
        ("is_anonymous_vpn", Field::B(true)),
    ],
)];
const OVERRIDES: &str = "network,company,domain,network_type\n100.65.0.0/16,Umbrella Corporation,umbrella.example,business\n";

fn build(database_type: &str, rows: Rows<'_>) -> Result<Vec<u8>, Error> {
    let err = |e: &dyn std::fmt::Display| Error::Demo(format!("{database_type}: {e}"));
    let mut w = Writer::builder(database_type)
        .build_epoch(UNIX_EPOCH + Duration::from_secs(1_767_225_600))
        .build();
    for (net, fields) in rows {
        let net: ipnet::IpNet = net.parse().map_err(|e| err(&e))?;
        let map = Value::map(fields.iter().map(|(k, v)| {
            let v = match *v {
                Field::S(s) => Value::from(s),
                Field::N(n) => Value::U32(n),
                Field::B(b) => Value::Bool(b),
            };
            (*k, v)
        }));
        w.insert_value(net, map).map_err(|e| err(&e))?;
    }
    w.to_bytes().map_err(|e| err(&e))
}

/// The default folder for demo data: `$LEADLAKE_DEMO_DIR`, else
/// `$XDG_CACHE_HOME/leadlake/demo`, else `~/.cache/leadlake/demo`.
pub fn default_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("LEADLAKE_DEMO_DIR") {
        return PathBuf::from(d);
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    cache.join("leadlake").join("demo")
}

/// Write the demo databases and override file into `dir` (once: reused
/// while their version matches) and return a configuration over them.
///
/// # Errors
/// [`Error::Io`] when the folder cannot be written.
pub fn ensure(dir: &Path) -> Result<Config, Error> {
    let files = [
        ("demo-isp.mmdb", "GeoIP2-ISP", ISP),
        ("demo-domain.mmdb", "GeoIP2-Domain", DOMAIN),
        ("demo-asn.mmdb", "GeoLite2-ASN", ASN),
        ("demo-anonymous-ip.mmdb", "GeoIP2-Anonymous-IP", ANONYMOUS),
    ];
    let marker = dir.join("VERSION");
    let fresh = std::fs::read_to_string(&marker).is_ok_and(|v| v.trim() == VERSION);
    if !fresh {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            context: format!("creating {}", dir.display()),
            source,
        })?;
        for (name, kind, rows) in files {
            write_atomic(&dir.join(name), &build(kind, rows)?)?;
        }
        write_atomic(&dir.join("overrides.csv"), OVERRIDES.as_bytes())?;
        write_atomic(&marker, VERSION.as_bytes())?;
    }
    let mut config = Config::from_ipdb(files.iter().map(|(name, _, _)| dir.join(name)));
    config.ipdb.overrides = Some(dir.join("overrides.csv"));
    Ok(config)
}

/// Bump when the demo lake's options change, so cached copies are rebuilt.
const LAKE_VERSION: &str = "lake-v5";

/// Options of the demo lake: a year of traffic, about 300,000 events.
pub fn lake_options() -> leadlake_synth::Options {
    leadlake_synth::Options {
        events: 300_000,
        ..Default::default()
    }
}

/// A configuration over a lake written by `leadlake generate` in `dir`,
/// from the paths its manifest lists.
///
/// # Errors
/// [`Error::Demo`] when the manifest cannot be read.
pub fn synthetic_config(dir: &Path) -> Result<(Config, leadlake_synth::Manifest), Error> {
    let m = leadlake_synth::Manifest::read(dir).map_err(|e| Error::Demo(e.to_string()))?;
    let mut config = Config::from_ipdb(m.databases(dir));
    config.ipdb.overrides = Some(m.overrides(dir));
    config.lake = Some(leadlake::LakeConfig::new(
        m.lake(dir).to_string_lossy().as_ref(),
    ));
    Ok((config, m))
}

/// Build the demo lake under `dir` once (reused while its version
/// matches; written to a temporary folder and renamed into place, so an
/// interrupted build is never reused) and return a configuration over it
/// with the day after its last day of data (`as_of`).
///
/// # Errors
/// [`Error::Demo`] when generation fails, [`Error::Io`] when the folder
/// cannot be written.
pub fn ensure_lake(
    dir: &Path,
    progress: &mut dyn FnMut(leadlake_synth::Progress),
) -> Result<(Config, chrono::NaiveDate), Error> {
    let io = |what: String| {
        move |source| Error::Io {
            context: what,
            source,
        }
    };
    let target = dir.join(LAKE_VERSION);
    let manifest = target.join(leadlake_synth::Manifest::FILE);
    if !manifest.exists() {
        std::fs::create_dir_all(dir).map_err(io(format!("creating {}", dir.display())))?;
        let tmp = dir.join(format!("{LAKE_VERSION}.tmp-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        leadlake_synth::generate(&tmp, &lake_options(), progress)
            .map_err(|e| Error::Demo(e.to_string()))?;
        if let Err(e) = std::fs::rename(&tmp, &target) {
            let _ = std::fs::remove_dir_all(&tmp);
            // another process may have built it meanwhile
            if !manifest.exists() {
                return Err(io(format!("moving the demo lake to {}", target.display()))(
                    e,
                ));
            }
        }
    }
    let (config, m) = synthetic_config(&target)?;
    Ok((config, m.as_of))
}
