//! `session_start(ts [, gap [, max_length]]) OVER (...)`: when each row's
//! session began.

use super::session_id::Mode;
use datafusion_macros::user_doc;

session_window!(
    #[user_doc(
        doc_section(label = "leadlake journey functions"),
        description = "Window function: the time of the first event of each row's session, with the same sessions as `session_id` (same arguments, same ordering requirement). NULL for a NULL `ts`.",
        syntax_example = "session_start(ts [, gap [, max_length]]) OVER (PARTITION BY source ORDER BY ts)",
        sql_example = r#"```sql
> SELECT ts, session_start(ts, 30) OVER (ORDER BY ts) AS started FROM (VALUES (TIMESTAMP '2026-03-01 10:00:00'), (TIMESTAMP '2026-03-01 10:20:00'), (TIMESTAMP '2026-03-01 11:30:00')) AS e(ts) ORDER BY ts;
+---------------------+----------------------+
| ts                  | started              |
+---------------------+----------------------+
| 2026-03-01T10:00:00 | 2026-03-01T10:00:00Z |
| 2026-03-01T10:20:00 | 2026-03-01T10:00:00Z |
| 2026-03-01T11:30:00 | 2026-03-01T11:30:00Z |
+---------------------+----------------------+
```"#,
        argument(
            name = "ts",
            description = "Event time; the window must be ordered by it."
        ),
        argument(
            name = "gap",
            description = "Inactivity that closes a session (interval or minutes; default 30 minutes)."
        ),
        argument(
            name = "max_length",
            description = "Longest session (interval or minutes; default none)."
        )
    )]
    SessionStartFunc,
    "session_start",
    Mode::Start
);
