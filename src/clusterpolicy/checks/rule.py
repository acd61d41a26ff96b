"""A rule of a pack, and its check against the form when the pack loads, before any application is seen.

A :class:`Rule` has a stable id, a citation, a severity, the stages it applies to, an optional
``when`` condition, a ``check`` of one of the kinds (:mod:`clusterpolicy.checks.kinds`) and a
failure message in kk/ru/en.

A misspelt field path would otherwise make every application *undetermined* ("not stated"),
a misspelt ``when`` would switch a rule off, a misspelt document kind or enum value would fail
it for everyone, and an unknown ``{placeholder}`` would reach the applicant as written. So each
rule of a topic file is read against :class:`~clusterpolicy.input.decree535_form.Application` (and
:class:`~clusterpolicy.input.decree535_form.Competition` for ``competition.`` paths), with the same
path semantics as :func:`clusterpolicy.checks.fields.resolve` at run time
(:mod:`clusterpolicy.checks.form_types`). :class:`RuleChecker` checks what every rule has:

- the field paths of a ``when`` condition resolve, and each value it compares with is one the
  field can take;
- each value the check computes with (a ``Param[T]`` field: ``minimum``, ``allowed``, ``unit``...)
  is of its type ``T``, written in the rule or given by a ``{param: name}``;
- each ``{placeholder}`` of the message, in every language, is something the check reports
  (its ``reports``) or a parameter the rule uses;

and the check's own kind checks its paths and values (``check_against``: a field path of the
check, a ``where`` condition on an item of its collection, a document kind...).

The first problem raises :class:`~clusterpolicy.core.errors.RulePackError` located at the value
(``rules/x/contents.yaml:123: rules[4].check.field``), with "did you mean" for a misspelt name.
"""

from __future__ import annotations

import difflib
import string
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, PositiveInt

from ..core.errors import Location, RulePackError
from ..core.i18n import Text
from ..core.law import Citation, Parameter, ParamRef, Strict
from ..core.sources import Document, validate
from ..input.decree535_form import Application
from .fields import Condition, compiled
from .form_types import PathProblem, choices, describe, field_type, is_member, is_model, item_type, step, unwrap, yaml_text
from .kinds import Check, CheckBase
from .params import value_type

Severity = Literal["disqualifying", "return", "warning", "info"]


class Rule(Strict):
    """One rule of a pack."""

    id: str = Field(pattern=r"^[a-z0-9]+(\.[a-z0-9-]+)+$", description="Stable id: topic.name.")
    title: Text
    citation: Citation
    severity: Severity | ParamRef = Field(description="A severity, or {param: name} where the act leaves it to a choice.")
    stages: Annotated[list[PositiveInt], Field(min_length=1)] | ParamRef = Field(
        description="The stages the rule applies at (those of the pack's procedure), or {param: name} where the act leaves them to a choice."
    )
    when: Condition | None = None
    check: Check
    message: Text = Field(description="Shown when the check fails; {placeholders} are observed values and parameters.")
    note: Text | str | None = Field(None, description="Why the rule reads the act as it does: kk/ru/en (a plain text is shown in every language).")

    def parameter_names(self) -> list[str]:
        return sorted(set(self.check.parameter_names()) | set(self.gate_parameters()))

    def gate_parameters(self) -> dict[str, str]:
        """The parameters that set this rule's severity or stages: ``{name: "severity" | "stages"}``."""
        return {value.param: key for key in ("severity", "stages") if isinstance(value := getattr(self, key), ParamRef)}

    def compiled(self) -> CompiledRule:
        """The rule compiled for evaluation: its ``when`` and its check (:meth:`CheckBase.compiled`),
        made on first use and kept with this rule object, however its pack was loaded."""
        return compiled(self, CompiledRule)

    def resolved(self, parameter: Any) -> Rule:
        """The rule with its severity and stages read from ``parameter(name)`` (a pack's values);
        a ValueError names what the parameter should hold."""
        update: dict[str, Any] = {}
        for name, key in self.gate_parameters().items():
            value = parameter(name)
            if key == "severity" and value not in ("disqualifying", "return", "warning", "info"):
                raise ValueError(f"parameter {name!r} sets the severity: one of disqualifying, return, warning, info, not {value!r}")
            if key == "stages" and (
                not isinstance(value, list) or not value or any(not isinstance(stage, int) or isinstance(stage, bool) or stage < 1 for stage in value)
            ):
                raise ValueError(f"parameter {name!r} sets the stages: a non-empty list of stage numbers, not {value!r}")
            update[key] = list(value) if key == "stages" else value
        return self.model_copy(update=update) if update else self


class CompiledRule:
    """What evaluating a rule needs, resolved once: the stages it applies at, its ``when`` as a
    function of the context (None: always), and its check's :class:`~clusterpolicy.checks.kinds.base.Runner`
    (``verdict`` with the values a message shows, ``outcome`` alone)."""

    __slots__ = ("stages", "when", "verdict", "outcome")

    def __init__(self, rule: Rule) -> None:
        runner = rule.check.compiled()
        self.stages = rule.stages
        self.when = rule.when.on_context() if rule.when is not None else None
        self.verdict, self.outcome = runner.verdict, runner.outcome


