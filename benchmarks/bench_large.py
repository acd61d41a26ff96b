"""Large applications: evaluation at 10 to 10,000 participants, and the cyclic garbage collector.

An application of ``n`` participants (stage 1, each a legal entity with a valid BIN, as
``testing.application_data`` makes them) is evaluated under the full pack, cold caches.
Growth is read as the exponent ``k`` of ``time ~ n^k`` between 10 and 10,000 participants
(1.0 is linear). The collector: ``evaluate`` pauses it (``evaluation.gc_paused``); the second
row runs the same evaluation with it running, as before, paired in the same rounds.
Targets (issue 16): 10,000 participants <= 150 ms, growth n^1.0.

Run: ``python benchmarks/bench_large.py`` (or ``python benchmarks/run.py large``).
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Row, cold_caches, paired, print_rows  # noqa: E402

from clusterpolicy.evaluation import _evaluate, evaluate  # noqa: E402
from clusterpolicy.input.decree535_form import Application, Competition  # noqa: E402
from clusterpolicy.packs import load_pack  # noqa: E402
from clusterpolicy.testing import application_data, competition_data  # noqa: E402

QUICK = os.environ.get("CLUSTERPOLICY_BENCH_QUICK") == "1"
SIZES = (10, 100, 1000, 10000)


def large(n: int) -> Application:
    return Application.model_validate(application_data(1, participants=n, activities=5))


def rows() -> list[Row]:
    pack = load_pack("kz-2015-decree-535")
    competition = Competition.model_validate(competition_data(1))
    rounds = 3 if QUICK else 5
    times = {}
    rows_out = []
    for n in SIZES:
        application = large(n)
        number = max(1, 200 // n) if n < 10000 else 1
        timed = paired(
            lambda: evaluate(application, competition=competition, pack=pack),
            lambda: _evaluate(application, competition, pack, "en", None, []),  # the collector running
            number=number,
            rounds=rounds,
            before=cold_caches,
            before_baseline=cold_caches,
        )
        times[n] = timed.subject
        target = "target <= 150 ms" if n == 10000 else ""
        rows_out.append(timed.row(f"evaluate, {n:,} participants (collector paused), cold", "the same, collector running", target))
    exponent = math.log(times[SIZES[-1]] / times[SIZES[0]]) / math.log(SIZES[-1] / SIZES[0])
    upper = math.log(times[SIZES[-1]] / times[SIZES[-2]]) / math.log(SIZES[-1] / SIZES[-2])
    rows_out.append(
        Row(f"growth 10 -> 10,000 participants: n^{exponent:.2f} (1,000 -> 10,000: n^{upper:.2f})", times[SIZES[-1]],
            "10 participants", times[SIZES[0]], "target n^1.0")
    )
    return rows_out


if __name__ == "__main__":
    print_rows(rows)
