"""Type stubs of leadlake's native module (Rust, PyO3): the FFI exports that
the Python layer hands to datafusion-python."""

from typing import Any

from typing_extensions import CapsuleType

DATAFUSION_MAJOR: int
"""The DataFusion major the module's FFI is built for."""

class LeadlakeError(Exception):
    """An error from leadlake or the DataFusion engine inside it, with its message."""

class ConfigError(LeadlakeError):
    """A configuration leadlake cannot use: an unknown or mistyped key, or an
    address database, override file or spill folder that cannot be opened."""

def check_config(json: str) -> str:
    """Check a configuration (the JSON form of leadlake.toml) without opening
    anything; returns it in full, defaults filled in. Raises ConfigError."""

def config_from_toml(path: str) -> str:
    """Read a leadlake.toml file; returns it as JSON. Raises ConfigError."""

def canned_queries() -> list[tuple[str, str, list[tuple[str, str, str | None, str]], str, str]]:
    """Every canned query: (name, description, params, columns, sql), each
    param (name, type, default or None, description)."""

class Table:
    """A leadlake table for SessionContext.register_table."""

    def __datafusion_table_provider__(self, session: Any) -> CapsuleType: ...
    def columns(self) -> list[str]:
        """The column names, in order."""

class TableFunction:
    """A leadlake table function for SessionContext.register_udtf."""

    @property
    def name(self) -> str:
        """Its SQL name."""
    def __datafusion_table_function__(self, session: Any) -> CapsuleType: ...

class Lake:
    """leadlake's own session over a lake; its tables are lent to others."""

    def table(self, name: str) -> Table:
        """events or company_events."""
    def journeys(self, as_of_micros: int, period_days: int, computed: bool) -> Table:
        """journeys as of as_of_micros (µs since the epoch, UTC)."""

class Functions:
    """Every leadlake function over the resources of one configuration."""

    def __init__(self, json: str) -> None:
        """Open what the configuration (JSON) names. Raises ConfigError."""
    def scalar(self) -> list[tuple[str, CapsuleType]]: ...
    def aggregate(self) -> list[tuple[str, CapsuleType]]: ...
    def window(self) -> list[tuple[str, CapsuleType]]: ...
    def table(self) -> list[TableFunction]: ...
    def lake(self, json: str) -> Lake:
        """leadlake's session over the lake (the JSON of a [lake] section)."""
