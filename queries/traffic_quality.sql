-- @name traffic_quality
-- @description Where the last 30 days of traffic came from: bots, CI runners and clouds, ISPs, anonymous networks, companies, unknown.
-- @param as_of timestamp required Evaluation instant (--as-of).
-- @columns source, events, share_pct
SELECT source, count(*) AS events, round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS share_pct
FROM (
    SELECT CASE
             WHEN ua_info(user_agent)['is_bot'] THEN 'bot'
             WHEN ua_info(user_agent)['is_ci'] THEN 'ci'
             WHEN t = 'hosting' THEN 'cloud'
             WHEN t = 'business' THEN 'company'
             -- no address and no company of its own: nothing to go on
             ELSE coalesce(t, 'unknown')
           END AS source
    FROM (SELECT user_agent, network_type AS t FROM company_events
          WHERE ts < $as_of AND ts >= $as_of - INTERVAL '30 days')
)
GROUP BY source
ORDER BY events DESC, source;
