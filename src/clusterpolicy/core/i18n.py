"""The three languages of every message: Kazakh, Russian and English.

Rule packs carry their own messages (see :class:`Text`); the library's fixed words (report
headings, outcome names) are in ``locale/*.yaml`` beside this module, one catalogue per
language, looked up with :func:`gettext`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import Field

from .base import Strict

Language = Literal["kk", "ru", "en"]
LANGUAGES: tuple[Language, ...] = ("kk", "ru", "en")
DEFAULT_LANGUAGE: Language = "en"


class Text(Strict):
    """A text in Kazakh, Russian and English; all three are required."""
    kk: str = Field(min_length=1, description="Kazakh (Cyrillic script).")
    ru: str = Field(min_length=1, description="Russian.")
    en: str = Field(min_length=1, description="English.")

    def get(self, lang: Language = DEFAULT_LANGUAGE) -> str:
        return getattr(self, lang)

    def format(self, lang: Language = DEFAULT_LANGUAGE, /, **values: object) -> str:
        """The text in ``lang`` with ``{placeholders}`` filled; unknown ones are left as written."""
        return getattr(self, lang).format_map(_Keep(values))


class _Keep(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@lru_cache(maxsize=None)
def _catalogue(lang: Language) -> dict[str, str]:
    text = resources.files("clusterpolicy.core").joinpath("locale", f"{lang}.yaml").read_text("utf-8")
    return yaml.safe_load(text) or {}


def gettext(key: str, lang: Language = DEFAULT_LANGUAGE) -> str:
    """A fixed word of the library in ``lang``; falls back to English, then to the key."""
    return _catalogue(lang).get(key) or _catalogue("en").get(key) or key


# --------------------------------------------------------------------------- citing provisions

_PARAGRAPH = re.compile(r"^(?:(Rules|Decree) )?p\.(\d+)(?:\((\d+)\))?(, last part)?$")
_CRITERIA = re.compile(r"^Criteria (\d+(?:\.\d+)?(?:-\d+(?:\.\d+)?)?)$")
_APPENDIX = re.compile(r"^Appendix (\d+)(?: §(\d+)(?:\((\d+)\))?| items? ([\d\-]+)(?:\(([\d\-()]+)\))?|(, introduction))?$")

_WORDS = {
    "kk": {
        "Rules": "Қағидалардың", "Decree": "Қаулының", "paragraph": "{n}-тармағы", "sub": "{n}-тармағының {s}) тармақшасы",
        "last part": ", соңғы бөлігі", "criteria": "Өлшемшарттардың {n}-тармағы", "appendix": "Қағидаларға {n}-қосымша",
        "section": ", {n}-бөлім", "point": ", {n}) тармақ", "items": ", {n}-тармақ", "items_many": ", {n}-тармақтар",
        "intro": ", кіріспе",
    },
    "ru": {
        "Rules": "Правил", "Decree": "постановления", "paragraph": "пункт {n}", "sub": "подпункт {s}) пункта {n}",
        "last part": ", последняя часть", "criteria": "пункт {n} Критериев", "appendix": "приложение {n} к Правилам",
        "section": ", раздел {n}", "point": ", пункт {n})", "items": ", пункт {n}", "items_many": ", пункты {n}",
        "intro": ", вводная часть",
    },
}


def provision_text(provision: str, lang: Language = DEFAULT_LANGUAGE) -> str:
    """A provision such as ``Rules p.6(3)`` or ``Appendix 2 §5`` as it is cited in ``lang``.

    >>> provision_text("Rules p.6(3)", "ru")
    'подпункт 3) пункта 6 Правил'
    >>> provision_text("Rules p.7(5), p.8", "kk")
    'Қағидалардың 7-тармағының 5) тармақшасы, Қағидалардың 8-тармағы'

    English, and any form not recognised, is returned as written.
    """
    if lang not in _WORDS:
        return provision
    words, act, parts = _WORDS[lang], "Rules", []
    for part in provision.split(", p."):
        part = part if part.startswith(("Rules", "Decree", "Criteria", "Appendix", "p.")) else "p." + part
        rendered, act = _render(part, words, act)
        if rendered is None:
            return provision
        parts.append(rendered)
    return ", ".join(parts)


def _render(part: str, words: dict[str, str], act: str) -> tuple[str | None, str]:
    if match := _PARAGRAPH.match(part):
        act = match.group(1) or act
        number, sub, last = match.group(2), match.group(3), match.group(4)
        core = words["sub"].format(n=number, s=sub) if sub else words["paragraph"].format(n=number)
        text = f"{words[act]} {core}" if words is _WORDS["kk"] else f"{core} {words[act]}"
        return text + (words["last part"] if last else ""), act
    if match := _CRITERIA.match(part):
        return words["criteria"].format(n=match.group(1)), act
    if match := _APPENDIX.match(part):
        number, section, point, items, item_sub, intro = match.groups()
        text = words["appendix"].format(n=number)
        if section:
            text += words["section"].format(n=section)
        if point:
            text += words["point"].format(n=point)
        if items:
            key = "items_many" if "-" in items or item_sub else "items"
            text += words[key].format(n=items + (f"({item_sub})" if item_sub else ""))
        if intro:
            text += words["intro"]
        return text, act
    return None, act
