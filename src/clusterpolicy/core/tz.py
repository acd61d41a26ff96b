"""Asia/Almaty, read from the ``tzdata`` package rather than from the host.

The verdict on a submission time must not depend on the machine: with an Asia/Almaty zone from
before tzdata 2024a (Kazakhstan moved from UTC+6 to UTC+5 on 1 March 2024), a 2024 close
written without an offset would shift by an hour. ``tzdata`` is a dependency on every platform,
and its version is written into every result (:data:`TZDATA_VERSION`).
"""

from __future__ import annotations

from importlib import resources
from zoneinfo import ZoneInfo


def _almaty() -> tuple[ZoneInfo, str]:
    try:
        import tzdata

        with resources.files("tzdata.zoneinfo").joinpath("Asia", "Almaty").open("rb") as handle:
            return ZoneInfo.from_file(handle, key="Asia/Almaty"), tzdata.IANA_VERSION
    except (ImportError, FileNotFoundError):  # pragma: no cover - tzdata is a dependency
        return ZoneInfo("Asia/Almaty"), "system"


ALMATY, TZDATA_VERSION = _almaty()
"""The Asia/Almaty zone, and the version of the time-zone data it comes from (e.g. ``2026a``)."""
