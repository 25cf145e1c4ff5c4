//! Sessions: events of one source, in time order, stay in one session
//! while the gap between consecutive events is under the inactivity gap,
//! and (optionally) while the session is shorter than its maximum length.

use crate::config::SessionRules;

pub const MINUTE_US: i64 = 60_000_000;

/// Session boundaries in microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sessions {
    pub gap_us: i64,
    pub max_length_us: Option<i64>,
}

impl Sessions {
    pub fn new(gap_us: i64, max_length_us: Option<i64>) -> Self {
        Self {
            gap_us,
            max_length_us,
        }
    }

    pub fn from_rules(rules: &SessionRules) -> Self {
        Self::new(
            i64::from(rules.gap_minutes) * MINUTE_US,
            rules.max_length_minutes.map(|m| i64::from(m) * MINUTE_US),
        )
    }

    /// Does an event at `ts` start a new session after one that began at
    /// `start` and last saw an event at `last`?
    #[inline]
    pub fn breaks(&self, start: i64, last: i64, ts: i64) -> bool {
        ts.saturating_sub(last) >= self.gap_us
            || self
                .max_length_us
                .is_some_and(|m| ts.saturating_sub(start) >= m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Number each event's session (1, 2, ...) over timestamps in
    /// ascending order; `None` timestamps get `None` and do not break a
    /// session.
    fn number(s: &Sessions, ts: impl IntoIterator<Item = Option<i64>>, out: &mut Vec<Option<i64>>) {
        let mut id = 0i64;
        let (mut start, mut last) = (0i64, 0i64);
        for t in ts {
            let Some(t) = t else {
                out.push(None);
                continue;
            };
            if id == 0 || s.breaks(start, last, t) {
                id += 1;
                start = t;
            }
            last = t;
            out.push(Some(id));
        }
    }

    #[test]
    fn gap_and_max_length() {
        let s = Sessions::new(30 * MINUTE_US, None);
        let m = |x: i64| x * MINUTE_US;
        let mut out = Vec::new();
        number(
            &s,
            [
                Some(m(0)),
                Some(m(29)),
                None,
                Some(m(59)),
                Some(m(89)),
                Some(m(200)),
            ],
            &mut out,
        );
        // 29 -> 59 is exactly the gap: a new session
        assert_eq!(out, [Some(1), Some(1), None, Some(2), Some(3), Some(4)]);
        let s = Sessions::new(30 * MINUTE_US, Some(60 * MINUTE_US));
        let mut out = Vec::new();
        number(&s, (0..10).map(|i| Some(m(i * 20))), &mut out);
        assert_eq!(
            out.iter().map(|x| x.unwrap()).collect::<Vec<_>>(),
            [1, 1, 1, 2, 2, 2, 3, 3, 3, 4]
        );
    }
}
