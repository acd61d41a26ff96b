"""The catalogue of the library's own words (src/clusterpolicy/core/locale/*.yaml) is one key set.

As vacanza/holidays' tests/test_l10n.py: kk, ru and en have the same keys and the same
placeholders per key; no value is empty; every key the code asks for exists; every key of the
catalogue is used, either literally in src/ or as a member of a family the code builds a key
from (``status.{status}``, ``field.{path}``...), and each family holds exactly the values of
its source (the models' enums, the rule kinds' outcomes and severities, the packs' fields).
"""

from __future__ import annotations

import re
import string
from enum import Enum
from pathlib import Path
from typing import get_type_hints, get_args

import pytest
import yaml
from pydantic import BaseModel

from clusterpolicy.checks.affiliation import GROUPINGS
from clusterpolicy.checks.kinds import AllStated, EachItemComplete, EachItemHas, Outcome
from clusterpolicy.checks.rule import Severity
from clusterpolicy.checks.results import Status
from clusterpolicy.core import l10n
from clusterpolicy.core.errors import IdentifierError
from clusterpolicy.core.sources import WORDED_TYPES
from clusterpolicy.checks.form_types import family as _family
from clusterpolicy.input import decree535_form as models
from clusterpolicy.packs import available_packs, load_pack
from clusterpolicy.procedure.timeline import TimeLimit
from clusterpolicy.calendar.terms import Unit
from clusterpolicy.calendar.working_calendar import WarningCode

SRC = Path(__file__).resolve().parents[1] / "src" / "clusterpolicy"
LOCALE = SRC / "core" / "locale"
LANGS = ("kk", "ru", "en")


def catalogue(lang: str) -> dict[str, str]:
    return yaml.safe_load((LOCALE / f"{lang}.yaml").read_text("utf-8"))


ENGLISH_ONLY = {"pack", "error", "class_name", "expected_plural", "field_type"}
"""Placeholders only English shows (a pack's id; pydantic's own English detail of a validation
error, a model class's name, its plural ending); a Kazakh or Russian text may leave them out."""

CASED = {
    key: {"due": l10n.DatedText("1", None, "kk")} for key in ("report.review.sent", "report.outcome.reannouncement_due")
}
"""Keys whose Kazakh text asks a date for its case (``{due:abl}``): filled with a date text, as the documents do."""


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def source() -> str:
    return "\n".join(path.read_text("utf-8") for path in sorted(SRC.rglob("*.py")))


def test_every_language_has_the_same_keys():
    keys = {lang: set(catalogue(lang)) for lang in LANGS}
    for lang in ("kk", "ru"):
        assert keys[lang] - keys["en"] == set(), f"{lang} has keys en lacks"
        assert keys["en"] - keys[lang] == set(), f"{lang} lacks keys of en"


@pytest.mark.parametrize("lang", ("kk", "ru"))
def test_every_key_has_the_same_placeholders(lang):
    english, other = catalogue("en"), catalogue(lang)
    differ = {key: (placeholders(other[key]), placeholders(text)) for key, text in english.items() if placeholders(other[key]) != placeholders(text)}
    # a date is written from the same four values, each language taking the ones it writes
    dates = {key for key in differ if key.startswith("date.") and set().union(*differ[key]) <= {"day", "month", "month_name", "year"}}
    # a pack's id is for English readers (scripts); Kazakh and Russian name the act instead (docs/style-kk-ru.md)
    ids = {key for key in differ if differ[key][1] - differ[key][0] <= ENGLISH_ONLY and differ[key][0] <= differ[key][1]}
    assert {key: value for key, value in differ.items() if key not in dates | ids} == {}


@pytest.mark.parametrize("lang", LANGS)
def test_no_value_is_empty_and_every_value_formats(lang):
    for key, text in catalogue(lang).items():
        assert isinstance(text, str) and text.strip(), key
        cased = {name: l10n.DatedText("1", None, lang) for _, name, spec, _ in string.Formatter().parse(text) if name and spec in l10n.CASES}
        text.format(**{name: 1 for name in placeholders(text)} | CASED.get(key, {}) | cased)  # no broken brace


def _literal_keys(code: str) -> set[str]:
    """Keys the code asks for by a literal: gettext("x"), _t("x"), t("x"), "x" if ... else "y"."""
    calls = re.findall(r"""\b(?:gettext|_t|t)\(\s*["']([a-z_0-9]+(?:\.[a-z_0-9]+)+)["']""", code)
    conditional = re.findall(r"""gettext\(\s*["']([a-z_.]+)["'] if [^)]* else ["']([a-z_.]+)["']""", code)
    return set(calls) | {key for pair in conditional for key in pair}


