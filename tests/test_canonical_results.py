"""Results written by pydantic's serializer (``core.record.written_in_order``): a result the engine
made in canonical order (every model's fields in the order of their names, every dict sorted) is
written by ``to_json`` of pydantic-core, and that must be byte for byte the canonical JSON the
reference gives (``model_dump(mode="json")`` and the standard library's sorting encoder, which a
result not so made still takes), with the same decision-record digest. Over every example
application (both stages, both packs, every language, alone and with its competition's header,
and as the service reads it), over every case of the packs' YAML rule tests (passing and
failing), and over generated values looked at and parameters used."""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterpolicy import evaluate
from clusterpolicy.authoring.rule_cases import discover, evaluate_case
from clusterpolicy.checks.kinds import Verdict
from clusterpolicy.checks.results import RuleResult
from clusterpolicy.checks.params import Params
from clusterpolicy.core import record
from clusterpolicy.core.errors import ClusterPolicyError
from clusterpolicy.input.loading import load_application, load_competition
from clusterpolicy.output import operations, service

from _server import call, encode, plain

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = [ROOT / "examples" / "competition-2017", ROOT / "examples" / "competition-2017-stage2"]
APPLICATIONS = [path for folder in FOLDERS for path in sorted(folder.glob("*.yaml")) if path.stem != "competition"]
PACKS = ["kz-2015-decree-535", "kz-2017-kiri-methodology"]


def _same_bytes(make, *, in_order: bool = True) -> bytes:
    """What pydantic writes of a fresh result of ``make()`` is the reference's bytes, by every way out."""
    written = record.compact_bytes(subject := make())
    assert record.is_written_in_order(subject) is in_order
    usual = make()
    record.forget_order(usual)  # the reference: the dump and the standard library's sorting encoder
    assert written == record.compact_bytes(usual)
    data = json.loads(written)
    assert data["decision_record"]["digest"] == record.document_digest(data)
    assert make().to_json(compact=True).encode("utf-8") == written  # the command line's compact form
    read_first = make()
    assert read_first.decision_record.digest == data["decision_record"]["digest"]  # the digest read before the result is written
    assert record.compact_bytes(read_first) == written
    return written


@pytest.mark.slow
@pytest.mark.parametrize("path", APPLICATIONS, ids=[f"{path.parent.name}/{path.stem}" for path in APPLICATIONS])
def test_every_example_is_written_canonically(path):
    application = load_application(path)
    competition = load_competition(path.parent / "competition.yaml")
    written = 0
    for pack in PACKS:
        for lang in ("kk", "ru", "en"):
            for header in (competition, None):
                try:
                    evaluate(application, competition=header, pack=pack, lang=lang)
                except ClusterPolicyError:  # a pack without the application's stage
                    continue
                _same_bytes(lambda: evaluate(application, competition=header, pack=pack, lang=lang))
                written += 1
    assert written >= 6


def test_the_first_example_is_written_canonically():
    application = load_application(APPLICATIONS[0])
    competition = load_competition(APPLICATIONS[0].parent / "competition.yaml")
    _same_bytes(lambda: evaluate(application, competition=competition, lang="kk"))


@pytest.mark.parametrize("path", [APPLICATIONS[0], APPLICATIONS[-1]], ids=["stage1", "stage2"])
def test_the_service_answer_is_written_canonically(path):
    body = encode({"application": plain(path), "competition": plain(path.parent / "competition.yaml"), "lang": "ru"})
    request, _ = service.read_request(service.EvaluateRequest, body, quick=service._EvaluateRead)
    _same_bytes(lambda: operations.evaluate_application(request.application, request.competition, lang=request.lang))


def test_the_service_answers_the_bytes_written_canonically():
    path = APPLICATIONS[0]
    body = encode({"application": plain(path), "competition": plain(path.parent / "competition.yaml"), "lang": "en"})
    request, _ = service.read_request(service.EvaluateRequest, body, quick=service._EvaluateRead)
    usual = operations.evaluate_application(request.application, request.competition, lang=request.lang)
    record.forget_order(usual)
    answer = call(service.create_app(), "POST", "/v1/evaluate", body, [("content-type", "application/json")])
    assert answer.status == 200 and answer.body == record.compact_bytes(usual)


CASES = discover(ROOT / "rules")


@pytest.mark.slow
def test_every_rule_case_is_written_canonically():
    in_order = 0
    for loaded in CASES:
        try:
            evaluate_case(loaded)
        except ClusterPolicyError:  # a case whose expected outcome is an error
            continue
        subject = evaluate_case(loaded)
        record.compact_bytes(subject)
        in_order += record.is_written_in_order(subject)
        _same_bytes(lambda: evaluate_case(loaded), in_order=record.is_written_in_order(subject))
    assert in_order >= len(CASES) * 0.9


