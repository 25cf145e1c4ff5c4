//! Field decoders that accept what different `.mmdb` writers produce.
//!
//! MaxMind stores an ASN as uint32, other tools as uint16, uint64, a signed
//! integer or a string such as `"AS15169"`; flags may be booleans or 0/1.

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use std::fmt;

/// An autonomous-system number decoded from any integer width or an
/// `"AS123"` / `"123"` string. Values that do not fit in u32, and 0 (reserved,
/// never a real network), decode as `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Asn(pub Option<u32>);

impl<'de> Deserialize<'de> for Asn {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Asn;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an AS number as an integer or a string")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Asn, E> {
                Ok(Asn(u32::try_from(v).ok().filter(|&a| a != 0)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Asn, E> {
                Ok(Asn(u32::try_from(v).ok().filter(|&a| a != 0)))
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<Asn, E> {
                Ok(Asn(u32::try_from(v).ok().filter(|&a| a != 0)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Asn, E> {
                let digits = v
                    .trim()
                    .strip_prefix("AS")
                    .or_else(|| v.trim().strip_prefix("as"))
                    .unwrap_or(v.trim());
                Ok(Asn(digits.parse().ok().filter(|&a| a != 0)))
            }
        }
        d.deserialize_any(V)
    }
}

/// A flag decoded from a boolean or an integer (non-zero is true).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Flag(pub bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Flag;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean flag")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Flag, E> {
                Ok(Flag(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Flag, E> {
                Ok(Flag(v != 0))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Flag, E> {
                Ok(Flag(v != 0))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Flag, E> {
                Ok(Flag(matches!(v, "true" | "1" | "yes")))
            }
        }
        d.deserialize_any(V)
    }
}
