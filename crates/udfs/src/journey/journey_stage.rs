//! `journey_stage(ts, kind, path, version, source, as_of)`: where a
//! company is in its journey, why, and what to do.

use super::output::Output;

profile_aggregate!(
    JourneyStageFunc,
    "journey_stage",
    Output::Stage,
    description = "Aggregate: the journey stage of a group of events (one company) as of `as_of`: a struct {stage, rule, action}. `stage` is the first of waning, maintenance, production, evaluation, trial, intrigued that holds, else passive; `rule` names the rule that fired with the figures that satisfied it; `action` is the recommended next step. Only events before `as_of` count, so a past `as_of` gives a reproducible answer. Rows with a NULL `ts` or a `kind` other than download, docs_view, page_view and call_home are ignored; a group without counted events gives NULL. `as_of` must be the same for every row of a group. Thresholds come from the `[funnel]` configuration.",
    syntax_example = "journey_stage(ts, kind, path, version, source, as_of [, package])",
    sql_example = r#"```sql
> SELECT journey_stage(ts, kind, path, version, source, DATE '2026-03-01')['stage'] AS stage, journey_stage(ts, kind, path, version, source, DATE '2026-03-01')['action'] AS action FROM (VALUES (TIMESTAMP '2026-02-10 10:00:00', 'docs_view', '/docs/install', NULL, '198.51.100.7'), (TIMESTAMP '2026-02-12 09:30:00', 'download', '/simple/widget/', '1.4.0', '198.51.100.7')) AS e(ts, kind, path, version, source);
+-------+-----------------+
| stage | action          |
+-------+-----------------+
| trial | Promote how-tos |
+-------+-----------------+
```"#,
);
