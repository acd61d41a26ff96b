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
from operator import attrgetter
from typing import Any, Iterator

from pydantic import BaseModel, Field, model_validator

from ..core.law import Strict
from .affiliation import normalise_name


class Context:
    """What a rule can look at: ``application.*`` (the default root) and ``competition.*``.

    ``memo`` holds what several checks of one evaluation read alike, computed once per context
    (the kinds of the documents listed: :func:`memo`)."""

    __slots__ = ("application", "competition", "calendar", "memo")

    def __init__(self, application: Any, competition: Any = None, *, calendar: Any = None) -> None:
        self.application = application
        self.competition = competition
        self.calendar = calendar
        self.memo: dict[Any, Any] = {}


def memo(context: Context, key: Any, make: Any) -> Any:
    """``make(context)``, computed once per context and ``key`` (the same for every check that asks)."""
    found = context.memo.get(key, _MISSING)
    if found is _MISSING:
        found = context.memo[key] = make(context)
    return found


_MISSING = object()


# --------------------------------------------------------------------------- compiled forms


class _Compiled:
    """The compiled form of a frozen model of a pack (a check, a condition), kept in the model's
    ``__dict__`` beside its fields: computed on first use, once per model object, whatever loaded
    the pack. It belongs to the ``__dict__`` it was made for: a copy (``model_copy``, which may
    change the fields) gets a new ``__dict__`` and compiles its own. Equality, deep copies and
    pickling ignore it (a copy starts uncompiled)."""

    __slots__ = ("fields", "value")

    def __init__(self, fields: Any, value: Any) -> None:
        self.fields, self.value = fields, value

    def __eq__(self, other: object) -> bool:  # models compare by their fields, compiled or not
        return isinstance(other, _Compiled)

    __hash__ = None  # type: ignore[assignment]

    def __deepcopy__(self, memo: Any) -> _Compiled:
        return _Compiled(None, None)

    def __reduce__(self) -> Any:
        return (_Compiled, (None, None))


COMPILED = "_compiled"
"""The key of a model's compiled form in its ``__dict__`` (no field's name begins with ``_``)."""


def compiled(model: Any, build: Any) -> Any:
    """``build(model)``, made once per model object and kept with it (:class:`_Compiled`)."""
    fields = model.__dict__
    found = fields.get(COMPILED)
    if found is not None and found.fields is fields:
        return found.value
    value = build(model)
    fields[COMPILED] = _Compiled(fields, value)
    return value


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


_CONTAINERS = (dict, list)
"""The steps a path takes by key or index, told by ``issubclass(type(value), _CONTAINERS)``: the
same answer as ``isinstance`` for the values of a form, without it (``isinstance`` of a pydantic model
against a class it is not reads the model's ``__class__`` through pydantic's ``__getattr__`` hook,
two such reads for two classes: a tenth of the 9-check slice's reading)."""


@lru_cache(maxsize=None)
def accessor(path: str) -> Any:
    """``resolve(root, path)`` for a root that is not a :class:`Context`, compiled once per path:
    a function of the root. A step through models and mappings is one attribute or key read; the
    rare root that is a list (a numeric step) goes through :func:`resolve` itself."""
    return _compiled(_split_path(path), None)


def _compiled(parts: tuple[str, ...], root: str | None) -> Any:
    """The function that reads ``parts`` below its argument (``root`` None: :func:`accessor`), or
    below its argument's attribute ``root`` (a :class:`Context`'s ``application`` or
    ``competition``: :func:`reader`, one call per read, not one for the context and one below)."""
    root_of = attrgetter(root) if root is not None else None
    if not parts:
        return root_of if root_of is not None else (lambda root: root)

    def step(value: Any, part: str) -> Any:
        if type(value) is dict:
            return value.get(part)
        if issubclass(type(value), list):
            index = int(part) if part.isascii() and part.isdigit() else len(value)
            return value[index] if index < len(value) else None
        return value.get(part) if issubclass(type(value), dict) else getattr(value, part, None)

    if len(parts) == 1:
        (only,) = parts
        if root_of is not None:

            def read_one_below(context: Any) -> Any:
                value = root_of(context)
                if value is None:
                    return None
                if issubclass(type(value), _CONTAINERS):
                    return step(value, only)
                return getattr(value, only, None)

            return read_one_below

        def read_one(root: Any) -> Any:
            if root is None:
                return None
            if issubclass(type(root), _CONTAINERS):
                return step(root, only)
            return getattr(root, only, None)

        return read_one

    def read(root: Any) -> Any:
        value = root if root_of is None else root_of(root)
        for part in parts:
            if value is None:
                return None
            if issubclass(type(value), _CONTAINERS):
                value = step(value, part)
            else:  # a model (most steps): one attribute read
                value = getattr(value, part, None)
        return value

    return read


