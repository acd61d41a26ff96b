"""The decision record every result carries, and the canonical JSON its digests are taken over.

A result says which input, which pack and which library produced its verdicts, in a form
another system can check without this library (docs/output.md, "The decision record"):

- ``input``: the SHA-256 of the *canonical JSON* of the validated input;
- ``pack``: the pack's id, version and digest, and ``changed_parameters``: the parameters whose
  values differ from those of the shipped pack of the same id;
- ``versions``: the library, tzdata and holidays versions;
- ``digest``: the SHA-256 of the canonical JSON of the whole result document, with this
  ``digest`` field left out: the verdicts, the texts and the record itself.

**Canonical JSON** (``CANONICAL``): the document as the library writes it (every field, Decimals
as strings, dates in ISO 8601), serialised with keys sorted by code point, no whitespace
(``,`` and ``:`` as separators), non-ASCII characters as they are (no ``\\u`` escapes), in UTF-8.
Nothing in it depends on the clock: the time of evaluation is in no result.
"""

import copy
import datetime as dt
import operator
import gc
import hashlib
import json
import weakref
from contextlib import contextmanager
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Iterator, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_serializer
from pydantic_core import SchemaValidator, core_schema

from . import version as _version
from .base import made, made_in_order, new_dict, new_list
from .i18n import Text
from .tz import TZDATA_VERSION

CANONICAL = "clusterpolicy-canonical-json/1"
"""The name of the canonicalisation the digests are taken over (docs/output.md)."""

InputDocument = Literal["application", "competition", "application_in_competition"]
"""What the input digest is taken over: an application alone, a whole competition, or an
application with the header of the competition it was submitted to, as the object
``{"application": ..., "competition": ...}`` (the service's request body)."""


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for the block, and restored after it (exceptions too).

    An evaluation allocates many short-lived objects, freed by reference counting; each few
    hundred allocations the collector would walk every live object of the older generations,
    and with a 10,000-participant application in memory that was 64 % of the evaluation. Writing
    a large result out (its dump, the digests, the encoding) is the same: at 12,000 participants
    the collector took up to two thirds of ``to_json``. What the block leaves in cycles is
    collected at the next collection after it. A collector the caller had disabled stays disabled.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def canonical_json(data: Any) -> bytes:
    """``data`` (JSON values, or a pydantic model written in JSON mode) as canonical JSON bytes."""
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json")
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_default, check_circular=False).encode("utf-8")


def sha256(data: Any) -> str:
    """``sha256:<hex>`` of the canonical JSON of ``data``."""
    return "sha256:" + hashlib.sha256(canonical_json(data)).hexdigest()


def _input_document(subject: Any, competition: Any) -> InputDocument:
    """What an evaluation's input digest is taken over: an application, a competition, or an application in its competition."""
    if competition is not None:
        return "application_in_competition"
    fields = getattr(type(subject), "__pydantic_fields__", None)  # a model's fields, read on its class: hasattr on a
    # model without the attribute raises and catches pydantic's AttributeError (4 us, half of sealing a result)
    return "competition" if ("applications" in fields if fields is not None else hasattr(subject, "applications")) else "application"


def input_data(subject: Any, competition: Any = None) -> tuple[InputDocument, Any]:
    """The input whose digest a result records: the application or competition as validated
    (``model_dump(mode="json")``), or ``{"application": ..., "competition": ...}`` for an
    application evaluated with its competition's header."""
    if competition is None:
        return _input_document(subject, None), subject.model_dump(mode="json")
    return "application_in_competition", {
        "application": subject.model_dump(mode="json"),
        "competition": competition.model_dump(mode="json"),
    }


@lru_cache(maxsize=None)
def holidays_version() -> str:
    """The installed ``holidays`` package's version."""
    try:
        return version("holidays")
    except PackageNotFoundError:  # pragma: no cover - a core dependency
        return "unknown"


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True, extra="forbid")


class _Digested(_Part):
    """A part whose ``digest`` may be computed when first needed: read (``.digest``), compared,
    hashed or written out (any ``model_dump``), never before. An evaluation then costs no hashing
    that nobody reads (a batch that keeps only statuses; :func:`~clusterpolicy.evaluate` of
    12,000 participants, where the seal alone was a second of CPU), and the value, once computed,
    is the one an eager computation would have given: the digest of the frozen models it is
    taken over (:func:`sealed`, :func:`input_digest`)."""

    _pending: Any = PrivateAttr(None)  # (function, its argument): the digest, not yet computed

    def __getattribute__(self, name: str) -> Any:
        if name == "digest":
            _settle(self)
        return super().__getattribute__(name)

    @field_serializer("digest", check_fields=False)
    def _settled_digest(self, value: str) -> str:
        _settle(self)
        return object.__getattribute__(self, "__dict__")["digest"]

    def __eq__(self, other: Any) -> bool:
        _settle(self)
        if isinstance(other, _Digested):
            _settle(other)
        return super().__eq__(other)

    def __hash__(self) -> int:
        _settle(self)
        return super().__hash__()

    def __repr_args__(self) -> Any:
        _settle(self)
        return super().__repr_args__()


