-- @name stage_changes
-- @description Companies whose journey stage changed since the previous period (or that appeared in it).
-- @param as_of timestamp required Evaluation instant (--as-of).
-- @param period_days int 7 Length of the period compared, in days.
-- @columns company_key, domain, previous_stage, stage, previous_as_of, as_of
SELECT company_key, domain,
       CASE WHEN n > 1 THEN tl[n - 1]['stage'] END AS previous_stage,
       tl[n]['stage'] AS stage,
       CASE WHEN n > 1 THEN tl[n - 1]['as_of'] END AS previous_as_of,
       tl[n]['as_of'] AS as_of
FROM (
    SELECT company_key, domain, tl, CAST(cardinality(tl) AS BIGINT) AS n
    FROM (
        SELECT company_key, max(domain) AS domain,
               stage_timeline(ts, kind, path, version, source, $as_of, $period_days, package) AS tl
        FROM company_events
        WHERE ts < $as_of AND network_type = 'business'
          -- mirrors and bots show nobody's interest (docs/queries.md)
          AND coalesce(ua_info(user_agent)['client_kind'], 'unknown') NOT IN ('mirror', 'bot')
        GROUP BY company_key
    )
)
WHERE n = 1 OR tl[n]['stage'] <> tl[n - 1]['stage']
ORDER BY stage, company_key;
