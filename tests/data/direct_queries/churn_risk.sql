-- @name churn_risk
-- @description Waning companies: what dropped between the 30 days before as_of and the 30 days before those, and by how much.
-- @param as_of timestamp required Evaluation instant (--as-of).
-- @columns company_key, domain, score, events_prev30, events_last30, drop_pct, downloads_prev30, downloads_last30, views_prev30, views_last30, last_seen
SELECT company_key, domain, s['score'] AS score,
       events_prev30, events_last30,
       round(100.0 * (events_prev30 - events_last30) / events_prev30, 1) AS drop_pct,
       downloads_prev30, downloads_last30, views_prev30, views_last30, last_seen
FROM (
    SELECT company_key, max(domain) AS domain,
           journey_stage(ts, kind, path, version, source, $as_of, package)['stage'] AS stage,
           lead_score(ts, kind, path, version, source, $as_of, package) AS s,
           count(*) FILTER (WHERE ts >= $as_of - INTERVAL '60 days' AND ts < $as_of - INTERVAL '30 days') AS events_prev30,
           count(*) FILTER (WHERE ts >= $as_of - INTERVAL '30 days') AS events_last30,
           count(*) FILTER (WHERE kind = 'download' AND ts >= $as_of - INTERVAL '60 days' AND ts < $as_of - INTERVAL '30 days') AS downloads_prev30,
           count(*) FILTER (WHERE kind = 'download' AND ts >= $as_of - INTERVAL '30 days') AS downloads_last30,
           count(*) FILTER (WHERE kind IN ('docs_view', 'page_view') AND ts >= $as_of - INTERVAL '60 days' AND ts < $as_of - INTERVAL '30 days') AS views_prev30,
           count(*) FILTER (WHERE kind IN ('docs_view', 'page_view') AND ts >= $as_of - INTERVAL '30 days') AS views_last30,
           max(ts) AS last_seen
    FROM company_events
    WHERE ts < $as_of AND network_type = 'business'
      -- mirrors and bots show nobody's interest (docs/queries.md)
      AND coalesce(ua_info(user_agent)['client_kind'], 'unknown') NOT IN ('mirror', 'bot')
    GROUP BY company_key
)
WHERE stage = 'waning'
ORDER BY drop_pct DESC, company_key;
