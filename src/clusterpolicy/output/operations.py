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
that part (:data:`ROOTS`). An error found by the library in one application evaluated alone is
named under ``application`` too (the command line locates it in the application's file, as
before; the service under ``application`` in its body).
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any, Iterator, Literal, Optional

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
def _within_competition(own: int | None = None, *, alone: bool = False) -> Iterator[None]:
    """An error the library raises about a field of the competition, without its file, names
    that field in the request (under ``competition``, or ``application`` for ``own``); ``alone``:
    the error is about a field of an application evaluated alone, named under ``application``."""
    try:
        yield
    except ClusterPolicyError as exc:
        where = exc.location
        if where is not None and where.file is None and where.path and where.path[0] not in ROOTS:
            path = ("application", *where.path) if alone else _in_request(tuple(where.path), own)
            exc.location = Location(None, where.line, path)
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
    from ..evaluation import choose_pack_for, evaluate, evaluate_chosen

    if competition is None:
        with _within_competition(alone=True):  # a stage the act lacks, a date outside the calendar: under /application
            return evaluate(application, pack=pack, lang=lang, as_of=as_of, parameters=parameters)
    consistent(competition, application)
    rule_pack, warnings = choose_pack_for(
        pack, competition=competition, application=application, as_of=as_of, lang=lang, parameters=parameters
    )
    if rule_pack.procedure is not None:
        from ..competition import procedure_checked

        whole, own = _with(competition, application)
        with _within_competition(own):
            procedure_checked(whole, rule_pack)  # the events against the header's dates, as for a whole competition
    # the header was checked above: what the evaluation finds is about the application's fields
    with _within_competition(alone=True):
        return evaluate_chosen(application, competition, rule_pack, warnings, lang=lang)


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
    for_document: bool = False,
) -> Any:
    """:func:`evaluate_competition` of a competition, :func:`evaluate_application` of an application.

    ``for_document``: the evaluation a document is made of (:func:`make_document`), whose
    messages name every item of a long list, as its annexes print them in full; a JSON answer's
    messages name at most ``l10n.MAX_LISTED`` (the full lists are in ``observed``)."""
    from ..core import l10n

    with l10n.every_item_listed() if for_document else nullcontext():
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


def competition_sensitivity(
    competition: Competition, *, pack: Any = None, lang: Language = "en", all_combinations: bool = False, choices: Any = None
) -> Any:
    """A competition under each reading of every choice of its pack (``sensitivity``), once consistent
    (``all_combinations``: also every combination of the readings of ``choices``, or of every choice that decides a verdict)."""
    from ..comparison import sensitivity

    consistent(competition)
    with _within_competition():
        return sensitivity(competition, pack=pack, lang=lang, all_combinations=all_combinations, choices=choices)


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
    from .reports import make_report, return_notice, with_record

    if kind == "notice" and isinstance(source, ApplicationResult) and competition is not None:
        notice = return_notice(
            source, date=date, competition_title=competition.title_in(source.language) or competition.id, organiser=competition.organiser
        )
        return with_record(notice, source, date)
    return make_report(kind, source, date=date, allow_empty=allow_empty)


# --------------------------------------------------------------------------- the law beside the code


def law_page(folder: Any, lang: Language = "en") -> tuple[str, list[str]]:
    """The law beside the code of a pack folder (``clusterpolicy law DIR``): one self-contained
    HTML page of the act's text (the folder's ``law.yaml`` and text) beside what encodes each
    unit in that folder's pack, its commentary in ``lang``; and what breaks the correspondence
    (a unit with no requirement, a citation that names no unit), which the page shows as it is."""
    from ..authoring.lawdoc import law_page as page

    return page(folder, lang)


# --------------------------------------------------------------------------- verify a result

VerifyStatus = Literal["same", "different", "cannot_check"]
"""What :func:`verify` found: ``same`` (exit 0), ``different`` (exit 1), ``cannot_check`` (exit 2)."""

EXIT_OF = {"same": 0, "different": 1, "cannot_check": 2}


@dataclass
class Difference:
    """One thing that differs: ``what`` (a digest, a version, a verdict: ``A-01 rule.id``), as
    the result records it and as found now."""

    what: str
    recorded: Any
    found: Any

    def to_dict(self) -> dict[str, Any]:
        return {"what": self.what, "recorded": self.recorded, "found": self.found}


