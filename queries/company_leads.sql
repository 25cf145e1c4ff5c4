-- @name company_leads
-- @description One row per company on a business network, best lead first: where it is in its journey, why, what to do, and the figures behind it. machines counts sources as the journey does (source_key: an IPv4 address or an IPv6 network, /64 by default, each split by client family; [funnel.sources], docs/funnel.md#sources), not addresses.
-- @param as_of timestamp required Evaluation instant: only events before it count (--as-of).
-- @param min_score int 0 Only companies scoring at least this.
-- @columns company, company_key, domain, stage, stage_reason, action, score, first_seen, last_seen, active_days, machines, downloads, versions, latest_version
-- journeys: one row per company as of as_of (queries/journeys.sql)
SELECT company, company_key, domain, stage, stage_reason, action, score,
       first_seen, last_seen, active_days, machines, downloads, versions, latest_version
FROM journeys
WHERE score >= $min_score
  -- an access population is not a lead (journeys.access_population)
  AND NOT access_population
ORDER BY score DESC, company_key;
