//! `active_installs(ts, kind, path, version, source, as_of)`: distinct
//! call-home sources over the last 7 and 30 days.

use super::output::Output;

profile_aggregate!(
    ActiveInstallsFunc,
    "active_installs",
    Output::Installs,
    description = "Aggregate: an active-installs estimate for a group of events (one company) as of `as_of`: a struct {last7, last30} counting the distinct sources that sent `call_home` pings in the last 7 and 30 days. Pings on 30 or more distinct days also make `journey_stage` say production. Same arguments, NULL handling and `as_of` rules as `journey_stage`. Only `call_home` rows count; `path` and `version` are unused (every journey aggregate takes the same arguments).",
    syntax_example = "active_installs(ts, kind, path, version, source, as_of [, package])",
    sql_example = r#"```sql
> SELECT active_installs(ts, kind, path, version, source, DATE '2026-03-01') AS installs FROM (VALUES (TIMESTAMP '2026-02-27 10:00:00', 'call_home', '/ping', '1.4.0', '198.51.100.7'), (TIMESTAMP '2026-02-28 10:00:00', 'call_home', '/ping', '1.4.0', '198.51.100.8'), (TIMESTAMP '2026-02-10 10:00:00', 'call_home', '/ping', '1.4.0', '198.51.100.9')) AS e(ts, kind, path, version, source);
+-----------------------+
| installs              |
+-----------------------+
| {last7: 2, last30: 3} |
+-----------------------+
```"#,
);
