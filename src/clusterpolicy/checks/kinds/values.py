"""Kinds on the values of fields: one of a set, a condition, a number within bounds, two fields alike."""
from __future__ import annotations

from typing import Any, ClassVar, Literal

from ..fields import Condition, Context, plain, reader, resolve, text_key
from ..form_types import describe, is_numeric
from ..params import Number, Param, Params, ValueList
from ..form_types import choices, unwrap
from ..results import Remedy
from .base import CheckBase, FormChecker, Outcome, Runner, Verdict, Words, change, family_of, placeholder, set_field, settable, type_of


class ValueInSet(CheckBase):
    kind: Literal["value_in_set"]
    reports: ClassVar[frozenset[str]] = frozenset({"value", "allowed"})
    field: str
    allowed: Param[ValueList]

    def run(self, context: Context, params: Params) -> Verdict:
        return self.compiled().verdict(context, params)

    def compile(self) -> Runner:
        read, allowed_ = reader(self.field), self.allowed

        def decided(value: Any, allowed: Any) -> Outcome:
            if value is None:  # not stated: unknown, unless ``allowed`` lists null (not stated is allowed)
                return "passed" if None in allowed else "unknown"
            return "passed" if value in allowed else "failed"

        def verdict(context: Context, params: Params) -> Verdict:
            value, allowed = plain(read(context)), params(allowed_)
            return Verdict(decided(value, allowed), allowed=allowed, value=value)

        def outcome(context: Context, params: Params) -> str:
            return decided(plain(read(context)), params(allowed_))

        return Runner(verdict, outcome)

    def check_against(self, checker: FormChecker) -> None:
        annotation = checker.path(("field",), self.field)
        value, param = checker.value(self.allowed)
        if isinstance(value, list):  # not a list: the type check of ``allowed`` says so
            checker.compare(("allowed",), annotation, value, self.field, param)

    def values_family(self) -> str | None:
        return family_of(self.field)

    def remedy(self, verdict: Verdict, context: Context, params: Params, words: Words) -> Remedy | None:
        if verdict.outcome == "unknown":
            return self.facts([self.field], words)
        allowed = [value for value in params(self.allowed) if value is not None]
        if not allowed:
            return None
        family_ = self.values_family()
        found = words.show(verdict.observed.get("value"), family_)
        return change(
            words.t("remedy.value_in_set", field=words.label(self.field), allowed=words.show(allowed, family_), found=found),
            settable([set_field(self.field, allowed[0])]),
        )


class ConditionCheck(CheckBase):
    kind: Literal["condition"]
    reports: ClassVar[frozenset[str]] = frozenset({"values"})
    condition: Condition

    def run(self, context: Context, params: Params) -> Verdict:
        return self.compiled().verdict(context, params)

    def compile(self) -> Runner:
        fields = [(field, reader(field)) for field in self.condition.fields()]
        holds = self.condition.on_context()

        def outcome(context: Context, params: Params) -> str:
            result = holds(context)
            return "unknown" if result is None else ("passed" if result else "failed")

        def verdict(context: Context, params: Params) -> Verdict:
            values = {field: plain(read(context)) for field, read in fields}
            return Verdict(outcome(context, params), values=values)  # type: ignore[arg-type]

        return Runner(verdict, outcome)

    def check_against(self, checker: FormChecker) -> None:
        checker.condition(("condition",), self.condition)

    def not_stated(self, observed: dict[str, Any], words: Words) -> list[str]:
        return [words.label(key) for key, value in (observed.get("values") or {}).items() if value is None]

    def remedy(self, verdict: Verdict, context: Context, params: Params, words: Words) -> Remedy | None:
        if verdict.outcome == "unknown":
            return self.facts([field for field, value in (verdict.observed.get("values") or {}).items() if value is None], words)
        wanted = satisfying(self.condition, True, context)
        if wanted is None:
            return None
        shown = "; ".join(
            # a record or a list to be given as a whole: its name (its keys are no words for a reader)
            words.label(field) if isinstance(value, (dict, list)) else f"{words.label(field)}: {words.show(value, family_of(field))}"
            for field, value in wanted.items()
        )
        return change(words.t("remedy.condition", changes=shown), settable([set_field(field, value) for field, value in wanted.items()]))

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
        return self.compiled().verdict(context, params)

    def compile(self) -> Runner:
        read, minimum, maximum = reader(self.field), self.minimum, self.maximum

        def decided(value: Any, low: Any, high: Any) -> Outcome:
            if value is None:
                return "unknown"
            return "passed" if (low is None or value >= low) and (high is None or value <= high) else "failed"

        def verdict(context: Context, params: Params) -> Verdict:
            value = read(context)
            low, high = params(minimum), params(maximum)
            return Verdict(decided(value, low, high), maximum=high, minimum=low, value=plain(value))

        def outcome(context: Context, params: Params) -> str:
            return decided(read(context), params(minimum), params(maximum))

        return Runner(verdict, outcome)

    def check_against(self, checker: FormChecker) -> None:
        annotation = checker.path(("field",), self.field)
        if not is_numeric(annotation):
            raise checker.fail(("field",), f"{self.field!r} is {describe(annotation)}, not a number", code="wrong_field_type")

    def values_family(self) -> str | None:
        return family_of(self.field)

    def remedy(self, verdict: Verdict, context: Context, params: Params, words: Words) -> Remedy | None:
        if verdict.outcome == "unknown":
            return self.facts([self.field], words)
        value, low, high = verdict.observed.get("value"), params(self.minimum), params(self.maximum)
        target = low if low is not None and value < low else high
        if target is None:
            return None
        key = "remedy.number_below" if target is low else "remedy.number_above"
        text = words.t(key, field=words.label(self.field), bound=words.show(target, labelled=False), found=words.show(value, labelled=False))
        return change(text, settable([set_field(self.field, target)]), finding=text)


