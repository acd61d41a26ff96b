"""The procedure's timeline: time limits from the rule pack, due dates, late steps, exports.

A rule pack's ``time-limits.yaml`` lists its ``time_limits`` (model :class:`TimeLimit`) and
documents the ``events`` they start from and end with (model :class:`EventDefinition`).
:func:`compute_timeline` takes the events that have happened (any objects with ``event``,
``date``, ``application_id`` attributes, such as ``clusterpolicy.input.decree535_form.ProcedureEvent``) and
returns a :class:`Timeline`: for every limit (and every application, for per-application
limits) its due date, the actual date, whether it was late and by how many working and
calendar days, and the calendar warnings of the years involved. A timeline exports as rows,
Markdown, or an iCalendar (RFC 5545) file.
"""

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, Literal, get_args
from urllib.parse import quote

from pydantic import Field, model_validator

from ..core.base import Strict

from ..core.errors import CalendarError, InputError, RulePackError, UsageError
from ..core import l10n
from ..core.citations import provision_text
from ..core.i18n import DEFAULT_LANGUAGE, Language, Text, gettext
from ..core.law import Citation, Reading
from ..core.tables import HtmlRepr
from ..core.sources import Document, validate
from ..calendar.terms import Rolling, Unit, due_date, shift_months, working_days_between
from ..calendar.working_calendar import CalendarWarning, WorkingCalendar, resolve_calendar
from ..core.base import new_list

_ID = r"^[a-z0-9][a-z0-9_.-]*$"
_EVENT_ID = r"^[a-z0-9_]+$"


# --------------------------------------------------------------------------- the rule-pack models


class LimitParameter(Strict):
    """A choice made where the law is silent: which field of the limit it sets, and why; and,
    for a choice between readings of the text, each reading (`clusterpolicy sensitivity` tries
    each, `--set NAME=VALUE` sets one)."""

    name: str = Field(pattern=_ID, description="Stable name, used to override the choice.")
    sets: Literal["unit", "rolling"] = Field(description="The field of the limit whose value is the choice.")
    note: Text
    title: Text | None = Field(None, description="The choice named in kk/ru/en (required with readings).")
    readings: list[Reading] = Field(default_factory=new_list, description="Each reading: the value it gives the field, and its name.")

    @model_validator(mode="after")
    def _readings_are_values_of_the_field(self) -> "LimitParameter":
        allowed = [member.value for member in (Unit if self.sets == "unit" else Rolling)]
        for reading in self.readings:
            if reading.value not in allowed:
                raise ValueError(f"a reading of {self.name!r} sets {self.sets}: one of {', '.join(allowed)}, not {reading.value!r}")
        if self.readings and self.title is None:
            raise ValueError(f"the choice {self.name!r} has readings: give its title (kk/ru/en)")
        if len({reading.value for reading in self.readings}) != len(self.readings):
            raise ValueError("two readings give the same value")
        return self


class TimeLimit(Strict):
    """One time limit of the procedure: ``end_event`` must happen within (or at least before) a term."""

    id: str = Field(pattern=_ID)
    citation: Citation
    title: Text
    kind: Literal["within", "at_least_before", "after_expiry"] = Field(
        description=(
            "within: end_event by the term's last day after start_event; at_least_before: end_event "
            "no later than the term counted back from start_event; after_expiry: end_event happens "
            "the day after the term runs out (entry into force), never moved."
        )
    )
    amount: int = Field(ge=1)
    unit: Unit
    start_event: str = Field(pattern=_EVENT_ID)
    end_event: str = Field(pattern=_EVENT_ID)
    per_application: bool = Field(False, description="One entry per application (its events carry application_id).")
    indicative: bool = Field(False, description="An indicative duration (methodology), not a legal limit.")
    rolling: Rolling | None = Field(None, description="at_least_before only; default earlier_working_day.")
    parameter: LimitParameter | None = None

    @model_validator(mode="after")
    def _rolling_only_before(self) -> "TimeLimit":
        if self.rolling is not None and self.kind != "at_least_before":
            raise ValueError("rolling applies to at_least_before limits only")
        if self.parameter and self.parameter.sets == "rolling" and self.kind != "at_least_before":
            raise ValueError("a rolling parameter applies to at_least_before limits only")
        return self


