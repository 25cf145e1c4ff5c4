//! The generator: deterministic, every stage planted, files where promised.
#![expect(clippy::unwrap_used, reason = "a test fails loudly on purpose")]

use leadlake_synth::{Options, Stage, generate};
use std::collections::BTreeMap;
use std::path::Path;

fn small(seed: u64) -> Options {
    Options {
        events: 40_000,
        seed,
        days: 120,
        ..Options::default()
    }
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().display().to_string(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

#[test]
fn the_same_seed_gives_the_same_bytes() {
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let mut days_seen = 0;
    let ma = generate(a.path(), &small(7), &mut |p| days_seen = p.day).unwrap();
    generate(b.path(), &small(7), &mut |_| {}).unwrap();
    generate(c.path(), &small(8), &mut |_| {}).unwrap();
    assert_eq!(days_seen, 120, "progress is reported for every day");
    let (fa, fb, fc) = (files(a.path()), files(b.path()), files(c.path()));
    assert_eq!(fa, fb);
    assert_ne!(fa.get("ground_truth.csv"), fc.get("ground_truth.csv"));
    // the manifest names what was written
    let m = leadlake_synth::Manifest::read(a.path()).unwrap();
    assert_eq!(m.events, ma.events);
    assert_eq!(m.databases(a.path()).len(), 4);
    for p in m.databases(a.path()).iter().chain([&m.overrides(a.path())]) {
        assert!(p.is_file(), "{} missing", p.display());
    }
    assert!(m.lake(a.path()).join("date=2026-01-01").is_dir());
    // the promised files
    for name in [
        "ground_truth.csv",
        "manifest.json",
        "ipdb/synthetic-isp.mmdb",
        "ipdb/synthetic-domain.mmdb",
        "ipdb/synthetic-asn.mmdb",
        "ipdb/synthetic-anonymous-ip.mmdb",
        "ipdb/overrides.csv",
        "lake/date=2026-01-01/part-0.parquet",
        "lake/date=2026-04-30/part-0.parquet",
    ] {
        assert!(
            fa.contains_key(name),
            "{name} missing: {:?}",
            fa.keys().take(5).collect::<Vec<_>>()
        );
    }
    assert!(
        !fa.keys().any(|k| k.ends_with(".tmp")),
        "no temporary file is left behind"
    );
    assert_eq!(
        ma.files as usize,
        fa.keys().filter(|k| k.starts_with("lake/")).count()
    );
    assert_eq!(ma.as_of.to_string(), "2026-05-01");
    // about the volume asked for
    assert!((30_000..60_000).contains(&ma.events), "{}", ma.events);
}

#[test]
fn every_stage_is_planted_and_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let m = generate(dir.path(), &small(1), &mut |_| {}).unwrap();
    let truth = std::fs::read_to_string(dir.path().join("ground_truth.csv")).unwrap();
    let mut lines = truth.lines();
    assert_eq!(
        lines.next(),
        Some(
            "company_id,company,alias,domain,stage,pattern,first_day,last_day,network,own_network,access,machines"
        )
    );
    let rows: Vec<&str> = lines.collect();
    // the last four columns (names are quoted, and may hold commas)
    let tail = |r: &str| -> [String; 4] {
        let mut t: Vec<String> = r.rsplitn(5, ',').take(4).map(String::from).collect();
        t.reverse();
        t.try_into().unwrap()
    };
    // about half the companies run their own network (overrides aside)
    let own = rows.iter().filter(|r| tail(r)[1] == "true").count();
    assert!(
        own * 5 > rows.len() * 2 && own * 2 <= rows.len(),
        "{own} of {}",
        rows.len()
    );
    assert_eq!(rows.len() as u32, m.companies);
    for stage in Stage::ALL {
        let n = rows
            .iter()
            .filter(|r| r.contains(&format!(",{},", stage.as_str())))
            .count();
        assert!(n >= 5, "{} planted {n} times", stage.as_str());
    }
    assert!(rows.iter().any(|r| r.contains(",production,CallHome,")));
    assert!(rows.iter().any(|r| r.contains(",passive,Burst,")));
    // every 7th company comes over IPv6 with temporary addresses, every
    // 7th from behind a NAT; every company's machines made events, and a
    // shared network has a browser machine and at least one installer
    for (access, network) in [
        ("addresses", "/24"),
        ("ipv6_temporary", "/64"),
        ("nat", ".1/32"),
    ] {
        let of: Vec<[String; 4]> = rows
            .iter()
            .map(|r| tail(r))
            .filter(|t| t[2] == access)
            .collect();
        assert!(of.len() * 10 > rows.len(), "{} {access}", of.len());
        for t in &of {
            assert!(t[0].ends_with(network), "{access}: {t:?}");
            let machines: u32 = t[3].parse().unwrap();
            assert!((1..=4).contains(&machines), "{t:?}");
        }
        if access != "addresses" {
            assert!(
                of.iter().any(|t| t[3].parse::<u32>().unwrap() >= 3),
                "{access}: no office of three machines"
            );
        }
    }
    // the IPv6 companies sit in neighbouring /64s
    assert!(
        truth.contains(",2001:db8:100::/64,") && truth.contains(",2001:db8:100:1::/64,"),
        "{truth}"
    );
    let overrides = std::fs::read_to_string(dir.path().join("ipdb/overrides.csv")).unwrap();
    assert!(overrides.lines().count() > 2, "{overrides}");
}

#[test]
fn bad_options_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let e = generate(
        dir.path(),
        &Options {
            days: 0,
            ..small(1)
        },
        &mut |_| {},
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid option: days must be between 1 and 3660, got 0"
    );
    let e = generate(
        dir.path(),
        &Options {
            events: 0,
            ..small(1)
        },
        &mut |_| {},
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "invalid option: events must be positive");
}
