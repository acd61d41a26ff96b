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

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "competition-2017" / "01-karaganda-construction.yaml"


def pure_python(text: str):
    saved = sources._CLoader
    sources._CLoader = None
    try:
        return sources.parse_yaml(text, "f.yaml")
    finally:
        sources._CLoader = saved


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
    assert error.code == "too_large" and error.location.line == 3, str(error)
    assert "sys." not in str(error) and "set_int_max_str_digits" not in str(error)
    assert f"up to {MAX_NUMBER_DIGITS} digits" in error.message and len(str(error)) < 300


def test_a_number_at_the_digit_limit_is_read():
    assert parse_json('{"a": ' + "1" * MAX_NUMBER_DIGITS + "}").data["a"] == int("1" * MAX_NUMBER_DIGITS)
    assert parse_yaml("a: " + "1" * MAX_NUMBER_DIGITS + "\n").data["a"] == int("1" * MAX_NUMBER_DIGITS)
