-- @name journeys
-- @description One row per company on a business network: its journey as of as_of (stage, score, timeline, activity) from one scan of company_events. The reports read this table; `run --all` computes it once and every report reads the same rows.
-- @param as_of timestamp required Evaluation instant: only events before it count (--as-of).
-- @param period_days int 7 The period stage_changes compares: previous_stage is the stage as of period_days before as_of.
-- $previous_as_of is as_of minus period_days days, and $previous_weeks that period in
-- weeks when it is a whole number of them (else NULL), bound with the other two.
-- @columns company_key, company, domain, stage, stage_reason, action, score, previous_stage, previous_as_of, first_seen, last_seen, active_days, machines, downloads, versions, latest_version, access_population, events_prev30, events_last30, downloads_prev30, downloads_last30, views_prev30, views_last30, timeline, as_of
-- plain text: the key comes as a dictionary over every company the address
-- table knows, and reports that unnest the timeline would copy that
-- dictionary into each of their batches (crm_export held 1.7 GB more)
SELECT arrow_cast(company_key, 'Utf8') AS company_key, company, domain,
       j['stage'] AS stage, j['rule'] AS stage_reason, j['action'] AS action,
       s['score'] AS score,
       previous_stage,
       CASE WHEN previous_stage IS NOT NULL THEN $previous_as_of END AS previous_as_of,
       first_seen, last_seen,
       coalesce(a['active_days'], 0) AS active_days,
       coalesce(a['machines'], 0) AS machines,
       downloads,
       coalesce(a['versions'], 0) AS versions,
       latest_version,
       -- an access population, not one company: traffic on networks typed
       -- only as "its own" spread over 16 or more of them, with fewer than
       -- one source in five back on another day (docs/queries.md)
       own['networks'] >= 16 AND own['source_days'] * 5 < own['sources'] * 6 AS access_population,
       events_prev30, events_last30, downloads_prev30, downloads_last30, views_prev30, views_last30,
       timeline,
       $as_of AS as_of
FROM (
  SELECT *,
         -- the stage period_days before as_of. For a whole number of weeks,
         -- the timeline's entry then: its steps are weeks back from as_of,
         -- one for each after the company's first event, so a missing entry
         -- means no event before it, where journey_stage is NULL too (and
         -- the replay `previous` is then not computed at all)
         CASE WHEN $previous_weeks IS NULL THEN previous['stage']
              WHEN CAST(cardinality(timeline) AS BIGINT) > $previous_weeks
              THEN timeline[CAST(cardinality(timeline) AS BIGINT) - $previous_weeks]['stage']
         END AS previous_stage
  FROM (
    SELECT company_key,
           min(company) AS company,
           max(domain) AS domain,
           journey_stage(ts, kind, path, version, source, $as_of, package) AS j,
           lead_score(ts, kind, path, version, source, $as_of, package) AS s,
           journey_stage(ts, kind, path, version, source, $previous_as_of, package) AS previous,
           -- the stage at the end of each week up to as_of, oldest first
           stage_timeline(ts, kind, path, version, source, $as_of, NULL, package) AS timeline,
           min(ts) AS first_seen,
           max(ts) AS last_seen,
           -- distinct days, sources and versions, from the same replay
           -- (fused with the two above; a source as the journey counts it:
           -- company_events.source, docs/funnel.md#sources)
           journey_activity(ts, kind, path, version, source, $as_of, package) AS a,
           count(*) FILTER (WHERE kind = 'download') AS downloads,
           version_max(CASE WHEN kind = 'download' THEN version END) AS latest_version,
           -- how traffic on networks typed only as "its own" spreads: /24s
           -- (/48s), addresses, address-days
           network_spread(ip, ts) FILTER (WHERE why = 'own_network') AS own,
           count(*) FILTER (WHERE ts >= $as_of - INTERVAL '60 days' AND ts < $as_of - INTERVAL '30 days') AS events_prev30,
           count(*) FILTER (WHERE ts >= $as_of - INTERVAL '30 days') AS events_last30,
           count(*) FILTER (WHERE kind = 'download' AND ts >= $as_of - INTERVAL '60 days' AND ts < $as_of - INTERVAL '30 days') AS downloads_prev30,
           count(*) FILTER (WHERE kind = 'download' AND ts >= $as_of - INTERVAL '30 days') AS downloads_last30,
           count(*) FILTER (WHERE kind IN ('docs_view', 'page_view') AND ts >= $as_of - INTERVAL '60 days' AND ts < $as_of - INTERVAL '30 days') AS views_prev30,
           count(*) FILTER (WHERE kind IN ('docs_view', 'page_view') AND ts >= $as_of - INTERVAL '30 days') AS views_last30
    FROM company_events
    WHERE ts < $as_of AND network_type = 'business'
      -- mirrors and bots show nobody's interest (docs/queries.md)
      -- (written so that ua_info is called once per row: coalesce(...)
      -- NOT IN (...) would call it twice)
      AND (ua_info(user_agent)['client_kind'] IN ('mirror', 'bot')) IS NOT TRUE
    GROUP BY company_key
  )
)
