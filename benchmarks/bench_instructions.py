"""Issue 26's targets counted in instructions (``valgrind --tool=callgrind``), beside the CPU-time
rows of the other modules: on a shared machine an instruction count does not move with the load.

Every figure is a whole process run under callgrind (``Collected`` in its report), the
instructions of the interpreter and the libraries included; ``PYTHONHASHSEED=0`` so that two runs
of the same command count the same, and the packs' cache is this run's own folder, filled by an
uncounted run of each command first (as a user's second command finds it). Rows:

- ``clusterpolicy evaluate`` of one example application, and of the 12-application competition,
  against the process floor ``python -c "import pydantic, holidays, yaml"`` (as ``bench_import``);
- the 9-check slice of ``bench_floor`` (engine with its explanation, caches emptied before each
  call, as its cold row) against the hand-written function: each side's instructions per call
  are the difference between a process making ``CALLS`` calls and the same process making none,
  divided by ``CALLS``, so imports and set-up cancel out (and the emptying of the caches, counted
  apart and taken off, as ``bench_floor`` does it outside its timing);
- stage-1 ``evaluate`` of ``bench_engine``'s 20-participant application (criterion 1.1 and the
  participant cards run), cold, with its explanation and with ``explain=False``, against the
  library's own reading of the same JSON text (``parse_json`` + ``validate``, as bench_engine's
  stage-1 rows), per call by the same difference of two processes.

Needs valgrind (Debian: ``apt-get install valgrind``); without it the module gives no row. Slow:
each process runs some 50 times slower under callgrind (about 3 minutes in all).
Run: ``python benchmarks/bench_instructions.py`` (or ``python benchmarks/run.py instructions``).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Row, print_rows  # noqa: E402
from common import instructions as count_instructions  # noqa: E402

QUICK = os.environ.get("CLUSTERPOLICY_BENCH_QUICK") == "1"
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
APPLICATION = ROOT / "examples" / "competition-2017" / "01-karaganda-construction.yaml"
COMPETITION = ROOT / "examples" / "competition-2017"
FLOOR = ["-c", "import pydantic, holidays, yaml"]
CALLS = 20 if QUICK else 100
CACHE = tempfile.mkdtemp(prefix="clusterpolicy-bench-cache-")
"""The children's pack and catalogue cache (``core.cache``), this run's own: the user's folder keeps
4 keys per entry, and other checkouts' processes on the same machine (other versions of the code)
evicted this one's between its runs, so that a run counted the packs' validation and the next
did not."""

_SLICE = """
import sys
sys.path.insert(0, {here!r})
from bench_floor import slice_pack, hand_written
from common import cold_caches
from clusterpolicy.evaluation import evaluate
from clusterpolicy.input.decree535_form import Application, Competition
from clusterpolicy.testing import application_data, competition_data
application = Application.model_validate(application_data(2, participants=20, activities=30))
competition = Competition.model_validate(competition_data(2))
pack = slice_pack()
evaluate(application, competition=competition, pack=pack); hand_written(application, competition)  # warm
for _ in range({calls}):
    {call}
"""
_STAGE1 = """
import json, sys
sys.path.insert(0, {here!r})
from common import cold_caches
from clusterpolicy.core.sources import parse_json, validate as validated
from clusterpolicy.evaluation import evaluate
from clusterpolicy.input.decree535_form import Application, Competition
from clusterpolicy.packs import load_pack
from clusterpolicy.testing import application_data, competition_data
text = json.dumps(application_data(1, participants=20, activities=30), ensure_ascii=False)
application = validated(Application, parse_json(text, "<bench>"))
competition = Competition.model_validate(competition_data(1))
pack = load_pack("kz-2015-decree-535")
assert evaluate(application, competition=competition, pack=pack).status == "admitted"  # warm
evaluate(application, competition=competition, pack=pack, explain=False)
for _ in range({calls}):
    {call}
"""
_STAGE1_READ = 'validated(Application, parse_json(text, "<bench>"))'
_STAGE1_EXPLAINED = "cold_caches(); evaluate(application, competition=competition, pack=pack)"
_STAGE1_BARE = "cold_caches(); evaluate(application, competition=competition, pack=pack, explain=False)"
_ENGINE = "cold_caches(); evaluate(application, competition=competition, pack=pack)"
_COLD = "cold_caches()"  # subtracted from the engine's: bench_floor empties the caches outside its timing
_HAND = "hand_written(application, competition)"


def instructions(arguments: list[str]) -> int:
    """Instructions of one run of ``python ARGUMENTS`` under callgrind, after an uncounted run
    (``common.instructions``), the packs' cache this run's own."""
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    return count_instructions(arguments, environment={**environment, "CLUSTERPOLICY_CACHE_DIR": CACHE})


def _per_call(call: str, script: str = _SLICE) -> float:
    """Instructions per ``call`` in ``script`` (the slice's set-up by default): a process making
    ``CALLS`` calls less the same process making none, divided by ``CALLS``."""
    many = instructions(["-c", script.format(here=str(HERE), calls=CALLS, call=call)])
    none = instructions(["-c", script.format(here=str(HERE), calls=0, call=call)])
    return (many - none) / CALLS


def _row(name: str, subject: float, baseline_name: str, baseline: float, target: str = "") -> Row:
    return Row(name, subject, baseline_name, baseline, target, unit="Minstr")


def rows() -> list[Row]:
    if shutil.which("valgrind") is None:
        print("(bench_instructions: valgrind is not installed)")
        return []
    cli = ["-m", "clusterpolicy", "evaluate"]
    floor = instructions(FLOOR)
    found = [
        _row("clusterpolicy evaluate <one application>", instructions([*cli, str(APPLICATION)]), "import pydantic, holidays, yaml", floor, "target <= 2.5"),
        _row("clusterpolicy evaluate <competition>", instructions([*cli, str(COMPETITION)]), "the same floor", floor, "target <= 4"),
    ]
    engine, hand = _per_call(_ENGINE) - _per_call(_COLD), _per_call(_HAND)
    found.append(_row("9-check slice, engine, cold, per call", engine, "hand-written function, per call", hand, "target <= 3"))
    found += stage1_rows()
    return found


def stage1_rows() -> list[Row]:
    """Stage-1 ``evaluate``, cold, with its explanation and without, against ``parse_json`` + ``validate``."""
    cold = _per_call("cold_caches()", _STAGE1)
    read = _per_call(_STAGE1_READ, _STAGE1)
    explained = _per_call(_STAGE1_EXPLAINED, _STAGE1) - cold
    bare = _per_call(_STAGE1_BARE, _STAGE1) - cold
    return [
        _row("evaluate, stage 1, cold, per call", explained, "parse_json + validate, per call", read, "target <= 1.0"),
        _row("  the same, explain=False", bare, "parse_json + validate, per call", read, "target <= 0.5"),
    ]


if __name__ == "__main__":
    print_rows(rows)
