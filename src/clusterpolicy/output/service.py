"""The HTTP service: the library's answers as JSON over HTTP, for systems not written in Python.

``clusterpolicy serve`` runs it (:mod:`clusterpolicy.output.server`); :func:`create_app` gives
the ASGI application to mount elsewhere. Needs the ``server`` extra (FastAPI, uvicorn and
``fastapi-offline``, whose Swagger UI and ReDoc files the interactive docs are served from:
nothing is fetched from the internet). docs/service.md describes every endpoint.

What it promises:

- the same bytes as the command line: ``POST /v1/evaluate`` answers exactly what
  ``clusterpolicy evaluate FILE --format json`` prints for the same application (and the
  competition header beside it), ``POST /v1/competitions/evaluate`` what it prints for a
  competition;
- a request body is read as the library's own JSON reader reads a file (duplicate keys, NaN,
  nesting and UTF-8 are checked) and validated against the input models, so an error names the
  field path and the line of the body, as the command line names those of a file. A plain body
  is read by ``json.loads`` and validated at once (:func:`read_request`); the careful reader
  (:func:`parse_body`) reads a body that holds anything it must look at, or that does not
  validate: the same values, the same answer, the same errors;
- errors are RFC 9457 ``application/problem+json`` documents carrying the library's error
  code (``core.errors.ErrorCode``, docs/errors.md) and where the problem is: 400 a body that
  is not JSON, 413 a body over the limit (refused from its ``Content-Length``, or as soon as
  the bytes read pass it), 422 an input the models refuse, 404 an unknown pack, rule or
  document kind, 406 a format that cannot be offered; never a traceback;
- stateless: no request changes what another gets, so any number of workers answer alike.

This module keeps HTTP only: request models, problem documents, content negotiation and thin
routes. The use cases are :mod:`clusterpolicy.output.operations`, the same the command line
runs: a competition is checked the same way (a contradictory header beside one application
included), and an error the operations name by its field in the request gets that field's line
in the body.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import os
from functools import partial
from importlib.resources import as_file
from typing import Any, Callable, Literal, Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import Response
from pydantic import Field, ValidationError, create_model, model_validator
from pydantic.json_schema import models_json_schema
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..checks.results import ApplicationResult, to_json
from ..core.errors import ClusterPolicyError, InputError, Location, UsageError, format_path
from ..core.i18n import Language
from ..core.record import compact_bytes, gc_paused, ordered_validator, validated_in_order
from ..core.sources import MAX_DEPTH, Document, ModelT, decode_utf8, json_lines, nesting_depth, parse_json, quick_json, validate
from ..core.version import library_version
from ..input.decree535_form import Application, Competition, _SchemaGenerator, in_languages
from ..input.values import Day, Model, Str, Timestamp
from . import operations
from .schemas import TimelineResult
from .server import DEFAULT_MAX_BODY, DEFAULT_MAX_OPERATIONS, MAX_BODY_ENV, MAX_OPERATIONS_ENV, OPERATION_WAIT

LOG = logging.getLogger("clusterpolicy.service")

BODY = "request body"
"""The name an error gives the request body, where the command line names a file."""

JSON = "application/json"
PROBLEM = "application/problem+json"
REPORT_TYPES = {"text/html": "html", "text/markdown": "md", "application/pdf": "pdf"}

STATUS_OF_CODE = {
    "syntax": 400,
    "not_utf8": 400,
    "too_deep": 400,
    "duplicate_key": 400,
    "too_large": 413,
    "not_found": 404,
    "method_not_allowed": 405,
    "not_acceptable": 406,
    "internal_error": 500,
    "request_timeout": 408,
    "busy": 503,
}
"""HTTP status of an error code; every other code of a request is 422 (the input is refused)."""

TITLES = {400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable", 408: "Request Timeout",
          413: "Content Too Large", 422: "Unprocessable Content", 500: "Internal Server Error", 503: "Service Unavailable"}


# --------------------------------------------------------------------------- request models


CompetitionHeader = create_model(  # type: ignore[call-overload]
    "CompetitionHeader",
    __base__=Model,
    __doc__="A competition's dates, pack and events, without its applications (the header file "
    "``competition.yaml`` beside an application).",
    __validators__={"_title_in_languages": model_validator(mode="before")(in_languages("title", "titles"))},
    **{name: (field.annotation, field) for name, field in Competition.model_fields.items() if name != "applications"},
)

_Lang = Field("en", description="Language of the messages: kk, ru or en.")
_Pack = Field(None, min_length=1, description="Rule pack id (default: the competition's, or the one in force).")
_AsOf = Field(None, description="Choose the pack in force on this day; judge pending steps on it (YYYY-MM-DD).")
_Parameters = Field(
    default_factory=dict,
    description="The pack's named parameters to change, {name: value} (as `evaluate --set NAME=VALUE`); "
    "the result's pack.changed_parameters lists those that differ from the act's pack.",
)


class EvaluateRequest(Model):
    """One application, in the context of its competition's header if given
    (as ``clusterpolicy evaluate APPLICATION_FILE``)."""

    application: Application
    competition: Optional[CompetitionHeader] = Field(  # type: ignore[valid-type]
        None, description="The competition's header, without applications; without it the checks that need its dates are unknown."
    )
    pack: Optional[Str] = _Pack
    lang: Language = _Lang
    as_of: Optional[Day] = _AsOf
    parameters: dict[str, Any] = _Parameters


def _no_applications(data: Any) -> Any:
    if isinstance(data, dict) and isinstance(data.get("competition"), dict) and "applications" in data["competition"]:
        raise ValueError("a header has no applications")  # the careful reading names the field, with a hint
    return data


class _EvaluateRead(EvaluateRequest):
    """:class:`EvaluateRequest` as a plain body is validated (:func:`read_request`): the header
    validated once, as the :class:`Competition` the operations take, not as a
    :class:`CompetitionHeader` dumped and validated again (:func:`_header`). The same values:
    a competition is its header's fields and ``applications``, here refused (then the body is
    validated as :class:`EvaluateRequest`, whose error names the field)."""

    competition: Optional[Competition] = None  # type: ignore[assignment]

    @model_validator(mode="before")
    @classmethod
    def _header_only(cls, data: Any) -> Any:
        return _no_applications(data)


class CompetitionRequest(Model):
    """A whole competition with its applications (as ``clusterpolicy evaluate COMPETITION``)."""

    competition: Competition
    pack: Optional[Str] = _Pack
    lang: Language = _Lang
    as_of: Optional[Day] = _AsOf
    parameters: dict[str, Any] = _Parameters


class DiffRequest(Model):
    """A competition under two packs, or under its pack and the same pack with changed parameters
    (as ``clusterpolicy diff COMPETITION --pack A --pack B --set NAME=VALUE``)."""

    competition: Competition
    packs: list[Str] = Field(
        default_factory=list,
        max_length=2,
        description="The pack before, then the pack after (shipped pack ids, as `--pack` given twice); "
        "one: the pack before, the pack after being it with `parameters`; none: the competition's pack, or the one in force.",
    )
    parameters: dict[str, Any] = Field(
        default_factory=dict,
        description="The named parameters to change in the pack after, {name: value} (as `diff --set NAME=VALUE`).",
    )
    lang: Language = _Lang


class SensitivityRequest(Model):
    """A competition under each reading of every choice of its pack (as ``clusterpolicy sensitivity COMPETITION``)."""

    competition: Competition
    pack: Optional[Str] = _Pack
    lang: Language = _Lang
    all_combinations: bool = Field(
        False, description="Also every combination of the readings of the choices that decide a verdict, at most 256 "
        "(as `--all-combinations`; more: `too_many_combinations`)."
    )
    choices: list[Str] = Field(
        default_factory=list, max_length=64,
        description="With all_combinations: the choices whose readings are combined, by name (as `--choice NAME`); none: every choice that decides a verdict.",
    )


class DeadlinesRequest(Model):
    """The procedure's time limits: of a competition (its events), or from an announcement date
    and/or the close of acceptance (as ``clusterpolicy deadlines``)."""

    competition: Optional[Competition] = Field(None, description="A competition (its events and dates); or give announced/closes.")
    announced: Optional[Day] = Field(None, description="Announcement date, without a competition.")
    closes: Optional[Day | Timestamp] = Field(None, description="Close of acceptance (a date, or a date and time), without a competition.")
    pack: Optional[Str] = _Pack
    lang: Language = _Lang
    as_of: Optional[Day] = _AsOf


class ReportRequest(Model):
    """A document for officials from a competition (with its applications), or from one
    application and its competition's header (as ``clusterpolicy report``)."""

    competition: Optional[Competition] = Field(None, description="A competition; its header only when an application is given.")
    application: Optional[Application] = Field(None, description="One application (a return notice).")
    date: Optional[Day] = Field(None, description="The document's date (default: the event's date, or ____).")
    allow_empty: bool = Field(False, description="Draft the document even when the competition has no application (refused otherwise).")
    pack: Optional[Str] = _Pack
    lang: Language = _Lang
    as_of: Optional[Day] = _AsOf


