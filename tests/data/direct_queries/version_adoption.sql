-- @name version_adoption
-- @description Companies per latest downloaded version, and whether that version is behind the newest one seen.
-- @param as_of timestamp required Evaluation instant (--as-of).
-- @columns version, companies, share_pct, outdated, newest
SELECT latest AS version, count(*) AS companies,
       round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS share_pct,
       version_newer(newest, latest) AS outdated, newest
FROM (
    SELECT company_key, version_max(version) AS latest
    FROM company_events
    WHERE ts < $as_of AND kind = 'download' AND network_type = 'business'
      -- mirrors and bots show nobody's interest (docs/queries.md)
      AND coalesce(ua_info(user_agent)['client_kind'], 'unknown') NOT IN ('mirror', 'bot')
    GROUP BY company_key
) CROSS JOIN (
    SELECT version_max(version) AS newest
    FROM company_events
    WHERE ts < $as_of AND kind = 'download' AND network_type = 'business'
      -- mirrors and bots show nobody's interest (docs/queries.md)
      AND coalesce(ua_info(user_agent)['client_kind'], 'unknown') NOT IN ('mirror', 'bot')
)
WHERE latest IS NOT NULL
GROUP BY latest, newest
ORDER BY companies DESC, version;
