//! Bad input never panics: every registered leadlake function, scalar,
//! aggregate, window and table, is called with random arities and random
//! arguments (strings of any characters, byte strings, intervals, NULLs,
//! extreme integers and floats, far dates, every string flavour), as
//! columns and as constants. Each call must give an answer or an error;
//! a panic fails the property and proptest shrinks it to the smallest
//! call. Found this way: `session_id(ts, INTERVAL '200000000 days')`
//! overflowed a microsecond count.

use crate::support;
use datafusion::prelude::SessionContext;
use proptest::prelude::*;
use std::sync::{Arc, OnceLock};

/// How a function is called.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Scalar,
    Aggregate,
    Window,
}

/// Every leadlake function with how it is called (the registry's own
/// lists, so a new function is covered without touching this test).
fn functions() -> &'static [(String, Kind)] {
    static FUNCTIONS: OnceLock<Vec<(String, Kind)>> = OnceLock::new();
    FUNCTIONS.get_or_init(|| {
        let table = Arc::new(leadlake::udfs::AddressTable::new(Arc::new(
            leadlake::ipdb::Resolver::open(support::config().ipdb).unwrap(),
        )));
        let funnel = Arc::new(leadlake::funnel::Funnel::default());
        let mut out = Vec::new();
        for f in leadlake::udfs::scalar_functions(&table, &funnel) {
            out.push((f.name().to_string(), Kind::Scalar));
        }
        for f in leadlake::udfs::aggregate_functions(&funnel) {
            out.push((f.name().to_string(), Kind::Aggregate));
        }
        for f in leadlake::udfs::window_functions() {
            out.push((f.name().to_string(), Kind::Window));
        }
        assert_eq!(out.len(), 25, "every function is exercised");
        out
    })
}

fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A value of one kind, as SQL; every value of one argument is of one kind
/// so a VALUES list of them has one type.
#[derive(Debug, Clone, Copy)]
enum ValueKind {
    Text,
    Bytes,
    Integer,
    Float,
    Interval,
    Timestamp,
    Date,
    Bool,
    Null,
}

fn value_kind() -> impl Strategy<Value = ValueKind> {
    prop_oneof![
        3 => Just(ValueKind::Text),
        1 => Just(ValueKind::Bytes),
        2 => Just(ValueKind::Integer),
        1 => Just(ValueKind::Float),
        2 => Just(ValueKind::Interval),
        2 => Just(ValueKind::Timestamp),
        1 => Just(ValueKind::Date),
        1 => Just(ValueKind::Bool),
        1 => Just(ValueKind::Null),
    ]
}

fn extreme_integer() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(i64::MIN),
        Just(i64::MAX),
        Just(i64::from(i32::MIN)),
        Just(i64::from(i32::MAX)),
        Just(-1),
        Just(0),
        Just(1),
        Just(33),
        Just(129),
        any::<i64>(),
    ]
}

/// Texts users really pass (addresses, versions, paths, agents, dates)
/// and arbitrary ones.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("203.0.113.7".to_string()),
        Just("::ffff:1.2.3.4".to_string()),
        Just("2001:db8::1".to_string()),
        Just("[::1]:80".to_string()),
        Just("1.0rc1".to_string()),
        Just("v 1.2.3".to_string()),
        Just("99999999999999999999.0".to_string()),
        Just("/docs/install".to_string()),
        Just("download".to_string()),
        Just("pip/24.0 CPython/3.12".to_string()),
        Just("2026-11-01".to_string()),
        Just("9999-12-31".to_string()),
        Just(String::new()),
        ".{0,40}",
        "[0-9.:a-f]{0,45}",
    ]
}

