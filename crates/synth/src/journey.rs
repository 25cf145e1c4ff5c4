//! What a company (or a noise source) does on one day.

use crate::events::*;
use crate::rng::Rng;
use crate::world::{
    CLOUDS, Company, ISPS, Pattern, Stage, VPN, alias_net, company_net, company_net6, version_at,
};
use std::net::{IpAddr, Ipv4Addr};

pub const DAY_US: i64 = 86_400_000_000;
const MINUTE_US: i64 = 60_000_000;

/// Is `day` an active day of this company's journey?
fn active(c: &Company, day: i64, days: i64, r: &mut Rng) -> bool {
    if day < c.first_day || day > c.last_day {
        return false;
    }
    let last30 = day >= days - 30;
    match c.stage {
        Stage::Passive => true,
        Stage::Intrigued | Stage::Trial => {
            day == c.first_day || day == c.last_day || r.chance(0.35)
        }
        Stage::Evaluation => day == c.first_day || day == c.last_day || r.chance(0.3),
        // steady: every window of 30 days has several active days
        Stage::Production | Stage::Maintenance => day == c.last_day || r.chance(0.4),
        // busy until 30 days before as_of, then (almost) silent
        Stage::Waning => {
            if last30 {
                r.chance(0.015)
            } else {
                day == c.first_day || r.chance(0.45)
            }
        }
    }
}

/// A machine of the company: one of its addresses (IPv6 for some).
fn source(c: &Company, r: &mut Rng) -> String {
    let host = 10 + r.below(u64::from(c.sources)) as u32;
    if let Some(v6) = company_net6(c.id)
        && r.chance(0.3)
    {
        let bits = u128::from(v6) | u128::from(host);
        return IpAddr::V6(bits.into()).to_string();
    }
    let base = if c.alias.is_some() && r.chance(0.5) {
        alias_net(c.id)
    } else {
        company_net(c.id)
    };
    Ipv4Addr::from(u32::from(base) + host).to_string()
}

fn at(day: i64, r: &mut Rng) -> i64 {
    // office hours, UTC
    day * DAY_US + r.range(7 * 60, 19 * 60) * MINUTE_US + r.range(0, 59_999_999)
}

fn view(ts: i64, ip: String, path: &str, r: &mut Rng) -> Event {
    Event {
        ts,
        kind: if path.starts_with("/docs") {
            "docs_view"
        } else {
            "page_view"
        },
        ip,
        user_agent: r.pick(BROWSERS),
        path: path.to_string(),
        package: None,
        version: None,
        referer: r.chance(0.3).then(|| r.pick(REFERERS)),
    }
}

/// One install: 1-3 artifact downloads within a couple of minutes.
fn download_session(
    out: &mut Vec<Event>,
    ts: i64,
    ip: &str,
    version: &str,
    client: &'static str,
    files: u32,
) {
    for i in 0..files {
        out.push(Event {
            ts: ts + i64::from(i) * 20_000_000,
            kind: "download",
            ip: ip.to_string(),
            user_agent: client,
            path: format!("/packages/{PACKAGE}/{version}/{PACKAGE}-{version}-{i}.whl"),
            package: Some(PACKAGE),
            version: Some(version.to_string()),
            referer: None,
        });
    }
}

/// A company's events on `day` (`days` is the as-of day index).
pub fn company_day(c: &Company, day: i64, days: i64, seed: u64, scale: u32, out: &mut Vec<Event>) {
    let mut r = Rng::stream(&[seed, 2, u64::from(c.id), day as u64]);
    if !active(c, day, days, &mut r) {
        return;
    }
    let n = (c.intensity * scale).max(1);
    let ip = source(c, &mut r);
    match (c.stage, c.pattern) {
        (Stage::Passive, Pattern::Burst) => {
            // one script on one machine, hundreds of downloads in one session
            let t = at(day, &mut r);
            let v = version_at(day);
            for i in 0..(200 + r.below(300)) as i64 {
                download_session(out, t + i * 1_000_000, &ip, &v, CI_CLIENTS[0], 1);
            }
        }
        (Stage::Passive, _) => {
            let views = r.range(1, 3) as u32;
            habit(Stage::Passive).day(c, day, views, ip, &mut r, out);
        }
        (Stage::Production, Pattern::CallHome) => {
            for s in 0..c.sources {
                let mut e = view(at(day, &mut r), source(c, &mut r), "/ping", &mut r);
                e.kind = "call_home";
                e.user_agent = "leadlake-widget/1.0 (telemetry)";
                e.version = Some(version_at(c.first_day));
                e.ts += i64::from(s);
                out.push(e);
            }
        }
        (stage, _) => habit(stage).day(c, day, n, ip, &mut r, out),
    }
}

/// Which release a company downloads.
#[derive(Clone, Copy)]
enum Release {
    /// The one current when its journey began: never upgrades.
    Pinned,
    /// The one current on the day: upgrades as releases come out.
    Latest,
}

