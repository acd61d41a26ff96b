"""How the service reads a request body (issue 26): a plain body is read by ``json.loads`` and
validated at once (``service.read_request``), the same values as the careful reader
(``service.parse_body``: strict JSON, the limits, every value's line) would give; anything that
reader must look at, and any body that does not validate, is left to it, so errors stay exactly
what they were (the code, the field, the line)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from clusterpolicy.core import sources
from clusterpolicy.output import service

from _server import call, encode, plain

ROOT = Path(__file__).resolve().parents[1]
STAGE1 = ROOT / "examples" / "competition-2017"


def typed(value: object) -> object:
    """``value`` with the type of every scalar beside it (1 and Decimal('1') and '1' differ)."""
    if isinstance(value, dict):
        return {key: typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [typed(item) for item in value]
    return (type(value).__name__, value)


def body(**changes: object) -> dict:
    application = plain(STAGE1 / "01-karaganda-construction.yaml")
    return {"application": application, "competition": plain(STAGE1 / "competition.yaml"), "lang": "kk", **changes}


def with_share(share: str) -> bytes:
    """The example's body, indented, with its first participant's share written as ``share``."""
    data = body()
    data["parameters"] = {"minimum_share": "SHARE"}
    return json.dumps(data, indent=2, ensure_ascii=False, default=str).replace('"SHARE"', share).encode()


@pytest.mark.parametrize("raw", [
    encode(body()),
    json.dumps(body(), indent=2, default=str).encode(),  # \u escapes of the Kazakh texts, lines
    b"\xef\xbb\xbf" + encode(body()),  # a byte order mark, as the careful reader allows
    with_share("0.25"),
    with_share("-0.0"),
    with_share("1" * 100),
])
def test_a_plain_body_is_read_as_the_careful_reader_reads_it(raw):
    text, data = service._quick_data(raw)
    assert typed(data) == typed(service.parse_body(raw).data)
    assert service.read_request(service.EvaluateRequest, raw)[0] == service.validate(service.EvaluateRequest, service.parse_body(raw))


@pytest.mark.parametrize("raw", [
    b'{"a": 1, "a": 2}',  # a duplicate key
    b'{"a": NaN}', b'{"a": Infinity}', b'{"a": -Infinity}',
    b'{"a": "\\ud800"}', b'{"a": "\\uDFFF x"}',  # lone surrogates
    b'{"a": "x\\"y\\n", "b": "\\u0410\\udc00"}',  # one after other escapes
    b'{"a": ' + b"1" * 101 + b"}",  # more digits than numbers are read with
    b'{"a": "' + b"1" * 101 + b'"}',  # such a run anywhere (the careful reader reads the text alone)
    b'{"a": 1e5}', b'{"a": 1.5E-3}',  # an exponent: the magnitude is checked there
    b'{"a": 0.' + b"1" * 100 + b"}",  # over 100 characters
    b"\xff{}", b"", b"  ", b"[]", b"null", b'"text"', b"{", b'{"a": 1} x',
])
def test_what_the_careful_reader_must_look_at_is_left_to_it(raw):
    assert service._quick_data(raw) is None


def test_more_values_or_items_than_the_limits_are_left_to_the_careful_reader(monkeypatch):
    raw = b'{"a": [1, 2, 3, 4], "b": {"c": 5}}'
    assert service._quick_data(raw) is not None
    monkeypatch.setattr(sources, "MAX_ITEMS", 3)  # the limits of core.sources.quick_json, which reads it
    assert service._quick_data(raw) is None
    monkeypatch.setattr(sources, "MAX_ITEMS", 100)
    monkeypatch.setattr(sources, "MAX_NODES", 9)  # the punctuation bounds its values by 11 (it has 10)
    assert service._quick_data(raw) is None


@pytest.fixture(scope="module")
def app():
    return service.create_app()


def careful_only(monkeypatch) -> None:
    monkeypatch.setattr(service, "_quick_data", lambda raw: None)


def deep(levels: int) -> object:
    value: object = 1
    for _ in range(levels):
        value = {"x": value}
    return value


def bad_bodies() -> list[tuple[str, bytes]]:
    def indented(data: dict) -> bytes:
        return json.dumps(data, indent=2, ensure_ascii=False, default=str).encode()

    wrong_date = body()
    wrong_date["application"]["participants"][3]["founded"] = "2015-13-01"
    inconsistent = body()
    inconsistent["competition"]["acceptance_closes_at"] = "2017-01-01T18:00:00+06:00"
    duplicate = indented(body()).replace(b'"lang": "kk"', b'"lang": "kk",\n  "lang": "ru"')
    nan = indented(body()).replace(b'"lang": "kk"', b'"lang": "kk",\n  "parameters": {"x": NaN}')
    return [
        ("a date the model refuses", indented(wrong_date)),
        ("a misspelt field", indented({**body(), "langg": "ru"})),
        ("a header with applications", indented(body(competition={**body()["competition"], "applications": []}))),
        ("an inconsistent header", indented(inconsistent)),
        ("an unknown pack", indented(body(pack="kz-2099"))),
        ("an unknown parameter", indented(body(parameters={"no_such_parameter": 1}))),
        ("parameters nested too deep", indented(body(parameters={"x": deep(70)}))),
        ("parameters nested just enough", indented(body(parameters={"x": deep(60)}))),
        ("a duplicate key", duplicate),
        ("NaN", nan),
        ("a list of the wrong type", indented(body(application=[1, 2]))),
    ]


@pytest.mark.parametrize(("name", "raw"), bad_bodies(), ids=[name for name, _ in bad_bodies()])
def test_errors_are_the_careful_readers_field_and_line(app, monkeypatch, name, raw):
    answer = call(app, "POST", "/v1/evaluate", raw)
    assert answer.status in (400, 422) and answer.type == "application/problem+json", answer.body[:300]
    careful_only(monkeypatch)
    before = call(app, "POST", "/v1/evaluate", raw)
    assert (answer.status, answer.body) == (before.status, before.body)
    location = answer.json().get("location") or {}
    if name not in ("a misspelt field",):  # every other one names its line in the body
        assert location.get("line"), answer.json()


def test_a_plain_body_is_read_once_and_a_bad_one_again_carefully(app, monkeypatch):
    calls = []
    careful = service.parse_body
    monkeypatch.setattr(service, "parse_body", lambda raw: calls.append(raw) or careful(raw))
    good = encode(body())
    answer = call(app, "POST", "/v1/evaluate", good)
    assert answer.status == 200 and calls == []
    careful_only(monkeypatch)
    assert call(app, "POST", "/v1/evaluate", good).body == answer.body  # the same bytes either way
    assert len(calls) == 1
    monkeypatch.undo()
    calls.clear()
    monkeypatch.setattr(service, "parse_body", lambda raw: calls.append(raw) or careful(raw))
    assert call(app, "POST", "/v1/evaluate", encode(body(lang="xx"))).status == 422
    assert len(calls) == 1


def test_a_share_is_read_as_written_never_as_a_float():
    request, _ = service.read_request(service.EvaluateRequest, with_share("0.1000000000000000055511151231257827"))
    assert request.parameters["minimum_share"] == Decimal("0.1000000000000000055511151231257827")


@pytest.mark.parametrize("folder", ["competition-2017", "competition-2017-stage2"])
def test_a_header_is_validated_once_as_the_competition_the_operations_take(folder):
    """A plain body's header is validated as a Competition at once (``_EvaluateRead``): the same
    model as the header validated, dumped and validated again (``_header``)."""
    examples = ROOT / "examples" / folder
    header = plain(examples / "competition.yaml")
    for path in sorted(examples.glob("*.yaml")):
        if path.stem == "competition":
            continue
        raw = encode({"application": plain(path), "competition": header, "lang": "ru"})
        quick, _ = service.read_request(service.EvaluateRequest, raw, quick=service._EvaluateRead)
        careful = service.validate(service.EvaluateRequest, service.parse_body(raw))
        assert isinstance(quick.competition, service.Competition)
        assert quick.competition == service._header(careful.competition)
        assert quick.competition.model_dump(mode="json") == service._header(careful.competition).model_dump(mode="json")
        assert quick.application == careful.application
        assert (quick.pack, quick.lang, quick.as_of, quick.parameters) == (careful.pack, careful.lang, careful.as_of, careful.parameters)


def test_the_served_application_keeps_what_it_loaded_out_of_the_collectors_walks():
    import gc

    try:
        app = service.serving_app()
        assert gc.get_freeze_count() > 0  # the packs, models and modules loaded: frozen
        assert call(app, "GET", "/v1/health").status == 200
    finally:
        gc.unfreeze()


def test_an_operation_runs_with_the_collector_paused_and_restores_it():
    import gc

    seen = []
    assert gc.isenabled()
    assert service._answered(lambda raw: seen.append(gc.isenabled()) or b"ok", b"{}") == b"ok"
    assert seen == [False] and gc.isenabled()
    with pytest.raises(ZeroDivisionError):
        service._answered(lambda raw: 1 / 0, b"{}")
    assert gc.isenabled()


@pytest.mark.parametrize("number", [
    "2", "0", "999999999999999999", "1000000000000000000", "-999999999999999999", "-1000000000000000000",
    "123456789012345678901234567890", "33.6", "1.123456789012", "1.1234567890123", "true", '"7"', '"1.1234567890123"',
    '"33.6"', '"1.123456789012"', '"9999999999999999.999999999999"', '"999999999999999999.999999999999"', '"-12.5"',
    '"1e3"', '" 5"', '"1_000"', '"+5"',
])
def test_a_bounded_decimal_is_read_as_the_model_reads_it(app, monkeypatch, number):
    """The quick reader's validator takes an integer within a decimal's digit bounds (at most 30
    digits, 12 after the point: 18 before it) without pydantic's count of its digits
    (``core.record._integers_first``): at the bounds, past them and in every other form, the same
    answer (or problem) as the careful reader's and the model's own."""
    data = body()
    data["application"]["concept"]["development_level"]["business_investment_mln_tenge"] = "NUMBER"
    data["application"]["concept"]["brief_description"]["pages"] = "NUMBER"
    raw = json.dumps(data, indent=2, ensure_ascii=False, default=str).replace('"NUMBER"', number).encode()
    answer = call(app, "POST", "/v1/evaluate", raw)
    careful_only(monkeypatch)
    before = call(app, "POST", "/v1/evaluate", raw)
    assert (answer.status, answer.body) == (before.status, before.body)
    accepted = ("2", "0", "999999999999999999", "33.6", "1.123456789012", '"7"', '"33.6"', '"1.123456789012"', '"1e3"', '" 5"', '"1_000"', '"+5"',
                '"9999999999999999.999999999999"', '"999999999999999999.999999999999"')
    assert answer.status == (200 if number in accepted else 422), answer.body[:300]


def test_bounded_decimals_taken_first_are_what_the_schema_takes_as_the_same_value():
    """``core.record._integers_first`` (the quick reader's decimals): every value, at the bounds and
    past them, as an integer, a text or anything else, is taken or refused as the model's own
    schema takes or refuses it, and taken as the same value (``repr``: the same digits and exponent);
    also for bounds other than the input's (fewer digits than places, digits only, places only)."""
    from typing import Annotated, Optional

    from pydantic import BaseModel, Field, ValidationError

    from clusterpolicy.core.record import ordered_validator
    from clusterpolicy.input.values import Amount, Number, Percent

    class Numbers(BaseModel):
        n: Number
        p: Percent
        a: Amount
        o: Optional[Number] = None
        each: list[Number] = []
        odd: Annotated[Decimal, Field(max_digits=5, decimal_places=10)] = Decimal(0)
        digits: Annotated[Decimal, Field(max_digits=40)] = Decimal(0)
        places: Annotated[Decimal, Field(decimal_places=2)] = Decimal(0)

    quick, model = ordered_validator(Numbers, integers_first=True), ordered_validator(Numbers)
    integers = [0, 1, -1, 100, 10**17 - 1, 10**18 - 1, 10**18, -(10**18 - 1), -(10**18), 10**28 - 1, 10**28, 10**30, 10**39, 10**40, True, False]
    texts = ["5", "-1.5", "33.6", "0.000000000001", "0.0000000000001", "1.1234567890123", "9999999999999999.999999999999",
             "999999999999999999.999999999999", "9999999999999999999", "1_000", " 5", "+5", "1e3", ".5", "5.", "-0", "-0.0",
             "00000000000000000001", "١٢٣", "NaN", "Infinity", "", "-", "1.25", "1.255"]
    for value in [*integers, *texts, Decimal("1.5"), Decimal("1e3"), Decimal("NaN"), 1.5, None]:
        for field in ("n", "p", "a", "o", "each", "odd", "digits", "places"):
            data = {"n": 1, "p": 1, "a": 1, field: [value] if field == "each" else value}
            try:
                expected = repr(model.validate_python(data))
            except ValidationError:
                expected = None
            try:
                found = repr(quick.validate_python(data))
            except ValidationError:
                found = None
            assert found == expected, (field, value)