@dataclass
class Verification:
    """The answer of :func:`verify`: ``status``, what was checked, what differs and why."""

    status: VerifyStatus
    checked: list[str] = field(default_factory=list)
    """What was checked and held: ``document_digest``, ``record_consistent``, ``input_digest``, ``verdicts``, ``document``."""
    differences: list[Difference] = field(default_factory=list)
    """The verdicts (or digests) that differ."""
    reasons: list[Difference] = field(default_factory=list)
    """Why they may differ: another input, pack, changed parameters or version than the record names."""
    message: str = ""

    @property
    def exit_code(self) -> int:
        return EXIT_OF[self.status]

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "message": self.message,
            "checked": list(self.checked),
            "differences": [d.to_dict() for d in self.differences],
            "reasons": [d.to_dict() for d in self.reasons],
        }


def verdicts(data: dict[str, Any]) -> dict[str, Any]:
    """The verdicts of a result document (application or competition): each application's
    status and reasons and each rule's outcome; a competition's timeline statuses, overdue
    steps, outcome and ranking. Keyed by a readable name (``A-01 eligibility.x``)."""
    found: dict[str, Any] = {}
    if "completeness" in data:
        applications = (data.get("completeness") or {}).get("applications") or []
    elif "applications" in data:
        applications = data.get("applications") or []
    else:
        applications = [data]
    for application in applications:
        if not isinstance(application, dict):
            continue
        name = application.get("application_id")
        found[f"{name} status"] = application.get("status")
        found[f"{name} reasons"] = application.get("reasons")
        for rule in application.get("results") or []:
            if isinstance(rule, dict):
                found[f"{name} {rule.get('rule_id')}"] = rule.get("outcome")
    for entry in (data.get("timeline") or {}).get("entries") or []:
        if isinstance(entry, dict):
            step = " ".join(str(part) for part in (entry.get("limit_id"), entry.get("application_id")) if part)
            found[f"timeline {step}"] = [entry.get("status"), entry.get("due_date")]
    if "overdue" in data:
        found["overdue"] = data.get("overdue")
    outcome = data.get("outcome")
    if isinstance(outcome, dict):
        found["outcome"] = outcome.get("status")
        found["ranking"] = [[r.get("rank"), r.get("application_id"), r.get("total"), r.get("admitted")] for r in outcome.get("ranking") or [] if isinstance(r, dict)]
    return found


def _recorded(data: Any) -> tuple[dict[str, Any] | None, str]:
    """The result's decision record, or why there is none to check."""
    if not isinstance(data, dict):
        return None, "not a result document (expected a JSON object)"
    record = data.get("decision_record")
    if not isinstance(record, dict) or not isinstance(record.get("digest"), str):
        return None, "the document carries no decision record (a result of format 3.0 or later has one)"
    return record, ""


