"""The Kazakh working calendar: which days are working days, and how sure we are of it.

Built on the ``holidays`` package (``holidays.KZ``), which models the Law "On holidays"
(art. 5: a holiday on a day off moves the day off to the next working day), the days off
that are never moved (Labour Code art. 84(5): 7 January and the first day of Kurban Ait), and
the yearly transfers of days off (Labour Code art. 85(3)), including working Saturdays and
Sundays (``weekend_workdays``).

On top of it come override files (see ``rules/calendars/README.md``): days off added or
removed and working weekend days, each with the decree or order it comes from. The package
ships one (``rules/calendars/kz-transfers.yaml``) that pins the transfers we checked against
the acts themselves; users add their own (for example when an Islamic date moves after the
calendar was published, as Kurban Ait did in 2024).

The calendar is precomputed for a range of years into two arrays (is-working by day, and the
running count of working days), so that "the n-th working day after" is two array look-ups.
Years whose Kurban Ait date is only an astronomical estimate, or whose transfers of days off
are not yet known, give :class:`CalendarWarning` s through :meth:`WorkingCalendar.warnings_for`;
dates outside the range raise :class:`~clusterpolicy.core.errors.CalendarError`.
"""

import datetime as dt
from array import array
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from itertools import accumulate, compress
from pathlib import Path
from typing import Literal

from typing import TYPE_CHECKING

from pydantic import Field, PrivateAttr

from ..core.base import Strict

from ..core.errors import CalendarError, Location, UsageError
from ..core.i18n import LANGUAGES, Text, gettext
from ..core.sources import Document, parse_yaml, read_document, validate
from ..core.base import new_dict, new_list

DEFAULT_FIRST_YEAR = 2000
"""First year of the default calendar (the procedure's acts date from 2015 on)."""
DEFAULT_LAST_YEAR = 2040
"""Last year of the default calendar: far enough for any term started today."""

if TYPE_CHECKING:
    import holidays

SHIPPED_OVERRIDE = "calendars/kz-transfers.yaml"
"""The override shipped with the package, inside ``clusterpolicy.rules``."""

_SATURDAY = 5
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
"""Weekday names for messages, independent of the process locale (strftime('%A') is not)."""


# --------------------------------------------------------------------------- override files


class ActSource(Strict):
    """The legal act (or official statement) an override entry comes from."""

    act: str = Field(min_length=1, description="The decree, order or official statement, as it is cited.")
    date: dt.date | None = Field(
        description="The act's date, or the date of the official report read; null only where neither is known."
    )
    url: str | None = Field(None, description="Where the act or a report of it can be read.")


class CalendarEntry(Strict):
    """One day changed by an override file."""

    date: dt.date
    reason: str = Field(min_length=1, description="What the day is, e.g. 'Kurban Ait (first day)'.")
    source: ActSource


class ConfirmedYear(Strict):
    """A year whose official calendar (transfers and Kurban Ait date) has been checked."""

    year: int = Field(ge=1991, le=2100)
    source: ActSource


class CalendarOverride(Strict):
    """A calendar override file: changes to the working calendar, each with its source."""

    description: str | None = None
    add_days_off: list[CalendarEntry] = Field(
        default_factory=new_list, description="Days that become days off (a weekend day here cancels a working weekend day)."
    )
    remove_days_off: list[CalendarEntry] = Field(
        default_factory=new_list, description="Holidays of the base calendar that are working days after all."
    )
    working_weekend_days: list[CalendarEntry] = Field(
        default_factory=new_list, description="Saturdays or Sundays that are working days (transfers)."
    )
    confirmed_years: list[ConfirmedYear] = Field(
        default_factory=new_list,
        description="Years whose published calendar was checked: their estimate warnings are dropped.",
    )
    _where: dict[dt.date, Location] = PrivateAttr(default_factory=new_dict)
    """The file, line and field of each day, when read from a file (for the errors that name it)."""


