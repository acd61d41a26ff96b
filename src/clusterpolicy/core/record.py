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

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from . import version as _version
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


def canonical_json(data: Any) -> bytes:
    """``data`` (JSON values, or a pydantic model written in JSON mode) as canonical JSON bytes."""
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json")
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_default).encode("utf-8")


def sha256(data: Any) -> str:
    """``sha256:<hex>`` of the canonical JSON of ``data``."""
    return "sha256:" + hashlib.sha256(canonical_json(data)).hexdigest()


def input_data(subject: Any, competition: Any = None) -> tuple[InputDocument, Any]:
    """The input whose digest a result records: the application or competition as validated
    (``model_dump(mode="json")``), or ``{"application": ..., "competition": ...}`` for an
    application evaluated with its competition's header."""
    if competition is None:
        kind: InputDocument = "competition" if hasattr(subject, "applications") else "application"
        return kind, subject.model_dump(mode="json")
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


class InputDigest(_Part):
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


class DecisionRecord(_Part):
    """What produced a result's verdicts, and the digest that ties them together (docs/output.md)."""

    canonicalization: Literal["clusterpolicy-canonical-json/1"] = CANONICAL
    input: InputDigest
    pack: PackIdentity
    changed_parameters: list[ChangedParameter] = Field(
        default_factory=list, description="Parameters whose values differ from the shipped pack's of the same id, by name."
    )
    versions: Versions
    digest: str = Field("", description="sha256:<hex> of the canonical JSON of the result document without this field.")


def versions() -> Versions:
    """The versions of the library, tzdata and holidays running now."""
    return Versions(library=_version.library_version(), tzdata=TZDATA_VERSION, holidays=holidays_version())


def document_digest(data: dict[str, Any]) -> str:
    """The digest of a result document (its JSON, read back or dumped): the canonical JSON's
    SHA-256 with ``decision_record.digest`` left out."""
    record = data.get("decision_record")
    if isinstance(record, dict):
        data = {**data, "decision_record": {k: v for k, v in record.items() if k != "digest"}}
    return sha256(data)


def result_data(result: BaseModel) -> dict[str, Any]:
    """A result model as its JSON document holds it (each text in the result's language)."""
    lang = getattr(result, "language", None)
    return result.model_dump(mode="json", context={"lang": lang} if lang is not None else None)


def sealed(result: Any, record: DecisionRecord | None = None) -> Any:
    """``result`` with ``record`` (or its own) and the record's digest computed over the result as it now is."""
    record = record if record is not None else result.decision_record
    unsealed = result.model_copy(update={"decision_record": record.model_copy(update={"digest": ""})})
    digest = document_digest(result_data(unsealed))
    return result.model_copy(update={"decision_record": record.model_copy(update={"digest": digest})})
