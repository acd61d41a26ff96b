"""Kinds on the values of fields: one of a set, a condition, a number within bounds, two fields alike."""
from __future__ import annotations

from typing import Any, ClassVar, Literal

from ..fields import Condition, Context, plain, resolve, text_key
from ..form_types import describe, is_numeric
from ..params import Number, Param, Params, ValueList
from .base import CheckBase, FormChecker, Outcome, Verdict, Words, family_of


class ValueInSet(CheckBase):
    kind: Literal["value_in_set"]
    reports: ClassVar[frozenset[str]] = frozenset({"value", "allowed"})
    field: str
    allowed: Param[ValueList]

    def run(self, context: Context, params: Params) -> Verdict:
        value, allowed = plain(resolve(context, self.field)), params(self.allowed)
        if value is None:  # not stated: unknown, unless ``allowed`` lists null (not stated is allowed)
            return Verdict("passed" if None in allowed else "unknown", value=None, allowed=allowed)
        return Verdict("passed" if value in allowed else "failed", value=value, allowed=allowed)

    def check_against(self, checker: FormChecker) -> None:
        annotation = checker.path(("field",), self.field)
        value, param = checker.value(self.allowed)
        if isinstance(value, list):  # not a list: the type check of ``allowed`` says so
            checker.compare(("allowed",), annotation, value, self.field, param)

    def values_family(self) -> str | None:
        return family_of(self.field)


class ConditionCheck(CheckBase):
    kind: Literal["condition"]
    reports: ClassVar[frozenset[str]] = frozenset({"values"})
    condition: Condition

    def run(self, context: Context, params: Params) -> Verdict:
        values = {field: plain(resolve(context, field)) for field in self.condition.fields()}
        result = self.condition.evaluate(context)
        outcome: Outcome = "unknown" if result is None else ("passed" if result else "failed")
        return Verdict(outcome, values=values)

    def check_against(self, checker: FormChecker) -> None:
        checker.condition(("condition",), self.condition)

    def not_stated(self, observed: dict[str, Any], words: Words) -> list[str]:
        return [words.label(key) for key, value in (observed.get("values") or {}).items() if value is None]

    def shown(self, key: str, value: Any, words: Words) -> str:
        if key == "values" and isinstance(value, dict):  # each field read, with its value
            return "; ".join(f"{words.label(field)}: {words.show(item, family_of(field))}" for field, item in value.items()) or "-"
        return super().shown(key, value, words)


class NumberBetween(CheckBase):
    kind: Literal["number_between"]
    reports: ClassVar[frozenset[str]] = frozenset({"value", "minimum", "maximum"})
    field: str
    minimum: Param[Number] = None
    maximum: Param[Number] = None

    def run(self, context: Context, params: Params) -> Verdict:
        value = resolve(context, self.field)
        low, high = params(self.minimum), params(self.maximum)
        if value is None:
            return Verdict("unknown", value=None, minimum=low, maximum=high)
        inside = (low is None or value >= low) and (high is None or value <= high)
        return Verdict("passed" if inside else "failed", value=plain(value), minimum=low, maximum=high)

    def check_against(self, checker: FormChecker) -> None:
        annotation = checker.path(("field",), self.field)
        if not is_numeric(annotation):
            raise checker.fail(("field",), f"{self.field!r} is {describe(annotation)}, not a number", code="wrong_field_type")

    def values_family(self) -> str | None:
        return family_of(self.field)


class SameValue(CheckBase):
    """Two fields state the same value (texts compared without case, spaces and quotes)."""

    kind: Literal["same_value"]
    reports: ClassVar[frozenset[str]] = frozenset({"value", "other"})
    field: str
    other: str

    def run(self, context: Context, params: Params) -> Verdict:
        value, other = plain(resolve(context, self.field)), plain(resolve(context, self.other))
        if value is None or other is None:
            return Verdict("unknown", value=value, other=other)
        return Verdict("passed" if text_key(value) == text_key(other) else "failed", value=value, other=other)

    def check_against(self, checker: FormChecker) -> None:
        for key in ("field", "other"):
            checker.path((key,), getattr(self, key))

    def values_family(self) -> str | None:
        return family_of(self.field)


__all__ = ["ConditionCheck", "NumberBetween", "SameValue", "ValueInSet"]