def _settle(part: Any) -> None:
    """Compute a pending digest (once: a nested dump of the same document meanwhile sees none pending)."""
    private = object.__getattribute__(part, "__pydantic_private__")
    pending = private.get("_pending") if private else None
    if pending is None:
        return
    private["_pending"] = None
    try:
        with gc_paused():
            digest = pending[0](pending[1])
    except BaseException:
        private["_pending"] = pending
        raise
    object.__getattribute__(part, "__dict__")["digest"] = digest


def _pending(part: Any, function: Any, argument: Any) -> Any:
    """``part`` (a fresh copy of its own) with its digest to be computed as ``function(argument)``."""
    object.__getattribute__(part, "__pydantic_private__")["_pending"] = (function, argument)
    return part


class InputDigest(_Digested):
    document: InputDocument = Field(description="What was digested: an application, a competition, or an application with its competition's header.")
    digest: str = Field(description="sha256:<hex> of the canonical JSON of the validated input (docs/output.md).")


class PackIdentity(_Part):
    id: str
    version: str
    digest: str = Field(description="sha256:<hex> of the pack's files (the result's pack.digest).")


class ChangedParameter(_Part):
    name: str
    value: Any = Field(description="The value used.")
    shipped: Any = Field(
        description="The value in the act's pack: the pack this one was derived from (--set), or the shipped pack of the same id "
        "(null: it has no such parameter). The same list as the result's pack.changed_parameters."
    )


class Versions(_Part):
    library: str
    tzdata: str
    holidays: str


class DecisionRecord(_Digested):
    """What produced a result's verdicts, and the digest that ties them together (docs/output.md)."""

    canonicalization: Literal["clusterpolicy-canonical-json/1"] = CANONICAL
    input: InputDigest
    pack: PackIdentity
    changed_parameters: list[ChangedParameter] = Field(
        default_factory=new_list, description="Parameters whose values differ from the shipped pack's of the same id, by name."
    )
    versions: Versions
    digest: str = Field(
        "", description="sha256:<hex> of the canonical JSON of the result document without this field.",
        json_schema_extra={"default": ""},  # the schema as before the digest was computed lazily (a serializer hides the default)
    )


def versions() -> Versions:
    """The versions of the library, tzdata and holidays running now."""
    return made(Versions, {"holidays": holidays_version(), "library": _version.library_version(), "tzdata": TZDATA_VERSION})


def document_digest(data: dict[str, Any]) -> str:
    """The digest of a result document (its JSON, read back or dumped): the canonical JSON's
    SHA-256 with ``decision_record.digest`` left out."""
    record = data.get("decision_record")
    if isinstance(record, dict):
        data = {**data, "decision_record": {k: v for k, v in record.items() if k != "digest"}}
    return sha256(data)


def result_data(result: BaseModel) -> dict[str, Any]:
    """A result model as its JSON document holds it (each text in the result's language)."""
    return result.model_dump(mode="json", context=_context(result))


def _context(result: Any) -> dict[str, Any] | None:
    """The serialisation context of a result's document: its language (each text written in it)."""
    lang = getattr(result, "language", None)
    return {"lang": lang} if lang is not None else None


def input_digest(subject: Any, competition: Any = None) -> InputDigest:
    """The digest of an evaluation's input (:func:`input_data`), computed when first needed."""
    document = _input_document(subject, competition)
    return _pending(InputDigest(document=document, digest=""), _input_sha256, (subject, competition))


def _input_sha256(arguments: tuple[Any, Any]) -> str:
    subject, competition = arguments
    if type(subject) is HeldInput:
        subject = subject.model()
    written = _canonical_input(subject, competition)  # models validated in canonical order: pydantic writes the canonical JSON
    if written is not None:
        return "sha256:" + hashlib.sha256(written).hexdigest()
    return sha256(input_data(subject, competition)[1])


class HeldInput:
    """The input of an evaluation in a stream (:func:`clusterpolicy.batch.evaluate_lines`), as its
    decision record keeps it for the input digest: the validated model while the stream holds it
    (until :meth:`release`, when the stream reads its next line), then only the text it was read
    from, read again by ``again`` if the digest is first needed after that.

    A record that kept the model would keep line N's application alive while line N+1 is read and
    validated: its objects then survive the collector's young generations and make it walk the old
    one about twice as often (a stream of 38 KiB applications read for their statuses: 7 full
    collections a thousand lines against reading's 3). The digest is the same either way: reading
    the same text gives the same model."""

    __slots__ = ("_model", "_again")

    def __init__(self, model: Any, again: Any) -> None:
        self._model = model
        self._again = again

    def release(self) -> None:
        """Let the model go: a digest taken after this reads the text again."""
        self._model = None

    def model(self) -> Any:
        return self._model if self._model is not None else self._again()


