"""IIN validation. The numbers are made up (an IIN identifies a living person)."""

from __future__ import annotations

import datetime
import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clusterpolicy.core.errors import (
    IdentifierError,
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
)
from clusterpolicy.identifiers import calc_check_digit
from clusterpolicy.identifiers import iin as kz_iin


def first_eleven_digits(birth: datetime.date, sex: str, serial: int) -> str:
    century_digit = {1800: 1, 1900: 3, 2000: 5}[birth.year // 100 * 100] + (sex == "female")
    return f"{birth:%y%m%d}{century_digit}{serial:04d}"


def make_iin(birth: datetime.date, sex: str, serial: int) -> str:
    """A well-formed IIN (raises InvalidChecksum for the serials that have no check digit)."""
    first_eleven = first_eleven_digits(birth, sex, serial)
    return first_eleven + calc_check_digit(first_eleven)


def test_a_man_born_in_1990():
    info = kz_iin.info("900101300017")
    assert info.birth_date == datetime.date(1990, 1, 1)
    assert (info.century, info.sex, info.serial, info.check_digit) == (1900, "male", "0001", "7")


def test_a_woman_born_on_29_february_2004():
    info = kz_iin.info("040229 6001-20")
    assert info.number == "040229600120"
    assert (info.birth_date, info.sex, info.century) == (datetime.date(2004, 2, 29), "female", 2000)


def test_the_1800s_century_digits():
    info = kz_iin.info(make_iin(datetime.date(1899, 12, 31), "female", 5))
    assert (info.birth_date, info.sex) == (datetime.date(1899, 12, 31), "female")


@pytest.mark.parametrize(
    ("number", "error", "fragment"),
    [
        ("90010130001", InvalidLength, "12 digits"),
        ("90010130001O", InvalidFormat, "digits 0-9"),  # a letter O, not a zero
        ("900101700012", InvalidFormat, "century/sex digit"),
        ("900101000018", InvalidFormat, "century/sex digit"),
        ("901301300017", InvalidComponent, "does not exist"),
        ("900132300016", InvalidComponent, "does not exist"),
        ("050229400125", InvalidComponent, "1900s"),  # 1905 was not a leap year
        ("900101300018", InvalidChecksum, "expected 7"),
    ],
)
def test_invalid_iins_raise_the_typed_error(number, error, fragment):
    with pytest.raises(error, match=fragment) as caught:
        kz_iin.validate(number)
    assert isinstance(caught.value, IdentifierError)
    assert not kz_iin.is_valid(number)


def test_a_bin_is_not_an_iin():
    assert not kz_iin.is_valid("000140001813")  # 7th digit 0


@given(
    st.dates(datetime.date(1800, 1, 1), datetime.date(2099, 12, 31)),
    st.sampled_from(["male", "female"]),
    st.integers(0, 9999),
)
def test_made_up_iins_round_trip_through_info(birth, sex, serial):
    first_eleven = first_eleven_digits(birth, sex, serial)
    try:
        number = make_iin(birth, sex, serial)
    except InvalidChecksum:
        assert not any(kz_iin.is_valid(first_eleven + str(d)) for d in range(10))
        return
    info = kz_iin.info(number)
    assert (info.birth_date, info.sex, info.serial) == (birth, sex, f"{serial:04d}")


@given(st.text(max_size=20))
def test_is_valid_never_raises(text):
    assert kz_iin.is_valid(text) in (True, False)


def test_doctests():
    result = doctest.testmod(kz_iin, raise_on_error=False, verbose=False)
    assert result.attempted > 0 and result.failed == 0
