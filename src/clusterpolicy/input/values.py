"""The generic value types of the input: days and moments (Almaty time by default), bounded
decimals, texts without control characters, and the base of every input model.

Nothing here belongs to one act: the forms of an act (:mod:`.decree535_form`) are built of these.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Discriminator, Tag, WithJsonSchema, Field, StringConstraints

from ..core.l10n import TextError
from ..core.sources import NO_CONTROL
from ..core.tz import ALMATY

FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2199, 12, 31)
"""The days an input may name. Outside them no procedure of the act can take place, and the
term arithmetic (a term of months after 31 December 9999, a moment at UTC-12 on that day read
in Almaty time) would run off the end of the calendar."""


def within_range(day: dt.date) -> dt.date:
    """``day``, or a ValueError if no input may name it (see :data:`FIRST_DAY`, :data:`LAST_DAY`)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise TextError("input_error.outside_days", day=day.isoformat(), first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat())
    return day


def _almaty_by_default(moment: dt.datetime) -> dt.datetime:
    """A time written without an offset is Almaty time (historical offsets: UTC+6, UTC+5 since 1 March 2024)."""
    moment = moment.replace(tzinfo=ALMATY) if moment.tzinfo is None else moment
    within_range(moment.date())
    return moment


Timestamp = Annotated[dt.datetime, AfterValidator(_almaty_by_default)]
"""A moment; without an offset it is read as Asia/Almaty local time. Between 1900 and 2199."""
Day = Annotated[dt.date, AfterValidator(within_range)]
"""A day between 1900-01-01 and 2199-12-31."""

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _deadline_kind(value: Any) -> str:
    """``day`` for a deadline written as a date only (``2017-06-08`` in YAML or JSON), else
    ``moment``: a day keeps its whole day, never read as 00:00 (docs/choices.md, "Date-only deadlines")."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return "day"
    if isinstance(value, str) and _DATE_ONLY.match(value.strip()):
        return "day"
    return "moment"


MomentOrDay = Annotated[
    Union[Annotated[Timestamp, Tag("moment")], Annotated[Day, Tag("day")]],
    Discriminator(_deadline_kind),
    WithJsonSchema(
        {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}]}
    ),
]
"""A moment (without an offset, Almaty time) or a day, as the source gives it. A deadline that
is a day leaves the whole day open: an act done on it is on time until 24:00 Asia/Almaty (or
the close of business the pack names). An act known only by its day is judged against a
deadline at a time of that same day as unknown, never as 00:00."""


def day_of(moment: dt.datetime | dt.date) -> dt.date:
    """The day of a moment in Asia/Almaty, or the day itself."""
    return moment.astimezone(ALMATY).date() if isinstance(moment, dt.datetime) else moment


MAX_DIGITS = 30
MAX_DECIMAL_PLACES = 12
Number = Annotated[Decimal, Field(max_digits=MAX_DIGITS, decimal_places=MAX_DECIMAL_PLACES, allow_inf_nan=False)]
"""Every decimal of the input (marks, shares, amounts, pages, years): at most 30 digits, 12 of
them after the point, finite. A mark written ``5E-999999998`` or an amount ``9E+999999`` is
refused when it is read, so that exact arithmetic on it (``Fraction``) stays small and fast."""
Percent = Annotated[Number, Field(ge=0, le=100)]
Amount = Annotated[Number, Field(ge=0)]
Stated = bool | None


def require_unique(values: list[Any], what: str) -> None:
    """Raise the validation error of a list whose ``what`` (ids, years: the catalogue's
    ``input_error.repeated.<what>``) repeat, naming them."""
    seen: set[Any] = set()
    repeated: set[str] = set()
    for value in values:
        if value in seen:
            repeated.add(str(value))
        seen.add(value)
    if repeated:
        raise TextError(f"input_error.repeated.{what}", repeated=", ".join(sorted(repeated)))


Str = Annotated[str, StringConstraints(pattern=NO_CONTROL)]
"""Text of the input: any string without control characters (``core.sources.NO_CONTROL``,
checked by pydantic's own regular expressions at no measurable cost)."""


class Model(BaseModel):
    """Base of every input model: unknown fields are errors, whitespace is trimmed, texts carry
    no control characters (:data:`Str`), and a validated model cannot be changed (``app.stage = 3``)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, validate_default=True, frozen=True, defer_build=True)
