"""Every ``quote:`` of a pack checked against the act's own text, without pytest.

What ``clusterpolicy check`` runs and the pack contract (:mod:`clusterpolicy.authoring.contract`)
asserts under pytest:

- :func:`quote_problems`: every quote of the pack's own act (rules, parameters, time limits,
  scoring, procedure) is found in ``source/<source language>.txt`` of the pack, compared
  without spaces, line breaks, Markdown marks and guillemets (the published text spaces out
  some words letter by letter and breaks lines anywhere); ``...`` in a quote separates
  fragments, each looked up alone. A quote inherited unchanged from the pack a pack extends
  is looked up in that pack's text. A pack that ships no text is reported as unchecked.
- :func:`number_problems`: a parameter or a time limit whose value is a number, while its
  own quote writes numbers none of which is that value («кемінде 10», «5 (бес) жұмыс күні»):
  the value was changed and the quote was not, or the other way round. Years (1900-2100)
  in a quote are dates, not values, and are left out.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel

from ..core.law import Citation
from ..packs import RulePack
from .folders import _folder, parent

__all__ = ["quote_problems", "number_problems", "quoted_numbers", "squeeze"]


def squeeze(text: str) -> str:
    """The text without spaces, line breaks, Markdown marks and guillemets."""
    return re.sub(r"[\s\\*_«»]+", "", text)


def _citations(value: Any, where: str) -> Iterator[tuple[str, Citation]]:
    if isinstance(value, Citation):
        yield where, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _citations(getattr(value, name), f"{where}.{name}")
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _citations(item, f"{where}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _citations(item, f"{where}.{key}")


def _own(pack: RulePack, citation: Citation) -> bool:
    """A quote of the pack's own act: not of another act named in the citation, nor of the act
    of a pack it extends (a child cites "Rules p.16" of Decree 535 by the parent's style)."""
    if citation.act:
        return False
    return pack.citation_style is None or pack.act_of(citation.provision) == pack.header.act


def _quotes(pack: RulePack, *, own_act_only: bool = False) -> set[tuple[str, str]]:
    """(where, quote) of every quote of the pack's act."""
    found: list[tuple[str, Citation]] = []
    for rule in pack.rules:
        found += _citations(rule, f"rule {rule.id}")
    for name, parameter in pack.parameters.items():
        found += _citations(parameter, f"parameter {name}")
    for limit in pack.time_limits:
        found += _citations(limit, f"time limit {limit.id}")
    if pack.scoring is not None:
        found += _citations(pack.scoring, "scoring")
    if pack.procedure is not None:
        found += _citations(pack.procedure, "procedure")
    return {
        (where, citation.quote)
        for where, citation in found
        if citation.quote and not citation.act and (not own_act_only or _own(pack, citation))
    }


def _source_text(pack: RulePack) -> tuple[Path, str | None]:
    name = f"source/{pack.header.act.source_language}.txt"
    folder = _folder(pack)
    path = (folder / name) if folder is not None else Path(f"rules/{pack.id}/{name}")
    return path, (path.read_text("utf-8") if path.is_file() else None)


def quote_problems(pack: RulePack) -> tuple[list[str], list[str], int]:
    """Quotes not found in the act's text; the packs whose text does not ship (their quotes are
    not checked); and how many quotes were checked. A quote the pack inherits unchanged is
    looked up in the text of the pack it comes from, and so is a quote of a provision the
    parent's citation style reads (a paragraph of the parent's act)."""
    problems: list[str] = []
    unchecked: list[str] = []
    checked = 0
    quotes = _quotes(pack)
    base = parent(pack)
    if base is not None:
        inherited = quotes - _quotes(pack, own_act_only=True)
        base_quotes = _quotes(base)
        inherited |= quotes & base_quotes
        quotes -= inherited
        if inherited:
            more_problems, more_unchecked, more_checked = quote_problems(base)
            problems += more_problems
            unchecked += more_unchecked
            checked += more_checked
            # a parent's-act quote the child wrote itself (not in the parent): checked in the parent's text
            extra = {(where, quote) for where, quote in inherited if quote not in {q for _, q in base_quotes}}
            if extra:
                path, text = _source_text(base)
                if text is None:
                    unchecked.append(f"pack {base.id} ships no text of its act ({path}): {len(extra)} quotes of pack {pack.id} are not checked")
                else:
                    more, count = _look_up(extra, path, text)
                    problems += more
                    checked += count
    if not quotes:
        return problems, unchecked, checked
    path, text = _source_text(pack)
    if text is None:
        unchecked.append(f"pack {pack.id} ships no text of its act ({path}): its {len(quotes)} quotes are not checked")
        return problems, unchecked, checked
    more, count = _look_up(quotes, path, text)
    return problems + more, unchecked, checked + count


def _look_up(quotes: set[tuple[str, str]], path: Path, text: str) -> tuple[list[str], int]:
    act = squeeze(text)
    problems = []
    for where, quote in sorted(quotes):
        for fragment in quote.split("..."):
            if squeeze(fragment) not in act:
                problems.append(f"{where}: quote not found in {path}: {fragment.strip()!r}")
    return problems, len(quotes)


# --------------------------------------------------------------------------- numbers in quotes


_WORDS = {
    # Kazakh
    "бір": 1, "екі": 2, "үш": 3, "төрт": 4, "бес": 5, "алты": 6, "жеті": 7, "сегіз": 8, "тоғыз": 9, "он": 10,
    "жиырма": 20, "отыз": 30, "қырық": 40, "елу": 50, "алпыс": 60, "жетпіс": 70, "сексен": 80, "тоқсан": 90,
    # Russian (the forms a time limit or a count takes)
    "один": 1, "одна": 1, "одного": 1, "одной": 1, "два": 2, "две": 2, "двух": 2, "три": 3, "трех": 3, "трёх": 3,
    "четыре": 4, "четырех": 4, "четырёх": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7,
    "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9, "десять": 10, "десяти": 10, "двадцать": 20, "двадцати": 20,
    "тридцать": 30, "тридцати": 30, "шестьдесят": 60, "шестидесяти": 60,
}
_TOKEN = re.compile(r"\d+(?:[.,]\d+)?|[^\W\d_]+")


def quoted_numbers(quote: str) -> set[int | float]:
    """The numbers a quote writes, in digits or in words (kk, ru); years (1900-2100) left out."""
    found: set[int | float] = set()
    for token in _TOKEN.findall(quote):
        if token[0].isdigit():
            number = float(token.replace(",", ".")) if ("," in token or "." in token) else int(token)
            if not (isinstance(number, int) and 1900 <= number <= 2100):
                found.add(number)
        elif token.lower() in _WORDS:
            found.add(_WORDS[token.lower()])
    return found


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    try:
        from decimal import Decimal

        if isinstance(value, Decimal):
            return float(value)
    except ImportError:  # pragma: no cover
        pass
    return None


def number_problems(pack: RulePack) -> list[str]:
    """Parameters and time limits whose number is not among the numbers their own quote writes."""
    problems = []
    items: list[tuple[str, Any, Citation]] = [
        (f"parameter {name}", parameter.value, parameter.citation) for name, parameter in pack.parameters.items()
    ]
    items += [(f"time limit {limit.id}", limit.amount, limit.citation) for limit in pack.time_limits]
    for where, value, citation in items:
        number = _number(value)
        if number is None or not citation.quote:
            continue
        written = quoted_numbers(citation.quote)
        if written and number not in written:
            shown = ", ".join(str(n) for n in sorted(written))
            problems.append(f"{where} = {value}, while its quote writes {shown}: {citation.quote!r}")
    return problems
