"""The pack contract (clusterpolicy.authoring.contract) run for both shipped packs, and the
contract's own checks shown to fail on a broken copy of a pack."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clusterpolicy.authoring.contract import (
    PackContract,
    case_problems,
    coverage_problems,
    english_ids,
    load,
    pack_cases,
    quote_problems,
    render_problems,
)
from clusterpolicy.packs import load_pack

RULES = Path(__file__).resolve().parents[1] / "rules"
DECREE = "kz-2015-decree-535"
METHODOLOGY = "kz-2017-kiri-methodology"


class TestDecree535(PackContract):
    pack = load_pack(DECREE)


class TestKiriMethodology(PackContract):
    pack = load_pack(METHODOLOGY)


@pytest.mark.slow
class TestDecree535AsAFolder(PackContract):
    """The same pack given as a folder, as a compliance team gives its own."""

    pack = RULES / DECREE


# --------------------------------------------------------------------------- the checks can fail


def replace_in(file: Path, old: str, new: str) -> None:
    text = file.read_text("utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new, 1), "utf-8")


def test_the_methodology_runs_the_decree_cases_through_extends():
    cases = pack_cases(load_pack(METHODOLOGY))
    assert cases and {case.origin for case in cases} == {DECREE, METHODOLOGY}
    inherited = [case for case in cases if case.origin == DECREE]
    # a decree case runs under the methodology when it expects an outcome of a rule the methodology keeps
    assert 0 < len(inherited) < len(pack_cases(load_pack(DECREE)))
    assert len(cases) - len(inherited) == 7  # the methodology's own cases (tests/selection.yaml)


def rule_block(file: Path, rule_id: str) -> str:
    """The YAML of one rule of a topic file, as written."""
    text = file.read_text("utf-8")
    start = text.index(f"  - id: {rule_id}\n")
    end = text.find("\n  - id:", start + 1)
    return text[start:] if end < 0 else text[start:end + 1]


@pytest.mark.slow
def test_a_changed_rule_needs_cases_of_the_child(packs_copy):
    child = packs_copy / METHODOLOGY
    rule = rule_block(packs_copy / DECREE / "documents.yaml", "documents.paper-copy")
    rule = rule.replace("{param: paper_copies}", "2").replace("id: documents.paper-copy\n", "id: documents.paper-copy\n    override: true\n", 1)
    own = (child / "documents.yaml").read_text("utf-8").replace("  - id: documents.paper-copy\n    override: true\n    stages: [1]\n", "")
    rule = rule.replace("stages: [1, 2]", "stages: [1]")
    (child / "documents.yaml").write_text(own + rule, "utf-8")
    line = own.count("\n") + 1
    pack = load(child)
    assert coverage_problems(pack) == [
        f"{child}/documents.yaml:{line}: rule documents.paper-copy has no case where it is failed or passed"
    ]
    assert all("documents.paper-copy" not in case.loaded.case.expect.outcomes for case in pack_cases(pack))
    assert all(case.loaded.case.expect.status is None for case in pack_cases(pack) if case.origin == DECREE)


def test_a_changed_parameter_needs_cases_of_the_child(packs_copy):
    child = packs_copy / METHODOLOGY
    pack_yaml = child / "pack.yaml"
    text = pack_yaml.read_text("utf-8")
    pack_yaml.write_text(text.replace("\nparameters:\n", "\nparameters:\n  paper_copies:\n    override: true\n    value: 2\n", 1), "utf-8")
    problems = coverage_problems(load(child))
    assert len(problems) == 1
    assert problems[0].endswith("rule documents.paper-copy has no case where it is failed or passed")


@pytest.mark.slow
def test_a_wrong_expectation_is_reported(packs_copy):
    replace_in(packs_copy / DECREE / "tests" / "documents.yaml", "documents.paper-copy: passed", "documents.paper-copy: failed")
    problems = case_problems(load(packs_copy / DECREE))
    assert len(problems) == 1
    assert "documents.paper-copy: expected failed, got passed" in problems[0]


def test_a_rule_without_a_failing_case_is_reported(packs_copy):
    cases = packs_copy / DECREE / "tests"
    for file in cases.glob("*.yaml"):
        text = file.read_text("utf-8")
        file.write_text(text.replace("documents.paper-copy: failed", "documents.paper-copy: unknown"), "utf-8")
    problems = coverage_problems(load(packs_copy / DECREE))
    assert len(problems) == 1 and problems[0].endswith("rule documents.paper-copy has no case where it is failed")


def test_a_changed_quote_is_reported(packs_copy):
    replace_in(packs_copy / DECREE / "pack.yaml", 'quote: "үлестес емес кемінде 10 заңды тұлға"', 'quote: "үлестес емес кемінде 12 заңды тұлға"')
    problems, unchecked, checked = quote_problems(load(packs_copy / DECREE))
    assert problems == [f"parameter min_unaffiliated_legal_entities.citation: quote not found in {packs_copy / DECREE}/source/kk.txt: 'үлестес емес кемінде 12 заңды тұлға'"]
    assert unchecked == [] and checked > 20


def test_quotes_are_compared_without_line_breaks_and_letter_spacing():
    problems, unchecked, checked = quote_problems(load_pack(DECREE))
    assert (problems, unchecked) == ([], []) and checked > 20


def test_a_pack_without_its_text_skips_the_quotes_saying_so(packs_copy):
    shutil.rmtree(packs_copy / DECREE / "source")
    problems, unchecked, checked = quote_problems(load(packs_copy / DECREE))
    assert problems == [] and checked == 0
    assert unchecked and unchecked[0].startswith(f"pack {DECREE} ships no text of its act")


@pytest.mark.slow
def test_an_unfilled_placeholder_is_reported(packs_copy):
    """A pack with ``{minimun}`` does not load (tests/test_pack_validation.py); the contract still
    catches a message that a failing case cannot fill, e.g. in a pack changed after loading."""
    pack = load(packs_copy / DECREE)
    index = next(i for i, rule in enumerate(pack.rules) if rule.id == "documents.paper-copy")
    rule = pack.rules[index]
    message = rule.message.model_copy(update={"ru": rule.message.ru.replace("{minimum}", "{minimun}")})
    pack.rules[index] = rule.model_copy(update={"message": message})
    problems = render_problems(pack)
    assert len(problems) == 1
    assert problems[0].startswith("rule documents.paper-copy (ru, case kz-2015-decree-535/tests/documents.yaml:")
    assert problems[0].endswith("no value for {minimun}")


@pytest.mark.parametrize(
    "text, found",
    [
        ("жоқ: raw_materials, human_resources", ["human_resources", "raw_materials"]),
        ("(опоздание 1:30:00)", ["1:30:00"]),
        ("просрочка 2 days, 0:00:00", ["2 days, 0:00:00", "days"]),
        ("Өтініш беруші түрі other", ["other"]),
        ("электронная копия: no", ["no"]),
        ("данные: applicant.stage1_winner: no", ["applicant.stage1_winner", "no"]),
        ("(2 days late)", ["days", "late"]),
        ("подана 2017-06-08T19:30:00+06:00", []),
        ("Срок (лет): 2; требуется: 3; www.adilet.zan.kz, ISO 9001, 18:00", []),
    ],
)
def test_english_ids(text, found):
    assert english_ids(text) == found


def test_the_methodology_ships_its_russian_text_and_its_quotes_are_checked():
    """Issue 23: the KIRI pack had no source text; its quotes are looked up in its own Russian text,
    and those of the decree provisions it declares as stand-ins in the decree's Kazakh text."""
    pack = load_pack(METHODOLOGY)
    assert (RULES / METHODOLOGY / "source" / "ru.txt").is_file()
    problems, unchecked, checked = quote_problems(pack)
    assert (problems, unchecked) == ([], []) and checked > 20


def test_numbers_written_in_a_quote_are_read_in_digits_and_words():
    from clusterpolicy.authoring.quotes import number_problems, quoted_numbers

    assert quoted_numbers("өтінім тіркелген күнінен бастап 5 (бес) жұмыс күні ішінде") == {5}
    assert quoted_numbers("Жекелеген көрсеткіштері 2010 2011 2012 2013") == set()  # years, not values
    assert quoted_numbers("ориентировочно в течение 2 месяцев, около тринадцати дней") == {2}
    assert quoted_numbers("в течение десяти рабочих дней") == {10}
    assert quoted_numbers("А4 пішіміндегі 20-25 парақ") == {4, 20, 25}
    assert number_problems(load_pack(DECREE)) == [] and number_problems(load_pack(METHODOLOGY)) == []
