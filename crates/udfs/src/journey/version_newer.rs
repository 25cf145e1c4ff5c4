//! `version_newer(a, b [, scheme])`: is `a` a newer release than `b`?

use super::columns::Strings;
use crate::args::{Params, arity, scheme_arg, string_arg};
use crate::ip::finish;
use arrow::array::{Array, BooleanBuilder};
use arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};
use datafusion_macros::user_doc;
use leadlake_funnel::version::Scheme;
use std::sync::Arc;

#[user_doc(
    doc_section(label = "leadlake journey functions"),
    description = "True when version `a` is newer than version `b` under a version scheme: `pep440` (Python: `1.0rc1`, `1.0.post1`, `1!2.0`, every normalisation), `semver` (2.0, build metadata ignored), `npm` (node-semver loose: `=1.2.3`, `v 1.2.3`), `go` (`v1.2.3`, `+incompatible`, pseudo-versions by time), `calver` (`2024.04.1`, `2024-01-15`), `debian` (`epoch:upstream-revision`, `~` first), `maven` (`1.0-alpha-1 < 1.0-SNAPSHOT < 1.0 < 1.0-sp1`) or `auto` (the default, unless the `[funnel]` configuration's `version_scheme` names another: each text gets the first scheme of debian, go, semver, pep440, npm, calver, maven that claims it; two texts of different schemes compare under the first of their two schemes that reads both, else NULL). NULL when either is NULL or not a version under the scheme (`latest`, `main`, texts over 1024 bytes or without a letter or digit). An unknown scheme is an error listing the valid ones.",
    syntax_example = "version_newer(a, b [, scheme])",
    sql_example = r#"```sql
> SELECT version_newer('1.10.0', '1.9.0') AS a, version_newer('1.0', '1.0rc1') AS b, version_newer('1.0-SNAPSHOT', '1.0-alpha-1', 'maven') AS c, version_newer('latest', '1.0') AS d;
+------+------+------+---+
| a    | b    | c    | d |
+------+------+------+---+
| true | true | true |   |
+------+------+------+---+
```"#,
    argument(name = "a", description = "A version string."),
    argument(name = "b", description = "The version string to compare with."),
    argument(
        name = "scheme",
        description = "Optional constant: `auto` (default), `pep440`, `semver`, `npm`, `go`, `calver`, `debian` or `maven`."
    )
)]
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct VersionNewerFunc {
    signature: Signature,
    /// The scheme when the call gives none (the `[funnel]` config's).
    default_scheme: Scheme,
}

impl Default for VersionNewerFunc {
    fn default() -> Self {
        Self::new()
    }
}

impl VersionNewerFunc {
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

impl ScalarUDFImpl for VersionNewerFunc {
    fn name(&self) -> &str {
        "version_newer"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let f = self.name();
        arity(
            f,
            Params::with_optional(&["a", "b", "scheme"], 1),
            arg_types.len(),
        )?;
        let mut out = vec![
            string_arg(f, 1, "a", &arg_types[0])?,
            string_arg(f, 2, "b", &arg_types[1])?,
        ];
        if let Some(t) = arg_types.get(2) {
            out.push(string_arg(f, 3, "scheme", t)?);
        }
        Ok(out)
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Boolean)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scheme = scheme_arg(self.name(), args.args.get(2), self.default_scheme)?;
        let (Some(a), Some(b)) = (args.args.first(), args.args.get(1)) else {
            return exec_err!("'{}' takes 2 or 3 arguments", self.name());
        };
        let scalar = matches!(a, ColumnarValue::Scalar(_)) && matches!(b, ColumnarValue::Scalar(_));
        let n = args.number_rows.max(1);
        let widen = |v: &ColumnarValue| -> Result<arrow::array::ArrayRef> {
            match v {
                ColumnarValue::Array(x) => Ok(Arc::clone(x)),
                ColumnarValue::Scalar(s) => s.to_array_of_size(if scalar { 1 } else { n }),
            }
        };
        let (a, b) = (widen(a)?, widen(b)?);
        let (sa, sb) = (
            Strings::new(self.name(), &a)?,
            Strings::new(self.name(), &b)?,
        );
        let mut out = BooleanBuilder::with_capacity(a.len());
        for i in 0..a.len() {
            out.append_option(match (sa.get(i), sb.get(i)) {
                (Some(x), Some(y)) => leadlake_funnel::version::newer(x, y, scheme),
                _ => None,
            });
        }
        finish(Arc::new(out.finish()), scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        self.doc()
    }
}
