//! Timestamps of every input format, to microseconds since the Unix epoch,
//! UTC. Hand-written over bytes: these run once per line, and chrono's
//! format-string parsers cost several times more; the calendar (day within
//! month, days since the epoch) is a few lines of arithmetic, checked
//! against chrono in the tests.
//!
//! - access logs `$time_local`: `10/Oct/2000:13:55:36 -0700`; the offset is
//!   the line's own, so a file crossing a DST change stays exact;
//! - RFC 3339 with 0–9 fraction digits and `Z` or an offset, and the
//!   Postgres form `YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM]]`, UTC when it has
//!   no zone (Scarf, `$time_iso8601`, Cloudflare);
//! - Unix seconds, milliseconds or nanoseconds told apart by magnitude
//!   (Cloudflare `EdgeStartTimestamp`).

use chrono::NaiveDate;

const MICROS_PER_SEC: i64 = 1_000_000;
/// Microseconds in one day.
pub const DAY_MICROS: i64 = 86_400 * MICROS_PER_SEC;

/// Days since 1970-01-01 of a UTC timestamp in microseconds.
pub fn day_of(ts: i64) -> i64 {
    ts.div_euclid(DAY_MICROS)
}

/// `YYYY-MM-DD` of a day number.
pub fn day_name(day: i64) -> String {
    let date = i32::try_from(day)
        .ok()
        .and_then(|d| NaiveDate::from_num_days_from_ce_opt(d + EPOCH_CE_DAYS));
    match date {
        Some(d) => d.format("%Y-%m-%d").to_string(),
        None => format!("day{day}"),
    }
}

/// Days from 0001-01-01 (CE day 1) to 1970-01-01.
const EPOCH_CE_DAYS: i32 = 719_163;

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() {
        return None;
    }
    let mut v: u32 = 0;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u32::from(c - b'0'))?;
    }
    Some(v)
}

fn leap(y: u32) -> bool {
    y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400))
}

/// Days since 1970-01-01 of a proleptic Gregorian date, or `None` when the
/// day is not in the month. The era arithmetic of Howard Hinnant's
/// `days_from_civil` (checked against chrono in the tests).
fn days_from_civil(y: u32, m: u32, d: u32) -> Option<i64> {
    let last = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap(y) => 29,
        2 => 28,
        _ => return None,
    };
    if d == 0 || d > last {
        return None;
    }
    // years from March: February's leap day ends the year
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * i64::from((m + 9) % 12) + 2) / 5 + i64::from(d) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    Some(era * 146_097 + day_of_era - 719_468)
}

fn civil(y: u32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<i64> {
    if h > 23 || mi > 59 || s > 59 {
        return None;
    }
    let days = days_from_civil(y, mo, d)?;
    Some((days * 86_400 + i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(s)) * MICROS_PER_SEC)
}

fn month(b: &[u8]) -> Option<u32> {
    Some(match b {
        b"Jan" => 1,
        b"Feb" => 2,
        b"Mar" => 3,
        b"Apr" => 4,
        b"May" => 5,
        b"Jun" => 6,
        b"Jul" => 7,
        b"Aug" => 8,
        b"Sep" => 9,
        b"Oct" => 10,
        b"Nov" => 11,
        b"Dec" => 12,
        _ => return None,
    })
}

/// `+HHMM`, `-HHMM`, `+HH:MM`, `+HH` or `Z` → seconds east of UTC.
fn offset(b: &[u8]) -> Option<i64> {
    match b {
        [b'Z' | b'z'] => Some(0),
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let (h, m) = match rest {
                [h1, h2] => (digits(&[*h1, *h2])?, 0),
                [h1, h2, m1, m2] => (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?),
                [h1, h2, b':', m1, m2] => (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?),
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let secs = i64::from(h * 3600 + m * 60);
            Some(if *sign == b'-' { -secs } else { secs })
        }
        _ => None,
    }
}

/// Common Log Format time, without the brackets: `10/Oct/2000:13:55:36 -0700`.
pub fn parse_clf(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 26
        || b[2] != b'/'
        || b[6] != b'/'
        || b[11] != b':'
        || b[14] != b':'
        || b[17] != b':'
        || b[20] != b' '
    {
        return None;
    }
    let local = civil(
        digits(&b[7..11])?,
        month(&b[3..6])?,
        digits(&b[0..2])?,
        digits(&b[12..14])?,
        digits(&b[15..17])?,
        digits(&b[18..20])?,
    )?;
    Some(local - offset(&b[21..26])? * MICROS_PER_SEC)
}

/// RFC 3339 (`T`, `t` or a space between date and time), 0–9 fraction
/// digits (beyond microseconds truncated), `Z` or an offset; no zone at all
/// reads as UTC (the Postgres `timestamp` form).
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = crate::scan::trim(s).as_bytes();
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let base = civil(
        digits(&b[0..4])?,
        digits(&b[5..7])?,
        digits(&b[8..10])?,
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    )?;
    let mut rest = &b[19..];
    let mut micros: i64 = 0;
    if let [b'.', frac @ ..] = rest {
        let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 || n > 9 {
            return None;
        }
        for (i, c) in frac[..n].iter().enumerate() {
            if i < 6 {
                micros = micros * 10 + i64::from(c - b'0');
            }
        }
        for _ in n..6 {
            micros *= 10;
        }
        rest = &frac[n..];
    }
    let off = match rest {
        [] => 0,
        [b' ', zone @ ..] => offset(zone)?,
        zone => offset(zone)?,
    };
    Some(base + micros - off * MICROS_PER_SEC)
}