/// How a stage behaves on an active day: `n` views drawn from `pages`
/// (a pool listed twice is twice as likely), and a download session with
/// probability `download` (always on the first or last day when
/// `download_on_edges`).
struct Habit {
    pages: &'static [&'static [&'static str]],
    download: f64,
    download_on_edges: bool,
    files: (i64, i64),
    release: Release,
    /// Views come from any of the company's machines, not only the one
    /// that downloads.
    roaming: bool,
}

fn habit(stage: Stage) -> Habit {
    let h = |pages, download, download_on_edges, files, release, roaming| Habit {
        pages,
        download,
        download_on_edges,
        files,
        release,
        roaming,
    };
    match stage {
        Stage::Intrigued => h(
            &[DOCS_INSTALL, DOCS_OTHER],
            0.0,
            false,
            (0, 0),
            Release::Pinned,
            true,
        ),
        Stage::Trial => h(
            &[DOCS_INSTALL, DOCS_INSTALL, DOCS_INSTALL, HIGH, HIGH],
            0.3,
            true,
            (1, 3),
            Release::Pinned,
            false,
        ),
        Stage::Evaluation => h(
            &[DOCS_INSTALL, DOCS_OTHER, MEDIUM],
            0.5,
            true,
            (1, 3),
            Release::Pinned,
            true,
        ),
        Stage::Production => h(
            &[DOCS_OTHER, DOCS_OTHER, DOCS_OTHER, DOCS_OTHER, LOW],
            0.5,
            true,
            (1, 2),
            Release::Pinned,
            true,
        ),
        Stage::Maintenance => h(
            &[DOCS_UPGRADE, DOCS_OTHER],
            0.5,
            true,
            (1, 2),
            Release::Latest,
            true,
        ),
        Stage::Waning => h(
            &[
                DOCS_OTHER,
                DOCS_OTHER,
                DOCS_OTHER,
                DOCS_INSTALL,
                DOCS_INSTALL,
            ],
            0.5,
            false,
            (1, 1),
            Release::Pinned,
            true,
        ),
        // a visit or two
        Stage::Passive => h(&[LOW, MEDIUM], 0.0, false, (0, 0), Release::Pinned, false),
    }
}

impl Habit {
    fn day(&self, c: &Company, day: i64, n: u32, ip: String, r: &mut Rng, out: &mut Vec<Event>) {
        for _ in 0..n {
            let pool = r.pick(self.pages);
            let path = r.pick(pool);
            let from = if self.roaming {
                source(c, r)
            } else {
                ip.clone()
            };
            out.push(view(at(day, r), from, path, r));
        }
        let edge = self.download_on_edges && (day == c.first_day || day == c.last_day);
        if self.download > 0.0 && (edge || r.chance(self.download)) {
            let version = match self.release {
                Release::Pinned => version_at(c.first_day),
                Release::Latest => version_at(day),
            };
            let files = r.range(self.files.0, self.files.1) as u32;
            download_session(out, at(day, r), &ip, &version, r.pick(CLIENTS), files);
        }
    }
}

fn addr_in(base: Ipv4Addr, prefix: u8, r: &mut Rng) -> String {
    let size = 1u64 << (32 - u32::from(prefix));
    Ipv4Addr::from(u32::from(base) + 1 + r.below(size - 2) as u32).to_string()
}

/// Noise on `day`: CI runners, residential drive-bys, VPN visits and bots,
/// about `volume` events.
pub fn noise_day(day: i64, seed: u64, volume: u64, out: &mut Vec<Event>) {
    let mut r = Rng::stream(&[seed, 3, day as u64]);
    let mut made = 0u64;
    while made < volume {
        let before = out.len();
        match r.below(10) {
            // CI runners: bursts of downloads of the latest release
            0..=5 => {
                let (base, prefix, _, _) = r.pick(CLOUDS);
                let ip = addr_in(base, prefix, &mut r);
                let client = r.pick(CI_CLIENTS);
                download_session(
                    out,
                    at(day, &mut r),
                    &ip,
                    &version_at(day),
                    client,
                    r.range(1, 8) as u32,
                );
            }
            // residential drive-by visitors
            6..=7 => {
                let (base, prefix, _, _) = r.pick(ISPS);
                let ip = addr_in(base, prefix, &mut r);
                for _ in 0..r.range(1, 4) {
                    let path = match r.below(4) {
                        0 => r.pick(DOCS_INSTALL),
                        1 => r.pick(MEDIUM),
                        2 => r.pick(HIGH),
                        _ => r.pick(LOW),
                    };
                    out.push(view(at(day, &mut r), ip.clone(), path, &mut r));
                }
                if r.chance(0.2) {
                    download_session(
                        out,
                        at(day, &mut r),
                        &ip,
                        &version_at(day),
                        r.pick(CLIENTS),
                        1,
                    );
                }
            }
            // VPN exits
            8 => {
                let ip = addr_in(VPN.0, VPN.1, &mut r);
                out.push(view(at(day, &mut r), ip, r.pick(DOCS_OTHER), &mut r));
            }
            // crawlers
            _ => {
                let (base, prefix, _, _) = CLOUDS[1];
                let mut e = view(
                    at(day, &mut r),
                    addr_in(base, prefix, &mut r),
                    r.pick(DOCS_OTHER),
                    &mut r,
                );
                e.user_agent = r.pick(BOTS);
                out.push(e);
            }
        }
        made += (out.len() - before) as u64;
    }
}
