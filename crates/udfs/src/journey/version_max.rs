//! `version_max(version)`: the newest version, compared semantically.

use super::columns::Strings;
use crate::args::{Params, arity, string_arg};
use arrow::array::{Array, ArrayRef};
use arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDFImpl, Documentation, Signature, Volatility,
};
use datafusion_macros::user_doc;
use leadlake_funnel::version::Version;
use std::sync::Arc;

#[user_doc(
    doc_section(label = "leadlake journey functions"),
    description = "Aggregate: the newest version string of the group, compared as semantic versions (1.10.0 is newer than 1.9.0; a release is newer than its pre-releases). Strings that are not versions and NULLs are ignored; NULL when none is a version. Of equal versions (`v1.2` and `1.2.0`) the first seen is returned.",
    syntax_example = "version_max(version)",
    sql_example = r#"```sql
> SELECT version_max(v) AS latest, max(v) AS text_max FROM (VALUES ('1.9.0'), ('1.10.0'), ('1.10.0-rc.1'), ('nightly')) AS t(v);
+--------+----------+
| latest | text_max |
+--------+----------+
| 1.10.0 | nightly  |
+--------+----------+
```"#,
    argument(name = "version", description = "A version string.")
)]
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct VersionMaxFunc {
    signature: Signature,
}

impl Default for VersionMaxFunc {
    fn default() -> Self {
        Self::new()
    }
}

impl VersionMaxFunc {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl AggregateUDFImpl for VersionMaxFunc {
    fn name(&self) -> &str {
        "version_max"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        arity(self.name(), Params::all(&["version"]), arg_types.len())?;
        Ok(vec![string_arg(self.name(), 1, "version", &arg_types[0])?])
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn accumulator(&self, _args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(Newest::default()))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new(
            format!("{}_newest", args.name),
            DataType::Utf8,
            true,
        ))])
    }

    fn documentation(&self) -> Option<&Documentation> {
        self.doc()
    }
}

#[derive(Debug, Default)]
struct Newest(Option<(Version, String)>);

impl Newest {
    fn offer(&mut self, text: &str) {
        if let Some(v) = Version::parse(text)
            && self.0.as_ref().is_none_or(|(best, _)| v > *best)
        {
            self.0 = Some((v, text.to_string()));
        }
    }

    fn update(&mut self, values: &[ArrayRef]) -> Result<()> {
        if let Some(a) = values.first() {
            let texts = Strings::new("version_max", a)?;
            for i in 0..a.len() {
                if let Some(t) = texts.get(i) {
                    self.offer(t);
                }
            }
        }
        Ok(())
    }
}

impl Accumulator for Newest {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.update(values)
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Utf8(self.0.as_ref().map(|(_, t)| t.clone())))
    }

    fn size(&self) -> usize {
        std::mem::size_of::<Self>() + self.0.as_ref().map_or(0, |(_, t)| t.len() + 32)
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![self.evaluate()?])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.update(states)
    }
}
