"""The act's procedure as its documents cite it: stages, statuses, citations and events.

A pack's ``procedure.yaml`` says what the code would otherwise have to know about the act:

- ``stages``: for each stage, the provision listing an application's documents
  (``requirements``), the organiser's completeness check (``completeness_check``), where an
  admitted application goes next (``next_step``), the provision each status rests on
  (``status``: ``not_accepted``, ``returned``, ``withdrawn``) and the events that close the acceptance and sign
  the protocols (``events``); where the stage ends in the organiser's review rather than in
  expert scores, the provision of that review (``review``) and of the decision that follows
  (``decision``), and which applications that review concerns (``review_scope``); the records the
  stage's evaluation or review protocol lists (``protocol_records``); the document that registers
  an application at the stage (``registration_document``: its registration number and date are
  the application's);
- ``withdrawal``: the rules that judge whether a withdrawal was made in time (``judged_by``);
- ``citations``: the provisions of the evaluation protocol (``criteria``, ``minimum_score``,
  ``failed``, ``reannouncement``);
- ``events``: the event the announcement date stands for and the event of a failed competition;
- ``citation_style``: how its provisions read in kk/ru/en (:mod:`clusterpolicy.core.citations`).

Every provision comes with a quote in the act's words. A pack that extends another inherits
its procedure and states only the keys that differ; its citation style comes before its
parent's. Every event named must be an event of the pack's ``time-limits.yaml``.
"""

import difflib
from typing import Any, Literal

from pydantic import Field, field_validator

from ..core.citations import CitationStyle, StyleChain
from ..core.errors import Location, RulePackError, UsageError
from ..core.i18n import Text
from ..core.law import Citation, Strict
from ..core.sources import Document, validate
from ..input.decree535_form import ApplicationRecords, DocumentKind
from ..core.base import new_list

PROCEDURE_FILE = "procedure.yaml"


class StageStatus(Strict):
    """The provision each status of an application rests on, at one stage."""

    not_accepted: Citation = Field(description="Received after the close of acceptance: not accepted nor considered.")
    returned: Citation = Field(description="Incomplete: returned with written notice.")
    withdrawn: Citation | None = Field(
        None, description="Withdrawn by the applicant in time (as the rules of withdrawal.judged_by judge it): out of the competition."
    )


class StageEvents(Strict):
    """Events (of ``time-limits.yaml``) that stand for the steps of one stage."""

    acceptance_closed: str = Field(description="The close of acceptance (a competition's acceptance_closes_at).")
    completeness_protocol_signed: str = Field(description="The completeness protocol signed (its default date).")
    evaluation_protocol_signed: str = Field(description="The evaluation protocol signed (its default date).")


class ProtocolRecords(Citation):
    """The procedure's records (fields of ``application.records``) that a stage's evaluation or
    review protocol lists for each application it evaluates, and the provision that asks for them."""

    records: list[str] = Field(min_length=1, description="Fields of ApplicationRecords, in the order the protocol shows them.")

    @field_validator("records")
    @classmethod
    def _record_fields(cls, value: list[str]) -> list[str]:
        known = list(ApplicationRecords.model_fields)
        for name in value:
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise ValueError(f"{name!r} is not a record of an application{hint}; the records are: {', '.join(known)}")
        return value


class ReviewScope(Strict):
    """Which applications the stage's review concerns: those whose ``field`` (a path of the
    application) ``equals`` the value; one whose field is not stated is not decided."""

    field: str = Field(min_length=1, description="A path of the application, e.g. took_part_in_stage1.")
    equals: bool | int | str
    quote: str | None = Field(None, description="The act's words that limit the review.")
    reviewed: Text = Field(description="The applications the review concerns, as a heading of the review protocol.")
    others: Text = Field(description="The other admitted applications (sent on without that review), as a heading.")


