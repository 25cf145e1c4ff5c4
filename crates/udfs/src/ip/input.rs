//! Reading address columns of every type a lake may hold.
//!
//! Accepted: `Utf8`, `LargeUtf8`, `Utf8View`, `Binary`, `LargeBinary`,
//! `BinaryView`, `FixedSizeBinary(4|16)`, dictionaries of any of these, and
//! `Null`. Text is parsed with [`leadlake_ipdb::addr::parse_ip`]; binary holds
//! 4 (IPv4) or 16 (IPv6) network-order bytes.

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};

/// A row id meaning "no address here" (NULL or not an address).
pub(crate) const NO_ROW: u32 = u32::MAX;

/// Is this an address column type we read?
pub(crate) fn is_address_type(t: &DataType) -> bool {
    match t {
        DataType::Utf8
        | DataType::LargeUtf8
        | DataType::Utf8View
        | DataType::Binary
        | DataType::LargeBinary
        | DataType::BinaryView
        | DataType::Null => true,
        DataType::FixedSizeBinary(n) => *n == 4 || *n == 16,
        DataType::Dictionary(_, v) => is_address_type(v) && !matches!(**v, DataType::Null),
        _ => false,
    }
}

/// Planning check shared by every function taking an address.
pub(crate) fn check_address_arg(function: &str, position: usize, t: &DataType) -> Result<()> {
    if is_address_type(t) {
        Ok(())
    } else {
        Err(crate::args::type_error(
            function,
            position,
            "ip",
            "an IP address as a string or 4/16-byte binary",
            t,
        ))
    }
}

/// One non-NULL value of an address column.
pub(crate) enum Value<'a> {
    Text(&'a str),
    Bytes(&'a [u8]),
}

impl Value<'_> {
    /// The address this value holds, if it is one.
    pub(crate) fn ip(&self) -> Option<std::net::IpAddr> {
        match self {
            Value::Text(s) => leadlake_ipdb::addr::parse_ip(s),
            Value::Bytes(b) => leadlake_ipdb::addr::ip_from_bytes(b),
        }
    }
}

/// Map every row to an id with `f` (which may return [`NO_ROW`]); NULL rows
/// get [`NO_ROW`]. Dictionary values are mapped once each, not once per row.
pub(crate) fn row_ids(array: &ArrayRef, f: &mut dyn FnMut(Value<'_>) -> u32) -> Result<Vec<u32>> {
    fn collect<'a>(
        nulls: Option<&arrow::buffer::NullBuffer>,
        values: impl Iterator<Item = Value<'a>>,
        f: &mut dyn FnMut(Value<'_>) -> u32,
    ) -> Vec<u32> {
        match nulls {
            None => values.map(f).collect(),
            Some(n) => values
                .zip(n.iter())
                .map(|(v, valid)| if valid { f(v) } else { NO_ROW })
                .collect(),
        }
    }
    let nulls = array.logical_nulls();
    let nulls = nulls.as_ref();
    Ok(match array.data_type() {
        DataType::Utf8 => {
            let a = array.as_string::<i32>();
            collect(nulls, (0..a.len()).map(|i| Value::Text(a.value(i))), f)
        }
        DataType::LargeUtf8 => {
            let a = array.as_string::<i64>();
            collect(nulls, (0..a.len()).map(|i| Value::Text(a.value(i))), f)
        }
        DataType::Utf8View => {
            let a = array.as_string_view();
            collect(nulls, (0..a.len()).map(|i| Value::Text(a.value(i))), f)
        }
        DataType::Binary => {
            let a = array.as_binary::<i32>();
            collect(nulls, (0..a.len()).map(|i| Value::Bytes(a.value(i))), f)
        }
        DataType::LargeBinary => {
            let a = array.as_binary::<i64>();
            collect(nulls, (0..a.len()).map(|i| Value::Bytes(a.value(i))), f)
        }
        DataType::BinaryView => {
            let a = array.as_binary_view();
            collect(nulls, (0..a.len()).map(|i| Value::Bytes(a.value(i))), f)
        }
        DataType::FixedSizeBinary(_) => {
            let a = array.as_fixed_size_binary();
            collect(nulls, (0..a.len()).map(|i| Value::Bytes(a.value(i))), f)
        }
        DataType::Null => vec![NO_ROW; array.len()],
        DataType::Dictionary(_, _) => {
            let dict = array.as_any_dictionary();
            let value_ids = row_ids(dict.values(), f)?;
            let keys = arrow::compute::cast(dict.keys(), &DataType::UInt64)?;
            let keys = keys.as_primitive::<arrow::datatypes::UInt64Type>();
            keys.iter()
                .zip(0..)
                .map(|(k, row)| match k {
                    Some(k) if nulls.is_none_or(|n| n.is_valid(row)) => usize::try_from(k)
                        .ok()
                        .and_then(|k| value_ids.get(k).copied())
                        .unwrap_or(NO_ROW),
                    _ => NO_ROW,
                })
                .collect()
        }
        other => return exec_err!("cannot read IP addresses from a column of type {other}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{BinaryArray, DictionaryArray, StringArray};
    use arrow::datatypes::Int8Type;
    use std::sync::Arc;

    fn ids(array: ArrayRef) -> Vec<u32> {
        let mut seen: Vec<String> = Vec::new();
        row_ids(&array, &mut |v| {
            let key = match v {
                Value::Text(s) => s.to_string(),
                Value::Bytes(b) => format!("{b:?}"),
            };
            seen.push(key);
            (seen.len() - 1) as u32
        })
        .unwrap()
    }

    #[test]
    fn nulls_get_no_row() {
        let a: ArrayRef = Arc::new(StringArray::from(vec![Some("a"), None, Some("b")]));
        assert_eq!(ids(a), vec![0, NO_ROW, 1]);
        let b: ArrayRef = Arc::new(BinaryArray::from(vec![Some(&[1u8, 2, 3, 4][..]), None]));
        assert_eq!(ids(b), vec![0, NO_ROW]);
    }

    #[test]
    fn dictionary_values_are_visited_once() {
        let d: DictionaryArray<Int8Type> = vec![Some("x"), Some("y"), Some("x"), None, Some("x")]
            .into_iter()
            .collect();
        let mut calls = 0;
        let rows = row_ids(&(Arc::new(d) as ArrayRef), &mut |_| {
            calls += 1;
            calls - 1
        })
        .unwrap();
        assert_eq!(rows, vec![0, 1, 0, NO_ROW, 0]);
        assert_eq!(calls, 2);
    }

    #[test]
    fn an_all_null_dictionary_with_no_values_is_fine() {
        let d: DictionaryArray<Int8Type> = vec![None::<&str>, None].into_iter().collect();
        assert_eq!(ids(Arc::new(d)), vec![NO_ROW, NO_ROW]);
    }

    #[test]
    fn accepted_types() {
        assert!(is_address_type(&DataType::FixedSizeBinary(16)));
        assert!(!is_address_type(&DataType::FixedSizeBinary(6)));
        assert!(is_address_type(&DataType::Dictionary(
            Box::new(DataType::UInt16),
            Box::new(DataType::Utf8View)
        )));
        assert!(!is_address_type(&DataType::Int64));
        let err = check_address_arg("f", 2, &DataType::Int64)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("Unexpected argument type to 'f' at position 2"),
            "{err}"
        );
    }
}
