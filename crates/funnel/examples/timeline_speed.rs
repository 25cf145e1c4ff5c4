//! How long stage timelines take, one pass against the replay per step it
//! replaced, on a lake like the one that made `stage_timeline` slow:
//! thousands of companies with thousands of events each over a year,
//! weekly steps. Each company's log is made, then timed once per method on
//! its own copy (both sort it); the two timelines are also compared.
//!
//! ```text
//! cargo run -p leadlake-funnel --release --example timeline_speed [-- companies events step_days]
//! ```
//!
//! Defaults: 3,000 companies, 3,000 events each on average, 7-day steps.

use leadlake_funnel::days::DAY_US;
use leadlake_funnel::timeline::EventLog;
use leadlake_funnel::version::Scheme;
use leadlake_funnel::{Event, Funnel, Kind, PageClass};
use std::time::{Duration, Instant};

const VERSIONS: [&str; 12] = [
    "1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0", "1.5.0", "1.6.0", "1.7.0", "1.8.0", "1.9.0",
    "1.10.0", "2.0.0",
];

/// splitmix64: reproducible numbers without a dependency.
struct Numbers(u64);

impl Numbers {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// One company: from a first day in the year's first nine months to
/// `as_of`, downloads of a rising version from a few machines, docs and
/// page views of every class, and call-home pings.
fn company(r: &mut Numbers, events: u64, as_of: i64, year: i64) -> EventLog {
    let start = as_of - year + r.below(270) as i64 * DAY_US;
    let sources = 1 + r.below(8);
    let n = events / 6 + r.below(events * 5 / 3 + 1);
    let mut log = EventLog::default();
    for _ in 0..n {
        let ts = start + r.below((as_of - start) as u64) as i64;
        let progress = (ts - start) as f64 / (as_of - start) as f64;
        let source = r.below(sources);
        let (kind, class, page, version) = match r.below(20) {
            0..8 => {
                // later downloads fetch later versions, sometimes an old one
                let v = ((progress * VERSIONS.len() as f64) as usize)
                    .saturating_sub(r.below(3) as usize)
                    .min(VERSIONS.len() - 1);
                (Kind::Download, None, 0, Some(VERSIONS[v]))
            }
            8..13 => (
                Kind::DocsView,
                Some(PageClass::ALL[1 + r.below(3) as usize]),
                r.below(40),
                None,
            ),
            13..18 => (
                Kind::PageView,
                Some(PageClass::ALL[r.below(6) as usize]),
                r.below(60),
                None,
            ),
            _ => (Kind::CallHome, None, 0, None),
        };
        log.push(&Event {
            ts,
            kind,
            class,
            page,
            version,
            scheme: Scheme::Auto,
            source,
        });
    }
    log
}

fn main() {
    let arg = |i: usize, default: u64| {
        std::env::args()
            .nth(i)
            .and_then(|a| a.parse().ok())
            .unwrap_or(default)
    };
    let (companies, events, step_days) = (arg(1, 3_000), arg(2, 3_000), arg(3, 7));
    let f = Funnel::default();
    let as_of = 20_454 * DAY_US; // 2026-01-01
    let year = 365 * DAY_US;
    let step = step_days as i64 * DAY_US;
    let mut r = Numbers(17);
    let (mut pass, mut replay, mut sort) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let (mut total, mut steps) = (0usize, 0usize);
    for _ in 0..companies {
        let log = company(&mut r, events, as_of, year);
        total += log.len();
        // a step of 0 sorts the events and stops: what both methods pay first
        let mut copy = log.clone();
        let t = Instant::now();
        let none = copy.stages(&f, as_of, 0);
        sort += t.elapsed();
        assert_eq!(none, Ok(Vec::new()));
        let mut copy = log.clone();
        let t = Instant::now();
        let fast = copy.stages(&f, as_of, step);
        pass += t.elapsed();
        let mut copy = log.clone();
        let t = Instant::now();
        let slow = copy.stages_by_replay(&f, as_of, step);
        replay += t.elapsed();
        assert_eq!(fast, slow, "the one pass differs from the replay");
        steps += fast.map_or(0, |s| s.len());
    }
    println!(
        "{companies} companies, {total} events ({:.0} per company), {steps} steps of {step_days} days",
        total as f64 / companies as f64
    );
    println!("replay per step: {:>9.3} s", replay.as_secs_f64());
    println!("one pass:        {:>9.3} s", pass.as_secs_f64());
    println!(
        "ratio:           {:>9.1}x",
        replay.as_secs_f64() / pass.as_secs_f64()
    );
    println!(
        "of each, sorting the events: {:.3} s (ratio without it {:.1}x)",
        sort.as_secs_f64(),
        (replay - sort).as_secs_f64() / (pass.saturating_sub(sort)).as_secs_f64()
    );
}