class Stage(Strict):
    requirements: Citation = Field(description="The provision listing the documents of an application.")
    completeness_check: Citation = Field(description="The organiser's check of the applications against them.")
    next_step: Citation = Field(description="Where the admitted applications go next.")
    status: StageStatus
    events: StageEvents
    review: Citation | None = Field(
        None,
        description="The organiser's protocol of its review of the admitted applications, where the act has one "
        "instead of expert scores: the stage's evaluation document is then that review, sent on as next_step says.",
    )
    decision: Citation | None = Field(None, description="Who decides after the review (the Commission picks the winners).")
    review_scope: ReviewScope | None = Field(
        None, description="The applications the review concerns (None: every application admitted at the stage)."
    )
    protocol_records: ProtocolRecords | None = Field(
        None,
        description="The records (conclusions, expert conclusions or analyses) the stage's evaluation or review protocol "
        "lists for each application, and the provision that asks the protocol for them.",
    )
    registration_document: str | None = Field(
        None,
        description="The document kind that registers an application at this stage: its registration number and date "
        "are the application's (None: the application has none).",
    )

    @field_validator("registration_document")
    @classmethod
    def _a_document_kind(cls, value: str | None) -> str | None:
        kinds = [kind.value for kind in DocumentKind]
        if value is not None and value not in kinds:
            close = difflib.get_close_matches(value, kinds, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ValueError(f"{value!r} is not a document kind{hint}; the kinds are: {', '.join(kinds)}")
        return value


class ActCitations(Strict):
    """The provisions the evaluation protocol cites."""

    criteria: Citation = Field(description="The applications are scored against the criteria.")
    minimum_score: Citation = Field(description="The Commission sets the minimum score.")
    failed: Citation = Field(description="Too few compliant participants: the competition has failed.")
    reannouncement: Citation = Field(description="A failed competition is announced again.")
    expert_conclusion: Citation | None = Field(None, description="The expert conclusion shows the points scored.")
    winners: Citation | None = Field(None, description="The Commission names the winners and recommends co-financing.")


class Withdrawal(Strict):
    """How the act treats an applicant's withdrawal of its application."""

    judged_by: list[str] = Field(
        default_factory=new_list,
        description="The rules whose outcome says whether a withdrawal was made in time: passed, it takes the "
        "application out; failed, the application stays; unknown, it is undetermined. None: every withdrawal is made.",
    )


class ActEvents(Strict):
    announcement: str = Field(description="The event a competition's announced_on stands for.")
    failed: str = Field(description="The day the competition is declared failed.")


class RecordEvent(Strict):
    """An event of the timeline that the procedure's records date, when the events do not give it.

    ``of``: ``application`` (one event per application, from its fields), ``competition`` (one,
    from the competition's fields) or ``applications`` (one for the competition, from the fields
    of all its applications). ``take``: which of the dates found stands for the event.
    """

    event: str
    of: Literal["application", "competition", "applications"]
    take: Literal["earliest", "latest"] = "latest"
    from_: list[str] = Field(alias="from", min_length=1, description="Field paths of dates (application.* or competition.*).")
    note: str | None = None


class Procedure(Strict):
    """The whole ``procedure.yaml`` of a pack, with what it inherits (the style is kept apart)."""

    stages: dict[int, Stage]
    citations: ActCitations
    events: ActEvents
    record_events: list[RecordEvent] = Field(
        default_factory=new_list, description="Events the procedure's records date (input.records), for the timeline."
    )
    withdrawal: Withdrawal = Field(default_factory=Withdrawal)

    def stage(self, number: int) -> Stage:
        try:
            return self.stages[number]
        except KeyError:
            raise UsageError(f"the act has no stage {number}; its stages: {sorted(self.stages)}", code="unknown_stage") from None

    def status_citation(self, status: str, stage: int) -> Citation | None:
        """The provision ``status`` rests on at ``stage`` (None for admitted and undetermined)."""
        if stage not in self.stages:
            return None
        return getattr(self.stages[stage].status, status, None)

    def registration_document(self, stage: int) -> str | None:
        """The document kind that registers an application at ``stage`` (None if the act names none)."""
        return self.stages[stage].registration_document if stage in self.stages else None

    def event_ids(self) -> list[tuple[tuple[Any, ...], str]]:
        """(field path, event id) of every event the procedure names."""
        found = [(("events", name), value) for name, value in self.events]
        for number, stage in self.stages.items():
            found += [(("stages", number, "events", name), value) for name, value in stage.events]
        found += [(("record_events", index, "event"), item.event) for index, item in enumerate(self.record_events)]
        return found


class _StyleSection(Strict):
    citation_style: CitationStyle


def read_procedure(
    document: Document, act: Any, parent: tuple[Procedure, StyleChain] | None = None
) -> tuple[Procedure, StyleChain | None]:
    """A pack's procedure and citation style from its ``procedure.yaml``, over its parent's."""
    if not isinstance(document.data, dict):
        raise RulePackError("procedure.yaml must be a mapping", location=document.location(), code="bad_file")
    own = dict(document.data)
    style_data = own.pop("citation_style", None)
    chain = parent[1] if parent else None
    if style_data is not None:
        lines = {path: line for path, line in document.lines.items() if path[:1] in ((), ("citation_style",))}
        style = validate(_StyleSection, Document({"citation_style": style_data}, document.file, lines), error=RulePackError)
        chain = StyleChain(style.citation_style, act, chain)
    replace = own.pop("replace", [])  # keys whose value replaces the parent's whole (a child with fewer stages)
    if not isinstance(replace, list) or any(key not in own for key in replace):
        raise RulePackError(
            "replace: takes a list of the keys of this file whose values replace the inherited ones",
            location=document.location(("replace",)),
            code="merge_directive",
        )
    if parent is not None:
        inherited = parent[0].model_dump(by_alias=True)
        for key in replace:
            inherited.pop(key, None)
        own = _merged(inherited, own)
    lines = {path: line for path, line in document.lines.items() if path[:1] != ("citation_style",)}
    procedure = validate(Procedure, Document(own, document.file, lines), error=RulePackError)
    return procedure, chain


def check_events(procedure: Procedure, known: set[str], document: Document | None, file: str | None) -> None:
    """Every event the procedure names is an event of the pack's time limits."""
    for path, event in procedure.event_ids():
        if event not in known:
            close = difflib.get_close_matches(event, sorted(known), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            location = document.location(path) if document is not None else Location(file, None, path)
            raise RulePackError(
                f"event {event!r} is not an event of the pack's time limits{hint}", location=location, code="unknown_event"
            )


def check_rule_ids(procedure: Procedure, known: set[str], document: Document | None, file: str | None) -> None:
    """Every rule the procedure names (``withdrawal.judged_by``) is a rule of the pack."""
    for index, rule_id in enumerate(procedure.withdrawal.judged_by):
        if rule_id not in known:
            close = difflib.get_close_matches(rule_id, sorted(known), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            path = ("withdrawal", "judged_by", index)
            location = document.location(path) if document is not None else Location(file, None, path)
            raise RulePackError(f"rule {rule_id!r} is not a rule of the pack{hint}", location=location, code="unknown_rule")


def _merged(parent: Any, child: Any) -> Any:
    """``child`` over ``parent``: mappings merged key by key, anything else replaced."""
    if isinstance(parent, dict) and isinstance(child, dict):
        result = dict(parent)
        for key, value in child.items():
            result[key] = _merged(parent[key], value) if key in parent else value
        return result
    return child
