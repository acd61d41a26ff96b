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
``python -c "from clusterpolicy.calendar.working_calendar import write_default_table as w; print(w())"``.
This module only reads and writes the data (``working_calendar`` makes the calendar of it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from importlib import resources
from importlib.util import find_spec
from pathlib import Path
from typing import Any

TABLE = "calendars/kz-working-days.json"
"""The table, inside ``clusterpolicy.rules`` (the top-level ``rules/`` folder)."""
_SATURDAY = 5


def made_from(override_name: str) -> dict[str, str | None]:
    """What the default calendar is built from now: the installed ``holidays`` version (read
    without importing it) and the SHA-256 of the shipped override."""
    override = resources.files("clusterpolicy.rules").joinpath(override_name).read_bytes()
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


def load_table(override_name: str) -> dict[str, Any] | None:
    """The shipped table, or None if it was made from another ``holidays`` or another override
    (or is missing)."""
    entry = resources.files("clusterpolicy.rules").joinpath(TABLE)
    try:
        table = json.loads(entry.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    made = made_from(override_name)
    if table.get("made_from") != made or None in made.values():
        return None
    return table


def working_days(table: dict[str, Any]) -> list[bool]:
    """Whether each day from 1 January of ``first_year`` to 31 December of ``last_year`` is a working day."""
    start = dt.date(table["first_year"], 1, 1).toordinal()
    days = dt.date(table["last_year"], 12, 31).toordinal() - start + 1
    # date.fromordinal(n).weekday() is (n + 6) % 7: Monday is 0, so a weekday is below 5
    working = [(start + offset + 6) % 7 < _SATURDAY for offset in range(days)]
    for day in table["weekday_days_off"]:
        working[dt.date.fromisoformat(day).toordinal() - start] = False
    for day in table["working_weekend_days"]:
        working[dt.date.fromisoformat(day).toordinal() - start] = True
    return working


def table_of(calendar: Any, override_name: str) -> dict[str, Any]:
    """The table of a :class:`~clusterpolicy.calendar.working_calendar.WorkingCalendar`."""
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
        "note": "Made by clusterpolicy.calendar.working_calendar.write_default_table() from holidays.KZ and "
        "calendars/kz-transfers.yaml; used only while both are what made_from says (clusterpolicy/calendar/table.py).",
        "made_from": made_from(override_name),
        "first_year": calendar.first_day.year,
        "last_year": calendar.last_day.year,
        "weekday_days_off": weekday_days_off,
        "working_weekend_days": working_weekend_days,
        "warnings": {str(year): list(codes) for year, codes in calendar.uncertain_years().items()},
    }


def write_table(calendar: Any, override_name: str, path: str | Path | None = None) -> Path:
    """Write the table of ``calendar`` (by default over the shipped one)."""
    target = Path(path) if path is not None else Path(str(resources.files("clusterpolicy.rules").joinpath(TABLE)))
    target.write_text(json.dumps(table_of(calendar, override_name), ensure_ascii=False, indent=0) + "\n", "utf-8")
    return target
