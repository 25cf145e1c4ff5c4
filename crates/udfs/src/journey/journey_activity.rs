//! `journey_activity(ts, kind, path, version, source, as_of)`: distinct
//! days, machines and versions of a company's journey events, from the
//! replay the other journey aggregates make.

use super::output::Output;

profile_aggregate!(
    JourneyActivityFunc,
    "journey_activity",
    Output::Activity,
    description = "Aggregate: how much of a company's journey there is as of `as_of`, counted from the same replay as `journey_stage`: a struct {active_days, machines, versions}. `active_days` is the number of distinct UTC dates with an event, `machines` the number of distinct non-NULL sources, `versions` the number of distinct version texts downloaded. Only events of the four journey kinds before `as_of` count (as in every journey aggregate), so they equal `count(DISTINCT date_trunc('day', ts))`, `count(DISTINCT source)` and `count(DISTINCT version) FILTER (WHERE kind = 'download')` over those events, without holding a set of strings per company: called beside `journey_stage` or `lead_score` with the same arguments, it is fused into their `company_journey` and costs almost nothing. Same arguments, NULL handling and `as_of` rules as `journey_stage`; NULL for a group without journey events.",
    syntax_example = "journey_activity(ts, kind, path, version, source, as_of [, package])",
    sql_example = r#"```sql
> SELECT a['active_days'] AS active_days, a['machines'] AS machines, a['versions'] AS versions FROM (SELECT journey_activity(ts, kind, path, version, source, DATE '2026-03-01') AS a FROM (VALUES (TIMESTAMP '2026-02-10 10:00:00', 'docs_view', '/docs/install', NULL, '198.51.100.7'), (TIMESTAMP '2026-02-10 23:59:00', 'download', NULL, '1.4.0', '198.51.100.8'), (TIMESTAMP '2026-02-11 00:01:00', 'download', NULL, '1.4.0', NULL), (TIMESTAMP '2026-02-12 09:30:00', 'download', NULL, '1.5.0', '198.51.100.8')) AS e(ts, kind, path, version, source));
+-------------+----------+----------+
| active_days | machines | versions |
+-------------+----------+----------+
| 3           | 2        | 2        |
+-------------+----------+----------+
```"#,
);
