"""Writing result documents as JSON (issue 26): the compact form the HTTP service answers with
(``to_json(compact=True)``, ``--compact``) beside the indented form the command line prints for
people, and beside pydantic's own ``model_dump_json`` (which keeps the models' field order but
cannot sort keys).

The compact form goes through the standard library's C encoder (``json.dumps`` without an
indent); with ``indent=2`` the ``json`` module falls back to its pure-Python encoder. Both sort
the keys, as docs/output.md promises, so the promise stays: the measurement decides that a
sorting encoder is cheap enough, and no field order has to be defined in the models instead.

Rows are CPU time in this process (``common.paired``: interleaved rounds, median ratio, spread).
Run: ``python benchmarks/bench_output.py`` (or ``python benchmarks/run.py output``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Row, paired, print_rows  # noqa: E402

from clusterpolicy.evaluation import evaluate_competition  # noqa: E402
from clusterpolicy.input.loading import load_competition  # noqa: E402

QUICK = os.environ.get("CLUSTERPOLICY_BENCH_QUICK") == "1"
ROOT = Path(__file__).resolve().parents[1]


def rows() -> list[Row]:
    number, rounds = (3, 5) if QUICK else (10, 11)
    result = evaluate_competition(load_competition(ROOT / "examples" / "competition-2017"), lang="ru")
    size = len(result.to_json().encode())
    compact = paired(lambda: result.to_json(compact=True), lambda: result.to_json(), number=number, rounds=rounds)
    dumped = paired(
        lambda: result.to_json(compact=True), lambda: result.model_dump_json(context={"lang": "ru"}), number=number, rounds=rounds
    )
    return [
        compact.row(f"to_json(compact=True), 12 applications ({size // 1024} KiB pretty)", "to_json() (indent 2, sorted)", "(service: compact)"),
        dumped.row("  the same compact, sorted keys", "model_dump_json (field order, no sorting)", "(sorting's price)"),
    ]


if __name__ == "__main__":
    print_rows(rows)
