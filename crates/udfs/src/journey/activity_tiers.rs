//! `activity_tiers(ts, kind, path, version, source, as_of)`: the
//! GOOD / BETTER / BEST table per activity.

use super::output::Output;

profile_aggregate!(
    ActivityTiersFunc,
    "activity_tiers",
    Output::Tiers,
    description = "Aggregate: the activity tiers of a group of events (one company) as of `as_of`: a struct {downloads, docs, web}, each none, good, better or best by the GOOD/BETTER/BEST table (downloads: a download in the last 7 days / more than one in the last 30 / downloads on 60 of the last 90 days with an upgrade; docs: 2 install-page views / views spanning more than 30 days from 2 sources beyond install pages / more than 90 days incl. upgrade docs; web: 2 distinct pages in 7 days / in 30 days incl. a medium page / incl. a high-value page). Same arguments, NULL handling and `as_of` rules as `journey_stage`.",
    syntax_example = "activity_tiers(ts, kind, path, version, source, as_of [, package])",
    sql_example = r#"```sql
> SELECT activity_tiers(ts, kind, path, version, source, DATE '2026-03-01') AS tiers FROM (VALUES (TIMESTAMP '2026-02-20 10:00:00', 'docs_view', '/docs/install', NULL, '198.51.100.7'), (TIMESTAMP '2026-02-21 10:00:00', 'docs_view', '/docs/quickstart', NULL, '198.51.100.7'), (TIMESTAMP '2026-02-27 09:30:00', 'download', '/simple/widget/', '1.4.0', '198.51.100.7')) AS e(ts, kind, path, version, source);
+------------------------------------------+
| tiers                                    |
+------------------------------------------+
| {downloads: good, docs: good, web: none} |
+------------------------------------------+
```"#,
);
