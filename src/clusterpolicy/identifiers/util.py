"""Helpers shared by the identifier modules (as python-stdnum's ``util``): the check digit
common to BIN and IIN, the checks of its twelve digits, and cleaning a number of blanks and dashes.

>>> calc_check_digit("94014000038")
'5'
>>> clean_digits(" 940 140-000 385 ", "BIN")
'940140000385'
"""

from __future__ import annotations

from operator import mul
from typing import Any

from ..core.errors import InvalidChecksum, InvalidFormat, InvalidLength

_FIRST_WEIGHTS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
assert sum(_FIRST_WEIGHTS) % 11 == sum(_SECOND_WEIGHTS) % 11 == 0  # what :func:`calc_check_digit` reads character codes by


def calc_check_digit(first_eleven: str) -> str:
    """The check digit of a BIN or IIN, from its first 11 digits.

    The digits are weighted 1..11 and summed modulo 11; if that gives 10, they are weighted
    again 3..11, 1, 2; if that also gives 10 the number cannot exist (no number is issued
    with such a serial) and :class:`~clusterpolicy.core.errors.InvalidChecksum` is raised.
    """
    if len(first_eleven) == 11 and first_eleven.isascii() and first_eleven.isdigit():
        # the usual case: the digits' character codes (48 + the digit) weighted, without an int()
        # per digit; each weighting's weights add up to 66, so the 48s add 48 * 66, a multiple of 11
        digits: Any = first_eleven.encode()
    else:
        digits = list(map(int, first_eleven))
    remainder = sum(map(mul, _FIRST_WEIGHTS, digits)) % 11  # map stops at the shorter, as zip does
    if remainder == 10:
        remainder = sum(map(mul, _SECOND_WEIGHTS, digits)) % 11
        if remainder == 10:
            raise InvalidChecksum(
                f"{first_eleven}: no check digit exists for these 11 digits (both weightings give 10)"
            )
    return "0123456789"[remainder]


def clean_digits(number: object, kind: str) -> str:
    """``number`` without spaces, dashes and surrounding blanks (shared by both ``compact``)."""
    if not isinstance(number, str):
        raise InvalidFormat(f"a {kind} must be given as text, not {type(number).__name__}")
    return "".join(number.split()).replace("-", "")


def check_twelve_digits(number: str, named: str) -> None:
    """``number`` is 12 digits 0-9, else :class:`InvalidLength` or :class:`InvalidFormat`
    (``named``: "a BIN", "an IIN", as the message says it)."""
    if len(number) != 12:
        raise InvalidLength(f"{number!r}: {named} has 12 digits, this has {len(number)} characters")
    if not (number.isascii() and number.isdigit()):
        raise InvalidFormat(f"{number!r}: {named} has only the digits 0-9")


def check_check_digit(number: str) -> None:
    """The 12th digit of ``number`` is the check digit of the first 11, else :class:`InvalidChecksum`."""
    expected = calc_check_digit(number[:11])
    if number[11] != expected:
        raise InvalidChecksum(f"{number}: the check digit is {number[11]}, expected {expected}")
