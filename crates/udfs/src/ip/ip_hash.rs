//! `ip_hash(ip, salt)`: a keyed hash of an address, for counting unique
//! sources without keeping addresses.

use super::input::{NO_ROW, check_address_arg, row_ids};
use super::{finish, to_array};
use crate::args::{Params, arity, constant_string, type_error};
use arrow::array::{ArrayRef, StringBuilder};
use arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};
use datafusion_macros::user_doc;
use std::net::IpAddr;
use std::sync::Arc;

#[user_doc(
    doc_section(label = "leadlake IP functions"),
    description = "A keyed hash (BLAKE3, key derived from the salt) of the address, as 32 hex characters. The same address and salt always give the same hash, so distinct counts and joins still work; without the salt the address cannot be recovered by trying all addresses. IPv4-mapped IPv6 addresses hash as their IPv4 address. NULL for a NULL or malformed address or a NULL salt; an empty or non-constant salt is an error.",
    syntax_example = "ip_hash(ip, salt)",
    sql_example = r#"```sql
> SELECT ip_hash('203.0.113.77', 'pepper') = ip_hash('::ffff:203.0.113.77', 'pepper') AS same, length(ip_hash('203.0.113.77', 'pepper')) AS len;
+------+-----+
| same | len |
+------+-----+
| true | 32  |
+------+-----+
```"#,
    argument(
        name = "ip",
        description = "IPv4 or IPv6 address, as a string or 4/16 bytes."
    ),
    argument(
        name = "salt",
        description = "Secret string (constant) keying the hash."
    )
)]
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct IpHashFunc {
    signature: Signature,
}

impl Default for IpHashFunc {
    fn default() -> Self {
        Self::new()
    }
}

impl IpHashFunc {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

/// The 16-byte keyed hash of an address, as used by `ip_hash`.
pub fn hash_ip(key: &[u8; 32], ip: IpAddr) -> [u8; 16] {
    let mut h = blake3::Hasher::new_keyed(key);
    match leadlake_ipdb::addr::canonical(ip) {
        IpAddr::V4(v4) => h.update(&v4.octets()),
        IpAddr::V6(v6) => h.update(&v6.octets()),
    };
    let mut out = [0u8; 16];
    h.finalize_xof().fill(&mut out);
    out
}

impl ScalarUDFImpl for IpHashFunc {
    fn name(&self) -> &str {
        "ip_hash"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let name = self.name();
        arity(name, Params::all(&["ip", "salt"]), arg_types.len())?;
        check_address_arg(name, 1, &arg_types[0])?;
        if !matches!(
            arg_types[1],
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null
        ) {
            return Err(type_error(name, 2, "salt", "a string salt", &arg_types[1]));
        }
        Ok(vec![arg_types[0].clone(), DataType::Utf8])
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let name = self.name();
        let salt = constant_string(name, "salt", &args.args[1])?;
        let (array, scalar) = to_array(&args.args[0])?;
        let Some(salt) = salt else {
            return finish(
                arrow::array::new_null_array(&DataType::Utf8, array.len()),
                scalar,
            );
        };
        if salt.is_empty() {
            return exec_err!("'{name}' salt must not be empty");
        }
        let key = blake3::derive_key("leadlake ip_hash v1", salt.as_bytes());
        let mut distinct: Vec<[u8; 16]> = Vec::new();
        let rows = row_ids(&array, &mut |v| {
            v.ip().map_or(NO_ROW, |ip| {
                distinct.push(hash_ip(&key, ip));
                (distinct.len() - 1) as u32
            })
        })?;
        let mut out = StringBuilder::with_capacity(rows.len(), rows.len() * 32);
        let mut hex = [0u8; 32];
        for r in rows {
            match distinct.get(r as usize) {
                Some(h) => {
                    for (i, b) in h.iter().enumerate() {
                        hex[2 * i] = HEX[usize::from(b >> 4)];
                        hex[2 * i + 1] = HEX[usize::from(b & 15)];
                    }
                    out.append_value(std::str::from_utf8(&hex).unwrap_or_default());
                }
                None => out.append_null(),
            }
        }
        let result: ArrayRef = Arc::new(out.finish());
        finish(result, scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        self.doc()
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";
