"""Results of an evaluation and their stable JSON.

For every rule: the outcome, the citation, the severity, the values the check looked at and
the parameters it used, and the message in the chosen language, so that an official can
check each finding by hand. The JSON carries a format version, the pack id and version and
the library version; keys are sorted and nothing depends on the clock or on hash order, so
the same input gives byte-identical output.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, WithJsonSchema

from ..core import version as _version
from ..core.i18n import Language
from ..core.base import made, made_in_order
from ..core.record import (
    ORDER_KEEPING, DecisionRecord, Marks, Unordered, canonical_model, canonical_value, gc_paused, in_canonical_order, is_written_in_order, sealed_data, sealed_json, written_in_order,
)
from ..core.tz import TZDATA_VERSION
from ..core.tables import HtmlRepr
from ..input.decree535_form import ApplicationRecords, Signatory
from ..input.organiser import LocalText

# a text's JSON (core.record): in a result, the string in its language; without a language (the service's
# request bodies, validated in canonical order), its fields as they stand
ORDER_KEEPING.add(LocalText._in_language)

FORMAT_VERSION = "4.0"
"""The shape of the result documents (docs/output.md): a new major number when a field is removed,
renamed or changes its type or meaning; a new minor number when a field or a value is added.
2.0: warnings are ``{code, message}``; every text (titles, findings, notes) is a string in the
document's ``language``; ``pack.digest``. 3.0: the ``decision_record`` (:mod:`clusterpolicy.core.record`); a rule result's ``remedy``; ``pack.changed_parameters``; the status
``withdrawn`` (an application withdrawn in time is no longer ``admitted``); an application's
``withdrawn_at``, ``under_review`` and ``records`` (the procedure's records the protocols list).
4.0: criterion 1.1's graph (``observed.affiliation``) gives each fact once: ``participants`` with
their ``group``, ``ties`` and outside ``links`` (a group's ``members``, a link's ``participant_ids``,
``via`` and ``reason`` are gone)."""

WarningCode = Literal["pack_not_yet_in_force", "pack_repealed", "no_expert_marks", "no_applications"]
"""The stable codes of the warnings a result carries (docs/output.md)."""

Status = Literal["admitted", "returned", "not_accepted", "undetermined", "withdrawn"]
"""Overall status of an application after the completeness check:

- ``admitted``: nothing disqualifying or returnable failed, and nothing of that weight is unknown;
- ``returned``: returned for completion with written notice (p.16 at stage 1, p.32 at stage 2);
- ``not_accepted``: not accepted nor considered (p.13: submitted after the close of acceptance);
- ``undetermined``: no failure, but a check that could return or disqualify lacks the data it needs
  (or the rules that judge a withdrawal cannot tell whether it was made in time);
- ``withdrawn``: withdrawn by the applicant in time (p.10, as the rules the pack's procedure names in
  ``withdrawal.judged_by`` judge it): out of the competition, neither returned, counted nor ranked.
"""


class Result(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)


class ResultWarning(Result):
    """A warning of a result: a stable ``code`` for programs and its ``message`` in the result's language."""

    code: Annotated[
        WarningCode,
        WithJsonSchema(
            {
                "type": "string",
                "description": "A stable code programs may test. An open list: a later minor version may add codes "
                "(docs/output.md); the known ones are listed in examples.",
                "examples": list(get_args(WarningCode)),
            }
        ),
    ]
    message: str

    @classmethod
    def of(cls, warning: WarningCode, message: str) -> ResultWarning:
        """The warning ``warning`` (a code of :data:`WarningCode`, not an error code) saying ``message``."""
        return cls(code=warning, message=message)

    def __str__(self) -> str:
        return self.message

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, ResultWarning):
            return NotImplemented
        return (self.message, self.code) < (other.message, other.code)


class CitationOut(Result):
    act: str = Field(description="The act, in the result's language.")
    provision: str = Field(description="Stable reference, e.g. 'Rules p.6(3)'.")
    text: str = Field(description="The provision as cited in the result's language, e.g. 'подпункт 3) пункта 6 Правил'.")
    quote: str | None = Field(None, description="The act's own words (in the act's language).")