class EventDefinition(Strict):
    """An event of the procedure that time limits start from or end with."""

    id: str = Field(pattern=_EVENT_ID)
    title: Text
    per_application: bool = False


class TimeLimitsFile(Strict):
    """A ``time-limits.yaml`` file of a rule pack."""

    time_limits: list[TimeLimit]
    events: list[EventDefinition] = Field(default_factory=new_list)


def _read_file(document: Document) -> TimeLimitsFile:
    parsed = validate(TimeLimitsFile, document, error=RulePackError)
    _unique(document, "time_limits", [limit.id for limit in parsed.time_limits])
    _unique(document, "events", [event.id for event in parsed.events])
    if parsed.events:
        known = {event.id for event in parsed.events}
        for index, limit in enumerate(parsed.time_limits):
            for field in ("start_event", "end_event"):
                if getattr(limit, field) not in known:
                    raise RulePackError(
                        f"event {getattr(limit, field)!r} is not defined in events:",
                        location=document.location(("time_limits", index, field)),
                        code="unknown_event",
                    )
    return parsed


def _unique(document: Document, section: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for index, item in enumerate(ids):
        if item in seen:
            raise RulePackError(
                f"duplicate id {item!r}", location=document.location((section, index, "id")), code="duplicate_id"
            )
        seen.add(item)


def read_time_limits(document: Document) -> list[TimeLimit]:
    """The ``time_limits`` of a ``time-limits.yaml`` document, validated (located :class:`RulePackError`)."""
    return _read_file(document).time_limits


def read_time_limits_file(document: Document) -> tuple[list[TimeLimit], list[EventDefinition]]:
    """The ``time_limits`` and the ``events`` of a ``time-limits.yaml`` document, validated once."""
    parsed = _read_file(document)
    return parsed.time_limits, parsed.events


def read_event_definitions(document: Document) -> list[EventDefinition]:
    """The ``events`` section of a ``time-limits.yaml`` document."""
    return _read_file(document).events


# --------------------------------------------------------------------------- the timeline


Status = Literal["on_time", "late", "pending", "not_started", "computed"]


class TimelineEntry(Strict):
    """One time limit (for one application, if per-application) in a competition."""

    limit_id: str
    application_id: str | None = None
    citation: str
    title: Text
    kind: str
    amount: int
    unit: Unit
    indicative: bool
    start_event: str
    end_event: str
    start_date: dt.date | None = None
    due_date: dt.date | None = None
    actual_date: dt.date | None = None
    status: Status
    late_working_days: int | None = None
    late_calendar_days: int | None = None
    warnings: list[CalendarWarning] = []

    @property
    def uid(self) -> str:
        """Stable identifier of the entry: limit id, and application id if any."""
        suffix = f"--{quote(self.application_id, safe='')}" if self.application_id is not None else ""
        return f"{self.limit_id}{suffix}"


class Timeline(HtmlRepr, Strict):
    """Every time limit of a competition with its due date and status."""

    entries: list[TimelineEntry]

    table_categories: ClassVar[dict[str, list[str]]] = {"status": list(get_args(Status))}

    def table_rows(self, lang: Language) -> list[dict[str, Any]]:
        """The rows of :meth:`to_rows`, with dates as dates (not ISO strings) and no empty warnings."""
        return [
            {key: value for key, value in row.items() if key != "warnings"}
            | {"start": entry.start_date, "due": entry.due_date, "actual": entry.actual_date}  # dates, not ISO strings
            | {"warnings": row["warnings"] or None}
            for entry, row in zip(self.entries, self.to_rows(lang))
        ]

    @property
    def late(self) -> list[TimelineEntry]:
        return [entry for entry in self.entries if entry.status == "late"]

    @property
    def warnings(self) -> list[CalendarWarning]:
        """Every distinct calendar warning of the entries, by year."""
        found = {(w.year, w.code): w for entry in self.entries for w in entry.warnings}
        return [found[key] for key in sorted(found)]

    def to_rows(self, lang: Language = DEFAULT_LANGUAGE) -> list[dict[str, Any]]:
        """One plain dict per entry (dates as ISO strings), ready for a table or a DataFrame."""
        return [
            {
                "limit": entry.limit_id,
                "application": entry.application_id,
                "citation": entry.citation,
                "title": entry.title.get(lang),
                "term": l10n.term(entry.amount, entry.unit, lang)
                + (f" ({gettext('timeline.indicative', lang)})" if entry.indicative else ""),
                "start": _iso(entry.start_date),
                "due": _iso(entry.due_date),
                "actual": _iso(entry.actual_date),
                "status": entry.status,
                "status_label": gettext(f"timeline.{entry.status}", lang),
                "late_working_days": entry.late_working_days,
                "late_calendar_days": entry.late_calendar_days,
                "warnings": "; ".join(f"{w.year}: {w.code}" for w in entry.warnings),
            }
            for entry in self.entries
        ]

    def to_markdown(self, lang: Language = DEFAULT_LANGUAGE, *, style: Any = None) -> str:
        """The rows as a Markdown table (``|`` in texts escaped). English keeps the rows' keys,
        ids and ISO dates (what scripts read); Kazakh and Russian give the words of the
        ``deadlines`` table: the provision as the act writes it (with the pack's ``style``), the
        limit's title, the term, dates as people write them and the status."""
        if lang != "en":
            return self._markdown_in(lang, style)
        rows = self.to_rows(lang)
        headers = list(rows[0]) if rows else list(_EMPTY_ROW)
        lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        for row in rows:
            cells = ["" if row[key] is None else str(row[key]).replace("|", "\\|") for key in headers]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines) + "\n"

    def _markdown_in(self, lang: Language, style: Any) -> str:
        keys = ("provision", "limit", "term", "start", "due", "done", "status", "late")
        headers = [gettext(f"deadlines.{key}", lang) for key in keys]
        lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        for entry in self.entries:
            cells = [
                provision_text(entry.citation, lang, style),
                entry.title.get(lang) + (f" [{entry.application_id}]" if entry.application_id else ""),
                l10n.term(entry.amount, entry.unit, lang) + (f" ({gettext('timeline.indicative', lang)})" if entry.indicative else ""),
                l10n.date(entry.start_date, lang, short=True),
                l10n.date(entry.due_date, lang, short=True),
                l10n.date(entry.actual_date, lang, short=True) if entry.actual_date else "—",
                gettext(f"timeline.{entry.status}", lang),
                "" if entry.late_working_days is None else f"+{entry.late_working_days}",
            ]
            lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
        return "\n".join(lines) + "\n"

    def to_ics(
        self,
        lang: Language = DEFAULT_LANGUAGE,
        *,
        calendar_name: str = "clusterpolicy timeline",
        style: Any = None,
        scope: str | None = None,
    ) -> bytes:
        """An iCalendar (RFC 5545) file: one all-day VEVENT per due date; same timeline, same bytes.

        ``scope`` (e.g. the competition's id and stage) goes into every UID, so that the files of
        several competitions or stages imported into one calendar do not replace each other's events.
        """
        return to_ics(self, lang, calendar_name=calendar_name, style=style, scope=scope)


