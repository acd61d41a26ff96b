"""Rule kinds: a small set of declarative checks, composed in YAML, never ``eval``'d.

A rule (:class:`clusterpolicy.checks.rule.Rule`, one entry of a ``rules:`` list in a pack) has a
stable id, a citation, a severity, the stages it applies to, an optional ``when`` condition, a
``check`` of one of the kinds below, and a failure message in kk/ru/en whose ``{placeholders}``
are filled with the values the check looked at and the parameters it used. Each kind is one
class owning its whole protocol (:mod:`.base`): ``run``, ``check_against`` the form when the pack
loads, ``not_stated`` when it cannot decide, and ``shown`` (how its values read in a message).

Check kinds (one module per family: :mod:`.values`, :mod:`.documents`, :mod:`.collections`,
:mod:`.time`, :mod:`.affiliation`):

``value_in_set``       a field's value is one of ``allowed``
``condition``          a condition (``field``/``equals``/``in``/``all``/``any``/``not``) holds
``all_stated``         every listed field is stated as true (a section and its items present)
``document_required``  the application lists a document of ``document`` kind
``count_at_least``     at least ``minimum`` items of a collection match ``where``
``number_between``     a number lies within ``minimum``..``maximum``
``each_item_has``      every item of a collection states every listed element
``on_time``            a timestamp is no later than a deadline (a date-only deadline: its whole day)
``within_term``        a date falls within a term after another, counted on the working calendar
``unaffiliated_legal_entities``  the affiliation count of criteria 1.1 reaches ``minimum``
``each_item_complete`` every item states every (dotted) field of each element, and its yearly rows
``all_listed``         every matching item of a collection is a row of another list (by key or name)
``same_value``         two fields state the same value
``covers_values``      the items of a collection take each of some values in a field

A value in a check may be a literal or ``{param: name}``, a named parameter of the pack, of the
type its field declares (``Param[T]``, :mod:`clusterpolicy.checks.params`).
Outcomes: ``passed``, ``failed``, ``not_applicable`` (wrong stage, or ``when`` is false), and
``unknown`` when the data the check needs is not stated: never a guess.
"""
from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field

from .affiliation import UnaffiliatedLegalEntities
from .base import PROTOCOL, CheckBase, FormChecker, Outcome, Verdict, Words
from .collections import AllListed, CountAtLeast, CoversValues, EachItemComplete, EachItemHas
from .documents import AllStated, DocumentRequired
from .time import OnTime, WithinTerm
from .values import ConditionCheck, NumberBetween, SameValue, ValueInSet

KINDS: tuple[type[CheckBase], ...] = (
    ValueInSet,
    ConditionCheck,
    AllStated,
    DocumentRequired,
    CountAtLeast,
    NumberBetween,
    EachItemHas,
    OnTime,
    WithinTerm,
    UnaffiliatedLegalEntities,
    EachItemComplete,
    AllListed,
    SameValue,
    CoversValues,
)
"""Every check kind a rule may use, in the order the reference (docs/rule-kinds.md) lists them."""

Check = Annotated[Union[KINDS], Field(discriminator="kind")]
"""A rule's ``check``: one of :data:`KINDS`, chosen by its ``kind``."""


def check_kinds() -> tuple[type[CheckBase], ...]:
    """Every check kind a rule may use (for tests and docs)."""
    return KINDS


__all__ = [
    "KINDS", "PROTOCOL", "AllListed", "AllStated", "Check", "CheckBase", "ConditionCheck", "CountAtLeast", "CoversValues",
    "DocumentRequired", "EachItemComplete", "EachItemHas", "FormChecker", "NumberBetween", "OnTime", "Outcome",
    "SameValue", "UnaffiliatedLegalEntities", "ValueInSet", "Verdict", "WithinTerm", "Words", "check_kinds",
]
