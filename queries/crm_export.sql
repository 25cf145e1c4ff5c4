-- @name crm_export
-- @description A file for a Salesforce or HubSpot upsert: one row per company with a stable, unique external id (its company key) and its domain, stage, score, action and the date it entered its stage.
-- @param as_of timestamp required Evaluation instant (--as-of).
-- @param min_score int 20 Only companies scoring at least this.
-- @columns external_id, company_name, company_domain, lead_stage, lead_score, recommended_action, stage_reason, stage_entered, first_seen, last_seen, as_of
-- journeys: one row per company as of as_of (queries/journeys.sql)
WITH weeks AS (
    SELECT company_key, w['as_of'] AS week, w['stage'] AS stage, current
    FROM (SELECT company_key, stage AS current, unnest(timeline) AS w FROM journeys)
),
-- the stage was entered the first week after the last week in another stage
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
SELECT j.company_key AS external_id,
       j.company AS company_name,
       j.domain AS company_domain,
       j.stage AS lead_stage,
       j.score AS lead_score,
       j.action AS recommended_action,
       j.stage_reason,
       e.stage_entered,
       j.first_seen, j.last_seen,
       j.as_of
FROM journeys j LEFT JOIN entered e ON e.company_key = j.company_key
WHERE j.score >= $min_score
  -- an access population is not a lead: as in company_leads
  AND NOT j.access_population
ORDER BY lead_score DESC, external_id;
