//! Shared by the test binaries: where the test data is, and a session
//! configured over it.

use datafusion::prelude::SessionContext;
use std::path::{Path, PathBuf};

#[path = "maxmind.rs"]
mod maxmind;
pub use maxmind::{maxmind, maxmind_dir};

/// This crate's own test fixtures.
pub fn data(name: &str) -> PathBuf {
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
        .join("tests/data")
        .join(name)
}

/// A GeoIP2-ISP database written here (once per test binary) with the
/// own networks MaxMind's test data lacks: a company on its own AS, access
/// providers told by their AS, their name or their domain (a GeoIP2-Domain
/// record), a company in an access provider's space, a telecom-named
/// company. Its ranges overlap none of MaxMind's.
pub fn access_databases() -> [PathBuf; 2] {
    use mmdb_writer::{Value, Writer};
    use std::sync::OnceLock;
    static WRITTEN: OnceLock<[PathBuf; 2]> = OnceLock::new();
    WRITTEN
        .get_or_init(|| {
            let epoch = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
            let mut isp = Writer::builder("GeoIP2-ISP").build_epoch(epoch).build();
            let mut domain = Writer::builder("GeoIP2-Domain").build_epoch(epoch).build();
            for (net, isp_name, org, asn, dom) in [
                ("17.0.0.0/8", "Apple Inc.", "Apple Inc.", 714, "apple.com"),
                (
                    "100.64.0.0/16",
                    "Northwind Broadband",
                    "Northwind Broadband",
                    4_200_000_001,
                    "",
                ),
                (
                    "100.65.0.0/16",
                    "Fabrikam",
                    "Fabrikam",
                    4_200_000_002,
                    "dsl.t-online.de",
                ),
                (
                    "100.66.0.0/16",
                    "Telecom Software Inc",
                    "Telecom Software Inc",
                    4_200_000_003,
                    "",
                ),
                (
                    "100.67.0.0/16",
                    "Deutsche Telekom AG",
                    "Deutsche Telekom AG",
                    3320,
                    "",
                ),
                (
                    "100.67.8.0/24",
                    "Deutsche Telekom AG",
                    "Siemens AG",
                    3320,
                    "siemens.com",
                ),
                ("100.68.0.0/16", "", "", 4_200_000_005, ""),
                ("100.69.0.0/16", "...", "...", 0, ""),
            ] {
                let mut fields = vec![("autonomous_system_number", Value::U32(asn))];
                if !isp_name.is_empty() {
                    fields.push(("isp", Value::from(isp_name)));
                }
                if !org.is_empty() {
                    fields.push(("organization", Value::from(org)));
                }
                let net: ipnet::IpNet = net.parse().expect("a network");
                isp.insert_value(net, Value::map(fields)).expect("inserted");
                if !dom.is_empty() {
                    domain
                        .insert_value(net, Value::map([("domain", Value::from(dom))]))
                        .expect("inserted");
                }
            }
            let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
            // the same bytes every time: written beside, then renamed over
            let save = |name: &str, w: &Writer| {
                let path = dir.join(name);
                let tmp = dir.join(format!("{name}.{}", std::process::id()));
                std::fs::write(&tmp, w.to_bytes().expect("written")).expect("saved");
                std::fs::rename(&tmp, &path).expect("renamed");
                path
            };
            [
                save("access-isp.mmdb", &isp),
                save("access-domain.mmdb", &domain),
            ]
        })
        .clone()
}

/// The configuration every SQL test uses: all six company-related MaxMind
/// test databases, the own networks of [`access_databases`], plus
/// `tests/data/overrides.csv`.
pub fn config() -> leadlake::Config {
    let mut config = leadlake::Config::from_ipdb(
        [
            "GeoIP2-Enterprise-Test",
            "GeoIP2-ISP-Test",
            "GeoIP2-Domain-Test",
            "GeoLite2-ASN-Test",
            "GeoIP2-Connection-Type-Test",
            "GeoIP2-Anonymous-IP-Test",
        ]
        .map(maxmind),
    );
    config.ipdb.databases.extend(access_databases());
    config.ipdb.overrides = Some(data("overrides.csv"));
    // packages named `strict-*` have strict semver versions (journey_stage.slt)
    config
        .funnel
        .version_schemes
        .insert("strict-*".into(), leadlake::funnel::version::Scheme::Semver);
    config
}

/// A fresh session with every leadlake function registered over [`config`].
pub fn context() -> SessionContext {
    let ctx = SessionContext::new_with_config(leadlake::session_config().with_target_partitions(2));
    leadlake::register_all(&ctx, &config()).expect("test databases open");
    ctx
}

