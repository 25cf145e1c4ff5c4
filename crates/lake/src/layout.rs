//! Partition layouts: `date=YYYY-MM-DD/`, `year=YYYY/month=MM/day=DD/`, or
//! flat folders. The date of a file comes from its path.

use chrono::NaiveDate;

/// How a lake's files are partitioned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `date=YYYY-MM-DD/`
    Date,
    /// `year=YYYY/month=MM/day=DD/`
    YearMonthDay,
    /// No date partitions.
    Flat,
}

impl Layout {
    pub fn describe(self) -> &'static str {
        match self {
            Layout::Date => "date=YYYY-MM-DD/",
            Layout::YearMonthDay => "year=YYYY/month=MM/day=DD/",
            Layout::Flat => "flat",
        }
    }
}

/// The partition date in a relative path, and which layout gave it.
pub fn date_of(relative: &str) -> Option<(Layout, NaiveDate)> {
    let (mut date, mut y, mut m, mut d) = (None, None, None, None);
    for seg in relative.split('/') {
        let Some((k, v)) = seg.split_once('=') else {
            continue;
        };
        match k {
            "date" | "dt" | "day_date" => date = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok(),
            "year" => y = v.parse::<i32>().ok(),
            "month" => m = v.parse::<u32>().ok(),
            "day" => d = v.parse::<u32>().ok(),
            _ => {}
        }
    }
    if let Some(date) = date {
        return Some((Layout::Date, date));
    }
    Some((Layout::YearMonthDay, NaiveDate::from_ymd_opt(y?, m?, d?)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_paths() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            date_of("date=2026-03-01/part-0.parquet"),
            Some((Layout::Date, d("2026-03-01")))
        );
        assert_eq!(
            date_of("year=2026/month=3/day=01/x.parquet"),
            Some((Layout::YearMonthDay, d("2026-03-01")))
        );
        assert_eq!(date_of("x.parquet"), None);
        assert_eq!(date_of("date=2026-13-01/x.parquet"), None);
        assert_eq!(date_of("year=2026/month=02/x.parquet"), None);
    }
}
