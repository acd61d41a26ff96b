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

# marks and ranking are imported when first asked for (``__getattr__``): a pack needs only the
# configuration, and evaluating one application on the command line never scores

__all__ = ["ApplicationScore", "CompetitionOutcome", "ScoringConfig", "rank_competition", "read_scoring", "score_application"]


def __getattr__(name: str) -> Any:
    if name in ("config", "marks", "ranking", "whatif", "indicators"):  # a submodule not yet imported
        return importlib.import_module(f"{__name__}.{name}")
    for module in ("config", "marks", "ranking", "whatif", "indicators"):
        found = importlib.import_module(f"{__name__}.{module}")
        if hasattr(found, name):
            return getattr(found, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
