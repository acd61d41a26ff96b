"""One operations layer under both faces (output/operations.py): the command line and the HTTP
service give the same answer for the same input, errors included; one consistency check for
every way a competition arrives (a file, a folder, standard input, the Python API, HTTP); and
tables that a control character in an id cannot rewrite on a terminal.

The command line runs in this process (``cli.main``), the service as its ASGI application
(``call`` of tests/_server.py, no HTTP client needed).
"""

from __future__ import annotations

import copy
import io
import json
import re
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from clusterpolicy import load_competition
from clusterpolicy.core.errors import InputError, format_path
from clusterpolicy.input.loading import load, parse_competition
from clusterpolicy.output import cli, operations, service
from _server import call, encode, plain
from test_service import STAGE1

KEPT = ("01-karaganda-construction", "02-almaty-furniture")
ERROR = re.compile(r"^error: (?P<where>.+?)(?::(?P<line>\d+))?: (?P<path>[A-Za-z_][\w.\[\]]*): (?P<message>.*)$")


# --------------------------------------------------------------------------- inputs


def _header() -> dict:
    header = plain(STAGE1 / "competition.yaml")
    header["events"] = [event for event in header["events"] if event.get("application_id") in (None, *KEPT)]
    return header


def _announced_after_close(header: dict) -> dict:
    header = copy.deepcopy(header)
    header["announced_on"] = "2017-12-01"
    header["events"] = [e for e in header["events"] if e["event"] != "announcement"]
    return header


def _event_contradicts_header(header: dict) -> dict:
    header = copy.deepcopy(header)
    header["events"][0] = {**header["events"][0], "date": "2017-04-12"}  # announcement, announced_on 2017-04-10
    return header


def _announced_after_submission(header: dict) -> dict:
    header = copy.deepcopy(header)  # 01 was registered on 2017-06-02
    header["announced_on"] = "2017-06-05"
    header["events"] = [e for e in header["events"] if e["event"] != "announcement"]
    return header


def _term_past_the_calendar(header: dict) -> dict:
    header = copy.deepcopy(header)
    index = next(i for i, e in enumerate(header["events"]) if e["event"] == "commission_meeting")
    header["events"][index] = {**header["events"][index], "date": "2040-12-30"}
    return header


@pytest.fixture(scope="module")
def app():
    return service.create_app()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict:
    """Files for the command line and bodies for the service, of the same inputs."""
    root = tmp_path_factory.mktemp("faces")
    application = plain(STAGE1 / f"{KEPT[0]}.yaml")
    made: dict = {"root": root, "application": application, "app_file": root / "application.json"}
    made["app_file"].write_bytes(encode(application))
    headers = {
        "sound": _header(),
        "announced_after_close": _announced_after_close(_header()),
        "event_contradicts_header": _event_contradicts_header(_header()),
        "announced_after_submission": _announced_after_submission(_header()),
        "term_past_the_calendar": _term_past_the_calendar(_header()),
    }
    for name, header in headers.items():
        (root / f"header-{name}.json").write_bytes(encode(header))
        folder = root / f"competition-{name}"
        folder.mkdir()
        (folder / "competition.json").write_bytes(encode(header))
        applications = []
        for kept in KEPT:
            (folder / f"{kept}.yaml").write_bytes((STAGE1 / f"{kept}.yaml").read_bytes())
            applications.append(plain(STAGE1 / f"{kept}.yaml"))
        made[name] = {"header": header, "whole": {**header, "applications": applications}}
    return made


# --------------------------------------------------------------------------- both faces


def run_cli(monkeypatch, *argv: str) -> dict:
    """``clusterpolicy ARGV`` in this process: exit code, output, error line, and the error's code."""
    seen: dict = {}
    located = cli._located

    def spy(exc, args):
        seen["code"] = exc.code
        return located(exc, args)

    monkeypatch.setattr(cli, "_located", spy)
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(list(argv))
    return {"exit": code, "out": out.getvalue().encode("utf-8"), "err": err.getvalue().strip(), "code": seen.get("code")}


