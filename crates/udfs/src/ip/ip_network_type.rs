//! `ip_network_type(ip)`: what kind of network an address belongs to.

use super::address_table::Field;
use super::{text_field, text_type};
use datafusion_macros::user_doc;

address_function! {
    #[user_doc(
    doc_section(label = "leadlake IP functions"),
    description = "The kind of network behind an address: `business` (a company's own network, the only kind that makes leads), `hosting` (cloud, CDN, CI runners), `isp` (residential and mobile customers), `anonymous` (VPN, Tor, proxies), `education`, `government` or `unknown`. NULL when the address is NULL or malformed. `docs/functions.md` explains which signal decides.",
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
    IpNetworkTypeFunc,
    "ip_network_type",
    return_type: text_type(),
    invoke: |answers| text_field(answers, Field::NetworkType),
}
