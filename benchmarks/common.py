"""Timing helpers shared by the benchmark modules.

The machines are shared and noisy, so a benchmark never reports seconds alone: it times a
baseline in the same process, right beside the subject, and reports the ratio.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable


@dataclass
class Row:
    """One line of the benchmark report."""

    name: str
    subject_seconds: float
    baseline_name: str
    baseline_seconds: float
    target: str = ""

    @property
    def ratio(self) -> float:
        return self.subject_seconds / self.baseline_seconds if self.baseline_seconds else float("inf")

    def __str__(self) -> str:
        return (
            f"{self.name:<48} {self.subject_seconds * 1e6:>12.2f} us   "
            f"{self.baseline_name:<36} {self.baseline_seconds * 1e6:>12.2f} us   "
            f"ratio {self.ratio:>8.3f}   {self.target}"
        )


def best_of(func: Callable[[], object], *, number: int = 100, repeat: int = 5) -> float:
    """Best time per call over ``repeat`` rounds of ``number`` calls, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            func()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def print_rows(rows: Callable[[], list[Row]]) -> None:
    """Run one benchmark module on its own: its rows, then how long it took."""
    started = time.perf_counter()
    for row in rows():
        print(row, flush=True)
    print(f"(ran in {time.perf_counter() - started:.1f} s)")
