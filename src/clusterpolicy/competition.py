"""A whole competition in one result: completeness, timeline, scores, ranking and outcome.

:func:`run_competition` puts together what the other modules compute separately, under one
rule pack:

- the completeness check of every application (:func:`clusterpolicy.evaluation.evaluate_competition`);
- the procedure's timeline (:func:`clusterpolicy.procedure.timeline.compute_timeline`) from the pack's
  time limits and the competition's events; the announcement and the close of acceptance are
  taken from the competition's own dates when no event gives them;
- the scores of the applications that carry expert marks (:func:`clusterpolicy.scoring.score_application`);
- the ranking, the Commission's minimum and the outcome, held or failed
  (:func:`clusterpolicy.scoring.rank_competition`), where the compliant applications are those
  the completeness check admitted.

The result is a pydantic model whose :meth:`CompetitionReport.to_json` is stable: the same
input gives byte-identical output, and nothing depends on the clock unless ``as_of`` is given.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from collections.abc import Mapping
from typing import Any, ClassVar

from pydantic import Field, PrivateAttr

from .core.base import Strict
from .core.errors import CalendarError, InputError, Location

from .evaluation import choose_pack_for, evaluate_competition, recorded
from .core import l10n
from .core.i18n import Language, Text, gettext
from .calendar.working_calendar import WorkingCalendar
from .input.decree535_form import Competition, CompetitionRecords, ProcedureEvent
from .input.organiser import Organiser
from .input.values import day_of
from .core.tables import HtmlRepr
from .packs import RulePack
from .checks.results import FORMAT_VERSION, CompetitionResult, PackRef, ResultHeader, ResultWarning, library_version, made, to_json
from .core.tz import TZDATA_VERSION
from .scoring.marks import ApplicationScore, score_application
from .scoring.ranking import CompetitionOutcome, rank_competition
from .procedure.timeline import Timeline, TimelineEntry, compute_timeline
from .checks.fields import resolve
from .core.base import new_list

class RecordFinding(Strict):
    """A record of the procedure that contradicts what the library computed or the act allows."""

    code: str = Field(description="points_differ, winner_not_admitted or recommended_not_winner.")
    provision: str
    application_id: str
    message: str


class CompetitionReport(HtmlRepr, ResultHeader):
    """Everything known about one competition under one rule pack."""

    model_config = Strict.model_config
    competition_id: str
    title: str | None
    organiser: Organiser | None = Field(None, description="The organiser as the competition names it (letterhead and signature of its documents).")
    stage: int
    announced_on: dt.date
    acceptance_closes_at: dt.datetime | dt.date = Field(description="A moment, or a day open to its end (a date-only close).")
    minimum_score: Decimal | None = Field(description="Set by the Commission; None if not yet set.")
    as_of: dt.date | None = Field(description="The day pending steps are judged on; None: not judged.")
    events: list[ProcedureEvent] = Field(description="The events the timeline was computed from, derived ones included.")
    warnings: list[ResultWarning] = Field(default_factory=new_list)
    completeness: CompetitionResult
    timeline: Timeline
    overdue: list[str] = Field(
        default_factory=new_list, description="Pending timeline entries (uids) whose due date is before as_of."
    )
    scores: list[ApplicationScore] = Field(description="Applications that carry expert marks, by id.")
    outcome: CompetitionOutcome | None = Field(
        description="Ranking and outcome (p.41, from completeness alone); None when the pack has no scoring section."
    )
    records: CompetitionRecords = Field(
        default_factory=CompetitionRecords, description="The Commission's decisions as the competition records them."
    )
    record_findings: list[RecordFinding] = Field(
        default_factory=new_list, description="What the records contradict: points unlike the marks, winners the organiser returned."
    )

    _input: Any = PrivateAttr(default=None)
    _sensitivity: Any = PrivateAttr(default=None)  # its protocols' sensitivity, found once (output.reports)

    @property
    def input_competition(self) -> Competition | None:
        """The competition the report was made from (None once read back from JSON): its
        protocols ask which verdicts depend on a contested reading (:func:`clusterpolicy.sensitivity`)."""
        return self._input

    def model_post_init(self, context: Any, /) -> None:
        """The parts of the report (its scores, timeline, ranking) keep its language in their own tables."""
        from .core.tables import keep_language

        keep_language([*self.scores, self.timeline, self.outcome, self.completeness], self.language)

    table_categories: ClassVar[dict[str, list[str]]] = CompetitionResult.table_categories

    def table_rows(self, lang: Language) -> list[dict[str, Any]]:
        """The completeness rows of each application, with its total, rank and whether it is above the minimum."""
        totals = {score.application_id: score.total for score in self.scores}
        ranking = {entry.application_id: entry for entry in (self.outcome.ranking if self.outcome else [])}
        result = []
        for row in self.completeness.table_rows(lang):
            entry = ranking.get(row["application_id"])
            total = totals.get(row["application_id"])
            result.append(
                {
                    **row,
                    "total": total,
                    # the marks of an application not admitted (returned, not accepted) do not count:
                    # its total is marked, so that no one sums or ranks it with the others
                    "total_counts": None if total is None else row["status"] == "admitted",
                    "rank": entry.rank if entry else None,
                    "above_minimum": entry.admitted if entry else None,
                }
            )
        return result

    def table_caption(self) -> str:
        return f"{self.competition_id} ({self.pack.id})"

    def status_of(self, application_id: str) -> str:
        """The completeness status of one application."""
        return next(a.status for a in self.completeness.applications if a.application_id == application_id)

    def event_date(self, event: str) -> dt.date | None:
        """The date of a competition-wide event, if it happened."""
        return next((e.date for e in self.events if e.event == event and e.application_id is None), None)

    @property
    def late_steps(self) -> list[TimelineEntry]:
        """Timeline entries done late, and pending ones already past their due date on ``as_of``."""
        overdue = set(self.overdue)
        return [entry for entry in self.timeline.entries if entry.status == "late" or entry.uid in overdue]

    @property
    def has_findings(self) -> bool:
        """True when an application is not admitted (nor withdrawn by its applicant) or a step of the procedure is late."""
        return any(a.status not in ("admitted", "withdrawn") for a in self.completeness.applications) or bool(self.late_steps)

    def to_json(self, *, compact: bool = False) -> str:
        """Stable JSON (sorted keys, Decimals as strings): same competition, same bytes."""
        return to_json(self, compact=compact)


def run_competition(
    competition: Competition,
    *,
    pack: RulePack | str | Path | None = None,
    lang: Language = "en",
    calendar: WorkingCalendar | None = None,
    as_of: dt.date | None = None,
    parameters: Mapping[str, Any] | None = None,
) -> CompetitionReport:
    """Check, time, score and rank a whole competition under one rule pack.

    ``pack``: a :class:`~clusterpolicy.packs.RulePack`, a pack id, or ``None`` for the
    competition's own ``pack`` or else the pack in force on ``as_of`` (if given) or on the
    announcement date. ``as_of`` is also the day pending steps are judged on: a pending step
    whose due date is before it is listed in ``overdue``. ``calendar`` is the working calendar
    (default: Kazakhstan's). ``parameters`` (``{name: value}``) change the pack's named
    parameters (a reform: :func:`clusterpolicy.packs.with_parameters`).
    """
    rule_pack, warnings = choose_pack_for(pack, competition=competition, as_of=as_of, lang=lang, parameters=parameters)
    completeness = evaluate_competition(competition, pack=rule_pack, lang=lang, calendar=calendar)
    completeness = completeness.model_copy(update={"warnings": warnings})
    if not competition.applications:  # a competition file given instead of its folder, most often
        warnings = [*warnings, ResultWarning.of("no_applications", gettext("competition.no_applications", lang))]

    events = procedure_events(competition, rule_pack)
    timeline = timeline_of(competition, rule_pack, events, calendar=calendar)
    overdue = overdue_entries(timeline, as_of)

    scores, outcome = scores_and_outcome(competition, rule_pack, completeness, events, calendar=calendar)
    withdrawn, unsure = withdrawals(competition, completeness, rule_pack)
    admitted = [a.application_id for a in completeness.applications if a.status == "admitted" and a.application_id not in withdrawn | unsure]
    if outcome is not None and not scores and admitted:
        criteria = rule_pack.procedure.citations.criteria.provision if rule_pack.procedure else ""
        message = gettext("competition.no_marks", lang).format(paragraph=rule_pack.cite(criteria, lang, short=True))
        warnings.append(ResultWarning.of("no_expert_marks", message))

    record_findings = _record_findings(competition, rule_pack, completeness, scores, lang)

    # the report of values already of its fields' types, taken as they are (core.base.made, every field in
    # the order of their names, as pydantic then writes them): validating
    # them again built the report's validator for this one call (15 M instructions of every
    # competition's evaluate); tests/test_competition.py compares it with the validated report
    report = made(
        CompetitionReport,
        {
            "acceptance_closes_at": competition.acceptance_closes_at,
            "announced_on": competition.announced_on,
            "as_of": as_of,
            "competition_id": competition.id,
            "completeness": completeness,
            "decision_record": None,
            "events": events,
            "format_version": FORMAT_VERSION,
            "language": lang,
            "library_version": library_version(),
            "minimum_score": competition.minimum_score,
            "organiser": competition.organiser,
            "outcome": outcome,
            "overdue": overdue,
            "pack": PackRef.of(rule_pack, lang),
            "record_findings": record_findings,
            "records": competition.records,
            "scores": scores,
            "stage": competition.stage,
            "timeline": timeline,
            "title": competition.title_in(lang),
            "tzdata_version": TZDATA_VERSION,
            "warnings": warnings,
        },
        {"_input": None, "_sensitivity": None},
    )
    report.model_post_init(None)
    report = recorded(report, rule_pack, competition)
    report._input = competition
    return report


def scores_and_outcome(
    competition: Competition, rule_pack: RulePack, completeness: CompetitionResult, events: list[ProcedureEvent], *, calendar: Any = None
) -> tuple[list[ApplicationScore], CompetitionOutcome | None]:
    """The scores of the marked applications and the competition's outcome (ranking, p.41),
    from the completeness check's statuses, under ``rule_pack``'s scoring (None without one)."""
    withdrawn, unsure = withdrawals(competition, completeness, rule_pack)
    statuses = {a.application_id: a.status for a in completeness.applications}
    admitted = [i for i, status in statuses.items() if status == "admitted" and i not in withdrawn and i not in unsure]
    undetermined = [i for i, status in statuses.items() if i not in withdrawn and (status == "undetermined" or (status == "admitted" and i in unsure))]
    marked = [application for application in competition.applications if application.expert_marks]
    scores = sorted(
        (score_application(application, rule_pack.scoring) for application in marked), key=lambda s: s.application_id
    )
    outcome = None
    if rule_pack.scoring is not None:
        # The outcome (p.41) rests on completeness alone: it is decided without expert marks, at
        # both stages. An admitted application without marks still counts as compliant; it is
        # scored without marks so that the ranking lists it as having no total.
        unmarked = [a for a in competition.applications if a.id in admitted and not a.expert_marks]
        for_ranking = scores + [score_application(application, rule_pack.scoring) for application in unmarked]
        outcome = rank_competition(
            for_ranking,
            minimum_score=competition.minimum_score,
            compliant_ids=admitted,
            undetermined_ids=undetermined,
            withdrawn_ids=sorted(withdrawn),
            names=_names(competition, completeness, withdrawn),
            config=rule_pack.scoring,
            declared_on=next((e.date for e in events if e.event == _failed_event(rule_pack) and e.application_id is None), None),
            calendar=calendar,
        )
        if not scores:  # no marks at all (stage 2, or before the experts): no ranking, only the outcome
            outcome = outcome.model_copy(update={"unranked": [u for u in outcome.unranked if u.reason != "no_total"]})
    return scores, outcome


def _names(competition: Any, completeness: CompetitionResult, ids: Any) -> dict[str, Text]:
    """How the ranking's notes name the applications ``ids``: in Kazakh and Russian by their
    registration number and cluster in that language (as the tables name them), in English by id."""
    numbers = {a.application_id: a.registration_number for a in completeness.applications}
    names = {}
    for application in competition.applications:
        if application.id in ids:
            number = numbers.get(application.id)
            shown = {lang: application.cluster_name_in(lang) for lang in ("kk", "ru")}
            names[application.id] = Text(
                en=application.id, **{lang: l10n.numbered(number, name) for lang, name in shown.items()}
            )
    return names


def withdrawals(competition: Any, completeness: CompetitionResult, pack: RulePack) -> tuple[set[str], set[str]]:
    """The applications withdrawn under the act (not counted, not ranked), and those whose
    withdrawal may or may not be in time (counted as undetermined).

    A withdrawal (``Application.withdrawal``) is judged by the rules the pack's procedure names
    (``procedure.yaml``: ``withdrawal.judged_by``) when the application is evaluated: passed, its
    status is ``withdrawn``; failed (after the close), the application stays; unknown, it is
    undetermined. A pack that names none takes every withdrawal as made."""
    timing = set(pack.procedure.withdrawal.judged_by) if pack.procedure else set()
    results = {a.application_id: a for a in completeness.applications}
    withdrawn = {a.application_id for a in completeness.applications if a.status == "withdrawn"}
    unsure: set[str] = set()
    for application in competition.applications:
        if application.withdrawal is None or application.id in withdrawn:
            continue
        outcomes = {r.outcome for r in results[application.id].results if r.rule_id in timing} - {"not_applicable"}
        if "unknown" in outcomes and "failed" not in outcomes:
            unsure.add(application.id)
    return withdrawn, unsure


def _record_findings(
    competition: Any, pack: RulePack, completeness: CompetitionResult, scores: list[ApplicationScore], lang: Language
) -> list[RecordFinding]:
    """The records checked against what was computed: an expert conclusion whose points differ
    from the total of the marks; a winner the completeness check did not admit; a recommendation
    on co-financing for an application the Commission did not name a winner."""
    citations = pack.procedure.citations if pack.procedure else None
    findings: list[RecordFinding] = []
    totals = {score.application_id: score.total for score in scores}
    names = _labels(completeness, lang)
    cited = citations.expert_conclusion if citations else None
    if cited is not None:
        for application in competition.applications:
            shown = application.records.expert_conclusion.points if application.records.expert_conclusion else None
            computed = totals.get(application.id)
            if shown is not None and computed is not None and shown != computed:
                findings.append(_finding(
                    "points_differ", cited.provision, application.id, pack, lang, names,
                    shown=l10n.number(shown, lang), computed=l10n.number(computed, lang),
                ))
    decision, cited = competition.records.stage2_decision, citations.winners if citations else None
    if decision is not None and cited is not None:
        status = {a.application_id: a.status for a in completeness.applications}
        for application_id in decision.winners:
            if status.get(application_id, "admitted") != "admitted":
                label = gettext(f"status.{status[application_id]}", lang)
                findings.append(_finding("winner_not_admitted", cited.provision, application_id, pack, lang, names, status=label))
        for application_id in decision.cofinancing_recommended:
            if application_id not in decision.winners:
                findings.append(_finding("recommended_not_winner", cited.provision, application_id, pack, lang, names))
    return findings


def _labels(completeness: CompetitionResult, lang: Language) -> dict[str, str]:
    """Each application as a message names it: in Kazakh and Russian its registration number and
    cluster (no file id in a kk or ru text), in English its id."""
    if lang == "en":
        return {}
    return {
        a.application_id: l10n.numbered(a.registration_number, a.cluster_name)
        for a in completeness.applications
    }


def _finding(
    code: str, provision: str, application_id: str, pack: RulePack, lang: Language, names: dict[str, str] | None = None, **values: Any
) -> RecordFinding:
    message = gettext(f"records.{code}", lang).format(
        paragraph=pack.cite(provision, lang, short=True), application=(names or {}).get(application_id, application_id), **values
    )
    return RecordFinding(code=code, provision=provision, application_id=application_id, message=message)


def procedure_events(competition: Any, pack: RulePack) -> list[ProcedureEvent]:
    """The competition's events, plus the announcement and the close of acceptance from its dates.

    A derived event is added only when the competition does not give it and the pack's time
    limits use it. The close of acceptance is counted as a day in Asia/Almaty.
    """
    procedure_checked(competition, pack)
    if pack.procedure is None:
        return sorted(competition.events, key=lambda e: (e.date, e.event, e.application_id or ""))
    events = pack.procedure.events
    used = {limit.start_event for limit in pack.time_limits} | {limit.end_event for limit in pack.time_limits}
    given = {(event.event, event.application_id) for event in competition.events}
    derived = [
        ProcedureEvent(event=events.announcement, date=competition.announced_on, note="announced_on"),
        ProcedureEvent(
            event=pack.procedure.stage(competition.stage).events.acceptance_closed,
            date=day_of(competition.acceptance_closes_at),
            note="acceptance_closes_at",
        ),
    ]
    extra = [event for event in derived if event.event in used and (event.event, None) not in given]
    extra += [event for event in record_events(competition, pack) if (event.event, event.application_id) not in given]
    return sorted([*competition.events, *extra], key=lambda e: (e.date, e.event, e.application_id or ""))


def procedure_checked(competition: Any, pack: RulePack) -> None:
    """What :func:`procedure_events` refuses, without making the events: a stage the act does not
    have, an announcement or close-of-acceptance event on another day than the competition's
    dates say (a header checked beside one application, :mod:`clusterpolicy.output.operations`)."""
    pack.check_stages(competition=competition)
    if pack.procedure is not None:
        _dates_agree(competition, pack)


def record_events(competition: Any, pack: RulePack) -> list[ProcedureEvent]:
    """The events the procedure's records date (the pack's ``record_events``), whether or not the
    competition's events also give them; each notes the field its date was taken from."""
    if pack.procedure is None:
        return []
    found: list[ProcedureEvent] = []
    for item in pack.procedure.record_events:
        if item.of == "competition":
            sources = [(None, competition)]
        elif item.of == "application":
            sources = [(application.id, application) for application in competition.applications]
        else:
            sources = [(None, application) for application in competition.applications]
        dated: dict[str | None, list[tuple[dt.date, str]]] = {}
        for application_id, root in sources:
            for path in item.from_:
                day = resolve(root, path)
                if isinstance(day, dt.date):
                    dated.setdefault(application_id, []).append((day, path))
        for application_id, days in dated.items():
            day, path = (min if item.take == "earliest" else max)(days)
            found.append(ProcedureEvent(event=item.event, date=day, application_id=application_id, note=path))
    return found


