-- @name weekly_funnel
-- @description Companies per journey stage per week, for the 12 weeks up to as_of.
-- @param as_of timestamp required The last week's end (--as-of).
-- @columns week, stage, companies
-- journeys: one row per company, with its weekly timeline (queries/journeys.sql)
SELECT w['as_of'] AS week, w['stage'] AS stage, count(*) AS companies
FROM (SELECT unnest(timeline) AS w FROM journeys)
WHERE w['as_of'] > $as_of - INTERVAL '84 days'
GROUP BY 1, 2
ORDER BY week, stage;
