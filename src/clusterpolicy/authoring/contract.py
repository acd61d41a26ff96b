"""The contract every rule pack passes (as vacanza/holidays' ``CommonCountryTests``).

Needs the ``test`` extra (pytest). A compliance team runs it on its own pack folder::

    # tests/test_my_pack.py
    from clusterpolicy.authoring.contract import PackContract

    class TestMyPack(PackContract):
        pack = "rules/my-pack"          # a folder, a shipped pack id, or a loaded RulePack

and ``python -m pytest tests/test_my_pack.py``. The contract checks that

- the pack loads;
- every rule has at least one YAML case (``tests/*.yaml`` of the pack, see
  :mod:`clusterpolicy.authoring.rule_cases`) where it passes and one where it fails, and every
  case's expectation holds;
- every ``quote:`` is the act's own words, where the pack ships the act's text as
  ``source/<source language>.txt`` (compared without spaces, line breaks and Markdown marks,
  as the published text spaces out some words letter by letter); a pack without it skips the
  check, saying so;
- every rule's message renders in kk, ru and en with the values a failing case produces (no
  ``{placeholder}`` left unfilled), and the kk and ru renderings contain no English id
  (snake_case word, enum value of the input models, ``H:MM:SS`` duration, yes/no).

A pack that ``extends`` another inherits its cases and its text through that declaration: a
parent's case runs under the child with the expectations of the rules the child inherits
unchanged, with the same values of the parameters they use (and its expected status only when
the child changes no rule); a rule the child adds or changes needs cases of the child's own.

Each check is also a plain function that returns the problems it found (``case_problems``,
``coverage_problems``, ``quote_problems``, ``render_problems``, ``english_id_problems``), for
use outside pytest.
"""

from __future__ import annotations

import re
import string
import typing
import warnings
from enum import Enum
from pathlib import Path
from typing import Any, Iterator

import pytest
from pydantic import BaseModel

from ..core.i18n import LANGUAGES
from ..input import decree535_form as models
from ..packs import RulePack
from .quotes import number_problems, quote_problems
from .stand_ins import stand_in_problems
from .rule_cases import evaluate_case
from .suite import InheritedCase, case_problems, coverage_problems, load, pack_cases, parent

__all__ = [
    "PackContract",
    "InheritedCase",
    "load",
    "parent",
    "model_words",
    "pack_cases",
    "case_problems",
    "coverage_problems",
    "quote_problems",
    "number_problems",
    "stand_in_problems",
    "failing_runs",
    "render_problems",
    "english_id_problems",
    "english_ids",
]


# The pack, its folder, its cases, case_problems and coverage_problems live in .suite (no pytest
# there: the ``clusterpolicy test`` command runs them); they are imported here under their old names.


# --------------------------------------------------------------------------- quotes

# quote_problems and number_problems live in .quotes (no pytest there: ``clusterpolicy check`` runs them).


# --------------------------------------------------------------------------- messages


_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?:[.\[][^{}]*)?(?:![rsa])?(?::[^{}]*)?\}")


def _placeholders(template: str) -> set[str]:
    names = set()
    for _, field, _, _ in string.Formatter().parse(template):
        if field:
            names.add(re.split(r"[.\[]", field, maxsplit=1)[0])
    return names


def failing_runs(pack: RulePack, cases: list[InheritedCase] | None = None) -> list[tuple[str, InheritedCase, dict[str, Any]]]:
    """(rule id, case, its result by language) for the first case where each rule is expected to fail."""
    return list(_failing_runs(pack, pack_cases(pack) if cases is None else cases))


def _failing_runs(pack: RulePack, cases: list[InheritedCase]) -> Iterator[tuple[str, InheritedCase, dict[str, Any]]]:
    done = set()
    for item in cases:
        failing = [rule for rule, outcome in item.loaded.case.expect.outcomes.items() if outcome == "failed" and rule not in done]
        if not failing:
            continue
        try:
            by_lang = {lang: evaluate_case(item.loaded, pack=pack, lang=lang) for lang in LANGUAGES}
        except Exception:  # reported by case_problems
            continue
        for rule_id in failing:
            results = {lang: next((r for r in result.results if r.rule_id == rule_id), None) for lang, result in by_lang.items()}
            if all(r is not None and r.outcome == "failed" for r in results.values()):
                done.add(rule_id)
                yield rule_id, item, results


def render_problems(pack: RulePack, runs: list[tuple[str, InheritedCase, dict[str, Any]]] | None = None) -> list[str]:
    """Messages that do not render with the values of a failing case: a placeholder the check
    does not report and no parameter fills, or a ``{placeholder}`` left in the text."""
    problems = []
    rules = {rule.id: rule for rule in pack.rules}
    for rule_id, item, results in failing_runs(pack) if runs is None else runs:
        for lang, result in results.items():
            where = f"rule {rule_id} ({lang}, case {item.test_id})"
            if not result.message:
                problems.append(f"{where}: no message")
                continue
            known = set(result.observed) | set(result.parameters)
            unfilled = sorted(_placeholders(rules[rule_id].message.get(lang)) - known)
            if unfilled:
                problems.append(f"{where}: no value for {', '.join('{' + name + '}' for name in unfilled)}")
            left = _PLACEHOLDER.findall(result.message)
            if left and not unfilled:
                problems.append(f"{where}: left unfilled: {', '.join(left)} in {result.message!r}")
    return problems