fn value(kind: ValueKind) -> BoxedStrategy<String> {
    match kind {
        ValueKind::Text => text()
            .prop_flat_map(|t| {
                prop_oneof![
                    Just(quoted(&t)),
                    Just(format!("arrow_cast({}, 'Utf8View')", quoted(&t))),
                    Just(format!("arrow_cast({}, 'LargeUtf8')", quoted(&t))),
                    Just(format!(
                        "arrow_cast({}, 'Dictionary(Int32, Utf8)')",
                        quoted(&t)
                    )),
                ]
            })
            .boxed(),
        ValueKind::Bytes => proptest::collection::vec(any::<u8>(), 0..20)
            .prop_map(|b| {
                let hex: String = b.iter().map(|x| format!("{x:02X}")).collect();
                format!("X'{hex}'")
            })
            .boxed(),
        ValueKind::Integer => extreme_integer()
            .prop_map(|n| {
                if n == i64::MIN {
                    // a literal i64::MIN does not parse as one token
                    "(-9223372036854775807 - 1)".to_string()
                } else {
                    n.to_string()
                }
            })
            .boxed(),
        ValueKind::Float => prop_oneof![
            Just("1e308".to_string()),
            Just("-1e308".to_string()),
            Just("CAST('NaN' AS DOUBLE)".to_string()),
            Just("-0.0".to_string()),
            Just("0.5".to_string()),
        ]
        .boxed(),
        ValueKind::Interval => (
            prop_oneof![
                Just(i64::from(i32::MAX)),
                Just(i64::from(i32::MIN) + 1),
                Just(200_000_000),
                Just(0),
                Just(-5),
                Just(30),
                -1_000_000i64..1_000_000,
            ],
            prop_oneof![
                Just("days"),
                Just("minutes"),
                Just("hours"),
                Just("months"),
                Just("seconds"),
            ],
        )
            .prop_map(|(n, unit)| format!("INTERVAL '{n} {unit}'"))
            .boxed(),
        ValueKind::Timestamp => prop_oneof![
            Just("TIMESTAMP '2026-02-10 10:00:00'".to_string()),
            Just("TIMESTAMP '1677-09-22 00:12:44'".to_string()),
            Just("TIMESTAMP '2262-04-11 23:47:16'".to_string()),
            Just("TIMESTAMP '1970-01-01 00:00:00'".to_string()),
            Just("arrow_cast(9223372036854775807, 'Timestamp(Microsecond, None)')".to_string()),
            Just("arrow_cast(-9223372036854775807, 'Timestamp(Microsecond, None)')".to_string()),
            Just("arrow_cast(1, 'Timestamp(Second, Some(\"+05:00\"))')".to_string()),
        ]
        .boxed(),
        ValueKind::Date => prop_oneof![
            Just("DATE '9999-12-31'".to_string()),
            Just("DATE '0001-01-01'".to_string()),
            Just("DATE '2026-03-01'".to_string()),
        ]
        .boxed(),
        ValueKind::Bool => any::<bool>().prop_map(|b| b.to_string()).boxed(),
        ValueKind::Null => Just("NULL".to_string()).boxed(),
    }
}

/// One argument: its rows (one to three values of one kind) and whether it
/// is passed as a constant (the first row) rather than as a column.
fn argument() -> impl Strategy<Value = (Vec<String>, bool)> {
    value_kind().prop_flat_map(|k| {
        (
            proptest::collection::vec(value(k), 3),
            proptest::bool::weighted(0.3),
        )
    })
}

/// The SQL of one call of `f` over `args`.
fn call(f: &str, kind: Kind, args: &[(Vec<String>, bool)]) -> String {
    let rows: Vec<String> = (0..3)
        .map(|r| {
            let mut row = vec![r.to_string()];
            row.extend(args.iter().map(|(values, _)| values[r].clone()));
            format!("({})", row.join(", "))
        })
        .collect();
    let names: Vec<String> = std::iter::once("k".to_string())
        .chain((1..=args.len()).map(|i| format!("c{i}")))
        .collect();
    let params: Vec<String> = args
        .iter()
        .enumerate()
        .map(|(i, (values, constant))| {
            if *constant {
                values[0].clone()
            } else {
                format!("c{}", i + 1)
            }
        })
        .collect();
    let params = params.join(", ");
    let over = match kind {
        Kind::Window if args.is_empty() => " OVER (ORDER BY k)".to_string(),
        Kind::Window => " OVER (PARTITION BY k % 2 ORDER BY c1)".to_string(),
        _ => String::new(),
    };
    format!(
        "SELECT {f}({params}){over} FROM (VALUES {}) AS t({})",
        rows.join(", "),
        names.join(", ")
    )
}

fn context() -> &'static SessionContext {
    static CTX: OnceLock<SessionContext> = OnceLock::new();
    CTX.get_or_init(support::context)
}

