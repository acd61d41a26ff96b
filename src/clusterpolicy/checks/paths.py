"""A rule checked against the input models when its pack loads, before any application is seen.

A misspelt field path would otherwise make every application *undetermined* ("not stated"),
a misspelt ``when`` would switch a rule off, a misspelt document kind or enum value would fail
it for everyone, and an unknown ``{placeholder}`` would reach the applicant as written. So each
rule of a topic file is read against :class:`~clusterpolicy.input.decree535_form.Application` (and
:class:`~clusterpolicy.input.decree535_form.Competition` for ``competition.`` paths), with the same
path semantics as :func:`clusterpolicy.checks.kinds.resolve` at run time:

- a field path of a check (``field``, ``timestamp``, ``deadline``, ``start``, ``end``,
  ``collection``, ``base`` and each of ``fields``) or of a ``when`` condition resolves, through
  optional values, nested models, dictionaries and list indexes (``binding.volumes.1``);
- a ``where`` condition resolves on an item of its collection, and the field lists of
  ``each_item_has`` name fields of that item;
- a document kind, and each value a condition or ``value_in_set`` compares with, exists in the
  enumeration of the field it tests;
- each ``{placeholder}`` of the message, in every language, is something the check reports
  (its ``reports``) or a parameter the rule uses;
- a value the check computes with (``minimum``, ``allowed``, ``unit``...) has the type it needs,
  written in the rule or given by a ``{param: name}``.

The first problem raises :class:`~clusterpolicy.core.errors.RulePackError` located at the value
(``rules/x/contents.yaml:123: rules[4].check.field``), with "did you mean" for a misspelt name.
"""

from __future__ import annotations

import datetime as dt
import re
import difflib
import string
import types
import typing
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import Annotated, Any, Iterator, Literal, Union

from pydantic import BaseModel

from ..calendar.terms import Unit
from ..core.errors import Location, RulePackError
from ..core.law import Parameter, ParamRef
from ..core.sources import Document
from ..input.decree535_form import Application, Competition
from .affiliation import GROUPINGS
from .kinds import CheckBase, Condition, Rule

_ANY = object()
"""The type of a value the models do not describe (``Any``): nothing below it is checked."""


class PathProblem(Exception):
    """A path that does not resolve: what is wrong, and a close name if there is one."""

    def __init__(self, message: str, guess: str | None = None) -> None:
        super().__init__(message)
        self.message, self.guess = message, guess


# --------------------------------------------------------------------------- types of the models


