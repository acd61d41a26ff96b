"""The default working calendar as shipped data, so that evaluating needs no ``holidays`` import.

Importing ``holidays``' Kazakhstan calendar imports every country module of the package (about
0.1 to 0.3 s, a third of a one-application command). The default calendar
(:func:`~clusterpolicy.calendar.working_calendar.default_calendar`: 2000-2040, ``holidays.KZ``
and the shipped override) is therefore also shipped as a table,
``rules/calendars/kz-working-days.json``: the weekdays that are days off, the weekend days that
are working days, and the uncertain years. It records what it was made from, the ``holidays``
version and the SHA-256 of the shipped override; when the installed ``holidays`` or the override
differs, the table is not used and the calendar is built from ``holidays`` as before. A test
checks that the table equals the calendar ``holidays`` builds (tests/test_working_calendar_table.py).

Rebuild it after changing the override or upgrading ``holidays``:
``python -m clusterpolicy.calendar.table``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from importlib import resources
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from .working_calendar import (
    DEFAULT_FIRST_YEAR,
    DEFAULT_LAST_YEAR,
    SHIPPED_OVERRIDE,
    CalendarWarning,
    WorkingCalendar,
)

TABLE = "calendars/kz-working-days.json"
"""The table, inside ``clusterpolicy.rules`` (the top-level ``rules/`` folder)."""
_SATURDAY = 5


def made_from() -> dict[str, str | None]:
    """What the default calendar is built from now: the installed ``holidays`` version (read
    without importing it) and the SHA-256 of the shipped override."""
    override = resources.files("clusterpolicy.rules").joinpath(SHIPPED_OVERRIDE).read_bytes()
    return {"holidays": _holidays_version(), "override_sha256": hashlib.sha256(override).hexdigest()}


def _holidays_version() -> str | None:
    """The installed ``holidays`` version from its ``.dist-info`` folder's name (importing the
    package to ask it would cost what the table saves); None if it cannot be told."""
    try:
        spec = find_spec("holidays")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    site = Path(list(spec.submodule_search_locations)[0]).parent
    found = sorted(site.glob("holidays-*.dist-info"))
    if len(found) != 1:
        return None
    return found[0].name[len("holidays-"):-len(".dist-info")]


def from_table() -> WorkingCalendar | None:
    """The default calendar from the shipped table, or None if the table was made from another
    ``holidays`` or another override (or is missing)."""
    entry = resources.files("clusterpolicy.rules").joinpath(TABLE)
    try:
        table = json.loads(entry.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if table.get("made_from") != made_from() or None in table["made_from"].values():
        return None
    return calendar_of(table)


def calendar_of(table: dict[str, Any]) -> WorkingCalendar:
    """The :class:`WorkingCalendar` a table describes."""
    first_year, last_year = table["first_year"], table["last_year"]
    start = dt.date(first_year, 1, 1).toordinal()
    days = dt.date(last_year, 12, 31).toordinal() - start + 1
    working = [dt.date.fromordinal(start + offset).weekday() < _SATURDAY for offset in range(days)]
    for day in table["weekday_days_off"]:
        working[dt.date.fromisoformat(day).toordinal() - start] = False
    for day in table["working_weekend_days"]:
        working[dt.date.fromisoformat(day).toordinal() - start] = True
    warnings = {
        int(year): tuple(CalendarWarning.make(code, int(year)) for code in codes) for year, codes in table["warnings"].items()
    }
    return WorkingCalendar(working, first_year, warnings, name="KZ")


def table_of(calendar: WorkingCalendar) -> dict[str, Any]:
    """The table of a calendar (the inverse of :func:`calendar_of`)."""
    weekday_days_off, working_weekend_days = [], []
    day = calendar.first_day
    while day <= calendar.last_day:
        working = calendar.is_working_day(day)
        if day.weekday() < _SATURDAY and not working:
            weekday_days_off.append(day.isoformat())
        elif day.weekday() >= _SATURDAY and working:
            working_weekend_days.append(day.isoformat())
        day += dt.timedelta(days=1)
    return {
        "note": "Made by `python -m clusterpolicy.calendar.table` from holidays.KZ and calendars/kz-transfers.yaml; "
        "used only while both are what made_from says (clusterpolicy/calendar/table.py).",
        "made_from": made_from(),
        "first_year": calendar.first_day.year,
        "last_year": calendar.last_day.year,
        "weekday_days_off": weekday_days_off,
        "working_weekend_days": working_weekend_days,
        "warnings": {str(year): list(codes) for year, codes in calendar.uncertain_years().items()},
    }


def write_table(path: str | Path | None = None) -> Path:
    """Build the default calendar from ``holidays`` and the override, and write its table."""
    calendar = WorkingCalendar.kazakhstan(first_year=DEFAULT_FIRST_YEAR, last_year=DEFAULT_LAST_YEAR)
    target = Path(path) if path is not None else Path(str(resources.files("clusterpolicy.rules").joinpath(TABLE)))
    target.write_text(json.dumps(table_of(calendar), ensure_ascii=False, indent=0) + "\n", "utf-8")
    return target


if __name__ == "__main__":
    print(write_table())
