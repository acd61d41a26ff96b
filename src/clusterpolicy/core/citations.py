"""How an act writes its provisions in Kazakh, Russian and English: a pack's citation style.

A pack cites a provision by a short stable reference in English (``Rules p.6(3)``,
``Criteria 1.1``, ``Appendix 2 §5``); how that reference reads in each language is data of the
pack (``citation_style`` in its ``procedure.yaml``), not of the code. A style is a list of
**forms**: a regular expression with named groups, and a template per language. This module
only matches and fills them (:class:`StyleChain`); it knows no act.

A pack that extends another cites its own forms first and its parent's after them, and the
act a rendered provision belongs to is that of the pack whose form matched: the methodology
pack cites "Rules p.16" as a paragraph of Decree 535's Rules, by its declared inheritance.
"""

import re
import string
from dataclasses import dataclass
from typing import Any

from pydantic import Field, field_validator, model_validator

from .base import Strict, new_dict, new_list
from .i18n import LANGUAGES, Language, fill


class Templates(Strict):
    """A form's words per language; a language without a template shows the provision as written."""

    kk: str | None = None
    ru: str | None = None
    en: str | None = None


class CitationForm(Strict):
    """One way a provision is written: ``pattern`` (full match, named groups) and its templates."""

    pattern: str = Field(description="A regular expression matched against the whole provision part.")
    text: Templates = Field(description="The provision as cited on its own (a table cell, a citation).")
    short: Templates | None = Field(None, description="Inside a sentence, where it differs (e.g. ru «п.16 Правил»).")

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from None
        return value

    @model_validator(mode="after")
    def _placeholders_are_groups(self) -> "CitationForm":
        groups = set(re.compile(self.pattern).groupindex)
        for name, templates in (("text", self.text), ("short", self.short)):
            for lang in LANGUAGES:
                template = getattr(templates, lang) if templates else None
                for placeholder in _placeholders(template or ""):
                    if placeholder not in groups:
                        known = ", ".join(sorted(groups)) or "none"
                        raise ValueError(
                            f"{name}.{lang}: placeholder {{{placeholder}}} is not a group of the pattern (groups: {known})"
                        )
        return self


class CitationStyle(Strict):
    """How one pack's provisions read in kk/ru/en (``citation_style`` of ``procedure.yaml``)."""

    split: str | None = Field(None, description="Where a provision is cut into parts, a regex (e.g. ', (?=p\\.)').")
    joiner: str = Field(", ", description="What the rendered parts are joined with.")
    carry: dict[str, str] = Field(
        default_factory=new_dict,
        description="group -> default: a part that lacks the group takes the previous part's value, else the default.",
    )
    words: dict[str, dict[str, Templates]] = Field(
        default_factory=new_dict, description="group -> value -> its words per language (e.g. doc: Rules: ru: Правил)."
    )
    forms: list[CitationForm] = Field(default_factory=new_list)
    phrases: dict[str, list[CitationForm]] = Field(
        default_factory=new_dict,
        description=(
            "Whole phrases a document builds on a provision, in the case its sentence needs: `according` "
            "grounds what the document does on the provision, citing the document with the act that approved "
            "it; `requirements` names the requirements the provision sets, as the object of a check against "
            "them. Per phrase, the first form whose pattern matches the whole provision."
        ),
    )

    @field_validator("split")
    @classmethod
    def _split_compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression: {exc}") from None
        return value


def _placeholders(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


@dataclass(frozen=True)
class StyleChain:
    """A pack's citation style, then its parent's: renders a provision and tells whose act it is.

    ``act`` is whatever the pack says about its act (the loader passes its :class:`~.law.Act`).
    """

    style: CitationStyle
    act: Any
    parent: "StyleChain | None" = None

    def render(self, provision: str, lang: Language, *, short: bool = False) -> tuple[Any, str] | None:
        """(the act, the provision in ``lang``) from the first style that reads every part, else None."""
        text = _render(self.style, provision, lang, short)
        if text is not None:
            return self.act, text
        return self.parent.render(provision, lang, short=short) if self.parent else None

    def text(self, provision: str, lang: Language, *, short: bool = False) -> str:
        """The provision as written in ``lang``; a form no style knows is returned as written."""
        found = self.render(provision, lang, short=short)
        return provision if found is None else found[1]

    def phrase(self, name: str, provision: str, lang: Language) -> str | None:
        """The phrase ``name`` (``according``, ``requirements``) built on ``provision`` in ``lang``, from the
        first style with a form for it (None if none has one: the caller cites the provision as usual)."""
        for form in self.style.phrases.get(name, []):
            match = re.fullmatch(form.pattern, provision)
            template = getattr(form.text, lang) if match else None
            if match and template:
                return template.format(**{k: v for k, v in match.groupdict().items() if v is not None})
        return self.parent.phrase(name, provision, lang) if self.parent else None

    def act_of(self, provision: str) -> Any:
        """The act of the style that reads ``provision`` (None if none does)."""
        found = self.render(provision, "en")
        return None if found is None else found[0]


def provision_text(provision: str, lang: Language = "en", style: StyleChain | None = None, *, short: bool = False) -> str:
    """``provision`` as cited in ``lang`` under a pack's ``style`` (``pack.citation_style``).

    >>> from clusterpolicy.packs import load_pack
    >>> style = load_pack("kz-2015-decree-535").citation_style
    >>> provision_text("Rules p.6(3)", "ru", style)
    'подпункт 3) пункта 6 Правил'
    >>> provision_text("Rules p.7(5), p.8", "kk", style)
    'Қағидалардың 7-тармағының 5) тармақшасы, Қағидалардың 8-тармағы'

    Without a style, and for a form the style does not know, the provision is returned as written.
    """
    return provision if style is None else style.text(provision, lang, short=short)


def _render(style: CitationStyle, provision: str, lang: Language, short: bool) -> str | None:
    parts = re.split(style.split, provision) if style.split else [provision]
    carried = dict(style.carry)
    rendered = []
    for part in parts:
        text = _render_part(style, part, lang, short, carried)
        if text is None:
            return None
        rendered.append(text)
    return style.joiner.join(rendered)


def _render_part(style: CitationStyle, part: str, lang: Language, short: bool, carried: dict[str, str]) -> str | None:
    for form in style.forms:
        match = re.fullmatch(form.pattern, part)
        if match is None:
            continue
        values = {name: value for name, value in match.groupdict().items()}
        for name in style.carry:
            if name in values:
                if values[name] is None:
                    values[name] = carried[name]
                carried[name] = values[name]
        template = (getattr(form.short, lang) if short and form.short else None) or getattr(form.text, lang)
        if template is None:
            return part
        shown = {}
        for name, value in values.items():
            word = style.words.get(name, {}).get(value or "")
            shown[name] = (getattr(word, lang) or value) if word else (value or "")
        return fill(template, shown)
    return None