class PatchOp(Result):
    """One operation of a remedy's patch (RFC 6902's add, replace and remove): ``path`` is a JSON
    pointer into the application's JSON (or, with ``document: competition``, the competition's);
    ``/-`` at the end of a list's path appends."""

    op: Literal["add", "replace", "remove"]
    path: str = Field(description="JSON pointer, e.g. /applicant/type or /participants/-.")
    value: Any = Field(None, description="The value to add or put in place (absent for remove).")
    document: Literal["application", "competition"] = "application"


class RemedyOption(Result):
    """One sufficient change: its text and its patch."""

    text: str = Field(description="The change, in the result's language.")
    ops: list[PatchOp] = Field(default_factory=list)


class Remedy(Result):
    """What would change a failed or unknown finding: a sufficient change to the input that makes
    the rule pass (``change``), or the facts needed to decide it (``facts``). Cites the rule."""

    kind: Literal["change", "facts"]
    text: str = Field(description="What would change the verdict, in the result's language, citing the rule.")
    finding: str | None = Field(
        None, description="The requirement not met and what was found, for documents sent after the close (no invitation to rework)."
    )
    ops: list[PatchOp] = Field(default_factory=list, description="A patch of the input that makes the rule pass (kind change).")
    alternatives: list[RemedyOption] = Field(default_factory=list, description="Other sufficient changes (e.g. links ended).")
    needs: list[str] = Field(default_factory=list, description="JSON pointers of the facts to state (kind facts).")
    also_fails: list[str] = Field(
        default_factory=list, description="Ids of the rules that pass now and would fail after the change (ops)."
    )


class RuleResult(Result):
    rule_id: str
    title: str
    outcome: Literal["passed", "failed", "not_applicable", "unknown"]
    severity: Literal["disqualifying", "return", "warning", "info"]
    citation: CitationOut
    message: str | None = Field(None, description="Why it failed or is unknown, in the chosen language.")
    observed: dict[str, Any] = Field(default_factory=dict)
    parameters: dict[str, Any] = Field(default_factory=dict)
    remedy: Remedy | None = Field(None, description="For a failed or unknown rule: what would change the verdict.")


class PackRef(Result):
    id: str
    version: str = Field(
        description="The pack's version; for a pack read from a folder whose files differ from the shipped "
        "pack's, followed by '+sha256.' and the first 12 hex digits of its digest (e.g. 1.0.0+sha256.3f2a9c0d11be)."
    )
    act: str = Field(description="The act the pack encodes, named in the document's language.")
    digest: str = Field("", description="sha256:<hex> of the pack's files: two results with the same digest were evaluated under the same rules.")
    changed_parameters: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="The parameters whose values differ from the act's pack: {name: {act: its value there, used: the value used}} "
        "(a pack derived with changed parameters, or a changed copy of a shipped pack's folder).",
    )
    _pack: Any = PrivateAttr(default=None)

    @classmethod
    def of(cls, pack: Any, lang: str = "en") -> PackRef:
        """The reference to a loaded :class:`~clusterpolicy.packs.RulePack` that results carry,
        its act named in ``lang`` (in kk and ru by the act's title there, as every text of a
        result document is in its language)."""
        act = pack.header.act
        fields = {
            "id": pack.id,
            "version": pack.reported_version,
            "act": (f"{act.kind} No. {act.number}" + (f" of {act.adopted.isoformat()}" if act.adopted else "")) if lang == "en" else act.title.get(lang),
            "digest": pack.digest,
            "changed_parameters": getattr(pack, "changed_parameters", {}),
        }
        ref = cls(**fields)
        if cls is PackRef:  # the same values in canonical order, so that pydantic writes a result's canonical JSON (core.record)
            try:
                changed = canonical_value(ref.changed_parameters)
            except Unordered:
                pass
            else:
                ref = written_in_order(made(cls, {**{name: ref.__dict__[name] for name in sorted(fields)}, "changed_parameters": changed}, {"_pack": None}))
        ref._pack = pack
        return ref

    @property
    def rule_pack(self) -> Any:
        """The :class:`~clusterpolicy.packs.RulePack` the result was evaluated under (None once
        read back from JSON): documents made from the result cite its procedure."""
        return self._pack

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PackRef) and (self.id, self.version, self.act, self.digest) == (
            other.id,
            other.version,
            other.act,
            other.digest,
        )

    def __hash__(self) -> int:
        return hash((self.id, self.version, self.act, self.digest))


