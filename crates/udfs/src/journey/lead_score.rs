//! `lead_score(ts, kind, path, version, source, as_of)`: an explainable
//! 0-100 score.

use super::output::Output;

profile_aggregate!(
    LeadScoreFunc,
    "lead_score",
    Output::Score,
    description = "Aggregate: the lead score of a group of events (one company) as of `as_of`: a struct {score, components}. `score` (0-100) is the sum of the components {call_home, downloads, pages, sustained, sources, upgrades}, each saturating at its configured maximum. Automation is damped: downloads count as distinct (source, download session) pairs, never raw volume; distinct sources and active days weigh more than hits. Sustained activity (span and active days) and version upgrades raise the score; the call_home, downloads, pages and sustained components decay with recency (half-life 30 days by default), sources and upgrades do not. Same arguments, NULL handling and `as_of` rules as `journey_stage`.",
    syntax_example = "lead_score(ts, kind, path, version, source, as_of [, package])",
    sql_example = r#"```sql
> SELECT lead_score(ts, kind, path, version, source, DATE '2026-03-01')['score'] AS score FROM (VALUES (TIMESTAMP '2026-02-27 10:00:00', 'call_home', '/ping', '1.4.0', '198.51.100.7'), (TIMESTAMP '2026-02-28 10:00:00', 'call_home', '/ping', '1.4.0', '198.51.100.8')) AS e(ts, kind, path, version, source);
+-------+
| score |
+-------+
| 9     |
+-------+
```"#,
);
