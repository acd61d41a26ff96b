"""Timing helpers shared by the benchmark modules.

The machines are shared and noisy, so a benchmark never reports seconds alone: it times a
baseline in the same process, right beside the subject, and reports the ratio.

:func:`paired` is the harness every row uses: subject and baseline are timed **round by
round, interleaved** (subject then baseline in one round, baseline then subject in the next),
and the figure reported is the **median of the per-round ratios**. A machine that slows down
for a few seconds slows both sides of the rounds it touches, so their ratios stay honest;
timing all of the subject's rounds and then all of the baseline's (as before) let the same
ratio read 0.52 in one run and 1.13 in the next. Each row also prints the spread of the paired
ratios (min..max), which says how noisy the machine was.

``before`` runs before every timed call of the subject, outside the timed interval: the engine's
cold rows empty the BIN and name caches there (:func:`cold_caches`), so that every evaluation
meets its identifiers for the first time, as a registry's next application does.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Row:
    """One line of the benchmark report."""

    name: str
    subject_seconds: float
    baseline_name: str
    baseline_seconds: float
    target: str = ""
    ratios: list[float] = field(default_factory=list)
    """The paired per-round ratios (subject / baseline), when the row was timed by :func:`paired`."""
    unit: str = "us"
    """How the two figures are printed: ``us`` (seconds shown as microseconds) or ``Minstr``
    (instruction counts shown in millions, ``bench_instructions``)."""

    @property
    def ratio(self) -> float:
        if self.ratios:
            return statistics.median(self.ratios)
        return self.subject_seconds / self.baseline_seconds if self.baseline_seconds else float("inf")

    def __str__(self) -> str:
        spread = f" [{min(self.ratios):.2f}..{max(self.ratios):.2f}]" if self.ratios else ""
        scale = 1e6 if self.unit == "us" else 1e-6
        return (
            f"{self.name:<52} {self.subject_seconds * scale:>12.2f} {self.unit}   "
            f"{self.baseline_name:<40} {self.baseline_seconds * scale:>12.2f} {self.unit}   "
            f"ratio {self.ratio:>8.3f}{spread}   {self.target}"
        )


@dataclass
class Paired:
    """Medians per call of both sides, and the paired ratios of the rounds."""

    subject: float
    baseline: float
    ratios: list[float]

    def row(self, name: str, baseline_name: str, target: str = "") -> Row:
        return Row(name, self.subject, baseline_name, self.baseline, target, self.ratios)


CLOCK = time.process_time
"""The clock of every in-process figure: this process's CPU time (user + system), not wall time.
The machine is shared: wall time counts the other processes' turns on the cores (it spread
from 0.1x to 350x), CPU time only this one's."""


def _timed(func: Callable[[], object], number: int, before: Callable[[], object] | None) -> float:
    """CPU seconds per call of ``number`` calls; ``before`` (if any) runs untimed before each call."""
    if before is None:
        start = CLOCK()
        for _ in range(number):
            func()
        return (CLOCK() - start) / number
    total = 0.0
    for _ in range(number):
        before()
        start = CLOCK()
        func()
        total += CLOCK() - start
    return total / number


def paired(
    subject: Callable[[], object],
    baseline: Callable[[], object],
    *,
    number: int = 20,
    rounds: int = 15,
    before: Callable[[], object] | None = None,
    before_baseline: Callable[[], object] | None = None,
) -> Paired:
    """Time ``subject`` and ``baseline`` interleaved, ``rounds`` rounds of ``number`` calls each.

    The order within a round alternates, so that neither side always runs on a warmer cache.
    Returns the median time per call of each side and every round's ratio.
    """
    subject(), baseline()  # warm up: imports, lazily built validators, the pack's rendered texts
    subjects, baselines, ratios = [], [], []
    for index in range(rounds):
        if index % 2:
            b = _timed(baseline, number, before_baseline)
            s = _timed(subject, number, before)
        else:
            s = _timed(subject, number, before)
            b = _timed(baseline, number, before_baseline)
        subjects.append(s)
        baselines.append(b)
        ratios.append(s / b if b else float("inf"))
    return Paired(statistics.median(subjects), statistics.median(baselines), ratios)


def cold_caches() -> None:
    """Empty the caches an evaluation fills from the application's identifiers (the BIN decoder's);
    the pack's own caches (rendered titles and citations, parsed paths) stay, as in a service."""
    from clusterpolicy.identifiers import bin as bin_module

    bin_module._info.cache_clear()
    if hasattr(bin_module, "_decoded"):  # a version with the count's BIN cache
        bin_module._decoded.cache_clear()
    from clusterpolicy.identifiers import names

    if hasattr(names.name_key, "cache_clear"):  # a version that remembers names' keys
        names.name_key.cache_clear()
    for name in ("_normalised", "_identity"):  # name caches, where a version of the library has them
        cache = getattr(__import__("clusterpolicy.checks.affiliation", fromlist=["x"]), name, None)
        if cache is not None and hasattr(cache, "cache_clear"):
            cache.cache_clear()


def best_of(func: Callable[[], object], *, number: int = 100, repeat: int = 5) -> float:
    """Best CPU time per call over ``repeat`` rounds of ``number`` calls, in seconds (for a figure
    that has no baseline to pair with, such as a cached call)."""
    best = float("inf")
    for _ in range(repeat):
        start = CLOCK()
        for _ in range(number):
            func()
        best = min(best, (CLOCK() - start) / number)
    return best


def print_rows(rows: Callable[[], list[Row]]) -> None:
    """Run one benchmark module on its own: its rows, then how long it took."""
    started = time.perf_counter()
    for row in rows():
        print(row, flush=True)
    print(f"(ran in {time.perf_counter() - started:.1f} s)")


def cpu_paired(
    subject: Callable[[], object], baseline: Callable[[], object], *, rounds: int = 7, warm: bool = True
) -> Row:
    """Subject and baseline timed by CPU time, interleaved (the order alternates), one call each per round.

    ``warm`` calls each once first, untimed; a benchmark of inputs too large to run twice more passes False.
    """
    if warm:
        subject(), baseline()
    subjects, baselines, ratios = [], [], []
    for index in range(rounds):
        order = [(subject, subjects), (baseline, baselines)]
        for func, into in order[:: -1 if index % 2 else 1]:
            start = time.process_time()
            func()
            into.append(time.process_time() - start)
        ratios.append(subjects[-1] / baselines[-1] if baselines[-1] else float("inf"))
    return Row("", statistics.median(subjects), "", statistics.median(baselines), "", ratios)


def instructions(arguments: list[str], *, environment: dict[str, str] | None = None, warm: bool = True) -> int:
    """Instructions of one run of ``python ARGUMENTS`` under callgrind (``Collected`` in its
    report), with ``PYTHONHASHSEED=0`` so that two runs of the same command count the same;
    ``environment``: the child's (default: this process's); ``warm``: an uncounted run first,
    which writes the bytecode and the caches the counted run then reads."""
    import os
    import re
    import subprocess
    import sys

    child = {**(os.environ if environment is None else environment), "PYTHONHASHSEED": "0"}
    if warm:
        subprocess.run([sys.executable, *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=child, check=False)
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, *arguments],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=child, check=False,
    )  # fmt: skip
    found = re.search(r"Collected : (\d+)", done.stderr)
    assert done.returncode in (0, 1) and found, done.stderr[-2000:]
    return int(found.group(1))

