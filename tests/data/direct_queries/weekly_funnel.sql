-- @name weekly_funnel
-- @description Companies per journey stage per week, for the 12 weeks up to as_of.
-- @param as_of timestamp required The last week's end (--as-of).
-- @columns week, stage, companies
SELECT w['as_of'] AS week, w['stage'] AS stage, count(*) AS companies
FROM (
    SELECT unnest(tl) AS w
    FROM (
        SELECT stage_timeline(ts, kind, path, version, source, $as_of, NULL, package) AS tl
        FROM company_events
        WHERE ts < $as_of AND network_type = 'business'
          -- mirrors and bots show nobody's interest (docs/queries.md)
          AND coalesce(ua_info(user_agent)['client_kind'], 'unknown') NOT IN ('mirror', 'bot')
        GROUP BY company_key
    )
)
WHERE w['as_of'] > $as_of - INTERVAL '84 days'
GROUP BY 1, 2
ORDER BY week, stage;
