"""The written answer at the body limit (issue 26): ``evaluate()`` then ``to_json(compact=True)``
(what the service and ``evaluate --format json --compact`` do) of the heaviest inputs of
``bench_bound`` and ``bench_affiliation`` (12,000 lean participants, every card missing,
criterion 1.1 under its literal reading), linked as each of ``SHAPES``: the six adversarial
shapes of ``bench_affiliation`` (an outsider holding 10% of everyone, a chain of holdings, an
odd cycle, a sparse random graph of two ownership ties each, a hub participant, overlapping
holdings) and no links at all; this version against another.

Each round runs one child process per version and shape, alternately (the order alternating);
each child warms up, then reads its own CPU time (``time.process_time``) of ``evaluate()`` and of
``evaluate()`` + ``to_json(compact=True)``, and of ``Application.model_validate_json`` of the same
text (the baseline any caller pays first; it runs after the answer is written, so it also pays
what the collector, paused while the answer was made, left to do: the last row counts the three
together). The rows: each version's CPU time and its ratio to that baseline (median over rounds,
with the spread), the answer's size, and this version ÷ the other, round by round.

Run: ``CLUSTERPOLICY_BENCH_BEFORE=DIR python benchmarks/bench_written.py`` (DIR holds the other
version's ``clusterpolicy`` package with its ``rules``, e.g. ``git archive main src`` unpacked,
its ``src``, with ``rules/`` copied into ``src/clusterpolicy/rules``); without it, only this
version's rows. ``CLUSTERPOLICY_BENCH_QUICK=1``: 2 rounds. ``CLUSTERPOLICY_BENCH_SHAPES="sparse
random,hub participant"``: only those shapes (default: all of ``SHAPES``).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import Row, print_rows  # noqa: E402

QUICK = os.environ.get("CLUSTERPOLICY_BENCH_QUICK") == "1"
BEFORE = os.environ.get("CLUSTERPOLICY_BENCH_BEFORE")
SHAPES = ("outsider tied to everyone", "chain of holdings", "odd cycle", "sparse random", "hub participant",
          "overlapping holdings", "none")
CHOSEN = tuple(name.strip() for name in os.environ["CLUSTERPOLICY_BENCH_SHAPES"].split(",")) if os.environ.get("CLUSTERPOLICY_BENCH_SHAPES") else SHAPES


def child(shape: str, repeats: int = 2) -> None:
    """One version's measurement of one shape, printed as one JSON line (run with ``--child SHAPE``)."""
    from bench_affiliation import LIMIT, _literal_pack, linked

    import clusterpolicy
    from clusterpolicy.evaluation import evaluate
    from clusterpolicy.input.decree535_form import Application, Competition
    from clusterpolicy.packs import load_pack
    from clusterpolicy.testing import competition_data

    pack = _literal_pack(load_pack("kz-2015-decree-535"))
    competition = Competition.model_validate(competition_data(1))
    n = LIMIT + 1 if shape == "odd cycle" else LIMIT  # an odd cycle: odd
    text = json.dumps(linked(n, shape, lean=True), ensure_ascii=False, default=str)
    application = Application.model_validate_json(text)
    evaluate(application, competition=competition, pack=pack).to_json(compact=True)  # warm up
    evaluated, written, validated = [], [], []
    for _ in range(repeats):
        start = time.process_time()
        result = evaluate(application, competition=competition, pack=pack)
        middle = time.process_time()
        answer = result.to_json(compact=True)
        end = time.process_time()
        Application.model_validate_json(text)
        validated.append(time.process_time() - end)
        evaluated.append(middle - start)
        written.append(end - start)
    print(json.dumps({
        "package": clusterpolicy.__file__, "evaluate": statistics.median(evaluated), "written": statistics.median(written),
        "validate": statistics.median(validated), "mib": len(answer.encode()) / 2**20, "input_mib": len(text.encode()) / 2**20,
    }))


def measure(src: str | None, shape: str) -> dict:
    environment = dict(os.environ)
    if src:
        environment["PYTHONPATH"] = src + os.pathsep + environment.get("PYTHONPATH", "")
    out = subprocess.run([sys.executable, __file__, "--child", shape], capture_output=True, text=True, check=True, env=environment, cwd="/")
    return json.loads(out.stdout.strip().splitlines()[-1])


def rows() -> list[Row]:
    rounds = 2 if QUICK else 3
    versions = {"this version": None, **({"before": BEFORE} if BEFORE else {})}
    out = []
    for shape in CHOSEN:
        found: dict[str, list[dict]] = {name: [] for name in versions}
        for index in range(rounds):
            names = list(versions)[:: -1 if index % 2 else 1]
            for name in names:
                found[name].append(measure(versions[name], shape))
        size = f"{shape} ({found['this version'][-1]['input_mib']:.1f} MiB)"
        for name, runs in found.items():
            mib = runs[-1]["mib"]
            for key, what in (("evaluate", "evaluate()"), ("written", f"evaluate() + to_json(compact=True) ({mib:.1f} MiB answer)")):
                row = Row(f"{name}: {what}, 12,000 participants, {size}", statistics.median(r[key] for r in runs),
                          "model_validate_json of the text", statistics.median(r["validate"] for r in runs), "",
                          [r[key] / r["validate"] for r in runs])
                row.target = f"< 1 s CPU: {'met' if row.subject_seconds < 1 else 'NOT met'} ({row.subject_seconds:.2f} s)"
                out.append(row)
        if BEFORE:
            for run in (*found["this version"], *found["before"]):
                run["round"] = run["written"] + run["validate"]
            for key, what in (("evaluate", "evaluate()"), ("written", "evaluate() + to_json(compact=True)"),
                              ("round", "evaluate() + to_json(compact=True) + the validation after it (the collector's deferred work)")):
                mine, theirs = found["this version"], found["before"]
                out.append(Row(f"{shape}: {what}: this version", statistics.median(r[key] for r in mine), "the other version (same rounds)",
                               statistics.median(r[key] for r in theirs), "", [a[key] / b[key] for a, b in zip(mine, theirs)]))
    return out


if __name__ == "__main__":
    if "--child" in sys.argv:
        child(sys.argv[sys.argv.index("--child") + 1])
    else:
        print_rows(rows)
