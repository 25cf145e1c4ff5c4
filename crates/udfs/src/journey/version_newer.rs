//! `version_newer(a, b)`: is `a` a newer release than `b`?

use super::columns::Strings;
use crate::args::{Params, arity, string_arg};
use crate::ip::finish;
use arrow::array::{Array, BooleanBuilder};
use arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};
use datafusion_macros::user_doc;
use std::sync::Arc;

#[user_doc(
    doc_section(label = "leadlake journey functions"),
    description = "True when version `a` is newer than version `b`, compared as semantic versions: numeric parts compare as numbers (1.10.0 is newer than 1.9.0), a leading `v` and missing minor/patch parts are accepted (`v2` = 2.0.0), a pre-release is older than its release (1.0.0-rc.1 < 1.0.0), build metadata (`+...`) is ignored. NULL when either is NULL or not a version (`latest`, `main`, `1.2.3.4`).",
    syntax_example = "version_newer(a, b)",
    sql_example = r#"```sql
> SELECT version_newer('1.10.0', '1.9.0') AS a, version_newer('1.0.0-rc.1', 'v1') AS b, version_newer('latest', '1.0') AS c;
+------+-------+---+
| a    | b     | c |
+------+-------+---+
| true | false |   |
+------+-------+---+
```"#,
    argument(name = "a", description = "A version string."),
    argument(name = "b", description = "The version string to compare with.")
)]
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct VersionNewerFunc {
    signature: Signature,
}

impl Default for VersionNewerFunc {
    fn default() -> Self {
        Self::new()
    }
}

impl VersionNewerFunc {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
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
        arity(f, Params::all(&["a", "b"]), arg_types.len())?;
        Ok(vec![
            string_arg(f, 1, "a", &arg_types[0])?,
            string_arg(f, 2, "b", &arg_types[1])?,
        ])
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Boolean)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let [a, b] = datafusion::common::utils::take_function_args(self.name(), &args.args)?;
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
                (Some(x), Some(y)) => leadlake_funnel::version::newer(x, y),
                _ => None,
            });
        }
        finish(Arc::new(out.finish()), scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        self.doc()
    }
}
