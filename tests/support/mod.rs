//! Shared by the test binaries: where the test data is, and a session
//! configured over it.

use datafusion::prelude::{SessionConfig, SessionContext};
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

/// The configuration every SQL test uses: all six company-related MaxMind
/// test databases plus `tests/data/overrides.csv`.
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
    config.ipdb.overrides = Some(data("overrides.csv"));
    config
}

/// A fresh session with every leadlake function registered over [`config`].
pub fn context() -> SessionContext {
    let ctx = SessionContext::new_with_config(SessionConfig::new().with_target_partitions(2));
    leadlake::register_all(&ctx, &config()).expect("test databases open");
    ctx
}

/// A configuration over a lake written by `leadlake generate` in `dir`.
pub fn synthetic_config(dir: &Path) -> leadlake::Config {
    leadlake_cli::demo::synthetic_config(dir)
        .expect("a generated folder")
        .0
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
