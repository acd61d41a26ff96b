"""Numbers are read from their text (issue 27, items 7 and 16): a decimal never passes through
a binary float before its digit limits are checked, and a number too long to read is refused
with its line in words a person understands, not Python's."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from clusterpolicy.core import sources
from clusterpolicy.core.errors import InputError
from clusterpolicy.core.sources import MAX_NUMBER_DIGITS, parse_json, parse_yaml
from clusterpolicy.input.loading import parse_application

from test_yaml_fast_path import pure_python

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "competition-2017" / "01-karaganda-construction.yaml"


@pytest.mark.parametrize("written", ["9.99999999999999999", "123456789012345678.9", "0.1", "-2.50", "1e-3", "12.5E2"])
def test_json_decimals_keep_the_digits_written(written):
    assert parse_json('{"a": ' + written + "}").data == {"a": Decimal(written)}
    assert str(parse_json('{"a": ' + written + "}").data["a"]) == str(Decimal(written))


@pytest.mark.parametrize(
    "written, value",
    [("9.99999999999999999", "9.99999999999999999"), ("123456789012345678.9", "123456789012345678.9"),
     ("1_000.5", "1000.5"), (".5", "0.5"), ("-0.50", "-0.50"), ("+1.5e+3", "1.5E+3"), ("1:30.5", "90.5")],
)
def test_yaml_floats_are_read_from_their_text_by_both_parsers(written, value):
    text = f"a: {written}\n"
    fast = sources._parse_with_libyaml(text, "f.yaml")
    slow = pure_python(text)
    assert fast.data == slow.data == {"a": Decimal(value)}
    assert repr(fast.data) == repr(slow.data) and fast.lines == slow.lines


def test_a_share_just_under_10_percent_is_not_read_as_10():
    """9.99999999999999999 % used to become 10.0 (a float) and pass the 12-decimal limit, which
    flips criterion 1.1; now its 17 decimals are seen, and it is refused at its line."""
    text = EXAMPLE.read_text("utf-8").replace("share_percent: 60}", "share_percent: 9.99999999999999999}", 1)
    line = text.splitlines().index(next(row for row in text.splitlines() if "9.99999999999999999" in row)) + 1
    with pytest.raises(InputError) as caught:
        parse_application(text, name="a.yaml", json=False)
    assert caught.value.location.line == line
    assert caught.value.location.path[-1] == "share_percent"
    assert caught.value.code == "decimal_max_places"


def test_nineteen_digits_keep_their_digits_in_the_model():
    text = EXAMPLE.read_text("utf-8").replace("key_project_cost_mln_tenge: 112.1", "key_project_cost_mln_tenge: 123456789012345678.9", 1)
    application = parse_application(text, name="a.yaml", json=False)
    assert application.key_project_cost_mln_tenge == Decimal("123456789012345678.9")
    assert str(application.key_project_cost_mln_tenge) == "123456789012345678.9"


@pytest.mark.parametrize("name", ["f.json", "f.yaml"])
@pytest.mark.parametrize("number", ["1" * 5000, "-" + "9" * 5000, "1" * 4000 + ".5", "0." + "1" * 200])
def test_a_huge_number_is_refused_with_its_line_in_plain_words(name, number):
    text = '{"id": "x",\n "stage":\n ' + number + "}" if name.endswith(".json") else "id: x\nstage:\n  " + number + "\n"
    with pytest.raises(InputError) as caught:
        (parse_json if name.endswith(".json") else parse_yaml)(text, name)
    error = caught.value
    assert error.code == "number_too_large" and error.location.line == 3, str(error)
    assert "sys." not in str(error) and "set_int_max_str_digits" not in str(error)
    assert f"up to {MAX_NUMBER_DIGITS} digits" in error.message and len(str(error)) < 300


def test_a_number_at_the_digit_limit_is_read():
    assert parse_json('{"a": ' + "1" * MAX_NUMBER_DIGITS + "}").data["a"] == int("1" * MAX_NUMBER_DIGITS)
    assert parse_yaml("a: " + "1" * MAX_NUMBER_DIGITS + "\n").data["a"] == int("1" * MAX_NUMBER_DIGITS)


# --------------------------------------------------------------------------- item 16's other messages


def test_an_override_day_outside_the_calendars_years_is_located_in_plain_words(tmp_path):
    from clusterpolicy.calendar.working_calendar import WorkingCalendar
    from clusterpolicy.core.errors import CalendarError

    path = tmp_path / "override.yaml"
    path.write_text(
        "add_days_off:\n"
        "  - {date: 2017-06-09, reason: a day off, source: {act: an order, date: 2017-01-01}}\n"
        "  - {date: 1985-03-08, reason: Women's day, source: {act: an order, date: 1985-01-01}}\n",
        "utf-8",
    )
    with pytest.raises(CalendarError) as caught:
        WorkingCalendar.kazakhstan(path, first_year=2000, last_year=2030)
    error = caught.value
    assert error.code == "outside_calendar"
    assert (error.location.file, error.location.line, error.location.path) == (str(path), 3, ("add_days_off", 1, "date"))
    assert "1985-03-08" in error.message and "2000 to 2030" in error.message


CLOSES = ["2017-06-08T24:00:00", "2017-06-08 24:00", "2017-06-08T24:00:00+06:00", "'2017-06-08T24:00'"]


@pytest.mark.parametrize("written", CLOSES)
def test_a_close_written_24_00_is_refused_in_plain_words(tmp_path, written):
    """docs/choices.md, "A close written 24:00": the date alone says it (its whole day is open)."""
    from clusterpolicy.input.loading import load_competition

    folder = tmp_path / "competition"
    folder.mkdir()
    header = (ROOT / "examples" / "competition-2017" / "competition.yaml").read_text("utf-8")
    lines = header.splitlines()
    line = next(number for number, row in enumerate(lines, 1) if row.startswith("acceptance_closes_at:"))
    lines[line - 1] = f"acceptance_closes_at: {written}"
    (folder / "competition.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(InputError) as caught:
        load_competition(folder)
    error = caught.value
    assert error.location.line == line and error.location.path == ("acceptance_closes_at",), str(error)
    assert "24:00 is not a time of day" in error.message and "write the date alone, 2017-06-08" in error.message
    assert "hour must be" not in error.message and "extra characters" not in error.message


def test_a_close_written_24_00_in_json_is_refused_in_plain_words():
    from clusterpolicy.core.sources import validate
    from clusterpolicy.input.decree535_form import Competition

    document = parse_json('{"id": "c", "stage": 1, "announced_on": "2017-04-10",\n "acceptance_closes_at": "2017-06-08T24:00"}', "c.json")
    with pytest.raises(InputError) as caught:
        validate(Competition, document)
    assert caught.value.location.line == 2 and "24:00 is not a time of day" in caught.value.message
