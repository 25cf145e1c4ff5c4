"""Registering leadlake in a datafusion-python SessionContext: the functions
(through DataFusion's FFI), the lake's tables, and ``journeys`` for one
instant."""

from __future__ import annotations

import datetime as _dt
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import datafusion

from . import _native
from ._config import Config, PathLike, as_config, json_text, lake_section
from ._native import LeadlakeError


@dataclass
class _Registration:
    """What leadlake keeps for one context: its functions and its lake."""

    config: Config
    functions: _native.Functions
    lake: _native.Lake | None = None


# one entry per registered context, dropped with the context
_REGISTERED: weakref.WeakKeyDictionary[datafusion.SessionContext, _Registration] = (
    weakref.WeakKeyDictionary()
)


def _check_context(ctx: Any) -> datafusion.SessionContext:
    if not isinstance(ctx, datafusion.SessionContext):
        raise TypeError(f"expected a datafusion.SessionContext, not {type(ctx).__name__}")
    return ctx


def register(
    ctx: datafusion.SessionContext,
    config: Config | Mapping[str, Any] | PathLike | None = None,
) -> list[str]:
    """Register every leadlake scalar, aggregate, window and table function
    in ``ctx``, and the lake as ``events`` when the configuration names one.

    ``config`` is a ``leadlake.Config``, a dict shaped like ``leadlake.toml``,
    or the path of a ``leadlake.toml`` file. The address databases and the
    override file are opened here: one that cannot be used raises
    ``leadlake.ConfigError`` naming it, and nothing is registered.

    It also sets ``datafusion.optimizer.enable_leaf_expression_pushdown`` to
    false in ``ctx``: that rule fails to plan several journey aggregates side
    by side in DataFusion 55 (``leadlake::session_config`` in Rust).

    Returns the names of the functions registered.
    """
    ctx = _check_context(ctx)
    config = as_config(config)
    functions = _native.Functions(config.without_lake().to_json())
    names: list[str] = []
    for name, capsule in functions.scalar():
        ctx.register_udf(datafusion.ScalarUDF.from_pycapsule(capsule))
        names.append(name)
    for name, capsule in functions.aggregate():
        ctx.register_udaf(datafusion.AggregateUDF.from_pycapsule(capsule))
        names.append(name)
    for name, capsule in functions.window():
        ctx.register_udwf(datafusion.WindowUDF.from_pycapsule(capsule))
        names.append(name)
    for table_function in functions.table():
        ctx.register_udtf(datafusion.TableFunction(table_function.name, table_function, ctx))
        names.append(table_function.name)
    ctx.sql("SET datafusion.optimizer.enable_leaf_expression_pushdown = false")
    _REGISTERED[ctx] = _Registration(config, functions)
    if config.lake is not None:
        register_lake(ctx, config.lake)
    return names


def _registration(ctx: datafusion.SessionContext) -> _Registration:
    registration = _REGISTERED.get(_check_context(ctx))
    if registration is None:
        raise LeadlakeError("leadlake is not registered in this context: call leadlake.register(ctx, config) first")
    return registration


def register_lake(ctx: datafusion.SessionContext, lake: PathLike | Mapping[str, Any]) -> None:
    """Register a lake of usage events in ``ctx`` as the table ``events``,
    with the view ``company_events`` over it (each event with its company
    and source; docs/lake.md, docs/queries.md).

    ``lake`` is a URL (``s3://bucket/events/``, ``gs://``, ``az://``,
    ``https://``, ``file://``), a local folder, or a ``[lake]`` dict
    (``{"url": ..., "columns": {...}, "storage": {...}}``). Credentials come
    from the environment as for the command. Call ``register`` first.

    The tables are leadlake's: scans of them are planned and run by
    leadlake's own engine, under the configuration's ``[run]`` limits, and
    the rows cross into ``ctx`` as Arrow.
    """
    registration = _registration(ctx)
    section = lake_section(lake)
    Config(lake=section)  # an unknown key raises ConfigError here
    native = registration.functions.lake(json_text(section))
    _replace_table(ctx, "events", native.table("events"))
    _replace_table(ctx, "company_events", native.table("company_events"))
    registration.lake = native


def _replace_table(ctx: datafusion.SessionContext, name: str, table: _native.Table) -> None:
    """Register ``table`` as ``name``, in place of a table of that name."""
    if ctx.table_exist(name):
        ctx.deregister_table(name)
    ctx.register_table(name, table)


def _micros(as_of: str | _dt.date | _dt.datetime) -> int:
    """``as_of`` as microseconds since the epoch, UTC: a date (midnight
    UTC), a datetime (naive ones are UTC) or an ISO 8601 text of either."""
    if isinstance(as_of, str):
        text = as_of.strip()
        try:
            as_of = _dt.datetime.fromisoformat(text) if "T" in text or " " in text else _dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"as_of={as_of!r}: expected a date (YYYY-MM-DD) or an ISO 8601 timestamp") from None
    if isinstance(as_of, _dt.datetime):
        instant = as_of if as_of.tzinfo is not None else as_of.replace(tzinfo=_dt.timezone.utc)
    elif isinstance(as_of, _dt.date):
        instant = _dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=_dt.timezone.utc)
    else:
        raise TypeError(f"as_of is a date, a datetime or a text, not {type(as_of).__name__}")
    epoch = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
    return (instant - epoch) // _dt.timedelta(microseconds=1)


def register_journeys(
    ctx: datafusion.SessionContext,
    as_of: str | _dt.date | _dt.datetime,
    period_days: int = 7,
    *,
    computed: bool = False,
) -> None:
    """Register ``journeys`` in ``ctx``: one row per company on a business
    network as of ``as_of`` (queries/journeys.sql), with the stage it had
    ``period_days`` earlier. The canned queries read it.

    ``journeys`` takes its instant here, not from ``param_values``: it is
    a table for one instant. By default it is a view (each query computes
    the columns it reads); ``computed=True`` computes it once now and keeps
    the rows in memory for several queries. Call ``register_lake`` first.
    """
    registration = _registration(ctx)
    if registration.lake is None:
        raise LeadlakeError("no lake in this context: call leadlake.register_lake(ctx, url) first")
    if isinstance(period_days, bool) or not isinstance(period_days, int):
        raise TypeError(f"period_days is a number of days, not {period_days!r}")
    table = registration.lake.journeys(_micros(as_of), period_days, computed)
    _replace_table(ctx, "journeys", table)
