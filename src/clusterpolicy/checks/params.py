"""The values a check computes with, written in the rule or given by ``{param: name}``, and their types.

A check's field that may take a parameter is declared ``Param[T]``: the value is a literal or a
``{param: name}``, and ``T`` (a :class:`ValueType`) says what it must be. When a pack loads, the
rule checker (:mod:`clusterpolicy.checks.rule`) reads each such field, takes the pack's value of
its parameter where it names one, and refuses a value that ``T`` does not accept, saying what
was expected (``minimum must be a whole number, 0 or more; parameter 'x' is 'six'``). At run
time :class:`Params` resolves the references and remembers which parameters a check used.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Union

from ..core.law import ParamRef, Value


class ValueType:
    """What a value a check computes with must be: :meth:`accepts` it, or the pack is refused
    saying :attr:`expected`; :attr:`options` (a closed set of words) give a "did you mean"."""

    expected: ClassVar[str]
    options: ClassVar[tuple[str, ...] | None] = None

    @classmethod
    def accepts(cls, value: Any) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class Number(ValueType):
    expected = "a number"

    @classmethod
    def accepts(cls, value: Any) -> bool:
        return _is_number(value)


class NonNegativeInt(ValueType):
    expected = "a whole number, 0 or more"

    @classmethod
    def accepts(cls, value: Any) -> bool:
        return _is_whole(value) and value >= 0


class Percentage(ValueType):
    expected = "a number above 0 and at most 100"

    @classmethod
    def accepts(cls, value: Any) -> bool:
        return _is_number(value) and 0 < value <= 100


class ValueList(ValueType):
    expected = "a list"

    @classmethod
    def accepts(cls, value: Any) -> bool:
        return isinstance(value, list)


class YesNo(ValueType):
    expected = "yes/no"

    @classmethod
    def accepts(cls, value: Any) -> bool:
        return isinstance(value, bool)


class Years(ValueType):
    expected = "a number of years (0 to 100) or a list of years (1900 to 2199)"

    @classmethod
    def accepts(cls, value: Any) -> bool:
        return (_is_whole(value) and 0 <= value <= 100) or (
            isinstance(value, list) and all(_is_whole(item) and 1900 <= item <= 2199 for item in value)
        )


class DayOfYear(ValueType):
    expected = "a day of the year MM-DD (03-31)"

    @classmethod
    def accepts(cls, value: Any) -> bool:
        if not (isinstance(value, str) and re.fullmatch(r"\d\d-\d\d", value)):
            return False
        try:
            dt.date(2001, int(value[:2]), int(value[3:]))  # a day every year has
        except ValueError:
            return False
        return True


class OneOf(ValueType):
    """One of a closed set of words (:attr:`options`)."""

    @classmethod
    def accepts(cls, value: Any) -> bool:
        return value in cls.options


class TimeOfDay(ValueType):
    expected = "a time HH:MM"

    @classmethod
    def accepts(cls, value: Any) -> bool:
        return isinstance(value, str) and re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value) is not None


def one_of(name: str, options: tuple[str, ...], expected: str | None = None) -> type[ValueType]:
    """A :class:`OneOf` type of these words (expected: "one of a, b, c" unless said otherwise)."""
    return type(name, (OneOf,), {"options": tuple(options), "expected": expected or "one of " + ", ".join(options)})


class Param:
    """``Param[T]``: a check's value, written in the rule or given by ``{param: name}``, of type ``T``."""

    def __class_getitem__(cls, value_type: type[ValueType]) -> Any:
        return Annotated[Union[ParamRef, Any], value_type]


def value_type(annotation_metadata: list[Any]) -> type[ValueType] | None:
    """The :class:`ValueType` of a ``Param[T]`` field (from the field's metadata), or None."""
    for item in annotation_metadata:
        if isinstance(item, type) and issubclass(item, ValueType):
            return item
    return None


class Params:
    """Resolves ``{param: name}`` values and remembers which parameters a check used."""

    __slots__ = ("pack", "used")

    def __init__(self, pack: Any) -> None:
        self.pack, self.used = pack, {}

    def __call__(self, value: Value) -> Any:
        if isinstance(value, ParamRef):
            resolved = self.pack.parameter(value.param)
            self.used[value.param] = resolved
            return resolved
        return value
