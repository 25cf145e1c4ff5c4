//! `ip_domain(ip)`: the domain of the organisation behind an address.

use super::address_table::Field;
use super::{text_field, text_type};
use datafusion_macros::user_doc;

address_function! {
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
    IpDomainFunc,
    "ip_domain",
    return_type: text_type(),
    invoke: |answers| text_field(answers, Field::Domain),
}
