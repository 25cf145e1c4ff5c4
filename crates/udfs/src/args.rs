//! Argument checks for every leadlake function, in one place: how many
//! arguments, of which types (at planning, with the function's name, the
//! position and the argument's name), and the constant arguments read at
//! execution (durations, prefix lengths, salts), range-checked so a huge or
//! negative value is an error naming the function and argument, never a
//! panic or a wrapped number.

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::{DataType, Int64Type, IntervalMonthDayNanoType, IntervalUnit, TimeUnit};
use datafusion::common::{DataFusionError, Result, ScalarValue, exec_err, plan_err};
use datafusion::logical_expr::ColumnarValue;
use datafusion::physical_expr::PhysicalExpr;
use datafusion::physical_expr::expressions::Literal;
use leadlake_funnel::version::Scheme;
use std::sync::Arc;

/// A function's parameters: their names in order, the last `optional` of
/// which may be left out.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Params<'a> {
    pub(crate) names: &'a [&'a str],
    pub(crate) optional: usize,
}

impl<'a> Params<'a> {
    /// Every parameter required.
    pub(crate) const fn all(names: &'a [&'a str]) -> Self {
        Self { names, optional: 0 }
    }

    /// The last `optional` parameters may be left out.
    pub(crate) const fn with_optional(names: &'a [&'a str], optional: usize) -> Self {
        Self { names, optional }
    }

    fn required(&self) -> usize {
        self.names.len().saturating_sub(self.optional)
    }

    /// The parameter list as users write it: `ts [, gap [, max_length]]`.
    fn list(&self) -> String {
        let required = self.required();
        let mut out = self.names[..required].join(", ");
        for name in &self.names[required..] {
            if out.is_empty() {
                out.push_str(&format!("[{name}"));
            } else {
                out.push_str(&format!(" [, {name}"));
            }
        }
        out.push_str(&"]".repeat(self.optional.min(self.names.len())));
        out
    }

    /// The name of the argument at 1-based `position`.
    pub(crate) fn name(&self, position: usize) -> &str {
        position
            .checked_sub(1)
            .and_then(|i| self.names.get(i))
            .copied()
            .unwrap_or("argument")
    }
}

fn count(n: usize) -> String {
    if n == 1 {
        "1 argument".to_string()
    } else {
        format!("{n} arguments")
    }
}

/// Check the number of arguments `f` was given.
pub(crate) fn arity(f: &str, params: Params<'_>, given: usize) -> Result<()> {
    let (min, max) = (params.required(), params.names.len());
    if (min..=max).contains(&given) {
        return Ok(());
    }
    let takes = if min == max {
        count(max)
    } else {
        format!("{min} to {}", count(max))
    };
    plan_err!("'{f}' takes {takes} ({}), got {given}", params.list())
}

/// The planning error for an argument of the wrong type.
pub(crate) fn type_error(
    f: &str,
    position: usize,
    what: &str,
    expected: &str,
    got: &DataType,
) -> DataFusionError {
    DataFusionError::Plan(format!(
        "Unexpected argument type to '{f}' at position {position} ({what}), expected {expected}, got {got}"
    ))
}

/// The timestamp type every `ts`/`as_of` argument is coerced to.
pub(crate) fn ts_type() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()))
}

fn is_string(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

/// Coerce a string argument (any string flavour, dictionary of strings,
/// NULL).
pub(crate) fn string_arg(f: &str, pos: usize, what: &str, t: &DataType) -> Result<DataType> {
    match t {
        t if is_string(t) => Ok(t.clone()),
        DataType::Null => Ok(DataType::Utf8),
        DataType::Dictionary(_, v) if is_string(v) => Ok((**v).clone()),
        _ => Err(type_error(f, pos, what, "a string", t)),
    }
}

fn is_binary(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView
    )
}

/// Coerce a text argument that may also come as raw bytes (a binary
/// column of headers): strings as [`string_arg`] does, binary of any
/// flavour (or a dictionary of binary) kept as binary, for the function
/// to decode.
pub(crate) fn string_or_binary_arg(
    f: &str,
    pos: usize,
    what: &str,
    t: &DataType,
) -> Result<DataType> {
    match t {
        t if is_binary(t) => Ok(t.clone()),
        DataType::Dictionary(_, v) if is_binary(v) => Ok((**v).clone()),
        t => string_arg(f, pos, what, t)
            .map_err(|_| type_error(f, pos, what, "a string or binary", t)),
    }
}

/// Coerce a timestamp argument: timestamps of any unit or zone, dates,
/// and (when `strings`, for `as_of`) strings such as '2026-11-01'.
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
        t if strings && is_string(t) => Ok(ts_type()),
        DataType::Dictionary(_, v) if strings && is_string(v) => Ok(ts_type()),
        _ => Err(type_error(f, pos, what, "a timestamp", t)),
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
        t if t.is_integer() || t.is_null() => Ok(DataType::Int64),
        _ => Err(type_error(
            f,
            pos,
            what,
            &format!("an interval or a number of {unit}"),
            t,
        )),
    }
}

