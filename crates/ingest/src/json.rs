//! A JSON value read loosely: exports type the same column as a string in
//! one file and a number or boolean in another. Strings without escapes are
//! borrowed from the line.

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Loose<'a> {
    Null,
    Str(Cow<'a, str>),
    Int(i64),
    UInt(u64),
    Float(f64),
    Bool(bool),
    /// An object or array (its content is not kept).
    Nested,
}

impl<'a> Loose<'a> {
    /// The value as text; `null`, `""` and nested values are NULL.
    pub(crate) fn text(self) -> Option<Cow<'a, str>> {
        match self {
            Loose::Str(s) if s.is_empty() => None,
            Loose::Str(s) => Some(s),
            Loose::Int(v) => Some(Cow::Owned(v.to_string())),
            Loose::UInt(v) => Some(Cow::Owned(v.to_string())),
            Loose::Float(v) => Some(Cow::Owned(v.to_string())),
            Loose::Bool(v) => Some(Cow::Borrowed(if v { "true" } else { "false" })),
            Loose::Null | Loose::Nested => None,
        }
    }
}

struct LooseVisitor<'a>(std::marker::PhantomData<Loose<'a>>);

impl<'de: 'a, 'a> Visitor<'de> for LooseVisitor<'a> {
    type Value = Loose<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Loose::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Loose::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Loose::Str(Cow::Owned(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Loose::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Loose::UInt(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Loose::Float(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Loose::Bool(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Loose::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Loose::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(LooseVisitor(std::marker::PhantomData))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Loose::Nested)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Loose::Nested)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Loose<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LooseVisitor(std::marker::PhantomData))
    }
}

/// Why a JSON line is not a usable record.
pub(crate) fn json_error(e: &serde_json::Error) -> crate::Malformed {
    crate::Malformed::Json(e.to_string())
}

/// A line whose first non-blank byte is not `{`: a JSON line that is not
/// an object.
pub(crate) fn require_object(line: &[u8]) -> Result<(), crate::Malformed> {
    match line.iter().find(|c| !c.is_ascii_whitespace()) {
        Some(b'{') => Ok(()),
        _ => Err(crate::Malformed::Json("not a JSON object".into())),
    }
}
