"""The kind of criterion 1.1: enough legal entities of the cluster that are not affiliated with each other.

The graph and the counts are :mod:`clusterpolicy.checks.affiliation`'s (and
:mod:`clusterpolicy.checks.independent_set`'s); this kind reads the participants, asks for the
count and judges it against ``minimum``.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar, Literal

from ..affiliation import GROUPINGS, count_unaffiliated_legal_entities_json
from ..fields import Context, resolve
from ..params import NonNegativeInt, Param, Params, Percentage, YesNo, one_of
from .base import CheckBase, FormChecker, Outcome, Verdict, Words

Grouping = one_of("Grouping", tuple(GROUPINGS))
"""Which count decides: groups linked through any chain, or the largest set no two of which are affiliated."""


class UnaffiliatedLegalEntities(CheckBase):
    kind: Literal["unaffiliated_legal_entities"]
    reports: ClassVar[frozenset[str]] = frozenset(
        {"count", "minimum", "affiliation", "count_connected_components", "count_independent_set", "deciding"}
    )
    minimum: Param[NonNegativeInt]
    ownership_threshold_percent: Param[Percentage]
    include_shared_officials: Param[YesNo] = True
    grouping: Param[Grouping] = "connected_components"

    def run(self, context: Context, params: Params) -> Verdict:
        minimum = params(self.minimum)
        result = count_unaffiliated_legal_entities_json(
            resolve(context, "participants") or [],
            ownership_threshold_percent=Decimal(str(params(self.ownership_threshold_percent))),
            include_shared_officials=params(self.include_shared_officials),
            grouping=params(self.grouping),
            minimum=minimum,
        )
        low, high = result["count_certain"], result["count_if_all_unknown_counted"]
        if low >= minimum:
            outcome: Outcome = "passed"
        elif high >= minimum:
            outcome = "unknown"
        else:
            outcome = "failed"
        both = {name: _count_text(count) for name, count in result["counts"].items()}
        return Verdict(
            outcome,
            count=low,
            minimum=minimum,
            affiliation=result,
            count_connected_components=both["connected_components"],
            count_independent_set=both["independent_set"],
            deciding=result["grouping"],
        )

    def check_against(self, checker: FormChecker) -> None:
        """It reads the participants, which every application has: only its values are checked (their types)."""

    def not_stated(self, observed: dict[str, Any], words: Words) -> list[str]:
        """The participants left out of the count, each with its identifier problem (in the message's language)."""
        problems = (observed.get("affiliation") or {}).get("identifier_problems", [])
        return [
            f"{words.item(p['participant_id'])}: "  # the participant by its name, not its id
            + (words.t(f"identifier_problem.{p.get('code')}") if words.has(f"identifier_problem.{p.get('code')}") else p["message"])
            for p in problems
            if p.get("left_out_of_count")
        ]

    def shown(self, key: str, value: Any, words: Words) -> str:
        if key == "deciding" and isinstance(value, str):  # the grouping that decides the count
            return words.t(f"grouping.{value}")
        return super().shown(key, value, words)


def _count_text(count: dict[str, Any]) -> int | str:
    """A count as the explanation shows it: the number, or "low–high" while it is not settled
    (unverified legal entities, or a largest set not proven: its search stopped at the budget, or
    was not run because the bounds settle the verdict or the other reading decides)."""
    low, high = count["count_certain"], count["upper_bound"]
    return low if low == high else f"{low}–{high}"


__all__ = ["UnaffiliatedLegalEntities"]