class VerifyRequest(Model):
    """A result document to check (as ``clusterpolicy verify RESULT [INPUT]``): its digests, and,
    given the input it was made from, its verdicts re-evaluated under the pack its record names."""

    result: dict[str, Any] = Field(description="A result document (application or competition) carrying a decision_record.")
    application: Optional[Application] = Field(None, description="The application it was made from (with the competition's header if it was evaluated in one).")
    competition: Optional[Competition] = Field(
        None, description="The competition it was made from; beside an application, that competition's header (no applications)."
    )


class Difference(Model):
    what: str = Field(description="What differs: a digest, a version, or a verdict (an application id and a rule id, 'outcome', 'ranking').")
    recorded: Any = Field(None, description="As the result records it.")
    found: Any = Field(None, description="As found now.")


class Verification(Model):
    """The answer of ``POST /v1/verify`` (what ``clusterpolicy verify --format json`` prints)."""

    status: Literal["same", "different", "cannot_check"] = Field(description="The command's exit code 0, 1 and 2.")
    message: str
    checked: list[Literal["document_digest", "record_consistent", "input_digest", "verdicts", "document"]]
    differences: list[Difference]
    reasons: list[Difference] = Field(description="What is not as the record names it: the input, the pack, its parameters, a version.")


class PackVersion(Model):
    id: str
    version: str


class Health(Model):
    """The answer of ``GET /v1/health``."""

    status: Literal["ok"]
    library_version: str
    packs: list[PackVersion]


class PackSummary(Model):
    """One pack of ``GET /v1/packs``: its act, when in force, its rules and parameters."""

    id: str
    version: str
    title: str
    act: str
    in_force_from: dt.date
    in_force_until: Optional[dt.date] = None
    extends: Optional[str] = None
    rules: list[str]
    parameters: list[str]


class ExplainedCitation(Model):
    provision: str = Field(description="The stable reference, e.g. 'Criteria 1.1'.")
    text: Optional[str] = Field(None, description="The provision as the act reads in the language asked.")
    act: Optional[str] = Field(None, description="The act, in the language asked.")
    quote: Optional[str] = Field(None, description="The act's own words.")


class ExplainedParameter(Model):
    name: str
    value: Any = Field(None, description="The parameter's value (a number, a text, a list, a mapping).")
    provision: Optional[str] = None
    note: Optional[str] = None


class Defined(Model):
    file: Optional[str] = None
    line: Optional[int] = None


class RuleExplanation(Model):
    """The answer of ``GET /v1/packs/{pack}/rules/{rule}``: what ``clusterpolicy explain`` shows."""

    id: str
    title: str
    pack: PackVersion
    citation: ExplainedCitation = Field(description="provision, text (as the act reads), act, quote (the act's own words).")
    severity: Literal["disqualifying", "return", "warning", "info"]
    stages: list[int]
    when: Optional[dict[str, Any]] = Field(None, description="The rule's condition, as the pack writes it.")
    check: dict[str, Any] = Field(description="The rule's check, as the pack writes it (its `kind` and fields: docs/rule-kinds.md).")
    parameters: list[ExplainedParameter] = Field(description="Each parameter the rule uses.")
    message: str
    note: Optional[str] = None
    defined: Defined = Field(description="file and line of the pack where the rule is written.")


