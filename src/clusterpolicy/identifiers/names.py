"""A legal entity's name as two documents may write it: the legal form in Kazakh, Russian or
English, short or in full words, before or after the name, in any quotes and case.

«ТОО «Алатау Фарм»», «"Алатау Фарм" ЖШС», «Жауапкершілігі шектеулі серіктестігі "Алатау Фарм"»
and «Alatau Farm LLP» are written by different hands for one company; the first three have the
same :func:`name_key`. A transliteration (Алатау / Alatau) is not guessed: it stays a different
name, and a caller that compares lists says so with both spellings.

>>> name_key("ТОО «Алатау Фарм»") == name_key('"Алатау Фарм" ЖШС') == name_key("Жауапкершілігі шектеулі серіктестігі «Алатау Фарм»")
True
>>> name_key("АО «КазМунайГаз»") == name_key("«ҚазМұнайГаз» АҚ")
False
>>> name_key("АО «КазМунайГаз»") == name_key("Акционерное общество «КазМунайГаз»") == name_key("КазМунайГаз JSC")
True
>>> same_entity_name("ИП Иванов", "Иванов жеке кәсіпкер"), same_entity_name("Иванов", "ИП Иванов"), same_entity_name("ТОО Иванов", "АО Иванов")
(True, True, False)
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

__all__ = ["LEGAL_FORMS", "NameKey", "RowIndex", "name_key", "same_entity_name", "legal_form"]

LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    # code: the ways the form is written (kk, ru, en; abbreviations and full words; nominative
    # and the possessive a Kazakh name takes after the name: «X» серіктестігі)
    "llp": (
        "жшс", "тоо", "llp", "жауапкершілігі шектеулі серіктестік", "жауапкершілігі шектеулі серіктестігі",
        "товарищество с ограниченной ответственностью", "limited liability partnership",
    ),
    "ajsc": (  # additional liability partnership
        "қжс", "тдо", "қосымша жауапкершілігі бар серіктестік", "қосымша жауапкершілігі бар серіктестігі",
        "товарищество с дополнительной ответственностью", "additional liability partnership",
    ),
    "jsc": (
        "ақ", "ао", "jsc", "акционерлік қоғам", "акционерлік қоғамы", "акционерное общество",
        "joint stock company", "joint-stock company",
    ),
    "ncjsc": (
        "кеақ", "нао", "коммерциялық емес акционерлік қоғам", "коммерциялық емес акционерлік қоғамы",
        "некоммерческое акционерное общество", "non-commercial joint stock company", "non-profit joint stock company",
    ),
    "ie": (
        "жк", "ип", "жеке кәсіпкер", "индивидуальный предприниматель", "individual entrepreneur", "ie",
    ),
    "rse": (
        "рмк", "ргп", "республикалық мемлекеттік кәсіпорын", "республикалық мемлекеттік кәсіпорны",
        "республиканское государственное предприятие", "republican state enterprise",
    ),
    "mse": (
        "кмк", "гкп", "коммуналдық мемлекеттік кәсіпорын", "коммуналдық мемлекеттік кәсіпорны",
        "государственное коммунальное предприятие", "municipal state enterprise",
    ),
    "si": ("мм", "гу", "мемлекеттік мекеме", "мемлекеттік мекемесі", "государственное учреждение", "state institution"),
    "pi": ("жм", "чу", "жеке мекеме", "жеке мекемесі", "частное учреждение", "private institution"),
    "pc": ("өк", "пк", "өндірістік кооператив", "өндірістік кооперативі", "производственный кооператив", "production cooperative"),
    "ale": (
        "збт", "зтб", "оюл", "заңды тұлғалар бірлестігі", "заңды тұлғалардың бірлестігі", "объединение юридических лиц",
        "association of legal entities",
    ),
}
"""Legal form -> how it is written. A name's form is read from any of them, wherever it stands."""

_QUOTES_AND_MARKS = re.compile(r"[«»\"“”„‟'‘’`´,.;:()\[\]]+")
_PHRASES: dict[tuple[str, ...], str] = {
    tuple(spelling.split()): code for code, spellings in LEGAL_FORMS.items() for spelling in spellings
}