def _cases(inputs: dict) -> dict[str, tuple[list[str], str, dict]]:
    root, app_file, application = inputs["root"], str(inputs["app_file"]), inputs["application"]

    def header(name: str) -> str:
        return str(root / f"header-{name}.json")

    def folder(name: str) -> str:
        return str(root / f"competition-{name}")

    return {
        # answers
        "application beside its header": (
            ["evaluate", app_file, "--competition", header("sound"), "--format", "json", "--lang", "ru"],
            "/v1/evaluate", {"application": application, "competition": inputs["sound"]["header"], "lang": "ru"},
        ),
        "application alone": (["evaluate", app_file, "--format", "json"], "/v1/evaluate", {"application": application}),
        "competition": (
            ["evaluate", folder("sound"), "--format", "json", "--lang", "kk"],
            "/v1/competitions/evaluate", {"competition": inputs["sound"]["whole"], "lang": "kk"},
        ),
        "deadlines of a competition": (
            ["deadlines", folder("sound"), "--format", "json", "--as-of", "2017-09-01"],
            "/v1/deadlines", {"competition": inputs["sound"]["whole"], "as_of": "2017-09-01"},
        ),
        "deadlines from dates": (
            ["deadlines", "--announced", "2017-04-10", "--closes", "2017-06-08", "--format", "json"],
            "/v1/deadlines", {"announced": "2017-04-10", "closes": "2017-06-08"},
        ),
        "diff under changed parameters": (
            ["diff", folder("sound"), "--set", "paper_copies=2", "--format", "json", "--lang", "ru"],
            "/v1/diff", {"competition": inputs["sound"]["whole"], "parameters": {"paper_copies": 2}, "lang": "ru"},
        ),
        "diff of two packs": (
            ["diff", folder("sound"), "--pack", "kz-2015-decree-535", "--pack", "kz-2017-kiri-methodology", "--format", "json"],
            "/v1/diff", {"competition": inputs["sound"]["whole"], "packs": ["kz-2015-decree-535", "kz-2017-kiri-methodology"]},
        ),
        "sensitivity": (
            ["sensitivity", folder("sound"), "--format", "json", "--lang", "kk"],
            "/v1/sensitivity", {"competition": inputs["sound"]["whole"], "lang": "kk"},
        ),
        # errors
        "diff of a contradictory competition": (
            ["diff", folder("announced_after_close"), "--set", "paper_copies=2", "--format", "json"],
            "/v1/diff", {"competition": inputs["announced_after_close"]["whole"], "parameters": {"paper_copies": 2}},
        ),
        "sensitivity of a contradictory competition": (
            ["sensitivity", folder("announced_after_close"), "--format", "json"],
            "/v1/sensitivity", {"competition": inputs["announced_after_close"]["whole"]},
        ),
        "announced after the close, beside an application": (
            ["evaluate", app_file, "--competition", header("announced_after_close"), "--format", "json"],
            "/v1/evaluate", {"application": application, "competition": inputs["announced_after_close"]["header"]},
        ),
        "announced after the close, a whole competition": (
            ["evaluate", folder("announced_after_close"), "--format", "json"],
            "/v1/competitions/evaluate", {"competition": inputs["announced_after_close"]["whole"]},
        ),
        "an event contradicting the header, beside an application": (
            ["evaluate", app_file, "--competition", header("event_contradicts_header"), "--format", "json"],
            "/v1/evaluate", {"application": application, "competition": inputs["event_contradicts_header"]["header"]},
        ),
        "an event contradicting the header, a whole competition": (
            ["evaluate", folder("event_contradicts_header"), "--format", "json"],
            "/v1/competitions/evaluate", {"competition": inputs["event_contradicts_header"]["whole"]},
        ),
        "an application registered before the announcement, beside its header": (
            ["evaluate", app_file, "--competition", header("announced_after_submission"), "--format", "json"],
            "/v1/evaluate", {"application": application, "competition": inputs["announced_after_submission"]["header"]},
        ),
        "a report beside a contradictory header": (
            ["report", app_file, "--competition", header("announced_after_close"), "--kind", "notice"],
            "/v1/reports/notice", {"application": application, "competition": inputs["announced_after_close"]["header"]},
        ),
        "deadlines: a term past the calendar, named by its field": (
            ["deadlines", folder("term_past_the_calendar"), "--format", "json"],
            "/v1/deadlines", {"competition": inputs["term_past_the_calendar"]["whole"]},
        ),
        "deadlines: an announcement past the calendar": (
            ["deadlines", "--announced", "2040-12-01", "--format", "json"], "/v1/deadlines", {"announced": "2040-12-01"},
        ),
    }