class ProblemLocation(Model):
    line: Optional[int] = Field(None, description="The line of the request body.")
    path: Optional[str] = Field(None, description="The field's path, e.g. participants[3].founded.")
    pointer: Optional[str] = Field(None, description="The field as a JSON Pointer, e.g. /participants/3/founded.")


class ProblemDetail(Model):
    code: str
    detail: str
    location: Optional[ProblemLocation] = None


class Problem(Model):
    """An error (RFC 9457), with the library's error code and where the problem is."""

    type: str = Field(description="urn:clusterpolicy:error:<code>")
    title: str
    status: int
    detail: str
    code: str = Field(description="The library's error code (docs/errors.md), or pydantic's error type for a field a model refuses.")
    instance: Optional[str] = None
    location: Optional[ProblemLocation] = Field(None, description="Where the problem is.")
    errors: list[ProblemDetail] = Field(default_factory=list, description="Every problem found, each with code, detail and location.")


# --------------------------------------------------------------------------- errors as problems


def _location(location: Location | None) -> dict[str, Any] | None:
    if location is None or (location.line is None and not location.path):
        return None
    return {
        "line": location.line,
        "path": format_path(location.path),
        "pointer": "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in location.path),
    }


def status_of(error: ClusterPolicyError) -> int:
    return STATUS_OF_CODE.get(error.code, 422)


def accepted_language(header: str | None) -> Language:
    """The language an ``Accept-Language`` header prefers among kk, ru and en (``kk-KZ`` is kk;
    the highest ``q`` wins, the first listed among equals); en when it names none of them."""
    best, chosen = 0.0, "en"
    for tag, weight, _ in weighted(header or ""):
        primary = tag.split("-", 1)[0]
        if primary in ("kk", "ru", "en") and weight > best:
            best, chosen = weight, primary
    return chosen  # type: ignore[return-value]


def problem(error: ClusterPolicyError, *, status: int | None = None, instance: str | None = None, lang: Language = "en") -> Response:
    """The RFC 9457 document of a library error (its details, if any, under ``errors``); its
    ``detail`` texts in ``lang`` where the catalogue words them (an input's errors: docs/errors.md,
    "In Kazakh and Russian"), else in English. Every other member is the same in every language."""
    from ..core.l10n import error_message

    status = status or status_of(error)
    body: dict[str, Any] = {
        "type": f"urn:clusterpolicy:error:{error.code}",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": error_message(error, lang),
        "code": error.code,
    }
    if instance:
        body["instance"] = instance
    where = _location(error.location)
    if where:
        body["location"] = where
    if error.details:
        body["errors"] = [
            {"code": detail.code, "detail": error_message(detail, lang), "location": _location(detail.location)} for detail in error.details
        ]
    return Response(to_json(body).encode("utf-8"), status_code=status, media_type=PROBLEM)


# --------------------------------------------------------------------------- reading a request


