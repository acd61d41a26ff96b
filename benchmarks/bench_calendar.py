"""Speed of the working calendar, each figure beside a baseline timed in the same run.

- ``add_working_days`` against ``holidays.KZ().get_nth_working_day`` (target: ratio <= 0.02,
  i.e. at least 50x faster per call);
- the vectorised ``add_working_days_many`` on 1,000 dates against a loop of single calls;
- building the index for 2015-2030 (target: under 100 ms) against building ``holidays.KZ`` alone.

Run: ``python benchmarks/bench_calendar.py``.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import holidays

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Row, paired, print_rows  # noqa: E402

from clusterpolicy import WorkingCalendar, add_working_days, default_calendar  # noqa: E402

START = dt.date(2017, 6, 8)
TERM = 10


def rows() -> list[Row]:
    calendar = default_calendar()
    baseline = holidays.KZ(years=range(2015, 2031))
    baseline.get_nth_working_day(START, TERM)  # populate the years it touches
    assert add_working_days(START, TERM) == baseline.get_nth_working_day(START, TERM)

    single = paired(lambda: add_working_days(START, TERM), lambda: baseline.get_nth_working_day(START, TERM), number=500, rounds=9).row(
        "add_working_days(2017-06-08, 10)", "holidays.KZ().get_nth_working_day", "target ratio <= 0.02 (50x faster)"
    )

    starts = [START + dt.timedelta(days=i % 3000) for i in range(1000)]
    many = paired(lambda: calendar.add_working_days_many(starts, TERM), lambda: [add_working_days(s, TERM) for s in starts], number=10, rounds=9).row(
        "add_working_days_many(1000 dates, 10)", "loop of 1000 add_working_days", "ratio <= 1"
    )

    def build_index() -> None:
        WorkingCalendar.kazakhstan(first_year=2015, last_year=2030)

    timed = paired(build_index, lambda: holidays.KZ(years=range(2015, 2031)), number=1, rounds=5)
    build = timed.row(
        "WorkingCalendar.kazakhstan(2015..2030)", "holidays.KZ(years=2015..2030)", f"target < 100 ms (measured {timed.subject * 1000:.1f} ms)"
    )
    return [single, many, build]


if __name__ == "__main__":
    print_rows(rows)