ANSWERS = ["application beside its header", "application alone", "competition", "deadlines of a competition", "deadlines from dates",
           "diff under changed parameters", "diff of two packs", "sensitivity"]

ERRORS = {  # the field each error names in the request (the service's body)
    "diff of a contradictory competition": ("inconsistent", "competition.acceptance_closes_at"),
    "sensitivity of a contradictory competition": ("inconsistent", "competition.acceptance_closes_at"),
    "announced after the close, beside an application": ("inconsistent", "competition.acceptance_closes_at"),
    "announced after the close, a whole competition": ("inconsistent", "competition.acceptance_closes_at"),
    "an event contradicting the header, beside an application": ("inconsistent", "competition.events[0].date"),
    "an event contradicting the header, a whole competition": ("inconsistent", "competition.events[0].date"),
    "an application registered before the announcement, beside its header": ("inconsistent", "application.submitted_at"),
    "a report beside a contradictory header": ("inconsistent", "competition.acceptance_closes_at"),
    "deadlines: a term past the calendar, named by its field": ("outside_calendar", None),
    "deadlines: an announcement past the calendar": ("outside_calendar", "announced"),
}


@pytest.mark.parametrize("case", ANSWERS)
def test_both_faces_give_the_same_answer(app, inputs, monkeypatch, case):
    argv, endpoint, body = _cases(inputs)[case]
    command = run_cli(monkeypatch, *argv, "--compact")  # the service answers compact JSON
    answer = call(app, "POST", endpoint, encode(body))
    assert command["exit"] in (0, 1), command["err"]
    assert answer.status == 200, answer.body[:500]
    assert answer.body == command["out"]  # byte for byte
    # ?pretty=1: the command line's default, indented document
    assert call(app, "POST", endpoint + "?pretty=1", encode(body)).body == run_cli(monkeypatch, *argv)["out"]


@pytest.mark.parametrize("case", list(ERRORS))
def test_both_faces_refuse_the_same_input_at_the_same_field(app, inputs, monkeypatch, case):
    argv, endpoint, body = _cases(inputs)[case]
    code, field = ERRORS[case]
    command = run_cli(monkeypatch, *argv)
    answer = call(app, "POST", endpoint, encode(body))
    problem = answer.json()
    assert command["exit"] == 2 and command["out"] == b""
    assert answer.status == 422 and answer.type == "application/problem+json", answer.body[:500]
    assert command["code"] == problem["code"]
    if code != "outside_calendar":
        assert problem["code"] == code
    where = problem["location"]
    field = field or where["path"]
    assert where["path"] == field and where["line"] is not None  # the body's line
    root, _, rest = field.partition(".")
    if root == "announced":  # an option of the command line
        assert command["err"] == f"error: --announced: {problem['detail']}"
        return
    error = ERROR.match(command["err"])
    assert error, command["err"]
    assert error["message"] == problem["detail"]
    assert error["path"] == rest and error["line"] is not None  # the file's line
    named = {"application": str(inputs["app_file"])}.get(root)
    if named is None:  # competition.…: the --competition file, or the competition folder's header
        named = argv[argv.index("--competition") + 1] if "--competition" in argv else str(Path(argv[1]) / "competition.json")
    assert error["where"] == named


