//! `version_max(version [, scheme])`: the newest version under a version
//! scheme.

use super::columns::Strings;
use crate::args::{Params, arity, scheme_expr, string_arg};
use arrow::array::{Array, ArrayRef};
use arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDFImpl, Documentation, Signature, Volatility,
};
use datafusion_macros::user_doc;
use leadlake_funnel::version::{Scheme, Version, compare_parsed};
use std::sync::Arc;

#[user_doc(
    doc_section(label = "leadlake journey functions"),
    description = "Aggregate: the newest version string of the group under a version scheme (see `version_newer`: `auto` by default, or `pep440`, `semver`, `npm`, `go`, `calver`, `debian`, `maven`). Strings that are not versions and NULLs are ignored; NULL when none is a version. Of equal versions (`v1.2` and `1.2.0`) the first seen is returned; under `auto`, a version that does not compare with the newest so far (no scheme reads both) does not replace it.",
    syntax_example = "version_max(version [, scheme])",
    sql_example = r#"```sql
> SELECT version_max(v) AS latest, version_max(v, 'pep440') AS python, max(v) AS text_max FROM (VALUES ('1.9.0'), ('1.10.0'), ('1.10.0rc1'), ('1.10.0.post1'), ('nightly')) AS t(v);
+--------------+--------------+----------+
| latest       | python       | text_max |
+--------------+--------------+----------+
| 1.10.0.post1 | 1.10.0.post1 | nightly  |
+--------------+--------------+----------+
```"#,
    argument(name = "version", description = "A version string."),
    argument(
        name = "scheme",
        description = "Optional constant: `auto` (default), `pep440`, `semver`, `npm`, `go`, `calver`, `debian` or `maven`."
    )
)]
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct VersionMaxFunc {
    signature: Signature,
    /// The scheme when the call gives none (the `[funnel]` config's).
    default_scheme: Scheme,
}

impl Default for VersionMaxFunc {
    fn default() -> Self {
        Self::new()
    }
}

impl VersionMaxFunc {
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

impl AggregateUDFImpl for VersionMaxFunc {
    fn name(&self) -> &str {
        "version_max"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let f = self.name();
        arity(
            f,
            Params::with_optional(&["version", "scheme"], 1),
            arg_types.len(),
        )?;
        let mut out = vec![string_arg(f, 1, "version", &arg_types[0])?];
        if let Some(t) = arg_types.get(1) {
            out.push(string_arg(f, 2, "scheme", t)?);
        }
        Ok(out)
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(Newest {
            scheme: scheme_expr(self.name(), args.exprs.get(1), self.default_scheme)?,
            best: None,
        }))
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

#[derive(Debug)]
struct Newest {
    scheme: Scheme,
    best: Option<(Version, String)>,
}

impl Newest {
    fn offer(&mut self, text: &str) {
        if let Some(v) = self.scheme.parse(text)
            && self.best.as_ref().is_none_or(|(best, best_text)| {
                compare_parsed(text, &v, best_text, best).is_some_and(|o| o.is_gt())
            })
        {
            self.best = Some((v, text.to_string()));
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
        Ok(ScalarValue::Utf8(
            self.best.as_ref().map(|(_, t)| t.clone()),
        ))
    }

    fn size(&self) -> usize {
        std::mem::size_of::<Self>() + self.best.as_ref().map_or(0, |(_, t)| 2 * t.len() + 32)
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![self.evaluate()?])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.update(states)
    }
}
