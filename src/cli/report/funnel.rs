//! Companies per stage from `weekly_funnel`: the funnel as of the last
//! week (the evaluation date) beside the week before, and the weekly flow.

use super::answers::{NO_STAGE, WeekCount};
use chrono::{DateTime, Duration, Utc};
use leadlake::funnel::Stage;
use std::collections::BTreeMap;

/// The stages in journey order: the seven of the rules (always, so an
/// empty stage shows as 0), then any other label the answers hold.
pub fn stage_order<'a>(seen: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Stage::ALL.iter().map(|s| s.as_str().to_string()).collect();
    let mut extra: Vec<&str> = seen
        .into_iter()
        .filter(|s| !out.iter().any(|o| o == s))
        .collect();
    extra.sort_unstable_by_key(|s| (*s == NO_STAGE, *s));
    extra.dedup();
    out.extend(extra.into_iter().map(str::to_string));
    out
}

/// One stage's companies as of the date and a week before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageCount {
    pub stage: String,
    pub now: i64,
    pub week_before: i64,
}

impl StageCount {
    pub fn change(&self) -> i64 {
        self.now - self.week_before
    }
}

/// Companies per stage per week, oldest week first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flow {
    pub weeks: Vec<DateTime<Utc>>,
    pub stages: Vec<String>,
    counts: BTreeMap<(DateTime<Utc>, String), i64>,
}

impl Flow {
    pub fn from_weeks(rows: &[WeekCount]) -> Self {
        let mut weeks: Vec<DateTime<Utc>> = rows.iter().map(|r| r.week).collect();
        weeks.sort_unstable();
        weeks.dedup();
        let counts = rows
            .iter()
            .map(|r| ((r.week, r.stage.clone()), r.companies))
            .collect();
        Self {
            weeks,
            stages: stage_order(rows.iter().map(|r| r.stage.as_str())),
            counts,
        }
    }

    /// Companies in `stage` at the end of `week` (0 when none).
    pub fn count(&self, week: DateTime<Utc>, stage: &str) -> i64 {
        self.counts
            .get(&(week, stage.to_string()))
            .copied()
            .unwrap_or(0)
    }

    /// Companies in any stage at the end of `week`.
    pub fn total(&self, week: DateTime<Utc>) -> i64 {
        self.stages.iter().map(|s| self.count(week, s)).sum()
    }

    /// The last week: the evaluation date (the timelines end there).
    pub fn last_week(&self) -> Option<DateTime<Utc>> {
        self.weeks.last().copied()
    }

    /// The funnel as of the last week, with the week seven days before
    /// it (no company then: 0).
    pub fn funnel(&self) -> Vec<StageCount> {
        let now = self.last_week();
        let before = now.map(|w| w - Duration::days(7));
        self.stages
            .iter()
            .map(|s| StageCount {
                stage: s.clone(),
                now: now.map_or(0, |w| self.count(w, s)),
                week_before: before.map_or(0, |w| self.count(w, s)),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32) -> DateTime<Utc> {
        chrono::NaiveDate::from_ymd_opt(2026, 4, day)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc()
    }

    fn row(day: u32, stage: &str, companies: i64) -> WeekCount {
        WeekCount {
            week: at(day),
            stage: stage.into(),
            companies,
        }
    }

    #[test]
    fn the_funnel_is_the_last_week_against_the_one_before() {
        let flow = Flow::from_weeks(&[
            row(24, "trial", 5),
            row(17, "trial", 9),
            row(24, "passive", 3),
            row(10, "passive", 1),
        ]);
        assert_eq!(flow.weeks, [at(10), at(17), at(24)]);
        let funnel = flow.funnel();
        assert_eq!(funnel.len(), 7, "every stage, empty ones too");
        let trial = funnel.iter().find(|s| s.stage == "trial").unwrap();
        assert_eq!((trial.now, trial.week_before, trial.change()), (5, 9, -4));
        let passive = funnel.iter().find(|s| s.stage == "passive").unwrap();
        assert_eq!((passive.now, passive.week_before), (3, 0));
        assert_eq!(flow.total(at(24)), 8);
    }

    #[test]
    fn no_weeks_give_a_funnel_of_zeros() {
        let funnel = Flow::from_weeks(&[]).funnel();
        assert!(funnel.iter().all(|s| s.now == 0 && s.week_before == 0));
    }

    #[test]
    fn stages_keep_journey_order_then_unknown_labels_then_none() {
        let order = stage_order(["zeta", NO_STAGE, "trial", "alpha", "zeta"]);
        assert_eq!(order[..3], ["passive", "intrigued", "trial"]);
        assert_eq!(order[7..], ["alpha", "zeta", NO_STAGE]);
    }
}
