"""An input error reads in the language asked for: ``--lang kk`` and ``--lang ru`` word the
validation of an application (pydantic's checks and the models' own), a missing file and a JSON
syntax error in the catalogue's words (``pydantic_error.*``, ``input_error.*``), English stays
pydantic's own message byte for byte, and what the catalogue does not word keeps its English."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal, Union

import pytest
import yaml
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from clusterpolicy.core import l10n
from clusterpolicy.core.errors import ClusterPolicyError, InputError, OneOf
from clusterpolicy.core.l10n import TextError, error_message
from clusterpolicy.core.sources import WORDED_TYPES, Document, validate
from clusterpolicy.input.loading import parse_application
from clusterpolicy.output.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "competition-2017" / "01-karaganda-construction.yaml"


class _A(BaseModel):
    kind: Literal["a"]


class _B(BaseModel):
    kind: Literal["b"]


class _Sub(BaseModel):
    x: int


class _Every(BaseModel):
    """A field for each error type the catalogue words."""

    model_config = ConfigDict(extra="forbid")
    l: list[int] = []
    d: dict[str, int] = {}
    s: _Sub | None = None
    st: str = ""
    short: Annotated[str, Field(min_length=2)] = "aa"
    one: Annotated[str, Field(min_length=1)] = "a"
    long: Annotated[str, Field(max_length=1)] = ""
    i: int = 0
    f: float = 0
    de: Decimal = Decimal(0)
    b: bool = True
    da: dt.date = dt.date(2000, 1, 1)
    dat: dt.datetime = dt.datetime(2000, 1, 1)
    aware: AwareDatetime | None = None
    lit: Literal["x", "y", "z"] = "x"
    gt: Annotated[Decimal, Field(gt=Decimal("0.5"))] = Decimal(1)
    ge: Annotated[int, Field(ge=0)] = 1
    lt: Annotated[int, Field(lt=0)] = -1
    le: Annotated[int, Field(le=0)] = 0
    few: Annotated[list[int], Field(min_length=2)] = [1, 2]
    many: Annotated[list[int], Field(max_length=1)] = []
    tagged: Annotated[Union[_A, _B], Field(discriminator="kind")] | None = None
    required: int


class _Colour(str):
    pass


WRONG = {  # one wrong value per field: every worded type is met at least once
    "l": "x", "d": 1, "s": 1, "st": 1, "short": "a", "one": "", "long": "ab", "i": "x", "f": "x", "de": [1], "b": "maybe",
    "da": "2020-13-01", "dat": "x", "aware": "2020-01-01T10:00", "lit": "w", "gt": "0.5", "ge": -1, "lt": 0, "le": 1,
    "few": [1], "many": [1, 2], "tagged": {"kind": "c"}, "unknown": 1,
}  # fmt: skip
MORE = [{"i": 1.5}, {"i": [1]}, {"f": [1]}, {"de": "x"}, {"b": [1]}, {"da": [1]}, {"da": "2020-01-01T10:00"}, {"dat": [1]}, {"tagged": {}}, {"da": "2020-01-0"}]


def _errors(data: dict) -> list[ClusterPolicyError]:
    with pytest.raises(InputError) as caught:
        validate(_Every, Document(data, "x.json"))
    return caught.value.details


def _all_errors() -> list[ClusterPolicyError]:
    found = _errors(WRONG)
    for extra in MORE:
        found += [error for error in _errors({"required": 1, **extra})]
    return found


def test_every_worded_type_is_met_and_english_is_pydantics_own_message():
    found = _all_errors()
    met = {error.code for error in found}
    # enum's words are literal_error's (no enum field here); date_parsing and datetime_parsing
    # come only in strict mode (a text is read as "date or datetime" otherwise)
    assert set(WORDED_TYPES) - {"enum", "date_parsing", "datetime_parsing"} <= met
    for error in found:
        assert error_message(error, "en") == error.message  # English is the message pydantic (or the library) wrote
        if error.code in WORDED_TYPES:
            (key, values), *rest = error.parts
            english = l10n.gettext(key, "en")
            # the catalogue's English is pydantic's template: filled as pydantic fills it, it is the message
            plural = {"expected_plural": "" if values.get("min_length", values.get("max_length")) == 1 else "s"}
            assert error.message.startswith(english.format(**{"field_type": "List"} | plural | values)), error.message


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_kk_and_ru_word_every_worded_type_without_english(lang):
    for error in _all_errors():
        text = error_message(error, lang)
        assert text != error.message
        # no English word is left: what is Latin is the input's own value, a field's name, a format
        words = re.findall(r"[A-Za-z]{3,}", re.sub(r"'[^']*'|\([A-Z]+\)|\+\d\d:\d\d", "", text))
        assert [word for word in words if word not in {"true", "false", "kind", "YYYY", "HH"}] == [], text


def test_numbers_take_the_languages_decimal_comma():
    (error,) = [error for error in _errors({"required": 1, "gt": "0.25"}) if error.code == "greater_than"]
    assert error.message == "Input should be greater than 0.5 (got '0.25')"
    assert error_message(error, "ru") == "значение должно быть больше 0,5 (указано: '0.25')"
    assert error_message(error, "kk") == "мән 0,5 санынан үлкен болуы тиіс (көрсетілгені: '0.25')"


def test_one_of_ends_with_the_languages_or():
    expected = OneOf("'x', 'y' or 'z'")
    assert expected.in_language("en") == "'x', 'y' or 'z'"
    assert expected.in_language("ru") == "'x', 'y' или 'z'"
    assert expected.in_language("kk") == "'x', 'y' немесе 'z'"


def test_a_models_own_refusal_is_worded_by_its_key():
    error = TextError("input_error.period_reversed")
    assert str(error) == "the period ends before it starts"
    data = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    data["participants"][1]["id"] = data["participants"][0]["id"]
    with pytest.raises(InputError) as caught:
        parse_application(json.dumps(data, default=str), name="a.json")
    (detail,) = [d for d in caught.value.details or [caught.value] if d.code == "value_error"]
    assert detail.message.startswith("Value error, participant ids must be unique; repeated: ")
    assert error_message(detail, "ru").startswith("идентификаторы участников не должны повторяться; повторяются: ")
    assert error_message(detail, "kk").startswith("қатысушылардың сәйкестендіргіштері қайталанбауы тиіс; қайталанғандары: ")


def test_a_region_that_did_not_exist_yet_is_named_in_the_language():
    data = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    data["region"] = "turkestan"  # formed in 2018; the application is of 2017
    with pytest.raises(InputError) as caught:
        parse_application(json.dumps(data, default=str), name="a.json")
    assert "turkestan (Turkestan region) did not exist yet on 2017-" in caught.value.message
    assert "Түркістан облысы (turkestan) атауы 2017-" in error_message(caught.value, "kk")
    assert "Туркестанская область (turkestan) — название, ещё не действовавшее на 2017-" in error_message(caught.value, "ru")


def _bad_application(tmp_path: Path) -> Path:
    data = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    del data["cluster_name"]
    data["participants"] = "oops"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False, default=str), "utf-8")
    return path


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["error: ", "cluster_name: Field required (and 1 more)", "participants: Input should be a valid list (got 'oops')"]),
        ("ru", ["ошибка: ", "cluster_name: обязательное поле не заполнено (и ещё 1)", "participants: ожидается список (указано: 'oops')"]),
        ("kk", ["қате: ", "cluster_name: міндетті өріс толтырылмаған (тағы 1)", "participants: тізім күтіледі (көрсетілгені: 'oops')"]),
    ],
)
def test_the_command_line_prints_the_error_in_the_language(tmp_path, capsys, lang, expected):
    assert main(["evaluate", str(_bad_application(tmp_path)), "--lang", lang]) == 2
    err = capsys.readouterr().err
    assert err.startswith(expected[0])
    for part in expected[1:]:
        assert part in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "error: {}: no such file or folder"), ("ru", "ошибка: {}: нет такого файла или папки"), ("kk", "қате: {}: мұндай файл немесе қалта жоқ")],
)
def test_a_missing_file_is_said_in_the_language(tmp_path, capsys, lang, expected):
    missing = tmp_path / "nowhere.json"
    assert main(["evaluate", str(missing), "--lang", lang]) == 2
    assert capsys.readouterr().err.strip() == expected.format(missing)


def test_json_syntax_keeps_the_readers_detail_under_the_languages_words(tmp_path, capsys):
    path = tmp_path / "broken.json"
    path.write_text('{"a": }', "utf-8")
    assert main(["evaluate", str(path), "--lang", "ru"]) == 2
    assert capsys.readouterr().err.strip() == f"ошибка: {path}:1: ошибка синтаксиса JSON: Expecting value"


STAGE_2 = EXAMPLE.parents[1] / "competition-2017-stage2" / "s2-01-karaganda-construction.yaml"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "error: {}:4: stage: stage 2 is not a stage of the act of pack kz-2017-kiri-methodology (its stages: 1)"),
        ("ru", "ошибка: {}:4: stage: этапа 2 нет в применённом акте (Методология реализации кластерной политики); его этапы: 1"),
        ("kk", "қате: {}:4: stage: қолданылған актіде (Кластерлік саясатты іске асыру әдістемесі) 2-кезең жоқ; оның кезеңдері: 1"),
    ],
)
def test_a_stage_the_act_lacks_is_said_in_the_language_with_the_acts_name(capsys, lang, expected):
    """A stage-2 application evaluated alone falls under the act in force on its day, whose procedure
    has stage 1 only: kk and ru name the act by its title, not the pack's id."""
    assert main(["evaluate", str(STAGE_2), "--lang", lang]) == 2
    assert capsys.readouterr().err.strip() == expected.format(STAGE_2)


