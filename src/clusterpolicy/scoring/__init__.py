"""Layer 2, scoring: expert marks, panel aggregation, block scores, the Commission's threshold,
ranking and the competition's outcome (:mod:`.scores`); what-if on weights (:mod:`.whatif`);
the cluster's indicators as an aid to experts (:mod:`.indicators`).

``clusterpolicy.scoring`` was one module before these three: its names are still found here.
"""

from __future__ import annotations

import importlib
from typing import Any

from .scores import (
    ApplicationScore,
    CompetitionOutcome,
    ScoringConfig,
    rank_competition,
    read_scoring,
    score_application,
)

__all__ = ["ApplicationScore", "CompetitionOutcome", "ScoringConfig", "rank_competition", "read_scoring", "score_application"]


def __getattr__(name: str) -> Any:
    for module in ("scores", "whatif", "indicators"):
        found = importlib.import_module(f"{__name__}.{module}")
        if hasattr(found, name):
            return getattr(found, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