def sealed(result: Any, record: DecisionRecord | None = None) -> Any:
    """``result`` with ``record`` (or its own), the record's digest over the result as it now is.

    The digest is computed when first needed (read, compared or written out: :class:`_Digested`);
    :func:`sealed_data` writes the document out and computes it from the same dump."""
    own = record is None or record is result.__dict__.get("decision_record")
    record = record if record is not None else result.decision_record
    fresh = record.model_copy(update={"digest": ""})
    object.__getattribute__(fresh, "__pydantic_private__")["_pending"] = None
    if own and is_written_in_order(result):  # a result made in canonical order holds its record so; the copy keeps its order
        written_in_order(fresh)
    sealed_result = result.model_copy(update={"decision_record": fresh})
    _pending(fresh, _result_digest, sealed_result)
    return sealed_result


def sealed_fresh(
    result: Any, pack: PackIdentity, changed: list[ChangedParameter], subject: Any, competition: Any = None, held: HeldInput | None = None
) -> Any:
    """``sealed(result, record)`` for a result just made, which nobody holds yet: its decision record
    (the input digest over ``subject`` and ``competition``, and the result's digest, both computed
    when first needed) made and put in its place, without copying the result or the record.
    ``held``: ``subject`` as a stream holds it (:class:`HeldInput`), which the record keeps instead."""
    document = _input_document(subject, competition)
    private: dict[str, Any] = {"_pending": None}
    make = made_in_order if _SEALED_CHECKED else made  # the literals below never change their keys: made's check, once
    record = make(DecisionRecord, {  # every field in the order of their names (made), as pydantic then writes them
        "canonicalization": CANONICAL,
        "changed_parameters": changed,
        "digest": "",
        "input": make(InputDigest, {"digest": "", "document": document}, {"_pending": (_input_sha256, (subject if held is None else held, competition))}),
        "pack": pack,
        "versions": _versions(),
    }, private)
    if not _SEALED_CHECKED:
        _SEALED_CHECKED.append(True)
    # the digest is taken over the result's fields (a copy of its __dict__, without the record) and
    # the record (weakly: it is the one settling): no reference cycle, so a result nobody keeps is
    # freed at once, not left to the collector (a streaming batch: 0.56 -> 0.64 of validate-only)
    private["_pending"] = (_fields_digest, (type(result), dict(result.__dict__), weakref.ref(record)))
    result.__dict__["decision_record"] = record
    return result


_SEALED_CHECKED: list[bool] = []
"""Whether :func:`sealed_fresh`'s literals were checked by :func:`~clusterpolicy.core.base.made` (once per process)."""


def _fields_digest(argument: tuple[Any, dict[str, Any], Any]) -> str:
    """The digest of the result of these fields with this record (:func:`sealed_fresh`)."""
    cls, fields, record = argument
    return _result_digest(made(cls, {**fields, "decision_record": record()}))


def _is_sealed_over(pending: Any, result: Any) -> bool:
    """Whether ``pending`` is the digest of ``result`` as it now is (:func:`sealed` or :func:`sealed_fresh`)."""
    if pending[0] is _result_digest:
        return pending[1] is result
    if pending[0] is not _fields_digest:
        return False
    cls, fields, record = pending[1]
    held = result.__dict__
    return type(result) is cls and held.get("decision_record") is record() and all(
        held.get(name) is value for name, value in fields.items() if name != "decision_record"
    )


@lru_cache(maxsize=None)
def _versions() -> Versions:
    """:func:`versions`, once per process (a frozen model every record shares)."""
    return versions()


def _result_digest(result: Any) -> str:
    return document_digest(result_data(result))


_MARK = "sha256:pending-" + hashlib.sha256(repr(id(object())).encode()).hexdigest()
"""A stand-in written where a digest not yet computed goes (:func:`sealed_json`)."""


def _compact(data: Any) -> str:
    # check_circular=False: a dump holds no cycle; the C encoder then keeps no table of every
    # container it is in (a tenth of encoding an answer). The same text.
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_default, check_circular=False)


def sealed_json(result: BaseModel, context: Any = None) -> str:
    """``result`` as canonical JSON text (compact, keys sorted: ``to_json(compact=True)`` without
    its newline) of ``model_dump(mode="json", context=context)``. A record's digest still to be
    computed is computed from this same text, encoded once: the canonical JSON the digest covers
    is the text without the record's ``digest`` member. At 12,000 participants this saves encoding
    a 9 MiB document a second time (benchmarks/bench_bound.py)."""
    if _written_in_order(result, context):
        written = _pydantic_bytes(result, context)
        if written is not None:
            return written[:-1].decode("utf-8")
    return _dumped(result, context, _canonical_text)


def compact_bytes(result: BaseModel) -> bytes:
    """``to_json(result, compact=True)`` (``checks.results.to_json``) as UTF-8 bytes, for an answer
    sent as bytes (the HTTP service): the text of :func:`sealed_json` encoded once, the record's
    digest hashed from the encoded bytes around its member and put in place by one join, without
    the copies and encodings of the text's parts. The same bytes, the same digest."""
    context = _context(result)
    with gc_paused():
        if _written_in_order(result, context):  # made in canonical order: pydantic writes the canonical JSON
            written = _pydantic_bytes(result, context)
            if written is not None:
                return written
        return _dumped(result, context, _canonical_bytes)


def sealed_data(result: BaseModel, context: Any = None) -> dict[str, Any]:
    """``result.model_dump(mode="json", context=context)``; a result whose record's digest is still
    to be computed has it computed from this same dump (not from a second one of its own)."""
    return _dumped(result, context, _data)