def _prefixes(code: str) -> set[str]:
    """Prefixes of keys the code builds: f"status.{...}", f'timeline.kind.{...}', "competition." + x."""
    built = re.findall(r"""\b(?:gettext|_t|t|has|count|TextError)\(\s*f["']([a-z_]+(?:\.[a-z_0-9]+)*\.?[a-z_0-9]*)\{""", code)
    joined = re.findall(r"""\b(?:gettext|_t|t|has|count)\(\s*["']([a-z_]+(?:\.[a-z_]+)*\.)["']\s*\+""", code)
    return set(built) | set(joined)


def test_every_key_the_code_asks_for_exists():
    code, keys = source(), set(catalogue("en"))
    missing = sorted(key for key in _literal_keys(code) if key not in keys)
    assert missing == []
    for prefix in _prefixes(code):
        assert any(key.startswith(prefix) for key in keys), prefix


def _values(annotation) -> set[str]:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return {member.value for member in annotation}
    return set(get_args(annotation))


def _pack_field_paths() -> set[str]:
    """Every field path a rule of a shipped pack reads or reports (checks, ``when``, missing fields)."""
    paths: set[str] = set()
    for pack_id in available_packs():
        for rule in load_pack(pack_id).rules:
            check = rule.check
            if isinstance(check, AllStated):
                paths |= {f"{check.base}.{field}" if check.base else field for field in check.fields}
            for name in ("field", "timestamp", "deadline", "start", "end", "collection", "other"):
                if isinstance(getattr(check, name, None), str):
                    relative = name == "field" and isinstance(getattr(check, "collection", None), str)  # a field of the items
                    paths.add(f"{check.collection}.{check.field}" if relative else getattr(check, name))
            if rule.when is not None:
                paths |= set(rule.when.fields())
            condition = getattr(check, "condition", None)
            if condition is not None:
                paths |= set(condition.fields())
    return paths


def _element_names() -> set[str]:
    return {
        name
        for pack_id in available_packs()
        for rule in load_pack(pack_id).rules
        if isinstance(rule.check, (EachItemHas, EachItemComplete))
        for name in rule.check.elements
    } | {"year"}  # element.year: a year's column of indicators (each_item_complete)


FAMILIES = {
    # family prefix: the values it must hold exactly
    "status.": lambda: set(get_args(Status)),
    "outcome.": lambda: set(get_args(Outcome)),
    "severity.": lambda: set(get_args(Severity)),
    "participant_kind.": lambda: _values(models.ParticipantKind),
    "legal_status.": lambda: _values(models.LegalStatus),
    "activity_category.": lambda: _values(models.ActivityCategory),
    "funding_source.": lambda: _values(models.FundingSource),
    "akimat_level.": lambda: set(get_args(models.AkimatLevel)),  # an akimat's level in a remedy: «облыстың жергілікті атқарушы органы»
    "warning.": lambda: set(get_args(WarningCode)),
    "timeline.kind.": lambda: set(get_args(TimeLimit.model_fields["kind"].annotation)),
    "month.": lambda: {str(month) for month in range(1, 13)},
    "element.": lambda: _element_names() | {"activity", "volume"},
    "grouping.": lambda: set(GROUPINGS),
    "identifier_problem.": lambda: {"missing_bin"} | {cls.code for cls in (IdentifierError, *IdentifierError.__subclasses__())},
    "pydantic_error.": lambda: set(WORDED_TYPES),
    "input_error.repeated.": lambda: set(re.findall(r"""require_unique\(.*, "([a-z_]+)"\)""", source())),
}


@pytest.mark.parametrize("prefix", sorted(FAMILIES))
def test_a_family_holds_exactly_the_values_of_its_source(prefix):
    keys = {key[len(prefix):] for key in catalogue("en") if key.startswith(prefix) and "." not in key[len(prefix):]}
    assert keys == FAMILIES[prefix]()


def test_units_have_every_plural_form_of_every_unit():
    keys = {key for key in catalogue("en") if key.startswith("unit.")}
    forms = ("one", "few", "many")
    terms = {f"unit.{unit.value}.{form}{case}" for unit in Unit for form in forms for case in ("", ".gen")}  # .gen: «в течение 3 рабочих дней»
    counted = {f"unit.{noun}.{form}" for noun in ("points", "applications") for form in forms}  # «89,50 балла», «5 заявок»
    assert keys == terms | counted


