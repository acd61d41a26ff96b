"""Remedies and the decision record do work linear in the input (issue 26: no input within the
limits over 1 s of CPU). Asserted by operation counts, never by time; the CPU figures are
``benchmarks/bench_bound.py``'s."""

from __future__ import annotations

import pytest

from clusterpolicy import evaluation
from clusterpolicy.checks import patch
from clusterpolicy.checks.kinds import collections
from clusterpolicy.input.decree535_form import Application, Competition
from clusterpolicy.packs import load_pack
from clusterpolicy.testing import application_data, competition_data

CARDS = "contents.participant-cards-filled"


def lean(n: int) -> Application:
    """A stage-1 application whose ``n`` participants state only id, name, BIN, status and kind
    (each lacks its card: the participant-card rule fails for every one)."""
    data = application_data(1, participants=n, activities=5)
    data["participants"] = [
        {key: person[key] for key in ("id", "name", "bin", "legal_status", "kind") if key in person}
        for person in data["participants"]
    ]
    return Application.model_validate(data)


def cards_remedy(n: int) -> object:
    result = evaluation.evaluate(lean(n), competition=Competition.model_validate(competition_data(1)), pack=load_pack("kz-2015-decree-535"))
    found = next(r for r in result.results if r.rule_id == CARDS)
    assert found.outcome == "failed" and found.remedy is not None and found.remedy.ops
    return found.remedy


def test_a_cards_remedy_looks_up_another_items_value_once_per_path_not_once_per_item(monkeypatch):
    calls: list[str] = []
    original = collections.sibling_value

    def counted(items, path):
        calls.append(path)
        return original(items, path)

    monkeypatch.setattr(collections, "sibling_value", counted)
    cards_remedy(12)
    small = len(calls)
    calls.clear()
    remedy = cards_remedy(48)
    assert len(calls) == small and len(set(calls)) == len(calls)  # each path once, whatever the number of items
    assert {op.path.split("/")[2] for op in remedy.ops} == {str(i) for i in range(48)}  # every participant still gets its patch


def test_patching_many_participants_copies_the_participant_list_once(monkeypatch):
    remedy = cards_remedy(40)
    application = lean(40)
    copies: list[int] = []
    original = patch._patched

    def counted(value, annotation, ops):
        if isinstance(value, list) and len(value) == 40:
            copies.append(len(ops))
        return original(value, annotation, ops)

    monkeypatch.setattr(patch, "_patched", counted)
    patched = patch.patch_model(application, remedy.ops)
    assert copies == [len(remedy.ops)]  # one run through the list, every operation in it
    assert patched.participants[0].model_dump() != application.participants[0].model_dump()
    assert application.participants[0].model_dump() == lean(40).participants[0].model_dump()  # the input is left as it is


def test_patching_in_runs_gives_what_applying_the_patch_to_the_json_gives():
    remedy = cards_remedy(15)
    application = lean(15)
    data = application.model_dump(mode="json")
    expected = Application.model_validate(patch.apply_patch(data, [op.model_dump() for op in remedy.ops]))
    assert patch.patch_model(application, remedy.ops).model_dump(mode="json") == expected.model_dump(mode="json")


def test_a_remedy_over_the_operations_limit_is_not_tried_against_the_other_rules(monkeypatch):
    tried: list[int] = []
    original = evaluation.patched

    def counted(context, ops):
        tried.append(len(ops))
        return original(context, ops)

    monkeypatch.setattr(evaluation, "patched", counted)
    remedy = cards_remedy(20)
    assert len(remedy.ops) in tried  # within the limit: applied, and the other rules run on it
    tried.clear()
    monkeypatch.setattr(evaluation, "SIDE_EFFECTS_MAX_OPS", len(remedy.ops) - 1)
    again = cards_remedy(20)
    assert len(again.ops) not in tried and again.also_fails == []
    assert again.ops == remedy.ops  # the patch itself is whole


@pytest.mark.parametrize("n", [30])
def test_naming_the_items_a_remedy_lacks_reads_the_participants_once(monkeypatch, n):
    from clusterpolicy.checks.kinds.base import Words

    application = lean(n)
    reads = 0

    class Counting(list):
        def __iter__(self):
            nonlocal reads
            reads += 1
            return super().__iter__()

    words = Words("en", None, application.model_copy(update={"participants": Counting(application.participants)}))
    names = [words.item(person.id) for person in application.participants]
    assert reads == 1
    assert names[3] == f"{application.participants[3].name} ({application.participants[3].bin})"
