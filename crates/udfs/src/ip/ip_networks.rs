//! `ip_networks('<file.mmdb>')`: a database's networks as a table.

use arrow::array::{ArrayRef, RecordBatch, StringBuilder, UInt32Builder};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::catalog::{TableFunctionArgs, TableFunctionImpl, TableProvider};
use datafusion::common::{Result, ScalarValue, plan_err};
use datafusion::datasource::MemTable;
use datafusion::logical_expr::Expr;
use leadlake_ipdb::{IpdbConfig, Resolver};
use std::sync::{Arc, LazyLock};

/// Rows per batch of the produced table.
const BATCH_ROWS: usize = 8192;

static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    let text = |n: &str| Field::new(n, DataType::Utf8, true);
    Arc::new(Schema::new(vec![
        Field::new("network", DataType::Utf8, false),
        text("company"),
        text("company_key"),
        text("domain"),
        Field::new("asn", DataType::UInt32, true),
        text("asn_org"),
        Field::new("network_type", DataType::Utf8, false),
        Field::new("record", DataType::Utf8, false),
    ]))
});

/// The `ip_networks` table function. Every network with data in one
/// `.mmdb` file (IPv4 networks once, as IPv4), with the answer leadlake
/// derives from that file alone and the raw record as JSON. The table is
/// built in memory when the query is planned.
#[derive(Debug, Default)]
pub struct IpNetworksFunc;

impl TableFunctionImpl for IpNetworksFunc {
    fn call_with_args(&self, args: TableFunctionArgs) -> Result<Arc<dyn TableProvider>> {
        let path = match args.exprs() {
            [
                Expr::Literal(
                    ScalarValue::Utf8(Some(p))
                    | ScalarValue::LargeUtf8(Some(p))
                    | ScalarValue::Utf8View(Some(p)),
                    _,
                ),
            ] => p.clone(),
            [other] => {
                return plan_err!(
                    "Unexpected argument to 'ip_networks' at position 1 (path), expected a .mmdb file path string literal, got {other}"
                );
            }
            list => {
                crate::args::arity(
                    "ip_networks",
                    crate::args::Params::all(&["path"]),
                    list.len(),
                )?;
                return plan_err!("'ip_networks' takes its path as a string literal");
            }
        };
        let resolver = Resolver::open(IpdbConfig {
            cache_capacity: 2,
            ..IpdbConfig::with_databases([&path])
        })
        .map_err(|e| datafusion::error::DataFusionError::Plan(format!("ip_networks: {e}")))?;
        let db = &resolver.databases()[0];
        let networks = db
            .networks()
            .map_err(|e| datafusion::error::DataFusionError::Plan(format!("ip_networks: {e}")))?;
        let mut batches = Vec::with_capacity(networks.len() / BATCH_ROWS + 1);
        for chunk in networks.chunks(BATCH_ROWS) {
            let mut cols: Vec<StringBuilder> = (0..7).map(|_| StringBuilder::new()).collect();
            let mut asn = UInt32Builder::with_capacity(chunk.len());
            for (net, _, json) in chunk {
                let a = resolver.resolve(net.network());
                cols[0].append_value(net.to_string());
                cols[1].append_option(a.company.as_deref());
                cols[2].append_option(a.company_key.as_deref());
                cols[3].append_option(a.domain.as_deref());
                asn.append_option(a.asn);
                cols[4].append_option(a.asn_org.as_deref());
                cols[5].append_value(a.network_type.as_str());
                cols[6].append_value(json);
            }
            let mut arrays: Vec<ArrayRef> = cols
                .iter_mut()
                .map(|b| Arc::new(b.finish()) as ArrayRef)
                .collect();
            arrays.insert(4, Arc::new(asn.finish()));
            batches.push(RecordBatch::try_new(SCHEMA.clone(), arrays)?);
        }
        Ok(Arc::new(MemTable::try_new(SCHEMA.clone(), vec![batches])?))
    }
}
