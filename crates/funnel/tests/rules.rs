//! Planted journeys for every stage and every cell of the GOOD / BETTER /
//! BEST table, boundaries included, through the public profile API.
#![expect(clippy::unwrap_used, reason = "a test fails loudly on purpose")]

use leadlake_funnel::days::DAY_US;
use leadlake_funnel::version::Scheme;
use leadlake_funnel::{Event, Funnel, Kind, Profile, Stage, Tier};

const AS_OF: i64 = 20_000 * DAY_US; // a midnight
const HOUR: i64 = 3_600_000_000;

/// A company's events, planted by days before `as_of` (1 = the day before).
#[derive(Default)]
struct Plant {
    events: Vec<(i64, Kind, String, Option<String>, u64)>,
}

impl Plant {
    fn at(
        &mut self,
        days_before: i64,
        hour: i64,
        kind: Kind,
        path: &str,
        version: Option<&str>,
        source: u64,
    ) -> &mut Self {
        self.events.push((
            AS_OF - days_before * DAY_US + hour * HOUR,
            kind,
            path.to_string(),
            version.map(str::to_string),
            source,
        ));
        self
    }
    fn docs(&mut self, days_before: i64, path: &str, source: u64) -> &mut Self {
        self.at(days_before, 10, Kind::DocsView, path, None, source)
    }
    fn page(&mut self, days_before: i64, path: &str) -> &mut Self {
        self.at(days_before, 10, Kind::PageView, path, None, 1)
    }
    fn download(&mut self, days_before: i64, version: &str, source: u64) -> &mut Self {
        self.at(
            days_before,
            12,
            Kind::Download,
            "/pkg",
            Some(version),
            source,
        )
    }
    fn ping(&mut self, days_before: i64, source: u64) -> &mut Self {
        self.at(days_before, 3, Kind::CallHome, "/ping", None, source)
    }
    fn profile(&self, f: &Funnel, as_of: i64) -> Profile {
        let mut p = Profile::new(as_of);
        for (ts, kind, path, version, source) in &self.events {
            p.add(
                f,
                &Event {
                    ts: *ts,
                    kind: *kind,
                    class: Some(f.pages.classify(path)),
                    page: path.len() as u64 * 31 + path.bytes().map(u64::from).sum::<u64>(),
                    version: version.as_deref(),
                    scheme: Scheme::Auto,
                    source: *source,
                },
            );
        }
        p
    }
    fn stage(&self) -> Stage {
        let f = Funnel::default();
        f.evaluate(&self.profile(&f, AS_OF)).unwrap().2.stage
    }
    fn tiers(&self) -> leadlake_funnel::Tiers {
        let f = Funnel::default();
        f.evaluate(&self.profile(&f, AS_OF)).unwrap().1
    }
}

fn production() -> Plant {
    let mut p = Plant::default();
    for d in (1..=120).step_by(10) {
        p.docs(d, "/docs/api/client", 1).download(d, "1.0.0", 2);
    }
    p
}

#[test]
fn every_stage_from_its_rule() {
    let mut passive = Plant::default();
    passive.page(3, "/").page(3, "/about");
    assert_eq!(passive.stage(), Stage::Passive);

    let mut intrigued = Plant::default();
    intrigued
        .docs(10, "/docs/install", 1)
        .docs(4, "/docs/concepts", 2);
    assert_eq!(intrigued.stage(), Stage::Intrigued);

    let mut trial = Plant::default();
    trial.docs(8, "/docs/install", 1).download(5, "1.0.0", 1);
    assert_eq!(trial.stage(), Stage::Trial);

    let mut evaluation = Plant::default();
    evaluation
        .docs(30, "/docs/install", 1)
        .download(30, "1.0.0", 1)
        .docs(20, "/docs/concepts", 1)
        .download(9, "1.0.0", 1)
        .page(9, "/features");
    assert_eq!(evaluation.stage(), Stage::Evaluation);

    assert_eq!(production().stage(), Stage::Production);

    let mut maintenance = production();
    maintenance
        .download(5, "1.1.0", 2)
        .docs(5, "/docs/upgrade", 1);
    assert_eq!(maintenance.stage(), Stage::Maintenance);

    let mut waning = Plant::default();
    for d in 31..=100 {
        waning.docs(d, "/docs/concepts", 1);
    }
    waning.docs(2, "/docs/concepts", 1);
    assert_eq!(waning.stage(), Stage::Waning);

    let mut pinging = Plant::default();
    for d in 1..=30 {
        pinging.ping(d, 7);
    }
    assert_eq!(pinging.stage(), Stage::Production);
    pinging.events.pop();
    assert_ne!(
        pinging.stage(),
        Stage::Production,
        "29 ping days are not production"
    );
}

