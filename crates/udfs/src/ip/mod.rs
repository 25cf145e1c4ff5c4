//! IP enrichment functions: the SQL face of `leadlake-ipdb`.

/// Defines a function of one address answered from an [`AddressTable`]:
/// the struct (with its `#[user_doc]`), `new`, and the `ScalarUDFImpl`.
/// Only the SQL name, the return type and the invoke body differ between
/// such functions.
macro_rules! address_function {
    ($(#[$attr:meta])* $ty:ident, $sql:literal, return_type: $ret:expr, invoke: $invoke:expr $(,)?) => {
        $(#[$attr])*
        #[derive(Debug, PartialEq, Eq, Hash)]
        pub struct $ty {
            signature: datafusion::logical_expr::Signature,
            table: datafusion::logical_expr::ptr_eq::PtrEq<std::sync::Arc<$crate::ip::AddressTable>>,
        }

        impl $ty {
            /// A function answering from `table`.
            pub fn new(table: std::sync::Arc<$crate::ip::AddressTable>) -> Self {
                Self {
                    signature: $crate::ip::checked_signature(),
                    table: datafusion::logical_expr::ptr_eq::PtrEq::from(table),
                }
            }
        }

        impl datafusion::logical_expr::ScalarUDFImpl for $ty {
            fn name(&self) -> &str {
                $sql
            }

            fn signature(&self) -> &datafusion::logical_expr::Signature {
                &self.signature
            }

            fn coerce_types(&self, arg_types: &[arrow::datatypes::DataType]) -> datafusion::common::Result<Vec<arrow::datatypes::DataType>> {
                $crate::ip::coerce_one_address(self.name(), arg_types)
            }

            fn return_type(&self, _arg_types: &[arrow::datatypes::DataType]) -> datafusion::common::Result<arrow::datatypes::DataType> {
                Ok($ret)
            }

            fn invoke_with_args(
                &self,
                args: datafusion::logical_expr::ScalarFunctionArgs,
            ) -> datafusion::common::Result<datafusion::logical_expr::ColumnarValue> {
                let [ip] = datafusion::common::utils::take_function_args(self.name(), &args.args)?;
                let (array, scalar) = $crate::ip::to_array(ip)?;
                let answers = self.table.answer(&array)?;
                $crate::ip::finish($invoke(answers)?, scalar)
            }

            fn documentation(&self) -> Option<&datafusion::logical_expr::Documentation> {
                self.doc()
            }
        }
    };
}

pub(crate) mod address_table;
pub mod company_key;
pub(crate) mod input;
pub mod ip_anonymize;
pub mod ip_asn;
pub mod ip_company;
pub mod ip_domain;
pub mod ip_hash;
pub mod ip_network_type;
pub mod ip_networks;
pub mod network_spread;

use arrow::array::ArrayRef;
use arrow::datatypes::DataType;
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::{ColumnarValue, Signature, Volatility};
use std::sync::Arc;

pub use address_table::AddressTable;

/// The type of every text field these functions return: a dictionary of
/// strings (the values a field has taken, shared between batches).
pub(crate) fn text_type() -> DataType {
    DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
}

/// Signature for functions whose arguments are checked in `coerce_types`.
pub(crate) fn checked_signature() -> Signature {
    Signature::user_defined(Volatility::Immutable)
}

/// Planning check for `name(address)`.
pub(crate) fn coerce_one_address(name: &str, types: &[DataType]) -> Result<Vec<DataType>> {
    crate::args::arity(name, crate::args::Params::all(&["ip"]), types.len())?;
    types
        .iter()
        .map(|t| input::check_address_arg(name, 1, t).map(|()| t.clone()))
        .collect()
}

/// The argument as an array, and whether it was a scalar.
pub(crate) fn to_array(arg: &ColumnarValue) -> Result<(ArrayRef, bool)> {
    Ok(match arg {
        ColumnarValue::Array(a) => (Arc::clone(a), false),
        ColumnarValue::Scalar(s) => (s.to_array_of_size(1)?, true),
    })
}

/// Wrap a result, as a scalar when the input was one.
pub(crate) fn finish(result: ArrayRef, scalar: bool) -> Result<ColumnarValue> {
    if scalar {
        Ok(ColumnarValue::Scalar(ScalarValue::try_from_array(
            &result, 0,
        )?))
    } else {
        Ok(ColumnarValue::Array(result))
    }
}

/// One text field of each row's answer.
pub(crate) fn text_field(
    mut answers: address_table::BatchAnswers<'_>,
    field: address_table::Field,
) -> Result<ArrayRef> {
    let mut columns = answers.texts(&[field]);
    Ok(columns.remove(0))
}
