"""Import time of ``clusterpolicy`` beside importing its dependencies alone.

Each figure is the best of several fresh interpreters (``python -c "import x"``, wall time, the
interpreter's own start-up included): the baseline is the same command importing pydantic, yaml,
dateutil and holidays' Kazakhstan calendar, the libraries ``clusterpolicy`` cannot start without.
The ratio says what the package adds on top of them; ``python -X importtime -c "import
clusterpolicy"`` shows where.

Run: ``python benchmarks/bench_import.py`` (or ``python benchmarks/run.py``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Row, print_rows  # noqa: E402

QUICK = os.environ.get("CLUSTERPOLICY_BENCH_QUICK") == "1"
DEPENDENCIES = "import pydantic, yaml, dateutil.relativedelta, holidays.countries.kazakhstan"
"""The dependencies as the package loads them (``holidays`` with its Kazakhstan calendar)."""


def fresh_import(statement: str, repeat: int) -> float:
    """Best wall time of ``python -c statement`` over ``repeat`` fresh interpreters, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True)
        best = min(best, time.perf_counter() - started)
    return best


def rows() -> list[Row]:
    repeat = 3 if QUICK else 9
    bare = fresh_import("pass", repeat)
    package = fresh_import("import clusterpolicy", repeat)
    dependencies = fresh_import(DEPENDENCIES, repeat)
    evaluate_ready = fresh_import("import clusterpolicy.evaluation, clusterpolicy.input.loading", repeat)
    return [
        Row("python -c 'import clusterpolicy'", package, "importing its dependencies alone", dependencies,
            f"package adds {(package - dependencies) * 1000:.0f} ms; bare interpreter {bare * 1000:.0f} ms"),
        Row("import clusterpolicy.evaluation, .input.loading", evaluate_ready, "importing its dependencies alone", dependencies, ""),
    ]


if __name__ == "__main__":
    print_rows(rows)