def test_field_labels_are_the_fields_the_packs_read_and_resolve_on_the_models():
    labelled = {key[len("field."):] for key in catalogue("en") if key.startswith("field.")}
    needed = {path[: -len(".present")] if path.endswith(".present") else path for path in _pack_field_paths()}
    needed = {".".join(part for part in path.split(".") if not part.isdigit()) for path in needed}
    assert needed - labelled == set(), "a field a rule reads has no label"
    for path in labelled:
        head, *rest = path.split(".")
        model = models.Competition if head == "competition" else models.Application
        parts = rest if head == "competition" else [head, *rest]
        for part in parts:
            if isinstance(getattr(model, part, None), property):  # a value the model derives, which rules may read (checks/form_types.py)
                annotation = get_type_hints(getattr(model, part).fget).get("return")
                if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
                    break
                model = annotation
                continue
            assert part in model.model_fields, path
            annotation = model.model_fields[part].annotation
            inner = [a for a in get_args(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
            model = inner[0] if inner else annotation


@pytest.mark.slow
def test_every_key_of_the_catalogue_is_used():
    code = source()
    used = _literal_keys(code) | {key for key in catalogue("en") if f'"{key}"' in code or f"'{key}'" in code}
    prefixes = _prefixes(code) | set(FAMILIES)
    unused = sorted(key for key in catalogue("en") if key not in used and not any(key.startswith(p) for p in prefixes))
    assert unused == []


def test_the_pack_vocabulary_names_every_document_kind_and_applicant_type():
    for pack_id in available_packs():
        vocabulary = load_pack(pack_id).vocabulary
        assert set(vocabulary["document_kinds"]) == _values(models.DocumentKind)
        assert set(vocabulary["applicant_types"]) == _values(models.ApplicantType)
        assert _family("applicant.type") == "applicant_types" and _family("documents.0.kind") == "document_kinds"


@pytest.mark.parametrize(
    ("n", "ru", "kk", "en"),
    [
        (1, "1 рабочий день", "1 жұмыс күні", "1 working day"),
        (2, "2 рабочих дня", "2 жұмыс күні", "2 working days"),
        (5, "5 рабочих дней", "5 жұмыс күні", "5 working days"),
        (11, "11 рабочих дней", "11 жұмыс күні", "11 working days"),
        (21, "21 рабочий день", "21 жұмыс күні", "21 working days"),
        (24, "24 рабочих дня", "24 жұмыс күні", "24 working days"),
        (112, "112 рабочих дней", "112 жұмыс күні", "112 working days"),
    ],
)
def test_counts_agree_with_every_number(n, ru, kk, en):
    assert (l10n.count(n, "unit.working_days", "ru"), l10n.count(n, "unit.working_days", "kk")) == (ru, kk)
    assert l10n.count(n, "unit.working_days", "en") == en


@pytest.mark.parametrize(
    ("value", "kk", "ru", "en"),
    [
        ("1:30:00", "1 сағ 30 мин", "1 ч 30 мин", "1 h 30 min"),
        ("2 days, 0:00:05", "2 тәул 5 сек", "2 сут 5 с", "2 d 5 s"),
        ("1 day, 3:00:00", "1 тәул 3 сағ", "1 сут 3 ч", "1 d 3 h"),
        ("0:00:00", "0 сек", "0 с", "0 s"),
        ("not a duration", "not a duration", "not a duration", "not a duration"),
    ],
)
def test_durations_read_as_people_write_them(value, kk, ru, en):
    assert [l10n.duration(value, lang) for lang in LANGS] == [kk, ru, en]


def test_dates_as_people_write_them():
    assert [l10n.date("2017-03-01", lang) for lang in LANGS] == ["2017 жылғы 1 наурыз", "1 марта 2017 г.", "2017-03-01"]
    assert [l10n.date("2017-03-01", lang, short=True) for lang in LANGS] == ["01.03.2017", "01.03.2017", "2017-03-01"]
    assert l10n.date("2017-06-08T19:30:00+06:00", "kk") == "2017 жылғы 8 маусым, сағат 19:30"
    assert l10n.date(None, "ru") == "—" and l10n.date("____", "ru") == "____"


def test_labels_fall_back_to_what_is_written():
    assert l10n.field_label("concept.conditions.raw_materials", "ru") == "сырьё и природные ресурсы"
    assert l10n.field_label("strategy.innovation_strategy.present", "kk") == "инновациялық стратегия"
    assert l10n.field_label("application.binding.volumes", "en") == "volumes"
    assert l10n.field_label("no.such.field", "kk") == "no.such.field"
    assert l10n.label("local_budget", "funding_source", "kk") == "жергілікті бюджет"
    assert l10n.label(True, "funding_source", "ru") == "да" and l10n.yes_no(None, "kk") == "-"
    assert l10n.label("unheard_of", "funding_source", "ru") == "unheard_of"
