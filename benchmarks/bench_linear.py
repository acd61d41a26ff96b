"""Linear time where input from outside decides the size (issue "Robustness II").

Each row times the same path at N and at 10 N in the same run: the ratio of the two is about
10 where the path is linear, about 100 where it is quadratic (as the duplicate-expert check,
the iCalendar line folding, the ranking's ties and the what-if positions were).

Run: ``python benchmarks/bench_linear.py``.
"""

from __future__ import annotations

import os
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scoring import marked_application  # noqa: E402
from common import Row, paired, print_rows  # noqa: E402

from clusterpolicy import load_pack, load_pack_from, rank_competition, score_application, what_if_weights  # noqa: E402
from clusterpolicy.input.decree535_form import Application  # noqa: E402
from clusterpolicy.procedure.timeline import _fold  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
QUICK = bool(os.environ.get("CLUSTERPOLICY_BENCH_QUICK"))
CONFIG = load_pack("kz-2015-decree-535").scoring


def application(sheets: int, number: int = 0) -> Application:
    return marked_application(CONFIG, number, sheets, lambda expert, key: Decimal(expert % 6))


def pair(name: str, small: int, make, run, number: int = 3) -> Row:
    """``run`` on an input of size 10 x ``small`` against the same on ``small``."""
    little, large = make(small), make(10 * small)
    timed = paired(lambda: run(large), lambda: run(little), number=number, rounds=3 if QUICK else 5)
    return timed.row(f"{name}, N = {10 * small:,}", f"the same, N = {small:,}", "about 10 (linear); 100 is quadratic")

def pack_with_rules(count: int) -> Path:
    """A copy of the Decree 535 pack whose ``contents.yaml`` holds ``count`` rules (copies of its first)."""
    import re
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="bench-pack-")) / "kz-2015-decree-535"
    shutil.copytree(ROOT / "rules" / "kz-2015-decree-535", folder, ignore=shutil.ignore_patterns("tests"))
    file = folder / "contents.yaml"
    head, _, body = file.read_text("utf-8").partition("rules:\n")
    items = [item for item in re.split(r"(?m)^(?=  - id: )", body) if item.startswith("  - id: ")]
    rule_id = re.match(r"  - id: (\S+)", items[0]).group(1)
    extra = [items[0].replace(f"  - id: {rule_id}", f"  - id: {rule_id}-copy{k}", 1) for k in range(count - len(items))]
    file.write_text(head + "rules:\n" + "".join(items + extra), "utf-8")
    return folder


def rows() -> list[Row]:
    scale = 1 if QUICK else 4
    scores = [score_application(application(3, n), CONFIG) for n in range(200 * scale)]

    def ranking(n: int) -> list:
        """``n`` scores, all with the same total (every one tied)."""
        return [scores[0].model_copy(update={"application_id": f"x{i:06d}"}) for i in range(n)]

    return [
        pair("iCalendar line folding, characters", 500_000 * scale, lambda n: "x" * n, _fold),
        pair("expert sheets of one application", 300 * scale, lambda n: application(n), lambda a: score_application(a, CONFIG), 1),
        pair(
            "ranking, applications with equal totals",
            100 * scale,
            ranking,
            lambda s: rank_competition(s, minimum_score=None, compliant_ids={x.application_id for x in s}, config=CONFIG),
            1,
        ),
        pair("loading a pack folder, rules", 200 if QUICK else 800, pack_with_rules, load_pack_from, 1),
        pair(
            "what-if positions, applications",
            20 * scale,
            lambda n: scores[:n],
            lambda s: what_if_weights(s, CONFIG, winners=3, samples=20),
            1,
        ),
    ]


if __name__ == "__main__":
    print_rows(rows)