/// A configuration over a lake written by `leadlake generate` in `dir`.
pub fn synthetic_config(dir: &Path) -> leadlake::Config {
    leadlake_cli::demo::synthetic_config(dir)
        .expect("a generated folder")
        .0
}

/// The ground truth of a lake `leadlake generate` wrote in `dir`, as the
/// table `truth`.
pub async fn register_truth(ctx: &SessionContext, dir: &Path) {
    let truth = dir.join("ground_truth.csv");
    ctx.sql(&format!(
        "CREATE EXTERNAL TABLE truth STORED AS CSV LOCATION '{}' OPTIONS ('format.has_header' 'true')",
        truth.display()
    ))
    .await
    .unwrap();
}

/// The canned query `company_leads` as of `as_of` (an RFC 3339 instant),
/// every score, as the view `leads`, over the table `journeys` it reads
/// (registered for the same instant).
pub async fn register_leads(ctx: &SessionContext, as_of: &str) {
    let at = datafusion::common::ScalarValue::Utf8(Some(as_of.to_string()));
    leadlake::register_journeys(ctx, &leadlake::JourneysAt::new(at))
        .await
        .unwrap();
    let company_leads = include_str!("../../queries/company_leads.sql")
        .replace("$as_of", &format!("TIMESTAMP '{as_of}'"))
        .replace("$min_score", "0");
    ctx.sql(&format!("CREATE VIEW leads AS {company_leads}"))
        .await
        .unwrap();
}

/// Every row of a query, each value cast to text (NULL as "NULL").
/// A column as text: cast where Arrow can, else as Arrow displays it
/// (structs as `{field: value, ...}`).
fn text(c: &arrow::array::ArrayRef) -> arrow::array::ArrayRef {
    use arrow::util::display::{ArrayFormatter, FormatOptions};
    if let Ok(t) = arrow::compute::cast(c, &arrow::datatypes::DataType::Utf8) {
        return t;
    }
    let f = ArrayFormatter::try_new(c.as_ref(), &FormatOptions::default()).unwrap();
    let texts: Vec<Option<String>> = (0..c.len())
        .map(|r| (!c.is_null(r)).then(|| f.value(r).to_string()))
        .collect();
    std::sync::Arc::new(arrow::array::StringArray::from(texts))
}

pub async fn rows(ctx: &SessionContext, sql: &str) -> Vec<Vec<String>> {
    let batches = ctx.sql(sql).await.unwrap().collect().await.unwrap();
    let mut out = Vec::new();
    for b in batches {
        let cols: Vec<_> = b.columns().iter().map(|c| text(c)).collect();
        for r in 0..b.num_rows() {
            out.push(
                cols.iter()
                    .map(|c| {
                        let s = arrow::array::AsArray::as_string::<i32>(c);
                        if arrow::array::Array::is_null(s, r) {
                            "NULL".into()
                        } else {
                            s.value(r).to_string()
                        }
                    })
                    .collect(),
            );
        }
    }
    out
}

/// One lake generated for every test of a test binary (60,000 events over
/// 120 days, kept for the process' life).
pub fn generated_lake() -> &'static Path {
    generated_lake_of(60_000)
}

/// A lake of about `events` events over 120 days, generated once per test
/// binary and size, kept for the process' life.
pub fn generated_lake_of(events: u64) -> &'static Path {
    type Lakes = std::collections::HashMap<u64, &'static tempfile::TempDir>;
    static LAKES: std::sync::Mutex<Option<Lakes>> = std::sync::Mutex::new(None);
    let mut lakes = LAKES.lock().unwrap_or_else(|e| e.into_inner());
    let dir = lakes
        .get_or_insert_default()
        .entry(events)
        .or_insert_with(|| {
            let dir = tempfile::tempdir().unwrap();
            let options = leadlake_synth::Options {
                events,
                days: 120,
                ..Default::default()
            };
            leadlake_synth::generate(dir.path(), &options, &mut |_| {}).unwrap();
            Box::leak(Box::new(dir))
        });
    dir.path()
}

/// `--ipdb` for each database of the generated lake in `dir`, and
/// `--overrides` for its override file.
pub fn database_args(dir: &Path) -> Vec<String> {
    let m = leadlake_synth::Manifest::read(dir).unwrap();
    let mut args = Vec::new();
    for db in m.databases(dir) {
        args.push("--ipdb".into());
        args.push(db.display().to_string());
    }
    args.push("--overrides".into());
    args.push(m.overrides(dir).display().to_string());
    args
}

/// `--lake` for the generated lake in `dir`.
pub fn lake_arg(dir: &Path) -> Vec<String> {
    let m = leadlake_synth::Manifest::read(dir).unwrap();
    vec!["--lake".into(), m.lake(dir).display().to_string()]
}
