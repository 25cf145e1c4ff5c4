//! `network_spread(ip, ts)`: over how many networks, addresses and
//! address-days a group's traffic spreads (the counting is
//! `leadlake_ipdb::spread`'s).

use crate::args::{Params, arity, string_arg, ts_arg};
use crate::journey::columns::{Strings, timestamps};
use arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Int64Builder, LargeBinaryBuilder, StructArray,
};
use arrow::datatypes::{DataType, Field, FieldRef, Fields};
use datafusion::common::{Result, ScalarValue, exec_datafusion_err, exec_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDFImpl, Documentation, EmitTo, GroupsAccumulator, Signature, Volatility,
};
use datafusion_macros::user_doc;
use leadlake_ipdb::spread::Spread;
use std::net::IpAddr;
use std::sync::{Arc, LazyLock};

const NAME: &str = "network_spread";

#[user_doc(
    doc_section(label = "leadlake IP functions"),
    description = "Aggregate: over how many networks, addresses and address-days a group's events spread, as a struct {networks, sources, source_days} (Int64). `networks` counts distinct /24 (IPv4) and /48 (IPv6) networks, `sources` distinct addresses, `source_days` distinct (address, UTC day) pairs; IPv4-mapped IPv6 addresses count as IPv4. A company's own network shows few addresses that come back on many days; an access provider's customers many that mostly do not (the canned queries drop a group with `networks >= 16` and `source_days * 5 < sources * 6`). Rows with a NULL or malformed address or a NULL `ts` are ignored; a group without counted rows gives zeros. Counts are of 64-bit hashes: exact unless two values collide (about one in 2^64 per pair).",
    syntax_example = "network_spread(ip, ts)",
    sql_example = r#"```sql
