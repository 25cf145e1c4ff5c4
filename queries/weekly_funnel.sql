-- @name weekly_funnel
-- @description Companies per journey stage per week, for the 12 weeks up to as_of.
-- @param as_of timestamp required The last week's end (--as-of).
-- @columns week, stage, companies
SELECT w['as_of'] AS week, w['stage'] AS stage, count(*) AS companies
FROM (
    SELECT unnest(tl) AS w
    FROM (
        SELECT stage_timeline(ts, kind, path, version, ip, $as_of) AS tl
        FROM (SELECT ts, kind, path, version, ip, ip_company(ip) AS c FROM events WHERE ts < $as_of)
        WHERE c['network_type'] = 'business'
        GROUP BY c['company_key']
    )
)
WHERE w['as_of'] > $as_of - INTERVAL '84 days'
GROUP BY 1, 2
ORDER BY week, stage;
