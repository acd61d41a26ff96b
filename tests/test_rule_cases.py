"""Runs the YAML test cases of every shipped rule pack (rules/*/tests/*.yaml).

A compliance team adds a case as a file; this collects it. Every rule must have at least one
case where it passes and one where it fails.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from clusterpolicy.packs import available_packs, load_pack_from
from clusterpolicy.authoring.rule_cases import discover, run_case

RULES = Path(__file__).resolve().parents[1] / "rules"
CASES = discover(RULES)


@lru_cache(maxsize=None)
def load_pack(pack_id: str):
    """The pack of this checkout's rules/ folder, as edited (not the installed copy)."""
    return load_pack_from(RULES / pack_id)


@pytest.mark.parametrize("loaded", CASES, ids=[case.test_id for case in CASES])
def test_case(loaded):
    run = run_case(loaded, pack=load_pack(loaded.pack))
    assert run.mismatches == []


def expectations() -> dict[str, set[str]]:
    seen: dict[str, set[str]] = {}
    for loaded in CASES:
        for rule_id, outcome in loaded.case.expect.outcomes.items():
            seen.setdefault(f"{loaded.pack}:{rule_id}", set()).add(outcome)
    return seen


@pytest.mark.parametrize("pack_id", [p for p in available_packs() if not load_pack(p).header.extends])
def test_every_rule_has_a_passing_and_a_failing_case(pack_id):
    seen = expectations()
    lacking = {
        rule.id: sorted({"passed", "failed"} - seen.get(f"{pack_id}:{rule.id}", set()))
        for rule in load_pack(pack_id).rules
    }
    assert {rule: missing for rule, missing in lacking.items() if missing} == {}


def _one_case(tmp_path, parameters: dict) -> list:
    from clusterpolicy.authoring.rule_cases import read_cases

    import shutil

    tests = tmp_path / "pack" / "tests"  # a case reads its base: from inside its pack's folder only
    shutil.copytree(RULES / "kz-2015-decree-535" / "tests" / "base", tests / "base")
    text = (
        "cases:\n- name: a case under another reading\n"
        "  base: base/complete-stage1.yaml\n"
        "  competition: base/competition-stage1.yaml\n"
        f"  parameters: {parameters!r}\n"
        "  expect: {outcomes: {eligibility.unaffiliated-legal-entities: passed}}\n"
    )
    (tests / "cases.yaml").write_text(text, "utf-8")
    return read_cases(tests / "cases.yaml", pack="kz-2015-decree-535")


def test_a_case_runs_under_the_parameters_it_sets_and_never_passes_for_the_official_pack(tmp_path):
    from clusterpolicy.authoring.rule_cases import evaluate_case

    (loaded,) = _one_case(tmp_path, {"affiliation_grouping": "independent_set"})
    result = evaluate_case(loaded, pack=load_pack("kz-2015-decree-535"))
    finding = next(r for r in result.results if r.rule_id == "eligibility.unaffiliated-legal-entities")
    assert finding.observed["deciding"] == "independent_set" and finding.parameters["affiliation_grouping"] == "independent_set"
    assert result.pack.digest != load_pack("kz-2015-decree-535").digest


@pytest.mark.parametrize(
    ("parameters", "message"),
    [({"no_such_parameter": 1}, "has no parameter 'no_such_parameter'"), ({"criteria_1_1_severity": "warning"}, "severity or stages")],
)
def test_a_case_may_not_set_an_unknown_parameter_nor_a_gate(tmp_path, parameters, message):
    from clusterpolicy.core.errors import RulePackError

    (loaded,) = _one_case(tmp_path, parameters)
    with pytest.raises(RulePackError, match=message):
        run_case(loaded, pack=load_pack("kz-2015-decree-535"))