> SELECT s['networks'] AS networks, s['sources'] AS sources, s['source_days'] AS source_days FROM (SELECT network_spread(ip, ts) AS s FROM (VALUES ('203.0.113.7', TIMESTAMP '2026-01-01 10:00:00'), ('203.0.113.7', TIMESTAMP '2026-01-02 10:00:00'), ('203.0.113.9', TIMESTAMP '2026-01-02 11:00:00'), ('198.51.100.1', TIMESTAMP '2026-01-02 12:00:00')) v(ip, ts));
+----------+---------+-------------+
| networks | sources | source_days |
+----------+---------+-------------+
| 2        | 3       | 4           |
+----------+---------+-------------+
```"#,
    argument(name = "ip", description = "IPv4 or IPv6 address, as a string."),
    argument(name = "ts", description = "Event time (timestamp or date).")
)]
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct NetworkSpreadFunc {
    signature: Signature,
}

impl Default for NetworkSpreadFunc {
    fn default() -> Self {
        Self::new()
    }
}

impl NetworkSpreadFunc {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

static OUTPUT_FIELDS: LazyLock<Fields> = LazyLock::new(|| {
    ["networks", "sources", "source_days"]
        .map(|n| Field::new(n, DataType::Int64, false))
        .into_iter()
        .collect()
});

impl AggregateUDFImpl for NetworkSpreadFunc {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        arity(NAME, Params::all(&["ip", "ts"]), arg_types.len())?;
        Ok(vec![
            string_arg(NAME, 1, "ip", &arg_types[0])?,
            ts_arg(NAME, 2, "ts", &arg_types[1], false)?,
        ])
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Struct(OUTPUT_FIELDS.clone()))
    }

    fn is_nullable(&self) -> bool {
        false
    }

    fn accumulator(&self, _args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(One(Spreads::default())))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new(
            format!("{}_spread", args.name),
            DataType::LargeBinary,
            true,
        ))])
    }

    fn groups_accumulator_supported(&self, _args: AccumulatorArgs) -> bool {
        true
    }

    fn create_groups_accumulator(
        &self,
        _args: AccumulatorArgs,
    ) -> Result<Box<dyn GroupsAccumulator>> {
        Ok(Box::new(Spreads::default()))
    }

    fn documentation(&self) -> Option<&Documentation> {
        self.doc()
    }
}

/// One [`Spread`] per group.
#[derive(Debug, Default)]
struct Spreads {
    groups: Vec<Spread>,
    /// Bytes held by the sets, for `size`.
    bytes: usize,
}

fn address(text: &str) -> Option<IpAddr> {
    text.trim().parse().ok()
}

impl Spreads {
    fn take(&mut self, emit_to: EmitTo) -> Vec<Spread> {
        let out = emit_to.take_needed(&mut self.groups);
        self.bytes = self.groups.iter().map(Spread::size).sum();
        out
    }
}

impl GroupsAccumulator for Spreads {
    fn update_batch(
        &mut self,
        values: &[ArrayRef],
        groups: &[usize],
        filter: Option<&BooleanArray>,
        total: usize,
    ) -> Result<()> {
        let [ip, ts, ..] = values else {
            return exec_err!("'{NAME}' takes 2 arguments, got {}", values.len());
        };
        self.groups.resize_with(total, Spread::default);
        let (ips, ts) = (Strings::new(NAME, ip)?, timestamps(NAME, ts)?);
        for (row, &g) in groups.iter().enumerate() {
            if filter.is_some_and(|f| !f.is_valid(row) || !f.value(row)) || ts.is_null(row) {
                continue;
            }
            if let Some(addr) = ips.get(row).and_then(address) {
                let before = self.groups[g].size();
                self.groups[g].add(addr, ts.value(row));
                self.bytes = self.bytes + self.groups[g].size() - before;
            }
        }
        Ok(())
    }

    fn evaluate(&mut self, emit_to: EmitTo) -> Result<ArrayRef> {
        let spreads = self.take(emit_to);
        let mut cols = [(); 3].map(|()| Int64Builder::with_capacity(spreads.len()));
        for s in &spreads {
            let c = s.counts();
            for (b, n) in cols.iter_mut().zip([c.networks, c.sources, c.source_days]) {
                b.append_value(i64::try_from(n).unwrap_or(i64::MAX));
            }
        }
        let arrays: Vec<ArrayRef> = cols
            .into_iter()
            .map(|mut b| Arc::new(b.finish()) as ArrayRef)
            .collect();
        Ok(Arc::new(StructArray::try_new(
            OUTPUT_FIELDS.clone(),
            arrays,
            None,
        )?))
    }

    fn state(&mut self, emit_to: EmitTo) -> Result<Vec<ArrayRef>> {
        let spreads = self.take(emit_to);
        let mut out = LargeBinaryBuilder::with_capacity(spreads.len(), 0);
        let mut bytes = Vec::new();
        for s in &spreads {
            bytes.clear();
            s.encode(&mut bytes);
            out.append_value(&bytes);
        }
        Ok(vec![Arc::new(out.finish())])
    }

    fn merge_batch(&mut self, values: &[ArrayRef], groups: &[usize], total: usize) -> Result<()> {
        let Some(states) = values.first().and_then(|a| a.as_binary_opt::<i64>()) else {
            return exec_err!("'{NAME}': expected a LargeBinary state");
        };
        self.groups.resize_with(total, Spread::default);
        for (row, &g) in groups.iter().enumerate() {
            if states.is_null(row) {
                continue;
            }
            let other = Spread::decode(states.value(row))
                .ok_or_else(|| exec_datafusion_err!("'{NAME}': corrupt state"))?;
            let before = self.groups[g].size();
            self.groups[g].merge(&other);
            self.bytes = self.bytes + self.groups[g].size() - before;
        }
        Ok(())
    }

    fn convert_to_state(
        &self,
        values: &[ArrayRef],
        opt_filter: Option<&BooleanArray>,
    ) -> Result<Vec<ArrayRef>> {
        // each row its own group, merged later as `state`'s are
        let n = values.first().map_or(0, |a| a.len());
        let mut one = Spreads::default();
        let rows: Vec<usize> = (0..n).collect();
        one.update_batch(values, &rows, opt_filter, n)?;
        one.state(EmitTo::All)
    }

    fn size(&self) -> usize {
        self.groups.capacity() * std::mem::size_of::<Spread>() + self.bytes
    }
}

/// The same for a single group (no GROUP BY, or DataFusion's choice).
#[derive(Debug)]
struct One(Spreads);

impl Accumulator for One {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let n = values.first().map_or(0, |a| a.len());
        self.0.update_batch(values, &vec![0; n], None, 1)
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        self.0.groups.resize_with(1, Spread::default);
        let out = self.0.evaluate(EmitTo::All)?;
        ScalarValue::try_from_array(&out, 0)
    }

    fn size(&self) -> usize {
        std::mem::size_of::<Self>() + self.0.size()
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        self.0.groups.resize_with(1, Spread::default);
        let out = self.0.state(EmitTo::All)?;
        out.iter()
            .map(|a| ScalarValue::try_from_array(a, 0))
            .collect()
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let n = states.first().map_or(0, |a| a.len());
        self.0.merge_batch(states, &vec![0; n], 1)
    }
}
