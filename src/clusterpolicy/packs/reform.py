"""Reforms: a pack derived from another with some of its named parameters changed.

:func:`with_parameters` takes a loaded pack and ``{name: value}`` and returns a new pack whose
parameters have those values, checked as the pack itself is when it loads: a name the pack does
not define is an error (with "did you mean"), and every rule that uses a changed parameter is
checked again against the form (:class:`~clusterpolicy.checks.rule.RuleChecker`: a value of the
wrong type is an error located at the rule that reads it, in its file and line), and so are the
rules whose severity or stages a changed parameter sets.

The derived pack is never the shipped one: its digest covers the changes, its reported version
carries that digest, and :attr:`~.model.RulePack.changed_parameters` lists what differs from the
act's pack (a result's ``pack.changed_parameters``).
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
from collections.abc import Mapping
from typing import Any, get_args

from ..calendar.terms import Rolling, Unit
from ..checks.rule import RuleChecker
from ..procedure.timeline import TimeLimit
from ..scoring.config import AggregationMethod
from ..core.errors import Location, RulePackError, UsageError
from .loading import _resolve_gates
from .model import RulePack


class Changes(dict):
    """Changed parameters ``{name: value}`` that know where they were given (``--set``, a
    request's ``parameters``), for the location of an error."""

    def __init__(self, values: Mapping[str, Any], given_as: str) -> None:
        super().__init__(values)
        self.given_as = given_as


def with_parameters(pack: RulePack, changes: Mapping[str, Any], *, given_as: str | None = None) -> RulePack:
    """``pack`` with the named parameters of ``changes`` set to their values (``pack`` unchanged).

    ``given_as`` names where the changes were given, for the location of an error (by default
    that of :class:`Changes`, else ``parameters``)."""
    given_as = given_as or getattr(changes, "given_as", None) or "parameters"
    if not isinstance(changes, Mapping):
        raise UsageError(f"the changed parameters must be a mapping of names to values, not {type(changes).__name__}", code="bad_argument")
    if not changes:
        return pack
    parameters = dict(pack.parameters)
    values = pack.parameter_values()
    for name, value in changes.items():
        if name not in values:
            guess = difflib.get_close_matches(str(name), list(values), n=1)
            raise UsageError(
                f"pack {pack.id} has no parameter {name!r}" + (f" (did you mean {guess[0]!r}?)" if guess else ""),
                code="unknown_parameter",
                location=Location(given_as, None, (str(name),)),
            )
        if name in parameters:
            parameters[name] = parameters[name].model_copy(update={"value": value})
    changes = {name: value for name, value in changes.items() if not _same(value, values[name])}
    if not changes:  # every value is the pack's own: the pack itself
        return pack
    header = pack.header.model_copy(update={"parameters": parameters})
    base = pack.base_parameters if pack.base_parameters is not None else values
    derived = dataclasses.replace(
        pack,
        header=header,
        rules=list(pack.raw_rules),
        time_limits=[_limit_with(limit, changes, given_as) for limit in pack.time_limits],
        scoring=_scoring_with(pack.scoring, changes, given_as),
        rendered={key: value for key, value in pack.rendered.items() if len(key) == 2},  # titles and citations: not parameters
        origin="derived",
        digest=_digest(pack.digest, changes),
        base_parameters=base,
    )
    changed = set(changes)
    for rule in pack.raw_rules:
        if not changed & set(rule.parameter_names()):
            continue
        source = pack.sources.get("rules", {}).get(rule.id)
        if source is None:  # a rule read from no document (cannot happen for a loaded pack)
            continue
        document, at = source
        try:
            RuleChecker(rule, document, at, parameters).check()
        except RulePackError as exc:
            names = ", ".join(f"{name}={changes[name]!r}" for name in sorted(changed & set(rule.parameter_names())))
            raise RulePackError(f"{given_as} {names}: {exc.message}", location=exc.location, code=exc.code) from None
    try:
        _resolve_gates(derived)
    except RulePackError as exc:
        raise RulePackError(f"{given_as}: {exc.message}", location=exc.location, code=exc.code) from None
    return derived


def _limit_with(limit: TimeLimit, changes: Mapping[str, Any], given_as: str) -> TimeLimit:
    """``limit`` with the field its named choice sets (its unit or rolling) changed, if it is among ``changes``."""
    choice = limit.parameter
    if choice is None or choice.name not in changes:
        return limit
    kind = Unit if choice.sets == "unit" else Rolling
    try:
        value = kind(changes[choice.name])
    except (ValueError, TypeError):
        allowed = ", ".join(member.value for member in kind)
        raise UsageError(f"{choice.name} sets the {choice.sets} of the time limit {limit.id}: one of {allowed}, not {changes[choice.name]!r}",
                         code="bad_parameter", location=Location(given_as, None, (choice.name,))) from None
    return limit.model_copy(update={choice.sets: value})


def _scoring_with(scoring: Any, changes: Mapping[str, Any], given_as: str) -> Any:
    """``scoring`` with its aggregation's method changed, if its named choice is among ``changes``."""
    aggregation = scoring.aggregation if scoring is not None else None
    if aggregation is None or not aggregation.parameter or aggregation.parameter not in changes:
        return scoring
    method = changes[aggregation.parameter]
    allowed = get_args(AggregationMethod)
    if method not in allowed:
        raise UsageError(f"the experts' marks are combined by one of {', '.join(allowed)}, not {method!r}",
                         code="bad_parameter", location=Location(given_as, None, (aggregation.parameter,)))
    return scoring.model_copy(update={"aggregation": aggregation.model_copy(update={"method": method})})


def _same(value: Any, other: Any) -> bool:
    return type(value) is type(other) and value == other


def _digest(parent: str, changes: Mapping[str, Any]) -> str:
    """``sha256:`` over the parent's digest and the changes (names sorted): the derived pack's identity."""
    text = json.dumps({"pack": parent, "changes": dict(changes)}, sort_keys=True, ensure_ascii=False, default=str)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


__all__ = ["Changes", "with_parameters"]
