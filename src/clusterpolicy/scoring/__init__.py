"""Layer 2, scoring: the pack's scoring configuration (:mod:`.config`); expert marks, panel
aggregation and block scores (:mod:`.marks`); the Commission's threshold, ranking and the
competition's outcome (:mod:`.ranking`); what-if on weights (:mod:`.whatif`); the cluster's
indicators as an aid to experts (:mod:`.indicators`).

``clusterpolicy.scoring`` was one module before these: its names are still found here.
"""

from __future__ import annotations

import importlib
from typing import Any

from .config import ScoringConfig, read_scoring
from .marks import ApplicationScore, score_application
from .ranking import CompetitionOutcome, rank_competition

__all__ = ["ApplicationScore", "CompetitionOutcome", "ScoringConfig", "rank_competition", "read_scoring", "score_application"]


def __getattr__(name: str) -> Any:
    for module in ("config", "marks", "ranking", "whatif", "indicators"):
        found = importlib.import_module(f"{__name__}.{module}")
        if hasattr(found, name):
            return getattr(found, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
