"""Reading an application's fields: what a rule looks at, a dotted path, a plain value, a condition.

A rule reads ``application.*`` (the default root) and ``competition.*`` through a :class:`Context`;
:func:`resolve` follows a dotted path through models, mappings and list indexes (``None`` when a
step is missing); :func:`plain` makes a value JSON-friendly; a :class:`Condition` (``when:``,
``where:``, the ``condition`` kind) is true, false, or unknown when a field is not stated.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import Any, Iterator

from pydantic import BaseModel, Field, model_validator

from ..core.law import Strict
from .affiliation import normalise_name


class Context:
    """What a rule can look at: ``application.*`` (the default root) and ``competition.*``."""

    def __init__(self, application: Any, competition: Any = None, *, calendar: Any = None) -> None:
        self.application = application
        self.competition = competition
        self.calendar = calendar


def resolve(root: Any, path: str) -> Any:
    """The value at a dotted path; ``None`` when any step is missing."""
    if isinstance(root, Context):
        in_competition, parts = _steps(path)
        root = root.competition if in_competition else root.application
    else:
        parts = _split_path(path)
    value = root
    for part in parts:
        if value is None:
            return None
        if isinstance(value, list):
            index = int(part) if part.isascii() and part.isdigit() else len(value)  # '٣' and '³' are not indices
            value = value[index] if index < len(value) else None
        else:
            value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
    return value


@lru_cache(maxsize=None)
def accessor(path: str) -> Any:
    """``resolve(root, path)`` for a root that is not a :class:`Context`, compiled once per path:
    a function of the root. A step through models and mappings is one attribute or key read; the
    rare root that is a list (a numeric step) goes through :func:`resolve` itself."""
    parts = _split_path(path)
    if not parts:
        return lambda root: root

    def step(value: Any, part: str) -> Any:
        if type(value) is dict:
            return value.get(part)
        if isinstance(value, list):
            index = int(part) if part.isascii() and part.isdigit() else len(value)
            return value[index] if index < len(value) else None
        return value.get(part) if isinstance(value, dict) else getattr(value, part, None)

    if len(parts) == 1:
        (only,) = parts

        def read_one(root: Any) -> Any:
            if root is None:
                return None
            if isinstance(root, (dict, list)):
                return step(root, only)
            return getattr(root, only, None)

        return read_one

    def read(root: Any) -> Any:
        value = root
        for part in parts:
            if value is None:
                return None
            value = step(value, part)
        return value

    return read


@lru_cache(maxsize=None)
def _steps(path: str) -> tuple[bool, tuple[str, ...]]:
    """Whether a path reads the competition, and its steps below the root (parsed once)."""
    head, _, rest = path.partition(".")
    if head == "competition":
        return True, _split_path(rest)
    return False, _split_path(rest if head == "application" else path)


@lru_cache(maxsize=None)
def _split_path(path: str) -> tuple[str, ...]:
    return tuple(path.split(".")) if path else ()


split_path = _split_path
"""The steps of a dotted path (parsed once per path and process)."""


_ALREADY_PLAIN = frozenset({str, int, bool, type(None), dict, Decimal})


_FIRST_TEXT = {"first_text": True}


def plain(value: Any) -> Any:
    """A JSON-friendly form of a value, for conditions, observed values and messages."""
    if type(value) in _ALREADY_PLAIN:  # the common case, decided without the checks below
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", context=_FIRST_TEXT)  # a text given per language: its first (as cluster_name)
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


SIZED = (str, list, dict, tuple)


def is_stated(value: Any) -> bool:
    """Given and not empty ("", [] and {} state nothing)."""
    if isinstance(value, SIZED):
        return len(value) > 0
    return value is not None


_NO_QUOTES = str.maketrans("", "", "«»\"“”„'")


def text_key(value: Any) -> Any:
    """A name as two documents may write it differently: case, spaces and the kind of quotes ignored."""
    if not isinstance(value, str):
        return value
    return normalise_name(value.translate(_NO_QUOTES))


# --------------------------------------------------------------------------- conditions


class Condition(Strict):
    """A declarative test on the application's fields; true, false, or unknown (not stated)."""

    field: str | None = None
    equals: Any = None
    in_: list[Any] | None = Field(None, alias="in")
    stated: bool | None = Field(None, description="true: the field is stated; false: it is not.")
    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = Field(None, alias="not")

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        combinators = [self.all is not None, self.any is not None, self.not_ is not None]
        if sum(combinators) + (self.field is not None) != 1:
            raise ValueError("a condition has exactly one of: field, all, any, not")
        if self.field is not None:
            tests = [self.equals is not None, self.in_ is not None, self.stated is not None]
            if sum(tests) != 1:
                raise ValueError("a field condition has exactly one of: equals, in, stated")
        return self

    def evaluate(self, root: Any) -> bool | None:
        if self.all is not None:  # false if one is false, else unknown if one is unknown, else true
            result: bool | None = True
            for condition in self.all:
                value = condition.evaluate(root)
                if value is False:
                    return False
                if value is None:
                    result = None
            return result
        if self.any is not None:  # true if one is true, else unknown if one is unknown, else false
            result = False
            for condition in self.any:
                value = condition.evaluate(root)
                if value is True:
                    return True
                if value is None:
                    result = None
            return result
        if self.not_ is not None:
            value = self.not_.evaluate(root)
            return None if value is None else not value
        value = resolve(root, self.field) if isinstance(root, Context) else accessor(self.field)(root)
        if self.stated is not None:
            return (value is not None) == self.stated
        value = value.value if isinstance(value, Enum) else value
        if value is None:
            return None
        if self.in_ is not None:
            return value in self.in_
        return value == self.equals

    def fields(self) -> Iterator[str]:
        if self.field is not None:
            yield self.field
        for child in (self.all or []) + (self.any or []) + ([self.not_] if self.not_ else []):
            yield from child.fields()