def read_calendar_override(document: Document) -> CalendarOverride:
    """Validate an override document; every problem is a located :class:`CalendarError`."""
    override = validate(CalendarOverride, document, error=CalendarError)
    seen: dict[dt.date, str] = {}
    for section in ("add_days_off", "remove_days_off", "working_weekend_days"):
        for index, entry in enumerate(getattr(override, section)):
            where = document.location((section, index, "date"))
            if section == "working_weekend_days" and entry.date.weekday() < _SATURDAY:
                raise CalendarError(
                    f"{entry.date.isoformat()} is a {_WEEKDAYS[entry.date.weekday()]}: a working weekend day "
                    "must be a Saturday or a Sunday (use remove_days_off for a weekday holiday)",
                    location=where,
                    code="not_a_weekend_day",
                )
            if entry.date in seen:
                raise CalendarError(
                    f"{entry.date.isoformat()} is listed twice (also in {seen[entry.date]})",
                    location=where,
                    code="duplicate_date",
                )
            seen[entry.date] = section
            override._where[entry.date] = where
    return override


def load_calendar_override(path: str | Path) -> CalendarOverride:
    """Read and validate an override file (YAML or JSON)."""
    return read_calendar_override(read_document(path, error=CalendarError))


def shipped_override() -> CalendarOverride:
    """The override shipped with the package (transfers checked against the acts)."""
    text = resources.files("clusterpolicy.rules").joinpath(SHIPPED_OVERRIDE).read_text("utf-8")
    return read_calendar_override(parse_yaml(text, f"clusterpolicy.rules/{SHIPPED_OVERRIDE}", error=CalendarError))


# --------------------------------------------------------------------------- warnings


WarningCode = Literal["estimated_islamic_date", "transfers_not_published"]

class CalendarWarning(Strict):
    """A year whose calendar is not certain, so a result depending on it may change."""

    code: WarningCode
    year: int
    message: Text

    @classmethod
    def make(cls, code: WarningCode, year: int) -> "CalendarWarning":
        key = f"warning.{code}"
        return cls(code=code, year=year, message=Text(**{lang: gettext(key, lang).format(year=year) for lang in LANGUAGES}))


# --------------------------------------------------------------------------- the calendar


def _check_day(day: object, name: str = "day") -> dt.date:
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        raise UsageError(f"{name} must be a datetime.date (got {type(day).__name__})", code="not_a_date")
    return day