#[test]
fn stage_boundaries() {
    // evaluation needs a span of 21 days: 21 holds, 20 does not
    let eval = |span: i64| {
        let mut p = Plant::default();
        p.docs(2 + span, "/docs/install", 1)
            .download(2 + span, "1.0.0", 1)
            .docs(5, "/docs/concepts", 1)
            .docs(3, "/docs/faq", 1)
            .download(2, "1.0.0", 1);
        p.stage()
    };
    assert_eq!(eval(21), Stage::Evaluation);
    assert_eq!(eval(20), Stage::Trial);

    // two downloads 29 minutes apart are one session; 30 minutes, two
    let sessions = |minutes: i64| {
        let mut p = Plant::default();
        p.docs(30, "/docs/install", 1)
            .docs(20, "/docs/concepts", 1)
            .docs(9, "/docs/faq", 1);
        p.events.push((
            AS_OF - 9 * DAY_US,
            Kind::Download,
            "/pkg".into(),
            Some("1.0.0".into()),
            1,
        ));
        p.events.push((
            AS_OF - 9 * DAY_US + minutes * 60_000_000,
            Kind::Download,
            "/pkg".into(),
            Some("1.0.0".into()),
            1,
        ));
        p.stage()
    };
    assert_eq!(sessions(29), Stage::Trial);
    assert_eq!(sessions(30), Stage::Evaluation);

    // waning: exactly 25 % of the previous 30 days is a drop; one more is not
    let waning = |last30: usize| {
        let mut p = Plant::default();
        for d in 31..=90 {
            p.docs(d, "/docs/concepts", 1);
        }
        // prev30 = 30 events (days 31..=60)
        for i in 0..last30 {
            p.docs(1 + i as i64 % 29, "/docs/concepts", 1);
        }
        p.stage()
    };
    assert_eq!(waning(7), Stage::Waning);
    assert_ne!(waning(8), Stage::Waning);

    // events exactly at as_of are ignored, one microsecond before counts
    let f = Funnel::default();
    let mut p = Profile::new(AS_OF);
    let e = |ts| Event {
        ts,
        kind: Kind::PageView,
        class: None,
        page: 1,
        version: None,
        scheme: Scheme::Auto,
        source: 1,
    };
    p.add(&f, &e(AS_OF));
    assert!(f.evaluate(&p).is_none());
    p.add(&f, &e(AS_OF - 1));
    assert_eq!(f.evaluate(&p).unwrap().0.events, 1);
}

/// An event at the far past of i64 microseconds (year -290308) and a
/// present `as_of` are further apart than i64 holds: the event counts,
/// as older than every window, and nothing overflows.
#[test]
fn the_far_past_is_older_than_every_window() {
    let f = Funnel::default();
    for as_of in [AS_OF, i64::MAX] {
        let mut p = Profile::new(as_of);
        for kind in [
            Kind::Download,
            Kind::DocsView,
            Kind::CallHome,
            Kind::PageView,
        ] {
            p.add(
                &f,
                &Event {
                    ts: i64::MIN,
                    kind,
                    class: None,
                    page: 1,
                    version: Some("1.0.0"),
                    scheme: Scheme::Auto,
                    source: 1,
                },
            );
        }
        let (x, _, stage, _) = f.evaluate(&p).unwrap();
        assert_eq!(x.events, 4);
        assert_eq!(
            (x.last30, x.prev30, x.prev60, x.downloads_last30),
            (0, 0, 0, 0)
        );
        assert_eq!(p.installs(), (0, 0), "{as_of}");
        assert_ne!(stage.stage, Stage::Production, "{as_of}");
    }
    // and an as_of at the very start of time counts nothing
    assert!(f.evaluate(&Profile::new(i64::MIN)).is_none());
}

#[test]
fn tier_cells() {
    use Tier::*;
    let t = |p: &Plant| p.tiers();
    // downloads: good = 1 in last 7 days; day 7 counts, day 8 not
    let mut p = Plant::default();
    p.download(7, "1.0.0", 1);
    assert_eq!(t(&p).downloads, Good);
    let mut p = Plant::default();
    p.download(8, "1.0.0", 1);
    assert_eq!(t(&p).downloads, None);
    // better: more than one download in the last 30 days (day 30 counts)
    p.download(30, "1.0.0", 1);
    assert_eq!(t(&p).downloads, Better);
    // best: downloads on 60 of the last 90 days with an upgrade
    let mut p = Plant::default();
    for d in 1..=60 {
        p.download(d, if d < 10 { "1.1.0" } else { "1.0.0" }, 1);
    }
    assert_eq!(t(&p).downloads, Best);
    p.events.retain(|e| e.0 != AS_OF - 60 * DAY_US + 12 * HOUR);
    assert_eq!(t(&p).downloads, Better, "59 days are not enough");

    // docs: good = 2 install views
    let mut p = Plant::default();
    p.docs(3, "/docs/install", 1);
    assert_eq!(t(&p).docs, None);
    p.docs(2, "/docs/setup", 1);
    assert_eq!(t(&p).docs, Good);
    // better: span > 30 days from 2 sources beyond install pages
    let mut p = Plant::default();
    p.docs(32, "/docs/concepts", 1).docs(2, "/docs/faq", 2);
    assert_eq!(
        t(&p).docs,
        None,
        "span of exactly 30 days is not more than 30"
    );
    p.docs(33, "/docs/concepts", 1);
    assert_eq!(t(&p).docs, Better);
    // best: span > 90 days, 2 sources, upgrade docs
    p.docs(93, "/docs/upgrade", 2);
    assert_eq!(t(&p).docs, Best);
    let mut one_source = Plant::default();
    one_source
        .docs(93, "/docs/upgrade", 1)
        .docs(2, "/docs/faq", 1);
    assert_eq!(t(&one_source).docs, None, "one source is never better");

    // web: good = 2 distinct pages in 7 days
    let mut p = Plant::default();
    p.page(2, "/").page(3, "/");
    assert_eq!(t(&p).web, None, "the same page twice");
    p.page(6, "/about");
    assert_eq!(t(&p).web, Good);
    let mut p = Plant::default();
    p.page(20, "/").page(25, "/blog/post");
    assert_eq!(t(&p).web, Better);
    p.page(29, "/pricing");
    assert_eq!(t(&p).web, Best);
}

