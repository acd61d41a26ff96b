"""The default calendar's shipped table (rules/calendars/kz-working-days.json) is the calendar
``holidays`` and the shipped override build, and it is used only while it was made from them."""

from __future__ import annotations

import datetime as dt

import subprocess
import sys

import pytest

from clusterpolicy.calendar import table
from clusterpolicy.calendar.working_calendar import SHIPPED_OVERRIDE, WorkingCalendar, default_calendar


@pytest.fixture(scope="module")
def built() -> WorkingCalendar:
    return WorkingCalendar.kazakhstan()


def shipped() -> dict:
    import json
    from importlib import resources

    return json.loads(resources.files("clusterpolicy.rules").joinpath(table.TABLE).read_text("utf-8"))


def test_the_table_was_made_from_the_installed_holidays_and_the_shipped_override():
    """The test extra pins ``holidays`` to the version the table was made from, so the suite
    checks the table against the calendar that version builds. To move to a newer ``holidays``:
    raise the pin, rebuild the table (python -m clusterpolicy.calendar.table) after checking what
    changed. A user with another version gets the calendar built from it (the table is not used)."""
    assert shipped()["made_from"] == table.made_from(SHIPPED_OVERRIDE)


def test_the_test_extra_pins_the_holidays_the_table_was_made_from():
    import re
    from pathlib import Path

    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text("utf-8")
    test_extra = re.search(r"^test = \[(.*)\]$", pyproject, re.MULTILINE).group(1)
    version = shipped()["made_from"]["holidays"]
    assert f'"holidays=={version}"' in test_extra


def test_the_table_is_the_calendar_holidays_builds(built):
    default_calendar.cache_clear()
    from_table = default_calendar()
    assert from_table is not built
    assert (from_table.first_day, from_table.last_day) == (built.first_day, built.last_day)
    assert from_table._is_working == built._is_working
    assert from_table.uncertain_years() == built.uncertain_years()
    for year in built.uncertain_years():  # the table's warnings are made when first asked for, the same
        assert from_table.warnings_for(dt.date(year, 6, 1)) == built.warnings_for(dt.date(year, 6, 1))
    assert table.table_of(built, SHIPPED_OVERRIDE) == shipped()


def test_default_calendar_uses_the_table_without_importing_holidays():
    code = (
        "import sys\n"
        "from clusterpolicy import add_working_days\n"
        "import datetime as dt\n"
        "print(add_working_days(dt.date(2017, 6, 8), 10), 'holidays' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["2017-06-22", "False"]


def test_a_table_made_from_something_else_is_not_used(monkeypatch, built):
    monkeypatch.setattr(table, "made_from", lambda name: {"holidays": "0.0", "override_sha256": "x"})
    assert table.load_table(SHIPPED_OVERRIDE) is None
    default_calendar.cache_clear()
    try:
        assert default_calendar()._is_working == built._is_working  # built from holidays
    finally:
        default_calendar.cache_clear()


def test_writing_the_table_again_changes_nothing(tmp_path):
    from clusterpolicy.calendar.working_calendar import write_default_table

    written = write_default_table(tmp_path / "t.json")
    import json

    assert json.loads(written.read_text("utf-8")) == shipped()


def test_the_holidays_version_is_read_without_importing_it():
    from importlib.metadata import version

    assert table._holidays_version() == version("holidays")
