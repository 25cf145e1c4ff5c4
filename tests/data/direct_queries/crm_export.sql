-- @name crm_export
-- @description A file for a Salesforce or HubSpot upsert: one row per company with a stable, unique external id (its company key) and its domain, stage, score, action and the date it entered its stage.
-- @param as_of timestamp required Evaluation instant (--as-of).
-- @param min_score int 20 Only companies scoring at least this.
-- @columns external_id, company_name, company_domain, lead_stage, lead_score, recommended_action, stage_reason, stage_entered, first_seen, last_seen, as_of
WITH base AS (
    SELECT company_key, min(company) AS company, max(domain) AS domain,
           journey_stage(ts, kind, path, version, source, $as_of, package) AS j,
           lead_score(ts, kind, path, version, source, $as_of, package)['score'] AS score,
           stage_timeline(ts, kind, path, version, source, $as_of, NULL, package) AS tl,
           min(ts) AS first_seen, max(ts) AS last_seen
    FROM company_events
    WHERE ts < $as_of AND network_type = 'business'
      -- mirrors and bots show nobody's interest (docs/queries.md)
      AND coalesce(ua_info(user_agent)['client_kind'], 'unknown') NOT IN ('mirror', 'bot')
    GROUP BY company_key
    -- an access population is not a lead: as in company_leads
    HAVING NOT (network_spread(ip, ts) FILTER (WHERE why = 'own_network')['networks'] >= 16
                AND network_spread(ip, ts) FILTER (WHERE why = 'own_network')['source_days'] * 5
                    < network_spread(ip, ts) FILTER (WHERE why = 'own_network')['sources'] * 6)
),
weeks AS (
    SELECT company_key, w['as_of'] AS week, w['stage'] AS stage, j['stage'] AS current
    FROM (SELECT company_key, j, unnest(tl) AS w FROM base)
),
entered AS (
    SELECT company_key,
           min(week) FILTER (WHERE week > coalesce(last_other, TIMESTAMP '1970-01-01T00:00:00Z')) AS stage_entered
    FROM (SELECT company_key, week,
                 max(CASE WHEN stage <> current THEN week END) OVER (PARTITION BY company_key) AS last_other
          FROM weeks)
    GROUP BY company_key
)
-- the company key is the grouping key, so unique; two companies may
-- share a domain (a parent and its subsidiary), so the domain is not
SELECT b.company_key AS external_id,
       b.company AS company_name,
       b.domain AS company_domain,
       b.j['stage'] AS lead_stage,
       b.score AS lead_score,
       b.j['action'] AS recommended_action,
       b.j['rule'] AS stage_reason,
       e.stage_entered,
       b.first_seen, b.last_seen,
       $as_of AS as_of
FROM base b LEFT JOIN entered e ON e.company_key = b.company_key
WHERE b.score >= $min_score
ORDER BY lead_score DESC, external_id;
