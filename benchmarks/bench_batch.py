"""The streaming batch (``clusterpolicy.evaluate_lines``, ``evaluate --jsonl``): applications per
second per core, and memory over the batch.

Generated applications (stage 1, 10-25 participants, 1-12 roadmap activities, from a seeded
generator) are written as JSON Lines, one at a time, and fed to ``evaluate_lines``, whose items
are consumed and dropped as a service writing them out would. Peak memory (``tracemalloc``) is
read at checkpoints: a streaming evaluation keeps it flat, so it must not grow with N.

Rates are **CPU seconds of this process** (``time.process_time``), i.e. per core, which a loaded
machine inflates less than wall time; the baseline, paired in the same run, is reading and
validating the same lines alone (``batch.read_line``), what any consumer of the data pays.
Target (issue 16): >= 2,000 applications per second per core, memory flat over 100,000.

Run: ``python benchmarks/bench_batch.py`` (or ``python benchmarks/run.py batch``; ``--quick``
stops at 1,000).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Row, print_rows  # noqa: E402

from clusterpolicy.batch import evaluate_lines, read_line  # noqa: E402
from clusterpolicy.packs import load_pack  # noqa: E402
from clusterpolicy.testing import application_data  # noqa: E402

QUICK = os.environ.get("CLUSTERPOLICY_BENCH_QUICK") == "1"
CHECKPOINTS = (200, 500, 1000) if QUICK else (1000, 2000, 5000, 10000, 20000)


def generated(count: int, seed: int = 535, full: bool = False) -> Iterator[str]:
    """``count`` applications as JSON Lines, made one at a time (``full``: each with 20
    participants and 30 roadmap activities, about 38 KiB)."""
    rng = random.Random(seed)
    for index in range(count):
        if full:
            data = application_data(1, participants=20, activities=30)
        else:
            data = application_data(1, participants=rng.randint(10, 25), activities=rng.randint(1, 12))
        data["id"] = f"app-{index:06d}"
        yield json.dumps(data, ensure_ascii=False)


def stream(
    count: int, *, evaluate_too: bool, trace: bool = False, explain: bool = True, full: bool = False, write: bool = False
) -> tuple[float, dict[int, int], dict[str, int]]:
    """CPU seconds per application (the lines' generation excluded), peak memory at each
    checkpoint (with ``trace``), and the status counts; ``write``: each item also written as
    its JSON line (``to_json_line``, as ``evaluate --jsonl`` does: the decision record's digests
    are then computed; a consumer that reads only statuses never computes them)."""
    pack = load_pack("kz-2015-decree-535")
    lines = list(generated(min(count, 2000 if not full else 200), full=full))  # generated once, cycled: not timed
    source = (lines[n % len(lines)] for n in range(count))
    peaks: dict[int, int] = {}
    statuses: dict[str, int] = {}
    if trace:
        tracemalloc.start()
    started = time.process_time()
    if evaluate_too:
        for done, item in enumerate(evaluate_lines(source, pack=pack, explain=explain), start=1):
            statuses[item.result.status] = statuses.get(item.result.status, 0) + 1
            if write:
                item.to_json_line()
            if trace and done in CHECKPOINTS:
                peaks[done] = tracemalloc.get_traced_memory()[1]
    else:
        for done, text in enumerate(source, start=1):
            read_line(text, done)
    elapsed = time.process_time() - started
    if trace:
        tracemalloc.stop()
    return elapsed / count, peaks, statuses


def rows() -> list[Row]:
    count = 1000 if QUICK else 10000
    ratios = []
    subject_times, baseline_times = [], []
    for round_ in range(3):  # interleaved rounds, as common.paired does for in-process figures
        if round_ % 2:
            baseline, _, _ = stream(count // 5, evaluate_too=False)
            subject, _, statuses = stream(count // 5, evaluate_too=True)
        else:
            subject, _, statuses = stream(count // 5, evaluate_too=True)
            baseline, _, _ = stream(count // 5, evaluate_too=False)
        assert set(statuses) <= {"admitted", "undetermined"}, statuses
        subject_times.append(subject)
        baseline_times.append(baseline)
        ratios.append(subject / baseline)
    # explain=False on the full-content applications: the target is >= 2/3 of the validate-only rate
    bare_ratios, bare_times, full_times = [], [], []
    for round_ in range(5 if QUICK else 7):
        if round_ % 2:
            baseline, _, _ = stream(count // 10, evaluate_too=False, full=True)
            subject, _, statuses = stream(count // 10, evaluate_too=True, explain=False, full=True)
        else:
            subject, _, statuses = stream(count // 10, evaluate_too=True, explain=False, full=True)
            baseline, _, _ = stream(count // 10, evaluate_too=False, full=True)
        assert set(statuses) <= {"admitted", "undetermined"}, statuses
        bare_times.append(subject)
        full_times.append(baseline)
        bare_ratios.append(subject / baseline)
    written_ratios, written_times, written_base = [], [], []
    for round_ in range(3):
        order = [("s", True), ("b", False)][:: -1 if round_ % 2 else 1]
        for name, evaluate_too in order:
            value, _, _ = stream(count // 10, evaluate_too=evaluate_too, explain=False, full=True, write=evaluate_too)
            (written_times if name == "s" else written_base).append(value)
        written_ratios.append(written_times[-1] / written_base[-1])
    _, bare_peaks, _ = stream(CHECKPOINTS[-1] // 2, evaluate_too=True, explain=False, full=True, trace=True)
    _, peaks, _ = stream(CHECKPOINTS[-1], evaluate_too=True, trace=True)
    growth = peaks[CHECKPOINTS[-1]] / peaks[CHECKPOINTS[0]]
    memory = ", ".join(f"{n}: {peak / 1e6:.1f} MB" for n, peak in peaks.items())
    best = sorted(subject_times)[1]
    return [
        Row(
            "evaluate_lines: read + validate + evaluate, per app (CPU)",
            best,
            "read_line: read + validate only",
            sorted(baseline_times)[1],
            f"{1 / best:,.0f} apps/s/core (target >= 2,000)",
            ratios,
        ),
        Row(
            "evaluate_lines explain=False, 38 KiB apps, per app (CPU)",
            statistics.median(bare_times),
            "read_line: read + validate only",
            statistics.median(full_times),
            f"throughput {statistics.median(full_times) / statistics.median(bare_times):.2f} of validate-only "
            f"(target >= 0.67); peak memory {', '.join(f'{n}: {v / 1e6:.1f} MB' for n, v in bare_peaks.items())}",
            bare_ratios,
        ),
        Row(
            "  the same, each item written as its JSON line (digests computed), per app (CPU)",
            statistics.median(written_times),
            "read_line: read + validate only",
            statistics.median(written_base),
            f"throughput {statistics.median(written_base) / statistics.median(written_times):.2f} of validate-only (target >= 0.67)",
            written_ratios,
        ),
        Row(f"  peak traced memory over {CHECKPOINTS[-1]:,} apps (MB)", peaks[CHECKPOINTS[-1]] / 1e12, f"at {CHECKPOINTS[0]:,} apps (MB)",
            peaks[CHECKPOINTS[0]] / 1e12, f"{memory}: x{growth:.2f} (flat = streaming)"),
    ]


if __name__ == "__main__":
    print_rows(rows)
