"""The package imports from its wheel alone (no Rust toolchain), and
refuses a datafusion of another major with a clear ImportError."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import leadlake


def python(code: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True, text=True, check=False)


def toolchain_free_env() -> dict[str, str]:
    """This environment with PATH cut to folders holding no cargo or rustc,
    and no Rust variables."""
    keep = [d for d in os.environ.get("PATH", "").split(os.pathsep)
            if d and not any(Path(d, tool).exists() for tool in ("cargo", "rustc", "rustup"))]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CARGO", "RUSTUP", "RUST"))}
    env["PATH"] = os.pathsep.join(keep)
    env.pop("PYTHONPATH", None)
    return env


def test_imports_without_a_rust_toolchain(tmp_path):
    env = toolchain_free_env()
    assert shutil.which("cargo", path=env["PATH"]) is None
    assert shutil.which("rustc", path=env["PATH"]) is None
    code = (
        "import shutil, datafusion, leadlake\n"
        "assert shutil.which('cargo') is None and shutil.which('rustc') is None\n"
        "ctx = datafusion.SessionContext()\n"
        "leadlake.register(ctx)\n"
        "print(ctx.sql(\"SELECT company_key('Acme Inc.') AS k\").to_pylist()[0]['k'])\n"
    )
    done = python(code, env, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "acme"


def test_another_datafusion_major_is_an_import_error(tmp_path):
    fake = tmp_path / "datafusion-54.0.0.dist-info"
    fake.mkdir()
    (fake / "METADATA").write_text("Metadata-Version: 2.1\nName: datafusion\nVersion: 54.0.0\n")
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    done = python("import leadlake", env, tmp_path)
    assert done.returncode == 1
    assert "ImportError" in done.stderr
    assert "54.0.0" in done.stderr and "datafusion>=55,<56" in done.stderr


def test_the_version_it_is_built_for():
    assert leadlake.DATAFUSION_MAJOR == 55
