//! `ip_asn(ip)`: the autonomous-system number of an address.

use super::address_table::BatchAnswers;
use arrow::array::ArrayRef;
use datafusion::common::Result;
use datafusion_macros::user_doc;

address_function! {
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
    IpAsnFunc,
    "ip_asn",
    return_type: arrow::datatypes::DataType::UInt32,
    invoke: asns,
}

/// Each row's AS number.
fn asns(answers: BatchAnswers<'_>) -> Result<ArrayRef> {
    Ok(std::sync::Arc::new(answers.asns()))
}