def _check_count(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise UsageError(f"the number of days must be an integer (got {n!r})", code="not_an_integer")
    return n


class WorkingCalendar:
    """Working days of a span of years, with the years whose calendar is uncertain.

    Build one with :meth:`kazakhstan`; :func:`default_calendar` is the cached default.
    Days are ``datetime.date`` objects; a ``datetime`` is refused (use its date in Asia/Almaty).
    """

    def __init__(
        self,
        working: Sequence[bool],
        first_year: int,
        year_warnings: dict[int, tuple[CalendarWarning | WarningCode, ...]],
        *,
        name: str = "custom",
    ) -> None:
        self.name = name
        self.first_day = dt.date(first_year, 1, 1)
        self._base = self.first_day.toordinal()
        self.last_day = dt.date.fromordinal(self._base + len(working) - 1)
        self._is_working = bytes(map(bool, working))  # 1 or 0 per day, built in C
        # _rank[i]: working days among the first i+1 days; _ordinals: those of the working days.
        # Built with C-level iterators (accumulate, compress): the default calendar spans 15,000 days.
        self._rank = array("l", accumulate(self._is_working))
        self._ordinals = array("l", compress(range(self._base, self._base + len(self._is_working)), self._is_working))
        self._count = len(self._ordinals)
        self._year_warnings = dict(year_warnings)
        """Year -> its warnings; a year given as warning codes (the shipped table) gets its
        :class:`CalendarWarning` s, with their texts in the three languages, when first asked for."""

    # ----------------------------------------------------------------- construction

    @classmethod
    def kazakhstan(
        cls,
        *overrides: CalendarOverride | str | Path,
        first_year: int = DEFAULT_FIRST_YEAR,
        last_year: int = DEFAULT_LAST_YEAR,
        include_shipped: bool = True,
    ) -> "WorkingCalendar":
        """Kazakhstan's calendar from ``holidays.KZ``, the shipped override, then ``overrides`` in order."""
        if not (1991 <= first_year <= last_year <= 2100):
            raise UsageError(f"invalid year range {first_year}..{last_year} (1991..2100 allowed)", code="bad_years")
        # The shipped file spans many years: its days outside this calendar's years are skipped;
        # a user's override day outside them is an error.
        layers = [(shipped_override(), False)] if include_shipped else []
        layers += [
            (item if isinstance(item, CalendarOverride) else load_calendar_override(item), True) for item in overrides
        ]

        import holidays  # only here: it imports every country's module (see calendar.table)

        base = holidays.KZ(years=range(first_year, last_year + 1))
        weekend_workdays = set(base.weekend_workdays)
        start = dt.date(first_year, 1, 1).toordinal()
        days = dt.date(last_year, 12, 31).toordinal() - start + 1
        working = [False] * days
        for offset in range(days):
            day = dt.date.fromordinal(start + offset)
            working[offset] = day in weekend_workdays or (day.weekday() < _SATURDAY and day not in base)

        confirmed: set[int] = set()
        for layer, strict in layers:
            changes = [(e.date, False) for e in layer.add_days_off]
            changes += [(e.date, e.date.weekday() < _SATURDAY) for e in layer.remove_days_off]
            changes += [(e.date, True) for e in layer.working_weekend_days]
            for day, is_working in changes:
                offset = day.toordinal() - start
                if 0 <= offset < days:
                    working[offset] = is_working
                elif strict:
                    raise CalendarError(
                        f"the day {day.isoformat()} of this calendar override is outside the years the working "
                        f"calendar covers ({first_year} to {last_year}): remove it, or build the calendar with "
                        f"first_year/last_year that include {day.year}",
                        location=layer._where.get(day),
                        code="outside_calendar",
                    )
            confirmed.update(item.year for item in layer.confirmed_years)

        return cls(working, first_year, _year_warnings(base, first_year, last_year, confirmed), name="KZ")

    # ----------------------------------------------------------------- questions

    def _offset(self, day: dt.date) -> int:
        offset = day.toordinal() - self._base
        if offset < 0 or offset >= len(self._is_working):
            raise CalendarError(
                f"{day.isoformat()} is outside the working calendar "
                f"({self.first_day.isoformat()}..{self.last_day.isoformat()})",
                code="outside_calendar",
            )
        return offset

    def covers(self, day: dt.date) -> bool:
        return self.first_day <= _check_day(day) <= self.last_day

    def is_working_day(self, day: dt.date) -> bool:
        return self._is_working[self._offset(_check_day(day))] == 1

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` if it is a working day, else the first working day after it."""
        offset = self._offset(_check_day(day))
        if self._is_working[offset]:
            return day
        return self._working_at(self._rank[offset])

    def previous_working_day(self, day: dt.date) -> dt.date:
        """``day`` if it is a working day, else the last working day before it."""
        offset = self._offset(_check_day(day))
        if self._is_working[offset]:
            return day
        return self._working_at(self._rank[offset] - 1)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after ``start`` (before it if ``n`` < 0; n = 0: next working day)."""
        if type(start) is dt.date and type(n) is int and n > 0:  # fast path: two look-ups
            offset = start.toordinal() - self._base
            if 0 <= offset < len(self._rank):
                index = self._rank[offset] + n - 1
                if index < self._count:
                    return dt.date.fromordinal(self._ordinals[index])
        offset = self._offset(_check_day(start, "start"))
        n = _check_count(n)
        rank = self._rank[offset]  # working days up to and including start
        if n > 0:
            return self._working_at(rank + n - 1)
        if n < 0:
            return self._working_at(rank - self._is_working[offset] + n)
        return self._working_at(rank - self._is_working[offset])

    def add_working_days_many(self, starts: Iterable[dt.date], n: int | Iterable[int]) -> list[dt.date]:
        """:meth:`add_working_days` for many start dates (and one ``n`` or one per date)."""
        starts = list(starts)
        counts = [n] * len(starts) if isinstance(n, int) and not isinstance(n, bool) else list(n)  # type: ignore[arg-type]
        if len(counts) != len(starts):
            raise UsageError(f"{len(starts)} start dates but {len(counts)} counts", code="length_mismatch")
        return [self.add_working_days(start, count) for start, count in zip(starts, counts)]

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: the n for which ``add_working_days(start, n)`` is ``end``.

        Negative when ``end`` is before ``start`` (working days in (end, start]).
        """
        return self._rank[self._offset(_check_day(end, "end"))] - self._rank[self._offset(_check_day(start, "start"))]

    def warnings_for(self, start: dt.date, end: dt.date | None = None) -> list[CalendarWarning]:
        """Warnings for every uncertain year from ``start`` to ``end`` (either order)."""
        end = start if end is None else end
        first, last = sorted((_check_day(start, "start"), _check_day(end, "end")))
        self._offset(first), self._offset(last)
        return [warning for year in range(first.year, last.year + 1) for warning in self._warnings_of(year)]

    def _warnings_of(self, year: int) -> tuple[CalendarWarning, ...]:
        warnings = self._year_warnings.get(year, ())
        if any(isinstance(w, str) for w in warnings):
            warnings = self._year_warnings[year] = tuple(
                CalendarWarning.make(w, year) if isinstance(w, str) else w for w in warnings
            )
        return warnings  # type: ignore[return-value]

    def uncertain_years(self) -> dict[int, tuple[str, ...]]:
        """The years with warnings, and their warning codes."""
        return {
            year: tuple(w if isinstance(w, str) else w.code for w in warnings)
            for year, warnings in sorted(self._year_warnings.items())
        }

    def _working_at(self, index: int) -> dt.date:
        if index < 0 or index >= self._count:
            raise CalendarError(
                f"the term runs outside the working calendar ({self.first_day.isoformat()}..{self.last_day.isoformat()})",
                code="outside_calendar",
            )
        return dt.date.fromordinal(self._ordinals[index])

    def __repr__(self) -> str:
        return f"WorkingCalendar({self.name}, {self.first_day.isoformat()}..{self.last_day.isoformat()})"


def _year_warnings(
    base: "holidays.HolidayBase", first_year: int, last_year: int, confirmed: set[int]
) -> dict[int, tuple[CalendarWarning, ...]]:
    """Uncertain years: an estimated Kurban Ait day off, or no transfer data yet (unless confirmed).

    Kurban Ait counts only where the base calendar has it as a day off (from 2006 on).
    """
    from holidays.countries.kazakhstan import KazakhstanIslamicHolidays, KazakhstanStaticHolidays

    islamic = KazakhstanIslamicHolidays()
    transfers_known_through = max(KazakhstanStaticHolidays.special_public_holidays)
    result: dict[int, tuple[CalendarWarning, ...]] = {}
    for year in range(first_year, last_year + 1):
        if year in confirmed:
            continue
        codes: list[WarningCode] = []
        if any(estimated and day in base for day, estimated in islamic.eid_al_adha_dates(year) if day.year == year):
            codes.append("estimated_islamic_date")
        if year > transfers_known_through:
            codes.append("transfers_not_published")
        if codes:
            result[year] = tuple(CalendarWarning.make(code, year) for code in codes)
    return result


@lru_cache(maxsize=1)
def default_calendar() -> WorkingCalendar:
    """Kazakhstan's calendar for 2000–2040 with the shipped override (built once, then cached).

    Read from the shipped table while it was made from the installed ``holidays`` and the
    shipped override (:mod:`clusterpolicy.calendar.table`), else built from them.
    """
    from .table import load_table, working_days

    table = load_table(SHIPPED_OVERRIDE)
    if table is None:
        return WorkingCalendar.kazakhstan()
    warnings = {int(year): tuple(codes) for year, codes in table["warnings"].items()}  # made when first asked for
    return WorkingCalendar(working_days(table), table["first_year"], warnings, name="KZ")


def write_default_table(path: str | Path | None = None) -> Path:
    """Build the default calendar from ``holidays`` and the shipped override and write it as the
    shipped table (:mod:`clusterpolicy.calendar.table`); returns the file written."""
    from .table import write_table

    calendar = WorkingCalendar.kazakhstan(first_year=DEFAULT_FIRST_YEAR, last_year=DEFAULT_LAST_YEAR)
    return write_table(calendar, SHIPPED_OVERRIDE, path)


def resolve_calendar(calendar: WorkingCalendar | None) -> WorkingCalendar:
    """``calendar``, or the default Kazakh calendar for ``None``."""
    if calendar is None:
        return default_calendar()
    if not isinstance(calendar, WorkingCalendar):
        raise UsageError(f"calendar must be a WorkingCalendar (got {type(calendar).__name__})", code="not_a_calendar")
    return calendar
