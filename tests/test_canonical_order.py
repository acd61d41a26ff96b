"""The input digest written by pydantic's serializer (``core.record.ordered_validator``): a body the
service validates with its models' fields in canonical order gives the same canonical JSON, byte
for byte, as the reference (``canonical_json`` of ``model_dump(mode="json")``, keys sorted by the
standard library's encoder), and so the same input digest; over every example application of
both stages, alone and with its competition's header, and over generated variations of them."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from clusterpolicy.core import record
from clusterpolicy.output import service

from _server import encode, plain

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = [ROOT / "examples" / "competition-2017", ROOT / "examples" / "competition-2017-stage2"]
CASES = [(folder, path) for folder in FOLDERS for path in sorted(folder.glob("*.yaml")) if path.stem != "competition"]


def _read(body: dict) -> service._EvaluateRead:
    request, _ = service.read_request(service.EvaluateRequest, encode(body), quick=service._EvaluateRead)
    return request


def _same_input_json(request: service._EvaluateRead) -> bytes:
    """The canonical JSON pydantic writes, asserted equal to the reference's; the digests too."""
    written = record._canonical_input(request.application, request.competition)
    assert written is not None, "the request's models were not validated in canonical order"
    reference = record.canonical_json(record.input_data(request.application, request.competition)[1])
    assert written == reference
    assert record._input_sha256((request.application, request.competition)) == record.sha256(record.input_data(request.application, request.competition)[1])
    return written


def test_the_service_validates_its_body_in_canonical_order():
    assert record.ordered_validator(service._EvaluateRead) is not None


@pytest.mark.parametrize("folder,path", CASES, ids=[path.stem for _, path in CASES])
def test_every_example_input_is_written_canonically(folder, path):
    application = plain(path)
    _same_input_json(_read({"application": application, "competition": plain(folder / "competition.yaml")}))
    alone = _read({"application": application})
    assert alone.competition is None
    _same_input_json(alone)


def test_the_ordered_request_holds_the_same_values():
    folder, path = CASES[0]
    body = {"application": plain(path), "competition": plain(folder / "competition.yaml"), "lang": "ru", "parameters": {"b": {"z": 1, "a": [2]}, "a": 1}}
    ordered = _read(body)
    assert ordered == service._EvaluateRead.model_validate(json.loads(encode(body)))
    assert list(ordered.parameters) == ["a", "b"] and list(ordered.parameters["b"]) == ["a", "z"]


def test_a_model_not_validated_in_order_takes_the_reference_path():
    folder, path = CASES[0]
    request = service._EvaluateRead.model_validate(json.loads(encode({"application": plain(path)})))
    assert record._canonical_input(request.application, None) is None


# ---- generated variations: texts of every kind, numbers, moments with offsets, dicts in any order

TEXTS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
NUMBERS = st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False)
OFFSETS = st.integers(-12 * 60, 14 * 60).map(lambda minutes: dt.timezone(dt.timedelta(minutes=minutes)))


def _leaves(data, prefix=()):
    """(path, value) of every scalar inside plain data."""
    children = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else None
    if children is None:
        yield prefix, data
        return
    for key, value in children:
        yield from _leaves(value, prefix + (key,))


@st.composite
def varied(draw, data):
    """``data`` with some leaves given other values of their kind, and its dicts' keys in another order."""
    data = copy.deepcopy(data)
    leaves = list(_leaves(data))
    for path, value in draw(st.lists(st.sampled_from(leaves), max_size=8)):
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, str):
            parent[path[-1]] = draw(TEXTS)
        elif isinstance(value, (int, Decimal)):
            parent[path[-1]] = draw(NUMBERS)
        elif isinstance(value, dt.datetime):
            parent[path[-1]] = value.replace(tzinfo=draw(OFFSETS)).isoformat()
    return _shuffled(data, draw(st.randoms(use_true_random=False)))


def _shuffled(data, random):
    if isinstance(data, dict):
        items = list(data.items())
        random.shuffle(items)
        return {key: _shuffled(value, random) for key, value in items}
    if isinstance(data, list):
        return [_shuffled(value, random) for value in data]
    return data


BODIES = [{"application": plain(path), "competition": plain(folder / "competition.yaml")} for folder, path in (CASES[0], CASES[-1])]


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(BODIES).flatmap(varied))
def test_generated_inputs_are_written_canonically(body):
    raw = encode(body)
    try:
        reference = service.EvaluateRequest.model_validate(json.loads(raw))
    except Exception:
        assume(False)
    request = _read(body)
    assert request.application == reference.application
    _same_input_json(request)


def _answer_validated_as_declared(raw: bytes, monkeypatch) -> bytes:
    with monkeypatch.context() as patched:
        patched.setattr(service, "validated_in_order", lambda model, data, **_: model.model_validate(data))
        return service.evaluate_application(raw)


@pytest.mark.parametrize("folder,path", CASES[:3] + CASES[-3:], ids=[path.stem for _, path in CASES[:3] + CASES[-3:]])
def test_the_answer_is_the_same_whichever_order_the_models_were_validated_in(folder, path, monkeypatch):
    """The engine reads the re-ordered models as it reads those validated in declared order: the
    service's whole answer, not only the input's digest, is the same bytes."""
    raw = encode({"application": plain(path), "competition": plain(folder / "competition.yaml")})
    assert service.evaluate_application(raw) == _answer_validated_as_declared(raw, monkeypatch)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(body=st.sampled_from(BODIES).flatmap(varied))
def test_generated_inputs_give_the_same_answer_in_either_order(body, monkeypatch):
    """Dicts given in any order, values varied: the same answer bytes from the re-ordered models and
    from those validated in declared order (no part of the engine reads a model's or a dict's order)."""
    raw = encode(body)
    try:
        expected = _answer_validated_as_declared(raw, monkeypatch)
    except Exception:
        assume(False)
    assert service.evaluate_application(raw) == expected
