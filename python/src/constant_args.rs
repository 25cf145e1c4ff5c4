//! Constant arguments through DataFusion's FFI. datafusion-ffi 55 hands
//! every argument of a scalar function over as an array: a literal salt,
//! prefix length or version scheme arrives as a column repeating it, and
//! leadlake's functions read such settings only from constants ("needs
//! the salt as a constant, not a column"). The wrapper turns an argument
//! that repeats one value through the whole batch back into that value.
//!
//! So in Python a column that happens to hold one value in a batch is
//! taken as that constant where the command would refuse it; every other
//! input gives the same answer.

use datafusion::arrow::array::Array;
use datafusion::arrow::compute::kernels::cmp::not_distinct;
use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::{
    ColumnarValue, Documentation, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl,
    Signature,
};
use std::sync::Arc;

/// `inner`, taking repeated arguments as constants.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ConstantArgs(Arc<ScalarUDF>);

impl ConstantArgs {
    /// The function to export in place of `inner`.
    pub fn wrap(inner: Arc<ScalarUDF>) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self(inner)))
    }
}

/// `arg` as a scalar when it is an array repeating one value (NULL
/// included); as it is otherwise, and when its type cannot be compared.
fn constant_if_repeated(arg: ColumnarValue) -> ColumnarValue {
    let ColumnarValue::Array(array) = &arg else {
        return arg;
    };
    if array.is_empty() {
        return arg;
    }
    let Ok(first) = ScalarValue::try_from_array(array, 0) else {
        return arg;
    };
    let repeated = first
        .to_scalar()
        .and_then(|one| Ok(not_distinct(array, &one)?))
        .is_ok_and(|same| same.true_count() == array.len());
    if repeated {
        ColumnarValue::Scalar(first)
    } else {
        arg
    }
}

impl ScalarUDFImpl for ConstantArgs {
    fn name(&self) -> &str {
        self.0.name()
    }

    fn aliases(&self) -> &[String] {
        self.0.aliases()
    }

    fn signature(&self) -> &Signature {
        self.0.signature()
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        self.0.return_type(arg_types)
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        self.0.return_field_from_args(args)
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        self.0.coerce_types(arg_types)
    }

    fn short_circuits(&self) -> bool {
        self.0.short_circuits()
    }

    fn documentation(&self) -> Option<&Documentation> {
        self.0.documentation()
    }

    fn invoke_with_args(&self, mut args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        args.args = args.args.into_iter().map(constant_if_repeated).collect();
        self.0.invoke_with_args(args)
    }
}
