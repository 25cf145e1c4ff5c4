"""The canned queries (queries/*.sql, built into leadlake) by name, their
parameters, and running one in a context."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import datafusion
import pyarrow as pa

from . import _native
from ._register import _micros, register_journeys


@dataclass(frozen=True)
class Param:
    """A query parameter: its name, type (``timestamp``, ``int``, ``float``
    or ``text``), default (as text; None when required) and description."""

    name: str
    type: str
    default: str | None
    description: str


@dataclass(frozen=True)
class Query:
    """A canned query: name, description, parameters, the columns it
    returns (comma-separated) and its SQL. ``as_of`` is declared by every
    query; the ones reading ``journeys`` take it through
    ``register_journeys``."""

    name: str
    description: str
    params: tuple[Param, ...]
    columns: str
    sql: str

    @property
    def reads_journeys(self) -> bool:
        """Whether the query reads the table ``journeys``."""
        code = "\n".join(line.split("--", 1)[0] for line in self.sql.splitlines())
        return "journeys" in code


def queries() -> list[Query]:
    """Every canned query, as ``leadlake queries`` lists them."""
    return [
        Query(name, description, tuple(Param(*p) for p in params), columns, sql)
        for name, description, params, columns, sql in _native.canned_queries()
    ]


def _find(name: str) -> Query:
    found = {q.name: q for q in queries()}
    if name not in found:
        raise KeyError(f"unknown query {name!r} (canned queries: {', '.join(found)})")
    return found[name]


def query(name: str) -> str:
    """The SQL of the canned query ``name``, for ``ctx.sql``. Its ``$name``
    placeholders take ``param_values`` (``leadlake.params`` makes them,
    defaults included); ``journeys`` must be registered for the instant
    (``leadlake.register_journeys``), or use ``leadlake.run``."""
    return _find(name).sql


def _scalar(param: Param, value: Any) -> pa.Scalar:
    if isinstance(value, pa.Scalar):
        return value
    try:
        if param.type == "timestamp":
            return pa.scalar(_micros(value), type=pa.timestamp("us", tz="UTC"))
        if param.type == "int":
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            return pa.scalar(int(value), type=pa.int64())
        if param.type == "float":
            return pa.scalar(float(value), type=pa.float64())
        return pa.scalar(str(value), type=pa.string())
    except (TypeError, ValueError):
        raise ValueError(f"{param.name}={value!r}: expected {param.type}") from None


def params(name: str, as_of: str | _dt.date | _dt.datetime | None = None, **values: Any) -> dict[str, pa.Scalar]:
    """Typed ``param_values`` for the canned query ``name``: ``values`` by
    parameter name, each query's defaults for the others, and ``as_of``
    when given. An unknown name, a missing required value or a value that
    is not of the parameter's type raises ``ValueError``."""
    q = _find(name)
    declared = {p.name: p for p in q.params}
    unknown = sorted(set(values) - set(declared))
    if unknown or "as_of" in values:
        raise ValueError(
            f"{name}: unknown parameter {', '.join(unknown) or 'as_of (give it as as_of=)'} "
            f"(parameters: {', '.join(declared)})"
        )
    out: dict[str, pa.Scalar] = {}
    for p in q.params:
        if p.name == "as_of":
            if as_of is not None:
                out["as_of"] = _scalar(p, as_of)
            continue
        value = values.get(p.name, p.default)
        if value is None:
            raise ValueError(f"{name} needs {p.name} ({p.type})")
        out[p.name] = _scalar(p, value)
    return out


def run(
    ctx: datafusion.SessionContext,
    name: str,
    as_of: str | _dt.date | _dt.datetime,
    **values: Any,
) -> datafusion.DataFrame:
    """Run the canned query ``name`` in ``ctx`` as of ``as_of``, as
    ``leadlake run NAME --as-of ...`` does: registers ``journeys`` for that
    instant (and ``period_days`` when given), binds the parameters with
    their defaults, and returns the DataFrame (``.to_arrow_table()``,
    ``.to_pandas()``, ...). Call ``register`` and ``register_lake`` first."""
    q = _find(name)
    if q.reads_journeys:
        period = values.get("period_days", 7)
        register_journeys(ctx, as_of, _int(period, "period_days"))
    return ctx.sql(q.sql, param_values=params(name, as_of, **values))


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{name}={value!r}: expected int")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}={value!r}: expected int") from None