def verify(
    result: Any,
    subject: Application | Competition | None = None,
    competition: Competition | None = None,
    *,
    pack: Any = None,
) -> Verification:
    """Check a result document (its JSON, read as data): its digest recomputed over what it
    says, its record against its own header; given the input it was made from (``subject``,
    with the competition's header for an application evaluated in one), the input's digest, and
    the verdicts of an evaluation under the pack the record names (the shipped pack of that id,
    or ``pack``: a folder or pack to use instead) against those recorded.

    ``same``: nothing differs (the verdicts, if re-evaluated). ``different``: the document was
    changed after it was made, or the verdicts differ (the ``reasons`` say what else differs:
    the input, the pack, its parameters, the library's or data's versions). ``cannot_check``:
    no record, or no pack of the recorded id to evaluate under."""
    from ..core.record import document_digest, input_data, sha256, versions
    from ..evaluation import changed_parameters
    from ..packs import available_packs, resolve_pack

    record, why = _recorded(result)
    if record is None:
        return Verification("cannot_check", message=why)
    checked: list[str] = []
    differences: list[Difference] = []
    digest = document_digest(result)
    if digest != record["digest"]:
        differences.append(Difference("document digest", record["digest"], digest))
    else:
        checked.append("document_digest")
    header = result.get("pack") if isinstance(result.get("pack"), dict) else {}
    own = [
        ("pack id", (record.get("pack") or {}).get("id"), header.get("id")),
        ("pack version", (record.get("pack") or {}).get("version"), header.get("version")),
        ("pack digest", (record.get("pack") or {}).get("digest"), header.get("digest")),
        ("library version", (record.get("versions") or {}).get("library"), result.get("library_version")),
        ("tzdata version", (record.get("versions") or {}).get("tzdata"), result.get("tzdata_version")),
    ]
    mismatched = [Difference(f"{what} (record, document)", a, b) for what, a, b in own if a != b]
    differences += mismatched
    if not mismatched:
        checked.append("record_consistent")
    if differences:
        return Verification("different", checked, differences, message="the document is not as it was made: its digest or record does not match what it says")
    if subject is None:
        return Verification("same", checked, message="the document and its record agree (give the input to re-evaluate its verdicts)")

    reasons: list[Difference] = []
    document, data = input_data(subject, competition)
    recorded_input = record.get("input") or {}
    if sha256(data) != recorded_input.get("digest") or document != recorded_input.get("document"):
        reasons.append(Difference("input digest", recorded_input.get("digest"), sha256(data)))
    else:
        checked.append("input_digest")

    named = record.get("pack") or {}
    if pack is None:
        if named.get("id") not in available_packs():
            return Verification("cannot_check", checked, reasons=reasons, message=f"the record names pack {named.get('id')!r}, which this library does not ship: give it (--pack DIR)")
        pack = named.get("id")
    try:
        rule_pack = resolve_pack(pack)
    except ClusterPolicyError as exc:
        return Verification("cannot_check", checked, reasons=reasons, message=f"the pack cannot be read: {exc.message}")
    if rule_pack.id != named.get("id"):
        reasons.append(Difference("pack id", named.get("id"), rule_pack.id))
    if rule_pack.digest != named.get("digest"):
        reasons.append(Difference("pack digest", named.get("digest"), rule_pack.digest))
    now_changed = [c.model_dump(mode="json") for c in changed_parameters(rule_pack)]
    if now_changed != record.get("changed_parameters", []):
        reasons.append(Difference("changed parameters", record.get("changed_parameters", []), now_changed))
    now_versions = versions().model_dump(mode="json")
    for name, value in now_versions.items():
        if (record.get("versions") or {}).get(name) != value:
            reasons.append(Difference(f"{name} version", (record.get("versions") or {}).get(name), value))

    lang = result.get("language") if result.get("language") in ("kk", "ru", "en") else "en"
    as_of = None
    if isinstance(result.get("as_of"), str):
        as_of = dt.date.fromisoformat(result["as_of"])
    try:
        again = None
        if rule_pack.origin == "shipped":  # as chosen by default first: the same choice gives the same warnings
            again = evaluate_input(subject, competition, lang=lang, as_of=as_of)
            if again.pack.id != rule_pack.id or again.pack.digest != rule_pack.digest:
                again = None
        if again is None:
            again = evaluate_input(subject, competition, pack=rule_pack.id if rule_pack.origin == "shipped" else rule_pack, lang=lang, as_of=as_of)
    except ClusterPolicyError as exc:
        return Verification("cannot_check", checked, reasons=reasons, message=f"the input cannot be evaluated: {exc.message}")
    from ..core.record import result_data

    now = result_data(again)
    before, after = verdicts(result), verdicts(now)
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            differences.append(Difference(key, before.get(key), after.get(key)))
    if differences:
        return Verification("different", checked, differences, reasons, message="the verdicts differ")
    checked.append("verdicts")
    if now["decision_record"]["digest"] == record["digest"]:
        checked.append("document")
        return Verification("same", checked, reasons=reasons, message="the same verdicts, and the same document byte for byte")
    return Verification("same", checked, reasons=reasons, message="the same verdicts (the document's wording or versions differ)")


# --------------------------------------------------------------------------- signatures


def sign_document(data: bytes, key: Any, cert: Any, *, chain: list[Any] = ()) -> bytes:  # type: ignore[assignment]
    """A PDF document signed (PAdES, RSA) with the key and certificate files (:mod:`.signing`, the ``sign`` extra)."""
    from .signing import sign_pdf

    return sign_pdf(data, key, cert, chain=list(chain))


def check_document_signature(data: bytes, *, trust: list[Any] = ()) -> Any:  # type: ignore[assignment]
    """The signatures of a signed PDF and the decision record it carries (:class:`.signing.SignatureCheck`)."""
    from .signing import check_signature

    return check_signature(data, trust=list(trust))
