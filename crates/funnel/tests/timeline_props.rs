//! The one-pass timeline against the replay it replaced: for random event
//! logs (every kind and page class, versions of several schemes from
//! several sources, events on step, window and day boundaries, bursts on
//! one day and gaps of years), `EventLog::stages` equals
//! `EventLog::stages_by_replay`, which replays every earlier event into a
//! fresh profile per step, step for step.
#![expect(clippy::unwrap_used, reason = "a test fails loudly on purpose")]

use leadlake_funnel::days::{DAY_US, day_of};
use leadlake_funnel::timeline::EventLog;
use leadlake_funnel::version::Scheme;
use leadlake_funnel::{Event, Funnel, FunnelConfig, Kind, PageClass, Stage};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use std::sync::LazyLock;

const HOUR: i64 = 3_600_000_000;

/// Versions that parse under some schemes and not others, that compare
/// across schemes or not, and that repeat.
const VERSIONS: [&str; 8] = [
    "1.0.0", "1.2.0", "1.10.0", "2.0.0rc1", "2.0.0", "latest", "1.0", "v2",
];
const SCHEMES: [Scheme; 3] = [Scheme::Auto, Scheme::Pep440, Scheme::Semver];

/// The default rules; rules loose enough for random logs of a hundred
/// events to reach every stage, with sessions often cut by length; and
/// rules where only the count of download sessions decides between
/// evaluation and trial (a count one off shows).
static FUNNELS: LazyLock<[Funnel; 3]> = LazyLock::new(|| {
    let mut c = FunnelConfig::default();
    c.sessions.gap_minutes = 120;
    c.sessions.max_length_minutes = Some(30);
    let s = &mut c.stages;
    s.waning_span_days = 20;
    s.waning_drop_ratio = 0.5;
    s.maintenance_span_days = 25;
    s.production_span_days = 30;
    s.production_ping_days = 4;
    s.evaluation_view_days = 2;
    s.evaluation_download_sessions = 3;
    s.evaluation_span_days = 7;
    s.trial_active_days = 2;
    s.intrigued_docs_days = 2;
    let loose = Funnel::new(c.clone()).unwrap();
    let s = &mut c.stages;
    s.waning_span_days = u32::MAX;
    s.maintenance_span_days = u32::MAX;
    s.production_span_days = u32::MAX;
    s.production_ping_days = u32::MAX;
    s.evaluation_view_days = 0;
    s.evaluation_span_days = 0;
    s.evaluation_download_sessions = 6;
    s.trial_active_days = 0;
    // a gap under the longest session: sessions cut by either
    c.sessions.gap_minutes = 30;
    c.sessions.max_length_minutes = Some(90);
    [Funnel::default(), loose, Funnel::new(c).unwrap()]
});

/// Where an event sits, before jitter.
#[derive(Debug, Clone)]
enum Anchor {
    /// Microseconds before `as_of` (negative: at or after it, ignored).
    Before(i64),
    /// On the date of step `k`.
    Step(i64),
    /// 30, 60 or 90 days before the date of step `k`: a window's edge.
    Window(i64, i64),
    /// Midnight (UTC) of `d` days before `as_of`'s day.
    Midnight(i64),
}

#[derive(Debug, Clone)]
enum What {
    /// `times` downloads `every` microseconds apart (a build fetching
    /// again and again: sessions cut by the gap or by length).
    Download {
        version: Option<usize>,
        scheme: usize,
        times: i64,
        every: i64,
    },
    Docs(Option<usize>, u64),
    Page(Option<usize>, u64),
    Ping,
}

#[derive(Debug, Clone)]
struct Case {
    funnel: usize,
    as_of: i64,
    step: i64,
    events: Vec<(usize, i64, What, u64)>,
    anchors: Vec<Anchor>,
}

