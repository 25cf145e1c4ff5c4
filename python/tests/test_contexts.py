"""Two contexts in one process keep their own configuration and lake."""

from __future__ import annotations

import gc
from concurrent.futures import ThreadPoolExecutor

import datafusion

import leadlake


def resolved(ctx: datafusion.SessionContext) -> int:
    sql = "SELECT count(*) AS n FROM (SELECT DISTINCT ip FROM events WHERE ip_company(ip)['company_key'] IS NOT NULL)"
    return ctx.sql(sql).to_pylist()[0]["n"]


def test_two_contexts_with_different_configurations(lake, config):
    full = datafusion.SessionContext()
    leadlake.register(full, config)
    leadlake.register_lake(full, lake["lake"])
    bare = datafusion.SessionContext()
    leadlake.register(bare, leadlake.Config())  # no databases, no overrides
    leadlake.register_lake(bare, lake["lake"])
    assert resolved(full) > 0
    assert resolved(bare) == 0, "a context without databases resolves no address"
    assert resolved(full) > 0, "the second registration left the first alone"


def test_two_contexts_run_at_once_and_outlive_each_other(lake, config):
    contexts = []
    for _ in range(2):
        ctx = datafusion.SessionContext()
        leadlake.register(ctx, config)
        leadlake.register_lake(ctx, lake["lake"])
        contexts.append(ctx)

    def leads(ctx):
        return leadlake.run(ctx, "company_leads", as_of=lake["as_of"]).to_arrow_table().to_pylist()

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(leads, contexts)
    assert first == second and len(first) > 50
    del contexts[0]
    gc.collect()
    assert leads(contexts[0]) == first


def test_journeys_of_two_instants(lake, config):
    early, late = datafusion.SessionContext(), datafusion.SessionContext()
    for ctx, as_of in ((early, "2026-07-01"), (late, lake["as_of"])):
        leadlake.register(ctx, config)
        leadlake.register_lake(ctx, lake["lake"])
        leadlake.register_journeys(ctx, as_of)
    count = "SELECT count(*) AS n FROM journeys"
    assert early.sql(count).to_pylist()[0]["n"] < late.sql(count).to_pylist()[0]["n"]
