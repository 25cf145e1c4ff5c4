//! `version_max(version [, scheme])`: the newest version under a version
//! scheme.

use super::columns::Strings;
use crate::args::{Params, arity, scheme_expr, string_arg};
use arrow::array::{Array, ArrayRef, BooleanArray, StringArray};
use arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDFImpl, Documentation, EmitTo, GroupsAccumulator, Signature, Volatility,
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
        Ok(Box::new(OneNewest(Newest::new(scheme_expr(
            self.name(),
            args.exprs.get(1),
            self.default_scheme,
        )?))))
    }

    fn groups_accumulator_supported(&self, _args: AccumulatorArgs) -> bool {
        true
    }

    fn create_groups_accumulator(
        &self,
        args: AccumulatorArgs,
    ) -> Result<Box<dyn GroupsAccumulator>> {
        Ok(Box::new(Newest::new(scheme_expr(
            self.name(),
            args.exprs.get(1),
            self.default_scheme,
        )?)))
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

/// The newest version of every group: what the aggregation keeps (one
/// entry per group, not one boxed accumulator per group).
#[derive(Debug)]
struct Newest {
    scheme: Scheme,
    best: Vec<Option<(Version, String)>>,
    /// Bytes of the texts held.
    bytes: usize,
}

impl Newest {
    fn new(scheme: Scheme) -> Self {
        Self {
            scheme,
            best: Vec::new(),
            bytes: 0,
        }
    }

    fn offer(&mut self, g: usize, text: &str) {
        let best = &mut self.best[g];
        // the same text again (the common case: a company downloads one
        // release many times) cannot be newer: no parse
        if best.as_ref().is_some_and(|(_, t)| t == text) {
            return;
        }
        if let Some(v) = self.scheme.parse(text)
            && best.as_ref().is_none_or(|(b, best_text)| {
                compare_parsed(text, &v, best_text, b).is_some_and(|o| o.is_gt())
            })
        {
            self.bytes = self.bytes + text.len() - best.as_ref().map_or(0, |(_, t)| t.len());
            *best = Some((v, text.to_string()));
        }
    }

    fn take(&mut self, emit_to: EmitTo) -> Vec<Option<(Version, String)>> {
        let taken = emit_to.take_needed(&mut self.best);
        self.bytes -= taken
            .iter()
            .map(|b| b.as_ref().map_or(0, |(_, t)| t.len()))
            .sum::<usize>();
        taken
    }
}

impl GroupsAccumulator for Newest {
    fn update_batch(
        &mut self,
        values: &[ArrayRef],
        groups: &[usize],
        filter: Option<&BooleanArray>,
        total: usize,
    ) -> Result<()> {
        self.best.resize_with(total, || None);
        let Some(a) = values.first() else {
            return Ok(());
        };
        let texts = Strings::new("version_max", a)?;
        for (row, &g) in groups.iter().enumerate() {
            if filter.is_some_and(|f| !f.is_valid(row) || !f.value(row)) {
                continue;
            }
            if let Some(t) = texts.get(row) {
                self.offer(g, t);
            }
        }
        Ok(())
    }

    fn evaluate(&mut self, emit_to: EmitTo) -> Result<ArrayRef> {
        let taken = self.take(emit_to);
        Ok(Arc::new(StringArray::from_iter(
            taken.iter().map(|b| b.as_ref().map(|(_, t)| t.as_str())),
        )))
    }

    fn state(&mut self, emit_to: EmitTo) -> Result<Vec<ArrayRef>> {
        Ok(vec![self.evaluate(emit_to)?])
    }

    fn merge_batch(&mut self, values: &[ArrayRef], groups: &[usize], total: usize) -> Result<()> {
        self.update_batch(values, groups, None, total)
    }

    fn convert_to_state(
        &self,
        values: &[ArrayRef],
        opt_filter: Option<&BooleanArray>,
    ) -> Result<Vec<ArrayRef>> {
        // each row its own group: the newest of one text is itself, if it
        // is a version
        let n = values.first().map_or(0, |a| a.len());
        let mut one = Newest::new(self.scheme);
        let rows: Vec<usize> = (0..n).collect();
        one.update_batch(values, &rows, opt_filter, n)?;
        one.state(EmitTo::All)
    }

    fn size(&self) -> usize {
        // a parsed version is about as big as its text again
        self.best.capacity() * std::mem::size_of::<Option<(Version, String)>>() + 2 * self.bytes
    }
}

/// One group: the same, as a row accumulator (window frames, and plans
/// DataFusion runs without groups).
#[derive(Debug)]
struct OneNewest(Newest);

impl Accumulator for OneNewest {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let n = values.first().map_or(0, |a| a.len());
        self.0.update_batch(values, &vec![0; n], None, 1)
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        self.0.best.resize_with(1, || None);
        Ok(ScalarValue::Utf8(
            self.0.best[0].as_ref().map(|(_, t)| t.clone()),
        ))
    }

    fn size(&self) -> usize {
        std::mem::size_of::<Self>() + self.0.size()
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![self.evaluate()?])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let n = states.first().map_or(0, |a| a.len());
        self.0.merge_batch(states, &vec![0; n], 1)
    }
}