def _unwrap(annotation: Any) -> Any:
    """The type under ``Annotated[...]`` and ``X | None``; a union of several types stays a union."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        elif annotation is Any:
            return _ANY
        else:
            return annotation


def _cores(annotation: Any) -> set[Any]:
    """The types a field may hold: one, or each member of a union (a deadline: a moment or a day)."""
    core = _unwrap(annotation)
    if typing.get_origin(core) in (Union, types.UnionType):
        return {_unwrap(arg) for arg in typing.get_args(core) if arg is not type(None)}
    return {core}


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _names(model: type[BaseModel]) -> list[str]:
    """What ``getattr`` reaches on a model instance: its fields and its properties."""
    properties = [name for name in dir(model) if isinstance(getattr(model, name, None), property)]
    return list(model.model_fields) + [name for name in properties if not name.startswith("_")]


def _describe(annotation: Any) -> str:
    core = _unwrap(annotation)
    if _is_model(core):
        return f"a {core.__name__}"
    origin = typing.get_origin(core)
    if origin in (list, tuple):
        return "a list"
    if origin is dict:
        return "a mapping"
    if origin is Literal or (isinstance(core, type) and issubclass(core, Enum)):
        return "one of a fixed set of values"
    if core is bool:
        return "yes/no"
    if isinstance(core, type):
        return {str: "a text", int: "a number", Decimal: "a number", float: "a number", dt.date: "a date",
                dt.datetime: "a moment"}.get(core, f"a {core.__name__}")
    return "a value"


def _step(annotation: Any, part: str) -> Any:
    """The type one step below ``annotation``, as :func:`~clusterpolicy.checks.kinds.resolve` takes it."""
    core = _unwrap(annotation)
    origin = typing.get_origin(core)
    if core is _ANY or origin in (Union, types.UnionType):  # not described, or one of several types
        return _ANY
    if origin in (list, tuple):
        if not (part.isascii() and part.isdigit()):
            raise PathProblem(f"{part!r} is read on a list, whose items are reached by number (e.g. '0', '1')")
        args = [arg for arg in typing.get_args(core) if arg is not Ellipsis]
        return args[0] if args else _ANY
    if origin is dict:
        args = typing.get_args(core)
        return args[1] if len(args) == 2 else _ANY
    if _is_model(core):
        if part in core.model_fields:
            return core.model_fields[part].annotation
        attribute = getattr(core, part, None)
        if isinstance(attribute, property) and not part.startswith("_"):
            return typing.get_type_hints(attribute.fget).get("return", _ANY)
        guess = difflib.get_close_matches(part, _names(core), n=1)
        raise PathProblem(f"{core.__name__} has no field {part!r}", guess[0] if guess else None)
    raise PathProblem(f"{part!r} is read on {_describe(core)}, which has no fields")


@lru_cache(maxsize=None)
def field_type(root: type[BaseModel], path: str, in_context: bool = True) -> Any:
    """The type a dotted ``path`` leads to, read from ``root`` (``PathProblem`` if it does not resolve).

    ``in_context``: the path is read as a rule reads it from an application and its competition
    (``competition.`` prefix, optional ``application.``); otherwise plainly, below ``root``.
    """
    parts = path.split(".") if path else []
    if in_context:
        head = parts[0] if parts else ""
        if head == "competition":
            root, parts = Competition, parts[1:]
        elif head == "application":
            parts = parts[1:]
    annotation: Any = root
    written = path.split(".")
    offset = len(written) - len(parts)
    for index, part in enumerate(parts):
        try:
            annotation = _step(annotation, part)
        except PathProblem as problem:
            guess = None
            if problem.guess is not None:  # the whole path, with the misspelt step corrected
                guess = ".".join(written[: offset + index] + [problem.guess] + written[offset + index + 1 :])
            raise PathProblem(problem.message, guess) from None
    return annotation


def choices(annotation: Any) -> tuple[Any, ...] | None:
    """The values a field of this type can take when a rule compares it (an enum's values), or None."""
    core = _unwrap(annotation)
    if isinstance(core, type) and issubclass(core, Enum):
        return tuple(member.value for member in core)
    if typing.get_origin(core) is Literal:
        return typing.get_args(core)
    if core is bool:
        return (True, False)
    return None


def _yaml_text(value: Any) -> str:
    """A value as a pack writes it (``true``, not ``True``)."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _is_member(value: Any, allowed: tuple[Any, ...]) -> bool:
    return any(value == item and isinstance(value, bool) == isinstance(item, bool) for item in allowed)


def _item_type(annotation: Any) -> Any:
    """The item type of a list, ``_ANY`` if unknown, None if ``annotation`` is not a list."""
    core = _unwrap(annotation)
    if core is _ANY:
        return _ANY
    if typing.get_origin(core) in (list, tuple):
        args = [arg for arg in typing.get_args(core) if arg is not Ellipsis]
        return args[0] if args else _ANY
    return None


# --------------------------------------------------------------------------- values of checks

_NUMBER = "a number"
_COUNT = "a whole number, 0 or more"
_VALUE_TYPES: dict[str, dict[str, str]] = {
    "value_in_set": {"allowed": "a list"},
    "count_at_least": {"minimum": _COUNT},
    "number_between": {"minimum": _NUMBER, "maximum": _NUMBER},
    "within_term": {"amount": _COUNT, "unit": "a unit"},
    "on_time": {"date_only_cutoff": "a cutoff", "close_of_business": "a time"},
    "each_item_complete": {"years": "years"},
    "covers_values": {"values": "a list"},
    "unaffiliated_legal_entities": {
        "minimum": _COUNT,
        "ownership_threshold_percent": "a percentage",
        "include_shared_officials": "yes/no",
        "grouping": "a grouping",
    },
}
"""Check kind -> the values it computes with (literal or ``{param: name}``) -> the type each needs."""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _has_type(value: Any, expected: str) -> bool:
    is_number = _is_number(value)
    if expected == _NUMBER:
        return is_number
    if expected == _COUNT:
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    if expected == "a percentage":
        return is_number and 0 < value <= 100
    if expected == "a list":
        return isinstance(value, list)
    if expected == "years":  # a count of years, or a list of years
        whole = lambda item: isinstance(item, int) and not isinstance(item, bool)  # noqa: E731
        return (whole(value) and 0 <= value <= 100) or (isinstance(value, list) and all(whole(item) and 1900 <= item <= 2199 for item in value))
    if expected == "yes/no":
        return isinstance(value, bool)
    if expected == "a unit":
        return value in {unit.value for unit in Unit}
    if expected == "a grouping":
        return value in GROUPINGS
    if expected == "a cutoff":
        return value in ("end_of_day", "close_of_business")
    if expected == "a time":
        return isinstance(value, str) and re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value) is not None
    raise AssertionError(expected)  # pragma: no cover - a type named in _VALUE_TYPES but not here


def _expected_text(expected: str) -> str:
    if expected == "a unit":
        return "one of " + ", ".join(unit.value for unit in Unit)
    if expected == "a grouping":
        return "one of " + ", ".join(GROUPINGS)
    if expected == "a percentage":
        return "a number above 0 and at most 100"
    if expected == "a cutoff":
        return "end_of_day or close_of_business"
    if expected == "a time":
        return "a time HH:MM"
    if expected == "years":
        return "a number of years (0 to 100) or a list of years (1900 to 2199)"
    return expected


# --------------------------------------------------------------------------- checking a rule


class _RuleChecker:
    def __init__(self, rule: Rule, document: Document, index: int, parameters: dict[str, Parameter]) -> None:
        self.rule, self.document, self.parameters = rule, document, parameters
        self.at: tuple[Any, ...] = ("rules", index)

    def fail(self, path: tuple[Any, ...], message: str, *, code: str, guess: str | None = None) -> RulePackError:
        full = self.at + path
        if guess is not None:
            message += f" (did you mean {guess!r}?)"
        return RulePackError(
            f"rule {self.rule.id!r}: {message}",
            location=Location(self.document.file, self.document.line_of(full), full),
            code=code,
        )

    def path(self, where: tuple[Any, ...], path: str, root: type[BaseModel] = Application, in_context: bool = True) -> Any:
        try:
            return field_type(root, path, in_context)
        except PathProblem as problem:
            below = "" if in_context else f" (read below a {root.__name__})"
            raise self.fail(where, f"field {path!r}{below} does not resolve: {problem.message}", code="unknown_field", guess=problem.guess) from None

    def value(self, value: Any) -> tuple[Any, str | None]:
        """A value as the check will see it, and the parameter it comes from."""
        if isinstance(value, ParamRef):
            parameter = self.parameters.get(value.param)
            return (None if parameter is None else parameter.value), value.param
        return value, None

    def compare(self, where: tuple[Any, ...], annotation: Any, values: list[Any], field: str, param: str | None) -> None:
        """Each of ``values`` (written at ``where``, or given by parameter ``param``) is one ``field`` can take."""
        allowed = choices(annotation)
        if allowed is None:
            return
        for index, value in enumerate(values):
            if _is_member(value, allowed):
                continue
            texts = [_yaml_text(item) for item in allowed]
            guess = difflib.get_close_matches(str(value), texts, n=1)
            spot = where if param or where[-1] == "equals" else where + (index,)
            source = f" (from parameter {param!r})" if param else ""
            raise self.fail(
                spot,
                f"{_yaml_text(value) if isinstance(value, bool) else repr(value)}{source} is not a value {field!r} can take; it is one of: {', '.join(texts)}",
                code="unknown_value", guess=guess[0] if guess else None,
            )

    def condition(self, where: tuple[Any, ...], condition: Condition, root: type[BaseModel] = Application, in_context: bool = True) -> None:
        for key, children in (("all", condition.all), ("any", condition.any)):
            for index, child in enumerate(children or []):
                self.condition(where + (key, index), child, root, in_context)
        if condition.not_ is not None:
            self.condition(where + ("not",), condition.not_, root, in_context)
        if condition.field is None:
            return
        annotation = self.path(where + ("field",), condition.field, root, in_context)
        if condition.stated is not None:
            return
        key, tested = ("in", condition.in_) if condition.in_ is not None else ("equals", [condition.equals])
        for index, value in enumerate(tested):
            if isinstance(value, dict) and "param" in value:
                raise self.fail(
                    where + ((key, index) if key == "in" else (key,)),
                    "a condition compares with the value as written; {param: ...} is not read here",
                    code="bad_parameter",
                )
        self.compare(where + (key,), annotation, list(tested), condition.field, None)

    def check(self) -> None:
        rule, check = self.rule, self.rule.check
        if rule.when is not None:
            self.condition(("when",), rule.when)
        kind = check.kind
        at = ("check",)
        if kind in ("value_in_set", "number_between"):
            annotation = self.path(at + ("field",), check.field)
            core = _unwrap(annotation)
            numeric = core in (int, Decimal, float, _ANY) or (
                typing.get_origin(core) is Literal and all(_is_number(value) for value in typing.get_args(core)))
            if kind == "number_between" and not numeric:
                raise self.fail(at + ("field",), f"{check.field!r} is {_describe(annotation)}, not a number", code="wrong_field_type")
        elif kind == "condition":
            self.condition(at + ("condition",), check.condition)
        elif kind == "all_stated":
            base = self.path(at + ("base",), check.base) if check.base else None
            for index, name in enumerate(check.fields):
                if base is None:
                    self.path(at + ("fields", index), name)
                else:
                    self._relative(at + ("fields", index), base, name)
        elif kind == "document_required":
            kinds = choices(field_type(Application, "documents.0.kind"))
            if check.document not in kinds:
                guess = difflib.get_close_matches(check.document, kinds, n=1)
                raise self.fail(
                    at + ("document",),
                    f"{check.document!r} is not a document kind; the kinds are: {', '.join(kinds)}",
                    code="unknown_value", guess=guess[0] if guess else None,
                )
        elif kind in ("count_at_least", "each_item_has"):
            item = self._collection(at + ("collection",), check.collection)
            if kind == "count_at_least" and check.where is not None:
                core = _unwrap(item)
                if _is_model(core):  # a dict or an undescribed item: nothing to check against
                    self.condition(at + ("where",), check.where, core, in_context=False)
            if kind == "each_item_has":
                for element, names in check.elements.items():
                    for index, name in enumerate(names):
                        self._item_field(at + ("elements", element, index), item, name)
        elif kind == "each_item_complete":
            item = self._collection(at + ("collection",), check.collection)
            core = _unwrap(item)
            for element, names in check.elements.items():
                for index, name in enumerate(names):
                    self._below(at + ("elements", element, index), core, name)
            for key in ("not_before", "yearly_list"):
                if getattr(check, key) is not None:
                    self._below(at + (key,), core, getattr(check, key))
            if check.years_before is not None:
                self.path(at + ("years_before",), check.years_before)
            if check.yearly_list is not None:
                row = _unwrap(_item_type(field_type(core, check.yearly_list, in_context=False)) if _is_model(core) else _ANY)
                for index, name in enumerate([check.year_field, *check.yearly_fields]):
                    self._below(at + ("yearly_fields", index) if index else at + ("year_field",), row, name)
        elif kind == "all_listed":
            item = _unwrap(self._collection(at + ("collection",), check.collection))
            row = _unwrap(self._collection(at + ("among",), check.among))
            if check.where is not None and _is_model(item):
                self.condition(at + ("where",), check.where, item, in_context=False)
            for index, name in enumerate(check.by):
                self._below(at + ("by", index), item, name)
                self._below(at + ("by", index), row, name)
        elif kind == "same_value":
            for key in ("field", "other"):
                self.path(at + (key,), getattr(check, key))
        elif kind == "covers_values":
            item = _unwrap(self._collection(at + ("collection",), check.collection))
            self._below(at + ("field",), item, check.field)
            value, param = self.value(check.values)
            if _is_model(item) and isinstance(value, list):
                self.compare(at + ("values",), field_type(item, check.field, in_context=False), value, f"{check.collection}.{check.field}", param)
        elif kind == "on_time":  # two moments, or two dates, or a moment and a deadline that may be a day
            found = {key: _cores(self.path(at + (key,), getattr(check, key))) for key in ("timestamp", "deadline")}
            for key, cores in found.items():
                if not cores <= {dt.datetime, dt.date, _ANY}:
                    core = next(iter(cores - {dt.datetime, dt.date, _ANY}))
                    raise self.fail(at + (key,), f"{getattr(check, key)!r} is {_describe(core)}, not a moment", code="wrong_field_type")
            # a field that may hold a moment or a day is judged by what it holds (kinds.OnTime)
            mixed = {frozenset(found["timestamp"]), frozenset(found["deadline"])} == {frozenset({dt.datetime}), frozenset({dt.date})}
            if mixed:
                key = "deadline" if found["timestamp"] == {dt.datetime} else "timestamp"
                raise self.fail(
                    at + (key,),
                    f"{getattr(check, key)!r} is a date, not a moment: on_time compares two moments or two dates",
                    code="wrong_field_type",
                )
        elif kind == "within_term":
            for key in ("start", "end"):
                annotation = self.path(at + (key,), getattr(check, key))
                if _unwrap(annotation) not in (dt.date, _ANY):
                    raise self.fail(at + (key,), f"{getattr(check, key)!r} is {_describe(annotation)}, not a date", code="wrong_field_type")
        self._values(check)
        self._message(check)

    def _relative(self, where: tuple[Any, ...], base: Any, name: str) -> None:
        """``name`` read below the type ``base`` (an ``all_stated`` field below its ``base``)."""
        core = _unwrap(base)
        if _is_model(core):
            self.path(where, name, core, in_context=False)
            return
        annotation = core
        try:
            for part in name.split("."):
                annotation = _step(annotation, part)
        except PathProblem as problem:
            raise self.fail(where, f"field {name!r} does not resolve below the base: {problem.message}", code="unknown_field", guess=problem.guess) from None

    def _below(self, where: tuple[Any, ...], model: Any, name: str) -> None:
        """``name`` read below an item of type ``model`` (nothing to check when it is not described)."""
        if _is_model(model):
            self.path(where, name, model, in_context=False)

    def _collection(self, where: tuple[Any, ...], path: str) -> Any:
        annotation = self.path(where, path)
        item = _item_type(annotation)
        if item is None:
            raise self.fail(where, f"{path!r} is {_describe(annotation)}, not a list", code="wrong_field_type")
        return item

    def _item_field(self, where: tuple[Any, ...], item: Any, name: str) -> None:
        core = _unwrap(item)
        if _is_model(core) and name not in core.model_fields:
            guess = difflib.get_close_matches(name, list(core.model_fields), n=1)
            raise self.fail(where, f"an item of the collection ({core.__name__}) has no field {name!r}", code="unknown_field", guess=guess[0] if guess else None)

    def _values(self, check: CheckBase) -> None:
        expected_types = _VALUE_TYPES.get(check.kind, {})
        for key, expected in expected_types.items():
            written = getattr(check, key)
            value, param = self.value(written)
            if value is None and type(check).model_fields[key].default is None:
                continue
            if not _has_type(value, expected):
                source = f"parameter {param!r} is {value!r}" if param else f"{value!r} was given"
                guess = None
                if expected in ("a unit", "a grouping") and isinstance(value, str):
                    options = [unit.value for unit in Unit] if expected == "a unit" else list(GROUPINGS)
                    found = difflib.get_close_matches(value, options, n=1)
                    guess = found[0] if found else None
                raise self.fail(("check", key), f"{key} must be {_expected_text(expected)}; {source}", code="bad_parameter", guess=guess)
        if check.kind == "value_in_set":
            value, param = self.value(check.allowed)
            annotation = field_type(Application, check.field)
            self.compare(("check", "allowed"), annotation, list(value), check.field, param)

    def _message(self, check: CheckBase) -> None:
        reports, parameters = type(check).reports, None
        for lang in ("kk", "ru", "en"):
            text = getattr(self.rule.message, lang)
            try:
                fields = _placeholders(text)
            except ValueError as exc:
                raise self.fail(("message", lang), f"the {lang} message cannot be filled in: {exc}", code="bad_placeholder") from None
            for name in fields:
                root = name.split(".")[0].split("[")[0]
                if not root or root.isdigit():
                    raise self.fail(("message", lang), f"the {lang} message has a placeholder without a name: {{{name}}}", code="bad_placeholder")
                if root in reports:
                    continue
                parameters = self.rule.parameter_names() if parameters is None else parameters
                if root not in parameters:
                    guess = difflib.get_close_matches(root, sorted(reports | set(parameters)), n=1)
                    raise self.fail(
                        ("message", lang),
                        f"the {lang} message has {{{root}}}, which is neither reported by {check.kind} "
                        f"({', '.join(sorted(type(check).reports))}) nor a parameter of the rule ({', '.join(self.rule.parameter_names()) or 'none'})",
                        code="unknown_placeholder", guess=guess[0] if guess else None,
                    )


@lru_cache(maxsize=4096)
def _placeholders(text: str) -> tuple[str, ...]:
    """The ``{placeholders}`` of a message as ``str.format`` reads them (``ValueError`` if it cannot)."""
    if "{" not in text and "}" not in text:
        return ()
    return tuple(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def check_rule(rule: Rule, document: Document, line: int | None, parameters: dict[str, Parameter]) -> None:
    """Check one rule of a topic file (read from ``document``, starting on ``line``) against the models."""
    _RuleChecker(rule, document, _index_of(rule, document, line), parameters).check()


_last_file: tuple[Any, dict[Any, int]] = (None, {})
"""The topic file read last, and its rules' (line, id) -> index (a pack's rules come file by file)."""


def _index_of(rule: Rule, document: Document, line: int | None) -> int:
    """The rule's index in the file's ``rules:`` list: the item that starts on ``line`` with its id."""
    global _last_file
    read, starts = _last_file
    if read is not document:
        items = document.data.get("rules", []) if isinstance(document.data, dict) else []
        starts = {}
        for index, item in enumerate(items):
            if isinstance(item, dict):
                starts.setdefault((document.lines.get(("rules", index)), item.get("id")), index)
                starts.setdefault((None, item.get("id")), index)
        _last_file = (document, starts)
    return starts.get((line, rule.id), starts.get((None, rule.id), 0))


def check_kinds() -> Iterator[type[CheckBase]]:
    """Every check kind a rule may use (for tests and docs)."""
    yield from CheckBase.__subclasses__()
