//! A Python project's company that upgrades through a release candidate
//! and a post release (`2.0.0rc1 → 2.0.0 → 2.0.1.post1`) is classified
//! maintenance, its upgrades counted under PEP 440; the same downloads
//! under strict semver (which reads none but `2.0.0`) are not.
#![expect(clippy::unwrap_used, reason = "a test fails loudly on purpose")]

use leadlake_funnel::days::DAY_US;
use leadlake_funnel::version::Scheme;
use leadlake_funnel::{Event, Funnel, FunnelConfig, Kind, Profile, Stage};

const AS_OF: i64 = 20_000 * DAY_US;

fn event(
    days_before: i64,
    kind: Kind,
    path: &'static str,
    version: Option<&'static str>,
    source: u64,
) -> Event<'static> {
    Event {
        ts: AS_OF - days_before * DAY_US + 12 * 3_600_000_000,
        kind,
        class: None,
        page: path.len() as u64,
        version,
        scheme: Scheme::Auto,
        source,
    }
}

fn python_company(f: &Funnel) -> Profile {
    let mut p = Profile::new(AS_OF);
    let mut add = |e: Event| {
        let e = Event {
            class: Some(f.pages.classify(if e.kind == Kind::Download {
                "/pkg"
            } else {
                "/docs/api/client"
            })),
            // the scheme of the package's versions, as the SQL layer finds it
            scheme: f.schemes.scheme_for(Some("acme_client")),
            ..e
        };
        p.add(f, &e);
    };
    for d in (1..=150).step_by(10) {
        add(event(d, Kind::DocsView, "/docs/api/client", None, 1));
        let v = match d {
            101.. => "2.0.0rc1",
            41..=100 => "2.0.0",
            _ => "2.0.1.post1",
        };
        add(event(d, Kind::Download, "/pkg", Some(v), 2));
    }
    let mut upgrade_docs = event(5, Kind::DocsView, "/docs/upgrade", None, 1);
    upgrade_docs.class = Some(f.pages.classify("/docs/upgrade"));
    p.add(f, &upgrade_docs);
    p
}

fn evaluate(scheme: Scheme) -> (Stage, u32, u32) {
    // every other package is semver; this one is named by a glob
    let f = Funnel::new(FunnelConfig {
        version_scheme: Scheme::Semver,
        version_schemes: [("acme-*".to_string(), scheme)].into_iter().collect(),
        ..FunnelConfig::default()
    })
    .unwrap();
    let (summary, _, stage, _) = f.evaluate(&python_company(&f)).unwrap();
    (stage.stage, summary.versions, summary.upgrades)
}

#[test]
fn release_candidates_and_post_releases_make_maintenance() {
    for scheme in [Scheme::Auto, Scheme::Pep440] {
        assert_eq!(
            evaluate(scheme),
            (Stage::Maintenance, 3, 2),
            "{}",
            scheme.name()
        );
    }
    // strict semver reads only 2.0.0: no upgrade, so not maintenance
    let (stage, versions, upgrades) = evaluate(Scheme::Semver);
    assert_eq!((versions, upgrades), (3, 0));
    assert_ne!(stage, Stage::Maintenance);
}
