"""IIN (жеке сәйкестендіру нөмірі / индивидуальный идентификационный номер): 12 digits.

=========  ==========================================================================
digits     meaning
=========  ==========================================================================
1–6        date of birth, YYMMDD
7          century and sex: 1/2 born in the 1800s, 3/4 in the 1900s, 5/6 in the 2000s;
           odd male, even female
8–11       serial number
12         check digit (:func:`clusterpolicy.identifiers.calc_check_digit`)
=========  ==========================================================================

:func:`validate` requires the birth date to exist and the 7th digit to be 1–6. Descriptions
circulate of IINs with a 7th digit 0 for foreigners, or with an unknown birth day; they are
not in the layout this library implements (see ``docs/affiliation.md``), so they are refused
rather than guessed at.

The examples are made-up numbers (an IIN identifies a living person):

>>> validate("900101 300017")
'900101300017'
>>> info("900101300017").birth_date
datetime.date(1990, 1, 1)
>>> info("040229600120").sex, info("040229600120").birth_date
('female', datetime.date(2004, 2, 29))
>>> validate("050229400125")
Traceback (most recent call last):
    ...
clusterpolicy.core.errors.InvalidComponent: 050229400125: birth date 05-02-29 (YY-MM-DD, 1900s) does not exist
"""

from __future__ import annotations

import datetime
from typing import Literal


from ..core.base import Strict

from ..core.errors import IdentifierError, InvalidComponent, InvalidFormat
from .util import check_check_digit, check_twelve_digits, clean_digits

Sex = Literal["male", "female"]

CENTURIES = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}
"""The 7th digit: the first year of the century of birth."""


class IinInfo(Strict):
    """What the digits of a valid IIN say."""

    number: str
    birth_date: datetime.date
    century: int
    sex: Sex
    serial: str
    check_digit: str


def compact(number: str) -> str:
    """The number without spaces, dashes and surrounding blanks."""
    return clean_digits(number, "IIN")


def _birth_date(number: str) -> datetime.date:
    century = CENTURIES[number[6]]
    try:
        return datetime.date(century + int(number[:2]), int(number[2:4]), int(number[4:6]))
    except ValueError:
        raise InvalidComponent(
            f"{number}: birth date {number[:2]}-{number[2:4]}-{number[4:6]} "
            f"(YY-MM-DD, {century}s) does not exist"
        ) from None


def validate(number: str) -> str:
    """The compact number if it is a valid IIN; else an :class:`IdentifierError` subclass."""
    number = compact(number)
    check_twelve_digits(number, "an IIN")
    if number[6] not in CENTURIES:
        raise InvalidFormat(f"{number}: century/sex digit (7th) is {number[6]}, expected 1 to 6")
    _birth_date(number)
    check_check_digit(number)
    return number


def is_valid(number: str) -> bool:
    """Whether ``number`` is a valid IIN (never raises for bad input)."""
    try:
        validate(number)
    except IdentifierError:
        return False
    return True


def format(number: str) -> str:  # noqa: A001 - the python-stdnum name
    """The standard presentation: 12 digits, no separators."""
    return compact(number)


def info(number: str) -> IinInfo:
    """The meaning of the digits of a valid IIN (validates it first)."""
    number = validate(number)
    return IinInfo(
        number=number,
        birth_date=_birth_date(number),
        century=CENTURIES[number[6]],
        sex="male" if int(number[6]) % 2 else "female",
        serial=number[7:11],
        check_digit=number[11],
    )


__all__ = ["CENTURIES", "IinInfo", "Sex", "compact", "format", "info", "is_valid", "validate"]
