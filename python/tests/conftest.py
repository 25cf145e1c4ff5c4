"""Fixtures: the `leadlake` command (the repository's build, to compare
with), a synthetic lake it generates, and registered contexts."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import datafusion
import pytest

import leadlake

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2027-01-01"


@pytest.fixture(scope="session")
def cli() -> Path:
    """The `leadlake` command: $LEADLAKE_BIN, else the debug build that
    `cargo test` leaves in target/ (scripts/test runs this suite after it)."""
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    path = Path(os.environ.get("LEADLAKE_BIN", target / "debug" / "leadlake"))
    if not path.is_file():
        pytest.fail(f"no leadlake command at {path}: build it (cargo build) or set LEADLAKE_BIN")
    return path


def run_cli(cli: Path, *args: str, cwd: Path | None = None) -> str:
    done = subprocess.run([str(cli), *args], capture_output=True, text=True, cwd=cwd, check=False)
    if done.returncode != 0:
        pytest.fail(f"leadlake {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


@pytest.fixture(scope="session")
def lake(cli: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A generated lake (about 20,000 events, 121 planted companies) with
    its databases: the manifest's paths, made absolute."""
    out = tmp_path_factory.mktemp("lake")
    run_cli(cli, "generate", "--out", str(out), "--events", "20000", "--quiet")
    manifest = json.loads((out / "manifest.json").read_text())
    paths = manifest["paths"]
    return {
        "dir": out,
        "lake": str(out / paths["lake"]),
        "databases": [str(out / d) for d in paths["databases"]],
        "overrides": str(out / paths["overrides"]),
        "as_of": manifest["as_of"],
    }


def cli_inputs(lake: dict) -> list[str]:
    """The command's flags for the lake and its databases."""
    args = ["--lake", lake["lake"], "--overrides", lake["overrides"]]
    for database in lake["databases"]:
        args += ["--ipdb", database]
    return args


def cli_sql(cli: Path, lake: dict, sql: str) -> list[dict]:
    """Rows of `sql` run by `leadlake shell` on the lake."""
    out = run_cli(cli, "shell", *cli_inputs(lake), "--format", "ndjson", "-c", sql)
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture
def config(lake: dict) -> leadlake.Config:
    return leadlake.Config(ipdb=lake["databases"], overrides=lake["overrides"])


@pytest.fixture
def ctx(config: leadlake.Config, lake: dict) -> datafusion.SessionContext:
    """A fresh context with leadlake and the lake registered."""
    ctx = datafusion.SessionContext()
    leadlake.register(ctx, config)
    leadlake.register_lake(ctx, lake["lake"])
    return ctx
