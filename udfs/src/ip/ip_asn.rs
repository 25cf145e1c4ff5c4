//! `ip_asn(ip)`: the autonomous-system number of an address.

use super::address_table::AddressTable;
use super::{checked_signature, coerce_one_address, finish, to_array};
use arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::common::utils::take_function_args;
use datafusion::logical_expr::ptr_eq::PtrEq;
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature,
};
use datafusion_macros::user_doc;
use std::sync::Arc;

#[user_doc(
    doc_section(label = "leadlake IP functions"),
    description = "The autonomous-system number of an address (UInt32), from the company databases first, then ASN databases. NULL when unknown or when the address is NULL or malformed.",
    syntax_example = "ip_asn(ip)",
    sql_example = r#"```sql
> SELECT ip_asn('1.0.0.1') AS google, ip_asn('2600:6000::1') AS merit, ip_asn('not an address') AS malformed;
+--------+-------+-----------+
| google | merit | malformed |
+--------+-------+-----------+
| 15169  | 237   |           |
+--------+-------+-----------+
```"#,
    argument(
        name = "ip",
        description = "IPv4 or IPv6 address, as a string or 4/16 bytes."
    )
)]
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct IpAsnFunc {
    signature: Signature,
    table: PtrEq<Arc<AddressTable>>,
}

impl IpAsnFunc {
    /// A function answering from `table`.
    pub fn new(table: Arc<AddressTable>) -> Self {
        Self {
            signature: checked_signature(),
            table: PtrEq::from(table),
        }
    }
}

impl ScalarUDFImpl for IpAsnFunc {
    fn name(&self) -> &str {
        "ip_asn"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        coerce_one_address(self.name(), arg_types)
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::UInt32)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let [ip] = take_function_args(self.name(), &args.args)?;
        let (array, scalar) = to_array(ip)?;
        let answers = self.table.answer(&array)?;
        let asn = arrow::compute::take(&answers.asns(), &answers.row_keys(), None)?;
        finish(asn, scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        self.doc()
    }
}