def _by_first_word() -> dict[str, list[tuple[list[str], str]]]:
    found: dict[str, list[tuple[list[str], str]]] = {}
    for phrase, code in sorted(_PHRASES.items(), key=lambda item: -len(item[0])):
        found.setdefault(phrase[0], []).append((list(phrase), code))
    return found


_BY_FIRST_WORD = _by_first_word()
"""The phrases of :data:`_PHRASES` by their first word, the longest first: a word no phrase starts with is one look-up."""


class NameKey(NamedTuple):
    """A name as compared: its legal forms (codes) and its other words, in their order."""

    forms: frozenset[str]
    words: str


def _words(name: str) -> list[str]:
    text = unicodedata.normalize("NFKC", name).casefold().replace("ё", "е")
    text = _QUOTES_AND_MARKS.sub(" ", text)
    return text.split()


@lru_cache(maxsize=4096)
def name_key(name: str) -> NameKey:
    """The legal forms a name states, wherever they stand, and the name's other words (the last
    4,096 names remembered: a request compares a participant's name with the akimat's table, a
    service or a batch meets the same names again)."""
    words = _words(name)
    forms, rest, index, count = set(), [], 0, len(words)
    while index < count:
        for phrase, code in _BY_FIRST_WORD.get(words[index], ()):  # the longest phrase starting here
            if words[index:index + len(phrase)] == phrase:
                forms.add(code)
                index += len(phrase)
                break
        else:
            rest.append(words[index])
            index += 1
    return NameKey(frozenset(forms), " ".join(rest))


def legal_form(name: str) -> str | None:
    """The one legal form a name states (a code of :data:`LEGAL_FORMS`), or None."""
    forms = name_key(name).forms
    return next(iter(forms)) if len(forms) == 1 else None


def same_entity_name(one: str, other: str) -> bool:
    """The two names are one entity's: the same words, and the same legal form where both state one."""
    a, b = name_key(one), name_key(other)
    return bool(a.words) and a.words == b.words and (a.forms == b.forms or not a.forms or not b.forms)


def _plain_key(value: object) -> object:
    if not isinstance(value, str):
        return value
    if value.isascii() and value.isalnum():  # a BIN, a code: NFKC leaves it, no mark to drop, one word
        return value.lower()
    return "".join(_words(value)) or None


class RowIndex:
    """The rows of a list (a table of participants), found by the first key of ``by`` that both
    an item and a row state: a ``name`` as :func:`same_entity_name` compares it, any other key
    (a BIN) by its value without spaces, quotes or case. Each key's index is built once, when a
    look-up first needs it (a table whose rows are all found by BIN never reads their names):
    each look-up is then a dict read."""

    def __init__(self, rows: list, by: list[str]) -> None:
        self.by, self.rows = by, rows
        self.built: dict[str, dict] = {}

    def _index(self, key: str) -> dict:
        index = self.built.get(key)
        if index is not None:
            return index
        index = self.built[key] = {}
        for number, row in enumerate(self.rows):
            value = getattr(row, key, None)
            if value is None:
                continue
            if key == "name":
                name = name_key(str(value))
                if name.words:
                    index.setdefault(name.words, []).append((name.forms, number))
            else:  # as find reads it
                plain = value.lower() if type(value) is str and value.isascii() and value.isalnum() else _plain_key(value)
                if plain is not None:
                    index.setdefault(plain, number)
        return index

    def find(self, item: object) -> int | None:
        """The number of the row that lists ``item``, or None."""
        for key in self.by:
            value = getattr(item, key, None)
            if value is None:
                continue
            index = self.built.get(key)
            if index is None:
                index = self._index(key)
            if key == "name":
                name = name_key(str(value))
                for forms, number in index.get(name.words, ()):
                    if forms == name.forms or not forms or not name.forms:
                        return number
            else:  # _plain_key's usual case (a BIN, a code) without its call
                number = index.get(value.lower() if type(value) is str and value.isascii() and value.isalnum() else _plain_key(value))
                if number is not None:
                    return number
        return None
