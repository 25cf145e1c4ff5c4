"""leadlake's configuration: the sections of ``leadlake.toml`` (``ipdb``,
``lake``, ``funnel``, ``ingest``, ``run``), from keywords, a dict or a file."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterable, Mapping
from typing import Any, Union

from . import _native

PathLike = Union[str, "os.PathLike[str]"]

_SECTIONS = ("ipdb", "lake", "funnel", "ingest", "run")


def json_text(data: Mapping[str, Any]) -> str:
    def path(value: Any) -> str:
        if isinstance(value, os.PathLike):
            return os.fspath(value)
        raise TypeError(f"{type(value).__name__} is not a configuration value: {value!r}")

    return json.dumps(data, default=path)


def lake_section(lake: PathLike | Mapping[str, Any]) -> dict[str, Any]:
    """A ``[lake]`` section from a URL, a local folder or a dict."""
    if isinstance(lake, Mapping):
        return dict(lake)
    if isinstance(lake, (str, os.PathLike)):
        return {"url": os.fspath(lake)}
    raise TypeError(f"a lake is a URL, a folder or a dict, not {type(lake).__name__}")


class Config:
    """What leadlake's functions and tables are built from: the address
    databases and override ranges, the lake, the journey rules and the
    session limits, as in ``leadlake.toml`` (docs/configuration.md).

    ``Config(ipdb=["GeoIP2-ISP.mmdb"], overrides="ranges.csv")`` names the
    databases and the override file; ``ipdb`` may also be a whole ``[ipdb]``
    section (a dict). ``lake`` is a URL, a folder or a ``[lake]`` dict;
    ``funnel``, ``ingest`` and ``run`` are dicts of those sections.
    ``Config.from_dict`` takes the whole file's shape and
    ``Config.from_toml`` reads a file.

    The configuration is checked when it is made: an unknown key or a value
    of the wrong type raises ``leadlake.ConfigError`` naming it. Files are
    opened by ``leadlake.register``.
    """

    __slots__ = ("_sections",)

    def __init__(
        self,
        ipdb: PathLike | Iterable[PathLike] | Mapping[str, Any] | None = None,
        overrides: PathLike | None = None,
        *,
        lake: PathLike | Mapping[str, Any] | None = None,
        funnel: Mapping[str, Any] | None = None,
        ingest: Mapping[str, Any] | None = None,
        run: Mapping[str, Any] | None = None,
    ) -> None:
        sections: dict[str, Any] = {}
        if isinstance(ipdb, Mapping):
            section = dict(ipdb)
        elif isinstance(ipdb, (str, os.PathLike)):
            section = {"databases": [os.fspath(ipdb)]}
        elif ipdb is not None:
            section = {"databases": [os.fspath(p) for p in ipdb]}
        else:
            section = {}
        if overrides is not None:
            section["overrides"] = os.fspath(overrides)
        if section:
            sections["ipdb"] = section
        if lake is not None:
            sections["lake"] = lake_section(lake)
        for name, value in (("funnel", funnel), ("ingest", ingest), ("run", run)):
            if value is not None:
                sections[name] = dict(value)
        _native.check_config(json_text(sections))
        self._sections = sections

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Config:
        """A configuration in the shape of ``leadlake.toml``:
        ``{"ipdb": {"databases": [...], "overrides": ...}, "lake": {...}, ...}``.

        Raises ``leadlake.ConfigError`` for an unknown section or key."""
        if not isinstance(data, Mapping):
            raise TypeError(f"a configuration is a dict, not {type(data).__name__}")
        _native.check_config(json_text(data))
        config = cls.__new__(cls)
        config._sections = copy.deepcopy(dict(data))
        return config

    @classmethod
    def from_toml(cls, path: PathLike) -> Config:
        """Read a ``leadlake.toml`` file (relative paths inside it are taken
        from the working folder, as the command does).

        Raises ``leadlake.ConfigError`` when the file cannot be read, or
        naming the line at fault."""
        data = json.loads(_native.config_from_toml(os.fspath(path)))
        config = cls.__new__(cls)
        config._sections = data
        return config

    def to_dict(self) -> dict[str, Any]:
        """The sections given (a copy); defaults are not filled in."""
        return copy.deepcopy(self._sections)

    @property
    def lake(self) -> dict[str, Any] | None:
        """The ``[lake]`` section, if any."""
        lake = self._sections.get("lake")
        return copy.deepcopy(lake) if lake is not None else None

    def to_json(self) -> str:
        """The configuration as the JSON leadlake's native module reads."""
        return json_text(self._sections)

    def without_lake(self) -> Config:
        """The same configuration without its ``[lake]`` section."""
        config = Config.__new__(Config)
        config._sections = {k: v for k, v in self._sections.items() if k != "lake"}
        return config

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Config) and self._sections == other._sections

    def __repr__(self) -> str:
        return f"leadlake.Config.from_dict({self._sections!r})"


def as_config(config: Config | Mapping[str, Any] | PathLike | None) -> Config:
    """A Config from a Config, a ``leadlake.toml``-shaped dict, a path to a
    ``leadlake.toml`` file, or None (no databases: only events carrying
    their own company resolve)."""
    if config is None:
        return Config()
    if isinstance(config, Config):
        return config
    if isinstance(config, Mapping):
        return Config.from_dict(config)
    if isinstance(config, (str, os.PathLike)):
        return Config.from_toml(config)
    raise TypeError(
        f"a configuration is a leadlake.Config, a dict or a leadlake.toml path, not {type(config).__name__}"
    )
