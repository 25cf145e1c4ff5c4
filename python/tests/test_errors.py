"""A wrong configuration or input raises a Python exception with the
message; nothing crashes the process."""

from __future__ import annotations

import datafusion
import pytest

import leadlake


def test_an_unknown_key_raises_naming_it():
    with pytest.raises(leadlake.ConfigError, match="databasez"):
        leadlake.Config.from_dict({"ipdb": {"databasez": ["a.mmdb"]}})
    with pytest.raises(leadlake.ConfigError, match="unknown field `gap`, expected `gap_minutes`"):
        leadlake.Config(funnel={"sessions": {"gap": 45}})


def test_a_value_of_the_wrong_type_raises():
    with pytest.raises(leadlake.ConfigError, match="invalid configuration"):
        leadlake.Config(funnel={"sessions": {"gap_minutes": "soon"}})
    with pytest.raises(leadlake.ConfigError, match="invalid configuration"):
        leadlake.Config(ipdb={"databases": "GeoIP2-ISP.mmdb"})


def test_an_unknown_section_raises():
    with pytest.raises(leadlake.ConfigError, match="ipbd"):
        leadlake.register(datafusion.SessionContext(), {"ipbd": {}})


def test_a_missing_database_raises_naming_it(tmp_path):
    missing = tmp_path / "GeoIP2-ISP.mmdb"
    ctx = datafusion.SessionContext()
    with pytest.raises(leadlake.ConfigError, match="GeoIP2-ISP.mmdb"):
        leadlake.register(ctx, leadlake.Config(ipdb=[missing]))
    assert "ip_company" not in ctx.udfs(), "nothing is registered after an error"


def test_a_file_that_is_not_a_database_raises(tmp_path):
    bogus = tmp_path / "bogus.mmdb"
    bogus.write_bytes(b"not a MaxMind database at all")
    with pytest.raises(leadlake.ConfigError, match="bogus.mmdb"):
        leadlake.register(datafusion.SessionContext(), leadlake.Config(ipdb=bogus))


def test_a_bad_toml_file_raises_naming_the_line(tmp_path):
    path = tmp_path / "leadlake.toml"
    path.write_text('[ipdb]\ndatabases = ["a.mmdb"]\ncolour = "blue"\n')
    with pytest.raises(leadlake.ConfigError, match="line 3"):
        leadlake.Config.from_toml(path)
    with pytest.raises(leadlake.ConfigError, match="nowhere.toml"):
        leadlake.register(datafusion.SessionContext(), tmp_path / "nowhere.toml")


def test_a_missing_lake_raises(tmp_path):
    ctx = datafusion.SessionContext()
    leadlake.register(ctx)
    with pytest.raises(leadlake.LeadlakeError):
        leadlake.register_lake(ctx, tmp_path / "no-lake-here")


def test_order_of_calls_is_explained(lake):
    ctx = datafusion.SessionContext()
    with pytest.raises(leadlake.LeadlakeError, match="leadlake.register"):
        leadlake.register_lake(ctx, lake["lake"])
    leadlake.register(ctx)
    with pytest.raises(leadlake.LeadlakeError, match="register_lake"):
        leadlake.register_journeys(ctx, "2027-01-01")


def test_bad_parameters_raise(ctx):
    with pytest.raises(KeyError, match="company_leeds"):
        leadlake.query("company_leeds")
    with pytest.raises(ValueError, match="as_of"):
        leadlake.run(ctx, "company_leads", as_of="first of January")
    with pytest.raises(ValueError, match="min_score"):
        leadlake.params("company_leads", min_score="many")
    with pytest.raises(ValueError, match="unknown parameter"):
        leadlake.params("company_leads", top=3)
    with pytest.raises(ValueError, match="period_days"):
        leadlake.register_journeys(ctx, "2027-01-01", period_days=0)
    with pytest.raises(TypeError):
        leadlake.register(object())


def test_a_bad_argument_in_sql_raises_with_the_message(ctx):
    with pytest.raises(Exception, match="ip_anonymize"):
        ctx.sql("SELECT ip_anonymize(ip, 99) FROM events").to_arrow_table()
    with pytest.raises(Exception, match="ip_hash"):
        ctx.sql("SELECT ip_hash(ip, ip) FROM events").to_arrow_table()
    # the context is still usable
    assert ctx.sql("SELECT count(*) AS n FROM events").to_pylist()[0]["n"] > 0
