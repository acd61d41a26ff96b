"""Typed inputs, typed errors (issue 14): the public functions say which models they take, so
``mypy --strict`` checks a consumer's code; a wrong argument is the library's own error saying
what was expected; documents in memory (text or bytes) and on standard input are read."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import clusterpolicy
from clusterpolicy import (
    UsageError,
    evaluate,
    evaluate_competition,
    load_competition,
    parse_application,
    parse_competition,
    rank_competition,
    run_competition,
)
from clusterpolicy.core.errors import InputError
from clusterpolicy.packs import load_pack
from clusterpolicy.testing import application_data, competition_data

ROOT = Path(__file__).resolve().parents[1]
STAGE2 = ROOT / "examples" / "competition-2017-stage2"


# --------------------------------------------------------------------------- typed errors


@pytest.fixture(scope="module")
def competition():
    return load_competition(STAGE2)


@pytest.mark.parametrize(
    "call, expected",
    [
        (lambda c: run_competition(42), r"competition must be a Competition .*not int 42"),
        (lambda c: run_competition(c.model_dump()), r"competition must be a Competition .*not dict"),
        (lambda c: run_competition(c, lang="kz"), r"lang must be one of kk, ru, en, not str 'kz'"),
        (lambda c: run_competition(c, as_of="2017-06-08"), r"as_of must be a datetime.date, not str '2017-06-08'"),
        (lambda c: evaluate(c.applications[0].model_dump()), r"application must be an Application .*not dict"),
        (lambda c: evaluate_competition(c, pack=42), r"pack must be a pack id, a pack folder or a RulePack, not int 42"),
        (lambda c: rank_competition([], minimum_score="x", compliant_ids=[], config=load_pack("kz-2015-decree-535").scoring),
         r"minimum_score must be a Decimal, an int or a numeric string .*not str 'x'"),
        (lambda c: rank_competition([], minimum_score=60.5, compliant_ids=[], config=load_pack("kz-2015-decree-535").scoring),
         r"a float is not exact"),
        (lambda c: parse_application(42), r"text must be str or bytes \(YAML or JSON\), not int 42"),
    ],
)
def test_a_wrong_argument_is_a_usage_error_saying_what_was_expected(competition, call, expected):
    with pytest.raises(UsageError, match=expected) as caught:
        call(competition)
    assert caught.value.code == "bad_argument"


def test_a_numeric_minimum_score_is_read_exactly():
    outcome = rank_competition([], minimum_score="60.5", compliant_ids=[], config=load_pack("kz-2015-decree-535").scoring)
    assert outcome.minimum_score == Decimal("60.5")


# --------------------------------------------------------------------------- documents in memory, standard input


def test_parse_application_and_competition_take_text_or_bytes():
    data = application_data(1)
    as_json = json.dumps(data, ensure_ascii=False)
    assert parse_application(as_json).id == data["id"]
    assert parse_application(as_json.encode("utf-8")).id == data["id"]
    header = {**competition_data(1), "applications": [data]}
    text = json.dumps(header, ensure_ascii=False)
    assert parse_competition(text.encode("utf-8")).applications[0].id == data["id"]
    assert parse_competition((STAGE2 / "competition.yaml").read_bytes()).id == load_competition(STAGE2).id


def test_parse_errors_are_located_in_the_named_document():
    with pytest.raises(InputError, match=r"^request.json:1: ") as caught:
        parse_application(b'{"id": 1}', name="request.json")
    assert caught.value.location.file == "request.json"
    with pytest.raises(InputError, match="not valid UTF-8|UTF-8"):
        parse_application(b"id: \xff\xfe", name="x.yaml")


@pytest.mark.slow
def test_the_command_reads_standard_input():
    application = (ROOT / "examples" / "competition-2017" / "02-almaty-furniture.yaml").read_bytes()
    command = [sys.executable, "-m", "clusterpolicy", "evaluate", "-", "--format", "json"]
    done = subprocess.run(command, input=application, capture_output=True, timeout=300)
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["application_id"] == "02-almaty-furniture"
    done = subprocess.run(command, input=b"id: [", capture_output=True, timeout=300)
    assert done.returncode == 2 and done.stderr.decode().startswith("error: <stdin>:") and b"Traceback" not in done.stderr


# --------------------------------------------------------------------------- mypy --strict on a consumer


def documented_example() -> str:
    """The Python example of docs/getting-started.md ("Python API"), as a reader copies it."""
    text = (ROOT / "docs" / "getting-started.md").read_text("utf-8")
    section = text[text.index("## Python API"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


WRONG = '''\
from clusterpolicy import evaluate, load_competition, run_competition

competition = load_competition("examples/competition-2017")
run_competition(42)
evaluate({"id": "x"}, competition=competition)
run_competition(competition, as_of="2017-06-08")
'''


def mypy(tmp_path: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    package = Path(clusterpolicy.__file__).resolve().parent.parent
    env = dict(os.environ)
    if "site-packages" not in package.parts and "dist-packages" not in package.parts:
        env["MYPYPATH"] = str(package)  # a checkout (editable install): mypy reads the sources
    command = [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", "--no-error-summary",
               "--cache-dir", str(tmp_path / ".mypy_cache"), *map(str, files)]
    return subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600)


@pytest.mark.slow
def test_mypy_strict_accepts_the_documented_api_and_refuses_wrong_arguments(tmp_path):
    good = tmp_path / "consumer.py"
    good.write_text(documented_example(), "utf-8")
    bad = tmp_path / "wrong.py"
    bad.write_text(WRONG, "utf-8")
    done = mypy(tmp_path, good, bad)
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert [line for line in errors if line.startswith("consumer.py")] == [], done.stdout + done.stderr
    lines = {int(line.split(":")[1]) for line in errors if line.startswith("wrong.py")}
    assert lines == {4, 5, 6}, done.stdout + done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("example", ["examples/competition-2017", "examples/competition-2017-stage2"])
def test_the_documented_example_runs_on_both_examples(example):
    code = documented_example().replace('"examples/competition-2017"', json.dumps(example))
    code = code.replace('"examples/competition-2017/08-pavlodar-chemical.yaml"', json.dumps("examples/competition-2017/08-pavlodar-chemical.yaml"))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    if example.endswith("stage2"):
        assert "held" not in done.stdout.split("\n")[-2]
    else:
        assert "\nheld [" in done.stdout
