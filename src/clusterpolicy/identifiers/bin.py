"""BIN (бизнес-сәйкестендіру нөмірі / бизнес-идентификационный номер): 12 digits.

Issued to legal entities **and to their branches and representative offices** (which are not
legal entities), and to individual entrepreneurs working in joint entrepreneurship.

=========  ==========================================================================
digits     meaning
=========  ==========================================================================
1–2        year of (re-)registration, two digits (see :data:`EARLIEST_YEAR` for the century)
3–4        month of (re-)registration, 01–12
5          type: 4 resident legal entity, 5 non-resident legal entity,
           6 individual entrepreneurs in joint entrepreneurship
6          attribute: 0 head organisation, 1 branch, 2 representative office,
           3 peasant (farm) enterprise in joint entrepreneurship
7–11       serial number
12         check digit (:func:`clusterpolicy.identifiers.calc_check_digit`)
=========  ==========================================================================

:func:`validate` is strict on what the layout makes certain (length, digits, month, type and
attribute digits, check digit) and on nothing else: serials are not restricted (real BINs
have serials starting with 9, such as ``171140900016``), and the year is any two digits.

>>> validate("000140001813")
'000140001813'
>>> validate("1811 4190 0093")
'181141900093'
>>> validate("000140001814")
Traceback (most recent call last):
    ...
clusterpolicy.core.errors.InvalidChecksum: 000140001814: the check digit is 4, expected 3
>>> info("181141900093").attribute
'branch'
>>> info("181141900093").is_legal_entity
False
>>> info("900340000028").registration_year
1990
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal


from ..core.base import Strict

from ..core.errors import IdentifierError, InvalidComponent, InvalidFormat
from .util import check_check_digit, check_twelve_digits, clean_digits

EntityType = Literal["resident_legal_entity", "non_resident_legal_entity", "joint_entrepreneurship"]
Attribute = Literal["head_organisation", "branch", "representative_office", "peasant_farm"]

ENTITY_TYPES: dict[str, EntityType] = {
    "4": "resident_legal_entity",
    "5": "non_resident_legal_entity",
    "6": "joint_entrepreneurship",
}
ATTRIBUTES: dict[str, Attribute] = {
    "0": "head_organisation",
    "1": "branch",
    "2": "representative_office",
    "3": "peasant_farm",
}

EARLIEST_YEAR = 1990
"""Default earliest registration year: a BIN's ``YY`` is read as the first year from here on
ending in those digits, so 90–99 are 1990–1999 and 00–89 are 2000–2089. The oldest real BIN in
the test data is ``900340000028`` (March 1990); BINs record the date of registration *or
re-registration*, and Kazakh legal entities were (re-)registered after independence. A caller
that knows better passes ``earliest_year`` to :func:`info`."""


class BinInfo(Strict):
    """What the digits of a valid BIN say."""

    number: str
    registration_year: int
    registration_month: int
    entity_type: EntityType
    attribute: Attribute
    serial: str
    check_digit: str

    @property
    def is_legal_entity(self) -> bool:
        """A head organisation of a resident or non-resident legal entity.

        Branches and representative offices have BINs but are not legal entities (Civil Code
        art. 43); type 6 numbers belong to individual entrepreneurs.
        """
        return self.entity_type != "joint_entrepreneurship" and self.attribute == "head_organisation"


def compact(number: str) -> str:
    """The number without spaces, dashes and surrounding blanks."""
    return clean_digits(number, "BIN")


def validate(number: str) -> str:
    """The compact number if it is a valid BIN; else an :class:`IdentifierError` subclass."""
    if not (type(number) is str and len(number) == 12 and number.isascii() and number.isdigit()):  # else already compact
        number = compact(number)
        check_twelve_digits(number, "a BIN")
    if not "01" <= number[2:4] <= "12":  # two ASCII digits: compared as text, as their number
        raise InvalidComponent(f"{number}: registration month {number[2:4]} does not exist")
    if number[4] not in ENTITY_TYPES:
        raise InvalidFormat(
            f"{number}: type digit (5th) is {number[4]}, expected 4, 5 or 6"
            + (" (this looks like an IIN)" if number[4] in "0123" else "")
        )
    if number[5] not in ATTRIBUTES:
        raise InvalidFormat(f"{number}: attribute digit (6th) is {number[5]}, expected 0, 1, 2 or 3")
    check_check_digit(number)
    return number


def is_valid(number: str) -> bool:
    """Whether ``number`` is a valid BIN (never raises for bad input)."""
    try:
        validate(number)
    except IdentifierError:
        return False
    return True


def format(number: str) -> str:  # noqa: A001 - the python-stdnum name
    """The standard presentation: 12 digits, no separators (as printed on registry extracts)."""
    return compact(number)


def decoded(number: str) -> tuple[str, EntityType, Attribute]:
    """The compact number of a valid BIN with its type and attribute (:func:`validate`'s errors
    otherwise), without a model: what the affiliation count reads of every participant's BIN.
    A text is remembered (the last 8,192): a batch or a service meets the same participants again."""
    if type(number) is str:
        return _decoded(number)
    return _decoded_uncached(number)


@lru_cache(maxsize=8192)
def _decoded(number: str) -> tuple[str, EntityType, Attribute]:
    return _decoded_uncached(number)


def _decoded_uncached(number: str) -> tuple[str, EntityType, Attribute]:
    number = validate(number)
    return number, ENTITY_TYPES[number[4]], ATTRIBUTES[number[5]]


def info(number: str, *, earliest_year: int = EARLIEST_YEAR) -> BinInfo:
    """The meaning of the digits of a valid BIN (validates it first).

    ``earliest_year`` settles the two-digit year: see :data:`EARLIEST_YEAR`.
    """
    if isinstance(number, str):  # the usual case: cached, the affiliation check asks for every participant
        return _info(number, earliest_year)
    return _info_uncached(number, earliest_year)


@lru_cache(maxsize=8192)
def _info(number: str, earliest_year: int) -> BinInfo:
    return _info_uncached(number, earliest_year)


def _info_uncached(number: str, earliest_year: int) -> BinInfo:
    number = validate(number)
    two_digits = int(number[:2])
    year = earliest_year + (two_digits - earliest_year) % 100
    return BinInfo(
        number=number,
        registration_year=year,
        registration_month=int(number[2:4]),
        entity_type=ENTITY_TYPES[number[4]],
        attribute=ATTRIBUTES[number[5]],
        serial=number[6:11],
        check_digit=number[11],
    )


__all__ = [
    "ATTRIBUTES",
    "EARLIEST_YEAR",
    "ENTITY_TYPES",
    "BinInfo",
    "compact",
    "decoded",
    "format",
    "info",
    "is_valid",
    "validate",
]
