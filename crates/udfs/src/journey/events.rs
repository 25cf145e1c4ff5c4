//! Rows of `(ts, kind, path, version, source, as_of)` (and an optional
//! `package`) as journey events.

use super::columns::{Bytes, timestamps};
use arrow::array::{Array, ArrayRef, BooleanArray};
use datafusion::common::{Result, exec_err};
use leadlake_funnel::packed::{hash_bytes, no_source};
use leadlake_funnel::page_class::ClassCache;
use leadlake_funnel::version::Scheme;
use leadlake_funnel::{Event, Funnel, Kind};

/// Call `each(row, as_of, event)` for every row with a non-NULL `ts`, a
/// known kind and passing `filter` (rows at or after `as_of` included:
/// the consumer ignores them but still checks their `as_of`). A NULL
/// `as_of` is an error. A download's version is compared under its
/// `package`'s scheme (`[funnel] version_schemes`), the default scheme
/// without a `package` column.
pub(crate) fn for_each_event(
    f: &str,
    values: &[ArrayRef],
    package: Option<&ArrayRef>,
    funnel: &Funnel,
    classes: &mut ClassCache,
    filter: Option<&BooleanArray>,
    mut each: impl FnMut(usize, i64, &Event) -> Result<()>,
) -> Result<()> {
    let [ts, kind, path, version, source, as_of, ..] = values else {
        return exec_err!("'{f}' takes 6 arguments, got {}", values.len());
    };
    let ts = timestamps(f, ts)?;
    let as_of = timestamps(f, as_of)?;
    let (kind, path, version, source) = (
        Bytes::new(f, kind)?,
        Bytes::new(f, path)?,
        Bytes::new(f, version)?,
        Bytes::new(f, source)?,
    );
    let package = match package {
        Some(p) if !funnel.schemes.is_uniform() => Some(Bytes::new(f, p)?),
        _ => None,
    };
    let mut schemes = SchemeCache::new(funnel);
    let null_source = no_source();
    let (ts_values, as_of_values) = (ts.values(), as_of.values());
    let ts_nulls = ts.nulls().filter(|n| n.null_count() > 0);
    let as_of_nulls = as_of.nulls().filter(|n| n.null_count() > 0);
    for row in 0..ts.len() {
        if filter.is_some_and(|m| !m.is_valid(row) || !m.value(row))
            || ts_nulls.is_some_and(|n| n.is_null(row))
        {
            continue;
        }
        let Some(kind) = kind.get(row).and_then(Kind::parse_bytes) else {
            continue;
        };
        if as_of_nulls.is_some_and(|n| n.is_null(row)) {
            return exec_err!("'{f}': as_of is NULL");
        }
        let (class, page, version, scheme) = match (kind, path.get(row)) {
            (Kind::DocsView | Kind::PageView, Some(p)) => {
                let page = hash_bytes(p);
                let class = classes.classify_hashed(&funnel.pages, p, page);
                (Some(class), page, None, schemes.default)
            }
            (Kind::Download, _) => (
                None,
                0,
                version.get(row).and_then(|v| std::str::from_utf8(v).ok()),
                match &package {
                    Some(p) => schemes.of(p.get(row)),
                    None => schemes.default,
                },
            ),
            _ => (None, 0, None, schemes.default),
        };
        let event = Event {
            ts: ts_values[row],
            kind,
            class,
            page,
            version,
            scheme,
            source: source.get(row).map_or(null_source, hash_bytes),
        };
        each(row, as_of_values[row], &event)?;
    }
    Ok(())
}

/// The scheme of a row's package: the last package's answer kept, as rows
/// of one package come together.
struct SchemeCache<'a> {
    funnel: &'a Funnel,
    default: Scheme,
    last: Option<(Vec<u8>, Scheme)>,
}

impl<'a> SchemeCache<'a> {
    fn new(funnel: &'a Funnel) -> Self {
        Self {
            funnel,
            default: funnel.schemes.default_scheme(),
            last: None,
        }
    }

    #[inline]
    fn of(&mut self, package: Option<&[u8]>) -> Scheme {
        let Some(p) = package else {
            return self.default;
        };
        if let Some((last, s)) = &self.last
            && last.as_slice() == p
        {
            return *s;
        }
        // a package that is not UTF-8 matches no name: the default
        let s = std::str::from_utf8(p).map_or(self.default, |name| {
            self.funnel.schemes.scheme_for(Some(name))
        });
        self.last = Some((p.to_vec(), s));
        s
    }
}

/// A UTC instant in microseconds, as messages print it (RFC 3339); the
/// raw number when it is out of chrono's range.
pub(crate) fn instant(us: i64) -> String {
    arrow::temporal_conversions::timestamp_us_to_datetime(us).map_or_else(
        || format!("{us} µs since 1970"),
        |t| format!("{}Z", t.format("%Y-%m-%dT%H:%M:%S%.f")),
    )
}

/// The error for two `as_of` values in one group.
pub(crate) fn mixed_as_of<T>(f: &str, a: i64, b: i64) -> Result<T> {
    exec_err!(
        "'{f}': as_of must be the same for every row of a group (got {} and {})",
        instant(a),
        instant(b)
    )
}