async def read_body(request: Request, limit: int) -> bytes:
    """The request's body; a body over ``limit`` bytes is refused from its declared length, or
    as soon as the bytes received pass the limit."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise InputError(f"the request body ({int(declared)} bytes) is larger than the limit of {limit} bytes", code="too_large")
    return await receive_body(request.receive, limit)


async def receive_body(receive: Any, limit: int) -> bytes:
    """The body's bytes from the ASGI ``receive``, refused as soon as the bytes received pass
    ``limit`` (by :func:`read_body`, and by ``POST /v1/evaluate``'s direct path)."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # gone, or cut off by the protocol's deadline (which answered 408)
            raise InputError("the client went away before its request body was received", code="request_timeout")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise InputError(f"the request body is larger than the limit of {limit} bytes", code="too_large")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def parse_body(raw: bytes) -> Document:
    """The body's JSON object, read with the library's reader (UTF-8, duplicate keys, NaN,
    nesting, as for a file), remembering the line of each value."""
    text = decode_utf8(raw, BODY)
    if not text.strip():
        raise InputError("the request has no body; expected a JSON object", location=Location(BODY), code="syntax")
    document = parse_json(text, BODY)
    if not isinstance(document.data, dict):
        kind = type(document.data).__name__ if document.data is not None else "null"
        raise InputError(f"expected a JSON object of fields, found {kind}", location=document.location(), code="model_type")
    return document


def _quick_data(raw: bytes) -> tuple[str, dict[str, Any]] | None:
    """The body's text and object as :func:`parse_body` reads them, when nothing in it needs a
    close look (``core.sources.quick_json``); else None. Depth needs no walk here: the request
    models hold no free-form value but the fields of :data:`_FREE` (measured by
    :func:`read_request`), and a body nested deeper elsewhere does not validate (then the
    careful reader says why)."""
    plain = quick_json(raw)
    return plain if plain is not None and isinstance(plain[1], dict) else None


_FREE = ("parameters", "result")
"""The request fields that hold free-form JSON (``dict[str, Any]``): their nesting is measured."""


def read_request(model: type[ModelT], raw: bytes, *, quick: type[Any] | None = None) -> tuple[ModelT, Document]:
    """The body validated as ``model``, and the document an error is located in (a field's line).

    A plain body (:func:`_quick_data`) is validated at once, its lines found only if an error
    found later needs one. A body the quick reading leaves to the careful reader, or that does
    not validate, is read again by it (:func:`parse_body`: strict JSON, the limits, lines) and
    validated by :func:`~clusterpolicy.core.sources.validate`, which locates every error: errors
    are those of the careful reading, and an answer is the same bytes either way (the same
    values are validated). ``quick``: the model a plain body is validated with instead of
    ``model``, giving the same values in the form the operation takes (:class:`_EvaluateRead`)."""
    plain = _quick_data(raw)
    if plain is not None and not any(nesting_depth(plain[1].get(name)) + 1 > MAX_DEPTH for name in _FREE):
        text, data = plain
        document = Document(data, BODY, find_some_lines=lambda paths: json_lines(text, paths))
        try:
            return (validated_in_order(quick, data, integers_first=True) if quick is not None else model.model_validate(data)), document
        except ValidationError:
            pass  # the careful reader's error (a body nested too deep fails here, but is refused for its depth)
    document = parse_body(raw)
    return validate(model, document), document


def _header(competition: Any) -> Competition | None:
    """The request's competition as the input model (a header: the same fields, no applications)."""
    if competition is None or isinstance(competition, Competition):
        return competition
    return Competition.model_validate(competition.model_dump(mode="python"))


def _in_body(call: Callable[[], Any], document: Document) -> Any:
    """Run ``call``; an error the operations name by its field in the request, without a file
    (:mod:`.operations`), gets that field's line in the body."""
    try:
        return call()
    except ClusterPolicyError as exc:
        where = exc.location
        if where is not None and where.file is None and where.path:
            exc.location = document.location(tuple(where.path))
        elif where is not None and where.file == "parameters" and where.path:  # a changed parameter's name (operations.changed)
            exc.location = document.location(("parameters", *where.path))
        raise


def _pack_located(call: Callable[[], Any], request: Any) -> Any:
    """Run ``call`` once the pack the body names (``pack``, else ``competition.pack``) is known
    to be a shipped one: never a folder of the server's, whatever the library accepts as a pack;
    an unknown pack points at the field that names it, and its line in the body (:func:`_in_body`)."""
    from ..packs import available_packs

    competition_pack = getattr(getattr(request, "competition", None), "pack", None)
    field, named = (("pack",), request.pack) if request.pack is not None else (("competition", "pack"), competition_pack)
    if named is not None and named not in available_packs():
        known = ", ".join(available_packs())
        raise UsageError(f"unknown rule pack {named!r}; the shipped packs are: {known}", location=Location(None, None, field), code="unknown_pack")
    return call()


# --------------------------------------------------------------------------- the operations


def _answer(operation: Callable[..., bytes], request: Any) -> Callable[..., bytes]:
    """The operation as asked: compact JSON, or indented with ``?pretty=1``."""
    return partial(operation, pretty=True) if _pretty(request) else operation


def _answered(operation: Callable[..., bytes], *args: Any) -> bytes:
    """``operation(*args)`` with the cyclic collector paused (``core.record.gc_paused``, as an
    evaluation pauses it): reading the body, validating, evaluating and writing a JSON answer
    make no garbage cycle, and every few hundred objects allocated the collector walked the
    younger ones again; once the answer's bytes are made, what the operation built is freed by
    reference counting (0.17 ms of the 6 ms of a 51 KiB ``POST /v1/evaluate``,
    benchmarks/bench_service.py). Not for a document (``report``), whose layout may make cycles."""
    with gc_paused():
        return operation(*args)


def _pretty(request: Any) -> bool:
    """``?pretty=1`` (or ``true``, ``yes``): the indented JSON the command line prints by default,
    for people; otherwise the compact form (``--compact``): the same document, written by the
    C encoder (a third of an answer's time was pretty-printing it)."""
    return str(request.query_params.get("pretty", "")).lower() in ("1", "true", "yes")


def evaluate_application(raw: bytes, *, pretty: bool = False) -> bytes:
    """``POST /v1/evaluate``: the bytes ``clusterpolicy evaluate FILE --competition HEADER --format json --compact``
    prints (``pretty``: without ``--compact``)."""
    try:
        request, document = read_request(EvaluateRequest, raw, quick=_EvaluateRead)
    except InputError as exc:
        for problem_ in [exc, *exc.details]:
            if problem_.code == "extra_forbidden" and problem_.location and problem_.location.path == ("competition", "applications"):
                problem_.message = "here the competition is its header only: evaluate one application; send a competition with its applications to POST /v1/competitions/evaluate"
        raise
    competition = _header(request.competition)
    result = _in_body(lambda: _pack_located(
        lambda: operations.evaluate_application(
            request.application, competition, pack=request.pack, lang=request.lang, as_of=request.as_of,
            parameters=operations.changed(request.parameters, "parameters"),
        ),
        request,
    ), document)
    return result.to_json(compact=False).encode("utf-8") if pretty else compact_bytes(result)


def evaluate_competition(raw: bytes, *, pretty: bool = False) -> bytes:
    """``POST /v1/competitions/evaluate``: the bytes ``clusterpolicy evaluate FOLDER --format json --compact``
    prints (``pretty``: without ``--compact``)."""
    request, document = read_request(CompetitionRequest, raw)
    report = _in_body(lambda: _pack_located(
        lambda: operations.evaluate_competition(
            request.competition, pack=request.pack, lang=request.lang, as_of=request.as_of,
            parameters=operations.changed(request.parameters, "parameters"),
        ),
        request,
    ), document)
    return report.to_json(compact=not pretty).encode("utf-8")


def _shipped(named: Any, field: tuple[Any, ...], document: Document) -> None:
    """A pack the body names is a shipped one (never a folder of the server's); else an error at ``field``."""
    from ..packs import available_packs

    if named is not None and named not in available_packs():
        known = ", ".join(available_packs())
        raise UsageError(f"unknown rule pack {named!r}; the shipped packs are: {known}", location=document.location(field), code="unknown_pack")


def diff(raw: bytes, *, pretty: bool = False) -> bytes:
    """``POST /v1/diff``: the bytes ``clusterpolicy diff COMPETITION --pack A --pack B --set NAME=VALUE
    --format json --compact`` prints (``pretty``: without ``--compact``)."""
    request, document = read_request(DiffRequest, raw)
    for index, named in enumerate(request.packs):
        _shipped(named, ("packs", index), document)
    _shipped(request.competition.pack, ("competition", "pack"), document)
    if len(request.packs) < 2 and not request.parameters:
        raise InputError(
            "diff needs two packs (packs: [A, B]) or changed parameters (parameters: {name: value})",
            location=document.location(("packs",)) if request.packs else Location(BODY),
            code="usage",
        )
    comparison = _in_body(lambda: operations.compare_competition(
        request.competition, list(request.packs), parameters=operations.changed(request.parameters, "parameters"), lang=request.lang
    ), document)
    return comparison.to_json(compact=not pretty).encode("utf-8")


def sensitivity(raw: bytes, *, pretty: bool = False) -> bytes:
    """``POST /v1/sensitivity``: the bytes ``clusterpolicy sensitivity COMPETITION --format json --compact``
    prints (``pretty``: without ``--compact``)."""
    request, document = read_request(SensitivityRequest, raw)

    def combined() -> Any:
        try:
            return operations.competition_sensitivity(
                request.competition, pack=request.pack, lang=request.lang, all_combinations=request.all_combinations,
                choices=list(request.choices) or None,
            )
        except UsageError as exc:  # a choice the pack does not have, or too many combinations: the field that asks for it
            if exc.location is None and exc.code in ("unknown_parameter", "usage", "too_many_combinations"):
                exc.location = document.location(("choices",) if request.choices else ("all_combinations",))
            raise

    found = _in_body(lambda: _pack_located(combined, request), document)
    return found.to_json(compact=not pretty).encode("utf-8")


def deadlines(media_type: str, raw: bytes, *, pretty: bool = False) -> bytes:
    """``POST /v1/deadlines``: the timeline as JSON (what ``clusterpolicy deadlines --format json``
    writes), or as iCalendar (``text/calendar``, what ``--ics`` writes)."""
    request, document = read_request(DeadlinesRequest, raw)
    if request.competition is not None and (request.announced or request.closes):
        raise InputError("give either a competition or announced/closes, not both", location=Location(BODY, None, ("announced",) if request.announced else ("closes",)), code="usage")
    if request.competition is None and not (request.announced or request.closes):
        raise InputError("give a competition, or announced and/or closes", location=Location(BODY), code="usage")
    found = _in_body(lambda: _pack_located(
        lambda: operations.deadlines(
            request.competition, announced=request.announced, closes=request.closes, pack=request.pack, lang=request.lang, as_of=request.as_of
        ),
        request,
    ), document)
    if media_type == "text/calendar":
        return found.ics()
    return found.result().to_json(compact=not pretty).encode("utf-8")


def report(kind: str, media_type: str, raw: bytes) -> bytes:
    """``POST /v1/reports/{kind}``: a document for officials, as ``clusterpolicy report`` makes it."""
    request, document = read_request(ReportRequest, raw)
    if request.application is not None:
        if request.competition is not None and request.competition.applications:
            raise InputError(
                "with an application, give only its competition's header (no applications)",
                location=document.location(("competition", "applications")),
                code="usage",
            )
        subject: Any = request.application
    elif request.competition is not None:
        subject = request.competition
    else:
        raise InputError("give a competition, or an application (and its competition's header)", location=Location(BODY), code="usage")
    header = request.competition if request.application is not None else None
    source = _in_body(lambda: _pack_located(
        lambda: operations.evaluate_input(subject, header, pack=request.pack, lang=request.lang, as_of=request.as_of, for_document=True), request
    ), document)
    made = operations.make_document(kind, source, date=request.date, allow_empty=request.allow_empty, competition=header)
    if REPORT_TYPES[media_type] == "pdf":
        return _pdf(made)
    text = made.to_html() if REPORT_TYPES[media_type] == "html" else made.to_markdown()
    return text.encode("utf-8")


def verify(raw: bytes) -> bytes:
    """``POST /v1/verify``: what ``clusterpolicy verify RESULT [INPUT] --format json`` prints
    (the record's pack is the shipped one: no folder of the server's)."""
    request, document = read_request(VerifyRequest, raw)
    if request.application is not None and request.competition is not None and request.competition.applications:
        raise InputError(
            "with an application, give only its competition's header (no applications)",
            location=document.location(("competition", "applications")),
            code="usage",
        )
    subject: Any = request.application if request.application is not None else request.competition
    header = request.competition if request.application is not None else None
    found = _in_body(lambda: operations.verify(request.result, subject, header), document)
    return to_json(found.to_dict()).encode("utf-8")


def _pdf(made: Any) -> bytes:
    to_pdf = getattr(made, "to_pdf", None)
    if to_pdf is None:
        raise UsageError("PDF is not available from this version of the library; ask for text/html or text/markdown", code="not_acceptable")
    try:
        return bytes(to_pdf())
    except ClusterPolicyError as exc:
        if exc.code == "missing_extra":
            raise UsageError(f"PDF is not available on this server ({exc.message}); ask for text/html or text/markdown", code="not_acceptable") from None
        raise


def pdf_available() -> bool:
    """Whether the report functions can make PDF at all (the ``documents`` side may add it)."""
    from .reports import OfficialDocument

    return hasattr(OfficialDocument, "to_pdf")


def health() -> dict[str, Any]:
    from ..packs import available_packs, load_pack

    return {
        "status": "ok",
        "library_version": library_version(),
        "packs": [{"id": pack.id, "version": pack.version} for pack in map(load_pack, available_packs())],
    }


def packs(lang: Language) -> list[dict[str, Any]]:
    """``GET /v1/packs``: the shipped packs' summaries."""
    return operations.pack_summaries(lang)


def explain(pack_id: str, rule_id: str, lang: Language) -> dict[str, Any]:
    """What ``clusterpolicy explain RULE --pack PACK`` shows, as JSON (a shipped pack only)."""
    from ..packs import load_pack

    return operations.explanation(*operations.find_rule(rule_id, load_pack(pack_id)), lang)


# --------------------------------------------------------------------------- content negotiation


def weighted(header: str) -> list[tuple[str, float, int]]:
    """The items of an ``Accept``-style header (RFC 9110: ``Accept``, ``Accept-Language``), each
    lower-cased with its ``q`` weight (1 when not given, 0 when unreadable, kept within 0..1) and
    its position."""
    items = []
    for position, item in enumerate(header.split(",")):
        parts = [part.strip() for part in item.split(";")]
        quality = 1.0
        for parameter in parts[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        if parts[0]:
            items.append((parts[0].lower(), quality, position))
    return items


def choose_type(accept: str | None, offered: list[str]) -> str:
    """The type of ``offered`` the ``Accept`` header prefers (the first offered on a tie, or
    without the header); a :class:`UsageError` ``not_acceptable`` when it accepts none."""
    if not accept or not accept.strip():
        return offered[0]
    ranges = weighted(accept)

    def quality_of(media_type: str) -> float:
        best: tuple[int, float] | None = None  # (specificity, quality): the most specific range decides
        main = media_type.split("/")[0]
        for pattern, quality, _ in ranges:
            specificity = 2 if pattern == media_type else 1 if pattern == f"{main}/*" else 0 if pattern == "*/*" else -1
            if specificity >= 0 and (best is None or specificity > best[0]):
                best = (specificity, quality)
        return best[1] if best else 0.0

    scored = [(quality_of(media_type), -index, media_type) for index, media_type in enumerate(offered)]
    quality, _, chosen = max(scored)
    if quality <= 0:
        raise UsageError(f"cannot answer in any type the request accepts ({accept.strip()[:100]}); offered: {', '.join(offered)}", code="not_acceptable")
    return chosen


def accept_json(request: Request) -> None:
    """A GET endpoint answers JSON only: 406 when the ``Accept`` header accepts no JSON."""
    choose_type(request.headers.get("accept"), [JSON])


# --------------------------------------------------------------------------- the application


def max_operations() -> int:
    """Requests a worker answers at once: ``CLUSTERPOLICY_MAX_OPERATIONS``, else :data:`DEFAULT_MAX_OPERATIONS`."""
    text = os.environ.get(MAX_OPERATIONS_ENV, "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else DEFAULT_MAX_OPERATIONS


def max_body_bytes() -> int:
    """The body limit: ``CLUSTERPOLICY_MAX_BODY_BYTES``, else :data:`DEFAULT_MAX_BODY`."""
    text = os.environ.get(MAX_BODY_ENV, "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else DEFAULT_MAX_BODY


def _json(data: Any) -> Response:
    return Response(to_json(data).encode("utf-8"), media_type=JSON)


def _body_doc(model: type) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {JSON: {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}}}}


def _examples() -> dict[str, Any]:
    """Request bodies for the interactive docs ("Try it out"), made from the complete stage-1
    application and competition a shipped pack's YAML tests start from (``tests/base/``);
    without them Swagger UI would fill the form with strings made up from the models' patterns."""
    from ..core.sources import read_document
    from ..packs import available_packs, packs_root

    for pack_id in available_packs():
        base = packs_root().joinpath(pack_id, "tests", "base")
        files = [base.joinpath(name) for name in ("complete-stage1.yaml", "competition-stage1.yaml")]
        if not all(file.is_file() for file in files):
            continue
        try:
            with as_file(files[0]) as first, as_file(files[1]) as second:
                application, header = read_document(first).data, read_document(second).data
        except ClusterPolicyError:
            continue
        def plain(data: Any) -> Any:  # dates and times as JSON writes them
            return json.loads(json.dumps(data, default=lambda value: value.isoformat() if hasattr(value, "isoformat") else str(value)))

        application, header = plain(application), plain(header)
        competition = {**header, "applications": [application]}
        return {
            "EvaluateRequest": {"application": application, "competition": header, "lang": "ru"},
            "CompetitionRequest": {"competition": competition, "lang": "kk"},
            "DiffRequest": {"competition": competition, "parameters": {"paper_copies": 2}, "lang": "ru"},
            "SensitivityRequest": {"competition": competition, "lang": "kk"},
            "DeadlinesRequest": {"announced": header["announced_on"], "closes": header["acceptance_closes_at"], "lang": "ru"},
            "ReportRequest": {"competition": competition, "lang": "ru"},
        }
    return {}


def _responses(model: type | None, *types: str, codes: tuple[int, ...] = (400, 413, 422), many: bool = False) -> dict[int | str, Any]:
    ok: dict[str, Any] = {}
    for media_type in types:
        reference = {"$ref": f"#/components/schemas/{model.__name__}"} if model else {}
        ok[media_type] = {"schema": {"type": "array", "items": reference} if many else reference} if model and media_type == JSON else {}
    problem_ = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    responses: dict[int | str, Any] = {200: {"description": "OK", "content": ok}}
    for status in codes:
        responses[status] = {"description": TITLES[status], "content": problem_}
    return responses


def create_app(*, max_body: int | None = None, concurrent: int | None = None, wait: float = OPERATION_WAIT) -> FastAPI:
    """The ASGI application (FastAPI). ``max_body``: largest request body in bytes (default:
    :func:`max_body_bytes`); ``concurrent``: requests evaluated at once (default:
    :func:`max_operations`), the others waiting up to ``wait`` seconds for a slot, then 503."""
    from fastapi_offline import FastAPIOffline

    from ..packs import available_packs, load_pack
    from .reports import KINDS

    limit = max_body or max_body_bytes()
    slots = concurrent or max_operations()
    free: list[Any] = []  # the slots' semaphore, made in the event loop that serves (asyncio.Semaphore binds to one)
    ordered_validator(_EvaluateRead, integers_first=True)  # built once, before the first request (core.record.ordered_validator)
    for pack_id in available_packs():  # loaded once, before the first request, in every worker
        load_pack(pack_id)

    app = FastAPIOffline(
        title="clusterpolicy",
        version=library_version(),
        description="Competitive selection of territorial clusters (Government Decree No. 535 of 16 July 2015) "
        "as rules-as-code: the answers of the `clusterpolicy` command as JSON over HTTP. Errors are RFC 9457 "
        "problem documents carrying the library's error code (docs/errors.md).",
        docs_url="/docs",
        redoc_url="/redoc",
        static_url="/docs-assets",
        redirect_slashes=False,  # never a redirect: its Location would repeat the request's Host header
    )

    def _library_problem(exc: ClusterPolicyError, path: str, lang: Language = "en") -> Response:
        response = problem(exc, instance=path, lang=lang)
        if exc.code == "busy":
            response.headers["Retry-After"] = "5"
        return response

    def _internal_problem(method: str, path: str) -> Response:  # a defect of the library: logged, never shown
        LOG.exception("internal error on %s %s", method, path)
        error = UsageError("internal error: the request could not be answered (the server's log has the details)", code="internal_error")
        return problem(error, status=500, instance=path)

    class Service(type(app)):  # type: ignore[misc]
        """The application, answering ``POST /v1/evaluate`` without a query at once (:func:`_plain_evaluate`)."""

        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            if (
                scope["type"] == "http" and scope["path"] == "/v1/evaluate" and scope["method"] == "POST"
                and not scope.get("query_string") and not scope.get("root_path") and not self.root_path
                and await _plain_evaluate(scope, receive, send)
            ):
                return
            await super().__call__(scope, receive, send)

    app.__class__ = Service

    @app.exception_handler(ClusterPolicyError)
    async def _library_error(request: Request, exc: ClusterPolicyError) -> Response:
        return _library_problem(exc, request.url.path, accepted_language(request.headers.get("accept-language")))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            error = UsageError(f"no such endpoint: {request.url.path} (see /docs)", code="not_found")
        elif exc.status_code == 405:
            error = UsageError(f"{request.method} is not allowed on {request.url.path}", code="method_not_allowed")
        else:
            error = UsageError(str(exc.detail), code="invalid_argument")
        response = problem(error, status=exc.status_code if exc.status_code in TITLES else 422, instance=request.url.path)
        if exc.headers:
            response.headers.update(exc.headers)
        allowed = [method.strip() for method in response.headers.get("allow", "").split(",") if method.strip()]
        if "GET" in allowed and "HEAD" not in allowed:  # HEAD is a route of its own (see below)
            response.headers["allow"] = ", ".join([*allowed, "HEAD"])
        return response

    @app.exception_handler(RequestValidationError)
    async def _parameter_error(request: Request, exc: RequestValidationError) -> Response:
        details = []
        for item in exc.errors():
            where = tuple(item.get("loc", ()))
            details.append(UsageError(str(item.get("msg", "invalid")), location=Location(None, None, where), code=str(item.get("type", "invalid_argument"))))
        first = details[0] if details else UsageError("invalid request", code="invalid_argument")
        error = UsageError(first.message, location=first.location, code=first.code, details=details if len(details) > 1 else [])
        return problem(error, status=422, instance=request.url.path)

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        return _internal_problem(request.method, request.url.path)

    async def _run(request: Request, operation: Callable[..., bytes], *args: Any) -> bytes:
        """Read the body here; parse it and answer in a worker thread (the event loop stays free),
        at most ``slots`` at once: a request waits up to ``wait`` seconds for a free slot, then 503."""
        return await _in_slot(operation, *args, await read_body(request, limit))

    async def _plain_evaluate(scope: Any, receive: Any, send: Any) -> bool:
        """``POST /v1/evaluate`` without a query, answered as its route answers it (the same
        operation, slots, answer, headers and problem documents), without FastAPI's routing and
        request objects (0.15 ms of a request's CPU time, benchmarks/bench_service.py). False,
        having read nothing, for a body without a declared length within the limit: the route
        answers it (a body sent in chunks, or refused for its size)."""
        declared = next((value for name, value in scope["headers"] if name == b"content-length"), None)
        if declared is None or not declared.strip().isdigit() or int(declared) > limit:
            return False
        path = scope["path"]
        try:
            response = Response(await _in_slot(evaluate_application, await receive_body(receive, limit)), media_type=JSON)
        except ClusterPolicyError as exc:
            wanted = next((value for name, value in scope["headers"] if name == b"accept-language"), b"")
            response = _library_problem(exc, path, accepted_language(wanted.decode("latin-1")))
        except Exception:
            await _internal_problem("POST", path)(scope, receive, send)
            raise  # as Starlette does after answering a defect: the server logs it too
        await response(scope, receive, send)
        return True

    async def _in_slot(operation: Callable[..., bytes], *args: Any) -> bytes:
        """``operation(*args)`` in a worker thread, in one of the ``slots``."""
        if not free:
            free.append(asyncio.Semaphore(slots))
        if free[0].locked():  # wait for a slot, up to ``wait`` seconds
            try:
                await asyncio.wait_for(free[0].acquire(), wait)
            except asyncio.TimeoutError:
                raise UsageError(f"the service is busy ({slots} requests being answered); try again in a few seconds", code="busy") from None
        else:  # a free slot: taken at once, without the task and timer of a wait
            await free[0].acquire()
        try:
            if operation is report:  # a document's layout may make cycles: the collector runs (an evaluation inside still pauses it)
                return await run_in_threadpool(lambda: operation(*args))
            return await run_in_threadpool(lambda: _answered(operation, *args))
        finally:
            free[0].release()

    @app.get("/v1/health", tags=["service"], summary="Status, library version and packs", responses=_responses(Health, JSON, codes=()))
    def get_health(request: Request) -> Response:
        accept_json(request)
        return _json(health())

    @app.get("/v1/packs", tags=["packs"], summary="The shipped rule packs", responses=_responses(PackSummary, JSON, codes=(), many=True))
    def get_packs(request: Request, lang: Language = "en") -> Response:
        accept_json(request)
        return _json(packs(lang))

    @app.get(
        "/v1/packs/{pack}/rules/{rule}",
        tags=["packs"],
        summary="One rule: citation, quote, check, parameters, message (as `clusterpolicy explain`)",
        responses=_responses(RuleExplanation, JSON, codes=(404,)),
    )
    def get_rule(request: Request, pack: str, rule: str, lang: Language = "en") -> Response:
        accept_json(request)
        try:
            return _json(explain(pack, rule, lang))
        except UsageError as exc:
            if exc.code in ("unknown_pack", "unknown_rule"):
                return problem(exc, status=404, instance=f"/v1/packs/{pack}/rules/{rule}")
            raise

    @app.post(
        "/v1/evaluate",
        tags=["evaluation"],
        summary="One application (as `clusterpolicy evaluate FILE --format json`)",
        openapi_extra=_body_doc(EvaluateRequest),
        responses=_responses(ApplicationResult, JSON),
    )
    async def post_evaluate(request: Request) -> Response:
        return Response(await _run(request, _answer(evaluate_application, request)), media_type=JSON)

    @app.post(
        "/v1/competitions/evaluate",
        tags=["evaluation"],
        summary="A competition with its applications: completeness, timeline, scores, ranking, outcome",
        openapi_extra=_body_doc(CompetitionRequest),
        responses=_responses(_competition_report_model(), JSON),
    )
    async def post_competition(request: Request) -> Response:
        return Response(await _run(request, _answer(evaluate_competition, request)), media_type=JSON)

    @app.post(
        "/v1/diff",
        tags=["comparison"],
        summary="A competition under two packs, or changed parameters: what is judged differently (as `clusterpolicy diff`)",
        openapi_extra=_body_doc(DiffRequest),
        responses=_responses(_comparison_model(), JSON),
    )
    async def post_diff(request: Request) -> Response:
        return Response(await _run(request, _answer(diff, request)), media_type=JSON)

    @app.post(
        "/v1/sensitivity",
        tags=["comparison"],
        summary="A competition under each reading of every contested choice: which verdicts depend on which (as `clusterpolicy sensitivity`)",
        openapi_extra=_body_doc(SensitivityRequest),
        responses=_responses(_sensitivity_model(), JSON),
    )
    async def post_sensitivity(request: Request) -> Response:
        return Response(await _run(request, _answer(sensitivity, request)), media_type=JSON)

    @app.post(
        "/v1/deadlines",
        tags=["deadlines"],
        summary="Time limits, due dates and late steps (JSON, or text/calendar by Accept)",
        openapi_extra=_body_doc(DeadlinesRequest),
        responses=_responses(TimelineResult, JSON, "text/calendar", codes=(400, 406, 413, 422)),
    )
    async def post_deadlines(request: Request) -> Response:
        media_type = choose_type(request.headers.get("accept"), [JSON, "text/calendar"])
        content_type = "text/calendar; charset=utf-8" if media_type == "text/calendar" else JSON
        return Response(await _run(request, _answer(deadlines, request), media_type), media_type=content_type)

    @app.post(
        "/v1/reports/{kind}",
        tags=["reports"],
        summary="A document for officials: text/html, text/markdown or application/pdf (by Accept)",
        openapi_extra=_body_doc(ReportRequest),
        responses=_responses(None, *REPORT_TYPES, codes=(400, 404, 406, 413, 422)),
    )
    async def post_report(kind: str, request: Request) -> Response:
        if kind not in KINDS:
            raise UsageError(f"no document kind {kind!r}; the kinds are: {', '.join(KINDS)}", code="not_found")
        offered = [media for media in REPORT_TYPES if media != "application/pdf" or pdf_available()]
        media_type = choose_type(request.headers.get("accept"), offered)
        content_type = media_type + ("; charset=utf-8" if media_type.startswith("text/") else "")
        return Response(await _run(request, report, kind, media_type), media_type=content_type)

    @app.post(
        "/v1/verify",
        tags=["evaluation"],
        summary="Check a result's decision record: digests, and the verdicts re-evaluated from its input (as `clusterpolicy verify`)",
        openapi_extra=_body_doc(VerifyRequest),
        responses=_responses(Verification, JSON),
    )
    async def post_verify(request: Request) -> Response:
        return Response(await _run(request, verify), media_type=JSON)

    # HEAD on every GET endpoint (the interactive docs' included): the GET's status and headers,
    # without the body (the server sends none); kept out of the OpenAPI document.
    from fastapi.routing import APIRoute

    for route in list(app.routes):
        if isinstance(route, APIRoute) and "GET" in route.methods and "HEAD" not in route.methods:
            app.add_api_route(route.path, route.endpoint, methods=["HEAD"], include_in_schema=False)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            models = [EvaluateRequest, CompetitionRequest, DiffRequest, SensitivityRequest, DeadlinesRequest, ReportRequest, VerifyRequest,
                      Verification, Problem, Health, PackSummary, RuleExplanation]
            outputs = [ApplicationResult, _competition_report_model(), _comparison_model(), _sensitivity_model(), TimelineResult]
            _, definitions = models_json_schema(
                [(model, "validation") for model in models] + [(model, "serialization") for model in outputs],
                ref_template="#/components/schemas/{model}",
                schema_generator=_SchemaGenerator,
            )
            schema.setdefault("components", {}).setdefault("schemas", {}).update(definitions.get("$defs", {}))
            # Parameter errors are answered as problems too, not as FastAPI's HTTPValidationError.
            text = json.dumps(schema).replace('"#/components/schemas/HTTPValidationError"', '"#/components/schemas/Problem"')
            text = text.replace('"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}', f'"{PROBLEM}": {{"schema": {{"$ref": "#/components/schemas/Problem"}}}}')
            schema = json.loads(text)
            for name in ("HTTPValidationError", "ValidationError"):
                schema["components"]["schemas"].pop(name, None)
            _closed_values(schema)
            examples = _examples()
            for operations in schema["paths"].values():
                for operation in operations.values():
                    body = operation.get("requestBody", {}).get("content", {}).get(JSON)
                    name = body["schema"]["$ref"].rsplit("/", 1)[-1] if body else None
                    if name in examples:
                        body["example"] = examples[name]
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def serving_app() -> FastAPI:
    """The application ``clusterpolicy serve`` runs in each worker: :func:`create_app`, then every
    object alive once the packs are loaded moved out of the cyclic collector's reach
    (``gc.freeze``). The packs, the models and the imported modules live as long as the process;
    without this, each full collection walked all of them again (36 ms, every 150 requests or
    so: 0.24 ms a request of the 2017 example, ``benchmarks/bench_service.py``). Not done by
    :func:`create_app` itself, which a program may call again and again (the tests do): what is
    frozen is never collected as a cycle."""
    import gc

    app = create_app()
    gc.collect()
    gc.freeze()
    return app


def _closed_values(schema: dict[str, Any]) -> None:
    """What a generated client needs to be exact: a report answers only HTML, Markdown or PDF
    (binary), never JSON; ``kind`` and ``lang`` are enums. (The service keeps answering an
    unknown kind with 404 ``not_found``, as before.)"""
    from .reports import KINDS

    report = schema["paths"]["/v1/reports/{kind}"]["post"]
    report["responses"]["200"]["content"] = {
        "text/html": {"schema": {"type": "string"}},
        "text/markdown": {"schema": {"type": "string"}},
        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
    }
    for parameter in report.get("parameters", []):
        if parameter.get("name") == "kind":
            parameter["schema"] = {"type": "string", "enum": list(KINDS), "title": "Kind"}
    for name, component in schema.get("components", {}).get("schemas", {}).items():
        if name.endswith(("-Input", "-Output")):  # a model read and written differently: one class name each
            component["title"] = name.replace("-", "")
    deadlines = schema["paths"]["/v1/deadlines"]["post"]["responses"]["200"]["content"]
    if "text/calendar" in deadlines:
        deadlines["text/calendar"] = {"schema": {"type": "string"}}


def _competition_report_model() -> type:
    from ..competition import CompetitionReport

    return CompetitionReport


def _comparison_model() -> type:
    from ..comparison import Comparison

    return Comparison


def _sensitivity_model() -> type:
    from ..comparison import Sensitivity

    return Sensitivity
