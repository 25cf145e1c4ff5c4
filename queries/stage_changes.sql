-- @name stage_changes
-- @description Companies whose journey stage changed since the previous period (or that appeared in it).
-- @param as_of timestamp required Evaluation instant (--as-of).
-- @param period_days int 7 Length of the period compared, in days.
-- @columns company_key, domain, previous_stage, stage, previous_as_of, as_of
-- journeys: one row per company as of as_of; previous_stage is its stage
-- period_days before, NULL when it had no event then (queries/journeys.sql)
SELECT company_key, domain, previous_stage, stage, previous_as_of, as_of
FROM journeys
WHERE stage IS NOT NULL AND (previous_stage IS NULL OR previous_stage <> stage)
ORDER BY stage, company_key;
