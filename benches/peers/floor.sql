-- The floor: read and decode every lake column company_leads reads (through
-- the view company_events), and nothing else. No address lookup, no
-- grouping by company, no journey: only the cost of reading.
SELECT count(*) AS events,
       min(ts) AS first_ts,
       max(ts) AS last_ts,
       sum(length(kind)) AS kind_bytes,
       sum(length(ip)) AS ip_bytes,
       sum(length(user_agent)) AS user_agent_bytes,
       sum(length(path)) AS path_bytes,
       sum(length(package)) AS package_bytes,
       sum(length(version)) AS version_bytes,
       sum(length(origin)) AS origin_bytes,
       sum(length(company)) AS company_bytes,
       sum(length(domain)) AS domain_bytes,
       sum(length(network_type)) AS network_type_bytes
FROM events;