def _dumped(result: BaseModel, context: Any, write: Any) -> Any:
    """``write(data, sealing)[0]`` for ``data = result.model_dump(mode="json", context=context)``;
    ``sealing`` when the record's digest is still to be computed over this dump, and then
    ``write`` gives the digest too, which the record keeps (or, if ``write`` fails, stays pending)."""
    seal = _pending_seal(result, context)
    if seal is None:
        return write(result.model_dump(mode="json", context=context), False)[0]
    record, private, pending = seal
    private["_pending"] = None  # the dump below writes the record without its digest
    try:
        written, digest = write(result.model_dump(mode="json", context=context), True)
    except BaseException:
        private["_pending"] = pending
        raise
    record.__dict__["digest"] = digest
    return written


def _data(data: dict[str, Any], sealing: bool) -> tuple[dict[str, Any], str | None]:
    """:func:`sealed_data`'s writer: the dump itself, its record's digest taken over it and put in."""
    if not sealing:
        return data, None
    digest = data["decision_record"]["digest"] = document_digest(data)
    return data, digest


def _canonical_text(data: dict[str, Any], sealing: bool) -> tuple[str, str | None]:
    """:func:`sealed_json`'s writer: the canonical text (no newline)."""
    return _canonical(data, sealing, False)


def _canonical_bytes(data: dict[str, Any], sealing: bool) -> tuple[bytes, str | None]:
    """:func:`compact_bytes`'s writer: the canonical text as UTF-8 bytes, with its newline."""
    return _canonical(data, sealing, True)


def _canonical(data: dict[str, Any], sealing: bool, encoded: bool) -> tuple[Any, str | None]:
    """The canonical JSON of ``data`` (text, or UTF-8 bytes with a newline if ``encoded``) and,
    if ``sealing``, the digest of its record computed from that same text: the mark written in
    the ``digest`` member, the text hashed around it, and the digest spliced in its place."""
    if not sealing:
        text = _compact(data)
        return (text.encode("utf-8") + b"\n" if encoded else text), None
    data["decision_record"]["digest"] = _MARK
    text = _compact(data)
    if encoded:
        spliced = _spliced(text.encode("utf-8"))
        if spliced is not None:
            return spliced
    else:
        member = f'"digest":"{_MARK}"'
        at = text.find(member)
        if at >= 0 and text.find(_MARK, at + len(member)) < 0 and text.find(_MARK, 0, at) < 0:
            end = at + len(member)
            # the canonical text is this one without the member (and one comma beside it): hashed in its two parts
            head, tail = (text[:at], text[end + 1:]) if text[end:end + 1] == "," else (text[: at - (text[at - 1:at] == ",")], text[end:])
            hasher = hashlib.sha256(head.encode("utf-8"))
            hasher.update(tail.encode("utf-8"))
            digest = "sha256:" + hasher.hexdigest()
            return "".join((text[:at], '"digest":"', digest, '"', text[end:])), digest
    # the mark stands elsewhere too (a text quoting it): the digest from the data, two encodings
    digest = document_digest(data)
    data["decision_record"]["digest"] = digest
    text = _compact(data)
    return (text.encode("utf-8") + b"\n" if encoded else text), digest


def _pending_seal(result: BaseModel, context: Any) -> tuple[Any, dict[str, Any], Any] | None:
    """The record of ``result`` whose digest is still to be computed over ``result`` dumped with
    ``context``, its private attributes and what is pending; None if there is none."""
    record = result.__dict__.get("decision_record")
    private = object.__getattribute__(record, "__pydantic_private__") if isinstance(record, DecisionRecord) else None
    pending = private.get("_pending") if private else None
    if pending is None or not _is_sealed_over(pending, result) or context != _context(result):
        return None
    return record, private, pending


# --------------------------------------------------------------------------- canonical JSON by pydantic's serializer

# pydantic's Rust serializer writes a model's fields in the order of its ``__dict__`` and a dict's
# items in their order; validation fills a ``__dict__`` in the order of the schema's fields. A
# validator whose schema lists every model's fields sorted (by the key they are written under) and
# sorts every dict it makes therefore gives models that pydantic writes as canonical JSON, keys
# sorted, in one pass of Rust: the input digest without the dump and the sorting encoder
# (0.7 -> 0.2 ms of a 48 KiB request, benchmarks/bench_service.py). Only schemas whose every part
# is understood here are re-ordered; any other gives no such validator, and the digest is taken
# the usual way.

