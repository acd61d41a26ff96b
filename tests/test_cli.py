"""The clusterpolicy command: every command, its output and its exit code (0 / 1 / 2)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from clusterpolicy.output import cli
from clusterpolicy.packs import load_pack
from clusterpolicy.testing import application_data, competition_data

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "competition-2017"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


@pytest.fixture
def competition_dir(tmp_path: Path) -> Path:
    """A stage-1 competition folder with two complete applications: nothing to report."""
    folder = tmp_path / "competition"
    folder.mkdir()
    header = competition_data(1)
    header["announced_on"] = "2017-04-07"  # the day of the announcement event (they must agree)
    header["events"] = [
        {"event": "announcement", "date": "2017-04-07"},
        {"event": "completeness_protocol_signed", "date": "2017-06-14"},
    ]
    write(folder / "competition.yaml", header)
    for name in ("a1", "a2"):
        data = application_data(1)
        data["id"] = name
        write(folder / f"{name}.yaml", data)
    return folder


@pytest.fixture
def returned_dir(competition_dir: Path) -> Path:
    data = application_data(1)
    data["id"] = "a3"
    data["documents"] = [doc for doc in data["documents"] if doc["kind"] != "concept"]
    write(competition_dir / "a3.yaml", data)
    return competition_dir


# --------------------------------------------------------------------------- help, version, usage


def test_help_of_every_command_has_an_example(capsys):
    for argv in ([], ["evaluate"], ["deadlines"], ["packs"], ["packs", "show"], ["explain"], ["schema"], ["report"]):
        code, out, _ = run(capsys, *argv, "--help")
        assert code == 0
        assert "example:" in out and "clusterpolicy " in out


def test_version(capsys):
    import clusterpolicy

    code, out, _ = run(capsys, "--version")
    assert code == 0 and clusterpolicy.__version__ in out


def test_no_command_and_bad_option_are_usage_errors(capsys):
    assert run(capsys)[0] == 2
    code, _, err = run(capsys, "evaluate", "x.yaml", "--format", "xml")
    assert code == 2 and "invalid choice" in err
    code, _, err = run(capsys, "deadlines", "--announced", "2017-13-01")
    assert code == 2 and "not a date" in err


def test_python_dash_m_help_in_a_real_process():
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    done = subprocess.run(
        [sys.executable, "-m", "clusterpolicy", "--help"], capture_output=True, env=env, timeout=120
    )
    assert done.returncode == 0
    assert b"evaluate" in done.stdout and b"Traceback" not in done.stderr


@pytest.mark.slow
def test_a_process_that_ends_at_once_has_written_all_its_output(tmp_path, capsys):
    """After a command of bounded work the process ends without the interpreter's teardown
    (cli.run: os._exit once the output is flushed): the whole answer is written, with the exit
    code of the command, and an error still ends as before."""
    from clusterpolicy.output import cli

    application = ROOT / "examples" / "competition-2017" / "01-karaganda-construction.yaml"
    code = cli.main(["evaluate", str(application), "--format", "json"])
    expected = capsys.readouterr().out
    target = tmp_path / "answer.json"
    with open(target, "wb") as out:
        done = subprocess.run([sys.executable, "-m", "clusterpolicy", "evaluate", str(application), "--format", "json"],
                              stdout=out, stderr=subprocess.PIPE, timeout=120)
    assert done.returncode == code == 1 and target.read_text("utf-8") == expected and len(expected) > 10_000
    missing = subprocess.run([sys.executable, "-m", "clusterpolicy", "evaluate", str(tmp_path / "none.yaml")],
                             capture_output=True, timeout=120)
    assert missing.returncode == 2 and b"error:" in missing.stderr and b"Traceback" not in missing.stderr


def test_the_collector_is_as_the_caller_left_it():
    """main() pauses the cyclic collector while a command runs, and restores it after."""
    import gc

    from clusterpolicy.output import cli

    assert gc.isenabled()
    assert cli.main(["--version"]) == 0 and gc.isenabled()
    assert cli.main(["evaluate", "none.yaml"]) == 2 and gc.isenabled()
    gc.disable()
    try:
        cli.main(["evaluate", "none.yaml"])
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.slow
def test_kazakh_output_is_utf8_on_an_ascii_terminal(competition_dir):
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    done = subprocess.run(
        [sys.executable, "-m", "clusterpolicy", "evaluate", str(competition_dir), "--lang", "kk"],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert "жіберілді" in done.stdout.decode("utf-8")


# --------------------------------------------------------------------------- evaluate


def test_evaluate_complete_competition_exits_0(capsys, competition_dir):
    code, out, err = run(capsys, "evaluate", str(competition_dir))
    assert code == 0, out + err
    assert "a1" in out and "a2" in out and "admitted" in out


def test_evaluate_returned_application_exits_1_with_details(capsys, returned_dir):
    code, out, _ = run(capsys, "evaluate", str(returned_dir), "--details", "--lang", "ru")
    assert code == 1
    line = next(line for line in out.splitlines() if "возвращена" in line)
    # the application and the rule by their names, not their ids (docs/style-kk-ru.md); return, not rework
    title = load_pack("kz-2015-decree-535").rule("documents.stage1-concept").title.ru
    assert "доработку" not in line and "пункт 16 Правил" in line and title in line
    assert "a3" not in out and "documents.stage1-concept" not in out
    assert "подпункт 2) пункта 6 Правил" in out  # the finding's citation, in Russian, under --details


def test_evaluate_single_application_file(capsys, tmp_path, competition_dir):
    alone = write(tmp_path / "alone.yaml", application_data(1))
    code, out, _ = run(capsys, "evaluate", str(alone), "--pack", "kz-2015-decree-535")
    assert code == 1 and "undetermined" in out  # no competition: the p.13 deadline is unknown
    code, out, _ = run(capsys, "evaluate", str(competition_dir / "a1.yaml"), "--pack", "kz-2015-decree-535")
    assert code == 1 and "undetermined" in out  # the competition.yaml beside it is not read implicitly
    header = str(competition_dir / "competition.yaml")
    code, out, _ = run(capsys, "evaluate", str(competition_dir / "a1.yaml"), "--competition", header)
    assert code == 0 and "admitted" in out  # the competition given gives the deadline
    data = application_data(1)
    data["submission_format"]["paper_copies"] = 0
    bad = write(tmp_path / "bad.yaml", data)
    code, out, _ = run(capsys, "evaluate", str(bad), "--pack", "kz-2015-decree-535", "--format", "json")
    assert code == 1
    result = json.loads(out)
    assert result["status"] == "returned" and result["reasons"] == ["documents.paper-copy"]


def test_compact_json_is_the_same_document_on_one_line(capsys, returned_dir):
    """``--compact``: the document ``--format json`` prints, keys in the same (sorted) order, one line."""
    for argv in (["evaluate", str(returned_dir)], ["deadlines", str(returned_dir), "--as-of", "2017-09-01"]):
        code, pretty, _ = run(capsys, *argv, "--format", "json")
        compact_code, compact, _ = run(capsys, *argv, "--format", "json", "--compact")
        assert code == compact_code and compact.count("\n") == 1 and compact.endswith("\n")
        assert json.loads(compact) == json.loads(pretty)
        assert compact == json.dumps(json.loads(pretty), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def test_evaluate_json_is_byte_identical_across_runs(capsys, returned_dir):
    first = run(capsys, "evaluate", str(returned_dir), "--format", "json")
    second = run(capsys, "evaluate", str(returned_dir), "--format", "json")
    assert first == second
    report = json.loads(first[1])
    assert report["competition_id"] == "test-competition-stage1"
    assert {a["application_id"]: a["status"] for a in report["completeness"]["applications"]} == {
        "a1": "admitted",
        "a2": "admitted",
        "a3": "returned",
    }


def test_late_step_exits_1(capsys, competition_dir):
    header = yaml.safe_load((competition_dir / "competition.yaml").read_text("utf-8"))
    header["events"].append({"event": "review_protocol_signed", "date": "2017-08-01"})
    header["events"].append({"event": "protocol_sent_to_commission", "date": "2017-08-10"})
    write(competition_dir / "competition.yaml", header)
    code, out, _ = run(capsys, "evaluate", str(competition_dir))
    assert code == 1
    assert "rules-p23-protocol-to-commission" in out and "late by" in out


def test_as_of_judges_pending_steps(capsys, competition_dir):
    # The expert evaluation (p.20) is pending: due 60 days after the close of acceptance.
    assert run(capsys, "evaluate", str(competition_dir), "--as-of", "2017-07-01", "--pack", "kz-2015-decree-535")[0] == 0
    code, out, _ = run(capsys, "evaluate", str(competition_dir), "--as-of", "2017-09-01", "--pack", "kz-2015-decree-535")
    assert code == 1 and "rules-p20-expert-evaluation" in out and "not done by 2017-09-01" in out


# --------------------------------------------------------------------------- input errors


def test_broken_input_file_gives_one_located_error_line(capsys, tmp_path):
    data = application_data(1)
    data["participants"][2]["founded"] = "2015-13-01"
    broken = write(tmp_path / "broken.yaml", data)
    code, out, err = run(capsys, "evaluate", str(broken))
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err
    assert lines[0].startswith(f"error: {broken}:") and "participants[2].founded" in lines[0]


def test_invalid_yaml_and_missing_file_are_errors_not_tracebacks(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed\n", "utf-8")
    code, _, err = run(capsys, "evaluate", str(bad))
    assert code == 2 and err.startswith(f"error: {bad}") and "Traceback" not in err
    code, _, err = run(capsys, "evaluate", str(tmp_path / "nowhere.yaml"))
    assert code == 2 and err.startswith("error: ")


def test_unknown_pack_and_rule_are_usage_errors(capsys, competition_dir):
    code, _, err = run(capsys, "evaluate", str(competition_dir), "--pack", "no-such-pack")
    assert code == 2 and "unknown rule pack" in err
    code, _, err = run(capsys, "explain", "eligibility.no-such-rule")
    assert code == 2 and err.startswith("error: ")


# --------------------------------------------------------------------------- deadlines


def test_deadlines_from_dates(capsys):
    code, out, _ = run(capsys, "deadlines", "--announced", "2017-04-07", "--closes", "2017-06-08", "--pack", "kz-2015-decree-535")
    assert code == 0
    p15 = next(line for line in out.splitlines() if "rules-p15-completeness-check" in line)
    assert "2017-06-15" in p15 and "pending" in p15
    assert out.splitlines()[0] == "Rule pack: kz-2015-decree-535 1.0.0 (Government Decree No. 535 of 16 July 2015)"


def test_deadlines_say_which_pack_in_the_readers_language(capsys):
    code, out, err = run(capsys, "deadlines", str(ROOT / "examples" / "competition-2017"), "--lang", "ru")
    assert code == 1  # the late announcement (p.5) and protocol (p.23)
    first = out.splitlines()[0]
    assert first == "Применённый акт: Критерии и Правила проведения конкурсного отбора территориальных кластеров (постановление Правительства РК от 16 июля 2015 года № 535)"
    assert "предупреждение" not in out  # warnings go to standard error (their code only in English)
    assert err.startswith("предупреждение: применённый акт утратил силу 18 февраля 2016 г.")


def test_deadlines_late_announcement_exits_1(capsys):
    # Rules p.5: 60 calendar days before 8 June 2017 is Sunday 9 April, not rolled.
    code, out, _ = run(capsys, "deadlines", "--announced", "2017-04-10", "--closes", "2017-06-08", "--pack", "kz-2015-decree-535")
    assert code == 1
    assert "2017-04-09" in next(line for line in out.splitlines() if "rules-p5-announcement" in line)


def test_deadlines_need_dates_or_a_competition(capsys, tmp_path):
    assert run(capsys, "deadlines")[0] == 2
    app = write(tmp_path / "app.yaml", application_data(1))
    code, _, err = run(capsys, "deadlines", str(app))
    assert code == 2 and "needs a competition" in err


def test_deadlines_ics_written_atomically_and_never_over_an_input(capsys, competition_dir, tmp_path):
    target = tmp_path / "out" / "deadlines.ics"
    target.parent.mkdir()
    code, _, _ = run(capsys, "deadlines", str(competition_dir), "--ics", str(target))
    assert code == 0
    data = target.read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and b"Rules p.15" in data
    assert [p.name for p in target.parent.iterdir()] == ["deadlines.ics"]  # no temporary file left
    header = competition_dir / "competition.yaml"
    before = header.read_bytes()
    code, _, err = run(capsys, "deadlines", str(competition_dir), "--ics", str(header))
    assert code == 2 and "refusing to overwrite an input file" in err
    assert header.read_bytes() == before
    code, _, err = run(capsys, "deadlines", str(competition_dir), "--ics", str(tmp_path / "missing" / "x.ics"))
    assert code == 2 and "cannot write" in err


# --------------------------------------------------------------------------- packs, explain, schema


def test_packs_list_and_show(capsys):
    code, out, _ = run(capsys, "packs")
    assert code == 0
    assert "kz-2015-decree-535" in out and "kz-2017-kiri-methodology" in out and "2015-07-2" in out
    code, out, _ = run(capsys, "packs", "show", "kz-2015-decree-535", "--lang", "kk")
    assert code == 0
    assert "eligibility.unaffiliated-legal-entities" in out and "Өлшемшарттардың 1.1-тармағы" in out and "қайтару негізі" in out
    assert "min_unaffiliated_legal_entities = 10" in out and "ескертпе: «Акционерлік қоғамдар туралы»" in out
    assert "күші жойылды: ҚР Үкіметінің 2016 жылғы 18 ақпандағы № 73 қаулысы" in out
    assert run(capsys, "packs", "show", "nope")[0] == 2


def test_explain_rule(capsys):
    code, out, _ = run(capsys, "explain", "documents.paper-copy", "--lang", "ru", "--pack", "kz-2015-decree-535")
    assert code == 0
    assert "Rules p.9" in out and "severity:  основание для возврата" in out and "message:" in out
    assert "defined:   rules/kz-2015-decree-535/documents.yaml:" in out
    code, out, _ = run(capsys, "explain", "eligibility.unaffiliated-legal-entities")
    assert code == 0 and "quote:" in out and "parameter: min_unaffiliated_legal_entities = 10" in out


def test_schema(capsys):
    code, out, _ = run(capsys, "schema", "competition")
    assert code == 0
    schema = json.loads(out)
    assert schema["additionalProperties"] is False and "applications" in schema["properties"]
    code, out, _ = run(capsys, "schema")
    assert code == 0 and "participants" in json.loads(out)["properties"]


# --------------------------------------------------------------------------- report


def test_report_to_stdout_and_to_a_file(capsys, returned_dir, tmp_path):
    code, out, _ = run(capsys, "report", str(returned_dir), "--kind", "notice", "--lang", "kk")
    assert code == 0 and "қағидаларының 16-тармағына сәйкес" in out and "Қарағанды облысының кәсіпкерлер палатасы" in out and "№ R-1" in out
    target = tmp_path / "protocol.html"
    code, out, _ = run(
        capsys, "report", str(returned_dir), "--kind", "completeness-protocol", "--format", "html", "-o", str(target), "--date", "2017-06-14"
    )
    assert code == 0 and out == ""
    page = target.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "14 June 2017" in page and "Rules p.15" in page


def test_protocol_of_one_application_is_a_usage_error(capsys, tmp_path):
    app = write(tmp_path / "app.yaml", application_data(1))
    code, _, err = run(capsys, "report", str(app), "--kind", "evaluation-protocol")
    assert code == 2 and "whole competition" in err


@pytest.mark.slow
@pytest.mark.skipif(not EXAMPLE.is_dir(), reason="examples/competition-2017 is not in this tree")
def test_example_competition_end_to_end(capsys):
    code, out, _ = run(capsys, "evaluate", str(EXAMPLE))
    assert code == 1  # returned applications and a late step in the example
    assert "08-pavlodar-chemical" in out and "Rules p.13" in out


@pytest.mark.slow
def test_api_reference_is_current():
    done = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "generate_api.py"), "--check"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("date", ["9999-99-99", "next tuesday", "9999-12-31"])
def test_a_document_date_must_be_a_date(date, capsys):
    """``report --date 9999-99-99`` was accepted and printed on the protocol as its date."""
    from clusterpolicy.output.cli import main

    code = main(["report", str(EXAMPLE), "--kind", "completeness-protocol", "--date", date])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and "--date" in err


def _commands(parser):
    return next(action for action in parser._actions if isinstance(action, argparse._SubParsersAction)).choices


def test_a_command_alone_parses_and_helps_as_in_the_whole_parser() -> None:
    """main() builds only the command its command line names first (cli.build_parser(only)):
    COMMANDS lists every command, and each alone gives the same help and the same parse."""
    whole = cli.build_parser()
    assert tuple(_commands(whole)) == cli.COMMANDS
    for name in cli.COMMANDS:
        alone = cli.build_parser(name)
        assert list(_commands(alone)) == [name]
        assert _commands(alone)[name].format_help() == _commands(whole)[name].format_help()
    line = ["evaluate", "examples/competition-2017", "--lang", "kk", "--set", "paper_copies=2", "--details"]
    assert vars(cli.build_parser("evaluate").parse_args(line)) == vars(whole.parse_args(line))