class SameValue(CheckBase):
    """Two fields state the same value (texts compared without case, spaces and quotes)."""

    kind: Literal["same_value"]
    reports: ClassVar[frozenset[str]] = frozenset({"value", "other"})
    field: str
    other: str

    def run(self, context: Context, params: Params) -> Verdict:
        value, other = plain(reader(self.field)(context)), plain(reader(self.other)(context))
        if value is None or other is None:
            return Verdict("unknown", value=value, other=other)
        return Verdict("passed" if text_key(value) == text_key(other) else "failed", other=other, value=value)

    def check_against(self, checker: FormChecker) -> None:
        for key in ("field", "other"):
            checker.path((key,), getattr(self, key))

    def values_family(self) -> str | None:
        return family_of(self.field)

    def remedy(self, verdict: Verdict, context: Context, params: Params, words: Words) -> Remedy | None:
        if verdict.outcome == "unknown":
            return self.facts([path for path, key in ((self.field, "value"), (self.other, "other")) if verdict.observed.get(key) is None], words)
        other = verdict.observed.get("other")
        text = words.t(
            "remedy.same_value", field=words.label(self.field), other=words.label(self.other),
            value=words.show(other, self.values_family()), found=words.show(verdict.observed.get("value"), self.values_family()),
        )
        return change(text, settable([set_field(self.field, other)]))


__all__ = ["ConditionCheck", "NumberBetween", "SameValue", "ValueInSet"]


def satisfying(condition: Condition, wanted: bool, root: Any) -> dict[str, Any] | None:
    """Values of the condition's fields that make it ``wanted`` (true or false), changing only
    what must change (fields already right keep their values); None if none is found."""
    if condition.all is not None or condition.any is not None:
        children = condition.all if condition.all is not None else condition.any
        every = (condition.all is not None) == wanted  # all true, or (not any) all false
        if every:
            found: dict[str, Any] = {}
            for child in children:
                if child.evaluate(root) is wanted:
                    continue
                part = satisfying(child, wanted, root)
                if part is None:
                    return None
                found.update(part)
            return found
        for child in children:  # one is enough: an already right one, else the first that can be made so
            if child.evaluate(root) is wanted:
                return {}
        for child in children:
            part = satisfying(child, wanted, root)
            if part is not None:
                return part
        return None
    if condition.not_ is not None:
        return satisfying(condition.not_, not wanted, root)
    if condition.evaluate(root) is wanted:
        return {}
    field = condition.field
    if condition.stated is not None:
        stated = condition.stated == wanted
        return {field: placeholder(type_of(field)) if stated else None}
    if wanted:
        return {field: condition.equals if condition.in_ is None else condition.in_[0]}
    excluded = [condition.equals] if condition.in_ is None else list(condition.in_)
    core = unwrap(type_of(field))
    options = [True, False] if core is bool else list(choices(core) or ())
    other = [option for option in options if plain(option) not in excluded]
    return {field: plain(other[0])} if other else None