impl Case {
    fn log(&self) -> EventLog {
        let mut log = EventLog::default();
        for (anchor, jitter, what, source) in &self.events {
            let base = match self.anchors[anchor % self.anchors.len()] {
                Anchor::Before(us) => self.as_of - us,
                Anchor::Step(k) => self.as_of - k * self.step,
                Anchor::Window(k, w) => self.as_of - k * self.step - w * 30 * DAY_US,
                Anchor::Midnight(d) => (day_of(self.as_of) - d) * DAY_US,
            };
            let mut repeat = (1, 0);
            let (kind, class, page, version, scheme) = match *what {
                What::Download {
                    version,
                    scheme,
                    times,
                    every,
                } => {
                    repeat = (times, every);
                    (
                        Kind::Download,
                        None,
                        0,
                        version.map(|v| VERSIONS[v]),
                        SCHEMES[scheme],
                    )
                }
                What::Docs(class, page) => (
                    Kind::DocsView,
                    class.map(|c| PageClass::ALL[c]),
                    page,
                    None,
                    Scheme::Auto,
                ),
                What::Page(class, page) => (
                    Kind::PageView,
                    class.map(|c| PageClass::ALL[c]),
                    page,
                    None,
                    Scheme::Auto,
                ),
                What::Ping => (Kind::CallHome, None, 0, None, Scheme::Auto),
            };
            for i in 0..repeat.0 {
                log.push(&Event {
                    ts: base + jitter + i * repeat.1,
                    kind,
                    class,
                    page,
                    version,
                    scheme,
                    source: *source,
                });
            }
        }
        log
    }

    fn funnel(&self) -> &'static Funnel {
        &FUNNELS[self.funnel]
    }
}

fn anchor() -> impl Strategy<Value = Anchor> {
    prop_oneof![
        3 => (-2 * DAY_US..900 * DAY_US).prop_map(Anchor::Before),
        1 => (-DAY_US..2 * DAY_US).prop_map(Anchor::Before),
        2 => (0i64..60).prop_map(Anchor::Step),
        1 => (0i64..30, 1i64..=3).prop_map(|(k, w)| Anchor::Window(k, w)),
        1 => (0i64..400).prop_map(Anchor::Midnight),
    ]
}

fn jitter() -> impl Strategy<Value = i64> {
    prop_oneof![
        3 => Just(0i64),
        1 => Just(-1i64),
        1 => Just(1i64),
        2 => 0..60_000_000i64,
        2 => 0..4 * HOUR,
        // chains of events about 20 minutes apart: near the session gap
        // and, after a few, past the longest session
        3 => (0i64..10, 0..120_000_000i64).prop_map(|(n, s)| n * 20 * 60_000_000 + s),
        2 => -3 * DAY_US..3 * DAY_US,
        2 => -90 * DAY_US..90 * DAY_US,
    ]
}

fn what() -> impl Strategy<Value = What> {
    let class = prop::option::weighted(0.9, 0..PageClass::ALL.len());
    prop_oneof![
        3 => (
            prop::option::weighted(0.85, 0..VERSIONS.len()),
            0..SCHEMES.len(),
            prop_oneof![4 => Just(1i64), 1 => 2i64..12],
            0..45 * 60_000_000i64,
        )
            .prop_map(|(version, scheme, times, every)| What::Download {
                version,
                scheme,
                times,
                every,
            }),
        2 => (class.clone(), 0u64..6).prop_map(|(c, p)| What::Docs(c, p)),
        2 => (class, 0u64..6).prop_map(|(c, p)| What::Page(c, p)),
        2 => Just(What::Ping),
    ]
}