/// Check an integer argument (any width and sign: kept as given, so a
/// value out of range is reported by the function, not by a cast).
pub(crate) fn integer_arg(
    f: &str,
    pos: usize,
    what: &str,
    expected: &str,
    t: &DataType,
) -> Result<DataType> {
    if t.is_integer() {
        Ok(t.clone())
    } else if t.is_null() {
        Ok(DataType::Int64)
    } else {
        Err(type_error(f, pos, what, expected, t))
    }
}

/// Microseconds in a day.
const DAY_US: i64 = 86_400_000_000;

/// A constant, positive duration argument in microseconds: an interval,
/// or a number counting `unit_us` each; `None` when NULL. Months (of no
/// fixed length), zero, negative and out-of-range values are errors naming
/// `f` and `what`.
pub(crate) fn duration_us(f: &str, what: &str, a: &ArrayRef, unit_us: i64) -> Result<Option<i64>> {
    if a.is_empty() || a.is_null(0) {
        return Ok(None);
    }
    let too_long = || exec_err!("'{f}': {what} is too long (at most about 292,000 years)");
    let us = match a.data_type() {
        DataType::Int64 => {
            let n = a.as_primitive::<Int64Type>().value(0);
            match n.checked_mul(unit_us) {
                Some(us) => us,
                None if n < 0 => return exec_err!("'{f}': {what} must be positive, got {n}"),
                None => return too_long(),
            }
        }
        DataType::Interval(IntervalUnit::MonthDayNano) => {
            let v = a.as_primitive::<IntervalMonthDayNanoType>().value(0);
            if v.months != 0 {
                return exec_err!("'{f}': {what} cannot be given in months");
            }
            match i64::from(v.days)
                .checked_mul(DAY_US)
                .and_then(|d| d.checked_add(v.nanoseconds / 1_000))
            {
                Some(us) => us,
                None => return too_long(),
            }
        }
        t => return exec_err!("'{f}': unexpected {what} type {t}"),
    };
    if us <= 0 {
        return exec_err!("'{f}': {what} must be positive");
    }
    Ok(Some(us))
}

/// A constant duration argument of an aggregate, from its expression,
/// as [`duration_us`] reads it; `None` when absent or NULL.
pub(crate) fn duration_expr(
    f: &str,
    what: &str,
    expr: Option<&Arc<dyn PhysicalExpr>>,
    unit_us: i64,
) -> Result<Option<i64>> {
    let Some(expr) = expr else {
        return Ok(None);
    };
    let Some(lit) = expr.downcast_ref::<Literal>() else {
        return exec_err!("'{f}' needs the {what} as a constant, not a column");
    };
    if lit.value().is_null() {
        return Ok(None);
    }
    duration_us(f, what, &lit.value().to_array()?, unit_us)
}

/// A constant integer argument within `0..=max`; `default` when the
/// argument is absent, `None` when NULL.
pub(crate) fn constant_in_range(
    f: &str,
    what: &str,
    arg: Option<&ColumnarValue>,
    default: u8,
    max: u8,
) -> Result<Option<u8>> {
    let value = match arg {
        None => return Ok(Some(default)),
        Some(ColumnarValue::Scalar(s)) => s.cast_to(&DataType::Int64).map_err(|_| {
            DataFusionError::Execution(format!("'{f}' {what} must be between 0 and {max}, got {s}"))
        })?,
        Some(ColumnarValue::Array(_)) => {
            return exec_err!("'{f}' needs {what} as a constant, not a column");
        }
    };
    match value {
        ScalarValue::Int64(None) => Ok(None),
        ScalarValue::Int64(Some(p)) => match u8::try_from(p) {
            Ok(p) if p <= max => Ok(Some(p)),
            _ => exec_err!("'{f}' {what} must be between 0 and {max}, got {p}"),
        },
        other => exec_err!("'{f}' {what} must be an integer, got {other}"),
    }
}

/// A constant string argument; `None` when NULL.
pub(crate) fn constant_string(f: &str, what: &str, arg: &ColumnarValue) -> Result<Option<String>> {
    match arg {
        ColumnarValue::Scalar(
            ScalarValue::Utf8(s) | ScalarValue::LargeUtf8(s) | ScalarValue::Utf8View(s),
        ) => Ok(s.clone()),
        ColumnarValue::Scalar(ScalarValue::Null) => Ok(None),
        ColumnarValue::Scalar(other) => exec_err!("'{f}' {what} must be a string, got {other}"),
        ColumnarValue::Array(_) => {
            exec_err!("'{f}' needs the {what} as a constant, not a column")
        }
    }
}

/// The scheme a constant `scheme` argument names; an error naming the
/// function, the argument and the valid schemes otherwise.
pub(crate) fn scheme_named(f: &str, name: Option<&str>) -> Result<Scheme> {
    match name.and_then(Scheme::from_name) {
        Some(s) => Ok(s),
        None => exec_err!(
            "'{f}': unknown version scheme {} for argument 'scheme'; valid schemes: {}",
            name.map_or_else(|| "NULL".to_string(), |n| format!("'{n}'")),
            Scheme::names()
        ),
    }
}

