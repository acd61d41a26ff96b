"""The 1 s CPU bound (issues 26, 27): ``evaluate()`` of the largest applications within the
service's 4 MiB body, failing, with and without their explanation, remedies and the decision
record included (what ``evaluate()`` returns).

Inputs: ``bench_affiliation.linked(12,000, shape, lean=True)`` (12,000 participants stating only
id, name, BIN, legal status and kind: every participant lacks its card, so the card rule fails
for each and its remedy patches all 12,000), under the literal reading of criterion 1.1
(``affiliation_grouping: independent_set``, the heavier one). Shapes: no links (1.4 MiB), and a
sparse random graph of two ownership ties each (2.7 MiB, the heaviest shape of
``bench_affiliation``).

Rows (CPU time by ``time.process_time``, the collector as ``evaluate`` leaves it; subject and
baseline interleaved round by round; the median of the per-round ratios with their spread):

1. ``evaluate()``, explained, against ``Application.model_validate_json`` of the same text
   (the parsing and validation any caller pays first); the absolute CPU time is in the row's
   name and in its target column.
2. the same with ``explain=False``.
3. what the decision record adds to ``evaluate()``: ``decision_record`` + ``sealed`` (its
   digests are computed when first needed, so nothing here) against the evaluation without it
   (``_evaluate``).
4. the share that is remedies: ``_evaluate`` against the same under ``without_remedies()``.
5. what the service and ``--format json --compact`` do: ``evaluate()`` then ``to_json(compact=True)``
   (the dump, both digests, the encoding), against the same ``model_validate_json``.

Run: ``python benchmarks/bench_bound.py`` (``CLUSTERPOLICY_BENCH_QUICK=1``: one shape, 2 rounds).
Each evaluation takes one to a few seconds of CPU: the whole run takes a few minutes.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_affiliation import LIMIT, _literal_pack, linked  # noqa: E402
from common import Row, cpu_paired, print_rows  # noqa: E402

from clusterpolicy.core.record import sealed  # noqa: E402
from clusterpolicy.evaluation import _evaluate, decision_record, evaluate, gc_paused, without_remedies  # noqa: E402
from clusterpolicy.input.decree535_form import Application, Competition  # noqa: E402
from clusterpolicy.packs import load_pack  # noqa: E402
from clusterpolicy.testing import competition_data  # noqa: E402

QUICK = os.environ.get("CLUSTERPOLICY_BENCH_QUICK") == "1"




def rows() -> list[Row]:
    out: list[Row] = []
    rounds = 2 if QUICK else 3
    pack = _literal_pack(load_pack("kz-2015-decree-535"))
    competition = Competition.model_validate(competition_data(1))
    shapes = ("sparse random",) if QUICK else ("none", "sparse random")
    for shape in shapes:
        text = json.dumps(linked(LIMIT, shape, lean=True), ensure_ascii=False, default=str)
        application = Application.model_validate_json(text)
        label = f"{LIMIT:,} participants, {shape} ({len(text.encode()) / 2**20:.1f} MiB), failing"

        def explained() -> object:
            return evaluate(application, competition=competition, pack=pack)

        def bare() -> object:
            return evaluate(application, competition=competition, pack=pack, explain=False)

        def validate() -> object:
            return Application.model_validate_json(text)

        result = explained()
        assert result.status != "admitted"
        for name, func in (("evaluate()", explained), ("evaluate(explain=False)", bare)):
            row = cpu_paired(func, validate, rounds=rounds, warm=False)
            row.name, row.baseline_name = f"{name}, {label}: {row.subject_seconds:.2f} s CPU", "model_validate_json of the text"
            row.target = f"< 1 s CPU: {'met' if row.subject_seconds < 1 else 'NOT met'} ({row.subject_seconds:.2f} s)"
            out.append(row)

        def inner() -> object:
            with gc_paused():
                return _evaluate(application, competition, pack, "en", None, [])

        def with_record() -> object:
            with gc_paused():
                return sealed(inner(), decision_record(pack, application, competition))

        def no_remedies() -> object:
            with without_remedies(), gc_paused():
                return _evaluate(application, competition, pack, "en", None, [])

        row = cpu_paired(with_record, inner, rounds=rounds, warm=False)
        row.name, row.baseline_name = f"  the same with its decision record ({row.subject_seconds:.2f} s)", f"without it ({row.baseline_seconds:.2f} s)"
        out.append(row)
        row = cpu_paired(inner, no_remedies, rounds=rounds, warm=False)
        row.name, row.baseline_name = f"  the same with remedies ({row.subject_seconds:.2f} s)", f"without them ({row.baseline_seconds:.2f} s)"
        out.append(row)

        def written() -> object:
            return explained().to_json(compact=True)

        size = len(written().encode())
        row = cpu_paired(written, validate, rounds=rounds, warm=False)
        row.name = f"  evaluate() + to_json(compact=True) ({size / 2**20:.1f} MiB answer): {row.subject_seconds:.2f} s CPU"
        row.baseline_name = "model_validate_json of the text"
        out.append(row)
    return out


if __name__ == "__main__":
    print_rows(rows)
