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


def cards_remedy(n: int, *, patched: bool = True) -> object:
    result = evaluation.evaluate(lean(n), competition=Competition.model_validate(competition_data(1)), pack=load_pack("kz-2015-decree-535"))
    found = next(r for r in result.results if r.rule_id == CARDS)
    assert found.outcome == "failed" and found.remedy is not None and bool(found.remedy.ops) is patched
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


def test_a_patch_over_the_operations_limit_is_not_written_and_the_text_still_says_it_all(monkeypatch):
    from clusterpolicy.checks.kinds import base

    tried: list[int] = []
    original = evaluation.patched

    def counted(context, ops):
        tried.append(len(ops))
        return original(context, ops)

    monkeypatch.setattr(evaluation, "patched", counted)
    remedy = cards_remedy(20)
    assert len(remedy.ops) in tried  # within the limit: applied, and the other rules run on it
    assert base.MAX_PATCH_OPS == collections.MAX_PATCH_OPS == 5_000
    tried.clear()
    for module in (base, collections):
        monkeypatch.setattr(module, "MAX_PATCH_OPS", 30)
    again = cards_remedy(20, patched=False)
    assert again.ops == [] and again.also_fails == [] and len(again.ops) not in tried
    assert again.text == remedy.text  # every participant and what it lacks, as before


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


# --------------------------------------------------------------------------- the decision record, computed when needed


def eager_digest(result) -> str:
    """The result's digest as it was computed inside ``evaluate()`` before it became lazy."""
    from clusterpolicy.core.record import document_digest, result_data

    return document_digest(result_data(result))


def small_result():
    return evaluation.evaluate(lean(12), competition=Competition.model_validate(competition_data(1)), pack=load_pack("kz-2015-decree-535"))


def test_evaluate_computes_no_digest_until_one_is_read(monkeypatch):
    from clusterpolicy.core import record

    calls: list[str] = []
    original = record.document_digest
    monkeypatch.setattr(record, "document_digest", lambda data: calls.append("result") or original(data))
    original_input = record._input_sha256
    monkeypatch.setattr(record, "_input_sha256", lambda arguments: calls.append("input") or original_input(arguments))
    result = small_result()
    assert calls == []
    digest = result.decision_record.digest
    assert calls.count("result") == 1 and calls.count("input") == 1  # the input's digest is part of the sealed document
    assert result.decision_record.digest == digest and calls.count("result") == 1  # once
    assert digest == eager_digest(result) and digest.startswith("sha256:")
    assert result.decision_record.input.digest == record.sha256(record.input_data(lean(12), Competition.model_validate(competition_data(1)))[1])


def test_writing_a_result_out_computes_its_digest_from_the_same_dump(monkeypatch):
    import json

    from clusterpolicy.core import record

    result = small_result()
    dumps: list[int] = []
    original = type(result).model_dump

    def counted(self, *args, **kwargs):
        dumps.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(type(result), "model_dump", counted)
    text = result.to_json(compact=True)
    assert len(dumps) == 0  # made in canonical order: written by pydantic's serializer, no dump at all (core.record.written_in_order)
    usual = small_result()
    record.forget_order(usual)  # the usual way (the reference): one dump
    assert usual.to_json(compact=True) == text
    assert len(dumps) == 1  # not a second dump to seal it
    monkeypatch.setattr(type(result), "model_dump", original)
    written = json.loads(text)
    assert written["decision_record"]["digest"] == result.decision_record.digest == eager_digest(result)
    assert record.document_digest(written) == written["decision_record"]["digest"]
    assert text == small_result().to_json(compact=True)  # the same bytes however the digest was reached
    fresh = small_result()
    assert fresh.decision_record.digest and text == fresh.to_json(compact=True)


def test_results_compare_and_dump_with_their_digests():
    one, two = small_result(), small_result()
    assert one == two and hash(one.decision_record) == hash(two.decision_record)
    assert one.model_dump(mode="json")["decision_record"]["digest"] == eager_digest(two)
    assert "sha256:" in repr(small_result().decision_record)


def test_a_result_changed_and_sealed_again_digests_what_it_now_says():
    from clusterpolicy.core.record import sealed

    result = small_result()
    changed = sealed(result.model_copy(update={"reasons": ["x"]}))
    assert changed.decision_record.digest == eager_digest(changed) != result.decision_record.digest
