//! `ip_anonymize(ip [, v4_prefix [, v6_prefix]])`: truncate addresses so
//! unique-source counts survive without storing raw addresses.

use super::input::{NO_ROW, check_address_arg, row_ids};
use super::{finish, to_array};
use crate::args::{Params, arity, constant_in_range, integer_arg};
use arrow::array::{ArrayRef, StringBuilder};
use arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};
use datafusion_macros::user_doc;
use leadlake_ipdb::addr::anonymize;
use std::fmt::Write;
use std::net::IpAddr;
use std::sync::Arc;

#[user_doc(
    doc_section(label = "leadlake IP functions"),
    description = "The address with all but its first bits zeroed: /24 for IPv4 and /48 for IPv6 unless given. IPv4-mapped IPv6 addresses are treated as IPv4. NULL for a NULL or malformed address or a NULL prefix; a prefix outside 0-32 (IPv4) or 0-128 (IPv6), or one that is not a constant, is an error.",
    syntax_example = "ip_anonymize(ip [, v4_prefix [, v6_prefix]])",
    sql_example = r#"```sql
> SELECT ip_anonymize('203.0.113.77') AS v4, ip_anonymize('2001:db8:abcd:12::1') AS v6, ip_anonymize('203.0.113.77', 16) AS v4_16;
+-------------+-----------------+-----------+
| v4          | v6              | v4_16     |
+-------------+-----------------+-----------+
| 203.0.113.0 | 2001:db8:abcd:: | 203.0.0.0 |
+-------------+-----------------+-----------+
```"#,
    argument(
        name = "ip",
        description = "IPv4 or IPv6 address, as a string or 4/16 bytes."
    ),
    argument(
        name = "v4_prefix",
        description = "Bits of an IPv4 address to keep (constant integer, default 24)."
    ),
    argument(
        name = "v6_prefix",
        description = "Bits of an IPv6 address to keep (constant integer, default 48)."
    )
)]
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct IpAnonymizeFunc {
    signature: Signature,
}

impl Default for IpAnonymizeFunc {
    fn default() -> Self {
        Self::new()
    }
}

impl IpAnonymizeFunc {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

/// The function's parameters.
const PARAMS: Params<'static> = Params::with_optional(&["ip", "v4_prefix", "v6_prefix"], 2);

impl ScalarUDFImpl for IpAnonymizeFunc {
    fn name(&self) -> &str {
        "ip_anonymize"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let name = self.name();
        arity(name, PARAMS, arg_types.len())?;
        let mut out = Vec::with_capacity(arg_types.len());
        for (i, t) in arg_types.iter().enumerate() {
            out.push(match i {
                0 => check_address_arg(name, 1, t).map(|()| t.clone())?,
                _ => integer_arg(
                    name,
                    i + 1,
                    PARAMS.name(i + 1),
                    "an integer prefix length",
                    t,
                )?,
            });
        }
        Ok(out)
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let name = self.name();
        let v4 = constant_in_range(name, "v4_prefix", args.args.get(1), 24, 32)?;
        let v6 = constant_in_range(name, "v6_prefix", args.args.get(2), 48, 128)?;
        let (array, scalar) = to_array(&args.args[0])?;
        let result: ArrayRef = match (v4, v6) {
            (Some(v4), Some(v6)) => {
                let mut distinct: Vec<IpAddr> = Vec::new();
                let rows = row_ids(&array, &mut |v| {
                    v.ip().map_or(NO_ROW, |ip| {
                        distinct.push(anonymize(ip, v4, v6));
                        (distinct.len() - 1) as u32
                    })
                })?;
                let mut out = StringBuilder::with_capacity(rows.len(), rows.len() * 12);
                for r in rows {
                    match distinct.get(r as usize) {
                        Some(ip) => {
                            write!(out, "{ip}").map_err(|e| {
                                datafusion::error::DataFusionError::External(Box::new(e))
                            })?;
                            out.append_value("");
                        }
                        None => out.append_null(),
                    }
                }
                Arc::new(out.finish())
            }
            _ => arrow::array::new_null_array(&DataType::Utf8, array.len()),
        };
        finish(result, scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        self.doc()
    }
}
