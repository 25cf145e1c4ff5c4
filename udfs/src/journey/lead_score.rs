//! `lead_score(ts, kind, path, version, source, as_of)`: an explainable
//! 0-100 score.

use super::output::Output;
use datafusion_macros::user_doc;

profile_aggregate!(
    #[user_doc(
        doc_section(label = "leadlake journey functions"),
        description = "Aggregate: the lead score of a group of events (one company) as of `as_of`: a struct {score, components}. `score` (0-100) is the sum of the components {call_home, downloads, pages, sustained, sources, upgrades}, each saturating at its configured maximum. Automation is damped: downloads count as distinct (source, download session) pairs, never raw volume; distinct sources and active days weigh more than hits. Sustained activity (span and active days) and version upgrades raise the score; every component decays with recency (half-life 30 days by default). Same arguments, NULL handling and `as_of` rules as `journey_stage`.",
        syntax_example = "lead_score(ts, kind, path, version, source, as_of)",
        sql_example = r#"```sql
> SELECT lead_score(ts, kind, path, version, source, DATE '2026-03-01')['score'] AS score FROM (VALUES (TIMESTAMP '2026-02-27 10:00:00', 'call_home', '/ping', '1.4.0', '198.51.100.7'), (TIMESTAMP '2026-02-28 10:00:00', 'call_home', '/ping', '1.4.0', '198.51.100.8')) AS e(ts, kind, path, version, source);
+-------+
| score |
+-------+
| 9     |
+-------+
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
        argument(name = "version", description = "Version downloaded (downloads only)."),
        argument(
            name = "source",
            description = "The origin inside the company (address or its hash)."
        ),
        argument(
            name = "as_of",
            description = "Evaluation instant; events at or after it are ignored."
        )
    )]
    LeadScoreFunc,
    "lead_score",
    Output::Score,
);
