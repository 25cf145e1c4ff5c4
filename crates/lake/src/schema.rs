//! The canonical event schema every lake is read as.

use arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use std::sync::{Arc, LazyLock};

/// Timestamps are read as microseconds, UTC.
pub fn ts_type() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
}

/// `(name, required)` of every canonical column, in table order.
pub const COLUMNS: &[(&str, bool)] = &[
    ("ts", true),
    ("kind", true),
    ("ip", false),
    ("user_agent", false),
    ("path", false),
    ("package", false),
    ("version", false),
    ("referer", false),
    ("company", false),
    ("domain", false),
    ("network_type", false),
    // an anonymous id of the origin, for sources without an address
    // (Scarf's `origin_id`): the journey's source when `ip` is NULL
    ("origin", false),
];

/// The `events` table schema: `ts` (timestamp, UTC) and string columns.
/// Only `ts` and `kind` are required in the files (a file without them is
/// an error); any other column a file lacks reads as NULL. Every column is
/// nullable: a file may hold NULL values even in required columns.
pub static EVENT_SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(
        COLUMNS
            .iter()
            .map(|(name, _)| {
                let t = if *name == "ts" {
                    ts_type()
                } else {
                    DataType::Utf8
                };
                Field::new(*name, t, true)
            })
            .collect::<Vec<_>>(),
    ))
});

/// Event kinds the product knows. Other values are kept as they are.
pub const KINDS: &[&str] = &["download", "docs_view", "page_view", "call_home"];

/// Can a file column of type `t` be read as canonical column `name`?
pub fn readable_as(name: &str, t: &DataType) -> bool {
    match (name, t) {
        ("ts", DataType::Timestamp(_, _)) => true,
        ("ts", _) => false,
        (_, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null) => true,
        (_, DataType::Dictionary(_, v)) => readable_as(name, v),
        _ => false,
    }
}

/// What a file column of a wrong type should have been, for errors.
pub fn expected(name: &str) -> &'static str {
    if name == "ts" {
        "a timestamp"
    } else {
        "a string"
    }
}
