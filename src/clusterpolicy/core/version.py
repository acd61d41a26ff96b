"""The installed clusterpolicy version, written into every result."""

from __future__ import annotations

from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version


@lru_cache(maxsize=None)
def library_version() -> str:
    """The installed version, or ``0.0.0+unknown`` when running from a source tree."""
    try:
        return version("clusterpolicy")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0.0.0+unknown"
