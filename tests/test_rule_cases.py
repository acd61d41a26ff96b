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