/// Plan and run `sql`: an answer or an error, whichever; a panic unwinds
/// through here and fails the property.
fn run(sql: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        match context().sql(sql).await {
            Ok(df) => match df.collect().await {
                Ok(_) => {}
                Err(e) => assert!(!e.to_string().contains("panicked"), "{sql}: {e}"),
            },
            Err(e) => assert!(!e.to_string().contains("panicked"), "{sql}: {e}"),
        }
    });
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 600,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_function_panics_on_any_arguments(
        f in 0..24usize,
        args in proptest::collection::vec(argument(), 0..8),
    ) {
        let (name, kind) = &functions()[f];
        run(&call(name, *kind, &args));
    }

    #[test]
    fn ip_networks_never_panics_on_any_argument(arg in value_kind().prop_flat_map(value)) {
        run(&format!("SELECT count(*) FROM ip_networks({arg})"));
    }
}

proptest! {
    // Each case plans and runs two window queries; fewer cases keep the
    // debug-build test under half a minute.
    #![proptest_config(ProptestConfig {
        cases: 150,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Well-formed calls with random durations: reaches the duration
    /// checks every time instead of now and then.
    #[test]
    fn durations_of_any_size_never_panic(
        f in prop_oneof![Just("session_id"), Just("session_start"), Just("session_end")],
        gap in prop_oneof![value(ValueKind::Interval), value(ValueKind::Integer)],
        max in prop_oneof![value(ValueKind::Interval), value(ValueKind::Integer), Just(String::new())],
        ts in proptest::collection::vec(value(ValueKind::Timestamp), 3),
    ) {
        let max = if max.is_empty() { max } else { format!(", {max}") };
        run(&format!(
            "SELECT {f}(ts, {gap}{max}) OVER (ORDER BY ts) FROM (VALUES ({}), ({}), ({})) AS t(ts)",
            ts[0], ts[1], ts[2]
        ));
        run(&format!(
            "SELECT stage_timeline(ts, 'download', '/simple/x/', '1.0', 's', DATE '2026-03-01', {gap}) FROM (VALUES ({}), ({}), ({})) AS t(ts)",
            ts[0], ts[1], ts[2]
        ));
    }
}

/// The case the issue reported, and its neighbours, each an error naming
/// the function and the argument.
#[tokio::test]
async fn huge_durations_are_errors_naming_the_argument() {
    let ctx = support::context();
    for (sql, says) in [
        (
            "SELECT session_id(ts, INTERVAL '200000000 days') OVER (ORDER BY ts) FROM (VALUES (TIMESTAMP '2026-01-01 00:00:00')) AS t(ts)",
            "'session_id': gap is too long",
        ),
        (
            "SELECT session_id(ts, 9223372036854775807) OVER (ORDER BY ts) FROM (VALUES (TIMESTAMP '2026-01-01 00:00:00')) AS t(ts)",
            "'session_id': gap is too long",
        ),
        (
            "SELECT session_end(ts, 30, -9223372036854775807) OVER (ORDER BY ts) FROM (VALUES (TIMESTAMP '2026-01-01 00:00:00')) AS t(ts)",
            "'session_end': max_length must be positive",
        ),
        (
            "SELECT stage_timeline(ts, 'download', '/x', '1.0', 's', DATE '2026-03-01', INTERVAL '2147483647 days') FROM (VALUES (TIMESTAMP '2026-01-01 00:00:00')) AS t(ts)",
            "'stage_timeline': step is too long",
        ),
        (
            "SELECT stage_timeline(ts, 'download', '/x', '1.0', 's', TIMESTAMP '2262-04-11 00:00:00', INTERVAL '1 minute') FROM (VALUES (TIMESTAMP '1677-09-22 00:12:44')) AS t(ts)",
            "'stage_timeline': more than 100000 steps",
        ),
        (
            "SELECT ip_anonymize('1.2.3.4', 18446744073709551615)",
            "'ip_anonymize' v4_prefix must be between 0 and 32",
        ),
    ] {
        let e = match ctx.sql(sql).await {
            Ok(df) => df.collect().await.err(),
            Err(e) => Some(e),
        };
        let e = e.map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains(says), "{sql}: {e}");
    }
}
