-- @name churn_risk
-- @description Waning companies: what dropped between the 30 days before as_of and the 30 days before those, and by how much.
-- @param as_of timestamp required Evaluation instant (--as-of).
-- @columns company_key, domain, score, events_prev30, events_last30, drop_pct, downloads_prev30, downloads_last30, views_prev30, views_last30, last_seen
-- journeys: one row per company as of as_of (queries/journeys.sql)
SELECT company_key, domain, score,
       events_prev30, events_last30,
       round(100.0 * (events_prev30 - events_last30) / events_prev30, 1) AS drop_pct,
       downloads_prev30, downloads_last30, views_prev30, views_last30, last_seen
FROM journeys
WHERE stage = 'waning'
ORDER BY drop_pct DESC, company_key;
