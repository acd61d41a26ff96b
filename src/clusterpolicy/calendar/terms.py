"""Legal terms: working days, calendar days, months, "at least N days before", and cut-off times.

The rules follow the Civil Code's general part on calculating terms (see docs/calendar.md):

* a term runs from the day after the event that starts it;
* a term in working days ends on the n-th working day after the event;
* a term in calendar days or months ends on the day reached by counting (a month term on the
  same date of the later month, or on its last day if there is no such date), moved forward to
  the next working day if that is a day off;
* an act due on a day may be done until 24:00 of that day in Asia/Almaty, or until close of
  business where it must be done at an organisation (a parameter, 18:00 by default).

"At least N days before a date" (Rules p.5) has no settled rolling rule; :class:`Rolling` names
the choices, and the cautious one (move to the earlier working day) is the default.
"""

from __future__ import annotations

import calendar as _gregorian
import datetime as dt
from enum import Enum


from ..core.base import Strict

from ..core.errors import CalendarError, UsageError
from ..core.tz import ALMATY
from .working_calendar import (
    CalendarWarning,
    WorkingCalendar,
    _check_count,
    _check_day,
    default_calendar,
    resolve_calendar,
)

"""Kazakhstan's time zone for cut-offs (UTC+5 since 1 March 2024, UTC+6 before; tz data knows both)."""
DEFAULT_CLOSE_OF_BUSINESS = dt.time(18, 0)
"""Default close of business for acts that must be done at an organisation: a parameter."""


class Unit(str, Enum):
    """The unit of a term."""

    working_days = "working_days"
    calendar_days = "calendar_days"
    months = "months"


class Rolling(str, Enum):
    """What "at least N days before" does when the latest permitted day is a day off."""

    earlier_working_day = "earlier_working_day"
    """Cautious default: the act must be done by the last working day before it."""
    next_working_day = "next_working_day"
    """Lenient: the Civil Code's forward roll applied as for any term (may shorten the N days)."""
    no_rolling = "no_rolling"
    """Keep the day reached by counting, even if it is a day off."""


def is_working_day(day: dt.date, *, calendar: WorkingCalendar | None = None) -> bool:
    """Whether ``day`` is a working day (Monday–Friday, not a holiday, or a working weekend day)."""
    return resolve_calendar(calendar).is_working_day(day)


def add_working_days(start: dt.date, n: int, *, calendar: WorkingCalendar | None = None) -> dt.date:
    """Last day of a term of ``n`` working days started by an event on ``start``.

    The term runs from the day after ``start``: the result is the n-th working day after it.
    ``n`` = 0 gives ``start`` if it is a working day, else the next one; negative ``n`` counts back.
    """
    return (default_calendar() if calendar is None else resolve_calendar(calendar)).add_working_days(start, n)


def add_calendar_days(start: dt.date, n: int, *, calendar: WorkingCalendar | None = None) -> dt.date:
    """Last day of a term of ``n`` calendar days: ``start + n``, moved to the next working day if a day off."""
    n = _check_count(n)
    if n < 0:
        raise UsageError("a term cannot be negative (use latest_date_before for 'N days before')", code="negative_term")
    return resolve_calendar(calendar).next_working_day(_shift(_check_day(start, "start"), n))


def shift_months(start: dt.date, n: int) -> dt.date:
    """The same date ``n`` months later (earlier if negative), or that month's last day if it has no such date."""
    start, n = _check_day(start, "start"), _check_count(n)
    months = start.year * 12 + start.month - 1 + n
    year, month = divmod(months, 12)
    if not 1 <= year <= 9999:
        raise UsageError(f"{n} months from {start.isoformat()} is outside the Gregorian calendar", code="bad_months")
    last = _gregorian.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(start.day, last))


def add_months(start: dt.date, n: int, *, calendar: WorkingCalendar | None = None) -> dt.date:
    """Last day of a term of ``n`` months (Rules p.42): :func:`shift_months`, moved to the next working day."""
    if _check_count(n) < 0:
        raise UsageError("a term cannot be negative (use latest_date_before for 'N months before')", code="negative_term")
    return resolve_calendar(calendar).next_working_day(shift_months(start, n))


def term_end(start: dt.date, amount: int, unit: Unit | str, *, calendar: WorkingCalendar | None = None) -> dt.date:
    """Last day of a term of ``amount`` ``unit`` started by an event on ``start``."""
    unit = _unit(unit)
    if unit is Unit.working_days:
        if _check_count(amount) < 0:
            raise UsageError("a term cannot be negative", code="negative_term")
        return add_working_days(start, amount, calendar=calendar)
    if unit is Unit.calendar_days:
        return add_calendar_days(start, amount, calendar=calendar)
    return add_months(start, amount, calendar=calendar)


