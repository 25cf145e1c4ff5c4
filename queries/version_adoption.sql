-- @name version_adoption
-- @description Companies per latest downloaded version, and whether that version is behind the newest one seen.
-- @param as_of timestamp required Evaluation instant (--as-of).
-- @columns version, companies, share_pct, outdated, newest
-- journeys: one row per company, with the newest version it downloaded
-- (queries/journeys.sql); the newest of those is the newest of all
SELECT latest_version AS version, count(*) AS companies,
       round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS share_pct,
       version_newer(newest, latest_version) AS outdated, newest
FROM journeys CROSS JOIN (SELECT version_max(latest_version) AS newest FROM journeys)
WHERE latest_version IS NOT NULL
GROUP BY latest_version, newest
ORDER BY companies DESC, version;