def _dates_agree(competition: Any, pack: RulePack) -> None:
    """The announcement and close-of-acceptance events, where the competition gives them, fall on
    the days its ``announced_on`` and ``acceptance_closes_at`` say (``announced_on: 9999-12-31``
    beside an announcement event in 2017 was accepted, and each part of the procedure read the
    date it liked)."""
    procedure = pack.procedure
    assert procedure is not None
    fields = {procedure.events.announcement: ("announced_on", competition.announced_on)}
    fields[procedure.stage(competition.stage).events.acceptance_closed] = (
        "acceptance_closes_at",
        day_of(competition.acceptance_closes_at),
    )
    for index, given in enumerate(competition.events):
        if given.application_id is None and given.event in fields and given.date != fields[given.event][1]:
            name, day = fields[given.event]
            raise InputError(
                f"the event {given.event} is dated {given.date.isoformat()}, but {name} says {day.isoformat()}",
                location=Location(path=("events", index, "date")),
                code="inconsistent",
            )


def timeline_of(competition: Any, pack: RulePack, events: list[ProcedureEvent], *, calendar: Any = None) -> Timeline:
    """:func:`~clusterpolicy.procedure.timeline.compute_timeline` for a competition's events; a
    term outside the working calendar names the competition's field that gave its date."""
    try:
        return compute_timeline(pack.time_limits, events, calendar=calendar)
    except CalendarError as exc:
        event = getattr(exc, "event", None)
        path = event_field(competition, pack, *event[:2]) if event else None
        if path is None:
            raise
        raise CalendarError(exc.message, location=Location(path=path), code=exc.code) from None


