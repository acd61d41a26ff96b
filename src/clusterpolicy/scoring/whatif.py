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
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from pydantic import Field

from ..core.base import Strict

from ..core.errors import UsageError
from .scores import ApplicationScore, ScoringConfig, round_ratio

RANDOM_UNITS = 10_000
"""Random weights are whole multiples of 1/10,000: exact, short, and summing to exactly 1."""


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


class WhatIfResult(_Model):
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
    if step <= 0 or steps < 0 or samples < 0 or concentration <= 0:
        raise UsageError("step and concentration must be positive; steps and samples not negative", code="invalid_argument")
    low, high = bounds
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
    raw = [draw / total * RANDOM_UNITS for draw in draws]
    units = [int(value) for value in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (-(raw[i] - units[i]), i))
    for i in by_remainder[: RANDOM_UNITS - sum(units)]:
        units[i] += 1
    return {block_id: Fraction(unit, RANDOM_UNITS) for block_id, unit in zip(block_ids, units)}
