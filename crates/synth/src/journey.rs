//! What a company (or a noise source) does on one day.

use crate::events::*;
use crate::rng::Rng;
use crate::world::{
    Access, CLOUDS, Company, ISPS, Pattern, Stage, VPN, alias_net, company_net, nat_address, net6,
    version_at,
};
use std::net::{Ipv4Addr, Ipv6Addr};

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

/// One company on one day: makes each machine's address of the day and
/// remembers which machines made events (`seen`, one bit per machine).
struct Today<'a> {
    c: &'a Company,
    day: i64,
    seed: u64,
    seen: u32,
}

impl Today<'_> {
    /// The address machine `m` uses today, for an event it makes.
    fn address(&mut self, m: u32) -> String {
        self.seen |= 1 << m;
        let c = self.c;
        match c.access {
            Access::Addresses => {
                let base = if c.alias.is_some() && m % 2 == 1 {
                    alias_net(c.id)
                } else {
                    company_net(c.id)
                };
                Ipv4Addr::from(u32::from(base) + 10 + m).to_string()
            }
            Access::Nat => nat_address(c.id).to_string(),
            Access::Ipv6Temporary => {
                // a temporary interface id: random, new every day (RFC 8981)
                let iid =
                    Rng::stream(&[self.seed, 4, u64::from(c.id), u64::from(m), self.day as u64])
                        .next_u64()
                        .max(1);
                Ipv6Addr::from(u128::from(net6(c.id)) | u128::from(iid)).to_string()
            }
        }
    }
}

/// The machine that installs today: any machine on its own address, one
/// of the installers (not the browser machine 0) on a shared network.
fn day_machine(c: &Company, r: &mut Rng) -> u32 {
    if c.access.shared() {
        1 + r.below(u64::from(c.sources.saturating_sub(1)).max(1)) as u32
    } else {
        r.below(u64::from(c.sources)) as u32
    }
}

/// The package client machine `m` installs with: one per machine, so the
/// installers of a shared network show different client families.
fn client(c: &Company, m: u32) -> &'static str {
    let i = if c.access.shared() {
        m.saturating_sub(1)
    } else {
        m
    };
    CLIENTS[i as usize % CLIENTS.len()]
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

/// A company's events on `day` (`days` is the as-of day index); returns
/// the machines that made them, one bit per machine.
pub fn company_day(
    c: &Company,
    day: i64,
    days: i64,
    seed: u64,
    scale: u32,
    out: &mut Vec<Event>,
) -> u32 {
    let mut r = Rng::stream(&[seed, 2, u64::from(c.id), day as u64]);
    if !active(c, day, days, &mut r) {
        return 0;
    }
    let n = (c.intensity * scale).max(1);
    let mut today = Today {
        c,
        day,
        seed,
        seen: 0,
    };
    let m = day_machine(c, &mut r);
    match (c.stage, c.pattern) {
        (Stage::Passive, Pattern::Burst) => {
            // one script on one machine, hundreds of downloads in one session
            let t = at(day, &mut r);
            let v = version_at(day);
            let ip = today.address(m);
            for i in 0..(200 + r.below(300)) as i64 {
                download_session(out, t + i * 1_000_000, &ip, &v, CI_CLIENTS[0], 1);
            }
        }
        (Stage::Passive, _) => {
            let views = r.range(1, 3) as u32;
            habit(Stage::Passive).day(&mut today, m, views, &mut r, out);
        }
        (Stage::Production, Pattern::CallHome) => {
            for s in 0..c.sources {
                let from = r.below(u64::from(c.sources)) as u32;
                let mut e = view(at(day, &mut r), today.address(from), "/ping", &mut r);
                e.kind = "call_home";
                e.user_agent = "leadlake-widget/1.0 (telemetry)";
                e.version = Some(version_at(c.first_day));
                e.ts += i64::from(s);
                out.push(e);
            }
        }
        (stage, _) => habit(stage).day(&mut today, m, n, &mut r, out),
    }
    today.seen
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
    /// `n` views and maybe a download session; `m` is the machine that
    /// installs today.
    fn day(&self, today: &mut Today<'_>, m: u32, n: u32, r: &mut Rng, out: &mut Vec<Event>) {
        let (c, day) = (today.c, today.day);
        for _ in 0..n {
            let pool = r.pick(self.pages);
            let path = r.pick(pool);
            // on a shared network the docs are read on the browser machine
            let from = if c.access.shared() {
                0
            } else if self.roaming {
                r.below(u64::from(c.sources)) as u32
            } else {
                m
            };
            out.push(view(at(day, r), today.address(from), path, r));
        }
        let edge = self.download_on_edges && (day == c.first_day || day == c.last_day);
        if self.download > 0.0 && (edge || r.chance(self.download)) {
            let version = match self.release {
                Release::Pinned => version_at(c.first_day),
                Release::Latest => version_at(day),
            };
            let files = r.range(self.files.0, self.files.1) as u32;
            let ip = today.address(m);
            download_session(out, at(day, r), &ip, &version, client(c, m), files);
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
