"""A flood of input within the size limit: time and peak memory of the whole command.

Issue "Robustness II": 10 MiB of YAML took two minutes and 3.4 GB, or died with MemoryError
under a 1-1.5 GiB limit. Each row runs ``clusterpolicy evaluate FILE`` in a fresh process on a
file just under the 10 MiB limit and compares it with a process that only imports the command
(the floor every run pays). The figures to read are the ratio and the peak resident memory of
each process (``ru_maxrss``, printed beside the row). Rounds alternate subject and baseline.

- YAML over the value limit: 2.6 million items, refused when the 500,001st value is composed;
- YAML under the value limit: 400,000 strings of 24 characters, read whole and then refused
  by validation (a list where participants belong);
- the same two as JSON.

Run: ``python benchmarks/bench_flood.py`` (or ``python benchmarks/run.py flood``).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Row, print_rows  # noqa: E402

QUICK = bool(os.environ.get("CLUSTERPOLICY_BENCH_QUICK"))
LIMIT = 10 * 1024 * 1024

_MEASURE = """
import resource, sys, time
started = time.perf_counter()
if sys.argv[1] == "-":
    import clusterpolicy.output.cli  # noqa: F401  (the floor: the command's imports)
    code = 0
else:
    from clusterpolicy.output.cli import main
    import io, contextlib
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        code = main(["evaluate", sys.argv[1]])
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, code)
"""


def _files(folder: Path) -> dict[str, Path]:
    pad = "p" * 16
    files = {
        "YAML, 2.6 million items (over the value limit)": ("over.yaml", "participants:\n" + "- 1\n" * 2_600_000),
        "YAML, 400,000 strings (under the value limit)": (
            "under.yaml",
            "participants:\n" + "".join(f"- {pad}{i:06d}\n" for i in range(400_000)),
        ),
        "JSON, 3.5 million items (over the value limit)": ("over.json", json.dumps({"participants": [1] * 3_490_000})),
        "JSON, 400,000 strings (under the value limit)": (
            "under.json",
            json.dumps({"participants": [f"{pad}{i:06d}" for i in range(400_000)]}),
        ),
    }
    paths = {}
    for label, (name, text) in files.items():
        path = folder / name
        path.write_text(text, "utf-8")
        assert path.stat().st_size <= LIMIT, (name, path.stat().st_size)
        paths[label] = path
    return paths


def _run(argument: str) -> tuple[float, int, int]:
    """The whole process's CPU time (user + system, from ``os.wait4`` when it is reaped: not
    the wall clock, which a shared machine inflates), its peak memory (KiB) and exit code."""
    child = subprocess.Popen([sys.executable, "-c", _MEASURE, argument], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = child.stdout.read().split()  # type: ignore[union-attr]
    child.stdout.close()  # type: ignore[union-attr]
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    assert child.returncode == 0, (argument, child.returncode)
    return usage.ru_utime + usage.ru_stime, int(out[1]), int(out[2])


def rows() -> list[Row]:
    rounds = 1 if QUICK else 3
    result = []
    with tempfile.TemporaryDirectory() as folder:
        for label, path in _files(Path(folder)).items():
            subject, floor, memory, floor_memory = [], [], [], []
            for _ in range(rounds):  # alternate: the same load on both
                seconds, rss, code = _run(str(path))
                assert code == 2, f"{label}: exit {code}, expected 2 (refused)"
                subject.append(seconds)
                memory.append(rss)
                seconds, rss, _ = _run("-")
                floor.append(seconds)
                floor_memory.append(rss)
            result.append(
                Row(
                    f"evaluate, {label}: peak {max(memory) / 1024:.0f} MiB",
                    statistics.median(subject),
                    f"import only: peak {max(floor_memory) / 1024:.0f} MiB",
                    statistics.median(floor),
                    "a few seconds and a few hundred MiB at most",
                )
            )
    return result


if __name__ == "__main__":
    print_rows(rows)
