"""The act's own text cut into units (paragraphs, criteria, appendix items), as a pack declares them.

A pack that ships its act's text (``source/<lang>.txt``) may declare in ``law.yaml`` how the
text is cut: each unit has a stable ``id`` (the anchor of docs/law.html), the ``provision`` it
is (as the pack cites it), the beginning of its first line (``starts``), and the ``patterns``
(regular expressions) that recognise a citation of it. A unit runs from its first line to the
line before the next unit's; the units are found in order, each after the previous one, so
the whole text from the first unit on belongs to exactly one unit. ``heading`` units (titles
of chapters and sections) are shown but need no entry of their own.

A citation (``Rules p.7(5), p.8``, ``Criteria 2.1-2.8``) is cut into parts at ``split``; a part
that recognises no unit is tried again with the first word of the previous part in front
(``p.8`` after ``Rules p.7(5)``); a part that ends in a range of numbers (``p.20-21``,
``2.1-2.8``, ``items 1-7``) stands for each number of the range. The act's structure is data of
its pack: this module knows none of it.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

from pydantic import Field, field_validator, model_validator

from .errors import Location, RulePackError
from .law import Strict
from . import confined
from .sources import decode_utf8, parse_yaml, validate
from .base import new_list

ACT_TEXT_FILE = "law.yaml"


class TextUnit(Strict):
    """One unit of the act's text: a paragraph, a criterion, an appendix item, or a heading."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Stable anchor, e.g. rules-p6.")
    provision: str = Field(min_length=1, description="The provision as the pack cites it.")
    starts: str = Field(min_length=1, description="The beginning of the unit's first line (after leading spaces and '- ').")
    heading: bool = Field(False, description="A chapter or section title: shown, needs no entry.")
    patterns: list[str] = Field(default_factory=new_list, description="Regular expressions a citation part matches from its start.")

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, value: list[str]) -> list[str]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{pattern!r} is not a regular expression: {exc}") from None
        return value


class ActText(Strict):
    """A pack's ``law.yaml``: which file holds the act's text and how it is cut into units."""

    source: str = Field(description="The text file, relative to the pack folder (e.g. source/kk.txt).")
    split: str | None = Field(None, description="Where a citation is cut into parts (a regular expression).")
    units: list[TextUnit] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> ActText:
        seen: set[str] = set()
        for unit in self.units:
            if unit.id in seen:
                raise ValueError(f"unit id {unit.id!r} is given twice")
            seen.add(unit.id)
        return self

    @cached_property
    def _compiled(self) -> list[tuple[TextUnit, list[re.Pattern[str]]]]:
        return [(unit, [re.compile(pattern) for pattern in unit.patterns]) for unit in self.units]

    def unit(self, unit_id: str) -> TextUnit:
        return next(unit for unit in self.units if unit.id == unit_id)

    def units_of(self, provision: str) -> list[TextUnit]:
        """The units a citation names, in the order of the text (none: the text has no such unit)."""
        parts = re.split(self.split, provision) if self.split else [provision]
        found: list[TextUnit] = []
        head = ""
        for part in parts:
            part = part.strip()
            matched: list[TextUnit] = []
            for candidate in [part] + ([f"{head} {part}"] if head else []):
                matched = [unit for expanded in _expanded(candidate) for unit in self._matching(expanded)]
                if matched:
                    break
            found += [unit for unit in matched if unit not in found]
            head = part.split(" ", 1)[0] if " " in part else head
        order = {unit.id: index for index, unit in enumerate(self.units)}
        return sorted(found, key=lambda unit: order[unit.id])

    def _matching(self, part: str) -> list[TextUnit]:
        return [unit for unit, patterns in self._compiled if any(pattern.match(part) for pattern in patterns)][:1]

    def segments(self, text: str, *, file: str | None = None) -> list[tuple[TextUnit, str]]:
        """Each unit with its text (the lines from its first to the next unit's), in order."""
        lines = text.split("\n")
        starts: list[int] = []
        cursor = 0
        for unit in self.units:
            index = next((i for i in range(cursor, len(lines)) if _bare(lines[i]).startswith(unit.starts)), None)
            if index is None:
                raise RulePackError(
                    f"unit {unit.id!r}: no line after line {cursor} begins with {unit.starts!r}",
                    location=Location(file, cursor or None),
                    code="bad_value",
                )
            starts.append(index)
            cursor = index + 1
        ends = starts[1:] + [len(lines)]
        return [(unit, "\n".join(lines[start:end]).strip()) for unit, start, end in zip(self.units, starts, ends)]


def _bare(line: str) -> str:
    return re.sub(r"^[-\s]+", "", line).strip()


_RANGE = re.compile(r"^(?P<head>.*?)(?P<first>\d+(?:\.\d+)*)-(?P<last>\d+(?:\.\d+)*)$")


def _expanded(part: str) -> list[str]:
    """A part ending in a range of numbers, as one part per number (``2.1-2.3``: 2.1, 2.2, 2.3)."""
    match = _RANGE.match(part)
    if not match:
        return [part]
    first, last = match["first"].split("."), match["last"].split(".")
    if len(first) != len(last) or first[:-1] != last[:-1] or int(last[-1]) < int(first[-1]) or int(last[-1]) - int(first[-1]) > 100:
        return [part]
    stem = ".".join(first[:-1]) + "." if len(first) > 1 else ""
    return [f"{match['head']}{stem}{number}" for number in range(int(first[-1]), int(last[-1]) + 1)]


def read_act_text(folder: Any, *, shown_as: str | None = None) -> ActText | None:
    """The ``law.yaml`` of a pack folder (a path or an ``importlib.resources`` traversable), or None."""
    name = f"{shown_as}/{ACT_TEXT_FILE}" if shown_as else str(folder.joinpath(ACT_TEXT_FILE))
    raw = confined.read_bytes(folder, ACT_TEXT_FILE, name)
    if raw is None:
        return None
    return validate(ActText, parse_yaml(decode_utf8(raw, name, error=RulePackError), name, error=RulePackError), error=RulePackError)


def read_source(folder: Any, act_text: ActText) -> str:
    """The act's text file that ``law.yaml`` names, read only from inside the pack's folder."""
    name = f"{folder}/{act_text.source}"
    raw = confined.read_bytes(folder, act_text.source, name)
    if raw is None:
        raise RulePackError(f"law.yaml names the text {act_text.source!r:.60}, which the pack's folder does not have", location=Location(name), code="file_not_found")
    return decode_utf8(raw, name, error=RulePackError).replace("\r\n", "\n").replace("\r", "\n")


__all__ = ["ACT_TEXT_FILE", "ActText", "TextUnit", "read_act_text", "read_source"]