def test_deadlines_name_the_event_whose_term_runs_past_the_calendar(app, inputs):
    problem = call(app, "POST", "/v1/deadlines", encode({"competition": inputs["term_past_the_calendar"]["whole"]})).json()
    events = inputs["term_past_the_calendar"]["header"]["events"]
    index = next(i for i, e in enumerate(events) if e["event"] == "commission_meeting")
    assert problem["location"]["path"] == f"competition.events[{index}].date"
    assert problem["location"]["pointer"] == f"/competition/events/{index}/date"


def test_a_sound_header_beside_its_application_is_judged(inputs):
    from clusterpolicy.input.decree535_form import Application, Competition

    header = Competition.model_validate(inputs["sound"]["header"])
    result = operations.evaluate_application(Application.model_validate(inputs["application"]), header)
    assert result.status == "admitted"


# --------------------------------------------------------------------------- every way a competition arrives


def _one_file(tmp_path: Path, change) -> tuple[Path, dict]:
    whole = copy.deepcopy({**_header(), "applications": [plain(STAGE1 / f"{kept}.yaml") for kept in KEPT]})
    change(whole)
    file = tmp_path / "competition.json"
    file.write_bytes(encode(whole))
    return file, whole


def _registered_before(whole: dict) -> None:
    whole["announced_on"] = "2017-06-05"  # 01 registered on 2017-06-02
    whole["events"] = [e for e in whole["events"] if e["event"] != "announcement"]


def _ghost_event(whole: dict) -> None:
    whole["events"].append({"event": "akimat_request_registered", "date": "2017-05-18", "application_id": "99-nobody"})


INCONSISTENT = {
    "registered before the announcement": (_registered_before, "applications[0].submitted_at"),
    "an event naming no application": (_ghost_event, None),
}


def _api_error(file: Path) -> InputError:
    """The error the Python API gives for ``file``: the same from every reader."""
    errors = []
    for read in (lambda: load(file), lambda: load_competition(file), lambda: parse_competition(file.read_bytes(), name="x.json")):
        with pytest.raises(InputError) as caught:
            read()
        errors.append(caught.value)
    assert {(e.code, e.message, format_path(e.location.path), e.location.line) for e in errors} == {
        ("inconsistent", errors[0].message, format_path(errors[0].location.path), errors[0].location.line)
    }
    return errors[0]


WAYS = ["api", "file", "stdin", "deadlines", "report", "http"]


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("name", list(INCONSISTENT))
def test_every_way_a_competition_arrives_is_checked_alike(app, tmp_path, monkeypatch, name, way):
    change, path = INCONSISTENT[name]
    file, whole = _one_file(tmp_path, change)
    path = path or f"events[{len(whole['events']) - 1}].application_id"
    error = _api_error(file)
    assert format_path(error.location.path) == path and error.location.line
    expected = f"error: {file}:{error.location.line}: {path}: {error.message}"
    if way == "file":
        command = run_cli(monkeypatch, "evaluate", str(file))
        assert command["exit"] == 2 and command["err"] == expected
    elif way == "stdin":
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(file.read_bytes()), encoding="utf-8"))
        piped = run_cli(monkeypatch, "evaluate", "-", "--format", "json")
        assert piped["exit"] == 2 and piped["err"] == expected.replace(str(file), "<stdin>")
    elif way in ("deadlines", "report"):
        extra = ["--kind", "notice"] if way == "report" else []
        other = run_cli(monkeypatch, way, str(file), *extra)
        assert other["exit"] == 2 and other["err"] == expected
    elif way == "http":
        problem = call(app, "POST", "/v1/competitions/evaluate", encode({"competition": whole})).json()
        assert problem["code"] == "inconsistent" and problem["detail"] == error.message
        assert problem["location"]["path"] == f"competition.{path}"


