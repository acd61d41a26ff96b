"""BIN validation: every real BIN in tests/data/kz-bins-real.txt, and invalid ones of each kind."""

from __future__ import annotations

import doctest
from pathlib import Path

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
from clusterpolicy import identifiers
from clusterpolicy.identifiers import bin as kz_bin
from clusterpolicy.identifiers import calc_check_digit

DATA = Path(__file__).parent / "data" / "kz-bins-real.txt"
REAL_BINS = [
    line.strip()
    for line in DATA.read_text("utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


def test_data_file_keeps_its_source_header_and_has_the_real_bins():
    assert DATA.read_text("utf-8").startswith("# Real BINs of Kazakh legal entities")
    assert len(REAL_BINS) == 198
    assert len(set(REAL_BINS)) == 198


@pytest.mark.parametrize("number", REAL_BINS)
def test_every_real_bin_is_valid(number):
    assert kz_bin.validate(number) == number
    assert kz_bin.is_valid(number)


def test_what_the_real_data_contains():
    """The findings recorded in docs/affiliation.md: type 4, attribute 0 or 1, some 9xxxx serials."""
    infos = [kz_bin.info(number) for number in REAL_BINS]
    assert {i.entity_type for i in infos} == {"resident_legal_entity"}
    branches = [i.number for i in infos if i.attribute == "branch"]
    assert branches == ["181141900093"]
    assert sorted(i.number for i in infos if i.serial.startswith("9")) == [
        "171140900016",
        "181141900093",
        "200240900095",
    ]
    assert min(i.registration_year for i in infos) == 1990
    assert max(i.registration_year for i in infos) == 2022


def test_info_of_a_head_organisation():
    info = kz_bin.info("171140900016")
    assert (info.registration_year, info.registration_month) == (2017, 11)
    assert info.entity_type == "resident_legal_entity"
    assert info.attribute == "head_organisation"
    assert info.serial == "90001"
    assert info.check_digit == "6"
    assert info.is_legal_entity


def test_info_of_a_branch_is_not_a_legal_entity():
    info = kz_bin.info("181141900093")
    assert info.attribute == "branch"
    assert not info.is_legal_entity


def test_earliest_year_settles_the_century():
    assert kz_bin.info("900340000028").registration_year == 1990
    assert kz_bin.info("000140001813").registration_year == 2000
    assert kz_bin.info("900340000028", earliest_year=1950).registration_year == 1990
    assert kz_bin.info("000140001813", earliest_year=1901).registration_year == 1900 + 100
    assert kz_bin.info("900340000028", earliest_year=2000).registration_year == 2090


def test_compact_and_format_strip_spaces_and_dashes():
    assert kz_bin.compact(" 9005 4000-0015\u00a0") == "900540000015"
    assert kz_bin.format("900540-000015") == "900540000015"
    assert kz_bin.validate("900 540 000 015") == "900540000015"


def with_check_digit(first_eleven: str) -> str:
    return first_eleven + calc_check_digit(first_eleven)


@pytest.mark.parametrize(
    ("number", "error", "fragment"),
    [
        ("94054000001", InvalidLength, "12 digits"),
        ("9005400000155", InvalidLength, "12 digits"),
        ("", InvalidLength, "12 digits"),
        ("94054000001X", InvalidFormat, "digits 0-9"),
        ("٩٤٠٥٤٠٠٠٠٠١٥", InvalidFormat, "digits 0-9"),  # Arabic-Indic digits are not BIN digits
        (with_check_digit("94134000001"), InvalidComponent, "month 13"),
        (with_check_digit("94004000001"), InvalidComponent, "month 00"),
        (with_check_digit("94057000001"), InvalidFormat, "type digit"),
        (with_check_digit("94052000001"), InvalidFormat, "looks like an IIN"),
        (with_check_digit("94054500001"), InvalidFormat, "attribute digit"),
        ("900540000016", InvalidChecksum, "expected 5"),
        # 94054001190: both weightings give remainder 10, so no check digit exists.
        ("940540011900", InvalidChecksum, "no check digit exists"),
    ],
)
def test_invalid_bins_raise_the_typed_error(number, error, fragment):
    with pytest.raises(error, match=fragment) as caught:
        kz_bin.validate(number)
    assert isinstance(caught.value, IdentifierError)
    assert caught.value.code == error.code
    assert not kz_bin.is_valid(number)


def test_a_non_text_bin_is_an_invalid_format_not_a_type_error():
    with pytest.raises(InvalidFormat, match="as text"):
        kz_bin.validate(900540000015)  # type: ignore[arg-type]
    assert not kz_bin.is_valid(None)  # type: ignore[arg-type]


def test_an_iin_is_not_a_bin():
    assert not kz_bin.is_valid("900101300017")


@given(st.sampled_from(REAL_BINS), st.integers(1, 9))
def test_any_other_last_digit_of_a_real_bin_is_a_checksum_error(number, delta):
    wrong = number[:11] + str((int(number[11]) + delta) % 10)
    with pytest.raises(InvalidChecksum):
        kz_bin.validate(wrong)


def _check_digit_by_definition(first_eleven: str) -> str | None:
    """The check digit as the layout defines it, digit by digit (None: no number has these 11 digits)."""
    digits = [int(c) for c in first_eleven]
    for weights in (range(1, 12), [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]):
        remainder = sum(w * d for w, d in zip(weights, digits)) % 11
        if remainder != 10:
            return str(remainder)
    return None


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_the_check_digit_read_from_character_codes_is_the_definitions(first_eleven):
    expected = _check_digit_by_definition(first_eleven)
    if expected is None:
        with pytest.raises(InvalidChecksum):
            calc_check_digit(first_eleven)
    else:
        assert calc_check_digit(first_eleven) == expected


def test_the_check_digit_of_other_digits_and_lengths_is_computed_digit_by_digit():
    arabic_indic = "".join(chr(0x0660 + int(c)) for c in "94014000038")  # int() reads them; their codes are not 48 + the digit
    assert calc_check_digit(arabic_indic) == calc_check_digit("94014000038") == "5"
    assert calc_check_digit("9401400003") == _check_digit_by_definition("9401400003")  # ten digits: weights 1..10


@pytest.mark.slow
@given(st.text(max_size=20))
def test_is_valid_never_raises(text):
    assert kz_bin.is_valid(text) in (True, False)


def test_doctests_of_the_identifier_modules():
    from clusterpolicy.identifiers import names

    for module in (identifiers, kz_bin, names):
        result = doctest.testmod(module, raise_on_error=False, verbose=False)
        assert result.attempted > 0
        assert result.failed == 0, module.__name__


def test_decoded_gives_the_number_type_and_attribute_and_validates_as_validate_does():
    assert kz_bin.decoded("1811 4190 0093") == ("181141900093", "resident_legal_entity", "branch")
    assert kz_bin.decoded("181141900093") is kz_bin.decoded("181141900093")  # remembered
    for _ in range(2):  # an error is not remembered: raised again
        with pytest.raises(InvalidChecksum):
            kz_bin.decoded("000140001814")
    with pytest.raises(InvalidFormat):
        kz_bin.decoded(181141900093)  # not text: not remembered either