@pytest.mark.parametrize(
    ("registered", "lang", "expected"),
    [
        ("1970-01-01", "en", "1970-01-01 is outside the working calendar (2000-01-01..2040-12-31)"),
        ("1970-01-01", "ru", "дата 1 января 1970 г. — вне рабочего календаря (с 1 января 2000 г. по 31 декабря 2040 г.)"),
        ("1970-01-01", "kk", "1970 жылғы 1 қаңтар жұмыс күнтізбесінің шегінен тыс (2000 жылғы 1 қаңтардан бастап 2040 жылғы 31 желтоқсанға дейін)"),
        ("2040-12-28", "en", "the term counted from 2040-12-28 runs past the end of the working calendar (2040-12-31)"),
        ("2040-12-28", "ru", "срок, исчисляемый с 28 декабря 2040 г., выходит за пределы рабочего календаря (по 31 декабря 2040 г.)"),
        ("2040-12-28", "kk", "2040 жылғы 28 желтоқсаннан бастап есептелетін мерзім жұмыс күнтізбесінің шегінен шығады (2040 жылғы 31 желтоқсанға дейін)"),
    ],
)
def test_a_term_from_a_date_outside_the_calendar_names_the_field_and_its_line(tmp_path, capsys, registered, lang, expected):
    """A term counted from a date the working calendar does not hold (a validated application:
    ``request_registered_on: 0`` is 1970-01-01) cannot be judged: the evaluation stops with the
    date's field and line, in the language asked, not a rule's verdict nor an unlocated error."""
    data = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    data["akimat_conclusion"]["request_registered_on"] = registered
    path = tmp_path / "application.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    line = next(number for number, text in enumerate(path.read_text("utf-8").splitlines(), 1) if "request_registered_on" in text)
    assert main(["evaluate", str(path), "--lang", lang, "--pack", "kz-2015-decree-535"]) == 2
    word = {"en": "error", "ru": "ошибка", "kk": "қате"}[lang]
    assert capsys.readouterr().err.strip() == f"{word}: {path}:{line}: akimat_conclusion.request_registered_on: {expected}"


@pytest.mark.parametrize(
    ("field", "path"),
    [
        ("akimat_conclusion.request_registered_on", ("akimat_conclusion", "request_registered_on")),
        ("application.akimat_conclusion.request_registered_on", ("akimat_conclusion", "request_registered_on")),
        ("records.rows.0.day", ("records", "rows", 0, "day")),
    ],
)
def test_a_term_outside_the_calendar_is_located_at_the_path_its_check_reads(field, path):
    """The error names the field as the check reads its path: an ``application.`` prefix is the
    application itself (not a field of it named ``application``), a numeric step an index."""
    from clusterpolicy.checks.kinds.time import _outside_calendar

    error = _outside_calendar(field, dt.date(1970, 1, 1), None)
    assert error.location.path == path
    assert error.code == "outside_calendar"
