"""The installed clusterpolicy version, written into every result."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=None)
def library_version() -> str:
    """The installed version, or ``0.0.0+unknown`` when running from a source tree (read from the
    installed metadata when first asked for: a command that writes no version does not read it)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("clusterpolicy")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0.0.0+unknown"
