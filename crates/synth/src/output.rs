//! Writing what the generator makes: Parquet day files, `.mmdb` databases,
//! the override CSV and the ground truth. Every file is written to a
//! temporary name and renamed, so an interrupted run leaves no half file.

use crate::SynthError;
use crate::world::{
    Access, CARRIERS, CLOUDS, Company, ISPS, VPN, alias_net, company_net, company_net6,
    nat_address, net6, own_asn,
};
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use mmdb_writer::{Value, Writer};
use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SynthError + '_ {
    move |source| SynthError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Write `bytes` to `path` atomically.
pub(crate) fn atomic(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> Result<(), SynthError>,
) -> Result<(), SynthError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    let tmp = path.with_extension("tmp");
    let mut f = std::fs::File::create(&tmp).map_err(io(&tmp))?;
    let result = write(&mut f).and_then(|()| f.sync_all().map_err(io(&tmp)));
    drop(f);
    match result {
        Ok(()) => std::fs::rename(&tmp, path).map_err(io(path)),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// The folder under the output that holds the address data.
pub(crate) const IPDB_DIR: &str = "ipdb";
/// Each database written: its MaxMind database type and file name.
pub(crate) const DATABASES: [(&str, &str); 4] = [
    ("GeoIP2-ISP", "synthetic-isp.mmdb"),
    ("GeoIP2-Domain", "synthetic-domain.mmdb"),
    ("GeoLite2-ASN", "synthetic-asn.mmdb"),
    ("GeoIP2-Anonymous-IP", "synthetic-anonymous-ip.mmdb"),
];
/// The override CSV's file name.
pub(crate) const OVERRIDES: &str = "overrides.csv";

fn db(kind: &str, epoch: u64) -> Writer {
    Writer::builder(kind)
        .build_epoch(UNIX_EPOCH + Duration::from_secs(epoch))
        .build()
}

fn put(w: &mut Writer, net: IpNet, fields: Vec<(&str, Value)>) -> Result<(), SynthError> {
    w.insert_value(net, Value::map(fields))
        .map_err(|e| SynthError::Mmdb(e.to_string()))
}

fn v4(base: std::net::Ipv4Addr, prefix: u8) -> Result<IpNet, SynthError> {
    Ipv4Net::new(base, prefix)
        .map(IpNet::V4)
        .map_err(|e| SynthError::Mmdb(e.to_string()))
}

/// An AS organisation name as registries spell them: `COMCAST-CABLE`.
fn as_name(name: &str) -> String {
    name.to_uppercase().replace([' ', ','], "-")
}

/// A company's GeoIP2-ISP record: on its own network the ISP, the
/// organisation and the AS all name it; in a carrier's space the ISP and
/// the AS are the carrier's.
fn isp_record(
    c: &Company,
    name: &str,
    carrier_asn: u32,
    carrier: &str,
) -> Vec<(&'static str, Value)> {
    let (isp, asn, as_org) = if c.own_network {
        (name.to_string(), own_asn(c.id), as_name(name))
    } else {
        (carrier.to_string(), carrier_asn, as_name(carrier))
    };
    vec![
        ("organization", Value::from(name)),
        ("isp", Value::from(isp.as_str())),
        ("autonomous_system_number", Value::U32(asn)),
        ("autonomous_system_organization", Value::from(as_org)),
    ]
}

/// The ISP, Domain, ASN and Anonymous-IP databases and the override CSV
/// matching the companies and noise networks.
pub(crate) fn databases(dir: &Path, companies: &[Company], epoch: u64) -> Result<(), SynthError> {
    let [isp_db, domain_db, asn_db, anon_db] = DATABASES;
    let mut isp = db(isp_db.0, epoch);
    let mut domain = db(domain_db.0, epoch);
    let mut asn = db(asn_db.0, epoch);
    let mut anon = db(anon_db.0, epoch);
    let mut overrides = String::from("network,company,domain,network_type\n");
    for c in companies {
        let (asn_no, carrier) = CARRIERS[c.id as usize / 2 % CARRIERS.len()];
        let mut nets = vec![(v4(company_net(c.id), 24)?, c.name.clone())];
        if let Some(alias) = &c.alias {
            nets.push((v4(alias_net(c.id), 24)?, alias.clone()));
        }
        if let Some(v6) = company_net6(c) {
            let net = Ipv6Net::new(v6, 64).map_err(|e| SynthError::Mmdb(e.to_string()))?;
            nets.push((IpNet::V6(net), c.name.clone()));
        }
        for (net, name) in nets {
            if c.via_override {
                overrides.push_str(&format!("{net},\"{name}\",{},business\n", c.domain));
            } else {
                put(&mut isp, net, isp_record(c, &name, asn_no, carrier))?;
                put(
                    &mut domain,
                    net,
                    vec![("domain", Value::from(c.domain.as_str()))],
                )?;
            }
            let (number, owner) = if c.own_network {
                (own_asn(c.id), name.as_str())
            } else {
                (asn_no, carrier)
            };
            put(
                &mut asn,
                net,
                vec![
                    ("autonomous_system_number", Value::U32(number)),
                    (
                        "autonomous_system_organization",
                        Value::from(as_name(owner)),
                    ),
                ],
            )?;
        }
    }
    for (base, prefix, number, name) in CLOUDS.iter().chain(ISPS) {
        let net = v4(*base, *prefix)?;
        put(
            &mut isp,
            net,
            vec![
                ("organization", Value::from(*name)),
                ("isp", Value::from(*name)),
                ("autonomous_system_number", Value::U32(*number)),
            ],
        )?;
        put(
            &mut asn,
            net,
            vec![
                ("autonomous_system_number", Value::U32(*number)),
                ("autonomous_system_organization", Value::from(as_name(name))),
            ],
        )?;
    }
    put(
        &mut anon,
        v4(VPN.0, VPN.1)?,
        vec![
            ("is_anonymous", Value::Bool(true)),
            ("is_anonymous_vpn", Value::Bool(true)),
        ],
    )?;
    for (name, w) in [
        (isp_db.1, &isp),
        (domain_db.1, &domain),
        (asn_db.1, &asn),
        (anon_db.1, &anon),
    ] {
        let path = dir.join(name);
        atomic(&path, |f| {
            w.write_to(f).map_err(|e| SynthError::Mmdb(e.to_string()))
        })?;
    }
    let path = dir.join(OVERRIDES);
    atomic(&path, |f| {
        std::io::Write::write_all(f, overrides.as_bytes()).map_err(io(&path))
    })
}

/// The planted truth: one row per company. `network` is where its events
/// come from (its /24, its NAT address, its IPv6 /64), `access` how
/// ([`crate::Access`]), `machines` how many of its machines made events
/// (`seen`: one bit per machine).
pub(crate) fn ground_truth(
    path: &Path,
    companies: &[Company],
    seen: &[u32],
) -> Result<(), SynthError> {
    let mut text = String::from(
        "company_id,company,alias,domain,stage,pattern,first_day,last_day,network,own_network,access,machines\n",
    );
    for (c, seen) in companies.iter().zip(seen) {
        let network = match c.access {
            Access::Addresses => format!("{}/24", company_net(c.id)),
            Access::Nat => format!("{}/32", nat_address(c.id)),
            Access::Ipv6Temporary => format!("{}/64", net6(c.id)),
        };
        text.push_str(&format!(
            "{},\"{}\",\"{}\",{},{},{:?},{},{},{network},{},{},{}\n",
            c.id,
            c.name,
            c.alias.as_deref().unwrap_or_default(),
            c.domain,
            c.stage.as_str(),
            c.pattern,
            c.first_day,
            c.last_day,
            c.own_network && !c.via_override,
            c.access.as_str(),
            seen.count_ones(),
        ));
    }
    atomic(path, |f| {
        std::io::Write::write_all(f, text.as_bytes()).map_err(io(path))
    })
}
