//! Argument checks and typed access shared by the journey functions.

use arrow::array::{
    Array, ArrayRef, AsArray, LargeStringArray, StringArray, StringViewArray,
    TimestampMicrosecondArray,
};
use arrow::datatypes::{
    DataType, Int64Type, IntervalMonthDayNanoType, IntervalUnit, TimeUnit, TimestampMicrosecondType,
};
use datafusion::common::{Result, exec_err, plan_err};

/// The timestamp type every `ts`/`as_of` argument is coerced to.
pub(crate) fn ts_type() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
}

/// Coerce a string argument (any string flavour, dictionary of strings,
/// NULL); anything else is a planning error naming the position.
pub(crate) fn string_arg(f: &str, pos: usize, what: &str, t: &DataType) -> Result<DataType> {
    match t {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Ok(t.clone()),
        DataType::Null => Ok(DataType::Utf8),
        DataType::Dictionary(_, v)
            if matches!(
                **v,
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
            ) =>
        {
            Ok((**v).clone())
        }
        _ => plan_err!(
            "Unexpected argument type to '{f}' at position {pos} ({what}), expected a string, got {t}"
        ),
    }
}

/// Coerce a timestamp argument: timestamps of any unit or zone, dates,
/// and (for `as_of`) strings such as '2026-11-01'.
pub(crate) fn ts_arg(
    f: &str,
    pos: usize,
    what: &str,
    t: &DataType,
    strings: bool,
) -> Result<DataType> {
    match t {
        DataType::Timestamp(_, _) | DataType::Date32 | DataType::Date64 | DataType::Null => {
            Ok(ts_type())
        }
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View if strings => Ok(ts_type()),
        _ => plan_err!(
            "Unexpected argument type to '{f}' at position {pos} ({what}), expected a timestamp, got {t}"
        ),
    }
}

/// Check the argument count.
pub(crate) fn arity(f: &str, names: &[&str], types: &[DataType]) -> Result<()> {
    if types.len() != names.len() {
        return plan_err!(
            "'{f}' takes {} arguments ({}), got {}",
            names.len(),
            names.join(", "),
            types.len()
        );
    }
    Ok(())
}

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

/// Coerce a duration argument: an interval, or a number of `unit`s
/// ("minutes", "days").
pub(crate) fn duration_arg(
    f: &str,
    pos: usize,
    what: &str,
    unit: &str,
    t: &DataType,
) -> Result<DataType> {
    match t {
        DataType::Interval(_) | DataType::Duration(_) => {
            Ok(DataType::Interval(IntervalUnit::MonthDayNano))
        }
        t if t.is_integer() => Ok(DataType::Int64),
        DataType::Null => Ok(DataType::Int64),
        _ => plan_err!(
            "Unexpected argument type to '{f}' at position {pos} ({what}), expected an interval or a number of {unit}, got {t}"
        ),
    }
}

/// A constant, positive duration argument in microseconds, a number
/// counting `unit_us` each; `None` when NULL.
pub(crate) fn duration_us(f: &str, what: &str, a: &ArrayRef, unit_us: i64) -> Result<Option<i64>> {
    if a.is_empty() || a.is_null(0) {
        return Ok(None);
    }
    let us = match a.data_type() {
        DataType::Int64 => a
            .as_primitive::<Int64Type>()
            .value(0)
            .saturating_mul(unit_us),
        DataType::Interval(IntervalUnit::MonthDayNano) => {
            let v = a.as_primitive::<IntervalMonthDayNanoType>().value(0);
            if v.months != 0 {
                return exec_err!("'{f}': {what} cannot be given in months");
            }
            i64::from(v.days) * 86_400_000_000 + v.nanoseconds / 1_000
        }
        t => return exec_err!("'{f}': unexpected {what} type {t}"),
    };
    if us <= 0 {
        return exec_err!("'{f}': {what} must be positive");
    }
    Ok(Some(us))
}
