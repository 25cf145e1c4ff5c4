-- @name version_adoption
-- @description Companies per latest downloaded version, and whether that version is behind the newest one seen.
-- @param as_of timestamp required Evaluation instant (--as-of).
-- @columns version, companies, share_pct, outdated, newest
SELECT latest AS version, count(*) AS companies,
       round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS share_pct,
       version_newer(newest, latest) AS outdated, newest
FROM (
    SELECT c['company_key'] AS company_key, version_max(version) AS latest
    FROM (SELECT version, ip_company(ip) AS c FROM events WHERE ts < $as_of AND kind = 'download')
    WHERE c['network_type'] = 'business'
    GROUP BY c['company_key']
) CROSS JOIN (
    SELECT version_max(version) AS newest
    FROM (SELECT version, ip_network_type(ip) AS t FROM events WHERE ts < $as_of AND kind = 'download')
    WHERE t = 'business'
)
WHERE latest IS NOT NULL
GROUP BY latest, newest
ORDER BY companies DESC, version;