def test_a_result_copied_by_hand_takes_the_usual_way():
    application = load_application(APPLICATIONS[0])
    result = evaluate(application, lang="en")
    assert record.is_written_in_order(result)
    copied = result.model_copy(update={"cluster_name": result.cluster_name})
    assert record.is_written_in_order(copied)  # a field keeps its place, its value is in order
    unordered = result.model_copy(update={"results": [result.results[0].model_copy(update={"observed": {"b": 1, "a": 2}})]})
    assert not record.is_written_in_order(unordered)
    assert json.loads(record.sealed(unordered).to_json(compact=True))["results"][0]["observed"] == {"a": 2, "b": 1}
    assert not record.is_written_in_order(result.model_copy(deep=True))
    appended = evaluate(application, lang="en")
    validated = RuleResult.model_validate(appended.results[0].model_dump())  # its fields in declared order
    appended.results.append(validated)  # a list changed in place: the result is still noted, but not written by pydantic
    usual = evaluate(application, lang="en")
    usual.results.append(validated)
    record.forget_order(usual)
    assert record.compact_bytes(appended) == record.compact_bytes(usual) and not record.is_written_in_order(appended)


def test_a_rules_result_put_in_order_is_noted_and_not_looked_at_again():
    """A rule's result the engine shares between evaluations (one that does not apply, laid out once
    per pack) is put in order when a result holding it is first written, and then noted: the next
    result's writing looks only at its own; what it writes is still the reference's bytes."""
    from clusterpolicy.checks import results

    application = load_application(APPLICATIONS[0])
    competition = load_competition(APPLICATIONS[0].parent / "competition.yaml")
    first = evaluate(application, competition=competition, lang="en")
    second = evaluate(application, competition=competition, lang="en")
    shared = {id(rule) for rule, again in zip(first.results, second.results) if rule is again}
    assert shared and len(shared) < len(second.results)
    record.compact_bytes(first)
    assert results._RULES_IN_ORDER.not_in(first.results) == []
    assert results._RULES_IN_ORDER.not_in(second.results) == [rule for rule in second.results if id(rule) not in shared]
    usual = evaluate(application, competition=competition, lang="en")
    record.forget_order(usual)
    assert record.compact_bytes(second) == record.compact_bytes(usual) and record.is_written_in_order(second)
    assert results._RULES_IN_ORDER.not_in(second.results) == []


# ---- generated values looked at and parameters used: texts of any script, numbers, nested dicts in any order

KEYS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6)
LEAVES = (
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | KEYS
    | st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**6, max_value=10**6)
)
FREE = st.recursive(LEAVES, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4), max_leaves=20)
FLOATS = st.recursive(LEAVES | st.floats(allow_nan=False), lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3), max_leaves=8)


def _with_rule(result, observed, parameters):
    """``result`` whose first rule's result is a passed one with these values looked at and parameters used, sealed again."""
    from clusterpolicy import evaluation

    first = result.results[0]
    layout = {name: getattr(first, name) for name in ("citation", "message", "observed", "outcome", "parameters", "remedy", "rule_id", "severity", "title")}
    params = Params(None)
    params.used = dict(parameters)
    made = evaluation._laid_out(layout, None, Verdict("passed", **observed), params)
    # noted as the engine notes what it makes (its values looked at are put in order when it is first written)
    return record.written_in_order(record.sealed(result.model_copy(update={"results": [made, *result.results[1:]]})))


@lru_cache(maxsize=None)
def _base(lang):
    return evaluate(load_application(APPLICATIONS[0]), lang=lang)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(observed=st.dictionaries(KEYS.filter(str.isidentifier), FREE, max_size=5), parameters=st.dictionaries(KEYS, FREE, max_size=3), lang=st.sampled_from(["kk", "ru", "en"]))
def test_generated_values_are_written_canonically(observed, parameters, lang):
    base = _base(lang)
    _same_bytes(lambda: _with_rule(base, observed, parameters))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(observed=st.dictionaries(KEYS.filter(str.isidentifier), FLOATS, max_size=4))
def test_values_pydantic_may_write_otherwise_take_the_usual_way(observed):
    base = _base("en")
    in_order = True
    try:
        record.canonical_value(observed)
    except record.Unordered:
        in_order = False
    _same_bytes(lambda: _with_rule(base, observed, {}), in_order=in_order)


def test_canonical_value_sorts_every_dict_and_refuses_what_it_cannot_vouch_for():
    value = {"b": [{"z": 1, "a": Decimal("1.0")}], "a": {"y": None, "x": True}}
    ordered = record.canonical_value(value)
    assert ordered == value and list(ordered) == ["a", "b"] and list(ordered["a"]) == ["x", "y"] and list(ordered["b"][0]) == ["a", "z"]
    already = {"a": [1, "x"], "b": {"c": 1}}
    assert record.canonical_value(already) is already
    for refused in ({"a": 1.5}, {1: "a"}, {"a": dt.date(2017, 1, 1)}, [object()]):
        with pytest.raises(record.Unordered):
            record.canonical_value(refused)


def test_the_marks_forget_freed_results_and_keep_live_ones():
    """The canonical-order marks (core.record._Marks) hold no result alive, drop the entries of freed
    ones as they grow (bounded, not one entry per evaluation ever made), and never take a new object
    with a freed one's id for it."""
    marks = record._Marks()

    class Thing:
        pass

    kept = [Thing() for _ in range(300)]
    for thing in kept:
        marks.add(thing)
    for _ in range(20_000):
        marks.add(Thing())  # freed at once
    assert all(thing in marks for thing in kept)
    assert len(marks) < 2 * (len(kept) + record._FIRST_PRUNING)
    stranger = Thing()
    assert stranger not in marks
    marks.discard(kept[0])
    assert kept[0] not in marks and kept[1] in marks
