//! Rows of four companies for the tests of [`PackedEventGroups`].

use super::PackedEventGroups;
use crate::journey::output::Output;
use arrow::array::{ArrayRef, StringArray, TimestampMicrosecondArray};
use std::sync::Arc;

pub(super) const DAY: i64 = 86_400_000_000;
pub(super) const AS_OF: i64 = 1_798_761_600_000_000;

/// Events of four companies (a download burst, docs views, pings,
/// versions, rows to ignore), one row each.
pub(super) fn rows(extra_versions: usize) -> (Vec<ArrayRef>, Vec<usize>) {
    let mut cols: (Vec<_>, Vec<_>, Vec<_>, Vec<_>, Vec<_>) = Default::default();
    let mut groups = Vec::new();
    let mut push = |g: usize, days: i64, kind: &str, path: Option<&str>, v: Option<&str>| {
        cols.0.push((days < 1000).then_some(AS_OF - days * DAY - 1));
        cols.1.push(Some(kind.to_string()));
        cols.2.push(path.map(str::to_string));
        cols.3.push(v.map(str::to_string));
        cols.4.push(Some(format!("10.0.{g}.{}", days % 3)));
        groups.push(g);
    };
    for d in [200, 150, 100, 60, 40, 20, 10, 3] {
        push(
            0,
            d,
            "download",
            None,
            Some(if d > 90 { "1.9.0" } else { "1.10.0" }),
        );
        push(0, d, "docs_view", Some("/docs/upgrade"), None);
    }
    push(1, 5, "docs_view", Some("/docs/install"), None);
    push(1, 2, "docs_view", Some("/docs/install"), None);
    push(1, 2, "page_view", Some("/pricing"), None);
    for d in 0..40 {
        push(2, d, "call_home", None, None);
    }
    for d in 0..300 {
        push(
            2,
            d % 50,
            "page_view",
            Some(["/", "/blog/a", "/pricing"][d as usize % 3]),
            None,
        );
    }
    for i in 0..extra_versions {
        push(
            3,
            30 + i as i64,
            "download",
            None,
            Some(&format!("0.{i}.0")),
        );
    }
    push(3, 1, "download", None, None);
    push(3, 1, "unknown_kind", None, None);
    push(3, 5000, "download", None, Some("2.0.0")); // NULL ts
    push(3, -3, "download", None, Some("9.9.9")); // after as_of
    let n = groups.len();
    let ts = TimestampMicrosecondArray::from(cols.0).with_timezone("UTC");
    let as_of = TimestampMicrosecondArray::from(vec![AS_OF; n]).with_timezone("UTC");
    let text = |v: Vec<Option<String>>| Arc::new(StringArray::from(v)) as ArrayRef;
    let values = vec![
        Arc::new(ts) as ArrayRef,
        text(cols.1),
        text(cols.2),
        text(cols.3),
        text(cols.4),
        Arc::new(as_of),
    ];
    (values, groups)
}

pub(super) fn groups() -> PackedEventGroups {
    PackedEventGroups::new("company_journey", Arc::default(), Output::Journey)
}

pub(super) fn slice(values: &[ArrayRef], from: usize, to: usize) -> Vec<ArrayRef> {
    values.iter().map(|a| a.slice(from, to - from)).collect()
}
