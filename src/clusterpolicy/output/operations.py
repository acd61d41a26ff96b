"""The use cases under both faces: the command line (:mod:`.cli`) and the HTTP service (:mod:`.service`).

Each function takes input models already read (from files by the command line, from a request
body by the service) and gives the result both faces write: evaluate an application (with or
without its competition's header), evaluate a competition, its deadlines, explain a rule, the
packs' summaries, and the source of a document for officials. Neither face evaluates, times or
explains anything itself: it parses its arguments or its request, calls one of these, and
writes the answer as text, JSON, a file or an HTTP response.

**One consistency check for every way a competition arrives.** :func:`consistent` runs
:func:`~clusterpolicy.input.loading.competition_problems` on a competition, or on a header and
the one application given beside it, before anything is judged; the procedure's own dates
(its announcement and close-of-acceptance events against ``announced_on`` and
``acceptance_closes_at``) are checked under the pack, as for a whole competition. A
contradictory header is refused the same way beside one application as for a whole
competition, on the command line and over HTTP.

**Where a problem is.** An error raised here names its field by its path in the *request*,
the shape of the service's bodies: ``("competition", "events", 3, "date")``,
``("application", "submitted_at")``, ``("announced",)``, ``("closes",)``. The service reads
that path's line in the body; the command line the line of the file (or the option) that gave
that part (:data:`ROOTS`). An error found by the library in one application alone keeps its
own path (the command line locates it in the application's file, as before).
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from ..core.errors import CalendarError, ClusterPolicyError, InputError, Location, UsageError
from ..core.i18n import Language
from ..input.loading import competition_problems
from ..input.decree535_form import Application, Competition, ProcedureEvent
from ..input.values import within_range

ROOTS = ("application", "competition", "announced", "closes")
"""The first part of every path an error raised here names: the part of the request it is in."""


# --------------------------------------------------------------------------- where a problem is


def _in_request(path: tuple[Any, ...], own: int | None) -> tuple[Any, ...]:
    """A competition's field path as a path of the request: the application given beside a
    header (at index ``own`` of the competition checked) is ``application``."""
    if own is not None and len(path) >= 2 and path[0] == "applications" and path[1] == own:
        return ("application", *path[2:])
    return ("competition", *path)


@contextmanager
def _within_competition(own: int | None = None) -> Iterator[None]:
    """An error the library raises about a field of the competition, without its file, names
    that field in the request (under ``competition``, or ``application`` for ``own``)."""
    try:
        yield
    except ClusterPolicyError as exc:
        where = exc.location
        if where is not None and where.file is None and where.path and where.path[0] not in ROOTS:
            exc.location = Location(None, where.line, _in_request(tuple(where.path), own))
        raise


def _with(header: Competition, application: Application) -> tuple[Competition, int]:
    """The header with ``application`` among its applications, and its index there."""
    applications = [a for a in header.applications if a.id != application.id]
    return header.model_copy(update={"applications": [*applications, application]}), len(applications)


def consistent(competition: Competition, application: Application | None = None) -> Competition:
    """``competition`` if it is consistent, with ``application`` beside it when given (a header
    and the one application submitted to it); else an :class:`InputError` ``inconsistent`` at
    the first problem's field in the request.

    Beside one application, the header is checked as a whole competition's is, and the
    application as one of its applications would be (registered before the announcement); what
    only a whole competition can show (an event naming an application it does not hold) is not
    asked of a header that lists none.
    """
    problems = [(("competition", *path), message) for path, message in competition_problems(competition)]
    if application is not None:
        whole, own = _with(competition, application)
        problems += [
            (_in_request(path, own), message)
            for path, message in competition_problems(whole)
            if len(path) >= 2 and path[0] == "applications" and path[1] == own
        ]
    for path, message in problems:
        raise InputError(message, location=Location(None, None, path), code="inconsistent")
    return competition


# --------------------------------------------------------------------------- evaluate


def changed(values: dict[str, Any], given_as: str) -> Any:
    """Parameters to change (``--set``, a request's ``parameters``), knowing where they were given:
    a wrong name is located there (:func:`clusterpolicy.packs.with_parameters`)."""
    from ..packs.reform import Changes

    return Changes(values, given_as)


def evaluate_application(
    application: Application,
    competition: Competition | None = None,
    *,
    pack: Any = None,
    lang: Language = "en",
    as_of: dt.date | None = None,
    parameters: Any = None,
) -> Any:
    """One application, in its competition's header when given: exactly what
    ``evaluate(application, competition=...)`` gives, once the header and the application
    beside it are consistent (:func:`consistent`, and the procedure's dates under the pack).
    ``parameters`` change the pack's named parameters (``--set``, a request's ``parameters``)."""
    from ..evaluation import choose_pack_for, evaluate

    if competition is None:
        return evaluate(application, pack=pack, lang=lang, as_of=as_of, parameters=parameters)
    consistent(competition, application)
    rule_pack, warnings = choose_pack_for(
        pack, competition=competition, application=application, as_of=as_of, lang=lang, parameters=parameters
    )
    if rule_pack.procedure is not None:
        from ..competition import procedure_events

        whole, own = _with(competition, application)
        with _within_competition(own):
            procedure_events(whole, rule_pack)  # the events against the header's dates, as for a whole competition
    result = evaluate(application, competition=competition, pack=rule_pack, lang=lang, as_of=as_of)
    return result.model_copy(update={"warnings": [*warnings, *result.warnings]}) if warnings else result


def evaluate_competition(
    competition: Competition, *, pack: Any = None, lang: Language = "en", as_of: dt.date | None = None, parameters: Any = None
) -> Any:
    """A whole competition (:func:`~clusterpolicy.competition.run_competition`), once consistent."""
    from ..competition import run_competition

    consistent(competition)
    with _within_competition():
        return run_competition(competition, pack=pack, lang=lang, as_of=as_of, parameters=parameters)


def evaluate_input(
    subject: Application | Competition,
    competition: Competition | None = None,
    *,
    pack: Any = None,
    lang: Language = "en",
    as_of: dt.date | None = None,
    parameters: Any = None,
) -> Any:
    """:func:`evaluate_competition` of a competition, :func:`evaluate_application` of an application."""
    if isinstance(subject, Competition):
        return evaluate_competition(subject, pack=pack, lang=lang, as_of=as_of, parameters=parameters)
    return evaluate_application(subject, competition, pack=pack, lang=lang, as_of=as_of, parameters=parameters)


# --------------------------------------------------------------------------- what changes the verdicts


def compare_competition(
    competition: Competition, packs: list[Any], *, parameters: Any = None, lang: Language = "en"
) -> Any:
    """A competition under two packs (``diff``): ``packs`` is [before, after], [pack] (after: it
    with ``parameters``) or [] (the competition's pack, and it with ``parameters``), once consistent."""
    from ..comparison import compare

    if len(packs) > 2:
        raise UsageError("diff compares two packs: give --pack at most twice", code="usage")
    if len(packs) < 2 and not parameters:
        raise UsageError("diff needs two packs (--pack A --pack B) or changed parameters (--set NAME=VALUE)", code="usage")
    consistent(competition)
    with _within_competition():
        before = packs[0] if packs else None
        return compare(competition, before, packs[1] if len(packs) == 2 else None, parameters=parameters, lang=lang)


def competition_sensitivity(competition: Competition, *, pack: Any = None, lang: Language = "en") -> Any:
    """A competition under each reading of every choice of its pack (``sensitivity``), once consistent."""
    from ..comparison import sensitivity

    consistent(competition)
    with _within_competition():
        return sensitivity(competition, pack=pack, lang=lang)


# --------------------------------------------------------------------------- deadlines


@dataclass
class Deadlines:
    """The procedure's time limits for a competition, or for an announcement date and/or a close
    of acceptance: the timeline, the pack it was read from and what goes with it."""

    pack: Any
    warnings: list[Any]
    events: list[ProcedureEvent]
    timeline: Any
    scope: str
    lang: Language
    as_of: Optional[dt.date] = None
    overdue: set[str] = field(default_factory=set)
    name: str = ""

    @property
    def late(self) -> list[Any]:
        """Entries done late, or pending past their due date on ``as_of``."""
        return [e for e in self.timeline.entries if e.status == "late" or e.uid in self.overdue]

    def result(self) -> Any:
        """The timeline result document (docs/schema/timeline.schema.json)."""
        from .schemas import timeline_result

        return timeline_result(
            self.timeline, pack=self.pack, lang=self.lang, events=self.events, as_of=self.as_of,
            overdue=sorted(self.overdue), warnings=self.warnings,
        )

    def ics(self) -> bytes:
        """The due dates as an iCalendar file, named after the competition (else after the pack)."""
        name = self.name or f"clusterpolicy {self.pack.id}"
        return self.timeline.to_ics(self.lang, calendar_name=name, style=self.pack.citation_style, scope=self.scope)


def deadlines(
    competition: Competition | None = None,
    *,
    announced: dt.date | None = None,
    closes: dt.date | dt.datetime | None = None,
    pack: Any = None,
    lang: Language = "en",
    as_of: dt.date | None = None,
) -> Deadlines:
    """The timeline of ``competition`` (its events and dates), or of an announcement date and/or
    the close of acceptance of the first stage (a date, or a moment whose day in Almaty counts).
    A term that runs outside the working calendar names the field that gave its date."""
    from ..competition import overdue_entries, procedure_events, timeline_of
    from ..evaluation import choose_pack_for
    from ..packs import choose_pack
    from ..procedure.timeline import compute_timeline

    if competition is not None:
        consistent(competition)
        rule_pack, warnings = choose_pack_for(pack, competition=competition, as_of=as_of, lang=lang)
        with _within_competition():
            events = procedure_events(competition, rule_pack)
            timeline = timeline_of(competition, rule_pack, events)
        scope = f"{competition.id}-stage{competition.stage}"  # the iCalendar UIDs' scope
        name = competition.title_in(lang) or competition.id  # the calendar is named after the competition
    elif announced or closes:
        if isinstance(closes, dt.datetime):  # its day in Asia/Almaty is what the terms count from
            from ..calendar.terms import ALMATY

            try:
                closes = within_range(closes.astimezone(ALMATY).date() if closes.tzinfo else closes.date())
            except (ValueError, OverflowError):
                raise InputError("outside the calendar once read in Almaty time", location=Location(None, None, ("closes",)), code="not_a_date") from None
        rule_pack, warnings = choose_pack(as_of or announced or closes, pack, lang=lang)  # type: ignore[arg-type]
        procedure = rule_pack.require_procedure()
        first = procedure.stage(min(procedure.stages)).events.acceptance_closed
        events = [ProcedureEvent(event=procedure.events.announcement, date=announced)] if announced else []
        events += [ProcedureEvent(event=first, date=closes)] if closes else []
        try:
            timeline = compute_timeline(rule_pack.time_limits, events)
        except CalendarError as exc:
            event = getattr(exc, "event", None)
            named = {procedure.events.announcement: "announced", first: "closes"}.get(event[0]) if event else None
            if named is None:
                raise
            raise CalendarError(exc.message, location=Location(None, None, (named,)), code=exc.code) from None
        scope = "-".join(f"{name}-{day.isoformat()}" for name, day in (("announced", announced), ("closes", closes)) if day)
        name = ""
    else:
        raise UsageError("give a competition, or announced and/or closes", code="usage")
    return Deadlines(
        pack=rule_pack, warnings=warnings, events=events, timeline=timeline, scope=scope, lang=lang, as_of=as_of,
        overdue=set(overdue_entries(timeline, as_of)), name=name,
    )


# --------------------------------------------------------------------------- packs and rules


def pack_summaries(lang: Language) -> list[dict[str, Any]]:
    """Each shipped pack: id, version, title, act, in force from/until, extends, rules, parameters."""
    from ..packs import available_packs, load_pack

    listed = []
    for pack_id in available_packs():
        pack = load_pack(pack_id)
        act = pack.header.act
        listed.append(
            {
                "id": pack.id,
                "version": pack.version,
                "title": pack.header.title.get(lang),
                "act": act.title.get(lang),
                "in_force_from": act.in_force_from.isoformat(),
                "in_force_until": act.in_force_until.isoformat() if act.in_force_until else None,
                "extends": pack.header.extends,
                "rules": [rule.id for rule in pack.rules],
                "parameters": sorted(pack.parameters),
            }
        )
    return listed


def show_pack(reference: Any) -> Any:
    """The pack ``clusterpolicy packs show`` shows: a shipped pack's id, or a pack folder (the
    command line's; the service names shipped packs only)."""
    from ..packs import resolve_pack

    return resolve_pack(reference)


def find_rule(rule_id: str, pack: Any = None) -> tuple[Any, Any]:
    """(pack, rule): the rule ``rule_id`` of ``pack`` (a loaded pack), or of the first shipped
    pack that defines it."""
    from ..packs import available_packs, load_pack

    if pack is None:
        having = [load_pack(p) for p in available_packs() if any(r.id == rule_id for r in load_pack(p).rules)]
        if not having:
            raise UsageError(f"no shipped pack has a rule {rule_id!r} (see: clusterpolicy packs show ID)", code="unknown_rule")
        pack = having[0]
    return pack, pack.rule(rule_id)


def note_text(note: Any, lang: Language) -> str | None:
    """A note on one line: a plain text, or a kk/ru/en ``Text`` in ``lang``."""
    if not note:
        return None
    return " ".join((note if isinstance(note, str) else note.get(lang)).split())


def explanation(pack: Any, rule: Any, lang: Language) -> dict[str, Any]:
    """What ``clusterpolicy explain`` shows of a rule, as data (``GET /v1/packs/{pack}/rules/{rule}``)."""
    file, line = pack.lines.get(rule.id, (None, None))
    citation = rule.citation
    return {
        "id": rule.id,
        "title": rule.title.get(lang),
        "pack": {"id": pack.id, "version": pack.version},
        "citation": {
            "provision": citation.provision,
            "text": pack.cite(citation.provision, lang),
            "act": citation.act or pack.act_of(citation.provision).title.get(lang),
            "quote": citation.quote,
        },
        "severity": rule.severity,
        "stages": list(rule.stages),
        "when": rule.when.model_dump(mode="json", by_alias=True, exclude_none=True) if rule.when is not None else None,
        "check": rule.check.model_dump(mode="json", by_alias=True, exclude_none=True),
        "parameters": [
            {
                "name": name,
                "value": pack.parameters[name].model_dump(mode="json")["value"],
                "provision": pack.parameters[name].citation.provision,
                "note": note_text(pack.parameters[name].note, lang),
            }
            for name in rule.parameter_names()
        ],
        "message": rule.message.get(lang),
        "note": note_text(rule.note, lang),
        "defined": {"file": file, "line": line},
    }


# --------------------------------------------------------------------------- documents


def make_document(
    kind: str,
    source: Any,
    *,
    date: dt.date | None = None,
    allow_empty: bool = False,
    competition: Competition | None = None,
) -> Any:
    """The document ``kind`` of an evaluated ``source`` (:func:`evaluate_input`); a return
    notice of one application names its ``competition`` (the header) by its title."""
    from ..checks.results import ApplicationResult
    from .reports import make_report, return_notice

    if kind == "notice" and isinstance(source, ApplicationResult) and competition is not None:
        return return_notice(
            source, date=date, competition_title=competition.title_in(source.language) or competition.id, organiser=competition.organiser
        )
    return make_report(kind, source, date=date, allow_empty=allow_empty)
