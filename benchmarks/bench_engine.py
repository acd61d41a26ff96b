"""Speed of the rules engine and of pack loading, each figure paired with a baseline timed in the
same rounds (``common.paired``: interleaved, median of the per-round ratios).

- ``engine.evaluate`` of a typical application (20 participants, 30 roadmap activities) against
  the full Decree 535 pack, beside pydantic validation of the same application from JSON
  (``Application.model_validate_json``), which every caller pays anyway. The headline is
  **cold**: the BIN and name caches are emptied before every timed evaluation, as for an
  application never seen before (the benchmark evaluates the same application again and again,
  and a warm cache flattered the ratio: 0.69 warm against 0.86-1.01 cold). Warm is the second
  figure. Target (issue 16): cold <= 0.5.
- The same with an owner and a head stated for every participant (the affiliation check has
  ties to resolve).
- The 9-check slice (``bench_floor``) on a validated model against a hand-written Python
  function doing the same nine checks. Target: <= 3.
- Loading and validating the pack (``load_pack.cache_clear()`` then ``load_pack``), target under
  50 ms, beside reading the same YAML files with libyaml's loader alone; and the cached load.

Run: ``python benchmarks/bench_engine.py`` (or ``python benchmarks/run.py``).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_floor import floor_rows  # noqa: E402
from common import Row, best_of, cold_caches, paired, print_rows  # noqa: E402

from clusterpolicy.core.sources import parse_json, validate as validated  # noqa: E402
from clusterpolicy.evaluation import evaluate  # noqa: E402
from clusterpolicy.input.decree535_form import Application, Competition  # noqa: E402
from clusterpolicy.packs import load_pack  # noqa: E402
from clusterpolicy.testing import application_data, competition_data  # noqa: E402

PACK_ID = "kz-2015-decree-535"
PACK_DIR = Path(__file__).resolve().parents[1] / "rules" / PACK_ID
QUICK = os.environ.get("CLUSTERPOLICY_BENCH_QUICK") == "1"
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def rows() -> list[Row]:
    number, rounds = (5, 7) if QUICK else (20, 15)
    data = application_data(2, participants=20, activities=30)
    text = json.dumps(data, ensure_ascii=False)
    application = Application.model_validate_json(text)
    competition = Competition.model_validate(competition_data(2))
    pack = load_pack(PACK_ID)
    result = evaluate(application, competition=competition, pack=pack)
    assert result.status == "admitted", result.reasons

    def run() -> object:
        return evaluate(application, competition=competition, pack=pack)

    def validate() -> object:
        return Application.model_validate_json(text)

    cold = paired(run, validate, number=number, rounds=rounds, before=cold_caches)
    warm = paired(run, validate, number=number, rounds=rounds)

    tied_text = json.dumps(with_stated_ties(data), ensure_ascii=False)
    tied = Application.model_validate_json(tied_text)
    assert evaluate(tied, competition=competition, pack=pack).status == "admitted"

    def run_tied() -> object:
        return evaluate(tied, competition=competition, pack=pack)

    def validate_tied() -> object:
        return Application.model_validate_json(tied_text)

    tied_cold = paired(run_tied, validate_tied, number=number, rounds=rounds, before=cold_caches)
    tied_warm = paired(run_tied, validate_tied, number=number, rounds=rounds)

    # Stage 1 (criterion 1.1 and the participant cards run), against the library's own reading of
    # the same JSON text (parse_json: the strict reader every .json file goes through, then validate)
    stage1_text = json.dumps(application_data(1, participants=20, activities=30), ensure_ascii=False)
    stage1 = Application.model_validate_json(stage1_text)
    stage1_competition = Competition.model_validate(competition_data(1))
    assert evaluate(stage1, competition=stage1_competition, pack=pack).status == "admitted"

    def read_stage1() -> object:
        return validated(Application, parse_json(stage1_text, "<bench>"))

    def run_stage1() -> object:
        return evaluate(stage1, competition=stage1_competition, pack=pack)

    def run_stage1_bare() -> object:
        return evaluate(stage1, competition=stage1_competition, pack=pack, explain=False)

    stage1_cold = paired(run_stage1, read_stage1, number=number, rounds=rounds, before=cold_caches)
    stage1_bare = paired(run_stage1_bare, read_stage1, number=number, rounds=rounds, before=cold_caches)
    kib = len(stage1_text.encode()) / 1024

    def cold_load() -> None:
        load_pack.cache_clear()
        load_pack(PACK_ID)

    files = sorted(PACK_DIR.glob("*.yaml"))
    loads = paired(cold_load, lambda: [yaml.load(f.read_text("utf-8"), Loader=LOADER) for f in files], number=1, rounds=5 if QUICK else 9)
    load_pack(PACK_ID)
    cached = best_of(lambda: load_pack(PACK_ID), number=10000)
    return [
        cold.row(f"evaluate, COLD caches (20 participants, 30 activities, {len(pack.rules)} rules)", "Application.model_validate_json", "target <= 0.5"),
        warm.row("  the same, warm caches (same BINs every call)", "Application.model_validate_json", ""),
        tied_cold.row("evaluate, cold, each participant with an owner and a head", "Application.model_validate_json", "(ties to resolve)"),
        tied_warm.row("  the same, warm caches", "Application.model_validate_json", ""),
        stage1_cold.row(f"evaluate, stage 1, cold ({kib:.0f} KiB: 20 participants, 30 activities)", "parse_json + validate (the library's reading)", "target <= 1.0"),
        stage1_bare.row("  the same, explain=False (outcomes only)", "parse_json + validate (the library's reading)", "target <= 0.5"),
        *floor_rows(number, rounds),
        loads.row("load_pack (cache cleared): read + validate", "yaml.load (libyaml) of the same files", f"target < 50 ms (measured {loads.subject * 1000:.1f} ms)"),
        Row("load_pack (cached)", cached, "load_pack (cache cleared)", loads.subject, ""),
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