/// A Unix time as an integer: seconds, milliseconds, microseconds or
/// nanoseconds, told apart by magnitude (seconds up to year 5138,
/// anything after that is a finer unit).
pub fn from_unix(v: i64) -> Option<i64> {
    let a = v.unsigned_abs();
    if a < 100_000_000_000 {
        v.checked_mul(MICROS_PER_SEC)
    } else if a < 100_000_000_000_000 {
        v.checked_mul(1000)
    } else if a < 100_000_000_000_000_000 {
        Some(v)
    } else {
        Some(v.div_euclid(1000))
    }
}

/// CloudFront's `date` and `time` fields (UTC): `2019-12-04` and `21:02:31`.
pub fn parse_date_time(date: &str, time: &str) -> Option<i64> {
    let (d, t) = (date.as_bytes(), time.as_bytes());
    if d.len() != 10 || t.len() != 8 || d[4] != b'-' || d[7] != b'-' || t[2] != b':' || t[5] != b':'
    {
        return None;
    }
    civil(
        digits(&d[0..4])?,
        digits(&d[5..7])?,
        digits(&d[8..10])?,
        digits(&t[0..2])?,
        digits(&t[3..5])?,
        digits(&t[6..8])?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 971_211_336 * MICROS_PER_SEC; // 2000-10-10T20:55:36Z

    #[test]
    fn clf() {
        assert_eq!(parse_clf("10/Oct/2000:13:55:36 -0700"), Some(T0));
        assert_eq!(parse_clf("10/Oct/2000:22:55:36 +0200"), Some(T0));
        assert_eq!(parse_clf("31/Feb/2000:13:55:36 -0700"), None);
        assert_eq!(parse_clf("10/Foo/2000:13:55:36 -0700"), None);
        assert_eq!(parse_clf("10/Oct/2000:13:55:36"), None);
        assert_eq!(parse_clf("10/Oct/2000:24:55:36 -0700"), None);
    }

    #[test]
    fn rfc3339() {
        assert_eq!(parse_rfc3339("2000-10-10T20:55:36Z"), Some(T0));
        assert_eq!(parse_rfc3339("2000-10-10T20:55:36.5Z"), Some(T0 + 500_000));
        assert_eq!(
            parse_rfc3339("2000-10-10T20:55:36.123456789Z"),
            Some(T0 + 123_456)
        );
        assert_eq!(parse_rfc3339("2000-10-10T22:55:36+02:00"), Some(T0));
        assert_eq!(parse_rfc3339("2000-10-10 20:55:36.000001"), Some(T0 + 1));
        assert_eq!(parse_rfc3339("2000-10-10 20:55:36+00"), Some(T0));
        assert_eq!(parse_rfc3339("2000-10-10 20:55:36 +0000"), Some(T0));
        assert_eq!(parse_rfc3339("2000-10-10T20:55:36.Z"), None);
        assert_eq!(parse_rfc3339("2000-10-10T20:55:36.1234567890Z"), None);
        assert_eq!(parse_rfc3339("2000-10-10T20:55"), None);
        assert_eq!(parse_rfc3339("2000-10-10T20:55:36X"), None);
    }

    #[test]
    fn unix() {
        assert_eq!(from_unix(971_211_336), Some(T0));
        assert_eq!(from_unix(971_211_336_000), Some(T0));
        assert_eq!(from_unix(971_211_336_000_000), Some(T0));
        assert_eq!(from_unix(971_211_336_000_000_000), Some(T0));
    }

    proptest::proptest! {
        #[test]
        fn calendar_agrees_with_chrono(y in 0u32..10_000, m in 0u32..14, d in 0u32..33) {
            let expected = NaiveDate::from_ymd_opt(i32::try_from(y).unwrap(), m, d)
                .map(|date| i64::from(chrono::Datelike::num_days_from_ce(&date) - EPOCH_CE_DAYS));
            proptest::prop_assert_eq!(days_from_civil(y, m, d), expected);
        }
    }

    #[test]
    fn calendar_edges() {
        assert_eq!(days_from_civil(1970, 1, 1), Some(0));
        assert_eq!(days_from_civil(1969, 12, 31), Some(-1));
        assert_eq!(days_from_civil(2000, 2, 29), Some(11_016));
        assert_eq!(days_from_civil(1900, 2, 29), None);
        assert_eq!(days_from_civil(2024, 4, 31), None);
        assert_eq!(days_from_civil(0, 1, 1), Some(-719_528));
    }

    #[test]
    fn days() {
        assert_eq!(day_name(day_of(T0)), "2000-10-10");
        assert_eq!(day_name(day_of(-1)), "1969-12-31");
        assert_eq!(parse_date_time("2000-10-10", "20:55:36"), Some(T0));
    }
}
