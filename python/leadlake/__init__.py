"""leadlake for datafusion-python: company-level leads from anonymous usage
events, in SQL.

    import datafusion, leadlake
    ctx = datafusion.SessionContext()
    leadlake.register(ctx, leadlake.Config(ipdb=["GeoIP2-ISP.mmdb"], overrides="ranges.csv"))
    leadlake.register_lake(ctx, "s3://bucket/events/")
    leadlake.run(ctx, "company_leads", as_of="2027-01-01").to_arrow_table()

The functions run in leadlake's native code, passed to DataFusion through
its FFI; no Rust toolchain is needed. See docs/python.md.
"""

from . import _native
from ._compat import check_datafusion as _check_datafusion

#: The DataFusion major leadlake is built for (its FFI).
DATAFUSION_MAJOR: int = _native.DATAFUSION_MAJOR
_check_datafusion(DATAFUSION_MAJOR)

from ._config import Config  # noqa: E402
from ._native import ConfigError, LeadlakeError  # noqa: E402
from ._queries import Param, Query, params, queries, query, run  # noqa: E402
from ._register import register, register_journeys, register_lake  # noqa: E402

__all__ = [
    "DATAFUSION_MAJOR",
    "Config",
    "ConfigError",
    "LeadlakeError",
    "Param",
    "Query",
    "params",
    "queries",
    "query",
    "register",
    "register_journeys",
    "register_lake",
    "run",
]
