"""Same input, same bytes out: across processes, hash seeds and time zones; no wall clock; nothing lost.

A library that decides who receives public money must give the same answer on every machine
and every day, must never change what it was given, and must never overwrite an input file.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from clusterpolicy.evaluation import evaluate
from clusterpolicy.input.loading import load_application, load_competition
from clusterpolicy.packs import load_pack
from clusterpolicy.testing import break_rule, valid_application, valid_competition

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "clusterpolicy"
EXAMPLE = ROOT / "examples" / "competition-2017"
PACK = load_pack("kz-2015-decree-535")

# Environments that differ in everything that must not matter: hash seed, time zone, locale.
ENVIRONMENTS = [
    {"PYTHONHASHSEED": "0", "TZ": "UTC", "LC_ALL": "C"},
    {"PYTHONHASHSEED": "1", "TZ": "Asia/Almaty", "LC_ALL": "C.UTF-8"},
    {"PYTHONHASHSEED": "4242", "TZ": "America/New_York", "LC_ALL": "C.UTF-8"},
]

SCRIPT = """
import sys
from clusterpolicy.evaluation import evaluate
from clusterpolicy.input.loading import load_competition
from clusterpolicy.testing import break_rule, valid_competition
from clusterpolicy.checks.results import to_json
out = sys.stdout.buffer
out.write(evaluate(break_rule('eligibility.unaffiliated-legal-entities'), competition=valid_competition(1), lang='kk').to_json().encode())
out.write(evaluate(break_rule('documents.akimat-conclusion-term'), competition=valid_competition(1), lang='ru').to_json().encode())
competition = load_competition(sys.argv[1])
try:
    from clusterpolicy.competition import run_competition
except ImportError:
    run_competition = None
if run_competition is not None:
    import datetime as dt
    out.write(run_competition(competition, lang='kk', as_of=dt.date(2017, 9, 1)).to_json().encode())
    out.write(run_competition(competition, lang='en').to_json().encode())
"""


def run_in(env_changes: dict[str, str], *args: str) -> tuple[int, bytes]:
    """Exit code and standard output of ``python *args`` in the changed environment (0 or 1 only)."""
    env = {**os.environ, **env_changes}
    done = subprocess.run([sys.executable, *args], env=env, capture_output=True, cwd=ROOT)
    assert done.returncode in (0, 1), done.stderr.decode("utf-8", "replace")
    return done.returncode, done.stdout


@pytest.mark.slow
def test_library_output_is_byte_identical_across_hash_seeds_and_time_zones():
    outputs = [run_in(env, "-c", SCRIPT, str(EXAMPLE)) for env in ENVIRONMENTS]
    assert outputs[0] == (0, outputs[0][1]) and outputs[0][1], "the script failed or wrote nothing"
    assert outputs[0] == outputs[1] == outputs[2]



@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["evaluate", str(EXAMPLE), "--format", "json", "--lang", "kk"],
        ["evaluate", str(EXAMPLE / "01-karaganda-construction.yaml"), "--format", "json"],
        ["evaluate", str(EXAMPLE), "--format", "json", "--as-of", "2017-09-01"],
        ["deadlines", str(EXAMPLE)],
    ],
)
def test_cli_output_is_byte_identical_across_hash_seeds_and_time_zones(args):
    outputs = [run_in(env, "-m", "clusterpolicy.output.cli", *args) for env in ENVIRONMENTS]
    assert outputs[0][1]
    assert outputs[0] == outputs[1] == outputs[2]


@pytest.mark.slow
def test_same_process_twice_gives_the_same_json():
    competition = load_competition(EXAMPLE)
    first = [evaluate(app, competition=competition, pack=PACK).to_json() for app in competition.applications]
    load_pack.cache_clear()
    second = [evaluate(app, competition=competition, pack=load_pack(PACK.id)).to_json() for app in competition.applications]
    assert first == second


# --------------------------------------------------------------------------- no wall clock

WALL_CLOCK = {
    ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("date", "today"),
    ("time", "time"), ("time", "time_ns"), ("time", "localtime"), ("time", "gmtime"), ("time", "ctime"),
}


def wall_clock_calls(source: str) -> list[tuple[int, str]]:
    """``datetime.now()``, ``date.today()``, ``time.time()``... in a module's code (not in strings)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
            if (name, node.func.attr) in WALL_CLOCK:
                found.append((node.lineno, f"{name}.{node.func.attr}"))
    return found


def test_wall_clock_finder_finds_what_it_should():
    assert wall_clock_calls("import datetime as dt\nx = dt.date.today()\ny = dt.datetime.now(tz)\n") == [
        (2, "date.today"), (3, "datetime.now")]
    assert wall_clock_calls("s = 'datetime.now()'\n") == []


@pytest.mark.parametrize("module", sorted(PACKAGE.rglob("*.py")), ids=lambda path: path.name)
def test_no_wall_clock_in_the_package(module):
    """Results never depend on "now": the day a question is asked about is always passed in (``as_of``)."""
    assert wall_clock_calls(module.read_text("utf-8")) == []


