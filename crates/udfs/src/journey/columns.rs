//! Typed read access to the journey functions' argument columns: strings of
//! any flavour (with a byte view for hot loops) and coerced timestamps.
//! What types are accepted is decided at planning by [`crate::args`].

use arrow::array::{
    Array, ArrayRef, AsArray, LargeStringArray, StringArray, StringViewArray,
    TimestampMicrosecondArray,
};
use arrow::datatypes::{DataType, TimeUnit, TimestampMicrosecondType};
use datafusion::common::{Result, exec_err};

/// Read access to a string column of any flavour.
pub(crate) enum Strings<'a> {
    Utf8(&'a StringArray),
    Large(&'a LargeStringArray),
    View(&'a StringViewArray),
    Null,
}

impl<'a> Strings<'a> {
    pub(crate) fn new(f: &str, a: &'a ArrayRef) -> Result<Self> {
        Ok(match a.data_type() {
            DataType::Utf8 => Strings::Utf8(a.as_string()),
            DataType::LargeUtf8 => Strings::Large(a.as_string()),
            DataType::Utf8View => Strings::View(a.as_string_view()),
            DataType::Null => Strings::Null,
            t => return exec_err!("'{f}' expected a string column, got {t}"),
        })
    }

    #[inline(always)]
    pub(crate) fn get(&self, i: usize) -> Option<&'a str> {
        match self {
            Strings::Utf8(a) => a.is_valid(i).then(|| a.value(i)),
            Strings::Large(a) => a.is_valid(i).then(|| a.value(i)),
            Strings::View(a) => a.is_valid(i).then(|| a.value(i)),
            Strings::Null => None,
        }
    }
}

/// The same as bytes, for hot loops: a plain string column is sliced by
/// its offsets directly (no UTF-8 view, no per-row null bitmap lookup
/// when the column has no NULLs).
pub(crate) enum Bytes<'a> {
    Utf8 {
        offsets: &'a [i32],
        data: &'a [u8],
        nulls: Option<&'a arrow::buffer::NullBuffer>,
    },
    Other(Strings<'a>),
}

impl<'a> Bytes<'a> {
    pub(crate) fn new(f: &str, a: &'a ArrayRef) -> Result<Self> {
        Ok(match Strings::new(f, a)? {
            Strings::Utf8(a) => Bytes::Utf8 {
                offsets: a.value_offsets(),
                data: a.value_data(),
                nulls: a.nulls().filter(|n| n.null_count() > 0),
            },
            other => Bytes::Other(other),
        })
    }

    #[inline(always)]
    pub(crate) fn get(&self, i: usize) -> Option<&'a [u8]> {
        match self {
            Bytes::Utf8 {
                offsets,
                data,
                nulls,
            } => {
                if nulls.is_some_and(|n| n.is_null(i)) {
                    return None;
                }
                data.get(offsets[i] as usize..offsets[i + 1] as usize)
            }
            Bytes::Other(s) => s.get(i).map(str::as_bytes),
        }
    }
}

/// A coerced timestamp column.
pub(crate) fn timestamps<'a>(f: &str, a: &'a ArrayRef) -> Result<&'a TimestampMicrosecondArray> {
    match a.data_type() {
        DataType::Timestamp(TimeUnit::Microsecond, _) => {
            Ok(a.as_primitive::<TimestampMicrosecondType>())
        }
        t => exec_err!("'{f}' expected a microsecond timestamp column, got {t}"),
    }
}
