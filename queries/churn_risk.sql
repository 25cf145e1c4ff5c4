-- @name churn_risk
-- @description Waning companies: what dropped between the 30 days before as_of and the 30 days before those, and by how much.
-- @param as_of timestamp required Evaluation instant (--as-of).
-- @columns company_key, domain, score, events_prev30, events_last30, drop_pct, downloads_prev30, downloads_last30, views_prev30, views_last30, last_seen
SELECT company_key, domain, s['score'] AS score,
       events_prev30, events_last30,
       round(100.0 * (events_prev30 - events_last30) / events_prev30, 1) AS drop_pct,
       downloads_prev30, downloads_last30, views_prev30, views_last30, last_seen
FROM (
    SELECT c['company_key'] AS company_key, max(c['domain']) AS domain,
           journey_stage(ts, kind, path, version, ip, $as_of, package)['stage'] AS stage,
           lead_score(ts, kind, path, version, ip, $as_of, package) AS s,
           count(*) FILTER (WHERE ts >= $as_of - INTERVAL '60 days' AND ts < $as_of - INTERVAL '30 days') AS events_prev30,
           count(*) FILTER (WHERE ts >= $as_of - INTERVAL '30 days') AS events_last30,
           count(*) FILTER (WHERE kind = 'download' AND ts >= $as_of - INTERVAL '60 days' AND ts < $as_of - INTERVAL '30 days') AS downloads_prev30,
           count(*) FILTER (WHERE kind = 'download' AND ts >= $as_of - INTERVAL '30 days') AS downloads_last30,
           count(*) FILTER (WHERE kind IN ('docs_view', 'page_view') AND ts >= $as_of - INTERVAL '60 days' AND ts < $as_of - INTERVAL '30 days') AS views_prev30,
           count(*) FILTER (WHERE kind IN ('docs_view', 'page_view') AND ts >= $as_of - INTERVAL '30 days') AS views_last30,
           max(ts) AS last_seen
    FROM (SELECT ts, kind, path, version, package, ip, ip_company(ip) AS c FROM events WHERE ts < $as_of)
    WHERE c['network_type'] = 'business'
    GROUP BY c['company_key']
)
WHERE stage = 'waning'
ORDER BY drop_pct DESC, company_key;
