"""company_leads from Python gives the command's answer, row by row."""

from __future__ import annotations

import pyarrow.parquet as pq

import leadlake

from conftest import cli_inputs, run_cli


def command_rows(cli, lake, tmp_path, *extra: str) -> list[dict]:
    out = tmp_path / "leads.parquet"
    run_cli(
        cli, "run", "company_leads", *cli_inputs(lake), "--as-of", lake["as_of"],
        "--format", "parquet", "--output", str(out), *extra,
    )
    return pq.read_table(out).to_pylist()


def assert_same_rows(mine: list[dict], theirs: list[dict]) -> None:
    assert len(mine) == len(theirs), f"{len(mine)} rows from Python, {len(theirs)} from the command"
    for i, (a, b) in enumerate(zip(mine, theirs)):
        assert a == b, f"row {i} differs:\n python:  {a}\n command: {b}"


def test_company_leads_matches_the_command_row_by_row(cli, lake, ctx, tmp_path):
    table = leadlake.run(ctx, "company_leads", as_of=lake["as_of"]).to_arrow_table()
    theirs = command_rows(cli, lake, tmp_path)
    assert table.column_names == list(theirs[0].keys())
    assert len(theirs) > 50, "the generated lake should make dozens of leads"
    assert_same_rows(table.to_pylist(), theirs)


def test_query_with_param_values_matches_the_command(cli, lake, ctx, tmp_path):
    leadlake.register_journeys(ctx, lake["as_of"])
    values = leadlake.params("company_leads", min_score=30)
    mine = ctx.sql(leadlake.query("company_leads"), param_values=values).to_arrow_table()
    theirs = command_rows(cli, lake, tmp_path, "--param", "min_score=30")
    assert 0 < len(theirs) < 121, "min_score=30 should keep some leads and drop others"
    assert_same_rows(mine.to_pylist(), theirs)


def test_computed_journeys_give_the_same_leads(lake, ctx):
    as_view = leadlake.run(ctx, "company_leads", as_of=lake["as_of"]).to_arrow_table()
    leadlake.register_journeys(ctx, lake["as_of"], computed=True)
    values = leadlake.params("company_leads")
    computed = ctx.sql(leadlake.query("company_leads"), param_values=values).to_arrow_table()
    assert computed.to_pylist() == as_view.to_pylist()


def test_every_canned_query_runs(lake, ctx):
    names = [q.name for q in leadlake.queries()]
    assert "company_leads" in names and "journeys" not in names
    for q in leadlake.queries():
        table = leadlake.run(ctx, q.name, as_of=lake["as_of"]).to_arrow_table()
        assert table.column_names == [c.strip() for c in q.columns.split(",")], q.name