class _Marks:
    """Objects noted by identity, each held by a plain weak reference, without the callback of a
    ``WeakValueDictionary`` (a Python function run as each noted object is freed: with its entry's
    setting, 2-4 µs of a 55 µs evaluation). A freed object's entry is dropped when the marks are
    next pruned, once they have doubled since the last pruning; an object whose id is reused is
    not taken for the freed one it replaces (its weak reference is dead)."""

    def __init__(self) -> None:
        self._refs: dict[int, Any] = {}
        self._prune_at = _FIRST_PRUNING

    def add(self, obj: Any) -> None:
        refs = self._refs
        if len(refs) >= self._prune_at:
            for key, ref in list(refs.items()):
                if ref() is None:
                    refs.pop(key, None)
            self._prune_at = max(_FIRST_PRUNING, 2 * len(refs))
        refs[id(obj)] = weakref.ref(obj)

    def __contains__(self, obj: Any) -> bool:
        ref = self._refs.get(id(obj))
        return ref is not None and ref() is obj

    def discard(self, obj: Any) -> None:
        self._refs.pop(id(obj), None)

    def not_in(self, objects: list[Any]) -> list[Any]:
        """The ``objects`` not noted, in their order (one lookup each, without a method call)."""
        get = self._refs.get
        return [obj for obj in objects if (ref := get(id(obj))) is None or ref() is not obj]

    def add_all(self, objects: list[Any]) -> None:
        """Note every one of ``objects`` (pruned, if due, once before them)."""
        if objects:
            self.add(objects[0])
            refs = self._refs
            for obj in objects[1:]:
                refs[id(obj)] = weakref.ref(obj)

    def __len__(self) -> int:
        return len(self._refs)


_FIRST_PRUNING = 256

Marks = _Marks
"""Objects noted by identity (:class:`_Marks`), for the modules that note their own."""


_ORDERED = _Marks()
"""Models validated by an :func:`ordered_validator`, by id: their canonical JSON is their JSON."""

ModelT = TypeVar("ModelT", bound=BaseModel)

_PLAIN_SCHEMAS = frozenset({"bool", "str", "int", "decimal", "date", "datetime", "literal", "enum", "none", "definition-ref"})


class _Unordered(Exception):
    """A part of a schema whose JSON :func:`ordered_validator` cannot tell to be canonical."""


def _sorted_by_text(value: dict[Any, Any]) -> dict[Any, Any]:
    # the keys as JSON writes them (an int key as its digits), sorted as json.dumps sorts them
    return value if len(value) < 2 else {key: value[key] for key in sorted(value, key=str)}


def _in_order(value: Any) -> Any:
    """A value as the re-ordered validator makes it: its models (copies) and dicts in canonical order, every
    dict sorted by key as :func:`_sorted_by_text` sorts one (a default value, or a free-form value validated as any)."""
    if isinstance(value, BaseModel):
        fields = value.__dict__
        copied = copy.copy(value)
        object.__setattr__(copied, "__dict__", {name: _in_order(fields[name]) for name in sorted(fields)})
        return copied
    if isinstance(value, dict):
        return {key: _in_order(value[key]) for key in sorted(value, key=str)}
    if isinstance(value, list):
        return [_in_order(each) for each in value]
    return value


def _integers_first(schema: dict[str, Any]) -> Any:
    """A decimal schema with digit bounds (``max_digits``, ``decimal_places``, which pydantic checks
    on the value's ``as_tuple()``: a call into Python for every value, 0.3 us) as a union that
    first takes, checked in Rust, an integer of at most ``max_digits - decimal_places`` digits
    (``max_digits`` without places; 28 at most, the precision pydantic normalizes with), then a
    text written as such a number with at most ``decimal_places`` digits after a point and 28 in
    all (``-12.5``: no ``+``, exponent, space, underscore or other digit), each made by the schema
    without its digit bounds (``Decimal(n)``, ``Decimal(text)``, its other bounds kept); anything
    else is validated by ``schema`` itself. What the first two take, pydantic takes as the same
    value. Not its errors (a value every choice refuses gets the union's): for a reader whose
    errors come from the model again (``output.service.read_request``). A strict schema, a named
    one (``ref``), or one without digit bounds (or with fewer digits than places) is kept."""
    digits, places = schema.get("max_digits"), schema.get("decimal_places")
    if schema.get("strict") or "ref" in schema or (digits is None and places is None):
        return schema
    whole = min(digits - (places or 0), 28) if digits is not None else 28
    if whole < 1:
        return schema
    plain = {key: value for key, value in schema.items() if key not in ("max_digits", "decimal_places", "metadata")}
    choices = [core_schema.chain_schema([core_schema.int_schema(strict=True, gt=-(10**whole), lt=10**whole), plain])]
    if places is not None and 0 < places < 28:  # a text of at most 28 digits: exact in the precision pydantic normalizes with
        before = min(whole, 28 - places)
        written = core_schema.str_schema(strict=True, strip_whitespace=False, pattern=rf"^-?[0-9]{{1,{before}}}(\.[0-9]{{1,{places}}})?$")
        choices.append(core_schema.chain_schema([written, plain]))
    return core_schema.union_schema([*choices, schema], mode="left_to_right")