def latest_date_before(
    reference: dt.date,
    amount: int,
    unit: Unit | str = Unit.calendar_days,
    *,
    rolling: Rolling | str = Rolling.earlier_working_day,
    calendar: WorkingCalendar | None = None,
) -> dt.date:
    """The last day on which an act "at least ``amount`` ``unit`` before ``reference``" may be done.

    Counting back: ``reference`` − N calendar days, the N-th working day before it, or the same
    date N months earlier. If that day is a day off, ``rolling`` decides (see :class:`Rolling`).
    Example (Rules p.5): acceptance closes 8 June 2017, announcement at least 60 calendar days
    before → 9 April 2017 (a Sunday) → Friday 7 April 2017 by the cautious default.
    """
    unit, rolling, amount = _unit(unit), _rolling(rolling), _check_count(amount)
    if amount < 0:
        raise UsageError("the number of days before cannot be negative", code="negative_term")
    cal = resolve_calendar(calendar)
    reference = _check_day(reference, "reference")
    if unit is Unit.working_days:
        return cal.add_working_days(reference, -amount) if amount else cal.previous_working_day(reference)
    day = _shift(reference, -amount) if unit is Unit.calendar_days else shift_months(reference, -amount)
    if rolling is Rolling.earlier_working_day:
        return cal.previous_working_day(day)
    if rolling is Rolling.next_working_day:
        return cal.next_working_day(day)
    cal.is_working_day(day)  # still refuses a day outside the calendar
    return day


def working_days_between(start: dt.date, end: dt.date, *, calendar: WorkingCalendar | None = None) -> int:
    """Working days in (start, end]: how many working days ``end`` is after ``start``."""
    return resolve_calendar(calendar).working_days_between(start, end)


class DueDate(Strict):
    """A due date and the calendar warnings of the years it was computed through."""

    date: dt.date
    warnings: list[CalendarWarning] = []


def due_date(
    start: dt.date,
    amount: int,
    unit: Unit | str,
    *,
    before: bool = False,
    rolling: Rolling | str = Rolling.earlier_working_day,
    calendar: WorkingCalendar | None = None,
) -> DueDate:
    """:func:`term_end` (or :func:`latest_date_before` if ``before``) with the warnings that apply."""
    cal = resolve_calendar(calendar)
    if before:
        day = latest_date_before(start, amount, unit, rolling=rolling, calendar=cal)
    else:
        day = term_end(start, amount, unit, calendar=cal)
    return DueDate(date=day, warnings=cal.warnings_for(start, day))


# --------------------------------------------------------------------------- cut-off times


def cutoff(
    due: dt.date, *, at_organisation: bool = False, close_of_business: dt.time = DEFAULT_CLOSE_OF_BUSINESS
) -> dt.datetime:
    """The instant (Asia/Almaty, timezone-aware) from which an act due on ``due`` is late.

    24:00 of the due day, or close of business that day where the act must be done at an
    organisation (``close_of_business`` is a parameter; 18:00 by default).
    """
    due = _check_day(due, "due")
    if not isinstance(close_of_business, dt.time) or close_of_business.tzinfo is not None:
        raise UsageError("close_of_business must be a naive datetime.time (local Almaty time)", code="bad_time")
    if at_organisation:
        return dt.datetime.combine(due, close_of_business, tzinfo=ALMATY)
    return dt.datetime.combine(_shift(due, 1), dt.time(0), tzinfo=ALMATY)


def is_on_time(
    submitted_at: dt.datetime,
    due: dt.date,
    *,
    at_organisation: bool = False,
    close_of_business: dt.time = DEFAULT_CLOSE_OF_BUSINESS,
) -> bool:
    """Whether an act done at ``submitted_at`` (timezone-aware) meets a term ending on ``due``."""
    if not isinstance(submitted_at, dt.datetime) or submitted_at.utcoffset() is None:
        raise UsageError(
            "submitted_at must be a timezone-aware datetime (a naive time is ambiguous: Kazakhstan "
            "changed from UTC+6 to UTC+5 on 1 March 2024)",
            code="naive_datetime",
        )
    return submitted_at < cutoff(due, at_organisation=at_organisation, close_of_business=close_of_business)


def _shift(day: dt.date, days: int) -> dt.date:
    """``day`` moved by ``days`` calendar days; a located error, not an OverflowError, at the ends
    of the Gregorian calendar (``add_calendar_days(date.max, 1)``)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        raise CalendarError(
            f"{days} calendar days from {day.isoformat()} is outside the Gregorian calendar", code="outside_calendar"
        ) from None


def _unit(unit: Unit | str) -> Unit:
    try:
        return Unit(unit)
    except ValueError:
        raise UsageError(f"unknown unit {unit!r} (use one of {[u.value for u in Unit]})", code="bad_unit") from None


def _rolling(rolling: Rolling | str) -> Rolling:
    try:
        return Rolling(rolling)
    except ValueError:
        raise UsageError(
            f"unknown rolling policy {rolling!r} (use one of {[r.value for r in Rolling]})", code="bad_rolling"
        ) from None
