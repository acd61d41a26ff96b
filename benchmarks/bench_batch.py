"""A batch of generated applications evaluated one at a time: time per application and memory.

10,000 applications (stage 1, 10-25 participants, 1-12 roadmap activities, drawn from a
seeded generator) are built, validated and evaluated one by one and never kept, as a
streaming service would. Peak memory (``tracemalloc``) is read after 1,000, 2,000, 5,000 and
10,000 applications: a streaming evaluation keeps it flat, so it must not grow with N.

The baseline is pydantic validation of the same applications alone (what reading them costs).

Run: ``python benchmarks/bench_batch.py`` (or ``python benchmarks/run.py``; ``--quick`` stops at 1,000).
"""

from __future__ import annotations

import os
import random
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Row, print_rows  # noqa: E402

from clusterpolicy.evaluation import evaluate  # noqa: E402
from clusterpolicy.input.models import Application, Competition  # noqa: E402
from clusterpolicy.packs import load_pack  # noqa: E402
from clusterpolicy.testing import application_data, competition_data  # noqa: E402

QUICK = os.environ.get("CLUSTERPOLICY_BENCH_QUICK") == "1"
CHECKPOINTS = (200, 500, 1000) if QUICK else (1000, 2000, 5000, 10000)


def generated(count: int, seed: int = 535) -> Iterator[dict]:
    """Plain data of ``count`` applications, made one at a time."""
    rng = random.Random(seed)
    for index in range(count):
        data = application_data(1, participants=rng.randint(10, 25), activities=rng.randint(1, 12))
        data["id"] = f"app-{index:05d}"
        yield data


def stream(count: int, *, evaluate_too: bool) -> tuple[float, dict[int, int], dict[str, int]]:
    """Seconds per application, peak traced memory at each checkpoint, and the status counts."""
    pack = load_pack("kz-2015-decree-535")
    competition = Competition.model_validate(competition_data(1))
    peaks: dict[int, int] = {}
    statuses: dict[str, int] = {}
    tracemalloc.start()
    started = time.perf_counter()
    for done, data in enumerate(generated(count), start=1):
        application = Application.model_validate(data)
        if evaluate_too:
            status = evaluate(application, competition=competition, pack=pack).status
            statuses[status] = statuses.get(status, 0) + 1
        if done in CHECKPOINTS:
            peaks[done] = tracemalloc.get_traced_memory()[1]
    elapsed = time.perf_counter() - started
    tracemalloc.stop()
    return elapsed / count, peaks, statuses


def rows() -> list[Row]:
    count = CHECKPOINTS[-1]
    per_application, peaks, statuses = stream(count, evaluate_too=True)
    assert statuses == {"admitted": count}, statuses
    baseline, _, _ = stream(count, evaluate_too=False)
    growth = peaks[CHECKPOINTS[-1]] / peaks[CHECKPOINTS[0]]
    memory = ", ".join(f"{n}: {peak / 1e6:.1f} MB" for n, peak in peaks.items())
    return [
        Row(f"stream {count} apps: generate + validate + evaluate", per_application,
            "generate + validate only", baseline,
            f"per application; peak memory {memory} (x{growth:.2f} from first to last: flat = streaming)"),
    ]


if __name__ == "__main__":
    print_rows(rows)
