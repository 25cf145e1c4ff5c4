//! `[run]`: what a session may use — memory, a folder to spill to, and
//! threads. Without a memory limit DataFusion never spills and a large
//! lake can take all the machine has; with one, sorts, joins and
//! aggregations (the journey aggregates included) spill to `temp_dir`
//! once their share of the pool is used, and a query that still cannot
//! fit fails naming the operator and the bytes it asked for.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Resources of a session (`[run]` in `leadlake.toml`; `--memory-limit`,
/// `--temp-dir` and `--threads` on `run` and `shell`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RunConfig {
    /// Bytes of memory the queries may hold, shared fairly between the
    /// operators that can spill. In a file: `"4G"`, `"512M"`, `"1.5G"` or
    /// a number of bytes. None: no limit (DataFusion's default).
    #[serde(deserialize_with = "memory_limit")]
    pub memory_limit: Option<u64>,
    /// Where spill files go (default: the system's temporary folder).
    pub temp_dir: Option<PathBuf>,
    /// Partitions each query runs as (default: the number of cores).
    pub threads: Option<usize>,
}

/// The largest limit accepted: 1 PiB (beyond it a typo is likelier than
/// a machine).
const MAX_LIMIT: u64 = 1 << 50;

/// Parse a memory size: a number with an optional binary unit `K`, `M`,
/// `G` or `T` (powers of 1024, `B`/`iB` allowed after it: `4G`, `4GiB`,
/// `512MB`), case-insensitive; at least 1 MiB, at most 1 PiB.
///
/// # Errors
/// A message saying what was expected.
pub fn parse_memory_size(text: &str) -> Result<u64, String> {
    let bad = || {
        format!(
            "'{text}' is not a memory size: expected a number with an optional unit K, M, G or T (like 4G or 512M)"
        )
    };
    let t = text.trim().to_ascii_uppercase();
    let t = t
        .strip_suffix("IB")
        .or_else(|| t.strip_suffix('B'))
        .unwrap_or(&t);
    let (number, unit) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&t[..i], c),
        _ => (t, ' '),
    };
    let scale: u64 = match unit {
        ' ' => 1,
        'K' => 1 << 10,
        'M' => 1 << 20,
        'G' => 1 << 30,
        'T' => 1 << 40,
        _ => return Err(bad()),
    };
    let value: f64 = number.trim().parse().map_err(|_| bad())?;
    if !value.is_finite() || value < 0.0 {
        return Err(bad());
    }
    let bytes = value * scale as f64;
    if bytes < (1u64 << 20) as f64 {
        return Err(format!("memory limit '{text}' is below 1 MiB"));
    }
    if bytes > MAX_LIMIT as f64 {
        return Err(format!("memory limit '{text}' is above 1 PiB"));
    }
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "checked above: positive and below 2^50"
    )]
    Ok(bytes as u64)
}

/// `memory_limit` from a file: a size text or a number of bytes.
fn memory_limit<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Size {
        Bytes(u64),
        Text(String),
    }
    let parsed = match Option::<Size>::deserialize(d)? {
        None => return Ok(None),
        Some(Size::Bytes(n)) => parse_memory_size(&n.to_string()),
        Some(Size::Text(t)) => parse_memory_size(&t),
    };
    parsed.map(Some).map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        for (text, bytes) in [
            ("4G", 4u64 << 30),
            ("4g", 4 << 30),
            ("4GiB", 4 << 30),
            ("4GB", 4 << 30),
            ("512M", 512 << 20),
            ("1.5G", 3 << 29),
            (" 2T ", 2 << 40),
            ("1048576", 1 << 20),
        ] {
            assert_eq!(parse_memory_size(text), Ok(bytes), "{text}");
        }
        for bad in [
            "", "G", "4X", "-4G", "four", "4 G B", "NaNG", "infG", "1e400",
        ] {
            assert!(parse_memory_size(bad).is_err(), "{bad}");
        }
        assert!(parse_memory_size("1K").unwrap_err().contains("below 1 MiB"));
        assert!(
            parse_memory_size("2048T")
                .unwrap_err()
                .contains("above 1 PiB")
        );
    }

    #[test]
    fn the_file_takes_text_or_bytes_and_names_a_bad_value() {
        let c: RunConfig = toml::from_str("memory_limit = \"4G\"\nthreads = 2\n").unwrap();
        assert_eq!((c.memory_limit, c.threads), (Some(4 << 30), Some(2)));
        let c: RunConfig = toml::from_str("memory_limit = 1073741824\n").unwrap();
        assert_eq!(c.memory_limit, Some(1 << 30));
        let e = toml::from_str::<RunConfig>("memory_limit = \"lots\"\n").unwrap_err();
        assert!(e.to_string().contains("'lots' is not a memory size"), "{e}");
        // round trip, as executors receive it
        let c = RunConfig {
            memory_limit: Some(3 << 30),
            temp_dir: Some("/tmp/x".into()),
            threads: Some(4),
        };
        let back: RunConfig = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        assert_eq!(back, c);
    }
}
