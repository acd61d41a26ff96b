"""Benchmark of issue 24's item 5: what remedies and sensitivity cost, as ratios to one evaluation.

Every row is timed by CPU time, subject and baseline interleaved round by round in the same run
(:func:`common.paired`), and reports the median of the per-round ratios:

- **remedies** (target <= 1.30): ``clusterpolicy evaluate COMPETITION --details`` (in process, the
  output written to memory) with the remedies, against the same command with every remedy left out
  (:func:`clusterpolicy.evaluation.without_remedies`), on the 2017 example and on one application
  file that fails criterion 1.1 (12 legal entities in a chain of holdings); then the evaluation
  alone (no parsing, no text) with and without them, which is the stricter ratio: the example,
  the chain, and a large application (1,000 participants, all but two held by one holding:
  criterion 1.1's remedy counts what is missing and recounts to find the link whose end would
  suffice, then the patch's new entities are run through the rules that read the participants).
- **sensitivity** (target <= 1 + the number of readings): ``clusterpolicy.sensitivity`` of a parsed
  competition, against one evaluation of that competition under the same loaded pack (without
  remedies, as sensitivity evaluates): parsing and pack loading are shared, not counted on either
  side. Then the protocols' way (the report given as ``baseline``, not evaluated again), and, for
  information, the whole product of the readings (``all_combinations=True``, 192 combinations of
  the shipped decree's seven choices that decide a verdict).

Run: ``python benchmarks/bench_remedies.py`` (or ``python benchmarks/run.py remedies``;
``CLUSTERPOLICY_BENCH_QUICK=1``: fewer rounds).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Row, paired, print_rows  # noqa: E402

from clusterpolicy import load_competition  # noqa: E402
from clusterpolicy.comparison import sensitivity  # noqa: E402
from clusterpolicy.competition import run_competition  # noqa: E402
from clusterpolicy.evaluation import evaluate, without_remedies  # noqa: E402
from clusterpolicy.input.decree535_form import Application, Competition  # noqa: E402
from clusterpolicy.output.cli import main  # noqa: E402
from clusterpolicy.packs import load_pack  # noqa: E402
from clusterpolicy.testing import application_data, competition_data  # noqa: E402

QUICK = os.environ.get("CLUSTERPOLICY_BENCH_QUICK") == "1"
ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "competition-2017"
PACK = "kz-2015-decree-535"


def details(path: Path, *, remedies: bool) -> int:
    """``clusterpolicy evaluate PATH --details``, in process, its output to memory."""
    out = io.StringIO()
    argv = ["evaluate", str(path), "--details"] + ([] if path.is_dir() else ["--pack", PACK])
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        if remedies:
            return main(argv)
        with without_remedies():
            return main(argv)


def chained(n: int) -> dict:
    """An application of ``n`` legal entities, each held 50 % by the one before it: one group,
    criterion 1.1 counts 1; no five links' end would reach 10."""
    data = application_data(1, participants=n, activities=5)
    people = data["participants"]
    for before, after in zip(people, people[1:]):
        after["owners"] = [{"owner_id": before["bin"], "owner_name": before["name"], "share_percent": 50}]
    return data


def held_by_one(n: int) -> Application:
    """An application of ``n`` legal entities, all but two held by one holding that is not a
    participant: criterion 1.1 counts 3, and its remedy has work to do."""
    data = application_data(1, participants=n, activities=5)
    for participant in data["participants"][2:]:
        participant["owners"] = [{"owner_id": "070540961237", "owner_name": "АО «Холдинг»", "share_percent": 100}]
    return Application.model_validate(data)


def quietly(call):
    def run():
        with without_remedies():
            return call()

    return run


def rows() -> list[Row]:
    pack = load_pack(PACK)
    competition = load_competition(EXAMPLE)
    rounds = 5 if QUICK else 11
    out: list[Row] = []

    timed = paired(lambda: details(EXAMPLE, remedies=True), lambda: details(EXAMPLE, remedies=False),
                   number=2 if QUICK else 3, rounds=rounds)
    out.append(timed.row("evaluate --details, 2017 example, with remedies", "the same without remedies", "target <= 1.30"))

    with tempfile.TemporaryDirectory() as folder:
        chain_file = Path(folder) / "chain.json"
        chain_file.write_text(json.dumps(chained(12), ensure_ascii=False, default=str), "utf-8")
        timed = paired(lambda: details(chain_file, remedies=True), lambda: details(chain_file, remedies=False),
                       number=5, rounds=rounds)
    out.append(timed.row("evaluate FILE --details, a chain of 12, with remedies", "the same without remedies", "target <= 1.30"))

    timed = paired(lambda: run_competition(competition, pack=pack),
                   quietly(lambda: run_competition(competition, pack=pack)), number=3, rounds=rounds)
    out.append(timed.row("evaluation of the 2017 example, with remedies", "the same without remedies", "(engine alone)"))

    header = Competition.model_validate(competition_data(1))
    chain = Application.model_validate(chained(12))
    timed = paired(lambda: evaluate(chain, competition=header, pack=pack),
                   quietly(lambda: evaluate(chain, competition=header, pack=pack)), number=10, rounds=rounds)
    out.append(timed.row("evaluate, a chain of 12, with remedies", "the same without remedies", "(engine alone)"))
    large = held_by_one(1000)
    timed = paired(lambda: evaluate(large, competition=header, pack=pack),
                   quietly(lambda: evaluate(large, competition=header, pack=pack)), number=1, rounds=rounds)
    out.append(timed.row("evaluate, 1,000 participants held by one, with remedies", "the same without remedies", "(engine alone)"))

    readings = sum(1 for choice in pack.choices() for r in choice.readings
                   if not (type(r.value) is type(choice.value) and r.value == choice.value))
    one = quietly(lambda: run_competition(competition, pack=pack))
    timed = paired(lambda: sensitivity(competition, pack=pack), one, number=1, rounds=rounds)
    out.append(timed.row(f"sensitivity, 2017 example ({readings} readings)", "one evaluation (shared parsing and pack)",
                         f"target <= {1 + readings}"))

    report = run_competition(competition, pack=pack)
    timed = paired(lambda: sensitivity(competition, baseline=report), one, number=1, rounds=rounds)
    out.append(timed.row("sensitivity given the protocol's report", "one evaluation (shared parsing and pack)",
                         f"target <= {readings}"))

    timed = paired(lambda: sensitivity(competition, pack=pack, all_combinations=True), one, number=1, rounds=3 if QUICK else 5)
    out.append(timed.row("sensitivity --all-combinations (192 combinations)", "one evaluation (shared parsing and pack)",
                         "(information: <= 1 + 191 were it evaluated in full)"))
    return out


if __name__ == "__main__":
    print_rows(rows)
