"""Whole processes: importing the package and running ``clusterpolicy evaluate``, beside the
process floor ``python -c "import pydantic, holidays, yaml"`` (the libraries the package cannot
start without), as in issue 16.

Each round starts the subject and the floor one after the other (the order alternating), and
reads each child's CPU time (user + system, ``os.wait4``), which a loaded machine inflates far
less than wall time; the figure is the median of the per-round ratios, with their spread.
Targets (issues 16 and 26): one example application <= 2.5x the floor, the 12-application
competition <= 4x.

The children use a cache folder of their own (``clusterpolicy.core.cache``: the shipped packs
kept validated), as an installed command uses the user's; the warm-up run of each row fills it. Run with
``CLUSTERPOLICY_CACHE_DIR=`` (empty) for the commands without it.

Run: ``python benchmarks/bench_import.py`` (or ``python benchmarks/run.py import``).
``CLUSTERPOLICY_BENCH_BEFORE=FOLDER`` (a folder holding another version's ``clusterpolicy``
package, e.g. made by ``git archive``) pairs the two commands with that version instead.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Row, print_rows  # noqa: E402

QUICK = os.environ.get("CLUSTERPOLICY_BENCH_QUICK") == "1"
ROOT = Path(__file__).resolve().parents[1]
FLOOR = [sys.executable, "-c", "import pydantic, holidays, yaml"]
APPLICATION = ROOT / "examples" / "competition-2017" / "01-karaganda-construction.yaml"
COMPETITION = ROOT / "examples" / "competition-2017"
ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
"""The children's environment: bytecode is written (by the warm-up run) and read, as for an
installed package (pip compiles it when installing). With ``PYTHONDONTWRITEBYTECODE`` set, as
on the project's machine, every module changed since its ``.pyc`` was written, or never
compiled (another version unpacked by ``git archive``), was compiled again by every run: 39
modules, about 80 ms of a 0.4 s command.

The packs' cache is this run's own folder (unless ``CLUSTERPOLICY_CACHE_DIR`` is set): the
user's folder keeps 4 keys per entry, and other checkouts' processes on the same machine (other
versions of the code) evicted this one's between rounds, so that some rounds validated the packs."""
ENVIRONMENT.setdefault("CLUSTERPOLICY_CACHE_DIR", tempfile.mkdtemp(prefix="clusterpolicy-bench-cache-"))


def cpu_of(command: list[str]) -> float:
    """CPU seconds (user + system) of one run of ``command``, its output thrown away, read from
    the operating system when the child is reaped (``os.wait4``): this child's alone. Wall
    seconds where the platform has no ``wait4`` (Windows)."""
    if not hasattr(os, "wait4"):
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=ENVIRONMENT)
        return time.perf_counter() - started
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENVIRONMENT)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait for it again
    assert child.returncode in (0, 1), (command, child.returncode)  # an error exits early: no figure
    return usage.ru_utime + usage.ru_stime


def process_row(name: str, command: list[str], rounds: int, target: str = "") -> Row:
    cpu_of(command), cpu_of(FLOOR)  # warm the file cache (and write bytecode where allowed)
    subjects, floors, ratios = [], [], []
    for index in range(rounds):
        if index % 2:
            floor, subject = cpu_of(FLOOR), cpu_of(command)
        else:
            subject, floor = cpu_of(command), cpu_of(FLOOR)
        subjects.append(subject)
        floors.append(floor)
        ratios.append(subject / floor)
    return Row(name, statistics.median(subjects), "python -c 'import pydantic, holidays, yaml'", statistics.median(floors), target, ratios)


def before_row(name: str, argv: list[str], before: str, rounds: int) -> Row:
    """The same command on this checkout and on ``before`` (a folder holding another version's
    ``clusterpolicy`` package, first on ``PYTHONPATH``), interleaved as :func:`process_row` does:
    the ratio this / before."""
    env = {**ENVIRONMENT, "PYTHONPATH": before}

    def run(environment: dict[str, str] | None) -> float:
        child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment or ENVIRONMENT)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        assert child.returncode in (0, 1), (argv, child.returncode, environment is not None)  # an error exits early
        return usage.ru_utime + usage.ru_stime

    run(None), run(env)
    nows, befores, ratios = [], [], []
    for index in range(rounds):
        if index % 2:
            then, now = run(env), run(None)
        else:
            now, then = run(None), run(env)
        nows.append(now)
        befores.append(then)
        ratios.append(now / then)
    return Row(name, statistics.median(nows), "the same command, before", statistics.median(befores), "", ratios)


def rows() -> list[Row]:
    rounds = 5 if QUICK else 11
    cli = [sys.executable, "-m", "clusterpolicy", "evaluate"]
    before = os.environ.get("CLUSTERPOLICY_BENCH_BEFORE")  # another version's package folder, to pair with
    if before:
        return [
            before_row("clusterpolicy evaluate <one application>: now / before (CPU)", [*cli, str(APPLICATION)], before, rounds),
            before_row("clusterpolicy evaluate <competition>: now / before (CPU)", [*cli, str(COMPETITION)], before, rounds),
        ]
    return [
        process_row("python -c 'import clusterpolicy' (CPU)", [sys.executable, "-c", "import clusterpolicy"], rounds),
        process_row("import clusterpolicy.evaluation, .input.loading (CPU)", [sys.executable, "-c", "import clusterpolicy.evaluation, clusterpolicy.input.loading"], rounds),
        process_row("clusterpolicy evaluate <one application> (CPU)", [*cli, str(APPLICATION)], rounds, "target <= 2.5"),
        process_row("clusterpolicy evaluate <12-application competition> (CPU)", [*cli, str(COMPETITION)], rounds, "target <= 4"),
    ]


if __name__ == "__main__":
    print_rows(rows)