_EMPTY_ROW = dict.fromkeys(
    ["limit", "application", "citation", "title", "term", "start", "due", "actual", "status", "status_label",
     "late_working_days", "late_calendar_days", "warnings"]
)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def compute_timeline(
    time_limits: Sequence[TimeLimit],
    events: Iterable[Any],
    *,
    calendar: WorkingCalendar | None = None,
    completed: Mapping[str | tuple[str, str | None], dt.date] | None = None,
    parameters: Mapping[str, str] | None = None,
) -> Timeline:
    """Due dates and statuses of ``time_limits`` given the ``events`` that happened.

    ``events``: objects with ``event`` (id), ``date`` and ``application_id`` (may be ``None``).
    Per-application limits get one entry for every application id found in ``events``.
    ``completed``: actual completion dates by limit id, or by ``(limit id, application id)``,
    overriding the limit's ``end_event`` occurrence. ``parameters``: values for the limits'
    named parameters (e.g. ``{"rules_p25_days_unit": "working_days"}``).
    """
    cal = resolve_calendar(calendar)
    occurrences = _index_events(events)
    applications = sorted({a for by_app in occurrences.values() for a in by_app if a is not None})
    completed = dict(completed or {})
    parameters = dict(parameters or {})
    _check_parameters(time_limits, parameters)
    entries: list[TimelineEntry] = []
    for limit in time_limits:
        unit, rolling = _effective(limit, parameters)
        starts = occurrences.get(limit.start_event, {})
        ends = occurrences.get(limit.end_event, {})
        if limit.per_application:  # every application of the competition, started or not
            keys = set(starts) | set(ends) | set(applications) or {None}
        else:
            starts = _collapse(limit.start_event, starts)
            ends = _collapse(limit.end_event, ends)
            keys = {None}
        for application_id in sorted(keys, key=lambda a: (a is not None, a or "")):
            start = starts.get(application_id)
            actual = completed.get((limit.id, application_id), completed.get(limit.id) if application_id is None else None)
            actual = actual if actual is not None else ends.get(application_id)
            try:
                entries.append(_entry(limit, application_id, start, actual, unit, rolling, cal))
            except CalendarError as exc:
                raise _outside(exc, limit, application_id, start, actual, cal) from None
    return Timeline(entries=entries)


