//! `ip_domain(ip)`: the domain of the organisation behind an address.

use super::address_table::{AddressTable, Field};
use super::{checked_signature, coerce_one_address, dict_type, invoke_text_field};
use arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::ptr_eq::PtrEq;
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature,
};
use datafusion_macros::user_doc;
use std::sync::Arc;

#[user_doc(
    doc_section(label = "leadlake IP functions"),
    description = "The lower-case domain of the organisation behind an address (overrides, Enterprise, IPinfo, Domain databases, in that order). NULL when unknown or when the address is NULL or malformed.",
    syntax_example = "ip_domain(ip)",
    sql_example = r#"```sql
> SELECT ip_domain('1.2.3.4') AS domain;
+-------------+
| domain      |
+-------------+
| maxmind.com |
+-------------+
```"#,
    argument(
        name = "ip",
        description = "IPv4 or IPv6 address, as a string or 4/16 bytes."
    )
)]
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct IpDomainFunc {
    signature: Signature,
    table: PtrEq<Arc<AddressTable>>,
}

impl IpDomainFunc {
    /// A function answering from `table`.
    pub fn new(table: Arc<AddressTable>) -> Self {
        Self {
            signature: checked_signature(),
            table: PtrEq::from(table),
        }
    }
}

impl ScalarUDFImpl for IpDomainFunc {
    fn name(&self) -> &str {
        "ip_domain"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        coerce_one_address(self.name(), arg_types)
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(dict_type())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        invoke_text_field(&self.table, self.name(), &args, Field::Domain)
    }

    fn documentation(&self) -> Option<&Documentation> {
        self.doc()
    }
}
