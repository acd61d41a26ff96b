"""What-if on block weights: baseline, stepped and random weightings, stability summary."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from test_scoring import DECREE, DECREE_IDS, application, sheet

from clusterpolicy import UsageError, WhatIfResult, rank_competition, score_application, what_if_weights

BLOCK_OF = {sub.id: block.id for block, sub in DECREE.sub_criteria()}


def by_block(app_id: str, marks: dict[str, int], minute: int = 0):
    """An application whose three experts all give each block the mark in ``marks``."""
    row = {key: marks[BLOCK_OF[key]] for key in DECREE_IDS}
    from datetime import datetime, timedelta, timezone

    when = datetime(2017, 5, 2, 10, minute, tzinfo=timezone(timedelta(hours=6)))
    return score_application(application(app_id, [sheet(f"e{i}", row) for i in range(3)], submitted_at=when), DECREE)


STRONG = by_block("strong", {"development-level": 5, "regional-conditions": 5, "significance": 5, "prospects": 4})
WEAK = by_block("weak", {"development-level": 0, "regional-conditions": 1, "significance": 0, "prospects": 1})
# Strong in one block only: wins when that block weighs much, loses otherwise.
SPECIALIST = by_block("specialist", {"development-level": 5, "regional-conditions": 1, "significance": 1, "prospects": 1}, 1)
BALANCED = by_block("balanced", {"development-level": 2, "regional-conditions": 2, "significance": 2, "prospects": 2}, 2)
SCORES = [WEAK, BALANCED, SPECIALIST, STRONG]


def test_baseline_is_the_official_ranking():
    result = what_if_weights(SCORES, DECREE, winners=2, samples=10)
    official = rank_competition(SCORES, minimum_score=None, compliant_ids={s.application_id for s in SCORES}, config=DECREE)
    assert result.weightings[0].label == "pack"
    assert result.weightings[0].ranking == [r.application_id for r in official.ranking]
    assert result.weightings[0].ranking == ["strong", "specialist", "balanced", "weak"]


def test_stability_summary():
    result = what_if_weights(SCORES, DECREE, winners=2, samples=300, seed=7)
    assert result.always_win == ["strong"]
    assert result.sometimes_win == ["specialist", "balanced"]
    assert result.never_win == ["weak"]
    specialist = next(s for s in result.stability if s.application_id == "specialist")
    assert specialist.baseline_rank == 2 and specialist.best_rank == 2 and specialist.worst_rank == 3
    assert 0 < specialist.wins < len(result.weightings)


def test_stepped_weightings_stay_in_bounds_and_sum_to_one():
    result = what_if_weights(SCORES, DECREE, winners=1, step=Decimal("0.05"), steps=2, samples=0)
    labels = [w.label for w in result.weightings]
    assert len(labels) == 1 + 4 * 2 * 2
    assert "development-level+0.10" in labels and "prospects-0.05" in labels
    for weighting in result.weightings:
        assert sum(weighting.weights.values()) == 1
    moved = next(w for w in result.weightings if w.label == "significance+0.10")
    assert moved.weights["significance"] == Fraction(7, 20)
    assert moved.weights["prospects"] == Fraction(13, 60)  # 1/4 scaled by 0.65/0.75
    narrow = what_if_weights(SCORES, DECREE, winners=1, steps=2, bounds=(Decimal("0.2"), Decimal("0.3")), samples=0)
    assert len(narrow.weightings) == 1 + 4 * 2


def test_random_weightings_are_exact_and_reproducible():
    first = what_if_weights(SCORES, DECREE, winners=2, samples=50, seed=11)
    again = what_if_weights(SCORES, DECREE, winners=2, samples=50, seed=11)
    other = what_if_weights(SCORES, DECREE, winners=2, samples=50, seed=12)
    assert first.model_dump_json() == again.model_dump_json()
    assert first.weightings[-1].weights != other.weightings[-1].weights
    for weighting in first.weightings:
        assert sum(weighting.weights.values()) == 1 and min(weighting.weights.values()) >= 0
    assert WhatIfResult.model_validate_json(first.model_dump_json()) == first


def test_what_if_refuses_incomplete_scores_and_bad_arguments():
    no_total = score_application(application("n", [sheet(f"e{i}", {}) for i in range(3)]), DECREE)
    with pytest.raises(UsageError, match="no complete block scores"):
        what_if_weights([STRONG, no_total], DECREE, winners=1)
    with pytest.raises(UsageError, match="winners"):
        what_if_weights(SCORES, DECREE, winners=0)
    with pytest.raises(UsageError, match="bounds"):
        what_if_weights(SCORES, DECREE, winners=1, bounds=(Decimal("0.6"), Decimal("0.4")))