#[test]
fn automation_never_outranks_production() {
    let f = Funnel::default();
    let mut burst = Plant::default();
    for i in 0..500 {
        burst.events.push((
            AS_OF - 2 * DAY_US + i * 1_000_000,
            Kind::Download,
            "/pkg".into(),
            Some("1.0.0".into()),
            9,
        ));
    }
    let b = f.evaluate(&burst.profile(&f, AS_OF)).unwrap();
    let p = f.evaluate(&production().profile(&f, AS_OF)).unwrap();
    assert_eq!(b.2.stage, Stage::Passive);
    assert!(
        b.3.score < p.3.score,
        "burst {:?} vs production {:?}",
        b.3,
        p.3
    );
    assert!(b.3.score <= 5, "{:?}", b.3);
}

#[test]
fn reproducible_as_of() {
    let f = Funnel::default();
    let mut m = production();
    // activity after an earlier as_of does not change that as_of's answer
    let early = AS_OF - 60 * DAY_US;
    let before = f.evaluate(&m.profile(&f, early)).unwrap();
    m.download(1, "9.0.0", 5).ping(1, 5);
    let after = f.evaluate(&m.profile(&f, early)).unwrap();
    assert_eq!(before.2, after.2);
    assert_eq!(before.3, after.3);
}

#[test]
fn timeline_replays_each_week() {
    use leadlake_funnel::timeline::EventLog;
    let f = Funnel::default();
    let mut m = Plant::default();
    // docs reading first (intrigued), then a download (trial)
    m.docs(40, "/docs/install", 1)
        .docs(38, "/docs/concepts", 1)
        .download(20, "1.0.0", 1);
    let mut log = EventLog::default();
    for (ts, kind, path, version, source) in &m.events {
        log.push(&Event {
            ts: *ts,
            kind: *kind,
            class: Some(f.pages.classify(path)),
            page: path.len() as u64,
            version: version.as_deref(),
            scheme: Scheme::Auto,
            source: *source,
        });
    }
    let week = 7 * DAY_US;
    let stages: Vec<(i64, Stage)> = log.stages(&f, AS_OF, week).unwrap();
    // steps: as_of - 5 weeks (day -35) ... as_of
    let days: Vec<i64> = stages.iter().map(|(at, _)| (AS_OF - at) / DAY_US).collect();
    assert_eq!(days, [35, 28, 21, 14, 7, 0]);
    let names: Vec<&str> = stages.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(
        names,
        [
            "intrigued",
            "intrigued",
            "intrigued",
            "trial",
            "trial",
            "trial"
        ]
    );
    // the one pass gives what a replay per week gives
    assert_eq!(log.stages_by_replay(&f, AS_OF, week), Ok(stages));
    // a one-second step over five weeks is 3 million steps: refused, not run
    let err = log.stages(&f, AS_OF, 1_000_000).unwrap_err();
    assert!(
        err.to_string()
            .contains("more than 100000 steps of 1 seconds"),
        "{err}"
    );
    // the span from a far-past event to a far-future as_of overflows i64
    log.push(&Event {
        ts: i64::MIN + 1,
        kind: Kind::PageView,
        class: Some(f.pages.classify("/")),
        page: 1,
        version: None,
        scheme: Scheme::Auto,
        source: 1,
    });
    assert!(log.stages(&f, i64::MAX, 1).is_err());
}

#[test]
fn kinds_are_read_exactly() {
    for k in ["download", "docs_view", "page_view", "call_home"] {
        assert_eq!(Kind::parse_bytes(k.as_bytes()).map(|_| k), Some(k));
    }
    assert_eq!(Kind::parse_bytes(b"docs_view"), Some(Kind::DocsView));
    assert_eq!(Kind::parse_bytes(b"page_view"), Some(Kind::PageView));
    for other in [
        "",
        "download ",
        "downloads",
        "Download",
        "docs_vie",
        "docs_viex",
        "page_vieW",
        "call_homd",
        "call_home\0",
        "telemetry",
        "docs_view\u{e9}",
    ] {
        assert_eq!(Kind::parse_bytes(other.as_bytes()), None, "{other:?}");
    }
}
