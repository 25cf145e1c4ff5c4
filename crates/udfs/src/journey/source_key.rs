//! `source_key(ip, user_agent)`: the journey's source, as the canned
//! queries count it (the rule is `leadlake_funnel::source`'s).

use super::agents::{Agents, parse_bytes};
use crate::args::{Params, arity, string_or_binary_arg};
use crate::ip::finish;
use crate::ip::input::{NO_ROW, Value, check_address_arg, row_ids};
use arrow::array::{ArrayRef, StringBuilder};
use arrow::datatypes::DataType;
use datafusion::common::{DataFusionError, Result};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};
use datafusion_macros::user_doc;
use foldhash::HashMap;
use leadlake_funnel::Funnel;
use leadlake_funnel::source::Address;
use std::net::IpAddr;
use std::sync::Arc;

#[user_doc(
    doc_section(label = "leadlake journey functions"),
    description = "The source an event counts as, the one the canned queries pass to the journey aggregates and count as machines: an IPv4 address as it is (`203.0.113.7`), an IPv6 address as its network (`2001:db8:1:2::/64`; `[funnel.sources] ipv6_prefix`, 48 to 128, default 64), so temporary (privacy) addresses that change every day stay one source; then, unless `[funnel.sources] by_client = false`, `|` and the agent's client family (`ua_info(user_agent)['client']`: pip, npm, browser, ...), so the machines behind one NAT address or on one /64 count apart when their clients differ. An agent naming no client (unknown, empty or NULL) appends nothing. IPv4-mapped IPv6 addresses count as IPv4. A text that is not an address is kept as written without surrounding spaces (a hashed address stays one source); NULL for a NULL address, an empty one, or binary that is not 4 or 16 bytes. One machine showing two clients (a browser and pip) counts twice.",
    syntax_example = "source_key(ip, user_agent)",
    sql_example = r#"```sql
> SELECT source_key('2001:db8:1:2:a1b2:c3d4:e5f6:7788', 'pip/24.2') AS a, source_key('2001:db8:1:2:99::1', 'pip/24.2') AS b, source_key('203.0.113.7', 'npm/10.8.2 node/v20.17.0 linux x64') AS c, source_key('203.0.113.7', NULL) AS d;
+-----------------------+-----------------------+-----------------+-------------+
| a                     | b                     | c               | d           |
+-----------------------+-----------------------+-----------------+-------------+
| 2001:db8:1:2::/64|pip | 2001:db8:1:2::/64|pip | 203.0.113.7|npm | 203.0.113.7 |
+-----------------------+-----------------------+-----------------+-------------+
```"#,
    argument(
        name = "ip",
        description = "IPv4 or IPv6 address, as a string or 4/16 bytes."
    ),
    argument(
        name = "user_agent",
        description = "The User-Agent header: a string, or binary (raw header bytes); NULL for none."
    )
)]
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SourceKeyFunc {
    signature: Signature,
    funnel: Arc<Funnel>,
}

impl SourceKeyFunc {
    /// The function under `funnel`'s `[funnel.sources]` rules.
    pub fn new(funnel: Arc<Funnel>) -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
            funnel,
        }
    }
}

const PARAMS: Params<'static> = Params::all(&["ip", "user_agent"]);

/// An address column value, read once per row (once per dictionary value).
enum Parsed {
    Ip(IpAddr),
    /// Not an address: the text as written, trimmed and not empty.
    Text(String),
}

impl ScalarUDFImpl for SourceKeyFunc {
    fn name(&self) -> &str {
        "source_key"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let name = self.name();
        arity(name, PARAMS, arg_types.len())?;
        check_address_arg(name, 1, &arg_types[0])?;
        Ok(vec![
            arg_types[0].clone(),
            string_or_binary_arg(name, 2, "user_agent", &arg_types[1])?,
        ])
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let [ip, agent] = datafusion::common::utils::take_function_args(self.name(), &args.args)?;
        let scalar =
            matches!(ip, ColumnarValue::Scalar(_)) && matches!(agent, ColumnarValue::Scalar(_));
        let n = if scalar { 1 } else { args.number_rows };
        let widen = |v: &ColumnarValue| -> Result<ArrayRef> {
            match v {
                ColumnarValue::Array(a) => Ok(Arc::clone(a)),
                ColumnarValue::Scalar(s) => s.to_array_of_size(n),
            }
        };
        let (ips, agents) = (widen(ip)?, widen(agent)?);
        let rules = &self.funnel.config.sources;
        let mut parsed: Vec<Parsed> = Vec::new();
        let rows = row_ids(&ips, &mut |v| {
            let p = match (v.ip(), v) {
                (Some(ip), _) => Parsed::Ip(ip),
                (None, Value::Text(t)) if !t.trim().is_empty() => {
                    Parsed::Text(t.trim().to_string())
                }
                (None, _) => return NO_ROW,
            };
            parsed.push(p);
            (parsed.len() - 1) as u32
        })?;
        let agents = Agents::new(self.name(), &agents)?;
        // agents repeat heavily: each distinct one is read once per batch
        let mut families: HashMap<&[u8], Option<String>> = HashMap::default();
        let mut out = StringBuilder::with_capacity(rows.len(), rows.len() * 24);
        for (i, row) in rows.into_iter().enumerate() {
            let Some(p) = (row != NO_ROW).then(|| parsed.get(row as usize)).flatten() else {
                out.append_null();
                continue;
            };
            let address = match p {
                Parsed::Ip(ip) => Address::Ip(*ip),
                Parsed::Text(t) => Address::Text(t),
            };
            let client = match rules.by_client {
                true => agents.get(i).and_then(|a| {
                    families
                        .entry(a)
                        .or_insert_with(|| parse_bytes(a).and_then(|u| u.client))
                        .as_deref()
                }),
                false => None,
            };
            match rules.key(address, client) {
                Some(key) => {
                    key.write_to(&mut out)
                        .map_err(|e| DataFusionError::External(Box::new(e)))?;
                    out.append_value("");
                }
                None => out.append_null(),
            }
        }
        finish(Arc::new(out.finish()), scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        self.doc()
    }
}