def _outside(
    exc: CalendarError, limit: TimeLimit, application_id: str | None, start: dt.date | None, actual: dt.date | None, cal: WorkingCalendar
) -> CalendarError:
    """A term that runs outside the working calendar, said with the term and the date that took it
    there ("2045-08-27 is outside the working calendar" named neither).

    The error's ``event`` attribute is ``(event id, application id, date)`` of the event whose
    date is outside the calendar (or from which the term runs out of it), so that a caller that
    knows where the events came from can name the field and the line
    (:func:`clusterpolicy.competition.timeline_of`).
    """
    inside = lambda day: day is not None and cal.first_day <= day <= cal.last_day  # noqa: E731
    if actual is not None and not inside(actual):
        event, day, how = limit.end_event, actual, f"{limit.end_event} on {actual.isoformat()} is outside"
    elif start is not None and not inside(start):
        event, day, how = limit.start_event, start, f"{limit.start_event} on {start.isoformat()} is outside"
    else:
        event, day = limit.start_event, start
        how = f"counted from {limit.start_event} on {start.isoformat() if start else '?'}, it runs past the end of"
    whose = f" for application {application_id}" if application_id else ""
    error = CalendarError(
        f"the term of {limit.citation.provision} ({limit.id}){whose}: {how} the working calendar "
        f"({cal.first_day.isoformat()}..{cal.last_day.isoformat()})",
        code="outside_calendar",
    )
    error.event = (event, application_id, day)  # type: ignore[attr-defined]
    return error


