-- @name company_leads
-- @description One row per company on a business network, best lead first: where it is in its journey, why, what to do, and the figures behind it. machines counts sources as the journey does (source_key: an IPv4 address or an IPv6 network, /64 by default, each split by client family; [funnel.sources], docs/funnel.md#sources), not addresses.
-- @param as_of timestamp required Evaluation instant: only events before it count (--as-of).
-- @param min_score int 0 Only companies scoring at least this.
-- @columns company, company_key, domain, stage, stage_reason, action, score, first_seen, last_seen, active_days, machines, downloads, versions, latest_version
SELECT company, company_key, domain,
       j['stage'] AS stage, j['rule'] AS stage_reason, j['action'] AS action,
       s['score'] AS score,
       first_seen, last_seen, active_days, machines, downloads, versions, latest_version
FROM (
    SELECT company_key,
           min(company) AS company,
           max(domain) AS domain,
           journey_stage(ts, kind, path, version, source, $as_of, package) AS j,
           lead_score(ts, kind, path, version, source, $as_of, package) AS s,
           min(ts) AS first_seen,
           max(ts) AS last_seen,
           count(DISTINCT date_trunc('day', ts)) AS active_days,
           -- sources as the journey counts them (company_events.source:
           -- source_key(ip, user_agent), docs/funnel.md#sources)
           count(DISTINCT source) AS machines,
           count(*) FILTER (WHERE kind = 'download') AS downloads,
           count(DISTINCT version) FILTER (WHERE kind = 'download') AS versions,
           version_max(CASE WHEN kind = 'download' THEN version END) AS latest_version,
           -- how traffic on networks typed only as "its own" spreads
           -- (docs/queries.md): /24s (/48s), addresses, address-days
           network_spread(ip, ts) FILTER (WHERE why = 'own_network') AS own
    FROM company_events
    WHERE ts < $as_of AND network_type = 'business'
      -- mirrors and bots show nobody's interest (docs/queries.md)
      AND coalesce(ua_info(user_agent)['client_kind'], 'unknown') NOT IN ('mirror', 'bot')
    GROUP BY company_key
)
WHERE s['score'] >= $min_score
  -- an access population, not one company: spread over 16 or more
  -- networks, and fewer than one source in five back on another day
  AND NOT (own['networks'] >= 16 AND own['source_days'] * 5 < own['sources'] * 6)
ORDER BY score DESC, company_key;