def _literal_words(annotation: Any) -> Iterator[str]:
    if typing.get_origin(annotation) is typing.Literal:
        yield from (arg for arg in typing.get_args(annotation) if isinstance(arg, str))
    elif isinstance(annotation, type) and issubclass(annotation, Enum):
        yield from (str(member.value) for member in annotation)
    else:
        for arg in typing.get_args(annotation):
            yield from _literal_words(arg)


def model_words() -> frozenset[str]:
    """Every enum value and literal string of the input models (``legal_entity``, ``producer``...)."""
    words = set()
    for value in vars(models).values():
        words.update(_literal_words(value))
        if isinstance(value, type) and issubclass(value, BaseModel):
            for field in value.model_fields.values():
                words.update(_literal_words(field.annotation))
    return frozenset(word for word in words if re.fullmatch(r"[a-z][a-z0-9_]*", word))


_LATIN = re.compile(r"(?<![\w@/.-])[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*(?![\w@/-])")
_DURATION = re.compile(r"(?<![\dT:])(?:\d+ days?, )?\d+:\d\d:\d\d(?:\.\d+)?(?![\d:])")
_ENGLISH_WORDS = frozenset({"yes", "no", "true", "false", "none", "null", "day", "days", "late", "by", "due", "on", "time"})


def english_ids(text: str) -> list[str]:
    """The English ids in a text meant for kk or ru readers: snake_case words and field paths,
    enum values of the input models, Python durations (``1:30:00``, ``2 days, 0:00:00``) and the
    words the library used to write in English (yes/no, days, late by, due, on time)."""
    found = {match.group() for match in _DURATION.finditer(text)}
    words = model_words() | _ENGLISH_WORDS
    for match in _LATIN.finditer(text):
        token = match.group()
        if "_" in token or token in words:
            found.add(token)
    return sorted(found)


def english_id_problems(pack: RulePack, runs: list[tuple[str, InheritedCase, dict[str, Any]]] | None = None) -> list[str]:
    """kk and ru messages that, rendered with a failing case's values, contain an English id."""
    problems = []
    for rule_id, item, results in failing_runs(pack) if runs is None else runs:
        for lang in ("kk", "ru"):
            message = results[lang].message or ""
            ids = english_ids(message)
            if ids:
                problems.append(f"rule {rule_id} ({lang}, case {item.test_id}): {', '.join(ids)} in {message!r}")
    return problems


# --------------------------------------------------------------------------- the contract


def _report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(problems)


class PackContract:
    """Subclass it (with a name starting with ``Test``) and set ``pack``; pytest runs the checks.

    ``pack`` is a folder (``Path`` or ``str``), the id of a shipped pack, or a loaded
    :class:`~clusterpolicy.packs.RulePack` (from ``load_pack`` or ``load_pack_from``).
    """

    pack: RulePack | str | Path

    @classmethod
    def _state(cls) -> dict[str, Any]:
        if "_contract_state" not in cls.__dict__:
            cls._contract_state = {}
        return cls._contract_state

    @classmethod
    def loaded_pack(cls) -> RulePack:
        state = cls._state()
        if "pack" not in state:
            if not hasattr(cls, "pack"):
                raise TypeError(f"{cls.__name__} needs a pack: a folder, a shipped pack id or a RulePack")
            state["pack"] = load(cls.pack)
        return state["pack"]

    @classmethod
    def cases(cls) -> list[InheritedCase]:
        state = cls._state()
        if "cases" not in state:
            state["cases"] = pack_cases(cls.loaded_pack())
        return state["cases"]

    @classmethod
    def runs(cls) -> list[tuple[str, InheritedCase, dict[str, Any]]]:
        state = cls._state()
        if "runs" not in state:
            state["runs"] = failing_runs(cls.loaded_pack(), cls.cases())
        return state["runs"]

    def test_loads(self):
        pack = self.loaded_pack()
        assert isinstance(pack, RulePack)
        assert pack.rules, f"pack {pack.id} has no rules"
        assert all(len(rule.message.get(lang)) > 0 for rule in pack.rules for lang in LANGUAGES)

    def test_every_rule_has_a_passing_and_a_failing_case(self):
        problems = coverage_problems(self.loaded_pack(), self.cases())
        assert not problems, _report(problems)

    def test_every_case_holds(self):
        assert self.cases(), f"pack {self.loaded_pack().id} has no YAML cases (tests/*.yaml)"
        problems = case_problems(self.loaded_pack(), self.cases())
        assert not problems, _report(problems)

    def test_quotes_are_the_act_own_words(self):
        problems, unchecked, checked = quote_problems(self.loaded_pack())
        assert not problems, _report(problems)
        if unchecked and not checked:
            pytest.skip("; ".join(unchecked))
        for reason in unchecked:
            warnings.warn(reason, stacklevel=1)

    def test_numbers_agree_with_their_quotes(self):
        problems = number_problems(self.loaded_pack())
        assert not problems, _report(problems)

    def test_every_stand_in_is_declared(self):
        problems = stand_in_problems(self.loaded_pack())
        assert not problems, _report(problems)

    def test_messages_render_in_every_language(self):
        problems = render_problems(self.loaded_pack(), self.runs())
        assert not problems, _report(problems)

    def test_kk_and_ru_messages_contain_no_english_id(self):
        problems = english_id_problems(self.loaded_pack(), self.runs())
        assert not problems, _report(problems)
