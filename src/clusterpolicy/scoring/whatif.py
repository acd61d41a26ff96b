"""What-if on block weights: how robust is the ranking to the weights the law never fixed?

The packs weight the four blocks equally as a placeholder (Rules p.19 leaves the weights to the
expert council's procedure). An analyst asks which applications win whatever the weights, and
which win only under some. :func:`what_if_weights` recomputes the ranking from each
application's exact block shares under

- the pack's own weights (the baseline, labelled ``pack``);
- each block's weight moved up and down by ``step`` (``steps`` times), kept within ``bounds``,
  the other blocks rescaled in proportion so the weights still sum to 1;
- ``samples`` random weight vectors, a Dirichlet draw from ``random.Random(seed)`` (gamma
  variates, normalised and apportioned to 1/10,000 by largest remainder, so each weight is an
  exact decimal): the same seed gives the same weightings.

Totals are rounded as the pack says and ties are broken as in the official ranking, so the
baseline reproduces :func:`~clusterpolicy.scoring.rank_competition` exactly.

:func:`rank_with_weights` answers the other question, "what if the weights were these?": it
takes a competition's result and chosen weights per block and per sub-criterion, checks them as
the pack's own are checked (each set sums to exactly 1, no weight below 0; every problem
located), recomputes every score from the experts' counted marks, and returns the new ranking
beside the official one. (Copying the pack's :class:`ScoringConfig` with ``model_copy(update=...)``
is refused for the same reason: pydantic does not validate a copy, and blocks weighing 2 in all
gave totals above the pack's 100 points.)
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, ClassVar, Literal

from pydantic import Field

from ..core.base import Strict

from ..core.errors import Location, UsageError
from ..core.tables import HtmlRepr
from .config import ScoringConfig, fraction_from_yaml, round_ratio
from .marks import ApplicationScore, SubCriterionScore, block_scores
from .ranking import CompetitionOutcome, rank_competition

RANDOM_UNITS = 10_000
"""Random weights are whole multiples of 1/10,000: exact, short, and summing to exactly 1."""

MIN_CONCENTRATION = Decimal("0.01")
"""The smallest Dirichlet concentration accepted: below it the gamma draws underflow to zero."""
MAX_CONCENTRATION = Decimal(10) ** 6
"""The largest accepted: the weights are then equal to within rounding (and floats stay finite)."""


_Model = Strict

class Weighting(_Model):
    """One tried set of block weights and the ranking it gives (application ids, best first)."""

    label: str
    weights: dict[str, Fraction]
    ranking: list[str]
    winners: list[str]


class ApplicationStability(_Model):
    """How one application fares across all tried weightings."""

    application_id: str
    cluster_name: str
    baseline_rank: int
    best_rank: int
    worst_rank: int
    wins: int = Field(description="Number of weightings under which it ranks within the winners.")
    verdict: Literal["always", "sometimes", "never"]


class WhatIfResult(HtmlRepr, _Model):
    """Per-weighting rankings and a stability summary (in baseline order)."""

    winners: int
    step: Decimal
    steps: int
    bounds: tuple[Decimal, Decimal]
    samples: int
    seed: int
    concentration: Decimal
    weightings: list[Weighting]
    stability: list[ApplicationStability]
    always_win: list[str]
    sometimes_win: list[str]
    never_win: list[str]

    table_categories: ClassVar[dict[str, list[str]]] = {"verdict": ["always", "sometimes", "never"]}

    def table_rows(self, lang: Any) -> list[dict[str, Any]]:
        """One row per application: its ranks over the weightings tried, and how often it wins."""
        tried = len(self.weightings)
        return [
            {
                "application_id": s.application_id,
                "cluster_name": s.cluster_name,
                "baseline_rank": s.baseline_rank,
                "best_rank": s.best_rank,
                "worst_rank": s.worst_rank,
                "wins": s.wins,
                "weightings": tried,
                "win_share": Fraction(s.wins, tried),
                "verdict": s.verdict,
            }
            for s in self.stability
        ]


def what_if_weights(
    scores: Sequence[ApplicationScore],
    config: ScoringConfig,
    *,
    winners: int,
    step: Decimal = Decimal("0.05"),
    steps: int = 2,
    bounds: tuple[Decimal, Decimal] = (Decimal("0.1"), Decimal("0.5")),
    samples: int = 1000,
    seed: int = 0,
    concentration: Decimal = Decimal(1),
) -> WhatIfResult:
    """Rank ``scores`` under many block weightings; say who wins always, sometimes, never.

    ``winners`` is how many top-ranked applications win (the Commission's choice, p.38).
    ``concentration`` is the Dirichlet parameter: 1 draws uniformly over all weightings,
    larger values stay closer to equal weights.
    """
    if winners < 1:
        raise UsageError("winners must be at least 1", code="invalid_argument")
    step, concentration = _finite(step, "step"), _finite(concentration, "concentration")
    low, high = (_finite(bound, "bounds") for bound in bounds)
    if step <= 0 or steps < 0 or samples < 0 or concentration <= 0:
        raise UsageError("step and concentration must be positive; steps and samples not negative", code="invalid_argument")
    if not MIN_CONCENTRATION <= concentration <= MAX_CONCENTRATION:
        raise UsageError(
            f"concentration {concentration} is out of range: use a value from {MIN_CONCENTRATION} "
            f"to {MAX_CONCENTRATION:,} (below, the random weights underflow to zero; small values put almost "
            "all the weight on one block, large ones keep the blocks equal)",
            code="invalid_argument",
        )
    if not 0 <= low <= high <= 1:
        raise UsageError("bounds must satisfy 0 <= low <= high <= 1", code="invalid_argument")
    block_ids = [block.id for block in config.blocks]
    table = _ShareTable(scores, block_ids, config)

    weightings = [_ranked("pack", {block.id: block.weight for block in config.blocks}, table, winners)]
    for label, weights in _stepped(config, step, steps, Fraction(low), Fraction(high)):
        weightings.append(_ranked(label, weights, table, winners))
    generator = random.Random(seed)
    for index in range(samples):
        weights = _dirichlet(generator, block_ids, float(concentration))
        weightings.append(_ranked(f"random-{index + 1}", weights, table, winners))

    stability = []
    baseline = weightings[0].ranking
    positions = [{application_id: rank for rank, application_id in enumerate(w.ranking, start=1)} for w in weightings]
    for application_id in baseline:
        ranks = [position[application_id] for position in positions]
        wins = sum(rank <= winners for rank in ranks)
        verdict = "always" if wins == len(weightings) else "never" if wins == 0 else "sometimes"
        stability.append(
            ApplicationStability(
                application_id=application_id,
                cluster_name=table.names[application_id],
                baseline_rank=ranks[0],
                best_rank=min(ranks),
                worst_rank=max(ranks),
                wins=wins,
                verdict=verdict,
            )
        )
    return WhatIfResult(
        winners=winners,
        step=step,
        steps=steps,
        bounds=(low, high),
        samples=samples,
        seed=seed,
        concentration=concentration,
        weightings=weightings,
        stability=stability,
        always_win=[s.application_id for s in stability if s.verdict == "always"],
        sometimes_win=[s.application_id for s in stability if s.verdict == "sometimes"],
        never_win=[s.application_id for s in stability if s.verdict == "never"],
    )


def _finite(value: Any, name: str) -> Decimal:
    """``value`` as a finite Decimal, or a UsageError naming the argument."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise UsageError(f"{name} must be a number, got {value!r}", code="invalid_argument") from None
    if isinstance(value, bool) or not number.is_finite():
        raise UsageError(f"{name} must be a finite number, got {value!r}", code="invalid_argument")
    return number


class _ShareTable:
    """Each application's block shares as integers over one common denominator, for fast exact sums."""

    def __init__(self, scores: Sequence[ApplicationScore], block_ids: list[str], config: ScoringConfig) -> None:
        self.points = config.total_points.value
        self.places, self.mode = config.rounding.places, config.rounding.mode
        tie_break = config.tie_break.value
        self.rows: list[tuple[str, tuple, int, list[int]]] = []
        self.names: dict[str, str] = {}
        for score in scores:
            shares = {block.id: block.share for block in score.blocks}
            if sorted(shares) != sorted(block_ids) or any(share is None for share in shares.values()):
                raise UsageError(
                    f"application {score.application_id} has no complete block scores for this pack; "
                    "what-if needs scores made with the same pack and a total",
                    code="incomplete_score",
                )
            if score.application_id in self.names:
                raise UsageError(f"application {score.application_id} is given twice", code="duplicate_application")
            denominator = math.lcm(*(shares[b].denominator for b in block_ids))
            numerators = [int(shares[b] * denominator) for b in block_ids]
            keys = {"submitted_at": score.submitted_at, "application_id": score.application_id}
            tie = tuple(keys[name] for name in tie_break)
            self.rows.append((score.application_id, tie, denominator, numerators))
            self.names[score.application_id] = score.cluster_name


def _ranked(label: str, weights: dict[str, Fraction], table: _ShareTable, winners: int) -> Weighting:
    ordered = list(weights.values())
    denominator = math.lcm(*(w.denominator for w in ordered))
    units = [int(w * denominator) for w in ordered]
    keyed = []
    for application_id, tie, share_denominator, numerators in table.rows:
        numerator = table.points * sum(u * n for u, n in zip(units, numerators))
        total = round_ratio(numerator, denominator * share_denominator, table.places, table.mode)
        keyed.append(((-total, *tie), application_id))
    keyed.sort()
    ranking = [application_id for _, application_id in keyed]
    return Weighting(label=label, weights=weights, ranking=ranking, winners=ranking[:winners])


def _stepped(config: ScoringConfig, step: Decimal, steps: int, low: Fraction, high: Fraction):
    """Each block's weight moved by ±k·step within bounds, the others rescaled to keep the sum 1."""
    for moved in config.blocks:
        if moved.weight == 1:
            continue
        for k in range(1, steps + 1):
            for sign in (1, -1):
                new = moved.weight + sign * k * Fraction(step)
                if not low <= new <= high:
                    continue
                scale = (1 - new) / (1 - moved.weight)
                weights = {b.id: new if b.id == moved.id else b.weight * scale for b in config.blocks}
                label = f"{moved.id}{'+' if sign > 0 else '-'}{k * step}"
                yield label, weights


def _dirichlet(generator: random.Random, block_ids: list[str], concentration: float) -> dict[str, Fraction]:
    """A Dirichlet draw apportioned to whole 1/10,000 units by largest remainder (exact sum 1)."""
    draws = [generator.gammavariate(concentration, 1.0) for _ in block_ids]
    total = sum(draws)
    if not 0 < total < math.inf:
        raise UsageError(
            f"concentration {concentration} gave random weights that {'underflow to zero' if total == 0 else 'overflow'}; "
            "choose a concentration nearer to 1",
            code="invalid_argument",
        )
    raw = [draw / total * RANDOM_UNITS for draw in draws]
    units = [int(value) for value in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (-(raw[i] - units[i]), i))
    for i in by_remainder[: RANDOM_UNITS - sum(units)]:
        units[i] += 1
    return {block_id: Fraction(unit, RANDOM_UNITS) for block_id, unit in zip(block_ids, units)}


# --------------------------------------------------------------------------- chosen weights


class RankMove(_Model):
    """One application under the pack's weights and under the chosen ones."""

    application_id: str
    cluster_name: str
    pack_rank: int | None = Field(description="Rank under the pack's weights; None if not ranked.")
    rank: int | None = Field(description="Rank under the chosen weights; None if not ranked.")
    pack_total: Decimal | None
    total: Decimal | None
    pack_admitted: bool | None = Field(description="At or above the Commission's minimum under the pack's weights.")
    admitted: bool | None = Field(description="At or above the Commission's minimum under the chosen weights.")

    @property
    def moved(self) -> int | None:
        """Places gained (positive) or lost (negative); None if either rank is missing."""
        return None if self.pack_rank is None or self.rank is None else self.pack_rank - self.rank


class WeightedRanking(HtmlRepr, _Model):
    """The ranking under chosen weights, beside the official one (the pack's weights)."""

    block_weights: dict[str, Fraction] = Field(description="Every block's weight, as used (sums to 1).")
    sub_criterion_weights: dict[str, Fraction] = Field(
        description="Every sub-criterion's weight within its block, as used (each block's sum to 1)."
    )
    changed: list[str] = Field(description="The ids of the blocks and sub-criteria whose weight differs from the pack's.")
    pack_outcome: CompetitionOutcome = Field(description="The official ranking, under the pack's weights.")
    outcome: CompetitionOutcome = Field(description="The ranking under the chosen weights.")
    scores: list[ApplicationScore] = Field(description="The ranked applications' scores under the chosen weights.")
    moves: list[RankMove] = Field(description="Each application under both weightings, in the new ranking's order.")

    def table_rows(self, lang: Any) -> list[dict[str, Any]]:
        """One row per application: its rank and total under the chosen weights and under the pack's."""
        return [
            {
                "rank": move.rank,
                "application_id": move.application_id,
                "cluster_name": move.cluster_name,
                "total": move.total,
                "pack_rank": move.pack_rank,
                "pack_total": move.pack_total,
                "moved": move.moved,
                "above_minimum": move.admitted,
                "pack_above_minimum": move.pack_admitted,
            }
            for move in self.moves
        ]

    def table_caption(self) -> str:
        return f"ranking under chosen weights (changed: {', '.join(self.changed) or 'none'}) beside the pack's"


WeightValue = Any
"""A weight: a number (``Decimal``, ``int``, ``Fraction``, ``float`` read as written) or a string
such as ``"0.3"`` or ``"1/3"``."""


def rank_with_weights(
    result: Any,
    weights: Mapping[str, WeightValue | Mapping[str, Any]],
    *,
    config: ScoringConfig | None = None,
) -> WeightedRanking:
    """Rank a competition again under chosen weights, and show the new ranking beside the official one.

    ``result`` is a :class:`~clusterpolicy.competition.CompetitionReport` (from
    :func:`~clusterpolicy.run_competition`): its scores, its ranking and the pack it was made
    under. ``weights`` maps a block id to its weight, or to a mapping with ``weight`` and/or
    ``sub_criteria`` (sub-criterion id to its weight within the block)::

        rank_with_weights(report, {
            "development-level": "0.4",
            "regional-conditions": {"weight": "0.2"},
            "significance": {"weight": "0.2", "sub_criteria": {"regional-significance": "2/3",
                                                                "sector-significance": "1/3"}},
            "prospects": "0.2",
        })

    A block or sub-criterion not named keeps the pack's weight. As in the pack, the blocks'
    weights must sum to exactly 1, and so must the sub-criteria's weights within each block;
    no weight may be negative. Every problem is reported at once in one :class:`UsageError`
    (code ``bad_weights``), each detail located at ``weights.<block>...``.

    Every score is recomputed exactly from the experts' counted marks; the totals are rounded
    as the pack says, and the applications that were ranked are ranked again with the pack's
    tie-break against the same Commission's minimum. Which applications are compliant, and the
    competition's outcome (held or failed), do not depend on the weights and stay as they were.
    """
    outcome = getattr(result, "outcome", None)
    scores = getattr(result, "scores", None)
    if scores is None or not hasattr(result, "completeness"):
        raise UsageError(
            f"rank_with_weights needs a competition's result (run_competition), not {type(result).__name__}",
            code="bad_argument",
        )
    if outcome is None:
        raise UsageError("this competition has no ranking to recompute: no application carries expert marks", code="incomplete_score")
    if config is None:
        rule_pack = getattr(getattr(result, "pack", None), "rule_pack", None)
        config = getattr(rule_pack, "scoring", None)
        if config is None:
            raise UsageError(
                "the result does not carry the pack it was made under (read back from JSON?): pass config=load_pack(...).scoring",
                code="bad_argument",
            )
    if not isinstance(weights, Mapping):
        raise UsageError(f"weights must be a mapping of block ids, got {type(weights).__name__}", code="bad_weights")
    chosen = _chosen_config(config, weights)

    by_id = {score.application_id: score for score in scores}
    ranked_ids = [entry.application_id for entry in outcome.ranking]
    missing = [application_id for application_id in ranked_ids if application_id not in by_id]
    if missing:
        raise UsageError(f"ranked applications without a score in the result: {', '.join(missing)}", code="incomplete_score")
    new_scores = [_rescore(by_id[application_id], chosen) for application_id in sorted(ranked_ids)]
    ranking = rank_competition(
        new_scores, minimum_score=outcome.minimum_score, compliant_ids=ranked_ids, config=chosen
    ).ranking
    new_outcome = outcome.model_copy(update={"ranking": ranking})

    before = {entry.application_id: entry for entry in outcome.ranking}
    moves = [
        RankMove(
            application_id=entry.application_id,
            cluster_name=entry.cluster_name,
            pack_rank=before[entry.application_id].rank,
            rank=entry.rank,
            pack_total=before[entry.application_id].total,
            total=entry.total,
            pack_admitted=before[entry.application_id].admitted,
            admitted=entry.admitted,
        )
        for entry in ranking
    ]
    pack_blocks = {block.id: block for block in config.blocks}
    changed = [
        item_id
        for block in chosen.blocks
        for item_id, weight, old in [(block.id, block.weight, pack_blocks[block.id].weight)]
        + [
            (sub.id, sub.weight, old_sub.weight)
            for sub, old_sub in zip(block.sub_criteria, pack_blocks[block.id].sub_criteria)
        ]
        if weight != old
    ]
    return WeightedRanking(
        block_weights={block.id: block.weight for block in chosen.blocks},
        sub_criterion_weights={sub.id: sub.weight for _, sub in chosen.sub_criteria()},
        changed=changed,
        pack_outcome=outcome,
        outcome=new_outcome,
        scores=new_scores,
        moves=moves,
    )


def _chosen_config(config: ScoringConfig, weights: Mapping[str, Any]) -> ScoringConfig:
    """The pack's scoring with the chosen weights, checked as the pack's own are (all problems at once)."""
    problems: list[UsageError] = []

    def problem(message: str, *path: Any) -> None:
        problems.append(UsageError(message, location=Location(path=("weights", *path)), code="bad_weights"))

    def weight_of(value: Any, *path: Any) -> Fraction | None:
        try:
            if isinstance(value, bool):
                raise ValueError
            weight = fraction_from_yaml(value)
        except (ValueError, ZeroDivisionError, OverflowError):
            problem(f"expected a number or a fraction such as 1/3, got {value!r}", *path)
            return None
        if weight < 0:
            problem(f"a weight cannot be negative (got {value})", *path)
            return None
        return weight

    blocks = {block.id: block for block in config.blocks}
    block_weights = {block.id: block.weight for block in config.blocks}
    sub_weights = {block.id: {sub.id: sub.weight for sub in block.sub_criteria} for block in config.blocks}
    for block_id, value in weights.items():
        if block_id not in blocks:
            sub_owner = next((b.id for b in config.blocks for s in b.sub_criteria if s.id == block_id), None)
            hint = f" (it is a sub-criterion of {sub_owner}: give it under {sub_owner}'s sub_criteria)" if sub_owner else ""
            problem(f"no block {block_id!r} in this pack{hint}; its blocks: {', '.join(blocks)}", block_id)
            continue
        if isinstance(value, Mapping):
            unknown = sorted(set(map(str, value)) - {"weight", "sub_criteria"})
            for key in unknown:
                problem("expected 'weight' and/or 'sub_criteria'", block_id, key)
            if "weight" in value:
                block_weights[block_id] = weight_of(value["weight"], block_id, "weight")
            subs = value.get("sub_criteria", {})
            if not isinstance(subs, Mapping):
                problem(f"expected a mapping of sub-criterion ids to weights, got {type(subs).__name__}", block_id, "sub_criteria")
                subs = {}
            for sub_id, sub_value in subs.items():
                if sub_id not in sub_weights[block_id]:
                    problem(
                        f"no sub-criterion {sub_id!r} in block {block_id}; its sub-criteria: {', '.join(sub_weights[block_id])}",
                        block_id, "sub_criteria", sub_id,
                    )
                    continue
                sub_weights[block_id][sub_id] = weight_of(sub_value, block_id, "sub_criteria", sub_id)
        else:
            block_weights[block_id] = weight_of(value, block_id)

    if all(w is not None for w in block_weights.values()):
        total = sum(block_weights.values(), Fraction(0))
        if total != 1:
            listed = ", ".join(f"{b} {_show(w)}" for b, w in block_weights.items())
            problems.append(
                UsageError(
                    f"the blocks' weights sum to {_show(total)}, not 1 ({listed})",
                    location=Location(path=("weights",)),
                    code="bad_weights",
                )
            )
    for block_id, subs in sub_weights.items():
        if all(w is not None for w in subs.values()):
            total = sum(subs.values(), Fraction(0))
            if total != 1:
                listed = ", ".join(f"{s} {_show(w)}" for s, w in subs.items())
                problem(f"the sub-criteria's weights sum to {_show(total)}, not 1 ({listed})", block_id, "sub_criteria")
    if problems:
        head = problems[0].message if len(problems) == 1 else f"{len(problems)} problems with the weights"
        raise UsageError(head, location=problems[0].location if len(problems) == 1 else None, code="bad_weights", details=problems)

    # model_copy of these models validates (ScoringConfig.model_copy): the sums are checked again.
    new_blocks = [
        block.model_copy(
            update={
                "weight": block_weights[block.id],
                "sub_criteria": [sub.model_copy(update={"weight": sub_weights[block.id][sub.id]}) for sub in block.sub_criteria],
            }
        )
        for block in config.blocks
    ]
    return config.model_copy(update={"blocks": new_blocks})


def _show(weight: Fraction) -> str:
    """A weight as people write it: 0.25 when it is a short decimal, 1/3 otherwise."""
    decimal = Decimal(weight.numerator) / Decimal(weight.denominator)
    return str(decimal.normalize()) if Fraction(decimal) == weight else str(weight)


def _rescore(score: ApplicationScore, config: ScoringConfig) -> ApplicationScore:
    """``score`` recomputed under ``config``'s weights from the experts' counted marks (exact)."""
    old = {sub.id: sub for block in score.blocks for sub in block.sub_criteria}
    wanted = [sub.id for _, sub in config.sub_criteria()]
    if sorted(old) != sorted(wanted):
        raise UsageError(
            f"application {score.application_id} was not scored with this pack's sub-criteria", code="incomplete_score"
        )
    panel: dict[str, Fraction | None] = {}
    sub_scores: dict[str, SubCriterionScore] = {}
    for _, sub in config.sub_criteria():
        counted = [Fraction(mark.mark) for mark in old[sub.id].marks if mark.counted]
        panel[sub.id] = config.aggregation.combine(counted) if counted else None
        sub_scores[sub.id] = old[sub.id].model_copy(update={"weight": sub.weight})
    blocks, total = block_scores(config, panel, sub_scores)
    return score.model_copy(update={"blocks": blocks, "total": None if total is None else config.rounding.apply(total)})