# --------------------------------------------------------------------------- nothing lost


def test_evaluation_never_modifies_its_input():
    application, competition = break_rule("eligibility.unaffiliated-legal-entities"), valid_competition(1)
    before = (application.model_dump(mode="json"), competition.model_dump(mode="json"))
    evaluate(application, competition=competition, pack=PACK)
    evaluate(application, competition=competition, pack=PACK, lang="kk")
    assert (application.model_dump(mode="json"), competition.model_dump(mode="json")) == before


@pytest.mark.slow
def test_loading_and_evaluating_leave_the_files_untouched(tmp_path):
    folder = tmp_path / "competition"
    folder.mkdir()
    for file in EXAMPLE.iterdir():
        (folder / file.name).write_bytes(file.read_bytes())
    state = {file: (file.read_bytes(), file.stat().st_mtime_ns) for file in folder.iterdir()}
    competition = load_competition(folder)
    for application in competition.applications:
        evaluate(application, competition=competition)
    load_application(folder / "01-karaganda-construction.yaml")
    assert {file: (file.read_bytes(), file.stat().st_mtime_ns) for file in folder.iterdir()} == state


@pytest.mark.slow
def test_competition_run_never_modifies_its_input():
    pytest.importorskip("clusterpolicy.competition")
    from clusterpolicy.competition import run_competition

    competition = load_competition(EXAMPLE)
    before = competition.model_dump(mode="json")
    run_competition(competition)
    assert competition.model_dump(mode="json") == before


def test_application_json_round_trip_is_lossless():
    application = valid_application(2)
    again = type(application).model_validate_json(application.model_dump_json())
    assert again == application
    assert json.loads(again.model_dump_json()) == json.loads(application.model_dump_json())


# --------------------------------------------------------------------------- the command line writes safely


@pytest.fixture()
def competition_copy(tmp_path):
    folder = tmp_path / "competition"
    folder.mkdir()
    for file in EXAMPLE.iterdir():
        (folder / file.name).write_bytes(file.read_bytes())
    return folder


def snapshot(folder: Path) -> dict:
    return {file.name: (file.read_bytes(), file.stat().st_mtime_ns) for file in sorted(folder.iterdir())}


def cli_main(capsys, *args: str) -> tuple[int, str, str]:
    cli = pytest.importorskip("clusterpolicy.output.cli")
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.slow
@pytest.mark.parametrize(
    "command",
    [
        ["report", "{folder}", "--kind", "completeness-protocol", "-o", "{target}"],
        ["deadlines", "{folder}", "--ics", "{target}"],
    ],
)
@pytest.mark.parametrize("target", ["competition.yaml", "01-karaganda-construction.yaml", "link-to-input.yaml"])
def test_cli_never_overwrites_an_input_file(competition_copy, tmp_path, capsys, command, target):
    link = tmp_path / "link-to-input.yaml"
    link.symlink_to(competition_copy / "02-almaty-furniture.yaml")
    path = link if target == "link-to-input.yaml" else competition_copy / target
    before = snapshot(competition_copy)
    args = [part.format(folder=competition_copy, target=path) for part in command]
    code, _, err = cli_main(capsys, *args)
    assert code == 2 and "refusing to overwrite an input file" in err and "Traceback" not in err
    assert snapshot(competition_copy) == before


@pytest.mark.slow
def test_cli_replaces_an_output_file_atomically(competition_copy, tmp_path, capsys):
    output = tmp_path / "protocol.md"
    output.write_text("old protocol\n", "utf-8")
    old_inode = output.stat().st_ino
    before = snapshot(competition_copy)
    code, _, err = cli_main(capsys, "report", str(competition_copy), "--kind", "completeness-protocol", "-o", str(output))
    assert code == 0, err
    assert output.read_text("utf-8") != "old protocol\n"
    assert output.stat().st_ino != old_inode  # a new file renamed into place, not rewritten in place
    assert sorted(path.name for path in tmp_path.iterdir()) == ["competition", "protocol.md"]  # no temporary left
    assert snapshot(competition_copy) == before


@pytest.mark.slow
def test_cli_output_into_a_missing_folder_is_a_usage_error(competition_copy, tmp_path, capsys):
    code, _, err = cli_main(capsys, "deadlines", str(competition_copy), "--ics", str(tmp_path / "no" / "such" / "cal.ics"))
    assert code == 2 and err.startswith("error: ") and "Traceback" not in err


@pytest.mark.slow
def test_cli_evaluate_leaves_the_input_untouched(competition_copy, capsys):
    before = snapshot(competition_copy)
    code, out, _ = cli_main(capsys, "evaluate", str(competition_copy), "--format", "json")
    assert code in (0, 1) and json.loads(out)
    assert snapshot(competition_copy) == before
