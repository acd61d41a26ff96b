"""Speed of the rules engine and of pack loading, beside baselines timed in the same run.

- ``engine.evaluate`` of a typical application (20 participants, 30 roadmap activities) against
  the full Decree 535 pack, beside pydantic validation of the same application from JSON
  (``Application.model_validate_json``), which every caller pays anyway. Target: ratio <= 1.
- The same with an owner and a head stated for every participant, so that the affiliation
  check has ties to resolve (the plain application states none).
- Loading and validating the pack (``load_pack.cache_clear()`` then ``load_pack``), target under
  50 ms, beside reading the same YAML files with ``yaml.safe_load`` alone; and the cached load.

Run: ``python benchmarks/bench_engine.py`` (or ``python benchmarks/run.py``).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Row, best_of, print_rows  # noqa: E402

from clusterpolicy.evaluation import evaluate  # noqa: E402
from clusterpolicy.input.models import Application, Competition  # noqa: E402
from clusterpolicy.packs import load_pack  # noqa: E402
from clusterpolicy.testing import application_data, competition_data  # noqa: E402

PACK_ID = "kz-2015-decree-535"
PACK_DIR = Path(__file__).resolve().parents[1] / "rules" / PACK_ID
QUICK = os.environ.get("CLUSTERPOLICY_BENCH_QUICK") == "1"


def rows() -> list[Row]:
    number = 5 if QUICK else 20
    data = application_data(2, participants=20, activities=30)
    text = json.dumps(data, ensure_ascii=False)
    application = Application.model_validate_json(text)
    competition = Competition.model_validate(competition_data(2))
    pack = load_pack(PACK_ID)
    result = evaluate(application, competition=competition, pack=pack)
    assert result.status == "admitted", result.reasons

    evaluation = best_of(lambda: evaluate(application, competition=competition, pack=pack), number=number)
    validation = best_of(lambda: Application.model_validate_json(text), number=number)

    tied_text = json.dumps(with_stated_ties(data), ensure_ascii=False)
    tied = Application.model_validate_json(tied_text)
    tied_result = evaluate(tied, competition=competition, pack=pack)
    assert tied_result.status == "admitted", tied_result.reasons
    tied_evaluation = best_of(lambda: evaluate(tied, competition=competition, pack=pack), number=number)
    tied_validation = best_of(lambda: Application.model_validate_json(tied_text), number=number)

    def cold_load() -> None:
        load_pack.cache_clear()
        load_pack(PACK_ID)

    cold = best_of(cold_load, number=1, repeat=3 if QUICK else 7)
    files = sorted(PACK_DIR.glob("*.yaml"))
    plain_yaml = best_of(lambda: [yaml.safe_load(f.read_text("utf-8")) for f in files], number=1, repeat=3 if QUICK else 7)
    load_pack(PACK_ID)
    warm = best_of(lambda: load_pack(PACK_ID), number=10000)
    return [
        Row(f"evaluate(20 participants, 30 activities, {len(pack.rules)} rules)", evaluation,
            "Application.model_validate_json", validation, "target ratio <= 1"),
        Row("  the same, each participant with an owner and a head", tied_evaluation,
            "Application.model_validate_json", tied_validation, "(the affiliation graph has ties to resolve)"),
        Row("load_pack (cache cleared): read + validate", cold, "yaml.safe_load of the same files", plain_yaml,
            f"target < 50 ms (measured {cold * 1000:.1f} ms)"),
        Row("load_pack (cached)", warm, "load_pack (cache cleared)", cold, ""),
    ]


def with_stated_ties(data: dict) -> dict:
    """The application with one owner (an individual, 100%) and one head stated per participant,
    each different, so the affiliation check resolves ties without linking anyone."""
    participants = [
        {
            **person,
            "owners": [{"owner_id": f"Owner {index}", "share_percent": "100"}],
            "officials": [{"name": f"Head {index}", "position": "director"}],
        }
        for index, person in enumerate(data["participants"])
    ]
    return {**data, "participants": participants}


if __name__ == "__main__":
    print_rows(rows)