def event_field(competition: Any, pack: RulePack, event: str, application_id: str | None) -> tuple | None:
    """The field of ``competition`` that gives the date of ``event`` (for ``application_id``)."""
    for index, given in enumerate(competition.events):
        if given.event == event and given.application_id == application_id:
            return ("events", index, "date")
    procedure = pack.procedure
    for derived in record_events(competition, pack):  # a date the procedure's records gave
        if derived.event == event and derived.application_id == application_id and derived.note:
            if application_id is None:  # the competition's own field, or one of many applications' (not located)
                return tuple(derived.note.split(".")) if resolve(competition, derived.note) == derived.date else None
            index = next(i for i, application in enumerate(competition.applications) if application.id == application_id)
            return ("applications", index, *derived.note.split("."))
    if procedure is None or application_id is not None:
        return None
    if event == procedure.events.announcement:
        return ("announced_on",)
    if competition.stage in procedure.stages and event == procedure.stage(competition.stage).events.acceptance_closed:
        return ("acceptance_closes_at",)
    return None


def _failed_event(pack: RulePack) -> str | None:
    """The event whose date is the day the competition is declared failed (the pack's procedure)."""
    return pack.procedure.events.failed if pack.procedure else None


def overdue_entries(timeline: Timeline, as_of: dt.date | None) -> list[str]:
    """Uids of the pending entries whose due date is before ``as_of`` (none without ``as_of``)."""
    if as_of is None:
        return []
    return [e.uid for e in timeline.entries if e.status == "pending" and e.due_date is not None and e.due_date < as_of]


__all__ = [
    "CompetitionReport",
    "RecordFinding",
    "event_field",
    "overdue_entries",
    "procedure_events",
    "record_events",
    "run_competition",
    "timeline_of",
    "withdrawals",
]