class ResultHeader(Result):
    """What every result document says of itself: its format, the library and time-zone data
    that made it, the pack it was evaluated under and its language."""

    format_version: str = FORMAT_VERSION
    library_version: str = Field(default_factory=_version.library_version)
    tzdata_version: str = Field(TZDATA_VERSION, description="The IANA time-zone data Asia/Almaty was read from (e.g. 2026f).")
    pack: PackRef
    language: Language
    decision_record: DecisionRecord | None = Field(
        None,
        description="What produced the verdicts (input digest, pack, changed parameters, versions) and the document's own "
        "digest (docs/output.md); null on a result nested in another, which the outer document's record covers.",
    )


class ApplicationResult(HtmlRepr, ResultHeader):
    application_id: str
    cluster_name: str
    applicant: str | None = Field(None, description="The applicant's name: whom a notice is addressed to.")
    signatory: Signatory | None = Field(None, description="The applicant's head (position, full name): the notice is addressed to them.")
    registration_number: str | None = Field(None, description="The application form's registration number, if given.")
    registration_date: dt.date | None = Field(None, description="The application form's date, if given.")
    submitted_at: dt.datetime | dt.date | None = Field(
        None, description="When the organiser registered the application (a moment, or a day: as the application gives it)."
    )
    stage: int
    status: Status
    status_citation: str | None = Field(None, description="The paragraph the status rests on.")
    reasons: list[str] = Field(default_factory=list, description="Ids of the rules that decided the status.")
    withdrawn_at: dt.datetime | dt.date | None = Field(
        None, description="When the organiser received the applicant's written notice of withdrawal (a moment, or a day), if any."
    )
    under_review: bool | None = Field(
        None,
        description="Whether the organiser's review of the stage concerns the application (Decree 535 stage 2, p.36: "
        "only the participants that did not take part in stage 1); None: the stage has no such review, or the "
        "application does not state what decides it.",
    )
    records: ApplicationRecords = Field(
        default_factory=ApplicationRecords,
        description="The procedure's records on the application as the input gives them (conclusions, the expert "
        "council's conclusion or analysis, with their numbers and dates): the protocols list them.",
    )
    warnings: list[ResultWarning] = Field(default_factory=list)
    results: list[RuleResult]

    table_categories: ClassVar[dict[str, list[str]]] = {
        "outcome": list(get_args(RuleResult.model_fields["outcome"].annotation)),
        "severity": list(get_args(RuleResult.model_fields["severity"].annotation)),
    }

    def table_rows(self, lang: Language) -> list[dict[str, Any]]:
        """One row per rule: its outcome, severity, provision, title, message and remedy."""
        return [
            {
                "application_id": self.application_id,
                "rule_id": r.rule_id,
                "outcome": r.outcome,
                "severity": r.severity,
                "provision": r.citation.provision,
                "title": r.title,
                "message": r.message,
                "remedy": r.remedy.text if r.remedy is not None else None,
            }
            for r in self.results
        ]

    def table_caption(self) -> str:
        return f"{self.application_id} — {self.cluster_name}: {self.status} ({self.pack.id})"

    def failed(self) -> list[RuleResult]:
        return [r for r in self.results if r.outcome == "failed"]

    def outcome(self, rule_id: str) -> str:
        return next(r.outcome for r in self.results if r.rule_id == rule_id)

    def to_json(self, *, compact: bool = False) -> str:
        return to_json(self, compact=compact)

    def put_in_canonical_order(self) -> dict[str, Any]:
        """What the engine left out of canonical order, put in it when the result is first written by
        pydantic (core.record.written_in_order): each rule's values looked at, parameters used and
        remedy (in place: the same values, in the rule's frozen result), and the parts taken from
        the input (the records, the signatory), returned as their ordered copies where they move.
        :class:`~clusterpolicy.core.record.Unordered` if one cannot be, or if a rule's result (or its
        citation) is not in that order itself (one put in the list by hand, say).

        A rule's result put in order once is noted (:data:`_RULES_IN_ORDER`) and not looked at again:
        it is frozen, its values are never changed in place, and the engine shares many between
        evaluations (a rule that does not apply, laid out once per pack: 32 of the 79 of an
        application at stage 1, 40 us of the service's answer)."""
        fresh = _RULES_IN_ORDER.not_in(self.results)
        for result in fresh:
            fields = result.__dict__
            if type(result) is not RuleResult or list(fields) != _RULE_ORDER or list(fields["citation"].__dict__) != _CITATION_ORDER:
                raise Unordered("a rule's result not made in canonical order")
            for name in ("observed", "parameters"):
                value = fields[name]
                if value:
                    ordered = canonical_value(value)
                    if ordered is not value:
                        fields[name] = ordered
            remedy = fields["remedy"]
            if remedy is not None:
                fields["remedy"] = canonical_model(remedy)
        _RULES_IN_ORDER.add_all(fresh)
        held = self.__dict__
        replaced = {}
        for name in ("records", "signatory"):
            ordered = canonical_model(held[name])
            if ordered is not held[name]:
                replaced[name] = ordered
        return replaced

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Any:
        """pydantic's copy. A result the engine made in canonical order (core.record.written_in_order)
        stays so, written by pydantic, where what is put in is in that order too: a field keeps its
        place in a copy (a warning added, the record sealed again)."""
        copied = super().model_copy(update=update, deep=deep)
        if not deep and is_written_in_order(self) and all(
            name in type(self).model_fields and in_canonical_order(value) for name, value in (update or {}).items()
        ):
            written_in_order(copied)
        return copied


