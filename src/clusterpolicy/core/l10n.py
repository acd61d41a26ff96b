"""Formatting helpers over the one catalogue (``locale/*.yaml``): every word the library writes.

A plain module of small functions, as python-stdnum's ``util``: the label of a value, a yes/no,
a date as people write it, a duration, a count whose noun agrees with the number. Rule packs
bring the words the act defines (document kinds, applicant types: ``vocabulary.yaml``); the
library's own words (statuses, outcomes, severities, units, field labels, enum values of the
models, table headers, warnings) are keys of the catalogue, the same keys in kk, ru and en.

>>> duration("1:30:00", "ru")
'1 ч 30 мин'
>>> count(2, "unit.working_days", "ru")
'2 рабочих дня'
>>> count(5, "unit.working_days", "kk")
'5 жұмыс күні'
>>> date("2017-05-30", "kk")
'2017 жылғы 30 мамыр'
>>> date("2017-06-08T19:30:00+06:00", "ru")
'8 июня 2017 г. в 19:30'
>>> written("2017-06-08T19:30:00+06:00", "kk")
'8 маусым 2017 ж., 19:30'
>>> yes_no(False, "kk")
'жоқ'
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterable, Mapping

from .i18n import DEFAULT_LANGUAGE, Language, _catalogue, gettext

_TIMEDELTA = re.compile(r"^(?:(-?\d+) days?, )?(\d+):(\d\d):(\d\d)(?:\.\d+)?$")


def has(key: str, lang: Language = DEFAULT_LANGUAGE) -> bool:
    """Whether the catalogue of ``lang`` has ``key``."""
    return key in _catalogue(lang)


def t(key: str, lang: Language = DEFAULT_LANGUAGE, **values: Any) -> str:
    """The catalogue's text for ``key`` in ``lang`` with its ``{placeholders}`` filled."""
    text = gettext(key, lang)
    return text.format(**values) if values else text


def yes_no(value: bool | None, lang: Language = DEFAULT_LANGUAGE) -> str:
    """Yes, no, or a dash for not stated."""
    if value is None:
        return "-"
    return gettext("report.yes" if value else "report.no", lang)


def plural_form(n: int, lang: Language) -> str:
    """``one``, ``few`` or ``many``: the Russian rule; Kazakh and English use ``one``/``many``."""
    n = abs(int(n))
    if lang == "ru":
        if n % 10 == 1 and n % 100 != 11:
            return "one"
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return "few"
        return "many"
    if lang == "en":
        return "one" if n == 1 else "many"
    return "one"  # Kazakh: the noun after a number stays singular («5 жұмыс күні»)


def count(n: int, key: str, lang: Language = DEFAULT_LANGUAGE) -> str:
    """``n`` with the noun of ``key`` in the form that agrees with it: «2 рабочих дня», «5 жұмыс күні»."""
    return gettext(f"{key}.{plural_form(n, lang)}", lang).format(n=n)


def term(amount: int, unit: Any, lang: Language = DEFAULT_LANGUAGE) -> str:
    """A term such as ``5 working_days`` as people write it: «5 рабочих дней», «5 жұмыс күні»."""
    unit = getattr(unit, "value", unit)
    return count(amount, f"unit.{unit}", lang) if has(f"unit.{unit}.one", lang) else f"{amount} {unit}"


def duration(value: dt.timedelta | str, lang: Language = DEFAULT_LANGUAGE) -> str:
    """A duration as «1 сағ 30 мин» / «1 ч 30 мин» / "1 h 30 min" (days, hours, minutes, seconds)."""
    if isinstance(value, str):
        match = _TIMEDELTA.match(value.strip())
        if not match:
            return value
        days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
        value = dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    total = int(value.total_seconds())
    sign, total = ("-" if total < 0 else ""), abs(total)
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [
        gettext(f"duration.{name}", lang).format(n=amount)
        for name, amount in (("days", days), ("hours", hours), ("minutes", minutes), ("seconds", seconds))
        if amount
    ]
    return sign + (" ".join(parts) or gettext("duration.seconds", lang).format(n=0))


