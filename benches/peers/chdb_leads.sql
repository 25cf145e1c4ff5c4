-- The lead pipeline by hand in ClickHouse SQL, run by chDB (peer.py), which
-- fills in {lake} (a Parquet glob), {ranges} (prepare_ranges.py's CSV) and
-- {as_of}. Statements are split on semicolons: keep them out of comments.
CREATE DATABASE IF NOT EXISTS peers ENGINE = Atomic;

CREATE TABLE peers.ranges ENGINE = Memory AS
SELECT fam, start, `end`, coalesce(company, '') AS company, network_type
FROM file('{ranges}', CSVWithNames,
          'fam UInt64, start UInt64, `end` UInt64, network String, company Nullable(String),
           isp Nullable(String), asn Nullable(UInt64), domain Nullable(String),
           network_type String, source String');

-- IP -> company: a range dictionary keyed by the address family, ranging
-- over the address (IPv4) or its /64 (IPv6)
CREATE DICTIONARY peers.ip_company (
    fam UInt64, start UInt64, `end` UInt64, company String, network_type String
)
PRIMARY KEY fam
SOURCE(CLICKHOUSE(DB 'peers' TABLE 'ranges'))
LIFETIME(0)
LAYOUT(RANGE_HASHED())
RANGE(MIN start MAX `end`);

WITH toDateTime64('{as_of}', 6, 'UTC') AS as_of
SELECT company,
       multiIf(span >= 60 AND prev30 > 0 AND last30 <= 0.25 * prev30, 'waning',
               span >= 90 AND versions >= 2 AND docs_views > 0 AND last30 > 0, 'maintenance',
               (span >= 90 AND last30 > 0 AND prev30 > 0 AND prev60 > 0) OR ping_days >= 30, 'production',
               view_days >= 3 AND download_sessions >= 2 AND span >= 21, 'evaluation',
               downloads > 0 AND docs_views > 0 AND active_days >= 2, 'trial',
               downloads = 0 AND view_days >= 2, 'intrigued',
               'passive') AS stage,
       toInt32(round(25 * ping_days / (ping_days + 10)
           + 20 * download_sessions / (download_sessions + 5)
           + 15 * docs_views / (docs_views + 20)
           + 20 * least(1, span / 180) * least(1, active_days / 24)
                * pow(0.5, dateDiff('day', last_seen, as_of) / 30)
           + 10 * (1 - 1 / addresses)
           + 10 * (versions - 1) / greatest(versions, 1))) AS score,
       first_seen, last_seen, active_days, addresses, downloads, versions,
       sessions, download_sessions, docs_views
FROM (
    SELECT company,
           min(ts) AS first_seen,
           max(ts) AS last_seen,
           dateDiff('day', toDate(min(ts)), toDate(max(ts))) AS span,
           uniqExact(toDate(ts)) AS active_days,
           uniqExact(ip) AS addresses,
           countIf(kind = 'download') AS downloads,
           uniqExactIf(version, kind = 'download') AS versions,
           uniqExact(ip, session_no) AS sessions,
           uniqExactIf(ip, session_no, kind = 'download') AS download_sessions,
           countIf(kind = 'docs_view') AS docs_views,
           uniqExactIf(toDate(ts), kind IN ('docs_view', 'page_view')) AS view_days,
           uniqExactIf(toDate(ts), kind = 'call_home') AS ping_days,
           countIf(ts >= as_of - INTERVAL 30 DAY) AS last30,
           countIf(ts >= as_of - INTERVAL 60 DAY AND ts < as_of - INTERVAL 30 DAY) AS prev30,
           countIf(ts >= as_of - INTERVAL 90 DAY AND ts < as_of - INTERVAL 60 DAY) AS prev60
    FROM (
        -- sessions per company and address: a new one after a 30-minute pause
        SELECT *,
               sum(new_session) OVER (PARTITION BY company, ip ORDER BY ts
                                      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS session_no
        FROM (
            SELECT *,
                   if(ts < lagInFrame(ts) OVER (PARTITION BY company, ip ORDER BY ts
                                                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
                           + INTERVAL 30 MINUTE, 0, 1) AS new_session
            FROM (
                SELECT ts, kind, ip, version, hit.1 AS company
                FROM (
                    SELECT ts, kind, ip, version,
                           dictGet('peers.ip_company', ('company', 'network_type'), fam, addr) AS hit
                    FROM (
                        SELECT ts, kind, ip, version,
                               toUInt64(if(position(ip, ':') > 0, 6, 4)) AS fam,
                               if(fam = 6,
                                  reinterpretAsUInt64(reverse(substring(IPv6StringToNumOrDefault(ifNull(ip, '')), 1, 8))),
                                  toUInt64(IPv4StringToNumOrDefault(ifNull(ip, '')))) AS addr
                        FROM file('{lake}', Parquet)
                        WHERE ts < as_of
                          -- bots and mirrors show nobody's interest
                          AND NOT match(coalesce(user_agent, ''), '(?i)bot|crawl|spider|bandersnatch|mirror')
                    )
                )
                WHERE hit.2 = 'business'
            )
        )
    )
    GROUP BY company
)
ORDER BY score DESC, company
