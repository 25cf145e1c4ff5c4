//! `journey_stage(ts, kind, path, version, source, as_of)`: where a
//! company is in its journey, why, and what to do.

use super::output::Output;
use datafusion_macros::user_doc;

profile_aggregate!(
    #[user_doc(
        doc_section(label = "leadlake journey functions"),
        description = "Aggregate: the journey stage of a group of events (one company) as of `as_of`: a struct {stage, rule, action}. `stage` is the first of waning, maintenance, production, evaluation, trial, intrigued that holds, else passive; `rule` names the rule that fired with the figures that satisfied it; `action` is the recommended next step. Only events before `as_of` count, so a past `as_of` gives a reproducible answer. Rows with a NULL `ts` or a `kind` other than download, docs_view, page_view and call_home are ignored; a group without counted events gives NULL. `as_of` must be the same for every row of a group. Thresholds come from the `[funnel]` configuration.",
        syntax_example = "journey_stage(ts, kind, path, version, source, as_of)",
        sql_example = r#"```sql
> SELECT journey_stage(ts, kind, path, version, source, DATE '2026-03-01')['stage'] AS stage, journey_stage(ts, kind, path, version, source, DATE '2026-03-01')['action'] AS action FROM (VALUES (TIMESTAMP '2026-02-10 10:00:00', 'docs_view', '/docs/install', NULL, '198.51.100.7'), (TIMESTAMP '2026-02-12 09:30:00', 'download', '/simple/widget/', '1.4.0', '198.51.100.7')) AS e(ts, kind, path, version, source);
+-------+-----------------+
| stage | action          |
+-------+-----------------+
| trial | Promote how-tos |
+-------+-----------------+
```"#,
        argument(name = "ts", description = "Event time (timestamp or date)."),
        argument(
            name = "kind",
            description = "Event kind: download, docs_view, page_view or call_home."
        ),
        argument(
            name = "path",
            description = "Page path or URL (classified by the page rules)."
        ),
        argument(
            name = "version",
            description = "Version downloaded (downloads only; any string, compared as a semantic version)."
        ),
        argument(
            name = "source",
            description = "The origin inside the company: usually the address (or `ip_hash(ip, salt)`), optionally combined with the client family."
        ),
        argument(
            name = "as_of",
            description = "Evaluation instant (timestamp, date or 'YYYY-MM-DD'); events at or after it are ignored."
        )
    )]
    JourneyStageFunc,
    "journey_stage",
    Output::Stage,
);
