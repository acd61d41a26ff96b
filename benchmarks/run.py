"""The benchmark suite's single entry point: every ``bench_*.py`` module's ``rows()``, as ratios.

Each row times a subject and a baseline in the same run (see ``common.py``): machines are
shared and noisy, so the ratio is the figure to read, not the seconds.

    python benchmarks/run.py            # full run (a few minutes)
    python benchmarks/run.py --quick    # smaller N, under a minute, for CI-like checks
    python benchmarks/run.py engine     # only the modules whose name contains "engine"
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller N, so that the whole run takes under a minute")
    parser.add_argument("only", nargs="*", help="run only the modules whose name contains one of these words")
    args = parser.parse_args(argv)
    if args.quick:
        os.environ["CLUSTERPOLICY_BENCH_QUICK"] = "1"
    sys.path.insert(0, str(HERE))
    names = sorted(path.stem for path in HERE.glob("bench_*.py"))
    names = [name for name in names if not args.only or any(word in name for word in args.only)]
    started = time.perf_counter()
    for name in names:
        module_started = time.perf_counter()
        print(f"== {name}", flush=True)
        for row in importlib.import_module(name).rows():
            print(row, flush=True)
        print(f"   ({time.perf_counter() - module_started:.1f} s)", flush=True)
    print(f"(all {len(names)} modules in {time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