def _ordered_schema(schema: Any, classes: list[type], numbers: bool = False) -> Any:
    """``schema`` (a pydantic core schema) with every model's fields sorted and every dict sorted once validated
    (``numbers``: and every bounded decimal taking an integer first, :func:`_integers_first`)."""
    if not isinstance(schema, dict):
        raise _Unordered(repr(schema))
    kind = schema.get("type")
    if "serialization" in schema and kind != "model" and not _known_serializer(schema):
        raise _Unordered(f"{kind} with a serializer")
    if kind in _PLAIN_SCHEMAS:
        return _integers_first(schema) if numbers and kind == "decimal" else schema
    if kind == "any":
        return core_schema.no_info_after_validator_function(_in_order, schema)
    ordered = dict(schema)
    if kind == "definitions":
        ordered["schema"] = _ordered_schema(schema["schema"], classes, numbers)
        ordered["definitions"] = [_ordered_schema(each, classes, numbers) for each in schema["definitions"]]
    elif kind == "model":
        if schema.get("root_model") or schema.get("custom_init") or (schema.get("config") or {}).get("extra_fields_behavior") == "allow":
            raise _Unordered(f"model {schema['cls'].__name__}")
        if "serialization" in schema and not _known_serializer(schema):
            raise _Unordered(f"model {schema['cls'].__name__} with a serializer")
        classes.append(schema["cls"])
        ordered["schema"] = _ordered_schema(schema["schema"], classes, numbers)
    elif kind == "model-fields":
        if schema.get("computed_fields") or schema.get("extras_schema"):
            raise _Unordered(f"{schema.get('model_name')}: computed or extra fields")
        fields = schema["fields"]
        if any(field.get("serialization_alias") or field.get("serialization_exclude") or field.get("serialization_exclude_if") for field in fields.values()):
            raise _Unordered(f"{schema.get('model_name')}: a field written under another name, or left out")
        ordered["fields"] = {name: {**fields[name], "schema": _ordered_schema(fields[name]["schema"], classes, numbers)} for name in sorted(fields)}
    elif kind == "default":
        ordered["schema"] = _ordered_schema(schema["schema"], classes, numbers)
        if "default_factory" in schema and schema["default_factory"] not in (new_list, new_dict, list, dict):
            factory = schema["default_factory"]
            ordered["default_factory"] = (lambda data: _in_order(factory(data))) if schema.get("default_factory_takes_data") else (lambda: _in_order(factory()))
        elif "default" in schema:
            ordered["default"] = _in_order(schema["default"])
    elif kind in ("nullable", "function-after", "function-before"):
        ordered["schema"] = _ordered_schema(schema["schema"], classes, numbers)
    elif kind == "list":
        ordered["items_schema"] = _ordered_schema(schema.get("items_schema", {"type": "any"}), classes, numbers)
    elif kind == "tagged-union":
        ordered["choices"] = {tag: _ordered_schema(choice, classes, numbers) for tag, choice in schema["choices"].items()}
    elif kind == "union":
        ordered["choices"] = [_ordered_schema(choice, classes, numbers) for choice in schema["choices"]]
    elif kind == "dict":
        keys = (schema.get("keys_schema") or {}).get("type")
        if keys not in ("str", "int"):
            raise _Unordered(f"a dict of {keys} keys")
        ordered["values_schema"] = _ordered_schema(schema.get("values_schema", {"type": "any"}), classes, numbers)
        ordered = core_schema.no_info_after_validator_function(_sorted_by_text, ordered)
    else:
        raise _Unordered(str(kind))
    return ordered


def _known_serializer(schema: dict[str, Any]) -> bool:
    """Whether a model's own serializer (or a field's) is one whose JSON keeps the order of the model's fields (:data:`ORDER_KEEPING`)."""
    function = schema["serialization"].get("function")
    return getattr(function, "__func__", function) in ORDER_KEEPING

ORDER_KEEPING: set[Any] = {_Digested._settled_digest, Text._in_language}
"""Serializers (functions) that write a model's fields in the order of its ``__dict__``, dropping
or replacing members but adding none (a model's), or write a plain value (a field's: the
record's digest): their model may be re-ordered (:func:`ordered_validator`) and written by
pydantic as canonical JSON (:func:`written_in_order`)."""


@lru_cache(maxsize=None)
def ordered_validator(model: type[BaseModel], *, integers_first: bool = False) -> Any:
    """A validator of ``model`` giving the same values with every model's fields in canonical
    order (see above), or None if its schema holds a part whose JSON that would not make canonical.
    ``integers_first``: its bounded decimals take an integer without a call into Python
    (:func:`_integers_first`: the same values, not the same errors)."""
    model.model_rebuild()
    classes: list[type] = []
    try:
        schema = _ordered_schema(model.__pydantic_core_schema__, classes, integers_first)
    except _Unordered:
        return None
    # pydantic-core reuses a complete model's own validator where a schema names its class (its
    # "prebuilt" validator, whose fields are in the declared order): while this one is built, the
    # classes it names are marked incomplete, so that it is built from the re-ordered schema
    complete = [cls for cls in dict.fromkeys(classes) if cls.__dict__.get("__pydantic_complete__")]
    try:
        for cls in complete:
            type.__setattr__(cls, "__pydantic_complete__", False)
        return SchemaValidator(schema)
    finally:
        for cls in complete:
            type.__setattr__(cls, "__pydantic_complete__", True)


def validated_in_order(model: type[ModelT], data: Any, *, integers_first: bool = False) -> ModelT:
    """``model.model_validate(data)``, the models in it in canonical order where the schema allows
    (:func:`ordered_validator`), those whose JSON is then canonical noted as such.
    ``integers_first``: see :func:`ordered_validator` (the same values; an error is not the model's)."""
    validator = ordered_validator(model, integers_first=integers_first)
    if validator is None:
        return model.model_validate(data)
    validated = validator.validate_python(data)
    _note_ordered(validated)
    return validated


