"""Each family of functions once (address, journey aggregate, window),
against the command's answer to the same SQL, and the tables."""

from __future__ import annotations

import datafusion

import leadlake

from conftest import cli_sql

AS_OF = "TIMESTAMP '2027-01-01T00:00:00Z'"


def rows(ctx: datafusion.SessionContext, sql: str) -> list[dict]:
    return ctx.sql(sql).to_arrow_table().to_pylist()


def as_ndjson(rows: list[dict]) -> list[dict]:
    """Rows as the command's ndjson prints them: NULL fields left out."""
    return [{k: v for k, v in row.items() if v is not None} for row in rows]


def test_address_functions(cli, lake, ctx):
    sql = """SELECT ip, ip_company(ip)['company_key'] AS company, ip_network_type(ip) AS network,
                    ip_domain(ip) AS domain, ip_asn(ip) AS asn, ip_hash(ip, 'pepper') AS hash,
                    ip_anonymize(ip, 16) AS anonymized
             FROM (SELECT DISTINCT ip FROM events WHERE ip IS NOT NULL) ORDER BY ip LIMIT 300"""
    mine = rows(ctx, sql)
    assert len(mine) == 300
    assert any(r["company"] for r in mine), "some addresses should resolve to a company"
    assert len({r["network"] for r in mine}) > 1
    assert as_ndjson(mine) == cli_sql(cli, lake, sql)


def test_journey_aggregates(cli, lake, ctx):
    sql = f"""SELECT company_key,
                     journey_stage(ts, kind, path, version, source, {AS_OF}, package)['stage'] AS stage,
                     lead_score(ts, kind, path, version, source, {AS_OF}, package)['score'] AS score,
                     version_max(version) AS latest,
                     count(*) AS events
              FROM company_events WHERE network_type = 'business'
              GROUP BY company_key ORDER BY company_key"""
    mine = rows(ctx, sql)
    assert len(mine) > 50
    assert len({r["stage"] for r in mine}) >= 4, "the planted journeys span the stages"
    assert as_ndjson(mine) == cli_sql(cli, lake, sql)


def test_window_functions(cli, lake, ctx):
    sql = """SELECT ip, CAST(ts AS VARCHAR) AS ts,
                    session_id(ts, INTERVAL '10 minutes') OVER (PARTITION BY ip ORDER BY ts) AS session,
                    CAST(session_start(ts) OVER (PARTITION BY ip ORDER BY ts) AS VARCHAR) AS started
             FROM events WHERE ip IS NOT NULL ORDER BY ip, ts LIMIT 2000"""
    mine = rows(ctx, sql)
    assert len(mine) == 2000
    assert max(r["session"] for r in mine) > 1, "some address should have several sessions"
    assert as_ndjson(mine) == cli_sql(cli, lake, sql)


def test_every_function_is_registered(ctx):
    registered = set(ctx.udfs()) | set(ctx.udafs()) | set(ctx.udwfs())
    fresh = datafusion.SessionContext()
    names = leadlake.register(fresh)
    assert {"ip_company", "journey_stage", "session_id", "ip_networks"} <= set(names)
    assert set(names) - {"ip_networks"} <= registered


def test_events_and_company_events(lake, ctx):
    events = rows(ctx, "SELECT count(*) AS n FROM events")[0]["n"]
    assert events > 15000
    known = rows(ctx, "SELECT count(*) AS n FROM company_events WHERE company_key IS NOT NULL")[0]["n"]
    assert 0 < known <= events


def test_filters_reach_the_lake(ctx):
    sql = "SELECT count(*) AS n FROM events WHERE ts >= TIMESTAMP '2026-12-01T00:00:00Z'"
    late = rows(ctx, sql)[0]["n"]
    total = rows(ctx, "SELECT count(*) AS n FROM events")[0]["n"]
    assert 0 < late < total


def test_register_turns_off_leaf_expression_pushdown():
    ctx = datafusion.SessionContext(datafusion.SessionConfig().with_information_schema(True))
    setting = (
        "SELECT value FROM information_schema.df_settings "
        "WHERE name = 'datafusion.optimizer.enable_leaf_expression_pushdown'"
    )
    assert ctx.sql(setting).to_pylist() == [{"value": "true"}]
    leadlake.register(ctx)
    assert ctx.sql(setting).to_pylist() == [{"value": "false"}]
