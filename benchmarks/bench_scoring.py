"""Benchmark of scoring and of the what-if on weights, against plain-float baselines.

The subjects do exact arithmetic (fractions, one rounding at the end) and build explainable
pydantic results; the baselines compute the same totals with floats and nothing else, in the
same process. The ratio says what exactness and explanation cost.

Run: ``python benchmarks/bench_scoring.py``.
"""

from __future__ import annotations

import random
import sys
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Row, paired, print_rows  # noqa: E402

from clusterpolicy import read_scoring, score_application, what_if_weights  # noqa: E402
from clusterpolicy.core.errors import RulePackError  # noqa: E402
from clusterpolicy.input.decree535_form import Applicant, Application, ExpertSheet  # noqa: E402
from clusterpolicy.core.sources import read_document  # noqa: E402

PACK_FILE = Path(__file__).resolve().parents[1] / "rules" / "kz-2015-decree-535" / "scoring.yaml"
APPLICATIONS, EXPERTS, WEIGHTINGS = 21, 5, 1000


def marked_application(config, number: int, experts: int, mark) -> Application:
    """Application ``app-NN`` with ``experts`` sheets; ``mark(expert, sub_criterion_id)`` gives each mark."""
    ids = [sub.id for _, sub in config.sub_criteria()]
    start = datetime(2017, 4, 10, 9, 0, tzinfo=timezone(timedelta(hours=6)))
    return Application(
        id=f"app-{number:02d}",
        stage=1,
        cluster_name=f"Cluster {number}",
        region="almaty-city",
        sector="furniture",
        applicant=Applicant(name="Chamber", type="regional_chamber_of_entrepreneurs"),
        submitted_at=start + timedelta(hours=number),
        expert_marks=[
            ExpertSheet(expert_id=f"e{e}", years_of_experience=Decimal(10), marks={key: mark(e, key) for key in ids})
            for e in range(experts)
        ],
    )


def competition(config) -> list[Application]:
    """21 applications (the 2017 count), 5 experts each, every sub-criterion marked 0-5."""
    rnd = random.Random(2017)
    return [
        marked_application(config, n, EXPERTS, lambda expert, key: Decimal(rnd.randint(0, 5))) for n in range(APPLICATIONS)
    ]


def float_scores(applications: list[Application], config) -> list[float]:
    """Baseline: the same weighted mean in plain floats, no checks, no breakdown."""
    weights = [(float(block.weight) * float(sub.weight), sub.id) for block, sub in config.sub_criteria()]
    scale = float(config.scale.maximum)
    totals = []
    for app in applications:
        sheets = app.expert_marks
        total = 0.0
        for weight, key in weights:
            total += weight * sum(float(s.marks[key]) for s in sheets) / len(sheets)
        totals.append(round(total / scale * 100, 2))
    return totals


def float_what_if(shares: list[list[float]], weightings: list[list[float]], winners: int) -> list[list[int]]:
    """Baseline: rank by a float weighted sum under each weighting, keep the winners' positions."""
    result = []
    for weights in weightings:
        totals = [sum(w * s for w, s in zip(weights, row)) for row in shares]
        result.append(sorted(range(len(totals)), key=lambda i: -totals[i])[:winners])
    return result


def rows() -> list[Row]:
    config = read_scoring(read_document(PACK_FILE, error=RulePackError))
    applications = competition(config)
    scores = [score_application(app, config) for app in applications]

    scoring = paired(lambda: [score_application(app, config) for app in applications], lambda: float_scores(applications, config), number=3, rounds=7)

    shares = [[float(block.share) for block in score.blocks] for score in scores]
    rnd = random.Random(0)
    weightings = []
    for _ in range(WEIGHTINGS):
        draws = [rnd.gammavariate(1.0, 1.0) for _ in config.blocks]
        weightings.append([d / sum(draws) for d in draws])
    what_if = paired(
        lambda: what_if_weights(scores, config, winners=6, steps=0, samples=WEIGHTINGS),
        lambda: float_what_if(shares, weightings, 6),
        number=1,
        rounds=5,
    )
    return [
        scoring.row(f"score {APPLICATIONS} apps x {EXPERTS} experts x {len(config.sub_criteria())} sub-criteria", "plain-float weighted mean"),
        what_if.row(f"what-if {WEIGHTINGS} random weightings x {APPLICATIONS} apps", "plain-float ranking, same draws"),
    ]


if __name__ == "__main__":
    print_rows(rows)
