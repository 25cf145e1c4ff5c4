//! `company_journey(ts, kind, path, version, source, as_of [, package [, step]])`:
//! stage, score, tiers, installs and activity of a company (and, given a
//! step, its stage timeline) from its events collected once.

use super::output::Output;

profile_aggregate!(
    CompanyJourneyFunc,
    "company_journey",
    Output::Journey,
    description = "Aggregate: everything the journey aggregates say about a group of events (one company) as of `as_of`, from its events collected once: a struct {stage, score, tiers, installs, activity} whose fields are exactly what `journey_stage`, `lead_score`, `activity_tiers`, `active_installs` and `journey_activity` return. Given an eighth argument `step`, the struct also holds `timeline`, exactly what `stage_timeline` returns with that step. A query that calls two or more of those six with the same arguments in one GROUP BY is rewritten to this function by the optimizer, so writing them separately costs nothing extra. Same arguments, NULL handling and `as_of` rules as `journey_stage`.",
    syntax_example = "company_journey(ts, kind, path, version, source, as_of [, package [, step]])",
    sql_example = r#"```sql
> SELECT j['stage']['stage'] AS stage, j['score']['score'] AS score, j['tiers']['docs'] AS docs, j['installs']['last30'] AS installs FROM (SELECT company_journey(ts, kind, path, version, source, DATE '2026-03-01') AS j FROM (VALUES (TIMESTAMP '2026-02-10 10:00:00', 'docs_view', '/docs/install', NULL, '198.51.100.7'), (TIMESTAMP '2026-02-12 09:30:00', 'docs_view', '/docs/install', NULL, '198.51.100.7')) AS e(ts, kind, path, version, source));
+-----------+-------+------+----------+
| stage     | score | docs | installs |
+-----------+-------+------+----------+
| intrigued | 2     | good | 0        |
+-----------+-------+------+----------+
```"#,
    step = "Optional: adds the field `timeline`, the stage as of each step back from `as_of` (an interval or a number of days, a constant; NULL for 7 days), as `stage_timeline` gives it. Pass NULL as `package` when there is none.",
);
