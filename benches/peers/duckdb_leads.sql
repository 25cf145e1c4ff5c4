-- The lead pipeline by hand in DuckDB SQL. duckdb_leads.py fills in
-- {lake} (a Parquet glob), {ranges} (prepare_ranges.py's CSV) and {as_of}.
SET TimeZone = 'UTC';

-- an IPv4 address as an integer (NULL when it is not one)
CREATE MACRO v4_int(s) AS
    (try_cast(split_part(s, '.', 1) AS UBIGINT) << 24)
  | (try_cast(split_part(s, '.', 2) AS UBIGINT) << 16)
  | (try_cast(split_part(s, '.', 3) AS UBIGINT) << 8)
  |  try_cast(split_part(s, '.', 4) AS UBIGINT);

-- an IPv6 address with '::' written out as zero groups
CREATE MACRO v6_full(s) AS
    trim(replace(s, '::', ':' || repeat('0:', 9 - (length(s) - length(replace(s, ':', ''))))), ':');

-- the /64 of an IPv6 address: its first four groups as an integer
CREATE MACRO v6_hi(s) AS
    (try_cast('0x' || split_part(v6_full(s), ':', 1) AS UBIGINT) << 48)
  | (try_cast('0x' || split_part(v6_full(s), ':', 2) AS UBIGINT) << 32)
  | (try_cast('0x' || split_part(v6_full(s), ':', 3) AS UBIGINT) << 16)
  |  try_cast('0x' || split_part(v6_full(s), ':', 4) AS UBIGINT);

CREATE TABLE ranges AS
SELECT * FROM read_csv('{ranges}', header = true, columns = {
    'fam': 'UTINYINT', 'start': 'UBIGINT', 'end': 'UBIGINT', 'network': 'VARCHAR',
    'company': 'VARCHAR', 'isp': 'VARCHAR', 'asn': 'UBIGINT', 'domain': 'VARCHAR',
    'network_type': 'VARCHAR', 'source': 'VARCHAR'});

WITH ev AS (
    SELECT ts, kind, ip, version
    FROM read_parquet('{lake}', hive_partitioning = false)
    WHERE ts < TIMESTAMPTZ '{as_of}'
      -- bots and mirrors show nobody's interest (SIMILAR TO, a whole-text
      -- match, ran faster here than regexp_matches with (?i))
      AND NOT lower(coalesce(user_agent, '')) SIMILAR TO '.*(bot|crawl|spider|bandersnatch|mirror).*'
),
-- IP -> company, once per distinct address: the last range starting at or
-- before the address, if the address is also at or before its end
addresses AS (
    SELECT ip,
           CASE WHEN contains(ip, ':') THEN 6 ELSE 4 END AS fam,
           CASE WHEN contains(ip, ':') THEN v6_hi(ip) ELSE v4_int(ip) END AS addr
    FROM (SELECT DISTINCT ip FROM ev)
),
companies_of AS (
    SELECT a.ip, r.company
    FROM addresses a ASOF JOIN ranges r ON a.fam = r.fam AND a.addr >= r.start
    WHERE a.addr <= r."end" AND r.network_type = 'business'
),
resolved AS (
    SELECT ev.*, c.company FROM ev JOIN companies_of c USING (ip)
),
-- sessions per company and address: a new one after a 30-minute pause
marked AS (
    SELECT *,
           CASE WHEN ts - lag(ts) OVER w < INTERVAL 30 MINUTE THEN 0 ELSE 1 END AS new_session
    FROM resolved
    WINDOW w AS (PARTITION BY company, ip ORDER BY ts)
),
sessions AS (
    SELECT *,
           sum(new_session) OVER (PARTITION BY company, ip ORDER BY ts
                                  ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS session_no
    FROM marked
),
companies AS (
    SELECT company,
           min(ts) AS first_seen,
           max(ts) AS last_seen,
           date_diff('day', min(ts)::DATE, max(ts)::DATE) AS span,
           count(DISTINCT ts::DATE) AS active_days,
           count(DISTINCT ip) AS addresses,
           count(*) FILTER (WHERE kind = 'download') AS downloads,
           count(DISTINCT version) FILTER (WHERE kind = 'download') AS versions,
           count(DISTINCT (ip, session_no)) AS sessions,
           count(DISTINCT (ip, session_no)) FILTER (WHERE kind = 'download') AS download_sessions,
           count(*) FILTER (WHERE kind = 'docs_view') AS docs_views,
           count(DISTINCT ts::DATE) FILTER (WHERE kind IN ('docs_view', 'page_view')) AS view_days,
           count(DISTINCT ts::DATE) FILTER (WHERE kind = 'call_home') AS ping_days,
           count(*) FILTER (WHERE ts >= TIMESTAMPTZ '{as_of}' - INTERVAL 30 DAY) AS last30,
           count(*) FILTER (WHERE ts >= TIMESTAMPTZ '{as_of}' - INTERVAL 60 DAY
                              AND ts < TIMESTAMPTZ '{as_of}' - INTERVAL 30 DAY) AS prev30,
           count(*) FILTER (WHERE ts >= TIMESTAMPTZ '{as_of}' - INTERVAL 90 DAY
                              AND ts < TIMESTAMPTZ '{as_of}' - INTERVAL 60 DAY) AS prev60
    FROM sessions
    GROUP BY company
)
SELECT company,
       CASE
           WHEN span >= 60 AND prev30 > 0 AND last30 <= 0.25 * prev30 THEN 'waning'
           WHEN span >= 90 AND versions >= 2 AND docs_views > 0 AND last30 > 0 THEN 'maintenance'
           WHEN (span >= 90 AND last30 > 0 AND prev30 > 0 AND prev60 > 0) OR ping_days >= 30 THEN 'production'
           WHEN view_days >= 3 AND download_sessions >= 2 AND span >= 21 THEN 'evaluation'
           WHEN downloads > 0 AND docs_views > 0 AND active_days >= 2 THEN 'trial'
           WHEN downloads = 0 AND view_days >= 2 THEN 'intrigued'
           ELSE 'passive'
       END AS stage,
       round(25 * ping_days / (ping_days + 10)
           + 20 * download_sessions / (download_sessions + 5)
           + 15 * docs_views / (docs_views + 20)
           + 20 * least(1, span / 180) * least(1, active_days / 24)
                * pow(0.5, date_diff('day', last_seen, TIMESTAMPTZ '{as_of}') / 30)
           + 10 * (1 - 1 / addresses)
           + 10 * (versions - 1) / greatest(versions, 1))::INTEGER AS score,
       first_seen, last_seen, active_days, addresses, downloads, versions,
       sessions, download_sessions, docs_views
FROM companies
ORDER BY score DESC, company;
