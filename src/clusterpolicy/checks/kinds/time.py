"""Kinds on time: an act no later than a deadline, a date within a term counted on the working calendar."""
from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from pydantic import Field

from ..fields import Context, _steps, plain, reader, resolve
from ..form_types import ANY, cores, describe, unwrap
from ..params import NonNegativeInt, Param, Params, TimeOfDay, one_of
from ...calendar.terms import Unit, cutoff, due_date
from ...calendar.working_calendar import resolve_calendar
from ...core.errors import CalendarError, InWords, Location
from ...core import l10n
from ...core.tz import ALMATY
from ..results import Remedy
from .base import CheckBase, FormChecker, Outcome, Runner, Verdict, Words, change, set_field, settable

DayCutoff = one_of("DayCutoff", ("end_of_day", "close_of_business"), "end_of_day or close_of_business")
"""How a deadline given as a date only closes: at the end of its day, or at the close of business."""

TermUnit = one_of("TermUnit", tuple(unit.value for unit in Unit))
"""The unit of a term (working days, calendar days, months)."""


class OnTime(CheckBase):
    kind: Literal["on_time"]
    reports: ClassVar[frozenset[str]] = frozenset({"timestamp", "deadline", "late_by", "cutoff"})
    timestamp: str
    deadline: str
    date_only_cutoff: Param[DayCutoff] = Field(
        "end_of_day",
        description=(
            "A deadline given as a date only: open to the end of that day (end_of_day, 24:00 "
            "Asia/Almaty) or to the close of business of the organisation (close_of_business)."
        ),
    )
    close_of_business: Param[TimeOfDay] = Field("18:00", description="HH:MM, Asia/Almaty, for date_only_cutoff: close_of_business.")

    def run(self, context: Context, params: Params) -> Verdict:
        return self.compiled().verdict(context, params)

    def compile(self) -> Runner:
        read_moment, read_deadline, judged = reader(self.timestamp), reader(self.deadline), self._judged

        def verdict(context: Context, params: Params) -> Verdict:
            moment, deadline = read_moment(context), read_deadline(context)
            if type(moment) is dt.datetime and type(deadline) is dt.datetime:  # two moments: _judged's first case, written out
                late_by = moment - deadline
                if late_by.total_seconds() > 0:
                    return Verdict("failed", deadline=deadline.isoformat(), late_by=str(late_by), timestamp=moment.isoformat())
                return Verdict("passed", deadline=deadline.isoformat(), timestamp=moment.isoformat())
            return judged(moment, deadline, params)

        def outcome(context: Context, params: Params) -> str:
            moment, deadline = read_moment(context), read_deadline(context)
            if type(moment) is dt.datetime and type(deadline) is dt.datetime:  # two moments: nothing else to look at
                return "failed" if (moment - deadline).total_seconds() > 0 else "passed"
            return judged(moment, deadline, params).outcome

        return Runner(verdict, outcome)

    def _judged(self, moment: Any, deadline: Any, params: Params) -> Verdict:
        if moment is None or deadline is None:
            return Verdict("unknown", timestamp=plain(moment), deadline=plain(deadline))
        observed = {"timestamp": plain(moment), "deadline": plain(deadline)}
        timed = isinstance(moment, dt.datetime)
        if not timed:  # an act known by its day only
            if isinstance(deadline, dt.datetime):
                deadline_day = deadline.astimezone(ALMATY).date()
                if moment == deadline_day:  # the same day as a timed deadline: which side is not known
                    return Verdict("unknown", **observed)
                deadline = deadline_day
            if moment > deadline:
                return Verdict("failed", late_by=str(moment - deadline), **observed)
            return Verdict("passed", **observed)
        if isinstance(deadline, dt.datetime):  # a moment: the act is late after it
            late_by = moment - deadline
            late = late_by.total_seconds() > 0
        else:  # a day: its whole day is open (to 24:00, or to the close of business)
            limit = _day_cutoff(deadline, params(self.date_only_cutoff), params(self.close_of_business))
            observed["cutoff"] = plain(limit)
            late_by = moment - limit
            late = late_by.total_seconds() >= 0
        if late:
            return Verdict("failed", late_by=str(late_by), **observed)
        return Verdict("passed", **observed)

    def check_against(self, checker: FormChecker) -> None:
        """Two moments, or two dates, or a moment and a deadline that may be a day."""
        found = {key: cores(checker.path((key,), getattr(self, key))) for key in ("timestamp", "deadline")}
        for key, types in found.items():
            if not types <= {dt.datetime, dt.date, ANY}:
                core = next(iter(types - {dt.datetime, dt.date, ANY}))
                raise checker.fail((key,), f"{getattr(self, key)!r} is {describe(core)}, not a moment", code="wrong_field_type")
        # a field that may hold a moment or a day is judged by what it holds (run)
        mixed = {frozenset(found["timestamp"]), frozenset(found["deadline"])} == {frozenset({dt.datetime}), frozenset({dt.date})}
        if mixed:
            key = "deadline" if found["timestamp"] == {dt.datetime} else "timestamp"
            raise checker.fail(
                (key,),
                f"{getattr(self, key)!r} is a date, not a moment: on_time compares two moments or two dates",
                code="wrong_field_type",
            )


    def remedy(self, verdict: Verdict, context: Context, params: Params, words: Words) -> Remedy | None:
        observed = verdict.observed
        if verdict.outcome == "unknown":
            if observed.get("timestamp") is not None and observed.get("deadline") is not None:  # a day against an hour of it
                return self.facts([self.timestamp], words).model_copy(update={"text": words.t("remedy.time_of", field=words.label(self.timestamp))})
            return self.facts([path for path, key in ((self.timestamp, "timestamp"), (self.deadline, "deadline")) if observed.get(key) is None], words)
        moment, deadline = resolve(context, self.timestamp), resolve(context, self.deadline)
        if isinstance(moment, dt.datetime):
            if isinstance(deadline, dt.datetime):
                latest = deadline
            else:  # the last minute before the day closes
                latest = _day_cutoff(deadline, params(self.date_only_cutoff), params(self.close_of_business)) - dt.timedelta(minutes=1)
            if moment.tzinfo is None:
                latest = latest.astimezone(ALMATY).replace(tzinfo=None)
            else:
                latest = latest.astimezone(moment.tzinfo)
        else:
            # a day against a moment: the day before is surely on time (on the day itself it is not known)
            latest = deadline.astimezone(ALMATY).date() - dt.timedelta(days=1) if isinstance(deadline, dt.datetime) else deadline
        text = words.t(
            "remedy.on_time", field=words.label(self.timestamp), deadline=words.show(plain(observed.get("cutoff") or deadline)),
            found=words.show(observed.get("timestamp")),
        )
        return change(text, settable([set_field(self.timestamp, latest)]), finding=text)