def _as_day_or_moment(value: dt.date | dt.datetime | str | None) -> dt.date | dt.datetime | str:
    """An ISO date or moment read from a string; ``None`` as a dash; any other text as it is."""
    if value is None:
        return "—"
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value) if "T" in value or " " in value.strip() else dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def date(value: dt.date | dt.datetime | str | None, lang: Language = DEFAULT_LANGUAGE, *, short: bool = False) -> str:
    """A date (or a moment, in its own offset) as people write it: «2017 жылғы 30 мамыр»,
    «30 мая 2017 г.», 2017-05-30; ``short``: 30.05.2017 (English: ISO). Not a date: as it is."""
    value = _as_day_or_moment(value)
    if not isinstance(value, dt.date):
        return value
    day = value.date() if isinstance(value, dt.datetime) else value
    parts = {"day": day.day, "month": day.month, "year": day.year, "month_name": gettext(f"month.{day.month}", lang)}
    text = gettext("date.short" if short else "date.long", lang).format(**parts)
    if isinstance(value, dt.datetime):
        text = gettext("date.moment", lang).format(date=text, time=value.strftime("%H:%M"))
    return text


def written(value: dt.date | dt.datetime | str | None, lang: Language = DEFAULT_LANGUAGE) -> str:
    """A date (or a moment, in its own offset) as a signed document writes it: «8 маусым 2017 ж., 19:30»,
    «8 июня 2017 г., 19:30», "8 June 2017, 19:30" (month names and words from the catalogue).
    Not a date: as it is; ``None``: a dash."""
    value = _as_day_or_moment(value)
    if not isinstance(value, dt.date):
        return value
    day = value.date() if isinstance(value, dt.datetime) else value
    text = gettext("date.written", lang).format(
        day=day.day, month=day.month, year=day.year, month_name=gettext(f"month.{day.month}", lang)
    )
    if isinstance(value, dt.datetime):
        text = gettext("date.written_moment", lang).format(date=text, time=value.strftime("%H:%M"))
    return text


def is_date(value: Any) -> bool:
    """Whether ``value`` is an ISO date or date-time string (as the checks report them)."""
    if not isinstance(value, str) or not re.match(r"^\d{4}-\d\d-\d\d", value):
        return False
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_duration(value: Any) -> bool:
    """Whether ``value`` is a Python duration string such as ``1:30:00``."""
    return isinstance(value, str) and _TIMEDELTA.match(value.strip()) is not None


def field_label(path: str, lang: Language = DEFAULT_LANGUAGE) -> str:
    """The label of a field path of the application (``concept.conditions.raw_materials``).

    Looked up as ``field.<path>``; a section's ``present`` flag is the section itself; a path
    the catalogue does not know is shown as written.
    """
    path = path[len("application."):] if path.startswith("application.") else path
    candidates = [path]
    if path.endswith(".present"):
        candidates.append(path[: -len(".present")])
    for candidate in candidates:
        if has(f"field.{candidate}", lang):
            return gettext(f"field.{candidate}", lang)
    return path


def label(value: Any, family: str, lang: Language = DEFAULT_LANGUAGE, vocabulary: Mapping[str, Any] | None = None) -> str:
    """The label of an enum value of ``family`` (``applicant_type``, ``funding_source``...).

    ``vocabulary`` (a pack's words for the families the act defines: value -> ``Text``) comes
    first, then the catalogue's ``<family>.<value>``; an unknown value is shown as written.
    """
    value = getattr(value, "value", value)
    if isinstance(value, bool):
        return yes_no(value, lang)
    if vocabulary and value in vocabulary:
        return vocabulary[value].get(lang)
    key = f"{family}.{value}"
    return gettext(key, lang) if has(key, lang) else str(value)


def join(items: Iterable[str], lang: Language = DEFAULT_LANGUAGE) -> str:
    """Items as a list in running text (a dash when there are none)."""
    return ", ".join(items) or "-"


__all__ = ["count", "date", "duration", "field_label", "has", "is_date", "is_duration", "join", "label", "plural_form", "t", "term", "written", "yes_no"]
