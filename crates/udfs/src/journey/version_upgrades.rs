//! `version_upgrades(ts, version [, scheme])`: how many real upgrades a
//! group of downloads shows.

use super::columns::{Strings, timestamps};
use crate::args::{Params, arity, scheme_expr, string_arg, ts_arg};
use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue, exec_datafusion_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDFImpl, Documentation, Signature, Volatility,
};
use datafusion_macros::user_doc;
use leadlake_funnel::version::{Scheme, VersionHistory};
use std::sync::Arc;

#[user_doc(
    doc_section(label = "leadlake journey functions"),
    description = "Aggregate: the number of real upgrades among downloads: taking versions in the order they were first downloaded (versions first seen at one instant oldest first), each version newer than every version downloaded before it counts once, compared under a version scheme (see `version_newer`: `auto` by default). Re-downloading an older release, repeating a version, and strings that are not versions never count. Rows with a NULL `ts` or `version` are ignored; 0 for a group without versions.",
    syntax_example = "version_upgrades(ts, version [, scheme])",
    sql_example = r#"```sql
> SELECT version_upgrades(ts, version) AS upgrades FROM (VALUES (TIMESTAMP '2026-01-05 10:00:00', '1.9.0'), (TIMESTAMP '2026-02-05 10:00:00', '1.10.0'), (TIMESTAMP '2026-02-06 10:00:00', '1.2.0'), (TIMESTAMP '2026-02-07 10:00:00', 'nightly'), (TIMESTAMP '2026-03-01 10:00:00', 'v2.0.0-rc.1')) AS d(ts, version);
+----------+
| upgrades |
+----------+
| 2        |
+----------+
```"#,
    argument(name = "ts", description = "Download time."),
    argument(name = "version", description = "Version downloaded."),
    argument(
        name = "scheme",
        description = "Optional constant: `auto` (default), `pep440`, `semver`, `npm`, `go`, `calver`, `debian` or `maven`."
    )
)]
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct VersionUpgradesFunc {
    signature: Signature,
    /// The scheme when the call gives none (the `[funnel]` config's).
    default_scheme: Scheme,
}

impl Default for VersionUpgradesFunc {
    fn default() -> Self {
        Self::new()
    }
}

impl VersionUpgradesFunc {
    pub fn new() -> Self {
        Self::with_default_scheme(Scheme::Auto)
    }

    /// Comparing under `scheme` when the call names none.
    pub fn with_default_scheme(scheme: Scheme) -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
            default_scheme: scheme,
        }
    }
}

impl AggregateUDFImpl for VersionUpgradesFunc {
    fn name(&self) -> &str {
        "version_upgrades"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let f = self.name();
        arity(
            f,
            Params::with_optional(&["ts", "version", "scheme"], 1),
            arg_types.len(),
        )?;
        let mut out = vec![
            ts_arg(f, 1, "ts", &arg_types[0], false)?,
            string_arg(f, 2, "version", &arg_types[1])?,
        ];
        if let Some(t) = arg_types.get(2) {
            out.push(string_arg(f, 3, "scheme", t)?);
        }
        Ok(out)
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int64)
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(Upgrades(
            VersionHistory::default(),
            scheme_expr(self.name(), args.exprs.get(2), self.default_scheme)?,
        )))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new(
            format!("{}_versions", args.name),
            DataType::Binary,
            true,
        ))])
    }

    fn documentation(&self) -> Option<&Documentation> {
        self.doc()
    }
}

#[derive(Debug)]
struct Upgrades(VersionHistory, Scheme);

impl Accumulator for Upgrades {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let f = "version_upgrades";
        let [ts, version, ..] = values else {
            return Err(exec_datafusion_err!("'{f}' takes 2 or 3 arguments"));
        };
        let ts = timestamps(f, ts)?;
        let version = Strings::new(f, version)?;
        for i in 0..ts.len() {
            if let (false, Some(v)) = (ts.is_null(i), version.get(i)) {
                self.0.add(v, ts.value(i), self.1);
            }
        }
        Ok(())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Int64(Some(i64::from(self.0.upgrades()))))
    }

    fn size(&self) -> usize {
        std::mem::size_of::<Self>() + self.0.distinct() * 64
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let mut bytes = Vec::new();
        self.0.encode(&mut bytes);
        Ok(vec![ScalarValue::Binary(Some(bytes))])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let Some(states) = states.first() else {
            return Ok(());
        };
        let states = states.as_binary::<i32>();
        for i in 0..states.len() {
            if states.is_valid(i) {
                let other = VersionHistory::decode(states.value(i), self.1)
                    .map_err(|e| exec_datafusion_err!("'version_upgrades': {e}"))?;
                self.0.merge(&other);
            }
        }
        Ok(())
    }
}