def _day_cutoff(day: dt.date, how: Any, close_of_business: Any) -> dt.datetime:
    """The instant from which an act due on ``day`` is late (``calendar.terms.cutoff``)."""
    if how not in ("end_of_day", "close_of_business"):
        raise ValueError(f"date_only_cutoff is {how!r}, not end_of_day or close_of_business")
    try:
        closes = dt.time.fromisoformat(str(close_of_business))
    except ValueError:
        raise ValueError(f"close_of_business is {close_of_business!r}, not a time HH:MM") from None
    return cutoff(day, at_organisation=how == "close_of_business", close_of_business=closes)


def _outside_calendar(field: str, start: dt.date, calendar: Any) -> CalendarError:
    """A term that cannot be counted from the date at ``field``: the date is outside the working
    calendar's years, or the term runs past their end. Located at the field (the input gave the
    date, not the pack), worded in kk, ru and en."""
    cal = resolve_calendar(calendar)
    inside = cal.first_day <= start <= cal.last_day
    key = "input_error.term_outside_calendar" if inside else "input_error.outside_calendar"
    values = {name: InWords(kk=l10n.dated(day, "kk"), ru=l10n.dated(day, "ru"), en=day.isoformat())
              for name, day in (("day", start), ("first", cal.first_day), ("last", cal.last_day))}
    in_competition, parts = _steps(field)  # the path as the check read it ("application." dropped)
    path = (("competition",) if in_competition else ()) + tuple(int(part) if part.isascii() and part.isdigit() else part for part in parts)
    return CalendarError(l10n.worded(key, "en", values), location=Location(path=path), code="outside_calendar").worded((key, values))


class WithinTerm(CheckBase):
    kind: Literal["within_term"]
    reports: ClassVar[frozenset[str]] = frozenset({"start", "end", "due", "amount", "unit", "calendar_warnings"})
    start: str
    end: str
    amount: Param[NonNegativeInt]
    unit: Param[TermUnit]

    def run(self, context: Context, params: Params) -> Verdict:
        start, end = resolve(context, self.start), resolve(context, self.end)
        amount, unit = params(self.amount), params(self.unit)
        if start is None or end is None:
            return Verdict("unknown", start=plain(start), end=plain(end), amount=amount, unit=unit)
        try:
            due = due_date(start, amount, unit, calendar=context.calendar)
        except CalendarError:
            raise _outside_calendar(self.start, start, context.calendar) from None
        outcome: Outcome = "passed" if end <= due.date else "failed"
        observed = {"amount": amount}  # keys in the order of their names, as a result's canonical JSON writes them
        if due.warnings:
            observed["calendar_warnings"] = [warning.model_dump(mode="json") for warning in due.warnings]
        return Verdict(outcome, **observed, due=plain(due.date), end=plain(end), start=plain(start), unit=unit)

    def check_against(self, checker: FormChecker) -> None:
        for key in ("start", "end"):
            annotation = checker.path((key,), getattr(self, key))
            if unwrap(annotation) not in (dt.date, ANY):
                raise checker.fail((key,), f"{getattr(self, key)!r} is {describe(annotation)}, not a date", code="wrong_field_type")

    def remedy(self, verdict: Verdict, context: Context, params: Params, words: Words) -> Remedy | None:
        observed = verdict.observed
        if verdict.outcome == "unknown":
            return self.facts([path for path, key in ((self.start, "start"), (self.end, "end")) if observed.get(key) is None], words)
        text = words.t(
            "remedy.within_term", field=words.label(self.end), due=words.show(observed.get("due")), found=words.show(observed.get("end")),
            term=l10n.term(observed.get("amount"), observed.get("unit"), words.lang),
            start=words.label(self.start),
        )
        return change(text, settable([set_field(self.end, observed.get("due"))]), finding=text)

    def shown(self, key: str, value: Any, words: Words) -> str:
        if key == "unit" and isinstance(value, str):  # the unit in words («жұмыс күні»)
            many = f"unit.{value}.many"
            return words.t(many, n="").strip() if words.has(many) else value
        return super().shown(key, value, words)


__all__ = ["OnTime", "WithinTerm"]
