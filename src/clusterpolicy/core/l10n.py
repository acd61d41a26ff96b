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
'2017 жылғы 8 маусым, сағат 19:30'
>>> f"{dated('2017-05-30', 'kk'):loc} берілген"
'2017 жылғы 30 мамырда берілген'
>>> number("89.50", "ru"), points("89.50", "ru"), points(5, "ru")
('89,50', '89,50 балла', '5 баллов')
>>> yes_no(False, "kk")
'жоқ'
"""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Iterator, Mapping

from .errors import ClusterPolicyError, InWords, OneOf, WordedValueError
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


def plural_form(n: Any, lang: Language) -> str:
    """``one``, ``few`` or ``many``: the Russian rule; Kazakh and English use ``one``/``many``.

    A number with a fraction is ``few`` in Russian: the genitive singular («89,50 балла», «2,5 дня»)."""
    if lang == "ru" and _has_fraction(n):
        return "few"
    n = abs(int(Decimal(str(n)))) if not isinstance(n, int) else abs(n)
    if lang == "ru":
        if n % 10 == 1 and n % 100 != 11:
            return "one"
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return "few"
        return "many"
    if lang == "en":
        return "one" if n == 1 else "many"
    return "one"  # Kazakh: the noun after a number stays singular («5 жұмыс күні»)


def count(n: Any, key: str, lang: Language = DEFAULT_LANGUAGE) -> str:
    """``n`` with the noun of ``key`` in the form that agrees with it: «2 рабочих дня», «5 жұмыс күні»;
    a fraction with a decimal comma in kk/ru and the genitive singular in ru («89,50 балла»)."""
    return gettext(f"{key}.{plural_form(n, lang)}", lang).format(n=number(n, lang))


def _has_fraction(n: Any) -> bool:
    """Whether ``n`` is written with a fraction («85,00», «2,5»): then Russian takes the genitive singular."""
    return not isinstance(n, (int, bool)) and re.fullmatch(r"-?\d+\.\d+", str(n)) is not None


def number(value: Any, lang: Language = DEFAULT_LANGUAGE) -> str:
    """A number as written in ``lang``: a decimal comma in Kazakh and Russian («86,71»), a point in
    English; the digits as the value gives them (a Decimal keeps its places). Not a number: as it is."""
    if value is None:
        return "—"
    text = str(value)
    if lang in ("kk", "ru") and re.fullmatch(r"-?\d+\.\d+", text):
        return text.replace(".", ",")
    return text


def points(value: Any, lang: Language = DEFAULT_LANGUAGE) -> str:
    """Points with their noun: «89,50 балла», «5 баллов», «89,50 балл», "89.50 points"."""
    return count(value, "unit.points", lang)


def term(amount: int, unit: Any, lang: Language = DEFAULT_LANGUAGE, *, case: str | None = None) -> str:
    """A term such as ``5 working_days`` as people write it: «5 рабочих дней», «5 жұмыс күні»;
    ``case="gen"``: after «в течение» («в течение 3 рабочих дней», «1 рабочего дня»)."""
    unit = getattr(unit, "value", unit)
    if not has(f"unit.{unit}.one", lang):
        return f"{amount} {unit}"
    if case:
        return gettext(f"unit.{unit}.{plural_form(amount, lang)}.{case}", lang).format(n=number(amount, lang))
    return count(amount, f"unit.{unit}", lang)


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


CASES = ("loc", "dat", "abl")
"""The case endings a date takes in a sentence (Kazakh): ``loc`` before a verb or participle
(«2017 жылғы 30 мамырда берілген»), ``dat`` before «дейін» («2017 жылғы 15 маусымға дейін»),
``abl`` before «кешіктірмей», «бастап» («2017 жылғы 7 желтоқсаннан кешіктірмей»).
Russian and English write the date the same in every case."""


def _month(month: int, lang: Language, case: str | None) -> str:
    return gettext(f"month.{month}.{case}" if case else f"month.{month}", lang)


def _time(value: dt.datetime, lang: Language, case: str | None) -> str:
    """The time of a moment; in Kazakh with the case ending of its last spoken number («19:30-да»)."""
    text = value.strftime("%H:%M")
    if case and lang == "kk":
        text += "-" + _kk_ending(value.minute or value.hour, case)
    return text


# The ending of a Kazakh number word by its last spoken word: бір, екі, үш ... он, жиырма ... жүз.
_KK_UNITS = {0: "е", 1: "е", 2: "е", 3: "е", 4: "е", 5: "е", 6: "а", 7: "е", 8: "е", 9: "а"}
_KK_TENS = {10: "а", 20: "а", 30: "а", 40: "а", 50: "е", 60: "а", 70: "е", 80: "е", 90: "а"}
_KK_VOICELESS = {3, 4, 5, 40, 60, 70}  # үш, төрт, бес, қырық, алпыс, жетпіс: -те/-та, -ке/-қа


def _kk_ending(n: int, case: str) -> str:
    last = n % 10 if n % 10 else (n % 100 if n % 100 else 0)
    vowel = (_KK_UNITS if last < 10 else _KK_TENS)[last]
    voiceless = last in _KK_VOICELESS
    if case == "loc":
        return ("т" if voiceless else "д") + vowel
    if case == "abl":
        return ("т" if voiceless else "н" if last == 10 else "д") + vowel + "н"
    back = vowel == "а"
    return ("қ" if back else "к") + vowel if voiceless else ("ғ" if back else "г") + vowel


def date(
    value: dt.date | dt.datetime | str | None, lang: Language = DEFAULT_LANGUAGE, *, short: bool = False, case: str | None = None
) -> str:
    """A date (or a moment, in its own offset) as people write it: «2017 жылғы 30 мамыр»,
    «30 мая 2017 г.», 2017-05-30; ``short``: 30.05.2017 (English: ISO); ``case`` (:data:`CASES`):
    the Kazakh case ending the sentence needs («2017 жылғы 30 мамырда»). Not a date: as it is."""
    value = _as_day_or_moment(value)
    if not isinstance(value, dt.date):
        return value
    day = value.date() if isinstance(value, dt.datetime) else value
    moment = isinstance(value, dt.datetime)
    parts = {"day": day.day, "month": day.month, "year": day.year, "month_name": _month(day.month, lang, None if moment and lang != "kk" else case)}
    text = gettext("date.short" if short else "date.long", lang).format(**parts)
    if moment:
        text = gettext("date.moment", lang).format(date=text, time=_time(value, lang, case))
    return text


class DatedText(str):
    """A date written in a language (a ``str``), whose format spec asks for its case in a message:
    ``{submitted_at:loc}`` («2017 жылғы 8 маусымда, сағат 19:30-да»), ``{due:dat}``."""

    value: Any
    lang: Language
    how: str

    def __new__(cls, text: str, value: Any, lang: Language, how: str = "date") -> DatedText:
        made = super().__new__(cls, text)
        made.value, made.lang, made.how = value, lang, how
        return made

    def __format__(self, spec: str) -> str:
        if spec in CASES and self.value is not None:
            return (written if self.how == "written" else date)(self.value, self.lang, case=spec)
        return str.__format__(str(self), "" if spec in CASES else spec)


def dated(value: Any, lang: Language = DEFAULT_LANGUAGE) -> DatedText:
    """:func:`date` as a :class:`DatedText` (whose ``:loc``/``:dat`` give its case endings)."""
    return DatedText(date(value, lang), value, lang)


def written_dated(value: Any, lang: Language = DEFAULT_LANGUAGE) -> DatedText:
    """:func:`written` as a :class:`DatedText` (whose ``:loc``/``:dat`` give its case endings)."""
    return DatedText(written(value, lang), value, lang, "written")


def written(value: dt.date | dt.datetime | str | None, lang: Language = DEFAULT_LANGUAGE, *, case: str | None = None) -> str:
    """A date (or a moment, in its own offset) as a signed document writes it: «2017 жылғы 8 маусым,
    сағат 19:30», «8 июня 2017 г., 19:30», "8 June 2017, 19:30" (month names and words from the
    catalogue); ``case``: the Kazakh case ending (:data:`CASES`), or ``attr`` for a date that
    qualifies a number («2017 жылғы 2 мамырдағы», as «№ … от 2 мая 2017 г.» is in Russian). Not a
    date: as it is; ``None``: a dash."""
    value = _as_day_or_moment(value)
    if not isinstance(value, dt.date):
        return value
    if case == "attr":  # before the number it dates, Kazakh says «2017 жылғы 2 мамырдағы № …»: the locative, then -ғы/-гі
        if lang != "kk":
            return written(value, lang)
        located = written(value, lang, case="loc")
        return located + ("ғы" if located.endswith("а") else "гі")
    day = value.date() if isinstance(value, dt.datetime) else value
    moment = isinstance(value, dt.datetime)
    text = gettext("date.written", lang).format(
        day=day.day, month=day.month, year=day.year, month_name=_month(day.month, lang, None if moment and lang != "kk" else case)
    )
    if moment:
        text = gettext("date.written_moment", lang).format(date=text, time=_time(value, lang, case))
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


def numbered(number: Any, name: str) -> str:
    """An application as a Kazakh or Russian text names it: the registration number of the
    document that registers it, then its cluster («№ КО-2017/001 Қарағанды облысының құрылыс
    кластері»); the name alone when it has no number. One form for every table, note and message."""
    return f"№ {number} {name}" if number else name


MAX_LISTED = 100
"""The most items a rule's message or a remedy's text names in one list; beyond, the text names the
first ``MAX_LISTED`` and says how many more («and 11900 more», «и ещё 11900», «және тағы 11900»).
The full list stays in the result's structured data (the rule's ``observed`` values, the remedy's
patch). 12,000 participants lacking their cards were named with what each lacks in a message and
again in its remedy: 3.9 MB each, half of a 17 MiB answer (docs/output.md)."""


_LISTED_LIMIT: ContextVar[int | None] = ContextVar("listed_limit", default=MAX_LISTED)


@contextmanager
def every_item_listed() -> Iterator[None]:
    """Within it, :func:`listed` names every item (no «and N more»): an evaluation made for a
    document an official signs, whose long lists continue in full in its annexes (the JSON
    answers, and their bound, keep :data:`MAX_LISTED`)."""
    token = _LISTED_LIMIT.set(None)
    try:
        yield
    finally:
        _LISTED_LIMIT.reset(token)


def listed(items: Iterable[Any], lang: Language = DEFAULT_LANGUAGE, show: Any = None, separator: str = ", ") -> str:
    """At most :data:`MAX_LISTED` of ``items`` in running text (every item within
    :func:`every_item_listed`), each as ``show`` writes it (as it is without ``show``), then the
    number of the rest («and N more»); a dash when there are none.
    Only the items written are rendered (a list or a dict's items is cut before ``show`` is called)."""
    limit = _LISTED_LIMIT.get()
    if limit is None:
        head, rest = list(items), 0
    elif isinstance(items, (list, tuple)):
        head, rest = items[:limit], max(len(items) - limit, 0)
    else:
        iterator = iter(items)
        head = [item for _, item in zip(range(limit), iterator)]
        rest = sum(1 for _ in iterator)
    text = separator.join(head if show is None else map(show, head))
    if rest:
        return f"{text}{separator}{t('list.more', lang, n=rest)}"
    return text or "-"


__all__ = ["CASES", "DatedText", "count", "every_item_listed", "date", "dated", "written_dated", "duration", "field_label", "has", "is_date", "is_duration", "join", "label", "listed", "MAX_LISTED", "number", "numbered", "plural_form", "points", "t", "term", "written", "yes_no"]


# --------------------------------------------------------------------------- errors in the reader's language


def worded(key: str, lang: Language, values: Mapping[str, Any]) -> str:
    """The catalogue's text of ``key`` in ``lang`` with ``values``: a value named in each
    language (:class:`~.errors.InWords`, :class:`~.errors.OneOf`) in ``lang``'s words, a number
    with ``lang``'s decimal comma."""

    def shown(value: Any) -> Any:
        if isinstance(value, (OneOf, InWords)):
            return value.in_language(lang)
        if lang != "en" and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return number(value, lang)
        return value

    return t(key, lang, **{name: shown(value) for name, value in values.items()})


class TextError(WordedValueError):
    """A model validator's refusal worded by the catalogue (``input_error.*``): its English text
    is the catalogue's, and a located error shows it in kk or ru (:func:`error_text`)."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key, worded(key, "en", values), values)


def error_message(error: ClusterPolicyError, lang: Language = DEFAULT_LANGUAGE) -> str:
    """``error``'s message in ``lang``: the catalogue's words where the error has them
    (``error.parts``), else its English message."""
    if lang == "en" or not error.parts:
        return error.message
    return " ".join(worded(key, lang, values) for key, values in error.parts)


def error_text(error: ClusterPolicyError, lang: Language = DEFAULT_LANGUAGE) -> str:
    """What the command line prints of ``error`` in ``lang``: its location, its message and
    every detail (``str(error)`` in English)."""
    message = error_message(error, lang)
    head = f"{error.location}: {message}" if error.location else message
    if len(error.details) > 1:
        return head + "".join(f"\n  {error_text(detail, lang)}" for detail in error.details)
    return head
