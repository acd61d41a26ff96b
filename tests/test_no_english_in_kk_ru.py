"""Kazakh and Russian outputs contain no English id, enum value or Python duration.

For both example competitions, in kk and ru: the return notices, the completeness and
evaluation protocols, ``evaluate --details`` and ``deadlines --all`` (run through the CLI's
``main`` in this process); and every message of both shipped packs rendered with the values a
failing case produces (``clusterpolicy.testing.break_rule``). Rule ids, pack ids and the ids
the input gives (applications, competitions, roadmap activities) are references, not words:
they are taken out before the text is searched.
"""

from __future__ import annotations

import contextlib
import io
import re
from enum import Enum
from pathlib import Path
from typing import get_args

import pytest

from clusterpolicy.calendar.terms import Unit
from clusterpolicy.checks.kinds import Outcome
from clusterpolicy.checks.rule import Severity
from clusterpolicy.checks.results import Status
from clusterpolicy.evaluation import evaluate
from clusterpolicy.input import decree535_form as models
from clusterpolicy.output.cli import main
from clusterpolicy.packs import available_packs, load_pack
from clusterpolicy.procedure.timeline import Status as TimelineStatus
from clusterpolicy.testing import break_rule, breakers, valid_competition

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
COMPETITIONS = ("competition-2017", "competition-2017-stage2")
LANGS = ("kk", "ru")


def _enum_values() -> set[str]:
    values: set[str] = set()
    for kind in (models.ParticipantKind, models.DocumentKind, models.ApplicantType, Unit):
        values |= {member.value for member in kind}  # type: ignore[attr-defined]
    for literal in (models.LegalStatus, models.ActivityCategory, models.FundingSource, Status, Outcome, Severity, TimelineStatus):
        values |= set(get_args(literal))
    return values


ENUM_VALUES = _enum_values()
FORBIDDEN = [
    ("snake_case id", re.compile(r"\b[a-z]+_[a-z_]+\b")),
    ("enum value", re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, ENUM_VALUES), key=len, reverse=True)) + r")\b")),
    ("Python duration", re.compile(r"\d+:\d\d:\d\d")),
    ("English day count", re.compile(r"\b\d+ days?\b|\bdays?\b")),
    ("English word", re.compile(r"\blate by\b|\bdue\b|\bon time\b|\bworking_days\b|\byes\b|\bno\b|\bTrue\b|\bFalse\b")),
]
IDS = sorted(
    {rule.id for pack_id in available_packs() for rule in load_pack(pack_id).rules} | set(available_packs()),
    key=len,
    reverse=True,
)


def _without_ids(text: str, extra: set[str] = frozenset()) -> str:
    for identifier in sorted(set(IDS) | set(extra), key=len, reverse=True):
        text = text.replace(identifier, "<id>")
    return text


def _leaks(text: str, extra: set[str] = frozenset()) -> list[tuple[str, str]]:
    text = _without_ids(text, extra)
    return [(what, match) for what, pattern in FORBIDDEN for match in pattern.findall(text)]


def _input_ids(folder: Path) -> set[str]:
    """The ids the example's files give: competition, applications, roadmap activities."""
    found = set()
    for file in folder.glob("*.yaml"):
        found |= set(re.findall(r"^\s*(?:- )?id:\s*[\"']?([^\"'\s#]+)", file.read_text("utf-8"), flags=re.M))
    return found


def _run(*argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        main(list(argv))
    return out.getvalue()


def _outputs(folder: str, lang: str) -> dict[str, str]:
    path = str(EXAMPLES / folder)
    commands = {
        kind: ["report", path, "--kind", kind, "--lang", lang]
        for kind in ("notice", "completeness-protocol", "evaluation-protocol")
    }
    commands["evaluate --details"] = ["evaluate", path, "--details", "--lang", lang]
    commands["deadlines --all"] = ["deadlines", path, "--all", "--lang", lang]
    return {name: _run(*argv) for name, argv in commands.items()}


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("folder", COMPETITIONS)
def test_example_documents_and_commands_speak_only_kk_or_ru(folder, lang):
    ids = _input_ids(EXAMPLES / folder)
    outputs = _outputs(folder, lang)
    assert all(len(text) > 200 for text in outputs.values())  # the commands ran and said something
    leaks = {name: _leaks(text, ids) for name, text in outputs.items()}
    assert {name: found for name, found in leaks.items() if found} == {}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("pack_id", ["kz-2015-decree-535", "kz-2017-kiri-methodology"])
def test_every_message_of_a_pack_renders_without_english(pack_id, lang):
    pack = load_pack(pack_id)
    rendered = 0
    kept = {rule.id for rule in pack.rules}
    for rule_id, (stage, _case) in sorted(breakers().items()):
        if rule_id not in kept or stage not in pack.procedure.stages:  # a decree rule or stage the methodology does not keep (issue 23)
            continue
        result = evaluate(break_rule(rule_id), competition=valid_competition(stage), pack=pack, lang=lang)
        finding = next(r for r in result.results if r.rule_id == rule_id)
        assert finding.outcome == "failed" and finding.message
        activities = set(finding.observed.get("incomplete", {}))
        assert _leaks(finding.message, activities) == [], (rule_id, finding.message)
        rendered += 1
    assert rendered >= min(40, len(kept) - 5)


def test_the_leak_finder_finds_what_it_looks_for():
    found = _leaks("нет: raw_materials; опоздание 1:30:00, 5 working days, due, other")
    assert {what for what, _ in found} == {"snake_case id", "enum value", "Python duration", "English day count", "English word"}
    assert ("enum value", "other") in found and ("snake_case id", "raw_materials") in found
    assert _leaks("Қағидалардың 16-тармағы, documents.stage1-concept, kz-2015-decree-535") == []


def test_observed_values_stay_raw_ids_for_machines():
    result = evaluate(break_rule("eligibility.stage1-applicant-type"), competition=valid_competition(1), lang="kk")
    finding = next(r for r in result.results if r.rule_id == "eligibility.stage1-applicant-type")
    assert finding.observed["allowed"] == [
        "regional_chamber_of_entrepreneurs", "social_entrepreneurial_corporation", "sez_management_company", "business_association",
    ]
    assert "өңірлік кәсіпкерлер палатасы" in finding.message and "regional_chamber" not in finding.message
    late = evaluate(break_rule("eligibility.submitted-on-time"), competition=valid_competition(1), lang="ru")
    on_time = next(r for r in late.results if r.rule_id == "eligibility.submitted-on-time")
    assert on_time.observed["late_by"] == "1:30:00" and "1 ч 30 мин" in on_time.message
    assert isinstance(models.DocumentKind.concept, Enum)


@pytest.mark.parametrize("lang", LANGS)
def test_unknown_verdicts_name_what_is_missing_in_the_language(lang):
    from clusterpolicy.testing import application_data

    data = application_data(1)
    del data["concept"]["conditions"]["raw_materials"]
    data["submission_format"].pop("paper_copies", None)
    data["participants"][0]["bin"] = "000000000001"
    result = evaluate(models.Application.model_validate(data), competition=valid_competition(1), lang=lang)
    unknown = [r for r in result.results if r.outcome == "unknown"]
    assert {r.rule_id for r in unknown} >= {"contents.concept-conditions", "documents.paper-copy"}
    for finding in unknown:
        assert finding.message and _leaks(finding.message, {p["id"] for p in data["participants"]}) == [], finding.message
