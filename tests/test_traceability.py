"""Every requirement of Decree 535 is traced to what encodes it, and docs/traceability.md is current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from clusterpolicy.authoring import traceability
from clusterpolicy.authoring.traceability import Requirement, check, dangling_tests, markdown, read_requirements
from clusterpolicy.core.errors import RulePackError
from clusterpolicy.packs import load_pack

ROOT = Path(__file__).resolve().parents[1]
PACK = "kz-2015-decree-535"


@pytest.mark.slow
def test_no_dangling_reference_and_no_untraced_rule():
    assert check(PACK, root=ROOT) == []


def test_a_test_reference_names_a_real_test_function_or_case():
    assert dangling_tests(PACK, [
        "tests/test_timeline.py::test_due_dates_of_a_2017_like_competition",
        "tests/test_packs.py::TestChoiceByDate::test_decree_in_force_in_2015",
        "tests/documents.yaml::no concept",
    ], root=ROOT) == []
    assert dangling_tests(PACK, [
        "tests/test_timeline.py::test_due_dates_of_a_2018_like_competition",
        "tests/test_nothing.py::test_x",
        "tests/documents.yaml::no such case",
        "tests/nothing.yaml::no concept",
    ], root=ROOT) == [
        "tests/test_timeline.py::test_due_dates_of_a_2018_like_competition: tests/test_timeline.py defines no test test_due_dates_of_a_2018_like_competition",
        f"tests/test_nothing.py::test_x: no test file {ROOT / 'tests' / 'test_nothing.py'}",
        f"tests/documents.yaml::no such case: rules/{PACK}/tests/documents.yaml holds no case named 'no such case'",
        f"tests/nothing.yaml::no concept: no case file rules/{PACK}/tests/nothing.yaml",
    ]


@pytest.mark.parametrize(
    "reference",
    ["test_timeline.py", "timeline", "tests/test_timeline.py", "tests/test_timeline.py::", "tests/test_timeline.py::by_id",
     "tests/test_timeline.py::Event::test_x", "tests/conftest.py::test_x"],
)
def test_a_test_reference_that_is_not_a_node_id_does_not_load(reference):
    with pytest.raises(ValidationError, match="a test is tests/test_<file>.py"):
        Requirement(provision="Rules p.5", text="x", encoded_by=["time_limit:rules-p5-announcement"], tests=[reference])


def test_a_word_in_a_test_file_is_not_a_test(monkeypatch):
    """Before, any test file containing "announcement" counted as a test of rules-p5-announcement."""
    requirement = Requirement(provision="Rules p.5", text="x", encoded_by=["time_limit:rules-p5-announcement"])
    monkeypatch.setattr(traceability, "read_requirements", lambda pack_id, **_: [requirement])
    assert markdown(PACK, tests_dir=ROOT / "tests", rules_dir=ROOT / "rules").endswith("| **none** |\n")


def test_a_dangling_test_reference_stops_the_table(monkeypatch):
    requirement = Requirement(
        provision="Rules p.5", text="x", encoded_by=["time_limit:rules-p5-announcement"], tests=["tests/test_timeline.py::test_p5"]
    )
    monkeypatch.setattr(traceability, "read_requirements", lambda pack_id, **_: [requirement])
    with pytest.raises(RulePackError, match="Rules p.5: tests/test_timeline.py::test_p5: tests/test_timeline.py defines no test test_p5"):
        markdown(PACK, tests_dir=ROOT / "tests", rules_dir=ROOT / "rules")


@pytest.mark.slow
def test_every_encoded_requirement_has_a_test():
    table = markdown(PACK, tests_dir=ROOT / "tests", rules_dir=ROOT / "rules")
    assert "**none**" not in table


def test_unencoded_requirements_say_why():
    unencoded = [r for r in read_requirements(PACK) if r.not_encoded]
    assert {r.provision for r in unencoded} == {
        "Decree, title", "Decree p.1", "Rules p.1", "Rules p.2", "Rules p.3", "Rules p.4", "Rules p.12",
        "Rules p.18", "Rules p.30",
        # issue 23: what the forms ask on paper only (signatures, seal, receipt block), and criterion
        # 1.1's «өңір үшін басым салалардағы», which the input cannot state per participant
        "Appendix 1, Appendix 4", "Appendix 3", "Criteria 1.1",
    }
    assert all(len(r.not_encoded) > 20 for r in unencoded)


def test_every_paragraph_of_the_rules_and_every_criterion_has_an_entry():
    provisions = {r.provision for r in read_requirements(PACK)}
    paragraphs = {int(m[1]) for p in provisions if (m := re.match(r"Rules p\.(\d+)(?![0-9])", p))}
    assert paragraphs == set(range(1, 43))
    assert {"Criteria 1.1", "Criteria 1.2", "Criteria 1.3", "Criteria 2.1-2.8", "Criteria 3.1-3.2", "Criteria 4.1-4.2"} <= provisions


@pytest.mark.slow
def test_the_return_grounds_are_those_of_every_return_rule_and_p38_is_no_tie_break():
    """p.16 and p.32 are encoded by the procedure's status citations, on which every rule of
    severity return rests, not by two rules; p.38 names the winners and sets no tie-break."""
    pack = load_pack(PACK)
    by_provision = {}
    for requirement in read_requirements(PACK):
        by_provision.setdefault(requirement.provision, []).extend(requirement.encoded_by)
    assert by_provision["Rules p.16"] == ["procedure:stages.1.status.returned"]
    assert by_provision["Rules p.32"] == ["procedure:stages.2.status.returned"]
    assert [pack.procedure.status_citation("returned", stage).provision for stage in (1, 2)] == ["Rules p.16", "Rules p.32"]
    assert not any(reference.startswith("scoring:") for reference in by_provision["Rules p.38"])
    table = markdown(PACK, tests_dir=ROOT / "tests", rules_dir=ROOT / "rules")
    p16 = next(row for row in table.splitlines() if row.startswith("| [Rules p.16]"))
    assert p16.count("(returned)") >= 20  # every case of stage 1 that expects a return


def _mapping_columns(table: str) -> list[list[str]]:
    """Provision, requirement and what encodes it: the part of the table the law decides.

    The tests column changes whenever a test is added, so it is not compared here.
    """
    return [row.split(" | ")[:3] for row in table.splitlines() if row.startswith("| ")]


@pytest.mark.slow
def test_docs_table_is_current():
    stored = (ROOT / "docs" / "traceability.md").read_text("utf-8")
    current = markdown(PACK, tests_dir=ROOT / "tests", rules_dir=ROOT / "rules")
    assert _mapping_columns(stored) == _mapping_columns(current), (
        "docs/traceability.md is stale: run python -m clusterpolicy.authoring.traceability > docs/traceability.md"
    )
