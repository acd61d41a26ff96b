"""The three languages of every message: Kazakh, Russian and English.

Rule packs carry their own messages (see :class:`Text`); the library's fixed words (report
headings, outcome names) are in ``locale/*.yaml`` beside this module, one catalogue per
language, looked up with :func:`gettext`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from pydantic import Field, SerializationInfo, SerializerFunctionWrapHandler, model_serializer

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

    @model_serializer(mode="wrap")
    def _in_language(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> Any:
        """Dumped with ``context={"lang": ...}`` (a result document): the string in that language."""
        context = info.context
        lang = context.get("lang") if isinstance(context, dict) else None
        return getattr(self, lang) if lang in LANGUAGES else handler(self)

    def format(self, lang: Language = DEFAULT_LANGUAGE, /, **values: object) -> str:
        """The text in ``lang`` with ``{placeholders}`` filled; unknown ones are left as written."""
        return fill(getattr(self, lang), values)


CASE_SPECS = ("loc", "dat", "abl")
"""The only format specs a pack's placeholder may carry: the Kazakh case ending of a date
(``{due:loc}``; :data:`clusterpolicy.core.l10n.CASES`, whose values know them)."""

_FIELD = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)(?::(" + "|".join(CASE_SPECS) + r"))?\}")


def fill(template: str, values: Mapping[str, object]) -> str:
    """``template`` with each plain ``{name}`` replaced by its value (as ``str.format`` shows it),
    ``{name:loc}`` by its value in that case (:data:`CASE_SPECS`), ``{{`` and ``}}`` read as
    braces, and anything else left as written.

    A pack's texts are templates someone else wrote: unlike ``str.format``, this never reads an
    attribute or an item of a value (``{value.__class__}``) nor applies any other format spec
    (``{value:>300000000}``); packs with such placeholders are refused when they load."""
    if "{" not in template and "}" not in template:
        return template

    def one(match: re.Match[str]) -> str:
        token, name, case = match.group(0), match.group(1), match.group(2)
        if name is None:
            return token[0]
        return format(values[name], case or "") if name in values else token

    return _FIELD.sub(one, template)


@lru_cache(maxsize=None)
def _catalogue(lang: Language) -> dict[str, str]:
    """The catalogue of ``lang``, read once per process, and kept on disk read (:mod:`.cache`:
    its key covers the catalogue files as it covers every file of the library)."""
    from . import cache

    key = cache.key_of("catalogue", lang) if cache.cache_dir() is not None else None
    kept = cache.load(f"catalogue-{lang}", key) if key is not None else None
    if isinstance(kept, dict):
        return kept
    from .errors import ClusterPolicyError
    from .sources import parse_yaml  # the project's one YAML reader: plain data only, libyaml's events

    text = resources.files("clusterpolicy.core").joinpath("locale", f"{lang}.yaml").read_text("utf-8")
    words = parse_yaml(text, f"locale/{lang}.yaml", error=ClusterPolicyError, shipped=True).data or {}
    if key is not None:
        cache.store(f"catalogue-{lang}", key, words)
    return words


def gettext(key: str, lang: Language = DEFAULT_LANGUAGE) -> str:
    """A fixed word of the library in ``lang``; falls back to English, then to the key."""
    return _catalogue(lang).get(key) or _catalogue("en").get(key) or key