def test_a_folder_is_checked_as_one_file_is(tmp_path, monkeypatch):
    file, whole = _one_file(tmp_path, _registered_before)
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "competition.json").write_bytes(encode({k: v for k, v in whole.items() if k != "applications"}))
    for kept in KEPT:
        (folder / f"{kept}.yaml").write_bytes((STAGE1 / f"{kept}.yaml").read_bytes())
    command = run_cli(monkeypatch, "evaluate", str(folder))
    assert command["exit"] == 2
    assert command["err"].startswith(f"error: {folder / (KEPT[0] + '.yaml')}:") and "submitted_at: registered on 2017-06-02" in command["err"]


# --------------------------------------------------------------------------- terminal safety


def test_control_characters_in_ids_are_escaped_in_tables(tmp_path, monkeypatch):
    whole = {**_header(), "id": "kz-2017\rEVIL\tX", "applications": [plain(STAGE1 / f"{KEPT[0]}.yaml")]}
    whole["events"] = [e for e in whole["events"] if e.get("application_id") in (None, KEPT[0])]
    file = tmp_path / "competition.json"
    file.write_bytes(encode(whole))
    table = run_cli(monkeypatch, "evaluate", str(file))
    text = table["out"].decode("utf-8")
    assert table["exit"] in (0, 1)
    assert text.startswith("kz-2017\\rEVIL\\tX — ")
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", text)
    document = json.loads(run_cli(monkeypatch, "evaluate", str(file), "--format", "json")["out"])
    assert document["competition_id"] == whole["id"]  # JSON carries the id as it is


def test_terminal_safe_escapes_every_control_and_keeps_text():
    assert cli.terminal_safe("a\rb\nc\td\x1b[2Je\x9bf\u2028g") == "a\\rb\\nc\\td\\x1b[2Je\\x9bf\\u2028g"
    assert cli.terminal_safe("a\rb\nc", keep_newlines=True) == "a\\rb\nc"
    assert cli.terminal_safe("Қазақстан — «кластер»") == "Қазақстан — «кластер»"


# --------------------------------------------------------------------------- one layer


USE_CASES = {
    "evaluate", "evaluate_competition", "choose_pack_for", "run_competition", "procedure_events", "timeline_of",
    "overdue_entries", "compute_timeline", "choose_pack", "make_report", "return_notice", "timeline_result",
}


@pytest.mark.parametrize("face", ["cli.py", "service.py"])
def test_the_faces_reach_the_library_through_the_operations(face):
    """cli.py and service.py import none of the library's use cases: they call output/operations.py,
    so the two cannot drift apart again (a check one face makes and the other forgets)."""
    import ast

    source = Path(cli.__file__).with_name(face).read_text("utf-8")
    imported = {alias.name for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom) for alias in node.names}
    assert not imported & USE_CASES, f"{face} imports {sorted(imported & USE_CASES)}: go through output/operations.py"


@pytest.mark.parametrize("lang", ["kk", "en"])
def test_an_application_beside_its_header_with_a_warning_is_the_result_sealed_with_it(lang):
    """A header whose pack was repealed by the announcement: the result of one application beside
    it is the evaluation under the chosen pack with the choice's warning, sealed over what it says,
    the same document and bytes as that evaluation copied with the warning and sealed again (how it
    was made before ``evaluation.evaluate_chosen`` took the choice's warnings)."""
    from clusterpolicy.core.record import compact_bytes, sealed
    from clusterpolicy.evaluation import choose_pack_for, evaluate

    competition = load_competition(STAGE1)
    header = competition.model_copy(update={"applications": []})
    for application in competition.applications[:3]:
        made = operations.evaluate_application(application, header, lang=lang)
        pack, warnings = choose_pack_for(None, competition=header, application=application, lang=lang)
        assert [warning.code for warning in warnings] == ["pack_repealed"] == [warning.code for warning in made.warnings]
        copied = sealed(evaluate(application, competition=header, pack=pack, lang=lang).model_copy(update={"warnings": warnings}))
        assert compact_bytes(made) == compact_bytes(copied) and made.to_json() == copied.to_json()
        assert made.decision_record.digest == copied.decision_record.digest
