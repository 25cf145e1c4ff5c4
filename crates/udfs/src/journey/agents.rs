//! The user-agent column of `ua_info` and `source_key`: a string of any
//! flavour, or binary (raw header bytes, read as UTF-8 with invalid bytes
//! replaced by U+FFFD).

use super::columns::Strings;
use arrow::array::{Array, ArrayRef, AsArray, BinaryArray, BinaryViewArray, LargeBinaryArray};
use arrow::datatypes::DataType;
use datafusion::common::Result;
use leadlake_funnel::ua::{UaInfo, parse};

/// An agent as UTF-8; invalid bytes (binary input) become U+FFFD.
pub(crate) fn parse_bytes(a: &[u8]) -> Option<UaInfo> {
    match std::str::from_utf8(a) {
        Ok(s) => parse(s),
        Err(_) => parse(&String::from_utf8_lossy(a)),
    }
}

/// The agent column: a string of any flavour, or binary.
pub(crate) enum Agents<'a> {
    Text(Strings<'a>),
    Binary(&'a BinaryArray),
    LargeBinary(&'a LargeBinaryArray),
    BinaryView(&'a BinaryViewArray),
}

impl<'a> Agents<'a> {
    pub(crate) fn new(f: &str, a: &'a ArrayRef) -> Result<Self> {
        Ok(match a.data_type() {
            DataType::Binary => Agents::Binary(a.as_binary()),
            DataType::LargeBinary => Agents::LargeBinary(a.as_binary()),
            DataType::BinaryView => Agents::BinaryView(a.as_binary_view()),
            _ => Agents::Text(Strings::new(f, a)?),
        })
    }

    #[inline(always)]
    pub(crate) fn get(&self, i: usize) -> Option<&'a [u8]> {
        match self {
            Agents::Text(s) => s.get(i).map(str::as_bytes),
            Agents::Binary(a) => a.is_valid(i).then(|| a.value(i)),
            Agents::LargeBinary(a) => a.is_valid(i).then(|| a.value(i)),
            Agents::BinaryView(a) => a.is_valid(i).then(|| a.value(i)),
        }
    }
}
