//! `company_key(name)`: the grouping key of a company name, the same as
//! `ip_company(ip)['company_key']`, so CRM names join with resolved ones.

use crate::args::{Params, arity, string_arg};
use crate::ip::{finish, to_array};
use crate::journey::columns::Strings;
use arrow::array::{Array, ArrayRef, AsArray, StringBuilder};
use arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};
use datafusion_macros::user_doc;
use leadlake_ipdb::company_key;
use std::sync::Arc;

#[user_doc(
    doc_section(label = "leadlake IP functions"),
    description = "The grouping key of a company name, as `ip_company` computes it: lower case, punctuation as spaces, `&` as `and`, a leading `the` and the legal forms of the G20 and EU countries removed wherever they are written as forms (`Oy Acme`, `Acme GmbH & Co. KG`, `Acme Sp. z o.o.`, `ООО Ромашка`, `トヨタ自動車株式会社`, `Smith Ltd. Attorneys at Law`), however dotted or spaced. Never empty: a name made only of legal forms keeps one. NULL for NULL and for a name without a letter or digit.",
    syntax_example = "company_key(name)",
    sql_example = r#"```sql
> SELECT company_key('ACME, Inc.') AS a, company_key('Acme GmbH & Co. KG') AS b, company_key('Oy Acme Ab') AS c, company_key('ООО «Ромашка»') AS d, company_key('...') AS e;
+------+------+------+---------+---+
| a    | b    | c    | d       | e |
+------+------+------+---------+---+
| acme | acme | acme | ромашка |   |
+------+------+------+---------+---+
```"#,
    argument(name = "name", description = "A company name.")
)]
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct CompanyKeyFunc {
    signature: Signature,
}

impl Default for CompanyKeyFunc {
    fn default() -> Self {
        Self::new()
    }
}

impl CompanyKeyFunc {
    pub fn new() -> Self {
        Self {
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

/// The keys of a string column of any flavour, as `Utf8`.
fn keys(f: &str, names: &ArrayRef) -> Result<ArrayRef> {
    let names_of = Strings::new(f, names)?;
    let mut out = StringBuilder::with_capacity(names.len(), names.len() * 12);
    for i in 0..names.len() {
        out.append_option(names_of.get(i).and_then(company_key));
    }
    Ok(Arc::new(out.finish()))
}

impl ScalarUDFImpl for CompanyKeyFunc {
    fn name(&self) -> &str {
        "company_key"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        arity(self.name(), Params::all(&["name"]), arg_types.len())?;
        let t = &arg_types[0];
        // a dictionary is kept: its values are keyed once each
        if let DataType::Dictionary(_, v) = t
            && matches!(
                **v,
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
            )
        {
            return Ok(vec![t.clone()]);
        }
        Ok(vec![string_arg(self.name(), 1, "name", t)?])
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(match arg_types.first() {
            Some(DataType::Dictionary(k, _)) => {
                DataType::Dictionary(k.clone(), Box::new(DataType::Utf8))
            }
            _ => DataType::Utf8,
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let [name] = datafusion::common::utils::take_function_args(self.name(), &args.args)?;
        let (array, scalar) = to_array(name)?;
        let result = match array.data_type() {
            DataType::Dictionary(_, _) => {
                let Some(dict) = array.as_any_dictionary_opt() else {
                    return exec_err!("'{}' expected a dictionary column", self.name());
                };
                dict.with_values(keys(self.name(), dict.values())?)
            }
            _ => keys(self.name(), &array)?,
        };
        finish(result, scalar)
    }

    fn documentation(&self) -> Option<&Documentation> {
        self.doc()
    }
}
