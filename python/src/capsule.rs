//! Reading the one capsule leadlake takes from datafusion-python: the
//! session's logical extension codec, which a table or table function
//! exported to that session must carry (it decodes the filters and
//! arguments the session sends across).

use datafusion_ffi::proto::logical_extension_codec::FFI_LogicalExtensionCodec;
use pyo3::prelude::*;
use pyo3::types::PyCapsule;

const CODEC_GETTER: &str = "__datafusion_logical_extension_codec__";

/// The logical codec of `session`: a datafusion-python session (or
/// anything with its codec getter), or the codec capsule itself.
///
/// # Errors
/// `TypeError` when `session` gives no capsule; `ValueError` when the
/// capsule is not a logical codec.
pub fn logical_codec(session: &Bound<'_, PyAny>) -> PyResult<FFI_LogicalExtensionCodec> {
    let capsule = if session.hasattr(CODEC_GETTER)? {
        session.call_method0(CODEC_GETTER)?
    } else {
        session.clone()
    };
    let capsule = capsule.cast_into::<PyCapsule>().map_err(|_| {
        pyo3::exceptions::PyTypeError::new_err(format!(
            "expected a datafusion SessionContext, or an object with {CODEC_GETTER}()"
        ))
    })?;
    // checks the capsule's name: a capsule of another kind is an error here
    let pointer = capsule.pointer_checked(Some(c"datafusion_logical_extension_codec"))?;
    #[expect(
        unsafe_code,
        reason = "a capsule named datafusion_logical_extension_codec holds an FFI_LogicalExtensionCodec (datafusion-python creates it so); it is borrowed only while `capsule` keeps it alive, and cloned through its own FFI clone"
    )]
    let codec = unsafe { pointer.cast::<FFI_LogicalExtensionCodec>().as_ref() }.clone();
    Ok(codec)
}