@lru_cache(maxsize=None)
def reader(path: str) -> Any:
    """``resolve(context, path)`` for a :class:`Context`, compiled once per path: a function of the context."""
    in_competition, parts = _steps(path)
    return _compiled(parts, "competition" if in_competition else "application")


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
        return value._value_  # the member's value as stored (the ``value`` property is a Python call)
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
        """True, false, or None (unknown: a field it compares is not stated), on a :class:`Context`
        or on an item of a collection (a ``where``); run in the form compiled once per condition
        (:func:`compiled_condition`), which :meth:`evaluated` states."""
        on_item, on_context, _ = compiled(self, _compile_condition)
        return on_context(root) if isinstance(root, Context) else on_item(root)

    def on_item(self) -> Any:
        """The condition compiled for an item root (a ``where``): a function of the item."""
        return compiled(self, _compile_condition)[0]

    def on_context(self) -> Any:
        """The condition compiled for a :class:`Context` (a rule's ``when``): a function of the context."""
        return compiled(self, _compile_condition)[1]

    def verdicts(self) -> Any:
        """The condition compiled for a list of items (a ``where``): a function of the list giving
        each item's value; every item equal to an ``all`` of plain ``equals`` is seen in C."""
        return compiled(self, _compile_condition)[2]

    def evaluated(self, root: Any) -> bool | None:
        """The condition's value as its definition reads (what the compiled form computes: the tests compare them)."""
        if self.all is not None:  # false if one is false, else unknown if one is unknown, else true
            result: bool | None = True
            for condition in self.all:
                value = condition.evaluated(root)
                if value is False:
                    return False
                if value is None:
                    result = None
            return result
        if self.any is not None:  # true if one is true, else unknown if one is unknown, else false
            result = False
            for condition in self.any:
                value = condition.evaluated(root)
                if value is True:
                    return True
                if value is None:
                    result = None
            return result
        if self.not_ is not None:
            value = self.not_.evaluated(root)
            return None if value is None else not value
        value = resolve(root, self.field) if isinstance(root, Context) else accessor(self.field)(root)
        if self.stated is not None:
            return (value is not None) == self.stated
        value = value._value_ if isinstance(value, Enum) else value
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


def _compile_condition(condition: Condition) -> tuple[Any, Any, Any]:
    """A condition as three functions, of an item, of a :class:`Context` and of a list of items:
    each field path resolved to its accessor once, each combinator a loop over its compiled children."""
    on_item = _compiled_for(condition, False)
    fast = _all_equal(condition.all) if condition.all is not None else _equal(condition)
    if fast is None:
        def verdicts(items: Any) -> list[bool | None]:
            return list(map(on_item, items))
    else:
        getter, wanted = fast

        def verdicts(items: Any) -> list[bool | None]:
            try:
                found = list(map(getter, items))
            except AttributeError:  # a dict item, or one without the field: as written
                return list(map(on_item, items))
            if found.count(wanted) == len(found):  # every item: all true
                return [True] * len(found)
            return [True if values == wanted else on_item(item) for values, item in zip(found, items)]

    return on_item, _compiled_for(condition, True), verdicts


def _compiled_for(condition: Condition, in_context: bool) -> Any:
    if condition.all is not None or condition.any is not None:
        children = tuple(_compiled_for(child, in_context) for child in (condition.all if condition.all is not None else condition.any))
        # all: false if one is false, else unknown if one is, else true; any: the same with true and false swapped
        decisive = condition.all is None

        def combined(root: Any) -> bool | None:
            result: bool | None = not decisive
            for child in children:
                value = child(root)
                if value is decisive:
                    return decisive
                if value is None:
                    result = None
            return result

        return combined
    if condition.not_ is not None:
        inner = _compiled_for(condition.not_, in_context)

        def negated(root: Any) -> bool | None:
            value = inner(root)
            return None if value is None else not value

        return negated
    read = reader(condition.field) if in_context else accessor(condition.field)
    if condition.stated is not None:
        stated = condition.stated

        def is_given(root: Any) -> bool:
            return (read(root) is not None) == stated

        return is_given
    allowed, equals = condition.in_, condition.equals

    def compare(root: Any) -> bool | None:
        value = read(root)
        if isinstance(value, Enum):
            value = value._value_
        if value is None:
            return None
        return value in allowed if allowed is not None else value == equals

    return compare


def _equal(condition: Condition) -> tuple[Any, Any] | None:
    """For one ``equals`` test on a plain field of an item (a ``where``): an attrgetter of the field
    and the value it equals, read as :func:`_all_equal` reads several (where the value read equals
    it, the test is true; anything else is decided by the test as written)."""
    if condition.field is None or condition.equals is None or condition.in_ is not None or condition.stated is not None or "." in condition.field:
        return None
    return attrgetter(condition.field), condition.equals


def _all_equal(children: list[Condition]) -> tuple[Any, tuple[Any, ...]] | None:
    """For ``all`` of ``equals`` tests on plain fields of an item (a ``where``): an attrgetter of the
    fields and the values they equal. Where the tuple it reads equals the values, every test is
    true (each value equals its own, as the test compares; an enumeration equal to a text is
    equal by that text); anything else (a value that differs, a missing field, a dict item) is
    decided by the tests as written."""
    if len(children) < 2 or any(child.field is None or child.equals is None or "." in child.field for child in children):
        return None
    return attrgetter(*(child.field for child in children)), tuple(child.equals for child in children)
