"""The shipped packs kept on disk, validated: :mod:`clusterpolicy.core.cache` (its names are found here too)."""

from __future__ import annotations

from ..core.cache import ENVIRONMENT, FORMAT, KEEP, Deferred, cache_dir, code_stamp, key_of, load, store

__all__ = ["ENVIRONMENT", "FORMAT", "KEEP", "Deferred", "cache_dir", "code_stamp", "key_of", "load", "store"]