def _entry(
    limit: TimeLimit,
    application_id: str | None,
    start: dt.date | None,
    actual: dt.date | None,
    unit: Unit,
    rolling: Rolling,
    cal: WorkingCalendar,
) -> TimelineEntry:
    common = dict(
        limit_id=limit.id,
        application_id=application_id,
        citation=limit.citation.provision,
        title=limit.title,
        kind=limit.kind,
        amount=limit.amount,
        unit=unit,
        indicative=limit.indicative,
        start_event=limit.start_event,
        end_event=limit.end_event,
        start_date=start,
        actual_date=actual,
    )
    if start is None:
        return TimelineEntry(**common, status="not_started")
    if limit.kind == "after_expiry":
        due = _after_expiry(start, limit.amount, unit)
        return TimelineEntry(**common, due_date=due, status="computed", warnings=cal.warnings_for(start, due))
    computed = due_date(start, limit.amount, unit, before=limit.kind == "at_least_before", rolling=rolling, calendar=cal)
    if actual is None:
        return TimelineEntry(**common, due_date=computed.date, status="pending", warnings=computed.warnings)
    warnings = cal.warnings_for(min(start, computed.date, actual), max(start, computed.date, actual))
    if actual <= computed.date:
        return TimelineEntry(**common, due_date=computed.date, status="on_time", warnings=warnings)
    return TimelineEntry(
        **common,
        due_date=computed.date,
        status="late",
        late_working_days=working_days_between(computed.date, actual, calendar=cal),
        late_calendar_days=(actual - computed.date).days,
        warnings=warnings,
    )


def _after_expiry(start: dt.date, amount: int, unit: Unit) -> dt.date:
    """The day after a term of calendar days (or months) counted from ``start`` runs out."""
    if unit is Unit.calendar_days:
        return start + dt.timedelta(days=amount + 1)
    if unit is Unit.months:
        return shift_months(start, amount) + dt.timedelta(days=1)
    raise UsageError("an after_expiry limit is in calendar days or months", code="bad_unit")


def _effective(limit: TimeLimit, parameters: Mapping[str, str]) -> tuple[Unit, Rolling]:
    unit, rolling = limit.unit, limit.rolling or Rolling.earlier_working_day
    if limit.parameter and limit.parameter.name in parameters:
        value = parameters[limit.parameter.name]
        try:
            if limit.parameter.sets == "unit":
                unit = Unit(value)
            else:
                rolling = Rolling(value)
        except ValueError:
            allowed = [u.value for u in (Unit if limit.parameter.sets == "unit" else Rolling)]
            raise UsageError(
                f"parameter {limit.parameter.name!r}: {value!r} is not one of {allowed}", code="bad_parameter"
            ) from None
    return unit, rolling


def _check_parameters(time_limits: Sequence[TimeLimit], parameters: Mapping[str, str]) -> None:
    known = {limit.parameter.name for limit in time_limits if limit.parameter}
    unknown = sorted(set(parameters) - known)
    if unknown:
        raise UsageError(f"unknown parameter(s) {unknown}; known: {sorted(known)}", code="unknown_parameter")


def _index_events(events: Iterable[Any]) -> dict[str, dict[str | None, dt.date]]:
    """Events by id, then by application id; a repeated (event, application) is an error."""
    result: dict[str, dict[str | None, dt.date]] = {}
    for index, item in enumerate(events):
        try:
            event, day, application_id = item.event, item.date, getattr(item, "application_id", None)
        except AttributeError:
            raise InputError(
                f"events[{index}] has no 'event' and 'date' (got {type(item).__name__})", code="bad_event"
            ) from None
        if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
            raise InputError(f"events[{index}] ({event}): date must be a date (got {day!r})", code="bad_event")
        by_application = result.setdefault(event, {})
        if application_id in by_application:
            whose = f" for application {application_id!r}" if application_id is not None else ""
            raise InputError(f"event {event!r} is given twice{whose}", code="duplicate_event")
        by_application[application_id] = day
    return result


def _collapse(event: str, by_application: dict[str | None, dt.date]) -> dict[str | None, dt.date]:
    """A competition-wide event: one date whatever application ids it was given with."""
    if len(by_application) > 1:
        raise InputError(
            f"event {event!r} happens once per competition but was given {len(by_application)} times",
            code="duplicate_event",
        )
    return {None: day for day in by_application.values()}


# --------------------------------------------------------------------------- iCalendar


