"""Criterion 1.1's count itself, by instructions (``valgrind --tool=callgrind``), and its outcome
without the explanation, by CPU time (session 8, graph lane).

Rows:

1. ``meets_minimum`` (the outcome of ``evaluate(..., explain=False)``: the deciding reading's
   count alone, the literal reading's greedy set first) against the explained count
   (``count_unaffiliated_legal_entities_json``), 3,000 participants of ``bench_affiliation``'s
   sparse random shape, the literal reading, ``minimum`` 10. Each side's instructions are a
   process counting twice less the same process counting none, halved; ``PYTHONHASHSEED=0``.
2. With ``CLUSTERPOLICY_BENCH_BEFORE=DIR`` (DIR: another version's ``src``): the explained
   count of this version against DIR's, the same way.
3. Criterion 1.1's compiled outcome against its explained verdict (``run``), the 38 KiB stage-1
   application of ``bench_engine`` (20 participants), CPU time, paired.

Needs valgrind for rows 1 and 2 (without it they are left out). Run:
``python benchmarks/bench_count.py`` (about a minute).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Row, instructions, paired, print_rows  # noqa: E402

HERE = Path(__file__).resolve().parent
BEFORE = os.environ.get("CLUSTERPOLICY_BENCH_BEFORE")
SIZE = 3000

_SCRIPT = """
import gc, sys
sys.path.insert(0, {here!r})
from bench_affiliation import linked
from clusterpolicy.input.decree535_form import Application
from clusterpolicy.checks import affiliation as A
gc.disable()
participants = Application.model_validate(linked({size}, "sparse random", lean=True)).participants
for _ in range({calls}):
    {call}
"""
_EXPLAINED = 'A.count_unaffiliated_legal_entities_json(participants, grouping="independent_set", minimum=10)'
_ALONE = 'A.meets_minimum(participants, grouping="independent_set", minimum=10)'


def _instructions(call: str, calls: int, path: str | None) -> int:
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    if path:
        environment["PYTHONPATH"] = path
    return instructions(["-c", _SCRIPT.format(here=str(HERE), size=SIZE, calls=calls, call=call)], environment=environment, warm=False)


def _per_call(call: str, path: str | None = None) -> float:
    return (_instructions(call, 2, path) - _instructions(call, 0, path)) / 2


def rows() -> list[Row]:
    found: list[Row] = []
    if shutil.which("valgrind") is not None:
        explained = _per_call(_EXPLAINED)
        found.append(
            Row(f"meets_minimum, {SIZE:,} sparse random, literal reading", _per_call(_ALONE),
                "count_unaffiliated_legal_entities_json", explained, "", unit="Minstr")
        )  # fmt: skip
        if BEFORE:
            found.append(
                Row(f"the explained count, {SIZE:,} sparse random, this version", explained,
                    f"the same, {BEFORE}", _per_call(_EXPLAINED, BEFORE), "", unit="Minstr")
            )  # fmt: skip
    else:
        print("(bench_count: valgrind is not installed; the instruction rows are left out)")
    from clusterpolicy.checks.fields import Context
    from clusterpolicy.checks.params import Params
    from clusterpolicy.input.decree535_form import Application, Competition
    from clusterpolicy.packs import load_pack
    from clusterpolicy.testing import application_data, competition_data

    pack = load_pack("kz-2015-decree-535")
    rule = next(rule for rule in pack.rules if rule.check.kind == "unaffiliated_legal_entities")
    context = Context(
        Application.model_validate(application_data(1, participants=20, activities=30)),
        Competition.model_validate(competition_data(1)),
    )
    runner = rule.check.compiled()
    timed = paired(lambda: runner.outcome(context, Params(pack)), lambda: runner.verdict(context, Params(pack)), number=100, rounds=9)
    found.append(timed.row("criterion 1.1 compiled outcome, 20 participants", "its explained verdict (run)", ""))
    return found


if __name__ == "__main__":
    print_rows(rows)