/// The `scheme` argument of a scalar function (`default` when absent).
pub(crate) fn scheme_arg(f: &str, arg: Option<&ColumnarValue>, default: Scheme) -> Result<Scheme> {
    match arg {
        None => Ok(default),
        Some(a) => scheme_named(f, constant_string(f, "scheme", a)?.as_deref()),
    }
}

/// The `scheme` argument of an aggregate, from its expression (`default`
/// when absent); it must be a constant.
pub(crate) fn scheme_expr(
    f: &str,
    expr: Option<&Arc<dyn PhysicalExpr>>,
    default: Scheme,
) -> Result<Scheme> {
    let Some(expr) = expr else {
        return Ok(default);
    };
    let Some(lit) = expr.downcast_ref::<Literal>() else {
        return exec_err!("'{f}' needs the scheme as a constant, not a column");
    };
    match lit.value() {
        ScalarValue::Utf8(s) | ScalarValue::LargeUtf8(s) | ScalarValue::Utf8View(s) => {
            scheme_named(f, s.as_deref())
        }
        ScalarValue::Null => scheme_named(f, None),
        other => exec_err!("'{f}' scheme must be a string, got {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{Int64Array, IntervalMonthDayNanoArray};
    use arrow::datatypes::IntervalMonthDayNano;
    use std::sync::Arc;

    fn message(r: Result<()>) -> String {
        match r {
            Ok(()) => String::new(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn arity_messages_name_the_parameters_with_plurals_right() {
        let one = Params::all(&["path"]);
        assert_eq!(arity("f", one, 1).ok(), Some(()));
        assert!(message(arity("f", one, 2)).ends_with("'f' takes 1 argument (path), got 2"));
        let two = Params::all(&["ip", "salt"]);
        assert!(message(arity("f", two, 0)).ends_with("'f' takes 2 arguments (ip, salt), got 0"));
        let opt = Params::with_optional(&["ts", "gap", "max_length"], 2);
        for n in 1..=3 {
            assert_eq!(arity("f", opt, n).ok(), Some(()));
        }
        assert!(
            message(arity("f", opt, 4))
                .ends_with("'f' takes 1 to 3 arguments (ts [, gap [, max_length]]), got 4")
        );
        let last = Params::with_optional(&["a", "step"], 1);
        assert!(
            message(arity("f", last, 3)).ends_with("takes 1 to 2 arguments (a [, step]), got 3")
        );
        assert_eq!(opt.name(3), "max_length");
        assert_eq!(opt.name(0), "argument");
    }

    fn interval(days: i32, nanoseconds: i64) -> ArrayRef {
        Arc::new(IntervalMonthDayNanoArray::from(vec![
            IntervalMonthDayNano::new(0, days, nanoseconds),
        ]))
    }

    #[test]
    fn durations_out_of_range_are_errors_not_wrapped_values() {
        let minute = 60_000_000;
        let n = |v: i64| Arc::new(Int64Array::from(vec![v])) as ArrayRef;
        assert_eq!(
            duration_us("f", "gap", &n(30), minute).ok(),
            Some(Some(30 * minute))
        );
        for (a, says) in [
            (n(i64::MAX), "too long"),
            (n(i64::MIN), "must be positive"),
            (n(0), "must be positive"),
            (interval(200_000_000, 0), "too long"),
            (interval(i32::MIN, 0), "too long"),
            (interval(1, i64::MIN), "must be positive"),
        ] {
            let e = duration_us("f", "gap", &a, minute)
                .map_or_else(|e| e.to_string(), |_| String::new());
            assert!(e.contains("'f': gap") && e.contains(says), "{e}");
        }
        assert_eq!(
            duration_us("f", "gap", &interval(1, 1_000), minute).ok(),
            Some(Some(DAY_US + 1))
        );
    }

    #[test]
    fn prefixes_are_range_checked_whatever_their_integer_type() {
        let s = |v: ScalarValue| ColumnarValue::Scalar(v);
        let get = |v: ScalarValue| constant_in_range("f", "v4_prefix", Some(&s(v)), 24, 32);
        assert_eq!(get(ScalarValue::Int64(Some(16))).ok(), Some(Some(16)));
        assert_eq!(get(ScalarValue::Int64(None)).ok(), Some(None));
        assert_eq!(
            constant_in_range("f", "x", None, 24, 32).ok(),
            Some(Some(24))
        );
        for bad in [
            ScalarValue::Int64(Some(-1)),
            ScalarValue::Int64(Some(33)),
            ScalarValue::Int64(Some(i64::MAX)),
            ScalarValue::UInt64(Some(u64::MAX)),
        ] {
            let e = get(bad).map_or_else(|e| e.to_string(), |_| String::new());
            assert!(e.contains("'f' v4_prefix must be between 0 and 32"), "{e}");
        }
    }
}