fn case() -> impl Strategy<Value = Case> {
    // midnight (a DATE in SQL) or any instant of the day
    let as_of = (
        prop_oneof![Just(20_000i64), Just(0), Just(-400)],
        prop_oneof![Just(0), 0..DAY_US],
    )
        .prop_map(|(day, us)| day * DAY_US + us);
    let step = prop_oneof![
        Just(DAY_US),
        Just(7 * DAY_US),
        Just(30 * DAY_US),
        6 * HOUR..40 * DAY_US,
    ];
    let events = prop::collection::vec((any::<usize>(), jitter(), what(), 0u64..4), 0..120);
    (
        0..FUNNELS.len(),
        as_of,
        step,
        events,
        prop::collection::vec(anchor(), 1..6),
    )
        .prop_map(|(funnel, as_of, step, events, anchors)| Case {
            funnel,
            as_of,
            step,
            events,
            anchors,
        })
}

type Timeline = Vec<(i64, Stage)>;

/// The timeline of one pass, then of the replay.
fn both(c: &Case) -> (Timeline, Timeline) {
    let log = c.log();
    // each on its own copy: both sort the same pushed order the same way
    let fast = log.clone().stages(c.funnel(), c.as_of, c.step).unwrap();
    let slow = log
        .clone()
        .stages_by_replay(c.funnel(), c.as_of, c.step)
        .unwrap();
    (fast, slow)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn one_pass_equals_the_replay(c in case()) {
        let (fast, slow) = both(&c);
        prop_assert_eq!(fast, slow);
    }
}

/// The generator is worth its cases: over a fixed series of logs, every
/// stage comes up under the first two rule sets, and the third gives
/// both evaluation and trial.
#[test]
fn random_logs_reach_every_stage() {
    let mut runner = TestRunner::deterministic();
    let strategy = case();
    let mut seen = [[0u32; 7]; 3];
    for _ in 0..400 {
        let c = strategy.new_tree(&mut runner).unwrap().current();
        let (fast, slow) = both(&c);
        assert_eq!(fast, slow, "{c:?}");
        for (_, s) in fast {
            seen[c.funnel][s as usize] += 1;
        }
    }
    assert!(seen[..2].iter().flatten().all(|&n| n > 0), "{seen:?}");
    let sessions = seen[2];
    assert!(
        sessions[Stage::Evaluation as usize] > 0 && sessions[Stage::Trial as usize] > 0,
        "{seen:?}"
    );
}

#[test]
fn too_many_steps_and_far_dates() {
    let f = Funnel::default();
    let mut log = EventLog::default();
    let page = |ts| Event {
        ts,
        kind: Kind::PageView,
        class: Some(PageClass::Low),
        page: 1,
        version: None,
        scheme: Scheme::Auto,
        source: 1,
    };
    log.push(&page(0));
    // the same refusal, before any work
    let as_of = 200 * DAY_US;
    let err = log.clone().stages(&f, as_of, 60_000_000).unwrap_err();
    assert_eq!(
        log.clone().stages_by_replay(&f, as_of, 60_000_000),
        Err(err)
    );
    assert_eq!(err.first, 0);
    // no step, no events after the first, nothing before as_of: empty
    assert_eq!(log.clone().stages(&f, as_of, 0), Ok(Vec::new()));
    assert_eq!(log.clone().stages(&f, 0, DAY_US), Ok(Vec::new()));
    assert_eq!(
        EventLog::default().stages(&f, as_of, DAY_US),
        Ok(Vec::new())
    );
    // an event at the start of time and as_of at its end: the span and
    // `k * step` overflow i64, the steps do not
    log.push(&page(i64::MIN + 1));
    let step = i64::MAX / 4;
    let stages = log.clone().stages(&f, i64::MAX, step).unwrap();
    let dates: Vec<i64> = stages.iter().map(|s| s.0).collect();
    let steps = (i128::from(i64::MAX) - i128::from(i64::MIN + 1) - 1) / i128::from(step);
    assert_eq!(steps, 8);
    let expected: Vec<i64> = (0..=steps)
        .rev()
        .map(|k| (i128::from(i64::MAX) - k * i128::from(step)) as i64)
        .collect();
    assert_eq!(dates, expected);
    assert!(stages.iter().all(|s| s.1 == Stage::Passive), "{stages:?}");
}
