//! `ip_network_type(ip)`: what kind of network an address belongs to.

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
    description = "The kind of network behind an address: `business` (a company's own network, the only kind that makes leads), `hosting` (cloud, CDN, CI runners), `isp` (residential and mobile customers), `anonymous` (VPN, Tor, proxies), `education`, `government` or `unknown`. NULL when the address is NULL or malformed. The README explains which signal decides.",
    syntax_example = "ip_network_type(ip)",
    sql_example = r#"```sql
> SELECT ip_network_type('81.2.69.1') AS anonymous, ip_network_type('1.128.0.1') AS isp, ip_network_type('10.0.0.1') AS unknown;
+-----------+-----+---------+
| anonymous | isp | unknown |
+-----------+-----+---------+
| anonymous | isp | unknown |
+-----------+-----+---------+
```"#,
    argument(
        name = "ip",
        description = "IPv4 or IPv6 address, as a string or 4/16 bytes."
    )
)]
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct IpNetworkTypeFunc {
    signature: Signature,
    table: PtrEq<Arc<AddressTable>>,
}

impl IpNetworkTypeFunc {
    /// A function answering from `table`.
    pub fn new(table: Arc<AddressTable>) -> Self {
        Self {
            signature: checked_signature(),
            table: PtrEq::from(table),
        }
    }
}

impl ScalarUDFImpl for IpNetworkTypeFunc {
    fn name(&self) -> &str {
        "ip_network_type"
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
        invoke_text_field(&self.table, self.name(), &args, Field::NetworkType)
    }

    fn documentation(&self) -> Option<&Documentation> {
        self.doc()
    }
}