def _note_ordered(model: BaseModel) -> None:
    _ORDERED.add(model)
    for value in model.__dict__.values():
        if isinstance(value, BaseModel):
            _ORDERED.add(value)


def _canonical_input(subject: Any, competition: Any) -> bytes | None:
    """The canonical JSON of an evaluation's input (:func:`input_data`) written by pydantic, if its models are in canonical order."""
    if subject not in _ORDERED or (competition is not None and competition not in _ORDERED):
        return None
    if competition is None:
        return subject.__pydantic_serializer__.to_json(subject)
    return b"".join((
        b'{"application":', subject.__pydantic_serializer__.to_json(subject),
        b',"competition":', competition.__pydantic_serializer__.to_json(competition), b"}",
    ))


# --------------------------------------------------------------------------- results written by pydantic's serializer

# The same holds for a result: if every model in it holds its fields in the order of their names
# and every dict in it is sorted, pydantic's ``to_json`` of it (with the result's context, its
# language) is its canonical JSON, in one pass of Rust (0.1 ms of the service's 50 KiB answer,
# against 0.5 for the dump and the sorting encoder). The engine makes its results so
# (core.base.made takes fields in that order; the values looked at and the parameters used go
# through :func:`canonical_value`; the parts it takes from elsewhere through
# :func:`canonical_model`), and marks each result it made whole that way (:func:`written_in_order`).
# Only a marked result is written by pydantic; any other (a copy, a model built by hand, a
# competition's result) is written the usual way, which stays the reference
# (tests/test_canonical_results.py compares the two).

_WRITTEN_IN_ORDER = _Marks()
"""Results made whole in canonical order (:func:`written_in_order`), by id."""

_SCALARS = frozenset({str, int, bool, type(None), Decimal})
"""The types of a free-form value's leaves that pydantic's ``to_json`` writes as the dump and the
standard encoder do (a float is not among them: the two write some differently, 1e+16 and 1e16)."""


_FIELD_SCALARS = _SCALARS | {dt.date, dt.datetime}
"""The same, in a model's fields, with dates and moments (which pydantic writes the same way in
both: the dump's text is the serializer's), and enumerations (their values)."""


class Unordered(Exception):
    """A value or model whose canonical JSON pydantic's serializer cannot be trusted to write."""


def canonical_value(value: Any) -> Any:
    """A free-form value (JSON values: dicts of text keys, lists, texts, integers, booleans, None,
    Decimals) with every dict in it sorted by key, the same object where nothing needs sorting;
    :class:`Unordered` for anything else in it (a float, a model, a key that is not a text)."""
    kind = type(value)
    if kind is dict:
        if not value:
            return value
        keys = [*value]
        if not _TEXT_ONLY.issuperset(map(type, keys)):
            raise Unordered("a key that is not a text")
        ordered = sorted(keys)
        changed = ordered != keys
        if _SCALARS.issuperset(map(type, value.values())):  # the common case, decided in C
            return {key: value[key] for key in ordered} if changed else value
        moved = None  # the values that move, each once: a copy only where one does (most values a check looked at are in order)
        for key, each in value.items():
            kind = type(each)
            if kind in _SCALARS or (kind is list and _SCALARS.issuperset(map(type, each))):
                continue
            new = canonical_value(each)
            if new is not each:
                if moved is None:
                    moved = {}
                moved[key] = new
        if moved is not None:
            value = {**value, **moved}
        return {key: value[key] for key in ordered} if changed else value
    if kind is list:
        if _SCALARS.issuperset(map(type, value)):  # a list of texts or numbers, decided in C
            return value
        items = None
        for index, each in enumerate(value):
            if type(each) not in _SCALARS:
                new = canonical_value(each)
                if new is not each:
                    if items is None:
                        items = list(value)
                    items[index] = new
        return value if items is None else items
    if kind in _SCALARS:
        return value
    raise Unordered(kind.__name__)


_TEXT_ONLY = frozenset({str})


def canonical_model(model: Any) -> Any:
    """``model`` (a pydantic model) with its fields in the order of their names, and every model and
    dict in it so (the same object where nothing moves); :class:`Unordered` for a model of a class
    whose JSON does not write its fields as they are named (:func:`writes_fields_as_named`)."""
    if model is None or model in _WRITTEN_IN_ORDER:
        return model
    kind = type(model)
    if not isinstance(model, BaseModel) or not writes_fields_as_named(kind):
        raise Unordered(kind.__name__)
    fields = model.__dict__
    names = list(fields)
    ordered = sorted(names)
    changed = ordered != names
    values = {}
    for name in ordered:
        each = fields[name]
        if isinstance(each, BaseModel):
            new = canonical_model(each)
        elif type(each) is list and each and isinstance(each[0], BaseModel):
            new = [canonical_model(item) for item in each]
            if all(map(operator.is_, new, each)):
                new = each
        elif type(each) in _FIELD_SCALARS or isinstance(each, Enum):
            new = each
        else:
            new = canonical_value(each)
        changed = changed or new is not each
        values[name] = new
    if not changed:
        return model
    copied = copy.copy(model)
    object.__setattr__(copied, "__dict__", values)
    return copied


