"""The datafusion check: leadlake's native module speaks one DataFusion major's
FFI, and a datafusion-python of another major crashes the process when it
calls through it. So the installed version is checked before anything of
leadlake's reaches datafusion, and a mismatch is an ImportError."""

from __future__ import annotations

import importlib.metadata


def major_of(version: str) -> int | None:
    """The major of a version string ("55.0.0" -> 55), or None."""
    head = version.split(".", 1)[0]
    return int(head) if head.isdigit() else None


def check_datafusion(required_major: int) -> str:
    """Return the installed datafusion version, or raise ImportError when it
    is missing or of another major than ``required_major``."""
    pin = f"datafusion>={required_major},<{required_major + 1}"
    try:
        installed = importlib.metadata.version("datafusion")
    except importlib.metadata.PackageNotFoundError:
        raise ImportError(
            f"leadlake needs the datafusion package {required_major}.x: pip install '{pin}'"
        ) from None
    if major_of(installed) != required_major:
        raise ImportError(
            f"leadlake is built for DataFusion {required_major} and the installed datafusion is "
            f"{installed}; functions passed between different majors crash the process, so "
            f"leadlake does not load: pip install '{pin}'"
        )
    return installed
