//! `page_class(path)`: the value class of a page, by the configured rules.

use super::columns::Strings;
use crate::args::{Params, arity, string_arg};
use crate::ip::{finish, to_array};
use arrow::array::{Array, StringBuilder};
use arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};
use datafusion_macros::user_doc;
use leadlake_funnel::Funnel;
use leadlake_funnel::page_class::ClassCache;
use std::sync::Arc;

#[user_doc(
    doc_section(label = "leadlake journey functions"),
    description = "The value class of a page: high, docs_install, docs_upgrade, docs_other, medium or low, from an ordered list of case-insensitive regular expressions on the path (first match wins; the `[funnel] pages` configuration replaces the list). A path no rule matches is low; a NULL path gives NULL.",
    syntax_example = "page_class(path)",
    sql_example = r#"```sql
> SELECT page_class('/pricing') AS a, page_class('/docs/Getting-Started') AS b, page_class('/docs/release-notes') AS c, page_class('/blog/launch') AS d, page_class('/careers') AS e;
+------+--------------+--------------+--------+-----+
| a    | b            | c            | d      | e   |
+------+--------------+--------------+--------+-----+
| high | docs_install | docs_upgrade | medium | low |
+------+--------------+--------------+--------+-----+
```"#,
    argument(name = "path", description = "Page path or full URL.")
)]
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct PageClassFunc {
    signature: Signature,
    funnel: Arc<Funnel>,
}

impl PageClassFunc {
    pub fn new(funnel: Arc<Funnel>) -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
            funnel,
        }
    }
}

impl ScalarUDFImpl for PageClassFunc {
    fn name(&self) -> &str {
        "page_class"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        arity(self.name(), Params::all(&["path"]), arg_types.len())?;
        Ok(vec![string_arg(self.name(), 1, "path", &arg_types[0])?])
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let [path] = datafusion::common::utils::take_function_args(self.name(), &args.args)?;
        let (array, scalar) = to_array(path)?;
        let paths = Strings::new(self.name(), &array)?;
        let mut cache = ClassCache::default();
        let mut out = StringBuilder::with_capacity(array.len(), array.len() * 8);
        for i in 0..array.len() {
            match paths.get(i) {
                Some(p) => out.append_value(cache.classify(&self.funnel.pages, p).as_str()),
                None => out.append_null(),
            }
        }
        finish(Arc::new(out.finish()), scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        self.doc()
    }
}