@lru_cache(maxsize=None)
def writes_fields_as_named(cls: type[BaseModel]) -> bool:
    """Whether pydantic writes the model ``cls`` (and every model its fields hold) with each field
    under its own name, in the order of its ``__dict__``: no alias, no field left out or computed,
    no serializer but those of :data:`ORDER_KEEPING`, no extra fields (the checks of
    :func:`ordered_validator`, made once per class)."""
    cls.model_rebuild()
    try:
        _ordered_schema(cls.__pydantic_core_schema__, [])
    except _Unordered:
        return False
    return True


def written_in_order(result: Any) -> Any:
    """``result`` (a result document the engine made in canonical order, every part of it) noted as
    such: :func:`compact_bytes` and :func:`sealed_json` write it by pydantic's serializer."""
    _WRITTEN_IN_ORDER.add(result)
    return result


def is_written_in_order(model: Any) -> bool:
    """Whether ``model`` was noted by :func:`written_in_order` (this very object)."""
    return model in _WRITTEN_IN_ORDER


def in_canonical_order(value: Any) -> bool:
    """Whether ``value`` (a model, a list of them, or a free-form value) is already in canonical
    order, every model and dict in it (:func:`canonical_model`, :func:`canonical_value`)."""
    try:
        if isinstance(value, BaseModel):
            return canonical_model(value) is value
        if type(value) is list and value and isinstance(value[0], BaseModel):
            return all(canonical_model(each) is each for each in value)
        return canonical_value(value) is value
    except Unordered:
        return False


def forget_order(result: Any) -> None:
    """``result`` no longer written by pydantic (a part put in it is not in canonical order)."""
    _WRITTEN_IN_ORDER.discard(result)


def _written_in_order(result: Any, context: Any) -> bool:
    return result in _WRITTEN_IN_ORDER and context == _context(result)


def _pydantic_bytes(result: Any, context: Any) -> bytes | None:
    """The canonical JSON of ``result`` (noted by :func:`written_in_order`) by pydantic's serializer,
    as UTF-8 with a newline; a record's digest still to be computed is computed from these bytes
    (as :func:`_canonical` does from the encoder's). None where the digest's mark is found more
    than once (a text quoting it): then the usual way."""
    if not _put_in_order(result):
        return None
    to_json = result.__pydantic_serializer__.to_json
    seal = _pending_seal(result, context)
    if seal is None:
        return to_json(result, context=context) + b"\n"
    record, private, pending = seal
    fields = record.__dict__
    private["_pending"] = None  # the record's digest is written as it stands: the mark
    fields["digest"] = _MARK
    try:
        raw = to_json(result, context=context)
    finally:
        fields["digest"] = ""
        private["_pending"] = pending
    spliced = _spliced(raw)
    if spliced is None:
        return None
    written, digest = spliced
    private["_pending"] = None
    fields["digest"] = digest
    return written


def _put_in_order(result: Any) -> bool:
    """The parts of ``result`` left for its first writing put in canonical order (its class's
    ``put_in_canonical_order``: the values a check looked at, the parts taken from the input), or
    False if one cannot be (a float among them): then ``result`` is written the usual way. A part
    of the result replaced by its ordered copy is replaced in what a pending digest is taken
    over too (:func:`sealed_fresh`), which holds the same values."""
    put = getattr(type(result), "put_in_canonical_order", None)
    try:
        replaced = put(result) if put is not None else None
    except Unordered:
        forget_order(result)
        return False
    if replaced:
        fields = result.__dict__
        record = fields.get("decision_record")
        private = object.__getattribute__(record, "__pydantic_private__") if isinstance(record, DecisionRecord) else None
        pending = private.get("_pending") if private else None
        if pending is not None and pending[0] is _fields_digest and _is_sealed_over(pending, result):
            pending[1][1].update(replaced)
        fields.update(replaced)
    return True


_MEMBER = f'"digest":"{_MARK}"'.encode("ascii")


def _spliced(raw: bytes) -> tuple[bytes, str] | None:
    """Canonical JSON bytes holding the digest's mark once: with the digest in its place (and a
    newline), and the digest (of the bytes without the member and one comma beside it); None
    if the mark is not there exactly once."""
    at = raw.find(_MEMBER)
    if at < 0 or raw.find(_MARK.encode("ascii"), at + len(_MEMBER)) >= 0 or raw.find(_MARK.encode("ascii"), 0, at) >= 0:
        return None
    end = at + len(_MEMBER)
    whole = memoryview(raw)
    head, tail = (whole[:at], whole[end + 1:]) if raw[end:end + 1] == b"," else (whole[: at - (raw[at - 1:at] == b",")], whole[end:])
    hasher = hashlib.sha256(head)
    hasher.update(tail)
    digest = "sha256:" + hasher.hexdigest()
    return b"".join((whole[:at], b'"digest":"', digest.encode("ascii"), b'"', whole[end:], b"\n")), digest