def to_ics(
    timeline: Timeline,
    lang: Language = DEFAULT_LANGUAGE,
    *,
    calendar_name: str = "clusterpolicy timeline",
    style: Any = None,
    scope: str | None = None,
) -> bytes:
    """RFC 5545 text (UTF-8, CRLF, lines folded at 75 octets) with one VEVENT per due date.

    A UID is ``<scope>--<entry uid>@clusterpolicy`` (RFC 5545 3.8.4.7: globally unique, and the
    same on every export of the same competition, so that a re-import updates the event): give
    ``scope`` (the CLI gives the competition's id and stage) whenever the calendars of several
    competitions or stages may meet; without it the UID is the entry's alone.

    ``style`` is the pack's citation style (``RulePack.citation_style``): with it, provisions
    read as the act writes them in ``lang``; without it, as their stable ids (``Rules p.15``).

    DTSTAMP is required by RFC 5545 but a wall-clock stamp would make every export differ;
    it is the latest date found in the timeline (start or actual dates, else due dates) at
    00:00 UTC, so the same data always gives the same bytes and newer data a newer stamp.
    """
    dated = [entry for entry in timeline.entries if entry.due_date is not None]
    uid_prefix = f"{quote(scope, safe='')}--" if scope else ""
    known = [d for e in timeline.entries for d in (e.start_date, e.actual_date) if d] or [e.due_date for e in dated]
    stamp = (max(known) if known else dt.date(1970, 1, 1)).strftime("%Y%m%dT000000Z")  # type: ignore[type-var]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//clusterpolicy//timeline//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + _escape(calendar_name),
    ]
    for entry in dated:
        assert entry.due_date is not None
        provision = provision_text(entry.citation, lang, style)
        summary = f"{provision}: {entry.title.get(lang)}"
        if entry.application_id is not None:
            summary += f" [{entry.application_id}]"
        description = [
            f"{provision} ({gettext(f'timeline.kind.{entry.kind}', lang)}, {l10n.term(entry.amount, entry.unit, lang)}"
            + (f", {gettext('timeline.indicative', lang)}" if entry.indicative else "")
            + ")",
            f"{gettext('deadlines.start', lang)}: {l10n.date(entry.start_date, lang)}",
            f"{gettext('deadlines.done', lang)}: {l10n.date(entry.actual_date, lang) if entry.actual_date else '-'}",
            gettext("timeline.status_line", lang).format(status=gettext(f"timeline.{entry.status}", lang)),
        ]
        if entry.status == "late":
            description.append(
                gettext("timeline.late_by", lang).format(
                    working=l10n.count(entry.late_working_days or 0, "unit.working_days", lang),
                    calendar=l10n.count(entry.late_calendar_days or 0, "unit.calendar_days", lang),
                )
            )
        description += [w.message.get(lang) for w in entry.warnings]
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_escape(uid_prefix + entry.uid)}@clusterpolicy",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{entry.due_date.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(entry.due_date + dt.timedelta(days=1)).strftime('%Y%m%d')}",
            "SUMMARY:" + _escape(summary),
            "DESCRIPTION:" + _escape("\n".join(description)),
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return b"".join(_fold(line) for line in lines)


def _escape(text: str) -> str:
    """RFC 5545 TEXT escaping: backslash, semicolon, comma and line breaks; any other control
    character (a lone CR, which some parsers take for a line break, ESC, NUL...) is dropped, as
    RFC 5545 allows none in TEXT."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\n")
    return _CONTROLS.sub("", text.replace("\r", "\n")).replace("\n", "\\n")


_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _fold(line: str) -> bytes:
    """One content line folded at 75 octets (never inside a UTF-8 character), with CRLF; linear
    in the line's length (each piece is a slice of the same buffer, nothing is copied twice)."""
    data = memoryview(line.encode("utf-8"))
    parts, start, limit = [], 0, 75
    while len(data) - start > limit:
        cut = start + limit
        while cut > start and (data[cut] & 0xC0) == 0x80:  # do not split a multi-byte character
            cut -= 1
        parts.append(data[start:cut])
        start = cut
        limit = 74  # continuation lines start with a space
    parts.append(data[start:])
    return b"\r\n ".join(parts) + b"\r\n"