class RuleFile(Strict):
    rules: list[Rule] = Field(min_length=1)


def read_rules(document: Document) -> list[tuple[Rule, int | None]]:
    """The rules of one topic file, each with the line it starts on."""
    parsed = validate(RuleFile, document, error=RulePackError)
    return [(rule, document.line_of(("rules", index))) for index, rule in enumerate(parsed.rules)]


# --------------------------------------------------------------------------- checking a rule


class RuleChecker:
    """Checks one rule against the form; ``at`` is where its problems are located in the file
    (the rule, or below it: :meth:`below_key` gives the checker a kind is handed, at its ``check``)."""

    form = Application

    def __init__(self, rule: Rule, document: Document, at: tuple[Any, ...], parameters: dict[str, Parameter]) -> None:
        self.rule, self.document, self.parameters = rule, document, parameters
        self.at = at

    def below_key(self, key: str) -> RuleChecker:
        return RuleChecker(self.rule, self.document, self.at + (key,), self.parameters)

    def fail(self, where: tuple[Any, ...], message: str, *, code: str, guess: str | None = None) -> RulePackError:
        full = self.at + where
        if guess is not None:
            message += f" (did you mean {guess!r}?)"
        return RulePackError(
            f"rule {self.rule.id!r}: {message}",
            location=Location(self.document.file, self.document.line_of(full), full),
            code=code,
        )

    def path(self, where: tuple[Any, ...], path: str, root: type[BaseModel] | None = None, in_context: bool = True) -> Any:
        root = root or self.form
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
            if is_member(value, allowed):
                continue
            texts = [yaml_text(item) for item in allowed]
            guess = difflib.get_close_matches(str(value), texts, n=1)
            spot = where if param or where[-1] == "equals" else where + (index,)
            source = f" (from parameter {param!r})" if param else ""
            raise self.fail(
                spot,
                f"{yaml_text(value) if isinstance(value, bool) else repr(value)}{source} is not a value {field!r} can take; it is one of: {', '.join(texts)}",
                code="unknown_value", guess=guess[0] if guess else None,
            )

    def condition(self, where: tuple[Any, ...], condition: Condition, root: type[BaseModel] | None = None, in_context: bool = True) -> None:
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

    def relative(self, where: tuple[Any, ...], base: Any, name: str) -> None:
        """``name`` read below the type ``base`` (an ``all_stated`` field below its ``base``)."""
        core = unwrap(base)
        if is_model(core):
            self.path(where, name, core, in_context=False)
            return
        annotation = core
        try:
            for part in name.split("."):
                annotation = step(annotation, part)
        except PathProblem as problem:
            raise self.fail(where, f"field {name!r} does not resolve below the base: {problem.message}", code="unknown_field", guess=problem.guess) from None

    def below(self, where: tuple[Any, ...], model: Any, name: str) -> None:
        """``name`` read below an item of type ``model`` (nothing to check when it is not described)."""
        if is_model(model):
            self.path(where, name, model, in_context=False)

    def collection(self, where: tuple[Any, ...], path: str) -> Any:
        """The type of an item of the list at ``path``."""
        annotation = self.path(where, path)
        item = item_type(annotation)
        if item is None:
            raise self.fail(where, f"{path!r} is {describe(annotation)}, not a list", code="wrong_field_type")
        return item

    def item_field(self, where: tuple[Any, ...], item: Any, name: str) -> None:
        core = unwrap(item)
        if is_model(core) and name not in core.model_fields:
            guess = difflib.get_close_matches(name, list(core.model_fields), n=1)
            raise self.fail(where, f"an item of the collection ({core.__name__}) has no field {name!r}", code="unknown_field", guess=guess[0] if guess else None)

    # ----------------------------------------------------------------- what every rule has

    def check(self) -> None:
        rule = self.rule
        if rule.when is not None:
            self.condition(("when",), rule.when)
        rule.check.check_against(self.below_key("check"))
        self.values(rule.check)
        self.message(rule.check)

    def values(self, check: CheckBase) -> None:
        """Each ``Param[T]`` value of the check is a ``T``, as written or as the pack's parameter gives it."""
        for key, info in type(check).model_fields.items():
            expected = value_type(info.metadata)
            if expected is None:
                continue
            value, param = self.value(getattr(check, key))
            if value is None and info.default is None:
                continue
            if not expected.accepts(value):
                shown = str(value) if isinstance(value, Decimal) else repr(value)  # a number as written (1.5)
                source = f"parameter {param!r} is {shown}" if param else f"{shown} was given"
                guess = None
                if expected.options and isinstance(value, str):
                    found = difflib.get_close_matches(value, list(expected.options), n=1)
                    guess = found[0] if found else None
                raise self.fail(("check", key), f"{key} must be {expected.expected}; {source}", code="bad_parameter", guess=guess)

    def message(self, check: CheckBase) -> None:
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
    RuleChecker(rule, document, ("rules", _index_of(rule, document, line)), parameters).check()


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