_RULE_ORDER = sorted(RuleResult.model_fields)
_RULES_IN_ORDER = Marks()
"""Rules' results put in canonical order by :meth:`ApplicationResult.put_in_canonical_order` (by identity, held weakly)."""
_CITATION_ORDER = sorted(CitationOut.model_fields)


class CompetitionResult(HtmlRepr, ResultHeader):
    competition_id: str
    warnings: list[ResultWarning] = Field(default_factory=list)
    applications: list[ApplicationResult]

    table_categories: ClassVar[dict[str, list[str]]] = {"status": list(get_args(Status))}

    def table_rows(self, lang: Language) -> list[dict[str, Any]]:
        """One row per application: its status, the provision it rests on, the rules that decided it."""
        return [
            {
                "application_id": a.application_id,
                "cluster_name": a.cluster_name,
                "stage": a.stage,
                "status": a.status,
                "provision": a.status_citation,
                "reasons": ", ".join(a.reasons),
                "failed": sum(r.outcome == "failed" for r in a.results),
                "unknown": sum(r.outcome == "unknown" for r in a.results),
            }
            for a in self.applications
        ]

    def table_caption(self) -> str:
        return f"{self.competition_id} ({self.pack.id})"

    def to_json(self, *, compact: bool = False) -> str:
        return to_json(self, compact=compact)


def library_version() -> str:
    """The installed clusterpolicy version, written into every result."""
    return _version.library_version()


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_json(model: BaseModel | Any, *, compact: bool = False) -> str:
    """Stable JSON: sorted keys, two-space indent, Kazakh and Russian letters kept as they are;
    ``compact``: the same document on one line, without spaces (``","`` and ``":"``), then a newline.

    A model with a ``language`` (every result document) writes each of its texts (kk/ru/en) as the
    string in that language: a document has one language, and a text one shape. The compact form
    is written by the standard library's C encoder (with an indent, ``json`` falls back to its
    pure-Python encoder, several times slower); both sort the keys."""
    lang = getattr(model, "language", None)
    context = {"lang": lang} if lang is not None else None
    with gc_paused():  # the dump's many objects, freed by reference counting (core.record.gc_paused)
        if compact and isinstance(model, BaseModel):  # the canonical JSON: the digest from this same text
            return sealed_json(model, context) + "\n"
        data = sealed_data(model, context) if isinstance(model, BaseModel) else model
        if compact:
            return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_default) + "\n"
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=_default) + "\n"
